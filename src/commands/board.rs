//! `assure board`: the board pack for a period, as Markdown or one self-contained HTML file.

use std::io::Write;
use std::path::Path;

use super::{Context, output_error, valid_or_report};
use crate::board::{self, Inputs, Start};
use crate::cli::PackFormat;
use crate::cli::config::Board;
use crate::error::{Exit, Result};
use crate::evaluate;
use crate::fsutil;
use crate::report::board::{pictures, render};
use crate::report::messages;
use crate::report::progress::Progress;

pub fn run(cx: &Context, request: &Board, out: &mut dyn Write) -> Result<Exit> {
    let workspace = &request.workspace;
    let repo = workspace.repository()?;
    // The end of the period: the working tree, or the records at --until.
    let mut now = evaluate::evaluate(workspace, request.until.as_ref(), request.as_of)?;
    evaluate::count_busy_risks(workspace, request.until.as_ref(), &mut now);
    if let Some(invalid) = valid_or_report(cx, &now) {
        return Ok(invalid);
    }
    let mut progress = Progress::new(cx.progress);
    let pack = board::build(Inputs {
        repo,
        dir: workspace.dir(),
        start: Start::choose(request.since.as_ref(), &now.loaded.records, now.as_of),
        now: &now,
        until_commit: request.until.as_ref().map(|r| r.commit),
        limit: workspace.limit(),
        progress: &mut |stage, done, total| progress.update(stage, done, total),
    })?;
    drop(progress);

    let mut pictures = pictures(&pack);
    if request.format == PackFormat::Json {
        let text = crate::report::board::json(&pack, &pictures);
        return match &request.out {
            None => {
                out.write_all(text.as_bytes()).map_err(output_error)?;
                Ok(Exit::Ok)
            }
            Some(path) => {
                fsutil::write_replace(path, text.as_bytes())?;
                messages::board_written(out, path, &pack).map_err(output_error)?;
                Ok(Exit::Ok)
            }
        };
    }
    let Some(path) = &request.out else {
        let text = render(&pack, &pictures, &request.template)?;
        out.write_all(text.as_bytes()).map_err(output_error)?;
        return Ok(Exit::Ok);
    };
    if request.format == PackFormat::Markdown {
        // The pictures go beside the Markdown, as SVG files it links to.
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("board");
        let folder = path.parent().unwrap_or(Path::new(""));
        let heatmap = format!("{stem}-heatmap.svg");
        let trend = format!("{stem}-trend.svg");
        fsutil::write_replace(&folder.join(&heatmap), pictures.heatmap_svg.as_bytes())?;
        fsutil::write_replace(&folder.join(&trend), pictures.trend_svg.as_bytes())?;
        pictures.heatmap_file = Some(heatmap);
        pictures.trend_file = Some(trend);
    }
    let text = render(&pack, &pictures, &request.template)?;
    fsutil::write_replace(path, text.as_bytes())?;
    messages::board_written(out, path, &pack).map_err(output_error)?;
    Ok(Exit::Ok)
}
