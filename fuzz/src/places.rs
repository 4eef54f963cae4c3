//! Places of findings: a line of the text and a column within that line (or just after its
//! last character, where a problem at the end of a line is shown).

use folio::fuzzing::Finding;

/// The number of lines of `text`, counting an empty last line after a final `\n` (where
/// "unexpected end of file" is shown).
pub fn line_count(text: &str) -> usize {
    text.matches('\n').count() + 1
}

/// Asserts that `line` (1-based) is a line of `text` and `column` (1-based, in characters)
/// is inside it or just after it.
pub fn assert_line_column(text: &str, line: usize, column: Option<usize>) {
    let lines = line_count(text);
    assert!(
        (1..=lines).contains(&line),
        "line {line} is outside the text's {lines} lines"
    );
    if let Some(column) = column {
        let content = text.split('\n').nth(line - 1).unwrap_or("");
        let width = content.chars().count();
        assert!(
            (1..=width + 1).contains(&column),
            "column {column} is outside line {line} ({width} characters: {content:?})"
        );
    }
}

pub fn assert_place(text: &str, finding: &Finding) {
    if let Some(line) = finding.line {
        assert_line_column(text, line, finding.column);
    } else {
        assert!(
            finding.column.is_none(),
            "a column without a line: {finding:?}"
        );
    }
}

pub fn assert_places(text: &str, findings: &[Finding]) {
    for finding in findings {
        assert_place(text, finding);
    }
}
