//! Risks: RISK-1 reviewed by the review date, RISK-2 above tolerance needs an acceptance or
//! treatment, RISK-3 a tolerated risk needs an acceptance.

use super::{Context, Timing, relative};
use crate::finding::{Finding, Location, Rule, Severity};
use crate::records::{ActionStatus, Record, Response, Risk, SignOffType, Subject};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for risk in cx
        .set
        .risks
        .iter()
        .filter(|r| r.is_open() && r.identified <= cx.as_of)
    {
        risk_1(cx, risk, out);
        risk_2_and_3(cx, risk, out);
    }
}

/// The date an open risk is next due for review: its own `review_by`, else the policy
/// interval for its residual band after `last_reviewed`.
pub fn review_due(policy: &crate::records::Policy, risk: &Risk) -> crate::dates::Date {
    if let Some(date) = risk.review_by {
        return date;
    }
    let band = policy.scale.band(risk.residual.value());
    let interval = policy
        .review_interval
        .get(&band.name)
        .copied()
        .unwrap_or(crate::dates::Duration::months(1));
    interval.after(risk.last_reviewed)
}

fn risk_1(cx: &Context<'_>, risk: &Record<Risk>, out: &mut Vec<Finding>) {
    let due = review_due(cx.policy, risk);
    let timing = cx.timing(due);
    let band = cx.policy.scale.band(risk.residual.value());
    let severity = match timing {
        Timing::Overdue(_) if band.is_high() => Severity::Red,
        Timing::Overdue(_) | Timing::DueSoon(_) => Severity::Amber,
        Timing::InDate => return,
    };
    let verb = timing.tense();
    let (pointer, basis) = match risk.review_by {
        Some(_) => ("/review_by", "its review_by date".to_owned()),
        None => (
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

fn risk_2_and_3(cx: &Context<'_>, risk: &Record<Risk>, out: &mut Vec<Finding>) {
    let subject = Subject::Risk(risk.id.clone());
    let accepted = cx
        .signoffs
        .valid(&subject, SignOffType::RiskAcceptance)
        .is_some();
    let why_not = || {
        cx.signoffs
            .why_not(cx.set, &subject, SignOffType::RiskAcceptance)
            .unwrap_or_else(|| "there is no risk_acceptance sign-off".to_owned())
    };
    let accept_hint = format!(
        "ask the SRO to accept it: assure sign --subject risk:{} --type risk_acceptance --by <sro> --expires DATE",
        risk.id
    );
    if risk.response == Response::Tolerate && !accepted {
        out.push(
            Finding::rule(
                Rule::Risk3,
                Severity::Red,
                Location::field(&*risk.file, "/response"),
                format!(
                    "risk {} ({}) is tolerated without a valid SRO acceptance: {}",
                    risk.id,
                    risk.title,
                    why_not()
                ),
            )
            .with_hint(accept_hint.clone())
            .with_record("risk", Some(&risk.id)),
        );
        return;
    }
    // Without an appetite there is no tolerance to compare with; GOV-4 reports that.
    let Some(appetite) = &cx.set.appetite else {
        return;
    };
    let tolerance = appetite.tolerance_for(risk.category.as_deref());
    let score = risk.residual.value();
    if score <= tolerance || accepted {
        return;
    }
    let treated = risk.response == Response::Treat
        && risk.actions.iter().any(|a| a.status == ActionStatus::Open);
    if treated {
        return;
    }
    let plan = match risk.response {
        Response::Treat => "a treat response with no open action",
        Response::Tolerate => "tolerated",
        Response::Transfer => "a transfer response",
        Response::Terminate => "a terminate response",
    };
    out.push(Finding::rule(
            Rule::Risk2,
            Severity::Red,
            Location::field(&*risk.file, "/residual"),
            format!(
                "risk {} ({}) has residual score {score}, above the tolerance of {tolerance}, with {plan} and no valid SRO acceptance ({})",
                risk.id,
                risk.title,
                why_not()
            ),
        )
        .with_hint(format!("add open actions that will bring it within tolerance, or {}", accept_hint)).with_record("risk", Some(&risk.id)));
}
