//! The price file (`pricing/aws-us-east-1.toml` or a user's copy) -> a validated [`PriceTable`].
//!
//! Every price is required: a missing key is an error naming it, never a silent $0.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::model::time::{Micros, SECOND};
use crate::model::{BillClass, RestoreTier, StorageClass};

mod discount;
pub mod import;
pub use discount::Discount;

/// The bundled default price table, embedded in the binary.
pub const DEFAULT_TOML: &str = include_str!("../../pricing/aws-us-east-1.toml");
/// Where the bundled table lives in the repository, for messages and `run.json`.
pub const DEFAULT_NAME: &str = "pricing/aws-us-east-1.toml (built in)";

/// A price for reading: at most 10 decimals, without trailing zeros (`0.011`, not
/// `0.011000000000000001` after a discount).
fn px(x: f64) -> String {
    let s = format!("{x:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The bundled tables: region, file name, text.
pub const BUNDLED: &[(&str, &str, &str)] = &[
    ("us-east-1", "pricing/aws-us-east-1.toml", DEFAULT_TOML),
    (
        "eu-west-1",
        "pricing/aws-eu-west-1.toml",
        include_str!("../../pricing/aws-eu-west-1.toml"),
    ),
    (
        "ap-northeast-1",
        "pricing/aws-ap-northeast-1.toml",
        include_str!("../../pricing/aws-ap-northeast-1.toml"),
    ),
    (
        "ap-southeast-1",
        "pricing/aws-ap-southeast-1.toml",
        include_str!("../../pricing/aws-ap-southeast-1.toml"),
    ),
    (
        "ap-southeast-2",
        "pricing/aws-ap-southeast-2.toml",
        include_str!("../../pricing/aws-ap-southeast-2.toml"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum PricingError {
    #[error("cannot read pricing file {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("pricing file {path}: {message}")]
    Parse { path: String, message: String },
    #[error("pricing file {path}: {field}: {message}")]
    Invalid {
        path: String,
        field: String,
        message: String,
    },
}

/// One volume band: the price applies to the part of the month's total up to `up_to_gb`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub up_to_gb: Option<f64>,
    pub usd: f64,
}

/// Volume bands, ascending; the last has no upper edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Bands(pub Vec<Band>);

impl Bands {
    /// One band at the lowest price of these: a price no unit is ever billed below.
    pub fn lowest(&self) -> Bands {
        let usd = self.0.iter().map(|b| b.usd).fold(f64::INFINITY, f64::min);
        Bands(vec![Band {
            up_to_gb: None,
            usd,
        }])
    }

    /// Where the prices end, when the last band has an upper edge (a table whose higher bands
    /// could not be sourced): no price is known beyond it.
    pub fn limit(&self) -> Option<f64> {
        self.0.last().and_then(|b| b.up_to_gb)
    }

    /// The cost of `quantity` units (GB-months or GB) in one month, band by band (beyond a
    /// [`Bands::limit`], at the last band's price: a bound only, as no bill may be reported there).
    pub fn cost(&self, quantity: f64) -> f64 {
        let mut total = 0.0;
        let mut lower = 0.0;
        let n = self.0.len();
        for (i, band) in self.0.iter().enumerate() {
            let upper = if i + 1 == n {
                f64::INFINITY
            } else {
                band.up_to_gb.unwrap_or(f64::INFINITY)
            };
            if quantity > lower {
                total += (quantity.min(upper) - lower) * band.usd;
            }
            lower = upper;
        }
        total
    }

    fn describe(&self) -> String {
        if self.0.len() == 1 && self.0[0].up_to_gb.is_none() {
            return px(self.0[0].usd);
        }
        let mut lower = 0.0;
        let mut parts = Vec::new();
        for b in &self.0 {
            match b.up_to_gb {
                Some(u) => parts.push(format!("{} ({lower}-{u} GB)", px(b.usd))),
                None => parts.push(format!("{} (over {lower} GB)", px(b.usd))),
            }
            lower = b.up_to_gb.unwrap_or(lower);
        }
        if let Some(l) = self.limit() {
            parts.push(format!(
                "no price known beyond {l} GB (a run that goes beyond stops)"
            ));
        }
        parts.join(", ")
    }

    fn scaled(&self, factor: f64) -> Bands {
        Bands(
            self.0
                .iter()
                .map(|b| Band {
                    up_to_gb: b.up_to_gb,
                    usd: b.usd * factor,
                })
                .collect(),
        )
    }
}

/// The price of restoring archived data at one tier.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestorePrice {
    pub usd_per_gb: f64,
    pub usd_per_1000_requests: f64,
}

/// Request-rate limits per partitioned prefix [requests/s].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub write_rps: u32,
    pub read_rps: u32,
}

/// Validated prices, indexed by [`BillClass`], [`StorageClass`] and [`RestoreTier`].
#[derive(Debug, Clone, PartialEq)]
pub struct PriceTable {
    /// Where the table came from (a path, or the built-in name).
    pub origin: String,
    pub region: String,
    pub as_of: String,
    /// [usd per GB-month] by billing class.
    pub storage: Vec<Bands>,
    /// [usd per 1,000 requests] PUT, COPY, POST, LIST by class written.
    pub put: [f64; StorageClass::COUNT],
    /// [usd per 1,000 requests] GET, HEAD by class read.
    pub get: [f64; StorageClass::COUNT],
    /// [usd per 1,000 transitions] into a class (None for STANDARD, which is no target).
    pub transition: [Option<f64>; StorageClass::COUNT],
    /// [usd per GB] read from a class with a retrieval fee (its row's `retrieval_fee`; 0 elsewhere).
    pub retrieval: [f64; StorageClass::COUNT],
    /// Restore prices by class and tier (None where the class's row has no such tier).
    pub restore: [[Option<RestorePrice>; 3]; StorageClass::COUNT],
    /// [usd per 1,000 objects per month] Intelligent-Tiering monitoring.
    pub monitoring_per_1000: f64,
    /// [usd per GB] data transfer out to the internet, by monthly volume band.
    pub egress: Bands,
    /// Restore wait by class and tier.
    pub restore_latency: [[Option<Micros>; 3]; StorageClass::COUNT],
    pub limits: Limits,
    /// The `--discount` applied to these prices, described (None: list prices).
    pub discount: Option<String>,
}

// ----- the file's shape -----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    meta: Meta,
    storage: Section<Vec<Band>>,
    requests: Section<BTreeMap<String, f64>>,
    transitions: Section<f64>,
    retrieval: Section<f64>,
    restore: Section<BTreeMap<String, RestorePrice>>,
    monitoring: Section<f64>,
    egress: Section<Vec<Band>>,
    restore_latency: Section<BTreeMap<String, f64>>,
    limits: Section<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    region: String,
    currency: String,
    #[allow(dead_code)]
    source: String,
    as_of: String,
}

/// A section of the price file: the keys that document it (`unit`, `source` and, where dated,
/// `as_of`; checked present, not used) and its entries by name (a class, a tier, ...). Which
/// names a section holds is checked in [`PriceTable::parse`] against the lists of the model.
struct Section<T> {
    unit: Option<String>,
    source: Option<String>,
    as_of: Option<String>,
    entries: BTreeMap<String, T>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Section<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct SectionVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for SectionVisitor<T> {
            type Value = Section<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Section<T>, A::Error> {
                let mut s = Section {
                    unit: None,
                    source: None,
                    as_of: None,
                    entries: BTreeMap::new(),
                };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "unit" => s.unit = Some(map.next_value()?),
                        "source" => s.source = Some(map.next_value()?),
                        "as_of" => s.as_of = Some(map.next_value()?),
                        _ => {
                            let v = map.next_value()?;
                            s.entries.insert(key, v);
                        }
                    }
                }
                Ok(s)
            }
        }
        d.deserialize_map(SectionVisitor(PhantomData))
    }
}

/// Builds the errors of one price file and checks its tables against the model's lists.
struct Loader<'a> {
    origin: &'a str,
}

impl Loader<'_> {
    fn invalid(&self, field: &str, message: String) -> PricingError {
        PricingError::Invalid {
            path: self.origin.to_string(),
            field: field.to_string(),
            message: crate::model::limits::cut_message(&message),
        }
    }

    /// The entries of section `name`, after checking its documentation keys: `unit` and `source`
    /// always, `as_of` where `dated` (and only there).
    fn entries<T>(
        &self,
        name: &str,
        s: Section<T>,
        dated: bool,
    ) -> Result<BTreeMap<String, T>, PricingError> {
        for (key, present, wanted) in [
            ("unit", s.unit.is_some(), true),
            ("source", s.source.is_some(), true),
            ("as_of", s.as_of.is_some(), dated),
        ] {
            if present != wanted {
                let message = if wanted {
                    "missing: each section gives its unit and source (and a price section its as_of)"
                } else {
                    "unknown key: this section has no date"
                };
                return Err(self.invalid(&format!("{name}.{key}"), message.into()));
            }
        }
        Ok(s.entries)
    }

    /// The entry of each key of `all` that `has` holds, by position in `all` (None for the rest),
    /// taken from `entries` (the table `field`). A key that `has` holds and `entries` lacks, and an
    /// entry that is no such key, are errors naming them.
    fn take<K: Copy, T, const N: usize>(
        &self,
        field: &str,
        mut entries: BTreeMap<String, T>,
        all: [K; N],
        name: impl Fn(K) -> &'static str,
        has: impl Fn(K) -> bool,
    ) -> Result<[Option<T>; N], PricingError> {
        let wanted: Vec<&str> = all.into_iter().filter(|&k| has(k)).map(&name).collect();
        let list = || match wanted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => wanted.concat(),
        };
        if let Some(key) = entries.keys().find(|k| !wanted.contains(&k.as_str())) {
            return Err(self.invalid(
                &format!("{field}.{}", crate::model::limits::excerpt(key)),
                format!("unknown key: this table takes {}", list()),
            ));
        }
        if let Some(missing) = wanted.iter().find(|k| !entries.contains_key(**k)) {
            return Err(self.invalid(
                &format!("{field}.{missing}"),
                format!("missing: this table needs {}", list()),
            ));
        }
        Ok(all.map(|k| {
            if has(k) {
                entries.remove(name(k))
            } else {
                None
            }
        }))
    }

    /// Validated volume bands.
    fn bands(&self, field: &str, v: Vec<Band>) -> Result<Bands, PricingError> {
        if v.is_empty() {
            return Err(self.invalid(field, "needs at least one band".into()));
        }
        let mut lower = 0.0;
        for (i, b) in v.iter().enumerate() {
            check_price(b.usd).map_err(|m| self.invalid(&format!("{field}[{i}].usd"), m))?;
            match (b.up_to_gb, i + 1 == v.len()) {
                // The last band may end: no price is known beyond it, and a run that goes
                // beyond stops (a region whose higher bands could not be sourced).
                (Some(u), true)
                    if u.partial_cmp(&lower) != Some(std::cmp::Ordering::Greater)
                        || !u.is_finite() =>
                {
                    return Err(self.invalid(
                        &format!("{field}[{i}].up_to_gb"),
                        "must be above the band before".into(),
                    ));
                }
                (Some(u), true) => lower = u,
                (None, false) => {
                    return Err(self.invalid(
                        &format!("{field}[{i}]"),
                        "only the last band may omit up_to_gb".into(),
                    ));
                }
                (Some(u), false)
                    if u.partial_cmp(&lower) != Some(std::cmp::Ordering::Greater)
                        || !u.is_finite() =>
                {
                    return Err(self.invalid(
                        &format!("{field}[{i}].up_to_gb"),
                        format!("band edges must increase (got {u} after {lower})"),
                    ));
                }
                (Some(u), false) => lower = u,
                (None, true) => {}
            }
        }
        Ok(Bands(v))
    }

    /// A restore latency [s] as [`Micros`].
    fn secs(&self, field: &str, v: f64) -> Result<Micros, PricingError> {
        if !(v.is_finite() && (0.0..=MAX_RESTORE_LATENCY_S).contains(&v)) {
            return Err(self.invalid(
                field,
                format!("must be from 0 to {MAX_RESTORE_LATENCY_S} seconds (a year), got {v}"),
            ));
        }
        Ok((v * SECOND as f64).round() as Micros)
    }

    /// A table by storage class holding the classes `has` holds (None for the others).
    fn by_class<T>(
        &self,
        field: &str,
        entries: BTreeMap<String, T>,
        has: impl Fn(StorageClass) -> bool,
    ) -> Result<[Option<T>; StorageClass::COUNT], PricingError> {
        self.take(
            field,
            entries,
            StorageClass::ALL,
            StorageClass::api_name,
            has,
        )
    }

    /// A table by restore tier of the archive classes, `CLASS.tier`: each class's row names its
    /// tiers.
    /// With `intelligent_tiering`, INTELLIGENT_TIERING too, with every tier (the restores from its
    /// archive tiers).
    fn by_class_and_tier<T>(
        &self,
        field: &str,
        entries: BTreeMap<String, BTreeMap<String, T>>,
        intelligent_tiering: bool,
    ) -> Result<[[Option<T>; 3]; StorageClass::COUNT], PricingError> {
        let it = |c: StorageClass| intelligent_tiering && c == StorageClass::IntelligentTiering;
        let tables = self.by_class(field, entries, |c| c.is_archive() || it(c))?;
        let mut out = StorageClass::ALL.map(|_| [None, None, None]);
        for (c, tiers) in StorageClass::ALL.into_iter().zip(tables) {
            if let Some(tiers) = tiers {
                let row = c.row();
                out[c.index()] = self.take(
                    &format!("{field}.{c}"),
                    tiers,
                    RestoreTier::ALL,
                    RestoreTier::name,
                    |t| it(c) || row.restore_tiers.contains(&t),
                )?;
            }
        }
        Ok(out)
    }
}

/// Every key of `all`, for [`Loader::take`].
fn every<K>(_: K) -> bool {
    true
}

/// The values of a table that holds every key.
fn complete<T, const N: usize>(a: [Option<T>; N]) -> [T; N] {
    a.map(|v| v.expect("Loader::take checked every key present"))
}

impl PriceTable {
    /// The built-in us-east-1 table.
    pub fn builtin() -> PriceTable {
        PriceTable::parse(DEFAULT_NAME, DEFAULT_TOML).expect("the bundled price table is valid")
    }

    /// The bundled table of a region.
    pub fn bundled(region: &str) -> Result<PriceTable, String> {
        match BUNDLED.iter().find(|(r, _, _)| *r == region) {
            Some((_, name, text)) => Ok(PriceTable::parse(&format!("{name} (built in)"), text)
                .expect("the bundled price tables are valid")),
            None => Err(format!(
                "--region {region:?}: no bundled price table; bundled: {}. For another region, download AWS's price list offer files AmazonS3, AmazonS3GlacierDeepArchive and AWSDataTransfer for it (see the README, \"Prices\") and run `s3sim pricing import AmazonS3.json AmazonS3GlacierDeepArchive.json AWSDataTransfer.json --region {region} --out FILE`, then pass --pricing FILE",
                BUNDLED
                    .iter()
                    .map(|(r, _, _)| *r)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Whether the table is one s3sim bundles (not a user's file).
    pub fn is_builtin(&self) -> bool {
        self.origin.ends_with(" (built in)")
    }

    pub fn from_file(path: &Path) -> Result<PriceTable, PricingError> {
        let text =
            crate::model::limits::read_bounded(path, crate::model::limits::MAX_PRICE_FILE_BYTES)
                .map_err(|error| PricingError::Read {
                    path: path.display().to_string(),
                    error,
                })?;
        PriceTable::parse(&path.display().to_string(), &text)
    }

    /// Reads a price file. Each per-class table must name exactly the classes the model's rows
    /// call for ([`StorageClass`], [`BillClass`]): a missing price or an unknown key is an error
    /// naming it.
    pub fn parse(origin: &str, text: &str) -> Result<PriceTable, PricingError> {
        let f: File = toml::from_str(text).map_err(|e| PricingError::Parse {
            path: origin.to_string(),
            message: crate::model::limits::cut_message(
                &e.to_string().trim_end().replace('\n', "\n  "),
            ),
        })?;
        let l = Loader { origin };
        // Reports print dollars; a table in another currency would be mislabelled.
        if f.meta.currency != "USD" {
            return Err(l.invalid(
                "meta.currency",
                format!(
                    "{}: s3sim reports in USD, so prices must be in USD",
                    crate::model::limits::quoted(&f.meta.currency)
                ),
            ));
        }
        let entries = l.entries("storage", f.storage, true)?;
        let storage =
            complete(l.take("storage", entries, BillClass::ALL, BillClass::name, every)?)
                .into_iter()
                .zip(BillClass::ALL)
                .map(|(v, c)| l.bands(&format!("storage.{}", c.name()), v))
                .collect::<Result<Vec<_>, _>>()?;
        let entries = l.entries("requests", f.requests, true)?;
        let [put, get] = complete(l.take("requests", entries, ["put", "get"], |k| k, every)?);
        let put = complete(l.by_class("requests.put", put, every)?);
        let get = complete(l.by_class("requests.get", get, every)?);
        let entries = l.entries("transitions", f.transitions, true)?;
        let transition = l.by_class("transitions", entries, StorageClass::is_transition_target)?;
        let entries = l.entries("retrieval", f.retrieval, true)?;
        let retrieval = l
            .by_class("retrieval", entries, |c| c.row().retrieval_fee)?
            .map(|p| p.unwrap_or(0.0));
        let entries = l.entries("restore", f.restore, true)?;
        let restore = l.by_class_and_tier("restore", entries, true)?;
        let entries = l.entries("restore_latency", f.restore_latency, false)?;
        let mut restore_latency = [[None; 3]; StorageClass::COUNT];
        for (c, tiers) in StorageClass::ALL.into_iter().zip(l.by_class_and_tier(
            "restore_latency",
            entries,
            false,
        )?) {
            for (tier, v) in RestoreTier::ALL.into_iter().zip(tiers) {
                if let Some(v) = v {
                    let field = format!("restore_latency.{c}.{}", tier.name());
                    restore_latency[c.index()][tier.index()] = Some(l.secs(&field, v)?);
                }
            }
        }
        let entries = l.entries("monitoring", f.monitoring, true)?;
        let [monitoring_per_1000] = complete(l.take(
            "monitoring",
            entries,
            [StorageClass::IntelligentTiering],
            StorageClass::api_name,
            every,
        )?);
        let entries = l.entries("egress", f.egress, true)?;
        let [internet] = complete(l.take("egress", entries, ["internet"], |k| k, every)?);
        let entries = l.entries("limits", f.limits, false)?;
        let [write_rps, read_rps] =
            complete(l.take("limits", entries, ["write_rps", "read_rps"], |k| k, every)?);
        let table = PriceTable {
            origin: origin.to_string(),
            region: f.meta.region,
            as_of: f.meta.as_of,
            storage,
            put,
            get,
            transition,
            retrieval,
            restore,
            monitoring_per_1000,
            egress: l.bands("egress.internet", internet)?,
            restore_latency,
            limits: Limits {
                write_rps,
                read_rps,
            },
            discount: None,
        };
        for (name, v) in table.flat_prices() {
            check_price(v).map_err(|m| l.invalid(&name, m))?;
        }
        if table.limits.write_rps == 0 || table.limits.read_rps == 0 {
            return Err(l.invalid("limits", "request-rate limits must be positive".into()));
        }
        Ok(table)
    }

    /// Every single (non-band) price with its field name.
    pub fn flat_prices(&self) -> Vec<(String, f64)> {
        let mut v = Vec::new();
        for c in StorageClass::ALL {
            v.push((format!("requests.put.{c}"), self.put[c.index()]));
            v.push((format!("requests.get.{c}"), self.get[c.index()]));
            if let Some(p) = self.transition[c.index()] {
                v.push((format!("transitions.{c}"), p));
            }
            v.push((format!("retrieval.{c}"), self.retrieval[c.index()]));
            for tier in RestoreTier::ALL {
                if let Some(p) = self.restore[c.index()][tier.index()] {
                    v.push((
                        format!("restore.{c}.{}.usd_per_gb", tier.name()),
                        p.usd_per_gb,
                    ));
                    v.push((
                        format!("restore.{c}.{}.usd_per_1000_requests", tier.name()),
                        p.usd_per_1000_requests,
                    ));
                }
            }
        }
        v.push((
            "monitoring.INTELLIGENT_TIERING".into(),
            self.monitoring_per_1000,
        ));
        v
    }

    /// The same prices with every volume band at its lowest price: linear in usage, and never
    /// above the real bill (the policy search's lower bound).
    pub fn lowest_bands(&self) -> PriceTable {
        let mut t = self.clone();
        t.storage = t.storage.iter().map(Bands::lowest).collect();
        t.egress = t.egress.lowest();
        t
    }

    /// The smallest first-band edge of any banded price [GB-months of storage; GB of egress]:
    /// below both, every bill is linear in its usage (each unit at its first band's price).
    pub fn first_band_edges(&self) -> (f64, f64) {
        let edge = |b: &Bands| {
            b.0.first()
                .and_then(|b| b.up_to_gb)
                .unwrap_or(f64::INFINITY)
        };
        let storage = self.storage.iter().map(edge).fold(f64::INFINITY, f64::min);
        (storage, edge(&self.egress))
    }

    /// The storage bands of a billing class.
    pub fn storage_bands(&self, c: BillClass) -> &Bands {
        &self.storage[c.index()]
    }

    /// The prices with a negotiated discount taken off, component by component (see
    /// [`Discount`]); the table says so in `discount`.
    pub fn discounted(&self, d: &Discount) -> PriceTable {
        if d.is_none() {
            return self.clone();
        }
        let f = |c: &str| d.factor(c);
        let (requests, retrieval) = (f("requests"), f("retrieval"));
        let mut restore = self.restore;
        for row in restore.iter_mut() {
            for p in row.iter_mut().flatten() {
                p.usd_per_gb *= retrieval;
                p.usd_per_1000_requests *= retrieval;
            }
        }
        PriceTable {
            storage: self
                .storage
                .iter()
                .map(|b| b.scaled(f("storage")))
                .collect(),
            put: self.put.map(|p| p * requests),
            get: self.get.map(|p| p * requests),
            transition: self.transition.map(|p| p.map(|p| p * f("transitions"))),
            retrieval: self.retrieval.map(|p| p * retrieval),
            restore,
            monitoring_per_1000: self.monitoring_per_1000 * f("monitoring"),
            egress: self.egress.scaled(f("egress")),
            discount: Some(d.describe()),
            ..self.clone()
        }
    }

    /// Every price multiplied by `factor` (for what-if runs and the "double every price" property).
    pub fn scaled(&self, factor: f64) -> PriceTable {
        let mul = |a: [f64; StorageClass::COUNT]| a.map(|p| p * factor);
        let mut restore = self.restore;
        for row in restore.iter_mut() {
            for p in row.iter_mut().flatten() {
                p.usd_per_gb *= factor;
                p.usd_per_1000_requests *= factor;
            }
        }
        PriceTable {
            origin: format!("{} x {factor}", self.origin),
            storage: self.storage.iter().map(|b| b.scaled(factor)).collect(),
            put: mul(self.put),
            get: mul(self.get),
            transition: self.transition.map(|p| p.map(|p| p * factor)),
            retrieval: mul(self.retrieval),
            restore,
            monitoring_per_1000: self.monitoring_per_1000 * factor,
            egress: self.egress.scaled(factor),
            ..self.clone()
        }
    }

    /// A readable listing of the table, for `s3sim pricing`.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Price table: {} (region {}, as of {})",
            self.origin, self.region, self.as_of
        );
        if let Some(d) = &self.discount {
            let _ = writeln!(out, "Discount: {d} (the prices below are after it)");
        }
        let _ = writeln!(
            out,
            "Bundled regions (--region): {}",
            BUNDLED
                .iter()
                .map(|(r, _, _)| *r)
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(out, "\nStorage [USD per GB-month]");
        for c in BillClass::ALL {
            let _ = writeln!(
                out,
                "  {:<38} {}",
                c.name(),
                self.storage[c.index()].describe()
            );
        }
        let _ = writeln!(
            out,
            "\nRequests [USD per 1,000]        {:>10} {:>10} {:>12} {:>10}",
            "PUT/LIST", "GET/HEAD", "transition", "retr./GB"
        );
        for c in StorageClass::ALL {
            let i = c.index();
            let tr = self.transition[i].map_or("-".to_string(), px);
            let _ = writeln!(
                out,
                "  {:<30} {:>10} {:>10} {:>12} {:>10}",
                c.api_name(),
                px(self.put[i]),
                px(self.get[i]),
                tr,
                px(self.retrieval[i])
            );
        }
        let _ = writeln!(
            out,
            "\nRestores                         USD/GB  USD/1,000 req  wait"
        );
        for c in StorageClass::ALL.into_iter().filter(|c| c.is_archive()) {
            for tier in RestoreTier::ALL {
                if let Some(p) = self.restore[c.index()][tier.index()] {
                    let wait = self.restore_latency[c.index()][tier.index()].unwrap_or(0);
                    let _ = writeln!(
                        out,
                        "  {:<13} {:<16} {:>6} {:>14}  {}",
                        c.api_name(),
                        tier.name(),
                        px(p.usd_per_gb),
                        px(p.usd_per_1000_requests),
                        crate::model::time::fmt_wait(wait)
                    );
                }
            }
        }
        // Intelligent-Tiering's archive tiers wait as GLACIER (Archive Access) and DEEP_ARCHIVE
        // (Deep Archive Access) do.
        let it = StorageClass::IntelligentTiering.index();
        for (tier_name, like, tiers) in [
            (
                "Archive Access",
                StorageClass::Glacier,
                &RestoreTier::ALL[..],
            ),
            (
                "Deep Archive",
                StorageClass::DeepArchive,
                &[RestoreTier::Standard, RestoreTier::Bulk][..],
            ),
        ] {
            for &tier in tiers {
                if let Some(p) = self.restore[it][tier.index()] {
                    let wait = self.restore_latency[like.index()][tier.index()].unwrap_or(0);
                    let _ = writeln!(
                        out,
                        "  IT {:<14} {:<12} {:>6} {:>14}  {}",
                        tier_name,
                        tier.name(),
                        px(p.usd_per_gb),
                        px(p.usd_per_1000_requests),
                        crate::model::time::fmt_wait(wait)
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "\nIntelligent-Tiering monitoring: {} USD per 1,000 objects per month (objects >= 128 KB)",
            px(self.monitoring_per_1000)
        );
        let _ = writeln!(
            out,
            "Data transfer out to the internet [USD per GB]: {}",
            self.egress.describe()
        );
        let _ = writeln!(
            out,
            "Request-rate limits per prefix: {} writes/s, {} reads/s",
            self.limits.write_rps, self.limits.read_rps
        );
        out
    }
}

/// The highest price s3sim accepts for one unit (a GB-month, 1,000 requests, a GB) [USD]. S3's
/// dearest unit price is a few dollars; the bound keeps every total a number with cents, far from
/// the 300-digit totals that a price near f64's limit gives.
pub const MAX_PRICE_USD: f64 = 1_000_000.0;

/// The longest restore latency s3sim accepts [s]: a year (S3's slowest, DEEP_ARCHIVE bulk, is 48
/// hours), so that a restore always completes within the range of instants s3sim handles.
pub const MAX_RESTORE_LATENCY_S: f64 = 365.0 * 86_400.0;

fn check_price(v: f64) -> Result<(), String> {
    if v.is_finite() && (0.0..=MAX_PRICE_USD).contains(&v) {
        Ok(())
    } else {
        Err(format!(
            "a price must be a number from 0 to {MAX_PRICE_USD} USD, got {v}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_has_the_fact_sheet_prices() {
        let t = PriceTable::builtin();
        assert_eq!(t.storage_bands(BillClass::StandardIa).cost(1.0), 0.0125);
        assert_eq!(t.put[StorageClass::Standard.index()], 0.005);
        assert_eq!(t.get[StorageClass::GlacierIr.index()], 0.01);
        assert_eq!(t.transition[StorageClass::DeepArchive.index()], Some(0.05));
        assert_eq!(t.transition[StorageClass::Standard.index()], None);
        assert!(
            t.restore[StorageClass::DeepArchive.index()][RestoreTier::Expedited.index()].is_none()
        );
        assert_eq!(
            t.limits,
            Limits {
                write_rps: 3500,
                read_rps: 5500
            }
        );
        assert_eq!(
            t.restore_latency[StorageClass::DeepArchive.index()][RestoreTier::Bulk.index()],
            Some(48 * 3_600 * SECOND)
        );
    }

    #[test]
    fn bands_charge_each_slice_at_its_rate() {
        let t = PriceTable::builtin();
        // S3 FAQ example: 52,900 GB-months = 51,200 x 0.023 + 1,700 x 0.022 = 1,177.60 + 37.40.
        let cost = t.storage_bands(BillClass::Standard).cost(52_900.0);
        assert!((cost - 1_215.00).abs() < 1e-9, "{cost}");
        // Beyond the second edge: 51,200 x 0.023 + 460,800 x 0.022 + 1,000 x 0.021.
        let cost = t.storage_bands(BillClass::Standard).cost(513_000.0);
        assert!((cost - (1_177.6 + 10_137.6 + 21.0)).abs() < 1e-6, "{cost}");
        assert_eq!(t.storage_bands(BillClass::Standard).cost(0.0), 0.0);
    }

    /// A bad price file is an error naming the file and the key. Each per-class table holds
    /// exactly the classes the model's rows call for.
    #[test]
    fn bad_files_are_errors_naming_the_key() {
        let cases = [
            // A missing price.
            (
                "GLACIER_IR = 0.02\nGLACIER = 0.03\nDEEP_ARCHIVE = 0.05\n\n[requests.get]",
                "GLACIER_IR = 0.02\nGLACIER = 0.03\n\n[requests.get]",
                "requests.put.DEEP_ARCHIVE: missing",
            ),
            // Negative prices and bands out of order.
            (
                "ONEZONE_IA = [{ usd = 0.01 }]",
                "ONEZONE_IA = [{ usd = -0.01 }]",
                "storage.ONEZONE_IA[0].usd",
            ),
            (
                "{ up_to_gb = 512000, usd = 0.022 }, { usd = 0.021 }]\nINTELLIGENT",
                "{ up_to_gb = 1000, usd = 0.022 }, { usd = 0.021 }]\nINTELLIGENT",
                "storage.STANDARD[1].up_to_gb",
            ),
            // Unknown keys.
            (
                "[limits]",
                "[limits]\nlist_rps = 1",
                "limits.list_rps: unknown key",
            ),
            // Not a class.
            (
                "[transitions]\n",
                "[transitions]\nEXPRESS_ONEZONE = 0.01\n",
                "transitions.EXPRESS_ONEZONE: unknown key",
            ),
            // A class, but no transition goes to STANDARD.
            (
                "[transitions]\n",
                "[transitions]\nSTANDARD = 0.01\n",
                "transitions.STANDARD: unknown key",
            ),
            // No retrieval fee per GB for GLACIER (restores are priced instead).
            (
                "[retrieval]\n",
                "[retrieval]\nGLACIER = 0.01\n",
                "retrieval.GLACIER: unknown key",
            ),
            // DEEP_ARCHIVE has no expedited tier.
            (
                "DEEP_ARCHIVE.standard = 43200",
                "DEEP_ARCHIVE.expedited = 1\nDEEP_ARCHIVE.standard = 43200",
                "restore_latency.DEEP_ARCHIVE.expedited: unknown key",
            ),
            (
                "GLACIER.bulk = { usd_per_gb = 0.0, usd_per_1000_requests = 0.0 }\n",
                "",
                "restore.GLACIER.bulk: missing",
            ),
            (
                "INTELLIGENT_TIERING_INFREQUENT = [{ usd = 0.0125 }]\n",
                "",
                "storage.INTELLIGENT_TIERING_INFREQUENT: missing",
            ),
            ("[limits]\n", "[limits]\nas_of = \"x\"\n", "limits.as_of"),
            (
                "[egress]\nunit = \"usd_per_gb\"\n",
                "[egress]\n",
                "egress.unit: missing",
            ),
            // A type error keeps the TOML parser's line and column.
            (
                "GLACIER_IR = 0.03",
                "GLACIER_IR = \"x\"",
                "TOML parse error at line",
            ),
        ];
        for (from, to, needle) in cases {
            assert!(DEFAULT_TOML.contains(from), "{from}");
            let text = DEFAULT_TOML.replacen(from, to, 1);
            let err = PriceTable::parse("x.toml", &text).unwrap_err().to_string();
            assert!(
                err.contains("pricing file x.toml: ") && err.contains(needle),
                "{needle}: {err}"
            );
        }
    }

    #[test]
    fn scaling_doubles_every_price() {
        let t = PriceTable::builtin();
        let d = t.scaled(2.0);
        assert_eq!(d.put[0], 2.0 * t.put[0]);
        assert_eq!(
            d.storage_bands(BillClass::Standard).cost(60_000.0),
            2.0 * t.storage_bands(BillClass::Standard).cost(60_000.0)
        );
        assert_eq!(d.limits, t.limits);
    }
}
