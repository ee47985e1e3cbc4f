//! `assure status`, and the status side of `assure check`: RAG overall and per area, exit
//! statuses by --fail-on, formats, and --at reading records from git history.

use crate::common::*;

fn example() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/logistics-portal/assurance")
}

fn status_json(repo: &Repo, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["status", "--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(repo.assure(&all));
    assert!(stderr.is_empty(), "{stderr}");
    (code, json(&stdout))
}

fn rules(report: &serde_json::Value) -> Vec<(String, String)> {
    field_pairs(&report["status"]["findings"], "code", "severity")
}

#[test]
fn green_records_are_green() {
    let repo = Repo::green();
    let (code, report) = status_json(&repo, &["--as-of", "2026-02-01"]);
    assert_eq!(code, 0);
    assert_eq!(report["status"]["overall"], "green", "{report:#}");
    assert_eq!(rules(&report), vec![]);
    let (code, stdout, _) = run(repo.assure(&["check", "--as-of", "2026-02-01"]));
    assert_eq!(code, 0);
    assert!(
        stdout.ends_with("GREEN: no findings; every record is in date on 2026-02-01.\n"),
        "{stdout}"
    );
}

#[test]
fn the_example_is_amber_with_four_findings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = example();
    let dir = dir.to_str().unwrap();
    let (code, stdout, _) = run(assure_in(
        root,
        &[
            "status",
            "--dir",
            dir,
            "--as-of",
            "2026-11-28",
            "--format",
            "json",
        ],
    ));
    assert_eq!(code, 0);
    let report = json(&stdout);
    assert_eq!(report["status"]["overall"], "amber");
    assert_eq!(report["project"], "Logistics Spares Portal");
    assert_eq!(
        rules(&report),
        vec![
            ("REPORT-1".into(), "amber".into()),
            ("ASSESS-3".into(), "amber".into()),
            ("RISK-1".into(), "amber".into()),
            ("RISK-1".into(), "amber".into())
        ]
    );
    assert_eq!(report["status"]["areas"]["governance"], "green");
    assert_eq!(report["status"]["areas"]["risks"], "amber");
    assert_eq!(report["status"]["counts"]["amber"], 4);
    // The hosting move (E-001) affects R-005, not reviewed since: due 30 days after it.
    let event_review = &report["status"]["findings"][2];
    assert_eq!(event_review["id"], "R-005");
    assert_eq!(event_review["due"], "2026-12-10");
    assert!(
        event_review["message"]
            .as_str()
            .unwrap()
            .contains("(event E-001, a change on 2026-11-10, affects it; a risk is reviewed within P30D of a change)"),
        "{event_review}"
    );
    let risk_1 = &report["status"]["findings"][3];
    assert_eq!(
        risk_1["file"],
        "examples/logistics-portal/assurance/risks/R-003.yaml"
    );
    assert_eq!(risk_1["line"], 23);
    assert_eq!(risk_1["due"], "2026-12-12");
    assert_eq!(risk_1["area"], "risks");
    assert_eq!(risk_1["id"], "R-003");
    // Who owns it, as a field: id and name.
    assert_eq!(
        risk_1["owner"],
        serde_json::json!({"id": "p-hughes", "name": "Rhian Hughes"})
    );
    assert_eq!(event_review["owner"]["name"], "Linh Nguyen");
    // A finding about no one's record has none.
    assert!(report["status"]["findings"][0].get("owner").is_none());

    // check passes at the default --fail-on red, fails at amber.
    let (code, _, _) = run(assure_in(
        root,
        &["check", "--dir", dir, "--as-of", "2026-11-28"],
    ));
    assert_eq!(code, 0);
    let (code, stdout, _) = run(assure_in(
        root,
        &[
            "check",
            "--dir",
            dir,
            "--as-of",
            "2026-11-28",
            "--fail-on",
            "amber",
        ],
    ));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("failed: the status is at or past --fail-on amber"),
        "{stdout}"
    );

    // Human status: the two headlines, the area table, then the findings.
    let (_, stdout, _) = run(assure_in(
        root,
        &["status", "--dir", dir, "--as-of", "2026-11-28"],
    ));
    assert!(
        stdout.starts_with(
            "Logistics Spares Portal as of 2026-11-28 · OFFICIAL\n\n  Assurance currency  AMBER (are the records in date?)\n  Risk position       5 open risks (1 high, 3 medium, 1 low); 3 above tolerance: 1 accepted, 2 on a plan\n\n  Governance   GREEN\n"
        ),
        "{stdout}"
    );
    // The risk position in JSON.
    let position = &report["status"]["position"];
    assert_eq!(
        (
            position["open"].as_u64(),
            position["above_tolerance"].as_u64(),
            position["accepted"].as_u64(),
            position["treating"].as_u64(),
            position["unaddressed"].as_u64()
        ),
        (Some(5), Some(3), Some(1), Some(2), Some(0))
    );
    assert!(
        stdout.contains("  Risks        AMBER  2 findings\n"),
        "{stdout}"
    );
    assert!(stdout.contains("amber[RISK-1]: risk R-003"), "{stdout}");
}

#[test]
fn fail_on_levels() {
    let repo = Repo::green();
    // 2026-04-06: the assessment is overdue (red) and the board update too (amber).
    for (fail_on, expected) in [("red", 1), ("amber", 1), ("never", 0)] {
        let (code, _, _) =
            run(repo.assure(&["check", "--as-of", "2026-04-06", "--fail-on", fail_on]));
        assert_eq!(code, expected, "--fail-on {fail_on}");
    }
    // Amber only: the board update is late, nothing red.
    let (code, _, _) = run(repo.assure(&["check", "--as-of", "2026-03-04"]));
    assert_eq!(code, 0);
    let (code, _, _) = run(repo.assure(&["check", "--as-of", "2026-03-04", "--fail-on", "amber"]));
    assert_eq!(code, 1);
    // status is informational unless asked.
    let (code, _, _) = run(repo.assure(&["status", "--as-of", "2026-04-06"]));
    assert_eq!(code, 0);
    let (code, _, _) = run(repo.assure(&["status", "--as-of", "2026-04-06", "--fail-on", "red"]));
    assert_eq!(code, 1);
}

#[test]
fn invalid_records_have_no_status() {
    let repo = Repo::green();
    repo.write("assurance/risks/R-002.yaml", "kind: risk\nid: R-002\n");
    let (code, report) = status_json(&repo, &["--as-of", "2026-02-01"]);
    assert_eq!(code, 2);
    assert_eq!(report["status"], serde_json::Value::Null);
    assert_eq!(report["valid"], false);
    let (code, stdout, _) = run(repo.assure(&["status", "--as-of", "2026-02-01"]));
    assert_eq!(code, 2);
    assert!(stdout.contains("so no status can be given"), "{stdout}");
}

#[test]
fn markdown_status_escapes_what_users_wrote() {
    let repo = Repo::green();
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001")
            .replace("title: Laptop theft", "title: \"Laptop | theft <script>\"")
            .replace(
                "last_reviewed: 2026-01-05",
                "last_reviewed: 2026-01-05\nreview_by: 2026-01-31",
            ),
    );
    let (code, stdout, _) =
        run(repo.assure(&["status", "--format", "markdown", "--as-of", "2026-02-01"]));
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("**OFFICIAL**\n\n### Assurance currency: 🟠 AMBER\n"),
        "{stdout}"
    );
    assert!(stdout.contains("| Risks | 🟠 AMBER | 1 |"), "{stdout}");
    assert!(stdout.contains("Laptop \\| theft \\<script\\>"), "{stdout}");
    assert!(!stdout.contains("<script>"), "{stdout}");
    for line in stdout.lines().filter(|l| l.starts_with("| 🟠")) {
        // Five cells: the title's pipe did not split the row.
        assert_eq!(line.matches(" | ").count(), 4, "{line}");
    }
}

/// Attack: a title holding terminal escapes (erase the line, return to its start) and a
/// bidirectional override would hide or rewrite lines on the reader's terminal. Every human
/// report shows them as symbols.
#[test]
fn control_characters_in_record_text_reach_no_terminal_raw() {
    let repo = Repo::green();
    repo.commit("2026-01-10", "Initial records");
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001")
            .replace(
                "title: Laptop theft",
                "title: \"Laptop\\e[2K\\rall green\\u202e theft\"",
            )
            .replace(
                "last_reviewed: 2026-01-05",
                "last_reviewed: 2026-01-05\nreview_by: 2026-01-31",
            ),
    );
    repo.commit("2026-01-20", "Retitle R-001");
    for args in [
        vec!["status", "--as-of", "2026-02-01"],
        vec!["diff", "HEAD~1", "HEAD"],
        vec!["log"],
    ] {
        let (_, stdout, stderr) = run(repo.assure(&args));
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains(['\u{1b}', '\r', '\u{202e}']),
                "{args:?}: {text:?}"
            );
        }
        assert!(
            stdout.contains("Laptop␛[2K␍all green� theft"),
            "{args:?}: {stdout}"
        );
    }
}

/// A repository with history: records committed on 2026-01-10, changed on 2026-03-20.
fn with_history() -> (Repo, git2::Oid, git2::Oid) {
    let repo = Repo::green();
    let first = repo.commit("2026-01-10", "Initial records");
    repo.write("assurance/risks/R-002.yaml", risk("R-002"));
    repo.write(
        "assurance/assessments/2026-03-15-self.yaml",
        ASSESSMENT.replace("2026-01-05", "2026-03-15"),
    );
    let second = repo.commit("2026-03-20", "March assessment and a new risk");
    (repo, first, second)
}

#[test]
fn at_reads_records_from_a_past_revision() {
    let (repo, first, second) = with_history();
    // The working tree changes too, uncommitted: --at must not see it.
    repo.remove("assurance/risks/R-001.yaml");
    let (code, report) = status_json(&repo, &["--at", &first.to_string()]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["revision"]["commit"], first.to_string());
    assert_eq!(
        report["as_of"], "2026-01-10",
        "defaults to the revision's day"
    );
    assert_eq!(report["records"]["risk"], 1);
    assert_eq!(report["records"]["assessment"], 1);
    // On 2026-01-10 the board of 2026-01-20 had not met yet.
    assert_eq!(rules(&report), vec![("REPORT-1".into(), "amber".into())]);

    let (_, report) = status_json(&repo, &["--at", "HEAD"]);
    assert_eq!(report["revision"]["commit"], second.to_string());
    assert_eq!(report["records"]["risk"], 2);
    assert_eq!(report["as_of"], "2026-03-20");

    // A date picks the last commit of that day or before, evaluated on that day.
    let (_, report) = status_json(&repo, &["--at", "2026-03-19"]);
    assert_eq!(report["revision"]["commit"], first.to_string());
    assert_eq!(report["as_of"], "2026-03-19");
    // On 2026-03-19 the board update of 2026-01-20 was due on 2026-03-03; the assessment of
    // 2026-01-05 is due on 2026-04-05, outside the 14-day window.
    assert_eq!(rules(&report), vec![("REPORT-1".into(), "amber".into())]);
    // --as-of overrides the revision's day.
    let (_, report) = status_json(&repo, &["--at", "HEAD~1", "--as-of", "2026-05-01"]);
    assert_eq!(report["revision"]["commit"], first.to_string());
    assert_eq!(report["status"]["overall"], "red");

    // The working tree is untouched.
    assert!(!repo.file("assurance/risks/R-001.yaml").exists());
    assert!(repo.file("assurance/risks/R-002.yaml").exists());
}

#[test]
fn at_with_a_bad_revision_or_date() {
    let (repo, _, _) = with_history();
    let (code, _, stderr) = run(repo.assure(&["status", "--at", "no-such-branch"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown revision `no-such-branch`"),
        "{stderr}"
    );
    let (code, _, stderr) = run(repo.assure(&["status", "--at", "2025-12-01"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no commit on or before 2025-12-01"),
        "{stderr}"
    );
}

#[test]
fn at_in_a_shallow_clone_names_the_fix() {
    let (repo, _, _) = with_history();
    let clones = tempfile::tempdir().unwrap();
    let shallow = clones.path().join("shallow");
    repo.clone_into(&shallow, Some(1));
    for at in ["HEAD~1", "2026-01-15"] {
        let (code, stdout, stderr) = run(assure_in(&shallow, &["status", "--at", at]));
        assert_eq!(code, 3, "--at {at}: {stdout}{stderr}");
        assert!(stderr.contains("shallow clone"), "{stderr}");
        assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    }
    // What the shallow clone has is still readable.
    let (code, _, _) = run(assure_in(&shallow, &["status", "--at", "HEAD"]));
    assert_eq!(code, 0);
}

/// An error message can hold text from the records or the repository's files (a folder's
/// name, a person's name): on standard error it is as inert as the report, so it can neither
/// rewrite the terminal nor become a workflow command outside the fence `assure ci` puts
/// around its report.
#[test]
fn error_messages_reach_no_terminal_or_runner_raw() {
    let repo = Repo::green();
    repo.write(
        ".assure.yaml",
        "dir: \"nope\\n::error::forged\\e[2K\\r##[warning]forged\"\n",
    );
    for args in [vec!["check"], vec!["ci"]] {
        let mut cmd = repo.assure(&args);
        cmd.env("GITHUB_ACTIONS", "true");
        let (code, _, stderr) = run(cmd);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(!stderr.contains(['\u{1b}', '\r']), "{args:?}: {stderr:?}");
        assert!(!stderr.contains("##["), "{args:?}: {stderr:?}");
        assert!(
            stderr.lines().all(|l| !l.starts_with("::")),
            "{args:?}: {stderr:?}"
        );
        assert!(
            stderr.contains("nope␊::error::forged"),
            "{args:?}: {stderr}"
        );
    }
}
