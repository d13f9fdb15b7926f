// The tutorial's sections as lessons: a few sentences, the tutorial's own Go
// (whole functions cut out of its programs, www/src/go/*.go, its ❌ / ✅ / ⚠️
// lines highlighted) beside the Rust that this repository compiles and runs
// (regions of crate/src and crate/tests/shown_code, taken at build time by
// scripts/rust-snippets.mjs), and "Try it": a preset loaded into the controls
// and run (or compared), or, for the common errors, the mistake and its fix
// demonstrated on real threads through playground.demonstrate(). A run may be
// explained: a report written from that run's summary. This module is the
// lessons' content; lesson-markup.ts renders it and views/lessons-view.ts
// does what "Try it" does.
import rustSnippets, { sources as rustSources } from 'virtual:rust-snippets';
import type { CommonError, Observed, RunSummary } from 'wasm-worker-pool';
import type { Settings } from './config';
import { count } from './format';
import { goDedent, goFunction, goPractice, goPracticeTitles } from './go-code';
import advancedContext from './go/advanced-context.go?raw';
import bestPractices from './go/best-practices.go?raw';
import controlComparison from './go/control-comparison.go?raw';
import databaseConnections from './go/database-connections.go?raw';
import notClosingChannels from './go/not-closing-channels.go?raw';
import sendOnClosedChannel from './go/send-on-closed-channel.go?raw';
import unbufferedDeadlock from './go/unbuffered-deadlock.go?raw';
import waitgroupMisuse from './go/waitgroup-misuse.go?raw';

/** The tutorial's programs the lessons quote (www/src/go/, verbatim from the tutorial). */
export const GO_FILES = {
  'advanced-context.go': advancedContext,
  'best-practices.go': bestPractices,
  'control-comparison.go': controlComparison,
  'database-connections.go': databaseConnections,
  'not-closing-channels.go': notClosingChannels,
  'send-on-closed-channel.go': sendOnClosedChannel,
  'unbuffered-deadlock.go': unbufferedDeadlock,
  'waitgroup-misuse.go': waitgroupMisuse,
} as const;
export type GoFile = keyof typeof GO_FILES;

/**
 * Go quoted from one of the tutorial's programs: `blocks` are verbatim
 * pieces of it; `text`, what is shown, is them one after another (a fragment
 * from inside a function without the indentation its lines share).
 */
export interface GoCode {
  language: 'Go';
  file: GoFile;
  /** What was cut out: function names, or "BEST PRACTICE n". */
  names: string[];
  blocks: string[];
  text: string;
}

/** A region of the crate's Rust. */
export interface RustCode {
  language: 'Rust';
  snippet: string;
  /** 'crate/…/file.rs:line' of its start marker. */
  source: string;
  text: string;
}

export type Code = GoCode | RustCode;

/** Whole functions of one of the tutorial's programs; `Recv.name` names a method. */
export function goCode(file: GoFile, ...functions: string[]): GoCode {
  const blocks = functions.map((name) => goFunction(GO_FILES[file], name, file));
  return { language: 'Go', file, names: functions, blocks, text: blocks.join('\n\n') };
}

/** The lines of the tutorial's "✅ BEST PRACTICE n" (best-practices.go). */
export function goPracticeCode(n: number): GoCode {
  const block = goPractice(GO_FILES['best-practices.go'], n, 'best-practices.go');
  return { language: 'Go', file: 'best-practices.go', names: [`BEST PRACTICE ${n}`], blocks: [block], text: goDedent(block) };
}

/**
 * A marked region of the crate's Rust (`// snippet: name` … `// end snippet:
 * name`). Throws if there is none, so that a renamed region fails the build
 * (scripts/rust-snippets.mjs checks every literal call) and the tests, and
 * never shows an empty box.
 */
export function rustSnippet(name: string): RustCode {
  if (!Object.hasOwn(rustSnippets, name)) throw new Error(`unknown Rust snippet '${name}'`);
  return { language: 'Rust', snippet: name, source: rustSources[name], text: rustSnippets[name] };
}

/** Go beside the Rust that does the same; `heading` names the part when a column has several. */
export interface CodePart {
  heading?: string;
  go: GoCode[];
  rust: RustCode[];
}

/** One column of a two-column lesson ("The mistake", "The fix"). */
export interface CodeColumn {
  heading: string;
  parts: CodePart[];
}

/** One of the tutorial's 15 best practices: its lines of Go and the Rust that implements it, or why none does. */
export interface BestPractice {
  n: number;
  title: string;
  go: GoCode;
  rust: RustCode | { why: string };
}

export type LessonCode =
  | { layout: 'side-by-side'; part: CodePart }
  | { layout: 'columns'; columns: [CodeColumn, CodeColumn] }
  | { layout: 'practices'; practices: BestPractice[] };

/** What a try of the traps lesson found, written from that run's summary. */
export interface RunExplanation {
  title: string;
  symptom: string;
  detected: string;
  prevention: string;
  observed: Record<string, Observed>;
}

export type LessonAction =
  | { kind: 'run'; preset: Partial<Settings>; explain?: (summary: RunSummary) => RunExplanation }
  | { kind: 'compare'; preset: Partial<Settings> }
  /** `failure`: the tutorial's failure, said when it happened and when it did not. */
  | { kind: 'demonstrate'; error: CommonError; failure: { happened: string; absent: string } };

export interface Lesson {
  id: string;
  title: string;
  section: string;
  text: string;
  lookFor: string;
  code: LessonCode;
  action: LessonAction;
}

/**
 * The Rust that implements each best practice: a region of the crate, or,
 * where no Rust code does it, the sentence saying why.
 */
const PRACTICE_RUST: Readonly<Record<number, RustCode | { why: string }>> = {
  1: rustSnippet('best-practices/1'),
  2: rustSnippet('best-practices/2'),
  3: rustSnippet('best-practices/3'),
  4: rustSnippet('best-practices/4'),
  5: rustSnippet('best-practices/5'),
  6: rustSnippet('best-practices/6'),
  7: rustSnippet('best-practices/7'),
  8: rustSnippet('best-practices/8'),
  9: rustSnippet('best-practices/9'),
  10: rustSnippet('best-practices/10'),
  11: rustSnippet('best-practices/11'),
  12: rustSnippet('best-practices/12'),
  13: rustSnippet('best-practices/13'),
  14: rustSnippet('best-practices/14'),
  15: rustSnippet('best-practices/15'),
};

/** The tutorial's numbered best practices, in its order, named as its program prints them. */
function bestPracticeList(): BestPractice[] {
  const titles = goPracticeTitles(GO_FILES['best-practices.go']);
  if (titles.size !== 15) throw new Error(`best-practices.go names ${titles.size} best practices, not 15`);
  return [...titles].map(([n, title]) => {
    const rust = PRACTICE_RUST[n];
    if (rust === undefined) throw new Error(`best practice ${n}: no Rust and no sentence saying why`);
    return { n, title, go: goPracticeCode(n), rust };
  });
}

export const LESSONS: readonly Lesson[] = [
  {
    id: 'unlimited-vs-pool',
    title: 'Unlimited goroutines vs a pool',
    section: 'Implementation Without Worker Pool · Control Comparison',
    text: 'Spawning one goroutine per task gives no control over how many run at once. In the browser the equivalent is one new Web Worker per task, and each one has to start, instantiate the module and get its own stack on the shared memory before its task can run. A fixed pool pays that once and reuses its workers.',
    lookFor: 'Try it runs the same 300 seeded tasks through all three strategies. Compare wall time, peak threads and worker start-up, and read what the memory figure does and does not include.',
    code: {
      layout: 'columns',
      columns: [
        { heading: 'The wrong way: one per task', parts: [{ go: [goCode('control-comparison.go', 'withoutWorkerPool')], rust: [rustSnippet('unlimited-vs-pool/wrong')] }] },
        { heading: 'The right way: a fixed pool', parts: [{ go: [goCode('control-comparison.go', 'withWorkerPool')], rust: [rustSnippet('unlimited-vs-pool/right')] }] },
      ],
    },
    action: { kind: 'compare', preset: { tasks: 300, workers: 8, kind: 'sleep', sleepMin: 5, sleepMax: 20, failurePct: 10, spawnCap: null } },
  },
  {
    id: 'connections',
    title: '10 workers sharing 3 connections',
    section: 'Real-World Example: Database Operations',
    text: 'Ten workers, but only three database connections: a worker that holds no connection waits for one. The pool bounds the work in flight, and a counting semaphore bounds the scarce resource, so the database never sees more than three queries at once.',
    lookFor: 'In the timeline, hatched light-blue bands are time spent waiting for a connection; the queue chart shows how many workers wait at once.',
    code: {
      layout: 'side-by-side',
      part: {
        go: [goCode('database-connections.go', 'ConnectionPool.Acquire', 'ConnectionPool.Release', 'DBWorkerPool.worker')],
        rust: [rustSnippet('connections')],
      },
    },
    action: { kind: 'run', preset: { strategy: 'pool', workers: 10, connections: 3, tasks: 90, kind: 'sleep', sleepMin: 30, sleepMax: 70, failurePct: 0 } },
  },
  {
    id: 'cancel-timeout',
    title: 'Cancellation and timeouts',
    section: 'Advanced Worker Pool with Context',
    text: 'Every task sees a deadline (context.WithTimeout) and the run can be cancelled as a whole (context.WithCancel). Nothing is killed: tasks check their context and stop early, queued tasks end cancelled without running, and every task still ends exactly once.',
    lookFor: 'Tasks that sleep past 250 ms end "timed out" (orange, dotted). Press Cancel while it runs: the summary then shows the cancelled tasks, and the counts still add up.',
    code: {
      layout: 'side-by-side',
      part: {
        go: [
          goCode('advanced-context.go', 'WorkerPool.worker', 'WorkerPool.Submit', 'WorkerPool.Cancel'),
          goCode('best-practices.go', 'BestPracticeWorkerPool.processTask'),
        ],
        rust: [rustSnippet('cancel-timeout')],
      },
    },
    action: { kind: 'run', preset: { strategy: 'pool', workers: 3, tasks: 30, kind: 'sleep', sleepMin: 0, sleepMax: 500, timeoutMs: 250, failurePct: 10 } },
  },
  {
    id: 'panics',
    title: 'Panics recovered',
    section: 'Best Practices: handle panics in workers',
    text: 'A panic in one task must not take its worker, or the whole pool, down with it. Each task runs inside catch_unwind (the wasm is built with panic=unwind): the panic becomes the task\'s result and the worker takes the next job.',
    lookFor: 'Panicked tasks are reddish purple with a cross-hatch. The summary lists their ids, and every worker keeps working to the end.',
    code: {
      layout: 'side-by-side',
      part: {
        go: [goCode('best-practices.go', 'BestPracticeWorkerPool.worker')],
        rust: [rustSnippet('panics/catch'), rustSnippet('panics/classify')],
      },
    },
    action: { kind: 'run', preset: { strategy: 'pool', workers: 5, tasks: 200, kind: 'sleep', sleepMin: 1, sleepMax: 10, failurePct: 5, panicPct: 10 } },
  },
  {
    id: 'traps',
    title: 'Traps: a worker that dies',
    section: 'Best Practices: handle panics in workers (and what recover cannot catch)',
    text: 'A panic unwinds, so it can be caught and its worker lives on (the lesson above). A WebAssembly trap (unreachable code, an out-of-bounds access, memory running out) does not unwind: it ends the thread at once, like a Go fatal error (concurrent map writes, running out of memory) that the tutorial\'s recover() cannot catch. The task that trapped cannot be saved, but the run can: the pool sees its worker die, ends that task failed, saying the thread died, and starts a new worker in its place.',
    lookFor: 'Try it runs 200 tasks on 4 workers with a 5 % trap rate and no other failures, then reports from that run\'s summary how many tasks trapped, how they ended and what became of the rest. In the timeline the trapped tasks are striped (failed) bars.',
    code: {
      layout: 'side-by-side',
      part: {
        go: [goPracticeCode(7)],
        rust: [rustSnippet('traps/config'), rustSnippet('traps/death-hook')],
      },
    },
    action: {
      kind: 'run',
      preset: { strategy: 'pool', workers: 4, tasks: 200, kind: 'sleep', sleepMin: 1, sleepMax: 10, failurePct: 0, panicPct: 0, trapPct: 5 },
      explain: explainTraps,
    },
  },
  {
    id: 'queue-never-closed',
    title: 'Common error: a queue never closed',
    section: 'Common Errors: Not Closing Channels',
    text: 'Workers that range over a channel wait for ever if nobody closes it: a goroutine leak, and a deadlock if anyone then calls wg.Wait(). The mistake below is the tutorial\'s, made with a real channel on real threads; the fix is the pool, whose close() ends its queue.',
    lookFor: 'Try it runs the mistake (5 workers, 10 jobs, the queue left open), counts the workers still blocked once the work is done, then runs the fix the same way.',
    code: {
      layout: 'columns',
      columns: [
        { heading: 'The mistake', parts: [{ go: [goCode('not-closing-channels.go', 'incorrectWorkerPool')], rust: [rustSnippet('queue-never-closed/mistake')] }] },
        { heading: 'The fix', parts: [{ go: [goCode('not-closing-channels.go', 'correctWorkerPool')], rust: [rustSnippet('queue-never-closed/fix')] }] },
      ],
    },
    action: { kind: 'demonstrate', error: 'queue-never-closed', failure: { happened: 'the workers leaked, blocked for ever on the open queue', absent: 'no worker was left behind' } },
  },
  {
    id: 'send-after-close',
    title: 'Common error: send after close',
    section: 'Common Errors: Sending on Closed Channel',
    text: 'In Go, a send on a closed channel panics, and with several senders it is easy to close too early; closing twice panics too. The mistake below makes the tutorial\'s race certain: a second sender sends once the first has closed. The pool refuses a late submit with an error that hands the task back, and a second close() does nothing.',
    lookFor: 'Try it runs the mistake on real threads and catches its panics, then closes a real pool and submits to it, and closes it again.',
    code: {
      layout: 'columns',
      columns: [
        { heading: 'The mistake', parts: [{ go: [goCode('send-on-closed-channel.go', 'incorrectChannelUsage')], rust: [rustSnippet('send-after-close/mistake')] }] },
        { heading: 'The fix', parts: [{ go: [goCode('send-on-closed-channel.go', 'correctChannelUsage')], rust: [rustSnippet('send-after-close/fix')] }] },
      ],
    },
    action: { kind: 'demonstrate', error: 'send-after-close', failure: { happened: 'a panic: send on closed channel', absent: 'no panic' } },
  },
  {
    id: 'unbuffered-queue',
    title: 'Common error: an unbuffered queue nobody reads',
    section: 'Common Errors: Deadlock from Unbuffered Channels',
    text: 'An unbuffered channel hands a value over only when a receiver is ready. Send every job before reading any result, with unbuffered jobs and results, and the workers block on their first results while the sender blocks on the next job: a deadlock. The tutorial\'s fixes buffer the channels, or send from a goroutine of its own. The pool\'s results are unbounded, so its workers never wait for a reader: even with a rendezvous (capacity 0) queue and a sender that reads nothing, every job goes through.',
    lookFor: 'Try it runs the mistake with real rendezvous channels and reports where each thread is blocked, then sends the same jobs, reading nothing, to a pool with a capacity-0 queue.',
    code: {
      layout: 'columns',
      columns: [
        { heading: 'The mistake', parts: [{ go: [goCode('unbuffered-deadlock.go', 'incorrectUnbuffered')], rust: [rustSnippet('unbuffered-queue/mistake')] }] },
        { heading: 'The fix', parts: [{ go: [goCode('unbuffered-deadlock.go', 'correctBuffered', 'correctSeparateGoroutines')], rust: [rustSnippet('unbuffered-queue/fix')] }] },
      ],
    },
    action: { kind: 'demonstrate', error: 'unbuffered-queue', failure: { happened: 'a deadlock', absent: 'no deadlock' } },
  },
  {
    id: 'waitgroup-misuse',
    title: 'Common error: wait-group misuse',
    section: 'Common Errors: Not Using WaitGroup Correctly',
    text: 'Three ways to get a WaitGroup wrong: wg.Add inside the goroutine races with wg.Wait, which may return before any work is done; a WaitGroup passed by value is a copy, so Wait never sees its Done; a Done skipped by an early return hangs Wait for ever. The pool counts its own workers, and join() is its wg.Wait().',
    lookFor: 'Try it makes all three mistakes on real threads (each hang bounded by a timeout), then joins a real pool.',
    code: {
      layout: 'columns',
      columns: [
        {
          heading: 'The mistake',
          parts: [
            { heading: 'wg.Add inside the goroutine', go: [goCode('waitgroup-misuse.go', 'incorrectWaitGroupRace')], rust: [rustSnippet('waitgroup-misuse/add-inside')] },
            { heading: 'A WaitGroup passed by value', go: [goCode('waitgroup-misuse.go', 'incorrectWorker', 'incorrectWaitGroupValue')], rust: [rustSnippet('waitgroup-misuse/copied')] },
            { heading: 'A forgotten Done', go: [goCode('waitgroup-misuse.go', 'incorrectForgotDone')], rust: [rustSnippet('waitgroup-misuse/missing-done')] },
          ],
        },
        {
          heading: 'The fix',
          parts: [{
            go: [goCode('waitgroup-misuse.go', 'correctWaitGroupTiming', 'correctWorker', 'correctWaitGroupPointer', 'correctAlwaysDefer')],
            rust: [rustSnippet('waitgroup-misuse/fix')],
          }],
        },
      ],
    },
    action: { kind: 'demonstrate', error: 'waitgroup-misuse', failure: { happened: 'Wait returned early or hung', absent: 'join() returned once every worker had exited' } },
  },
  {
    id: 'best-practices',
    title: 'Best practices, one by one',
    section: 'Best Practices Summary',
    text: 'The tutorial ends with a pool that follows fifteen numbered best practices. Each is listed below with its lines of Go and the Rust of this pool that does the same: most of them are not something to remember here, but something the pool does for you.',
    lookFor: 'Try it runs the tutorial\'s sizes (5 workers, a queue of 50) on 100 tasks of 50 to 150 ms with a 140 ms timeout, 5 % failures and 5 % panics: every task ends exactly once, as succeeded, failed, timed out or panicked.',
    code: { layout: 'practices', practices: bestPracticeList() },
    action: {
      kind: 'run',
      preset: { strategy: 'pool', workers: 5, queueCapacity: 50, tasks: 100, kind: 'sleep', sleepMin: 50, sleepMax: 150, timeoutMs: 140, failurePct: 5, panicPct: 5 },
    },
  },
];

/** Every piece of code the lessons show. */
export function lessonCode(lesson: Lesson): Code[] {
  const of = (part: CodePart) => [...part.go, ...part.rust];
  switch (lesson.code.layout) {
    case 'side-by-side': return of(lesson.code.part);
    case 'columns': return lesson.code.columns.flatMap((column) => column.parts.flatMap(of));
    case 'practices': return lesson.code.practices.flatMap((p) => ('why' in p.rust ? [p.go] : [p.go, p.rust]));
  }
}

const ids = (list: number[]) => (list.length > 12 ? `${list.slice(0, 12).map(count).join(', ')} and ${count(list.length - 12)} more` : list.map(count).join(', '));
const tasksText = (n: number) => `${count(n)} ${n === 1 ? 'task' : 'tasks'}`;

/** The traps lesson's report: what the run's summary shows, and the sentence those numbers make. */
export function explainTraps(summary: RunSummary): RunExplanation {
  const trapped = summary.threadFailures;
  const others = summary.tasks - trapped;
  const reason = summary.threadFailureReason;
  const observed: Record<string, Observed> = {
    tasks: summary.tasks,
    trapped,
    failed: summary.failed,
    threadFailureReason: reason ?? 'none',
    otherTasks: others,
    otherTasksSucceeded: summary.succeeded,
    peakThreads: summary.peakThreads,
  };
  if (trapped > 0 && trapped <= summary.failedTaskIds.length) observed.failedTaskIds = ids(summary.failedTaskIds);
  const died = reason?.startsWith('thread died') ?? false;
  observed.reasonSaysThreadDied = died;
  let detected: string;
  if (trapped === 0) {
    detected = `None of the ${tasksText(summary.tasks)} trapped this time, so no thread died; ${count(summary.succeeded)} of them succeeded.`;
  } else {
    const how = summary.failed !== trapped ? `they are ${count(trapped)} of the ${count(summary.failed)} that failed`
      : trapped === 1 ? 'it ended failed' : `all ${count(trapped)} ended failed`;
    const why = died ? `with the reason that the thread died (${trapped === 1 ? '' : 'the first: '}"${reason}")` : `but the summary gives no thread-died reason (${reason ?? 'none'})`;
    const rest = summary.succeeded === others
      ? `every one of the other ${tasksText(others)} succeeded`
      : `${count(summary.succeeded)} of the other ${tasksText(others)} succeeded and ${count(others - summary.succeeded)} did not`;
    detected = `${count(trapped)} of the ${tasksText(summary.tasks)} trapped and took down the thread that ran ${trapped === 1 ? 'it' : 'them'}; ${how}, ${why}. ` +
      `The run went on: ${rest}, on at most ${count(summary.peakThreads)} threads at once.`;
  }
  return {
    title: 'A trap kills its thread; the pool replaces the worker',
    symptom: 'In Go, recover() catches a panic but not a fatal error (concurrent map writes, running out of memory): the whole program dies with every goroutine, and every task still queued is lost.',
    detected,
    prevention: 'catch_unwind cannot catch a trap, but the thread\'s Web Worker sees it and runs the thread\'s death hooks: the pool\'s hook ends the task it was running failed with a "thread died" reason (a thread failure: never lost, never run twice) and frees its lane, and the pool starts a new worker there, so the queue keeps draining.',
    observed,
  };
}
