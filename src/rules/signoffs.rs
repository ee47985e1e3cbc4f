//! Sign-offs: whether each one counts, and the rules that report those that do not
//! (SIGN-1 changed subject, SIGN-2 signer not the SRO, SIGN-3 expired acceptance).
//!
//! A sign-off counts only when its subject's canonical digest still matches, the signer
//! held the SRO role on the day, it is dated on or before the evaluation date, and (for a
//! risk acceptance) it has not expired. Rules that need a sign-off ask `SignOffs::valid`
//! and, when none counts, say why with `SignOffs::why_not`.

use crate::hash::HashMap;

use super::{Context, Timing, relative};
use crate::dates::Date;
use crate::finding::{Finding, Location, Rule, Severity};
use crate::records::digest::Digest;
use crate::records::{Record, RecordSet, Role, SignOff, SignOffType, Subject};
use crate::witness::{GitFlaw, Witness};

/// Why a sign-off does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flaw {
    /// The subject changed after it was signed.
    Changed { now: Digest },
    /// The subject does not exist (any more).
    SubjectMissing,
    /// The signer was not the SRO on the day.
    NotSro,
    /// A risk acceptance past its expiry.
    Expired { on: Date },
    /// What git says (SIGN-4).
    Git(GitFlaw),
}

impl Flaw {
    /// The rule that reports it.
    pub fn rule(&self) -> Rule {
        match self {
            Flaw::Changed { .. } | Flaw::SubjectMissing => Rule::Sign1,
            Flaw::NotSro => Rule::Sign2,
            Flaw::Expired { .. } => Rule::Sign3,
            Flaw::Git(_) => Rule::Sign4,
        }
    }
}

/// One sign-off and its standing on the evaluation date.
#[derive(Debug)]
pub struct Standing<'a> {
    pub record: &'a Record<SignOff>,
    pub flaws: Vec<Flaw>,
    /// A later sign-off of the same type on the same subject replaces this one.
    pub superseded: bool,
}

impl Standing<'_> {
    pub fn counts(&self) -> bool {
        self.flaws.is_empty()
    }
}

/// The standing of every sign-off dated on or before the evaluation date.
pub struct SignOffs<'a> {
    pub standings: Vec<Standing<'a>>,
    by_subject: HashMap<(Subject, SignOffType), Vec<usize>>,
}

/// The flaws a sign-off has from the records alone, whatever the day: its subject is
/// missing or has changed since it was signed, or the signer was not the SRO on its date.
/// `assure sign` refuses a sign-off with any of them; expiry and git are judged later.
pub fn flaws_in_records(set: &RecordSet, signoff: &SignOff) -> Vec<Flaw> {
    let mut flaws = Vec::new();
    match set.subject_digest(&signoff.subject) {
        None => flaws.push(Flaw::SubjectMissing),
        Some(now) if now.to_string() != signoff.subject_digest => flaws.push(Flaw::Changed { now }),
        Some(_) => {}
    }
    if !entitled(set, signoff) {
        flaws.push(Flaw::NotSro);
    }
    flaws
}

/// Whether the signer could make this decision on its date: the SRO, or for a risk
/// acceptance the policy's delegate role.
/// The SRO on the day signed; for a risk acceptance, also a holder of the policy's delegate
/// role who does not own the risk (no one accepts their own risk on the SRO's behalf).
fn entitled(set: &RecordSet, signoff: &SignOff) -> bool {
    let delegate = match (signoff.kind, &signoff.subject) {
        (SignOffType::RiskAcceptance, Subject::Risk(id)) => set
            .policy
            .signoff
            .acceptance_delegate
            .filter(|_| set.risk(id).is_none_or(|r| r.owner != signoff.signed_by)),
        _ => None,
    };
    set.person(&signoff.signed_by).is_some_and(|p| {
        p.holds(Role::Sro, signoff.date) || delegate.is_some_and(|r| p.holds(r, signoff.date))
    })
}

/// Who may sign `kind`, in words: "the SRO", "the SRO or a risk_owner who does not own the
/// risk".
pub fn who_may_sign(set: &RecordSet, kind: SignOffType) -> String {
    match (kind, set.policy.signoff.acceptance_delegate) {
        (SignOffType::RiskAcceptance, Some(role)) => {
            format!("the SRO or a {role} who does not own the risk")
        }
        _ => "the SRO".to_owned(),
    }
}

/// An acceptance signed by an SRO who has since handed over, which the SRO now in post
/// must reconfirm by `due`.
pub struct Reconfirmation<'a> {
    pub standing: &'a Standing<'a>,
    /// The SRO now in post.
    pub sro: &'a crate::records::Person,
    pub due: Date,
}

/// Every valid acceptance, still needed, that a previous SRO signed: the SRO in post has
/// `policy.sro_handover` from the start of their role to reconfirm it (SIGN-5).
pub fn reconfirmations<'a>(
    set: &'a RecordSet,
    signoffs: &'a SignOffs<'a>,
    as_of: Date,
) -> Vec<Reconfirmation<'a>> {
    let Some(sro) = set.sro(as_of) else {
        return Vec::new();
    };
    let Some(Some(since)) = sro.role_since(Role::Sro, as_of) else {
        return Vec::new();
    };
    let due = set.policy.sro_handover.after(since);
    signoffs
        .standings
        .iter()
        .filter(|s| !s.superseded && s.counts())
        .filter(|s| s.record.kind == SignOffType::RiskAcceptance && s.record.signed_by != sro.id)
        .filter(|s| {
            set.person(&s.record.signed_by)
                .is_some_and(|p| p.holds(Role::Sro, s.record.date))
        })
        .filter(|s| s.record.date < since && acceptance_needed(set, s.record))
        .map(|standing| Reconfirmation { standing, sro, due })
        .collect()
}

impl<'a> SignOffs<'a> {
    pub fn new(set: &'a RecordSet, as_of: Date, witness: &Witness) -> SignOffs<'a> {
        // Each sign-off judged alone, on every core.
        let dated: Vec<&'a Record<SignOff>> =
            set.signoffs.iter().filter(|s| s.date <= as_of).collect();
        let mut standings: Vec<Standing<'a>> = crate::parallel::map(&dated, |&record| {
            let mut flaws = flaws_in_records(set, record);
            if let Some(expires) = record.expires
                && expires < as_of
            {
                flaws.push(Flaw::Expired { on: expires });
            }
            flaws.extend(witness.flaws(&record.id).iter().cloned().map(Flaw::Git));
            Standing {
                record,
                flaws,
                superseded: false,
            }
        });
        let mut by_subject: HashMap<(Subject, SignOffType), Vec<usize>> = HashMap::default();
        for (i, s) in standings.iter().enumerate() {
            by_subject
                .entry((s.record.subject.clone(), s.record.kind))
                .or_default()
                .push(i);
        }
        for indices in by_subject.values_mut() {
            indices.sort_by(|a, b| {
                let (a, b) = (standings[*a].record, standings[*b].record);
                (a.date, &a.id).cmp(&(b.date, &b.id))
            });
            for &i in &indices[..indices.len().saturating_sub(1)] {
                standings[i].superseded = true;
            }
        }
        SignOffs {
            standings,
            by_subject,
        }
    }

    fn of<'s>(
        &'s self,
        subject: &Subject,
        kind: SignOffType,
    ) -> impl Iterator<Item = &'s Standing<'a>> + use<'s, 'a> {
        let indices: &'s [usize] = self
            .by_subject
            .get(&(subject.clone(), kind))
            .map_or(&[], Vec::as_slice);
        indices.iter().map(|&i| &self.standings[i])
    }

    /// A sign-off of this type on this subject that counts, the most recent first.
    pub fn valid(&self, subject: &Subject, kind: SignOffType) -> Option<&Standing<'a>> {
        self.of(subject, kind).filter(|s| s.counts()).last()
    }

    /// Why no sign-off of this type on this subject counts: the latest one's flaws, in words.
    /// `None` when there is none at all.
    pub fn why_not(&self, set: &RecordSet, subject: &Subject, kind: SignOffType) -> Option<String> {
        let latest = self.of(subject, kind).last()?;
        Some(format!(
            "{} does not count: {}",
            latest.record.id,
            describe(set, latest)
        ))
    }
}

/// Whether the risk a sign-off accepts still needs an acceptance: it is open, and its
/// residual score is above tolerance. (A sign-off of anything else is always needed.)
pub fn acceptance_needed(set: &RecordSet, signoff: &SignOff) -> bool {
    let Subject::Risk(id) = &signoff.subject else {
        return true;
    };
    let Some(risk) = set.risk(id) else {
        return true;
    };
    risk.is_open()
        && set
            .limits(risk)
            .is_none_or(|(tolerance, _)| risk.residual.value() > tolerance)
}

/// The flaws of a sign-off, in words.
pub fn describe(set: &RecordSet, standing: &Standing<'_>) -> String {
    let s = standing.record;
    standing
        .flaws
        .iter()
        .map(|flaw| match flaw {
            Flaw::Changed { .. } => format!(
                "{} has changed since it was signed",
                subject_name(&s.subject)
            ),
            Flaw::SubjectMissing => format!("{} does not exist", subject_name(&s.subject)),
            Flaw::NotSro => {
                let name = set
                    .person(&s.signed_by)
                    .map_or(s.signed_by.as_str(), |p| p.name.as_str());
                let who = who_may_sign(set, s.kind);
                let was = if who == "the SRO" {
                    "was not the SRO".to_owned()
                } else {
                    format!("was not {who}")
                };
                format!("{name} ({}) {was} on {}", s.signed_by, s.date)
            }
            Flaw::Expired { on } => format!("it expired on {on}"),
            Flaw::Git(flaw) => flaw.describe(set.person(&s.signed_by), &s.signed_by),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `assure sign` command that records a `kind` decision on `subject` by `by`, with every
/// flag that type needs.
pub fn sign_command(subject: &Subject, kind: SignOffType, by: &str) -> String {
    let mut command = format!("assure sign --subject {subject} --type {kind} --by {by}");
    if kind == SignOffType::RiskAcceptance {
        command.push_str(" --expires DATE --rationale \"why the SRO accepts it\"");
    }
    command
}

/// The SRO's person id on `day`, to name in what a finding or a verdict asks them to do
/// (`<sro>` when there is not exactly one: GOV-1 says so).
pub fn sro_id(set: &RecordSet, day: Date) -> &str {
    set.sro(day).map_or("<sro>", |p| p.id.as_str())
}

/// What to do about one flaw of a sign-off, judged on `as_of`.
pub fn remedy(set: &RecordSet, as_of: Date, s: &Record<SignOff>, flaw: &Flaw) -> String {
    let again = sign_command(&s.subject, s.kind, sro_id(set, as_of));
    match flaw {
        Flaw::Changed { .. } => {
            format!("review the change; if the SRO approves it, record a new sign-off: {again}")
        }
        Flaw::SubjectMissing => {
            "restore the subject, or remove the sign-off if the decision no longer applies"
                .to_owned()
        }
        Flaw::NotSro => format!(
            "have the SRO sign it ({again}), or correct the SRO's role dates in people.yaml if they were wrong"
        ),
        Flaw::Expired { .. } => format!(
            "ask the SRO to review {} and renew it ({again}), or treat the risk",
            subject_name(&s.subject)
        ),
        Flaw::Git(flaw) => flaw.remedy(s, set.policy.signoff.require_signed_commits),
    }
}

/// "risk R-004", "assessment 2026-09-14-self", "the risk appetite".
pub fn subject_name(subject: &Subject) -> String {
    match subject {
        Subject::Risk(id) => format!("risk {id}"),
        Subject::Assessment(id) => format!("assessment {id}"),
        Subject::Appetite => "the risk appetite".to_owned(),
    }
}

fn short(digest: &str) -> &str {
    digest.get(..19).unwrap_or(digest)
}

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for standing in cx.signoffs.standings.iter().filter(|s| !s.superseded) {
        let s = standing.record;
        // A lapsed acceptance of a risk that is now closed no longer matters.
        // A lapsed acceptance matters only while its risk still needs one.
        let not_needed = !acceptance_needed(cx.set, s);
        let lapsed = not_needed && s.kind == SignOffType::RiskAcceptance;
        for flaw in &standing.flaws {
            let f = match flaw {
                // The risk improved or closed: nothing depends on its acceptance any more.
                Flaw::Changed { .. } if lapsed => continue,
                Flaw::Changed { now } => Finding::rule(
                        Rule::Sign1,
                        Severity::Red,
                        Location::field(&*s.file, "/subject_digest"),
                        format!(
                            "{} ({} of {}) no longer counts: {} has changed since {} (signed {}…, now {}…)",
                            s.id,
                            s.kind.as_str(),
                            s.subject,
                            subject_name(&s.subject),
                            s.date,
                            short(&s.subject_digest),
                            short(&now.to_string()),
                        ),
                    )
                    .with_hint(remedy(cx.set, cx.as_of, s, flaw)),
                Flaw::NotSro => Finding::rule(
                        Rule::Sign2,
                        Severity::Red,
                        Location::field(&*s.file, "/signed_by"),
                        format!(
                            "{} was signed by {}, who was not {} on {}",
                            s.id,
                            s.signed_by,
                            who_may_sign(cx.set, s.kind),
                            s.date
                        ),
                    )
                    .with_hint(remedy(cx.set, cx.as_of, s, flaw)),
                Flaw::Expired { on } if s.kind == SignOffType::RiskAcceptance && !not_needed => {
                    Finding::rule(
                        Rule::Sign3,
                        Severity::Red,
                        Location::field(&*s.file, "/expires"),
                        format!(
                            "{} (risk acceptance of {}) expired on {on}, {}",
                            s.id,
                            s.subject,
                            relative(cx.timing(*on))
                        ),
                    )
                    .with_hint(remedy(cx.set, cx.as_of, s, flaw))
                    .due(*on)
                }
                Flaw::Git(flaw) => {
                    let severity = match flaw {
                        GitFlaw::NotCommitted | GitFlaw::EditedUncommitted => Severity::Amber,
                        _ => Severity::Red,
                    };
                    Finding::rule(
                        Rule::Sign4,
                        severity,
                        Location::field(&*s.file, "/signed_by"),
                        format!(
                            "{} ({} of {}) is not proven by git: {}",
                            s.id,
                            s.kind.as_str(),
                            s.subject,
                            flaw.describe(cx.set.person(&s.signed_by), &s.signed_by)
                        ),
                    )
                    .with_hint(remedy(cx.set, cx.as_of, s, &Flaw::Git(flaw.clone())))
                }
                _ => continue,
            };
            out.push(f.with_record("signoff", Some(&s.id)));
        }
        // Acceptances about to lapse.
        if let (SignOffType::RiskAcceptance, Some(expires), true, false) =
            (s.kind, s.expires, standing.counts(), not_needed)
            && let Timing::DueSoon(_) = cx.timing(expires)
        {
            out.push(
                Finding::rule(
                    Rule::Sign3,
                    Severity::Amber,
                    Location::field(&*s.file, "/expires"),
                    format!(
                        "{} (risk acceptance of {}) expires on {expires}, {}",
                        s.id,
                        s.subject,
                        relative(cx.timing(expires))
                    ),
                )
                .with_hint(format!(
                    "ask the SRO to review {} before then",
                    subject_name(&s.subject)
                ))
                .due(expires)
                .with_record("signoff", Some(&s.id)),
            );
        }
    }
    for r in reconfirmations(cx.set, &cx.signoffs, cx.as_of) {
        let s = r.standing.record;
        let Timing::Overdue(_) = cx.timing(r.due) else {
            continue;
        };
        out.push(
            Finding::rule(
                Rule::Sign5,
                Severity::Amber,
                Location::field(&*s.file, "/signed_by"),
                format!(
                    "{} (risk acceptance of {}) was signed by {}, the previous SRO; {} ({}) was to reconfirm it by {}, {}",
                    s.id,
                    s.subject,
                    s.signed_by,
                    r.sro.name,
                    r.sro.id,
                    r.due,
                    relative(cx.timing(r.due))
                ),
            )
            .with_hint(format!(
                "{} reviews {} and, if they accept it, signs it again: {}",
                r.sro.name,
                subject_name(&s.subject),
                sign_command(&s.subject, SignOffType::RiskAcceptance, &r.sro.id)
            ))
            .due(r.due)
            .with_record("signoff", Some(&s.id)),
        );
    }
}
