//! `folio build` and `folio check`: load the site, run the one render pass over it, gather
//! every finding, and (when writing) swap the new output in only if nothing failed.
//!
//! Entry point: [`build`]. The stages: `site` (config, content, nav, templates: the model) ->
//! `render` (pages and generated files into an [`OutputSink`]) -> `findings` (everything
//! found about the site, in one list). `folio serve` runs the same `render` pass over what
//! changed.

mod assets;
pub mod books;
pub mod cache;
pub mod findings;
pub mod page;
pub mod render;
pub mod search;
pub mod site;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::check;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::reuse::Reusing;
use crate::output::{Discard, OutputSink, Staging};
use render::{Plan, Renders};
use search::SearchCache;
use site::Site;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Overrides `base_url` of site.toml (not when serving: the server has its own address).
    pub base_url: Option<String>,
    /// Include `draft: true` pages.
    pub drafts: bool,
    pub mode: Mode,
}

/// What the build is for. Each mode carries only the settings that mean something to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Write the site to its output folder (`folio build`).
    Write {
        /// Overrides `output` of site.toml.
        output: Option<PathBuf>,
        /// Relative URLs, for a site opened from disk (`file://`).
        offline: bool,
        /// Warnings fail the build.
        strict: bool,
        /// Render only what changed since the last build, with its cache (off: a cold build,
        /// which still leaves a cache for the next).
        cache: bool,
    },
    /// Build in memory, write nothing, and report every finding as a problem (`folio check`).
    Check {
        /// Also ask the web about the addresses pages link to.
        external: bool,
    },
    /// Keep the site in memory for the preview server: no base path, and asset URLs without
    /// versions (browsers revalidate).
    Serve,
}

impl Mode {
    /// Whether warnings count as errors. The one place that decides it.
    pub fn strict(&self) -> bool {
        match self {
            Mode::Write { strict, .. } => *strict,
            Mode::Check { .. } => true,
            Mode::Serve => false,
        }
    }

    pub fn serving(&self) -> bool {
        matches!(self, Mode::Serve)
    }

    pub fn offline(&self) -> bool {
        matches!(self, Mode::Write { offline: true, .. })
    }
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

/// Times the stages of a build as they finish.
struct Stages {
    timings: Timings,
    started: Instant,
}

impl Stages {
    fn new() -> Stages {
        Stages {
            timings: Timings::default(),
            started: Instant::now(),
        }
    }

    fn done(&mut self, name: &'static str) {
        self.done_with_part(name, None);
    }

    /// A stage that ran `part` inside it: the part is listed after it, and not counted twice.
    fn done_with_part(&mut self, name: &'static str, part: Option<(&'static str, Duration)>) {
        let elapsed = self.started.elapsed();
        let inner = part.map_or(Duration::ZERO, |(_, time)| time);
        self.timings
            .stages
            .push((name, elapsed.saturating_sub(inner)));
        self.timings.stages.extend(part);
        self.started = Instant::now();
    }
}

/// A finished build.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    /// Pages whose Markdown was rendered (fewer than `pages` when the cache had the others).
    pub rendered: usize,
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
    let mut stages = Stages::new();
    let fail = |diagnostics: Diagnostics| Err(BuildFailure { diagnostics });

    let site = match site::load(options) {
        Ok(site) => site,
        Err(problems) => return fail(finish(problems, &options.mode)),
    };
    stages.done("load");

    let writes = matches!(options.mode, Mode::Write { .. });
    // A site that already has errors is still rendered, for the findings, but not written.
    let failed = findings::of_model(&site).any(|d| d.is_error() || options.mode.strict());
    let staging = if writes && !failed {
        match Staging::create(&site.paths.output) {
            Ok(staging) => Some(staging),
            Err(err) => return fail(finish(vec![err.to_diagnostic()], &options.mode)),
        }
    } else {
        None
    };
    // A build that writes plans from its cache: what changed is rendered, the rest is taken
    // from the previous output.
    let search = staging.is_some() && site.search.enabled;
    let mut cached = staging.as_ref().map(|staging| {
        let keys = cache::Keys::of(&site, options);
        let read = matches!(options.mode, Mode::Write { cache: true, .. });
        let mut reuse = cache::plan(&site, &keys, read, search, &|path| staging.file_time(path));
        let files = Reusing::new(staging, std::mem::take(&mut reuse.stamps));
        let sink = cache::CacheSink::new(files, &cache::folder(&site.paths.root));
        (keys, reuse, sink)
    });
    let search_cache = match &mut cached {
        Some((_, reuse, _)) => std::mem::replace(&mut reuse.search, SearchCache::None),
        None => SearchCache::None,
    };
    let (plan, previous) = match &cached {
        Some((_, reuse, _)) => (reuse.plan.clone(), &reuse.renders),
        // Nothing to read the books from when nothing is written (`folio check`).
        None => (
            Plan {
                books: false,
                ..Plan::everything(false)
            },
            &Renders::default(),
        ),
    };
    let sink: &dyn OutputSink = match &cached {
        Some((_, _, sink)) => sink,
        None => &Discard,
    };
    if cached.is_some() {
        stages.done("plan");
    }
    let mut pass = render::run(&site, &plan, previous, sink, search_cache);
    if let Some((_, reuse, sink)) = &cached {
        sink.files.keep_unchanged(&reuse.unchanged);
    }
    stages.timings.link_anchors = pass.link_time;
    // The index is made inside the pass but is a stage of its own in `--timings`.
    stages.done_with_part(
        "render",
        plan.search.then_some(("search index", pass.search_time)),
    );

    let mut problems = std::mem::take(&mut pass.problems);
    let kept_template_findings = cached
        .as_ref()
        .map(|(_, reuse, _)| &reuse.template_findings);
    let template_findings = pass
        .template_findings
        .as_ref()
        .or(kept_template_findings)
        .map(Vec::as_slice)
        .unwrap_or_default();
    problems.extend(findings::collect(
        &site,
        |rel| {
            pass.renders
                .get(rel)
                .or_else(|| previous.get(rel))
                .map(|r| &**r)
        },
        template_findings,
    ));
    stages.done("check links");
    if let Mode::Check { external: true } = options.mode {
        let links: Vec<check::PageLinks> = site
            .content
            .pages
            .iter()
            .map(|page| {
                pass.renders
                    .get(&page.rel_path)
                    .map(|render| render.links.clone())
                    .unwrap_or_default()
            })
            .collect();
        match check::external(&site.content.pages, &links, &external_settings(&site)) {
            Ok(found) => problems.extend(found),
            Err(err) => problems.push(Diagnostic::error(err.to_string())),
        }
        stages.done("check external links");
    }

    let diagnostics = finish(problems, &options.mode);
    if diagnostics.has_errors() {
        return fail(diagnostics);
    }
    let template_findings = template_findings.to_vec();
    let rendered = cached
        .as_ref()
        .map_or(site.content.pages.len(), |(_, reuse, _)| reuse.rendered);
    let outputs = cached.map(|(keys, reuse, sink)| (keys, reuse, sink.finish()));
    if let Some(staging) = staging {
        let kept = outputs.iter().flat_map(|(_, _, written)| &written.stamps);
        if let Err(err) = staging.commit(kept.map(|(path, _)| path.as_str())) {
            let mut diagnostics = diagnostics;
            diagnostics.push(err.to_diagnostic());
            return fail(diagnostics);
        }
        stages.done("swap in");
        if let Some((keys, reuse, outputs)) = outputs {
            let done = cache::Finished {
                fresh: &pass.renders,
                template_findings: &template_findings,
                written: outputs,
                book_ranges: &pass.book_ranges,
                search_tally: pass.search_tally.take(),
            };
            // The cache only saves time: a cache that cannot be written makes the next build
            // a cold one, not this one a failure.
            let _ = cache::save(&site, &keys, reuse, done);
            stages.done("save cache");
        }
    }
    let report = BuildReport {
        pages: site.content.pages.len(),
        rendered,
        assets: site.content.assets.len() + site.content.static_files.len(),
        elapsed: started.elapsed(),
        timings: stages.timings,
        output: site.paths.output.clone(),
        diagnostics,
    };
    // What the build held is freed behind the report (tens of milliseconds at 10,000
    // pages): a command that ends with the build does not wait for it.
    let renders = pass.renders;
    let freed = std::thread::Builder::new().spawn(move || {
        render::release(renders);
        drop(site);
    });
    drop(freed);
    Ok(report)
}

/// The findings of a build as reported: warnings become errors in strict modes.
fn finish(problems: Vec<Diagnostic>, mode: &Mode) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(problems);
    if mode.strict() {
        diagnostics.escalate_warnings();
    }
    diagnostics
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
