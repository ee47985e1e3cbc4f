//! `assure sign`: write an SRO sign-off bound to the canonical digest of its subject, after
//! checking that it would count. It never overwrites a file.

use std::io::Write;

use super::output_error;
use crate::error::{Error, Exit, Result};
use crate::fsutil;
use crate::records::load;
use crate::report::messages;
use crate::sign::{self, Request};
use crate::workspace::Workspace;

pub fn run(
    workspace: &Workspace,
    request: &Request,
    web: bool,
    out: &mut dyn Write,
) -> Result<Exit> {
    let dir = workspace.dir();
    let entries = workspace.records.entries();
    let files: Vec<String> = entries.iter().map(|e| e.path.clone()).collect();
    let loaded = load::load(dir, entries);
    let records = &workspace.records.dir;
    let schema_hint = records.join(".schemas/signoff.schema.json").is_file();
    let authorship = sign::authorship(workspace, &loaded, request)?;
    let prepared = sign::prepare(dir, &loaded, &files, request, &authorship, schema_hint)?;
    sign::people_committed(workspace, &loaded)?;
    let path = crate::source::joined(dir, &prepared.relative);
    if web {
        let link = sign::web_link(workspace, &path, &prepared)?;
        messages::signed_on_the_web(out, &path, &prepared, &link).map_err(output_error)?;
        return Ok(Exit::Ok);
    }
    if !fsutil::write_new(&records.join(&prepared.relative), prepared.text.as_bytes())? {
        return Err(Error::usage(
            format!("{path} already exists; nothing was written"),
            "another sign-off took that number: run the command again",
        ));
    }
    messages::signed(out, &path, &workspace.from_here(&path), &prepared).map_err(output_error)?;
    Ok(Exit::Ok)
}
