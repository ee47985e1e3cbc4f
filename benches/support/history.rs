//! A synthetic repository history for the history benchmarks: 20,000 commits over about
//! three years, a third of them changing the assurance records (2,000 risks and more),
//! the rest changing code. Written as a `git fast-import` stream, which is how large test
//! repositories are built quickly.

#![allow(dead_code)]

use std::io::{self, Write};

pub const COMMITS: usize = 20_000;
pub const RISKS: usize = 2_000;
/// Seconds between commits: 20,000 commits span about 2.7 years.
const STEP: i64 = 70 * 60;
/// 2024-01-01T09:00:00Z
const START: i64 = 1_704_099_600;

fn day_of(time: i64) -> String {
    jiff::Timestamp::from_second(time)
        .unwrap()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

fn days_after(day: &str, days: i64) -> String {
    let d: jiff::civil::Date = day.parse().unwrap();
    (d + jiff::Span::new().days(days)).to_string()
}

const PEOPLE: &str = "kind: people
people:
  - {id: p-sro, name: Sam Owner, email: sro@example.gov.uk, roles: [sro]}
  - {id: p-lead, name: Lee Lead, email: lead@example.gov.uk, roles: [security_lead, risk_owner]}
  - {id: p-dev, name: Dee Dev, email: dev@example.gov.uk, roles: [risk_owner]}
";

const PROJECT: &str = "kind: project
name: Synthetic History Service
description: A service with a long history, for benchmarks.
organisation: Benchmarks
lifecycle_stage: in_service
criticality: high
caat_reference: CAAT-0001
policy:
  signoff: {require_git_author: false, separation_of_duties: false}
";

fn appetite(day: &str) -> String {
    format!(
        "kind: appetite\nstatement: No loss of personal data.\ntolerance: 9\nagreed_on: 2024-01-01\nlast_reviewed: {day}\n"
    )
}

/// Risk `i` in its `revision`, last reviewed on `day`.
pub fn risk(i: usize, revision: usize, day: &str, closed: bool) -> String {
    let l = 1 + (i + revision) % 5;
    let m = 1 + (i / 5 + revision * 3) % 5;
    let status = if closed {
        format!(
            "status: closed\nclosed: {{date: {day}, reason: Retired in revision {revision}.}}\n"
        )
    } else {
        "status: open\n".to_owned()
    };
    format!(
        "kind: risk
id: R-{i:05}
title: Synthetic risk {i}
description: Cause, event and consequence of synthetic risk {i}, revision {revision}.
owner: {owner}
{status}response: treat
inherent: {{likelihood: 5, impact: 5}}
residual: {{likelihood: {l}, impact: {m}}}
actions:
  - {{id: A-{i:05}, title: Treat risk {i}, owner: {owner}, due: {due}, status: open}}
identified: 2024-01-01
last_reviewed: {day}
",
        owner = if i.is_multiple_of(2) {
            "p-lead"
        } else {
            "p-dev"
        },
        due = days_after(day, 60),
    )
}

fn assessment(n: usize, day: &str) -> (String, String) {
    let id = format!("{day}-self-{n}");
    let text = format!(
        "kind: assessment\nid: {id}\ntype: self\ntrigger: scheduled\ndate: {day}\nassessors: [p-lead]\nscope: Everything.\noutcome: {{summary: Assessment {n}.}}\n"
    );
    (id, text)
}

fn data(out: &mut impl Write, text: &str) -> io::Result<()> {
    writeln!(out, "data {}", text.len())?;
    out.write_all(text.as_bytes())?;
    writeln!(out)
}

fn modify(out: &mut impl Write, path: &str, text: &str) -> io::Result<()> {
    writeln!(out, "M 100644 inline {path}")?;
    data(out, text)
}

/// Write the whole history as a fast-import stream to `out`, on branch `main`.
pub fn write_stream(out: &mut impl Write) -> io::Result<()> {
    let mut revisions = vec![0usize; RISKS * 2];
    let mut risks = RISKS;
    let mut closed = vec![false; RISKS * 2];
    let mut assessments = 0;
    let mut boards = 0;
    for n in 0..COMMITS {
        let time = START + n as i64 * STEP;
        let day = day_of(time);
        let (who, email) = if n % 3 == 0 {
            ("Lee Lead", "lead@example.gov.uk")
        } else {
            ("Dee Dev", "dev@example.gov.uk")
        };
        writeln!(out, "commit refs/heads/main")?;
        writeln!(out, "mark :{}", n + 1)?;
        writeln!(out, "author {who} <{email}> {time} +0000")?;
        writeln!(out, "committer {who} <{email}> {time} +0000")?;
        let message = format!("Commit {n}");
        data(out, &message)?;
        if n > 0 {
            writeln!(out, "from :{n}")?;
        }
        if n == 0 {
            modify(out, "assurance/project.yaml", PROJECT)?;
            modify(out, "assurance/people.yaml", PEOPLE)?;
            modify(out, "assurance/appetite.yaml", &appetite(&day))?;
            for i in 0..RISKS {
                modify(
                    out,
                    &format!("assurance/risks/R-{i:05}.yaml"),
                    &risk(i, 0, &day, false),
                )?;
            }
            let (id, text) = assessment(0, &day);
            modify(out, &format!("assurance/assessments/{id}.yaml"), &text)?;
            modify(out, "src/main.rs", "fn main() {}\n")?;
        } else if n % 3 == 0 {
            // A third of the commits change the records.
            let k = n / 3;
            match k % 100 {
                // A new risk.
                0 if risks < revisions.len() => {
                    modify(
                        out,
                        &format!("assurance/risks/R-{risks:05}.yaml"),
                        &risk(risks, 0, &day, false),
                    )?;
                    risks += 1;
                }
                // A risk closed.
                1 => {
                    let i = (k * 7919) % risks;
                    revisions[i] += 1;
                    closed[i] = true;
                    modify(
                        out,
                        &format!("assurance/risks/R-{i:05}.yaml"),
                        &risk(i, revisions[i], &day, true),
                    )?;
                }
                // An assessment, an event, a board.
                2 => {
                    assessments += 1;
                    let (id, text) = assessment(assessments, &day);
                    modify(out, &format!("assurance/assessments/{id}.yaml"), &text)?;
                }
                3 => {
                    let text = format!(
                        "kind: event\nid: E-{k:05}\ntype: change\ndate: {day}\nsummary: Change {k}.\n"
                    );
                    modify(out, &format!("assurance/events/E-{k:05}.yaml"), &text)?;
                }
                4 => {
                    boards += 1;
                    let text =
                        format!("kind: board\nid: {day}\ndate: {day}\nboard: Programme Board\n");
                    modify(out, &format!("assurance/boards/{day}.yaml"), &text)?;
                    modify(out, "assurance/appetite.yaml", &appetite(&day))?;
                }
                // Most often: a risk reviewed and re-scored.
                _ => {
                    let i = (k * 104_729) % risks;
                    revisions[i] += 1;
                    modify(
                        out,
                        &format!("assurance/risks/R-{i:05}.yaml"),
                        &risk(i, revisions[i], &day, closed[i]),
                    )?;
                }
            }
        } else {
            modify(
                out,
                &format!("src/module_{}.rs", n % 50),
                &format!("// change {n}\npub fn f() -> u32 {{ {n} }}\n"),
            )?;
        }
    }
    let _ = boards;
    writeln!(out, "done")
}

/// The day of the last commit: the end of the history.
pub fn last_day() -> String {
    day_of(START + (COMMITS as i64 - 1) * STEP)
}
