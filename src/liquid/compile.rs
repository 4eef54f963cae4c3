//! A template's text to a parsed template: the checks, Jekyll's tags read, then liquid-rust.

use std::path::{Path, PathBuf};

use liquid_core::Template;

use super::Engine;
use super::check::{self, Source};
use super::jekyll_args::{self, ArgsError, Target};
use super::ranges;
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

/// Marks a page's text that liquid-rust does not need to see (see [`fold_text`]):
/// `FOLD_OPEN`, the number of the text, `FOLD_CLOSE`. Both are Unicode noncharacters.
const FOLD_OPEN: char = '\u{FDD0}';
const FOLD_CLOSE: char = '\u{FDD1}';

/// A parsed template, with what is needed to place the errors it raises while rendering.
#[derive(Debug)]
pub struct Compiled {
    pub template: Template,
    /// The texts [`fold_text`] took out, by number.
    folded: Vec<std::ops::Range<usize>>,
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

    /// Puts the folded texts back into rendered output.
    pub fn unfold(&self, rendered: String) -> String {
        if self.folded.is_empty() {
            return rendered;
        }
        let mut out = String::with_capacity(rendered.len() + self.text.len());
        let mut rest = rendered.as_str();
        while let Some(start) = rest.find(FOLD_OPEN) {
            out.push_str(&rest[..start]);
            let after = &rest[start + FOLD_OPEN.len_utf8()..];
            let end = after.find(FOLD_CLOSE);
            let text = end
                .and_then(|end| after[..end].parse::<usize>().ok())
                .and_then(|n| self.folded.get(n));
            match (text, end) {
                (Some(range), Some(end)) => {
                    out.push_str(&self.text[range.clone()]);
                    rest = &after[end + FOLD_CLOSE.len_utf8()..];
                }
                _ => {
                    out.push(FOLD_OPEN);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// An error liquid-rust raised while this template rendered, placed in it.
    pub fn render_error(&self, error: &liquid_core::Error) -> Diagnostic {
        check::render_error(error, &self.source(), &self.scan)
    }
}

/// Parses `text` (from `file`, whose line `first_line` is the text's first line).
/// `fold` lets liquid-rust skip the text outside blocks (for a page: it is rendered once;
/// an include's output is not unfolded).
pub fn compile(
    text: &str,
    file: &Path,
    first_line: usize,
    engine: &Engine,
    fold: bool,
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
        let at = markup.span.start;
        if matches!(name, "for" | "tablerow") {
            replacements.extend(ranges::guard(text, at, args.clone()).into_iter().flatten());
            continue;
        }
        if !JEKYLL_TAGS.contains(&name) {
            continue;
        }
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
    let folded = if fold {
        fold_text(text, &scan, &engine.language)
    } else {
        Vec::new()
    };
    replacements.extend(
        folded
            .iter()
            .enumerate()
            .map(|(n, range)| (range.clone(), format!("{FOLD_OPEN}{n}{FOLD_CLOSE}"))),
    );
    replacements.sort_by_key(|(range, _)| range.start);
    let rewritten = Rewritten::new(text, &replacements);
    let parsed = tags::with_tags(jekyll, || {
        liquid_core::parser::parse(&rewritten.text, &engine.language)
    });
    match parsed {
        Ok(elements) => Ok(Compiled {
            template: Template::new(elements),
            folded,
            text: text.to_string(),
            file: file.to_path_buf(),
            first_line,
            scan,
        }),
        Err(error) => Err(vec![check::parse_error(&error, &source, &rewritten)]),
    }
}

/// The texts outside any block, without their leading and trailing whitespace (which `-`
/// trims act on), that are long enough to be worth it. liquid-rust's parser reads text one
/// character at a time, and most of a page is text it only copies: such text is replaced
/// by a short mark, and put back after rendering ([`Compiled::unfold`]).
fn fold_text(
    text: &str,
    scan: &Scan,
    language: &liquid_core::Language,
) -> Vec<std::ops::Range<usize>> {
    const WORTH_IT: usize = 32;
    if text.contains(FOLD_OPEN) {
        return Vec::new();
    }
    let mut folded = Vec::new();
    let mut depth: usize = 0;
    let mut last_end = 0;
    let fold = |start: usize, end: usize, folded: &mut Vec<std::ops::Range<usize>>| {
        let run = &text[start..end];
        let core_start = start + (run.len() - run.trim_start().len());
        let core_end = start + run.trim_end().len();
        if core_end > core_start + WORTH_IT {
            folded.push(core_start..core_end);
        }
    };
    for markup in &scan.markups {
        if depth == 0 {
            fold(last_end, markup.span.start, &mut folded);
        }
        last_end = markup.span.end;
        if let Some(name) = markup.tag_name(text) {
            if language.blocks.get(name).is_some() {
                depth += 1;
            } else if name
                .strip_prefix("end")
                .is_some_and(|opened| language.blocks.get(opened).is_some())
            {
                depth = depth.saturating_sub(1);
            }
        }
    }
    if depth == 0 {
        fold(last_end, text.len(), &mut folded);
    }
    folded
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
