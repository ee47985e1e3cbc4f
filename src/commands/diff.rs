//! `assure diff BASE [HEAD]`: what changed in the records between two revisions (or a
//! revision and the working tree), in the project's terms.

use serde::Serialize;
use std::io::Write;

use super::{output_error, repository};
use crate::changes::{self, Change};
use crate::cli::{Config, Format};
use crate::error::{Exit, Result};
use crate::git::{self, short};
use crate::records::load;
use crate::report::human::{Style, plural};
use crate::report::json::Header;
use crate::report::markdown::escape;
use crate::snapshot::Snapshots;
use crate::workspace;

#[derive(Serialize)]
struct Side {
    spec: String,
    commit: Option<String>,
    /// Files that could not be read on this side; their changes are not shown.
    unreadable: Vec<String>,
}

#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    header: Header,
    directory: &'a str,
    base: Side,
    head: Side,
    changes: &'a [Change],
}

pub fn run(
    config: &Config,
    base: &str,
    head: Option<&str>,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let workspace = workspace::locate(config.dir.as_deref(), head.is_none())?;
    let repo = repository(&workspace)?;
    let dir = workspace.records.display.clone();
    let mut snapshots = Snapshots::new(&repo, &dir);
    let base_rev = git::resolve(&repo, base)?;
    let base_loaded = snapshots.at(base_rev.commit)?.unwrap_or_default();
    let (head_loaded, head_rev) = match head {
        Some(spec) => {
            let rev = git::resolve(&repo, spec)?;
            (snapshots.at(rev.commit)?.unwrap_or_default(), Some(rev))
        }
        None => (load::load(&dir, workspace.records.entries()), None),
    };
    let changes = changes::compare(&base_loaded, &head_loaded);
    let (bad_base, bad_head) = (&base_loaded.unread, &head_loaded.unread);
    let base_side = Side {
        spec: base.to_owned(),
        commit: Some(base_rev.commit.to_string()),
        unreadable: bad_base.iter().cloned().collect(),
    };
    let head_side = Side {
        spec: head.unwrap_or("the working tree").to_owned(),
        commit: head_rev.as_ref().map(|r| r.commit.to_string()),
        unreadable: bad_head.iter().cloned().collect(),
    };
    match format {
        Format::Json => {
            let report = Report {
                header: Header::new("diff"),
                directory: &dir,
                base: base_side,
                head: head_side,
                changes: &changes,
            };
            serde_json::to_writer_pretty(&mut *out, &report).map_err(|e| output_error(e.into()))?;
            writeln!(out).map_err(output_error)?;
        }
        Format::Markdown => {
            let write = |out: &mut dyn Write| -> std::io::Result<()> {
                let head = head_rev
                    .as_ref()
                    .map_or("the working tree".to_owned(), |r| {
                        format!("`{}`", short(r.commit))
                    });
                writeln!(
                    out,
                    "### Assurance records: {} from `{}` to {head}\n",
                    plural(changes.len(), "change", "changes"),
                    short(base_rev.commit)
                )?;
                for c in &changes {
                    writeln!(out, "- {}", escape(&c.text))?;
                }
                for file in bad_base.iter().chain(bad_head) {
                    writeln!(
                        out,
                        "- ⛔ {} could not be read; its changes are not shown",
                        escape(file)
                    )?;
                }
                Ok(())
            };
            write(out).map_err(output_error)?;
        }
        Format::Human => {
            let style = Style {
                color: config.color,
            };
            let write = |out: &mut dyn Write| -> std::io::Result<()> {
                let head = head_rev
                    .as_ref()
                    .map_or("the working tree".to_owned(), |r| {
                        format!("{} ({})", r.spec, short(r.commit))
                    });
                writeln!(
                    out,
                    "{}/ from {base} ({}) to {head}: {}",
                    dir,
                    short(base_rev.commit),
                    plural(changes.len(), "change", "changes")
                )?;
                for c in &changes {
                    let sign = c.what.sign();
                    let line = format!("{sign} {}", c.text);
                    let line = match sign {
                        '+' => style.green(&line),
                        '-' => style.dim(&line),
                        '!' => style.amber(&line),
                        _ => line,
                    };
                    writeln!(out, "{line}")?;
                }
                for (side, files) in [(base, bad_base), ("the newer side", bad_head)] {
                    if !files.is_empty() {
                        writeln!(
                            out,
                            "note: changes not shown for {} that could not be read at {side}: {}",
                            plural(files.len(), "file", "files"),
                            files.iter().cloned().collect::<Vec<_>>().join(", ")
                        )?;
                    }
                }
                Ok(())
            };
            write(out).map_err(output_error)?;
        }
    }
    Ok(Exit::Ok)
}
