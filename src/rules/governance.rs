//! Governance: GOV-1 one active SRO, GOV-2 an active Delivery Team Security Lead (and a
//! Project Security Officer for SECRET and above), GOV-3 owners are active people and risk
//! owners hold the role, GOV-4 an agreed, in-date risk appetite, GOV-5 the service is
//! registered on CAAT (DART S above OFFICIAL), GOV-6 no placeholder text from `assure init`.

use super::{Context, relative};
use crate::finding::{Finding, Location, Rule, Severity};
use crate::records::{Classification, Role, SignOffType, Subject};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    gov_1(cx, out);
    gov_2(cx, out);
    gov_3(cx, out);
    gov_4(cx, out);
    gov_5(cx, out);
    gov_6(cx, out);
    gov_7(cx, out);
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
        [] => Finding::rule(
                Rule::Gov1,
                Severity::Red,
                people_file(cx),
                format!("there is no active SRO on {}", cx.as_of),
            )
            .with_hint("name the Senior Responsible Owner in people.yaml with `roles: [sro]` (and a `from` date)"),
        many => Finding::rule(
                Rule::Gov1,
                Severity::Red,
                people_file(cx),
                format!("there are {} active SROs on {}: {}", many.len(), cx.as_of, many.join(", ")),
            )
            .with_hint("a service has exactly one SRO: end the previous SRO's role with a `to` date"),
    };
    out.push(f.with_record("people", None));
}

fn gov_2(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let held = |role| cx.set.all_people().iter().any(|p| p.holds(role, cx.as_of));
    let mut missing = |message: String, hint: &str| {
        out.push(
            Finding::rule(Rule::Gov2, Severity::Amber, people_file(cx), message)
                .with_hint(hint)
                .with_record("people", None),
        );
    };
    if !held(Role::SecurityLead) {
        missing(
            format!(
                "there is no active Delivery Team Security Lead on {}",
                cx.as_of
            ),
            "name someone with cyber security experience in people.yaml with the role security_lead",
        );
    }
    let classification = cx
        .set
        .project
        .as_ref()
        .map_or(Classification::Official, |p| p.max_classification());
    if classification >= Classification::Secret && !held(Role::ProjectSecurityOfficer) {
        missing(
            format!(
                "there is no active Project Security Officer on {} (a service handling {} needs one)",
                cx.as_of,
                classification.as_str()
            ),
            "name the Project Security Officer in people.yaml with the role project_security_officer",
        );
    }
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
        let (message, hint) = if inactive(&risk.owner) {
            (
                format!(
                    "risk {} is owned by {}, who is not active on {}",
                    risk.id, risk.owner, cx.as_of
                ),
                hint(&risk.owner),
            )
        } else if cx
            .set
            .person(&risk.owner)
            .is_some_and(|p| !p.holds(Role::RiskOwner, cx.as_of))
        {
            (
                format!(
                    "risk {} is owned by {}, who does not hold the risk_owner role on {}",
                    risk.id, risk.owner, cx.as_of
                ),
                format!(
                    "give {} the risk_owner role in people.yaml, or hand the risk to someone who holds it",
                    risk.owner
                ),
            )
        } else {
            continue;
        };
        out.push(
            Finding::rule(
                Rule::Gov3,
                Severity::Amber,
                Location::field(&*risk.file, "/owner"),
                message,
            )
            .with_hint(hint)
            .with_record("risk", Some(&risk.id)),
        );
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
                out.push(
                    Finding::rule(
                        Rule::Gov3,
                        Severity::Amber,
                        Location::field(&**file, format!("/actions/{i}/owner")),
                        format!(
                            "action {} ({kind} {id}) is owned by {}, who is not active on {}",
                            action.id, action.owner, cx.as_of
                        ),
                    )
                    .with_hint(hint(&action.owner))
                    .with_record(kind, Some(id)),
                );
            }
        }
    }
}

fn gov_4(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(appetite) = &cx.set.appetite else {
        out.push(
            Finding::rule(
                Rule::Gov4,
                Severity::Red,
                Location::default(),
                "there is no risk appetite (appetite.yaml)".to_owned(),
            )
            .with_hint(format!(
                "write appetite.yaml with the SRO, then have them approve it: {}",
                cx.sign_command(&Subject::Appetite, SignOffType::AppetiteApproval)
            ))
            .with_record("appetite", None),
        );
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
        out.push(
            Finding::rule(
                Rule::Gov4,
                Severity::Red,
                Location::field(&*appetite.file, "/statement"),
                format!("the risk appetite is not agreed by the SRO: {why}"),
            )
            .with_hint(format!(
                "have the SRO approve it: {}",
                cx.sign_command(&Subject::Appetite, SignOffType::AppetiteApproval)
            ))
            .with_record("appetite", None),
        );
    }
    // Due at the policy interval, or sooner after an event that names the appetite.
    let routine = cx.policy.appetite_review.after(appetite.last_reviewed);
    let (due, basis) = match cx
        .set
        .event_review("appetite", appetite.last_reviewed, cx.as_of)
    {
        Some((due, event)) if due < routine => (due, cx.set.event_asks(event, "the appetite")),
        _ => (
            routine,
            format!(
                "last reviewed {}, every {}",
                appetite.last_reviewed, cx.policy.appetite_review
            ),
        ),
    };
    let timing = cx.timing(due);
    let Some(severity) = timing.severity() else {
        return;
    };
    out.push(
        Finding::rule(
            Rule::Gov4,
            severity,
            Location::field(&*appetite.file, "/last_reviewed"),
            format!(
                "the risk appetite review {} due on {due}, {} ({basis})",
                timing.tense(),
                relative(timing),
            ),
        )
        .with_hint(
            "review the appetite with the SRO and update last_reviewed; if its statement, tolerances or ceiling change, the SRO approves it again",
        )
        .due(due)
        .with_record("appetite", None),
    );
}

/// Every programme registers on CAAT, or on DART S when it handles more than OFFICIAL.
fn gov_5(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(project) = &cx.set.project else {
        return;
    };
    if project.caat_reference.is_some() {
        return;
    }
    let tool = match project.max_classification() {
        Classification::Official => "CAAT",
        _ => "DART S",
    };
    out.push(
        Finding::rule(
            Rule::Gov5,
            Severity::Amber,
            cx.project_field(""),
            format!("the service's {tool} registration is not recorded"),
        )
        .with_hint(format!(
            "register the service on {tool} (with its sponsors, scope, lifecycle stage and classification) and record the reference in project.yaml as caat_reference"
        ))
        .with_record("project", None),
    );
}

/// GOV-6: the text fields a person writes, each checked for the starting files' placeholders.
fn gov_6(cx: &Context<'_>, out: &mut Vec<Finding>) {
    // (file, kind, id, pointer) of each field holding a placeholder; a pointer is written
    // only for those, as most records hold none.
    type Field<'s> = (&'s str, &'static str, Option<&'s str>, String);
    fn check<'s>(
        fields: &mut Vec<Field<'s>>,
        (file, kind, id): (&'s str, &'static str, Option<&'s str>),
        text: &str,
        pointer: impl FnOnce() -> String,
    ) {
        if crate::scaffold::is_placeholder(text) {
            fields.push((file, kind, id, pointer()));
        }
    }
    let mut fields: Vec<Field<'_>> = Vec::new();
    if let Some(p) = &cx.set.project {
        for (pointer, text) in [
            ("/name", &p.name),
            ("/description", &p.description),
            ("/organisation", &p.organisation),
        ] {
            check(&mut fields, (&p.file, "project", None), text, || {
                pointer.to_owned()
            });
        }
    }
    if let Some(people) = &cx.set.people {
        for (i, person) in people.people.iter().enumerate() {
            for (field, text) in [("name", &person.name), ("email", &person.email)] {
                check(&mut fields, (&people.file, "people", None), text, || {
                    format!("/people/{i}/{field}")
                });
            }
        }
    }
    if let Some(a) = &cx.set.appetite {
        check(
            &mut fields,
            (&a.file, "appetite", None),
            &a.statement,
            || "/statement".to_owned(),
        );
    }
    for risk in &cx.set.risks {
        let id = Some(risk.id.as_str());
        let at = (&*risk.file, "risk", id);
        check(&mut fields, at, &risk.title, || "/title".to_owned());
        check(&mut fields, at, &risk.description, || {
            "/description".to_owned()
        });
        for (i, control) in risk.controls.iter().enumerate() {
            check(&mut fields, at, control, || format!("/controls/{i}"));
        }
        for (i, action) in risk.actions.iter().enumerate() {
            check(&mut fields, at, &action.title, || {
                format!("/actions/{i}/title")
            });
        }
    }
    // One finding per file, at its first placeholder, naming every field that holds one.
    let mut by_file: Vec<(&str, &'static str, Option<&str>, Vec<String>)> = Vec::new();
    for (file, kind, id, pointer) in fields {
        match by_file.iter_mut().find(|(f, ..)| *f == file) {
            Some((.., pointers)) => pointers.push(pointer),
            None => by_file.push((file, kind, id, vec![pointer])),
        }
    }
    for (file, kind, id, pointers) in by_file {
        let names: Vec<String> = pointers
            .iter()
            .map(|p| crate::records::schema::field_name(p))
            .collect();
        let message = match names.as_slice() {
            [one] => format!("{one} still holds placeholder text from `assure init`"),
            many => format!(
                "{} fields still hold placeholder text from `assure init`: {}",
                many.len(),
                many.join(", ")
            ),
        };
        out.push(
            Finding::rule(
                Rule::Gov6,
                Severity::Red,
                Location::field(file, &pointers[0]),
                message,
            )
            .with_hint("write the real values: the records must describe this service before anyone relies on them")
            .with_record(kind, id),
        );
    }
}

/// GOV-7: each glob in a record's `paths` matches a file in the repository.
fn gov_7(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(files) = cx.files else {
        return;
    };
    for (kind, file, i, path) in crate::covered::unmatched(cx.set, files) {
        let id = match kind {
            "risk" => cx
                .set
                .risks
                .iter()
                .find(|r| &*r.file == file)
                .map(|r| r.id.as_str()),
            _ => cx
                .set
                .assessments
                .iter()
                .find(|a| &*a.file == file)
                .map(|a| a.id.as_str()),
        };
        out.push(
            Finding::rule(
                Rule::Gov7,
                Severity::Amber,
                Location::field(file, format!("/paths/{i}")),
                format!("`{path}` matches no file in the repository"),
            )
            .with_hint("correct the path, or remove it if the code has gone: `*` stays within a folder, `**` crosses folders")
            .with_record(kind, id),
        );
    }
}
