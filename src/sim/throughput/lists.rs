//! The memory layout of the request-rate model: the partition of each key, and each partition's
//! requests copied into one contiguous run, by a parallel counting sort (the only `unsafe` of the
//! model: disjoint writes from several threads, see [`SharedSlots`]).

use rayon::prelude::*;

use super::partition_of;
use crate::model::Op;
use crate::model::time::Micros;
use crate::prefetch::{AHEAD, prefetch};
use crate::workload::{Event, Workload};

/// The partition of each key, partitions sorted by name.
pub(super) struct Partitions<'a> {
    pub(super) names: Vec<&'a str>,
    pub(super) key_part: Vec<u32>,
}

impl<'a> Partitions<'a> {
    pub(super) fn of(w: &'a Workload, depth: Option<u32>) -> Partitions<'a> {
        // Distinct names first (few, usually), then each key's by a hash lookup.
        let mut ids: rustc_hash::FxHashMap<&'a str, u32> = rustc_hash::FxHashMap::default();
        let mut key_part: Vec<u32> = w
            .keys
            .iter()
            .map(|k| {
                let n = ids.len() as u32;
                *ids.entry(partition_of(k, depth)).or_insert(n)
            })
            .collect();
        let mut names: Vec<(&'a str, u32)> = ids.into_iter().collect();
        names.sort_unstable();
        let mut rank = vec![0u32; names.len()];
        for (i, &(_, id)) in names.iter().enumerate() {
            rank[id as usize] = i as u32;
        }
        key_part.par_iter_mut().for_each(|p| *p = rank[*p as usize]);
        Partitions {
            names: names.into_iter().map(|(n, _)| n).collect(),
            key_part,
        }
    }
}

/// A request as the replay needs it, copied out of the events so that each partition's requests
/// are contiguous in memory.
#[derive(Debug, Clone, Copy)]
pub(super) struct Request {
    pub(super) time: Micros,
    pub(super) row: u32,
    pub(super) write: bool,
    pub(super) get: bool,
}

/// Each partition's requests in (time, row) order: partition p's are `requests[start[p]..start[p +
/// 1]]`. Initial objects are not requests and are left out.
pub(super) struct RequestLists {
    /// Fewer than 2^32 requests, as events (`Workload::from_events`): u32 indices do.
    start: Vec<u32>,
    requests: Vec<Request>,
}

impl RequestLists {
    pub(super) fn of(w: &Workload, parts: &Partitions) -> RequestLists {
        let ev = &w.events;
        let in_order = ev
            .par_windows(2)
            .all(|p| (p[0].time, p[0].row) <= (p[1].time, p[1].row));
        let order: Option<Vec<u32>> = (!in_order).then(|| {
            let mut v: Vec<u32> = (0..ev.len() as u32).collect();
            v.par_sort_unstable_by_key(|&i| (ev[i as usize].time, ev[i as usize].row));
            v
        });
        let part =
            |e: &Event| (!e.op.is_initial()).then(|| parts.key_part[e.key as usize] as usize);
        // A counting sort by partition, in parallel over slices of the requests in order: each
        // slice counts its requests per partition, which gives it its own slots to fill.
        let n = order.as_ref().map_or(ev.len(), Vec::len);
        let at = |i: usize| match &order {
            Some(o) => &ev[o[i] as usize],
            None => &ev[i],
        };
        let slices: Vec<std::ops::Range<usize>> = {
            // At most 4 slices: their counts cost 4 bytes per partition each.
            let k = rayon::current_num_threads().clamp(1, 4);
            (0..k).map(|j| n * j / k..n * (j + 1) / k).collect()
        };
        let n_parts = parts.names.len();
        let mut counts: Vec<Vec<u32>> = slices
            .par_iter()
            .map(|r| {
                let mut c = vec![0u32; n_parts];
                for i in r.clone() {
                    if i + AHEAD < r.end {
                        prefetch(&parts.key_part, at(i + AHEAD).key as usize);
                    }
                    if let Some(p) = part(at(i)) {
                        c[p] += 1;
                    }
                }
                c
            })
            .collect();
        // Each slice's counts become, in place, its next slot in each partition.
        let mut start = vec![0u32; n_parts + 1];
        for p in 0..n_parts {
            let mut at = start[p];
            for c in counts.iter_mut() {
                let count = c[p];
                c[p] = at;
                at += count;
            }
            start[p + 1] = at;
        }
        let mut offsets = counts;
        // The invariant behind the unsafe writes, checked in debug builds: each slice fills
        // exactly its own slots of each partition (up to where the next slice's begin).
        #[cfg(debug_assertions)]
        let first_slots = offsets.clone();
        let total = start[n_parts] as usize;
        let mut requests: Vec<Request> = Vec::with_capacity(total);
        let out = SharedSlots(requests.spare_capacity_mut().as_mut_ptr());
        slices
            .par_iter()
            .zip(offsets.par_iter_mut())
            .for_each(|(r, next)| {
                for i in r.clone() {
                    if i + AHEAD < r.end {
                        prefetch(&parts.key_part, at(i + AHEAD).key as usize);
                    }
                    let e = at(i);
                    if let Some(p) = part(e) {
                        let q = Request {
                            time: e.time,
                            row: e.row,
                            write: e.op.is_write(),
                            get: e.op == Op::Get,
                        };
                        // SAFETY: slot next[p] lies in this slice's own range of partition p's
                        // slots (from the counts above), within the capacity; no other slice
                        // writes it, and each slot is written once.
                        unsafe { out.write(next[p] as usize, q) };
                        next[p] += 1;
                    }
                }
            });
        #[cfg(debug_assertions)]
        for p in 0..n_parts {
            for (j, filled) in offsets.iter().enumerate() {
                let end = first_slots.get(j + 1).map_or(start[p + 1], |next| next[p]);
                debug_assert_eq!(filled[p], end, "slice {j} filled partition {p}'s slots");
            }
        }
        // SAFETY: the slices together wrote every slot below start[n_parts] exactly once.
        unsafe { requests.set_len(total) };
        RequestLists { start, requests }
    }

    pub(super) fn of_partition(&self, p: u32) -> &[Request] {
        &self.requests[self.start[p as usize] as usize..self.start[p as usize + 1] as usize]
    }

    /// The number of partitions.
    pub(super) fn partitions(&self) -> usize {
        self.start.len() - 1
    }
}

/// Slots of a buffer that several threads fill, each its own disjoint set.
struct SharedSlots<T>(*mut std::mem::MaybeUninit<T>);

// SAFETY: used only to write disjoint slots from different threads (see its uses).
unsafe impl<T: Send> Sync for SharedSlots<T> {}

impl<T> SharedSlots<T> {
    /// # Safety
    /// `i` is within the buffer, and no other thread writes or reads slot `i` meanwhile.
    unsafe fn write(&self, i: usize, v: T) {
        unsafe { (*self.0.add(i)).write(v) };
    }
}
