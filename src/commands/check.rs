//! `assure check`: validate every record, evaluate the rules, report, and exit with a
//! status CI can gate on.

use std::io::Write;

use super::{Evaluated, evaluate, exit, output_error};
use crate::cli::{Config, Evaluation, FailOn, ReportFormat};
use crate::error::{Exit, Result};
use crate::report::human::{self, Style, plural};
use crate::report::json::Report;
use crate::report::{github, markdown, sarif};

pub fn run(
    config: &Config,
    format: ReportFormat,
    fail_on: FailOn,
    evaluation: &Evaluation,
    out: &mut dyn Write,
) -> Result<Exit> {
    report(
        config,
        "check",
        format,
        fail_on,
        evaluation,
        out,
        |out, evaluated, style| write_human(out, evaluated, fail_on, style),
    )
}

/// Evaluate, write the report in `format` (`human` for the command's own human report), and
/// give the exit status for `fail_on`: all of `check` and `status`.
pub(crate) fn report(
    config: &Config,
    command: &'static str,
    format: ReportFormat,
    fail_on: FailOn,
    evaluation: &Evaluation,
    out: &mut dyn Write,
    human: impl FnOnce(&mut dyn Write, &Evaluated, Style) -> std::io::Result<()>,
) -> Result<Exit> {
    let evaluated = evaluate(config, evaluation)?;
    let style = Style {
        color: config.color,
    };
    write_report(out, command, format, &evaluated, |out| {
        human(out, &evaluated, style)
    })?;
    Ok(exit(&evaluated, fail_on))
}

/// The report in `format`; `human` writes the command's own human report.
pub(crate) fn write_report(
    out: &mut dyn Write,
    command: &'static str,
    format: ReportFormat,
    evaluated: &Evaluated,
    human: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match format {
        ReportFormat::Human => human(out).map_err(output_error),
        ReportFormat::Json => write_json(out, command, evaluated),
        ReportFormat::Markdown => markdown::write_status(out, evaluated).map_err(output_error),
        ReportFormat::Github => github::write(out, evaluated).map_err(output_error),
        ReportFormat::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif::log(evaluated))
                .map_err(|e| output_error(e.into()))?;
            writeln!(out).map_err(output_error)
        }
    }
}

pub(crate) fn write_json(
    out: &mut dyn Write,
    command: &'static str,
    evaluated: &Evaluated,
) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Report::new(command, evaluated))
        .map_err(|e| output_error(e.into()))?;
    writeln!(out).map_err(output_error)
}

pub(crate) fn write_human(
    out: &mut dyn Write,
    evaluated: &Evaluated,
    fail_on: FailOn,
    style: Style,
) -> std::io::Result<()> {
    let Some(status) = &evaluated.status else {
        return human::write_invalid(out, evaluated, style);
    };
    human::write_findings(out, evaluated, style)?;
    let loaded = &evaluated.loaded;
    let counts: Vec<String> = loaded
        .records
        .counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| {
            if kind.is_singleton() {
                kind.name().to_owned()
            } else {
                format!("{n} {}", if n == 1 { kind.name() } else { kind.plural() })
            }
        })
        .collect();
    writeln!(
        out,
        "{}: {} in {}/ are valid ({})",
        style.green("ok"),
        plural(loaded.files, "record", "records"),
        evaluated.dir,
        counts.join(", ")
    )?;
    human::write_summary(out, status, style)?;
    if fail_on.fails(status.overall) {
        let level = match fail_on {
            FailOn::Amber => "amber",
            _ => "red",
        };
        writeln!(
            out,
            "{}: the status is at or past --fail-on {level}",
            style.error("failed")
        )?;
    }
    Ok(())
}
