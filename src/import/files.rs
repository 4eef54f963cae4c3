//! The files of a Jekyll site that are not pages: layouts, includes, data, Sass, plugins and
//! static files. Each is copied to where folio reads or serves it, or reported with what to do
//! instead.

use std::path::PathBuf;

use super::jekyll_config::{JekyllConfig, scalar_text};
use super::report::{Report, some_names};
use super::scan::SourceFile;
use super::theme::{self, IncludeKind};
use crate::diagnostics::Diagnostic;

/// One file of the new site.
#[derive(Debug)]
pub(super) struct Output {
    /// The path in the new site (`content/img/a.png`).
    pub target: String,
    /// The path in the Jekyll site it comes from.
    pub source: String,
    pub content: OutputContent,
}

#[derive(Debug)]
pub(super) enum OutputContent {
    Text(String),
    Copy(PathBuf),
}

fn copy(target: String, file: &SourceFile) -> Output {
    Output {
        target,
        source: file.rel.clone(),
        content: OutputContent::Copy(file.path.clone()),
    }
}

fn under<'a>(rel: &'a str, dir: &str) -> &'a str {
    rel.strip_prefix(dir)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(rel)
}

fn read_text(file: &SourceFile) -> String {
    std::fs::read_to_string(&file.path).unwrap_or_default()
}

/// The site's layouts: the theme's own are reported; for each of the site's own, a template
/// that extends the layout it builds on, so pages that name it still build. Returns the
/// names of those layouts.
pub(super) fn layouts(
    files: &[SourceFile],
    config: &JekyllConfig,
    outputs: &mut Vec<Output>,
    report: &mut Report,
) -> Vec<String> {
    let mut theme_files = Vec::new();
    let mut own = Vec::new();
    for file in files {
        let name_path = under(&file.rel, &config.layouts_dir);
        let Some(name) = name_path.strip_suffix(".html") else {
            report.warnings.push(
                Diagnostic::warning("this layout is not an .html file, so Jekyll does not use it")
                    .in_file(&file.rel)
                    .with_help("nothing to do"),
            );
            continue;
        };
        if theme::is_theme_layout(name) {
            theme_files.push(file.rel.clone());
            continue;
        }
        let simple = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let base = base_layout(name, files, config);
        if !simple {
            report.warnings.push(
                Diagnostic::warning(format!(
                    "the layout `{name}` is not imported; pages that use it get `default`"
                ))
                .in_file(&file.rel)
                .with_help("give the layout a plain name and write templates/layouts/<name>.html"),
            );
            continue;
        }
        outputs.push(Output {
            target: format!("templates/layouts/{name}.html"),
            source: file.rel.clone(),
            content: OutputContent::Text(format!(
                "{{% extends \"layouts/{base}.html\" %}}\n{{#- Imported from {}: a Jekyll layout, which folio cannot run. Pages with `layout: {name}`\n    look like `{base}` pages until this template is written in Tera (see the Guide's Templates page). -#}}\n",
                file.rel
            )),
        });
        report.warnings.push(
            Diagnostic::warning(format!(
                "the layout `{name}` is Liquid and HTML that folio cannot run; its pages are shown with the `{base}` layout"
            ))
            .in_file(&file.rel)
            .with_help(format!(
                "rewrite it in Tera in templates/layouts/{name}.html of the new site (the import wrote one that extends `{base}`)"
            )),
        );
        report.layout_templates.push(format!("{name}.html"));
        own.push(name.to_string());
    }
    if !theme_files.is_empty() {
        report.warnings.push(
            Diagnostic::warning(format!(
                "{} of just-the-docs' layouts {} overridden or copied into the site ({}); folio's theme is its own, so they are not imported",
                theme_files.len(),
                if theme_files.len() == 1 { "is" } else { "are" },
                some_names(&theme_files)
            ))
            .in_file(&theme_files[0])
            .with_help("to change how pages look, override folio's templates (templates/base.html, templates/layouts/default.html, …; see the Guide's Templates page)"),
        );
    }
    own
}

/// The folio layout a site layout ends up at, following its `layout:` front matter.
fn base_layout(name: &str, files: &[SourceFile], config: &JekyllConfig) -> String {
    let mut current = name.to_string();
    for _ in 0..16 {
        let file = files
            .iter()
            .find(|f| under(&f.rel, &config.layouts_dir) == format!("{current}.html"));
        let parent = file.and_then(|f| layout_front_matter(&read_text(f)));
        match parent {
            Some(parent) if theme::FOLIO_LAYOUTS.contains(&parent.as_str()) => return parent,
            Some(parent) if parent != current => current = parent,
            _ => break,
        }
    }
    "default".into()
}

fn layout_front_matter(text: &str) -> Option<String> {
    let rest = text.strip_prefix("---")?;
    let end = rest.find("\n---")?;
    let value: serde_yaml::Value = serde_yaml::from_str(&rest[..end]).ok()?;
    value.get("layout").and_then(scalar_text)
}

/// `_includes/` → `includes/`, except the theme's own files, which are reported.
pub(super) fn includes(
    files: &[SourceFile],
    config: &JekyllConfig,
    outputs: &mut Vec<Output>,
    report: &mut Report,
) {
    let mut theme_files = Vec::new();
    for file in files {
        let path = under(&file.rel, &config.includes_dir);
        match theme::include_kind(path) {
            IncludeKind::Own => {
                outputs.push(copy(format!("includes/{path}"), file));
                report.includes += 1;
            }
            IncludeKind::Theme => theme_files.push(file.rel.clone()),
            IncludeKind::Hook(hook) => {
                if !theme::is_stock_hook(hook, &read_text(file)) {
                    report.warnings.push(
                        Diagnostic::warning(format!(
                            "this file customises just-the-docs ({}), which folio's theme does not read",
                            hook.path
                        ))
                        .in_file(&file.rel)
                        .with_help(hook.advice),
                    );
                }
            }
        }
    }
    if !theme_files.is_empty() {
        report.warnings.push(
            Diagnostic::warning(format!(
                "{} of just-the-docs' own includes {} in the site ({}); folio's theme is its own, so they are not imported",
                theme_files.len(),
                if theme_files.len() == 1 { "is" } else { "are" },
                some_names(&theme_files)
            ))
            .in_file(&theme_files[0])
            .with_help("to change a part of the page they draw, override the matching folio template (see the Guide's Templates page)"),
        );
    }
}

/// `_data/` → `data/`.
pub(super) fn data(
    files: &[SourceFile],
    config: &JekyllConfig,
    outputs: &mut Vec<Output>,
    report: &mut Report,
) {
    for file in files {
        let path = under(&file.rel, &config.data_dir);
        let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match extension.as_deref() {
            Some("yml" | "yaml" | "json") => {
                outputs.push(copy(format!("data/{path}"), file));
                report.data_files += 1;
            }
            Some("csv" | "tsv") => {
                outputs.push(copy(format!("data/{path}"), file));
                report.data_files += 1;
                report.warnings.push(
                    Diagnostic::warning("folio reads data files in YAML, JSON and TOML, not CSV or TSV")
                        .in_file(&file.rel)
                        .with_help("convert it to a YAML or JSON list of records (the header row gives the keys) in data/"),
                );
            }
            _ => report.warnings.push(
                Diagnostic::warning(
                    "Jekyll does not read this file as data, so it is not imported",
                )
                .in_file(&file.rel)
                .with_help("data files end in .yml, .yaml, .json, .csv or .tsv"),
            ),
        }
    }
}

/// `_sass/`: the theme's own files and its stock placeholders are left out; real
/// customisations are reported.
pub(super) fn sass(files: &[SourceFile], config: &JekyllConfig, report: &mut Report) {
    let mut theme_files = 0;
    for file in files {
        let path = under(&file.rel, &config.sass_dir);
        let theme_scheme = matches!(path, "color_schemes/light.scss" | "color_schemes/dark.scss");
        let custom =
            path.starts_with("custom/") || (path.starts_with("color_schemes/") && !theme_scheme);
        if !custom {
            theme_files += 1;
            continue;
        }
        if theme::is_stock_sass(path, &read_text(file)) {
            continue;
        }
        let advice = if path.starts_with("color_schemes/") {
            "folio has a light and a dark theme; to change its colours, override static/assets/css/folio.css"
        } else {
            "folio does not compile Sass: write the rules as CSS in a file under static/ and link it from an override of templates/partials/head.html"
        };
        report.warnings.push(
            Diagnostic::warning(
                "this Sass file customises just-the-docs' styles, which folio cannot compile",
            )
            .in_file(&file.rel)
            .with_help(advice),
        );
    }
    if theme_files > 0 {
        report.config_not_needed.push(format!(
            "{} ({theme_files} of just-the-docs' Sass files; folio's stylesheet is its own)",
            config.sass_dir
        ));
    }
}

/// `_plugins/`: Ruby code folio cannot run.
pub(super) fn plugins(files: &[SourceFile], report: &mut Report) {
    for file in files {
        report.warnings.push(
            Diagnostic::warning("this is a Jekyll plugin, which folio cannot run")
                .in_file(&file.rel)
                .with_help("do what it does by hand, in the pages or in a template override"),
        );
    }
}

/// Files without front matter: copied to `content/` (served at the same path), Markdown
/// files to `static/` (so folio does not read them as pages), the theme's own assets left
/// out.
pub(super) fn statics(
    files: &[SourceFile],
    config: &JekyllConfig,
    markdown_pages: bool,
    outputs: &mut Vec<Output>,
    report: &mut Report,
) -> Vec<SourceFile> {
    let mut as_pages = Vec::new();
    let mut theme_files = Vec::new();
    for file in files {
        if theme::is_theme_asset(&file.rel) {
            theme_files.push(file.rel.clone());
            continue;
        }
        let extension = file
            .rel
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let is_markdown = config.markdown_ext.contains(&extension)
            || extension == "md"
            || extension == "markdown";
        if is_markdown && markdown_pages {
            as_pages.push(file.clone());
        } else if is_markdown {
            outputs.push(copy(format!("static/{}", file.rel), file));
            report.files += 1;
        } else {
            outputs.push(copy(format!("content/{}", file.rel), file));
            report.files += 1;
        }
    }
    report.theme_assets.extend(theme_files);
    as_pages
}

/// Files without front matter in a collection Jekyll writes out: served under the
/// collection's name.
pub(super) fn collection_file(
    file: &SourceFile,
    label: &str,
    config: &JekyllConfig,
    outputs: &mut Vec<Output>,
    report: &mut Report,
) {
    let in_collections = under(&file.rel, &config.collections_dir);
    let inside = under(in_collections, &format!("_{label}"));
    outputs.push(copy(format!("content/{label}/{inside}"), file));
    report.files += 1;
}
