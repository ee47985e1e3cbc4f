//! Reminders as GitHub issues (title and Markdown body), and the plan as a person reads it
//! on a terminal or as JSON. Text from records a handling marking withholds from outputs that
//! leave the team is left out, saying where to read it.

use std::io::{self, Write};

use serde::Serialize;

use crate::error::Error;
use crate::github::CommentError;
use crate::github::issues::{IssueOutcome, IssuePlan, Synced};
use crate::public::Withholding;
use crate::records::Marking;
use crate::remind::{Item, Reminder};
use crate::report::json::Header;
use crate::report::markdown;

/// Where an item's record is on the web: `{base}/{file}#L{line}`, `base` being the
/// repository's blob URL at the commit or branch (`https://github.com/o/r/blob/SHA`).
fn link(base: Option<&str>, item: &Item) -> String {
    match (&item.file, base) {
        (Some(file), Some(base)) => {
            let line = item.line.map(|l| format!("#L{l}")).unwrap_or_default();
            format!(
                "[{file}]({base}/{}{line})",
                crate::git::percent_encode(file, true)
            )
        }
        (Some(file), None) => format!("`{file}`"),
        (None, _) => String::new(),
    }
}

fn table(out: &mut String, items: &[Item], base: Option<&str>, withholding: &Withholding) {
    out.push_str("| What | Due | Record |\n|---|---|---|\n");
    for item in items {
        let what = match withholding.marking(item.file.as_deref()) {
            Some(marking) => {
                format!("an item in a record marked {marking} (read it in the repository)")
            }
            None => markdown::escape(&item.what),
        };
        let due = match item.due {
            Some(due) if item.overdue => format!("**{due} (overdue)**"),
            Some(due) => due.to_string(),
            None => "now".to_owned(),
        };
        out.push_str(&format!("| {what} | {due} | {} |\n", link(base, item)));
    }
}

/// The issue that reminds `r`.
pub fn issue(r: &Reminder, base: Option<&str>, withholding: &Withholding) -> IssuePlan {
    let marking = markdown::marking_line(withholding.output_marking());
    let mut body = format!(
        "{marking}\n\n{} owes these for the service's security assurance. This issue is kept up to date by `assure remind` (it changes only when what is owed does) and closes itself when nothing is left.\n\n",
        markdown::escape(&r.name)
    );
    if !r.decisions.is_empty() {
        body.push_str("## Decisions you owe as SRO\n\n");
        table(&mut body, &r.decisions, base, withholding);
        body.push('\n');
    }
    if !r.items.is_empty() {
        body.push_str("## Due\n\n");
        table(&mut body, &r.items, base, withholding);
        body.push('\n');
    }
    body.push_str("Record what you did in the records (a review date, an action done, a sign-off) and this list follows.\n");
    body.push_str(&format!("\n{marking}\n"));
    let overdue = r
        .items
        .iter()
        .chain(&r.decisions)
        .filter(|i| i.overdue)
        .count();
    let count = r.items.len() + r.decisions.len();
    IssuePlan {
        key: r.person.clone(),
        title: format!(
            "Assurance: {count} item{} for {}{}",
            if count == 1 { "" } else { "s" },
            r.name,
            if overdue > 0 {
                format!(" ({overdue} overdue)")
            } else {
                String::new()
            }
        ),
        body,
        assignee: r.github.clone(),
    }
}

/// The last word of an issue closed because nothing is left.
pub const CLOSING: &str = "Nothing is overdue or due soon: closed by `assure remind`.";

/// The plan of a dry run as the issues' Markdown, between its marking lines.
pub fn write_plan_markdown(
    out: &mut dyn Write,
    plans: &[IssuePlan],
    marking: &Marking,
) -> io::Result<()> {
    markdown::framed(out, marking, |out| {
        for p in plans {
            writeln!(out, "# {}\n\n{}", p.title, p.body)?;
        }
        Ok(())
    })
}

/// The plan of a dry run as JSON, with the common header: each issue with what it holds as
/// data (the decisions owed, then the items due) beside its Markdown. `reminders` are the
/// plans' sources, in the same order.
pub fn write_plan_json(
    out: &mut dyn Write,
    reminders: &[Reminder],
    plans: &[IssuePlan],
    marking: &Marking,
    withholding: &Withholding,
) -> io::Result<()> {
    let issues: Vec<_> = plans
        .iter()
        .zip(reminders)
        .map(|(p, r)| Planned {
            person: &p.key,
            title: &p.title,
            assignee: p.assignee.as_deref(),
            decisions: r
                .decisions
                .iter()
                .map(|i| ItemView::of(i, withholding))
                .collect(),
            items: r
                .items
                .iter()
                .map(|i| ItemView::of(i, withholding))
                .collect(),
            body: &p.body,
        })
        .collect();
    json(
        out,
        &Plan {
            header: Header::new("remind", marking.clone()),
            dry_run: true,
            issues,
        },
    )
}

/// The warnings of a run on GitHub, for standard error.
pub fn write_warnings(err: &mut dyn Write, (_, warnings): &Synced) -> io::Result<()> {
    for w in warnings {
        writeln!(err, "warning: {}", crate::report::human::inert(w))?;
    }
    Ok(())
}

/// What a run did on GitHub, as JSON with the common header.
pub fn write_outcomes_json(
    out: &mut dyn Write,
    (outcomes, _): &Synced,
    marking: &Marking,
) -> io::Result<()> {
    let issues: Vec<_> = outcomes
        .iter()
        .map(|(person, outcome)| Done { person, outcome })
        .collect();
    json(
        out,
        &Plan {
            header: Header::new("remind", marking.clone()),
            dry_run: false,
            issues,
        },
    )
}

/// Why `remind` could not keep its issues, and what to do: an error that fails the run.
pub fn failure(e: CommentError) -> Error {
    let (message, hint) = match &e {
        CommentError::Refused { status, message } => (
            format!("GitHub refused to let this workflow write issues ({status}: {message})"),
            "give the workflow `permissions: issues: write`; a pull request from a fork gets a read-only token",
        ),
        CommentError::Failed { message, .. } => (
            format!("the reminder issues could not be written: {message}"),
            "run again later; nothing is posted twice, as each reminder is found again by its marker",
        ),
        CommentError::NotConfigured(what) => (
            what.clone(),
            "in a workflow, pass `env: GITHUB_TOKEN: ${{ github.token }}` to the step",
        ),
    };
    Error::Github {
        message,
        hint: hint.to_owned(),
        source: Box::new(e),
    }
}

#[derive(Serialize)]
struct Plan<T: Serialize> {
    #[serde(flatten)]
    header: Header,
    dry_run: bool,
    issues: Vec<T>,
}

#[derive(Serialize)]
struct Planned<'a> {
    person: &'a str,
    title: &'a str,
    assignee: Option<&'a str>,
    decisions: Vec<ItemView<'a>>,
    items: Vec<ItemView<'a>>,
    body: &'a str,
}

/// One thing owed, as data; the text of a record its marking withholds is left out.
#[derive(Serialize)]
struct ItemView<'a> {
    what: std::borrow::Cow<'a, str>,
    due: Option<crate::dates::Date>,
    overdue: bool,
    file: Option<&'a str>,
    line: Option<u32>,
}

impl<'a> ItemView<'a> {
    fn of(item: &'a Item, withholding: &Withholding) -> ItemView<'a> {
        let what = match withholding.marking(item.file.as_deref()) {
            Some(marking) => std::borrow::Cow::Owned(format!(
                "an item in a record marked {marking} (read it in the repository)"
            )),
            None => std::borrow::Cow::Borrowed(item.what.as_str()),
        };
        ItemView {
            what,
            due: item.due,
            overdue: item.overdue,
            file: item.file.as_deref(),
            line: item.line,
        }
    }
}

#[derive(Serialize)]
struct Done<'a> {
    person: &'a str,
    outcome: &'a IssueOutcome,
}

fn json(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// The plan, for a person to read.
pub fn write_plan(out: &mut dyn Write, plans: &[IssuePlan], dry_run: bool) -> io::Result<()> {
    if plans.is_empty() {
        writeln!(
            out,
            "nobody owes anything due soon; any open reminder issue would be closed"
        )?;
    }
    for p in plans {
        let who = p
            .assignee
            .as_deref()
            .map(|a| format!(" (assigned to {a})"))
            .unwrap_or_default();
        writeln!(out, "{}{who}", crate::report::human::inert(&p.title))?;
    }
    if dry_run {
        writeln!(out, "dry run: nothing was changed on GitHub")?;
    }
    Ok(())
}

/// What became of each issue.
pub fn write_outcomes(out: &mut dyn Write, outcomes: &[(String, IssueOutcome)]) -> io::Result<()> {
    for (key, outcome) in outcomes {
        let (verb, number) = match outcome {
            IssueOutcome::Created(n) => ("opened", n),
            IssueOutcome::Updated(n) => ("updated", n),
            IssueOutcome::Unchanged(n) => ("unchanged", n),
            IssueOutcome::Closed(n) => ("closed", n),
        };
        writeln!(out, "{verb} #{number} for {key}")?;
    }
    Ok(())
}
