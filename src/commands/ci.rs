//! `assure ci`: everything one CI step needs. The check and its report; then, on GitHub
//! Actions, annotations on the files, the job summary, the step's outputs and, on a pull
//! request, the one governance comment, updated in place. Outside GitHub it prints the same
//! report and exits the same way as `assure check`.
//!
//! A comment GitHub refuses (a fork's read-only token) is a warning, not a failure, unless
//! `--require-comment` asks for one: the check's verdict is the step's verdict.

use serde::Deserialize;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::check::{write_human, write_json};
use super::{Read, evaluate_witnessed, exit, output_error};
use crate::board;
use crate::changes;
use crate::cli::{CiRequest, Config, Evaluation};
use crate::error::{Error, Exit, Result};
use crate::github::{self, Api, CommentError, Posted};
use crate::report::comment::{self, PullRequest, Summary};
use crate::report::github::{annotations, escape_data, prefix_for};
use crate::report::human::Style;
use crate::report::markdown::SourceLinks;
use crate::rules::signoffs::SignOffs;
use crate::snapshot::Snapshots;

/// A job summary may be 1 MiB; at four bytes a character at most, this always fits.
const MAX_SUMMARY: usize = 250_000;

/// What GitHub Actions tells a step through its environment. Not `Debug`: it holds the token.
struct Actions {
    /// `GITHUB_ACTIONS=true`: workflow commands are understood.
    on_github: bool,
    step_summary: Option<PathBuf>,
    output: Option<PathBuf>,
    runner_temp: Option<PathBuf>,
    event_name: Option<String>,
    event_path: Option<PathBuf>,
    api_url: String,
    repository: Option<String>,
    token: Option<String>,
    /// A link to this workflow run, for the comment's footer.
    run_url: Option<String>,
    /// `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA` (the commit checked out), to
    /// link each finding to its file.
    source: Option<(String, String, String)>,
}

impl Actions {
    fn from_env() -> Actions {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let run_url = match (
            var("GITHUB_SERVER_URL"),
            var("GITHUB_REPOSITORY"),
            var("GITHUB_RUN_ID"),
        ) {
            (Some(server), Some(repo), Some(run)) => {
                Some(format!("{server}/{repo}/actions/runs/{run}"))
            }
            _ => None,
        };
        Actions {
            on_github: var("GITHUB_ACTIONS").as_deref() == Some("true"),
            step_summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            output: var("GITHUB_OUTPUT").map(PathBuf::from),
            runner_temp: var("RUNNER_TEMP").map(PathBuf::from),
            event_name: var("GITHUB_EVENT_NAME"),
            event_path: var("GITHUB_EVENT_PATH").map(PathBuf::from),
            api_url: var("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".to_owned()),
            repository: var("GITHUB_REPOSITORY"),
            token: var("GITHUB_TOKEN"),
            run_url,
            source: match (
                var("GITHUB_SERVER_URL"),
                var("GITHUB_REPOSITORY"),
                var("GITHUB_SHA"),
            ) {
                (Some(server), Some(repo), Some(sha)) => Some((server, repo, sha)),
                _ => None,
            },
        }
    }

    fn is_pull_request(&self) -> bool {
        matches!(
            self.event_name.as_deref(),
            Some("pull_request" | "pull_request_target")
        )
    }
}

/// The parts of a `pull_request` event payload we use.
#[derive(Deserialize)]
struct Event {
    pull_request: PullRequestEvent,
}

#[derive(Deserialize)]
struct PullRequestEvent {
    number: u64,
    base: Ref,
}

#[derive(Deserialize)]
struct Ref {
    sha: String,
}

pub fn run(config: &Config, request: &CiRequest, out: &mut dyn Write) -> Result<Exit> {
    let actions = &Actions::from_env();
    let evaluation = Evaluation {
        as_of: request.as_of,
        at: None,
    };
    let Read {
        evaluated,
        witness,
        repo,
    } = match evaluate_witnessed(config, &evaluation) {
        Ok(read) => read,
        Err(error) => {
            report_error(actions, &error, out)?;
            return Err(error);
        }
    };
    let style = Style {
        color: config.color,
    };
    write_human(out, &evaluated, request.fail_on, style).map_err(output_error)?;
    let mut exit = exit(&evaluated, request.fail_on);

    let report = request.report.clone().or_else(|| {
        actions
            .runner_temp
            .as_ref()
            .map(|t| t.join("assure-report.json"))
    });
    if let Some(path) = &report {
        let mut json = Vec::new();
        write_json(&mut json, "ci", &evaluated)?;
        crate::fsutil::write_replace(path, &json)?;
    }
    if !actions.on_github {
        return Ok(exit);
    }

    let findings = match &evaluated.status {
        Some(status) => &status.findings,
        None => &evaluated.loaded.problems,
    };
    out.write_all(annotations(findings, &prefix_for(&evaluated)).as_bytes())
        .map_err(output_error)?;

    let status = evaluated
        .status
        .as_ref()
        .map_or("red", |s| s.overall.as_str());
    if let Some(path) = &actions.output {
        let mut lines = format!("status={status}\n");
        if let Some(report) = &report {
            lines.push_str(&output_line("report", &report.display().to_string()));
        }
        append(path, &lines)?;
    }

    let deadlines = match &evaluated.status {
        Some(status) => {
            let records = &evaluated.loaded.records;
            let signoffs = SignOffs::new(records, evaluated.as_of, &witness);
            board::deadlines(records, status, &signoffs, evaluated.as_of)
        }
        None => Vec::new(),
    };
    let event = if actions.is_pull_request() {
        match read_event(actions) {
            Ok(event) => Some(event),
            Err(why) => {
                warn(out, &why)?;
                None
            }
        }
    } else {
        None
    };
    let pull_request = match &event {
        Some(event) => changes_since(repo.as_ref(), &evaluated, &event.pull_request.base.sha),
        None => PullRequest::None,
    };

    let links = actions.source.as_ref().map(|(server, repository, sha)| {
        SourceLinks::new(server, repository, sha, &prefix_for(&evaluated))
    });
    let mut notice = None;
    if let (Some(event), true) = (&event, request.comment) {
        let summary = Summary {
            evaluated: &evaluated,
            deadlines: &deadlines,
            pull_request: &pull_request,
            notice: None,
            run_url: actions.run_url.as_deref(),
            links: links.as_ref(),
        };
        let body = comment::fitted(&summary, github::MAX_COMMENT, Some(github::MARKER));
        match post(actions, event.pull_request.number, &body) {
            Ok(posted) => {
                let (verb, id) = match posted {
                    Posted::Created(id) => ("posted", id),
                    Posted::Updated(id) => ("updated", id),
                    Posted::Unchanged(id) => ("left unchanged (it was up to date)", id),
                };
                writeln!(
                    out,
                    "The governance comment on pull request #{} was {verb} (comment {id}).",
                    event.pull_request.number
                )
                .map_err(output_error)?;
            }
            Err(error) => {
                let message = error.to_string();
                warn(out, &message)?;
                notice = Some(format!(
                    "The pull-request comment was not posted: {message}. This summary has everything it would have said."
                ));
                if request.require_comment && exit == Exit::Ok {
                    exit = Exit::Failed;
                }
            }
        }
    }

    if let Some(path) = &actions.step_summary {
        let summary = Summary {
            evaluated: &evaluated,
            deadlines: &deadlines,
            pull_request: &pull_request,
            notice,
            run_url: None,
            links: links.as_ref(),
        };
        append(path, &comment::fitted(&summary, MAX_SUMMARY, None))?;
    }
    Ok(exit)
}

/// Post or update the comment, or say why not.
fn post(actions: &Actions, number: u64, body: &str) -> std::result::Result<Posted, CommentError> {
    let refused = |what: &str| CommentError::NotConfigured(what.to_owned());
    let token = actions
        .token
        .as_deref()
        .ok_or_else(|| refused("no GITHUB_TOKEN was given to the step"))?;
    let repository = actions
        .repository
        .as_deref()
        .ok_or_else(|| refused("GITHUB_REPOSITORY is not set"))?;
    let api = Api::new(
        &actions.api_url,
        token,
        repository,
        github::Retry::from_env(),
    )?;
    api.upsert_comment(number, body)
}

/// The pull request's number and base, from the event payload.
fn read_event(actions: &Actions) -> std::result::Result<Event, String> {
    let path = actions.event_path.as_ref().ok_or(
        "GITHUB_EVENT_PATH is not set, so the pull request is unknown; no comment was posted",
    )?;
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "the event payload {} could not be read ({e}); no comment was posted",
            path.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "the event payload {} has no pull request number and base ({e}); no comment was posted",
            path.display()
        )
    })
}

/// What the pull request changes in the records: from its base commit to what is checked out.
fn changes_since(
    repo: Option<&git2::Repository>,
    evaluated: &super::Evaluated,
    base: &str,
) -> PullRequest {
    let Some(repo) = repo else {
        return PullRequest::Unknown(
            "The records are not in a git repository, so the pull request's changes cannot be listed."
                .to_owned(),
        );
    };
    let before = git2::Oid::from_str(base)
        .ok()
        .and_then(|oid| Snapshots::new(repo, &evaluated.dir).at(oid).ok());
    match before {
        Some(before) => PullRequest::Changes {
            base: base.to_owned(),
            changes: changes::compare(&before.unwrap_or_default(), &evaluated.loaded),
        },
        None => PullRequest::Unknown(format!(
            "The pull request's base commit {} is not in this clone, so its changes cannot be listed. \
             Check out with `fetch-depth: 0` (actions/checkout) to see them.",
            &base[..base.len().min(10)]
        )),
    }
}

/// A workflow-command warning on GitHub.
fn warn(out: &mut dyn Write, message: &str) -> Result<()> {
    writeln!(out, "::warning title=assure::{}", escape_data(message)).map_err(output_error)
}

/// On GitHub, a command that could not run says why as an annotation and in the summary;
/// the error itself is then printed as usual.
fn report_error(actions: &Actions, error: &Error, out: &mut dyn Write) -> Result<()> {
    if !actions.on_github {
        return Ok(());
    }
    let mut text = error.to_string();
    if let Some(hint) = error.hint() {
        text = format!("{text}. {hint}");
    }
    writeln!(out, "::error title=assure::{}", escape_data(&text)).map_err(output_error)?;
    if let Some(path) = &actions.step_summary {
        append(
            path,
            &format!("### ⛔ assure could not check the records\n\n{text}\n"),
        )?;
    }
    Ok(())
}

/// One `name=value` line for `$GITHUB_OUTPUT`, in the multi-line form when it must be.
fn output_line(name: &str, value: &str) -> String {
    if value.contains('\n') || value.contains('\r') {
        let delimiter = "ASSURE_EOF_7f3a9c";
        format!("{name}<<{delimiter}\n{value}\n{delimiter}\n")
    } else {
        format!("{name}={value}\n")
    }
}

/// Append to one of the files GitHub gives a step.
fn append(path: &Path, text: &str) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_use_the_multiline_form_only_when_needed() {
        assert_eq!(output_line("status", "red"), "status=red\n");
        assert_eq!(
            output_line("report", "a\nb"),
            "report<<ASSURE_EOF_7f3a9c\na\nb\nASSURE_EOF_7f3a9c\n"
        );
    }
}
