//! The signed view of a record: what an SRO's sign-off binds. A sign-off approves a
//! decision, not the upkeep that follows it, so reviewing a risk or finishing an action
//! never voids one. The view keeps only the fields that say what was decided; its
//! canonical digest (`digest.rs`) is the `subject_digest` a sign-off carries.
//!
//! The lists are a contract, documented in the README (the canonical digest) and in each
//! schema property's description; a test keeps the three in step.

use serde_json::{Map, Value};
use std::sync::{Arc, OnceLock};

use crate::records::Kind;
use crate::records::digest::{self, Digest};

/// A field of the signed view, and how much of it is signed.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    /// For a list of mappings, the keys of each item that are signed; `None`: all of it.
    pub items: Option<&'static [&'static str]>,
}

const fn whole(name: &'static str) -> Field {
    Field { name, items: None }
}

/// A risk acceptance binds what was accepted: the risk as described and scored, the target,
/// the response and the controls. Not its owner, reviews, actions' progress or status.
const RISK: &[Field] = &[
    whole("kind"),
    whole("id"),
    whole("title"),
    whole("description"),
    whole("category"),
    whole("inherent"),
    whole("residual"),
    whole("target"),
    whole("response"),
    whole("controls"),
];

/// A report approval binds what the report says: its type, trigger, date, coverage, scope,
/// assessors, outcome, findings, evidence, and its action plan's ids, titles and owners.
/// Not the actions' progress (status, completion, due dates) nor the CAAT reference.
const ASSESSMENT: &[Field] = &[
    whole("kind"),
    whole("id"),
    whole("type"),
    whole("trigger"),
    whole("coverage"),
    whole("trigger_ref"),
    whole("date"),
    whole("scope"),
    whole("assessors"),
    whole("outcome"),
    whole("findings"),
    whole("evidence"),
    Field {
        name: "actions",
        items: Some(&["id", "title", "owner"]),
    },
];

/// An appetite approval binds the statement, the tolerances and the ceiling. Not when it was
/// last reviewed, nor the parent statements it cites.
const APPETITE: &[Field] = &[
    whole("kind"),
    whole("statement"),
    whole("tolerance"),
    whole("ceiling"),
    whole("categories"),
];

/// The signed fields of a kind of record, if it can be the subject of a sign-off.
pub fn fields(kind: Kind) -> Option<&'static [Field]> {
    match kind {
        Kind::Risk => Some(RISK),
        Kind::Assessment => Some(ASSESSMENT),
        Kind::Appetite => Some(APPETITE),
        _ => None,
    }
}

/// The README's table of what each kind of sign-off binds.
pub fn readme_table() -> String {
    let mut out =
        String::from("| a sign-off of | binds these fields (the rest is upkeep) |\n|---|---|\n");
    for (kind, decision) in [
        (Kind::Risk, "a risk (risk acceptance)"),
        (Kind::Assessment, "an assessment (report approval)"),
        (Kind::Appetite, "the appetite (appetite approval)"),
    ] {
        let names: Vec<String> = fields(kind)
            .unwrap_or_default()
            .iter()
            .map(|f| match f.items {
                Some(keys) => format!(
                    "`{}` (each one's {})",
                    f.name,
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => format!("`{}`", f.name),
            })
            .collect();
        out.push_str(&format!("| {decision} | {} |\n", names.join(", ")));
    }
    out
}

/// The signed view of a record of `kind` (its JSON `value`), if that kind can be signed.
pub fn view(kind: Kind, value: &Value) -> Option<Value> {
    let fields = fields(kind)?;
    let record = value.as_object()?;
    let mut out = Map::new();
    for field in fields {
        let Some(item) = record.get(field.name) else {
            continue;
        };
        let kept = match (field.items, item) {
            (Some(keys), Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .map(|i| match i.as_object() {
                        Some(map) => Value::Object(
                            map.iter()
                                .filter(|(k, _)| keys.contains(&k.as_str()))
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect(),
                        ),
                        None => i.clone(),
                    })
                    .collect(),
            ),
            _ => item.clone(),
        };
        out.insert(field.name.to_owned(), kept);
    }
    Some(Value::Object(out))
}

/// The digest a sign-off of this record carries: that of its signed view.
pub fn digest(kind: Kind, value: &Value) -> Option<Digest> {
    // The digest of `view`, written straight from the record rather than from a copy of it.
    let fields = fields(kind)?;
    let record = value.as_object()?;
    let kept = fields
        .iter()
        .filter_map(|f| record.get(f.name).map(|v| (f.name, (v, f.items))));
    Some(Digest::of_written(|out| {
        digest::write_object(kept, out, |(item, keys), out| match (keys, item) {
            (Some(keys), Value::Array(items)) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    match item.as_object() {
                        Some(map) => digest::write_object(
                            map.iter().filter(|(k, _)| keys.contains(&k.as_str())),
                            out,
                            digest::write_value,
                        ),
                        None => digest::write_value(item, out),
                    }
                }
                out.push(']');
            }
            _ => digest::write_value(item, out),
        })
    }))
}

/// The digest a sign-off of a record binds: worked out as the record is read when a sign-off
/// names it, else the first time it is asked for, from the file's text. Most records are
/// never signed off, and never pay for it.
#[derive(Clone, Default)]
pub struct Digested {
    digest: OnceLock<Option<Digest>>,
    /// The kind and text to work it out from, when it was not worked out as it was read.
    from: Option<(Kind, Arc<str>)>,
}

impl Digested {
    /// The digest of `value`, a record of `kind`, worked out now.
    pub fn now(kind: Kind, value: &Value) -> Digested {
        Digested {
            digest: OnceLock::from(digest(kind, value)),
            from: None,
        }
    }

    /// The digest of the record of `kind` that `text` holds, worked out when it is asked for.
    pub fn later(kind: Kind, text: Arc<str>) -> Digested {
        Digested {
            digest: OnceLock::new(),
            from: (fields(kind).is_some()).then_some((kind, text)),
        }
    }

    /// Whether the digest has been worked out.
    #[cfg(test)]
    pub fn is_known(&self) -> bool {
        self.digest.get().is_some()
    }

    /// The digest, for the kinds a sign-off can be about.
    pub fn get(&self) -> Option<Digest> {
        *self.digest.get_or_init(|| {
            let (kind, text) = self.from.as_ref()?;
            digest(*kind, &crate::records::yaml::parse_value(text).ok()?)
        })
    }
}

/// The digest if it is known, never the text it would be worked out from: a record's file may
/// be withheld from what is shown.
impl std::fmt::Debug for Digested {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.digest.get() {
            Some(Some(digest)) => write!(f, "{digest}"),
            Some(None) => f.write_str("none"),
            None => f.write_str("not worked out yet"),
        }
    }
}

/// The digest a sign-off of a record carries, the record's kind read from its `kind` field.
pub fn digest_of_record(value: &Value) -> Option<Digest> {
    let kind = Kind::from_name(value.get("kind")?.as_str()?)?;
    digest(kind, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::yaml::parse_value;

    #[test]
    fn a_digest_worked_out_later_is_the_one_worked_out_now() {
        let text = "kind: risk\nid: R-1\ntitle: T\n# a comment\ncontrols: [a, b]\nresidual: {likelihood: 2, impact: 3}\n";
        let now = Digested::now(Kind::Risk, &parse_value(text).unwrap());
        let later = Digested::later(Kind::Risk, Arc::from(text));
        assert!(!later.is_known());
        // Shown, it never holds the text it would be worked out from.
        assert_eq!(format!("{later:?}"), "not worked out yet");
        assert_eq!(later.get(), now.get());
        assert_eq!(format!("{later:?}"), now.get().unwrap().to_string());
        assert!(now.get().is_some() && later.is_known());
        // Kinds no sign-off is about have none, now or later.
        let event = "kind: event\nid: E-1\n";
        assert_eq!(Digested::later(Kind::Event, Arc::from(event)).get(), None);
        assert_eq!(
            Digested::now(Kind::Event, &parse_value(event).unwrap()).get(),
            None
        );
    }

    #[test]
    fn the_digest_is_that_of_the_view() {
        let texts = [
            "kind: risk\nid: R-1\ntitle: T\ncontrols: [a, b]\ninherent: {likelihood: 2, impact: 3}\nlast_reviewed: 2026-01-01\n",
            "kind: assessment\nid: A\nactions:\n  - {id: A-1, title: x, owner: p, status: done}\n  - 3\nfindings: [{id: F, é: 1, z: 2}]\n",
            "kind: appetite\nstatement: s\ntolerance: {integrity: 3}\nlast_reviewed: 2026-01-01\n",
        ];
        for text in texts {
            let value = parse_value(text).unwrap();
            let kind = Kind::from_name(value["kind"].as_str().unwrap()).unwrap();
            assert_eq!(
                digest(kind, &value),
                Some(Digest::of(&view(kind, &value).unwrap()))
            );
        }
    }

    fn risk_digest(text: &str) -> Digest {
        digest(Kind::Risk, &parse_value(text).unwrap()).unwrap()
    }

    const RISK_TEXT: &str = "kind: risk
id: R-001
title: Laptop theft
description: A laptop is stolen.
owner: p-lead
status: open
response: treat
inherent: {likelihood: 3, impact: 4}
residual: {likelihood: 2, impact: 3}
controls: [Disk encryption]
actions:
  - {id: A-001, title: Encrypt, owner: p-lead, due: 2026-02-28, status: open}
identified: 2026-01-05
last_reviewed: 2026-01-05
";

    /// Upkeep leaves the digest alone; a change of what was decided does not.
    #[test]
    fn upkeep_is_not_signed_and_decisions_are() {
        let signed = risk_digest(RISK_TEXT);
        for upkeep in [
            ("last_reviewed: 2026-01-05", "last_reviewed: 2026-03-01"),
            ("status: open\nresponse", "status: closed\nresponse"),
            (
                "due: 2026-02-28, status: open",
                "due: 2026-04-30, status: done, done_on: 2026-04-01",
            ),
            ("owner: p-lead\nstatus", "owner: p-other\nstatus"),
            (
                "last_reviewed: 2026-01-05\n",
                "last_reviewed: 2026-01-05\nreview_by: 2026-02-01\n",
            ),
        ] {
            let edited = RISK_TEXT.replace(upkeep.0, upkeep.1);
            assert_ne!(edited, RISK_TEXT, "{upkeep:?}");
            assert_eq!(
                risk_digest(&edited),
                signed,
                "{upkeep:?} should not be signed"
            );
        }
        for decision in [
            ("residual: {likelihood: 2", "residual: {likelihood: 3"),
            ("response: treat", "response: tolerate"),
            ("controls: [Disk encryption]", "controls: []"),
            ("title: Laptop theft", "title: Laptop loss"),
            (
                "identified: 2026-01-05\n",
                "identified: 2026-01-05\ntarget: {likelihood: 1, impact: 3, by: 2026-06-30}\n",
            ),
        ] {
            let edited = RISK_TEXT.replace(decision.0, decision.1);
            assert_ne!(
                risk_digest(&edited),
                signed,
                "{decision:?} should be signed"
            );
        }
    }

    /// An assessment's action plan is signed by what and who, not by its progress.
    #[test]
    fn an_action_plan_is_signed_by_its_ids_titles_and_owners() {
        let text = "kind: assessment\nid: 2026-01-05-self\ntype: self\ntrigger: scheduled\ndate: 2026-01-05\nassessors: [p-lead]\nscope: All.\noutcome: {summary: Fine.}\nactions:\n  - {id: A-001, title: Patch, owner: p-lead, due: 2026-02-01, status: open}\n";
        let d = |t: &str| digest(Kind::Assessment, &parse_value(t).unwrap()).unwrap();
        let signed = d(text);
        let done = text.replace("status: open}", "status: done, done_on: 2026-01-20}");
        assert_eq!(d(&done), signed);
        let slipped = text.replace("due: 2026-02-01", "due: 2026-03-01");
        assert_eq!(d(&slipped), signed);
        let reassigned = text.replace("owner: p-lead, due", "owner: p-sro, due");
        assert_ne!(d(&reassigned), signed);
        let rescoped = text.replace("scope: All.", "scope: Some.");
        assert_ne!(d(&rescoped), signed);
    }

    /// Each schema property says whether it is signed, and agrees with the lists above.
    #[test]
    fn the_schemas_say_what_is_signed() {
        const NOT_SIGNED: &str = " Not signed: changing it does not void a sign-off.";
        for kind in [Kind::Risk, Kind::Assessment, Kind::Appetite] {
            let schema = crate::records::schema::document(kind);
            let signed = fields(kind).unwrap();
            for (name, property) in schema["properties"].as_object().unwrap() {
                let description = property["description"].as_str().unwrap();
                let field = signed.iter().find(|f| f.name == name);
                assert_eq!(
                    description.contains(NOT_SIGNED),
                    field.is_none(),
                    "{}.{name}: {description}",
                    kind.name()
                );
                if let Some(Field {
                    items: Some(keys), ..
                }) = field
                {
                    assert!(description.contains("Signed:"), "{}.{name}", kind.name());
                    let item = &schema["$defs"]["action"]["properties"];
                    for (key, p) in item.as_object().unwrap() {
                        let text = p["description"].as_str().unwrap();
                        assert_eq!(
                            text.contains(NOT_SIGNED),
                            !keys.contains(&key.as_str()),
                            "{key}"
                        );
                    }
                }
            }
            for field in signed {
                assert!(
                    schema["properties"].get(field.name).is_some(),
                    "{} lists {}, which its schema does not have",
                    kind.name(),
                    field.name
                );
            }
        }
    }

    /// The README's worked example.
    #[test]
    fn the_readme_example() {
        let value = parse_value("kind: risk\nid: R-001\ntitle: Laptop theft\nresidual: {likelihood: 3, impact: 4}\nlast_reviewed: 2026-01-05\n").unwrap();
        let signed = view(Kind::Risk, &value).unwrap();
        assert_eq!(
            crate::records::digest::canonical_json(&signed),
            r#"{"id":"R-001","kind":"risk","residual":{"impact":4,"likelihood":3},"title":"Laptop theft"}"#
        );
        assert_eq!(
            Digest::of(&signed).to_string(),
            "sha256:3ed47d0343124ff3e74617d26d7178d3037e77d69fbf3325a124185bcfc0a5b2"
        );
    }

    #[test]
    fn only_risks_assessments_and_the_appetite_are_signed() {
        for kind in Kind::ALL {
            assert_eq!(
                fields(kind).is_some(),
                matches!(kind, Kind::Risk | Kind::Assessment | Kind::Appetite),
                "{}",
                kind.name()
            );
        }
    }
}
