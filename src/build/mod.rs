//! `folio build`: runs the stages in order — config, content, nav, templates, then pages
//! rendered and written in parallel — and swaps the new output in only if nothing failed.
//!
//! Entry point: [`build`].

mod assets;
pub mod page;
pub mod site;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Staging;
use crate::search;
use site::Site;

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
    /// Relative URLs, for a site opened from disk (`file://`).
    pub offline: bool,
    /// For the preview server: no base path, no cache-busting versions in asset URLs.
    pub serving: bool,
    /// Build in memory and write nothing (`folio check`).
    pub in_memory: bool,
    /// Also check the web addresses pages link to (`folio check --external`).
    pub external_links: bool,
}

/// How long the stages of a build took (`folio build --timings`).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Wall time of each stage, in order.
    pub stages: Vec<(&'static str, Duration)>,
    /// Time spent collecting pages' links and anchors for the link checks, summed over
    /// threads; part of the render stage.
    pub link_anchors: Duration,
}

/// A finished build.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub assets: usize,
    pub elapsed: Duration,
    pub timings: Timings,
    pub output: PathBuf,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
}

/// A build that did not replace the output.
#[derive(Debug)]
pub struct BuildFailure {
    pub diagnostics: Diagnostics,
}

/// Builds the site described by `options`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let fail = |mut diagnostics: Diagnostics, extra: Vec<Diagnostic>| {
        diagnostics.extend(extra);
        Err(BuildFailure { diagnostics })
    };

    let mut timings = Timings::default();
    let mut stage_started = Instant::now();
    let mut stage_done = |name: &'static str, timings: &mut Timings| {
        timings.stages.push((name, stage_started.elapsed()));
        stage_started = Instant::now();
    };

    let site = match site::load(options, &mut diagnostics) {
        Ok(site) => site,
        Err(problems) => return fail(diagnostics, problems),
    };
    stage_done("load", &mut timings);
    if options.strict {
        diagnostics.escalate_warnings();
    }
    let can_write = !diagnostics.has_errors();

    let staging = if can_write && !options.in_memory {
        match Staging::create(&site.paths.output) {
            Ok(staging) => Some(staging),
            Err(err) => return fail(diagnostics, vec![err.to_diagnostic()]),
        }
    } else {
        None
    };

    let (mut problems, entries, links) = render_pages(&site, staging.as_ref(), &mut timings);
    stage_done("render", &mut timings);
    let found: Vec<&check::PageLinks> = links.iter().collect();
    problems.extend(check::internal(&site.index, &site.content.pages, &found));
    drop(found);
    stage_done("check links", &mut timings);
    if options.external_links {
        match check::external(&site.content.pages, &links, &external_settings(&site)) {
            Ok(found) => problems.extend(found),
            Err(err) => problems.push(Diagnostic::error(err.to_string())),
        }
        stage_done("check external links", &mut timings);
    }
    drop(links);
    if let Some(staging) = &staging {
        if site.search.enabled {
            problems.extend(write_search(entries, staging));
            stage_done("search index", &mut timings);
        }
        problems.extend(write_files(&site, staging));
        stage_done("files", &mut timings);
    }
    if options.strict {
        for problem in &mut problems {
            problem.severity = crate::diagnostics::Severity::Error;
        }
    }
    diagnostics.extend(problems);
    if diagnostics.has_errors() {
        return fail(diagnostics, Vec::new());
    }
    if let Some(staging) = staging {
        if let Err(err) = staging.commit() {
            return fail(diagnostics, vec![err.to_diagnostic()]);
        }
        stage_done("swap in", &mut timings);
    }
    Ok(BuildReport {
        pages: site.content.pages.len(),
        assets: site.content.assets.len() + site.content.static_files.len(),
        elapsed: started.elapsed(),
        timings,
        output: site.paths.output,
        diagnostics,
    })
}

/// What rendering every page found: problems, search entries, and each page's links (in
/// page order).
type RenderedSite = (
    Vec<Diagnostic>,
    Vec<search::PageEntry>,
    Vec<check::PageLinks>,
);

/// Renders every page (and writes it when `staging` is given).
fn render_pages(site: &Site, staging: Option<&Staging>, timings: &mut Timings) -> RenderedSite {
    let mut problems = Vec::new();
    if let Some(staging) = staging {
        let outputs = site.content.pages.iter().map(|p| p.output_path.as_str());
        if let Err(err) = staging.create_dirs(outputs) {
            return (vec![err.to_diagnostic()], Vec::new(), Vec::new());
        }
    }
    // What layouts link to is the same on every page: checked on the first page of each.
    let mut layouts_seen = std::collections::HashSet::new();
    let layout_checked: Vec<bool> = site
        .content
        .pages
        .iter()
        .map(|page| layouts_seen.insert(page::layout_of(page)))
        .collect();
    let results: Vec<page::RenderedPage> = site
        .content
        .pages
        .par_iter()
        .map(|page| {
            let mut rendered = page::render(site, page, layout_checked[page.id]);
            if let (Some(html), Some(staging)) = (rendered.html.take(), staging)
                && let Err(err) = staging.write(&page.output_path, html.as_bytes())
            {
                rendered
                    .problems
                    .push(err.to_diagnostic().in_file(&page.source));
            }
            rendered
        })
        .collect();
    let mut entries = Vec::new();
    let mut links = Vec::with_capacity(results.len());
    for rendered in results {
        problems.extend(rendered.problems);
        entries.extend(rendered.entry);
        links.push(rendered.links);
        timings.link_anchors += rendered.links_time;
    }
    if !site.has_own_not_found() {
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
    (problems, entries, links)
}

/// `[check]` of site.toml as the external link checker takes it.
fn external_settings(site: &Site) -> check::external::ExternalSettings {
    let config = &site.config.check;
    check::external::ExternalSettings {
        timeout: Duration::from_secs(config.timeout.max(1)),
        per_host: config.per_host.max(1),
        cache: Some(site.paths.root.join(&config.cache)),
        cache_ttl: Duration::from_secs(config.cache_hours * 3600),
        skip: config.skip_external.clone(),
        ..Default::default()
    }
}

/// Writes the search index of `entries`.
fn write_search(entries: Vec<search::PageEntry>, staging: &Staging) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if let Err(err) = staging.create_dirs(
        search::FOLDERS
            .map(|folder| format!("{folder}/"))
            .iter()
            .map(String::as_str),
    ) {
        return vec![err.to_diagnostic()];
    }
    let failures = std::sync::Mutex::new(Vec::new());
    search::build(entries, &|path, text| {
        if let Err(err) = staging.write(&path, text.as_bytes()) {
            failures
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(err.to_diagnostic());
        }
    });
    problems.extend(failures.into_inner().unwrap_or_default());
    // A one-file index leaves the shard folders empty; removing a folder that is not empty
    // fails, which is fine.
    for folder in search::FOLDERS {
        let _ = std::fs::remove_dir(staging.path().join(folder));
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

    let generated = site.generated_files();
    for (path, text) in &generated {
        if let Err(err) = staging.write(path, text.as_bytes()) {
            problems.push(err.to_diagnostic());
        }
    }
    problems
}
