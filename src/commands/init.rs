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
    // Run from a folder other than the repository's root, say where the records went.
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| std::fs::canonicalize(d).ok());
    let elsewhere = match (&workspace.repo_root, cwd) {
        (Some(root), Some(cwd)) if cwd != *root => Some(root.as_path()),
        _ => None,
    };
    messages::init(out, workspace.dir(), elsewhere, &outcomes).map_err(output_error)?;
    Ok(Exit::Ok)
}
