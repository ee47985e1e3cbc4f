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

/// Load and validate every record, as `assure check` does.
#[divan::bench(sample_count = 10)]
fn check_large_repository() -> usize {
    let (_, tree) = records();
    let loaded = load(&tree.display, tree.entries());
    assert!(loaded.is_valid(), "{:?}", loaded.problems.first());
    loaded.files
}
