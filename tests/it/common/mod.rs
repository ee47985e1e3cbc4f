//! Shared test harness: throwaway repositories with records, and the real binary run in
//! them with a clean environment (no GITHUB_* or CI variables leak in from the host).

#![allow(dead_code)]

pub mod mock_github;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const PROJECT: &str = "kind: project
name: Test Service
description: A service used in tests.
organisation: Test
lifecycle_stage: in_service
criticality: medium
caat_reference: CAAT-0001
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

/// The people, each with the GitHub login GitHub knows them by.
pub const PEOPLE_ON_GITHUB: &str = "kind: people
people:
  - id: p-sro
    name: Sam Owner
    email: sro@example.gov.uk
    github: sowner
    roles: [sro]
  - id: p-lead
    name: Lee Lead
    email: lead@example.gov.uk
    github: llead
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

/// Seconds since the epoch of noon UTC on a `YYYY-MM-DD` day.
pub fn noon(day: &str) -> i64 {
    let date: jiff::civil::Date = day.parse().expect("a date");
    date.at(12, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .expect("a time")
        .timestamp()
        .as_second()
}

impl Repo {
    /// Stage everything in the working tree and hand `commit` what a commit needs: the
    /// repository, `who` (name, email) at noon UTC on `day`, the tree, and HEAD as parent.
    fn with_staged<T>(
        &self,
        who: (&str, &str),
        day: &str,
        commit: impl FnOnce(&git2::Repository, &git2::Signature, &git2::Tree, &[&git2::Commit]) -> T,
    ) -> T {
        let repo = git2::Repository::open(self.path()).unwrap();
        let mut index = repo.index().unwrap();
        index
            .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"].iter(), None).unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let time = git2::Time::new(noon(day), 0);
        let signature = git2::Signature::new(who.0, who.1, &time).unwrap();
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        commit(&repo, &signature, &tree, &parents)
    }

    /// Commit everything in the working tree, authored and committed by `who` (name, email)
    /// at noon UTC on `day`. Returns the commit id.
    pub fn commit_as(&self, who: (&str, &str), day: &str, message: &str) -> git2::Oid {
        self.with_staged(who, day, |repo, signature, tree, parents| {
            repo.commit(Some("HEAD"), signature, signature, message, tree, parents)
                .unwrap()
        })
    }

    /// Commit as the test's default author.
    pub fn commit(&self, day: &str, message: &str) -> git2::Oid {
        self.commit_as(("Lee Lead", "lead@example.gov.uk"), day, message)
    }

    pub fn remove(&self, relative: &str) {
        std::fs::remove_file(self.file(relative)).unwrap();
    }
}

/// The canonical digest of a record's YAML, as `assure sign` writes it.
pub fn digest(yaml: &str) -> String {
    assure::records::signed::digest_of_record(&assure::records::yaml::parse_value(yaml).unwrap())
        .expect("a risk, an assessment or the appetite")
        .to_string()
}

/// A sign-off record whose digest matches `subject_yaml`.
pub fn signoff(
    id: &str,
    kind: &str,
    subject: &str,
    subject_yaml: &str,
    by: &str,
    date: &str,
    extra: &str,
) -> String {
    format!(
        "kind: signoff\nid: {id}\ntype: {kind}\nsubject: {subject}\nsubject_digest: {}\nsigned_by: {by}\ndate: {date}\n{extra}",
        digest(subject_yaml)
    )
}

/// A policy that does not ask git to witness sign-offs.
pub const NO_GIT_WITNESS: &str = "policy:
  signoff: {require_git_author: false, require_signed_commits: false, separation_of_duties: false}
";

pub const ASSESSMENT: &str = "kind: assessment
id: 2026-01-05-self
type: self
trigger: scheduled
date: 2026-01-05
assessors: [p-lead]
scope: Everything.
outcome: {summary: Fine.}
";

impl Repo {
    /// A repository whose records are green on 2026-02-01 (nothing due before 2026-02-16).
    /// Git is not asked to witness its sign-offs (tests/it/sign.rs covers that).
    pub fn green() -> Repo {
        let repo = Repo::valid();
        repo.write(
            "assurance/project.yaml",
            format!("{PROJECT}{NO_GIT_WITNESS}"),
        );
        repo.write("assurance/assessments/2026-01-05-self.yaml", ASSESSMENT);
        repo.write(
            "assurance/boards/2026-01-20.yaml",
            "kind: board\nid: 2026-01-20\ndate: 2026-01-20\nboard: Programme Board\n",
        );
        repo.write_approvals();
        repo
    }

    /// The SRO's approvals of APPETITE (S-0001) and ASSESSMENT (S-0002) on 2026-01-06.
    pub fn write_approvals(&self) {
        self.write(
            "assurance/signoffs/S-0001.yaml",
            signoff(
                "S-0001",
                "appetite_approval",
                "appetite",
                APPETITE,
                "p-sro",
                "2026-01-06",
                "",
            ),
        );
        self.write(
            "assurance/signoffs/S-0002.yaml",
            signoff(
                "S-0002",
                "report_approval",
                "assessment:2026-01-05-self",
                ASSESSMENT,
                "p-sro",
                "2026-01-06",
                "",
            ),
        );
    }

    /// `git clone` of this repository into `into`, `depth` commits deep (all with `None`).
    pub fn clone_into(&self, into: &Path, depth: Option<u32>) {
        let mut git = std::process::Command::new("git");
        git.args(["clone", "--quiet"]);
        if let Some(depth) = depth {
            git.arg("--depth").arg(depth.to_string());
        }
        let status = git
            .arg(format!("file://{}", self.path().display()))
            .arg(into)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .unwrap();
        assert!(status.success(), "git clone");
    }
}

/// `(a, b)` string pairs from each object of a JSON array, for compact assertions.
pub fn field_pairs(items: &serde_json::Value, a: &str, b: &str) -> Vec<(String, String)> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item[a].as_str().unwrap().to_owned(),
                item[b].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

impl Repo {
    /// Commit everything as `who`, with an SSH signature by `key` in git's format (SSHSIG,
    /// namespace `git`, in the `gpgsig` header), as `git commit -S` with gpg.format=ssh does.
    pub fn commit_signed_as(
        &self,
        who: (&str, &str),
        day: &str,
        message: &str,
        key: &ssh_key::PrivateKey,
    ) -> git2::Oid {
        self.with_staged(who, day, |repo, signature, tree, parents| {
            let commit = (signature, signature, message, tree, parents);
            commit_with_signature(repo, commit, |content| {
                key.sign("git", ssh_key::HashAlg::Sha512, content)
                    .unwrap()
                    .to_pem(ssh_key::LineEnding::LF)
                    .unwrap()
            })
        })
    }
}

/// Commit with `signature` (author, committer, message, tree, parents), signed by what
/// `sign` makes of the commit's content (in the `gpgsig` header, as git writes it), and move
/// the branch checked out to it.
fn commit_with_signature(
    repo: &git2::Repository,
    (author, committer, message, tree, parents): (
        &git2::Signature,
        &git2::Signature,
        &str,
        &git2::Tree,
        &[&git2::Commit],
    ),
    sign: impl FnOnce(&[u8]) -> String,
) -> git2::Oid {
    let buffer = repo
        .commit_create_buffer(author, committer, message, tree, parents)
        .unwrap();
    let content = std::str::from_utf8(&buffer).unwrap().to_owned();
    let signature = sign(content.as_bytes());
    let oid = repo
        .commit_signed(&content, &signature, Some("gpgsig"))
        .unwrap();
    let head = repo.find_reference("HEAD").unwrap();
    let branch = head
        .symbolic_target()
        .ok()
        .flatten()
        .unwrap_or("refs/heads/main")
        .to_owned();
    repo.reference(&branch, oid, true, message).unwrap();
    oid
}

/// How the platform signs a web commit in `commit_platform_signed`.
pub enum Platform<'a> {
    /// As GitHub's web editor does: the author is the signed-in user, the committer is
    /// GitHub, both at the same moment, signed with the platform key.
    WebEditor(&'a pgp::composed::SignedSecretKey),
    /// As GitHub's rebase merge does: the author and their date kept from a commit made
    /// earlier, committed (and signed) by the platform a day later.
    Rebased(&'a pgp::composed::SignedSecretKey),
    /// As the web editor does, but signed with the key's first subkey.
    Subkey(&'a pgp::composed::SignedSecretKey),
}

impl Repo {
    /// Commit everything as a platform would: authored by `who` on `day`, committed by
    /// GitHub, with an OpenPGP signature (in the `gpgsig` header, as git writes one).
    pub fn commit_platform_signed(
        &self,
        who: (&str, &str),
        day: &str,
        message: &str,
        platform: Platform<'_>,
    ) -> git2::Oid {
        self.with_staged(who, day, |repo, author, tree, parents| {
            let (key, later) = match platform {
                Platform::WebEditor(key) | Platform::Subkey(key) => (key, 0),
                Platform::Rebased(key) => (key, 86_400),
            };
            let time = git2::Time::new(author.when().seconds() + later, 0);
            let committer = git2::Signature::new("GitHub", "noreply@github.com", &time).unwrap();
            commit_with_signature(
                repo,
                (author, &committer, message, tree, parents),
                |content| match platform {
                    Platform::Subkey(key) => pgp_sign(&key.secret_subkeys[0].key, content),
                    _ => pgp_sign(&key.primary_key, content),
                },
            )
        })
    }
}

/// A new OpenPGP signing key (Ed25519, as GnuPG makes one), and its public half armored.
pub fn new_pgp_key(user: &str, seed: u64) -> (pgp::composed::SignedSecretKey, String) {
    use pgp::composed::{KeyType, SecretKeyParamsBuilder, SignedPublicKey};
    use rand::SeedableRng;
    let mut params = SecretKeyParamsBuilder::default();
    params
        .key_type(KeyType::Ed25519Legacy)
        .can_certify(true)
        .can_sign(true)
        .primary_user_id(user.to_owned());
    let secret = params
        .build()
        .unwrap()
        .generate(rand::rngs::StdRng::seed_from_u64(seed))
        .unwrap();
    let public = SignedPublicKey::from(secret.clone())
        .to_armored_string(Default::default())
        .unwrap();
    (secret, public)
}

/// An armored detached OpenPGP signature of `data` by `key`, as `gpg --detach-sign -a`.
pub fn pgp_sign(key: &impl pgp::types::SigningKey, data: &[u8]) -> String {
    use rand::SeedableRng;
    pgp::composed::DetachedSignature::sign_binary_data(
        rand::rngs::StdRng::seed_from_u64(7),
        key,
        &pgp::types::Password::empty(),
        pgp::crypto::hash::HashAlgorithm::Sha256,
        data,
    )
    .unwrap()
    .to_armored_string(Default::default())
    .unwrap()
}

/// A new ed25519 key, and its public half as people.yaml lists it.
pub fn new_key() -> (ssh_key::PrivateKey, String) {
    let key =
        ssh_key::PrivateKey::random(&mut ssh_key::rand_core::OsRng, ssh_key::Algorithm::Ed25519)
            .unwrap();
    let public = key.public_key().to_openssh().unwrap();
    (key, public)
}

/// An outside validator (or tool) the tests ask for an opinion: on the PATH, in
/// `~/.local/bin` (pip and release binaries) or in this repository's `node_modules/.bin`
/// (npm). Where it is absent the test skips, saying why, so a fresh machine still passes;
/// but with `CI` set (`.ci/run` sets it, after installing every validator) a missing one
/// fails the run, so CI never passes without asking it.
pub fn validator(name: &str) -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/bin"));
    let npm = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/.bin");
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(home)
        .chain([npm])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
        assert!(
            !ci,
            "{name} is not installed, and CI is set: .ci/run installs it (see its list); install it, or unset CI to skip"
        );
        // Written to the process's own standard error, which the test harness does not
        // capture (it captures `eprintln!`), so the skip is seen even when the test passes.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipping {name}'s check: {name} is not installed (.ci/run shows how to install it)"
        );
    }
    found
}

/// `text` with its `%XX` escapes decoded, for reading back a link.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// A static file server on 127.0.0.1 for the installer's tests: GET /PATH serves
/// `root/PATH`, anything else is a 404, as a release download host answers.
pub struct StaticServer {
    pub url: String,
    served: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        use std::io::{BufRead, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = std::sync::Arc::clone(&served);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let mut reader = std::io::BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).map_or(true, |n| n == 0)
                        || header.trim().is_empty()
                    {
                        break;
                    }
                }
                let file = root.join(path.trim_start_matches('/'));
                let mut stream = &stream;
                let _ = match std::fs::read(&file).ok().filter(|_| !path.contains("..")) {
                    Some(body) => stream
                        .write_all(format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len()).as_bytes())
                        .and_then(|()| stream.write_all(&body)),
                    None => stream.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\nconnection: close\r\n\r\nNot Found"),
                };
            }
        });
        StaticServer { url, served }
    }

    /// How many requests it has answered.
    pub fn requests(&self) -> usize {
        self.served.load(std::sync::atomic::Ordering::SeqCst)
    }
}
