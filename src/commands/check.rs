//! `assure check` and `assure status`: evaluate the records, report in the format asked for,
//! and exit with a status CI can gate on.

use std::io::Write;

use super::{Context, output_error};
use crate::cli::config::Evaluation;
use crate::cli::{ReportFormat, Which};
use crate::environment::Environment;
use crate::error::{Exit, Result};
use crate::evaluate::{self, Evaluated, FailOn};
use crate::git::Revision;
use crate::report::{github, human, json, markdown, sarif};

/// How `check` or `status` judges and reports.
pub struct Judged<'a> {
    pub which: Which,
    pub format: ReportFormat,
    pub fail_on: FailOn,
    /// `--baseline`: the revision to compare with.
    pub baseline: Option<&'a Revision>,
}

pub fn run(
    cx: &Context,
    env: &Environment,
    evaluation: &Evaluation,
    judged: Judged<'_>,
    out: &mut dyn Write,
) -> Result<Exit> {
    let Judged {
        which,
        format,
        fail_on,
        baseline,
    } = judged;
    let workspace = &evaluation.workspace;
    let (at, as_of) = (evaluation.at.as_ref(), evaluation.as_of);
    // The baseline is evaluated on the same day: what these records introduce and resolve.
    let (mut evaluated, base) = match (baseline, at) {
        (Some(base), None) => {
            let (head, base) = evaluate::evaluate_with_base(workspace, base, as_of)?;
            (head, Some(base?))
        }
        (Some(base), Some(_)) => (
            evaluate::evaluate(workspace, at, as_of)?,
            Some(evaluate::evaluate(workspace, Some(base), as_of)?),
        ),
        (None, _) => (evaluate::evaluate(workspace, at, as_of)?, None),
    };
    evaluate::count_busy_risks(workspace, at, &mut evaluated);
    // Against a baseline, the change is judged as a pull request's is (GOV-8).
    if let Some(revision) = baseline {
        let sha = revision.commit.to_string();
        let change = evaluate::pull_request(workspace, &evaluated, Some(&sha), base.as_ref());
        evaluate::judge_change(&mut evaluated, &change);
    }
    let effect = base.and_then(|base| evaluated.effect_since(&base));
    if let (Some(revision), None, true) = (baseline, &effect, evaluated.status.is_some()) {
        human::baseline_unjudged(&mut std::io::stderr(), &revision.spec, fail_on);
    }
    let since = baseline.map(|b| b.spec.as_str());
    let command = match which {
        Which::Check => "check",
        Which::Status => "status",
    };
    match format {
        ReportFormat::Human => match which {
            Which::Check => human::write_check(
                out,
                &evaluated,
                fail_on,
                effect.as_ref().zip(since),
                cx.style,
            ),
            Which::Status => human::write_status(out, &evaluated, cx.style),
        },
        ReportFormat::Json => json::write(
            out,
            &json::Report::new(command, &evaluated).with_effect(effect.as_ref().zip(since)),
        ),
        ReportFormat::Markdown => markdown::write_status(out, &evaluated),
        ReportFormat::Github => github::write(out, &evaluated, &prefix(env, &evaluated)),
        ReportFormat::Sarif => json::write(out, &sarif::log(&evaluated)),
    }
    .map_err(output_error)?;
    let exit = evaluated.exit_with(fail_on, effect.as_ref());
    // The process ends next: freeing ten thousand records one by one only costs time.
    std::mem::forget(evaluated);
    Ok(exit)
}

/// What goes before a record's path for GitHub: the folder of the workflow's workspace the
/// repository is checked out in, if any.
pub(super) fn prefix(env: &Environment, evaluated: &Evaluated) -> String {
    crate::workspace::workspace_prefix(
        evaluated.repo_root.as_deref(),
        env.github.workspace.as_deref(),
    )
}
