//! The canonical digest that binds a sign-off to exactly what it approves.
//!
//! Algorithm (documented in the README so other tools can reproduce it):
//! 1. Parse the record's YAML into a JSON data model (YAML 1.2 core schema: `true`/`false`,
//!    integers, floats, null, strings; dates stay strings).
//! 2. Serialise it as JSON per RFC 8785 (JCS): object members sorted by their keys' UTF-16
//!    code units, no white space, strings escaped as ECMAScript `JSON.stringify` does, and
//!    numbers in ECMAScript `Number.prototype.toString` form.
//! 3. Hash those UTF-8 bytes with SHA-256 and write `sha256:` followed by 64 lower-case hex
//!    digits.
//!
//! Comments, key order, quoting and flow or block style therefore do not change the digest;
//! any change of a value does.

use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::fmt::{self, Write as _};
use std::str::FromStr;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Digest([u8; 32]);

impl Digest {
    pub fn of(value: &Value) -> Digest {
        Digest::of_written(|out| write_canonical(value, out))
    }

    /// The digest of the canonical JSON `write` writes.
    pub fn of_written(write: impl FnOnce(&mut String)) -> Digest {
        let mut canonical = String::with_capacity(1024);
        write(&mut canonical);
        Digest(Sha256::digest(canonical.as_bytes()).into())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sha256:")?;
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A digest not written `sha256:` and 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not `sha256:` and 64 hex digits")]
pub struct DigestError(String);

impl FromStr for Digest {
    type Err = DigestError;

    fn from_str(text: &str) -> Result<Self, DigestError> {
        let refuse = || DigestError(text.to_owned());
        let hex = text
            .strip_prefix("sha256:")
            .filter(|h| h.len() == 64)
            .ok_or_else(refuse)?;
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = hex
                .get(2 * i..2 * i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(refuse)?;
        }
        Ok(Digest(bytes))
    }
}

/// The RFC 8785 canonical JSON text of `value`.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map.iter(), out, write_canonical),
    }
}

/// A JSON object, its members in canonical order, each value written by `write`.
pub fn write_object<K: AsRef<str>, T>(
    members: impl Iterator<Item = (K, T)>,
    out: &mut String,
    mut write: impl FnMut(T, &mut String),
) {
    let mut members: Vec<(K, T)> = members.collect();
    // RFC 8785 orders keys by UTF-16 code units, not by UTF-8 bytes; for keys of ASCII (as
    // record keys are) the two orders are the same.
    if members.iter().all(|(k, _)| k.as_ref().is_ascii()) {
        members.sort_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
    } else {
        members.sort_by(|a, b| a.0.as_ref().encode_utf16().cmp(b.0.as_ref().encode_utf16()));
    }
    out.push('{');
    for (i, (key, item)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(key.as_ref(), out);
        out.push(':');
        write(item, out);
    }
    out.push('}');
}

/// A value as canonical JSON.
pub fn write_value(value: &Value, out: &mut String) {
    write_canonical(value, out);
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    // Runs of characters that need no escape are copied whole; every byte that needs one
    // is ASCII, so the runs end on character boundaries.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

fn write_number(n: &serde_json::Number, out: &mut String) {
    if let Some(i) = n.as_i64() {
        let _ = write!(out, "{i}");
    } else if let Some(u) = n.as_u64() {
        let _ = write!(out, "{u}");
    } else {
        write_es_float(n.as_f64().unwrap_or(0.0), out);
    }
}

/// ECMAScript Number.prototype.toString for a finite double, from Rust's shortest
/// round-trip digits.
fn write_es_float(f: f64, out: &mut String) {
    if f == 0.0 {
        out.push('0');
        return;
    }
    if f < 0.0 {
        out.push('-');
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i32;
    let n = exponent.parse::<i32>().unwrap_or(0) + 1;
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = n - 1;
        let _ = write!(out, "e{}{}", if e >= 0 { "+" } else { "-" }, e.abs());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::yaml::parse_value;
    use serde_json::json;

    fn digest_of(yaml: &str) -> String {
        Digest::of(&parse_value(yaml).unwrap()).to_string()
    }

    #[test]
    fn canonical_form_sorts_keys_and_drops_white_space() {
        let v = json!({"b": [1, "x\n\"y\""], "a": {"d": null, "c": true}, "é": 1, "z": -0});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":true,"d":null},"b":[1,"x\n\"y\""],"z":0,"é":1}"#
        );
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        // U+1F600 (a surrogate pair, 0xD83D…) sorts before U+FB01 in UTF-16 code units,
        // after it in UTF-8 bytes.
        let v = json!({"\u{FB01}": 2, "\u{1F600}": 1});
        assert_eq!(canonical_json(&v), "{\"\u{1F600}\":1,\"\u{FB01}\":2}");
    }

    #[test]
    fn floats_follow_ecmascript() {
        for (f, text) in [
            (1.5, "1.5"),
            (100.0, "100"),
            (1e21, "1e+21"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (123456.789, "123456.789"),
            (-2.5e-10, "-2.5e-10"),
        ] {
            let mut out = String::new();
            write_es_float(f, &mut out);
            assert_eq!(out, text);
        }
    }

    #[test]
    fn control_characters_are_escaped_in_lower_case_hex() {
        assert_eq!(canonical_json(&json!("\u{1f}")), "\"\\u001f\"");
    }

    proptest::proptest! {
        /// Strings are escaped as JSON.stringify (and serde_json) escape them: quotes,
        /// backslashes, the short escapes, other controls in lower-case hex, the rest as is.
        #[test]
        fn strings_are_escaped_as_json_stringify_does(s in "[a-z é😀\u{0}-\u{1f}\"\\\\\u{7f}]*") {
            let mut out = String::new();
            write_string(&s, &mut out);
            proptest::prop_assert_eq!(out, serde_json::to_string(&s).unwrap());
        }
    }

    #[test]
    fn fixed_record_has_a_fixed_digest() {
        // Pinned: if this changes, every existing sign-off is voided. Never update it lightly.
        let yaml =
            "kind: risk\nid: R-001\ntitle: Laptop theft\nresidual: {likelihood: 3, impact: 4}\n";
        assert_eq!(
            canonical_json(&parse_value(yaml).unwrap()),
            r#"{"id":"R-001","kind":"risk","residual":{"impact":4,"likelihood":3},"title":"Laptop theft"}"#
        );
        assert_eq!(
            digest_of(yaml),
            "sha256:3ed47d0343124ff3e74617d26d7178d3037e77d69fbf3325a124185bcfc0a5b2"
        );
    }

    #[test]
    fn formatting_does_not_change_the_digest() {
        let block = "# the risk\nkind: risk\nid: R-001\ntitle: Laptop theft\nresidual:\n  likelihood: 3\n  impact: 4\n";
        let flow = "{id: 'R-001', residual: {impact: 4, likelihood: 3}, title: \"Laptop theft\", kind: risk}";
        let reordered = "title: Laptop theft   # trailing comment\nresidual: {impact: 4, likelihood: 3}\nkind: risk\nid: \"R-001\"\n";
        assert_eq!(digest_of(block), digest_of(flow));
        assert_eq!(digest_of(block), digest_of(reordered));
    }

    #[test]
    fn line_endings_and_a_byte_order_mark_do_not_change_the_digest() {
        // A file saved on Windows: CRLF line breaks, inside block scalars too, and a BOM.
        let unix = "kind: risk\nid: R-001\ndescription: |\n  Two lines\n  of text.\nnote: >\n  folded\n  text\n";
        let windows = format!("\u{feff}{}", unix.replace('\n', "\r\n"));
        assert_eq!(digest_of(unix), digest_of(&windows));
        assert_eq!(
            parse_value(&windows).unwrap()["description"],
            "Two lines\nof text.\n"
        );
    }

    #[test]
    fn any_change_of_value_changes_the_digest() {
        let base =
            "kind: risk\nid: R-001\ntitle: Laptop theft\nresidual: {likelihood: 3, impact: 4}\n";
        for changed in [
            "kind: risk\nid: R-001\ntitle: Laptop theft\nresidual: {likelihood: 3, impact: 5}\n",
            "kind: risk\nid: R-001\ntitle: Laptop theft.\nresidual: {likelihood: 3, impact: 4}\n",
            "kind: risk\nid: R-001\ntitle: Laptop theft\nresidual: {likelihood: \"3\", impact: 4}\n",
            "kind: risk\nid: R-001\ntitle: Laptop theft\nresidual: {likelihood: 3, impact: 4}\nescalate: true\n",
        ] {
            assert_ne!(digest_of(base), digest_of(changed), "{changed}");
        }
    }

    #[test]
    fn digests_round_trip_through_text() {
        let d = Digest::of(&json!({"a": 1}));
        assert_eq!(d.to_string().parse::<Digest>(), Ok(d));
        assert!("sha256:xyz".parse::<Digest>().is_err());
    }
}
