//! Deadlock from unbuffered channels. The mistake: rendezvous jobs and
//! results, one thread sending every job before reading any result. The
//! demonstration watches the threads: when none has made progress for a
//! while and every one is blocked, that is the deadlock, shown with where
//! each thread waits; it then reads the results itself to break it, so that
//! every thread returns. The fix: the pool's results are its own (unbounded),
//! so the same sender on a rendezvous queue completes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crossbeam_channel::{bounded, Receiver};

use super::crew::{Crew, Stall};
use super::{observed, quick_task, CommonError, CommonErrorReport, Env, Progress, VariantReport};
use crate::{Pool, Strategy};

const JOBS: u64 = 10;
const WORKERS: usize = 2;
/// No progress for this long, every thread blocked: deadlocked.
const STALL_WINDOW_US: f64 = 300_000.0;
/// How long the threads may take to start and to return.
const LIMIT_US: f64 = 20_000_000.0;

const SENDING_A_JOB: usize = 0;
const SENDING_A_RESULT: usize = 1;
const WAITING_FOR_A_JOB: usize = 2;
const READING_A_RESULT: usize = 3;
const LABELS: &[&str] = &[
    "sending job",
    "sending the result of job",
    "in recv() after job",
    "reading result",
];
const NAMES: &[&str] = &["main", "worker 1", "worker 2"];

/// What the mistake's threads did.
#[derive(Default)]
pub(super) struct Seen {
    handed_over: AtomicU64,
    results_read: AtomicU64,
}

/// The tutorial's `incorrectUnbuffered`; returns a handle on the results
/// for the demonstration to break the deadlock with.
fn incorrect_unbuffered(
    env: &Env,
    crew: &Arc<Crew>,
    seen: &Arc<Seen>,
) -> Result<Receiver<u64>, String> {
    // snippet: unbuffered-queue/mistake
    let (jobs, queue) = bounded::<u64>(0); // unbuffered: make(chan int)
    let (results, results_rx) = bounded::<u64>(0);
    for worker in 1..=WORKERS {
        let (queue, results) = (queue.clone(), results.clone());
        crew.spawn(env, worker, move |me| {
            let mut last = 0;
            while let Ok(job) = me.blocked(WAITING_FOR_A_JOB, last, || queue.recv()) {
                // Blocks until someone reads the result.
                if me
                    .blocked(SENDING_A_RESULT, job, || results.send(job * 2))
                    .is_err()
                {
                    break;
                }
                last = job;
            }
        })?;
    }
    drop(results);
    let (main_results, seen_by_main) = (results_rx.clone(), seen.clone());
    crew.spawn(env, 0, move |me| {
        // Every job is sent before any result is read: the workers block
        // on their results, so nobody takes the third job.
        for job in 0..JOBS {
            if me.blocked(SENDING_A_JOB, job, || jobs.send(job)).is_err() {
                return;
            }
            seen_by_main.handed_over.fetch_add(1, Ordering::AcqRel);
        }
        drop(jobs); // close(jobs)
        for read in 0..JOBS {
            if me
                .blocked(READING_A_RESULT, read, || main_results.recv())
                .is_err()
            {
                break;
            }
            seen_by_main.results_read.fetch_add(1, Ordering::AcqRel);
        }
    })?;
    // end snippet: unbuffered-queue/mistake
    Ok(results_rx)
}

/// What the watch on the mistake's threads saw when it decided.
pub(super) struct Detection {
    deadlocked: bool,
    handed_over: u64,
    results_read: u64,
    blocked: usize,
    whereabouts: String,
}

pub(super) enum Phase {
    Mistake {
        crew: Arc<Crew>,
        seen: Arc<Seen>,
        results: Receiver<u64>,
        stall: Stall,
        /// What the watch saw once it decided (or the limit passed).
        detected: Option<Detection>,
        /// Results the demonstration read to break the deadlock.
        read_by_demo: u64,
    },
    Fix {
        pool: Arc<Pool>,
        submitter: Arc<Crew>,
        stall: Stall,
        stalled: bool,
    },
    Over,
}

pub(super) type State = Progress<Phase>;

pub(super) fn start(env: &Env) -> Result<State, String> {
    let crew = Crew::new(LABELS, NAMES);
    let seen = Arc::new(Seen::default());
    let results = incorrect_unbuffered(env, &crew, &seen)?;
    Ok(State {
        started_us: env.now_us(),
        phase: Phase::Mistake {
            crew,
            seen,
            results,
            stall: Stall::new(),
            detected: None,
            read_by_demo: 0,
        },
        mistake: None,
    })
}

/// The fix: the same sender, on the pool's rendezvous queue.
fn correct_pool(env: &Env, submitter: &Arc<Crew>) -> Result<Arc<Pool>, String> {
    // snippet: unbuffered-queue/fix
    let pool = env.start_pool(WORKERS, 0)?; // capacity 0: a rendezvous
    let feeding = pool.clone();
    submitter.spawn(env, 0, move |me| {
        // Every job before any result, as in the mistake: each submit
        // waits for a free worker (backpressure), and a worker never
        // waits on its result: the pool's results are unbounded.
        for job in 0..JOBS {
            if me
                .blocked(SENDING_A_JOB, job, || feeding.submit(quick_task(job)))
                .is_err()
            {
                break;
            }
        }
        feeding.close();
    })?;
    // end snippet: unbuffered-queue/fix
    Ok(pool)
}

pub(super) fn step(s: &mut State, env: &Env) -> Result<Option<CommonErrorReport>, String> {
    let now = env.now_us();
    match std::mem::replace(&mut s.phase, Phase::Over) {
        Phase::Mistake {
            crew,
            seen,
            results,
            mut stall,
            mut detected,
            mut read_by_demo,
        } => {
            if detected.is_none() {
                let stalled_for = stall.observe(crew.progress(), now);
                let all_blocked = crew.started() == NAMES.len() && crew.blocked() == crew.alive();
                let deadlocked = stalled_for >= STALL_WINDOW_US && all_blocked && crew.alive() > 0;
                let finished = crew.alive() == 0;
                if deadlocked || finished || now - s.started_us >= LIMIT_US {
                    detected = Some(Detection {
                        deadlocked,
                        handed_over: seen.handed_over.load(Ordering::Acquire),
                        results_read: seen.results_read.load(Ordering::Acquire),
                        blocked: crew.blocked(),
                        whereabouts: crew.whereabouts(),
                    });
                }
            }
            if detected.is_some() {
                // Break it: read the results nobody reads, until every
                // thread has returned.
                while results.try_recv().is_ok() {
                    read_by_demo += 1;
                }
                if crew.alive() == 0 || now - s.started_us >= LIMIT_US {
                    let Detection {
                        deadlocked,
                        handed_over,
                        results_read: read,
                        blocked,
                        whereabouts,
                    } = detected.take().expect("detected");
                    let verdict = if deadlocked {
                        format!(
                            "Deadlocked: after {handed_over} jobs were handed over, none of the {blocked} threads made progress for {:.0} ms, every one blocked ({whereabouts}). Results read by main: {read}. The demonstration then read the results itself ({read_by_demo}) and every thread returned: {} left.",
                            STALL_WINDOW_US / 1_000.0,
                            crew.alive()
                        )
                    } else {
                        format!("No deadlock: the threads kept making progress ({handed_over} jobs handed over, {read} results read by main).")
                    };
                    s.mistake = Some(VariantReport {
                        happened: deadlocked,
                        verdict,
                        observed: observed([
                            ("jobs", JOBS.into()),
                            ("jobsHandedOver", handed_over.into()),
                            ("resultsRead", read.into()),
                            ("blockedThreads", blocked.into()),
                            ("deadlocked", deadlocked.into()),
                            ("blockedAt", whereabouts.into()),
                            ("stallWindowMs", (STALL_WINDOW_US / 1_000.0).into()),
                            ("threadsLeft", crew.alive().into()),
                        ]),
                    });
                    let submitter = Crew::new(LABELS, &["main"]);
                    s.phase = Phase::Fix {
                        pool: correct_pool(env, &submitter)?,
                        submitter,
                        stall: Stall::new(),
                        stalled: false,
                    };
                    s.started_us = now;
                    return Ok(None);
                }
            }
            s.phase = Phase::Mistake {
                crew,
                seen,
                results,
                stall,
                detected,
                read_by_demo,
            };
            Ok(None)
        }
        Phase::Fix {
            pool,
            submitter,
            mut stall,
            mut stalled,
        } => {
            // Read before the stats, so that the stats of a finished pool are final.
            let over = submitter.alive() == 0 && pool.is_finished();
            let stats = pool.stats();
            let progress = stats.submitted + stats.completed();
            // The same watch as on the mistake: no progress for the window
            // before the work is done.
            stalled |= stall.observe(progress, now) >= STALL_WINDOW_US
                && stats.completed() < JOBS
                && submitter.started() == 1;
            if !over && now - s.started_us < LIMIT_US {
                s.phase = Phase::Fix {
                    pool,
                    submitter,
                    stall,
                    stalled,
                };
                return Ok(None);
            }
            let completed = stats.completed();
            let deadlocked = stalled || completed < JOBS;
            let verdict = if deadlocked {
                format!(
                    "The pool made no progress: {completed} of {JOBS} results after {:.0} ms.",
                    (now - s.started_us) / 1_000.0
                )
            } else {
                format!(
                    "No deadlock: the same sender handed all {JOBS} jobs to a capacity-0 queue without reading a result, the queue never held a task (high-water {}), and all {completed} results arrived.",
                    stats.queue_high_water
                )
            };
            Ok(Some(CommonErrorReport {
                error: CommonError::UnbufferedQueue,
                title: "Deadlock from unbuffered channels",
                symptom: "In Go, with unbuffered jobs and results channels, a goroutine that sends every job before reading any result deadlocks: the workers block sending results, nobody takes the next job (\"all goroutines are asleep\").",
                prevention: "The pool's results stream is unbounded and owned by the pool, so a worker never blocks delivering a result: a rendezvous queue gives backpressure, not deadlock.",
                mistake: s.mistake.take().ok_or("the fix ran before the mistake")?,
                fix: VariantReport {
                    happened: deadlocked,
                    verdict,
                    observed: observed([
                        ("jobs", JOBS.into()),
                        ("submitted", stats.submitted.into()),
                        ("completed", completed.into()),
                        ("queueHighWater", stats.queue_high_water.into()),
                        ("deadlocked", deadlocked.into()),
                    ]),
                },
            }))
        }
        Phase::Over => Err("the demonstration is over".into()),
    }
}
