//! PNG charts (plotters) from the result tables. Text uses DejaVu Sans compiled into the binary,
//! so a chart renders the same on a machine with no fonts installed.

use std::sync::Once;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::fmt_usd;

/// Chart size [pixels].
pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 900;

const FONT: &str = "sans-serif";

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bundled DejaVu fonts are valid TrueType; failing here is a build defect.
        plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular())
            .unwrap_or_else(|_| panic!("DejaVu Sans regular is a valid font"));
        plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold())
            .unwrap_or_else(|_| panic!("DejaVu Sans bold is a valid font"));
    });
}

/// Renders with `draw` on a white 1600x900 canvas and encodes it as PNG.
fn render(draw: impl FnOnce(&DrawingArea<BitMapBackend, Shift>) -> Result<()>) -> Result<Vec<u8>> {
    register_fonts();
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow!("chart: {e}"))?;
        draw(&root)?;
        root.present().map_err(|e| anyhow!("chart: {e}"))?;
    }
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header()?;
        w.write_image_data(&rgb)?;
    }
    Ok(png)
}

fn err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow!("chart: {e}")
}

/// A distinct color for series `i` (wraps after 99).
fn color(i: usize) -> RGBColor {
    const BASE: [RGBColor; 10] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
        RGBColor(188, 189, 34),
        RGBColor(23, 190, 207),
    ];
    if i < BASE.len() {
        BASE[i]
    } else {
        let c = Palette99::pick(i).to_rgba();
        RGBColor(c.0, c.1, c.2)
    }
}

/// Draws a legend as a column of colored swatches and names inside `area`, shrinking the text
/// when there are many entries so that it never overflows.
fn legend(
    area: &DrawingArea<BitMapBackend, Shift>,
    title: &str,
    entries: &[(String, RGBColor)],
) -> Result<()> {
    let (_, h) = area.dim_in_pixel();
    let n = entries.len().max(1) as u32;
    let step = ((h.saturating_sub(60)) / n).clamp(12, 30) as i32;
    let size = (step - 6).clamp(10, 20);
    area.draw(&Text::new(
        title.to_string(),
        (10, 10),
        (FONT, 20, FontStyle::Bold).into_font(),
    ))
    .map_err(err)?;
    for (i, (name, c)) in entries.iter().enumerate() {
        let y = 44 + i as i32 * step;
        area.draw(&Rectangle::new(
            [(10, y - size / 2), (34, y + size / 2)],
            c.filled(),
        ))
        .map_err(err)?;
        let label = if name.chars().count() > 38 {
            format!("{}…", name.chars().take(37).collect::<String>())
        } else {
            name.clone()
        };
        area.draw(&Text::new(
            label,
            (42, y),
            TextStyle::from((FONT, size).into_font()).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// The label of a month axis at `x`: the month at whole positions that are multiples of `every`.
fn month_label(labels: &[String], every: usize, x: f64) -> String {
    let i = x.round();
    if (x - i).abs() < 1e-6
        && i >= 0.0
        && (i as usize) < labels.len()
        && (i as usize).is_multiple_of(every)
    {
        labels[i as usize].clone()
    } else {
        String::new()
    }
}

/// A value axis top: a little above the largest value, never empty.
fn top(max: f64) -> f64 {
    if max > 0.0 { max * 1.1 } else { 1.0 }
}

/// Digits after the point for money labels on an axis up to `max`: whole dollars from $100,
/// cents from $0.10, else enough to tell the ticks apart.
fn usd_decimals(max: f64) -> usize {
    if max >= 100.0 {
        0
    } else if max >= 0.1 {
        2
    } else if max >= 0.001 {
        4
    } else {
        6
    }
}

/// `$1,215` / `$12.50` / `$0.0050`: money with thousands separators and `decimals` digits.
fn axis_usd(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (whole, frac) = s.split_once('.').map_or((s.as_str(), ""), |(w, f)| (w, f));
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}${grouped}")
    } else {
        format!("{sign}${grouped}.{frac}")
    }
}

/// One bar of the cost chart: a policy's total split by component.
#[derive(Debug, Clone, PartialEq)]
pub struct CostBar {
    pub workload: String,
    pub policy: String,
    /// Dollars by component, in the order of `COMPONENTS`.
    pub parts: [f64; 7],
}

/// The components stacked in the cost chart.
pub const COMPONENTS: [&str; 7] = [
    "storage",
    "requests",
    "transitions",
    "retrieval",
    "early deletion",
    "monitoring",
    "egress",
];

/// `cost_by_policy.png`: one panel per workload, a horizontal bar per policy stacked by component,
/// cheapest at the top.
pub fn cost_by_policy(bars: &[CostBar]) -> Result<Vec<u8>> {
    let mut workloads: Vec<&str> = Vec::new();
    for b in bars {
        if !workloads.contains(&b.workload.as_str()) {
            workloads.push(&b.workload);
        }
    }
    render(|root| {
        let (title, rest) = root.split_vertically(50);
        title
            .draw(&Text::new(
                "Total cost by policy (cheapest first), stacked by component".to_string(),
                (20, 12),
                (FONT, 28, FontStyle::Bold).into_font(),
            ))
            .map_err(err)?;
        let (plots, side) = rest.split_horizontally(WIDTH - 260);
        let entries: Vec<(String, RGBColor)> = COMPONENTS
            .iter()
            .enumerate()
            .map(|(i, c)| (c.to_string(), color(i)))
            .collect();
        legend(&side, "Component", &entries)?;
        let panels = plots.split_evenly((workloads.len().max(1), 1));
        for (w, panel) in workloads.iter().zip(panels) {
            let mut rows: Vec<&CostBar> = bars.iter().filter(|b| b.workload == *w).collect();
            rows.sort_by(|a, b| {
                a.parts
                    .iter()
                    .sum::<f64>()
                    .total_cmp(&b.parts.iter().sum::<f64>())
                    .then(a.policy.cmp(&b.policy))
            });
            let n = rows.len();
            let max = rows
                .iter()
                .map(|b| b.parts.iter().sum::<f64>())
                .fold(0.0, f64::max);
            let mut chart = ChartBuilder::on(&panel)
                .caption(format!("workload {w}"), (FONT, 22))
                .margin_left(240)
                .margin_right(30)
                .margin_top(5)
                .x_label_area_size(40)
                .build_cartesian_2d(0.0..top(max), -0.5..(n as f64 - 0.5))
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .disable_y_axis()
                .x_labels(8)
                .x_label_formatter(&|v| axis_usd(*v, usd_decimals(max)))
                .light_line_style(RGBColor(238, 238, 238))
                .x_desc("USD over the simulated period")
                .label_style((FONT, 16))
                .draw()
                .map_err(err)?;
            // Cheapest at the top: row 0 is drawn at the highest y.
            let thickness = if n > 12 { 0.42 } else { 0.35 };
            for (i, b) in rows.iter().enumerate() {
                let y = (n - 1 - i) as f64;
                let mut x = 0.0;
                for (k, part) in b.parts.iter().enumerate() {
                    if *part > 0.0 {
                        chart
                            .draw_series(std::iter::once(Rectangle::new(
                                [(x, y - thickness), (x + part, y + thickness)],
                                color(k).filled(),
                            )))
                            .map_err(err)?;
                        x += part;
                    }
                }
                // Backend coordinates are absolute: draw the label on the root area.
                let (px, py) = chart.backend_coord(&(0.0, y));
                let label_size = if n > 12 { 13 } else { 16 };
                root.draw(&Text::new(
                    format!("{}  {}", b.policy, fmt_usd(x)),
                    (px - 8, py),
                    TextStyle::from((FONT, label_size).into_font())
                        .pos(Pos::new(HPos::Right, VPos::Center)),
                ))
                .map_err(err)?;
            }
        }
        Ok(())
    })
}

type MonthChart<'a, 'b> =
    ChartContext<'a, BitMapBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Axes for a value per month: months at whole x positions (labelled, at most 24 labels), values
/// from 0 up, a title and the y axis's formatter and description.
fn month_chart<'a, 'b>(
    plot: &'a DrawingArea<BitMapBackend<'b>, Shift>,
    caption: String,
    months: &[String],
    max: f64,
    y_label: &dyn Fn(&f64) -> String,
    y_desc: &str,
) -> Result<MonthChart<'a, 'b>> {
    let n = months.len().max(1);
    let mut chart = ChartBuilder::on(plot)
        .caption(caption, (FONT, 28, FontStyle::Bold))
        .margin(20)
        .x_label_area_size(60)
        .y_label_area_size(110)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..top(max))
        .map_err(err)?;
    let every = n.div_ceil(24).max(1);
    chart
        .configure_mesh()
        .x_labels(n.min(24) + 1)
        .x_label_formatter(&|x| month_label(months, every, *x))
        .y_label_formatter(y_label)
        .light_line_style(RGBColor(238, 238, 238))
        .x_desc("month (UTC)")
        .y_desc(y_desc)
        .label_style((FONT, 16))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// `monthly_cost_<workload>.png`: cost per month, a line per policy.
pub fn monthly_cost(
    workload: &str,
    months: &[String],
    lines: &[(String, Vec<f64>)],
) -> Result<Vec<u8>> {
    render(|root| {
        let (plot, side) = root.split_horizontally(WIDTH - 320);
        let max = lines
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .fold(0.0, f64::max);
        let mut chart = month_chart(
            &plot,
            format!("Monthly cost by policy: workload {workload}"),
            months,
            max,
            &|v| axis_usd(*v, usd_decimals(max)),
            "USD per month",
        )?;
        let mut entries = Vec::new();
        for (i, (policy, v)) in lines.iter().enumerate() {
            let c = color(i);
            let pts: Vec<(f64, f64)> = v.iter().enumerate().map(|(m, y)| (m as f64, *y)).collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), c.stroke_width(3)))
                .map_err(err)?;
            chart
                .draw_series(pts.into_iter().map(|p| Circle::new(p, 5, c.filled())))
                .map_err(err)?;
            entries.push((format!("{policy} ({})", fmt_usd(v.iter().sum())), c));
        }
        legend(&side, "Policy (total)", &entries)
    })
}

/// `storage_by_class_<workload>_<policy>.png`: average GB stored per month, stacked by class.
pub fn storage_by_class(
    workload: &str,
    policy: &str,
    months: &[String],
    classes: &[(String, Vec<f64>)],
) -> Result<Vec<u8>> {
    render(|root| {
        let (plot, side) = root.split_horizontally(WIDTH - 380);
        let n = months.len().max(1);
        let totals: Vec<f64> = (0..n)
            .map(|m| {
                classes
                    .iter()
                    .map(|(_, v)| v.get(m).copied().unwrap_or(0.0))
                    .sum()
            })
            .collect();
        let max = totals.iter().copied().fold(0.0, f64::max);
        let mut chart = month_chart(
            &plot,
            format!("Data stored by storage class: {workload} under {policy}"),
            months,
            max,
            &|v| fmt_gb(*v, max),
            "average GB stored (GB-months in the month)",
        )?;
        let mut base = vec![0.0; n];
        let mut entries = Vec::new();
        for (i, (class, v)) in classes.iter().enumerate() {
            let c = color(i);
            let lower = base.clone();
            for (m, b) in base.iter_mut().enumerate() {
                *b += v.get(m).copied().unwrap_or(0.0);
            }
            if n == 1 {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(-0.3, lower[0]), (0.3, base[0])],
                        c.filled(),
                    )))
                    .map_err(err)?;
            } else {
                let mut poly: Vec<(f64, f64)> = base
                    .iter()
                    .enumerate()
                    .map(|(m, y)| (m as f64, *y))
                    .collect();
                poly.extend(lower.iter().enumerate().rev().map(|(m, y)| (m as f64, *y)));
                chart
                    .draw_series(std::iter::once(Polygon::new(poly, c.mix(0.85).filled())))
                    .map_err(err)?;
            }
            entries.push((class.clone(), c));
        }
        legend(&side, "Storage class", &entries)
    })
}

/// GB in the unit that suits an axis up to `max` GB (one unit for the whole axis).
fn fmt_gb(v: f64, max: f64) -> String {
    if max >= 1024.0 * 1024.0 {
        format!("{:.1} PB", v / 1024.0 / 1024.0)
    } else if max >= 1024.0 {
        format!("{:.1} TB", v / 1024.0)
    } else if max >= 1.0 {
        format!("{v:.1} GB")
    } else if max >= 1.0 / 1024.0 {
        format!("{:.1} MB", v * 1024.0)
    } else {
        format!("{:.1} KB", v * 1024.0 * 1024.0)
    }
}

/// Request rates of one prefix over time, in buckets: (bucket start [hours from the first
/// request], peak offered reads/s, peak offered writes/s, throttled attempts).
#[derive(Debug, Clone, PartialEq)]
pub struct RateLine {
    pub prefix: String,
    pub points: Vec<(f64, u64, u64, u64)>,
}

/// `request_rate_<workload>.png`: the busiest prefixes' peak requests per second over time against
/// the per-prefix limits (a log scale, so that quiet prefixes and the limits show together), a dot
/// per interval with requests, intervals with 503s marked.
pub fn request_rate(
    workload: &str,
    lines: &[RateLine],
    read_limit: u32,
    write_limit: u32,
    span_hours: f64,
) -> Result<Vec<u8>> {
    render(|root| {
        let (plot, side) = root.split_horizontally(WIDTH - 400);
        let max = lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1.max(p.2)))
            .max()
            .unwrap_or(0)
            .max(u64::from(read_limit)) as f64;
        let (unit, scale) = if span_hours > 72.0 {
            ("days", 24.0)
        } else if span_hours > 2.0 {
            ("hours", 1.0)
        } else {
            ("minutes", 1.0 / 60.0)
        };
        let x_end = (span_hours / scale).max(1e-9);
        let mut chart = ChartBuilder::on(&plot)
            .caption(
                format!("Peak requests per second, busiest prefixes: {workload}"),
                (FONT, 28, FontStyle::Bold),
            )
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..x_end, (0.8..max * 2.0).log_scale())
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(format!("{unit} since the first request"))
            .y_desc("requests per second (peak second of each interval, log scale)")
            .y_label_formatter(&|v| format!("{v:.0}"))
            .light_line_style(RGBColor(238, 238, 238))
            .label_style((FONT, 16))
            .draw()
            .map_err(err)?;
        let limit = |l: u32| vec![(0.0, f64::from(l)), (x_end, f64::from(l))];
        chart
            .draw_series(DashedLineSeries::new(
                limit(read_limit),
                12,
                8,
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_series(DashedLineSeries::new(
                limit(write_limit),
                4,
                6,
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        let mut entries = vec![
            (format!("read limit {read_limit}/s (dashed)"), BLACK),
            (format!("write limit {write_limit}/s (dotted)"), BLACK),
        ];
        for (i, l) in lines.iter().enumerate() {
            let c = color(i);
            let reads = l
                .points
                .iter()
                .filter(|p| p.1 > 0)
                .map(|p| Circle::new((p.0 / scale, p.1 as f64), 3, c.filled()));
            chart.draw_series(reads).map_err(err)?;
            let writes =
                l.points.iter().filter(|p| p.2 > 0).map(|p| {
                    TriangleMarker::new((p.0 / scale, p.2 as f64), 5, c.mix(0.6).filled())
                });
            chart.draw_series(writes).map_err(err)?;
            let name = if l.prefix.is_empty() {
                "(root)"
            } else {
                l.prefix.as_str()
            };
            entries.push((name.to_string(), c));
        }
        let red = RGBColor(220, 0, 0);
        let marks: Vec<(f64, f64)> = lines
            .iter()
            .flat_map(|l| {
                l.points
                    .iter()
                    .filter(|p| p.3 > 0)
                    .map(|p| (p.0 / scale, p.1.max(p.2).max(1) as f64))
            })
            .collect();
        if !marks.is_empty() {
            chart
                .draw_series(
                    marks
                        .into_iter()
                        .map(|p| Cross::new(p, 8, red.stroke_width(3))),
                )
                .map_err(err)?;
            entries.push(("503 Slow Down in the interval".to_string(), red));
        }
        legend(&side, "Prefix (dots reads, triangles writes)", &entries)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_money_is_readable() {
        assert_eq!(axis_usd(1215.0, 0), "$1,215");
        assert_eq!(axis_usd(12.5, 2), "$12.50");
        assert_eq!(axis_usd(0.005, usd_decimals(0.02)), "$0.0050");
        assert_eq!(axis_usd(-0.0, 2), "$0.00");
        assert_eq!(usd_decimals(0.0), 6);
    }
}
