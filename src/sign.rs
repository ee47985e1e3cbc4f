//! Writing an SRO sign-off: a typed `SignOff` bound to the canonical digest of its subject,
//! refused (with the reason and what to do) unless it would count, by the same checks that
//! `check` and `verify` make of every sign-off.

use serde::Serialize;

use crate::dates::{Date, Duration};
use crate::error::{Error, Result};
use crate::git::short;
use crate::records::digest::Digest;
use crate::records::load::Loaded;
use crate::records::{AssessmentType, Person, Role, SignOff, SignOffProblem, SignOffType, Subject};
use crate::rules::signoffs::{Flaw, flaws_in_records, subject_name, who_may_sign};
use crate::suggest::did_you_mean;
use crate::witness::{Authorship, is_person};

/// A sign-off to write.
#[derive(Debug, Clone)]
pub struct Request {
    pub subject: Subject,
    pub kind: SignOffType,
    pub by: String,
    pub date: Date,
    pub expires: Option<Date>,
    pub rationale: Option<String>,
    pub conditions: Vec<String>,
    /// Today, on the signer's clock: a sign-off records a decision already taken.
    pub today: Date,
}

/// A sign-off ready to be written.
#[derive(Debug)]
pub struct Prepared {
    pub signoff: SignOff,
    /// Where it goes, relative to the records folder (`signoffs/S-0004.yaml`).
    pub relative: String,
    /// The file's text: a header comment, then the record.
    pub text: String,
    pub digest: Digest,
    pub signer: Person,
    /// Whether `policy.signoff.require_git_author` asks the signer to commit it.
    pub require_git_author: bool,
    /// Whether `policy.signoff.require_signed_commits` asks for that commit to be signed.
    pub require_signed_commits: bool,
    /// Whether the policy trusts a platform key (GitHub's web-flow) to sign for the signer.
    pub platform_keys: bool,
}

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

/// The next free sign-off number, from every id and file under signoffs/ (valid or not).
fn next_id(loaded: &Loaded, files: &[String]) -> String {
    let from_ids = loaded.records.signoffs.iter().map(|s| s.id.as_str());
    let from_files = files.iter().filter_map(|p| {
        let name = p.rsplit('/').next()?;
        Some(name.trim_end_matches(".yaml").trim_end_matches(".yml"))
    });
    let highest = from_ids
        .chain(from_files)
        .filter_map(|id| id.strip_prefix("S-").and_then(|n| n.parse::<u64>().ok()))
        .max()
        .unwrap_or(0);
    format!("S-{:04}", highest + 1)
}

/// Check `request` against the records loaded from `dir` (whose files are `files`) and
/// prepare the sign-off, or say why it would not count. `authorship` is who wrote the
/// subject, as git shows it (see `subject_file`); `schema_hint` adds the editor's schema line
/// to the file.
pub fn prepare(
    dir: &str,
    loaded: &Loaded,
    files: &[String],
    request: &Request,
    authorship: &Authorship,
    schema_hint: bool,
) -> Result<Prepared> {
    let set = &loaded.records;
    if request.date > request.today {
        return Err(refuse(
            format!(
                "--date {} is after today ({}): a sign-off records a decision the SRO has taken",
                request.date, request.today
            ),
            "give the day the SRO decided, or leave out --date for today",
        ));
    }
    for (present, file) in [
        (set.project.is_some(), "project.yaml"),
        (set.people.is_some(), "people.yaml"),
    ] {
        let path = crate::source::joined(dir, file);
        let problems = problems_in(loaded, &path);
        if !problems.is_empty() {
            return Err(refuse(
                format!(
                    "{path} has problems, so a sign-off cannot be checked:\n  {}",
                    problems.join("\n  ")
                ),
                "fix them first (assure check shows them all)",
            ));
        }
        if !present {
            return Err(refuse(
                format!("there is no {path}"),
                "run `assure init` to create the starting records",
            ));
        }
    }

    // The subject must exist and be valid: its digest is what the SRO signs.
    let subject = &request.subject;
    let Some((subject_file, digest)) = set.subject(subject) else {
        return Err(missing_subject(dir, loaded, files, subject));
    };
    let subject_problems = problems_in(loaded, subject_file);
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

    let signoff = SignOff {
        id: next_id(loaded, files),
        kind: request.kind,
        subject: subject.clone(),
        subject_digest: digest.to_string(),
        signed_by: request.by.clone(),
        date: request.date,
        expires: request.expires,
        rationale: request.rationale.as_deref().map(|r| r.trim().to_owned()),
        conditions: request
            .conditions
            .iter()
            .map(|c| c.trim().to_owned())
            .collect(),
        classification: None,
        handling: None,
    };
    let policy = &set.policy;
    let problems = signoff.problems(policy.acceptance_max);
    let refused = |problem: &SignOffProblem| refusal(problem, &signoff, policy.acceptance_max);
    if problems.contains(&SignOffProblem::WrongSubject) {
        return Err(refused(&SignOffProblem::WrongSubject));
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
    if crate::scaffold::is_placeholder(&signer.name)
        || crate::scaffold::is_placeholder(&signer.email)
    {
        return Err(refuse(
            format!(
                "`{}` in people.yaml still has the placeholder name or e-mail from `assure init`",
                signer.id
            ),
            "write their real name and the e-mail address they commit with: git proves the sign-off by that address",
        ));
    }
    let delegate_today = signoff.kind == SignOffType::RiskAcceptance
        && policy
            .signoff
            .acceptance_delegate
            .is_some_and(|role| signer.holds(role, request.today));
    if signer.role_ended(Role::Sro, request.today) && !delegate_today {
        return Err(refuse(
            format!(
                "{} ({}) is no longer the SRO: a sign-off made now, whatever its date, does not count",
                signer.name, signer.id
            ),
            match set.sro(request.today) {
                Some(sro) => format!("the SRO in post is {} ({})", sro.name, sro.id),
                None => {
                    "people.yaml names no SRO today: add the role (with its dates) first".to_owned()
                }
            },
        ));
    }
    if flaws_in_records(set, &signoff).contains(&Flaw::NotSro) {
        let date = signoff.date;
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
            format!(
                "{} ({}) is not {} on {date}",
                signer.name,
                signer.id,
                who_may_sign(set, signoff.kind)
            ),
            hint,
        ));
    }

    if let (SignOffType::ReportApproval, Subject::Assessment(id)) = (signoff.kind, &signoff.subject)
        && set
            .assessment(id)
            .is_some_and(|a| a.kind == AssessmentType::Independent)
    {
        return Err(refuse(
            format!(
                "assessment {id} is independent: its report is the assessor's, not the team's to approve"
            ),
            "the SRO approves the team's own self-assessments (ASSESS-4); the independent assessment's actions are tracked as they are",
        ));
    }
    if let (SignOffType::RiskAcceptance, Subject::Risk(id)) = (signoff.kind, &signoff.subject)
        && let Some(risk) = set.risk(id)
        && let Some((_, Some(ceiling))) = set.limits(risk)
        && risk.residual.value() > ceiling
        && risk.escalation.is_none()
    {
        return Err(refuse(
            format!(
                "risk {id}'s residual score {} is above the appetite's ceiling of {ceiling}: the SRO cannot accept it alone",
                risk.residual.value()
            ),
            format!(
                "escalate it to {} and record that on the risk (`escalation: {{to, date, reference}}`) first",
                set.appetite.as_ref().map_or_else(
                    || "the owner of the parent appetite".to_owned(),
                    |a| a.escalate_to()
                )
            ),
        ));
    }
    if let Some(problem) = problems.first() {
        return Err(refused(problem));
    }
    if policy.signoff.separates(signoff.kind) {
        separation(&signoff, signer, authorship)?;
    }
    // What git will judge by, whatever the policy: the history, not the dates written.
    if let Authorship::Committed(writers) = authorship
        && let Some((commit, _, day)) = writers.iter().min_by_key(|(_, _, day)| *day)
        && signoff.date < *day
    {
        return Err(refuse(
            format!(
                "--date {} is before the version of {} it signs was written ({}, on {day})",
                signoff.date,
                subject_name(&signoff.subject),
                short(*commit)
            ),
            "give the day the SRO decided, on or after that",
        ));
    }

    let mut text = String::new();
    if schema_hint {
        text.push_str("# yaml-language-server: $schema=../.schemas/signoff.schema.json\n");
    }
    text.push_str("# Written by `assure sign`. Do not edit: any change needs a new sign-off.\n");
    text.push_str(&serde_saphyr::to_string_with_options(
        &Written {
            kind: "signoff",
            signoff: &signoff,
        },
        serde_saphyr::ser_options! { compact_list_indent: false, yaml_12: true, no_lang_directive: true },
    )?);
    Ok(Prepared {
        relative: format!("signoffs/{}.yaml", signoff.id),
        signoff,
        text,
        digest,
        signer: signer.clone(),
        require_git_author: policy.signoff.require_git_author,
        require_signed_commits: policy.signoff.require_signed_commits,
        platform_keys: !policy.signoff.platform_keys.is_empty(),
    })
}

/// Why `signoff` is refused, in terms of the flags that made it.
fn refusal(problem: &SignOffProblem, signoff: &SignOff, acceptance_max: Duration) -> Error {
    let date = signoff.date;
    match problem {
        SignOffProblem::WrongSubject => {
            refuse(signoff.wrong_subject(), "correct --subject or --type")
        }
        SignOffProblem::ExpiresBeforeSigned { expires } => refuse(
            format!("--expires {expires} is not after --date {date}"),
            "give an expiry after the decision",
        ),
        SignOffProblem::NoExpiry { latest } => refuse(
            "a risk acceptance needs an expiry",
            format!(
                "add --expires DATE, at most acceptance_max ({acceptance_max}) after {date}: {latest} at the latest"
            ),
        ),
        SignOffProblem::ExpiresPastMax { expires, latest } => refuse(
            format!(
                "--expires {expires} is more than acceptance_max ({acceptance_max}) after {date}"
            ),
            format!("the latest allowed is {latest}; the SRO can renew it then"),
        ),
        SignOffProblem::NoRationale => refuse(
            "a risk acceptance needs a rationale",
            "add --rationale \"why the SRO accepts the risk\"",
        ),
    }
}

/// Under separation of duties the signer may not approve their own change, and git must be
/// able to show who wrote what is signed.
fn separation(signoff: &SignOff, signer: &Person, authorship: &Authorship) -> Result<()> {
    let subject = subject_name(&signoff.subject);
    let own = match authorship {
        Authorship::Committed(writers) => writers
            .iter()
            .find(|(_, author, _)| is_person(author, signer))
            .map(|(commit, _, _)| *commit),
        _ => None,
    };
    match authorship {
        Authorship::Committed(_) if let Some(commit) = own => Err(refuse(
            format!(
                "{} ({}) wrote part of what would be signed in {subject} (commit {}): under separation of duties their own sign-off would not count",
                signer.name,
                signer.id,
                short(commit)
            ),
            "someone other than the signer makes and commits the change; then the SRO reviews and signs it",
        )),
        Authorship::Uncommitted => Err(refuse(
            format!(
                "{subject} has changes to what is signed that are not committed, so git cannot show who wrote them, and separation of duties needs it"
            ),
            "its author commits the change first; then the SRO reviews and signs what was committed",
        )),
        _ => Ok(()),
    }
}

/// A sign-off as its file holds it: `kind:` first, then the record.
#[derive(Serialize)]
struct Written<'a> {
    kind: &'static str,
    #[serde(flatten)]
    signoff: &'a SignOff,
}

/// Why there is nothing to sign: the subject is not valid, or does not exist.
fn missing_subject(dir: &str, loaded: &Loaded, files: &[String], subject: &Subject) -> Error {
    let set = &loaded.records;
    let id = match subject {
        Subject::Risk(id) | Subject::Assessment(id) => id.as_str(),
        Subject::Appetite => "appetite",
    };
    if let Some(file) = files
        .iter()
        .find(|p| p.ends_with(&format!("/{id}.yaml")) || p.ends_with(&format!("/{id}.yml")))
    {
        return refuse(
            format!(
                "{} is not valid, so it cannot be signed:\n  {}",
                subject_name(subject),
                problems_in(loaded, file).join("\n  ")
            ),
            "fix it first (assure check shows every problem), then sign",
        );
    }
    let known: Vec<&str> = match subject {
        Subject::Risk(_) => set.risks.iter().map(|r| r.id.as_str()).collect(),
        Subject::Assessment(_) => set.assessments.iter().map(|a| a.id.as_str()).collect(),
        Subject::Appetite => Vec::new(),
    };
    let hint = match did_you_mean(id, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if *subject == Subject::Appetite => format!(
            "write {} first",
            crate::source::joined(dir, "appetite.yaml")
        ),
        None => "give the id of an existing record (assure status lists them)".to_owned(),
    };
    let what = match subject {
        Subject::Appetite => "there is no risk appetite".to_owned(),
        _ => format!("there is no {}", subject_name(subject)),
    };
    refuse(what, hint)
}

/// The decisions the SRO owes that need no judgement beyond yes (a report's approval, the
/// appetite's), each as the sign-off that takes it, ready to commit in GitHub's web editor on
/// the pull request's branch: what is asked, and the link. A decision whose sign-off would be
/// refused is left out; risk acceptances, which need an expiry and a rationale, are asked for
/// in the findings, not here: a link filled in for them would invite a yes without the
/// judgement of how long, and why.
pub fn decision_links(
    repo: Option<&git2::Repository>,
    dir: &str,
    loaded: &Loaded,
    status: &crate::rules::Status,
    place: &crate::git::WebLocation,
) -> Vec<(String, String)> {
    use crate::finding::Rule;
    let set = &loaded.records;
    let Some(sro) = set.sro(status.as_of) else {
        return Vec::new();
    };
    let mut subjects: Vec<(Subject, SignOffType)> = Vec::new();
    for f in &status.findings {
        let id = f.record.as_ref().and_then(|r| r.id.clone());
        let wanted = match (f.code.rule(), id) {
            (Some(Rule::Assess4), Some(id)) => {
                (Subject::Assessment(id), SignOffType::ReportApproval)
            }
            (Some(Rule::Gov4), _) if set.appetite.is_some() => {
                (Subject::Appetite, SignOffType::AppetiteApproval)
            }
            _ => continue,
        };
        if !subjects.contains(&wanted) {
            subjects.push(wanted);
        }
    }
    // Each link takes the next number: two decisions in one comment are two files.
    let mut taken: Vec<String> = Vec::new();
    subjects
        .into_iter()
        .filter_map(|(subject, kind)| {
            let request = Request {
                subject: subject.clone(),
                kind,
                by: sro.id.clone(),
                date: status.as_of,
                expires: None,
                rationale: None,
                conditions: Vec::new(),
                today: status.as_of,
            };
            // Judged as `sign` judges it, with git's word on who wrote the subject: a link
            // to a sign-off that would not count is not offered.
            let authorship = authorship_of(repo, dir, loaded, &subject).ok()?;
            let prepared = prepare(dir, loaded, &taken, &request, &authorship, false).ok()?;
            let path = crate::source::joined(dir, &prepared.relative);
            taken.push(path.clone());
            let ask = match &subject {
                Subject::Appetite => "Approve the risk appetite".to_owned(),
                other => format!(
                    "Approve the report of {}",
                    crate::rules::signoffs::subject_name(other)
                ),
            };
            Some((ask, place.new_file_link(&path, &prepared.text)))
        })
        .collect()
}

/// Who wrote the subject, when the policy asks git to witness sign-offs and git can say.
pub fn authorship(
    workspace: &crate::workspace::Workspace,
    loaded: &crate::records::load::Loaded,
    request: &Request,
) -> Result<crate::witness::Authorship> {
    authorship_of(
        workspace.repo.as_ref(),
        workspace.dir(),
        loaded,
        &request.subject,
    )
}

/// Who wrote `subject` of the records in `dir`, as git shows it, when the policy asks git
/// to witness sign-offs and there is a repository.
fn authorship_of(
    repo: Option<&git2::Repository>,
    dir: &str,
    loaded: &crate::records::load::Loaded,
    subject: &Subject,
) -> Result<crate::witness::Authorship> {
    let set = &loaded.records;
    let Some(repo) = repo.filter(|_| set.policy.signoff.any()) else {
        return Ok(crate::witness::Authorship::Unknown);
    };
    match set
        .subject(subject)
        .and_then(|(file, _)| Some((file, loaded.sources.text(file)?)))
    {
        Some((file, text)) => crate::witness::authorship(repo, dir, file, text),
        None => Ok(crate::witness::Authorship::Unknown),
    }
}

/// A sign-off is verified against people.yaml as committed before it, so the people it
/// names must be committed first: otherwise `verify` cannot find the signer.
pub fn people_committed(
    workspace: &crate::workspace::Workspace,
    loaded: &crate::records::load::Loaded,
) -> Result<()> {
    let (Some(repo), Some(people)) = (&workspace.repo, &loaded.records.people) else {
        return Ok(());
    };
    if !loaded.records.policy.signoff.any() {
        return Ok(());
    }
    let Some(text) = loaded.sources.text(&people.file) else {
        return Ok(());
    };
    let committed = crate::git::head(repo)
        .and_then(|head| repo.find_commit(head).ok())
        .and_then(|c| c.tree().ok())
        .and_then(|tree| tree.get_path(std::path::Path::new(&*people.file)).ok())
        .and_then(|entry| repo.find_blob(entry.id()).ok())
        .is_some_and(|blob| blob.content() == text.as_bytes());
    if committed {
        return Ok(());
    }
    Err(Error::usage(
        format!(
            "{} has changes that are not committed; a sign-off is checked against the people as committed before it",
            people.file
        ),
        "commit people.yaml first (git add, git commit), then sign",
    ))
}

/// The link that opens GitHub's new-file page with the sign-off filled in, on the branch
/// checked out in the repository's `origin` on GitHub.
pub fn web_link(
    workspace: &crate::workspace::Workspace,
    path: &str,
    prepared: &Prepared,
) -> Result<String> {
    crate::git::web_location(workspace.repository()?)
        .map(|place| place.new_file_link(path, &prepared.text))
        .ok_or_else(|| {
            Error::usage(
                "cannot tell which GitHub repository and branch this is: --web needs an `origin` remote on GitHub and a branch checked out",
                "add the remote (git remote add origin https://github.com/OWNER/REPO), or sign without --web",
            )
        })
}
