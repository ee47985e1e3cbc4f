//! `assure log`: the records' history, newest first: who changed which record when, with
//! the commit, in the project's terms. Only commits that changed the records folder are
//! read, and each version of a file is parsed once.

use git2::Oid;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

use super::{Progress, output_error, repository};
use crate::changes::{self, Change};
use crate::cli::{Config, Format};
use crate::dates::Date;
use crate::error::{Error, Exit, Result};
use crate::git::{self, short};
use crate::history::{self, Commit};
use crate::records::load::{self, ParsedFile, parallel_map};
use crate::records::{Classification, Policy};
use crate::report::human::Style;
use crate::report::json::Header;
use crate::report::markdown::escape;
use crate::source::{Content, Entry};
use crate::workspace;

#[derive(Serialize)]
struct LogEntry<'a> {
    commit: String,
    author: &'a str,
    email: &'a str,
    date: Date,
    summary: &'a str,
    changes: Vec<Change>,
    /// Files that could not be read before this commit (it may have repaired them), and
    /// after it (it broke them): changes to them in this commit are not shown.
    unread_before: Vec<String>,
    unread_after: Vec<String>,
}

/// The JSON report: the common header, the filters given, then the entries, newest first.
#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    header: Header,
    directory: &'a str,
    since: Option<Date>,
    until: Option<Date>,
    /// The record id or file asked for.
    record: Option<&'a str>,
    entries: &'a [LogEntry<'a>],
}

/// What one commit did to the records, from the old and new versions of the files it
/// touched.
struct CommitChanges {
    changes: Vec<Change>,
    /// Files that gave no record before the commit, or after it: their changes are not shown.
    unread_before: Vec<String>,
    unread_after: Vec<String>,
}

fn commit_changes(
    commit: &Commit,
    parsed: &HashMap<(String, Oid), ParsedFile>,
    dir: &str,
    policy: &Policy,
) -> CommitChanges {
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
    CommitChanges {
        changes: changes::compare(&before, &after),
        unread_before: before.unread.into_iter().collect(),
        unread_after: after.unread.into_iter().collect(),
    }
}

/// Whether `file` is the one asked for: its path, the end of its path, or its name without
/// `.yaml` (a record's id).
fn file_matches(file: &str, target: &str) -> bool {
    file == target
        || file.ends_with(&format!("/{target}"))
        || file.ends_with(&format!("/{target}.yaml"))
}

fn matches(change: &Change, target: &str) -> bool {
    change.id == target || file_matches(&change.file, target)
}

impl LogEntry<'_> {
    /// The files this commit left or found unreadable, in words.
    fn unread_lines(&self) -> impl Iterator<Item = String> + '_ {
        let before = self.unread_before.iter().map(|f| {
            format!("{f} could not be read as a record before this commit, so its changes here are not shown")
        });
        let after = self.unread_after.iter().map(|f| {
            format!("{f} could not be read as a record after this commit, so its changes here are not shown")
        });
        before.chain(after)
    }
}

pub fn run(
    config: &Config,
    since: Option<Date>,
    until: Option<Date>,
    target: Option<&str>,
    format: Format,
    out: &mut dyn Write,
) -> Result<Exit> {
    let workspace = workspace::locate(config.dir.as_deref(), false)?;
    let repo = repository(&workspace)?;
    let dir = workspace.records.display.clone();
    let Some(head) = git::head(&repo) else {
        return Err(Error::usage(
            "the repository has no commits yet",
            "commit the records first",
        ));
    };
    let history = {
        let mut progress = Progress::new();
        history::walk(&repo, head, &dir, |n| {
            progress.update("reading history", n, None)
        })?
    };
    let in_period =
        |c: &&Commit| since.is_none_or(|s| c.day >= s) && until.is_none_or(|u| c.day <= u);
    let commits: Vec<&Commit> = history.commits.iter().filter(in_period).collect();

    // Parse every version involved, each once, in parallel.
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
            content: match repo.find_blob(*id) {
                Ok(blob) => Content::Bytes(blob.content().to_vec()),
                Err(_) => Content::Bytes(Vec::new()),
            },
        })
        .collect();
    // The records as they are now give the policy, and the highest classification the
    // project holds: a version of a file marked above it is refused, as `check` refuses it.
    let current = load::load(&dir, workspace.records.entries()).records;
    let max = current
        .project
        .as_ref()
        .map_or(Classification::Official, |p| p.max_classification());
    let policy = current.policy;
    let parsed: HashMap<(String, Oid), ParsedFile> = wanted
        .into_iter()
        .zip(parallel_map(&entries, |e| load::parse_file(e, max)))
        .collect();

    let entries: Vec<LogEntry> = commits
        .iter()
        .filter_map(|c| {
            let CommitChanges {
                mut changes,
                mut unread_before,
                mut unread_after,
            } = commit_changes(c, &parsed, &dir, &policy);
            if let Some(target) = target {
                changes.retain(|ch| matches(ch, target));
                unread_before.retain(|f| file_matches(f, target));
                unread_after.retain(|f| file_matches(f, target));
            }
            let nothing = changes.is_empty() && unread_before.is_empty() && unread_after.is_empty();
            (!nothing).then(|| LogEntry {
                commit: c.id.to_string(),
                author: &c.author.name,
                email: &c.author.email,
                date: c.day,
                summary: &c.summary,
                changes,
                unread_before,
                unread_after,
            })
        })
        .collect();

    match format {
        Format::Json => {
            let report = Report {
                header: Header::new("log"),
                directory: &dir,
                since,
                until,
                record: target,
                entries: &entries,
            };
            serde_json::to_writer_pretty(&mut *out, &report).map_err(|e| output_error(e.into()))?;
            writeln!(out).map_err(output_error)?;
        }
        Format::Markdown => {
            let write = |out: &mut dyn Write| -> std::io::Result<()> {
                for e in &entries {
                    writeln!(
                        out,
                        "- **{}** `{}` {}: {}",
                        e.date,
                        &e.commit[..10],
                        escape(e.author),
                        escape(e.summary)
                    )?;
                    for c in &e.changes {
                        writeln!(out, "  - {}", escape(&c.text))?;
                    }
                    for line in e.unread_lines() {
                        writeln!(out, "  - ⛔ {}", escape(&line))?;
                    }
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
                if entries.is_empty() {
                    writeln!(
                        out,
                        "no changes to the records{}",
                        target.map(|t| format!(" for {t}")).unwrap_or_default()
                    )?;
                }
                for e in &entries {
                    let id = Oid::from_str(&e.commit).map(short).unwrap_or_default();
                    writeln!(
                        out,
                        "{} {} {} <{}>",
                        style.bold(&e.date.to_string()),
                        style.dim(&id),
                        e.author,
                        e.email
                    )?;
                    writeln!(out, "    {}", e.summary)?;
                    for c in &e.changes {
                        writeln!(out, "  {} {}", c.what.sign(), c.text)?;
                    }
                    for line in e.unread_lines() {
                        writeln!(out, "  {}", style.amber(&format!("! {line}")))?;
                    }
                }
                Ok(())
            };
            write(out).map_err(output_error)?;
        }
    }
    // A shallow clone stops the history short: say so, and exit 3, unless the period asked
    // for starts after what is missing.
    if let Some(edge) = history.shallow_edges.first() {
        let edge_day = repo
            .find_commit(*edge)
            .map(|c| git::day_of(c.committer().when()))
            .ok();
        if since.is_none_or(|s| edge_day.is_none_or(|d| s <= d)) {
            return Err(Error::HistoryMissing {
                message: format!(
                    "this is a shallow clone: the history above stops at {}{}, so older changes are missing",
                    short(*edge),
                    edge_day.map(|d| format!(" ({d})")).unwrap_or_default()
                ),
            });
        }
    }
    Ok(Exit::Ok)
}
