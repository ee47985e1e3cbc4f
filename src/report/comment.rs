//! The governance summary a CI job leaves: the pull-request comment and the job summary.
//! Status and areas, findings with remedies, what the pull request changes in the records,
//! the sign-offs it voids, and what falls due in the next 30 days. It is cut to fit a size
//! limit (GitHub's 65,536 characters for a comment), saying what was left out.

use std::fmt::Write as _;

use crate::board::Deadline;
use crate::changes::{Change, PullRequest, Unlisted, What};
use crate::evaluate::Evaluated;
use crate::git::short_text;
use crate::public::{SEE_LOCALLY, Withholding};
use crate::ratchet::Effect;
use crate::records::Marking;
use crate::report::human::plural;
use crate::report::markdown::{
    SourceLinks, areas_table, escape, findings_table, marking_line, position_line, rag, signed_mark,
};

/// Everything the summary shows.
pub struct Summary<'a> {
    pub evaluated: &'a Evaluated,
    pub deadlines: &'a [Deadline],
    pub pull_request: &'a PullRequest,
    /// A line to show first, such as why the comment could not be posted.
    pub notice: Option<String>,
    /// The workflow run, linked from the footer.
    pub run_url: Option<&'a str>,
    /// Where the findings' files can be seen, when known.
    pub links: Option<&'a SourceLinks>,
    /// What of the records' text this summary, which leaves the team, must withhold.
    pub withholding: &'a Withholding,
    /// On a pull request: what the change does to the findings, and the base it is
    /// compared with.
    pub effect: Option<(&'a Effect, &'a str)>,
    /// Decisions the SRO can take in the browser: what is asked, and the link that opens
    /// the sign-off ready to commit.
    pub decisions: &'a [(String, String)],
}

/// How many introduced and resolved findings the comment names by its effect line.
const EFFECT_SHOWN: usize = 10;

#[derive(Clone, Copy)]
struct Limits {
    findings: usize,
    changes: usize,
    deadlines: usize,
}

impl Summary<'_> {
    /// The summary's protective marking: what it withholds does not mark it.
    fn marking(&self) -> Marking {
        self.withholding.output_marking().clone()
    }
}

fn render(s: &Summary<'_>, limits: Limits, marker: Option<&str>) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut cut = Vec::new();
    if let Some(marker) = marker {
        out.push_str(marker);
        out.push('\n');
    }
    let _ = writeln!(out, "{}\n", marking_line(&s.marking()));
    if let Some(notice) = &s.notice {
        let _ = writeln!(out, "> {}\n", escape(notice));
    }
    let e = s.evaluated;
    let name = escape(e.project.as_deref().unwrap_or("assurance"));
    let Some(status) = &e.status else {
        let _ = writeln!(out, "### ⛔ Assurance records are not valid\n");
        let _ = writeln!(
            out,
            "{name}: {}; no status can be given until they are fixed.\n",
            plural(e.loaded.problems.len(), "problem", "problems")
        );
        let shown = e.loaded.problems.len().min(limits.findings);
        let _ = findings_table(
            &mut StringWriter(&mut out),
            &e.loaded.problems[..shown],
            s.links,
        );
        if shown < e.loaded.problems.len() {
            cut.push(format!("{} of {} problems", shown, e.loaded.problems.len()));
        }
        return (out, cut);
    };
    let (findings, withheld_findings) = s.withholding.findings(&status.findings);
    let (deadlines, withheld_deadlines) = s.withholding.deadlines(s.deadlines);
    let (changes, withheld_changes) = match s.pull_request {
        PullRequest::Changes { changes, .. } => s.withholding.changes(changes),
        _ => (Vec::new(), 0),
    };
    // What this change does comes first: a reviewer's question.
    if let Some((effect, since)) = s.effect {
        let mut voided = changes
            .iter()
            .filter(|c| c.what == crate::changes::What::SignoffInvalidated)
            .map(|c| format!("voids sign-off {}", escape(&c.id)))
            .collect::<Vec<_>>();
        // Code an accepted risk is about, changed: what the acceptance covers has moved.
        if let PullRequest::Changes { covered, .. } = s.pull_request {
            for t in s.withholding.covered(covered) {
                if t.acceptance.is_some() {
                    voided.push(format!(
                        "changes what {}'s acceptance covers",
                        escape(&t.id)
                    ));
                }
            }
        }
        let mut sentence = effect.sentence();
        for v in &voided {
            sentence.push_str(", ");
            sentence.push_str(v);
        }
        let icon = if effect.introduced_at(crate::finding::Severity::Red) > 0 {
            "🔴"
        } else if !effect.introduced.is_empty() || !voided.is_empty() {
            "🟠"
        } else {
            "🟢"
        };
        let _ = writeln!(
            out,
            "### {icon} This pull request {sentence}\n\nCompared with {}, on {}.\n",
            escape(since),
            status.as_of
        );
        for (label, list) in [
            ("Introduced", &effect.introduced),
            ("Resolved", &effect.resolved),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "**{label}**\n");
            // A few of each: the findings table below has them all.
            let shown = list.len().min(EFFECT_SHOWN).min(limits.findings.max(1));
            for f in &list[..shown] {
                let _ = writeln!(
                    out,
                    "- {} **{}** {}",
                    crate::report::markdown::severity(f.severity),
                    f.code.as_str(),
                    escape(&f.message)
                );
            }
            if list.len() > shown {
                let _ = writeln!(out, "- …and {} more", list.len() - shown);
            }
            let _ = writeln!(out);
        }
    }
    if !s.decisions.is_empty() {
        let _ = writeln!(out, "#### Decisions for the SRO, in the browser\n");
        for (ask, link) in s.decisions {
            let _ = writeln!(
                out,
                "- {}: [open the sign-off, ready to commit]({link})",
                escape(ask)
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "### Assurance currency: {}\n", rag(status.overall));
    let _ = writeln!(out, "{name} · as of {}\n", status.as_of);
    let _ = position_line(&mut StringWriter(&mut out), status);
    let withheld = withheld_findings + withheld_deadlines + withheld_changes;
    if withheld > 0 {
        let _ = writeln!(
            out,
            "> 🔒 {} about records with a handling marking {} withheld here, as `policy.public_outputs` asks: {}.\n",
            plural(withheld, "item", "items"),
            if withheld == 1 { "is" } else { "are" },
            SEE_LOCALLY.replace(" it", " them")
        );
    }
    let _ = areas_table(&mut StringWriter(&mut out), status);
    if findings.is_empty() {
        let _ = writeln!(out, "No findings: every record is in date.\n");
    } else {
        let _ = writeln!(out, "#### Findings\n");
        let shown = findings.len().min(limits.findings);
        let _ = findings_table(&mut StringWriter(&mut out), &findings[..shown], s.links);
        if shown < findings.len() {
            let _ = writeln!(
                out,
                "\n…and {} more (`assure status` lists them all).",
                findings.len() - shown
            );
            cut.push(format!("{shown} of {} findings", findings.len()));
        }
        let _ = writeln!(out);
    }
    match s.pull_request {
        PullRequest::None => {}
        PullRequest::Unknown(why) => {
            let why = match why {
                Unlisted::NoRepository => "The records are not in a git repository, so the pull request's changes cannot be listed.".to_owned(),
                Unlisted::BaseMissing(base) => format!(
                    "The pull request's base commit {} is not in this clone, so its changes cannot be listed. \
                     Check out with `fetch-depth: 0` (actions/checkout) to see them.",
                    escape(short_text(base))
                ),
                Unlisted::Unreadable(e) => format!(
                    "The pull request's changes could not be read from git: {}.",
                    escape(&e.to_string())
                ),
            };
            let _ = writeln!(
                out,
                "#### What this pull request changes in the records\n\n{why}\n"
            );
        }
        PullRequest::Changes {
            base,
            warnings,
            covered,
            ..
        } => {
            if !covered.is_empty() {
                let _ = writeln!(
                    out,
                    "#### Code this pull request changes that records cover\n"
                );
                for t in s.withholding.covered(covered) {
                    let _ = writeln!(out, "- {}", escape(&t.text));
                    for file in &t.files {
                        let _ = writeln!(out, "  - `{}`", file.replace('`', "'"));
                    }
                }
                let _ = writeln!(out);
            }
            let (voided, others): (Vec<&Change>, Vec<&Change>) = changes
                .iter()
                .partition(|c| c.what == What::SignoffInvalidated);
            let _ = writeln!(out, "#### What this pull request changes in the records\n");
            for warning in warnings {
                let _ = writeln!(out, "> ⚠️ {}\n", escape(warning));
            }
            if others.is_empty() {
                let _ = writeln!(
                    out,
                    "Nothing in the records changes (compared with `{}`).",
                    short_text(base)
                );
            }
            let shown = others.len().min(limits.changes);
            for c in &others[..shown] {
                let _ = writeln!(out, "- {}{}", escape(&c.text), signed_mark(c));
            }
            if shown < others.len() {
                let _ = writeln!(
                    out,
                    "- …and {} more (`assure diff` lists them all)",
                    others.len() - shown
                );
                cut.push(format!("{shown} of {} changes", others.len()));
            }
            let _ = writeln!(out, "\n#### Sign-offs this pull request voids\n");
            if voided.is_empty() {
                let _ = writeln!(out, "None.");
            }
            for c in &voided {
                let _ = writeln!(out, "- ⚠️ {}", escape(&c.text));
            }
            let _ = writeln!(out);
        }
    }
    let _ = writeln!(out, "#### Due in the next 30 days\n");
    if deadlines.is_empty() {
        let _ = writeln!(out, "Nothing.\n");
    } else {
        let _ = writeln!(out, "| Due | What | Owner |\n|---|---|---|");
        let shown = deadlines.len().min(limits.deadlines);
        for d in &deadlines[..shown] {
            let when = if d.overdue {
                format!("**overdue** ({})", d.due)
            } else {
                d.due.to_string()
            };
            let _ = writeln!(
                out,
                "| {when} | {} | {} |",
                escape(&d.what),
                escape(d.owner.as_deref().unwrap_or(""))
            );
        }
        if shown < deadlines.len() {
            let _ = writeln!(out, "\n…and {} more.", deadlines.len() - shown);
            cut.push(format!("{shown} of {} deadlines", deadlines.len()));
        }
        let _ = writeln!(out);
    }
    (out, cut)
}

/// The note that tops the job summary when the comment could not be posted.
pub fn not_posted(why: &str) -> String {
    format!(
        "The pull-request comment was not posted: {why}. This summary has everything it would have said."
    )
}

/// The job summary of a run that could not check the records, saying why.
pub fn could_not_check(why: &str) -> String {
    // The reason can hold text from the repository (a folder's name): as Markdown, escaped.
    format!(
        "### ⛔ assure could not check the records\n\n{}\n",
        escape(why)
    )
}

struct StringWriter<'a>(&'a mut String);

impl std::io::Write for StringWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.push_str(&String::from_utf8_lossy(buf));
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The summary as Markdown of at most `max` characters, beginning with `marker` when given.
/// Lists are shortened until it fits, and a last line says what was cut.
pub fn fitted(s: &Summary<'_>, max: usize, marker: Option<&str>) -> String {
    // Everything, at first; then each list halved until the whole fits.
    let e = s.evaluated;
    let mut limits = Limits {
        findings: e
            .status
            .as_ref()
            .map_or(e.loaded.problems.len(), |st| st.findings.len()),
        changes: match s.pull_request {
            PullRequest::Changes { changes, .. } => changes.len(),
            _ => 0,
        },
        deadlines: s.deadlines.len(),
    };
    let footer = |cut: &[String]| {
        let mut line = format!("\n<sub>assure {}", env!("CARGO_PKG_VERSION"));
        if let Some(url) = s.run_url {
            let _ = write!(line, " · [workflow run]({url})");
        }
        if !cut.is_empty() {
            let _ = write!(
                line,
                " · cut to fit GitHub's size limit: showing {}",
                cut.join(", ")
            );
        }
        line.push_str("</sub>\n\n");
        line.push_str(&marking_line(&s.marking()));
        line.push('\n');
        line
    };
    loop {
        let (mut body, cut) = render(s, limits, marker);
        body.push_str(&footer(&cut));
        if body.chars().count() <= max {
            return body;
        }
        if limits.findings + limits.changes + limits.deadlines == 0 {
            // Cannot happen with real records; never send more than the limit anyway.
            let note = "\n…cut to fit GitHub's size limit.\n";
            let keep = max.saturating_sub(note.chars().count());
            let mut cut_body: String = body.chars().take(keep).collect();
            cut_body.push_str(note);
            return cut_body;
        }
        limits = Limits {
            findings: limits.findings / 2,
            changes: limits.changes / 2,
            deadlines: limits.deadlines / 2,
        };
    }
}
