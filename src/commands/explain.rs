//! `assure explain [CODE]`: a code's page, or every code with its summary.

use std::io::Write;

use super::output_error;
use crate::error::{Error, Exit, Result};

/// `assure explain [CODE]`: the code's page, or every code with its summary.
pub fn run(code: Option<&str>, out: &mut dyn Write) -> Result<Exit> {
    let Some(code) = code else {
        for c in crate::code::Code::all() {
            let summary = match c {
                crate::code::Code::Rule(r) => r.summary(),
                crate::code::Code::Error(e) => e.summary(),
            };
            writeln!(out, "{:<22} {summary}", c.as_str()).map_err(output_error)?;
        }
        writeln!(out, "\nassure explain CODE shows one in full.").map_err(output_error)?;
        return Ok(Exit::Ok);
    };
    match crate::explain::page(code) {
        Some((_, text)) => {
            out.write_all(text.as_bytes()).map_err(output_error)?;
            Ok(Exit::Ok)
        }
        None => {
            let codes = crate::explain::PAGES.iter().map(|(c, _)| *c);
            let hint = match crate::suggest::did_you_mean(code, codes) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "assure explain (without a code) lists every code".to_owned(),
            };
            Err(Error::usage(format!("there is no code {code}"), hint))
        }
    }
}
