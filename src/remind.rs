//! Reminders: for each person who owes something (overdue, or due within a window), what,
//! for which record and by when; and for the SRO, the decisions they owe. One reminder per
//! person, kept as one GitHub issue that is updated in place and closed when nothing is left
//! (`github::Api::sync_issues`).

use serde::Serialize;

use crate::board::{Deadline, decisions_owed, due_dates};
use crate::dates::{Date, Duration};
use crate::evaluate::Evaluated;
use crate::records::Role;
use crate::rules::signoffs::SignOffs;

/// One thing a person owes.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub what: String,
    /// `None`: due now, with no date of its own (a decision owed since something changed).
    /// Never the day of the run, so that an issue changes only when what is owed does.
    pub due: Option<Date>,
    pub overdue: bool,
    /// The record it is about, from the repository root, and the line of the field.
    pub file: Option<String>,
    pub line: Option<u32>,
}

/// What one person owes.
#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    /// The person's id: the reminder's identity.
    pub person: String,
    pub name: String,
    /// Their GitHub login, when people.yaml gives one: the assignee.
    pub github: Option<String>,
    /// Dates they own (reviews, actions, acceptances expiring), and those nobody owns that
    /// fall to them as the security lead (or, without one, the SRO).
    pub items: Vec<Item>,
    /// For the SRO: the decisions they owe, in plain words.
    pub decisions: Vec<Item>,
}

/// Who owes what on `evaluated.as_of`: items overdue or due within `within`, by person, in
/// people.yaml's order; nobody who owes nothing.
pub fn plan(evaluated: &Evaluated, within: Duration) -> Vec<Reminder> {
    let Some(status) = &evaluated.status else {
        return Vec::new();
    };
    let set = &evaluated.loaded.records;
    let as_of = evaluated.as_of;
    let signoffs = SignOffs::new(set, as_of, &evaluated.witness);
    let horizon = within.after(as_of);
    let dates = due_dates(set, status, &signoffs, as_of, Some(horizon));
    let active = |role: Role| set.all_people().iter().find(|p| p.holds(role, as_of));
    // Dates nobody owns (the next assessment, the board update) fall to the security lead.
    let fallback = active(Role::SecurityLead)
        .or_else(|| active(Role::Sro))
        .map(|p| p.id.clone());
    let sro = set.sro(as_of).map(|p| p.id.clone());
    let line = |d: &Deadline| -> Option<u32> {
        let (file, pointer) = (d.file.as_deref()?, d.pointer.as_deref()?);
        crate::records::load::line_of(&evaluated.loaded.sources, file, pointer)
    };
    let mut out = Vec::new();
    for person in set.all_people() {
        let items: Vec<Item> = dates
            .iter()
            .filter(|d| d.owner.as_ref().or(fallback.as_ref()) == Some(&person.id))
            .map(|d| Item {
                // An issue outlives the day it was written: no "in 12 days".
                what: crate::export::without_countdown(&d.what).to_owned(),
                due: Some(d.due),
                overdue: d.overdue,
                file: d.file.clone(),
                line: line(d),
            })
            .collect();
        let decisions: Vec<Item> = if sro.as_ref() == Some(&person.id) {
            decisions_owed(set, status, &signoffs, as_of)
                .into_iter()
                .filter(|d| d.due.is_none_or(|due| due <= horizon))
                .map(|d| Item {
                    what: format!("{} ({})", d.ask, crate::export::without_countdown(&d.why)),
                    due: d.due,
                    overdue: d.due.is_some_and(|due| due < as_of),
                    file: None,
                    line: None,
                })
                .collect()
        } else {
            Vec::new()
        };
        if items.is_empty() && decisions.is_empty() {
            continue;
        }
        out.push(Reminder {
            person: person.id.clone(),
            name: person.name.clone(),
            github: person.github.clone(),
            items,
            decisions,
        });
    }
    out
}
