//! Synthetic assurance repositories for benchmarks: as many records as a large programme
//! would ever hold, all valid, with sign-offs whose digests match. Evaluated on `AS_OF` the
//! records are mostly in date, as a well-run programme's are: about one action in a hundred
//! is late, so the status is amber with a realistic number of findings.

#![allow(dead_code)]

use assure::records::digest::Digest;
use assure::records::yaml::parse_value;
use std::fmt::Write as _;
use std::path::Path;

pub struct Size {
    pub risks: usize,
    pub assessments: usize,
    pub signoffs: usize,
    pub events: usize,
    pub boards: usize,
}

/// The benchmark size: 10,000 risks, 400 assessments, 1,000 sign-offs.
pub const LARGE: Size = Size {
    risks: 10_000,
    assessments: 400,
    signoffs: 1_000,
    events: 100,
    boards: 20,
};

impl Size {
    /// `risks` risks with the other records in the same proportions as `LARGE`.
    #[allow(dead_code)] // used by synth-repo, not by every bench that includes this file
    pub fn scaled(risks: usize) -> Size {
        let of = |n: usize| (n * risks / LARGE.risks).max(1);
        Size {
            risks,
            assessments: of(LARGE.assessments),
            signoffs: of(LARGE.signoffs).min(risks),
            events: of(LARGE.events),
            boards: of(LARGE.boards),
        }
    }
}

const PEOPLE: usize = 40;

fn person(i: usize) -> String {
    format!("p-{:03}", i % PEOPLE)
}

/// The day the benchmarks evaluate on.
pub const AS_OF: &str = "2026-11-28";

/// Noon UTC the day before `AS_OF`, in seconds since the epoch: when the records were committed.
pub fn noon_before_as_of() -> i64 {
    let day: jiff::civil::Date = AS_OF.parse().unwrap();
    (day - jiff::Span::new().days(1))
        .at(12, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_second()
}

/// A date `days` after `AS_OF` (negative: before), as YYYY-MM-DD.
pub fn day(days: i64) -> String {
    let base: jiff::civil::Date = AS_OF.parse().unwrap();
    base.checked_add(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

pub fn project() -> String {
    "kind: project
name: Synthetic Service
description: A large synthetic programme used for benchmarks.
organisation: Benchmarks
lifecycle_stage: in_service
criticality: high
caat_reference: CAAT-0001
milestones:
  - {id: M-001, name: Go live, type: go_live, date: 2027-03-01, independent_review: requested}
"
    .to_owned()
}

pub fn people() -> String {
    let mut s = String::from("kind: people\npeople:\n");
    for i in 0..PEOPLE {
        let roles = match i {
            0 => "[sro]",
            1 => "[security_lead, risk_owner]",
            _ => "[risk_owner]",
        };
        let _ = writeln!(
            s,
            "  - id: {}\n    name: Person {i}\n    email: person{i}@example.gov.uk\n    roles: {roles}",
            person(i)
        );
    }
    s
}

pub fn appetite() -> String {
    "kind: appetite
statement: No loss of personal data; no loss of service for more than a day.
tolerance: 6
categories:
  - {name: confidentiality, level: minimal, tolerance: 4}
  - {name: integrity, level: cautious, tolerance: 6}
  - {name: availability, level: open, tolerance: 9}
agreed_on: 2026-01-10
last_reviewed: 2026-09-01
"
    .to_owned()
}

pub fn risk(i: usize, revision: usize) -> String {
    let category = ["confidentiality", "integrity", "availability"][i % 3];
    let l = 1 + (i + revision) % 5;
    let im = 1 + (i / 5 + revision) % 5;
    let identified = day(-300 + (i % 200) as i64);
    let reviewed = day(-((i % 10) as i64) - 1 + revision as i64);
    // One action in a hundred is a few days late.
    let due = if i.is_multiple_of(100) {
        day(-5)
    } else {
        day(30 + (i % 90) as i64)
    };
    format!(
        "kind: risk
id: R-{i:05}
title: Synthetic risk number {i}, revision {revision}
description: >-
  Cause, event and consequence of synthetic risk {i}. The text is long enough to look like
  a real description written by a delivery team for its risk register.
category: {category}
owner: {owner}
status: open
response: treat
inherent: {{likelihood: {il}, impact: {iim}}}
residual: {{likelihood: {l}, impact: {im}}}
controls:
  - Control one for risk {i}
  - Control two for risk {i}
actions:
  - id: A-{a1:06}
    title: First action for risk {i}
    owner: {owner}
    due: {due}
    status: open
  - id: A-{a2:06}
    title: Second action for risk {i}
    owner: {owner2}
    due: {due}
    status: done
    done_on: {reviewed}
identified: {identified}
last_reviewed: {reviewed}
",
        owner = person(i),
        owner2 = person(i + 1),
        il = (l + 1).min(5),
        iim = (im + 1).min(5),
        a1 = 2 * i,
        a2 = 2 * i + 1,
    )
}

/// One assessment a day back from 10 days before `AS_OF`; number 0 is the latest.
pub fn assessment_date(i: usize) -> String {
    day(-10 - i as i64)
}

pub fn assessment_id(i: usize) -> String {
    format!("{}-self-{i:03}", assessment_date(i))
}

pub fn assessment(i: usize) -> String {
    format!(
        "kind: assessment
id: {id}
type: self
trigger: scheduled
date: {date}
assessors: [{a}, {b}]
scope: Every component of the synthetic service, including its suppliers.
tool_reference: CAAT-{i:05}
outcome:
  maturity: {{identify: 3, protect: 3, detect: 2, respond: 2, recover: 3}}
  summary: Synthetic assessment {i}.
findings:
  - {{id: F-01, title: Finding one, severity: medium, risks: [R-{r:05}]}}
actions:
  - {{id: A-9{i:05}, title: Fix finding one, owner: {a}, due: {due}, status: open}}
evidence:
  - {{title: Strategy, version: \"1.{i}\", date: {date}, location: MODNET > Strategy}}
",
        id = assessment_id(i),
        date = assessment_date(i),
        a = person(i),
        b = person(i + 7),
        r = i % 10_000,
        due = day(60 + (i % 60) as i64),
    )
}

pub fn signoff(i: usize, subject_id: &str, digest: &str) -> String {
    format!(
        "kind: signoff
id: S-{i:05}
type: risk_acceptance
subject: risk:{subject_id}
subject_digest: {digest}
signed_by: p-000
date: {date}
expires: {expires}
rationale: Accepted for the benchmark until the supplier change.
",
        date = day(-30),
        expires = day(150),
    )
}

fn approval(id: &str, kind: &str, subject: &str, digest: &str) -> String {
    format!(
        "kind: signoff\nid: {id}\ntype: {kind}\nsubject: {subject}\nsubject_digest: {digest}\nsigned_by: p-000\ndate: {}\n",
        day(-5)
    )
}

pub fn event(i: usize) -> String {
    let kind = ["change", "new_threat", "breach"][i % 3];
    format!(
        "kind: event\nid: E-{i:04}\ntype: {kind}\ndate: {}\nsummary: Synthetic event {i}.\naffects: [risk:R-{:05}]\n",
        day(-20 - (i * 3 % 300) as i64),
        i % 10_000
    )
}

/// Board meetings every six weeks back from 14 days before `AS_OF`.
pub fn board_date(i: usize) -> String {
    day(-14 - 42 * i as i64)
}

pub fn board(i: usize) -> String {
    let date = board_date(i);
    format!(
        "kind: board\nid: {date}\ndate: {date}\nboard: Synthetic Programme Board\npresented_by: p-001\n"
    )
}

pub fn digest_of(text: &str) -> String {
    Digest::of(&parse_value(text).expect("synthetic YAML parses")).to_string()
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Write a synthetic records folder at `root` (the folder that holds project.yaml).
pub fn write_records(root: &Path, size: &Size) {
    write(root, "project.yaml", &project());
    write(root, "people.yaml", &people());
    write(root, "appetite.yaml", &appetite());
    write(
        root,
        "signoffs/S-90000.yaml",
        &approval(
            "S-90000",
            "appetite_approval",
            "appetite",
            &digest_of(&appetite()),
        ),
    );
    let mut risk_texts = Vec::with_capacity(size.risks);
    for i in 0..size.risks {
        let text = risk(i, 0);
        write(root, &format!("risks/R-{i:05}.yaml"), &text);
        risk_texts.push(text);
    }
    for i in 0..size.assessments {
        let text = assessment(i);
        if i == 0 {
            // The latest assessment is approved by the SRO.
            let subject = format!("assessment:{}", assessment_id(i));
            let signoff = approval("S-90001", "report_approval", &subject, &digest_of(&text));
            write(root, "signoffs/S-90001.yaml", &signoff);
        }
        write(
            root,
            &format!("assessments/{}.yaml", assessment_id(i)),
            &text,
        );
    }
    // Two of the sign-offs are the approvals written above; the rest accept risks.
    for i in 0..size.signoffs.saturating_sub(2) {
        let r = (i * 7) % size.risks.max(1);
        let digest = digest_of(&risk_texts[r]);
        write(
            root,
            &format!("signoffs/S-{i:05}.yaml"),
            &signoff(i, &format!("R-{r:05}"), &digest),
        );
    }
    for i in 0..size.events {
        write(root, &format!("events/E-{i:04}.yaml"), &event(i));
    }
    for i in 0..size.boards {
        write(root, &format!("boards/{}.yaml", board_date(i)), &board(i));
    }
}

fn commit(repo: &git2::Repository, paths: &[&str], who: (&str, &str), message: &str) {
    let mut index = repo.index().expect("index");
    index
        .add_all(paths.iter(), git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let time = git2::Time::new(noon_before_as_of(), 0);
    let signature = git2::Signature::new(who.0, who.1, &time).expect("signature");
    let parents: Vec<git2::Commit> = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .into_iter()
        .collect();
    let parents: Vec<&git2::Commit> = parents.iter().collect();
    repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        message,
        &tree,
        &parents,
    )
    .expect("commit");
}

/// A git repository at `root` whose `assurance/` holds `size` records, committed in two
/// commits: the records by a risk owner, then the sign-offs by the SRO, so that git can
/// witness every sign-off.
pub fn write_repository(root: &Path, size: &Size) {
    let repo = git2::Repository::init(root).expect("git init");
    write_records(&root.join("assurance"), size);
    let records = [
        "assurance/project.yaml",
        "assurance/people.yaml",
        "assurance/appetite.yaml",
        "assurance/risks",
        "assurance/assessments",
        "assurance/events",
        "assurance/boards",
    ];
    commit(
        &repo,
        &records,
        ("Person 1", "person1@example.gov.uk"),
        "Records",
    );
    commit(
        &repo,
        &["assurance/signoffs"],
        ("Person 0", "person0@example.gov.uk"),
        "SRO sign-offs",
    );
}
