//! The short confirmations commands print when they have written something: what was
//! written, and what to do next.

use std::io::{self, Write};
use std::path::Path;

use crate::board::Pack;
use crate::github::Posted;
use crate::records::{Kind, schema};
use crate::scaffold::Outcome;
use crate::sign::Prepared;
use crate::witness::commit_command;

/// `assure init`: each starting file created or kept, then what to do next.
pub fn init(
    out: &mut dyn Write,
    dir: &str,
    dir_from_here: &str,
    root: Option<&Path>,
    outcomes: &[Outcome],
) -> io::Result<()> {
    let folder = crate::source::folder(dir);
    if let Some(root) = root {
        writeln!(
            out,
            "the records are in {folder} of the repository at {}",
            root.display()
        )?;
    }
    for o in outcomes.iter().filter(|o| o.is_shown()) {
        let path = crate::source::joined(dir, &o.relative);
        if o.created {
            writeln!(out, "created {path}")?;
        } else {
            writeln!(out, "kept    {path} (it already exists)")?;
        }
    }
    if outcomes.iter().any(|o| o.created) {
        // Commands find `assurance/` by themselves; another folder is named to them.
        let (check, found) = if dir == crate::workspace::DEFAULT_DIR {
            ("assure check".to_owned(), String::new())
        } else {
            let name = crate::source::folder_name(dir);
            (
                format!(
                    "assure check --dir {}",
                    crate::source::folder_name(dir_from_here)
                ),
                format!(
                    "\nso that every command (and the Action) finds the records without --dir, \
                     put `dir: {name}` in .assure.yaml at the repository's root."
                ),
            )
        };
        writeln!(
            out,
            "\nnext: replace the placeholders (names, e-mails, the appetite statement), then run `{check}`.\n\
             A new project starts RED until the SRO approves the appetite and the first self-assessment is recorded:\n\
             `{check}` lists what to do, in order.\n\
             editors with the YAML language server get help and completion from {folder}.schemas/.{found}"
        )
    } else {
        writeln!(
            out,
            "\nnothing to do: {folder} already has every starting file"
        )
    }
}

/// `assure schema` without a kind: every schema's id, and how to get them.
pub fn schema_list(out: &mut dyn Write) -> io::Result<()> {
    for kind in Kind::ALL {
        let id = schema::document(kind)["$id"].as_str().unwrap_or_default();
        writeln!(out, "{:<11} {id}", kind.name())?;
    }
    writeln!(
        out,
        "\nprint one with `assure schema KIND`, or write them all with `assure schema --out DIR`"
    )
}

/// A file written.
pub fn wrote(out: &mut dyn Write, path: &Path) -> io::Result<()> {
    writeln!(out, "wrote {}", path.display())
}

/// `assure sign --web`: the link that commits the sign-off in the browser.
pub fn signed_on_the_web(
    out: &mut dyn Write,
    path: &str,
    prepared: &Prepared,
    link: &str,
) -> io::Result<()> {
    let (s, signer) = (&prepared.signoff, &prepared.signer);
    let name = crate::report::human::inert(&signer.name);
    writeln!(
        out,
        "{path}: {} of {} by {name} ({}) on {}, {}; nothing was written here.",
        s.kind, s.subject, signer.id, s.date, prepared.digest
    )?;
    writeln!(
        out,
        "next: {name}, signed in to GitHub, opens this link and commits the new file as it is:"
    )?;
    writeln!(out, "  {link}")?;
    writeln!(
        out,
        "GitHub's web editor records them as the commit's author and signs the commit with GitHub's own key."
    )?;
    if prepared.require_signed_commits && !prepared.platform_keys {
        writeln!(
            out,
            "warning: the policy requires signed commits but trusts no platform key, so verify will not count a commit made in the browser; add GitHub's web-flow key to policy.signoff.platform_keys (README: The SRO decides in the browser)"
        )?;
    }
    Ok(())
}

/// `assure sign`: the sign-off written, and how the signer commits it.
pub fn signed(
    out: &mut dyn Write,
    path: &str,
    path_from_here: &str,
    prepared: &Prepared,
) -> io::Result<()> {
    let (s, signer) = (&prepared.signoff, &prepared.signer);
    let name = crate::report::human::inert(&signer.name);
    writeln!(
        out,
        "wrote {path}: {} of {} by {} ({}) on {}, {}",
        s.kind, s.subject, name, signer.id, s.date, prepared.digest
    )?;
    let signed = prepared.require_signed_commits;
    writeln!(
        out,
        "next: {} commits it{}:",
        name,
        if signed {
            ", signed with their SSH key"
        } else {
            ""
        }
    )?;
    writeln!(out, "  git add {path_from_here}")?;
    writeln!(out, "  {}", commit_command(s, signed))?;
    if prepared.require_git_author {
        writeln!(
            out,
            "the commit must be authored by {} <{}>{}; a commit by anyone else does not count.",
            name,
            crate::report::human::inert(&signer.email),
            signer
                .github
                .as_ref()
                .map(|g| format!(" (or GitHub user {})", crate::report::human::inert(g)))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

/// `assure board --out FILE`: where the pack went, and its headline.
pub fn board_written(out: &mut dyn Write, path: &Path, pack: &Pack) -> io::Result<()> {
    writeln!(
        out,
        "wrote {} ({}: {} as of {}, since {})",
        path.display(),
        pack.project.name,
        pack.status.overall.upper(),
        pack.as_of,
        pack.period.since
    )
}

/// `assure ci`: what became of the governance comment.
pub fn comment_posted(out: &mut dyn Write, number: u64, posted: &Posted) -> io::Result<()> {
    let (verb, id) = match posted {
        Posted::Created(id) => ("posted", id),
        Posted::Updated(id) => ("updated", id),
        Posted::Unchanged(id) => ("left unchanged (it was up to date)", id),
    };
    writeln!(
        out,
        "The governance comment on pull request #{number} was {verb} (comment {id})."
    )
}

/// `assure import`: every problem, where the spreadsheet has it; nothing was written.
pub fn import_problems(out: &mut dyn Write, problems: &[crate::import::Problem]) -> io::Result<()> {
    for p in problems {
        let inert = crate::report::human::inert;
        writeln!(out, "error: {}: {}", inert(&p.place), inert(&p.message))?;
        if !p.hint.is_empty() {
            writeln!(out, "  = help: {}", inert(&p.hint))?;
        }
    }
    writeln!(
        out,
        "{} problem{}; nothing was written",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    )
}

/// `assure import --dry-run`: what would be written, and that nothing was.
pub fn import_planned(
    out: &mut dyn Write,
    dir: &str,
    converted: &crate::import::Converted,
) -> io::Result<()> {
    import_notes(out, converted)?;
    for (relative, _) in &converted.files {
        writeln!(out, "would write {}", crate::source::joined(dir, relative))?;
    }
    let n = converted.files.len();
    writeln!(
        out,
        "dry run: {n} {} would be imported; nothing was written",
        if n == 1 { "risk" } else { "risks" }
    )
}

/// `assure import`: how many risks were written where, and what to do next.
pub fn imported(
    out: &mut dyn Write,
    dir: &str,
    converted: &crate::import::Converted,
) -> io::Result<()> {
    import_notes(out, converted)?;
    let n = converted.files.len();
    writeln!(
        out,
        "imported {n} {} into {}; run assure check next",
        if n == 1 { "risk" } else { "risks" },
        crate::source::joined(dir, "risks/")
    )
}

fn import_notes(out: &mut dyn Write, converted: &crate::import::Converted) -> io::Result<()> {
    for note in &converted.notes {
        writeln!(out, "note: {}", crate::report::human::inert(note))?;
    }
    Ok(())
}

/// `assure explain`: every rule id and error code with its summary.
pub fn code_list(out: &mut dyn Write) -> io::Result<()> {
    for c in crate::code::Code::all() {
        let summary = match c {
            crate::code::Code::Rule(r) => r.summary(),
            crate::code::Code::Error(e) => e.summary(),
        };
        writeln!(out, "{:<22} {summary}", c.as_str())?;
    }
    writeln!(out, "\nassure explain CODE shows one in full.")
}
