//! The records' history, read from git's object database: every commit that touched the
//! records folder, newest first, with the files it added, changed or deleted.
//!
//! Only commits whose records-folder tree differs from their parent's are diffed (comparing
//! two tree ids is cheap), and a merge is credited only with content that matches none of its
//! parents, so a sign-off merged from a branch is credited to the branch commit that wrote it.

use crate::hash::HashSet;
use git2::{Delta, DiffOptions, ObjectType, Oid, Repository, Sort, Tree};
use std::path::Path;

use crate::dates::Date;
use crate::error::{Error, Result};
use crate::git::{day_of, short};
use crate::hash::Keyed;

/// A person as git records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

impl std::fmt::Display for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

/// One file changed by one commit.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// Path relative to the repository root.
    pub path: String,
    pub kind: ChangeKind,
    pub old: Option<Oid>,
    pub new: Option<Oid>,
}

/// A commit that changed the records.
#[derive(Debug, Clone)]
pub struct Commit {
    pub id: Oid,
    pub author: Identity,
    pub committer: Identity,
    /// Author time, seconds since the epoch.
    pub time: i64,
    /// The author date's UTC day.
    pub day: Date,
    pub summary: String,
    pub changes: Vec<FileChange>,
}

/// The records' history reachable from one commit.
#[derive(Debug, Default)]
pub struct History {
    /// Newest first (topological, then by time).
    pub commits: Vec<Commit>,
    /// Commits at the edge of a shallow clone: what they changed cannot be known.
    pub shallow_edges: Vec<Oid>,
}

/// Who a commit's signature names.
pub fn identity_of(signature: &git2::Signature<'_>) -> Identity {
    Identity {
        name: String::from_utf8_lossy(signature.name_bytes()).into_owned(),
        email: String::from_utf8_lossy(signature.email_bytes()).into_owned(),
    }
}

fn identity(signature: git2::Signature<'_>) -> Identity {
    Identity {
        name: String::from_utf8_lossy(signature.name_bytes()).into_owned(),
        email: String::from_utf8_lossy(signature.email_bytes()).into_owned(),
    }
}

/// The commits a shallow clone was cut at (git's `shallow` file).
pub fn shallow_commits(repo: &Repository) -> HashSet<Oid> {
    if !repo.is_shallow() {
        return HashSet::default();
    }
    std::fs::read_to_string(repo.path().join("shallow"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| Oid::from_str(l.trim()).ok())
        .collect()
}

/// What of the repository's root tree the records are, when they are kept there, as one id:
/// its YAML files and the folders of records, not the code, the README or hidden files beside
/// them, whose changes are not changes to the records. `None` before there are any, as for a
/// records folder not yet made.
fn records_at_root(tree: &Tree<'_>) -> Option<Oid> {
    let mut held = Vec::new();
    for entry in tree.iter() {
        let name = entry.name_bytes();
        let record = std::str::from_utf8(name).is_ok_and(|name| {
            !name.starts_with('.')
                && (crate::source::is_yaml(name) || crate::source::RECORD_FOLDERS.contains(&name))
        });
        if record {
            held.extend_from_slice(name);
            held.push(0);
            held.extend_from_slice(entry.id().as_bytes());
        }
    }
    if held.is_empty() {
        return None;
    }
    Some(Oid::hash_object(git2::ObjectType::Blob, &held).unwrap_or_else(|_| tree.id()))
}

fn subtree<'r>(repo: &'r Repository, tree: &Tree<'_>, dir: &str) -> Option<Tree<'r>> {
    // The records are the repository's root.
    if dir.is_empty() {
        return repo.find_tree(tree.id()).ok();
    }
    let entry = tree.get_path(Path::new(dir)).ok()?;
    if entry.kind() != Some(ObjectType::Tree) {
        return None;
    }
    repo.find_tree(entry.id()).ok()
}

/// Walk the history from `from`, keeping the commits that changed `dir`.
/// `progress` is called with the number of commits seen so far.
pub fn walk(
    repo: &Repository,
    from: Oid,
    dir: &str,
    mut progress: impl FnMut(usize),
) -> Result<History> {
    let shallow = shallow_commits(repo);
    let mut revwalk = repo.revwalk()?;
    revwalk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
    revwalk.push(from)?;
    let mut history = History::default();
    let mut seen = 0;
    for id in revwalk {
        let id = id?;
        seen += 1;
        if seen % 1024 == 0 {
            progress(seen);
        }
        let commit = repo.find_commit(id)?;
        let tree = commit.tree()?;
        let mine = subtree(repo, &tree, dir);
        let parents: Vec<Option<Tree<'_>>> = commit
            .parents()
            .map(|p| p.tree().ok().and_then(|t| subtree(repo, &t, dir)))
            .collect();
        if parents.is_empty() && shallow.contains(&id) {
            // Its parents are not here: we cannot tell what it changed.
            if mine.is_some() {
                history.shallow_edges.push(id);
            }
            continue;
        }
        let mine_id = mine.as_ref().map(Tree::id);
        // Unchanged relative to some parent: nothing of its own to credit.
        if parents.iter().any(|p| p.as_ref().map(Tree::id) == mine_id) {
            continue;
        }
        let first = parents.first().and_then(Option::as_ref);
        let mut changes = diff(repo, first, mine.as_ref(), dir)?;
        if parents.len() > 1 {
            // A merge: keep only content that matches none of its other parents.
            changes.retain(|change| {
                !parents[1..].iter().any(|p| {
                    let theirs = p.as_ref().and_then(|t| {
                        let relative = change
                            .path
                            .strip_prefix(dir)
                            .unwrap_or(&change.path)
                            .trim_start_matches('/');
                        t.get_path(Path::new(relative)).ok().map(|e| e.id())
                    });
                    theirs == change.new
                })
            });
        }
        if changes.is_empty() {
            continue;
        }
        let author = commit.author();
        let time = author.when();
        history.commits.push(Commit {
            id,
            author: identity(commit.author()),
            committer: identity(commit.committer()),
            time: time.seconds(),
            day: day_of(time),
            summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                .into_owned(),
            changes,
        });
    }
    progress(seen);
    Ok(history)
}

fn diff(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    dir: &str,
) -> Result<Vec<FileChange>> {
    let mut options = DiffOptions::new();
    options.ignore_submodules(true).skip_binary_check(true);
    let diff = repo.diff_tree_to_tree(old, new, Some(&mut options))?;
    let mut changes = Vec::new();
    for delta in diff.deltas() {
        let kind = match delta.status() {
            Delta::Added => ChangeKind::Added,
            Delta::Deleted => ChangeKind::Deleted,
            Delta::Modified | Delta::Typechange => ChangeKind::Modified,
            _ => continue,
        };
        let file = if kind == ChangeKind::Deleted {
            delta.old_file()
        } else {
            delta.new_file()
        };
        let Some(relative) = file.path().and_then(Path::to_str) else {
            continue;
        };
        // What the records folder holds besides records (hidden files such as the editor
        // schemas `init` writes, a README) is not their history.
        let name = relative.rsplit('/').next().unwrap_or(relative);
        if relative.split('/').any(|part| part.starts_with('.'))
            || !(crate::source::is_yaml(name) || crate::source::is_unread(relative))
        {
            continue;
        }
        let nonzero = |id: Oid| (!id.is_zero()).then_some(id);
        changes.push(FileChange {
            path: crate::source::joined(dir, relative),
            kind,
            old: nonzero(delta.old_file().id()),
            new: nonzero(delta.new_file().id()),
        });
    }
    Ok(changes)
}

/// Each file's changes, newest first, as indices into `History::commits`. A path is known by
/// where the history holds it (a first commit may add a hundred thousand files: they are
/// never copied), so the index can be built on the thread that walked the history and
/// handed over with it.
#[derive(Debug, Default)]
pub struct FileIndex {
    /// Each path's changes; the first names the commit and change the path is read from.
    by_path: Keyed<Vec<Touch>>,
}

/// A commit's change to one file.
#[derive(Debug, Clone, Copy)]
pub struct Touch {
    /// The commit, as an index into `History::commits`.
    pub commit: usize,
    /// The commit's first change to the file (a merge may list a file once per parent), as
    /// an index into its `changes`.
    pub change: usize,
    pub kind: ChangeKind,
}

/// `history`, with each file's changes indexed.
pub fn indexed(history: History) -> (History, FileIndex) {
    let index = FileIndex::new(&history);
    (history, index)
}

impl FileIndex {
    pub fn new(history: &History) -> FileIndex {
        // At most one file a change: sized once, a hundred thousand paths are not hashed
        // again at each doubling.
        let changes = history.commits.iter().map(|c| c.changes.len()).sum();
        let mut by_path = Keyed::with_capacity(changes);
        for (i, commit) in history.commits.iter().enumerate() {
            for (j, change) in commit.changes.iter().enumerate() {
                let touches =
                    by_path.get_or_insert_with(&change.path, |t| history.path_of(t), Vec::new);
                let first = match touches.last() {
                    Some(last) if last.commit == i => last.change,
                    _ => j,
                };
                touches.push(Touch {
                    commit: i,
                    change: first,
                    kind: change.kind,
                });
            }
        }
        FileIndex { by_path }
    }

    /// The changes of one file in `history` (the one indexed), newest first.
    pub fn changes<'a>(&'a self, history: &History, path: &str) -> &'a [Touch] {
        self.by_path
            .get(path, |t| history.path_of(t))
            .map_or(&[], Vec::as_slice)
    }
}

impl History {
    /// The path that the first of a file's changes (never empty) is to.
    fn path_of(&self, touches: &[Touch]) -> &str {
        let first = &touches[0];
        &self.commits[first.commit].changes[first.change].path
    }
}

/// A commit on a first-parent line, and whether it changed the records.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub id: Oid,
    /// The committer date's UTC day.
    pub day: Date,
    pub changed: bool,
}

/// The commits a change brings: reachable from `head` and not from `base`, on every path, in
/// git's default order (empty when either cannot be read).
pub fn brought_by(repo: &Repository, base: Oid, head: Oid) -> Vec<Oid> {
    let Ok(mut walk) = repo.revwalk() else {
        return Vec::new();
    };
    if walk.push(head).is_err() || walk.hide(base).is_err() {
        return Vec::new();
    }
    walk.flatten().collect()
}

/// The commits of `head`'s first-parent line that reached it after `day`, newest first, each
/// with its first parent (`None`: the first commit, or the edge of a shallow clone) and the
/// day it landed. A commit's day here is its committer date, the day it joined the line: an
/// old commit merged or rebased in today landed today. The walk stops at the first commit
/// that landed on or before `day`.
pub fn landed_since(repo: &Repository, head: Oid, day: Date) -> Vec<(Oid, Option<Oid>, Date)> {
    let mut out = Vec::new();
    let mut commit = repo.find_commit(head).ok();
    while let Some(c) = commit {
        let landed = day_of(c.committer().when());
        if landed <= day {
            break;
        }
        let parent = c.parent(0).ok();
        out.push((c.id(), parent.as_ref().map(git2::Commit::id), landed));
        commit = parent;
    }
    out
}

/// The first-parent line from `from` back to (and including) the first commit for which
/// `stop` holds, oldest first. Only the records folder's tree id is compared, so commits
/// that do not touch the records cost one tree lookup. `progress` is told how many commits
/// have been read. A shallow clone that ends before `stop` is an error naming the fix.
pub fn first_parent_line(
    repo: &Repository,
    from: Oid,
    dir: &str,
    stop: &dyn Fn(Oid, Date) -> bool,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    let shallow = shallow_commits(repo);
    let mut commit = repo.find_commit(from)?;
    let tree_of = |c: &git2::Commit<'_>| -> Option<Oid> {
        let tree = c.tree().ok()?;
        if dir.is_empty() {
            return records_at_root(&tree);
        }
        tree.get_path(Path::new(dir)).ok().map(|e| e.id())
    };
    let mut mine = tree_of(&commit);
    loop {
        let day = day_of(commit.committer().when());
        // No parent: the first commit, or the edge of a shallow clone. Any other failure to
        // read the parent is an error, not the start of history.
        let parent = match commit.parent(0) {
            Ok(parent) => Some(parent),
            Err(_) if commit.parent_count() == 0 || shallow.contains(&commit.id()) => None,
            Err(e) => return Err(e.into()),
        };
        let theirs = parent.as_ref().and_then(tree_of);
        steps.push(Step {
            id: commit.id(),
            day,
            changed: mine != theirs,
        });
        if steps.len() % 1024 == 0 {
            progress(steps.len());
        }
        if stop(commit.id(), day) {
            break;
        }
        match parent {
            Some(p) => {
                commit = p;
                mine = theirs;
            }
            None if shallow.contains(&commit.id()) => {
                return Err(Error::HistoryMissing {
                    message: format!(
                        "this is a shallow clone: its history stops at {} ({day}), before the start of the period",
                        short(commit.id())
                    ),
                });
            }
            None => break,
        }
    }
    progress(steps.len());
    steps.reverse();
    Ok(steps)
}
