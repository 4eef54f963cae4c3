//! Mermaid diagrams drawn at build time: a ```` ```mermaid ```` fence becomes an inline SVG,
//! so a page with diagrams loads no script and nothing from the network.
//!
//! Entry point: [`render`]. The pure-Rust renderer `ariel-rs` lays the diagram out and writes
//! an SVG; [`svg`] then rebuilds that SVG from an allow-list (so nothing in a label can become
//! markup), gives its ids the diagram's own prefix (several diagrams on a page never share
//! an id), and turns the renderer's fixed palette into the theme's custom properties (so the
//! diagram follows the light and dark themes). `accTitle` and `accDescr` are read here, not by
//! the renderer, and become the SVG's accessible name and description.

mod css;
mod svg;

/// A diagram drawn as inline SVG.
#[derive(Debug)]
pub struct Diagram {
    /// `<svg …>…</svg>`, safe to put in a page as it is.
    pub svg: String,
    /// The words a reader sees in the diagram (title, description, labels), for search.
    pub labels: Vec<String>,
}

/// Why a diagram was not drawn; the caller shows its source as code instead.
#[derive(Debug, thiserror::Error)]
pub enum MermaidError {
    #[error("the diagram is empty")]
    Empty,
    #[error("{0}")]
    Renderer(String),
    #[error("the renderer's SVG could not be read: {0}")]
    Svg(#[from] svg::SvgError),
}

/// Draws the Mermaid `source` of the `number`th diagram of a page (from 1) as inline SVG.
pub fn render(source: &str, number: usize) -> Result<Diagram, MermaidError> {
    let parts = split_accessibility(source);
    if parts.diagram.trim().is_empty() {
        return Err(MermaidError::Empty);
    }
    let drawn = ariel_rs::try_render(&parts.diagram, ariel_rs::theme::Theme::Default)
        .map_err(|error| MermaidError::Renderer(one_line(&error.to_string())))?;
    let name = parts
        .title
        .clone()
        .unwrap_or_else(|| kind_name(&parts.diagram).to_string());
    let accessible = svg::Accessible {
        name,
        description: parts.description.clone(),
    };
    let prefix = format!("mermaid-{number}");
    let rewritten = svg::rewrite(&drawn, &prefix, &accessible)?;
    let mut labels = Vec::new();
    labels.extend(parts.title);
    labels.extend(parts.description);
    labels.extend(rewritten.labels);
    Ok(Diagram {
        svg: rewritten.svg,
        labels,
    })
}

/// A diagram's source with its accessibility lines taken out.
struct Parts {
    /// The source given to the renderer: the accessibility lines are blank lines here, so
    /// the renderer's line numbers still match the fence's.
    diagram: String,
    title: Option<String>,
    description: Option<String>,
}

/// Reads `accTitle: …`, `accDescr: …` and `accDescr { … }` (Mermaid's accessibility
/// syntax). The renderer is not given them: some of its diagram types would draw them as
/// nodes.
fn split_accessibility(source: &str) -> Parts {
    let mut parts = Parts {
        diagram: String::with_capacity(source.len()),
        title: None,
        description: None,
    };
    let mut block: Option<String> = None;
    for line in source.lines() {
        let trimmed = line.trim();
        if let Some(text) = &mut block {
            match trimmed.strip_suffix('}') {
                Some(last) => {
                    push_line(text, last);
                    parts.description = Some(text.clone()).filter(|t| !t.is_empty());
                    block = None;
                }
                None => push_line(text, trimmed),
            }
            parts.diagram.push('\n');
            continue;
        }
        if let Some(rest) = keyword_value(trimmed, "accTitle") {
            parts.title = value_after_colon(rest);
        } else if let Some(rest) = keyword_value(trimmed, "accDescr") {
            let rest = rest.trim_start();
            if let Some(open) = rest.strip_prefix('{') {
                match open.trim().strip_suffix('}') {
                    Some(inner) => parts.description = Some(inner.trim().to_string()),
                    None => block = Some(open.trim().to_string()),
                }
            } else {
                parts.description = value_after_colon(rest);
            }
        } else {
            parts.diagram.push_str(line);
        }
        parts.diagram.push('\n');
    }
    // An `accDescr {` never closed: keep what it said rather than lose it.
    if let Some(text) = block.filter(|t| !t.is_empty()) {
        parts.description = Some(text);
    }
    parts
}

/// `line` after `keyword`, when the line is that keyword (not a node called `accTitleX`).
fn keyword_value<'l>(line: &'l str, keyword: &str) -> Option<&'l str> {
    let rest = line.strip_prefix(keyword)?;
    rest.trim_start().starts_with([':', '{']).then_some(rest)
}

fn value_after_colon(rest: &str) -> Option<String> {
    let value = rest.trim_start().strip_prefix(':')?.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn push_line(text: &mut String, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(line);
}

/// A name for a diagram without `accTitle`, from its type.
fn kind_name(diagram: &str) -> &'static str {
    let keyword = diagram
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with("%%"))
        .and_then(|line| line.split_whitespace().next())
        .unwrap_or("");
    match keyword {
        "flowchart" | "graph" => "Flowchart",
        "sequenceDiagram" => "Sequence diagram",
        "classDiagram" | "classDiagram-v2" => "Class diagram",
        "stateDiagram" | "stateDiagram-v2" => "State diagram",
        "erDiagram" => "Entity relationship diagram",
        "pie" => "Pie chart",
        "gantt" => "Gantt chart",
        "journey" => "User journey",
        "timeline" => "Timeline",
        "mindmap" => "Mind map",
        "gitGraph" => "Git graph",
        _ => "Diagram",
    }
}

/// The renderer's message on one line.
fn one_line(message: &str) -> String {
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    // The renderer's generic prefix says nothing to a writer.
    match message.strip_prefix("unknown render error: ") {
        Some(rest) => rest.to_string(),
        None => message,
    }
}

#[cfg(test)]
mod tests;
