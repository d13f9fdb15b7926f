//! WaitGroup misuse, on a wait group with Go's rules
//! ([`super::go::WaitGroup`]), three ways, run side by side:
//! - `Add` inside the goroutine: `Wait` returns while the work still runs.
//!   The bad interleaving is made certain: the goroutines call `Add` only
//!   once `Wait` has returned.
//! - the wait group copied into each goroutine: `Wait` never returns
//!   (detected by a timeout).
//! - `Done` missing on an early return: `Wait` never returns either.
//!
//! The fix: the pool counts its own workers, and `join` (here on a helper
//! thread) waits for exactly those.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use super::crew::Crew;
use super::go::WaitGroup;
use super::{observed, CommonError, CommonErrorReport, Env, Progress, VariantReport};
use crate::sync::Latch;
use crate::{Pool, Strategy, Task, TaskError, WorkerState};

const GOROUTINES: u64 = 5;
const COPIED: u64 = 3;
const WORK_MS: u64 = 20;
/// How long `Wait` may take before it counts as hung (the tutorial: 2 s).
const HANG_TIMEOUT_MS: f64 = 500.0;
/// How long everything may take.
const LIMIT_US: f64 = 20_000_000.0;
const POOL_WORKERS: usize = 5;
const POOL_TASKS: u64 = 10;

const WAITING_FOR_WAIT: usize = 0;
const LABELS: &[&str] = &["until Wait returned, goroutine"];
const NAMES: &[&str] = &[
    "waiter (add inside)",
    "goroutine 0",
    "goroutine 1",
    "goroutine 2",
    "goroutine 3",
    "goroutine 4",
    "waiter (copied)",
    "copy 0",
    "copy 1",
    "copy 2",
    "waiter (missing Done)",
    "early 0",
    "early 1",
    "early 2",
];

/// What the three mistakes showed (read once every thread returned).
#[derive(Default)]
pub(super) struct Seen {
    /// -1 until `Wait` returned; then how many goroutines were done.
    done_when_wait_returned: AtomicI64,
    goroutines_done: AtomicU64,
    copied_returned: AtomicBool,
    copied_counter_left: AtomicI64,
    missing_done_returned: AtomicBool,
    missing_done_counter_left: AtomicI64,
}

fn sleep_work() {
    std::thread::sleep(std::time::Duration::from_millis(WORK_MS));
}

fn add_inside_the_goroutine(env: &Env, crew: &Arc<Crew>, seen: &Arc<Seen>) -> Result<(), String> {
    let wait_returned = Arc::new(Latch::new(1));
    // snippet: waitgroup-misuse/add-inside
    let wg = Arc::new(WaitGroup::new());
    for i in 0..GOROUTINES {
        let (wg, seen, wait_returned) = (wg.clone(), seen.clone(), wait_returned.clone());
        crew.spawn(env, 1 + i as usize, move |me| {
            // (Made certain: this goroutine gets to Add only after Wait.)
            me.blocked(WAITING_FOR_WAIT, i, || wait_returned.wait());
            wg.add(1); // the mistake: Add inside the goroutine
            sleep_work();
            seen.goroutines_done.fetch_add(1, Ordering::AcqRel);
            wg.done();
        })?;
    }
    let (seen_by_waiter, clock) = (seen.clone(), env.clock.clone());
    crew.spawn(env, 0, move |_| {
        wg.wait_timeout(HANG_TIMEOUT_MS, &*clock); // returns at once: the count is 0
        let done = seen_by_waiter.goroutines_done.load(Ordering::Acquire);
        seen_by_waiter
            .done_when_wait_returned
            .store(done as i64, Ordering::Release);
        wait_returned.count_down();
    })?;
    // end snippet: waitgroup-misuse/add-inside
    Ok(())
}

fn copied_wait_group(env: &Env, crew: &Arc<Crew>, seen: &Arc<Seen>) -> Result<(), String> {
    // snippet: waitgroup-misuse/copied
    let wg = WaitGroup::new();
    for i in 0..COPIED {
        wg.add(1);
        let copy = wg.clone(); // Go: incorrectWorker(i, wg) copies it
        crew.spawn(env, 7 + i as usize, move |_| {
            sleep_work();
            copy.done(); // counts down the copy, not `wg`
        })?;
    }
    let (seen, clock) = (seen.clone(), env.clock.clone());
    crew.spawn(env, 6, move |_| {
        let returned = wg.wait_timeout(HANG_TIMEOUT_MS, &*clock);
        seen.copied_returned.store(returned, Ordering::Release);
        seen.copied_counter_left
            .store(wg.count(), Ordering::Release);
    })?;
    // end snippet: waitgroup-misuse/copied
    Ok(())
}

fn missing_done(env: &Env, crew: &Arc<Crew>, seen: &Arc<Seen>) -> Result<(), String> {
    // snippet: waitgroup-misuse/missing-done
    let wg = Arc::new(WaitGroup::new());
    for id in 0..COPIED {
        wg.add(1);
        let wg = wg.clone();
        crew.spawn(env, 11 + id as usize, move |_| {
            sleep_work();
            if id == 1 {
                return; // the mistake: an early return without Done
            }
            wg.done();
        })?;
    }
    let (seen, clock) = (seen.clone(), env.clock.clone());
    crew.spawn(env, 10, move |_| {
        let returned = wg.wait_timeout(HANG_TIMEOUT_MS, &*clock);
        seen.missing_done_returned
            .store(returned, Ordering::Release);
        seen.missing_done_counter_left
            .store(wg.count(), Ordering::Release);
    })?;
    // end snippet: waitgroup-misuse/missing-done
    Ok(())
}

/// What the fix's helper saw when `join` returned.
#[derive(Default)]
pub(super) struct Joined {
    returned: AtomicBool,
    exited: AtomicU64,
    completed: AtomicU64,
}

fn pool_counts_its_workers(
    env: &Env,
    helper: &Arc<Crew>,
    joined: &Arc<Joined>,
) -> Result<Arc<Pool>, String> {
    // snippet: waitgroup-misuse/fix
    let pool = env.start_pool(POOL_WORKERS, POOL_TASKS as usize)?;
    for id in 0..POOL_TASKS {
        pool.submit(Task::new(id, move |ctx| {
            ctx.sleep_ms(WORK_MS as f64)?;
            if id == 1 {
                // An early return: the pool counts the task anyway.
                return Err(TaskError::Failed("returned early".into()));
            }
            Ok(format!("task {id}"))
        }))
        .map_err(|e| e.to_string())?;
    }
    pool.close();
    let (waiting, joined) = (pool.clone(), joined.clone());
    helper.spawn(env, 0, move |_| {
        // No Add or Done to get wrong: the pool counted its workers when
        // it started them, and join() waits for exactly those.
        waiting.join();
        let stats = waiting.stats();
        let exited = stats
            .workers
            .iter()
            .filter(|w| matches!(w.state, WorkerState::Exited))
            .count();
        joined.exited.store(exited as u64, Ordering::Release);
        joined.completed.store(stats.completed(), Ordering::Release);
        joined.returned.store(true, Ordering::Release);
    })?;
    // end snippet: waitgroup-misuse/fix
    Ok(pool)
}

pub(super) enum Phase {
    Mistakes {
        crew: Arc<Crew>,
        seen: Arc<Seen>,
    },
    Fix {
        helper: Arc<Crew>,
        joined: Arc<Joined>,
        pool: Arc<Pool>,
    },
    Over,
}

pub(super) type State = Progress<Phase>;

pub(super) fn start(env: &Env) -> Result<State, String> {
    let crew = Crew::new(LABELS, NAMES);
    let seen = Arc::new(Seen {
        done_when_wait_returned: AtomicI64::new(-1),
        ..Seen::default()
    });
    add_inside_the_goroutine(env, &crew, &seen)?;
    copied_wait_group(env, &crew, &seen)?;
    missing_done(env, &crew, &seen)?;
    Ok(State {
        started_us: env.now_us(),
        phase: Phase::Mistakes { crew, seen },
        mistake: None,
    })
}

fn mistakes_report(seen: &Seen, left: usize) -> VariantReport {
    let done_at_return = seen.done_when_wait_returned.load(Ordering::Acquire);
    let returned_early = (0..GOROUTINES as i64).contains(&done_at_return);
    let copied_hung = !seen.copied_returned.load(Ordering::Acquire);
    let copied_left = seen.copied_counter_left.load(Ordering::Acquire);
    let missing_hung = !seen.missing_done_returned.load(Ordering::Acquire);
    let missing_left = seen.missing_done_counter_left.load(Ordering::Acquire);
    let mut parts = Vec::new();
    parts.push(if returned_early {
        format!("Add inside the goroutine: Wait returned with {done_at_return} of {GOROUTINES} goroutines done, while they were still to run")
    } else {
        format!("Add inside the goroutine: Wait returned only after all {GOROUTINES} were done")
    });
    parts.push(if copied_hung {
        format!("the copied WaitGroup: Wait had not returned after {HANG_TIMEOUT_MS:.0} ms, its counter still {copied_left} (every Done went to a copy)")
    } else {
        "the copied WaitGroup: Wait returned".to_string()
    });
    parts.push(if missing_hung {
        format!("the missing Done: Wait had not returned after {HANG_TIMEOUT_MS:.0} ms, its counter still {missing_left}")
    } else {
        "the missing Done: Wait returned".to_string()
    });
    VariantReport {
        happened: returned_early || copied_hung || missing_hung,
        verdict: format!("{}.", parts.join("; ")),
        observed: observed([
            ("goroutines", GOROUTINES.into()),
            ("addInsideReturnedEarly", returned_early.into()),
            (
                "doneWhenWaitReturned",
                (done_at_return.max(0) as u64).into(),
            ),
            ("copiedWaitGroupHung", copied_hung.into()),
            ("copiedCounterLeft", (copied_left as f64).into()),
            ("missingDoneHung", missing_hung.into()),
            ("missingDoneCounterLeft", (missing_left as f64).into()),
            ("hangTimeoutMs", HANG_TIMEOUT_MS.into()),
            ("threadsLeft", left.into()),
        ]),
    }
}

pub(super) fn step(s: &mut State, env: &Env) -> Result<Option<CommonErrorReport>, String> {
    let now = env.now_us();
    match std::mem::replace(&mut s.phase, Phase::Over) {
        Phase::Mistakes { crew, seen } => {
            if crew.alive() > 0 && now - s.started_us < LIMIT_US {
                s.phase = Phase::Mistakes { crew, seen };
                return Ok(None);
            }
            s.mistake = Some(mistakes_report(&seen, crew.alive()));
            let helper = Crew::new(LABELS, &["joiner"]);
            let joined = Arc::new(Joined::default());
            let pool = pool_counts_its_workers(env, &helper, &joined)?;
            s.phase = Phase::Fix {
                helper,
                joined,
                pool,
            };
            s.started_us = now;
            Ok(None)
        }
        Phase::Fix {
            helper,
            joined,
            pool,
        } => {
            if helper.alive() > 0 && now - s.started_us < LIMIT_US {
                s.phase = Phase::Fix {
                    helper,
                    joined,
                    pool,
                };
                return Ok(None);
            }
            let returned = joined.returned.load(Ordering::Acquire);
            let exited = joined.exited.load(Ordering::Acquire);
            let completed = joined.completed.load(Ordering::Acquire);
            let hung = !returned;
            let early = returned && (completed < POOL_TASKS || exited < POOL_WORKERS as u64);
            let verdict = if hung {
                format!("join() had not returned after {:.0} s.", LIMIT_US / 1e6)
            } else {
                format!(
                    "join() returned once {exited} of {POOL_WORKERS} workers had exited and {completed} of {POOL_TASKS} tasks had completed (task 1 returned early, and counted){}.",
                    if early { ": too early" } else { ": not a moment before" }
                )
            };
            let _ = pool;
            Ok(Some(CommonErrorReport {
                error: CommonError::WaitGroupMisuse,
                title: "WaitGroup misuse",
                symptom: "In Go, wg.Add inside the goroutine lets Wait return before the work is done; a WaitGroup passed by value is a copy, and a Done missing on an early return leaves Wait hanging for ever.",
                prevention: "There is no WaitGroup to misuse: the pool counts its own workers when it starts them, a worker counts itself out however it ends, and join() waits for exactly those.",
                mistake: s.mistake.take().ok_or("the fix ran before the mistake")?,
                fix: VariantReport {
                    happened: hung || early,
                    verdict,
                    observed: observed([
                        ("workers", POOL_WORKERS.into()),
                        ("tasks", POOL_TASKS.into()),
                        ("completed", completed.into()),
                        ("exitedWhenJoinReturned", exited.into()),
                        ("hung", hung.into()),
                    ]),
                },
            }))
        }
        Phase::Over => Err("the demonstration is over".into()),
    }
}
