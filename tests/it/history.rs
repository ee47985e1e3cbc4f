//! `assure diff`, `assure log` and `assure board`, on a repository whose records change over
//! four months of back-dated commits by different people.

use crate::common::*;

const SRO: (&str, &str) = ("Sam Owner", "sro@example.gov.uk");
const LEAD: (&str, &str) = ("Lee Lead", "lead@example.gov.uk");

fn project() -> String {
    format!(
        "{PROJECT}milestones:\n  - {{id: M-001, name: Go live, type: go_live, date: 2026-06-01, independent_review: undecided}}\n{NO_GIT_WITNESS}"
    )
}

fn risk_with(id: &str, title: &str, residual: (u8, u8), extra: &str) -> String {
    format!(
        "kind: risk
id: {id}
title: {title}
description: Something bad.
owner: p-lead
status: open
response: treat
inherent: {{likelihood: 4, impact: 4}}
residual: {{likelihood: {}, impact: {}}}
identified: 2026-01-05
last_reviewed: 2026-01-05
{extra}",
        residual.0, residual.1
    )
}

const R2_ACTION_OPEN: &str = "actions:\n  - {id: A-002, title: Patch the gateway, owner: p-lead, due: 2026-02-28, status: open}\n";
const R2_ACTION_DONE: &str = "actions:\n  - {id: A-002, title: Patch the gateway, owner: p-lead, due: 2026-02-28, status: done, done_on: 2026-02-09}\n";

/// The story: records in January, a board, a re-scored risk and a new one in February, a
/// breach and a closed risk in March, another board, an assessment after the breach, then
/// an acceptance that a later edit voids.
fn story() -> (Repo, Vec<git2::Oid>) {
    let repo = Repo::empty();
    repo.write("assurance/project.yaml", project());
    repo.write("assurance/people.yaml", PEOPLE);
    repo.write("assurance/appetite.yaml", APPETITE);
    repo.write(
        "assurance/risks/R-001.yaml",
        risk_with("R-001", "Laptop theft", (2, 3), ""),
    );
    repo.write(
        "assurance/risks/R-002.yaml",
        risk_with("R-002", "Gateway flaw", (3, 4), R2_ACTION_OPEN),
    );
    repo.write("assurance/assessments/2026-01-05-self.yaml", ASSESSMENT);
    repo.write_approvals();
    let mut commits = vec![repo.commit_as(LEAD, "2026-01-10", "Initial records")];
    repo.write(
        "assurance/boards/2026-01-20.yaml",
        "kind: board\nid: 2026-01-20\ndate: 2026-01-20\nboard: Programme Board\n",
    );
    commits.push(repo.commit_as(LEAD, "2026-01-20", "January board"));
    repo.write(
        "assurance/risks/R-002.yaml",
        risk_with("R-002", "Gateway flaw", (2, 4), R2_ACTION_DONE)
            .replace("last_reviewed: 2026-01-05", "last_reviewed: 2026-02-10"),
    );
    repo.write(
        "assurance/risks/R-003.yaml",
        risk_with("R-003", "Insider | misuse", (4, 4), "actions:\n  - {id: A-003, title: Named admin accounts, owner: p-lead, due: 2026-04-30, status: open}\n"),
    );
    commits.push(repo.commit_as(LEAD, "2026-02-10", "Re-score R-002, add R-003"));
    repo.write(
        "assurance/events/E-001.yaml",
        "kind: event\nid: E-001\ntype: breach\ndate: 2026-03-01\nsummary: Credentials leaked.\n",
    );
    repo.write(
        "assurance/risks/R-001.yaml",
        risk_with(
            "R-001",
            "Laptop theft",
            (2, 3),
            "closed: {date: 2026-03-01, reason: Laptops retired.}\n",
        )
        .replace("status: open", "status: closed"),
    );
    commits.push(repo.commit_as(LEAD, "2026-03-01", "Breach; close R-001"));
    repo.write(
        "assurance/boards/2026-03-05.yaml",
        "kind: board\nid: 2026-03-05\ndate: 2026-03-05\nboard: Programme Board\n",
    );
    commits.push(repo.commit_as(LEAD, "2026-03-05", "March board"));
    let march = ASSESSMENT
        .replace("2026-01-05", "2026-03-10")
        .replace("trigger: scheduled", "trigger: breach\ntrigger_ref: E-001");
    repo.write("assurance/assessments/2026-03-10-self.yaml", &march);
    commits.push(repo.commit_as(LEAD, "2026-03-10", "Assessment after the breach"));
    repo.write(
        "assurance/signoffs/S-0003.yaml",
        signoff(
            "S-0003",
            "report_approval",
            "assessment:2026-03-10-self",
            &march,
            "p-sro",
            "2026-03-12",
            "",
        ),
    );
    let r3 = repo.read("assurance/risks/R-003.yaml");
    repo.write(
        "assurance/signoffs/S-0004.yaml",
        signoff(
            "S-0004",
            "risk_acceptance",
            "risk:R-003",
            &r3,
            "p-sro",
            "2026-03-12",
            "expires: 2026-04-15\nrationale: Until the accounts are named.\n",
        ),
    );
    commits.push(repo.commit_as(SRO, "2026-03-12", "SRO approvals"));
    repo.write(
        "assurance/risks/R-003.yaml",
        r3.replace("owner: p-lead", "owner: p-sro"),
    );
    commits.push(repo.commit_as(LEAD, "2026-04-01", "Hand R-003 to the SRO"));
    (repo, commits)
}

fn texts(report: &serde_json::Value) -> Vec<String> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn diff_in_the_projects_terms() {
    let (repo, commits) = story();
    let (code, stdout, _) =
        run(repo.assure(&["diff", &commits[1].to_string(), "HEAD", "--format", "json"]));
    assert_eq!(code, 0, "{stdout}");
    let report = json(&stdout);
    assert_eq!(
        texts(&report),
        vec![
            "risk R-001 closed: Laptops retired.",
            "risk R-002 re-scored: residual 12 → 8 (High → Medium)",
            "risk R-002 reviewed on 2026-02-10",
            "action A-002 (risk R-002) completed on 2026-02-09: Patch the gateway",
            "risk R-003 opened: Insider | misuse (residual 16, Very high; owner p-sro; treat)",
            "action A-003 added on risk R-003: Named admin accounts, due 2026-04-30 (p-sro)",
            "assessment 2026-03-10-self added: self assessment on 2026-03-10 (after a breach)",
            "event E-001 added: breach on 2026-03-01: Credentials leaked.",
            "sign-off S-0003 added: report_approval of assessment:2026-03-10-self by p-sro on 2026-03-12",
            "sign-off S-0004 added: risk_acceptance of risk:R-003 by p-sro on 2026-03-12, until 2026-04-15",
            "board 2026-03-05 added: Programme Board on 2026-03-05",
        ]
    );
    let what: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["what"].as_str().unwrap())
        .collect();
    assert!(what.contains(&"risk_rescored") && what.contains(&"action_completed"));
    assert_eq!(report["changes"][1]["from"], "12");
    assert_eq!(report["changes"][1]["to"], "8");
}

#[test]
fn diff_reports_the_sign_offs_a_change_voids() {
    let (repo, commits) = story();
    // Handing R-003 to someone else is upkeep: the SRO's acceptance of it stands.
    let (code, stdout, _) = run(repo.assure(&[
        "diff",
        &commits[6].to_string(),
        &commits[7].to_string(),
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    let report = json(&stdout);
    assert_eq!(
        texts(&report),
        vec![
            "risk R-003 owner: p-lead → p-sro",
            "action A-003 (risk R-003): owner p-lead → p-sro"
        ]
    );
    assert_eq!(report["changes"][0]["signed"], false);
    assert_eq!(report["changes"][1]["signed"], false);
    // Re-scoring it changes what was accepted, and voids the acceptance.
    let r3 = repo.read("assurance/risks/R-003.yaml");
    repo.write(
        "assurance/risks/R-003.yaml",
        r3.replace(
            "residual: {likelihood: 4, impact: 4}",
            "residual: {likelihood: 3, impact: 4}",
        ),
    );
    repo.commit_as(LEAD, "2026-04-02", "Re-score R-003");
    let (_, stdout, _) = run(repo.assure(&["diff", "HEAD~1", "HEAD", "--format", "json"]));
    assert_eq!(json(&stdout)["changes"][0]["signed"], true);
    assert_eq!(
        texts(&json(&stdout)),
        vec![
            "risk R-003 re-scored: residual 16 → 12 (Very high → High)",
            "sign-off S-0004 (risk_acceptance by p-sro) voided: risk R-003 changed after it was signed",
        ]
    );
    // Human output marks it.
    let (_, stdout, _) = run(repo.assure(&["diff", "HEAD~1", "HEAD"]));
    assert!(
        stdout.contains("! sign-off S-0004 (risk_acceptance by p-sro) voided"),
        "{stdout}"
    );
    assert!(stdout.starts_with("assurance/ from HEAD~1 ("), "{stdout}");
}

#[test]
fn diff_against_the_working_tree() {
    let (repo, _) = story();
    repo.write(
        "assurance/risks/R-002.yaml",
        repo.read("assurance/risks/R-002.yaml").replace(
            "residual: {likelihood: 2, impact: 4}",
            "residual: {likelihood: 1, impact: 4}",
        ),
    );
    // A record broken in the working tree is not reported as removed.
    repo.write("assurance/risks/R-003.yaml", "kind: risk\nid: R-003\n");
    let (code, stdout, _) = run(repo.assure(&["diff", "HEAD"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "to the working tree: 1 change\n~ risk R-002 re-scored: residual 8 → 4 (Medium → Low) [signed content]\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("note: changes not shown for 1 file that could not be read at the newer side: assurance/risks/R-003.yaml"), "{stdout}");
    let (_, stdout, _) = run(repo.assure(&["diff", "HEAD", "--format", "markdown"]));
    assert!(
        stdout.starts_with("**OFFICIAL**\n\n### Assurance records: 1 change from `"),
        "{stdout}"
    );
}

#[test]
fn a_risk_recorded_already_closed_is_not_called_opened() {
    let (repo, _) = story();
    // R-001 is closed by the end of the story; record a copy of it as a new risk.
    repo.write(
        "assurance/risks/R-009.yaml",
        repo.read("assurance/risks/R-001.yaml")
            .replace("id: R-001", "id: R-009"),
    );
    let (code, stdout, _) = run(repo.assure(&["diff", "HEAD"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("\n- risk R-009 recorded as closed: "),
        "{stdout}"
    );
    assert!(!stdout.contains("R-009 opened"), "{stdout}");
}

#[test]
fn diff_with_a_bad_revision() {
    let (repo, _) = story();
    let (code, _, stderr) = run(repo.assure(&["diff", "nope", "HEAD"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown revision `nope`"), "{stderr}");
}

#[test]
fn log_shows_who_changed_what_when() {
    let (repo, commits) = story();
    let (code, stdout, _) = run(repo.assure(&["log", "--format", "json"]));
    assert_eq!(code, 0, "{stdout}");
    let log = json(&stdout);
    // The header every JSON report begins with.
    assert_eq!(log["version"], 1);
    assert_eq!(log["command"], "log");
    assert_eq!(log["directory"], "assurance");
    assert_eq!(log["since"], serde_json::Value::Null);
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 8, "{log:#}");
    // Newest first, with the author and the commit.
    assert_eq!(entries[0]["commit"], commits[7].to_string());
    assert_eq!(entries[0]["author"], "Lee Lead");
    assert_eq!(entries[0]["date"], "2026-04-01");
    assert_eq!(
        entries[0]["changes"][0]["text"],
        "risk R-003 owner: p-lead → p-sro"
    );
    assert_eq!(entries[1]["author"], "Sam Owner");
    // Filtered by record and by period.
    let (_, stdout, _) = run(repo.assure(&["log", "R-002", "--format", "json"]));
    let r2 = json(&stdout);
    assert_eq!(r2["record"], "R-002");
    let days: Vec<&str> = r2["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(days, vec!["2026-02-10", "2026-01-10"]);
    let (_, stdout, _) = run(repo.assure(&[
        "log",
        "--since",
        "2026-03-01",
        "--until",
        "2026-03-10",
        "--format",
        "json",
    ]));
    let period = json(&stdout);
    assert_eq!(period["since"], "2026-03-01");
    assert_eq!(period["until"], "2026-03-10");
    let days: Vec<String> = period["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(days, vec!["2026-03-10", "2026-03-05", "2026-03-01"]);
    let (_, stdout, _) = run(repo.assure(&["log", "assurance/events/E-001.yaml"]));
    assert!(stdout.contains("2026-03-01"), "{stdout}");
    assert!(
        stdout.contains("  + event E-001 added: breach on 2026-03-01: Credentials leaked."),
        "{stdout}"
    );
    assert!(!stdout.contains("risk R-001"), "{stdout}");
}

/// The story, then a commit that breaks R-002's YAML and one that mends it with a new score.
fn story_with_a_broken_commit() -> Repo {
    let (repo, _) = story();
    let r2 = repo.read("assurance/risks/R-002.yaml");
    repo.write("assurance/risks/R-002.yaml", format!("{r2}  oops: [\n"));
    repo.commit_as(LEAD, "2026-04-02", "Break R-002");
    repo.write(
        "assurance/risks/R-002.yaml",
        r2.replace(
            "residual: {likelihood: 2, impact: 4}",
            "residual: {likelihood: 1, impact: 4}",
        ),
    );
    repo.commit_as(LEAD, "2026-04-03", "Mend R-002");
    repo
}

#[test]
fn a_record_broken_for_a_commit_is_not_called_removed_or_opened() {
    let repo = story_with_a_broken_commit();
    let (code, stdout, _) = run(repo.assure(&["log", "--since", "2026-04-02"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("R-002 removed"), "{stdout}");
    assert!(!stdout.contains("R-002 opened"), "{stdout}");
    assert!(
        stdout.contains("! assurance/risks/R-002.yaml could not be read as a record after this commit, so its changes here are not shown"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "! assurance/risks/R-002.yaml could not be read as a record before this commit"
        ),
        "{stdout}"
    );
    // Followed by id, and in JSON.
    let (_, stdout, _) =
        run(repo.assure(&["log", "R-002", "--since", "2026-04-02", "--format", "json"]));
    let log = json(&stdout);
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{log:#}");
    assert_eq!(entries[0]["unread_before"][0], "assurance/risks/R-002.yaml");
    assert_eq!(entries[1]["unread_after"][0], "assurance/risks/R-002.yaml");

    // A board period that starts at the broken commit does not call R-002 new.
    let (code, stdout, _) =
        run(repo.assure(&["board", "--since", "2026-04-02", "--as-of", "2026-04-03"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("risk R-002 opened"), "{stdout}");
    // Across the break, the diff sees the re-score.
    let (_, stdout, _) = run(repo.assure(&["diff", "HEAD~2", "HEAD"]));
    assert!(
        stdout.contains("~ risk R-002 re-scored: residual 8 → 4"),
        "{stdout}"
    );
}

#[test]
fn a_record_with_a_dangling_reference_still_shows_its_changes() {
    let (repo, _) = story();
    repo.write(
        "assurance/risks/R-002.yaml",
        repo.read("assurance/risks/R-002.yaml")
            .replace("owner: p-lead", "owner: p-nobody"),
    );
    let (code, stdout, _) = run(repo.assure(&["diff", "HEAD"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("risk R-002 owner: p-lead → p-nobody"),
        "{stdout}"
    );
    assert!(!stdout.contains("could not be read"), "{stdout}");
}

#[test]
fn log_never_echoes_a_record_above_the_projects_classification() {
    let (repo, _) = story();
    repo.write(
        "assurance/risks/R-009.yaml",
        risk_with(
            "R-009",
            "Crown jewels exposed",
            (1, 1),
            "classification: SECRET\n",
        ),
    );
    repo.commit_as(LEAD, "2026-04-02", "A marked risk");
    let (code, stdout, _) = run(repo.assure(&["log", "--since", "2026-04-02"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("Crown jewels"), "{stdout}");
    // A project that may hold SECRET records shows it.
    repo.write(
        "assurance/project.yaml",
        project().replace(
            "kind: project\n",
            "kind: project\nmax_classification: SECRET\n",
        ),
    );
    let (code, stdout, _) = run(repo.assure(&["log", "--since", "2026-04-02"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("risk R-009 opened: Crown jewels exposed"),
        "{stdout}"
    );
}

/// Attack: a revision from when the project allowed SECRET records. Today's limit is
/// OFFICIAL, so nothing SECRET from that revision is shown by `diff`, `status --at`, or the
/// board pack, as `log` already did.
#[test]
fn past_revisions_are_held_to_todays_classification_limit() {
    let (repo, _) = story();
    let secret_project = project().replace(
        "kind: project\n",
        "kind: project\nmax_classification: SECRET\n",
    );
    repo.write("assurance/project.yaml", &secret_project);
    repo.write(
        "assurance/risks/R-009.yaml",
        risk_with(
            "R-009",
            "Crown jewels exposed",
            (1, 1),
            "classification: SECRET\n",
        ),
    );
    repo.commit_as(LEAD, "2026-04-02", "SECRET allowed, then");
    // The SECRET risk moves elsewhere, and the limit comes down.
    repo.remove("assurance/risks/R-009.yaml");
    repo.write("assurance/project.yaml", project());
    repo.commit_as(LEAD, "2026-04-03", "Back to OFFICIAL");
    for args in [
        &["diff", "HEAD~1", "HEAD"][..],
        &["diff", "HEAD~1", "HEAD", "--format", "json"][..],
        &["status", "--at", "HEAD~1", "--as-of", "2026-04-02"][..],
        &[
            "check",
            "--at",
            "HEAD~1",
            "--as-of",
            "2026-04-02",
            "--format",
            "json",
        ][..],
        &["board", "--since", "2026-01-01", "--as-of", "2026-04-03"][..],
    ] {
        let (_, stdout, stderr) = run(repo.assure(args));
        assert!(
            !stdout.contains("Crown jewels") && !stderr.contains("Crown jewels"),
            "{args:?}: {stdout}{stderr}"
        );
    }
    let (code, stdout, _) = run(repo.assure(&["check", "--at", "HEAD~1", "--as-of", "2026-04-02"]));
    assert_eq!(code, 2);
    assert!(stdout.contains("error[above-classification]"), "{stdout}");
}

#[test]
fn board_pack_since_the_last_board() {
    let (repo, _) = story();
    let (code, stdout, stderr) = run(repo.assure(&["board", "--as-of", "2026-04-02"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("**OFFICIAL**\n\n# Security update: Test Service\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("since 2026-03-05 (the Programme Board of 2026-03-05)"),
        "{stdout}"
    );
    // The status now and at the start of the period, and the trend.
    assert!(stdout.contains("## Assurance currency: 🔴 RED"), "{stdout}");
    assert!(
        stdout.contains("At the start of the period it was"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| Area | Now | At the start |\n|---|---|---|\n| Governance | "),
        "{stdout}"
    );
    // Page one for the board: the headlines, the decisions, what changed in a few lines;
    // then the annex for the delivery team.
    let order: Vec<usize> = [
        "## Assurance currency",
        "## Risk position",
        "## Decisions needed",
        "## What changed since 2026-03-05",
        "## Annex: for the delivery team",
        "### Findings by area",
        "### Every change since 2026-03-05",
        "### Top risks",
    ]
    .iter()
    .map(|h| stdout.find(h).unwrap_or_else(|| panic!("{h} in {stdout}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{stdout}");
    // What changed in the period only.
    assert!(
        stdout.contains("- assessment 2026-03-10-self added"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("risk R-001 closed"),
        "closed before the period: {stdout}"
    );
    // The counts agree with their numbers.
    assert!(stdout.contains("1 assessment added"), "{stdout}");
    assert!(!stdout.contains("1 assessments"), "{stdout}");
    // Decisions in plain words, each once, with who and by when: the voided acceptance of
    // R-003 is one decision, not two; the milestone review decided by the SRO and board.
    let decisions = &stdout[order[2]..order[3]];
    assert!(
        decisions.contains("| Renew, or end, the acceptance of risk R-003 (Insider \\| misuse). The acceptance expires on 2026-04-15, before the next board. | Sam Owner (SRO) | 2026-04-15 |"),
        "{decisions}"
    );
    assert!(
        decisions.contains("| Decide on an independent review before the milestone. Milestone M-001 (Go live) on 2026-06-01 is later, and no one has decided whether it needs an independent review. | Sam Owner (SRO) and the board | 2026-06-01 |"),
        "{decisions}"
    );
    // Re-scored, R-003's acceptance is void and it is above tolerance with none: two rules
    // ask, and the board is asked once.
    let r3 = repo.read("assurance/risks/R-003.yaml");
    repo.write(
        "assurance/risks/R-003.yaml",
        r3.replace(
            "residual: {likelihood: 4, impact: 4}",
            "residual: {likelihood: 3, impact: 4}",
        ),
    );
    repo.commit_as(LEAD, "2026-04-01", "Re-score R-003");
    let (_, after, _) = run(repo.assure(&["board", "--as-of", "2026-04-02"]));
    let start = after.find("## Decisions needed").unwrap();
    let end = after.find("## What changed since").unwrap();
    let decisions = &after[start..end];
    assert_eq!(
        decisions.lines().filter(|l| l.contains("R-003")).count(),
        1,
        "{decisions}"
    );
    assert!(
        decisions.contains("| Accept risk R-003 (Insider \\| misuse) again as it now stands. S-0004 (risk acceptance of risk R-003) no longer counts: risk R-003 has changed since 2026-03-12. | Sam Owner (SRO) | 2026-04-15 |"),
        "{decisions}"
    );
    // No command lines, digests, policy keys, ISO durations or person ids anywhere.
    for jargon in [
        "assure sign",
        "sha256:",
        "event_reassessment",
        "board_cadence",
        " P1M",
        " P30D",
        "p-sro",
        "p-lead",
    ] {
        assert!(!stdout.contains(jargon), "{jargon} in {stdout}");
    }
    // Top risks with owner, response, trend and acceptance; the title's pipe escaped.
    assert!(stdout.contains("| R-003 Insider \\| misuse | Sam Owner | treat | 16 (Very high), above tolerance | → same |"), "{stdout}");
    // On stdout the Markdown has no pictures.
    assert!(!stdout.contains(".svg"), "{stdout}");
}

#[test]
fn board_pack_as_html_is_one_self_contained_file() {
    let (repo, _) = story();
    let (code, stdout, stderr) = run(repo.assure(&[
        "board",
        "--as-of",
        "2026-04-02",
        "--since",
        "2026-01-01",
        "--format",
        "html",
        "--out",
        "pack.html",
    ]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout
            .starts_with("wrote pack.html (Test Service: RED as of 2026-04-02, since 2026-01-01)"),
        "{stdout}"
    );
    // Progress is for terminals: none when standard error is a pipe.
    assert!(stderr.is_empty(), "{stderr}");
    let html = repo.read("pack.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@page {\n    size: A4;"));
    assert!(html.contains("@top-center { content: \"OFFICIAL\";"));
    assert!(html.contains("@bottom-center { content: \"OFFICIAL\";"));
    assert_eq!(
        html.matches("<svg xmlns=\"http://www.w3.org/2000/svg\"")
            .count(),
        2
    );
    for forbidden in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(forbidden), "{forbidden} in the pack");
    }
    assert!(
        html.contains("Insider | misuse"),
        "HTML keeps the text, escaped for HTML only"
    );
    assert!(html.contains("Credentials leaked."));
    // The trend has a row for each of the 8 days the records changed in the period, and now.
    let table = &html[html.find("<th>Day</th>").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr><td>2026-").count(), 9, "{table}");
    // No records at the start: a new service.
    assert!(html.contains("There were no valid records at the start of the period."));
    // Page one for the board, the annex on a page of its own, and page numbers.
    assert!(html.contains(".annex { break-before: page; }"), "{html}");
    assert!(
        html.contains("counter(page) \" of \" counter(pages)"),
        "{html}"
    );
    // The pictures say what they show to a screen reader, and the months are labelled.
    assert!(
        html.contains("<title id=\"heatmap-title\">") && html.contains("<desc id=\"trend-desc\">")
    );
    assert!(html.contains(">Feb</text>"), "{html}");
    // The rule ids do not wrap.
    assert!(html.contains("<span class=\"rule\">"), "{html}");
}

/// Every output states the highest marking of what it holds: a risk marked
/// OFFICIAL-SENSITIVE marks the board pack on every printed page (HTML margin boxes) and at
/// its first and last line (Markdown), JSON in a field and Markdown reports at both ends.
#[test]
fn a_handling_marking_marks_every_output_that_holds_the_record() {
    let (repo, _) = story();
    let r3 = repo.read("assurance/risks/R-003.yaml");
    repo.write(
        "assurance/risks/R-003.yaml",
        r3.replace(
            "title: Insider | misuse",
            "title: Insider | misuse\nhandling: OFFICIAL-SENSITIVE",
        ),
    );
    repo.commit_as(LEAD, "2026-04-01", "Mark R-003");
    let since = ["board", "--as-of", "2026-04-02", "--since", "2026-01-01"];

    let (code, _, stderr) =
        run(repo.assure(&[&since[..], &["--format", "html", "--out", "pack.html"]].concat()));
    assert_eq!(code, 0, "{stderr}");
    let html = repo.read("pack.html");
    for margin in ["@top-center", "@bottom-center"] {
        assert!(
            html.contains(&format!("{margin} {{ content: \"OFFICIAL-SENSITIVE\";")),
            "{html}"
        );
    }
    assert_eq!(
        html.matches("<div class=\"marking").count(),
        2,
        "and on screen, at the top and the bottom"
    );

    let (_, pack, _) = run(repo.assure(&since));
    assert!(
        pack.starts_with("**OFFICIAL-SENSITIVE**\n\n# Security update"),
        "{pack}"
    );
    assert!(pack.ends_with("\n\n**OFFICIAL-SENSITIVE**\n"), "{pack}");

    let (_, report, _) = run(repo.assure(&["status", "--as-of", "2026-04-02", "--format", "json"]));
    assert_eq!(json(&report)["marking"], "OFFICIAL-SENSITIVE");
    let (_, report, _) =
        run(repo.assure(&["status", "--as-of", "2026-04-02", "--format", "markdown"]));
    assert!(report.starts_with("**OFFICIAL-SENSITIVE**\n\n"), "{report}");
    assert!(report.ends_with("\n**OFFICIAL-SENSITIVE**\n"), "{report}");

    // A diff holds both sides: the marking of either marks it.
    let (_, diff, _) = run(repo.assure(&["diff", "HEAD~1", "HEAD", "--format", "json"]));
    assert_eq!(json(&diff)["marking"], "OFFICIAL-SENSITIVE");
    // The log holds every version it read.
    let (_, log, _) = run(repo.assure(&["log", "--format", "markdown"]));
    assert!(log.starts_with("**OFFICIAL-SENSITIVE**\n\n"), "{log}");
    // Terminal reports name a marking above plain OFFICIAL on their first line.
    for args in [
        &["diff", "HEAD~1", "HEAD"][..],
        &["log"][..],
        &["verify", "--as-of", "2026-04-02"][..],
        &["check", "--as-of", "2026-04-02", "--fail-on", "never"][..],
    ] {
        let (_, stdout, _) = run(repo.assure(args));
        assert!(
            stdout.starts_with("OFFICIAL-SENSITIVE\n\n"),
            "{args:?}: {stdout}"
        );
    }
    // Before the marking, nothing in the records was above OFFICIAL.
    let (_, diff, _) = run(repo.assure(&["diff", "HEAD~2", "HEAD~1", "--format", "json"]));
    assert_eq!(json(&diff)["marking"], "OFFICIAL");
}

/// On a terminal the walk shows its progress on standard error, and clears the line after.
/// (`script`, from util-linux, gives the command a terminal; skipped where it is missing.)
#[test]
fn board_shows_progress_on_a_terminal() {
    let Some(script) = validator("script") else {
        return;
    };
    let (repo, _) = story();
    let command = format!(
        "{} board --as-of 2026-04-02 --since 2026-01-01 --out pack.md",
        env!("CARGO_BIN_EXE_assure")
    );
    let output = std::process::Command::new(script)
        .args(["-qec", &command, "/dev/null"])
        .current_dir(repo.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let terminal = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{terminal}");
    assert!(
        terminal.contains("\rworking out the trend: [#"),
        "{terminal:?}"
    );
    assert!(terminal.contains("\r\x1b[2Kwrote pack.md"), "{terminal:?}");
}

#[test]
fn board_pack_markdown_writes_its_pictures_beside_it() {
    let (repo, _) = story();
    // A folder that does not exist is a mistake, not made.
    let (code, _, stderr) =
        run(repo.assure(&["board", "--as-of", "2026-04-02", "--out", "packs/march.md"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("does not exist"), "{stderr}");
    std::fs::create_dir(repo.file("packs")).unwrap();
    let (code, _, stderr) =
        run(repo.assure(&["board", "--as-of", "2026-04-02", "--out", "packs/march.md"]));
    assert_eq!(code, 0, "{stderr}");
    let md = repo.read("packs/march.md");
    assert!(
        md.contains("![Open risks by likelihood and impact](march-heatmap.svg)"),
        "{md}"
    );
    assert!(
        md.contains("![Open risks above tolerance over the period](march-trend.svg)"),
        "{md}"
    );
    let heatmap = repo.read("packs/march-heatmap.svg");
    // Now: R-002 at likelihood 2, impact 4, and R-003 at 4, 4, named in their cells.
    assert!(
        heatmap.contains(">R-002</text>") && heatmap.contains(">R-003</text>"),
        "{heatmap}"
    );
    // And as a table for those who cannot see the picture.
    assert!(
        md.contains("| 2 unlikely | 4 major | 8 | R-002 (above its tolerance) |"),
        "{md}"
    );
    assert!(repo.read("packs/march-trend.svg").starts_with("<svg"));
}

/// A period that ends at a commit, judged on a later day: the trend shows the commit's own
/// change on the day it was made, not only on the day the pack is as of.
#[test]
fn the_trend_shows_the_last_commit_on_its_own_day() {
    let (repo, commits) = story();
    let (code, stdout, stderr) = run(repo.assure(&[
        "board",
        "--since",
        &commits[0].to_string(),
        "--until",
        &commits[3].to_string(),
        "--as-of",
        "2026-04-20",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let days: Vec<String> = json(&stdout)["trend_points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["date"].as_str().unwrap().to_owned())
        .collect();
    assert!(days.contains(&"2026-03-01".to_owned()), "{days:?}");
    assert_eq!(
        days.last().map(String::as_str),
        Some("2026-04-20"),
        "{days:?}"
    );
}

#[test]
fn board_pack_for_a_past_period_by_revision() {
    let (repo, commits) = story();
    let (code, stdout, _) = run(repo.assure(&[
        "board",
        "--since",
        &commits[0].to_string(),
        "--until",
        &commits[3].to_string(),
    ]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("as of 2026-03-01"),
        "evaluated on the --until revision's day: {stdout}"
    );
    assert!(
        stdout.contains("- risk R-001 closed: Laptops retired."),
        "{stdout}"
    );
    assert!(
        stdout.contains("- risk R-002 re-scored: residual 12 → 8 (High → Medium)"),
        "{stdout}"
    );
    assert!(stdout.contains("| R-002 Gateway flaw | Lee Lead | treat | 8 (Medium), above tolerance | ↓ down from 12 |"), "{stdout}");
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused() {
    let (repo, commits) = story();
    let (code, stdout, stderr) =
        run(repo.assure(&["board", "--since", "2026-05-01", "--as-of", "2026-04-02"]));
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("the period would start on 2026-05-01, after it ends on 2026-04-02"),
        "{stderr}"
    );
    // The same with a revision as the end.
    let (code, _, stderr) = run(repo.assure(&[
        "board",
        "--since",
        "2026-03-02",
        "--until",
        &commits[3].to_string(),
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("after it ends on 2026-03-01"), "{stderr}");
}

#[test]
fn board_pack_with_a_programmes_own_template() {
    let (repo, _) = story();
    repo.write("mine.md.j2", "{{ project.name }}: {{ status.overall }} ({{ changes | length }} changes) {{ top_risks[0].title }}; {{ count(period.commits, \"commit\", \"commits\") }}, {{ count(1, \"risk\", \"risks\") }}\n");
    let (code, stdout, _) =
        run(repo.assure(&["board", "--as-of", "2026-04-02", "--template", "mine.md.j2"]));
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "Test Service: red (5 changes) Insider \\| misuse; 3 commits, 1 risk\n"
    );
    // A typo is an error with its line, not a blank.
    repo.write(
        "bad.html.j2",
        "<p>{{ project.name }}</p>\n<p>{{ project.nmae }}</p>\n",
    );
    let (code, _, stderr) = run(repo.assure(&[
        "board",
        "--as-of",
        "2026-04-02",
        "--template",
        "bad.html.j2",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the template bad.html.j2 failed at line 2"),
        "{stderr}"
    );
    assert!(stderr.contains("Board pack templates"), "{stderr}");
}

#[test]
fn history_commands_in_a_shallow_clone_exit_3() {
    let (repo, _) = story();
    let clones = tempfile::tempdir().unwrap();
    let shallow = clones.path().join("shallow");
    repo.clone_into(&shallow, Some(2));
    let (code, _, stderr) = run(assure_in(
        &shallow,
        &["board", "--since", "2026-01-01", "--as-of", "2026-04-02"],
    ));
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("shallow clone") && stderr.contains("fetch-depth: 0"),
        "{stderr}"
    );
    let (code, _, stderr) = run(assure_in(&shallow, &["log"]));
    assert_eq!(code, 3, "{stderr}");
    // A period inside the clone's history is fine.
    let (code, _, stderr) = run(assure_in(&shallow, &["log", "--since", "2026-04-01"]));
    assert_eq!(code, 0, "{stderr}");
}

/// An unreadable people.yaml hides its changes, as any unreadable file does: no one is
/// called removed.
#[test]
fn an_unreadable_people_file_does_not_remove_everyone() {
    let (repo, _) = story();
    repo.write("assurance/people.yaml", "kind: people\npeople: [\n");
    let (code, stdout, _) = run(repo.assure(&["diff", "HEAD"]));
    assert_eq!(code, 0);
    assert!(!stdout.contains("removed"), "{stdout}");
    assert!(
        stdout.contains("assurance/people.yaml"),
        "the unreadable file is named: {stdout}"
    );
}

#[test]
fn a_board_template_escapes_by_its_name_whatever_its_case() {
    let (repo, _) = story();
    let r3 = repo.read("assurance/risks/R-003.yaml");
    repo.write(
        "assurance/risks/R-003.yaml",
        r3.replace("Insider | misuse", "Insider <b>misuse</b> & co"),
    );
    repo.commit_as(LEAD, "2026-03-20", "Retitle R-003");
    let body = "{{ top_risks[0].title }}\n";
    let board = |template: &str, extra: &[&str]| {
        let mut args = vec!["board", "--as-of", "2026-04-02", "--template", template];
        args.extend_from_slice(extra);
        run(repo.assure(&args))
    };
    for name in ["pack.HTML", "pack.xhtml", "pack.html.jinja2", "Pack.Htm.J2"] {
        repo.write(name, body);
        let (code, stdout, stderr) = board(name, &[]);
        assert_eq!(code, 0, "{name}: {stderr}");
        assert_eq!(
            stdout, "Insider &lt;b&gt;misuse&lt;&#x2f;b&gt; &amp; co\n",
            "{name}"
        );
    }
    repo.write("pack.MD", body);
    let (_, stdout, _) = board("pack.MD", &[]);
    assert_eq!(stdout, "Insider \\<b\\>misuse\\</b\\> & co\n");
    repo.write("pack.txt", body);
    let (_, stdout, _) = board("pack.txt", &[]);
    assert_eq!(stdout, "Insider <b>misuse</b> & co\n");

    // A name that does not say how to escape is refused, unless told.
    repo.write("pack.tpl", body);
    let (code, stdout, stderr) = board("pack.tpl", &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("cannot tell from its name how the template pack.tpl should escape")
            && stderr.contains("--template-escape"),
        "{stderr}"
    );
    let (code, stdout, stderr) = board("pack.tpl", &["--template-escape", "html"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "Insider &lt;b&gt;misuse&lt;&#x2f;b&gt; &amp; co\n");
}

#[test]
fn a_board_template_that_never_stops_writing_is_stopped() {
    let (repo, _) = story();
    let out = repo.path().join("pack.html");
    for (name, template, expected) in [
        // Work without end.
        (
            "endless.html",
            "{% for i in range(100000) %}{% for j in range(100000) %}{{ project.name }}{% endfor %}{% endfor %}",
            "the template endless.html did more work, or built more text, than a board pack needs, and was stopped",
        ),
        // Memory without end: a string repeated and joined into gigabytes is refused before
        // it is made.
        (
            "bomb.html",
            "{% set a = \"x\" * 100000000 %}{% set b = [a,a,a,a,a,a,a,a,a,a]|join %}{{ b|length }}",
            "the template bomb.html did more work, or built more text, than a board pack needs, and was stopped",
        ),
        // One line of output without end.
        (
            "wide.html",
            "{{ \"x\" * 20000000 }}",
            "the template wide.html wrote more than 16 MiB, and was stopped",
        ),
    ] {
        repo.write(name, template);
        let (code, stdout, stderr) = run(repo.assure(&[
            "board",
            "--as-of",
            "2026-04-02",
            "--template",
            name,
            "--out",
            out.to_str().unwrap(),
        ]));
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!out.exists(), "nothing half-written");
    }
}

/// Counts and dates read as English: "overdue 1 day", "(tomorrow)", never "1 days".
#[test]
fn the_board_pack_counts_in_english() {
    let (repo, _) = story();
    let (code, stdout, stderr) = run(repo.assure(&["board", "--as-of", "2026-05-01"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("- **overdue 1 day:** action A-003"),
        "{stdout}"
    );
    let (_, stdout, _) = run(repo.assure(&["board", "--as-of", "2026-04-29"]));
    assert!(
        stdout.contains("- 2026-04-30 (tomorrow): action A-003"),
        "{stdout}"
    );
    let (_, stdout, _) = run(repo.assure(&["board", "--as-of", "2026-04-29", "--format", "html"]));
    assert!(
        stdout.contains("2026-04-30 (tomorrow): action A-003"),
        "{stdout}"
    );
    assert!(!stdout.contains(" 1 days"), "{stdout}");
}

/// `log` says what it cannot know, and what a sign-off went through: the commit that voided
/// it is in its log; a record that never existed is a mistake; a shallow clone's missing
/// history is an error, never "no changes".
#[test]
fn log_names_what_voided_a_sign_off_and_what_it_cannot_know() {
    let (repo, _) = story();
    let r3 = repo.read("assurance/risks/R-003.yaml");
    repo.write(
        "assurance/risks/R-003.yaml",
        r3.replace(
            "residual: {likelihood: 4, impact: 4}",
            "residual: {likelihood: 3, impact: 4}",
        ),
    );
    let rescored = repo.commit_as(LEAD, "2026-04-02", "Re-score R-003");
    let (code, stdout, stderr) = run(repo.assure(&["log", "S-0004"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "2026-04-02 {} Lee Lead <lead@example.gov.uk>\n    Re-score R-003\n  ! sign-off S-0004 (risk_acceptance by p-sro) voided: risk R-003 changed after it was signed\n",
            &rescored.to_string()[..10]
        )),
        "{stdout}"
    );
    // The hand-over before it is upkeep, which voids nothing: not in the sign-off's log.
    assert!(!stdout.contains("Hand R-003"), "{stdout}");
    assert!(stdout.contains("SRO approvals"), "{stdout}");

    let (code, stdout, stderr) = run(repo.assure(&["log", "R-999"]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("there is no record or file `R-999` in assurance/, now or in its history"),
        "{stderr}"
    );
    // A record removed long ago is still known to the log.
    let (code, _, stderr) = run(repo.assure(&["log", "E-001"]));
    assert_eq!(code, 0, "{stderr}");

    let clones = tempfile::tempdir().unwrap();
    let shallow = clones.path().join("shallow");
    repo.clone_into(&shallow, Some(1));
    let (code, stdout, stderr) = run(assure_in(&shallow, &["log"]));
    assert_eq!(code, 3, "{stderr}");
    assert!(!stdout.contains("no changes"), "{stdout}");
    assert!(stderr.contains("shallow clone"), "{stderr}");
}

/// Every change to a record is reported, in the project's words where it has them, else by
/// the fields' names; a control removed is said to be less protection.
#[test]
fn diff_and_log_leave_no_change_out() {
    let repo = Repo::valid();
    let before = risk("R-001").replace(
        "identified:",
        "controls: [Full-disk encryption, Remote wipe]\nactions:\n  - {id: A-001, title: Enrol laptops, owner: p-lead, due: 2026-03-31, status: open}\n  - {id: A-002, title: Train staff, owner: p-lead, due: 2026-03-31, status: open}\nidentified:",
    );
    repo.write("assurance/risks/R-001.yaml", &before);
    repo.commit_as(LEAD, "2026-01-10", "R-001 with controls");
    let after = before
        .replace("title: Laptop theft", "title: Loss or theft of a laptop")
        .replace(
            "[Full-disk encryption, Remote wipe]",
            "[Full-disk encryption]",
        )
        .replace(
            "inherent: {likelihood: 3, impact: 4}",
            "inherent: {likelihood: 4, impact: 4}",
        )
        .replace(
            "description: A laptop",
            "category: confidentiality\ndescription: A work laptop",
        )
        .replace(
            "title: Enrol laptops, owner: p-lead",
            "title: Enrol laptops, owner: p-sro",
        )
        .replace(
            "title: Train staff, owner: p-lead, due: 2026-03-31",
            "title: Train staff, owner: p-lead, due: 2026-02-28",
        );
    repo.write("assurance/risks/R-001.yaml", &after);
    repo.commit_as(LEAD, "2026-01-20", "Rework R-001");
    let (code, stdout, stderr) = run(repo.assure(&["diff", "HEAD~1", "HEAD", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let report = json(&stdout);
    assert_eq!(
        texts(&report),
        vec![
            "risk R-001 renamed: Laptop theft → Loss or theft of a laptop",
            "risk R-001 inherent score: 12 → 16 (High → Very high)",
            "risk R-001: control removed: Remote wipe (a control less is less protection: check the residual score still holds)",
            "risk R-001: other fields changed: category, description",
            "action A-001 (risk R-001): owner p-lead → p-sro",
            "action A-002 (risk R-001): due brought forward 2026-03-31 → 2026-02-28",
        ]
    );
    let whats: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        whats,
        [
            "risk_renamed",
            "risk_inherent_rescored",
            "control_removed",
            "risk_edited",
            "action_changed",
            "action_changed"
        ]
    );
    // The removed control stands out in human output.
    let (_, stdout, _) = run(repo.assure(&["diff", "HEAD~1", "HEAD"]));
    assert!(
        stdout.contains("! risk R-001: control removed: Remote wipe"),
        "{stdout}"
    );
    // And the log of the risk shows its rename.
    let (_, stdout, _) = run(repo.assure(&["log", "R-001"]));
    assert!(
        stdout.contains("~ risk R-001 renamed: Laptop theft → Loss or theft of a laptop"),
        "{stdout}"
    );
}

/// What a newcomer met: `log` finds actions and ids in any case, leaves out the files that
/// are not records, and `diff` names every project field that changed.
#[test]
fn log_and_diff_cover_actions_the_project_and_nothing_else() {
    let repo = Repo::empty();
    let (code, _, _) = run(repo.assure(&["init", "--as-of", "2026-03-01"]));
    assert_eq!(code, 0);
    repo.commit_as(LEAD, "2026-03-01", "Starting records");
    let (_, stdout, _) = run(repo.assure(&["log"]));
    assert!(
        !stdout.contains(".schemas") && !stdout.contains(".gitkeep"),
        "{stdout}"
    );
    assert!(!stdout.contains("could not be read"), "{stdout}");
    for target in ["A-001", "r-001"] {
        let (code, stdout, stderr) = run(repo.assure(&["log", target]));
        assert_eq!(code, 0, "{target}: {stderr}");
        assert!(stdout.contains("Starting records"), "{target}: {stdout}");
    }
    let project = repo.read("assurance/project.yaml");
    repo.write(
        "assurance/project.yaml",
        project
            .replace("# caat_reference: CAAT-0000", "caat_reference: CAAT-1234")
            .replace("criticality: medium", "criticality: high"),
    );
    repo.commit_as(LEAD, "2026-03-02", "Register on CAAT");
    let (_, stdout, _) = run(repo.assure(&["diff", "HEAD~1", "HEAD"]));
    assert!(
        stdout.contains("~ project changed: caat_reference, criticality"),
        "{stdout}"
    );
    let (_, stdout, _) = run(repo.assure(&["log", "project.yaml"]));
    assert!(
        stdout.contains("Register on CAAT") && stdout.contains("project recorded"),
        "{stdout}"
    );
}

/// `board --format json` writes the pack's data, the templates' context, for other tools.
#[test]
fn the_board_pack_as_data() {
    let (repo, _) = story();
    let (code, stdout, stderr) =
        run(repo.assure(&["board", "--as-of", "2026-04-02", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let pack = json(&stdout);
    assert_eq!(pack["version"], 1);
    assert_eq!(pack["command"], "board");
    assert_eq!(pack["status"]["overall"], "red");
    assert_eq!(pack["decisions"][0]["who"], "Sam Owner (SRO)");
    assert_eq!(pack["heatmap"]["tolerance"], 6);
    assert_eq!(pack["heatmap"]["ids"][3][3][0], "R-003");
    assert!(pack["highlights"].as_array().is_some_and(|h| !h.is_empty()));
    assert!(
        pack["pictures"]["heatmap_svg"]
            .as_str()
            .unwrap()
            .starts_with("<svg")
    );
    let (code, _, stderr) = run(repo.assure(&[
        "board",
        "--as-of",
        "2026-04-02",
        "--format",
        "json",
        "--template",
        "x.md",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--format json writes the pack's data"),
        "{stderr}"
    );
}

/// What a second newcomer found still left out: an action taken off a risk (security-relevant:
/// the plan is smaller), an edited board record, the appetite removed, a review date moved
/// back, and a sign-off edited in place (what it now says nobody signed).
#[test]
fn diff_leaves_out_no_removal_and_no_edit() {
    let repo = Repo::green();
    let with_action = risk("R-001").replace(
        "identified:",
        "actions:\n  - {id: A-001, title: Enrol laptops, owner: p-lead, due: 2026-03-31, status: open}\nidentified:",
    );
    repo.write("assurance/risks/R-001.yaml", &with_action);
    repo.commit_as(LEAD, "2026-01-21", "R-001's plan");
    let board = repo.read("assurance/boards/2026-01-20.yaml");
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace("last_reviewed: 2026-01-05", "last_reviewed: 2026-01-02"),
    );
    repo.write(
        "assurance/boards/2026-01-20.yaml",
        format!("{board}presented_by: p-sro\n"),
    );
    let signoff = repo.read("assurance/signoffs/S-0001.yaml");
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff.replace("date: 2026-01-06", "date: 2026-01-07"),
    );
    repo.remove("assurance/appetite.yaml");
    repo.commit_as(LEAD, "2026-01-22", "Tidy");
    let (code, stdout, stderr) = run(repo.assure(&["diff", "HEAD~1", "HEAD"]));
    assert_eq!(code, 0, "{stderr}");
    for expected in [
        "! action A-001 removed from risk R-001 while still open (due 2026-03-31): Enrol laptops; the plan is smaller",
        "risk R-001's last review moved back from 2026-01-05 to 2026-01-02",
        "board 2026-01-20 changed: presented_by",
        "! risk appetite removed: no tolerance is agreed, so no risk can be judged against it",
        "sign-off S-0001 edited (date): a sign-off is written once, so what it now says was not signed",
    ] {
        assert!(stdout.contains(expected), "{expected}\n{stdout}");
    }
    // The log of the action shows the commit that took it off.
    let (_, stdout, _) = run(repo.assure(&["log", "A-001"]));
    assert!(stdout.contains("Tidy"), "{stdout}");
}

/// Attack: `--out` onto a pipe (which would hang the writer), a link (which would replace its
/// target) or into a folder that does not exist: refused, naming the path, nothing written.
#[cfg(unix)]
#[test]
fn out_replaces_only_regular_files() {
    let (repo, _) = story();
    let fifo = repo.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let target = repo.path().join("elsewhere.txt");
    std::fs::write(&target, "keep me").unwrap();
    let link = repo.path().join("link.html");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let missing = repo.path().join("no/such/folder/pack.html");
    for (out, expected) in [
        (&fifo, "is not a regular file"),
        (&link, "is not a regular file"),
        (&missing, "does not exist"),
    ] {
        for args in [
            vec!["board", "--as-of", "2026-04-02", "--out"],
            vec!["export", "--as-of", "2026-04-02", "--out"],
        ] {
            let mut args = args.clone();
            args.push(out.to_str().unwrap());
            let (code, _, stderr) = run(repo.assure(&args));
            assert_eq!(code, 2, "{args:?}: {stderr}");
            assert!(stderr.contains(expected), "{args:?}: {stderr}");
        }
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    assert!(!missing.parent().unwrap().exists());
}
