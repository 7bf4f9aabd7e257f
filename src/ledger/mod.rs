//! Usage quantities, counted in integers by the engine, and [`bill`], which prices them once.
//!
//! Merging usage is integer addition, so a parallel run equals a sequential run exactly.

mod bill;
pub mod rates;
mod stats;

use std::ops::AddAssign;

use crate::model::time::{HOUR, Micros, month_label, next_month_start};
use crate::model::{BillClass, StorageClass};

pub use bill::{Bill, Component, Line, bill};
pub use stats::{SimStats, VersionStats};

const NC: usize = StorageClass::COUNT;
const NB: usize = BillClass::COUNT;

/// The months a simulation bills: `bounds[i]..bounds[i + 1]` is month `i`; the first and last may
/// be partial (when the horizon starts or ends mid-month).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Months {
    pub bounds: Vec<Micros>,
}

impl Months {
    /// Calendar months covering `start..end` (start < end).
    pub fn new(start: Micros, end: Micros) -> Months {
        assert!(start < end, "empty horizon");
        let mut bounds = vec![start];
        let mut t = start;
        while t < end {
            t = next_month_start(t).min(end);
            bounds.push(t);
        }
        Months { bounds }
    }

    pub fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn start(&self) -> Micros {
        self.bounds[0]
    }

    pub fn end(&self) -> Micros {
        *self.bounds.last().expect("at least one bound")
    }

    /// The month index of an instant in `start..end`.
    pub fn index(&self, t: Micros) -> usize {
        debug_assert!(
            t >= self.start() && t < self.end(),
            "instant outside the horizon"
        );
        (self.bounds.partition_point(|&b| b <= t) - 1).min(self.len() - 1)
    }

    /// `YYYY-MM` of month `i`.
    pub fn label(&self, i: usize) -> String {
        month_label(self.bounds[i])
    }

    /// The hours of the whole calendar month `i` falls in (744 for March), the GB-month divisor.
    pub fn hours(&self, i: usize) -> u64 {
        let start = crate::model::time::month_start(self.bounds[i]);
        ((next_month_start(start) - start) / HOUR) as u64
    }

    /// Calls `f(month, duration)` for each piece of `from..to` cut at month boundaries.
    #[inline]
    pub fn split(&self, from: Micros, to: Micros, mut f: impl FnMut(usize, u128)) {
        if to <= from {
            return;
        }
        let mut i = self.index(from);
        let mut t = from;
        while t < to {
            let end = self.bounds[i + 1].min(to);
            f(i, (end - t) as u128);
            t = end;
            i += 1;
        }
    }
}

/// One month of usage. Durations are in microseconds, sizes in bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MonthUsage {
    /// [byte·µs] stored, by billing class (the archive's 8 KB overhead is under STANDARD).
    pub storage: [u128; NB],
    /// [byte·µs] charged for leaving a class before its minimum duration, by class left.
    pub early_delete: [u128; NB],
    /// [byte·µs] of restored temporary copies (billed at the STANDARD rate).
    pub restored_copy: u128,
    /// [byte·µs] of noncurrent object versions, by billing class (as `storage`).
    pub noncurrent: [u128; NB],
    /// [byte·µs] of delete markers (key-name bytes, billed at the STANDARD rate).
    pub delete_markers: u128,
    /// [byte·µs] of the parts of multipart uploads not yet completed or aborted, by the billing
    /// class of their rate (STANDARD for GLACIER and DEEP_ARCHIVE destinations: staging).
    pub mpu: [u128; NB],
    /// PUT, COPY, POST and LIST requests, by class written (LIST: STANDARD).
    pub requests_put: [u64; NC],
    /// GET and HEAD requests, by the object's class (missing keys: STANDARD).
    pub requests_get: [u64; NC],
    /// Lifecycle transitions, by destination class.
    pub transitions: [u64; NC],
    /// [bytes] read by GET from classes with a retrieval fee.
    pub retrieval: [u128; NC],
    /// Restore requests by archive class and tier.
    pub restore_requests: [[u64; 3]; NC],
    /// [bytes] restored by archive class and tier.
    pub restore_bytes: [[u128; 3]; NC],
    /// [object·µs] of Intelligent-Tiering objects that pay the monitoring fee.
    pub monitoring: u128,
    /// [bytes] transferred out to the internet by GET.
    pub egress: u128,
}

impl AddAssign<&MonthUsage> for MonthUsage {
    fn add_assign(&mut self, o: &MonthUsage) {
        fn add<T: AddAssign + Copy, const N: usize>(a: &mut [T; N], b: &[T; N]) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += *y;
            }
        }
        add(&mut self.storage, &o.storage);
        add(&mut self.early_delete, &o.early_delete);
        self.restored_copy += o.restored_copy;
        add(&mut self.noncurrent, &o.noncurrent);
        self.delete_markers += o.delete_markers;
        add(&mut self.mpu, &o.mpu);
        add(&mut self.requests_put, &o.requests_put);
        add(&mut self.requests_get, &o.requests_get);
        add(&mut self.transitions, &o.transitions);
        add(&mut self.retrieval, &o.retrieval);
        for c in 0..NC {
            add(&mut self.restore_requests[c], &o.restore_requests[c]);
            add(&mut self.restore_bytes[c], &o.restore_bytes[c]);
        }
        self.monitoring += o.monitoring;
        self.egress += o.egress;
    }
}

/// Usage of one simulation (one workload x one policy), month by month.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    pub months: Vec<MonthUsage>,
}

impl Usage {
    pub fn new(n_months: usize) -> Usage {
        Usage {
            months: vec![MonthUsage::default(); n_months],
        }
    }
}

impl AddAssign<&Usage> for Usage {
    fn add_assign(&mut self, o: &Usage) {
        assert_eq!(
            self.months.len(),
            o.months.len(),
            "usage of different horizons"
        );
        for (a, b) in self.months.iter_mut().zip(&o.months) {
            *a += b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::{DAY, date_micros};

    #[test]
    fn months_split_at_calendar_boundaries() {
        let m = Months::new(date_micros(2026, 1, 1), date_micros(2026, 4, 1));
        assert_eq!(m.len(), 3);
        assert_eq!((m.label(0), m.hours(0)), ("2026-01".to_string(), 744));
        assert_eq!(m.hours(1), 672);
        let mut pieces = Vec::new();
        m.split(date_micros(2026, 1, 31), date_micros(2026, 3, 2), |i, d| {
            pieces.push((i, d))
        });
        let day = DAY as u128;
        assert_eq!(pieces, vec![(0, day), (1, 28 * day), (2, day)]);
        assert_eq!(m.index(date_micros(2026, 2, 1)), 1);
        assert_eq!(m.index(date_micros(2026, 3, 31) + 5), 2);
    }

    #[test]
    fn partial_last_month_keeps_its_calendar_hours() {
        let m = Months::new(date_micros(2026, 1, 1), date_micros(2026, 2, 10));
        assert_eq!(m.len(), 2);
        assert_eq!(m.hours(1), 672);
        assert_eq!(m.end(), date_micros(2026, 2, 10));
    }
}
