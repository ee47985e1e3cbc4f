//! `assure check` and `assure status`: evaluate the records, report in the format asked for,
//! and exit with a status CI can gate on.

use std::io::Write;

use super::{Context, output_error};
use crate::cli::config::Evaluation;
use crate::cli::{ReportFormat, Which};
use crate::environment::Environment;
use crate::error::{Exit, Result};
use crate::evaluate::{self, Evaluated, FailOn};
use crate::report::{github, human, json, markdown, sarif};

pub fn run(
    cx: &Context,
    env: &Environment,
    evaluation: &Evaluation,
    which: Which,
    format: ReportFormat,
    fail_on: FailOn,
    out: &mut dyn Write,
) -> Result<Exit> {
    let evaluated = evaluate::evaluate(
        &evaluation.workspace,
        evaluation.at.as_ref(),
        evaluation.as_of,
    )?;
    let command = match which {
        Which::Check => "check",
        Which::Status => "status",
    };
    match format {
        ReportFormat::Human => match which {
            Which::Check => human::write_check(out, &evaluated, fail_on, cx.style),
            Which::Status => human::write_status(out, &evaluated, cx.style),
        },
        ReportFormat::Json => json::write(out, &json::Report::new(command, &evaluated)),
        ReportFormat::Markdown => markdown::write_status(out, &evaluated),
        ReportFormat::Github => github::write(out, &evaluated, &prefix(env, &evaluated)),
        ReportFormat::Sarif => json::write(out, &sarif::log(&evaluated)),
    }
    .map_err(output_error)?;
    Ok(evaluated.exit(fail_on))
}

/// What goes before a record's path for GitHub: the folder of the workflow's workspace the
/// repository is checked out in, if any.
pub(super) fn prefix(env: &Environment, evaluated: &Evaluated) -> String {
    crate::workspace::workspace_prefix(
        evaluated.repo_root.as_deref(),
        env.github.workspace.as_deref(),
    )
}
