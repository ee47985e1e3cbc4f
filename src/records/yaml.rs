//! YAML text to values, and values back to the line and column they came from.
//!
//! We parse with serde-saphyr: it is safe Rust (`forbid(unsafe_code)`), fuzzed, maintained,
//! rejects duplicate keys, enforces budgets on depth, aliases and node counts (so an alias
//! bomb or `[[[[…` nesting is a bounded error, not a hang or a stack overflow), and reports
//! every parse error with its line and column. The serde_yaml family keeps no node positions,
//! accepts duplicate keys and is unmaintained; saphyr proper has no serde support and
//! overflows the stack on deep block nesting.
//!
//! Valid records never need positions, so the fast path (`parse_value`) builds values only.
//! When a problem needs a place, `Locator` walks the same parser's events (granit-parser,
//! which serde-saphyr is built on) once and indexes every node by JSON pointer, so the
//! schema validator's pointers (`/residual/likelihood`) map back to line and column.

use serde_json::Value;
use serde_saphyr::granit_parser::{Event, Parser, Span};

use crate::finding::{ErrorCode, Position};

/// Deepest nesting a record may use. Real records need about six levels.
pub const MAX_DEPTH: usize = 32;

/// A YAML document that could not be parsed: a code, a message and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub code: ErrorCode,
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

/// Parse YAML to JSON values (the YAML 1.2 core schema: dates stay strings). Tags and merge
/// keys are refused where they are: a record is plain data. Records written in the usual
/// subset of YAML are read by `simple_yaml`, everything else (and every error) by serde-saphyr.
pub fn parse_value(text: &str) -> Result<Value, YamlError> {
    match super::simple_yaml::parse(text) {
        Some(value) => Ok(value),
        None => parse_general(text),
    }
}

/// Parse with the general parser alone.
pub fn parse_general(text: &str) -> Result<Value, YamlError> {
    let value = serde_saphyr::from_str_with_options::<Value>(text, options())
        .map_err(|e| translate(text, &e))?;
    // Only a text that could hold one pays for the look.
    if (text.contains('!') || text.contains("<<"))
        && let Some(error) = unused_features(text)
    {
        return Err(error);
    }
    Ok(value)
}

/// The first tag (`!!binary`, `!custom`) or merge key (`<<`) in `text`, as an error: YAML
/// features a record never needs, which would make its data other than it reads.
fn unused_features(text: &str) -> Option<YamlError> {
    use serde_saphyr::granit_parser::ScalarStyle;
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { break };
        let found = match &event {
            Event::Scalar(_, _, _, Some(tag))
            | Event::MappingStart(_, _, Some(tag))
            | Event::SequenceStart(_, _, Some(tag)) => Some((
                format!(
                    "a YAML tag (`{}`) is not used in records",
                    tag.to_string().replace("tag:yaml.org,2002:", "!!")
                ),
                "remove the tag and write the value as plain text, a number or a date",
            )),
            Event::Scalar(value, ScalarStyle::Plain, _, None) if value == "<<" => Some((
                "a merge key (`<<`) is not used in records".to_owned(),
                "write the fields out in full: a record should read as what it holds",
            )),
            _ => None,
        };
        if let Some((message, hint)) = found {
            return Some(YamlError {
                code: ErrorCode::YamlFeature,
                message,
                hint: Some(hint.to_owned()),
                position: position_of(&span),
            });
        }
    }
    None
}

fn position_of(span: &Span) -> Position {
    let start = span.start;
    Position {
        line: u32::try_from(start.line()).unwrap_or(u32::MAX).max(1),
        column: u32::try_from(start.col() + 1).unwrap_or(u32::MAX),
        width: u32::try_from(span.end.index().saturating_sub(start.index()))
            .unwrap_or(1)
            .max(1),
    }
}

/// One node of a document: where its key and its value are.
#[derive(Debug, Clone)]
struct Located {
    pointer: String,
    key: Option<Position>,
    value: Position,
    /// Byte range of a scalar's source text.
    bytes: Option<(usize, usize)>,
}

enum Frame {
    /// A mapping at `pointer`; `key` is the key read and awaiting its value.
    Map {
        pointer: String,
        key: Option<(String, Position)>,
    },
    Seq {
        pointer: String,
        next: usize,
    },
    /// A complex key (a mapping or sequence used as a key): skipped.
    Skip {
        depth: usize,
    },
}

/// Every node of a document by JSON pointer, with its line and column.
#[derive(Debug, Default)]
pub struct Locator {
    nodes: Vec<Located>,
    /// Where each pointer's first node is, for a document of many nodes: a file of thousands
    /// of findings is not looked through once for each.
    index: Option<crate::hash::Ids>,
}

/// A document of more nodes than this has them indexed by pointer; records have about fifty.
const LOOKED_THROUGH: usize = 256;

impl Locator {
    /// Index `text`. A document that stops parsing part-way is indexed up to that point.
    pub fn new(text: &str) -> Locator {
        Locator::index(text, &[])
    }

    /// Index `text` until every pointer in `wanted` has its node (all of it when one is
    /// missing, so that `locate` can fall back to the nearest ancestor): the positions found
    /// are the same as `new`'s, and a file is rarely read to its end.
    pub fn new_for(text: &str, wanted: &[&str]) -> Locator {
        Locator::index(text, wanted)
    }

    fn index(text: &str, wanted: &[&str]) -> Locator {
        // Records in the simple subset are placed by the simple reader, several times faster.
        if let Some(nodes) = super::simple_yaml::locate_for(text, wanted) {
            return Locator::of(
                nodes
                    .into_iter()
                    .map(|n| Located {
                        pointer: n.pointer,
                        key: n.key,
                        value: n.value,
                        bytes: n.bytes,
                    })
                    .collect(),
            );
        }
        Locator::index_general(text, wanted)
    }

    /// Index `text` with the general parser's events.
    fn index_general(text: &str, wanted: &[&str]) -> Locator {
        let mut found = 0;
        let mut nodes = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            let starts_node = matches!(
                event,
                Event::Scalar(..)
                    | Event::MappingStart(..)
                    | Event::SequenceStart(..)
                    | Event::Alias(_)
            );
            if let Some(Frame::Skip { depth }) = stack.last_mut() {
                match event {
                    Event::MappingStart(..) | Event::SequenceStart(..) => *depth += 1,
                    Event::MappingEnd | Event::SequenceEnd => {
                        *depth -= 1;
                        if *depth == 0 {
                            stack.pop();
                            if let Some(Frame::Map { key, .. }) = stack.last_mut() {
                                *key = Some((String::new(), position_of(&span)));
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
                stack.pop();
                continue;
            }
            if !starts_node {
                continue;
            }
            // Where does this node sit?
            let (pointer, key) = match stack.last_mut() {
                None => (String::new(), None),
                Some(Frame::Seq { pointer, next }) => {
                    *next += 1;
                    (format!("{pointer}/{}", *next - 1), None)
                }
                Some(Frame::Map { pointer, key }) => match key.take() {
                    Some((name, at)) => (format!("{pointer}/{}", escape(&name)), Some(at)),
                    None => {
                        // This node is a key.
                        match &event {
                            Event::Scalar(value, ..) => {
                                *key = Some((value.to_string(), position_of(&span)));
                            }
                            Event::MappingStart(..) | Event::SequenceStart(..) => {
                                stack.push(Frame::Skip { depth: 1 });
                            }
                            _ => *key = Some((String::new(), position_of(&span))),
                        }
                        continue;
                    }
                },
                Some(Frame::Skip { .. }) => unreachable!("handled above"),
            };
            let bytes = match (&event, span.start.byte_offset(), span.end.byte_offset()) {
                (Event::Scalar(..), Some(a), Some(b)) => Some((a, b)),
                _ => None,
            };
            let mut value = position_of(&span);
            match event {
                Event::MappingStart(..) => {
                    value.width = 1;
                    stack.push(Frame::Map {
                        pointer: pointer.clone(),
                        key: None,
                    });
                }
                Event::SequenceStart(..) => {
                    value.width = 1;
                    stack.push(Frame::Seq {
                        pointer: pointer.clone(),
                        next: 0,
                    });
                }
                _ => {}
            }
            if wanted.contains(&pointer.as_str()) {
                found += 1;
            }
            nodes.push(Located {
                pointer,
                key,
                value,
                bytes,
            });
            if !wanted.is_empty() && found == wanted.len() {
                break;
            }
        }
        Locator::of(nodes)
    }

    fn of(nodes: Vec<Located>) -> Locator {
        let index = (nodes.len() > LOOKED_THROUGH)
            .then(|| crate::hash::Ids::of(nodes.iter().map(|n| n.pointer.as_str())));
        Locator { nodes, index }
    }

    /// The first node at `pointer`.
    fn find(&self, pointer: &str) -> Option<&Located> {
        match &self.index {
            Some(index) => index
                .find(pointer, |i| &self.nodes[i].pointer)
                .map(|i| &self.nodes[i]),
            None => self.nodes.iter().find(|n| n.pointer == pointer),
        }
    }

    /// The node at `pointer`, or its nearest ancestor that exists.
    fn nearest(&self, pointer: &str) -> Option<&Located> {
        let mut p = pointer;
        loop {
            if let Some(n) = self.find(p) {
                return Some(n);
            }
            p = &p[..p.rfind('/')?];
        }
    }

    /// Position of the node at `pointer`, or of its nearest existing ancestor.
    pub fn locate(&self, pointer: &str) -> Position {
        self.nearest(pointer).map_or(Position::START, |n| n.value)
    }

    /// Position of the key named by the last segment of `pointer` (for unknown fields),
    /// falling back to the value's position.
    pub fn locate_key(&self, pointer: &str) -> Position {
        self.find(pointer)
            .and_then(|n| n.key)
            .unwrap_or_else(|| self.locate(pointer))
    }

    /// Whether a node exists at `pointer`.
    pub fn has(&self, pointer: &str) -> bool {
        self.find(pointer).is_some()
    }

    /// The source text of the scalar at `pointer`, as written (quotes included).
    pub fn scalar_text<'t>(&self, text: &'t str, pointer: &str) -> Option<&'t str> {
        let (a, b) = self.find(pointer)?.bytes?;
        text.get(a..b)
    }
}

/// Escape one JSON pointer segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn translate(text: &str, error: &serde_saphyr::Error) -> YamlError {
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
        .map(|l| Position {
            line: u32::try_from(l.line()).unwrap_or(u32::MAX).max(1),
            column: u32::try_from(l.column()).unwrap_or(u32::MAX).max(1),
            width: u32::try_from(l.span().len()).unwrap_or(1).max(1),
        })
        .unwrap_or(Position::START);
    let message = UserMessageFormatter.format_message(inner).into_owned();
    let too_deep = || {
        (
            ErrorCode::YamlLimit,
            format!("nested more than {MAX_DEPTH} levels deep"),
            Some("records are small and shallow; remove the deep nesting".to_owned()),
        )
    };
    let too_big = || {
        (
            ErrorCode::YamlLimit,
            "too many nodes or aliases for one record".to_owned(),
            Some("records are small; remove the repeated aliases or split the file".to_owned()),
        )
    };
    let (code, message, hint) = match inner {
        Error::DuplicateMappingKey { .. } => (
            ErrorCode::DuplicateKey,
            message,
            Some("each field may appear once in a mapping; remove or merge the repeated one".to_owned()),
        ),
        Error::Budget { breach, .. } => match breach {
            BudgetBreach::Documents { .. } => (
                ErrorCode::MultipleDocuments,
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
        _ if message.contains("tab") || tab_near(text, position.line) => (
            ErrorCode::YamlSyntax,
            message,
            Some("YAML does not allow tabs for indenting or around values: use spaces (indent two per level); most editors can turn tabs into spaces".to_owned()),
        ),
        _ => (
            ErrorCode::YamlSyntax,
            message,
            Some("fix the YAML at this point; quote text that contains `: ` or starts with a special character".to_owned()),
        ),
    };
    // A tab in the indentation is where the YAML broke, whatever line the parser noticed.
    let (message, position) = match first_indenting_tab(text) {
        Some(tab)
            if hint.as_deref().is_some_and(|h| h.contains("tabs"))
                && tab.line <= position.line + 1 =>
        {
            ("a tab indents this line".to_owned(), tab)
        }
        _ => (message, position),
    };
    YamlError {
        code,
        message,
        hint,
        position,
    }
}

/// The first tab in the indentation of any line, if there is one.
fn first_indenting_tab(text: &str) -> Option<Position> {
    text.lines().enumerate().find_map(|(n, line)| {
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        indent.find('\t').map(|at| Position {
            line: u32::try_from(n + 1).unwrap_or(u32::MAX),
            column: u32::try_from(indent[..at].chars().count() + 1).unwrap_or(u32::MAX),
            width: 1,
        })
    })
}

/// Whether a tab indents line `line` (1-based) of `text` or the line before it, where the
/// parser says the YAML broke.
fn tab_near(text: &str, line: u32) -> bool {
    let indented_by_tab = |l: &str| {
        l.starts_with([' ', '\t']) && {
            let indent = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
            indent.contains('\t')
        }
    };
    let line = line.max(1) as usize;
    text.lines()
        .skip(line.saturating_sub(2))
        .take(if line == 1 { 1 } else { 2 })
        .any(indented_by_tab)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document of many nodes is looked up through its index: the same places as a look
    /// through every node, the first of a pointer written twice, the nearest ancestor of
    /// one missing; read by either parser.
    #[test]
    fn a_document_of_many_nodes_is_located_through_its_index() {
        let block: String = (0..400).map(|i| format!("k{i}:\n  v: {i}\n")).collect();
        // A tab: the general parser's to read.
        let general = format!("{block}t: \"a\\tb\"\n");
        let twice = format!("{block}k7:\n  v: 2\n");
        for text in [&block, &general, &twice] {
            let indexed = Locator::new(text);
            assert!(indexed.index.is_some() && indexed.nodes.len() > LOOKED_THROUGH);
            let plain = Locator {
                nodes: indexed.nodes.clone(),
                index: None,
            };
            for pointer in ["", "/k0", "/k7/v", "/k399/v", "/k399/v/x", "/nope", "/t"] {
                assert_eq!(indexed.locate(pointer), plain.locate(pointer), "{pointer}");
                assert_eq!(
                    indexed.locate_key(pointer),
                    plain.locate_key(pointer),
                    "{pointer}"
                );
            }
        }
        assert_eq!(Locator::new(&block).locate("/k7/v").line, 16);
    }

    #[test]
    fn locates_values_and_keys() {
        let text = "kind: risk\nresidual:\n  likelihood: 7\n  impact: 2\nactions:\n  - {id: A-1, owner: x}\n";
        let yaml = Locator::new(text);
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
        assert!(yaml.has("/actions/0") && !yaml.has("/actions/1"));
    }

    #[test]
    fn locates_quoted_scalars_and_complex_keys() {
        let text = "? [a, b]\n: 1\ntitle: \"x: y\"\nlist:\n- one\n- 'two'\n";
        let yaml = Locator::new(text);
        assert_eq!(yaml.scalar_text(text, "/title"), Some("\"x: y\""));
        assert_eq!(
            yaml.locate("/list/1"),
            Position {
                line: 6,
                column: 3,
                width: 5
            }
        );
    }

    #[test]
    fn keeps_strings_as_written() {
        let value = parse_value("a: no\nb: 2026-09-01\nc: \"7\"\nd: 1.5\ne: ~\n").unwrap();
        assert_eq!(
            value,
            serde_json::json!({"a": "no", "b": "2026-09-01", "c": "7", "d": 1.5, "e": null})
        );
    }

    #[test]
    fn refuses_hostile_documents_with_a_position() {
        let deep = format!("a: {}", "[".repeat(100_000));
        assert_eq!(parse_value(&deep).unwrap_err().code, ErrorCode::YamlLimit);
        let deep_block: String = (0..5_000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect();
        let e = parse_value(&deep_block).unwrap_err();
        assert_eq!(e.code, ErrorCode::YamlLimit, "{e:?}");
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let e = parse_value(&bomb).unwrap_err();
        assert_eq!(e.code, ErrorCode::YamlLimit, "{e:?}");
        // Locating in a hostile document is bounded too.
        assert!(Locator::new(&bomb).has("/i"));
        let _ = Locator::new(&deep);
        let dup = parse_value("kind: risk\nowner: a\nowner: b\n").unwrap_err();
        assert_eq!(dup.code, ErrorCode::DuplicateKey);
        assert_eq!((dup.position.line, dup.position.column), (3, 1));
        assert_eq!(
            parse_value("a: 1\n---\nb: 2\n").unwrap_err().code,
            ErrorCode::MultipleDocuments
        );
        let syntax = parse_value("kind: risk\ntitle: \"open\n").unwrap_err();
        assert_eq!(syntax.code, ErrorCode::YamlSyntax);
        assert_eq!(syntax.position.line, 2);
    }
}

#[cfg(test)]
mod agrees_with_the_simple_reader {
    //! The simple reader (`simple_yaml`) gives the general parser's values, or none.
    use super::parse_general;
    use crate::records::simple_yaml::{locate_for, parse};
    use proptest::prelude::*;

    /// What the general parser makes of `text`, when it reads it.
    fn general(text: &str) -> Option<serde_json::Value> {
        parse_general(text).ok()
    }

    fn agrees(text: &str) {
        if let Some(fast) = parse(text) {
            assert_eq!(
                Some(&fast),
                general(text).as_ref(),
                "the simple reader and the general parser differ on:\n{text}"
            );
        }
        let general = super::Locator::index_general(text, &[]);
        // Each node looked for alone, the read stopping as soon as it can: placed as when
        // the whole document is read, even where the rest is beyond the simple reader.
        // (Only documents that parse are ever located.)
        let parses = parse_general(text).is_ok();
        for node in general.nodes.iter().filter(|_| parses) {
            if let Some(nodes) = locate_for(text, &[&node.pointer]) {
                let found = nodes.iter().find(|n| n.pointer == node.pointer);
                assert_eq!(
                    found.map(|n| (n.key, n.value, n.bytes)),
                    Some((node.key, node.value, node.bytes)),
                    "{} is placed differently when looked for alone in:\n{text}",
                    node.pointer
                );
            }
        }
        // Several looked for at once, one of them missing (placed at its nearest ancestor),
        // as findings look for them: placed as the general parser places them.
        for node in general.nodes.iter().filter(|_| parses) {
            let missing = format!("{}/missing", node.pointer);
            let wanted = [node.pointer.as_str(), missing.as_str(), "/absent"];
            let fast = super::Locator::new_for(text, &wanted);
            for pointer in wanted {
                assert_eq!(
                    (fast.locate(pointer), fast.locate_key(pointer)),
                    (general.locate(pointer), general.locate_key(pointer)),
                    "{pointer} is placed differently among {wanted:?} in:\n{text}"
                );
            }
        }
        if let Some(nodes) = locate_for(text, &[]) {
            let placed: Vec<_> = nodes
                .iter()
                .map(|n| (n.pointer.as_str(), n.key, n.value, n.bytes))
                .collect();
            let expected: Vec<_> = general
                .nodes
                .iter()
                .map(|n| (n.pointer.as_str(), n.key, n.value, n.bytes))
                .collect();
            assert_eq!(
                placed, expected,
                "the two place nodes differently in:\n{text}"
            );
        }
    }

    #[test]
    fn reads_a_record_as_the_general_parser_does() {
        let text = "kind: risk\nid: R-001\ntitle: Laptop theft # lost\ndescription: >-\n  Cause and\n  event.\n\n  More.\nnotes: |\n  one\n    two\n\n  three\n\ninherent: {likelihood: 2, impact: 4}\ncontrols:\n  - Full-disk encryption\n  - 'It''s #1'\nactions:\n- id: A-1\n  due: 2026-11-23\n  risks: [R-1, \"R-2\"]\n  done_on:\nempty: []\nnone: {}\nq: \"a \\\"b\\\" \\u00e9\"\nm: -12\nurl: https://example.com/a#b\n";
        let fast = parse(text).expect("the simple subset");
        assert_eq!(Some(fast), general(text));
    }

    /// Found by review: a merge key's `<<` as a value, an implicit key past YAML's 1024
    /// characters, and block scalars whose span runs into the next, indented, line.
    #[test]
    fn agrees_where_review_found_traps() {
        let long = "k".repeat(1100);
        for text in [
            "a: <<\n".to_owned(),
            "a: [<<]\n".to_owned(),
            "a: {b: <<}\n".to_owned(),
            "a:\n  - <<\n".to_owned(),
            format!("a: 1\n{long}: 2\n"),
            format!("k:\n- {long}: 1\n"),
            format!("a: {{{long}: 1}}\n"),
            "k:\n  a: |\n    x\n  b: 1\n".to_owned(),
            "a:\n  - |\n    x\n  - y\n".to_owned(),
            "a: |\n  x\n # c\nb: 1\n".to_owned(),
            // Looked for alone, a plain scalar that runs on to the next line.
            "a: b\n  c\nd: 1\n".to_owned(),
            "k:\n  - b\n    c\n  - d\n".to_owned(),
            "k:\n  x: b\n   c\n  y: 1\nz: &a 2\n".to_owned(),
            "k:\n  a: >-\n      x\n      y\n  b: 1\nc: 2\n".to_owned(),
            "a: |\n  x".to_owned(),
        ] {
            agrees(&text);
        }
        assert_eq!(parse("a: <<\n"), None);
    }

    /// Keys are put in order by their first eight bytes before the rest: keys that share
    /// eight or more, keys that begin others, keys in every order, nested and in flow.
    #[test]
    fn orders_keys_as_the_general_parser_does() {
        let keys = [
            "last_reviewed_by",
            "last_reviewed",
            "last_rev",
            "last_re",
            "last",
            "a",
            "last_reviewed_on",
            "_z",
            "Z-9",
        ];
        let block: String = keys.iter().map(|k| format!("{k}: 1\n")).collect();
        let reversed: String = keys.iter().rev().map(|k| format!("{k}: 2\n")).collect();
        let flow = keys.map(|k| format!("{k}: 3")).join(", ");
        for text in [
            block.clone(),
            reversed,
            format!("top:\n  - {}", block.replace('\n', "\n    ")),
            format!("f: {{{flow}}}\n"),
        ] {
            assert!(parse(&text).is_some(), "not in the subset:\n{text}");
            agrees(&text);
        }
        assert_eq!(
            parse(&format!("{block}last_re: 2\n")),
            None,
            "a repeated key"
        );
    }

    /// A mapping of thousands of keys: its keys are looked up in a set past the first few,
    /// and a repeat is still refused, in block and flow mappings, building and locating.
    #[test]
    fn a_mapping_of_many_keys_is_read_and_a_repeat_refused() {
        let mapping = |n: usize| {
            let keys: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
            let block: String = keys.iter().map(|k| format!("{k}: 1\n")).collect();
            let pairs: Vec<String> = keys.iter().map(|k| format!("{k}: 1")).collect();
            (block, format!("f: {{{}}}\n", pairs.join(", ")))
        };
        // Each node is also placed alone by both parsers: a few hundred keys, not thousands.
        let (block, flow) = mapping(200);
        for text in [&block, &flow] {
            assert!(parse(text).is_some(), "not in the subset");
            agrees(text);
        }
        let (block, flow) = mapping(3000);
        assert_eq!(parse(&block), general(&block));
        for (text, repeated) in [
            (format!("{block}k2999: 2\n"), "the last key"),
            (format!("{block}k40: 2\n"), "a key past the first few"),
            (format!("{block}k0: 2\n"), "the first key"),
            (flow.replace('}', ", k7: 2}"), "a key in flow"),
        ] {
            assert_eq!(parse(&text), None, "{repeated} written twice");
            assert_eq!(
                locate_for(&text, &[]),
                None,
                "{repeated} written twice, locating"
            );
        }
    }

    #[test]
    fn every_example_record_is_in_the_subset_and_agrees() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut read = 0;
        for path in yaml_files(&root) {
            let text = std::fs::read_to_string(&path).unwrap();
            if path.to_string_lossy().contains("/assurance/") {
                assert!(
                    parse(&text).is_some(),
                    "{} is not in the subset",
                    path.display()
                );
                read += 1;
            }
            agrees(&text);
        }
        assert!(read > 10, "found only {read} example records");
    }

    fn yaml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(yaml_files(&path));
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
        out
    }

    /// Scalars chosen for YAML's traps: numbers, booleans of every YAML, indicators, quotes,
    /// comments and colons in odd places.
    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            2 => prop::sample::select(vec![
                "0", "-0", "00", "07", "12", "-3", "+4", "1.0", "1e3", ".5", "0x1A", "0o17",
                "1_000", "2026-11-28", "2026-1-2", "2026-11-28T10:00:00Z", "10:30", "true",
                "false", "True", "FALSE", "yes", "No", "on", "OFF", "y", "n", "null", "Null",
                "~", "nan", ".NaN", "inf", "-.inf", "R-001", "P3M", "a#b", "a #b", "a:b",
                "a: b", "a:", "-a", "- a", "?a", ":a", "%a", "@a", "`a", "!a", "&a", "*a",
                "|", ">", "[a]", "{a: 1}", "'a'", "\"a\"", "'it''s'", "\"a\\\"b\"",
                "\"\\u00e9\"", "\"\\x41\"", "\"\\q\"", "a  b", "é", "/etc/x", "(a)", "$a",
                "<a>", "=", "^a", "a,b", "a]b", "a}", "MODNET > Strategy",
                "https://x.y/z#q", "'a' b", "\"a\"#c", "\"a\" #c", "9999999999999999999",
                "-9223372036854775808", "123456789012345678", "2026-09-14-self", "1st", "12abc",
                "0b101", "3rd-party", "0xZZ", "1:30", "1_0", "2e", "0x", "12 34",
                // Characters the simple reader leaves to the general parser, which a
                // locating read may stop before.
                "\"a\tb\"", "'a\tb'", "a\u{85}b", "\"\u{2028}\"", "a\u{feff}", "\u{fdd0}",
            ])
            .prop_map(str::to_owned),
            1 => "[a-zA-Z0-9 :#'\"\\[\\]{},.-]{1,12}",
            2 => "[A-Za-z][A-Za-z0-9 ,.()/>-]{0,20}[A-Za-z0-9]",
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            1 => prop::sample::select(vec!["yes", "on", "n", "True", "1a", "a b", "'q'"])
                .prop_map(str::to_owned),
            6 => "[a-z_][a-z0-9_-]{0,6}",
        ]
    }

    /// A document of block and flow collections, scalars and block scalars, with indents
    /// chosen to be sometimes wrong.
    fn document() -> impl Strategy<Value = String> {
        let entry = (
            key(),
            prop_oneof![
                scalar().prop_map(|s| format!(" {s}")),
                prop::collection::vec(scalar(), 0..4).prop_map(|v| format!(" [{}]", v.join(", "))),
                prop::collection::vec((key(), scalar()), 0..3).prop_map(|v| format!(
                    " {{{}}}",
                    v.iter()
                        .map(|(k, s)| format!("{k}: {s}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                (
                    prop::sample::select(vec!["|", "|-", ">", ">-", "|+", ">2"]),
                    prop::collection::vec(
                        prop_oneof![
                            Just(String::new()),
                            scalar(),
                            scalar().prop_map(|s| format!("  {s}"))
                        ],
                        1..4
                    ),
                    1usize..4
                )
                    .prop_map(|(h, lines, n)| {
                        let pad = " ".repeat(n);
                        format!(
                            " {h}\n{}",
                            lines
                                .iter()
                                .map(|l| format!("{pad}{l}"))
                                .collect::<Vec<_>>()
                                .join("\n")
                        )
                    }),
                (prop::collection::vec(scalar(), 1..3), 0usize..3).prop_map(|(v, n)| {
                    let pad = " ".repeat(n);
                    format!(
                        "\n{}",
                        v.iter()
                            .map(|s| format!("{pad}- {s}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    )
                }),
                (prop::collection::vec((key(), scalar()), 1..3), 0usize..3).prop_map(|(v, n)| {
                    let pad = " ".repeat(n);
                    let mut out = String::from("\n");
                    for (i, (k, s)) in v.iter().enumerate() {
                        let lead = if i == 0 {
                            format!("{pad}- ")
                        } else {
                            format!("{pad}  ")
                        };
                        out.push_str(&format!("{lead}{k}: {s}\n"));
                    }
                    out.trim_end().to_owned()
                }),
                (
                    prop::sample::select(vec!["|", "|-", ">", ">-"]),
                    scalar(),
                    1usize..4,
                    0usize..3
                )
                    .prop_map(|(h, line, n, sibling)| {
                        let pad = " ".repeat(2 + n);
                        format!("\n  x: {h}\n{pad}{line}\n{}y: 1", " ".repeat(sibling))
                    }),
                Just(String::new()),
                Just(" # a comment".to_owned()),
                // Document markers and directives, mid-document.
                prop::sample::select(vec!["\n---", "\n...", "\n%YAML 1.2", "\n--- # c"])
                    .prop_map(|marker| format!(" 1{marker}")),
            ],
        )
            .prop_map(|(k, v)| format!("{k}:{v}"));
        prop::collection::vec(entry, 1..6).prop_map(|entries| entries.join("\n") + "\n")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn agrees_with_the_general_parser(text in document()) {
            agrees(&text);
        }

        #[test]
        fn agrees_on_single_scalars(s in scalar()) {
            agrees(&format!("a: {s}\n"));
            agrees(&format!("a: [{s}]\n"));
            agrees(&format!("a: {{b: {s}}}\n"));
            agrees(&format!("a:\n  - {s}\n"));
        }
    }
}
