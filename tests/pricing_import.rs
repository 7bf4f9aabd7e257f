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
