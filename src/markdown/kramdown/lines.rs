//! Lines of their own that define or attach: block attribute lists (`{: .x }`), attribute list
//! definitions (`{:name: .x }`) and abbreviation definitions (`*[ABBR]: text`).

use super::{Attach, BlockIal, Line, Scanner, container_prefix};
use crate::markdown::attributes::{AttributeList, parse_list};

impl Scanner<'_> {
    /// `{: …}` or `{:name: …}` alone on a line; `false` when it is not a valid list.
    pub(super) fn attribute_list_line(&mut self, index: usize, line: &Line<'_>) -> bool {
        let rest = line.rest();
        let trimmed = rest.trim();
        let Some(list) = parse_list(&trimmed[2..trimmed.len() - 1]) else {
            return false;
        };
        match list {
            AttributeList::Definition(name, attrs) => {
                self.out.definitions.insert(name, attrs);
                self.emit_skip(line);
            }
            AttributeList::Inline(attrs) => {
                if let Some(name) = self.last_abbreviation.clone() {
                    // kramdown gives a list under an abbreviation definition to its <abbr>s.
                    self.out.abbreviations.add_attributes(&name, &attrs);
                    self.emit_skip(line);
                    self.last_abbreviation = Some(name);
                    return true;
                }
                let container_start =
                    index == 0 || line.depth > self.previous_depth || self.container_opened;
                let next_blank = self.lines.get(index + 1).is_none_or(|next| {
                    let (p, _) = container_prefix(next);
                    next[p..].trim().is_empty()
                });
                let attach = if self.previous_blank || container_start {
                    if !self.previous_blank && next_blank {
                        Attach::Dropped
                    } else {
                        Attach::Next
                    }
                } else {
                    Attach::Previous
                };
                if attach == Attach::Next && line.depth > 0 && container_start {
                    self.lazy_prefix = Some((line.prefix().to_string(), line.depth));
                }
                let number = self.out.ials.len();
                self.out.ials.push(BlockIal {
                    attrs,
                    line: line.number,
                    original: rest.to_string(),
                    attach,
                });
                self.emit_marker(line, &self.out.marker("ial", number));
            }
        }
        true
    }

    /// `*[ABBR]: Full text` at the start of a block.
    pub(super) fn abbreviation_definition(&mut self, line: &Line<'_>) -> bool {
        let trimmed = line.rest().trim();
        let Some(inner) = trimmed.strip_prefix("*[") else {
            return false;
        };
        let Some(close) = inner.find("]:") else {
            return false;
        };
        let name = &inner[..close];
        if name.is_empty() {
            return false;
        }
        let title = inner[close + 2..].trim();
        self.out.abbreviations.define(name, title);
        self.emit_skip(line);
        self.last_abbreviation = Some(name.to_string());
        true
    }
}
