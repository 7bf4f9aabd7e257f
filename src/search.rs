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
//! (`logs/` at depth 1, `logs/2026/` at depth 2). Keys with fewer segments form the *rest*: no
//! lifecycle prefix can select them without selecting a group too, so they keep no rule (unless
//! the rest is the whole workload, when its prefix is empty and the rule is the bucket's).

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
    let mut rest = Group {
        prefixes: Vec::new(),
        events: Vec::new(),
        keys: 0,
    };
    let mut start = 0;
    let events = &w.events;
    while start < events.len() {
        let key = events[start].key;
        let mut end = start + 1;
        while end < events.len() && events[end].key == key {
            end += 1;
        }
        let target = match group_prefix(&w.keys[key as usize], depth) {
            Some(p) => {
                if groups.last().map(|g| g.prefixes[0].as_str()) != Some(p) {
                    groups.push(Group {
                        prefixes: vec![p.to_string()],
                        events: Vec::new(),
                        keys: 0,
                    });
                }
                groups.last_mut().expect("just pushed")
            }
            None => &mut rest,
        };
        match target.events.last_mut() {
            Some(r) if r.end == start => r.end = end,
            _ => target.events.push(start..end),
        }
        target.keys += 1;
        start = end;
    }
    if groups.is_empty() && rest.keys > 0 {
        // No key has a prefix at this depth: the whole workload is one group, the bucket's rule.
        rest.prefixes = vec![String::new()];
    }
    if rest.keys > 0 {
        groups.push(rest);
    }
    groups
}

/// What a candidate does to the objects of one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// No rule.
    Keep,
    /// `Transition` to `class` after `days`.
    Transition { class: StorageClass, days: u32 },
}

impl Action {
    /// The JSON of this action's rule for `prefix` (None for [`Action::Keep`]).
    pub fn rule_json(&self, id: &str, prefix: &str) -> Option<String> {
        match *self {
            Action::Keep => None,
            Action::Transition { class, days } => Some(format!(
                r#"{{"ID":{},"Status":"Enabled","Filter":{{"Prefix":{}}},"Transitions":[{{"Days":{days},"StorageClass":"{}"}}]}}"#,
                serde_json::Value::from(id),
                serde_json::Value::from(prefix),
                class.api_name()
            )),
        }
    }

    /// `keep` or `GLACIER_IR@7d`, for tables.
    pub fn label(&self) -> String {
        match *self {
            Action::Keep => "keep".into(),
            Action::Transition { class, days } => format!("{}@{days}d", class.api_name()),
        }
    }
}

/// The lifecycle configuration that gives `picks[g]` to group `g` (the rest always keeps: see the
/// module docs), as JSON for `put-bucket-lifecycle-configuration`.
pub fn configuration_json(groups: &[Group], picks: &[Action]) -> String {
    let mut rules: Vec<String> = Vec::new();
    for (g, a) in groups.iter().zip(picks) {
        for p in &g.prefixes {
            if let Some(r) = a.rule_json(&format!("s3sim-{}", rules.len() + 1), p) {
                rules.push(r);
            }
        }
    }
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
    if groups
        .iter()
        .zip(picks)
        .all(|(g, a)| !g.selectable() || *a == Action::Keep)
    {
        let mut p = Policy::none();
        p.name = name.to_string();
        return Ok(p);
    }
    Policy::parse(name, name, &configuration_json(groups, picks), opts)
}

/// The simulation of every group under every action: `results[g][a]`.
pub struct Table {
    pub actions: Vec<Action>,
    pub results: Vec<Vec<SimResult>>,
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
    // One policy per (group, action); the rest, with no prefix, only ever keeps.
    let mut policies: Vec<Vec<Policy>> = Vec::with_capacity(groups.len());
    for g in groups {
        let mut row = Vec::with_capacity(actions.len());
        for a in actions {
            let a = if g.selectable() { *a } else { Action::Keep };
            row.push(configuration(
                &a.label(),
                std::slice::from_ref(g),
                &[a],
                vopts,
            )?);
        }
        policies.push(row);
    }
    let pairs: Vec<(usize, usize)> = (0..groups.len())
        .flat_map(|g| (0..actions.len()).map(move |a| (g, a)))
        .collect();
    let mut flat: Vec<(usize, usize, SimResult)> = pairs
        .par_iter()
        .map(|&(g, a)| {
            let mut sim = Simulator::new(w, &policies[g][a], opts, get_delays);
            for r in &groups[g].events {
                sim.run(&w.events[r.clone()]);
            }
            (g, a, sim.finish())
        })
        .collect();
    flat.sort_by_key(|(g, a, _)| (*g, *a));
    let mut results: Vec<Vec<SimResult>> = (0..groups.len()).map(|_| Vec::new()).collect();
    for (g, _, r) in flat {
        results[g].push(r);
    }
    Ok(Table {
        actions: actions.to_vec(),
        results,
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
