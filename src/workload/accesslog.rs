//! S3 server access logs: one record per line, space-separated fields, `[time]` and `"quoted"`
//! fields, `-` for empty; new fields may be appended at the end of a line (tolerated).
//! See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html

use super::builder::Builder;
use super::{WHOLE_OBJECT, WorkloadError};
use crate::model::time::{Micros, SECOND};
use crate::model::{Op, StorageClass};

/// Fields of a record (1-based in AWS's documentation).
const OPERATION: usize = 6;
const KEY: usize = 7;
const REQUEST_URI: usize = 8;
const STATUS: usize = 9;
const ERROR_CODE: usize = 10;
const BYTES_SENT: usize = 11;
const OBJECT_SIZE: usize = 12;
/// Version Id (the 18th field, after Referer and User-Agent): "The version ID in the request, or
/// `-` if the operation does not take a versionId parameter".
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html
const VERSION_ID: usize = 17;
/// Records need at least the fields up to Object Size.
const MIN_FIELDS: usize = 13;

/// Splits a record into its first `max` fields; brackets and quotes are removed.
pub fn split_fields<'a>(line: &'a str, max: usize, out: &mut Vec<&'a str>) -> Result<(), String> {
    out.clear();
    split_fields_from(line, 0, max, out).map(|_| ())
}

/// Appends the fields of `line` from byte `from` (the end of a field, or 0) until `out` holds
/// `max`; returns where it stopped.
fn split_fields_from<'a>(
    line: &'a str,
    from: usize,
    max: usize,
    out: &mut Vec<&'a str>,
) -> Result<usize, String> {
    let b = line.as_bytes();
    let mut i = from;
    while i < b.len() && out.len() < max {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        match b[i] {
            b'[' => {
                let end =
                    memchr::memchr(b']', &b[i + 1..]).ok_or("unterminated [time] field")? + i + 1;
                out.push(&line[i + 1..end]);
                i = end + 1;
            }
            b'"' => {
                let mut j = i + 1;
                loop {
                    let k = memchr::memchr2(b'"', b'\\', &b[j..])
                        .ok_or("unterminated quoted field")?
                        + j;
                    if b[k] == b'\\' {
                        j = k + 2;
                        if j > b.len() {
                            return Err("unterminated quoted field".into());
                        }
                    } else {
                        out.push(&line[i + 1..k]);
                        i = k + 1;
                        break;
                    }
                }
            }
            _ => {
                let end = memchr::memchr(b' ', &b[i..]).map_or(b.len(), |k| k + i);
                out.push(&line[i..end]);
                i = end;
            }
        }
    }
    Ok(i)
}

/// `06/Feb/2019:00:01:57 +0000` -> instant.
pub fn parse_time(s: &str) -> Option<Micros> {
    let b = s.as_bytes();
    // dd/Mon/yyyy:HH:MM:SS, then an optional ` +hhmm`; every position checked as ASCII.
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        let d = b.get(r)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| d.iter().fold(0i64, |v, c| v * 10 + i64::from(c - b'0')))
    };
    if b.len() < 20
        || b[2] != b'/'
        || b[6] != b'/'
        || b[11] != b':'
        || b[14] != b':'
        || b[17] != b':'
    {
        return None;
    }
    let month = match b.get(3..6)? {
        b"Jan" => 1,
        b"Feb" => 2,
        b"Mar" => 3,
        b"Apr" => 4,
        b"May" => 5,
        b"Jun" => 6,
        b"Jul" => 7,
        b"Aug" => 8,
        b"Sep" => 9,
        b"Oct" => 10,
        b"Nov" => 11,
        b"Dec" => 12,
        _ => return None,
    };
    let (d, y) = (digits(0..2)?, digits(7..11)?);
    let (h, mi, sec) = (digits(12..14)?, digits(15..17)?, digits(18..20)?);
    chrono::NaiveDate::from_ymd_opt(y as i32, month, d as u32)?;
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut t = crate::model::time::date_micros(y as i32, month, d as u32);
    t += (h * 3600 + mi * 60 + sec) * SECOND;
    match b.len() {
        20 => {}
        26 if b[20] == b' ' && (b[21] == b'+' || b[21] == b'-') => {
            let (zh, zm) = (digits(22..24)?, digits(24..26)?);
            if zh > 23 || zm > 59 {
                return None;
            }
            let off = (zh * 60 + zm) * 60 * SECOND;
            t -= if b[21] == b'+' { off } else { -off };
        }
        _ => return None,
    }
    Some(t).filter(|&t| crate::model::time::in_range(t))
}

/// Percent-decodes a key (`%20` -> space, UTF-8 sequences kept); `+` stays `+`.
pub fn url_decode(s: &str) -> Result<String, String> {
    if !s.contains('%') {
        return Ok(s.to_string());
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .ok_or_else(|| format!("bad %-escape at byte {i}"))?;
            let v = |c: u8| (c as char).to_digit(16).expect("checked hex digit") as u8;
            out.push(v(hex[0]) * 16 + v(hex[1]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "decoded key is not UTF-8".to_string())
}

fn dash(s: &str) -> Option<&str> {
    if s == "-" || s.is_empty() {
        None
    } else {
        Some(s)
    }
}

/// The value of the query parameter `name` of a Request-URI field (`GET /bucket?prefix=a HTTP/1.1`),
/// as written (`""` for a parameter without a value, `?uploads`); None when it is absent.
fn query_param<'a>(uri: &'a str, name: &str) -> Option<&'a str> {
    let mut words = uri.split_whitespace();
    let first = words.next();
    let target = words.next().or(first)?;
    let (_, query) = target.split_once('?')?;
    query.split('&').find_map(|kv| match kv.split_once('=') {
        Some((k, v)) if k == name => Some(v),
        None if kv == name => Some(""),
        _ => None,
    })
}

/// The listed prefix of a LIST request (`?prefix=` of its URI), decoded.
fn list_prefix(uri: &str) -> String {
    query_param(uri, "prefix")
        .and_then(|p| url_decode(p).ok())
        .unwrap_or_default()
}

/// The upload id of a multipart-upload request: the `uploadId` parameter of its URI, decoded
/// (as written when it does not decode); "" when there is none.
fn upload_id(uri: &str) -> String {
    let raw = query_param(uri, "uploadId").unwrap_or("");
    url_decode(raw).unwrap_or_else(|_| raw.to_string())
}

/// The Version Id field of a record whose first fields are in `fields` and end at byte `from`;
/// None when it is `-`, or the record ends, or cannot be read, before it (the fields after Object
/// Size are otherwise not needed: a record unreadable there is still replayed, as the current
/// version).
fn version_id<'a>(line: &'a str, from: usize, fields: &mut Vec<&'a str>) -> Option<&'a str> {
    // After an error the fields read before it stay (VERSION_ID is not among them).
    let _ = split_fields_from(line, from, VERSION_ID + 1, fields);
    fields.get(VERSION_ID).copied().and_then(dash)
}

/// Parses access-log lines into `b`. Successful (2xx) object requests and multipart-upload
/// requests become events; 503 Slow Down answers are recorded per key as observed throttling;
/// lifecycle (`S3.*`) records, other operations and other failed requests are counted and skipped.
pub fn read<R: std::io::BufRead>(
    path: &str,
    reader: R,
    b: &mut Builder,
) -> Result<(), WorkloadError> {
    super::builder::for_each_line(path, reader, b, |line, line_no, b| {
        read_line(path, line, line_no, b)
    })
}

/// The request an operation name (and its Request-URI) stands for; None: not replayed.
///
/// Operations are named `REST.HTTP_method.resource_type`; the multipart-upload requests are told
/// apart by their resource (`UPLOADS`, `PART`, `UPLOAD`) and their URIs: CreateMultipartUpload
/// `POST /key?uploads`, UploadPart and UploadPartCopy `PUT /key?partNumber=N&uploadId=ID`,
/// CompleteMultipartUpload `POST /key?uploadId=ID`, AbortMultipartUpload `DELETE /key?uploadId=ID`.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html (Operation)
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
/// UploadPartCopy is logged as `REST.COPY.PART` (and its source read as `REST.COPY.PART_GET`),
/// as CopyObject is `REST.COPY.OBJECT` (`REST.COPY.OBJECT_GET`): AWS's log-format page names
/// only the latter pair; the former is the name S3-compatible servers that mimic S3's logs write.
fn operation_op(operation: &str, uri: &str) -> Option<Op> {
    Some(match operation {
        "REST.GET.OBJECT" => Op::Get,
        "REST.HEAD.OBJECT" => Op::Head,
        "REST.PUT.OBJECT" => Op::Put,
        "REST.POST.OBJECT" => Op::Post,
        "REST.COPY.OBJECT" => Op::Copy,
        "REST.DELETE.OBJECT" | "BATCH.DELETE.OBJECT" => Op::Delete,
        "REST.GET.BUCKET" => Op::List,
        "REST.POST.UPLOADS" => Op::MpuCreate,
        "REST.PUT.PART" | "REST.COPY.PART" => Op::MpuPart,
        // An initiation (`?uploads`, no upload id) logged under the completion's name.
        "REST.POST.UPLOAD"
            if query_param(uri, "uploads").is_some() && query_param(uri, "uploadId").is_none() =>
        {
            Op::MpuCreate
        }
        // CompleteMultipartUpload creates the object (Object Size is the whole object).
        "REST.POST.UPLOAD" => Op::MpuComplete,
        "REST.DELETE.UPLOAD" => Op::MpuAbort,
        _ => return None,
    })
}

pub(super) fn read_line(
    path: &str,
    line: &str,
    line_no: u64,
    b: &mut Builder,
) -> Result<(), WorkloadError> {
    let mut fields: Vec<&str> = Vec::with_capacity(VERSION_ID + 1);
    let end = match split_fields_from(line, 0, MIN_FIELDS, &mut fields) {
        Ok(end) => end,
        Err(reason) => {
            b.bad_line(path, line_no, reason)?;
            return Ok(());
        }
    };
    if fields.len() < MIN_FIELDS {
        b.bad_line(
            path,
            line_no,
            format!(
                "{} fields, an access log record has at least {MIN_FIELDS}",
                fields.len()
            ),
        )?;
        return Ok(());
    }
    let Some(time) = parse_time(fields[2]) else {
        b.bad_line(
            path,
            line_no,
            format!("bad time [{}]", crate::model::limits::excerpt(fields[2])),
        )?;
        return Ok(());
    };
    let operation = fields[OPERATION];
    if operation.starts_with("S3.") {
        b.skip("lifecycle and other S3-internal operations (S3.*)");
        return Ok(());
    }
    let status: u16 = match fields[STATUS].parse() {
        Ok(s) => s,
        Err(_) => {
            b.bad_line(
                path,
                line_no,
                format!(
                    "bad HTTP status {}",
                    crate::model::limits::quoted(fields[STATUS])
                ),
            )?;
            return Ok(());
        }
    };
    let uri = fields[REQUEST_URI];
    let Some(op) = operation_op(operation, uri) else {
        match operation {
            // The read half of a copy is part of the copy request.
            "REST.COPY.OBJECT_GET" => b.skip("REST.COPY.OBJECT_GET (the source read of a COPY)"),
            "REST.COPY.PART_GET" => {
                b.skip("REST.COPY.PART_GET (the source read of an UploadPartCopy)")
            }
            other => b.skip(&format!("other operations ({other})")),
        }
        return Ok(());
    };
    let raw_key = dash(fields[KEY]).unwrap_or("");
    let key = match op {
        Op::List => list_prefix(uri),
        _ => match url_decode(raw_key) {
            Ok(k) if !k.is_empty() => k,
            Ok(_) => {
                b.bad_line(path, line_no, format!("{operation} without a key"))?;
                return Ok(());
            }
            Err(e) => {
                b.bad_line(
                    path,
                    line_no,
                    format!("key {}: {e}", crate::model::limits::quoted(raw_key)),
                )?;
                return Ok(());
            }
        },
    };
    if status == 503 {
        let k = b.key(&key);
        b.observed_503.push((k, time));
        b.skip(&format!(
            "503 answers ({}; shown per prefix as observed throttling)",
            dash(fields[ERROR_CODE]).unwrap_or("no error code")
        ));
        return Ok(());
    }
    if !(200..300).contains(&status) {
        b.skip(&format!("failed requests (HTTP {status})"));
        return Ok(());
    }
    let number = |s: &str| -> Result<Option<u64>, String> {
        match dash(s) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("not a byte count: {}", crate::model::limits::quoted(v))),
        }
    };
    let (sent, object_size) = match (number(fields[BYTES_SENT]), number(fields[OBJECT_SIZE])) {
        (Ok(a), Ok(c)) => (a, c),
        (Err(e), _) | (_, Err(e)) => {
            b.bad_line(path, line_no, e)?;
            return Ok(());
        }
    };
    // Bytes Sent counts the response's bytes ("The number of response bytes sent"): the data a
    // GET reads, but only a short XML document (CopyPartResult) or nothing for a write. The bytes
    // a write stores are in Object Size ("The total size of the object in question"): the object
    // of a PUT, COPY or POST, the part of an UploadPart or UploadPartCopy (s3sim's reading for
    // parts: AWS's page gives no part example), the whole object of a CompleteMultipartUpload.
    // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html
    let size = match op {
        Op::Put | Op::Post | Op::Copy | Op::MpuPart => match object_size {
            Some(s) => s,
            None => {
                b.bad_line(path, line_no, format!("{operation} without an Object Size"))?;
                return Ok(());
            }
        },
        // Used only when none of the upload's parts is in the log.
        Op::MpuComplete => object_size.unwrap_or(0),
        Op::Get => sent.unwrap_or(WHOLE_OBJECT),
        _ => 0,
    };
    // The version a GET, HEAD or DELETE names. A write's Version Id field is the version in its
    // request (usually `-`), not the one it creates, which is in the response only: left out.
    // A multipart request names its upload by the `uploadId` of its URI; an initiation has none
    // (the id is in its response): the engine pairs it with the first part naming an id no open
    // upload has. A part, completion or abort whose URI has no `uploadId` (S3 requires one: the
    // field was cut or is `-`) is not a bad line: it is paired by order, with the key's oldest
    // open upload (or starts one), as a native CSV row with an empty upload_id.
    let id = match op {
        Op::Get | Op::Head | Op::Delete => {
            version_id(line, end, &mut fields).map_or(String::new(), str::to_string)
        }
        Op::MpuPart | Op::MpuComplete | Op::MpuAbort => upload_id(uri),
        _ => String::new(),
    };
    let id = id.trim();
    if id.len() > crate::model::limits::MAX_ID_BYTES {
        b.bad_line(
            path,
            line_no,
            format!(
                "an id of {} bytes; s3sim reads ids of at most {} bytes",
                id.len(),
                crate::model::limits::MAX_ID_BYTES
            ),
        )?;
        return Ok(());
    }
    if b.within_s3_limits(path, line_no, &key, size)? {
        b.push(time, op, &key, size, StorageClass::Standard, 0, 0);
        if !id.is_empty() {
            let vid = b.id(id);
            b.set_last_vid(vid);
        }
    }
    Ok(())
}

/// Whether text looks like an access log: a record whose third field is a `[dd/Mon/yyyy:...]` time.
pub fn looks_like(first_line: &str) -> bool {
    let mut f = Vec::new();
    split_fields(first_line, MIN_FIELDS, &mut f).is_ok()
        && f.len() >= MIN_FIELDS
        && parse_time(f[2]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example record from AWS's documentation (S3_FACTS.md §8.2).
    const AWS_EXAMPLE: &str = r#"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:01:57 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DD6CC733AEXAMPLE REST.PUT.OBJECT s3-dg.pdf "PUT /DOC-EXAMPLE-BUCKET1/s3-dg.pdf HTTP/1.1" 200 - - 4406583 41754 28 "-" "S3Console/0.4" - 10S62Zv81kBW7BB6SX4XJ48o6kpcl6LPwEoizZQQxJd5qDSCTLX0TgS37kYUBKQW3+bPdrg1234= SigV4 ECDHE-RSA-AES128-SHA AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 - Yes"#;

    #[test]
    fn splits_the_aws_example() {
        let mut f = Vec::new();
        split_fields(AWS_EXAMPLE, 99, &mut f).unwrap();
        assert_eq!(f.len(), 26);
        assert_eq!(f[2], "06/Feb/2019:00:01:57 +0000");
        assert_eq!(f[OPERATION], "REST.PUT.OBJECT");
        assert_eq!(
            f[REQUEST_URI],
            "PUT /DOC-EXAMPLE-BUCKET1/s3-dg.pdf HTTP/1.1"
        );
        assert_eq!(f[OBJECT_SIZE], "4406583");
        assert_eq!(f[16], "S3Console/0.4");
        assert!(looks_like(AWS_EXAMPLE));
        split_fields(AWS_EXAMPLE, MIN_FIELDS, &mut f).unwrap();
        assert_eq!(f.len(), MIN_FIELDS);
        split_fields(r#"a "q \" x" b"#, 9, &mut f).unwrap();
        assert_eq!(f, vec!["a", r#"q \" x"#, "b"]);
        assert!(!looks_like("timestamp,op,key,size"));
    }

    #[test]
    fn times_and_keys() {
        let t = parse_time("06/Feb/2019:00:01:57 +0000").unwrap();
        assert_eq!(
            t,
            crate::model::time::parse_timestamp("2019-02-06T00:01:57Z").unwrap()
        );
        assert_eq!(parse_time("06/Feb/2019:02:01:57 +0200"), Some(t));
        assert_eq!(parse_time("06/Foo/2019:00:01:57 +0000"), None);
        assert_eq!(parse_time("06/Feb/2019:00:01:57 +1\u{e9}0"), None);
        assert_eq!(parse_time("06/Feb/2019:00:-1:57 +0000"), None);
        assert_eq!(parse_time("06/Feb/2019:00:01:57"), Some(t));
        assert!(url_decode("%+1").is_err());
        assert!(url_decode("caf%C3").is_err());
        assert_eq!(
            url_decode("my%20photos/caf%C3%A9.jpg").unwrap(),
            "my photos/café.jpg"
        );
        assert!(url_decode("bad%zz").is_err());
        assert_eq!(
            list_prefix("GET /bucket?list-type=2&prefix=logs%2F2026%2F HTTP/1.1"),
            "logs/2026/"
        );
    }

    /// A record of `op` on `key` at 01/Jan/2026 `hms`: `uri` the Request-URI, `sizes` the Bytes
    /// Sent and Object Size fields, `vid` the Version Id field.
    fn record(
        hms: &str,
        op: &str,
        key: &str,
        uri: &str,
        status: u16,
        sizes: &str,
        vid: &str,
    ) -> String {
        format!(
            "79a59df9 bkt [01/Jan/2026:{hms} +0000] 192.0.2.3 arn:aws:iam::1:user/a REQ {op} {key} \
             \"{uri}\" {status} - {sizes} 70 10 \"-\" \"aws-cli/2.15\" {vid} HostId= SigV4 \
             ECDHE-RSA-AES128-GCM-SHA256 AuthHeader bkt.s3.us-east-1.amazonaws.com TLSv1.2 - -"
        )
    }

    fn read_all(lines: &[String]) -> (crate::workload::Workload, u64) {
        let mut b = Builder::new(false);
        let text = lines.join("\n");
        read("t.log", text.as_bytes(), &mut b).unwrap();
        let bad = b.bad;
        (b.finish("t", "t.log").unwrap(), bad)
    }

    #[test]
    fn multipart_requests_and_their_upload_ids() {
        let lines = [
            record(
                "00:00:00",
                "REST.POST.UPLOADS",
                "big",
                "POST /bkt/big?uploads HTTP/1.1",
                200,
                "- -",
                "-",
            ),
            record(
                "00:01:00",
                "REST.PUT.PART",
                "big",
                "PUT /bkt/big?partNumber=1&uploadId=ab%2Bc-- HTTP/1.1",
                200,
                "- 5242880",
                "-",
            ),
            // UploadPartCopy: Bytes Sent is its CopyPartResult document, not the part.
            record(
                "00:02:00",
                "REST.COPY.PART",
                "big",
                "PUT /bkt/big?partNumber=2&uploadId=ab%2Bc-- HTTP/1.1",
                200,
                "230 1000",
                "-",
            ),
            record(
                "00:02:00",
                "REST.COPY.PART_GET",
                "src",
                "-",
                200,
                "- 1000",
                "-",
            ),
            record(
                "00:03:00",
                "REST.POST.UPLOAD",
                "big",
                "POST /bkt/big?uploadId=ab%2Bc-- HTTP/1.1",
                200,
                "330 5243880",
                "-",
            ),
            record(
                "00:04:00",
                "REST.DELETE.UPLOAD",
                "other",
                "DELETE /bkt/other?uploadId=zz HTTP/1.1",
                204,
                "- -",
                "-",
            ),
            // Failed: not replayed.
            record(
                "00:05:00",
                "REST.PUT.PART",
                "big",
                "PUT /bkt/big?partNumber=3&uploadId=ab%2Bc-- HTTP/1.1",
                404,
                "- 5",
                "-",
            ),
            // An initiation under the completion's name (`?uploads`, no upload id).
            record(
                "00:06:00",
                "REST.POST.UPLOAD",
                "x",
                "POST /bkt/x?uploads HTTP/1.1",
                200,
                "- -",
                "-",
            ),
            // A completion without an Object Size: size 0 (the parts' bytes count).
            record(
                "00:07:00",
                "REST.POST.UPLOAD",
                "x",
                "POST /bkt/x?uploadId=q HTTP/1.1",
                200,
                "- -",
                "-",
            ),
        ];
        let (w, bad) = read_all(&lines);
        assert_eq!(bad, 0);
        let got: Vec<(Op, u64, &str)> = w
            .events
            .iter()
            .map(|e| (e.op, e.size, &*w.ids[w.vid(e) as usize]))
            .collect();
        assert_eq!(
            got,
            vec![
                (Op::MpuCreate, 0, ""),
                (Op::MpuPart, 5_242_880, "ab+c--"),
                (Op::MpuPart, 1000, "ab+c--"),
                (Op::MpuComplete, 5_243_880, "ab+c--"),
                (Op::MpuAbort, 0, "zz"),
                (Op::MpuCreate, 0, ""),
                (Op::MpuComplete, 0, "q"),
            ]
        );
        let notes = w.all_notes().join("\n");
        assert!(
            notes.contains("REST.COPY.PART_GET") && notes.contains("HTTP 404"),
            "{notes}"
        );
    }

    /// Decision: a part (or completion, or abort) whose URI names no `uploadId` is replayed with
    /// no upload id (vid 0), and the engine pairs it by order, as a native row with an empty
    /// upload_id; a part without an Object Size is a bad line, as a PUT without one.
    #[test]
    fn a_part_without_an_upload_id_is_paired_by_order() {
        let lines = [
            record(
                "00:01:00",
                "REST.PUT.PART",
                "big",
                "PUT /bkt/big?partNumber=1 HTTP/1.1",
                200,
                "- 7",
                "-",
            ),
            record("00:02:00", "REST.PUT.PART", "big", "-", 200, "- 8", "-"),
            record(
                "00:03:00",
                "REST.PUT.PART",
                "big",
                "PUT /bkt/big?partNumber=2&uploadId=u HTTP/1.1",
                200,
                "- -",
                "-",
            ),
        ];
        let (w, bad) = read_all(&lines);
        assert_eq!(bad, 1);
        let got: Vec<(Op, u64, u32)> = w.events.iter().map(|e| (e.op, e.size, w.vid(e))).collect();
        assert_eq!(got, vec![(Op::MpuPart, 7, 0), (Op::MpuPart, 8, 0)]);
    }

    #[test]
    fn version_ids_of_reads_and_deletes() {
        let get = "GET /bkt/k?versionId=v1 HTTP/1.1";
        let mut short = record("00:00:05", "REST.GET.OBJECT", "k", get, 200, "10 10", "v1");
        short.truncate(short.find(" 70 10").unwrap()); // the 13 fields up to Object Size
        let lines = [
            record(
                "00:00:00",
                "REST.PUT.OBJECT",
                "k",
                "PUT /bkt/k HTTP/1.1",
                200,
                "- 10",
                "w",
            ),
            record("00:00:01", "REST.GET.OBJECT", "k", get, 200, "10 10", "v1"),
            record(
                "00:00:02",
                "REST.HEAD.OBJECT",
                "k",
                "HEAD /bkt/k?versionId=v2 HTTP/1.1",
                200,
                "- 10",
                "v2",
            ),
            record(
                "00:00:03",
                "REST.DELETE.OBJECT",
                "k",
                "DELETE /bkt/k?versionId=v1 HTTP/1.1",
                204,
                "- -",
                "v1",
            ),
            record("00:00:04", "BATCH.DELETE.OBJECT", "k", "-", 204, "- -", "-"),
            short,
            // A User-Agent that does not end: replayed, without its version id.
            record("00:00:06", "REST.GET.OBJECT", "k", get, 200, "10 10", "v1")
                .replace("\"aws-cli/2.15\"", "\"aws-cli"),
            record(
                "00:00:07",
                "REST.GET.OBJECT",
                "k",
                get,
                200,
                "10 10",
                &"v".repeat(2000),
            ),
        ];
        let (w, bad) = read_all(&lines);
        assert_eq!(bad, 1, "the over-long version id");
        let got: Vec<(Op, &str)> = w
            .events
            .iter()
            .map(|e| (e.op, &*w.ids[w.vid(e) as usize]))
            .collect();
        assert_eq!(
            got,
            vec![
                (Op::Put, ""),
                (Op::Get, "v1"),
                (Op::Head, "v2"),
                (Op::Delete, "v1"),
                (Op::Delete, ""),
                (Op::Get, ""),
                (Op::Get, ""),
            ]
        );
        assert!(w.names_versions());
    }

    #[test]
    fn query_parameters() {
        let uri = "PUT /b/k?partNumber=1&uploadId=abc&x-uploadId=no HTTP/1.1";
        assert_eq!(query_param(uri, "uploadId"), Some("abc"));
        assert_eq!(query_param(uri, "partNumber"), Some("1"));
        assert_eq!(
            query_param("POST /b/k?uploads HTTP/1.1", "uploads"),
            Some("")
        );
        assert_eq!(query_param("POST /b/k?uploads HTTP/1.1", "uploadId"), None);
        assert_eq!(query_param("/b/k?uploadId=z", "uploadId"), Some("z"));
        assert_eq!(query_param("-", "uploadId"), None);
        assert_eq!(query_param("", "uploadId"), None);
        assert_eq!(upload_id("PUT /b/k?uploadId=a%2Fb HTTP/1.1"), "a/b");
        assert_eq!(upload_id("PUT /b/k?uploadId=a%zz HTTP/1.1"), "a%zz");
    }
}
