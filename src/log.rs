//! The records' log: who changed which record when, newest first, with the commit, in the
//! project's terms. Only commits that changed the records folder are read, and each version
//! of a file is parsed once, in parallel.

use git2::{Oid, Repository};
use serde::Serialize;
use std::collections::HashMap;

use crate::changes::{self, Change};
use crate::dates::Date;
use crate::error::Error;
use crate::git::{day_of, short};
use crate::history::{Commit, History};
use crate::records::load::{self, Loaded, ParsedFile, parallel_map};
use crate::records::{Classification, Policy};
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
    let target = filter.target.as_deref();
    let entries = commits
        .iter()
        .filter_map(|c| {
            let (mut changes, mut unread_before, mut unread_after) =
                commit_changes(c, &parsed, dir, policy);
            if let Some(target) = target {
                changes.retain(|ch| ch.id == target || file_matches(&ch.file, target));
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
                .strip_prefix(&format!("{dir}/"))
                .unwrap_or(path)
                .to_owned(),
            content: crate::git::blob(repo, path, *id),
        })
        .collect();
    let max = current
        .records
        .project
        .as_ref()
        .map_or(Classification::Official, |p| p.max_classification());
    wanted
        .into_iter()
        .zip(parallel_map(&entries, |e| load::parse_file(e, max)))
        .collect()
}

/// What one commit did to the records, from the old and new versions of the files it
/// touched: the changes, and the files that gave no record before it and after it.
fn commit_changes(
    commit: &Commit,
    parsed: &HashMap<(String, Oid), ParsedFile>,
    dir: &str,
    policy: &Policy,
) -> (Vec<Change>, Vec<String>, Vec<String>) {
    let side = |old: bool| {
        let files: Vec<ParsedFile> = commit
            .changes
            .iter()
            .filter_map(|c| if old { c.old } else { c.new }.map(|id| (c.path.clone(), id)))
            .filter_map(|key| parsed.get(&key).cloned())
            .collect();
        let mut loaded = load::assemble(dir, files);
        loaded.records.policy = policy.clone();
        loaded
    };
    let (before, after) = (side(true), side(false));
    (
        changes::compare(&before, &after),
        before.unread.into_iter().collect(),
        after.unread.into_iter().collect(),
    )
}

/// Whether `file` is the one asked for: its path, the end of its path, or its name without
/// `.yaml` (a record's id).
fn file_matches(file: &str, target: &str) -> bool {
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
