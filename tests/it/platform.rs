//! The SRO decides in the browser: a commit GitHub's web editor made, signed with the
//! platform's OpenPGP key ("web-flow") and authored by the signer, counts as signed when the
//! project trusts that key (`policy.signoff.platform_keys`). Keys are generated here.

use crate::common::*;

const SRO_WEB: (&str, &str) = ("Sam Owner", "4242+sowner@users.noreply.github.com");
const LEAD: (&str, &str) = ("Lee Lead", "lead@example.gov.uk");
const POLICY: &str = "policy:\n  signoff:\n    require_signed_commits: true\n    platform_keys: [keys/web-flow.asc]\n";

/// Records, the platform key and a policy trusting it, committed by the lead; the key file
/// holds `armored`.
fn repo_trusting(armored: &str) -> Repo {
    let repo = Repo::valid();
    repo.write("assurance/project.yaml", format!("{PROJECT}{POLICY}"));
    repo.write("assurance/people.yaml", PEOPLE_ON_GITHUB);
    repo.write("assurance/assessments/2026-01-05-self.yaml", ASSESSMENT);
    repo.write("assurance/keys/web-flow.asc", armored);
    repo.commit_as(LEAD, "2026-01-05", "Records");
    repo
}

/// The SRO's approval of the assessment, as the `--web` link fills it in.
fn write_approval(repo: &Repo) {
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
}

/// The SRO commits their approval (S-0001) in the browser on 2026-01-06, as `platform` signs it.
fn approve_in_the_browser(repo: &Repo, platform: Platform<'_>) -> git2::Oid {
    write_approval(repo);
    repo.commit_platform_signed(SRO_WEB, "2026-01-06", "S-0001", platform)
}

fn verify(repo: &Repo) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) =
        run(repo.assure(&["verify", "--format", "json", "--as-of", "2026-02-01"]));
    assert!(stderr.is_empty(), "{stderr}");
    (code, json(&stdout))
}

fn reasons(report: &serde_json::Value) -> String {
    report["signoffs"][0]["reasons"].to_string()
}

#[test]
fn a_web_commit_signed_by_a_trusted_platform_key_verifies() {
    let (platform, armored) =
        new_pgp_key("GitHub (web-flow commit signing) <noreply@github.com>", 1);
    let repo = repo_trusting(&armored);
    let commit = approve_in_the_browser(&repo, Platform::WebEditor(&platform));
    let (code, report) = verify(&repo);
    assert_eq!(code, 0, "{report:#}");
    let git = &report["signoffs"][0]["git"];
    assert_eq!(git["signature"], "platform");
    assert_eq!(git["platform_key_file"], "keys/web-flow.asc");
    let fingerprint = git["signed_with"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 40, "{fingerprint}");
    let (_, human, _) = run(repo.assure(&["verify", "--as-of", "2026-02-01"]));
    assert!(
        human.contains(&format!(
            "signed by the platform key {fingerprint} (keys/web-flow.asc) for its author"
        )),
        "{human}"
    );
    gpg_agrees(&repo, &armored, commit, true);
}

#[test]
fn a_signature_by_a_key_the_project_does_not_trust_is_not_checkable() {
    let (_, armored) = new_pgp_key("GitHub <noreply@github.com>", 1);
    let (someone, someone_public) = new_pgp_key("Sam Owner <sro@example.gov.uk>", 2);
    let repo = repo_trusting(&armored);
    let commit = approve_in_the_browser(&repo, Platform::WebEditor(&someone));
    let (code, report) = verify(&repo);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        reasons(&report).contains(
            "which is not a platform key in the policy; a person's GPG signature is not checked"
        ),
        "{report:#}"
    );
    // The signature itself is good: GnuPG, given that key, accepts it. It is the key that
    // the project does not trust.
    gpg_agrees(&repo, &someone_public, commit, true);
}

#[test]
fn the_platform_vouches_only_for_the_author_it_authenticated() {
    let (platform, armored) = new_pgp_key("GitHub <noreply@github.com>", 1);
    // The lead commits the SRO's sign-off in the browser: GitHub signs, but for the lead.
    let by_lead = repo_trusting(&armored);
    write_approval(&by_lead);
    by_lead.commit_platform_signed(LEAD, "2026-01-06", "S-0001", Platform::WebEditor(&platform));
    let (code, report) = verify(&by_lead);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        reasons(&report).contains("by Lee Lead <lead@example.gov.uk>, not by the signer"),
        "{report:#}"
    );

    // A commit authored (unsigned) as the SRO, then rebase-merged: the platform signs the
    // re-written commit, keeping the author it was given. That proves nothing of who wrote it.
    let rebased = repo_trusting(&armored);
    let commit = approve_in_the_browser(&rebased, Platform::Rebased(&platform));
    let (code, report) = verify(&rebased);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        reasons(&report).contains("the platform re-wrote it from a commit made earlier"),
        "{report:#}"
    );
    // The signature is good all the same: only the history says what it proves.
    gpg_agrees(&rebased, &armored, commit, true);
}

#[test]
fn a_commit_cannot_bring_the_platform_key_that_vouches_for_it() {
    let (platform, armored) = new_pgp_key("GitHub <noreply@github.com>", 1);
    let repo = Repo::valid();
    repo.write("assurance/people.yaml", PEOPLE_ON_GITHUB);
    repo.write("assurance/assessments/2026-01-05-self.yaml", ASSESSMENT);
    repo.commit_as(LEAD, "2026-01-05", "Records");
    // The key, the policy trusting it and the sign-off, all in one commit.
    repo.write("assurance/project.yaml", format!("{PROJECT}{POLICY}"));
    repo.write("assurance/keys/web-flow.asc", &armored);
    approve_in_the_browser(&repo, Platform::WebEditor(&platform));
    let (code, report) = verify(&repo);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        reasons(&report).contains("which is not a platform key in the policy"),
        "{report:#}"
    );
    // Retiring the key later leaves what it signed while trusted standing.
    let trusted = repo_trusting(&armored);
    approve_in_the_browser(&trusted, Platform::WebEditor(&platform));
    trusted.write("assurance/keys/web-flow.asc", "retired\n");
    trusted.write("assurance/project.yaml", PROJECT);
    trusted.commit_as(LEAD, "2026-01-10", "Retire the platform key");
    let (code, report) = verify(&trusted);
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn a_platform_key_file_that_cannot_be_used_is_a_policy_error_where_it_is_named() {
    let repo = repo_trusting("not a key\n");
    let (code, stdout, _) =
        run(repo.assure(&["check", "--format", "json", "--as-of", "2026-02-01"]));
    assert_eq!(code, 2, "{stdout}");
    let report = json(&stdout);
    let line = PROJECT.lines().count() as u64 + 4;
    assert_eq!(
        problems(&report),
        vec![(
            "assurance/project.yaml".to_owned(),
            line,
            21,
            "invalid-policy".to_owned()
        )],
        "{report:#}"
    );
    assert!(stdout.contains("platform key file `keys/web-flow.asc` cannot be used: it is not an armored OpenPGP public key"), "{stdout}");
    repo.remove("assurance/keys/web-flow.asc");
    let (code, stdout, _) = run(repo.assure(&["check", "--as-of", "2026-02-01"]));
    assert_eq!(code, 2);
    assert!(
        stdout
            .contains("platform key file `keys/web-flow.asc` cannot be used: cannot read the file"),
        "{stdout}"
    );
    assert!(
        stdout.contains("https://github.com/web-flow.gpg"),
        "{stdout}"
    );
    // A name leaving the records folder is refused before anything is read.
    repo.write(
        "assurance/project.yaml",
        format!("{PROJECT}policy:\n  signoff:\n    platform_keys: [../../etc/passwd]\n"),
    );
    let (code, stdout, _) = run(repo.assure(&["check", "--as-of", "2026-02-01"]));
    assert_eq!(code, 2);
    assert!(
        stdout.contains("`../../etc/passwd` is not a file inside the records folder"),
        "{stdout}"
    );
}

#[test]
fn a_change_to_what_the_platform_keys_trust_is_shown_first() {
    let (_, armored) = new_pgp_key("GitHub <noreply@github.com>", 1);
    let (someone, other) = new_pgp_key("Someone <someone@example.com>", 3);
    let fingerprint = pgp::types::KeyDetails::fingerprint(&someone.primary_key)
        .to_string()
        .to_ascii_uppercase();
    let repo = repo_trusting(&armored);
    let base = git2::Repository::open(repo.path())
        .unwrap()
        .head()
        .unwrap()
        .target()
        .unwrap()
        .to_string();
    repo.write("assurance/keys/web-flow.asc", format!("{armored}{other}"));
    repo.write(
        "assurance/project.yaml",
        format!("{PROJECT}{POLICY}")
            .replace("[keys/web-flow.asc]", "[keys/web-flow.asc, keys/extra.asc]"),
    );
    repo.write("assurance/keys/extra.asc", &other);
    let (code, stdout, stderr) = run(repo.assure(&["diff", &base, "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let changes = json(&stdout)["changes"].clone();
    let texts: Vec<&str> = changes
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["trust"] == true)
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        vec![
            "the policy's platform keys changed: now trusts keys/extra.asc",
            &format!(
                "platform key file keys/web-flow.asc changed: now holds key {fingerprint}; trusted for sign-offs added after this"
            ),
            // A file newly named says what it holds.
            &format!(
                "platform key file keys/extra.asc newly trusted: now holds key {fingerprint}; trusted for sign-offs added after this"
            ),
        ],
        "{changes:#}"
    );
    // Naming the same files in another order changes nothing.
    repo.commit("2026-01-07", "Trust both");
    repo.write(
        "assurance/project.yaml",
        format!("{PROJECT}{POLICY}")
            .replace("[keys/web-flow.asc]", "[keys/extra.asc, keys/web-flow.asc]"),
    );
    let (_, stdout, _) = run(repo.assure(&["diff", "HEAD", "--format", "json"]));
    assert!(!stdout.contains("platform keys changed"), "{stdout}");
    assert_eq!(changes[0]["what"], "platform_keys_changed", "{changes:#}");
}

/// An outside opinion: git, verifying with GnuPG given only `public`, agrees on the signature.
fn gpg_agrees(repo: &Repo, public: &str, commit: git2::Oid, valid: bool) {
    if validator("gpg").is_none() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("key.asc");
    std::fs::write(&key, public).unwrap();
    let gpg = |args: &[&str]| {
        std::process::Command::new("gpg")
            .env("GNUPGHOME", home.path())
            .args(["--batch", "--quiet"])
            .args(args)
            .output()
            .unwrap()
    };
    let imported = gpg(&["--import", key.to_str().unwrap()]);
    assert!(imported.status.success(), "{imported:?}");
    let output = std::process::Command::new("git")
        .current_dir(repo.path())
        .env("GNUPGHOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["verify-commit", &commit.to_string()])
        .output()
        .unwrap();
    assert_eq!(
        output.status.success(),
        valid,
        "git verify-commit: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_sros_whole_path_in_the_browser_ends_in_a_valid_sign_off() {
    let (platform, armored) = new_pgp_key("GitHub <noreply@github.com>", 1);
    let repo = repo_trusting(&armored);
    let git = git2::Repository::open(repo.path()).unwrap();
    git.remote("origin", "https://github.com/mod-example/service.git")
        .unwrap();
    let web = [
        "sign",
        "--subject",
        "assessment:2026-01-05-self",
        "--type",
        "report_approval",
        "--by",
        "p-sro",
        "--date",
        "2026-01-06",
        "--web",
    ];
    let (code, stdout, stderr) = run(repo.assure(&web));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("warning"), "{stdout}");
    let link = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("https://"))
        .expect("a link");
    let query = link.split_once("?filename=").unwrap().1;
    let (filename, value) = query.split_once("&value=").unwrap();
    // The SRO opens the link and commits the file as it is, in the browser.
    repo.write(&percent_decode(filename), percent_decode(value));
    repo.commit_platform_signed(
        SRO_WEB,
        "2026-01-06",
        "Create S-0001.yaml",
        Platform::WebEditor(&platform),
    );
    let (code, report) = verify(&repo);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["signoffs"][0]["verdict"], "valid");

    // Where signed commits are required and no platform key is trusted, --web says a
    // browser commit will not count, before anyone makes one.
    let untrusting = Repo::valid();
    untrusting.write(
        "assurance/project.yaml",
        format!("{PROJECT}policy:\n  signoff: {{require_signed_commits: true}}\n"),
    );
    untrusting.write("assurance/people.yaml", PEOPLE_ON_GITHUB);
    untrusting.write("assurance/assessments/2026-01-05-self.yaml", ASSESSMENT);
    untrusting.commit_as(LEAD, "2026-01-05", "Records");
    git2::Repository::open(untrusting.path())
        .unwrap()
        .remote("origin", "https://github.com/mod-example/service.git")
        .unwrap();
    let (code, stdout, stderr) = run(untrusting.assure(&web));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("warning: the policy requires signed commits but trusts no platform key"),
        "{stdout}"
    );
}

/// Only a key valid when it signed vouches: a subkey that someone else's key binds, appended
/// to the platform key, does not; nor a key the file shows revoked.
#[test]
fn a_foreign_subkey_or_a_revoked_key_does_not_vouch() {
    use pgp::composed::{KeyType, SecretKeyParamsBuilder, SignedPublicKey, SubkeyParamsBuilder};
    use pgp::types::KeyDetails;
    use rand::SeedableRng;
    let (platform, _) = new_pgp_key("GitHub <noreply@github.com>", 1);
    // Mallory's own key, with a signing subkey bound by her primary key.
    let mut params = SecretKeyParamsBuilder::default();
    params
        .key_type(KeyType::Ed25519Legacy)
        .can_certify(true)
        .can_sign(false)
        .primary_user_id("Mallory <m@example.com>".into())
        .subkeys(vec![
            SubkeyParamsBuilder::default()
                .key_type(KeyType::Ed25519Legacy)
                .can_sign(true)
                .build()
                .unwrap(),
        ]);
    let mallory = params
        .build()
        .unwrap()
        .generate(rand::rngs::StdRng::seed_from_u64(9))
        .unwrap();
    let mut tampered = SignedPublicKey::from(platform.clone());
    tampered
        .public_subkeys
        .push(mallory.secret_subkeys[0].signed_public_key());
    let armored = tampered.to_armored_string(Default::default()).unwrap();
    let repo = repo_trusting(&armored);
    approve_in_the_browser(&repo, Platform::Subkey(&mallory));
    let (code, report) = verify(&repo);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        reasons(&report).contains("the platform key it names could not sign it"),
        "{report:#}"
    );

    // The platform key, revoked in the file the project trusts.
    let mut revoked = SignedPublicKey::from(platform.clone());
    let mut config = pgp::packet::SignatureConfig::v4(
        pgp::packet::SignatureType::KeyRevocation,
        platform.primary_key.algorithm(),
        pgp::crypto::hash::HashAlgorithm::Sha256,
    );
    config.hashed_subpackets = vec![
        pgp::packet::Subpacket::regular(pgp::packet::SubpacketData::SignatureCreationTime(
            pgp::types::Timestamp::from_secs(noon("2026-01-01") as u32),
        ))
        .unwrap(),
        pgp::packet::Subpacket::regular(pgp::packet::SubpacketData::IssuerFingerprint(
            platform.primary_key.fingerprint(),
        ))
        .unwrap(),
    ];
    let revocation = config
        .sign_key(
            &platform.primary_key,
            &pgp::types::Password::empty(),
            &revoked.primary_key,
        )
        .unwrap();
    revoked.details.revocation_signatures.push(revocation);
    let revoked_armored = revoked.to_armored_string(Default::default()).unwrap();
    let repo = repo_trusting(&revoked_armored);
    let commit = approve_in_the_browser(&repo, Platform::WebEditor(&platform));
    let (code, report) = verify(&repo);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        reasons(&report).contains("the platform key it names could not sign it"),
        "{report:#}"
    );
    // GnuPG agrees the signature is good, and that the key is revoked.
    gpg_agrees(&repo, &revoked_armored, commit, true);
}

/// A commit that brings its own trust cannot vouch for itself, even as the first commit
/// (an orphan history merged in keeping only the sign-off).
#[test]
fn a_first_commit_does_not_vouch_for_its_own_sign_off() {
    let (platform, armored) = new_pgp_key("GitHub <noreply@github.com>", 1);
    let repo = Repo::valid();
    repo.write("assurance/project.yaml", format!("{PROJECT}{POLICY}"));
    repo.write("assurance/people.yaml", PEOPLE_ON_GITHUB);
    repo.write("assurance/assessments/2026-01-05-self.yaml", ASSESSMENT);
    repo.write("assurance/keys/web-flow.asc", &armored);
    write_approval(&repo);
    repo.commit_platform_signed(
        SRO_WEB,
        "2026-01-06",
        "Everything at once",
        Platform::WebEditor(&platform),
    );
    let (code, report) = verify(&repo);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        reasons(&report).contains("people.yaml as it was before"),
        "{report:#}"
    );
}

/// A key swapped in on a branch, used by a sign-off, and swapped back before the end: the
/// two ends of the change are the same, but the sign-off was judged by the key in between.
/// `diff` (and so the pull-request comment) says so.
#[test]
fn trust_changed_and_changed_back_within_a_change_is_shown() {
    let (platform, armored) = new_pgp_key("GitHub <noreply@github.com>", 1);
    let (mallory, mallory_public) = new_pgp_key("Mallory <m@example.com>", 4);
    let repo = repo_trusting(&armored);
    let base = git2::Repository::open(repo.path())
        .unwrap()
        .head()
        .unwrap()
        .target()
        .unwrap()
        .to_string();
    repo.write(
        "assurance/keys/web-flow.asc",
        format!("{armored}{mallory_public}"),
    );
    repo.commit_as(("Mallory", "m@example.com"), "2026-01-06", "Tidy keys");
    let signed = approve_in_the_browser(&repo, Platform::WebEditor(&mallory));
    repo.write("assurance/keys/web-flow.asc", &armored);
    repo.commit_as(("Mallory", "m@example.com"), "2026-01-06", "Undo tidy");
    let _ = platform;
    let (code, stdout, stderr) = run(repo.assure(&["diff", &base, "HEAD"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!(
            "warning: S-0001.yaml added in {} rests on a version of keys/web-flow.asc that is neither the base's nor this change's",
            &signed.to_string()[..10]
        )),
        "{stdout}"
    );
}
