//! The command line's contract, as cases that double as documentation: every command,
//! output format and exit status, run on record fixtures under `tests/`. The cases are in
//! `tests/cmd/` (trycmd: `TRYCMD=overwrite cargo test contract` rewrites their expected
//! output after a deliberate change; review the diff).

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Commands that need no records, or make their own in a sandbox.
#[test]
fn the_command_line() {
    trycmd::TestCases::new().case("tests/cmd/*.trycmd").run();
}

/// check, status and verify on the bundled example project, in every format.
#[test]
fn the_example_project() {
    trycmd::TestCases::new()
        .env(
            "ASSURE_DIR",
            root()
                .join("examples/logistics-portal/assurance")
                .display()
                .to_string(),
        )
        .case("tests/cmd/example/*.trycmd")
        .run();
}

/// Records that are not valid, in every format.
#[test]
fn records_that_are_not_valid() {
    trycmd::TestCases::new()
        .env(
            "ASSURE_DIR",
            root()
                .join("tests/fixtures/invalid/assurance")
                .display()
                .to_string(),
        )
        .case("tests/cmd/invalid/*.trycmd")
        .run();
}

/// The history fixture: `tests/fixtures/history/N/` for N = 1, 2, …, each the files its
/// commit adds or changes, and a `.commit` file (the day, the author, the message).
fn history() -> crate::common::Repo {
    let repo = crate::common::Repo::empty();
    let steps = root().join("tests/fixtures/history");
    for n in 1.. {
        let step = steps.join(n.to_string());
        if !step.is_dir() {
            break;
        }
        copy_into(&step, repo.path());
        let commit = std::fs::read_to_string(step.join(".commit")).unwrap();
        let mut lines = commit.lines();
        let day = lines.next().unwrap();
        let (name, email) = lines.next().unwrap().split_once(" <").unwrap();
        let message = lines.next().unwrap();
        repo.commit_as((name, email.trim_end_matches('>')), day, message);
    }
    repo
}

fn copy_into(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == ".commit" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_into(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A command's exit status, standard output and standard error, as one text to snapshot.
fn outcome(cmd: assert_cmd::Command) -> String {
    let (code, stdout, stderr) = crate::common::run(cmd);
    format!("exit {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}

/// diff, log, verify, status --at and board on a history whose commits are fixed (authors,
/// days, content), so that their ids, and every output, are the same on every run.
#[test]
fn commands_that_read_history() {
    let repo = history();
    let cases: &[(&str, &[&str])] = &[
        ("diff-human", &["diff", "HEAD~3", "HEAD"]),
        ("diff-json", &["diff", "HEAD~3", "HEAD", "--format", "json"]),
        (
            "diff-markdown",
            &["diff", "2026-01-06", "--format", "markdown"],
        ),
        ("log-human", &["log"]),
        (
            "log-json",
            &["log", "--since", "2026-02-01", "--format", "json"],
        ),
        ("log-markdown", &["log", "R-001", "--format", "markdown"]),
        ("verify-human", &["verify", "--as-of", "2026-03-05"]),
        (
            "verify-json",
            &["verify", "--as-of", "2026-03-05", "--format", "json"],
        ),
        (
            "verify-markdown",
            &["verify", "--at", "HEAD~1", "--format", "markdown"],
        ),
        ("status-at-date", &["status", "--at", "2026-02-15"]),
        (
            "status-at-json",
            &["status", "--at", "HEAD~2", "--format", "json"],
        ),
        ("board-markdown", &["board", "--as-of", "2026-03-05"]),
        (
            "board-html",
            &[
                "board",
                "--since",
                "2026-01-01",
                "--as-of",
                "2026-03-05",
                "--format",
                "html",
            ],
        ),
        (
            "board-out",
            &["board", "--as-of", "2026-03-05", "--out", "pack.md"],
        ),
        ("ci", &["ci", "--as-of", "2026-03-05"]),
    ];
    for (name, args) in cases {
        insta::assert_snapshot!(*name, outcome(repo.assure(args)));
    }
    // The pictures go beside a Markdown pack written to a file.
    for file in ["pack-heatmap.svg", "pack-trend.svg"] {
        assert!(repo.file(file).is_file(), "{file}");
    }
}

/// On GitHub Actions, outside a pull request: annotations, the step's outputs and the job
/// summary.
#[test]
fn ci_on_github_actions() {
    let repo = history();
    let (output, summary) = (repo.file("output.txt"), repo.file("summary.md"));
    let mut cmd = repo.assure(&["ci", "--as-of", "2026-03-05", "--report", "report.json"]);
    cmd.env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_EVENT_NAME", "push");
    // The report is printed with the runner's commands stopped, by a token new on every run.
    let printed = outcome(cmd);
    let token = printed
        .lines()
        .find_map(|l| l.strip_prefix("::stop-commands::"))
        .expect("the report is fenced from the runner")
        .to_owned();
    assert_eq!(token.len(), 32);
    assert!(printed.contains(&format!("\n::{token}::\n")), "{printed}");
    insta::assert_snapshot!("ci-github", printed.replace(&token, "[token]"));
    insta::assert_snapshot!("ci-github-output", std::fs::read_to_string(output).unwrap());
    insta::assert_snapshot!(
        "ci-github-summary",
        std::fs::read_to_string(summary).unwrap()
    );
}

/// A shallow clone cannot prove sign-offs or show the whole log: exit 3, naming the fix.
#[test]
fn a_shallow_clone_exits_3() {
    let repo = history();
    let clone = tempfile::tempdir().unwrap();
    repo.clone_into(clone.path(), Some(1));
    for (name, args) in [
        ("shallow-verify", &["verify", "--as-of", "2026-03-05"][..]),
        ("shallow-log", &["log"][..]),
    ] {
        let output = outcome(crate::common::assure_in(clone.path(), args));
        let output = output.replace(&short_head(clone.path()), "[HEAD]");
        insta::assert_snapshot!(name, output);
    }
}

/// The first ten hex digits of HEAD's id.
fn short_head(repo: &Path) -> String {
    let repo = git2::Repository::open(repo).unwrap();
    repo.head().unwrap().target().unwrap().to_string()[..10].to_owned()
}

/// `assure --version` names the commit it was built from (build.rs): in this checkout, HEAD
/// as git has it when the binary was built, or `unknown` outside git.
#[test]
fn the_version_names_the_commit_built_from() {
    let (code, stdout, _) = crate::common::run(crate::common::assure_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--version"],
    ));
    assert_eq!(code, 0);
    let version = stdout.trim();
    let commit = version
        .strip_prefix(concat!("assure ", env!("CARGO_PKG_VERSION"), " ("))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{version}"));
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{version}"
    );
}

/// export, remind, board's data, sign --web and import on the history fixture: the commands
/// that reach people where they work. GitHub's variables are fixed, so links are the same on
/// every machine; no token is given, so nothing is written to GitHub.
#[test]
fn commands_that_reach_people() {
    let repo = history();
    git2::Repository::open(repo.path())
        .unwrap()
        .remote("origin", "https://github.com/mod-example/service.git")
        .unwrap();
    let github = |mut cmd: assert_cmd::Command| {
        cmd.env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_REPOSITORY", "mod-example/service")
            .env("GITHUB_REF_NAME", "main");
        cmd
    };
    let cases: &[(&str, &[&str])] = &[
        ("export-risks-csv", &["export", "--as-of", "2026-03-05"]),
        (
            "export-actions-csv",
            &["export", "--as-of", "2026-03-05", "--table", "actions"],
        ),
        (
            "export-ics",
            &["export", "--as-of", "2026-03-05", "--format", "ics"],
        ),
        (
            "export-caat-markdown",
            &[
                "export",
                "--as-of",
                "2026-03-05",
                "--caat",
                "2026-01-05-self",
            ],
        ),
        (
            "export-caat-csv",
            &[
                "export",
                "--as-of",
                "2026-03-05",
                "--caat",
                "2026-01-05-self",
                "--format",
                "csv",
            ],
        ),
        (
            "export-caat-unknown",
            &[
                "export",
                "--as-of",
                "2026-03-05",
                "--caat",
                "2026-01-05-slef",
            ],
        ),
        (
            "export-xlsx-without-out",
            &["export", "--as-of", "2026-03-05", "--format", "xlsx"],
        ),
        (
            "remind-human",
            &["remind", "--dry-run", "--as-of", "2026-03-05"],
        ),
        (
            "remind-json",
            &[
                "remind",
                "--dry-run",
                "--as-of",
                "2026-03-05",
                "--format",
                "json",
            ],
        ),
        (
            "remind-markdown",
            &[
                "remind",
                "--dry-run",
                "--as-of",
                "2026-03-05",
                "--format",
                "markdown",
            ],
        ),
        ("remind-without-token", &["remind", "--as-of", "2026-03-05"]),
        (
            "board-json",
            &["board", "--as-of", "2026-03-05", "--format", "json"],
        ),
        (
            "sign-web",
            &[
                "sign",
                "--subject",
                "risk:R-003",
                "--type",
                "risk_acceptance",
                "--by",
                "p-sro",
                "--date",
                "2026-03-05",
                "--expires",
                "2026-09-01",
                "--rationale",
                "A fix is planned",
                "--web",
            ],
        ),
    ];
    for (name, args) in cases {
        insta::assert_snapshot!(*name, outcome(github(repo.assure(args))));
    }
}

/// `assure import`: a register as risk records, a dry run first, then the write; a row that
/// does not convert, located as the spreadsheet names it, and nothing written.
#[test]
fn import_from_a_spreadsheet() {
    let repo = history();
    let register = "id,title,description,category,owner,inherent_likelihood,inherent_impact,residual_likelihood,residual_impact,response,status,identified,last_reviewed\n\
        R-010,Supplier outage,The supplier's service fails and orders stop.,availability,p-lead,3,3,2,3,treat,open,2026-02-01,2026-02-01\n";
    repo.write("register.csv", register);
    repo.write("bad.csv", register.replace(",3,3,2,3,", ",High,3,2,3,"));
    for (name, args) in [
        ("import-bad", &["import", "bad.csv"][..]),
        (
            "import-dry-run",
            &["import", "register.csv", "--dry-run"][..],
        ),
        ("import", &["import", "register.csv"][..]),
        ("import-again", &["import", "register.csv"][..]),
    ] {
        insta::assert_snapshot!(name, outcome(repo.assure(args)));
    }
    assert!(repo.file("assurance/risks/R-010.yaml").is_file());
}
