//! Write the synthetic 20,000-commit history as a `git fast-import` stream:
//!
//!     git init -q repo && cd repo
//!     cargo run --release --example synth-history | git fast-import --quiet
//!     git checkout -q main
//!
//! `benches/compare-history.sh` does this, then times `assure board` over the whole history
//! against `git log --raw --no-renames -- assurance/`.

#[path = "support/history.rs"]
mod history;

fn main() {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Err(e) = history::write_stream(&mut out) {
        eprintln!("synth-history: {e}");
        std::process::exit(1);
    }
}
