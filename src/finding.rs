//! The one type every check and rule produces: a `Finding` with a stable code, a severity,
//! where it is, what is wrong and what to do. Renderers turn findings into text; nothing
//! else formats them.

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;

pub use crate::code::{Area, Code, ErrorCode, Rule};
use crate::dates::Date;

named! {
    /// How bad a finding is. Ordered from least to most severe.
    #[derive(PartialOrd, Ord)]
    pub enum Severity {
        /// A rule finding that needs attention soon.
        Amber = "amber",
        /// A rule finding that is out of date or missing now.
        Red = "red",
        /// The records themselves are invalid: nothing can be evaluated until it is fixed.
        Error = "error",
    }
}

/// A position in a file: 1-based line and column (in characters), and how many
/// characters the offending text covers on that line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    #[serde(skip)]
    pub width: u32,
}

impl Position {
    pub const START: Position = Position {
        line: 1,
        column: 1,
        width: 1,
    };
}

/// Where a finding is: a file, and inside it a JSON pointer to the field (symbolic) and,
/// once resolved against the file's YAML, the line and column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the repository root, with `/` separators.
    pub file: Option<String>,
    /// JSON pointer to the field, e.g. `/residual/likelihood`.
    pub pointer: Option<String>,
    pub position: Option<Position>,
    /// When set, the position is on this mapping key rather than on its value.
    pub on_key: bool,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: Some(file.into()),
            ..Location::default()
        }
    }

    pub fn at(file: impl Into<String>, position: Position) -> Self {
        Location {
            file: Some(file.into()),
            position: Some(position),
            ..Location::default()
        }
    }

    /// A field in a record, to be resolved to line and column later.
    pub fn field(file: impl Into<String>, pointer: impl Into<String>) -> Self {
        Location {
            file: Some(file.into()),
            pointer: Some(pointer.into()),
            ..Location::default()
        }
    }

    /// A field in a record, already resolved to a position in the file.
    pub fn located(
        file: impl Into<String>,
        pointer: impl Into<String>,
        position: Position,
    ) -> Self {
        Location {
            file: Some(file.into()),
            pointer: Some(pointer.into()),
            position: Some(position),
            on_key: false,
        }
    }

    /// A mapping key in a record (for example an unknown field), to be resolved later.
    pub fn key(file: impl Into<String>, pointer: impl Into<String>) -> Self {
        Location {
            on_key: true,
            ..Location::field(file, pointer)
        }
    }
}

/// The record a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RecordRef {
    pub kind: &'static str,
    pub id: Option<String>,
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{} {id}", self.kind),
            None => f.write_str(self.kind),
        }
    }
}

/// One problem or rule outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable code: an error code such as `unknown-field`, or a rule id such as `ASSESS-2`.
    pub code: Code,
    pub severity: Severity,
    /// The status area of a rule finding; `None` for record errors.
    pub area: Option<Area>,
    pub location: Location,
    pub record: Option<RecordRef>,
    /// One line saying what is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The date the thing fell or falls due, for rule findings.
    pub due: Option<Date>,
    /// Who owns what the finding is about: the action's owner for an action, else the
    /// risk's owner or the sign-off's signer. Rule findings only.
    pub owner: Option<Owner>,
    /// What in the record the finding is about, when a record has several such things (the
    /// action id): with the rule and the record, the finding's identity across versions.
    pub subject: Option<String>,
}

/// A person named by a finding: their id in people.yaml and their name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Owner {
    pub id: String,
    pub name: String,
}

impl Finding {
    /// A record error (the records are invalid).
    pub fn error(code: ErrorCode, location: Location, message: impl Into<String>) -> Self {
        Finding {
            code: Code::Error(code),
            severity: Severity::Error,
            area: None,
            location,
            record: None,
            message: message.into(),
            hint: None,
            due: None,
            owner: None,
            subject: None,
        }
    }

    /// A finding of `rule`, in the rule's area.
    pub fn rule(
        rule: Rule,
        severity: Severity,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        // The catalogue (code.rs) says what a rule raises: a rule never raises anything else.
        debug_assert!(
            match rule.raises() {
                crate::code::Raises::Amber => severity == Severity::Amber,
                crate::code::Raises::Red => severity == Severity::Red,
                crate::code::Raises::AmberOrRed => {
                    matches!(severity, Severity::Amber | Severity::Red)
                }
            },
            "{} raised {severity:?}, which the catalogue does not list",
            rule.id()
        );
        Finding {
            code: Code::Rule(rule),
            severity,
            area: Some(rule.area()),
            location,
            record: None,
            message: message.into(),
            hint: None,
            due: None,
            owner: None,
            subject: None,
        }
    }

    /// With the date the thing fell or falls due.
    pub fn due(mut self, date: Date) -> Self {
        self.due = Some(date);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_record(mut self, kind: &'static str, id: Option<&str>) -> Self {
        self.record = Some(RecordRef {
            kind,
            id: id.map(str::to_owned),
        });
        self
    }

    /// Sort key: by file, then position, then code; findings without a file last.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.location.file.is_none(),
            self.location.file.as_deref(),
            self.location.position.map(|p| (p.line, p.column)),
            self.code.as_str(),
            self.message.as_str(),
        )
    }
}

/// Sort findings into the stable order every output uses.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Sort findings stably by `order`, moving each finding once: the order is found among their
/// positions, not among the findings themselves, whose scratch copy (a sort's working space)
/// would cost several megabytes at a hundred thousand records.
pub fn sort_by(findings: &mut [Finding], order: impl Fn(&Finding, &Finding) -> Ordering) {
    let mut from: Vec<u32> = (0..findings.len() as u32).collect();
    from.sort_by(|&a, &b| order(&findings[a as usize], &findings[b as usize]));
    // Position i takes the finding now at from[i]: each cycle of moves followed with swaps.
    let mut placed = vec![false; findings.len()];
    for start in 0..findings.len() {
        if placed[start] {
            continue;
        }
        let mut at = start;
        loop {
            placed[at] = true;
            let next = from[at] as usize;
            if next == start {
                break;
            }
            findings.swap(at, next);
            at = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_by_positions_is_the_stable_sort() {
        // Findings with many ties (three messages, two severities), in a scrambled order.
        let findings: Vec<Finding> = (0..500u32)
            .map(|i| {
                let n = (i * 7919) % 500;
                Finding::error(
                    ErrorCode::UnknownField,
                    Location::file(format!("f{}", n % 3)),
                    format!("m{}", n % 5),
                )
                .with_hint(format!("{i}"))
            })
            .collect();
        let order = |a: &Finding, b: &Finding| {
            (&a.location.file, &a.message).cmp(&(&b.location.file, &b.message))
        };
        let mut expected = findings.clone();
        expected.sort_by(order);
        let mut sorted = findings;
        sort_by(&mut sorted, order);
        let hints = |f: &[Finding]| f.iter().map(|f| f.hint.clone()).collect::<Vec<_>>();
        assert_eq!(hints(&sorted), hints(&expected));
        sort_by(&mut [], order);
    }
}
