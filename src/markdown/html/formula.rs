//! Formulas written as MathML (see `markdown::math`): `$…$`, `$$…$$` in a paragraph and
//! kramdown's math blocks. A formula that cannot be read is shown as its source, in code,
//! and recorded for an error at its place.

use pulldown_cmark::{Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_html_body_text;

use super::Writer;
use crate::markdown::attributes::Attrs;
use crate::markdown::math;

/// Where a formula is: at an offset of the prepared text, or (a math block) at a body line
/// and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormulaPlace {
    Prepared(usize),
    Body { line: usize, column: usize },
}

/// A formula shown as its source because it could not be read.
pub struct FailedFormula {
    pub source: String,
    pub reason: String,
    pub place: FormulaPlace,
}

impl Writer<'_, '_, '_, '_> {
    /// `$…$` (`display` false) or `$$…$$` in a paragraph at node `index`. kramdown makes
    /// `$$…$$` inline math inside a paragraph; one that is the whole paragraph is a block.
    pub(super) fn formula(&mut self, index: usize, source: &str, display: bool) {
        if self.image_depth > 0 {
            self.text(source);
            return;
        }
        let alone = display
            && matches!(
                index.checked_sub(1).map(|i| &self.nodes[i].event),
                Some(Event::Start(Tag::Paragraph))
            )
            && matches!(
                self.nodes.get(index + 1).map(|n| &n.event),
                Some(Event::End(TagEnd::Paragraph))
            );
        let place = FormulaPlace::Prepared(self.nodes[index].start);
        self.write_formula(source, alone, place);
    }

    /// A math block of the line scanner, with the attributes of a list attached to it.
    pub(super) fn math_block(&mut self, number: usize, attrs: Option<&Attrs>) {
        let block = &self.prepared.math[number];
        self.out.push_str("<div");
        attrs
            .cloned()
            .unwrap_or_default()
            .write_html(&mut self.out, &["math-block"]);
        self.out.push('>');
        let place = FormulaPlace::Body {
            line: block.line,
            column: block.column,
        };
        self.write_formula(&block.source, true, place);
        self.out.push_str("</div>\n");
    }

    fn write_formula(&mut self, source: &str, block: bool, place: FormulaPlace) {
        // Search finds a formula by its TeX, a word of its own.
        self.tell_text_apart(source.trim());
        match math::render(source, block) {
            Ok(mathml) => self.out.push_str(&mathml),
            Err(error) => {
                self.out.push_str("<code class=\"math-error\">");
                let _ = escape_html_body_text(&mut self.out, source.trim());
                self.out.push_str("</code>");
                self.result.failed_formulas.push(FailedFormula {
                    source: source.trim().to_string(),
                    reason: error.to_string(),
                    place,
                });
            }
        }
    }
}
