//! `assure import`: a register's rows become risk records, all or nothing, each problem
//! located as the spreadsheet names it; and a round trip through `assure export` keeps every
//! field the export holds.

use crate::common::*;

/// A records folder with people and an appetite, and no risks.
fn empty_register() -> Repo {
    let repo = Repo::valid();
    repo.remove("assurance/risks/R-001.yaml");
    repo
}

fn import(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    run(repo.assure(&all))
}

const HEADER: &str = "Ref,Risk,Description,Owner,Likelihood,Impact,Residual likelihood,Residual impact,Response,Identified,Reviewed,Status\n";

#[test]
fn a_round_trip_keeps_every_field_the_export_holds() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/logistics-portal/assurance");
    let source = Repo::empty();
    for file in ["project.yaml", "people.yaml", "appetite.yaml"] {
        source.write(
            &format!("assurance/{file}"),
            std::fs::read(examples.join(file)).unwrap(),
        );
    }
    for entry in std::fs::read_dir(examples.join("risks")).unwrap() {
        let path = entry.unwrap().path();
        source.write(
            &format!(
                "assurance/risks/{}",
                path.file_name().unwrap().to_string_lossy()
            ),
            std::fs::read(&path).unwrap(),
        );
    }
    let export = |repo: &Repo, args: &[&str]| {
        let mut all = vec!["export", "--as-of", "2026-11-28"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = run(repo.assure(&all));
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    let workbook = source.file("register.xlsx");
    export(
        &source,
        &["--format", "xlsx", "--out", workbook.to_str().unwrap()],
    );

    let target = Repo::empty();
    for file in ["project.yaml", "people.yaml", "appetite.yaml"] {
        target.write(
            &format!("assurance/{file}"),
            source.read(&format!("assurance/{file}")),
        );
    }
    let (code, stdout, stderr) = import(&target, &[workbook.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("imported 6 risks"), "{stdout}");
    let (code, stdout, _) =
        run(target.assure(&["check", "--as-of", "2026-11-28", "--fail-on", "never"]));
    assert_eq!(code, 0, "{stdout}");
    // Both tables, column for column, as the export holds them.
    for table in ["risks", "actions"] {
        assert_eq!(
            export(&target, &["--table", table]),
            export(&source, &["--table", table]),
            "{table}"
        );
    }
}

#[test]
fn each_problem_is_located_as_the_spreadsheet_names_it_and_nothing_is_written() {
    let repo = empty_register();
    repo.write(
        "register.csv",
        format!(
            "{HEADER}R-001,Laptop theft,A laptop is stolen.,Lee Lead,High,4,2,3,treat,2026-01-05,05/01/2026,open\nR-002,Phishing,Staff are phished.,Lea Lead,3,4,2,2,treat,2026-01-05,2026-01-05,open\n"
        ),
    );
    let map = [
        "--column",
        "id=Ref",
        "--column",
        "title=Risk",
        "--column",
        "owner=Owner",
        "--column",
        "inherent_likelihood=Likelihood",
        "--column",
        "inherent_impact=Impact",
        "--column",
        "residual_likelihood=Residual likelihood",
        "--column",
        "residual_impact=Residual impact",
        "--column",
        "identified=Identified",
        "--column",
        "last_reviewed=Reviewed",
    ];
    let mut args = vec!["register.csv"];
    args.extend_from_slice(&map);
    let (code, stdout, _) = import(&repo, &args);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("error: register.csv:2:5 (E2): inherent_likelihood \"High\" is not 1 to 5\n  = help: write a number from 1 to 5, or map the words with --scale"),
        "{stdout}"
    );
    assert!(
        stdout.contains("error: register.csv:3:4 (D3): owner \"Lea Lead\" is not in people.yaml\n  = help: did you mean Lee Lead?"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 problems; nothing was written"),
        "{stdout}"
    );
    assert!(
        !repo.file("assurance/risks").exists()
            || std::fs::read_dir(repo.file("assurance/risks"))
                .unwrap()
                .count()
                == 0
    );

    // Mapped words, and the name fixed: every row converts.
    repo.write(
        "register.csv",
        repo.read("register.csv").replace("Lea Lead", "Lee Lead"),
    );
    args.extend_from_slice(&["--scale", "Low=2,Medium=3,High=4"]);
    let (code, stdout, stderr) = import(&repo, &args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let r1 = repo.read("assurance/risks/R-001.yaml");
    assert!(
        r1.contains("inherent:\n  likelihood: 4\n  impact: 4"),
        "{r1}"
    );
    assert!(
        r1.contains("owner: p-lead") && r1.contains("last_reviewed: 2026-01-05"),
        "{r1}"
    );
    // Importing again would overwrite: refused, located.
    let (code, stdout, _) = import(&repo, &args);
    assert_eq!(code, 2);
    assert!(
        stdout.contains("error: register.csv:2 (risks/R-001.yaml): a record with this id is already in the records folder"),
        "{stdout}"
    );
}

#[test]
fn a_missing_column_and_a_mapping_file() {
    let repo = empty_register();
    repo.write("register.csv", "id,title\nR-001,Laptop theft\n");
    let (code, stdout, _) = import(&repo, &["register.csv"]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains("error: register.csv:1 (the header row): no column for description\n  = help: name the column that holds it: --column description=HEADER"),
        "{stdout}"
    );
    repo.write(
        "register.csv",
        format!("{HEADER}R-001,Laptop theft,A laptop is stolen.,p-lead,Likely,Major,2,3,Treat,2026-01-05,2026-01-05,Open\n"),
    );
    repo.write(
        "map.yaml",
        "columns:\n  id: Ref\n  title: Risk\n  owner: Owner\n  inherent_likelihood: Likelihood\n  inherent_impact: Impact\n  residual_likelihood: Residual likelihood\n  residual_impact: Residual impact\n  identified: Identified\n  last_reviewed: Reviewed\nscale:\n  Likely: 4\n  Major: 4\n",
    );
    let (code, stdout, stderr) = import(&repo, &["register.csv", "--map", "map.yaml", "--dry-run"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("would write assurance/risks/R-001.yaml"),
        "{stdout}"
    );
    assert!(
        !repo.file("assurance/risks/R-001.yaml").exists(),
        "a dry run writes nothing"
    );
    let (code, _, stderr) = import(&repo, &["register.csv", "--column", "colour=Red"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("there is no field colour to map a column to"),
        "{stderr}"
    );
}

#[test]
fn a_workbook_problem_is_named_by_sheet_and_cell() {
    let repo = empty_register();
    let path = repo.file("register.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Risks").unwrap();
    let header = assure::export::RISK_COLUMNS;
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap() as u16;
    for (field, value) in [
        ("id", "R-001"),
        ("title", "Laptop theft"),
        ("description", "A laptop is stolen."),
        ("owner", "p-lead"),
        ("inherent_likelihood", "High"),
        ("inherent_impact", "4"),
        ("residual_likelihood", "2"),
        ("residual_impact", "3"),
        ("response", "treat"),
        ("identified", "2026-01-05"),
        ("last_reviewed", "2026-01-05"),
        ("status", "open"),
    ] {
        sheet.write_string(1, col(field), value).unwrap();
    }
    book.save(&path).unwrap();
    let (code, stdout, _) = import(&repo, &[path.to_str().unwrap()]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("error: Risks!G2: inherent_likelihood \"High\" is not 1 to 5"),
        "{stdout}"
    );
}

/// A programme's action plan: its own headers (`actions.FIELD` maps them, apart from the
/// risks'), risks named `R-001` or `risk:R-001`, assessments' actions left out with a note;
/// and cells the export guarded against formulas come back as they were.
#[test]
fn an_action_plan_with_its_own_headers_and_guarded_cells() {
    let repo = empty_register();
    repo.write(
        "risks.csv",
        "id,title,description,category,owner,inherent_likelihood,inherent_impact,residual_likelihood,residual_impact,response,controls,identified,last_reviewed,status\nR-001,Laptop theft,A laptop is stolen.,Supply chain,p-lead,3,4,2,3,treat,\"'=SUM(A1)\",2026-01-05,2026-01-05,open\n",
    );
    repo.write(
        "actions.csv",
        "Risk,Action ID,What,Who,Due,State\nR-001,A-001,Lock screens,Lee Lead,2026-03-01,open\nrisk:R-001,A-002,Encrypt disks,p-lead,2026-03-01,open\nassessment:2026-01-05-self,A-010,Patch,p-lead,2026-03-01,open\n",
    );
    let (code, stdout, stderr) = import(
        &repo,
        &[
            "risks.csv",
            "--actions",
            "actions.csv",
            "--column",
            "actions.record=Risk",
            "--column",
            "actions.id=Action ID",
            "--column",
            "actions.title=What",
            "--column",
            "actions.owner=Who",
            "--column",
            "actions.due=Due",
            "--column",
            "actions.status=State",
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "note: 1 action of assessments left out: they belong to the assessment records"
        ),
        "{stdout}"
    );
    let r1 = repo.read("assurance/risks/R-001.yaml");
    assert!(
        r1.contains("- =SUM(A1)") || r1.contains("- '=SUM(A1)'") || r1.contains("- \"=SUM(A1)\""),
        "{r1}"
    );
    assert!(!r1.contains("'="), "{r1}");
    assert!(r1.contains("category: supply_chain"), "{r1}");
    assert!(
        r1.contains("id: A-001") && r1.contains("id: A-002") && !r1.contains("A-010"),
        "{r1}"
    );
}
