//! `assure export`: the risk register and action plan for a spreadsheet, every due date for a
//! calendar, or what to enter into CAAT for an assessment.

use std::io::Write;

use super::{Context, output_error};
use crate::cli::ExportWhat;
use crate::cli::config::Export;
use crate::error::{Error, Exit, Result};
use crate::evaluate;
use crate::export;
use crate::fsutil;
use crate::report::{export as render, human, messages};
use crate::suggest::did_you_mean;

pub fn run(cx: &Context, request: &Export, out: &mut dyn Write) -> Result<Exit> {
    let evaluation = &request.evaluation;
    let evaluated = evaluate::evaluate(
        &evaluation.workspace,
        evaluation.at.as_ref(),
        evaluation.as_of,
    )?;
    if evaluated.status.is_none() {
        let _ = human::write_invalid(&mut std::io::stderr(), &evaluated, cx.style);
        return Ok(Exit::Invalid);
    }
    let bytes = match &request.what {
        ExportWhat::Csv(table) => render::csv(&export::tables(&evaluated), *table),
        ExportWhat::Xlsx => render::xlsx(&export::tables(&evaluated)).map_err(|e| {
            Error::usage(
                format!("the workbook could not be made: {e}"),
                "report this with the records that caused it; CSV export still works",
            )
        })?,
        ExportWhat::Ics => render::ics(
            &export::calendar(&evaluated),
            &evaluated.loaded.records,
            evaluated.as_of,
        ),
        ExportWhat::CaatMarkdown(id) | ExportWhat::CaatCsv(id) => {
            let Some(caat) = export::caat(&evaluated, id) else {
                let ids = evaluated
                    .loaded
                    .records
                    .assessments
                    .iter()
                    .map(|a| a.id.as_str());
                let hint = match did_you_mean(id, ids) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "name an assessment by its id, the name of its file in assessments/"
                        .to_owned(),
                };
                return Err(Error::usage(format!("there is no assessment {id}"), hint));
            };
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
