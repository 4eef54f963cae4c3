//! Splits a page into YAML front matter and Markdown body, and reads the front matter into
//! typed fields. Errors point at the line and column in the `.md` file, not in the YAML block.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostic;

/// A title as written: just-the-docs sorts titles that are YAML numbers in their own group.
#[derive(Debug, Clone, PartialEq)]
pub struct Title {
    pub text: String,
    pub is_number: bool,
}

/// `nav_order` as written: numbers and strings sort in different groups.
#[derive(Debug, Clone, PartialEq)]
pub enum NavOrder {
    Number(f64),
    Text(String),
}

/// The front matter keys folio understands; every other key is kept in `extra`.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: Option<Title>,
    pub layout: Option<String>,
    pub nav_order: Option<NavOrder>,
    pub parent: Option<String>,
    pub grand_parent: Option<String>,
    pub ancestor: Option<String>,
    pub has_children: Option<bool>,
    pub child_nav_order: Option<String>,
    pub has_toc: Option<bool>,
    pub nav_exclude: bool,
    pub nav_enabled: Option<bool>,
    pub search_exclude: bool,
    pub permalink: Option<String>,
    pub description: Option<String>,
    pub summary: Option<String>,
    pub draft: bool,
    pub last_modified_date: Option<String>,
    /// Every key folio does not interpret.
    pub extra: Mapping,
    /// Every key as written, for templates.
    pub raw: Mapping,
    /// The line (1-based, in the file) of each top-level key.
    pub key_lines: Vec<(String, usize)>,
}

impl FrontMatter {
    /// The file line of a top-level key, or the first line of the front matter.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(1, |(_, line)| *line)
    }
}

/// A page's source split in two.
#[derive(Debug)]
pub struct SplitPage<'a> {
    /// `None` when the page has no front matter block.
    pub front_matter: Option<FrontMatter>,
    pub body: &'a str,
    /// The file line on which `body` starts.
    pub body_line: usize,
    /// Problems that do not stop the page from being built.
    pub warnings: Vec<Diagnostic>,
}

/// Splits `text` (BOM removed, `\n` line endings) and parses its front matter.
pub fn split(text: &str) -> Result<SplitPage<'_>, Vec<Diagnostic>> {
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| (text == "---").then_some(""))
    else {
        return Ok(SplitPage {
            front_matter: None,
            body: text,
            body_line: 1,
            warnings: Vec::new(),
        });
    };
    let (yaml, body, closing_line) = match find_closing(after_open) {
        Some((yaml_end, body_start, lines)) => (
            &after_open[..yaml_end],
            &after_open[body_start..],
            lines + 2,
        ),
        None => {
            return Err(vec![
                Diagnostic::error("the front matter that starts on line 1 is never closed")
                    .at(1, 1)
                    .with_help("end the front matter with a line containing only `---`"),
            ]);
        }
    };
    let (front_matter, warnings) = parse_yaml(yaml)?;
    Ok(SplitPage {
        front_matter: Some(front_matter),
        body,
        body_line: closing_line + 1,
        warnings,
    })
}

/// Returns (end of YAML, start of body, number of YAML lines).
fn find_closing(text: &str) -> Option<(usize, usize, usize)> {
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches('\n').trim_end();
        if content == "---" || content == "..." {
            return Some((offset, offset + line.len(), index));
        }
        offset += line.len();
    }
    None
}

/// The front matter starts on file line 2 (after the opening `---`).
const FIRST_YAML_LINE: usize = 2;

fn parse_yaml(yaml: &str) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let value: Value = if yaml.trim().is_empty() {
        Value::Mapping(Mapping::new())
    } else {
        serde_yaml::from_str(yaml).map_err(|err| vec![yaml_error(&err)])?
    };
    let mapping = match value {
        Value::Mapping(mapping) => mapping,
        Value::Null => Mapping::new(),
        other => {
            return Err(vec![
                Diagnostic::error(format!(
                    "the front matter is {}, not a set of `key: value` lines",
                    describe(&other)
                ))
                .at(FIRST_YAML_LINE, 1)
                .with_help("write one `key: value` per line, e.g. `title: Setup`"),
            ]);
        }
    };
    read_fields(mapping, key_lines(yaml))
}

fn yaml_error(err: &serde_yaml::Error) -> Diagnostic {
    let message = err.to_string();
    // serde_yaml appends "at line L column C" itself; the location is reported separately.
    let message = match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message,
    };
    let diagnostic = Diagnostic::error(format!("the front matter is not valid YAML: {message}"))
        .with_help("check the quoting and indentation; values with `: ` or starting with `{`, `[`, `*`, `&`, `!` or `@` need quotes");
    match err.location() {
        Some(location) => diagnostic.at(location.line() + FIRST_YAML_LINE - 1, location.column()),
        None => diagnostic.at_line(FIRST_YAML_LINE),
    }
}

fn key_lines(yaml: &str) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    for (index, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some(colon) = line.find(':') {
            let key = line[..colon].trim().trim_matches(['"', '\'']);
            let after = &line[colon + 1..];
            if !key.is_empty() && (after.is_empty() || after.starts_with([' ', '\t'])) {
                lines.push((key.to_string(), index + FIRST_YAML_LINE));
            }
        }
    }
    lines
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a piece of text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

struct Reader {
    key_lines: Vec<(String, usize)>,
    problems: Vec<Diagnostic>,
}

impl Reader {
    fn line(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(FIRST_YAML_LINE, |(_, line)| *line)
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Value, example: &str) {
        let line = self.line(key);
        self.problems.push(
            Diagnostic::error(format!(
                "`{key}` must be {expected}, but it is {}",
                describe(found)
            ))
            .at(line, 1)
            .with_help(format!("for example `{key}: {example}`")),
        );
    }

    /// Text, accepting numbers and booleans as written (titles can be numbers).
    fn text(&mut self, key: &str, value: Value) -> Option<String> {
        match value {
            Value::Null => None,
            Value::String(text) => Some(text),
            Value::Number(number) => Some(number.to_string()),
            Value::Bool(flag) => Some(flag.to_string()),
            other => {
                self.wrong_type(key, "text", &other, "Some text");
                None
            }
        }
    }

    fn flag(&mut self, key: &str, value: Value) -> Option<bool> {
        match value {
            Value::Null => None,
            Value::Bool(flag) => Some(flag),
            other => {
                self.wrong_type(key, "true or false", &other, "true");
                None
            }
        }
    }
}

fn read_fields(
    mapping: Mapping,
    key_lines: Vec<(String, usize)>,
) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut reader = Reader {
        key_lines,
        problems: Vec::new(),
    };
    let mut front = FrontMatter {
        raw: mapping.clone(),
        ..FrontMatter::default()
    };
    for (key, value) in mapping {
        let Value::String(name) = &key else {
            front.extra.insert(key, value);
            continue;
        };
        match name.as_str() {
            "title" => {
                let is_number = matches!(value, Value::Number(_));
                front.title = reader.text("title", value).map(|text| Title {
                    text: text.trim().to_string(),
                    is_number,
                });
            }
            "nav_order" => {
                front.nav_order = match value {
                    Value::Null => None,
                    Value::Number(number) => number.as_f64().map(NavOrder::Number),
                    Value::String(text) => Some(NavOrder::Text(text)),
                    other => {
                        reader.wrong_type("nav_order", "a number or text", &other, "3");
                        None
                    }
                }
            }
            "layout" => front.layout = reader.text("layout", value),
            "parent" => front.parent = reader.text("parent", value).map(|t| t.trim().to_string()),
            "grand_parent" => {
                front.grand_parent = reader
                    .text("grand_parent", value)
                    .map(|t| t.trim().to_string())
            }
            "ancestor" => {
                front.ancestor = reader.text("ancestor", value).map(|t| t.trim().to_string())
            }
            "has_children" => front.has_children = reader.flag("has_children", value),
            "child_nav_order" => front.child_nav_order = reader.text("child_nav_order", value),
            "has_toc" => front.has_toc = reader.flag("has_toc", value),
            "nav_exclude" => front.nav_exclude = reader.flag("nav_exclude", value).unwrap_or(false),
            "nav_enabled" => front.nav_enabled = reader.flag("nav_enabled", value),
            "search_exclude" => {
                front.search_exclude = reader.flag("search_exclude", value).unwrap_or(false)
            }
            "permalink" => front.permalink = reader.text("permalink", value),
            "description" => front.description = reader.text("description", value),
            "summary" => front.summary = reader.text("summary", value),
            "draft" => front.draft = reader.flag("draft", value).unwrap_or(false),
            "last_modified_date" => {
                front.last_modified_date = reader.text("last_modified_date", value)
            }
            _ => {
                front.extra.insert(key, value);
            }
        }
    }
    if let Some(order) = &front.child_nav_order
        && !matches!(order.as_str(), "reversed" | "desc")
    {
        let line = reader.line("child_nav_order");
        reader.problems.push(
            Diagnostic::warning(format!(
                "`child_nav_order: {order}` is not known and has no effect"
            ))
            .at(line, 1)
            .with_help("the only value is `reversed` (or its old name `desc`)"),
        );
    }
    front.key_lines = reader.key_lines;
    if reader.problems.iter().any(Diagnostic::is_error) {
        Err(reader.problems)
    } else {
        Ok((front, reader.problems))
    }
}
