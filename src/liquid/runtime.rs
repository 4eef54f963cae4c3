//! The state a page renders with: its variables (looked up the lax way, see [`super::data`]),
//! and what Jekyll's tags and filters need to know while they run.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use liquid_core::model::{KString, KStringCow, Object, ScalarCow, Value, ValueCow};
use liquid_core::runtime::{PartialStore, Registers};
use liquid_core::{Renderable, Result, Runtime, ValueView};
use typed_arena::Arena;

use super::Engine;
use super::data::{Data, LookupResult, MISSING, lookup};
use crate::diagnostics::Diagnostic;

/// The bottom of a page's runtime: `site`, `page` and what the page assigns.
pub struct PageRuntime<'a> {
    roots: Vec<(&'static str, &'a Data)>,
    /// Assigned values live here, so lookups can hand out references into them.
    arena: &'a Arena<Data>,
    assigned: RefCell<HashMap<KString, &'a Data>>,
    counters: RefCell<Object>,
    registers: Registers,
}

impl<'a> PageRuntime<'a> {
    pub fn new(roots: Vec<(&'static str, &'a Data)>, arena: &'a Arena<Data>) -> Self {
        PageRuntime {
            roots,
            arena,
            assigned: RefCell::default(),
            counters: RefCell::default(),
            registers: Registers::default(),
        }
    }

    fn find(&self, path: &[ScalarCow<'_>]) -> ValueCow<'_> {
        let Some(first) = path.first() else {
            return ValueCow::Borrowed(&MISSING);
        };
        let key = first.to_kstr();
        let assigned = self.assigned.borrow().get(key.as_str()).copied();
        let root = assigned.or_else(|| {
            self.roots
                .iter()
                .find(|(name, _)| *name == key.as_str())
                .map(|(_, data)| *data)
        });
        match root {
            Some(root) => found(lookup(root, &path[1..])),
            None => match self.counters.borrow().get(key.as_str()) {
                Some(value) if path.len() == 1 => ValueCow::Owned(value.clone()),
                _ => ValueCow::Borrowed(&MISSING),
            },
        }
    }
}

fn found(result: LookupResult<'_>) -> ValueCow<'_> {
    match result {
        LookupResult::Found(data) => ValueCow::Borrowed(data),
        LookupResult::Size(size, true) => ValueCow::Owned(Value::scalar(size as i64)),
        LookupResult::Size(_, false) => ValueCow::Borrowed(&MISSING),
    }
}

impl<'a> Runtime for PageRuntime<'a> {
    fn partials(&self) -> &dyn PartialStore {
        &NoPartials
    }

    fn name(&self) -> Option<liquid_core::model::KStringRef<'_>> {
        None
    }

    fn roots(&self) -> std::collections::BTreeSet<KStringCow<'_>> {
        let mut roots: std::collections::BTreeSet<KStringCow<'_>> = self
            .roots
            .iter()
            .map(|(name, _)| KStringCow::from_static(name))
            .collect();
        roots.extend(
            self.assigned
                .borrow()
                .keys()
                .map(|k| KStringCow::from_string(k.to_string())),
        );
        roots
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        Some(self.find(path))
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        Ok(self.find(path))
    }

    fn set_global(&self, name: KString, value: Value) -> Option<Value> {
        let data: &'a Data = self.arena.alloc(Data::from_value(&value));
        self.assigned.borrow_mut().insert(name, data);
        None
    }

    fn set_index(&self, name: KString, value: Value) -> Option<Value> {
        self.counters.borrow_mut().insert(name, value)
    }

    fn get_index<'s>(&'s self, name: &str) -> Option<ValueCow<'s>> {
        self.counters
            .borrow()
            .get(name)
            .map(|value| ValueCow::Owned(value.clone()))
    }

    fn registers(&self) -> &Registers {
        &self.registers
    }
}

/// The runtime inside an include: `include` is its parameters, the rest is the parent's.
pub struct IncludeFrame<'p> {
    pub parent: &'p dyn Runtime,
    pub include: &'p Data,
}

impl Runtime for IncludeFrame<'_> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }
    fn name(&self) -> Option<liquid_core::model::KStringRef<'_>> {
        self.parent.name()
    }
    fn roots(&self) -> std::collections::BTreeSet<KStringCow<'_>> {
        let mut roots = self.parent.roots();
        roots.insert(KStringCow::from_static("include"));
        roots
    }
    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        Some(self.get_lax(path))
    }
    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        Ok(self.get_lax(path))
    }
    fn set_global(&self, name: KString, value: Value) -> Option<Value> {
        self.parent.set_global(name, value)
    }
    fn set_index(&self, name: KString, value: Value) -> Option<Value> {
        self.parent.set_index(name, value)
    }
    fn get_index<'s>(&'s self, name: &str) -> Option<ValueCow<'s>> {
        self.parent.get_index(name)
    }
    fn registers(&self) -> &Registers {
        self.parent.registers()
    }
}

impl IncludeFrame<'_> {
    fn get_lax(&self, path: &[ScalarCow<'_>]) -> ValueCow<'_> {
        match path.first() {
            Some(first) if first.to_kstr().as_str() == "include" => {
                found(lookup(self.include, &path[1..]))
            }
            _ => self
                .parent
                .try_get(path)
                .unwrap_or(ValueCow::Borrowed(&MISSING)),
        }
    }
}

/// folio resolves includes itself; liquid-rust's partials are not used.
#[derive(Debug)]
struct NoPartials;

impl PartialStore for NoPartials {
    fn contains(&self, _name: &str) -> bool {
        false
    }
    fn names(&self) -> Vec<&str> {
        Vec::new()
    }
    fn try_get(&self, _name: &str) -> Option<Arc<dyn Renderable>> {
        None
    }
    fn get(&self, name: &str) -> Result<Arc<dyn Renderable>> {
        Err(liquid_core::Error::with_msg(format!("no partial `{name}`")))
    }
}

/// What the tags and filters of the page being rendered need: the site, the page, and the
/// problems found so far. Set for the length of one page's rendering on this thread (pages
/// render in parallel, each on one thread).
pub struct RenderScope {
    pub engine: Arc<Engine>,
    /// The page's folder under `content/` (`guide` for `guide/setup.md`).
    pub page_dir: String,
    pub findings: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// How deep includes are nested now.
    pub include_depth: usize,
}

thread_local! {
    static SCOPE: RefCell<Vec<RenderScope>> = const { RefCell::new(Vec::new()) };
}

/// Runs `body` with `scope` set, and gives the scope back with what was found.
pub fn with_render_scope<T>(
    scope: RenderScope,
    body: impl FnOnce() -> T,
) -> (T, Option<RenderScope>) {
    /// Takes the scope off again even when `body` unwinds.
    struct Pop(usize);
    impl Drop for Pop {
        fn drop(&mut self) {
            SCOPE.with(|stack| stack.borrow_mut().truncate(self.0));
        }
    }
    let depth = SCOPE.with(|stack| {
        let mut stack = stack.borrow_mut();
        stack.push(scope);
        stack.len() - 1
    });
    let guard = Pop(depth);
    let result = body();
    let scope = SCOPE.with(|stack| stack.borrow_mut().pop());
    drop(guard);
    (result, scope)
}

/// Calls `f` with the current scope; `None` outside rendering (tests of single filters).
pub fn scope<T>(f: impl FnOnce(&mut RenderScope) -> T) -> Option<T> {
    SCOPE.with(|stack| stack.borrow_mut().last_mut().map(f))
}
