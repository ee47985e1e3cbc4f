//! The board pack as a board member holds it: printed by a real browser to A4, read back
//! with poppler. Run where Chromium and poppler-utils are installed (`.ci/run` installs them).

use crate::common::*;
use std::path::Path;
use std::process::Command;

/// Print `html` to a PDF beside it with headless Chromium; the text of each page.
fn print(chromium: &Path, pdftotext: &Path, html: &Path) -> Vec<String> {
    let pdf = html.with_extension("pdf");
    let printed = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    assert!(
        pdf.is_file(),
        "no PDF: {}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let text = Command::new(pdftotext)
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&text.stdout)
        .split('\u{c}')
        .filter(|page| !page.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every page carries the marking at its top and bottom and "Page N of M", and holds more
/// than its margins.
fn check_pages(pages: &[String], marking: &str) {
    let total = pages.len();
    for (n, page) in pages.iter().enumerate() {
        let lines: Vec<&str> = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            lines.first().copied(),
            Some(marking),
            "page {}: {page}",
            n + 1
        );
        let last = lines.last().copied().unwrap_or_default();
        assert!(
            last.starts_with(marking) && last.ends_with(&format!("Page {} of {total}", n + 1)),
            "page {}: {last}",
            n + 1
        );
        assert!(
            lines.len() > 4,
            "page {} holds only its margins: {page}",
            n + 1
        );
    }
}

/// The bundled example's pack as of `day`, printed, page by page; `None` where Chromium or
/// pdftotext is missing (and CI is not set).
fn example_pages(day: &str) -> Option<Vec<String>> {
    // Both asked for, so that each missing one says so.
    let (chromium, pdftotext) = (validator("chromium"), validator("pdftotext"));
    let (chromium, pdftotext) = (chromium?, pdftotext?);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let html = out.path().join("pack.html");
    let (code, _, stderr) = run(assure_in(
        root,
        &[
            "board",
            "--dir",
            "examples/logistics-portal/assurance",
            "--as-of",
            day,
            "--format",
            "html",
            "--out",
            html.to_str().unwrap(),
        ],
    ));
    assert_eq!(code, 0, "{stderr}");
    Some(print(&chromium, &pdftotext, &html))
}

#[test]
fn the_example_pack_prints_page_one_for_the_board_and_an_annex() {
    let Some(pages) = example_pages("2026-11-28") else {
        return;
    };
    assert!((2..=3).contains(&pages.len()), "{} pages", pages.len());
    check_pages(&pages, "OFFICIAL");
    // Page one stands on its own: both headlines, the decisions, the pictures, what changed;
    // the annex starts on a page of its own.
    let one = &pages[0];
    for part in [
        "Assurance currency",
        "Risk position",
        "Decisions needed",
        "Open risks by likelihood and impact",
        "Open risks above tolerance",
        "What changed since 2026-10-29",
    ] {
        assert!(one.contains(part), "{part} on page one: {one}");
    }
    assert!(!one.contains("Annex"), "{one}");
    assert!(
        pages[1].contains("Annex: for the delivery team"),
        "{}",
        pages[1]
    );
    // No jargon anywhere.
    for page in &pages {
        for jargon in [
            "assure sign",
            "sha256:",
            "event_reassessment",
            "P30D",
            "P1M",
            "p-okafor",
        ] {
            assert!(!page.contains(jargon), "{jargon}: {page}");
        }
    }
}

/// Months later the SRO owes decisions: page one still stands on its own, holding the
/// weightiest three with their dates (overdue said so), the pictures and what changed; the
/// rest of the decisions are listed in the annex.
#[test]
fn page_one_holds_the_decisions_and_stays_one_page() {
    let Some(pages) = example_pages("2027-05-15") else {
        return;
    };
    check_pages(&pages, "OFFICIAL");
    let one = &pages[0];
    for part in [
        "Decisions needed",
        "overdue",
        "And 1 more in the annex.",
        "Open risks by likelihood and impact",
        "Open risks above tolerance",
        "What changed since 2026-10-29",
        // The last line of what changed, too: page one is not cut short.
        "3 sign-offs added.",
    ] {
        assert!(one.contains(part), "{part} on page one: {one}");
    }
    assert!(!one.contains("Annex"), "{one}");
    assert!(
        pages[1].contains("Annex: for the delivery team"),
        "the annex starts page two: {}",
        pages[1]
    );
    let annex = pages[1..].join("\n");
    assert!(annex.contains("All decisions needed"), "{annex}");
}

/// A long period with many risks, changes and findings still prints with every page marked
/// and numbered, and no page holding only a footer.
#[test]
fn a_long_pack_prints_with_every_page_marked_and_numbered() {
    let (Some(chromium), Some(pdftotext)) = (validator("chromium"), validator("pdftotext")) else {
        return;
    };
    let repo = Repo::valid();
    repo.commit("2026-01-05", "Records");
    for month in 2..=9 {
        for n in 0..5 {
            let id = format!("R-{:03}", month * 10 + n);
            repo.write(
                &format!("assurance/risks/{id}.yaml"),
                risk(&id)
                    .replace(
                        "Laptop theft",
                        &format!("Risk number {id} with a long enough title"),
                    )
                    .replace(
                        "residual: {likelihood: 2, impact: 3}",
                        &format!("residual: {{likelihood: {}, impact: 3}}", 1 + n % 3),
                    ),
            );
        }
        repo.commit(&format!("2026-{month:02}-05"), "More risks");
    }
    let (code, _, stderr) = run(repo.assure(&[
        "board",
        "--as-of",
        "2026-10-01",
        "--since",
        "2026-01-01",
        "--format",
        "html",
        "--out",
        "pack.html",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let pages = print(&chromium, &pdftotext, &repo.file("pack.html"));
    assert!(pages.len() >= 3, "{} pages", pages.len());
    check_pages(&pages, "OFFICIAL");
}
