//! The board pack's pictures, drawn as self-contained SVG: no scripts, no fonts or images
//! from elsewhere, so the HTML pack is one file that prints well.

use std::fmt::Write as _;

use crate::board::{Heatmap, Point};
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

/// Cell fills by where a score stands against the appetite (GOV.UK tints): within
/// tolerance, above it, above the ceiling; grey with no appetite.
const WITHIN: &str = "#cce2d8";
const ABOVE: &str = "#fcd6c3";
const ABOVE_CEILING: &str = "#eea89c";
const NO_APPETITE: &str = "#f3f2f1";
const TEXT: &str = "#0b0c0c";
const SECONDARY: &str = "#505a5f";
const BORDER: &str = "#b1b4b6";

/// The colour of a status, as the pack's tags show it.
pub fn rag_colour(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Green) => "#00703c",
        Some(Rag::Amber) => "#f47738",
        Some(Rag::Red) => "#d4351c",
        None => BORDER,
    }
}

/// A likelihood × impact grid of the open risks now, each cell holding the ids of its risks
/// and coloured by where its score stands against the appetite's tolerance (and ceiling),
/// with the tolerance drawn as a boundary and a legend. Its `title` and `desc` say the same
/// for a screen reader.
pub fn heatmap(map: &Heatmap) -> String {
    let cell = 56;
    let left = 104;
    let top = 34;
    let (rows, cols) = (map.likelihood.len(), map.impact.len());
    let width = left + cols * cell + 10;
    let legend_top = top + rows * cell + 50;
    let legend_rows = 5 + usize::from(!map.category_tolerances.is_empty());
    let height = legend_top + legend_rows * 15 + 12;
    let score = |l: usize, i: usize| u8::try_from((l + 1) * (i + 1)).unwrap_or(u8::MAX);
    let above = |l: usize, i: usize| map.tolerance.is_some_and(|t| score(l, i) > t);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="heatmap-title heatmap-desc" font-family="Arial, Helvetica, sans-serif" font-size="12" fill="{TEXT}">"#
    );
    let _ = write!(
        svg,
        r#"<title id="heatmap-title">Open risks by likelihood and impact</title><desc id="heatmap-desc">{}</desc>"#,
        xml(&describe_heatmap(map))
    );
    let _ = write!(
        svg,
        r#"<text x="0" y="16" font-size="14" font-weight="bold">Open risks by likelihood and impact</text>"#
    );
    for (l, likelihood_label) in map.likelihood.iter().enumerate() {
        // Likelihood rises upwards.
        let y = top + (rows - 1 - l) * cell;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text><text x="{}" y="{}" text-anchor="end" font-size="10" fill="{SECONDARY}">{}</text>"#,
            left - 6,
            y + cell / 2,
            l + 1,
            left - 6,
            y + cell / 2 + 12,
            xml(&likelihood_label.replace('_', " "))
        );
        for i in 0..cols {
            let x = left + i * cell;
            let fill = match (map.tolerance, map.ceiling) {
                (None, _) => NO_APPETITE,
                (Some(_), Some(c)) if score(l, i) > c => ABOVE_CEILING,
                (Some(_), _) if above(l, i) => ABOVE,
                _ => WITHIN,
            };
            let _ = write!(
                svg,
                r#"<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="{BORDER}" stroke-width="1"/>"#
            );
            let ids = map
                .ids
                .get(l)
                .and_then(|r| r.get(i))
                .map_or(&[][..], Vec::as_slice);
            let shown = if ids.len() > 3 { 2 } else { ids.len() };
            for (k, id) in ids.iter().take(shown).enumerate() {
                let marked = map.above.contains(id);
                let _ = write!(
                    svg,
                    r#"<text x="{}" y="{}" text-anchor="middle" font-size="11" font-weight="bold">{}</text>"#,
                    x + cell / 2 + if marked { 4 } else { 0 },
                    y + 16 + k * 14,
                    xml(id)
                );
                if marked {
                    svg.push_str(&mark(x + 5, y + 7 + k * 14));
                }
            }
            if ids.len() > shown {
                let _ = write!(
                    svg,
                    r#"<text x="{}" y="{}" text-anchor="middle" font-size="10">+{} more</text>"#,
                    x + cell / 2,
                    y + 16 + shown * 14,
                    ids.len() - shown
                );
            }
        }
    }
    // The tolerance as a boundary: every edge between a cell within it and one above it.
    if map.tolerance.is_some() {
        for l in 0..rows {
            for i in 0..cols {
                let (x, y) = (left + i * cell, top + (rows - 1 - l) * cell);
                if i + 1 < cols && above(l, i) != above(l, i + 1) {
                    let _ = write!(
                        svg,
                        r#"<line x1="{}" y1="{y}" x2="{}" y2="{}" stroke="{TEXT}" stroke-width="3"/>"#,
                        x + cell,
                        x + cell,
                        y + cell
                    );
                }
                if l + 1 < rows && above(l, i) != above(l + 1, i) {
                    let _ = write!(
                        svg,
                        r#"<line x1="{x}" y1="{y}" x2="{}" y2="{y}" stroke="{TEXT}" stroke-width="3"/>"#,
                        x + cell
                    );
                }
            }
        }
    }
    for (i, label) in map.impact.iter().enumerate() {
        let x = left + i * cell + cell / 2;
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{}" text-anchor="middle">{}</text><text x="{x}" y="{}" text-anchor="middle" font-size="10" fill="{SECONDARY}">{}</text>"#,
            top + rows * cell + 14,
            i + 1,
            top + rows * cell + 26,
            xml(&label.replace('_', " "))
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle" font-weight="bold">Impact</text><text x="12" y="{}" text-anchor="middle" font-weight="bold" transform="rotate(-90 12 {})">Likelihood</text>"#,
        left + cols * cell / 2,
        top + rows * cell + 40,
        top + rows * cell / 2,
        top + rows * cell / 2
    );
    // The legend.
    let mut entries: Vec<(&str, String)> = Vec::new();
    match map.tolerance {
        None => entries.push((NO_APPETITE, "no risk appetite agreed".to_owned())),
        Some(t) => {
            // With categories of their own, the colours are the overall tolerance's.
            let which = if map.category_tolerances.is_empty() {
                "tolerance"
            } else {
                "the overall tolerance"
            };
            entries.push((WITHIN, format!("within {which} (score {t} or less)")));
            match map.ceiling {
                Some(c) if c > t => {
                    entries.push((ABOVE, format!("above {which} (score {} to {c})", t + 1)));
                    entries.push((ABOVE_CEILING, format!("above the ceiling (over {c})")));
                }
                _ => entries.push((ABOVE, format!("above {which} (over {t})"))),
            }
        }
    }
    for (k, (fill, label)) in entries.iter().enumerate() {
        let y = legend_top + k * 15;
        let _ = write!(
            svg,
            r#"<rect x="0" y="{}" width="11" height="11" fill="{fill}" stroke="{BORDER}"/><text x="16" y="{}" font-size="11">{}</text>"#,
            y,
            y + 10,
            xml(label)
        );
    }
    if let Some(t) = map.tolerance {
        let y = legend_top + entries.len() * 15 + 5;
        let _ = write!(
            svg,
            r#"<line x1="0" y1="{y}" x2="11" y2="{y}" stroke="{TEXT}" stroke-width="3"/><text x="16" y="{}" font-size="11">the appetite's tolerance ({t})</text>"#,
            y + 4
        );
        let y = y + 12;
        svg.push_str(&mark(0, y));
        let _ = write!(
            svg,
            r#"<text x="16" y="{}" font-size="11">a risk above its own tolerance</text>"#,
            y + 9
        );
        if !map.category_tolerances.is_empty() {
            let _ = write!(
                svg,
                r#"<text x="16" y="{}" font-size="11">categories with their own tolerance: {}</text>"#,
                y + 24,
                xml(&category_tolerances(map))
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The mark of a risk above its own tolerance: a small dark triangle, its top-left corner
/// at (`x`, `y`), drawn rather than written so that no font can lose it.
fn mark(x: usize, y: usize) -> String {
    format!(
        r#"<path d="M{} {} L{} {} L{} {} Z" fill="{TEXT}"/>"#,
        x + 4,
        y,
        x + 8,
        y + 8,
        x,
        y + 8
    )
}

/// "confidentiality 4, availability 9".
fn category_tolerances(map: &Heatmap) -> String {
    map.category_tolerances
        .iter()
        .map(|(name, t)| format!("{name} {t}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The heat map in words, for its `desc` and the table beside it.
pub fn describe_heatmap(map: &Heatmap) -> String {
    let mut cells = Vec::new();
    for (l, row) in map.ids.iter().enumerate() {
        for (i, ids) in row.iter().enumerate() {
            if !ids.is_empty() {
                cells.push(format!(
                    "likelihood {} impact {}: {}",
                    l + 1,
                    i + 1,
                    ids.join(", ")
                ));
            }
        }
    }
    let mut tolerance = match map.tolerance {
        Some(t) if map.category_tolerances.is_empty() => {
            format!("Scores above {t} are above the appetite's tolerance. ")
        }
        Some(t) => format!(
            "Scores above {t} are above the appetite's overall tolerance; categories with their own: {}. ",
            category_tolerances(map)
        ),
        None => "No risk appetite is agreed. ".to_owned(),
    };
    if !map.above.is_empty() {
        tolerance.push_str(&format!(
            "Above their own tolerance: {}. ",
            map.above.join(", ")
        ));
    }
    if cells.is_empty() {
        format!("{tolerance}There are no open risks.")
    } else {
        format!("{tolerance}{}.", cells.join("; "))
    }
}

/// Band colours for the trend's stacked columns, from the highest band down (GOV.UK).
const BAND_COLOURS: [&str; 5] = ["#942514", "#d4351c", "#f47738", "#ffdd00", "#b1b4b6"];

/// The colour of band `index` of `bands`.
fn band_colour(index: usize, bands: usize) -> &'static str {
    let from_top = bands.saturating_sub(1).saturating_sub(index);
    BAND_COLOURS[from_top.min(BAND_COLOURS.len() - 1)]
}

/// How many open risks were above tolerance over the period `from`..=`to`, by band, as a
/// column for each day the records changed, from zero, with the months labelled. A day the
/// records were not valid is a gap, marked so; a single day reads as one column with its
/// date.
pub fn trend(points: &[Point], bands: &[String], from: Date, to: Date) -> String {
    let (width, height) = (400, 266);
    let (left, right, top, bottom) = (34, 10, 30, 82);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="trend-title trend-desc" font-family="Arial, Helvetica, sans-serif" font-size="11" fill="{TEXT}">"#
    );
    let _ = write!(
        svg,
        r#"<title id="trend-title">Open risks above tolerance over the period</title><desc id="trend-desc">{}</desc>"#,
        xml(&describe_trend(points))
    );
    let _ = write!(
        svg,
        r#"<text x="0" y="16" font-size="14" font-weight="bold">Open risks above tolerance</text>"#
    );
    let first = points.first().map_or(from, |p| from.min(p.date));
    let last = points.last().map_or(to, |p| to.max(p.date));
    let span = crate::rules::days_between(first, last).max(1) as f64;
    let max = points
        .iter()
        .filter(|p| p.rag.is_some())
        .map(|p| p.above_tolerance)
        .max()
        .unwrap_or(0);
    // Whole-number steps from zero, so that one risk more looks like one.
    let step = max.div_ceil(4).max(1);
    // A step of headroom above the highest count, so that a level held at it is not drawn
    // on the frame.
    let top_value = step * (max.div_ceil(step) + 1);
    let x_of = |d: Date| {
        left as f64
            + 8.0
            + (plot_w as f64 - 16.0) * crate::rules::days_between(first, d) as f64 / span
    };
    let y_of = |n: u32| top as f64 + plot_h as f64 * (1.0 - f64::from(n) / f64::from(top_value));
    let mut value = 0;
    while value <= top_value {
        let y = y_of(value);
        let _ = write!(
            svg,
            r##"<line x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#dee0e2"/><text x="{}" y="{:.1}" text-anchor="end">{value}</text>"##,
            left + plot_w,
            left - 5,
            y + 4.0
        );
        value += step;
    }
    let _ = write!(
        svg,
        r#"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="{TEXT}"/>"#,
        top + plot_h,
        left + plot_w,
        top + plot_h
    );
    // Months: a tick at each first of the month, labelled (every few months on long periods).
    let months = month_starts(first, last);
    // As many labels as fit (a month name is about 26 pixels wide), and the year under the
    // first label and under each January.
    let fit = (plot_w / 30).max(1);
    let every = months.len().div_ceil(fit).max(1);
    for (k, month) in months.iter().enumerate() {
        let x = x_of(*month);
        let _ = write!(
            svg,
            r#"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{}" stroke="{TEXT}"/>"#,
            top + plot_h,
            top + plot_h + 4
        );
        if k % every == 0 {
            let (name, year) = month_label(*month);
            let _ = write!(
                svg,
                r#"<text x="{x:.1}" y="{}" text-anchor="middle">{name}</text>"#,
                top + plot_h + 16
            );
            if k == 0 || month.month() == 1 {
                let _ = write!(
                    svg,
                    r##"<text x="{x:.1}" y="{}" text-anchor="middle" fill="{SECONDARY}">{year}</text>"##,
                    top + plot_h + 28
                );
            }
        }
    }
    // Between the days the records changed the count held: a line at its level until the
    // next change (or the end of the period), so that no month reads as zero.
    let mut held = false;
    for (k, p) in points.iter().enumerate() {
        if p.rag.is_none() || p.above_tolerance == 0 {
            continue;
        }
        let until = points.get(k + 1).map_or(last, |next| next.date);
        let (x0, x1, y) = (x_of(p.date), x_of(until), y_of(p.above_tolerance));
        if x1 - x0 > 1.0 {
            held = true;
            let _ = write!(
                svg,
                r#"<line x1="{x0:.1}" y1="{y:.1}" x2="{x1:.1}" y2="{y:.1}" stroke="{SECONDARY}" stroke-width="2"><title>{} above tolerance from {} to {until}</title></line>"#,
                p.above_tolerance, p.date
            );
        }
    }
    let bar = (plot_w as f64 / (points.len().max(1) as f64 * 1.6)).clamp(3.0, 16.0);
    for p in points {
        let x = x_of(p.date);
        if p.rag.is_none() {
            // Not valid that day: a gap, marked.
            let _ = write!(
                svg,
                r##"<rect x="{:.1}" y="{top}" width="{bar:.1}" height="{plot_h}" fill="#f3f2f1" stroke="{BORDER}" stroke-dasharray="2 2"><title>{}: records not valid</title></rect>"##,
                x - bar / 2.0,
                p.date
            );
            continue;
        }
        let mut base = 0u32;
        for (index, count) in p.by_band.iter().enumerate() {
            if *count == 0 {
                continue;
            }
            let (y0, y1) = (y_of(base), y_of(base + count));
            let _ = write!(
                svg,
                r#"<rect x="{:.1}" y="{y1:.1}" width="{bar:.1}" height="{:.1}" fill="{}"><title>{}: {count} {} above tolerance</title></rect>"#,
                x - bar / 2.0,
                y0 - y1,
                band_colour(index, bands.len()),
                p.date,
                xml(bands.get(index).map_or("", String::as_str))
            );
            base += count;
        }
        if p.above_tolerance == 0 {
            // Nothing above tolerance: a mark on the axis, so the day still shows.
            let _ = write!(
                svg,
                r#"<rect x="{:.1}" y="{:.1}" width="{bar:.1}" height="2" fill="{}"/>"#,
                x - bar / 2.0,
                y_of(0) - 2.0,
                rag_colour(Some(Rag::Green))
            );
        }
    }
    if let [only] = points {
        // Near the right edge, the label ends at the column rather than centring on it.
        let anchor = if x_of(only.date) > (left + plot_w) as f64 - 60.0 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}">{}: {}</text>"#,
            x_of(only.date),
            y_of(only.above_tolerance) - 6.0,
            only.date,
            only.above_tolerance
        );
    }
    // The legend: the bands that appear, highest first, and a gap if any.
    let mut legend: Vec<(String, &str, bool)> = (0..bands.len())
        .rev()
        .filter(|&i| {
            points
                .iter()
                .any(|p| p.by_band.get(i).is_some_and(|n| *n > 0))
        })
        .map(|i| (bands[i].clone(), band_colour(i, bands.len()), false))
        .collect();
    if points.iter().any(|p| p.rag.is_none()) {
        legend.push(("records not valid".to_owned(), "#f3f2f1", true));
    }
    let legend_y = height - 30;
    let mut x = left;
    for (label, fill, dashed) in legend {
        let dash = if dashed {
            r#" stroke-dasharray="2 2""#
        } else {
            ""
        };
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="{}" width="10" height="10" fill="{fill}" stroke="{BORDER}"{dash}/><text x="{}" y="{legend_y}">{}</text>"#,
            legend_y - 9,
            x + 14,
            xml(&label)
        );
        x += 24 + 6 * label.chars().count();
    }
    if held {
        // On a line of its own, below the bands.
        let y = legend_y + 16;
        let _ = write!(
            svg,
            r#"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="{SECONDARY}" stroke-width="2"/><text x="{}" y="{y}">held until the next change</text>"#,
            y - 4,
            left + 10,
            y - 4,
            left + 14
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The trend in words, for its `desc` and the table beside it.
pub fn describe_trend(points: &[Point]) -> String {
    if points.is_empty() {
        return "No records in the period.".to_owned();
    }
    let days: Vec<String> = points
        .iter()
        .map(|p| match p.rag {
            Some(_) => format!("{}: {}", p.date, p.above_tolerance),
            None => format!("{}: records not valid", p.date),
        })
        .collect();
    format!(
        "Open risks above tolerance on each day the records changed. {}.",
        days.join("; ")
    )
}

/// The first day of each month after `first`, up to `last`.
fn month_starts(first: Date, last: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let (mut year, mut month) = (first.year(), first.month());
    loop {
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let Ok(day) = Date::new(year, month, 1) else {
            break;
        };
        if day > last {
            break;
        }
        out.push(day);
    }
    out
}

/// ("Jan", 2026)
fn month_label(day: Date) -> (&'static str, i16) {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let name = NAMES[usize::try_from(day.month().clamp(1, 12) - 1).unwrap_or(0)];
    (name, day.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::dates::parse_date(s).unwrap()
    }

    fn map() -> Heatmap {
        let labels: Vec<String> = ["rare", "<b>", "possible"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let mut ids = vec![vec![Vec::new(); 3]; 3];
        ids[0][0] = vec!["R-001".to_owned()];
        ids[2][2] = (1..=5).map(|n| format!("R-00{n}")).collect();
        Heatmap {
            likelihood: labels.clone(),
            impact: labels,
            band: vec![vec![0; 3]; 3],
            now: vec![vec![1, 0, 0], vec![0, 0, 0], vec![0, 0, 5]],
            start: None,
            ids,
            tolerance: Some(4),
            ceiling: Some(6),
            above: vec!["R-001".to_owned()],
            category_tolerances: vec![("supply chain".to_owned(), 2)],
            listed: Vec::new(),
        }
    }

    #[test]
    fn the_heatmap_names_its_risks_and_draws_the_tolerance() {
        let svg = heatmap(&map());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        // Ids in their cells; a full cell says how many more.
        assert!(
            svg.contains(">R-001</text>") && svg.contains(">+3 more</text>"),
            "{svg}"
        );
        // Colours agree with the appetite: 1 within, 9 above the ceiling.
        assert!(svg.contains(WITHIN) && svg.contains(ABOVE_CEILING));
        assert!(
            svg.contains("within the overall tolerance (score 4 or less)"),
            "{svg}"
        );
        assert!(
            svg.contains("above the overall tolerance (score 5 to 6)"),
            "{svg}"
        );
        assert!(svg.contains("the appetite's tolerance"));
        assert!(svg.contains("stroke-width=\"3\""), "the boundary is drawn");
        // For a screen reader.
        assert!(
            svg.contains("<title id=\"heatmap-title\">")
                && svg.contains("likelihood 3 impact 3: R-001, R-002"),
            "{svg}"
        );
        assert!(!svg.contains("<script") && !svg.contains("href"));
    }

    /// A risk above a stricter category tolerance sits in a cell within the overall one:
    /// it is marked, the legend says what the mark means and names the categories' own
    /// tolerances, and the words for a screen reader say the same.
    #[test]
    fn the_heatmap_marks_a_risk_above_its_own_tolerance() {
        let svg = heatmap(&map());
        // R-001 (score 1) is marked in its cell: a path drawn just left of its id.
        let at = svg.find(">R-001</text>").unwrap();
        assert!(svg[at..].starts_with(">R-001</text><path d=\"M"), "{svg}");
        assert!(svg.contains("a risk above its own tolerance"), "{svg}");
        assert!(
            svg.contains("categories with their own tolerance: supply chain 2"),
            "{svg}"
        );
        assert!(svg.contains("Above their own tolerance: R-001."), "{svg}");
        // The others are not marked.
        let at = svg.find(">R-002</text>").unwrap();
        assert!(!svg[at..].starts_with(">R-002</text><path"), "{svg}");
    }

    #[test]
    fn the_trend_counts_from_zero_by_band_with_months_and_gaps() {
        let point = |date: &str, rag: Option<Rag>, by_band: Vec<u32>| Point {
            date: d(date),
            rag,
            above_tolerance: by_band.iter().sum(),
            by_band,
        };
        let bands = vec!["Low".to_owned(), "High".to_owned()];
        let points = vec![
            point("2026-01-05", Some(Rag::Green), vec![0, 1]),
            point("2026-02-10", None, vec![0, 0]),
            point("2026-03-20", Some(Rag::Red), vec![1, 3]),
        ];
        let svg = trend(&points, &bands, d("2026-01-01"), d("2026-04-01"));
        assert!(
            svg.contains(">0</text>") && svg.contains(">4</text>"),
            "{svg}"
        );
        assert!(
            svg.contains(">Feb</text>") && svg.contains(">Apr</text>"),
            "{svg}"
        );
        assert!(
            svg.contains(">2026</text>"),
            "the year under the first month: {svg}"
        );
        assert!(svg.contains("2026-02-10: records not valid"), "{svg}");
        assert!(svg.contains("2026-03-20: 3 High above tolerance"), "{svg}");
        assert!(svg.contains(">High</text>") && svg.contains(">records not valid</text>"));
        // Between changes the count is held, not dropped to zero.
        assert!(
            svg.contains("1 above tolerance from 2026-01-05 to 2026-02-10"),
            "{svg}"
        );
        assert!(
            svg.contains("4 above tolerance from 2026-03-20 to 2026-04-01"),
            "{svg}"
        );
        assert!(svg.contains(">held until the next change</text>"), "{svg}");
        // One point reads as a point with its date.
        let svg = trend(&points[..1], &bands, d("2026-01-01"), d("2026-01-05"));
        assert!(svg.contains(">2026-01-05: 1</text>"), "{svg}");
    }
}
