// The page's settings as one table, SETTINGS: a row per setting with its
// default, its name in a link and on <worker-pool-playground>, the RunConfig
// field it becomes, and what its control shows (label, range, unit, help).
// Everything else is derived from the rows, so that a setting is added or
// changed in one place: the defaults and the RunConfig (here), the controls
// (controls.ts), the checks (checks.ts), the link parameters and element
// attributes (url-state.ts). tests/settings-table.test.mjs holds the table to
// lib/element.d.ts, whose hand-written comment documents the attributes.
import type { RunConfig, StrategyKind, TaskKind } from 'wasm-worker-pool';
import type { PlaygroundSettings } from '../../lib/element';

/** The settings as the controls show them (rates in percent): the same type the
 * package publishes for <worker-pool-playground> (lib/element.d.ts). */
export type Settings = PlaygroundSettings;

export type Key = keyof Settings;

/** What every row has. */
interface Row {
  /** Its name in a link's query (?failure=20). Never rename one: shared links use it. */
  param: string;
  /** Its name as an attribute of the element (failure-rate="20"), as lib/element.d.ts lists it. */
  attribute: string;
  /** The RunConfig field it becomes, and the one a ConfigError names when the runtime refuses it. */
  field: keyof RunConfig;
  label: string;
  help: string;
}

export interface Choice<V extends string> { value: V; label: string; help?: string }

/** A setting that is one of a few names (a radio group, a select). */
export interface ChoiceRow extends Row {
  key: 'strategy' | 'kind';
  default: string;
  choices: readonly Choice<string>[];
}

/** A setting typed as a number. */
export interface NumberRow extends Row {
  key: Exclude<Key, ChoiceRow['key']>;
  default: number | null;
  unit: string;
  min: number;
  max: number;
  /** Smallest value allowed is strictly above min (timeouts). */
  exclusiveMin?: boolean;
  integer: boolean;
  /** Empty is allowed and means null; the word the control shows for it. */
  optional?: string;
  /** Shown in percent; the RunConfig takes a fraction (10 % is 0.1). */
  percent?: boolean;
  /** One end of a [min, max] field: both ends share one link parameter, written "min-max". */
  end?: 'min' | 'max';
}

export type SettingRow = ChoiceRow | NumberRow;

export const STRATEGIES: readonly Required<Choice<StrategyKind>>[] = [
  { value: 'pool', label: 'Worker pool', help: 'a fixed set of workers fed by a bounded queue' },
  { value: 'spawn-per-task', label: 'One worker per task', help: 'a new Web Worker for every task (the unlimited goroutines)' },
  { value: 'rayon', label: 'rayon', help: "rayon's work-stealing thread pool" },
];

export const KINDS: readonly Choice<TaskKind>[] = [
  { value: 'sleep', label: 'Sleep (like I/O)' },
  { value: 'cpu', label: 'CPU (a busy sum loop)' },
  { value: 'noop', label: 'No-op (dispatch overhead only)' },
];

/** The table, in the order of lib/element.d.ts (and of the RunConfig the page builds). */
export const SETTINGS: readonly SettingRow[] = [
  { key: 'strategy', default: 'pool', param: 'strategy', attribute: 'strategy', field: 'strategy',
    label: 'Strategy', choices: STRATEGIES, help: '' },
  { key: 'workers', default: 8, param: 'workers', attribute: 'workers', field: 'workers',
    label: 'Workers', unit: 'threads', min: 1, max: 256, integer: true, help: 'Pool workers or rayon threads (one worker per task ignores it).' },
  { key: 'tasks', default: 1000, param: 'tasks', attribute: 'tasks', field: 'tasks',
    label: 'Tasks', unit: 'tasks', min: 1, max: 1_000_000, integer: true, help: 'How many jobs are submitted.' },
  { key: 'failurePct', default: 10, param: 'failure', attribute: 'failure-rate', field: 'failureRate', percent: true,
    label: 'Failure rate', unit: '%', min: 0, max: 100, integer: false, help: 'Share of tasks that return an error.' },
  { key: 'queueCapacity', default: 100, param: 'queue', attribute: 'queue-capacity', field: 'queueCapacity',
    label: 'Queue capacity', unit: 'jobs', min: 0, max: 1_000_000, integer: true, help: 'Buffer of the job queue; 0 = unbuffered (a rendezvous, like make(chan Job)).' },
  { key: 'kind', default: 'sleep', param: 'kind', attribute: 'kind', field: 'kind',
    label: 'Task kind', choices: KINDS, help: 'Sleep tasks wait without using a core, like I/O; CPU tasks keep a core busy; no-op tasks do nothing, so only the cost of handing out work remains.' },
  { key: 'sleepMin', default: 5, param: 'sleep', attribute: 'sleep-ms', field: 'sleepMs', end: 'min',
    label: 'Shortest task', unit: 'ms', min: 0, max: 60_000, integer: false, help: 'Sleep tasks take between the shortest and the longest duration.' },
  { key: 'sleepMax', default: 20, param: 'sleep', attribute: 'sleep-ms', field: 'sleepMs', end: 'max',
    label: 'Longest task', unit: 'ms', min: 0, max: 60_000, integer: false, help: '' },
  // 2 to 8 million iterations take about 1.2 to 4.8 ms each (bench/results.md: 200 × 1,000,000 in ~120 ms):
  // thousands of times a task's dispatch (~1 µs), so that 2 workers visibly beat 1.
  { key: 'cpuMin', default: 2_000_000, param: 'cpu', attribute: 'cpu-iterations', field: 'cpuIterations', end: 'min',
    label: 'Fewest iterations', unit: 'iterations', min: 0, max: 10_000_000_000, integer: true, help: 'CPU tasks run a sum loop this many times.' },
  { key: 'cpuMax', default: 8_000_000, param: 'cpu', attribute: 'cpu-iterations', field: 'cpuIterations', end: 'max',
    label: 'Most iterations', unit: 'iterations', min: 0, max: 10_000_000_000, integer: true, help: '' },
  { key: 'timeoutMs', default: null, param: 'timeout', attribute: 'timeout-ms', field: 'timeoutMs',
    label: 'Per-task timeout', unit: 'ms', min: 0, max: 3_600_000, exclusiveMin: true, integer: false, optional: 'none', help: 'A deadline each task sees (context.WithTimeout); empty = none.' },
  { key: 'connections', default: null, param: 'connections', attribute: 'connections', field: 'connections',
    label: 'Connections', unit: '', min: 1, max: 256, integer: true, optional: 'unlimited', help: 'A limited resource every task must hold while it works (the DB connections); empty = none.' },
  { key: 'panicPct', default: 0, param: 'panic', attribute: 'panic-rate', field: 'panicRate', percent: true,
    label: 'Panic rate', unit: '%', min: 0, max: 100, integer: false, help: 'Share of tasks that panic; each panic is caught and becomes a result.' },
  { key: 'trapPct', default: 0, param: 'trap', attribute: 'trap-rate', field: 'trapRate', percent: true,
    label: 'Trap rate', unit: '%', min: 0, max: 100, integer: false, help: 'Share of tasks that trap (a WebAssembly trap): the thread dies without unwinding and the task fails; a pool starts a new worker in its place.' },
  { key: 'seed', default: 42, param: 'seed', attribute: 'seed', field: 'seed',
    label: 'Seed', unit: '', min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, help: 'The same seed gives the same tasks, durations and failing ids in every strategy.' },
  { key: 'spawnCap', default: null, param: 'cap', attribute: 'spawn-cap', field: 'spawnCap',
    label: 'Thread cap', unit: 'threads', min: 1, max: 512, integer: true, optional: 'unbounded', help: 'One worker per task only: most threads alive at once (the runtime keeps at most 512 Web Workers alive); empty = unbounded.' },
  { key: 'arrivalRate', default: null, param: 'rate', attribute: 'arrival-rate', field: 'arrivalRate',
    label: 'Arrival rate', unit: 'tasks/s', min: 0, max: 1_000_000, exclusiveMin: true, integer: false, optional: 'all at once',
    help: 'Worker pool only. Empty: every task is submitted at once (a batch). A rate λ: tasks arrive one by one, λ per second on average at random (Poisson) gaps, like requests reaching a server; a full queue still makes the feeder wait.' },
];

export const isChoiceRow = (row: SettingRow): row is ChoiceRow => 'choices' in row;

export const DEFAULTS: Readonly<Settings> = Object.freeze(
  Object.fromEntries(SETTINGS.map((row) => [row.key, row.default])) as unknown as Settings,
);

/** The rows by key. */
export const ROW = Object.fromEntries(SETTINGS.map((row) => [row.key, row])) as Readonly<Record<Key, SettingRow>>;

/** The number rows by key. */
export const NUMBER_ROW: Readonly<Record<string, NumberRow>> = Object.fromEntries(
  SETTINGS.filter((row): row is NumberRow => !isChoiceRow(row)).map((row) => [row.key, row]),
);

export const STRATEGY_LABEL = Object.fromEntries(STRATEGIES.map((s) => [s.value, s.label])) as Record<StrategyKind, string>;

export const isStrategy = (v: string): v is StrategyKind => STRATEGIES.some((s) => s.value === v);
export const isKind = (v: string): v is TaskKind => KINDS.some((k) => k.value === v);

/** The settings in the package's terms (for a comparison, under another strategy). */
export function toRunConfig(s: Settings, strategy: StrategyKind = s.strategy): RunConfig {
  const values: Settings = { ...s, strategy };
  const config: Record<string, unknown> = {};
  for (const row of SETTINGS) {
    const value = values[row.key];
    if (isChoiceRow(row) || (!row.end && !row.percent)) config[row.field] = value;
    else if (row.percent) config[row.field] = (value as number) / 100;
    else ((config[row.field] ??= []) as number[])[row.end === 'min' ? 0 : 1] = value as number;
  }
  return config as RunConfig;
}

/** The row that shows a RunConfig field's errors; a range's is its min end. */
const KEY_OF_FIELD = new Map<string, Key>();
for (const row of SETTINGS) if (!KEY_OF_FIELD.has(row.field)) KEY_OF_FIELD.set(row.field, row.key);

/** Which control shows a ConfigError about a RunConfig field ("sleepMs[1]" is sleepMs's). */
export function keyForField(field: string): Key | null {
  const root = field.replace(/^\./, '').split(/[.[]/)[0];
  return KEY_OF_FIELD.get(root) ?? null;
}
