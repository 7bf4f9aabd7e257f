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
/// Records need at least the fields up to Object Size.
const MIN_FIELDS: usize = 13;

/// Splits a record into its first `max` fields; brackets and quotes are removed.
pub fn split_fields<'a>(line: &'a str, max: usize, out: &mut Vec<&'a str>) -> Result<(), String> {
    out.clear();
    let b = line.as_bytes();
    let mut i = 0;
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
    Ok(())
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

/// The listed prefix of a LIST request (`?prefix=` of its URI), decoded.
fn list_prefix(uri: &str) -> String {
    let query = uri
        .split_whitespace()
        .nth(1)
        .and_then(|u| u.split_once('?'))
        .map_or("", |(_, q)| q);
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("prefix="))
        .and_then(|p| url_decode(p).ok())
        .unwrap_or_default()
}

/// Parses access-log lines into `b`. Successful (2xx) object requests become events; 503 Slow Down
/// answers are recorded per key as observed throttling; lifecycle (`S3.*`) records, other
/// operations and other failed requests are counted and skipped.
pub fn read<R: std::io::BufRead>(
    path: &str,
    reader: R,
    b: &mut Builder,
) -> Result<(), WorkloadError> {
    super::builder::for_each_line(path, reader, b, |line, line_no, b| {
        read_line(path, line, line_no, b)
    })
}

fn read_line(path: &str, line: &str, line_no: u64, b: &mut Builder) -> Result<(), WorkloadError> {
    let mut fields: Vec<&str> = Vec::with_capacity(MIN_FIELDS);
    if let Err(reason) = split_fields(line, MIN_FIELDS, &mut fields) {
        b.bad_line(path, line_no, reason)?;
        return Ok(());
    }
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
    let op = match operation {
        "REST.GET.OBJECT" => Op::Get,
        "REST.HEAD.OBJECT" => Op::Head,
        "REST.PUT.OBJECT" => Op::Put,
        // CompleteMultipartUpload creates the object (Object Size is the whole object).
        "REST.POST.UPLOAD" => Op::Put,
        "REST.POST.OBJECT" => Op::Post,
        "REST.COPY.OBJECT" => Op::Copy,
        "REST.DELETE.OBJECT" | "BATCH.DELETE.OBJECT" => Op::Delete,
        "REST.GET.BUCKET" => Op::List,
        // The read half of a COPY is part of the COPY request.
        "REST.COPY.OBJECT_GET" => {
            b.skip("REST.COPY.OBJECT_GET (the source read of a COPY)");
            return Ok(());
        }
        other => {
            b.skip(&format!("other operations ({other})"));
            return Ok(());
        }
    };
    let raw_key = dash(fields[KEY]).unwrap_or("");
    let key = match op {
        Op::List => list_prefix(fields[REQUEST_URI]),
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
    if operation == "REST.POST.UPLOAD" && !fields[REQUEST_URI].contains("uploadId=") {
        b.skip("REST.POST.UPLOAD initiations (CreateMultipartUpload)");
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
    let size = match op {
        Op::Put | Op::Post | Op::Copy => match object_size {
            Some(s) => s,
            None => {
                b.bad_line(path, line_no, format!("{operation} without an Object Size"))?;
                return Ok(());
            }
        },
        Op::Get => sent.unwrap_or(WHOLE_OBJECT),
        _ => 0,
    };
    if b.within_s3_limits(path, line_no, &key, size)? {
        b.push(time, op, &key, size, StorageClass::Standard, 0, 0);
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
}
