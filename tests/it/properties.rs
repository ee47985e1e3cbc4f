//! Property tests of the loader: whatever bytes or YAML trees it is fed, it never panics,
//! every problem it reports has a real position, every node of a tree can be located, and
//! the canonical digest ignores formatting but not values.

use assure::records::digest::Digest;
use assure::records::load::load;
use assure::records::yaml::{Locator, escape, parse_value};
use assure::source::{Content, Entry};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn entry(relative: &str, bytes: Vec<u8>) -> Entry {
    Entry {
        path: format!("assurance/{relative}"),
        relative: relative.to_owned(),
        content: Content::Bytes(bytes),
    }
}

fn assert_positions_are_real(bytes: &[u8], loaded: &assure::records::load::Loaded) {
    let lines = bytes.split(|b| *b == b'\n').count() as u32;
    for p in &loaded.problems {
        let position = p.location.position.expect("every problem has a position");
        assert!(position.line >= 1 && position.column >= 1, "{p:?}");
        if p.location.file.as_deref() == Some("assurance/risks/R-001.yaml") {
            assert!(position.line <= lines.max(1), "{p:?} beyond {lines} lines");
        }
    }
}

/// Field names the schemas know, mixed with others, so trees reach deep into validation.
const KEYS: &[&str] = &[
    "kind",
    "id",
    "title",
    "description",
    "owner",
    "status",
    "response",
    "inherent",
    "residual",
    "likelihood",
    "impact",
    "actions",
    "due",
    "identified",
    "last_reviewed",
    "closed",
    "date",
    "reason",
    "classification",
    "x",
    "a/b",
    "~t",
    "",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-10i64..30).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z0-9 :#\\-_./']{0,12}".prop_map(Value::String),
        Just(Value::String("2026-02-30".into())),
        Just(Value::String("R-001".into())),
        Just(Value::String("risk".into())),
        Just(Value::String("SECRET".into())),
        any::<String>().prop_map(Value::String),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|entries| {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.to_owned(), v);
                }
                Value::Object(map)
            }),
        ]
    })
}

/// Block-style YAML for a JSON value; scalars are JSON (a subset of YAML flow scalars).
fn block_yaml(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map.iter().rev() {
                out.push_str(&format!("{pad}{}:", serde_json::to_string(k).unwrap()));
                match v {
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        block_yaml(v, indent + 2, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        block_yaml(v, indent + 2, out);
                    }
                    _ => out.push_str(&format!(
                        " {}  # comment\n",
                        serde_json::to_string(v).unwrap()
                    )),
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        block_yaml(item, indent + 2, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        block_yaml(item, indent + 2, out);
                    }
                    _ => out.push_str(&format!(" {}\n", serde_json::to_string(item).unwrap())),
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", serde_json::to_string(other).unwrap())),
    }
}

fn leaf_pointers(value: &Value, prefix: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                leaf_pointers(v, format!("{prefix}/{}", escape(k)), out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                leaf_pointers(v, format!("{prefix}/{i}"), out);
            }
        }
        _ => out.push(prefix),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn locator_never_panics_on_any_text(text in "(kind: risk\n)?([a-z_]{1,8}: ?(\\[|\\]|\\{|\\}|-|&a|\\*a|<<|\\?|!t|'|\"|[a-z0-9 .]{0,6}|~|2026-0[0-9]-3[0-9])*\n(  )?){0,12}") {
        let locator = Locator::new(&text);
        let lines = text.split('\n').count() as u32;
        for pointer in ["", "/kind", "/a/0", "/x/y/z"] {
            let p = locator.locate(pointer);
            prop_assert!(p.line >= 1 && p.line <= lines.max(1) && p.column >= 1);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let loaded = load("assurance", vec![entry("risks/R-001.yaml", bytes.clone())]);
        assert_positions_are_real(&bytes, &loaded);
    }

    #[test]
    fn yaml_like_text_never_panics(text in "(kind: risk\n)?([a-z_]{1,8}: ?(\\[|\\]|\\{|\\}|-|&a|\\*a|!t|'|\"|[a-z0-9 ]{0,6}|2026-0[0-9]-3[0-9])*\n(  )?){0,12}") {
        let loaded = load("assurance", vec![entry("risks/R-001.yaml", text.clone().into_bytes())]);
        assert_positions_are_real(text.as_bytes(), &loaded);
    }

    #[test]
    fn arbitrary_trees_never_panic_and_positions_are_real(value in tree()) {
        let flow = serde_json::to_string(&value).unwrap();
        let mut block = String::new();
        block_yaml(&value, 0, &mut block);
        for text in [flow, block] {
            for place in ["risks/R-001.yaml", "project.yaml", "people.yaml", "signoffs/S-0001.yaml"] {
                let loaded = load("assurance", vec![entry(place, text.clone().into_bytes())]);
                if place == "risks/R-001.yaml" {
                    assert_positions_are_real(text.as_bytes(), &loaded);
                }
            }
        }
    }

    #[test]
    fn every_node_can_be_located(value in tree()) {
        let mut block = String::new();
        block_yaml(&value, 0, &mut block);
        prop_assert_eq!(parse_value(&block).unwrap(), value.clone());
        let yaml = Locator::new(&block);
        let mut pointers = Vec::new();
        leaf_pointers(&value, String::new(), &mut pointers);
        for pointer in pointers {
            if pointer.is_empty() { continue; }
            prop_assert!(yaml.has(&pointer), "{} not found in\n{}", pointer, block);
        }
    }

    #[test]
    fn digest_ignores_formatting_but_not_values(value in tree(), other in tree()) {
        let flow = serde_json::to_string(&value).unwrap();
        let mut block = String::new();
        block_yaml(&value, 0, &mut block);
        let a = Digest::of(&parse_value(&flow).unwrap());
        let b = Digest::of(&parse_value(&block).unwrap());
        prop_assert_eq!(a, b);
        if other != value {
            prop_assert_ne!(a, Digest::of(&other));
        }
    }
}
