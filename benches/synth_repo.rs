//! Write a synthetic assurance repository for the peer comparison (`benches/compare.sh`).
//!
//!     cargo run --release --example synth-repo -- OUT_DIR
//!
//! OUT_DIR becomes a git repository whose `assurance/` holds 10,000 risks, 400 assessments
//! and 1,000 sign-offs, committed so that git can witness every sign-off.

#[path = "support/synth.rs"]
mod synth;

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: synth-repo OUT_DIR");
        std::process::exit(2);
    };
    let out = std::path::Path::new(&out);
    if out.join("assurance").exists() {
        eprintln!(
            "{} already has an assurance/ folder; choose an empty folder",
            out.display()
        );
        std::process::exit(2);
    }
    std::fs::create_dir_all(out).expect("create the output folder");
    synth::write_repository(out, &synth::LARGE);
    println!("wrote {}", out.join("assurance").display());
}
