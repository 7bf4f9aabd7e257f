//! Versioned buckets, delete markers and multipart uploads (issue 13), each scenario worked out
//! by hand in its comment from S3's rules (README, "Versioned buckets") and the built-in prices.

use crate::common::*;
use s3sim::ledger::Component;
use s3sim::model::time::{DAY, HOUR};
use s3sim::model::{BillClass, Versioning};
use s3sim::policy::Policy;
use s3sim::sim::{SimOptions, simulate_chunks};

fn versioned(start: &str, end: &str, v: Versioning) -> SimOptions {
    let mut o = opts(start, end);
    o.versioning = v;
    o
}

const STD: usize = 0;
const MINUTE: i64 = HOUR / 60;

fn gib_hours(h: u128) -> u128 {
    GIB as u128 * h * HOUR as u128
}

/// E5 of the S3 FAQ as the FAQ means it: the same key written twice in a versioned bucket.
/// Day 1 PUT 4 GB, day 16 PUT 5 GB, March (744 h): the 4 GB version is current for 15 days and
/// noncurrent for 16; [4 GiB x 31 x 24] + [5 GiB x 16 x 24] = 5,257,039,970,304 byte-hours
/// = 6.581 GB-months. Noncurrent: 4 GiB x 16 x 24 h = 1,536 GiB-hours = 1,536 / 744 GB-months.
/// Unversioned, the second PUT replaces the first: 4 GiB x 15 x 24 + 5 GiB x 16 x 24.
#[test]
fn e5_versioned_bucket_keeps_both_versions() {
    let w = workload(
        "timestamp,op,key,size\n\
         2026-03-01T00:00:00Z,PUT,k,4294967296\n\
         2026-03-16T00:00:00Z,PUT,k,5368709120\n",
    );
    let o = versioned(
        "2026-03-01T00:00:00Z",
        "2026-04-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, bill) = run(&w, &Policy::none(), &o);
    let m = &r.usage.months[0];
    assert_eq!(
        m.storage[STD] + m.noncurrent[STD],
        5_257_039_970_304u128 * HOUR as u128
    );
    assert_eq!(m.noncurrent[STD], gib_hours(4 * 16 * 24));
    let total = bill.quantity(0, "STANDARD", Component::Storage)
        + bill.quantity(0, "STANDARD", Component::NoncurrentStorage);
    close(total, 4_896.0 / 744.0, 1e-12);
    close(total, 6.581, 0.0005);
    close(
        bill.quantity(0, "STANDARD", Component::NoncurrentStorage),
        1_536.0 / 744.0,
        1e-12,
    );
    // $0.023 per GB-month (first band): 1,536 / 744 x 0.023 = $0.047484
    close(
        bill.usd(0, "STANDARD", Component::NoncurrentStorage),
        1_536.0 / 744.0 * 0.023,
        1e-12,
    );
    assert_eq!(r.stats.versions.made_noncurrent, 1);
    assert_eq!(r.stats.versions.noncurrent_at_end, 1);
    let (off, _) = run(
        &w,
        &Policy::none(),
        &opts("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"),
    );
    assert_eq!(off.usage.months[0].noncurrent[STD], 0);
    assert_eq!(
        off.usage.months[0].storage[STD],
        gib_hours(4 * 15 * 24 + 5 * 16 * 24)
    );
}

/// `NoncurrentVersionExpiration` with midnight rounding, alone and with `NewerNoncurrentVersions`.
/// v1 PUT 01-01 10:30, v2 01-15 10:30 (v1 noncurrent), v3 01-20 12:00 (v2 noncurrent); 1 GiB each;
/// January and February.
/// - NoncurrentDays 3: v1 at ceil(01-18 10:30) = 01-19 00:00; v2 at ceil(01-23 12:00) = 01-24 00:00.
///   Noncurrent GiB-hours in January: v1 01-15 10:30 -> 01-19 00:00 = 85.5 h; v2 01-20 12:00 ->
///   01-24 00:00 = 84 h; 169.5 in all; none in February.
/// - NoncurrentDays 3, NewerNoncurrentVersions 1: v1 is past its days at 01-18 10:30 but waits
///   for a newer noncurrent version: v2 at 01-20 12:00, so it goes at 01-21 00:00 (133.5 h); v2
///   never has a newer noncurrent version and stays: 01-20 12:00 -> 02-01 = 276 h in January,
///   672 h in February.
///
/// Current GiB-hours either way: January v1 336 + v2 121.5 + v3 276 = 733.5; February v3 672.
#[test]
fn noncurrent_expiration_rounds_to_midnight_and_counts_newer_versions() {
    let w = workload(
        "timestamp,op,key,size\n\
         2026-01-01T10:30:00Z,PUT,k,1073741824\n\
         2026-01-15T10:30:00Z,PUT,k,1073741824\n\
         2026-01-20T12:00:00Z,PUT,k,1073741824\n",
    );
    let o = versioned(
        "2026-01-01T00:00:00Z",
        "2026-03-01T00:00:00Z",
        Versioning::Enabled,
    );
    let half = (HOUR / 2) as u128 * GIB as u128;
    let days = policy(
        r#"{"Rules": [{"ID": "nc", "Status": "Enabled", "Filter": {},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 3}}]}"#,
    );
    let (r, _) = run(&w, &days, &o);
    assert_eq!(r.usage.months[0].noncurrent[STD], gib_hours(169) + half);
    assert_eq!(r.usage.months[1].noncurrent[STD], 0);
    assert_eq!(r.usage.months[0].storage[STD], gib_hours(733) + half);
    assert_eq!(r.usage.months[1].storage[STD], gib_hours(672));
    assert_eq!(r.stats.versions.noncurrent_expired, 2);
    assert_eq!(r.stats.versions.noncurrent_at_end, 0);

    let newer = policy(
        r#"{"Rules": [{"ID": "nc", "Status": "Enabled", "Filter": {},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 3, "NewerNoncurrentVersions": 1}}]}"#,
    );
    let (r, _) = run(&w, &newer, &o);
    assert_eq!(
        r.usage.months[0].noncurrent[STD],
        gib_hours(133 + 276) + half
    );
    assert_eq!(r.usage.months[1].noncurrent[STD], gib_hours(672));
    assert_eq!(r.usage.months[0].storage[STD], gib_hours(733) + half);
    assert_eq!(r.stats.versions.noncurrent_expired, 1);
    assert_eq!(r.stats.versions.noncurrent_at_end, 1);
}

/// A noncurrent version moved to STANDARD_IA and then expired before 30 days there.
/// v1 (1 GiB) PUT 01-01 00:00, v2 01-10 06:00: v1 noncurrent from 01-10 06:00.
/// Transition (30 days): ceil(02-09 06:00) = 02-10 00:00; expiration (40 days): ceil(02-19 06:00)
/// = 02-20 00:00. Noncurrent STANDARD: January 01-10 06:00 -> 02-01 = 522 h, February 216 h;
/// noncurrent STANDARD_IA: 240 h in February; it leaves STANDARD_IA after 10 of its 30 days: 20
/// days (480 h) of early deletion, billed in February (672 h): 480 / 672 GB-months x $0.0125.
/// One transition request to STANDARD_IA ($0.01 per 1,000).
#[test]
fn noncurrent_transition_then_early_expiration_in_standard_ia() {
    let w = workload(
        "timestamp,op,key,size\n\
         2026-01-01T00:00:00Z,PUT,k,1073741824\n\
         2026-01-10T06:00:00Z,PUT,k,1073741824\n",
    );
    let p = policy(
        r#"{"Rules": [{"ID": "nc", "Status": "Enabled", "Filter": {},
            "NoncurrentVersionTransitions": [{"NoncurrentDays": 30, "StorageClass": "STANDARD_IA"}],
            "NoncurrentVersionExpiration": {"NoncurrentDays": 40}}]}"#,
    );
    let o = versioned(
        "2026-01-01T00:00:00Z",
        "2026-04-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, bill) = run(&w, &p, &o);
    let ia = BillClass::StandardIa.index();
    assert_eq!(r.usage.months[0].noncurrent[STD], gib_hours(522));
    assert_eq!(r.usage.months[1].noncurrent[STD], gib_hours(216));
    assert_eq!(r.usage.months[1].noncurrent[ia], gib_hours(240));
    assert_eq!(r.usage.months[1].early_delete[ia], gib_hours(480));
    assert_eq!(r.usage.months[2].noncurrent.iter().sum::<u128>(), 0);
    assert_eq!(r.stats.transitions, 1);
    assert_eq!(r.stats.versions.noncurrent_transitions, 1);
    close(
        bill.usd(1, "STANDARD_IA", Component::EarlyDelete),
        480.0 / 672.0 * 0.0125,
        1e-12,
    );
    close(
        bill.usd(1, "STANDARD_IA", Component::Transition),
        0.01 / 1000.0,
        1e-15,
    );
    // Some version is current from 01-01 to 04-01 (v1, then v2): 90 days.
    let current: u128 = r.usage.months.iter().map(|m| m.storage[STD]).sum();
    assert_eq!(current, gib_hours(90 * 24));
}

/// Expiration in a versioned bucket adds a delete marker; the noncurrent version expires; the
/// marker, alone, is removed at the next midnight (a rule with Expiration Days removes expired
/// object delete markers).
/// "logs/a" (6 bytes of key), 1 GiB, PUT 01-01 12:00. Expiration 10 days: ceil(01-11 12:00) =
/// 01-12 00:00: the version becomes noncurrent and a marker current. NoncurrentDays 5: 01-17
/// 00:00, the version goes; the marker is alone from then, removed at 01-18 00:00.
/// Current: 252 h; noncurrent: 120 h; marker: 6 bytes x 144 h = 864 byte-hours.
#[test]
fn expiration_adds_a_marker_and_the_lone_marker_is_removed() {
    let w = workload(
        "timestamp,op,key,size\n\
         2026-01-01T12:00:00Z,PUT,logs/a,1073741824\n",
    );
    let p = policy(
        r#"{"Rules": [{"ID": "x", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
            "Expiration": {"Days": 10},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 5}}]}"#,
    );
    let o = versioned(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, bill) = run(&w, &p, &o);
    let m = &r.usage.months[0];
    assert_eq!(m.storage[STD], gib_hours(252));
    assert_eq!(m.noncurrent[STD], gib_hours(120));
    assert_eq!(m.delete_markers, 864 * HOUR as u128);
    let v = r.stats.versions;
    assert_eq!(r.stats.expirations, 1);
    assert_eq!(v.delete_markers_added, 1);
    assert_eq!(v.noncurrent_expired, 1);
    assert_eq!(v.delete_markers_removed, 1);
    assert_eq!(v.delete_markers_at_end, 0);
    // 864 byte-hours / 2^30 / 744 h GB-months at $0.023.
    close(
        bill.quantity(0, "STANDARD", Component::DeleteMarkers),
        864.0 / GIB as f64 / 744.0,
        1e-18,
    );
    // The same with ExpiredObjectDeleteMarker in place of the Expiration: a DELETE adds the
    // marker at 01-12 00:00 instead, with the same result.
    let w2 = workload(
        "timestamp,op,key,size\n\
         2026-01-01T12:00:00Z,PUT,logs/a,1073741824\n\
         2026-01-12T00:00:00Z,DELETE,logs/a,\n",
    );
    let p2 = policy(
        r#"{"Rules": [{"ID": "x", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
            "Expiration": {"ExpiredObjectDeleteMarker": true},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 5}}]}"#,
    );
    let (r2, _) = run(&w2, &p2, &o);
    assert_eq!(r2.usage.months[0].storage, m.storage);
    assert_eq!(r2.usage.months[0].noncurrent, m.noncurrent);
    assert_eq!(r2.usage.months[0].delete_markers, m.delete_markers);
    // Without a rule for markers the marker stays to the end: 01-12 -> 02-01 = 480 h.
    let p3 = policy(
        r#"{"Rules": [{"ID": "x", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 5}}]}"#,
    );
    let (r3, _) = run(&w2, &p3, &o);
    assert_eq!(r3.usage.months[0].delete_markers, 6 * 480 * HOUR as u128);
    assert_eq!(r3.stats.versions.delete_markers_at_end, 1);
}

/// DELETE without a version id, GET of a deleted key, DELETE and GET of a version by id. 1 GiB
/// versions of "k" (January): 01-01 PUT v1 (version_id a); 01-11 PUT v2 (b); 01-21 DELETE adds a
/// marker; 01-22 GET: missing; 01-26 DELETE of version b (noncurrent) removes it for good; 01-27
/// GET of version a reads v1; 01-28 GET of an id no version has: missing. Stored GiB-hours: v1
/// current 240 h, noncurrent 01-11 -> 02-01 = 504 h; v2 current 240 h, noncurrent 01-21 -> 01-26
/// = 120 h; the marker (key "k": 1 byte) 01-21 -> 02-01 = 264 h.
#[test]
fn deletes_with_and_without_version_ids() {
    let w = workload(
        "timestamp,op,key,size,version_id\n\
         2026-01-01T00:00:00Z,PUT,k,1073741824,a\n\
         2026-01-11T00:00:00Z,PUT,k,1073741824,b\n\
         2026-01-21T00:00:00Z,DELETE,k,,\n\
         2026-01-22T00:00:00Z,GET,k,,\n\
         2026-01-26T00:00:00Z,DELETE,k,,b\n\
         2026-01-27T00:00:00Z,GET,k,,a\n\
         2026-01-28T00:00:00Z,GET,k,,zzz\n",
    );
    let o = versioned(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, bill) = run(&w, &Policy::none(), &o);
    let m = &r.usage.months[0];
    assert_eq!(m.storage[STD], gib_hours(480));
    assert_eq!(m.noncurrent[STD], gib_hours(504 + 120));
    assert_eq!(m.delete_markers, 264 * HOUR as u128);
    let v = r.stats.versions;
    assert_eq!(v.deleted_by_version_id, 1);
    assert_eq!(v.unknown_version_ids, 1);
    assert_eq!(v.noncurrent_at_end, 1);
    assert_eq!(v.delete_markers_at_end, 1);
    // GETs: the one after the marker and the unknown id are missing; the one of version a is
    // billed as a STANDARD GET too: 3 GET requests at STANDARD's price.
    assert_eq!(r.stats.gets, 3);
    assert_eq!(r.stats.missing_key, 2);
    assert_eq!(m.requests_get[STD], 3);
    close(
        bill.quantity(0, "STANDARD", Component::RequestsGet),
        3.0,
        0.0,
    );
}

/// Deleting the current version by id makes the newest noncurrent one current again, with its
/// lifecycle: v1 (1 GiB, id a) 01-01, v2 (id b) 01-05; 01-08 DELETE b: v1 is current again; the
/// policy expires current versions after 20 days: v1 (created 01-01) at 01-21 00:00, which adds
/// a marker (versioned) and v1 stays noncurrent to the end (02-01).
/// v1: current 01-01 -> 01-05 (96 h) and 01-08 -> 01-21 (312 h); noncurrent 01-05 -> 01-08 (72 h)
/// and 01-21 -> 02-01 (264 h). v2: current 01-05 -> 01-08 (72 h).
#[test]
fn deleting_the_current_version_promotes_the_previous_one() {
    let w = workload(
        "timestamp,op,key,size,version_id\n\
         2026-01-01T00:00:00Z,PUT,k,1073741824,a\n\
         2026-01-05T00:00:00Z,PUT,k,1073741824,b\n\
         2026-01-08T00:00:00Z,DELETE,k,,b\n",
    );
    let p = policy(
        r#"{"Rules": [{"ID": "x", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 20}}]}"#,
    );
    let o = versioned(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, _) = run(&w, &p, &o);
    let m = &r.usage.months[0];
    assert_eq!(m.storage[STD], gib_hours(96 + 312 + 72));
    assert_eq!(m.noncurrent[STD], gib_hours(72 + 264));
    assert_eq!(r.stats.expirations, 1);
    assert_eq!(r.stats.versions.delete_markers_at_end, 1);
}

/// Suspended versioning: a write replaces the `null` version for good (early deletion applies),
/// where an enabled bucket keeps it noncurrent. STANDARD_IA, 1 GiB, PUT 01-01 and 01-11:
/// suspended: the first leaves after 10 days: 20 days (480 h) of early deletion in January; a
/// DELETE on 01-21 removes the second (10 days: 480 h more) and leaves a marker (1 byte key) to
/// 02-01 (264 h). Enabled: no early deletion; the first is noncurrent 01-11 -> 02-01 (504 h), the
/// second 01-21 -> 02-01 (264 h).
#[test]
fn suspended_versioning_replaces_the_null_version() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2026-01-01T00:00:00Z,PUT,k,1073741824,STANDARD_IA\n\
         2026-01-11T00:00:00Z,PUT,k,1073741824,STANDARD_IA\n\
         2026-01-21T00:00:00Z,DELETE,k,,\n",
    );
    let ia = BillClass::StandardIa.index();
    let s = versioned(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        Versioning::Suspended,
    );
    let (r, _) = run(&w, &Policy::none(), &s);
    let m = &r.usage.months[0];
    assert_eq!(m.storage[ia], gib_hours(480));
    assert_eq!(m.noncurrent[ia], 0);
    assert_eq!(m.early_delete[ia], gib_hours(960));
    assert_eq!(m.delete_markers, 264 * HOUR as u128);
    let e = versioned(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, _) = run(&w, &Policy::none(), &e);
    let m = &r.usage.months[0];
    assert_eq!(m.storage[ia], gib_hours(480));
    assert_eq!(m.noncurrent[ia], gib_hours(504 + 264));
    assert_eq!(m.early_delete[ia], 0);
}

/// An abandoned multipart upload billed until `AbortIncompleteMultipartUpload` fires.
/// "up/big": CreateMultipartUpload 01-01 10:00, parts of 1 GiB at 01-01 10:05 and 01-02 00:00,
/// never completed. DaysAfterInitiation 7: ceil(01-08 10:00) = 01-09 00:00.
/// Parts: 1 GiB x (01-01 10:05 -> 01-09 00:00 = 181 h 55 min) + 1 GiB x 168 h.
/// Three PUT-type requests at STANDARD ($0.005 per 1,000). Without the rule the upload stays
/// open to 02-01: 1 GiB x (30 d 13 h 55 min) + 1 GiB x 30 d.
#[test]
fn abandoned_upload_is_billed_until_the_abort_rule() {
    let w = workload(
        "timestamp,op,key,size,upload_id\n\
         2026-01-01T10:00:00Z,CREATE_MULTIPART_UPLOAD,up/big,,u1\n\
         2026-01-01T10:05:00Z,UPLOAD_PART,up/big,1073741824,u1\n\
         2026-01-02T00:00:00Z,UPLOAD_PART,up/big,1073741824,u1\n",
    );
    let p = policy(
        r#"{"Rules": [{"ID": "mpu", "Status": "Enabled", "Filter": {"Prefix": "up/"},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]}"#,
    );
    let o = opts("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
    let (r, bill) = run(&w, &p, &o);
    let g = GIB as u128;
    let first = (181 * HOUR + 55 * MINUTE) as u128 * g;
    assert_eq!(r.usage.months[0].mpu[STD], first + gib_hours(168));
    assert_eq!(r.usage.months[0].requests_put[STD], 3);
    assert_eq!(r.stats.versions.uploads_aborted_by_rule, 1);
    assert_eq!(r.stats.versions.uploads_open_at_end, 0);
    close(
        bill.usd(0, "STANDARD", Component::RequestsPut),
        3.0 * 0.005 / 1000.0,
        1e-15,
    );
    let (r, _) = run(&w, &Policy::none(), &o);
    let open = (30 * DAY + 13 * HOUR + 55 * MINUTE) as u128 * g + (30 * DAY) as u128 * g;
    assert_eq!(r.usage.months[0].mpu[STD], open);
    assert_eq!(r.stats.versions.uploads_open_at_end, 1);
    // A rule for another prefix does not touch it.
    let other = policy(
        r#"{"Rules": [{"ID": "mpu", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]}"#,
    );
    let (r, _) = run(&w, &other, &o);
    assert_eq!(r.usage.months[0].mpu[STD], open);
}

/// A DEEP_ARCHIVE multipart upload: initiation and parts at STANDARD request prices ($0.005 per
/// 1,000), parts stored at the STANDARD rate ("staging"), completion at DEEP_ARCHIVE's PUT price
/// ($0.05 per 1,000); the object (2 GiB, size + 32 KB at DEEP_ARCHIVE, 8 KB at STANDARD) from
/// completion. Create 01-01 00:00; parts of 1 GiB at 01-01 00:00 and 01-01 12:00; complete
/// 01-02 00:00: staging 1 GiB x 24 h + 1 GiB x 12 h = 36 GiB-hours. The object is stored 01-02 ->
/// 02-01: 30 days (720 h) of 2 GiB + 32 KiB in DEEP_ARCHIVE and 8 KiB in STANDARD.
#[test]
fn deep_archive_upload_stages_parts_at_standard() {
    let w = workload(
        "timestamp,op,key,size,storage_class,upload_id\n\
         2026-01-01T00:00:00Z,CREATE_MULTIPART_UPLOAD,b/x,,DEEP_ARCHIVE,u\n\
         2026-01-01T00:00:00Z,UPLOAD_PART,b/x,1073741824,,u\n\
         2026-01-01T12:00:00Z,UPLOAD_PART,b/x,1073741824,,u\n\
         2026-01-02T00:00:00Z,COMPLETE_MULTIPART_UPLOAD,b/x,,,u\n",
    );
    let o = opts("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
    let (r, bill) = run(&w, &Policy::none(), &o);
    let m = &r.usage.months[0];
    let da = s3sim::model::StorageClass::DeepArchive.index();
    assert_eq!(m.mpu[STD], gib_hours(36));
    assert_eq!(m.requests_put[STD], 3);
    assert_eq!(m.requests_put[da], 1);
    let h720 = (720 * HOUR) as u128;
    assert_eq!(
        m.storage[BillClass::DeepArchive.index()],
        (2 * GIB as u128 + 32 * 1024) * h720
    );
    assert_eq!(m.storage[STD], 8 * 1024 * h720);
    close(
        bill.usd(0, "STANDARD", Component::RequestsPut)
            + bill.usd(0, "DEEP_ARCHIVE", Component::RequestsPut),
        3.0 * 0.005 / 1000.0 + 0.05 / 1000.0,
        1e-15,
    );
    // 36 GiB-hours / 744 h at $0.023.
    close(
        bill.usd(0, "STANDARD", Component::MpuStorage),
        36.0 / 744.0 * 0.023,
        1e-12,
    );
    assert_eq!(r.stats.versions.uploads_completed, 1);
    assert_eq!(r.stats.objects_created, 1);
}

/// With versioning enabled and no overwrite or DELETE, every number equals the unversioned run
/// (the bundled web-assets sample has neither... so build one): and parallel equals sequential.
#[test]
fn enabled_without_overwrites_equals_off_and_parallel_equals_sequential() {
    let mut csv = String::from("timestamp,op,key,size,storage_class\n");
    for i in 0..200 {
        let class = ["STANDARD", "STANDARD_IA", "GLACIER", "INTELLIGENT_TIERING"][i % 4];
        csv.push_str(&format!(
            "2026-01-{:02}T0{}:00:00Z,PUT,p{}/k{i},{},{class}\n",
            1 + i % 28,
            i % 10,
            i % 7,
            1000 + i * 123_457
        ));
        csv.push_str(&format!(
            "2026-02-{:02}T00:00:00Z,GET,p{}/k{i},\n",
            1 + i % 28,
            i % 7
        ));
    }
    let w = workload(&csv);
    let p = policy(
        r#"{"Rules": [{"ID": "t", "Status": "Enabled", "Filter": {},
            "Transitions": [{"Days": 30, "StorageClass": "GLACIER_IR"}],
            "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]}"#,
    );
    let off = opts("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z");
    let on = versioned(
        "2026-01-01T00:00:00Z",
        "2026-04-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (a, _) = run(&w, &p, &off);
    let (b, _) = run(&w, &p, &on);
    assert_eq!(a.usage, b.usage);
    assert!(a.usage.months[1].storage.iter().sum::<u128>() > 0);

    // A versioned workload with overwrites and deletes: 1 chunk or 7, same result.
    let mut csv = String::from("timestamp,op,key,size,version_id\n");
    for i in 0..300 {
        let op = ["PUT", "PUT", "DELETE", "GET"][i % 4];
        let size = if op == "PUT" {
            (100_000 + i * 1000).to_string()
        } else {
            String::new()
        };
        csv.push_str(&format!(
            "2026-01-{:02}T00:00:00Z,{op},k{},{size},\n",
            1 + i % 28,
            i % 13
        ));
    }
    let w = workload(&csv);
    let one = simulate_chunks(&w, &p, &on, 1, &[]);
    let seven = simulate_chunks(&w, &p, &on, 7, &[]);
    assert_eq!(one, seven);
    assert!(one.stats.versions.made_noncurrent > 0);
    assert!(one.stats.versions.delete_markers_added > 0);
}

/// Through the CLI: an input naming version ids is simulated as versioned (and the report says
/// so); `--versioning off` on the same input warns that a policy's noncurrent rules do nothing;
/// `summary.csv` carries the noncurrent, delete-marker and upload parts of storage.
#[test]
fn cli_infers_versioning_and_warns_about_rules_that_cannot_act() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("v.csv"),
        "timestamp,op,key,size,version_id,upload_id\n\
         2026-01-01T00:00:00Z,PUT,a,1073741824,v1,\n\
         2026-01-11T00:00:00Z,PUT,a,1073741824,v2,\n\
         2026-01-12T00:00:00Z,GET,a,,v1,\n\
         2026-01-21T00:00:00Z,UPLOAD_PART,b,1073741824,,u\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("nc.json"),
        r#"{"Rules": [{"ID": "nc", "Status": "Enabled", "Filter": {},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 5}}]}"#,
    )
    .unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            "v.csv",
            "--policy",
            "none",
            "--policy",
            "nc.json",
            "--out",
            "r1",
            "--quiet",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let run = std::fs::read_to_string(tmp.path().join("r1/run.json")).unwrap();
    assert!(run.contains("simulated with versioning enabled"), "{run}");
    assert!(run.contains("\"versioning\": \"enabled\""), "{run}");
    assert!(
        run.contains("multipart upload(s) were still open at the end"),
        "{run}"
    );
    let summary = std::fs::read_to_string(tmp.path().join("r1/summary.csv")).unwrap();
    let header: Vec<&str> = summary.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row = |policy: &str| -> Vec<String> {
        summary
            .lines()
            .find(|l| l.split(',').nth(1) == Some(policy))
            .unwrap()
            .split(',')
            .map(String::from)
            .collect()
    };
    // none: v1 is noncurrent 01-11 -> 02-01 (504 h of 1 GiB): 504 / 744 x $0.023 = $0.015581.
    // nc.json: v1 expires at 01-16 00:00: 120 h: 120 / 744 x 0.023 = $0.003710.
    // The part: 01-21 -> 02-01 = 264 h: 264 / 744 x 0.023 = $0.008161, under either policy.
    assert_eq!(row("none")[col("noncurrent_storage_usd")], "0.015581");
    assert_eq!(row("nc")[col("noncurrent_storage_usd")], "0.003710");
    assert_eq!(row("none")[col("mpu_storage_usd")], "0.008161");
    assert_eq!(row("none")[col("delete_marker_usd")], "0.000000");
    // The findings name what old versions and the unfinished upload cost under none: total
    // $0.023 (1 GiB current all month) + $0.015581 + $0.008161 + requests ($0.0000154) = $0.0468;
    // old versions 33% of it, the upload's parts 17%.
    let report = std::fs::read_to_string(tmp.path().join("r1/report.md")).unwrap();
    assert!(
        report.contains(
            "**v** under **none**: noncurrent versions and delete markers cost $0.02 (33% of $0.05)"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "**v** under **none**: parts of unfinished multipart uploads cost $0.01 (17% of $0.05)"
        ),
        "{report}"
    );

    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            "v.csv",
            "--policy",
            "nc.json",
            "--versioning",
            "off",
            "--out",
            "r2",
            "--quiet",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let run = std::fs::read_to_string(tmp.path().join("r2/run.json")).unwrap();
    assert!(
        run.contains("v x nc: the rules for noncurrent versions and delete markers have no effect"),
        "{run}"
    );
    let summary = std::fs::read_to_string(tmp.path().join("r2/summary.csv")).unwrap();
    let line = summary.lines().nth(1).unwrap();
    assert_eq!(
        line.split(',').nth(col("noncurrent_storage_usd")),
        Some("0.000000")
    );
}

/// An all-versions S3 Inventory seeds noncurrent versions and delete markers: each row is
/// replayed at its LastModifiedDate (a version became noncurrent when the next one of its key was
/// created). "a": v1 2025-12-01, v2 2025-12-20 (latest); "b": a version 2025-11-01 and a delete
/// marker 2025-12-10 (latest). January 2026, 1 GiB versions:
/// - off: only v2 is stored: 744 GiB-hours; nothing noncurrent, no early deletion.
/// - enabled, no rules: current v2 744 h; noncurrent v1 and b's version 744 h each; b's marker
///   (1 byte) 744 h.
/// - enabled, NoncurrentDays 30: v1 (noncurrent since 12-20) goes at 01-19 00:00: 432 h; b's
///   version (since 12-10) at 01-09 00:00: 192 h; nothing removes b's marker (744 h).
#[test]
fn all_versions_inventory_seeds_noncurrent_versions_and_markers() {
    let tmp = tempfile::tempdir().unwrap();
    let inv = tmp.path().join("inventory.csv");
    std::fs::write(
        &inv,
        "Bucket,Key,VersionId,IsLatest,IsDeleteMarker,Size,LastModifiedDate,StorageClass\n\
         bk,a,v1,false,false,1073741824,2025-12-01T00:00:00.000Z,STANDARD\n\
         bk,a,v2,true,false,1073741824,2025-12-20T00:00:00.000Z,STANDARD\n\
         bk,b,w1,false,false,1073741824,2025-11-01T00:00:00.000Z,STANDARD\n\
         bk,b,w2,true,true,,2025-12-10T00:00:00.000Z,\n",
    )
    .unwrap();
    let inventory = s3sim::workload::read_workload(
        &inv,
        &s3sim::workload::ReadOptions {
            format: Some(s3sim::workload::Format::Inventory),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(inventory.names_versions());
    let requests = s3sim::workload::read_native_csv(
        "w.csv",
        &b"timestamp,op,key,size\n2026-01-15T00:00:00Z,PUT,z,0\n"[..],
    )
    .unwrap();
    let w = requests.with_initial(&inventory).group_by_key();
    let off = opts("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
    let (r, _) = run(&w, &Policy::none(), &off);
    let m = &r.usage.months[0];
    assert_eq!(m.storage[STD], gib_hours(744));
    assert_eq!(m.noncurrent[STD] + m.early_delete.iter().sum::<u128>(), 0);
    let on = versioned(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, _) = run(&w, &Policy::none(), &on);
    let m = &r.usage.months[0];
    assert_eq!(m.storage[STD], gib_hours(744));
    assert_eq!(m.noncurrent[STD], gib_hours(2 * 744));
    assert_eq!(m.delete_markers, 744 * HOUR as u128);
    assert_eq!(r.stats.versions.delete_markers_added, 0);
    let p = policy(
        r#"{"Rules": [{"ID": "nc", "Status": "Enabled", "Filter": {},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}]}"#,
    );
    let (r, _) = run(&w, &p, &on);
    let m = &r.usage.months[0];
    assert_eq!(m.noncurrent[STD], gib_hours(432 + 192));
    assert_eq!(m.delete_markers, 744 * HOUR as u128);
    assert_eq!(r.stats.versions.noncurrent_expired, 2);
    assert_eq!(r.stats.versions.delete_markers_at_end, 1);
}

/// `versionId=null` names the null version (written while versioning is suspended): a GET of it
/// reads it, a DELETE of it removes it for good without a marker. STANDARD, 1 GiB, PUT 01-01,
/// GET null 01-02, DELETE null 01-11: 240 GiB-hours, no marker, no missing key.
#[test]
fn version_id_null_names_the_null_version() {
    let w = workload(
        "timestamp,op,key,size,version_id\n\
         2026-01-01T00:00:00Z,PUT,k,1073741824,\n\
         2026-01-02T00:00:00Z,GET,k,,null\n\
         2026-01-11T00:00:00Z,DELETE,k,,null\n",
    );
    let s = versioned(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        Versioning::Suspended,
    );
    let (r, _) = run(&w, &Policy::none(), &s);
    let m = &r.usage.months[0];
    assert_eq!(m.storage[STD], gib_hours(240));
    assert_eq!(m.delete_markers, 0);
    assert_eq!(r.stats.missing_key, 0);
    assert_eq!(r.stats.versions.deleted_by_version_id, 1);
    // In an enabled bucket no version is null: the same requests name a missing version.
    let e = versioned(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, _) = run(&w, &Policy::none(), &e);
    assert_eq!(r.usage.months[0].storage[STD], gib_hours(744));
    assert_eq!(r.stats.versions.unknown_version_ids, 2);
}

/// A version that qualifies for `NewerNoncurrentVersions` at the instant another of its actions
/// falls due is still acted on (at the next midnight). 1 GiB PUTs of k at 01-01, 01-02, 01-03
/// 00:00; NoncurrentDays 1 to STANDARD_IA, expiration after 1 day keeping 1 newer version.
/// v1 (noncurrent 01-02): to STANDARD_IA at 01-03; the PUT at 01-03 00:00 gives it a newer
/// noncurrent version (v2) then, so it expires at 01-04 00:00 after 1 day in STANDARD_IA: 29 days
/// (696 h) of early deletion. v2 (noncurrent 01-03): to STANDARD_IA at 01-04, never a newer
/// noncurrent version: kept to 02-01 (672 h). Noncurrent STANDARD: 24 + 24 h; STANDARD_IA:
/// 24 + 672 h.
#[test]
fn newer_versions_counted_at_a_busy_midnight_still_expire() {
    let w = workload(
        "timestamp,op,key,size\n\
         2026-01-01T00:00:00Z,PUT,k,1073741824\n\
         2026-01-02T00:00:00Z,PUT,k,1073741824\n\
         2026-01-03T00:00:00Z,PUT,k,1073741824\n",
    );
    let p = policy(
        r#"{"Rules": [{"ID": "nc", "Status": "Enabled", "Filter": {},
            "NoncurrentVersionTransitions": [{"NoncurrentDays": 1, "StorageClass": "STANDARD_IA"}],
            "NoncurrentVersionExpiration": {"NoncurrentDays": 1, "NewerNoncurrentVersions": 1}}]}"#,
    );
    let o = versioned(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, _) = run(&w, &p, &o);
    let m = &r.usage.months[0];
    let ia = BillClass::StandardIa.index();
    assert_eq!(m.noncurrent[STD], gib_hours(48));
    assert_eq!(m.noncurrent[ia], gib_hours(24 + 672));
    assert_eq!(m.early_delete[ia], gib_hours(696));
    assert_eq!(r.stats.versions.noncurrent_transitions, 2);
    assert_eq!(r.stats.versions.noncurrent_expired, 1);
}

fn inventory_of_a(tmp: &std::path::Path) -> s3sim::workload::Workload {
    let inv = tmp.join("inventory.csv");
    std::fs::write(
        &inv,
        "Bucket,Key,VersionId,IsLatest,IsDeleteMarker,Size,LastModifiedDate,StorageClass\n\
         bk,a,v1,false,false,1073741824,2025-12-01T00:00:00.000Z,STANDARD\n\
         bk,a,v2,true,false,1073741824,2025-12-20T00:00:00.000Z,STANDARD\n",
    )
    .unwrap();
    s3sim::workload::read_workload(
        &inv,
        &s3sim::workload::ReadOptions {
            format: Some(s3sim::workload::Format::Inventory),
            ..Default::default()
        },
    )
    .unwrap()
}

/// Requests name the versions an inventory lists (the same id string is the same version), and
/// in a suspended bucket only a listed `null` version is replaced. Inventory: a v1 (12-01), v2
/// (12-20, latest); January.
/// - enabled, DELETE of a's version v1 on 01-10: v1 is noncurrent 01-01 -> 01-10 (216 h).
/// - suspended, PUT of a on 01-10: v2 (id v2, not null) becomes noncurrent; nothing is removed:
///   noncurrent v1 744 h + v2 528 h; current v2 216 h + the new null version 528 h.
#[test]
fn requests_name_inventory_versions_and_suspension_keeps_them() {
    let tmp = tempfile::tempdir().unwrap();
    let inventory = inventory_of_a(tmp.path());
    let jan = |v| versioned("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", v);
    let requests = s3sim::workload::read_native_csv(
        "w.csv",
        &b"timestamp,op,key,size,version_id\n2026-01-10T00:00:00Z,DELETE,a,,v1\n"[..],
    )
    .unwrap();
    let w = requests.with_initial(&inventory).group_by_key();
    let (r, _) = run(&w, &Policy::none(), &jan(Versioning::Enabled));
    assert_eq!(r.usage.months[0].noncurrent[STD], gib_hours(216));
    assert_eq!(r.stats.versions.deleted_by_version_id, 1);
    assert_eq!(r.stats.versions.unknown_version_ids, 0);

    let requests = s3sim::workload::read_native_csv(
        "w.csv",
        &b"timestamp,op,key,size\n2026-01-10T00:00:00Z,PUT,a,1073741824\n"[..],
    )
    .unwrap();
    let w = requests.with_initial(&inventory).group_by_key();
    let (r, _) = run(&w, &Policy::none(), &jan(Versioning::Suspended));
    let m = &r.usage.months[0];
    assert_eq!(m.noncurrent[STD], gib_hours(744 + 528));
    assert_eq!(m.storage[STD], gib_hours(216 + 528));
    assert_eq!(m.early_delete.iter().sum::<u128>(), 0);
}

/// `--repeat-until` copies keep their writes' version ids, so a copy's DELETE of v1 removes the
/// copy's v1: PUT v1 (01-01), PUT v2 (01-02), DELETE v1 (01-03), repeated every 3 days until
/// 01-10 (two copies): three versions deleted by id, none unknown; v2 of the first two periods
/// stay noncurrent.
#[test]
fn repeated_requests_name_their_own_copies_versions() {
    let w = s3sim::workload::read_native_csv(
        "w.csv",
        &b"timestamp,op,key,size,version_id\n\
           2026-01-01T00:00:00Z,PUT,k,1000,v1\n\
           2026-01-02T00:00:00Z,PUT,k,1000,v2\n\
           2026-01-03T00:00:00Z,DELETE,k,,v1\n"[..],
    )
    .unwrap()
    .repeat_until(t("2026-01-10T00:00:00Z"))
    .unwrap()
    .group_by_key();
    assert_eq!(w.repeats, 2);
    let o = versioned(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, _) = run(&w, &Policy::none(), &o);
    assert_eq!(r.stats.versions.deleted_by_version_id, 3);
    assert_eq!(r.stats.versions.unknown_version_ids, 0);
    assert_eq!(r.stats.versions.noncurrent_at_end, 2);
}

/// A noncurrent Intelligent-Tiering version in Archive Instant Access does not go to ONEZONE_IA
/// (as for current versions). v1 (1 MiB, INTELLIGENT_TIERING) PUT 01-01, v2 01-02; v1's
/// transition after 100 noncurrent days falls due at 04-12 00:00, 101 days after its last
/// access: it stays (no transition).
#[test]
fn noncurrent_archive_instant_versions_do_not_go_to_onezone_ia() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2026-01-01T00:00:00Z,PUT,k,1048576,INTELLIGENT_TIERING\n\
         2026-01-02T00:00:00Z,PUT,k,1048576,INTELLIGENT_TIERING\n",
    );
    let p = policy(
        r#"{"Rules": [{"ID": "nc", "Status": "Enabled", "Filter": {},
            "NoncurrentVersionTransitions": [{"NoncurrentDays": 100, "StorageClass": "ONEZONE_IA"}]}]}"#,
    );
    let o = versioned(
        "2026-01-01T00:00:00Z",
        "2026-06-01T00:00:00Z",
        Versioning::Enabled,
    );
    let (r, _) = run(&w, &p, &o);
    assert_eq!(r.stats.transitions, 0);
    let aia = BillClass::ItArchiveInstant.index();
    assert!(r.usage.months[4].noncurrent[aia] > 0);
}

/// A completion naming an upload an abort rule removed does nothing (S3: NoSuchUpload).
/// CREATE u1 01-01 00:00, a 1 GiB part at once, abort rule 7 days: aborted at 01-08 00:00
/// (168 GiB-hours of parts); COMPLETE u1 at 01-10: no object.
#[test]
fn completing_an_aborted_upload_creates_nothing() {
    let w = workload(
        "timestamp,op,key,size,upload_id\n\
         2026-01-01T00:00:00Z,CREATE_MULTIPART_UPLOAD,up/x,,u1\n\
         2026-01-01T00:00:00Z,UPLOAD_PART,up/x,1073741824,u1\n\
         2026-01-10T00:00:00Z,COMPLETE_MULTIPART_UPLOAD,up/x,5368709120,u1\n",
    );
    let p = policy(
        r#"{"Rules": [{"ID": "mpu", "Status": "Enabled", "Filter": {"Prefix": "up/"},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]}"#,
    );
    let (r, _) = run(
        &w,
        &p,
        &opts("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
    );
    let m = &r.usage.months[0];
    assert_eq!(m.mpu[STD], gib_hours(168));
    assert_eq!(m.storage[STD], 0);
    assert_eq!(r.stats.objects_created, 0);
    assert_eq!(r.stats.versions.requests_to_aborted_uploads, 1);
    assert_eq!(r.stats.versions.uploads_created, 1);
}
