//! Everything found about a site, gathered in one place so that `folio build`, `folio check`
//! and `folio serve` report the same findings for the same site: what loading the model found
//! (kept in the model), what rendering each page found (kept with its render), what the
//! layouts link to, and the links between pages.

use crate::check::{self, PageLinks};
use crate::diagnostics::Diagnostic;

use super::render::PageRender;
use super::site::Site;

/// What loading the site found: pages' warnings, unreadable files, collisions, nav and
/// layout problems.
pub fn of_model(site: &Site) -> impl Iterator<Item = &Diagnostic> {
    let content = &site.content;
    content
        .problems
        .iter()
        .chain(&content.static_problems)
        .chain(&content.collisions)
        .chain(content.pages.iter().flat_map(|page| &page.warnings))
        .chain(site.nav_problems.iter())
        .chain(site.layout_problems.iter())
        .chain(site.liquid_problems())
}

/// Every finding about `site`: the model's, each page render's (`render_of` gives a page's
/// render by its path under `content/`), the layouts' links (`template`), and the links
/// between pages, checked across every page.
pub fn collect<'r>(
    site: &Site,
    render_of: impl Fn(&str) -> Option<&'r PageRender>,
    template: &[Diagnostic],
) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = of_model(site).cloned().collect();
    let empty = PageLinks::default();
    let mut links: Vec<&PageLinks> = Vec::with_capacity(site.content.pages.len());
    for page in &site.content.pages {
        match render_of(&page.rel_path) {
            Some(render) => {
                found.extend(render.warnings.iter().cloned());
                links.push(&render.links);
            }
            None => links.push(&empty),
        }
    }
    found.extend(template.iter().cloned());
    found.extend(check::internal(&site.index, &site.content.pages, &links));
    found
}
