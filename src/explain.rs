//! A page for every rule and error code (`assure explain CODE`, as `rustc --explain`): what
//! it checks, the MOD guidance it implements, why it matters, how to fix it, and a failing
//! and a passing example. The pages are `docs/codes/CODE.md`, built into the binary.

use crate::code::Code;

macro_rules! pages {
    ($($code:literal),* $(,)?) => {
        /// Every page, by code.
        pub const PAGES: &[(&str, &str)] = &[$(($code, include_str!(concat!("../docs/codes/", $code, ".md")))),*];
    };
}

pages!(
    "ACT-1",
    "ACT-2",
    "ASSESS-1",
    "ASSESS-2",
    "ASSESS-3",
    "ASSESS-4",
    "ASSESS-5",
    "ASSESS-6",
    "GOV-1",
    "GOV-2",
    "GOV-3",
    "GOV-4",
    "GOV-5",
    "GOV-6",
    "GOV-7",
    "GOV-8",
    "REPORT-1",
    "RISK-1",
    "RISK-2",
    "RISK-3",
    "RISK-4",
    "SIGN-1",
    "SIGN-2",
    "SIGN-3",
    "SIGN-4",
    "SIGN-5",
    "above-classification",
    "binary-file",
    "duplicate-id",
    "duplicate-key",
    "duplicate-record",
    "empty-file",
    "file-too-large",
    "id-mismatch",
    "inconsistent-dates",
    "inconsistent-scores",
    "invalid-date",
    "invalid-format",
    "invalid-policy",
    "invalid-value",
    "missing-field",
    "missing-kind",
    "missing-record",
    "multiple-documents",
    "not-utf8",
    "out-of-range",
    "schema",
    "symlink-outside",
    "too-many-files",
    "unknown-field",
    "unknown-kind",
    "unknown-reference",
    "unread-file",
    "unreadable",
    "wrong-place",
    "wrong-type",
    "yaml-feature",
    "yaml-limit",
    "yaml-syntax"
);

/// The page of `code` (a rule id or an error code, in any case), with the code as written.
pub fn page(code: &str) -> Option<(&'static str, &'static str)> {
    PAGES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        .copied()
}

/// The page of `code`; else a usage error with the closest code.
pub fn page_or_hint(code: &str) -> crate::error::Result<&'static str> {
    if let Some((_, text)) = page(code) {
        return Ok(text);
    }
    let codes = PAGES.iter().map(|(c, _)| *c);
    let hint = match crate::suggest::did_you_mean(code, codes) {
        Some(best) => format!("did you mean `{best}`?"),
        None => "assure explain (without a code) lists every code".to_owned(),
    };
    Err(crate::error::Error::usage(
        format!("there is no code {code}"),
        hint,
    ))
}

/// Where the page of `code` is read on the web, beside the source.
pub fn url(code: Code) -> String {
    format!(
        "{}/blob/main/docs/codes/{}.md",
        env!("CARGO_PKG_REPOSITORY"),
        code.as_str()
    )
}

/// The page's "What it checks" and "How to fix it", as plain text: a SARIF rule's help.
pub fn help(code: Code) -> Option<String> {
    let (_, text) = page(code.as_str())?;
    let section = |name: &str| {
        let start = text.find(&format!("## {name}\n"))? + name.len() + 4;
        let end = text[start..]
            .find("\n## ")
            .map_or(text.len(), |e| start + e);
        Some(text[start..end].trim().to_owned())
    };
    Some(format!(
        "{}\n\nHow to fix it: {}",
        section("What it checks")?,
        section("How to fix it")?
    ))
}
