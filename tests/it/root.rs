//! Records kept at the repository's root (`--dir .`): every path is the repository's own,
//! never one that starts with `/`, and the history of the records is found.

use crate::common::*;

/// A repository whose records are its root, committed once, then one risk changed.
fn at_root() -> Repo {
    let repo = Repo::empty();
    repo.write("project.yaml", PROJECT);
    repo.write("people.yaml", PEOPLE);
    repo.write("appetite.yaml", APPETITE);
    repo.write("risks/R-001.yaml", risk("R-001"));
    repo.commit("2026-01-05", "Records");
    repo.write(
        "risks/R-001.yaml",
        risk("R-001").replace("owner: p-lead", "owner: p-sro"),
    );
    repo.commit("2026-01-10", "New owner");
    repo
}

#[test]
fn records_at_the_root_are_named_by_their_own_paths() {
    let repo = at_root();
    let (_, stdout, stderr) = run(repo.assure(&["check", "--dir", ".", "--as-of", "2026-01-20"]));
    assert!(
        stdout.contains("4 records in ./ are valid"),
        "{stdout}{stderr}"
    );
    let (_, stdout, _) = run(repo.assure(&[
        "check",
        "--dir",
        ".",
        "--as-of",
        "2026-04-20",
        "--format",
        "json",
    ]));
    let report = json(&stdout);
    let files: Vec<&str> = report["status"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(files.contains(&"risks/R-001.yaml"), "{report:#}");
    assert!(files.iter().all(|f| !f.starts_with('/')), "{files:?}");
    assert_eq!(report["directory"], ".");

    // Named from a folder below, by going up.
    let (_, stdout, _) = run(assure_in(
        &repo.file("risks"),
        &["check", "--dir", "..", "--as-of", "2026-04-20"],
    ));
    assert!(stdout.contains("--> risks/R-001.yaml"), "{stdout}");
    assert!(stdout.contains("in ./ are valid"), "{stdout}");

    // A record in the wrong folder is told where it belongs.
    repo.write("boards/R-002.yaml", risk("R-002"));
    let (_, stdout, _) = run(repo.assure(&["check", "--dir", ".", "--as-of", "2026-01-20"]));
    assert!(stdout.contains("--> boards/R-002.yaml"), "{stdout}");
    assert!(stdout.contains("records belong in risks/"), "{stdout}");
    assert!(stdout.contains("move it to risks/"), "{stdout}");
}

#[test]
fn the_history_of_records_at_the_root_is_found() {
    let repo = at_root();
    let (code, stdout, stderr) = run(repo.assure(&["log", "--dir", "."]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("risk R-001 owner: p-lead → p-sro"),
        "{stdout}"
    );
    let (_, stdout, _) = run(repo.assure(&["log", "--dir", ".", "--format", "json"]));
    let log = json(&stdout);
    let paths: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["changes"].as_array().unwrap())
        .filter_map(|c| c["file"].as_str())
        .collect();
    assert!(paths.contains(&"risks/R-001.yaml"), "{log:#}");
    // A revision's records, and what changed between two.
    let (code, stdout, stderr) = run(repo.assure(&["diff", "HEAD~1", "HEAD", "--dir", "."]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.starts_with("./ from HEAD~1"), "{stdout}");
    assert!(
        stdout.contains("risk R-001 owner: p-lead → p-sro"),
        "{stdout}"
    );
    let (code, stdout, stderr) = run(repo.assure(&[
        "status",
        "--dir",
        ".",
        "--at",
        "HEAD~1",
        "--as-of",
        "2026-01-20",
    ]));
    assert!(code == 0 || code == 1, "{stdout}{stderr}");
    assert!(stdout.contains("1 open risk"), "{stdout}");
    // The board's period counts the commits that changed the records.
    let board = || {
        let (_, stdout, stderr) = run(repo.assure(&[
            "board",
            "--dir",
            ".",
            "--since",
            "2026-01-01",
            "--as-of",
            "2026-01-20",
            "--format",
            "json",
        ]));
        (json(&stdout), stderr)
    };
    let (board_before, stderr) = board();
    assert_eq!(
        board_before["period"]["commits"], 2,
        "{board_before:#}{stderr}"
    );
    // Code kept beside the records is not theirs: changing it changes no record.
    repo.write("src/main.rs", "fn main() {}\n");
    repo.write("README.md", "# A service\n");
    repo.commit("2026-01-12", "Code");
    let (board_after, _) = board();
    assert_eq!(board_after["period"]["commits"], 2, "{board_after:#}");
    let (_, stdout, _) = run(assure_in(&repo.file("risks"), &["log", "--dir", ".."]));
    assert!(
        stdout.contains("risk R-001 owner: p-lead → p-sro"),
        "{stdout}"
    );
    let changed: Vec<&str> = board_before["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["file"].as_str())
        .collect();
    assert!(changed.contains(&"risks/R-001.yaml"), "{board_before:#}");
}

#[test]
fn init_at_the_root_names_the_files_it_writes() {
    let repo = Repo::empty();
    let (code, stdout, stderr) = run(repo.assure(&["init", "--dir", "."]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("created project.yaml"), "{stdout}");
    assert!(stdout.contains("created risks/R-001.yaml"), "{stdout}");
    assert!(stdout.contains("completion from ./.schemas/"), "{stdout}");
    // Commands look for assurance/ by themselves: the next step names the folder.
    assert!(
        stdout.contains("then run `assure check --dir .`"),
        "{stdout}"
    );
    assert!(stdout.contains("put `dir: .` in .assure.yaml"), "{stdout}");
    assert!(!stdout.contains(" /"), "{stdout}");
    assert!(repo.file("project.yaml").is_file());
}

#[test]
fn sign_offs_at_the_root_are_witnessed_by_git() {
    let verdict = |by: (&str, &str)| {
        let repo = Repo::empty();
        repo.write("project.yaml", PROJECT);
        repo.write("people.yaml", PEOPLE);
        repo.write("appetite.yaml", APPETITE);
        repo.write("assessments/2026-01-05-self.yaml", ASSESSMENT);
        repo.commit_as(("Lee Lead", "lead@example.gov.uk"), "2026-01-05", "Records");
        let (code, stdout, stderr) = run(repo.assure(&[
            "sign",
            "--dir",
            ".",
            "--subject",
            "assessment:2026-01-05-self",
            "--type",
            "report_approval",
            "--by",
            "p-sro",
            "--date",
            "2026-01-06",
        ]));
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(repo.file("signoffs/S-0001.yaml").is_file(), "{stdout}");
        assert!(
            stdout.contains("git add signoffs/S-0001.yaml\n"),
            "{stdout}"
        );
        repo.commit_as(by, "2026-01-06", "S-0001");
        let (_, stdout, stderr) = run(repo.assure(&[
            "verify",
            "--dir",
            ".",
            "--as-of",
            "2026-02-01",
            "--format",
            "json",
        ]));
        let report = json(&stdout);
        let verdict = report["signoffs"][0]["verdict"].as_str().map(str::to_owned);
        (verdict, format!("{report:#}{stderr}"))
    };
    let (by_the_sro, report) = verdict(("Sam Owner", "sro@example.gov.uk"));
    assert_eq!(by_the_sro.as_deref(), Some("valid"), "{report}");
    let (by_another, report) = verdict(("Lee Lead", "lead@example.gov.uk"));
    assert_eq!(by_another.as_deref(), Some("invalid"), "{report}");
}
