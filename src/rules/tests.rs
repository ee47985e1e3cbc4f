//! Every rule, raising and not raising, at its boundary dates: in date (just outside the
//! due-soon window), due soon, due tomorrow, due today, and one day late.

use std::collections::BTreeMap;

use super::*;
use crate::dates::parse_date;
use crate::records::load::load;
use crate::records::yaml::parse_value;
use crate::source::{Content, Entry};

fn d(text: &str) -> Date {
    parse_date(text).unwrap()
}

/// A set of record files, by path under the records folder.
#[derive(Clone)]
struct Records(BTreeMap<String, String>);

const PROJECT: &str = "kind: project
name: Test Service
description: A service used in tests.
organisation: Test
lifecycle_stage: in_service
criticality: medium
caat_reference: CAAT-0001
";

const PEOPLE: &str = "kind: people
people:
  - id: p-sro
    name: Sam Owner
    email: sro@example.gov.uk
    roles: [sro]
  - id: p-lead
    name: Lee Lead
    email: lead@example.gov.uk
    roles: [security_lead, risk_owner]
  - id: p-owner
    name: Olu Owner
    email: owner@example.gov.uk
    roles: [risk_owner]
";

const APPETITE: &str = "kind: appetite
statement: No loss of personal data.
tolerance: 6
categories:
  - {name: confidentiality, tolerance: 4}
agreed_on: 2025-06-01
last_reviewed: 2026-05-01
";

const ASSESSMENT: &str = "kind: assessment
id: 2026-05-15-self
type: self
trigger: scheduled
date: 2026-05-15
assessors: [p-lead]
scope: Everything.
outcome: {summary: Fine.}
";

const BOARD: &str = "kind: board\nid: 2026-05-20\ndate: 2026-05-20\nboard: Programme Board\n";

fn risk(id: &str, extra: &str) -> String {
    format!(
        "kind: risk
id: {id}
title: Risk {id}
description: Something bad.
owner: p-owner
status: open
response: treat
inherent: {{likelihood: 5, impact: 5}}
residual: {{likelihood: 1, impact: 2}}
identified: 2026-01-05
last_reviewed: 2026-05-01
{extra}"
    )
}

fn digest(text: &str) -> String {
    crate::records::signed::digest_of_record(&parse_value(text).unwrap())
        .unwrap()
        .to_string()
}

impl Records {
    /// Green on 2026-06-01: everything in date, approved and signed.
    fn green() -> Records {
        let mut r = Records(BTreeMap::new());
        r.put("project.yaml", PROJECT);
        r.put("people.yaml", PEOPLE);
        r.put("appetite.yaml", APPETITE);
        r.put("assessments/2026-05-15-self.yaml", ASSESSMENT);
        r.put("boards/2026-05-20.yaml", BOARD);
        r.put("risks/R-001.yaml", &risk("R-001", ""));
        r.sign(
            "S-0001",
            "appetite_approval",
            "appetite",
            "p-sro",
            "2026-05-02",
            "",
        );
        r.sign(
            "S-0002",
            "report_approval",
            "assessment:2026-05-15-self",
            "p-sro",
            "2026-05-20",
            "",
        );
        r
    }

    fn put(&mut self, path: &str, text: &str) -> &mut Self {
        self.0.insert(path.to_owned(), text.to_owned());
        self
    }

    fn remove(&mut self, path: &str) -> &mut Self {
        self.0.remove(path);
        self
    }

    fn subject_file(subject: &str) -> String {
        match subject.split_once(':') {
            Some(("risk", id)) => format!("risks/{id}.yaml"),
            Some(("assessment", id)) => format!("assessments/{id}.yaml"),
            _ => "appetite.yaml".to_owned(),
        }
    }

    /// A sign-off whose digest matches the subject as it is now.
    fn sign(
        &mut self,
        id: &str,
        kind: &str,
        subject: &str,
        by: &str,
        date: &str,
        extra: &str,
    ) -> &mut Self {
        let digest = digest(&self.0[&Self::subject_file(subject)]);
        let text = format!(
            "kind: signoff\nid: {id}\ntype: {kind}\nsubject: {subject}\nsubject_digest: {digest}\nsigned_by: {by}\ndate: {date}\n{extra}"
        );
        self.put(&format!("signoffs/{id}.yaml"), &text)
    }

    fn set(&self) -> RecordSet {
        let entries = self
            .0
            .iter()
            .map(|(path, text)| Entry {
                path: format!("assurance/{path}"),
                relative: path.clone(),
                content: Content::Bytes(text.clone().into_bytes()),
            })
            .collect();
        let loaded = load("assurance", entries);
        assert!(
            loaded.is_valid(),
            "test records are invalid: {:#?}",
            loaded.problems
        );
        loaded.records
    }

    fn status(&self, as_of: &str) -> Status {
        evaluate(&self.set(), d(as_of), &Witness::default())
    }

    /// The findings of one rule: (severity, message).
    fn of(&self, rule: &str, as_of: &str) -> Vec<(Severity, String)> {
        self.status(as_of)
            .findings
            .into_iter()
            .filter(|f| f.code.as_str() == rule)
            .map(|f| (f.severity, f.message))
            .collect()
    }

    fn severities(&self, rule: &str, as_of: &str) -> Vec<Severity> {
        self.of(rule, as_of).into_iter().map(|(s, _)| s).collect()
    }
}

const NONE: &[Severity] = &[];
const AMBER: &[Severity] = &[Severity::Amber];
const RED: &[Severity] = &[Severity::Red];

/// The usual boundaries for something due on `due`: in date the day before the due-soon
/// window opens, amber from 14 days before through the due day, `late` the day after.
fn boundaries(records: &Records, rule: &str, due: &str, late: &[Severity]) {
    let due = d(due);
    let day = |n: i64| (due + jiff::Span::new().days(n)).to_string();
    assert_eq!(
        records.severities(rule, &day(-15)),
        NONE,
        "{rule}: 15 days before {due}"
    );
    assert_eq!(
        records.severities(rule, &day(-14)),
        AMBER,
        "{rule}: 14 days before {due}"
    );
    assert_eq!(
        records.severities(rule, &day(-1)),
        AMBER,
        "{rule}: due tomorrow ({due})"
    );
    assert_eq!(
        records.severities(rule, &day(0)),
        AMBER,
        "{rule}: due today ({due})"
    );
    assert_eq!(
        records.severities(rule, &day(1)),
        late,
        "{rule}: one day late ({due})"
    );
}

#[test]
fn the_green_fixture_is_green() {
    let status = Records::green().status("2026-06-01");
    assert_eq!(status.findings, vec![], "{:#?}", status.findings);
    assert_eq!(status.overall, Rag::Green);
    assert!(status.areas.iter().all(|(_, r)| *r == Rag::Green));
}

#[test]
fn evaluation_is_deterministic() {
    let mut r = Records::green();
    r.put(
        "risks/R-002.yaml",
        &risk("R-002", "review_by: 2026-05-01\n"),
    );
    r.remove("boards/2026-05-20.yaml");
    let a = r.status("2026-06-01");
    let b = r.status("2026-06-01");
    assert_eq!(a.findings, b.findings);
    assert_eq!(a.overall, b.overall);
}

#[test]
fn overall_is_the_worst_area() {
    let mut r = Records::green();
    r.remove("boards/2026-05-20.yaml");
    let status = r.status("2026-06-01");
    assert_eq!(status.area(Area::Reporting), Rag::Amber);
    assert_eq!(status.overall, Rag::Amber);
    r.remove("appetite.yaml").remove("signoffs/S-0001.yaml");
    let status = r.status("2026-06-01");
    assert_eq!(status.area(Area::Governance), Rag::Red);
    assert_eq!(status.overall, Rag::Red);
    // Worst first.
    assert_eq!(status.findings[0].severity, Severity::Red);
}

#[test]
fn assess_1_needs_an_assessment() {
    let mut r = Records::green();
    assert_eq!(r.severities("ASSESS-1", "2026-06-01"), NONE);
    r.remove("assessments/2026-05-15-self.yaml")
        .remove("signoffs/S-0002.yaml");
    assert_eq!(r.severities("ASSESS-1", "2026-06-01"), RED);
    // One dated after the evaluation day had not happened yet.
    let r = Records::green();
    assert_eq!(r.severities("ASSESS-1", "2026-05-14"), RED);
}

#[test]
fn assess_2_boundaries() {
    // 2026-05-15 + P3M = 2026-08-15.
    boundaries(&Records::green(), "ASSESS-2", "2026-08-15", RED);
    let (_, message) = Records::green().of("ASSESS-2", "2026-08-16").remove(0);
    assert!(
        message.contains("was due by 2026-08-15, 1 day ago"),
        "{message}"
    );
}

#[test]
fn assess_2_uses_a_shorter_policy_interval() {
    let mut r = Records::green();
    r.put(
        "project.yaml",
        &format!("{PROJECT}policy:\n  assessment_interval: P2M\n"),
    );
    boundaries(&r, "ASSESS-2", "2026-07-15", RED);
}

#[test]
fn assess_3_boundaries_and_answers() {
    let mut r = Records::green();
    r.put(
        "events/E-001.yaml",
        "kind: event\nid: E-001\ntype: change\ndate: 2026-06-10\nsummary: New hosting.\n",
    );
    // 2026-06-10 + P30D = 2026-07-10.
    boundaries(&r, "ASSESS-3", "2026-07-10", RED);
    assert_eq!(
        r.severities("ASSESS-3", "2026-06-09"),
        NONE,
        "not yet happened"
    );
    // An assessment on or after the event answers it.
    let mut answered = r.clone();
    answered.put(
        "assessments/2026-06-20-self.yaml",
        &ASSESSMENT
            .replace("2026-05-15", "2026-06-20")
            .replace("scheduled", "change"),
    );
    assert_eq!(answered.severities("ASSESS-3", "2026-07-11"), NONE);
    // So does one that names it: for a change, whenever it is dated (a change is best
    // assessed before it is made).
    let mut named = r.clone();
    named.put(
        "assessments/2026-06-09-self.yaml",
        &ASSESSMENT
            .replace("2026-05-15", "2026-06-09")
            .replace("trigger: scheduled", "trigger: change\ntrigger_ref: E-001"),
    );
    assert_eq!(named.severities("ASSESS-3", "2026-07-11"), NONE);
    // A breach allows P14D: due 2026-06-24.
    let mut breach = Records::green();
    breach.put(
        "events/E-001.yaml",
        "kind: event\nid: E-001\ntype: breach\ndate: 2026-06-10\nsummary: Data leaked.\n",
    );
    assert_eq!(breach.severities("ASSESS-3", "2026-06-24"), AMBER);
    assert_eq!(breach.severities("ASSESS-3", "2026-06-25"), RED);
}

/// An independent (CySAAS) assessment is not the team's three-monthly self-assessment: it
/// leaves ASSESS-2 where it was, needs no report approval from the team's SRO, and its
/// actions still count.
#[test]
fn independent_assessments_leave_the_self_assessment_clock() {
    let mut r = Records::green();
    r.put(
        "assessments/2026-08-01-cysaas.yaml",
        &(ASSESSMENT
            .replace("2026-05-15-self", "2026-08-01-cysaas")
            .replace("2026-05-15", "2026-08-01")
            .replace("type: self", "type: independent")
            .replace("trigger: scheduled", "trigger: selected")
            .replace("assessors: [p-lead]", "assessors: [CySAAS]")
            + "actions:\n  - {id: A-900, title: Fix the firewall rules, owner: p-lead, due: 2026-08-10, status: open}\n"),
    );
    // 2026-05-15 + P3M = 2026-08-15, whatever CySAAS did on 2026-08-01.
    boundaries(&r, "ASSESS-2", "2026-08-15", RED);
    assert_eq!(r.severities("ASSESS-4", "2026-08-20"), NONE);
    assert_eq!(r.severities("ACT-1", "2026-08-12"), AMBER);
    // With no self-assessment at all, ASSESS-1 is red however many independent ones there are.
    r.remove("assessments/2026-05-15-self.yaml");
    r.remove("signoffs/S-0002.yaml");
    assert_eq!(r.severities("ASSESS-1", "2026-08-02"), RED);
    assert_eq!(r.severities("ASSESS-2", "2026-08-02"), NONE);
}

/// A targeted assessment answers only the event it names, never the three-monthly clock;
/// the team's targeted report still needs the SRO's approval.
#[test]
fn targeted_assessments_answer_only_their_event() {
    let mut r = Records::green();
    for (id, day) in [("E-001", "2026-07-01"), ("E-002", "2026-07-02")] {
        r.put(
            &format!("events/{id}.yaml"),
            &format!("kind: event\nid: {id}\ntype: change\ndate: {day}\nsummary: A change.\n"),
        );
    }
    r.put(
        "assessments/2026-07-05-self.yaml",
        &ASSESSMENT
            .replace("2026-05-15", "2026-07-05")
            .replace(
                "trigger: scheduled",
                "trigger: change\ncoverage: targeted\ntrigger_ref: E-001",
            )
            .replace("scope: Everything.", "scope: The new hosting."),
    );
    let status = r.status("2026-08-02");
    let events: Vec<&str> = status
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "ASSESS-3")
        .filter_map(|f| f.record.as_ref()?.id.as_deref())
        .collect();
    assert_eq!(
        events,
        vec!["E-002"],
        "E-001 is answered by the targeted assessment"
    );
    // A breach it names, dated after it, is not answered by it.
    let mut early = r.clone();
    early.put(
        "events/E-001.yaml",
        "kind: event\nid: E-001\ntype: breach\ndate: 2026-07-06\nsummary: A breach.\n",
    );
    let status = early.status("2026-08-02");
    let mut events: Vec<&str> = status
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "ASSESS-3")
        .filter_map(|f| f.record.as_ref()?.id.as_deref())
        .collect();
    events.sort_unstable();
    assert_eq!(events, vec!["E-001", "E-002"]);
    boundaries(&r, "ASSESS-2", "2026-08-15", RED);
    // Its report is the team's: unapproved, amber, then red.
    assert_eq!(r.severities("ASSESS-4", "2026-07-06"), AMBER);
    assert_eq!(r.severities("ASSESS-4", "2026-07-20"), RED);
    // A full self-assessment on or after an event answers it too.
    r.put(
        "assessments/2026-07-10-self.yaml",
        &ASSESSMENT
            .replace("2026-05-15", "2026-07-10")
            .replace("scheduled", "change"),
    );
    assert_eq!(r.severities("ASSESS-3", "2026-08-02"), NONE);
}

#[test]
fn assess_4_needs_a_valid_report_approval() {
    let mut r = Records::green();
    assert_eq!(r.severities("ASSESS-4", "2026-06-01"), NONE);
    r.remove("signoffs/S-0002.yaml");
    // The SRO has the due-soon window (P14D) after the assessment to approve it.
    assert_eq!(r.severities("ASSESS-4", "2026-05-29"), AMBER);
    assert_eq!(r.severities("ASSESS-4", "2026-05-30"), RED);
    let (_, message) = r.of("ASSESS-4", "2026-06-01").remove(0);
    assert!(
        message.contains("there is no report_approval sign-off"),
        "{message}"
    );
}

#[test]
fn assess_4_treats_a_voided_approval_as_absent() {
    // The assessment was edited after the SRO approved it.
    let mut r = Records::green();
    r.put(
        "assessments/2026-05-15-self.yaml",
        &ASSESSMENT.replace("scope: Everything.", "scope: Everything, really."),
    );
    let (severity, message) = r.of("ASSESS-4", "2026-06-01").remove(0);
    assert_eq!(severity, Severity::Red);
    assert!(
        message.contains(
            "S-0002 does not count: assessment 2026-05-15-self has changed since it was signed"
        ),
        "{message}"
    );
    // Signed by someone who was not the SRO.
    let mut r = Records::green();
    r.sign(
        "S-0002",
        "report_approval",
        "assessment:2026-05-15-self",
        "p-lead",
        "2026-05-20",
        "",
    );
    let (_, message) = r.of("ASSESS-4", "2026-06-01").remove(0);
    assert!(
        message.contains("Lee Lead (p-lead) was not the SRO on 2026-05-20"),
        "{message}"
    );
}

#[test]
fn assess_5_milestones() {
    let with = |review: &str, date: &str| {
        let mut r = Records::green();
        r.put(
            "project.yaml",
            &format!("{PROJECT}milestones:\n  - {{id: M-001, name: Go live, type: go_live, date: {date}, independent_review: {review}}}\n"),
        );
        r
    };
    // Undecided: amber within 60 days of the milestone.
    assert_eq!(
        with("undecided", "2026-07-31").severities("ASSESS-5", "2026-06-01"),
        AMBER
    );
    assert_eq!(
        with("undecided", "2026-08-01").severities("ASSESS-5", "2026-06-01"),
        NONE
    );
    assert_eq!(
        with("undecided", "2026-05-31").severities("ASSESS-5", "2026-06-01"),
        NONE,
        "passed"
    );
    // The policy's milestone_horizon widens the window.
    let mut wider = with("undecided", "2026-08-01");
    let project = wider.0["project.yaml"].clone();
    wider.put(
        "project.yaml",
        &format!("{project}policy:\n  milestone_horizon: P90D\n"),
    );
    assert_eq!(wider.severities("ASSESS-5", "2026-06-01"), AMBER);
    // Requested: must be done by the milestone.
    boundaries(
        &with("requested", "2026-07-01"),
        "ASSESS-5",
        "2026-07-01",
        RED,
    );
    assert_eq!(
        with("done", "2026-07-01").severities("ASSESS-5", "2026-07-02"),
        NONE
    );
    assert_eq!(
        with("not_needed", "2026-07-01").severities("ASSESS-5", "2026-06-25"),
        NONE
    );
}

#[test]
fn gov_1_exactly_one_active_sro() {
    let mut r = Records::green();
    assert_eq!(r.severities("GOV-1", "2026-06-01"), NONE);
    r.put(
        "people.yaml",
        &PEOPLE.replace("roles: [sro]", "roles: [risk_owner]"),
    );
    let (severity, message) = r.of("GOV-1", "2026-06-01").remove(0);
    assert_eq!(
        (severity, message.as_str()),
        (Severity::Red, "there is no active SRO on 2026-06-01")
    );
    let mut two = Records::green();
    two.put(
        "people.yaml",
        &PEOPLE.replace(
            "roles: [security_lead, risk_owner]",
            "roles: [sro, security_lead]",
        ),
    );
    let (_, message) = two.of("GOV-1", "2026-06-01").remove(0);
    assert!(
        message.contains("2 active SROs on 2026-06-01: p-sro, p-lead"),
        "{message}"
    );
    // A handover: the old SRO's role ends, the new one's starts the next day.
    let mut handover = Records::green();
    handover.put(
        "people.yaml",
        &PEOPLE
            .replace("roles: [sro]", "roles: [{role: sro, to: 2026-06-30}]")
            .replace(
                "roles: [security_lead, risk_owner]",
                "roles: [security_lead, {role: sro, from: 2026-07-01}]",
            ),
    );
    assert_eq!(handover.severities("GOV-1", "2026-06-30"), NONE);
    assert_eq!(handover.severities("GOV-1", "2026-07-01"), NONE);
    // A gap between SROs is red.
    let mut gap = handover.clone();
    gap.put(
        "people.yaml",
        &gap.0["people.yaml"].replace("from: 2026-07-01", "from: 2026-07-02"),
    );
    assert_eq!(gap.severities("GOV-1", "2026-07-01"), RED);
}

#[test]
fn gov_2_an_active_security_lead() {
    let mut r = Records::green();
    assert_eq!(r.severities("GOV-2", "2026-06-01"), NONE);
    r.put(
        "people.yaml",
        &PEOPLE.replace("roles: [security_lead, risk_owner]", "roles: [risk_owner]"),
    );
    let (_, message) = r.of("GOV-2", "2026-06-01").remove(0);
    assert_eq!(
        message,
        "there is no active Delivery Team Security Lead on 2026-06-01"
    );
}

#[test]
fn gov_2_a_project_security_officer_for_secret_and_above() {
    let mut r = Records::green();
    r.put(
        "project.yaml",
        &format!("{PROJECT}max_classification: SECRET\n"),
    );
    assert_eq!(
        r.of("GOV-2", "2026-06-01"),
        vec![(
            Severity::Amber,
            "there is no active Project Security Officer on 2026-06-01 (a service handling SECRET needs one)".to_owned()
        )]
    );
    r.put(
        "people.yaml",
        &PEOPLE.replace(
            "roles: [security_lead, risk_owner]",
            "roles: [security_lead, risk_owner, project_security_officer]",
        ),
    );
    assert_eq!(r.severities("GOV-2", "2026-06-01"), NONE);
    // OFFICIAL work needs none.
    let mut official = Records::green();
    official.put(
        "project.yaml",
        &format!("{PROJECT}max_classification: OFFICIAL\n"),
    );
    assert_eq!(official.severities("GOV-2", "2026-06-01"), NONE);
}

#[test]
fn gov_3_a_risk_owner_holds_the_risk_owner_role() {
    let mut r = Records::green();
    // The SRO owns a risk without holding the risk_owner role.
    r.put(
        "risks/R-001.yaml",
        &risk("R-001", "").replace("owner: p-owner", "owner: p-sro"),
    );
    assert_eq!(
        r.of("GOV-3", "2026-06-01"),
        vec![(
            Severity::Amber,
            "risk R-001 is owned by p-sro, who does not hold the risk_owner role on 2026-06-01"
                .to_owned()
        )]
    );
    r.put(
        "people.yaml",
        &PEOPLE.replace("roles: [sro]", "roles: [sro, risk_owner]"),
    );
    assert_eq!(r.severities("GOV-3", "2026-06-01"), NONE);
    // An action's owner needs no role.
    let mut action = Records::green();
    action.put(
        "risks/R-001.yaml",
        &risk(
            "R-001",
            "actions:\n  - {id: A-001, title: Fix, owner: p-sro, due: 2026-09-01, status: open}\n",
        ),
    );
    assert_eq!(action.severities("GOV-3", "2026-06-01"), NONE);
}

#[test]
fn gov_5_the_caat_registration_is_recorded() {
    let mut r = Records::green();
    assert_eq!(r.severities("GOV-5", "2026-06-01"), NONE);
    let unregistered = PROJECT.replace("caat_reference: CAAT-0001\n", "");
    r.put("project.yaml", &unregistered);
    let status = r.status("2026-06-01");
    let f = status
        .findings
        .iter()
        .find(|f| f.code.as_str() == "GOV-5")
        .unwrap();
    assert_eq!(f.severity, Severity::Amber);
    assert_eq!(f.message, "the service's CAAT registration is not recorded");
    assert!(
        f.hint
            .as_deref()
            .unwrap()
            .starts_with("register the service on CAAT")
    );
    // Above OFFICIAL the registration is on DART S.
    r.put(
        "project.yaml",
        &format!("{unregistered}max_classification: SECRET\n"),
    );
    let (_, message) = r.of("GOV-5", "2026-06-01").remove(0);
    assert_eq!(message, "the service's DART S registration is not recorded");
}

#[test]
fn the_self_assessment_hint_names_the_caat_question_set_for_the_stage() {
    let hint = |records: &Records| {
        records
            .status("2026-09-01")
            .findings
            .into_iter()
            .find(|f| f.code.as_str() == "ASSESS-2")
            .and_then(|f| f.hint)
            .unwrap()
    };
    let mut r = Records::green();
    assert!(
        hint(&r).contains(
            "(in CAAT: the In development and in-service question set, for the in_service stage)"
        ),
        "{}",
        hint(&r)
    );
    r.put(
        "project.yaml",
        &PROJECT.replace("lifecycle_stage: in_service", "lifecycle_stage: concept"),
    );
    assert!(
        hint(&r).contains("(in CAAT: the Foundation question set, for the concept stage)"),
        "{}",
        hint(&r)
    );
    r.put(
        "project.yaml",
        &format!("{PROJECT}max_classification: SECRET\n"),
    );
    assert!(hint(&r).contains("(in DART S)"), "{}", hint(&r));
}

#[test]
fn assess_6_a_high_criticality_service_is_independently_assessed() {
    let mut r = Records::green();
    assert_eq!(
        r.severities("ASSESS-6", "2026-06-01"),
        NONE,
        "medium: none asked"
    );
    r.put(
        "project.yaml",
        &PROJECT.replace("criticality: medium", "criticality: high"),
    );
    assert_eq!(
        r.of("ASSESS-6", "2026-06-01"),
        vec![(
            Severity::Amber,
            "the service's criticality is high, and no independent assessment is recorded on or before 2026-06-01".to_owned()
        )]
    );
    r.put(
        "assessments/2026-02-10-cysaas.yaml",
        "kind: assessment\nid: 2026-02-10-cysaas\ntype: independent\ntrigger: selected\ndate: 2026-02-10\nassessors: [CySAAS]\nscope: Everything.\noutcome: {summary: Fine.}\n",
    );
    // Every P1Y from 2026-02-10: amber from due soon, and still amber when late.
    boundaries(&r, "ASSESS-6", "2027-02-10", AMBER);
    // It leaves the self-assessment clock where it was.
    assert_eq!(r.severities("ASSESS-2", "2026-06-01"), NONE);
}

#[test]
fn an_event_brings_forward_the_review_of_what_it_affects() {
    // R-001 (low) was last reviewed 2026-05-01: due 2026-11-01. A breach on 2026-06-10
    // that affects it calls for a review within P14D: by 2026-06-24.
    let event = "kind: event\nid: E-001\ntype: breach\ndate: 2026-06-10\nsummary: Credentials leaked.\naffects: [risk:R-001, appetite]\n";
    let mut r = Records::green();
    r.put("events/E-001.yaml", event);
    assert_eq!(
        r.severities("RISK-1", "2026-06-09"),
        NONE,
        "before the event"
    );
    assert_eq!(
        r.of("RISK-1", "2026-06-10"),
        vec![(
            Severity::Amber,
            "risk R-001 (Risk R-001, Low 2) review is due on 2026-06-24, in 14 days (event E-001, a breach on 2026-06-10, affects it; a risk is reviewed within P14D of a breach)".to_owned()
        )]
    );
    assert_eq!(r.severities("RISK-1", "2026-06-25"), AMBER, "late, and low");
    // The appetite too.
    let (severity, message) = r.of("GOV-4", "2026-06-25").remove(0);
    assert_eq!(severity, Severity::Red);
    assert!(
        message.starts_with("the risk appetite review was due on 2026-06-24, 1 day ago (event E-001, a breach on 2026-06-10, affects it;"),
        "{message}"
    );
    // A review on or after the event answers it: reviewing is upkeep, and voids nothing.
    r.put(
        "risks/R-001.yaml",
        &risk("R-001", "").replace("last_reviewed: 2026-05-01", "last_reviewed: 2026-06-12"),
    );
    r.put(
        "appetite.yaml",
        &APPETITE.replace("last_reviewed: 2026-05-01", "last_reviewed: 2026-06-12"),
    );
    for rule in ["RISK-1", "GOV-4", "SIGN-1"] {
        assert_eq!(r.severities(rule, "2026-06-25"), NONE, "{rule}");
    }
    // An event that does not name the risk leaves its review date alone.
    let mut other = Records::green();
    other.put(
        "events/E-001.yaml",
        &event.replace("affects: [risk:R-001, appetite]\n", ""),
    );
    assert_eq!(other.severities("RISK-1", "2026-06-25"), NONE);
}

#[test]
fn gov_3_owners_are_active() {
    let mut r = Records::green();
    r.put(
        "people.yaml",
        &PEOPLE.replace(
            "email: owner@example.gov.uk\n",
            "email: owner@example.gov.uk\n    to: 2026-06-15\n",
        ),
    );
    r.put(
        "risks/R-001.yaml",
        &risk("R-001", "actions:\n  - {id: A-001, title: Fix, owner: p-owner, due: 2026-09-01, status: open}\n"),
    );
    assert_eq!(r.severities("GOV-3", "2026-06-15"), NONE, "their last day");
    let found = r.of("GOV-3", "2026-06-16");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .any(|(_, m)| m == "risk R-001 is owned by p-owner, who is not active on 2026-06-16"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(_, m)| m.starts_with("action A-001 (risk R-001) is owned by p-owner")),
        "{found:?}"
    );
    assert!(found.iter().all(|(s, _)| *s == Severity::Amber));
}

#[test]
fn gov_4_an_agreed_in_date_appetite() {
    let mut r = Records::green();
    assert_eq!(r.severities("GOV-4", "2026-06-01"), NONE);
    // Reviewed 2026-05-01 every P1Y: due 2027-05-01.
    boundaries(&r, "GOV-4", "2027-05-01", RED);
    r.remove("signoffs/S-0001.yaml");
    let (severity, message) = r.of("GOV-4", "2026-06-01").remove(0);
    assert_eq!(severity, Severity::Red);
    assert!(
        message.contains("not agreed by the SRO: there is no appetite_approval sign-off"),
        "{message}"
    );
    // Edited after approval: the approval no longer counts.
    let mut edited = Records::green();
    edited.put(
        "appetite.yaml",
        &APPETITE.replace("tolerance: 6", "tolerance: 9"),
    );
    let (_, message) = edited.of("GOV-4", "2026-06-01").remove(0);
    assert!(
        message
            .contains("S-0001 does not count: the risk appetite has changed since it was signed"),
        "{message}"
    );
    let mut missing = Records::green();
    missing
        .remove("appetite.yaml")
        .remove("signoffs/S-0001.yaml");
    assert_eq!(missing.severities("GOV-4", "2026-06-01"), RED);
}

#[test]
fn risk_1_review_cadence_by_band() {
    // Low (1 × 2): every P6M from 2026-05-01, due 2026-11-01; late is amber.
    boundaries(&Records::green(), "RISK-1", "2026-11-01", AMBER);
    // Medium (2 × 3): P3M, due 2026-08-01.
    let mut medium = Records::green();
    medium.put(
        "risks/R-001.yaml",
        &risk("R-001", "").replace(
            "residual: {likelihood: 1, impact: 2}",
            "residual: {likelihood: 2, impact: 3}",
        ),
    );
    boundaries(&medium, "RISK-1", "2026-08-01", AMBER);
    // High (3 × 4): P1M, due 2026-06-01; late is red.
    let mut high = Records::green();
    high.put(
        "risks/R-001.yaml",
        &risk("R-001", "actions:\n  - {id: A-001, title: Fix, owner: p-owner, due: 2027-01-01, status: open}\n")
            .replace("residual: {likelihood: 1, impact: 2}", "residual: {likelihood: 3, impact: 4}"),
    );
    boundaries(&high, "RISK-1", "2026-06-01", RED);
    // The risk's own review_by overrides the policy.
    let mut own = Records::green();
    own.put(
        "risks/R-001.yaml",
        &risk("R-001", "review_by: 2026-07-01\n"),
    );
    boundaries(&own, "RISK-1", "2026-07-01", AMBER);
    // Closed risks are not reviewed.
    let mut closed = Records::green();
    closed.put(
        "risks/R-001.yaml",
        &risk("R-001", "closed: {date: 2026-05-01, reason: Gone.}\n")
            .replace("status: open", "status: closed"),
    );
    assert_eq!(closed.severities("RISK-1", "2027-06-01"), NONE);
}

#[test]
fn risk_1_uses_configured_bands_and_intervals() {
    let mut r = Records::green();
    r.put(
        "project.yaml",
        &format!(
            "{PROJECT}policy:\n  scale:\n    bands:\n      - {{name: minor, min: 1, max: 5}}\n      - {{name: major, min: 6, max: 25, high: true}}\n  review_interval: {{minor: P2W, major: P1W}}\n"
        ),
    );
    // 1 × 2 = 2 is minor: every P2W from 2026-05-01, due 2026-05-15.
    assert_eq!(r.severities("RISK-1", "2026-05-15"), AMBER);
    assert_eq!(r.severities("RISK-1", "2026-05-16"), AMBER);
    let (_, message) = r.of("RISK-1", "2026-05-16").remove(0);
    assert!(message.contains("minor 2"), "{message}");
}

#[test]
fn risk_2_above_tolerance() {
    let above = "residual: {likelihood: 3, impact: 3}";
    let mut r = Records::green();
    r.put(
        "risks/R-001.yaml",
        &risk("R-001", "")
            .replace("residual: {likelihood: 1, impact: 2}", above)
            .replace("response: treat", "response: transfer"),
    );
    let (severity, message) = r.of("RISK-2", "2026-06-01").remove(0);
    assert_eq!(severity, Severity::Red);
    assert!(
        message.contains("residual score 9, above the tolerance of 6"),
        "{message}"
    );
    // A valid acceptance answers it.
    let mut accepted = r.clone();
    accepted.sign(
        "S-0003",
        "risk_acceptance",
        "risk:R-001",
        "p-sro",
        "2026-05-25",
        "expires: 2026-12-01\nrationale: Ok.\n",
    );
    assert_eq!(accepted.severities("RISK-2", "2026-06-01"), NONE);
    // An expired one does not, and says so.
    let (_, message) = accepted.of("RISK-2", "2026-12-02").remove(0);
    assert!(
        message.contains("S-0003 does not count: it expired on 2026-12-01"),
        "{message}"
    );
    // A credible plan answers it: a target within tolerance, by a date not yet passed, and
    // open actions due by then. Each missing piece is named.
    let plan = |target: &str, action: &str| {
        let mut t = Records::green();
        t.put(
            "risks/R-001.yaml",
            &risk("R-001", &format!("{target}actions:\n  - {action}\n"))
                .replace("residual: {likelihood: 1, impact: 2}", above),
        );
        t
    };
    let target = "target: {likelihood: 1, impact: 3, by: 2026-09-30}\n";
    let open = "{id: A-001, title: Fix, owner: p-owner, due: 2026-09-01, status: open}";
    assert_eq!(plan(target, open).severities("RISK-2", "2026-06-01"), NONE);
    for (target, action, why) in [
        ("", open, "it has no `target` score and date"),
        (
            "target: {likelihood: 3, impact: 3, by: 2026-09-30}\n",
            open,
            "its target score is above tolerance",
        ),
        (
            target,
            "{id: A-001, title: Fix, owner: p-owner, due: 2026-10-15, status: open}",
            "an open action is due after its target date",
        ),
        (
            target,
            "{id: A-001, title: Fix, owner: p-owner, due: 2026-09-01, status: done, done_on: 2026-05-30}",
            "it has no open action",
        ),
        // A plan runs no longer than an acceptance could, P1Y from the day judged.
        (
            "target: {likelihood: 1, impact: 3, by: 2036-01-01}\n",
            "{id: A-001, title: Fix, owner: p-owner, due: 2035-12-31, status: open}",
            "its target date, 2036-01-01, is more than acceptance_max (P1Y) away (after 2027-06-01)",
        ),
        // A plan whose every open action is overdue has stalled.
        (
            target,
            "{id: A-001, title: Fix, owner: p-owner, due: 2026-05-20, status: open}",
            "every open action is overdue, so the plan has stalled",
        ),
    ] {
        let (severity, message) = plan(target, action).of("RISK-2", "2026-06-01").remove(0);
        assert_eq!(severity, Severity::Red);
        assert!(
            message.ends_with(&format!("no credible plan: {why}")),
            "{message}"
        );
    }
    // At tolerance is fine; a category's own tolerance applies.
    let mut at = Records::green();
    at.put(
        "risks/R-001.yaml",
        &risk("R-001", "")
            .replace(
                "residual: {likelihood: 1, impact: 2}",
                "residual: {likelihood: 2, impact: 3}",
            )
            .replace("response: treat", "response: transfer"),
    );
    assert_eq!(at.severities("RISK-2", "2026-06-01"), NONE);
    at.put(
        "risks/R-001.yaml",
        &at.0["risks/R-001.yaml"].replace(
            "owner: p-owner",
            "owner: p-owner\ncategory: confidentiality",
        ),
    );
    let (_, message) = at.of("RISK-2", "2026-06-01").remove(0);
    assert!(message.contains("above the tolerance of 4"), "{message}");
}

#[test]
fn risk_3_a_plan_past_its_target_needs_an_acceptance() {
    let mut r = Records::green();
    r.put(
        "risks/R-001.yaml",
        &risk(
            "R-001",
            "target: {likelihood: 1, impact: 3, by: 2026-09-30}\nactions:\n  - {id: A-001, title: Fix, owner: p-owner, due: 2026-09-01, status: open}\n",
        )
        .replace("residual: {likelihood: 1, impact: 2}", "residual: {likelihood: 3, impact: 3}"),
    );
    assert_eq!(
        r.severities("RISK-3", "2026-09-30"),
        NONE,
        "on plan to the day"
    );
    let (severity, message) = r.of("RISK-3", "2026-10-01").remove(0);
    assert_eq!(severity, Severity::Red);
    assert!(
        message.starts_with("risk R-001 (Risk R-001) was to be within tolerance by 2026-09-30, and its residual score is still 9, above 6"),
        "{message}"
    );
    assert_eq!(
        r.severities("RISK-2", "2026-10-01"),
        NONE,
        "one finding, not two"
    );
    r.sign(
        "S-0003",
        "risk_acceptance",
        "risk:R-001",
        "p-sro",
        "2026-09-25",
        "expires: 2026-12-01\nrationale: Nearly done.\n",
    );
    assert_eq!(r.severities("RISK-3", "2026-10-01"), NONE);
}

/// Within tolerance, the risk owner may tolerate a risk: no sign-off needed.
#[test]
fn a_tolerated_risk_within_tolerance_raises_nothing() {
    let mut r = Records::green();
    r.put(
        "risks/R-001.yaml",
        &risk("R-001", "").replace("response: treat", "response: tolerate"),
    );
    for rule in ["RISK-2", "RISK-3", "RISK-4", "SIGN-3"] {
        assert_eq!(r.severities(rule, "2026-06-01"), NONE, "{rule}");
    }
    // Above tolerance, tolerating it needs the SRO's acceptance.
    r.put(
        "risks/R-001.yaml",
        &r.0["risks/R-001.yaml"].replace(
            "residual: {likelihood: 1, impact: 2}",
            "residual: {likelihood: 3, impact: 3}",
        ),
    );
    let (_, message) = r.of("RISK-2", "2026-06-01").remove(0);
    assert!(
        message.ends_with("its response is not to treat it"),
        "{message}"
    );
}

/// Above the appetite's ceiling the SRO cannot accept a risk alone: it is escalated, and
/// red until it is, whatever the SRO signed.
#[test]
fn risk_4_above_the_ceiling_is_escalated() {
    let mut r = Records::green();
    r.put(
        "appetite.yaml",
        &APPETITE.replace("tolerance: 6\n", "tolerance: 6\nceiling: 12\n"),
    );
    r.sign(
        "S-0001",
        "appetite_approval",
        "appetite",
        "p-sro",
        "2026-05-01",
        "",
    );
    r.put(
        "risks/R-001.yaml",
        &risk("R-001", "")
            .replace(
                "residual: {likelihood: 1, impact: 2}",
                "residual: {likelihood: 4, impact: 4}",
            )
            .replace("response: treat", "response: tolerate"),
    );
    r.sign(
        "S-0003",
        "risk_acceptance",
        "risk:R-001",
        "p-sro",
        "2026-05-25",
        "expires: 2026-12-01\nrationale: Ok.\n",
    );
    let (severity, message) = r.of("RISK-4", "2026-06-01").remove(0);
    assert_eq!(severity, Severity::Red);
    assert!(
        message.contains(
            "residual score 16, above the appetite's ceiling of 12, and is not escalated"
        ),
        "{message}"
    );
    assert_eq!(
        r.severities("RISK-2", "2026-06-01"),
        NONE,
        "one finding, not two"
    );
    r.put(
        "risks/R-001.yaml",
        &(r.0["risks/R-001.yaml"].clone()
            + "escalation: {to: Army Command risk board, date: 2026-05-28, reference: ACRB-2026-14}\n"),
    );
    assert_eq!(r.severities("RISK-4", "2026-06-01"), NONE);
    // It lapses as an acceptance would, acceptance_max (P1Y) after it was made.
    assert_eq!(r.severities("RISK-4", "2027-05-28"), NONE);
    let (severity, message) = r.of("RISK-4", "2027-05-29").remove(0);
    assert_eq!(severity, Severity::Red);
    assert!(
        message.ends_with("its escalation to Army Command risk board lapsed on 2027-05-28, acceptance_max (P1Y) after it was made"),
        "{message}"
    );
    // One dated after the day judged does not count yet.
    assert_eq!(r.severities("RISK-4", "2026-05-27"), RED);
}

#[test]
fn act_1_overdue_actions() {
    let with = |due: &str, residual: &str| {
        let mut r = Records::green();
        r.put(
            "risks/R-001.yaml",
            &risk("R-001", &format!("actions:\n  - {{id: A-001, title: Fix it, owner: p-owner, due: {due}, status: open}}\n"))
                .replace("residual: {likelihood: 1, impact: 2}", residual)
                .replace("last_reviewed: 2026-05-01", "last_reviewed: 2026-06-01\nreview_by: 2027-01-01"),
        );
        r
    };
    let low = "residual: {likelihood: 1, impact: 2}";
    boundaries(&with("2026-07-01", low), "ACT-1", "2026-07-01", AMBER);
    // Red past 30 days late.
    assert_eq!(
        with("2026-07-01", low).severities("ACT-1", "2026-07-31"),
        AMBER,
        "30 days late"
    );
    assert_eq!(
        with("2026-07-01", low).severities("ACT-1", "2026-08-01"),
        RED,
        "31 days late"
    );
    // The policy may make it sooner.
    let mut strict = with("2026-07-01", low);
    strict.put(
        "project.yaml",
        &format!("{PROJECT}policy:\n  action_red_after: P7D\n"),
    );
    assert_eq!(strict.severities("ACT-1", "2026-07-08"), AMBER);
    assert_eq!(strict.severities("ACT-1", "2026-07-09"), RED);
    // Red at once on a high risk.
    let high = "residual: {likelihood: 3, impact: 4}";
    assert_eq!(
        with("2026-07-01", high).severities("ACT-1", "2026-07-02"),
        RED
    );
    // Done or cancelled actions are never late.
    let mut done = with("2026-07-01", low);
    done.put(
        "risks/R-001.yaml",
        &done.0["risks/R-001.yaml"].replace("status: open}", "status: done, done_on: 2026-06-30}"),
    );
    assert_eq!(done.severities("ACT-1", "2026-09-01"), NONE);
}

#[test]
fn act_2_a_closed_risk_with_open_actions() {
    let closed = |status: &str| {
        let mut r = Records::green();
        r.put(
            "risks/R-001.yaml",
            &risk(
                "R-001",
                &format!("closed: {{date: 2026-06-01, reason: Retired.}}\nactions:\n  - {{id: A-001, title: Fix it, owner: p-owner, due: 2027-07-01, status: {status}}}\n"),
            )
            .replace("status: open\n", "status: closed\n"),
        );
        r
    };
    assert_eq!(closed("open").severities("ACT-2", "2026-06-02"), AMBER);
    let status = closed("open").status("2026-06-02");
    let f = status
        .findings
        .iter()
        .find(|f| f.code.as_str() == "ACT-2")
        .unwrap();
    assert_eq!(
        f.message,
        "risk R-001 is closed but its action A-001 is still open"
    );
    assert_eq!(f.owner.as_ref().map(|o| o.id.as_str()), Some("p-owner"));
    assert_eq!(closed("cancelled").severities("ACT-2", "2026-06-02"), NONE);
    // An open risk's open actions are ACT-1's business, not ACT-2's.
    assert_eq!(Records::green().severities("ACT-2", "2026-06-02"), NONE);
}

#[test]
fn act_1_assessment_actions() {
    let mut r = Records::green();
    r.put(
        "assessments/2026-05-15-self.yaml",
        &format!("{ASSESSMENT}actions:\n  - {{id: A-100, title: Plan, owner: p-lead, due: 2026-06-10, status: open}}\n"),
    );
    r.sign(
        "S-0002",
        "report_approval",
        "assessment:2026-05-15-self",
        "p-sro",
        "2026-05-20",
        "",
    );
    assert_eq!(r.severities("ACT-1", "2026-06-11"), AMBER);
    assert_eq!(r.severities("ACT-1", "2026-07-11"), RED);
    // The finding names the action's owner, by id and name.
    let status = r.status("2026-06-11");
    let act = status.findings.iter().find(|f| f.code.as_str() == "ACT-1");
    let owner = act.and_then(|f| f.owner.as_ref()).expect("an owner");
    assert_eq!(
        (owner.id.as_str(), owner.name.as_str()),
        ("p-lead", "Lee Lead")
    );
}

#[test]
fn sign_1_changed_subjects() {
    // R-001 above tolerance (9 > 6), accepted by the SRO.
    let above = |extra: &str| {
        risk("R-001", extra).replace(
            "residual: {likelihood: 1, impact: 2}",
            "residual: {likelihood: 3, impact: 3}",
        )
    };
    let mut r = Records::green();
    r.put("risks/R-001.yaml", &above(""));
    r.sign(
        "S-0003",
        "risk_acceptance",
        "risk:R-001",
        "p-sro",
        "2026-05-25",
        "expires: 2026-12-01\nrationale: Ok.\n",
    );
    assert_eq!(r.severities("SIGN-1", "2026-06-01"), NONE);
    // Upkeep (a review, a review date, actions and their progress) leaves it standing.
    r.put(
        "risks/R-001.yaml",
        &above("review_by: 2026-09-01\nactions:\n  - {id: A-009, title: Patch, owner: p-owner, due: 2026-07-01, status: done, done_on: 2026-05-31}\n")
            .replace("last_reviewed: 2026-05-01", "last_reviewed: 2026-05-31"),
    );
    assert_eq!(r.severities("SIGN-1", "2026-06-01"), NONE);
    // A change of what was accepted voids it.
    r.put("risks/R-001.yaml", &above("controls: [Locked cabinet]\n"));
    let (severity, message) = r.of("SIGN-1", "2026-06-01").remove(0);
    assert_eq!(severity, Severity::Red);
    assert!(message.starts_with("S-0003 (risk_acceptance of risk:R-001) no longer counts: risk R-001 has changed since 2026-05-25"), "{message}");
    // The risk brought within tolerance, or closed: nothing depends on the acceptance, which
    // lapses quietly rather than turning the status red.
    r.put("risks/R-001.yaml", &risk("R-001", ""));
    assert_eq!(r.severities("SIGN-1", "2026-06-01"), NONE);
    r.put(
        "risks/R-001.yaml",
        &above("closed: {date: 2026-05-30, reason: Gone.}\n")
            .replace("status: open", "status: closed"),
    );
    assert_eq!(r.severities("SIGN-1", "2026-06-01"), NONE);
    // A newer sign-off of the changed content supersedes it: nothing to report.
    r.put("risks/R-001.yaml", &above("controls: [Locked cabinet]\n"));
    r.sign(
        "S-0004",
        "risk_acceptance",
        "risk:R-001",
        "p-sro",
        "2026-05-30",
        "expires: 2026-12-01\nrationale: Ok.\n",
    );
    assert_eq!(r.severities("SIGN-1", "2026-06-01"), NONE);
}

#[test]
fn sign_2_signer_was_the_sro() {
    let mut r = Records::green();
    r.sign(
        "S-0002",
        "report_approval",
        "assessment:2026-05-15-self",
        "p-lead",
        "2026-05-20",
        "",
    );
    assert_eq!(r.severities("SIGN-2", "2026-06-01"), RED);
    // Signed by the SRO of the day, who has since handed over: still valid.
    let mut handover = Records::green();
    handover.put(
        "people.yaml",
        &PEOPLE
            .replace("roles: [sro]", "roles: [{role: sro, to: 2026-05-31}]")
            .replace(
                "roles: [security_lead, risk_owner]",
                "roles: [security_lead, {role: sro, from: 2026-06-01}]",
            ),
    );
    handover.sign(
        "S-0001",
        "appetite_approval",
        "appetite",
        "p-sro",
        "2026-05-02",
        "",
    );
    handover.sign(
        "S-0002",
        "report_approval",
        "assessment:2026-05-15-self",
        "p-sro",
        "2026-05-20",
        "",
    );
    assert_eq!(handover.severities("SIGN-2", "2026-06-10"), NONE);
    assert_eq!(handover.severities("GOV-4", "2026-06-10"), NONE);
}

#[test]
fn sign_3_acceptance_expiry() {
    let mut r = Records::green();
    let above = risk("R-001", "")
        .replace("response: treat", "response: tolerate")
        .replace(
            "residual: {likelihood: 1, impact: 2}",
            "residual: {likelihood: 3, impact: 3}",
        );
    r.put("risks/R-001.yaml", &above);
    r.sign(
        "S-0003",
        "risk_acceptance",
        "risk:R-001",
        "p-sro",
        "2026-05-25",
        "expires: 2026-09-01\nrationale: Ok.\n",
    );
    boundaries(&r, "SIGN-3", "2026-09-01", RED);
    // Once the risk is closed, or within tolerance, a lapsed acceptance no longer matters.
    for (change, why) in [
        (
            above.replace("status: open", "status: closed").replace(
                "identified:",
                "closed: {date: 2026-08-01, reason: Gone.}\nidentified:",
            ),
            "closed",
        ),
        (
            above.replace(
                "residual: {likelihood: 3, impact: 3}",
                "residual: {likelihood: 1, impact: 3}",
            ),
            "within tolerance",
        ),
    ] {
        let mut gone = r.clone();
        gone.put("risks/R-001.yaml", &change);
        gone.sign(
            "S-0003",
            "risk_acceptance",
            "risk:R-001",
            "p-sro",
            "2026-05-25",
            "expires: 2026-09-01\nrationale: Ok.\n",
        );
        assert_eq!(gone.severities("SIGN-3", "2026-09-02"), NONE, "{why}");
    }
}

/// When the SRO changes, the acceptances their predecessor signed are for the new SRO to
/// reconfirm within `sro_handover` (P90D): amber after it.
#[test]
fn sign_5_a_new_sro_reconfirms_acceptances() {
    let mut r = Records::green();
    r.put(
        "people.yaml",
        &PEOPLE.replace(
            "    roles: [sro]\n",
            "    roles: [{role: sro, to: 2026-06-30}]\n  - id: p-new\n    name: Nia New\n    email: new@example.gov.uk\n    roles: [{role: sro, from: 2026-07-01}]\n",
        ),
    );
    r.put(
        "risks/R-001.yaml",
        &risk("R-001", "")
            .replace("response: treat", "response: tolerate")
            .replace(
                "residual: {likelihood: 1, impact: 2}",
                "residual: {likelihood: 3, impact: 3}",
            ),
    );
    r.sign(
        "S-0003",
        "risk_acceptance",
        "risk:R-001",
        "p-sro",
        "2026-05-25",
        "expires: 2027-05-01\nrationale: Ok.\n",
    );
    // 2026-07-01 + P90D = 2026-09-29: amber only after it.
    assert_eq!(r.severities("SIGN-5", "2026-09-29"), NONE);
    let (severity, message) = r.of("SIGN-5", "2026-09-30").remove(0);
    assert_eq!(severity, Severity::Amber);
    assert!(
        message.contains("Nia New (p-new) was to reconfirm it by 2026-09-29"),
        "{message}"
    );
    r.sign(
        "S-0004",
        "risk_acceptance",
        "risk:R-001",
        "p-new",
        "2026-09-01",
        "expires: 2027-05-01\nrationale: Still right.\n",
    );
    assert_eq!(r.severities("SIGN-5", "2026-09-30"), NONE);
}

/// A policy may let a delegate role sign risk acceptances; nothing else.
#[test]
fn sign_2_a_delegate_may_accept_risks() {
    let mut r = Records::green();
    r.put(
        "risks/R-001.yaml",
        &risk("R-001", "")
            .replace("response: treat", "response: tolerate")
            .replace(
                "residual: {likelihood: 1, impact: 2}",
                "residual: {likelihood: 3, impact: 3}",
            ),
    );
    r.sign(
        "S-0003",
        "risk_acceptance",
        "risk:R-001",
        "p-lead",
        "2026-05-25",
        "expires: 2026-12-01\nrationale: Ok.\n",
    );
    let (_, message) = r.of("SIGN-2", "2026-06-01").remove(0);
    assert!(
        message.contains("who was not the SRO on 2026-05-25"),
        "{message}"
    );
    r.put(
        "project.yaml",
        &format!("{PROJECT}policy:\n  signoff: {{acceptance_delegate: security_lead}}\n"),
    );
    assert_eq!(r.severities("SIGN-2", "2026-06-01"), NONE);
    assert_eq!(r.severities("RISK-2", "2026-06-01"), NONE);
    // No one accepts their own risk on the SRO's behalf.
    let mut own = r.clone();
    own.put(
        "risks/R-001.yaml",
        &r.0["risks/R-001.yaml"].replace("owner: p-owner", "owner: p-lead"),
    );
    own.sign(
        "S-0003",
        "risk_acceptance",
        "risk:R-001",
        "p-lead",
        "2026-05-25",
        "expires: 2026-12-01\nrationale: Ok.\n",
    );
    let (_, message) = own.of("SIGN-2", "2026-06-01").remove(0);
    assert!(
        message.contains(
            "who was not the SRO or a security_lead who does not own the risk on 2026-05-25"
        ),
        "{message}"
    );
}

#[test]
fn sign_offs_dated_after_the_evaluation_day_do_not_count_yet() {
    let r = Records::green();
    // S-0002 is dated 2026-05-20.
    assert_eq!(r.severities("ASSESS-4", "2026-05-19"), AMBER);
    assert_eq!(r.severities("ASSESS-4", "2026-05-20"), NONE);
}

#[test]
fn report_1_board_cadence() {
    // 2026-05-20 + P6W = 2026-07-01; late is amber, and red once board_red_after (P6W) late.
    let r = Records::green();
    boundaries(&r, "REPORT-1", "2026-07-01", AMBER);
    assert_eq!(r.severities("REPORT-1", "2026-08-12"), AMBER);
    assert_eq!(r.severities("REPORT-1", "2026-08-13"), RED);
    let mut sooner = r.clone();
    sooner.put(
        "project.yaml",
        &format!("{PROJECT}policy:\n  board_red_after: P2W\n"),
    );
    assert_eq!(sooner.severities("REPORT-1", "2026-07-16"), RED);
    let mut none = Records::green();
    none.remove("boards/2026-05-20.yaml");
    assert_eq!(none.severities("REPORT-1", "2026-06-01"), AMBER);
}

#[test]
fn findings_carry_due_dates_locations_and_remedies() {
    let status = Records::green().status("2026-08-16");
    let f = status
        .findings
        .iter()
        .find(|f| f.code.as_str() == "ASSESS-2")
        .unwrap();
    assert_eq!(f.due, Some(d("2026-08-15")));
    assert_eq!(f.area, Some(Area::Assessments));
    assert_eq!(
        f.location.file.as_deref(),
        Some("assurance/assessments/2026-05-15-self.yaml")
    );
    assert_eq!(f.location.pointer.as_deref(), Some("/date"));
    assert_eq!(
        f.hint.as_deref(),
        Some(
            "do the next self-assessment of the whole service (in CAAT: the In development and in-service question set, for the in_service stage) and record it in assessments/"
        )
    );
    assert_eq!(
        f.record.as_ref().map(|r| r.to_string()).as_deref(),
        Some("assessment 2026-05-15-self")
    );
}

/// What a finding asks the SRO to sign names the SRO in post and every flag the type needs.
#[test]
fn sign_hints_name_the_sro_and_every_flag() {
    let hint = |records: &Records, rule: &str| {
        records
            .status("2026-06-01")
            .findings
            .into_iter()
            .find(|f| f.code.as_str() == rule)
            .and_then(|f| f.hint)
            .unwrap_or_else(|| panic!("no {rule}"))
    };
    let mut r = Records::green();
    r.remove("signoffs/S-0001.yaml")
        .remove("signoffs/S-0002.yaml");
    r.put(
        "risks/R-001.yaml",
        &risk("R-001", "").replace(
            "residual: {likelihood: 1, impact: 2}",
            "residual: {likelihood: 3, impact: 3}",
        ),
    );
    assert!(
        hint(&r, "GOV-4")
            .ends_with("assure sign --subject appetite --type appetite_approval --by p-sro"),
        "{}",
        hint(&r, "GOV-4")
    );
    assert!(
        hint(&r, "ASSESS-4").ends_with(
            "assure sign --subject assessment:2026-05-15-self --type report_approval --by p-sro"
        ),
        "{}",
        hint(&r, "ASSESS-4")
    );
    assert!(
        hint(&r, "RISK-2").ends_with(
            "assure sign --subject risk:R-001 --type risk_acceptance --by p-sro --expires DATE --rationale \"why the SRO accepts it\""
        ),
        "{}",
        hint(&r, "RISK-2")
    );
}
