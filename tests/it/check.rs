//! `assure check`: every kind of bad input gets a clear error with file, line and column,
//! never a panic; valid records pass; every problem is reported in one run.

use crate::common::*;

fn check_json(repo: &Repo) -> (i32, serde_json::Value) {
    // These tests are about validity; the status has its own tests (tests/it/status.rs).
    let (code, stdout, stderr) = run(repo.assure(&[
        "check",
        "--format",
        "json",
        "--as-of",
        "2026-02-01",
        "--fail-on",
        "never",
    ]));
    assert!(stderr.is_empty(), "stderr: {stderr}");
    (code, json(&stdout))
}

fn only_problem(repo: &Repo) -> (String, u64, u64, String, serde_json::Value) {
    let (code, report) = check_json(repo);
    assert_eq!(code, 2, "{report:#}");
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report:#}");
    let p = problems[0].clone();
    (
        p["file"].as_str().unwrap().to_owned(),
        p["line"].as_u64().unwrap(),
        p["column"].as_u64().unwrap(),
        p["code"].as_str().unwrap().to_owned(),
        p,
    )
}

#[test]
fn valid_records_pass() {
    let repo = Repo::valid();
    let (code, stdout, _) =
        run(repo.assure(&["check", "--as-of", "2026-02-01", "--fail-on", "never"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(
            "\nok: 4 records in assurance/ are valid (project, people, appetite, 1 risk)\nRED: "
        ),
        "{stdout}"
    );
    let (code, report) = check_json(&repo);
    assert_eq!(code, 0);
    assert_eq!(report["valid"], true);
    assert_eq!(report["version"], 1);
    assert_eq!(report["records"]["risk"], 1);
    assert_eq!(report["as_of"], "2026-02-01");
    assert_eq!(report["directory"], "assurance");
}

#[test]
fn finds_the_records_from_a_subdirectory() {
    let repo = Repo::valid();
    std::fs::create_dir_all(repo.file("src/deep")).unwrap();
    let (code, stdout, _) = run(assure_in(
        &repo.file("src/deep"),
        &["check", "--fail-on", "never"],
    ));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("in assurance/"));
}

#[test]
fn dir_flag_names_another_folder() {
    let repo = Repo::empty();
    for (name, text) in [("project.yaml", PROJECT), ("people.yaml", PEOPLE)] {
        repo.write(&format!("governance/records/{name}"), text);
    }
    let (code, stdout, _) =
        run(repo.assure(&["check", "--dir", "governance/records", "--fail-on", "never"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("in governance/records/"), "{stdout}");
}

#[test]
fn missing_records_folder_is_explained() {
    let repo = Repo::empty();
    let (code, stdout, stderr) = run(repo.assure(&["check"]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("no records folder found"), "{stderr}");
    assert!(stderr.contains("assure init"), "{stderr}");
}

#[test]
fn human_output_shows_the_line_with_a_caret_and_a_suggestion() {
    let repo = Repo::valid();
    let text = risk("R-001").replace("last_reviewed:", "last_reveiwed:");
    repo.write("assurance/risks/R-001.yaml", &text);
    let (code, stdout, _) = run(repo.assure(&["check"]));
    assert_eq!(code, 2);
    assert_eq!(
        stdout,
        "error[unknown-field]: unknown field `last_reveiwed`
  --> assurance/risks/R-001.yaml:11:1
   |
11 | last_reveiwed: 2026-01-05
   | ^^^^^^^^^^^^^
   = help: did you mean `last_reviewed`?

error: 1 problem in 1 file; the records are not valid, so no status can be given. Fix them and run `assure check` again.
"
    );
}

#[test]
fn colour_only_when_asked() {
    let repo = Repo::valid();
    repo.write("assurance/risks/R-002.yaml", "kind: risk\n");
    let (_, plain, _) = run(repo.assure(&["check"]));
    assert!(!plain.contains('\x1b'));
    let (_, coloured, _) = run(repo.assure(&["check", "--color", "always"]));
    assert!(coloured.contains("\x1b[1;31merror\x1b[0m"), "{coloured}");
}

#[test]
fn yaml_syntax_error() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-002.yaml",
        "kind: risk\nid: R-002\ntitle: \"unterminated\nowner: p-lead\n",
    );
    let (file, line, column, code, p) = only_problem(&repo);
    assert_eq!(
        (file.as_str(), line, column, code.as_str()),
        ("assurance/risks/R-002.yaml", 3, 8, "yaml-syntax")
    );
    assert!(p["message"].as_str().unwrap().contains("quote"), "{p}");
}

#[test]
fn wrong_types_say_what_was_expected_and_how_to_fix_it() {
    let repo = Repo::valid();
    let text = risk("R-001")
        .replace(
            "residual: {likelihood: 2, impact: 3}",
            "residual: {likelihood: \"2\", impact: 3}",
        )
        .replace("title: Laptop theft", "title: 1.10");
    repo.write("assurance/risks/R-001.yaml", &text);
    let (code, report) = check_json(&repo);
    assert_eq!(code, 2);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{report:#}");
    assert_eq!(problems[0]["code"], "wrong-type");
    assert_eq!(problems[0]["line"], 3);
    assert_eq!(problems[0]["message"], "`title` must be text, not a number");
    assert_eq!(
        problems[0]["hint"],
        "quote it so it stays exactly as written: \"1.10\""
    );
    assert_eq!(problems[1]["line"], 9);
    assert_eq!(problems[1]["column"], 24);
    assert_eq!(problems[1]["hint"], "remove the quotes: 2");
}

#[test]
fn unknown_fields_suggest_the_closest_name() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001") + "escalaton: true\n",
    );
    let (file, line, column, code, p) = only_problem(&repo);
    assert_eq!(
        (file.as_str(), line, column, code.as_str()),
        ("assurance/risks/R-001.yaml", 12, 1, "unknown-field")
    );
    assert_eq!(p["message"], "unknown field `escalaton`");
    assert_eq!(p["hint"], "did you mean `escalation`?");
    assert_eq!(p["kind"], "risk");
    assert_eq!(p["id"], "R-001");
    // The README promises the field's JSON pointer.
    assert_eq!(p["pointer"], "/escalaton");
}

/// Fields renamed before the first release say what they are now.
#[test]
fn a_renamed_field_says_what_it_is_now() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001") + "escalate: true\n",
    );
    let (_, _, _, code, p) = only_problem(&repo);
    assert_eq!(code, "unknown-field");
    assert_eq!(
        p["hint"],
        "`escalate: true` is replaced by the record of the escalation: `escalation: {to, date, reference}`"
    );
    let project = repo.read("assurance/project.yaml");
    repo.write("assurance/risks/R-001.yaml", risk("R-001"));
    repo.write(
        "assurance/project.yaml",
        format!("{project}risk_level: high\n"),
    );
    let (_, _, _, code, p) = only_problem(&repo);
    assert_eq!(code, "unknown-field");
    assert!(
        p["hint"]
            .as_str()
            .unwrap()
            .starts_with("`risk_level` is now `criticality`"),
        "{p}"
    );
}

#[test]
fn unknown_fields_in_nested_objects() {
    let repo = Repo::valid();
    let text = risk("R-001").replace(
        "residual: {likelihood: 2, impact: 3}",
        "residual:\n  likelihood: 2\n  impcat: 3",
    );
    repo.write("assurance/risks/R-001.yaml", &text);
    let (_, report) = check_json(&repo);
    let problems = problems(&report);
    assert!(
        problems.contains(&(
            "assurance/risks/R-001.yaml".into(),
            11,
            3,
            "unknown-field".into()
        )),
        "{problems:?}"
    );
    // `impcat` is a spelling of the missing `impact`: one mistake, one error.
    assert!(
        problems.iter().all(|p| p.3 != "missing-field"),
        "{problems:?}"
    );
}

#[test]
fn missing_required_fields() {
    let repo = Repo::valid();
    let text: String = risk("R-001")
        .lines()
        .filter(|l| !l.starts_with("owner:"))
        .map(|l| format!("{l}\n"))
        .collect();
    repo.write("assurance/risks/R-001.yaml", &text);
    let (_, line, column, code, p) = only_problem(&repo);
    assert_eq!((line, column, code.as_str()), (1, 1, "missing-field"));
    assert_eq!(p["message"], "missing required field `owner`");
    assert!(
        p["hint"]
            .as_str()
            .unwrap()
            .contains("person id from people.yaml"),
        "{p}"
    );
}

#[test]
fn conditional_requirements() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace("status: open", "status: closed"),
    );
    let (_, _, _, code, p) = only_problem(&repo);
    assert_eq!(code, "missing-field");
    assert_eq!(p["message"], "missing required field `closed`");
}

#[test]
fn impossible_dates() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace("identified: 2026-01-05", "identified: 2026-02-30"),
    );
    let (file, line, column, code, p) = only_problem(&repo);
    assert_eq!(
        (file.as_str(), line, column, code.as_str()),
        ("assurance/risks/R-001.yaml", 10, 13, "invalid-date")
    );
    assert_eq!(
        p["message"],
        "`identified`: `2026-02-30` is not a real date: February 2026 has 28 days"
    );
}

#[test]
fn malformed_dates_and_durations() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace("identified: 2026-01-05", "identified: 5 Jan 2026"),
    );
    repo.write(
        "assurance/project.yaml",
        format!("{PROJECT}policy:\n  due_soon: 2w\n"),
    );
    let (_, report) = check_json(&repo);
    let problems = problems(&report);
    assert!(
        problems.contains(&(
            "assurance/project.yaml".into(),
            9,
            13,
            "invalid-format".into()
        )),
        "{problems:?}"
    );
    assert!(
        problems.contains(&(
            "assurance/risks/R-001.yaml".into(),
            10,
            13,
            "invalid-date".into()
        )),
        "{problems:?}"
    );
    let duration = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == "assurance/project.yaml")
        .unwrap();
    assert_eq!(
        duration["message"],
        "`policy.due_soon`: `2w` is not an ISO 8601 duration"
    );
}

#[test]
fn duplicate_keys() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001") + "owner: p-sro\n",
    );
    let (_, line, column, code, _) = only_problem(&repo);
    assert_eq!((line, column, code.as_str()), (12, 1, "duplicate-key"));
}

#[test]
fn an_action_id_used_twice_is_named_where_it_is_repeated() {
    let repo = Repo::valid();
    let action = "actions:\n  - id: A-001\n    title: Encrypt disks\n    owner: p-lead\n    due: 2026-03-01\n    status: open\n";
    repo.write("assurance/risks/R-001.yaml", risk("R-001") + action);
    repo.write("assurance/risks/R-002.yaml", risk("R-002") + action);
    let (file, line, column, code, p) = only_problem(&repo);
    assert_eq!(
        (file.as_str(), line, column, code.as_str()),
        ("assurance/risks/R-002.yaml", 13, 9, "duplicate-id")
    );
    assert_eq!(
        p["message"],
        "action id `A-001` is already used in assurance/risks/R-001.yaml"
    );
}

#[test]
fn duplicate_ids_across_files() {
    let repo = Repo::valid();
    repo.write("assurance/risks/closed/R-001.yaml", risk("R-001"));
    let (file, line, column, code, p) = only_problem(&repo);
    assert_eq!(
        (file.as_str(), line, column, code.as_str()),
        ("assurance/risks/closed/R-001.yaml", 2, 5, "duplicate-id")
    );
    assert_eq!(
        p["message"],
        "risk id `R-001` is already used in assurance/risks/R-001.yaml"
    );
}

#[test]
fn duplicate_action_ids_across_records() {
    let repo = Repo::valid();
    let action =
        "actions:\n  - {id: A-001, title: Fix, owner: p-lead, due: 2026-03-01, status: open}\n";
    repo.write("assurance/risks/R-001.yaml", risk("R-001") + action);
    repo.write("assurance/risks/R-002.yaml", risk("R-002") + action);
    let (file, line, _, code, _) = only_problem(&repo);
    assert_eq!(
        (file.as_str(), line, code.as_str()),
        ("assurance/risks/R-002.yaml", 13, "duplicate-id")
    );
}

/// An event names the risks and the appetite it affects, which must exist; nothing else.
#[test]
fn an_event_affects_risks_and_the_appetite() {
    let repo = Repo::valid();
    let event = "kind: event\nid: E-001\ntype: change\ndate: 2026-01-10\nsummary: Moved.\n";
    repo.write(
        "assurance/events/E-001.yaml",
        format!("{event}affects: [risk:R-001, appetite]\n"),
    );
    let (code, _) = check_json(&repo);
    assert_eq!(code, 0);
    repo.write(
        "assurance/events/E-001.yaml",
        format!("{event}affects: [project]\n"),
    );
    let (_, line, column, code, p) = only_problem(&repo);
    assert_eq!((line, column, code.as_str()), (6, 11, "invalid-format"));
    assert_eq!(
        p["hint"],
        "A risk the event affects, `risk:R-NNN`, or the risk appetite, `appetite`."
    );
    repo.write(
        "assurance/events/E-001.yaml",
        format!("{event}affects: [risk:R-009]\n"),
    );
    let (_, _, _, code, p) = only_problem(&repo);
    assert_eq!(code, "unknown-reference");
    assert_eq!(p["message"], "unknown risk `R-009`");
}

#[test]
fn an_escalation_cannot_predate_its_risk() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001") + "escalation: {to: Army TLB, date: 2020-01-01, reference: X-1}\n",
    );
    let (_, _, _, code, p) = only_problem(&repo);
    assert_eq!(code, "inconsistent-dates");
    assert_eq!(
        p["message"],
        "the escalation is dated 2020-01-01, before the risk was identified on 2026-01-05"
    );
    assert_eq!(p["pointer"], "/escalation/date");
}

#[test]
fn dangling_references() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace("owner: p-lead", "owner: p-laed"),
    );
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        format!(
            "kind: signoff\nid: S-0001\ntype: report_approval\nsubject: assessment:2026-01-01-self\nsubject_digest: sha256:{}\nsigned_by: p-sro\ndate: 2026-01-10\n",
            "a".repeat(64)
        ),
    );
    repo.write("assurance/boards/2026-01-20.yaml", "kind: board\nid: 2026-01-20\ndate: 2026-01-20\nboard: Programme Board\ndecisions: [S-0009]\n");
    let (code, report) = check_json(&repo);
    assert_eq!(code, 2);
    let found: Vec<_> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap(),
                p["line"].as_u64().unwrap(),
                p["code"].as_str().unwrap(),
                p["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "assurance/boards/2026-01-20.yaml",
                5,
                "unknown-reference",
                "unknown signoff `S-0009`"
            ),
            (
                "assurance/risks/R-001.yaml",
                5,
                "unknown-reference",
                "unknown person `p-laed`"
            ),
            (
                "assurance/signoffs/S-0001.yaml",
                4,
                "unknown-reference",
                "unknown assessment `2026-01-01-self`"
            ),
        ]
    );
    let owner = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["line"] == 5 && p["kind"] == "risk")
        .unwrap();
    assert_eq!(
        owner["hint"],
        "did you mean `p-lead`? People are listed in people.yaml"
    );
}

#[test]
fn records_above_max_classification_are_refused_and_never_echoed() {
    let repo = Repo::valid();
    let secret = "kind: risk\nid: R-009\ntitle: Codeword ZEPHYR exposure\nclassification: SECRET\ndescription: ZEPHYR detail\n";
    repo.write("assurance/risks/R-009.yaml", secret);
    // A broken classified file is refused too, without quoting it.
    repo.write(
        "assurance/risks/R-010.yaml",
        "kind: risk\nclassification: TOP SECRET\ntitle: \"ZEPHYR unterminated\n",
    );
    for format in ["human", "json"] {
        let (code, stdout, stderr) = run(repo.assure(&["check", "--format", format]));
        assert_eq!(code, 2);
        assert!(
            !stdout.contains("ZEPHYR") && !stderr.contains("ZEPHYR"),
            "{stdout}"
        );
        assert!(
            !stdout.contains("R-009 ") && !stdout.contains("\"R-009\""),
            "{stdout}"
        );
    }
    let (_, report) = check_json(&repo);
    let problems = problems(&report);
    assert_eq!(
        problems,
        vec![
            (
                "assurance/risks/R-009.yaml".into(),
                4,
                17,
                "above-classification".into()
            ),
            (
                "assurance/risks/R-010.yaml".into(),
                2,
                17,
                "above-classification".into()
            ),
        ]
    );
    assert_eq!(
        report["records"]["risk"], 1,
        "refused records are not counted"
    );
    // A repository allowed to hold SECRET accepts it.
    repo.write(
        "assurance/project.yaml",
        format!("{PROJECT}max_classification: SECRET\n"),
    );
    let (_, report) = check_json(&repo);
    assert!(
        problems_of(&report)
            .iter()
            .all(|p| p.3 != "above-classification" || p.0.ends_with("R-010.yaml")),
        "{report:#}"
    );
}

/// A handling marking that names a classification is that classification: `handling: TOP
/// SECRET` cannot carry a record past the guard.
#[test]
fn a_handling_marking_naming_a_classification_is_guarded_as_one() {
    let repo = Repo::valid();
    for (handling, line) in [
        ("TOP SECRET", "handling: TOP SECRET\n"),
        ("SECRET UK EYES ONLY", "handling: \"SECRET UK EYES ONLY\"\n"),
    ] {
        repo.write(
            "assurance/risks/R-009.yaml",
            format!("kind: risk\nid: R-009\ntitle: Codeword ZEPHYR\n{line}"),
        );
        let (code, stdout, _) = run(repo.assure(&["check", "--format", "json"]));
        assert_eq!(code, 2, "{handling}");
        assert!(!stdout.contains("ZEPHYR"), "{stdout}");
        let (_, report) = check_json(&repo);
        assert_eq!(
            problems(&report),
            vec![(
                "assurance/risks/R-009.yaml".into(),
                4,
                11,
                "above-classification".into()
            )],
            "{handling}"
        );
    }
    // OFFICIAL-SENSITIVE names OFFICIAL: allowed.
    repo.write(
        "assurance/risks/R-009.yaml",
        risk("R-009") + "handling: OFFICIAL-SENSITIVE\n",
    );
    assert_eq!(check_json(&repo).0, 0);
}

fn problems_of(report: &serde_json::Value) -> Vec<(String, u64, u64, String)> {
    problems(report)
}

#[test]
fn handling_markings_are_not_classifications() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001") + "classification: OFFICIAL-SENSITIVE\n",
    );
    let (_, _, _, code, p) = only_problem(&repo);
    assert_eq!(code, "invalid-value");
    assert!(
        p["hint"]
            .as_str()
            .unwrap()
            .contains("handling: OFFICIAL-SENSITIVE"),
        "{p}"
    );
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001") + "classification: OFFICIAL\nhandling: OFFICIAL-SENSITIVE\n",
    );
    assert_eq!(check_json(&repo).0, 0);
}

#[test]
fn alias_bombs_and_deep_nesting_are_bounded_errors() {
    let repo = Repo::valid();
    let mut bomb =
        String::from("kind: risk\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
    }
    repo.write("assurance/risks/R-002.yaml", &bomb);
    repo.write(
        "assurance/risks/R-003.yaml",
        format!("kind: risk\nx: {}\n", "[".repeat(200_000)),
    );
    let block: String = (0..300).map(|i| format!("{}-\n", "  ".repeat(i))).collect();
    repo.write(
        "assurance/risks/R-004.yaml",
        format!("kind: risk\nx:\n{block}"),
    );
    let (code, report) = check_json(&repo);
    assert_eq!(code, 2);
    let problems = problems(&report);
    let limits: Vec<_> = problems
        .iter()
        .filter(|p| p.3 == "yaml-limit")
        .map(|p| p.0.as_str())
        .collect();
    assert_eq!(
        limits,
        vec![
            "assurance/risks/R-002.yaml",
            "assurance/risks/R-003.yaml",
            "assurance/risks/R-004.yaml"
        ],
        "{problems:?}"
    );
    assert!(problems.iter().all(|p| p.1 > 0 && p.2 > 0));
}

#[test]
fn files_over_the_size_limit() {
    let repo = Repo::valid();
    let big = format!("kind: risk\ndescription: \"{}\"\n", "x".repeat(1_200_000));
    repo.write("assurance/risks/R-002.yaml", big);
    let (file, line, column, code, p) = only_problem(&repo);
    assert_eq!(
        (file.as_str(), line, column, code.as_str()),
        ("assurance/risks/R-002.yaml", 1, 1, "file-too-large")
    );
    assert!(p["message"].as_str().unwrap().contains("1 MiB"), "{p}");
}

#[test]
fn binary_and_non_utf8_files() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-002.yaml",
        b"kind: risk\n\x00\x01\x02binary".as_slice(),
    );
    repo.write(
        "assurance/risks/R-003.yaml",
        b"kind: risk\nid: R-003\ntitle: caf\xe9\n".as_slice(),
    );
    repo.write(
        "assurance/risks/R-004.yaml",
        b"\xff\xfek\x00i\x00n\x00d\x00".as_slice(),
    );
    let (_, report) = check_json(&repo);
    assert_eq!(
        problems(&report),
        vec![
            (
                "assurance/risks/R-002.yaml".into(),
                2,
                1,
                "binary-file".into()
            ),
            (
                "assurance/risks/R-003.yaml".into(),
                3,
                11,
                "not-utf8".into()
            ),
            (
                "assurance/risks/R-004.yaml".into(),
                1,
                4,
                "binary-file".into()
            ),
        ]
    );
    let utf16 = &report["problems"][2];
    assert!(
        utf16["hint"].as_str().unwrap().contains("UTF-16"),
        "{utf16}"
    );
}

#[test]
fn a_byte_order_mark_is_fine() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        format!("\u{feff}{}", risk("R-001")),
    );
    assert_eq!(check_json(&repo).0, 0);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_are_not_followed() {
    let repo = Repo::valid();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("R-002.yaml"), risk("R-002")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("R-002.yaml"),
        repo.file("assurance/risks/R-002.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.file("assurance/events")).unwrap();
    // A link that stays inside the repository is followed.
    repo.write("shared/R-003.yaml", risk("R-003"));
    std::os::unix::fs::symlink(
        repo.file("shared/R-003.yaml"),
        repo.file("assurance/risks/R-003.yaml"),
    )
    .unwrap();
    let (_, report) = check_json(&repo);
    assert_eq!(
        problems(&report),
        vec![
            ("assurance/events".into(), 1, 1, "symlink-outside".into()),
            (
                "assurance/risks/R-002.yaml".into(),
                1,
                1,
                "symlink-outside".into()
            ),
        ]
    );
    assert_eq!(report["records"]["risk"], 2);
}

#[test]
fn empty_files() {
    let repo = Repo::valid();
    repo.write("assurance/risks/R-002.yaml", "");
    repo.write("assurance/events/E-001.yaml", "# nothing here yet\n\n");
    let (_, report) = check_json(&repo);
    assert_eq!(
        problems(&report),
        vec![
            (
                "assurance/events/E-001.yaml".into(),
                1,
                1,
                "empty-file".into()
            ),
            (
                "assurance/risks/R-002.yaml".into(),
                1,
                1,
                "empty-file".into()
            ),
        ]
    );
    assert_eq!(
        report["problems"][1]["hint"],
        "start it with `kind: risk`, or delete the file"
    );
}

#[test]
fn kinds_must_be_known_and_in_their_place() {
    let repo = Repo::valid();
    repo.write("assurance/risks/R-002.yaml", "kind: rsk\nid: R-002\n");
    repo.write(
        "assurance/risks/E-001.yaml",
        "kind: event\nid: E-001\ntype: change\ndate: 2026-01-02\nsummary: A change.\n",
    );
    repo.write("assurance/risks/R-003.yaml", "id: R-003\n");
    repo.write("assurance/risks/R-004.yaml", risk("R-005"));
    let (_, report) = check_json(&repo);
    assert_eq!(
        problems(&report),
        // The files that could not be read as records come first.
        vec![
            (
                "assurance/risks/R-002.yaml".into(),
                1,
                7,
                "unknown-kind".into()
            ),
            (
                "assurance/risks/R-003.yaml".into(),
                1,
                1,
                "missing-kind".into()
            ),
            (
                "assurance/risks/E-001.yaml".into(),
                1,
                7,
                "wrong-place".into()
            ),
            (
                "assurance/risks/R-004.yaml".into(),
                2,
                5,
                "id-mismatch".into()
            ),
        ]
    );
    assert_eq!(report["problems"][0]["hint"], "did you mean `risk`?");
}

#[test]
fn more_than_one_document() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-002.yaml",
        risk("R-002") + "---\n" + &risk("R-003"),
    );
    let (_, line, _, code, _) = only_problem(&repo);
    assert_eq!((line, code.as_str()), (12, "multiple-documents"));
}

#[test]
fn missing_project_and_people() {
    let repo = Repo::empty();
    repo.write("assurance/risks/R-001.yaml", risk("R-001"));
    let (_, report) = check_json(&repo);
    assert_eq!(
        problems(&report),
        vec![
            (
                "assurance/people.yaml".into(),
                1,
                1,
                "missing-record".into()
            ),
            (
                "assurance/project.yaml".into(),
                1,
                1,
                "missing-record".into()
            ),
        ]
    );
}

#[test]
fn invalid_policy() {
    let repo = Repo::valid();
    repo.write(
        "assurance/project.yaml",
        format!("{PROJECT}policy:\n  assessment_interval: P4M\n"),
    );
    let (_, line, column, code, p) = only_problem(&repo);
    assert_eq!((line, column, code.as_str()), (9, 24, "invalid-policy"));
    assert!(
        p["hint"]
            .as_str()
            .unwrap()
            .contains("at least every 3 months"),
        "{p}"
    );
}

#[test]
fn acceptance_longer_than_policy_allows() {
    let repo = Repo::valid();
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        format!(
            "kind: signoff\nid: S-0001\ntype: risk_acceptance\nsubject: risk:R-001\nsubject_digest: sha256:{}\nsigned_by: p-sro\ndate: 2026-01-10\nexpires: 2027-06-01\nrationale: Accepted until the supplier fixes it.\n",
            "a".repeat(64)
        ),
    );
    let (_, line, _, code, p) = only_problem(&repo);
    assert_eq!((line, code.as_str()), (8, "inconsistent-dates"));
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("the latest allowed is 2027-01-10"),
        "{p}"
    );
}

#[test]
fn every_problem_in_every_file_in_one_run() {
    let repo = Repo::valid();
    repo.write("assurance/risks/R-002.yaml", "kind: risk\nid: R-002\n");
    repo.write("assurance/risks/R-003.yaml", "kind: risk\nid: [\n");
    repo.write(
        "assurance/events/E-001.yaml",
        "kind: event\nid: E-001\ntype: breach\ndate: 2026-13-01\nsummary: x\n",
    );
    let (code, report) = check_json(&repo);
    assert_eq!(code, 2);
    let files: std::collections::BTreeSet<_> = problems(&report).into_iter().map(|p| p.0).collect();
    assert_eq!(files.len(), 3, "{report:#}");
    // R-002 alone misses eight required fields: each is reported.
    assert!(
        problems(&report)
            .iter()
            .filter(|p| p.0.ends_with("R-002.yaml"))
            .count()
            >= 8
    );
}

#[test]
fn bad_command_lines_exit_2() {
    let repo = Repo::valid();
    for args in [
        vec!["check", "--as-of", "2026-02-30"],
        vec!["check", "--format", "xml"],
        vec!["check", "--fail-on", "purple"],
        vec!["nonsense"],
    ] {
        let (code, _, stderr) = run(repo.assure(&args));
        assert_eq!(code, 2, "{args:?}");
        assert!(!stderr.is_empty());
    }
    let (_, _, stderr) = run(repo.assure(&["check", "--as-of", "2026-02-30"]));
    assert!(stderr.contains("February 2026 has 28 days"), "{stderr}");
}

#[test]
fn check_never_writes() {
    let repo = Repo::valid();
    repo.write("assurance/risks/R-002.yaml", "kind: risk\n");
    let before: Vec<_> = walk(repo.path());
    run(repo.assure(&["check"]));
    assert_eq!(walk(repo.path()), before);
}

fn walk(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn the_example_project_is_valid() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, _) = run(assure_in(
        root,
        &[
            "check",
            "--dir",
            "examples/logistics-portal/assurance",
            "--as-of",
            "2026-11-28",
        ],
    ));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("6 risks, 2 assessments, 3 sign-offs, 1 event, 1 board"),
        "{stdout}"
    );
}

#[test]
fn scores_beyond_a_smaller_configured_scale() {
    let repo = Repo::valid();
    repo.write(
        "assurance/project.yaml",
        format!(
            "{PROJECT}policy:\n  scale:\n    likelihood: [low, medium, high]\n    impact: [low, medium, high]\n    bands:\n      - {{name: low, min: 1, max: 3}}\n      - {{name: high, min: 4, max: 9}}\n  review_interval: {{low: P6M, high: P1M}}\n"
        ),
    );
    let (_, line, column, code, p) = only_problem(&repo);
    assert_eq!((line, column, code.as_str()), (8, 35, "out-of-range"));
    assert_eq!(
        p["message"],
        "impact 4 is beyond the policy's 3-level scale"
    );
}

/// A duration in the right form but out of range is a located error, not a bug report.
#[test]
fn durations_out_of_range_are_located() {
    let repo = Repo::valid();
    repo.write(
        "assurance/project.yaml",
        format!("{PROJECT}policy:\n  board_cadence: P0D\n  acceptance_max: P999Y\n"),
    );
    let (code, report) = check_json(&repo);
    assert_eq!(code, 2);
    assert_eq!(
        problems(&report),
        vec![
            (
                "assurance/project.yaml".into(),
                9,
                18,
                "out-of-range".into()
            ),
            (
                "assurance/project.yaml".into(),
                10,
                19,
                "out-of-range".into()
            ),
        ]
    );
    let messages: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        vec![
            "`policy.board_cadence`: `P0D` is zero; a duration must be at least one day",
            "`policy.acceptance_max`: `P999Y` is longer than a century",
        ]
    );
}

/// Anything under the records that is not a regular file is refused without being opened
/// (a FIFO would hang the check), and a file name with control characters is refused
/// without printing them.
#[cfg(unix)]
#[test]
fn pipes_and_hostile_file_names_are_refused_unread() {
    let repo = Repo::valid();
    let fifo = repo.file("assurance/risks/R-009.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    repo.write("assurance/risks/R-0\u{1b}[2K10.yaml", risk("R-010"));
    let (code, stdout, _) = run(repo.assure(&["check", "--as-of", "2026-02-01"]));
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("error[unreadable]: cannot read the file: it is not a regular file (a pipe, device or socket is never opened)\n --> assurance/risks/R-009.yaml"),
        "{stdout}"
    );
    assert!(
        stdout.contains("error[unreadable]: the file name holds control characters; not read\n --> assurance/risks/R-0␛[2K10.yaml"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
}

/// A records folder that is a link leaving the repository is not followed, whether found
/// by default or named with --dir; a --dir that would walk the whole disk stops, and says
/// why.
#[cfg(unix)]
#[test]
fn the_records_folder_stays_inside_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    let elsewhere = Repo::valid();
    std::fs::rename(elsewhere.file("assurance"), outside.path().join("records")).unwrap();
    let repo = Repo::empty();
    std::os::unix::fs::symlink(outside.path().join("records"), repo.file("assurance")).unwrap();
    for args in [&["check"][..], &["check", "--dir", "assurance"][..]] {
        let (code, stdout, _) = run(repo.assure(args));
        assert_eq!(code, 2, "{args:?}: {stdout}");
        assert!(
            stdout.contains("error[symlink-outside]: the records folder is a link leaving the repository; not followed"),
            "{args:?}: {stdout}"
        );
    }
    // Folders deeper than any records folder has, as under a system folder.
    let deep = tempfile::tempdir().unwrap();
    let bottom = (0..20).fold(deep.path().to_path_buf(), |path, i| {
        path.join(format!("d{i}"))
    });
    std::fs::create_dir_all(&bottom).unwrap();
    std::fs::write(bottom.join("x.yaml"), "kind: risk\n").unwrap();
    let (code, stdout, _) = run(repo.assure(&["check", "--dir", deep.path().to_str().unwrap()]));
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("error[too-many-files]"), "{stdout}");
}

/// A record is plain data: tags and merge keys are refused where they are; a whole number
/// written as a decimal or with a leading zero is a located wrong type, not a bug report;
/// bare-CR line endings count lines as YAML does; `True` is YAML 1.2's true.
#[test]
fn yaml_features_records_do_not_use_are_refused_where_they_are() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace("title: Laptop theft", "title: !!binary aGVsbG8="),
    );
    repo.write(
        "assurance/risks/R-002.yaml",
        risk("R-002")
            .replace(
                "inherent: {likelihood: 3, impact: 4}",
                "inherent: &i {likelihood: 3, impact: 4}",
            )
            .replace(
                "residual: {likelihood: 2, impact: 3}",
                "residual:\n  <<: *i\n  likelihood: 2",
            ),
    );
    repo.write(
        "assurance/risks/R-003.yaml",
        risk("R-003").replace("inherent: {likelihood: 3,", "inherent: {likelihood: 3.0,"),
    );
    repo.write(
        "assurance/risks/R-004.yaml",
        risk("R-004").replace("inherent: {likelihood: 3,", "inherent: {likelihood: 03,"),
    );
    repo.write(
        "assurance/risks/R-005.yaml",
        risk("R-005")
            .replace("last_reviewed:", "last_reveiwed:")
            .replace('\n', "\r"),
    );
    let (code, report) = check_json(&repo);
    assert_eq!(code, 2);
    let found = problems(&report);
    for expected in [
        ("assurance/risks/R-001.yaml", 3, 17, "yaml-feature"),
        ("assurance/risks/R-002.yaml", 10, 3, "yaml-feature"),
        ("assurance/risks/R-003.yaml", 8, 24, "wrong-type"),
        ("assurance/risks/R-004.yaml", 8, 24, "wrong-type"),
        ("assurance/risks/R-005.yaml", 11, 1, "unknown-field"),
    ] {
        let expected = (
            expected.0.to_owned(),
            expected.1,
            expected.2,
            expected.3.to_owned(),
        );
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
    assert!(!found.iter().any(|p| p.3 == "schema"), "{found:?}");
    let (_, stdout, _) = run(repo.assure(&["check"]));
    assert!(
        stdout.contains("11 | last_reveiwed: 2026-01-05\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("error[wrong-type]: `inherent.likelihood` is `3.0`, not a whole number"),
        "{stdout}"
    );

    // `True` is a YAML 1.2 boolean; `yes` is text.
    let fresh = Repo::valid();
    fresh.write(
        "assurance/project.yaml",
        format!("{PROJECT}policy:\n  signoff: {{require_git_author: False}}\n"),
    );
    assert_eq!(check_json(&fresh).0, 0);
    fresh.write(
        "assurance/project.yaml",
        format!("{PROJECT}policy:\n  signoff: {{require_git_author: no}}\n"),
    );
    let (_, _, _, code, _) = only_problem(&fresh);
    assert_eq!(code, "wrong-type");
}

/// A file that looks like a record but is not read is an error: it would be missing from
/// every verdict. Other files (a README, a diagram) pass unremarked.
#[test]
fn a_record_the_tool_would_not_read_is_named() {
    let repo = Repo::valid();
    // The upper-case extension hides a duplicate action id.
    repo.write(
        "assurance/risks/R-004.YAML",
        risk("R-004").replace("R-001", "R-004"),
    );
    repo.write("assurance/risks/R-001.yaml.bak", risk("R-001"));
    repo.write("assurance/risks/R-005.txt", "kind: risk\n");
    repo.write("assurance/people.json", "{}");
    repo.write("assurance/README.md", "# Our records\n");
    repo.write("assurance/risks/README.md", "# Risks\n");
    repo.write("assurance/diagram.png", "png");
    let (code, report) = check_json(&repo);
    assert_eq!(code, 2, "{report:#}");
    let problems: Vec<(String, String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_owned(),
                p["code"].as_str().unwrap().to_owned(),
                p["hint"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("assurance/people.json", "write it as YAML in people.yaml"),
        (
            "assurance/risks/R-001.yaml.bak",
            "delete it if it is a stray copy; if it is the record, rename it to end in .yaml",
        ),
        ("assurance/risks/R-004.YAML", "rename it to R-004.yaml"),
        (
            "assurance/risks/R-005.txt",
            "rename it to end in .yaml if it is a record, or move it out of the records folder",
        ),
    ];
    assert_eq!(
        problems,
        expected
            .map(|(f, h)| (f.to_owned(), "unread-file".to_owned(), h.to_owned()))
            .to_vec(),
        "{report:#}"
    );

    // The same at a past revision.
    repo.commit("2026-01-20", "Records, and files that are not");
    let (code, stdout, _) = run(repo.assure(&["check", "--at", "HEAD", "--as-of", "2026-02-01"]));
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("error[unread-file]: not read: record files end in `.yaml` in lower case\n --> assurance/risks/R-004.YAML"),
        "{stdout}"
    );
}

/// One broken file is reported first, and references to the record it holds are not
/// reported as dangling on top of it.
#[test]
fn a_broken_file_is_the_root_cause_reported_alone() {
    let breakages = [
        (
            risk("R-001").replace("owner: p-lead", "owner:\tp-lead\n\tstatus: open"),
            "yaml-syntax",
            "use spaces (indent two per level)",
        ),
        (
            risk("R-001").replace("owner: p-lead", "owner: p-lead\nowner: p-lead"),
            "duplicate-key",
            "each field may appear once",
        ),
        (
            risk("R-001").replace("kind: risk", "kind: risks"),
            "unknown-kind",
            "did you mean `risk`?",
        ),
    ];
    for (broken, code, hint) in breakages {
        let repo = Repo::valid();
        repo.write(
            "assurance/events/E-001.yaml",
            "kind: event\nid: E-001\ntype: change\ndate: 2026-01-20\nsummary: New gateway.\naffects: [risk:R-001]\n",
        );
        repo.write("assurance/risks/R-001.yaml", &broken);
        let (exit, report) = check_json(&repo);
        assert_eq!(exit, 2, "{report:#}");
        let problems = report["problems"].as_array().unwrap();
        assert_eq!(
            problems[0]["file"], "assurance/risks/R-001.yaml",
            "{report:#}"
        );
        assert_eq!(problems[0]["code"], code, "{report:#}");
        assert!(
            problems[0]["hint"].as_str().unwrap().contains(hint),
            "{report:#}"
        );
        assert!(
            problems.iter().all(|p| p["code"] != "unknown-reference"),
            "{report:#}"
        );
    }
}

/// A misspelt required field is one mistake and one error; an unknown field that is no
/// spelling of a missing one leaves both reported.
#[test]
fn a_misspelt_required_field_is_one_error() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace("last_reviewed:", "last_reveiwed:"),
    );
    let (_, _, _, code, p) = only_problem(&repo);
    assert_eq!(code, "unknown-field");
    assert_eq!(p["hint"], "did you mean `last_reviewed`?");

    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace("owner: p-lead", "colour: red"),
    );
    let (_, report) = check_json(&repo);
    let codes: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["missing-field", "unknown-field"], "{report:#}");
    // Each names its field's JSON pointer, the missing one included.
    assert_eq!(report["problems"][0]["pointer"], "/owner");
    assert_eq!(report["problems"][1]["pointer"], "/colour");
}

/// Records in a folder of the repository are found from where a person stands, or from the
/// folder `.assure.yaml` names; a missing folder is named relative to the repository.
#[test]
fn the_records_are_found_where_a_repository_keeps_them() {
    let repo = Repo::empty();
    for (name, text) in [("project.yaml", PROJECT), ("people.yaml", PEOPLE)] {
        repo.write(&format!("docs/security/assurance/{name}"), text);
    }
    std::fs::create_dir_all(repo.file("docs/security/notes")).unwrap();
    for from in [
        "docs/security",
        "docs/security/notes",
        "docs/security/assurance",
    ] {
        let (code, stdout, stderr) = run(assure_in(
            &repo.file(from),
            &["check", "--fail-on", "never"],
        ));
        assert_eq!(code, 0, "{from}: {stdout}{stderr}");
        assert!(
            stdout.contains("in docs/security/assurance/"),
            "{from}: {stdout}"
        );
    }
    // From the root, nothing is found without being told, and the message names the
    // folder looked for relative to the repository.
    let (code, _, stderr) = run(repo.assure(&["check"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no records folder found (looked for assurance/ in the repository at"),
        "{stderr}"
    );
    assert!(!stderr.contains("/./"), "{stderr}");
    // .assure.yaml tells every command, from anywhere in the repository.
    repo.write(".assure.yaml", "dir: docs/security/assurance\n");
    std::fs::create_dir_all(repo.file("src")).unwrap();
    for from in [".", "src"] {
        let (code, stdout, stderr) = run(assure_in(
            &repo.file(from),
            &["check", "--fail-on", "never"],
        ));
        assert_eq!(code, 0, "{from}: {stdout}{stderr}");
        assert!(stdout.contains("in docs/security/assurance/"), "{stdout}");
    }
    // A bad one is an error saying what it should hold.
    for bad in ["dir: ../elsewhere\n", "dir: /etc\n", "folder: assurance\n"] {
        repo.write(".assure.yaml", bad);
        let (code, _, stderr) = run(repo.assure(&["check"]));
        assert_eq!(code, 2, "{bad}");
        assert!(stderr.contains(".assure.yaml"), "{bad}: {stderr}");
        assert!(
            stderr.contains("dir: docs/security/assurance"),
            "{bad}: {stderr}"
        );
    }
    // A folder it names that does not exist, and a file that says more than `dir`, say so.
    repo.write(".assure.yaml", "dir: docs/security/assurnce\n");
    let (code, _, stderr) = run(repo.assure(&["check"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            ".assure.yaml names the records folder docs/security/assurnce/ in the repository at"
        ),
        "{stderr}"
    );
    repo.write(".assure.yaml", "dir: docs/security/assurance\nfoo: 1\n");
    let (_, _, stderr) = run(repo.assure(&["check"]));
    assert!(
        stderr.contains("error: .assure.yaml:2:1 at the repository root:"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("<input>") && stderr.matches("error").count() == 1,
        "{stderr}"
    );
    // --dir still wins, and `./` adds nothing to what is shown.
    let (code, _, stderr) = run(repo.assure(&["check", "--dir", "./nowhere"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("(looked for nowhere/ in the repository at"),
        "{stderr}"
    );
}

/// `init` run from a folder of the repository says where it wrote.
#[test]
fn init_from_a_folder_says_where_it_wrote() {
    let repo = Repo::empty();
    std::fs::create_dir_all(repo.file("src")).unwrap();
    let (code, stdout, _) = run(assure_in(
        &repo.file("src"),
        &["init", "--as-of", "2026-03-01"],
    ));
    assert_eq!(code, 0, "{stdout}");
    let root = std::fs::canonicalize(repo.path()).unwrap();
    assert!(
        stdout.starts_with(&format!(
            "the records are in assurance/ of the repository at {}\n",
            root.display()
        )),
        "{stdout}"
    );
    assert!(repo.file("assurance/project.yaml").is_file());
}

/// The commands a user is told to type work where they stand: `init --dir` from a subfolder
/// names the folder as they named it, and `sign` from inside the records says `git add` with
/// a path from there.
#[test]
fn next_steps_are_written_from_where_the_user_stands() {
    let repo = Repo::empty();
    let here = repo.file("docs/security");
    std::fs::create_dir_all(&here).unwrap();
    let (code, stdout, _) = run(assure_in(
        &here,
        &["init", "--dir", "assurance", "--as-of", "2026-03-01"],
    ));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("run `assure check --dir assurance`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("put `dir: docs/security/assurance` in .assure.yaml"),
        "{stdout}"
    );
    // The next step works as written.
    let (code, _, stderr) = run(assure_in(
        &here,
        &[
            "check",
            "--dir",
            "assurance",
            "--as-of",
            "2026-03-01",
            "--fail-on",
            "never",
        ],
    ));
    assert_eq!(code, 0, "{stderr}");

    let repo = Repo::green();
    repo.commit("2026-01-20", "Records");
    let risks = repo.file("assurance/risks");
    let (code, stdout, stderr) = run(assure_in(
        &risks,
        &[
            "sign",
            "--subject",
            "risk:R-001",
            "--type",
            "risk_acceptance",
            "--by",
            "p-sro",
            "--date",
            "2026-01-21",
            "--expires",
            "2026-06-30",
            "--rationale",
            "Bearable",
        ],
    ));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("  git add ../signoffs/S-0003.yaml\n"),
        "{stdout}"
    );
}

/// A register that contradicts itself: impossible combinations are errors, located.
#[test]
fn a_register_that_contradicts_itself_is_refused() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace(
            "inherent: {likelihood: 3, impact: 4}",
            "inherent: {likelihood: 1, impact: 1}",
        ),
    );
    repo.write(
        "assurance/risks/R-002.yaml",
        risk("R-002")
            .replace("status: open", "status: closed")
            .replace(
                "last_reviewed: 2026-01-05",
                "last_reviewed: 2026-01-05\nclosed: {date: 2025-12-01, reason: Gone.}\nactions:\n  - {id: A-009, title: Fix, owner: p-lead, due: 2026-02-01, status: done, done_on: 2025-11-01}",
            ),
    );
    let (code, report) = check_json(&repo);
    assert_eq!(code, 2, "{report:#}");
    let found: Vec<(String, String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_owned(),
                p["code"].as_str().unwrap().to_owned(),
                p["pointer"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected = [
        (
            "assurance/risks/R-001.yaml",
            "inconsistent-scores",
            "/residual",
        ),
        (
            "assurance/risks/R-002.yaml",
            "inconsistent-dates",
            "/closed/date",
        ),
        (
            "assurance/risks/R-002.yaml",
            "inconsistent-dates",
            "/actions/0/done_on",
        ),
    ];
    for (file, code, pointer) in expected {
        assert!(
            found.contains(&(file.to_owned(), code.to_owned(), pointer.to_owned())),
            "{file} {code} {pointer} in {found:?}"
        );
    }
    assert_eq!(found.len(), 3, "{found:?}");
}

/// A tab that indents a line is reported on that line, at the tab, in plain words.
#[test]
fn a_tab_is_reported_where_it_is() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace(
            "identified:",
            "actions:\n  - id: A-001\n    title: Fix\n\towner: p-lead\nidentified:",
        ),
    );
    let (file, line, column, code, p) = only_problem(&repo);
    assert_eq!(
        (file.as_str(), line, column, code.as_str()),
        ("assurance/risks/R-001.yaml", 13, 1, "yaml-syntax")
    );
    assert_eq!(p["message"], "a tab indents this line");
}

/// A project.yaml that is there but broken is reported for what is wrong with it, never as
/// missing.
#[test]
fn a_broken_project_file_is_not_called_missing() {
    let repo = Repo::valid();
    repo.write("assurance/project.yaml", format!("{PROJECT}name: Twice\n"));
    let (_, report) = check_json(&repo);
    let codes: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["duplicate-key"], "{report:#}");
}

/// A revision of hundreds of records is read on all cores: what `--at HEAD` reads is what
/// the same, committed, working tree holds, record for record and finding for finding.
#[test]
fn a_large_revision_reads_as_its_working_tree() {
    let repo = Repo::valid();
    for i in 2..=400 {
        let id = format!("R-{i:03}");
        repo.write(&format!("assurance/risks/{id}.yaml"), risk(&id));
    }
    // One broken record among them, so that a problem is found and placed too.
    repo.write(
        "assurance/risks/R-200.yaml",
        "kind: risk\nid: R-200\ntitle: [\n",
    );
    repo.commit("2026-01-20", "Four hundred risks");
    let now = run(repo.assure(&["check", "--as-of", "2026-02-01", "--format", "json"]));
    let then = run(repo.assure(&[
        "check",
        "--at",
        "HEAD",
        "--as-of",
        "2026-02-01",
        "--format",
        "json",
    ]));
    assert_eq!(now.0, 2, "{}", now.1);
    assert_eq!(then.0, now.0, "{}", then.1);
    let strip = |json: &str| {
        let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
        value.as_object_mut().unwrap().remove("revision");
        value
    };
    assert_eq!(strip(&then.1), strip(&now.1));
    assert!(
        then.1.contains("\"file\": \"assurance/risks/R-200.yaml\""),
        "{}",
        then.1
    );
}

/// `check --baseline` and the pull request's base parse once what the working tree and the
/// base hold alike; the base is read exactly as it is read alone: a file changed, one added,
/// one removed, one with CRLF line endings, a link whose target changed, and a base that is
/// not valid.
#[test]
fn a_base_read_beside_the_working_tree_is_read_as_when_alone() {
    use assure::evaluate::{evaluate, evaluate_with_base};
    use assure::report::json::Report;

    let repo = Repo::valid();
    repo.write("assurance/risks/R-002.yaml", risk("R-002"));
    repo.write(
        "assurance/risks/R-003.yaml",
        risk("R-003").replace('\n', "\r\n"),
    );
    repo.write("shared/R-004.yaml", risk("R-004"));
    std::os::unix::fs::symlink(
        "../../shared/R-004.yaml",
        repo.file("assurance/risks/R-004.yaml"),
    )
    .unwrap();
    let valid_base = repo.commit("2026-01-20", "Base");
    repo.write("assurance/risks/R-005.yaml", "kind: risk\nid: [R-005\n");
    let broken_base = repo.commit("2026-01-21", "Broken");

    // Last reviewed a year ago: each change of a file shows as a finding.
    let stale = |id: &str, day: &str| {
        risk(id).replace(
            "last_reviewed: 2026-01-05",
            &format!("last_reviewed: {day}"),
        )
    };
    repo.remove("assurance/risks/R-002.yaml");
    repo.write("assurance/risks/R-005.yaml", risk("R-005"));
    repo.write("assurance/risks/R-001.yaml", stale("R-001", "2025-02-05"));
    repo.write("shared/R-004.yaml", stale("R-004", "2025-01-05"));
    repo.write("assurance/risks/R-006.yaml", risk("R-006"));

    let dir = repo.file("assurance");
    let workspace = assure::workspace::locate(Some(&dir), true).unwrap();
    let as_of = "2026-02-01".parse().unwrap();
    fn report(evaluated: &assure::evaluate::Evaluated) -> String {
        serde_json::to_string_pretty(&Report::new("check", evaluated)).unwrap()
    }
    let revision = |base: git2::Oid| {
        assure::git::resolve(workspace.repository().unwrap(), &base.to_string()).unwrap()
    };
    for base in [valid_base, broken_base] {
        let revision = revision(base);
        let (head, beside) = evaluate_with_base(&workspace, &revision, as_of).unwrap();
        let alone = evaluate(&workspace, Some(&revision), as_of).unwrap();
        assert_eq!(report(&beside.unwrap()), report(&alone));
        assert_eq!(
            report(&head),
            report(&evaluate(&workspace, None, as_of).unwrap())
        );
    }
    // The two bases differ, so the comparison above compared something.
    let valid = evaluate(&workspace, Some(&revision(valid_base)), as_of).unwrap();
    let broken = evaluate(&workspace, Some(&revision(broken_base)), as_of).unwrap();
    assert!(valid.loaded.is_valid() && !broken.loaded.is_valid());
    assert_eq!(valid.loaded.records.risks.len(), 4);
}

/// More contradictions a register must not hold: an open action that says it was done, and a
/// target above where the risk already is.
#[test]
fn an_open_action_with_a_done_date_and_a_target_above_the_residual_are_refused() {
    let repo = Repo::valid();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace(
            "identified:",
            "target: {likelihood: 3, impact: 3, by: 2026-06-01}\nactions:\n  - {id: A-001, title: Encrypt, owner: p-lead, due: 2026-03-01, status: open, done_on: 2026-02-01}\nidentified:",
        ),
    );
    let (code, report) = check_json(&repo);
    assert_eq!(code, 2, "{report:#}");
    let messages: Vec<(String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_owned(),
                p["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        messages.iter().any(|(code, m)| code == "inconsistent-dates"
            && m.contains("action A-001 is open, but says it was done on 2026-02-01")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|(code, m)| code == "inconsistent-scores"
                && m.starts_with(
                    "the target (likelihood 3, impact 3) is above the residual score"
                )),
        "{messages:?}"
    );
}

/// The same record kept twice, as `.yaml` and `.yml`, is named as such, not as two records
/// that chose one id.
#[test]
fn a_record_in_two_files_says_so() {
    let repo = Repo::valid();
    repo.write("assurance/risks/R-001.yml", risk("R-001"));
    let (_, _, _, code, p) = only_problem(&repo);
    assert_eq!(code, "duplicate-id");
    assert!(
        p["hint"]
            .as_str()
            .unwrap()
            .ends_with("are the same record in two files (.yaml and .yml): keep one"),
        "{p}"
    );
}
