//! Write a synthetic assurance repository for the peer comparison (`benches/compare.sh`).
//!
//!     cargo run --release --example synth-repo -- OUT_DIR [RISKS]
//!
//! OUT_DIR becomes a git repository whose `assurance/` holds 10,000 risks (or RISKS), 400
//! assessments and 1,000 sign-offs (in proportion), committed so that git can witness every
//! sign-off.

#[path = "support/synth.rs"]
mod synth;

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: synth-repo OUT_DIR [RISKS]");
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
    let size = match std::env::args().nth(2) {
        Some(n) => match n.parse() {
            Ok(risks) if risks > 0 => synth::Size::scaled(risks),
            _ => {
                eprintln!("RISKS must be a whole number above 0, not `{n}`");
                std::process::exit(2);
            }
        },
        None => synth::LARGE,
    };
    std::fs::create_dir_all(out).expect("create the output folder");
    synth::write_repository(out, &size);
    println!("wrote {}", out.join("assurance").display());
}
