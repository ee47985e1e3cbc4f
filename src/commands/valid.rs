//! Commands that need valid records evaluate them here, and report them as `check` does
//! when they are not.

use super::Context;
use crate::error::{Exit, Result};

/// The records evaluated as `evaluation` asks; `Err(exit)` when they are not valid, their
/// problems reported on standard error as `check` reports them.
pub(crate) fn evaluate_valid(
    cx: &Context,
    evaluation: &crate::cli::config::Evaluation,
) -> Result<std::result::Result<crate::evaluate::Evaluated, Exit>> {
    let evaluated = crate::evaluate::evaluate(
        &evaluation.workspace,
        evaluation.at.as_ref(),
        evaluation.as_of,
    )?;
    Ok(match valid_or_report(cx, &evaluated) {
        Some(invalid) => Err(invalid),
        None => Ok(evaluated),
    })
}

/// `None` when the records are valid; else their problems, reported on standard error as
/// `check` reports them, and the exit status that says so.
pub(crate) fn valid_or_report(
    cx: &Context,
    evaluated: &crate::evaluate::Evaluated,
) -> Option<Exit> {
    if evaluated.status.is_some() {
        return None;
    }
    let _ = crate::report::human::write_invalid(&mut std::io::stderr(), evaluated, cx.style);
    Some(Exit::Invalid)
}
