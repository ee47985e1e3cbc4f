//! Text from the records made safe to print, and tokens it cannot forge.

/// Text from the records made safe for a terminal or a CI log: control characters (ESC, CR,
/// a newline inside a title) are shown as their Unicode control pictures (`␛`, `␍`, `␊`),
/// and characters that reorder or hide text (bidirectional overrides) as `�`, one character
/// for one, so nothing can move the cursor, erase a line or start a new one, and a caret
/// under a source line still lines up. Tabs are kept.
pub fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    // Most text is printable ASCII: looked at all at once, without decoding characters.
    let ascii = text.bytes().fold(true, |all, b| {
        all & (b.wrapping_sub(0x20) < 0x5F || b == b'\t')
    });
    if ascii || !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\t' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if unsafe_char(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// A line of an error message, safe on a terminal and in a CI log read by a runner: as
/// [`inert`], with the runner's older command form (`##[`, read anywhere in a line) broken.
pub fn inert_line(text: &str) -> String {
    inert(text).replace("##[", "#\u{2060}#[")
}

/// An unguessable token, new on every call: for delimiters and markers that text from the
/// records must not be able to forge. From the standard library's randomly keyed hasher.
pub fn random_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    (0..2u64)
        .map(|i| {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(i);
            format!("{:016x}", hasher.finish())
        })
        .collect()
}

/// The first eight bytes of `bytes` as a number that sorts as they do, to compare names by
/// before comparing them whole: most names differ within their first eight bytes, and two
/// numbers compare without following a pointer. Names hold no NUL bytes, so padding with
/// them sorts a name before its longer ones.
pub fn sort_prefix(bytes: &[u8]) -> u64 {
    let mut first = [0u8; 8];
    let n = bytes.len().min(8);
    first[..n].copy_from_slice(&bytes[..n]);
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_their_prefix_as_they_do_whole() {
        let names = [
            "R-000010.yaml",
            "R-00001.yaml",
            "R-0000",
            "R-000010",
            "",
            "R",
            "R-000010.yml",
            "b",
            "R-0000100.yaml",
            "é.yaml",
            "R-0000\u{7f}",
            "R-1",
        ];
        let mut whole: Vec<&str> = names.to_vec();
        whole.sort();
        let mut by_prefix: Vec<&str> = names.to_vec();
        by_prefix
            .sort_by(|a, b| (sort_prefix(a.as_bytes()), a).cmp(&(sort_prefix(b.as_bytes()), b)));
        assert_eq!(by_prefix, whole);
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(inert("Laptop theft"), "Laptop theft");
        assert_eq!(inert("a\tb~"), "a\tb~");
        assert_eq!(inert("a\u{7f}b"), "a\u{2421}b");
        assert_eq!(inert("café\u{85}"), "café\u{fffd}");
        assert_eq!(
            inert("x\n::error::forged\r\u{1b}[2K\t\u{202e}y"),
            "x␊::error::forged␍␛[2K\t\u{fffd}y"
        );
        // One character for one: columns stay where they were.
        let text = "a\u{1b}b\u{2066}c";
        assert_eq!(inert(text).chars().count(), text.chars().count());
    }
}
