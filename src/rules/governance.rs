//! Governance: GOV-1 one active SRO, GOV-2 an active security lead, GOV-3 owners are
//! active people, GOV-4 an agreed, in-date risk appetite.

use super::{Context, Timing, about, relative};
use crate::finding::{Finding, Location, Severity};
use crate::records::{Role, SignOffType, Subject};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    gov_1(cx, out);
    gov_2(cx, out);
    gov_3(cx, out);
    gov_4(cx, out);
}

fn people_file(cx: &Context<'_>) -> Location {
    match &cx.set.people {
        Some(p) => Location::field(&*p.file, "/people"),
        None => Location::default(),
    }
}

fn gov_1(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let sros: Vec<&str> = cx
        .set
        .all_people()
        .iter()
        .filter(|p| p.holds(Role::Sro, cx.as_of))
        .map(|p| p.id.as_str())
        .collect();
    let f = match sros.as_slice() {
        [_] => return,
        [] => cx
            .finding(
                "GOV-1",
                Severity::Red,
                people_file(cx),
                format!("there is no active SRO on {}", cx.as_of),
            )
            .with_hint("name the Senior Responsible Owner in people.yaml with `roles: [sro]` (and a `from` date)"),
        many => cx
            .finding(
                "GOV-1",
                Severity::Red,
                people_file(cx),
                format!("there are {} active SROs on {}: {}", many.len(), cx.as_of, many.join(", ")),
            )
            .with_hint("a service has exactly one SRO: end the previous SRO's role with a `to` date"),
    };
    out.push(Finding {
        record: about("people", None),
        ..f
    });
}

fn gov_2(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if cx
        .set
        .all_people()
        .iter()
        .any(|p| p.holds(Role::SecurityLead, cx.as_of))
    {
        return;
    }
    let mut f = cx
        .finding(
            "GOV-2",
            Severity::Amber,
            people_file(cx),
            format!("there is no active security lead on {}", cx.as_of),
        )
        .with_hint("name someone with cyber security experience in people.yaml with the role security_lead");
    f.record = about("people", None);
    out.push(f);
}

fn gov_3(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let inactive = |who: &str| cx.set.person(who).is_some_and(|p| !p.is_active(cx.as_of));
    let hint = |who: &str| {
        format!(
            "{who} has left or not yet started: hand the work to an active person, or correct their dates in people.yaml"
        )
    };
    for risk in cx
        .set
        .risks
        .iter()
        .filter(|r| r.is_open() && r.identified <= cx.as_of)
    {
        if inactive(&risk.owner) {
            let mut f = cx
                .finding(
                    "GOV-3",
                    Severity::Amber,
                    Location::field(&*risk.file, "/owner"),
                    format!(
                        "risk {} is owned by {}, who is not active on {}",
                        risk.id, risk.owner, cx.as_of
                    ),
                )
                .with_hint(hint(&risk.owner));
            f.record = about("risk", Some(&risk.id));
            out.push(f);
        }
    }
    let actions = cx
        .set
        .risks
        .iter()
        .map(|r| ("risk", r.id.as_str(), &r.file, &r.actions))
        .chain(
            cx.set
                .assessments
                .iter()
                .map(|a| ("assessment", a.id.as_str(), &a.file, &a.actions)),
        );
    for (kind, id, file, list) in actions {
        for (i, action) in list.iter().enumerate() {
            if action.status == crate::records::ActionStatus::Open && inactive(&action.owner) {
                let mut f = cx
                    .finding(
                        "GOV-3",
                        Severity::Amber,
                        Location::field(&**file, format!("/actions/{i}/owner")),
                        format!(
                            "action {} ({kind} {id}) is owned by {}, who is not active on {}",
                            action.id, action.owner, cx.as_of
                        ),
                    )
                    .with_hint(hint(&action.owner));
                f.record = about(kind, Some(id));
                out.push(f);
            }
        }
    }
}

fn gov_4(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(appetite) = &cx.set.appetite else {
        let mut f = cx
            .finding(
                "GOV-4",
                Severity::Red,
                Location::default(),
                "there is no risk appetite (appetite.yaml)".to_owned(),
            )
            .with_hint("write appetite.yaml with the SRO, then have them sign it (assure sign --subject appetite --type appetite_approval)");
        f.record = about("appetite", None);
        out.push(f);
        return;
    };
    if cx
        .signoffs
        .valid(&Subject::Appetite, SignOffType::AppetiteApproval)
        .is_none()
    {
        let why = cx
            .signoffs
            .why_not(cx.set, &Subject::Appetite, SignOffType::AppetiteApproval)
            .unwrap_or_else(|| "there is no appetite_approval sign-off".to_owned());
        let mut f = cx
            .finding(
                "GOV-4",
                Severity::Red,
                Location::field(&*appetite.file, "/statement"),
                format!("the risk appetite is not agreed by the SRO: {why}"),
            )
            .with_hint("have the SRO approve it: assure sign --subject appetite --type appetite_approval --by <sro>");
        f.record = about("appetite", None);
        out.push(f);
    }
    let due = cx.policy.appetite_review.after(appetite.last_reviewed);
    let (severity, verb) = match cx.timing(due) {
        Timing::Overdue(_) => (Severity::Red, "was due"),
        Timing::DueSoon(_) => (Severity::Amber, "is due"),
        Timing::InDate => return,
    };
    let mut f = cx
        .finding(
            "GOV-4",
            severity,
            Location::field(&*appetite.file, "/last_reviewed"),
            format!(
                "the risk appetite review {verb} on {due}, {} (last reviewed {}, every {})",
                relative(cx.timing(due)),
                appetite.last_reviewed,
                cx.policy.appetite_review
            ),
        )
        .with_hint(
            "review the appetite with the SRO, update last_reviewed, and have them sign it again",
        );
    f.due = Some(due);
    f.record = about("appetite", None);
    out.push(f);
}
