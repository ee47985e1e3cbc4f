//! `assure check` and `assure status` over a large synthetic repository (10,000 risks, 400
//! assessments, 1,000 sign-offs, committed to git):
//!
//!     cargo bench --bench check
//!
//! `validate_only` is schema validation and the cross-record checks; `status` is everything
//! `assure status` does (validation, git witnessing every sign-off, every rule, findings
//! placed on their lines). The target: status within 1.2x of validation alone.
//! `with_base` is what a pull request adds: its base evaluated beside the working tree.
//! The peer comparison (check-jsonschema, ajv-cli) is `benches/compare.sh`.

#[path = "support/synth.rs"]
mod synth;

use assure::records::load::load;
use assure::source::WorkTree;

fn main() {
    // Generate the repository before anything is timed.
    repository();
    divan::main();
}

fn repository() -> &'static tempfile::TempDir {
    static REPOSITORY: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    REPOSITORY.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        synth::write_repository(dir.path(), &synth::LARGE);
        dir
    })
}

/// Schema validation alone: read, parse, validate and type every record, with the
/// cross-record checks.
#[divan::bench(sample_count = 10)]
fn validate_only() -> usize {
    let root = repository().path();
    let tree = WorkTree::new(root.join("assurance"), root.to_path_buf());
    let loaded = load(&tree.display, tree.entries());
    assert!(loaded.is_valid(), "{:?}", loaded.problems.first());
    loaded.files
}

/// Everything `assure status` does.
#[divan::bench(sample_count = 10)]
fn status() -> usize {
    let root = repository().path();
    let workspace = assure::workspace::locate(Some(&root.join("assurance")), true).unwrap();
    let evaluated =
        assure::evaluate::evaluate(&workspace, None, synth::AS_OF.parse().unwrap()).unwrap();
    evaluated
        .status
        .expect("valid records have a status")
        .findings
        .len()
}

/// A pull request's work (`assure ci`, `check --baseline`): the working tree and its base,
/// the commit before the sign-offs, evaluated on one day, each file the two share parsed
/// once. The target: under twice `status`.
#[divan::bench(sample_count = 10)]
fn with_base() -> usize {
    let root = repository().path();
    let workspace = assure::workspace::locate(Some(&root.join("assurance")), true).unwrap();
    let base = assure::git::resolve(workspace.repository().unwrap(), "HEAD~1").unwrap();
    let as_of = synth::AS_OF.parse().unwrap();
    let (head, base) = assure::evaluate::evaluate_with_base(&workspace, &base, as_of).unwrap();
    let base = base.expect("the base is a commit of the repository");
    head.effect_since(&base)
        .expect("both valid")
        .introduced
        .len()
}
