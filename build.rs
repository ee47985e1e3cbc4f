//! Names the commit the binary is built from, for `assure --version`: `ASSURE_COMMIT` when
//! the build is given it (the release workflow), else git's HEAD in this checkout, else the
//! commit `cargo package` recorded (`.cargo_vcs_info.json`), else "unknown".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=ASSURE_COMMIT");
    for path in [".git/HEAD", ".git/logs/HEAD"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let commit = std::env::var("ASSURE_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| {
            let out = Command::new("git")
                .args(["rev-parse", "HEAD"])
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        })
        .or_else(|| {
            let text = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
            let at = text.find("\"sha1\"")?;
            let rest = &text[at + 6..];
            let start = rest.find('"')? + 1;
            let end = rest[start..].find('"')? + start;
            Some(rest[start..end].to_owned())
        })
        .filter(|c| c.len() >= 7 && c.chars().all(|ch| ch.is_ascii_hexdigit()))
        .map_or_else(|| "unknown".to_owned(), |c| c[..12.min(c.len())].to_owned());
    println!("cargo:rustc-env=ASSURE_COMMIT={commit}");
}
