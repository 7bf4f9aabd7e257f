//! Time: instants are microseconds since the Unix epoch, UTC ([`Micros`]).

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

/// An instant [microseconds since 1970-01-01T00:00:00Z] or a duration [microseconds].
pub type Micros = i64;

pub const SECOND: Micros = 1_000_000;
pub const HOUR: Micros = 3_600 * SECOND;
pub const DAY: Micros = 24 * HOUR;

/// The instants s3sim accepts in its inputs: from 1970-01-01T00:00:00Z (S3 began in 2006) to before
/// 9000-01-01T00:00:00Z, which leaves room for a simulated period of up to a century after the
/// last event with every date still written with four digits.
pub const EARLIEST: Micros = 0;
pub const END_OF_TIME: Micros = 221_845_392_000 * SECOND;

/// Whether `t` lies in the range of instants s3sim accepts ([`EARLIEST`], [`END_OF_TIME`]).
pub fn in_range(t: Micros) -> bool {
    (EARLIEST..END_OF_TIME).contains(&t)
}

/// The first 00:00 UTC at or after `t` (an instant already at midnight stays).
pub fn ceil_midnight(t: Micros) -> Micros {
    let r = t.rem_euclid(DAY);
    if r == 0 { t } else { t - r + DAY }
}

/// 00:00 UTC of the day of `t`.
pub fn floor_midnight(t: Micros) -> Micros {
    t - t.rem_euclid(DAY)
}

/// 00:00 UTC on the first day of the month of `t`.
pub fn month_start(t: Micros) -> Micros {
    let d = to_datetime(t).date_naive();
    date_micros(d.year(), d.month(), 1)
}

/// 00:00 UTC on the first day of the month after the month of `t`.
pub fn next_month_start(t: Micros) -> Micros {
    let d = to_datetime(t).date_naive();
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    date_micros(y, m, 1)
}

/// 00:00 UTC of a calendar date. Panics on an invalid date (callers pass validated dates).
pub fn date_micros(y: i32, m: u32, d: u32) -> Micros {
    let date = NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"))
        .timestamp_micros()
}

pub fn to_datetime(t: Micros) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t).expect("instant in chrono's range")
}

/// `YYYY-MM` of the month of `t`.
pub fn month_label(t: Micros) -> String {
    let d = to_datetime(t);
    format!("{:04}-{:02}", d.year(), d.month())
}

/// RFC 3339 with seconds, e.g. `2026-01-15T10:30:00Z` (sub-second digits when present).
pub fn format_instant(t: Micros) -> String {
    let mut s = String::with_capacity(27);
    push_rfc3339_seconds(&mut s, t);
    let frac = t.rem_euclid(SECOND);
    if frac != 0 {
        s.push('.');
        push_digits(&mut s, frac as u64, 6);
    }
    s.push('Z');
    s
}

/// Parses a timestamp: RFC 3339 (`2026-01-15T10:30:00Z`, offsets and fractions allowed) or Unix
/// seconds (integer or decimal). A fast path handles `YYYY-MM-DDTHH:MM:SS[.f]Z` without chrono.
pub fn parse_timestamp(s: &str) -> Option<Micros> {
    parse_timestamp_any(s).filter(|&t| in_range(t))
}

fn parse_timestamp_any(s: &str) -> Option<Micros> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    if b[0].is_ascii_digit() && b.len() >= 11 && b[4] == b'-' {
        if let Some(t) = fast_rfc3339(b) {
            return Some(t);
        }
        return DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.with_timezone(&Utc).timestamp_micros());
    }
    parse_unix_seconds(s)
}

fn parse_unix_seconds(s: &str) -> Option<Micros> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty() || !int.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|c| c.is_ascii_digit()) || frac.len() > 9 {
        return None;
    }
    let secs: i64 = int.parse().ok()?;
    let mut micros: i64 = 0;
    for (i, c) in frac.bytes().take(6).enumerate() {
        micros += i64::from(c - b'0') * 10i64.pow(5 - i as u32);
    }
    let t = secs.checked_mul(SECOND)?.checked_add(micros)?;
    // Keep within chrono's range so every instant formats.
    if t > 253_402_300_799 * SECOND {
        return None;
    }
    Some(if neg { -t } else { t })
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (or a space for `T`), else None (the caller falls back to chrono).
fn fast_rfc3339(b: &[u8]) -> Option<Micros> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ')
    {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi, s) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    let mut i = 19;
    let mut micros = 0i64;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 6 {
                micros += i64::from(b[i] - b'0') * 10i64.pow(5 - (i - start) as u32);
            }
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if i + 1 != b.len() || !(b[i] == b'Z' || b[i] == b'z') {
        return None;
    }
    if !(1..=12).contains(&mo)
        || d == 0
        || d > days_in_month(y as i32, mo)
        || h > 23
        || mi > 59
        || s > 59
    {
        return None;
    }
    let days = days_from_civil(y as i64, mo, d);
    Some((days * 86_400 + i64::from(h * 3600 + mi * 60 + s)) * SECOND + micros)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of a day number (days since 1970-01-01; Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Appends `v` in decimal, zero-padded to `width` digits.
pub fn push_digits(out: &mut String, v: u64, width: usize) {
    let mut buf = [0u8; 20];
    let mut v = v;
    let mut n = 0;
    loop {
        buf[n] = b'0' + (v % 10) as u8;
        v /= 10;
        n += 1;
        if v == 0 {
            break;
        }
    }
    for _ in n..width {
        out.push('0');
    }
    for &d in buf[..n].iter().rev() {
        out.push(d as char);
    }
}

/// Appends the date of `t` as `YYYY<sep>MM<sep>DD` (years 0..=9999), without chrono.
pub fn push_date(out: &mut String, t: Micros, sep: char) {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    push_digits(out, y.clamp(0, 9999) as u64, 4);
    out.push(sep);
    push_digits(out, u64::from(m), 2);
    out.push(sep);
    push_digits(out, u64::from(d), 2);
}

/// Appends `YYYY-MM-DDTHH:MM:SS` of `t` (no zone, no fraction), without chrono.
pub fn push_rfc3339_seconds(out: &mut String, t: Micros) {
    push_date(out, t, '-');
    let s = t.div_euclid(SECOND).rem_euclid(86_400) as u64;
    out.push('T');
    push_digits(out, s / 3600, 2);
    out.push(':');
    push_digits(out, s / 60 % 60, 2);
    out.push(':');
    push_digits(out, s % 60, 2);
}

/// Parses `YYYY-MM-DD` as 00:00 UTC of that day.
pub fn parse_date(s: &str) -> Option<Micros> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    Some(date_micros(d.year(), d.month(), d.day())).filter(|&t| in_range(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_agrees_with_chrono() {
        for s in [
            "2026-01-15T10:30:00Z",
            "2024-02-29T23:59:59Z",
            "1999-12-31T00:00:00.5Z",
            "2026-03-01T00:00:00.123456789Z",
            "1970-01-01T00:00:00Z",
        ] {
            let chrono = DateTime::parse_from_rfc3339(s).unwrap().timestamp_micros();
            assert_eq!(parse_timestamp(s), Some(chrono), "{s}");
        }
    }

    #[test]
    fn offsets_and_unix_seconds() {
        let z = parse_timestamp("2026-01-15T10:30:00Z").unwrap();
        assert_eq!(parse_timestamp("2026-01-15T12:30:00+02:00"), Some(z));
        assert_eq!(parse_timestamp("1768473000"), Some(z));
        assert_eq!(parse_timestamp("1768473000.25"), Some(z + 250_000));
        assert_eq!(parse_timestamp("2026-02-30T00:00:00Z"), None);
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("12abc"), None);
        assert_eq!(parse_timestamp(""), None);
    }

    #[test]
    fn midnight_rounding() {
        let t = parse_timestamp("2014-01-15T10:30:00Z").unwrap();
        assert_eq!(
            ceil_midnight(t + 3 * DAY),
            parse_timestamp("2014-01-19T00:00:00Z").unwrap()
        );
        let m = parse_timestamp("2014-01-19T00:00:00Z").unwrap();
        assert_eq!(ceil_midnight(m), m);
        assert_eq!(
            floor_midnight(t),
            parse_timestamp("2014-01-15T00:00:00Z").unwrap()
        );
    }

    #[test]
    fn fast_formatting_agrees_with_chrono() {
        for t in [
            0,
            951_782_400_123_456,
            1_767_225_599_999_999,
            -86_400_000_000,
            4_102_444_800_000_000,
        ] {
            let mut s = String::new();
            push_rfc3339_seconds(&mut s, t);
            assert_eq!(
                s,
                to_datetime(t).format("%Y-%m-%dT%H:%M:%S").to_string(),
                "{t}"
            );
            let mut d = String::new();
            push_date(&mut d, t, '/');
            assert_eq!(d, to_datetime(t).format("%Y/%m/%d").to_string());
        }
    }

    #[test]
    fn months() {
        let t = parse_timestamp("2026-12-15T10:30:00Z").unwrap();
        assert_eq!(month_start(t), date_micros(2026, 12, 1));
        assert_eq!(next_month_start(t), date_micros(2027, 1, 1));
        assert_eq!(month_label(t), "2026-12");
    }
}

/// Parses a duration as `500ms`, `1s`, `5m` / `5min`, `12h` or `2d` (a space before the unit is
/// allowed; a decimal number too) into seconds. None for anything else, a negative or a
/// non-finite number.
pub fn parse_duration(s: &str) -> Option<f64> {
    let s = s.trim();
    let at = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(at);
    let v: f64 = num.parse().ok()?;
    let scale = match unit.trim() {
        "ms" => 1e-3,
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        _ => return None,
    };
    let secs = v * scale;
    (secs.is_finite() && secs >= 0.0).then_some(secs)
}

/// A wait as people write it: `90 s`, `5 min`, `5 h`, `1 h 30 min`, `2.5 s`.
pub fn fmt_wait(us: Micros) -> String {
    const MIN: Micros = 60 * SECOND;
    if us % HOUR == 0 && us > 0 {
        format!("{} h", us / HOUR)
    } else if us % MIN == 0 && us >= HOUR {
        format!("{} h {} min", us / HOUR, us % HOUR / MIN)
    } else if us % MIN == 0 && us > 0 {
        format!("{} min", us / MIN)
    } else {
        let s = us as f64 / SECOND as f64;
        let t = format!("{s:.3}");
        format!("{} s", t.trim_end_matches('0').trim_end_matches('.'))
    }
}

#[cfg(test)]
mod duration_tests {
    use super::*;

    #[test]
    fn durations_parse_with_units_only() {
        assert_eq!(parse_duration("1s"), Some(1.0));
        assert_eq!(parse_duration("500ms"), Some(0.5));
        assert_eq!(parse_duration("5 min"), Some(300.0));
        assert_eq!(parse_duration("5m"), Some(300.0));
        assert_eq!(parse_duration("12h"), Some(43_200.0));
        assert_eq!(parse_duration("1.5d"), Some(129_600.0));
        assert_eq!(parse_duration("1"), None);
        assert_eq!(parse_duration("-1s"), None);
        assert_eq!(parse_duration("1 week"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn waits_read_as_people_write_them() {
        assert_eq!(fmt_wait(5 * 60 * SECOND), "5 min");
        assert_eq!(fmt_wait(5 * HOUR), "5 h");
        assert_eq!(fmt_wait(90 * 60 * SECOND), "1 h 30 min");
        assert_eq!(fmt_wait(90 * SECOND), "90 s");
        assert_eq!(fmt_wait(2_500_000), "2.5 s");
        assert_eq!(fmt_wait(0), "0 s");
    }
}
