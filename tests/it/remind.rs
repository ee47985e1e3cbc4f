//! `assure remind` against the local mock of GitHub's issues API: one issue per person who
//! owes something, created, left alone, updated and closed as the records change; only our
//! own issues touched; refusals and unassignable people handled.

use crate::common::mock_github::MockGithub;
use crate::common::*;

const TOKEN: &str = "ghs_remindT0kenThatMustNeverBePrinted";
const SHA: &str = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";

/// Green records, with an action on R-001 due on 2026-02-10 owned by the lead.
fn records() -> Repo {
    let repo = Repo::green();
    repo.write("assurance/people.yaml", PEOPLE_ON_GITHUB);
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace(
            "identified:",
            "actions:\n  - {id: A-001, title: Lock screens, owner: p-lead, due: 2026-02-10, status: open}\nidentified:",
        ),
    );
    repo.commit("2026-01-20", "Records");
    repo
}

fn remind(repo: &Repo, api: &MockGithub, as_of: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["remind", "--as-of", as_of];
    args.extend_from_slice(extra);
    let mut cmd = repo.assure(&args);
    cmd.env("GITHUB_API_URL", &api.url)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "mod-example/service")
        .env("GITHUB_SHA", SHA)
        .env("GITHUB_REF_NAME", "main")
        .env("GITHUB_TOKEN", TOKEN)
        .env("ASSURE_RETRY_BASE_MS", "1");
    let (code, stdout, stderr) = run(cmd);
    assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN));
    (code, stdout, stderr)
}

fn posts(api: &MockGithub) -> usize {
    api.state()
        .requests
        .iter()
        .filter(|r| r.method != "GET")
        .count()
}

#[test]
fn one_issue_per_person_opened_left_updated_and_closed() {
    let repo = records();
    let api = MockGithub::start("");
    // Someone else's issue, carrying our marker and label, is never touched.
    let theirs = api.add_issue(
        "mallory",
        "Assurance: fake",
        "<!-- assure:reminder p-lead -->\nfake",
        "assure-reminder",
    );

    let (code, stdout, stderr) = remind(&repo, &api, "2026-02-01", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("opened #"), "{stdout}");
    let ours = || {
        api.state()
            .issues
            .iter()
            .filter(|i| i.user == "github-actions[bot]")
            .cloned()
            .collect::<Vec<_>>()
    };
    let issues = ours();
    assert_eq!(issues.len(), 1);
    let issue = &issues[0];
    // The action, and the next board update (nobody owns it: it falls to the security lead).
    assert_eq!(issue.title, "Assurance: 2 items for Lee Lead");
    assert!(
        issue
            .body
            .contains("| the next board security update | 2026-03-03 |  |"),
        "{}",
        issue.body
    );
    assert_eq!(issue.labels, vec!["assure-reminder"]);
    assert_eq!(issue.assignees, vec!["llead"]);
    assert!(issue.body.starts_with("<!-- assure:reminder p-lead -->"));
    // The line of the action's due date, on the branch the workflow runs on.
    let line = repo
        .read("assurance/risks/R-001.yaml")
        .lines()
        .position(|l| l.contains("due: 2026-02-10"))
        .unwrap()
        + 1;
    assert!(
        issue.body.contains(&format!(
            "| action A-001 on risk R-001: Lock screens | 2026-02-10 | [assurance/risks/R-001.yaml](https://github.com/mod-example/service/blob/main/assurance/risks/R-001.yaml#L{line}) |"
        )),
        "{}",
        issue.body
    );

    // The same records the next day: nothing to change.
    let before = posts(&api);
    let (code, stdout, _) = remind(&repo, &api, "2026-02-02", &[]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("unchanged #"), "{stdout}");
    assert_eq!(posts(&api), before);

    // Overdue: the same issue says so.
    let (_, stdout, _) = remind(&repo, &api, "2026-02-12", &[]);
    assert!(
        stdout.starts_with(&format!("updated #{}", issue.number)),
        "{stdout}"
    );
    let issues = ours();
    assert_eq!(issues.len(), 1);
    assert_eq!(
        issues[0].title,
        "Assurance: 2 items for Lee Lead (1 overdue)"
    );
    assert!(issues[0].body.contains("**2026-02-10 (overdue)**"));

    // Done, and the board met: the issue closes itself.
    repo.write(
        "assurance/boards/2026-02-11.yaml",
        "kind: board\nid: 2026-02-11\ndate: 2026-02-11\nboard: Programme Board\n",
    );
    repo.write(
        "assurance/risks/R-001.yaml",
        repo.read("assurance/risks/R-001.yaml")
            .replace("status: open}", "status: done, done_on: 2026-02-11}"),
    );
    let (_, stdout, _) = remind(&repo, &api, "2026-02-12", &[]);
    assert!(
        stdout.starts_with(&format!("closed #{}", issue.number)),
        "{stdout}"
    );
    let state = api.state();
    let closed = state
        .issues
        .iter()
        .find(|i| i.number == issue.number)
        .unwrap();
    assert!(!closed.open);
    assert!(closed.body.contains("Nothing is overdue or due soon"));
    let fake = state.issues.iter().find(|i| i.number == theirs).unwrap();
    assert!(fake.open && fake.body.ends_with("fake"), "untouched");
}

#[test]
fn the_sro_gets_one_digest_of_the_decisions_they_owe() {
    let repo = records();
    // No appetite approval: the SRO owes it.
    repo.remove("assurance/signoffs/S-0001.yaml");
    repo.commit("2026-01-21", "Drop the approval");
    let api = MockGithub::start("");
    let (code, stdout, stderr) = remind(
        &repo,
        &api,
        "2026-02-01",
        &["--dry-run", "--format", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let plan = json(&stdout);
    let sro = plan["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["person"] == "p-sro")
        .unwrap_or_else(|| panic!("{plan:#}"));
    assert_eq!(sro["assignee"], "sowner");
    let body = sro["body"].as_str().unwrap();
    assert!(body.contains("## Decisions you owe as SRO"), "{body}");
    assert!(body.to_lowercase().contains("appetite"), "{body}");
    // A dry run changes nothing on GitHub.
    assert_eq!(api.state().requests.len(), 0);
}

#[test]
fn a_refusal_or_an_unassignable_person_is_said_plainly() {
    let repo = records();
    let api = MockGithub::start("");
    api.state().refuse = Some(403);
    let (code, _, stderr) = remind(&repo, &api, "2026-02-01", &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("permissions: issues: write"), "{stderr}");

    let api = MockGithub::start("");
    api.state().reject_assignees = true;
    let (code, _, stderr) = remind(&repo, &api, "2026-02-01", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("GitHub would not assign llead"), "{stderr}");
    let state = api.state();
    assert_eq!(state.issues.len(), 1);
    assert!(state.issues[0].assignees.is_empty());

    // Without a token there is nothing to write with; the dry run still works.
    let (code, _, stderr) = run(repo.assure(&["remind", "--as-of", "2026-02-01"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("GITHUB_TOKEN is not set") && stderr.contains("use --dry-run"),
        "{stderr}"
    );
}

/// An issue is read by everyone who can read the repository's issues: text from a record
/// whose handling marking the policy withholds from outputs that leave the team is left
/// out, saying where to read it.
#[test]
fn marked_text_stays_out_of_the_issue() {
    let repo = records();
    repo.write(
        "assurance/risks/R-001.yaml",
        repo.read("assurance/risks/R-001.yaml")
            .replace("identified:", "handling: OFFICIAL-SENSITIVE\nidentified:"),
    );
    let api = MockGithub::start("");
    let (code, stdout, stderr) = remind(
        &repo,
        &api,
        "2026-02-01",
        &["--dry-run", "--format", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let plan = json(&stdout);
    let body = plan["issues"][0]["body"].as_str().unwrap();
    assert!(
        body.contains("| an item in a record marked OFFICIAL-SENSITIVE (read it in the repository) | 2026-02-10 |"),
        "{body}"
    );
    assert!(!body.contains("Lock screens"), "{body}");
    // The same items as data, with the same care; and the marking of what the output holds.
    assert_eq!(plan["command"], "remind");
    assert_eq!(plan["marking"], "OFFICIAL");
    let item = &plan["issues"][0]["items"][0];
    assert_eq!(
        item["what"],
        "an item in a record marked OFFICIAL-SENSITIVE (read it in the repository)"
    );
    assert_eq!(item["due"], "2026-02-10");
    assert_eq!(item["overdue"], false);
    assert_eq!(item["file"], "assurance/risks/R-001.yaml");
    assert!(item["line"].as_u64().is_some(), "{item}");
    assert!(!stdout.contains("Lock screens"), "{stdout}");
}

/// A create that GitHub answers with a server error is tried again, after looking again: one
/// that failed outright is made on the next try, and one GitHub made all the same (a gateway
/// that timed out after the work was done) is found, never made twice. An error that lasts
/// says what could not be written.
#[test]
fn a_failed_create_is_retried_without_a_second_issue() {
    let repo = records();
    for made_anyway in [false, true] {
        let api = MockGithub::start("");
        api.state().post_failures.push_back((502, made_anyway));
        let (code, stdout, stderr) = remind(&repo, &api, "2026-02-01", &[]);
        assert_eq!(code, 0, "{made_anyway}: {stderr}");
        assert!(stdout.starts_with("opened #"), "{stdout}");
        assert_eq!(api.state().issues.len(), 1, "{made_anyway}");
    }
    let api = MockGithub::start("");
    for _ in 0..10 {
        api.state().post_failures.push_back((502, false));
    }
    let (code, _, stderr) = remind(&repo, &api, "2026-02-01", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with("error: the reminder issues could not be written: GitHub answered 502"),
        "{stderr}"
    );
    assert!(api.state().issues.is_empty());
}

/// The SRO's issue changes only when what they owe does: a decision with no date of its own
/// is due "now", not on the day of the run.
#[test]
fn the_sros_issue_does_not_change_from_day_to_day() {
    let repo = records();
    // Without the appetite's approval the SRO owes a decision with no date of its own.
    repo.remove("assurance/signoffs/S-0001.yaml");
    repo.commit("2026-01-21", "No approval of the appetite");
    let api = MockGithub::start("");
    let (code, first, stderr) = remind(&repo, &api, "2026-02-01", &[]);
    assert_eq!(code, 0, "{stderr}");
    let sro = |api: &MockGithub| {
        api.state()
            .issues
            .iter()
            .find(|i| i.body.contains("## Decisions you owe as SRO"))
            .map(|i| i.body.clone())
            .expect("the SRO's issue")
    };
    let body = sro(&api);
    assert!(body.contains("| now |"), "{first}\n{body}");
    let (_, second, _) = remind(&repo, &api, "2026-02-02", &[]);
    assert_eq!(sro(&api), body, "{second}");
    assert!(second.contains("unchanged #"), "{second}");
}
