//! One module per command: each wires loading, evaluation and rendering together.

pub mod check;
pub mod init;
pub mod schema;

use std::io::Write;

use crate::cli::{CommandConfig, Config};
use crate::error::{Error, Exit, Result};

pub fn run(config: &Config, out: &mut dyn Write) -> Result<Exit> {
    match &config.command {
        CommandConfig::Init {
            name,
            organisation,
            today,
        } => init::run(
            config,
            name.as_deref(),
            organisation.as_deref(),
            *today,
            out,
        ),
        CommandConfig::Check {
            format,
            fail_on,
            as_of,
        } => check::run(config, *format, *fail_on, *as_of, out),
        CommandConfig::Schema { kind, out: dir } => schema::run(*kind, dir.as_deref(), out),
    }
}

/// Writing the report failed (for example a closed pipe).
pub(crate) fn output_error(e: std::io::Error) -> Error {
    Error::io("<stdout>", e)
}
