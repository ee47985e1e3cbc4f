//! `assure import FILE`: an existing risk register as risk records, all or nothing.

use std::io::Write;

use super::output_error;
use crate::cli::config::Import;
use crate::error::{Error, Exit, Result};
use crate::import::{self, Problem};
use crate::records::load;
use crate::report::messages;

pub fn run(request: &Import, out: &mut dyn Write) -> Result<Exit> {
    let workspace = &request.workspace;
    let current = load::load(workspace.dir(), workspace.records.entries());
    if current.records.people.is_none() {
        return Err(Error::usage(
            "there is no people.yaml to find owners in",
            "run assure init, list the owners in people.yaml, then import",
        ));
    }
    let (risks, actions) = import::sheets(
        &request.file,
        request.sheet.as_deref(),
        request.actions.as_deref(),
    )?;
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
    if request.dry_run {
        messages::import_planned(out, &dir, &converted).map_err(output_error)?;
        return Ok(Exit::Ok);
    }
    import::write_all(&workspace.records.dir, &converted.files)?;
    messages::imported(out, &dir, &converted).map_err(output_error)?;
    Ok(Exit::Ok)
}

/// Every problem, where the spreadsheet says it is; nothing is written.
fn report(out: &mut dyn Write, problems: &[Problem]) -> Result<Exit> {
    messages::import_problems(out, problems).map_err(output_error)?;
    Ok(Exit::Invalid)
}
