//! One module per command: each wires loading, evaluation and rendering together.

pub mod check;
pub mod init;
pub mod schema;
pub mod status;

use std::io::Write;

use crate::cli::{self, CommandConfig, Config};
use crate::dates::Date;
use crate::error::{Error, Exit, Result};
use crate::git::{self, Revision};
use crate::records::load::{self, Loaded};
use crate::rules::{self, Status};
use crate::workspace;

pub fn run(config: &Config, out: &mut dyn Write) -> Result<Exit> {
    match &config.command {
        CommandConfig::Init {
            name,
            organisation,
            today,
        } => init::run(
            config,
            name.as_deref(),
            organisation.as_deref(),
            *today,
            out,
        ),
        CommandConfig::Check {
            format,
            fail_on,
            evaluation,
        } => check::run(config, *format, *fail_on, evaluation, out),
        CommandConfig::Status {
            format,
            fail_on,
            evaluation,
        } => status::run(config, *format, *fail_on, evaluation, out),
        CommandConfig::Schema { kind, out: dir } => schema::run(*kind, dir.as_deref(), out),
    }
}

/// Records loaded and, when they are valid, evaluated.
#[derive(Debug)]
pub struct Evaluated {
    /// The records folder, relative to the repository root.
    pub dir: String,
    pub loaded: Loaded,
    /// `None` when the records are invalid: no status is claimed for records we could not read.
    pub status: Option<Status>,
    pub as_of: Date,
    /// The revision read, with `--at`.
    pub revision: Option<Revision>,
    /// The project's name, for headings.
    pub project: Option<String>,
}

/// Load the records (from the working tree, or a revision with `--at`) and evaluate them.
pub fn evaluate(config: &Config, evaluation: &cli::Evaluation) -> Result<Evaluated> {
    let workspace = workspace::locate(config.dir.as_deref(), evaluation.at.is_none())?;
    let dir = workspace.records.display.clone();
    let (entries, revision) = match &evaluation.at {
        None => (workspace.records.entries(), None),
        Some(spec) => {
            let root = workspace.repo_root.as_deref().ok_or_else(|| {
                Error::usage(
                    "--at needs a git repository",
                    "run assure inside the repository, or drop --at",
                )
            })?;
            let repo = git::open(root)?;
            let revision = git::resolve(&repo, spec)?;
            (git::entries(&repo, revision.commit, &dir)?, Some(revision))
        }
    };
    let as_of = evaluation
        .as_of
        .or(revision.as_ref().map(|r| r.day))
        .unwrap_or_else(crate::dates::today_utc);
    let loaded = load::load(&dir, entries);
    let mut status = loaded
        .is_valid()
        .then(|| rules::evaluate(&loaded.records, as_of));
    if let Some(status) = &mut status {
        // Rule findings point at fields; resolve them to lines for every output.
        load::resolve_positions(&mut status.findings, &loaded.sources);
    }
    Ok(Evaluated {
        project: loaded.records.project.as_ref().map(|p| p.name.clone()),
        dir,
        loaded,
        status,
        as_of,
        revision,
    })
}

/// The exit status for an evaluation.
pub fn exit(evaluated: &Evaluated, fail_on: cli::FailOn) -> Exit {
    match &evaluated.status {
        None => Exit::Invalid,
        Some(status) if fail_on.fails(status.overall) => Exit::Failed,
        Some(_) => Exit::Ok,
    }
}

/// Writing the report failed (for example a closed pipe).
pub(crate) fn output_error(e: std::io::Error) -> Error {
    Error::io("<stdout>", e)
}
