//! `assure verify`: a verdict for every sign-off, with its reasons. Exit 1 if any does not
//! count; 3 if the history needed is missing.

use std::io::Write;

use super::{Context, output_error};
use crate::cli::Format;
use crate::cli::config::Evaluation;
use crate::error::{Exit, Result};
use crate::evaluate;
use crate::report::json::{self, Header};
use crate::report::{human, verify as report};
use crate::verify;

pub fn run(
    cx: &Context,
    evaluation: &Evaluation,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let read = evaluate::read(
        &evaluation.workspace,
        evaluation.at.as_ref(),
        evaluation.as_of,
    )?;
    if !read.loaded.is_valid() {
        match format {
            Format::Json => json::write(out, &json::Report::new("verify", &read)),
            _ => human::write_invalid(out, &read, cx.style),
        }
        .map_err(output_error)?;
        return Ok(Exit::Invalid);
    }
    let set = &read.loaded.records;
    let outcomes = verify::judge(set, read.as_of, &read.witness);
    let failed = verify::any_fails(&outcomes);
    match format {
        Format::Json => json::write(
            out,
            &report::Report {
                header: Header::new("verify", set.marking()),
                as_of: read.as_of.to_string(),
                directory: crate::source::folder_name(&read.dir),
                git_checks: set.policy.signoff.any(),
                valid: !failed,
                signoffs: &outcomes,
            },
        ),
        Format::Markdown => report::write_markdown(out, set, &outcomes),
        Format::Human => report::write_human(out, set, &outcomes, cx.style),
    }
    .map_err(output_error)?;
    Ok(if failed { Exit::Failed } else { Exit::Ok })
}
