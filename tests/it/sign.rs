//! `assure sign` and `assure verify`: sign-offs bound to their content and proven by git,
//! in repositories built here with commits by different people, signed and unsigned.

use crate::common::*;

const SRO: (&str, &str) = ("Sam Owner", "sro@example.gov.uk");
const LEAD: (&str, &str) = ("Lee Lead", "lead@example.gov.uk");

/// People with a GitHub handle for the SRO and, optionally, their signing key.
fn people(sro_key: Option<&str>) -> String {
    let keys = sro_key
        .map(|k| format!("    signing_keys: [\"{k}\"]\n"))
        .unwrap_or_default();
    format!(
        "kind: people
people:
  - id: p-sro
    name: Sam Owner
    email: sro@example.gov.uk
    github: sowner
    roles: [sro]
{keys}  - id: p-lead
    name: Lee Lead
    email: lead@example.gov.uk
    roles: [security_lead, risk_owner]
"
    )
}

/// Records written and committed by the security lead on 2026-01-05.
fn repo_with(policy: &str, sro_key: Option<&str>) -> Repo {
    let repo = Repo::valid();
    repo.write("assurance/project.yaml", format!("{PROJECT}{policy}"));
    repo.write("assurance/people.yaml", people(sro_key));
    repo.write("assurance/assessments/2026-01-05-self.yaml", ASSESSMENT);
    repo.commit_as(LEAD, "2026-01-05", "Records");
    repo
}

fn sign(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["sign"];
    all.extend_from_slice(args);
    run(repo.assure(&all))
}

fn verify(repo: &Repo) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) =
        run(repo.assure(&["verify", "--format", "json", "--as-of", "2026-02-01"]));
    assert!(stderr.is_empty(), "{stderr}");
    (code, json(&stdout))
}

fn verdicts(report: &serde_json::Value) -> Vec<(String, String)> {
    field_pairs(&report["signoffs"], "id", "verdict")
}

fn reasons(report: &serde_json::Value, id: &str) -> Vec<String> {
    report["signoffs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}: {}",
                r["rule"].as_str().unwrap(),
                r["message"].as_str().unwrap()
            )
        })
        .collect()
}

fn approve_report(repo: &Repo) {
    let (code, stdout, stderr) = sign(
        repo,
        &[
            "--subject",
            "assessment:2026-01-05-self",
            "--type",
            "report_approval",
            "--by",
            "p-sro",
            "--date",
            "2026-01-06",
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn sign_writes_a_sign_off_bound_to_the_subject() {
    let repo = repo_with("", None);
    let (code, stdout, _) = sign(
        &repo,
        &[
            "--subject",
            "risk:R-001",
            "--type",
            "risk_acceptance",
            "--by",
            "p-sro",
            "--date",
            "2026-01-06",
            "--expires",
            "2026-07-06",
            "--rationale",
            "Supplier fix due in June: \"contract 4\"",
            "--condition",
            "Keep the IP allow-list",
            "--condition",
            "Review monthly",
        ],
    );
    assert_eq!(code, 0, "{stdout}");
    let digest = digest(&repo.read("assurance/risks/R-001.yaml"));
    assert!(stdout.starts_with(&format!(
        "wrote assurance/signoffs/S-0001.yaml: risk_acceptance of risk:R-001 by Sam Owner (p-sro) on 2026-01-06, {digest}\n"
    )), "{stdout}");
    // Signed commits are not required here: no `-S`.
    assert!(
        stdout.contains("next: Sam Owner commits it:\n  git add assurance/signoffs/S-0001.yaml\n  git commit -m \"S-0001: risk_acceptance of risk:R-001\"\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("authored by Sam Owner <sro@example.gov.uk> (or GitHub user sowner)"),
        "{stdout}"
    );
    assert_eq!(
        repo.read("assurance/signoffs/S-0001.yaml"),
        format!(
            "# Written by `assure sign`. Do not edit: any change needs a new sign-off.
kind: signoff
id: S-0001
type: risk_acceptance
subject: risk:R-001
subject_digest: {digest}
signed_by: p-sro
date: 2026-01-06
expires: 2026-07-06
rationale: \"Supplier fix due in June: \\\"contract 4\\\"\"
conditions:
  - \"Keep the IP allow-list\"
  - \"Review monthly\"
"
        )
    );
    // It is valid, and the next one takes the next free number.
    let (code, _, _) = run(repo.assure(&["check", "--as-of", "2026-02-01", "--fail-on", "never"]));
    assert_eq!(code, 0);
    repo.write("assurance/signoffs/S-0007.yaml", "not even yaml: [");
    approve_report(&repo);
    assert!(repo.file("assurance/signoffs/S-0008.yaml").is_file());
}

#[test]
fn sign_refuses_what_would_not_count() {
    let repo = repo_with("", None);
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec![
                "--subject",
                "risk:R-002",
                "--type",
                "risk_acceptance",
                "--by",
                "p-sro",
            ],
            "there is no risk R-002",
            "did you mean `R-001`?",
        ),
        (
            vec![
                "--subject",
                "risk:R-001",
                "--type",
                "report_approval",
                "--by",
                "p-sro",
            ],
            "a report approval must be about an assessment",
            "correct --subject or --type",
        ),
        (
            vec![
                "--subject",
                "risk:R-001",
                "--type",
                "risk_acceptance",
                "--by",
                "p-lead",
                "--expires",
                "2026-06-01",
                "--rationale",
                "x",
            ],
            "Lee Lead (p-lead) is not the SRO on",
            "the SRO on",
        ),
        (
            vec![
                "--subject",
                "risk:R-001",
                "--type",
                "risk_acceptance",
                "--by",
                "p-sroo",
            ],
            "there is no person `p-sroo`",
            "did you mean `p-sro`?",
        ),
        (
            vec![
                "--subject",
                "risk:R-001",
                "--type",
                "risk_acceptance",
                "--by",
                "p-sro",
                "--date",
                "2026-01-06",
            ],
            "a risk acceptance needs an expiry",
            "2027-01-06 at the latest",
        ),
        (
            vec![
                "--subject",
                "risk:R-001",
                "--type",
                "risk_acceptance",
                "--by",
                "p-sro",
                "--date",
                "2026-01-06",
                "--expires",
                "2027-02-01",
                "--rationale",
                "x",
            ],
            "more than acceptance_max (P1Y) after 2026-01-06",
            "the latest allowed is 2027-01-06",
        ),
        (
            vec![
                "--subject",
                "risk:R-001",
                "--type",
                "risk_acceptance",
                "--by",
                "p-sro",
                "--date",
                "2026-01-06",
                "--expires",
                "2026-06-01",
            ],
            "a risk acceptance needs a rationale",
            "--rationale",
        ),
        (
            vec![
                "--subject",
                "risk:R-001",
                "--type",
                "risk_acceptance",
                "--by",
                "p-sro",
                "--date",
                "2026-01-06",
                "--expires",
                "2026-01-06",
                "--rationale",
                "x",
            ],
            "is not after --date",
            "after the decision",
        ),
        (
            vec![
                "--subject",
                "appetite",
                "--type",
                "appetite_approval",
                "--by",
                "p-sro",
                "--date",
                "2999-01-01",
            ],
            "--date 2999-01-01 is after today (",
            "give the day the SRO decided, or leave out --date for today",
        ),
    ];
    for (args, message, hint) in cases {
        let (code, stdout, stderr) = sign(&repo, &args);
        assert_eq!(code, 2, "{args:?}: {stdout}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(stderr.contains(hint), "{args:?}: {stderr}");
    }
    // Under separation of duties, git must be able to show who wrote what is signed.
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace("title: Laptop theft", "title: Laptop theft abroad"),
    );
    let (code, _, stderr) = sign(
        &repo,
        &[
            "--subject",
            "risk:R-001",
            "--type",
            "risk_acceptance",
            "--by",
            "p-sro",
            "--date",
            "2026-01-06",
            "--expires",
            "2026-06-01",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: risk R-001 has changes to what is signed that are not committed, so git cannot show who wrote them, and separation of duties needs it\nhint: its author commits the change first; then the SRO reviews and signs what was committed\n"
    );
    // The subject must be valid.
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace("status: open", "status: opne"),
    );
    let (code, _, stderr) = sign(
        &repo,
        &[
            "--subject",
            "risk:R-001",
            "--type",
            "risk_acceptance",
            "--by",
            "p-sro",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("risk R-001 is not valid, so it cannot be signed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("assurance/risks/R-001.yaml:6: `status` is `opne`"),
        "{stderr}"
    );
    // Nothing was written by any refusal.
    assert!(!repo.file("assurance/signoffs").exists());
    // A bad subject is a command-line error.
    let (code, _, stderr) = sign(
        &repo,
        &[
            "--subject",
            "R-001",
            "--type",
            "risk_acceptance",
            "--by",
            "p-sro",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("risk:R-NNN, assessment:<id> or appetite"),
        "{stderr}"
    );
}

#[test]
fn a_sign_off_committed_by_the_signer_is_valid() {
    let repo = repo_with("", None);
    approve_report(&repo);
    repo.commit_as(SRO, "2026-01-06", "S-0001");
    let (code, report) = verify(&repo);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(verdicts(&report), vec![("S-0001".into(), "valid".into())]);
    let git = &report["signoffs"][0]["git"];
    assert_eq!(git["email"], "sro@example.gov.uk");
    assert_eq!(git["date"], "2026-01-06");
    assert_eq!(git["signed_with"], serde_json::Value::Null);
    let (_, stdout, _) = run(repo.assure(&["verify", "--as-of", "2026-02-01"]));
    assert!(stdout.contains("S-0001 report_approval of assessment:2026-01-05-self, signed by Sam Owner (p-sro) on 2026-01-06: valid"), "{stdout}");
    assert!(stdout.ends_with("ok: 1 sign-off: 1 valid.\n"), "{stdout}");
}

#[test]
fn the_github_no_reply_address_counts_as_the_signer() {
    for email in [
        "sowner@users.noreply.github.com",
        "4711+sowner@users.noreply.github.com",
    ] {
        let repo = repo_with("", None);
        approve_report(&repo);
        repo.commit_as(("Sam Owner", email), "2026-01-06", "S-0001");
        let (code, report) = verify(&repo);
        assert_eq!(code, 0, "{email}: {report:#}");
    }
}

#[test]
fn a_sign_off_committed_by_someone_else_is_invalid() {
    let repo = repo_with("", None);
    approve_report(&repo);
    repo.commit_as(LEAD, "2026-01-06", "S-0001 on the SRO's behalf");
    let (code, report) = verify(&repo);
    assert_eq!(code, 1);
    assert_eq!(verdicts(&report), vec![("S-0001".into(), "invalid".into())]);
    let reasons = reasons(&report, "S-0001");
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].starts_with("SIGN-4: it was committed in "),
        "{reasons:?}"
    );
    assert!(
        reasons[0].ends_with(
            "by Lee Lead <lead@example.gov.uk>, not by the signer, Sam Owner <sro@example.gov.uk>"
        ),
        "{reasons:?}"
    );
    // It does not count for the rules either.
    let (_, stdout, _) = run(repo.assure(&["status", "--as-of", "2026-02-01", "--format", "json"]));
    let status = json(&stdout);
    let findings: Vec<&str> = status["status"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        findings.contains(&"SIGN-4") && findings.contains(&"ASSESS-4"),
        "{findings:?}"
    );
    // Without require_git_author it is fine.
    let relaxed = repo_with("policy:\n  signoff: {require_git_author: false}\n", None);
    approve_report(&relaxed);
    relaxed.commit_as(LEAD, "2026-01-06", "S-0001");
    assert_eq!(verify(&relaxed).0, 0);
}

/// The advice to sign the commit (`git commit -S`) comes only when signed commits are
/// required, in `sign`'s next steps and in `verify`'s remedy alike.
#[test]
fn sign_asks_for_a_signed_commit_only_when_the_policy_does() {
    let (_, public) = new_key();
    let repo = repo_with(
        "policy:\n  signoff: {require_signed_commits: true}\n",
        Some(&public),
    );
    let (code, stdout, _) = sign(
        &repo,
        &[
            "--subject",
            "assessment:2026-01-05-self",
            "--type",
            "report_approval",
            "--by",
            "p-sro",
            "--date",
            "2026-01-06",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains("next: Sam Owner commits it, signed with their SSH key:\n  git add assurance/signoffs/S-0001.yaml\n  git commit -S -m \"S-0001: report_approval of assessment:2026-01-05-self\"\n"),
        "{stdout}"
    );
    let (_, stdout, _) = run(repo.assure(&["verify", "--as-of", "2026-02-01"]));
    assert!(
        stdout.contains("= help: the signer commits it, signed: git add assurance/signoffs/S-0001.yaml && git commit -S -m"),
        "{stdout}"
    );
}

#[test]
fn signed_commits_are_verified_against_the_signers_keys() {
    let (key, public) = new_key();
    let policy = "policy:\n  signoff: {require_signed_commits: true}\n";
    // Signed with the SRO's key: valid.
    let repo = repo_with(policy, Some(&public));
    approve_report(&repo);
    repo.commit_signed_as(SRO, "2026-01-06", "S-0001", &key);
    let (code, report) = verify(&repo);
    assert_eq!(code, 0, "{report:#}");
    let fingerprint = key
        .public_key()
        .fingerprint(ssh_key::HashAlg::Sha256)
        .to_string();
    assert_eq!(report["signoffs"][0]["git"]["signed_with"], fingerprint);
    git_agrees(&repo, &public, true);

    // Not signed.
    let unsigned = repo_with(policy, Some(&public));
    approve_report(&unsigned);
    unsigned.commit_as(SRO, "2026-01-06", "S-0001");
    let (code, report) = verify(&unsigned);
    assert_eq!(code, 1);
    assert!(
        reasons(&report, "S-0001")[0].contains("is not signed"),
        "{report:#}"
    );

    // Signed, but by someone else's key.
    let (other, other_public) = new_key();
    let wrong = repo_with(policy, Some(&public));
    approve_report(&wrong);
    wrong.commit_signed_as(SRO, "2026-01-06", "S-0001", &other);
    let (code, report) = verify(&wrong);
    assert_eq!(code, 1);
    let other_fingerprint = other
        .public_key()
        .fingerprint(ssh_key::HashAlg::Sha256)
        .to_string();
    assert!(
        reasons(&report, "S-0001")[0].contains(&format!(
            "is signed by key {other_fingerprint}, which is not one of p-sro's signing_keys"
        )),
        "{report:#}"
    );
    git_agrees(&wrong, &other_public, true);

    // The SRO has no keys listed.
    let keyless = repo_with(policy, None);
    approve_report(&keyless);
    keyless.commit_signed_as(SRO, "2026-01-06", "S-0001", &key);
    let (code, report) = verify(&keyless);
    assert_eq!(code, 1);
    assert!(
        reasons(&report, "S-0001")[0].contains("has no signing_keys"),
        "{report:#}"
    );
}

#[test]
fn a_forged_signature_does_not_verify() {
    let (key, public) = new_key();
    let repo = repo_with(
        "policy:\n  signoff: {require_signed_commits: true}\n",
        Some(&public),
    );
    approve_report(&repo);
    // Sign one commit's content, then attach that signature to different content.
    let signed = repo.commit_signed_as(SRO, "2026-01-06", "S-0001", &key);
    let git = git2::Repository::open(repo.path()).unwrap();
    let (signature, _) = git.extract_signature(&signed, None).unwrap();
    let commit = git.find_commit(signed).unwrap();
    let parent = commit.parent(0).unwrap();
    let buffer = git
        .commit_create_buffer(
            &commit.author(),
            &commit.committer(),
            "S-0001 (altered)",
            &commit.tree().unwrap(),
            &[&parent],
        )
        .unwrap();
    let forged = git
        .commit_signed(
            std::str::from_utf8(&buffer).unwrap(),
            std::str::from_utf8(&signature).unwrap(),
            Some("gpgsig"),
        )
        .unwrap();
    git.find_reference("HEAD")
        .unwrap()
        .resolve()
        .unwrap()
        .set_target(forged, "forge")
        .unwrap();
    let (code, report) = verify(&repo);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        reasons(&report, "S-0001")[0].contains("does not match the commit's content"),
        "{report:#}"
    );
    git_agrees(&repo, &public, false);
}

/// An outside opinion: git itself (with ssh-keygen) agrees on the signature.
fn git_agrees(repo: &Repo, public: &str, valid: bool) {
    // git verifies SSH signatures with ssh-keygen.
    if validator("ssh-keygen").is_none() {
        return;
    }
    let signers = repo.file("allowed_signers");
    std::fs::write(
        &signers,
        format!("sro@example.gov.uk namespaces=\"git\" {public}\n"),
    )
    .unwrap();
    let output = std::process::Command::new("git")
        .current_dir(repo.path())
        .args([
            "-c",
            &format!("gpg.ssh.allowedSignersFile={}", signers.display()),
            "verify-commit",
            "HEAD",
        ])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo.path())
        .output()
        .unwrap();
    std::fs::remove_file(signers).unwrap();
    assert_eq!(
        output.status.success(),
        valid,
        "git verify-commit: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_signer_may_not_approve_their_own_change() {
    let repo = repo_with("", None);
    // The SRO edits the assessment themselves, then approves it.
    repo.write(
        "assurance/assessments/2026-01-05-self.yaml",
        ASSESSMENT.replace("scope: Everything.", "scope: Everything, really."),
    );
    repo.commit_as(SRO, "2026-01-06", "SRO edits the assessment");
    // `assure sign` refuses: the sign-off would not count.
    let approve = [
        "--subject",
        "assessment:2026-01-05-self",
        "--type",
        "report_approval",
        "--by",
        "p-sro",
        "--date",
        "2026-01-06",
    ];
    let (code, _, stderr) = sign(&repo, &approve);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "error: Sam Owner (p-sro) wrote part of what would be signed in assessment 2026-01-05-self (commit "
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("): under separation of duties their own sign-off would not count\nhint: someone other than the signer makes and commits the change; then the SRO reviews and signs it"),
        "{stderr}"
    );
    assert!(!repo.path().join("assurance/signoffs/S-0001.yaml").exists());
    // Written by hand, verify catches it.
    let edited = ASSESSMENT.replace("scope: Everything.", "scope: Everything, really.");
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff(
            "S-0001",
            "report_approval",
            "assessment:2026-01-05-self",
            &edited,
            "p-sro",
            "2026-01-06",
            "",
        ),
    );
    repo.commit_as(SRO, "2026-01-07", "S-0001");
    let (code, report) = verify(&repo);
    assert_eq!(code, 1);
    assert!(
        reasons(&report, "S-0001")[0].contains("p-sro wrote the change they approved"),
        "{report:#}"
    );
    // When someone else made the change, it is fine.
    repo.write(
        "assurance/assessments/2026-01-05-self.yaml",
        ASSESSMENT.replace("scope: Everything.", "scope: Everything, truly."),
    );
    repo.commit_as(LEAD, "2026-01-08", "Lead edits the assessment");
    let (code, _, stderr) = sign(
        &repo,
        &[
            "--subject",
            "assessment:2026-01-05-self",
            "--type",
            "report_approval",
            "--by",
            "p-sro",
            "--date",
            "2026-01-09",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    repo.commit_as(SRO, "2026-01-09", "S-0002");
    let (code, report) = verify(&repo);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        verdicts(&report),
        vec![
            ("S-0001".into(), "superseded".into()),
            ("S-0002".into(), "valid".into())
        ]
    );
    // The superseded one's flaw is still on the record.
    assert!(
        reasons(&report, "S-0001")
            .iter()
            .any(|r| r.contains("wrote the change they approved")),
        "{report:#}"
    );
}

#[test]
fn an_assessment_edited_after_its_approval_voids_it() {
    let repo = repo_with("", None);
    approve_report(&repo);
    repo.commit_as(SRO, "2026-01-06", "S-0001");
    repo.write(
        "assurance/assessments/2026-01-05-self.yaml",
        ASSESSMENT.replace(
            "outcome: {summary: Fine.}",
            "outcome: {summary: Better than fine.}",
        ),
    );
    repo.commit_as(LEAD, "2026-01-10", "Improve the summary");
    let (code, report) = verify(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        reasons(&report, "S-0001"),
        vec!["SIGN-1: assessment 2026-01-05-self has changed since it was signed".to_owned()]
    );
    let (_, stdout, _) = run(repo.assure(&["status", "--as-of", "2026-02-01"]));
    assert!(stdout.contains("red[ASSESS-4]: self-assessment 2026-01-05-self is not approved by the SRO (S-0001 does not count: assessment 2026-01-05-self has changed since it was signed)"), "{stdout}");
    assert!(stdout.contains("red[SIGN-1]: S-0001"), "{stdout}");
    // Reformatting without changing a value does not void it.
    let fresh = repo_with("", None);
    approve_report(&fresh);
    fresh.commit_as(SRO, "2026-01-06", "S-0001");
    fresh.write(
        "assurance/assessments/2026-01-05-self.yaml",
        "# Reordered, commented and re-quoted\noutcome:\n  summary: 'Fine.'\nkind: assessment\nid: \"2026-01-05-self\"\ntype: self\ntrigger: scheduled\ndate: 2026-01-05\nassessors:\n  - p-lead\nscope: Everything.\n",
    );
    fresh.commit_as(LEAD, "2026-01-10", "Reformat");
    assert_eq!(verify(&fresh).0, 0);
}

#[test]
fn a_sign_off_edited_after_it_was_added_is_invalid() {
    let repo = repo_with("", None);
    approve_report(&repo);
    repo.commit_as(SRO, "2026-01-06", "S-0001");
    let text = repo
        .read("assurance/signoffs/S-0001.yaml")
        .replace("date: 2026-01-06", "date: 2026-01-07");
    repo.write("assurance/signoffs/S-0001.yaml", text);
    // Uncommitted first.
    let (code, report) = verify(&repo);
    assert_eq!(code, 1);
    assert!(
        reasons(&report, "S-0001").contains(&"SIGN-4: it has uncommitted edits".to_owned()),
        "{report:#}"
    );
    // Then committed, even by the SRO: an edit needs a new sign-off.
    repo.commit_as(SRO, "2026-01-08", "Fix the date");
    let (code, report) = verify(&repo);
    assert_eq!(code, 1);
    assert!(
        reasons(&report, "S-0001")[0]
            .contains("it has been written more than once: another version is in"),
        "{report:#}"
    );
}

#[test]
fn uncommitted_sign_offs_are_reported_as_such() {
    let repo = repo_with("", None);
    approve_report(&repo);
    let (code, report) = verify(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        verdicts(&report),
        vec![("S-0001".into(), "not_committed".into())]
    );
    let (_, stdout, _) = run(repo.assure(&["verify", "--as-of", "2026-02-01"]));
    assert!(stdout.contains(": not yet committed\n"), "{stdout}");
    // Signed commits are not required here, so the advice does not ask for one.
    assert!(
        stdout.contains(
            "= help: the signer commits it: git add assurance/signoffs/S-0001.yaml && git commit -m \"S-0001: report_approval of assessment:2026-01-05-self\""
        ),
        "{stdout}"
    );
    // In the status it is amber, and does not count yet.
    let (_, stdout, _) = run(repo.assure(&["status", "--as-of", "2026-01-07", "--format", "json"]));
    let status = json(&stdout);
    let sign_4 = status["status"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SIGN-4")
        .unwrap()
        .clone();
    assert_eq!(sign_4["severity"], "amber");
}

#[test]
fn a_sign_off_merged_from_a_branch_is_credited_to_its_author() {
    let repo = repo_with("", None);
    let git = git2::Repository::open(repo.path()).unwrap();
    let base = git.head().unwrap().peel_to_commit().unwrap();
    // The SRO signs on a branch.
    approve_report(&repo);
    let signed = repo.commit_as(SRO, "2026-01-06", "S-0001");
    // Meanwhile the lead changes something else on main.
    git.reference("refs/heads/other", base.id(), true, "")
        .unwrap();
    git.set_head("refs/heads/other").unwrap();
    git.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    repo.write("assurance/risks/R-002.yaml", risk("R-002"));
    let other = repo.commit_as(LEAD, "2026-01-07", "R-002");
    // The lead merges the SRO's branch.
    let ours = git.find_commit(other).unwrap();
    let theirs = git.find_commit(signed).unwrap();
    let mut index = git.merge_commits(&ours, &theirs, None).unwrap();
    let tree = git.find_tree(index.write_tree_to(&git).unwrap()).unwrap();
    let who =
        git2::Signature::new(LEAD.0, LEAD.1, &git2::Time::new(noon("2026-01-08"), 0)).unwrap();
    git.commit(
        Some("HEAD"),
        &who,
        &who,
        "Merge the SRO's sign-off",
        &tree,
        &[&ours, &theirs],
    )
    .unwrap();
    git.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    let (code, report) = verify(&repo);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["signoffs"][0]["git"]["commit"], signed.to_string());
}

#[test]
fn a_shallow_clone_without_the_sign_off_commit_exits_3() {
    let repo = repo_with("", None);
    approve_report(&repo);
    repo.commit_as(SRO, "2026-01-06", "S-0001");
    repo.write("assurance/risks/R-002.yaml", risk("R-002"));
    repo.commit_as(LEAD, "2026-01-07", "R-002");
    let clones = tempfile::tempdir().unwrap();
    let shallow = clones.path().join("shallow");
    repo.clone_into(&shallow, Some(1));
    for command in ["verify", "status", "check"] {
        let (code, stdout, stderr) = run(assure_in(&shallow, &[command, "--as-of", "2026-02-01"]));
        assert_eq!(code, 3, "{command}: {stdout}{stderr}");
        assert!(
            stdout.is_empty(),
            "{command}: never a verdict from missing history: {stdout}"
        );
        assert!(stderr.contains("this is a shallow clone: the commit that added assurance/signoffs/S-0001.yaml is not in it"), "{stderr}");
        assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    }
    // With the full history it verifies.
    let full = clones.path().join("full");
    repo.clone_into(&full, None);
    let (code, _, _) = run(assure_in(&full, &["verify", "--as-of", "2026-02-01"]));
    assert_eq!(code, 0);
}

#[test]
fn outside_git_sign_offs_cannot_be_proven() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("assurance");
    std::fs::create_dir_all(records.join("assessments")).unwrap();
    std::fs::write(records.join("project.yaml"), PROJECT).unwrap();
    std::fs::write(records.join("people.yaml"), people(None)).unwrap();
    std::fs::write(records.join("assessments/2026-01-05-self.yaml"), ASSESSMENT).unwrap();
    let (code, _, stderr) = run(assure_in(
        dir.path(),
        &[
            "sign",
            "--subject",
            "assessment:2026-01-05-self",
            "--type",
            "report_approval",
            "--by",
            "p-sro",
            "--date",
            "2026-01-06",
        ],
    ));
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = run(assure_in(
        dir.path(),
        &["verify", "--format", "json", "--as-of", "2026-02-01"],
    ));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("the records are not in a git repository"),
        "{stdout}"
    );
}

#[test]
fn superseded_and_lapsed_sign_offs_are_history() {
    let repo = repo_with(
        "policy:\n  signoff: {require_git_author: false, separation_of_duties: false}\n",
        None,
    );
    // Above tolerance (6), so it needs an acceptance.
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001").replace(
            "residual: {likelihood: 2, impact: 3}",
            "residual: {likelihood: 3, impact: 3}",
        ),
    );
    repo.commit_as(LEAD, "2026-01-05", "R-001 above tolerance");
    let (code, _, stderr) = sign(
        &repo,
        &[
            "--subject",
            "risk:R-001",
            "--type",
            "risk_acceptance",
            "--by",
            "p-sro",
            "--date",
            "2026-01-06",
            "--expires",
            "2026-01-20",
            "--rationale",
            "Short.",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    repo.commit_as(SRO, "2026-01-06", "S-0001");
    // Expired and not replaced: invalid.
    let (code, report) = verify(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        reasons(&report, "S-0001"),
        vec!["SIGN-3: it expired on 2026-01-20".to_owned()]
    );
    // Renewed: the old one is history.
    let (code, _, _) = sign(
        &repo,
        &[
            "--subject",
            "risk:R-001",
            "--type",
            "risk_acceptance",
            "--by",
            "p-sro",
            "--date",
            "2026-01-21",
            "--expires",
            "2026-06-01",
            "--rationale",
            "Renewed.",
        ],
    );
    assert_eq!(code, 0);
    repo.commit_as(SRO, "2026-01-21", "S-0002");
    let (code, report) = verify(&repo);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        verdicts(&report),
        vec![
            ("S-0001".into(), "superseded".into()),
            ("S-0002".into(), "valid".into())
        ]
    );
    assert_eq!(report["signoffs"][0]["superseded_by"], "S-0002");
}

/// A risk acceptance binds the decision, not the upkeep: reviewing the risk, moving its
/// review date, handing it over and finishing its actions leave it valid; a changed residual,
/// response or control voids it (SIGN-1), and so does a changed condition of the sign-off
/// itself (SIGN-4: edited after it was added).
#[test]
fn an_acceptance_survives_upkeep_and_not_a_change_of_decision() {
    let repo = repo_with("", None);
    // Above tolerance (9 > 6): the acceptance is needed.
    repo.write(
        "assurance/risks/R-001.yaml",
        risk("R-001")
            .replace("response: treat", "response: tolerate")
            .replace(
                "residual: {likelihood: 2, impact: 3}",
                "residual: {likelihood: 3, impact: 3}",
            )
            + "actions:\n  - {id: A-001, title: Encrypt laptops, owner: p-lead, due: 2026-03-01, status: open}\n",
    );
    repo.commit_as(LEAD, "2026-01-05", "R-001 tolerated");
    let (code, stdout, stderr) = sign(
        &repo,
        &[
            "--subject",
            "risk:R-001",
            "--type",
            "risk_acceptance",
            "--by",
            "p-sro",
            "--date",
            "2026-01-06",
            "--expires",
            "2026-06-30",
            "--rationale",
            "Cheaper to bear",
            "--condition",
            "Laptops stay encrypted",
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    repo.commit_as(SRO, "2026-01-06", "S-0001: risk acceptance of R-001");
    let valid =
        |repo: &Repo| verdicts(&verify(repo).1) == vec![("S-0001".to_owned(), "valid".to_owned())];
    assert!(valid(&repo));

    // Upkeep, committed by the risk owner.
    let upkept = repo
        .read("assurance/risks/R-001.yaml")
        .replace(
            "last_reviewed: 2026-01-05",
            "last_reviewed: 2026-01-20\nreview_by: 2026-03-01",
        )
        .replace("owner: p-lead\nstatus", "owner: p-sro\nstatus")
        .replace("status: open}", "status: done, done_on: 2026-01-19}");
    repo.write("assurance/risks/R-001.yaml", &upkept);
    repo.commit_as(LEAD, "2026-01-20", "Review R-001; A-001 done");
    assert!(valid(&repo), "{:#}", verify(&repo).1);

    // Each change of what was accepted voids it.
    for (from, to) in [
        (
            "residual: {likelihood: 3, impact: 3}",
            "residual: {likelihood: 3, impact: 4}",
        ),
        ("response: tolerate", "response: transfer"),
        ("identified:", "controls: [Remote wipe]\nidentified:"),
    ] {
        repo.write("assurance/risks/R-001.yaml", upkept.replace(from, to));
        let (code, report) = verify(&repo);
        assert_eq!(code, 1, "{to}");
        assert!(
            reasons(&report, "S-0001")
                .iter()
                .any(|r| r.starts_with("SIGN-1: risk R-001 has changed since it was signed")),
            "{to}: {report:#}"
        );
    }
    repo.write("assurance/risks/R-001.yaml", &upkept);
    assert!(valid(&repo));

    // And a changed condition, once committed, is an edited sign-off.
    let signoff = repo.read("assurance/signoffs/S-0001.yaml");
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff.replace("Laptops stay encrypted", "Laptops stay locked up"),
    );
    repo.commit_as(SRO, "2026-01-21", "Loosen the condition");
    let (code, report) = verify(&repo);
    assert_eq!(code, 1);
    assert!(
        reasons(&report, "S-0001")[0].contains("SIGN-4: it has been written more than once"),
        "{report:#}"
    );
}

/// Above the appetite's ceiling the SRO cannot accept a risk alone: `sign` refuses until the
/// risk records its escalation.
#[test]
fn sign_refuses_an_acceptance_above_the_ceiling_until_escalated() {
    let repo = repo_with("", None);
    repo.write(
        "assurance/appetite.yaml",
        APPETITE.replace("tolerance: 6\n", "tolerance: 6\nceiling: 12\n"),
    );
    let above = risk("R-001")
        .replace(
            "residual: {likelihood: 2, impact: 3}",
            "residual: {likelihood: 4, impact: 4}",
        )
        .replace("inherent: {likelihood: 3,", "inherent: {likelihood: 5,");
    repo.write("assurance/risks/R-001.yaml", &above);
    let args = [
        "--subject",
        "risk:R-001",
        "--type",
        "risk_acceptance",
        "--by",
        "p-sro",
        "--date",
        "2026-01-06",
        "--expires",
        "2026-06-30",
        "--rationale",
        "x",
    ];
    let (code, _, stderr) = sign(&repo, &args);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("risk R-001's residual score 16 is above the appetite's ceiling of 12: the SRO cannot accept it alone"),
        "{stderr}"
    );
    assert!(
        stderr.contains("escalation: {to, date, reference}"),
        "{stderr}"
    );
    repo.write(
        "assurance/risks/R-001.yaml",
        above + "escalation: {to: Army Command risk board, date: 2026-01-05, reference: ACRB-14}\n",
    );
    repo.commit_as(LEAD, "2026-01-05", "Escalate R-001");
    let (code, _, stderr) = sign(&repo, &args);
    assert_eq!(code, 0, "{stderr}");
}

/// The SRO defines the appetite they approve: separation of duties does not apply to it
/// unless the policy asks.
#[test]
fn the_sro_may_approve_an_appetite_they_wrote() {
    let repo = repo_with("", None);
    repo.write(
        "assurance/appetite.yaml",
        APPETITE.replace(
            "No loss of personal data.",
            "No loss of personal or order data.",
        ),
    );
    repo.commit_as(SRO, "2026-01-06", "The SRO rewrites the appetite");
    let (code, stdout, stderr) = sign(
        &repo,
        &[
            "--subject",
            "appetite",
            "--type",
            "appetite_approval",
            "--by",
            "p-sro",
            "--date",
            "2026-01-07",
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    repo.commit_as(SRO, "2026-01-07", "S-0001: appetite approval");
    assert_eq!(
        verdicts(&verify(&repo).1),
        vec![("S-0001".to_owned(), "valid".to_owned())]
    );
    repo.write(
        "assurance/project.yaml",
        format!("{PROJECT}policy:\n  signoff: {{appetite_separation: true}}\n"),
    );
    let (code, report) = verify(&repo);
    assert_eq!(code, 1);
    assert!(
        reasons(&report, "S-0001")[0].contains("p-sro wrote the change they approved"),
        "{report:#}"
    );
}

/// A sign-off dated after the day it is judged on records a decision not yet taken: it does
/// not count, and `verify` fails.
#[test]
fn verify_fails_on_a_sign_off_dated_in_the_future() {
    let repo = repo_with("", None);
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff(
            "S-0001",
            "report_approval",
            "assessment:2026-01-05-self",
            ASSESSMENT,
            "p-sro",
            "2026-03-01",
            "",
        ),
    );
    repo.commit_as(SRO, "2026-01-06", "S-0001");
    let (code, report) = verify(&repo);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["valid"], false);
    assert_eq!(verdicts(&report), vec![("S-0001".into(), "future".into())]);
    assert_eq!(
        reasons(&report, "S-0001"),
        vec![
            "SIGN-2: it is dated 2026-03-01, after 2026-02-01: a sign-off records a decision already taken, so it does not count"
                .to_owned()
        ]
    );
    let (_, stdout, _) = run(repo.assure(&["verify", "--as-of", "2026-02-01"]));
    assert!(
        stdout.contains("= help: if the date is wrong, the SRO signs again with the day they decided: assure sign --subject assessment:2026-01-05-self --type report_approval --by p-sro --date DATE"),
        "{stdout}"
    );
    // Committed on 2026-01-06, before the day it gives: git says the decision had not been
    // taken, so it never counts.
    let (code, report) = {
        let (code, stdout, _) =
            run(repo.assure(&["verify", "--format", "json", "--as-of", "2026-03-01"]));
        (code, json(&stdout))
    };
    assert_eq!(code, 1);
    assert!(
        reasons(&report, "S-0001")
            .iter()
            .any(|r| r.starts_with("SIGN-4: it was committed in ")
                && r.ends_with(" on 2026-01-06, before the day it gives for the decision")),
        "{report:#}"
    );
}

/// Separation of duties looks at who changed what is signed: someone else's upkeep after the
/// SRO's own change does not launder it, and upkeep alone (committed or not) never blocks a
/// sign-off.
#[test]
fn upkeep_by_others_does_not_launder_the_signers_own_change() {
    let repo = repo_with("", None);
    // The SRO re-scores the risk themselves; the lead then only records a review.
    let rescored = risk("R-001").replace(
        "residual: {likelihood: 2, impact: 3}",
        "residual: {likelihood: 2, impact: 2}",
    );
    repo.write("assurance/risks/R-001.yaml", &rescored);
    repo.commit_as(SRO, "2026-01-06", "SRO re-scores R-001");
    let reviewed = rescored.replace("last_reviewed: 2026-01-05", "last_reviewed: 2026-01-07");
    repo.write("assurance/risks/R-001.yaml", &reviewed);
    repo.commit_as(LEAD, "2026-01-07", "Lead reviews R-001");
    let accept = [
        "--subject",
        "risk:R-001",
        "--type",
        "risk_acceptance",
        "--by",
        "p-sro",
        "--date",
        "2026-01-08",
        "--expires",
        "2026-06-01",
        "--rationale",
        "x",
    ];
    let (code, _, stderr) = sign(&repo, &accept);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("wrote part of what would be signed in risk R-001"),
        "{stderr}"
    );
    // Written by hand and committed, verify names the SRO's own commit.
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff(
            "S-0001",
            "risk_acceptance",
            "risk:R-001",
            &reviewed,
            "p-sro",
            "2026-01-08",
            "expires: 2026-06-01\nrationale: x\n",
        ),
    );
    repo.commit_as(SRO, "2026-01-08", "S-0001");
    let (code, report) = verify(&repo);
    assert_eq!(code, 1);
    assert!(
        reasons(&report, "S-0001")
            .iter()
            .any(|r| r.contains("p-sro wrote the change they approved")),
        "{report:#}"
    );

    // The lead makes the change; an uncommitted review date on top does not block signing.
    let fresh = repo_with("", None);
    fresh.write("assurance/risks/R-001.yaml", &rescored);
    fresh.commit_as(LEAD, "2026-01-06", "Lead re-scores R-001");
    fresh.write("assurance/risks/R-001.yaml", &reviewed);
    let (code, _, stderr) = sign(&fresh, &accept);
    assert_eq!(code, 0, "{stderr}");
}

/// An independent assessment's report is the assessor's: the team's SRO does not approve it.
#[test]
fn sign_refuses_to_approve_an_independent_report() {
    let repo = repo_with("", None);
    repo.write(
        "assurance/assessments/2026-01-07-cysaas.yaml",
        "kind: assessment\nid: 2026-01-07-cysaas\ntype: independent\ntrigger: selected\ndate: 2026-01-07\nassessors: [CySAAS]\nscope: Everything.\noutcome: {summary: Fine.}\n",
    );
    repo.commit_as(LEAD, "2026-01-07", "CySAAS report");
    let (code, _, stderr) = sign(
        &repo,
        &[
            "--subject",
            "assessment:2026-01-07-cysaas",
            "--type",
            "report_approval",
            "--by",
            "p-sro",
            "--date",
            "2026-01-08",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: assessment 2026-01-07-cysaas is independent: its report is the assessor's, not the team's to approve\n"),
        "{stderr}"
    );
}

/// An acceptance whose risk no longer needs one (brought within tolerance, or closed) lapses,
/// changed or not: `verify` passes, and the status is not turned red by an improvement.
#[test]
fn an_acceptance_the_risk_no_longer_needs_lapses() {
    let repo = repo_with("", None);
    let above = risk("R-001").replace(
        "residual: {likelihood: 2, impact: 3}",
        "residual: {likelihood: 3, impact: 3}",
    );
    repo.write("assurance/risks/R-001.yaml", &above);
    repo.commit_as(LEAD, "2026-01-05", "R-001 above tolerance");
    let (code, _, stderr) = sign(
        &repo,
        &[
            "--subject",
            "risk:R-001",
            "--type",
            "risk_acceptance",
            "--by",
            "p-sro",
            "--date",
            "2026-01-06",
            "--expires",
            "2026-06-01",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    repo.commit_as(SRO, "2026-01-06", "S-0001");
    repo.write(
        "assurance/risks/R-001.yaml",
        above.replace(
            "residual: {likelihood: 3, impact: 3}",
            "residual: {likelihood: 1, impact: 3}",
        ),
    );
    repo.commit_as(LEAD, "2026-01-20", "R-001 treated");
    let (code, report) = verify(&repo);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(verdicts(&report), vec![("S-0001".into(), "lapsed".into())]);
    let (_, stdout, _) = run(repo.assure(&["status", "--as-of", "2026-02-01", "--format", "json"]));
    let codes: Vec<String> = json(&stdout)["status"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(!codes.contains(&"SIGN-1".to_owned()), "{codes:?}");
}

/// A commit with `parents`, whose tree is the working tree as it is, by `who` on `day`, set
/// as the branch `branch` (checked out). For building attacks with merges.
fn commit_on(
    repo: &Repo,
    branch: &str,
    parents: &[git2::Oid],
    who: (&str, &str),
    day: &str,
    message: &str,
) -> git2::Oid {
    let git = git2::Repository::open(repo.path()).unwrap();
    let mut index = git.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"].iter(), None).unwrap();
    index.write().unwrap();
    let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
    let signature = git2::Signature::new(who.0, who.1, &git2::Time::new(noon(day), 0)).unwrap();
    let parents: Vec<git2::Commit> = parents
        .iter()
        .map(|p| git.find_commit(*p).unwrap())
        .collect();
    let parents: Vec<&git2::Commit> = parents.iter().collect();
    let id = git
        .commit(None, &signature, &signature, message, &tree, &parents)
        .unwrap();
    let reference = format!("refs/heads/{branch}");
    git.reference(&reference, id, true, message).unwrap();
    git.set_head(&reference).unwrap();
    id
}

/// Check out `commit`'s files into the working tree.
fn check_out(repo: &Repo, commit: git2::Oid) {
    let git = git2::Repository::open(repo.path()).unwrap();
    let tree = git.find_commit(commit).unwrap().tree().unwrap();
    git.checkout_tree(
        tree.as_object(),
        Some(
            git2::build::CheckoutBuilder::new()
                .force()
                .remove_untracked(true),
        ),
    )
    .unwrap();
}

/// Attack: with signed commits required, edit the SRO's sign-off on a branch cut before it,
/// in a commit back-dated before the SRO's; merge main into the branch keeping the edit;
/// merge the branch into main with --no-ff. The edited version is credited to the commit
/// that wrote it, which the SRO did not sign: invalid, naming it.
#[test]
fn a_sign_off_cannot_be_rewritten_through_a_merge() {
    let (key, public) = new_key();
    let repo = repo_with(
        "policy:\n  signoff: {require_signed_commits: true}\n",
        Some(&public),
    );
    let git = git2::Repository::open(repo.path()).unwrap();
    let base = git.head().unwrap().peel_to_commit().unwrap().id();
    let above = risk("R-001").replace(
        "residual: {likelihood: 2, impact: 3}",
        "residual: {likelihood: 3, impact: 3}",
    );
    repo.write("assurance/risks/R-001.yaml", &above);
    let base = commit_on(&repo, "main", &[base], LEAD, "2026-01-05", "R-001");
    let accepted = signoff(
        "S-0001",
        "risk_acceptance",
        "risk:R-001",
        &above,
        "p-sro",
        "2026-01-10",
        "expires: 2026-03-01\nrationale: Short.\nconditions: [\"Keep the allow-list\"]\n",
    );
    repo.write("assurance/signoffs/S-0001.yaml", &accepted);
    let signed = repo.commit_signed_as(SRO, "2026-01-10", "S-0001", &key);
    assert_eq!(verify(&repo).0, 0);

    // The branch, cut before the SRO's commit, with the edit back-dated before it.
    check_out(&repo, base);
    let forged = accepted
        .replace("expires: 2026-03-01", "expires: 2026-12-31")
        .replace("conditions: [\"Keep the allow-list\"]\n", "");
    repo.write("assurance/signoffs/S-0001.yaml", &forged);
    let edit = commit_on(&repo, "attack", &[base], SRO, "2026-01-08", "Tidy");
    // Main merged into the branch, keeping the edited file.
    check_out(&repo, edit);
    let synced = commit_on(
        &repo,
        "attack",
        &[edit, signed],
        LEAD,
        "2026-01-11",
        "Merge main",
    );
    // The branch merged into main with --no-ff.
    let landed = commit_on(
        &repo,
        "main",
        &[signed, synced],
        LEAD,
        "2026-01-12",
        "Merge attack",
    );
    check_out(&repo, landed);
    assert_eq!(repo.read("assurance/signoffs/S-0001.yaml"), forged);

    let (code, report) = verify(&repo);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(verdicts(&report), vec![("S-0001".into(), "invalid".into())]);
    let reasons = reasons(&report, "S-0001");
    let edit_short = &edit.to_string()[..10];
    assert!(
        reasons.iter().any(|r| r.contains(&format!(
            "the commit that added it, {edit_short}, is not signed"
        ))),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("it has been written more than once")),
        "{reasons:?}"
    );
    // The log shows both versions, each with its commit.
    let (_, log, _) = run(repo.assure(&["log", "S-0001"]));
    assert!(log.contains(edit_short), "{log}");
    assert!(
        log.contains("by p-sro on 2026-01-10, until 2026-03-01, 1 condition")
            && log.contains("by p-sro on 2026-01-10, until 2026-12-31\n"),
        "{log}"
    );
}

/// Attack: a former SRO whose key stays listed signs today, dated inside their old tenure
/// and before the risk existed. Time and tenure are judged by the history: the sign-off came
/// after people.yaml recorded the end of their role, and before the version it signs.
#[test]
fn a_former_sro_cannot_back_date_a_sign_off() {
    let (key, public) = new_key();
    let repo = repo_with(
        "policy:\n  signoff: {require_signed_commits: true}\n",
        Some(&public),
    );
    // The SRO's role ends on 2026-03-31, recorded on 2026-04-01; Ada takes over.
    let people = repo.read("assurance/people.yaml").replace(
        "    roles: [sro]\n",
        "    roles: [{role: sro, to: 2026-03-31}]\n",
    ) + "  - id: p-ada\n    name: Ada New\n    email: ada@example.gov.uk\n    roles: [{role: sro, from: 2026-04-01}]\n";
    repo.write("assurance/people.yaml", &people);
    repo.commit_as(LEAD, "2026-04-01", "Handover to Ada");
    // A new risk, in September.
    let above = risk("R-002").replace(
        "residual: {likelihood: 2, impact: 3}",
        "residual: {likelihood: 3, impact: 3}",
    );
    repo.write("assurance/risks/R-002.yaml", &above);
    repo.commit_as(LEAD, "2026-09-14", "R-002");

    // `assure sign` refuses him outright.
    let args = [
        "--subject",
        "risk:R-002",
        "--type",
        "risk_acceptance",
        "--by",
        "p-sro",
        "--date",
        "2026-03-15",
        "--expires",
        "2027-03-01",
        "--rationale",
        "x",
    ];
    let (code, _, stderr) = sign(&repo, &args);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: Sam Owner (p-sro) is no longer the SRO"),
        "{stderr}"
    );
    // Written by hand and committed, signed with his still-listed key.
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff(
            "S-0001",
            "risk_acceptance",
            "risk:R-002",
            &above,
            "p-sro",
            "2026-03-15",
            "expires: 2027-03-01\nrationale: x\n",
        ),
    );
    repo.commit_signed_as(SRO, "2026-12-02", "S-0001", &key);
    let (code, stdout, _) =
        run(repo.assure(&["verify", "--format", "json", "--as-of", "2026-12-03"]));
    let report = json(&stdout);
    assert_eq!(code, 1, "{report:#}");
    let reasons = reasons(&report, "S-0001");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("after people.yaml recorded the end of p-sro's role")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(
            |r| r.contains("it is dated before the version it signs existed")
                && r.ends_with("on 2026-09-14")
        ),
        "{reasons:?}"
    );
}

/// Attack: add a key to the SRO's signing_keys in the same commit as a sign-off signed with
/// it. Who the signer is comes from people.yaml as it was before that commit; `diff` shows
/// the change to the people as a trust change, first.
#[test]
fn a_commit_cannot_add_the_key_that_vouches_for_it() {
    let (_, public) = new_key();
    let (attacker, attacker_public) = new_key();
    let repo = repo_with(
        "policy:\n  signoff: {require_signed_commits: true}\n",
        Some(&public),
    );
    let before = git2::Repository::open(repo.path())
        .unwrap()
        .head()
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .id();
    let people = repo.read("assurance/people.yaml").replace(
        &format!("    signing_keys: [\"{public}\"]\n"),
        &format!("    signing_keys: [\"{public}\", \"{attacker_public}\"]\n"),
    );
    repo.write("assurance/people.yaml", &people);
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff(
            "S-0001",
            "report_approval",
            "assessment:2026-01-05-self",
            ASSESSMENT,
            "p-sro",
            "2026-01-06",
            "",
        ),
    );
    repo.commit_signed_as(SRO, "2026-01-06", "S-0001", &attacker);
    let (code, report) = verify(&repo);
    assert_eq!(code, 1, "{report:#}");
    let reasons = reasons(&report, "S-0001");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("which is not one of p-sro's signing_keys")),
        "{reasons:?}"
    );
    // The change to who the SRO is, in the projects' terms, first.
    let (_, stdout, _) = run(repo.assure(&["diff", &before.to_string(), "HEAD"]));
    let first = stdout.lines().nth(2).unwrap_or_default();
    assert!(
        first.contains("person p-sro's signing keys changed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: p-sro's roles, identity or keys change in the same change as a sign-off by them (S-0001): check it with them before trusting it"),
        "{stdout}"
    );
}

/// A sign-off is verified against people.yaml as committed before it: signing while the
/// people are not committed is refused, saying what to do.
#[test]
fn sign_refuses_while_the_people_are_not_committed() {
    let repo = repo_with("", None);
    repo.commit_as(LEAD, "2026-01-10", "Records");
    repo.write(
        "assurance/people.yaml",
        repo.read("assurance/people.yaml")
            + "  - {id: p-new, name: New Person, email: new@example.gov.uk, roles: [risk_owner]}\n",
    );
    let (code, _, stderr) = sign(
        &repo,
        &[
            "--subject",
            "appetite",
            "--type",
            "appetite_approval",
            "--by",
            "p-sro",
            "--date",
            "2026-01-12",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("assurance/people.yaml has changes that are not committed")
            && stderr.contains("commit people.yaml first"),
        "{stderr}"
    );
    assert!(!repo.file("assurance/signoffs/S-0001.yaml").exists());
}

/// `sign --web`: everything `sign` checks, then a link to GitHub's new-file page on the
/// branch with the sign-off filled in, byte for byte what `sign` would write; nothing is
/// written here.
#[test]
fn sign_on_the_web_gives_a_link_to_commit_in_the_browser() {
    let repo = repo_with("", None);
    let args = [
        "--subject",
        "appetite",
        "--type",
        "appetite_approval",
        "--by",
        "p-sro",
        "--date",
        "2026-01-06",
    ];
    let web = [&args[..], &["--web"]].concat();
    // Without a GitHub remote there is nowhere to link to.
    let (code, _, stderr) = sign(&repo, &web);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--web needs an `origin` remote on GitHub"),
        "{stderr}"
    );
    let git = git2::Repository::open(repo.path()).unwrap();
    git.remote("origin", "git@github.com:mod-example/service.git")
        .unwrap();
    let branch = git.head().unwrap().shorthand().unwrap().to_owned();
    let (code, stdout, stderr) = sign(&repo, &web);
    assert_eq!(code, 0, "{stderr}");
    let link = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("https://"))
        .expect("a link");
    let prefix = format!("github.com/mod-example/service/new/{branch}?filename=");
    assert!(link.starts_with(&prefix), "{link}");
    let (filename, value) = link[prefix.len()..].split_once("&value=").unwrap();
    assert_eq!(percent_decode(filename), "assurance/signoffs/S-0001.yaml");
    assert!(
        !repo.file("assurance/signoffs/S-0001.yaml").exists(),
        "nothing written"
    );
    // The content is what `sign` writes.
    let (code, _, _) = sign(&repo, &args);
    assert_eq!(code, 0);
    assert_eq!(
        percent_decode(value),
        repo.read("assurance/signoffs/S-0001.yaml")
    );
}

/// Attack: on a branch, give the SRO's entry an attacker's key, add a sign-off signed with
/// it in the next commit, take the key away again, and merge with --no-ff. The pull request's
/// diff shows no change to people.yaml, so its code owners are never asked. The sign-off is
/// vouched for by people.yaml before its commit on the branch, but not by people.yaml as the
/// main line held it when the sign-off arrived: invalid, naming both commits.
#[test]
fn a_key_that_never_reached_the_main_line_vouches_for_nothing() {
    let (_, public) = new_key();
    let (attacker, attacker_public) = new_key();
    let repo = repo_with(
        "policy:\n  signoff: {require_signed_commits: true}\n",
        Some(&public),
    );
    let git = git2::Repository::open(repo.path()).unwrap();
    let base = git.head().unwrap().peel_to_commit().unwrap().id();
    let people = repo.read("assurance/people.yaml");
    let with_key = people.replace(
        &format!("    signing_keys: [\"{public}\"]\n"),
        &format!("    signing_keys: [\"{public}\", \"{attacker_public}\"]\n"),
    );
    repo.write("assurance/people.yaml", &with_key);
    let keyed = commit_on(&repo, "attack", &[base], LEAD, "2026-01-06", "People");
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff(
            "S-0001",
            "report_approval",
            "assessment:2026-01-05-self",
            ASSESSMENT,
            "p-sro",
            "2026-01-06",
            "",
        ),
    );
    let added = repo.commit_signed_as(SRO, "2026-01-06", "S-0001", &attacker);
    repo.write("assurance/people.yaml", &people);
    let unkeyed = commit_on(&repo, "attack", &[added], LEAD, "2026-01-07", "Tidy");
    let merged = commit_on(
        &repo,
        "main",
        &[base, unkeyed],
        LEAD,
        "2026-01-08",
        "Merge attack",
    );
    check_out(&repo, merged);
    assert_ne!(keyed, added);
    // The merge's own diff shows the sign-off and nothing of the people.
    let (_, diff, _) = run(repo.assure(&["diff", &base.to_string(), "HEAD"]));
    assert!(!diff.contains("signing keys"), "{diff}");

    let (code, report) = verify(&repo);
    assert_eq!(code, 1, "{report:#}");
    let reasons = reasons(&report, "S-0001");
    let (added, merged) = (&added.to_string()[..10], &merged.to_string()[..10]);
    assert!(
        reasons.iter().any(|r| r.contains(&format!(
            "{added} was vouched for by a people.yaml or platform key that the main line never held: where it arrived, in {merged}"
        ))),
        "{reasons:?}"
    );
}

/// Attack: the former SRO cuts a branch before the handover is recorded, adds a sign-off
/// there (signed with his still-listed key, commit back-dated inside his tenure), merges the
/// main line into the branch and fast-forwards main to it, so that the branch's commits are
/// HEAD's first-parent line. The sign-off was not in the history before the commit that
/// recorded the end of his role: it does not count.
#[test]
fn a_former_sro_cannot_back_date_through_a_fast_forward() {
    let (key, public) = new_key();
    let repo = repo_with(
        "policy:\n  signoff: {require_signed_commits: true}\n",
        Some(&public),
    );
    let git = git2::Repository::open(repo.path()).unwrap();
    let base = git.head().unwrap().peel_to_commit().unwrap().id();
    // The handover, on main.
    let people = repo.read("assurance/people.yaml").replace(
        "    roles: [sro]\n",
        "    roles: [{role: sro, to: 2026-03-31}]\n",
    ) + "  - id: p-ada\n    name: Ada New\n    email: ada@example.gov.uk\n    roles: [{role: sro, from: 2026-04-01}]\n";
    repo.write("assurance/people.yaml", &people);
    let handover = commit_on(&repo, "main", &[base], LEAD, "2026-04-01", "Handover");
    // The branch, cut before it.
    check_out(&repo, base);
    git.reference("refs/heads/late", base, true, "branch")
        .unwrap();
    git.set_head("refs/heads/late").unwrap();
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff(
            "S-0001",
            "report_approval",
            "assessment:2026-01-05-self",
            ASSESSMENT,
            "p-sro",
            "2026-03-20",
            "",
        ),
    );
    let added = repo.commit_signed_as(SRO, "2026-03-20", "S-0001", &key);
    // Main merged into the branch: the handover and the sign-off side by side.
    repo.write("assurance/people.yaml", &people);
    let synced = commit_on(
        &repo,
        "late",
        &[added, handover],
        SRO,
        "2026-04-02",
        "Merge main",
    );
    // main fast-forwarded to the branch.
    git.reference("refs/heads/main", synced, true, "fast-forward")
        .unwrap();
    git.set_head("refs/heads/main").unwrap();

    let (code, stdout, _) =
        run(repo.assure(&["verify", "--format", "json", "--as-of", "2026-05-01"]));
    let report = json(&stdout);
    assert_eq!(code, 1, "{report:#}");
    let reasons = reasons(&report, "S-0001");
    let (added, handover) = (&added.to_string()[..10], &handover.to_string()[..10]);
    assert!(
        reasons.iter().any(|r| r.contains(&format!(
            "{added} brought it in after people.yaml recorded the end of p-sro's role, in {handover}"
        ))),
        "{reasons:?}"
    );
}

/// Seen: marking an assessment's action done voided its report approval (ASSESS-4 and
/// SIGN-1 red, "approval due by" a past date). The action's progress is upkeep: the approval
/// stays valid, under git's witness too, while renaming the action (what the plan says) voids
/// it.
#[test]
fn a_finished_action_keeps_the_report_approval() {
    let repo = repo_with("", None);
    let planned = format!(
        "{ASSESSMENT}findings:\n  - {{id: F-01, title: Weak passwords, severity: medium}}\nactions:\n  - {{id: A-001, title: Enforce passphrases, owner: p-lead, due: 2026-03-01, status: open}}\n"
    );
    repo.write("assurance/assessments/2026-01-05-self.yaml", &planned);
    repo.commit_as(LEAD, "2026-01-05", "The plan");
    let (code, stdout, stderr) = sign(
        &repo,
        &[
            "--subject",
            "assessment:2026-01-05-self",
            "--type",
            "report_approval",
            "--by",
            "p-sro",
            "--date",
            "2026-01-06",
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    repo.commit_as(SRO, "2026-01-06", "S-0001");
    let findings = |repo: &Repo| {
        let (_, stdout, _) =
            run(repo.assure(&["status", "--as-of", "2026-02-01", "--format", "json"]));
        let report = json(&stdout);
        report["status"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(
        !findings(&repo)
            .iter()
            .any(|r| r == "ASSESS-4" || r == "SIGN-1")
    );

    repo.write(
        "assurance/assessments/2026-01-05-self.yaml",
        planned.replace("status: open}", "status: done, done_on: 2026-01-20}"),
    );
    repo.commit_as(LEAD, "2026-01-20", "A-001 done");
    assert_eq!(
        verdicts(&verify(&repo).1),
        vec![("S-0001".into(), "valid".into())]
    );
    let rules = findings(&repo);
    assert!(
        !rules.iter().any(|r| r == "ASSESS-4" || r == "SIGN-1"),
        "{rules:?}"
    );

    repo.write(
        "assurance/assessments/2026-01-05-self.yaml",
        planned.replace("Enforce passphrases", "Remind staff about passwords"),
    );
    repo.commit_as(LEAD, "2026-01-21", "A-001 reworded");
    assert_eq!(
        verdicts(&verify(&repo).1),
        vec![("S-0001".into(), "invalid".into())]
    );
    let rules = findings(&repo);
    assert!(rules.iter().any(|r| r == "SIGN-1"), "{rules:?}");
}

/// Attack: the handover was written in advance (`to:` a later day); once the day has passed
/// and others have committed to the main line, the former SRO commits a sign-off dated
/// inside their tenure. Nothing in people.yaml changed after the end, but the main line holds
/// commits made by others after it, before the sign-off arrived: it does not count.
#[test]
fn a_role_ended_in_advance_ends_when_others_have_passed_it() {
    let (key, public) = new_key();
    let repo = repo_with(
        "policy:\n  signoff: {require_signed_commits: true}\n",
        Some(&public),
    );
    let git = git2::Repository::open(repo.path()).unwrap();
    let base = git.head().unwrap().peel_to_commit().unwrap().id();
    let people = repo.read("assurance/people.yaml").replace(
        "    roles: [sro]\n",
        "    roles: [{role: sro, to: 2026-03-25}]\n",
    ) + "  - id: p-ada\n    name: Ada New\n    email: ada@example.gov.uk\n    roles: [{role: sro, from: 2026-03-26}]\n";
    repo.write("assurance/people.yaml", &people);
    let handover = commit_on(
        &repo,
        "main",
        &[base],
        LEAD,
        "2026-03-20",
        "Handover, in advance",
    );
    repo.write("notes.txt", "Unrelated work.\n");
    let later = commit_on(&repo, "main", &[handover], LEAD, "2026-04-01", "Later work");
    git.reference("refs/heads/late", later, true, "branch")
        .unwrap();
    git.set_head("refs/heads/late").unwrap();
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff(
            "S-0001",
            "report_approval",
            "assessment:2026-01-05-self",
            ASSESSMENT,
            "p-sro",
            "2026-03-24",
            "",
        ),
    );
    let added = repo.commit_signed_as(SRO, "2026-04-03", "S-0001", &key);
    commit_on(
        &repo,
        "main",
        &[later, added],
        LEAD,
        "2026-04-03",
        "Merge late",
    );
    let (code, stdout, _) =
        run(repo.assure(&["verify", "--format", "json", "--as-of", "2026-04-05"]));
    let report = json(&stdout);
    assert_eq!(code, 1, "{report:#}");
    let reasons = reasons(&report, "S-0001");
    let (added, later) = (&added.to_string()[..10], &later.to_string()[..10]);
    assert!(
        reasons.iter().any(|r| r.contains(&format!(
            "{added} brought it in after people.yaml recorded the end of p-sro's role, in {later}"
        ))),
        "{reasons:?}"
    );
}

/// Not an attack: the sign-off's pull request is merged before the handover's, which was cut
/// earlier. The sign-off reached the main line first: it counts.
#[test]
fn a_sign_off_merged_before_the_handover_counts() {
    let (key, public) = new_key();
    let repo = repo_with(
        "policy:\n  signoff: {require_signed_commits: true}\n",
        Some(&public),
    );
    let git = git2::Repository::open(repo.path()).unwrap();
    let base = git.head().unwrap().peel_to_commit().unwrap().id();
    let before = repo.read("assurance/people.yaml");
    // The handover, on a branch of its own, cut now and merged later.
    let people = before.replace(
        "    roles: [sro]\n",
        "    roles: [{role: sro, to: 2026-03-15}]\n",
    ) + "  - id: p-ada\n    name: Ada New\n    email: ada@example.gov.uk\n    roles: [{role: sro, from: 2026-03-16}]\n";
    repo.write("assurance/people.yaml", &people);
    let ended = commit_on(&repo, "handover", &[base], LEAD, "2026-03-20", "Handover");
    // The sign-off, on another branch from the same point, merged first.
    check_out(&repo, base);
    git.reference("refs/heads/signoff", base, true, "branch")
        .unwrap();
    git.set_head("refs/heads/signoff").unwrap();
    repo.write(
        "assurance/signoffs/S-0001.yaml",
        signoff(
            "S-0001",
            "report_approval",
            "assessment:2026-01-05-self",
            ASSESSMENT,
            "p-sro",
            "2026-03-10",
            "",
        ),
    );
    let added = repo.commit_signed_as(SRO, "2026-03-10", "S-0001", &key);
    let first = commit_on(
        &repo,
        "main",
        &[base, added],
        LEAD,
        "2026-03-12",
        "Merge signoff",
    );
    repo.write("assurance/people.yaml", &people);
    let head = commit_on(
        &repo,
        "main",
        &[first, ended],
        LEAD,
        "2026-03-21",
        "Merge handover",
    );
    check_out(&repo, head);
    let (code, stdout, _) =
        run(repo.assure(&["verify", "--format", "json", "--as-of", "2026-03-25"]));
    let report = json(&stdout);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(verdicts(&report), vec![("S-0001".into(), "valid".into())]);
}
