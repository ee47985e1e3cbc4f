//! `assure board`: the board pack for a period, as Markdown or one self-contained HTML file.

use std::io::Write;
use std::path::Path;

use super::{Progress, evaluate_witnessed, output_error, repository};
use crate::board::{self, Inputs, Start};
use crate::cli::{BoardRequest, Config, Evaluation, PackFormat};
use crate::dates::parse_date;
use crate::error::{Error, Exit, Result};
use crate::fsutil;
use crate::git;
use crate::report::board::{HTML, MARKDOWN, render};
use crate::workspace;

pub fn run(config: &Config, request: &BoardRequest, out: &mut dyn Write) -> Result<Exit> {
    let workspace = workspace::locate(config.dir.as_deref(), request.until.is_none())?;
    let repo = repository(&workspace)?;
    let dir = workspace.records.display.clone();

    // The end of the period: the working tree, or the records at --until.
    let evaluation = Evaluation {
        as_of: request.as_of,
        at: request.until.clone(),
    };
    let read = evaluate_witnessed(config, &evaluation)?;
    let now = &read.evaluated;
    if now.status.is_none() {
        let mut stderr = std::io::stderr();
        let _ = crate::report::human::write_invalid(
            &mut stderr,
            now,
            crate::report::human::Style { color: false },
        );
        return Ok(Exit::Invalid);
    }
    let set = &now.loaded.records;

    // The start: --since (a date or a revision), else the latest board meeting.
    let start = match &request.since {
        Some(spec) => match parse_date(spec) {
            Ok(day) => Start::Day(day, "as asked".to_owned()),
            Err(_) => {
                let rev = git::resolve(&repo, spec)?;
                Start::Commit(rev.commit, rev.day, format!("at {spec}"))
            }
        },
        None => match set
            .boards
            .iter()
            .filter(|b| b.date <= now.as_of)
            .max_by_key(|b| (b.date, b.id.clone()))
        {
            Some(b) => Start::Day(b.date, format!("the {} of {}", b.board, b.date)),
            None => {
                let day = set.policy.board_cadence.before(now.as_of);
                Start::Day(
                    day,
                    format!("no board recorded; the last {}", set.policy.board_cadence),
                )
            }
        },
    };
    let mut progress = Progress::new();
    let mut pack = board::build(Inputs {
        repo: &repo,
        dir: &dir,
        now,
        witness: &read.witness,
        until_commit: now.revision.as_ref().map(|r| r.commit),
        start,
        progress: &mut |stage, done, total| progress.update(stage, done, total),
    })?;
    drop(progress);

    let (name, source) = match &request.template {
        Some(path) => {
            let source = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("template")
                .to_owned();
            (name, source)
        }
        None => match request.format {
            PackFormat::Markdown => ("board.md.j2".to_owned(), MARKDOWN.to_owned()),
            PackFormat::Html => ("board.html.j2".to_owned(), HTML.to_owned()),
        },
    };

    match &request.out {
        Some(path) => {
            if request.format == PackFormat::Markdown {
                // The pictures go beside the Markdown, as SVG files it links to.
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("board");
                let folder = path.parent().unwrap_or(Path::new(""));
                let heatmap = format!("{stem}-heatmap.svg");
                let trend = format!("{stem}-trend.svg");
                fsutil::write_replace(
                    &folder.join(&heatmap),
                    pack.pictures.heatmap_svg.as_bytes(),
                )?;
                fsutil::write_replace(&folder.join(&trend), pack.pictures.trend_svg.as_bytes())?;
                pack.pictures.heatmap_file = Some(heatmap);
                pack.pictures.trend_file = Some(trend);
            }
            let text = render(&pack, &name, &source)?;
            fsutil::write_replace(path, text.as_bytes())?;
            writeln!(
                out,
                "wrote {} ({}: {} as of {}, since {})",
                path.display(),
                pack.project.name,
                pack.status.overall.upper(),
                pack.as_of,
                pack.period.since
            )
            .map_err(output_error)?;
        }
        None => {
            let text = render(&pack, &name, &source)?;
            out.write_all(text.as_bytes()).map_err(output_error)?;
        }
    }
    Ok(Exit::Ok)
}
