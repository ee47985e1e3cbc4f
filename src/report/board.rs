//! Rendering the board pack with minijinja. The default templates are embedded; a programme
//! can give its own with `--template FILE`, written against the documented context
//! (`board::Pack`). Undefined values are errors (a typo is caught, not rendered blank), user
//! templates run with a fuel limit, HTML is escaped in `.html` templates and Markdown in
//! `.md` ones, so a `|` in a risk title cannot break a table.

use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};

use crate::board::Pack;
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::report::human::plural;
use crate::report::{markdown, svg};
use crate::rules::Rag;

pub const MARKDOWN: &str = include_str!("../templates/board.md.j2");
pub const HTML: &str = include_str!("../templates/board.html.j2");

/// A template to render a pack with: its name, its text, and how what it prints from the
/// records is escaped.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub source: String,
    pub escape: Escape,
}

/// How a template's output escapes record text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    Html,
    Markdown,
    /// Plain text: nothing is escaped.
    None,
}

impl Escape {
    /// The escaping a template's file name calls for, case aside: `.html`, `.htm`, `.xhtml`,
    /// `.xml`, `.svg` escape HTML; `.md` and `.markdown` escape Markdown; `.txt` and `.text`
    /// nothing; each may end in `.j2`, `.jinja` or `.jinja2`. `None` for a name that says
    /// none of these: the caller must be told.
    pub fn for_name(name: &str) -> Option<Escape> {
        let lower = name.to_ascii_lowercase();
        let mut stem = lower.as_str();
        for suffix in [".j2", ".jinja2", ".jinja"] {
            if let Some(s) = stem.strip_suffix(suffix) {
                stem = s;
                break;
            }
        }
        let ext = stem.rsplit_once('.').map(|(_, e)| e)?;
        match ext {
            "html" | "htm" | "xhtml" | "xml" | "svg" => Some(Escape::Html),
            "md" | "markdown" => Some(Escape::Markdown),
            "txt" | "text" => Some(Escape::None),
            _ => None,
        }
    }

    /// The name the template is registered under: its extension sets the escaping.
    fn registered_name(self) -> &'static str {
        match self {
            Escape::Html => "pack.html",
            Escape::Markdown => "pack.md",
            Escape::None => "pack.txt",
        }
    }
}

impl Template {
    /// The built-in Markdown or HTML pack.
    pub fn builtin(html: bool) -> Template {
        let (name, source, escape) = if html {
            ("board.html.j2", HTML, Escape::Html)
        } else {
            ("board.md.j2", MARKDOWN, Escape::Markdown)
        };
        Template {
            name: name.to_owned(),
            source: source.to_owned(),
            escape,
        }
    }
}

/// The most a template may write: a pack is a few hundred kilobytes.
const MAX_OUTPUT: usize = 16 * 1024 * 1024;

/// Collects a template's output, refusing to grow past `MAX_OUTPUT`.
#[derive(Default)]
struct Capped {
    out: Vec<u8>,
    overflowed: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.out.len() + bytes.len() > MAX_OUTPUT {
            self.overflowed = true;
            return Err(std::io::Error::other("the output is too large"));
        }
        self.out.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The pack's two pictures, drawn as SVG from its data.
#[derive(Debug, Default, Serialize)]
pub struct Pictures {
    pub heatmap_svg: String,
    pub trend_svg: String,
    /// File names when the Markdown pack is written with --out (pictures beside it).
    pub heatmap_file: Option<String>,
    pub trend_file: Option<String>,
}

/// Draw the heat map and the trend of `pack`.
pub fn pictures(pack: &Pack) -> Pictures {
    let heatmap = &pack.heatmap;
    Pictures {
        heatmap_svg: svg::heatmap(heatmap),
        trend_svg: svg::trend(
            &pack.trend_points,
            &pack.bands,
            pack.period.since,
            pack.as_of,
        ),
        heatmap_file: None,
        trend_file: None,
    }
}

/// `--format json`: the pack's data, as a template sees it, after the common header.
pub fn json(pack: &Pack, pictures: &Pictures) -> String {
    #[derive(Serialize)]
    struct Json<'a> {
        version: u32,
        tool: &'static str,
        command: &'static str,
        #[serde(flatten)]
        context: Context<'a>,
    }
    let report = Json {
        version: 1,
        tool: "assure",
        command: "board",
        context: Context { pack, pictures },
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// What a template sees: the pack, and its pictures.
#[derive(Serialize)]
struct Context<'a> {
    #[serde(flatten)]
    pack: &'a Pack,
    pictures: &'a Pictures,
}

/// Work a template may do before it is stopped. One fuel pays for one instruction or 64
/// bytes of data the template makes (strings, lists, output), so this also bounds the memory
/// a template can take, to about 64 MB: a string repeated or joined past that is refused
/// before it is made. The default pack over a 20,000-commit history needs under a quarter.
const FUEL: u64 = 1_000_000;

fn rag(value: String) -> String {
    Rag::from_name(&value).map_or_else(|| value.to_uppercase(), |r| markdown::rag(r).to_owned())
}

fn icon(severity: String) -> &'static str {
    markdown::severity(Severity::from_name(&severity).unwrap_or(Severity::Error))
}

fn arrow(trend: String) -> &'static str {
    match trend.as_str() {
        "up" => "↑ up",
        "down" => "↓ down",
        "new" => "new",
        _ => "→ same",
    }
}

/// `text | code` in HTML templates: the text escaped, with each `quoted` span set as code.
fn code(text: String) -> Value {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;");
    let parts: Vec<&str> = escaped.split('`').collect();
    let mut html = String::with_capacity(escaped.len());
    for (i, part) in parts.iter().enumerate() {
        let opens_code = i % 2 == 1 && i + 1 < parts.len();
        let closed_code = i % 2 == 1 && !opens_code;
        if opens_code {
            html.push_str("<code>");
            html.push_str(part);
            html.push_str("</code>");
        } else {
            // An unmatched backtick stays as it was written.
            if closed_code {
                html.push('`');
            }
            html.push_str(part);
        }
    }
    Value::from_safe_string(html)
}

/// `position(status.position)`: the risk position in a sentence.
fn position(summary: Value) -> std::result::Result<String, minijinja::Error> {
    let summary = crate::rules::risks::Summary::deserialize(summary).map_err(|e| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("position() takes a risk position, such as status.position: {e}"),
        )
    })?;
    Ok(crate::report::human::risk_position(&summary))
}

/// `count(n, "risk", "risks")`: "1 risk", "3 risks".
/// How the currency moved since the start of the period, to follow "it was GREEN".
fn since_start(trend: String) -> &'static str {
    match trend.as_str() {
        "better" => ", and it has improved since",
        "worse" => ", and it has got worse since",
        _ => ", and it is the same now",
    }
}

fn count(n: usize, one: String, many: String) -> String {
    plural(n, &one, &many)
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.set_fuel(Some(FUEL));
    // Templates are registered under a name that says their escaping (`Escape`).
    env.set_auto_escape_callback(|name| match name {
        "pack.html" => AutoEscape::Html,
        "pack.md" => AutoEscape::Custom("markdown".into()),
        _ => AutoEscape::None,
    });
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), AutoEscape::Custom(name) if name == "markdown")
            && !value.is_safe()
        {
            let text = value.to_string();
            return out
                .write_str(&markdown::escape(&text))
                .map_err(minijinja::Error::from);
        }
        minijinja::escape_formatter(out, state, value)
    });
    env.add_function("rag", rag);
    env.add_function("icon", icon);
    env.add_function("arrow", arrow);
    env.add_function("count", count);
    env.add_function("since_start", since_start);
    env.add_function("position", position);
    env.add_filter("code", code);
    env
}

/// Render `pack` and its `pictures` with `template`.
pub fn render(pack: &Pack, pictures: &Pictures, template: &Template) -> Result<String> {
    let mut env = environment();
    let failed = |source: minijinja::Error| Error::Template {
        name: template.name.clone(),
        source,
    };
    let registered = template.escape.registered_name();
    env.add_template_owned(registered, template.source.clone())
        .map_err(failed)?;
    let context = Context { pack, pictures };
    let mut out = Capped::default();
    let rendered = env.get_template(registered).and_then(|t| {
        t.render_captured_to(Value::from(Serde(&context)), &mut out)
            .map(|_| ())
    });
    match rendered {
        Ok(()) => String::from_utf8(out.out).map_err(|_| {
            Error::usage(
                format!(
                    "the template {} wrote text that is not UTF-8",
                    template.name
                ),
                "check the template",
            )
        }),
        Err(_) if out.overflowed => Err(Error::usage(
            format!(
                "the template {} wrote more than {} MiB, and was stopped",
                template.name,
                MAX_OUTPUT / (1024 * 1024)
            ),
            "a pack is a few pages: look for a loop that never ends in the template",
        )),
        Err(e) if e.kind() == minijinja::ErrorKind::OutOfFuel => Err(Error::usage(
            format!(
                "the template {} did more work, or built more text, than a board pack needs, and was stopped",
                template.name
            ),
            "look for a loop that never ends, or a string or list that grows without bound",
        )
        .because(e)),
        Err(e) => Err(failed(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_escapes_html_and_sets_quoted_spans_as_code() {
        assert_eq!(
            code("record it with `trigger: change` & <b>`x`</b>".to_owned()).to_string(),
            "record it with <code>trigger: change</code> &amp; &lt;b&gt;<code>x</code>&lt;/b&gt;"
        );
        // A lone backtick is text, not the start of code.
        assert_eq!(
            code("it's `a` and ` alone".to_owned()).to_string(),
            "it&#x27;s <code>a</code> and ` alone"
        );
        assert_eq!(code("plain".to_owned()).to_string(), "plain");
    }

    #[test]
    fn count_agrees_with_its_number() {
        assert_eq!(count(1, "risk".into(), "risks".into()), "1 risk");
        assert_eq!(since_start("worse".into()), ", and it has got worse since");
        assert_eq!(count(0, "risk".into(), "risks".into()), "0 risks");
    }
}
