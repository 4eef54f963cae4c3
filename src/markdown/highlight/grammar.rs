//! The linked grammars of the syntax set, in a form the line parser can walk.
//!
//! syntect keeps a syntax's linked contexts private; what it does expose is the serialized form
//! of each syntax (the same bytes its own lazy loading reads). This module decodes that form
//! into its own types, one syntax at a time on first use, with the includes of every context
//! flattened once instead of on every token, and each pattern numbered so the parser can keep
//! per-line search results in a plain array.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{LazyLock, OnceLock};

use serde::Deserialize;
use syntect::parsing::{ClearAmount, Scope, SyntaxReference, SyntaxSet};

use super::matcher::{Matcher, Translations};
use syntect::parsing::Regex;

/// A context: which syntax of the set, and which context of that syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContextId {
    pub syntax: u32,
    pub index: u32,
}

pub struct Context {
    pub meta_scope: Vec<Scope>,
    pub meta_content_scope: Vec<Scope>,
    pub clear_scopes: Option<ClearAmount>,
    pub prototype: Option<ContextId>,
    pub uses_backrefs: bool,
    patterns: Vec<Item>,
    flat: OnceLock<FlatContext>,
}

enum Item {
    /// Boxed: patterns are large and includes are many.
    Match(Box<MatchPattern>),
    /// `None`: a reference the linker could not resolve; it contributes no patterns.
    Include(Option<ContextId>),
}

pub struct MatchPattern {
    /// Unique over the whole syntax set (see `PATTERN_COUNT`).
    pub id: u32,
    pub has_captures: bool,
    pub regex: Regex,
    pub scope: Vec<Scope>,
    pub captures: Option<Vec<(usize, Vec<Scope>)>>,
    pub operation: Operation,
    /// `Some(None)`: a `with_prototype` the linker could not resolve.
    pub with_prototype: Option<Option<ContextId>>,
    /// What the pattern becomes in the context automata (worked out on first use: a
    /// pattern is in every context that includes its own).
    pub translations: OnceLock<Translations>,
}

/// What a match does to the context stack; `None` in a list is an unresolved reference.
pub enum Operation {
    Push(Vec<Option<ContextId>>),
    Set(Vec<Option<ContextId>>),
    Pop,
    None,
}

/// The patterns of a context with its includes expanded, in the order they are tried.
pub struct FlatContext {
    pub patterns: Vec<&'static MatchPattern>,
    pub matcher: Matcher,
}

impl Context {
    /// The context's patterns with includes expanded (built on first use).
    pub fn flat(&'static self) -> &'static FlatContext {
        self.flat.get_or_init(|| {
            let mut patterns = Vec::new();
            let mut stack: Vec<std::slice::Iter<'static, Item>> = vec![self.patterns.iter()];
            while let Some(items) = stack.last_mut() {
                match items.next() {
                    None => {
                        stack.pop();
                    }
                    Some(Item::Match(pattern)) => patterns.push(&**pattern),
                    Some(Item::Include(Some(id))) => {
                        if let Some(included) = context(*id) {
                            stack.push(included.patterns.iter());
                        }
                    }
                    Some(Item::Include(None)) => {}
                }
            }
            let matcher = Matcher::new(&patterns);
            FlatContext { patterns, matcher }
        })
    }
}

/// The grammars of one syntax.
struct SyntaxTables {
    start: Option<ContextId>,
    contexts: Vec<Context>,
}

struct Grammars {
    set: &'static SyntaxSet,
    syntaxes: Vec<OnceLock<SyntaxTables>>,
}

static GRAMMARS: LazyLock<Grammars> = LazyLock::new(|| {
    let set: &'static SyntaxSet = &super::SYNTAXES;
    Grammars {
        set,
        syntaxes: set.syntaxes().iter().map(|_| OnceLock::new()).collect(),
    }
});

/// Patterns numbered so far, over all loaded syntaxes.
static PATTERN_COUNT: AtomicU32 = AtomicU32::new(0);

/// How many patterns have been numbered: every `MatchPattern::id` is below it.
pub fn pattern_count() -> u32 {
    PATTERN_COUNT.load(Ordering::Acquire)
}

/// The context the parser starts `syntax` in.
pub fn start_context(syntax: &SyntaxReference) -> Option<ContextId> {
    let grammars = &*GRAMMARS;
    let index = grammars
        .set
        .syntaxes()
        .iter()
        .position(|candidate| std::ptr::eq(candidate, syntax))?;
    tables(index)?.start
}

/// The context called `id`, loading its syntax on first use.
pub fn context(id: ContextId) -> Option<&'static Context> {
    tables(id.syntax as usize)?.contexts.get(id.index as usize)
}

fn tables(index: usize) -> Option<&'static SyntaxTables> {
    let grammars = &*GRAMMARS;
    let slot = grammars.syntaxes.get(index)?;
    Some(slot.get_or_init(|| load(&grammars.set.syntaxes()[index])))
}

/// Decodes one syntax. A syntax that does not decode (only possible if syntect's format
/// changed under folio) has no contexts, so its blocks are shown uncoloured.
fn load(syntax: &SyntaxReference) -> SyntaxTables {
    let raw = bincode::serialize(syntax)
        .ok()
        .and_then(|bytes| bincode::deserialize::<raw::Syntax>(&bytes).ok())
        .and_then(|syntax| {
            syntect::dumps::from_reader::<raw::Contexts, _>(&syntax.serialized_lazy_contexts[..])
                .ok()
        });
    let Some(raw) = raw else {
        return SyntaxTables {
            start: None,
            contexts: Vec::new(),
        };
    };
    let count: usize = raw
        .contexts
        .iter()
        .flat_map(|context| &context.patterns)
        .filter(|pattern| matches!(pattern, raw::Pattern::Match(_)))
        .count();
    let mut next_id = PATTERN_COUNT.fetch_add(count as u32, Ordering::AcqRel);
    let contexts = raw
        .contexts
        .into_iter()
        .map(|context| Context {
            meta_scope: context.meta_scope,
            meta_content_scope: context.meta_content_scope,
            clear_scopes: context.clear_scopes,
            prototype: context.prototype.map(raw::Id::into_id),
            uses_backrefs: context.uses_backrefs,
            patterns: context
                .patterns
                .into_iter()
                .map(|pattern| match pattern {
                    raw::Pattern::Match(pattern) => {
                        let id = next_id;
                        next_id += 1;
                        Item::Match(Box::new(pattern.into_pattern(id)))
                    }
                    raw::Pattern::Include(reference) => Item::Include(reference.resolved()),
                })
                .collect(),
            flat: OnceLock::new(),
        })
        .collect();
    SyntaxTables {
        start: raw
            .context_ids
            .get("__start")
            .copied()
            .map(raw::Id::into_id),
        contexts,
    }
}

/// Mirrors of syntect's serialized types (field and variant order matter: the format is
/// positional). A test decodes every syntax of the set to check they still match.
mod raw {
    use super::*;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub struct Syntax {
        name: String,
        file_extensions: Vec<String>,
        scope: Scope,
        first_line_match: Option<String>,
        hidden: bool,
        variables: HashMap<String, String>,
        pub serialized_lazy_contexts: Vec<u8>,
    }

    #[derive(Deserialize)]
    pub struct Contexts {
        pub context_ids: HashMap<String, Id>,
        pub contexts: Vec<Context>,
    }

    #[derive(Deserialize, Clone, Copy)]
    pub struct Id {
        syntax_index: usize,
        context_index: usize,
    }

    impl Id {
        pub fn into_id(self) -> ContextId {
            ContextId {
                syntax: self.syntax_index as u32,
                index: self.context_index as u32,
            }
        }
    }

    #[derive(Deserialize)]
    pub struct Context {
        pub meta_scope: Vec<Scope>,
        pub meta_content_scope: Vec<Scope>,
        #[allow(dead_code)]
        meta_include_prototype: bool,
        pub clear_scopes: Option<ClearAmount>,
        pub prototype: Option<Id>,
        pub uses_backrefs: bool,
        pub patterns: Vec<Pattern>,
    }

    #[derive(Deserialize)]
    pub enum Pattern {
        Match(Match),
        Include(Reference),
    }

    #[derive(Deserialize)]
    pub struct Match {
        has_captures: bool,
        regex: String,
        scope: Vec<Scope>,
        captures: Option<Vec<(usize, Vec<Scope>)>>,
        operation: Operation,
        with_prototype: Option<Reference>,
    }

    impl Match {
        pub fn into_pattern(self, id: u32) -> MatchPattern {
            MatchPattern {
                id,
                has_captures: self.has_captures,
                regex: Regex::new(self.regex),
                scope: self.scope,
                captures: self.captures,
                operation: match self.operation {
                    Operation::Push(refs) => {
                        super::Operation::Push(refs.iter().map(Reference::resolved).collect())
                    }
                    Operation::Set(refs) => {
                        super::Operation::Set(refs.iter().map(Reference::resolved).collect())
                    }
                    Operation::Pop => super::Operation::Pop,
                    Operation::None => super::Operation::None,
                },
                with_prototype: self.with_prototype.as_ref().map(Reference::resolved),
                translations: OnceLock::new(),
            }
        }
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub enum Reference {
        Named(String),
        ByScope {
            scope: Scope,
            sub_context: Option<String>,
            with_escape: bool,
        },
        File {
            name: String,
            sub_context: Option<String>,
            with_escape: bool,
        },
        Inline(String),
        Direct(Id),
    }

    impl Reference {
        /// The context a linked reference points to; `None` for one left unlinked.
        pub fn resolved(&self) -> Option<ContextId> {
            match self {
                Reference::Direct(id) => Some(id.into_id()),
                _ => None,
            }
        }
    }

    #[derive(Deserialize)]
    pub enum Operation {
        Push(Vec<Reference>),
        Set(Vec<Reference>),
        Pop,
        None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_syntax_of_the_set_decodes_with_a_start_context() {
        let set: &SyntaxSet = &super::super::SYNTAXES;
        for syntax in set.syntaxes() {
            let start = start_context(syntax);
            assert!(start.is_some(), "{} has no start context", syntax.name);
            assert!(context(start.unwrap()).is_some(), "{}", syntax.name);
        }
    }
}
