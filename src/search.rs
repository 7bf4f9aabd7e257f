//! The engine of the policy search (`s3sim recommend`, SPEC §9; the command itself is still to
//! come): evaluate each prefix group under each candidate action once, then cost any combination
//! exactly by adding the groups' usage.
//!
//! Why a combination's cost is exact: a lifecycle configuration of one rule per group prefix (no
//! two prefixes overlapping) treats every object of a group as that group's rule alone would, and
//! the cost engine simulates each object on its own, counting usage in integers. So the usage of
//! the configuration is the sum of its groups' usage, and pricing the sum (volume bands included)
//! gives what `s3sim run` of the configuration gives. `tests/search.rs` checks it against full
//! runs.
//!
//! Groups: with the keys numbered in name order ([`Workload::with_keys_in_name_order`]), the keys
//! of one prefix are contiguous. A key's group is its first `depth` segments ending in `/`
//! (`logs/` at depth 1, `logs/2026/` at depth 2). A key with fewer segments joins a group of its
//! longest shorter prefix that selects no other group's key (`archive/` when no group is under
//! it); the keys left form the *rest*: no prefix can select them without selecting a group too,
//! so they keep no rule (unless the rest is the whole workload, when its prefix is empty and the
//! rule is the bucket's).

use std::ops::Range;

use rayon::prelude::*;

use crate::ledger::{SimStats, Usage};
use crate::model::StorageClass;
use crate::policy::{Policy, PolicyError, ValidateOptions};
use crate::sim::{SimOptions, SimResult, Simulator};
use crate::workload::ByKey;

/// A set of keys that one action applies to, through one rule per prefix: its prefixes and its
/// events (ranges of the workload's events, each whole keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The rules' `Filter.Prefix`es; empty for the rest (keys no prefix selects alone), which
    /// keeps no rule.
    pub prefixes: Vec<String>,
    pub events: Vec<Range<usize>>,
    pub keys: usize,
}

impl Group {
    /// Whether a rule can select this group (it is not the rest).
    pub fn selectable(&self) -> bool {
        !self.prefixes.is_empty()
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.events.iter().map(|r| r.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

/// Keeps the `max - 1` groups with the most events and merges the others into one (its prefixes
/// together: one rule each, with the same action), so that the search's product of choices stays
/// small. The rest stays apart (it keeps no rule). Order: the kept groups in key order, then the
/// merged one, then the rest.
pub fn merge_small(groups: Vec<Group>, max: usize) -> Vec<Group> {
    let max = max.max(2);
    let (selectable, rest): (Vec<Group>, Vec<Group>) =
        groups.into_iter().partition(Group::selectable);
    if selectable.len() <= max {
        return selectable.into_iter().chain(rest).collect();
    }
    let mut by_size: Vec<usize> = (0..selectable.len()).collect();
    by_size.sort_by_key(|&i| (std::cmp::Reverse(selectable[i].len()), i));
    let mut keep = vec![false; selectable.len()];
    for &i in &by_size[..max - 1] {
        keep[i] = true;
    }
    let mut out = Vec::new();
    let mut merged = Group {
        prefixes: Vec::new(),
        events: Vec::new(),
        keys: 0,
    };
    for (g, k) in selectable.into_iter().zip(keep) {
        if k {
            out.push(g);
        } else {
            merged.prefixes.extend(g.prefixes);
            merged.events.extend(g.events);
            merged.keys += g.keys;
        }
    }
    out.push(merged);
    out.extend(rest);
    out
}

/// The group prefix of `key` at `depth` segments: the key up to and with its `depth`-th `/`.
pub fn group_prefix(key: &str, depth: usize) -> Option<&str> {
    if depth == 0 {
        return Some("");
    }
    key.match_indices('/')
        .nth(depth - 1)
        .map(|(i, _)| &key[..=i])
}

/// The prefix groups of a workload whose keys are numbered in name order, in key order, the rest
/// last. Panics if the keys are not in name order (a programming error).
pub fn prefix_groups(w: &ByKey, depth: usize) -> Vec<Group> {
    assert!(
        w.keys.windows(2).all(|p| p[0] <= p[1]),
        "prefix_groups needs keys numbered in name order"
    );
    let mut groups: Vec<Group> = Vec::new();
    // Keys with fewer segments than `depth`: (key, its events).
    let mut short: Vec<(u32, Range<usize>)> = Vec::new();
    let mut start = 0;
    let events = &w.events;
    while start < events.len() {
        let key = events[start].key;
        let mut end = start + 1;
        while end < events.len() && events[end].key == key {
            end += 1;
        }
        match group_prefix(&w.keys[key as usize], depth) {
            Some(p) => {
                if groups.last().map(|g| g.prefixes[0].as_str()) != Some(p) {
                    groups.push(Group {
                        prefixes: vec![p.to_string()],
                        events: Vec::new(),
                        keys: 0,
                    });
                }
                add(groups.last_mut().expect("just pushed"), start..end);
            }
            None => short.push((key, start..end)),
        }
        start = end;
    }
    // A short key joins a group of its longest shorter prefix that selects no key of another
    // group (no group prefix starts with it, nor it with a group prefix, but its own): so keys
    // above the depth still get a rule where one can select them alone.
    let deep = groups.len();
    let mut rest = Group {
        prefixes: Vec::new(),
        events: Vec::new(),
        keys: 0,
    };
    for (key, range) in short {
        let name = &w.keys[key as usize];
        let found = (1..depth).rev().find_map(|k| {
            let p = group_prefix(name, k)?;
            let clash = |q: &str| q != p && (q.starts_with(p) || p.starts_with(q));
            if groups[..deep].iter().any(|g| g.prefixes[0].starts_with(p))
                || groups[deep..].iter().any(|g| clash(&g.prefixes[0]))
            {
                return None;
            }
            Some(p)
        });
        match found {
            Some(p) => {
                let i = match groups[deep..].iter().position(|g| g.prefixes[0] == p) {
                    Some(i) => deep + i,
                    None => {
                        groups.push(Group {
                            prefixes: vec![p.to_string()],
                            events: Vec::new(),
                            keys: 0,
                        });
                        groups.len() - 1
                    }
                };
                add(&mut groups[i], range);
            }
            None => add(&mut rest, range),
        }
    }
    groups.sort_by(|a, b| a.prefixes[0].cmp(&b.prefixes[0]));
    if groups.is_empty() && rest.keys > 0 {
        // No key has a prefix at this depth: the whole workload is one group, the bucket's rule.
        rest.prefixes = vec![String::new()];
    }
    if rest.keys > 0 {
        groups.push(rest);
    }
    groups
}

/// Adds one key's events to a group.
fn add(g: &mut Group, r: Range<usize>) {
    match g.events.last_mut() {
        Some(last) if last.end == r.start => last.end = r.end,
        _ => g.events.push(r),
    }
    g.keys += 1;
}

/// What a candidate does to the objects of one group: at most one transition of current
/// versions (optionally of objects under 128 KB too), optionally their expiration, in a versioned
/// bucket the expiration of noncurrent versions (with the removal of expired delete markers), and
/// the abort of unfinished multipart uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Action {
    /// `Transition` to the class after the days.
    pub transition: Option<(StorageClass, u32)>,
    /// `NoncurrentVersionExpiration` after these `NoncurrentDays` (and `ExpiredObjectDeleteMarker`).
    pub noncurrent_days: Option<u32>,
    /// `AbortIncompleteMultipartUpload` after these `DaysAfterInitiation`.
    pub abort_days: Option<u32>,
    /// The transition takes objects under 128 KB too: it goes in a rule of its own whose filter
    /// adds `ObjectSizeGreaterThan: 0`, and a rule's own size filter takes precedence over the
    /// configuration's `TransitionDefaultMinimumObjectSize`. (Empty objects stay.)
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
    pub small: bool,
    /// `Expiration` of current versions after these `Days` (only with `--allow-expiration`). It
    /// also removes expired object delete markers, so it replaces `ExpiredObjectDeleteMarker`.
    pub expiration_days: Option<u32>,
}

impl Action {
    /// No rule.
    pub const KEEP: Action = Action {
        transition: None,
        noncurrent_days: None,
        abort_days: None,
        small: false,
        expiration_days: None,
    };

    /// A transition to `class` after `days`, nothing else.
    pub fn transition(class: StorageClass, days: u32) -> Action {
        Action {
            transition: Some((class, days)),
            ..Action::KEEP
        }
    }

    /// The JSON of this action's rules for `prefix`, their IDs `s3sim-<first_id>`, … (none for
    /// [`Action::KEEP`]): one rule, or two when the transition takes small objects too (the
    /// transition's rule has a size filter, which `AbortIncompleteMultipartUpload` and
    /// `ExpiredObjectDeleteMarker` cannot have).
    pub fn rules_json(&self, first_id: usize, prefix: &str) -> Vec<String> {
        let prefix = serde_json::Value::from(prefix);
        let rule = |n: usize, filter: String, actions: Vec<String>| {
            format!(
                "{{\"ID\":\"s3sim-{}\",\"Status\":\"Enabled\",\"Filter\":{filter},{}}}",
                first_id + n,
                actions.join(",")
            )
        };
        let mut main = Vec::new();
        let mut small = None;
        if let Some((class, days)) = self.transition {
            let t = format!(
                "\"Transitions\":[{{\"Days\":{days},\"StorageClass\":\"{}\"}}]",
                class.api_name()
            );
            if self.small {
                small = Some(t);
            } else {
                main.push(t);
            }
        }
        if let Some(d) = self.expiration_days {
            main.push(format!("\"Expiration\":{{\"Days\":{d}}}"));
        }
        if let Some(d) = self.noncurrent_days {
            main.push(format!(
                "\"NoncurrentVersionExpiration\":{{\"NoncurrentDays\":{d}}}"
            ));
            if self.expiration_days.is_none() {
                main.push("\"Expiration\":{\"ExpiredObjectDeleteMarker\":true}".to_string());
            }
        }
        if let Some(d) = self.abort_days {
            main.push(format!(
                "\"AbortIncompleteMultipartUpload\":{{\"DaysAfterInitiation\":{d}}}"
            ));
        }
        let mut out = Vec::new();
        if !main.is_empty() {
            out.push(rule(out.len(), format!("{{\"Prefix\":{prefix}}}"), main));
        }
        if let Some(t) = small {
            let filter = if prefix.as_str() == Some("") {
                "{\"ObjectSizeGreaterThan\":0}".to_string()
            } else {
                format!("{{\"And\":{{\"Prefix\":{prefix},\"ObjectSizeGreaterThan\":0}}}}")
            };
            out.push(rule(out.len(), filter, vec![t]));
        }
        out
    }

    /// `keep`, `GLACIER_IR@7d`, `DEEP_ARCHIVE@30d(all sizes)+expire@365d`,
    /// `GLACIER_IR@7d+noncurrent-expire@30d+abort-uploads@7d`.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some((class, days)) = self.transition {
            let sizes = if self.small { "(all sizes)" } else { "" };
            parts.push(format!("{}@{days}d{sizes}", class.api_name()));
        }
        if let Some(d) = self.expiration_days {
            parts.push(format!("expire@{d}d"));
        }
        if let Some(d) = self.noncurrent_days {
            parts.push(format!("noncurrent-expire@{d}d"));
        }
        if let Some(d) = self.abort_days {
            parts.push(format!("abort-uploads@{d}d"));
        }
        if parts.is_empty() {
            "keep".into()
        } else {
            parts.join("+")
        }
    }
}

/// The lifecycle configuration that gives `picks[g]` to group `g` (the rest always keeps: see the
/// module docs), as JSON for `put-bucket-lifecycle-configuration`.
pub fn configuration_json(groups: &[Group], picks: &[Action]) -> String {
    configuration_json_kept(groups, picks, &[])
}

/// [`configuration_json`] with `kept` rules (JSON, e.g. [`kept_expirations`]) after the groups'.
pub fn configuration_json_kept(groups: &[Group], picks: &[Action], kept: &[String]) -> String {
    let mut rules: Vec<String> = Vec::new();
    for (g, a) in groups.iter().zip(picks) {
        for p in &g.prefixes {
            let more = a.rules_json(rules.len() + 1, p);
            rules.extend(more);
        }
    }
    rules.extend(kept.iter().cloned());
    format!("{{\"Rules\":[{}]}}", rules.join(","))
}

/// The configuration as a validated [`Policy`] named `name`; with no rule at all it is `none`
/// (S3 takes no empty configuration: the bucket simply has none).
pub fn configuration(
    name: &str,
    groups: &[Group],
    picks: &[Action],
    opts: &ValidateOptions,
) -> Result<Policy, PolicyError> {
    configuration_kept(name, groups, picks, &[], opts)
}

/// [`configuration`] with `kept` rules after the groups'.
pub fn configuration_kept(
    name: &str,
    groups: &[Group],
    picks: &[Action],
    kept: &[String],
    opts: &ValidateOptions,
) -> Result<Policy, PolicyError> {
    if kept.is_empty()
        && groups
            .iter()
            .zip(picks)
            .all(|(g, a)| !g.selectable() || *a == Action::KEEP)
    {
        let mut p = Policy::none();
        p.name = name.to_string();
        return Ok(p);
    }
    Policy::parse(
        name,
        name,
        &configuration_json_kept(groups, picks, kept),
        opts,
    )
}

/// The expirations of current versions (`Expiration` by `Days` or `Date`, and
/// `ExpiredObjectDeleteMarker`) of the enabled rules of `p`, as rules of their own with the same
/// filters: what a search keeps of the configuration in use (it never invents an expiration).
pub fn kept_expirations(p: &Policy) -> Vec<String> {
    let mut out = Vec::new();
    for r in p.rules.iter().filter(|r| r.enabled) {
        if r.expiration.is_none() && !r.expired_object_delete_marker {
            continue;
        }
        let f = &r.filter;
        let mut conds: Vec<String> = Vec::new();
        if !f.prefix.is_empty() {
            conds.push(format!(
                "\"Prefix\":{}",
                serde_json::Value::from(f.prefix.as_str())
            ));
        }
        if let Some(n) = f.size_gt {
            conds.push(format!("\"ObjectSizeGreaterThan\":{n}"));
        }
        if let Some(n) = f.size_lt {
            conds.push(format!("\"ObjectSizeLessThan\":{n}"));
        }
        let tag = |(k, v): &(String, String)| {
            format!(
                "{{\"Key\":{},\"Value\":{}}}",
                serde_json::Value::from(k.as_str()),
                serde_json::Value::from(v.as_str())
            )
        };
        let filter = match (conds.len(), f.tags.len()) {
            (0, 0) => "{}".to_string(),
            (1, 0) => format!("{{{}}}", conds[0]),
            (0, 1) => format!("{{\"Tag\":{}}}", tag(&f.tags[0])),
            _ => {
                let mut and = conds.clone();
                if !f.tags.is_empty() {
                    let tags: Vec<String> = f.tags.iter().map(tag).collect();
                    and.push(format!("\"Tags\":[{}]", tags.join(",")));
                }
                format!("{{\"And\":{{{}}}}}", and.join(","))
            }
        };
        let expiration = match r.expiration {
            Some(crate::policy::When::Days(n)) => format!("{{\"Days\":{n}}}"),
            Some(crate::policy::When::Date(d)) => format!(
                "{{\"Date\":\"{}\"}}",
                crate::model::time::to_datetime(d).format("%Y-%m-%dT00:00:00Z")
            ),
            None => "{\"ExpiredObjectDeleteMarker\":true}".to_string(),
        };
        out.push(format!(
            "{{\"ID\":\"kept-expiration-{}\",\"Status\":\"Enabled\",\"Filter\":{filter},\"Expiration\":{expiration}}}",
            out.len() + 1
        ));
    }
    out
}

/// The simulation of every group under every action: `results[g][a]`.
pub struct Table {
    pub actions: Vec<Action>,
    pub results: Vec<Vec<SimResult>>,
    /// Whether a rule can select each group (the rest only ever keeps: action 0 stands for it).
    pub selectable: Vec<bool>,
}

/// Simulates each group under each action (an action applied as the group's rule alone), in
/// parallel over (group, action) pairs. `get_delays` are the GETs' throttling delays by row.
pub fn evaluate(
    w: &ByKey,
    groups: &[Group],
    actions: &[Action],
    opts: &SimOptions,
    vopts: &ValidateOptions,
    get_delays: &[(u32, u64)],
) -> Result<Table, PolicyError> {
    evaluate_with(w, groups, actions, &[], opts, vopts, get_delays, &|| {})
}

/// [`evaluate`] with `kept` rules in every configuration (each group's simulation holds them
/// too, so sums stay exact), calling `done` after each (group, action) simulation.
#[allow(clippy::too_many_arguments)]
pub fn evaluate_with(
    w: &ByKey,
    groups: &[Group],
    actions: &[Action],
    kept: &[String],
    opts: &SimOptions,
    vopts: &ValidateOptions,
    get_delays: &[(u32, u64)],
    done: &(dyn Fn() + Sync),
) -> Result<Table, PolicyError> {
    // One policy per (group, action); the rest, with no prefix, only ever keeps.
    let mut policies: Vec<Vec<Policy>> = Vec::with_capacity(groups.len());
    for g in groups {
        let mut row = Vec::with_capacity(actions.len());
        for a in actions {
            let a = if g.selectable() { *a } else { Action::KEEP };
            row.push(configuration_kept(
                &a.label(),
                std::slice::from_ref(g),
                &[a],
                kept,
                vopts,
            )?);
        }
        policies.push(row);
    }
    // A transition that takes small objects too does what the plain one does to a group with
    // no object under 128 KB (no event of such a size: a conservative test), so it is not
    // simulated again there: `same[g][a]` is the action whose result it shares.
    let same: Vec<Vec<usize>> = groups
        .iter()
        .map(|g| {
            let small = g.events.iter().any(|r| {
                w.events[r.clone()]
                    .iter()
                    .any(|e| e.size > 0 && e.size < crate::policy::DEFAULT_MIN_TRANSITION_SIZE)
            });
            (0..actions.len())
                .map(|a| {
                    let plain = Action {
                        small: false,
                        ..actions[a]
                    };
                    match actions.iter().position(|b| *b == plain) {
                        Some(b) if !small && actions[a].small => b,
                        _ => a,
                    }
                })
                .collect()
        })
        .collect();
    let pairs: Vec<(usize, usize)> = (0..groups.len())
        .flat_map(|g| (0..actions.len()).map(move |a| (g, a)))
        .filter(|&(g, a)| same[g][a] == a)
        .collect();
    let mut flat: Vec<(usize, usize, SimResult)> = pairs
        .par_iter()
        .map(|&(g, a)| {
            let mut sim = Simulator::new(w, &policies[g][a], opts, get_delays);
            for r in &groups[g].events {
                sim.run(&w.events[r.clone()]);
            }
            done();
            (g, a, sim.finish())
        })
        .collect();
    for (g, row) in same.iter().enumerate() {
        for (a, &b) in row.iter().enumerate() {
            if b != a {
                let r = flat
                    .iter()
                    .find(|(h, c, _)| *h == g && *c == b)
                    .map(|(_, _, r)| r.clone())
                    .expect("the plain action was simulated");
                flat.push((g, a, r));
                done();
            }
        }
    }
    flat.sort_by_key(|(g, a, _)| (*g, *a));
    let mut results: Vec<Vec<SimResult>> = (0..groups.len()).map(|_| Vec::new()).collect();
    for (g, _, r) in flat {
        results[g].push(r);
    }
    Ok(Table {
        actions: actions.to_vec(),
        results,
        selectable: groups.iter().map(Group::selectable).collect(),
    })
}

impl Table {
    /// The usage and statistics of the configuration that gives action `picks[g]` (an index into
    /// `actions`) to group `g`: the sum of the groups' (exact: see the module docs).
    pub fn combine(&self, picks: &[usize], months: usize) -> SimResult {
        let mut usage = Usage::new(months);
        let mut stats = SimStats::default();
        for (g, &a) in picks.iter().enumerate() {
            let r = &self.results[g][a];
            usage += &r.usage;
            stats += r.stats.clone();
        }
        stats.get_latencies.sort_unstable();
        SimResult { usage, stats }
    }
}

/// Limits a candidate must meet to be picked.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Constraints {
    /// The p99 GET wait (throttling plus restore waits) at most this [s].
    pub max_p99_get_wait_s: Option<f64>,
    /// Restore requests in any one month at most this many.
    pub max_restores_per_month: Option<u64>,
}

/// One configuration the search priced exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The action (index into the table's actions) of each group.
    pub picks: Vec<usize>,
    /// Its bill over the period [USD], exact.
    pub total_usd: f64,
    pub p99_get_wait_s: f64,
    pub restores: u64,
    /// The most restore requests in one month.
    pub max_restores_month: u64,
    /// Why it may not be picked (None: it meets the constraints).
    pub infeasible: Option<String>,
}

/// What the search found: the candidates priced, in the order it priced them, and the pick.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub candidates: Vec<Candidate>,
    /// Index into `candidates` of the cheapest feasible one (ties: the first in pick order).
    pub pick: Option<usize>,
    /// Whether the search proved the pick optimal (false: it stopped at `max_candidates`).
    pub proved: bool,
}

/// Per (group, action): the figures that add up over groups.
struct Part {
    /// A lower bound of its share of any configuration's bill that adds up over groups: its bill
    /// alone when no configuration reaches a band edge, else at each band's lowest price.
    low_usd: f64,
    gets: u64,
    /// GETs whose wait exceeds the budget.
    over_budget: u64,
    /// Restore requests by month.
    restores: Vec<u64>,
    /// GETs and HEADs that find the object gone because of the action's expiration (more than
    /// the same action without it finds): a configuration may not lose a read.
    lost_reads: u64,
}

impl Table {
    /// Finds the cheapest configuration (one action per group) that meets `c`, pricing candidates
    /// exactly ([`Table::combine`], then the real bill) in the order of a lower bound of their
    /// cost that adds up over groups (see `Part::low_usd`), and stopping when
    /// the next lower bound exceeds the best exact cost found: so the pick is the one pricing
    /// every combination would give (tests/search.rs checks it against doing that). Prices at
    /// least `min_candidates` (for the report's list) and at most `max_candidates`.
    ///
    /// A configuration may not lose a read: for an action with an expiration, the reads it
    /// loses are its missing GETs and HEADs less those of the same action without the
    /// expiration, which must be among the actions too (else every missing read of the action counts as lost).
    pub fn search(
        &self,
        months: &crate::ledger::Months,
        prices: &crate::pricing::PriceTable,
        c: &Constraints,
        min_candidates: usize,
        max_candidates: usize,
    ) -> Outcome {
        // The bound. When no configuration can reach a volume band's first edge in any month
        // (the most storage and egress each group can have under any action, added up, stays
        // below it), every bill is linear in usage: the real prices give a bound that equals the
        // exact cost (but for rounding), and the search prices little more than it lists.
        // Otherwise every band at its lowest price gives a bound below every bill.
        let (storage_edge, egress_edge) = prices.first_band_edges();
        let n = months.len();
        let (mut storage_max, mut egress_max) = (vec![0.0; n], vec![0.0; n]);
        for row in &self.results {
            let (mut s, mut e) = (vec![0.0f64; n], vec![0.0f64; n]);
            for r in row {
                let b = crate::ledger::bill(&r.usage, months, prices);
                let (mut sm, mut em) = (vec![0.0; n], vec![0.0; n]);
                for l in &b.lines {
                    use crate::ledger::Component as C;
                    match l.component {
                        C::Storage
                        | C::RestoredCopy
                        | C::NoncurrentStorage
                        | C::DeleteMarkers
                        | C::MpuStorage => sm[l.month] += l.quantity,
                        C::Egress => em[l.month] += l.quantity,
                        _ => {}
                    }
                }
                for m in 0..n {
                    s[m] = s[m].max(sm[m]);
                    e[m] = e[m].max(em[m]);
                }
            }
            for m in 0..n {
                storage_max[m] += s[m];
                egress_max[m] += e[m];
            }
        }
        let linear = storage_max.iter().all(|&q| q < storage_edge)
            && egress_max.iter().all(|&q| q < egress_edge);
        let low_prices = if linear {
            prices.clone()
        } else {
            prices.lowest_bands()
        };
        let budget_us = c.max_p99_get_wait_s.map(|s| s * 1e6);
        // Each action's counterpart without its expiration.
        let unexpired: Vec<Option<usize>> = self
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let plain = Action {
                    expiration_days: None,
                    ..*a
                };
                if plain == *a {
                    Some(i)
                } else {
                    self.actions.iter().position(|b| *b == plain)
                }
            })
            .collect();
        let parts: Vec<Vec<Part>> =
            self.results
                .iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .map(|(a, r)| Part {
                            lost_reads: r.stats.missing_reads.saturating_sub(
                                unexpired[a].map_or(0, |b| row[b].stats.missing_reads),
                            ),
                            low_usd: crate::ledger::bill(&r.usage, months, &low_prices).total(),
                            gets: r.stats.gets,
                            over_budget: budget_us.map_or(0, |b| {
                                r.stats
                                    .get_latencies
                                    .iter()
                                    .filter(|&&v| v as f64 > b)
                                    .count() as u64
                            }),
                            restores: r
                                .usage
                                .months
                                .iter()
                                .map(|m| m.restore_requests.iter().flatten().sum())
                                .collect(),
                        })
                        .collect()
                })
                .collect();
        // Actions that no feasible configuration can hold: the constraint counts (GETs over the
        // budget, restores per month) are never negative and add up over groups, so an action
        // whose count with every other group at its smallest already breaks a limit is out.
        let choices: Vec<Vec<usize>> = parts
            .iter()
            .zip(&self.selectable)
            .map(|(row, &selectable)| {
                if selectable {
                    (0..row.len()).collect()
                } else {
                    vec![0]
                }
            })
            .collect();
        // The GETs of a configuration (the most any could have: the limit grows with them, so
        // this never rules out a feasible one).
        let gets: u64 = parts
            .iter()
            .map(|row| row.iter().map(|p| p.gets).max().unwrap_or(0))
            .sum();
        let over_limit =
            gets.saturating_sub(((0.99 * gets as f64).ceil() as u64).clamp(1, gets.max(1)));
        let min_over: Vec<u64> = parts
            .iter()
            .zip(&choices)
            .map(|(row, ch)| ch.iter().map(|&a| row[a].over_budget).min().unwrap_or(0))
            .collect();
        let min_restores: Vec<Vec<u64>> = parts
            .iter()
            .zip(&choices)
            .map(|(row, ch)| {
                (0..months.len())
                    .map(|m| ch.iter().map(|&a| row[a].restores[m]).min().unwrap_or(0))
                    .collect()
            })
            .collect();
        let all_over: u64 = min_over.iter().sum();
        let all_restores: Vec<u64> = (0..months.len())
            .map(|m| min_restores.iter().map(|r| r[m]).sum())
            .collect();
        let possible = |g: usize, a: usize| {
            let p = &parts[g][a];
            let over_ok = budget_us.is_none()
                || gets == 0
                || all_over - min_over[g] + p.over_budget <= over_limit;
            let restores_ok = c.max_restores_per_month.is_none_or(|cap| {
                (0..months.len())
                    .all(|m| all_restores[m] - min_restores[g][m] + p.restores[m] <= cap)
            });
            // Lost reads add up over groups and are never negative: any is too many.
            over_ok && restores_ok && p.lost_reads == 0
        };
        // Each group's possible actions by their lower bound, cheapest first.
        let order: Vec<Vec<usize>> = choices
            .iter()
            .enumerate()
            .map(|(g, ch)| {
                let row = &parts[g];
                let results = &self.results[g];
                let mut o: Vec<usize> = Vec::new();
                for a in ch.iter().copied().filter(|&a| possible(g, a)) {
                    // An action that does to this group exactly what an earlier one does (an
                    // expiration that never falls due, a transition of small objects where there
                    // are none) gives every configuration the cost of the earlier one's, which
                    // wins the tie (fewer picks first): it is left out, so that plateaus of equal
                    // configurations are not all priced.
                    if !o.iter().any(|&b| results[b] == results[a]) {
                        o.push(a);
                    }
                }
                o.sort_by(|&a, &b| row[a].low_usd.total_cmp(&row[b].low_usd).then(a.cmp(&b)));
                o
            })
            .collect();
        // The actions ruled out are listed all the same, each priced in the configuration that
        // breaks the constraints least otherwise: with every other group at its first possible
        // action (or, where it has none, its action with the fewest slow GETs and restores).
        let least: Vec<usize> = (0..parts.len())
            .map(|g| {
                order[g].first().copied().unwrap_or_else(|| {
                    *choices[g]
                        .iter()
                        .min_by_key(|&&a| {
                            (
                                parts[g][a].over_budget,
                                parts[g][a].restores.iter().sum::<u64>(),
                                parts[g][a].lost_reads,
                                a,
                            )
                        })
                        .expect("every group has an action")
                })
            })
            .collect();
        let mut ruled_out: Vec<Candidate> = Vec::new();
        for (g, ch) in choices.iter().enumerate() {
            for &a in ch.iter().filter(|&&a| !order[g].contains(&a)) {
                let mut picks = least.clone();
                picks[g] = a;
                if !ruled_out.iter().any(|c| c.picks == picks) {
                    ruled_out.push(self.price(&picks, &parts, months, prices, c));
                }
            }
        }
        if order.iter().any(Vec::is_empty) {
            // No configuration can meet the constraints: proved without pricing every one.
            return Outcome {
                candidates: ruled_out,
                pick: None,
                proved: true,
            };
        }
        let bound = |rank: &[usize]| -> f64 {
            rank.iter()
                .enumerate()
                .map(|(g, &r)| parts[g][order[g][r]].low_usd)
                .sum()
        };
        // Best-first over rank vectors: each is generated once, from its parent by raising one
        // coordinate at or after the parent's last raised one.
        let mut heap = std::collections::BinaryHeap::new();
        let start = vec![0usize; parts.len()];
        heap.push(Entry {
            bound: bound(&start),
            rank: start,
            last: 0,
        });
        let mut out = Outcome {
            candidates: Vec::new(),
            pick: None,
            proved: true,
        };
        while let Some(Entry {
            bound: lb,
            rank,
            last,
        }) = heap.pop()
        {
            let best = out.pick.map(|i| out.candidates[i].total_usd);
            // Float sums differ in their last bits: stop only when clearly above the best.
            if let Some(best) = best
                && lb > best + 1e-9 * best.abs().max(1.0)
                && out.candidates.len() >= min_candidates
            {
                break;
            }
            if out.candidates.len() >= max_candidates {
                out.proved = false;
                break;
            }
            for g in last..rank.len() {
                if rank[g] + 1 < order[g].len() {
                    let mut next = rank.clone();
                    next[g] += 1;
                    heap.push(Entry {
                        bound: bound(&next),
                        rank: next,
                        last: g,
                    });
                }
            }
            let picks: Vec<usize> = rank.iter().enumerate().map(|(g, &r)| order[g][r]).collect();
            let cand = self.price(&picks, &parts, months, prices, c);
            let better = match out.pick {
                None => true,
                Some(i) => {
                    let b = &out.candidates[i];
                    cand.total_usd < b.total_usd
                        || (cand.total_usd == b.total_usd && cand.picks < b.picks)
                }
            };
            if cand.infeasible.is_none() && better {
                out.pick = Some(out.candidates.len());
            }
            out.candidates.push(cand);
        }
        for r in ruled_out {
            if !out.candidates.iter().any(|c| c.picks == r.picks) {
                out.candidates.push(r);
            }
        }
        out
    }

    fn price(
        &self,
        picks: &[usize],
        parts: &[Vec<Part>],
        months: &crate::ledger::Months,
        prices: &crate::pricing::PriceTable,
        c: &Constraints,
    ) -> Candidate {
        let r = self.combine(picks, months.len());
        let bill = crate::ledger::bill(&r.usage, months, prices);
        let total_usd = bill.total();
        let mut per_month = vec![0u64; months.len()];
        let (mut gets, mut over, mut lost) = (0u64, 0u64, 0u64);
        for (g, &a) in picks.iter().enumerate() {
            let p = &parts[g][a];
            lost += p.lost_reads;
            for (m, x) in p.restores.iter().enumerate() {
                per_month[m] += x;
            }
            gets += p.gets;
            over += p.over_budget;
        }
        let p99 = r.stats.get_latency_quantile(0.99);
        let max_restores_month = per_month.iter().copied().max().unwrap_or(0);
        let mut why = Vec::new();
        if let Some(b) = c.max_p99_get_wait_s {
            // The p99 is within the budget when at most n - rank(0.99) GETs wait longer; the
            // counts add up over groups (the exact p99 above is for the table).
            let rank = ((0.99 * gets as f64).ceil() as u64).clamp(1, gets.max(1));
            if gets > 0 && over > gets - rank {
                why.push(format!("p99 GET wait {p99} s over {b} s"));
            }
        }
        if let Some(m) = c.max_restores_per_month
            && max_restores_month > m
        {
            why.push(format!(
                "{max_restores_month} restores in a month, over {m}"
            ));
        }
        // A price table that ends its bands cannot price usage beyond: such a configuration's
        // cost is unknown (its bound priced it at the last band).
        if let Some(b) = bill.beyond_prices.first() {
            why.push(format!("not priced: {b}"));
        }
        if lost > 0 {
            why.push(format!(
                "{lost} GET/HEAD requests of the workload would find objects its expirations deleted"
            ));
        }
        Candidate {
            picks: picks.to_vec(),
            total_usd,
            p99_get_wait_s: p99,
            restores: r.stats.restores,
            max_restores_month,
            infeasible: (!why.is_empty()).then(|| why.join("; ")),
        }
    }
}

/// A heap entry of the best-first search: smallest bound first, then rank vector.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    bound: f64,
    rank: Vec<usize>,
    last: usize,
}

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        o.bound
            .total_cmp(&self.bound)
            .then_with(|| o.rank.cmp(&self.rank))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
