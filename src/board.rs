//! The board pack: where we are, what changed since the board last met, and what the SRO
//! and the board must decide. Built from the records now and as they were at each commit
//! that changed them during the period, read from git's object database.
//!
//! `Pack` is the documented context of the board templates (see the README).

use git2::{Oid, Repository};
use serde::Serialize;

use crate::changes::{self, Change};
use crate::dates::{Date, Duration};
use crate::error::{Error, Result};
use crate::evaluate::Evaluated;
use crate::finding::{Finding, Rule, Severity};
use crate::git::{Revision, short};
use crate::history::{self, Step};
use crate::plain::Plain;
use crate::records::load::Loaded;
use crate::records::{ActionStatus, RecordSet, Response, SignOffType, Subject};
use crate::rules::signoffs::SignOffs;
use crate::rules::{self, Rag, Status};
use crate::snapshot::Snapshots;

/// At most this many trend points are evaluated, spread evenly over the period.
pub const MAX_TREND_POINTS: usize = 60;
/// How far ahead the pack lists deadlines.
pub const LOOK_AHEAD: Duration = Duration::days(30);
/// How many risks the top-risks table shows.
pub const TOP_RISKS: usize = 10;
/// How many of each list the pack shows in full; the rest are counted ("and 40 more"), so
/// that a large programme's pack stays a few pages. `assure status` and `assure diff` give
/// everything.
pub const FINDINGS_SHOWN: usize = 20;
pub const DECISIONS_SHOWN: usize = 15;
pub const CHANGES_SHOWN: usize = 30;
pub const DEADLINES_SHOWN: usize = 20;

#[derive(Debug, Serialize)]
pub struct Pack {
    pub tool_version: &'static str,
    /// The protective marking of what the pack contains, for the top and bottom of every
    /// page.
    pub marking: String,
    pub project: ProjectView,
    pub as_of: Date,
    pub period: Period,
    pub status: StatusView,
    /// `None` when there were no valid records at the start of the period.
    pub status_at_start: Option<StatusView>,
    /// `better`, `worse`, `same` or `new` (no status at the start).
    pub trend: &'static str,
    /// Findings now, counted by rule, worst first.
    pub findings_by_rule: Vec<RuleCount>,
    /// Red and amber findings now, worst first (the first `FINDINGS_SHOWN`).
    pub findings: Vec<FindingView>,
    /// How many more findings there are than `findings` shows.
    pub findings_more: usize,
    pub decisions: Vec<Decision>,
    pub decisions_more: usize,
    /// What changed in the period, counted by kind of change.
    pub change_counts: Vec<ChangeCount>,
    /// The changes (the first `CHANGES_SHOWN`).
    pub changes: Vec<Change>,
    pub changes_more: usize,
    pub top_risks: Vec<RiskRow>,
    /// Risks above the appetite's ceiling, escalated beyond the project.
    pub escalations: Vec<EscalationRow>,
    pub deadlines: Vec<Deadline>,
    pub deadlines_more: usize,
    pub milestones: Vec<MilestoneView>,
    pub heatmap: Heatmap,
    /// The risk appetite the SRO agreed (`None`: none is agreed).
    pub appetite: Option<AppetiteView>,
    pub trend_points: Vec<Point>,
    /// The score bands' names, lowest first (the trend's `by_band`).
    pub bands: Vec<String>,
    /// Three to five lines on what changed in the period, in plain words.
    pub highlights: Vec<String>,
}

/// One point of the trend: the status, and how many open risks were above tolerance, on a
/// day (`rag` is `None` when the records were not valid then).
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub date: Date,
    /// The assurance currency that day; `None` when the records were not valid.
    pub rag: Option<Rag>,
    pub above_tolerance: u32,
    /// The open risks above tolerance, by score band (lowest band first).
    pub by_band: Vec<u32>,
}

#[derive(Debug, Serialize)]
pub struct ProjectView {
    pub name: String,
    pub organisation: String,
    pub description: String,
    pub lifecycle_stage: String,
    pub sro: Option<String>,
    pub classification: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Period {
    pub since: Date,
    pub until: Date,
    /// How the start was chosen, in words ("the board of 2026-10-29").
    pub since_label: String,
    /// The commits read for the start and the end (`None`: before any commit, or the working tree).
    pub since_commit: Option<String>,
    pub until_commit: Option<String>,
    /// How many commits changed the records during the period.
    pub commits: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// Assurance currency: whether the records are in date.
    pub overall: Rag,
    /// The risk position: open risks by band, and those above tolerance by how they are
    /// being dealt with.
    pub position: crate::rules::risks::Summary,
    pub as_of: Date,
    pub areas: Vec<AreaView>,
    pub red: usize,
    pub amber: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaView {
    pub id: &'static str,
    pub label: &'static str,
    pub rag: Rag,
    pub findings: usize,
}

#[derive(Debug, Serialize)]
pub struct FindingView {
    pub rule: &'static str,
    pub severity: &'static str,
    pub area: &'static str,
    pub message: String,
    pub remedy: Option<String>,
    pub due: Option<Date>,
    pub file: Option<String>,
    pub line: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct RuleCount {
    pub rule: Rule,
    pub summary: String,
    pub red: usize,
    pub amber: usize,
}

#[derive(Debug, Serialize)]
pub struct ChangeCount {
    pub what: crate::changes::What,
    /// In words, agreeing with the count: "risks re-scored", "risk re-scored".
    pub label: &'static str,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct Decision {
    /// What the SRO or board is asked to do, in plain words, naming what it is about.
    pub ask: String,
    /// Why, in plain words.
    pub why: String,
    /// Who decides: "Col Ada Okafor (SRO)", or "the SRO and the board".
    pub who: String,
    pub rule: Option<Rule>,
    pub due: Option<Date>,
    /// Its date has passed: it is overdue.
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct RiskRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub owner_name: String,
    pub response: &'static str,
    pub residual: u8,
    pub band: String,
    pub above_tolerance: bool,
    /// The residual score at the start of the period, if the risk existed then.
    pub residual_at_start: Option<u8>,
    /// `up`, `down`, `same` or `new`.
    pub trend: &'static str,
    /// The acceptance state in words: "accepted until 2027-04-30", "acceptance expired …", "none".
    pub acceptance: String,
    /// How busy the code it covers has been since its last review, in words ("the code it
    /// covers changed in 3 commits since its review on 2026-01-10"): a reason to review it.
    pub code_changes: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EscalationRow {
    pub id: String,
    pub title: String,
    pub residual: u8,
    pub ceiling: u8,
    pub to: String,
    pub date: Date,
    pub reference: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    /// What it is, stable across runs and edits of its wording (`review:risk:R-001`,
    /// `action:risk:R-001:A-1`): a calendar entry's identity.
    pub key: String,
    pub what: String,
    pub due: Date,
    /// Days from the evaluation day: negative when overdue.
    pub days: i64,
    pub overdue: bool,
    pub owner: Option<String>,
    /// The record it is about, when one record is.
    pub file: Option<String>,
    /// The field in that record that sets the date (JSON pointer), when one does.
    #[serde(skip)]
    pub pointer: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MilestoneView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub date: Date,
    pub days: i64,
    pub independent_review: String,
}

#[derive(Debug, Serialize)]
pub struct Heatmap {
    pub likelihood: Vec<String>,
    pub impact: Vec<String>,
    /// The score band of each cell, `[likelihood - 1][impact - 1]`, lowest band 0: for its
    /// colour.
    pub band: Vec<Vec<usize>>,
    /// Counts of open risks, `[likelihood - 1][impact - 1]`.
    pub now: Vec<Vec<u32>>,
    pub start: Option<Vec<Vec<u32>>>,
    /// The open risks in each cell now, by id.
    pub ids: Vec<Vec<Vec<String>>>,
    /// The appetite's tolerance and ceiling: the scores above them are drawn so.
    pub tolerance: Option<u8>,
    pub ceiling: Option<u8>,
    /// The open risks above their own tolerance (their category's, where it has one): marked
    /// in their cells, so that a risk above a stricter category tolerance is not read as
    /// within the overall one.
    pub above: Vec<String>,
    /// The categories whose tolerance differs from the overall one: (name, tolerance).
    pub category_tolerances: Vec<(String, u8)>,
    /// The cells that hold open risks, as a table reads them: the picture in words.
    pub listed: Vec<ListedCell>,
}

/// One cell of the heat map that holds open risks, in words.
#[derive(Debug, Serialize)]
pub struct ListedCell {
    /// "3 possible".
    pub likelihood: String,
    /// "4 major".
    pub impact: String,
    pub score: usize,
    /// "R-001 (above its tolerance), R-004".
    pub risks: String,
}

/// The cells of `ids` that hold risks, likelihood then impact, each risk above its own
/// tolerance (`above`) said so.
fn listed(
    scale: &crate::records::policy::Scale,
    ids: &[Vec<Vec<String>>],
    above: &[String],
) -> Vec<ListedCell> {
    let above: crate::hash::HashSet<&str> = above.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for (l, row) in ids.iter().enumerate() {
        for (i, cell) in row.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
            let risks: Vec<String> = cell
                .iter()
                .map(|id| {
                    if above.contains(id.as_str()) {
                        format!("{id} (above its tolerance)")
                    } else {
                        id.clone()
                    }
                })
                .collect();
            let label = |n: usize, labels: &[String]| {
                format!(
                    "{n} {}",
                    labels
                        .get(n - 1)
                        .map_or("", String::as_str)
                        .replace('_', " ")
                )
            };
            out.push(ListedCell {
                likelihood: label(l + 1, &scale.likelihood),
                impact: label(i + 1, &scale.impact),
                score: (l + 1) * (i + 1),
                risks: risks.join(", "),
            });
        }
    }
    out
}

/// The risk appetite the SRO agreed, for the board: what it tolerates, by category.
#[derive(Debug, Serialize)]
pub struct AppetiteView {
    pub tolerance: u8,
    pub ceiling: Option<u8>,
    pub categories: Vec<CategoryView>,
    /// The appetites this one sits within (title and version).
    pub parents: Vec<String>,
    pub agreed_on: Date,
}

#[derive(Debug, Serialize)]
pub struct CategoryView {
    /// In words: "supply chain".
    pub name: String,
    /// "averse", "minimal", "cautious", "open" or "eager"; empty when not stated.
    pub level: String,
    pub tolerance: u8,
    pub description: String,
}

/// The appetite of `set`, for the board.
fn appetite_view(set: &RecordSet) -> Option<AppetiteView> {
    let a = set.appetite.as_ref()?;
    Some(AppetiteView {
        tolerance: a.tolerance,
        ceiling: a.ceiling,
        categories: a
            .categories
            .iter()
            .map(|c| CategoryView {
                name: c.name.replace('_', " "),
                level: c.level.map(|l| l.as_str().to_owned()).unwrap_or_default(),
                tolerance: c.tolerance.unwrap_or(a.tolerance),
                description: c.description.clone().unwrap_or_default(),
            })
            .collect(),
        parents: a
            .parents
            .iter()
            .map(|p| format!("{} (version {})", p.title.trim(), p.version))
            .collect(),
        agreed_on: a.agreed_on,
    })
}

/// The start of the period as asked for (`--since`).
#[derive(Debug, Clone)]
pub enum Since {
    /// A day: the last commit on or before it.
    Day(Date),
    /// A revision.
    Revision(Revision),
}

/// Where the period starts.
pub enum Start {
    /// A revision given with --since.
    Commit(Oid, Date, String),
    /// A day: the last commit on or before it.
    Day(Date, String),
}

impl Start {
    /// The start asked for, else the latest board meeting on or before `as_of`, else one
    /// board cadence before it.
    pub fn choose(since: Option<&Since>, set: &RecordSet, as_of: Date) -> Start {
        match since {
            Some(Since::Day(day)) => Start::Day(*day, "as asked".to_owned()),
            Some(Since::Revision(rev)) => {
                Start::Commit(rev.commit, rev.day, format!("at {}", rev.spec))
            }
            None => match crate::records::latest(&set.boards, as_of) {
                Some(b) => Start::Day(b.date, format!("the {} of {}", b.board, b.date)),
                None => Start::Day(
                    set.policy.board_cadence.before(as_of),
                    format!("no board recorded; the last {}", set.policy.board_cadence),
                ),
            },
        }
    }
}

/// Everything `build` reads.
pub struct Inputs<'a> {
    pub repo: &'a Repository,
    pub dir: &'a str,
    /// The records, status and witness at the end of the period.
    pub now: &'a Evaluated,
    /// The commit the end of the period was read at; `None` for the working tree (history
    /// is then read from HEAD).
    pub until_commit: Option<Oid>,
    pub start: Start,
    /// Today's classification limit: records at any revision are held to it.
    pub limit: crate::records::Classification,
    /// Told what is being done and how far it has got (`reading history`, commits read;
    /// `working out the trend`, points done of the total), for a progress display.
    pub progress: &'a mut dyn FnMut(&str, usize, Option<usize>),
}

/// How many open risks are above their tolerance. Counts, not sums: scores are ordinal.
pub fn above_tolerance(set: &RecordSet) -> u32 {
    let count = set
        .risks
        .iter()
        .filter(|r| r.is_open() && is_above_tolerance(set, r))
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// The open risks above tolerance, by score band of `set`'s scale, lowest band first.
fn above_by_band(set: &RecordSet) -> Vec<u32> {
    let scale = &set.policy.scale;
    let mut counts = vec![0u32; scale.bands.len()];
    for r in set
        .risks
        .iter()
        .filter(|r| r.is_open() && is_above_tolerance(set, r))
    {
        if let Some(n) = counts.get_mut(scale.band_index(r.residual.value())) {
            *n += 1;
        }
    }
    counts
}

/// The open risks in each cell of the heat map, by id.
fn heat_ids(set: &RecordSet) -> Vec<Vec<Vec<String>>> {
    let scale = &set.policy.scale;
    let mut grid = vec![vec![Vec::new(); scale.impact.len()]; scale.likelihood.len()];
    for r in set.risks.iter().filter(|r| r.is_open()) {
        let (l, i) = (
            usize::from(r.residual.likelihood),
            usize::from(r.residual.impact),
        );
        if let Some(cell) = grid
            .get_mut(l.wrapping_sub(1))
            .and_then(|row: &mut Vec<Vec<String>>| row.get_mut(i.wrapping_sub(1)))
        {
            cell.push(r.id.clone());
        }
    }
    grid
}

fn status_view(status: &Status) -> StatusView {
    StatusView {
        overall: status.overall,
        position: status.position.clone(),
        as_of: status.as_of,
        areas: status
            .areas
            .iter()
            .map(|(area, rag)| AreaView {
                id: area.as_str(),
                label: area.label(),
                rag: *rag,
                findings: status.count_in(*area),
            })
            .collect(),
        red: status.count_of(Severity::Red),
        amber: status.count_of(Severity::Amber),
    }
}

fn finding_view(f: &Finding, plain: &Plain) -> FindingView {
    FindingView {
        rule: f.code.as_str(),
        severity: f.severity.as_str(),
        area: f.area.map_or("records", |a| a.label()),
        message: plain.words(&f.message),
        remedy: f.hint.as_deref().map(|h| plain.words(h)),
        due: f.due,
        file: f.location.file.clone(),
        line: f.location.position.map(|p| p.line),
    }
}

fn heat(set: &RecordSet) -> Vec<Vec<u32>> {
    let scale = &set.policy.scale;
    let mut grid = vec![vec![0u32; scale.impact.len()]; scale.likelihood.len()];
    for r in set.risks.iter().filter(|r| r.is_open()) {
        let (l, i) = (
            usize::from(r.residual.likelihood),
            usize::from(r.residual.impact),
        );
        if let Some(cell) = grid
            .get_mut(l.wrapping_sub(1))
            .and_then(|row| row.get_mut(i.wrapping_sub(1)))
        {
            *cell += 1;
        }
    }
    grid
}

fn is_above_tolerance(set: &RecordSet, risk: &crate::records::Risk) -> bool {
    set.limits(risk)
        .is_some_and(|(tolerance, _)| risk.residual.value() > tolerance)
}

/// Build the pack.
pub fn build(inputs: Inputs<'_>) -> Result<Pack> {
    let Inputs {
        repo,
        dir,
        now,
        until_commit,
        start,
        limit,
        progress,
    } = inputs;
    let witness = &now.witness;
    let status_now = now.status.as_ref().ok_or_else(|| {
        Error::usage(
            "the records are not valid, so no board pack can be made",
            "fix them first: assure check shows every problem",
        )
    })?;
    let set = &now.loaded.records;
    let as_of = now.as_of;

    // The first-parent line of history back to the start of the period.
    let head = until_commit.or_else(|| crate::git::head(repo));
    let (since, since_label, explicit_start) = match &start {
        Start::Commit(id, day, label) => (*day, label.clone(), Some(*id)),
        Start::Day(day, label) => (*day, label.clone(), None),
    };
    if since > as_of {
        return Err(Error::usage(
            format!("the period would start on {since}, after it ends on {as_of}"),
            "give a --since that is on or before --as-of (or the day of --until)",
        ));
    }
    let steps = match head {
        Some(head) => {
            let stop = |id: Oid, day: Date| match explicit_start {
                Some(start) => id == start,
                None => day <= since,
            };
            history::first_parent_line(repo, head, dir, &stop, &mut |n| {
                progress("reading history", n, None)
            })?
        }
        None => Vec::new(),
    };
    // The start: the explicit revision, or the newest commit on or before `since`.
    let start_index = match explicit_start {
        Some(id) => steps.iter().position(|s| s.id == id),
        None => steps.iter().rposition(|s| s.day <= since),
    };
    if let (Some(id), None) = (explicit_start, start_index) {
        return Err(Error::usage(
            format!(
                "--since {} is not on the first-parent history of the end of the period",
                short(id)
            ),
            "give a commit on the main line, or a date",
        ));
    }
    let mut snapshots = Snapshots::new(repo, dir, limit);
    let past_witness = witness.intrinsic();
    let evaluate_at = |snapshots: &mut Snapshots<'_>,
                       commit: Oid,
                       day: Date|
     -> Result<(Option<Loaded>, Option<Status>)> {
        let Some(loaded) = snapshots.at(commit)? else {
            return Ok((None, None));
        };
        let status = loaded
            .is_valid()
            .then(|| rules::evaluate(&loaded.records, day, &past_witness));
        Ok((Some(loaded), status))
    };
    let (start_loaded, start_status) = match start_index {
        Some(i) => evaluate_at(&mut snapshots, steps[i].id, since)?,
        None => (None, None),
    };
    let start_set = start_loaded.as_ref().map(|l| &l.records);

    // Trend: the start, each commit that changed the records (at most MAX_TREND_POINTS,
    // evenly spread), and now.
    let changed: Vec<&Step> = steps
        .iter()
        .enumerate()
        .filter(|(i, s)| s.changed && start_index.is_none_or(|start| *i > start))
        .map(|(_, s)| s)
        .collect();
    let mut points = Vec::new();
    if let Some(start_set) = start_set {
        points.push(Point {
            date: since,
            rag: start_status.as_ref().map(|s| s.overall),
            above_tolerance: above_tolerance(start_set),
            by_band: above_by_band(start_set),
        });
    }
    let budget = MAX_TREND_POINTS.saturating_sub(2).max(1);
    let chosen: Vec<&Step> = if changed.len() <= budget {
        changed.clone()
    } else {
        (0..budget)
            .map(|k| changed[k * (changed.len() - 1) / (budget - 1).max(1)])
            .collect()
    };
    let total = chosen.len();
    for (done, step) in chosen.into_iter().enumerate() {
        progress("working out the trend", done + 1, Some(total));
        // The end of the period given as a commit is a point on its own day too: the change
        // it made shows when it was made, not only on the day the pack is as of.
        let (loaded, status) = evaluate_at(&mut snapshots, step.id, step.day)?;
        if let Some(loaded) = loaded {
            points.push(Point {
                date: step.day,
                rag: status.map(|s| s.overall),
                above_tolerance: above_tolerance(&loaded.records),
                by_band: above_by_band(&loaded.records),
            });
        }
    }
    points.push(Point {
        date: as_of,
        rag: Some(status_now.overall),
        above_tolerance: above_tolerance(set),
        by_band: above_by_band(set),
    });
    // Commits dated after the evaluation day are not part of the picture.
    points.retain(|p| p.date <= as_of);
    points.sort_by_key(|p| p.date);
    // One point per day: the latest state of the day.
    points.dedup_by(|later, earlier| {
        if later.date == earlier.date {
            *earlier = later.clone();
            true
        } else {
            false
        }
    });

    let nothing = Loaded::default();
    let changes = changes::compare(start_loaded.as_ref().unwrap_or(&nothing), &now.loaded);
    let trend = match &start_status {
        None => "new",
        Some(s) if s.overall < status_now.overall => "worse",
        Some(s) if s.overall > status_now.overall => "better",
        Some(_) => "same",
    };

    let scale = &set.policy.scale;
    let ids = heat_ids(set);
    let above: Vec<String> = set
        .risks
        .iter()
        .filter(|r| r.is_open() && is_above_tolerance(set, r))
        .map(|r| r.id.clone())
        .collect();
    let heatmap = Heatmap {
        listed: listed(scale, &ids, &above),
        likelihood: scale.likelihood.clone(),
        impact: scale.impact.clone(),
        band: (1..=scale.likelihood.len())
            .map(|l| {
                (1..=scale.impact.len())
                    .map(|i| scale.band_index(u8::try_from(l * i).unwrap_or(u8::MAX)))
                    .collect()
            })
            .collect(),
        now: heat(set),
        start: start_set.map(heat),
        ids,
        tolerance: set.appetite.as_ref().map(|a| a.tolerance),
        ceiling: set.appetite.as_ref().and_then(|a| a.ceiling),
        above,
        category_tolerances: set.appetite.as_ref().map_or_else(Vec::new, |a| {
            a.categories
                .iter()
                .filter_map(|c| Some((c.name.replace('_', " "), c.tolerance?)))
                .filter(|(_, t)| *t != a.tolerance)
                .collect()
        }),
    };

    let signoffs = SignOffs::new(set, as_of, witness);
    // Everything the pack says is in plain words: names, not ids; no commands or digests.
    let plain = Plain::new(set, as_of);
    let (findings, findings_more) = capped(
        status_now
            .findings
            .iter()
            .map(|f| finding_view(f, &plain))
            .collect(),
        FINDINGS_SHOWN,
    );
    let (decisions, decisions_more) = capped(
        decisions(set, status_now, &signoffs, as_of, &plain),
        DECISIONS_SHOWN,
    );
    let change_counts = change_counts(&changes);
    let highlights = highlights(&change_counts);
    let (mut changes, changes_more) = capped(changes, CHANGES_SHOWN);
    for c in &mut changes {
        c.text = plain.words(&c.text);
    }
    let (mut deadlines, deadlines_more) = capped(
        deadlines(set, status_now, &signoffs, as_of),
        DEADLINES_SHOWN,
    );
    for d in &mut deadlines {
        d.what = plain.words(&d.what);
        d.owner = d.owner.as_deref().map(|o| plain.name(o));
    }
    Ok(Pack {
        tool_version: env!("CARGO_PKG_VERSION"),
        marking: {
            let mut marking = set.marking();
            if let Some(start) = start_set {
                marking.merge(&start.marking());
            }
            marking.to_string()
        },
        project: project_view(set, as_of),
        as_of,
        period: Period {
            since,
            until: as_of,
            since_label: plain.words(&since_label),
            since_commit: start_index.map(|i| steps[i].id.to_string()),
            until_commit: until_commit.map(|c| c.to_string()),
            commits: changed.len(),
        },
        status: status_view(status_now),
        status_at_start: start_status.as_ref().map(status_view),
        trend,
        findings_by_rule: by_rule(status_now, &plain),
        findings,
        findings_more,
        decisions,
        decisions_more,
        change_counts,
        changes,
        changes_more,
        top_risks: top_risks(set, start_set, &signoffs, &now.busy),
        escalations: escalations(set),
        deadlines,
        deadlines_more,
        milestones: set
            .milestones()
            .iter()
            .filter(|m| m.date >= as_of)
            .map(|m| MilestoneView {
                id: m.id.clone(),
                name: m.name.clone(),
                kind: m.kind.as_str().to_owned(),
                date: m.date,
                days: rules::days_between(as_of, m.date),
                independent_review: m.independent_review.as_str().to_owned(),
            })
            .collect(),
        heatmap,
        appetite: appetite_view(set),
        trend_points: points,
        bands: set
            .policy
            .scale
            .bands
            .iter()
            .map(|b| b.label().to_owned())
            .collect(),
        highlights,
    })
}

/// The first `shown` items, and how many more there were.
fn capped<T>(mut items: Vec<T>, shown: usize) -> (Vec<T>, usize) {
    let more = items.len().saturating_sub(shown);
    items.truncate(shown);
    (items, more)
}

fn by_rule(status: &Status, plain: &Plain) -> Vec<RuleCount> {
    let count = |rule: Rule, severity: Severity| {
        status
            .findings
            .iter()
            .filter(|f| f.code.rule() == Some(rule) && f.severity == severity)
            .count()
    };
    let mut counts: Vec<RuleCount> = Rule::ALL
        .iter()
        .map(|&rule| RuleCount {
            rule,
            summary: plain.words(rule.summary()),
            red: count(rule, Severity::Red),
            amber: count(rule, Severity::Amber),
        })
        .filter(|c| c.red + c.amber > 0)
        .collect();
    counts.sort_by_key(|c| std::cmp::Reverse((c.red, c.amber)));
    counts
}

fn change_counts(changes: &[Change]) -> Vec<ChangeCount> {
    let mut counts: std::collections::BTreeMap<crate::changes::What, usize> = Default::default();
    for c in changes {
        *counts.entry(c.what).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(what, count)| ChangeCount {
            what,
            label: what.label(count),
            count,
        })
        .collect()
}

fn project_view(set: &RecordSet, as_of: Date) -> ProjectView {
    let sro = set
        .all_people()
        .iter()
        .find(|p| p.holds(crate::records::Role::Sro, as_of))
        .map(|p| p.name.clone());
    match &set.project {
        Some(p) => ProjectView {
            name: p.name.clone(),
            organisation: p.organisation.clone(),
            description: p.description.clone(),
            lifecycle_stage: p.lifecycle_stage.as_str().to_owned(),
            sro,
            classification: p.max_classification().as_str(),
        },
        None => ProjectView {
            name: "assurance".to_owned(),
            organisation: String::new(),
            description: String::new(),
            lifecycle_stage: String::new(),
            sro,
            classification: "OFFICIAL",
        },
    }
}

/// The open risks above the ceiling that have been escalated, highest first.
fn escalations(set: &RecordSet) -> Vec<EscalationRow> {
    let Some(ceiling) = set.appetite.as_ref().and_then(|a| a.ceiling) else {
        return Vec::new();
    };
    let mut rows: Vec<EscalationRow> = set
        .risks
        .iter()
        .filter(|r| r.is_open() && r.residual.value() > ceiling)
        .filter_map(|r| {
            let e = r.escalation.as_ref()?;
            Some(EscalationRow {
                id: r.id.clone(),
                title: r.title.clone(),
                residual: r.residual.value(),
                ceiling,
                to: e.to.clone(),
                date: e.date,
                reference: e.reference.clone(),
            })
        })
        .collect();
    rows.sort_by(|a, b| b.residual.cmp(&a.residual).then_with(|| a.id.cmp(&b.id)));
    rows
}

/// What the SRO and board are asked to decide: each once (a risk that needs accepting is
/// one decision, whichever rules ask for it), in plain words, with who and by when.
fn decisions(
    set: &RecordSet,
    status: &Status,
    signoffs: &SignOffs<'_>,
    as_of: Date,
    plain: &Plain,
) -> Vec<Decision> {
    let sro = set
        .sro(as_of)
        .map_or_else(|| "the SRO".to_owned(), |p| plain.name(&p.id));
    let risk_named = |id: &str| match set.risk(id) {
        Some(r) => format!("risk {id} ({})", r.title),
        None => format!("risk {id}"),
    };
    // (what it is about, the decision)
    let mut out: Vec<(String, Decision)> = Vec::new();
    // Acceptances that lapse before the next board (or have lapsed), on open risks.
    let horizon = set.policy.board_cadence.after(as_of);
    for standing in signoffs.standings.iter().filter(|s| !s.superseded) {
        let s = standing.record;
        let (SignOffType::RiskAcceptance, Some(expires), Subject::Risk(risk)) =
            (s.kind, s.expires, &s.subject)
        else {
            continue;
        };
        if expires > horizon || set.risk(risk).is_none_or(|r| !r.is_open()) {
            continue;
        }
        let when = if expires < as_of {
            format!("The acceptance expired on {expires}.")
        } else {
            format!("The acceptance expires on {expires}, before the next board.")
        };
        out.push((
            format!("risk:{risk}"),
            Decision {
                ask: format!("Renew, or end, the acceptance of {}", risk_named(risk)),
                why: when,
                who: sro.clone(),
                rule: Some(Rule::Sign3),
                due: Some(expires),
                overdue: false,
            },
        ));
    }
    for f in &status.findings {
        let Some(rule) = f.code.rule() else { continue };
        let id = f
            .record
            .as_ref()
            .and_then(|r| r.id.clone())
            .unwrap_or_default();
        // A sign-off's finding is about what it signs: one decision per subject.
        let signed = f
            .record
            .as_ref()
            .filter(|r| r.kind == "signoff")
            .and_then(|_| set.signoff(&id))
            .map(|s| s.subject.clone());
        let about = match (&signed, &f.record) {
            (Some(subject), _) => subject.to_string(),
            (None, Some(r)) => format!("{}:{}", r.kind, r.id.as_deref().unwrap_or_default()),
            (None, None) => rule.id().to_owned(),
        };
        let (ask, who) = match rule {
            Rule::Assess4 => (
                format!("Approve the report of assessment {id}"),
                sro.clone(),
            ),
            Rule::Risk2 | Rule::Risk3 => (
                format!("Accept {}, or direct its treatment", risk_named(&id)),
                sro.clone(),
            ),
            Rule::Risk4 => (
                format!(
                    "Escalate {} to {}",
                    risk_named(&id),
                    set.appetite.as_ref().map_or_else(
                        || "the owner of the parent risk appetite".to_owned(),
                        |a| a.escalate_to()
                    )
                ),
                sro.clone(),
            ),
            Rule::Sign5 => (
                "Reconfirm, or end, the previous SRO's acceptances".to_owned(),
                sro.clone(),
            ),
            Rule::Gov4 => ("Agree or review the risk appetite".to_owned(), sro.clone()),
            // Asked for but not done, or not yet decided.
            Rule::Assess5 if f.message.contains("requested") => (
                "Chase the independent review requested for the milestone".to_owned(),
                format!("{sro} and the board"),
            ),
            Rule::Assess5 => (
                "Decide on an independent review before the milestone".to_owned(),
                format!("{sro} and the board"),
            ),
            Rule::Sign1 => match &signed {
                Some(Subject::Risk(risk)) => (
                    format!("Accept {} again as it now stands", risk_named(risk)),
                    sro.clone(),
                ),
                Some(Subject::Assessment(a)) => (
                    format!("Approve the report of assessment {a} again as it now stands"),
                    sro.clone(),
                ),
                Some(Subject::Appetite) => (
                    "Approve the risk appetite again as it now stands".to_owned(),
                    sro.clone(),
                ),
                None => (
                    "Approve again what changed after it was approved".to_owned(),
                    sro.clone(),
                ),
            },
            _ => continue,
        };
        // The ask names the risk: the reason need not name it again.
        let mut why = plain.words(&f.message);
        if let Some(r) = set.risk(&id) {
            why = why.replacen(&format!("risk {} ({}) ", r.id, r.title), "it ", 1);
        }
        let decision = Decision {
            ask,
            why: sentence(&why),
            who,
            rule: Some(rule),
            due: f.due,
            overdue: false,
        };
        // Once per subject: the most telling ask (a voided decision is taken again before
        // anything else), by the earliest date asked.
        match out.iter_mut().find(|(a, _)| *a == about) {
            Some((_, existing)) => {
                let due = match (decision.due, existing.due) {
                    (Some(new), Some(old)) => Some(new.min(old)),
                    (new, old) => new.or(old),
                };
                if rank(decision.rule) < rank(existing.rule) {
                    *existing = decision;
                }
                existing.due = due;
            }
            None => out.push((about, decision)),
        }
    }
    let mut out: Vec<Decision> = out
        .into_iter()
        .map(|(_, mut d)| {
            d.overdue = d.due.is_some_and(|due| due < as_of);
            d
        })
        .collect();
    // The weightiest first: an escalation beyond the project, then what is overdue, then
    // by date (undated last).
    out.sort_by_key(|d| {
        (
            d.rule != Some(Rule::Risk4),
            !d.overdue,
            d.due.is_none(),
            d.due,
        )
    });
    out
}

/// Which decision on one subject to ask for, lowest first: taking a voided decision again
/// answers the others.
fn rank(rule: Option<Rule>) -> u8 {
    match rule {
        Some(Rule::Sign1) => 0,
        Some(Rule::Risk4) => 1,
        Some(Rule::Risk2 | Rule::Risk3) => 2,
        _ => 3,
    }
}

/// `text` as a sentence: a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Three to five lines on what changed in the period, most telling first.
fn highlights(counts: &[ChangeCount]) -> Vec<String> {
    use crate::changes::What::*;
    // The kinds of change a board asks about, in the order it asks.
    let order = [
        SignoffInvalidated,
        ControlRemoved,
        RiskOpened,
        RiskClosed,
        RiskRescored,
        RiskReopened,
        ActionCompleted,
        ActionSlipped,
        AssessmentAdded,
        EventAdded,
        SignoffAdded,
        AppetiteChanged,
        AppetiteAdded,
        BoardAdded,
        PersonJoined,
        PersonLeft,
        ActionAdded,
    ];
    let mut lines: Vec<String> = order
        .iter()
        .filter_map(|what| counts.iter().find(|c| c.what == *what))
        .map(|c| sentence(&format!("{} {}", c.count, c.label)))
        .take(5)
        .collect();
    if lines.is_empty() && !counts.is_empty() {
        lines.push(sentence(&format!(
            "{} other changes to the records",
            counts.iter().map(|c| c.count).sum::<usize>()
        )));
    }
    lines
}

fn top_risks(
    set: &RecordSet,
    start: Option<&RecordSet>,
    signoffs: &SignOffs<'_>,
    busy: &[crate::covered::Busy],
) -> Vec<RiskRow> {
    let mut open: Vec<_> = set.risks.iter().filter(|r| r.is_open()).collect();
    open.sort_by(|a, b| {
        b.residual
            .value()
            .cmp(&a.residual.value())
            .then_with(|| a.id.cmp(&b.id))
    });
    open.into_iter()
        .take(TOP_RISKS)
        .map(|r| {
            let before = start
                .and_then(|s| s.risk(&r.id))
                .map(|old| old.residual.value());
            let subject = Subject::Risk(r.id.clone());
            let acceptance = match signoffs.valid(&subject, SignOffType::RiskAcceptance) {
                Some(valid) => match valid.record.expires {
                    Some(e) => format!("accepted until {e}"),
                    None => "accepted".to_owned(),
                },
                None => match signoffs.why_not(set, &subject, SignOffType::RiskAcceptance) {
                    Some(why) => why,
                    None if r.response == Response::Tolerate => "none".to_owned(),
                    None if is_above_tolerance(set, r) => {
                        let treated = r.response == Response::Treat
                            && r.actions.iter().any(|a| a.status == ActionStatus::Open);
                        if treated {
                            "none; being treated".to_owned()
                        } else {
                            "none".to_owned()
                        }
                    }
                    None => "not needed".to_owned(),
                },
            };
            let now = r.residual.value();
            let code_changes = busy.iter().find(|b| b.id == r.id).map(|b| {
                format!(
                    "the code it covers changed in {} commit{} since its review on {}",
                    b.commits,
                    if b.commits == 1 { "" } else { "s" },
                    b.since
                )
            });
            RiskRow {
                code_changes,
                id: r.id.clone(),
                title: r.title.clone(),
                owner: r.owner.clone(),
                owner_name: set
                    .person(&r.owner)
                    .map_or_else(|| r.owner.clone(), |p| p.name.clone()),
                response: r.response.as_str(),
                residual: now,
                band: set.policy.scale.band(now).label().to_owned(),
                above_tolerance: is_above_tolerance(set, r),
                residual_at_start: before,
                trend: match before {
                    None => "new",
                    Some(b) if b < now => "up",
                    Some(b) if b > now => "down",
                    Some(_) => "same",
                },
                acceptance,
            }
        })
        .collect()
}

/// The decisions the SRO (or the board) is asked to take on `as_of`, in plain words.
pub fn decisions_owed(
    set: &RecordSet,
    status: &Status,
    signoffs: &SignOffs<'_>,
    as_of: Date,
) -> Vec<Decision> {
    decisions(set, status, signoffs, as_of, &Plain::new(set, as_of))
}

/// What is overdue or falls due in the next `LOOK_AHEAD`, for evaluated records (nothing
/// when they are not valid).
pub fn upcoming(evaluated: &Evaluated) -> Vec<Deadline> {
    let Some(status) = &evaluated.status else {
        return Vec::new();
    };
    let set = &evaluated.loaded.records;
    let signoffs = SignOffs::new(set, evaluated.as_of, &evaluated.witness);
    deadlines(set, status, &signoffs, evaluated.as_of)
}

/// Overdue items, and what falls due in the next `LOOK_AHEAD`.
pub fn deadlines(
    set: &RecordSet,
    status: &Status,
    signoffs: &SignOffs<'_>,
    as_of: Date,
) -> Vec<Deadline> {
    due_dates(set, status, signoffs, as_of, Some(LOOK_AHEAD.after(as_of)))
}

/// Every date something falls due on, as the records stand on `as_of` (up to `horizon`
/// when given): reviews, actions, assessments, board updates, acceptances expiring and
/// what only the rules know, earliest first.
pub fn due_dates(
    set: &RecordSet,
    status: &Status,
    signoffs: &SignOffs<'_>,
    as_of: Date,
    horizon: Option<Date>,
) -> Vec<Deadline> {
    let policy = &set.policy;
    let mut out = Vec::new();
    let mut push = |key: String,
                    what: String,
                    due: Date,
                    owner: Option<&str>,
                    (file, pointer): (Option<&str>, Option<String>)| {
        if horizon.is_none_or(|h| due <= h) {
            let days = rules::days_between(as_of, due);
            out.push(Deadline {
                pointer,
                key,
                what,
                due,
                days,
                overdue: days < 0,
                owner: owner.map(str::to_owned),
                file: file.map(str::to_owned),
            });
        }
    };
    for r in set.risks.iter().filter(|r| r.is_open()) {
        push(
            format!("review:risk:{}", r.id),
            format!("review of risk {}: {}", r.id, r.title),
            rules::review_due(set, r, as_of).date,
            Some(&r.owner),
            (
                Some(&r.file),
                Some(
                    if r.review_by.is_some() {
                        "/review_by"
                    } else {
                        "/last_reviewed"
                    }
                    .to_owned(),
                ),
            ),
        );
        for (i, a) in r
            .actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.status == ActionStatus::Open)
        {
            push(
                format!("action:risk:{}:{}", r.id, a.id),
                format!("action {} on risk {}: {}", a.id, r.id, a.title),
                a.due,
                Some(&a.owner),
                (Some(&r.file), Some(format!("/actions/{i}/due"))),
            );
        }
    }
    for assessment in &set.assessments {
        for (i, a) in assessment
            .actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.status == ActionStatus::Open)
        {
            push(
                format!("action:assessment:{}:{}", assessment.id, a.id),
                format!(
                    "action {} from assessment {}: {}",
                    a.id, assessment.id, a.title
                ),
                a.due,
                Some(&a.owner),
                (Some(&assessment.file), Some(format!("/actions/{i}/due"))),
            );
        }
    }
    if let Some(latest) = crate::records::latest_where(
        &set.assessments,
        as_of,
        crate::records::Assessment::is_full_self_assessment,
    ) {
        push(
            "assessment".to_owned(),
            "the next self-assessment of the whole service".to_owned(),
            policy.assessment_interval.after(latest.date),
            None,
            (None, None),
        );
    }
    if let Some(board) = crate::records::latest(&set.boards, as_of) {
        push(
            "board".to_owned(),
            "the next board security update".to_owned(),
            policy.board_cadence.after(board.date),
            None,
            (None, None),
        );
    }
    if let Some(appetite) = &set.appetite {
        push(
            "review:appetite".to_owned(),
            "the risk appetite review".to_owned(),
            policy.appetite_review.after(appetite.last_reviewed),
            None,
            (None, None),
        );
    }
    for standing in signoffs.standings.iter().filter(|s| !s.superseded) {
        let s = standing.record;
        if let (SignOffType::RiskAcceptance, Some(expires), Subject::Risk(risk)) =
            (s.kind, s.expires, &s.subject)
            && set.risk(risk).is_some_and(|r| r.is_open())
        {
            push(
                format!("expiry:signoff:{}", s.id),
                format!("the acceptance of risk {risk} ({}) expires", s.id),
                expires,
                Some(&s.signed_by),
                (Some(&s.file), Some("/expires".to_owned())),
            );
        }
    }
    for r in crate::rules::signoffs::reconfirmations(set, signoffs, as_of) {
        let s = r.standing.record;
        push(
            format!("reconfirm:signoff:{}", s.id),
            format!(
                "{} reconfirms the acceptance of {} ({}) signed by the previous SRO",
                r.sro.name, s.subject, s.id
            ),
            r.due,
            Some(&r.sro.id),
            (Some(&s.file), None),
        );
    }
    // What only the rules know: assessments after events, approvals, milestone reviews.
    for f in status.findings.iter().filter(|f| {
        matches!(
            f.code.rule(),
            Some(Rule::Assess3 | Rule::Assess4 | Rule::Assess5)
        )
    }) {
        if let Some(due) = f.due {
            let record = f.record.as_ref().map(|r| r.id.as_deref().unwrap_or(r.kind));
            let key = [Some(f.code.as_str()), record, f.subject.as_deref()]
                .into_iter()
                .flatten()
                .fold("rule".to_owned(), |key, part| format!("{key}:{part}"));
            push(
                key,
                f.message.clone(),
                due,
                None,
                (f.location.file.as_deref(), f.location.pointer.clone()),
            );
        }
    }
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.what.cmp(&b.what)));
    out
}
