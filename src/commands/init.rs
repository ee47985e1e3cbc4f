//! `assure init`: scaffold a commented, valid starting set of records. Never overwrites.

use std::io::Write;

use super::output_error;
use crate::dates::Date;
use crate::error::{Exit, Result};
use crate::report::messages;
use crate::scaffold;
use crate::workspace::Workspace;

pub fn run(
    workspace: &Workspace,
    name: Option<&str>,
    organisation: Option<&str>,
    today: Date,
    out: &mut dyn Write,
) -> Result<Exit> {
    let files = scaffold::files(name, organisation, today);
    let outcomes = scaffold::write(&workspace.records.dir, files)?;
    let elsewhere = workspace.root_when_elsewhere();
    let from_here = workspace.from_here(workspace.dir());
    messages::init(out, workspace.dir(), &from_here, elsewhere, &outcomes).map_err(output_error)?;
    Ok(Exit::Ok)
}
