//! A fast reader for the YAML records are written in: block mappings and sequences, one-line
//! flow collections, plain and quoted one-line scalars, and `|` and `>` block scalars.
//!
//! It reads only what it is sure of and gives `None` for anything else (anchors, tags,
//! multi-line plain or quoted scalars, numbers other than whole ones, words YAML 1.1 read as
//! booleans, odd indentation, and every error), so the general parser (`yaml::parse_value`)
//! reads the file instead: the values are always the general parser's, and so are the errors
//! and their positions. A differential test holds the two to the same values on every example
//! record and on generated documents full of YAML's traps.
//!
//! Most of the time `check` spends on a large repository was the general parser's; this reads
//! the same records several times faster.

use serde_json::{Number, Value};

use crate::finding::Position;
use crate::hash::HashSet;

/// Deeper than records go; the general parser enforces the real limit.
const MAX_DEPTH: usize = 16;
/// Far fewer than the general parser's budget, so a document it would refuse is never read here.
const MAX_NODES: usize = 20_000;

/// The value of `text`, if it is written in the simple subset; `None` to ask the general parser.
pub fn parse(text: &str) -> Option<Value> {
    read(text, None).map(|(value, _)| value)
}

/// One node of a document and where it is, as the general parser's events place it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub pointer: String,
    /// Where its key is, in a mapping.
    pub key: Option<Position>,
    pub value: Position,
    /// The byte range of a scalar's source text.
    pub bytes: Option<(usize, usize)>,
}

/// Every node of `text` in document order, with its position, if it is written in the part
/// of the subset whose positions are known to match the general parser's (not empty values);
/// or, when `wanted` names some, only those and their ancestors (the fallback of one that is
/// missing), read as far as the last of them. Reading stops at the first line after the last
/// node wanted that is not more indented than it, where nothing further can change where that
/// node is or how far it runs; it runs to the end when one is missing.
pub fn locate_for(text: &str, wanted: &[&str]) -> Option<Vec<Node>> {
    let wanted = Wanted {
        pointers: wanted,
        found: 0,
        stop_after: None,
        stopped: false,
    };
    read(text, Some(wanted)).map(|(_, nodes)| nodes)
}

/// The nodes a locating read looks for, and how far it has got.
struct Wanted<'w> {
    pointers: &'w [&'w str],
    found: usize,
    /// Once every one is found: the line and indent of the last, to read past.
    stop_after: Option<(usize, usize)>,
    stopped: bool,
}

impl Wanted<'_> {
    /// Note the node at `pointer`, on `line` (indented `indent`), as read.
    fn placed(&mut self, pointer: &str, line: usize, indent: usize) {
        let times = self.pointers.iter().filter(|p| **p == pointer).count();
        if times > 0 {
            self.found += times;
            if self.found == self.pointers.len() {
                self.stop_after = Some((line, indent));
            }
        }
    }

    /// Whether the node at `pointer` is to be kept: one looked for, or an ancestor of one (where
    /// a node looked for is missing, its nearest ancestor is placed instead); every node when
    /// none is looked for in particular.
    fn keeps(&self, pointer: &str) -> bool {
        self.pointers.is_empty()
            || self.pointers.iter().any(|p| {
                p.strip_prefix(pointer)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
    }

    /// Whether reading may stop before `line`, which starts a node at `indent`.
    fn stops_before(&mut self, line: usize, indent: usize) -> bool {
        if let Some((last, last_indent)) = self.stop_after
            && line > last
            && indent <= last_indent
        {
            self.stopped = true;
        }
        self.stopped
    }
}

fn read<'t>(text: &'t str, locating: Option<Wanted<'t>>) -> Option<(Value, Vec<Node>)> {
    let (lines, refused) = split_lines(text);
    let mut reader = Reader {
        text,
        lines,
        refused,
        at: 0,
        keys: Vec::with_capacity(32),
        nodes: 0,
        located: locating.as_ref().map(|_| Vec::new()),
        wanted: locating,
        pointer: String::new(),
        key: None,
    };
    reader.skip_blank();
    if reader.peek()?.indent != 0 {
        return None;
    }
    let value = reader.mapping(0, 1)?;
    reader.skip_blank();
    let stopped = reader.wanted.as_ref().is_some_and(|w| w.stopped);
    let finished = reader.peek().is_none() && !reader.refused;
    (stopped || finished).then(|| (value, reader.located.unwrap_or_default()))
}

/// The lines of `text`, split where `str::split('\n')` would, up to the first the general
/// parser must read (a character not printed as itself, a document marker or a directive);
/// and whether there was one: then the text ends there for this reader.
fn split_lines(text: &str) -> (Vec<Line<'_>>, bool) {
    // Records run to about thirty lines.
    let mut lines = Vec::with_capacity(32);
    // Most texts are plain ASCII throughout: then no line needs a closer look.
    let plain = text.as_bytes().iter().fold(true, |all, &b| {
        all & ((b.wrapping_sub(0x20) < 0x5F) | (b == b'\n'))
    });
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for end in ends {
        let raw = &text[start..end];
        if !(plain || printable(raw))
            || raw.starts_with("---")
            || raw.starts_with("...")
            || raw.starts_with('%')
        {
            return (lines, true);
        }
        lines.push(Line::new(raw, start));
        start = end + 1;
    }
    (lines, false)
}

/// Whether every character is one YAML prints as itself: no tabs or other controls, no C1
/// controls or line separators YAML 1.1 read as breaks, no byte-order marks or non-characters.
fn printable(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Most lines are ASCII: all of it is looked at at once, without stopping early.
    if bytes
        .iter()
        .fold(true, |all, b| all & (b.wrapping_sub(0x20) < 0x5F))
    {
        return true;
    }
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' | 0x20..=0x7E => {}
            0x00..=0x1F | 0x7F => return false,
            0xC2 if matches!(bytes.get(i + 1), Some(0x80..=0x9F)) => return false,
            0xE2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                return false;
            }
            0xEF if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))
            ) =>
            {
                return false;
            }
            _ => {}
        }
    }
    true
}

#[derive(Clone, Copy)]
struct Line<'t> {
    /// Leading spaces.
    indent: usize,
    /// After the indent, without trailing spaces.
    content: &'t str,
    /// The whole line.
    raw: &'t str,
    /// Where it starts in the text, in bytes.
    start: usize,
}

impl<'t> Line<'t> {
    fn new(raw: &'t str, start: usize) -> Line<'t> {
        let content = raw.trim_start_matches(' ');
        Line {
            indent: raw.len() - content.len(),
            content: content.trim_end_matches(' '),
            raw,
            start,
        }
    }

    /// Blank, or a comment alone.
    fn is_blank(&self) -> bool {
        self.content.is_empty() || self.content.starts_with('#')
    }
}

struct Reader<'t> {
    text: &'t str,
    /// The lines, as far as the first that is the general parser's to read.
    lines: Vec<Line<'t>>,
    /// A line holds what is the general parser's to read: then the text ends there, and the
    /// whole read gives `None` unless it stopped before.
    refused: bool,
    /// The next line to read.
    at: usize,
    /// The keys of the mappings being read, innermost last.
    keys: Vec<Key<'t>>,
    nodes: usize,
    /// With `locate`: every node read so far, with where it is.
    located: Option<Vec<Node>>,
    /// With `locate`: the nodes it asks for.
    wanted: Option<Wanted<'t>>,
    /// The pointer of the node being read.
    pointer: String,
    /// The key of the next node read, and its line: placed only if the node is kept.
    key: Option<(&'t str, usize)>,
}

impl<'t> Reader<'t> {
    /// Note the node at the pointer being read, written as `source` (a slice of the text) on
    /// line `line` (from 0); a collection is placed at its first character, width 1.
    fn place(&mut self, source: &str, line: usize, scalar: bool) {
        if self.located.is_none() {
            return;
        }
        let key = self.key.take();
        if let Some(wanted) = &mut self.wanted {
            wanted.placed(&self.pointer, line, self.lines[line].indent);
            if !wanted.keeps(&self.pointer) {
                return;
            }
        }
        let width = if scalar {
            source.chars().count().max(1)
        } else {
            1
        };
        let (value, offset) = self.position(source, line, width);
        let node = Node {
            pointer: self.pointer.clone(),
            key: key.map(|(key, line)| self.position(key, line, key.chars().count()).0),
            value,
            bytes: scalar.then_some((offset, offset + source.len())),
        };
        if let Some(located) = &mut self.located {
            located.push(node);
        }
    }

    /// Where `key` (a slice of line `line`) is.
    fn key_at(&mut self, key: &'t str, line: usize) {
        if self.located.is_some() {
            self.key = Some((key, line));
        }
    }

    /// Where `source`, a slice of line `line` (from 0), starts, `width` characters wide; and
    /// its offset in the text.
    fn position(&self, source: &str, line: usize, width: usize) -> (Position, usize) {
        let offset = source.as_ptr() as usize - self.text.as_ptr() as usize;
        let start = self.lines[line].start;
        let position = Position {
            line: line as u32 + 1,
            column: self.text[start..offset].chars().count() as u32 + 1,
            width: width as u32,
        };
        (position, offset)
    }

    /// Locating, step into `segment` of the pointer; the pointer's length before, to return
    /// to with `truncate`.
    fn enter(&mut self, segment: Segment<'_>) -> usize {
        let len = self.pointer.len();
        if self.located.is_some() {
            self.pointer.push('/');
            match segment {
                // Plain keys hold nothing a pointer escapes.
                Segment::Key(key) => self.pointer.push_str(key),
                Segment::Index(i @ 0..10) => self.pointer.push(char::from(b'0' + i as u8)),
                Segment::Index(i) => self.pointer.push_str(&i.to_string()),
            }
        }
        len
    }

    /// The next line of a collection at `indent`: `Some(None)` when the collection ends (a
    /// line less indented, or the end of the text), `None` for a line more indented than
    /// anything there can be.
    fn next_in(&mut self, indent: usize) -> Option<Option<Line<'t>>> {
        self.skip_blank();
        let next = self.peek();
        if let (Some(wanted), Some(line)) = (&mut self.wanted, next)
            && wanted.stops_before(self.at, line.indent)
        {
            return Some(None);
        }
        match next {
            Some(line) if line.indent > indent => None,
            Some(line) if line.indent == indent => Some(Some(line)),
            _ => Some(None),
        }
    }

    /// Locating, a node whose place is not known to match the general parser's: give up.
    fn unsure(&self) -> Option<()> {
        self.located.is_none().then_some(())
    }

    /// Whether values are built: a locating read needs only where nodes are.
    fn building(&self) -> bool {
        self.located.is_none()
    }

    /// A mapping begins.
    fn keys(&self) -> Keys<'t> {
        Keys {
            start: self.keys.len(),
            seen: None,
        }
    }

    /// Whether `map` already has `key`; if not, `key` is noted as the next one read.
    fn repeats(&self, map: &mut Keys<'t>, key: &'t str) -> bool {
        let keys = &self.keys[map.start..];
        if map.seen.is_none() && keys.len() < KEYS_LOOKED_THROUGH {
            return keys.iter().any(|k| k.name == key);
        }
        let seen = map
            .seen
            .get_or_insert_with(|| keys.iter().map(|k| k.name).collect());
        !seen.insert(key)
    }

    fn add_key(&mut self, key: &'t str, value: Value) {
        self.keys.push(Key::new(key, value));
    }

    /// The mapping `map`, its keys all read.
    fn mapping_value(&mut self, map: Keys<'t>) -> Value {
        if !self.building() {
            self.keys.truncate(map.start);
            return Value::Null;
        }
        // A map built from keys in order is built in one pass, where putting each key in as
        // it comes compares it with many of the others. Keys are unique (`repeats`).
        self.keys[map.start..].sort_unstable_by(|a, b| (a.order, a.name).cmp(&(b.order, b.name)));
        let pairs = self.keys.drain(map.start..);
        Value::Object(pairs.map(|k| (k.name.to_owned(), k.value)).collect())
    }

    fn peek(&self) -> Option<Line<'t>> {
        self.lines.get(self.at).copied()
    }

    fn skip_blank(&mut self) {
        while self.peek().is_some_and(|l| l.is_blank()) {
            self.at += 1;
        }
    }

    fn node(&mut self, depth: usize) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES && depth <= MAX_DEPTH).then_some(())
    }

    /// The collection whose first line is the next, at `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Value> {
        match self.peek() {
            Some(line) if is_dash(line.content) => self.sequence(indent, depth),
            _ => self.mapping(indent, depth),
        }
    }

    fn mapping(&mut self, indent: usize, depth: usize) -> Option<Value> {
        self.node(depth)?;
        if let Some(first) = self.peek() {
            self.place(first.content, self.at, false);
        }
        let mut map = self.keys();
        while let Some(line) = self.next_in(indent)? {
            let (key, rest) = split_key(line.content)?;
            if self.repeats(&mut map, key) {
                return None;
            }
            self.key_at(key, self.at);
            let len = self.enter(Segment::Key(key));
            self.at += 1;
            let value = self.value_after(rest, indent, depth + 1)?;
            self.pointer.truncate(len);
            self.add_key(key, value);
        }
        Some(self.mapping_value(map))
    }

    /// The value of a mapping key at `indent`, given what follows its colon.
    fn value_after(&mut self, rest: &'t str, indent: usize, depth: usize) -> Option<Value> {
        let rest = rest.trim_start_matches(' ');
        if !(rest.is_empty() || rest.starts_with('#')) {
            return self.inline(rest, indent, depth);
        }
        self.skip_blank();
        match self.peek() {
            Some(line) if line.indent > indent => self.block(line.indent, depth),
            // A sequence may sit at its key's own indent.
            Some(line) if line.indent == indent && is_dash(line.content) => {
                // Placed, by the general parser, where its first item starts.
                let first = line.content[1..].trim_start_matches(' ');
                if first.is_empty() || first.starts_with('#') {
                    self.unsure()?;
                }
                self.place(first, self.at, false);
                self.sequence_items(indent, depth)
            }
            _ => {
                self.unsure()?;
                self.node(depth).map(|()| Value::Null)
            }
        }
    }

    /// A sequence whose dashes are more indented than its key, placed at its first dash.
    fn sequence(&mut self, indent: usize, depth: usize) -> Option<Value> {
        if let Some(first) = self.peek() {
            self.place(first.content, self.at, false);
        }
        self.sequence_items(indent, depth)
    }

    fn sequence_items(&mut self, indent: usize, depth: usize) -> Option<Value> {
        self.node(depth)?;
        let mut items = Items::new(self.building());
        while let Some(line) = self.next_in(indent)? {
            if !is_dash(line.content) {
                // A key of the mapping this sequence is a value in.
                break;
            }
            let after = &line.content[1..];
            let rest = after.trim_start_matches(' ');
            let len = self.enter(Segment::Index(items.len()));
            if rest.is_empty() || rest.starts_with('#') {
                self.unsure()?;
                self.at += 1;
                self.skip_blank();
                let item = match self.peek() {
                    Some(next) if next.indent > indent => self.block(next.indent, depth + 1)?,
                    _ => self.node(depth + 1).map(|()| Value::Null)?,
                };
                items.push(item);
            } else if is_dash(rest) {
                return None;
            } else if split_key(rest).is_some() {
                // A mapping begun on the dash's line: read it at its first key's column.
                let column = indent + 1 + (after.len() - rest.len());
                self.lines[self.at] = Line {
                    indent: column,
                    content: rest,
                    ..line
                };
                items.push(self.mapping(column, depth + 1)?);
            } else {
                self.at += 1;
                items.push(self.inline(rest, indent, depth + 1)?);
            }
            self.pointer.truncate(len);
        }
        Some(items.value())
    }

    /// A value written on its key's (or dash's) line; `parent` is the indent of the
    /// collection it belongs to. The line itself is already read.
    fn inline(&mut self, text: &'t str, parent: usize, depth: usize) -> Option<Value> {
        self.node(depth)?;
        let line = self.at - 1;
        match text.as_bytes()[0] {
            b'|' | b'>' => self.block_scalar(text, parent),
            b'[' | b'{' => {
                let (value, after) = self.flow(text, line, depth)?;
                ends_line(after).then_some(value)
            }
            b'"' | b'\'' => {
                let (value, after) = quoted(text)?;
                self.place(&text[..text.len() - after.len()], line, true);
                ends_line(after).then_some(Value::String(value))
            }
            _ => {
                // `a: b: c` is an error, and a trailing colon makes a mapping.
                let value = plain_value(text)?;
                self.place(value, line, true);
                resolve(value, self.building())
            }
        }
    }

    /// `|`, `|-`, `>` or `>-`, its lines below, more indented than `parent`.
    fn block_scalar(&mut self, header: &str, parent: usize) -> Option<Value> {
        let header = before_comment(header);
        let (folded, strip) = match header {
            "|" => (false, false),
            "|-" => (false, true),
            ">" => (true, false),
            ">-" => (true, true),
            _ => return None,
        };
        let first = self.peek()?;
        if first.content.is_empty() || first.indent <= parent {
            return None;
        }
        let indent = first.indent;
        let first_line = self.at;
        let mut lines: Vec<&str> = Vec::new();
        while let Some(line) = self.peek() {
            if line.content.is_empty() {
                // Spaces beyond the indent would be content; leave that to the general parser.
                if line.raw.len() > indent {
                    return None;
                }
                lines.push("");
            } else if line.indent < indent {
                break;
            } else {
                lines.push(&line.raw[indent..]);
            }
            self.at += 1;
        }
        let written = lines.len();
        while lines.last() == Some(&"") {
            lines.pop();
        }
        if lines.len() < written {
            // Where the general parser ends a scalar with blank lines after it: not known.
            self.unsure()?;
        }
        if self.located.is_some() {
            // From its first character past its last line's break, and as far into the next
            // line as the general parser reads looking for more of it: up to its indent.
            let from = self.lines[first_line].start + indent;
            let last = &self.lines[first_line + lines.len() - 1];
            let next = (last.start + last.raw.len() + 1).min(self.text.len());
            let to = match self.lines.get(first_line + lines.len()) {
                Some(after) => next + after.indent.min(indent),
                None => next,
            };
            let source = &self.text[from..to];
            self.place(source, first_line, true);
        }
        // More-indented lines keep their breaks when folded: the general parser's rules.
        if folded && lines.iter().any(|l| l.starts_with(' ')) {
            return None;
        }
        if !self.building() {
            return Some(Value::Null);
        }
        let mut text = String::new();
        if folded {
            let mut breaks = 0;
            for (i, line) in lines.iter().enumerate() {
                if line.is_empty() {
                    breaks += 1;
                    continue;
                }
                if i > 0 {
                    if breaks == 0 {
                        text.push(' ');
                    }
                    text.extend(std::iter::repeat_n('\n', breaks));
                }
                breaks = 0;
                text.push_str(line);
            }
        } else {
            text = lines.join("\n");
        }
        if !strip {
            text.push('\n');
        }
        Some(Value::String(text))
    }
}

/// A step into a collection, in a JSON pointer.
enum Segment<'k> {
    Key(&'k str),
    Index(usize),
}

/// A mapping being read: its keys so far are those on the reader's stack of keys from
/// `start` on; past `KEYS_LOOKED_THROUGH` of them, also in a set, so that a mapping of
/// thousands of keys is not looked through once for each.
struct Keys<'t> {
    start: usize,
    seen: Option<HashSet<&'t str>>,
}

/// How many keys a mapping may have before a new one is looked up in a set, not compared
/// with each: records have a few dozen at most.
const KEYS_LOOKED_THROUGH: usize = 32;

/// A key read, with its value.
struct Key<'t> {
    /// Its first eight bytes, in an order that sorts as the key does: keys are compared by
    /// this first, without a call to compare the strings.
    order: u64,
    name: &'t str,
    value: Value,
}

impl<'t> Key<'t> {
    fn new(name: &'t str, value: Value) -> Key<'t> {
        Key {
            order: crate::text::sort_prefix(name.as_bytes()),
            name,
            value,
        }
    }
}

/// A sequence's items as read, when they are built; else only how many.
enum Items {
    Built(Vec<Value>),
    Counted(usize),
}

impl Items {
    fn new(build: bool) -> Items {
        if build {
            Items::Built(Vec::new())
        } else {
            Items::Counted(0)
        }
    }

    fn len(&self) -> usize {
        match self {
            Items::Built(items) => items.len(),
            Items::Counted(n) => *n,
        }
    }

    fn push(&mut self, item: Value) {
        match self {
            Items::Built(items) => items.push(item),
            Items::Counted(n) => *n += 1,
        }
    }

    fn value(self) -> Value {
        match self {
            Items::Built(items) => Value::Array(items),
            Items::Counted(_) => Value::Null,
        }
    }
}

/// A value written on its line, without the comment that follows it.
fn before_comment(text: &str) -> &str {
    match comment_at(text) {
        Some(comment) => text[..comment].trim_end_matches(' '),
        None => text,
    }
}

/// Where ` #` (a comment after a value) is in `text`. Searching for the `#` alone first is
/// far quicker than for the pair, and values rarely hold one.
fn comment_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes)
        .find(|&at| at > 0 && bytes[at - 1] == b' ')
        .map(|at| at - 1)
}

/// A plain value written on its line (`text`, after its key or dash): the text before a
/// comment after it; `None` where that holds `: ` or ends with `:`, which would make it a key.
/// One look for both, as values rarely hold either.
fn plain_value(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    for at in memchr::memchr2_iter(b'#', b':', bytes) {
        if bytes[at] == b':' {
            if matches!(bytes.get(at + 1), None | Some(b' ')) {
                return None;
            }
        } else if at > 0 && bytes[at - 1] == b' ' {
            return Some(text[..at - 1].trim_end_matches(' '));
        }
    }
    Some(text)
}

/// `-` alone, or `- ` and an item.
fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Whether what follows a value on its line is nothing, or a comment.
fn ends_line(after: &str) -> bool {
    after.is_empty() || (after.starts_with(' ') && ends_line_trimmed(after.trim_start_matches(' ')))
}

fn ends_line_trimmed(after: &str) -> bool {
    after.is_empty() || after.starts_with('#')
}

/// `key: rest` with a plain key of letters, digits, `_` and `-`, starting with a letter or
/// `_`, that is not a word YAML could read as something other than its text.
fn split_key(content: &str) -> Option<(&str, &str)> {
    // The key's characters are the only ones a plain key has: the first other is its colon.
    let colon = content.bytes().position(|b| !is_key_byte(b))?;
    let (key, rest) = (&content[..colon], content[colon..].strip_prefix(':')?);
    if !(rest.is_empty() || rest.starts_with(' ')) || !plain_key_of_key_bytes(key) {
        return None;
    }
    Some((key, rest))
}

fn plain_key(key: &str) -> bool {
    key.bytes().all(is_key_byte) && plain_key_of_key_bytes(key)
}

/// `plain_key` for a key known to hold only letters, digits, `_` and `-`.
fn plain_key_of_key_bytes(key: &str) -> bool {
    // YAML allows an implicit key of at most 1024 characters.
    key.len() <= 1000
        && key
            .as_bytes()
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && !special_word(key)
}

/// A letter, digit, `_` or `-`: looked up in a table, as every byte of every key is asked
/// (the comparisons cost `check` 2% more work).
fn is_key_byte(b: u8) -> bool {
    const KEY_BYTES: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
            b += 1;
        }
        table
    };
    KEY_BYTES[b as usize]
}

/// Words some YAML reads as booleans, nulls or numbers, in any case.
fn special_word(word: &str) -> bool {
    // By length first: every key and most values are asked.
    let words: &[&str] = match word.len() {
        1 => &["y", "n"],
        2 => &["no", "on"],
        3 => &["yes", "off", "nan", "inf"],
        4 => &["true", "null"],
        5 => &["false"],
        8 => &["infinity"],
        _ => &[],
    };
    words.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// A plain scalar's value: whole numbers, `true`, `false`, `null`, `~`, dates as text, text
/// that starts with a letter, and text starting with a digit that no number could be; `None`
/// for anything else.
fn resolve(text: &str, build: bool) -> Option<Value> {
    let string = || {
        if build {
            Value::String(text.to_owned())
        } else {
            Value::Null
        }
    };
    match text {
        "" => return None,
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        "null" | "~" => return Some(Value::Null),
        _ => {}
    }
    let first = text.chars().next()?;
    if first.is_ascii_digit() || first == '-' {
        if is_date(text) {
            return Some(string());
        }
        let digits = text.strip_prefix('-').unwrap_or(text);
        let whole = !digits.is_empty()
            && digits.len() <= 18
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        if !whole || text == "-0" {
            // Text that no YAML number could be (`2026-09-14-self`, `3rd`) is text.
            let numeric = |c: char| c.is_ascii_hexdigit() || "xXoObB._+-:".contains(c);
            return (first != '-' && !text.chars().all(numeric)).then(string);
        }
        let n: i64 = text.parse().ok()?;
        return Some(Value::Number(Number::from(n)));
    }
    // `<<` is a merge key's, refused by the general parser wherever it stands.
    if text.starts_with("<<") {
        return None;
    }
    let starts_well = first.is_ascii_alphabetic()
        || matches!(first, '/' | '_' | '(' | '$' | '<' | '=' | '^')
        || !first.is_ascii();
    (starts_well && !special_word(text)).then(string)
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A quoted scalar at the start of `text`, closed on this line, and what follows it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let quote = text.as_bytes()[0];
    let body = &text[1..];
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (b'\'', '\'') => {
                if body[i + 1..].starts_with('\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    return Some((out, &body[i + 1..]));
                }
            }
            (b'"', '"') => return Some((out, &body[i + 1..])),
            (b'"', '\\') => {
                let (_, escape) = chars.next()?;
                out.push(match escape {
                    '\\' => '\\',
                    '"' => '"',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'u' => {
                        let start = i + 2;
                        let hex = body.get(start..start + 4)?;
                        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                            return None;
                        }
                        for _ in 0..4 {
                            chars.next();
                        }
                        let code = u32::from_str_radix(hex, 16).ok()?;
                        if code < 0x20 {
                            return None;
                        }
                        char::from_u32(code)?
                    }
                    _ => return None,
                });
            }
            _ => out.push(c),
        }
    }
    None
}

impl<'t> Reader<'t> {
    /// A flow collection (`[a, b]`, `{k: v}`) at the start of `text` on line `line`, closed
    /// on that line, and what follows it.
    fn flow(&mut self, text: &'t str, line: usize, depth: usize) -> Option<(Value, &'t str)> {
        self.node(depth)?;
        let text = text.trim_start_matches(' ');
        self.place(text, line, false);
        let (open, mut rest) = (text.as_bytes()[0], &text[1..]);
        let close = if open == b'[' { ']' } else { '}' };
        let mut items = Items::new(self.building());
        let mut map = self.keys();
        let finished = |reader: &mut Self, items: Items, map: Keys<'t>| {
            if open == b'[' {
                items.value()
            } else {
                reader.mapping_value(map)
            }
        };
        rest = rest.trim_start_matches(' ');
        if let Some(after) = rest.strip_prefix(close) {
            return Some((finished(self, items, map), after));
        }
        loop {
            let len;
            if open == b'{' {
                let colon = rest.find(':')?;
                let key = rest[..colon].trim_end_matches(' ');
                if !plain_key(key)
                    || self.repeats(&mut map, key)
                    || !rest[colon + 1..].starts_with(' ')
                {
                    return None;
                }
                self.key_at(key, line);
                len = self.enter(Segment::Key(key));
                let (value, after) = self.flow_node(&rest[colon + 1..], line, depth + 1)?;
                self.add_key(key, value);
                rest = after;
            } else {
                len = self.enter(Segment::Index(items.len()));
                let (value, after) = self.flow_node(rest, line, depth + 1)?;
                items.push(value);
                rest = after;
            }
            self.pointer.truncate(len);
            rest = rest.trim_start_matches(' ');
            if let Some(after) = rest.strip_prefix(',') {
                rest = after.trim_start_matches(' ');
                // A trailing comma, or an empty entry: the general parser's to judge.
                if rest.starts_with([',', ']', '}']) || rest.is_empty() {
                    return None;
                }
            } else if let Some(after) = rest.strip_prefix(close) {
                return Some((finished(self, items, map), after));
            } else {
                return None;
            }
        }
    }

    /// One entry's value in a flow collection, and what follows it.
    fn flow_node(&mut self, text: &'t str, line: usize, depth: usize) -> Option<(Value, &'t str)> {
        let text = text.trim_start_matches(' ');
        match text.as_bytes().first()? {
            b'[' | b'{' => self.flow(text, line, depth),
            b'"' | b'\'' => {
                self.node(depth)?;
                let (value, after) = quoted(text)?;
                self.place(&text[..text.len() - after.len()], line, true);
                Some((Value::String(value), after))
            }
            _ => {
                self.node(depth)?;
                let end = text.find([',', ']', '}']).unwrap_or(text.len());
                let value = text[..end].trim_end_matches(' ');
                // A comment, a nested key, or an indicator the general parser reads otherwise.
                if plain_value(value).is_none_or(|v| v.len() < value.len())
                    || value.contains(['[', '{', '"', '\''])
                {
                    return None;
                }
                self.place(value, line, true);
                Some((resolve(value, self.building())?, &text[end..]))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn leaves_everything_else_to_the_general_parser() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "<<: {a: 1}\n",
            "a: 1.5\n",
            "a: 03\n",
            "a: yes\n",
            "a: True\n",
            "a: .inf\n",
            "a: 0x1F\n",
            "a: b: c\n",
            "a: one\n  two\n",
            "a: 'open\n  close'\n",
            "a: [1,\n 2]\n",
            "a: [1, 2,]\n",
            "a: 1\na: 2\n",
            "---\na: 1\n",
            "a:\n\tb: 1\n",
            "\u{feff}a: 1\n",
            "- a\n",
            "a: |2\n   x\n",
            "a: >\n  x\n    y\n",
            "\"a\": 1\n",
            "a: \"\\x41\"\n",
            "  a: 1\n",
            "a:\n  - - 1\n",
            "",
            "# only a comment\n",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
