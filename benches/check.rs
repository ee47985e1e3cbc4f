//! `assure check` over a large synthetic repository (10,000 risks, 400 assessments, 1,000
//! sign-offs): loading, schema validation and cross-record checks, as the binary runs them.
//!
//!     cargo bench --bench check
//!
//! The peer comparison (check-jsonschema, ajv-cli) is `benches/compare.sh`.

#[path = "support/synth.rs"]
mod synth;

use assure::records::load::load;
use assure::source::WorkTree;

fn main() {
    divan::main();
}

fn records() -> &'static (tempfile::TempDir, WorkTree) {
    static RECORDS: std::sync::OnceLock<(tempfile::TempDir, WorkTree)> = std::sync::OnceLock::new();
    RECORDS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("assurance");
        synth::write_records(&root, &synth::LARGE);
        let tree = WorkTree::new(root, dir.path().to_path_buf());
        (dir, tree)
    })
}

/// Schema validation alone: read, parse, validate and type every record, with the
/// cross-record checks.
#[divan::bench(sample_count = 10)]
fn validate_only() -> usize {
    let (_, tree) = records();
    let loaded = load(&tree.display, tree.entries());
    assert!(loaded.is_valid(), "{:?}", loaded.problems.first());
    loaded.files
}

/// What `assure check` and `assure status` do: validation, then every rule, then the
/// findings placed on their lines (the target: within 1.2x of `validate_only`).
#[divan::bench(sample_count = 10)]
fn validate_and_evaluate() -> usize {
    let (_, tree) = records();
    let loaded = load(&tree.display, tree.entries());
    assert!(loaded.is_valid(), "{:?}", loaded.problems.first());
    let as_of = synth::AS_OF.parse().unwrap();
    let mut status = assure::rules::evaluate(&loaded.records, as_of);
    assure::records::load::resolve_positions(&mut status.findings, &loaded.sources);
    status.findings.len()
}

/// The rules alone, on records already loaded.
#[divan::bench(sample_count = 10)]
fn evaluate_only(bencher: divan::Bencher) {
    let (_, tree) = records();
    let loaded = load(&tree.display, tree.entries());
    let as_of = synth::AS_OF.parse().unwrap();
    bencher.bench(|| {
        assure::rules::evaluate(&loaded.records, as_of)
            .findings
            .len()
    });
}
