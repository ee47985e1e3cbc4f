//! The starting set of records `assure init` writes: commented, valid, and never written
//! over a file that exists.

use std::path::Path;

use crate::dates::{Date, Duration};
use crate::error::Result;
use crate::fsutil;
use crate::records::{Kind, schema};

const TEMPLATES: [(&str, &str); 4] = [
    ("project.yaml", include_str!("templates/init/project.yaml")),
    ("people.yaml", include_str!("templates/init/people.yaml")),
    (
        "appetite.yaml",
        include_str!("templates/init/appetite.yaml"),
    ),
    (
        "risks/R-001.yaml",
        include_str!("templates/init/risks/R-001.yaml"),
    ),
];

/// Empty folders for the other kinds, so the layout is visible from the start.
const FOLDERS: [&str; 4] = ["assessments", "signoffs", "events", "boards"];

/// What became of one starting file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Relative to the records folder.
    pub relative: String,
    pub created: bool,
}

impl Outcome {
    /// Whether a person would want to hear of it: not the editor schemas nor the files
    /// that keep empty folders.
    pub fn is_shown(&self) -> bool {
        !self.relative.starts_with('.') && !self.relative.contains("/.")
    }
}

/// Whether `text` is (or holds) placeholder text the starting files carry: "Replace with …",
/// "Replace this sentence", an address at `replace-me.invalid` (a name that can never be real).
pub fn is_placeholder(text: &str) -> bool {
    // Case aside, without allocating: every text field of every record is asked, so only
    // where "replace" starts is anything compared.
    let bytes = text.as_bytes();
    let mut starts = memchr::memchr2_iter(b'r', b'R', bytes).map(|i| &bytes[i..]);
    let tail = "@replace-me.invalid";
    starts.any(|from| {
        ["replace with", "replace this sentence"]
            .iter()
            .any(|needle| {
                from.get(..needle.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
            })
    }) || text
        .len()
        .checked_sub(tail.len())
        .and_then(|at| text.get(at..))
        .is_some_and(|end| end.eq_ignore_ascii_case(tail))
}

fn yaml_text(value: &str) -> String {
    // Quote anything YAML might read as something other than plain text.
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The starting files, relative to the records folder, with their contents.
pub fn files(
    name: Option<&str>,
    organisation: Option<&str>,
    today: Date,
) -> Vec<(String, Vec<u8>)> {
    let name = yaml_text(name.unwrap_or("Replace with the service name"));
    let organisation = yaml_text(organisation.unwrap_or("Replace with your organisation"));
    let due = Duration::months(1).after(today).to_string();
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
    files
}

/// Write `files` into `dir`, keeping every file that exists.
pub fn write(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<Vec<Outcome>> {
    files
        .into_iter()
        .map(|(relative, bytes)| {
            let created = fsutil::write_new(&dir.join(&relative), &bytes)?;
            Ok(Outcome { relative, created })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholders_are_found_in_any_case_anywhere_in_the_text() {
        for text in [
            "Replace with the service name",
            "The name (REPLACE WITH the service name)",
            "rreplace this sentence",
            "é replace with é",
            "someone@Replace-Me.invalid",
            "rEpLaCe ThIs SeNtEnCe",
            "ends: replace with",
        ] {
            assert!(is_placeholder(text), "{text}");
        }
        for text in [
            "",
            "r",
            "Replace",
            "replace wit",
            "We replaced the firewall with a new one",
            "replace-me.invalid.example",
            "replace\0with",
            "replace\twith",
            "é",
        ] {
            assert!(!is_placeholder(text), "{text}");
        }
    }
}
