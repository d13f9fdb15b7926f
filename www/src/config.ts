// The page's settings: what each control means, its default and allowed
// range, how it is checked, and how it becomes the package's RunConfig.
// The same ranges as the runtime's own checks, so that the page can say at
// once what is allowed; the runtime still has the last word (ConfigError).
import type { RunConfig, StrategyKind, TaskKind } from 'wasm-worker-pool';
import type { PlaygroundSettings } from '../../lib/element';
import { count } from './format';

/** The settings as the controls show them (rates in percent): the same type the
 * package publishes for <worker-pool-playground> (lib/element.d.ts). */
export type Settings = PlaygroundSettings;

export type Key = keyof Settings;

export const DEFAULTS: Readonly<Settings> = Object.freeze({
  strategy: 'pool',
  workers: 8,
  tasks: 1000,
  failurePct: 10,
  queueCapacity: 100,
  kind: 'sleep',
  sleepMin: 5,
  sleepMax: 20,
  cpuMin: 100_000,
  cpuMax: 1_000_000,
  timeoutMs: null,
  connections: null,
  panicPct: 0,
  seed: 42,
  spawnCap: null,
});

export const STRATEGIES: readonly { value: StrategyKind; label: string; help: string }[] = [
  { value: 'pool', label: 'Worker pool', help: 'a fixed set of workers fed by a bounded queue' },
  { value: 'spawn-per-task', label: 'One worker per task', help: 'a new Web Worker for every task (the unlimited goroutines)' },
  { value: 'rayon', label: 'rayon', help: "rayon's work-stealing thread pool" },
];
export const STRATEGY_LABEL: Record<StrategyKind, string> = {
  pool: 'Worker pool',
  'spawn-per-task': 'One worker per task',
  rayon: 'rayon',
};

export const KINDS: readonly { value: TaskKind; label: string }[] = [
  { value: 'sleep', label: 'Sleep (like I/O)' },
  { value: 'cpu', label: 'CPU (a busy sum loop)' },
  { value: 'noop', label: 'No-op (dispatch overhead only)' },
];

interface NumberSpec {
  key: Key;
  label: string;
  unit: string;
  min: number;
  max: number;
  /** Smallest value allowed is strictly above min (timeouts). */
  exclusiveMin?: boolean;
  integer: boolean;
  /** Empty is allowed and means null. */
  optional?: string;
  help: string;
}

export const NUMBER_FIELDS: readonly NumberSpec[] = [
  { key: 'workers', label: 'Workers', unit: 'threads', min: 1, max: 256, integer: true, help: 'Pool workers or rayon threads (one worker per task ignores it).' },
  { key: 'tasks', label: 'Tasks', unit: 'tasks', min: 1, max: 1_000_000, integer: true, help: 'How many jobs are submitted.' },
  { key: 'failurePct', label: 'Failure rate', unit: '%', min: 0, max: 100, integer: false, help: 'Share of tasks that return an error.' },
  { key: 'queueCapacity', label: 'Queue capacity', unit: 'jobs', min: 0, max: 1_000_000, integer: true, help: 'Buffer of the job queue; 0 = unbuffered (a rendezvous, like make(chan Job)).' },
  { key: 'sleepMin', label: 'Shortest task', unit: 'ms', min: 0, max: 60_000, integer: false, help: 'Sleep tasks take between the shortest and the longest duration.' },
  { key: 'sleepMax', label: 'Longest task', unit: 'ms', min: 0, max: 60_000, integer: false, help: '' },
  { key: 'cpuMin', label: 'Fewest iterations', unit: 'iterations', min: 0, max: 10_000_000_000, integer: true, help: 'CPU tasks run a sum loop this many times.' },
  { key: 'cpuMax', label: 'Most iterations', unit: 'iterations', min: 0, max: 10_000_000_000, integer: true, help: '' },
  { key: 'timeoutMs', label: 'Per-task timeout', unit: 'ms', min: 0, max: 3_600_000, exclusiveMin: true, integer: false, optional: 'none', help: 'A deadline each task sees (context.WithTimeout); empty = none.' },
  { key: 'connections', label: 'Connections', unit: 'shared', min: 1, max: 256, integer: true, optional: 'unlimited', help: 'A limited resource every task must hold while it works (the DB connections); empty = none.' },
  { key: 'panicPct', label: 'Panic rate', unit: '%', min: 0, max: 100, integer: false, help: 'Share of tasks that panic; each panic is caught and becomes a result.' },
  { key: 'seed', label: 'Seed', unit: '', min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, help: 'The same seed gives the same tasks, durations and failing ids in every strategy.' },
  { key: 'spawnCap', label: 'Thread cap', unit: 'threads', min: 1, max: 512, integer: true, optional: 'unbounded', help: 'One worker per task only: most threads alive at once (the runtime keeps at most 512 Web Workers alive); empty = unbounded.' },
];

export const NUMBER_SPEC: Record<string, NumberSpec> = Object.fromEntries(NUMBER_FIELDS.map((f) => [f.key, f]));

function describe(spec: NumberSpec): string {
  const kind = spec.integer ? 'a whole number' : 'a number';
  const low = spec.exclusiveMin ? `greater than ${count(spec.min)}` : `from ${count(spec.min)}`;
  const range = spec.exclusiveMin ? `${low} and at most ${count(spec.max)}` : `${low} to ${count(spec.max)}`;
  const unit = spec.unit && spec.unit !== 'shared' ? ` ${spec.unit}` : '';
  return `${spec.label} must be ${kind} ${range}${unit}${spec.optional ? `, or empty for ${spec.optional}` : ''}.`;
}

/** Longer than this, a number's text cannot be valid (so no work grows with it). */
const MAX_NUMBER_TEXT = 40;
/** Plain decimal notation: no hex, no exponents, no "Infinity". */
const PLAIN = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** Thousands grouped by one separator kind ("1,000,000", "1 000", "1_000"), as the page shows them. */
const GROUPED = /^-?\d{1,3}(?:(,)\d{3}(?:,\d{3})*|( )\d{3}(?: \d{3})*|(_)\d{3}(?:_\d{3})*)(?:\.\d*)?$/;
/** A comma where a decimal point belongs ("2,5"). */
const DECIMAL_COMMA = /^-?\d*,\d+$/;

/** Parses one number control's text; returns the value or what is allowed. */
export function parseNumber(key: Key, text: string): { value: number | null } | { error: string } {
  const spec = NUMBER_SPEC[key];
  const trimmed = text.trim();
  if (trimmed === '') return spec.optional ? { value: null } : { error: describe(spec) };
  if (trimmed.length > MAX_NUMBER_TEXT) return { error: describe(spec) };
  let digits: string;
  if (PLAIN.test(trimmed)) digits = trimmed;
  else if (GROUPED.test(trimmed)) digits = trimmed.replace(/[, _]/g, '');
  else if (DECIMAL_COMMA.test(trimmed)) {
    return { error: `${spec.label}: write decimals with a point (${trimmed.replace(',', '.')}), not a comma (${trimmed}).` };
  } else return { error: describe(spec) };
  const value = Number(digits);
  const below = spec.exclusiveMin ? value <= spec.min : value < spec.min;
  if (!Number.isFinite(value) || below || value > spec.max || (spec.integer && !Number.isInteger(value))) {
    return { error: describe(spec) };
  }
  return { value };
}

/** Checks across fields; the key is where the message is shown. */
export function crossCheck(s: Settings): { key: Key; error: string }[] {
  const problems: { key: Key; error: string }[] = [];
  if (s.sleepMax < s.sleepMin) {
    problems.push({ key: 'sleepMax', error: `Longest task must be at least the shortest (${count(s.sleepMin)} ms).` });
  }
  if (s.cpuMax < s.cpuMin) {
    problems.push({ key: 'cpuMax', error: `Most iterations must be at least the fewest (${count(s.cpuMin)}).` });
  }
  return problems;
}

/** The settings in the package's terms. */
export function toRunConfig(s: Settings, strategy: StrategyKind = s.strategy): RunConfig {
  return {
    strategy,
    workers: s.workers,
    tasks: s.tasks,
    failureRate: s.failurePct / 100,
    queueCapacity: s.queueCapacity,
    kind: s.kind,
    sleepMs: [s.sleepMin, s.sleepMax],
    cpuIterations: [s.cpuMin, s.cpuMax],
    timeoutMs: s.timeoutMs,
    connections: s.connections,
    panicRate: s.panicPct / 100,
    seed: s.seed,
    spawnCap: s.spawnCap,
  };
}

/** Which control shows a ConfigError about a RunConfig field. */
export function keyForField(field: string): Key | null {
  const map: Record<string, Key> = {
    strategy: 'strategy', workers: 'workers', tasks: 'tasks', failureRate: 'failurePct',
    queueCapacity: 'queueCapacity', kind: 'kind', sleepMs: 'sleepMin', cpuIterations: 'cpuMin',
    timeoutMs: 'timeoutMs', connections: 'connections', panicRate: 'panicPct', seed: 'seed', spawnCap: 'spawnCap',
  };
  const root = field.replace(/^\./, '').split(/[.[]/)[0];
  return map[root] ?? null;
}

export const isStrategy = (v: string): v is StrategyKind => STRATEGIES.some((s) => s.value === v);
export const isKind = (v: string): v is TaskKind => KINDS.some((k) => k.value === v);
