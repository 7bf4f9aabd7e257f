//! `s3sim pricing import`: a price file for one region from AWS's Price List offer files (the
//! JSON of `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json`,
//! or the all-region `.../current/index.json`), which the user downloads: s3sim never needs the
//! network.
//!
//! Offers: `AmazonS3` (most prices), `AmazonS3GlacierDeepArchive` (DEEP_ARCHIVE storage, PUTs and
//! restore requests live only there) and `AWSDataTransfer` (data transfer out to the internet;
//! older AmazonS3 offers held those products themselves).
//! See: https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html
//!
//! Matching, strictly: a price is the on-demand price of the products of the region whose
//! `usagetype` is exactly the region's prefix (`EU-`, `APS2-`; none or `USE1-` in us-east-1) plus
//! the usage type, and whose `operation` is exactly the one named (empty when none). Look-alikes
//! (`Tables-TimedStorage-ByteHrs`, other `Requests-GLACIER-Tier1` operations) never match. Several
//! matching products must agree; a missing one is an error naming the usage type.
//! Usage types: https://docs.aws.amazon.com/AmazonS3/latest/userguide/aws-usage-report-understand.html

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Deserialize;

const S3: &str = "AmazonS3";
const GDA: &str = "AmazonS3GlacierDeepArchive";
const TRANSFER: &str = "AWSDataTransfer";

#[derive(Deserialize)]
struct Offer {
    #[serde(rename = "offerCode")]
    offer_code: String,
    #[serde(default)]
    version: String,
    #[serde(rename = "publicationDate", default)]
    publication_date: String,
    products: HashMap<String, Product>,
    terms: Terms,
}

#[derive(Deserialize)]
struct Product {
    sku: String,
    #[serde(default)]
    attributes: HashMap<String, serde_json::Value>,
}

impl Product {
    fn attr(&self, k: &str) -> &str {
        self.attributes
            .get(k)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
    }
}

#[derive(Deserialize)]
struct Terms {
    #[serde(rename = "OnDemand", default)]
    on_demand: HashMap<String, HashMap<String, Term>>,
}

#[derive(Deserialize)]
struct Term {
    #[serde(rename = "priceDimensions", default)]
    price_dimensions: HashMap<String, Dimension>,
}

#[derive(Deserialize)]
struct Dimension {
    #[serde(default)]
    unit: String,
    #[serde(rename = "beginRange", alias = "startingRange", default)]
    begin: Option<String>,
    #[serde(rename = "endRange", alias = "endingRange", default)]
    end: Option<String>,
    #[serde(rename = "pricePerUnit", default)]
    price: HashMap<String, String>,
}

/// One band of a price: from `begin` to `end` (None: no end) units, `usd` per unit (the offer's
/// decimal text).
#[derive(Debug, Clone, PartialEq)]
struct Band {
    begin: f64,
    end: Option<f64>,
    usd: String,
}

/// A price found: its bands and where they came from.
struct Found {
    bands: Vec<Band>,
    /// `usagetype` (operation) SKU, for the file's comments.
    source: String,
}

/// The offers read, with the file each came from.
struct Offers {
    offers: Vec<(String, Offer)>,
    region: String,
    /// Usage-type prefixes of the region (`EU-`; `""` and `USE1-` in us-east-1).
    prefixes: Vec<String>,
    /// The region's `location` (`EU (Ireland)`), which data-transfer products name.
    location: String,
}

impl Offers {
    fn offer(&self, code: &str) -> Option<&(String, Offer)> {
        self.offers.iter().find(|(_, o)| o.offer_code == code)
    }

    /// The price of `usagetype` (without the region prefix) and `operation` in offer `code`, in
    /// one of `units`.
    fn find(
        &self,
        code: &str,
        usagetype: &str,
        operation: &str,
        units: &[&str],
    ) -> Result<Found, String> {
        let what = format!(
            "usage type {}{usagetype}{}",
            self.prefixes[0],
            if operation.is_empty() {
                String::new()
            } else {
                format!(" (operation {operation})")
            }
        );
        let Some((file, offer)) = self.offer(code) else {
            return Err(format!(
                "{what}: it is in AWS's {code} offer, which is not among the files; download offers/v1.0/aws/{code}/current/{}/index.json too",
                self.region
            ));
        };
        let names: Vec<String> = self
            .prefixes
            .iter()
            .map(|p| format!("{p}{usagetype}"))
            .collect();
        let mut found: Vec<(String, Vec<Band>)> = Vec::new();
        let mut skus: Vec<&Product> = offer
            .products
            .values()
            .filter(|p| {
                p.attr("regionCode") == self.region
                    && names.iter().any(|n| n == p.attr("usagetype"))
                    && p.attr("operation") == operation
            })
            .collect();
        skus.sort_by(|a, b| a.sku.cmp(&b.sku));
        for p in skus {
            let bands =
                bands_of(offer, &p.sku, units).map_err(|e| format!("{file}: {what}: {e}"))?;
            found.push((p.sku.clone(), bands));
        }
        agree(file, &what, found, usagetype, operation)
    }

    /// Data transfer out to the internet from the region.
    fn egress(&self) -> Result<Found, String> {
        let usagetype = "DataTransfer-Out-Bytes";
        let what = format!("usage type {}{usagetype}", self.prefixes[0]);
        let names: Vec<String> = self
            .prefixes
            .iter()
            .map(|p| format!("{p}{usagetype}"))
            .collect();
        // The AWSDataTransfer offer, or (older files) the AmazonS3 offer's transfer products.
        for code in [TRANSFER, S3] {
            let Some((file, offer)) = self.offer(code) else {
                continue;
            };
            let mut skus: Vec<&Product> = offer
                .products
                .values()
                .filter(|p| {
                    p.attr("servicecode") == TRANSFER
                        && p.attr("fromLocation") == self.location
                        && (p.attr("toLocation") == "External"
                            || p.attr("toLocationType") == "Other")
                        && p.attr("transferType") == "AWS Outbound"
                        && names.iter().any(|n| n == p.attr("usagetype"))
                })
                .collect();
            if skus.is_empty() {
                continue;
            }
            skus.sort_by(|a, b| a.sku.cmp(&b.sku));
            let mut found = Vec::new();
            for p in skus {
                let mut bands =
                    bands_of(offer, &p.sku, &["GB"]).map_err(|e| format!("{file}: {what}: {e}"))?;
                // A free first band (older offers' first GB): s3sim does not apply AWS's free
                // allowance, which is account-wide.
                if bands.len() > 1 && price(&bands[0].usd) == Some(0.0) {
                    bands.remove(0);
                    bands[0].begin = 0.0;
                }
                found.push((p.sku.clone(), bands));
            }
            return agree(file, &what, found, usagetype, "");
        }
        Err(format!(
            "{what} (data transfer out to the internet from {}): in AWS's {TRANSFER} offer, which is not among the files; download offers/v1.0/aws/{TRANSFER}/current/{}/index.json too",
            self.location, self.region
        ))
    }
}

/// The on-demand bands of a SKU, sorted, checked to be contiguous from 0, in one of `units`.
fn bands_of(offer: &Offer, sku: &str, units: &[&str]) -> Result<Vec<Band>, String> {
    let terms = offer
        .terms
        .on_demand
        .get(sku)
        .ok_or_else(|| format!("product {sku} has no on-demand price"))?;
    let mut bands = Vec::new();
    for term in terms.values() {
        for d in term.price_dimensions.values() {
            if !units.contains(&d.unit.as_str()) {
                return Err(format!(
                    "product {sku} is priced per {:?}, expected {}",
                    d.unit,
                    units.join(" or ")
                ));
            }
            let usd = d
                .price
                .get("USD")
                .ok_or_else(|| format!("product {sku} has no USD price"))?;
            if price(usd).is_none() {
                return Err(format!("product {sku}: price {usd:?} is not a number"));
            }
            let num = |s: &Option<String>, default: Option<f64>| -> Result<Option<f64>, String> {
                match s.as_deref() {
                    None | Some("") => Ok(default),
                    Some("Inf") => Ok(None),
                    Some(v) => v
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite() && *x >= 0.0)
                        .map(Some)
                        .ok_or_else(|| format!("product {sku}: range {v:?} is not a number")),
                }
            };
            bands.push(Band {
                begin: num(&d.begin, Some(0.0))?.unwrap_or(0.0),
                end: num(&d.end, None)?,
                usd: usd.clone(),
            });
        }
    }
    bands.sort_by(|a, b| a.begin.total_cmp(&b.begin));
    let mut at = 0.0;
    for (i, b) in bands.iter().enumerate() {
        let last = i + 1 == bands.len();
        if b.begin != at || (b.end.is_none() != last) || b.end.is_some_and(|e| e <= b.begin) {
            return Err(format!(
                "product {sku}: its price bands do not run from 0 to no end without gaps"
            ));
        }
        at = b.end.unwrap_or(f64::INFINITY);
    }
    if bands.is_empty() {
        return Err(format!("product {sku} has no price"));
    }
    Ok(bands)
}

/// The one price of several matching products (they must agree).
fn agree(
    file: &str,
    what: &str,
    found: Vec<(String, Vec<Band>)>,
    usagetype: &str,
    operation: &str,
) -> Result<Found, String> {
    let Some((sku, bands)) = found.first() else {
        return Err(format!("{file}: no price for {what} in this region"));
    };
    if let Some((other, _)) = found.iter().find(|(_, b)| b != bands) {
        return Err(format!(
            "{file}: {what}: products {sku} and {other} have different prices; s3sim cannot tell which applies"
        ));
    }
    let skus: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
    Ok(Found {
        bands: bands.clone(),
        source: format!(
            "{usagetype}{} SKU {}",
            if operation.is_empty() {
                String::new()
            } else {
                format!(" ({operation})")
            },
            skus.join(", ")
        ),
    })
}

/// A decimal price as `f64` (the nearest to the decimal).
fn price(s: &str) -> Option<f64> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
}

/// A per-unit price per 1,000 units: the decimal point moved, then rounded once.
fn per_1000(s: &str) -> f64 {
    format!("{}e3", s.trim())
        .parse()
        .expect("checked to be a number")
}

/// Reads offer files (path, text) and writes the price file of `region`, or says which price is
/// missing or ambiguous.
pub fn import(files: &[(String, String)], region: &str) -> Result<String, String> {
    let mut offers = Vec::new();
    for (path, text) in files {
        let o: Offer = serde_json::from_str(text).map_err(|e| {
            format!("{path}: not an AWS Price List offer file (JSON with offerCode, products and terms): {e}")
        })?;
        if ![S3, GDA, TRANSFER].contains(&o.offer_code.as_str()) {
            return Err(format!(
                "{path}: offer {:?}: s3sim reads the {S3}, {GDA} and {TRANSFER} offers",
                o.offer_code
            ));
        }
        if let Some((other, _)) = offers
            .iter()
            .find(|(_, x): &&(String, Offer)| x.offer_code == o.offer_code)
        {
            return Err(format!(
                "{path}: a second {} offer (the first is {other})",
                o.offer_code
            ));
        }
        offers.push((path.clone(), o));
    }
    let (s3_file, s3) = offers
        .iter()
        .find(|(_, o)| o.offer_code == S3)
        .ok_or_else(|| format!("no {S3} offer among the files: download offers/v1.0/aws/{S3}/current/{region}/index.json"))?;
    // The region's prefix, from its STANDARD storage product.
    let standard: Vec<&Product> = s3
        .products
        .values()
        .filter(|p| {
            p.attr("regionCode") == region
                && p.attr("volumeType") == "Standard"
                && p.attr("storageClass") == "General Purpose"
                && p.attr("usagetype").ends_with("TimedStorage-ByteHrs")
                && !p.attr("usagetype").contains("Files-")
        })
        .collect();
    let first = standard.first().ok_or_else(|| {
        let regions: std::collections::BTreeSet<&str> = s3
            .products
            .values()
            .map(|p| p.attr("regionCode"))
            .filter(|r| !r.is_empty())
            .collect();
        format!(
            "{s3_file}: no S3 Standard storage product (TimedStorage-ByteHrs) for region {region:?}; the file has {}",
            if regions.is_empty() {
                "no regionCode at all (offers before 2023 lack it: download the current one)".to_string()
            } else {
                format!("regions {}", regions.into_iter().collect::<Vec<_>>().join(", "))
            }
        )
    })?;
    let prefix = first
        .attr("usagetype")
        .strip_suffix("TimedStorage-ByteHrs")
        .unwrap_or("")
        .to_string();
    let location = first.attr("location").to_string();
    let mut prefixes = vec![prefix.clone()];
    if prefix.is_empty() {
        // us-east-1: usage types have no prefix, but some carry USE1-.
        prefixes.push("USE1-".into());
    }
    let o = Offers {
        offers,
        region: region.to_string(),
        prefixes,
        location,
    };
    write(&o)
}

/// A TOML float that reads back as the same `f64`.
fn toml_f64(x: f64) -> String {
    let s = format!("{x}");
    if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") {
        s
    } else {
        format!("{s}.0")
    }
}

fn bands_toml(bands: &[Band]) -> String {
    let parts: Vec<String> = bands
        .iter()
        .map(|b| match b.end {
            Some(e) => format!(
                "{{ up_to_gb = {}, usd = {} }}",
                toml_f64(e),
                toml_f64(price(&b.usd).expect("checked"))
            ),
            None => format!("{{ usd = {} }}", toml_f64(price(&b.usd).expect("checked"))),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// One price of a single band.
fn single(f: &Found, what: &str) -> Result<String, String> {
    match f.bands.as_slice() {
        [b] => Ok(b.usd.clone()),
        _ => Err(format!(
            "{what} ({}): {} price bands, where s3sim takes one price",
            f.source,
            f.bands.len()
        )),
    }
}

fn write(o: &Offers) -> Result<String, String> {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Amazon S3 prices for {}, in USD, made by `s3sim pricing import` from AWS Price List offer files:",
        o.region
    );
    let mut sources = Vec::new();
    for (path, offer) in &o.offers {
        let _ = writeln!(
            t,
            "#   {} version {}, published {} ({path})",
            offer.offer_code, offer.version, offer.publication_date
        );
        sources.push(format!(
            "{} {} ({})",
            offer.offer_code, offer.version, offer.publication_date
        ));
    }
    let _ = writeln!(
        t,
        "# Each price's comment names its usage type (without the region's prefix {:?}), operation and SKU.\n\
         # [restore_latency] and [limits] are not prices: AWS's documented restore times and per-prefix\n\
         # request rates, the same in every region, as in s3sim's us-east-1 table.\n",
        o.prefixes[0]
    );
    let (_, s3) = o.offer(S3).expect("checked");
    let as_of = s3
        .publication_date
        .get(..10)
        .unwrap_or("unknown")
        .to_string();
    let source = format!("AWS Price List offer files: {}", sources.join("; "));
    let _ = writeln!(
        t,
        "[meta]\nregion = {:?}\ncurrency = \"USD\"\nsource = {source:?}\nas_of = {as_of:?}\n",
        o.region
    );
    let section_source = "AWS Price List offer files named in the header; each price's comment names its usage type and SKU";
    let header = |t: &mut String, name: &str, unit: &str| {
        let _ = writeln!(
            t,
            "[{name}]\nunit = {unit:?}\nsource = {section_source:?}\nas_of = {as_of:?}"
        );
    };
    // Storage.
    header(&mut t, "storage", "usd_per_gb_month");
    let storage: [(&str, &str, &str); 11] = [
        ("STANDARD", S3, "TimedStorage-ByteHrs"),
        (
            "INTELLIGENT_TIERING_FREQUENT",
            S3,
            "TimedStorage-INT-FA-ByteHrs",
        ),
        (
            "INTELLIGENT_TIERING_INFREQUENT",
            S3,
            "TimedStorage-INT-IA-ByteHrs",
        ),
        (
            "INTELLIGENT_TIERING_ARCHIVE_INSTANT",
            S3,
            "TimedStorage-INT-AIA-ByteHrs",
        ),
        (
            "INTELLIGENT_TIERING_ARCHIVE_ACCESS",
            S3,
            "TimedStorage-INT-AA-ByteHrs",
        ),
        (
            "INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS",
            S3,
            "TimedStorage-INT-DAA-ByteHrs",
        ),
        ("STANDARD_IA", S3, "TimedStorage-SIA-ByteHrs"),
        ("ONEZONE_IA", S3, "TimedStorage-ZIA-ByteHrs"),
        ("GLACIER_IR", S3, "TimedStorage-GIR-ByteHrs"),
        ("GLACIER", S3, "TimedStorage-GlacierByteHrs"),
        ("DEEP_ARCHIVE", GDA, "TimedStorage-GDA-ByteHrs"),
    ];
    for (key, code, usage) in storage {
        let f = o.find(code, usage, "", &["GB-Mo"])?;
        let _ = writeln!(t, "# {}\n{key} = {}", f.source, bands_toml(&f.bands));
    }
    // Requests.
    let _ = writeln!(t);
    header(&mut t, "requests", "usd_per_1000_requests");
    let requests = ["Requests", "API Requests"];
    let put: [(&str, &str, &str, &str); 7] = [
        ("STANDARD", S3, "Requests-Tier1", ""),
        ("INTELLIGENT_TIERING", S3, "Requests-INT-Tier1", ""),
        ("STANDARD_IA", S3, "Requests-SIA-Tier1", ""),
        ("ONEZONE_IA", S3, "Requests-ZIA-Tier1", ""),
        ("GLACIER_IR", S3, "Requests-GIR-Tier1", ""),
        ("GLACIER", S3, "Requests-GLACIER-Tier1", "PutObject"),
        ("DEEP_ARCHIVE", GDA, "Requests-GDA-Tier1", "PutObject"),
    ];
    let get: [(&str, &str, &str, &str); 7] = [
        ("STANDARD", S3, "Requests-Tier2", ""),
        ("INTELLIGENT_TIERING", S3, "Requests-INT-Tier2", ""),
        ("STANDARD_IA", S3, "Requests-SIA-Tier2", ""),
        ("ONEZONE_IA", S3, "Requests-ZIA-Tier2", ""),
        ("GLACIER_IR", S3, "Requests-GIR-Tier2", ""),
        ("GLACIER", S3, "Requests-GLACIER-Tier2", ""),
        ("DEEP_ARCHIVE", S3, "Requests-GDA-Tier2", ""),
    ];
    for (table, rows) in [("put", put), ("get", get)] {
        let _ = writeln!(t, "\n[requests.{table}]");
        for (key, code, usage, op) in rows {
            let f = o.find(code, usage, op, &requests)?;
            let p = single(&f, &format!("requests.{table}.{key}"))?;
            let _ = writeln!(t, "# {}\n{key} = {}", f.source, toml_f64(per_1000(&p)));
        }
    }
    // Transitions.
    let _ = writeln!(t);
    header(&mut t, "transitions", "usd_per_1000_requests");
    let transitions: [(&str, &str, &str); 6] = [
        ("INTELLIGENT_TIERING", "Requests-Tier4", "S3-INTTransition"),
        ("STANDARD_IA", "Requests-Tier4", "S3-SIATransition"),
        ("ONEZONE_IA", "Requests-Tier4", "S3-ZIATransition"),
        ("GLACIER_IR", "Requests-Tier4", "S3-GIRTransition"),
        ("GLACIER", "Requests-Tier3", "S3-GlacierTransition"),
        ("DEEP_ARCHIVE", "Requests-Tier3", "S3-GDATransition"),
    ];
    for (key, usage, op) in transitions {
        let f = o.find(S3, usage, op, &requests)?;
        let p = single(&f, &format!("transitions.{key}"))?;
        let _ = writeln!(t, "# {}\n{key} = {}", f.source, toml_f64(per_1000(&p)));
    }
    // Retrieval.
    let _ = writeln!(t);
    header(&mut t, "retrieval", "usd_per_gb");
    for (key, usage) in [
        ("STANDARD_IA", "Retrieval-SIA"),
        ("ONEZONE_IA", "Retrieval-ZIA"),
        ("GLACIER_IR", "Retrieval-GIR"),
    ] {
        let f = o.find(S3, usage, "", &["GB"])?;
        let p = single(&f, &format!("retrieval.{key}"))?;
        let _ = writeln!(
            t,
            "# {}\n{key} = {}",
            f.source,
            toml_f64(price(&p).expect("checked"))
        );
    }
    // Restores: per GB, and per request.
    let _ = writeln!(t);
    header(&mut t, "restore", "usd_per_gb and usd_per_1000_requests");
    type Side<'a> = (&'a str, &'a str, &'a str);
    let restores: [(&str, Side, Side); 8] = [
        (
            "GLACIER.expedited",
            (S3, "Expedited-Retrieval-Bytes", ""),
            (S3, "Requests-Tier6", ""),
        ),
        (
            "GLACIER.standard",
            (S3, "Standard-Retrieval-Bytes", "RestoreObject"),
            (S3, "Requests-Tier3", "RestoreObject"),
        ),
        (
            "GLACIER.bulk",
            (S3, "Bulk-Retrieval-Bytes", "RestoreObject"),
            (S3, "Requests-Tier5", ""),
        ),
        (
            "DEEP_ARCHIVE.standard",
            (S3, "Standard-Retrieval-Bytes", "DeepArchiveRestoreObject"),
            (GDA, "Requests-GDA-Tier3", ""),
        ),
        (
            "DEEP_ARCHIVE.bulk",
            (S3, "Bulk-Retrieval-Bytes", "DeepArchiveRestoreObject"),
            (GDA, "Requests-GDA-Tier5", ""),
        ),
        (
            "INTELLIGENT_TIERING.expedited",
            (S3, "Expedited-Retrieval-Bytes", "IntAARestoreObject"),
            (S3, "Requests-INT-Tier6", "RestoreObjectExpedited"),
        ),
        (
            "INTELLIGENT_TIERING.standard",
            (S3, "Standard-Retrieval-Bytes", "IntAARestoreObject"),
            (S3, "Requests-INT-AA-Tier3", "RestoreObject"),
        ),
        (
            "INTELLIGENT_TIERING.bulk",
            (S3, "Bulk-Retrieval-Bytes", "IntAARestoreObject"),
            (S3, "Requests-INT-AA-Tier5", "RestoreObjectBulk"),
        ),
    ];
    for (key, (gc, gu, go), (rc, ru, ro)) in restores {
        let g = o.find(gc, gu, go, &["GB"])?;
        let r = o.find(rc, ru, ro, &requests)?;
        let gp = single(&g, &format!("restore.{key}.usd_per_gb"))?;
        let rp = single(&r, &format!("restore.{key}.usd_per_1000_requests"))?;
        let _ = writeln!(
            t,
            "# {}; {}\n{key} = {{ usd_per_gb = {}, usd_per_1000_requests = {} }}",
            g.source,
            r.source,
            toml_f64(price(&gp).expect("checked")),
            toml_f64(per_1000(&rp))
        );
    }
    // Monitoring.
    let _ = writeln!(t);
    header(&mut t, "monitoring", "usd_per_1000_objects_month");
    let f = o.find(S3, "Monitoring-Automation-INT", "", &["Objects"])?;
    let p = single(&f, "monitoring.INTELLIGENT_TIERING")?;
    let _ = writeln!(
        t,
        "# {}\nINTELLIGENT_TIERING = {}",
        f.source,
        toml_f64(per_1000(&p))
    );
    // Egress.
    let _ = writeln!(t);
    header(&mut t, "egress", "usd_per_gb");
    let f = o.egress()?;
    let _ = writeln!(
        t,
        "# {} (a free first band dropped: AWS's free allowance is account-wide, so s3sim does not apply it to one bucket)\ninternet = {}",
        f.source,
        bands_toml(&f.bands)
    );
    // Not prices: the same as the bundled us-east-1 table.
    let _ = writeln!(t);
    let tail = super::DEFAULT_TOML
        .find("[restore_latency]")
        .map(|i| &super::DEFAULT_TOML[i..])
        .expect("the bundled table has [restore_latency]");
    t.push_str(tail);
    // The result must be a valid price table.
    super::PriceTable::parse("imported", &t)
        .map_err(|e| format!("the imported table is invalid: {e}"))?;
    Ok(t)
}
