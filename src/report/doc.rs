//! A small document model for the report, rendered to Markdown (`report.md`) and to a
//! self-contained HTML page with the charts inlined (`report.html`).

use std::fmt::Write as _;

/// Column alignment in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A block of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(String),
    List(Vec<String>),
    Table {
        headers: Vec<String>,
        align: Vec<Align>,
        rows: Vec<Vec<String>>,
    },
    /// A chart: its path relative to the report folder, and its description.
    Image {
        path: String,
        alt: String,
    },
}

/// Text may carry `**bold**` and `` `code` `` spans; both renderers understand them.
pub fn markdown(blocks: &[Block]) -> String {
    let mut md = String::new();
    for b in blocks {
        match b {
            Block::Heading(level, t) => {
                let _ = writeln!(md, "{} {t}\n", "#".repeat(*level as usize));
            }
            Block::Paragraph(t) => {
                let _ = writeln!(md, "{t}\n");
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(md, "- {i}");
                }
                md.push('\n');
            }
            Block::Table {
                headers,
                align,
                rows,
            } => {
                let cell = |s: &str| s.replace('|', "\\|");
                let _ = writeln!(
                    md,
                    "| {} |",
                    headers
                        .iter()
                        .map(|h| cell(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
                let rule: Vec<&str> = align
                    .iter()
                    .map(|a| if *a == Align::Right { "---:" } else { "---" })
                    .collect();
                let _ = writeln!(md, "|{}|", rule.join("|"));
                for r in rows {
                    let _ = writeln!(
                        md,
                        "| {} |",
                        r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                    );
                }
                md.push('\n');
            }
            Block::Image { path, alt } => {
                let _ = writeln!(md, "![{alt}]({path})\n");
            }
        }
    }
    md
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escapes `s` and turns `**bold**` into `<strong>` and `` `code` `` into `<code>`.
fn inline(s: &str) -> String {
    let mut out = String::new();
    let mut bold = false;
    let mut code = false;
    let e = escape(s);
    let mut rest = e.as_str();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**").filter(|_| !code) {
            out.push_str(if bold { "</strong>" } else { "<strong>" });
            bold = !bold;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('`') {
            out.push_str(if code { "</code>" } else { "<code>" });
            code = !code;
            rest = r;
        } else {
            let c = rest.chars().next().expect("non-empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if code {
        out.push_str("</code>");
    }
    if bold {
        out.push_str("</strong>");
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1700px;margin:2em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px}\
th{background:#f3f3f3}td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}\
img{max-width:100%;height:auto;border:1px solid #ddd;margin:0.5em 0}code{background:#f5f5f5;padding:0 3px}";

/// A self-contained HTML page; `image` returns the PNG bytes of an image path (inlined as data).
pub fn html(title: &str, blocks: &[Block], image: &dyn Fn(&str) -> Option<Vec<u8>>) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    );
    for b in blocks {
        match b {
            Block::Heading(level, t) => {
                let _ = writeln!(h, "<h{level}>{}</h{level}>", inline(t));
            }
            Block::Paragraph(t) => {
                let _ = writeln!(h, "<p>{}</p>", inline(t));
            }
            Block::List(items) => {
                h.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(h, "<li>{}</li>", inline(i));
                }
                h.push_str("</ul>\n");
            }
            Block::Table {
                headers,
                align,
                rows,
            } => {
                let class = |i: usize| {
                    if align.get(i) == Some(&Align::Right) {
                        " class=\"r\""
                    } else {
                        ""
                    }
                };
                h.push_str("<table>\n<tr>");
                for (i, c) in headers.iter().enumerate() {
                    let _ = write!(h, "<th{}>{}</th>", class(i), inline(c));
                }
                h.push_str("</tr>\n");
                for r in rows {
                    h.push_str("<tr>");
                    for (i, c) in r.iter().enumerate() {
                        let _ = write!(h, "<td{}>{}</td>", class(i), inline(c));
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</table>\n");
            }
            Block::Image { path, alt } => match image(path) {
                Some(png) => {
                    let _ = writeln!(
                        h,
                        "<p><img alt=\"{}\" src=\"data:image/png;base64,{}\"></p>",
                        escape(alt),
                        base64(&png)
                    );
                }
                None => {
                    let _ = writeln!(h, "<p>[{}]</p>", escape(alt));
                }
            },
        }
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn both_renderings_carry_the_same_content() {
        let blocks = vec![
            Block::Heading(2, "Costs <a&b>".into()),
            Block::Paragraph("cheapest **tiered** for `logs/`".into()),
            Block::Table {
                headers: vec!["policy".into(), "total".into()],
                align: vec![Align::Left, Align::Right],
                rows: vec![vec!["a|b".into(), "$1.00".into()]],
            },
            Block::Image {
                path: "charts/x.png".into(),
                alt: "X".into(),
            },
        ];
        let md = markdown(&blocks);
        assert!(
            md.contains("## Costs <a&b>")
                && md.contains("| a\\|b | $1.00 |")
                && md.contains("|---|---:|")
        );
        assert!(md.contains("![X](charts/x.png)"));
        let h = html("t", &blocks, &|p| {
            (p == "charts/x.png").then(|| vec![1, 2, 3])
        });
        assert!(h.contains("<h2>Costs &lt;a&amp;b&gt;</h2>"));
        assert!(h.contains("cheapest <strong>tiered</strong> for <code>logs/</code>"));
        assert!(h.contains("<td class=\"r\">$1.00</td>"));
        assert!(h.contains("src=\"data:image/png;base64,AQID\""));
    }
}
