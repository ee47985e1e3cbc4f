//! Assessments: ASSESS-1 there is a self-assessment of the whole service, ASSESS-2 the
//! latest is in date, ASSESS-3 events are followed by an assessment, ASSESS-4 the team's
//! current reports are SRO-approved, ASSESS-5 milestone reviews, ASSESS-6 a high-criticality
//! service's independent assessments.
//!
//! Only the team's own self-assessment of the whole service answers the three-monthly cycle:
//! an independent (CySAAS) assessment is not the team's, and a targeted one does not cover
//! the service. A targeted assessment answers only the event it names; CySAAS's own report
//! needs no approval from the team's SRO.

use super::{Context, Timing, relative};
use crate::finding::{Finding, Location, Rule, Severity};
use crate::records::{
    Assessment, AssessmentType, Classification, Coverage, Criticality, EventType,
    IndependentReview, Record, SignOffType, Subject,
};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    // Assessments dated after the evaluation day had not happened yet.
    let done: Vec<&Record<Assessment>> = cx
        .set
        .assessments
        .iter()
        .filter(|a| a.date <= cx.as_of)
        .collect();
    let latest_full = crate::records::latest_where(
        &cx.set.assessments,
        cx.as_of,
        Assessment::is_full_self_assessment,
    );
    match latest_full {
        None => assess_1(cx, out),
        Some(latest) => assess_2(cx, latest, out),
    }
    // The team's current reports: the latest full self-assessment, and targeted ones since.
    for report in done.iter().filter(|a| {
        a.kind == AssessmentType::SelfAssessment
            && latest_full.is_none_or(|l| (a.date, &a.id) >= (l.date, &l.id))
    }) {
        assess_4(cx, report, out);
    }
    assess_3(cx, &done, out);
    assess_5(cx, out);
    assess_6(cx, out);
}

/// Where the team does its self-assessment: CAAT's question set for the project's lifecycle
/// stage, or DART S above OFFICIAL.
fn how_to_assess(cx: &Context<'_>) -> String {
    let Some(project) = &cx.set.project else {
        return "in CAAT".to_owned();
    };
    if project.max_classification() > Classification::Official {
        return "in DART S".to_owned();
    }
    let stage = project.lifecycle_stage;
    format!(
        "in CAAT: the {} question set, for the {stage} stage",
        stage.caat_question_set()
    )
}

fn assess_1(cx: &Context<'_>, out: &mut Vec<Finding>) {
    out.push(Finding::rule(
            Rule::Assess1,
            Severity::Red,
            Location::default(),
            format!(
                "no self-assessment of the whole service is recorded on or before {}",
                cx.as_of
            ),
        )
        .with_hint(format!("do a self-assessment of the whole service ({}) and record it in assessments/, for example assessments/YYYY-MM-DD-self.yaml; an independent or a targeted assessment does not count for this", how_to_assess(cx)))
        .with_record("assessment", None));
}

fn assess_2(cx: &Context<'_>, latest: &Record<Assessment>, out: &mut Vec<Finding>) {
    let due = cx.policy.assessment_interval.after(latest.date);
    let timing = cx.timing(due);
    let Some(severity) = timing.severity() else {
        return;
    };
    out.push(Finding::rule(
            Rule::Assess2,
            severity,
            Location::field(&*latest.file, "/date"),
            format!(
                "the next self-assessment of the whole service {} due by {due}, {} (the latest, {}, was on {}; policy: every {})",
                timing.tense(),
                relative(timing),
                latest.id,
                latest.date,
                cx.policy.assessment_interval
            ),
        )
        .with_hint(format!(
            "do the next self-assessment of the whole service ({}) and record it in assessments/",
            how_to_assess(cx)
        ))
        .due(due)
        .with_record("assessment", Some(&latest.id)));
}

fn assess_3(cx: &Context<'_>, done: &[&Record<Assessment>], out: &mut Vec<Finding>) {
    for event in cx.set.events.iter().filter(|e| e.date <= cx.as_of) {
        // An assessment naming the event answers it; so does one of the whole service, by
        // the team or independent, on or after its day. A targeted one answers only the
        // event it names.
        // A change is best assessed before it is made, so one naming it answers it whenever
        // it is dated; a breach or a new threat can only be assessed after it.
        let answered = done.iter().any(|a| {
            let names = a.trigger_ref.as_deref() == Some(event.id.as_str());
            (names && event.kind == EventType::Change)
                || (a.date >= event.date && (names || a.coverage() == Coverage::Full))
        });
        if answered {
            continue;
        }
        let window = cx.policy.event_reassessment.within(event.kind);
        let due = window.after(event.date);
        let timing = cx.timing(due);
        let Some(severity) = timing.severity() else {
            continue;
        };
        out.push(Finding::rule(
                Rule::Assess3,
                severity,
                Location::field(&*event.file, "/date"),
                format!(
                    "event {} ({} on {}) has no assessment after it; one {} needed by {due}, {}",
                    event.id,
                    event.kind.words(),
                    event.date,
                    timing.tense(),
                    relative(timing)
                ),
            )
            .with_hint(format!(
                "assess the impact of the {}, then record it with `trigger: {}` and `trigger_ref: {}`",
                event.kind.words(),
                event.kind,
                event.id
            ))
            .due(due)
            .with_record("event", Some(&event.id)));
    }
}

fn assess_4(cx: &Context<'_>, latest: &Record<Assessment>, out: &mut Vec<Finding>) {
    let subject = Subject::Assessment(latest.id.clone());
    if cx
        .signoffs
        .valid(&subject, SignOffType::ReportApproval)
        .is_some()
    {
        return;
    }
    // The SRO gets the due-soon window to approve a new report; after that it is red.
    let due = cx.policy.due_soon.after(latest.date);
    let timing = cx.timing(due);
    let severity = match timing {
        Timing::Overdue(_) => Severity::Red,
        _ => Severity::Amber,
    };
    let why = cx
        .signoffs
        .why_not(cx.set, &subject, SignOffType::ReportApproval)
        .unwrap_or_else(|| "there is no report_approval sign-off".to_owned());
    out.push(
        Finding::rule(
            Rule::Assess4,
            severity,
            Location::field(&*latest.file, "/id"),
            format!(
                "self-assessment {} is not approved by the SRO ({why}); approval due by {due}",
                latest.id
            ),
        )
        .with_hint(format!(
            "ask the SRO to review the report and approve it before it is shared: {}",
            cx.sign_command(
                &Subject::Assessment(latest.id.clone()),
                SignOffType::ReportApproval
            )
        ))
        .due(due)
        .with_record("assessment", Some(&latest.id)),
    );
}

fn assess_5(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let horizon = cx.policy.milestone_horizon.after(cx.as_of);
    for (i, m) in cx.set.milestones().iter().enumerate() {
        let location = cx.project_field(&format!("/milestones/{i}/independent_review"));
        let f = match m.independent_review {
            IndependentReview::Undecided if m.date >= cx.as_of && m.date <= horizon => Finding::rule(
                    Rule::Assess5,
                    Severity::Amber,
                    location,
                    format!(
                        "milestone {} ({}) on {} is {}, and no one has decided whether it needs an independent review",
                        m.id,
                        m.name,
                        m.date,
                        relative(cx.timing(m.date))
                    ),
                )
                .with_hint("decide with the SRO: set independent_review to requested (and ask CySAAS) or not_needed"),
            IndependentReview::Requested => {
                let timing = cx.timing(m.date);
                let Some(severity) = timing.severity() else {
                    continue;
                };
                Finding::rule(
                    Rule::Assess5,
                    severity,
                    location,
                    format!(
                        "the independent review requested for milestone {} ({}) {} needed by {}, {}, and is not done",
                        m.id,
                        m.name,
                        timing.tense(),
                        m.date,
                        relative(timing)
                    ),
                )
                .with_hint("chase the review; when it is done, record the assessment and set independent_review: done")
            }
            _ => continue,
        };
        out.push(f.due(m.date).with_record("project", None));
    }
}

/// CySAAS may select a high-risk capability for independent assessment; a service its team
/// rates `criticality: high` has one at least every `independent_interval`.
fn assess_6(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if cx
        .set
        .project
        .as_ref()
        .is_none_or(|p| p.criticality != Criticality::High)
    {
        return;
    }
    let hint = "ask CySAAS for an independent assessment (for example at the next milestone, with `independent_review: requested`) or commission an independent assessor, and record it with `type: independent`";
    let latest = crate::records::latest_where(&cx.set.assessments, cx.as_of, |a| {
        a.kind == AssessmentType::Independent
    });
    let finding = match latest {
        None => Finding::rule(
            Rule::Assess6,
            Severity::Amber,
            cx.project_field("/criticality"),
            format!(
                "the service's criticality is high, and no independent assessment is recorded on or before {}",
                cx.as_of
            ),
        )
        .with_record("assessment", None),
        Some(latest) => {
            let due = cx.policy.independent_interval.after(latest.date);
            let timing = cx.timing(due);
            if timing == Timing::InDate {
                return;
            }
            Finding::rule(
                Rule::Assess6,
                Severity::Amber,
                Location::field(&*latest.file, "/date"),
                format!(
                    "the next independent assessment of this high-criticality service {} due by {due}, {} (the latest, {}, was on {}; policy: every {})",
                    timing.tense(),
                    relative(timing),
                    latest.id,
                    latest.date,
                    cx.policy.independent_interval
                ),
            )
            .due(due)
            .with_record("assessment", Some(&latest.id))
        }
    };
    out.push(finding.with_hint(hint));
}
