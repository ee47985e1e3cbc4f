//! `assure status`: the RAG status overall and per area, with every finding, worst first.

use std::io::Write;

use super::check::write_report;
use super::{evaluate, exit};
use crate::cli::{Config, Evaluation, FailOn, ReportFormat};
use crate::error::{Exit, Result};
use crate::report::human::{self, Style};

pub fn run(
    config: &Config,
    format: ReportFormat,
    fail_on: FailOn,
    evaluation: &Evaluation,
    out: &mut dyn Write,
) -> Result<Exit> {
    let evaluated = evaluate(config, evaluation)?;
    let style = Style {
        color: config.color,
    };
    write_report(out, "status", format, &evaluated, |out| {
        human::write_status(out, &evaluated, style)
    })?;
    Ok(exit(&evaluated, fail_on))
}
