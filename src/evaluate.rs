//! Records in, status out: load the records of a workspace (its working tree, or a revision),
//! have git witness their sign-offs, and evaluate every rule on a day.

use std::path::PathBuf;

use crate::dates::Date;
use crate::error::{Exit, Result};
use crate::finding::Finding;
use crate::git::{self, Revision};
use crate::records::load::{self, Loaded};
use crate::rules::{self, Rag, Status};
use crate::witness::{self, Checkout, Witness};
use crate::workspace::Workspace;

/// Records loaded and, when they are valid, witnessed and evaluated.
#[derive(Debug)]
pub struct Evaluated {
    /// The records folder, relative to the repository root.
    pub dir: String,
    pub loaded: Loaded,
    /// `None` when the records are invalid (no status is claimed for records we could not
    /// read), or when only read.
    pub status: Option<Status>,
    pub as_of: Date,
    /// The revision read, with `--at`.
    pub revision: Option<Revision>,
    /// The project's name, for headings.
    pub project: Option<String>,
    /// The working directory of the git repository holding the records, when there is one.
    pub repo_root: Option<PathBuf>,
    /// What git says of the sign-offs (nothing when the records are invalid).
    pub witness: Witness,
}

/// The status at which a command exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Amber,
    Red,
    Never,
}

impl FailOn {
    /// Whether a status of `rag` is at or past this level.
    pub fn fails(self, rag: Rag) -> bool {
        match self {
            FailOn::Amber => rag >= Rag::Amber,
            FailOn::Red => rag >= Rag::Red,
            FailOn::Never => false,
        }
    }
}

impl Evaluated {
    /// What to report: the rule findings, or the record errors when the records are not valid.
    pub fn findings(&self) -> &[Finding] {
        match &self.status {
            Some(status) => &status.findings,
            None => &self.loaded.problems,
        }
    }

    /// The overall status: red when the records are not valid, as nothing unreadable is
    /// ever reported better.
    pub fn overall(&self) -> Rag {
        self.status.as_ref().map_or(Rag::Red, |s| s.overall)
    }

    /// The exit status for this evaluation: invalid records are never fine.
    pub fn exit(&self, fail_on: FailOn) -> Exit {
        match &self.status {
            None => Exit::Invalid,
            Some(status) if fail_on.fails(status.overall) => Exit::Failed,
            Some(_) => Exit::Ok,
        }
    }
}

/// Load the records of `workspace` (its working tree, or the revision `at`) and, when they
/// are valid, ask git to witness their sign-offs. No rule runs.
pub fn read(workspace: &Workspace, at: Option<&Revision>, as_of: Date) -> Result<Evaluated> {
    let dir = workspace.dir().to_owned();
    let repo = workspace.repo.as_ref();
    let loaded = match at {
        Some(revision) => load::load_capped(
            &dir,
            git::entries(workspace.repository()?, revision.commit, &dir)?,
            workspace.limit(),
        ),
        None => load::load(&dir, workspace.records.entries()),
    };
    let witness = match (repo, loaded.is_valid()) {
        (_, false) => Witness::default(),
        (None, true) => Witness::without_repository(&loaded.records),
        (Some(repo), true) => {
            let (head, checkout) = match at {
                Some(r) => (Some(r.commit), Checkout::Revision),
                None => (git::head(repo), Checkout::WorkTree(&loaded.sources)),
            };
            witness::examine(repo, head, &dir, &loaded.records, checkout)?
        }
    };
    Ok(Evaluated {
        project: loaded.records.project.as_ref().map(|p| p.name.clone()),
        dir,
        loaded,
        status: None,
        as_of,
        revision: at.cloned(),
        repo_root: workspace.repo_root.clone(),
        witness,
    })
}

/// Read the records and evaluate every rule on `as_of`.
pub fn evaluate(workspace: &Workspace, at: Option<&Revision>, as_of: Date) -> Result<Evaluated> {
    let mut evaluated = read(workspace, at, as_of)?;
    if evaluated.loaded.is_valid() {
        let mut status = rules::evaluate(&evaluated.loaded.records, as_of, &evaluated.witness);
        // Rule findings point at fields; resolve them to lines for every output.
        load::resolve_positions(&mut status.findings, &evaluated.loaded.sources);
        evaluated.status = Some(status);
    }
    Ok(evaluated)
}
