//! `--discount`: a negotiated discount on S3's prices, on every charge or per component.
//!
//! Syntax: comma-separated items; `PCT` (e.g. `12%` or `12`) applies to every component not
//! named, `COMPONENT=PCT` to one: `storage` (storage, including early-deletion charges, which are
//! billed at storage rates), `requests`, `transitions`, `retrieval` (retrieval per GB and restores),
//! `monitoring`, `egress`. So `12%` is 12% off everything, `storage=10%,requests=5%` is 10% off
//! storage, 5% off requests and nothing else, `12%,egress=0` is 12% off everything but egress.

use std::fmt::Write as _;

/// The components a discount can name, in the order `describe` lists them.
pub const COMPONENTS: [&str; 6] = [
    "storage",
    "requests",
    "transitions",
    "retrieval",
    "monitoring",
    "egress",
];

/// The fraction taken off each of [`COMPONENTS`] (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Discount {
    pub off: [f64; 6],
}

impl Discount {
    /// Parses `--discount`; the error says what is wrong with which item.
    pub fn parse(s: &str) -> Result<Discount, String> {
        let mut all: Option<f64> = None;
        let mut named: [Option<f64>; 6] = [None; 6];
        if s.trim().is_empty() {
            return Err("--discount: empty; expected e.g. 12% or storage=10%,requests=5%".into());
        }
        for item in s.split(',') {
            let item = item.trim();
            match item.split_once('=') {
                None => {
                    if all.is_some() {
                        return Err(format!(
                            "--discount {s:?}: two discounts for every component ({item:?}); give one, and name the components that differ"
                        ));
                    }
                    all = Some(pct(item).map_err(|e| format!("--discount {s:?}: {e}"))?);
                }
                Some((name, value)) => {
                    let name = name.trim();
                    let i = COMPONENTS.iter().position(|c| *c == name).ok_or_else(|| {
                        format!(
                            "--discount {s:?}: unknown component {name:?}; expected {}",
                            COMPONENTS.join(", ")
                        )
                    })?;
                    if named[i].is_some() {
                        return Err(format!("--discount {s:?}: {name} given twice"));
                    }
                    named[i] =
                        Some(pct(value).map_err(|e| format!("--discount {s:?}: {name}: {e}"))?);
                }
            }
        }
        let mut off = [0.0; 6];
        for (o, n) in off.iter_mut().zip(named) {
            *o = n.or(all).unwrap_or(0.0);
        }
        Ok(Discount { off })
    }

    pub fn is_none(&self) -> bool {
        self.off.iter().all(|&x| x == 0.0)
    }

    /// The multiplier of a component's prices.
    pub fn factor(&self, component: &str) -> f64 {
        let i = COMPONENTS
            .iter()
            .position(|c| *c == component)
            .expect("a known component");
        1.0 - self.off[i]
    }

    /// `12% off every charge`, or `storage 10%, requests 5%` (the components with a discount).
    pub fn describe(&self) -> String {
        if self.off.iter().all(|&x| x == self.off[0]) {
            return format!("{} off every charge", fmt_pct(self.off[0]));
        }
        let mut out = String::new();
        for (c, &x) in COMPONENTS.iter().zip(&self.off) {
            if x > 0.0 {
                if !out.is_empty() {
                    out.push_str(", ");
                }
                let _ = write!(out, "{c} {}", fmt_pct(x));
            }
        }
        format!("{out} off")
    }
}

/// A percentage, `12%`, `12.5` or `0`, as a fraction.
fn pct(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let n = t.strip_suffix('%').unwrap_or(t).trim();
    let v: f64 = n
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("{t:?} is not a percentage (e.g. 12% or 12.5)"))?;
    if !(0.0..=100.0).contains(&v) {
        return Err(format!("{t:?}: a discount is from 0% to 100%"));
    }
    Ok(v / 100.0)
}

fn fmt_pct(x: f64) -> String {
    let p = x * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}%", p.round())
    } else {
        format!("{}%", (p * 1e6).round() / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_one_discount_and_per_component_ones() {
        let d = Discount::parse("12%").unwrap();
        assert_eq!(d.off, [0.12; 6]);
        assert_eq!(d.describe(), "12% off every charge");
        assert_eq!(Discount::parse("12").unwrap(), d);
        let d = Discount::parse("storage=10%, requests=5").unwrap();
        assert_eq!(d.off, [0.10, 0.05, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(d.describe(), "storage 10%, requests 5% off");
        assert!((d.factor("storage") - 0.9).abs() < 1e-15);
        assert_eq!(d.factor("egress"), 1.0);
        let d = Discount::parse("12.5%,egress=0").unwrap();
        assert_eq!(d.off, [0.125, 0.125, 0.125, 0.125, 0.125, 0.0]);
        assert_eq!(
            d.describe(),
            "storage 12.5%, requests 12.5%, transitions 12.5%, retrieval 12.5%, monitoring 12.5% off"
        );
        assert!(Discount::parse("0").unwrap().is_none());
    }

    #[test]
    fn bad_discounts_say_why() {
        for (s, want) in [
            ("", "empty"),
            ("abc", "\"abc\" is not a percentage"),
            ("120%", "a discount is from 0% to 100%"),
            ("-5%", "a discount is from 0% to 100%"),
            ("storage=5%,storage=6%", "storage given twice"),
            (
                "compute=5%",
                "unknown component \"compute\"; expected storage, requests",
            ),
            ("5%,6%", "two discounts for every component"),
            ("storage=", "storage: \"\" is not a percentage"),
            ("NaN", "is not a percentage"),
        ] {
            let e = Discount::parse(s).unwrap_err();
            assert!(e.contains(want), "{s}: {e}");
        }
    }
}
