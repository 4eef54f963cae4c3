//! The arguments of Jekyll's own tags, read as Jekyll reads them.
//!
//! `{% include a/b.html x="y" z=page.title %}`, `{% link docs/x.md %}` and
//! `{% highlight ruby linenos %}` do not fit liquid-rust's tag grammar, so their arguments are
//! read here, before liquid-rust sees the template; [`super::compile`] then replaces them by
//! a number that points at what was read.

use liquid_core::model::Scalar;
use liquid_core::parser::parse_variable;
use liquid_core::{Expression, Value};

/// A file name or link target: plain, or with `{{ … }}` to render first.
#[derive(Debug, Clone)]
pub enum Target {
    Plain(String),
    /// The text as written (rendered with Liquid when the tag runs).
    Rendered(String),
}

impl Target {
    fn read(text: &str) -> Target {
        if text.contains("{{") {
            Target::Rendered(text.to_string())
        } else {
            Target::Plain(text.to_string())
        }
    }
}

/// The value of an include parameter.
#[derive(Debug, Clone)]
pub enum Param {
    /// A quoted string.
    Text(String),
    /// A variable (or a number, which Jekyll also looks up and finds as itself).
    Variable(Expression),
}

/// `{% include file params %}` (also `include_cached` and `include_relative`).
#[derive(Debug, Clone)]
pub struct IncludeArgs {
    pub file: Target,
    pub params: Vec<(String, Param)>,
}

/// `{% highlight lang [linenos] %}`. `linenos` and Rouge's other options are accepted and
/// have no effect: folio's code blocks have no line numbers.
#[derive(Debug, Clone)]
pub struct HighlightArgs {
    pub lang: String,
}

/// Why arguments cannot be read: the message, and the syntax to show in the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgsError {
    pub message: String,
    pub help: String,
}

fn include_syntax(tag: &str) -> String {
    format!("write it as `{{% {tag} file.ext param=\"value\" param2=variable %}}`")
}

/// Reads `{% include %}` arguments (`tag` is the tag's name, for messages).
pub fn include(tag: &str, args: &str) -> Result<IncludeArgs, ArgsError> {
    let args = args.trim();
    let (file, params) = split_file(args);
    if file.is_empty() {
        return Err(ArgsError {
            message: format!("`{tag}` needs the name of a file"),
            help: include_syntax(tag),
        });
    }
    if !file.contains("{{") {
        check_file_name(tag, file)?;
    }
    let params = read_params(params).map_err(|bad| ArgsError {
        message: format!("invalid parameters for `{tag}`: `{bad}`"),
        help: include_syntax(tag),
    })?;
    Ok(IncludeArgs {
        file: Target::read(file),
        params,
    })
}

/// Splits the file name (which may hold `{{ … }}` and then more name) from the parameters.
fn split_file(args: &str) -> (&str, &str) {
    let bytes = args.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(b"{{") {
            match args[at..].find("}}") {
                Some(close) => at += close + 2,
                None => return (args, ""),
            }
            continue;
        }
        if bytes[at].is_ascii_whitespace() {
            break;
        }
        at += args[at..].chars().next().map_or(1, char::len_utf8);
    }
    (&args[..at], args[at..].trim())
}

/// Jekyll's rule for include file names: word characters and `/.-()+~#@`, and no way up.
fn check_file_name(tag: &str, file: &str) -> Result<(), ArgsError> {
    let allowed = |c: char| c.is_alphanumeric() || "_/.-()+~#@".contains(c);
    let bad_chars = !file.chars().all(allowed);
    let climbs = file.split('/').any(|part| part == "..") || file.starts_with('/');
    if bad_chars || climbs {
        return Err(ArgsError {
            message: format!("`{tag}` file name `{file}` has characters or `..` it may not have"),
            help: format!(
                "name a file inside the folder with letters, digits and `_/.-()+~#@` only; {}",
                include_syntax(tag)
            ),
        });
    }
    Ok(())
}

/// Reads `name=value` pairs: `"text"`, `'text'` or a variable (`page.title`, `3`).
fn read_params(text: &str) -> Result<Vec<(String, Param)>, String> {
    let mut params = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if name_len == 0 {
            return Err(rest.to_string());
        }
        let name = &rest[..name_len];
        let after = rest[name_len..].trim_start();
        let Some(after) = after.strip_prefix('=') else {
            return Err(rest.to_string());
        };
        let after = after.trim_start();
        let (value, used) = match after.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let body = &after[1..];
                let Some(end) = closing_quote(body, quote) else {
                    return Err(rest.to_string());
                };
                let escaped = format!("\\{quote}");
                let text = body[..end].replace(&escaped, &quote.to_string());
                (Param::Text(text), end + 2)
            }
            Some(_) => {
                let len = after
                    .find(|c: char| !(c.is_alphanumeric() || "_.-[]'\"".contains(c)))
                    .unwrap_or(after.len());
                if len == 0 {
                    return Err(rest.to_string());
                }
                let Some(expression) = variable(&after[..len]) else {
                    return Err(rest.to_string());
                };
                (Param::Variable(expression), len)
            }
            None => return Err(rest.to_string()),
        };
        params.push((name.to_string(), value));
        rest = after[used..].trim_start();
    }
    Ok(params)
}

/// The end of a quoted value (a quote not escaped with `\`).
fn closing_quote(body: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            c if c == quote && !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// A variable or number as an expression liquid-rust evaluates.
fn variable(text: &str) -> Option<Expression> {
    if let Ok(int) = text.parse::<i64>() {
        return Some(Expression::Literal(Value::scalar(int)));
    }
    if let Ok(float) = text.parse::<f64>() {
        return Some(Expression::Literal(Value::Scalar(Scalar::new(float))));
    }
    match text {
        "true" => return Some(Expression::Literal(Value::scalar(true))),
        "false" => return Some(Expression::Literal(Value::scalar(false))),
        "nil" | "null" => return Some(Expression::Literal(Value::Nil)),
        _ => {}
    }
    if !text.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        return None;
    }
    parse_variable(text).ok().map(Expression::Variable)
}

/// Reads `{% link target %}`.
pub fn link(args: &str) -> Result<Target, ArgsError> {
    let target = args.trim();
    if target.is_empty() {
        return Err(ArgsError {
            message: "`link` needs the path of a page".into(),
            help: "write it as `{% link guide/setup.md %}`, with the path under content/".into(),
        });
    }
    Ok(Target::read(target))
}

/// Reads `{% highlight lang [options] %}`.
pub fn highlight(args: &str) -> Result<HighlightArgs, ArgsError> {
    let args = args.trim();
    let lang = args.split_whitespace().next().unwrap_or("");
    let lang_ok = !lang.is_empty()
        && lang
            .chars()
            .all(|c| c.is_alphanumeric() || "_+-#.".contains(c));
    if !lang_ok || lang.contains('=') {
        return Err(ArgsError {
            message: format!("`highlight` needs a language first, not `{args}`"),
            help: "write it as `{% highlight ruby %}` or `{% highlight ruby linenos %}`".into(),
        });
    }
    Ok(HighlightArgs {
        lang: lang.to_string(),
    })
}
