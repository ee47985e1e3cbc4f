//! GitHub Actions workflow commands: one annotation per finding (`::error file=…,line=…,
//! col=…,title=RULE::message`), warnings for amber, so findings appear on the changed files.

use crate::error::Unusable;
use std::io::{self, Write};
use std::path::Path;

use crate::evaluate::Evaluated;
use crate::finding::{Finding, Severity};
use crate::public::Withholding;
use crate::report::human::{self, Style};

/// GitHub shows only the first few annotations of a step; more just make the log longer.
/// The rest are in the job summary.
pub const MAX_PER_LEVEL: usize = 50;

/// Escape a workflow command's message.
pub fn escape_data(text: &str) -> String {
    // Line breaks are the command's own escapes; any other control character (ESC, BEL, a
    // C1 code) is shown as a symbol, as on a terminal.
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    crate::text::inert(&escaped).into_owned()
}

/// Escape a workflow command's property value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A workflow-command warning, not tied to a file.
pub fn warning(message: &str) -> String {
    format!("::warning title=assure::{}", escape_data(message))
}

/// A workflow-command error, not tied to a file.
pub fn error(message: &str) -> String {
    format!("::error title=assure::{}", escape_data(message))
}

/// The step's outputs for `$GITHUB_OUTPUT`: `status` (red when the records are not valid)
/// and, when one was written, the JSON `report`. `token` makes the multi-line delimiter
/// (one per run, unguessable); a value that holds it is refused.
pub fn step_outputs(
    evaluated: &Evaluated,
    report: Option<&Path>,
    token: &str,
) -> Result<String, Unusable> {
    let mut lines = output_line("status", evaluated.overall().as_str(), token)?;
    if let Some(report) = report {
        lines.push_str(&output_line(
            "report",
            &report.display().to_string(),
            token,
        )?);
    }
    Ok(lines)
}

/// One `name=value` line for `$GITHUB_OUTPUT`, in the multi-line form when it must be, with a
/// delimiter made from `token`. A value holding the delimiter could end it early and set
/// other outputs: it is refused, with the output's name.
pub fn output_line(name: &str, value: &str, token: &str) -> Result<String, Unusable> {
    if !value.contains('\n') && !value.contains('\r') {
        return Ok(format!("{name}={value}\n"));
    }
    let delimiter = format!("ASSURE_EOF_{token}");
    if value.contains(&delimiter) {
        return Err(Unusable::new(format!(
            "the `{name}` output holds the delimiter that would end it; it was not written"
        )));
    }
    Ok(format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"))
}

/// The line that stops the runner reading workflow commands until `resume_commands(token)`:
/// what is printed between them (the report, with whatever the records say) is inert.
pub fn stop_commands(token: &str) -> String {
    format!("::stop-commands::{token}")
}

/// The line that lets the runner read workflow commands again.
pub fn resume_commands(token: &str) -> String {
    format!("::{token}::")
}

/// One annotation; `prefix` goes before the file's path (see `workspace::workspace_prefix`).
pub fn annotation(f: &Finding, prefix: &str) -> String {
    let level = match f.severity {
        Severity::Amber => "warning",
        Severity::Red | Severity::Error => "error",
    };
    let mut properties = Vec::new();
    if let Some(file) = &f.location.file {
        properties.push(format!(
            "file={}",
            escape_property(&format!("{prefix}{file}"))
        ));
        if let Some(p) = f.location.position {
            properties.push(format!("line={}", p.line));
            properties.push(format!("col={}", p.column));
        }
    }
    properties.push(format!("title={}", escape_property(f.code.as_str())));
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
pub fn annotations(findings: &[Finding], prefix: &str) -> String {
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
        out.push_str(&annotation(f, prefix));
        out.push('\n');
    }
    if left > 0 {
        out.push_str(&format!(
            "::notice title=assure::another {} not annotated; the job summary lists them all\n",
            human::plural(left, "finding", "findings")
        ));
    }
    out
}

/// `--format github`: the annotations, then the one-line summary a log reader needs.
/// `prefix` goes before each file's path (see `workspace::workspace_prefix`).
pub fn write(out: &mut dyn Write, evaluated: &Evaluated, prefix: &str) -> io::Result<()> {
    let style = Style { color: false };
    // Annotations leave the team: they withhold the text of marked records.
    let withholding = Withholding::of(&evaluated.loaded);
    let (findings, _) = withholding.findings(evaluated.findings());
    out.write_all(annotations(&findings, prefix).as_bytes())?;
    match &evaluated.status {
        None => human::write_invalid_summary(out, evaluated, style),
        Some(status) => human::write_summary(out, status, style),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{ErrorCode, Location, Position};

    #[test]
    fn outputs_use_the_multiline_form_only_when_needed() {
        assert_eq!(output_line("status", "red", "t0k").unwrap(), "status=red\n");
        assert_eq!(
            output_line("report", "a\nb", "t0k").unwrap(),
            "report<<ASSURE_EOF_t0k\na\nb\nASSURE_EOF_t0k\n"
        );
        // A value that would end the block early and set another output is refused.
        assert!(
            output_line("report", "a\nASSURE_EOF_t0k\nstatus=green", "t0k")
                .unwrap_err()
                .why
                .contains("`report` output holds the delimiter")
        );
    }

    #[test]
    fn each_run_has_its_own_token() {
        let (a, b) = (crate::text::random_token(), crate::text::random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn annotations_escape_and_locate() {
        let f = Finding::error(
            ErrorCode::UnknownField,
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
            annotation(&f, ""),
            "::error file=assurance/risks/R-1%2Ca%3Ab.yaml,line=3,col=7,title=unknown-field::50%25 done%0Anext line%0AWhat to do: fix it"
        );
        let mut amber = f.clone();
        amber.severity = Severity::Amber;
        amber.location = Location::default();
        amber.hint = None;
        assert_eq!(
            annotation(&amber, ""),
            "::warning title=unknown-field::50%25 done%0Anext line"
        );
    }

    #[test]
    fn annotations_are_capped_per_level() {
        let f = Finding::error(ErrorCode::Schema, Location::default(), "m");
        let many = vec![f; MAX_PER_LEVEL + 3];
        let text = annotations(&many, "");
        assert_eq!(
            text.lines().filter(|l| l.starts_with("::error")).count(),
            MAX_PER_LEVEL
        );
        assert!(text.ends_with(
            "::notice title=assure::another 3 findings not annotated; the job summary lists them all\n"
        ));
        let one =
            vec![Finding::error(ErrorCode::Schema, Location::default(), "m"); MAX_PER_LEVEL + 1];
        assert!(
            annotations(&one, "")
                .ends_with("::another 1 finding not annotated; the job summary lists them all\n")
        );
    }

    #[test]
    fn annotation_paths_start_with_the_prefix() {
        let mut f = Finding::error(
            ErrorCode::Schema,
            Location::at(
                "assurance/risks/R-001.yaml",
                Position {
                    line: 2,
                    column: 1,
                    width: 1,
                },
            ),
            "m",
        );
        f.hint = None;
        assert_eq!(
            annotation(&f, "service/api/"),
            "::error file=service/api/assurance/risks/R-001.yaml,line=2,col=1,title=schema::m"
        );
    }
}
