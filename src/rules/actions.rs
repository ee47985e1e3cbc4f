//! Actions: ACT-1 actions are not overdue (amber; red past 30 days or on a high risk), ACT-2
//! a closed risk has no open actions.

use super::{Context, Timing, relative};
use crate::finding::{Finding, Location, Rule, Severity};
use crate::records::{Action, ActionStatus};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    act_2(cx, out);
    for risk in cx.set.risks.iter().filter(|r| r.is_open()) {
        let high = cx.policy.scale.band(risk.residual.value()).is_high();
        for (i, action) in risk.actions.iter().enumerate() {
            if let Some(f) = act_1(
                cx,
                action,
                high,
                || Location::field(&*risk.file, format!("/actions/{i}/due")),
                "risk",
                &risk.id,
            ) {
                out.push(f);
            }
        }
    }
    for assessment in &cx.set.assessments {
        for (i, action) in assessment.actions.iter().enumerate() {
            let location = || Location::field(&*assessment.file, format!("/actions/{i}/due"));
            if let Some(f) = act_1(cx, action, false, location, "assessment", &assessment.id) {
                out.push(f);
            }
        }
    }
}

fn act_1(
    cx: &Context<'_>,
    action: &Action,
    on_high_risk: bool,
    // Made only for a finding: most actions are in date.
    location: impl FnOnce() -> Location,
    kind: &'static str,
    id: &str,
) -> Option<Finding> {
    if action.status != ActionStatus::Open {
        return None;
    }
    let timing = cx.timing(action.due);
    let severity = match timing {
        Timing::Overdue(_)
            if on_high_risk || cx.as_of > cx.policy.action_red_after.after(action.due) =>
        {
            Severity::Red
        }
        Timing::Overdue(_) | Timing::DueSoon(_) => Severity::Amber,
        Timing::InDate => return None,
    };
    let late = timing.tense();
    let high = if on_high_risk { ", on a high risk" } else { "" };
    Some(
        Finding::rule(
            Rule::Act1,
            severity,
            location(),
            format!(
                "action {} ({kind} {id}{high}) {late} due on {}, {}: {}",
                action.id,
                action.due,
                relative(timing),
                action.title
            ),
        )
        .with_hint(format!(
            "{} should finish it and set `status: done` with `done_on`, or agree a new due date",
            action.owner
        ))
        .due(action.due)
        .with_record(kind, Some(id)),
    )
}

/// ACT-2: a closed risk with open actions says two things at once.
fn act_2(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for risk in cx.set.risks.iter().filter(|r| !r.is_open()) {
        let open: Vec<(usize, &Action)> = risk
            .actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.status == ActionStatus::Open)
            .collect();
        let Some(&(first, _)) = open.first() else {
            continue;
        };
        let ids: Vec<&str> = open.iter().map(|(_, a)| a.id.as_str()).collect();
        out.push(
            Finding::rule(
                Rule::Act2,
                Severity::Amber,
                Location::field(&*risk.file, format!("/actions/{first}/status")),
                match ids.as_slice() {
                    [one] => format!("risk {} is closed but its action {one} is still open", risk.id),
                    many => format!(
                        "risk {} is closed but its actions {} are still open",
                        risk.id,
                        many.join(", ")
                    ),
                },
            )
            .with_hint("finish each (`status: done` with `done_on`) or cancel it (`status: cancelled`), or reopen the risk")
            .with_record("risk", Some(&risk.id)),
        );
    }
}
