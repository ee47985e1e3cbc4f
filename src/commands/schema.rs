//! `assure schema`: print one schema, list them, or write them all to a folder (for
//! editors, ajv, check-jsonschema or a schema store).

use std::io::Write;
use std::path::Path;

use super::output_error;
use crate::error::{Exit, Result};
use crate::fsutil;
use crate::records::{Kind, schema};

pub fn run(kind: Option<Kind>, dir: Option<&Path>, out: &mut dyn Write) -> Result<Exit> {
    let kinds: Vec<Kind> = match kind {
        Some(k) => vec![k],
        None => Kind::ALL.to_vec(),
    };
    match dir {
        Some(dir) => {
            for kind in kinds {
                let path = dir.join(schema::file_name(kind));
                fsutil::write_replace(&path, schema::text(kind).as_bytes())?;
                writeln!(out, "wrote {}", path.display()).map_err(output_error)?;
            }
        }
        None => match kind {
            Some(kind) => out
                .write_all(schema::text(kind).as_bytes())
                .map_err(output_error)?,
            None => {
                for kind in kinds {
                    let id = schema::document(kind)["$id"].as_str().unwrap_or_default();
                    writeln!(out, "{:<11} {id}", kind.name()).map_err(output_error)?;
                }
                writeln!(out, "\nprint one with `assure schema KIND`, or write them all with `assure schema --out DIR`")
                    .map_err(output_error)?;
            }
        },
    }
    Ok(Exit::Ok)
}
