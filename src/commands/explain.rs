//! `assure explain [CODE]`: a code's page, or every code with its summary.

use std::io::Write;

use super::output_error;
use crate::error::{Exit, Result};
use crate::report::messages;

/// `assure explain [CODE]`: the code's page, or every code with its summary.
pub fn run(code: Option<&str>, out: &mut dyn Write) -> Result<Exit> {
    match code {
        None => messages::code_list(out),
        Some(code) => out.write_all(crate::explain::page_or_hint(code)?.as_bytes()),
    }
    .map_err(output_error)?;
    Ok(Exit::Ok)
}
