//! `assure import FILE`: an existing risk register as risk records, all or nothing.

use std::io::Write;

use super::output_error;
use crate::cli::config::Import;
use crate::error::{Error, Exit, Result};
use crate::fsutil;
use crate::import::{self, Problem, Sheet};
use crate::records::load;

pub fn run(request: &Import, out: &mut dyn Write) -> Result<Exit> {
    let workspace = &request.workspace;
    let current = load::load(workspace.dir(), workspace.records.entries());
    if current.records.people.is_none() {
        return Err(Error::usage(
            "there is no people.yaml to find owners in",
            "run assure init, list the owners in people.yaml, then import",
        ));
    }
    let sheets = import::read(&request.file).map_err(usage)?;
    let (risks, mut actions) = match &request.sheet {
        Some(name) => {
            let Some(sheet) = sheets.iter().find(|s| s.name.eq_ignore_ascii_case(name)) else {
                let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
                return Err(Error::usage(
                    format!("there is no sheet {name}"),
                    format!("the sheets are: {}", names.join(", ")),
                ));
            };
            (vec![sheet.clone()], None)
        }
        None => (
            sheets.first().cloned().into_iter().collect::<Vec<Sheet>>(),
            None,
        ),
    };
    if sheets.len() > 1 {
        actions = sheets
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case("actions"))
            .cloned();
    }
    if let Some(path) = &request.actions {
        actions = import::read(path).map_err(usage)?.into_iter().next();
    }
    let converted =
        match import::convert(&risks, actions.as_ref(), &request.mapping, &current.records) {
            Ok(converted) => converted,
            Err(problems) => return report(out, &problems),
        };
    let dir = workspace.dir().to_owned();
    let problems = import::check(
        &dir,
        &workspace.records.dir,
        workspace.records.entries(),
        &converted,
    );
    if !problems.is_empty() {
        return report(out, &problems);
    }
    let files = &converted.files;
    for note in &converted.notes {
        writeln!(out, "note: {note}").map_err(output_error)?;
    }
    if request.dry_run {
        for (relative, _) in files {
            writeln!(out, "would write {}", crate::source::joined(&dir, relative))
                .map_err(output_error)?;
        }
        writeln!(
            out,
            "dry run: {} risks would be imported; nothing was written",
            files.len()
        )
        .map_err(output_error)?;
        return Ok(Exit::Ok);
    }
    let mut written = Vec::new();
    for (relative, text) in files {
        let path = workspace.records.dir.join(relative);
        let wrote = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .map_err(|e| Error::Io {
                path: path.clone(),
                source: e,
            })
            .and_then(|()| fsutil::write_new(&path, text.as_bytes()));
        match wrote {
            Ok(true) => written.push(path),
            outcome => {
                // All or nothing: take back what this run wrote.
                for path in &written {
                    let _ = std::fs::remove_file(path);
                }
                outcome?;
                return Err(Error::usage(
                    format!(
                        "{} appeared while importing; nothing was written",
                        path.display()
                    ),
                    "run the import again",
                ));
            }
        }
    }
    writeln!(
        out,
        "imported {} risks into {}; run assure check next",
        files.len(),
        crate::source::joined(&dir, "risks/")
    )
    .map_err(output_error)?;
    Ok(Exit::Ok)
}

fn usage(p: Problem) -> Error {
    Error::usage(format!("{}: {}", p.place, p.message), p.hint)
}

/// Every problem, where the spreadsheet says it is; nothing is written.
fn report(out: &mut dyn Write, problems: &[Problem]) -> Result<Exit> {
    crate::report::messages::import_problems(out, problems).map_err(output_error)?;
    Ok(Exit::Invalid)
}
