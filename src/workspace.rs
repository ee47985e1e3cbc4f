//! Finding the records: `--dir PATH` (or `ASSURE_DIR`); else, in a git repository, the folder
//! its `.assure.yaml` names, else the nearest `assurance/` from the current directory up to
//! the repository's root, else `assurance/` at the root; outside git, the nearest
//! `assurance/` holding a project.yaml above the current directory.

use git2::Repository;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::source::WorkTree;

/// The default records folder name.
pub const DEFAULT_DIR: &str = "assurance";

/// The file at a repository's root that names its records folder, once for every command
/// and the Action: `dir: docs/security/assurance`.
pub const CONFIG_FILE: &str = ".assure.yaml";

/// What `.assure.yaml` holds.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The records folder, relative to the repository root.
    dir: String,
}

/// The records folder and the repository it belongs to, opened once.
pub struct Workspace {
    pub records: WorkTree,
    /// The git repository holding the records, when there is one.
    pub repo: Option<Repository>,
    /// Its working directory.
    pub repo_root: Option<PathBuf>,
}

impl Workspace {
    /// `path` (from the repository's root) as written from the folder the command runs in,
    /// for commands the user is told to type there (`git add`, `assure check --dir`): from a
    /// subfolder, `docs/security/assurance` is `assurance`, and `assurance/x` is `../../assurance/x`.
    pub fn from_here(&self, path: &str) -> String {
        let Some(inside) = self.root_when_elsewhere().and_then(|root| {
            let cwd = std::fs::canonicalize(std::env::current_dir().ok()?).ok()?;
            cwd.strip_prefix(root).ok().map(Path::to_path_buf)
        }) else {
            return path.to_owned();
        };
        let here: Vec<_> = inside.components().collect();
        let there: Vec<_> = Path::new(path).components().collect();
        let common = here.iter().zip(&there).take_while(|(a, b)| a == b).count();
        let mut out = PathBuf::new();
        for _ in common..here.len() {
            out.push("..");
        }
        for part in &there[common..] {
            out.push(part);
        }
        let mut shown = if out.as_os_str().is_empty() {
            ".".to_owned()
        } else {
            out.to_string_lossy().into_owned()
        };
        if path.ends_with('/') && !shown.ends_with('/') {
            shown.push('/');
        }
        shown
    }

    /// The repository's root, when the command runs in another folder: so that what it
    /// says it wrote can say where (paths are shown from the root).
    pub fn root_when_elsewhere(&self) -> Option<&Path> {
        let cwd = std::env::current_dir()
            .ok()
            .and_then(|d| std::fs::canonicalize(d).ok())?;
        self.repo_root.as_deref().filter(|root| cwd != *root)
    }

    /// The records folder, relative to the repository root (`assurance`).
    pub fn dir(&self) -> &str {
        &self.records.display
    }

    /// Today's classification limit: `max_classification` in the working tree's
    /// project.yaml (OFFICIAL without one). Records read from any revision are held to it.
    pub fn limit(&self) -> crate::records::Classification {
        crate::records::load::limit_of(&self.records.entries())
    }

    /// The repository, which history commands need.
    pub fn repository(&self) -> Result<&Repository> {
        self.repo.as_ref().ok_or_else(|| {
            Error::usage(
                "this reads the records' git history, but they are not in a git repository",
                "run it inside the repository that holds the records",
            )
        })
    }
}

/// `path` from the root, without `.` components (`./assurance` is `assurance`).
fn absolute(path: &Path) -> Result<PathBuf> {
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        cwd.join(path)
    };
    Ok(full
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect())
}

/// The records folder `.assure.yaml` at `root` names, if there is one.
fn configured(root: &Path) -> Result<Option<PathBuf>> {
    let file = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&file, e)),
    };
    let settings: Settings = serde_saphyr::from_str(&text).map_err(|e| {
        use serde_saphyr::MessageFormatter;
        let what = serde_saphyr::UserMessageFormatter.format_message(e.without_snippet());
        let at = e
            .location()
            .filter(|l| l.line() > 0)
            .map(|l| format!(":{}:{}", l.line(), l.column()))
            .unwrap_or_default();
        Error::usage(
            format!("{CONFIG_FILE}{at} at the repository root: {what}"),
            "it holds one line naming the records folder, such as `dir: docs/security/assurance`",
        )
    })?;
    let dir = Path::new(settings.dir.trim());
    let inside = !settings.dir.trim().is_empty()
        && dir.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
    if !inside {
        return Err(Error::usage(
            format!(
                "{CONFIG_FILE}: `dir: {}` must be a folder inside the repository",
                settings.dir
            ),
            "give the records folder relative to the repository root, such as `dir: docs/security/assurance`",
        ));
    }
    Ok(Some(root.join(dir).components().collect()))
}

/// The nearest `assurance/` folder from `cwd` up to the repository's `root`, else `assurance/`
/// at the root.
fn nearest(cwd: &Path, root: &Path) -> PathBuf {
    cwd.ancestors()
        .take_while(|a| a.starts_with(root))
        .map(|a| a.join(DEFAULT_DIR))
        .find(|candidate| candidate.is_dir())
        .unwrap_or_else(|| root.join(DEFAULT_DIR))
}

/// `path` as a person in the repository would name it: relative to `root` when inside it.
pub fn shown(path: &Path, root: Option<&Path>) -> String {
    match root.and_then(|r| path.strip_prefix(r).ok()) {
        Some(inside) if !inside.as_os_str().is_empty() => format!(
            "{}/ in the repository at {}",
            crate::source::slash_path(inside),
            root.map_or(String::new(), |r| r.display().to_string())
        ),
        _ => path.display().to_string(),
    }
}

/// The git repository containing `path`, if any, and its working directory.
fn discover(path: &Path) -> Option<(Repository, PathBuf)> {
    let repo = Repository::discover(path).ok()?;
    let workdir = std::fs::canonicalize(repo.workdir()?).ok()?;
    Some((repo, workdir))
}

/// Locate the records folder. With `must_exist` false (for `init`) the folder may be missing.
pub fn locate(dir: Option<&Path>, must_exist: bool) -> Result<Workspace> {
    // The folder as named, before links are resolved: a records folder named inside the
    // repository stays bounded by it even if it is a link to somewhere else.
    let mut named: Option<PathBuf> = None;
    let (dir, root) = match dir {
        Some(dir) => {
            let mut dir = absolute(dir)?;
            // A folder named by going up (`..`, `risks/..`) has no name of its own to keep:
            // it is the real folder it leads to.
            if dir.file_name().is_none()
                && let Ok(real) = std::fs::canonicalize(&dir)
            {
                dir = real;
            }
            // Resolve the links above the folder, not the folder itself, and look for the
            // repository from where the folder is named, not from where a link leads.
            let resolved = match (dir.parent(), dir.file_name()) {
                (Some(parent), Some(name)) => std::fs::canonicalize(parent)
                    .map(|p| p.join(name))
                    .unwrap_or_else(|_| dir.clone()),
                _ => dir.clone(),
            };
            let probe = if dir.is_symlink() || !dir.exists() {
                resolved
                    .parent()
                    .map_or(resolved.clone(), Path::to_path_buf)
            } else {
                dir.clone()
            };
            let found = discover(&probe);
            named = Some(resolved.clone());
            let dir = match std::fs::canonicalize(&dir) {
                Ok(real) => real,
                Err(_) => dir,
            };
            (dir, found)
        }
        None => {
            let cwd =
                std::fs::canonicalize(absolute(Path::new("."))?).map_err(|e| Error::io(".", e))?;
            match discover(&cwd) {
                Some((repo, root)) => {
                    let dir = match configured(&root)? {
                        Some(dir) => {
                            if must_exist && !dir.is_dir() {
                                return Err(Error::usage(
                                    format!(
                                        "{CONFIG_FILE} names the records folder {}, which does not exist",
                                        shown(&dir, Some(&root))
                                    ),
                                    format!(
                                        "correct `dir:` in {CONFIG_FILE} at the repository root, or remove the file to use assurance/"
                                    ),
                                ));
                            }
                            dir
                        }
                        None => nearest(&cwd, &root),
                    };
                    (dir, Some((repo, root)))
                }
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
    let (repo, repo_root) = root.unzip();
    if must_exist && !dir.is_dir() {
        return Err(Error::NoRecords {
            looked: shown(&dir, repo_root.as_deref()),
        });
    }
    let inside =
        |root: &Path| dir.starts_with(root) || named.as_ref().is_some_and(|n| n.starts_with(root));
    let boundary = match &repo_root {
        Some(root) if inside(root) => root.clone(),
        _ => dir.parent().map_or_else(|| dir.clone(), Path::to_path_buf),
    };
    // Shown and walked as named, so that a link is judged against the boundary.
    let dir = match named {
        Some(named) if named.starts_with(&boundary) => named,
        _ => dir,
    };
    Ok(Workspace {
        records: WorkTree::new(dir, boundary),
        repo,
        repo_root,
    })
}

/// What goes before a record's path in an annotation. GitHub places annotations by paths
/// relative to the workflow's workspace (`GITHUB_WORKSPACE`), while the records' paths are
/// relative to their repository, which a workflow may check out into a folder of the
/// workspace (`actions/checkout` with `path:`): then that folder, with a slash.
pub fn workspace_prefix(repo_root: Option<&Path>, workspace: Option<&Path>) -> String {
    let (Some(root), Some(workspace)) = (repo_root, workspace) else {
        return String::new();
    };
    let workspace = std::fs::canonicalize(workspace).unwrap_or_else(|_| workspace.to_owned());
    match root.strip_prefix(&workspace) {
        Ok(inside) if !inside.as_os_str().is_empty() => {
            let parts: Vec<_> = inside
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            format!("{}/", parts.join("/"))
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_is_the_checkout_folder_in_the_workspace() {
        let workspace = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(workspace.path()).unwrap();
        let checkout = root.join("service").join("api");
        let prefix = |repo: &Path| workspace_prefix(Some(repo), Some(workspace.path()));
        assert_eq!(prefix(&checkout), "service/api/");
        // Checked out at the workspace itself, or outside it: the paths as they are.
        assert_eq!(prefix(&root), "");
        assert_eq!(prefix(Path::new("/elsewhere/repo")), "");
        assert_eq!(workspace_prefix(None, Some(workspace.path())), "");
        assert_eq!(workspace_prefix(Some(&checkout), None), "");
    }
}
