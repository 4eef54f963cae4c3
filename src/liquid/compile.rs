//! A template's text to a parsed template: the checks, Jekyll's tags read, then liquid-rust.

use std::path::{Path, PathBuf};

use liquid_core::Template;

use super::Engine;
use super::check::{self, Source};
use super::jekyll_args::{self, ArgsError, Target};
use super::scan::{self, Kind, Rewritten, Scan};
use super::tags::{self, JekyllTag, Place, TargetTemplate};
use crate::diagnostics::{Diagnostic, line_col};

/// The tags whose arguments folio reads itself.
const JEKYLL_TAGS: &[&str] = &[
    "link",
    "include",
    "include_cached",
    "include_relative",
    "highlight",
];

/// A parsed template, with what is needed to place the errors it raises while rendering.
#[derive(Debug)]
pub struct Compiled {
    pub template: Template,
    text: String,
    file: PathBuf,
    first_line: usize,
    scan: Scan,
}

impl Compiled {
    fn source(&self) -> Source<'_> {
        Source {
            text: &self.text,
            file: &self.file,
            first_line: self.first_line,
        }
    }

    /// An error liquid-rust raised while this template rendered, placed in it.
    pub fn render_error(&self, error: &liquid_core::Error) -> Diagnostic {
        check::render_error(error, &self.source(), &self.scan)
    }
}

/// Parses `text` (from `file`, whose line `first_line` is the text's first line).
pub fn compile(
    text: &str,
    file: &Path,
    first_line: usize,
    engine: &Engine,
) -> Result<Compiled, Vec<Diagnostic>> {
    let source = Source {
        text,
        file,
        first_line,
    };
    let scan = scan::scan(text);
    let mut problems = check::check(&scan, &source, &engine.language);
    let mut jekyll = Vec::new();
    let mut replacements = Vec::new();
    for markup in &scan.markups {
        let Kind::Tag { name, args } = &markup.kind else {
            continue;
        };
        let name = &text[name.clone()];
        if !JEKYLL_TAGS.contains(&name) {
            continue;
        }
        let at = markup.span.start;
        let (line, column) = line_col(text, at);
        let place = Place {
            file: file.to_path_buf(),
            line: line + first_line - 1,
            column,
        };
        match read_tag(name, markup.tag_args(text), place, engine) {
            Ok(tag) => {
                replacements.push((args.clone(), format!(" {} ", jekyll.len())));
                jekyll.push(tag);
            }
            Err(error) => problems.push(source.error_at(at, error.message).with_help(error.help)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let rewritten = Rewritten::new(text, &replacements);
    let parsed = tags::with_tags(jekyll, || {
        liquid_core::parser::parse(&rewritten.text, &engine.language)
    });
    match parsed {
        Ok(elements) => Ok(Compiled {
            template: Template::new(elements),
            text: text.to_string(),
            file: file.to_path_buf(),
            first_line,
            scan,
        }),
        Err(error) => Err(vec![check::parse_error(&error, &source, &rewritten)]),
    }
}

/// Reads one Jekyll tag, checking what can be checked before the page renders.
fn read_tag(name: &str, args: &str, place: Place, engine: &Engine) -> Result<JekyllTag, ArgsError> {
    match name {
        "link" => {
            let target = jekyll_args::link(args)?;
            if let Target::Plain(path) = &target
                && let Err(problem) = engine.link(path)
            {
                return Err(ArgsError {
                    message: problem.message,
                    help: problem.help.unwrap_or_default(),
                });
            }
            Ok(JekyllTag::Link(target_template(target, engine)?, place))
        }
        "highlight" => Ok(JekyllTag::Highlight(jekyll_args::highlight(args)?, place)),
        _ => {
            let relative = name == "include_relative";
            let args = jekyll_args::include(name, args)?;
            if !relative
                && let Target::Plain(file) = &args.file
                && let Err(problem) = engine.find_include(file)
            {
                return Err(ArgsError {
                    message: problem.message,
                    help: problem.help.unwrap_or_default(),
                });
            }
            Ok(JekyllTag::Include {
                relative,
                file: target_template(args.file.clone(), engine)?,
                args,
                place,
            })
        }
    }
}

/// A target with `{{ … }}` parsed as a template.
fn target_template(target: Target, engine: &Engine) -> Result<TargetTemplate, ArgsError> {
    match target {
        Target::Plain(written) => Ok(TargetTemplate {
            written,
            template: None,
        }),
        Target::Rendered(written) => {
            let elements =
                liquid_core::parser::parse(&written, &engine.language).map_err(|_| ArgsError {
                    message: format!("cannot read the markup in `{written}`"),
                    help: "a file name or path may hold `{{ variable }}`, as in `{% include {{ page.kind }}.html %}`".into(),
                })?;
            Ok(TargetTemplate {
                written,
                template: Some(Template::new(elements)),
            })
        }
    }
}
