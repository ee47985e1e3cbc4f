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

/// Every rule and error code has its page in docs/codes/ (built into `assure explain`), every
/// page names a code there is, and each page has every section, examples included.
#[test]
fn every_code_has_a_page_and_every_page_a_code() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/codes");
    let codes: Vec<String> = assure::code::Code::all()
        .map(|c| c.as_str().to_owned())
        .collect();
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    for page in &pages {
        let code = page
            .strip_suffix(".md")
            .unwrap_or_else(|| panic!("{page}: not a page"));
        assert!(codes.iter().any(|c| c == code), "{page} names no code");
        let text = std::fs::read_to_string(dir.join(page)).unwrap();
        assert!(text.starts_with(&format!("# {code}: ")), "{page}: heading");
        let mut at = 0;
        for section in [
            "## What it checks",
            "## Guidance",
            "## Why it matters",
            "## How to fix it",
            "## Failing example\n\n```yaml\n",
            "## Passing example\n\n```yaml\n",
        ] {
            let found = text[at..]
                .find(section)
                .unwrap_or_else(|| panic!("{page}: no `{section}` (in order)"));
            at += found + section.len();
        }
        // The guidance cites MOD's own pages: the Secure by Design manual or its source.
        let guidance =
            &text[text.find("## Guidance").unwrap()..text.find("## Why it matters").unwrap()];
        assert!(
            guidance.contains("](https://digital.mod.uk/")
                || guidance.contains("](https://www.digital.mod.uk/")
                || guidance.contains("](https://github.com/defencedigital/moduk-service-manual/"),
            "{page}: its guidance cites no MOD page: {guidance}"
        );
    }
    for code in &codes {
        assert!(
            pages.contains(&format!("{code}.md")),
            "{code} has no page in docs/codes/"
        );
        assert!(
            assure::explain::page(code).is_some(),
            "{code}: not built into assure explain"
        );
    }
    assert_eq!(assure::explain::PAGES.len(), codes.len());
}

#[test]
fn explain_prints_a_page_and_names_the_nearest_code_for_a_typo() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, _) =
        crate::common::run(crate::common::assure_in(dir, &["explain", "sign-4"]));
    assert_eq!(code, 0);
    assert!(stdout.starts_with("# SIGN-4: "), "{stdout}");
    assert!(
        stdout.contains("## Guidance\n\n[Do regular assessments]"),
        "{stdout}"
    );
    let (code, _, stderr) =
        crate::common::run(crate::common::assure_in(dir, &["explain", "unknown-feild"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `unknown-field`?"), "{stderr}");
    let (_, stdout, _) = crate::common::run(crate::common::assure_in(dir, &["explain"]));
    assert_eq!(
        stdout.lines().filter(|l| !l.is_empty()).count(),
        assure::explain::PAGES.len() + 1
    );
}
