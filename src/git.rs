//! Reading records from git's object database (libgit2), never touching the working tree:
//! `--at REV`, and the building blocks of the history walks.

use crate::hash::HashMap;
use git2::{ObjectType, Oid, Repository, Tree};
use std::path::Path;
use std::sync::Arc;

use crate::dates::{Date, parse_date};
use crate::error::{Error, Result};
use crate::finding::{ErrorCode, Finding, Location, Position};
use crate::source::{Content, Entry, check_size, is_unread, is_yaml, unread};

/// The UTC calendar day of a git time.
pub fn day_of(time: git2::Time) -> Date {
    jiff::Timestamp::from_second(time.seconds())
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
        .unwrap_or(Date::MIN)
}

/// The calendar day of a git time in its own time zone: the day the person meant.
pub fn local_day_of(time: git2::Time) -> Date {
    let seconds = time.seconds() + i64::from(time.offset_minutes()) * 60;
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
        .unwrap_or(Date::MIN)
}

/// A resolved `--at`: the commit, and the day to evaluate on unless `--as-of` says otherwise.
#[derive(Debug, Clone)]
pub struct Revision {
    pub commit: Oid,
    /// What the user asked for, for messages.
    pub spec: String,
    /// The day the records are evaluated on by default: the date asked for, or the
    /// commit's own date.
    pub day: Date,
}

/// Resolve `--at`: a revision (`HEAD~3`, a tag, a commit id) or a date (`YYYY-MM-DD`, the
/// last commit on the first-parent history of HEAD made on or before that day, UTC).
pub fn resolve(repo: &Repository, spec: &str) -> Result<Revision> {
    if let Ok(object) = repo.revparse_single(spec)
        && let Ok(commit) = object.peel_to_commit()
    {
        return Ok(Revision {
            commit: commit.id(),
            spec: spec.to_owned(),
            day: day_of(commit.committer().when()),
        });
    }
    if let Ok(day) = parse_date(spec) {
        let mut commit = repo.head().and_then(|h| h.peel_to_commit()).map_err(|e| {
            Error::usage(
                format!("cannot read HEAD: {}", e.message()),
                "make a first commit",
            )
            .because(e)
        })?;
        loop {
            if day_of(commit.committer().when()) <= day {
                return Ok(Revision {
                    commit: commit.id(),
                    spec: spec.to_owned(),
                    day,
                });
            }
            match commit.parent(0) {
                Ok(parent) => commit = parent,
                Err(_) if repo.is_shallow() => {
                    return Err(Error::HistoryMissing {
                        message: format!(
                            "this is a shallow clone: its history stops at {} ({}), after {day}",
                            short(commit.id()),
                            day_of(commit.committer().when())
                        ),
                    });
                }
                Err(_) => {
                    return Err(Error::usage(
                        format!(
                            "no commit on or before {day}: the first commit is from {}",
                            day_of(commit.committer().when())
                        ),
                        "choose a later date",
                    ));
                }
            }
        }
    }
    if repo.is_shallow() {
        return Err(Error::HistoryMissing {
            message: format!("revision `{spec}` is not in this shallow clone"),
        });
    }
    Err(Error::usage(
        format!("unknown revision `{spec}`"),
        "give a commit, branch or tag (git log shows them), or a date YYYY-MM-DD",
    ))
}

/// The commit HEAD points at, if there is one yet.
pub fn head(repo: &Repository) -> Option<Oid> {
    repo.head().ok()?.peel_to_commit().ok().map(|c| c.id())
}

/// A commit id as people quote it: its first ten hex digits.
pub fn short(oid: Oid) -> String {
    short_text(&oid.to_string()).to_owned()
}

/// The first ten characters of a commit id written as text (which may be anything, when it
/// comes from an event payload).
pub fn short_text(id: &str) -> &str {
    id.char_indices().nth(10).map_or(id, |(end, _)| &id[..end])
}

/// The records folder's tree at a commit, if it exists there.
pub fn records_tree<'r>(repo: &'r Repository, commit: Oid, dir: &str) -> Result<Option<Tree<'r>>> {
    let commit = repo.find_commit(commit)?;
    let root = commit.tree()?;
    if dir.is_empty() {
        return Ok(Some(root));
    }
    match root.get_path(Path::new(dir)) {
        Ok(entry) if entry.kind() == Some(ObjectType::Tree) => {
            Ok(Some(repo.find_tree(entry.id())?))
        }
        _ => Ok(None),
    }
}

/// A YAML file in a tree: where it is and which blob it holds.
#[derive(Debug, Clone)]
pub struct Listed {
    /// Path relative to the repository root.
    pub path: String,
    /// Path relative to the records folder.
    pub relative: String,
    pub id: Oid,
    /// A symbolic link (its blob is the target path).
    pub link: bool,
    /// A file that looks like a record but is not read (`source::unread`).
    pub unread: bool,
}

/// Listings of trees seen in the last revision listed, by tree id and place: consecutive
/// revisions share most of their trees, so each is read once. Only the last revision's are
/// kept, so memory stays flat over long histories.
#[derive(Debug, Default)]
pub struct TreeCache {
    trees: HashMap<(Oid, String), Arc<Vec<Listed>>>,
    used: crate::hash::HashSet<(Oid, String)>,
}

/// Every YAML file under `dir` at `commit`, without reading the files.
pub fn list(
    repo: &Repository,
    commit: Oid,
    dir: &str,
    cache: &mut TreeCache,
) -> Result<Option<Vec<Listed>>> {
    let Some(tree) = records_tree(repo, commit, dir)? else {
        return Ok(None);
    };
    cache.used.clear();
    let listed = list_tree(repo, tree.id(), dir, "", cache)?;
    let used = std::mem::take(&mut cache.used);
    cache.trees.retain(|key, _| used.contains(key));
    Ok(Some(listed.as_ref().clone()))
}

fn list_tree(
    repo: &Repository,
    id: Oid,
    dir: &str,
    relative: &str,
    cache: &mut TreeCache,
) -> Result<Arc<Vec<Listed>>> {
    let key = (id, relative.to_owned());
    cache.used.insert(key.clone());
    if let Some(hit) = cache.trees.get(&key) {
        return Ok(hit.clone());
    }
    let tree = repo.find_tree(id)?;
    let mut out = Vec::with_capacity(tree.len());
    for item in tree.iter() {
        let Ok(name) = item.name() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let rel = crate::source::joined(relative, name);
        match item.kind() {
            Some(ObjectType::Tree) => out.extend(
                list_tree(repo, item.id(), dir, &rel, cache)?
                    .iter()
                    .cloned(),
            ),
            Some(ObjectType::Blob) => {
                let unread = is_unread(&rel);
                if is_yaml(name) || unread {
                    out.push(Listed {
                        path: crate::source::joined(dir, &rel),
                        relative: rel,
                        id: item.id(),
                        link: item.filemode() == 0o120000,
                        unread,
                    });
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.shrink_to_fit();
    let out = Arc::new(out);
    cache.trees.insert(key, out.clone());
    Ok(out)
}

/// The content of a listed file at `commit`.
pub fn content(repo: &Repository, commit: Oid, listed: &Listed) -> Result<Content> {
    if listed.unread
        && let Some(refusal) = unread(&listed.path, &listed.relative)
    {
        return Ok(Content::Refused(Box::new(refusal)));
    }
    if !listed.link {
        return Ok(blob(repo, &listed.path, listed.id));
    }
    let root = repo.find_commit(commit)?.tree()?;
    Ok(follow_link(repo, &root, &listed.path, listed.id))
}

/// Every YAML file under `dir` at `commit`, read from the object database.
pub fn entries(repo: &Repository, commit: Oid, dir: &str) -> Result<Vec<Entry>> {
    let Some(listed) = list(repo, commit, dir, &mut TreeCache::default())? else {
        return Err(Error::NoRecords {
            looked: format!("{} at {}", crate::source::folder(dir), short(commit)),
        });
    };
    let contents = read_in_parallel(repo, commit, &listed)?;
    Ok(listed
        .into_iter()
        .zip(contents)
        .map(|(l, content)| Entry {
            path: l.path,
            relative: l.relative,
            content,
        })
        .collect())
}

/// The content of every listed file, in order, read on all cores: each thread opens the
/// repository for itself (a handle is not shared between threads). What a thread cannot
/// open the repository to read is read here.
fn read_in_parallel(repo: &Repository, commit: Oid, listed: &[Listed]) -> Result<Vec<Content>> {
    if listed.len() < 256 {
        return listed.iter().map(|l| content(repo, commit, l)).collect();
    }
    let path = repo.path();
    let read = crate::parallel::map_with(
        listed,
        || Repository::open(path).ok(),
        |own, l| own.as_ref().map(|own| content(own, commit, l)),
    );
    listed
        .iter()
        .zip(read)
        .map(|(l, read)| read.unwrap_or_else(|| content(repo, commit, l)))
        .collect()
}

/// The entry (file, link or folder) at `path` (from the repository root) in `commit`.
pub fn entry_at(repo: &Repository, commit: Oid, path: &str) -> Option<git2::TreeEntry<'static>> {
    let tree = repo.find_commit(commit).ok()?.tree().ok()?;
    tree.get_path(Path::new(path)).ok()
}

/// Whether a tree entry is a symbolic link.
pub fn is_link(entry: &git2::TreeEntry<'_>) -> bool {
    entry.filemode() == 0o120000
}

/// The bytes of the file at `path` (from the repository root) in `commit`, within the size
/// limit for a record file; else why not.
pub fn file_at(
    repo: &Repository,
    commit: Oid,
    path: &str,
) -> std::result::Result<Vec<u8>, crate::error::Unusable> {
    use crate::error::Unusable;
    let entry = entry_at(repo, commit, path)
        .ok_or_else(|| Unusable::new(format!("it is not in commit {}", short(commit))))?;
    if entry.kind() != Some(git2::ObjectType::Blob) {
        return Err(Unusable::new("it is not a file"));
    }
    if is_link(&entry) {
        return Err(Unusable::new(
            "it is a symbolic link: put the file itself there",
        ));
    }
    match blob(repo, path, entry.id()) {
        Content::Bytes(bytes) => Ok(bytes),
        Content::Refused(finding) => Err(Unusable::new(finding.message)),
        Content::Disk(_) => Err(Unusable::new("it cannot be read from git")),
    }
}

/// The blob `id`, read as the file `path`: refused, saying why, when it is too large or
/// cannot be read.
pub fn blob(repo: &Repository, path: &str, id: Oid) -> Content {
    // Check the size from the object header before inflating it.
    if let Ok(odb) = repo.odb()
        && let Ok((size, _)) = odb.read_header(id)
        && let Err(too_large) = check_size(path, size as u64)
    {
        return Content::Refused(too_large);
    }
    match repo.find_blob(id) {
        Ok(blob) => Content::Bytes(blob.content().to_vec()),
        Err(e) => Content::Refused(Box::new(Finding::error(
            ErrorCode::Unreadable,
            Location::at(path, Position::START),
            format!("cannot read the file from git: {}", e.message()),
        ))),
    }
}

/// A symlink stored in git: follow it only while it stays inside the repository.
fn follow_link(repo: &Repository, root: &Tree<'_>, path: &str, id: Oid) -> Content {
    let outside = || {
        Content::Refused(Box::new(
            Finding::error(
                ErrorCode::SymlinkOutside,
                Location::at(path, Position::START),
                "symlink points outside the repository; not followed",
            )
            .with_hint("keep records inside the repository: copy the file in, or remove the link"),
        ))
    };
    let Ok(target) = repo.find_blob(id) else {
        return outside();
    };
    let Ok(target) = std::str::from_utf8(target.content()) else {
        return outside();
    };
    if target.starts_with('/') {
        return outside();
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return outside();
                }
            }
            other => parts.push(other),
        }
    }
    match root.get_path(Path::new(&parts.join("/"))) {
        Ok(entry) if entry.kind() == Some(ObjectType::Blob) && !is_link(&entry) => {
            blob(repo, path, entry.id())
        }
        _ => Content::Refused(Box::new(
            Finding::error(
                ErrorCode::Unreadable,
                Location::at(path, Position::START),
                "symlink points to nothing in this revision",
            )
            .with_hint("remove the link, or commit the file it points to"),
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_short_id_is_ten_characters_of_whatever_it_was_given() {
        assert_eq!(super::short_text("0123456789abcdef"), "0123456789");
        assert_eq!(super::short_text("abc"), "abc");
        assert_eq!(super::short_text("aéééééééééé"), "aééééééééé");
    }
}

/// Where a repository lives on GitHub, from its `origin` remote and the branch checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebLocation {
    /// `https://github.com` (or a GitHub Enterprise Server).
    pub server: String,
    /// `owner/name`.
    pub repository: String,
    pub branch: String,
}

impl WebLocation {
    /// A link to GitHub's new-file page on the branch, with `path` and its `content` filled
    /// in: the web editor commits it as the signed-in user.
    pub fn new_file_link(&self, path: &str, content: &str) -> String {
        format!(
            "{}/{}/new/{}?filename={}&value={}",
            self.server,
            self.repository,
            percent_encode(&self.branch, true),
            percent_encode(path, false),
            percent_encode(content, false)
        )
    }
}

/// `text` with every byte but the unreserved ones (and `/` when `keep_slash`) as `%XX`.
pub fn percent_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && byte == b'/')
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Where `repo` lives on GitHub: `origin`'s URL (`https://github.com/o/r(.git)` or
/// `git@github.com:o/r(.git)`) and the branch checked out. `None` when either is unknown.
pub fn web_location(repo: &Repository) -> Option<WebLocation> {
    let remote = repo.find_remote("origin").ok()?;
    let url = remote.url().ok()?.trim_end_matches('/');
    let url = url.strip_suffix(".git").unwrap_or(url);
    let (host, repository) = if let Some(rest) = url.strip_prefix("git@") {
        rest.split_once(':')?
    } else {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .or_else(|| url.strip_prefix("ssh://git@"))?;
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        rest.split_once('/')?
    };
    if repository.split('/').count() != 2 || host.is_empty() {
        return None;
    }
    let head = repo.head().ok()?;
    let branch = head.shorthand().ok().filter(|_| head.is_branch())?;
    Some(WebLocation {
        server: format!("https://{host}"),
        repository: repository.to_owned(),
        branch: branch.to_owned(),
    })
}
