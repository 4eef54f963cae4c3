//! ```` ```mermaid ```` fences drawn as inline SVG (see `markdown::mermaid`); a diagram that
//! cannot be drawn is left to the code-block writer and reported.

use super::{CodeBlock, Writer};
use crate::markdown::mermaid;

/// A Mermaid diagram shown as code because it could not be drawn, at an offset of the
/// prepared text.
pub struct FailedDiagram {
    pub reason: String,
    pub offset: usize,
}

/// Whether a fence's language asks for a Mermaid diagram.
pub(super) fn is_diagram(lang: &str) -> bool {
    lang.eq_ignore_ascii_case("mermaid")
}

impl Writer<'_, '_, '_, '_> {
    /// Writes the fence's diagram and returns true, or records why it could not be drawn
    /// and returns false.
    pub(super) fn diagram(&mut self, code: &CodeBlock) -> bool {
        self.diagrams += 1;
        let diagram = match mermaid::render(&code.text, self.diagrams) {
            Ok(diagram) => diagram,
            Err(error) => {
                self.result.failed_diagrams.push(FailedDiagram {
                    reason: error.to_string(),
                    offset: code.offset,
                });
                return false;
            }
        };
        // Search gets the words of the diagram, one label apart from the next.
        if let Some(sink) = &mut self.sink {
            sink.boundary();
            for label in &diagram.labels {
                sink.text(label);
                sink.boundary();
            }
        }
        self.out.push_str("<div");
        let attrs = code.attrs.clone().unwrap_or_default();
        attrs.write_html(&mut self.out, &["mermaid-diagram"]);
        self.out.push('>');
        self.out.push_str(&diagram.svg);
        self.out.push_str("</div>\n");
        true
    }
}
