//! The one type every check and rule produces: a `Finding` with a stable code, a severity,
//! where it is, what is wrong and what to do. Renderers turn findings into text; nothing
//! else formats them.

use serde::Serialize;
use std::fmt;

use crate::dates::Date;

/// How bad a finding is. Ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A rule finding that needs attention soon.
    Amber,
    /// A rule finding that is out of date or missing now.
    Red,
    /// The records themselves are invalid: nothing can be evaluated until it is fixed.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Amber => "amber",
            Severity::Red => "red",
            Severity::Error => "error",
        }
    }
}

/// The status areas a rule belongs to. Overall status is the worst area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    Governance,
    Assessments,
    Risks,
    Actions,
    Signoffs,
    Reporting,
}

impl Area {
    pub const ALL: [Area; 6] = [
        Area::Governance,
        Area::Assessments,
        Area::Risks,
        Area::Actions,
        Area::Signoffs,
        Area::Reporting,
    ];

    /// The area's name in JSON and flags.
    pub fn id(self) -> &'static str {
        match self {
            Area::Governance => "governance",
            Area::Assessments => "assessments",
            Area::Risks => "risks",
            Area::Actions => "actions",
            Area::Signoffs => "signoffs",
            Area::Reporting => "reporting",
        }
    }

    /// The area's name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Area::Governance => "Governance",
            Area::Assessments => "Assessments",
            Area::Risks => "Risks",
            Area::Actions => "Actions",
            Area::Signoffs => "Sign-offs",
            Area::Reporting => "Reporting",
        }
    }
}

/// Stable codes of record errors, as shown in every output format. Rule findings use their
/// rule ids (ASSESS-1 and so on) instead. Never rename one: CI scripts match on them.
pub mod code {
    pub const YAML_SYNTAX: &str = "yaml-syntax";
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    pub const YAML_LIMIT: &str = "yaml-limit";
    pub const MULTIPLE_DOCUMENTS: &str = "multiple-documents";
    pub const EMPTY_FILE: &str = "empty-file";
    pub const FILE_TOO_LARGE: &str = "file-too-large";
    pub const BINARY_FILE: &str = "binary-file";
    pub const NOT_UTF8: &str = "not-utf8";
    pub const SYMLINK_OUTSIDE: &str = "symlink-outside";
    pub const UNREADABLE: &str = "unreadable";
    pub const MISSING_KIND: &str = "missing-kind";
    pub const UNKNOWN_KIND: &str = "unknown-kind";
    pub const WRONG_PLACE: &str = "wrong-place";
    pub const WRONG_TYPE: &str = "wrong-type";
    pub const UNKNOWN_FIELD: &str = "unknown-field";
    pub const MISSING_FIELD: &str = "missing-field";
    pub const INVALID_VALUE: &str = "invalid-value";
    pub const INVALID_FORMAT: &str = "invalid-format";
    pub const INVALID_DATE: &str = "invalid-date";
    pub const OUT_OF_RANGE: &str = "out-of-range";
    pub const SCHEMA: &str = "schema";
    pub const DUPLICATE_ID: &str = "duplicate-id";
    pub const DUPLICATE_RECORD: &str = "duplicate-record";
    pub const ID_MISMATCH: &str = "id-mismatch";
    pub const UNKNOWN_REFERENCE: &str = "unknown-reference";
    pub const ABOVE_CLASSIFICATION: &str = "above-classification";
    pub const MISSING_RECORD: &str = "missing-record";
    pub const INVALID_POLICY: &str = "invalid-policy";
    pub const INVALID_DATES: &str = "inconsistent-dates";

    /// Every record error code, for documentation and the uniqueness test.
    pub const ALL: &[&str] = &[
        YAML_SYNTAX,
        DUPLICATE_KEY,
        YAML_LIMIT,
        MULTIPLE_DOCUMENTS,
        EMPTY_FILE,
        FILE_TOO_LARGE,
        BINARY_FILE,
        NOT_UTF8,
        SYMLINK_OUTSIDE,
        UNREADABLE,
        MISSING_KIND,
        UNKNOWN_KIND,
        WRONG_PLACE,
        WRONG_TYPE,
        UNKNOWN_FIELD,
        MISSING_FIELD,
        INVALID_VALUE,
        INVALID_FORMAT,
        INVALID_DATE,
        OUT_OF_RANGE,
        SCHEMA,
        DUPLICATE_ID,
        DUPLICATE_RECORD,
        ID_MISMATCH,
        UNKNOWN_REFERENCE,
        ABOVE_CLASSIFICATION,
        MISSING_RECORD,
        INVALID_POLICY,
        INVALID_DATES,
    ];
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
    pub code: &'static str,
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
}

impl Finding {
    /// A record error (the records are invalid).
    pub fn error(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: Severity::Error,
            area: None,
            location,
            record: None,
            message: message.into(),
            hint: None,
            due: None,
        }
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
            self.code,
            self.message.as_str(),
        )
    }
}

/// Sort findings into the stable order every output uses.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}
