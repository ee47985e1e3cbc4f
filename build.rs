//! Names the commit the binary is built from, for `assure --version`: `ASSURE_COMMIT` when
//! the build is given it (the release workflow; the action, which builds without `.git`,
//! gives the ref it was used at), else the commit `cargo package` recorded
//! (`.cargo_vcs_info.json`), else git's HEAD in this checkout, else "unknown".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=ASSURE_COMMIT");
    for path in [".git/HEAD", ".git/logs/HEAD"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    // Given by the build (a release's commit, or the ref the action was used at): shown as
    // given, when it is a plain name.
    let given = std::env::var("ASSURE_COMMIT").ok().filter(|c| {
        !c.is_empty()
            && c.len() <= 64
            && c.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_' | '/'))
    });
    let hex = |c: &String| c.len() >= 7 && c.chars().all(|ch| ch.is_ascii_hexdigit());
    // Else the commit `cargo package` recorded (a crate's source may sit inside another
    // repository, whose HEAD is not its commit), else git's HEAD in this checkout.
    let found = || {
        std::fs::read_to_string(".cargo_vcs_info.json")
            .ok()
            .and_then(|text| {
                let at = text.find("\"sha1\"")?;
                let rest = &text[at + 6..];
                let start = rest.find('"')? + 1;
                let end = rest[start..].find('"')? + start;
                Some(rest[start..end].to_owned())
            })
            .or_else(|| {
                let out = Command::new("git")
                    .args(["rev-parse", "HEAD"])
                    .output()
                    .ok()?;
                out.status
                    .success()
                    .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
            })
            .filter(hex)
    };
    let commit = match given {
        Some(c) if hex(&c) => c[..12.min(c.len())].to_owned(),
        Some(c) => c,
        None => found().map_or_else(|| "unknown".to_owned(), |c| c[..12].to_owned()),
    };
    println!("cargo:rustc-env=ASSURE_COMMIT={commit}");
}
