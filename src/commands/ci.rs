//! `assure ci`: everything one CI step needs. The check and its report; then, on GitHub
//! Actions, annotations on the files, the job summary, the step's outputs and, on a pull
//! request, the one governance comment, updated in place. Outside GitHub it prints the same
//! report and exits the same way as `assure check`.
//!
//! A comment GitHub refuses (a fork's read-only token) is a warning, not a failure, unless
//! `--require-comment` asks for one: the check's verdict is the step's verdict.

use std::io::Write;

use super::check::prefix;
use super::{Context, output_error};
use crate::board;
use crate::changes::PullRequest;
use crate::cli::config::Ci;
use crate::environment::{Environment, GitHub};
use crate::error::{Error, Exit, Result};
use crate::evaluate;
use crate::fsutil;
use crate::github::{self, Event, Retry};
use crate::public::Withholding;
use crate::report::comment::{self, Summary};
use crate::report::github::{annotations, resume_commands, step_outputs, stop_commands, warning};
use crate::report::markdown::SourceLinks;
use crate::report::{human, json, messages};

/// A job summary may be 1 MiB; at four bytes a character at most, this always fits.
const MAX_SUMMARY: usize = 250_000;

pub fn run(cx: &Context, env: &Environment, request: &Ci, out: &mut dyn Write) -> Result<Exit> {
    let github = &env.github;
    let evaluation = &request.evaluation;
    let mut evaluated = match evaluate::evaluate(&evaluation.workspace, None, evaluation.as_of) {
        Ok(evaluated) => evaluated,
        Err(error) => {
            report_error(github, &error, out);
            return Err(error);
        }
    };
    // The report file stays on the runner, for the steps after this one: it is whole.
    if let Some(path) = &request.report {
        let mut report = Vec::new();
        json::write(&mut report, &json::Report::new("ci", &evaluated)).map_err(output_error)?;
        fsutil::write_replace(path, &report)?;
    }
    // Everything else leaves the team (the CI log, and on GitHub annotations, the summary and
    // the comment), so it withholds the text of marked records, in any CI.
    let withholding = Withholding::of(&evaluated.loaded);
    withholding.apply(&mut evaluated);
    // On GitHub the report is printed with the runner's commands stopped: nothing the
    // records say can become a workflow command.
    let token = crate::text::random_token();
    if github.on_github {
        writeln!(out, "{}", stop_commands(&token)).map_err(output_error)?;
    }
    human::write_check(out, &evaluated, request.fail_on, cx.style).map_err(output_error)?;
    let mut exit = evaluated.exit(request.fail_on);
    if !github.on_github {
        return Ok(exit);
    }
    writeln!(out, "{}", resume_commands(&token)).map_err(output_error)?;

    let prefix = prefix(env, &evaluated);
    out.write_all(annotations(evaluated.findings(), &prefix).as_bytes())
        .map_err(output_error)?;
    if let Some(path) = &github.output {
        match step_outputs(&evaluated, request.report.as_deref(), &token) {
            Ok(lines) => fsutil::append(path, &lines)?,
            Err(why) => writeln!(out, "{}", warning(&why)).map_err(output_error)?,
        }
    }

    let deadlines = board::upcoming(&evaluated);
    let event = match github
        .is_pull_request()
        .then(|| Event::read(github.event_path.as_deref()))
    {
        Some(Ok(event)) => Some(event),
        Some(Err(why)) => {
            writeln!(out, "{}", warning(&why.to_string())).map_err(output_error)?;
            None
        }
        None => None,
    };
    let pull_request = match &event {
        Some(event) => PullRequest::since(
            evaluation.workspace.repo.as_ref(),
            &evaluated.dir,
            &event.pull_request.base.sha,
            &evaluated.loaded,
        ),
        None => PullRequest::None,
    };
    let links = github
        .source()
        .map(|(server, repository, sha)| SourceLinks::new(server, repository, sha, &prefix));
    let run_url = github.run_url();
    let summary = |notice, run_url| Summary {
        evaluated: &evaluated,
        deadlines: &deadlines,
        pull_request: &pull_request,
        notice,
        run_url,
        links: links.as_ref(),
        withholding: &withholding,
    };

    let mut notice = None;
    if let (Some(event), true) = (&event, request.comment) {
        let body = comment::fitted(
            &summary(None, run_url.as_deref()),
            github::MAX_COMMENT,
            Some(github::MARKER),
        );
        let number = event.pull_request.number;
        match github::comment(
            github,
            Retry::with_base_ms(env.retry_base_ms),
            number,
            &body,
            &request.comment_author,
        ) {
            Ok((posted, warnings)) => {
                for w in &warnings {
                    writeln!(out, "{}", warning(w)).map_err(output_error)?;
                }
                messages::comment_posted(out, number, &posted).map_err(output_error)?;
            }
            Err(error) => {
                let message = error.to_string();
                writeln!(out, "{}", warning(&message)).map_err(output_error)?;
                notice = Some(comment::not_posted(&message));
                if request.require_comment && exit == Exit::Ok {
                    exit = Exit::Failed;
                }
            }
        }
    }
    if let Some(path) = &github.step_summary {
        fsutil::append(
            path,
            &comment::fitted(&summary(notice, None), MAX_SUMMARY, None),
        )?;
    }
    Ok(exit)
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
