//! The JSON Schemas of `schemas/`, compiled into the binary, and the translation of their
//! errors into findings that say where, what and what to do.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, Validator};
use serde_json::Value;
use std::sync::OnceLock;

use crate::finding::{ErrorCode, Finding, Location};
use crate::records::Kind;
use crate::records::yaml::{Locator, escape};
use crate::suggest::did_you_mean;

/// Fields renamed or replaced before the first release, with what to write now: a record
/// written to the earlier contract is told how to move.
const RENAMED: &[(&str, &str, &str)] = &[
    (
        "risk_level",
        "criticality",
        "`risk_level` is now `criticality` (high, medium or low), so that it is not confused with the DCPP Cyber Risk Profile",
    ),
    (
        "escalate",
        "escalation",
        "`escalate: true` is replaced by the record of the escalation: `escalation: {to, date, reference}`",
    ),
];
/// The schema files, embedded at build time so the binary needs nothing beside it.
pub const EMBEDDED: [(Kind, &str); 8] = [
    (
        Kind::Project,
        include_str!("../../schemas/project.schema.json"),
    ),
    (
        Kind::People,
        include_str!("../../schemas/people.schema.json"),
    ),
    (
        Kind::Appetite,
        include_str!("../../schemas/appetite.schema.json"),
    ),
    (Kind::Risk, include_str!("../../schemas/risk.schema.json")),
    (
        Kind::Assessment,
        include_str!("../../schemas/assessment.schema.json"),
    ),
    (
        Kind::Signoff,
        include_str!("../../schemas/signoff.schema.json"),
    ),
    (Kind::Event, include_str!("../../schemas/event.schema.json")),
    (Kind::Board, include_str!("../../schemas/board.schema.json")),
];

/// The file name a kind's schema is written under.
pub fn file_name(kind: Kind) -> String {
    format!("{}.schema.json", kind.name())
}

pub fn text(kind: Kind) -> &'static str {
    EMBEDDED[kind as usize].1
}

struct Compiled {
    documents: Vec<Value>,
    validators: Vec<Validator>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let documents: Vec<Value> = EMBEDDED
            .iter()
            .map(|(_, text)| {
                serde_json::from_str(text).expect("embedded schemas are valid JSON (tested)")
            })
            .collect();
        let validators = documents
            .iter()
            .map(|doc| {
                jsonschema::draft202012::options()
                    // Our schemas are self-contained: a `$ref` never reaches the network or disk.
                    .offline()
                    // In 2020-12 `format` is only an annotation unless asked; we want real dates.
                    .should_validate_formats(true)
                    // Linear-time regular expressions.
                    .with_pattern_options(jsonschema::PatternOptions::regex())
                    .build(doc)
                    .expect("embedded schemas compile (tested)")
            })
            .collect();
        Compiled {
            documents,
            validators,
        }
    })
}

/// The parsed schema document of a kind.
pub fn document(kind: Kind) -> &'static Value {
    &compiled().documents[kind as usize]
}

/// Everything one file's validation needs to phrase its errors.
pub struct Context<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub yaml: &'a Locator,
    pub kind: Kind,
    pub id: Option<&'a str>,
}

/// Whether a record's JSON passes its kind's schema (the fast path: no error details).
pub fn is_valid(kind: Kind, value: &Value) -> bool {
    compiled().validators[kind as usize].is_valid(value)
}

/// Validate a record's JSON against its kind's schema; every error becomes a finding.
pub fn validate(cx: &Context<'_>, value: &Value) -> Vec<Finding> {
    let validator = &compiled().validators[cx.kind as usize];
    let mut errors: Vec<(String, ValidationErrorKind, Value)> = validator
        .iter_errors(value)
        .map(|e| {
            let path = e.instance_path().as_str().to_owned();
            let instance = e.instance().clone().into_owned();
            let kind = e.into_parts().kind;
            (path, kind, instance)
        })
        .collect();
    // One message per value: a wrong date fails both `pattern` and `format`; a wrong type
    // fails everything else. Keep the most telling error for each place.
    errors.sort_by_key(|(path, kind, _)| (path.clone(), priority(kind)));
    // One mistake, one error: a required field missing where an unknown field is a likely
    // spelling of it is reported once, as the unknown field and its did-you-mean.
    let misspelt = misspelt_required(&errors);
    errors.retain(|(path, kind, _)| match kind {
        ValidationErrorKind::Required { property } => !misspelt.contains(&(
            path.clone(),
            property.as_str().unwrap_or_default().to_owned(),
        )),
        _ => true,
    });
    let mut findings = Vec::new();
    let mut last_value_error: Option<String> = None;
    for (path, kind, instance) in errors {
        let is_value_error = !matches!(
            kind,
            ValidationErrorKind::Required { .. } | ValidationErrorKind::AdditionalProperties { .. }
        );
        if is_value_error {
            if last_value_error.as_deref() == Some(path.as_str()) {
                continue;
            }
            last_value_error = Some(path.clone());
        }
        findings.extend(translate(cx, &path, &kind, &instance));
    }
    findings
}

/// The required fields (object path, name) that an unknown field beside them is a likely
/// spelling of.
fn misspelt_required(
    errors: &[(String, ValidationErrorKind, Value)],
) -> std::collections::HashSet<(String, String)> {
    let mut out = std::collections::HashSet::new();
    for (path, kind, _) in errors {
        let ValidationErrorKind::AdditionalProperties { unexpected } = kind else {
            continue;
        };
        let missing: Vec<&str> = errors
            .iter()
            .filter(|(p, _, _)| p == path)
            .filter_map(|(_, k, _)| match k {
                ValidationErrorKind::Required { property } => property.as_str(),
                _ => None,
            })
            .collect();
        for name in unexpected {
            if let Some(best) = did_you_mean(name, missing.iter().copied()) {
                out.insert((path.clone(), best.to_owned()));
            }
        }
    }
    out
}

fn priority(kind: &ValidationErrorKind) -> u8 {
    match kind {
        ValidationErrorKind::Required { .. } | ValidationErrorKind::AdditionalProperties { .. } => {
            0
        }
        ValidationErrorKind::Type { .. } => 1,
        ValidationErrorKind::Format { .. } => 2,
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. } => 3,
        ValidationErrorKind::Pattern { .. } => 4,
        _ => 5,
    }
}

/// `residual.likelihood`, `actions[2].owner`: how a user names a field.
pub fn field_name(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.parse::<usize>().is_ok() && !out.is_empty() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    if out.is_empty() {
        "the record".to_owned()
    } else {
        format!("`{out}`")
    }
}

/// The schema node describing the value at `pointer`, following `$ref`, `items`,
/// `properties`, `additionalProperties` and an `if/then/else` split on type.
pub fn schema_at<'s>(root: &'s Value, pointer: &str) -> Option<&'s Value> {
    let mut node = resolve(root, root);
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        let next = node
            .get("properties")
            .and_then(|p| p.get(&segment))
            .or_else(|| segment.parse::<usize>().ok().and(node.get("items")))
            .or_else(|| node.get("additionalProperties").filter(|a| a.is_object()))?;
        node = resolve(root, next);
    }
    Some(node)
}

fn resolve<'s>(root: &'s Value, mut node: &'s Value) -> &'s Value {
    for _ in 0..8 {
        if let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#"))
            .and_then(|p| root.pointer(p))
        {
            node = target;
        } else if node.get("properties").is_none()
            && node
                .get("else")
                .is_some_and(|e| e.get("properties").is_some())
        {
            // `roles` items: a plain role name, else a dated role object.
            node = &node["else"];
        } else {
            break;
        }
    }
    node
}

/// The name of the shared definition (`$defs/date`, `$defs/duration`) the value at `pointer`
/// must match, if it refers to one.
fn shared_definition<'s>(root: &'s Value, pointer: &str) -> Option<&'s str> {
    let node = schema_at(root, pointer)?;
    root.get("$defs")?
        .as_object()?
        .iter()
        .find(|(_, def)| std::ptr::eq(*def, node))
        .map(|(name, _)| name.as_str())
}

/// The help text for the field at `pointer`: the property's own description where it has
/// one (it is more specific than that of a shared definition it refers to).
fn description(root: &Value, pointer: &str) -> Option<String> {
    let own = pointer.rsplit_once('/').and_then(|(parent, name)| {
        let name = name.replace("~1", "/").replace("~0", "~");
        schema_at(root, parent)?
            .get("properties")?
            .get(&name)?
            .get("description")
    });
    own.or_else(|| schema_at(root, pointer)?.get("description"))
        .and_then(Value::as_str)
        .map(|d| help_text(d).to_owned())
}

/// A description as help for fixing a value: without what it says of sign-offs, which is
/// documentation, not a hint.
fn help_text(description: &str) -> &str {
    [" Not signed:", " Signed:"]
        .iter()
        .filter_map(|note| description.find(note))
        .min()
        .map_or(description, |end| &description[..end])
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Array => "a list",
        JsonType::Boolean => "true or false",
        JsonType::Integer => "a whole number",
        JsonType::Null => "empty",
        JsonType::Number => "a number",
        JsonType::Object => "a mapping of fields",
        JsonType::String => "text",
    }
}

fn found(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (an empty value)",
        Value::Bool(_) => "true or false",
        Value::Number(n) if n.is_i64() || n.is_u64() => "a whole number",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping of fields",
    }
}

fn one_line(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short.replace('\n', " ")
}

fn translate(
    cx: &Context<'_>,
    path: &str,
    kind: &ValidationErrorKind,
    instance: &Value,
) -> Vec<Finding> {
    let root = document(cx.kind);
    let field = field_name(path);
    let at_value = || Location::located(cx.file, path, cx.yaml.locate(path));
    let finding = |code: ErrorCode, location: Location, message: String| {
        Finding::error(code, location, message).with_record(cx.kind.name(), cx.id)
    };
    let described = |f: Finding, pointer: &str| match description(root, pointer) {
        Some(d) => f.with_hint(d),
        None => f,
    };

    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed: Vec<&str> = schema_at(root, path)
                .and_then(|s| s.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            unexpected
                .iter()
                .map(|name| {
                    let pointer = format!("{path}/{}", escape(name));
                    let location =
                        Location::located(cx.file, &pointer, cx.yaml.locate_key(&pointer));
                    let renamed = RENAMED
                        .iter()
                        .find(|(old, new, _)| old == name && allowed.contains(new));
                    let hint = match (renamed, did_you_mean(name, allowed.iter().copied())) {
                        (Some((_, _, how)), _) => (*how).to_owned(),
                        (None, Some(best)) => format!("did you mean `{best}`?"),
                        (None, None) => {
                            format!("the fields allowed here are: {}", allowed.join(", "))
                        }
                    };
                    let place = if path.is_empty() {
                        String::new()
                    } else {
                        format!(" in {field}")
                    };
                    finding(
                        ErrorCode::UnknownField,
                        location,
                        format!("unknown field `{name}`{place}"),
                    )
                    .with_hint(hint)
                })
                .collect()
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let pointer = format!("{path}/{}", escape(name));
            let place = if path.is_empty() {
                String::new()
            } else {
                format!(" in {field}")
            };
            // The pointer names the missing field; the position is where it belongs.
            let f = finding(
                ErrorCode::MissingField,
                Location::located(cx.file, &pointer, cx.yaml.locate(path)),
                format!("missing required field `{name}`{place}"),
            );
            let hint = match description(root, &pointer) {
                Some(d) => format!("add `{name}:`. {d}"),
                None => format!("add `{name}:`"),
            };
            vec![f.with_hint(hint)]
        }
        ValidationErrorKind::Type { kind: expected } => {
            let expected_types: Vec<JsonType> = match expected {
                TypeKind::Single(t) => vec![*t],
                TypeKind::Multiple(set) => set.iter().collect(),
            };
            let expected_text = expected_types
                .iter()
                .map(|t| type_name(*t))
                .collect::<Vec<_>>()
                .join(" or ");
            let raw = cx.yaml.scalar_text(cx.text, path).unwrap_or_default();
            let hint = if instance.is_null() {
                format!("give {field} a value, or remove the line if the field is optional")
            } else if expected_types.contains(&JsonType::String)
                && (instance.is_number() || instance.is_boolean())
            {
                format!("quote it so it stays exactly as written: \"{raw}\"")
            } else if expected_types.contains(&JsonType::Integer)
                && instance
                    .as_str()
                    .is_some_and(|s| s.trim().parse::<i64>().is_ok())
            {
                format!(
                    "remove the quotes: {}",
                    instance.as_str().unwrap_or_default().trim()
                )
            } else if expected_types.contains(&JsonType::Array) {
                "write a list: one item per line, each starting `- `, or [a, b] on one line"
                    .to_owned()
            } else if expected_types.contains(&JsonType::Object) {
                let fields: Vec<&str> = schema_at(root, path)
                    .and_then(|s| s.get("required"))
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                if fields.is_empty() {
                    "write a mapping of fields, one `name: value` per line, indented under it"
                        .to_owned()
                } else {
                    format!("write a mapping with the fields {}", fields.join(", "))
                }
            } else {
                description(root, path).unwrap_or_default()
            };
            vec![
                finding(
                    ErrorCode::WrongType,
                    at_value(),
                    format!("{field} must be {expected_text}, not {}", found(instance)),
                )
                .with_hint(hint),
            ]
        }
        ValidationErrorKind::Enum { options } => {
            let options: Vec<String> = options
                .as_array()
                .map(|o| o.iter().map(one_line).collect())
                .unwrap_or_default();
            let given = one_line(instance);
            let hint = if given == "OFFICIAL-SENSITIVE" || given == "OFFICIAL SENSITIVE" {
                "OFFICIAL-SENSITIVE is a handling marking, not a classification: write \
                 `classification: OFFICIAL` and `handling: OFFICIAL-SENSITIVE`"
                    .to_owned()
            } else {
                match did_you_mean(&given, options.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("use one of: {}", options.join(", ")),
                }
            };
            vec![
                finding(
                    ErrorCode::InvalidValue,
                    at_value(),
                    format!(
                        "{field} is `{given}`, which is not one of {}",
                        options.join(", ")
                    ),
                )
                .with_hint(hint),
            ]
        }
        ValidationErrorKind::Constant { expected_value } => vec![finding(
            ErrorCode::InvalidValue,
            at_value(),
            format!("{field} must be `{}`", one_line(expected_value)),
        )],
        ValidationErrorKind::Format { format } if format == "date" => {
            let text = instance.as_str().unwrap_or_default();
            let why = crate::dates::parse_date(text)
                .err()
                .map_or_else(|| format!("`{text}` is not a date"), |e| e.to_string());
            vec![
                finding(
                    ErrorCode::InvalidDate,
                    at_value(),
                    format!("{field}: {why}"),
                )
                .with_hint("write dates as YYYY-MM-DD, for example 2026-09-30"),
            ]
        }
        ValidationErrorKind::Pattern { .. } => {
            let given = one_line(instance);
            let f = match shared_definition(root, path) {
                Some("date") => finding(
                    ErrorCode::InvalidDate,
                    at_value(),
                    format!("{field}: `{given}` is not a date written YYYY-MM-DD"),
                )
                .with_hint("write dates as YYYY-MM-DD, for example 2026-09-30"),
                Some("duration") => {
                    // The shared definition says what shape is expected.
                    let shape = schema_at(root, path)
                        .and_then(|s| s.get("description"))
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    finding(
                        ErrorCode::InvalidFormat,
                        at_value(),
                        format!("{field}: `{given}` is not an ISO 8601 duration"),
                    )
                    .with_hint(format!("{shape} Never `3m`: is that months or minutes?"))
                }
                _ => described(
                    finding(
                        ErrorCode::InvalidFormat,
                        at_value(),
                        format!("{field} is `{given}`, which is not in the expected form"),
                    ),
                    path,
                ),
            };
            vec![f]
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            vec![described(
                finding(
                    ErrorCode::OutOfRange,
                    at_value(),
                    format!(
                        "{field} is {}, below the minimum of {limit}",
                        one_line(instance)
                    ),
                ),
                path,
            )]
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            vec![described(
                finding(
                    ErrorCode::OutOfRange,
                    at_value(),
                    format!(
                        "{field} is {}, above the maximum of {limit}",
                        one_line(instance)
                    ),
                ),
                path,
            )]
        }
        ValidationErrorKind::MinLength { .. } => vec![described(
            finding(
                ErrorCode::InvalidValue,
                at_value(),
                format!("{field} is empty"),
            ),
            path,
        )],
        ValidationErrorKind::MinItems { limit } => vec![described(
            finding(
                ErrorCode::InvalidValue,
                at_value(),
                format!(
                    "{field} needs at least {limit} item{}",
                    if *limit == 1 { "" } else { "s" }
                ),
            ),
            path,
        )],
        ValidationErrorKind::MaxItems { limit } => vec![described(
            finding(
                ErrorCode::InvalidValue,
                at_value(),
                format!("{field} may have at most {limit} items"),
            ),
            path,
        )],
        ValidationErrorKind::PropertyNames { .. } => vec![
            finding(
                ErrorCode::InvalidFormat,
                at_value(),
                format!("{field} has a key that is not a lower-case name"),
            )
            .with_hint("use lower-case names with underscores, such as very_high"),
        ],
        other => vec![finding(
            ErrorCode::Schema,
            at_value(),
            format!("{field} is not valid: {}", kind_text(other)),
        )],
    }
}

fn kind_text(kind: &ValidationErrorKind) -> String {
    format!("{kind:?}").chars().take(120).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_schemas_are_valid_2020_12() {
        for (kind, text) in EMBEDDED {
            let doc: Value = serde_json::from_str(text).unwrap();
            assert!(jsonschema::meta::is_valid(&doc), "{} schema", kind.name());
            assert_eq!(
                doc["$schema"],
                "https://json-schema.org/draft/2020-12/schema"
            );
            assert_eq!(doc["$id"], format!("urn:assure:schema:v1:{}", kind.name()));
            assert_eq!(doc["properties"]["kind"]["const"], kind.name());
        }
        assert_eq!(compiled().validators.len(), 8);
    }

    #[test]
    fn every_schema_file_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = Kind::ALL.iter().map(|k| file_name(*k)).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    /// Editors show `description` as help: every property of every schema must have one.
    #[test]
    fn every_property_is_described_and_every_object_closed() {
        fn walk(node: &Value, path: &str, problems: &mut Vec<String>) {
            match node {
                Value::Object(map) => {
                    if let Some(Value::Object(props)) = map.get("properties") {
                        let closed = map.get("additionalProperties") == Some(&Value::Bool(false));
                        let conditional = path.ends_with("/then") || path.ends_with("/if");
                        if !closed && !conditional {
                            problems.push(format!("{path} is not closed"));
                        }
                        for (name, prop) in props {
                            if !conditional && prop.get("description").is_none() {
                                problems
                                    .push(format!("{path}/properties/{name} has no description"));
                            }
                        }
                    }
                    for (key, child) in map {
                        walk(child, &format!("{path}/{key}"), problems);
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        walk(child, &format!("{path}/{i}"), problems);
                    }
                }
                _ => {}
            }
        }
        let mut problems = Vec::new();
        for kind in Kind::ALL {
            walk(document(kind), kind.name(), &mut problems);
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    /// The schemas are self-contained, so shared definitions are repeated; they must agree.
    #[test]
    fn shared_definitions_are_identical() {
        let mut seen: std::collections::BTreeMap<String, (Kind, Value)> = Default::default();
        for kind in Kind::ALL {
            if let Some(Value::Object(defs)) = document(kind).get("$defs") {
                for (name, def) in defs {
                    match seen.get(name) {
                        Some((first, other)) => {
                            assert_eq!(
                                other,
                                def,
                                "$defs/{name} differs between {} and {}",
                                first.name(),
                                kind.name()
                            )
                        }
                        None => {
                            seen.insert(name.clone(), (kind, def.clone()));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn field_names_read_naturally() {
        assert_eq!(field_name("/residual/likelihood"), "`residual.likelihood`");
        assert_eq!(field_name("/actions/2/owner"), "`actions[2].owner`");
        assert_eq!(field_name(""), "the record");
    }

    #[test]
    fn schema_at_follows_refs_and_items() {
        let risk = document(Kind::Risk);
        assert!(
            schema_at(risk, "/actions/0/owner").unwrap()["description"]
                .as_str()
                .unwrap()
                .contains("person id")
        );
        assert!(schema_at(risk, "/residual/likelihood").is_some());
        let people = document(Kind::People);
        assert!(schema_at(people, "/people/0/roles/1/from").is_some());
    }
}
