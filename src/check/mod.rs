//! Link checking: whether the links of the built pages lead somewhere. Every build checks
//! the links inside the site ([`internal`]); `folio check --external` also asks the web
//! ([`external`]).

pub mod external;
pub mod links;

use std::sync::Arc;

use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::markdown::{SiteIndex, Target};
use external::{ExternalError, ExternalSettings, LinkStatus};
pub use links::{PageLinks, anchors_of, template_links};

/// Problems with the links between the pages and files of the site (`found[i]` is what
/// rendering found on `pages[i]`).
pub fn internal(index: &SiteIndex, pages: &[Arc<Page>], found: &[&PageLinks]) -> Vec<Diagnostic> {
    links::check(index, pages, found)
}

/// Problems with the web addresses the pages link to, each reported where it is written.
pub fn external(
    pages: &[Arc<Page>],
    found: &[PageLinks],
    settings: &ExternalSettings,
) -> Result<Vec<Diagnostic>, ExternalError> {
    let uses: Vec<(&Page, &crate::markdown::LinkUse)> = pages
        .iter()
        .zip(found)
        .flat_map(|(page, links)| links.links.iter().map(move |link| (&**page, link)))
        .filter(|(_, link)| match link.target {
            Target::External => true,
            Target::RawHtml => {
                link.href.starts_with("http://") || link.href.starts_with("https://")
            }
            _ => false,
        })
        .collect();
    let urls: Vec<String> = uses.iter().map(|(_, link)| link.href.clone()).collect();
    let report = external::check_external(&urls, settings)?;
    let mut problems = Vec::new();
    for ((page, link), (_, status)) in uses.iter().zip(&report.results) {
        let broken = |message: String| {
            Diagnostic::error(message)
                .with_kind("broken-external-link")
                .with_help(
                    "fix or remove the link, or add it to [check] skip_external in site.toml",
                )
        };
        let problem = match status {
            LinkStatus::Broken { status } => {
                broken(format!("`{}` answers HTTP {status}", link.href))
            }
            LinkStatus::Failed { reason } => {
                broken(format!("`{}` could not be checked: {reason}", link.href))
            }
            LinkStatus::Redirected { location, .. } => Diagnostic::warning(format!(
                "`{}` has moved permanently to `{location}`",
                link.href
            ))
            .with_kind("moved-external-link")
            .with_suggestion(location.clone()),
            LinkStatus::Ok { .. } | LinkStatus::Skipped => continue,
        };
        problems.push(
            problem
                .in_file(&page.source)
                .at(link.line, link.column)
                .with_target(&link.href),
        );
    }
    Ok(problems)
}
