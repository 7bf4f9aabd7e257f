//! The price file (`pricing/aws-us-east-1.toml` or a user's copy) -> a validated [`PriceTable`].
//!
//! Every price is required: a missing key is an error naming it, never a silent $0.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use crate::model::time::{Micros, SECOND};
use crate::model::{BillClass, RestoreTier, StorageClass};

/// The bundled default price table, embedded in the binary.
pub const DEFAULT_TOML: &str = include_str!("../../pricing/aws-us-east-1.toml");
/// Where the bundled table lives in the repository, for messages and `run.json`.
pub const DEFAULT_NAME: &str = "pricing/aws-us-east-1.toml (built in)";

#[derive(Debug, thiserror::Error)]
pub enum PricingError {
    #[error("cannot read pricing file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
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
    /// The cost of `quantity` units (GB-months or GB) in one month, band by band.
    pub fn cost(&self, quantity: f64) -> f64 {
        let mut total = 0.0;
        let mut lower = 0.0;
        for band in &self.0 {
            let upper = band.up_to_gb.unwrap_or(f64::INFINITY);
            if quantity > lower {
                total += (quantity.min(upper) - lower) * band.usd;
            }
            lower = upper;
        }
        total
    }

    fn describe(&self) -> String {
        if self.0.len() == 1 {
            return format!("{}", self.0[0].usd);
        }
        let mut lower = 0.0;
        let mut parts = Vec::new();
        for b in &self.0 {
            match b.up_to_gb {
                Some(u) => parts.push(format!("{} ({lower}-{u} GB)", b.usd)),
                None => parts.push(format!("{} (over {lower} GB)", b.usd)),
            }
            lower = b.up_to_gb.unwrap_or(lower);
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
    /// [usd per GB] read from STANDARD_IA, ONEZONE_IA, GLACIER_IR (0 elsewhere).
    pub retrieval: [f64; StorageClass::COUNT],
    /// Restore prices by class and tier (None where the class has no such tier).
    pub restore: [[Option<RestorePrice>; 3]; StorageClass::COUNT],
    /// [usd per 1,000 objects per month] Intelligent-Tiering monitoring.
    pub monitoring_per_1000: f64,
    /// [usd per GB] data transfer out to the internet, by monthly volume band.
    pub egress: Bands,
    /// Restore wait by class and tier.
    pub restore_latency: [[Option<Micros>; 3]; StorageClass::COUNT],
    pub limits: Limits,
}

// ----- the file's shape -----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    meta: Meta,
    storage: StorageSection,
    requests: RequestsSection,
    transitions: TransitionsSection,
    retrieval: RetrievalSection,
    restore: RestoreSection,
    monitoring: MonitoringSection,
    egress: EgressSection,
    restore_latency: LatencySection,
    limits: LimitsSection,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    region: String,
    #[allow(dead_code)]
    currency: String,
    #[allow(dead_code)]
    source: String,
    as_of: String,
}

/// Every section carries its unit, source and date; they are documentation, checked present.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StorageSection {
    #[allow(dead_code)]
    unit: String,
    #[allow(dead_code)]
    source: String,
    #[allow(dead_code)]
    as_of: String,
    #[serde(rename = "STANDARD")]
    standard: Vec<Band>,
    #[serde(rename = "INTELLIGENT_TIERING_FREQUENT")]
    it_frequent: Vec<Band>,
    #[serde(rename = "INTELLIGENT_TIERING_INFREQUENT")]
    it_infrequent: Vec<Band>,
    #[serde(rename = "INTELLIGENT_TIERING_ARCHIVE_INSTANT")]
    it_archive_instant: Vec<Band>,
    #[serde(rename = "STANDARD_IA")]
    standard_ia: Vec<Band>,
    #[serde(rename = "ONEZONE_IA")]
    onezone_ia: Vec<Band>,
    #[serde(rename = "GLACIER_IR")]
    glacier_ir: Vec<Band>,
    #[serde(rename = "GLACIER")]
    glacier: Vec<Band>,
    #[serde(rename = "DEEP_ARCHIVE")]
    deep_archive: Vec<Band>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PerClass {
    #[serde(rename = "STANDARD")]
    standard: f64,
    #[serde(rename = "INTELLIGENT_TIERING")]
    intelligent_tiering: f64,
    #[serde(rename = "STANDARD_IA")]
    standard_ia: f64,
    #[serde(rename = "ONEZONE_IA")]
    onezone_ia: f64,
    #[serde(rename = "GLACIER_IR")]
    glacier_ir: f64,
    #[serde(rename = "GLACIER")]
    glacier: f64,
    #[serde(rename = "DEEP_ARCHIVE")]
    deep_archive: f64,
}

impl PerClass {
    fn array(&self) -> [f64; StorageClass::COUNT] {
        [
            self.standard,
            self.standard_ia,
            self.onezone_ia,
            self.intelligent_tiering,
            self.glacier_ir,
            self.glacier,
            self.deep_archive,
        ]
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestsSection {
    #[allow(dead_code)]
    unit: String,
    #[allow(dead_code)]
    source: String,
    #[allow(dead_code)]
    as_of: String,
    put: PerClass,
    get: PerClass,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransitionsSection {
    #[allow(dead_code)]
    unit: String,
    #[allow(dead_code)]
    source: String,
    #[allow(dead_code)]
    as_of: String,
    #[serde(rename = "INTELLIGENT_TIERING")]
    intelligent_tiering: f64,
    #[serde(rename = "STANDARD_IA")]
    standard_ia: f64,
    #[serde(rename = "ONEZONE_IA")]
    onezone_ia: f64,
    #[serde(rename = "GLACIER_IR")]
    glacier_ir: f64,
    #[serde(rename = "GLACIER")]
    glacier: f64,
    #[serde(rename = "DEEP_ARCHIVE")]
    deep_archive: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetrievalSection {
    #[allow(dead_code)]
    unit: String,
    #[allow(dead_code)]
    source: String,
    #[allow(dead_code)]
    as_of: String,
    #[serde(rename = "STANDARD_IA")]
    standard_ia: f64,
    #[serde(rename = "ONEZONE_IA")]
    onezone_ia: f64,
    #[serde(rename = "GLACIER_IR")]
    glacier_ir: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlacierTiers<T> {
    expedited: T,
    standard: T,
    bulk: T,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeepArchiveTiers<T> {
    standard: T,
    bulk: T,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RestoreSection {
    #[allow(dead_code)]
    unit: String,
    #[allow(dead_code)]
    source: String,
    #[allow(dead_code)]
    as_of: String,
    #[serde(rename = "GLACIER")]
    glacier: GlacierTiers<RestorePrice>,
    #[serde(rename = "DEEP_ARCHIVE")]
    deep_archive: DeepArchiveTiers<RestorePrice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonitoringSection {
    #[allow(dead_code)]
    unit: String,
    #[allow(dead_code)]
    source: String,
    #[allow(dead_code)]
    as_of: String,
    #[serde(rename = "INTELLIGENT_TIERING")]
    intelligent_tiering: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EgressSection {
    #[allow(dead_code)]
    unit: String,
    #[allow(dead_code)]
    source: String,
    #[allow(dead_code)]
    as_of: String,
    internet: Vec<Band>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LatencySection {
    #[allow(dead_code)]
    unit: String,
    #[allow(dead_code)]
    source: String,
    #[serde(rename = "GLACIER")]
    glacier: GlacierTiers<f64>,
    #[serde(rename = "DEEP_ARCHIVE")]
    deep_archive: DeepArchiveTiers<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsSection {
    #[allow(dead_code)]
    unit: String,
    #[allow(dead_code)]
    source: String,
    write_rps: u32,
    read_rps: u32,
}

impl PriceTable {
    /// The built-in us-east-1 table.
    pub fn builtin() -> PriceTable {
        PriceTable::parse(DEFAULT_NAME, DEFAULT_TOML).expect("the bundled price table is valid")
    }

    pub fn from_file(path: &Path) -> Result<PriceTable, PricingError> {
        let text = std::fs::read_to_string(path).map_err(|source| PricingError::Read {
            path: path.display().to_string(),
            source,
        })?;
        PriceTable::parse(&path.display().to_string(), &text)
    }

    pub fn parse(origin: &str, text: &str) -> Result<PriceTable, PricingError> {
        let f: File = toml::from_str(text).map_err(|e| PricingError::Parse {
            path: origin.to_string(),
            message: e.to_string().trim_end().replace('\n', "\n  "),
        })?;
        let invalid = |field: &str, message: String| PricingError::Invalid {
            path: origin.to_string(),
            field: field.to_string(),
            message,
        };
        let bands = |field: &str, v: Vec<Band>| -> Result<Bands, PricingError> {
            if v.is_empty() {
                return Err(invalid(field, "needs at least one band".into()));
            }
            let mut lower = 0.0;
            for (i, b) in v.iter().enumerate() {
                check_price(b.usd).map_err(|m| invalid(&format!("{field}[{i}].usd"), m))?;
                match (b.up_to_gb, i + 1 == v.len()) {
                    (Some(_), true) => {
                        return Err(invalid(field, "the last band must have no up_to_gb".into()));
                    }
                    (None, false) => {
                        return Err(invalid(
                            &format!("{field}[{i}]"),
                            "only the last band may omit up_to_gb".into(),
                        ));
                    }
                    (Some(u), false)
                        if u.partial_cmp(&lower) != Some(std::cmp::Ordering::Greater)
                            || !u.is_finite() =>
                    {
                        return Err(invalid(
                            &format!("{field}[{i}].up_to_gb"),
                            format!("band edges must increase (got {u} after {lower})"),
                        ));
                    }
                    (Some(u), false) => lower = u,
                    (None, true) => {}
                }
            }
            Ok(Bands(v))
        };
        let s = f.storage;
        let storage = vec![
            bands("storage.STANDARD", s.standard)?,
            bands("storage.STANDARD_IA", s.standard_ia)?,
            bands("storage.ONEZONE_IA", s.onezone_ia)?,
            bands("storage.INTELLIGENT_TIERING_FREQUENT", s.it_frequent)?,
            bands("storage.INTELLIGENT_TIERING_INFREQUENT", s.it_infrequent)?,
            bands(
                "storage.INTELLIGENT_TIERING_ARCHIVE_INSTANT",
                s.it_archive_instant,
            )?,
            bands("storage.GLACIER_IR", s.glacier_ir)?,
            bands("storage.GLACIER", s.glacier)?,
            bands("storage.DEEP_ARCHIVE", s.deep_archive)?,
        ];
        debug_assert_eq!(storage.len(), BillClass::COUNT);
        let put = f.requests.put.array();
        let get = f.requests.get.array();
        let t = &f.transitions;
        let transition = [
            None,
            Some(t.standard_ia),
            Some(t.onezone_ia),
            Some(t.intelligent_tiering),
            Some(t.glacier_ir),
            Some(t.glacier),
            Some(t.deep_archive),
        ];
        let r = &f.retrieval;
        let retrieval = [
            0.0,
            r.standard_ia,
            r.onezone_ia,
            0.0,
            r.glacier_ir,
            0.0,
            0.0,
        ];
        let mut restore = [[None; 3]; StorageClass::COUNT];
        let g = &f.restore.glacier;
        restore[StorageClass::Glacier.index()] =
            [Some(g.expedited), Some(g.standard), Some(g.bulk)];
        let d = &f.restore.deep_archive;
        restore[StorageClass::DeepArchive.index()] = [None, Some(d.standard), Some(d.bulk)];
        let mut restore_latency = [[None; 3]; StorageClass::COUNT];
        let secs = |field: &str, v: f64| -> Result<Option<Micros>, PricingError> {
            if !(v.is_finite() && v >= 0.0) {
                return Err(invalid(
                    field,
                    format!("must be a non-negative number of seconds, got {v}"),
                ));
            }
            Ok(Some((v * SECOND as f64).round() as Micros))
        };
        let gl = &f.restore_latency.glacier;
        restore_latency[StorageClass::Glacier.index()] = [
            secs("restore_latency.GLACIER.expedited", gl.expedited)?,
            secs("restore_latency.GLACIER.standard", gl.standard)?,
            secs("restore_latency.GLACIER.bulk", gl.bulk)?,
        ];
        let dl = &f.restore_latency.deep_archive;
        restore_latency[StorageClass::DeepArchive.index()] = [
            None,
            secs("restore_latency.DEEP_ARCHIVE.standard", dl.standard)?,
            secs("restore_latency.DEEP_ARCHIVE.bulk", dl.bulk)?,
        ];
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
            monitoring_per_1000: f.monitoring.intelligent_tiering,
            egress: bands("egress.internet", f.egress.internet)?,
            restore_latency,
            limits: Limits {
                write_rps: f.limits.write_rps,
                read_rps: f.limits.read_rps,
            },
        };
        for (name, v) in table.flat_prices() {
            check_price(v).map_err(|m| invalid(&name, m))?;
        }
        if table.limits.write_rps == 0 || table.limits.read_rps == 0 {
            return Err(invalid(
                "limits",
                "request-rate limits must be positive".into(),
            ));
        }
        Ok(table)
    }

    /// Every single (non-band) price with its field name.
    fn flat_prices(&self) -> Vec<(String, f64)> {
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

    /// The storage bands of a billing class.
    pub fn storage_bands(&self, c: BillClass) -> &Bands {
        &self.storage[c.index()]
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
            let tr = self.transition[i].map_or("-".to_string(), |p| p.to_string());
            let _ = writeln!(
                out,
                "  {:<30} {:>10} {:>10} {:>12} {:>10}",
                c.api_name(),
                self.put[i],
                self.get[i],
                tr,
                self.retrieval[i]
            );
        }
        let _ = writeln!(
            out,
            "\nRestores                         USD/GB  USD/1,000 req  wait"
        );
        for c in [StorageClass::Glacier, StorageClass::DeepArchive] {
            for tier in RestoreTier::ALL {
                if let Some(p) = self.restore[c.index()][tier.index()] {
                    let wait = self.restore_latency[c.index()][tier.index()].unwrap_or(0);
                    let _ = writeln!(
                        out,
                        "  {:<13} {:<16} {:>6} {:>14}  {} h",
                        c.api_name(),
                        tier.name(),
                        p.usd_per_gb,
                        p.usd_per_1000_requests,
                        wait as f64 / 3_600e6
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "\nIntelligent-Tiering monitoring: {} USD per 1,000 objects per month (objects >= 128 KB)",
            self.monitoring_per_1000
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

fn check_price(v: f64) -> Result<(), String> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(format!("a price must be a non-negative number, got {v}"))
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

    #[test]
    fn a_missing_price_is_an_error_naming_it() {
        let text = DEFAULT_TOML.replace(
            "GLACIER_IR = 0.02\nGLACIER = 0.03\nDEEP_ARCHIVE = 0.05\n\n[requests.get]",
            "GLACIER_IR = 0.02\nGLACIER = 0.03\n\n[requests.get]",
        );
        let err = PriceTable::parse("x.toml", &text).unwrap_err().to_string();
        assert!(
            err.contains("x.toml") && err.contains("DEEP_ARCHIVE"),
            "{err}"
        );
    }

    #[test]
    fn negative_prices_and_bad_bands_are_rejected() {
        let text = DEFAULT_TOML.replace(
            "ONEZONE_IA = [{ usd = 0.01 }]",
            "ONEZONE_IA = [{ usd = -0.01 }]",
        );
        let err = PriceTable::parse("x.toml", &text).unwrap_err().to_string();
        assert!(err.contains("storage.ONEZONE_IA[0].usd"), "{err}");
        let text = DEFAULT_TOML.replace(
            "{ up_to_gb = 512000, usd = 0.022 }, { usd = 0.021 }]\nINTELLIGENT",
            "{ up_to_gb = 1000, usd = 0.022 }, { usd = 0.021 }]\nINTELLIGENT",
        );
        let err = PriceTable::parse("x.toml", &text).unwrap_err().to_string();
        assert!(err.contains("storage.STANDARD[1].up_to_gb"), "{err}");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let text = DEFAULT_TOML.replace("[limits]", "[limits]\nlist_rps = 1");
        let err = PriceTable::parse("x.toml", &text).unwrap_err().to_string();
        assert!(err.contains("list_rps"), "{err}");
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
