//! `assure board` over a whole 20,000-commit history (a third of the commits changing the
//! records, 2,000 risks and more), built with `git fast-import`:
//!
//!     cargo bench --bench history
//!
//! The comparison with `git log --raw --no-renames -- assurance/` on the same repository,
//! and peak memory, are in `benches/compare-history.sh`.

#[path = "support/history.rs"]
mod history;

use assure::board::{Inputs, Since, Start};
use assure::report::board::{Template, pictures, render};

fn main() {
    // Build the repository before anything is timed.
    repository();
    divan::main();
}

fn repository() -> &'static tempfile::TempDir {
    static REPOSITORY: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    REPOSITORY.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .stdin(std::process::Stdio::piped())
                .spawn()
                .expect("git is installed")
        };
        assert!(git(&["init", "-q", "-b", "main"]).wait().unwrap().success());
        let mut import = git(&["fast-import", "--quiet"]);
        history::write_stream(&mut std::io::BufWriter::new(import.stdin.take().unwrap())).unwrap();
        assert!(import.wait().unwrap().success());
        assert!(git(&["checkout", "-q", "main"]).wait().unwrap().success());
        dir
    })
}

/// The whole history: from before the first commit to the last, as `assure board
/// --since 2023-12-31 --format html` makes it.
#[divan::bench(sample_count = 5)]
fn board_whole_history() -> usize {
    let root = repository().path();
    let workspace = assure::workspace::locate(Some(&root.join("assurance")), true).unwrap();
    let as_of = history::last_day().parse().unwrap();
    let now = assure::evaluate::evaluate(&workspace, None, as_of).unwrap();
    let since = Since::Day("2023-12-31".parse().unwrap());
    let pack = assure::board::build(Inputs {
        repo: workspace.repo.as_ref().unwrap(),
        dir: workspace.dir(),
        start: Start::choose(Some(&since), &now.loaded.records, as_of),
        now: &now,
        until_commit: None,
        limit: workspace.limit(),
        progress: &mut |_, _, _| {},
    })
    .unwrap();
    render(&pack, &pictures(&pack), &Template::builtin(true))
        .unwrap()
        .len()
}
