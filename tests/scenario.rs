//! A seven-month lifecycle scenario whose every monthly figure is worked out by hand below.
//
// Policy "data-tiering" on prefix `data/`: STANDARD_IA at 30 days, GLACIER_IR at 60, DEEP_ARCHIVE
// at 150, expiration at 200. Horizon 2026-01-01 .. 2026-08-01 (hours: Jan 744, Feb 672, Mar 744,
// Apr 720, May 744, Jun 720, Jul 744). G = 1 GiB = 1 GB; every object is created 2026-01-01 00:00,
// so each due time is exactly N days later: day 30 = Jan 31, day 60 = Mar 2, day 150 = May 31,
// day 200 = Jul 20.
//
// - A `data/a`, 1 GB: STANDARD Jan 1-31 (720 h); STANDARD_IA Jan 31-Mar 2 (30 d, no early fee);
//   GLACIER_IR Mar 2-May 31 (90 d, no early fee); DEEP_ARCHIVE May 31-Jul 20 (50 d), billed as
//   G + 32 KB at the DEEP_ARCHIVE rate plus 8 KB at STANDARD; expired on Jul 20 after 50 of 180 days:
//   early deletion of 130 d = 3,120 h of (G + 32 KB). A GET on Jun 10 12:00 starts a standard
//   restore (12 h): done Jun 11 00:00, copy kept 1 day until Jun 12 00:00 (24 GB-hours at STANDARD).
// - B `data/small`, 64 KiB (= G/16,384): under 128 KB, so never transitioned; STANDARD until it
//   expires on Jul 20.
// - C `data/c`, 1 GB: as A until GLACIER_IR on Mar 2; deleted Mar 22 after 20 of 90 days:
//   early deletion of 70 d = 1,680 GB-hours at the GLACIER_IR rate, in March.
// - D `other/d`, 1 GB: outside the prefix, STANDARD all along.
//
// GB-hours (b = 1/16,384 for B, o = 8,192/2^30 for the archive's STANDARD part, a = 1 + 2^-15):
// | month | STANDARD                       | STANDARD_IA | GLACIER_IR     | DEEP_ARCHIVE | other |
// | Jan   | A 720 + C 720 + D 744 + 744b   | 24 + 24     |                |              | |
// | Feb   | D 672 + 672b                   | 672 + 672   |                |              | |
// | Mar   | D 744 + 744b                   | 24 + 24     | A 720 + C 480  |              | early GIR 1,680 |
// | Apr   | D 720 + 720b                   |             | A 720          |              | |
// | May   | D 744 + 744b + 24o             |             | A 720          | 24a          | |
// | Jun   | D 720 + 720b + 720o            |             |                | 720a         | copy 24 |
// | Jul   | D 744 + 456b + 456o            |             |                | 456a         | early DA 3,120a |
// GB-months = GB-hours / month hours, e.g. Jan STANDARD = (2,184 + 744/16,384) / 744
// = 2.935544906123992; Jul early DEEP_ARCHIVE = 3,120 x (1 + 2^-15) / 744 = 4.193676364037298.
//
// Money (prices from pricing/aws-us-east-1.toml): STANDARD 0.023, STANDARD_IA 0.0125, GLACIER_IR
// 0.004, DEEP_ARCHIVE 0.00099 per GB-month; PUT 0.005/1,000; transitions into STANDARD_IA 0.01,
// GLACIER_IR 0.02, DEEP_ARCHIVE 0.05 per 1,000; DEEP_ARCHIVE GET 0.0004/1,000; DEEP_ARCHIVE standard
// restore 0.10/1,000 requests + 0.02/GB.
// - Jan: 2.935544906123992 x 0.023 + 0.064516129 x 0.0125 = 0.068323984453755 storage
//   + 4 PUT 0.00002 + 2 transitions to STANDARD_IA 0.00002 = 0.068363984453755
// - Feb: 1.00006103515625 x 0.023 + 2 x 0.0125 = 0.048001403808594
// - Mar: 1.00006103515625 x 0.023 + 0.064516129 x 0.0125 + 1.612903226 x 0.004
//   + early 2.258064516 x 0.004 = 0.039291726389239, + 2 transitions to GLACIER_IR 0.00004 gives
//   0.039331726389239.
// - Apr: 1.00006103515625 x 0.023 + 1 x 0.004 = 0.027001403808594
// - May: 1.000061281265751 x 0.023 + 0.967741935 x 0.004 + 0.032259049 x 0.00099
//   = 0.026904313669512, + 1 transition to DEEP_ARCHIVE 0.00005 = 0.026954313669512
// - Jun: 1.000068664550781 x 0.023 + 1.000030518 x 0.00099 + copy 0.033333333 x 0.023
//   = 0.024758276163737, + GET 0.0000004 + restore request 0.0001 + 1 GB x 0.02 = 0.044858676163737
// - Jul: 1.000042084724673 x 0.023 + 0.612921930 x 0.00099 + early 4.193676364 x 0.00099
//   = 0.027759500259892

use crate::common::*;
use s3sim::ledger::Component;
use s3sim::model::StorageClass;

const POLICY: &str = r#"{"Rules":[{"ID":"data-tiering","Status":"Enabled","Filter":{"Prefix":"data/"},
  "Transitions":[{"Days":30,"StorageClass":"STANDARD_IA"},{"Days":60,"StorageClass":"GLACIER_IR"},
                 {"Days":150,"StorageClass":"DEEP_ARCHIVE"}],
  "Expiration":{"Days":200}}]}"#;

const WORKLOAD: &str = "timestamp,op,key,size\n\
2026-01-01T00:00:00Z,PUT,data/a,1073741824\n\
2026-01-01T00:00:00Z,PUT,data/small,65536\n\
2026-01-01T00:00:00Z,PUT,data/c,1073741824\n\
2026-01-01T00:00:00Z,PUT,other/d,1073741824\n\
2026-03-22T00:00:00Z,DELETE,data/c,\n\
2026-06-10T12:00:00Z,GET,data/a,\n";

#[test]
fn seven_month_lifecycle_scenario() {
    let w = workload(WORKLOAD);
    let p = policy(POLICY);
    let mut o = opts("2026-01-01T00:00:00Z", "2026-08-01T00:00:00Z");
    o.trace = true;
    let (r, bill) = run(&w, &p, &o);
    let q = |m: usize, class: &str, c: Component| bill.quantity(m, class, c);

    // Storage, GB-months, from the table above.
    let expect_storage: [(usize, &str, f64); 16] = [
        (0, "STANDARD", 2.935544906123992),
        (0, "STANDARD_IA", 48.0 / 744.0),
        (1, "STANDARD", 1.00006103515625),
        (1, "STANDARD_IA", 2.0),
        (2, "STANDARD", 1.00006103515625),
        (2, "STANDARD_IA", 48.0 / 744.0),
        (2, "GLACIER_IR", 1200.0 / 744.0),
        (3, "STANDARD", 1.00006103515625),
        (3, "GLACIER_IR", 1.0),
        (4, "STANDARD", 1.000061281265751),
        (4, "GLACIER_IR", 720.0 / 744.0),
        (4, "DEEP_ARCHIVE", 0.03225904895413306),
        (5, "STANDARD", 1.0000686645507812),
        (5, "DEEP_ARCHIVE", 1.000030517578125),
        (6, "STANDARD", 1.0000420847246725),
        (6, "DEEP_ARCHIVE", 0.6129219301285282),
    ];
    for (m, class, v) in expect_storage {
        close(q(m, class, Component::Storage), v, 1e-12);
    }
    let storage_lines = bill
        .lines
        .iter()
        .filter(|l| l.component == Component::Storage)
        .count();
    assert_eq!(storage_lines, 16, "no storage in any other month or class");

    close(
        q(2, "GLACIER_IR", Component::EarlyDelete),
        1680.0 / 744.0,
        1e-12,
    );
    close(
        q(6, "DEEP_ARCHIVE", Component::EarlyDelete),
        4.193676364037298,
        1e-12,
    );
    assert_eq!(
        bill.lines
            .iter()
            .filter(|l| l.component == Component::EarlyDelete)
            .count(),
        2
    );
    close(
        q(5, "STANDARD", Component::RestoredCopy),
        24.0 / 720.0,
        1e-12,
    );

    // Transitions: A and C to STANDARD_IA on Jan 31 and to GLACIER_IR on Mar 2; A to DEEP_ARCHIVE on
    // May 31. B (64 KiB) never moves; D is outside the prefix.
    // In simulation order within a key; keys in id order, so sort by key name for the check.
    let mut log: Vec<(StorageClass, StorageClass, String)> = r
        .stats
        .transition_log
        .iter()
        .map(|&(k, at, from, to)| {
            (
                from,
                to,
                format!(
                    "{} {}",
                    w.keys[k as usize],
                    s3sim::model::time::format_instant(at)
                ),
            )
        })
        .collect();
    log.sort_by(|a, b| a.2.cmp(&b.2));
    use StorageClass::*;
    assert_eq!(
        log,
        vec![
            (
                Standard,
                StandardIa,
                "data/a 2026-01-31T00:00:00Z".to_string()
            ),
            (
                StandardIa,
                GlacierIr,
                "data/a 2026-03-02T00:00:00Z".to_string()
            ),
            (
                GlacierIr,
                DeepArchive,
                "data/a 2026-05-31T00:00:00Z".to_string()
            ),
            (
                Standard,
                StandardIa,
                "data/c 2026-01-31T00:00:00Z".to_string()
            ),
            (
                StandardIa,
                GlacierIr,
                "data/c 2026-03-02T00:00:00Z".to_string()
            ),
        ]
    );
    assert_eq!(r.stats.expirations, 2, "A and B expire on day 200");
    assert_eq!(r.stats.restores, 1);
    assert_eq!(r.stats.get_latencies, vec![12 * 3_600_000_000]);

    // Monthly totals, in dollars, from the comment above.
    let expected = [
        0.068363984453755,
        0.048001403808594,
        0.039331726389239,
        0.027001403808594,
        0.026954313669512,
        0.044858676163737,
        0.027759500259892,
    ];
    for (m, want) in expected.iter().enumerate() {
        let got: f64 = bill
            .lines
            .iter()
            .filter(|l| l.month == m)
            .map(|l| l.usd)
            .sum();
        close(got, *want, 1e-12);
    }
}
