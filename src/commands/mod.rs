//! One module per command: each wires loading, evaluation and rendering together.

pub mod board;
pub mod check;
pub mod ci;
pub mod diff;
pub mod init;
pub mod log;
pub mod schema;
pub mod sign;
pub mod status;
pub mod verify;

use std::io::Write;

use crate::cli::{self, CommandConfig, Config};
use crate::dates::Date;
use crate::error::{Error, Exit, Result};
use crate::git::{self, Revision};
use crate::records::load::{self, Loaded};
use crate::rules::{self, Status};
use crate::witness::{self, Checkout, Witness};
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
        CommandConfig::Sign(request) => sign::run(config, request, out),
        CommandConfig::Verify { format, evaluation } => {
            verify::run(config, *format, evaluation, out)
        }
        CommandConfig::Schema { kind, out: dir } => schema::run(*kind, dir.as_deref(), out),
        CommandConfig::Diff { base, head, format } => {
            diff::run(config, base, head.as_deref(), *format, out)
        }
        CommandConfig::Log {
            since,
            until,
            target,
            format,
        } => log::run(config, *since, *until, target.as_deref(), *format, out),
        CommandConfig::Board(request) => board::run(config, request, out),
        CommandConfig::Ci(request) => ci::run(config, request, out),
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
    /// The working directory of the git repository holding the records, when there is one.
    pub repo_root: Option<std::path::PathBuf>,
}

/// Records read, and what git says of their sign-offs, before any rule runs.
pub struct Read {
    pub evaluated: Evaluated,
    pub witness: Witness,
    /// The repository that holds the records, when they are in one.
    pub repo: Option<git2::Repository>,
}

/// Load the records (from the working tree, or a revision with `--at`) and, when they are
/// valid, ask git to witness their sign-offs.
pub fn read_records(config: &Config, evaluation: &cli::Evaluation) -> Result<Read> {
    let workspace = workspace::locate(config.dir.as_deref(), evaluation.at.is_none())?;
    let dir = workspace.records.display.clone();
    let repo = workspace.repo_root.as_deref().map(git::open).transpose()?;
    let (entries, revision) = match (&evaluation.at, &repo) {
        (None, _) => (workspace.records.entries(), None),
        (Some(_), None) => {
            return Err(Error::usage(
                "--at needs a git repository",
                "run assure inside the repository, or drop --at",
            ));
        }
        (Some(spec), Some(repo)) => {
            let revision = git::resolve(repo, spec)?;
            (git::entries(repo, revision.commit, &dir)?, Some(revision))
        }
    };
    let as_of = evaluation
        .as_of
        .or(revision.as_ref().map(|r| r.day))
        .unwrap_or_else(crate::dates::today_utc);
    let loaded = load::load(&dir, entries);
    let witness = match (&repo, loaded.is_valid()) {
        (_, false) => Witness::default(),
        (None, true) => Witness::without_repository(&loaded.records),
        (Some(repo), true) => {
            let (head, checkout) = match &revision {
                Some(r) => (Some(r.commit), Checkout::Revision),
                None => (git::head(repo), Checkout::WorkTree(&loaded.sources)),
            };
            witness::examine(repo, head, &dir, &loaded.records, checkout)?
        }
    };
    Ok(Read {
        evaluated: Evaluated {
            project: loaded.records.project.as_ref().map(|p| p.name.clone()),
            dir,
            loaded,
            status: None,
            as_of,
            revision,
            repo_root: workspace.repo_root,
        },
        witness,
        repo,
    })
}

/// Read the records and evaluate every rule.
pub fn evaluate(config: &Config, evaluation: &cli::Evaluation) -> Result<Evaluated> {
    Ok(evaluate_witnessed(config, evaluation)?.evaluated)
}

/// Read the records and evaluate every rule, keeping what git said of the sign-offs.
pub fn evaluate_witnessed(config: &Config, evaluation: &cli::Evaluation) -> Result<Read> {
    let Read {
        mut evaluated,
        witness,
        repo,
    } = read_records(config, evaluation)?;
    if evaluated.loaded.is_valid() {
        let mut status = rules::evaluate(&evaluated.loaded.records, evaluated.as_of, &witness);
        // Rule findings point at fields; resolve them to lines for every output.
        load::resolve_positions(&mut status.findings, &evaluated.loaded.sources);
        evaluated.status = Some(status);
    }
    Ok(Read {
        evaluated,
        witness,
        repo,
    })
}

/// Progress of a long walk, shown on stderr only when it is a terminal: a count of commits
/// read, then a bar for the points of the trend.
pub(crate) struct Progress {
    enabled: bool,
    shown: bool,
}

impl Progress {
    pub(crate) fn new() -> Progress {
        use std::io::IsTerminal;
        Progress {
            enabled: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    pub(crate) fn update(&mut self, stage: &str, done: usize, total: Option<usize>) {
        if !self.enabled {
            return;
        }
        if let Some(line) = progress_line(stage, done, total) {
            eprint!("\r{line}");
            self.shown = true;
        }
    }
}

/// The progress line: a bar when the total is known, else a count of commits once the walk
/// is long enough to be worth one.
fn progress_line(stage: &str, done: usize, total: Option<usize>) -> Option<String> {
    match total {
        Some(total) if total > 0 => {
            let filled = 30 * done.min(total) / total;
            Some(format!(
                "{stage}: [{}{}] {done}/{total}",
                "#".repeat(filled),
                " ".repeat(30 - filled)
            ))
        }
        _ if done >= 2048 => Some(format!("{stage}: {done} commits")),
        _ => None,
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            // Clear the line so the report starts clean.
            eprint!("\r\x1b[2K");
        }
    }
}

/// The repository, which history commands need.
pub(crate) fn repository(workspace: &workspace::Workspace) -> Result<git2::Repository> {
    let root = workspace.repo_root.as_deref().ok_or_else(|| {
        Error::usage(
            "this reads the records' git history, but they are not in a git repository",
            "run it inside the repository that holds the records",
        )
    })?;
    git::open(root)
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

#[cfg(test)]
mod tests {
    use super::progress_line;

    #[test]
    fn progress_is_a_bar_when_the_total_is_known_and_a_count_on_long_walks() {
        assert_eq!(
            progress_line("working out the trend", 15, Some(60)).unwrap(),
            format!(
                "working out the trend: [{}{}] 15/60",
                "#".repeat(7),
                " ".repeat(23)
            )
        );
        assert_eq!(
            progress_line("reading history", 4096, None).unwrap(),
            "reading history: 4096 commits"
        );
        // Short walks are not worth a line.
        assert_eq!(progress_line("reading history", 100, None), None);
    }
}
