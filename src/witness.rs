//! Git as the witness of sign-offs (SIGN-4). A sign-off in a YAML file proves nothing on its
//! own; the repository's history can: who committed it, whether that commit carries the
//! signer's SSH signature, who wrote what was signed, and whether the file was edited after.
//!
//! The checks, each on when the policy says so (`policy.signoff`):
//! - `require_git_author`: the commit that added the sign-off file was authored by the
//!   signer (their e-mail in people.yaml, or the GitHub no-reply address of their `github`);
//! - `require_signed_commits`: that commit carries a valid SSH signature (git's SSHSIG, the
//!   `git` namespace) by one of the signer's `signing_keys`, verified here in Rust;
//! - `separation_of_duties`: the signer did not author the last change to the subject made
//!   up to the sign-off;
//! - with any of those on: the sign-off file is committed and has not been edited since it
//!   was added. With all three off, git is not consulted at all.

use git2::{ObjectType, Oid, Repository};
use ssh_key::{HashAlg, PublicKey, SshSig};
use std::collections::HashMap;

use crate::dates::Date;
use crate::error::{Error, Result};
use crate::git::short;
use crate::history::{self, ChangeKind, FileIndex, History, Identity};
use crate::records::digest::Digest;
use crate::records::load::Sources;
use crate::records::{Person, Record, RecordSet, SignOff, signed, yaml};

/// What git says about one sign-off that stops it counting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitFlaw {
    /// The file is in the working tree but not committed.
    NotCommitted,
    /// The file differs from the committed one (uncommitted edits).
    EditedUncommitted,
    /// The file was changed after the commit that added it.
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
                    "it was edited after it was added, in {} by {by}",
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
            GitFlaw::NotAuthoredBySigner { .. } | GitFlaw::NotSigned { .. } | GitFlaw::BadSignature { .. } => format!(
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
        }
    }
}

/// Who wrote a subject as it stands: what git will show `verify` when a sign-off of it is
/// committed now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorship {
    /// Git cannot say: no repository, or the change is beyond a shallow clone's edge.
    Unknown,
    /// The file has changes that are not committed (or is not committed at all).
    Uncommitted,
    /// The last commit that changed it.
    Committed { commit: Oid, author: Identity },
}

/// Who wrote what a sign-off of `path` (relative to the repository root, under the records
/// folder `dir`) binds, as it is in the working tree (`text`): the author of the last change
/// to its signed view. Upkeep, committed or not, is passed over.
pub fn authorship(repo: &Repository, dir: &str, path: &str, text: &str) -> Result<Authorship> {
    let Some(head) = crate::git::head(repo) else {
        return Ok(Authorship::Uncommitted);
    };
    let committed = repo
        .find_commit(head)?
        .tree()?
        .get_path(std::path::Path::new(path))
        .ok()
        .map(|entry| entry.id());
    let working = yaml::parse_value(text)
        .ok()
        .and_then(|v| signed::digest_of_record(&v));
    if working.is_none() || working != signed_digest(repo, committed) {
        return Ok(Authorship::Uncommitted);
    }
    let history = history::walk(repo, head, dir, |_| {})?;
    let index = FileIndex::new(&history);
    Ok(match last_signed_change(repo, &history, &index, path, 0) {
        Some(i) => Authorship::Committed {
            commit: history.commits[i].id,
            author: history.commits[i].author.clone(),
        },
        None => Authorship::Unknown,
    })
}

/// The digest of the signed view of the record in blob `id`: what a sign-off of it binds.
/// `None` for no blob, or one that is not a record.
fn signed_digest(repo: &Repository, id: Option<Oid>) -> Option<Digest> {
    let blob = repo.find_blob(id?).ok()?;
    let text = std::str::from_utf8(blob.content()).ok()?;
    signed::digest_of_record(&yaml::parse_value(text).ok()?)
}

/// The newest commit, at or before index `from` in `history` (newest first), that changed
/// what a sign-off of `path` binds: a change of upkeep alone is passed over.
fn last_signed_change(
    repo: &Repository,
    history: &History,
    index: &FileIndex,
    path: &str,
    from: usize,
) -> Option<usize> {
    index
        .changes(path)
        .iter()
        .filter(|(i, _)| *i >= from)
        .find(|(i, _)| {
            history.commits[*i]
                .changes
                .iter()
                .find(|c| c.path == path)
                .is_none_or(|c| signed_digest(repo, c.old) != signed_digest(repo, c.new))
        })
        .map(|(i, _)| *i)
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
    /// The fingerprint of the key whose valid SSH signature the commit carries.
    pub signed_with: Option<String>,
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

/// Verify the SSH signature on `commit` against `keys`. Ok(fingerprint) when one matches.
pub fn check_signature(
    repo: &Repository,
    commit: Oid,
    keys: &[String],
) -> std::result::Result<String, GitFlaw> {
    let Ok((signature, signed)) = repo.extract_signature(&commit, None) else {
        return Err(GitFlaw::NotSigned { commit });
    };
    let text = String::from_utf8_lossy(&signature);
    if !text
        .trim_start()
        .starts_with("-----BEGIN SSH SIGNATURE-----")
    {
        return Err(GitFlaw::BadSignature {
            commit,
            why: "it is not an SSH signature (GPG and X.509 are not checked); sign with SSH: git config gpg.format ssh".to_owned(),
        });
    }
    let sig = SshSig::from_pem(text.trim().as_bytes()).map_err(|e| GitFlaw::BadSignature {
        commit,
        why: format!("it cannot be read ({e})"),
    })?;
    if sig.namespace() != "git" {
        return Err(GitFlaw::BadSignature {
            commit,
            why: format!("it is for the `{}` namespace, not `git`", sig.namespace()),
        });
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
                Ok(()) => Ok(public.fingerprint(HashAlg::Sha256).to_string()),
                Err(_) => Err(GitFlaw::BadSignature {
                    commit,
                    why: "the signature does not match the commit's content".to_owned(),
                }),
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
    /// The working tree: compare each sign-off file with HEAD.
    WorkTree(&'a Sources),
    /// A revision read with `--at`: the files are that commit's.
    Revision,
}

/// Examine every sign-off of `set` against the history reachable from `head` (None: an
/// empty repository). A shallow clone missing the commit that added a sign-off is an error
/// naming the fix, never a guess.
pub fn examine(
    repo: &Repository,
    head: Option<Oid>,
    dir: &str,
    set: &RecordSet,
    checkout: Checkout<'_>,
) -> Result<Witness> {
    let mut witness = Witness::default();
    if set.signoffs.is_empty() || !set.policy.signoff.any() {
        return Ok(witness);
    }
    let history = match head {
        Some(head) => history::walk(repo, head, dir, |_| {})?,
        None => History::default(),
    };
    let index = FileIndex::new(&history);
    // Every blob under the records folder at `head`, read once.
    let mut committed_blobs: HashMap<String, Oid> = HashMap::new();
    if let Some(head) = head
        && let Some(tree) = crate::git::records_tree(repo, head, dir)?
    {
        tree.walk(git2::TreeWalkMode::PreOrder, |parent, entry| {
            if entry.kind() == Some(ObjectType::Blob)
                && let Ok(name) = entry.name()
            {
                committed_blobs.insert(format!("{dir}/{parent}{name}"), entry.id());
            }
            git2::TreeWalkResult::Ok
        })?;
    }
    let mut signatures: HashMap<(Oid, &str), std::result::Result<String, GitFlaw>> = HashMap::new();
    let policy = &set.policy.signoff;
    let mut missing = Vec::new();

    for signoff in &set.signoffs {
        let path = signoff.file.to_string();
        let mut flaws = Vec::new();
        let Some(&committed) = committed_blobs.get(&path) else {
            flaws.push(GitFlaw::NotCommitted);
            witness.flaws.insert(signoff.id.clone(), flaws);
            continue;
        };
        if let Checkout::WorkTree(sources) = &checkout
            && let Some(text) = sources.text(&path)
            && Oid::hash_object(ObjectType::Blob, text.as_bytes()).ok() != Some(committed)
        {
            flaws.push(GitFlaw::EditedUncommitted);
        }
        // The newest change that added the file, and any edits since.
        let changes = index.changes(&path);
        let added = changes
            .iter()
            .position(|(_, kind)| *kind == ChangeKind::Added);
        let Some(added) = added else {
            missing.push(path);
            continue;
        };
        if let Some((edit, _)) = changes[..added]
            .iter()
            .rev()
            .find(|(_, k)| *k == ChangeKind::Modified)
        {
            let commit = &history.commits[*edit];
            flaws.push(GitFlaw::EditedSince {
                commit: commit.id,
                by: commit.author.clone(),
            });
        }
        let (at, _) = changes[added];
        let commit = &history.commits[at];
        let signer = set.person(&signoff.signed_by);
        if policy.require_git_author && !signer.is_some_and(|p| is_person(&commit.author, p)) {
            flaws.push(GitFlaw::NotAuthoredBySigner {
                commit: commit.id,
                by: commit.author.clone(),
            });
        }
        let keys = signer.map_or(&[][..], |p| p.signing_keys.as_slice());
        let checked = signatures
            .entry((commit.id, signoff.signed_by.as_str()))
            .or_insert_with(|| check_signature(repo, commit.id, keys))
            .clone();
        let signed_with = match checked {
            Ok(fingerprint) => Some(fingerprint),
            Err(flaw) => {
                if policy.require_signed_commits {
                    flaws.push(flaw);
                }
                None
            }
        };
        if policy.separates(signoff.kind)
            && let (Some(subject), Some(signer)) =
                (set.subject(&signoff.subject).map(|(file, _)| file), signer)
            && let Some(i) = last_signed_change(repo, &history, &index, subject, at)
            && is_person(&history.commits[i].author, signer)
        {
            // The last change to what is signed, made up to (and including) the sign-off's
            // commit, is the signer's own. Upkeep by others does not launder it.
            flaws.push(GitFlaw::SignerAuthoredSubject {
                commit: history.commits[i].id,
            });
        }
        witness.evidence.insert(
            signoff.id.clone(),
            Evidence {
                commit: commit.id,
                author: commit.author.clone(),
                day: commit.day,
                signed_with,
            },
        );
        if !flaws.is_empty() {
            witness.flaws.insert(signoff.id.clone(), flaws);
        }
    }
    if !missing.is_empty() {
        let shallow = !history.shallow_edges.is_empty() || repo.is_shallow();
        let first = &missing[0];
        let more = if missing.len() > 1 {
            format!(" (and {} more)", missing.len() - 1)
        } else {
            String::new()
        };
        return Err(Error::HistoryMissing {
            message: if shallow {
                format!(
                    "this is a shallow clone: the commit that added {first}{more} is not in it, so the sign-off cannot be verified"
                )
            } else {
                format!(
                    "the history does not show the commit that added {first}{more}, so the sign-off cannot be verified"
                )
            },
        });
    }
    Ok(witness)
}
