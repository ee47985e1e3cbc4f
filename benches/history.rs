//! `assure board` over a whole 20,000-commit history (a third of the commits changing the
//! records, 2,000 risks and more), built with `git fast-import`:
//!
//!     cargo bench --bench history
//!
//! The comparison with `git log --raw --no-renames -- assurance/` on the same repository,
//! and peak memory, are in `benches/compare-history.sh`.

#[path = "support/history.rs"]
mod history;

use assure::cli::{BoardRequest, CommandConfig, Config, PackFormat};

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

/// The whole history: from before the first commit to the last.
#[divan::bench(sample_count = 5)]
fn board_whole_history() -> usize {
    let root = repository().path();
    let request = BoardRequest {
        since: Some("2023-12-31".to_owned()),
        until: None,
        as_of: Some(history::last_day().parse().unwrap()),
        format: PackFormat::Html,
        out: None,
        template: None,
    };
    let config = Config {
        dir: Some(root.join("assurance")),
        color: false,
        command: CommandConfig::Board(request.clone()),
    };
    let mut out = Vec::new();
    assure::commands::board::run(&config, &request, &mut out).unwrap();
    out.len()
}
