//! Loops over ranges whose bounds are variables (`{% for i in (1..page.count) %}`).
//! liquid-rust makes a range's items in memory before it loops (and before `limit:`), so a
//! bound of 100000000000 from front matter or data would take terabytes and end the build.
//! A literal range is checked before rendering ([`super::check`]); for the others the
//! template handed to liquid-rust computes the stop through a filter that refuses a range
//! over [`MAX_RANGE_ITEMS`] items:
//!
//! `{% for i in (1..page.n) %}` becomes
//! `{% assign folio_range_stop_AT = page.n | folio_range_stop: 1 %}{% for i in (1..folio_range_stop_AT) %}`,
//! AT being the tag's offset in the source, by which an error is placed.

use std::ops::Range;

use liquid_core::{
    Display_filter, Error, Expression, Filter, FilterParameters, FilterReflection,
    FromFilterParameters, ParseFilter, Result, Runtime, Value, ValueView,
};

/// The most items a range of a loop may have.
pub const MAX_RANGE_ITEMS: i128 = 1_000_000;

/// The name of the variable that holds the checked stop of the loop at `at`.
const STOP_VARIABLE: &str = "folio_range_stop_";

/// The `(start..stop)` of a loop tag's arguments: the range's text and each bound's.
pub struct LoopRange {
    /// The whole `(…)`, relative to the arguments.
    pub range: Range<usize>,
    pub start: Range<usize>,
    pub stop: Range<usize>,
}

/// Finds the range in a `for` or `tablerow` tag's arguments.
pub fn loop_range(args: &str) -> Option<LoopRange> {
    let open = args.find('(')?;
    let close = open + args[open..].find(')')?;
    let dots = open + 1 + args[open + 1..close].find("..")?;
    let trimmed = |range: Range<usize>| {
        let text = &args[range.clone()];
        let start = range.start + (text.len() - text.trim_start().len());
        start..start + text.trim().len()
    };
    Some(LoopRange {
        range: open..close + 1,
        start: trimmed(open + 1..dots),
        stop: trimmed(dots + 2..close),
    })
}

/// For the loop tag at `at` (`{%` … `%}`) whose arguments are at `args` of `text`: the
/// replacements (sorted, as [`super::scan::Rewritten`] takes them) that check its range while
/// rendering, when a bound is not a number (a literal range is checked before).
pub fn guard(text: &str, at: usize, args: Range<usize>) -> Option<[(Range<usize>, String); 2]> {
    let found = loop_range(&text[args.clone()])?;
    let (start, stop) = (
        &text[args.start + found.start.start..args.start + found.start.end],
        &text[args.start + found.stop.start..args.start + found.stop.end],
    );
    if start.is_empty() || stop.is_empty() {
        return None;
    }
    if start.parse::<i128>().is_ok() && stop.parse::<i128>().is_ok() {
        return None;
    }
    let trim = if text[at..].starts_with("{%-") {
        "-"
    } else {
        ""
    };
    let variable = format!("{STOP_VARIABLE}{at}");
    let stop_range = args.start + found.stop.start..args.start + found.stop.end;
    Some([
        (
            at..at,
            format!("{{%{trim} assign {variable} = {stop} | folio_range_stop: {start} %}}"),
        ),
        (stop_range, variable),
    ])
}

/// The source offset of the loop whose checked stop a snippet of liquid-rust's error trace
/// names.
pub fn loop_at(snippet: &str) -> Option<usize> {
    let after = &snippet[snippet.find(STOP_VARIABLE)? + STOP_VARIABLE.len()..];
    let digits = after
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after.len());
    after[..digits].parse().ok()
}

#[derive(Debug, FilterParameters)]
struct RangeStopArgs {
    #[parameter(description = "The range's start.", arg_type = "any")]
    start: Expression,
}

/// `stop | folio_range_stop: start`: the stop, when the range has at most
/// [`MAX_RANGE_ITEMS`] items; an error otherwise. Values that are not whole numbers are passed
/// on, for liquid-rust's own error.
#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "folio_range_stop",
    description = "Checks the length of a loop's range (written by folio, not by pages).",
    parameters(RangeStopArgs),
    parsed(RangeStopFilter)
)]
pub struct RangeStop;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "folio_range_stop"]
struct RangeStopFilter {
    #[parameters]
    args: RangeStopArgs,
}

impl Filter for RangeStopFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        let whole = |value: &dyn ValueView| value.as_scalar().and_then(|s| s.to_integer());
        if let (Some(start), Some(stop)) = (whole(args.start.as_view()), whole(input)) {
            let items = i128::from(stop) - i128::from(start) + 1;
            if items > MAX_RANGE_ITEMS {
                return Err(Error::with_msg(format!(
                    "the range ({start}..{stop}) has {items} items; folio loops over at most {MAX_RANGE_ITEMS}"
                )));
            }
        }
        Ok(input.to_value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_bounds_are_guarded_and_literal_ones_left() {
        let text = "{% for i in (1..page.n) limit: 2 %}";
        let args = 6..text.len() - 2;
        let [insert, stop] = guard(text, 0, args.clone()).unwrap();
        assert_eq!(
            insert,
            (
                0..0,
                "{% assign folio_range_stop_0 = page.n | folio_range_stop: 1 %}".to_string()
            )
        );
        assert_eq!(&text[stop.0.clone()], "page.n");
        assert_eq!(stop.1, "folio_range_stop_0");
        assert!(guard("{% for i in (1..5) %}", 0, 6..19).is_none());
        assert!(guard("{% for i in list %}", 0, 6..17).is_none());
        let trimmed = "{%- for i in ( a .. 3 ) %}";
        let [insert, stop] = guard(trimmed, 0, 7..trimmed.len() - 2).unwrap();
        assert!(
            insert
                .1
                .starts_with("{%- assign folio_range_stop_0 = 3 | folio_range_stop: a")
        );
        assert_eq!(&trimmed[stop.0], "3");
        assert_eq!(loop_at("{% assign folio_range_stop_42 = x %}"), Some(42));
    }
}
