//! `assure status`: the RAG status overall and per area, with every finding, worst first.

use std::io::Write;

use super::check::write_json;
use super::{evaluate, exit, output_error};
use crate::cli::{Config, Evaluation, FailOn, Format};
use crate::error::{Exit, Result};
use crate::report::human::{self, Style};
use crate::report::markdown;

pub fn run(
    config: &Config,
    format: Format,
    fail_on: FailOn,
    evaluation: &Evaluation,
    out: &mut dyn Write,
) -> Result<Exit> {
    let evaluated = evaluate(config, evaluation)?;
    match format {
        Format::Json => write_json(out, "status", &evaluated)?,
        Format::Markdown => markdown::write_status(out, &evaluated).map_err(output_error)?,
        Format::Human => human::write_status(
            out,
            &evaluated,
            Style {
                color: config.color,
            },
        )
        .map_err(output_error)?,
    }
    Ok(exit(&evaluated, fail_on))
}
