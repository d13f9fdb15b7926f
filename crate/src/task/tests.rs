use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};

use super::exec::{classify, panic_message};
use super::*;
use crate::runtime::Clock;
use crate::sync::{Flag, Semaphore};

/// A clock the test moves by hand.
#[derive(Default)]
struct ManualClock(AtomicU64);

impl ManualClock {
    fn set(&self, us: f64) {
        self.0.store(us.to_bits(), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_us(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::SeqCst))
    }
}

#[test]
fn outcome_rules() {
    let ok = |s: &str| Ok(Ok(s.to_string()));
    assert_eq!(
        classify(ok("x"), 5.0, Some(10.0)),
        Outcome::Succeeded { output: "x".into() }
    );
    assert_eq!(classify(ok("x"), 11.0, Some(10.0)), Outcome::TimedOut);
    assert_eq!(
        classify(Ok(Err(TaskError::failed("e"))), 5.0, None),
        Outcome::Failed { error: "e".into() }
    );
    assert_eq!(
        classify(Ok(Err(TaskError::failed("e"))), 11.0, Some(10.0)),
        Outcome::TimedOut
    );
    assert_eq!(
        classify(Ok(Err(Interrupt::Cancelled.into())), 11.0, Some(10.0)),
        Outcome::Cancelled
    );
    assert_eq!(
        classify(Ok(Err(Interrupt::TimedOut.into())), 1.0, None),
        Outcome::TimedOut
    );
    let panicked = catch_unwind(|| -> Result<String, TaskError> { panic!("boom {}", 1) });
    assert_eq!(
        classify(panicked, 1.0, None),
        Outcome::Panicked {
            message: "boom 1".into()
        }
    );
}

#[test]
fn panic_payloads() {
    assert_eq!(panic_message(Box::new("static")), "static");
    assert_eq!(panic_message(Box::new(String::from("owned"))), "owned");
    assert_eq!(panic_message(Box::new(42u8)), "non-string panic payload");
}

#[test]
fn checkpoint_sees_cancel_and_deadline() {
    let clock = ManualClock::default();
    let cancelled = Flag::new();
    let ctx = TaskContext::new(3, 1, Some(100.0), &clock, Some(&cancelled), None, None);
    assert_eq!((ctx.task_id(), ctx.worker_id()), (3, 1));
    assert_eq!(ctx.checkpoint(), Ok(()));
    clock.set(100.0);
    assert_eq!(ctx.checkpoint(), Err(Interrupt::TimedOut));
    cancelled.set();
    assert!(ctx.is_cancelled());
    assert_eq!(ctx.checkpoint(), Err(Interrupt::Cancelled));
    assert_eq!(ctx.sleep_ms(1.0), Err(Interrupt::Cancelled));
}

#[test]
fn detached_context_is_never_interrupted() {
    let clock = ManualClock::default();
    let ctx = TaskContext::detached(9, &clock);
    assert!(!ctx.is_cancelled());
    assert_eq!(ctx.checkpoint(), Ok(()));
    assert_eq!(ctx.sleep_ms(0.0), Ok(()));
    let permit = ctx.acquire_connection().unwrap();
    assert!(!permit.is_limited());
    assert_eq!(ctx.connection_wait(), None);
}

#[test]
fn connection_wait_gives_up_at_the_deadline_and_is_recorded() {
    let clock = ManualClock::default();
    let sem = Semaphore::new(1);
    let holder = TaskContext::new(1, 0, None, &clock, None, Some(&sem), None);
    let held = holder.acquire_connection().unwrap();
    assert!(held.is_limited());
    assert_eq!(sem.in_use(), 1);
    // The waiter's deadline is already reached on the manual clock.
    clock.set(50.0);
    let waiter = TaskContext::new(2, 1, Some(40.0), &clock, None, Some(&sem), None);
    assert_eq!(
        waiter.acquire_connection().unwrap_err(),
        Interrupt::TimedOut
    );
    assert_eq!(waiter.connection_wait(), Some((50.0, 50.0)));
    drop(held);
    assert_eq!(sem.in_use(), 0);
    let again = waiter_without_deadline(&clock, &sem);
    assert_eq!(again, 1);
}

fn waiter_without_deadline(clock: &ManualClock, sem: &Semaphore) -> usize {
    let ctx = TaskContext::new(3, 0, None, clock, None, Some(sem), None);
    let _permit = ctx.acquire_connection().unwrap();
    sem.in_use()
}

#[test]
fn task_debug_and_direct_run() {
    let clock = ManualClock::default();
    let task = Task::new(5, |ctx| Ok(format!("ran {}", ctx.task_id())));
    assert_eq!(format!("{task:?}"), "Task { id: 5, .. }");
    let ctx = TaskContext::detached(5, &clock);
    assert_eq!(task.execute(&ctx).unwrap(), "ran 5");
    let _ = AssertUnwindSafe(());
}

#[test]
fn outcomes_have_one_order() {
    assert_eq!(Outcome::TimedOut.kind().name(), "timedOut");
    let order: Vec<&str> = OutcomeKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(
        order,
        ["succeeded", "failed", "panicked", "timedOut", "cancelled"]
    );
    assert!(OutcomeKind::ALL
        .iter()
        .enumerate()
        .all(|(i, k)| k.index() == i));
}
