//! `assure diff BASE [HEAD]`: what changed in the records between two revisions (or a
//! revision and the working tree), in the project's terms.

use std::io::Write;

use super::{Context, output_error};
use crate::changes;
use crate::cli::Format;
use crate::error::{Exit, Result};
use crate::git::Revision;
use crate::report::diff::{Sides, write_human, write_json, write_markdown};
use crate::workspace::Workspace;

pub fn run(
    cx: &Context,
    workspace: &Workspace,
    base: &Revision,
    head: Option<&Revision>,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let diff = changes::diff(
        workspace.repository()?,
        workspace.dir(),
        base.commit,
        head.map(|r| r.commit),
        || workspace.records.entries(),
        workspace.limit(),
    )?;
    let sides = Sides {
        dir: workspace.dir(),
        base,
        head,
    };
    match format {
        Format::Json => write_json(out, &sides, &diff),
        Format::Markdown => write_markdown(out, &sides, &diff),
        Format::Human => write_human(out, &sides, &diff, cx.style),
    }
    .map_err(output_error)?;
    Ok(Exit::Ok)
}
