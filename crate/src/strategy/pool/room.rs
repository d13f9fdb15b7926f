//! The queue's capacity, counted in tasks: a job may be a batch of several
//! tasks, so crossbeam's bound (in messages) cannot be the queue's.
//!
//! Submitters reserve places before they send and workers give them back as
//! they take jobs. A submitter of one task that finds no place waits for a
//! token on a one-place signal channel, which a worker sends when it frees a
//! place in a full queue. One token wakes one waiter; a waiter that leaves
//! while places are free passes a token on, so no waiter sleeps while a
//! place is free.
//!
//! A batch waits for room for all of it (taking places one at a time as
//! workers free them would refill a full queue with one task per job for
//! ever). Its submitter registers how many places it wants, and a worker
//! that frees places sends it a token of its own once that many are free.
//! The registration and the count are both sequentially consistent, so
//! either the worker sees the registration or the waiter sees the places.
//!
//! Not `sync::Semaphore`: that one takes a mutex per permit, and a submit
//! of one task here takes one compare-and-swap when there is room.

use std::sync::atomic::{AtomicUsize, Ordering};

use crossbeam_channel::{bounded, Receiver, Sender};

pub(crate) struct Room {
    capacity: usize,
    /// Tasks reserved or in the queue (never above `capacity`).
    queued: AtomicUsize,
    signal_tx: Sender<()>,
    signal_rx: Receiver<()>,
    /// Places the batch waiter waits for (0: none waits).
    batch_wants: AtomicUsize,
    batch_signal_tx: Sender<()>,
    batch_signal_rx: Receiver<()>,
}

/// The one batch submitter waiting for room; unregisters when dropped.
pub(crate) struct BatchWaiter<'a> {
    room: &'a Room,
}

impl BatchWaiter<'_> {
    /// A token means "look again".
    pub fn signal(&self) -> &Receiver<()> {
        &self.room.batch_signal_rx
    }
}

impl Drop for BatchWaiter<'_> {
    fn drop(&mut self) {
        self.room.batch_wants.store(0, Ordering::SeqCst);
    }
}

impl Room {
    /// Room for `capacity` tasks (at least 1: a rendezvous queue has none).
    pub fn new(capacity: usize) -> Room {
        debug_assert!(capacity > 0, "a rendezvous queue counts no room");
        let (signal_tx, signal_rx) = bounded(1);
        let (batch_signal_tx, batch_signal_rx) = bounded(1);
        Room {
            capacity,
            queued: AtomicUsize::new(0),
            signal_tx,
            signal_rx,
            batch_wants: AtomicUsize::new(0),
            batch_signal_tx,
            batch_signal_rx,
        }
    }

    /// Reserves up to `want` places (`want` ≥ 1); how many it got, 0 when
    /// the queue is full.
    pub fn reserve(&self, want: usize) -> usize {
        let mut got = 0;
        let _ = self
            .queued
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |queued| {
                got = want.min(self.capacity - queued);
                (got > 0).then_some(queued + got)
            });
        got
    }

    /// Reserves exactly `n` places, or none (`false`).
    pub fn reserve_exactly(&self, n: usize) -> bool {
        self.queued
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |queued| {
                (self.capacity - queued >= n).then_some(queued + n)
            })
            .is_ok()
    }

    /// Registers the batch waiter for `n` places; `None` if another batch
    /// submitter waits already (it then waits as a submitter of one).
    pub fn batch_waiter(&self, n: usize) -> Option<BatchWaiter<'_>> {
        debug_assert!(n > 0 && n <= self.capacity);
        self.batch_wants
            .compare_exchange(0, n, Ordering::SeqCst, Ordering::SeqCst)
            .ok()
            .map(|_| BatchWaiter { room: self })
    }

    /// Gives back `n` places: their tasks were taken, or never sent. Wakes a
    /// waiting submitter if the queue was full.
    pub fn release(&self, n: usize) {
        let before = self.queued.fetch_sub(n, Ordering::SeqCst);
        debug_assert!(before >= n, "room over-released");
        if before == self.capacity {
            let _ = self.signal_tx.try_send(());
        }
        let wants = self.batch_wants.load(Ordering::SeqCst);
        if wants > 0 && self.capacity - (before - n) >= wants {
            let _ = self.batch_signal_tx.try_send(());
        }
    }

    /// A waiter leaves: if places are free, the token it may have taken
    /// goes on to the next waiter.
    pub fn pass_on(&self) {
        if self.queued.load(Ordering::SeqCst) < self.capacity {
            let _ = self.signal_tx.try_send(());
        }
    }

    /// What a waiter selects on: a token means "look again".
    pub fn signal(&self) -> &Receiver<()> {
        &self.signal_rx
    }

    /// Tasks in the queue (and reserved by a send in progress).
    pub fn len(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn reserves_what_is_free_and_never_more() {
        let room = Room::new(10);
        assert_eq!(room.reserve(4), 4);
        assert_eq!(room.reserve(64), 6);
        assert_eq!(room.reserve(1), 0);
        assert_eq!(room.len(), 10);
        room.release(3);
        assert_eq!(room.reserve(5), 3);
    }

    #[test]
    fn freeing_a_full_queue_leaves_a_token() {
        let room = Room::new(2);
        assert_eq!(room.reserve(2), 2);
        room.release(1);
        assert!(room.signal().try_recv().is_ok());
        // Not full before: no token.
        room.release(1);
        assert!(room.signal().try_recv().is_err());
    }

    #[test]
    fn a_batch_waits_for_room_for_all_of_it() {
        let room = Room::new(4);
        assert!(room.reserve_exactly(3));
        assert!(!room.reserve_exactly(2));
        let waiter = room.batch_waiter(2).unwrap();
        // One batch waiter at a time.
        assert!(room.batch_waiter(1).is_none());
        room.release(1);
        assert!(waiter.signal().try_recv().is_ok());
        assert!(room.reserve_exactly(2));
        drop(waiter);
        room.release(3);
        assert!(
            room.batch_signal_rx.try_recv().is_err(),
            "nobody waits: no token"
        );
        assert!(room.batch_waiter(1).is_some());
    }

    /// A batch submitter and a worker freeing places one by one: the batch
    /// always gets room for all of it, and never sleeps through it.
    #[test]
    fn a_batch_waiter_never_sleeps_through_its_room() {
        const CAPACITY: usize = 8;
        const BATCHES: usize = 5_000;
        let room = Arc::new(Room::new(CAPACITY));
        let (taken_tx, taken_rx) = crossbeam_channel::unbounded::<()>();
        let submitter = {
            let room = room.clone();
            std::thread::spawn(move || {
                for i in 0..BATCHES {
                    let want = 2 + i % 5;
                    while !room.reserve_exactly(want) {
                        let waiter = room.batch_waiter(want).unwrap();
                        if room.reserve_exactly(want) {
                            break;
                        }
                        let _ = waiter.signal().recv();
                    }
                    assert!(room.len() <= CAPACITY);
                    for _ in 0..want {
                        taken_tx.send(()).unwrap();
                    }
                }
            })
        };
        let worker = {
            let room = room.clone();
            std::thread::spawn(move || taken_rx.iter().for_each(|()| room.release(1)))
        };
        submitter.join().unwrap();
        worker.join().unwrap();
        assert_eq!(room.len(), 0);
    }

    /// Submitters that wait on the signal and workers that free places, in
    /// many threads: nobody sleeps while a place is free (the test ends),
    /// and the count never exceeds the capacity.
    #[test]
    fn waiters_always_wake_while_places_are_free() {
        const CAPACITY: usize = 3;
        const PER_THREAD: usize = 20_000;
        let room = Arc::new(Room::new(CAPACITY));
        let (taken_tx, taken_rx) = crossbeam_channel::unbounded::<usize>();
        let submitters: Vec<_> = (0..3)
            .map(|t| {
                let (room, taken_tx) = (room.clone(), taken_tx.clone());
                std::thread::spawn(move || {
                    let mut left = PER_THREAD;
                    while left > 0 {
                        let got = room.reserve(1 + (left + t) % 2);
                        if got == 0 {
                            let _ = room.signal().recv();
                            room.pass_on();
                            continue;
                        }
                        assert!(room.len() <= CAPACITY);
                        left -= got.min(left);
                        taken_tx.send(got).unwrap();
                    }
                })
            })
            .collect();
        drop(taken_tx);
        let worker = {
            let room = room.clone();
            std::thread::spawn(move || {
                let mut total = 0;
                for got in taken_rx {
                    room.release(got);
                    total += got;
                }
                total
            })
        };
        for s in submitters {
            s.join().unwrap();
        }
        assert!(worker.join().unwrap() >= 3 * PER_THREAD);
        assert_eq!(room.len(), 0);
    }
}
