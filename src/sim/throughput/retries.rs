//! A partition's pending retries: a binary heap while small, a calendar queue when flooded.

use super::MAX_BACKOFF;
use crate::model::time::Micros;

/// A pending retry: when, the scheduling order, the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Retry {
    pub(super) at: Micros,
    pub(super) seq: u64,
    pub(super) row: u32,
    pub(super) original: Micros,
    pub(super) attempt: u32,
    pub(super) write: bool,
    pub(super) get: bool,
}

/// Pending retries beyond which a partition's queue becomes a calendar queue (see [`Retries`]).
pub(super) const RING_AFTER: usize = 4096;
/// Calendar queue: a slot per 2^RING_SHIFT µs (1.024 ms) of retry time.
const RING_SHIFT: u32 = 10;
/// Calendar queue: slots, a power of two covering more than the longest backoff (20 s), so that
/// every pending retry has its own slot.
const RING_SLOTS: usize = ((MAX_BACKOFF >> RING_SHIFT) as usize + 2).next_power_of_two();

/// A partition's pending retries, taken in (time, seq) order.
///
/// The queue is a binary heap while it is small (no allocation at all for partitions never
/// throttled). A flooded partition can have millions pending, where each heap operation is a
/// chain of cache misses; past `ring_after` entries the queue becomes a calendar queue: a ring
/// of [`RING_SLOTS`] slots of 1.024 ms each, filled by appending (so each slot is in seq order),
/// and the current slot sorted. The order taken is the same as the heap's (the slot is a function
/// of the time, so ties in time are in one slot), only faster. It works because a retry is due
/// at most [`MAX_BACKOFF`] after the attempt that schedules it, and that attempt is never before
/// the retries already taken.
pub(super) struct Retries {
    /// Heap mode: every pending retry. Ring mode: those added to slot `cur` after it was sorted.
    heap: std::collections::BinaryHeap<std::cmp::Reverse<Retry>>,
    /// Ring mode: slot `cur`, sorted by (time, seq) descending (the next one last).
    front: Vec<Retry>,
    /// Ring mode: the other pending retries by slot (time >> RING_SHIFT, modulo RING_SLOTS), each
    /// slot in seq order; all in slots `cur + 1 ..= cur + RING_SLOTS - 1`. Empty in heap mode.
    ring: Vec<Vec<Retry>>,
    in_ring: usize,
    cur: i64,
    ring_after: usize,
}

impl Retries {
    /// What the queue holds allocated (tests: nothing for a partition never throttled).
    #[cfg(test)]
    pub(super) fn capacity(&self) -> usize {
        self.heap.capacity() + self.front.capacity() + self.ring.capacity()
    }

    pub(super) fn new(ring_after: usize) -> Retries {
        Retries {
            heap: std::collections::BinaryHeap::new(),
            front: Vec::new(),
            ring: Vec::new(),
            in_ring: 0,
            cur: 0,
            ring_after,
        }
    }

    fn slot(at: Micros) -> i64 {
        at >> RING_SHIFT
    }

    /// Schedules `r` (of the highest seq yet), from an attempt at `now`: not before the last
    /// retry taken, nor before the time the last `pop_before` was asked for, and `now <= r.at <=
    /// now + MAX_BACKOFF`.
    pub(super) fn push(&mut self, r: Retry, now: Micros) {
        debug_assert!(now <= r.at && r.at - now <= MAX_BACKOFF);
        if self.ring.is_empty() {
            self.heap.push(std::cmp::Reverse(r));
            if self.heap.len() > self.ring_after {
                self.become_ring(now);
            }
            return;
        }
        let s = Self::slot(r.at);
        debug_assert!(s >= self.cur && s - self.cur < RING_SLOTS as i64);
        if s <= self.cur {
            self.heap.push(std::cmp::Reverse(r));
        } else {
            self.ring[s as usize & (RING_SLOTS - 1)].push(r);
            self.in_ring += 1;
        }
    }

    /// Heap mode to ring mode, at `now`: every pending retry is due at `now` or later.
    fn become_ring(&mut self, now: Micros) {
        self.ring = vec![Vec::new(); RING_SLOTS];
        self.cur = Self::slot(now);
        let mut all: Vec<Retry> = std::mem::take(&mut self.heap)
            .into_vec()
            .into_iter()
            .map(|r| r.0)
            .collect();
        all.sort_unstable_by_key(|r| r.seq);
        for r in all {
            let s = Self::slot(r.at);
            debug_assert!(s >= self.cur && s - self.cur < RING_SLOTS as i64);
            if s <= self.cur {
                self.front.push(r);
            } else {
                self.ring[s as usize & (RING_SLOTS - 1)].push(r);
                self.in_ring += 1;
            }
        }
        self.front.sort_unstable_by(|a, b| b.cmp(a));
    }

    /// Takes the next pending retry if it is due before `t`.
    pub(super) fn pop_before(&mut self, t: Micros) -> Option<Retry> {
        loop {
            // The next: the first of the sorted slot or of the heap.
            let (from_front, at) = match (self.front.last(), self.heap.peek()) {
                (Some(f), Some(h)) if *f < h.0 => (true, f.at),
                (Some(f), None) => (true, f.at),
                (_, Some(h)) => (false, h.0.at),
                (None, None) => {
                    // Slot `cur` is done: the next slot, unless it begins at `t` or later (then
                    // nothing pending is due before `t`).
                    if self.in_ring == 0 || (self.cur + 1) << RING_SHIFT >= t {
                        return None;
                    }
                    self.cur += 1;
                    // Each slot's buffer is freed once sorted: reusing it for a later slot saves
                    // the kernel clearing new pages, but keeps its size (measured: 10M retries
                    // pending took 0.9 s less CPU time and 170 MB more memory).
                    let slot = std::mem::take(&mut self.ring[self.cur as usize & (RING_SLOTS - 1)]);
                    if !slot.is_empty() {
                        self.in_ring -= slot.len();
                        sort_slot(&slot, self.cur << RING_SHIFT, &mut self.front);
                    }
                    continue;
                }
            };
            if at >= t {
                return None;
            }
            let r = if from_front {
                self.front.pop().expect("peeked")
            } else {
                self.heap.pop().expect("peeked").0
            };
            if self.front.is_empty()
                && self.heap.is_empty()
                && self.in_ring == 0
                && !self.ring.is_empty()
            {
                // Empty: back to heap mode (a partition rarely throttled again stays cheap).
                self.ring = Vec::new();
                self.front = Vec::new();
            }
            return Some(r);
        }
    }
}

/// Sorts the retries of one calendar-queue slot (due in `[base, base + 2^RING_SHIFT)`, in seq
/// order) into `out` by (time, seq) descending: a counting sort by time, stable.
fn sort_slot(slot: &[Retry], base: Micros, out: &mut Vec<Retry>) {
    debug_assert!(slot.windows(2).all(|w| w[0].seq < w[1].seq));
    out.clear();
    out.extend_from_slice(slot);
    if slot.len() < 64 {
        out.sort_unstable_by(|a, b| b.cmp(a));
        return;
    }
    let mut next = [0u32; 1 << RING_SHIFT];
    for r in slot {
        next[(r.at - base) as usize] += 1;
    }
    let mut at = 0;
    for n in next.iter_mut().rev() {
        let count = *n;
        *n = at;
        at += count;
    }
    for r in slot.iter().rev() {
        let i = &mut next[(r.at - base) as usize];
        out[*i as usize] = *r;
        *i += 1;
    }
}
