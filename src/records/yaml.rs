//! YAML text to a tree that remembers where every node came from.
//!
//! We parse with serde-saphyr: it is safe Rust (`forbid(unsafe_code)`), fuzzed, maintained,
//! rejects duplicate keys, enforces budgets on depth, aliases and node counts (so an alias
//! bomb or `[[[[…` nesting is a bounded error, not a hang or a stack overflow), and its
//! `Spanned<T>` gives the line and column of every node in a single parse. The
//! serde_yaml family keeps no node positions and is unmaintained; saphyr proper has no
//! serde support and overflows the stack on deep block nesting.
//!
//! The JSON Schema validator reports JSON pointers (`/residual/likelihood`); `Yaml::locate`
//! maps them back to line and column by walking this tree.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::{Location as YamlLocation, Spanned};
use std::fmt;

use crate::finding::{Position, code};

/// Deepest nesting a record may use. Real records need about six levels.
pub const MAX_DEPTH: usize = 32;

/// One YAML node, with positions for every child and key.
#[derive(Debug)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodeVisitor;

        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(Node::UInt(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<Node>>()? {
                    items.push(item);
                }
                Ok(Node::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value = map.next_value::<Spanned<Node>>()?;
                    entries.push((key, value));
                }
                Ok(Node::Map(entries))
            }
        }

        deserializer.deserialize_any(NodeVisitor)
    }
}

/// A parsed YAML document.
#[derive(Debug)]
pub struct Yaml {
    root: Spanned<Node>,
}

/// A YAML document that could not be parsed: a code, a message and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    pub position: Position,
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        // YAML 1.2 booleans only: `no`, `on` and `NO` stay strings (the Norway problem).
        strict_booleans: true,
        // A tag we do not understand is an error, never silently dropped.
        reject_unsupported_tags: true,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_documents: 1,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 200_000,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
        },
    }
}

fn position(location: &YamlLocation) -> Position {
    Position {
        line: u32::try_from(location.line()).unwrap_or(u32::MAX).max(1),
        column: u32::try_from(location.column()).unwrap_or(u32::MAX).max(1),
        width: u32::try_from(location.span().len()).unwrap_or(1).max(1),
    }
}

/// Parse YAML straight to JSON values, without positions: the fast path for valid records.
/// It accepts and refuses exactly what `Yaml::parse` does (same parser, same options), and
/// gives the same values as `Yaml::to_json`.
pub fn parse_value(text: &str) -> Result<Value, YamlError> {
    serde_saphyr::from_str_with_options::<Value>(text, options()).map_err(|e| translate(&e))
}

impl Yaml {
    pub fn parse(text: &str) -> Result<Yaml, YamlError> {
        match serde_saphyr::from_str_with_options::<Spanned<Node>>(text, options()) {
            Ok(root) => Ok(Yaml { root }),
            Err(error) => Err(translate(&error)),
        }
    }

    pub fn root(&self) -> &Node {
        &self.root.value
    }

    /// The document as JSON, for the schema validator and the canonical digest.
    pub fn to_json(&self) -> Value {
        to_json(&self.root.value)
    }

    /// Position of the node at `pointer`, or of its nearest existing ancestor.
    pub fn locate(&self, pointer: &str) -> Position {
        self.walk(pointer).1
    }

    /// Position of the key named by the last segment of `pointer` (for unknown fields),
    /// falling back to the value's position.
    pub fn locate_key(&self, pointer: &str) -> Position {
        self.walk(pointer).2.unwrap_or_else(|| self.locate(pointer))
    }

    /// Whether a node exists at `pointer`.
    pub fn has(&self, pointer: &str) -> bool {
        self.walk(pointer).0.is_some()
    }

    /// The source text span of the scalar at `pointer`, if it is one.
    pub fn scalar_text<'t>(&self, text: &'t str, pointer: &str) -> Option<&'t str> {
        let (node, _, _) = self.walk(pointer);
        let node = node?;
        if matches!(node.value, Node::Seq(_) | Node::Map(_)) {
            return None;
        }
        let span = node.referenced.span();
        let start = usize::try_from(span.byte_offset()?).ok()?;
        let len = usize::try_from(span.byte_len()?).ok()?;
        text.get(start..start + len)
    }

    fn walk(&self, pointer: &str) -> (Option<&Spanned<Node>>, Position, Option<Position>) {
        let mut node = &self.root;
        let mut key_position = None;
        if pointer.is_empty() {
            return (Some(node), root_position(node), None);
        }
        for raw in pointer.split('/').skip(1) {
            let segment = unescape(raw);
            let next = match &node.value {
                Node::Map(entries) => entries
                    .iter()
                    .find(|(key, _)| key.value == segment)
                    .map(|(key, value)| (value, Some(position(&key.referenced)))),
                Node::Seq(items) => segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|value| (value, None)),
                _ => None,
            };
            match next {
                Some((value, key)) => {
                    node = value;
                    key_position = key;
                }
                None => return (None, root_position(node), None),
            }
        }
        (Some(node), root_position(node), key_position)
    }
}

/// Where a node starts. An empty document's root has no useful position: use 1:1.
fn root_position(node: &Spanned<Node>) -> Position {
    let mut p = position(&node.referenced);
    if matches!(node.value, Node::Map(_) | Node::Seq(_)) {
        // Collections have zero width; point at one character.
        p.width = 1;
    }
    p
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Escape one JSON pointer segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn to_json(node: &Node) -> Value {
    match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => Value::from(*i),
        Node::UInt(u) => Value::from(*u),
        Node::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Node::Str(s) => Value::String(s.clone()),
        Node::Seq(items) => Value::Array(items.iter().map(|i| to_json(&i.value)).collect()),
        Node::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.value.clone(), to_json(&v.value)))
                .collect(),
        ),
    }
}

fn translate(error: &serde_saphyr::Error) -> YamlError {
    use serde_saphyr::budget::BudgetBreach;
    use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};

    // Errors met while replaying an alias come wrapped; classify the original.
    let mut inner = error.without_snippet();
    while let Error::AliasError { error, .. } = inner {
        inner = error.without_snippet();
    }
    let position = error
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| position(&l))
        .unwrap_or(Position::START);
    let message = UserMessageFormatter.format_message(inner).into_owned();
    let too_deep = || {
        (
            code::YAML_LIMIT,
            format!("nested more than {MAX_DEPTH} levels deep"),
            Some("records are small and shallow; remove the deep nesting".to_owned()),
        )
    };
    let too_big = || {
        (
            code::YAML_LIMIT,
            "too many nodes or aliases for one record".to_owned(),
            Some("records are small; remove the repeated aliases or split the file".to_owned()),
        )
    };
    let (code, message, hint) = match inner {
        Error::DuplicateMappingKey { .. } => (
            code::DUPLICATE_KEY,
            message,
            Some("each field may appear once in a mapping; remove or merge the repeated one".to_owned()),
        ),
        Error::Budget { breach, .. } => match breach {
            BudgetBreach::Documents { .. } => (
                code::MULTIPLE_DOCUMENTS,
                "more than one YAML document in the file".to_owned(),
                Some("keep one record per file: move the part after `---` into its own file".to_owned()),
            ),
            BudgetBreach::Depth { .. } => too_deep(),
            _ => too_big(),
        },
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => too_big(),
        // The parser's own guard against `[[[[…` reports only this text.
        _ if message.contains("recursion limit") => too_deep(),
        _ => (
            code::YAML_SYNTAX,
            message,
            Some("fix the YAML at this point; quote text that contains `: ` or starts with a special character".to_owned()),
        ),
    };
    YamlError {
        code,
        message,
        hint,
        position,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_values_and_keys() {
        let text = "kind: risk\nresidual:\n  likelihood: 7\n  impact: 2\nactions:\n  - {id: A-1, owner: x}\n";
        let yaml = Yaml::parse(text).unwrap();
        assert_eq!(
            yaml.locate("/residual/likelihood"),
            Position {
                line: 3,
                column: 15,
                width: 1
            }
        );
        assert_eq!(yaml.locate_key("/residual/likelihood").line, 3);
        assert_eq!(yaml.locate_key("/residual/likelihood").column, 3);
        assert_eq!(yaml.locate("/actions/0/owner").line, 6);
        assert_eq!(yaml.locate("/actions/0/owner").column, 22);
        // A missing field resolves to its nearest parent.
        assert_eq!(yaml.locate("/residual/nope").line, 3);
        assert_eq!(yaml.scalar_text(text, "/residual/likelihood"), Some("7"));
    }

    #[test]
    fn keeps_strings_as_written() {
        let yaml = Yaml::parse("a: no\nb: 2026-09-01\nc: \"7\"\nd: 1.5\ne: ~\n").unwrap();
        assert_eq!(
            yaml.to_json(),
            serde_json::json!({"a": "no", "b": "2026-09-01", "c": "7", "d": 1.5, "e": null})
        );
    }

    #[test]
    fn refuses_hostile_documents_with_a_position() {
        let deep = format!("a: {}", "[".repeat(100_000));
        assert_eq!(Yaml::parse(&deep).unwrap_err().code, code::YAML_LIMIT);
        let deep_block: String = (0..5_000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect();
        let e = Yaml::parse(&deep_block).unwrap_err();
        assert_eq!(e.code, code::YAML_LIMIT, "{e:?}");
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let e = Yaml::parse(&bomb).unwrap_err();
        assert_eq!(e.code, code::YAML_LIMIT, "{e:?}");
        let dup = Yaml::parse("kind: risk\nowner: a\nowner: b\n").unwrap_err();
        assert_eq!(dup.code, code::DUPLICATE_KEY);
        assert_eq!((dup.position.line, dup.position.column), (3, 1));
        assert_eq!(
            Yaml::parse("a: 1\n---\nb: 2\n").unwrap_err().code,
            code::MULTIPLE_DOCUMENTS
        );
        let syntax = Yaml::parse("kind: risk\ntitle: \"open\n").unwrap_err();
        assert_eq!(syntax.code, code::YAML_SYNTAX);
        assert_eq!(syntax.position.line, 2);
    }
}
