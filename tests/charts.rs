//! Charts: one colour per storage class in every chart, no text outside the image or over another
//! text on hard inputs, distinct value labels, the decision chart's baseline and flags, and the
//! PNG size.

use s3sim::report::charts::{
    self, COMPONENTS, Chart, CostBar, DecisionBar, HEIGHT, PALETTE, RateLine, WIDTH, class_color,
};

/// Decodes a PNG into (width, height, RGB pixels).
fn decode(bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    buf.truncate(info.buffer_size());
    let bpp = info.color_type.samples();
    let px = buf.chunks(bpp).map(|p| [p[0], p[1], p[2]]).collect();
    (info.width, info.height, px)
}

fn rgb(c: plotters::style::RGBColor) -> [u8; 3] {
    [c.0, c.1, c.2]
}

/// The colour at the centre of each legend swatch, by series name.
fn swatch_colors(chart: &Chart) -> Vec<(String, [u8; 3])> {
    let (w, _, px) = decode(&chart.png);
    chart
        .layout
        .swatches
        .iter()
        .map(|(name, r)| {
            let (x, y) = ((r[0] + r[2]) / 2, (r[1] + r[3]) / 2);
            (name.clone(), px[(y as u32 * w + x as u32) as usize])
        })
        .collect()
}

/// Every text inside the image, not empty, and no two text boxes overlapping.
/// (`S3SIM_DUMP_CHARTS=<dir>` writes each checked chart there, to look at.)
fn check_layout(what: &str, chart: &Chart) {
    if let Ok(dir) = std::env::var("S3SIM_DUMP_CHARTS") {
        let name: String = what
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        std::fs::write(std::path::Path::new(&dir).join(name + ".png"), &chart.png).unwrap();
    }
    let (w, h, _) = decode(&chart.png);
    // The decision chart is as tall as its rows need; the others are WIDTH x HEIGHT.
    assert_eq!(w, WIDTH, "{what}");
    assert!(
        h == HEIGHT || (what.contains("decision") && (360..=HEIGHT).contains(&h)),
        "{what}: {w}x{h}"
    );
    let (w, h) = (w as i32, h as i32);
    let texts = &chart.layout.texts;
    assert!(!texts.is_empty(), "{what}: no texts recorded");
    for t in texts {
        let [x0, y0, x1, y1] = t.rect;
        assert!(
            !t.text.trim().is_empty(),
            "{what}: an empty text at {:?}",
            t.rect
        );
        assert!(
            x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= h && x0 < x1 && y0 < y1,
            "{what}: {:?} at {:?} is outside the {w}x{h} image",
            t.text,
            t.rect
        );
    }
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            let [ax0, ay0, ax1, ay1] = a.rect;
            let [bx0, by0, bx1, by1] = b.rect;
            let overlap = ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1;
            assert!(
                !overlap,
                "{what}: {:?} at {:?} overlaps {:?} at {:?}",
                a.text, a.rect, b.text, b.rect
            );
        }
    }
    for (name, r) in &chart.layout.swatches {
        assert!(
            r[0] >= 0 && r[1] >= 0 && r[2] <= w && r[3] <= h,
            "{what}: swatch {name} at {r:?} outside the image"
        );
    }
}

fn months(n: usize) -> Vec<String> {
    (0..n)
        .map(|m| format!("{}-{:02}", 2026 + m / 12, m % 12 + 1))
        .collect()
}

fn period(n: usize) -> String {
    let m = months(n);
    format!("{} to {}, {n} months", m[0], m[n - 1])
}

/// A policy name of about 100 characters (a file stem).
fn long_name(i: usize) -> String {
    format!(
        "policy-{i}-transition-to-glacier-instant-retrieval-after-30-days-then-deep-archive-after-365-days-{i}"
    )
}

fn storage(classes: &[&str], n: usize, scale: f64) -> Chart {
    let series: Vec<(String, Vec<f64>)> = classes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                c.to_string(),
                (0..n)
                    .map(|m| scale * (1.0 + i as f64 + m as f64))
                    .collect(),
            )
        })
        .collect();
    charts::storage_by_class("w", "p", &period(n), &months(n), &series).unwrap()
}

#[test]
fn a_class_has_the_same_colour_in_every_chart() {
    let a = storage(
        &[
            "STANDARD",
            "GLACIER",
            "STANDARD noncurrent",
            "delete markers",
        ],
        12,
        10.0,
    );
    let b = storage(
        &[
            "GLACIER_IR",
            "STANDARD noncurrent",
            "INTELLIGENT_TIERING_ARCHIVE_INSTANT noncurrent",
            "GLACIER",
            "STANDARD",
            "STANDARD upload parts",
            "DEEP_ARCHIVE",
        ],
        24,
        1000.0,
    );
    let (ca, cb) = (swatch_colors(&a), swatch_colors(&b));
    assert_eq!(ca.len(), 4);
    assert_eq!(cb.len(), 7);
    for (name, c) in ca.iter().chain(&cb) {
        assert_eq!(*c, rgb(class_color(name)), "{name}");
    }
    for (name, c) in &ca {
        if let Some((_, d)) = cb.iter().find(|(n, _)| n == name) {
            assert_eq!(c, d, "{name} differs between the two charts");
        }
    }
    // Current and noncurrent versions of a class differ.
    assert_ne!(class_color("STANDARD"), class_color("STANDARD noncurrent"));
    // Every bill class and tier is in the documented palette, each in its own colour.
    let names = [
        "STANDARD",
        "STANDARD_IA",
        "ONEZONE_IA",
        "INTELLIGENT_TIERING_FREQUENT",
        "INTELLIGENT_TIERING_INFREQUENT",
        "INTELLIGENT_TIERING_ARCHIVE_INSTANT",
        "INTELLIGENT_TIERING_ARCHIVE_ACCESS",
        "INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS",
        "GLACIER_IR",
        "GLACIER",
        "DEEP_ARCHIVE",
        "delete markers",
    ];
    for n in names {
        assert!(PALETTE.iter().any(|(p, _)| *p == n), "{n} not in PALETTE");
    }
    let mut colors: Vec<[u8; 3]> = PALETTE.iter().map(|(_, c)| rgb(*c)).collect();
    colors.sort();
    colors.dedup();
    assert_eq!(colors.len(), PALETTE.len());
}

#[test]
fn policies_keep_their_colour() {
    let lines: Vec<(String, Vec<f64>)> = (0..3)
        .map(|i| (format!("p{i}"), vec![1.0 + i as f64; 12]))
        .collect();
    let c = charts::monthly_cost("w", &period(12), &months(12), &lines).unwrap();
    let got = swatch_colors(&c);
    for (i, (_, col)) in got.iter().enumerate() {
        assert_eq!(*col, rgb(charts::color(i)));
    }
    let bars: Vec<DecisionBar> = (0..3)
        .map(|i| DecisionBar {
            policy: format!("p{i}"),
            color_index: 2 - i,
            usd_per_month: 1.0 + i as f64,
            baseline: i == 0,
            flags: vec![],
        })
        .collect();
    let d = charts::decision("w", &period(12), &bars).unwrap();
    let (_, _, px) = decode(&d.png);
    for i in 0..3 {
        let c = rgb(charts::color(i));
        assert!(
            px.iter().filter(|p| **p == c).count() > 1000,
            "policy colour {i} drawn"
        );
    }
}

#[test]
fn texts_stay_inside_and_apart_on_hard_inputs() {
    let every_class: Vec<&str> = PALETTE.iter().map(|(n, _)| *n).collect();
    for n in [1, 12, 24, 36] {
        for scale in [1e-9, 0.37, 5e9] {
            check_layout(
                &format!("storage {n} months x{scale}"),
                &storage(
                    &[
                        "STANDARD",
                        "INTELLIGENT_TIERING_ARCHIVE_INSTANT noncurrent",
                        "INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS upload parts",
                        "delete markers",
                    ],
                    n,
                    scale,
                ),
            );
        }
        check_layout(
            &format!("storage {n} months, every palette entry"),
            &storage(&every_class, n, 3.0),
        );
        for (values, what) in [(1e-7, "tiny"), (123_456_789.0, "huge"), (0.0, "zero")] {
            let lines: Vec<(String, Vec<f64>)> = (0..10)
                .map(|i| (long_name(i), vec![values * (1.0 + i as f64); n]))
                .collect();
            let c = charts::monthly_cost(&long_name(99), &period(n), &months(n), &lines).unwrap();
            check_layout(&format!("monthly {n} months {what}"), &c);
        }
    }
    // 20 policies with short names, as `twenty_policies_fit_their_legends`.
    let lines: Vec<(String, Vec<f64>)> = (0..20)
        .map(|i| (format!("glacier-ir-after-{i}-days"), vec![1.0; 3]))
        .collect();
    check_layout(
        "monthly 20 policies",
        &charts::monthly_cost("w", &period(3), &months(3), &lines).unwrap(),
    );

    for (workloads, policies, value) in [(1, 1, 0.0), (1, 10, 1e-5), (3, 10, 1e6), (5, 5, 46.3)] {
        let mut bars = Vec::new();
        let mut periods = Vec::new();
        for w in 0..workloads {
            let wname = format!("workload-{w}-{}", "x".repeat(40));
            periods.push((wname.clone(), period(36)));
            for p in 0..policies {
                let mut parts = [0.0; 7];
                for (k, part) in parts.iter_mut().enumerate() {
                    *part = value * (1.0 + p as f64) / (1.0 + k as f64);
                }
                bars.push(CostBar {
                    workload: wname.clone(),
                    policy: long_name(p),
                    parts,
                });
            }
        }
        check_layout(
            &format!("cost {workloads}x{policies} {value}"),
            &charts::cost_by_policy(&bars, &periods).unwrap(),
        );
    }

    for (lines_n, span) in [(1, 0.5), (10, 30.0), (5, 24.0 * 365.0 * 3.0)] {
        let lines: Vec<RateLine> = (0..lines_n)
            .map(|i| RateLine {
                prefix: if i == 0 {
                    String::new()
                } else {
                    format!("{}/{i}/", "deep/prefix".repeat(8))
                },
                points: (0..200)
                    .map(|k| {
                        let at = span * k as f64 / 200.0;
                        let reads = (k * 97 % 9000) as u64;
                        (at, reads, reads / 3, u64::from(k % 17 == 0) * 5)
                    })
                    .collect(),
            })
            .collect();
        check_layout(
            &format!("request rate {lines_n} lines {span} h"),
            &charts::request_rate("w", &period(36), &lines, 5500, 3500, span).unwrap(),
        );
    }

    for (n, value) in [(1, 12.34), (10, 1e-6), (10, 98_765.432_1), (20, 0.05)] {
        let bars: Vec<DecisionBar> = (0..n)
            .map(|i| DecisionBar {
                policy: long_name(i),
                color_index: i,
                usd_per_month: value * (1.0 + i as f64 / 7.0),
                baseline: i == n / 2,
                flags: match i % 3 {
                    0 => vec![],
                    1 => vec!["costs more than baseline".into()],
                    _ => vec!["p99 GET wait 5 h over budget".into(), "not settled".into()],
                },
            })
            .collect();
        check_layout(
            &format!("decision {n} {value}"),
            &charts::decision(&long_name(77), &period(24), &bars).unwrap(),
        );
    }
}

/// `$1,234.5678` as a number.
fn money(s: &str) -> f64 {
    s.trim_start_matches('$').replace(',', "").parse().unwrap()
}

#[test]
fn distinct_values_print_distinct_labels() {
    let values = [1.2345, 1.2367, 1.2399, 2.0, 2.0];
    let bars: Vec<CostBar> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut parts = [0.0; 7];
            parts[0] = v * 0.6;
            parts[1] = v * 0.4;
            CostBar {
                workload: "w".into(),
                policy: format!("p{i}"),
                parts,
            }
        })
        .collect();
    let c = charts::cost_by_policy(&bars, &[("w".into(), period(12))]).unwrap();
    check_layout("cost labels", &c);
    // The axis ticks have at most 2 decimals; the totals need 3 to tell 1.2345 from 1.2367.
    let labels: Vec<&str> = c
        .layout
        .texts
        .iter()
        .map(|t| t.text.as_str())
        .filter(|t| t.starts_with('$') && t.split_once('.').is_some_and(|(_, f)| f.len() >= 3))
        .collect();
    assert_eq!(labels.len(), values.len(), "{labels:?}");
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            if (money(a) - money(b)).abs() > 1e-9 {
                assert_ne!(a, b);
            }
        }
        assert!(
            values.iter().any(|v| (v - money(a)).abs() < 0.0006),
            "{a} is no bar's total"
        );
    }
    let mut distinct = labels.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{labels:?}");

    // Decision chart: "$0.0512/month ..." against "$0.0534/month ...".
    let bars: Vec<DecisionBar> = [0.0512, 0.0534, 0.0549, 0.0534]
        .iter()
        .enumerate()
        .map(|(i, v)| DecisionBar {
            policy: format!("p{i}"),
            color_index: i,
            usd_per_month: *v,
            baseline: i == 3,
            flags: vec![],
        })
        .collect();
    let d = charts::decision("w", &period(12), &bars).unwrap();
    let firsts: Vec<&str> = d
        .layout
        .texts
        .iter()
        .filter_map(|t| t.text.split_once("/month").map(|(v, _)| v))
        .collect();
    assert_eq!(firsts.len(), 4);
    assert_ne!(firsts[0], firsts[1]);
    assert_ne!(firsts[1], firsts[2]);
    assert_ne!(firsts[0], firsts[2]);
    assert_eq!(firsts[1], firsts[3]);
}

#[test]
fn decision_marks_the_baseline_and_writes_every_flag() {
    let flags = [
        "costs more than baseline",
        "p99 GET wait 5 h over budget",
        "not settled",
    ];
    let bars = vec![
        DecisionBar {
            policy: "archive".into(),
            color_index: 2,
            usd_per_month: 11.14,
            baseline: false,
            flags: vec![],
        },
        DecisionBar {
            policy: "none".into(),
            color_index: 0,
            usd_per_month: 12.34,
            baseline: true,
            flags: vec![],
        },
        DecisionBar {
            policy: "deep".into(),
            color_index: 1,
            usd_per_month: 13.0,
            baseline: false,
            flags: flags.iter().map(|f| f.to_string()).collect(),
        },
    ];
    let c = charts::decision("logs", "2026-01 to 2026-12, 12 months", &bars).unwrap();
    check_layout("decision", &c);
    let texts: Vec<&str> = c.layout.texts.iter().map(|t| t.text.as_str()).collect();
    let all = texts.join("\n");
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Steady-state cost per month by policy: logs")),
        "{texts:?}"
    );
    assert!(all.contains("2026-01 to 2026-12, 12 months"));
    assert!(
        texts
            .iter()
            .any(|t| t.contains("$12.34/month") && t.contains("baseline")),
        "{texts:?}"
    );
    assert!(all.contains("$11.14/month   -$1.20 (-9.7%)"), "{texts:?}");
    assert!(all.contains("$13.00/month   +$0.66 (+5.3%)"), "{texts:?}");
    for f in flags {
        assert!(all.contains(f), "flag {f:?} missing from {texts:?}");
    }
    // The flags are drawn in the warning colour.
    let (_, _, px) = decode(&c.png);
    let warn = rgb(charts::WARNING);
    assert!(px.iter().filter(|p| **p == warn).count() > 100);
}

#[test]
fn every_chart_names_its_period() {
    let p = "2026-01 to 2027-12, 24 months";
    let has = |c: &Chart| c.layout.texts.iter().any(|t| t.text.contains(p));
    let classes = vec![("STANDARD".to_string(), vec![1.0; 24])];
    assert!(has(&charts::storage_by_class(
        "w",
        "p",
        p,
        &months(24),
        &classes
    )
    .unwrap()));
    assert!(has(
        &charts::monthly_cost("w", p, &months(24), &classes).unwrap()
    ));
    assert!(has(
        &charts::request_rate("w", p, &[], 5500, 3500, 10.0).unwrap()
    ));
    let bars = vec![CostBar {
        workload: "w".into(),
        policy: "none".into(),
        parts: [1.0; 7],
    }];
    assert!(has(&charts::cost_by_policy(
        &bars,
        &[("w".into(), p.into())]
    )
    .unwrap()));
}

/// Bounds from measurements (RGB, adaptive filtering, default compression): this 24-month
/// storage chart of 8 classes is 69 KB and this cost chart 94 KB; the bundled samples' charts are
/// 27-98 KB. Before (RGB, fast compression, no filter) they were 110-880 KB, and the new drawings
/// with the old encoding are about 2-4 times larger than now: 100 KB and 130 KB leave room for
/// font or layout changes and fail on a return to the old encoding.
#[test]
fn charts_are_small_and_deterministic() {
    let classes = [
        "STANDARD",
        "STANDARD_IA",
        "GLACIER_IR",
        "GLACIER",
        "DEEP_ARCHIVE",
        "STANDARD noncurrent",
        "GLACIER_IR noncurrent",
        "delete markers",
    ];
    let a = storage(&classes, 24, 50.0);
    let b = storage(&classes, 24, 50.0);
    assert_eq!(a.png, b.png, "same inputs, same bytes");
    assert!(
        a.png.len() < 100_000,
        "storage chart: {} bytes",
        a.png.len()
    );
    let bars: Vec<CostBar> = (0..5)
        .flat_map(|w| {
            (0..5).map(move |p| CostBar {
                workload: format!("w{w}"),
                policy: format!("policy-{p}"),
                parts: [10.0 + p as f64, 1.0, 0.5, 0.2, 0.1, 0.05, 0.01],
            })
        })
        .collect();
    let c = charts::cost_by_policy(&bars, &[]).unwrap();
    assert!(c.png.len() < 130_000, "cost chart: {} bytes", c.png.len());
    assert_eq!(COMPONENTS.len(), 7);
}

/// The cost-against-wait chart of `recommend`: texts inside and apart, with a budget, many points,
/// and the three marked configurations.
#[test]
fn cost_against_wait_keeps_its_texts_apart() {
    let points: Vec<charts::WaitPoint> = (0..60)
        .map(|i| charts::WaitPoint {
            wait_s: if i % 3 == 0 { 18_000.0 } else { 0.0 },
            usd: 10.0 + i as f64 * 0.37,
            feasible: i % 3 != 0,
        })
        .collect();
    let p = |w: f64, u: f64| charts::WaitPoint {
        wait_s: w,
        usd: u,
        feasible: true,
    };
    let c = charts::cost_vs_wait(
        &long_name(40),
        &period(12),
        &points,
        p(0.0, 40.0),
        Some(p(43_200.0, 12.0)),
        Some(p(0.0, 10.37)),
        Some(1.0),
    )
    .unwrap();
    check_layout("cost vs wait", &c);
    let texts: Vec<&str> = c.layout.texts.iter().map(|t| t.text.as_str()).collect();
    for want in [
        "none: $40.00",
        "current: $12.00",
        "recommended: $10.37",
        "wait budget: 1.0 s",
    ] {
        assert!(texts.contains(&want), "{want} in {texts:?}");
    }
}
