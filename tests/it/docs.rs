//! The README's tables of rules and error codes are made from the declarations in
//! `src/code.rs`: this fails when they disagree. `ASSURE_BLESS=1 cargo test docs` rewrites
//! them.

use assure::code::{error_codes_table, rules_table};
use std::path::Path;

/// The text between `<!-- begin NAME -->` and `<!-- end NAME -->`.
fn section<'a>(text: &'a str, name: &str) -> (usize, usize, &'a str) {
    let begin = format!("<!-- begin {name} -->\n");
    let end = format!("<!-- end {name} -->");
    let start = text
        .find(&begin)
        .unwrap_or_else(|| panic!("README.md has no `{}`", begin.trim()))
        + begin.len();
    let stop = start
        + text[start..]
            .find(&end)
            .unwrap_or_else(|| panic!("README.md has no `{end}`"));
    (start, stop, &text[start..stop])
}

#[test]
fn the_readme_tables_are_the_declared_codes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let mut readme = std::fs::read_to_string(&path).unwrap();
    let mut stale = Vec::new();
    for (name, table) in [
        ("rules", rules_table()),
        ("error-codes", error_codes_table()),
        ("signed-views", assure::records::signed::readme_table()),
    ] {
        let (start, stop, written) = section(&readme, name);
        if written != table {
            stale.push(name);
            readme.replace_range(start..stop, &table);
        }
    }
    if stale.is_empty() {
        return;
    }
    if std::env::var_os("ASSURE_BLESS").is_some() {
        std::fs::write(&path, readme).unwrap();
        return;
    }
    panic!(
        "the README's {} table(s) differ from src/code.rs; run `ASSURE_BLESS=1 cargo test docs` to rewrite them",
        stale.join(" and ")
    );
}
