//! `folio build`: runs the stages in order — config, content, nav, templates, then pages
//! rendered and written in parallel — and swaps the new output in only if nothing failed.
//!
//! Entry point: [`build`].

mod assets;
mod page;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, SiteConfig, SitePaths};
use crate::content::{self, Content, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::SiteIndex;
use crate::markdown::highlight::CodeThemes;
use crate::nav::{self, Nav};
use crate::output::{self, Staging, extras};
use crate::templates::{self, SiteContext, Templates};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Overrides `output` of site.toml.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.toml.
    pub base_url: Option<String>,
    /// Include `draft: true` pages.
    pub drafts: bool,
    /// Warnings fail the build.
    pub strict: bool,
}

/// A finished build.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub assets: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
}

/// A build that did not replace the output.
#[derive(Debug)]
pub struct BuildFailure {
    pub diagnostics: Diagnostics,
}

/// Everything loaded and modelled before rendering.
struct Site {
    config: SiteConfig,
    paths: SitePaths,
    content: Content,
    nav: Nav,
    index: SiteIndex,
    templates: Templates,
    generated: assets::Generated,
    callouts: std::collections::BTreeMap<String, crate::config::Callout>,
    code_themes: CodeThemes,
}

/// Builds the site described by `options`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let fail = |mut diagnostics: Diagnostics, extra: Vec<Diagnostic>| {
        diagnostics.extend(extra);
        Err(BuildFailure { diagnostics })
    };

    let site = match load_site(options, &mut diagnostics) {
        Ok(site) => site,
        Err(problems) => return fail(diagnostics, problems),
    };
    if options.strict {
        diagnostics.escalate_warnings();
    }
    let can_write = !diagnostics.has_errors();

    let staging = if can_write {
        match Staging::create(&site.paths.output) {
            Ok(staging) => Some(staging),
            Err(err) => return fail(diagnostics, vec![err.to_diagnostic()]),
        }
    } else {
        None
    };

    let mut problems = render_pages(&site, staging.as_ref());
    if let Some(staging) = &staging {
        problems.extend(write_files(&site, staging));
    }
    if options.strict {
        for problem in &mut problems {
            problem.severity = crate::diagnostics::Severity::Error;
        }
    }
    diagnostics.extend(problems);
    let Some(staging) = staging.filter(|_| !diagnostics.has_errors()) else {
        return fail(diagnostics, Vec::new());
    };
    if let Err(err) = staging.commit() {
        return fail(diagnostics, vec![err.to_diagnostic()]);
    }
    Ok(BuildReport {
        pages: site.content.pages.len(),
        assets: site.content.assets.len() + site.content.static_files.len(),
        elapsed: started.elapsed(),
        output: site.paths.output,
        diagnostics,
    })
}

/// Config, content, nav and templates. Problems that stop the build are returned as `Err`;
/// the others are added to `diagnostics`.
fn load_site(
    options: &BuildOptions,
    diagnostics: &mut Diagnostics,
) -> Result<Site, Vec<Diagnostic>> {
    let root = &options.root;
    if !root.is_dir() {
        return Err(vec![
            Diagnostic::error(format!(
                "the site folder `{}` does not exist",
                root.display()
            ))
            .with_help("pass the folder that holds site.toml and content/ with --root"),
        ]);
    }
    let mut config = config::load(root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = Some(base_url.clone());
        let problems: Vec<Diagnostic> = config
            .validate()
            .into_iter()
            .map(|d| Diagnostic {
                help: Some("check --base-url".into()),
                ..d
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    let paths = SitePaths::new(root, &config, options.output.as_deref());
    output::check_output_location(&paths).map_err(|d| vec![d])?;
    if !paths.content.is_dir() {
        return Err(vec![
            Diagnostic::error(format!(
                "there is no content folder in `{}`",
                root.display()
            ))
            .with_help("put the Markdown pages in content/, or start a site with `folio new DIR`"),
        ]);
    }

    let (mut content, problems) = content::load(
        &paths,
        &config,
        LoadOptions {
            drafts: options.drafts,
        },
    );
    diagnostics.extend(problems);
    let (nav, problems) = nav::build(&content.pages, config.nav.sort);
    diagnostics.extend(problems);

    let Some(code_themes) =
        CodeThemes::new(&config.highlight.light_theme, &config.highlight.dark_theme)
    else {
        return Err(vec![
            Diagnostic::error("a highlight theme is unknown").in_file(config::CONFIG_FILE),
        ]);
    };
    let generated = assets::generate(&config, &mut content, &nav, &code_themes);
    let base_path = config.base_path();
    let site_context = SiteContext::new(&config, |path| {
        let mut url = templates::join_url(&base_path, path);
        if let Some(version) = generated.versions.get(path) {
            url.push_str("?v=");
            url.push_str(version);
        }
        url
    });
    let templates = match templates::load(&paths, &site_context, generated.versions.clone()) {
        Ok(templates) => templates,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(Vec::new());
        }
    };
    diagnostics.extend(page::check_layouts(&content, &templates));
    let index = site_index(&content, base_path);
    Ok(Site {
        callouts: config.callouts(),
        code_themes,
        config,
        paths,
        content,
        nav,
        index,
        templates,
        generated,
    })
}

fn site_index(content: &Content, base_path: String) -> SiteIndex {
    let mut index = SiteIndex {
        base_path,
        ..SiteIndex::default()
    };
    for page in &content.pages {
        index
            .url_by_source
            .insert(page.rel_path.clone(), page.url.clone());
        index.page_urls.insert(page.url.clone());
    }
    for asset in content.assets.iter().chain(&content.static_files) {
        index.files.insert(asset.output_path.clone());
    }
    index
}

/// Renders every page (and writes it when `staging` is given); returns the problems found.
fn render_pages(site: &Site, staging: Option<&Staging>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if let Some(staging) = staging {
        let outputs = site.content.pages.iter().map(|p| p.output_path.as_str());
        if let Err(err) = staging.create_dirs(outputs) {
            return vec![err.to_diagnostic()];
        }
    }
    let results: Vec<Vec<Diagnostic>> = site
        .content
        .pages
        .par_iter()
        .map(|page| {
            let (html, mut found) = page::render(site, page);
            if let (Some(html), Some(staging)) = (html, staging)
                && let Err(err) = staging.write(&page.output_path, html.as_bytes())
            {
                found.push(err.to_diagnostic().in_file(&page.source));
            }
            found
        })
        .collect();
    for found in results {
        problems.extend(found);
    }
    if !site
        .content
        .pages
        .iter()
        .any(|p| p.output_path == "404.html")
    {
        match page::render_not_found(site) {
            Ok(html) => {
                if let Some(staging) = staging
                    && let Err(err) = staging.write("404.html", html.as_bytes())
                {
                    problems.push(err.to_diagnostic());
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    problems
}

/// Copies assets and static files and writes the generated files.
fn write_files(site: &Site, staging: &Staging) -> Vec<Diagnostic> {
    let files = site.content.assets.iter().chain(&site.content.static_files);
    let mut problems = Vec::new();
    if let Err(err) = staging.create_dirs(files.clone().map(|a| a.output_path.as_str())) {
        return vec![err.to_diagnostic()];
    }
    let copied: Vec<Option<Diagnostic>> = files
        .collect::<Vec<_>>()
        .par_iter()
        .map(|asset| {
            let result = match &asset.source {
                content::AssetSource::File(path) => staging.copy(&asset.output_path, path),
                content::AssetSource::Embedded(bytes) => staging.write(&asset.output_path, bytes),
                content::AssetSource::Generated(bytes) => staging.write(&asset.output_path, bytes),
            };
            result.err().map(|err| err.to_diagnostic())
        })
        .collect();
    problems.extend(copied.into_iter().flatten());

    let config = &site.config;
    let absolute_base = config.absolute_base();
    let base_path = config.base_path();
    let entries: Vec<extras::SitemapEntry> = site
        .content
        .pages
        .iter()
        .filter(|page| page.output_path != "404.html")
        .map(|page| extras::SitemapEntry {
            url: page.url.clone(),
            last_modified: extras::date_of(page.front.last_modified_date.as_deref(), page.modified),
        })
        .collect();
    let sitemap = extras::sitemap(&entries, absolute_base.as_deref(), &base_path);
    let robots = extras::robots(absolute_base.as_deref(), &base_path);
    let generated: [(&str, &str); 3] = [
        (output::NAV_FILE, &site.generated.nav_json),
        ("sitemap.xml", &sitemap),
        ("robots.txt", &robots),
    ];
    for (path, text) in generated {
        if let Err(err) = staging.write(path, text.as_bytes()) {
            problems.push(err.to_diagnostic());
        }
    }
    problems
}
