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

export function decode(search: string): Decoded {
  const params = new URLSearchParams(search);
  const settings: Settings = { ...DEFAULTS };
  const problems: string[] = [];
  let view: View = 'run';

  const strategy = params.get('strategy');
  if (strategy !== null) {
    if (isStrategy(strategy)) settings.strategy = strategy;
    else problems.push(`strategy=${strategy} is not one of pool, spawn-per-task, rayon.`);
  }
  const kind = params.get('kind');
  if (kind !== null) {
    if (isKind(kind)) settings.kind = kind;
    else problems.push(`kind=${kind} is not one of sleep, cpu, noop.`);
  }
  for (const [param, key] of PARAMS) {
    const text = params.get(param);
    if (text === null) continue;
    const parsed = parseNumber(key, text);
    if ('error' in parsed) problems.push(`${param}=${text}: ${parsed.error}`);
    else (settings as unknown as Record<string, number | null>)[key] = parsed.value;
  }
  for (const [param, lowKey, highKey] of RANGES) {
    const text = params.get(param);
    if (text === null) continue;
    const match = /^\s*([^-\s][^-]*?)\s*-\s*([^-]+?)\s*$/.exec(text);
    if (!match) {
      problems.push(`${param}=${text} should be written min-max, e.g. ${param}=${DEFAULTS[lowKey]}-${DEFAULTS[highKey]}.`);
      continue;
    }
    const low = parseNumber(lowKey, match[1]);
    const high = parseNumber(highKey, match[2]);
    if ('error' in low) problems.push(`${param}=${text}: ${low.error}`);
    else if ('error' in high) problems.push(`${param}=${text}: ${high.error}`);
    else {
      (settings as unknown as Record<string, number | null>)[lowKey] = low.value;
      (settings as unknown as Record<string, number | null>)[highKey] = high.value;
    }
  }
  const viewText = params.get('view');
  if (viewText !== null) {
    if ((VIEWS as readonly string[]).includes(viewText)) view = viewText as View;
    else problems.push(`view=${viewText} is not one of ${VIEWS.join(', ')}.`);
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
