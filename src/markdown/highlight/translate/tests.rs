//! The translations checked against Oniguruma itself, pattern by pattern: every pattern of
//! the grammars of the sample languages, on every ASCII line of the samples, from every
//! position.

use std::collections::HashSet;

use regex_automata::hybrid::dfa::{DFA, OverlappingState};
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, meta};
use syntect::parsing::{Regex, Region};
use syntect::util::LinesWithEndings;

use super::{exact, loosen};
use crate::markdown::highlight::{find_syntax, grammar};

fn config() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

/// Every distinct pattern reachable from the start of the sample languages' grammars.
fn patterns() -> Vec<String> {
    let mut seen_contexts = HashSet::new();
    let mut seen = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for lang in crate::markdown::highlight::golden::SAMPLES
        .iter()
        .map(|(_, lang)| *lang)
    {
        let syntax = find_syntax(lang).expect("known language");
        let mut todo = vec![grammar::start_context(syntax).expect("start")];
        while let Some(id) = todo.pop() {
            if !seen_contexts.insert(id) {
                continue;
            }
            let context = grammar::context(id).expect("context");
            todo.extend(context.prototype);
            for pattern in &context.flat().patterns {
                if seen.insert(pattern.regex.regex_str().to_string()) {
                    out.push(pattern.regex.regex_str().to_string());
                }
                if let grammar::Operation::Push(targets) | grammar::Operation::Set(targets) =
                    &pattern.operation
                {
                    todo.extend(targets.iter().flatten());
                }
                if let Some(Some(prototype)) = pattern.with_prototype {
                    todo.push(prototype);
                }
            }
        }
    }
    // Patterns with back-references to another pattern's match do not compile alone.
    out.retain(|pattern| Regex::try_compile(pattern).is_none());
    out
}

fn lines() -> Vec<String> {
    let dir = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/markdown/highlight/golden"
    ));
    let mut lines = Vec::new();
    for (stem, _) in crate::markdown::highlight::golden::SAMPLES {
        let code = std::fs::read_to_string(dir.join(format!("{stem}.txt"))).expect("sample");
        for line in LinesWithEndings::from(&code) {
            if line.is_ascii() {
                lines.push(line.to_string());
            }
        }
    }
    lines.push(String::new());
    lines
}

/// Oniguruma's first match at or after each position: (start, end) per position.
fn onig_matches(regex: &Regex, line: &str) -> Vec<Option<(usize, usize)>> {
    let mut region = Region::new();
    (0..=line.len())
        .map(|from| {
            regex
                .search(line, from, line.len(), Some(&mut region))
                .then(|| region.pos(0))
                .flatten()
        })
        .collect()
}

#[test]
fn loose_patterns_start_wherever_the_originals_start() {
    let lines = lines();
    let mut failures = Vec::new();
    for pattern in patterns() {
        let Ok(loose) = loosen(&pattern) else {
            continue;
        };
        let Ok(dfa) = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .syntax(config())
            .thompson(thompson::Config::new().reverse(true).utf8(false))
            .build(&loose)
        else {
            continue;
        };
        let mut cache = dfa.create_cache();
        let regex = Regex::new(pattern.clone());
        for line in &lines {
            let mut starts = HashSet::new();
            let mut state = OverlappingState::start();
            loop {
                dfa.try_search_overlapping_rev(&mut cache, &Input::new(line.as_str()), &mut state)
                    .expect("search");
                match state.get_match() {
                    Some(found) => starts.insert(found.offset()),
                    None => break,
                };
            }
            for (start, _) in onig_matches(&regex, line).into_iter().flatten() {
                if !starts.contains(&start) {
                    failures.push(format!(
                        "{pattern:?} → {loose:?}: starts at {start} in {line:?}"
                    ));
                    break;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}",
        failures[..failures.len().min(10)].join("\n")
    );
}

#[test]
fn exact_patterns_match_as_the_originals_do() {
    let lines = lines();
    let mut failures = Vec::new();
    for pattern in patterns() {
        let Ok(translated) = exact(&pattern) else {
            continue;
        };
        let Ok(automaton) = meta::Regex::builder()
            .configure(
                meta::Config::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .utf8_empty(false),
            )
            .syntax(config())
            .build(&translated.text)
        else {
            continue;
        };
        let regex = Regex::new(pattern.clone());
        for line in &lines {
            for (from, expected) in onig_matches(&regex, line).into_iter().enumerate() {
                let input = Input::new(line.as_str())
                    .range(from..)
                    .anchored(Anchored::No);
                let got = automaton.search(&input).map(|m| (m.start(), m.end()));
                let agrees = match (expected, got) {
                    (Some(e), Some(g)) => e.0 == g.0 && (!translated.same_end || e.1 == g.1),
                    (None, None) => true,
                    _ => false,
                };
                if !agrees {
                    failures.push(format!(
                        "{pattern:?} → {:?} from {from} in {line:?}: onig {expected:?}, automaton {got:?}",
                        translated.text
                    ));
                    break;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}",
        failures[..failures.len().min(10)].join("\n")
    );
}
