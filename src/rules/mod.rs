//! The rules engine: valid records and a date in, findings and a RAG status out.
//!
//! One module per area, each rule a function. A rule reads records through `Context` and
//! pushes findings; it never prints. Results depend only on (records, date, policy).

mod actions;
mod assessments;
mod governance;
mod reporting;
pub mod risks;
pub use risks::review_due;
pub mod signoffs;

use crate::dates::Date;
use crate::finding::{self, Area, Finding, Severity};
use crate::records::{Policy, RecordSet, SignOffType, Subject};
use crate::witness::Witness;
use signoffs::SignOffs;

named! {
    /// RAG status, ordered from best to worst.
    #[derive(PartialOrd, Ord)]
    pub enum Rag {
        Green = "green",
        Amber = "amber",
        Red = "red",
    }
}

impl Rag {
    pub fn upper(self) -> &'static str {
        match self {
            Rag::Green => "GREEN",
            Rag::Amber => "AMBER",
            Rag::Red => "RED",
        }
    }

    fn of(severity: Severity) -> Rag {
        match severity {
            Severity::Amber => Rag::Amber,
            Severity::Red | Severity::Error => Rag::Red,
        }
    }
}

/// The outcome of evaluating every rule.
#[derive(Debug, Clone)]
pub struct Status {
    pub as_of: Date,
    /// Assurance currency: whether the records are in date (the worst area).
    pub overall: Rag,
    pub areas: Vec<(Area, Rag)>,
    /// Worst first, then by due date.
    pub findings: Vec<Finding>,
    /// The risk position: open risks by band, and those above tolerance by how they are
    /// being dealt with. The other headline, beside the currency.
    pub position: risks::Summary,
}

impl Status {
    /// With one more finding, found outside the rules (a pull request's): the areas and the
    /// overall status follow it.
    pub fn add(&mut self, finding: Finding) {
        let mut findings = std::mem::take(&mut self.findings);
        findings.push(finding);
        *self = status(self.as_of, findings, self.position.clone());
    }

    pub fn area(&self, area: Area) -> Rag {
        self.areas
            .iter()
            .find(|(a, _)| *a == area)
            .map_or(Rag::Green, |(_, r)| *r)
    }

    /// How many findings are in `area`.
    pub fn count_in(&self, area: Area) -> usize {
        self.findings
            .iter()
            .filter(|f| f.area == Some(area))
            .count()
    }

    /// How many findings are of `severity`.
    pub fn count_of(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// What every rule reads.
pub struct Context<'a> {
    pub set: &'a RecordSet,
    pub as_of: Date,
    pub policy: &'a Policy,
    pub signoffs: SignOffs<'a>,
    /// The repository's files, when known: what records' `paths` can match (GOV-7).
    pub files: Option<&'a [String]>,
}

/// When something falls due, relative to the evaluation date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// Past due by this many days (at least one).
    Overdue(i64),
    /// Due within the `due_soon` window, in this many days (zero: due today).
    DueSoon(i64),
    InDate,
}

pub fn days_between(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days())
}

impl Timing {
    /// Red once late, amber when due soon, nothing while in date: how most rules grade a
    /// date.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Timing::Overdue(_) => Some(Severity::Red),
            Timing::DueSoon(_) => Some(Severity::Amber),
            Timing::InDate => None,
        }
    }

    /// "was" once late, else "is": "the review was due on …", "is due on …".
    pub fn tense(self) -> &'static str {
        if self.is_overdue() { "was" } else { "is" }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Timing::Overdue(_))
    }
}

impl Context<'_> {
    /// The `assure sign` command for the SRO in post to record a `kind` decision on `subject`.
    pub fn sign_command(&self, subject: &Subject, kind: SignOffType) -> String {
        signoffs::sign_command(subject, kind, signoffs::sro_id(self.set, self.as_of))
    }

    /// A field of the project record (`/milestones/0/date`), or nowhere without one.
    fn project_field(&self, pointer: &str) -> finding::Location {
        self.set
            .project
            .as_ref()
            .map_or_else(finding::Location::default, |p| {
                finding::Location::field(&*p.file, pointer)
            })
    }

    pub fn timing(&self, due: Date) -> Timing {
        if self.as_of > due {
            Timing::Overdue(days_between(due, self.as_of))
        } else if self.policy.due_soon.before(due) <= self.as_of {
            Timing::DueSoon(days_between(self.as_of, due))
        } else {
            Timing::InDate
        }
    }
}

/// "in 3 days", "today", "5 days ago".
pub fn relative(timing: Timing) -> String {
    match timing {
        Timing::Overdue(1) => "1 day ago".to_owned(),
        Timing::Overdue(d) => format!("{d} days ago"),
        Timing::DueSoon(0) => "today".to_owned(),
        Timing::DueSoon(1) => "tomorrow".to_owned(),
        Timing::DueSoon(d) => format!("in {d} days"),
        Timing::InDate => "later".to_owned(),
    }
}

/// Evaluate every rule on `set` as of `as_of`, with what git says of the sign-offs.
pub fn evaluate(set: &RecordSet, as_of: Date, witness: &Witness) -> Status {
    evaluate_with_files(set, as_of, witness, None)
}

/// As `evaluate`, knowing the repository's `files` (so that records' `paths` are checked).
pub fn evaluate_with_files(
    set: &RecordSet,
    as_of: Date,
    witness: &Witness,
    files: Option<&[String]>,
) -> Status {
    let cx = Context {
        set,
        as_of,
        policy: &set.policy,
        signoffs: SignOffs::new(set, as_of, witness),
        files,
    };
    // The areas are judged apart, risks and actions (most of the work) beside the rest (the
    // search of every text for placeholders the most of that) and the risk position, and
    // their findings put together in the same order as ever.
    let (mut findings, position) = std::thread::scope(|scope| {
        let cx = &cx;
        let others = scope.spawn(move || {
            let (mut governance, mut rest) = (Vec::new(), Vec::new());
            governance::check(cx, &mut governance);
            signoffs::check(cx, &mut rest);
            reporting::check(cx, &mut rest);
            (governance, rest, risks::summary(cx))
        });
        let mut findings = Vec::new();
        assessments::check(cx, &mut findings);
        risks::check(cx, &mut findings);
        actions::check(cx, &mut findings);
        let (governance, rest, position) = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // Each finding moved once, into a list made to fit them all.
        let mut all = Vec::with_capacity(governance.len() + findings.len() + rest.len());
        all.extend(governance);
        all.extend(findings);
        all.extend(rest);
        (all, position)
    });
    // Who owns each finding, and which action or milestone it is about, looked up on every
    // core: a hundred thousand findings take tens of milliseconds.
    let annotations = crate::parallel::map(&findings, |f| {
        let subject = action_of(set, f)
            .map(|a| a.id.clone())
            .or_else(|| milestone_of(set, f));
        (owner(set, f), subject)
    });
    for (f, (owner, subject)) in findings.iter_mut().zip(annotations) {
        f.owner = owner;
        f.subject = subject;
    }
    status(as_of, findings, position)
}

/// The milestone a project finding points into (`/milestones/1/…`), by id: so that each
/// milestone's finding keeps its identity (and its calendar entry) as others come and go.
fn milestone_of(set: &RecordSet, finding: &Finding) -> Option<String> {
    if finding.record.as_ref()?.kind != "project" {
        return None;
    }
    let index = finding
        .location
        .pointer
        .as_deref()?
        .strip_prefix("/milestones/")?
        .split('/')
        .next()?
        .parse::<usize>()
        .ok()?;
    set.milestones().get(index).map(|m| m.id.clone())
}

/// The action `finding` points into, if any.
fn action_of<'a>(set: &'a RecordSet, finding: &Finding) -> Option<&'a crate::records::Action> {
    let record = finding.record.as_ref()?;
    let id = record.id.as_deref()?;
    let index = finding
        .location
        .pointer
        .as_deref()
        .and_then(|p| p.strip_prefix("/actions/"))
        .and_then(|rest| rest.split('/').next())
        .and_then(|i| i.parse::<usize>().ok())?;
    let actions = match record.kind {
        "risk" => &set.risk(id)?.actions,
        "assessment" => &set.assessment(id)?.actions,
        _ => return None,
    };
    actions.get(index)
}

/// Who owns what `finding` is about: the owner of the action it points into, else of the
/// risk, else the signer of the sign-off.
fn owner(set: &RecordSet, finding: &Finding) -> Option<finding::Owner> {
    let record = finding.record.as_ref()?;
    let id = record.id.as_deref()?;
    let person = match (action_of(set, finding), record.kind) {
        (Some(action), _) => &action.owner,
        (None, "risk") => &set.risk(id)?.owner,
        (None, "signoff") => &set.signoff(id)?.signed_by,
        _ => return None,
    };
    Some(finding::Owner {
        id: person.clone(),
        name: set
            .person(person)
            .map_or_else(|| person.clone(), |p| p.name.clone()),
    })
}

/// Combine findings and the risk position into a status.
fn status(as_of: Date, mut findings: Vec<Finding>, position: risks::Summary) -> Status {
    // Worst first; then what falls due soonest; then a stable order.
    finding::sort_by(&mut findings, |a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.due.is_none().cmp(&b.due.is_none()))
            .then_with(|| a.due.cmp(&b.due))
            .then_with(|| a.sort_key().cmp(&b.sort_key()))
    });
    let areas: Vec<(Area, Rag)> = Area::ALL
        .iter()
        .map(|&area| {
            let worst = findings
                .iter()
                .filter(|f| f.area == Some(area))
                .map(|f| Rag::of(f.severity))
                .max()
                .unwrap_or(Rag::Green);
            (area, worst)
        })
        .collect();
    let overall = areas.iter().map(|(_, r)| *r).max().unwrap_or(Rag::Green);
    Status {
        as_of,
        overall,
        areas,
        findings,
        position,
    }
}

#[cfg(test)]
mod tests;
