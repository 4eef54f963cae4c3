//! Lazy list lines, as kramdown reads them (`parser/kramdown/list.rb`).
//!
//! In kramdown, a line right after a list item's text (no blank line between) that is not
//! indented to the item's content belongs to the item, even when it starts a list of the
//! other kind: `1. Step` followed by `  - detail` (two spaces, one short of the item's three)
//! nests the bullet list in the step. CommonMark ends the numbered list there and starts a
//! bullet list beside it. The scanner moves such lines right, to the item's content column,
//! so that pulldown-cmark nests them as kramdown does.

/// A list item the scanner is inside: where its marker and its content start.
#[derive(Debug, Clone, Copy)]
struct Item {
    ordered: bool,
    marker: usize,
    content: usize,
    /// A nested list or a blank line came in the item (kramdown's `nested_list_found`).
    nested: bool,
}

/// Lines moved right because they are lazy lines of `owner` (an index into `items`).
#[derive(Debug, Clone, Copy)]
struct LazyRun {
    owner: usize,
    shift: usize,
}

/// The list items open at the current line, for finding lazy lines.
#[derive(Debug, Default)]
pub(super) struct ListTracker {
    items: Vec<Item>,
    lazy: Option<LazyRun>,
    after_blank: bool,
}

/// A list marker at the start of `text` (after indentation): ordered or not, and the width
/// of marker plus the spaces after it.
fn list_marker(text: &str) -> Option<(bool, usize)> {
    let bytes = text.as_bytes();
    let (ordered, marker_len) = match bytes.first()? {
        b'-' | b'*' | b'+' => (false, 1),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || bytes.get(digits) != Some(&b'.') {
                return None;
            }
            (true, digits + 1)
        }
        _ => return None,
    };
    let spaces = bytes[marker_len..]
        .iter()
        .take_while(|&&b| b == b' ')
        .count();
    let rest = &bytes[marker_len + spaces..];
    if spaces == 0 && !rest.is_empty() {
        return None;
    }
    let width = if spaces == 0 || spaces > 4 || rest.is_empty() {
        marker_len + 1
    } else {
        marker_len + spaces
    };
    Some((ordered, width))
}

/// `* * *`, `- - -`, `___`: a thematic break, not a list item.
fn is_thematic_break(text: &str) -> bool {
    let mut kind = None;
    let mut count = 0;
    for byte in text.bytes() {
        match byte {
            b' ' | b'\t' => {}
            b'*' | b'-' | b'_' if kind.is_none_or(|k| k == byte) => {
                kind = Some(byte);
                count += 1;
            }
            _ => return false,
        }
    }
    count >= 3
}

impl ListTracker {
    /// Forgets the open items: the line is a block that ends lists (a heading, a fence, HTML,
    /// a quote) or is inside one.
    pub(super) fn reset(&mut self) {
        self.items.clear();
        self.lazy = None;
        self.after_blank = false;
    }

    /// Reads a body line (outside block quotes) whose content starts at `indent` with `text`,
    /// and returns how many spaces to put in front of it.
    pub(super) fn line(&mut self, indent: usize, text: &str) -> usize {
        if text.is_empty() {
            self.after_blank = true;
            self.lazy = None;
            for item in &mut self.items {
                item.nested = true;
            }
            return 0;
        }
        let first = text.as_bytes()[0];
        let may_be_marker = matches!(first, b'-' | b'*' | b'+' | b'0'..=b'9');
        if self.items.is_empty() {
            // Outside lists (most lines): only a list's first item matters.
            self.after_blank = false;
            if may_be_marker
                && let Some((ordered, width)) = list_marker(text)
                && !is_thematic_break(text)
            {
                self.items.push(Item {
                    ordered,
                    marker: indent,
                    content: indent + width,
                    nested: false,
                });
            }
            return 0;
        }
        if matches!(first, b'#' | b'`' | b'~' | b'<' | b'{' | b'>' | b'|')
            || matches!(first, b'*' | b'-' | b'_') && is_thematic_break(text)
        {
            self.reset();
            return 0;
        }
        let after_blank = std::mem::replace(&mut self.after_blank, false);
        let marker = if may_be_marker {
            list_marker(text)
        } else {
            None
        };
        if let Some((ordered, width)) = marker {
            return self.marker_line(ordered, indent, width, after_blank);
        }
        if let Some(run) = self.lazy
            && indent < self.items[run.owner].content
        {
            return run.shift;
        }
        if after_blank {
            while self.items.last().is_some_and(|item| indent < item.content) {
                self.items.pop();
            }
        }
        0
    }

    /// Whether a marker of this kind at `indent` is the next item of `item`'s list, as
    /// kramdown's pattern for a list's next item allows.
    fn continues(item: Item, ordered: bool, indent: usize) -> bool {
        let most = item.marker + (item.content - item.marker - 1).min(3);
        item.ordered == ordered && indent < item.content && indent <= most
    }

    /// A list marker line: the next item of an open list, a nested list, or a lazy line.
    /// Returns how far to move it right.
    fn marker_line(
        &mut self,
        ordered: bool,
        indent: usize,
        width: usize,
        after_blank: bool,
    ) -> usize {
        let new = Item {
            ordered,
            marker: indent,
            content: indent + width,
            nested: false,
        };
        // kramdown gives the line to the outermost list first: the next item of that list,
        // content of its item (then the same question one level in), or else a lazy line.
        for level in 0..self.items.len() {
            let item = self.items[level];
            if Self::continues(item, ordered, indent) {
                self.items.truncate(level);
                self.items.push(new);
                self.lazy = None;
                return 0;
            }
            if indent >= item.content {
                continue;
            }
            if after_blank {
                self.items.truncate(level);
                break;
            }
            if item.nested {
                // kramdown indents such a line past the item's nested list, where it is text of
                // the innermost item's paragraph.
                let innermost = self.items.last().map_or(item.content, |last| last.content);
                return innermost + 4 - indent;
            }
            // A list of the other kind, not indented enough: a nested list of the item. Its
            // lines move together, keeping their indentation among themselves.
            if let Some(run) = self.lazy
                && run.owner == level
            {
                return run.shift;
            }
            let shift = item.content - indent;
            self.lazy = Some(LazyRun {
                owner: level,
                shift,
            });
            return shift;
        }
        if let Some(last) = self.items.last_mut() {
            last.nested = true;
        }
        self.items.push(new);
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shifts(body: &str) -> Vec<usize> {
        let mut tracker = ListTracker::default();
        body.lines()
            .map(|line| {
                let text = line.trim_start();
                tracker.line(line.len() - text.len(), text)
            })
            .collect()
    }

    #[test]
    fn markers() {
        assert_eq!(list_marker("- a"), Some((false, 2)));
        assert_eq!(list_marker("1. a"), Some((true, 3)));
        assert_eq!(list_marker("10.  a"), Some((true, 5)));
        assert_eq!(list_marker("-a"), None);
        assert_eq!(list_marker("**bold**"), None);
        assert_eq!(list_marker("1) a"), None);
        assert!(is_thematic_break("* * *"));
        assert!(!is_thematic_break("* a"));
    }

    #[test]
    fn lazy_lists_of_the_other_kind_move_into_the_item() {
        assert_eq!(shifts("1. a\n  - b\n  - c\n2. d\n"), [0, 1, 1, 0]);
        assert_eq!(shifts("1. a\n- b\n"), [0, 3]);
        assert_eq!(shifts("1. a\n- b\n  - c\n"), [0, 3, 3]);
        // The nested numbered list at four spaces is content of `a`, not moved.
        assert_eq!(shifts("1. a\n  - b\n    1. c\n"), [0, 1, 0]);
        assert_eq!(
            shifts("- x\n  1. a\n  1. b\n    - c\n    - d\n- y\n"),
            [0, 0, 0, 1, 1, 0]
        );
    }

    #[test]
    fn other_lists_stay() {
        // After a blank line, the same kind, or indented enough: CommonMark agrees.
        assert_eq!(shifts("1. a\n\n- b\n"), [0, 0, 0]);
        assert_eq!(shifts("- a\n - b\n"), [0, 0]);
        assert_eq!(shifts("1. a\n   - b\n"), [0, 0]);
        assert_eq!(shifts("Text\n- a\n"), [0, 0]);
        assert_eq!(shifts("1. a\n# Heading\n- b\n"), [0, 0, 0]);
    }
}
