//! Splits a page into YAML front matter and Markdown body, and reads the front matter into
//! typed fields. Errors point at the line and column in the `.md` file, not in the YAML block.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostic, line_col};

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
    /// Left out of the print page (`/print/`).
    pub print_exclude: bool,
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
    } else if let Some(mapping) = super::plain_yaml::mapping(yaml) {
        Value::Mapping(mapping)
    } else {
        serde_yaml::from_str(yaml).map_err(|err| vec![yaml_error(&err, yaml)])?
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

fn yaml_error(err: &serde_yaml::Error, yaml: &str) -> Diagnostic {
    let full = err.to_string();
    let help = "check the quoting and indentation; values with `: ` or starting with `{`, `[`, `*`, `&`, `!` or `@` need quotes";
    // "PROBLEM at line L column C, while parsing THING at line L2 column C2": the start of
    // THING is where the writer has to look.
    let (problem, context) = match full.split_once(", while ") {
        Some((problem, context)) => (problem, Some(context)),
        None => (full.as_str(), None),
    };
    let problem = problem.split(" at line ").next().unwrap_or(problem);
    let yaml_lines = yaml.lines().count().max(1);
    let mut place = err.location().map(|l| (l.line(), l.column()));
    let mut message = format!("the front matter is not valid YAML: {problem}");
    if let Some(context) = context {
        let (what, at) = context.split_once(" at line ").unwrap_or((context, ""));
        if let Some((line, column)) = at.split_once(" column ")
            && let (Ok(line), Ok(column)) =
                (line.trim().parse::<usize>(), column.trim().parse::<usize>())
        {
            place = Some((line, column));
        }
        message.push_str(&format!(" ({what} that starts here)"));
    }
    if let Some(key) = problem.strip_prefix("duplicate entry with key ") {
        let key = key.trim_matches('"');
        let repeats: Vec<usize> = key_lines(yaml)
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, l)| *l)
            .collect();
        if let Some(second) = repeats.get(1) {
            place = Some((second - FIRST_YAML_LINE + 1, 1));
        }
        return Diagnostic::error(format!("the front matter sets `{key}` twice"))
            .at(
                place.map_or(FIRST_YAML_LINE, |(l, _)| l + FIRST_YAML_LINE - 1),
                1,
            )
            .with_help("keep one of the two lines");
    }
    let diagnostic = Diagnostic::error(message).with_help(help);
    match place {
        Some((line, column)) => {
            let (line, column) = file_place(yaml, line, column);
            diagnostic.at(line.min(yaml_lines) + FIRST_YAML_LINE - 1, column)
        }
        None => diagnostic.at_line(FIRST_YAML_LINE),
    }
}

/// The line and column in `yaml`'s own lines of a place the YAML parser gives (1-based).
/// The parser also ends lines at NEL, LS and PS (YAML 1.1); the file's lines end at LF only.
fn file_place(yaml: &str, line: usize, column: usize) -> (usize, usize) {
    let mut line_start = 0;
    let mut current = 1;
    for (index, c) in yaml.char_indices() {
        if current == line {
            break;
        }
        if matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            current += 1;
            line_start = index + c.len_utf8();
        }
    }
    let offset = yaml[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(yaml.len(), |(index, _)| line_start + index);
    line_col(yaml, offset)
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

/// The keys folio reads (the ones of `read_fields`, and those read elsewhere).
const KNOWN_KEYS: &[&str] = &[
    "title",
    "nav_order",
    "layout",
    "parent",
    "grand_parent",
    "ancestor",
    "has_children",
    "child_nav_order",
    "has_toc",
    "nav_exclude",
    "nav_enabled",
    "search_exclude",
    "print_exclude",
    "permalink",
    "description",
    "summary",
    "draft",
    "last_modified_date",
    "render_with_liquid",
];

/// The known key that `name` is a likely misspelling of. Sites use keys of their own in
/// templates, so only a near miss (one or two edits, one for short keys) counts.
fn misspelt_key(name: &str) -> Option<&'static str> {
    let limit = if name.chars().count() <= 5 { 1 } else { 2 };
    KNOWN_KEYS
        .iter()
        .map(|known| (strsim::damerau_levenshtein(name, known), *known))
        .filter(|(distance, _)| (1..=limit).contains(distance))
        .min()
        .map(|(_, known)| known)
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
            "print_exclude" => {
                front.print_exclude = reader.flag("print_exclude", value).unwrap_or(false)
            }
            "permalink" => front.permalink = reader.text("permalink", value),
            "description" => front.description = reader.text("description", value),
            "summary" => front.summary = reader.text("summary", value),
            "draft" => front.draft = reader.flag("draft", value).unwrap_or(false),
            "last_modified_date" => {
                front.last_modified_date = reader.text("last_modified_date", value)
            }
            _ => {
                if let Some(known) = misspelt_key(name) {
                    let line = reader.line(name);
                    reader.problems.push(
                        Diagnostic::warning(format!(
                            "`{name}` is not a front matter key folio knows, so it has no effect"
                        ))
                        .at(line, 1)
                        .with_help(format!(
                            "did you mean `{known}`? (a key of your own that templates read can stay as it is)"
                        )),
                    );
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> Diagnostic {
        split(text).unwrap_err().remove(0)
    }

    #[test]
    fn yaml_errors_are_placed_where_the_writer_must_look() {
        let d = error_of("---\ntitle: Fine\nnav_order: 1\nparent: [unclosed\n---\n");
        assert_eq!((d.line, d.column), (Some(4), Some(9)), "{d}");
        let d = error_of("---\ntitle: : :\n---\n");
        assert_eq!((d.line, d.column), (Some(2), Some(8)), "{d}");
        let d = error_of("---\na: 1\nb: 2\na: 3\n---\n");
        assert_eq!(d.line, Some(4), "{d}");
        assert!(d.message.contains("`a` twice"), "{d}");
        let d = error_of("---\ntitle: \"open\n---\n");
        assert_eq!(d.line, Some(2), "{d}");
    }

    #[test]
    fn yaml_errors_after_a_line_separator_are_placed_on_the_files_lines() {
        // Found by fuzz/ (front_matter target): YAML ends a line at U+2028 (and NEL, PS),
        // the file does not, so the place was past the end of a line.
        let text = "---\n-!bi t:sed\n-x-\u{2028}-description: r:sed\n-x-\u{2028}\n---\n";
        let d = error_of(text);
        let line = text.split('\n').nth(d.line.unwrap() - 1).unwrap();
        assert!(d.column.unwrap() <= line.chars().count() + 1, "{d}");
        assert_eq!(file_place("a\u{2028}b: c\n", 2, 2), (1, 4));
        assert_eq!(file_place("a\nb\n", 2, 1), (2, 1));
    }

    #[test]
    fn fields_are_typed_and_the_rest_is_kept() {
        let page = split("---\ntitle: 404\nnav_order: \"b\"\ncustom: [1, 2]\n---\nBody\n").unwrap();
        let front = page.front_matter.unwrap();
        assert_eq!(
            front.title,
            Some(Title {
                text: "404".into(),
                is_number: true
            })
        );
        assert_eq!(front.nav_order, Some(NavOrder::Text("b".into())));
        assert!(front.extra.contains_key("custom"));
        assert!(front.raw.contains_key("title"));
        assert_eq!(page.body, "Body\n");
        assert_eq!(page.body_line, 6);
    }

    #[test]
    fn near_misses_of_known_keys_warn_and_other_keys_are_free() {
        let page =
            split("---\ntitle: A\nnav_ordr: 2\nsumary: x\nteam: core\nowner: me\n---\n").unwrap();
        let warnings: Vec<(Option<usize>, String)> = page
            .warnings
            .iter()
            .map(|d| (d.line, d.help.clone().unwrap_or_default()))
            .collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(warnings[0].0, Some(3));
        assert!(warnings[0].1.starts_with("did you mean `nav_order`?"));
        assert!(warnings[1].1.starts_with("did you mean `summary`?"));
        assert_eq!(misspelt_key("tittle"), Some("title"));
        assert_eq!(misspelt_key("team"), None);
        assert_eq!(misspelt_key("tags"), None);
        assert_eq!(misspelt_key("title"), None);
    }

    #[test]
    fn pages_without_front_matter() {
        let page = split("# Just a page\n").unwrap();
        assert!(page.front_matter.is_none());
        assert_eq!(page.body_line, 1);
        let page = split("---\n---\nText").unwrap();
        assert!(page.front_matter.unwrap().title.is_none());
    }
}
