//! Versions and multipart uploads read from S3 server access logs: the same requests as a native
//! CSV and as an access log simulate alike (README, "Versioned buckets"; src/workload/accesslog.rs).

use crate::common::*;
use s3sim::model::Versioning;
use s3sim::model::time::HOUR;
use s3sim::policy::Policy;
use s3sim::sim::SimResult;
use s3sim::workload::{ByKey, ReadOptions, read_workload};

const STD: usize = 0;

/// One access-log record of bucket `bkt` (all 26 documented fields): `time` as
/// `01/Jan/2026:00:00:00`, `uri` the Request-URI, `sent` and `size` Bytes Sent and Object Size,
/// `vid` the Version Id field.
#[allow(clippy::too_many_arguments)]
fn rec(
    time: &str,
    op: &str,
    key: &str,
    uri: &str,
    status: u16,
    sent: &str,
    size: &str,
    vid: &str,
) -> String {
    let error = if status < 300 { "-" } else { "NoSuchUpload" };
    format!(
        "79a59df9 bkt [{time} +0000] 192.0.2.3 arn:aws:iam::123456789012:user/alice 3E57427F3EXAMPLE \
         {op} {key} \"{uri}\" {status} {error} {sent} {size} 70 10 \"-\" \"aws-cli/2.15\" {vid} \
         HostIdExample= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader \
         bkt.s3.us-east-1.amazonaws.com TLSv1.2 - -\n"
    )
}

/// Reads `text` as an access log (format detected from the content, as the CLI does).
fn read_log(text: &str) -> ByKey {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("access.log");
    std::fs::write(&path, text).unwrap();
    read_workload(&path, &ReadOptions::default())
        .unwrap()
        .group_by_key()
}

fn gib_hours(h: u128) -> u128 {
    GIB as u128 * h * HOUR as u128
}

fn simulate_january(w: &ByKey, p: &Policy) -> SimResult {
    let mut o = opts("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
    o.versioning = Versioning::Enabled;
    run(w, p, &o).0
}

const ABORT_AFTER_2_DAYS: &str = r#"{"Rules": [{"ID": "mpu", "Status": "Enabled",
    "Filter": {"Prefix": "up/"}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}]}"#;

/// The same requests as a native CSV and as an access log, in a versioned bucket (January 2026,
/// 744 h) with `AbortIncompleteMultipartUpload` after 2 days on `up/`:
///
/// - `up/a`: CreateMultipartUpload 01-01 00:00 (the log's initiation carries no upload id: the
///   first part naming `A` claims it), UploadPart 1 GiB at 01:00, UploadPartCopy 1 GiB at 02:00
///   (`REST.COPY.PART`; its Bytes Sent is the CopyPartResult document, not the part), complete
///   01-02 00:00. Parts: 1 GiB x 1 h + 2 GiB x 22 h = 45 GiB-hours. The 2 GiB object is current
///   01-02 -> 02-01: 2 GiB x 720 h = 1,440 GiB-hours.
/// - `up/b`: two parts of 512 MiB at 01-03 06:00 and 18:00, its initiation not in the input (the
///   first part starts the upload), never completed: the rule aborts it at ceil(01-05 06:00) =
///   01-06 00:00. Parts: 0.5 GiB x 12 h + 1 GiB x 54 h = 60 GiB-hours.
/// - `up/c`: created 01-04 00:00, a 256 MiB part at 06:00, AbortMultipartUpload at 12:00 (free):
///   0.25 GiB x 6 h = 1.5 GiB-hours.
///
///   mpu = 45 + 60 + 1.5 = 106.5 GiB-hours.
///   PUT-type requests: up/a 4 (create, 2 parts, complete) + up/b 2 + up/c 2 + v/doc 2 PUTs = 10.
/// - `v/doc`: PUT 1 GiB 01-01 and 01-10; GET and HEAD of version `ver-1` and DELETE of `ver-2`,
///   versions the input never created (an access log's PUT does not log the version id it
///   creates, so the native CSV names none either): 3 unknown version ids, the GET and HEAD
///   billed as misses at STANDARD, the DELETE free; a GET of the current version 01-16; a DELETE
///   01-25 adds a delete marker (`v/doc`, 5 bytes). Storage: 1 GiB x 216 h (01-01 -> 01-10) +
///   1 GiB x 360 h (01-10 -> 01-25) + up/a's 1,440 = 2,016 GiB-hours; noncurrent: 1 GiB x 528 h
///   (01-10 -> 02-01) + 1 GiB x 168 h (01-25 -> 02-01) = 696 GiB-hours; the marker 5 B x 168 h.
///   GET-type requests: 3.
///
/// The log also holds a failed part (404) and a `REST.COPY.PART_GET` (the source read of the
/// UploadPartCopy), neither replayed.
#[test]
fn the_same_requests_as_a_native_csv_and_as_an_access_log_give_identical_results() {
    let native = workload(
        "timestamp,op,key,size,storage_class,tags,version_id,upload_id\n\
         2026-01-01T00:00:00Z,CREATE_MULTIPART_UPLOAD,up/a,,,,,A\n\
         2026-01-01T01:00:00Z,UPLOAD_PART,up/a,1073741824,,,,A\n\
         2026-01-01T02:00:00Z,UPLOAD_PART,up/a,1073741824,,,,A\n\
         2026-01-02T00:00:00Z,COMPLETE_MULTIPART_UPLOAD,up/a,2147483648,,,,A\n\
         2026-01-03T06:00:00Z,UPLOAD_PART,up/b,536870912,,,,B\n\
         2026-01-03T18:00:00Z,UPLOAD_PART,up/b,536870912,,,,B\n\
         2026-01-04T00:00:00Z,CREATE_MULTIPART_UPLOAD,up/c,,,,,C\n\
         2026-01-04T06:00:00Z,UPLOAD_PART,up/c,268435456,,,,C\n\
         2026-01-04T12:00:00Z,ABORT_MULTIPART_UPLOAD,up/c,,,,,C\n\
         2026-01-01T00:00:00Z,PUT,v/doc,1073741824,,,,\n\
         2026-01-10T00:00:00Z,PUT,v/doc,1073741824,,,,\n\
         2026-01-15T00:00:00Z,GET,v/doc,1000,,,ver-1,\n\
         2026-01-16T00:00:00Z,GET,v/doc,1073741824,,,,\n\
         2026-01-20T00:00:00Z,DELETE,v/doc,,,,ver-2,\n\
         2026-01-25T00:00:00Z,DELETE,v/doc,,,,,\n\
         2026-01-26T00:00:00Z,HEAD,v/doc,,,,ver-1,\n",
    );
    let gib = "1073741824";
    let log = [
        rec(
            "01/Jan/2026:00:00:00",
            "REST.POST.UPLOADS",
            "up/a",
            "POST /bkt/up/a?uploads HTTP/1.1",
            200,
            "250",
            "-",
            "-",
        ),
        rec(
            "01/Jan/2026:01:00:00",
            "REST.PUT.PART",
            "up/a",
            "PUT /bkt/up/a?partNumber=1&uploadId=A HTTP/1.1",
            200,
            "-",
            gib,
            "-",
        ),
        rec(
            "01/Jan/2026:02:00:00",
            "REST.COPY.PART_GET",
            "src/obj",
            "-",
            200,
            "-",
            gib,
            "-",
        ),
        rec(
            "01/Jan/2026:02:00:00",
            "REST.COPY.PART",
            "up/a",
            "PUT /bkt/up/a?partNumber=2&uploadId=A HTTP/1.1",
            200,
            "230",
            gib,
            "-",
        ),
        rec(
            "01/Jan/2026:03:00:00",
            "REST.PUT.PART",
            "up/a",
            "PUT /bkt/up/a?partNumber=3&uploadId=Z HTTP/1.1",
            404,
            "300",
            gib,
            "-",
        ),
        rec(
            "02/Jan/2026:00:00:00",
            "REST.POST.UPLOAD",
            "up/a",
            "POST /bkt/up/a?uploadId=A HTTP/1.1",
            200,
            "330",
            "2147483648",
            "-",
        ),
        rec(
            "03/Jan/2026:06:00:00",
            "REST.PUT.PART",
            "up/b",
            "PUT /bkt/up/b?partNumber=1&uploadId=B HTTP/1.1",
            200,
            "-",
            "536870912",
            "-",
        ),
        rec(
            "03/Jan/2026:18:00:00",
            "REST.PUT.PART",
            "up/b",
            "PUT /bkt/up/b?partNumber=2&uploadId=B HTTP/1.1",
            200,
            "-",
            "536870912",
            "-",
        ),
        rec(
            "04/Jan/2026:00:00:00",
            "REST.POST.UPLOADS",
            "up/c",
            "POST /bkt/up/c?uploads HTTP/1.1",
            200,
            "250",
            "-",
            "-",
        ),
        rec(
            "04/Jan/2026:06:00:00",
            "REST.PUT.PART",
            "up/c",
            "PUT /bkt/up/c?partNumber=1&uploadId=C HTTP/1.1",
            200,
            "-",
            "268435456",
            "-",
        ),
        rec(
            "04/Jan/2026:12:00:00",
            "REST.DELETE.UPLOAD",
            "up/c",
            "DELETE /bkt/up/c?uploadId=C HTTP/1.1",
            204,
            "-",
            "-",
            "-",
        ),
        rec(
            "01/Jan/2026:00:00:00",
            "REST.PUT.OBJECT",
            "v/doc",
            "PUT /bkt/v/doc HTTP/1.1",
            200,
            "-",
            gib,
            "-",
        ),
        rec(
            "10/Jan/2026:00:00:00",
            "REST.PUT.OBJECT",
            "v/doc",
            "PUT /bkt/v/doc HTTP/1.1",
            200,
            "-",
            gib,
            "-",
        ),
        rec(
            "15/Jan/2026:00:00:00",
            "REST.GET.OBJECT",
            "v/doc",
            "GET /bkt/v/doc?versionId=ver-1 HTTP/1.1",
            200,
            "1000",
            gib,
            "ver-1",
        ),
        rec(
            "16/Jan/2026:00:00:00",
            "REST.GET.OBJECT",
            "v/doc",
            "GET /bkt/v/doc HTTP/1.1",
            200,
            gib,
            gib,
            "-",
        ),
        rec(
            "20/Jan/2026:00:00:00",
            "REST.DELETE.OBJECT",
            "v/doc",
            "DELETE /bkt/v/doc?versionId=ver-2 HTTP/1.1",
            204,
            "-",
            "-",
            "ver-2",
        ),
        rec(
            "25/Jan/2026:00:00:00",
            "REST.DELETE.OBJECT",
            "v/doc",
            "DELETE /bkt/v/doc HTTP/1.1",
            204,
            "-",
            "-",
            "-",
        ),
        rec(
            "26/Jan/2026:00:00:00",
            "REST.HEAD.OBJECT",
            "v/doc",
            "HEAD /bkt/v/doc?versionId=ver-1 HTTP/1.1",
            200,
            "-",
            gib,
            "ver-1",
        ),
    ]
    .concat();
    let from_log = read_log(&log);
    assert_eq!(from_log.events.len(), 16);
    assert_eq!(native.events.len(), 16);
    let notes = from_log.all_notes().join("\n");
    assert!(
        notes.contains("REST.COPY.PART_GET") && notes.contains("HTTP 404"),
        "{notes}"
    );
    assert!(from_log.names_versions());

    let p = policy(ABORT_AFTER_2_DAYS);
    let a = simulate_january(&native, &p);
    let b = simulate_january(&from_log, &p);
    assert_eq!(a.usage, b.usage);
    assert_eq!(a.stats.versions, b.stats.versions);
    assert_eq!(a.stats.missing_key, b.stats.missing_key);

    let m = &b.usage.months[0];
    assert_eq!(m.mpu[STD], gib_hours(213) / 2, "106.5 GiB-hours");
    assert_eq!(m.requests_put[STD], 10);
    assert_eq!(m.requests_get[STD], 3);
    assert_eq!(m.storage[STD], gib_hours(2016));
    assert_eq!(m.noncurrent[STD], gib_hours(696));
    assert_eq!(m.delete_markers, 5 * 168 * HOUR as u128);
    assert!(m.early_delete.iter().all(|&x| x == 0));
    let v = &b.stats.versions;
    assert_eq!(v.unknown_version_ids, 3);
    assert_eq!(b.stats.missing_key, 3);
    assert_eq!(v.delete_markers_added, 1);
    assert_eq!(v.made_noncurrent, 2);
    assert_eq!(
        (
            v.uploads_created,
            v.uploads_completed,
            v.uploads_aborted,
            v.uploads_aborted_by_rule,
            v.uploads_open_at_end
        ),
        (3, 1, 1, 1, 0)
    );
}

/// A part whose Request-URI names no `uploadId` (S3 requires one: the field was cut or is `-`) is
/// replayed and paired by order, as a native row with an empty upload_id (decision documented in
/// src/workload/accesslog.rs), not dropped as a bad line.
///
/// - `up/x`: created 01-01 00:00; a 1 GiB part at 01:00 with URI `-` joins the open upload; the
///   completion naming `X` at 01-02 00:00 claims that upload (it has no id yet): parts
///   1 GiB x 23 h; the 1 GiB object 01-02 -> 02-01: 720 GiB-hours.
/// - `up/y`: a 1 GiB part at 01-01 00:00 without an upload id and no upload open: it starts one,
///   open to the end (no rule): 1 GiB x 744 h.
///
///   mpu = 23 + 744 = 767 GiB-hours; PUT-type requests: 3 + 1 = 4.
#[test]
fn a_part_without_an_upload_id_is_paired_by_order() {
    let gib = "1073741824";
    let log = [
        rec(
            "01/Jan/2026:00:00:00",
            "REST.POST.UPLOADS",
            "up/x",
            "POST /bkt/up/x?uploads HTTP/1.1",
            200,
            "250",
            "-",
            "-",
        ),
        rec(
            "01/Jan/2026:01:00:00",
            "REST.PUT.PART",
            "up/x",
            "-",
            200,
            "-",
            gib,
            "-",
        ),
        rec(
            "02/Jan/2026:00:00:00",
            "REST.POST.UPLOAD",
            "up/x",
            "POST /bkt/up/x?uploadId=X HTTP/1.1",
            200,
            "330",
            gib,
            "-",
        ),
        rec(
            "01/Jan/2026:00:00:00",
            "REST.PUT.PART",
            "up/y",
            "PUT /bkt/up/y?partNumber=1 HTTP/1.1",
            200,
            "-",
            gib,
            "-",
        ),
    ]
    .concat();
    let from_log = read_log(&log);
    assert!(from_log.all_notes().iter().all(|n| !n.contains("bad line")));
    let parts: Vec<u32> = from_log
        .events
        .iter()
        .filter(|e| e.op == s3sim::model::Op::MpuPart)
        .map(|e| from_log.vid(e))
        .collect();
    assert_eq!(parts, vec![0, 0]);
    let native = workload(
        "timestamp,op,key,size,storage_class,tags,version_id,upload_id\n\
         2026-01-01T00:00:00Z,CREATE_MULTIPART_UPLOAD,up/x,,,,,\n\
         2026-01-01T01:00:00Z,UPLOAD_PART,up/x,1073741824,,,,\n\
         2026-01-02T00:00:00Z,COMPLETE_MULTIPART_UPLOAD,up/x,1073741824,,,,X\n\
         2026-01-01T00:00:00Z,UPLOAD_PART,up/y,1073741824,,,,\n",
    );
    let a = simulate_january(&native, &Policy::none());
    let b = simulate_january(&from_log, &Policy::none());
    assert_eq!(a.usage, b.usage);
    assert_eq!(a.stats.versions, b.stats.versions);
    let m = &b.usage.months[0];
    assert_eq!(m.mpu[STD], gib_hours(23 + 744));
    assert_eq!(m.storage[STD], gib_hours(720));
    assert_eq!(m.requests_put[STD], 4);
    let v = &b.stats.versions;
    assert_eq!(
        (
            v.uploads_created,
            v.uploads_completed,
            v.uploads_open_at_end
        ),
        (2, 1, 1)
    );
}
