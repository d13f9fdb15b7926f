//! Model checks of our own primitives with loom (every interleaving, within
//! loom's bounds). Run with:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --release -p wasm-worker-pool --lib loom
//! ```
//!
//! loom cannot model crossbeam-channel (it is not written against loom's
//! types), so the job queue and results channel are outside these models: what
//! is checked is the synchronisation the pool adds around them.

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;

use super::{CloseSlot, Flag, Latch, Semaphore};

/// close() racing with close() and cancel(): the side effects run once.
#[test]
fn loom_flag_is_set_exactly_once() {
    loom::model(|| {
        let flag = Arc::new(Flag::new());
        let winners = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (flag, winners) = (flag.clone(), winners.clone());
                thread::spawn(move || {
                    if flag.set() {
                        winners.fetch_add(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        if flag.set() {
            winners.fetch_add(1, Ordering::SeqCst);
        }
        for h in handles {
            h.join().unwrap();
        }
        assert!(flag.is_set());
        assert_eq!(winners.load(Ordering::SeqCst), 1);
    });
}

/// A token whose drop is counted: stands for the job-queue sender.
#[derive(Clone)]
struct Token(Arc<AtomicUsize>);

impl Drop for Token {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// submit (get a clone) racing with close and cancel (both close the slot):
/// the slot's value is taken exactly once, and a submitter either gets a
/// clone (and the value stays alive until it drops it) or sees it closed.
#[test]
fn loom_close_slot_closes_once_and_submitters_see_it() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let slot = Arc::new(CloseSlot::new(Token(drops.clone())));
        let closers: Vec<_> = (0..2)
            .map(|_| {
                let slot = slot.clone();
                thread::spawn(move || slot.close())
            })
            .collect();
        let submitter = {
            let slot = slot.clone();
            thread::spawn(move || slot.get().is_some())
        };
        let firsts = closers
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|&first| first)
            .count();
        let _got_clone = submitter.join().unwrap();
        assert_eq!(firsts, 1);
        assert!(slot.is_closed());
        assert!(slot.get().is_none());
        // The original was dropped by the closer; a submitter's clone (if
        // any) was dropped at the end of its thread.
        let drops = drops.load(Ordering::SeqCst);
        assert!(drops == 1 || drops == 2, "{drops}");
    });
}

/// Workers counting down while a joiner waits: join returns only after the
/// last count-down, and never misses the wake-up (loom reports a deadlock).
#[test]
fn loom_latch_join_wakes_after_the_last_worker() {
    loom::model(|| {
        let latch = Arc::new(Latch::new(2));
        let done = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (latch, done) = (latch.clone(), done.clone());
                thread::spawn(move || {
                    done.fetch_add(1, Ordering::SeqCst);
                    latch.count_down();
                })
            })
            .collect();
        latch.wait();
        assert!(latch.is_done());
        assert_eq!(done.load(Ordering::SeqCst), 2);
        for w in workers {
            w.join().unwrap();
        }
    });
}

/// A worker joining (`try_add`, a growing resize) while the last one counts
/// down: either the join is refused and the latch is done, or it is counted
/// and the latch is done only after the newcomer counts down too; a waiter
/// is released exactly then.
#[test]
fn loom_latch_join_races_the_last_count_down() {
    loom::model(|| {
        let latch = Arc::new(Latch::new(1));
        let last = {
            let latch = latch.clone();
            thread::spawn(move || latch.count_down())
        };
        let joined = latch.try_add();
        if joined {
            // The newcomer's own count-down.
            let newcomer = {
                let latch = latch.clone();
                thread::spawn(move || latch.count_down())
            };
            latch.wait();
            newcomer.join().unwrap();
        }
        last.join().unwrap();
        assert!(latch.is_done());
        assert!(!latch.try_add(), "nothing joins a done latch");
    });
}

/// is_finished (a poll) racing with the last count-down: once it says done,
/// every worker's writes before its count-down are visible.
#[test]
fn loom_latch_poll_sees_the_workers_writes() {
    loom::model(|| {
        let latch = Arc::new(Latch::new(1));
        let data = Arc::new(AtomicUsize::new(0));
        let worker = {
            let (latch, data) = (latch.clone(), data.clone());
            thread::spawn(move || {
                data.store(7, Ordering::Relaxed);
                latch.count_down();
            })
        };
        if latch.is_done() {
            assert_eq!(data.load(Ordering::Relaxed), 7);
        }
        worker.join().unwrap();
        assert!(latch.is_done());
    });
}

/// The tutorial's connections: 3 tasks share 2 permits; never more than 2
/// hold one, everyone gets one eventually, no wake-up is lost. (Four threads:
/// explored with a preemption bound of 3, loom's recommended way to keep
/// larger models tractable.)
#[test]
fn loom_semaphore_never_exceeds_its_permits() {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(|| {
        let sem = Arc::new(Semaphore::new(2));
        let holding = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..3)
            .map(|_| {
                let (sem, holding) = (sem.clone(), holding.clone());
                thread::spawn(move || {
                    sem.acquire(|| Ok::<_, ()>(None)).unwrap();
                    let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                    assert!(now <= 2, "{now} holders of 2 permits");
                    holding.fetch_sub(1, Ordering::SeqCst);
                    sem.release();
                })
            })
            .collect();
        for t in tasks {
            t.join().unwrap();
        }
        assert_eq!(sem.in_use(), 0);
        assert!(sem.peak_in_use() <= 2);
    });
}

/// cancel() while a task waits for the only connection: the waiter wakes
/// (no lost wake-up: loom would report a deadlock) and either gives up
/// cancelled or, if the holder released first, takes the permit.
#[test]
fn loom_semaphore_cancel_wakes_a_waiter() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        let cancelled = Arc::new(Flag::new());
        sem.acquire(|| Ok::<_, ()>(None)).unwrap(); // held by "another task"
        let waiter = {
            let (sem, cancelled) = (sem.clone(), cancelled.clone());
            thread::spawn(move || {
                let got = sem.acquire(|| {
                    if cancelled.is_set() {
                        Err("cancelled")
                    } else {
                        Ok(None)
                    }
                });
                if got.is_ok() {
                    sem.release();
                }
                got
            })
        };
        // cancel(): set the flag, then wake the waiters.
        cancelled.set();
        sem.wake_all();
        let got = waiter.join().unwrap();
        assert_eq!(got, Err("cancelled"));
        sem.release();
        assert_eq!(sem.in_use(), 0);
    });
}

/// A waiter that gives up (deadline) after a release's notify_one was
/// delivered to it passes the wake-up on: the other waiter still gets the
/// permit (loom reports a deadlock otherwise).
#[test]
fn loom_semaphore_giving_up_passes_the_wakeup_on() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        let gave_up = Arc::new(Flag::new());
        sem.acquire(|| Ok::<_, ()>(None)).unwrap();
        let quitter = {
            let (sem, gave_up) = (sem.clone(), gave_up.clone());
            thread::spawn(move || {
                let mut checks = 0;
                let got = sem.acquire(|| {
                    checks += 1;
                    // Gives up on its second look (its "deadline").
                    if checks > 1 {
                        Err(())
                    } else {
                        Ok(None)
                    }
                });
                if got.is_ok() {
                    sem.release();
                } else {
                    gave_up.set();
                }
            })
        };
        let patient = {
            let sem = sem.clone();
            thread::spawn(move || {
                sem.acquire(|| Ok::<_, ()>(None)).unwrap();
                sem.release();
            })
        };
        sem.release();
        quitter.join().unwrap();
        patient.join().unwrap();
        assert_eq!(sem.in_use(), 0);
    });
}

/// The deadline path: a waiter that may wait only so long (`Ok(Some(d))`,
/// `Condvar::wait_timeout`) while its deadline passes. loom's `wait_timeout`
/// never times out, so the timer firing is modelled by what follows it in
/// the run (the deadline is past, and a wake-up comes): the waiter must give
/// up `TimedOut`, never take the permit released after its deadline, and
/// never sleep through the wake (loom reports a deadlock).
#[test]
fn loom_semaphore_deadline_wait_gives_up_and_misses_no_wake() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        let deadline_passed = Arc::new(Flag::new());
        sem.acquire(|| Ok::<_, ()>(None)).unwrap();
        let waiter = {
            let (sem, deadline_passed) = (sem.clone(), deadline_passed.clone());
            thread::spawn(move || {
                sem.acquire(|| {
                    if deadline_passed.is_set() {
                        Err("timed out")
                    } else {
                        Ok(Some(std::time::Duration::from_millis(1)))
                    }
                })
            })
        };
        // The deadline passes, the timer wakes the waiter, then the holder
        // lets go of the permit.
        deadline_passed.set();
        sem.wake_all();
        sem.release();
        assert_eq!(waiter.join().unwrap(), Err("timed out"));
        assert_eq!(sem.in_use(), 0);
    });
}
