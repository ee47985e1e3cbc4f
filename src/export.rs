//! The records as the tables and dates people keep elsewhere: the risk register and the
//! action plan (one row per risk, one per action) for a spreadsheet or a programme's own
//! register, and every due date for a calendar. The columns are a contract: `RISK_COLUMNS`
//! and `ACTION_COLUMNS` name them, in order, and the README documents each.

use crate::board::{Deadline, due_dates};
use crate::dates::Date;
use crate::evaluate::Evaluated;
use crate::records::{
    ActionStatus, Marked, Marking, Record, RecordSet, Risk, SignOffType, Subject,
};
use crate::rules::signoffs::SignOffs;

/// The risk register's columns, in order.
pub const RISK_COLUMNS: [&str; 33] = [
    "id",
    "title",
    "description",
    "category",
    "owner",
    "owner_name",
    "inherent_likelihood",
    "inherent_impact",
    "inherent_score",
    "inherent_band",
    "residual_likelihood",
    "residual_impact",
    "residual_score",
    "residual_band",
    "tolerance",
    "target_likelihood",
    "target_impact",
    "target_by",
    "response",
    "controls",
    "acceptance",
    "acceptance_expires",
    "identified",
    "last_reviewed",
    "review_by",
    "next_review",
    "status",
    "closed_on",
    "closed_reason",
    "escalated_to",
    "escalated_on",
    "escalation_reference",
    "marking",
];

/// The action plan's columns, in order.
pub const ACTION_COLUMNS: [&str; 10] = [
    "record",
    "id",
    "title",
    "owner",
    "owner_name",
    "due",
    "status",
    "done_on",
    "overdue",
    "marking",
];

/// The tables of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// The risk register: one row per risk.
    Risks,
    /// The action plan: one row per action, with the record it belongs to.
    Actions,
}

/// One cell: text, a whole number or a date (a spreadsheet keeps each as its own type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(u32),
    Date(Date),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn date(d: Option<Date>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }

    /// The cell as text, as a CSV file holds it.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// The register and the plan, as the records stand on a day.
#[derive(Debug)]
pub struct Tables {
    pub risks: Vec<Vec<Cell>>,
    pub actions: Vec<Vec<Cell>>,
    /// The marking of everything the tables hold.
    pub marking: Marking,
}

/// The marking of one record: OFFICIAL unless it carries its own.
fn marking_of(record: &impl Marked) -> Marking {
    let mut marking = Marking::default();
    marking.include(record.classification(), record.handling());
    marking
}

/// The risk register and the action plan of valid, evaluated records.
pub fn tables(evaluated: &Evaluated) -> Tables {
    let set = &evaluated.loaded.records;
    let signoffs = SignOffs::new(set, evaluated.as_of, &evaluated.witness);
    let mut risks: Vec<&Record<Risk>> = set.risks.iter().collect();
    risks.sort_by(|a, b| a.id.cmp(&b.id));
    let mut tables = Tables {
        risks: Vec::new(),
        actions: Vec::new(),
        marking: Marking::default(),
    };
    for risk in risks {
        let marking = marking_of(&**risk);
        tables.marking.merge(&marking);
        tables
            .risks
            .push(risk_row(set, &signoffs, risk, evaluated.as_of, &marking));
        for a in &risk.actions {
            tables.actions.push(action_row(
                set,
                &format!("risk:{}", risk.id),
                a,
                evaluated.as_of,
                &marking,
            ));
        }
    }
    for assessment in &set.assessments {
        let marking = marking_of(&**assessment);
        for a in &assessment.actions {
            tables.marking.merge(&marking);
            tables.actions.push(action_row(
                set,
                &format!("assessment:{}", assessment.id),
                a,
                evaluated.as_of,
                &marking,
            ));
        }
    }
    tables
}

fn name_of(set: &RecordSet, id: &str) -> String {
    set.person(id).map_or_else(String::new, |p| p.name.clone())
}

fn risk_row(
    set: &RecordSet,
    signoffs: &SignOffs<'_>,
    risk: &Record<Risk>,
    as_of: Date,
    marking: &Marking,
) -> Vec<Cell> {
    let scale = &set.policy.scale;
    let band = |score: u8| Cell::text(scale.band(score).label());
    let tolerance = match set.limits(risk) {
        None => "",
        Some((tolerance, _)) if risk.residual.value() > tolerance => "above",
        Some(_) => "within",
    };
    let acceptance = signoffs.valid(&Subject::Risk(risk.id.clone()), SignOffType::RiskAcceptance);
    let next_review = risk
        .is_open()
        .then(|| crate::rules::risks::review_due(set, risk, as_of).date);
    vec![
        Cell::text(&risk.id),
        Cell::text(&risk.title),
        Cell::text(risk.description.trim_end()),
        Cell::text(risk.category.clone().unwrap_or_default()),
        Cell::text(&risk.owner),
        Cell::text(name_of(set, &risk.owner)),
        Cell::Number(risk.inherent.likelihood.into()),
        Cell::Number(risk.inherent.impact.into()),
        Cell::Number(risk.inherent.value().into()),
        band(risk.inherent.value()),
        Cell::Number(risk.residual.likelihood.into()),
        Cell::Number(risk.residual.impact.into()),
        Cell::Number(risk.residual.value().into()),
        band(risk.residual.value()),
        Cell::text(tolerance),
        risk.target
            .as_ref()
            .map_or(Cell::Empty, |t| Cell::Number(t.likelihood.into())),
        risk.target
            .as_ref()
            .map_or(Cell::Empty, |t| Cell::Number(t.impact.into())),
        Cell::date(risk.target.as_ref().map(|t| t.by)),
        Cell::text(risk.response.as_str()),
        Cell::text(risk.controls.join("\n")),
        Cell::text(acceptance.map_or_else(String::new, |s| s.record.id.clone())),
        Cell::date(acceptance.and_then(|s| s.record.expires)),
        Cell::Date(risk.identified),
        Cell::Date(risk.last_reviewed),
        Cell::date(risk.review_by),
        Cell::date(next_review),
        Cell::text(risk.status.as_str()),
        Cell::date(risk.closed.as_ref().map(|c| c.date)),
        Cell::text(risk.closed.as_ref().map_or("", |c| c.reason.trim())),
        Cell::text(risk.escalation.as_ref().map_or("", |e| e.to.as_str())),
        Cell::date(risk.escalation.as_ref().map(|e| e.date)),
        Cell::text(
            risk.escalation
                .as_ref()
                .map_or("", |e| e.reference.as_str()),
        ),
        Cell::text(marking.to_string()),
    ]
}

fn action_row(
    set: &RecordSet,
    record: &str,
    a: &crate::records::Action,
    as_of: Date,
    marking: &Marking,
) -> Vec<Cell> {
    let open = a.status == ActionStatus::Open;
    vec![
        Cell::text(record),
        Cell::text(&a.id),
        Cell::text(&a.title),
        Cell::text(&a.owner),
        Cell::text(name_of(set, &a.owner)),
        Cell::Date(a.due),
        Cell::text(a.status.as_str()),
        Cell::date(a.done_on),
        Cell::text(if open && a.due < as_of { "yes" } else { "no" }),
        Cell::text(marking.to_string()),
    ]
}

/// Every date something falls due on, for a calendar: none when the records are not valid.
pub fn calendar(evaluated: &Evaluated) -> Vec<Deadline> {
    let Some(status) = &evaluated.status else {
        return Vec::new();
    };
    let set = &evaluated.loaded.records;
    let signoffs = SignOffs::new(set, evaluated.as_of, &evaluated.witness);
    let mut dates = due_dates(set, status, &signoffs, evaluated.as_of, None);
    // A calendar entry outlives the day it was written: no "in 12 days".
    for d in &mut dates {
        d.what = without_countdown(&d.what).to_owned();
    }
    dates
}

/// `text` without a trailing countdown (", in 12 days", ", 3 days ago", ", today").
pub fn without_countdown(text: &str) -> &str {
    let Some((head, tail)) = text.rsplit_once(", ") else {
        return text;
    };
    let words: Vec<&str> = tail.split(' ').collect();
    let number = |w: &str| w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty();
    let countdown = match words.as_slice() {
        ["today" | "tomorrow" | "yesterday"] => true,
        ["in", n, "day" | "days"] => number(n),
        [n, "day" | "days", "ago"] => number(n),
        _ => false,
    };
    if countdown { head } else { text }
}

/// What a team enters into CAAT for one assessment.
#[derive(Debug)]
pub struct Caat {
    pub project: String,
    pub id: String,
    pub kind: String,
    pub date: Date,
    pub scope: String,
    pub summary: String,
    pub assessors: Vec<String>,
    /// Title, version, date, location (and section, when given).
    pub evidence: Vec<[String; 5]>,
    /// The assessment's action plan: id, title, owner's name, due, status.
    pub actions: Vec<[String; 5]>,
    /// Open risks to escalate beyond the project: id, title, residual score, why.
    pub escalate: Vec<[String; 4]>,
    /// What changed in the records since the previous assessment, one line each.
    pub changes: Vec<String>,
    /// The previous assessment (id and date), when there is one.
    pub previous: Option<(String, Date)>,
    /// The report's reference in CAAT (or DART S), when the record gives it.
    pub tool_reference: Option<String>,
    /// Maturity by function as CAAT reported it (identify, protect, detect, respond,
    /// recover), with the previous assessment's beside it when it gave one.
    pub maturity: Vec<MaturityRow>,
    pub marking: Marking,
}

/// One function's maturity, now and at the previous assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaturityRow {
    pub function: &'static str,
    pub level: u8,
    pub previous: Option<u8>,
}

/// Maturity by function, in CAAT's order.
fn functions(m: &crate::records::Maturity) -> [(&'static str, u8); 5] {
    [
        ("identify", m.identify),
        ("protect", m.protect),
        ("detect", m.detect),
        ("respond", m.respond),
        ("recover", m.recover),
    ]
}

/// The CAAT hand-off for the assessment `id`; `None` when there is no such assessment.
pub fn caat(evaluated: &Evaluated, id: &str) -> crate::error::Result<Caat> {
    let set = &evaluated.loaded.records;
    let Some(assessment) = set.assessments.iter().find(|a| a.id == id) else {
        let ids = set.assessments.iter().map(|a| a.id.as_str());
        let hint = match crate::suggest::did_you_mean(id, ids) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "name an assessment by its id, the name of its file in assessments/".to_owned(),
        };
        return Err(crate::error::Error::usage(
            format!("there is no assessment {id}"),
            hint,
        ));
    };
    let previous = set
        .assessments
        .iter()
        .filter(|a| a.date < assessment.date)
        .max_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    let mut marking = marking_of(&**assessment);
    let name = |id: &str| {
        let name = name_of(set, id);
        if name.is_empty() { id.to_owned() } else { name }
    };
    let mut escalate = Vec::new();
    for risk in set.risks.iter().filter(|r| r.is_open()) {
        let above_ceiling = set
            .limits(risk)
            .and_then(|(_, ceiling)| ceiling)
            .is_some_and(|ceiling| risk.residual.value() > ceiling);
        let why = match (&risk.escalation, above_ceiling) {
            (Some(e), _) => format!("escalated to {} on {} ({})", e.to, e.date, e.reference),
            (None, true) => {
                "above the risk appetite's ceiling: the SRO cannot accept it alone".to_owned()
            }
            (None, false) => continue,
        };
        marking.merge(&marking_of(&**risk));
        escalate.push([
            risk.id.clone(),
            risk.title.clone(),
            risk.residual.value().to_string(),
            why,
        ]);
    }
    let since = previous.map(|p| p.date);
    let after = |d: Date| since.is_none_or(|s| d > s) && d <= assessment.date;
    let mut changes = Vec::new();
    for risk in &set.risks {
        let before = changes.len();
        if after(risk.identified) {
            changes.push(format!(
                "risk {} identified on {}: {}",
                risk.id, risk.identified, risk.title
            ));
        }
        if let Some(closed) = risk.closed.as_ref().filter(|c| after(c.date)) {
            changes.push(format!(
                "risk {} closed on {}: {}",
                risk.id,
                closed.date,
                closed.reason.trim()
            ));
        }
        for a in &risk.actions {
            if let Some(done) = a.done_on.filter(|d| after(*d)) {
                changes.push(format!(
                    "action {} on risk {} done on {done}: {}",
                    a.id, risk.id, a.title
                ));
            }
        }
        // What the hand-off quotes of a marked risk carries its marking.
        if changes.len() > before {
            marking.merge(&marking_of(&**risk));
        }
    }
    // Decisions and events of the period: acceptances and approvals the SRO signed, and the
    // events that asked for assessment.
    for signoff in set.signoffs.iter().filter(|s| after(s.date)) {
        changes.push(format!(
            "sign-off {} on {}: {} of {}",
            signoff.id,
            signoff.date,
            signoff.kind.words(),
            signoff.subject
        ));
    }
    for event in set.events.iter().filter(|e| after(e.date)) {
        marking.merge(&marking_of(&**event));
        changes.push(format!(
            "event {} on {}: a {}, {}",
            event.id,
            event.date,
            event.kind.words(),
            event.summary.trim()
        ));
    }
    let maturity_now = assessment.outcome.maturity.as_ref().map(functions);
    let maturity_before = previous
        .and_then(|p| p.outcome.maturity.as_ref())
        .map(functions);
    if let (Some(now), Some(before)) = (&maturity_now, &maturity_before) {
        for ((function, level), (_, was)) in now.iter().zip(before) {
            if level != was {
                changes.push(format!(
                    "{function} maturity {} from {was} to {level}",
                    if level > was { "rose" } else { "fell" }
                ));
            }
        }
    }
    if let Some(previous) = previous {
        marking.merge(&marking_of(&**previous));
        for a in &previous.actions {
            match a.done_on.filter(|d| after(*d)) {
                Some(done) => changes.push(format!(
                    "action {} from assessment {} done on {done}: {}",
                    a.id, previous.id, a.title
                )),
                None if a.status == ActionStatus::Open => changes.push(format!(
                    "action {} from assessment {} is still open (due {}): {}",
                    a.id, previous.id, a.due, a.title
                )),
                None => {}
            }
        }
    }
    let maturity = maturity_now
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, (function, level))| MaturityRow {
            function,
            level: *level,
            previous: maturity_before.map(|b| b[i].1),
        })
        .collect();
    Ok(Caat {
        tool_reference: assessment.tool_reference.clone(),
        maturity,
        project: set
            .project
            .as_ref()
            .map_or_else(String::new, |p| p.name.clone()),
        id: assessment.id.clone(),
        kind: assessment.kind.as_str().to_owned(),
        date: assessment.date,
        scope: assessment.scope.trim().to_owned(),
        summary: assessment.outcome.summary.trim().to_owned(),
        assessors: assessment.assessors.iter().map(|a| name(a)).collect(),
        evidence: assessment
            .evidence
            .iter()
            .map(|e| {
                [
                    e.title.clone(),
                    e.version.clone(),
                    e.date.to_string(),
                    e.location.clone(),
                    e.section.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        actions: assessment
            .actions
            .iter()
            .map(|a| {
                [
                    a.id.clone(),
                    a.title.clone(),
                    name(&a.owner),
                    a.due.to_string(),
                    a.status.as_str().to_owned(),
                ]
            })
            .collect(),
        escalate,
        changes,
        previous: previous.map(|p| (p.id.clone(), p.date)),
        marking,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_entries_carry_no_countdown() {
        assert_eq!(
            without_countdown("one is needed by 2026-12-10, in 12 days"),
            "one is needed by 2026-12-10"
        );
        assert_eq!(
            without_countdown("was due on 2026-12-10, 3 days ago"),
            "was due on 2026-12-10"
        );
        assert_eq!(
            without_countdown("review of risk R-001: Keys, in logs"),
            "review of risk R-001: Keys, in logs"
        );
    }

    #[test]
    fn cells_read_as_a_csv_file_holds_them() {
        assert_eq!(Cell::Number(12).as_text(), "12");
        assert_eq!(Cell::Empty.as_text(), "");
        assert_eq!(
            Cell::Date("2026-02-01".parse().unwrap()).as_text(),
            "2026-02-01"
        );
    }
}
