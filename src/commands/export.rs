//! `assure export`: the risk register and action plan for a spreadsheet, every due date for a
//! calendar, or what to enter into CAAT for an assessment.

use std::io::Write;

use super::{Context, evaluate_valid, output_error};
use crate::cli::ExportWhat;
use crate::cli::config::Export;
use crate::error::{Error, Exit, Result};
use crate::export;
use crate::fsutil;
use crate::report::{export as render, messages};

pub fn run(cx: &Context, request: &Export, out: &mut dyn Write) -> Result<Exit> {
    let evaluated = match evaluate_valid(cx, &request.evaluation)? {
        Ok(evaluated) => evaluated,
        Err(invalid) => return Ok(invalid),
    };
    let bytes = match &request.what {
        ExportWhat::Csv(table) => render::csv(&export::tables(&evaluated), *table),
        ExportWhat::Xlsx => render::xlsx(&export::tables(&evaluated)).map_err(|e| {
            Error::usage(
                format!("the workbook could not be made: {e}"),
                "report this with the records that caused it; CSV export still works",
            )
            .because(e)
        })?,
        ExportWhat::Ics => render::ics(
            &export::calendar(&evaluated),
            &evaluated.loaded.records,
            evaluated.as_of,
        ),
        ExportWhat::CaatMarkdown(id) | ExportWhat::CaatCsv(id) => {
            let caat = export::caat(&evaluated, id)?;
            if matches!(request.what, ExportWhat::CaatCsv(_)) {
                render::caat_csv(&caat)
            } else {
                render::caat_markdown(&caat)
            }
        }
    };
    match &request.out {
        Some(path) => {
            fsutil::write_replace(path, &bytes)?;
            messages::wrote(out, path).map_err(output_error)?;
        }
        None => out.write_all(&bytes).map_err(output_error)?,
    }
    Ok(Exit::Ok)
}
