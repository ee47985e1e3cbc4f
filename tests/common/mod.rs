//! Shared test harness: throwaway repositories with records, and the real binary run in
//! them with a clean environment (no GITHUB_* or CI variables leak in from the host).

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const PROJECT: &str = "kind: project
name: Test Service
description: A service used in tests.
organisation: Test
lifecycle_stage: in_service
risk_level: medium
";

pub const PEOPLE: &str = "kind: people
people:
  - id: p-sro
    name: Sam Owner
    email: sro@example.gov.uk
    roles: [sro]
  - id: p-lead
    name: Lee Lead
    email: lead@example.gov.uk
    roles: [security_lead, risk_owner]
";

pub const APPETITE: &str = "kind: appetite
statement: No loss of personal data.
tolerance: 6
agreed_on: 2026-01-05
last_reviewed: 2026-01-05
";

pub fn risk(id: &str) -> String {
    format!(
        "kind: risk
id: {id}
title: Laptop theft
description: A laptop is stolen and its data read.
owner: p-lead
status: open
response: treat
inherent: {{likelihood: 3, impact: 4}}
residual: {{likelihood: 2, impact: 3}}
identified: 2026-01-05
last_reviewed: 2026-01-05
"
    )
}

/// A git repository in a temporary folder.
pub struct Repo {
    pub dir: TempDir,
}

impl Repo {
    /// An empty git repository.
    pub fn empty() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        git2::Repository::init(dir.path()).expect("git init");
        Repo { dir }
    }

    /// A repository with a small valid set of records.
    pub fn valid() -> Repo {
        let repo = Repo::empty();
        repo.write("assurance/project.yaml", PROJECT);
        repo.write("assurance/people.yaml", PEOPLE);
        repo.write("assurance/appetite.yaml", APPETITE);
        repo.write("assurance/risks/R-001.yaml", risk("R-001"));
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, content: impl AsRef<[u8]>) {
        let path = self.file(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.file(relative)).unwrap()
    }

    /// `assure ARGS` run in the repository's root.
    pub fn assure(&self, args: &[&str]) -> Command {
        assure_in(self.path(), args)
    }
}

/// The binary, run in `dir`, with an environment that cannot leak from the host.
pub fn assure_in(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("assure"));
    cmd.current_dir(dir).args(args);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().to_string();
        if key.starts_with("GITHUB_")
            || key.starts_with("RUNNER_")
            || key.starts_with("ASSURE_")
            || key == "CI"
            || key == "NO_COLOR"
        {
            cmd.env_remove(key);
        }
    }
    // Keep git from reading the host's configuration.
    cmd.env("GIT_CONFIG_NOSYSTEM", "1").env("HOME", dir);
    cmd
}

/// Run and return (exit code, stdout, stderr).
pub fn run(mut cmd: Command) -> (i32, String, String) {
    let output = cmd.output().expect("run assure");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Parse JSON output.
pub fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// The problems of a `check --format json` run as (file, line, column, code).
pub fn problems(report: &serde_json::Value) -> Vec<(String, u64, u64, String)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap_or_default().to_owned(),
                p["line"].as_u64().unwrap_or(0),
                p["column"].as_u64().unwrap_or(0),
                p["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
