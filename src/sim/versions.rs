//! Versioned buckets: the versions of one key, delete markers, and the lifecycle actions on
//! noncurrent versions and expired object delete markers.
//!
//! - A write makes the current version (or delete marker) noncurrent at that instant: it keeps its
//!   class, its age and its billing (`noncurrent_storage`). A DELETE without a version id adds a
//!   delete marker as the current version; with a version id it removes that version for good
//!   (early deletion applies) and, if it was current, the newest noncurrent one becomes current.
//!   In a suspended bucket, writes and DELETEs replace the `null` version.
//!   See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
//! - `NoncurrentVersionTransitions` and `NoncurrentVersionExpiration` fall due at the first
//!   00:00 UTC at or after (became noncurrent + `NoncurrentDays`); with `NewerNoncurrentVersions`
//!   K, not before K newer noncurrent versions (delete markers aside) exist: a version past its
//!   days that qualifies later is acted on at the first 00:00 UTC after the K-th of them became
//!   noncurrent. Actions due at one instant are resolved as for current versions, each action
//!   once. Whether a version qualifies is decided for every version before any of that
//!   instant's actions is applied.
//!   See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
//! - A current delete marker that is the key's only version is removed by a rule with
//!   `ExpiredObjectDeleteMarker` or an `Expiration` by `Days`, at the first 00:00 UTC strictly
//!   after it became the only version.

use super::object::{Advanced, Kind, Object, Simulator, drop_unreachable};
use crate::model::time::{DAY, Micros, ceil_midnight, floor_midnight};
use crate::model::{Op, Versioning};
use crate::policy::{Action, NoncurrentAction, resolve};
use crate::workload::Event;

/// A noncurrent version or delete marker.
#[derive(Debug)]
struct Noncurrent {
    o: Object,
    /// When it became noncurrent.
    since: Micros,
    /// Its noncurrent actions, each with whether it has fallen due (and was applied, or lost to
    /// another action of the same instant).
    actions: Vec<(NoncurrentAction, bool)>,
    /// When its next action falls due (`Micros::MAX`: none), kept up to date by [`refresh`].
    next: Micros,
}

/// The versions of one key.
#[derive(Debug, Default)]
struct Versions {
    /// The current version or delete marker.
    current: Option<Object>,
    /// Oldest first.
    noncurrent: Vec<Noncurrent>,
    /// When the current delete marker became the key's only version.
    alone_since: Option<Micros>,
    /// The earliest instant a noncurrent action may fall due (None: to be computed).
    next_due: Option<Micros>,
    /// The `NewerNoncurrentVersions` values of the versions' actions (a new noncurrent version
    /// can make older ones due).
    newer: Vec<u32>,
    /// Whether the policy removes this key's expired object delete markers.
    removes_markers: Option<bool>,
}

/// When `a` falls due for `nc[i]` (None: it waits for newer versions, or never): the first
/// 00:00 UTC at or after its days, or, when the K-th newer noncurrent version came at or after
/// that, the first 00:00 UTC strictly after it came (a version qualifies only when a newer one
/// becomes noncurrent, now, so this is never in the past).
fn due_of(nc: &[Noncurrent], i: usize, a: &NoncurrentAction) -> Option<Micros> {
    let v = &nc[i];
    let after_days = v.since.checked_add(i64::from(a.days).checked_mul(DAY)?)?;
    if after_days > Micros::MAX - DAY {
        return None;
    }
    let qualified = match a.newer {
        None | Some(0) => return Some(ceil_midnight(after_days)),
        Some(k) => {
            nc[i + 1..]
                .iter()
                .filter(|n| n.o.kind != Kind::Marker)
                .nth(k as usize - 1)?
                .since
        }
    };
    Some(if qualified >= after_days {
        floor_midnight(qualified) + DAY
    } else {
        ceil_midnight(after_days)
    })
}

fn applies(o: &Object, a: Action) -> bool {
    match a {
        Action::Expire => true,
        Action::Transition(to) => o.kind != Kind::Marker && o.class.can_transition_to(to),
    }
}

/// The earliest instant an action of `nc[i]` that has not fallen due yet falls due.
fn next_due_of(nc: &[Noncurrent], i: usize) -> Option<Micros> {
    let v = &nc[i];
    v.actions
        .iter()
        .filter(|(a, done)| !done && applies(&v.o, a.action))
        .filter_map(|(a, _)| due_of(nc, i, a))
        .min()
}

/// Recomputes `nc[i].next`.
fn refresh(nc: &mut [Noncurrent], i: usize) {
    nc[i].next = next_due_of(nc, i).unwrap_or(Micros::MAX);
}

/// After `nc[i]` was removed: the versions older than it counted it as newer.
fn removed_at(k: &mut Versions, i: usize) {
    if !k.newer.is_empty() {
        for j in 0..i.min(k.noncurrent.len()) {
            refresh(&mut k.noncurrent, j);
        }
    }
    k.next_due = None;
}

impl Simulator<'_> {
    /// Runs the events of one key in a versioned (enabled or suspended) bucket.
    pub(super) fn run_key_versioned(&mut self, events: &[Event]) {
        let mut k = Versions::default();
        for ev in events {
            let t = ev.time;
            self.advance_versions(&mut k, t);
            if !self.uploads.is_empty() {
                self.advance_uploads(t);
            }
            match ev.op {
                Op::Put | Op::Copy | Op::Post | Op::Initial => {
                    if ev.op != Op::Initial {
                        self.month(t).requests_put[ev.class.index()] += 1;
                    }
                    let o = self.create(ev);
                    self.write_version(&mut k, o, t);
                }
                Op::MpuComplete => {
                    if let Some(o) = self.complete_upload(ev) {
                        self.write_version(&mut k, o, t);
                    }
                }
                Op::MpuCreate | Op::MpuPart | Op::MpuAbort => self.upload_request(ev),
                Op::Get => {
                    let target = self.find_version(&mut k, ev.named_id());
                    self.get_request(target, ev);
                }
                Op::Head => match self.find_version(&mut k, ev.named_id()) {
                    Some(o) => {
                        let c = o.class.index();
                        self.month(t).requests_get[c] += 1;
                    }
                    None => self.missing(t, true),
                },
                Op::Delete if ev.named_id() == 0 => {
                    self.stats.versions.delete_markers_added += 1;
                    let marker = self.marker(t);
                    self.write_version(&mut k, marker, t);
                }
                // A delete marker of an all-versions inventory, with its version id.
                Op::InitialMarker => {
                    let mut marker = self.marker(t);
                    marker.vid = ev.named_id();
                    // Only a listed null version is null (a suspended bucket keeps the others).
                    marker.null &= marker.vid == 0 || self.names_null(marker.vid);
                    self.write_version(&mut k, marker, t);
                }
                Op::Delete => self.delete_version(&mut k, ev.named_id(), t),
                Op::List => {
                    let c = crate::model::StorageClass::Standard.index();
                    self.month(t).requests_put[c] += 1;
                }
            }
        }
        let end = self.months.end();
        self.advance_versions(&mut k, end);
        let stats = &mut self.stats.versions;
        for v in &k.noncurrent {
            match v.o.kind {
                Kind::Marker => stats.delete_markers_at_end += 1,
                _ => stats.noncurrent_at_end += 1,
            }
        }
        if k.current.as_ref().is_some_and(|o| o.kind == Kind::Marker) {
            stats.delete_markers_at_end += 1;
        }
        if let Some(o) = k.current.take() {
            self.end(o, end, false);
        }
        for v in std::mem::take(&mut k.noncurrent) {
            self.end(v.o, end, false);
        }
        self.finish_uploads();
    }

    /// Applies what falls due up to `t`: the current version's lifecycle, then the noncurrent
    /// versions', then the removal of an expired object delete marker.
    fn advance_versions(&mut self, k: &mut Versions, t: Micros) {
        if let Some(o) = k.current.as_mut()
            && o.kind == Kind::Current
            && let Advanced::Expires(due) = self.advance(o, t)
        {
            // Expiration of a current version in a versioned bucket adds a delete marker.
            // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
            self.stats.expirations += 1;
            self.stats.versions.delete_markers_added += 1;
            let marker = self.marker(due);
            self.write_version(k, marker, due);
        }
        if !k.noncurrent.is_empty() {
            self.advance_noncurrent(k, t);
        }
        self.remove_expired_marker(k, t);
    }

    /// The noncurrent versions' lifecycle actions due up to `t`, instant by instant.
    fn advance_noncurrent(&mut self, k: &mut Versions, t: Micros) {
        let horizon = self.months.end();
        let mut decisions: Vec<(usize, Action)> = Vec::new();
        while !k.noncurrent.is_empty() {
            let m = match k.next_due {
                Some(m) => m,
                None => {
                    let m = k
                        .noncurrent
                        .iter()
                        .map(|v| v.next)
                        .min()
                        .unwrap_or(Micros::MAX);
                    k.next_due = Some(m);
                    m
                }
            };
            if m > t || m >= horizon {
                return;
            }
            // Versions of an inventory: what fell due before the start happens at the start.
            let at = m;
            let m = m.max(self.months.start());
            decisions.clear();
            for i in 0..k.noncurrent.len() {
                if k.noncurrent[i].next > at {
                    continue;
                }
                self.due.clear();
                for j in 0..k.noncurrent[i].actions.len() {
                    let (a, done) = k.noncurrent[i].actions[j];
                    if !done
                        && applies(&k.noncurrent[i].o, a.action)
                        && due_of(&k.noncurrent, i, &a).is_some_and(|d| d <= m)
                    {
                        self.due.push(a.action);
                        k.noncurrent[i].actions[j].1 = true;
                    }
                }
                let o = &k.noncurrent[i].o;
                drop_unreachable(o, m, &mut self.due);
                if let Some(action) = resolve(o.class, &self.due) {
                    decisions.push((i, action));
                }
            }
            // Decisions run from the newest version down: the first removal is the highest.
            let mut highest_removed: Option<usize> = None;
            for &(i, action) in decisions.iter().rev() {
                match action {
                    Action::Transition(to) => {
                        self.stats.versions.noncurrent_transitions += 1;
                        if self.opts.trace {
                            let from = k.noncurrent[i].o.class;
                            self.stats.transition_log.push((self.key, m, from, to));
                        }
                        self.transition(&mut k.noncurrent[i].o, m, to);
                    }
                    Action::Expire => {
                        let v = k.noncurrent.remove(i);
                        self.stats.versions.noncurrent_expired += 1;
                        self.end(v.o, m, true);
                        highest_removed.get_or_insert(i);
                    }
                }
            }
            // Versions whose actions fell due (all flagged now) and versions older than one
            // removed (they counted it as newer) have new due times.
            let older = match highest_removed {
                Some(i) if !k.newer.is_empty() => i,
                _ => 0,
            };
            for j in 0..k.noncurrent.len() {
                if k.noncurrent[j].next <= at || j < older {
                    refresh(&mut k.noncurrent, j);
                }
            }
            k.next_due = None;
            self.note_alone(k, m);
        }
    }

    /// Removes a current delete marker that has been the key's only version since before the
    /// last 00:00 UTC up to `t`, when a rule says so.
    fn remove_expired_marker(&mut self, k: &mut Versions, t: Micros) {
        let Some(since) = k.alone_since else {
            return;
        };
        let due = floor_midnight(since) + DAY;
        if due > t || due >= self.months.end() {
            return;
        }
        let removes = *k.removes_markers.get_or_insert_with(|| {
            self.policy
                .policy()
                .removes_expired_delete_markers(&self.workload.keys[self.key as usize])
        });
        if !removes {
            return;
        }
        if let Some(o) = k.current.take() {
            self.stats.versions.delete_markers_removed += 1;
            self.end(o, due, true);
        }
        k.alone_since = None;
    }

    /// Records that the current delete marker is alone from `t` (when it is).
    fn note_alone(&mut self, k: &mut Versions, t: Micros) {
        if k.alone_since.is_none()
            && k.noncurrent.is_empty()
            && k.current.as_ref().is_some_and(|o| o.kind == Kind::Marker)
        {
            k.alone_since = Some(t);
        }
    }

    /// `new` (a version or a delete marker) becomes current at `t`. The current version becomes
    /// noncurrent; in a suspended bucket the `null` version is removed instead.
    fn write_version(&mut self, k: &mut Versions, new: Object, t: Micros) {
        let suspended = self.opts.versioning == Versioning::Suspended;
        if let Some(old) = k.current.take() {
            if suspended && old.null {
                self.end(old, t, true);
            } else {
                self.push_noncurrent(k, old, t);
            }
        }
        if suspended && let Some(i) = k.noncurrent.iter().position(|v| v.o.null) {
            let v = k.noncurrent.remove(i);
            self.end(v.o, t, true);
            removed_at(k, i);
        }
        k.current = Some(new);
        k.alone_since = None;
        self.note_alone(k, t);
    }

    /// `o`, the current version until `t`, becomes noncurrent.
    fn push_noncurrent(&mut self, k: &mut Versions, mut o: Object, t: Micros) {
        self.accrue(&mut o, t);
        let marker = o.kind == Kind::Marker;
        if !marker {
            o.kind = Kind::Noncurrent;
            self.stats.versions.made_noncurrent += 1;
        }
        let mut actions = Vec::new();
        if !self.policy.policy().rules.is_empty() {
            let w = self.workload;
            self.policy.policy().noncurrent_actions(
                &w.keys[self.key as usize],
                o.size,
                &w.tagsets[o.tags as usize],
                marker,
                &mut actions,
            );
        }
        for a in &actions {
            if let Some(n) = a.newer.filter(|&n| n > 0)
                && !k.newer.contains(&n)
            {
                k.newer.push(n);
            }
        }
        k.noncurrent.push(Noncurrent {
            o,
            since: t,
            actions: actions.into_iter().map(|a| (a, false)).collect(),
            next: Micros::MAX,
        });
        let last = k.noncurrent.len() - 1;
        refresh(&mut k.noncurrent, last);
        let mut earliest = k.noncurrent[last].next;
        // A new noncurrent version (not a marker) is the K-th newer one of the versions with K - 1
        // versions (markers aside) between them and it: those may qualify now.
        if !marker {
            for ki in 0..k.newer.len() {
                let want = k.newer[ki] as usize - 1;
                let mut between = 0;
                for j in (0..last).rev() {
                    if between == want {
                        refresh(&mut k.noncurrent, j);
                        earliest = earliest.min(k.noncurrent[j].next);
                    }
                    if k.noncurrent[j].o.kind != Kind::Marker {
                        between += 1;
                        if between > want {
                            break;
                        }
                    }
                }
            }
        }
        k.next_due = k.next_due.map(|m| m.min(earliest));
    }

    /// A DELETE naming version `vid`: removes that version or delete marker for good.
    fn delete_version(&mut self, k: &mut Versions, vid: u32, t: Micros) {
        let null = self.names_null(vid);
        let is = |o: &Object| o.vid == vid || (null && o.null);
        if k.current.as_ref().is_some_and(is) {
            let o = k.current.take().expect("checked");
            self.stats.versions.deleted_by_version_id += 1;
            self.end(o, t, true);
            // The newest noncurrent version (or marker) becomes current; every older one counted
            // it as newer.
            if let Some(v) = k.noncurrent.pop() {
                let len = k.noncurrent.len();
                removed_at(k, len);
                let mut o = v.o;
                self.accrue(&mut o, t);
                if o.kind == Kind::Noncurrent {
                    o.kind = Kind::Current;
                    self.schedule_current(&mut o, t);
                }
                k.current = Some(o);
            }
            k.next_due = None;
            k.alone_since = None;
            self.note_alone(k, t);
            return;
        }
        match k.noncurrent.iter().rposition(|v| is(&v.o)) {
            Some(i) => {
                let v = k.noncurrent.remove(i);
                self.stats.versions.deleted_by_version_id += 1;
                self.end(v.o, t, true);
                removed_at(k, i);
                self.note_alone(k, t);
            }
            None => {
                self.stats.versions.unknown_version_ids += 1;
                self.stats.missing_key += 1;
            }
        }
    }

    /// Whether version id `vid` is `null`, the id of the version written while versioning was
    /// suspended.
    pub(super) fn names_null(&self, vid: u32) -> bool {
        vid != 0 && vid == self.workload.null_id
    }

    /// The version a GET or HEAD reads: the current one (`vid` 0) or the one named; None when it
    /// is missing or a delete marker.
    fn find_version<'k>(&mut self, k: &'k mut Versions, vid: u32) -> Option<&'k mut Object> {
        if vid == 0 {
            return k.current.as_mut().filter(|o| o.kind != Kind::Marker);
        }
        let null = self.names_null(vid);
        let is = |o: &Object| o.vid == vid || (null && o.null);
        // The newest version with that id.
        let found = match k.current.as_mut() {
            Some(o) if is(o) => Some(o),
            _ => k
                .noncurrent
                .iter_mut()
                .rev()
                .map(|v| &mut v.o)
                .find(|o| is(o)),
        };
        if found.is_none() {
            self.stats.versions.unknown_version_ids += 1;
        }
        found.filter(|o| o.kind != Kind::Marker)
    }
}
