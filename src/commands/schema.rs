//! `assure schema`: print one schema, list them, or write them all to a folder (for
//! editors, ajv, check-jsonschema or a schema store).

use std::io::Write;
use std::path::Path;

use super::output_error;
use crate::error::{Exit, Result};
use crate::fsutil;
use crate::records::{Kind, schema};
use crate::report::messages;

pub fn run(kind: Option<Kind>, dir: Option<&Path>, out: &mut dyn Write) -> Result<Exit> {
    match (kind, dir) {
        (_, Some(dir)) => {
            // A folder of schemas asked for is made; the files in it are replaced.
            std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::io(dir, e))?;
            for kind in kind.map_or(Kind::ALL.to_vec(), |k| vec![k]) {
                let path = dir.join(schema::file_name(kind));
                fsutil::write_replace(&path, schema::text(kind).as_bytes())?;
                messages::wrote(out, &path).map_err(output_error)?;
            }
        }
        (Some(kind), None) => out
            .write_all(schema::text(kind).as_bytes())
            .map_err(output_error)?,
        (None, None) => messages::schema_list(out).map_err(output_error)?,
    }
    Ok(Exit::Ok)
}
