//! The line parser: the scope changes of each line of a block, as syntect's `ParseState`
//! computes them (the golden tests and `tests::parser_agrees_with_syntect` hold it to that),
//! with less work per line.
//!
//! A Sublime grammar is a stack of contexts; at each position the parser tries the patterns
//! of the current context (and of prototypes) and takes the match that starts first, the
//! earliest pattern winning a tie. What differs from syntect is how that match is found:
//! contexts are flattened once (`grammar`); on ASCII lines most patterns are matched
//! together by one automaton and the rest are searched only if they can match the line
//! (`matcher`, `fast`); and the per-line cache of search results is an array indexed by
//! pattern number, kept per thread and reused, so a line allocates nothing in the common
//! case. Lines the automata are not exact for take the plain way: every pattern searched in
//! order (`best_match`), which is syntect's algorithm.

use std::cell::RefCell;

use regex_automata::hybrid::dfa::Cache;
use rustc_hash::FxHashMap;
use syntect::parsing::{Regex, Region, ScopeStackOp, SyntaxReference};

use super::grammar::{self, Context, ContextId, FlatContext, MatchPattern, Operation};
use super::matcher::{ExactMatch, LooseStarts};

/// The grammar does not hold together (an unlinked reference, a missing context); the block
/// is then shown uncoloured, as syntect's parse error was handled.
#[derive(Debug)]
pub struct GrammarError;

type Result<T> = std::result::Result<T, GrammarError>;

/// A pushed context can push another at most this deep (syntect's limit, kept so deep
/// nesting parses the same).
const MAX_DEPTH: usize = 100;

/// The parse state between lines of one block.
pub struct LineParser {
    stack: Vec<Level>,
    first_line: bool,
    /// Stack heights from which `with_prototype`s below no longer apply.
    proto_starts: Vec<usize>,
}

struct Level {
    context: ContextId,
    prototypes: Vec<ContextId>,
    /// The match that pushed this level and its line, for back-references in its patterns.
    captures: Option<Box<(Region, String)>>,
}

/// Where the region of the best match so far is kept.
#[derive(Clone, Copy, PartialEq)]
enum Source {
    /// The per-line search cache of the pattern.
    Slot(u32),
    /// `Scratch::best` (a search that may not be cached).
    Best,
    /// Nowhere: the match came from the exact automaton and only its bounds are needed.
    Bounds,
}

struct Best {
    pattern: &'static MatchPattern,
    start: usize,
    end: usize,
    source: Source,
    from_with_prototype: bool,
    would_loop: bool,
}

/// One pattern's search result for the current line.
#[derive(Default)]
struct Slot {
    /// Valid when equal to `Scratch::generation`.
    generation: u32,
    matched: bool,
    region: Option<Region>,
}

/// What is known about one flattened context on the current line.
struct LineContext {
    /// The context's address.
    key: usize,
    /// Where the context's loosened patterns may start on the line.
    starts: LooseStarts,
    /// The first exact match found searching from the first value, if any.
    exact: Option<(usize, Option<ExactMatch>)>,
    /// Where this thread's automaton caches of the context are, in `Scratch::caches`.
    caches: usize,
}

/// One thread's caches of a context's automata: the lazy automata fill them as they go, and a
/// cache of the thread's own needs no lock (the regex's shared pool would take one on every
/// search from a second thread).
struct ContextCaches {
    loose: Option<Cache>,
    exact: Option<regex_automata::meta::Cache>,
}

/// Per-thread buffers reused from line to line.
#[derive(Default)]
struct Scratch {
    generation: u32,
    slots: Vec<Slot>,
    /// The contexts met on this line (few: a linear scan finds them).
    contexts: Vec<LineContext>,
    spare_starts: Vec<LooseStarts>,
    /// Each context's automaton caches (an index in `caches`), by the context's address.
    cache_index: FxHashMap<usize, usize>,
    caches: Vec<ContextCaches>,
    trial: Region,
    best: Region,
    chain: Vec<(bool, ContextId, Option<usize>)>,
    captured: Vec<((usize, i32), ScopeStackOp)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

impl Scratch {
    fn start_line(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.slots.iter_mut().for_each(|slot| slot.generation = 0);
            self.generation = 1;
        }
        for context in self.contexts.drain(..) {
            self.spare_starts.push(context.starts);
        }
    }

    /// The index in `contexts` of what is known of `context` on `line` (an ASCII line).
    fn line_context(&mut self, context: &'static FlatContext, line: &str) -> usize {
        let key = std::ptr::from_ref(context) as usize;
        if let Some(index) = self.contexts.iter().position(|known| known.key == key) {
            return index;
        }
        let mut starts = self.spare_starts.pop().unwrap_or_default();
        let caches = *self.cache_index.entry(key).or_insert_with(|| {
            self.caches.push(ContextCaches {
                loose: context.matcher.loose_cache(),
                exact: context.matcher.exact_cache(),
            });
            self.caches.len() - 1
        });
        context
            .matcher
            .loose_starts(line, self.caches[caches].loose.as_mut(), &mut starts);
        self.contexts.push(LineContext {
            key,
            starts,
            exact: None,
            caches,
        });
        self.contexts.len() - 1
    }

    /// The search result cache of pattern `id`, grown as syntaxes load.
    fn slot(&mut self, id: u32) -> &mut Slot {
        let id = id as usize;
        if id >= self.slots.len() {
            let count = (grammar::pattern_count() as usize).max(id + 1);
            self.slots.resize_with(count, Slot::default);
        }
        &mut self.slots[id]
    }
}

impl LineParser {
    /// A parser at the start of a block in `syntax`.
    pub fn new(syntax: &SyntaxReference) -> Option<LineParser> {
        Some(LineParser {
            stack: vec![Level {
                context: grammar::start_context(syntax)?,
                prototypes: Vec::new(),
                captures: None,
            }],
            first_line: true,
            proto_starts: Vec::new(),
        })
    }

    /// The scope changes of `line` (with its newline), by byte offset, into `ops`.
    pub fn parse_line(&mut self, line: &str, ops: &mut Vec<(usize, ScopeStackOp)>) -> Result<()> {
        ops.clear();
        let top = self.stack.last().ok_or(GrammarError)?;
        if self.first_line {
            let context = context(top.context)?;
            if let Some(scope) = context.meta_content_scope.first() {
                ops.push((0, ScopeStackOp::Push(*scope)));
            }
            self.first_line = false;
        }
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            scratch.start_line();
            let mut start = 0;
            let mut non_consuming_push_at = (0, 0);
            while self.next_token(line, &mut start, &mut non_consuming_push_at, scratch, ops)? {}
            Ok(())
        })
    }

    /// Applies the next match of the line; `false` when there is none.
    fn next_token(
        &mut self,
        line: &str,
        start: &mut usize,
        non_consuming_push_at: &mut (usize, usize),
        scratch: &mut Scratch,
        ops: &mut Vec<(usize, ScopeStackOp)>,
    ) -> Result<bool> {
        // A match that consumed nothing after a push that consumed nothing, at the same
        // place and depth, would loop: such a pop is not taken (see `would_loop`).
        let check_pop_loop = *non_consuming_push_at == (*start, self.stack.len());
        while self
            .proto_starts
            .last()
            .is_some_and(|&height| height >= self.stack.len())
        {
            self.proto_starts.pop();
        }
        // The combined automata are exact for ASCII lines; the rare cases where the order
        // of trying patterns matters beyond "earliest, then first" take the plain way.
        let fast = line.is_ascii() && self.stack.len() < MAX_DEPTH;
        let decided = if fast {
            self.best_match_fast(line, *start, check_pop_loop, scratch)?
        } else {
            None
        };
        let best = match decided {
            Some(best) => best,
            None => self.best_match(line, *start, check_pop_loop, scratch)?,
        };
        let Some(best) = best else {
            return Ok(false);
        };
        if best.would_loop {
            // Step over one character and try again, as Sublime Text does.
            return Ok(match line[*start..].char_indices().nth(1) {
                Some((offset, _)) => {
                    *start += offset;
                    true
                }
                None => false,
            });
        }
        if best.end == *start && matches!(best.pattern.operation, Operation::Push(_)) {
            *non_consuming_push_at = (best.end, self.stack.len() + 1);
        }
        *start = best.end;
        if best.from_with_prototype {
            self.proto_starts.push(self.stack.len());
        }
        let level_context = context(self.stack.last().ok_or(GrammarError)?.context)?;
        let Scratch {
            slots,
            best: best_region,
            captured,
            ..
        } = scratch;
        let region = match best.source {
            Source::Slot(id) => slots[id as usize].region.as_ref(),
            Source::Best => Some(&*best_region),
            Source::Bounds => None,
        };
        self.apply_match(line, &best, region, level_context, captured, ops)?;
        Ok(true)
    }

    /// The match to take at `start`: the earliest, the first pattern in order on a tie.
    fn best_match(
        &self,
        line: &str,
        start: usize,
        check_pop_loop: bool,
        scratch: &mut Scratch,
    ) -> Result<Option<Best>> {
        let chain = self.chain(scratch)?;
        let mut best: Option<Best> = None;
        let mut min_start = usize::MAX;
        let mut pop_would_loop = false;
        let mut result = Ok(None);
        'chain: for &(from_with_prototype, context_id, level) in &chain {
            let flat = match context(context_id) {
                Ok(context) => context.flat(),
                Err(error) => {
                    result = Err(error);
                    break;
                }
            };
            let captures = level.and_then(|level| self.stack[level].captures.as_deref());
            for pattern in &flat.patterns {
                let Some((match_start, match_end, source)) =
                    self.search(line, start, pattern, captures, scratch)
                else {
                    continue;
                };
                if match_start < min_start || (match_start == min_start && pop_would_loop) {
                    min_start = match_start;
                    pop_would_loop = check_pop_loop
                        && match_end == start
                        && matches!(pattern.operation, Operation::Pop);
                    if matches!(pattern.operation, Operation::Push(_))
                        && self.stack.len() >= MAX_DEPTH
                    {
                        best = None;
                        break 'chain;
                    }
                    let source = match source {
                        Source::Best => {
                            std::mem::swap(&mut scratch.trial, &mut scratch.best);
                            Source::Best
                        }
                        slot => slot,
                    };
                    best = Some(Best {
                        pattern,
                        start: match_start,
                        end: match_end,
                        source,
                        from_with_prototype,
                        would_loop: pop_would_loop,
                    });
                    if match_start == start && !pop_would_loop {
                        // Nothing can start earlier.
                        break 'chain;
                    }
                }
            }
        }
        scratch.chain = chain;
        if result.is_ok() {
            result = Ok(best);
        }
        result
    }

    /// The contexts to try, in order: `with_prototype`s from the bottom up, the current
    /// context's prototype, then the current context itself; with each, whether it is a
    /// `with_prototype` and the level whose captures its patterns see. (Taken from
    /// `scratch.chain`, to be put back.)
    fn chain(&self, scratch: &mut Scratch) -> Result<Vec<(bool, ContextId, Option<usize>)>> {
        let top = self.stack.last().ok_or(GrammarError)?;
        let top_context = context(top.context)?;
        let mut chain = std::mem::take(&mut scratch.chain);
        chain.clear();
        let proto_start = self.proto_starts.last().copied().unwrap_or(0);
        for (height, level) in self.stack.iter().enumerate().skip(proto_start) {
            for prototype in &level.prototypes {
                chain.push((true, *prototype, Some(height)));
            }
        }
        if let Some(prototype) = top_context.prototype {
            chain.push((false, prototype, None));
        }
        chain.push((false, top.context, Some(self.stack.len() - 1)));
        Ok(chain)
    }

    /// The first match of `pattern` at or after `start`: (start, end, where its region is).
    /// `Source::Best` here means the region is in `scratch.trial`.
    fn search(
        &self,
        line: &str,
        start: usize,
        pattern: &MatchPattern,
        captures: Option<&(Region, String)>,
        scratch: &mut Scratch,
    ) -> Option<(usize, usize, Source)> {
        let generation = scratch.generation;
        scratch.slot(pattern.id);
        let slot = &mut scratch.slots[pattern.id as usize];
        if slot.generation == generation {
            if !slot.matched {
                return None;
            }
            if let Some((match_start, match_end)) = slot.region.as_ref().and_then(|r| r.pos(0))
                && match_start >= start
            {
                return Some((match_start, match_end, Source::Slot(pattern.id)));
            }
        }
        // A pattern with back-references to the match that pushed its context is compiled
        // for that match: its result holds for this level only, so it is not cached.
        let substituted;
        let (regex, cacheable) = match (pattern.has_captures, captures) {
            (true, Some(captures)) => {
                substituted = Regex::new(substitute_captures(pattern.regex.regex_str(), captures));
                (&substituted, false)
            }
            _ => (&pattern.regex, true),
        };
        let region = if cacheable {
            slot.region.get_or_insert_with(Region::new)
        } else {
            &mut scratch.trial
        };
        if !regex.search(line, start, line.len(), Some(region)) {
            if cacheable {
                slot.generation = generation;
                slot.matched = false;
            }
            return None;
        }
        let (match_start, match_end) = region.pos(0)?;
        // An empty match of a pattern that changes nothing would loop: ignored.
        let does_something = match pattern.operation {
            Operation::None => match_start != match_end,
            Operation::Push(_) => self.stack.len() < MAX_DEPTH,
            _ => true,
        };
        if cacheable {
            slot.generation = if does_something { generation } else { 0 };
            slot.matched = true;
        }
        does_something.then_some((
            match_start,
            match_end,
            if cacheable {
                Source::Slot(pattern.id)
            } else {
                Source::Best
            },
        ))
    }
}

/// `pattern` with each `\N` replaced by the (escaped) text of capture N of `captures`.
fn substitute_captures(pattern: &str, (region, text): &(Region, String)) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            match c.to_digit(10) {
                Some(group) => {
                    if let Some((start, end)) = region.pos(group as usize) {
                        out.push_str(&regex::escape(&text[start..end]));
                    }
                }
                None => {
                    out.push('\\');
                    out.push(c);
                }
            }
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else {
            out.push(c);
        }
    }
    if escaped {
        out.push('\\');
    }
    out
}

fn context(id: ContextId) -> Result<&'static Context> {
    grammar::context(id).ok_or(GrammarError)
}

mod apply;
mod fast;
