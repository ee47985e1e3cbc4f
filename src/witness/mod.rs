//! Git as the witness of sign-offs (SIGN-4). A sign-off in a YAML file proves nothing on its
//! own; the repository's history can: who committed it, whether that commit carries the
//! signer's SSH signature, who wrote what was signed, and whether the file was edited after.
//!
//! The checks, each on when the policy says so (`policy.signoff`):
//! - `require_git_author`: the commit that added the sign-off file was authored by the
//!   signer (their e-mail in people.yaml, or the GitHub no-reply address of their `github`);
//! - `require_signed_commits`: that commit carries a valid SSH signature (git's SSHSIG, the
//!   `git` namespace) by one of the signer's `signing_keys`, verified here in Rust;
//! - `separation_of_duties`: the signer wrote none of what the sign-off binds;
//! - with any of those on: the sign-off file is committed, in the one version a qualifying
//!   commit wrote, and time and tenure hold by the history (see `judge`). With all three
//!   off, git is not consulted at all.
//!
//! Who the signer is (e-mail, GitHub login, keys, roles) is read from people.yaml as it was
//! before the commit that added the sign-off.

use crate::hash::HashMap;
use git2::{Oid, Repository};
use ssh_key::{HashAlg, PublicKey, SshSig};

use crate::dates::Date;
use crate::git::short;
use crate::history::Identity;
use crate::records::load::Sources;
use crate::records::{Person, Record, RecordSet, SignOff};

mod judge;
pub mod platform;
pub use judge::{Authorship, authorship, examine};

/// What git says about one sign-off that stops it counting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitFlaw {
    /// The file is in the working tree but not committed.
    NotCommitted,
    /// The file differs from the committed one (uncommitted edits).
    EditedUncommitted,
    /// A different version of the file was written somewhere in the history: a sign-off is
    /// written once.
    EditedSince { commit: Oid, by: Identity },
    /// The commit that added it was authored by someone else.
    NotAuthoredBySigner { commit: Oid, by: Identity },
    /// The commit that added it carries no signature.
    NotSigned { commit: Oid },
    /// The signature is not an SSH signature, or does not verify.
    BadSignature { commit: Oid, why: String },
    /// A valid SSH signature, but not by any of the signer's keys.
    SignedByAnotherKey { commit: Oid, fingerprint: String },
    /// The signer has no `signing_keys` to check against.
    NoSigningKeys,
    /// The signer wrote the change they approved.
    SignerAuthoredSubject { commit: Oid },
    /// There is no git repository to check against.
    NoRepository,
    /// people.yaml as it was before the commit that added it does not name the signer.
    UnknownBefore { commit: Oid },
    /// In people.yaml as it was before the commit that added it, the signer did not hold
    /// the role the sign-off needs on its date.
    NotEntitledBefore { commit: Oid, on: Date },
    /// It was added (or reached the main line) after people.yaml recorded the signer's role
    /// as ended.
    RoleEnded { commit: Oid, ended: Oid },
    /// The commit that added it does not hold the version of the subject it signs.
    SubjectNotInCommit { commit: Oid },
    /// It is dated before the version it signs existed in the history.
    DatedBeforeSubject { commit: Oid, day: Date },
    /// It was committed before the day it gives for the decision.
    DatedAfterCommit { commit: Oid, day: Date },
    /// It was added on a branch, and people.yaml (or the platform keys) as they stood on the
    /// main line just before it arrived there (`landed`) do not vouch for its commit's
    /// author or signature: the trust it rests on never reached the main line.
    NotVouchedOnMainLine { commit: Oid, landed: Oid },
    /// A platform key signed it, but the platform re-wrote a commit someone else made (its
    /// author date is not its commit date, as after a rebase merge), so it proves no author.
    PlatformRewrote { commit: Oid },
}

impl GitFlaw {
    /// In words, with `signer` the person who signed.
    pub fn describe(&self, signer: Option<&Person>, signed_by: &str) -> String {
        let who = signer.map_or_else(
            || signed_by.to_owned(),
            |p| format!("{} <{}>", p.name, p.email),
        );
        match self {
            GitFlaw::NotCommitted => "it is not yet committed".to_owned(),
            GitFlaw::EditedUncommitted => "it has uncommitted edits".to_owned(),
            GitFlaw::EditedSince { commit, by } => {
                format!(
                    "it has been written more than once: another version is in {} by {by}, and a sign-off is written once",
                    short(*commit)
                )
            }
            GitFlaw::NotAuthoredBySigner { commit, by } => {
                format!(
                    "it was committed in {} by {by}, not by the signer, {who}",
                    short(*commit)
                )
            }
            GitFlaw::NotSigned { commit } => format!(
                "the commit that added it, {}, is not signed",
                short(*commit)
            ),
            GitFlaw::BadSignature { commit, why } => {
                format!("the signature on {} does not verify: {why}", short(*commit))
            }
            GitFlaw::SignedByAnotherKey {
                commit,
                fingerprint,
            } => format!(
                "{} is signed by key {fingerprint}, which is not one of {signed_by}'s signing_keys",
                short(*commit)
            ),
            GitFlaw::NoSigningKeys => format!(
                "{signed_by} has no signing_keys in people.yaml to check the signature with"
            ),
            GitFlaw::SignerAuthoredSubject { commit } => format!(
                "{signed_by} wrote the change they approved ({}); someone else must author what the SRO signs",
                short(*commit)
            ),
            GitFlaw::NoRepository => {
                "the records are not in a git repository, so who signed cannot be checked"
                    .to_owned()
            }
            GitFlaw::UnknownBefore { commit } => format!(
                "people.yaml as it was before {} added it has no {signed_by}",
                short(*commit)
            ),
            GitFlaw::NotEntitledBefore { commit, on } => format!(
                "in people.yaml as it was before {} added it, {signed_by} could not sign it on {on}",
                short(*commit)
            ),
            GitFlaw::RoleEnded { commit, ended } => format!(
                "{} brought it in after people.yaml recorded the end of {signed_by}'s role, in {}",
                short(*commit),
                short(*ended)
            ),
            GitFlaw::NotVouchedOnMainLine { commit, landed } => format!(
                "{} was vouched for by a people.yaml or platform key that the main line never held: where it arrived, in {}, {signed_by}'s e-mail or keys did not match its author or signature",
                short(*commit),
                short(*landed)
            ),
            GitFlaw::SubjectNotInCommit { commit } => format!(
                "the commit that added it, {}, does not hold the version it signs",
                short(*commit)
            ),
            GitFlaw::DatedBeforeSubject { commit, day } => format!(
                "it is dated before the version it signs existed: that version was written in {} on {day}",
                short(*commit)
            ),
            GitFlaw::DatedAfterCommit { commit, day } => format!(
                "it was committed in {} on {day}, before the day it gives for the decision",
                short(*commit)
            ),
            GitFlaw::PlatformRewrote { commit } => format!(
                "{} is signed by a platform key, but the platform re-wrote it from a commit made earlier (as a rebase merge does), so the signature does not show who wrote it",
                short(*commit)
            ),
        }
    }

    /// What to do about it; `signed_commits`: whether the policy asks for signed commits.
    pub fn remedy(&self, signoff: &Record<SignOff>, signed_commits: bool) -> String {
        match self {
            GitFlaw::NotCommitted | GitFlaw::EditedUncommitted => format!(
                "the signer commits it{}: git add {path} && {}",
                if signed_commits { ", signed" } else { "" },
                commit_command(signoff, signed_commits),
                path = signoff.file,
            ),
            GitFlaw::EditedSince { .. } => {
                "restore the file as it was signed (git log -p shows it), and record any change as a new sign-off".to_owned()
            }
            GitFlaw::NotAuthoredBySigner { .. }
            | GitFlaw::NotSigned { .. }
            | GitFlaw::BadSignature { .. }
            | GitFlaw::PlatformRewrote { .. } => format!(
                "have {} record the decision again as a new sign-off, committed (signed) by them",
                signoff.signed_by
            ),
            GitFlaw::SignedByAnotherKey { .. } | GitFlaw::NoSigningKeys => format!(
                "add {}'s SSH public key to signing_keys in people.yaml, or have them sign with the key listed there",
                signoff.signed_by
            ),
            GitFlaw::SignerAuthoredSubject { .. } => {
                "have someone other than the SRO make the change, then the SRO signs it".to_owned()
            }
            GitFlaw::NoRepository => "keep the records in a git repository".to_owned(),
            GitFlaw::NotVouchedOnMainLine { .. } => {
                "change who may sign (people.yaml, platform keys) in a pull request of its own, merged before the sign-off's; then the SRO signs again".to_owned()
            }
            GitFlaw::UnknownBefore { .. }
            | GitFlaw::NotEntitledBefore { .. }
            | GitFlaw::RoleEnded { .. } => {
                "the SRO in post records the decision as a new sign-off; changes to people.yaml take effect for sign-offs added after them".to_owned()
            }
            GitFlaw::SubjectNotInCommit { .. }
            | GitFlaw::DatedBeforeSubject { .. }
            | GitFlaw::DatedAfterCommit { .. } => {
                "the SRO records the decision again, once what they sign is committed, dated the day they decide".to_owned()
            }
        }
    }
}

/// The `git commit` that records `signoff`: signed (`-S`) when the policy asks for it.
pub fn commit_command(signoff: &SignOff, signed: bool) -> String {
    format!(
        "git commit{} -m \"{}: {} of {}\"",
        if signed { " -S" } else { "" },
        signoff.id,
        signoff.kind.as_str(),
        signoff.subject
    )
}

/// The git evidence for one committed sign-off.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub commit: Oid,
    pub author: Identity,
    pub day: Date,
    /// The key whose valid signature the commit carries.
    pub signed_with: Option<Signed>,
}

/// What git says about every sign-off.
#[derive(Debug, Default)]
pub struct Witness {
    pub flaws: HashMap<String, Vec<GitFlaw>>,
    pub evidence: HashMap<String, Evidence>,
}

impl Witness {
    pub fn flaws(&self, id: &str) -> &[GitFlaw] {
        self.flaws.get(id).map_or(&[], Vec::as_slice)
    }

    /// Only the flaws that belong to the commit that added a sign-off, and so hold at any
    /// later point in history (an edit after adding is judged at the end of a period only).
    pub fn intrinsic(&self) -> Witness {
        let mut out = Witness::default();
        for (id, flaws) in &self.flaws {
            let kept: Vec<GitFlaw> = flaws
                .iter()
                .filter(|f| {
                    !matches!(
                        f,
                        GitFlaw::NotCommitted
                            | GitFlaw::EditedUncommitted
                            | GitFlaw::EditedSince { .. }
                    )
                })
                .cloned()
                .collect();
            if !kept.is_empty() {
                out.flaws.insert(id.clone(), kept);
            }
        }
        out
    }

    /// No repository: every sign-off is unproven if the policy asks for git checks.
    pub fn without_repository(set: &RecordSet) -> Witness {
        let mut witness = Witness::default();
        if set.policy.signoff.any() {
            for s in &set.signoffs {
                witness
                    .flaws
                    .insert(s.id.clone(), vec![GitFlaw::NoRepository]);
            }
        }
        witness
    }
}

/// Whether git's author `who` is `person`: their e-mail, or the GitHub no-reply address of
/// their GitHub user name (`login@users.noreply.github.com`, `123+login@…`).
pub fn is_person(who: &Identity, person: &Person) -> bool {
    let email = who.email.to_ascii_lowercase();
    if email == person.email.to_ascii_lowercase() {
        return true;
    }
    let Some(login) = &person.github else {
        return false;
    };
    let Some(local) = email.strip_suffix("@users.noreply.github.com") else {
        return false;
    };
    let local = local.split_once('+').map_or(local, |(_, l)| l);
    local == login.to_ascii_lowercase()
}

/// A commit signature that verifies, and with what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed {
    /// An SSH signature by one of the signer's `signing_keys`: the key's fingerprint.
    Ssh(String),
    /// An OpenPGP signature by a platform key (the platform authenticated the author).
    Platform { fingerprint: String, file: String },
}

impl Signed {
    /// The key, as its fingerprint.
    pub fn fingerprint(&self) -> &str {
        match self {
            Signed::Ssh(f) | Signed::Platform { fingerprint: f, .. } => f,
        }
    }
}

/// Verify the signature on `commit`: an SSH signature against the signer's `keys`, or an
/// OpenPGP one against the platform keys `platform` gives (read only when needed).
pub fn check_signature(
    repo: &Repository,
    commit: Oid,
    keys: &[String],
    platform: impl FnOnce() -> Vec<platform::KeyFile>,
) -> std::result::Result<Signed, GitFlaw> {
    let Ok((signature, signed)) = repo.extract_signature(&commit, None) else {
        return Err(GitFlaw::NotSigned { commit });
    };
    let text = String::from_utf8_lossy(&signature);
    let bad = |why: String| GitFlaw::BadSignature { commit, why };
    if platform::is_openpgp(&text) {
        return match platform::verify(&text, &signed, &platform()) {
            platform::Verdict::Platform { fingerprint, file } => {
                Ok(Signed::Platform { fingerprint, file })
            }
            platform::Verdict::OtherKey { key } => Err(bad(format!(
                "it is an OpenPGP (GPG) signature by key {key}, which is not a platform key in the policy; a person's GPG signature is not checked: sign with SSH (git config gpg.format ssh)"
            ))),
            platform::Verdict::Mismatch => Err(bad(
                "the signature does not match the commit's content".to_owned(),
            )),
            platform::Verdict::KeyNotValid => Err(bad(
                "the platform key it names could not sign it: a subkey the key does not bind for signing, or a key revoked or expired when it was made".to_owned(),
            )),
            platform::Verdict::Unreadable(why) => Err(bad(format!("it cannot be read ({why})"))),
        };
    }
    if !text
        .trim_start()
        .starts_with("-----BEGIN SSH SIGNATURE-----")
    {
        return Err(bad(
            "it is not an SSH signature (X.509 is not checked); sign with SSH: git config gpg.format ssh".to_owned(),
        ));
    }
    let sig = SshSig::from_pem(text.trim().as_bytes())
        .map_err(|e| bad(format!("it cannot be read ({e})")))?;
    if sig.namespace() != "git" {
        return Err(bad(format!(
            "it is for the `{}` namespace, not `git`",
            sig.namespace()
        )));
    }
    if keys.is_empty() {
        return Err(GitFlaw::NoSigningKeys);
    }
    for key in keys {
        let Ok(public) = PublicKey::from_openssh(key) else {
            continue;
        };
        if public.key_data() == sig.public_key() {
            return match public.verify("git", &signed, &sig) {
                Ok(()) => Ok(Signed::Ssh(public.fingerprint(HashAlg::Sha256).to_string())),
                Err(_) => Err(bad(
                    "the signature does not match the commit's content".to_owned()
                )),
            };
        }
    }
    Err(GitFlaw::SignedByAnotherKey {
        commit,
        fingerprint: sig.public_key().fingerprint(HashAlg::Sha256).to_string(),
    })
}

/// Where the records being evaluated came from, for the witness.
pub enum Checkout<'a> {
    /// The working tree, as read: compare each sign-off file with HEAD.
    WorkTree(&'a Sources),
    /// A revision read with `--at`, as read: the files are that commit's.
    Revision(&'a Sources),
}

impl<'a> Checkout<'a> {
    /// The files as read.
    pub fn sources(&self) -> &'a Sources {
        match self {
            Checkout::WorkTree(sources) | Checkout::Revision(sources) => sources,
        }
    }
}
