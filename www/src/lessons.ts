// The tutorial's sections as lessons: a few sentences, the Go snippet and its
// Rust equivalent side by side, and "Try it": a preset loaded into the
// controls and run (or compared), or, for the common errors, a real
// demonstration on real threads through playground.demonstrate(). A run may
// be explained: a report in the shape of a demonstration's, its numbers
// observed in that run's summary and its sentence written from them. This
// module is the lessons' content and markup; views/lessons-view.ts does what
// "Try it" does.
import { definitionRow } from './dom';
import type { CommonError, CommonErrorReport, Observed, RunSummary } from 'wasm-worker-pool';
import type { Settings } from './config';
import { count } from './format';

/** What a try found: a demonstration's report, or one written from a run's summary. */
export type LessonReport = Omit<CommonErrorReport, 'error'>;

export type LessonAction =
  | { kind: 'run'; preset: Partial<Settings>; explain?: (summary: RunSummary) => LessonReport }
  | { kind: 'compare'; preset: Partial<Settings> }
  | { kind: 'demonstrate'; error: CommonError };

export interface Lesson {
  id: string;
  title: string;
  section: string;
  text: string;
  lookFor: string;
  go: string;
  rust: string;
  action: LessonAction;
}

export const LESSONS: readonly Lesson[] = [
  {
    id: 'unlimited-vs-pool',
    title: 'Unlimited goroutines vs a pool',
    section: 'Implementation Without Worker Pool · Control Comparison',
    text: 'Spawning one goroutine per task gives no control over how many run at once. In the browser the equivalent is one new Web Worker per task, and each one has to start, instantiate the module and get its own stack on the shared memory before its task can run. A fixed pool pays that once and reuses its workers.',
    lookFor: 'Try it runs the same 300 seeded tasks through all three strategies. Compare wall time, peak threads and worker start-up, and read what the memory figure does and does not include.',
    go: `// Wrong: one goroutine per task
for i := 1; i <= numTasks; i++ {
    wg.Add(1)
    go func(taskID int) {
        defer wg.Done()
        processTask(taskID)
    }(i)
}
wg.Wait()

// Right: a fixed pool fed by a buffered channel
jobs := make(chan Job, 100)
for w := 1; w <= numWorkers; w++ {
    wg.Add(1)
    go worker(w, jobs, results, &wg)
}`,
    rust: `// Wrong: one thread (a new Web Worker) per task
let config = SpawnPerTaskConfig {
    cap: None, // unbounded
    ..Default::default()
};
let run = SpawnPerTask::new(config, tasks, clock)?;

// Right: a fixed pool fed by a bounded queue
let config = PoolConfig {
    workers: 8,
    queue_capacity: 100,
    ..Default::default()
};
let pool = Pool::start(config, &spawner, clock)?;
for task in tasks {
    pool.submit(task)?; // blocks while full
}
pool.close(); // close(jobs)
for result in pool.results() { /* ... */ }`,
    action: { kind: 'compare', preset: { tasks: 300, workers: 8, kind: 'sleep', sleepMin: 5, sleepMax: 20, failurePct: 10, spawnCap: null } },
  },
  {
    id: 'connections',
    title: '10 workers sharing 3 connections',
    section: 'Real-World Example: Database Operations',
    text: 'Ten workers, but only three database connections: a worker that holds no connection waits for one. The pool bounds the work in flight, and a counting semaphore bounds the scarce resource, so the database never sees more than three queries at once.',
    lookFor: 'In the timeline, hatched light-blue bands are time spent waiting for a connection; the queue chart shows how many workers wait at once.',
    go: `func (cp *ConnectionPool) Acquire(ctx context.Context) (*DatabaseConnection, error) {
    select {
    case conn := <-cp.available:
        return conn, nil
    case <-ctx.Done():
        return nil, ctx.Err()
    }
}

conn, err := dwp.connPool.Acquire(dwp.ctx)
err = conn.Query(task.ID)
dwp.connPool.Release(conn)`,
    rust: `let config = PoolConfig {
    workers: 10,
    connections: Some(3),
    ..Default::default()
};
let pool = Pool::start(config, &spawner, clock)?;

pool.submit(Task::new(id, move |ctx| {
    // Waits for one of the 3 connections;
    // gives up on cancel or deadline.
    // The wait is recorded.
    let _conn = ctx.acquire_connection()?;
    query(id)
}))?; // released when _conn drops`,
    action: { kind: 'run', preset: { strategy: 'pool', workers: 10, connections: 3, tasks: 90, kind: 'sleep', sleepMin: 30, sleepMax: 70, failurePct: 0 } },
  },
  {
    id: 'cancel-timeout',
    title: 'Cancellation and timeouts',
    section: 'Advanced Worker Pool with Context',
    text: 'Every task sees a deadline (context.WithTimeout) and the run can be cancelled as a whole (context.WithCancel). Nothing is killed: tasks check their context and stop early, queued tasks end cancelled without running, and every task still ends exactly once.',
    lookFor: 'Tasks that sleep past 250 ms end "timed out" (orange, dotted). Press Cancel while it runs: the summary then shows the cancelled tasks, and the counts still add up.',
    go: `ctx, cancel := context.WithTimeout(context.Background(), timeout)
defer cancel()

select {
case <-wp.ctx.Done():
    return // cancelled
case task, ok := <-wp.tasks:
    if !ok { return }
    result := wp.processTask(id, task)
    select {
    case wp.results <- result:
    case <-wp.ctx.Done():
        return
    }
}`,
    rust: `let config = PoolConfig {
    workers: 3,
    task_timeout_ms: Some(250.0),
    ..Default::default()
};
let pool = Pool::start(config, &spawner, clock)?;

Task::new(id, |ctx| {
    // Err(TimedOut) past the deadline,
    // Err(Cancelled) after pool.cancel()
    ctx.sleep_ms(work_ms)?;
    Ok(format!("task {id} done"))
});

// queued tasks end Outcome::Cancelled
pool.cancel();`,
    action: { kind: 'run', preset: { strategy: 'pool', workers: 3, tasks: 30, kind: 'sleep', sleepMin: 0, sleepMax: 500, timeoutMs: 250, failurePct: 10 } },
  },
  {
    id: 'panics',
    title: 'Panics recovered',
    section: 'Best Practices: handle panics in workers',
    text: 'A panic in one task must not take its worker, or the whole pool, down with it. Each task runs inside catch_unwind (the wasm is built with panic=unwind): the panic becomes the task\'s result and the worker takes the next job.',
    lookFor: 'Panicked tasks are reddish purple with a cross-hatch. The summary lists their ids, and every worker keeps working to the end.',
    go: `func (bp *BestPracticeWorkerPool) worker(id int) {
    defer bp.wg.Done()
    for task := range bp.tasks {
        func() {
            defer func() {
                if r := recover(); r != nil {
                    bp.results <- Result{
                        TaskID: task.ID,
                        Err: fmt.Errorf("panic: %v", r),
                    }
                }
            }()
            bp.results <- bp.process(task)
        }()
    }
}`,
    rust: `// Inside the pool, around every task:
let run = AssertUnwindSafe(|| task.run(&ctx));
let outcome = match catch_unwind(run) {
    Ok(Ok(output)) =>
        Outcome::Succeeded { output },
    Ok(Err(TaskError::Failed(error))) =>
        Outcome::Failed { error },
    Ok(Err(TaskError::Interrupted(i))) =>
        /* TimedOut or Cancelled */,
    Err(payload) =>
        Outcome::Panicked { message: text(payload) },
};
// the worker lives on and takes the next job`,
    action: { kind: 'run', preset: { strategy: 'pool', workers: 5, tasks: 200, kind: 'sleep', sleepMin: 1, sleepMax: 10, failurePct: 5, panicPct: 10 } },
  },
  {
    id: 'traps',
    title: 'Traps: a worker that dies',
    section: 'Best Practices: handle panics in workers (and what recover cannot catch)',
    text: 'A panic unwinds, so it can be caught and its worker lives on (the lesson above). A WebAssembly trap (unreachable code, an out-of-bounds access, memory running out) does not unwind: it ends the thread at once, like a Go fatal error that recover() cannot catch. The task that trapped cannot be saved, but the run can: the pool sees its worker die, ends that task failed, saying the thread died, and starts a new worker in its place.',
    lookFor: 'Try it runs 200 tasks on 4 workers with a 5 % trap rate and no other failures, then reports from that run\'s summary how many tasks trapped, how they ended and what became of the rest. In the timeline the trapped tasks are striped (failed) bars.',
    go: `// recover() catches a panic...
defer func() {
    if r := recover(); r != nil {
        log.Printf("task %d: %v", task.ID, r)
    }
}()

// ...but not a fatal error: the whole process
// dies, every goroutine and every worker with it.
m := map[int]int{}
go func() { for { m[1] = 1 } }()
for { m[2] = 2 } // fatal error: concurrent map writes`,
    rust: `// A trap does not unwind: catch_unwind never
// returns, the Web Worker's thread is gone.
Task::new(id, |_ctx| {
    core::arch::wasm32::unreachable() // a trap
});

// The thread's death hook (run by its Web Worker)
// ends its task Outcome::Failed { error: "thread
// died: worker 2 died: RuntimeError: ..." }; with
// replace_dead_workers the pool starts a new
// worker in the lowest free lane, and goes on.
let config = PoolConfig {
    replace_dead_workers: true,
    ..Default::default()
};`,
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
    text: 'Workers that range over a channel wait for ever if nobody closes it: a goroutine leak, and a deadlock if anyone then calls wg.Wait().',
    lookFor: 'Try it runs a real pool whose queue is never closed, and reports what the runtime saw.',
    go: `jobs := make(chan int)
for w := 0; w < 5; w++ {
    wg.Add(1)
    go func(id int) {
        defer wg.Done()
        for job := range jobs { /* ... */ }
    }(w)
}
for i := 0; i < 10; i++ { jobs <- i }
// Wrong: close(jobs) forgotten: workers
// wait for ever, and wg.Wait() deadlocks`,
    rust: `let pool = Pool::start(config, &spawner, clock)?;
for task in tasks { pool.submit(task)?; }
// Forgot pool.close()? Dropping the pool
// cancels and joins its workers, so none
// is leaked. pool.stats() shows them idle
// and is_finished() stays false until
// close() or cancel().
pool.close(); // idempotent, never blocks
pool.join();`,
    action: { kind: 'demonstrate', error: 'queue-never-closed' },
  },
  {
    id: 'send-after-close',
    title: 'Common error: send after close',
    section: 'Common Errors: Sending on Closed Channel',
    text: 'In Go, a send on a closed channel panics, and with several senders it is easy to close too early.',
    lookFor: 'Try it closes a real pool and then submits to it.',
    go: `go func() {
    for i := 0; i < 5; i++ { jobs <- i }
    close(jobs)
}()
time.Sleep(50 * time.Millisecond)
jobs <- 999 // Wrong: panic: send on closed channel`,
    rust: `pool.close();
match pool.submit(Task::new(999, work)) {
    Ok(()) => {}
    // Right: an error that hands the task
    // back, never a panic
    Err(SubmitError::Closed(task)) =>
        retry_elsewhere(task),
    Err(SubmitError::Cancelled(task)) =>
        drop(task),
}`,
    action: { kind: 'demonstrate', error: 'send-after-close' },
  },
  {
    id: 'unbuffered-queue',
    title: 'Common error: an unbuffered queue nobody reads',
    section: 'Common Errors: Deadlock from Unbuffered Channels',
    text: 'An unbuffered channel hands a value over only when a receiver is ready. Send and receive in the same goroutine, or stop reading results, and everything blocks.',
    lookFor: 'Try it runs a rendezvous (capacity 0) queue for real and reports how the sender and the workers behaved.',
    go: `jobs := make(chan int)    // unbuffered
results := make(chan int) // unbuffered
for i := 0; i < 10; i++ {
    jobs <- i // Wrong: blocks, the workers
}             // are stuck sending results
close(jobs)
for i := 0; i < 10; i++ { <-results }`,
    rust: `// capacity 0: a rendezvous, like make(chan Job)
let config = PoolConfig {
    queue_capacity: 0,
    ..Default::default()
};
let pool = Pool::start(config, &spawner, clock)?;
// Results are unbounded: a worker never
// blocks on a slow reader. try_submit never
// blocks either:
if let Err(TrySubmitError::Full(task)) =
    pool.try_submit(task)
{
    // no worker is ready yet
}`,
    action: { kind: 'demonstrate', error: 'unbuffered-queue' },
  },
  {
    id: 'waitgroup-misuse',
    title: 'Common error: wait-group misuse',
    section: 'Common Errors: Not Using WaitGroup Correctly',
    text: 'wg.Add inside the goroutine races with wg.Wait; a WaitGroup passed by value is a copy; a forgotten Done hangs Wait for ever.',
    lookFor: 'Try it joins a real pool the wrong way and the right way, and reports what happened.',
    go: `for i := 0; i < 5; i++ {
    go func(id int) {
        wg.Add(1) // Wrong: races with wg.Wait()
        defer wg.Done()
        work(id)
    }(i)
}
wg.Wait() // may return at once

// Wrong: the WaitGroup is copied
func worker(id int, wg sync.WaitGroup) {
    defer wg.Done()
}`,
    rust: `// The pool counts its own workers: there is no Add or
// Done to forget. join() is the pool's wg.Wait():
pool.close();
pool.join(); // every worker has exited

// Calling join() from one of the pool's own tasks
// would wait for itself: it panics with a clear
// message instead of deadlocking.`,
    action: { kind: 'demonstrate', error: 'waitgroup-misuse' },
  },
];

const ids = (list: number[]) => (list.length > 12 ? `${list.slice(0, 12).map(count).join(', ')} and ${count(list.length - 12)} more` : list.map(count).join(', '));
const tasksText = (n: number) => `${count(n)} ${n === 1 ? 'task' : 'tasks'}`;

/** The traps lesson's report: what the run's summary shows, and the sentence those numbers make. */
export function explainTraps(summary: RunSummary): LessonReport {
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

/** Render the list; `onTry` runs a lesson. */
export function renderLessons(box: HTMLElement, onTry: (lesson: Lesson, button: HTMLButtonElement) => void): Map<string, HTMLElement> {
  const reports = new Map<string, HTMLElement>();
  box.replaceChildren();
  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', 'Lessons');
  const toc = document.createElement('ol');
  toc.className = 'lesson-toc';
  for (const lesson of LESSONS) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `#lesson-${lesson.id}`;
    a.textContent = lesson.title;
    li.append(a);
    toc.append(li);
  }
  nav.append(toc);
  box.append(nav);
  for (const lesson of LESSONS) {
    const article = document.createElement('article');
    article.className = 'lesson';
    article.id = `lesson-${lesson.id}`;
    article.tabIndex = -1;
    const h3 = document.createElement('h3');
    h3.textContent = lesson.title;
    const section = document.createElement('p');
    section.className = 'section';
    section.textContent = `Tutorial: ${lesson.section}`;
    const text = document.createElement('p');
    text.textContent = lesson.text;
    const code = document.createElement('div');
    code.className = 'code-pair';
    for (const [label, source] of [['Go', lesson.go], ['Rust', lesson.rust]] as const) {
      const figure = document.createElement('figure');
      const caption = document.createElement('figcaption');
      caption.textContent = label;
      const pre = document.createElement('pre');
      // Focusable so that a keyboard can scroll long lines; a named group, since a bare <pre> may not carry a name.
      pre.tabIndex = 0;
      pre.setAttribute('role', 'group');
      pre.setAttribute('aria-label', `${label} code`);
      const c = document.createElement('code');
      c.textContent = source;
      pre.append(c);
      figure.append(caption, pre);
      code.append(figure);
    }
    const look = document.createElement('p');
    look.className = 'look-for';
    look.textContent = lesson.lookFor;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'try';
    button.dataset.lesson = lesson.id;
    button.textContent = lesson.action.kind === 'compare' ? 'Try it: compare' : 'Try it';
    button.setAttribute('aria-describedby', look.id = `lesson-${lesson.id}-look`);
    button.addEventListener('click', () => onTry(lesson, button));
    const report = document.createElement('div');
    report.className = 'report';
    report.id = `report-${lesson.id}`;
    report.setAttribute('aria-live', 'polite');
    reports.set(lesson.id, report);
    article.append(h3, section, text, code, look, button, report);
    box.append(article);
  }
  return reports;
}

const label = (key: string) => key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()).toLowerCase().replace(/^./, (c) => c.toUpperCase());

/** A try's report: symptom, what was detected, how Rust prevents it, the raw numbers. */
export function renderReport(box: HTMLElement, report: LessonReport): void {
  box.replaceChildren();
  box.dataset.report = JSON.stringify(report);
  const h4 = document.createElement('h4');
  h4.textContent = report.title;
  const dl = document.createElement('dl');
  dl.className = 'report-list';
  for (const [term, text] of [['Symptom in Go', report.symptom], ['Detected just now', report.detected], ['How the Rust API prevents or reports it', report.prevention]]) {
    definitionRow(dl, term, text);
  }
  const table = document.createElement('table');
  table.className = 'observed';
  const caption = document.createElement('caption');
  caption.textContent = 'Observed';
  table.append(caption);
  const tbody = document.createElement('tbody');
  for (const [key, value] of Object.entries(report.observed)) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label(key);
    const td = document.createElement('td');
    td.textContent = typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(value);
    tr.append(th, td);
    tbody.append(tr);
  }
  table.append(tbody);
  box.append(h4, dl, table);
}
