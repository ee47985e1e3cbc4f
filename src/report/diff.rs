//! `assure diff`'s report: what changed in the records between two revisions, as human
//! text, Markdown or JSON.

use serde::Serialize;
use std::io::{self, Write};

use crate::changes::{Change, Diff};
use crate::git::{Revision, short};
use crate::report::human::{self, Style, plural};
use crate::report::json::Header;
use crate::report::markdown::{self, escape};

/// The two sides compared: the base revision, and the head revision (`None`: the working
/// tree).
pub struct Sides<'a> {
    pub dir: &'a str,
    pub base: &'a Revision,
    pub head: Option<&'a Revision>,
}

#[derive(Serialize)]
struct Side<'a> {
    spec: &'a str,
    commit: Option<String>,
    /// Files that could not be read on this side; their changes are not shown.
    unreadable: &'a [String],
}

#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    header: Header,
    directory: &'a str,
    base: Side<'a>,
    head: Side<'a>,
    changes: &'a [Change],
    warnings: &'a [String],
    /// The risks and assessments whose covered code (`paths`) changed.
    covered: &'a [crate::covered::Touched],
}

pub fn write_json(out: &mut dyn Write, sides: &Sides<'_>, diff: &Diff) -> io::Result<()> {
    let report = Report {
        header: Header::new("diff", diff.marking.clone()),
        directory: crate::source::folder_name(sides.dir),
        base: Side {
            spec: &sides.base.spec,
            commit: Some(sides.base.commit.to_string()),
            unreadable: &diff.unread_base,
        },
        head: Side {
            spec: sides.head.map_or("the working tree", |r| r.spec.as_str()),
            commit: sides.head.map(|r| r.commit.to_string()),
            unreadable: &diff.unread_head,
        },
        changes: &diff.changes,
        warnings: &diff.warnings,
        covered: &diff.covered,
    };
    crate::report::json::write(out, &report)
}

pub fn write_markdown(out: &mut dyn Write, sides: &Sides<'_>, diff: &Diff) -> io::Result<()> {
    markdown::framed(out, &diff.marking, |out| markdown_body(out, sides, diff))
}

fn markdown_body(out: &mut dyn Write, sides: &Sides<'_>, diff: &Diff) -> io::Result<()> {
    let head = sides.head.map_or("the working tree".to_owned(), |r| {
        format!("`{}`", short(r.commit))
    });
    writeln!(
        out,
        "### Assurance records: {} from `{}` to {head}\n",
        plural(diff.changes.len(), "change", "changes"),
        short(sides.base.commit)
    )?;
    for warning in &diff.warnings {
        writeln!(out, "> ⚠️ {}\n", escape(warning))?;
    }
    for c in &diff.changes {
        writeln!(out, "- {}{}", escape(&c.text), markdown::signed_mark(c))?;
    }
    for file in diff.unread_base.iter().chain(&diff.unread_head) {
        writeln!(
            out,
            "- ⛔ {} could not be read; its changes are not shown",
            escape(file)
        )?;
    }
    if !diff.covered.is_empty() {
        writeln!(out, "\n#### Code the records cover\n")?;
        for t in &diff.covered {
            writeln!(out, "- {}", escape(&t.text))?;
            for file in &t.files {
                writeln!(out, "  - `{}`", file.replace('`', "'"))?;
            }
        }
    }
    Ok(())
}

/// What marks a change to signed content, or to who people are, in plain text.
pub fn signed_mark(change: &Change) -> &'static str {
    if change.trust {
        " [trust]"
    } else if change.signed == Some(true) {
        " [signed content]"
    } else {
        ""
    }
}

pub fn write_human(
    out: &mut dyn Write,
    sides: &Sides<'_>,
    diff: &Diff,
    style: Style,
) -> io::Result<()> {
    human::write_marking(out, &diff.marking, style)?;
    let head = sides.head.map_or("the working tree".to_owned(), |r| {
        format!("{} ({})", r.spec, short(r.commit))
    });
    writeln!(
        out,
        "{} from {} ({}) to {head}: {}",
        crate::source::folder(sides.dir),
        sides.base.spec,
        short(sides.base.commit),
        plural(diff.changes.len(), "change", "changes")
    )?;
    for warning in &diff.warnings {
        writeln!(out, "{}: {}", style.amber("warning"), human::inert(warning))?;
    }
    for t in &diff.covered {
        writeln!(out, "{} {}", style.amber("§"), human::inert(&t.text))?;
        for file in &t.files {
            writeln!(out, "    {}", human::inert(file))?;
        }
    }
    for c in &diff.changes {
        let sign = c.what.sign();
        let line = format!("{sign} {}{}", human::inert(&c.text), signed_mark(c));
        let line = match sign {
            '+' => style.green(&line),
            '-' => style.dim(&line),
            '!' => style.amber(&line),
            _ => style.plain(&line),
        };
        writeln!(out, "{line}")?;
    }
    for (side, files) in [
        (sides.base.spec.as_str(), &diff.unread_base),
        ("the newer side", &diff.unread_head),
    ] {
        if !files.is_empty() {
            writeln!(
                out,
                "note: changes not shown for {} that could not be read at {side}: {}",
                plural(files.len(), "file", "files"),
                files.join(", ")
            )?;
        }
    }
    Ok(())
}
