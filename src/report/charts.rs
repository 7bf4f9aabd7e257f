//! PNG charts from the result tables. Text uses DejaVu Sans compiled into the binary, so a chart
//! renders the same on a machine with no fonts installed.
//!
//! Every chart draws its own axes, tick labels, legends and value labels (plotters' primitives on
//! a bitmap, no `ChartBuilder` mesh), so that every text is placed by measuring it with plotters'
//! own text size estimate and is recorded in the chart's [`Layout`]: what tests check for text
//! outside the image or overlapping another text.
//!
//! Colours: a fixed colour per storage class and tier in every chart ([`class_color`],
//! [`PALETTE`]); a policy keeps the colour of its index in the run ([`color`]) in every chart that
//! shows policies.
//!
//! Encoding: RGB with adaptive filtering and default zlib compression (an indexed-colour encoder
//! is ready behind [`INDEXED`]). Deterministic: the same inputs give byte-identical files.

use std::collections::HashMap;
use std::sync::Once;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Chart size [pixels].
pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 900;

const W: i32 = WIDTH as i32;
const H: i32 = HEIGHT as i32;

const FONT: &str = "sans-serif";

const INK: RGBColor = RGBColor(0, 0, 0);
/// Subtitles, axis descriptions.
const MUTED: RGBColor = RGBColor(70, 70, 70);
const GRID: RGBColor = RGBColor(225, 225, 225);
const AXIS: RGBColor = RGBColor(110, 110, 110);
/// Flags of the decision chart (a dark orange: readable on white, not confused with red-green).
pub const WARNING: RGBColor = RGBColor(190, 70, 0);
/// 503 Slow Down markers.
const THROTTLED: RGBColor = RGBColor(220, 0, 0);

/// Where a chart's texts and legend swatches are, in pixels of the image.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    /// Every text the chart draws, one per line of text.
    pub texts: Vec<TextBox>,
    /// Legend swatches filled with one colour: (series name, [x0, y0, x1, y1]).
    pub swatches: Vec<(String, [i32; 4])>,
}

/// One line of text and the box it is drawn in: [x0, y0, x1, y1] pixels, x1 and y1 exclusive.
/// The width is plotters' estimate of the text's advance; the height is the font size in pixels
/// (ascent plus descent of DejaVu Sans at that size, where every glyph's ink falls).
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub rect: [i32; 4],
}

/// A rendered chart: the PNG file and where its texts are.
#[derive(Debug, Clone)]
pub struct Chart {
    pub png: Vec<u8>,
    pub layout: Layout,
}

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

fn err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow!("chart: {e}")
}

// ---------------------------------------------------------------------------------------------
// Colours

/// A lighter, slightly greyed tint of `c`: half way to white (noncurrent versions).
const fn tint(c: RGBColor) -> RGBColor {
    RGBColor(
        c.0 + (255 - c.0) / 2,
        c.1 + (255 - c.1) / 2,
        c.2 + (255 - c.2) / 2,
    )
}

/// A darker shade of `c`: 60% of each channel (parts of unfinished multipart uploads).
const fn shade(c: RGBColor) -> RGBColor {
    RGBColor(
        (c.0 as u16 * 3 / 5) as u8,
        (c.1 as u16 * 3 / 5) as u8,
        (c.2 as u16 * 3 / 5) as u8,
    )
}

macro_rules! palette {
    ($($name:literal => ($r:literal, $g:literal, $b:literal)),* $(,)?) => {
        /// The colour of every storage class and tier, and of the storage chart's derived series,
        /// in every chart. Based on Okabe-Ito and Paul Tol's colour-blind-safe sets, in families
        /// from warm (data read often) to cold (archives):
        ///
        /// | series | colour | family |
        /// |---|---|---|
        /// | `STANDARD` | `#D55E00` vermillion | frequent access |
        /// | `STANDARD_IA` | `#E69F00` orange | infrequent access |
        /// | `ONEZONE_IA` | `#D7BE28` mustard | infrequent access |
        /// | `INTELLIGENT_TIERING_FREQUENT` | `#009E73` bluish green | Intelligent-Tiering: greens and teals |
        /// | `INTELLIGENT_TIERING_INFREQUENT` | `#8CC83C` yellow green | Intelligent-Tiering |
        /// | `INTELLIGENT_TIERING_ARCHIVE_INSTANT` | `#007878` teal | Intelligent-Tiering |
        /// | `INTELLIGENT_TIERING_ARCHIVE_ACCESS` | `#285A32` dark green | Intelligent-Tiering |
        /// | `INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS` | `#143C5A` dark slate blue | Intelligent-Tiering |
        /// | `GLACIER_IR` | `#56B4E9` sky blue | Glacier: blues, darker the colder |
        /// | `GLACIER` | `#005AAA` blue | Glacier |
        /// | `DEEP_ARCHIVE` | `#332288` indigo | Glacier |
        /// | `<CLASS> noncurrent` | the class colour half way to white | |
        /// | `<CLASS> upload parts` | the class colour at 60% brightness | |
        /// | `delete markers` | `#888888` grey | |
        ///
        /// Every two entries differ by a CIE76 colour difference of at least 10 (tested).
        pub const PALETTE: &[(&str, RGBColor)] = &[
            $(
                ($name, RGBColor($r, $g, $b)),
                (concat!($name, " noncurrent"), tint(RGBColor($r, $g, $b))),
                (concat!($name, " upload parts"), shade(RGBColor($r, $g, $b))),
            )*
            ("delete markers", RGBColor(136, 136, 136)),
        ];
    };
}

palette! {
    "STANDARD" => (213, 94, 0),
    "STANDARD_IA" => (230, 159, 0),
    "ONEZONE_IA" => (215, 190, 40),
    "INTELLIGENT_TIERING_FREQUENT" => (0, 158, 115),
    "INTELLIGENT_TIERING_INFREQUENT" => (140, 200, 60),
    "INTELLIGENT_TIERING_ARCHIVE_INSTANT" => (0, 120, 120),
    "INTELLIGENT_TIERING_ARCHIVE_ACCESS" => (40, 90, 50),
    "INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS" => (20, 60, 90),
    "GLACIER_IR" => (86, 180, 233),
    "GLACIER" => (0, 90, 170),
    "DEEP_ARCHIVE" => (51, 34, 136),
}

/// The colour of a storage class, tier or derived series (see [`PALETTE`]). A name not in the
/// palette: `<x> noncurrent` and `<x> upload parts` derive from `<x>`'s colour; anything else gets
/// one of a few spare purples and browns, picked by a hash of the name (stable across runs).
pub fn class_color(name: &str) -> RGBColor {
    if let Some((_, c)) = PALETTE.iter().find(|(n, _)| *n == name) {
        return *c;
    }
    if let Some(base) = name.strip_suffix(" noncurrent") {
        return tint(class_color(base));
    }
    if let Some(base) = name.strip_suffix(" upload parts") {
        return shade(class_color(base));
    }
    const SPARE: [RGBColor; 4] = [
        RGBColor(204, 121, 167),
        RGBColor(136, 34, 85),
        RGBColor(170, 68, 153),
        RGBColor(120, 60, 20),
    ];
    // FNV-1a: stable, unlike the standard library's hasher.
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    SPARE[(h % SPARE.len() as u64) as usize]
}

/// The colour of series `i`: a policy keeps the colour of its index in the run in every chart
/// (Tableau 10, then plotters' 99-colour palette).
pub fn color(i: usize) -> RGBColor {
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

// ---------------------------------------------------------------------------------------------
// Text measurement and fitting

fn font(size: i32, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    (FONT, f64::from(size), style).into_font()
}

/// The width of `s` in pixels at `size`: plotters' estimate (the sum of the glyph advances).
fn text_w(s: &str, size: i32, bold: bool) -> i32 {
    register_fonts();
    font(size, bold).box_size(s).map_or(0, |(w, _)| w as i32)
}

/// Text broken into lines that fit a width, and the font size they fit at.
#[derive(Debug, Clone, PartialEq)]
struct Fitted {
    lines: Vec<String>,
    size: i32,
}

impl Fitted {
    fn height(&self) -> i32 {
        let n = self.lines.len() as i32;
        n * self.size + (n - 1).max(0) * LINE_GAP
    }
}

const LINE_GAP: i32 = 2;

/// Fits `text` into `max_w` pixels: on one line at the largest size from `size` down to 2 less;
/// else on up to `max_lines` (1 or 2) lines broken after a space, `_`, `-`, `/` or `.` (or
/// anywhere, if it has none of them) at the largest size down to `min` that fits (for two lines;
/// one line shrinks instead); else, at `min`, the text's
/// beginning and end with `…` in place of the middle (on two lines: the first line its beginning,
/// the second `…` and its end), so that both ends of a long name stay legible.
fn fit(text: &str, max_w: i32, size: i32, min: i32, bold: bool, max_lines: usize) -> Fitted {
    let min = min.min(size);
    let one_line_min = if max_lines >= 2 {
        min.max(size - 2)
    } else {
        min
    };
    for s in (one_line_min..=size).rev() {
        if text_w(text, s, bold) <= max_w {
            return Fitted {
                lines: vec![text.to_string()],
                size: s,
            };
        }
    }
    let chars: Vec<char> = text.chars().collect();
    if max_lines >= 2 && chars.len() > 1 {
        let seps: Vec<usize> = (1..chars.len())
            .filter(|&i| " _-/.".contains(chars[i - 1]))
            .collect();
        let breaks: Vec<usize> = if seps.is_empty() {
            (1..chars.len()).collect()
        } else {
            seps
        };
        for s in (min..=size).rev() {
            let mut best: Option<(i32, String, String)> = None;
            for &i in &breaks {
                let a: String = chars[..i].iter().collect::<String>().trim_end().to_string();
                let b: String = chars[i..]
                    .iter()
                    .collect::<String>()
                    .trim_start()
                    .to_string();
                let (wa, wb) = (text_w(&a, s, bold), text_w(&b, s, bold));
                if wa <= max_w && wb <= max_w && best.as_ref().is_none_or(|x| wa.max(wb) < x.0) {
                    best = Some((wa.max(wb), a, b));
                }
            }
            if let Some((_, a, b)) = best {
                return Fitted {
                    lines: vec![a, b],
                    size: s,
                };
            }
        }
        // The beginning on the first line, `…` and the end on the second.
        let head = (0..=chars.len())
            .rev()
            .find(|&k| text_w(&chars[..k].iter().collect::<String>(), min, bold) <= max_w)
            .unwrap_or(0);
        let tail = (0..=chars.len() - head)
            .rev()
            .find(|&k| {
                let t: String = std::iter::once('…')
                    .chain(chars[chars.len() - k..].iter().copied())
                    .collect();
                text_w(&t, min, bold) <= max_w
            })
            .unwrap_or(0);
        return Fitted {
            lines: vec![
                chars[..head].iter().collect(),
                std::iter::once('…')
                    .chain(chars[chars.len() - tail..].iter().copied())
                    .collect(),
            ],
            size: min,
        };
    }
    // One line: the beginning, `…`, the end.
    let middle = |k: usize| -> String {
        let head = k.div_ceil(2);
        let tail = k / 2;
        chars[..head]
            .iter()
            .chain(std::iter::once(&'…'))
            .chain(chars[chars.len() - tail..].iter())
            .collect()
    };
    let k = (0..chars.len())
        .rev()
        .find(|&k| text_w(&middle(k), min, bold) <= max_w)
        .unwrap_or(0);
    Fitted {
        lines: vec![middle(k)],
        size: min,
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers

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

/// Digits after the point for money labels on an axis up to `max`: whole dollars from $100,
/// cents from $0.10, else enough to tell the ticks apart.
/// The box [x0, y0, x1, y1] of one line of text aligned to (`x`, `y`).
fn text_box(s: &str, x: i32, y: i32, size: i32, bold: bool, h: HAlign, v: VAlign) -> [i32; 4] {
    let w = text_w(s, size, bold);
    let x0 = match h {
        HAlign::Left => x,
        HAlign::Center => x - w / 2,
        HAlign::Right => x - w,
    };
    let y0 = match v {
        VAlign::Top => y,
        VAlign::Center => y - size / 2,
        VAlign::Bottom => y - size,
    };
    [x0, y0, x0 + w, y0 + size]
}

#[cfg(test)]
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

/// The fewest decimals from `min` up to `max` at which `values` that differ print differently
/// under `fmt` (values that are equal may print equally); `max` if none does.
fn distinct_decimals(
    values: &[f64],
    min: usize,
    max: usize,
    fmt: &dyn Fn(f64, usize) -> String,
) -> usize {
    (min..=max)
        .find(|&d| {
            let labels: Vec<String> = values.iter().map(|v| fmt(*v, d)).collect();
            values.iter().enumerate().all(|(i, a)| {
                values[i + 1..]
                    .iter()
                    .zip(&labels[i + 1..])
                    .all(|(b, lb)| a == b || labels[i] != *lb)
            })
        })
        .unwrap_or(max)
}

/// Money labels for bar values: cents, or up to 4 decimals where distinct values would
/// otherwise print the same.
fn distinct_usd(values: &[f64]) -> (Vec<String>, usize) {
    let d = distinct_decimals(values, 2, 4, &|v, d| axis_usd(v, d));
    (values.iter().map(|v| axis_usd(*v, d)).collect(), d)
}

/// A "nice" step (1, 2 or 5 times a power of ten) for about `target` ticks over `range`.
fn nice_step(range: f64, target: f64) -> f64 {
    let raw = (range / target).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    let r = raw / mag;
    let m = if r <= 1.0 + 1e-9 {
        1.0
    } else if r <= 2.0 + 1e-9 {
        2.0
    } else if r <= 5.0 + 1e-9 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Digits after the point that show multiples of `step` exactly.
fn step_decimals(step: f64) -> usize {
    let mut d = 0;
    while d < 9
        && ((step * 10f64.powi(d as i32)).round() - step * 10f64.powi(d as i32)).abs() > 1e-6
    {
        d += 1;
    }
    d
}

/// Ticks from 0 to at least `max` (a "nice" top), about 6 of them: (top, values).
fn value_ticks(max: f64) -> (f64, Vec<f64>) {
    let max = if max > 0.0 && max.is_finite() {
        max
    } else {
        1.0
    };
    let step = nice_step(max * 1.05, 6.0);
    let n = (max * 1.05 / step).ceil().max(1.0) as usize;
    (step * n as f64, (0..=n).map(|i| step * i as f64).collect())
}

/// Money tick labels: whole dollars for steps of a dollar or more, else the step's decimals (at
/// least cents).
fn usd_ticks(max: f64) -> (f64, Vec<(f64, String)>) {
    let (top, ticks) = value_ticks(max);
    let step = ticks.get(1).copied().unwrap_or(top);
    let d = if step >= 1.0 {
        0
    } else {
        step_decimals(step).max(2)
    };
    (
        top,
        ticks.into_iter().map(|v| (v, axis_usd(v, d))).collect(),
    )
}

/// GB tick labels in the unit that suits `max` GB (one unit for the whole axis).
fn gb_ticks(max: f64) -> (f64, Vec<(f64, String)>) {
    let max = if max > 0.0 && max.is_finite() {
        max
    } else {
        1.0
    };
    let (unit, per) = if max >= 1024.0 * 1024.0 {
        ("PB", 1024.0 * 1024.0)
    } else if max >= 1024.0 {
        ("TB", 1024.0)
    } else if max >= 1.0 {
        ("GB", 1.0)
    } else if max >= 1.0 / 1024.0 {
        ("MB", 1.0 / 1024.0)
    } else {
        ("KB", 1.0 / 1024.0 / 1024.0)
    };
    let (top, ticks) = value_ticks(max / per);
    let step = ticks.get(1).copied().unwrap_or(top);
    let d = step_decimals(step);
    (
        top * per,
        ticks
            .into_iter()
            .map(|v| (v * per, format!("{v:.d$} {unit}")))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// Drawing with a layout record

#[derive(Clone, Copy, PartialEq)]
enum HAlign {
    Left,
    Center,
    Right,
}

#[derive(Clone, Copy, PartialEq)]
enum VAlign {
    Top,
    Center,
    Bottom,
}

/// Plotters draws a glyph's baseline `size / 2` below the top of its layout box and the glyphs'
/// ink from `0.8 * size` above the baseline (DejaVu's ascent at ab_glyph's pixel scale) to
/// `0.2 * size` below it: the ink starts `0.3 * size` above the box's top.
fn ink_above(size: i32) -> i32 {
    (size * 3 + 5) / 10
}

struct Canvas<'a, 'b> {
    root: &'a DrawingArea<BitMapBackend<'b>, Shift>,
    layout: Layout,
    /// Every colour drawn with, first used first: kept exactly in the PNG's palette.
    colors: Vec<RGBColor>,
}

impl Canvas<'_, '_> {
    fn use_color(&mut self, c: RGBColor) -> RGBColor {
        if !self.colors.contains(&c) {
            self.colors.push(c);
        }
        c
    }

    /// Draws one line of text aligned to (`x`, `y`) and records its box.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        s: &str,
        x: i32,
        y: i32,
        size: i32,
        bold: bool,
        c: RGBColor,
        h: HAlign,
        v: VAlign,
    ) -> Result<[i32; 4]> {
        let [x0, y0, x1, y1] = text_box(s, x, y, size, bold, h, v);
        let c = self.use_color(c);
        self.root
            .draw(&Text::new(
                s.to_string(),
                (x0, y0 + ink_above(size)),
                TextStyle::from(font(size, bold))
                    .color(&c)
                    .pos(Pos::new(HPos::Left, VPos::Top)),
            ))
            .map_err(err)?;
        let rect = [x0, y0, x1, y1];
        self.layout.texts.push(TextBox {
            text: s.to_string(),
            rect,
        });
        Ok(rect)
    }

    /// Draws one line of text like [`Canvas::text`] on a white box 2 pixels larger than the
    /// text's (for texts over grid lines and markers).
    #[allow(clippy::too_many_arguments)]
    fn text_on_white(
        &mut self,
        s: &str,
        x: i32,
        y: i32,
        size: i32,
        bold: bool,
        c: RGBColor,
        h: HAlign,
        v: VAlign,
    ) -> Result<[i32; 4]> {
        let [x0, y0, x1, y1] = text_box(s, x, y, size, bold, h, v);
        self.fill([x0 - 2, y0 - 2, x1 + 2, y1 + 2], WHITE)?;
        self.text(s, x, y, size, bold, c, h, v)
    }

    /// Draws fitted lines as a block aligned to (`x`, `y`).
    #[allow(clippy::too_many_arguments)]
    fn lines(
        &mut self,
        f: &Fitted,
        x: i32,
        y: i32,
        bold: bool,
        c: RGBColor,
        h: HAlign,
        v: VAlign,
    ) -> Result<()> {
        self.block(f, x, y, bold, c, h, v, false)
    }

    /// [`Canvas::lines`] on white boxes.
    #[allow(clippy::too_many_arguments)]
    fn lines_on_white(
        &mut self,
        f: &Fitted,
        x: i32,
        y: i32,
        bold: bool,
        c: RGBColor,
        h: HAlign,
        v: VAlign,
    ) -> Result<()> {
        self.block(f, x, y, bold, c, h, v, true)
    }

    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        f: &Fitted,
        x: i32,
        y: i32,
        bold: bool,
        c: RGBColor,
        h: HAlign,
        v: VAlign,
        on_white: bool,
    ) -> Result<()> {
        let top = match v {
            VAlign::Top => y,
            VAlign::Center => y - f.height() / 2,
            VAlign::Bottom => y - f.height(),
        };
        for (i, l) in f.lines.iter().enumerate() {
            let ly = top + i as i32 * (f.size + LINE_GAP);
            if on_white {
                self.text_on_white(l, x, ly, f.size, bold, c, h, VAlign::Top)?;
            } else {
                self.text(l, x, ly, f.size, bold, c, h, VAlign::Top)?;
            }
        }
        Ok(())
    }

    fn fill(&mut self, r: [i32; 4], c: RGBColor) -> Result<()> {
        let c = self.use_color(c);
        self.root
            .draw(&Rectangle::new([(r[0], r[1]), (r[2], r[3])], c.filled()))
            .map_err(err)
    }

    fn line(&mut self, pts: Vec<(i32, i32)>, c: RGBColor, width: u32) -> Result<()> {
        let c = self.use_color(c);
        self.root
            .draw(&PathElement::new(pts, c.stroke_width(width)))
            .map_err(err)
    }

    /// A dashed straight line from `a` to `b`: `dash` pixels drawn, `gap` left out.
    fn dashed(
        &mut self,
        a: (i32, i32),
        b: (i32, i32),
        dash: i32,
        gap: i32,
        c: RGBColor,
        width: u32,
    ) -> Result<()> {
        let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        let len = dx.hypot(dy);
        if len < 1.0 {
            return Ok(());
        }
        let mut t = 0.0;
        while t < len {
            let e = (t + f64::from(dash)).min(len);
            let p = |t: f64| {
                (
                    a.0 + (dx * t / len).round() as i32,
                    a.1 + (dy * t / len).round() as i32,
                )
            };
            self.line(vec![p(t), p(e)], c, width)?;
            t += f64::from(dash + gap);
        }
        Ok(())
    }

    fn polygon(&mut self, pts: Vec<(i32, i32)>, c: RGBColor) -> Result<()> {
        let c = self.use_color(c);
        self.root.draw(&Polygon::new(pts, c.filled())).map_err(err)
    }

    fn circle(&mut self, p: (i32, i32), r: i32, c: RGBColor, fill: bool, width: u32) -> Result<()> {
        let c = self.use_color(c);
        let style = if fill {
            c.filled()
        } else {
            c.stroke_width(width)
        };
        self.root
            .draw(&Circle::new(p, r.max(1) as u32, style))
            .map_err(err)
    }

    fn triangle(&mut self, p: (i32, i32), r: i32, c: RGBColor) -> Result<()> {
        let c = self.use_color(c);
        self.root
            .draw(&Polygon::new(
                vec![
                    (p.0, p.1 - r),
                    (p.0 + r, p.1 + r * 3 / 4),
                    (p.0 - r, p.1 + r * 3 / 4),
                ],
                c.filled(),
            ))
            .map_err(err)
    }
}

/// Renders with `draw` on a white WIDTH x HEIGHT canvas and encodes it as PNG.
fn render(draw: impl FnOnce(&mut Canvas) -> Result<()>) -> Result<Chart> {
    render_sized(HEIGHT, draw)
}

/// The height of the decision chart for `n` policies: 70 pixels a row plus the title and the
/// axis, from 360 to HEIGHT (so a few policies do not fill a page).
pub fn decision_height(n: usize) -> u32 {
    (166 + 70 * n as u32).clamp(360, HEIGHT)
}

/// Renders with `draw` on a white WIDTH x `height` canvas and encodes it as PNG.
fn render_sized(height: u32, draw: impl FnOnce(&mut Canvas) -> Result<()>) -> Result<Chart> {
    register_fonts();
    let mut rgb = vec![255u8; (WIDTH * height * 3) as usize];
    let (layout, colors) = {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, height)).into_drawing_area();
        let mut cv = Canvas {
            root: &root,
            layout: Layout::default(),
            colors: vec![WHITE],
        };
        draw(&mut cv)?;
        let out = (cv.layout, cv.colors);
        root.present().map_err(err)?;
        out
    };
    Ok(Chart {
        png: encode_png(&rgb, WIDTH, height, &colors)?,
        layout,
    })
}

/// Whether charts are indexed-colour PNGs: 1.18 MB for the bundled report against 2.18 MB as
/// RGB, in the same time (0.56 s against 0.52 s for `s3sim run`), with antialiased text
/// quantized to its most frequent shades (legible). Off because the `decode` helper of
/// `tests/report.rs` reads three bytes per pixel without expanding a palette; once it sets
/// `png::Transformations::EXPAND`, this can be turned on.
const INDEXED: bool = false;

/// The PNG of an RGB image: adaptive filtering (per row, the filter the encoder estimates
/// smallest) and default zlib compression (`Best` saves another 9% for four times the time:
/// 1.98 MB against 2.18 MB for the bundled report, 2.6 s against 0.5 s); indexed colour if
/// [`INDEXED`] (see [`encode_indexed`]). Deterministic.
fn encode_png(rgb: &[u8], width: u32, height: u32, keep: &[RGBColor]) -> Result<Vec<u8>> {
    if INDEXED {
        return encode_indexed(rgb, width, height, keep);
    }
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Default);
        enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut w = enc.write_header()?;
        w.write_image_data(rgb)?;
    }
    Ok(png)
}

/// An indexed-colour PNG of `rgb`: a palette of the colours in `keep` (those in the image), then
/// the most frequent other colours (antialiased text) up to 256; a pixel of any other colour
/// takes its nearest palette colour. Default compression, no filter (the usual best for indexed
/// images). Deterministic: ties in frequency go to the smaller colour value.
fn encode_indexed(rgb: &[u8], width: u32, height: u32, keep: &[RGBColor]) -> Result<Vec<u8>> {
    let key = |p: &[u8]| (u32::from(p[0]) << 16) | (u32::from(p[1]) << 8) | u32::from(p[2]);
    // Runs of one colour counted at once: most of a chart is runs of white or of a fill.
    let mut counts: HashMap<u32, u32> = HashMap::new();
    let mut run = (u32::MAX, 0u32);
    for p in rgb.chunks_exact(3) {
        let k = key(p);
        if k == run.0 {
            run.1 += 1;
        } else {
            if run.1 > 0 {
                *counts.entry(run.0).or_insert(0) += run.1;
            }
            run = (k, 1);
        }
    }
    if run.1 > 0 {
        *counts.entry(run.0).or_insert(0) += run.1;
    }
    let mut palette: Vec<u32> = Vec::new();
    for c in keep {
        let k = key(&[c.0, c.1, c.2]);
        if counts.contains_key(&k) && !palette.contains(&k) && palette.len() < 256 {
            palette.push(k);
        }
    }
    let mut rest: Vec<(u32, u32)> = counts
        .iter()
        .filter(|(k, _)| !palette.contains(k))
        .map(|(k, n)| (*k, *n))
        .collect();
    rest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (k, _) in &rest {
        if palette.len() >= 256 {
            break;
        }
        palette.push(*k);
    }
    let rgb_of = |k: u32| [(k >> 16) as i32, ((k >> 8) & 255) as i32, (k & 255) as i32];
    let mut index: HashMap<u32, u8> = palette
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, i as u8))
        .collect();
    let mut data = Vec::with_capacity((width * height) as usize);
    let mut last: Option<(u32, u8)> = None;
    for p in rgb.chunks_exact(3) {
        let k = key(p);
        if let Some((lk, li)) = last
            && lk == k
        {
            data.push(li);
            continue;
        }
        let i = match index.get(&k) {
            Some(i) => *i,
            None => {
                let c = rgb_of(k);
                let (i, _) = palette
                    .iter()
                    .enumerate()
                    .map(|(i, q)| {
                        let q = rgb_of(*q);
                        let d = 3 * (c[0] - q[0]).pow(2)
                            + 4 * (c[1] - q[1]).pow(2)
                            + 2 * (c[2] - q[2]).pow(2);
                        (i, d)
                    })
                    .min_by_key(|x| (x.1, x.0))
                    .expect("the palette holds white at least");
                index.insert(k, i as u8);
                i as u8
            }
        };
        last = Some((k, i));
        data.push(i);
    }
    let plte: Vec<u8> = palette
        .iter()
        .flat_map(|k| {
            let c = rgb_of(*k);
            [c[0] as u8, c[1] as u8, c[2] as u8]
        })
        .collect();
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, width, height);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(plte);
        enc.set_compression(png::Compression::Default);
        enc.set_filter(png::FilterType::NoFilter);
        let mut w = enc.write_header()?;
        w.write_image_data(&data)?;
    }
    Ok(png)
}

/// The chart's title (bold, up to two lines) and subtitle (the period) from `y` across
/// `x0..x1`, centred; returns the y below them.
fn header(cv: &mut Canvas, x0: i32, x1: i32, y: i32, title: &str, subtitle: &str) -> Result<i32> {
    let w = x1 - x0;
    let t = fit(title, w, 26, 18, true, 2);
    cv.lines(&t, (x0 + x1) / 2, y, true, INK, HAlign::Center, VAlign::Top)?;
    let mut y = y + t.height() + 6;
    if !subtitle.is_empty() {
        let s = fit(subtitle, w, 17, 12, false, 1);
        cv.lines(
            &s,
            (x0 + x1) / 2,
            y,
            false,
            MUTED,
            HAlign::Center,
            VAlign::Top,
        )?;
        y += s.height();
    }
    Ok(y + 10)
}

/// How a legend entry shows its series.
#[derive(Clone, Copy)]
enum Mark {
    /// A filled swatch (recorded in the layout).
    Fill(RGBColor),
    /// A line sample: dash and gap lengths (no gap: solid), with a dot in the middle if `dot`.
    Line(RGBColor, i32, i32, bool),
    /// A ring (503 markers).
    Ring(RGBColor),
}

/// A legend in `[x0, y0, x1, y1]`: a bold title, then a row per entry (a mark and the name,
/// fitted to the column: shrunk, then wrapped onto two lines, never cut to a prefix). Rows are
/// `step` pixels apart (30 when they fit, fewer for many entries), taller where a name wraps; the
/// font shrinks until every row fits in the area.
fn legend(cv: &mut Canvas, area: [i32; 4], title: &str, entries: &[(String, Mark)]) -> Result<()> {
    let [x0, y0, x1, y1] = area;
    let t = fit(title, x1 - x0 - 20, 18, 11, true, 2);
    cv.lines(&t, x0 + 10, y0 + 10, true, INK, HAlign::Left, VAlign::Top)?;
    let first = y0 + 10 + t.height() + 18;
    let n = entries.len().max(1) as i32;
    let text_x = x0 + 42;
    let avail = x1 - text_x - 6;
    let mut step = ((y1 - first - 6) / n).clamp(12, 30);
    let mut size = (step - 6).clamp(10, 16);
    let mut shown = entries.len();
    let rows = loop {
        let fitted: Vec<Fitted> = entries
            .iter()
            .map(|(name, _)| fit(name, avail, size, (size - 4).max(9), false, 2))
            .collect();
        let heights: Vec<i32> = fitted.iter().map(|f| step.max(f.height() + 4)).collect();
        let total: i32 = heights.iter().sum();
        if first - step / 2 + total <= y1 - 4 || (step <= 12 && size <= 9) {
            if first - step / 2 + total > y1 - 4 {
                // Too many entries for the area even at the smallest size: show what fits and
                // say how many are left out.
                let mut acc = 0;
                shown = heights
                    .iter()
                    .take_while(|h| {
                        acc += **h;
                        first - step / 2 + acc + step <= y1 - 4
                    })
                    .count();
            }
            break fitted.into_iter().zip(heights).collect::<Vec<_>>();
        }
        if step > 12 {
            step -= 1;
            size = (step - 6).clamp(10, size);
        } else {
            size -= 1;
        }
    };
    let mut top = first - step / 2;
    for ((name, mark), (f, h)) in entries.iter().zip(&rows).take(shown) {
        let c = top + h / 2;
        let sh = size.clamp(8, 16);
        let sw = [x0 + 10, c - sh / 2, x0 + 35, c - sh / 2 + sh];
        match *mark {
            Mark::Fill(col) => {
                cv.fill(sw, col)?;
                cv.layout.swatches.push((name.clone(), sw));
            }
            Mark::Line(col, dash, gap, dot) => {
                if gap == 0 {
                    cv.line(vec![(sw[0], c), (sw[2], c)], col, 3)?;
                } else {
                    cv.dashed((sw[0], c), (sw[2], c), dash, gap, col, 2)?;
                }
                if dot {
                    cv.circle(((sw[0] + sw[2]) / 2, c), 4, col, true, 1)?;
                }
            }
            Mark::Ring(col) => {
                cv.circle(((sw[0] + sw[2]) / 2, c), (sh / 2).max(4), col, false, 2)?;
            }
        }
        cv.lines(f, text_x, c, false, INK, HAlign::Left, VAlign::Center)?;
        top += h;
    }
    if shown < entries.len() {
        let s = fit(
            &format!("… and {} more", entries.len() - shown),
            avail,
            size,
            9,
            false,
            1,
        );
        cv.lines(
            &s,
            text_x,
            top + step / 2,
            false,
            MUTED,
            HAlign::Left,
            VAlign::Center,
        )?;
    }
    Ok(())
}

/// A plot area in pixels and the data ranges it shows; `log`: the y axis is logarithmic.
struct Frame {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
    xmin: f64,
    xmax: f64,
    ymin: f64,
    ymax: f64,
    log: bool,
}

impl Frame {
    fn px(&self, x: f64) -> i32 {
        let t = (x - self.xmin) / (self.xmax - self.xmin);
        self.x0 + (t * f64::from(self.x1 - self.x0)).round() as i32
    }

    fn py(&self, y: f64) -> i32 {
        let t = if self.log {
            (y.max(self.ymin).ln() - self.ymin.ln()) / (self.ymax.ln() - self.ymin.ln())
        } else {
            (y - self.ymin) / (self.ymax - self.ymin)
        };
        self.y1 - (t.clamp(0.0, 1.0) * f64::from(self.y1 - self.y0)).round() as i32
    }
}

const TICK: i32 = 15;

/// The width of the widest tick label.
fn labels_w(ticks: &[(f64, String)]) -> i32 {
    ticks
        .iter()
        .map(|(_, s)| text_w(s, TICK, false))
        .max()
        .unwrap_or(0)
}

/// Horizontal grid lines and labels at the y ticks, the axis description above the axis (left
/// aligned with the labels, one line).
fn y_axis(
    cv: &mut Canvas,
    f: &Frame,
    ticks: &[(f64, String)],
    desc: &str,
    desc_y: i32,
) -> Result<()> {
    for (v, label) in ticks {
        let y = f.py(*v);
        cv.line(vec![(f.x0, y), (f.x1, y)], GRID, 1)?;
        cv.line(vec![(f.x0 - 5, y), (f.x0, y)], AXIS, 1)?;
        cv.text(
            label,
            f.x0 - 8,
            y,
            TICK,
            false,
            INK,
            HAlign::Right,
            VAlign::Center,
        )?;
    }
    let left = f.x0 - 8 - labels_w(ticks);
    let d = fit(desc, W - 20 - left, 15, 11, false, 1);
    cv.lines(
        &d,
        left.max(10),
        desc_y,
        false,
        MUTED,
        HAlign::Left,
        VAlign::Top,
    )?;
    Ok(())
}

/// The plot's frame lines (left and bottom axes).
fn axes(cv: &mut Canvas, f: &Frame) -> Result<()> {
    cv.line(vec![(f.x0, f.y0), (f.x0, f.y1), (f.x1, f.y1)], AXIS, 1)
}

/// The month labels under a month axis: every `k`-th month, `k` (1, 2, 3, 4, 6, 12, 24, ...) the
/// smallest at which the widest label and a 12-pixel gap fit between two labelled months; the
/// description centred below.
fn x_axis_months(cv: &mut Canvas, f: &Frame, months: &[String], desc: &str) -> Result<()> {
    let n = months.len();
    let widest = months
        .iter()
        .map(|m| text_w(m, TICK, false))
        .max()
        .unwrap_or(0);
    let per = f64::from(f.x1 - f.x0) / (f.xmax - f.xmin);
    let k = [1, 2, 3, 4, 6, 12]
        .into_iter()
        .chain((2..).map(|y| 12 * y))
        .find(|&k| per * k as f64 >= f64::from(widest + 12))
        .unwrap_or(1);
    for (m, label) in months.iter().enumerate() {
        let x = f.px(m as f64);
        cv.line(vec![(x, f.y1), (x, f.y1 + 5)], AXIS, 1)?;
        if m % k == 0 {
            cv.line(vec![(x, f.y0), (x, f.y1)], GRID, 1)?;
            cv.text(
                label,
                x,
                f.y1 + 8,
                TICK,
                false,
                INK,
                HAlign::Center,
                VAlign::Top,
            )?;
        }
    }
    let _ = n;
    let d = fit(desc, f.x1 - f.x0, 15, 11, false, 1);
    cv.lines(
        &d,
        (f.x0 + f.x1) / 2,
        f.y1 + 34,
        false,
        MUTED,
        HAlign::Center,
        VAlign::Top,
    )
}

/// Numeric x tick labels (vertical grid lines) and the description centred below.
fn x_axis_values(cv: &mut Canvas, f: &Frame, ticks: &[(f64, String)], desc: &str) -> Result<()> {
    for (v, label) in ticks {
        let x = f.px(*v);
        cv.line(vec![(x, f.y0), (x, f.y1)], GRID, 1)?;
        cv.line(vec![(x, f.y1), (x, f.y1 + 5)], AXIS, 1)?;
        cv.text(
            label,
            x,
            f.y1 + 8,
            TICK,
            false,
            INK,
            HAlign::Center,
            VAlign::Top,
        )?;
    }
    if !desc.is_empty() {
        let d = fit(desc, f.x1 - f.x0, 15, 11, false, 1);
        cv.lines(
            &d,
            (f.x0 + f.x1) / 2,
            f.y1 + 34,
            false,
            MUTED,
            HAlign::Center,
            VAlign::Top,
        )?;
    }
    Ok(())
}

/// Ticks for an x axis from 0 to `max` whose labels fit side by side in `width` pixels: the
/// "nice" step with the most ticks (up to 10) at which every label and a 16-pixel gap fit.
fn x_ticks(max: f64, width: i32, label: &dyn Fn(f64, usize) -> String) -> Vec<(f64, String)> {
    let max = if max > 0.0 && max.is_finite() {
        max
    } else {
        1.0
    };
    let mut target = 10.0;
    loop {
        let step = nice_step(max, target);
        let d = step_decimals(step);
        let n = (max / step + 1e-9).floor() as usize;
        let ticks: Vec<(f64, String)> = (0..=n)
            .map(|i| step * i as f64)
            .map(|v| (v, label(v, d)))
            .collect();
        let per = f64::from(width) * step / max;
        if target <= 2.0
            || ticks
                .iter()
                .all(|(_, s)| f64::from(text_w(s, TICK, false) + 16) <= per)
        {
            return ticks;
        }
        target -= 1.0;
    }
}

// ---------------------------------------------------------------------------------------------
// Charts

/// One bar of the cost chart: a policy's total split by component.
#[derive(Debug, Clone, PartialEq)]
pub struct CostBar {
    pub workload: String,
    pub policy: String,
    /// Dollars by component, in the order of `COMPONENTS`.
    pub parts: [f64; 7],
}

/// The components stacked in the cost chart (colours `color(0)` to `color(6)`).
pub const COMPONENTS: [&str; 7] = [
    "storage",
    "requests",
    "transitions",
    "retrieval",
    "early deletion",
    "monitoring",
    "egress",
];

/// Left column of bar charts: policy names, right aligned.
const NAME_COL: i32 = 260;

/// `cost_by_policy.png`: one panel per workload (captioned with the workload and its period from
/// `periods`, pairs of (workload, period)), a horizontal bar per policy stacked by component,
/// cheapest at the top, its total at the end of the bar (more decimals where two totals would
/// otherwise print the same).
pub fn cost_by_policy(bars: &[CostBar], periods: &[(String, String)]) -> Result<Chart> {
    let mut workloads: Vec<&str> = Vec::new();
    for b in bars {
        if !workloads.contains(&b.workload.as_str()) {
            workloads.push(&b.workload);
        }
    }
    render(|cv| {
        let legend_x = W - 240;
        let top = header(
            cv,
            20,
            legend_x - 20,
            12,
            "Total cost by policy (cheapest first), stacked by component",
            "",
        )?;
        let entries: Vec<(String, Mark)> = COMPONENTS
            .iter()
            .enumerate()
            .map(|(i, c)| (c.to_string(), Mark::Fill(color(i))))
            .collect();
        legend(cv, [legend_x, 0, W, H], "Component", &entries)?;
        let bottom = H - 30;
        let desc = "USD over each workload's simulated period";
        cv.text(
            desc,
            (20 + NAME_COL + legend_x - 30) / 2,
            bottom + 6,
            15,
            false,
            MUTED,
            HAlign::Center,
            VAlign::Top,
        )?;
        let nw = workloads.len().max(1) as i32;
        let panel_h = (bottom - top) / nw;
        for (wi, w) in workloads.iter().enumerate() {
            let py0 = top + wi as i32 * panel_h;
            let period = periods
                .iter()
                .find(|(pw, _)| pw == w)
                .map_or("", |(_, p)| p.as_str());
            let caption = if period.is_empty() {
                format!("workload {w}")
            } else {
                format!("workload {w}, {period}")
            };
            let cap = fit(&caption, legend_x - 40 - NAME_COL, 18, 12, false, 1);
            cv.lines(
                &cap,
                (20 + NAME_COL + legend_x - 30) / 2,
                py0,
                false,
                INK,
                HAlign::Center,
                VAlign::Top,
            )?;
            let mut rows: Vec<&CostBar> = bars.iter().filter(|b| b.workload == *w).collect();
            let total = |b: &CostBar| b.parts.iter().sum::<f64>();
            // Equal totals keep the run's order (`none` first when it is in the run), so a policy
            // that did nothing is not ranked above the baseline by its name.
            rows.sort_by(|a, b| total(a).total_cmp(&total(b)));
            let values: Vec<f64> = rows.iter().map(|b| total(b)).collect();
            let (labels, _) = distinct_usd(&values);
            let fy0 = py0 + cap.height() + 6;
            let fy1 = py0 + panel_h - 28;
            let n = rows.len().max(1) as i32;
            let row_h = f64::from(fy1 - fy0) / f64::from(n);
            let size = ((row_h - 3.0) as i32).clamp(7, 15);
            let plot_x0 = 20 + NAME_COL;
            let plot_x1 = legend_x - 30;
            // The scale leaves room for every total after its bar.
            let widths: Vec<i32> = labels.iter().map(|l| text_w(l, size, false) + 8).collect();
            let max = values.iter().copied().fold(0.0, f64::max);
            let mut scale = f64::INFINITY;
            for (v, lw) in values.iter().zip(&widths) {
                if *v > 0.0 {
                    scale = scale.min(f64::from(plot_x1 - plot_x0 - lw) / v);
                }
            }
            let xmax = if scale.is_finite() && scale > 0.0 {
                f64::from(plot_x1 - plot_x0) / scale
            } else {
                top_of(max)
            };
            let f = Frame {
                x0: plot_x0,
                y0: fy0,
                x1: plot_x1,
                y1: fy1,
                xmin: 0.0,
                xmax,
                ymin: 0.0,
                ymax: 1.0,
                log: false,
            };
            let ticks = x_ticks(xmax, plot_x1 - plot_x0, &usd_tick);
            x_axis_values(cv, &f, &ticks, "")?;
            let thickness = (row_h * 0.36).max(1.0);
            for (i, b) in rows.iter().enumerate() {
                let yc = fy0 + (row_h * (i as f64 + 0.5)).round() as i32;
                let mut x = 0.0;
                for (k, part) in b.parts.iter().enumerate() {
                    if *part > 0.0 {
                        let (a, e) = (f.px(x), f.px(x + part));
                        if e > a {
                            cv.fill(
                                [a, yc - thickness as i32, e, yc + thickness as i32],
                                color(k),
                            )?;
                        }
                        x += part;
                    }
                }
                let name = fit(&b.policy, NAME_COL - 14, size, (size - 3).max(7), false, 1);
                cv.lines(
                    &name,
                    plot_x0 - 8,
                    yc,
                    false,
                    INK,
                    HAlign::Right,
                    VAlign::Center,
                )?;
                cv.text_on_white(
                    &labels[i],
                    f.px(x) + 6,
                    yc,
                    size,
                    false,
                    INK,
                    HAlign::Left,
                    VAlign::Center,
                )?;
            }
            axes(cv, &f)?;
        }
        Ok(())
    })
}

/// A money tick label: whole dollars for whole steps, else at least cents.
fn usd_tick(v: f64, step_decimals: usize) -> String {
    axis_usd(
        v,
        if step_decimals == 0 {
            0
        } else {
            step_decimals.max(2)
        },
    )
}

/// An axis top for values up to `max`: a little above it, never empty.
fn top_of(max: f64) -> f64 {
    if max > 0.0 { max * 1.1 } else { 1.0 }
}

/// A plot frame over months `0..n` (at whole x positions) and values `0..top` in
/// `[x0, y0, x1, y1]` minus the y labels' width on the left and the month labels below.
fn month_frame(area: [i32; 4], n: usize, ticks: &[(f64, String)], top: f64) -> Frame {
    let [x0, y0, x1, y1] = area;
    let lw = labels_w(ticks);
    Frame {
        x0: x0 + lw + 14,
        y0,
        x1,
        y1: y1 - 56,
        xmin: -0.5,
        xmax: n.max(1) as f64 - 0.5,
        ymin: 0.0,
        ymax: top,
        log: false,
    }
}

/// `monthly_cost_<workload>.png`: cost per month, a line per policy (policy `i` in `color(i)`).
pub fn monthly_cost(
    workload: &str,
    period: &str,
    months: &[String],
    lines: &[(String, Vec<f64>)],
) -> Result<Chart> {
    render(|cv| {
        let legend_x = W - 320;
        let y = header(
            cv,
            20,
            legend_x - 20,
            12,
            &format!("Monthly cost by policy: workload {workload}"),
            period,
        )?;
        let max = lines
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .fold(0.0, f64::max);
        let (top, ticks) = usd_ticks(max);
        let f = month_frame(
            [20, y + 28, legend_x - 30, H - 10],
            months.len(),
            &ticks,
            top,
        );
        y_axis(cv, &f, &ticks, "USD per month", y)?;
        x_axis_months(cv, &f, months, "month (UTC)")?;
        axes(cv, &f)?;
        let mut entries = Vec::new();
        for (i, (policy, v)) in lines.iter().enumerate() {
            let c = color(i);
            let pts: Vec<(i32, i32)> = v
                .iter()
                .enumerate()
                .map(|(m, y)| (f.px(m as f64), f.py(*y)))
                .collect();
            if pts.len() > 1 {
                cv.line(pts.clone(), c, 3)?;
            }
            for p in pts {
                cv.circle(p, 5, c, true, 1)?;
            }
            entries.push((
                format!("{policy} ({})", axis_usd(v.iter().sum(), 2)),
                Mark::Fill(c),
            ));
        }
        legend(cv, [legend_x, 0, W, H], "Policy (total)", &entries)
    })
}

/// `storage_by_class_<workload>_<policy>.png`: average GB stored per month, stacked by class in
/// the order given, each class and derived series in its [`class_color`].
pub fn storage_by_class(
    workload: &str,
    policy: &str,
    period: &str,
    months: &[String],
    classes: &[(String, Vec<f64>)],
) -> Result<Chart> {
    render(|cv| {
        let legend_x = W - 380;
        let y = header(
            cv,
            20,
            legend_x - 20,
            12,
            &format!("Data stored by storage class: {workload} under {policy}"),
            period,
        )?;
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
        let (top, ticks) = gb_ticks(max);
        let f = month_frame([20, y + 28, legend_x - 30, H - 10], n, &ticks, top);
        y_axis(cv, &f, &ticks, "average stored (GB-months in the month)", y)?;
        x_axis_months(cv, &f, months, "month (UTC)")?;
        let mut base = vec![0.0; n];
        let mut entries = Vec::new();
        for (class, v) in classes {
            let c = class_color(class);
            let lower = base.clone();
            for (m, b) in base.iter_mut().enumerate() {
                *b += v.get(m).copied().unwrap_or(0.0);
            }
            if n == 1 {
                let (a, e) = (f.py(lower[0]), f.py(base[0]));
                if a > e {
                    cv.fill([f.px(-0.3), e, f.px(0.3), a], c)?;
                }
            } else if base.iter().zip(&lower).any(|(a, b)| a > b) {
                let mut poly: Vec<(i32, i32)> = base
                    .iter()
                    .enumerate()
                    .map(|(m, y)| (f.px(m as f64), f.py(*y)))
                    .collect();
                poly.extend(
                    lower
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(m, y)| (f.px(m as f64), f.py(*y))),
                );
                cv.polygon(poly, c)?;
            }
            entries.push((class.clone(), Mark::Fill(c)));
        }
        axes(cv, &f)?;
        legend(cv, [legend_x, 0, W, H], "Storage class", &entries)
    })
}

/// Request rates of one prefix over time, in buckets: (bucket start [hours from the first
/// request], peak offered reads/s, peak offered writes/s, throttled attempts).
#[derive(Debug, Clone, PartialEq)]
pub struct RateLine {
    pub prefix: String,
    pub points: Vec<(f64, u64, u64, u64)>,
}

/// `request_rate_<workload>.png`: the busiest prefixes' peak requests per second over time against
/// the per-prefix limits (a log scale, so that quiet prefixes and the limits show together): a dot
/// per interval with reads, a triangle per interval with writes. An interval with 503s gets a red
/// ring around its point (the point stays visible inside) and a tick in the "503s" row above the
/// plot, so throttled intervals show even where points crowd.
pub fn request_rate(
    workload: &str,
    period: &str,
    lines: &[RateLine],
    read_limit: u32,
    write_limit: u32,
    span_hours: f64,
) -> Result<Chart> {
    render(|cv| {
        let legend_x = W - 400;
        let y = header(
            cv,
            20,
            legend_x - 20,
            12,
            &format!("Peak requests per second, busiest prefixes: {workload}"),
            period,
        )?;
        let max = lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1.max(p.2)))
            .max()
            .unwrap_or(0)
            .max(u64::from(read_limit))
            .max(u64::from(write_limit)) as f64;
        let (unit, scale) = if span_hours > 72.0 {
            ("days", 24.0)
        } else if span_hours > 2.0 {
            ("hours", 1.0)
        } else {
            ("minutes", 1.0 / 60.0)
        };
        let x_end = (span_hours / scale).max(1e-9);
        let ymax = max * 2.0;
        let mut ticks: Vec<(f64, String)> = Vec::new();
        let mut p = 1.0;
        while p <= ymax {
            ticks.push((p, group_int(p as u64)));
            p *= 10.0;
        }
        let throttled: Vec<(f64, u64)> = lines
            .iter()
            .flat_map(|l| {
                l.points
                    .iter()
                    .filter(|p| p.3 > 0)
                    .map(|p| (p.0 / scale, p.1.max(p.2).max(1)))
            })
            .collect();
        let strip = if throttled.is_empty() { 0 } else { 26 };
        let lw = labels_w(&ticks).max(text_w("503s", TICK, false));
        let f = Frame {
            x0: 20 + lw + 14,
            y0: y + 28 + strip,
            x1: legend_x - 30,
            y1: H - 66,
            xmin: 0.0,
            xmax: x_end,
            ymin: 0.8,
            ymax,
            log: true,
        };
        y_axis(
            cv,
            &f,
            &ticks,
            "requests per second (peak second of each interval, log scale)",
            y,
        )?;
        let xt = x_ticks(x_end, f.x1 - f.x0, &|v, d| format!("{v:.d$}"));
        x_axis_values(cv, &f, &xt, &format!("{unit} since the first request"))?;
        axes(cv, &f)?;
        let limit_line = |cv: &mut Canvas, l: u32, dash: i32, gap: i32| {
            let yl = f.py(f64::from(l));
            cv.dashed((f.x0, yl), (f.x1, yl), dash, gap, INK, 2)
        };
        limit_line(cv, read_limit, 12, 8)?;
        limit_line(cv, write_limit, 4, 6)?;
        let mut entries = vec![
            (
                format!("read limit {}/s (dashed)", group_int(u64::from(read_limit))),
                Mark::Line(INK, 12, 8, false),
            ),
            (
                format!(
                    "write limit {}/s (dotted)",
                    group_int(u64::from(write_limit))
                ),
                Mark::Line(INK, 4, 6, false),
            ),
        ];
        // Rings first: the points are drawn over them and stay visible inside.
        for (x, v) in &throttled {
            cv.circle((f.px(*x), f.py(*v as f64)), 7, THROTTLED, false, 2)?;
        }
        for (i, l) in lines.iter().enumerate() {
            let c = color(i);
            for p in l.points.iter().filter(|p| p.2 > 0) {
                cv.triangle((f.px(p.0 / scale), f.py(p.2 as f64)), 5, lighter(c))?;
            }
            for p in l.points.iter().filter(|p| p.1 > 0) {
                cv.circle((f.px(p.0 / scale), f.py(p.1 as f64)), 3, c, true, 1)?;
            }
            let name = if l.prefix.is_empty() {
                "(root)"
            } else {
                l.prefix.as_str()
            };
            entries.push((name.to_string(), Mark::Fill(c)));
        }
        if !throttled.is_empty() {
            let sy = f.y0 - strip;
            cv.text(
                "503s",
                f.x0 - 8,
                sy + 9,
                TICK,
                false,
                THROTTLED,
                HAlign::Right,
                VAlign::Center,
            )?;
            for (x, _) in &throttled {
                let px = f.px(*x);
                cv.line(vec![(px, sy + 2), (px, sy + 16)], THROTTLED, 2)?;
            }
            entries.push((
                "503 Slow Down (ring, and a tick in the 503s row)".to_string(),
                Mark::Ring(THROTTLED),
            ));
        }
        legend(
            cv,
            [legend_x, 0, W, H],
            "Prefix (dots reads, triangles writes)",
            &entries,
        )
    })
}

/// `c` 40% of the way to white (write markers).
fn lighter(c: RGBColor) -> RGBColor {
    let m = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * 0.4).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// `12,345`: an integer with thousands separators.
fn group_int(v: u64) -> String {
    let d = v.to_string();
    let mut s = String::new();
    for (i, ch) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            s.push(',');
        }
        s.push(ch);
    }
    s
}

/// One bar of the decision chart: a policy's steady-state cost per month.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionBar {
    pub policy: String,
    /// The policy's index in the run: its bar is `color(color_index)`.
    pub color_index: usize,
    pub usd_per_month: f64,
    /// The policy the others are compared with (one bar, or none).
    pub baseline: bool,
    /// Warnings written next to the bar, e.g. "costs more than baseline", "not settled".
    pub flags: Vec<String>,
}

/// `decision_<workload>.png`: a horizontal bar per policy in the given order (best first, drawn top
/// to bottom) in the policy's colour, its cost per month at the end of the bar, the difference
/// against the baseline next to it, and its flags below that in the warning colour. The baseline
/// bar is tagged "baseline" and a dashed vertical line marks its value across all bars.
pub fn decision(workload: &str, period: &str, bars: &[DecisionBar]) -> Result<Chart> {
    let h = decision_height(bars.len()) as i32;
    render_sized(h as u32, |cv| {
        let top = header(
            cv,
            20,
            W - 20,
            12,
            &format!("Steady-state cost per month by policy: {workload}"),
            period,
        )?;
        let values: Vec<f64> = bars.iter().map(|b| b.usd_per_month).collect();
        let d = distinct_decimals(&values, 2, 4, &|v, d| axis_usd(v, d));
        let base = bars.iter().find(|b| b.baseline).map(|b| b.usd_per_month);
        let plot_x0 = 20 + NAME_COL + 40;
        let plot_x1 = W - 30;
        let (fy0, fy1) = (top + 10, h - 66);
        let n = bars.len().max(1) as i32;
        let row_h = f64::from(fy1 - fy0) / f64::from(n);
        let has_flags = bars.iter().any(|b| !b.flags.is_empty());
        // Two lines of text per row when there are flags.
        let per_line = if has_flags { row_h / 2.0 } else { row_h };
        let size = ((per_line - 3.0) as i32).clamp(7, 16);
        let first: Vec<String> = bars
            .iter()
            .map(|b| {
                let v = format!("{}/month", axis_usd(b.usd_per_month, d));
                match base {
                    _ if b.baseline => format!("{v}   baseline"),
                    Some(base) => {
                        let diff = b.usd_per_month - base;
                        let sign = if diff < 0.0 { "-" } else { "+" };
                        let money = axis_usd(diff.abs(), d);
                        if base > 0.0 {
                            format!(
                                "{v}   {sign}{money} ({sign}{:.1}%)",
                                diff.abs() / base * 100.0
                            )
                        } else {
                            format!("{v}   {sign}{money}")
                        }
                    }
                    None => v,
                }
            })
            .collect();
        let flag_text: Vec<String> = bars.iter().map(|b| b.flags.join("; ")).collect();
        // The scale leaves room for the texts after every bar (down to bars of 40% of the
        // width); flags that still do not fit after their bar shrink or wrap.
        let max = values.iter().copied().fold(0.0, f64::max);
        let mut scale = f64::INFINITY;
        for ((v, t), fl) in values.iter().zip(&first).zip(&flag_text) {
            if *v > 0.0 {
                let tw = text_w(t, size, false).max(text_w(fl, size, true));
                let room = f64::from(plot_x1 - plot_x0 - tw - 10);
                scale = scale.min(room / v);
            }
        }
        let min_scale = 0.4 * f64::from(plot_x1 - plot_x0) / max.max(f64::MIN_POSITIVE);
        let scale = if scale.is_finite() {
            scale.max(min_scale)
        } else {
            min_scale
        };
        let xmax = if max > 0.0 {
            f64::from(plot_x1 - plot_x0) / scale
        } else {
            1.0
        };
        let f = Frame {
            x0: plot_x0,
            y0: fy0,
            x1: plot_x1,
            y1: fy1,
            xmin: 0.0,
            xmax,
            ymin: 0.0,
            ymax: 1.0,
            log: false,
        };
        let ticks = x_ticks(xmax, plot_x1 - plot_x0, &usd_tick);
        x_axis_values(cv, &f, &ticks, "USD per month in the steady state")?;
        axes(cv, &f)?;
        if let Some(b) = base {
            let x = f.px(b);
            cv.dashed((x, f.y0), (x, f.y1), 8, 6, INK, 2)?;
        }
        let thickness = (row_h * if has_flags { 0.22 } else { 0.3 }).max(1.0) as i32;
        for (i, b) in bars.iter().enumerate() {
            let yc = fy0 + (row_h * (i as f64 + 0.5)).round() as i32;
            let c = color(b.color_index);
            let end = f.px(b.usd_per_month.max(0.0));
            if end > f.x0 {
                cv.fill([f.x0, yc - thickness, end, yc + thickness], c)?;
            }
            if b.baseline {
                cv.line(
                    vec![
                        (f.x0, yc - thickness),
                        (end.max(f.x0 + 1), yc - thickness),
                        (end.max(f.x0 + 1), yc + thickness),
                        (f.x0, yc + thickness),
                    ],
                    INK,
                    2,
                )?;
            }
            let name_lines = if row_h >= f64::from(2 * size + 6) {
                2
            } else {
                1
            };
            let name = fit(
                &b.policy,
                NAME_COL + 26,
                size,
                (size - 3).max(7),
                false,
                name_lines,
            );
            cv.lines(
                &name,
                plot_x0 - 10,
                yc,
                false,
                INK,
                HAlign::Right,
                VAlign::Center,
            )?;
            let tx = end.max(f.x0) + 8;
            let flags = &flag_text[i];
            if flags.is_empty() {
                cv.text_on_white(
                    &first[i],
                    tx,
                    yc,
                    size,
                    false,
                    INK,
                    HAlign::Left,
                    VAlign::Center,
                )?;
            } else {
                let l1 = fit(&first[i], plot_x1 - tx, size, (size - 3).max(7), false, 1);
                cv.lines_on_white(&l1, tx, yc - 1, false, INK, HAlign::Left, VAlign::Bottom)?;
                // Two lines of flags where the row has room for them under the first line.
                let lines = if row_h / 2.0 >= f64::from(2 * size + LINE_GAP + 2) {
                    2
                } else {
                    1
                };
                let l2 = fit(flags, plot_x1 - tx, size, (size - 3).max(7), true, lines);
                cv.lines_on_white(&l2, tx, yc + 1, true, WARNING, HAlign::Left, VAlign::Top)?;
            }
        }
        Ok(())
    })
}

/// One configuration on the cost-against-wait chart of `s3sim recommend`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitPoint {
    /// p99 GET wait [s].
    pub wait_s: f64,
    /// Cost over the period [USD].
    pub usd: f64,
    /// Whether it meets the constraints.
    pub feasible: bool,
}

/// `cost_vs_wait_<workload>.png`: every configuration priced, cost against p99 GET wait, with
/// the frontier (the cheapest at each wait or less), `none`, the current configuration, the pick
/// and the wait budget marked.
pub fn cost_vs_wait(
    workload: &str,
    period: &str,
    points: &[WaitPoint],
    none: WaitPoint,
    current: Option<WaitPoint>,
    pick: Option<WaitPoint>,
    budget_s: Option<f64>,
) -> Result<Chart> {
    render(|cv| {
        let legend_x = W - 380;
        let y = header(
            cv,
            20,
            legend_x - 20,
            12,
            &format!("Cost against p99 GET wait, configurations searched: {workload}"),
            period,
        )?;
        let all: Vec<WaitPoint> = points
            .iter()
            .copied()
            .chain(std::iter::once(none))
            .chain(current)
            .chain(pick)
            .collect();
        let max_wait = all
            .iter()
            .map(|p| p.wait_s)
            .chain(budget_s)
            .fold(0.0, f64::max);
        let (unit, scale) = if max_wait >= 7200.0 {
            ("hours", 3600.0)
        } else if max_wait >= 120.0 {
            ("minutes", 60.0)
        } else {
            ("seconds", 1.0)
        };
        let xmax = top_of(max_wait / scale);
        let (top, yt) = usd_ticks(all.iter().map(|p| p.usd).fold(0.0, f64::max));
        let lw = labels_w(&yt);
        let mut f = Frame {
            x0: 20 + lw + 14,
            y0: y + 28,
            x1: legend_x - 30,
            y1: H - 66,
            xmin: 0.0,
            xmax,
            ymin: 0.0,
            ymax: top,
            log: false,
        };
        let xt = x_ticks(xmax, f.x1 - f.x0, &|v, d| {
            let s = format!("{v:.d$}");
            if d == 0 {
                s
            } else {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            }
        });
        f.xmax = xt.last().map_or(xmax, |t| t.0.max(xmax));
        y_axis(cv, &f, &yt, "USD over the period", y)?;
        x_axis_values(cv, &f, &xt, &format!("p99 GET wait ({unit})"))?;
        axes(cv, &f)?;
        let at = |p: &WaitPoint| (f.px(p.wait_s / scale), f.py(p.usd));
        if let Some(b) = budget_s {
            let x = f.px(b / scale);
            cv.dashed((x, f.y0), (x, f.y1), 8, 6, WARNING, 2)?;
        }
        let grey = RGBColor(150, 150, 150);
        for p in points {
            if p.feasible {
                cv.circle(at(p), 4, grey, true, 1)?;
            } else {
                cv.circle(at(p), 5, WARNING, false, 2)?;
            }
        }
        // The frontier: by wait, each point cheaper than every point that waits less or as long.
        let mut sorted: Vec<WaitPoint> = points.to_vec();
        sorted.sort_by(|a, b| a.wait_s.total_cmp(&b.wait_s).then(a.usd.total_cmp(&b.usd)));
        let mut frontier: Vec<(i32, i32)> = Vec::new();
        let mut best = f64::INFINITY;
        for p in &sorted {
            if p.usd < best {
                best = p.usd;
                frontier.push(at(p));
            }
        }
        if frontier.len() > 1 {
            cv.line(frontier, INK, 2)?;
        }
        let none_c = RGBColor(31, 119, 180);
        let current_c = RGBColor(255, 127, 14);
        let pick_c = RGBColor(44, 160, 44);
        cv.triangle(at(&none), 9, none_c)?;
        if let Some(c) = current {
            cv.triangle(at(&c), 9, current_c)?;
        }
        if let Some(p) = pick {
            cv.circle(at(&p), 10, pick_c, true, 1)?;
            cv.circle(at(&p), 13, INK, false, 2)?;
        }
        let d = if all.iter().all(|p| p.usd >= 100.0) {
            0
        } else {
            2
        };
        let mut entries = vec![
            (
                format!("configurations priced ({})", points.len()),
                Mark::Fill(grey),
            ),
            (
                "ruled out by the constraints".to_string(),
                Mark::Ring(WARNING),
            ),
            (
                "frontier (cheapest at each wait)".to_string(),
                Mark::Line(INK, 0, 0, false),
            ),
            (
                format!("none: {}", axis_usd(none.usd, d)),
                Mark::Fill(none_c),
            ),
        ];
        if let Some(c) = current {
            entries.push((
                format!("current: {}", axis_usd(c.usd, d)),
                Mark::Fill(current_c),
            ));
        }
        if let Some(p) = pick {
            entries.push((
                format!("recommended: {}", axis_usd(p.usd, d)),
                Mark::Fill(pick_c),
            ));
        }
        if let Some(b) = budget_s {
            entries.push((
                format!("wait budget: {}", super::fmt_duration(b)),
                Mark::Line(WARNING, 8, 6, false),
            ));
        }
        legend(cv, [legend_x, 0, W, H], "Configuration", &entries)
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

    #[test]
    fn distinct_values_get_distinct_labels() {
        let (l, d) = distinct_usd(&[0.0512, 0.0534, 0.0549, 0.0534]);
        assert_eq!(d, 3);
        assert_eq!(l, ["$0.051", "$0.053", "$0.055", "$0.053"]);
        assert_eq!(
            distinct_usd(&[46.30, 46.30, 46.40]).0,
            ["$46.30", "$46.30", "$46.40"]
        );
        assert_eq!(distinct_usd(&[46.301, 46.302]).0, ["$46.301", "$46.302"]);
    }

    #[test]
    fn ticks_are_nice() {
        let (top, t) = usd_ticks(46.5);
        assert_eq!(top, 50.0);
        assert_eq!(t.last().unwrap().1, "$50");
        let (_, t) = gb_ticks(2000.0);
        assert_eq!(t[1].1, "0.5 TB");
        assert_eq!(step_decimals(0.05), 2);
        assert_eq!(step_decimals(20.0), 0);
    }

    /// The box recorded for a text holds all of its ink (plotters' estimate of the advance and
    /// the font size as height), to a pixel.
    #[test]
    fn text_boxes_hold_their_ink() {
        for (s, size, bold) in [
            ("Hgjy|ÉÅ()$,_", 26, true),
            ("INTELLIGENT_TIERING_ARCHIVE_INSTANT noncurrent", 16, false),
            ("$0.0512/month", 15, false),
            ("Qpq…", 9, false),
        ] {
            let chart = render(|cv| {
                cv.text(s, 100, 100, size, bold, INK, HAlign::Left, VAlign::Top)?;
                Ok(())
            })
            .unwrap();
            let r = chart.layout.texts[0].rect;
            let mut dec = png::Decoder::new(std::io::Cursor::new(&chart.png));
            dec.set_transformations(png::Transformations::EXPAND);
            let mut reader = dec.read_info().unwrap();
            let mut buf = vec![0; reader.output_buffer_size()];
            let info = reader.next_frame(&mut buf).unwrap();
            let bpp = info.color_type.samples();
            let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, 0, 0);
            for (i, c) in buf[..info.buffer_size()].chunks(bpp).enumerate() {
                if c[..3].iter().any(|v| *v < 250) {
                    let (x, y) = ((i % WIDTH as usize) as i32, (i / WIDTH as usize) as i32);
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
                }
            }
            assert!(
                x0 >= r[0] - 1 && y0 >= r[1] - 1 && x1 <= r[2] + 1 && y1 <= r[3] + 1,
                "{s} at {size}: ink {:?} outside box {r:?}",
                [x0, y0, x1, y1]
            );
        }
    }

    #[test]
    fn long_names_fit_without_losing_their_ends() {
        register_fonts();
        let name = "INTELLIGENT_TIERING_ARCHIVE_INSTANT noncurrent";
        let f = fit(name, 300, 16, 12, false, 2);
        assert!(f.lines.iter().all(|l| text_w(l, f.size, false) <= 300));
        assert_eq!(f.lines.concat().replace(' ', ""), name.replace(' ', ""));
        let long = format!("policy-{}-end", "x".repeat(100));
        let f = fit(&long, 300, 16, 12, false, 2);
        assert!(f.lines[0].starts_with("policy-"));
        assert!(f.lines[1].starts_with('…') && f.lines[1].ends_with("-end"));
        let f = fit(&long, 300, 16, 12, false, 1);
        assert!(f.lines[0].starts_with("policy-") && f.lines[0].ends_with("-end"));
        assert!(text_w(&f.lines[0], f.size, false) <= 300);
    }

    /// CIE L*a*b* of an sRGB colour.
    fn lab(c: RGBColor) -> [f64; 3] {
        let lin = |u: u8| {
            let u = f64::from(u) / 255.0;
            if u > 0.04045 {
                ((u + 0.055) / 1.055).powf(2.4)
            } else {
                u / 12.92
            }
        };
        let (r, g, b) = (lin(c.0), lin(c.1), lin(c.2));
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    #[test]
    fn palette_colours_are_distinguishable() {
        for (i, (a, ca)) in PALETTE.iter().enumerate() {
            for (b, cb) in &PALETTE[i + 1..] {
                let (la, lb) = (lab(*ca), lab(*cb));
                let d =
                    ((la[0] - lb[0]).powi(2) + (la[1] - lb[1]).powi(2) + (la[2] - lb[2]).powi(2))
                        .sqrt();
                assert!(d >= 10.0, "{a} and {b}: delta E {d:.1}");
            }
        }
        assert_eq!(
            class_color("GLACIER noncurrent"),
            tint(class_color("GLACIER"))
        );
        assert_eq!(class_color("X noncurrent"), tint(class_color("X")));
    }
}
