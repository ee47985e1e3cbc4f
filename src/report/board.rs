//! Rendering the board pack with minijinja. The default templates are embedded; a programme
//! can give its own with `--template FILE`, written against the documented context
//! (`board::Pack`). Undefined values are errors (a typo is caught, not rendered blank), user
//! templates run with a fuel limit, HTML is escaped in `.html` templates and Markdown in
//! `.md` ones, so a `|` in a risk title cannot break a table.

use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use crate::board::Pack;
use crate::error::{Error, Result};
use crate::report::human::plural;
use crate::report::markdown;

pub const MARKDOWN: &str = include_str!("../templates/board.md.j2");
pub const HTML: &str = include_str!("../templates/board.html.j2");

/// Work a template may do before it is stopped: far more than a board pack needs.
const FUEL: u64 = 50_000_000;

fn rag(value: String) -> String {
    match value.as_str() {
        "green" => "🟢 GREEN".to_owned(),
        "amber" => "🟠 AMBER".to_owned(),
        "red" => "🔴 RED".to_owned(),
        other => other.to_uppercase(),
    }
}

fn icon(severity: String) -> &'static str {
    match severity.as_str() {
        "red" => "🔴",
        "amber" => "🟠",
        _ => "⛔",
    }
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

/// `count(n, "risk", "risks")`: "1 risk", "3 risks".
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
    env.set_auto_escape_callback(|name| {
        let name = name.trim_end_matches(".j2").trim_end_matches(".jinja");
        if name.ends_with(".html") || name.ends_with(".htm") {
            AutoEscape::Html
        } else if name.ends_with(".md") {
            AutoEscape::Custom("markdown".into())
        } else {
            AutoEscape::None
        }
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
    env.add_filter("code", code);
    env
}

/// Render `pack` with the template `name` (its extension picks the escaping) from `source`.
pub fn render(pack: &Pack, name: &str, source: &str) -> Result<String> {
    let mut env = environment();
    let describe = |e: minijinja::Error| {
        let line = e
            .line()
            .map(|l| format!(" at line {l}"))
            .unwrap_or_default();
        Error::usage(
            format!(
                "the template {name} failed{line}: {}",
                e.detail().unwrap_or(&e.to_string())
            ),
            "the variables a template can use are listed under \"Board pack templates\" in the README",
        )
    };
    env.add_template_owned(name.to_owned(), source.to_owned())
        .map_err(describe)?;
    let template = env.get_template(name).map_err(describe)?;
    template.render(Value::from(Serde(pack))).map_err(describe)
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
        assert_eq!(count(0, "risk".into(), "risks".into()), "0 risks");
    }
}
