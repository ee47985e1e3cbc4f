//! The rules engine: valid records and a date in, findings and a RAG status out.
//!
//! One module per area, each rule a function. A rule reads records through `Context` and
//! pushes findings; it never prints. Results depend only on (records, date, policy).

mod actions;
mod assessments;
mod governance;
mod reporting;
mod risks;
pub use risks::review_due;
pub mod signoffs;

use serde::Serialize;

use crate::dates::{Date, Duration};
use crate::finding::{self, Area, Finding, Location, RecordRef, Severity};
use crate::records::{Policy, RecordSet};
use crate::witness::Witness;
use signoffs::SignOffs;

/// A rule of the catalogue: stable id, area, and what it checks.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub area: Area,
    pub summary: &'static str,
}

/// The v1 catalogue (product.md). Ids are a contract: never renumber.
pub const CATALOGUE: &[Rule] = &[
    Rule {
        id: "ASSESS-1",
        area: Area::Assessments,
        summary: "there is an assessment at all",
    },
    Rule {
        id: "ASSESS-2",
        area: Area::Assessments,
        summary: "the latest assessment is within assessment_interval",
    },
    Rule {
        id: "ASSESS-3",
        area: Area::Assessments,
        summary: "an event after the latest assessment is followed by one within event_reassessment",
    },
    Rule {
        id: "ASSESS-4",
        area: Area::Assessments,
        summary: "the latest assessment has a valid SRO report_approval",
    },
    Rule {
        id: "ASSESS-5",
        area: Area::Assessments,
        summary: "a milestone within 60 days has its independent review decided; a requested one is done by the milestone",
    },
    Rule {
        id: "GOV-1",
        area: Area::Governance,
        summary: "exactly one active SRO",
    },
    Rule {
        id: "GOV-2",
        area: Area::Governance,
        summary: "an active security lead",
    },
    Rule {
        id: "GOV-3",
        area: Area::Governance,
        summary: "owners of open risks and actions are active people",
    },
    Rule {
        id: "GOV-4",
        area: Area::Governance,
        summary: "the risk appetite exists, is SRO-approved and reviewed within appetite_review",
    },
    Rule {
        id: "RISK-1",
        area: Area::Risks,
        summary: "each open risk is reviewed by its review date",
    },
    Rule {
        id: "RISK-2",
        area: Area::Risks,
        summary: "a residual score above tolerance has a valid SRO risk acceptance, or a treat response with open actions",
    },
    Rule {
        id: "RISK-3",
        area: Area::Risks,
        summary: "a tolerated risk has a valid acceptance",
    },
    Rule {
        id: "ACT-1",
        area: Area::Actions,
        summary: "actions are not overdue",
    },
    Rule {
        id: "SIGN-1",
        area: Area::Signoffs,
        summary: "a sign-off's subject still has the digest that was signed",
    },
    Rule {
        id: "SIGN-2",
        area: Area::Signoffs,
        summary: "the signer held the SRO role on the date signed",
    },
    Rule {
        id: "SIGN-3",
        area: Area::Signoffs,
        summary: "a risk acceptance has not expired",
    },
    Rule {
        id: "SIGN-4",
        area: Area::Signoffs,
        summary: "in git: the sign-off was added by the signer, signed if required, and the signer did not author what is signed",
    },
    Rule {
        id: "REPORT-1",
        area: Area::Reporting,
        summary: "a board security update within board_cadence",
    },
];

/// Look a rule up by id. Every id used by a rule function is in the catalogue (tested).
pub fn rule(id: &str) -> &'static Rule {
    CATALOGUE
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("rule {id} is not in the catalogue"))
}

/// RAG status, ordered from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }

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
    pub overall: Rag,
    pub areas: Vec<(Area, Rag)>,
    /// Worst first, then by due date.
    pub findings: Vec<Finding>,
}

impl Status {
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

impl Context<'_> {
    pub fn timing(&self, due: Date) -> Timing {
        if self.as_of > due {
            Timing::Overdue(days_between(due, self.as_of))
        } else if self.policy.due_soon.before(due) <= self.as_of {
            Timing::DueSoon(days_between(self.as_of, due))
        } else {
            Timing::InDate
        }
    }

    /// A finding of rule `id`.
    pub fn finding(
        &self,
        id: &'static str,
        severity: Severity,
        location: Location,
        message: String,
    ) -> Finding {
        let rule = rule(id);
        Finding {
            code: rule.id,
            severity,
            area: Some(rule.area),
            location,
            record: None,
            message,
            hint: None,
            due: None,
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
    let cx = Context {
        set,
        as_of,
        policy: &set.policy,
        signoffs: SignOffs::new(set, as_of, witness),
    };
    let mut findings = Vec::new();
    governance::check(&cx, &mut findings);
    assessments::check(&cx, &mut findings);
    risks::check(&cx, &mut findings);
    actions::check(&cx, &mut findings);
    signoffs::check(&cx, &mut findings);
    reporting::check(&cx, &mut findings);
    status(as_of, findings)
}

/// Combine findings (including any added later, such as SIGN-4) into a status.
pub fn status(as_of: Date, mut findings: Vec<Finding>) -> Status {
    // Worst first; then what falls due soonest; then a stable order.
    finding::sort(&mut findings);
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.due.is_none().cmp(&b.due.is_none()))
            .then_with(|| a.due.cmp(&b.due))
    });
    let areas: Vec<(Area, Rag)> = Area::ALL
        .into_iter()
        .map(|area| {
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
    }
}

/// A record reference for a finding.
pub fn about(kind: &'static str, id: Option<&str>) -> Option<RecordRef> {
    Some(RecordRef {
        kind,
        id: id.map(str::to_owned),
    })
}

/// The date a duration after `date`, for messages.
pub fn after(duration: Duration, date: Date) -> Date {
    duration.after(date)
}

#[cfg(test)]
mod catalogue_tests;
#[cfg(test)]
mod tests;
