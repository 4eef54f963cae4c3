//! Rebuilds the renderer's SVG for a page: only allow-listed elements and attributes are
//! written (no script, event handler, `foreignObject` or outside reference can get through,
//! whatever a diagram's labels say), every text and attribute is escaped again, ids and
//! classes are renamed for the page, and palette colours become the theme's properties.

use std::fmt::Write as _;

use pulldown_cmark_escape::{escape_html, escape_html_body_text};
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::css::{self, CLASS_PREFIX};

/// What the diagram is called and what it shows, for assistive technology.
pub struct Accessible {
    pub name: String,
    pub description: Option<String>,
}

/// The SVG as it goes into the page, and the text of its labels.
pub struct Rewritten {
    pub svg: String,
    pub labels: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SvgError {
    #[error("{0}")]
    Xml(String),
    #[error("it does not start with an <svg> element")]
    NoSvg,
}

/// The elements a diagram may have. Everything else is dropped with its content.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "marker",
    "symbol",
    "use",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "style",
    "clipPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "filter",
    "feDropShadow",
    "feGaussianBlur",
    "feOffset",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feBlend",
];

/// The attributes an element may have (besides `id`, `class`, `style` and `href`, which
/// are rewritten).
const ATTRIBUTES: &[&str] = &[
    "transform",
    "transform-origin",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "d",
    "points",
    "width",
    "height",
    "viewBox",
    "preserveAspectRatio",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-opacity",
    "stroke-miterlimit",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "text-decoration",
    "textLength",
    "lengthAdjust",
    "refX",
    "refY",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "orient",
    "marker-start",
    "marker-mid",
    "marker-end",
    "clip-path",
    "clipPathUnits",
    "filter",
    "filterUnits",
    "stdDeviation",
    "flood-color",
    "flood-opacity",
    "in",
    "in2",
    "result",
    "mode",
    "operator",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "visibility",
    "display",
    "vector-effect",
];

/// Rebuilds `svg` (the renderer's output) for a page, with `prefix` as its root id and the
/// start of every other id.
pub fn rewrite(svg: &str, prefix: &str, accessible: &Accessible) -> Result<Rewritten, SvgError> {
    let mut writer = Rewriter {
        prefix,
        out: String::with_capacity(svg.len()),
        labels: Vec::new(),
        root_id: None,
        root_written: false,
        skipping: 0,
        style: None,
        label: None,
        text_depth: 0,
    };
    let mut reader = Reader::from_str(svg);
    loop {
        let event = reader.read_event().map_err(|error| {
            SvgError::Xml(format!("{error} at byte {}", reader.error_position()))
        })?;
        match event {
            Event::Start(element) => writer.start(&element, false, accessible)?,
            Event::Empty(element) => writer.start(&element, true, accessible)?,
            Event::End(element) => writer.end(element.name().as_ref()),
            Event::Text(text) => writer.text(&text.xml_content(XmlVersion::Implicit1_0)),
            Event::CData(data) => writer.text(&data.xml_content(XmlVersion::Implicit1_0)),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => match &*reference {
                        "nbsp" => Some("\u{a0}".to_string()),
                        name => resolve_predefined_entity(name).map(str::to_string),
                    },
                };
                if let Some(text) = resolved {
                    writer.text(&text);
                }
            }
            Event::Eof => break,
            // Declarations, comments, processing instructions and DTDs have no place in a page.
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !writer.root_written {
        return Err(SvgError::NoSvg);
    }
    Ok(Rewritten {
        svg: writer.out,
        labels: writer.labels,
    })
}

struct Rewriter<'p> {
    prefix: &'p str,
    out: String,
    labels: Vec<String>,
    /// The renderer's id for the root element, which becomes `prefix` itself.
    root_id: Option<String>,
    root_written: bool,
    /// Depth inside an element that is being left out.
    skipping: usize,
    /// The text of a `<style>` element being read.
    style: Option<String>,
    /// The text of a `<text>` element being read, for search.
    label: Option<String>,
    text_depth: usize,
}

impl Rewriter<'_> {
    fn start(
        &mut self,
        element: &BytesStart<'_>,
        empty: bool,
        accessible: &Accessible,
    ) -> Result<(), SvgError> {
        if self.skipping > 0 {
            if !empty {
                self.skipping += 1;
            }
            return Ok(());
        }
        let name = element.name();
        let name = name.as_ref();
        if !self.root_written {
            if name != "svg" {
                return Err(SvgError::NoSvg);
            }
            self.root_id = attribute(element, "id");
            self.write_root(element, accessible);
            if empty {
                self.out.push_str("</svg>");
            }
            return Ok(());
        }
        if !ELEMENTS.contains(&name) {
            if !empty {
                self.skipping = 1;
            }
            return Ok(());
        }
        if name == "style" {
            if !empty {
                self.style = Some(String::new());
            }
            return Ok(());
        }
        if name == "text" {
            self.label = Some(String::new());
        }
        if self.label.is_some() {
            self.text_depth += 1;
            if let Some(label) = &mut self.label
                && !label.is_empty()
            {
                // Each <tspan> is a line of its own.
                label.push(' ');
            }
        }
        self.out.push('<');
        self.out.push_str(name);
        self.write_attributes(element, false);
        if empty {
            self.out.push_str("/>");
            self.element_closed();
        } else {
            self.out.push('>');
        }
        Ok(())
    }

    fn end(&mut self, name: &str) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        if name == "style" {
            if let Some(rules) = self.style.take()
                && let Some(scoped) = css::stylesheet(&rules, self.prefix, self.root_id.as_deref())
                && !scoped.is_empty()
            {
                self.out.push_str("<style>");
                self.out.push_str(&scoped);
                self.out.push_str("</style>");
            }
            return;
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self.element_closed();
    }

    /// Ends a label when its `<text>` element closes.
    fn element_closed(&mut self) {
        if self.label.is_none() {
            return;
        }
        self.text_depth = self.text_depth.saturating_sub(1);
        if self.text_depth == 0
            && let Some(label) = self.label.take()
        {
            let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
            if !label.is_empty() {
                self.labels.push(label);
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.skipping > 0 || !self.root_written {
            return;
        }
        if let Some(style) = &mut self.style {
            style.push_str(text);
            return;
        }
        if let Some(label) = &mut self.label {
            label.push_str(text);
        }
        let _ = escape_html_body_text(&mut self.out, text);
    }

    /// `<svg>` as an image named by its `<title>` and described by its `<desc>`.
    fn write_root(&mut self, element: &BytesStart<'_>, accessible: &Accessible) {
        let prefix = self.prefix;
        self.out.push_str("<svg");
        write_attribute(&mut self.out, "id", prefix);
        self.out.push_str(" role=\"img\"");
        write_attribute(&mut self.out, "aria-labelledby", &format!("{prefix}-title"));
        if accessible.description.is_some() {
            write_attribute(&mut self.out, "aria-describedby", &format!("{prefix}-desc"));
        }
        self.write_attributes(element, true);
        self.out.push('>');
        let _ = write!(self.out, "<title id=\"{prefix}-title\">");
        let _ = escape_html_body_text(&mut self.out, &accessible.name);
        self.out.push_str("</title>");
        if let Some(description) = &accessible.description {
            let _ = write!(self.out, "<desc id=\"{prefix}-desc\">");
            let _ = escape_html_body_text(&mut self.out, description);
            self.out.push_str("</desc>");
        }
        self.root_written = true;
    }

    /// The allowed attributes of `element`, rewritten.
    fn write_attributes(&mut self, element: &BytesStart<'_>, is_root: bool) {
        let prefix = self.prefix;
        let root_id = self.root_id.clone();
        let root_id = root_id.as_deref();
        let mut style = String::new();
        let mut themed: Vec<(String, String)> = Vec::new();
        for attribute in element.attributes().with_checks(false).flatten() {
            let key = attribute.key.as_ref();
            let Ok(value) = attribute.normalized_value(XmlVersion::Implicit1_0) else {
                continue;
            };
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "id" if !is_root => {
                    write_attribute(
                        &mut self.out,
                        "id",
                        &css::renamed_id(value, prefix, root_id),
                    );
                }
                "class" => {
                    let classes: Vec<String> = value
                        .split_whitespace()
                        .map(|class| format!("{CLASS_PREFIX}{class}"))
                        .collect();
                    write_attribute(&mut self.out, "class", &classes.join(" "));
                }
                "style" => style = value.to_string(),
                "href" | "xlink:href" => {
                    // Only a reference to another element of the same diagram.
                    if let Some(id) = value.strip_prefix('#') {
                        let target = format!("#{}", css::renamed_id(id, prefix, root_id));
                        write_attribute(&mut self.out, "href", &target);
                    }
                }
                key if ATTRIBUTES.contains(&key) => {
                    if css::is_color_property(key) && css::themed(value).is_some() {
                        // Moved into `style`: a custom property works there in every browser.
                        themed.push((key.to_string(), value.to_string()));
                    } else if let Some(safe) = css::safe_value(value, prefix, root_id) {
                        write_attribute(&mut self.out, key, &safe);
                    }
                }
                // Event handlers, namespaces, the renderer's roles and data, and anything
                // else not listed.
                _ => {}
            }
        }
        if !style.is_empty() || !themed.is_empty() {
            let rewritten = css::declarations(&style, &themed, prefix, root_id);
            if !rewritten.is_empty() {
                write_attribute(&mut self.out, "style", &rewritten);
            }
        }
    }
}

/// The unescaped value of attribute `name`.
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        })
        .filter(|v| !v.is_empty())
}

fn write_attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    let _ = escape_html(&mut *out, value);
    out.push('"');
}
