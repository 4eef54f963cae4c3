//! Finding the first match among a context's patterns without running each one.
//!
//! Parsing a line tries every pattern of the current context at least once, and a context of
//! a real grammar has tens to hundreds of patterns: that is where syntect's time goes, in
//! Oniguruma searches that mostly find nothing. Each context gets two automata, both run on
//! ASCII lines only (what the translations are exact enough for):
//!
//! - the patterns that translate exactly (`translate::exact`) form one leftmost-first
//!   multi-pattern automaton: one search gives the earliest match among all of them and,
//!   on a tie, the first pattern, which is how the parser chooses;
//! - every other pattern is loosened (`translate::loosen`) into one that matches wherever it
//!   could, and the loosened ones run together once per line, backwards, giving for each the
//!   places where a match could start: one that cannot start early enough to be chosen is
//!   not searched.
//!
//! Patterns with back-references to an earlier match (compiled per match) and patterns that
//! may match empty text without an effect (the parser ignores those matches, which a
//! combined search could not) are never in the exact automaton.

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, meta};

use super::grammar::{self, MatchPattern, Operation};
use super::translate;

/// The automata of one flattened context.
pub struct Matcher {
    /// Over the patterns at `exact_positions`, in order.
    exact: Option<meta::Regex>,
    exact_positions: Vec<u32>,
    /// Per exact pattern: what the parser needs besides the automaton's match.
    exact_kinds: Vec<ExactKind>,
    /// The other patterns: (position in the context, pattern of `loose`, or `None` when it
    /// must always be searched).
    pub others: Vec<(u32, Option<u32>)>,
    /// Reversed, so that a search gives where matches start.
    loose: Option<DFA>,
    loose_count: usize,
}

/// What the parser needs of an exact pattern's match besides where it starts.
#[derive(Clone, Copy)]
struct ExactKind {
    /// Oniguruma's own match: for its capture groups, for the end of a match that ends in a
    /// lookahead, or to keep for back-references.
    needs_region: bool,
    /// The match is always empty (so it ends where it starts).
    empty: bool,
}

/// The first match among the exact patterns: where, and which pattern (its position).
#[derive(Clone, Copy)]
pub struct ExactMatch {
    pub start: usize,
    /// The end of the translated pattern's match (see `needs_region`).
    pub end: usize,
    pub position: u32,
    /// Whether Oniguruma must run the pattern for its match.
    pub needs_region: bool,
}

/// Where the loosened patterns of a context can start matching in one line.
#[derive(Default)]
pub struct LooseStarts {
    /// Per loosened pattern, `words` words of bits, one per byte offset (and the end).
    bits: Vec<u64>,
    words: usize,
    /// The scan failed: every pattern may start anywhere.
    unknown: bool,
}

impl LooseStarts {
    /// The first offset at or after `from` where loosened pattern `id` may start.
    pub fn next_start(&self, id: u32, from: usize) -> Option<usize> {
        if self.unknown {
            return Some(from);
        }
        let row = &self.bits[id as usize * self.words..][..self.words];
        let mut word = from / 64;
        let mut bits = row.get(word)? & (!0u64 << (from % 64));
        loop {
            if bits != 0 {
                return Some(word * 64 + bits.trailing_zeros() as usize);
            }
            word += 1;
            bits = *row.get(word)?;
        }
    }
}

impl Matcher {
    pub fn new(patterns: &[&MatchPattern]) -> Matcher {
        let mut exact = Vec::new();
        let mut exact_positions = Vec::new();
        let mut exact_kinds = Vec::new();
        let mut loose = Vec::new();
        let mut others = Vec::new();
        for (position, pattern) in patterns.iter().enumerate() {
            let position = position as u32;
            let translations = pattern
                .translations
                .get_or_init(|| Translations::new(pattern));
            if let Some((text, kind)) = &translations.exact {
                exact.push(text.as_str());
                exact_positions.push(position);
                exact_kinds.push(*kind);
                continue;
            }
            let member = translations.loose.as_ref().map(|text| {
                loose.push(text.as_str());
                (loose.len() - 1) as u32
            });
            others.push((position, member));
        }
        let exact = build_exact(&exact);
        if exact.is_none() {
            // Not expected (each pattern was parsed alone), but then search them one by one.
            others.extend(exact_positions.drain(..).map(|position| (position, None)));
            others.sort_unstable_by_key(|(position, _)| *position);
        }
        let loose_count = loose.len();
        let loose = build_loose(&loose);
        if loose.is_none() {
            others.iter_mut().for_each(|(_, member)| *member = None);
        }
        Matcher {
            exact,
            exact_positions,
            exact_kinds,
            others,
            loose,
            loose_count,
        }
    }

    /// The first match among the exact patterns at or after `start` in `line` (ASCII).
    /// `cache` is this thread's, from [`Matcher::exact_cache`] (`None` exactly when the
    /// context has no exact automaton).
    pub fn first_exact(
        &self,
        line: &str,
        start: usize,
        cache: Option<&mut meta::Cache>,
    ) -> Option<ExactMatch> {
        let automaton = self.exact.as_ref()?;
        let input = Input::new(line).range(start..).anchored(Anchored::No);
        let found = automaton.search_with(cache?, &input)?;
        let index = found.pattern().as_usize();
        let kind = self.exact_kinds[index];
        Some(ExactMatch {
            start: found.start(),
            end: if kind.empty {
                found.start()
            } else {
                found.end()
            },
            position: self.exact_positions[index],
            needs_region: kind.needs_region,
        })
    }

    /// A cache for the exact automaton, for one thread.
    pub fn exact_cache(&self) -> Option<meta::Cache> {
        self.exact.as_ref().map(meta::Regex::create_cache)
    }

    /// A cache for the loose automaton, for one thread.
    pub fn loose_cache(&self) -> Option<Cache> {
        self.loose.as_ref().map(DFA::create_cache)
    }

    /// Where the loosened patterns may start in `line` (ASCII), into `starts`.
    pub fn loose_starts(&self, line: &str, cache: Option<&mut Cache>, starts: &mut LooseStarts) {
        starts.words = (line.len() + 1).div_ceil(64);
        starts.bits.clear();
        starts.bits.resize(self.loose_count * starts.words, 0);
        starts.unknown = false;
        let (Some(automaton), Some(cache)) = (&self.loose, cache) else {
            return;
        };
        if scan_starts(automaton, cache, line, starts).is_err() {
            starts.unknown = true;
        }
    }
}

/// Runs the reversed loose automaton over `line`, from its end, recording each offset where
/// a pattern's match starts. (Written out instead of calling regex-automata's overlapping
/// reverse search: version 0.4.19 of that reports every pattern after the first one at a
/// given offset one byte too early.)
fn scan_starts(
    automaton: &DFA,
    cache: &mut Cache,
    line: &str,
    starts: &mut LooseStarts,
) -> Result<(), ()> {
    let input = Input::new(line);
    let mut record = |cache: &Cache, state, offset: usize| {
        for index in 0..automaton.match_len(cache, state) {
            let pattern = automaton.match_pattern(cache, state, index).as_usize();
            starts.bits[pattern * starts.words + offset / 64] |= 1 << (offset % 64);
        }
    };
    let mut state = automaton
        .start_state_reverse(cache, &input)
        .map_err(|_| ())?;
    for (at, byte) in line.bytes().enumerate().rev() {
        state = automaton.next_state(cache, state, byte).map_err(|_| ())?;
        if state.is_tagged() {
            if state.is_match() {
                // Matches are seen one byte late: this one starts after `byte`.
                record(cache, state, at + 1);
            } else if state.is_quit() {
                return Err(());
            }
        }
    }
    state = automaton.next_eoi_state(cache, state).map_err(|_| ())?;
    if state.is_match() {
        record(cache, state, 0);
    }
    Ok(())
}

/// What a pattern becomes in the automata of the contexts that include it.
pub struct Translations {
    /// Its exact translation, if it may join the exact automaton, and what the parser needs
    /// of its matches besides.
    exact: Option<(String, ExactKind)>,
    /// Otherwise, its loose translation, if it has one that needs at least one character
    /// (one that can match empty matches every line, and only slows the automaton down).
    loose: Option<String>,
}

impl Translations {
    pub fn new(pattern: &MatchPattern) -> Translations {
        if let Some(translated) = exact_pattern(pattern) {
            let empty = !translated.same_end && translate::always_empty(pattern.regex.regex_str());
            let end_unknown = !translated.same_end && !empty;
            let kind = ExactKind {
                needs_region: end_unknown || pattern.captures.is_some() || keeps_match(pattern),
                empty,
            };
            return Translations {
                exact: Some((translated.text, kind)),
                loose: None,
            };
        }
        let loose = translate::loosen(pattern.regex.regex_str())
            .ok()
            .filter(|text| minimum_length(text).is_some_and(|length| length > 0));
        Translations { exact: None, loose }
    }
}

/// The exact translation of a pattern that may join the combined automaton.
fn exact_pattern(pattern: &MatchPattern) -> Option<translate::Exact> {
    if pattern.has_captures {
        return None;
    }
    let translated = translate::exact(pattern.regex.regex_str()).ok()?;
    let length = minimum_length(&translated.text)?;
    if length == 0 && matches!(pattern.operation, Operation::None) {
        return None;
    }
    Some(translated)
}

/// Whether taking `pattern` keeps its match for the back-references of a pushed context.
fn keeps_match(pattern: &MatchPattern) -> bool {
    let uses_backrefs = |id: &Option<grammar::ContextId>| {
        id.and_then(grammar::context)
            .is_none_or(|context| context.uses_backrefs)
    };
    let targets = match &pattern.operation {
        Operation::Push(targets) | Operation::Set(targets) => targets,
        Operation::Pop | Operation::None => return false,
    };
    targets.iter().any(uses_backrefs) || pattern.with_prototype.as_ref().is_some_and(uses_backrefs)
}

/// The fewest bytes a translated pattern matches; `None` if it does not parse.
fn minimum_length(text: &str) -> Option<usize> {
    syntax::parse_with(text, &syntax_config())
        .ok()
        .and_then(|hir| hir.properties().minimum_len())
}

fn syntax_config() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

fn build_exact(patterns: &[&str]) -> Option<meta::Regex> {
    if patterns.is_empty() {
        return None;
    }
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .match_kind(MatchKind::LeftmostFirst)
                .utf8_empty(false),
        )
        .syntax(syntax_config())
        .build_many(patterns)
        .ok()
}

fn build_loose(patterns: &[&str]) -> Option<DFA> {
    if patterns.is_empty() {
        return None;
    }
    DFA::builder()
        .configure(DFA::config().match_kind(MatchKind::All))
        .syntax(syntax_config())
        .thompson(thompson::Config::new().reverse(true).utf8(false))
        .build_many(patterns)
        .ok()
}
