//! `assure export`: the register and the plan read back by independent readers (the csv
//! crate, calamine for XLSX, ical for the calendar), and the CAAT hand-off.

use crate::common::*;
use std::io::Read;

const AS_OF: &str = "2026-02-01";

/// Two risks (one marked, one with a control that a spreadsheet would run as a formula, an
/// action each) and an assessment with evidence and an action.
fn register() -> Repo {
    let repo = Repo::green();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace(
            "identified:",
            "controls:\n  - \"=HYPERLINK(\\\"http://evil\\\")\"\n  - Disks encrypted\nactions:\n  - {id: A-001, title: Lock screens, owner: p-lead, due: 2026-01-20, status: open}\nidentified:",
        ),
    );
    repo.write(
        "assurance/risks/R-002.yaml",
        risk("R-002")
            .replace("Laptop theft", "Supplier, \"gateway\" outage")
            .replace("identified:", "handling: OFFICIAL-SENSITIVE\nidentified:"),
    );
    repo.write(
        "assurance/assessments/2026-01-05-self.yaml",
        format!(
            "{ASSESSMENT}evidence:\n  - {{title: Risk strategy, version: '1.2', date: 2026-01-04, location: SharePoint > Security}}\nactions:\n  - {{id: A-010, title: Patch the CMS, owner: p-lead, due: 2026-03-01, status: open}}\n"
        ),
    );
    repo.write_approvals();
    repo
}

fn export(repo: &Repo, args: &[&str]) -> String {
    let mut all = vec!["export", "--as-of", AS_OF];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(repo.assure(&all));
    assert_eq!(code, 0, "{stderr}");
    stdout
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

#[test]
fn the_risk_register_as_csv_has_the_documented_columns() {
    let repo = register();
    let (header, rows) = csv_rows(&export(&repo, &[]));
    // The columns are a contract (README: Spreadsheets): written out here, so that a change
    // of name or order fails a test, not a team's spreadsheet.
    assert_eq!(
        header,
        [
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
        ]
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 2);
    let (r1, r2) = (&rows[0], &rows[1]);
    assert_eq!(r1[col("id")], "R-001");
    assert_eq!(r1[col("owner_name")], "Lee Lead");
    assert_eq!(r1[col("inherent_score")], "12");
    assert_eq!(r1[col("residual_band")], "Medium");
    assert_eq!(r1[col("identified")], "2026-01-05");
    // Medium risks are reviewed every 3 months.
    assert_eq!(r1[col("next_review")], "2026-04-05");
    // A cell a spreadsheet would run is text; a list is one line per item.
    assert_eq!(
        r1[col("controls")],
        "'=HYPERLINK(\"http://evil\")\nDisks encrypted"
    );
    // Quotes and commas survive; the marking is on the row.
    assert_eq!(r2[col("title")], "Supplier, \"gateway\" outage");
    assert_eq!(r2[col("marking")], "OFFICIAL-SENSITIVE");
    assert_eq!(r1[col("marking")], "OFFICIAL");

    let (header, rows) = csv_rows(&export(&repo, &["--table", "actions"]));
    assert_eq!(
        header,
        [
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
        ]
    );
    let pairs: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[8].as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("risk:R-001", "A-001", "yes"),
            ("assessment:2026-01-05-self", "A-010", "no")
        ]
    );
}

#[test]
fn the_workbook_has_two_sheets_with_dates_as_dates() {
    let repo = register();
    let out = repo.file("register.xlsx");
    let (code, stdout, stderr) = run(repo.assure(&[
        "export",
        "--as-of",
        AS_OF,
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("wrote"), "{stdout}");
    use calamine::{Data, DataType, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(book.sheet_names(), vec!["Risks", "Actions"]);
    let risks = book.worksheet_range("Risks").unwrap();
    let header: Vec<String> = risks
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, assure::export::RISK_COLUMNS);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = risks.rows().nth(1).unwrap();
    assert_eq!(row[col("id")], Data::String("R-001".into()));
    assert_eq!(row[col("inherent_score")].as_f64(), Some(12.0));
    // 2026-01-05 is day 46,027 of Excel's calendar.
    match &row[col("identified")] {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 46027.0),
        other => panic!("not a date: {other:?}"),
    }
    let actions = book.worksheet_range("Actions").unwrap();
    assert_eq!(actions.rows().count(), 3);
    // Frozen header row, filters, and the marking on every printed page.
    let file = std::fs::File::open(&out).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(
        sheet.contains("ySplit=\"1\"") && sheet.contains("state=\"frozen\""),
        "{sheet}"
    );
    assert!(sheet.contains("<autoFilter ref=\"A1:AG3\""), "{sheet}");
    assert!(
        sheet.contains("<oddHeader>&amp;COFFICIAL-SENSITIVE</oddHeader>"),
        "{sheet}"
    );
    // Without --out there is nowhere to put a workbook.
    let (code, _, stderr) = run(repo.assure(&["export", "--format", "xlsx"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("add --out register.xlsx"), "{stderr}");
}

#[test]
fn every_due_date_is_a_calendar_entry_that_updates_in_place() {
    let repo = register();
    let text = export(&repo, &["--format", "ics"]);
    assert!(text.lines().all(|l| l.len() <= 76), "{text}");
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let calendar = ical::IcalParser::new(text.as_bytes())
        .next()
        .unwrap()
        .unwrap();
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let entries: Vec<(String, String, String)> = calendar
        .events
        .iter()
        .map(|e| (prop(e, "UID"), prop(e, "DTSTART"), prop(e, "SUMMARY")))
        .collect();
    let find = |uid: &str| {
        entries
            .iter()
            .find(|(u, _, _)| u == uid)
            .unwrap_or_else(|| panic!("{uid} in {entries:#?}"))
    };
    let action = find("action:risk:R-001:A-001@test-service.assure");
    assert_eq!(action.1, "20260120");
    assert!(
        action
            .2
            .starts_with("[OFFICIAL-SENSITIVE] action A-001 on risk R-001"),
        "{action:?}"
    );
    assert_eq!(find("review:risk:R-002@test-service.assure").1, "20260405");
    find("action:assessment:2026-01-05-self:A-010@test-service.assure");
    find("assessment@test-service.assure");
    // The same records a day later: the same entries, by the same ids.
    let later = {
        let (_, stdout, _) =
            run(repo.assure(&["export", "--as-of", "2026-02-02", "--format", "ics"]));
        stdout
    };
    let uids = |t: &str| {
        let mut u: Vec<String> = t
            .lines()
            .filter_map(|l| l.strip_prefix("UID:"))
            .map(str::to_owned)
            .collect();
        u.sort();
        u
    };
    assert_eq!(uids(&text), uids(&later));
    let unique: std::collections::BTreeSet<String> = uids(&text).into_iter().collect();
    assert_eq!(unique.len(), uids(&text).len(), "UIDs are unique");
}

#[test]
fn the_caat_hand_off_lists_evidence_actions_escalations_and_changes() {
    let repo = register();
    repo.write(
        "assurance/risks/R-003.yaml",
        risk("R-003").replace(
            "identified:",
            "escalation: {to: Army Digital SIRO, date: 2026-01-10, reference: ESC-42}\nidentified:",
        ),
    );
    let text = export(&repo, &["--caat", "2026-01-05-self"]);
    assert!(
        text.contains(
            "| R-003 | Laptop theft | 6 | escalated to Army Digital SIRO on 2026-01-10 (ESC-42) |"
        ),
        "{text}"
    );
    assert!(
        text.starts_with(
            "**OFFICIAL-SENSITIVE**\n\n# For CAAT: self assessment 2026-01-05-self of Test Service"
        ),
        "{text}"
    );
    assert!(
        text.contains("| Risk strategy | 1.2 | 2026-01-04 | SharePoint > Security |  |"),
        "{text}"
    );
    assert!(
        text.contains("| A-010 | Patch the CMS | Lee Lead | 2026-03-01 | open |"),
        "{text}"
    );
    assert!(
        text.contains("- risk R-001 identified on 2026-01-05: Laptop theft"),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with("**OFFICIAL-SENSITIVE**"),
        "{text}"
    );
    let (header, rows) = csv_rows(&export(
        &repo,
        &["--caat", "2026-01-05-self", "--format", "csv"],
    ));
    assert_eq!(header[0], "section");
    let sections: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert!(
        sections.starts_with(&["evidence", "action"]),
        "{sections:?}"
    );
    let (code, _, stderr) = run(repo.assure(&["export", "--caat", "2026-01-05-slf"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("did you mean `2026-01-05-self`?"),
        "{stderr}"
    );
}

/// A milestone's calendar entry is named by the milestone, so it keeps its id as others come
/// and go.
#[test]
fn a_milestone_entry_is_named_by_its_milestone() {
    let repo = register();
    repo.write(
        "assurance/project.yaml",
        format!(
            "{PROJECT}milestones:\n  - {{id: M-001, name: Beta, type: go_live, date: 2026-02-10, independent_review: requested}}\n  - {{id: M-002, name: Go live, type: go_live, date: 2026-03-01, independent_review: undecided}}\n{NO_GIT_WITNESS}"
        ),
    );
    let text = export(&repo, &["--format", "ics"]);
    for id in ["M-001", "M-002"] {
        assert!(
            text.contains(&format!(
                "UID:rule:ASSESS-5:project:{id}@test-service.assure"
            )),
            "{text}"
        );
    }
}
