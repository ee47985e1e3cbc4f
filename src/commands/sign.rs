//! `assure sign`: write an SRO sign-off bound to the canonical digest of its subject, after
//! checking that it would count. It never overwrites a file.

use std::io::Write;

use super::output_error;
use crate::cli::{Config, SignRequest};
use crate::dates::Date;
use crate::error::{Error, Exit, Result};
use crate::fsutil;
use crate::records::load::{self, Loaded};
use crate::records::{Kind, Role, SignOffType, Subject};
use crate::rules::signoffs::subject_name;
use crate::suggest::did_you_mean;
use crate::workspace;

fn refuse(message: impl Into<String>, hint: impl Into<String>) -> Error {
    Error::usage(message, hint)
}

/// The problems of one file, in one line each.
fn problems_in(loaded: &Loaded, file: &str) -> Vec<String> {
    loaded
        .problems
        .iter()
        .filter(|p| p.location.file.as_deref() == Some(file))
        .map(|p| {
            let line = p.location.position.map_or(1, |p| p.line);
            format!("{file}:{line}: {}", p.message)
        })
        .collect()
}

/// The next free sign-off number, from every file and id under signoffs/ (valid or not).
fn next_id(loaded: &Loaded, entries: &[String]) -> String {
    let from_ids = loaded.records.signoffs.iter().map(|s| s.id.clone());
    let from_files = entries.iter().filter_map(|p| {
        p.rsplit('/').next().map(|n| {
            n.trim_end_matches(".yaml")
                .trim_end_matches(".yml")
                .to_owned()
        })
    });
    let highest = from_ids
        .chain(from_files)
        .filter_map(|id| id.strip_prefix("S-").and_then(|n| n.parse::<u64>().ok()))
        .max()
        .unwrap_or(0);
    format!("S-{:04}", highest + 1)
}

/// A YAML scalar for free text: a JSON string is a valid YAML double-quoted scalar.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

fn fits(kind: SignOffType, subject: &Subject) -> bool {
    match kind {
        SignOffType::ReportApproval => matches!(subject, Subject::Assessment(_)),
        SignOffType::RiskAcceptance => matches!(subject, Subject::Risk(_)),
        SignOffType::AppetiteApproval => *subject == Subject::Appetite,
        SignOffType::Other => true,
    }
}

pub fn run(config: &Config, request: &SignRequest, out: &mut dyn Write) -> Result<Exit> {
    let workspace = workspace::locate(config.dir.as_deref(), true)?;
    let dir = workspace.records.display.clone();
    let entries = workspace.records.entries();
    let paths: Vec<String> = entries.iter().map(|e| e.path.clone()).collect();
    let loaded = load::load(&dir, entries);
    let set = &loaded.records;
    let date: Date = request.date;

    for (kind, file) in [
        (Kind::Project, "project.yaml"),
        (Kind::People, "people.yaml"),
    ] {
        let path = format!("{dir}/{file}");
        let problems = problems_in(&loaded, &path);
        if !problems.is_empty() {
            return Err(refuse(
                format!(
                    "{path} has problems, so a sign-off cannot be checked:\n  {}",
                    problems.join("\n  ")
                ),
                "fix them first (assure check shows them all)",
            ));
        }
        let present = match kind {
            Kind::Project => set.project.is_some(),
            _ => set.people.is_some(),
        };
        if !present {
            return Err(refuse(
                format!("there is no {path}"),
                "run `assure init` to create the starting records",
            ));
        }
    }

    // The subject must exist and be valid: its digest is what the SRO signs.
    let subject = &request.subject;
    let (subject_file, digest) = match subject {
        Subject::Risk(id) => (
            set.risk(id).map(|r| r.file.to_string()),
            set.risk(id).map(|r| r.digest),
        ),
        Subject::Assessment(id) => (
            set.assessment(id).map(|a| a.file.to_string()),
            set.assessment(id).map(|a| a.digest),
        ),
        Subject::Appetite => (
            set.appetite.as_ref().map(|a| a.file.to_string()),
            set.appetite.as_ref().map(|a| a.digest),
        ),
    };
    let Some(digest) = digest else {
        // Invalid, or missing?
        let candidates: Vec<&str> = paths.iter().map(String::as_str).collect();
        let id = match subject {
            Subject::Risk(id) | Subject::Assessment(id) => id.as_str(),
            Subject::Appetite => "appetite",
        };
        if let Some(file) = candidates
            .iter()
            .find(|p| p.ends_with(&format!("/{id}.yaml")) || p.ends_with(&format!("/{id}.yml")))
        {
            let problems = problems_in(&loaded, file);
            return Err(refuse(
                format!(
                    "{} is not valid, so it cannot be signed:\n  {}",
                    subject_name(subject),
                    problems.join("\n  ")
                ),
                "fix it first (assure check shows every problem), then sign",
            ));
        }
        let known: Vec<&str> = match subject {
            Subject::Risk(_) => set.risks.iter().map(|r| r.id.as_str()).collect(),
            Subject::Assessment(_) => set.assessments.iter().map(|a| a.id.as_str()).collect(),
            Subject::Appetite => Vec::new(),
        };
        let hint = match did_you_mean(id, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if *subject == Subject::Appetite => format!("write {dir}/appetite.yaml first"),
            None => "give the id of an existing record (assure status lists them)".to_owned(),
        };
        return Err(refuse(
            format!("there is no {}", subject_name(subject)),
            hint,
        ));
    };
    let subject_file = subject_file.unwrap_or_default();
    let subject_problems = problems_in(&loaded, &subject_file);
    if !subject_problems.is_empty() {
        return Err(refuse(
            format!(
                "{} has problems:\n  {}",
                subject_name(subject),
                subject_problems.join("\n  ")
            ),
            "fix them first, then sign",
        ));
    }

    if !fits(request.kind, subject) {
        let wanted = match request.kind {
            SignOffType::ReportApproval => "an assessment (assessment:<id>)",
            SignOffType::RiskAcceptance => "a risk (risk:R-NNN)",
            _ => "the appetite (appetite)",
        };
        return Err(refuse(
            format!(
                "a {} must be about {wanted}, not {subject}",
                request.kind.as_str()
            ),
            "correct --subject or --type",
        ));
    }

    // The signer must be the SRO on the day.
    let Some(signer) = set.person(&request.by) else {
        let hint = match did_you_mean(&request.by, set.all_people().iter().map(|p| p.id.as_str())) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "give the SRO's id from people.yaml".to_owned(),
        };
        return Err(refuse(
            format!("there is no person `{}` in people.yaml", request.by),
            hint,
        ));
    };
    if !signer.holds(Role::Sro, date) {
        let sros: Vec<String> = set
            .all_people()
            .iter()
            .filter(|p| p.holds(Role::Sro, date))
            .map(|p| format!("{} ({})", p.id, p.name))
            .collect();
        let hint = if sros.is_empty() {
            "people.yaml names no SRO on that day: add the role (with its dates) first".to_owned()
        } else {
            format!("the SRO on {date} is {}", sros.join(" and "))
        };
        return Err(refuse(
            format!("{} ({}) is not the SRO on {date}", signer.name, signer.id),
            hint,
        ));
    }

    let policy = &set.policy;
    if let Some(expires) = request.expires
        && expires <= date
    {
        return Err(refuse(
            format!("--expires {expires} is not after --date {date}"),
            "give an expiry after the decision",
        ));
    }
    if request.kind == SignOffType::RiskAcceptance {
        let latest = policy.acceptance_max.after(date);
        let Some(expires) = request.expires else {
            return Err(refuse(
                "a risk acceptance needs an expiry",
                format!(
                    "add --expires DATE, at most acceptance_max ({}) after {date}: {latest} at the latest",
                    policy.acceptance_max
                ),
            ));
        };
        if expires > latest {
            return Err(refuse(
                format!(
                    "--expires {expires} is more than acceptance_max ({}) after {date}",
                    policy.acceptance_max
                ),
                format!("the latest allowed is {latest}; the SRO can renew it then"),
            ));
        }
        if request
            .rationale
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            return Err(refuse(
                "a risk acceptance needs a rationale",
                "add --rationale \"why the SRO accepts the risk\"",
            ));
        }
    }

    let id = next_id(&loaded, &paths);
    let relative = format!("signoffs/{id}.yaml");
    let path = format!("{dir}/{relative}");
    let mut text = String::new();
    if workspace
        .records
        .dir
        .join(".schemas/signoff.schema.json")
        .is_file()
    {
        text.push_str("# yaml-language-server: $schema=../.schemas/signoff.schema.json\n");
    }
    text.push_str("# Written by `assure sign`. Do not edit: any change needs a new sign-off.\n");
    text.push_str(&format!(
        "kind: signoff\nid: {id}\ntype: {}\nsubject: {subject}\nsubject_digest: {digest}\nsigned_by: {}\ndate: {date}\n",
        request.kind.as_str(),
        signer.id
    ));
    if let Some(expires) = request.expires {
        text.push_str(&format!("expires: {expires}\n"));
    }
    if let Some(rationale) = &request.rationale {
        text.push_str(&format!("rationale: {}\n", quoted(rationale.trim())));
    }
    if !request.conditions.is_empty() {
        text.push_str("conditions:\n");
        for condition in &request.conditions {
            text.push_str(&format!("  - {}\n", quoted(condition.trim())));
        }
    }
    if !fsutil::write_new(&workspace.records.dir.join(&relative), text.as_bytes())? {
        return Err(refuse(
            format!("{path} already exists; nothing was written"),
            "another sign-off took that number: run the command again",
        ));
    }

    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        writeln!(
            out,
            "wrote {path}: {} of {subject} by {} ({}) on {date}, {digest}",
            request.kind.as_str(),
            signer.name,
            signer.id
        )?;
        writeln!(
            out,
            "next: {} commits it, signed with their SSH key:",
            signer.name
        )?;
        writeln!(out, "  git add {path}")?;
        writeln!(
            out,
            "  git commit -S -m \"{id}: {} of {subject}\"",
            request.kind.as_str()
        )?;
        if policy.signoff.require_git_author {
            writeln!(
                out,
                "the commit must be authored by {} <{}>{}; a commit by anyone else does not count.",
                signer.name,
                signer.email,
                signer
                    .github
                    .as_ref()
                    .map(|g| format!(" (or GitHub user {g})"))
                    .unwrap_or_default()
            )?;
        }
        Ok(())
    };
    write(out).map_err(output_error)?;
    Ok(Exit::Ok)
}
