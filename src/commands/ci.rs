//! `assure ci`: everything one CI step needs. The check and its report; then, on GitHub
//! Actions, annotations on the files, the job summary, the step's outputs and, on a pull
//! request, the one governance comment, updated in place. Outside GitHub it prints the same
//! report and exits the same way as `assure check`.
//!
//! A comment GitHub refuses (a fork's read-only token) is a warning, not a failure, unless
//! `--require-comment` asks for one: the check's verdict is the step's verdict.

use std::io::Write;

use super::check::prefix;
use super::{Context, output_error, publish};
use crate::board;
use crate::cli::config::Ci;
use crate::environment::Environment;
use crate::error::{Exit, Result};
use crate::evaluate;
use crate::fsutil;
use crate::github::{self, Event};
use crate::public::Withholding;
use crate::report::comment::{self, Summary};
use crate::report::github::{annotations, resume_commands, step_outputs, stop_commands, warning};
use crate::report::human;
use crate::report::markdown::SourceLinks;

/// A job summary may be 1 MiB; at four bytes a character at most, this always fits.
const MAX_SUMMARY: usize = 250_000;

pub fn run(cx: &Context, env: &Environment, request: &Ci, out: &mut dyn Write) -> Result<Exit> {
    let github = &env.github;
    let evaluation = &request.evaluation;
    // On a pull request, the base evaluated on the same day: what this change does.
    let mut warnings = Vec::new();
    let event = match github
        .is_pull_request()
        .then(|| Event::read(github.event_path.as_deref()))
    {
        Some(Ok(event)) => Some(event),
        Some(Err(why)) => {
            warnings.push(why.to_string());
            None
        }
        None => None,
    };
    let sha = event.as_ref().map(|e| e.pull_request.base.sha.as_str());
    let workspace = &evaluation.workspace;
    let (mut evaluated, base) =
        match evaluate::evaluate_pull_request(workspace, sha, evaluation.as_of) {
            Ok(both) => both,
            Err(error) => {
                report_error(github, &error, out);
                return Err(error);
            }
        };
    let pull_request = evaluate::pull_request(workspace, &evaluated, sha, base.as_ref());
    evaluate::judge_change(&mut evaluated, &pull_request);
    let compared = base
        .zip(sha)
        .and_then(|(base, sha)| evaluate::compared_with(&evaluated, base, sha));
    let effect = compared.as_ref().map(|c| (&c.effect, c.since.as_str()));
    // The report file stays on the runner, for the steps after this one: it is whole.
    if let Some(path) = &request.report {
        publish::report(path, &evaluated, effect)?;
    }
    // Everything else leaves the team (the CI log, and on GitHub annotations, the summary and
    // the comment), so it withholds the text of marked records, in any CI.
    let withholding = Withholding::of(&evaluated.loaded);
    withholding.apply(&mut evaluated);
    let public_effect = compared.as_ref().map(|c| {
        let base = Withholding::of(&c.base.loaded);
        (withholding.effect(&c.effect, Some(&base)), c.since.as_str())
    });
    let public = public_effect.as_ref().map(|(e, since)| (e, *since));
    // On GitHub the report is printed with the runner's commands stopped: nothing the
    // records say can become a workflow command.
    let token = crate::text::random_token();
    if github.on_github {
        writeln!(out, "{}", stop_commands(&token)).map_err(output_error)?;
    }
    human::write_check(out, &evaluated, request.fail_on, public, cx.style).map_err(output_error)?;
    let mut exit = evaluated.exit_with(request.fail_on, effect.map(|(e, _)| e));
    if !github.on_github {
        return Ok(exit);
    }
    writeln!(out, "{}", resume_commands(&token)).map_err(output_error)?;
    for why in &warnings {
        writeln!(out, "{}", warning(why)).map_err(output_error)?;
    }

    let prefix = prefix(env, &evaluated);
    out.write_all(annotations(evaluated.findings(), &prefix).as_bytes())
        .map_err(output_error)?;
    if let Some(path) = &github.output {
        match step_outputs(&evaluated, request.report.as_deref(), &token) {
            Ok(lines) => fsutil::append(path, &lines)?,
            Err(why) => writeln!(out, "{}", warning(&why.why)).map_err(output_error)?,
        }
    }
    let deadlines = board::upcoming(&evaluated);
    let decisions = publish::decision_links(env, event.as_ref(), &evaluated);
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
        effect: public,
        decisions: &decisions,
    };

    let notice = match (&event, request.comment) {
        (Some(event), true) => {
            let body = comment::fitted(
                &summary(None, run_url.as_deref()),
                github::MAX_COMMENT,
                Some(github::MARKER),
            );
            publish::comment(
                env,
                request,
                event.pull_request.number,
                &body,
                &mut exit,
                out,
            )?
        }
        _ => None,
    };
    if let Some(path) = &github.step_summary {
        fsutil::append(
            path,
            &comment::fitted(&summary(notice, None), MAX_SUMMARY, None),
        )?;
    }
    Ok(exit)
}

pub use super::publish::report_error;
