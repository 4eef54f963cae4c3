//! TeX formulas written as MathML when the site is built: `$…$` and `$$…$$` in a page become
//! `<math>` elements that every current browser lays out itself, so a page with formulas
//! loads no script, no font and nothing from the network, and works from `file://`.
//!
//! Entry point: [`render`]. `pulldown-latex` reads the TeX and writes MathML; a formula it
//! cannot read is an error for the caller to report (the renderer would otherwise draw the
//! error into the page). The renderer copies some of a formula's text into its markup as
//! written (operator names, relations, its annotation), so [`safe`] rebuilds its output from
//! an allow-list and folio writes the `<math>` element and the annotation itself.

mod safe;

use std::error::Error as _;

use pulldown_cmark_escape::escape_html_body_text;
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// Why a formula was not written; the caller shows its source instead.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MathError {
    #[error("the formula is empty")]
    Empty,
    #[error("{0}")]
    Parse(String),
    #[error("the MathML renderer failed: {0}")]
    Renderer(String),
    #[error("the renderer wrote markup folio does not expect ({0})")]
    Unexpected(&'static str),
}

/// Writes the TeX `source` as a `<math>` element, as a block (`display="block"`) or in the
/// line of text. The source is kept as the formula's annotation, which browsers copy.
pub fn render(source: &str, block: bool) -> Result<String, MathError> {
    let tex = source.trim();
    if tex.is_empty() {
        return Err(MathError::Empty);
    }
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(tex, &storage).collect();
    if let Some(Err(error)) = events.iter().find(|event| event.is_err()) {
        // The error's own text adds a drawing of the context; its cause is the message.
        let message = error.source().map_or_else(
            || error.to_string().lines().next().unwrap_or("").to_string(),
            ToString::to_string,
        );
        return Err(MathError::Parse(message));
    }
    let config = RenderConfig {
        display_mode: if block {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut written = String::with_capacity(tex.len() * 8);
    push_mathml(&mut written, events.into_iter(), config)
        .map_err(|error| MathError::Renderer(error.to_string()))?;
    let inner = written
        .strip_suffix("</math>")
        .and_then(|rest| rest.split_once('>'))
        .filter(|(open, _)| open.starts_with("<math "))
        .map(|(_, inner)| inner)
        .ok_or(MathError::Unexpected(
            "no <math> element around the formula",
        ))?;

    let mut out = String::with_capacity(inner.len() + tex.len() + 128);
    out.push_str(if block {
        "<math display=\"block\">"
    } else {
        "<math>"
    });
    out.push_str("<semantics><mrow>");
    safe::rewrite(inner, &mut out);
    out.push_str("</mrow><annotation encoding=\"application/x-tex\">");
    let _ = escape_html_body_text(&mut out, tex);
    out.push_str("</annotation></semantics></math>");
    Ok(out)
}

/// Every element a formula's markup can hold, folio's own around the renderer's.
pub fn elements() -> impl Iterator<Item = &'static str> {
    ["math", "semantics", "annotation"]
        .into_iter()
        .chain(safe::ELEMENTS.iter().copied())
}

#[cfg(test)]
mod tests;
