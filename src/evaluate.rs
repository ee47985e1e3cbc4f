//! Records in, status out: load the records of a workspace (its working tree, or a revision),
//! have git witness their sign-offs, and evaluate every rule on a day.

use std::path::PathBuf;

use crate::dates::Date;
use crate::error::{Error, Exit, Result, Unusable};
use crate::finding::{Finding, Severity};
use crate::git::{self, Revision};
use crate::history::{self, FileIndex, History};
use crate::ratchet::Effect;
use crate::records::load::{self, Loaded};
use crate::rules::{self, Rag, Status};
use crate::snapshot::Snapshots;
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
    /// Open risks whose covered code changed since their last review.
    pub busy: Vec<crate::covered::Busy>,
}

/// The status at which a command exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Amber,
    Red,
    /// Only what a change introduces, at amber or worse: for a repository already red.
    NewAmber,
    /// Only what a change introduces, at red.
    NewRed,
    Never,
}

impl FailOn {
    /// Whether a status of `rag` is at or past this level. The `new-…` levels look only at
    /// what a change introduces (`effect`); with no base to compare, they judge the status
    /// as `amber` and `red` do.
    pub fn fails(self, rag: Rag, effect: Option<&Effect>) -> bool {
        match (self, effect) {
            (FailOn::Amber, _) | (FailOn::NewAmber, None) => rag >= Rag::Amber,
            (FailOn::Red, _) | (FailOn::NewRed, None) => rag >= Rag::Red,
            (FailOn::NewAmber, Some(e)) => e.introduced_at(Severity::Amber) > 0,
            (FailOn::NewRed, Some(e)) => e.introduced_at(Severity::Red) > 0,
            (FailOn::Never, _) => false,
        }
    }

    /// Whether this level looks only at what a change introduces.
    pub fn is_new(self) -> bool {
        matches!(self, FailOn::NewAmber | FailOn::NewRed)
    }

    /// As the command line writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Amber => "amber",
            FailOn::Red => "red",
            FailOn::NewAmber => "new-amber",
            FailOn::NewRed => "new-red",
            FailOn::Never => "never",
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
        self.exit_with(fail_on, None)
    }

    /// The exit status, judging the `new-…` levels by what a change introduced.
    pub fn exit_with(&self, fail_on: FailOn, effect: Option<&Effect>) -> Exit {
        match &self.status {
            None => Exit::Invalid,
            Some(status) if fail_on.fails(status.overall, effect) => Exit::Failed,
            Some(_) => Exit::Ok,
        }
    }

    /// What this evaluation changes from `base` (evaluated on the same day): `None` when
    /// either could not be evaluated.
    pub fn effect_since(&self, base: &Evaluated) -> Option<Effect> {
        let (Some(head), Some(base)) = (&self.status, &base.status) else {
            return None;
        };
        Some(Effect::between(&base.findings, &head.findings))
    }
}

/// Load the records of `workspace` (its working tree, or the revision `at`) and, when they
/// are valid, ask git to witness their sign-offs. No rule runs.
pub fn read(workspace: &Workspace, at: Option<&Revision>, as_of: Date) -> Result<Evaluated> {
    let dir = workspace.dir();
    let (loaded, [walked]) = match at {
        Some(revision) => {
            let repo = workspace.repository()?;
            let head = signoffs_at(repo, revision.commit, dir).then_some(revision.commit);
            let limit = workspace.limit();
            walking(workspace, [head], || {
                git::entries(repo, revision.commit, dir).map(|e| load::load_capped(dir, e, limit))
            })
        }
        None => walking(workspace, [committed_head(workspace)], || {
            Ok(load::load(dir, workspace.records.entries()))
        }),
    };
    witnessed(workspace, at, as_of, loaded?, walked)
}

/// Read the records and evaluate every rule on `as_of`.
pub fn evaluate(workspace: &Workspace, at: Option<&Revision>, as_of: Date) -> Result<Evaluated> {
    Ok(judged(workspace, at, read(workspace, at, as_of)?))
}

/// The working tree's records and those of `base`, both evaluated on `as_of`. Each file that
/// `base` holds as it is in the working tree, byte for byte, is parsed once. The base's
/// evaluation fails on its own (a shallow clone without it, say), leaving the working tree's.
pub fn evaluate_with_base(
    workspace: &Workspace,
    base: &Revision,
    as_of: Date,
) -> Result<(Evaluated, Result<Evaluated>)> {
    let dir = workspace.dir();
    // Both histories are walked while the working tree is read.
    let base_head = workspace
        .repository()
        .is_ok_and(|repo| signoffs_at(repo, base.commit, dir))
        .then_some(base.commit);
    let heads = [committed_head(workspace), base_head];
    let ((loaded, kept), [head_walk, base_walk]) = walking(workspace, heads, || {
        load::load_keeping(dir, workspace.records.entries())
    });
    let head = judged(
        workspace,
        None,
        witnessed(workspace, None, as_of, loaded, head_walk)?,
    );
    let at = Some(base);
    let base = workspace.repository().and_then(|repo| {
        let mut snapshots = Snapshots::new(repo, dir, kept.limit);
        snapshots.seed(kept);
        let loaded = snapshots.at(base.commit)?.ok_or_else(|| Error::NoRecords {
            looked: format!(
                "{} at {}",
                crate::source::folder(dir),
                git::short(base.commit)
            ),
        })?;
        Ok(judged(
            workspace,
            at,
            witnessed(workspace, at, as_of, loaded, base_walk)?,
        ))
    });
    Ok((head, base))
}

/// A history walked on a thread of its own, with the handle on the repository that read it.
struct Walked {
    repo: git2::Repository,
    history: (History, FileIndex),
}

/// Run `work` while the records' history from each of `heads` is walked (and each file's
/// changes indexed) on a thread of its own, for the witness: the walks read git, the work
/// reads files. A walk that fails gives `None`, and the witness walks again to say why.
fn walking<R, const N: usize>(
    workspace: &Workspace,
    heads: [Option<git2::Oid>; N],
    work: impl FnOnce() -> R,
) -> (R, [Option<Walked>; N]) {
    let Some(repo) = workspace.repo.as_ref() else {
        return (work(), heads.map(|_| None));
    };
    let (git_dir, dir) = (repo.path(), workspace.dir());
    std::thread::scope(|scope| {
        let walks = heads.map(|head| {
            head.map(|head| {
                scope.spawn(move || {
                    let repo = git2::Repository::open(git_dir).ok()?;
                    let history = history::indexed(history::walk(&repo, head, dir, |_| {}).ok()?);
                    Some(Walked { repo, history })
                })
            })
        });
        let done = work();
        (done, walks.map(|w| w.and_then(|w| w.join().ok().flatten())))
    })
}

/// HEAD, when it holds sign-offs for the witness to look for in its history: known before
/// the working tree is listed, so that the walk starts at once. (Sign-offs in the working
/// tree that HEAD does not hold are not committed, and their history is walked only if
/// they are judged.)
fn committed_head(workspace: &Workspace) -> Option<git2::Oid> {
    let repo = workspace.repo.as_ref()?;
    let head = git::head(repo)?;
    signoffs_at(repo, head, workspace.dir()).then_some(head)
}

/// Whether the records folder at `commit` holds sign-offs.
fn signoffs_at(repo: &git2::Repository, commit: git2::Oid, dir: &str) -> bool {
    let place = crate::records::Kind::Signoff.place().trim_end_matches('/');
    git::records_tree(repo, commit, dir)
        .ok()
        .flatten()
        .and_then(|tree| tree.get_name(place).map(|entry| entry.id()))
        .and_then(|id| repo.find_tree(id).ok())
        .is_some_and(|tree| !tree.is_empty())
}

/// `loaded`, read from `workspace` (its working tree, or the revision `at`), with git's
/// witness of its sign-offs when it is valid; `walked`, the history from the commit it is
/// judged at, when that was walked already.
fn witnessed(
    workspace: &Workspace,
    at: Option<&Revision>,
    as_of: Date,
    mut loaded: Loaded,
    walked: Option<Walked>,
) -> Result<Evaluated> {
    let dir = workspace.dir().to_owned();
    let repo = workspace.repo.as_ref();
    if loaded.is_valid() && !loaded.records.policy.signoff.platform_keys.is_empty() {
        let mut problems = witness::platform::problems(&loaded.records, |name| match at {
            Some(revision) => {
                let repo = workspace
                    .repository()
                    .map_err(|e| Unusable::because(e.to_string(), e))?;
                git::file_at(repo, revision.commit, &crate::source::joined(&dir, name))
            }
            None => workspace
                .records
                .read_file(name)
                .map_err(|finding| Unusable::new(finding.message)),
        });
        load::resolve_positions(&mut problems, &loaded.sources);
        loaded.problems.extend(problems);
    }
    let witness = match (repo, loaded.is_valid()) {
        (_, false) => Witness::default(),
        (None, true) => Witness::without_repository(&loaded.records),
        (Some(repo), true) => {
            let (head, checkout) = match at {
                Some(r) => (Some(r.commit), Checkout::Revision(&loaded.sources)),
                None => (git::head(repo), Checkout::WorkTree(&loaded.sources)),
            };
            // The walk's own handle has read the trees the witness reads again.
            let (walker, history) = walked.map(|w| (w.repo, w.history)).unzip();
            let repo = walker.as_ref().unwrap_or(repo);
            witness::examine(repo, head, &dir, &loaded.records, checkout, history)?
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
        busy: Vec::new(),
    })
}

/// `evaluated` with every rule evaluated on its day, when its records are valid.
fn judged(workspace: &Workspace, at: Option<&Revision>, mut evaluated: Evaluated) -> Evaluated {
    if evaluated.loaded.is_valid() {
        let files = repository_files(workspace, at, &evaluated.loaded.records);
        let mut status = rules::evaluate_with_files(
            &evaluated.loaded.records,
            evaluated.as_of,
            &evaluated.witness,
            files.as_deref(),
        );
        // Rule findings point at fields; resolve them to lines for every output.
        load::resolve_positions(&mut status.findings, &evaluated.loaded.sources);
        evaluated.status = Some(status);
    }
    evaluated
}

/// The working tree's records evaluated on `as_of` and, on a pull request, its base (commit
/// `sha`) evaluated on the same day, parsing once what the two hold alike. The base is `None`
/// when it cannot be read (a shallow clone without it, an id that is not a commit): what a
/// change does is then unknown, and said to be.
pub fn evaluate_pull_request(
    workspace: &Workspace,
    sha: Option<&str>,
    as_of: Date,
) -> Result<(Evaluated, Option<Evaluated>)> {
    let base = sha.and_then(|sha| {
        let repo = workspace.repo.as_ref()?;
        let commit = repo.find_commit(git2::Oid::from_str(sha).ok()?).ok()?;
        Some(Revision {
            commit: commit.id(),
            spec: git::short(commit.id()),
            day: as_of,
        })
    });
    match base {
        Some(base) => {
            let (head, base) = evaluate_with_base(workspace, &base, as_of)?;
            Ok((head, base.ok()))
        }
        None => Ok((evaluate(workspace, None, as_of)?, None)),
    }
}

/// The records now, compared with a base evaluated on the same day.
pub struct Compared {
    pub base: Evaluated,
    pub effect: Effect,
    /// How the base is named in reports: "the base 1a2b3c4d5e".
    pub since: String,
}

/// Note the open risks whose covered code changed since their last review (a walk of the
/// history, so only for the reports that show it).
pub fn count_busy_risks(workspace: &Workspace, at: Option<&Revision>, evaluated: &mut Evaluated) {
    let head = at
        .map(|r| r.commit)
        .or_else(|| workspace.repo.as_ref().and_then(git::head));
    if let (Some(repo), Some(head), true) = (
        &workspace.repo,
        head,
        evaluated.loaded.records.covers_code(),
    ) {
        evaluated.busy = crate::covered::busy(repo, head, &evaluated.loaded.records);
    }
}

/// Compare `head` with `base`, the records at commit `sha` evaluated on the same day
/// (`evaluate_pull_request`); `None` when either is not valid.
pub fn compared_with(head: &Evaluated, base: Evaluated, sha: &str) -> Option<Compared> {
    let effect = head.effect_since(&base)?;
    Some(Compared {
        since: format!("the base {}", git::short_text(sha)),
        base,
        effect,
    })
}

/// The repository's files, for records' `paths` to match: the revision's tree, or the index
/// (what is committed and staged) for the working tree. Read only when a record has paths.
fn repository_files(
    workspace: &Workspace,
    at: Option<&Revision>,
    set: &crate::records::RecordSet,
) -> Option<Vec<String>> {
    let repo = workspace.repo.as_ref().filter(|_| set.covers_code())?;
    match at {
        Some(revision) => {
            let tree = repo.find_commit(revision.commit).ok()?.tree().ok()?;
            Some(crate::covered::files_in(&tree))
        }
        None => {
            let index = repo.index().ok()?;
            Some(
                index
                    .iter()
                    .filter_map(|e| String::from_utf8(e.path).ok())
                    .collect(),
            )
        }
    }
}

/// What a pull request whose base is commit `sha` (evaluated as `base`) changes in the
/// records: `PullRequest::None` outside a pull request.
pub fn pull_request(
    workspace: &Workspace,
    head: &Evaluated,
    sha: Option<&str>,
    base: Option<&Evaluated>,
) -> crate::changes::PullRequest {
    let Some(sha) = sha else {
        return crate::changes::PullRequest::None;
    };
    crate::changes::PullRequest::since_read(
        workspace.repo.as_ref(),
        &head.dir,
        sha,
        base.map(|b| &b.loaded),
        &head.loaded,
    )
}

/// A pull request's own finding (GOV-8), added to `evaluated`'s status: a change to covered
/// code that records no event, when the policy asks for one.
pub fn judge_change(evaluated: &mut Evaluated, pull_request: &crate::changes::PullRequest) {
    let crate::changes::PullRequest::Changes {
        changes, covered, ..
    } = pull_request
    else {
        return;
    };
    let finding = unrecorded(&evaluated.loaded.records, covered, changes);
    if let (Some(status), Some(finding)) = (&mut evaluated.status, finding) {
        status.add(finding);
    }
}

/// GOV-8: with `policy.covered_changes: event`, a change to covered code must add or change an
/// event record in the same change. The finding when it does not.
fn unrecorded(
    set: &crate::records::RecordSet,
    touched: &[crate::covered::Touched],
    changes: &[crate::changes::Change],
) -> Option<crate::finding::Finding> {
    use crate::changes::What;
    use crate::finding::{Finding, Location, Rule, Severity};
    if set.policy.covered_changes != crate::records::CoveredChanges::Event || touched.is_empty() {
        return None;
    }
    if changes
        .iter()
        .any(|c| matches!(c.what, What::EventAdded | What::EventEdited))
    {
        return None;
    }
    let about: Vec<String> = touched
        .iter()
        .map(|t| format!("{} {} ({})", t.kind, t.id, t.paths.join(", ")))
        .collect();
    Some(
        Finding::rule(
            Rule::Gov8,
            Severity::Red,
            Location::default(),
            format!(
                "this change touches code that {} covers, and records no event",
                about.join(" and ")
            ),
        )
        .with_hint("add an event record to this change (events/E-NNN.yaml, `type: change` or `new_threat`) saying what changed, so the risks it affects are reviewed"),
    )
}
