//! `assure init`: scaffold a commented, valid starting set of records. Never overwrites.

use std::io::Write;

use super::output_error;
use crate::cli::Config;
use crate::dates::{Date, Duration};
use crate::error::{Exit, Result};
use crate::fsutil;
use crate::records::{Kind, schema};
use crate::workspace;

const TEMPLATES: [(&str, &str); 4] = [
    ("project.yaml", include_str!("init/project.yaml")),
    ("people.yaml", include_str!("init/people.yaml")),
    ("appetite.yaml", include_str!("init/appetite.yaml")),
    ("risks/R-001.yaml", include_str!("init/risks/R-001.yaml")),
];

/// Empty folders for the other kinds, so the layout is visible from the start.
const FOLDERS: [&str; 4] = ["assessments", "signoffs", "events", "boards"];

fn yaml_text(value: &str) -> String {
    // Quote anything YAML might read as something other than plain text.
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".to_owned())
}

pub fn run(
    config: &Config,
    name: Option<&str>,
    organisation: Option<&str>,
    today: Date,
    out: &mut dyn Write,
) -> Result<Exit> {
    let workspace = workspace::locate(config.dir.as_deref(), false)?;
    let dir = &workspace.records.dir;
    let display = &workspace.records.display;
    let name = yaml_text(name.unwrap_or("Replace with the service name"));
    let organisation = yaml_text(organisation.unwrap_or("Replace with your organisation"));
    let due = Duration::months(1).after(today).to_string();

    let mut created = 0;
    let mut files: Vec<(String, Vec<u8>)> = TEMPLATES
        .iter()
        .map(|(path, template)| {
            let text = template
                .replace("{{NAME}}", &name)
                .replace("{{ORG}}", &organisation)
                .replace("{{TODAY}}", &today.to_string())
                .replace("{{DUE}}", &due);
            ((*path).to_owned(), text.into_bytes())
        })
        .collect();
    files.extend(Kind::ALL.iter().map(|k| {
        (
            format!(".schemas/{}", schema::file_name(*k)),
            schema::text(*k).as_bytes().to_vec(),
        )
    }));
    files.extend(
        FOLDERS
            .iter()
            .map(|f| (format!("{f}/.gitkeep"), Vec::new())),
    );

    for (relative, bytes) in &files {
        let target = dir.join(relative);
        let shown = format!("{display}/{relative}");
        if fsutil::write_new(&target, bytes)? {
            created += 1;
            if !relative.contains("/.") && !relative.starts_with('.') {
                writeln!(out, "created {shown}").map_err(output_error)?;
            }
        } else if !relative.contains('.') || !relative.contains("/.") && !relative.starts_with('.')
        {
            writeln!(out, "kept    {shown} (it already exists)").map_err(output_error)?;
        }
    }
    if created == 0 {
        writeln!(
            out,
            "\nnothing to do: {display}/ already has every starting file"
        )
        .map_err(output_error)?;
    } else {
        writeln!(
            out,
            "\nnext: replace the placeholders (names, e-mails, the appetite statement), then run `assure check`.\n\
             editors with the YAML language server get help and completion from {display}/.schemas/."
        )
        .map_err(output_error)?;
    }
    Ok(Exit::Ok)
}
