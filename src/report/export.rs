//! The exports as bytes: CSV (RFC 4180), an XLSX workbook, an RFC 5545 calendar, and the
//! CAAT hand-off as Markdown or CSV. Every one carries the protective marking of what it
//! holds.

use std::fmt::Write as _;

use crate::board::Deadline;
use crate::dates::Date;
use crate::export::{ACTION_COLUMNS, Caat, Cell, RISK_COLUMNS, Table, Tables};
use crate::records::{Marking, RecordSet};

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a return
/// first) is written with a leading apostrophe, which spreadsheets show as text.
fn inert_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

fn csv_bytes<'a>(header: &[&str], rows: impl Iterator<Item = Vec<String>> + 'a) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|c| inert_cell(c).into_owned()));
    }
    writer.into_inner().unwrap_or_default()
}

/// One table as CSV, with a header row.
pub fn csv(tables: &Tables, table: Table) -> Vec<u8> {
    let (header, rows): (&[&str], &[Vec<Cell>]) = match table {
        Table::Risks => (&RISK_COLUMNS, &tables.risks),
        Table::Actions => (&ACTION_COLUMNS, &tables.actions),
    };
    csv_bytes(
        header,
        rows.iter().map(|r| r.iter().map(Cell::as_text).collect()),
    )
}

/// Both tables as an XLSX workbook: sheets "Risks" and "Actions", a bold header row, frozen
/// panes and filters, numbers as numbers and dates as dates, the marking in every printed
/// page's header and footer.
pub fn xlsx(tables: &Tables) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let wrap = Format::new().set_text_wrap();
    // In a header or footer, `&` starts a code: a literal one is doubled.
    let marking = format!("&C{}", tables.marking.to_string().replace('&', "&&"));
    for (name, header, rows) in [
        ("Risks", &RISK_COLUMNS[..], &tables.risks),
        ("Actions", &ACTION_COLUMNS[..], &tables.actions),
    ] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        sheet.set_header(&marking);
        sheet.set_footer(&marking);
        for (col, title) in header.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *title, &bold)?;
        }
        for (i, row) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (col, cell) in row.iter().enumerate() {
                let c = col as u16;
                match cell {
                    Cell::Text(text) if text.contains('\n') => {
                        sheet.write_string_with_format(r, c, text, &wrap)?;
                    }
                    Cell::Text(text) => {
                        sheet.write_string(r, c, text)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(r, c, f64::from(*n))?;
                    }
                    Cell::Date(d) => {
                        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        sheet.write_datetime_with_format(r, c, &date, &day)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, rows.len() as u32, header.len() as u16 - 1)?;
        sheet.autofit();
    }
    workbook.save_to_buffer()
}

/// Text in an iCalendar value: backslash, semicolon, comma and newline escaped.
fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a character), ending CRLF.
fn ics_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn ics_day(day: Date) -> String {
    format!("{:04}{:02}{:02}", day.year(), day.month(), day.day())
}

/// Every due date as an RFC 5545 calendar of all-day events. Each event's UID is the item's
/// key and the project, so a subscribed calendar updates an entry rather than adding
/// another; DTSTAMP is the evaluation day, so the same records give the same file.
pub fn ics(deadlines: &[Deadline], set: &RecordSet, as_of: Date) -> Vec<u8> {
    let project = set
        .project
        .as_ref()
        .map_or_else(|| "assurance".to_owned(), |p| p.name.clone());
    let domain: String = project
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let marking = set.marking();
    let marked = marking != Marking::default();
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:-//assure//assure {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        &format!(
            "X-WR-CALNAME:{}",
            ics_text(&format!("{project}: assurance dates"))
        ),
    ] {
        ics_line(&mut out, line);
    }
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    for d in deadlines {
        let n = seen.entry(&d.key).or_default();
        *n += 1;
        let uid = if *n == 1 {
            format!("{}@{domain}.assure", d.key)
        } else {
            format!("{}-{n}@{domain}.assure", d.key)
        };
        let summary = if marked {
            format!("[{marking}] {}", d.what)
        } else {
            d.what.clone()
        };
        let mut description = Vec::new();
        if let Some(owner) = &d.owner {
            let name = set
                .person(owner)
                .map_or(owner.as_str(), |p| p.name.as_str());
            description.push(format!("Owner: {name}"));
        }
        if let Some(file) = &d.file {
            description.push(format!("Record: {file}"));
        }
        if marked {
            description.push(format!("Marking: {marking}"));
        }
        ics_line(&mut out, "BEGIN:VEVENT");
        ics_line(&mut out, &format!("UID:{}", ics_text(&uid)));
        ics_line(&mut out, &format!("DTSTAMP:{}T000000Z", ics_day(as_of)));
        ics_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", ics_day(d.due)));
        let next = d.due.tomorrow().unwrap_or(d.due);
        ics_line(&mut out, &format!("DTEND;VALUE=DATE:{}", ics_day(next)));
        ics_line(&mut out, &format!("SUMMARY:{}", ics_text(&summary)));
        if !description.is_empty() {
            ics_line(
                &mut out,
                &format!("DESCRIPTION:{}", ics_text(&description.join("\n"))),
            );
        }
        if marked {
            ics_line(&mut out, "CLASS:CONFIDENTIAL");
        }
        ics_line(&mut out, "TRANSP:TRANSPARENT");
        ics_line(&mut out, "END:VEVENT");
    }
    ics_line(&mut out, "END:VCALENDAR");
    out.into_bytes()
}

/// Markdown cell text: pipes escaped, lines joined.
fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The CAAT hand-off as Markdown, marked at top and bottom.
pub fn caat_markdown(caat: &Caat) -> Vec<u8> {
    let mut out = String::new();
    let marking = caat.marking.to_string();
    let _ = writeln!(out, "**{marking}**\n");
    let _ = writeln!(
        out,
        "# For CAAT: {} assessment {} of {}\n",
        caat.kind, caat.id, caat.project
    );
    let _ = writeln!(out, "- Date: {}", caat.date);
    let _ = writeln!(out, "- Assessors: {}", caat.assessors.join(", "));
    let _ = writeln!(out, "- Scope: {}", md(&caat.scope));
    if let Some(reference) = &caat.tool_reference {
        let _ = writeln!(out, "- CAAT reference: {}", md(reference));
    }
    let _ = writeln!(out, "- Outcome: {}\n", md(&caat.summary));
    let table =
        |out: &mut String, title: &str, header: &[&str], rows: &[Vec<String>], none: &str| {
            let _ = writeln!(out, "## {title}\n");
            if rows.is_empty() {
                let _ = writeln!(out, "{none}\n");
                return;
            }
            let _ = writeln!(out, "| {} |", header.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
            for row in rows {
                let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
            out.push('\n');
        };
    if !caat.maturity.is_empty() {
        let previous = caat
            .previous
            .as_ref()
            .map_or("Previous", |(id, _)| id.as_str());
        table(
            &mut out,
            "Maturity by function",
            &["Function", "Now", previous],
            &caat
                .maturity
                .iter()
                .map(|m| {
                    vec![
                        m.function.to_owned(),
                        m.level.to_string(),
                        m.previous.map(|p| p.to_string()).unwrap_or_default(),
                    ]
                })
                .collect::<Vec<_>>(),
            "",
        );
    }
    table(
        &mut out,
        "Evidence",
        &["Title", "Version", "Date", "Location", "Section"],
        &caat.evidence.iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        "No evidence is recorded.",
    );
    table(
        &mut out,
        "Action plan",
        &["Action", "Title", "Owner", "Due", "Status"],
        &caat.actions.iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        "No actions are recorded.",
    );
    table(
        &mut out,
        "Risks to escalate",
        &["Risk", "Title", "Residual", "Why"],
        &caat.escalate.iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        "No open risk needs escalating.",
    );
    let since = match &caat.previous {
        Some((id, date)) => format!("Changes since the previous assessment ({id}, {date})"),
        None => "Changes (this is the first assessment)".to_owned(),
    };
    let _ = writeln!(out, "## {since}\n");
    if caat.changes.is_empty() {
        let _ = writeln!(out, "No changes are recorded.\n");
    }
    for change in &caat.changes {
        let _ = writeln!(out, "- {}", md(change));
    }
    if !caat.changes.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "**{marking}**");
    out.into_bytes()
}

/// The CAAT hand-off as one CSV table, a row per item with its `section` (reference,
/// maturity, evidence, action, escalate, change), so that it pastes into a spreadsheet as it is.
pub fn caat_csv(caat: &Caat) -> Vec<u8> {
    let marking = caat.marking.to_string();
    let row = |section: &str, cells: [&str; 7]| {
        let mut row = vec![section.to_owned()];
        row.extend(cells.iter().map(|c| (*c).to_owned()));
        row.push(marking.clone());
        row
    };
    let mut rows = Vec::new();
    if let Some(reference) = &caat.tool_reference {
        rows.push(row("reference", [reference, "", "", "", "", "", ""]));
    }
    for m in &caat.maturity {
        let previous = m
            .previous
            .map(|p| format!("previously {p}"))
            .unwrap_or_default();
        rows.push(row(
            "maturity",
            [m.function, "", "", "", &m.level.to_string(), "", &previous],
        ));
    }
    for [title, version, date, location, section] in &caat.evidence {
        rows.push(row(
            "evidence",
            [
                "",
                title,
                "",
                date,
                "",
                location,
                &format!(
                    "version {version}{}",
                    if section.is_empty() {
                        String::new()
                    } else {
                        format!(", {section}")
                    }
                ),
            ],
        ));
    }
    for [id, title, owner, due, status] in &caat.actions {
        rows.push(row("action", [id, title, owner, due, status, "", ""]));
    }
    for [id, title, residual, why] in &caat.escalate {
        rows.push(row(
            "escalate",
            [
                id,
                title,
                "",
                "",
                "",
                "",
                &format!("residual {residual}: {why}"),
            ],
        ));
    }
    for change in &caat.changes {
        rows.push(row("change", ["", "", "", "", "", "", change]));
    }
    csv_bytes(
        &[
            "section", "id", "title", "owner", "date", "status", "location", "detail", "marking",
        ],
        rows.into_iter(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(inert_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert_cell("R-001"), "R-001");
    }

    #[test]
    fn long_calendar_lines_fold_between_characters() {
        let mut out = String::new();
        let text = format!("SUMMARY:{}", "é".repeat(60));
        ics_line(&mut out, &text);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line}");
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), text);
    }

    #[test]
    fn calendar_text_is_escaped() {
        assert_eq!(ics_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }
}
