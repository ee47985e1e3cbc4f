//! The verdict on every sign-off, with its reasons: content unchanged (SIGN-1), signer was
//! the SRO (SIGN-2), not expired (SIGN-3), and proven by git (SIGN-4).

use serde::Serialize;

use crate::dates::Date;
use crate::finding::Rule;
use crate::records::{Record, RecordSet, SignOff, SignOffType};
use crate::rules::signoffs::{
    Flaw, SignOffs, Standing, acceptance_needed, describe, remedy, sign_command, sro_id,
};
use crate::witness::{Evidence, GitFlaw, Signed, Witness};

/// The verdict on one sign-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// It counts.
    Valid,
    /// A later sign-off of the same type on the same subject replaces it; it is history,
    /// whatever its flaws (which are still listed).
    Superseded,
    /// An acceptance, expired or of a risk changed since, whose risk no longer needs one
    /// (closed, or within tolerance): nothing depends on it.
    Lapsed,
    /// Written but not committed yet.
    NotCommitted,
    /// Dated after the evaluation day.
    Future,
    /// It does not count.
    Invalid,
}

impl Outcome {
    /// Whether a report lists the reasons. A superseded sign-off is history: its reasons
    /// are shown only when they concern who signed it (SIGN-2, SIGN-4).
    pub fn shows_reasons(&self) -> bool {
        self.verdict != Verdict::Superseded
            || self
                .reasons
                .iter()
                .any(|r| matches!(r.rule, Rule::Sign2 | Rule::Sign4))
    }
}

impl Verdict {
    /// Whether it does not count, so `verify` fails. A sign-off dated after the day it is
    /// judged on records a decision not yet taken, and does not count either.
    pub fn fails(self) -> bool {
        matches!(
            self,
            Verdict::Invalid | Verdict::NotCommitted | Verdict::Future
        )
    }

    /// In words, as reports show it.
    pub fn text(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Superseded => "superseded",
            Verdict::Lapsed => "lapsed",
            Verdict::NotCommitted => "not yet committed",
            Verdict::Future => "dated in the future",
            Verdict::Invalid => "INVALID",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Reason {
    pub rule: Rule,
    pub message: String,
    pub remedy: String,
}

#[derive(Debug, Serialize)]
pub struct GitEvidence {
    pub commit: String,
    pub author: String,
    pub email: String,
    pub date: String,
    /// The key whose valid signature the commit carries: an SSH key's SHA256 fingerprint, or
    /// a platform key's OpenPGP fingerprint.
    pub signed_with: Option<String>,
    /// `ssh` (the signer's own key) or `platform` (a platform key vouching for the author).
    pub signature: Option<&'static str>,
    /// The platform key's file, relative to the records folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform_key_file: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Outcome {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: SignOffType,
    pub subject: String,
    pub signed_by: String,
    pub date: String,
    pub expires: Option<String>,
    pub file: String,
    pub verdict: Verdict,
    pub superseded_by: Option<String>,
    pub reasons: Vec<Reason>,
    pub git: Option<GitEvidence>,
}

/// Whether any sign-off does not count: `verify` then exits 1.
pub fn any_fails(outcomes: &[Outcome]) -> bool {
    outcomes.iter().any(|o| o.verdict.fails())
}

/// Judge every sign-off of `set` on `as_of`.
pub fn judge(set: &RecordSet, as_of: Date, witness: &Witness) -> Vec<Outcome> {
    let signoffs = SignOffs::new(set, as_of, witness);
    let mut outcomes: Vec<Outcome> = Vec::new();
    for s in &set.signoffs {
        let standing = signoffs
            .standings
            .iter()
            .find(|st| std::ptr::eq(st.record, s));
        let (verdict, reasons, superseded_by) = match standing {
            None => (
                Verdict::Future,
                vec![Reason {
                    rule: Rule::Sign2,
                    message: format!(
                        "it is dated {}, after {as_of}: a sign-off records a decision already taken, so it does not count",
                        s.date
                    ),
                    remedy: format!(
                        "if the date is wrong, the SRO signs again with the day they decided: {} --date DATE",
                        sign_command(&s.subject, s.kind, sro_id(set, as_of))
                    ),
                }],
                None,
            ),
            Some(standing) => {
                let reasons: Vec<Reason> = standing
                    .flaws
                    .iter()
                    .map(|flaw| Reason {
                        rule: flaw.rule(),
                        remedy: remedy(set, as_of, s, flaw),
                        message: describe(
                            set,
                            &Standing {
                                record: s,
                                flaws: vec![flaw.clone()],
                                superseded: false,
                            },
                        ),
                    })
                    .collect();
                let later = later_signoff(set, s);
                let not_needed = !acceptance_needed(set, s);
                // A replaced sign-off is history: nothing counts on it any more. Its flaws are
                // still listed, for the record.
                let verdict = if standing.superseded {
                    Verdict::Superseded
                } else if standing.flaws.is_empty() {
                    Verdict::Valid
                } else if not_needed
                    && s.kind == SignOffType::RiskAcceptance
                    && standing
                        .flaws
                        .iter()
                        .all(|f| matches!(f, Flaw::Expired { .. } | Flaw::Changed { .. }))
                {
                    Verdict::Lapsed
                } else if standing
                    .flaws
                    .iter()
                    .all(|f| matches!(f, Flaw::Git(GitFlaw::NotCommitted)))
                {
                    Verdict::NotCommitted
                } else {
                    Verdict::Invalid
                };
                (verdict, reasons, later.filter(|_| standing.superseded))
            }
        };
        outcomes.push(Outcome {
            id: s.id.clone(),
            kind: s.kind,
            subject: s.subject.to_string(),
            signed_by: s.signed_by.clone(),
            date: s.date.to_string(),
            expires: s.expires.map(|d| d.to_string()),
            file: s.file.to_string(),
            verdict,
            superseded_by,
            reasons,
            git: witness.evidence.get(&s.id).map(evidence),
        });
    }
    outcomes.sort_by(|a, b| a.id.cmp(&b.id));
    outcomes
}

fn later_signoff(set: &RecordSet, s: &Record<SignOff>) -> Option<String> {
    set.signoffs
        .iter()
        .filter(|o| o.subject == s.subject && o.kind == s.kind && (o.date, &o.id) > (s.date, &s.id))
        .max_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)))
        .map(|o| o.id.clone())
}

fn evidence(e: &Evidence) -> GitEvidence {
    GitEvidence {
        commit: e.commit.to_string(),
        author: e.author.name.clone(),
        email: e.author.email.clone(),
        date: e.day.to_string(),
        signed_with: e.signed_with.as_ref().map(|s| s.fingerprint().to_owned()),
        signature: e.signed_with.as_ref().map(|s| match s {
            Signed::Ssh(_) => "ssh",
            Signed::Platform { .. } => "platform",
        }),
        platform_key_file: match &e.signed_with {
            Some(Signed::Platform { file, .. }) => Some(file.clone()),
            _ => None,
        },
    }
}
