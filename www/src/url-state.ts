// The settings live in the URL's query string, so a link reproduces a run
// (the same seed gives the same tasks); an element's attributes carry the
// same settings under longer names. Both names are columns of the settings
// table (config.ts). Only values that differ from the defaults are written.
// A malformed link loads the defaults, never a mix. A link may also point
// at a moment of the run, t= (ms; the replay's cursor, replay-control.ts):
// it is no setting, so a malformed t is reported on its own and the rest of
// the link still loads (decodeTime).
import { crossCheck, parseNumber } from './checks';
import { DEFAULTS, isChoiceRow, SETTINGS, type ChoiceRow, type Key, type NumberRow, type Settings } from './config';
import { formatTime, parseTime } from './replay';

export type View = 'run' | 'compare' | 'lessons';
export const VIEWS: readonly View[] = ['run', 'compare', 'lessons'];

/** How a link and an element name one parameter. */
interface Names { name: string; attribute: string }

/** The view is no setting, but links and attributes carry it too. */
const VIEW: Names = { name: 'view', attribute: 'view' };

/** A link's parameter (an element's attribute): one setting, or both ends of a range ("sleep=5-20"). */
interface Param extends Names {
  shape: 'choice' | 'number' | 'range';
  /** The settings its text gives, or the problem with it (`as` is the parameter's name in the problem). */
  read(text: string, as: string): { values: Partial<Record<Key, unknown>> } | { problem: string };
  /** Its text, or null while its settings hold their defaults. */
  write(settings: Settings): string | null;
}

export interface Decoded { settings: Settings; view: View; problems: string[] }

/** Longest part of a given value quoted back in a problem. */
const QUOTED = 40;
/** The value as a problem quotes it: long values cut short. */
const quote = (text: string) => (text.length > QUOTED ? `${text.slice(0, QUOTED)}… (${text.length} characters)` : text);

/** "min-max" as its two parts, trimmed; null unless it has exactly one "-" between non-empty parts. Linear in the text. */
function splitRange(text: string): [string, string] | null {
  const at = text.indexOf('-');
  if (at < 0 || text.indexOf('-', at + 1) >= 0) return null;
  const low = text.slice(0, at).trim();
  const high = text.slice(at + 1).trim();
  return low && high ? [low, high] : null;
}

function choiceParam(row: ChoiceRow): Param {
  const names = row.choices.map((c) => c.value);
  return {
    name: row.param, attribute: row.attribute, shape: 'choice',
    read: (text, as) => (names.includes(text)
      ? { values: { [row.key]: text } }
      : { problem: `${as}=${quote(text)} is not one of ${names.join(', ')}.` }),
    write: (s) => (s[row.key] !== row.default ? s[row.key] : null),
  };
}

function numberParam(row: NumberRow): Param {
  return {
    name: row.param, attribute: row.attribute, shape: 'number',
    read(text, as) {
      const parsed = parseNumber(row.key, text);
      return 'error' in parsed ? { problem: `${as}=${quote(text)}: ${parsed.error}` } : { values: { [row.key]: parsed.value } };
    },
    write: (s) => (s[row.key] === row.default ? null : String(s[row.key] ?? '')),
  };
}

function rangeParam(low: NumberRow, high: NumberRow): Param {
  return {
    name: low.param, attribute: low.attribute, shape: 'range',
    read(text, as) {
      const parts = splitRange(text);
      if (!parts) return { problem: `${as}=${quote(text)} should be written min-max, e.g. ${as}=${low.default}-${high.default}.` };
      const min = parseNumber(low.key, parts[0]);
      const max = parseNumber(high.key, parts[1]);
      if ('error' in min) return { problem: `${as}=${quote(text)}: ${min.error}` };
      if ('error' in max) return { problem: `${as}=${quote(text)}: ${max.error}` };
      return { values: { [low.key]: min.value, [high.key]: max.value } };
    },
    write: (s) => (s[low.key] !== low.default || s[high.key] !== high.default ? `${s[low.key]}-${s[high.key]}` : null),
  };
}

/** The table's rows as parameters, in its order; a range's max end shares its min end's parameter. */
const PARAMS: readonly Param[] = SETTINGS.flatMap((row) => {
  if (isChoiceRow(row)) return [choiceParam(row)];
  if (!row.end) return [numberParam(row)];
  const high = SETTINGS.find((other): other is NumberRow => other.param === row.param && other !== row);
  return row.end === 'min' && high ? [rangeParam(row, high)] : [];
});

// Problems are listed, and links written, in the order they always were, so
// that the same settings still give the same link: problems with the choices,
// the numbers, then the ranges; a link the strategy, the numbers, then the
// task kind beside its durations.
const readRank = (p: Param) => ['choice', 'number', 'range'].indexOf(p.shape);
const writeRank = (p: Param) => (p.name === 'kind' ? 2 : readRank(p));
const READ_ORDER = [...PARAMS].sort((a, b) => readRank(a) - readRank(b));
const WRITE_ORDER = [...PARAMS].sort((a, b) => writeRank(a) - writeRank(b));

/** Each link parameter's attribute name: an attribute spells its setting out. */
export const ATTRIBUTES: Record<string, string> = Object.fromEntries([...PARAMS, VIEW].map((p) => [p.name, p.attribute]));

export function decode(search: string): Decoded {
  const params = new URLSearchParams(search);
  return decodeWith((p) => params.get(p.name), (p) => p.name);
}

/** Settings from an element's attributes (see ATTRIBUTES), checked as a link's are. */
export function decodeAttributes(element: Element): Decoded {
  return decodeWith((p) => element.getAttribute(p.attribute), (p) => p.attribute);
}

/** `get(p)` reads a parameter's text (null: not given); problems call it `name(p)`. */
function decodeWith(get: (p: Names) => string | null, name: (p: Names) => string): Decoded {
  const settings: Settings = { ...DEFAULTS };
  const problems: string[] = [];
  let view: View = 'run';
  for (const param of READ_ORDER) {
    const text = get(param);
    if (text === null) continue;
    const read = param.read(text, name(param));
    if ('problem' in read) problems.push(read.problem);
    else Object.assign(settings, read.values);
  }
  const viewText = get(VIEW);
  if (viewText !== null) {
    if ((VIEWS as readonly string[]).includes(viewText)) view = viewText as View;
    else problems.push(`${name(VIEW)}=${quote(viewText)} is not one of ${VIEWS.join(', ')}.`);
  }
  if (problems.length === 0) problems.push(...crossCheck(settings).map((p) => p.error));
  // Never half of a link: any problem and the whole state is the defaults.
  if (problems.length > 0) return { settings: { ...DEFAULTS }, view: 'run', problems };
  return { settings, view, problems };
}

/** The link's parameter for the replay's time. */
const TIME = 't';

/** A link's moment of the run (t=, ms), or the problem with it; both null without one. */
export function decodeTime(search: string): { time: number | null; problem: string | null } {
  const text = new URLSearchParams(search).get(TIME);
  if (text === null) return { time: null, problem: null };
  const parsed = parseTime(text);
  return 'error' in parsed ? { time: null, problem: `${TIME}=${quote(text)}: ${parsed.error}` } : { time: parsed.value, problem: null };
}

export function encode(settings: Settings, view: View, time: number | null = null): string {
  const params = new URLSearchParams();
  for (const param of WRITE_ORDER) {
    const text = param.write(settings);
    if (text !== null) params.set(param.name, text);
  }
  if (view !== 'run') params.set(VIEW.name, view);
  if (time !== null) params.set(TIME, formatTime(time));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Replace the address bar's query (no history entry per keystroke). */
export function writeUrl(settings: Settings, view: View, time: number | null = null): void {
  const url = new URL(location.href);
  url.search = encode(settings, view, time);
  if (url.href !== location.href) history.replaceState(null, '', url);
}
