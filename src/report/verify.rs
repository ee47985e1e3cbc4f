//! `assure verify`'s report: a verdict for every sign-off with its reasons, as human text,
//! Markdown or JSON.

use serde::Serialize;
use std::io::{self, Write};

use crate::git::short_text;
use crate::records::RecordSet;
use crate::report::human::{self, Style, plural};
use crate::report::json::Header;
use crate::report::markdown::escape;
use crate::verify::{Outcome, Verdict};

#[derive(Serialize)]
pub struct Report<'a> {
    #[serde(flatten)]
    pub header: Header,
    pub as_of: String,
    pub directory: &'a str,
    /// Whether `policy.signoff` asks git to witness sign-offs.
    pub git_checks: bool,
    pub valid: bool,
    pub signoffs: &'a [Outcome],
}

pub fn write_human(
    out: &mut dyn Write,
    set: &RecordSet,
    outcomes: &[Outcome],
    style: Style,
) -> io::Result<()> {
    if outcomes.is_empty() {
        return writeln!(out, "no sign-offs to verify");
    }
    human::write_marking(out, &set.marking(), style)?;
    for o in outcomes {
        let verdict = match o.verdict {
            Verdict::Valid => style.green(o.verdict.text()),
            Verdict::Invalid | Verdict::NotCommitted => style.red(o.verdict.text()),
            _ => style.amber(o.verdict.text()),
        };
        let by = set
            .person(&o.signed_by)
            .map_or(o.signed_by.clone(), |p| format!("{} ({})", p.name, p.id));
        let by = human::inert(&by);
        writeln!(
            out,
            "{} {} of {}, signed by {by} on {}: {verdict}",
            style.bold(&o.id),
            o.kind,
            o.subject,
            o.date
        )?;
        if let Some(later) = &o.superseded_by {
            writeln!(out, "  superseded by {later}")?;
        }
        if let Some(git) = &o.git {
            let signed = match (&git.signed_with, &git.platform_key_file) {
                (Some(fingerprint), Some(file)) => {
                    format!(", signed by the platform key {fingerprint} ({file}) for its author")
                }
                (Some(fingerprint), None) => format!(", SSH-signed with {fingerprint}"),
                (None, _) => ", not signed".to_owned(),
            };
            let commit = short_text(&git.commit);
            writeln!(
                out,
                "  added in {commit} by {} <{}> on {}{signed}",
                human::inert(&git.author),
                human::inert(&git.email),
                git.date
            )?;
        }
        if o.shows_reasons() {
            for reason in &o.reasons {
                writeln!(
                    out,
                    "  - {}: {}",
                    reason.rule,
                    human::inert(&reason.message)
                )?;
                if o.verdict.fails() {
                    writeln!(out, "    = help: {}", human::inert(&reason.remedy))?;
                }
            }
        }
    }
    let count = |v: Verdict| outcomes.iter().filter(|o| o.verdict == v).count();
    let mut parts = vec![format!("{} valid", count(Verdict::Valid))];
    for (v, word) in [
        (Verdict::Invalid, "invalid"),
        (Verdict::NotCommitted, "not yet committed"),
        (Verdict::Superseded, "superseded"),
        (Verdict::Lapsed, "lapsed"),
        (Verdict::Future, "dated in the future"),
    ] {
        if count(v) > 0 {
            parts.push(format!("{} {word}", count(v)));
        }
    }
    writeln!(out)?;
    let failed = crate::verify::any_fails(outcomes);
    writeln!(
        out,
        "{}: {}: {}.{}",
        if failed {
            style.error("failed")
        } else {
            style.green("ok")
        },
        plural(outcomes.len(), "sign-off", "sign-offs"),
        parts.join(", "),
        if failed {
            " Each reason above says what is wrong and what to do."
        } else {
            ""
        }
    )
}

pub fn write_markdown(
    out: &mut dyn Write,
    set: &RecordSet,
    outcomes: &[Outcome],
) -> io::Result<()> {
    crate::report::markdown::framed(out, &set.marking(), |out| markdown_body(out, outcomes))
}

fn markdown_body(out: &mut dyn Write, outcomes: &[Outcome]) -> io::Result<()> {
    writeln!(out, "| Sign-off | Decision | Signed | Verdict | Reasons |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for o in outcomes {
        let reasons: Vec<String> = o
            .reasons
            .iter()
            .map(|r| format!("{}: {}", r.rule, escape(&r.message)))
            .collect();
        writeln!(
            out,
            "| {} | {} of {} | {} on {} | {} | {} |",
            o.id,
            o.kind,
            escape(&o.subject),
            escape(&o.signed_by),
            o.date,
            o.verdict.text(),
            reasons.join("<br>")
        )?;
    }
    Ok(())
}
