//! JSON output, versioned so scripts can rely on it. Version 1 fields:
//! `version`, `tool`, `command`, `as_of`, `directory`, `valid`, `records` (counts by kind),
//! `problems` (record errors) and `status` (null until status evaluation runs).
//! Each problem: `file`, `line`, `column`, `kind`, `id`, `code`, `severity`, `message`,
//! `hint`, `pointer`.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::dates::Date;
use crate::finding::Finding;

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
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        JsonFinding {
            file: f.location.file.as_deref(),
            line: f.location.position.map(|p| p.line),
            column: f.location.position.map(|p| p.column),
            kind: f.record.as_ref().map(|r| r.kind),
            id: f.record.as_ref().and_then(|r| r.id.as_deref()),
            code: f.code,
            severity: f.severity.as_str(),
            area: f.area.map(|a| a.id()),
            message: &f.message,
            hint: f.hint.as_deref(),
            due: f.due.map(|d| d.to_string()),
            pointer: f.location.pointer.as_deref(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CheckReport<'a> {
    pub version: u32,
    pub tool: &'static str,
    pub tool_version: &'static str,
    pub command: &'static str,
    pub as_of: String,
    pub directory: &'a str,
    pub valid: bool,
    pub records: BTreeMap<&'static str, usize>,
    pub problems: Vec<JsonFinding<'a>>,
    pub status: Option<serde_json::Value>,
}

impl<'a> CheckReport<'a> {
    pub fn new(
        command: &'static str,
        as_of: Date,
        directory: &'a str,
        loaded: &'a crate::records::load::Loaded,
    ) -> Self {
        CheckReport {
            version: VERSION,
            tool: "assure",
            tool_version: env!("CARGO_PKG_VERSION"),
            command,
            as_of: as_of.to_string(),
            directory,
            valid: loaded.is_valid(),
            records: loaded
                .records
                .counts()
                .into_iter()
                .map(|(k, n)| (k.name(), n))
                .collect(),
            problems: loaded.problems.iter().map(JsonFinding::from).collect(),
            status: None,
        }
    }
}
