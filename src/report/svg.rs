//! The board pack's pictures, drawn as self-contained SVG: no scripts, no fonts or images
//! from elsewhere, so the HTML pack is one file that prints well.

use std::fmt::Write as _;

use crate::board::Point;
use crate::dates::Date;
use crate::rules::Rag;

/// Escape text for SVG (XML).
pub fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Fill colours for score bands, from the lowest band to the highest.
const BAND_FILLS: [&str; 6] = [
    "#d9f0d3", "#fff3bf", "#ffd8a8", "#ffc9c9", "#ffa8a8", "#ff8787",
];

pub fn rag_colour(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Green) => "#2f9e44",
        Some(Rag::Amber) => "#f08c00",
        Some(Rag::Red) => "#e03131",
        None => "#868e96",
    }
}

/// A likelihood × impact grid of open-risk counts, now and (smaller) at the period start.
/// `band` gives each cell's score band, for its colour.
pub fn heatmap(
    likelihood: &[String],
    impact: &[String],
    now: &[Vec<u32>],
    start: Option<&[Vec<u32>]>,
    band: &[Vec<usize>],
) -> String {
    let cell = 64;
    let left = 130;
    let top = 54;
    let (rows, cols) = (likelihood.len(), impact.len());
    let width = left + cols * cell + 20;
    let height = top + rows * cell + 70;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="Heat map of open risks by likelihood and impact" font-family="Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = write!(
        svg,
        r##"<text x="{left}" y="22" font-size="14" font-weight="bold">Open risks by likelihood and impact</text>"##
    );
    if start.is_some() {
        let _ = write!(
            svg,
            r##"<text x="{left}" y="40" font-size="11" fill="#495057">now, with the start of the period in brackets</text>"##
        );
    }
    for (l, likelihood_label) in likelihood.iter().enumerate() {
        // Likelihood rises upwards.
        let y = top + (rows - 1 - l) * cell;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end">{} {}</text>"#,
            left - 8,
            y + cell / 2 + 4,
            l + 1,
            xml(&likelihood_label.replace('_', " "))
        );
        for i in 0..cols {
            let x = left + i * cell;
            let cell_band = band.get(l).and_then(|r| r.get(i)).copied().unwrap_or(0);
            let fill = BAND_FILLS[cell_band.min(BAND_FILLS.len() - 1)];
            let count = now.get(l).and_then(|r| r.get(i)).copied().unwrap_or(0);
            let _ = write!(
                svg,
                r##"<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="#495057" stroke-width="1"/>"##
            );
            if count > 0 {
                let _ = write!(
                    svg,
                    r#"<text x="{}" y="{}" text-anchor="middle" font-size="20" font-weight="bold">{count}</text>"#,
                    x + cell / 2,
                    y + cell / 2 + 4
                );
            }
            if let Some(start) = start {
                let before = start.get(l).and_then(|r| r.get(i)).copied().unwrap_or(0);
                if before > 0 || count > 0 {
                    let _ = write!(
                        svg,
                        r##"<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#495057">({before})</text>"##,
                        x + cell / 2,
                        y + cell - 8
                    );
                }
            }
        }
    }
    for (i, label) in impact.iter().enumerate() {
        let x = left + i * cell + cell / 2;
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{}" text-anchor="middle">{}</text><text x="{x}" y="{}" text-anchor="middle" font-size="10">{}</text>"#,
            top + rows * cell + 16,
            i + 1,
            top + rows * cell + 30,
            xml(&label.replace('_', " "))
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle" font-weight="bold">Impact</text><text x="16" y="{}" text-anchor="middle" font-weight="bold" transform="rotate(-90 16 {})">Likelihood</text>"#,
        left + cols * cell / 2,
        top + rows * cell + 52,
        top + rows * cell / 2,
        top + rows * cell / 2
    );
    svg.push_str("</svg>");
    svg
}

/// How many open risks were above tolerance over the period `from`..=`to`, as a line from
/// zero, with each point coloured by the status on that day. The time axis spans the whole
/// period, so a pack whose records changed only near its end shows that.
pub fn trend(points: &[Point], from: Date, to: Date) -> String {
    let (width, height) = (640, 260);
    let (left, right, top, bottom) = (60, 20, 40, 50);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="Trend of status and open risks above tolerance" font-family="Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = write!(
        svg,
        r#"<text x="{left}" y="22" font-size="14" font-weight="bold">Status and open risks above tolerance over the period</text>"#
    );
    if points.is_empty() {
        svg.push_str("</svg>");
        return svg;
    }
    let first = from.min(points[0].date);
    let last = to.max(points[points.len() - 1].date);
    let span = crate::rules::days_between(first, last).max(1) as f64;
    let max = points
        .iter()
        .map(|p| p.above_tolerance)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    // Counts start at zero, so a change of one risk looks like one.
    let low = 0.0;
    let x_of =
        |d: Date| left as f64 + plot_w as f64 * crate::rules::days_between(first, d) as f64 / span;
    let y_of =
        |n: u32| top as f64 + plot_h as f64 * (1.0 - (f64::from(n) - low) / (max - low).max(1.0));
    // Axes and gridlines.
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{top}" x2="{left}" y2="{}" stroke="#495057"/><line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#495057"/>"##,
        top + plot_h,
        top + plot_h,
        left + plot_w,
        top + plot_h
    );
    for fraction in [0.0, 0.5, 1.0] {
        let value = (low + (max - low) * fraction).round() as u32;
        let y = y_of(value);
        let _ = write!(
            svg,
            r##"<text x="{}" y="{:.1}" text-anchor="end">{value}</text><line x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#dee2e6"/>"##,
            left - 6,
            y + 4.0,
            left + plot_w
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{left}" y="{}">{first}</text><text x="{}" y="{}" text-anchor="end">{last}</text>"#,
        top + plot_h + 18,
        left + plot_w,
        top + plot_h + 18
    );
    let _ = write!(
        svg,
        r#"<text x="14" y="{}" text-anchor="middle" transform="rotate(-90 14 {})">above tolerance</text>"#,
        top + plot_h / 2,
        top + plot_h / 2
    );
    let path: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x_of(p.date), y_of(p.above_tolerance)))
        .collect();
    let _ = write!(
        svg,
        r##"<polyline points="{}" fill="none" stroke="#1c7ed6" stroke-width="2"/>"##,
        path.join(" ")
    );
    for p in points {
        let _ = write!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{}" stroke="#212529" stroke-width="0.5"><title>{}: {}, {} above tolerance</title></circle>"##,
            x_of(p.date),
            y_of(p.above_tolerance),
            rag_colour(p.rag),
            p.date,
            p.rag.map_or("not valid", Rag::upper),
            p.above_tolerance
        );
    }
    // A legend of the status colours.
    let legend_y = height - 12;
    for (i, (rag, label)) in [
        (Some(Rag::Green), "green"),
        (Some(Rag::Amber), "amber"),
        (Some(Rag::Red), "red"),
        (None, "records not valid"),
    ]
    .into_iter()
    .enumerate()
    {
        let x = left + i * 110;
        let _ = write!(
            svg,
            r#"<circle cx="{x}" cy="{}" r="5" fill="{}"/><text x="{}" y="{legend_y}">{label}</text>"#,
            legend_y - 4,
            rag_colour(rag),
            x + 10
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heatmap_counts_and_escapes() {
        let labels: Vec<String> = ["rare", "<b>", "possible"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let now = vec![vec![1, 0, 0], vec![0, 2, 0], vec![0, 0, 3]];
        let start = vec![vec![0, 0, 0], vec![0, 5, 0], vec![0, 0, 0]];
        let band = vec![vec![0, 0, 0], vec![0, 0, 1], vec![0, 1, 1]];
        let svg = heatmap(&labels, &labels, &now, Some(&start), &band);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert!(svg.contains(">3</text>") && svg.contains(">(5)</text>"));
        assert!(!svg.contains("<script") && !svg.contains("href"));
    }

    #[test]
    fn trend_places_points_in_order() {
        let d = |s: &str| crate::dates::parse_date(s).unwrap();
        let points = vec![
            Point {
                date: d("2026-01-01"),
                rag: Some(Rag::Green),
                above_tolerance: 1,
            },
            Point {
                date: d("2026-01-11"),
                rag: Some(Rag::Red),
                above_tolerance: 2,
            },
        ];
        let svg = trend(&points, d("2026-01-01"), d("2026-01-11"));
        assert!(svg.contains("points=\"60.0,125.0 620.0,40.0\""), "{svg}");
        assert!(svg.contains(rag_colour(Some(Rag::Red))));
        // The axis spans the whole period: the same points in twice the time.
        let svg = trend(&points, d("2025-12-22"), d("2026-01-11"));
        assert!(svg.contains("points=\"340.0,125.0 620.0,40.0\""), "{svg}");
        assert!(svg.contains(">2025-12-22</text>"), "{svg}");
    }

    #[test]
    fn the_trend_counts_from_zero() {
        let d = |s: &str| crate::dates::parse_date(s).unwrap();
        let point = Point {
            date: d("2026-01-11"),
            rag: Some(Rag::Amber),
            above_tolerance: 4,
        };
        let svg = trend(&[point], d("2026-01-01"), d("2026-01-11"));
        assert!(svg.contains(">0</text>"), "{svg}");
        assert!(svg.contains(">4</text>"), "{svg}");
        // At the end of the period, at the top of the scale.
        assert!(svg.contains("points=\"620.0,40.0\""), "{svg}");
    }
}
