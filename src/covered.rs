//! The code a record is about. Risks and assessments may list `paths` (globs of repository
//! paths); a change to the code they cover lists them, so a reviewer sees which risks,
//! acceptances and assessments a pull request touches.

use git2::{Oid, Repository, Tree};
use serde::Serialize;

use crate::error::Result;
use crate::records::{RecordSet, SignOffType, Subject};

/// Globs that match a path as a person means them: `*` within one folder, `**` across.
const OPTIONS: glob::MatchOptions = glob::MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

/// A risk or assessment whose covered code a change touches.
#[derive(Debug, Clone, Serialize)]
pub struct Touched {
    /// `risk` or `assessment`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    /// The record's file.
    pub file: String,
    /// The record's globs that matched.
    pub paths: Vec<String>,
    /// The changed files they matched, in order.
    pub files: Vec<String>,
    /// A risk's acceptance as recorded: "accepted by the SRO under S-0005 until 2027-04-30".
    pub acceptance: Option<String>,
    /// "changes src/payments/** covered by R-004 (…)": the whole line, in words.
    pub text: String,
}

/// Each record with paths, and its globs compiled (an invalid glob is the loader's error and
/// matches nothing here).
type Cover<'a> = (
    &'static str,
    &'a str,
    &'a str,
    &'a str,
    Vec<(&'a str, glob::Pattern)>,
);

fn covers(set: &RecordSet) -> Vec<Cover<'_>> {
    fn compile(paths: &[String]) -> Vec<(&str, glob::Pattern)> {
        paths
            .iter()
            .filter_map(|p| Some((p.as_str(), glob::Pattern::new(p).ok()?)))
            .collect()
    }
    let risks = set.risks.iter().filter(|r| !r.paths.is_empty()).map(|r| {
        (
            "risk",
            r.id.as_str(),
            r.title.as_str(),
            &*r.file,
            compile(&r.paths),
        )
    });
    let assessments = set
        .assessments
        .iter()
        .filter(|a| !a.paths.is_empty())
        .map(|a| {
            (
                "assessment",
                a.id.as_str(),
                a.scope.as_str(),
                &*a.file,
                compile(&a.paths),
            )
        });
    risks.chain(assessments).collect()
}

/// The risks and assessments of `set` whose paths match any of `changed` (repository paths).
pub fn touched(set: &RecordSet, changed: &[String]) -> Vec<Touched> {
    let mut out = Vec::new();
    for (kind, id, title, file, patterns) in covers(set) {
        let mut paths = Vec::new();
        let mut files = Vec::new();
        for (glob, pattern) in &patterns {
            let hits: Vec<&String> = changed
                .iter()
                .filter(|f| pattern.matches_with(f, OPTIONS))
                .collect();
            if !hits.is_empty() {
                paths.push((*glob).to_owned());
                files.extend(hits.into_iter().cloned());
            }
        }
        if paths.is_empty() {
            continue;
        }
        files.sort();
        files.dedup();
        let acceptance = (kind == "risk").then(|| acceptance(set, id)).flatten();
        let record = match kind {
            "risk" => format!("risk {id}"),
            _ => format!("assessment {id}"),
        };
        let text = format!(
            "changes {} covered by {record} ({title}{})",
            paths.join(", "),
            acceptance
                .as_deref()
                .map(|a| format!("; {a}"))
                .unwrap_or_default()
        );
        out.push(Touched {
            kind,
            id: id.to_owned(),
            title: title.to_owned(),
            file: file.to_owned(),
            paths,
            files,
            acceptance,
            text,
        });
    }
    out
}

/// A risk's acceptance as the records show it: signed for its content as it is now, with its
/// expiry. (Whether git witnesses it is `verify`'s question.)
fn acceptance(set: &RecordSet, risk: &str) -> Option<String> {
    let subject = Subject::Risk(risk.to_owned());
    let digest = set.subject_digest(&subject)?.to_string();
    set.signoffs
        .iter()
        .filter(|s| s.kind == SignOffType::RiskAcceptance && s.subject == subject)
        .filter(|s| s.subject_digest == digest)
        .max_by_key(|s| s.date)
        .map(|s| match s.expires {
            Some(expires) => format!("accepted by the SRO under {} until {expires}", s.id),
            None => format!("accepted by the SRO under {}", s.id),
        })
}

/// The globs of `set` that match none of `files` (the repository's paths): each record's
/// file, the glob's index and the glob.
pub fn unmatched<'a>(
    set: &'a RecordSet,
    files: &[String],
) -> Vec<(&'static str, &'a str, usize, &'a str)> {
    let mut out = Vec::new();
    let lists = set
        .risks
        .iter()
        .map(|r| ("risk", &*r.file, &r.paths))
        .chain(
            set.assessments
                .iter()
                .map(|a| ("assessment", &*a.file, &a.paths)),
        );
    for (kind, file, paths) in lists {
        for (i, path) in paths.iter().enumerate() {
            let Ok(pattern) = glob::Pattern::new(path) else {
                continue;
            };
            if !files.iter().any(|f| pattern.matches_with(f, OPTIONS)) {
                out.push((kind, file, i, path.as_str()));
            }
        }
    }
    out
}

/// Every file path in `tree`, `/`-separated from the repository root.
pub fn files_in(tree: &Tree<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let _ = tree.walk(git2::TreeWalkMode::PreOrder, |root, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob)
            && let Ok(name) = entry.name()
        {
            out.push(format!("{root}{name}"));
        }
        git2::TreeWalkResult::Ok
    });
    out
}

/// The repository paths that differ between commit `base` and commit `head` (or, without
/// `head`, the working tree as the index and disk have it).
pub fn changed(repo: &Repository, base: Oid, head: Option<Oid>) -> Result<Vec<String>> {
    let base_tree = repo.find_commit(base)?.tree()?;
    let mut options = git2::DiffOptions::new();
    options
        .ignore_submodules(true)
        .include_untracked(true)
        .recurse_untracked_dirs(true);
    let diff = match head {
        Some(head) => {
            let head_tree = repo.find_commit(head)?.tree()?;
            repo.diff_tree_to_tree(Some(&base_tree), Some(&head_tree), Some(&mut options))?
        }
        None => repo.diff_tree_to_workdir_with_index(Some(&base_tree), Some(&mut options))?,
    };
    let mut out: Vec<String> = diff
        .deltas()
        .flat_map(|d| [d.old_file().path(), d.new_file().path()])
        .flatten()
        .filter_map(|p| p.to_str().map(|s| s.replace('\\', "/")))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// A risk whose covered code changed since its last review: a reason to review it.
#[derive(Debug, Clone, Serialize)]
pub struct Busy {
    pub id: String,
    /// Its last review.
    pub since: crate::dates::Date,
    /// The commits since then, on the history of `head`, that changed its covered code.
    pub commits: usize,
}

/// For each open risk with `paths`, how many commits that reached the first-parent line back
/// from `head` after its last review (by the day they landed: their committer date, so an old
/// commit rebased or merged in counts) changed the code it covers. Only risks with a
/// count above zero are listed; history before the earliest review is not read.
pub fn busy(repo: &Repository, head: Oid, set: &RecordSet) -> Vec<Busy> {
    let risks: Vec<(
        &crate::records::Record<crate::records::Risk>,
        Vec<glob::Pattern>,
    )> = set
        .risks
        .iter()
        .filter(|r| r.is_open() && !r.paths.is_empty())
        .map(|r| {
            (
                r,
                r.paths
                    .iter()
                    .filter_map(|p| glob::Pattern::new(p).ok())
                    .collect(),
            )
        })
        .collect();
    let Some(earliest) = risks.iter().map(|(r, _)| r.last_reviewed).min() else {
        return Vec::new();
    };
    let mut counts = vec![0usize; risks.len()];
    for (commit, parent, day) in crate::history::landed_since(repo, head, earliest) {
        let changed = parent.map_or_else(Vec::new, |p| {
            crate::covered::changed(repo, p, Some(commit)).unwrap_or_default()
        });
        for (n, (risk, patterns)) in risks.iter().enumerate() {
            let touches = changed
                .iter()
                .any(|f| patterns.iter().any(|p| p.matches_with(f, OPTIONS)));
            if day > risk.last_reviewed && touches {
                counts[n] += 1;
            }
        }
    }
    risks
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|((r, _), commits)| Busy {
            id: r.id.clone(),
            since: r.last_reviewed,
            commits,
        })
        .collect()
}
