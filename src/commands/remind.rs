//! `assure remind`: one GitHub issue per person who owes something, kept up to date.

use std::io::Write;

use super::{Context, output_error};
use crate::cli::Format;
use crate::cli::config::Remind;
use crate::environment::Environment;
use crate::error::{Exit, Result};
use crate::github::{Api, CommentError, Retry};
use crate::public::Withholding;
use crate::report::{human, remind as render};
use crate::{evaluate, remind};

pub fn run(cx: &Context, env: &Environment, request: &Remind, out: &mut dyn Write) -> Result<Exit> {
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
    let github = &env.github;
    // Links to the records on the branch the workflow runs on (so that an issue changes only
    // when what is owed does), else at its commit, else on the origin remote's branch.
    let at = github.ref_name.as_ref().or(github.sha.as_ref());
    let base = match (&github.server_url, &github.repository, at) {
        (Some(server), Some(repo), Some(at)) => Some(format!(
            "{server}/{repo}/blob/{}",
            crate::git::percent_encode(at, true)
        )),
        _ => evaluation
            .workspace
            .repo
            .as_ref()
            .and_then(crate::git::web_location)
            .map(|w| format!("{}/{}/blob/{}", w.server, w.repository, w.branch)),
    };
    let withholding = Withholding::of(&evaluated.loaded);
    let plans: Vec<_> = remind::plan(&evaluated, request.within)
        .iter()
        .map(|r| render::issue(r, base.as_deref(), &withholding))
        .collect();
    if request.dry_run {
        return match request.format {
            Format::Json => {
                let json: Vec<_> = plans
                    .iter()
                    .map(|p| serde_json::json!({"person": p.key, "title": p.title, "assignee": p.assignee, "body": p.body}))
                    .collect();
                serde_json::to_writer_pretty(
                    &mut *out,
                    &serde_json::json!({"dry_run": true, "issues": json}),
                )
                .map_err(|e| output_error(e.into()))?;
                writeln!(out).map_err(output_error)?;
                Ok(Exit::Ok)
            }
            Format::Markdown => {
                for p in &plans {
                    writeln!(out, "# {}\n\n{}", p.title, p.body).map_err(output_error)?;
                }
                Ok(Exit::Ok)
            }
            Format::Human => {
                render::write_plan(out, &plans, true).map_err(output_error)?;
                Ok(Exit::Ok)
            }
        };
    }
    let synced = match (&github.token, &github.repository) {
        (Some(token), Some(repository)) => Api::new(
            &github.api_url,
            token,
            repository,
            Retry::with_base_ms(env.retry_base_ms),
        )
        .and_then(|api| api.sync_issues(&plans, &request.label, &request.author, render::CLOSING)),
        (None, _) => Err(CommentError::NotConfigured(
            "GITHUB_TOKEN is not set, so no issue can be written".to_owned(),
        )),
        (_, None) => Err(CommentError::NotConfigured(
            "GITHUB_REPOSITORY (owner/name) is not set, so there is no repository to write issues in".to_owned(),
        )),
    };
    match synced {
        Ok((outcomes, warnings)) => {
            for w in warnings {
                eprintln!("warning: {w}");
            }
            if request.format == Format::Json {
                serde_json::to_writer_pretty(&mut *out, &serde_json::json!({"dry_run": false, "issues": outcomes.iter().map(|(k, o)| serde_json::json!({"person": k, "outcome": o})).collect::<Vec<_>>()}))
                    .map_err(|e| output_error(e.into()))?;
                writeln!(out).map_err(output_error)?;
            } else {
                render::write_outcomes(out, &outcomes).map_err(output_error)?;
            }
            Ok(Exit::Ok)
        }
        Err(CommentError::Refused { status, message }) => {
            eprintln!(
                "error: GitHub refused to let this workflow write issues ({status}: {message})\nhint: give the workflow `permissions: issues: write`; a pull request from a fork gets a read-only token"
            );
            Ok(Exit::Failed)
        }
        Err(CommentError::NotConfigured(what)) => Err(crate::error::Error::usage(
            what,
            "in a workflow, pass `env: GITHUB_TOKEN: ${{ github.token }}` to the step; elsewhere, use --dry-run to see the plan",
        )),
        Err(e) => {
            eprintln!(
                "error: {e}\nhint: run again later; nothing is posted twice, as each reminder is found again by its marker"
            );
            Ok(Exit::Failed)
        }
    }
}
