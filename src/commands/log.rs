//! `assure log`: the records' history, newest first: who changed which record when, with
//! the commit, in the project's terms.

use git2::Oid;
use std::io::Write;

use super::{Context, output_error};
use crate::cli::Format;
use crate::error::{Error, Exit, Result};
use crate::history;
use crate::log::Filter;
use crate::records::load;
use crate::report::log::{write_human, write_json, write_markdown};
use crate::report::progress::Progress;
use crate::workspace::Workspace;

pub fn run(
    cx: &Context,
    workspace: &Workspace,
    head: Oid,
    filter: &Filter,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let repo = workspace.repository()?;
    let dir = workspace.dir();
    let walked = {
        let mut progress = Progress::new(cx.progress);
        history::walk(repo, head, dir, |n| {
            progress.update("reading history", n, None)
        })?
    };
    let entries = workspace.records.entries();
    let files: Vec<String> = entries.iter().map(|e| e.path.clone()).collect();
    let current = load::load(dir, entries);
    let log = crate::log::log(repo, &walked, dir, &current, filter);
    // (In a shallow clone the record may be in the history that is missing.)
    if let Some(target) = &filter.target
        && log.entries.is_empty()
        && walked.shallow_edges.is_empty()
        && !crate::log::knows(&walked, &files, &current, target)
    {
        return Err(Error::usage(
            format!(
                "there is no record or file `{target}` in {}, now or in its history",
                crate::source::folder(dir)
            ),
            "give a record's id (R-004, S-0003, A-017), or a file's name or path",
        ));
    }
    // Without the history, an empty log would be a false "no changes".
    if log.entries.is_empty()
        && let Some(error) = log.missing
    {
        return Err(error);
    }
    match format {
        Format::Json => write_json(out, dir, filter, &log),
        Format::Markdown => write_markdown(out, &log),
        Format::Human => write_human(out, filter, &log, cx.style),
    }
    .map_err(output_error)?;
    match log.missing {
        Some(error) => Err(error),
        None => Ok(Exit::Ok),
    }
}
