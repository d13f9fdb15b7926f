// The settings live in the URL's query string, so a link reproduces a run
// (the same seed gives the same tasks). Only values that differ from the
// defaults are written. A malformed link loads the defaults, never a mix.
import { crossCheck, DEFAULTS, isKind, isStrategy, parseNumber, type Key, type Settings } from './config';

export type View = 'run' | 'compare' | 'lessons';
const VIEWS: readonly View[] = ['run', 'compare', 'lessons'];

/** URL parameter for each plain number setting. */
const PARAMS: [string, Key][] = [
  ['workers', 'workers'], ['tasks', 'tasks'], ['failure', 'failurePct'], ['queue', 'queueCapacity'],
  ['timeout', 'timeoutMs'], ['connections', 'connections'], ['panic', 'panicPct'], ['seed', 'seed'], ['cap', 'spawnCap'],
];
/** Ranges, written "min-max". */
const RANGES: [string, Key, Key][] = [['sleep', 'sleepMin', 'sleepMax'], ['cpu', 'cpuMin', 'cpuMax']];

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

export function decode(search: string): Decoded {
  const params = new URLSearchParams(search);
  return decodeWith((param) => params.get(param), (param) => param);
}

/**
 * The element's attributes for the same settings. The URL's names are short;
 * an attribute spells its setting out.
 */
export const ATTRIBUTES: Record<string, string> = {
  strategy: 'strategy', workers: 'workers', tasks: 'tasks', failure: 'failure-rate', queue: 'queue-capacity',
  kind: 'kind', sleep: 'sleep-ms', cpu: 'cpu-iterations', timeout: 'timeout-ms', connections: 'connections',
  panic: 'panic-rate', seed: 'seed', cap: 'spawn-cap', view: 'view',
};

/** Settings from an element's attributes (see ATTRIBUTES), checked as a link's are. */
export function decodeAttributes(element: Element): Decoded {
  return decodeWith((param) => element.getAttribute(ATTRIBUTES[param]), (param) => ATTRIBUTES[param]);
}

/** `get(param)` reads a setting's text (null: not given); messages call it `name(param)`. */
function decodeWith(get: (param: string) => string | null, name: (param: string) => string): Decoded {
  const settings: Settings = { ...DEFAULTS };
  const problems: string[] = [];
  let view: View = 'run';

  const strategy = get('strategy');
  if (strategy !== null) {
    if (isStrategy(strategy)) settings.strategy = strategy;
    else problems.push(`${name('strategy')}=${quote(strategy)} is not one of pool, spawn-per-task, rayon.`);
  }
  const kind = get('kind');
  if (kind !== null) {
    if (isKind(kind)) settings.kind = kind;
    else problems.push(`${name('kind')}=${quote(kind)} is not one of sleep, cpu, noop.`);
  }
  for (const [param, key] of PARAMS) {
    const text = get(param);
    if (text === null) continue;
    const parsed = parseNumber(key, text);
    if ('error' in parsed) problems.push(`${name(param)}=${quote(text)}: ${parsed.error}`);
    else (settings as unknown as Record<string, number | null>)[key] = parsed.value;
  }
  for (const [param, lowKey, highKey] of RANGES) {
    const text = get(param);
    if (text === null) continue;
    const parts = splitRange(text);
    if (!parts) {
      problems.push(`${name(param)}=${quote(text)} should be written min-max, e.g. ${name(param)}=${DEFAULTS[lowKey]}-${DEFAULTS[highKey]}.`);
      continue;
    }
    const low = parseNumber(lowKey, parts[0]);
    const high = parseNumber(highKey, parts[1]);
    if ('error' in low) problems.push(`${name(param)}=${quote(text)}: ${low.error}`);
    else if ('error' in high) problems.push(`${name(param)}=${quote(text)}: ${high.error}`);
    else {
      (settings as unknown as Record<string, number | null>)[lowKey] = low.value;
      (settings as unknown as Record<string, number | null>)[highKey] = high.value;
    }
  }
  const viewText = get('view');
  if (viewText !== null) {
    if ((VIEWS as readonly string[]).includes(viewText)) view = viewText as View;
    else problems.push(`${name('view')}=${quote(viewText)} is not one of ${VIEWS.join(', ')}.`);
  }
  if (problems.length === 0) problems.push(...crossCheck(settings).map((p) => p.error));
  // Never half of a link: any problem and the whole state is the defaults.
  if (problems.length > 0) return { settings: { ...DEFAULTS }, view: 'run', problems };
  return { settings, view, problems };
}

export function encode(settings: Settings, view: View): string {
  const params = new URLSearchParams();
  if (settings.strategy !== DEFAULTS.strategy) params.set('strategy', settings.strategy);
  for (const [param, key] of PARAMS) {
    const value = settings[key];
    if (value !== DEFAULTS[key]) params.set(param, value === null ? '' : String(value));
  }
  if (settings.kind !== DEFAULTS.kind) params.set('kind', settings.kind);
  for (const [param, lowKey, highKey] of RANGES) {
    if (settings[lowKey] !== DEFAULTS[lowKey] || settings[highKey] !== DEFAULTS[highKey]) {
      params.set(param, `${settings[lowKey]}-${settings[highKey]}`);
    }
  }
  if (view !== 'run') params.set('view', view);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Replace the address bar's query (no history entry per keystroke). */
export function writeUrl(settings: Settings, view: View): void {
  const url = new URL(location.href);
  url.search = encode(settings, view);
  if (url.href !== location.href) history.replaceState(null, '', url);
}
