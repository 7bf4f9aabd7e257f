//! IBM Cloud Object Storage traces (SNIA IOTTA): `<ms> <REST.OP> <object id> [size] [start end]`,
//! milliseconds from the trace's start, which s3sim places at `--trace-start`.

use super::builder::Builder;
use super::{WHOLE_OBJECT, WorkloadError};
use crate::model::time::Micros;
use crate::model::{Op, StorageClass};

/// Parses trace lines into `b`, with time 0 at `start`.
pub fn read<R: std::io::BufRead>(
    path: &str,
    reader: R,
    start: Micros,
    b: &mut Builder,
) -> Result<(), WorkloadError> {
    super::builder::for_each_line(path, reader, b, |line, line_no, b| {
        read_line(path, line, line_no, start, b)
    })
}

pub(super) fn read_line(
    path: &str,
    line: &str,
    line_no: u64,
    start: Micros,
    b: &mut Builder,
) -> Result<(), WorkloadError> {
    let f: Vec<&str> = line.split_whitespace().collect();
    if f.is_empty() {
        return Ok(());
    }
    if f.len() < 3 {
        b.bad_line(
            path,
            line_no,
            format!("{} fields, a trace line has at least 3", f.len()),
        )?;
        return Ok(());
    }
    let Ok(ms) = f[0].parse::<i64>() else {
        b.bad_line(
            path,
            line_no,
            format!(
                "not a time in milliseconds: {}",
                crate::model::limits::quoted(f[0])
            ),
        )?;
        return Ok(());
    };
    // IBM's traces hold object requests only; multipart requests there carry no upload id.
    let Some(op) =
        crate::model::Op::parse(f[1]).filter(|op| f[1].starts_with("REST.") && !op.is_multipart())
    else {
        b.skip(&format!("other operations ({})", f[1]));
        return Ok(());
    };
    let num = |i: usize| {
        f.get(i).map(|v| {
            v.parse::<u64>()
                .map_err(|_| format!("not a number: {}", crate::model::limits::quoted(v)))
        })
    };
    let size = match num(3).transpose() {
        Ok(s) => s,
        Err(e) => {
            b.bad_line(path, line_no, e)?;
            return Ok(());
        }
    };
    let range = match (num(4).transpose(), num(5).transpose()) {
        (Ok(Some(a)), Ok(Some(z))) if z >= a => Some(z - a + 1),
        (Ok(None), Ok(None)) => None,
        _ => {
            b.bad_line(
                path,
                line_no,
                "bad range: expected start and end offsets, end >= start".into(),
            )?;
            return Ok(());
        }
    };
    let size = match op {
        Op::Put | Op::Copy | Op::Post => match size {
            Some(s) => s,
            None => {
                b.bad_line(path, line_no, format!("{} without an object size", f[1]))?;
                return Ok(());
            }
        },
        Op::Get => range.or(size).unwrap_or(WHOLE_OBJECT),
        _ => 0,
    };
    // Within the instants s3sim accepts, else a bad line.
    let t = ms.checked_mul(1000).and_then(|us| start.checked_add(us));
    let Some(t) = t.filter(|&t| crate::model::time::in_range(t)) else {
        b.bad_line(path, line_no, format!("time {ms} ms is out of range"))?;
        return Ok(());
    };
    if b.within_s3_limits(path, line_no, f[2], size)? {
        b.push(t, op, f[2], size, StorageClass::Standard, 0, 0);
    }
    Ok(())
}

/// `1219008 REST.PUT.OBJECT 8d4fcda3d675bac9 1056`: a number, then a REST operation.
pub fn looks_like(first_line: &str) -> bool {
    let mut f = first_line.split_whitespace();
    matches!((f.next(), f.next()), (Some(t), Some(op)) if t.parse::<u64>().is_ok() && op.starts_with("REST."))
}
