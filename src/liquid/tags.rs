//! Jekyll's tags: `link`, `include`, `include_cached` and `include_relative` (`highlight` is
//! in [`super::highlight`]).
//!
//! Their arguments were read before liquid-rust parsed the template ([`super::compile`]),
//! which left `{% include 3 %}` in their place: the number points at what was read, kept
//! for this thread while the template is parsed.

use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;

use liquid_core::parser::TagTokenIter;
use liquid_core::{
    Language, ParseTag, Renderable, Result, Runtime, TagReflection, Template, ValueView,
};

use super::data::{Data, DataMap};
use super::jekyll_args::{HighlightArgs, IncludeArgs, Param};
use super::runtime::{IncludeFrame, scope};
use crate::diagnostics::Diagnostic;

/// Includes nested deeper than this are taken to include themselves.
const MAX_INCLUDE_DEPTH: usize = 24;

/// Where a tag was written, for the errors it finds while it runs.
#[derive(Debug, Clone)]
pub struct Place {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Place {
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(&self.file)
            .at(self.line, self.column)
    }
}

/// A file name or link target: as written, and as a template when it holds `{{ … }}`.
#[derive(Debug)]
pub struct TargetTemplate {
    pub written: String,
    pub template: Option<Template>,
}

impl TargetTemplate {
    /// The target, rendered when it holds markup.
    fn resolve(&self, runtime: &dyn Runtime) -> Result<String> {
        match &self.template {
            Some(template) => Ok(template.render(runtime)?.trim().to_string()),
            None => Ok(self.written.clone()),
        }
    }
}

/// A Jekyll tag read before parsing.
#[derive(Debug)]
pub enum JekyllTag {
    Link(TargetTemplate, Place),
    Include {
        relative: bool,
        file: TargetTemplate,
        args: IncludeArgs,
        place: Place,
    },
    Highlight(HighlightArgs, Place),
}

thread_local! {
    static PARSING: RefCell<Vec<Vec<Option<JekyllTag>>>> = const { RefCell::new(Vec::new()) };
}

/// Runs `parse` with `tags` available to the tag parsers.
pub fn with_tags<T>(tags: Vec<JekyllTag>, parse: impl FnOnce() -> T) -> T {
    PARSING.with(|stack| {
        stack
            .borrow_mut()
            .push(tags.into_iter().map(Some).collect())
    });
    let result = parse();
    PARSING.with(|stack| stack.borrow_mut().pop());
    result
}

/// Takes the tag that `{% name N %}` points at.
pub fn take_tag(arguments: &mut TagTokenIter<'_>) -> Result<JekyllTag> {
    let token = arguments.expect_next("a tag number")?;
    let index = token
        .expect_literal()
        .into_result()?
        .as_scalar()
        .and_then(|s| s.to_integer())
        .and_then(|n| usize::try_from(n).ok());
    arguments.expect_nothing()?;
    let tag = index.and_then(|index| {
        PARSING.with(|stack| {
            stack
                .borrow_mut()
                .last_mut()
                .and_then(|tags| tags.get_mut(index).and_then(Option::take))
        })
    });
    tag.ok_or_else(|| liquid_core::Error::with_msg("a Jekyll tag that folio did not read first"))
}

/// Records a problem found while the page renders.
pub fn report(diagnostic: Diagnostic) {
    scope(|scope| scope.findings.push(diagnostic));
}

#[derive(Debug, Clone, Copy)]
pub struct LinkTag;

impl TagReflection for LinkTag {
    fn tag(&self) -> &'static str {
        "link"
    }
    fn description(&self) -> &'static str {
        "The URL of the page whose source is the given path under content/."
    }
}

impl ParseTag for LinkTag {
    fn parse(&self, mut arguments: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        match take_tag(&mut arguments)? {
            JekyllTag::Link(target, place) => Ok(Box::new(Link { target, place })),
            _ => Err(liquid_core::Error::with_msg("`link` read as another tag")),
        }
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Link {
    target: TargetTemplate,
    place: Place,
}

impl Renderable for Link {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let target = self.target.resolve(runtime)?;
        match scope(|scope| scope.engine.link(&target)) {
            Some(Ok(url)) => write_str(writer, &url),
            Some(Err(problem)) => {
                let mut at_tag = self.place.error(problem.message);
                at_tag.help = problem.help;
                report(at_tag);
                Ok(())
            }
            None => Ok(()),
        }
    }
}

/// `include`, `include_cached` (the same here: output does not depend on a cache) and
/// `include_relative`.
#[derive(Debug, Clone, Copy)]
pub struct IncludeTag(pub &'static str);

impl TagReflection for IncludeTag {
    fn tag(&self) -> &str {
        self.0
    }
    fn description(&self) -> &'static str {
        "Inserts a file of includes/ (or, for include_relative, of the page's folder)."
    }
}

impl ParseTag for IncludeTag {
    fn parse(&self, mut arguments: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        match take_tag(&mut arguments)? {
            JekyllTag::Include {
                relative,
                file,
                args,
                place,
            } => Ok(Box::new(Include {
                relative,
                file,
                params: args.params,
                place,
            })),
            _ => Err(liquid_core::Error::with_msg(
                "`include` read as another tag",
            )),
        }
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Include {
    relative: bool,
    file: TargetTemplate,
    params: Vec<(String, Param)>,
    place: Place,
}

impl Renderable for Include {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let name = self.file.resolve(runtime)?;
        let Some((engine, page_dir, depth)) =
            scope(|s| (s.engine.clone(), s.page_dir.clone(), s.include_depth))
        else {
            return Ok(());
        };
        if depth >= MAX_INCLUDE_DEPTH {
            report(self.place.error(format!(
                "includes are nested more than {MAX_INCLUDE_DEPTH} deep at `{name}`"
            )).with_help("an include that includes itself, directly or through others, never ends; remove the loop"));
            return Ok(());
        }
        let compiled = if self.relative {
            engine.include_relative(&page_dir, &name)
        } else {
            engine.include(&name)
        };
        let compiled = match compiled {
            Ok(compiled) => compiled,
            Err(problems) => {
                for problem in problems {
                    // A problem with no place (a missing file) is at the tag.
                    if problem.file.is_none() {
                        let mut at_tag = self.place.error(problem.message.clone());
                        at_tag.help = problem.help.clone();
                        report(at_tag);
                    } else {
                        report(problem);
                    }
                }
                return Ok(());
            }
        };
        let mut params = DataMap::new();
        for (key, value) in &self.params {
            let value = match value {
                Param::Text(text) => Data::string(text.as_str()),
                Param::Variable(expression) => expression
                    .try_evaluate(runtime)
                    .map_or(Data::Nil, |v| Data::from_value(v.as_view())),
            };
            params.insert(key.as_str(), value);
        }
        let include = Data::Object(params);
        let frame = IncludeFrame {
            parent: runtime,
            include: &include,
        };
        scope(|s| s.include_depth += 1);
        let mut out = Vec::new();
        let result = compiled.template.render_to(&mut out, &frame);
        scope(|s| s.include_depth -= 1);
        if let Err(error) = result {
            report(compiled.render_error(&error));
        }
        writer
            .write_all(&out)
            .map_err(|e| liquid_core::Error::with_msg(e.to_string()))
    }
}

pub fn write_str(writer: &mut dyn Write, text: &str) -> Result<()> {
    writer
        .write_all(text.as_bytes())
        .map_err(|e| liquid_core::Error::with_msg(e.to_string()))
}
