//! The one render pass, shared by every command: it renders the pages a [`Plan`] names (their
//! Markdown, then their layout), publishes the files and generated files it names, and hands
//! everything to an [`OutputSink`] — the staging folder of `folio build`, the preview server's
//! memory, or nothing for `folio check`. `build` plans everything; `serve` plans what changed
//! and passes the renders it kept from the last pass.
//!
//! Entry point: [`run`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::books::{self, BookRanges, Books, Pieces, PreviousBooks};
use super::page::{self, PageMarkdown};
use super::search::SearchCache;
use super::site::{Output, Site, in_memory};
use crate::check::{self, PageLinks};
use crate::content::{AssetSource, Page};
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::output::OutputSink;
use crate::paths;
use crate::search::Section;

/// Which keys a plan covers.
#[derive(Debug, Clone)]
pub enum Selection {
    All,
    Only(rustc_hash::FxHashSet<String>),
}

impl Selection {
    pub fn contains(&self, key: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Only(keys) => keys.contains(key),
        }
    }
}

/// What a pass renders and publishes.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Pages (by path under `content/`) whose Markdown is rendered; the others reuse the
    /// render they had (when every layout is rendered, a page without one is rendered too).
    pub markdown: Selection,
    /// Every page's layout is rendered, and the theme's 404 page; otherwise only the pages of
    /// `markdown` are rendered.
    pub all_layouts: bool,
    /// Files of `content/` and `static/` to publish, by output path.
    pub files: Selection,
    /// nav.json, sitemap.xml and robots.txt.
    pub generated: bool,
    /// The search index, from every page's sections.
    pub search: bool,
    /// Keep each page's rendered Markdown, so that a later pass can render layouts alone.
    pub keep_bodies: bool,
    /// The files made from every page's body — each page's Markdown copy, the print page and
    /// llms-full.txt (when the site has them); pages are then rendered in reading order.
    pub books: bool,
}

impl Plan {
    /// Everything, once (`folio build`, `folio check`).
    pub fn everything(search: bool) -> Plan {
        Plan {
            markdown: Selection::All,
            all_layouts: true,
            files: Selection::All,
            generated: true,
            search,
            keep_bodies: false,
            books: true,
        }
    }
}

/// One page's render, as kept between passes.
#[derive(Debug)]
pub struct PageRender {
    /// The Markdown as HTML, with its headings; `None` once the layout is written, unless the
    /// plan keeps it.
    pub body: Option<Rendered>,
    /// What rendering found, at lines of the page's file.
    pub warnings: Vec<Diagnostic>,
    /// The page's links and anchors, for the link checks.
    pub links: PageLinks,
    /// The page's sections for the search index (`None` when it is left out).
    pub sections: Option<Arc<[Section]>>,
    /// The page's Markdown copy; `None` once written, unless the plan keeps bodies.
    pub copy: Option<Arc<str>>,
    /// Where its pieces of the books are in the last build's, when they are taken from
    /// there (a kept page whose body was not read).
    pub spliced: Option<(Arc<PreviousBooks>, BookRanges)>,
}

/// Renders by page path under `content/`.
pub type Renders = FxHashMap<String, Arc<PageRender>>;

/// What a pass did.
#[derive(Debug, Default)]
pub struct Pass {
    /// The renders this pass made.
    pub renders: Renders,
    /// Layouts that failed and files that could not be written.
    pub problems: Vec<Diagnostic>,
    /// What the layouts link to, checked on one page of each (`None` when the pass did not
    /// render every layout: the last findings still hold).
    pub template_findings: Option<Vec<Diagnostic>>,
    /// Pages whose layout was rendered.
    pub layouts: usize,
    /// Time spent collecting links and anchors, summed over threads.
    pub link_time: Duration,
    /// Time spent making the search index.
    pub search_time: Duration,
    /// Where each page's pieces of the books went.
    pub book_ranges: Vec<(crate::content::PageId, BookRanges)>,
    /// Where the search index's counts were stored for the build cache (when it asked).
    pub search_tally: Option<super::cache::TallyWriter>,
}

/// Renders and publishes what `plan` names into `sink`; `previous` holds the renders of pages
/// whose Markdown the plan does not render again.
pub fn run(
    site: &Site,
    plan: &Plan,
    previous: &Renders,
    sink: &dyn OutputSink,
    search_cache: SearchCache,
) -> Pass {
    let mut pass = Pass::default();
    let kept_body = |page: &Page| {
        previous
            .get(&page.rel_path)
            .filter(|render| render.body.is_some())
    };
    let fresh = |page: &Page| plan.markdown.contains(&page.rel_path) || kept_body(page).is_none();
    let work: Vec<&Arc<Page>> = site
        .content
        .pages
        .iter()
        .filter(|page| plan.all_layouts || plan.markdown.contains(&page.rel_path))
        .collect();
    // What layouts link to is the same on every page: checked on the first page of each.
    let mut layouts_seen = rustc_hash::FxHashSet::default();
    let checked: rustc_hash::FxHashSet<&str> = if plan.all_layouts && !site.offline {
        work.iter()
            .filter(|page| layouts_seen.insert(page::layout_of(page)))
            .map(|page| page.rel_path.as_str())
            .collect()
    } else {
        rustc_hash::FxHashSet::default()
    };
    if let Err(err) = sink.prepare(&mut work.iter().map(|page| page.output_path.as_str())) {
        pass.problems.push(err.to_diagnostic());
        return pass;
    }

    let render_one = |page: &Page, books: Option<&Books>| {
        let reused = (!fresh(page)).then(|| kept_body(page)).flatten();
        render_page(
            site,
            page,
            reused,
            PageOptions {
                keep_body: plan.keep_bodies,
                check_layout: checked.contains(page.rel_path.as_str()),
                books,
            },
            sink,
        )
    };
    let mut books = plan.books.then(|| Books::start(site, sink));
    let results: Vec<PageResult> = match &mut books {
        None => work.par_iter().map(|page| render_one(page, None)).collect(),
        Some(books) => {
            let mut in_work = vec![false; site.content.pages.len()];
            for page in &work {
                in_work[page.id] = true;
            }
            let mut results = Vec::with_capacity(work.len());
            let order = std::mem::take(&mut books.order);
            let books_now: &Books = books;
            // The pieces of the chunk before are appended while this chunk renders.
            let mut pending: Vec<Pieces> = Vec::new();
            let spliced_problems = std::sync::Mutex::new(Vec::new());
            for chunk in order.chunks(books::CHUNK) {
                let appending = std::mem::take(&mut pending);
                let ((), mut done) = rayon::join(
                    || books_now.add(sink, appending.into_iter()),
                    || {
                        chunk
                            .par_iter()
                            .map(|&id| {
                                let page = &site.content.pages[id];
                                if in_work[id] {
                                    let mut result = render_one(page, Some(books_now));
                                    let pieces = std::mem::take(&mut result.pieces);
                                    (Some(result), pieces)
                                } else {
                                    match kept_pieces(books_now, page, previous) {
                                        Ok(pieces) => (None, pieces),
                                        Err(problem) => {
                                            spliced_problems
                                                .lock()
                                                .unwrap_or_else(|e| e.into_inner())
                                                .push(problem);
                                            (None, Pieces::default())
                                        }
                                    }
                                }
                            })
                            .collect::<Vec<(Option<PageResult>, Pieces)>>()
                    },
                );
                pending = done.iter_mut().map(|(_, p)| std::mem::take(p)).collect();
                results.extend(done.into_iter().filter_map(|(result, _)| result));
            }
            books_now.add(sink, pending.into_iter());
            pass.problems.extend(
                spliced_problems
                    .into_inner()
                    .unwrap_or_else(|e| e.into_inner()),
            );
            results
        }
    };
    if let Some(books) = books {
        let (problems, ranges) = books.finish(sink);
        pass.problems.extend(problems);
        pass.book_ranges = ranges;
    }
    let mut template_findings = Vec::new();
    for result in results {
        pass.layouts += usize::from(result.layout_rendered);
        pass.problems.extend(result.problems);
        template_findings.extend(result.template_findings);
        pass.link_time += result.link_time;
        if let Some(render) = result.fresh {
            pass.renders.insert(result.rel_path, render);
        }
    }
    if plan.all_layouts {
        pass.template_findings = Some(template_findings);
    }

    let mut files = Vec::new();
    for output in site.outputs() {
        match output {
            Output::Page(_) => {}
            Output::File(asset) if plan.files.contains(&asset.output_path) => files.push(asset),
            Output::Generated(name) if plan.generated => {
                if let Some(text) = site.generated_file(name) {
                    write(sink, name, text.into_bytes(), &mut pass.problems);
                }
            }
            Output::NotFound if plan.all_layouts => match page::render_not_found(site) {
                Ok(html) => write(
                    sink,
                    paths::NOT_FOUND,
                    html.into_bytes(),
                    &mut pass.problems,
                ),
                Err(problem) => pass.problems.push(problem),
            },
            Output::File(_)
            | Output::Generated(_)
            | Output::NotFound
            | Output::Copy(_)
            | Output::Book(_) => {}
        }
    }
    pass.problems.extend(publish_files(&files, sink));

    if plan.search {
        let started = Instant::now();
        let (problems, tally) =
            super::search::write(site, &pass.renders, previous, sink, search_cache);
        pass.problems.extend(problems);
        pass.search_tally = tally;
        pass.search_time = started.elapsed();
    }
    pass
}

/// Frees renders on every core (at 10,000 pages, freeing them on one thread shows).
pub fn release(renders: Renders) {
    renders.into_par_iter().for_each(drop);
}

/// The pieces of the books of a page the pass does not render, from its kept render.
fn kept_pieces(books: &Books, page: &Page, previous: &Renders) -> Result<Pieces, Diagnostic> {
    let Some(render) = previous.get(&page.rel_path) else {
        return Ok(Pieces::default());
    };
    Ok(match (&render.body, &render.spliced) {
        (Some(body), _) => books.pieces(page, body, render.copy.clone()),
        (None, Some((from, ranges))) => from.pieces(page, ranges)?,
        // Not recorded: the next build makes this page's pieces again.
        (None, None) => Pieces {
            page: None,
            fragment: None,
            copy: render.copy.clone(),
        },
    })
}

/// How a page is rendered.
struct PageOptions<'b> {
    /// Keep its rendered Markdown (and copy) for a later pass.
    keep_body: bool,
    /// Check what its layout links to.
    check_layout: bool,
    /// The books it is part of (its Markdown copy is made and written).
    books: Option<&'b Books>,
}

/// What rendering one page gave.
struct PageResult {
    rel_path: String,
    /// The page's new render (`None` when its kept one was reused).
    fresh: Option<Arc<PageRender>>,
    layout_rendered: bool,
    problems: Vec<Diagnostic>,
    template_findings: Vec<Diagnostic>,
    link_time: Duration,
    /// Its pieces of the books.
    pieces: Pieces,
}

/// Renders one page's Markdown (unless `reused` holds it) and its layout, and writes it.
fn render_page(
    site: &Site,
    page: &Page,
    reused: Option<&Arc<PageRender>>,
    options: PageOptions<'_>,
    sink: &dyn OutputSink,
) -> PageResult {
    let PageOptions {
        keep_body,
        check_layout,
        books,
    } = options;
    let mut result = PageResult {
        rel_path: page.rel_path.clone(),
        fresh: None,
        layout_rendered: false,
        problems: Vec::new(),
        template_findings: Vec::new(),
        link_time: Duration::ZERO,
        pieces: Pieces::default(),
    };
    let mut made = None;
    let render: &PageRender = match reused {
        Some(render) => render,
        None => {
            let with_copy = books.is_some_and(|books| books.wants_copy(site, page));
            let PageMarkdown {
                rendered,
                warnings,
                sections,
                copy,
            } = page::render_markdown(site, page, with_copy);
            let copy: Option<Arc<str>> = copy.map(Into::into);
            if let Some(copy) = &copy {
                let path = paths::markdown_copy_path(&page.output_path);
                if let Err(err) = sink.write(&path, copy.as_bytes().to_vec()) {
                    result
                        .problems
                        .push(err.to_diagnostic().in_file(&page.source));
                }
            }
            let started = Instant::now();
            let links = page::page_links(page, &rendered);
            result.link_time = started.elapsed();
            made.insert(PageRender {
                body: Some(rendered),
                warnings,
                links,
                sections,
                copy,
                spliced: None,
            })
        }
    };
    let body = render.body.as_ref();
    if let (Some(books), Some(body)) = (books, body) {
        result.pieces = books.pieces(page, body, render.copy.clone());
    }
    // A page whose layout does not exist is reported once, by the site's layout check.
    if let Some(body) = body.filter(|_| site.templates.has_layout(page::layout_of(page))) {
        result.layout_rendered = true;
        match page::render_html(site, page, body) {
            Ok(html) => {
                if check_layout {
                    result.template_findings = check::template_links(
                        &site.index,
                        &site.templates,
                        page::layout_of(page),
                        &html,
                        &body.html,
                    );
                }
                if let Err(err) = sink.write(&page.output_path, html.into_bytes()) {
                    result
                        .problems
                        .push(err.to_diagnostic().in_file(&page.source));
                }
            }
            Err(problem) => result.problems.push(problem),
        }
    }
    if let Some(mut render) = made {
        if let Some(body) = &render.body {
            sink.keep_body(&page.rel_path, body, render.copy.as_deref());
        }
        if !keep_body {
            render.body = None;
            render.copy = None;
        }
        result.fresh = Some(Arc::new(render));
    }
    result
}

fn write(sink: &dyn OutputSink, path: &str, bytes: Vec<u8>, problems: &mut Vec<Diagnostic>) {
    if let Err(err) = sink.write(path, bytes) {
        problems.push(err.to_diagnostic());
    }
}

/// Publishes files of `content/` and `static/` (and the theme's), in parallel.
fn publish_files(files: &[&crate::content::Asset], sink: &dyn OutputSink) -> Vec<Diagnostic> {
    if let Err(err) = sink.prepare(&mut files.iter().map(|asset| asset.output_path.as_str())) {
        return vec![err.to_diagnostic()];
    }
    files
        .par_iter()
        .filter_map(|asset| {
            let result = match (&asset.source, in_memory(asset)) {
                (_, Some(bytes)) => sink.write(&asset.output_path, bytes.to_vec()),
                (AssetSource::File(path), None) => sink.copy(&asset.output_path, path),
                (_, None) => Ok(()),
            };
            result.err().map(|err| err.to_diagnostic())
        })
        .collect()
}
