//! JSON output, versioned so scripts can rely on it. Version 1 fields:
//! `version`, `tool`, `tool_version`, `command`, `as_of`, `directory`, `project`, `revision`,
//! `valid`, `records` (counts by kind), `problems` (record errors) and `status` (null when the
//! records are invalid): `overall`, `as_of`, `areas`, `counts`, `findings`.
//! Each problem or finding: `file`, `line`, `column`, `kind`, `id`, `code` (error code or rule
//! id), `severity`, `area` (rules), `message`, `hint`, `due` (rules), `pointer`.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::evaluate::Evaluated;
use crate::finding::{Finding, Severity};
use crate::ratchet::Effect;
use crate::records::Marking;
use crate::rules::Status;

pub const VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    pub file: Option<&'a str>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub kind: Option<&'a str>,
    pub id: Option<&'a str>,
    pub code: &'a str,
    pub severity: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<&'a str>,
    pub message: &'a str,
    pub hint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    pub pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<&'a crate::finding::Owner>,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        JsonFinding {
            file: f.location.file.as_deref(),
            line: f.location.position.map(|p| p.line),
            column: f.location.position.map(|p| p.column),
            kind: f.record.as_ref().map(|r| r.kind),
            id: f.record.as_ref().and_then(|r| r.id.as_deref()),
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            area: f.area.map(|a| a.as_str()),
            message: &f.message,
            hint: f.hint.as_deref(),
            due: f.due.map(|d| d.to_string()),
            pointer: f.location.pointer.as_deref(),
            owner: f.owner.as_ref(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonStatus<'a> {
    pub overall: &'static str,
    pub as_of: String,
    pub areas: BTreeMap<&'static str, &'static str>,
    pub counts: BTreeMap<&'static str, usize>,
    /// The risk position, beside the currency (`overall`).
    pub position: &'a crate::rules::risks::Summary,
    pub findings: Vec<JsonFinding<'a>>,
}

impl<'a> From<&'a Status> for JsonStatus<'a> {
    fn from(status: &'a Status) -> Self {
        JsonStatus {
            overall: status.overall.as_str(),
            as_of: status.as_of.to_string(),
            areas: status
                .areas
                .iter()
                .map(|(a, r)| (a.as_str(), r.as_str()))
                .collect(),
            counts: [
                ("red", status.count_of(Severity::Red)),
                ("amber", status.count_of(Severity::Amber)),
            ]
            .into_iter()
            .collect(),
            position: &status.position,
            findings: status.findings.iter().map(JsonFinding::from).collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonRevision {
    /// What was asked for with --at.
    pub spec: String,
    pub commit: String,
}

/// The fields every JSON report begins with.
#[derive(Debug, Serialize)]
pub struct Header {
    pub version: u32,
    pub tool: &'static str,
    pub tool_version: &'static str,
    pub command: &'static str,
    /// The protective marking of what the report contains.
    pub marking: Marking,
}

impl Header {
    pub fn new(command: &'static str, marking: Marking) -> Header {
        Header {
            version: VERSION,
            tool: "assure",
            tool_version: env!("CARGO_PKG_VERSION"),
            command,
            marking,
        }
    }
}

/// The whole report of `check` or `status`.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    #[serde(flatten)]
    pub header: Header,
    pub as_of: String,
    pub directory: &'a str,
    pub project: Option<&'a str>,
    pub revision: Option<JsonRevision>,
    pub valid: bool,
    pub records: BTreeMap<&'static str, usize>,
    pub problems: Vec<JsonFinding<'a>>,
    /// Null when the records are not valid: no status is claimed for records we could not read.
    pub status: Option<JsonStatus<'a>>,
    /// With a baseline (`--baseline`, a pull request's base): what these records change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<JsonEffect<'a>>,
    /// Open risks whose covered code (`paths`) changed since their last review.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub busy_risks: &'a [crate::covered::Busy],
}

/// The findings introduced and resolved since a baseline, evaluated on the same day.
#[derive(Debug, Serialize)]
pub struct JsonEffect<'a> {
    pub baseline: &'a str,
    pub summary: String,
    pub introduced: Vec<JsonFinding<'a>>,
    pub resolved: Vec<JsonFinding<'a>>,
    pub unchanged: usize,
}

impl<'a> Report<'a> {
    /// With what the records change since `baseline`, when there is one.
    pub fn with_effect(mut self, effect: Option<(&'a Effect, &'a str)>) -> Self {
        self.effect = effect.map(|(effect, baseline)| JsonEffect {
            baseline,
            summary: effect.sentence(),
            introduced: effect.introduced.iter().map(JsonFinding::from).collect(),
            resolved: effect.resolved.iter().map(JsonFinding::from).collect(),
            unchanged: effect.unchanged,
        });
        self
    }

    pub fn new(command: &'static str, evaluated: &'a Evaluated) -> Self {
        let loaded = &evaluated.loaded;
        Report {
            header: Header::new(command, loaded.marking()),
            as_of: evaluated.as_of.to_string(),
            directory: crate::source::folder_name(&evaluated.dir),
            project: evaluated.project.as_deref(),
            revision: evaluated.revision.as_ref().map(|r| JsonRevision {
                spec: r.spec.clone(),
                commit: r.commit.to_string(),
            }),
            valid: loaded.is_valid(),
            records: loaded
                .records
                .counts()
                .into_iter()
                .map(|(k, n)| (k.name(), n))
                .collect(),
            problems: loaded.problems.iter().map(JsonFinding::from).collect(),
            status: evaluated.status.as_ref().map(JsonStatus::from),
            effect: None,
            busy_risks: &evaluated.busy,
        }
    }
}

/// Write `value` as pretty JSON and a newline.
pub fn write<T: Serialize>(out: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}
