//! Human output: each problem with the offending source line and a caret under it, in the
//! style of rustc and cargo-deny. Colour only when asked (a terminal, no NO_COLOR).

use std::io::{self, Write};

use crate::evaluate::{Evaluated, FailOn};
use crate::finding::{Finding, Severity};
use crate::ratchet::Effect;
use crate::records::Marking;
use crate::records::load::Sources;
use crate::rules::risks::Summary;
use crate::rules::{Rag, Status};

/// ANSI styling, or none.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint<'t>(self, code: &'static str, text: &'t str) -> Painted<'t> {
        Painted {
            code: self.color.then_some(code),
            text,
        }
    }

    pub fn error(self, text: &str) -> Painted<'_> {
        self.paint("1;31", text)
    }
    pub fn red(self, text: &str) -> Painted<'_> {
        self.paint("1;31", text)
    }
    pub fn amber(self, text: &str) -> Painted<'_> {
        self.paint("1;33", text)
    }
    pub fn green(self, text: &str) -> Painted<'_> {
        self.paint("1;32", text)
    }
    pub fn bold(self, text: &str) -> Painted<'_> {
        self.paint("1", text)
    }
    pub fn dim(self, text: &str) -> Painted<'_> {
        self.paint("1;34", text)
    }
    /// Unstyled, beside styled text of the same kind.
    pub fn plain(self, text: &str) -> Painted<'_> {
        Painted { code: None, text }
    }

    pub fn severity(self, severity: Severity) -> Painted<'static> {
        match severity {
            Severity::Error => self.error("error"),
            Severity::Red => self.red("red"),
            Severity::Amber => self.amber("amber"),
        }
    }
}

/// Text in a style, written as it is shown: nothing is copied to show it.
#[derive(Clone, Copy, Debug)]
pub struct Painted<'t> {
    /// The ANSI code, when colour is on.
    code: Option<&'static str>,
    text: &'t str,
}

impl std::fmt::Display for Painted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.code {
            Some(code) => write!(f, "\x1b[{code}m{}\x1b[0m", self.text),
            None => f.write_str(self.text),
        }
    }
}

pub use crate::text::inert;

/// Write one finding with its source line.
pub fn write_finding(
    out: &mut dyn Write,
    finding: &Finding,
    sources: &Sources,
    style: Style,
) -> io::Result<()> {
    writeln!(
        out,
        "{}{}: {}",
        style.severity(finding.severity),
        style.bold(&format!("[{}]", finding.code)),
        style.bold(&inert(&finding.message))
    )?;
    let position = finding.location.position;
    let line_text = match (&finding.location.file, position) {
        (Some(file), Some(p)) => sources.line(file, p.line).map(inert),
        _ => None,
    };
    let gutter = position.map_or(1, |p| p.line.to_string().len());
    let pad = " ".repeat(gutter);
    if let Some(file) = &finding.location.file {
        let place = match position {
            Some(p) => format!("{file}:{}:{}", p.line, p.column),
            None => file.clone(),
        };
        writeln!(out, "{pad}{} {place}", style.dim("-->"))?;
    }
    if let (Some(text), Some(p)) = (line_text, position) {
        let bar = style.dim("|");
        let (shown, column) = crop(&text, p.column as usize);
        writeln!(out, "{pad} {bar}")?;
        writeln!(out, "{} {bar} {shown}", style.dim(&p.line.to_string()))?;
        // Keep tabs so the caret lines up under the same characters.
        let prefix: String = shown
            .chars()
            .take(column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let remaining = shown
            .chars()
            .count()
            .saturating_sub(column.saturating_sub(1));
        let width = (p.width as usize).min(remaining).max(1);
        let carets = "^".repeat(width);
        let caret = match finding.severity {
            Severity::Amber => style.amber(&carets),
            _ => style.error(&carets),
        };
        writeln!(out, "{pad} {bar} {prefix}{caret}")?;
    }
    if let Some(hint) = &finding.hint {
        writeln!(
            out,
            "{pad} {} {}: {}",
            style.dim("="),
            style.bold("help"),
            inert(hint)
        )?;
    }
    writeln!(out)
}

/// Longest source line shown whole; longer ones are cut to a window around the column.
const MAX_LINE: usize = 120;

/// The part of `line` to show, and the column within it.
fn crop(line: &str, column: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= MAX_LINE {
        return (line.to_owned(), column);
    }
    let start = column
        .saturating_sub(1)
        .saturating_sub(40)
        .min(count.saturating_sub(MAX_LINE - 2));
    let end = (start + MAX_LINE - 2).min(count);
    let mut shown = String::new();
    let mut column = column - start;
    if start > 0 {
        shown.push('…');
        column += 1;
    }
    shown.extend(line.chars().skip(start).take(end - start));
    if end < count {
        shown.push('…');
    }
    (shown, column)
}

/// The risk position in a sentence: "5 open risks (1 high, 3 medium, 1 low); 2 above
/// tolerance: 1 accepted, 1 on a plan".
pub fn risk_position(p: &Summary) -> String {
    let bands: Vec<String> = p
        .by_band
        .iter()
        .rev()
        .filter(|b| b.count > 0)
        .map(|b| format!("{} {}", b.count, b.label.to_lowercase()))
        .collect();
    let mut out = plural(p.open, "open risk", "open risks");
    if !bands.is_empty() {
        out.push_str(&format!(" ({})", bands.join(", ")));
    }
    if p.above_tolerance == 0 {
        out.push_str("; none above tolerance");
        return out;
    }
    let parts: Vec<String> = [
        (p.accepted, "accepted"),
        (p.treating, "on a plan"),
        (p.escalated, "escalated"),
        (p.unaddressed, "unaddressed"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    out.push_str(&format!(
        "; {} above tolerance: {}",
        p.above_tolerance,
        parts.join(", ")
    ));
    out
}

/// "1 risk", "3 risks".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The area table and every finding, worst first.
pub fn write_status(out: &mut dyn Write, evaluated: &Evaluated, style: Style) -> io::Result<()> {
    let Some(status) = &evaluated.status else {
        return write_invalid(out, evaluated, style);
    };
    let name = evaluated.project.as_deref().unwrap_or("assurance");
    let at = match &evaluated.revision {
        Some(r) => format!(", records at {} ({})", r.spec, crate::git::short(r.commit)),
        None => String::new(),
    };
    writeln!(
        out,
        "{} as of {}{at} · {}",
        style.bold(&inert(name)),
        status.as_of,
        evaluated.loaded.marking()
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "  Assurance currency  {} (are the records in date?)",
        rag(style, status.overall, 0)
    )?;
    writeln!(
        out,
        "  Risk position       {}",
        risk_position(&status.position)
    )?;
    for b in &evaluated.busy {
        writeln!(
            out,
            "  Code changed        risk {}'s covered code changed in {} since its review on {}: a reason to review it",
            b.id,
            plural(b.commits, "commit", "commits"),
            b.since
        )?;
    }
    writeln!(out)?;
    for (area, rag_of_area) in &status.areas {
        let count = status.count_in(*area);
        let detail = if count == 0 {
            String::new()
        } else {
            format!(" {}", plural(count, "finding", "findings"))
        };
        // Pad only when a count follows.
        let colour = if detail.is_empty() {
            rag(style, *rag_of_area, 0)
        } else {
            format!("{} ", rag(style, *rag_of_area, 5))
        };
        writeln!(out, "  {:<12} {colour}{detail}", area.label())?;
    }
    writeln!(out)?;
    write_findings(out, evaluated, style)?;
    write_summary(out, status, style)
}

/// The RAG word, coloured, padded to `width` before painting so escape codes do not
/// upset the columns.
fn rag(style: Style, rag: Rag, width: usize) -> String {
    let text = format!("{:<width$}", rag.upper());
    match rag {
        Rag::Green => style.green(&text),
        Rag::Amber => style.amber(&text),
        Rag::Red => style.red(&text),
    }
    .to_string()
}

/// Every rule finding, with its source line.
pub fn write_findings(out: &mut dyn Write, evaluated: &Evaluated, style: Style) -> io::Result<()> {
    if let Some(status) = &evaluated.status {
        // Each finding's text is its own: rendered on all cores, a few thousand at a time so
        // that the whole report is never held at once, and written in order.
        for window in status.findings.chunks(4096) {
            let rendered = crate::parallel::map(window, |finding| {
                // A finding runs to about four hundred bytes.
                let mut text = Vec::with_capacity(512);
                write_finding(&mut text, finding, &evaluated.loaded.sources, style).map(|()| text)
            });
            for text in rendered {
                out.write_all(&text?)?;
            }
        }
    }
    Ok(())
}

/// One line: how many findings, and what to do.
pub fn write_summary(out: &mut dyn Write, status: &Status, style: Style) -> io::Result<()> {
    let red = status.count_of(Severity::Red);
    let amber = status.count_of(Severity::Amber);
    if red + amber == 0 {
        return writeln!(
            out,
            "{}: no findings; every record is in date on {}.",
            rag(style, status.overall, 0),
            status.as_of
        );
    }
    writeln!(
        out,
        "{}: {} ({red} red, {amber} amber) on {}. Each finding says what to do{}.",
        rag(style, status.overall, 0),
        plural(red + amber, "finding", "findings"),
        status.as_of,
        if red > 0 {
            "; start with the red ones"
        } else {
            ""
        }
    )
}

/// The first line of a terminal report holding records marked above plain OFFICIAL: their
/// marking. Routine OFFICIAL needs none.
pub fn write_marking(out: &mut dyn Write, marking: &Marking, style: Style) -> io::Result<()> {
    if *marking == Marking::default() {
        return Ok(());
    }
    writeln!(out, "{}\n", style.bold(&marking.to_string()))
}

/// The record errors, and why there is no status.
pub fn write_invalid(out: &mut dyn Write, evaluated: &Evaluated, style: Style) -> io::Result<()> {
    let loaded = &evaluated.loaded;
    for finding in &loaded.problems {
        write_finding(out, finding, &loaded.sources, style)?;
    }
    write_invalid_summary(out, evaluated, style)
}

/// One line: how many problems, and that there is no status until they are fixed.
pub fn write_invalid_summary(
    out: &mut dyn Write,
    evaluated: &Evaluated,
    style: Style,
) -> io::Result<()> {
    let loaded = &evaluated.loaded;
    let mut files: Vec<&str> = loaded
        .problems
        .iter()
        .filter_map(|p| p.location.file.as_deref())
        .collect();
    files.dedup();
    writeln!(
        out,
        "{}: {} in {}; the records are not valid, so no status can be given. Fix them and run `assure check` again.",
        style.error("error"),
        plural(loaded.problems.len(), "problem", "problems"),
        plural(files.len(), "file", "files"),
    )
}

/// `assure check`'s report: the findings, then a line on the records and the status.
pub fn write_check(
    out: &mut dyn Write,
    evaluated: &Evaluated,
    fail_on: FailOn,
    effect: Option<(&Effect, &str)>,
    style: Style,
) -> io::Result<()> {
    write_marking(out, &evaluated.loaded.marking(), style)?;
    let Some(status) = &evaluated.status else {
        return write_invalid(out, evaluated, style);
    };
    write_findings(out, evaluated, style)?;
    let loaded = &evaluated.loaded;
    let counts: Vec<String> = loaded
        .records
        .counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| {
            if kind.is_singleton() {
                kind.name().to_owned()
            } else {
                format!("{n} {}", if n == 1 { kind.name() } else { kind.plural() })
            }
        })
        .collect();
    writeln!(
        out,
        "{}: {} in {} are valid ({})",
        style.green("ok"),
        plural(loaded.files, "record", "records"),
        crate::source::folder(&evaluated.dir),
        counts.join(", ")
    )?;
    write_summary(out, status, style)?;
    if let Some((effect, since)) = effect {
        write_effect(out, effect, since, style)?;
    }
    if fail_on.fails(status.overall, effect.map(|(e, _)| e)) {
        let why = match (fail_on, effect) {
            (FailOn::NewAmber, Some(_)) => {
                "the records introduce an amber or red finding (--fail-on new-amber)".to_owned()
            }
            (FailOn::NewRed, Some(_)) => {
                "the records introduce a red finding (--fail-on new-red)".to_owned()
            }
            (FailOn::Amber | FailOn::NewAmber, _) => {
                "the status is at or past --fail-on amber".to_owned()
            }
            _ => "the status is at or past --fail-on red".to_owned(),
        };
        writeln!(out, "{}: {why}", style.error("failed"))?;
    }
    Ok(())
}

/// What the records changed since `since`: a sentence, then each finding introduced and
/// resolved, one line each.
pub fn write_effect(
    out: &mut dyn Write,
    effect: &Effect,
    since: &str,
    style: Style,
) -> io::Result<()> {
    writeln!(out, "since {}: {}", inert(since), effect.sentence())?;
    for f in &effect.introduced {
        writeln!(
            out,
            "  new {}[{}]: {}",
            style.severity(f.severity),
            f.code.as_str(),
            inert(&f.message)
        )?;
    }
    for f in &effect.resolved {
        writeln!(out, "  resolved {}: {}", f.code.as_str(), inert(&f.message))?;
    }
    Ok(())
}

/// `check --baseline REV` whose records at REV are not valid: what this change introduces
/// cannot be told, so a `new-*` level judges the whole status; said on standard error.
pub fn baseline_unjudged(err: &mut dyn Write, spec: &str, fail_on: crate::evaluate::FailOn) {
    let judged = if fail_on.is_new() {
        format!(
            "; --fail-on {} judges the whole status instead",
            fail_on.as_str()
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        err,
        "warning: the records at {} are not valid, so what these records introduce and resolve cannot be told{judged}",
        inert(spec)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{ErrorCode, Location, Position};
    use std::sync::Arc;

    #[test]
    fn shows_the_line_and_a_caret() {
        let mut sources = Sources::default();
        sources.insert(
            "a/r.yaml",
            Arc::from("kind: risk\nlast_reveiwed: 2026-01-01\n"),
        );
        let f = Finding::error(
            ErrorCode::UnknownField,
            Location::at(
                "a/r.yaml",
                Position {
                    line: 2,
                    column: 1,
                    width: 13,
                },
            ),
            "unknown field `last_reveiwed`",
        )
        .with_hint("did you mean `last_reviewed`?");
        let mut out = Vec::new();
        write_finding(&mut out, &f, &sources, Style { color: false }).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "error[unknown-field]: unknown field `last_reveiwed`\n \
             --> a/r.yaml:2:1\n  |\n2 | last_reveiwed: 2026-01-01\n  | ^^^^^^^^^^^^^\n  = help: did you mean `last_reviewed`?\n\n"
        );
    }

    #[test]
    fn crops_long_lines_around_the_column() {
        let line = format!("a: {}", "[".repeat(1000));
        let (shown, column) = crop(&line, 259);
        assert!(shown.chars().count() <= MAX_LINE);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(column, 42);
        assert_eq!(crop("short", 3), ("short".to_owned(), 3));
    }

    #[test]
    fn shows_no_source_for_files_not_kept() {
        let f = Finding::error(
            ErrorCode::AboveClassification,
            Location::at("a/s.yaml", Position::START),
            "refused",
        );
        let mut out = Vec::new();
        write_finding(&mut out, &f, &Sources::default(), Style { color: false }).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains(" | "), "{text}");
        assert!(text.contains("a/s.yaml:1:1"));
    }
}
