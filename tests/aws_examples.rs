//! AWS's published billing examples (S3_FACTS.md §7.1, §7.2) and lifecycle timing examples (§7.6),
//! reproduced through the engine and the pricing step.

use crate::common::*;
use s3sim::ledger::Component;
use s3sim::model::time::{DAY, HOUR};
use s3sim::model::{BillClass, Op, StorageClass};
use s3sim::policy::Policy;

/// E1: 100 GB in STANDARD for the first 15 days of March, 100 TB for the last 16 days.
/// Byte-hours = 107,374,182,400 x 15 x 24 + 109,951,162,777,600 x 16 x 24
///            = 42,259,901,212,262,400; / 2^30 / 744 h = 52,900 GB-months.
/// Cost: 51,200 x $0.023 = $1,177.60 plus 1,700 x $0.022 = $37.40: $1,215.00.
/// The 100 TB are four objects of 25 TB (27,487,790,694,400 bytes): one S3 object holds at most
/// 48.8 TiB.
#[test]
fn e1_storage_crosses_a_volume_band() {
    let w = workload(
        "timestamp,op,key,size\n\
         2026-03-01T00:00:00Z,PUT,small,107374182400\n\
         2026-03-16T00:00:00Z,DELETE,small,\n\
         2026-03-16T00:00:00Z,PUT,big1,27487790694400\n\
         2026-03-16T00:00:00Z,PUT,big2,27487790694400\n\
         2026-03-16T00:00:00Z,PUT,big3,27487790694400\n\
         2026-03-16T00:00:00Z,PUT,big4,27487790694400\n",
    );
    let o = opts("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
    let (r, bill) = run(&w, &Policy::none(), &o);
    let byte_us = r.usage.months[0].storage[BillClass::Standard.index()];
    assert_eq!(byte_us, 42_259_901_212_262_400u128 * HOUR as u128);
    close(
        bill.quantity(0, "STANDARD", Component::Storage),
        52_900.0,
        1e-9,
    );
    close(bill.usd(0, "STANDARD", Component::Storage), 1_215.00, 1e-9);
    // Five PUTs at $0.005 per 1,000; the DELETE is free.
    close(
        bill.component_total(Component::RequestsPut),
        0.000025,
        1e-12,
    );
    close(bill.total(), 1_215.000_025, 1e-9);
}

/// E3: 10,000 PUTs and 20,000 GETs a day for the 31 days of March, 5,000 DELETEs on March 31.
/// 310,000 PUT x $0.005 / 1,000 = $1.55; 620,000 GET x $0.004 / 10,000 = $0.248 (shown $0.25);
/// 5,000 DELETE = $0.00. Objects are empty, so storage is $0.
#[test]
fn e3_requests() {
    let mut b = Builder::new();
    let keys: Vec<u32> = (0..10_000).map(|i| b.key(&format!("k{i}"))).collect();
    let march = t("2026-03-01T00:00:00Z");
    for day in 0..31 {
        let t0 = march + day * DAY;
        for (i, &k) in keys.iter().enumerate() {
            let at = t0 + i as i64 * 1_000_000;
            b.push(at, Op::Put, k, 0, StorageClass::Standard);
            b.get(at + HOUR * 3, k);
            b.get(at + HOUR * 4, k);
        }
    }
    for &k in &keys[..5_000] {
        b.push(
            march + 30 * DAY + 23 * HOUR,
            Op::Delete,
            k,
            0,
            StorageClass::Standard,
        );
    }
    let w = b.build();
    let (r, bill) = run(
        &w,
        &Policy::none(),
        &opts("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"),
    );
    assert_eq!(r.usage.months[0].requests_put[0], 310_000);
    assert_eq!(r.usage.months[0].requests_get[0], 620_000);
    assert_eq!(r.stats.missing_key, 0);
    close(bill.component_total(Component::RequestsPut), 1.55, 1e-9);
    close(bill.component_total(Component::RequestsGet), 0.248, 1e-9);
    assert_eq!(
        s3sim::report::fmt_usd(bill.component_total(Component::RequestsGet)),
        "$0.25"
    );
    close(bill.total(), 1.798, 1e-9);
}

/// E4: 300 GB read from STANDARD_IA in a month (three 100 GB GETs): 300 x $0.01 = $3.00 retrieval.
#[test]
fn e4_retrieval_from_standard_ia() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2026-04-01T00:00:00Z,PUT,big,322122547200,STANDARD_IA\n\
         2026-04-10T00:00:00Z,GET,big,107374182400,\n\
         2026-04-11T00:00:00Z,GET,big,107374182400,\n\
         2026-04-12T00:00:00Z,GET,big,107374182400,\n",
    );
    let (_, bill) = run(
        &w,
        &Policy::none(),
        &opts("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z"),
    );
    close(
        bill.quantity(0, "STANDARD_IA", Component::Retrieval),
        300.0,
        1e-12,
    );
    close(
        bill.usd(0, "STANDARD_IA", Component::Retrieval),
        3.00,
        1e-12,
    );
    // Three GETs at $0.001 per 1,000 = $0.000003.
    close(
        bill.usd(0, "STANDARD_IA", Component::RequestsGet),
        0.000003,
        1e-15,
    );
}

/// E5: 4 GB stored all 31 days of March plus 5 GB for the last 16 days:
/// 4,294,967,296 x 31 x 24 + 5,368,709,120 x 16 x 24 = 5,257,039,970,304 byte-hours
/// = 4,896 GB-hours = 6.581 GB-months (4,896 / 744). (The FAQ's versioned bucket keeps both; here
/// they are two keys.)
#[test]
fn e5_gb_months() {
    let w = workload(
        "timestamp,op,key,size\n\
         2026-03-01T00:00:00Z,PUT,v1,4294967296\n\
         2026-03-16T00:00:00Z,PUT,v2,5368709120\n",
    );
    let (r, bill) = run(
        &w,
        &Policy::none(),
        &opts("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"),
    );
    assert_eq!(
        r.usage.months[0].storage[BillClass::Standard.index()],
        5_257_039_970_304u128 * HOUR as u128
    );
    let q = bill.quantity(0, "STANDARD", Component::Storage);
    close(q, 4_896.0 / 744.0, 1e-12);
    close(q, 6.581, 0.0005);
}

/// E6: 100,000 objects of 1 GB archived to GLACIER for a month. FAQ: 100,003.2 GB of GLACIER and
/// 0.8 GB of STANDARD, counting 32 KB as 0.000032 GB and 8 KB as 0.000008 GB (decimal). s3sim uses
/// 1 KB = 1,024 bytes and 1 GB = 2^30 bytes (SPEC §3): 100,000 x (1 + 32,768 / 2^30)
/// = 100,003.0517578125 GB-months and 100,000 x 8,192 / 2^30 = 0.762939453125 GB-months.
/// Costs: 100,003.0517578125 x $0.0036 = $360.0109863; the FAQ's figure gives $360.01152; both
/// $360.01. STANDARD: 0.762939453125 x $0.023 = $0.0175476 vs the FAQ's $0.0184 (both $0.02).
#[test]
fn e6_archive_overhead() {
    let mut b = Builder::new();
    let april = t("2026-04-01T00:00:00Z");
    for i in 0..100_000 {
        let k = b.keys.len() as u32;
        b.keys.push(format!("a{i}").into());
        b.push(april, Op::Put, k, GIB, StorageClass::Glacier);
    }
    let w = b.build();
    let (_, bill) = run(
        &w,
        &Policy::none(),
        &opts("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z"),
    );
    let glacier = bill.quantity(0, "GLACIER", Component::Storage);
    close(glacier, 100_003.051_757_812_5, 1e-6);
    assert!(
        (glacier - 100_003.2).abs() / 100_003.2 < 2e-6,
        "within the FAQ's rounding"
    );
    let standard = bill.quantity(0, "STANDARD", Component::Storage);
    close(standard, 0.762_939_453_125, 1e-12);
    assert!((standard - 0.8).abs() < 0.05, "8 KB binary vs decimal");
    assert_eq!(
        s3sim::report::fmt_usd(bill.usd(0, "GLACIER", Component::Storage)),
        "$360.01"
    );
    close(
        bill.usd(0, "GLACIER", Component::Storage),
        360.010_986_328_125,
        1e-6,
    );
    close(
        bill.usd(0, "STANDARD", Component::Storage),
        0.762_939_453_125 * 0.023,
        1e-12,
    );
    // 100,000 PUTs to GLACIER at $0.03 per 1,000.
    close(bill.usd(0, "GLACIER", Component::RequestsPut), 3.0, 1e-9);
}

/// E7: 1 GB deleted from GLACIER 30 days after upload is charged 60 more days; after 60 days, 30.
/// The charge is on 1 GB + 32 KB, the size billed at the GLACIER rate.
#[test]
fn e7_glacier_early_deletion() {
    for (delete_day, charged_days) in [(30i64, 60u128), (60, 30)] {
        let deleted = t("2026-01-01T00:00:00Z") + delete_day * DAY;
        let csv = format!(
            "timestamp,op,key,size,storage_class\n\
             2026-01-01T00:00:00Z,PUT,x,{GIB},GLACIER\n\
             {},DELETE,x,,\n",
            s3sim::model::time::format_instant(deleted)
        );
        let w = workload(&csv);
        let (r, _) = run(
            &w,
            &Policy::none(),
            &opts("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z"),
        );
        let early: u128 = r
            .usage
            .months
            .iter()
            .map(|m| m.early_delete[BillClass::Glacier.index()])
            .sum();
        assert_eq!(
            early,
            (GIB as u128 + 32 * 1024) * charged_days * DAY as u128,
            "deleted on day {delete_day}"
        );
        // All of it lands in the month the object is deleted.
        let month = if delete_day == 30 { 0 } else { 2 };
        assert_eq!(
            r.usage.months[month].early_delete[BillClass::Glacier.index()],
            early
        );
    }
}

/// E8: a 6 KB object in STANDARD_IA is billed as 128 KB; a ONEZONE_IA object deleted after 10 days
/// is billed 30 days in all (10 days of storage + 20 days of early deletion).
#[test]
fn e8_minimum_size_and_duration() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2026-06-01T00:00:00Z,PUT,six,6144,STANDARD_IA\n\
         2026-06-01T00:00:00Z,PUT,oz,1073741824,ONEZONE_IA\n\
         2026-06-11T00:00:00Z,DELETE,oz,,\n",
    );
    let (r, bill) = run(
        &w,
        &Policy::none(),
        &opts("2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z"),
    );
    let m = &r.usage.months[0];
    assert_eq!(
        m.storage[BillClass::StandardIa.index()],
        128 * 1024 * 30 * DAY as u128
    );
    assert_eq!(
        m.storage[BillClass::OnezoneIa.index()],
        GIB as u128 * 10 * DAY as u128
    );
    assert_eq!(
        m.early_delete[BillClass::OnezoneIa.index()],
        GIB as u128 * 20 * DAY as u128
    );
    // 30 days of 1 GB in a 30-day month = 1 GB-month at $0.01.
    let oz = bill.usd(0, "ONEZONE_IA", Component::Storage)
        + bill.usd(0, "ONEZONE_IA", Component::EarlyDelete);
    close(oz, 0.01, 1e-12);
    // 128 KB for a month at $0.0125: 131,072 / 2^30 x 0.0125.
    close(
        bill.usd(0, "STANDARD_IA", Component::Storage),
        131_072.0 / GIB as f64 * 0.0125,
        1e-15,
    );
}

/// §7.6: created 2014-01-15 10:30 UTC with a 3-day transition -> moves at 2014-01-19 00:00 UTC.
#[test]
fn lifecycle_transition_rounds_to_the_next_midnight() {
    let w = workload("timestamp,op,key,size\n2014-01-15T10:30:00Z,PUT,x,1048576\n");
    let p = policy(
        r#"{"Rules":[{"ID":"t3","Status":"Enabled","Filter":{},"Transitions":[{"Days":3,"StorageClass":"GLACIER_IR"}]}]}"#,
    );
    let mut o = opts("2014-01-01T00:00:00Z", "2014-02-01T00:00:00Z");
    o.trace = true;
    let (r, _) = run(&w, &p, &o);
    assert_eq!(
        r.stats.transition_log,
        vec![(
            0,
            t("2014-01-19T00:00:00Z"),
            StorageClass::Standard,
            StorageClass::GlacierIr
        )]
    );
    let m = &r.usage.months[0];
    let standard = (t("2014-01-19T00:00:00Z") - t("2014-01-15T10:30:00Z")) as u128;
    assert_eq!(m.storage[BillClass::Standard.index()], 1_048_576 * standard);
    assert_eq!(
        m.storage[BillClass::GlacierIr.index()],
        1_048_576 * 13 * DAY as u128
    );
}

/// §7.6: created 00:05 UTC on January 2 with Expiration Days 1 -> expires at 00:00 UTC January 4.
#[test]
fn lifecycle_expiration_timing() {
    let w = workload("timestamp,op,key,size\n2026-01-02T00:05:00Z,PUT,x,1000\n");
    let p = policy(
        r#"{"Rules":[{"ID":"e1","Status":"Enabled","Filter":{"Prefix":""},"Expiration":{"Days":1}}]}"#,
    );
    let (r, _) = run(
        &w,
        &p,
        &opts("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
    );
    assert_eq!(r.stats.expirations, 1);
    let lived = (t("2026-01-04T00:00:00Z") - t("2026-01-02T00:05:00Z")) as u128;
    assert_eq!(
        r.usage.months[0].storage[BillClass::Standard.index()],
        1000 * lived
    );
}

/// §7.6: a restore completed 2012-10-15 10:30 UTC with Days 3 expires 2012-10-19 00:00 UTC.
/// GLACIER standard restores take 5 h here (SPEC §5), so the GET is at 05:30.
#[test]
fn restored_copy_expires_at_midnight_after_its_days() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2012-10-01T00:00:00Z,PUT,x,1073741824,GLACIER\n\
         2012-10-15T05:30:00Z,GET,x,,\n\
         2012-10-16T05:30:00Z,GET,x,,\n",
    );
    let mut o = opts("2012-10-01T00:00:00Z", "2012-11-01T00:00:00Z");
    o.restore_days = 3;
    let (r, bill) = run(&w, &Policy::none(), &o);
    let copy = (t("2012-10-19T00:00:00Z") - t("2012-10-15T10:30:00Z")) as u128;
    assert_eq!(r.usage.months[0].restored_copy, GIB as u128 * copy);
    // One restore (the second GET finds the copy), one standard restore request of 1 GB.
    assert_eq!(r.stats.restores, 1);
    assert_eq!(r.stats.get_latencies, vec![5 * HOUR as u64]);
    close(bill.usd(0, "GLACIER", Component::Retrieval), 0.01, 1e-12);
    close(
        bill.usd(0, "GLACIER", Component::RestoreRequests),
        0.05 / 1000.0,
        1e-15,
    );
}

/// Review findings, each a regression test.
mod regressions {
    use crate::common::*;
    use s3sim::ledger::Component;
    use s3sim::model::StorageClass;
    use s3sim::policy::Policy;

    /// An INTELLIGENT_TIERING object in the Archive Instant Access tier (90 days without access)
    /// cannot go to ONEZONE_IA (S3_FACTS §4.2, 2026 refinement); before that tier it can.
    #[test]
    fn archive_instant_objects_do_not_go_to_onezone_ia() {
        let w = workload(
            "timestamp,op,key,size,storage_class\n\
             2026-01-01T00:00:00Z,PUT,cold,1073741824,INTELLIGENT_TIERING\n\
             2026-01-01T00:00:00Z,PUT,warm,1073741824,INTELLIGENT_TIERING\n\
             2026-03-01T00:00:00Z,GET,warm,,\n",
        );
        let p = policy(
            r#"{"Rules":[{"ID":"oz","Status":"Enabled","Filter":{},"Transitions":[{"Days":100,"StorageClass":"ONEZONE_IA"}]}]}"#,
        );
        let mut o = opts("2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z");
        o.trace = true;
        let (r, bill) = run(&w, &p, &o);
        // Day 100 = 2026-04-11: `cold` is 100 days past its last access (archive instant), `warm` 41.
        let log: Vec<_> = r
            .stats
            .transition_log
            .iter()
            .map(|&(k, at, from, to)| (&*w.keys[k as usize], at, from, to))
            .collect();
        assert_eq!(
            log,
            vec![(
                "warm",
                t("2026-04-11T00:00:00Z"),
                StorageClass::IntelligentTiering,
                StorageClass::OnezoneIa
            )]
        );
        // `cold` in archive instant all of May: 1 GB-month at $0.004.
        close(
            bill.quantity(4, "INTELLIGENT_TIERING_ARCHIVE_INSTANT", Component::Storage),
            1.0,
            1e-12,
        );
    }

    /// Days near the top of what validation accepts must not overflow: the action is simply never due.
    #[test]
    fn huge_days_never_fall_due() {
        let w = workload(
            "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,1073741824\n2026-01-10T00:00:00Z,HEAD,a,\n",
        );
        let p = policy(
            r#"{"Rules":[{"ID":"big","Status":"Enabled","Filter":{},"Expiration":{"Days":2000000000}}]}"#,
        );
        let o = opts("2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z");
        let (r, bill) = run(&w, &p, &o);
        let (_, base) = run(&w, &Policy::none(), &o);
        assert_eq!(r.stats.expirations, 0);
        assert_eq!(r.stats.missing_key, 0);
        assert_eq!(bill, base);
    }

    /// A range larger than the object reads only the object.
    #[test]
    fn range_gets_are_capped_at_the_object_size() {
        let w = workload(
            "timestamp,op,key,size,storage_class\n\
             2026-01-01T00:00:00Z,PUT,a,1000,STANDARD_IA\n\
             2026-01-02T00:00:00Z,GET,a,1099511627776,\n",
        );
        let (r, _) = run(
            &w,
            &Policy::none(),
            &opts("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
        );
        assert_eq!(
            r.usage.months[0].retrieval[StorageClass::StandardIa.index()],
            1000
        );
    }

    /// An empty component is $0.000000, never -0.000000.
    #[test]
    fn empty_components_are_positive_zero() {
        let w = workload("timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,1\n");
        let (r, bill) = run(
            &w,
            &Policy::none(),
            &opts("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
        );
        let report = s3sim::report::SimReport {
            workload: "w".into(),
            policy: "none".into(),
            months: opts("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z").months,
            bill,
            stats: r.stats,
        };
        let mut df = s3sim::report::summary_frame(&[report]).unwrap();
        let csv = String::from_utf8(s3sim::report::to_csv(&mut df, 6).unwrap()).unwrap();
        assert!(!csv.contains("-0.0"), "{csv}");
        assert!(csv.contains(",0.000000,"), "{csv}");
    }
}
