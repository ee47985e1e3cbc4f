//! `assure log`'s report: who changed which record when, newest first, as human text,
//! Markdown or JSON.

use serde::Serialize;
use std::io::{self, Write};

use crate::git::short_text;
use crate::log::{Filter, Log, LogEntry};
use crate::report::diff::signed_mark;
use crate::report::human::{self, Style};
use crate::report::json::Header;
use crate::report::markdown::{self, escape};

/// The JSON report: the common header, the filters given, then the entries, newest first.
#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    header: Header,
    directory: &'a str,
    since: Option<crate::dates::Date>,
    until: Option<crate::dates::Date>,
    /// The record id or file asked for.
    record: Option<&'a str>,
    entries: &'a [LogEntry],
}

/// The files a commit left or found unreadable, in words.
fn unread_lines(e: &LogEntry) -> impl Iterator<Item = String> + '_ {
    let before = e.unread_before.iter().map(|f| {
        format!("{f} could not be read as a record before this commit, so its changes here are not shown")
    });
    let after = e.unread_after.iter().map(|f| {
        format!(
            "{f} could not be read as a record after this commit, so its changes here are not shown"
        )
    });
    before.chain(after)
}

pub fn write_json(out: &mut dyn Write, dir: &str, filter: &Filter, log: &Log) -> io::Result<()> {
    let entries = &log.entries;
    let report = Report {
        header: Header::new("log", log.marking.clone()),
        directory: crate::source::folder_name(dir),
        since: filter.since,
        until: filter.until,
        record: filter.target.as_deref(),
        entries,
    };
    crate::report::json::write(out, &report)
}

pub fn write_markdown(out: &mut dyn Write, log: &Log) -> io::Result<()> {
    markdown::framed(out, &log.marking, |out| markdown_body(out, &log.entries))
}

fn markdown_body(out: &mut dyn Write, entries: &[LogEntry]) -> io::Result<()> {
    for e in entries {
        writeln!(
            out,
            "- **{}** `{}` {}: {}",
            e.date,
            short_text(&e.commit),
            escape(&e.author),
            escape(&e.summary)
        )?;
        for c in &e.changes {
            writeln!(out, "  - {}{}", escape(&c.text), markdown::signed_mark(c))?;
        }
        for line in unread_lines(e) {
            writeln!(out, "  - ⛔ {}", escape(&line))?;
        }
    }
    Ok(())
}

pub fn write_human(
    out: &mut dyn Write,
    filter: &Filter,
    log: &Log,
    style: Style,
) -> io::Result<()> {
    let entries = &log.entries;
    human::write_marking(out, &log.marking, style)?;
    if entries.is_empty() {
        writeln!(
            out,
            "no changes to the records{}",
            filter
                .target
                .as_deref()
                .map(|t| format!(" for {t}"))
                .unwrap_or_default()
        )?;
    }
    for e in entries {
        let id = short_text(&e.commit);
        writeln!(
            out,
            "{} {} {} <{}>",
            style.bold(&e.date.to_string()),
            style.dim(id),
            human::inert(&e.author),
            human::inert(&e.email)
        )?;
        writeln!(out, "    {}", human::inert(&e.summary))?;
        for c in &e.changes {
            writeln!(
                out,
                "  {} {}{}",
                c.what.sign(),
                human::inert(&c.text),
                signed_mark(c)
            )?;
        }
        for line in unread_lines(e) {
            writeln!(out, "  {}", style.amber(&format!("! {line}")))?;
        }
    }
    Ok(())
}
