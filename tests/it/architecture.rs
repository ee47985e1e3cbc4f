//! The shape of the code, read from `src/`: data flows one way (load → evaluate → render),
//! the command layer sits on top, and no modules depend on each other in a circle. A new
//! import that breaks the layering fails here, naming the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file as a module: its path in the crate (`records::load`), its text.
struct Module {
    path: String,
    file: PathBuf,
    text: String,
}

fn modules() -> Vec<Module> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(&src).unwrap().with_extension("");
                let mut parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                    parts.pop();
                }
                out.push(Module {
                    path: parts.join("::"),
                    text: code_only(&std::fs::read_to_string(&path).unwrap()),
                    file: path,
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The text without comments, so that a comment naming a module is not an import.
fn code_only(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a module refers to, absolute (`records::load::Loaded`), from `crate::…` and
/// `super::…`, with `use` groups (`crate::{a, b::c}`) expanded.
fn references(module: &Module) -> BTreeSet<String> {
    // `super` is the module's parent, whether it is a file (a/b.rs) or a folder (a/b/mod.rs).
    let parent = module.path.rsplit_once("::").map_or("", |(p, _)| p);
    let mut out = BTreeSet::new();
    for (prefix, base) in [("crate::", ""), ("super::", parent)] {
        let text = &module.text;
        let mut from = 0;
        while let Some(found) = text[from..].find(prefix) {
            let start = from + found;
            from = start + prefix.len();
            let before = text[..start].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            // `super::super::…` climbs once per `super`.
            let mut base = base.to_owned();
            if prefix == "super::" {
                while text[from..].starts_with("super::") {
                    from += "super::".len();
                    base = base.rsplit_once("::").map_or("", |(p, _)| p).to_owned();
                }
            }
            for path in paths_at(&text[from..]) {
                let full = if base.is_empty() {
                    path
                } else {
                    format!("{base}::{path}")
                };
                out.insert(full);
            }
        }
    }
    out
}

/// The paths written at the start of `text`: `a::b::C`, or each item of `{a, b::c}`.
fn paths_at(text: &str) -> Vec<String> {
    let ident = |s: &str| -> usize {
        s.char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(s.len(), |(i, _)| i)
    };
    if let Some(group) = text.strip_prefix('{') {
        let mut depth = 1;
        let mut end = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &group[..end];
        let mut items = Vec::new();
        let (mut level, mut item_start) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => level += 1,
                '}' => level -= 1,
                ',' if level == 0 => {
                    items.push(inner[item_start..i].trim());
                    item_start = i + 1;
                }
                _ => {}
            }
        }
        items.push(inner[item_start..].trim());
        return items
            .into_iter()
            .filter(|i| !i.is_empty() && *i != "self")
            .flat_map(paths_at)
            .collect();
    }
    let mut path = Vec::new();
    let mut rest = text;
    loop {
        let n = ident(rest);
        if n == 0 {
            break;
        }
        path.push(&rest[..n]);
        rest = &rest[n..];
        match rest.strip_prefix("::") {
            Some(after) if after.starts_with('{') => {
                let head = path.join("::");
                return paths_at(after)
                    .into_iter()
                    .map(|p| format!("{head}::{p}"))
                    .chain([head.clone()])
                    .collect();
            }
            Some(after) => rest = after,
            None => break,
        }
    }
    if path.is_empty() {
        Vec::new()
    } else {
        vec![path.join("::")]
    }
}

/// The module a path names: its longest prefix that is a module of the crate.
fn module_of<'a>(path: &str, known: &'a BTreeSet<String>) -> Option<&'a String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .find_map(|n| known.get(&parts[..n].join("::")))
}

/// Each module's dependencies on other modules of the crate.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<String> = modules.iter().map(|m| m.path.clone()).collect();
    modules
        .iter()
        .map(|m| {
            let deps = references(m)
                .iter()
                .filter_map(|r| module_of(r, &known))
                .filter(|d| **d != m.path)
                .cloned()
                .collect();
            (m.path.clone(), deps)
        })
        .collect()
}

fn top(path: &str) -> &str {
    path.split("::").next().unwrap_or(path)
}

/// Which modules may import `target` (by its top-level name): `None` means any.
fn allowed_importers(target: &str) -> Option<&'static [&'static str]> {
    match target {
        // The command layer and the command line sit on top of everything.
        "commands" | "cli" => Some(&["", "main", "cli", "commands"]),
        // Renderers draw what the library worked out; the library never renders.
        "report" => Some(&["", "main", "cli", "commands", "report"]),
        // The process environment is read once, and handed down.
        "environment" => Some(&["", "main", "cli", "commands", "github"]),
        _ => None,
    }
}

#[test]
fn the_library_never_imports_the_layers_above_it() {
    let mut wrong = Vec::new();
    for (module, deps) in graph() {
        for dep in deps {
            if let Some(allowed) = allowed_importers(top(&dep))
                && !allowed.contains(&top(&module))
            {
                wrong.push(format!("{module} imports {dep}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports across the layers:\n{}",
        wrong.join("\n")
    );
}

/// A cycle in `graph`, if there is one, as the modules around it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_owned(), Mark::Open);
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next.as_str()).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let from = path.iter().position(|p| p == next).unwrap();
                    let mut found = path[from..].to_vec();
                    found.push(next.clone());
                    return Some(found);
                }
                Mark::New => {
                    if let Some(found) = visit(next, graph, marks, path) {
                        return Some(found);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if marks.get(node.as_str()).copied().unwrap_or(Mark::New) == Mark::New
            && let Some(found) = visit(node, graph, &mut marks, &mut Vec::new())
        {
            return Some(found);
        }
    }
    None
}

#[test]
fn no_modules_depend_on_each_other_in_a_circle() {
    let graph = graph();
    // Between top-level modules (a folder counts as one: its mod.rs and children).
    let mut tops: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, deps) in &graph {
        let entry = tops.entry(top(module).to_owned()).or_default();
        entry.extend(
            deps.iter()
                .map(|d| top(d).to_owned())
                .filter(|d| d != top(module) && !d.is_empty()),
        );
    }
    tops.remove("");
    assert_eq!(cycle(&tops), None, "top-level modules in a circle");
    // Between the files of each folder, its mod.rs (the folder's face) aside.
    let siblings: BTreeMap<String, BTreeSet<String>> = graph
        .iter()
        .filter(|(m, _)| m.contains("::"))
        .map(|(m, deps)| {
            let folder = m.rsplit_once("::").unwrap().0;
            let deps = deps
                .iter()
                .filter(|d| d.rsplit_once("::").is_some_and(|(f, _)| f == folder))
                .cloned()
                .collect();
            (m.clone(), deps)
        })
        .collect();
    assert_eq!(cycle(&siblings), None, "files of one folder in a circle");
}

#[test]
fn the_environment_is_read_in_one_place() {
    for m in modules() {
        if m.path == "environment" {
            continue;
        }
        for call in ["env::var(", "env::var_os(", "env::vars("] {
            assert!(
                !m.text.contains(call),
                "{} reads the environment ({call}); read it in environment.rs and hand it down",
                m.file.display()
            );
        }
    }
}

/// Errors keep their sources: no `Result<_, String>` anywhere in the library.
#[test]
fn errors_are_typed() {
    for m in modules() {
        let found = m.text.lines().find(|line| {
            let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            compact.contains(",String>")
                && (compact.contains("Result<") || compact.contains("Result<_"))
                && !compact.contains("Map<")
        });
        assert!(
            found.is_none(),
            "{} returns a bare String as its error: {}; use a typed error that keeps its source (error::Unusable, or one of its own)",
            m.file.display(),
            found.unwrap_or_default().trim()
        );
    }
}

#[test]
fn commands_only_wire() {
    for m in modules().iter().filter(|m| top(&m.path) == "commands") {
        let lines = m.text.lines().count();
        assert!(
            lines <= 150,
            "{} is {lines} lines: a command wires config, library and renderer; move what it decides to the library and what it draws to report/",
            m.file.display()
        );
        // What a command prints goes through a renderer in report/.
        for drawing in [
            "println!",
            "eprintln!",
            "print!(",
            "eprint!(",
            "serde_json::",
            "writeln!(out, \"",
        ] {
            let found = m.text.lines().find(|line| {
                line.contains(drawing)
                    && !(drawing.starts_with("writeln") && line.contains("\"{}\""))
            });
            assert!(
                found.is_none(),
                "{} draws its own output ({drawing}): {}; render it in report/",
                m.file.display(),
                found.unwrap_or_default().trim()
            );
        }
    }
}

/// The checks above see what they should: a forbidden import and a circle are found.
#[test]
fn the_checks_find_what_they_look_for() {
    let m = Module {
        path: "rules::risks".into(),
        file: PathBuf::from("src/rules/risks.rs"),
        text: code_only(
            "use super::{Context, Timing};\nuse crate::{commands::check, records::{Kind, load::Loaded}};\n// crate::report\nlet x = crate::report::human::plural(1);\nlet y = super::super::cli::Format::Json;",
        ),
    };
    let refs = references(&m);
    for expected in [
        "rules::Context",
        "rules::Timing",
        "commands::check",
        "records::Kind",
        "records::load::Loaded",
        "report::human::plural",
        "cli::Format::Json",
    ] {
        assert!(refs.contains(expected), "{expected} in {refs:?}");
    }
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.insert("a".into(), ["b".to_owned()].into());
    g.insert("b".into(), ["c".to_owned()].into());
    g.insert("c".into(), ["a".to_owned()].into());
    assert_eq!(
        cycle(&g),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

/// clap belongs to the command line: the library's types do not depend on it.
#[test]
fn only_the_command_line_uses_clap() {
    for m in modules() {
        if matches!(top(&m.path), "cli" | "main") {
            continue;
        }
        assert!(
            !m.text.contains("clap::"),
            "{} uses clap; give the command line its own impl in src/cli/",
            m.file.display()
        );
    }
}
