//! `folio import JEKYLL_DIR NEW_DIR`: writes a new folio site from a just-the-docs Jekyll
//! site, and never changes the Jekyll site.
//!
//! Entry point: [`import`]. The whole site is read and converted in memory first; when any
//! file has an error, all errors are returned together and nothing is written. Then
//! `site.toml` (from `_config.yml`), `content/` (pages at the URLs Jekyll gives them, and the
//! files they use), `includes/`, `data/`, `static/` and `templates/layouts/` are written into
//! the new folder. Everything that could not be converted is in the report's warnings, each
//! with what to do instead.

mod defaults;
mod files;
mod jekyll_config;
mod pages;
mod report;
mod scan;
mod site_toml;
mod theme;
mod urls;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diagnostics::Diagnostic;
use files::{Output, OutputContent};
pub use report::Report;
use report::some_names;

/// Why an import did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("`{}` is not a folder", .0.display())]
    NoSource(PathBuf),
    #[error("`{}` already exists and is not empty; choose a new folder", .0.display())]
    NotEmpty(PathBuf),
    #[error("`{}` is inside the Jekyll site; choose a folder outside it, so that the site is not changed", .0.display())]
    InsideSource(PathBuf),
    #[error("the Jekyll site has {} {}; nothing was written", .0.len(), if .0.len() == 1 { "error" } else { "errors" })]
    Invalid(Vec<Diagnostic>),
    #[error("cannot write `{}`: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Extensions of the HTML pages Jekyll renders.
const HTML_EXTENSIONS: &[&str] = &["html", "htm", "xhtml"];

/// Imports the Jekyll site at `source` into the new folder `target`.
pub fn import(source: &Path, target: &Path) -> Result<Report, ImportError> {
    check_folders(source, target)?;
    let mut report = Report::default();
    let mut errors = Vec::new();
    let config = jekyll_config::read(source)
        .map_err(|errors| ImportError::Invalid(in_source(source, errors)))?;
    let mut inventory = scan::scan(source, &config);
    for problem in std::mem::take(&mut inventory.problems) {
        if problem.is_error() {
            errors.push(problem);
        } else {
            report.warnings.push(problem);
        }
    }
    report.excluded = std::mem::take(&mut inventory.excluded);
    report.ignored = inventory.ignored.len();

    let site_toml = site_toml::convert(&config, &mut report);
    errors.extend(site_toml::self_check(&site_toml.text));
    let mut outputs = vec![Output {
        target: crate::config::CONFIG_FILE.into(),
        source: if config.file.is_empty() {
            "(defaults)".into()
        } else {
            config.file.clone()
        },
        content: OutputContent::Text(site_toml.text),
    }];

    let custom_layouts = files::layouts(&inventory.layouts, &config, &mut outputs, &mut report);
    files::includes(&inventory.includes, &config, &mut outputs, &mut report);
    files::data(&inventory.data, &config, &mut outputs, &mut report);
    files::sass(&inventory.sass, &config, &mut report);
    files::plugins(&inventory.plugins, &mut report);
    let uses_plugin = |name: &str| {
        config
            .get("plugins")
            .and_then(Value::as_sequence)
            .is_some_and(|p| p.iter().any(|n| n.as_str() == Some(name)))
    };
    let markdown_without_front_matter = files::statics(
        &inventory.statics,
        &config,
        uses_plugin("jekyll-optional-front-matter"),
        &mut outputs,
        &mut report,
    );
    posts_note(&inventory.posts, &mut report);

    let all_paths: Vec<String> = inventory
        .pages
        .iter()
        .chain(inventory.statics.iter())
        .chain(inventory.documents.iter().map(|(_, f)| f))
        .map(|f| f.rel.clone())
        .collect();
    let defaults = defaults::Defaults::new(&config);
    let context = pages::Context {
        config: &config,
        defaults: &defaults,
        all_paths: &all_paths,
        custom_layouts: &custom_layouts,
        readme_index: uses_plugin("jekyll-readme-index"),
    };
    let mut converter = PageConverter {
        context,
        report: &mut report,
        outputs: &mut outputs,
        errors: &mut errors,
        without_layout: Vec::new(),
        // With this plugin, Jekyll too gives pages without a layout the `default` one.
        default_layout_plugin: uses_plugin("jekyll-default-layout"),
        urls: BTreeMap::new(),
    };
    converter.pages(&inventory.pages, &markdown_without_front_matter);
    converter.collections(&inventory.documents, &inventory.collection_files);
    converter.finish();
    outputs.push(Output {
        target: crate::scaffold::PAGES_WORKFLOW_PATH.into(),
        source: "(folio)".into(),
        content: OutputContent::Text(crate::scaffold::PAGES_WORKFLOW.into()),
    });

    check_targets(&outputs, &mut errors);
    if !errors.is_empty() {
        return Err(ImportError::Invalid(in_source(source, errors)));
    }
    write(target, &outputs)?;
    report.warnings = in_source(source, std::mem::take(&mut report.warnings));
    Ok(report)
}

/// Findings name files relative to the Jekyll site; shown, they name them as the writer
/// reaches them (the site folder as given, then the path).
fn in_source(source: &Path, findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    findings
        .into_iter()
        .map(|mut finding| {
            finding.file = Some(match finding.file.take() {
                Some(file) => source.join(file),
                None => source.to_path_buf(),
            });
            finding
        })
        .collect()
}

fn check_folders(source: &Path, target: &Path) -> Result<(), ImportError> {
    if !source.is_dir() {
        return Err(ImportError::NoSource(source.to_path_buf()));
    }
    let not_empty = target.exists()
        && std::fs::read_dir(target)
            .map(|mut entries| entries.next().is_some())
            .unwrap_or(true);
    if not_empty {
        return Err(ImportError::NotEmpty(target.to_path_buf()));
    }
    // The nearest existing ancestor of the target tells where it will be.
    let real_source = source
        .canonicalize()
        .unwrap_or_else(|_| source.to_path_buf());
    let absolute = if target.is_absolute() {
        target.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(target)
    };
    let mut probe = absolute.as_path();
    loop {
        if let Ok(real) = probe.canonicalize() {
            let rest = absolute.strip_prefix(probe).unwrap_or(Path::new(""));
            if real.join(rest).starts_with(&real_source) {
                return Err(ImportError::InsideSource(target.to_path_buf()));
            }
            return Ok(());
        }
        match probe.parent() {
            Some(parent) => probe = parent,
            None => return Ok(()),
        }
    }
}

struct PageConverter<'a> {
    context: pages::Context<'a>,
    report: &'a mut Report,
    outputs: &'a mut Vec<Output>,
    errors: &'a mut Vec<Diagnostic>,
    without_layout: Vec<String>,
    default_layout_plugin: bool,
    /// The source of each URL, to catch two pages at one URL.
    urls: BTreeMap<String, String>,
}

impl PageConverter<'_> {
    fn pages(&mut self, files: &[scan::SourceFile], without_front_matter: &[scan::SourceFile]) {
        for file in files {
            let extension = file
                .rel
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default();
            let is_markdown = self.context.config.markdown_ext.contains(&extension);
            let is_html = HTML_EXTENSIONS.contains(&extension.as_str());
            if theme::is_theme_asset(&file.rel) {
                self.report.theme_assets.push(file.rel.clone());
            } else if is_markdown || is_html {
                self.convert(file, pages::Origin::Page, is_html, &[]);
            } else {
                let help = if matches!(extension.as_str(), "scss" | "sass") {
                    "folio does not compile Sass: compile it to CSS (or write CSS) and put the file under static/"
                } else {
                    "folio runs Liquid only in pages: build the file once with Jekyll and put the result under static/"
                };
                self.report.warnings.push(
                    Diagnostic::warning(
                        "this file has front matter, so Jekyll renders it, and folio cannot",
                    )
                    .in_file(&file.rel)
                    .at_line(1)
                    .with_help(help),
                );
            }
        }
        for file in without_front_matter {
            let text = read(file, self.errors);
            let Some(text) = text else { continue };
            let mut page_path = markdown_target(&file.rel);
            if self.context.readme_index
                && pages::is_readme_without_index(&file.rel, self.context.all_paths)
            {
                page_path = match page_path.rsplit_once('/') {
                    Some((dir, _)) => format!("{dir}/index.md"),
                    None => "index.md".to_string(),
                };
            }
            let jekyll_url =
                urls::page_url(&page_path, ".html", &self.context.config.permalink, None);
            // The page keeps its text; front matter is added only to give it Jekyll's URL.
            let text = if crate::content::urls::from_source(&page_path).url == jekyll_url {
                text
            } else {
                self.report.permalinks += 1;
                format!("---\npermalink: {jekyll_url}\n---\n{text}")
            };
            self.claim_url(&jekyll_url, &file.rel);
            self.outputs.push(Output {
                target: format!("content/{page_path}"),
                source: file.rel.clone(),
                content: OutputContent::Text(text),
            });
            self.report.pages += 1;
        }
    }

    fn collections(
        &mut self,
        documents: &[(usize, scan::SourceFile)],
        collection_files: &[(usize, scan::SourceFile)],
    ) {
        let config = self.context.config;
        let listed = config
            .get("just_the_docs")
            .and_then(|j| j.get("collections"))
            .and_then(Value::as_mapping)
            .cloned()
            .unwrap_or_default();
        let mut not_written: BTreeMap<String, usize> = BTreeMap::new();
        for (index, file) in documents {
            let collection = &config.collections[*index];
            if !collection.output {
                *not_written.entry(collection.label.clone()).or_default() += 1;
                continue;
            }
            // just-the-docs shows a collection in the navigation and search only when
            // `just_the_docs.collections` lists it (a [[collections]] section in folio);
            // the pages of the others are left out of both.
            let mut extra = Vec::new();
            if !listed.contains_key(collection.label.as_str()) {
                extra.push(("nav_exclude", Value::Bool(true)));
                extra.push(("search_exclude", Value::Bool(true)));
            }
            self.convert(file, pages::Origin::Document(collection), false, &extra);
            self.report.documents += 1;
        }
        for (index, file) in collection_files {
            let collection = &config.collections[*index];
            if collection.output {
                files::collection_file(file, &collection.label, config, self.outputs, self.report);
            }
        }
        for (label, count) in not_written {
            let note = config.note(
                &format!("collections.{label}"),
                format!(
                    "the collection `{label}` is not written out by Jekyll (no `output: true`), so its {count} {} not imported",
                    if count == 1 { "document is" } else { "documents are" }
                ),
                "pages reach such documents through Liquid (site.<collection>), which folio does not offer yet; add `output: true` to import them as pages",
            );
            self.report.warnings.push(note);
        }
    }

    fn convert(
        &mut self,
        file: &scan::SourceFile,
        origin: pages::Origin,
        is_html: bool,
        extra: &[(&'static str, Value)],
    ) {
        let Some(text) = read(file, self.errors) else {
            return;
        };
        let input = pages::Input {
            rel: &file.rel,
            text: &text,
            origin,
            is_html,
            extra,
        };
        match pages::convert(&self.context, &input) {
            Ok(page) => {
                self.report.warnings.extend(page.warnings);
                self.report.pages += 1;
                self.report.html_pages += usize::from(is_html);
                self.report.permalinks += usize::from(page.permalink_written);
                self.report.defaults_applied += usize::from(page.defaults_applied);
                self.report.layouts_changed += usize::from(page.layout_changed);
                if page.without_layout {
                    self.without_layout.push(file.rel.clone());
                }
                self.claim_url(&page.url, &file.rel);
                self.outputs.push(Output {
                    target: format!("content/{}", page.target),
                    source: file.rel.clone(),
                    content: OutputContent::Text(page.text),
                });
            }
            Err(problems) => self.errors.extend(problems),
        }
    }

    fn claim_url(&mut self, url: &str, source: &str) {
        let key = url.to_ascii_lowercase();
        if let Some(first) = self.urls.get(&key) {
            self.errors.push(
                Diagnostic::error(format!(
                    "this page and `{first}` are both published at {url} (in Jekyll, one hides the other)"
                ))
                .in_file(source)
                .at_line(1)
                .with_help("give one of them another `permalink:`"),
            );
        } else {
            self.urls.insert(key, source.to_string());
        }
    }

    fn finish(self) {
        if !self.without_layout.is_empty() && !self.default_layout_plugin {
            self.report.warnings.push(
                Diagnostic::warning(format!(
                    "{} {} no layout, so Jekyll writes {} without the theme ({}); folio shows {} with the `default` layout",
                    self.without_layout.len(),
                    if self.without_layout.len() == 1 { "page has" } else { "pages have" },
                    if self.without_layout.len() == 1 { "it" } else { "them" },
                    some_names(&self.without_layout),
                    if self.without_layout.len() == 1 { "it" } else { "them" },
                ))
                .in_file(&self.without_layout[0])
                .with_help("nothing to do if that is what you want; just-the-docs sites usually set `layout: default` in `defaults:`"),
            );
        }
    }
}

/// Markdown files without front matter keep their path, with `.md` when folio would not read
/// their extension.
fn markdown_target(rel: &str) -> String {
    let lower = rel.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        rel.to_string()
    } else {
        format!("{}.md", rel.rsplit_once('.').map_or(rel, |(stem, _)| stem))
    }
}

fn posts_note(posts: &[scan::SourceFile], report: &mut Report) {
    if posts.is_empty() {
        return;
    }
    let names: Vec<String> = posts.iter().map(|p| p.rel.clone()).collect();
    report.warnings.push(
        Diagnostic::warning(format!(
            "{} {} in _posts/ or _drafts/ ({}) {} not imported: folio has no blog posts",
            posts.len(),
            if posts.len() == 1 { "file" } else { "files" },
            some_names(&names),
            if posts.len() == 1 { "is" } else { "are" },
        ))
        .in_file(&posts[0].rel)
        .with_help(
            "move them out of _posts/ as pages (with a title and a permalink), then import again",
        ),
    );
}

/// Reads a page as UTF-8 text with `\n` line endings; an error names the file and line.
fn read(file: &scan::SourceFile, errors: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(err) => {
            errors.push(
                Diagnostic::error(format!("cannot read the file: {err}"))
                    .in_file(&file.rel)
                    .with_help("check the file's permissions"),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = text
                .strip_prefix('\u{feff}')
                .map(String::from)
                .unwrap_or(text);
            Some(if text.contains('\r') {
                text.replace("\r\n", "\n")
            } else {
                text
            })
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(err.as_bytes());
            let (line, column) = crate::diagnostics::line_col(&lossy, valid);
            errors.push(
                Diagnostic::error("the page is not valid UTF-8 text")
                    .in_file(&file.rel)
                    .at(line, column)
                    .with_help("save the file as UTF-8"),
            );
            None
        }
    }
}

/// Two files for one place in the new site are an error naming both.
fn check_targets(outputs: &[Output], errors: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for output in outputs {
        let key = output.target.to_ascii_lowercase();
        if let Some(first) = seen.get(&key) {
            errors.push(
                Diagnostic::error(format!(
                    "this file and `{first}` would both become {} in the new site",
                    output.target
                ))
                .in_file(&output.source)
                .with_help("rename one of them"),
            );
        } else {
            seen.insert(key, &output.source);
        }
    }
}

fn write(target: &Path, outputs: &[Output]) -> Result<(), ImportError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Write { path, source }
    };
    std::fs::create_dir_all(target).map_err(failed(target))?;
    for output in outputs {
        let path = target.join(&output.target);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(failed(parent))?;
        }
        match &output.content {
            OutputContent::Text(text) => std::fs::write(&path, text).map_err(failed(&path))?,
            OutputContent::Copy(from) => {
                std::fs::copy(from, &path).map_err(failed(&path))?;
            }
        }
    }
    // The new site's output and caches are not sources.
    let ignore = target.join(".gitignore");
    std::fs::write(&ignore, crate::paths::GITIGNORE).map_err(failed(&ignore))?;
    Ok(())
}
