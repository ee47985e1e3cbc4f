//! Judging each sign-off against the whole history reachable from HEAD, across every parent
//! of every merge and never by the order of dates:
//!
//! - The version of the file in force must be exactly one written by a commit that
//!   qualifies (authored, and signed if required, by the signer); any other version written
//!   anywhere in the history makes it invalid, naming the commit. A merge is credited only
//!   with content that matches none of its parents, so a version smuggled in from a branch is
//!   credited to the branch commit that wrote it.
//! - Who the signer is (e-mail, GitHub login, keys, roles) is read from people.yaml as it was
//!   before the commit that added the sign-off, so a commit cannot vouch for itself.
//! - Time and tenure are judged by the history, not by dates the signer writes: a sign-off
//!   brought in after people.yaml recorded the end of the signer's role does not count, nor
//!   one dated before the version it signs existed, nor one committed before its own date.
//! - Separation of duties asks who wrote what is signed: the authors of every commit that
//!   produced the signed view, not of upkeep since.

use crate::hash::HashMap;
use crate::source::joined;
use git2::{ObjectType, Oid, Repository};
use std::path::Path;
use std::sync::Arc;

use super::platform::KeyFile;
use super::{Checkout, Evidence, GitFlaw, Signed, Witness, check_signature, is_person};
use crate::dates::Date;
use crate::error::{Error, Result};
use crate::history::{self, FileIndex, History, Identity};
use crate::records::digest::Digest;
use crate::records::{
    People, Person, RecordSet, Role, SignOff, SignOffType, Subject, signed, yaml,
};

/// Who wrote what a sign-off of a subject would bind, as git shows it: for `assure sign`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorship {
    /// Git cannot say: no repository, or the history is beyond a shallow clone's edge.
    Unknown,
    /// What would be signed has changes that are not committed.
    Uncommitted,
    /// The commits that wrote what would be signed (its signed view), with their authors
    /// and the days they were made.
    Committed(Vec<(Oid, Identity, Date)>),
}

/// Who wrote what a sign-off of `path` (relative to the repository root, under the records
/// folder `dir`) binds, as it is in the working tree (`text`). Upkeep, committed or not, is
/// passed over.
pub fn authorship(repo: &Repository, dir: &str, path: &str, text: &str) -> Result<Authorship> {
    let Some(head) = crate::git::head(repo) else {
        return Ok(Authorship::Uncommitted);
    };
    let Some(working) = yaml::parse_value(text)
        .ok()
        .and_then(|v| signed::digest_of_record(&v))
    else {
        return Ok(Authorship::Uncommitted);
    };
    let committed = blob_at(repo, head, path);
    let mut digests = Digests::default();
    if digests.of(repo, committed) != Some(working) {
        return Ok(Authorship::Uncommitted);
    }
    let history = history::walk(repo, head, dir, |_| {})?;
    let index = FileIndex::new(&history);
    let producers = producers(repo, &history, &index, &mut digests, path, &working);
    if producers.is_empty() {
        return Ok(Authorship::Unknown);
    }
    Ok(Authorship::Committed(
        producers
            .into_iter()
            .map(|i| {
                let c = &history.commits[i];
                (c.id, c.author.clone(), c.day)
            })
            .collect(),
    ))
}

/// Examine every sign-off of `set` against the history reachable from `head` (None: an
/// empty repository), or `walked`, that history already walked. A shallow clone missing the
/// commit that added a sign-off is an error naming the fix, never a guess.
pub fn examine(
    repo: &Repository,
    head: Option<Oid>,
    dir: &str,
    set: &RecordSet,
    checkout: Checkout<'_>,
    walked: Option<(History, FileIndex)>,
) -> Result<Witness> {
    let mut witness = Witness::default();
    if set.signoffs.is_empty() || !set.policy.signoff.any() {
        return Ok(witness);
    }
    let (history, index) = match (walked, head) {
        (Some(walked), Some(_)) => walked,
        (None, Some(head)) => history::indexed(history::walk(repo, head, dir, |_| {})?),
        (_, None) => Default::default(),
    };
    let hashed = Hashed::of(set, &checkout);
    let mut judge = Judge {
        repo,
        dir,
        set,
        head,
        history: &history,
        index: &index,
        digests: Digests::seeded(&hashed),
        people: HashMap::default(),
        signatures: HashMap::default(),
        key_files: HashMap::default(),
        blobs: Blobs::default(),
    };
    let mut missing = Vec::new();
    for (signoff, hashed) in set.signoffs.iter().zip(&hashed) {
        let path = signoff.file.to_string();
        let mut flaws = Vec::new();
        let Some(committed) = head.and_then(|h| judge.blobs.at(repo, h, &path)) else {
            witness
                .flaws
                .insert(signoff.id.clone(), vec![GitFlaw::NotCommitted]);
            continue;
        };
        if let Checkout::WorkTree(_) = &checkout
            && hashed.own != Some(committed)
        {
            flaws.push(GitFlaw::EditedUncommitted);
        }
        // Every version of the file written anywhere in the history, newest first.
        let versions = versions(&history, &index, &path);
        let (writing, others): (Vec<_>, Vec<_>) =
            versions.iter().partition(|(_, blob)| *blob == committed);
        if writing.is_empty() {
            missing.push(path);
            continue;
        }
        for (i, _) in &others {
            let commit = &history.commits[*i];
            flaws.push(GitFlaw::EditedSince {
                commit: commit.id,
                by: commit.author.clone(),
            });
        }
        // The commit that wrote the version in force: one that qualifies, else the oldest.
        let judged: Vec<(usize, Vec<GitFlaw>, Option<Signed>)> = writing
            .iter()
            .map(|(i, _)| {
                let (flaws, signed_with) = judge.adding(signoff, *i)?;
                Ok((*i, flaws, signed_with))
            })
            .collect::<Result<_>>()?;
        let chosen = judged
            .iter()
            .find(|(_, flaws, _)| flaws.is_empty())
            .or(judged.last())
            .expect("at least one commit writes the version in force");
        let (at, commit_flaws, signed_with) = chosen.clone();
        flaws.extend(commit_flaws);
        // Where the sign-off reached the main line: read once, for the checks below.
        let landed = judge.landed(&path)?;
        if let Some(flaw) = judge.added_after_role_ended(signoff, at, landed)? {
            flaws.push(flaw);
        }
        if let Some(flaw) = judge.vouched_for_off_the_main_line(signoff, at, landed)? {
            flaws.push(flaw);
        }
        let commit = &history.commits[at];
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
            flaws.dedup();
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
    drop(judge);
    crate::parallel::free_aside((history, index));
    Ok(witness)
}

/// What one judgement of the history needs, with what it has read once.
struct Judge<'a> {
    repo: &'a Repository,
    dir: &'a str,
    set: &'a RecordSet,
    head: Option<Oid>,
    history: &'a History,
    index: &'a FileIndex,
    digests: Digests,
    /// people.yaml by blob, parsed.
    people: HashMap<Oid, Option<Arc<People>>>,
    signatures: HashMap<(Oid, String), std::result::Result<Signed, GitFlaw>>,
    /// Platform key files by blob, parsed (`None`: not OpenPGP keys).
    key_files: HashMap<Oid, Option<Arc<Vec<pgp::composed::SignedPublicKey>>>>,
    blobs: Blobs<'a>,
}

impl Judge<'_> {
    /// The flaws of `signoff` if the commit at index `at` is the one that added it, and the
    /// key its signature verifies with.
    fn adding(&mut self, signoff: &SignOff, at: usize) -> Result<(Vec<GitFlaw>, Option<Signed>)> {
        let policy = &self.set.policy.signoff;
        let commit = &self.history.commits[at];
        let mut flaws = Vec::new();
        // Who the signer is, as people.yaml said before this commit.
        let Some(signer) = self.person_before(commit.id, &signoff.signed_by)? else {
            return Ok((vec![GitFlaw::UnknownBefore { commit: commit.id }], None));
        };
        if policy.require_git_author && !is_person(&commit.author, &signer) {
            flaws.push(GitFlaw::NotAuthoredBySigner {
                commit: commit.id,
                by: commit.author.clone(),
            });
        }
        let cached = (commit.id, signoff.signed_by.clone());
        let checked = match self.signatures.get(&cached) {
            Some(checked) => checked.clone(),
            None => {
                let checked = check_signature(self.repo, commit.id, &signer.signing_keys, || {
                    self.platform_keys_before(commit.id)
                });
                self.signatures.insert(cached, checked.clone());
                checked
            }
        };
        let signed_with = match checked {
            Ok(signed) => {
                if policy.require_signed_commits
                    && let Signed::Platform { .. } = signed
                {
                    flaws.extend(self.platform_flaws(&signer, at)?);
                }
                Some(signed)
            }
            Err(flaw) => {
                if policy.require_signed_commits {
                    flaws.push(flaw);
                }
                None
            }
        };
        if !self.entitled(&signer, signoff) {
            flaws.push(GitFlaw::NotEntitledBefore {
                commit: commit.id,
                on: signoff.date,
            });
        }
        if let Some(ended) = self.role_ended_before(commit.id, &signoff.signed_by)? {
            flaws.push(GitFlaw::RoleEnded {
                commit: commit.id,
                ended,
            });
        }
        let day = self.local_day(commit.id)?;
        if day < signoff.date {
            flaws.push(GitFlaw::DatedAfterCommit {
                commit: commit.id,
                day,
            });
        }
        flaws.extend(self.subject_flaws(signoff, &signer, commit.id)?);
        Ok((flaws, signed_with))
    }

    /// What git says of the subject a sign-off added in `commit` binds: the commit holds the
    /// version signed, the sign-off is not dated before that version existed, and (under
    /// separation of duties) the signer wrote none of it.
    fn subject_flaws(
        &mut self,
        signoff: &SignOff,
        signer: &Person,
        commit: Oid,
    ) -> Result<Vec<GitFlaw>> {
        let Some((path, _)) = self.set.subject(&signoff.subject) else {
            return Ok(Vec::new());
        };
        let path = path.to_owned();
        let Ok(digest) = signoff.subject_digest.parse::<Digest>() else {
            return Ok(Vec::new());
        };
        let mut flaws = Vec::new();
        let held = self.blobs.at(self.repo, commit, &path);
        if self.digests.of(self.repo, held).as_ref() != Some(&digest) {
            flaws.push(GitFlaw::SubjectNotInCommit { commit });
        }
        // The commits, in this commit's history, that wrote the signed version.
        let producers: Vec<usize> = producers(
            self.repo,
            self.history,
            self.index,
            &mut self.digests,
            &path,
            &digest,
        )
        .into_iter()
        .filter(|i| {
            let id = self.history.commits[*i].id;
            id == commit || self.repo.graph_descendant_of(commit, id).unwrap_or(false)
        })
        .collect();
        if let Some(first) = producers
            .iter()
            .min_by_key(|i| self.history.commits[**i].day)
        {
            let written = &self.history.commits[*first];
            if signoff.date < written.day {
                flaws.push(GitFlaw::DatedBeforeSubject {
                    commit: written.id,
                    day: written.day,
                });
            }
        }
        if self.set.policy.signoff.separates(signoff.kind)
            && let Some(own) = producers
                .iter()
                .find(|i| is_person(&self.history.commits[**i].author, signer))
        {
            flaws.push(GitFlaw::SignerAuthoredSubject {
                commit: self.history.commits[*own].id,
            });
        }
        Ok(flaws)
    }

    /// Whether `signer` (as people.yaml described them before the sign-off was added) could
    /// sign it on its date: the SRO, or for a risk acceptance the policy's delegate role,
    /// never for a risk they own.
    fn entitled(&self, signer: &Person, signoff: &SignOff) -> bool {
        let date = signoff.date;
        let delegate = match (signoff.kind, &signoff.subject) {
            (SignOffType::RiskAcceptance, Subject::Risk(id)) => self
                .set
                .policy
                .signoff
                .acceptance_delegate
                .filter(|_| self.set.risk(id).is_none_or(|r| r.owner != signer.id)),
            _ => None,
        };
        signer.holds(Role::Sro, date) || delegate.is_some_and(|role| signer.holds(role, date))
    }

    /// What a platform signature on the commit at `at` does not prove: the platform vouches
    /// for the author it authenticated, so the author must be the signer; and a commit the
    /// platform re-wrote (a rebase merge keeps the original author and date) proves nothing
    /// of who wrote it.
    fn platform_flaws(&self, signer: &Person, at: usize) -> Result<Vec<GitFlaw>> {
        let commit = &self.history.commits[at];
        let mut flaws = Vec::new();
        if !is_person(&commit.author, signer) {
            flaws.push(GitFlaw::NotAuthoredBySigner {
                commit: commit.id,
                by: commit.author.clone(),
            });
        }
        let found = self.repo.find_commit(commit.id)?;
        if found.author().when().seconds() != found.committer().when().seconds() {
            flaws.push(GitFlaw::PlatformRewrote { commit: commit.id });
        }
        Ok(flaws)
    }

    /// The platform keys trusted before `commit`: the policy's `platform_keys` and the files
    /// they name, as they were in its first parent, as people.yaml is read.
    fn platform_keys_before(&mut self, commit: Oid) -> Vec<KeyFile> {
        let project = joined(self.dir, "project.yaml");
        let Ok(found) = self.repo.find_commit(commit) else {
            return Vec::new();
        };
        let Ok(at) = found.parent_id(0) else {
            return Vec::new();
        };
        let Some(names) = self
            .blobs
            .at(self.repo, at, &project)
            .and_then(|blob| platform_key_names(self.repo, blob))
        else {
            return Vec::new();
        };
        let mut files = Vec::new();
        for name in names {
            let path = joined(self.dir, &name);
            let Some(blob) = file_blob_at(self.repo, at, &path) else {
                continue;
            };
            let repo = self.repo;
            let keys = self
                .key_files
                .entry(blob)
                .or_insert_with(|| {
                    let found = small_blob(repo, blob)?;
                    let text = std::str::from_utf8(found.content()).ok()?;
                    super::platform::parse_keys(text).ok().map(Arc::new)
                })
                .clone();
            if let Some(keys) = keys {
                files.push(KeyFile {
                    name,
                    keys: keys.to_vec(),
                });
            }
        }
        files
    }

    /// The person `id` as people.yaml described them before `commit`: in its first parent
    /// (a sign-off in the commit that first adds people.yaml is not vouched for by anyone).
    fn person_before(&mut self, commit: Oid, id: &str) -> Result<Option<Person>> {
        let path = joined(self.dir, "people.yaml");
        let found = self.repo.find_commit(commit)?;
        // Never the commit itself: a commit (an orphan merged in, say) must not vouch for
        // its own sign-off.
        let blob = found
            .parent_id(0)
            .ok()
            .and_then(|parent| self.blobs.at(self.repo, parent, &path));
        Ok(self
            .people_in(blob)
            .and_then(|p| p.people.iter().find(|p| p.id == id).cloned()))
    }

    fn people_in(&mut self, blob: Option<Oid>) -> Option<Arc<People>> {
        let blob = blob?;
        let repo = self.repo;
        self.people
            .entry(blob)
            .or_insert_with(|| {
                let found = small_blob(repo, blob)?;
                let text = std::str::from_utf8(found.content()).ok()?;
                let value = yaml::parse_value(text).ok()?;
                serde_json::from_value(value).ok().map(Arc::new)
            })
            .clone()
    }

    /// A commit that `commit` descends from (or is) in which people.yaml first recorded that
    /// the SRO role of `id` had already ended on that commit's own day.
    fn role_ended_before(&mut self, commit: Oid, id: &str) -> Result<Option<Oid>> {
        for ended in self.role_endings(id)? {
            if ended == commit || self.repo.graph_descendant_of(commit, ended)? {
                return Ok(Some(ended));
            }
        }
        Ok(None)
    }

    /// Every commit that wrote a people.yaml in which the SRO role of `id` had ended by the
    /// commit's own day.
    fn role_endings(&mut self, id: &str) -> Result<Vec<Oid>> {
        let path = joined(self.dir, "people.yaml");
        let mut out = Vec::new();
        for (i, blob) in versions(self.history, self.index, &path) {
            let commit = self.history.commits[i].id;
            let day = self.local_day(commit)?;
            let ended = self
                .people_in(Some(blob))
                .and_then(|p| p.people.iter().find(|p| p.id == id).cloned())
                .is_some_and(|p| role_over(&p, day));
            if ended {
                out.push(commit);
            }
        }
        Ok(out)
    }

    /// A sign-off that was not in the history before a commit recording the end of its
    /// signer's role: added after the end, or carried in from a branch cut before it, however
    /// the branch was merged (with a merge commit, or by merging the main line into the branch
    /// and fast-forwarding). A role's end is what the history records; the dates the signer
    /// writes do not move it.
    fn added_after_role_ended(
        &mut self,
        signoff: &SignOff,
        at: usize,
        landed: Option<Oid>,
    ) -> Result<Option<GitFlaw>> {
        let added = self.history.commits[at].id;
        let endings = self.role_endings(&signoff.signed_by)?;
        for &ended in &endings {
            // Only the first commits to record the end: a later one descends from them.
            let mut first = true;
            for &other in &endings {
                if other != ended && self.repo.graph_descendant_of(ended, other)? {
                    first = false;
                    break;
                }
            }
            if first && ended != added && !self.repo.graph_descendant_of(ended, added)? {
                // Unless both reached the main line by merges, the sign-off's first: two
                // pull requests, the sign-off's merged before the handover's.
                if self.merged_before(added, landed, ended)? {
                    continue;
                }
                return Ok(Some(GitFlaw::RoleEnded {
                    commit: added,
                    ended,
                }));
            }
        }
        // A role whose end was written in advance (`to:` a later day) is over once commits
        // that others made after that day are on the main line: a sign-off arriving after
        // them does not count, whatever dates its own commit carries.
        if let Some(flaw) = self.landed_after_others_passed_the_end(signoff, added, landed)? {
            return Ok(Some(flaw));
        }
        Ok(None)
    }

    /// Whether the sign-off added in `added` reached the main line through a merge commit
    /// that the main line holds before the commit that brought `ended` onto it.
    fn merged_before(&mut self, added: Oid, landed: Option<Oid>, ended: Oid) -> Result<bool> {
        let Some(landed) = landed else {
            return Ok(false);
        };
        if landed == added {
            return Ok(false);
        }
        let Some(ended_landed) = self.landed_commit(ended)? else {
            return Ok(false);
        };
        Ok(landed != ended_landed && self.repo.graph_descendant_of(ended_landed, landed)?)
    }

    /// The oldest commit of HEAD's first-parent line that holds `target` in its history.
    fn landed_commit(&mut self, target: Oid) -> Result<Option<Oid>> {
        let Some(head) = self.head else {
            return Ok(None);
        };
        let mut landed = None;
        let mut commit = self.repo.find_commit(head)?;
        loop {
            let id = commit.id();
            if id != target && !self.repo.graph_descendant_of(id, target)? {
                break;
            }
            landed = Some(id);
            match commit.parent(0) {
                Ok(parent) => commit = parent,
                Err(_) => break,
            }
        }
        Ok(landed)
    }

    /// A commit on the main line before the sign-off arrived, made by someone other than the
    /// signer on a day after the end of the signer's role (as people.yaml records it now).
    fn landed_after_others_passed_the_end(
        &mut self,
        signoff: &SignOff,
        added: Oid,
        landed: Option<Oid>,
    ) -> Result<Option<GitFlaw>> {
        let Some(person) = self
            .set
            .people
            .as_ref()
            .and_then(|p| p.people.iter().find(|p| p.id == signoff.signed_by))
        else {
            return Ok(None);
        };
        let Some(end) = role_end(person) else {
            return Ok(None);
        };
        let Some(landed) = landed else {
            return Ok(None);
        };
        let mut commit = self.repo.find_commit(landed)?;
        // Back along the main line from where it arrived, while commits are dated after the
        // end (the main line's own order; a bounded look).
        for _ in 0..10_000 {
            let Ok(parent) = commit.parent(0) else {
                break;
            };
            commit = parent;
            let day = crate::git::local_day_of(commit.author().when());
            let committed = crate::git::day_of(commit.committer().when());
            if day.max(committed) <= end {
                break;
            }
            let by = history::identity_of(&commit.author());
            if day > end && !is_person(&by, person) {
                return Ok(Some(GitFlaw::RoleEnded {
                    commit: added,
                    ended: commit.id(),
                }));
            }
        }
        Ok(None)
    }

    /// The oldest commit of HEAD's first-parent line that holds `path`: where the sign-off
    /// reached the main line.
    fn landed(&mut self, path: &str) -> Result<Option<Oid>> {
        let Some(head) = self.head else {
            return Ok(None);
        };
        let mut landed = head;
        let mut commit = self.repo.find_commit(head)?;
        while let Ok(parent) = commit.parent(0) {
            if self.blobs.at(self.repo, parent.id(), path).is_none() {
                break;
            }
            landed = parent.id();
            commit = parent;
        }
        Ok(Some(landed))
    }

    /// A sign-off added on a branch is vouched for by people.yaml (and the platform keys) as
    /// they were before its commit, on that branch. It must also be vouched for by them as
    /// they stood on the main line just before it arrived there: a key or e-mail given to the
    /// signer on the branch and taken away again before the merge never reached the main
    /// line, so nobody reviewing the merge saw it.
    fn vouched_for_off_the_main_line(
        &mut self,
        signoff: &SignOff,
        at: usize,
        landed: Option<Oid>,
    ) -> Result<Option<GitFlaw>> {
        let commit = &self.history.commits[at];
        let Some(landed) = landed.filter(|&landed| landed != commit.id) else {
            return Ok(None);
        };
        let flaw = Some(GitFlaw::NotVouchedOnMainLine {
            commit: commit.id,
            landed,
        });
        let Some(signer) = self.person_before(landed, &signoff.signed_by)? else {
            return Ok(flaw);
        };
        let policy = &self.set.policy.signoff;
        if policy.require_git_author && !is_person(&commit.author, &signer) {
            return Ok(flaw);
        }
        if policy.require_signed_commits
            && check_signature(self.repo, commit.id, &signer.signing_keys, || {
                self.platform_keys_before(landed)
            })
            .is_err()
        {
            return Ok(flaw);
        }
        Ok(None)
    }

    /// The day of `commit`'s author date, in the author's own time zone: the day they mean.
    fn local_day(&self, commit: Oid) -> Result<Date> {
        let time = self.repo.find_commit(commit)?.author().when();
        Ok(crate::git::local_day_of(time))
    }
}

/// The platform key files the project record in `blob` names, inside the records folder.
fn platform_key_names(repo: &Repository, blob: Oid) -> Option<Vec<String>> {
    let found = small_blob(repo, blob)?;
    let value = yaml::parse_value(std::str::from_utf8(found.content()).ok()?).ok()?;
    let names = value.pointer("/policy/signoff/platform_keys")?.as_array()?;
    Some(
        names
            .iter()
            .filter_map(|n| n.as_str())
            .filter(|n| crate::records::policy::is_inside(n))
            .map(str::to_owned)
            .collect(),
    )
}

/// The last day of `person`'s SRO role, when people.yaml gives one.
fn role_end(person: &Person) -> Option<Date> {
    let grants: Vec<&crate::records::RoleGrant> = person
        .roles
        .iter()
        .filter(|g| g.role() == Role::Sro)
        .collect();
    let granted = grants
        .iter()
        .map(|g| match g {
            crate::records::RoleGrant::Always(_) => None,
            crate::records::RoleGrant::Dated { to, .. } => *to,
        })
        .collect::<Option<Vec<Date>>>()
        .and_then(|ends| ends.into_iter().max());
    match (granted, person.to) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
    .filter(|_| !grants.is_empty())
}

/// Whether `person`'s SRO role had ended by `day` (not merely not begun).
fn role_over(person: &Person, day: Date) -> bool {
    person.role_ended(Role::Sro, day)
}

/// Every version of `path` written in the history (a commit's content matching none of its
/// parents), newest first, as (commit index, blob).
fn versions(history: &History, index: &FileIndex, path: &str) -> Vec<(usize, Oid)> {
    index
        .changes(history, path)
        .iter()
        .filter_map(|touch| {
            let change = &history.commits[touch.commit].changes[touch.change];
            Some((touch.commit, change.new?))
        })
        .collect()
}

/// The commits that wrote a version of `path` whose signed view has `digest`, from one
/// whose signed view differed: the authors of what a sign-off of it binds.
fn producers(
    repo: &Repository,
    history: &History,
    index: &FileIndex,
    digests: &mut Digests,
    path: &str,
    digest: &Digest,
) -> Vec<usize> {
    index
        .changes(history, path)
        .iter()
        .filter_map(|touch| {
            let change = &history.commits[touch.commit].changes[touch.change];
            let new = digests.of(repo, change.new);
            let old = digests.of(repo, change.old);
            (new.as_ref() == Some(digest) && old.as_ref() != Some(digest)).then_some(touch.commit)
        })
        .collect()
}

/// The folders read so far: a thousand sign-offs checked at one commit read its folders once,
/// not a thousand times; a folder that commits share (most of them, for a folder of ten
/// thousand risks) is read once for all of them; and a name is found in a folder by git's own
/// search of its sorted entries. A few are kept, so memory stays flat over long histories.
#[derive(Default)]
struct Blobs<'r> {
    /// The tree of a folder at a commit, by commit and folder.
    folders: HashMap<(Oid, String), Option<Oid>>,
    /// Trees read, by id.
    trees: HashMap<Oid, Option<git2::Tree<'r>>>,
}

impl<'r> Blobs<'r> {
    const KEPT: usize = 16;

    /// The blob at `path` in `commit`, if there is one.
    fn at(&mut self, repo: &'r Repository, commit: Oid, path: &str) -> Option<Oid> {
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
        let key = (commit, folder.to_owned());
        let id = match self.folders.get(&key) {
            Some(id) => *id,
            None => {
                if self.folders.len() >= Self::KEPT * 4 {
                    self.folders.clear();
                }
                let id = folder_at(repo, commit, folder);
                self.folders.insert(key, id);
                id
            }
        }?;
        if !self.trees.contains_key(&id) {
            if self.trees.len() >= Self::KEPT {
                self.trees.clear();
            }
            self.trees.insert(id, repo.find_tree(id).ok());
        }
        let entry = self.trees.get(&id)?.as_ref()?.get_name(name)?;
        (entry.kind() == Some(ObjectType::Blob)).then(|| entry.id())
    }
}

/// The id of the tree of `folder` in `commit`.
fn folder_at(repo: &Repository, commit: Oid, folder: &str) -> Option<Oid> {
    let root = repo.find_commit(commit).ok()?.tree().ok()?;
    if folder.is_empty() {
        return Some(root.id());
    }
    let entry = root.get_path(Path::new(folder)).ok()?;
    (entry.kind() == Some(ObjectType::Tree)).then(|| entry.id())
}

fn blob_at(repo: &Repository, commit: Oid, path: &str) -> Option<Oid> {
    let entry = crate::git::entry_at(repo, commit, path)?;
    (entry.kind() == Some(ObjectType::Blob)).then(|| entry.id())
}

/// The blob of the file at `path` in `commit`, if it is a file and not a link: a key file
/// that is a link is refused where it is named, and is no key here.
fn file_blob_at(repo: &Repository, commit: Oid, path: &str) -> Option<Oid> {
    let entry = crate::git::entry_at(repo, commit, path)?;
    (entry.kind() == Some(ObjectType::Blob) && !crate::git::is_link(&entry)).then(|| entry.id())
}

/// The git blob ids of a sign-off's file and of its subject's, as read, worked out for all
/// the sign-offs at once on every core before they are judged one by one.
struct Hashed {
    /// The sign-off's file, in the working tree (for a revision, its files are the commit's).
    own: Option<Oid>,
    /// The subject's file and the digest of its signed view: a blob that holds this version
    /// need not be read and parsed again.
    subject: Option<(Oid, Digest)>,
}

impl Hashed {
    fn of(set: &RecordSet, checkout: &Checkout<'_>) -> Vec<Hashed> {
        let sources = checkout.sources();
        let blob = |path: &str| {
            let text = sources.text(path)?;
            Oid::hash_object(ObjectType::Blob, text.as_bytes()).ok()
        };
        crate::parallel::map(&set.signoffs, |signoff| Hashed {
            own: match checkout {
                Checkout::WorkTree(_) => blob(signoff.file.as_ref()),
                Checkout::Revision(_) => None,
            },
            subject: set
                .subject(&signoff.subject)
                .and_then(|(path, digest)| Some((blob(path)?, digest))),
        })
    }
}

/// Signed-view digests of blobs, each worked out once.
#[derive(Default)]
struct Digests(HashMap<Oid, Option<Digest>>);

impl Digests {
    /// Knowing already the digests of the subjects' versions as read: the blobs that hold
    /// those need not be read and parsed again.
    fn seeded(hashed: &[Hashed]) -> Digests {
        Digests(
            hashed
                .iter()
                .filter_map(|h| h.subject)
                .map(|(blob, digest)| (blob, Some(digest)))
                .collect(),
        )
    }

    /// The digest of the signed view of the record in blob `id`; `None` for no blob, or one
    /// that is not a record.
    fn of(&mut self, repo: &Repository, id: Option<Oid>) -> Option<Digest> {
        let id = id?;
        *self.0.entry(id).or_insert_with(|| {
            let blob = small_blob(repo, id)?;
            let text = std::str::from_utf8(blob.content()).ok()?;
            signed::digest_of_record(&yaml::parse_value(text).ok()?)
        })
    }
}

/// The blob `id`, if it is no larger than a record file may be: a history can hold a huge
/// blob that compresses to nothing, and nothing the judge reads (people, keys, records) is
/// ever that large.
fn small_blob(repo: &Repository, id: Oid) -> Option<git2::Blob<'_>> {
    let (size, _) = repo.odb().ok()?.read_header(id).ok()?;
    if size as u64 > crate::source::MAX_FILE_BYTES {
        return None;
    }
    repo.find_blob(id).ok()
}
