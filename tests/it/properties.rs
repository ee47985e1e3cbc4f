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

/// What a pull-request event payload may hold, including text where a commit id belongs.
fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        (any::<u64>(), ".{0,64}").prop_map(|(number, sha)| {
            serde_json::json!({"pull_request": {"number": number, "base": {"sha": sha}}})
                .to_string()
                .into_bytes()
        }),
    ]
}

/// One step of building a history: write a file (by index, with content), remove one,
/// commit, branch off, or merge a branch back.
#[derive(Debug, Clone)]
enum Step {
    Write(u8, u8),
    Remove(u8),
    Commit,
    Branch,
    Merge,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        prop_oneof![
            3 => (0u8..4, any::<u8>()).prop_map(|(f, c)| Step::Write(f, c)),
            1 => (0u8..4).prop_map(Step::Remove),
            3 => Just(Step::Commit),
            1 => Just(Step::Branch),
            1 => Just(Step::Merge),
        ],
        1..24,
    )
}

/// Build a repository from `steps`: files under assurance/, commits on main and side
/// branches, merges that take either side's content.
fn build(steps: &[Step]) -> (tempfile::TempDir, git2::Oid) {
    let dir = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(dir.path()).unwrap();
    let signature =
        git2::Signature::new("T", "t@example.gov.uk", &git2::Time::new(1_700_000_000, 0)).unwrap();
    let mut files: std::collections::BTreeMap<u8, u8> = Default::default();
    let mut heads: Vec<Option<git2::Oid>> = vec![None];
    let mut current = 0;
    let tree_of = |repo: &git2::Repository, files: &std::collections::BTreeMap<u8, u8>| {
        let mut inner = repo.treebuilder(None).unwrap();
        for (f, c) in files {
            let blob = repo
                .blob(format!("kind: risk\nid: R-00{f}\ntitle: v{c}\n").as_bytes())
                .unwrap();
            inner
                .insert(format!("R-00{f}.yaml"), blob, 0o100644)
                .unwrap();
        }
        let risks = inner.write().unwrap();
        let mut mid = repo.treebuilder(None).unwrap();
        mid.insert("risks", risks, 0o040000).unwrap();
        let assurance = mid.write().unwrap();
        let mut root = repo.treebuilder(None).unwrap();
        root.insert("assurance", assurance, 0o040000).unwrap();
        root.write().unwrap()
    };
    let commit = |repo: &git2::Repository, tree: git2::Oid, parents: &[git2::Oid]| {
        let tree = repo.find_tree(tree).unwrap();
        let parents: Vec<git2::Commit> = parents
            .iter()
            .map(|p| repo.find_commit(*p).unwrap())
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(None, &signature, &signature, "step", &tree, &parents)
            .unwrap()
    };
    for step in steps {
        match step {
            Step::Write(f, c) => {
                files.insert(*f, *c);
            }
            Step::Remove(f) => {
                files.remove(f);
            }
            Step::Commit => {
                let tree = tree_of(&repo, &files);
                let parents: Vec<git2::Oid> = heads[current].into_iter().collect();
                heads[current] = Some(commit(&repo, tree, &parents));
            }
            Step::Branch => {
                heads.push(heads[current]);
                current = heads.len() - 1;
            }
            Step::Merge => {
                if current > 0
                    && let (Some(ours), Some(theirs)) = (heads[0], heads[current])
                {
                    let tree = tree_of(&repo, &files);
                    heads[0] = Some(commit(&repo, tree, &[ours, theirs]));
                    current = 0;
                }
            }
        }
    }
    let tree = tree_of(&repo, &files);
    let parents: Vec<git2::Oid> = heads[0].into_iter().collect();
    let head = commit(&repo, tree, &parents);
    (dir, head)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A pull-request event payload of any bytes is read or refused, never a panic; any text
    /// in `base.sha` is a missing base, never a panic, and its short form is a prefix of it.
    #[test]
    fn event_payloads_never_panic(bytes in payload()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("event.json");
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(event) = assure::github::Event::read(Some(&path)) {
            let base = &event.pull_request.base.sha;
            prop_assert!(base.starts_with(assure::git::short_text(base)));
            let repo = git2::Repository::init(dir.path()).unwrap();
            let head = load("assurance", Vec::new());
            let listed = assure::changes::PullRequest::since(Some(&repo), "assurance", base, &head);
            prop_assert!(!matches!(listed, assure::changes::PullRequest::None));
        }
    }

    /// Any history of adds, edits, removals, branches and merges is walked without a panic,
    /// and every change it reports is consistent: an addition has no old content, a removal
    /// no new, an edit both, and a merge is credited only with content none of its parents had.
    #[test]
    fn any_history_is_walked_consistently(steps in steps()) {
        let (dir, head) = build(&steps);
        let repo = git2::Repository::open(dir.path()).unwrap();
        let history = assure::history::walk(&repo, head, "assurance", |_| {}).unwrap();
        for commit in &history.commits {
            let parents: Vec<git2::Tree> = repo
                .find_commit(commit.id)
                .unwrap()
                .parents()
                .map(|p| p.tree().unwrap())
                .collect();
            for change in &commit.changes {
                use assure::history::ChangeKind::*;
                match change.kind {
                    Added => prop_assert!(change.old.is_none() && change.new.is_some()),
                    Deleted => prop_assert!(change.old.is_some() && change.new.is_none()),
                    Modified => prop_assert!(change.old.is_some() && change.new.is_some()),
                }
                if let Some(new) = change.new {
                    for tree in &parents {
                        let theirs = tree.get_path(std::path::Path::new(&change.path)).ok().map(|e| e.id());
                        prop_assert_ne!(theirs, Some(new), "credited with a parent's content");
                    }
                }
            }
        }
    }
}
