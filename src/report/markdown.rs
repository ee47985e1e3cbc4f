//! Markdown output: the status as a GitHub-flavoured table, for job summaries, pull-request
//! comments and board packs. Everything users wrote is escaped, so a `|` in a risk title
//! cannot break a table and `<script>` stays text.

use std::io::{self, Write};

use crate::evaluate::Evaluated;
use crate::finding::{Finding, Severity};
use crate::records::Marking;
use crate::rules::{Rag, Status};

/// A protective marking as a Markdown line.
pub fn marking_line(marking: &Marking) -> String {
    format!("**{}**", escape(&marking.to_string()))
}

/// `body` between two lines stating its protective marking: the first line and the last.
pub fn framed(
    out: &mut dyn Write,
    marking: &Marking,
    body: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    writeln!(out, "{}\n", marking_line(marking))?;
    body(out)?;
    writeln!(out, "\n{}", marking_line(marking))
}

/// What marks, in Markdown, a change to what a sign-off binds.
pub fn signed_mark(change: &crate::changes::Change) -> &'static str {
    if change.trust {
        " *(trust)*"
    } else if change.signed == Some(true) {
        " *(signed content)*"
    } else {
        ""
    }
}

/// Escape text for Markdown (a table cell or a line). An `@` that would mention someone on
/// GitHub (`@octocat`, `@org/team`, at the start of a word) is followed by a zero-width
/// space, so it is shown and notifies no one.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '|' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            // Other control characters (ESC, BEL, C1 codes) are shown as symbols.
            c if c.is_control() && c != '\t' => out.push_str(&crate::text::inert(&c.to_string())),
            '@' if !previous.is_some_and(|p| p.is_alphanumeric() || p == '`')
                && chars.peek().is_some_and(|n| n.is_ascii_alphanumeric()) =>
            {
                out.push_str("@\u{200b}");
            }
            c => out.push(c),
        }
        previous = Some(c);
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

pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Amber => "🟠",
        Severity::Red => "🔴",
        Severity::Error => "⛔",
    }
}

/// Where a finding's file can be seen on the forge: `{server}/{repository}/blob/{commit}/`,
/// then the folder the repository is checked out in, if any.
#[derive(Debug, Clone)]
pub struct SourceLinks {
    blob: String,
}

impl SourceLinks {
    pub fn new(server: &str, repository: &str, commit: &str, prefix: &str) -> SourceLinks {
        SourceLinks {
            blob: format!(
                "{}/{repository}/blob/{commit}/{}",
                server.trim_end_matches('/'),
                url_path(prefix)
            ),
        }
    }

    fn to(&self, file: &str, line: Option<u32>) -> String {
        let anchor = line.map(|l| format!("#L{l}")).unwrap_or_default();
        format!("{}{}{anchor}", self.blob, url_path(file))
    }
}

/// A path for a URL: every byte but the unreserved ones and `/` percent-encoded, so spaces,
/// brackets and parentheses cannot end a Markdown link.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn place(f: &Finding, links: Option<&SourceLinks>) -> String {
    let Some(file) = &f.location.file else {
        return String::new();
    };
    let line = f.location.position.map(|p| p.line);
    let text = match line {
        Some(line) => format!("{}:{line}", escape(file)),
        None => escape(file),
    };
    match links {
        Some(links) => format!("[{text}]({})", links.to(file, line)),
        None => text,
    }
}

/// A table of findings; with `links`, each place links to the file on the forge.
pub fn findings_table(
    out: &mut dyn Write,
    findings: &[Finding],
    links: Option<&SourceLinks>,
) -> io::Result<()> {
    writeln!(out, "| | Rule | Finding | Due | What to do |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for f in findings {
        let location = place(f, links);
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

/// The second headline, under the currency: the risk position.
pub fn position_line(out: &mut dyn Write, status: &Status) -> io::Result<()> {
    writeln!(
        out,
        "**Risk position:** {}\n",
        escape(&crate::report::human::risk_position(&status.position))
    )
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
    framed(out, &evaluated.loaded.marking(), |out| {
        status_body(out, evaluated)
    })
}

fn status_body(out: &mut dyn Write, evaluated: &Evaluated) -> io::Result<()> {
    let name = escape(evaluated.project.as_deref().unwrap_or("assurance"));
    let Some(status) = &evaluated.status else {
        writeln!(out, "### Assurance status: ⛔ records not valid\n")?;
        writeln!(
            out,
            "{name}: {} record problems; no status can be given until they are fixed.\n",
            evaluated.loaded.problems.len()
        )?;
        return findings_table(out, &evaluated.loaded.problems, None);
    };
    writeln!(out, "### Assurance currency: {}\n", rag(status.overall))?;
    let at = match &evaluated.revision {
        Some(r) => format!(" · records at `{}`", crate::git::short(r.commit)),
        None => String::new(),
    };
    writeln!(out, "{name} · as of {}{at}\n", status.as_of)?;
    position_line(out, status)?;
    areas_table(out, status)?;
    if status.findings.is_empty() {
        return writeln!(out, "No findings: every record is in date.");
    }
    writeln!(out, "#### Findings, worst first\n")?;
    findings_table(out, &status.findings, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{ErrorCode, Location, Position};

    #[test]
    fn places_link_to_the_file_and_line_on_the_forge() {
        let links = SourceLinks::new("https://github.com/", "mod-example/service", "abc123", "");
        let f = Finding::error(
            ErrorCode::Schema,
            Location::at(
                "assurance/risks/R-001 (old).yaml",
                Position {
                    line: 7,
                    column: 3,
                    width: 1,
                },
            ),
            "m",
        );
        assert_eq!(
            place(&f, Some(&links)),
            "[assurance/risks/R-001 (old).yaml:7](https://github.com/mod-example/service/blob/abc123/assurance/risks/R-001%20%28old%29.yaml#L7)"
        );
        assert_eq!(place(&f, None), "assurance/risks/R-001 (old).yaml:7");
        // Checked out into a folder of the workspace.
        let links = SourceLinks::new("https://ghe.example", "o/r", "abc", "svc/");
        assert!(
            place(&f, Some(&links)).contains("(https://ghe.example/o/r/blob/abc/svc/assurance/")
        );
        // No file, no place.
        assert_eq!(
            place(
                &Finding::error(ErrorCode::Schema, Location::default(), "m"),
                Some(&links)
            ),
            ""
        );
    }

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
