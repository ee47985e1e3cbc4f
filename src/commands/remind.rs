//! `assure remind`: one GitHub issue per person who owes something, kept up to date.

use std::io::Write;

use super::{Context, evaluate_valid, output_error};
use crate::cli::Format;
use crate::cli::config::Remind;
use crate::error::{Exit, Result};
use crate::github::Api;
use crate::public::Withholding;
use crate::remind;
use crate::report::remind as render;

pub fn run(cx: &Context, request: &Remind, out: &mut dyn Write) -> Result<Exit> {
    let evaluated = match evaluate_valid(cx, &request.evaluation)? {
        Ok(evaluated) => evaluated,
        Err(invalid) => return Ok(invalid),
    };
    let withholding = Withholding::of(&evaluated.loaded);
    let marking = withholding.output_marking();
    let reminders = remind::plan(&evaluated, request.within);
    let plans: Vec<_> = reminders
        .iter()
        .map(|r| render::issue(r, request.link_base.as_deref(), &withholding))
        .collect();
    let Some(target) = &request.target else {
        match request.format {
            Format::Human => render::write_plan(out, &plans, true),
            Format::Markdown => render::write_plan_markdown(out, &plans, marking),
            Format::Json => render::write_plan_json(out, &reminders, &plans, marking, &withholding),
        }
        .map_err(output_error)?;
        return Ok(Exit::Ok);
    };
    let synced = Api::new(
        &target.api_url,
        &target.token,
        &target.repository,
        target.retry,
    )
    .and_then(|api| api.sync_issues(&plans, &request.label, &request.author, render::CLOSING))
    .map_err(render::failure)?;
    let _ = render::write_warnings(&mut std::io::stderr(), &synced);
    match request.format {
        Format::Json => render::write_outcomes_json(out, &synced, marking),
        _ => render::write_outcomes(out, &synced.0),
    }
    .map_err(output_error)?;
    Ok(Exit::Ok)
}
