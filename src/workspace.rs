//! Finding the records: `--dir PATH`, else `assurance/` at the root of the git repository
//! we are in, else the nearest `assurance/` folder above the current directory.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::source::WorkTree;

/// The default records folder name.
pub const DEFAULT_DIR: &str = "assurance";

/// The records folder and the repository it belongs to.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub records: WorkTree,
    /// The git repository's working directory, when there is one.
    pub repo_root: Option<PathBuf>,
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    Ok(cwd.join(path))
}

/// The working directory of the git repository containing `path`, if any.
fn repo_root(path: &Path) -> Option<PathBuf> {
    let repo = git2::Repository::discover(path).ok()?;
    let workdir = repo.workdir()?;
    std::fs::canonicalize(workdir).ok()
}

/// Locate the records folder. With `must_exist` false (for `init`) the folder may be missing.
pub fn locate(dir: Option<&Path>, must_exist: bool) -> Result<Workspace> {
    let (dir, root) = match dir {
        Some(dir) => {
            let dir = absolute(dir)?;
            let probe = if dir.exists() {
                dir.clone()
            } else {
                dir.parent().map_or(dir.clone(), Path::to_path_buf)
            };
            let dir = match std::fs::canonicalize(&dir) {
                Ok(real) => real,
                Err(_) => dir,
            };
            (dir, repo_root(&probe))
        }
        None => {
            let cwd = absolute(Path::new("."))?;
            match repo_root(&cwd) {
                Some(root) => (root.join(DEFAULT_DIR), Some(root)),
                None => {
                    let found = cwd
                        .ancestors()
                        .map(|a| a.join(DEFAULT_DIR))
                        .find(|candidate| candidate.join("project.yaml").is_file());
                    (found.unwrap_or_else(|| cwd.join(DEFAULT_DIR)), None)
                }
            }
        }
    };
    if must_exist && !dir.is_dir() {
        return Err(Error::NoRecords { looked: dir });
    }
    let boundary = match &root {
        Some(root) if dir.starts_with(root) => root.clone(),
        _ => dir.parent().map_or_else(|| dir.clone(), Path::to_path_buf),
    };
    Ok(Workspace {
        records: WorkTree::new(dir, boundary),
        repo_root: root,
    })
}
