//! GitHub Actions workflow commands: one annotation per finding (`::error file=…,line=…,
//! col=…,title=RULE::message`), warnings for amber, so findings appear on the changed files.

use std::io::{self, Write};

use crate::commands::Evaluated;
use crate::finding::{Finding, Severity};
use crate::report::human::{self, Style};

/// GitHub shows only the first few annotations of a step; more just make the log longer.
/// The rest are in the job summary.
pub const MAX_PER_LEVEL: usize = 50;

/// Escape a workflow command's message.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One annotation.
pub fn annotation(f: &Finding) -> String {
    let level = match f.severity {
        Severity::Amber => "warning",
        Severity::Red | Severity::Error => "error",
    };
    let mut properties = Vec::new();
    if let Some(file) = &f.location.file {
        properties.push(format!("file={}", escape_property(file)));
        if let Some(p) = f.location.position {
            properties.push(format!("line={}", p.line));
            properties.push(format!("col={}", p.column));
        }
    }
    properties.push(format!("title={}", escape_property(f.code)));
    let message = match &f.hint {
        Some(hint) => format!("{}\nWhat to do: {hint}", f.message),
        None => f.message.clone(),
    };
    format!(
        "::{level} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// Annotations for `findings`, at most `MAX_PER_LEVEL` errors and as many warnings, then a
/// notice of how many were left out.
pub fn annotations(findings: &[Finding]) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut left) = (0, 0, 0);
    for f in findings {
        let count = if f.severity == Severity::Amber {
            &mut warnings
        } else {
            &mut errors
        };
        if *count >= MAX_PER_LEVEL {
            left += 1;
            continue;
        }
        *count += 1;
        out.push_str(&annotation(f));
        out.push('\n');
    }
    if left > 0 {
        out.push_str(&format!(
            "::notice title=assure::{left} more findings are not annotated; the job summary lists them all\n"
        ));
    }
    out
}

/// `--format github`: the annotations, then the one-line summary a log reader needs.
pub fn write(out: &mut dyn Write, evaluated: &Evaluated) -> io::Result<()> {
    let style = Style { color: false };
    match &evaluated.status {
        None => {
            out.write_all(annotations(&evaluated.loaded.problems).as_bytes())?;
            human::write_invalid_summary(out, evaluated, style)
        }
        Some(status) => {
            out.write_all(annotations(&status.findings).as_bytes())?;
            human::write_summary(out, status, style)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, Position};

    #[test]
    fn annotations_escape_and_locate() {
        let f = Finding::error(
            "unknown-field",
            Location::at(
                "assurance/risks/R-1,a:b.yaml",
                Position {
                    line: 3,
                    column: 7,
                    width: 1,
                },
            ),
            "50% done\nnext line",
        )
        .with_hint("fix it");
        assert_eq!(
            annotation(&f),
            "::error file=assurance/risks/R-1%2Ca%3Ab.yaml,line=3,col=7,title=unknown-field::50%25 done%0Anext line%0AWhat to do: fix it"
        );
        let mut amber = f.clone();
        amber.severity = Severity::Amber;
        amber.location = Location::default();
        amber.hint = None;
        assert_eq!(
            annotation(&amber),
            "::warning title=unknown-field::50%25 done%0Anext line"
        );
    }

    #[test]
    fn annotations_are_capped_per_level() {
        let f = Finding::error("x", Location::default(), "m");
        let many = vec![f; MAX_PER_LEVEL + 3];
        let text = annotations(&many);
        assert_eq!(
            text.lines().filter(|l| l.starts_with("::error")).count(),
            MAX_PER_LEVEL
        );
        assert!(text.ends_with("::notice title=assure::3 more findings are not annotated; the job summary lists them all\n"));
    }
}
