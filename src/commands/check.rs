//! `assure check`: load and validate every record, report every problem, and exit with a
//! status CI can gate on.

use std::io::Write;

use super::output_error;
use crate::cli::{Config, FailOn, Format};
use crate::dates::Date;
use crate::error::{Exit, Result};
use crate::records::load::{self, Loaded};
use crate::report::human::{Style, plural, write_finding};
use crate::report::json::CheckReport;
use crate::workspace;

pub fn run(
    config: &Config,
    format: Format,
    fail_on: FailOn,
    as_of: Date,
    out: &mut dyn Write,
) -> Result<Exit> {
    let workspace = workspace::locate(config.dir.as_deref(), true)?;
    let dir = workspace.records.display.clone();
    let loaded = load::load(&dir, workspace.records.entries());
    match format {
        Format::Json => {
            let report = CheckReport::new("check", as_of, &dir, &loaded);
            serde_json::to_writer_pretty(&mut *out, &report).map_err(|e| output_error(e.into()))?;
            writeln!(out).map_err(output_error)?;
        }
        Format::Human => write_human(
            out,
            &dir,
            &loaded,
            Style {
                color: config.color,
            },
        )
        .map_err(output_error)?,
    }
    let _ = fail_on;
    Ok(if loaded.is_valid() {
        Exit::Ok
    } else {
        Exit::Invalid
    })
}

fn write_human(
    out: &mut dyn Write,
    dir: &str,
    loaded: &Loaded,
    style: Style,
) -> std::io::Result<()> {
    for finding in &loaded.problems {
        write_finding(out, finding, &loaded.sources, style)?;
    }
    if loaded.is_valid() {
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
            "{}: {} in {dir}/ are valid ({})",
            style.green("ok"),
            plural(loaded.files, "record", "records"),
            counts.join(", ")
        )
    } else {
        let files = {
            let mut files: Vec<&str> = loaded
                .problems
                .iter()
                .filter_map(|p| p.location.file.as_deref())
                .collect();
            files.dedup();
            files.len()
        };
        writeln!(
            out,
            "{}: {} in {}; the records are not valid. Fix them and run `assure check` again.",
            style.error("error"),
            plural(loaded.problems.len(), "problem", "problems"),
            plural(files, "file", "files"),
        )
    }
}
