//! Choosing the next match on an ASCII line with the context automata (see `matcher`).
//!
//! The parser takes the match with the earliest start, and on a tie the one met first: by
//! context in the chain, then by pattern in the context. That is a minimum over the key
//! (start, context, pattern), which is what this computes: per context, the exact automaton
//! gives its winner among the exactly translated patterns, and each other pattern is
//! searched as before, unless its loosened form shows it cannot start early enough to win.
//! When the parser needs more of the exact winner than its bounds (capture groups, the end
//! before a lookahead), Oniguruma runs that one pattern where it starts; should the two
//! engines ever disagree, the token is decided the plain way, so a slip costs time, not
//! output. Debug builds always run that check.

use std::cmp::Ordering;

use syntect::parsing::Region;

use super::{Best, LineParser, Result, Scratch, Source, context};
use crate::markdown::highlight::grammar::{MatchPattern, Operation};

/// A match under consideration.
struct Found {
    start: usize,
    end: usize,
    chain_index: usize,
    position: u32,
    pattern: &'static MatchPattern,
    from_with_prototype: bool,
    /// `None`: from the exact automaton, to be run by Oniguruma (see `confirm`).
    source: Option<Source>,
    /// From the exact automaton: whether the parser needs Oniguruma's match.
    needs_region: bool,
}

impl Found {
    fn key(&self) -> (usize, usize, u32) {
        (self.start, self.chain_index, self.position)
    }
}

impl LineParser {
    /// The match to take at `start`, or `None` when this way cannot decide.
    ///
    /// Right after a push that consumed nothing (`check_pop_loop`), a pop that consumes
    /// nothing either would loop; the parser then prefers the next pattern matching at the
    /// same place, which "earliest, then first" does not express: if such a pop comes first,
    /// the plain way decides.
    pub(super) fn best_match_fast(
        &self,
        line: &str,
        start: usize,
        check_pop_loop: bool,
        scratch: &mut Scratch,
    ) -> Result<Option<Option<Best>>> {
        let chain = self.chain(scratch)?;
        let found = self.first_found(line, start, &chain, scratch);
        scratch.chain = chain;
        let Some(mut found) = found? else {
            return Ok(Some(None));
        };
        let source = match found.source {
            Some(source) => source,
            None => match confirm(line, &mut found, scratch) {
                Some(source) => source,
                None => return Ok(None),
            },
        };
        if check_pop_loop && found.end == start && matches!(found.pattern.operation, Operation::Pop)
        {
            return Ok(None);
        }
        Ok(Some(Some(Best {
            pattern: found.pattern,
            start: found.start,
            end: found.end,
            source,
            from_with_prototype: found.from_with_prototype,
            would_loop: false,
        })))
    }

    fn first_found(
        &self,
        line: &str,
        start: usize,
        chain: &[(bool, super::ContextId, Option<usize>)],
        scratch: &mut Scratch,
    ) -> Result<Option<Found>> {
        let mut best: Option<Found> = None;
        for (chain_index, &(from_with_prototype, context_id, level)) in chain.iter().enumerate() {
            if best.as_ref().is_some_and(|found| found.start == start) {
                // Nothing starts earlier, and later contexts lose ties.
                break;
            }
            let flat = context(context_id)?.flat();
            let known = scratch.line_context(flat, line);
            let exact = match scratch.contexts[known].exact {
                Some((_, None)) => None,
                Some((_, Some(hit))) if hit.start >= start => Some(hit),
                _ => {
                    let caches = scratch.contexts[known].caches;
                    let cache = scratch.caches[caches].exact.as_mut();
                    let hit = flat.matcher.first_exact(line, start, cache);
                    scratch.contexts[known].exact = Some((start, hit));
                    hit
                }
            };
            if let Some(hit) = exact {
                consider(
                    &mut best,
                    Found {
                        start: hit.start,
                        end: hit.end,
                        chain_index,
                        position: hit.position,
                        pattern: flat.patterns[hit.position as usize],
                        from_with_prototype,
                        source: (!hit.needs_region && !cfg!(debug_assertions))
                            .then_some(Source::Bounds),
                        needs_region: hit.needs_region,
                    },
                    scratch,
                );
            }
            let captures = level.and_then(|level| self.stack[level].captures.as_deref());
            for &(position, loose) in &flat.matcher.others {
                let earliest = match loose {
                    Some(id) => scratch.contexts[known].starts.next_start(id, start),
                    None => Some(start),
                };
                let Some(earliest) = earliest else {
                    // Cannot match anywhere from here on.
                    continue;
                };
                if best
                    .as_ref()
                    .is_some_and(|found| (earliest, chain_index, position) > found.key())
                {
                    // Starts too late to win, at best.
                    continue;
                }
                let pattern = flat.patterns[position as usize];
                if let Some((match_start, match_end, source)) =
                    self.search(line, start, pattern, captures, scratch)
                {
                    consider(
                        &mut best,
                        Found {
                            start: match_start,
                            end: match_end,
                            chain_index,
                            position,
                            pattern,
                            from_with_prototype,
                            source: Some(source),
                            needs_region: false,
                        },
                        scratch,
                    );
                }
            }
        }
        Ok(best)
    }
}

/// Keeps `found` if it comes before the best so far. A region left in `scratch.trial` by an
/// uncached search moves to `scratch.best` with it.
fn consider(best: &mut Option<Found>, found: Found, scratch: &mut Scratch) {
    let better = match best {
        None => true,
        Some(current) => found.key().cmp(&current.key()) == Ordering::Less,
    };
    if !better {
        return;
    }
    if found.source == Some(Source::Best) {
        std::mem::swap(&mut scratch.trial, &mut scratch.best);
    }
    *best = Some(found);
}

/// Runs the exact winner's own pattern at its start, for its capture groups and the end of
/// its match (which `found` then takes); `None` if it does not match there as the automaton
/// said.
fn confirm(line: &str, found: &mut Found, scratch: &mut Scratch) -> Option<Source> {
    let needs_region = found.needs_region;
    let generation = scratch.generation;
    let slot = scratch.slot(found.pattern.id);
    let region = slot.region.get_or_insert_with(Region::new);
    // (Oniguruma does not look past the end of the range of starts, so the range must run to
    // the end of the line; a match at `found.start` is found there first.)
    let matched = found
        .pattern
        .regex
        .search(line, found.start, line.len(), Some(region))
        .then(|| region.pos(0))
        .flatten()
        .filter(|&(start, end)| start == found.start && (needs_region || end == found.end));
    debug_assert!(
        matched.is_some(),
        "exact automaton and Oniguruma disagree on {:?} at {} in {line:?}",
        found.pattern.regex.regex_str(),
        found.start
    );
    let Some((_, end)) = matched else {
        slot.generation = 0;
        return None;
    };
    found.end = end;
    // The pattern's first match from `start` is this one (no earlier one: it would have
    // won), so it is also what the search cache would hold.
    slot.generation = generation;
    slot.matched = true;
    Some(Source::Slot(found.pattern.id))
}
