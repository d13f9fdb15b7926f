//! The threads a demonstration starts itself (the tutorial's goroutines).
//! Each says where it is blocked, so that a leak or a deadlock is counted
//! from what the threads report, never assumed; the demonstration reads
//! them with atomic loads only (its caller is an event loop).

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use super::Env;

/// Not blocked (running, or not started yet).
const RUNNING: usize = 0;

struct Seat {
    name: &'static str,
    started: AtomicBool,
    alive: AtomicBool,
    /// `RUNNING`, or 1 + the index of the label it is blocked on.
    blocked_on: AtomicUsize,
    /// The job (or other number) the blocking call is about.
    about: AtomicU64,
}

/// A fixed set of named threads and what each is doing.
pub(crate) struct Crew {
    /// What a thread can be blocked on ("sending job", ...).
    labels: &'static [&'static str],
    seats: Vec<Seat>,
    alive: AtomicUsize,
    /// Counts every blocking call that returned: a crew that makes no
    /// progress for a while, every thread blocked, is deadlocked.
    progress: AtomicU64,
}

impl Crew {
    /// A crew of threads called `names`, blocking on `labels`.
    pub fn new(labels: &'static [&'static str], names: &[&'static str]) -> Arc<Crew> {
        Arc::new(Crew {
            labels,
            seats: names
                .iter()
                .map(|&name| Seat {
                    name,
                    started: AtomicBool::new(false),
                    alive: AtomicBool::new(false),
                    blocked_on: AtomicUsize::new(RUNNING),
                    about: AtomicU64::new(0),
                })
                .collect(),
            alive: AtomicUsize::new(0),
            progress: AtomicU64::new(0),
        })
    }

    /// Starts `body` as the thread in seat `seat`. A refused spawn drops
    /// `body` (and whatever channel ends it holds) and counts nothing.
    pub fn spawn(
        self: &Arc<Self>,
        env: &Env,
        seat: usize,
        body: impl FnOnce(&Member) + Send + 'static,
    ) -> Result<(), String> {
        let member = Member {
            crew: self.clone(),
            seat,
        };
        self.seats[seat].alive.store(true, Ordering::Release);
        self.alive.fetch_add(1, Ordering::AcqRel);
        let name = self.seats[seat].name;
        env.spawner
            .spawn(Box::new(move || {
                member.crew.seats[member.seat]
                    .started
                    .store(true, Ordering::Release);
                body(&member);
            }))
            .map_err(|e| format!("could not start a helper thread ({name}): {e}"))
    }

    /// Threads started and not yet returned (spawned ones not yet running count).
    pub fn alive(&self) -> usize {
        self.alive.load(Ordering::Acquire)
    }

    /// Threads that have begun running.
    pub fn started(&self) -> usize {
        self.seats
            .iter()
            .filter(|s| s.started.load(Ordering::Acquire))
            .count()
    }

    /// Live threads blocked in a call right now.
    pub fn blocked(&self) -> usize {
        self.seats
            .iter()
            .filter(|s| s.alive.load(Ordering::Acquire))
            .filter(|s| s.blocked_on.load(Ordering::Acquire) != RUNNING)
            .count()
    }

    /// Live threads blocked on `label` (an index into the crew's labels).
    pub fn blocked_on(&self, label: usize) -> usize {
        self.seats
            .iter()
            .filter(|s| s.alive.load(Ordering::Acquire))
            .filter(|s| s.blocked_on.load(Ordering::Acquire) == label + 1)
            .count()
    }

    /// Where each live thread is: "main: sending job 2; worker 1: ...".
    pub fn whereabouts(&self) -> String {
        let live: Vec<String> = self
            .seats
            .iter()
            .filter(|s| s.alive.load(Ordering::Acquire))
            .map(|s| match s.blocked_on.load(Ordering::Acquire) {
                RUNNING if !s.started.load(Ordering::Acquire) => {
                    format!("{}: not started yet", s.name)
                }
                RUNNING => format!("{}: running", s.name),
                label => format!(
                    "{}: blocked {} {}",
                    s.name,
                    self.labels[label - 1],
                    s.about.load(Ordering::Acquire)
                ),
            })
            .collect();
        if live.is_empty() {
            "no thread left".to_string()
        } else {
            live.join("; ")
        }
    }

    pub fn progress(&self) -> u64 {
        self.progress.load(Ordering::Acquire)
    }
}

/// The running thread's seat in its crew.
pub(crate) struct Member {
    crew: Arc<Crew>,
    seat: usize,
}

impl Member {
    /// Runs the blocking call `call`, shown meanwhile as blocked on `label`
    /// (an index into the crew's labels) `about` a number.
    pub fn blocked<R>(&self, label: usize, about: u64, call: impl FnOnce() -> R) -> R {
        let seat = &self.crew.seats[self.seat];
        seat.about.store(about, Ordering::Release);
        seat.blocked_on.store(label + 1, Ordering::Release);
        let returned = call();
        seat.blocked_on.store(RUNNING, Ordering::Release);
        self.crew.progress.fetch_add(1, Ordering::AcqRel);
        returned
    }
}

impl Drop for Member {
    /// The thread returned (or unwound): it no longer counts as alive.
    fn drop(&mut self) {
        let seat = &self.crew.seats[self.seat];
        seat.blocked_on.store(RUNNING, Ordering::Release);
        seat.alive.store(false, Ordering::Release);
        self.crew.alive.fetch_sub(1, Ordering::AcqRel);
    }
}

/// How long a counter has not moved: fed the counter at each poll.
pub(crate) struct Stall {
    last: Option<u64>,
    since_us: f64,
}

impl Stall {
    pub fn new() -> Stall {
        Stall {
            last: None,
            since_us: 0.0,
        }
    }

    /// How long (µs) `progress` has had this value, as of `now_us`.
    pub fn observe(&mut self, progress: u64, now_us: f64) -> f64 {
        if self.last != Some(progress) {
            self.last = Some(progress);
            self.since_us = now_us;
        }
        now_us - self.since_us
    }
}
