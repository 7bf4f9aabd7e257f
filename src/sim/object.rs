//! The per-object state machine: storage accrual by class and month, lifecycle actions, early
//! deletion, restores and Intelligent-Tiering access tiers.

use super::{SimOptions, SimResult, SimStats};
use crate::ledger::{MonthUsage, Months, Usage};
use crate::model::rules::{
    ARCHIVE_OVERHEAD_AT_CLASS_RATE, ARCHIVE_OVERHEAD_AT_STANDARD_RATE, IT_ARCHIVE_INSTANT_AFTER,
    IT_INFREQUENT_AFTER, IT_MIN_MONITORED_SIZE, billable_size, min_storage_duration,
};
use crate::model::time::{DAY, Micros, ceil_midnight};
use crate::model::{BillClass, Op, RestoreTier, StorageClass, Versioning};
use crate::policy::it::{ARCHIVE_ACCESS_DAYS, DEEP_ARCHIVE_ACCESS_DAYS};
use crate::policy::{Action, ArchiveDays, Evaluator, Policy, Scheduled, Subject, resolve};
use crate::sim::throughput::Throughput;
use crate::workload::{ByKey, Event, Workload};

/// A restore of an Intelligent-Tiering object from an archive tier: the object stays billed in
/// `tier` until `complete`, then is in the Frequent tier, accessed then.
#[derive(Debug, Clone, Copy)]
pub(super) struct ItRestore {
    complete: Micros,
    tier: BillClass,
}

/// A restore of an archived object: the copy exists from `complete` until `expiry`.
#[derive(Debug, Clone, Copy)]
struct Restore {
    complete: Micros,
    expiry: Micros,
}

/// What an object version's stored bytes are billed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Current,
    Noncurrent,
    /// A delete marker (current or not): key-name bytes at the STANDARD rate.
    Marker,
}

/// One object version of a key (in an unversioned bucket, the key's only one).
#[derive(Debug, Clone)]
pub(super) struct Object {
    pub(super) size: u64,
    pub(super) class: StorageClass,
    pub(super) kind: Kind,
    /// When the version was written.
    pub(super) created: Micros,
    /// Tag set and version id (0: none) as the workload numbers them.
    pub(super) tags: u32,
    pub(super) vid: u32,
    /// The `null` version (written while versioning is suspended).
    pub(super) null: bool,
    /// When it entered its current class (for minimum durations).
    pub(super) class_since: Micros,
    /// Storage is counted up to here.
    pub(super) accrued_to: Micros,
    /// Last access, for Intelligent-Tiering tiers.
    pub(super) last_access: Micros,
    /// Next unapplied entry of the simulator's schedule (current versions).
    pub(super) next: usize,
    restore: Option<Restore>,
    /// Intelligent-Tiering (objects of 128 KB or more): the days without access after which the
    /// `--it-config` configurations move it to the archive tiers, and its restore from one.
    pub(super) it_days: ArchiveDays,
    it_restore: Option<ItRestore>,
}

/// The Intelligent-Tiering access tier of a monitored object at `t`: Frequent, Infrequent after
/// 30 days without access, Archive Instant after 90, then the archive tiers of its configurations
/// (Archive Access first; at 90 days it bypasses Archive Instant); during a restore, the tier it is
/// restored from.
pub(super) fn it_tier(o: &Object, t: Micros) -> BillClass {
    let mut last_access = o.last_access;
    if let Some(r) = o.it_restore {
        if t < r.complete {
            return r.tier;
        }
        last_access = r.complete;
    }
    let age = t - last_access;
    let days = |d: Option<u32>| d.map_or(Micros::MAX, |d| i64::from(d) * DAY);
    if age >= days(o.it_days.deep_archive) {
        BillClass::ItDeepArchiveAccess
    } else if age >= days(o.it_days.archive) {
        BillClass::ItArchiveAccess
    } else if age >= IT_ARCHIVE_INSTANT_AFTER {
        BillClass::ItArchiveInstant
    } else if age >= IT_INFREQUENT_AFTER {
        BillClass::ItInfrequent
    } else {
        BillClass::ItFrequent
    }
}

/// Leaves out of `due` the transitions `o` cannot take at `at` although its class allows them:
/// from the Archive Instant Access tier of Intelligent-Tiering only GLACIER_IR, GLACIER and
/// DEEP_ARCHIVE are reachable, not ONEZONE_IA.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
/// From Archive Access only GLACIER and DEEP_ARCHIVE, from Deep Archive Access only DEEP_ARCHIVE.
pub(super) fn drop_unreachable(o: &Object, at: Micros, due: &mut Vec<Action>) {
    if o.class != StorageClass::IntelligentTiering || o.size < IT_MIN_MONITORED_SIZE {
        return;
    }
    let keep: fn(StorageClass) -> bool = match it_tier(o, at) {
        BillClass::ItArchiveInstant => |c| c != StorageClass::OnezoneIa,
        BillClass::ItArchiveAccess => {
            |c| matches!(c, StorageClass::Glacier | StorageClass::DeepArchive)
        }
        BillClass::ItDeepArchiveAccess => |c| c == StorageClass::DeepArchive,
        _ => return,
    };
    due.retain(|a| match *a {
        Action::Transition(c) => keep(c),
        Action::Expire => true,
    });
}

/// What applying the due lifecycle actions did to a current version.
pub(super) enum Advanced {
    Alive,
    /// Its expiration fell due at this instant (nothing done yet).
    Expires(Micros),
}

/// Simulates the events of whole keys and keeps the usage ledger.
pub struct Simulator<'a> {
    pub(super) workload: &'a Workload,
    pub(super) policy: Evaluator<'a>,
    pub(super) opts: &'a SimOptions,
    pub(super) months: &'a Months,
    usage: Usage,
    pub(super) stats: SimStats,
    /// Lifecycle actions of the current object version that may apply, sorted by due time.
    pub(super) schedule: Vec<Scheduled>,
    pub(super) due: Vec<Action>,
    /// The key being simulated.
    pub(super) key: u32,
    /// Its open multipart uploads, and the ids of those aborted.
    pub(super) uploads: Vec<super::uploads::Upload>,
    pub(super) aborted_uploads: Vec<u32>,
    /// GETs' throttling delays by row, sorted.
    get_delays: &'a [(u32, u64)],
}

impl<'a> Simulator<'a> {
    pub fn new(
        workload: &'a ByKey,
        policy: &'a Policy,
        opts: &'a SimOptions,
        get_delays: &'a [(u32, u64)],
    ) -> Simulator<'a> {
        Simulator {
            workload,
            policy: Evaluator::new(policy),
            opts,
            months: &opts.months,
            usage: Usage::new(opts.months.len()),
            stats: SimStats::default(),
            schedule: Vec::new(),
            due: Vec::new(),
            key: 0,
            uploads: Vec::new(),
            aborted_uploads: Vec::new(),
            get_delays,
        }
    }

    /// Runs events sorted by (key, time, row); a key's events must not be split across calls.
    pub fn run(&mut self, events: &[Event]) {
        let mut start = 0;
        while start < events.len() {
            let key = events[start].key;
            let mut end = start + 1;
            while end < events.len() && events[end].key == key {
                end += 1;
            }
            self.run_key(&events[start..end]);
            start = end;
        }
    }

    pub fn finish(self) -> SimResult {
        SimResult {
            usage: self.usage,
            stats: self.stats,
        }
    }

    pub(super) fn month(&mut self, t: Micros) -> &mut MonthUsage {
        let i = self.months.index(t);
        &mut self.usage.months[i]
    }

    fn run_key(&mut self, events: &[Event]) {
        self.key = events[0].key;
        self.aborted_uploads.clear();
        if self.opts.versioning != Versioning::Off {
            self.run_key_versioned(events);
            return;
        }
        let mut obj: Option<Object> = None;
        for ev in events {
            let t = ev.time;
            if let Some(o) = obj.as_mut()
                && let Advanced::Expires(due) = self.advance(o, t)
            {
                self.stats.expirations += 1;
                self.end(o.clone(), due, true);
                obj = None;
            }
            if !self.uploads.is_empty() {
                self.advance_uploads(t);
            }
            match ev.op {
                Op::Put | Op::Copy | Op::Post | Op::Initial => {
                    if ev.op != Op::Initial {
                        self.month(t).requests_put[ev.class.index()] += 1;
                    }
                    if let Some(o) = obj.take() {
                        // An older version of an all-versions inventory: gone before the start.
                        let early = ev.op != Op::Initial || t >= self.months.start();
                        self.end(o, t, early);
                    }
                    obj = Some(self.create(ev));
                }
                // An all-versions inventory in an unversioned simulation: only current objects.
                Op::InitialMarker => {
                    if let Some(o) = obj.take() {
                        let early = t >= self.months.start();
                        self.end(o, t, early);
                    }
                }
                Op::MpuComplete => {
                    if let Some(o) = self.complete_upload(ev) {
                        if let Some(old) = obj.take() {
                            self.end(old, t, true);
                        }
                        obj = Some(o);
                    }
                }
                Op::MpuCreate | Op::MpuPart | Op::MpuAbort => self.upload_request(ev),
                Op::Get => {
                    let target = obj.as_mut();
                    self.get_request(target, ev);
                }
                Op::Head => match obj.as_ref() {
                    Some(o) => self.month(t).requests_get[o.class.index()] += 1,
                    None => self.missing(t, true),
                },
                Op::Delete => match obj.take() {
                    Some(o) => self.end(o, t, true),
                    None => self.missing(t, false),
                },
                Op::List => self.month(t).requests_put[StorageClass::Standard.index()] += 1,
            }
        }
        let end = self.months.end();
        if let Some(mut o) = obj {
            match self.advance(&mut o, end) {
                Advanced::Alive => self.end(o, end, false),
                Advanced::Expires(due) => {
                    self.stats.expirations += 1;
                    self.end(o, due, true);
                }
            }
        }
        self.finish_uploads();
    }

    /// A GET of `target` (None: the key or version is missing): requests, retrieval, restore
    /// wait and throttling delay.
    #[inline]
    pub(super) fn get_request(&mut self, target: Option<&mut Object>, ev: &Event) {
        self.stats.gets += 1;
        let throttled = if self.get_delays.is_empty() {
            0
        } else {
            Throughput::get_delay(self.get_delays, ev.row)
        };
        let restore = match target {
            Some(o) => self.get(o, ev),
            None => {
                self.missing(ev.time, true);
                0
            }
        };
        let wait = throttled + restore;
        if wait > 0 {
            self.stats.get_latencies.push(wait);
        }
    }

    /// A GET, HEAD or DELETE of a key that does not exist: billed at the STANDARD price (DELETE is free).
    pub(super) fn missing(&mut self, t: Micros, billed: bool) {
        self.stats.missing_key += 1;
        if billed {
            self.stats.missing_reads += 1;
            self.month(t).requests_get[StorageClass::Standard.index()] += 1;
        }
    }

    /// A new current version from a write (or an initial object): its lifecycle schedule.
    pub(super) fn create(&mut self, ev: &Event) -> Object {
        let vid = if self.opts.versioning == Versioning::Off {
            0
        } else {
            self.workload.created_id(ev.row)
        };
        self.create_object(ev, ev.size, ev.class, ev.tags, vid)
    }

    /// A new current version of `size` bytes in `class` written by `ev` (a write, an initial
    /// object or a multipart completion): its lifecycle schedule.
    pub(super) fn create_object(
        &mut self,
        ev: &Event,
        size: u64,
        class: StorageClass,
        tags: u32,
        vid: u32,
    ) -> Object {
        self.stats.objects_created += 1;
        let start = self.months.start();
        let mut last_access = ev.time;
        let mut it_days = ArchiveDays::default();
        if class == StorageClass::IntelligentTiering {
            it_days = self.archive_days(size, tags);
        }
        if ev.op == Op::Initial && class == StorageClass::IntelligentTiering {
            // An inventory row in an archive tier starts there; with no configuration that
            // archives it, it is taken to have one at the tier's minimum days (90, 180).
            let min = |r: &std::ops::RangeInclusive<i64>| *r.start() as u32;
            if ev.tier == 3 {
                it_days.archive = it_days.archive.or(Some(min(&ARCHIVE_ACCESS_DAYS)));
            }
            if ev.tier == 4 {
                it_days.deep_archive = it_days
                    .deep_archive
                    .or(Some(min(&DEEP_ARCHIVE_ACCESS_DAYS)));
            }
            let days = |d: Option<u32>| i64::from(d.unwrap_or_default()) * DAY;
            last_access = match ev.tier {
                1 => start - IT_INFREQUENT_AFTER,
                2 => start - IT_ARCHIVE_INSTANT_AFTER,
                3 => start - days(it_days.archive),
                4 => start - days(it_days.deep_archive),
                _ => start,
            };
        }
        let mut o = Object {
            size,
            class,
            kind: Kind::Current,
            created: ev.time,
            tags,
            vid,
            // Written while versioning is suspended; of an inventory, only a listed null version
            // (or an object listed without version ids).
            null: self.opts.versioning == Versioning::Suspended
                && (ev.op != Op::Initial || vid == 0 || self.names_null(vid)),
            class_since: ev.time,
            accrued_to: ev.time.max(start),
            last_access,
            next: 0,
            restore: None,
            it_days,
            it_restore: None,
        };
        // An object that predates the simulation: billed from the start, and lifecycle actions
        // already due then happen at the start (S3 acts on existing objects at its next run).
        let not_before = if ev.op == Op::Initial {
            start
        } else {
            Micros::MIN
        };
        self.schedule_current(&mut o, not_before);
        o
    }

    /// Computes the lifecycle schedule of `o`, the key's current version (actions due before
    /// `not_before` happen then).
    pub(super) fn schedule_current(&mut self, o: &mut Object, not_before: Micros) {
        let workload = self.workload;
        let subject = Subject {
            key: &workload.keys[self.key as usize],
            size: o.size,
            tags: &workload.tagsets[o.tags as usize],
            created: o.created,
            class: o.class,
        };
        if self
            .policy
            .schedule(&subject, not_before, self.months.end(), &mut self.schedule)
        {
            self.stats.small_not_transitioned += 1;
        }
        o.next = 0;
    }

    /// A delete marker written at `t` (by a DELETE or an expiration): its size is the key's
    /// length in bytes.
    pub(super) fn marker(&mut self, t: Micros) -> Object {
        let size = self.workload.keys[self.key as usize].len() as u64;
        Object {
            size,
            class: StorageClass::Standard,
            kind: Kind::Marker,
            created: t,
            tags: 0,
            vid: 0,
            null: self.opts.versioning == Versioning::Suspended,
            class_since: t,
            accrued_to: t.max(self.months.start()),
            last_access: t,
            next: 0,
            restore: None,
            it_days: ArchiveDays::default(),
            it_restore: None,
        }
    }

    /// The `--it-config` archive days of an object of the key being simulated (none under
    /// 128 KB: not monitored).
    fn archive_days(&self, size: u64, tags: u32) -> ArchiveDays {
        let configs = &self.opts.it_configs;
        if configs.is_empty() || size < IT_MIN_MONITORED_SIZE {
            return ArchiveDays::default();
        }
        let w = self.workload;
        configs.archive_days(&w.keys[self.key as usize], &w.tagsets[tags as usize])
    }

    /// Applies the lifecycle transitions of a current version due up to `t` (inclusive, before the
    /// horizon's end); stops at its expiration, which the caller applies.
    pub(super) fn advance(&mut self, o: &mut Object, t: Micros) -> Advanced {
        let horizon = self.months.end();
        while o.next < self.schedule.len() {
            let due = self.schedule[o.next].due;
            if due > t || due >= horizon {
                break;
            }
            self.due.clear();
            while o.next < self.schedule.len() && self.schedule[o.next].due == due {
                self.due.push(self.schedule[o.next].action);
                o.next += 1;
            }
            drop_unreachable(o, due, &mut self.due);
            match resolve(o.class, &self.due) {
                Some(Action::Expire) => return Advanced::Expires(due),
                Some(Action::Transition(to)) => {
                    if self.opts.trace {
                        let key = self.key;
                        self.stats.transition_log.push((key, due, o.class, to));
                    }
                    self.transition(o, due, to)
                }
                None => {}
            }
        }
        Advanced::Alive
    }

    pub(super) fn transition(&mut self, o: &mut Object, t: Micros, to: StorageClass) {
        self.accrue(o, t);
        self.leave_class(o, t);
        self.flush_restore(o, t);
        self.stats.transitions += 1;
        self.month(t).transitions[to.index()] += 1;
        o.class = to;
        o.class_since = t;
        o.last_access = t;
        o.it_restore = None;
        o.it_days = if to == StorageClass::IntelligentTiering {
            self.archive_days(o.size, o.tags)
        } else {
            ArchiveDays::default()
        };
    }

    /// The object ends at `t` (delete, overwrite, expiration, or the horizon when `early` is false).
    pub(super) fn end(&mut self, mut o: Object, t: Micros, early: bool) {
        self.accrue(&mut o, t);
        if early {
            self.leave_class(&o, t);
        }
        self.flush_restore(&mut o, t);
    }

    /// Early-deletion charge for leaving the class before its minimum storage duration, as usage
    /// of the month the object leaves in, on the size billed at the class's rate.
    fn leave_class(&mut self, o: &Object, t: Micros) {
        // Markers have no minimum duration; before the start nothing is billed.
        if o.kind == Kind::Marker || t < self.months.start() {
            return;
        }
        let min = min_storage_duration(o.class);
        let stayed = t - o.class_since;
        debug_assert!(stayed >= 0, "an object leaves its class before entering it");
        if min > 0 && (0..min).contains(&stayed) {
            let bytes = billable_size(o.class, o.size) as u128;
            let remaining = (min - stayed) as u128;
            let bc = BillClass::of(o.class).index();
            self.month(t).early_delete[bc] += bytes * remaining;
        }
    }

    /// Counts storage from `o.accrued_to` to `t` in the object's class (current versions under
    /// `storage`, noncurrent ones under `noncurrent`, delete markers under `delete_markers`).
    pub(super) fn accrue(&mut self, o: &mut Object, t: Micros) {
        let from = o.accrued_to;
        if t <= from {
            return;
        }
        o.accrued_to = t;
        let months = self.months;
        let usage = &mut self.usage.months;
        let kind = o.kind;
        if kind == Kind::Marker {
            let bytes = o.size as u128;
            months.split(from, t, |m, d| usage[m].delete_markers += bytes * d);
            return;
        }
        let mut add = |bc: BillClass, bytes: u64, a: Micros, b: Micros| {
            months.split(a, b, |m, d| {
                let to = match kind {
                    Kind::Noncurrent => &mut usage[m].noncurrent,
                    _ => &mut usage[m].storage,
                };
                to[bc.index()] += bytes as u128 * d
            });
        };
        match o.class {
            // Without archive tiers (no `--it-config` matches it): the three automatic tiers.
            StorageClass::IntelligentTiering
                if o.size >= IT_MIN_MONITORED_SIZE && o.it_days.is_none() =>
            {
                let ia = o.last_access + IT_INFREQUENT_AFTER;
                let aia = o.last_access + IT_ARCHIVE_INSTANT_AFTER;
                add(BillClass::ItFrequent, o.size, from, t.min(ia));
                add(BillClass::ItInfrequent, o.size, from.max(ia), t.min(aia));
                add(BillClass::ItArchiveInstant, o.size, from.max(aia), t);
                months.split(from, t, |m, d| usage[m].monitoring += d);
            }
            StorageClass::IntelligentTiering if o.size >= IT_MIN_MONITORED_SIZE => {
                let monitored_from = from;
                // (tier, from, to): a restore under way keeps the object in the tier it is
                // restored from; then the tiers follow the last access.
                let mut spans: [(BillClass, Micros, Micros); 6] =
                    [(BillClass::ItFrequent, 0, 0); 6];
                let mut from = from;
                if let Some(r) = o.it_restore {
                    spans[0] = (r.tier, from, t.min(r.complete));
                    if t >= r.complete {
                        o.it_restore = None;
                        o.last_access = r.complete;
                        from = r.complete;
                    } else {
                        from = t;
                    }
                }
                let la = o.last_access;
                let after = |d: Option<u32>| d.map_or(Micros::MAX, |d| la + i64::from(d) * DAY);
                let (aa, daa) = (after(o.it_days.archive), after(o.it_days.deep_archive));
                let ia = la + IT_INFREQUENT_AFTER;
                let aia = la + IT_ARCHIVE_INSTANT_AFTER;
                spans[1] = (BillClass::ItFrequent, from, t.min(ia));
                spans[2] = (BillClass::ItInfrequent, from.max(ia), t.min(aia));
                spans[3] = (
                    BillClass::ItArchiveInstant,
                    from.max(aia),
                    t.min(aa.min(daa)),
                );
                spans[4] = (BillClass::ItArchiveAccess, from.max(aa), t.min(daa));
                spans[5] = (BillClass::ItDeepArchiveAccess, from.max(daa), t);
                for (bc, a, b) in spans {
                    if matches!(
                        bc,
                        BillClass::ItArchiveAccess | BillClass::ItDeepArchiveAccess
                    ) {
                        // An archived object: its size and 32 KB at the tier's rate, 8 KB at
                        // STANDARD's (s3sim's assumption, as for GLACIER).
                        add(bc, o.size + ARCHIVE_OVERHEAD_AT_CLASS_RATE, a, b);
                        add(BillClass::Standard, ARCHIVE_OVERHEAD_AT_STANDARD_RATE, a, b);
                    } else {
                        add(bc, o.size, a, b);
                    }
                }
                months.split(monitored_from, t, |m, d| usage[m].monitoring += d);
            }
            class => {
                add(BillClass::of(class), billable_size(class, o.size), from, t);
                if class.is_archive() {
                    add(
                        BillClass::Standard,
                        ARCHIVE_OVERHEAD_AT_STANDARD_RATE,
                        from,
                        t,
                    );
                }
            }
        }
    }

    /// Bills the restored copy (STANDARD rate) from its completion to its expiry or `t`.
    fn flush_restore(&mut self, o: &mut Object, t: Micros) {
        if let Some(r) = o.restore.take() {
            let to = r.expiry.min(t);
            let size = o.size as u128;
            let usage = &mut self.usage.months;
            self.months
                .split(r.complete, to, |m, d| usage[m].restored_copy += size * d);
        }
    }

    /// Bills `bytes` of multipart-upload parts at `bc`'s rate from `from` to `to`.
    pub(super) fn accrue_parts(&mut self, bc: BillClass, bytes: u64, from: Micros, to: Micros) {
        let usage = &mut self.usage.months;
        self.months.split(from, to, |m, d| {
            usage[m].mpu[bc.index()] += bytes as u128 * d
        });
    }

    /// A GET of a live object; returns its restore wait [µs].
    fn get(&mut self, o: &mut Object, ev: &Event) -> u64 {
        let t = ev.time;
        let class = o.class;
        // WHOLE_OBJECT is u64::MAX; a range cannot read more than the object holds.
        let bytes = ev.size.min(o.size);
        let egress = self.opts.egress;
        let m = self.month(t);
        m.requests_get[class.index()] += 1;
        if egress {
            m.egress += bytes as u128;
        }
        match class {
            StorageClass::StandardIa | StorageClass::OnezoneIa | StorageClass::GlacierIr => {
                m.retrieval[class.index()] += bytes as u128;
            }
            StorageClass::IntelligentTiering => {
                self.accrue(o, t);
                if o.size >= IT_MIN_MONITORED_SIZE {
                    // A restore under way (accrue ended any that completed): this GET waits for it.
                    if let Some(r) = o.it_restore {
                        self.stats.archived_gets += 1;
                        return (r.complete - t) as u64;
                    }
                    let tier = it_tier(o, t);
                    if matches!(
                        tier,
                        BillClass::ItArchiveAccess | BillClass::ItDeepArchiveAccess
                    ) {
                        self.stats.archived_gets += 1;
                        return self.it_restore_for_get(o, t, tier) as u64;
                    }
                }
                o.last_access = t;
            }
            StorageClass::Glacier | StorageClass::DeepArchive => {
                self.stats.archived_gets += 1;
                return self.restore_for_get(o, t) as u64;
            }
            StorageClass::Standard => {}
        }
        0
    }

    /// Starts the restore of an Intelligent-Tiering object in an archive tier for a GET at `t`;
    /// returns the wait [µs]. Archive Access waits as GLACIER does, Deep Archive Access as
    /// DEEP_ARCHIVE (which has no expedited tier: standard is used); standard and bulk restores
    /// are free, expedited ones billed at the price file's Intelligent-Tiering restore prices.
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intelligent-tiering-managing.html
    fn it_restore_for_get(&mut self, o: &mut Object, t: Micros, tier: BillClass) -> Micros {
        let like = if tier == BillClass::ItDeepArchiveAccess {
            StorageClass::DeepArchive
        } else {
            StorageClass::Glacier
        };
        let mut k = self.opts.restore_tier;
        if like == StorageClass::DeepArchive && k == RestoreTier::Expedited {
            k = RestoreTier::Standard;
            self.stats.expedited_downgraded += 1;
        }
        let wait = self.opts.restore_latency[like.index()][k.index()].unwrap_or(0);
        o.it_restore = Some(ItRestore {
            complete: t + wait,
            tier,
        });
        self.stats.restores += 1;
        let (c, k) = (StorageClass::IntelligentTiering.index(), k.index());
        let size = o.size as u128;
        let m = self.month(t);
        m.restore_requests[c][k] += 1;
        m.restore_bytes[c][k] += size;
        wait
    }

    /// Makes sure a restored copy exists or is coming for a GET at `t`; returns the wait [µs].
    fn restore_for_get(&mut self, o: &mut Object, t: Micros) -> Micros {
        if let Some(r) = o.restore
            && t < r.expiry
        {
            return (r.complete - t).max(0);
        }
        self.flush_restore(o, t);
        let mut tier = self.opts.restore_tier;
        if o.class == StorageClass::DeepArchive && tier == RestoreTier::Expedited {
            tier = RestoreTier::Standard;
            self.stats.expedited_downgraded += 1;
        }
        let wait = self.opts.restore_latency[o.class.index()][tier.index()].unwrap_or(0);
        let complete = t + wait;
        let expiry = ceil_midnight(complete + i64::from(self.opts.restore_days) * DAY);
        o.restore = Some(Restore { complete, expiry });
        self.stats.restores += 1;
        let (c, k) = (o.class.index(), tier.index());
        let size = o.size as u128;
        let m = self.month(t);
        m.restore_requests[c][k] += 1;
        m.restore_bytes[c][k] += size;
        wait
    }
}
