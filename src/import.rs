//! Importing an existing risk register: rows of a CSV file or an XLSX sheet become risk
//! records (with their actions). Columns are found by header, named as `assure export` names
//! them unless mapped otherwise; words for scores are mapped to numbers with a scale. Every
//! problem is located as the spreadsheet names it (`Risks!C7`), and nothing is produced
//! unless every row converts.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::dates::{Date, parse_date};
use crate::records::{ActionStatus, RecordSet, Response, RiskStatus};

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Date(Date),
    Empty,
}

/// One table: a CSV file, or a sheet of a workbook.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet's name (`Risks`), or the CSV file's name.
    pub name: String,
    /// Whether places are written `Sheet!C7` (a workbook) or `file.csv:7 (C7)`.
    pub workbook: bool,
    pub rows: Vec<Vec<Value>>,
}

/// A problem, where the spreadsheet says it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub place: String,
    pub message: String,
    pub hint: String,
}

/// How columns and words map to the record's fields.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Field → header, where the header is not the field's own name.
    pub columns: BTreeMap<String, String>,
    /// Words for likelihood and impact (`High`) → numbers (4).
    pub scale: BTreeMap<String, u8>,
}

/// The columns of `assure export` an import does not read: what the export derives from the
/// rest (names, scores, bands, tolerance, the acceptance and the next review).
pub const DERIVED: [&str; 9] = [
    "owner_name",
    "inherent_score",
    "inherent_band",
    "residual_score",
    "residual_band",
    "tolerance",
    "acceptance",
    "acceptance_expires",
    "next_review",
];

/// The columns an import reads, by field: those of `assure export`, less what is derived.
pub static RISK_FIELDS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    crate::export::RISK_COLUMNS
        .iter()
        .copied()
        .filter(|c| !DERIVED.contains(c))
        .collect()
});

/// The action plan's columns an import reads.
pub const ACTION_FIELDS: [&str; 7] = ["record", "id", "title", "owner", "due", "status", "done_on"];

/// Read `path`: a CSV file (one sheet) or an XLSX workbook (every sheet).
/// The sheets to import from `file`: the risks (the sheet named `sheet`, else the first)
/// and the action plan (the file `actions`, else a workbook's sheet named Actions).
pub fn sheets(
    file: &Path,
    sheet: Option<&str>,
    actions: Option<&Path>,
) -> crate::error::Result<(Vec<Sheet>, Option<Sheet>)> {
    let sheets = read(file)?;
    let risks = match sheet {
        Some(name) => {
            let Some(sheet) = sheets.iter().find(|s| s.name.eq_ignore_ascii_case(name)) else {
                let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
                return Err(crate::error::Error::usage(
                    format!("there is no sheet {name}"),
                    format!("the sheets are: {}", names.join(", ")),
                ));
            };
            vec![sheet.clone()]
        }
        None => sheets.first().cloned().into_iter().collect(),
    };
    let actions = match actions {
        Some(path) => read(path)?.into_iter().next(),
        None if sheets.len() > 1 => sheets
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case("actions"))
            .cloned(),
        None => None,
    };
    Ok((risks, actions))
}

/// Write every converted file into `records` (the records folder), all or nothing: a file
/// already there, or a write that fails, takes back what this run wrote.
pub fn write_all(records: &Path, files: &Files) -> crate::error::Result<()> {
    use crate::error::Error;
    let mut written = Vec::new();
    for (relative, text) in files {
        let path = records.join(relative);
        let wrote = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .map_err(|e| Error::io(&path, e))
            .and_then(|()| crate::fsutil::write_new(&path, text.as_bytes()));
        match wrote {
            Ok(true) => written.push(path),
            outcome => {
                for path in &written {
                    let _ = std::fs::remove_file(path);
                }
                outcome?;
                return Err(Error::usage(
                    format!(
                        "{} appeared while importing; nothing was written",
                        path.display()
                    ),
                    "run the import again",
                ));
            }
        }
    }
    Ok(())
}

/// The sheets of a workbook, or a CSV file as one sheet.
fn read(path: &Path) -> crate::error::Result<Vec<Sheet>> {
    use crate::error::Error;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let fail = |why: String| {
        Error::usage(
            format!("{name}: {why}"),
            "give a .csv file, or an .xlsx workbook",
        )
    };
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".xlsx") {
        use calamine::{Data, Reader};
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(path)
            .map_err(|e| fail(format!("cannot read the workbook: {e}")).because(e))?;
        let mut sheets = Vec::new();
        for sheet in book.sheet_names() {
            let range = book
                .worksheet_range(&sheet)
                .map_err(|e| fail(format!("cannot read sheet {sheet}: {e}")).because(e))?;
            let rows = range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|c| match c {
                            Data::Empty => Value::Empty,
                            Data::String(s) => Value::Text(s.clone()),
                            Data::Float(f) => Value::Number(*f),
                            Data::Int(i) => Value::Number(*i as f64),
                            Data::Bool(b) => Value::Text(b.to_string()),
                            Data::DateTime(d) => excel_day(d.as_f64())
                                .map_or_else(|| Value::Text(d.to_string()), Value::Date),
                            Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
                            Data::Error(e) => Value::Text(format!("#{e:?}")),
                        })
                        .collect()
                })
                .collect();
            sheets.push(Sheet {
                name: sheet,
                workbook: true,
                rows,
            });
        }
        Ok(sheets)
    } else if lower.ends_with(".csv") {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
            .map_err(|e| fail(format!("cannot read the file: {e}")).because(e))?;
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| {
                Error::usage(
                    format!("{name}:{}: not CSV: {e}", i + 1),
                    "save the sheet as CSV (UTF-8)",
                )
                .because(e)
            })?;
            rows.push(
                record
                    .iter()
                    .map(|c| {
                        if c.is_empty() {
                            Value::Empty
                        } else {
                            Value::Text(c.to_owned())
                        }
                    })
                    .collect(),
            );
        }
        Ok(vec![Sheet {
            name,
            workbook: false,
            rows,
        }])
    } else {
        Err(fail(
            "it is neither a .csv file nor an .xlsx workbook".to_owned(),
        ))
    }
}

/// The day of an Excel date serial (days since 1899-12-30).
fn excel_day(serial: f64) -> Option<Date> {
    let epoch = Date::new(1899, 12, 30).ok()?;
    epoch
        .checked_add(jiff::Span::new().days(serial.floor() as i64))
        .ok()
}

/// The spreadsheet's name for a cell: column letters and a 1-based row.
fn cell_name(col: usize, row: usize) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let r = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

impl Sheet {
    fn place(&self, col: usize, row: usize) -> String {
        if self.workbook {
            format!("{}!{}", self.name, cell_name(col, row))
        } else {
            format!(
                "{}:{}:{} ({})",
                self.name,
                row + 1,
                col + 1,
                cell_name(col, row)
            )
        }
    }

    /// A row's place: `Risks!7`, `register.csv:7`.
    fn row_place(&self, row: usize) -> String {
        if self.workbook {
            format!("{}!{}", self.name, row + 1)
        } else {
            format!("{}:{}", self.name, row + 1)
        }
    }

    /// The header row's place.
    fn header_place(&self) -> String {
        if self.workbook {
            format!("{}!1 (the header row)", self.name)
        } else {
            format!("{}:1 (the header row)", self.name)
        }
    }

    fn header(&self) -> Vec<String> {
        self.rows
            .first()
            .map(|r| r.iter().map(|v| text(v).trim().to_owned()).collect())
            .unwrap_or_default()
    }
}

fn text(v: &Value) -> String {
    match v {
        // The apostrophe `assure export` (and spreadsheets) put before a cell that would
        // otherwise run as a formula is not part of the value.
        Value::Text(s) => match s.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
            _ => s.clone(),
        },
        Value::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
        Value::Number(n) => n.to_string(),
        Value::Date(d) => d.to_string(),
        Value::Empty => String::new(),
    }
}

/// One sheet's rows as values by field, with what is needed to say where each came from.
struct Table<'a> {
    sheet: &'a Sheet,
    columns: BTreeMap<&'static str, usize>,
}

impl<'a> Table<'a> {
    fn new(sheet: &'a Sheet, fields: &[&'static str], mapping: &Mapping) -> Table<'a> {
        let header = sheet.header();
        let mut columns = BTreeMap::new();
        for field in fields {
            let wanted = mapping.columns.get(*field).map_or(*field, String::as_str);
            if let Some(i) = header.iter().position(|h| h.eq_ignore_ascii_case(wanted)) {
                columns.insert(*field, i);
            }
        }
        Table { sheet, columns }
    }

    /// The cell of `field` in `row`, with its place; `None` when the column is absent.
    fn get(&self, field: &str, row: usize) -> Option<(&'a Value, String)> {
        let col = *self.columns.get(field)?;
        let value = self.sheet.rows[row].get(col).unwrap_or(&Value::Empty);
        Some((value, self.sheet.place(col, row)))
    }
}

/// Collects problems while converting.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, place: String, message: String, hint: &str) {
        self.0.push(Problem {
            place,
            message,
            hint: hint.to_owned(),
        });
    }
}

/// A risk record as written: the fields in the order people read them, nothing empty.
#[derive(Serialize)]
struct RiskOut {
    kind: &'static str,
    id: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    owner: String,
    status: RiskStatus,
    response: Response,
    inherent: ScoreOut,
    residual: ScoreOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<TargetOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    controls: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    actions: Vec<ActionOut>,
    identified: Date,
    last_reviewed: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    review_by: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    escalation: Option<EscalationOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closed: Option<ClosedOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    handling: Option<String>,
}

#[derive(Serialize)]
struct TargetOut {
    likelihood: u8,
    impact: u8,
    by: Date,
}

#[derive(Serialize)]
struct EscalationOut {
    to: String,
    date: Date,
    reference: String,
}

#[derive(Serialize)]
struct ScoreOut {
    likelihood: u8,
    impact: u8,
}

#[derive(Serialize)]
struct ClosedOut {
    date: Date,
    reason: String,
}

#[derive(Serialize)]
struct ActionOut {
    id: String,
    title: String,
    owner: String,
    due: Date,
    status: ActionStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    done_on: Option<Date>,
}

/// What an import writes: files relative to the records folder, with their text.
pub type Files = Vec<(String, String)>;

/// What a register converts to.
#[derive(Debug, Default)]
pub struct Converted {
    pub files: Files,
    /// Where each file's record came from (`register.csv:7`, `Risks!7`), by file.
    pub origin: BTreeMap<String, String>,
    /// What was left out, and why, for the user to read.
    pub notes: Vec<String>,
}

impl Mapping {
    /// The mapping of the action plan's columns: `actions.FIELD` entries, without the prefix.
    fn for_actions(&self) -> Mapping {
        Mapping {
            columns: self
                .columns
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("actions.")?.to_owned(), v.clone())))
                .collect(),
            scale: self.scale.clone(),
        }
    }
}

/// Convert `sheets` (the first holding risks; a sheet named `Actions`, or `actions`, the
/// action plan) into risk records, people named by id or by name as `set` lists them.
pub fn convert(
    sheets: &[Sheet],
    actions: Option<&Sheet>,
    mapping: &Mapping,
    set: &RecordSet,
) -> Result<Converted, Vec<Problem>> {
    let mut problems = Problems::default();
    let Some(risks) = sheets.first() else {
        return Err(vec![Problem {
            place: "the file".to_owned(),
            message: "there is nothing in it".to_owned(),
            hint: "export the register with a header row and one row per risk".to_owned(),
        }]);
    };
    let table = Table::new(risks, &RISK_FIELDS, mapping);
    for required in [
        "id",
        "title",
        "description",
        "owner",
        "inherent_likelihood",
        "inherent_impact",
        "residual_likelihood",
        "residual_impact",
        "response",
        "identified",
        "last_reviewed",
        "status",
    ] {
        if !table.columns.contains_key(required) {
            problems.add(
                risks.header_place(),
                format!("no column for {required}"),
                &format!("name the column that holds it: --column {required}=HEADER"),
            );
        }
    }
    if !problems.0.is_empty() {
        return Err(problems.0);
    }
    let mut out: BTreeMap<String, (usize, RiskOut)> = BTreeMap::new();
    for row in 1..risks.rows.len() {
        if risks.rows[row].iter().all(|v| *v == Value::Empty) {
            continue;
        }
        if let Some(risk) = risk_row(&table, row, mapping, set, &mut problems) {
            if let Some((first, _)) = out.get(&risk.id) {
                let (_, place) = table.get("id", row).expect("the id column");
                problems.add(
                    place,
                    format!("risk {} is also on row {}", risk.id, first + 1),
                    "give each risk its own id",
                );
                continue;
            }
            out.insert(risk.id.clone(), (row, risk));
        }
    }
    let mut notes = Vec::new();
    if let Some(sheet) = actions {
        let actions_mapping = mapping.for_actions();
        let table = Table::new(sheet, &ACTION_FIELDS, &actions_mapping);
        let mut of_assessments = 0;
        for row in 1..sheet.rows.len() {
            if sheet.rows[row].iter().all(|v| *v == Value::Empty) {
                continue;
            }
            let Some((record, place)) = table.get("record", row) else {
                problems.add(
                    sheet.header_place(),
                    "no column for record (the risk each action belongs to)".to_owned(),
                    "name it: --column actions.record=HEADER",
                );
                break;
            };
            let record = text(record).trim().to_owned();
            // A risk's id, written `risk:R-001` (as exported) or `R-001`. Actions of
            // assessments stay with the assessment records.
            if record.starts_with("assessment:") {
                of_assessments += 1;
                continue;
            }
            let id = record.strip_prefix("risk:").unwrap_or(&record).to_owned();
            let Some(action) = action_row(&table, row, &actions_mapping, set, &mut problems) else {
                continue;
            };
            match out.get_mut(&id) {
                Some((_, risk)) => risk.actions.push(action),
                None => problems.add(
                    place,
                    format!("there is no risk {id} in the register"),
                    "give the id of a risk on the risks sheet (R-001, or risk:R-001)",
                ),
            }
        }
        if of_assessments > 0 {
            notes.push(format!(
                "{of_assessments} action{} of assessments left out: they belong to the assessment records, not the risk register",
                if of_assessments == 1 { "" } else { "s" }
            ));
        }
    }
    if !problems.0.is_empty() {
        return Err(problems.0);
    }
    let mut converted = Converted {
        notes,
        ..Converted::default()
    };
    for (_, (row, risk)) in out {
        let options = serde_saphyr::ser_options! { compact_list_indent: false, yaml_12: true, no_lang_directive: true };
        let yaml = serde_saphyr::to_string_with_options(&risk, options).unwrap_or_default();
        let file = format!("risks/{}.yaml", risk.id);
        converted.origin.insert(file.clone(), risks.row_place(row));
        converted
            .files
            .push((file, format!("# Imported by `assure import`.\n{yaml}")));
    }
    Ok(converted)
}

fn risk_row(
    t: &Table<'_>,
    row: usize,
    mapping: &Mapping,
    set: &RecordSet,
    problems: &mut Problems,
) -> Option<RiskOut> {
    let before = problems.0.len();
    let text_of = |field: &str| {
        t.get(field, row)
            .map(|(v, p)| (text(v).trim().to_owned(), p))
    };
    let required = |field: &str, problems: &mut Problems| -> String {
        match text_of(field) {
            Some((value, _)) if !value.is_empty() => value,
            Some((_, place)) => {
                problems.add(
                    place,
                    format!("{field} is empty"),
                    "fill it in, or leave the row out",
                );
                String::new()
            }
            None => String::new(),
        }
    };
    let id = required("id", problems);
    let title = required("title", problems);
    let description = required("description", problems);
    let owner = person(t, "owner", row, set, problems);
    let score = |field: &str, problems: &mut Problems| -> u8 {
        let Some((value, place)) = t.get(field, row) else {
            return 0;
        };
        let word = text(value).trim().to_owned();
        let n = word
            .parse::<u8>()
            .ok()
            .or_else(|| {
                mapping
                    .scale
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&word))
                    .map(|(_, v)| *v)
            })
            .filter(|n| (1..=5).contains(n));
        n.unwrap_or_else(|| {
            problems.add(
                place,
                format!("{field} \"{word}\" is not 1 to 5"),
                "write a number from 1 to 5, or map the words with --scale \"Low=2,Medium=3,High=4\"",
            );
            0
        })
    };
    let target = match (
        t.get("target_by", row)
            .map(|(v, _)| text(v).trim().is_empty()),
        t.columns.contains_key("target_likelihood"),
    ) {
        (Some(false), true) => Some(TargetOut {
            likelihood: score("target_likelihood", problems),
            impact: score("target_impact", problems),
            by: date(t, "target_by", row, problems).unwrap_or(Date::ZERO),
        }),
        _ => None,
    };
    let escalation = optional_date(t, "escalated_on", row, problems).map(|date| EscalationOut {
        to: text_of("escalated_to").map(|(v, _)| v).unwrap_or_default(),
        date,
        reference: text_of("escalation_reference")
            .map(|(v, _)| v)
            .unwrap_or_default(),
    });
    let inherent = ScoreOut {
        likelihood: score("inherent_likelihood", problems),
        impact: score("inherent_impact", problems),
    };
    let residual = ScoreOut {
        likelihood: score("residual_likelihood", problems),
        impact: score("residual_impact", problems),
    };
    let response = named(
        t,
        "response",
        row,
        Response::from_name,
        "treat, tolerate, transfer or terminate",
        problems,
    );
    let status = named(
        t,
        "status",
        row,
        RiskStatus::from_name,
        "open or closed",
        problems,
    );
    let identified = date(t, "identified", row, problems);
    let last_reviewed = date(t, "last_reviewed", row, problems);
    let review_by = optional_date(t, "review_by", row, problems);
    let closed = match (
        optional_date(t, "closed_on", row, problems),
        text_of("closed_reason"),
    ) {
        (Some(date), reason) => Some(ClosedOut {
            date,
            reason: reason
                .map(|(r, _)| r)
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "Closed in the imported register.".to_owned()),
        }),
        (None, _) => None,
    };
    let controls = text_of("controls")
        .map(|(c, _)| {
            c.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    // Records name categories in lower case with underscores: "Supply chain" is supply_chain.
    let category = text_of("category")
        .map(|(c, _)| c.to_lowercase().replace([' ', '-'], "_"))
        .filter(|c| !c.is_empty());
    let handling = t
        .get("marking", row)
        .map(|(v, _)| text(v).trim().to_owned())
        .filter(|m| !m.is_empty() && m != "OFFICIAL");
    if problems.0.len() > before {
        return None;
    }
    Some(RiskOut {
        kind: "risk",
        id,
        title,
        description,
        category,
        owner,
        status: status?,
        response: response?,
        inherent,
        residual,
        target,
        controls,
        actions: Vec::new(),
        identified: identified?,
        last_reviewed: last_reviewed?,
        review_by,
        escalation,
        closed,
        handling,
    })
}

fn action_row(
    t: &Table<'_>,
    row: usize,
    _mapping: &Mapping,
    set: &RecordSet,
    problems: &mut Problems,
) -> Option<ActionOut> {
    let before = problems.0.len();
    let text_of = |field: &str| {
        t.get(field, row)
            .map(|(v, _)| text(v).trim().to_owned())
            .unwrap_or_default()
    };
    let (id, title) = (text_of("id"), text_of("title"));
    let owner = person(t, "owner", row, set, problems);
    let due = date(t, "due", row, problems);
    let status = named(
        t,
        "status",
        row,
        ActionStatus::from_name,
        "open, done or cancelled",
        problems,
    );
    let done_on = optional_date(t, "done_on", row, problems);
    if problems.0.len() > before {
        return None;
    }
    Some(ActionOut {
        id,
        title,
        owner,
        due: due?,
        status: status?,
        done_on,
    })
}

/// A person named by id or by name, as people.yaml lists them.
fn person(
    t: &Table<'_>,
    field: &str,
    row: usize,
    set: &RecordSet,
    problems: &mut Problems,
) -> String {
    let Some((value, place)) = t.get(field, row) else {
        return String::new();
    };
    let who = text(value).trim().to_owned();
    let people = set.all_people();
    match people
        .iter()
        .find(|p| p.id == who || p.name.eq_ignore_ascii_case(&who))
    {
        Some(p) => p.id.clone(),
        None => {
            let hint =
                match crate::suggest::did_you_mean(&who, people.iter().map(|p| p.name.as_str())) {
                    Some(best) => format!("did you mean {best}? People are listed in people.yaml"),
                    None => "add them to people.yaml first, by id and name".to_owned(),
                };
            problems.add(
                place,
                format!("{field} \"{who}\" is not in people.yaml"),
                &hint,
            );
            String::new()
        }
    }
}

fn named<T>(
    t: &Table<'_>,
    field: &str,
    row: usize,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &str,
    problems: &mut Problems,
) -> Option<T> {
    let (value, place) = t.get(field, row)?;
    let word = text(value).trim().to_ascii_lowercase();
    let parsed = parse(&word);
    if parsed.is_none() {
        problems.add(
            place,
            format!("{field} \"{word}\" is not one of {allowed}"),
            &format!("write one of {allowed}"),
        );
    }
    parsed
}

fn optional_date(t: &Table<'_>, field: &str, row: usize, problems: &mut Problems) -> Option<Date> {
    let (value, _) = t.get(field, row)?;
    if *value == Value::Empty || text(value).trim().is_empty() {
        return None;
    }
    date(t, field, row, problems)
}

fn date(t: &Table<'_>, field: &str, row: usize, problems: &mut Problems) -> Option<Date> {
    let (value, place) = t.get(field, row)?;
    if let Value::Date(d) = value {
        return Some(*d);
    }
    let text = text(value).trim().to_owned();
    // YYYY-MM-DD, or the UK's DD/MM/YYYY.
    let parsed = parse_date(&text).ok().or_else(|| {
        let mut parts = text.split('/');
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
    });
    if parsed.is_none() {
        problems.add(
            place,
            format!("{field} \"{text}\" is not a date"),
            "write it YYYY-MM-DD (or DD/MM/YYYY)",
        );
    }
    parsed
}

/// Why `files` (relative to the records folder `dir`, on disk at `disk`) cannot be written
/// beside the records `entries`: a record would be overwritten, or the records with the new
/// ones would not be valid. Empty when they can.
pub fn check(
    dir: &str,
    disk: &Path,
    mut entries: Vec<crate::source::Entry>,
    converted: &Converted,
) -> Vec<Problem> {
    let files = &converted.files;
    // A problem in a record is shown where its row is, naming the record it would be.
    let place = |file: &str| {
        let relative = file
            .strip_prefix(dir)
            .map_or(file, |r| r.trim_start_matches('/'));
        match converted.origin.get(relative) {
            Some(row) => format!("{row} ({relative})"),
            None => file.to_owned(),
        }
    };
    let taken: Vec<Problem> = files
        .iter()
        .filter(|(relative, _)| disk.join(relative).exists())
        .map(|(relative, _)| Problem {
            place: place(relative),
            message: "a record with this id is already in the records folder".to_owned(),
            hint: "import into a records folder without these risks, or remove the rows".to_owned(),
        })
        .collect();
    if !taken.is_empty() {
        return taken;
    }
    entries.extend(files.iter().map(|(relative, text)| crate::source::Entry {
        path: crate::source::joined(dir, relative),
        relative: relative.clone(),
        content: crate::source::Content::Bytes(text.clone().into_bytes()),
    }));
    let loaded = crate::records::load::load(dir, entries);
    loaded
        .problems
        .iter()
        .map(|f| Problem {
            place: place(f.location.file.as_deref().unwrap_or_default()),
            message: format!("the imported records would not be valid: {}", f.message),
            hint: f.hint.clone().unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(2, 6), "C7");
        assert_eq!(cell_name(26, 9), "AA10");
    }

    #[test]
    fn excel_serials_are_days() {
        assert_eq!(excel_day(46027.0), Some(Date::new(2026, 1, 5).unwrap()));
    }
}
