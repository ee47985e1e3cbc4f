//! Load every record of a repository: read, decode, parse, refuse anything classified above
//! the repository's limit, validate against the schema, type, and check across records.
//! Every problem in every file is reported in one run.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use crate::finding::{ErrorCode, Finding, Location, Position};
use crate::hash::{HashMap, HashSet};
use crate::records::integrity::{self, KnownIds};
use crate::records::model::*;
use crate::records::schema;
use crate::records::signed::Digested;
use crate::records::yaml::{self, Locator};
use crate::records::{Kind, Policy, Record, RecordSet};
use crate::source::{Entry, joined};

/// The outcome of loading: the records that are valid, every problem found, and the text of
/// every file that may be quoted in a report.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: RecordSet,
    /// Record errors, positions resolved, in report order.
    pub problems: Vec<Finding>,
    pub sources: Sources,
    /// How many YAML files were read.
    pub files: usize,
    /// Files that gave no record: unreadable, not valid, or a second record with the same id.
    /// Comparisons leave them out rather than calling their records removed or added.
    pub unread: BTreeSet<String>,
    /// Files marked above plain OFFICIAL (a handling marking, or a higher classification),
    /// valid or not, with their marking.
    pub marked: BTreeMap<String, Marking>,
}

impl Loaded {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// The highest marking of every file read, valid or not.
    pub fn marking(&self) -> Marking {
        let mut marking = Marking::default();
        for m in self.marked.values() {
            marking.merge(m);
        }
        marking
    }
}

/// File texts by path, for quoting source lines in reports. Files refused for their
/// classification are never kept here, so nothing can echo them.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// Keyed by the path the records share, not a copy of it.
    texts: HashMap<Arc<str>, Source>,
}

/// One file's text; for a long one, where each of its lines starts, worked out when a line
/// of it is first asked for: a file of thousands of findings is not read from its start for
/// each.
#[derive(Debug, Clone)]
struct Source {
    text: Arc<str>,
    line_starts: Option<OnceLock<Box<[usize]>>>,
}

/// A text longer than this has its lines indexed (`Source::line_starts`); records run to a
/// few kilobytes.
const LONG_TEXT: usize = 64 * 1024;

impl Sources {
    pub fn text(&self, path: &str) -> Option<&str> {
        self.texts.get(path).map(|s| &*s.text)
    }

    /// Line `line` (1-based) of `path`, without its line ending.
    pub fn line(&self, path: &str, line: u32) -> Option<&str> {
        let Source { text, line_starts } = self.texts.get(path)?;
        let skip = line.checked_sub(1)? as usize;
        let start = match (line_starts, skip) {
            (Some(starts), _) => *starts
                .get_or_init(|| {
                    let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1);
                    std::iter::once(0).chain(breaks).collect()
                })
                .get(skip)?,
            (None, 0) => 0,
            (None, _) => memchr::memchr_iter(b'\n', text.as_bytes()).nth(skip - 1)? + 1,
        };
        let rest = &text[start..];
        let l = &rest[..memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len())];
        Some(l.strip_suffix('\r').unwrap_or(l))
    }

    pub fn insert(&mut self, path: impl Into<Arc<str>>, text: Arc<str>) {
        let line_starts = (text.len() > LONG_TEXT).then(OnceLock::new);
        self.texts.insert(path.into(), Source { text, line_starts });
    }

    /// `texts` by path.
    fn of(texts: Vec<(Arc<str>, Arc<str>)>) -> Sources {
        let mut sources = Sources::default();
        sources.texts.reserve(texts.len());
        for (path, text) in texts {
            sources.insert(path, text);
        }
        sources
    }

    /// Forget `path`'s text, so that nothing quotes it.
    pub fn remove(&mut self, path: &str) {
        self.texts.remove(path);
    }
}

/// A record of any kind, typed.
#[derive(Debug, Clone)]
pub enum Typed {
    Project(Arc<Project>),
    People(Arc<People>),
    Appetite(Arc<Appetite>),
    Risk(Arc<Risk>),
    Assessment(Arc<Assessment>),
    Signoff(Arc<SignOff>),
    Event(Arc<Event>),
    Board(Arc<Board>),
}

fn typed(kind: Kind, value: Value) -> Result<Typed, serde_json::Error> {
    Ok(match kind {
        Kind::Project => Typed::Project(Arc::new(serde_json::from_value(value)?)),
        Kind::People => Typed::People(Arc::new(serde_json::from_value(value)?)),
        Kind::Appetite => Typed::Appetite(Arc::new(serde_json::from_value(value)?)),
        Kind::Risk => Typed::Risk(Arc::new(serde_json::from_value(value)?)),
        Kind::Assessment => Typed::Assessment(Arc::new(serde_json::from_value(value)?)),
        Kind::Signoff => Typed::Signoff(Arc::new(serde_json::from_value(value)?)),
        Kind::Event => Typed::Event(Arc::new(serde_json::from_value(value)?)),
        Kind::Board => Typed::Board(Arc::new(serde_json::from_value(value)?)),
    })
}

impl Typed {
    /// Put the record, from `file` with `digest`, into `set`.
    fn add_to(self, set: &mut RecordSet, file: Arc<str>, digest: Digested) {
        fn record<T>(value: Arc<T>, file: Arc<str>, digest: Digested) -> Record<T> {
            Record {
                value,
                file,
                digest,
            }
        }
        match self {
            Typed::Project(v) => set.project = Some(record(v, file, digest)),
            Typed::People(v) => set.people = Some(record(v, file, digest)),
            Typed::Appetite(v) => set.appetite = Some(record(v, file, digest)),
            Typed::Risk(v) => set.risks.push(record(v, file, digest)),
            Typed::Assessment(v) => set.assessments.push(record(v, file, digest)),
            Typed::Signoff(v) => set.signoffs.push(record(v, file, digest)),
            Typed::Event(v) => set.events.push(record(v, file, digest)),
            Typed::Board(v) => set.boards.push(record(v, file, digest)),
        }
    }
}

/// What loading one file produced: its record, or its problems. Snapshots of history keep
/// these by blob, so each version of a file is parsed once.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    path: Arc<str>,
    /// The text, unless the file may not be echoed (classified) or is not text.
    text: Option<Arc<str>>,
    /// The kind and id the file declares, even if it is otherwise invalid, so that other
    /// records referring to it are not reported as dangling too.
    kind: Option<Kind>,
    id: Option<String>,
    record: Option<(Typed, Digested)>,
    problems: Vec<Finding>,
    /// The protective marking the file declares at its top level, read even when the record
    /// is not valid.
    declared: Marking,
}

impl ParsedFile {
    /// The file's path, relative to the repository root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The file's text as read, unless it may not be echoed or is not text.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// What the file signs off, when it is a valid sign-off.
    pub fn signoff_subject(&self) -> Option<&crate::records::Subject> {
        match &self.record {
            Some((Typed::Signoff(s), _)) => Some(&s.subject),
            _ => None,
        }
    }

    fn new(path: &str) -> ParsedFile {
        ParsedFile {
            path: Arc::from(path),
            text: None,
            kind: None,
            id: None,
            record: None,
            problems: Vec::new(),
            declared: Marking::default(),
        }
    }

    fn fail(mut self, finding: Finding) -> ParsedFile {
        self.problems.push(finding);
        self
    }
}

/// Load every entry. Files are parsed and validated in parallel.
pub fn load(dir: &str, entries: Vec<Entry>) -> Loaded {
    load_capped(dir, entries, Classification::TopSecret)
}

/// The classification limit the project record among `entries` sets (OFFICIAL without one).
pub fn limit_of(entries: &[Entry]) -> Classification {
    entries
        .iter()
        .find(|e| Kind::for_place(&e.relative) == Some(Kind::Project))
        .map_or(Classification::Official, |e| {
            parse_file(e, Classification::Official).max_classification()
        })
}

/// Load every entry, refusing records marked above the lower of the project's own limit and
/// `cap`: records read from a past revision are held to today's limit, not to what the
/// project allowed then.
pub fn load_capped(dir: &str, entries: Vec<Entry>, cap: Classification) -> Loaded {
    let parsed = parse_all(&entries, cap);
    // A hundred thousand paths, not needed again, freed beside the assembly.
    crate::parallel::free_aside(entries);
    assemble(
        dir,
        parsed.files.into_iter().map(|(file, _)| file).collect(),
    )
}

/// Load every entry of the working tree, keeping each file as parsed, to read another
/// revision of the records without parsing again what it shares (`Snapshots::seed`).
pub fn load_keeping(dir: &str, entries: Vec<Entry>) -> (Loaded, Kept) {
    let parsed = parse_all(&entries, Classification::TopSecret);
    crate::parallel::free_aside(entries);
    let files = parsed.files.iter().map(|(file, _)| file.clone()).collect();
    (assemble(dir, files), parsed)
}

/// Files as parsed, each with the classification limit it was held to.
#[derive(Debug)]
pub struct Kept {
    pub files: Vec<(ParsedFile, Classification)>,
    /// The limit the project record sets (OFFICIAL without one), as `limit_of` gives it.
    pub limit: Classification,
}

/// Parse every entry: project.yaml first, held to OFFICIAL, since it says which
/// classifications this repository may hold; then the rest in parallel, held to the lower of
/// that and `cap`: the sign-offs first, so that the digests they bind are worked out as their
/// subjects are read, and no other's until it is asked for.
fn parse_all(entries: &[Entry], cap: Classification) -> Kept {
    let project_index = entries
        .iter()
        .position(|e| Kind::for_place(&e.relative) == Some(Kind::Project));
    let project = project_index.map(|i| parse_file(&entries[i], Classification::Official));
    let limit = project
        .as_ref()
        .map_or(Classification::Official, ParsedFile::max_classification);
    let max = limit.min(cap);
    let (signoffs, rest): (Vec<&Entry>, Vec<&Entry>) = entries
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != project_index)
        .map(|(_, e)| e)
        .partition(|e| Kind::for_place(&e.relative) == Some(Kind::Signoff));
    let mut files: Vec<(ParsedFile, Classification)> = project
        .into_iter()
        .map(|file| (file, Classification::Official))
        .collect();
    files.extend(parallel_map(&signoffs, |entry| {
        (parse_file(entry, max), max)
    }));
    let subjects = Subjects::of(files.iter().filter_map(|(f, _)| f.signoff_subject()));
    files.extend(parallel_map(&rest, |entry| {
        (parse_with(entry, max, Digests::Named(&subjects)), max)
    }));
    Kept { files, limit }
}

/// Which records have the digest a sign-off binds worked out as they are read; the rest
/// work it out when asked (`Digested`).
#[derive(Debug, Clone, Copy)]
enum Digests<'a> {
    /// Every record a sign-off can be about: for a file read on its own.
    All,
    /// Those the sign-offs read name.
    Named(&'a Subjects),
}

/// The records some sign-offs name, by kind and id.
#[derive(Debug, Default)]
struct Subjects {
    risks: HashSet<String>,
    assessments: HashSet<String>,
    appetite: bool,
}

impl Subjects {
    fn of<'s>(subjects: impl Iterator<Item = &'s Subject>) -> Subjects {
        let mut named = Subjects::default();
        for subject in subjects {
            match subject {
                Subject::Risk(id) => {
                    named.risks.insert(id.clone());
                }
                Subject::Assessment(id) => {
                    named.assessments.insert(id.clone());
                }
                Subject::Appetite => named.appetite = true,
            }
        }
        named
    }
}

impl Digests<'_> {
    /// Whether the record of `kind` with `id` has its digest worked out now.
    fn now(self, kind: Kind, id: Option<&str>) -> bool {
        let Digests::Named(named) = self else {
            return true;
        };
        match (kind, id) {
            (Kind::Risk, Some(id)) => named.risks.contains(id),
            (Kind::Assessment, Some(id)) => named.assessments.contains(id),
            (Kind::Appetite, _) => named.appetite,
            _ => false,
        }
    }
}

pub use crate::parallel::map as parallel_map;

fn position_of_byte(bytes: &[u8], offset: usize) -> Position {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Position {
        line: line as u32,
        column: column as u32,
        width: 1,
    }
}

impl ParsedFile {
    /// The classification limit a project file sets (OFFICIAL for anything else).
    pub fn max_classification(&self) -> Classification {
        match &self.record {
            Some((Typed::Project(p), _)) => p.max_classification(),
            _ => Classification::Official,
        }
    }

    /// The marking of the record this file holds (OFFICIAL when it holds none).
    pub fn marking(&self) -> Marking {
        let mut marking = Marking::default();
        let (classification, handling) = match &self.record {
            Some((Typed::Appetite(r), _)) => (r.classification(), r.handling()),
            Some((Typed::Risk(r), _)) => (r.classification(), r.handling()),
            Some((Typed::Assessment(r), _)) => (r.classification(), r.handling()),
            Some((Typed::Signoff(r), _)) => (r.classification(), r.handling()),
            Some((Typed::Event(r), _)) => (r.classification(), r.handling()),
            Some((Typed::Board(r), _)) => (r.classification(), r.handling()),
            _ => (None, None),
        };
        marking.include(classification, handling);
        marking
    }

    pub fn kind(&self) -> Option<Kind> {
        self.kind
    }

    pub fn record(&self) -> Option<&Typed> {
        self.record.as_ref().map(|(r, _)| r)
    }

    pub fn is_valid(&self) -> bool {
        self.problems.is_empty() && self.record.is_some()
    }
}

/// Read, decode, parse and validate one file on its own (cross-record checks come when
/// files are assembled).
pub fn parse_file(entry: &Entry, max: Classification) -> ParsedFile {
    parse_with(entry, max, Digests::All)
}

/// As `parse_file`, working out now the digests `digests` picks.
fn parse_with(entry: &Entry, max: Classification, digests: Digests<'_>) -> ParsedFile {
    let outcome = ParsedFile::new(&entry.path);
    let path = entry.path.as_str();
    let bytes = match entry.read() {
        Ok(bytes) => bytes,
        Err(finding) => return outcome.fail(*finding),
    };
    if let Some(nul) = bytes.iter().position(|b| *b == 0) {
        let hint = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            "it looks like UTF-16: save it as UTF-8"
        } else {
            "records are UTF-8 text: remove the file, or move it out of the records folder"
        };
        return outcome.fail(
            Finding::error(
                ErrorCode::BinaryFile,
                Location::at(path, position_of_byte(&bytes, nul)),
                "binary data in a record file (a NUL byte)",
            )
            .with_hint(hint),
        );
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            return outcome.fail(
                Finding::error(
                    ErrorCode::NotUtf8,
                    Location::at(path, position_of_byte(&bytes, e.valid_up_to())),
                    "the file is not valid UTF-8",
                )
                .with_hint("save it as UTF-8 (in most editors: Save with encoding, UTF-8)"),
            );
        }
    };
    load_text(outcome, entry, text, max, digests)
}

/// The highest classification a file declares at its top level, and where: its
/// `classification`, or a `handling` marking that names one (`handling: SECRET UK EYES ONLY`).
/// Without a parsed document (the YAML is broken), look for the marking line by line, so that
/// a broken classified file is still refused without being shown.
fn declared_classification(
    value: Option<&Value>,
    text: &str,
) -> Option<(Classification, Position)> {
    const KEYS: [&str; 2] = ["classification", "handling"];
    if let Some(value) = value {
        return KEYS
            .iter()
            .filter_map(|key| {
                let c = Classification::named_in(value.get(*key)?.as_str()?)?;
                Some((c, key))
            })
            .max_by_key(|(c, _)| *c)
            .map(|(c, key)| (c, Locator::new(text).locate(&format!("/{key}"))));
    }
    let mut found: Option<(Classification, Position)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        for key in KEYS {
            let Some(rest) = trimmed
                .strip_prefix(key)
                .and_then(|rest| rest.strip_prefix(':'))
            else {
                continue;
            };
            let value = rest
                .split(" #")
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            if let Some(c) = Classification::named_in(value)
                && found.is_none_or(|(f, _)| c > f)
            {
                let column = line.len() - rest.trim_start().len() + 1;
                found = Some((
                    c,
                    Position {
                        line: i as u32 + 1,
                        column: column as u32,
                        width: value.len() as u32,
                    },
                ));
            }
        }
    }
    found
}

/// The marking a file declares at its top level (`classification`, `handling`), from its
/// parsed value or, when the YAML is broken, from its top-level lines.
fn declared_marking(value: Option<&Value>, text: &str) -> Marking {
    let mut marking = Marking::default();
    let (classification, handling) = match value {
        Some(value) => (
            value
                .get("classification")
                .and_then(Value::as_str)
                .map(str::to_owned),
            value
                .get("handling")
                .and_then(Value::as_str)
                .map(str::to_owned),
        ),
        None => {
            let top = |key: &str| {
                text.lines().find_map(|line| {
                    let rest = line.strip_prefix(key)?.strip_prefix(':')?;
                    let value = rest.split(" #").next()?.trim().trim_matches(['"', '\'']);
                    (!value.is_empty()).then(|| value.to_owned())
                })
            };
            (top("classification"), top("handling"))
        }
    };
    marking.include(
        classification.as_deref().and_then(Classification::named_in),
        handling.as_deref(),
    );
    marking
}

fn load_text(
    mut outcome: ParsedFile,
    entry: &Entry,
    text: &str,
    max: Classification,
    digests: Digests<'_>,
) -> ParsedFile {
    let path = entry.path.as_str();
    // Old Mac line endings (a bare CR) read as new lines, as YAML reads them, so that line
    // numbers and quoted lines agree; values do not change (YAML folds line breaks to LF).
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        text
    };
    // The fast path: values only. Positions are worked out from the text only when a
    // problem needs one, so a valid repository never pays for them.
    let parsed = yaml::parse_value(text);
    if let Some((marking, position)) = declared_classification(parsed.as_ref().ok(), text)
        && marking > max
    {
        // Refused outright: nothing from the file is kept, shown or counted.
        return outcome.fail(
            Finding::error(
                ErrorCode::AboveClassification,
                Location::at(path, position),
                format!(
                    "record is marked {}, above this repository's limit of {}; refused and not shown",
                    marking.as_str(),
                    max.as_str()
                ),
            )
            .with_hint(format!(
                "remove it from this repository now and hold it on a system accredited for {}; \
                 tell your Delivery Team Security Lead",
                marking.as_str()
            )),
        );
    }
    // Not refused: what it declares marks every output that holds it.
    outcome.declared = declared_marking(parsed.as_ref().ok(), text);
    let value = match parsed {
        Ok(value) => value,
        Err(error) => {
            if text.contains("SECRET") && max < Classification::TopSecret {
                // It may hold a marking we could not read: report where, quote nothing.
                return outcome.fail(
                    Finding::error(
                        ErrorCode::YamlSyntax,
                        Location::at(path, error.position),
                        "the YAML does not parse, and the file mentions SECRET, so it is not shown",
                    )
                    .with_hint("fix the YAML at this point, and check the file's classification"),
                );
            }
            outcome.text = Some(Arc::from(text));
            let mut f = Finding::error(
                error.code,
                Location::at(path, error.position),
                error.message,
            );
            f.hint = error.hint;
            return outcome.fail(f);
        }
    };
    let shared: Arc<str> = Arc::from(text);
    outcome.text = Some(shared.clone());

    let expected = Kind::for_place(&entry.relative);
    let kind = match &value {
        Value::Null => {
            let hint = match expected {
                Some(k) => format!("start it with `kind: {}`, or delete the file", k.name()),
                None => "delete the file, or write a record in it".to_owned(),
            };
            return outcome.fail(
                Finding::error(
                    ErrorCode::EmptyFile,
                    Location::at(path, Position::START),
                    "the file is empty",
                )
                .with_hint(hint),
            );
        }
        Value::Object(map) => match map.get("kind") {
            Some(Value::String(name)) => match Kind::from_name(name) {
                Some(kind) => kind,
                None => {
                    let names = Kind::ALL.map(Kind::name);
                    let hint = match crate::suggest::did_you_mean(name, names) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("the kinds are: {}", names.join(", ")),
                    };
                    return outcome.fail(
                        Finding::error(
                            ErrorCode::UnknownKind,
                            Location::field(path, "/kind"),
                            format!("unknown record kind `{name}`"),
                        )
                        .with_hint(hint),
                    );
                }
            },
            Some(_) => {
                return outcome.fail(
                    Finding::error(
                        ErrorCode::UnknownKind,
                        Location::field(path, "/kind"),
                        "`kind` must be a name such as `risk`",
                    )
                    .with_hint(format!(
                        "the kinds are: {}",
                        Kind::ALL.map(Kind::name).join(", ")
                    )),
                );
            }
            None => {
                let hint = match expected {
                    Some(k) => format!("add `kind: {}` as the first line", k.name()),
                    None => "add `kind:` as the first line, for example `kind: risk`".to_owned(),
                };
                return outcome.fail(
                    Finding::error(
                        ErrorCode::MissingKind,
                        Location::at(path, Position::START),
                        "the record has no `kind`",
                    )
                    .with_hint(hint),
                );
            }
        },
        _ => {
            return outcome.fail(
                Finding::error(
                    ErrorCode::MissingKind,
                    Location::at(path, Position::START),
                    "a record must be a mapping of fields, starting with `kind:`",
                )
                .with_hint("see `assure init` for examples of each kind of record"),
            );
        }
    };
    outcome.kind = Some(kind);
    outcome.id = value.get("id").and_then(Value::as_str).map(str::to_owned);
    let id = outcome.id.clone();

    if expected != Some(kind) {
        outcome.problems.push(
            Finding::error(
                ErrorCode::WrongPlace,
                Location::field(path, "/kind"),
                format!(
                    "`kind: {}` records belong in {}",
                    kind.name(),
                    joined(entry.dir(), kind.place())
                ),
            )
            .with_record(kind.name(), id.as_deref())
            .with_hint(format!("move it to {}", joined(entry.dir(), kind.place()))),
        );
    }
    if let (false, Some(id)) = (kind.is_singleton(), &id) {
        let stem = entry
            .relative
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".yaml")
            .trim_end_matches(".yml");
        if stem != id {
            outcome.problems.push(
                Finding::error(
                    ErrorCode::IdMismatch,
                    Location::field(path, "/id"),
                    format!("id `{id}` does not match the file name `{stem}`"),
                )
                .with_record(kind.name(), Some(id))
                .with_hint(format!("rename the file to {id}.yaml, or correct the id")),
            );
        }
    }

    if !schema::is_valid(kind, &value) {
        // Only now index the text, to say exactly where each problem is.
        let locator = Locator::new(text);
        let cx = schema::Context {
            file: path,
            text,
            yaml: &locator,
            kind,
            id: id.as_deref(),
        };
        outcome.problems.extend(schema::validate(&cx, &value));
        return outcome;
    }
    let digest = if digests.now(kind, id.as_deref()) {
        Digested::now(kind, &value)
    } else {
        Digested::later(kind, shared)
    };
    // A duration the schema's pattern allows may still be out of range (P0D, P999Y), and a
    // whole number may be written as a decimal (3.0) or with a leading zero (03).
    // One look through the record finds whether it has either; most have neither.
    if any_where(&value, &|v| is_decimal(v) || is_bad_duration(v)) {
        outcome.problems.extend(bad_durations(path, text, &value));
        outcome.problems.extend(decimals(path, text, &value));
        return outcome;
    }
    match typed(kind, value) {
        Ok(record) => outcome.record = Some((record, digest)),
        // The schema and the types agree (tested on every example); if they ever do not,
        // say so plainly rather than panic.
        Err(e) => outcome.problems.push(Finding::error(
            ErrorCode::Schema,
            Location::at(path, Position::START),
            format!("the record passed its schema but could not be read: {e}; please report this"),
        )),
    }
    outcome
}

/// Whether any node in `value` is one `wanted` picks.
fn any_where(value: &Value, wanted: &impl Fn(&Value) -> bool) -> bool {
    wanted(value)
        || match value {
            Value::Object(map) => map.values().any(|v| any_where(v, wanted)),
            Value::Array(items) => items.iter().any(|v| any_where(v, wanted)),
            _ => false,
        }
}

/// The pointer of every node in `value` that `wanted` picks, in document order. A valid
/// record has none, and is looked through once without writing a pointer.
fn pointers_where(value: &Value, wanted: &impl Fn(&Value) -> bool) -> Vec<String> {
    if !any_where(value, wanted) {
        return Vec::new();
    }
    fn walk(
        value: &Value,
        pointer: &mut String,
        wanted: &impl Fn(&Value) -> bool,
        out: &mut Vec<String>,
    ) {
        if wanted(value) {
            out.push(pointer.clone());
        }
        let len = pointer.len();
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    pointer.push('/');
                    if k.contains(['~', '/']) {
                        pointer.push_str(&yaml::escape(k));
                    } else {
                        pointer.push_str(k);
                    }
                    walk(v, pointer, wanted, out);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    use std::fmt::Write as _;
                    let _ = write!(pointer, "/{i}");
                    walk(v, pointer, wanted, out);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, &mut String::new(), wanted, &mut found);
    found
}

/// Every number in `value` that is not a whole number as written: every number a record
/// holds (scores, levels) is whole, and the schema takes 3.0 for 3.
fn decimals(path: &str, text: &str, value: &Value) -> Vec<Finding> {
    let found = pointers_where(value, &is_decimal);
    if found.is_empty() {
        return Vec::new();
    }
    let locator = Locator::new(text);
    found
        .into_iter()
        .map(|pointer| {
            let written = locator.scalar_text(text, &pointer).unwrap_or("a decimal");
            Finding::error(
                ErrorCode::WrongType,
                Location::located(path, &pointer, locator.locate(&pointer)),
                format!(
                    "{} is `{written}`, not a whole number",
                    schema::field_name(&pointer)
                ),
            )
            .with_hint("write a whole number, with no decimal point or leading zero, such as 3")
        })
        .collect()
}

/// Whether `value` is a number written as a decimal.
fn is_decimal(value: &Value) -> bool {
    matches!(value, Value::Number(n) if n.is_f64())
}

/// Whether `value` is written as a duration the tool does not accept.
fn is_bad_duration(value: &Value) -> bool {
    match value {
        Value::String(s) if looks_like_duration(s) => s.parse::<crate::dates::Duration>().is_err(),
        _ => false,
    }
}

/// Whether `s` is written as a duration (`P` then digits and units).
fn looks_like_duration(s: &str) -> bool {
    s.len() > 1
        && s.starts_with('P')
        && s[1..].starts_with(|c: char| c.is_ascii_digit())
        && s[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || "YMWD".contains(c))
}

/// Every value in `value` written as a duration that is not one the tool accepts, located.
fn bad_durations(path: &str, text: &str, value: &Value) -> Vec<Finding> {
    let found = pointers_where(value, &is_bad_duration);
    if found.is_empty() {
        return Vec::new();
    }
    let locator = Locator::new(text);
    found
        .into_iter()
        .map(|pointer| {
            let why = match value.pointer(&pointer) {
                Some(Value::String(s)) => s
                    .parse::<crate::dates::Duration>()
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            Finding::error(
                ErrorCode::OutOfRange,
                Location::located(path, &pointer, locator.locate(&pointer)),
                format!("{}: {why}", schema::field_name(&pointer)),
            )
            .with_hint("a duration runs from one day (P1D) to a century (P100Y)")
        })
        .collect()
}

/// Put parsed files together into a record set, with the cross-record checks.
pub fn assemble(dir: &str, outcomes: Vec<ParsedFile>) -> Loaded {
    let mut outcomes = outcomes;
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    // The texts are indexed on a thread of their own while the records are put together.
    let texts: Vec<(Arc<str>, Arc<str>)> = outcomes
        .iter()
        .filter_map(|o| Some((o.path.clone(), o.text.clone()?)))
        .collect();
    let (mut loaded, mut problems) = std::thread::scope(|scope| {
        let sources = scope.spawn(move || Sources::of(texts));
        let (mut loaded, problems) = put_together(dir, outcomes);
        loaded.sources = sources
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (loaded, problems)
    });
    resolve_positions(&mut problems, &loaded.sources);
    // Root causes first: the files that could not be read, then what follows from them.
    problems.sort_by(|a, b| {
        let unread = |f: &Finding| {
            !f.location
                .file
                .as_ref()
                .is_some_and(|file| loaded.unread.contains(file.as_str()))
        };
        (unread(a), a.sort_key()).cmp(&(unread(b), b.sort_key()))
    });
    loaded.problems = problems;
    loaded
}

/// The records of `outcomes` (sorted by path) put together and checked against each other,
/// without their texts; and the problems found, not yet placed in their files.
fn put_together(dir: &str, outcomes: Vec<ParsedFile>) -> (Loaded, Vec<Finding>) {
    let mut loaded = Loaded {
        files: outcomes.len(),
        ..Loaded::default()
    };
    let mut counts = [0usize; Kind::ALL.len()];
    for kind in outcomes.iter().filter_map(|o| o.kind) {
        counts[kind as usize] += 1;
    }
    let mut set = RecordSet::default();
    set.reserve_for(&counts);
    let mut known = KnownIds::default();
    for kind in Kind::ALL.into_iter().filter(|k| !k.is_singleton()) {
        known.reserve(kind, counts[kind as usize]);
    }
    let mut problems = Vec::new();
    let mut singletons: HashMap<Kind, Arc<str>> = HashMap::default();
    for mut outcome in outcomes {
        if outcome.declared != Marking::default() {
            loaded
                .marked
                .insert(outcome.path.to_string(), outcome.declared.clone());
        }
        problems.extend(outcome.problems);
        if outcome.record.is_none() {
            loaded.unread.insert(outcome.path.to_string());
            known.unread(dir, &outcome.path);
        }
        let Some(kind) = outcome.kind else { continue };
        if kind.is_singleton() {
            if let Some(first) = singletons.get(&kind) {
                loaded.unread.insert(outcome.path.to_string());
                problems.push(
                    Finding::error(
                        ErrorCode::DuplicateRecord,
                        Location::field(&*outcome.path, "/kind"),
                        format!("a second {} record; the first is in {first}", kind.name()),
                    )
                    .with_record(kind.name(), None)
                    .with_hint(format!("keep one {} record, in {first}", kind.name())),
                );
                continue;
            }
            singletons.insert(kind, outcome.path.clone());
            known
                .by_kind
                .entry(kind)
                .or_default()
                .insert(String::new(), outcome.path.clone());
        } else if let Some(id) = outcome.id.take() {
            // The id moves into the index: the record keeps its own copy.
            let ids = known.by_kind.entry(kind).or_default();
            if let Some(first) = ids.get(&id) {
                loaded.unread.insert(outcome.path.to_string());
                problems.push(
                    Finding::error(
                        ErrorCode::DuplicateId,
                        Location::field(&*outcome.path, "/id"),
                        format!("{} id `{id}` is already used in {first}", kind.name()),
                    )
                    .with_record(kind.name(), Some(&id))
                    .with_hint(if same_stem(first, &outcome.path) {
                        format!(
                            "{first} and {} are the same record in two files (.yaml and .yml): keep one",
                            outcome.path
                        )
                    } else {
                        format!("give each {} its own id", kind.name())
                    }),
                );
                continue;
            }
            ids.insert(id, outcome.path.clone());
        }
        let Some((record, digest)) = outcome.record else {
            continue;
        };
        record.add_to(&mut set, outcome.path, digest);
    }

    for kind in [Kind::Project, Kind::People] {
        // A file that is there but unreadable has its own problem; it is not missing.
        if !singletons.contains_key(&kind) && !known.exists(kind) {
            let path = joined(dir, kind.place());
            problems.push(
                Finding::error(
                    ErrorCode::MissingRecord,
                    Location::at(&path, Position::START),
                    format!("there is no {} record", kind.name()),
                )
                .with_hint(format!(
                    "create {path}; `assure init` writes a starting one"
                )),
            );
        }
    }

    if let Some(project) = &set.project {
        let (policy, policy_problems) = Policy::resolve(&project.policy, &project.file);
        set.policy = policy;
        problems.extend(policy_problems);
    }
    set.build_index();
    problems.extend(integrity::check(&set, &known));
    crate::parallel::free_aside(known);
    loaded.records = set;
    (loaded, problems)
}

/// The line of the field at `pointer` in `file`, as read.
pub fn line_of(sources: &Sources, file: &str, pointer: &str) -> Option<u32> {
    let text = sources.text(file)?;
    Some(Locator::new(text).locate(pointer).line)
}

/// Turn symbolic locations (a file and a JSON pointer) into lines and columns, indexing each
/// file involved once, files in parallel.
pub fn resolve_positions(findings: &mut [Finding], sources: &Sources) {
    // The places wanted in each file (a pointer, and whether its key is meant), found with
    // one index of the file that is dropped as soon as they are: a finding in each of ten
    // thousand files never holds ten thousand indexes at once. Each finding notes which
    // file and place it wants.
    let mut files: Vec<(&str, Vec<(&str, bool)>)> = Vec::new();
    let mut file_of: HashMap<&str, usize> = HashMap::default();
    let slots: Vec<Option<(usize, usize)>> = findings
        .iter()
        .map(|f| {
            let (Some(file), Some(pointer), None) =
                (&f.location.file, &f.location.pointer, f.location.position)
            else {
                return None;
            };
            let i = *file_of.entry(file.as_str()).or_insert_with(|| {
                files.push((file.as_str(), Vec::new()));
                files.len() - 1
            });
            let places = &mut files[i].1;
            let place = (pointer.as_str(), f.location.on_key);
            let j = places.iter().position(|p| *p == place).unwrap_or_else(|| {
                places.push(place);
                places.len() - 1
            });
            Some((i, j))
        })
        .collect();
    let found: Vec<Vec<Position>> = parallel_map(&files, |(file, places)| {
        let Some(text) = sources.text(file) else {
            return vec![Position::START; places.len()];
        };
        let pointers: Vec<&str> = places.iter().map(|(p, _)| *p).collect();
        let locator = Locator::new_for(text, &pointers);
        places
            .iter()
            .map(|(pointer, on_key)| {
                if *on_key {
                    locator.locate_key(pointer)
                } else {
                    locator.locate(pointer)
                }
            })
            .collect()
    });
    for (f, slot) in findings.iter_mut().zip(slots) {
        if let Some((i, j)) = slot {
            f.location.position = Some(found[i][j]);
        }
    }
}

/// Whether two record files differ only by their extension (`R-002.yaml`, `R-002.yml`).
fn same_stem(a: &str, b: &str) -> bool {
    let stem = |p: &str| {
        p.strip_suffix(".yaml")
            .or_else(|| p.strip_suffix(".yml"))
            .unwrap_or(p)
            .to_owned()
    };
    a != b && stem(a) == stem(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::digest::Digest;
    use crate::records::signed;
    use crate::source::WorkTree;

    #[test]
    fn a_line_is_found_by_its_number_without_its_ending() {
        let mut sources = Sources::default();
        sources.insert("a.yaml", Arc::from("one\r\ntwo\n\nfour"));
        sources.insert("b.yaml", Arc::from("one\n"));
        let line = |path, n| sources.line(path, n);
        assert_eq!(
            [1, 2, 3, 4].map(|n| line("a.yaml", n)),
            [Some("one"), Some("two"), Some(""), Some("four")]
        );
        assert_eq!([0, 5].map(|n| line("a.yaml", n)), [None, None]);
        assert_eq!(
            [1, 2, 3].map(|n| line("b.yaml", n)),
            [Some("one"), Some(""), None]
        );
        assert_eq!(line("c.yaml", 1), None);
        // A long text's lines are indexed: the same lines.
        let long: String = (1..=20_000).map(|n| format!("line {n}\r\n")).collect();
        assert!(long.len() > LONG_TEXT);
        sources.insert("long.yaml", Arc::from(long.as_str()));
        assert_eq!(
            [1, 2, 10_000, 20_000, 20_001, 20_002, 0].map(|n| sources.line("long.yaml", n)),
            [
                Some("line 1"),
                Some("line 2"),
                Some("line 10000"),
                Some("line 20000"),
                Some(""),
                None,
                None
            ]
        );
        sources.remove("long.yaml");
        assert_eq!(sources.line("long.yaml", 1), None);
    }

    fn example() -> Vec<Entry> {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/logistics-portal");
        WorkTree::new(root.join("assurance"), root).entries()
    }

    /// The digest of the record in `file` as the sign-off contract defines it.
    fn digest_of(loaded: &Loaded, file: &str) -> Option<Digest> {
        signed::digest_of_record(&yaml::parse_value(loaded.sources.text(file).unwrap()).unwrap())
    }

    #[test]
    fn only_the_records_a_sign_off_names_are_digested_as_they_are_read() {
        let loaded = load(".", example());
        assert!(loaded.is_valid(), "{:?}", loaded.problems);
        let set = &loaded.records;
        let named: Vec<&str> = set
            .signoffs
            .iter()
            .filter_map(|s| match &s.subject {
                Subject::Risk(id) => Some(id.as_str()),
                _ => None,
            })
            .collect();
        assert!(!named.is_empty() && named.len() < set.risks.len());
        for risk in &set.risks {
            let named = named.contains(&risk.id.as_str());
            assert_eq!(risk.digest.is_known(), named, "{}", risk.id);
            // Named or not, the digest is the same when asked for.
            assert_eq!(
                risk.digest.get(),
                digest_of(&loaded, &risk.file),
                "{}",
                risk.id
            );
            assert!(risk.digest.is_known());
        }
        let appetite = set.appetite.as_ref().unwrap();
        assert!(appetite.digest.is_known());
        assert_eq!(appetite.digest.get(), digest_of(&loaded, &appetite.file));
    }

    #[test]
    fn a_file_read_on_its_own_is_digested_as_it_is_read() {
        let entries = example();
        let risk = entries
            .iter()
            .find(|e| e.relative.starts_with("risks/"))
            .unwrap();
        let parsed = parse_file(risk, Classification::Official);
        let Some((Typed::Risk(_), digest)) = &parsed.record else {
            panic!("not a risk: {:?}", parsed.problems);
        };
        assert!(digest.is_known());
    }
}
