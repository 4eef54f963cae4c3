//! kramdown's math blocks: `$$…$$` starting a block (after a blank line or at the start of
//! a container) and ending a line that a blank line (or the end of the container) follows.
//! The block becomes one marker, so that no line of the formula is read as Markdown (a
//! line of `=` under a line of TeX would make a heading, a `+ x` line a list). Any other
//! `$$…$$` is left to pulldown-cmark, in a paragraph, where kramdown makes it inline math.

use super::{Line, MathBlock, Scanner, container_prefix};

impl Scanner<'_> {
    /// The math block starting at `line` (body line `index`), written as a marker; the index
    /// of the line after it, or `None` when it is not a block.
    pub(super) fn math_block(&mut self, index: usize, line: &Line<'_>) -> Option<usize> {
        let at_boundary = index == 0
            || self.previous_blank
            || line.depth > self.previous_depth
            || self.container_opened;
        if self.in_paragraph || !at_boundary || line.indent() > 3 {
            return None;
        }
        let opened = line.text[line.indent_len..].strip_prefix("$$")?;
        let mut source = String::new();
        let mut original = line.rest().to_string();
        let mut last = index;
        let mut text = opened;
        loop {
            if let Some(close) = text.find("$$") {
                if !text[close + 2..].trim().is_empty() {
                    return None;
                }
                source.push_str(&text[..close]);
                break;
            }
            source.push_str(text);
            source.push('\n');
            last += 1;
            let next = self.lines.get(last)?;
            let (prefix_len, depth) = container_prefix(next);
            // TeX has no blank lines in a formula; a quote that ends ends the block.
            if depth != line.depth || next[prefix_len..].trim().is_empty() {
                return None;
            }
            original.push('\n');
            original.push_str(next);
            text = &next[prefix_len..];
        }
        if let Some(after) = self.lines.get(last + 1) {
            let (prefix_len, depth) = container_prefix(after);
            let rest = after[prefix_len..].trim();
            let boundary = depth < line.depth || rest.is_empty() || rest.starts_with("{:");
            if !boundary {
                return None;
            }
        }
        let number = self.out.math.len();
        self.out.math.push(MathBlock {
            source,
            line: line.number,
            column: line.text[..line.indent_len].chars().count() + 1,
            original,
        });
        self.emit_marker(line, &self.out.marker("math", number));
        self.last_abbreviation = None;
        Some(last + 1)
    }
}
