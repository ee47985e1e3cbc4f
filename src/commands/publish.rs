//! What `assure ci` sends to GitHub beyond its log: the pull-request comment, posted or
//! updated, and a failed run's reason as an annotation and in the job summary.

use std::io::Write;

use super::output_error;
use crate::cli::config::Ci;
use crate::environment::{Environment, GitHub};
use crate::error::{Error, Exit, Result};
use crate::fsutil;
use crate::github::{self, Retry};
use crate::report::comment;
use crate::report::github::warning;
use crate::report::{json, messages};

/// Write the JSON report to `path`: whole, since it stays on the runner.
pub fn report(
    path: &std::path::Path,
    evaluated: &crate::evaluate::Evaluated,
    effect: Option<(&crate::ratchet::Effect, &str)>,
) -> Result<()> {
    let mut report = Vec::new();
    json::write(
        &mut report,
        &json::Report::new("ci", evaluated).with_effect(effect),
    )
    .map_err(output_error)?;
    fsutil::write_replace(path, &report)
}

/// The links that let the SRO take the decisions they owe in GitHub's web editor, on the
/// pull request's branch; none when the server, repository or branch is unknown.
pub fn decision_links(
    env: &Environment,
    event: Option<&github::Event>,
    evaluated: &crate::evaluate::Evaluated,
) -> Vec<(String, String)> {
    let github = &env.github;
    let (Some(server), Some(repository), Some(branch), Some(status)) = (
        github.server_url.as_deref(),
        github.repository.as_deref(),
        event.and_then(|e| e.pull_request.head.as_ref()),
        &evaluated.status,
    ) else {
        return Vec::new();
    };
    // A pull request from a fork: the branch is in the fork.
    let repository = branch
        .repo
        .as_ref()
        .map_or(repository, |r| r.full_name.as_str());
    let place = crate::git::WebLocation {
        server: server.trim_end_matches('/').to_owned(),
        repository: repository.to_owned(),
        branch: branch.name.clone(),
    };
    let repo = evaluated
        .repo_root
        .as_ref()
        .and_then(|root| git2::Repository::open(root).ok());
    crate::sign::decision_links(
        repo.as_ref(),
        &evaluated.dir,
        &evaluated.loaded,
        status,
        &place,
    )
}

/// Post or update the comment on pull request `number`. A comment GitHub refuses is a
/// warning (and, with `--require-comment`, a failed step): the note to show in the job
/// summary instead.
pub fn comment(
    env: &Environment,
    request: &Ci,
    number: u64,
    body: &str,
    exit: &mut Exit,
    out: &mut dyn Write,
) -> Result<Option<String>> {
    match github::comment(
        &env.github,
        Retry::with_base_ms(env.retry_base_ms),
        number,
        body,
        &request.comment_author,
    ) {
        Ok((posted, warnings)) => {
            for w in &warnings {
                writeln!(out, "{}", warning(w)).map_err(output_error)?;
            }
            messages::comment_posted(out, number, &posted).map_err(output_error)?;
            Ok(None)
        }
        Err(error) => {
            let message = error.to_string();
            writeln!(out, "{}", warning(&message)).map_err(output_error)?;
            if request.require_comment && *exit == Exit::Ok {
                *exit = Exit::Failed;
            }
            Ok(Some(comment::not_posted(&message)))
        }
    }
}

/// On GitHub, a command that could not run says why as an annotation and in the summary,
/// as best it can: the error itself is then printed as usual, whatever became of these.
pub fn report_error(github: &GitHub, error: &Error, out: &mut dyn Write) {
    if !github.on_github {
        return;
    }
    let text = match error.hint() {
        Some(hint) => format!("{error}. {hint}"),
        None => error.to_string(),
    };
    let _ = writeln!(out, "{}", crate::report::github::error(&text));
    if let Some(path) = &github.step_summary {
        let _ = fsutil::append(path, &comment::could_not_check(&text));
    }
}
