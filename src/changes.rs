//! What changed between two sets of records, in the project's terms: risks opened, closed
//! and re-scored, owners changed, actions completed or slipped, assessments and events
//! added, and every sign-off the change voids.

use git2::{Oid, Repository};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::error::Result;
use crate::records::load::{self, Loaded};
use crate::records::policy::Scale;
use crate::records::{Action, ActionStatus, Record, RecordSet, Risk};
use crate::rules::signoffs::subject_name;
use crate::snapshot::Snapshots;
use crate::source::joined;

/// The kinds of change, as scripts and templates see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    RiskOpened,
    RiskReopened,
    RiskClosed,
    RiskRemoved,
    RiskRescored,
    RiskOwnerChanged,
    RiskResponseChanged,
    RiskReviewed,
    RiskRenamed,
    RiskInherentRescored,
    ControlAdded,
    ControlRemoved,
    RiskEdited,
    ActionAdded,
    ActionCompleted,
    ActionCancelled,
    ActionSlipped,
    ActionReopened,
    ActionChanged,
    ActionRemoved,
    AssessmentAdded,
    AssessmentEdited,
    AssessmentRemoved,
    EventAdded,
    EventEdited,
    EventRemoved,
    SignoffAdded,
    SignoffEdited,
    SignoffRemoved,
    SignoffInvalidated,
    BoardAdded,
    BoardEdited,
    BoardRemoved,
    AppetiteAdded,
    AppetiteChanged,
    AppetiteRemoved,
    PersonJoined,
    PersonLeft,
    PersonChanged,
    PersonIdentityChanged,
    PersonKeysChanged,
    PlatformKeysChanged,
    ProjectChanged,
    MilestoneAdded,
    MilestoneChanged,
    MilestoneRemoved,
}

impl What {
    /// The kind of change in words, for a count of `n`: "1 risk re-scored", "2 risks re-scored".
    pub fn label(self, n: usize) -> &'static str {
        use What::*;
        let (one, many) = match self {
            RiskOpened => ("risk opened", "risks opened"),
            RiskReopened => ("risk reopened", "risks reopened"),
            RiskClosed => ("risk closed", "risks closed"),
            RiskRemoved => ("risk removed", "risks removed"),
            RiskRescored => ("risk re-scored", "risks re-scored"),
            RiskOwnerChanged => ("risk owner changed", "risk owners changed"),
            RiskResponseChanged => ("risk response changed", "risk responses changed"),
            RiskReviewed => ("risk reviewed", "risks reviewed"),
            RiskRenamed => ("risk renamed", "risks renamed"),
            RiskInherentRescored => (
                "risk's inherent score changed",
                "risks' inherent scores changed",
            ),
            ControlAdded => ("control added", "controls added"),
            ControlRemoved => ("control removed", "controls removed"),
            RiskEdited => ("risk edited", "risks edited"),
            ActionAdded => ("action added", "actions added"),
            ActionCompleted => ("action completed", "actions completed"),
            ActionCancelled => ("action cancelled", "actions cancelled"),
            ActionSlipped => ("action slipped", "actions slipped"),
            ActionReopened => ("action reopened", "actions reopened"),
            ActionChanged => ("action changed", "actions changed"),
            ActionRemoved => ("action removed", "actions removed"),
            AssessmentAdded => ("assessment added", "assessments added"),
            AssessmentEdited => ("assessment changed", "assessments changed"),
            AssessmentRemoved => ("assessment removed", "assessments removed"),
            EventAdded => ("event recorded", "events recorded"),
            EventEdited => ("event changed", "events changed"),
            EventRemoved => ("event removed", "events removed"),
            SignoffAdded => ("sign-off added", "sign-offs added"),
            SignoffEdited => ("sign-off edited", "sign-offs edited"),
            SignoffRemoved => ("sign-off removed", "sign-offs removed"),
            SignoffInvalidated => ("sign-off voided", "sign-offs voided"),
            BoardAdded => ("board meeting recorded", "board meetings recorded"),
            BoardEdited => ("board record changed", "board records changed"),
            BoardRemoved => ("board record removed", "board records removed"),
            AppetiteAdded => ("risk appetite added", "risk appetite added"),
            AppetiteChanged => ("risk appetite changed", "risk appetite changed"),
            AppetiteRemoved => ("risk appetite removed", "risk appetite removed"),
            PersonJoined => ("person added", "people added"),
            PersonLeft => ("person left", "people left"),
            PersonChanged => ("person's roles changed", "people's roles changed"),
            PersonIdentityChanged => ("person's identity changed", "people's identities changed"),
            PersonKeysChanged => (
                "person's signing keys changed",
                "people's signing keys changed",
            ),
            PlatformKeysChanged => ("platform keys changed", "platform keys changed"),
            ProjectChanged => ("project or policy changed", "project or policy changed"),
            MilestoneAdded => ("milestone added", "milestones added"),
            MilestoneChanged => ("milestone changed", "milestones changed"),
            MilestoneRemoved => ("milestone removed", "milestones removed"),
        };
        if n == 1 { one } else { many }
    }

    /// `+` added, `-` removed or closed, `~` changed, `!` something now needs attention.
    pub fn sign(self) -> char {
        use What::*;
        match self {
            RiskOpened | RiskReopened | ActionAdded | AssessmentAdded | EventAdded
            | SignoffAdded | BoardAdded | AppetiteAdded | PersonJoined | MilestoneAdded
            | ControlAdded => '+',
            RiskClosed | RiskRemoved | AssessmentRemoved | EventRemoved | SignoffRemoved
            | BoardRemoved | PersonLeft | MilestoneRemoved => '-',
            SignoffInvalidated | ActionSlipped | ControlRemoved | ActionRemoved
            | AppetiteRemoved => '!',
            _ => '~',
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub what: What,
    /// The kind of record: risk, action, assessment, …
    pub kind: &'static str,
    pub id: String,
    /// The record's title or summary.
    pub title: String,
    /// The change in one line, in the project's terms.
    pub text: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The file, relative to the repository root (at the newer side where it exists).
    pub file: String,
    /// For a change to a risk, an assessment or the appetite: whether it changes what a
    /// sign-off of the record binds (its signed view), or is upkeep that leaves it standing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed: Option<bool>,
    /// A change to who people are (roles and their dates, e-mail, GitHub login, signing
    /// keys): what the proof of sign-offs rests on. Reports show these first.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub trust: bool,
}

fn change(
    what: What,
    kind: &'static str,
    id: &str,
    title: &str,
    text: String,
    file: &str,
) -> Change {
    Change {
        what,
        kind,
        id: id.to_owned(),
        title: title.to_owned(),
        text,
        from: None,
        to: None,
        file: file.to_owned(),
        signed: None,
        trust: false,
    }
}

impl Change {
    /// With the value before the change.
    fn from(mut self, value: impl ToString) -> Change {
        self.from = Some(value.to_string());
        self
    }

    /// Saying whether it changes signed content.
    fn signed(mut self, signed: bool) -> Change {
        self.signed = Some(signed);
        self
    }

    /// With the value after the change.
    fn to(mut self, value: impl ToString) -> Change {
        self.to = Some(value.to_string());
        self
    }
}

fn band(scale: &Scale, score: u8) -> String {
    scale.band(score).label().to_owned()
}

/// The fields (as the records name them) whose values differ between two versions of a
/// record, leaving out those `covered` by a change of their own.
fn other_fields<T: Serialize>(base: &T, head: &T, covered: &[&str]) -> Vec<String> {
    if std::ptr::eq(base, head) {
        // One record read once for both sides (a file the two hold byte for byte).
        return Vec::new();
    }
    let (Ok(serde_json::Value::Object(b)), Ok(serde_json::Value::Object(h))) =
        (serde_json::to_value(base), serde_json::to_value(head))
    else {
        return Vec::new();
    };
    let null = serde_json::Value::Null;
    let mut keys: Vec<&String> = b.keys().chain(h.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !covered.contains(&k.as_str()))
        .filter(|k| b.get(*k).unwrap_or(&null) != h.get(*k).unwrap_or(&null))
        .map(|k| k.to_owned())
        .collect()
}

/// Whether any of `fields` is bound by a sign-off of a `kind` record.
fn any_signed(kind: crate::records::Kind, fields: &[String]) -> bool {
    crate::records::signed::fields(kind)
        .is_some_and(|signed| fields.iter().any(|f| signed.iter().any(|s| s.name == f)))
}

fn by_id<T>(records: &[Record<T>], id: impl Fn(&T) -> &str) -> BTreeMap<&str, &Record<T>> {
    records.iter().map(|r| (id(&r.value), r)).collect()
}

/// What changed in the records between two revisions, or a revision and the working tree.
#[derive(Debug)]
pub struct Diff {
    pub changes: Vec<Change>,
    /// Changes to a person made together with a sign-off by them: see `trust_warnings`.
    pub warnings: Vec<String>,
    /// The marking of the records on both sides.
    pub marking: crate::records::Marking,
    /// Files that could not be read on each side: their changes are not shown.
    pub unread_base: Vec<String>,
    pub unread_head: Vec<String>,
    /// The risks and assessments whose covered code (`paths`) the change touches.
    pub covered: Vec<crate::covered::Touched>,
}

/// The changes in the records folder `dir` of `repo` from the commit `base` to the commit
/// `head`, or to the working tree `worktree` when there is no `head`.
pub fn diff(
    repo: &Repository,
    dir: &str,
    base: Oid,
    head: Option<Oid>,
    worktree: impl FnOnce() -> Vec<crate::source::Entry>,
    limit: crate::records::Classification,
) -> Result<Diff> {
    let (base_commit, head_commit) = (base, head);
    let mut snapshots = Snapshots::new(repo, dir, limit);
    let base = snapshots.at(base)?.unwrap_or_default();
    let head = match head {
        Some(commit) => snapshots.at(commit)?.unwrap_or_default(),
        None => load::load(dir, worktree()),
    };
    let mut marking = base.records.marking();
    marking.merge(&head.records.marking());
    let mut changes = compare(&base, &head);
    changes.extend(platform_key_edits(
        repo,
        dir,
        (base_commit, head_commit),
        (&base.records, &head.records),
    ));
    changes.sort_by_key(|c| !c.trust);
    let covered = covered_by(repo, base_commit, head_commit, &head.records)?;
    Ok(Diff {
        marking,
        covered,
        warnings: [
            trust_warnings(&changes, &head.records),
            interim_trust(repo, dir, base_commit, head_commit, &head.records),
        ]
        .concat(),
        changes,
        unread_base: base.unread.into_iter().collect(),
        unread_head: head.unread.into_iter().collect(),
    })
}

/// The records of `set` (the head's) whose covered code changed from `base` to `head` (the
/// working tree without one). The repository is diffed only when some record has paths.
fn covered_by(
    repo: &Repository,
    base: Oid,
    head: Option<Oid>,
    set: &RecordSet,
) -> Result<Vec<crate::covered::Touched>> {
    if !set.covers_code() {
        return Ok(Vec::new());
    }
    let changed = crate::covered::changed(repo, base, head)?;
    Ok(crate::covered::touched(set, &changed))
}

/// What a pull request changes in the records.
#[derive(Debug)]
pub enum PullRequest {
    /// Not a pull request run.
    None,
    /// The changes from the pull request's base to what is checked out, and the warnings
    /// about them (`trust_warnings`).
    Changes {
        base: String,
        changes: Vec<Change>,
        warnings: Vec<String>,
        /// The risks and assessments whose covered code the pull request changes.
        covered: Vec<crate::covered::Touched>,
    },
    /// The changes cannot be listed, and why.
    Unknown(Unlisted),
}

/// Why a pull request's changes cannot be listed.
#[derive(Debug)]
pub enum Unlisted {
    /// The records are not in a git repository.
    NoRepository,
    /// The base commit is not in this clone (a shallow checkout).
    BaseMissing(String),
    /// Git could not read it.
    Unreadable(crate::error::Error),
}

impl PullRequest {
    /// What the records `head` (read from `dir` of `repo`) change since the pull request's
    /// base commit `base`.
    pub fn since(repo: Option<&Repository>, dir: &str, base: &str, head: &Loaded) -> PullRequest {
        PullRequest::since_read(repo, dir, base, None, head)
    }

    /// As `since`, with the base's records already read (`before`), so they are not read
    /// again; without them, they are read here.
    pub fn since_read(
        repo: Option<&Repository>,
        dir: &str,
        base: &str,
        before: Option<&Loaded>,
        head: &Loaded,
    ) -> PullRequest {
        let Some(repo) = repo else {
            return PullRequest::Unknown(Unlisted::NoRepository);
        };
        let missing = || PullRequest::Unknown(Unlisted::BaseMissing(base.to_owned()));
        let Ok(oid) = Oid::from_str(base) else {
            return missing();
        };
        let limit = head
            .records
            .project
            .as_ref()
            .map_or(crate::records::Classification::Official, |p| {
                p.max_classification()
            });
        let read;
        let before = match before {
            Some(before) => before,
            None => match Snapshots::new(repo, dir, limit).at(oid) {
                Ok(loaded) => {
                    read = loaded.unwrap_or_default();
                    &read
                }
                Err(crate::error::Error::Git(e)) if e.code() == git2::ErrorCode::NotFound => {
                    return missing();
                }
                Err(e) => return PullRequest::Unknown(Unlisted::Unreadable(e)),
            },
        };
        let mut changes = compare(before, head);
        changes.extend(platform_key_edits(
            repo,
            dir,
            (oid, None),
            (&before.records, &head.records),
        ));
        changes.sort_by_key(|c| !c.trust);
        PullRequest::Changes {
            base: base.to_owned(),
            warnings: [
                trust_warnings(&changes, &head.records),
                interim_trust(repo, dir, oid, None, &head.records),
            ]
            .concat(),
            covered: covered_by(repo, oid, None, &head.records).unwrap_or_default(),
            changes,
        }
    }
}

/// Sign-offs added, between `base` and `head` (HEAD without one), on top of people or
/// platform keys that are neither the base's nor the head's: a version of people.yaml or of a
/// key file written and undone within the range, which `diff` of the two ends does not show
/// but by which the sign-off is judged. Named, with the commit that wrote that version.
fn interim_trust(
    repo: &Repository,
    dir: &str,
    base: Oid,
    head: Option<Oid>,
    set: &RecordSet,
) -> Vec<String> {
    let Some(head) = head.or_else(|| crate::git::head(repo)) else {
        return Vec::new();
    };
    let mut files = vec!["people.yaml".to_owned()];
    files.extend(set.policy.signoff.platform_keys.iter().cloned());
    let blob = |commit: Oid, name: &str| {
        crate::git::entry_at(repo, commit, &joined(dir, name)).map(|e| e.id())
    };
    let ends: Vec<[Option<Oid>; 2]> = files
        .iter()
        .map(|f| [blob(base, f), blob(head, f)])
        .collect();
    let signoffs = joined(dir, "signoffs/");
    let mut out = Vec::new();
    for id in crate::history::brought_by(repo, base, head) {
        let Ok(commit) = repo.find_commit(id) else {
            continue;
        };
        let Ok(parent) = commit.parent(0) else {
            continue;
        };
        // Most commits do not touch the sign-offs folder: compare its tree first.
        if blob(parent.id(), "signoffs") == blob(id, "signoffs") {
            continue;
        }
        let added = crate::covered::changed(repo, parent.id(), Some(id)).unwrap_or_default();
        let added: Vec<&String> = added.iter().filter(|p| p.starts_with(&signoffs)).collect();
        if added.is_empty() {
            continue;
        }
        for (name, [at_base, at_head]) in files.iter().zip(&ends) {
            let before = blob(parent.id(), name);
            if before == *at_base || before == *at_head {
                continue;
            }
            let files: Vec<&str> = added
                .iter()
                .map(|p| p.rsplit('/').next().unwrap_or(p))
                .collect();
            out.push(format!(
                "{} added in {} rests on a version of {name} that is neither the base's nor this change's: it was changed and changed back in between, and the sign-off is judged by that version; check what it said (git log -p -- {})",
                files.join(", "),
                crate::git::short(id),
                joined(dir, name)
            ));
        }
    }
    out
}

/// A person whose roles, identity or keys change in the same change as a sign-off by them is
/// vouching for themselves: say so, whatever git then makes of it.
pub fn trust_warnings(changes: &[Change], head: &RecordSet) -> Vec<String> {
    let changed: std::collections::BTreeSet<&str> = changes
        .iter()
        .filter(|c| c.trust)
        .map(|c| c.id.as_str())
        .collect();
    let mut by_signer: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in changes.iter().filter(|c| c.what == What::SignoffAdded) {
        if let Some(s) = head.signoffs.iter().find(|s| s.id == c.id)
            && changed.contains(s.signed_by.as_str())
        {
            by_signer.entry(&s.signed_by).or_default().push(&s.id);
        }
    }
    by_signer
        .into_iter()
        .map(|(who, ids)| {
            format!(
                "{who}'s roles, identity or keys change in the same change as a sign-off by them ({}): check it with them before trusting it",
                ids.join(", ")
            )
        })
        .collect()
}

/// The changes from `base` to `head` as loaded. A file that gave no record on one side (not
/// readable, not valid) is left out: its record is neither "removed" nor "added".
pub fn compare(base: &Loaded, head: &Loaded) -> Vec<Change> {
    let unread = |file: &str| base.unread.contains(file) || head.unread.contains(file);
    between(&base.records, &head.records, &unread)
        .into_iter()
        .filter(|c| !unread(&c.file))
        .collect()
}

/// Every change from `base` to `head`, in a stable order (by kind of record, then id).
/// `unread` says which files gave no record on one side: a sign-off whose subject is in one
/// is not called voided.
fn between(base: &RecordSet, head: &RecordSet, unread: &dyn Fn(&str) -> bool) -> Vec<Change> {
    let mut out = Vec::new();
    risks(base, head, &mut out);
    simple(
        &by_id(&base.assessments, |a| &a.id),
        &by_id(&head.assessments, |a| &a.id),
        "assessment",
        |a| {
            let targeted = match a.coverage() {
                crate::records::Coverage::Targeted => "targeted ",
                crate::records::Coverage::Full => "",
            };
            format!(
                "{targeted}{} assessment on {} ({})",
                a.kind,
                a.date,
                trigger_word(a.trigger)
            )
        },
        (
            What::AssessmentAdded,
            Some(What::AssessmentEdited),
            What::AssessmentRemoved,
        ),
        &mut out,
    );
    for (id, base_a, head_a) in pairs(
        &by_id(&base.assessments, |a| &a.id),
        &by_id(&head.assessments, |a| &a.id),
    ) {
        let file = head_a.or(base_a).map(|a| &*a.file).unwrap_or_default();
        actions(
            "assessment",
            id,
            base_a.map(|a| &a.actions[..]),
            head_a.map(|a| &a.actions[..]),
            file,
            &mut out,
        );
    }
    simple(
        &by_id(&base.events, |e| &e.id),
        &by_id(&head.events, |e| &e.id),
        "event",
        |e| format!("{} on {}: {}", e.kind.words(), e.date, e.summary),
        (
            What::EventAdded,
            Some(What::EventEdited),
            What::EventRemoved,
        ),
        &mut out,
    );
    simple(
        &by_id(&base.signoffs, |s| &s.id),
        &by_id(&head.signoffs, |s| &s.id),
        "signoff",
        |s| {
            // Enough of the decision to tell two versions of one sign-off apart.
            let mut text = format!(
                "{} of {} by {} on {}",
                s.kind.as_str(),
                s.subject,
                s.signed_by,
                s.date
            );
            if let Some(expires) = s.expires {
                let _ = write!(text, ", until {expires}");
            }
            match s.conditions.len() {
                0 => {}
                1 => text.push_str(", 1 condition"),
                n => {
                    let _ = write!(text, ", {n} conditions");
                }
            }
            text
        },
        (
            What::SignoffAdded,
            Some(What::SignoffEdited),
            What::SignoffRemoved,
        ),
        &mut out,
    );
    invalidated(base, head, unread, &mut out);
    simple(
        &by_id(&base.boards, |b| &b.id),
        &by_id(&head.boards, |b| &b.id),
        "board",
        |b| format!("{} on {}", b.board, b.date),
        (
            What::BoardAdded,
            Some(What::BoardEdited),
            What::BoardRemoved,
        ),
        &mut out,
    );
    appetite(base, head, &mut out);
    people(base, head, &mut out);
    project(base, head, &mut out);
    // Changes to who people are come first: the proof of every sign-off rests on them.
    out.sort_by_key(|c| !c.trust);
    out
}

fn trigger_word(t: crate::records::Trigger) -> &'static str {
    use crate::records::Trigger::*;
    match t {
        Scheduled => "scheduled",
        Change => "after a change",
        NewThreat => "after a new threat",
        Breach => "after a breach",
        Milestone => "for a milestone",
        Selected => "selected by CySAAS",
        Requested => "requested",
    }
}

/// Pairs of (id, base, head) records by id, in id order.
fn pairs<'a, T>(
    base: &BTreeMap<&'a str, &'a T>,
    head: &BTreeMap<&'a str, &'a T>,
) -> Vec<(&'a str, Option<&'a T>, Option<&'a T>)> {
    let mut ids: Vec<&'a str> = base.keys().chain(head.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .map(|id| (id, base.get(id).copied(), head.get(id).copied()))
        .collect()
}

/// Added, edited (content changed) and removed, for kinds described by one line.
fn simple<'a, T: PartialEq + Serialize>(
    base: &BTreeMap<&'a str, &'a Record<T>>,
    head: &BTreeMap<&'a str, &'a Record<T>>,
    kind: &'static str,
    describe: impl Fn(&T) -> String,
    (added, edited, removed): (What, Option<What>, What),
    out: &mut Vec<Change>,
) {
    // The record kind's machine name, in words.
    let noun = if kind == "signoff" { "sign-off" } else { kind };
    for (id, b, h) in pairs(base, head) {
        match (b, h, edited) {
            (None, Some(h), _) => {
                out.push(change(
                    added,
                    kind,
                    id,
                    &describe(&h.value),
                    format!("{noun} {id} added: {}", describe(&h.value)),
                    &h.file,
                ));
            }
            (Some(b), None, _) => {
                out.push(change(
                    removed,
                    kind,
                    id,
                    &describe(&b.value),
                    format!("{noun} {id} removed"),
                    &b.file,
                ));
            }
            (Some(b), Some(h), Some(edited)) if b.value != h.value => {
                // Actions have lines of their own.
                let fields = other_fields(&*b.value, &*h.value, &["actions"]);
                if fields.is_empty() {
                    continue;
                }
                // A sign-off is written once: what an edit makes it say, nobody signed.
                let text = if kind == "signoff" {
                    format!(
                        "{noun} {id} edited ({}): a sign-off is written once, so what it now says was not signed; the SRO records the decision again as a new sign-off",
                        fields.join(", ")
                    )
                } else {
                    format!("{noun} {id} changed: {}", fields.join(", "))
                };
                let c = change(edited, kind, id, &describe(&h.value), text, &h.file);
                out.push(match (b.digest.get(), h.digest.get()) {
                    (Some(before), Some(after)) => c.signed(before != after),
                    _ => c,
                });
            }
            _ => {}
        }
    }
}

fn risks(base: &RecordSet, head: &RecordSet, out: &mut Vec<Change>) {
    let scale = &head.policy.scale;
    let old_scale = &base.policy.scale;
    for (_, b, h) in pairs(
        &by_id(&base.risks, |r| &r.id),
        &by_id(&head.risks, |r| &r.id),
    ) {
        match (b, h) {
            (None, Some(h)) => {
                let score = h.residual.value();
                let (what, verb) = if h.is_open() {
                    (What::RiskOpened, "opened")
                } else {
                    (What::RiskClosed, "recorded as closed")
                };
                out.push(
                    change(
                        what,
                        "risk",
                        &h.id,
                        &h.title,
                        format!(
                            "risk {} {verb}: {} (residual {score}, {}; owner {}; {})",
                            h.id,
                            h.title,
                            band(scale, score),
                            h.owner,
                            h.response.as_str()
                        ),
                        &h.file,
                    )
                    .to(score),
                );
                actions("risk", &h.id, None, Some(&h.actions), &h.file, out);
            }
            (Some(b), None) => out.push(change(
                What::RiskRemoved,
                "risk",
                &b.id,
                &b.title,
                format!("risk {} removed: {}", b.id, b.title),
                &b.file,
            )),
            (Some(b), Some(h)) => {
                risk_changes(b, h, old_scale, scale, out);
                actions(
                    "risk",
                    &h.id,
                    Some(&b.actions),
                    Some(&h.actions),
                    &h.file,
                    out,
                );
            }
            (None, None) => {}
        }
    }
}

fn risk_changes(
    b: &Record<Risk>,
    h: &Record<Risk>,
    old_scale: &Scale,
    scale: &Scale,
    out: &mut Vec<Change>,
) {
    let (id, title, file) = (&h.id, &h.title, &*h.file);
    if b.is_open() && !h.is_open() {
        let reason = h
            .closed
            .as_ref()
            .map(|c| format!(": {}", c.reason))
            .unwrap_or_default();
        out.push(
            change(
                What::RiskClosed,
                "risk",
                id,
                title,
                format!("risk {id} closed{reason}"),
                file,
            )
            .signed(false),
        );
    } else if !b.is_open() && h.is_open() {
        out.push(
            change(
                What::RiskReopened,
                "risk",
                id,
                title,
                format!("risk {id} reopened"),
                file,
            )
            .signed(false),
        );
    }
    let (old, new) = (b.residual.value(), h.residual.value());
    if b.residual != h.residual {
        out.push(
            change(
                What::RiskRescored,
                "risk",
                id,
                title,
                format!(
                    "risk {id} re-scored: residual {old} → {new} ({} → {})",
                    band(old_scale, old),
                    band(scale, new)
                ),
                file,
            )
            .from(old)
            .to(new)
            .signed(true),
        );
    }
    if b.owner != h.owner {
        out.push(
            change(
                What::RiskOwnerChanged,
                "risk",
                id,
                title,
                format!("risk {id} owner: {} → {}", b.owner, h.owner),
                file,
            )
            .from(&b.owner)
            .to(&h.owner)
            .signed(false),
        );
    }
    if b.response != h.response {
        out.push(
            change(
                What::RiskResponseChanged,
                "risk",
                id,
                title,
                format!(
                    "risk {id} response: {} → {}",
                    b.response.as_str(),
                    h.response.as_str()
                ),
                file,
            )
            .from(b.response.as_str())
            .to(h.response.as_str())
            .signed(true),
        );
    }
    if h.last_reviewed != b.last_reviewed {
        let text = if h.last_reviewed > b.last_reviewed {
            format!("risk {id} reviewed on {}", h.last_reviewed)
        } else {
            format!(
                "risk {id}'s last review moved back from {} to {}",
                b.last_reviewed, h.last_reviewed
            )
        };
        out.push(
            change(What::RiskReviewed, "risk", id, title, text, file)
                .from(b.last_reviewed)
                .to(h.last_reviewed)
                .signed(false),
        );
    }
    if b.title != h.title {
        out.push(
            change(
                What::RiskRenamed,
                "risk",
                id,
                title,
                format!("risk {id} renamed: {} → {}", b.title, h.title),
                file,
            )
            .from(&b.title)
            .to(&h.title)
            .signed(true),
        );
    }
    if b.inherent != h.inherent {
        let (old, new) = (b.inherent.value(), h.inherent.value());
        out.push(
            change(
                What::RiskInherentRescored,
                "risk",
                id,
                title,
                format!(
                    "risk {id} inherent score: {old} → {new} ({} → {})",
                    band(old_scale, old),
                    band(scale, new)
                ),
                file,
            )
            .from(old)
            .to(new)
            .signed(true),
        );
    }
    for control in b.controls.iter().filter(|c| !h.controls.contains(c)) {
        out.push(
            change(
                What::ControlRemoved,
                "risk",
                id,
                title,
                format!(
                    "risk {id}: control removed: {control} (a control less is less protection: check the residual score still holds)"
                ),
                file,
            )
            .from(control)
            .signed(true),
        );
    }
    for control in h.controls.iter().filter(|c| !b.controls.contains(c)) {
        out.push(
            change(
                What::ControlAdded,
                "risk",
                id,
                title,
                format!("risk {id}: control added: {control}"),
                file,
            )
            .to(control)
            .signed(true),
        );
    }
    // Anything else, by name: nothing is left out.
    let covered = [
        "title",
        "status",
        "closed",
        "residual",
        "inherent",
        "owner",
        "response",
        "last_reviewed",
        "controls",
        "actions",
    ];
    let others = other_fields(&*b.value, &*h.value, &covered);
    if !others.is_empty() {
        out.push(
            change(
                What::RiskEdited,
                "risk",
                id,
                title,
                format!("risk {id}: other fields changed: {}", others.join(", ")),
                file,
            )
            .signed(any_signed(crate::records::Kind::Risk, &others)),
        );
    }
}

fn actions(
    kind: &str,
    owner_id: &str,
    base: Option<&[Action]>,
    head: Option<&[Action]>,
    file: &str,
    out: &mut Vec<Change>,
) {
    // An assessment's action plan (what, and who) is part of what its approval binds; an
    // action's progress, and a risk's actions, are not. Actions of a new record are new.
    let existed = base.is_some();
    // Actions of a removed record go with it: the record's removal says so.
    let head_exists = head.is_some();
    let plan_signed = kind == "assessment";
    let base: BTreeMap<&str, &Action> = base
        .unwrap_or_default()
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let head: BTreeMap<&str, &Action> = head
        .unwrap_or_default()
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    for (_, b, h) in pairs(&base, &head) {
        let on = format!("{kind} {owner_id}");
        let Some(h) = h else {
            // Taken off the plan: an open action removed is less treatment of the risk, or
            // less of the plan an approval binds.
            let Some(b) = b.filter(|_| head_exists) else {
                continue;
            };
            let text = if b.status == ActionStatus::Open {
                format!(
                    "action {} removed from {on} while still open (due {}): {}; the plan is smaller",
                    b.id, b.due, b.title
                )
            } else {
                format!("action {} removed from {on}: {}", b.id, b.title)
            };
            let c = change(What::ActionRemoved, "action", &b.id, &b.title, text, file);
            out.push(c.signed(plan_signed));
            continue;
        };
        let Some(b) = b else {
            let c = change(
                What::ActionAdded,
                "action",
                &h.id,
                &h.title,
                format!(
                    "action {} added on {on}: {}, due {} ({})",
                    h.id, h.title, h.due, h.owner
                ),
                file,
            )
            .to(h.due);
            out.push(if existed { c.signed(plan_signed) } else { c });
            continue;
        };
        // A change of status, in words.
        let progress = match h.status {
            _ if h.status == b.status => None,
            ActionStatus::Done => Some((
                What::ActionCompleted,
                format!(
                    "completed{}",
                    h.done_on.map(|d| format!(" on {d}")).unwrap_or_default()
                ),
            )),
            ActionStatus::Cancelled => Some((What::ActionCancelled, "cancelled".to_owned())),
            ActionStatus::Open => Some((What::ActionReopened, "reopened".to_owned())),
        }
        .map(|(what, verb)| {
            let text = format!("action {} ({on}) {verb}: {}", h.id, h.title);
            change(what, "action", &h.id, &h.title, text, file)
        });
        let slipped = h.status == ActionStatus::Open && h.due > b.due;
        // What the lines above said, so that the rest is said once, by name.
        let mut covered = vec!["status", "done_on"];
        if let Some(c) = progress {
            out.push(c.signed(false));
        }
        if slipped {
            covered.push("due");
            out.push(
                change(
                    What::ActionSlipped,
                    "action",
                    &h.id,
                    &h.title,
                    format!("action {} ({on}) slipped: due {} → {}", h.id, b.due, h.due),
                    file,
                )
                .from(b.due)
                .to(h.due)
                .signed(false),
            );
        }
        if let Some(c) = action_edited(b, h, &on, file, plan_signed, &covered) {
            out.push(c);
        }
    }
}

/// A change to an action that neither finishes, cancels, reopens nor delays it: its owner,
/// its due date brought forward, its title, or any other field, in one line.
fn action_edited(
    b: &Action,
    h: &Action,
    on: &str,
    file: &str,
    plan_signed: bool,
    covered: &[&str],
) -> Option<Change> {
    let mut parts = Vec::new();
    if b.owner != h.owner {
        parts.push(format!("owner {} → {}", b.owner, h.owner));
    }
    if !covered.contains(&"due") {
        if h.due < b.due {
            parts.push(format!("due brought forward {} → {}", b.due, h.due));
        } else if h.due > b.due {
            parts.push(format!("due {} → {}", b.due, h.due));
        }
    }
    if b.title != h.title {
        parts.push(format!("renamed {} → {}", b.title, h.title));
    }
    let mut skip = vec!["owner", "due", "title"];
    skip.extend_from_slice(covered);
    let others = other_fields(b, h, &skip);
    if !others.is_empty() {
        parts.push(format!("other fields changed: {}", others.join(", ")));
    }
    if parts.is_empty() {
        return None;
    }
    // An assessment's action plan binds each action's title and owner.
    let signed = plan_signed && (b.owner != h.owner || b.title != h.title);
    Some(
        change(
            What::ActionChanged,
            "action",
            &h.id,
            &h.title,
            format!("action {} ({on}): {}", h.id, parts.join("; ")),
            file,
        )
        .signed(signed),
    )
}

/// Sign-offs that counted on their subject's content before and no longer match it.
fn invalidated(
    base: &RecordSet,
    head: &RecordSet,
    unread: &dyn Fn(&str) -> bool,
    out: &mut Vec<Change>,
) {
    for s in &head.signoffs {
        if base
            .subject(&s.subject)
            .is_some_and(|(file, _)| unread(file))
        {
            continue;
        }
        let signed = s.subject_digest.as_str();
        let before = base.subject_digest(&s.subject).map(|d| d.to_string());
        let now = head.subject_digest(&s.subject).map(|d| d.to_string());
        let was_matching = before.as_deref() == Some(signed);
        let matches_now = now.as_deref() == Some(signed);
        if was_matching && !matches_now {
            let text = match now {
                None => format!(
                    "sign-off {} voided: {} was removed",
                    s.id,
                    subject_name(&s.subject)
                ),
                Some(_) => format!(
                    "sign-off {} ({} by {}) voided: {} changed after it was signed",
                    s.id,
                    s.kind.as_str(),
                    s.signed_by,
                    subject_name(&s.subject)
                ),
            };
            out.push(change(
                What::SignoffInvalidated,
                "signoff",
                &s.id,
                &s.subject.to_string(),
                text,
                &s.file,
            ));
        }
    }
}

fn appetite(base: &RecordSet, head: &RecordSet, out: &mut Vec<Change>) {
    match (&base.appetite, &head.appetite) {
        (None, Some(h)) => out.push(change(
            What::AppetiteAdded,
            "appetite",
            "appetite",
            "risk appetite",
            format!("risk appetite added: tolerance {}", h.tolerance),
            &h.file,
        )),
        (Some(b), Some(h)) if b.value != h.value => {
            let mut parts = Vec::new();
            if b.tolerance != h.tolerance {
                parts.push(format!("tolerance {} → {}", b.tolerance, h.tolerance));
            }
            if h.last_reviewed > b.last_reviewed {
                parts.push(format!("reviewed on {}", h.last_reviewed));
            } else if h.last_reviewed < b.last_reviewed {
                parts.push(format!(
                    "last review moved back from {} to {}",
                    b.last_reviewed, h.last_reviewed
                ));
            }
            let others = other_fields(&*b.value, &*h.value, &["tolerance", "last_reviewed"]);
            if !others.is_empty() {
                parts.push(format!("other fields changed: {}", others.join(", ")));
            }
            let detail = if parts.is_empty() {
                String::new()
            } else {
                format!(": {}", parts.join("; "))
            };
            out.push(
                change(
                    What::AppetiteChanged,
                    "appetite",
                    "appetite",
                    "risk appetite",
                    format!("risk appetite changed{detail}"),
                    &h.file,
                )
                .signed(b.digest.get() != h.digest.get()),
            );
        }
        (Some(b), None) => out.push(
            change(
                What::AppetiteRemoved,
                "appetite",
                "appetite",
                "risk appetite",
                "risk appetite removed: no tolerance is agreed, so no risk can be judged against it"
                    .to_owned(),
                &b.file,
            )
            .signed(true),
        ),
        _ => {}
    }
}

/// Every change to the people: who they are is what the proof of sign-offs rests on, so each
/// is a trust change.
fn people(base: &RecordSet, head: &RecordSet, out: &mut Vec<Change>) {
    // The file on either side, so that an unreadable people.yaml hides its changes rather
    // than calling everyone removed.
    let file = head
        .people
        .as_ref()
        .or(base.people.as_ref())
        .map(|p| p.file.to_string())
        .unwrap_or_default();
    let b: BTreeMap<&str, &crate::records::Person> = base
        .all_people()
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let h: BTreeMap<&str, &crate::records::Person> = head
        .all_people()
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let mut push = |what: What, p: &crate::records::Person, text: String| {
        let mut c = change(what, "person", &p.id, &p.name, text, &file);
        c.trust = true;
        out.push(c);
    };
    for (_, old, new) in pairs(&b, &h) {
        match (old, new) {
            (None, Some(p)) => push(
                What::PersonJoined,
                p,
                format!("person {} ({}) added: {}", p.id, p.name, roles(p)),
            ),
            (Some(p), None) => push(
                What::PersonLeft,
                p,
                format!("person {} ({}) removed", p.id, p.name),
            ),
            (Some(o), Some(p)) => {
                if o.to != p.to {
                    let text = match p.to {
                        Some(day) => format!("person {} ({}) leaves on {day}", p.id, p.name),
                        None => format!(
                            "person {} ({}) stays: the end date is removed",
                            p.id, p.name
                        ),
                    };
                    push(What::PersonLeft, p, text);
                }
                if roles(o) != roles(p) {
                    push(
                        What::PersonChanged,
                        p,
                        format!(
                            "person {}'s roles changed: {} → {}",
                            p.id,
                            roles(o),
                            roles(p)
                        ),
                    );
                }
                if o.email != p.email || o.github != p.github || o.name != p.name {
                    let mut parts = Vec::new();
                    if o.name != p.name {
                        parts.push(format!("name {} → {}", o.name, p.name));
                    }
                    if o.email != p.email {
                        parts.push(format!("e-mail {} → {}", o.email, p.email));
                    }
                    if o.github != p.github {
                        let login = |g: &Option<String>| g.clone().unwrap_or_else(|| "none".into());
                        parts.push(format!(
                            "GitHub login {} → {}",
                            login(&o.github),
                            login(&p.github)
                        ));
                    }
                    push(
                        What::PersonIdentityChanged,
                        p,
                        format!("person {}'s identity changed: {}", p.id, parts.join("; ")),
                    );
                }
                if o.signing_keys != p.signing_keys {
                    let added: Vec<String> = p
                        .signing_keys
                        .iter()
                        .filter(|k| !o.signing_keys.contains(k))
                        .map(|k| fingerprint(k))
                        .collect();
                    let removed: Vec<String> = o
                        .signing_keys
                        .iter()
                        .filter(|k| !p.signing_keys.contains(k))
                        .map(|k| fingerprint(k))
                        .collect();
                    let mut parts = Vec::new();
                    if !added.is_empty() {
                        parts.push(format!("added {}", added.join(", ")));
                    }
                    if !removed.is_empty() {
                        parts.push(format!("removed {}", removed.join(", ")));
                    }
                    push(
                        What::PersonKeysChanged,
                        p,
                        format!(
                            "person {}'s signing keys changed: {}",
                            p.id,
                            parts.join("; ")
                        ),
                    );
                }
            }
            (None, None) => {}
        }
    }
}

/// A signing key as people recognise it: its SHA256 fingerprint.
fn fingerprint(key: &str) -> String {
    ssh_key::PublicKey::from_openssh(key).map_or_else(
        |_| "a key that cannot be read".to_owned(),
        |k| k.fingerprint(ssh_key::HashAlg::Sha256).to_string(),
    )
}

fn roles(p: &crate::records::Person) -> String {
    p.roles
        .iter()
        .map(|g| match g {
            crate::records::RoleGrant::Always(r) => r.as_str().to_owned(),
            crate::records::RoleGrant::Dated { role, from, to } => {
                let from = from.map(|d| format!(" from {d}")).unwrap_or_default();
                let to = to.map(|d| format!(" to {d}")).unwrap_or_default();
                format!("{}{from}{to}", role.as_str())
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a change to a platform key file from `was` to `is` does, by key fingerprint:
/// which keys (and signing subkeys) it now holds and no longer holds, or that only their
/// signatures changed (a revocation, an expiry, a binding).
fn key_changes(was: Option<&[u8]>, is: Option<&[u8]>) -> String {
    let fingerprints = |bytes: Option<&[u8]>| -> std::collections::BTreeSet<String> {
        bytes
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|t| crate::witness::platform::parse_keys(t).ok())
            .map(|keys| crate::witness::platform::fingerprints(&keys))
            .unwrap_or_default()
            .into_iter()
            .collect()
    };
    let (old, new) = (fingerprints(was), fingerprints(is));
    let added: Vec<&str> = new.difference(&old).map(String::as_str).collect();
    let removed: Vec<&str> = old.difference(&new).map(String::as_str).collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("now holds {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("no longer holds {}", removed.join(", ")));
    }
    if !parts.is_empty() {
        parts.join("; ")
    } else if new.is_empty() {
        "it holds no key that can be read".to_owned()
    } else {
        "the same keys, but their signatures changed (a revocation, an expiry or a subkey's binding)".to_owned()
    }
}

/// The platform key files a project's policy names, as written.
fn platform_keys(project: &Record<crate::records::Project>) -> Vec<String> {
    project
        .policy
        .signoff
        .as_ref()
        .and_then(|s| s.platform_keys.clone())
        .unwrap_or_default()
}

/// A change to the content of a platform key file that both sides trust, from `base` to
/// `head` (the working tree without one): what the proof of web-signed sign-offs rests on.
fn platform_key_edits(
    repo: &Repository,
    dir: &str,
    (base, head): (Oid, Option<Oid>),
    (before, after): (&RecordSet, &RecordSet),
) -> Vec<Change> {
    let (Some(b), Some(h)) = (&before.project, &after.project) else {
        return Vec::new();
    };
    let old = platform_keys(b);
    let mut out = Vec::new();
    for name in &platform_keys(h) {
        let path = joined(dir, name);
        // A file newly named is trusted for all it holds: say which keys, as for an edit.
        let newly = !old.contains(name);
        let was = if newly {
            None
        } else {
            crate::git::file_at(repo, base, &path).ok()
        };
        let is = match head {
            Some(head) => crate::git::file_at(repo, head, &path).ok(),
            None => repo
                .workdir()
                .and_then(|w| std::fs::read(w.join(&path)).ok()),
        };
        if newly || was != is {
            let verb = if newly { "newly trusted" } else { "changed" };
            let mut c = change(
                What::PlatformKeysChanged,
                "policy",
                "platform_keys",
                "platform keys",
                format!(
                    "platform key file {name} {verb}: {}; trusted for sign-offs added after this",
                    key_changes(was.as_deref(), is.as_deref())
                ),
                &path,
            );
            c.trust = true;
            out.push(c);
        }
    }
    out
}

fn project(base: &RecordSet, head: &RecordSet, out: &mut Vec<Change>) {
    let (Some(b), Some(h)) = (&base.project, &head.project) else {
        if let (None, Some(h)) = (&base.project, &head.project) {
            out.push(change(
                What::ProjectChanged,
                "project",
                "project",
                &h.name,
                format!("project recorded: {}", h.name),
                &h.file,
            ));
        }
        return;
    };
    let file = &*h.file;
    let old: BTreeMap<&str, &crate::records::Milestone> =
        b.milestones.iter().map(|m| (m.id.as_str(), m)).collect();
    let new: BTreeMap<&str, &crate::records::Milestone> =
        h.milestones.iter().map(|m| (m.id.as_str(), m)).collect();
    for (_, o, n) in pairs(&old, &new) {
        match (o, n) {
            (None, Some(m)) => out.push(change(
                What::MilestoneAdded,
                "milestone",
                &m.id,
                &m.name,
                format!("milestone {} added: {} on {}", m.id, m.name, m.date),
                file,
            )),
            (Some(m), None) => out.push(change(
                What::MilestoneRemoved,
                "milestone",
                &m.id,
                &m.name,
                format!("milestone {} removed", m.id),
                file,
            )),
            (Some(o), Some(m))
                if o.date != m.date || o.independent_review != m.independent_review =>
            {
                let detail = if o.date != m.date {
                    format!("moved {} → {}", o.date, m.date)
                } else {
                    format!(
                        "independent review {:?} → {:?}",
                        o.independent_review, m.independent_review
                    )
                    .to_lowercase()
                };
                out.push(change(
                    What::MilestoneChanged,
                    "milestone",
                    &m.id,
                    &m.name,
                    format!("milestone {} {detail}", m.id),
                    file,
                ));
            }
            _ => {}
        }
    }
    let (old_keys, new_keys) = (platform_keys(b), platform_keys(h));
    let set = |k: &[String]| k.iter().cloned().collect::<std::collections::BTreeSet<_>>();
    if set(&old_keys) != set(&new_keys) {
        let added: Vec<&str> = new_keys
            .iter()
            .filter(|k| !old_keys.contains(k))
            .map(String::as_str)
            .collect();
        let removed: Vec<&str> = old_keys
            .iter()
            .filter(|k| !new_keys.contains(k))
            .map(String::as_str)
            .collect();
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("now trusts {}", added.join(", ")));
        }
        if !removed.is_empty() {
            parts.push(format!("no longer trusts {}", removed.join(", ")));
        }
        let mut c = change(
            What::PlatformKeysChanged,
            "policy",
            "platform_keys",
            "platform keys",
            format!("the policy's platform keys changed: {}", parts.join("; ")),
            file,
        );
        c.trust = true;
        out.push(c);
    }
    // The rest of the project, by field: milestones have lines of their own.
    let fields = other_fields(&*b.value, &*h.value, &["milestones"]);
    if !fields.is_empty() {
        out.push(change(
            What::ProjectChanged,
            "project",
            "project",
            &h.name,
            format!("project changed: {}", fields.join(", ")),
            file,
        ));
    }
}
