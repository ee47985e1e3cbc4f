//! `assure ci` on GitHub Actions, run for real against a mock of the GitHub REST API on
//! 127.0.0.1: the comment is created once and then updated in place, found by its marker
//! among other bots' comments across pages; refusals degrade to the job summary; server
//! errors and rate limits are retried; the token never appears in any output. Annotations,
//! outputs and the job summary come from the same runs, with a pull_request event payload
//! in the shape GitHub sends.

use crate::common::mock_github::MockGithub;
use crate::common::*;
use std::path::PathBuf;

const TOKEN: &str = "ghs_s3cretT0kenThatMustNeverBePrinted";
const MARKER: &str = "<!-- assure:governance-summary -->";
const AS_OF: &str = "2026-02-01";

/// A pull request: green records on the base, and a head that edits the approved
/// assessment (voiding its sign-off, approved again in a new one) and adds a risk.
struct PullRequest {
    repo: Repo,
    base: git2::Oid,
    head: git2::Oid,
    files: tempfile::TempDir,
}

impl PullRequest {
    fn new() -> PullRequest {
        let repo = Repo::green();
        let base = repo.commit("2026-01-20", "Records");
        // The edit voids S-0002; the SRO approves the new text in S-0003.
        let assessment = ASSESSMENT.replace("Everything.", "Everything, and the new gateway.");
        repo.write("assurance/assessments/2026-01-05-self.yaml", &assessment);
        repo.write(
            "assurance/signoffs/S-0003.yaml",
            signoff(
                "S-0003",
                "report_approval",
                "assessment:2026-01-05-self",
                &assessment,
                "p-sro",
                "2026-01-25",
                "",
            ),
        );
        repo.write(
            "assurance/risks/R-002.yaml",
            risk("R-002").replace("Laptop theft", "Gateway flaw"),
        );
        let head = repo.commit("2026-01-25", "Add the gateway");
        PullRequest::of(repo, base, head)
    }

    /// A pull request from `base` to `head` (checked out) of `repo`.
    fn of(repo: Repo, base: git2::Oid, head: git2::Oid) -> PullRequest {
        PullRequest {
            repo,
            base,
            head,
            files: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.files.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).unwrap_or_default()
    }

    /// The event payload GitHub writes for `pull_request` (abridged to the fields of note).
    fn payload(&self, base_sha: &str) -> String {
        serde_json::json!({
            "action": "synchronize",
            "number": 7,
            "pull_request": {
                "url": "https://api.github.com/repos/mod-example/service/pulls/7",
                "id": 279147437,
                "node_id": "MDExOlB1bGxSZXF1ZXN0Mjc5MTQ3NDM3",
                "html_url": "https://github.com/mod-example/service/pull/7",
                "number": 7,
                "state": "open",
                "locked": false,
                "title": "Add the gateway",
                "user": {"login": "lee-lead", "id": 21031067, "type": "User"},
                "body": "Adds the gateway risk.",
                "draft": false,
                "head": {
                    "label": "mod-example:gateway",
                    "ref": "gateway",
                    "sha": self.head.to_string(),
                    "repo": {"full_name": "mod-example/service", "fork": false}
                },
                "base": {
                    "label": "mod-example:main",
                    "ref": "main",
                    "sha": base_sha,
                    "repo": {"full_name": "mod-example/service", "fork": false}
                },
                "merged": false,
                "commits": 1
            },
            "repository": {"id": 186853002, "full_name": "mod-example/service", "private": true},
            "sender": {"login": "lee-lead", "id": 21031067, "type": "User"}
        })
        .to_string()
    }

    /// `assure ci` as a GitHub Actions step on this pull request, against `api`.
    fn ci(&self, api: &MockGithub, extra: &[&str]) -> Run {
        self.ci_with(api, extra, &self.base.to_string(), "pull_request")
    }

    fn ci_with(&self, api: &MockGithub, extra: &[&str], base_sha: &str, event: &str) -> Run {
        std::fs::write(self.file("event.json"), self.payload(base_sha)).unwrap();
        let mut args = vec!["ci", "--as-of", AS_OF];
        args.extend_from_slice(extra);
        let mut cmd = self.repo.assure(&args);
        cmd.env("GITHUB_ACTIONS", "true")
            .env("CI", "true")
            .env("GITHUB_EVENT_NAME", event)
            .env("GITHUB_EVENT_PATH", self.file("event.json"))
            .env("GITHUB_API_URL", &api.url)
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_REPOSITORY", "mod-example/service")
            .env("GITHUB_RUN_ID", "4242")
            .env("GITHUB_SHA", "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e")
            .env("GITHUB_TOKEN", TOKEN)
            .env("GITHUB_STEP_SUMMARY", self.file("summary.md"))
            .env("GITHUB_OUTPUT", self.file("output"))
            .env("RUNNER_TEMP", self.files.path())
            .env("ASSURE_RETRY_BASE_MS", "1");
        let (code, stdout, stderr) = run(cmd);
        let run = Run {
            code,
            stdout,
            stderr,
            summary: self.read("summary.md"),
            output: self.read("output"),
        };
        // Reset the step's files, as each step gets its own.
        let _ = std::fs::remove_file(self.file("summary.md"));
        let _ = std::fs::remove_file(self.file("output"));
        run.assert_token_hidden();
        run
    }
}

/// A risk last reviewed in June 2025: long overdue by 2026.
fn stale_risk(id: &str) -> String {
    risk(id).replace(
        "identified: 2026-01-05\nlast_reviewed: 2026-01-05",
        "identified: 2025-01-05\nlast_reviewed: 2025-06-01",
    )
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    summary: String,
    output: String,
}

impl Run {
    fn assert_token_hidden(&self) {
        for (name, text) in [
            ("stdout", &self.stdout),
            ("stderr", &self.stderr),
            ("summary", &self.summary),
            ("output", &self.output),
        ] {
            assert!(
                !text.contains(TOKEN),
                "the token leaked into {name}:\n{text}"
            );
            assert!(
                !text.contains("s3cret"),
                "part of the token leaked into {name}"
            );
        }
    }
}

/// Our comments on the mock.
fn ours(api: &MockGithub) -> Vec<crate::common::mock_github::Comment> {
    api.state()
        .comments
        .iter()
        .filter(|c| c.body.contains(MARKER))
        .cloned()
        .collect()
}

fn requests(api: &MockGithub, method: &str) -> usize {
    api.state()
        .requests
        .iter()
        .filter(|r| r.method == method)
        .count()
}

#[test]
fn the_first_run_creates_the_comment_and_later_runs_update_it_in_place() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    let first = pr.ci(&api, &[]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(
        first
            .stdout
            .contains("comment on pull request #7 was posted"),
        "{}",
        first.stdout
    );
    let comments = ours(&api);
    assert_eq!(comments.len(), 1);
    let body = &comments[0].body;
    assert!(body.starts_with(MARKER));
    assert!(body.contains("### Assurance currency: 🟢 GREEN"), "{body}");
    assert!(body.contains("| Risks | 🟢 GREEN | 0 |"), "{body}");
    // What the pull request changes, and the sign-off it voids.
    assert!(body.contains("- risk R-002 opened: Gateway flaw"), "{body}");
    // The scope is what the report says: a change of signed content, and marked so.
    assert!(
        body.contains("- assessment 2026-01-05-self changed: scope *(signed content)*"),
        "{body}"
    );
    assert!(
        body.contains("#### Sign-offs this pull request voids\n\n- ⚠️ sign-off S-0002 (report\\_approval by p-sro) voided"),
        "{body}"
    );
    assert!(body.contains("#### Due in the next 30 days"), "{body}");
    assert!(
        body.contains("[workflow run](https://github.com/mod-example/service/actions/runs/4242)"),
        "{body}"
    );
    let authorization = api.state().requests[0].authorization.clone().unwrap();
    assert!(
        authorization.ends_with(TOKEN),
        "the token is sent to GitHub"
    );

    // The same records again: nothing to change, nothing sent.
    let second = pr.ci(&api, &[]);
    assert_eq!(second.code, 0);
    assert!(
        second.stdout.contains("was left unchanged"),
        "{}",
        second.stdout
    );
    assert_eq!(requests(&api, "PATCH"), 0);

    // A later push changes the status: the one comment is updated.
    pr.repo
        .write("assurance/risks/R-002.yaml", stale_risk("R-002"));
    pr.repo.commit("2026-01-26", "Older review date");
    let third = pr.ci(&api, &[]);
    assert!(third.stdout.contains("was updated"), "{}", third.stdout);
    let after = ours(&api);
    assert_eq!(after.len(), 1, "never a second comment");
    assert_eq!(after[0].id, comments[0].id);
    assert_ne!(after[0].body, comments[0].body);
    assert!(after[0].body.contains("RISK-1"), "{}", after[0].body);
    assert_eq!(requests(&api, "POST"), 1);
    assert_eq!(requests(&api, "PATCH"), 1);
}

#[test]
fn the_marker_is_found_among_other_bots_comments_across_pages() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    api.state().page_size = 2;
    api.add_comment("dependabot[bot]", "Bumps serde from 1.0.1 to 1.0.2.");
    api.add_comment("codecov[bot]", "Coverage: 81%");
    api.add_comment("reviewer", "Looks fine, but see the gateway risk.");
    api.add_comment("sonarcloud[bot]", "Quality gate passed <!-- sonar -->");
    let ours_id = api.add_comment("github-actions[bot]", &format!("{MARKER}\nold summary"));
    api.add_comment("reviewer", "Thanks.");

    let run = pr.ci(&api, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("was updated"), "{}", run.stdout);
    let state = api.state();
    let pages: Vec<&str> = state
        .requests
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.path.as_str())
        .collect();
    assert_eq!(pages.len(), 3, "all three pages are read: {pages:?}");
    assert!(pages[2].contains("page=3"), "{pages:?}");
    let patch = state.requests.iter().find(|r| r.method == "PATCH").unwrap();
    assert_eq!(
        patch.path,
        format!("/repos/mod-example/service/issues/comments/{ours_id}")
    );
    assert_eq!(state.comments.len(), 6, "no new comment");
    assert!(!state.requests.iter().any(|r| r.method == "POST"));
    // Other people's comments are untouched.
    assert_eq!(state.comments[1].body, "Coverage: 81%");
}

#[test]
fn a_refusal_degrades_to_the_job_summary_and_fails_only_when_asked() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    api.state().refuse = Some(403);
    let run = pr.ci(&api, &[]);
    assert_eq!(run.code, 0, "the check passed, so the step passes");
    assert!(
        run.stdout
            .contains("::warning title=assure::GitHub refused to let this workflow comment (403: Resource not accessible by integration)"),
        "{}",
        run.stdout
    );
    assert!(
        run.summary.starts_with(
            "**OFFICIAL**\n\n> The pull-request comment was not posted: GitHub refused"
        ),
        "{}",
        run.summary
    );
    // The summary still has everything the comment would have said.
    assert!(run.summary.contains("### Assurance currency: 🟢 GREEN"));
    assert!(run.summary.contains("risk R-002 opened"));
    assert!(!run.summary.contains(MARKER));
    assert!(run.output.contains("status=green\n"));
    assert_eq!(requests(&api, "GET"), 1, "a refusal is not retried");

    let strict = pr.ci(&api, &["--require-comment", "true"]);
    assert_eq!(strict.code, 1);

    // A 404 (the token cannot see the repository) is a refusal too.
    api.state().refuse = Some(404);
    let missing = pr.ci(&api, &[]);
    assert_eq!(missing.code, 0);
    assert!(
        missing
            .stdout
            .contains("GitHub refused to let this workflow comment (404")
    );
}

#[test]
fn server_errors_and_rate_limits_are_retried() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    api.state().failures.extend([
        (502, Vec::new()),
        (
            403,
            vec![
                ("x-ratelimit-remaining".to_owned(), "0".to_owned()),
                ("x-ratelimit-reset".to_owned(), "1767225600".to_owned()),
            ],
        ),
        (429, vec![("retry-after".to_owned(), "1".to_owned())]),
    ]);
    let run = pr.ci(&api, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("was posted"), "{}", run.stdout);
    assert_eq!(requests(&api, "GET"), 4, "three failures, then the list");
    assert_eq!(ours(&api).len(), 1);
}

#[test]
fn a_post_that_fails_is_tried_again_after_looking_for_the_comment() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    api.state().post_failures.push_back((502, false));
    let run = pr.ci(&api, &[]);
    assert!(run.stdout.contains("was posted"), "{}", run.stdout);
    assert_eq!(ours(&api).len(), 1);
    assert_eq!(requests(&api, "POST"), 2);
    assert_eq!(requests(&api, "GET"), 2, "it looked before posting again");
}

#[test]
fn a_post_that_failed_after_making_the_comment_is_not_repeated() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    api.state().post_failures.push_back((504, true));
    let run = pr.ci(&api, &[]);
    assert!(run.stdout.contains("was posted"), "{}", run.stdout);
    assert_eq!(ours(&api).len(), 1, "never a second comment");
    assert_eq!(requests(&api, "POST"), 1);
}

#[test]
fn server_errors_that_last_are_reported_not_fatal() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    api.state()
        .failures
        .extend(std::iter::repeat_n((503, Vec::new()), 10));
    let run = pr.ci(&api, &[]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains(
            "::warning title=assure::the comment could not be posted: GitHub answered 503, after 4 attempts"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.summary
            .contains("The pull-request comment was not posted")
    );
    assert!(ours(&api).is_empty());
}

#[test]
fn github_enterprise_api_urls_keep_their_path() {
    let pr = PullRequest::new();
    let api = MockGithub::start("/api/v3");
    api.state().page_size = 1;
    api.add_comment("someone", "first");
    api.add_comment("someone", "second");
    let run = pr.ci(&api, &[]);
    assert!(run.stdout.contains("was posted"), "{}", run.stdout);
    let state = api.state();
    assert!(
        state
            .requests
            .iter()
            .all(|r| r.path.starts_with("/api/v3/repos/mod-example/service/")),
        "{:?}",
        state.requests
    );
}

#[test]
fn no_token_is_a_warning_with_the_fix() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    std::fs::write(pr.file("event.json"), pr.payload(&pr.base.to_string())).unwrap();
    let mut cmd = pr.repo.assure(&["ci", "--as-of", AS_OF]);
    cmd.env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", pr.file("event.json"))
        .env("GITHUB_API_URL", &api.url)
        .env("GITHUB_REPOSITORY", "mod-example/service");
    let (code, stdout, _) = run(cmd);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("no GITHUB_TOKEN was given to the step; pass `github-token` to the action"),
        "{stdout}"
    );
    assert!(api.state().requests.is_empty());
}

#[test]
fn comment_false_posts_nothing_but_writes_the_summary() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    let run = pr.ci(&api, &["--comment", "false"]);
    assert_eq!(run.code, 0);
    assert!(api.state().requests.is_empty());
    assert!(run.summary.contains("risk R-002 opened"), "{}", run.summary);
}

#[test]
fn a_base_missing_from_a_shallow_clone_is_explained() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    let run = pr.ci_with(
        &api,
        &[],
        "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
        "pull_request",
    );
    assert_eq!(run.code, 0);
    let body = &ours(&api)[0].body;
    assert!(
        body.contains("The pull request's base commit f95f852bd8 is not in this clone")
            && body.contains("`fetch-depth: 0`"),
        "{body}"
    );
}

#[test]
fn annotations_outputs_and_report_from_a_real_run() {
    let pr = PullRequest::new();
    // R-002, a high risk, is long overdue for review on the head: red findings on its file.
    pr.repo.write(
        "assurance/risks/R-002.yaml",
        stale_risk("R-002")
            .replace(
                "residual: {likelihood: 2, impact: 3}",
                "residual: {likelihood: 4, impact: 4}",
            )
            .replace("inherent: {likelihood: 3,", "inherent: {likelihood: 5,"),
    );
    pr.repo.commit("2026-01-26", "Older review date");
    let api = MockGithub::start("");
    let run = pr.ci(&api, &[]);
    assert_eq!(
        run.code, 1,
        "red fails the step by default:\n{}",
        run.stdout
    );
    let annotation = run
        .stdout
        .lines()
        .find(|l| l.starts_with("::error file=assurance/risks/R-002.yaml,"))
        .unwrap_or_else(|| panic!("no annotation on R-002:\n{}", run.stdout));
    assert!(
        annotation
            .starts_with("::error file=assurance/risks/R-002.yaml,line=11,col=16,title=RISK-1::"),
        "{annotation}"
    );
    assert!(annotation.contains("%0AWhat to do: "), "{annotation}");
    // The human report is in the log too.
    assert!(run.stdout.contains("RED: "), "{}", run.stdout);

    let report = pr.file("assure-report.json");
    assert_eq!(
        run.output,
        format!("status=red\nreport={}\n", report.display())
    );
    let json = json(&std::fs::read_to_string(&report).unwrap());
    assert_eq!(json["command"], "ci");
    assert_eq!(json["status"]["overall"], "red");

    assert!(
        run.summary.contains("### Assurance currency: 🔴 RED"),
        "{}",
        run.summary
    );
    // Each finding links to its line in the commit checked out.
    assert!(
        run.summary.contains("<br>[assurance/risks/R-002.yaml:11](https://github.com/mod-example/service/blob/5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e/assurance/risks/R-002.yaml#L11) |"),
        "{}",
        run.summary
    );
    let body = &ours(&api)[0].body;
    assert!(
        body.contains("(https://github.com/mod-example/service/blob/5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e/assurance/risks/R-002.yaml#L11)"),
        "{body}"
    );
    assert!(run.summary.contains("RISK-1"));

    // --fail-on never lets the step pass with the same findings.
    let lenient = pr.ci(&api, &["--fail-on", "never"]);
    assert_eq!(lenient.code, 0);
}

#[test]
fn amber_findings_are_warnings() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    // A week before the risks' quarterly reviews fall due (2026-04-05): amber.
    let mut cmd = pr.repo.assure(&["ci", "--as-of", "2026-03-28"]);
    cmd.env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "push")
        .env("GITHUB_API_URL", &api.url);
    let (_, stdout, _) = run(cmd);
    let warnings: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("::warning file="))
        .collect();
    assert!(!warnings.is_empty(), "{stdout}");
    assert!(
        !stdout.lines().any(|l| l.starts_with("::error")),
        "{stdout}"
    );
}

#[test]
fn invalid_records_annotate_the_error_and_exit_2() {
    let pr = PullRequest::new();
    pr.repo.write(
        "assurance/risks/R-002.yaml",
        risk("R-002").replace("owner: p-lead", "owner: p-lead\nlast_reveiwed: 2026-01-01"),
    );
    let api = MockGithub::start("");
    let run = pr.ci(&api, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .contains("::error file=assurance/risks/R-002.yaml,line=6,col=1,title=unknown-field::"),
        "{}",
        run.stdout
    );
    assert!(run.output.starts_with("status=red\n"), "{}", run.output);
    assert!(
        run.summary.contains("Assurance records are not valid"),
        "{}",
        run.summary
    );
    let body = &ours(&api)[0].body;
    assert!(body.contains("unknown-field"), "{body}");
    assert!(
        body.contains("Test Service: 1 problem; no status can be given"),
        "{body}"
    );
}

#[test]
fn a_missing_records_folder_is_an_error_annotation_and_a_summary() {
    let repo = Repo::empty();
    let files = tempfile::tempdir().unwrap();
    let summary = files.path().join("summary.md");
    let mut cmd = repo.assure(&["ci"]);
    cmd.env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary);
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 2);
    assert!(
        stdout.starts_with("::error title=assure::no records folder found"),
        "{stdout}"
    );
    assert!(stderr.contains("run `assure init`"), "{stderr}");
    let summary = std::fs::read_to_string(summary).unwrap();
    assert!(
        summary.contains("assure could not check the records"),
        "{summary}"
    );
}

#[test]
fn a_push_writes_summary_and_outputs_but_no_comment() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    let run = pr.ci_with(&api, &[], &pr.base.to_string(), "push");
    assert_eq!(run.code, 0);
    assert!(api.state().requests.is_empty());
    assert!(run.summary.contains("### Assurance currency: 🟢 GREEN"));
    assert!(!run.summary.contains("What this pull request changes"));
    assert!(run.output.starts_with("status=green\n"));
}

#[test]
fn outside_github_it_prints_the_check_report_and_exits_the_same_way() {
    let pr = PullRequest::new();
    pr.repo
        .write("assurance/risks/R-002.yaml", stale_risk("R-002"));
    let (ci_code, ci_out, _) = run(pr.repo.assure(&["ci", "--as-of", AS_OF]));
    let (check_code, check_out, _) = run(pr.repo.assure(&["check", "--as-of", AS_OF]));
    assert_eq!(ci_code, check_code);
    assert_eq!(ci_out, check_out);
    assert!(
        !ci_out.contains("::"),
        "no workflow commands outside GitHub"
    );
}

#[test]
fn the_comment_is_cut_to_fit_with_a_note() {
    let pr = PullRequest::new();
    for n in 100..500 {
        let id = format!("R-{n:03}");
        pr.repo
            .write(&format!("assurance/risks/{id}.yaml"), stale_risk(&id));
    }
    pr.repo.commit("2026-01-27", "Many stale risks");
    let api = MockGithub::start("");
    let run = pr.ci(&api, &["--fail-on", "never"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body = &ours(&api)[0].body;
    assert!(
        body.chars().count() <= 65_536,
        "{} characters",
        body.chars().count()
    );
    assert!(
        body.contains("cut to fit GitHub's size limit: showing"),
        "{}",
        &body[body.len() - 400..]
    );
    assert!(body.contains("more (`assure status` lists them all)"));
    // The job summary has room for all of them.
    assert!(
        !run.summary.contains("cut to fit"),
        "the summary is not cut"
    );
}

#[test]
fn check_format_github_prints_annotations_and_the_summary_line() {
    let pr = PullRequest::new();
    pr.repo
        .write("assurance/risks/R-002.yaml", stale_risk("R-002"));
    let (code, stdout, _) = run(pr
        .repo
        .assure(&["check", "--as-of", AS_OF, "--format", "github"]));
    assert_eq!(code, 0, "amber passes --fail-on red");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with(
            "::warning file=assurance/risks/R-002.yaml,line=11,col=16,title=RISK-1::risk R-002"
        ),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("AMBER: 1 finding (0 red, 1 amber) on 2026-02-01."),
        "{stdout}"
    );
}

#[test]
fn annotations_name_files_from_the_workspace_when_checked_out_in_a_folder_of_it() {
    let pr = PullRequest::new();
    pr.repo
        .write("assurance/risks/R-002.yaml", stale_risk("R-002"));
    // As with actions/checkout `path: <folder>`: the workspace is the repository's parent.
    let root = std::fs::canonicalize(pr.repo.path()).unwrap();
    let folder = root.file_name().unwrap().to_string_lossy().into_owned();
    let mut cmd = pr
        .repo
        .assure(&["check", "--as-of", AS_OF, "--format", "github"]);
    cmd.env("GITHUB_WORKSPACE", root.parent().unwrap());
    let (code, stdout, _) = run(cmd);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with(&format!(
            "::warning file={folder}/assurance/risks/R-002.yaml,line=11,col=16,title=RISK-1::"
        )),
        "{stdout}"
    );
    // The other reports keep paths relative to the repository.
    let mut cmd = pr
        .repo
        .assure(&["check", "--as-of", AS_OF, "--format", "json"]);
    cmd.env("GITHUB_WORKSPACE", root.parent().unwrap());
    let (_, stdout, _) = run(cmd);
    assert_eq!(
        json(&stdout)["status"]["findings"][0]["file"],
        "assurance/risks/R-002.yaml"
    );
}

#[test]
fn format_sarif_is_a_sarif_log_for_code_scanning() {
    let pr = PullRequest::new();
    pr.repo
        .write("assurance/risks/R-002.yaml", stale_risk("R-002"));
    let (code, stdout, _) = run(pr
        .repo
        .assure(&["status", "--as-of", AS_OF, "--format", "sarif"]));
    assert_eq!(code, 0);
    let log = json(&stdout);
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let sarif_run = &log["runs"][0];
    assert_eq!(sarif_run["tool"]["driver"]["name"], "assure");
    let rules: Vec<&str> = sarif_run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"RISK-1") && rules.contains(&"unknown-field"));
    // Each rule carries its page's help and links to the page.
    for rule in sarif_run["tool"]["driver"]["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        assert!(
            rule["help"]["text"]
                .as_str()
                .is_some_and(|h| h.contains("How to fix it: ")),
            "{rule:#}"
        );
        assert_eq!(
            rule["helpUri"],
            format!(
                "{}/blob/main/docs/codes/{id}.md",
                env!("CARGO_PKG_REPOSITORY")
            ),
            "{rule:#}"
        );
    }
    let results = sarif_run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let result = &results[0];
    assert_eq!(result["ruleId"], "RISK-1");
    assert_eq!(result["level"], "warning");
    assert!(rules.contains(&result["ruleId"].as_str().unwrap()));
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "assurance/risks/R-002.yaml"
    );
    assert_eq!(location["region"]["startLine"], 11);
    assert_eq!(location["region"]["startColumn"], 16);
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains(". What to do: ")
    );
    sarif_multitool_accepts(&stdout);

    // Invalid records: the record errors are the results, as errors.
    pr.repo
        .write("assurance/risks/R-003.yaml", "kind: risk\nid: [\n");
    let (code, stdout, _) = run(pr
        .repo
        .assure(&["check", "--as-of", AS_OF, "--format", "sarif"]));
    assert_eq!(code, 2);
    let log = json(&stdout);
    sarif_multitool_accepts(&stdout);
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "assurance/risks/R-003.yaml"
    );
}

/// Microsoft's SARIF validator (`npm i @microsoft/sarif-multitool`), where it is installed:
/// the log is valid SARIF 2.1.0 with no errors.
fn sarif_multitool_accepts(log: &str) {
    let Some(multitool) = validator("sarif-multitool") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("assure.sarif");
    std::fs::write(&file, log).unwrap();
    let output = std::process::Command::new(multitool)
        .arg("validate")
        .arg(&file)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && text.contains("Analysis completed successfully"),
        "sarif-multitool:\n{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!text.contains(": error "), "sarif-multitool:\n{text}");
}

/// A risk with a handling marking: its title is in `assure status` but not in anything that
/// leaves the team (the job's log, annotations, the job summary, the comment, SARIF), which
/// say how many items were withheld and how to see them; `public_outputs: show` shows it.
#[test]
fn a_handling_marked_risks_text_stays_out_of_what_leaves_the_team() {
    const TITLE: &str = "Crypto module key escrow flaw";
    let pr = PullRequest::new();
    pr.repo.write(
        "assurance/risks/R-002.yaml",
        stale_risk("R-002").replace(
            "title: Laptop theft",
            &format!("title: {TITLE}\nhandling: OFFICIAL-SENSITIVE"),
        ),
    );
    pr.repo.commit("2026-01-26", "Mark the gateway risk");

    let (_, local, _) = run(pr.repo.assure(&["status", "--as-of", AS_OF]));
    assert!(local.contains(TITLE), "{local}");
    assert!(
        local.starts_with("Test Service as of 2026-02-01 · OFFICIAL-SENSITIVE\n"),
        "{local}"
    );

    let api = MockGithub::start("");
    let run_ = pr.ci(&api, &[]);
    assert!(
        run_.output.starts_with("status=amber\n"),
        "the verdict is unchanged: R-002 is overdue for review"
    );
    let body = &ours(&api)[0].body;
    for (what, text) in [
        ("the job's log and annotations", &run_.stdout),
        ("the job summary", &run_.summary),
        ("the comment", body),
    ] {
        assert!(!text.contains(TITLE), "{what} shows the title:\n{text}");
    }
    let annotation = run_
        .stdout
        .lines()
        .find(|l| l.starts_with("::warning file=assurance/risks/R-002.yaml,"))
        .unwrap_or_else(|| panic!("no annotation on R-002:\n{}", run_.stdout));
    assert!(
        annotation.contains("title=RISK-1::withheld: risk R-002 is marked OFFICIAL-SENSITIVE"),
        "{annotation}"
    );
    for text in [&run_.summary, body] {
        // What it withholds does not mark it: it holds nothing above OFFICIAL.
        assert!(
            text.contains("**OFFICIAL**\n") && !text.contains("OFFICIAL-SENSITIVE**"),
            "{text}"
        );
        assert!(
            text.contains("> 🔒 ")
                && text.contains("withheld here, as `policy.public_outputs` asks: run `assure status` locally to see them.")
                && text.contains("- risk opened: R-002 (withheld: marked OFFICIAL-SENSITIVE)\n"),
            "{text}"
        );
    }
    // The report file stays on the runner, whole.
    let report = std::fs::read_to_string(pr.file("assure-report.json")).unwrap();
    assert!(report.contains(TITLE));
    assert_eq!(json(&report)["marking"], "OFFICIAL-SENSITIVE");

    let (_, sarif, _) = run(pr
        .repo
        .assure(&["status", "--as-of", AS_OF, "--format", "sarif"]));
    assert!(!sarif.contains(TITLE), "{sarif}");
    assert!(sarif.contains("withheld: risk R-002 is marked OFFICIAL-SENSITIVE"));
    assert_eq!(json(&sarif)["runs"][0]["properties"]["marking"], "OFFICIAL");
    let (_, github_format, _) = run(pr
        .repo
        .assure(&["check", "--as-of", AS_OF, "--format", "github"]));
    assert!(!github_format.contains(TITLE), "{github_format}");

    // The team may choose to show it.
    let project = pr.repo.read("assurance/project.yaml");
    pr.repo.write(
        "assurance/project.yaml",
        project.replace("policy:\n", "policy:\n  public_outputs: show\n"),
    );
    pr.repo.commit("2026-01-27", "Show marked records");
    let shown = pr.ci(&api, &["--fail-on", "never"]);
    assert!(shown.summary.contains(TITLE), "{}", shown.summary);
    assert!(!shown.summary.contains("🔒"), "{}", shown.summary);
    assert!(
        shown.summary.starts_with("**OFFICIAL-SENSITIVE**\n")
            && shown.summary.ends_with("\n**OFFICIAL-SENSITIVE**\n"),
        "{}",
        shown.summary
    );
}

/// What is withheld goes beyond valid handling-marked records: a record error in a marked
/// file quotes none of it, a record classified above OFFICIAL (with no handling marking) is
/// withheld too, and `assure ci` withholds in any CI, not only on GitHub.
#[test]
fn record_errors_and_higher_classifications_are_withheld_in_any_ci() {
    const CANARY: &str = "CANARY-ZULU";
    let pr = PullRequest::new();
    // A marked risk with a misspelt field: a record error whose line holds the text.
    pr.repo.write(
        "assurance/risks/R-002.yaml",
        risk("R-002").replace(
            "title: Laptop theft",
            &format!(
                "title: Laptop theft\nhandling: OFFICIAL-SENSITIVE\ndescripton: {CANARY} detail"
            ),
        ),
    );
    pr.repo.commit_as(
        ("Lee Lead", "lead@example.gov.uk"),
        "2026-01-26",
        "Marked risk",
    );
    let api = MockGithub::start("");
    let bad = pr.ci(&api, &[]);
    assert_eq!(bad.code, 2);
    for (what, text) in [("log", &bad.stdout), ("summary", &bad.summary)] {
        assert!(!text.contains(CANARY), "{what} shows it:\n{text}");
    }
    assert!(
        bad.stdout
            .contains("withheld: a problem in a file marked OFFICIAL-SENSITIVE"),
        "{}",
        bad.stdout
    );
    let (_, sarif, _) = run(pr
        .repo
        .assure(&["check", "--as-of", AS_OF, "--format", "sarif"]));
    assert!(!sarif.contains(CANARY), "{sarif}");
    // Locally, the problem is shown in full.
    let (_, local, _) = run(pr.repo.assure(&["check", "--as-of", AS_OF]));
    assert!(local.contains(CANARY), "{local}");
    assert!(local.starts_with("OFFICIAL-SENSITIVE\n\n"), "{local}");

    // A SECRET risk in a repository allowed to hold it, with no handling marking.
    let project = pr.repo.read("assurance/project.yaml");
    pr.repo.write(
        "assurance/project.yaml",
        project.replace(
            "kind: project\n",
            "kind: project\nmax_classification: SECRET\n",
        ),
    );
    pr.repo.write(
        "assurance/risks/R-002.yaml",
        stale_risk("R-002").replace(
            "title: Laptop theft",
            &format!("title: {CANARY}\nclassification: SECRET"),
        ),
    );
    pr.repo.commit_as(
        ("Lee Lead", "lead@example.gov.uk"),
        "2026-01-27",
        "SECRET risk",
    );
    let secret = pr.ci(&api, &["--fail-on", "never"]);
    let body = &ours(&api)[0].body;
    for (what, text) in [
        ("log", &secret.stdout),
        ("summary", &secret.summary),
        ("comment", body),
    ] {
        assert!(!text.contains(CANARY), "{what} shows it:\n{text}");
    }
    assert!(
        secret.summary.starts_with("**OFFICIAL**\n"),
        "{}",
        secret.summary
    );
    assert!(
        secret
            .stdout
            .contains("withheld: risk R-002 is marked SECRET"),
        "{}",
        secret.stdout
    );

    // Another CI: the log of `assure ci` still withholds.
    let mut cmd = pr
        .repo
        .assure(&["ci", "--as-of", AS_OF, "--fail-on", "never"]);
    cmd.env("CI", "true").env("GITLAB_CI", "true");
    let (_, log, _) = run(cmd);
    assert!(!log.contains(CANARY), "{log}");
    assert!(
        log.contains("withheld: risk R-002 is marked SECRET"),
        "{log}"
    );
}

/// Attack: a risk title that holds a newline and a workflow command, or the runner's own
/// `stop-commands`, in the CI log. The report is fenced from the runner by a token of its
/// own, and the title's control characters are shown, not obeyed.
#[test]
fn record_text_cannot_become_a_workflow_command() {
    let pr = PullRequest::new();
    pr.repo.write(
        "assurance/risks/R-002.yaml",
        stale_risk("R-002").replace(
            "title: Laptop theft",
            "title: \"Laptop\\n::error file=x::forged\\n::stop-commands::zzz\\n##[error]hidden\"",
        ),
    );
    pr.repo.commit("2026-01-26", "A hostile title");
    let api = MockGithub::start("");
    let run_ = pr.ci(&api, &[]);
    let lines: Vec<&str> = run_.stdout.lines().collect();
    let stop = lines
        .iter()
        .position(|l| l.starts_with("::stop-commands::"))
        .expect("the report is fenced");
    let token = lines[stop].trim_start_matches("::stop-commands::");
    let resume = lines
        .iter()
        .position(|l| *l == format!("::{token}::"))
        .expect("and the fence is lifted");
    // Between the fence lines, nothing starts a command; the title's newlines are shown.
    for line in &lines[stop + 1..resume] {
        assert!(
            !line.starts_with("::") && !line.starts_with("##["),
            "a command in the fenced report: {line}"
        );
    }
    assert!(
        run_.stdout
            .contains("Laptop␊::error file=x::forged␊::stop-commands::zzz␊##[error]hidden"),
        "{}",
        run_.stdout
    );
    // After it, only our own commands, with the text escaped.
    for line in lines[resume + 1..].iter().filter(|l| l.starts_with("::")) {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "{line}"
        );
    }
    assert!(!run_.stdout.contains("\n::error file=x::forged"));
}

/// Attack: a comment by someone else that carries our hidden marker. It is never edited:
/// only a comment by the token's own identity (configurable) is ours.
#[test]
fn a_comment_by_someone_else_with_the_marker_is_not_ours() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    let theirs = api.add_comment("mallory", &format!("{MARKER}\nDo as I say"));
    let run = pr.ci(&api, &[]);
    assert!(run.stdout.contains("was posted"), "{}", run.stdout);
    {
        let state = api.state();
        assert_eq!(state.comments.len(), 2);
        assert_eq!(
            state.comments.iter().find(|c| c.id == theirs).unwrap().body,
            format!("{MARKER}\nDo as I say")
        );
        assert!(!state.requests.iter().any(|r| r.method == "PATCH"));
    }
    // A team whose token is a bot of its own names it.
    let api = MockGithub::start("");
    let ours = api.add_comment("our-assure-bot[bot]", &format!("{MARKER}\nold"));
    let run = pr.ci(&api, &["--comment-author", "our-assure-bot[bot]"]);
    assert!(run.stdout.contains("was updated"), "{}", run.stdout);
    assert_ne!(
        api.state()
            .comments
            .iter()
            .find(|c| c.id == ours)
            .unwrap()
            .body,
        format!("{MARKER}\nold")
    );
}

/// Attack: a `Link: rel="next"` to another host. It is not followed, the token is never
/// sent there, and the listing ends with a warning.
#[test]
fn a_next_page_on_another_host_is_not_followed() {
    let pr = PullRequest::new();
    let elsewhere = MockGithub::start("");
    let api = MockGithub::start("");
    api.state().page_size = 1;
    api.add_comment("reviewer", "one");
    api.add_comment("reviewer", "two");
    api.state().next_link = Some(format!(
        "{}/repos/mod-example/service/issues/7/comments?page=2",
        elsewhere.url
    ));
    let run = pr.ci(&api, &[]);
    assert!(
        run.stdout
            .contains("::warning title=assure::GitHub's next page of comments is at "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("outside GITHUB_API_URL; it was not read")
    );
    assert!(
        elsewhere.state().requests.is_empty(),
        "nothing, and no token, went to the other host"
    );
}

/// A listing that never ends is an error, never a second comment.
#[test]
fn endless_pages_end_in_an_error_not_a_second_comment() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    api.state().endless = true;
    let run = pr.ci(&api, &[]);
    assert!(
        run.stdout.contains("the pull request has more than 100 pages of comments; the comment was not posted, so as not to post it twice"),
        "{}",
        run.stdout
    );
    assert_eq!(requests(&api, "POST"), 0);
    assert_eq!(requests(&api, "GET"), 100);
}

/// A server that drips its answer a byte at a time cannot hold the step: each request and
/// the whole posting have a deadline (here scaled down with the retry time).
#[test]
fn a_dripping_server_cannot_hold_the_step() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    api.state().drip_ms = 200;
    let run = pr.ci(&api, &[]);
    assert_eq!(run.code, 0, "the check's verdict stands: {}", run.stdout);
    assert!(
        run.stdout
            .contains("::warning title=assure::the comment could not be posted: "),
        "{}",
        run.stdout
    );
    assert!(
        run.summary
            .starts_with("**OFFICIAL**\n\n> The pull-request comment was not posted"),
        "{}",
        run.summary
    );
}

/// Attack: a pull request whose base allowed SECRET records (and held one) lowers the limit
/// and removes the record: the comment, the summary and the log compare the two, but show
/// nothing from the base above today's limit.
#[test]
fn a_secret_base_shows_nothing_above_todays_limit() {
    let repo = Repo::green();
    repo.write(
        "assurance/project.yaml",
        format!("{PROJECT}{NO_GIT_WITNESS}").replace(
            "kind: project\n",
            "kind: project\nmax_classification: SECRET\n",
        ),
    );
    repo.write(
        "assurance/risks/R-009.yaml",
        risk("R-009").replace("title: Laptop theft", "title: Crown jewels exposed")
            + "classification: SECRET\n",
    );
    let base = repo.commit("2026-01-20", "SECRET allowed, then");
    repo.remove("assurance/risks/R-009.yaml");
    repo.write(
        "assurance/project.yaml",
        format!("{PROJECT}{NO_GIT_WITNESS}"),
    );
    let head = repo.commit("2026-01-21", "Back to OFFICIAL");
    let pr = PullRequest::of(repo, base, head);
    let api = MockGithub::start("");
    let run = pr.ci(&api, &[]);
    let comments = ours(&api);
    let comment = comments
        .first()
        .map(|c| c.body.as_str())
        .unwrap_or_default();
    for text in [comment, &run.summary, &run.stdout, &run.stderr] {
        assert!(!text.contains("Crown jewels"), "{text}");
    }
    assert!(!comment.is_empty(), "a comment was posted: {}", run.stdout);
}

/// Attack: an API that answers with a body without end (here 64 MiB) is read only up to the
/// cap, and the comment fails with a warning that says so; the check's verdict stands.
#[test]
fn an_answer_larger_than_the_cap_is_refused() {
    let pr = PullRequest::new();
    let api = MockGithub::start("");
    api.state().huge_body = 64 << 20;
    let run = pr.ci(&api, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "::warning title=assure::the comment could not be posted: GitHub sent an answer larger than 16 MiB"
        ),
        "{}",
        run.stdout
    );
}

/// Attack: `@someone` and `@org/team` in a record's text would notify them from the comment
/// and the summary. They are shown, not sent.
#[test]
fn mentions_in_record_text_notify_no_one() {
    let pr = PullRequest::new();
    pr.repo.write(
        "assurance/risks/R-002.yaml",
        stale_risk("R-002").replace(
            "title: Laptop theft",
            "title: \"Ping @octocat and @mod-example/security-team\"",
        ),
    );
    pr.repo.commit("2026-01-26", "Mentions");
    let api = MockGithub::start("");
    let run = pr.ci(&api, &[]);
    let body = &ours(&api)[0].body;
    for text in [body, &run.summary] {
        assert!(!text.contains("@octocat"), "{text}");
        assert!(!text.contains("@mod-example/security-team"), "{text}");
        assert!(
            text.contains("@\u{200b}octocat and @\u{200b}mod-example/security-team"),
            "{text}"
        );
    }
}

/// The pull request as a ratchet: the base and the head evaluated on one day, each finding
/// introduced, resolved or unchanged; `new-red` fails only on what the change introduces,
/// so a repository already red can adopt the tool. `check --baseline` does the same in any CI.
#[test]
fn a_pull_request_is_judged_by_what_it_introduces() {
    let repo = Repo::green();
    // Already red before the change: R-007, high and above tolerance, long overdue for
    // review; R-005 overdue too.
    repo.write("assurance/risks/R-005.yaml", stale_risk("R-005"));
    repo.write(
        "assurance/risks/R-007.yaml",
        stale_risk("R-007").replace(
            "residual: {likelihood: 2, impact: 3}",
            "residual: {likelihood: 3, impact: 4}",
        ),
    );
    let base = repo.commit("2026-01-20", "Records, already red");
    // The change reviews R-005 (resolving its finding) and opens R-006 above tolerance with
    // neither an acceptance nor a plan (a new red finding).
    repo.write(
        "assurance/risks/R-005.yaml",
        risk("R-005").replace("last_reviewed: 2026-01-05", "last_reviewed: 2026-01-24"),
    );
    repo.write(
        "assurance/risks/R-006.yaml",
        risk("R-006").replace(
            "residual: {likelihood: 2, impact: 3}",
            "residual: {likelihood: 3, impact: 3}",
        ),
    );
    let head = repo.commit("2026-01-25", "Review R-005, open R-006");
    let pr = PullRequest::of(repo, base, head);
    let api = MockGithub::start("");
    let report = pr.file("report.json");
    let run_ = pr.ci(
        &api,
        &["--fail-on", "new-red", "--report", report.to_str().unwrap()],
    );
    assert_eq!(run_.code, 1, "the change introduces a red: {}", run_.stdout);
    assert!(
        run_.stdout
            .contains("failed: the records introduce a red finding (--fail-on new-red)"),
        "{}",
        run_.stdout
    );
    let json = json(&std::fs::read_to_string(&report).unwrap());
    let effect = &json["effect"];
    assert_eq!(
        effect["summary"],
        "resolves 1 finding, introduces 1 finding (red)"
    );
    assert_eq!(effect["introduced"][0]["code"], "RISK-2");
    assert_eq!(effect["introduced"][0]["id"], "R-006");
    assert_eq!(effect["resolved"][0]["code"], "RISK-1");
    assert_eq!(effect["resolved"][0]["id"], "R-005");
    // The comment leads with the effect, before the status; one comment only.
    let comments = ours(&api);
    assert_eq!(comments.len(), 1);
    let body = &comments[0].body;
    let effect_at = body
        .find("### 🔴 This pull request resolves 1 finding, introduces 1 finding (red)")
        .unwrap_or_else(|| panic!("{body}"));
    assert!(
        effect_at < body.find("### Assurance currency").unwrap(),
        "{body}"
    );
    assert!(
        body.contains("**Introduced**\n\n- 🔴 **RISK-2** risk R-006"),
        "{body}"
    );

    // Without the new risk, the status is still red (R-007's), but nothing new is: new-red
    // passes where red fails.
    pr.repo.remove("assurance/risks/R-006.yaml");
    pr.repo.commit("2026-01-26", "Not yet");
    let run_ = pr.ci(&api, &["--fail-on", "new-red"]);
    assert_eq!(run_.code, 0, "{}", run_.stdout);
    let run_ = pr.ci(&api, &["--fail-on", "red"]);
    assert_eq!(run_.code, 1, "{}", run_.stdout);

    // Any CI: check --baseline.
    let base = base.to_string();
    let (code, stdout, _) = run(pr.repo.assure(&[
        "check",
        "--as-of",
        AS_OF,
        "--baseline",
        &base,
        "--fail-on",
        "new-amber",
    ]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "since {base}: resolves 1 finding\n  resolved RISK-1: risk R-005"
        )),
        "{stdout}"
    );
    let (code, _, stderr) = run(pr.repo.assure(&["check", "--baseline", "no-such-rev"]));
    assert_eq!(code, 2, "{stderr}");
}

/// The code a record is about: a pull request that changes covered paths lists the risks
/// and assessments concerned, with the files; a glob that matches nothing is amber (GOV-7);
/// one that is not a glob is an error where it is written.
#[test]
fn a_change_to_covered_code_names_the_records_about_it() {
    let repo = Repo::green();
    repo.write("src/payments/pay.rs", "fn pay() {}\n");
    repo.write("src/admin/console.rs", "fn admin() {}\n");
    repo.write(
        "assurance/risks/R-004.yaml",
        risk("R-004").replace(
            "identified:",
            "paths: [\"src/payments/**\", \"docs/*.md\"]\nidentified:",
        ),
    );
    let base = repo.commit("2026-01-20", "Records and code");
    repo.write("src/payments/pay.rs", "fn pay() { refund() }\n");
    let head = repo.commit("2026-01-25", "Change payments");
    // diff, in any format.
    let (code, stdout, stderr) = run(repo.assure(&["diff", "HEAD~1", "HEAD", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let report = json(&stdout);
    assert_eq!(report["covered"][0]["id"], "R-004");
    assert_eq!(report["covered"][0]["files"][0], "src/payments/pay.rs");
    assert_eq!(
        report["covered"][0]["text"],
        "changes src/payments/** covered by risk R-004 (Laptop theft)"
    );
    let (_, stdout, _) = run(repo.assure(&["diff", "HEAD~1", "HEAD"]));
    assert!(
        stdout.contains("§ changes src/payments/** covered by risk R-004 (Laptop theft)\n    src/payments/pay.rs"),
        "{stdout}"
    );
    // The pull request comment lists it.
    let pr = PullRequest::of(repo, base, head);
    let api = MockGithub::start("");
    let run_ = pr.ci(&api, &["--fail-on", "never"]);
    assert_eq!(run_.code, 0, "{}", run_.stdout);
    let body = &ours(&api)[0].body;
    assert!(
        body.contains("#### Code this pull request changes that records cover\n\n- changes src/payments/\\*\\* covered by risk R-004 (Laptop theft)\n  - `src/payments/pay.rs`"),
        "{body}"
    );
    let (_, stdout, _) = run(pr
        .repo
        .assure(&["diff", "HEAD~1", "HEAD", "--format", "markdown"]));
    assert!(stdout.contains("\n  - `src/payments/pay.rs`"), "{stdout}");
    // docs/*.md matches nothing: amber, located.
    let (_, report) = {
        let (code, stdout, _) = run(pr.repo.assure(&[
            "check",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--fail-on",
            "never",
        ]));
        (code, json(&stdout))
    };
    let gov7: Vec<&serde_json::Value> = report["status"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "GOV-7")
        .collect();
    assert_eq!(gov7.len(), 1, "{report:#}");
    assert_eq!(gov7[0]["pointer"], "/paths/1");
    assert_eq!(
        gov7[0]["message"],
        "`docs/*.md` matches no file in the repository"
    );
    // Not a glob: an error where it is.
    pr.repo.write(
        "assurance/risks/R-004.yaml",
        risk("R-004").replace("identified:", "paths: [\"src/[pay\"]\nidentified:"),
    );
    let (code, stdout, _) = run(pr.repo.assure(&["check", "--format", "json"]));
    assert_eq!(code, 2);
    let report = json(&stdout);
    assert_eq!(
        report["problems"][0]["code"], "invalid-format",
        "{report:#}"
    );
    assert_eq!(report["problems"][0]["pointer"], "/paths/0");
}

/// With `policy.covered_changes: event`, a pull request that changes covered code must
/// record an event (GOV-8, red); one that does passes.
#[test]
fn covered_code_changed_without_an_event_is_a_finding_when_the_policy_asks() {
    let repo = Repo::green();
    let project = repo.read("assurance/project.yaml");
    assert!(project.contains("policy:\n"));
    repo.write(
        "assurance/project.yaml",
        project.replace("policy:\n", "policy:\n  covered_changes: event\n"),
    );
    repo.write("src/payments/pay.rs", "fn pay() {}\n");
    repo.write(
        "assurance/risks/R-004.yaml",
        risk("R-004").replace("identified:", "paths: [\"src/payments/**\"]\nidentified:"),
    );
    let base = repo.commit("2026-01-20", "Records and code");
    repo.write("src/payments/pay.rs", "fn pay() { refund() }\n");
    let head = repo.commit("2026-01-25", "Change payments");
    let pr = PullRequest::of(repo, base, head);
    let api = MockGithub::start("");
    let run_ = pr.ci(&api, &[]);
    assert_eq!(run_.code, 1, "{}", run_.stdout);
    assert!(
        run_.stdout.contains("red[GOV-8]: this change touches code that risk R-004 (src/payments/**) covers, and records no event"),
        "{}",
        run_.stdout
    );
    // Recording the change as an event answers it.
    pr.repo.write(
        "assurance/events/E-001.yaml",
        "kind: event\nid: E-001\ntype: change\ndate: 2026-01-25\nsummary: Refunds in payments.\naffects: [risk:R-004]\n",
    );
    let run_ = pr.ci(&api, &["--fail-on", "never"]);
    assert!(!run_.stdout.contains("GOV-8"), "{}", run_.stdout);
    // In any CI, `check --baseline` judges the change as the pull request is judged.
    pr.repo.remove("assurance/events/E-001.yaml");
    let (code, stdout, _) = run(pr.repo.assure(&[
        "check",
        "--baseline",
        &base.to_string(),
        "--as-of",
        AS_OF,
        "--fail-on",
        "new-red",
    ]));
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("red[GOV-8]"), "{stdout}");
}

/// `check --baseline` at a revision whose records are not valid cannot tell what a change
/// introduces: it says so, and `new-red` judges the whole status.
#[test]
fn a_baseline_that_is_not_valid_is_said_so() {
    let repo = Repo::green();
    repo.write("assurance/risks/R-001.yaml", "kind: risk\nid: R-001\n");
    let base = repo.commit("2026-01-20", "Broken");
    repo.write("assurance/risks/R-001.yaml", risk("R-001"));
    repo.commit("2026-01-21", "Mended");
    let (code, _, stderr) = run(repo.assure(&[
        "check",
        "--baseline",
        &base.to_string(),
        "--as-of",
        AS_OF,
        "--fail-on",
        "new-red",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("are not valid, so what these records introduce and resolve cannot be told; --fail-on new-red judges the whole status instead"),
        "{stderr}"
    );
}

/// A risk whose covered code changed since its last review says so in `status`: a busy risk
/// is a reason to review it. Commits before the review do not count.
#[test]
fn status_counts_the_commits_that_changed_a_risks_code_since_its_review() {
    let repo = Repo::green();
    repo.write("src/payments/pay.rs", "fn pay() {}\n");
    repo.write(
        "assurance/risks/R-004.yaml",
        risk("R-004").replace("identified:", "paths: [\"src/payments/**\"]\nidentified:"),
    );
    repo.commit("2026-01-04", "Records and code");
    for (day, text) in [("2026-01-10", "a"), ("2026-01-12", "b")] {
        repo.write("src/payments/pay.rs", format!("fn pay() {{ {text} }}\n"));
        repo.commit(day, "Change payments");
    }
    repo.write("src/admin/console.rs", "fn admin() {}\n");
    repo.commit("2026-01-13", "Elsewhere");
    // A commit written before the review (its author date) that landed after it, as a
    // rebased one does, counts: it changed the code after the review.
    repo.write("src/payments/pay.rs", "fn pay() { c }\n");
    let rebased = repo.commit("2026-01-14", "Rebased");
    let git = git2::Repository::open(repo.path()).unwrap();
    let commit = git.find_commit(rebased).unwrap();
    let old = git2::Signature::new(
        "Lee Lead",
        "lead@example.gov.uk",
        &git2::Time::new(1_767_225_600, 0),
    )
    .unwrap();
    let amended = commit
        .amend(Some("HEAD"), Some(&old), None, None, None, None)
        .unwrap();
    assert_ne!(amended, rebased);
    let (_, stdout, _) = run(repo.assure(&["status", "--as-of", AS_OF]));
    assert!(
        stdout.contains("  Code changed        risk R-004's covered code changed in 3 commits since its review on 2026-01-05"),
        "{stdout}"
    );
    let (_, stdout, _) = run(repo.assure(&["status", "--as-of", AS_OF, "--format", "json"]));
    let report = json(&stdout);
    assert_eq!(
        report["busy_risks"],
        serde_json::json!([{"id": "R-004", "since": "2026-01-05", "commits": 3}])
    );
    // The board pack says it beside the risk, for the delivery team.
    let (code, stdout, stderr) =
        run(repo.assure(&["board", "--as-of", AS_OF, "--format", "markdown"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("(the code it covers changed in 3 commits since its review on 2026-01-05)"),
        "{stdout}"
    );
    let (_, stdout, _) = run(repo.assure(&["board", "--as-of", AS_OF, "--format", "json"]));
    let row = json(&stdout)["top_risks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "R-004")
        .cloned()
        .unwrap();
    assert_eq!(
        row["code_changes"],
        "the code it covers changed in 3 commits since its review on 2026-01-05"
    );
}

/// The SRO decides in the browser: each approval they owe has a link in the comment that
/// opens GitHub's new-file page on the pull request's branch with the sign-off filled in.
#[test]
fn the_comment_links_each_approval_the_sro_owes() {
    let repo = Repo::green();
    let base = repo.commit("2026-01-20", "Records");
    repo.write(
        "assurance/assessments/2026-01-05-self.yaml",
        ASSESSMENT.replace("Everything.", "Everything, and the new gateway."),
    );
    let head = repo.commit("2026-01-25", "Widen the assessment");
    let pr = PullRequest::of(repo, base, head);
    let api = MockGithub::start("");
    let run_ = pr.ci(&api, &["--fail-on", "never"]);
    assert_eq!(run_.code, 0, "{}", run_.stdout);
    let comments = ours(&api);
    assert_eq!(comments.len(), 1);
    let body = &comments[0].body;
    let prefix = "- Approve the report of assessment 2026-01-05-self: [open the sign-off, ready to commit](https://github.com/mod-example/service/new/gateway?filename=";
    let at = body.find(prefix).unwrap_or_else(|| panic!("{body}"));
    let link = &body[at + prefix.len()..];
    let link = &link[..link.find(')').unwrap()];
    let (filename, value) = link.split_once("&value=").unwrap();
    assert_eq!(percent_decode(filename), "assurance/signoffs/S-0003.yaml");
    let content = percent_decode(value);
    assert!(
        content.contains("type: report_approval")
            && content.contains("subject: assessment:2026-01-05-self")
            && content.contains("signed_by: p-sro"),
        "{content}"
    );
}

/// A change to the code an accepted risk is about leads the comment: it changes what the
/// SRO's acceptance covers.
#[test]
fn a_change_under_an_acceptance_says_so_first() {
    let repo = Repo::green();
    repo.write("src/payments/pay.rs", "fn pay() {}\n");
    let accepted = risk("R-004")
        .replace("identified:", "paths: [\"src/payments/**\"]\nidentified:")
        .replace(
            "residual: {likelihood: 2, impact: 3}",
            "residual: {likelihood: 3, impact: 3}",
        )
        .replace("response: treat", "response: tolerate");
    repo.write("assurance/risks/R-004.yaml", &accepted);
    repo.write(
        "assurance/signoffs/S-0003.yaml",
        signoff(
            "S-0003",
            "risk_acceptance",
            "risk:R-004",
            &accepted,
            "p-sro",
            "2026-01-10",
            "expires: 2026-06-30\nrationale: Bearable for now.\n",
        ),
    );
    let base = repo.commit("2026-01-20", "Records, code and an acceptance");
    repo.write("src/payments/pay.rs", "fn pay() { refund() }\n");
    let head = repo.commit("2026-01-25", "Change payments");
    let pr = PullRequest::of(repo, base, head);
    let api = MockGithub::start("");
    let run_ = pr.ci(&api, &["--fail-on", "never"]);
    let body = &ours(&api)[0].body;
    let first = body
        .lines()
        .find(|l| l.starts_with("### "))
        .unwrap_or_default();
    assert!(
        first.contains("changes what R-004's acceptance covers"),
        "{}\n{body}",
        run_.stdout
    );
}

/// Two decisions owed in one pull request are two files: each link takes the next number,
/// so the SRO can commit both in the browser.
#[test]
fn two_decisions_owed_are_two_sign_off_files() {
    let repo = Repo::green();
    let base = repo.commit("2026-01-20", "Records");
    repo.write(
        "assurance/assessments/2026-01-05-self.yaml",
        ASSESSMENT.replace("Everything.", "Everything, and the new gateway."),
    );
    repo.write(
        "assurance/appetite.yaml",
        repo.read("assurance/appetite.yaml")
            .replace("tolerance: 6", "tolerance: 8"),
    );
    let head = repo.commit("2026-01-25", "Widen the assessment; raise the tolerance");
    let pr = PullRequest::of(repo, base, head);
    let api = MockGithub::start("");
    let run_ = pr.ci(&api, &["--fail-on", "never"]);
    let body = &ours(&api)[0].body;
    let files: Vec<String> = body
        .match_indices("?filename=")
        .map(|(at, found)| {
            let rest = &body[at + found.len()..];
            percent_decode(&rest[..rest.find('&').unwrap()])
        })
        .collect();
    assert_eq!(
        files,
        [
            "assurance/signoffs/S-0003.yaml",
            "assurance/signoffs/S-0004.yaml"
        ],
        "{}\n{body}",
        run_.stdout
    );
}
