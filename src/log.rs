//! The records' log: who changed which record when, newest first, with the commit, in the
//! project's terms. Only commits that changed the records folder are read, and each version
//! of a file is parsed once, in parallel.

use crate::hash::HashMap;
use git2::{Oid, Repository};
use serde::Serialize;

use crate::changes::{self, Change};
use crate::dates::Date;
use crate::error::Error;
use crate::git::{day_of, short};
use crate::history::{Commit, History};
use crate::records::load::{self, Loaded, ParsedFile, parallel_map};
use crate::records::{Classification, Policy, RecordSet, Subject};
use crate::source::Entry;

/// Which part of the log to show.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only changes committed on or after this day.
    pub since: Option<Date>,
    /// Only changes committed on or before this day.
    pub until: Option<Date>,
    /// Only this record (an id) or file.
    pub target: Option<String>,
}

/// What one commit did to the records.
#[derive(Debug, Serialize)]
pub struct LogEntry {
    pub commit: String,
    pub author: String,
    pub email: String,
    pub date: Date,
    pub summary: String,
    pub changes: Vec<Change>,
    /// Files that could not be read before this commit (it may have repaired them), and
    /// after it (it broke them): changes to them in this commit are not shown.
    pub unread_before: Vec<String>,
    pub unread_after: Vec<String>,
}

/// The log, newest first, and whether history older than what it shows is missing.
#[derive(Debug)]
pub struct Log {
    pub entries: Vec<LogEntry>,
    /// The marking of every version of a record the log read.
    pub marking: crate::records::Marking,
    /// A shallow clone stops the history short of the period asked for: the error to give
    /// once the log is shown.
    pub missing: Option<Error>,
}

/// The log of `history` (the walk from HEAD), filtered. `current` (the records as they are
/// now) gives the policy, and the highest classification the project holds: a version of
/// a file marked above it is refused, as `check` refuses it.
pub fn log(
    repo: &Repository,
    history: &History,
    dir: &str,
    current: &Loaded,
    filter: &Filter,
) -> Log {
    let in_period = |c: &&Commit| {
        filter.since.is_none_or(|s| c.day >= s) && filter.until.is_none_or(|u| c.day <= u)
    };
    let commits: Vec<&Commit> = history.commits.iter().filter(in_period).collect();
    let parsed = parse_versions(repo, &commits, dir, current);
    let mut marking = current.records.marking();
    for version in parsed.values() {
        marking.merge(&version.marking());
    }
    let policy = &current.records.policy;
    let max = max_of(current);
    let target = filter.target.as_deref();
    let mut signoffs = SignoffCache::default();
    let entries = commits
        .iter()
        .filter_map(|c| {
            let (mut changes, mut unread_before, mut unread_after) =
                commit_changes(repo, c, &parsed, dir, policy, max, &mut signoffs);
            if let Some(target) = target {
                changes.retain(|ch| {
                    ch.id.eq_ignore_ascii_case(target) || file_matches(&ch.file, target)
                });
                unread_before.retain(|f| file_matches(f, target));
                unread_after.retain(|f| file_matches(f, target));
            }
            let nothing = changes.is_empty() && unread_before.is_empty() && unread_after.is_empty();
            (!nothing).then(|| LogEntry {
                commit: c.id.to_string(),
                author: c.author.name.clone(),
                email: c.author.email.clone(),
                date: c.day,
                summary: c.summary.clone(),
                changes,
                unread_before,
                unread_after,
            })
        })
        .collect();
    Log {
        marking,
        entries,
        missing: missing_history(repo, history, filter.since),
    }
}

/// Every version of a file the commits touched, parsed once each, in parallel.
fn parse_versions(
    repo: &Repository,
    commits: &[&Commit],
    dir: &str,
    current: &Loaded,
) -> HashMap<(String, Oid), ParsedFile> {
    let mut wanted: Vec<(String, Oid)> = commits
        .iter()
        .flat_map(|c| {
            c.changes.iter().flat_map(|f| {
                [f.old, f.new]
                    .into_iter()
                    .flatten()
                    .map(|id| (f.path.clone(), id))
            })
        })
        .collect();
    wanted.sort();
    wanted.dedup();
    let entries: Vec<Entry> = wanted
        .iter()
        .map(|(path, id)| Entry {
            path: path.clone(),
            relative: path
                .strip_prefix(&crate::source::joined(dir, ""))
                .unwrap_or(path)
                .to_owned(),
            content: crate::git::blob(repo, path, *id),
        })
        .collect();
    let max = max_of(current);
    wanted
        .into_iter()
        .zip(parallel_map(&entries, |e| load::parse_file(e, max)))
        .collect()
}

/// The highest classification the project holds now: every version read is held to it.
fn max_of(current: &Loaded) -> Classification {
    current
        .records
        .project
        .as_ref()
        .map_or(Classification::Official, |p| p.max_classification())
}

/// What one commit did to the records, from the old and new versions of the files it
/// touched: the changes, and the files that gave no record before it and after it. When it
/// changes what a sign-off binds, the sign-offs of the day are read too, so that the
/// sign-offs it voids are shown.
fn commit_changes(
    repo: &Repository,
    commit: &Commit,
    parsed: &HashMap<(String, Oid), ParsedFile>,
    dir: &str,
    policy: &Policy,
    max: Classification,
    cache: &mut SignoffCache,
) -> (Vec<Change>, Vec<String>, Vec<String>) {
    let side = |old: bool, signoffs: &[ParsedFile]| {
        let mut files: Vec<ParsedFile> = commit
            .changes
            .iter()
            .filter_map(|c| if old { c.old } else { c.new }.map(|id| (c.path.clone(), id)))
            .filter_map(|key| parsed.get(&key).cloned())
            .collect();
        let touched: Vec<&str> = commit.changes.iter().map(|c| c.path.as_str()).collect();
        files.extend(
            signoffs
                .iter()
                .filter(|f| !touched.contains(&f.path()))
                .cloned(),
        );
        let mut loaded = load::assemble(dir, files);
        loaded.records.policy = policy.clone();
        loaded
    };
    let (before, after) = (side(true, &[]), side(false, &[]));
    let mut changes = changes::compare(&before, &after);
    let changed = changed_subjects(&before.records, &after.records);
    if !changed.is_empty() {
        let signoffs: Vec<ParsedFile> = cache
            .at(repo, commit.id, dir, max)
            .into_iter()
            .filter(|f| f.signoff_subject().is_some_and(|s| changed.contains(s)))
            .collect();
        if !signoffs.is_empty() {
            changes = changes::compare(&side(true, &signoffs), &side(false, &signoffs));
        }
    }
    (
        changes,
        before.unread.into_iter().collect(),
        after.unread.into_iter().collect(),
    )
}

/// The subjects whose signed view changed from `before` to `after` (a risk's, an
/// assessment's or the appetite's), or which are gone.
fn changed_subjects(before: &RecordSet, after: &RecordSet) -> Vec<Subject> {
    before
        .risks
        .iter()
        .map(|r| Subject::Risk(r.id.clone()))
        .chain(
            before
                .assessments
                .iter()
                .map(|a| Subject::Assessment(a.id.clone())),
        )
        .chain(before.appetite.iter().map(|_| Subject::Appetite))
        .filter(|s| before.subject_digest(s) != after.subject_digest(s))
        .collect()
}

/// The sign-offs of the commits read so far, each version parsed once; the folder's
/// listing shared between consecutive commits.
#[derive(Default)]
struct SignoffCache {
    trees: crate::git::TreeCache,
    parsed: HashMap<(String, Oid), ParsedFile>,
}

impl SignoffCache {
    /// The sign-offs in the tree of `commit`, parsed.
    fn at(
        &mut self,
        repo: &Repository,
        commit: Oid,
        dir: &str,
        max: Classification,
    ) -> Vec<ParsedFile> {
        let folder = crate::source::joined(dir, "signoffs");
        let Ok(Some(listed)) = crate::git::list(repo, commit, &folder, &mut self.trees) else {
            return Vec::new();
        };
        let (keys, fresh): (Vec<(String, Oid)>, Vec<Entry>) = listed
            .iter()
            .filter(|l| !self.parsed.contains_key(&(l.path.clone(), l.id)))
            .filter_map(|l| {
                let content = crate::git::content(repo, commit, l).ok()?;
                let entry = Entry {
                    path: l.path.clone(),
                    relative: format!("signoffs/{}", l.relative),
                    content,
                };
                Some(((l.path.clone(), l.id), entry))
            })
            .unzip();
        let parsed = parallel_map(&fresh, |e| load::parse_file(e, max));
        self.parsed.extend(keys.into_iter().zip(parsed));
        listed
            .iter()
            .filter_map(|l| self.parsed.get(&(l.path.clone(), l.id)).cloned())
            .collect()
    }
}

/// Whether `target` names a file among `files` (the records folder now) or in the history
/// walked, or an action of `current`: a log of something that never existed is a mistake,
/// not an empty log.
pub fn knows(history: &History, files: &[String], current: &Loaded, target: &str) -> bool {
    let set = &current.records;
    let action = |a: &crate::records::Action| a.id.eq_ignore_ascii_case(target);
    set.risks.iter().any(|r| r.actions.iter().any(action))
        || set.assessments.iter().any(|a| a.actions.iter().any(action))
        || files.iter().any(|file| file_matches(file, target))
        || history
            .commits
            .iter()
            .flat_map(|c| &c.changes)
            .any(|change| file_matches(&change.path, target))
}

/// Whether `file` is the one asked for: its path, the end of its path, or its name without
/// `.yaml` (a record's id).
fn file_matches(file: &str, target: &str) -> bool {
    let (file, target) = (file.to_ascii_lowercase(), target.to_ascii_lowercase());
    file == target
        || file.ends_with(&format!("/{target}"))
        || file.ends_with(&format!("/{target}.yaml"))
}

/// A shallow clone stops the history short: that is an error unless the period asked for
/// starts after what is missing.
fn missing_history(repo: &Repository, history: &History, since: Option<Date>) -> Option<Error> {
    let edge = *history.shallow_edges.first()?;
    let edge_day = repo
        .find_commit(edge)
        .map(|c| day_of(c.committer().when()))
        .ok();
    since
        .is_none_or(|s| edge_day.is_none_or(|d| s <= d))
        .then(|| Error::HistoryMissing {
            message: format!(
                "this is a shallow clone: the history above stops at {}{}, so older changes are missing",
                short(edge),
                edge_day.map(|d| format!(" ({d})")).unwrap_or_default()
            ),
        })
}
