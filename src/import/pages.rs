//! One Jekyll page or collection document → one folio page: the front-matter defaults that
//! apply to it merged in, a `permalink` written where folio's own URL would differ from
//! Jekyll's, its layout mapped to one folio has, and the page checked with folio's own front
//! matter reader. The body is kept byte for byte (HTML pages get their blank lines removed, so
//! that Markdown passes them through as one HTML block). Lines of the original front matter
//! keep their numbers: new keys are added after them.

use serde_yaml::{Mapping, Value};

use super::defaults::{Defaults, deep_merge};
use super::jekyll_config::{Collection, JekyllConfig, scalar_text, yaml_error};
use super::theme::{DEFAULT_ALIASES, FOLIO_LAYOUTS};
use super::urls;
use crate::content::{front_matter, urls as folio_urls};
use crate::diagnostics::Diagnostic;

/// What kind of Jekyll file a page comes from.
pub(super) enum Origin<'a> {
    Page,
    Document(&'a Collection),
}

/// Everything the conversion of one file needs from the rest of the site.
pub(super) struct Context<'a> {
    pub config: &'a JekyllConfig,
    pub defaults: &'a Defaults,
    /// Every path of the site, for glob scopes of defaults.
    pub all_paths: &'a [String],
    /// The site's own layouts that the import writes a template for.
    pub custom_layouts: &'a [String],
    /// `jekyll-readme-index`: a README is its folder's index when the folder has none.
    pub readme_index: bool,
}

/// One input file.
pub(super) struct Input<'a> {
    /// The path in the Jekyll site (`docs/a.md`).
    pub rel: &'a str,
    pub text: &'a str,
    pub origin: Origin<'a>,
    /// Whether the file is HTML rather than Markdown.
    pub is_html: bool,
    /// Keys added when neither the page nor the defaults set them.
    pub extra: &'a [(&'static str, Value)],
}

/// A converted page.
#[derive(Debug)]
pub(super) struct Converted {
    /// The path under `content/`.
    pub target: String,
    pub text: String,
    /// The URL Jekyll gives the page.
    pub url: String,
    pub permalink_written: bool,
    pub defaults_applied: bool,
    pub layout_changed: bool,
    /// The layout the page uses when Jekyll renders it without one.
    pub without_layout: bool,
    pub warnings: Vec<Diagnostic>,
}

/// Converts one page; errors name the file and line.
pub(super) fn convert(context: &Context, input: &Input) -> Result<Converted, Vec<Diagnostic>> {
    let in_file = |d: Diagnostic| d.in_file(input.rel);
    let split = split(input.text).ok_or_else(|| {
        vec![in_file(
            Diagnostic::error("the front matter that starts on line 1 is never closed")
                .at(1, 1)
                .with_help("end the front matter with a line containing only `---`"),
        )]
    })?;
    let own = parse_yaml(&split.yaml_lines).map_err(|d| vec![in_file(d)])?;
    let mut editor = Editor {
        lines: split.yaml_lines.iter().map(|l| l.to_string()).collect(),
    };
    let mut warnings = Vec::new();

    let (kind, defaults_path) = match &input.origin {
        Origin::Page => ("pages".to_string(), input.rel.to_string()),
        Origin::Document(collection) => (
            collection.label.clone(),
            strip_dir(input.rel, &context.config.collections_dir),
        ),
    };
    let defaults = context
        .defaults
        .values_for(&defaults_path, &kind, context.all_paths);
    let mut data = defaults.clone();
    match &input.origin {
        Origin::Page => data.extend(own.clone()),
        Origin::Document(_) => deep_merge(&mut data, &own),
    }

    // The defaults, as the page sees them.
    let mut defaults_applied = false;
    for (key, value) in &defaults {
        let Some(name) = scalar_text(key) else {
            continue;
        };
        if name == "permalink" {
            continue;
        }
        match (own.get(key), value) {
            (None, _) => {
                editor.set(&name, value);
                defaults_applied = true;
            }
            (Some(Value::Mapping(mine)), Value::Mapping(_))
                if matches!(input.origin, Origin::Document(_)) =>
            {
                if let Some(merged) = data.get(key).filter(|m| m.as_mapping() != Some(mine)) {
                    editor.set(&name, merged);
                    defaults_applied = true;
                }
            }
            _ => {}
        }
    }
    for (key, value) in input.extra {
        if !data.contains_key(*key) {
            editor.set(key, value);
            data.insert(Value::from(*key), value.clone());
        }
    }

    // The URL, as Jekyll makes it.
    let url = match &input.origin {
        Origin::Page => {
            let permalink = data
                .get("permalink")
                .and_then(scalar_text)
                .filter(|p| !p.is_empty());
            // `jekyll-readme-index` publishes such a README as its folder's index.
            let as_index = context.readme_index
                && permalink.is_none()
                && is_readme_without_index(input.rel, context.all_paths);
            let rel = match input.rel.rsplit_once('/') {
                Some((dir, _)) if as_index => format!("{dir}/index.md"),
                None if as_index => "index.md".to_string(),
                _ => input.rel.to_string(),
            };
            urls::page_url(
                &rel,
                ".html",
                &context.config.permalink,
                permalink.as_deref(),
            )
        }
        Origin::Document(collection) => {
            let rel = strip_dir(input.rel, &context.config.collections_dir);
            urls::document_url(collection, &rel, ".html", &context.config.permalink, &data)
                .unwrap_or_else(|unknown| {
                    let fallback = format!("/{}/{}/", collection.label, strip_extension(&rel).replacen(&format!("_{}/", collection.label), "", 1));
                    warnings.push(in_file(
                        Diagnostic::warning(format!(
                            "the URL template uses `:{}`, which the import cannot fill, so the page is imported at {fallback}",
                            unknown.0
                        ))
                        .at_line(line_of(&split.yaml_lines, "permalink").unwrap_or(1))
                        .with_help("set the page's `permalink:` to the URL Jekyll gives it"),
                    ));
                    fallback
                })
        }
    };

    let target = target_path(input, context);
    let own_permalink = own.get("permalink").and_then(scalar_text);
    let needs_permalink = own_permalink.as_deref() != Some(url.as_str())
        && (own_permalink.is_some() || folio_urls::from_source(&target).url != url);
    if needs_permalink {
        editor.set("permalink", &Value::String(url.clone()));
    }
    let line_of_permalink = line_of(&split.yaml_lines, "permalink").unwrap_or(1);
    match folio_urls::from_permalink(&url) {
        Ok(location) if location.output_path != urls::output_file(&url, ".html") => {
            warnings.push(in_file(
                Diagnostic::warning(format!(
                    "Jekyll writes this page to {}, folio to {}",
                    urls::output_file(&url, ".html"),
                    location.output_path
                ))
                .at_line(line_of_permalink)
                .with_help("end the permalink with `/` or `.html` to have the same file in both"),
            ))
        }
        Ok(_) => {}
        Err(reason) => {
            return Err(vec![in_file(
                Diagnostic::error(format!("the page's URL `{url}` {reason}"))
                    .at_line(line_of_permalink)
                    .with_help("change the page's permalink to a path on the site"),
            )]);
        }
    }

    // The layout, mapped to one folio has.
    let layout = data.get("layout").and_then(scalar_text).unwrap_or_default();
    let mut layout_changed = false;
    let without_layout = layout.is_empty() || layout == "none";
    if !without_layout
        && !FOLIO_LAYOUTS.contains(&layout.as_str())
        && !context.custom_layouts.contains(&layout)
    {
        editor.set("layout", &Value::String("default".into()));
        layout_changed = true;
        if !DEFAULT_ALIASES.contains(&layout.as_str()) {
            warnings.push(in_file(
                Diagnostic::warning(format!(
                    "the layout `{layout}` does not exist, so Jekyll writes the page without one; folio uses `default`"
                ))
                .at_line(line_of(&split.yaml_lines, "layout").unwrap_or(1))
                .with_help("set `layout:` to default, home, minimal or page"),
            ));
        }
    }

    let body = if input.is_html {
        html_as_one_block(split.body)
    } else {
        split.body.to_string()
    };
    let text = format!("---\n{}---\n{}", editor.text(), body);
    // The page must load in folio: its front matter is checked by folio's own reader.
    if let Err(problems) = front_matter::split(&text) {
        return Err(problems.into_iter().map(in_file).collect());
    }
    Ok(Converted {
        target,
        text,
        url,
        permalink_written: needs_permalink,
        defaults_applied,
        layout_changed,
        without_layout,
        warnings,
    })
}

/// Where the page goes under `content/`: the same path (collection documents without the
/// collections folder), with a Markdown extension folio reads.
fn target_path(input: &Input, context: &Context) -> String {
    let rel = match input.origin {
        Origin::Page => input.rel.to_string(),
        Origin::Document(_) => strip_dir(input.rel, &context.config.collections_dir),
    };
    let lower = rel.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        rel
    } else {
        format!("{}.md", strip_extension(&rel))
    }
}

/// A README (`README.md`, `readme.markdown`, …) in a folder without an index page.
pub(super) fn is_readme_without_index(rel: &str, all_paths: &[String]) -> bool {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let is_readme = strip_extension(name).eq_ignore_ascii_case("readme");
    let has_index = all_paths.iter().any(|path| {
        let (other_dir, other) = path.rsplit_once('/').unwrap_or(("", path));
        other_dir == dir && strip_extension(other) == "index"
    });
    is_readme && !has_index
}

fn strip_dir(rel: &str, dir: &str) -> String {
    if dir.is_empty() {
        return rel.to_string();
    }
    rel.strip_prefix(&format!("{dir}/"))
        .unwrap_or(rel)
        .to_string()
}

fn strip_extension(rel: &str) -> &str {
    let name_start = rel.rfind('/').map_or(0, |i| i + 1);
    match rel[name_start..].rfind('.') {
        Some(dot) if dot > 0 => &rel[..name_start + dot],
        _ => rel,
    }
}

/// A page split as Jekyll splits it.
struct Split<'a> {
    yaml_lines: Vec<&'a str>,
    body: &'a str,
}

/// The front matter lines and the body, or `None` when the front matter is never closed.
fn split(text: &str) -> Option<Split<'_>> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut offset = first.len();
    let mut yaml_lines = Vec::new();
    for line in lines {
        let content = line.trim_end();
        offset += line.len();
        if content == "---" || content == "..." {
            return Some(Split {
                yaml_lines,
                body: &text[offset..],
            });
        }
        yaml_lines.push(line.trim_end_matches('\n'));
    }
    None
}

/// The front matter starts on file line 2.
const FIRST_YAML_LINE: usize = 2;

fn parse_yaml(lines: &[&str]) -> Result<Mapping, Diagnostic> {
    let yaml = lines.join("\n");
    if yaml.trim().is_empty() {
        return Ok(Mapping::new());
    }
    match serde_yaml::from_str::<Value>(&yaml) {
        Ok(Value::Mapping(map)) => Ok(map),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err(
            Diagnostic::error("the front matter is not a set of `key: value` lines")
                .at_line(FIRST_YAML_LINE)
                .with_help("write one `key: value` per line, e.g. `title: Setup`"),
        ),
        Err(err) => {
            let (problem, place) = yaml_error(&err);
            let diagnostic =
                Diagnostic::error(format!("the front matter is not valid YAML: {problem}"))
                    .with_help("check the quoting and indentation, then import again");
            Err(match place {
                Some((line, column)) => diagnostic.at(line + FIRST_YAML_LINE - 1, column),
                None => diagnostic.at_line(FIRST_YAML_LINE),
            })
        }
    }
}

/// The file line of a top-level key.
fn line_of(lines: &[&str], key: &str) -> Option<usize> {
    lines
        .iter()
        .position(|line| is_key_line(line, key))
        .map(|i| i + FIRST_YAML_LINE)
}

fn is_key_line(line: &str, key: &str) -> bool {
    let unquoted = line
        .strip_prefix(key)
        .or_else(|| line.strip_prefix(&format!("\"{key}\"")))
        .or_else(|| line.strip_prefix(&format!("'{key}'")));
    unquoted
        .and_then(|rest| rest.trim_start_matches([' ', '\t']).strip_prefix(':'))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Edits front matter line by line, so the page's own lines, comments and formatting stay.
struct Editor {
    lines: Vec<String>,
}

impl Editor {
    /// Sets a top-level key: its lines are replaced in place, or new lines are added at the end.
    fn set(&mut self, key: &str, value: &Value) {
        let mut single = Mapping::new();
        single.insert(Value::from(key), value.clone());
        let yaml = serde_yaml::to_string(&single).unwrap_or_default();
        let new_lines: Vec<String> = yaml.lines().map(String::from).collect();
        match self.lines.iter().position(|line| is_key_line(line, key)) {
            Some(start) => {
                let mut end = start + 1;
                while end < self.lines.len() {
                    let line = &self.lines[end];
                    let continues = line.is_empty() || line.starts_with([' ', '\t', '-']);
                    if !continues {
                        break;
                    }
                    end += 1;
                }
                while end > start + 1 && self.lines[end - 1].trim().is_empty() {
                    end -= 1;
                }
                self.lines.splice(start..end, new_lines);
            }
            None => self.lines.extend(new_lines),
        }
    }

    fn text(&self) -> String {
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }
}

/// An HTML page's body as one Markdown HTML block: blank lines end an HTML block in Markdown,
/// so they are removed, except inside `<pre>`, `<textarea>`, `<script>` and `<style>`, which
/// Markdown passes through to their end tag anyway.
fn html_as_one_block(body: &str) -> String {
    const RAW: &[&str] = &["pre", "textarea", "script", "style"];
    let mut out = String::with_capacity(body.len());
    let mut open: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let lower = line.to_ascii_lowercase();
        if open.is_none() && line.trim().is_empty() {
            continue;
        }
        out.push_str(line);
        if let Some(tag) = open {
            if lower.contains(&format!("</{tag}")) {
                open = None;
            }
        } else if let Some(tag) = RAW
            .iter()
            .find(|tag| lower.contains(&format!("<{tag}>")) || lower.contains(&format!("<{tag} ")))
            && !lower.contains(&format!("</{tag}"))
        {
            open = Some(tag);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::jekyll_config::parse;

    fn run(config_yaml: &str, rel: &str, text: &str) -> Result<Converted, Vec<Diagnostic>> {
        let config = parse("_config.yml", config_yaml).unwrap();
        let defaults = Defaults::new(&config);
        let context = Context {
            config: &config,
            defaults: &defaults,
            all_paths: &[],
            custom_layouts: &["wide".to_string()],
            readme_index: true,
        };
        let input = Input {
            rel,
            text,
            origin: Origin::Page,
            is_html: rel.ends_with(".html"),
            extra: &[],
        };
        convert(&context, &input)
    }

    #[test]
    fn defaults_and_permalinks_are_written_after_the_pages_own_lines() {
        let page = run(
            "permalink: date\ndefaults:\n  - scope: {path: docs}\n    values: {layout: default, nav_exclude: true, title: Default}\n",
            "docs/a.md",
            "---\n# a comment\ntitle: A\n---\nBody {{ x }}\n",
        )
        .unwrap();
        assert_eq!(page.url, "/docs/a.html");
        assert_eq!(page.target, "docs/a.md");
        assert_eq!(
            page.text,
            "---\n# a comment\ntitle: A\nlayout: default\nnav_exclude: true\npermalink: /docs/a.html\n---\nBody {{ x }}\n"
        );
        assert!(page.permalink_written && page.defaults_applied);
    }

    #[test]
    fn pages_at_folios_url_are_left_alone() {
        let text = "---\ntitle: A\nlayout: wide\n---\n# A\n";
        let page = run("permalink: pretty\n", "docs/a.md", text).unwrap();
        assert_eq!(page.text, text);
        assert!(!page.permalink_written && !page.layout_changed);
        let page = run("permalink: pretty\n", "docs/index.md", "---\n---\n").unwrap();
        assert_eq!(page.url, "/docs/");
        assert!(!page.permalink_written);
    }

    #[test]
    fn permalinks_with_placeholders_are_replaced_in_place() {
        let page = run(
            "",
            "docs/a.md",
            "---\npermalink: /:path/:basename/\ntitle: A\n---\n",
        )
        .unwrap();
        assert_eq!(page.text, "---\npermalink: /docs/a/\ntitle: A\n---\n");
        assert!(page.permalink_written);
    }

    #[test]
    fn a_readme_is_the_index_with_jekyll_readme_index() {
        let page = run(
            "permalink: pretty\n",
            "guide/README.md",
            "---\ntitle: Guide\n---\n",
        )
        .unwrap();
        assert_eq!(page.url, "/guide/");
        assert!(page.text.contains("permalink: /guide/\n"));
        assert!(is_readme_without_index("README.md", &["a.md".into()]));
        assert!(!is_readme_without_index(
            "README.md",
            &["index.html".into()]
        ));
        assert!(!is_readme_without_index("docs/notes.md", &[]));
    }

    #[test]
    fn layouts_folio_lacks_become_default() {
        let page = run("", "a.md", "---\nlayout: about\n---\n").unwrap();
        assert!(page.text.contains("layout: default\n"));
        assert!(page.layout_changed && page.warnings.is_empty());
        let page = run("", "a.md", "---\nlayout: nowhere\n---\n").unwrap();
        assert!(page.layout_changed);
        assert_eq!(page.warnings[0].line, Some(2));
        let page = run("", "a.md", "---\ntitle: x\n---\n").unwrap();
        assert!(page.without_layout);
    }

    #[test]
    fn html_pages_become_one_html_block() {
        let page = run(
            "permalink: pretty\n",
            "404.html",
            "---\npermalink: /404\n---\n\n<h1>Gone</h1>\n\n<p>Text</p>\n<pre>a\n\nb</pre>\n",
        )
        .unwrap();
        assert_eq!(page.target, "404.md");
        assert!(
            page.text
                .ends_with("---\n<h1>Gone</h1>\n<p>Text</p>\n<pre>a\n\nb</pre>\n")
        );
    }

    #[test]
    fn errors_name_the_line() {
        let errors = run("", "a.md", "---\ntitle: ok\nbad: [x\n---\n").unwrap_err();
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(
            errors[0].file.as_deref(),
            Some(std::path::Path::new("a.md"))
        );
        let errors = run("", "a.md", "---\ntitle: ok\n").unwrap_err();
        assert_eq!(errors[0].line, Some(1));
        // folio's own reader refuses what folio cannot build.
        let errors = run("", "a.md", "---\nnav_exclude: yes\n---\n").unwrap_err();
        assert_eq!(errors[0].line, Some(2));
    }
}
