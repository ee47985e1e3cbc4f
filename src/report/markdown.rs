//! Markdown output: the status as a GitHub-flavoured table, for job summaries, pull-request
//! comments and board packs. Everything users wrote is escaped, so a `|` in a risk title
//! cannot break a table and `<script>` stays text.

use std::io::{self, Write};

use crate::commands::Evaluated;
use crate::finding::{Finding, Severity};
use crate::rules::{Rag, Status};

/// Escape text for a Markdown table cell.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn rag(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "🟢 GREEN",
        Rag::Amber => "🟠 AMBER",
        Rag::Red => "🔴 RED",
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Amber => "🟠",
        Severity::Red => "🔴",
        Severity::Error => "⛔",
    }
}

fn place(f: &Finding) -> String {
    match (&f.location.file, f.location.position) {
        (Some(file), Some(p)) => format!("{}:{}", escape(file), p.line),
        (Some(file), None) => escape(file),
        _ => String::new(),
    }
}

/// A table of findings.
pub fn findings_table(out: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    writeln!(out, "| | Rule | Finding | Due | What to do |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for f in findings {
        let location = place(f);
        let location = if location.is_empty() {
            String::new()
        } else {
            format!("<br>{location}")
        };
        writeln!(
            out,
            "| {} | {} | {}{location} | {} | {} |",
            severity(f.severity),
            f.code,
            escape(&f.message),
            f.due.map(|d| d.to_string()).unwrap_or_default(),
            escape(f.hint.as_deref().unwrap_or_default()),
        )?;
    }
    Ok(())
}

/// Each area's status and how many findings it has, then a blank line.
pub fn areas_table(out: &mut dyn Write, status: &Status) -> io::Result<()> {
    writeln!(out, "| Area | Status | Findings |")?;
    writeln!(out, "|---|---|---|")?;
    for (area, area_rag) in &status.areas {
        writeln!(
            out,
            "| {} | {} | {} |",
            area.label(),
            rag(*area_rag),
            status.count_in(*area)
        )?;
    }
    writeln!(out)
}

pub fn write_status(out: &mut dyn Write, evaluated: &Evaluated) -> io::Result<()> {
    let name = escape(evaluated.project.as_deref().unwrap_or("assurance"));
    let Some(status) = &evaluated.status else {
        writeln!(out, "### Assurance status: ⛔ records not valid\n")?;
        writeln!(
            out,
            "{name}: {} record problems; no status can be given until they are fixed.\n",
            evaluated.loaded.problems.len()
        )?;
        return findings_table(out, &evaluated.loaded.problems);
    };
    writeln!(out, "### Assurance status: {}\n", rag(status.overall))?;
    let at = match &evaluated.revision {
        Some(r) => format!(" · records at `{}`", crate::git::short(r.commit)),
        None => String::new(),
    };
    writeln!(out, "{name} · as of {}{at}\n", status.as_of)?;
    areas_table(out, status)?;
    if status.findings.is_empty() {
        return writeln!(out, "No findings: every record is in date.");
    }
    writeln!(out, "#### Findings, worst first\n")?;
    findings_table(out, &status.findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_tables_whole() {
        assert_eq!(
            escape("Laptop | theft <script>"),
            "Laptop \\| theft \\<script\\>"
        );
        assert_eq!(escape("a\nb"), "a b");
        assert_eq!(escape("R-001_x *y*"), "R-001\\_x \\*y\\*");
    }
}
