//! A queue never closed. The mistake: workers ranging over a channel whose
//! sender is never dropped stay blocked in `recv` once the work is done
//! (counted, then released by dropping the sender, so nothing really
//! leaks). The fix: the pool's `close` ends the queue and its workers leave.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crossbeam_channel::{bounded, Sender};

use super::crew::Crew;
use super::{observed, CommonError, CommonErrorReport, Env, Progress, VariantReport};
use crate::{Pool, Task};

const WORKERS: usize = 5;
const JOBS: u64 = 10;
/// How long the workers must still be there after the work is done to count
/// as leaked (the tutorial looks after 500 ms).
const LEAK_WINDOW_US: f64 = 300_000.0;
/// How long every worker may take to start (thread start-up on the web).
const START_LIMIT_US: f64 = 10_000_000.0;
/// How long released threads may take to return.
const LEAVE_LIMIT_US: f64 = 10_000_000.0;

const WAITING_FOR_A_JOB: usize = 0;
const LABELS: &[&str] = &["in recv() after job"];
const NAMES: &[&str] = &["worker 1", "worker 2", "worker 3", "worker 4", "worker 5"];

/// The tutorial's `incorrectWorkerPool`: the sender it returns is never
/// dropped while the workers run.
fn incorrect_worker_pool(
    env: &Env,
    crew: &Arc<Crew>,
    processed: &Arc<AtomicU64>,
) -> Result<Sender<u64>, String> {
    // snippet: queue-never-closed/mistake
    // A buffer for every job: this demo's caller is an event loop and
    // must not block on a send.
    let (jobs, queue) = bounded::<u64>(JOBS as usize);
    for worker in 0..WORKERS {
        let (queue, processed) = (queue.clone(), processed.clone());
        crew.spawn(env, worker, move |me| {
            let mut last = 0;
            // for job := range jobs { ... }: ends only when `jobs` is dropped.
            while let Ok(job) = me.blocked(WAITING_FOR_A_JOB, last, || queue.recv()) {
                processed.fetch_add(1, Ordering::AcqRel);
                last = job;
            }
        })?;
    }
    for job in 0..JOBS {
        jobs.send(job).map_err(|_| "no worker holds the queue")?;
    }
    // The mistake: `jobs` is kept and never dropped (Go: close(jobs) is
    // missing), so every worker waits in recv() for ever.
    // end snippet: queue-never-closed/mistake
    Ok(jobs)
}

/// The fix: the pool owns its queue; `close` ends it.
fn correct_worker_pool(env: &Env, processed: &Arc<AtomicU64>) -> Result<Arc<Pool>, String> {
    // snippet: queue-never-closed/fix
    let pool = env.start_pool(WORKERS, JOBS as usize)?;
    for job in 0..JOBS {
        let processed = processed.clone();
        pool.submit(Task::new(job, move |_ctx| {
            processed.fetch_add(1, Ordering::AcqRel);
            Ok(format!("job {job}"))
        }))
        .map_err(|e| e.to_string())?;
    }
    // Go: close(jobs). The workers drain the queue and leave; nothing
    // here waits for them (pool.join() would, where waiting is allowed).
    pool.close();
    // end snippet: queue-never-closed/fix
    Ok(pool)
}

pub(super) enum Phase {
    /// The workers run; `jobs` is held open.
    Mistake {
        crew: Arc<Crew>,
        jobs: Sender<u64>,
        processed: Arc<AtomicU64>,
        done_at_us: Option<f64>,
    },
    /// The leak was counted and the sender dropped: waiting for the threads.
    Released {
        crew: Arc<Crew>,
        leaked: usize,
        blocked: usize,
        processed: u64,
        released_at_us: f64,
    },
    Fix {
        pool: Arc<Pool>,
        processed: Arc<AtomicU64>,
        done_at_us: Option<f64>,
    },
    /// Reported (or failed).
    Over,
}

pub(super) type State = Progress<Phase>;

pub(super) fn start(env: &Env) -> Result<State, String> {
    let crew = Crew::new(LABELS, NAMES);
    let processed = Arc::new(AtomicU64::new(0));
    let jobs = incorrect_worker_pool(env, &crew, &processed)?;
    Ok(State {
        started_us: env.now_us(),
        phase: Phase::Mistake {
            crew,
            jobs,
            processed,
            done_at_us: None,
        },
        mistake: None,
    })
}

pub(super) fn step(s: &mut State, env: &Env) -> Result<Option<CommonErrorReport>, String> {
    let now = env.now_us();
    let phase = std::mem::replace(&mut s.phase, Phase::Over);
    s.phase = match phase {
        Phase::Mistake {
            crew,
            jobs,
            processed,
            done_at_us,
        } => {
            let processed_now = processed.load(Ordering::Acquire);
            let done_at = (processed_now >= JOBS).then(|| done_at_us.unwrap_or(now));
            let blocked = crew.blocked_on(WAITING_FOR_A_JOB);
            let looked = done_at.is_some_and(|at| {
                now - at >= LEAK_WINDOW_US
                    && (blocked == WORKERS || now - s.started_us >= START_LIMIT_US)
            });
            if !looked {
                s.phase = Phase::Mistake {
                    crew,
                    jobs,
                    processed,
                    done_at_us: done_at,
                };
                return Ok(None);
            }
            let leaked = crew.alive();
            // Release them: what close(jobs) would have done.
            drop(jobs);
            Phase::Released {
                crew,
                leaked,
                blocked,
                processed: processed_now,
                released_at_us: now,
            }
        }
        Phase::Released {
            crew,
            leaked,
            blocked,
            processed,
            released_at_us,
        } => {
            let left = crew.alive();
            if left > 0 && now - released_at_us < LEAVE_LIMIT_US {
                s.phase = Phase::Released {
                    crew,
                    leaked,
                    blocked,
                    processed,
                    released_at_us,
                };
                return Ok(None);
            }
            let window = LEAK_WINDOW_US / 1_000.0;
            s.mistake = Some(VariantReport {
                happened: leaked > 0,
                verdict: if leaked > 0 {
                    format!(
                        "All {processed} jobs were processed, yet {leaked} of the {WORKERS} workers were still alive {window:.0} ms later, {blocked} of them blocked in recv() on the open queue: leaked. Dropping the sender (Go: close) released them: {left} left."
                    )
                } else {
                    format!("All {processed} jobs were processed and no worker was left {window:.0} ms later: no leak this time.")
                },
                observed: observed([
                    ("workers", WORKERS.into()),
                    ("jobs", JOBS.into()),
                    ("processed", processed.into()),
                    ("leakedThreads", leaked.into()),
                    ("blockedInRecv", blocked.into()),
                    ("threadsLeftAfterRelease", left.into()),
                ]),
            });
            let processed = Arc::new(AtomicU64::new(0));
            Phase::Fix {
                pool: correct_worker_pool(env, &processed)?,
                processed,
                done_at_us: None,
            }
        }
        Phase::Fix {
            pool,
            processed,
            done_at_us,
        } => {
            let processed_now = processed.load(Ordering::Acquire);
            let done_at = (processed_now >= JOBS).then(|| done_at_us.unwrap_or(now));
            if !done_at.is_some_and(|at| now - at >= LEAK_WINDOW_US) {
                s.phase = Phase::Fix {
                    pool,
                    processed,
                    done_at_us: done_at,
                };
                return Ok(None);
            }
            // The same look as at the mistake: who is still there.
            let leaked = pool.live_workers();
            let window = LEAK_WINDOW_US / 1_000.0;
            let fix = VariantReport {
                happened: leaked > 0,
                verdict: if leaked == 0 {
                    format!(
                        "All {processed_now} jobs were processed and, {window:.0} ms later, none of the {WORKERS} workers was left: close() ended the queue and they returned."
                    )
                } else {
                    format!("All {processed_now} jobs were processed, yet {leaked} of the {WORKERS} workers were still alive {window:.0} ms after close().")
                },
                observed: observed([
                    ("workers", WORKERS.into()),
                    ("jobs", JOBS.into()),
                    ("processed", processed_now.into()),
                    ("leakedThreads", leaked.into()),
                    ("threadsLeft", leaked.into()),
                ]),
            };
            return Ok(Some(CommonErrorReport {
                error: CommonError::QueueNeverClosed,
                title: "A queue never closed",
                symptom: "In Go, workers ranging over a jobs channel that is never closed wait for ever: a goroutine leak that grows with every pool, and a deadlock if anyone calls wg.Wait().",
                prevention: "The pool owns its queue: close() ends it and the workers drain it and return, and dropping a pool without close() cancels it, so its workers leave on their own.",
                mistake: s.mistake.take().ok_or("the fix ran before the mistake")?,
                fix,
            }));
        }
        Phase::Over => return Err("the demonstration is over".into()),
    };
    Ok(None)
}
