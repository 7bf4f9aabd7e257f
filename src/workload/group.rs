//! Grouping events by key in place: a two-level American flag sort (an in-place radix sort on the
//! dense key ids), then a sort of each key's events by (time, row).
//!
//! In place, so a workload needs no second copy of its events (issue 6's memory bound). The first
//! level deals the events into up to [`BUCKETS`] equal ranges of key ids (ids are dealt by key
//! hash, so ranges usually hold similar numbers of events), so that each range's sort works
//! within the caches; the ranges are then sorted in parallel. The result, ordered by (key, time, row) with row unique, does not depend on the
//! number of threads.

use rayon::prelude::*;

use super::Event;
use crate::prefetch::{AHEAD, prefetch};

/// Key ranges of the first level.
const BUCKETS: usize = 256;
/// A range of at most this many events is sorted through a copy (32 MB at most per thread).
const SCRATCH: usize = 1 << 20;

/// Sorts `events` by (key, time, row); `n_keys` bounds the key ids.
pub fn group_in_place(events: &mut [Event], n_keys: usize) {
    if events.len() < 2 {
        return;
    }
    // Events per key, counted in parallel over slices.
    // At most 4 count arrays (16 bytes per key), whatever the number of threads.
    let k = rayon::current_num_threads().clamp(1, 4);
    let len = events.len();
    let counts: Vec<u32> = (0..k)
        .into_par_iter()
        .map(|j| {
            let mut c = vec![0u32; n_keys];
            let mine = &events[len * j / k..len * (j + 1) / k];
            for (i, e) in mine.iter().enumerate() {
                if let Some(ahead) = mine.get(i + AHEAD) {
                    prefetch(&c, ahead.key as usize);
                }
                c[e.key as usize] += 1;
            }
            c
        })
        .reduce_with(|mut a, b| {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            a
        })
        .unwrap_or_default();
    crate::timing::mark("    counted");
    // start[key]: the key's first slot.
    let mut start = Vec::with_capacity(n_keys + 1);
    let mut at = 0usize;
    start.push(0);
    for &c in &counts {
        at += c as usize;
        start.push(at);
    }
    drop(counts);
    // First level: equal ranges of key ids (ids are dealt by key hash, so ranges hold similar
    // numbers of events, and the bucket is a multiplication away).
    let buckets = BUCKETS.min(n_keys).max(1);
    let bucket_of = |key: u32| (u64::from(key) * buckets as u64 / n_keys as u64) as usize;
    let mut bounds: Vec<usize> = (0..buckets)
        .map(|b| (b * n_keys).div_ceil(buckets))
        .collect();
    bounds.push(n_keys);
    debug_assert!(
        (0..n_keys)
            .all(|k| (bounds[bucket_of(k as u32)]..bounds[bucket_of(k as u32) + 1]).contains(&k))
    );
    let slots: Vec<usize> = bounds.iter().map(|&key| start[key]).collect();
    // With several threads, halve the buckets first (a partition by streaming, in place), so that
    // each half is dealt by its own thread.
    let splits = rayon::current_num_threads()
        .next_power_of_two()
        .min(buckets);
    deal(events, &slots, 0, buckets, splits, &bucket_of);
    crate::timing::mark("    first level");
    // Second level: each range by key, in parallel; then each key's events by (time, row).
    let mut rest: &mut [Event] = events;
    let mut jobs = Vec::with_capacity(bounds.len() - 1);
    for w in bounds.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let (mine, tail) = rest.split_at_mut(start[hi] - start[lo]);
        rest = tail;
        jobs.push((lo, hi, mine));
    }
    jobs.into_par_iter().for_each(|(lo, hi, mine)| {
        let base = start[lo];
        let slots: Vec<usize> = start[lo..=hi].iter().map(|&s| s - base).collect();
        if mine.len() <= SCRATCH {
            // A counting sort through a copy: no chains of dependent loads, so it is faster.
            let copy = mine.to_vec();
            let mut next = slots;
            for e in copy {
                let k = e.key as usize - lo;
                mine[next[k]] = e;
                next[k] += 1;
            }
        } else {
            flag_sort(mine, &slots, |e| e.key as usize - lo);
        }
        for key in lo..hi {
            let s = &mut mine[start[key] - base..start[key + 1] - base];
            if !s.is_sorted_by_key(|e| (e.time, e.row)) {
                s.sort_unstable_by_key(|e| (e.time, e.row));
            }
        }
    });
}

/// Deals `v` (the events of buckets `lo..hi`, starting at slot `slots[lo]`) into its buckets,
/// split into `parts` halves, quarters... first, dealt in parallel.
fn deal(
    v: &mut [Event],
    slots: &[usize],
    lo: usize,
    hi: usize,
    parts: usize,
    bucket_of: &(impl Fn(u32) -> usize + Sync),
) {
    let base = slots[lo];
    if parts <= 1 || hi - lo < 2 {
        let local: Vec<usize> = slots[lo..=hi].iter().map(|&s| s - base).collect();
        flag_sort(v, &local, |e| bucket_of(e.key) - lo);
        return;
    }
    let mid = (lo + hi) / 2;
    let split = slots[mid] - base;
    // Swap the events of the upper buckets found below `split` with those of the lower buckets
    // found above it (their numbers are equal).
    let (left, right) = v.split_at_mut(split);
    let mut j = 0;
    for e in left.iter_mut().filter(|e| bucket_of(e.key) >= mid) {
        while bucket_of(right[j].key) >= mid {
            j += 1;
        }
        std::mem::swap(e, &mut right[j]);
        j += 1;
    }
    rayon::join(
        || deal(left, slots, lo, mid, parts / 2, bucket_of),
        || deal(right, slots, mid, hi, parts / 2, bucket_of),
    );
}

/// Permutes `v` in place so that bucket b's elements fill `v[slots[b]..slots[b + 1]]` (in no
/// particular order within a bucket). `slots` must hold each bucket's exact count.
fn flag_sort(v: &mut [Event], slots: &[usize], bucket: impl Fn(&Event) -> usize) {
    let n = slots.len() - 1;
    let mut head: Vec<usize> = slots[..n].to_vec();
    for b in 0..n {
        while head[b] < slots[b + 1] {
            let mut e = v[head[b]];
            let mut t = bucket(&e);
            while t != b {
                std::mem::swap(&mut e, &mut v[head[t]]);
                head[t] += 1;
                // The next visit to bucket t will want this line: fetch it now.
                prefetch(v, head[t] + 4);
                t = bucket(&e);
            }
            v[head[b]] = e;
            head[b] += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Op, StorageClass};

    fn ev(key: u32, time: i64, row: u32) -> Event {
        Event {
            time,
            size: 0,
            key,
            tags: 0,
            row,
            op: Op::Get,
            class: StorageClass::Standard,
            tier: 0,
        }
    }

    /// A small deterministic generator.
    fn lcg(x: &mut u64) -> u64 {
        *x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *x >> 33
    }

    #[test]
    fn equals_a_sort_by_key_time_row() {
        for (n, n_keys, seed) in [
            (0, 1, 1),
            (1, 1, 2),
            (5, 3, 3),
            (1000, 7, 4),
            (50_000, 3000, 5),
            (20_000, 20_000, 6),
            (30_000, 1, 7),
        ] {
            let mut x = seed;
            let mut v: Vec<Event> = (0..n)
                .map(|i| {
                    ev(
                        (lcg(&mut x) % n_keys) as u32,
                        (lcg(&mut x) % 50) as i64,
                        i as u32,
                    )
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|e| (e.key, e.time, e.row));
            for threads in [1, 3] {
                let mut got = v.clone();
                crate::workload::with_threads(threads, || {
                    group_in_place(&mut got, n_keys as usize)
                });
                assert_eq!(got, want, "n {n}, keys {n_keys}, threads {threads}");
            }
            // Keys that no event uses are fine too.
            group_in_place(&mut v, n_keys as usize + 10);
            assert_eq!(v, want);
        }
    }

    #[test]
    fn one_hot_key_among_many() {
        let mut x = 9;
        let mut v: Vec<Event> = (0..40_000)
            .map(|i| {
                let key = if i % 2 == 0 {
                    17
                } else {
                    (lcg(&mut x) % 5000) as u32
                };
                ev(key, (lcg(&mut x) % 1000) as i64, i)
            })
            .collect();
        let mut want = v.clone();
        want.sort_by_key(|e| (e.key, e.time, e.row));
        group_in_place(&mut v, 5000);
        assert_eq!(v, want);
    }
}
