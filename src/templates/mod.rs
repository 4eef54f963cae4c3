//! Tera 2 templates: the embedded theme, overridden file by file by the site's `templates/`,
//! and the mapping of template errors to the template file and line.
//!
//! Entry point: [`load`]; then [`Templates::render_page`] for each page.

pub mod context;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::config::SitePaths;
use crate::content::discover;
use crate::diagnostics::Diagnostic;
use crate::theme;
pub use context::{PageContext, SiteContext};

/// Where a template came from, for messages.
#[derive(Debug, Clone)]
enum Origin {
    Theme,
    Site(PathBuf),
}

/// The loaded templates.
pub struct Templates {
    tera: Tera,
    origins: HashMap<String, Origin>,
    /// Each template's text by name, in name order (to point at a line in messages).
    sources: Vec<(String, String)>,
}

/// Folder of the page layouts inside `templates/`.
const LAYOUT_DIR: &str = "layouts/";

/// Loads the theme and the site's templates, and registers the site context and functions.
/// `asset_versions` maps static file paths to a version string for cache busting.
pub fn load(
    paths: &SitePaths,
    site: &SiteContext,
    asset_versions: HashMap<String, String>,
) -> Result<Templates, Vec<Diagnostic>> {
    let mut sources: BTreeMap<String, (String, Origin)> = theme::templates()
        .map(|(name, text)| (name.to_string(), (text.to_string(), Origin::Theme)))
        .collect();
    let mut problems = Vec::new();
    let (files, found_problems) =
        discover::walk(&paths.templates, std::slice::from_ref(&paths.output));
    // A template linked from outside the site is left out; only errors stop the loading.
    problems.extend(found_problems.into_iter().filter(Diagnostic::is_error));
    for file in files {
        match std::fs::read_to_string(&file.path) {
            Ok(text) => {
                let origin = Origin::Site(crate::content::relative_to_root(paths, &file.path));
                sources.insert(file.rel_path, (text.replace("\r\n", "\n"), origin));
            }
            Err(err) => problems.push(
                Diagnostic::error(format!("cannot read the template: {err}"))
                    .in_file(crate::content::relative_to_root(paths, &file.path))
                    .with_help("save templates as UTF-8 text"),
            ),
        }
    }
    let origins: HashMap<String, Origin> = sources
        .iter()
        .map(|(name, (_, origin))| (name.clone(), origin.clone()))
        .collect();

    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    register_functions(&mut tera, site.base_path.clone(), Arc::new(asset_versions));
    tera.global_context().insert("site", site);

    // Tera stops at the first broken template; take it out and try again to report them all.
    let mut remaining: Vec<(String, String)> = sources
        .into_iter()
        .map(|(name, (text, _))| (name, text))
        .collect();
    let texts = remaining.clone();
    loop {
        match tera.add_raw_templates(
            remaining
                .iter()
                .map(|(name, text)| (name.as_str(), text.as_str())),
        ) {
            Ok(()) => break,
            Err(err) => {
                let templates = Templates {
                    tera: Tera::new(),
                    origins: origins.clone(),
                    sources: Vec::new(),
                };
                let (diagnostic, culprit) = templates.describe(&err, None);
                problems.push(diagnostic);
                let before = remaining.len();
                if let Some(culprit) = culprit {
                    remaining.retain(|(name, _)| *name != culprit);
                }
                if remaining.len() == before {
                    break;
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(Templates {
            tera,
            origins,
            sources: texts,
        })
    } else {
        Err(problems)
    }
}

fn register_functions(tera: &mut Tera, base_path: String, versions: Arc<HashMap<String, String>>) {
    let prefix = base_path.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            Ok(join_url(&prefix, &path))
        },
    );
    tera.register_function(
        "asset_url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let key = path.trim_start_matches('/');
            let mut url = join_url(&base_path, key);
            if let Some(version) = versions.get(key) {
                url.push_str("?v=");
                url.push_str(version);
            }
            Ok(url)
        },
    );
}

/// `base` + `/path`, with exactly one slash between.
pub fn join_url(base: &str, path: &str) -> String {
    if path.contains("://") || path.starts_with("//") {
        return path.to_string();
    }
    format!("{base}/{}", path.trim_start_matches('/'))
}

impl Templates {
    /// No templates (a placeholder until the site's are loaded).
    pub fn empty() -> Templates {
        Templates {
            tera: Tera::new(),
            origins: HashMap::new(),
            sources: Vec::new(),
        }
    }

    /// The layouts a page can name (`layouts/<name>.html`).
    pub fn layouts(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tera
            .get_template_names()
            .filter_map(|name| name.strip_prefix(LAYOUT_DIR)?.strip_suffix(".html"))
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }

    pub fn has_layout(&self, name: &str) -> bool {
        self.tera
            .contains_template(&format!("{LAYOUT_DIR}{name}.html"))
    }

    /// Renders a page with its layout.
    pub fn render_page(&self, layout: &str, page: &PageContext<'_>) -> Result<String, Diagnostic> {
        let mut context = Context::new();
        context.insert("page", page);
        let name = format!("{LAYOUT_DIR}{layout}.html");
        self.tera
            .render(&name, &context)
            .map_err(|err| self.describe(&err, Some(&name)).0)
    }

    /// Renders a template that is not a layout (e.g. `404.html`) with a page context.
    pub fn render_named(&self, name: &str, page: &PageContext<'_>) -> Result<String, Diagnostic> {
        let mut context = Context::new();
        context.insert("page", page);
        self.tera
            .render(name, &context)
            .map_err(|err| self.describe(&err, Some(name)).0)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// The first place where a template's text contains `needle`: file, line, column.
    pub fn locate(&self, needle: &str) -> Option<(PathBuf, usize, usize)> {
        // Layouts first: they are what pages name, and what a writer edits.
        let mut ordered: Vec<&(String, String)> = self.sources.iter().collect();
        ordered.sort_by_key(|(name, _)| !name.starts_with(LAYOUT_DIR));
        ordered.into_iter().find_map(|(name, text)| {
            let at = text.find(needle)?;
            let (line, column) = crate::diagnostics::line_col(text, at);
            Some((self.file_of(name), line, column))
        })
    }

    /// The file of a page layout, for messages.
    pub fn layout_file(&self, layout: &str) -> PathBuf {
        self.file_of(&format!("{LAYOUT_DIR}{layout}.html"))
    }

    /// The file of the template `name` (`print.html`), for messages.
    pub fn file_of_named(&self, name: &str) -> PathBuf {
        self.file_of(name)
    }

    fn file_of(&self, name: &str) -> PathBuf {
        match self.origins.get(name) {
            Some(Origin::Site(path)) => path.clone(),
            _ => PathBuf::from(format!("templates/{name} (built-in theme)")),
        }
    }

    /// A diagnostic for a Tera error, and the template at fault when known.
    fn describe(&self, err: &tera::Error, rendering: Option<&str>) -> (Diagnostic, Option<String>) {
        let mut chain = Vec::new();
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            chain.push(cause.to_string());
            source = cause.source();
        }
        let with_chain = |message: String| {
            if chain.is_empty() {
                message
            } else {
                format!("{message}: {}", chain.join(": "))
            }
        };
        match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let name = report.filename().to_string();
                let span = report.span();
                let kind = if matches!(err.kind(), ErrorKind::SyntaxError(_)) {
                    "template syntax error"
                } else {
                    "template error"
                };
                let diagnostic = Diagnostic::error(with_chain(format!(
                    "{kind}: {}",
                    report.message()
                )))
                .in_file(self.file_of(&name))
                .at(span.start_line, span.start_col + 1)
                .with_help(
                    "fix the template; Tera's syntax is described at https://keats.github.io/tera/",
                );
                (diagnostic, Some(name))
            }
            ErrorKind::MissingParent { current, parent } => (
                Diagnostic::error(format!(
                    "the template extends `{parent}`, which does not exist"
                ))
                .in_file(self.file_of(current))
                .with_help("create that template or fix the name in `{% extends %}`"),
                Some(current.clone()),
            ),
            ErrorKind::CircularExtend {
                tpl,
                inheritance_chain,
            } => (
                Diagnostic::error(format!(
                    "templates extend each other in a circle: {}",
                    inheritance_chain.join(" -> ")
                ))
                .in_file(self.file_of(tpl))
                .with_help("remove one `{% extends %}` of the circle"),
                Some(tpl.clone()),
            ),
            ErrorKind::CircularInclude { tpl, include_chain } => (
                Diagnostic::error(format!(
                    "templates include each other in a circle: {}",
                    include_chain.join(" -> ")
                ))
                .in_file(self.file_of(tpl))
                .with_help("remove one `{% include %}` of the circle"),
                Some(tpl.clone()),
            ),
            ErrorKind::TemplateNotFound(name) => {
                let culprit = rendering.map(str::to_string);
                let mut diagnostic = Diagnostic::error(format!("template `{name}` not found"))
                    .with_help("create it in templates/ or fix the name that refers to it");
                if let Some(rendering) = rendering {
                    diagnostic = diagnostic.in_file(self.file_of(rendering));
                }
                (diagnostic, culprit)
            }
            _ => {
                let mut diagnostic =
                    Diagnostic::error(with_chain(format!("template error: {err}")));
                if let Some(rendering) = rendering {
                    diagnostic = diagnostic.in_file(self.file_of(rendering));
                }
                (diagnostic, None)
            }
        }
    }
}
