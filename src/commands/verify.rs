//! `assure verify`: a verdict for every sign-off, with its reasons: content unchanged
//! (SIGN-1), signer was the SRO (SIGN-2), not expired (SIGN-3), and proven by git (SIGN-4).
//! Exit 1 if any does not count; 3 if the history needed is missing.

use serde::Serialize;
use std::io::Write;

use super::{output_error, read_records};
use crate::cli::{Config, Evaluation, Format};
use crate::error::{Exit, Result};
use crate::records::{Record, RecordSet, SignOff, Subject};
use crate::report::human::{Style, write_invalid};
use crate::report::json::Header;
use crate::report::markdown::escape;
use crate::rules::signoffs::{Flaw, SignOffs, describe, remedy};
use crate::witness::{Evidence, GitFlaw, Witness};

/// The verdict on one sign-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// It counts.
    Valid,
    /// A later sign-off of the same type on the same subject replaces it; it is history,
    /// whatever its flaws (which are still listed).
    Superseded,
    /// An acceptance past its expiry whose risk is now closed: nothing depends on it.
    Lapsed,
    /// Written but not committed yet.
    NotCommitted,
    /// Dated after the evaluation day.
    Future,
    /// It does not count.
    Invalid,
}

impl Verdict {
    pub fn fails(self) -> bool {
        matches!(self, Verdict::Invalid | Verdict::NotCommitted)
    }

    fn text(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Superseded => "superseded",
            Verdict::Lapsed => "lapsed",
            Verdict::NotCommitted => "not yet committed",
            Verdict::Future => "dated in the future",
            Verdict::Invalid => "INVALID",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Reason {
    pub rule: &'static str,
    pub message: String,
    pub remedy: String,
}

#[derive(Debug, Serialize)]
pub struct GitEvidence {
    pub commit: String,
    pub author: String,
    pub email: String,
    pub date: String,
    /// SHA256 fingerprint of the SSH key whose valid signature the commit carries.
    pub signed_with: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Outcome {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub subject: String,
    pub signed_by: String,
    pub date: String,
    pub expires: Option<String>,
    pub file: String,
    pub verdict: Verdict,
    pub superseded_by: Option<String>,
    pub reasons: Vec<Reason>,
    pub git: Option<GitEvidence>,
}

fn rule_of(flaw: &Flaw) -> &'static str {
    match flaw {
        Flaw::Changed { .. } | Flaw::SubjectMissing => "SIGN-1",
        Flaw::NotSro => "SIGN-2",
        Flaw::Expired { .. } => "SIGN-3",
        Flaw::Git(_) => "SIGN-4",
    }
}

/// Judge every sign-off of `set` on `as_of`.
pub fn judge(set: &RecordSet, as_of: crate::dates::Date, witness: &Witness) -> Vec<Outcome> {
    let signoffs = SignOffs::new(set, as_of, witness);
    let mut outcomes: Vec<Outcome> = Vec::new();
    for s in &set.signoffs {
        let standing = signoffs
            .standings
            .iter()
            .find(|st| std::ptr::eq(st.record, s));
        let (verdict, reasons, superseded_by) = match standing {
            None => (
                Verdict::Future,
                vec![Reason {
                    rule: "SIGN-3",
                    message: format!(
                        "it is dated {}, after {as_of}: it does not count yet",
                        s.date
                    ),
                    remedy: "check the date; it counts from that day".to_owned(),
                }],
                None,
            ),
            Some(standing) => {
                let reasons: Vec<Reason> = standing
                    .flaws
                    .iter()
                    .map(|flaw| Reason {
                        rule: rule_of(flaw),
                        remedy: remedy(s, flaw),
                        message: describe(
                            set,
                            &crate::rules::signoffs::Standing {
                                record: s,
                                flaws: vec![flaw.clone()],
                                superseded: false,
                            },
                        ),
                    })
                    .collect();
                let later = later_signoff(set, s);
                let subject_closed = matches!(&s.subject, Subject::Risk(id) if set.risk(id).is_some_and(|r| !r.is_open()));
                // A replaced sign-off is history: nothing counts on it any more. Its flaws are
                // still listed, for the record.
                let verdict = if standing.superseded {
                    Verdict::Superseded
                } else if standing.flaws.is_empty() {
                    Verdict::Valid
                } else if subject_closed
                    && standing
                        .flaws
                        .iter()
                        .all(|f| matches!(f, Flaw::Expired { .. }))
                {
                    Verdict::Lapsed
                } else if standing
                    .flaws
                    .iter()
                    .all(|f| matches!(f, Flaw::Git(GitFlaw::NotCommitted)))
                {
                    Verdict::NotCommitted
                } else {
                    Verdict::Invalid
                };
                (verdict, reasons, later.filter(|_| standing.superseded))
            }
        };
        outcomes.push(Outcome {
            id: s.id.clone(),
            kind: s.kind.as_str(),
            subject: s.subject.to_string(),
            signed_by: s.signed_by.clone(),
            date: s.date.to_string(),
            expires: s.expires.map(|d| d.to_string()),
            file: s.file.to_string(),
            verdict,
            superseded_by,
            reasons,
            git: witness.evidence.get(&s.id).map(evidence),
        });
    }
    outcomes.sort_by(|a, b| a.id.cmp(&b.id));
    outcomes
}

fn later_signoff(set: &RecordSet, s: &Record<SignOff>) -> Option<String> {
    set.signoffs
        .iter()
        .filter(|o| o.subject == s.subject && o.kind == s.kind && (o.date, &o.id) > (s.date, &s.id))
        .max_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)))
        .map(|o| o.id.clone())
}

fn evidence(e: &Evidence) -> GitEvidence {
    GitEvidence {
        commit: e.commit.to_string(),
        author: e.author.name.clone(),
        email: e.author.email.clone(),
        date: e.day.to_string(),
        signed_with: e.signed_with.clone(),
    }
}

#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    header: Header,
    as_of: String,
    directory: &'a str,
    git_checks: bool,
    valid: bool,
    signoffs: &'a [Outcome],
}

pub fn run(
    config: &Config,
    format: Format,
    evaluation: &Evaluation,
    out: &mut dyn Write,
) -> Result<Exit> {
    let records = read_records(config, evaluation)?;
    let loaded = &records.evaluated.loaded;
    if !loaded.is_valid() {
        match format {
            Format::Json => super::check::write_json(out, "verify", &records.evaluated)?,
            _ => write_invalid(
                out,
                &records.evaluated,
                Style {
                    color: config.color,
                },
            )
            .map_err(output_error)?,
        }
        return Ok(Exit::Invalid);
    }
    let set = &loaded.records;
    let outcomes = judge(set, records.evaluated.as_of, &records.witness);
    let failed = outcomes.iter().any(|o| o.verdict.fails());
    let style = Style {
        color: config.color,
    };
    match format {
        Format::Json => {
            let report = Report {
                header: Header::new("verify"),
                as_of: records.evaluated.as_of.to_string(),
                directory: &records.evaluated.dir,
                git_checks: set.policy.signoff.any(),
                valid: !failed,
                signoffs: &outcomes,
            };
            serde_json::to_writer_pretty(&mut *out, &report).map_err(|e| output_error(e.into()))?;
            writeln!(out).map_err(output_error)?;
        }
        Format::Markdown => write_markdown(out, &outcomes).map_err(output_error)?,
        Format::Human => write_human(out, set, &outcomes, style).map_err(output_error)?,
    }
    Ok(if failed { Exit::Failed } else { Exit::Ok })
}

fn write_human(
    out: &mut dyn Write,
    set: &RecordSet,
    outcomes: &[Outcome],
    style: Style,
) -> std::io::Result<()> {
    if outcomes.is_empty() {
        return writeln!(out, "no sign-offs to verify");
    }
    for o in outcomes {
        let verdict = match o.verdict {
            Verdict::Valid => style.green(o.verdict.text()),
            Verdict::Invalid | Verdict::NotCommitted => style.red(o.verdict.text()),
            _ => style.amber(o.verdict.text()),
        };
        let by = set
            .person(&o.signed_by)
            .map_or(o.signed_by.clone(), |p| format!("{} ({})", p.name, p.id));
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
            let signed = match &git.signed_with {
                Some(fingerprint) => format!(", SSH-signed with {fingerprint}"),
                None => ", not signed".to_owned(),
            };
            let commit = git.commit.get(..10).unwrap_or(&git.commit);
            writeln!(
                out,
                "  added in {commit} by {} <{}> on {}{signed}",
                git.author, git.email, git.date
            )?;
        }
        if o.verdict != Verdict::Superseded
            || o.reasons
                .iter()
                .any(|r| r.rule == "SIGN-4" || r.rule == "SIGN-2")
        {
            for reason in &o.reasons {
                writeln!(out, "  - {}: {}", reason.rule, reason.message)?;
                if o.verdict.fails() {
                    writeln!(out, "    = help: {}", reason.remedy)?;
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
    let failed = outcomes.iter().any(|o| o.verdict.fails());
    writeln!(
        out,
        "{}: {}: {}.{}",
        if failed {
            style.error("failed")
        } else {
            style.green("ok")
        },
        crate::report::human::plural(outcomes.len(), "sign-off", "sign-offs"),
        parts.join(", "),
        if failed {
            " Each reason above says what is wrong and what to do."
        } else {
            ""
        }
    )
}

fn write_markdown(out: &mut dyn Write, outcomes: &[Outcome]) -> std::io::Result<()> {
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
