//! Markers: the HTML comments the line scanner puts in the prepared text in place of
//! kramdown syntax (attribute lists, raw HTML, `markdown="1"` tags, math blocks), and how the
//! writer reads them back. Each body gets a marker start it does not contain itself.

use super::Prepared;

/// What a marker stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Ial(usize),
    /// Raw HTML, written as it is.
    Raw(usize),
    /// The start tag of an HTML element whose content is Markdown.
    Open(usize),
    /// Its end tag.
    Close(usize),
    /// A math block.
    Math(usize),
    /// A line that produces nothing (definitions, options, comments).
    Skip,
}

const MARKER_START: &str = "<!--folio:";
const MARKER_END: &str = "-->";

/// The start of the markers of `body`: `<!--folio:`, or `<!--folioN:` when the page writes
/// `<!--folio:` itself, so that a page's own comment is never read as a marker.
pub(super) fn marker_start_for(body: &str) -> String {
    if !body.contains(MARKER_START) {
        return MARKER_START.to_string();
    }
    (1..)
        .map(|n| format!("<!--folio{n}:"))
        .find(|start| !body.contains(start.as_str()))
        .expect("a body is finite")
}

impl Prepared {
    /// Whether `text` (a piece of the prepared text) holds a marker.
    pub fn has_markers(&self, text: &str) -> bool {
        text.contains(self.marker_start.as_str())
    }

    /// Reads a marker that makes up all of `html` (surrounding whitespace allowed); only
    /// markers of this body that stand for something it has.
    pub fn parse_marker(&self, html: &str) -> Option<Marker> {
        let inner = html
            .trim()
            .strip_prefix(self.marker_start.as_str())?
            .strip_suffix(MARKER_END)?;
        if inner == "skip" {
            return Some(Marker::Skip);
        }
        let (kind, number) = inner.split_once(':')?;
        let number: usize = number.parse().ok()?;
        match kind {
            "ial" if number < self.ials.len() => Some(Marker::Ial(number)),
            "raw" if number < self.raw.len() => Some(Marker::Raw(number)),
            "open" if number < self.elements.len() => Some(Marker::Open(number)),
            "close" if number < self.elements.len() => Some(Marker::Close(number)),
            "math" if number < self.math.len() => Some(Marker::Math(number)),
            _ => None,
        }
    }

    /// Every marker inside `text`, as (byte range, marker).
    pub fn find_markers(&self, text: &str) -> Vec<(std::ops::Range<usize>, Marker)> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(start) = text[from..]
            .find(self.marker_start.as_str())
            .map(|i| i + from)
        {
            let Some(end) = text[start..]
                .find(MARKER_END)
                .map(|i| start + i + MARKER_END.len())
            else {
                break;
            };
            if let Some(marker) = self.parse_marker(&text[start..end]) {
                found.push((start..end, marker));
            }
            from = end;
        }
        found
    }

    /// `text` (code) with each marker replaced by the line it stands for: inside code, an
    /// attribute list or a formula is text; other markers leave nothing.
    pub fn restore_markers(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (range, marker) in self.find_markers(text) {
            out.push_str(&text[last..range.start]);
            match marker {
                Marker::Ial(n) => out.push_str(&self.ials[n].original),
                Marker::Math(n) => out.push_str(&self.math[n].original),
                _ => {}
            }
            last = range.end;
        }
        out.push_str(&text[last..]);
        out
    }

    /// The marker of the `number`th construct of `kind` (`ial`, `raw`, `open`, `close`, `math`).
    pub(super) fn marker(&self, kind: &str, number: usize) -> String {
        format!("{}{kind}:{number}{MARKER_END}", self.marker_start)
    }

    /// The marker of a line that produces nothing.
    pub(super) fn skip_marker(&self) -> String {
        format!("{}skip{MARKER_END}", self.marker_start)
    }
}
