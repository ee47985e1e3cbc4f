//! `assure status`: the RAG status overall and per area, with every finding, worst first.

use std::io::Write;

use super::check::report;
use crate::cli::{Config, Evaluation, FailOn, ReportFormat};
use crate::error::{Exit, Result};
use crate::report::human;

pub fn run(
    config: &Config,
    format: ReportFormat,
    fail_on: FailOn,
    evaluation: &Evaluation,
    out: &mut dyn Write,
) -> Result<Exit> {
    report(
        config,
        "status",
        format,
        fail_on,
        evaluation,
        out,
        |out, evaluated, style| human::write_status(out, evaluated, style),
    )
}
