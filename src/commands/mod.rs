//! One module per command, each wiring the resolved configuration to the library and the
//! library's answer to a renderer. Nothing here decides anything.

pub mod board;
pub mod check;
pub mod ci;
pub mod diff;
pub mod explain;
pub mod export;
mod import;
pub mod init;
pub mod log;
mod publish;
mod remind;
pub mod schema;
pub mod sign;
mod valid;
pub mod verify;

use std::io::Write;

use crate::cli::Cli;
use crate::cli::config::{Command, Config};
use crate::environment::Environment;
use crate::error::{Error, Exit, Result};
use crate::report::human::Style;
pub(crate) use valid::{evaluate_valid, valid_or_report};

/// Resolve the command line in `env`, then run it. `assure ci` reports even a command line
/// it cannot resolve to GitHub, as it reports every other failure.
pub fn main(cli: Cli, env: Environment, out: &mut dyn Write) -> Result<Exit> {
    let is_ci = cli.command.is_ci();
    let github = env.github.clone();
    cli.resolve(env)
        .inspect_err(|error| {
            if is_ci {
                ci::report_error(&github, error, out);
            }
        })
        .and_then(|config| run(config, out))
}

/// Run a resolved command.
pub fn run(config: Config, out: &mut dyn Write) -> Result<Exit> {
    let cx = Context {
        style: Style {
            color: config.color,
        },
        progress: config.env.stderr_is_terminal,
    };
    match config.command {
        Command::Init {
            workspace,
            name,
            organisation,
            today,
        } => init::run(
            &workspace,
            name.as_deref(),
            organisation.as_deref(),
            today,
            out,
        ),
        Command::Report {
            which,
            evaluation,
            format,
            fail_on,
            baseline,
        } => check::run(
            &cx,
            &config.env,
            &evaluation,
            check::Judged {
                which,
                format,
                fail_on,
                baseline: baseline.as_ref(),
            },
            out,
        ),
        Command::Sign {
            workspace,
            request,
            web,
        } => sign::run(&workspace, &request, web, out),
        Command::Verify { evaluation, format } => verify::run(&cx, &evaluation, format, out),
        Command::Schema { kind, out: dir } => schema::run(kind, dir.as_deref(), out),
        Command::Diff {
            workspace,
            base,
            head,
            format,
        } => diff::run(&cx, &workspace, &base, head.as_ref(), format, out),
        Command::Log {
            workspace,
            head,
            filter,
            format,
        } => log::run(&cx, &workspace, head, &filter, format, out),
        Command::Board(board) => board::run(&cx, &board, out),
        Command::Ci(ci) => ci::run(&cx, &config.env, &ci, out),
        Command::Export(export) => export::run(&cx, &export, out),
        Command::Remind(remind) => remind::run(&cx, &remind, out),
        Command::Import(request) => import::run(&request, out),
        Command::Explain { code } => explain::run(code.as_deref(), out),
        Command::Completions { shell } => done(crate::cli::completions(shell, out)),
        Command::Man { out: None } => done(crate::cli::man(out)),
        Command::Man { out: Some(dir) } => {
            for (name, text) in crate::cli::man_pages().map_err(output_error)? {
                let path = dir.join(name);
                crate::fsutil::write_replace(&path, &text)?;
                crate::report::messages::wrote(out, &path).map_err(output_error)?;
            }
            Ok(Exit::Ok)
        }
    }
}

/// What every command's output needs to know.
pub struct Context {
    pub style: Style,
    /// Whether to show progress on standard error.
    pub progress: bool,
}

/// Fine once `written` is.
fn done(written: std::io::Result<()>) -> Result<Exit> {
    written.map_err(output_error)?;
    Ok(Exit::Ok)
}

/// Writing the report failed (for example a closed pipe).
pub(crate) fn output_error(e: std::io::Error) -> Error {
    Error::io("<stdout>", e)
}
