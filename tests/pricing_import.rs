//! `s3sim pricing import` on AWS Price List offer files: a committed fixture (tests/fixtures/offers)
//! whose AmazonS3 and AmazonS3GlacierDeepArchive parts are real us-east-1 products (copied from
//! the AWS Pricing API dumps committed in github.com/maxopsdev/maxops @ b7daaba, versions
//! 20260918174747 and 20260911124507, put back in the bulk offer file's envelope, with real
//! look-alike products as decoys) and whose AWSDataTransfer part is built from the documented
//! schema (its SKU and version are made up; no stored copy of that offer was found).

use s3sim::pricing::PriceTable;
use s3sim::pricing::import::import;

use crate::common::{s3sim, text};

fn fixture(name: &str) -> (String, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/offers")
        .join(name);
    (
        path.display().to_string(),
        std::fs::read_to_string(&path).unwrap(),
    )
}

fn offers() -> Vec<(String, String)> {
    vec![
        fixture("AmazonS3-us-east-1.json"),
        fixture("AmazonS3GlacierDeepArchive-us-east-1.json"),
        fixture("AWSDataTransfer-us-east-1-BUILT.json"),
    ]
}

/// Every price of the imported us-east-1 table equals the bundled pricing/aws-us-east-1.toml,
/// which was transcribed from other sources (the pricing page's feed, older price lists).
#[test]
fn the_imported_us_east_1_table_equals_the_bundled_one() {
    let toml = import(&offers(), "us-east-1").unwrap();
    let imported = PriceTable::parse("imported", &toml).unwrap();
    let bundled = PriceTable::builtin();
    let (a, b) = (imported.flat_prices(), bundled.flat_prices());
    assert_eq!(a.len(), b.len());
    for ((ka, va), (kb, vb)) in a.iter().zip(&b) {
        assert_eq!(ka, kb);
        assert_eq!(va, vb, "{ka}");
    }
    assert_eq!(imported.storage, bundled.storage);
    assert_eq!(imported.egress, bundled.egress);
    assert_eq!(imported.region, "us-east-1");
    assert_eq!(imported.as_of, "2026-09-18");
    // Each price names its source: usage type, operation where it matters, SKU.
    assert!(
        toml.contains(
            "# Requests-GLACIER-Tier1 (PutObject) SKU ETMMA5922DBD756V\nGLACIER = 0.03\n"
        )
    );
    assert!(toml.contains(
        "# TimedStorage-GDA-ByteHrs SKU SKAKWE8C8SPXCVHA\nDEEP_ARCHIVE = [{ usd = 0.00099 }]"
    ));
    assert!(toml.contains("AmazonS3 version 20260918174747, published 2026-09-18T17:47:47Z"));
}

/// A missing price is an error naming its usage type; so is a missing offer, two products of one
/// usage type that disagree, and a region the files do not hold.
#[test]
fn a_missing_or_ambiguous_price_is_named() {
    let mut files = offers();
    // Drop the GLACIER_IR storage product (SKU NMJQ7TNW84EMBGZM).
    let mut s3: serde_json::Value = serde_json::from_str(&files[0].1).unwrap();
    s3["products"]
        .as_object_mut()
        .unwrap()
        .remove("NMJQ7TNW84EMBGZM")
        .unwrap();
    files[0].1 = s3.to_string();
    let e = import(&files, "us-east-1").unwrap_err();
    assert!(
        e.contains("AmazonS3-us-east-1.json: no price for usage type TimedStorage-GIR-ByteHrs in this region"),
        "{e}"
    );
    // Without the Deep Archive offer.
    let e = import(&[offers()[0].clone(), offers()[2].clone()], "us-east-1").unwrap_err();
    assert!(
        e.contains("usage type TimedStorage-GDA-ByteHrs: it is in AWS's AmazonS3GlacierDeepArchive offer, which is not among the files"),
        "{e}"
    );
    // Without data transfer.
    let e = import(&offers()[..2], "us-east-1").unwrap_err();
    assert!(e.contains("usage type DataTransfer-Out-Bytes (data transfer out to the internet from US East (N. Virginia)): in AWS's AWSDataTransfer offer"), "{e}");
    // A second GLACIER_IR GET product at another price.
    let mut s3: serde_json::Value = serde_json::from_str(&offers()[0].1).unwrap();
    let mut product = s3["products"]["6WKRC2AMC45PNCVZ"].clone();
    product["sku"] = "DUPLICATE".into();
    s3["products"]["DUPLICATE"] = product;
    let mut term = s3["terms"]["OnDemand"]["6WKRC2AMC45PNCVZ"].clone();
    let dims = term["6WKRC2AMC45PNCVZ.JRTCKXETXF"]["priceDimensions"]
        .as_object_mut()
        .unwrap();
    for d in dims.values_mut() {
        d["pricePerUnit"]["USD"] = "0.0000200000".into();
    }
    s3["terms"]["OnDemand"]["DUPLICATE"] = term;
    let mut files = offers();
    files[0].1 = s3.to_string();
    let e = import(&files, "us-east-1").unwrap_err();
    assert!(
        e.contains("usage type Requests-GIR-Tier2: products 6WKRC2AMC45PNCVZ and DUPLICATE have different prices"),
        "{e}"
    );
    let e = import(&offers(), "eu-west-1").unwrap_err();
    assert!(
        e.contains("no S3 Standard storage product (TimedStorage-ByteHrs) for region \"eu-west-1\"; the file has regions us-east-1"),
        "{e}"
    );
    let e = import(&[("x.json".into(), "{\"a\": 1}".into())], "us-east-1").unwrap_err();
    assert!(
        e.contains("x.json: not an AWS Price List offer file"),
        "{e}"
    );
}

/// The command writes the file, refuses to overwrite it without --force, and `run --pricing` takes
/// it.
#[test]
fn the_command_writes_a_table_run_accepts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/offers");
    let args = |force: bool| {
        let mut v = vec![
            "pricing".to_string(),
            "import".into(),
            dir.join("AmazonS3-us-east-1.json").display().to_string(),
            dir.join("AmazonS3GlacierDeepArchive-us-east-1.json")
                .display()
                .to_string(),
            dir.join("AWSDataTransfer-us-east-1-BUILT.json")
                .display()
                .to_string(),
            "--region".into(),
            "us-east-1".into(),
            "--out".into(),
            "us.toml".into(),
        ];
        if force {
            v.push("--force".into());
        }
        v
    };
    let run = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        s3sim(tmp.path(), &refs)
    };
    let o = run(args(false));
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = run(args(false));
    assert_eq!(o.status.code(), Some(2));
    assert!(run(args(true)).status.success());
    let o = s3sim(tmp.path(), &["pricing", "--pricing", "us.toml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("(region us-east-1, as of 2026-09-18)"));
}

/// The bundled region tables: each loads, names its region, and keeps identities every region's
/// published prices hold (a transcription error would break one): Intelligent-Tiering's
/// Infrequent, Archive Instant, Archive Access and Deep Archive Access tiers cost what
/// STANDARD_IA, GLACIER_IR, GLACIER and DEEP_ARCHIVE cost; its expedited restore what GLACIER's
/// costs; a lifecycle transition into GLACIER or DEEP_ARCHIVE what a PUT there costs. Egress
/// beyond the first 10 TB a month is not sourced outside us-east-1: those tables end there.
#[test]
fn bundled_region_tables_hold_aws_identities() {
    use s3sim::model::{BillClass, RestoreTier, StorageClass};
    for (region, _, _) in s3sim::pricing::BUNDLED {
        let t = PriceTable::bundled(region).unwrap();
        assert_eq!(t.region, *region);
        let st = |c: BillClass| t.storage_bands(c).cost(1.0);
        assert_eq!(
            st(BillClass::ItInfrequent),
            st(BillClass::StandardIa),
            "{region}"
        );
        assert_eq!(
            st(BillClass::ItArchiveInstant),
            st(BillClass::GlacierIr),
            "{region}"
        );
        assert_eq!(
            st(BillClass::ItArchiveAccess),
            st(BillClass::Glacier),
            "{region}"
        );
        assert_eq!(
            st(BillClass::ItDeepArchiveAccess),
            st(BillClass::DeepArchive),
            "{region}"
        );
        assert_eq!(
            st(BillClass::ItFrequent),
            st(BillClass::Standard),
            "{region}"
        );
        let it = StorageClass::IntelligentTiering.index();
        let g = StorageClass::Glacier.index();
        let e = RestoreTier::Expedited.index();
        assert_eq!(t.restore[it][e], t.restore[g][e], "{region}");
        for c in [StorageClass::Glacier, StorageClass::DeepArchive] {
            assert_eq!(
                t.transition[c.index()],
                Some(t.put[c.index()]),
                "{region} {c}"
            );
        }
        if *region != "us-east-1" {
            assert_eq!(t.egress.limit(), Some(10240.0), "{region}");
        }
    }
    let e = PriceTable::bundled("mars-north-1").unwrap_err();
    assert!(
        e.contains("no bundled price table; bundled: us-east-1, eu-west-1"),
        "{e}"
    );
}

/// `run --region eu-west-1`: prices from the Irish table (a GLACIER transition costs $0.033 per
/// 1,000 there, $0.03 in us-east-1); with egress billed past the table's 10 TB, the run stops
/// with an error naming the month and writes no report.
#[test]
fn runs_use_a_bundled_region_and_refuse_unpriced_usage() {
    let tmp = tempfile::tempdir().unwrap();
    // 1,000 GLACIER transitions; then three GETs of a 4 TiB object in one month: 12,288 GB out.
    let mut csv = String::from("timestamp,op,key,size\n");
    for i in 0..1000 {
        csv.push_str(&format!("2026-01-01T00:00:00Z,PUT,a/{i},1000000\n"));
    }
    csv.push_str("2026-01-01T00:00:00Z,PUT,big,4398046511104\n");
    for d in 10..13 {
        csv.push_str(&format!("2026-01-{d}T00:00:00Z,GET,big,\n"));
    }
    std::fs::write(tmp.path().join("w.csv"), csv).unwrap();
    std::fs::write(
        tmp.path().join("glacier.json"),
        r#"{"Rules": [{"ID": "g", "Status": "Enabled", "Filter": {"Prefix": "a/"}, "Transitions": [{"Days": 0, "StorageClass": "GLACIER"}]}]}"#,
    )
    .unwrap();
    let run = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "run",
            "--quiet",
            "--workload",
            "w.csv",
            "--policy",
            "glacier.json",
            "--charts",
            "none",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        s3sim(tmp.path(), &args)
    };
    let transition_usd = |dir: &str| -> f64 {
        crate::common::csv_rows(&tmp.path().join(dir).join("monthly.csv"))
            .iter()
            .filter(|r| r["component"] == "transition" && r["storage_class"] == "GLACIER")
            .map(|r| r["usd"].parse::<f64>().unwrap())
            .sum()
    };
    let o = run("eu", &["--region", "eu-west-1"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!((transition_usd("eu") - 0.033).abs() < 1e-12);
    let md = std::fs::read_to_string(tmp.path().join("eu/report.md")).unwrap();
    assert!(
        md.contains("prices: pricing/aws-eu-west-1.toml (built in) (region eu-west-1"),
        "{md}"
    );
    let o = run("us", &[]);
    assert!(o.status.success());
    assert!((transition_usd("us") - 0.03).abs() < 1e-12);
    let o = run(
        "eu-egress",
        &["--region", "eu-west-1", "--egress", "internet"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("w x none: 2026-01: 12288.0 GB of data transfer out to the internet, beyond the 10240 GB a month that the price table pricing/aws-eu-west-1.toml (built in) prices (its higher bands could not be sourced) (and 1 more). Pass a complete price table with --pricing"),
        "{err}"
    );
    assert!(!tmp.path().join("eu-egress").exists());
    // us-east-1 prices every band.
    assert!(run("us-egress", &["--egress", "internet"]).status.success());
}
