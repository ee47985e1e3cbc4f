//! Risks: RISK-1 reviewed by the review date; RISK-2 above tolerance needs an SRO acceptance
//! or a credible plan; RISK-3 a plan whose target date passed needs an acceptance again;
//! RISK-4 a risk above the appetite's ceiling is escalated.
//!
//! Risk acceptance follows the appetite: within tolerance the risk owner may tolerate a risk;
//! above it the SRO accepts it or it is treated to a plan; above the ceiling the SRO cannot
//! accept it alone, and it is escalated to the owner of the parent appetite.

use super::signoffs::SignOffs;
use super::{Context, Timing, relative};
use crate::dates::{Date, Duration};
use crate::finding::{Finding, Location, Rule, Severity};
use crate::records::{
    ActionStatus, Event, Record, RecordSet, Response, Risk, SignOffType, Subject,
};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    // Risks judged a few dozen at a time on every core, the findings kept in the risks'
    // order: a vector per risk would hold several times the memory of its findings.
    let blocks: Vec<&[Record<Risk>]> = cx.set.risks.chunks(64).collect();
    let judged = crate::parallel::map(&blocks, |risks| {
        let mut found = Vec::new();
        for risk in risks
            .iter()
            .filter(|r| r.is_open() && r.identified <= cx.as_of)
        {
            risk_1(cx, risk, &mut found);
            risk_2_to_4(cx, risk, &mut found);
        }
        found
    });
    out.reserve(judged.iter().map(Vec::len).sum());
    for found in judged {
        out.extend(found);
    }
}

/// When an open risk is next due for review, and what set the date.
#[derive(Debug, Clone, Copy)]
pub struct ReviewDue<'a> {
    pub date: Date,
    pub why: ReviewWhy<'a>,
}

#[derive(Debug, Clone, Copy)]
pub enum ReviewWhy<'a> {
    /// The policy interval for its residual band after `last_reviewed`.
    Interval,
    /// Its own `review_by`.
    ReviewBy,
    /// An event that names it in `affects`, after its last review.
    Event(&'a Record<Event>),
}

/// When an open risk is next due for review: its own `review_by`, else the policy interval
/// for its residual band after `last_reviewed`; sooner if an event since its last review
/// names it (within the policy's `event_reassessment` of the event).
pub fn review_due<'a>(set: &'a RecordSet, risk: &Record<Risk>, as_of: Date) -> ReviewDue<'a> {
    let policy = &set.policy;
    let routine = match risk.review_by {
        Some(date) => ReviewDue {
            date,
            why: ReviewWhy::ReviewBy,
        },
        None => {
            let band = policy.scale.band(risk.residual.value());
            let interval = policy
                .review_interval
                .get(&band.name)
                .copied()
                .unwrap_or(Duration::months(1));
            ReviewDue {
                date: interval.after(risk.last_reviewed),
                why: ReviewWhy::Interval,
            }
        }
    };
    match set.event_review(&format!("risk:{}", risk.id), risk.last_reviewed, as_of) {
        Some((date, event)) if date < routine.date => ReviewDue {
            date,
            why: ReviewWhy::Event(event),
        },
        _ => routine,
    }
}

fn risk_1(cx: &Context<'_>, risk: &Record<Risk>, out: &mut Vec<Finding>) {
    let ReviewDue { date: due, why } = review_due(cx.set, risk, cx.as_of);
    let timing = cx.timing(due);
    let band = cx.policy.scale.band(risk.residual.value());
    let severity = match timing {
        Timing::Overdue(_) if band.is_high() => Severity::Red,
        Timing::Overdue(_) | Timing::DueSoon(_) => Severity::Amber,
        Timing::InDate => return,
    };
    let verb = timing.tense();
    let (pointer, basis) = match why {
        ReviewWhy::ReviewBy => ("/review_by", "its review_by date".to_owned()),
        ReviewWhy::Interval => (
            "/last_reviewed",
            format!(
                "last reviewed {}; {} risks every {}",
                risk.last_reviewed,
                band.label(),
                cx.policy
                    .review_interval
                    .get(&band.name)
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ),
        ),
        ReviewWhy::Event(event) => ("/last_reviewed", cx.set.event_asks(event, "a risk")),
    };
    out.push(
        Finding::rule(
            Rule::Risk1,
            severity,
            Location::field(&*risk.file, pointer),
            format!(
                "risk {} ({}, {} {}) review {verb} due on {due}, {} ({basis})",
                risk.id,
                risk.title,
                band.label(),
                risk.residual.value(),
                relative(timing)
            ),
        )
        .with_hint(format!(
            "{} should review the risk and update last_reviewed",
            risk.owner
        ))
        .due(due)
        .with_record("risk", Some(&risk.id)),
    );
}

/// Where an open risk stands against the appetite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// Its residual score is within tolerance: its owner may tolerate it.
    Within,
    /// Above tolerance, with a valid SRO (or delegate) risk acceptance.
    Accepted,
    /// Above tolerance, on a credible plan: a target within tolerance, by a date not yet
    /// passed, and open actions due by then.
    Treating,
    /// Above the appetite's ceiling, and escalated beyond the project.
    Escalated,
    /// Above tolerance and none of these: what is missing.
    Unaddressed(Gap),
}

/// What a risk above tolerance lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// Above the ceiling, with no escalation recorded (or one dated after the day judged).
    NotEscalated { ceiling: u8 },
    /// Above the ceiling, escalated more than `acceptance_max` ago: the escalation lapsed on
    /// `on`, as an acceptance would.
    EscalationLapsed { ceiling: u8, on: crate::dates::Date },
    /// Its plan's target date passed with the residual still above tolerance.
    TargetPassed { by: crate::dates::Date },
    /// No acceptance, and no credible plan: why not.
    NoPlan(String),
}

impl Position {
    pub fn is_above_tolerance(&self) -> bool {
        *self != Position::Within
    }
}

/// The risk position: open risks by score band, and those above tolerance by how they are
/// being dealt with. Counts, never sums: likelihood × impact scores are ordinal, and adding
/// them up means nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub open: usize,
    /// Each band's label and how many open risks it holds, lowest band first.
    pub by_band: Vec<BandCount>,
    pub above_tolerance: usize,
    pub accepted: usize,
    pub treating: usize,
    pub escalated: usize,
    pub unaddressed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BandCount {
    pub band: String,
    pub label: String,
    pub count: usize,
}

/// The risk position of the open risks identified by `cx.as_of`.
pub fn summary(cx: &Context<'_>) -> Summary {
    let scale = &cx.policy.scale;
    let mut out = Summary {
        by_band: scale
            .bands
            .iter()
            .map(|b| BandCount {
                band: b.name.clone(),
                label: b.label().to_owned(),
                count: 0,
            })
            .collect(),
        ..Summary::default()
    };
    for risk in cx
        .set
        .risks
        .iter()
        .filter(|r| r.is_open() && r.identified <= cx.as_of)
    {
        out.open += 1;
        if let Some(band) = out.by_band.get_mut(scale.band_index(risk.residual.value())) {
            band.count += 1;
        }
        let slot = match position(cx.set, &cx.signoffs, cx.as_of, risk) {
            Position::Within => continue,
            Position::Accepted => &mut out.accepted,
            Position::Treating => &mut out.treating,
            Position::Escalated => &mut out.escalated,
            Position::Unaddressed(_) => &mut out.unaddressed,
        };
        *slot += 1;
        out.above_tolerance += 1;
    }
    out
}

/// Where `risk` stands on `as_of`, given the sign-offs that count.
pub fn position(
    set: &crate::records::RecordSet,
    signoffs: &SignOffs<'_>,
    as_of: crate::dates::Date,
    risk: &Record<Risk>,
) -> Position {
    let Some((tolerance, ceiling)) = set.limits(risk) else {
        return Position::Within;
    };
    let score = risk.residual.value();
    if score <= tolerance {
        return Position::Within;
    }
    if let Some(ceiling) = ceiling.filter(|c| score > *c) {
        // An escalation answers for the parent's acceptance, and lapses as one does.
        return match &risk.escalation {
            Some(e) if e.date <= as_of => {
                let lapses = set.policy.acceptance_max.after(e.date);
                if as_of <= lapses {
                    Position::Escalated
                } else {
                    Position::Unaddressed(Gap::EscalationLapsed {
                        ceiling,
                        on: lapses,
                    })
                }
            }
            _ => Position::Unaddressed(Gap::NotEscalated { ceiling }),
        };
    }
    let subject = Subject::Risk(risk.id.clone());
    if signoffs
        .valid(&subject, SignOffType::RiskAcceptance)
        .is_some()
    {
        return Position::Accepted;
    }
    match plan_gap(risk, tolerance, as_of, set.policy.acceptance_max) {
        None => Position::Treating,
        Some(gap) => Position::Unaddressed(gap),
    }
}

/// Why a risk's treatment is not a credible plan to bring it within `tolerance`, if it is not.
/// A plan runs no longer than an acceptance could (`horizon`, the policy's `acceptance_max`),
/// and is being worked: not every open action is overdue.
fn plan_gap(
    risk: &Risk,
    tolerance: u8,
    as_of: crate::dates::Date,
    horizon: Duration,
) -> Option<Gap> {
    let no_plan = |why: &str| Some(Gap::NoPlan(why.to_owned()));
    if !matches!(risk.response, Response::Treat | Response::Terminate) {
        return no_plan("its response is not to treat it");
    }
    let Some(target) = &risk.target else {
        return no_plan("it has no `target` score and date");
    };
    if target.likelihood * target.impact > tolerance {
        return no_plan("its target score is above tolerance");
    }
    if target.by < as_of {
        return Some(Gap::TargetPassed { by: target.by });
    }
    let latest = horizon.after(as_of);
    if target.by > latest {
        return Some(Gap::NoPlan(format!(
            "its target date, {}, is more than acceptance_max ({horizon}) away (after {latest})",
            target.by
        )));
    }
    let open: Vec<_> = risk
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Open)
        .collect();
    if open.is_empty() {
        return no_plan("it has no open action");
    }
    if open.iter().any(|a| a.due > target.by) {
        return no_plan("an open action is due after its target date");
    }
    if open.iter().all(|a| a.due < as_of) {
        return no_plan("every open action is overdue, so the plan has stalled");
    }
    None
}

fn risk_2_to_4(cx: &Context<'_>, risk: &Record<Risk>, out: &mut Vec<Finding>) {
    let Position::Unaddressed(gap) = position(cx.set, &cx.signoffs, cx.as_of, risk) else {
        return;
    };
    let Some((tolerance, _)) = cx.set.limits(risk) else {
        return;
    };
    let score = risk.residual.value();
    let subject = Subject::Risk(risk.id.clone());
    let why_not = cx
        .signoffs
        .why_not(cx.set, &subject, SignOffType::RiskAcceptance)
        .unwrap_or_else(|| "there is no risk_acceptance sign-off".to_owned());
    let accept = cx.sign_command(&subject, SignOffType::RiskAcceptance);
    let f = match gap {
        Gap::NotEscalated { ceiling } => Finding::rule(
            Rule::Risk4,
            Severity::Red,
            Location::field(&*risk.file, "/residual"),
            format!(
                "risk {} ({}) has residual score {score}, above the appetite's ceiling of {ceiling}, and is not escalated: the SRO cannot accept it alone",
                risk.id, risk.title
            ),
        )
        .with_hint(format!(
            "escalate it to {} and record it on the risk: `escalation: {{to, date, reference}}`",
            cx.set.appetite.as_ref().map_or_else(
                || "the owner of the parent appetite (TLB or Defence)".to_owned(),
                |a| a.escalate_to()
            )
        )),
        Gap::EscalationLapsed { ceiling, on } => {
            let to = risk.escalation.as_ref().map_or("", |e| e.to.as_str());
            Finding::rule(
                Rule::Risk4,
                Severity::Red,
                Location::field(&*risk.file, "/escalation/date"),
                format!(
                    "risk {} ({}) has residual score {score}, above the appetite's ceiling of {ceiling}; its escalation to {to} lapsed on {on}, acceptance_max ({}) after it was made",
                    risk.id, risk.title, cx.policy.acceptance_max
                ),
            )
            .with_hint(format!(
                "confirm the escalation with {to} and record the new date and reference on the risk"
            ))
            .due(on)
        }
        Gap::TargetPassed { by } => Finding::rule(
            Rule::Risk3,
            Severity::Red,
            Location::field(&*risk.file, "/target/by"),
            format!(
                "risk {} ({}) was to be within tolerance by {by}, and its residual score is still {score}, above {tolerance}; there is no valid SRO acceptance ({why_not})",
                risk.id, risk.title
            ),
        )
        .with_hint(format!(
            "ask the SRO to accept it while the treatment finishes ({accept}), or re-plan with a new target and actions"
        ))
        .due(by),
        Gap::NoPlan(why) => Finding::rule(
            Rule::Risk2,
            Severity::Red,
            Location::field(&*risk.file, "/residual"),
            format!(
                "risk {} ({}) has residual score {score}, above the tolerance of {tolerance}, with no valid SRO acceptance ({why_not}) and no credible plan: {why}",
                risk.id, risk.title
            ),
        )
        .with_hint(format!(
            "either plan its treatment (a `target` within {tolerance} with a `by` date, and open actions due by then), or ask the SRO to accept it: {accept}"
        )),
    };
    out.push(f.with_record("risk", Some(&risk.id)));
}
