//! Send after close. The mistake, on a channel with Go's rules
//! ([`super::go::GoChan`]): one sender closes after its sends, another
//! sends later and panics, and a second close panics too (both caught and
//! shown). The tutorial's race is made certain: the late sender sends once
//! the channel is closed. The fix: `submit` after `close` returns
//! `Err(Closed)` with the task handed back, and a second `close` changes
//! nothing.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::crew::Crew;
use super::go::GoChan;
use super::{observed, quick_task, CommonError, CommonErrorReport, Env, Progress, VariantReport};
use crate::strategy::lock;
use crate::sync::Latch;
use crate::task::exec::panic_message;
use crate::{Pool, Strategy, SubmitError};

const JOBS: u64 = 5;
const LATE_JOB: u64 = 999;
/// How long the mistake's threads may take (sleeps of 20 ms per send).
const LIMIT_US: f64 = 20_000_000.0;

const WAITING_FOR_A_JOB: usize = 0;
const WAITING_FOR_THE_CLOSE: usize = 1;
const LABELS: &[&str] = &["in recv() after job", "until the channel is closed, job"];
const NAMES: &[&str] = &["worker", "sender", "late sender"];

/// What the mistake's threads saw (read once they have all returned).
#[derive(Default)]
pub(super) struct Seen {
    sent: AtomicU64,
    processed: AtomicU64,
    late_send_panic: Mutex<Option<String>>,
    second_close_panic: Mutex<Option<String>>,
}

/// Runs `f`, returning its panic's message if it panicked.
fn panic_of(f: impl FnOnce()) -> Option<String> {
    catch_unwind(AssertUnwindSafe(f)).err().map(panic_message)
}

fn incorrect_channel_usage(env: &Env, crew: &Arc<Crew>, seen: &Arc<Seen>) -> Result<(), String> {
    let closed = Arc::new(Latch::new(1));
    // snippet: send-after-close/mistake
    let jobs = Arc::new(GoChan::new()); // Go's rules: send after close panics
    let (queue, seen_by_worker) = (jobs.clone(), seen.clone());
    crew.spawn(env, 0, move |me| {
        let mut last = 0;
        while let Some(job) = me.blocked(WAITING_FOR_A_JOB, last, || queue.recv()) {
            seen_by_worker.processed.fetch_add(1, Ordering::AcqRel);
            std::thread::sleep(std::time::Duration::from_millis(10));
            last = job;
        }
    })?;
    // The sender closes after its sends...
    let (sender_jobs, seen_by_sender, closing) = (jobs.clone(), seen.clone(), closed.clone());
    crew.spawn(env, 1, move |_| {
        for i in 0..JOBS {
            sender_jobs.send(i);
            seen_by_sender.sent.fetch_add(1, Ordering::AcqRel);
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        sender_jobs.close();
        closing.count_down();
    })?;
    // ...and another sender does not know: it sends once the channel is
    // closed (the tutorial's race, made certain), and closes it again.
    let seen_late = seen.clone();
    crew.spawn(env, 2, move |me| {
        me.blocked(WAITING_FOR_THE_CLOSE, LATE_JOB, || closed.wait());
        *lock(&seen_late.late_send_panic) = panic_of(|| jobs.send(LATE_JOB));
        *lock(&seen_late.second_close_panic) = panic_of(|| jobs.close());
    })?;
    // end snippet: send-after-close/mistake
    Ok(())
}

/// What the fix observed.
pub(super) struct FixSeen {
    late_submit: String,
    handed_back: Option<u64>,
    second_close_changed: bool,
    panicked: bool,
}

fn correct_usage(pool: &Pool) -> Result<FixSeen, String> {
    // snippet: send-after-close/fix
    for id in 0..JOBS {
        pool.submit(quick_task(id)).map_err(|e| e.to_string())?;
    }
    pool.close();
    let mut handed_back = None;
    let mut late_submit = String::new();
    // A late submit is refused, the task handed back: no panic.
    let panicked_on_submit = panic_of(|| match pool.submit(quick_task(LATE_JOB)) {
        Err(SubmitError::Closed(task)) => {
            late_submit = "Err(Closed)".into();
            handed_back = Some(task.id);
        }
        Err(other) => late_submit = format!("Err({other})"),
        Ok(()) => late_submit = "Ok(()): accepted after close".into(),
    });
    // A second close is a no-op (Go's sync.Once around close).
    let before = (pool.is_closed(), pool.stats().submitted);
    let panicked_on_close = panic_of(|| pool.close());
    let after = (pool.is_closed(), pool.stats().submitted);
    // end snippet: send-after-close/fix
    Ok(FixSeen {
        late_submit,
        handed_back,
        second_close_changed: before != after,
        panicked: panicked_on_submit.is_some() || panicked_on_close.is_some(),
    })
}

pub(super) enum Phase {
    Mistake { crew: Arc<Crew>, seen: Arc<Seen> },
    Fix { pool: Arc<Pool>, seen: FixSeen },
    Over,
}

pub(super) type State = Progress<Phase>;

pub(super) fn start(env: &Env) -> Result<State, String> {
    let crew = Crew::new(LABELS, NAMES);
    let seen = Arc::new(Seen::default());
    incorrect_channel_usage(env, &crew, &seen)?;
    Ok(State {
        started_us: env.now_us(),
        phase: Phase::Mistake { crew, seen },
        mistake: None,
    })
}

fn mistake_report(seen: &Seen, left: usize) -> VariantReport {
    let sent = seen.sent.load(Ordering::Acquire);
    let processed = seen.processed.load(Ordering::Acquire);
    let late = lock(&seen.late_send_panic).clone();
    let second = lock(&seen.second_close_panic).clone();
    let verdict = match (&late, &second) {
        (Some(late), Some(second)) => format!(
            "The sender sent {sent} jobs and closed the channel; the worker processed {processed}. The late send of job {LATE_JOB} panicked (\"{late}\"), and so did closing it a second time (\"{second}\"): both panics were caught here."
        ),
        (Some(late), None) => format!("The late send of job {LATE_JOB} panicked (\"{late}\"), but a second close did not."),
        (None, _) => format!("The late send of job {LATE_JOB} did not panic: the channel was not closed when it was sent."),
    };
    let mut observed = observed([
        ("sent", sent.into()),
        ("processed", processed.into()),
        ("lateSendPanicked", late.is_some().into()),
        ("secondClosePanicked", second.is_some().into()),
        ("threadsLeft", left.into()),
    ]);
    if let Some(message) = late.clone() {
        observed.insert("panicMessage", message.into());
    }
    if let Some(message) = second {
        observed.insert("secondCloseMessage", message.into());
    }
    VariantReport {
        happened: late.is_some(),
        verdict,
        observed,
    }
}

pub(super) fn step(s: &mut State, env: &Env) -> Result<Option<CommonErrorReport>, String> {
    let now = env.now_us();
    match std::mem::replace(&mut s.phase, Phase::Over) {
        Phase::Mistake { crew, seen } => {
            if crew.alive() > 0 && now - s.started_us < LIMIT_US {
                s.phase = Phase::Mistake { crew, seen };
                return Ok(None);
            }
            s.mistake = Some(mistake_report(&seen, crew.alive()));
            let pool = env.start_pool(1, JOBS as usize)?;
            let seen = correct_usage(&pool)?;
            s.phase = Phase::Fix { pool, seen };
            Ok(None)
        }
        Phase::Fix { pool, seen } => {
            if !pool.is_finished() {
                s.phase = Phase::Fix { pool, seen };
                return Ok(None);
            }
            let stats = pool.stats();
            let refused = seen.handed_back == Some(LATE_JOB);
            let happened = seen.panicked || !refused;
            let verdict = if happened {
                format!(
                    "The submit after close returned {} and {} panic was seen.",
                    seen.late_submit,
                    if seen.panicked { "a" } else { "no" }
                )
            } else {
                format!(
                    "The submit after close returned {} and handed task {LATE_JOB} back; the second close changed {}; nothing panicked, and the {} tasks submitted before close all completed.",
                    seen.late_submit,
                    if seen.second_close_changed { "the pool's state" } else { "nothing" },
                    stats.completed()
                )
            };
            let mut observed = observed([
                ("submitted", stats.submitted.into()),
                ("completed", stats.completed().into()),
                ("lateSubmit", seen.late_submit.as_str().into()),
                ("secondCloseChanged", seen.second_close_changed.into()),
                ("panicked", seen.panicked.into()),
            ]);
            if let Some(id) = seen.handed_back {
                observed.insert("taskHandedBack", id.into());
            }
            Ok(Some(CommonErrorReport {
                error: CommonError::SendAfterClose,
                title: "Send after close",
                symptom: "In Go, sending on a closed channel panics (\"send on closed channel\"), and so does closing it twice; with several senders it is easy to close too early.",
                prevention: "Pool::submit returns Err(SubmitError::Closed(task)) after close, handing the task back, and close() is idempotent (Go's sync.Once around close).",
                mistake: s.mistake.take().ok_or("the fix ran before the mistake")?,
                fix: VariantReport {
                    happened,
                    verdict,
                    observed,
                },
            }))
        }
        Phase::Over => Err("the demonstration is over".into()),
    }
}
