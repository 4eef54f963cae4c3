//! Sibling order, as just-the-docs sorts: four groups (numeric `nav_order`, text `nav_order`,
//! numeric titles, text titles), each sorted on its own, then concatenated.
//!
//! Unlike just-the-docs the sort is stable (ties keep the source order) and total: Jekyll
//! compares mixed numbers and text by their text, which is not a consistent order; here
//! text that looks like a number sorts, as a number, before other text.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::config::NavSort;
use crate::content::{NavOrder, Page};

/// The value a page is sorted by, within its group.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Number(f64),
    Text(String),
}

fn group_and_key(page: &Page) -> (u8, Key) {
    match &page.front.nav_order {
        Some(NavOrder::Number(n)) => (0, Key::Number(*n)),
        Some(NavOrder::Text(t)) => (1, Key::Text(t.clone())),
        None => {
            let title = page.title.clone().unwrap_or_default();
            let is_number = page.front.title.as_ref().is_some_and(|t| t.is_number);
            match title.trim().parse::<f64>() {
                Ok(n) if is_number => (2, Key::Number(n)),
                _ => (3, Key::Text(title)),
            }
        }
    }
}

/// Jekyll converts text that looks like an integer or a decimal to a number before sorting.
fn looks_numeric(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let valid = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && digits != ".";
    if valid { t.parse().ok() } else { None }
}

fn compare_text(a: &str, b: &str, mode: NavSort) -> Ordering {
    match mode {
        NavSort::CaseSensitive => match (looks_numeric(a), looks_numeric(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => a.as_bytes().cmp(b.as_bytes()),
        },
        NavSort::CaseInsensitive => {
            let a = a.bytes().map(|c| c.to_ascii_lowercase());
            let b = b.bytes().map(|c| c.to_ascii_lowercase());
            a.cmp(b)
        }
    }
}

fn compare_keys(a: &Key, b: &Key, mode: NavSort) -> Ordering {
    match (a, b) {
        (Key::Number(x), Key::Number(y)) => x.total_cmp(y),
        (Key::Text(x), Key::Text(y)) => compare_text(x, y, mode),
        (Key::Number(_), Key::Text(_)) => Ordering::Less,
        (Key::Text(_), Key::Number(_)) => Ordering::Greater,
    }
}

/// Sorts sibling pages in place (stable).
pub fn sort_siblings(ids: &mut [usize], pages: &[Arc<Page>], mode: NavSort) {
    let mut keyed: Vec<(u8, Key, usize)> = ids
        .iter()
        .map(|&id| {
            let (group, key) = group_and_key(&pages[id]);
            (group, key, id)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| compare_keys(&a.1, &b.1, mode)));
    for (slot, (_, _, id)) in ids.iter_mut().zip(keyed) {
        *slot = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_comparison_modes() {
        let sensitive = NavSort::CaseSensitive;
        assert_eq!(compare_text("Beta", "alpha", sensitive), Ordering::Less);
        assert_eq!(compare_text("9", "10", sensitive), Ordering::Less);
        assert_eq!(compare_text("10", "A", sensitive), Ordering::Less);
        let insensitive = NavSort::CaseInsensitive;
        assert_eq!(
            compare_text("Beta", "alpha", insensitive),
            Ordering::Greater
        );
        // sort_natural compares text, so "10" comes before "9".
        assert_eq!(compare_text("9", "10", insensitive), Ordering::Greater);
    }

    #[test]
    fn numeric_looking_text() {
        assert_eq!(looks_numeric(" 12 "), Some(12.0));
        assert_eq!(looks_numeric("-2.5"), Some(-2.5));
        assert_eq!(looks_numeric("1e3"), None);
        assert_eq!(looks_numeric("."), None);
        assert_eq!(looks_numeric("1.2.3"), None);
    }
}
