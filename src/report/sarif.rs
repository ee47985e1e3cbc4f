//! SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`): every record
//! error and rule finding as a result, with the rule catalogue as the tool's rules.

use serde_json::{Value, json};

use crate::code::{Code, ErrorCode, Raises, Rule};
use crate::evaluate::Evaluated;
use crate::finding::{Finding, Severity};
use crate::public::Withholding;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Amber => "warning",
        Severity::Red | Severity::Error => "error",
    }
}

fn result(f: &Finding, fallback_file: &str) -> Value {
    let file = f.location.file.as_deref().unwrap_or(fallback_file);
    let (line, column) = f.location.position.map_or((1, 1), |p| (p.line, p.column));
    let text = match &f.hint {
        Some(hint) => format!("{}. What to do: {hint}", f.message),
        None => f.message.clone(),
    };
    json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": file},
                "region": {"startLine": line, "startColumn": column}
            }
        }]
    })
}

/// A rule's help (its page's "what it checks" and "how to fix it") and a link to the page.
fn with_help(rule: &mut Value, code: Code) {
    if let Some(help) = crate::explain::help(code) {
        rule["help"] = json!({"text": help});
    }
    rule["helpUri"] = json!(crate::explain::url(code));
}

/// The SARIF log of an evaluation.
pub fn log(evaluated: &Evaluated) -> Value {
    let mut rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            let level = match r.raises() {
                Raises::Amber => "warning",
                Raises::Red | Raises::AmberOrRed => "error",
            };
            let mut rule = json!({
                "id": r.id(),
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": r.detail()},
                "defaultConfiguration": {"level": level},
                "properties": {"area": r.area().as_str()}
            });
            with_help(&mut rule, Code::Rule(*r));
            rule
        })
        .collect();
    rules.extend(ErrorCode::ALL.iter().map(|c| {
        let mut rule = json!({
            "id": c.id(),
            "shortDescription": {"text": format!("record error: {}", c.summary())},
            "defaultConfiguration": {"level": "error"}
        });
        with_help(&mut rule, Code::Error(*c));
        rule
    }));
    // A finding about the repository as a whole is placed on the project record.
    let fallback = crate::source::joined(&evaluated.dir, "project.yaml");
    // SARIF leaves the team (code scanning): the text of marked records is withheld.
    let withholding = Withholding::of(&evaluated.loaded);
    let (problems, _) = withholding.findings(&evaluated.loaded.problems);
    let (findings, _) = withholding.findings(
        evaluated
            .status
            .as_ref()
            .map_or(&[][..], |s| s.findings.as_slice()),
    );
    let results: Vec<Value> = problems
        .iter()
        .chain(&findings)
        .map(|f| result(f, &fallback))
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "assure",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results,
            "properties": {"marking": withholding.output_marking()}
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;

    /// The tool's rules are exactly the declared codes, in order: every result's `ruleId`
    /// is described.
    #[test]
    fn the_rule_list_is_every_declared_code() {
        let evaluated = crate::evaluate::Evaluated {
            dir: "assurance".into(),
            loaded: Default::default(),
            status: None,
            as_of: "2026-01-01".parse().unwrap(),
            revision: None,
            project: None,
            repo_root: None,
            witness: Default::default(),
            busy: Vec::new(),
        };
        let log = log(&evaluated);
        let ids: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        let declared: Vec<&str> = Code::all().map(Code::as_str).collect();
        assert_eq!(ids, declared);
    }
}
