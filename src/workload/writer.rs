//! The one writer of the native workload CSV (SPEC §2.1): `s3sim convert` and `s3sim generate`
//! both write through it, so the format has one definition on the writing side as on the reading
//! side.

use std::io::Write;

use crate::model::time::{DAY, Micros, SECOND, push_date, push_digits};
use crate::model::{Op, StorageClass};

/// The header row.
pub const NATIVE_HEADER: &str = "timestamp,op,key,size,storage_class,tags\n";

/// The header row of a workload that names versions or multipart uploads.
pub const NATIVE_HEADER_IDS: &str =
    "timestamp,op,key,size,storage_class,tags,version_id,upload_id\n";

const TWO_DIGITS: [&str; 60] = [
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
    "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
    "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47",
    "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59",
];

/// Writes rows; keeps the text of the current second's timestamp (rows come in time order, many
/// to a second), so a row costs no date arithmetic.
#[derive(Debug)]
pub struct NativeWriter {
    line: String,
    second: i64,
    stamp: String,
    /// The day of `stamp`: (day number, `YYYY-MM-DD`).
    day: (i64, String),
    /// Rows end with `version_id,upload_id` ([`NATIVE_HEADER_IDS`]).
    pub ids: bool,
}

impl Default for NativeWriter {
    fn default() -> NativeWriter {
        NativeWriter {
            line: String::with_capacity(128),
            second: i64::MIN,
            stamp: String::new(),
            day: (i64::MIN, String::new()),
            ids: false,
        }
    }
}

/// Appends `s` as a CSV field, quoted (quotes doubled) only if it holds a comma, a quote or a line
/// end: what the csv crate writes, and reads back.
fn push_field(line: &mut String, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        line.push('"');
        line.push_str(&s.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(s);
    }
}

impl NativeWriter {
    /// Writes one row: `size` is None for an empty field (a GET of the whole object, a DELETE),
    /// `class` None for an empty field (requests that create nothing); `tags` as `k1=v1&k2=v2`;
    /// `id` the version id (the upload id of a multipart request), written when [`Self::ids`].
    #[allow(clippy::too_many_arguments)]
    pub fn row(
        &mut self,
        out: &mut dyn Write,
        time: Micros,
        op: Op,
        key: &str,
        size: Option<u64>,
        class: Option<StorageClass>,
        tags: &str,
        id: &str,
    ) -> std::io::Result<()> {
        let sec = time.div_euclid(SECOND);
        if sec != self.second {
            self.second = sec;
            let day = sec.div_euclid(86_400);
            if day != self.day.0 {
                self.day.0 = day;
                self.day.1.clear();
                push_date(&mut self.day.1, day * DAY, '-');
            }
            let s = sec.rem_euclid(86_400) as usize;
            self.stamp.clear();
            self.stamp.push_str(&self.day.1);
            self.stamp.push('T');
            self.stamp.push_str(TWO_DIGITS[s / 3600]);
            self.stamp.push(':');
            self.stamp.push_str(TWO_DIGITS[s / 60 % 60]);
            self.stamp.push(':');
            self.stamp.push_str(TWO_DIGITS[s % 60]);
        }
        let line = &mut self.line;
        line.clear();
        line.push_str(&self.stamp);
        let frac = time.rem_euclid(SECOND);
        if frac != 0 {
            line.push('.');
            push_digits(line, frac as u64, 6);
        }
        line.push_str("Z,");
        line.push_str(op.name());
        line.push(',');
        push_field(line, key);
        line.push(',');
        if let Some(size) = size {
            push_digits(line, size, 1);
        }
        line.push(',');
        if let Some(class) = class {
            line.push_str(class.api_name());
        }
        line.push(',');
        push_field(line, tags);
        if self.ids {
            line.push(',');
            if !op.is_multipart() {
                push_field(line, id);
            }
            line.push(',');
            if op.is_multipart() {
                push_field(line, id);
            }
        }
        line.push('\n');
        out.write_all(line.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_what_the_reader_reads_back() {
        let mut out = Vec::new();
        out.extend_from_slice(NATIVE_HEADER.as_bytes());
        let mut w = NativeWriter::default();
        let t = crate::model::time::parse_timestamp("2026-01-15T10:30:00Z").unwrap();
        w.row(
            &mut out,
            t,
            Op::Put,
            "a,\"b\"",
            Some(5),
            Some(StorageClass::StandardIa),
            "k=v",
            "",
        )
        .unwrap();
        w.row(&mut out, t + 250_000, Op::Get, "c", None, None, "", "")
            .unwrap();
        assert_eq!(
            String::from_utf8(out.clone()).unwrap(),
            "timestamp,op,key,size,storage_class,tags\n\
             2026-01-15T10:30:00Z,PUT,\"a,\"\"b\"\"\",5,STANDARD_IA,k=v\n\
             2026-01-15T10:30:00.250000Z,GET,c,,,\n"
        );
        let back = crate::workload::read_native_csv("w.csv", &out[..]).unwrap();
        assert_eq!(&*back.keys[0], "a,\"b\"");
        assert_eq!(back.events[1].time, t + 250_000);
    }
}
