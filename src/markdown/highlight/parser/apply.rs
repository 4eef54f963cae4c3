//! What taking a match does: the scope changes it writes, and the change of context stack.
//!
//! The order of scope operations follows Sublime Text's (as syntect reproduces it), odd
//! cases included: `set` keeps the meta scopes of the context it replaces on the matched
//! text, and `clear_scopes` is undone after the token that pops.

use syntect::parsing::{Region, ScopeStackOp};

use super::{Best, GrammarError, Level, LineParser, Result, context};
use crate::markdown::highlight::grammar::{Context, ContextId, Operation};

type Ops = Vec<(usize, ScopeStackOp)>;

impl LineParser {
    /// Writes the scope changes of `best` into `ops` and changes the stack.
    pub(super) fn apply_match(
        &mut self,
        line: &str,
        best: &Best,
        region: Option<&Region>,
        level_context: &'static Context,
        captured: &mut Vec<((usize, i32), ScopeStackOp)>,
        ops: &mut Ops,
    ) -> Result<()> {
        let pattern = best.pattern;
        meta_ops(true, best.start, level_context, &pattern.operation, ops)?;
        for scope in &pattern.scope {
            ops.push((best.start, ScopeStackOp::Push(*scope)));
        }
        if let Some(capture_scopes) = &pattern.captures {
            let region = region.ok_or(GrammarError)?;
            // Captures may be listed in any order and nest: sort by start, longer first,
            // with each pop after every push at the same place (stable, like syntect).
            captured.clear();
            for (group, scopes) in capture_scopes {
                let Some((start, end)) = region.pos(*group) else {
                    continue;
                };
                if start == end {
                    continue;
                }
                let longest_first = -((end - start) as i32);
                for scope in scopes {
                    captured.push(((start, longest_first), ScopeStackOp::Push(*scope)));
                }
                captured.push(((end, i32::MIN), ScopeStackOp::Pop(scopes.len())));
            }
            captured.sort_by_key(|(key, _)| *key);
            ops.extend(captured.drain(..).map(|((at, _), op)| (at, op)));
        }
        if !pattern.scope.is_empty() {
            ops.push((best.end, ScopeStackOp::Pop(pattern.scope.len())));
        }
        meta_ops(false, best.end, level_context, &pattern.operation, ops)?;
        self.change_stack(line, region, best)
    }

    fn change_stack(&mut self, line: &str, region: Option<&Region>, best: &Best) -> Result<()> {
        let pattern = best.pattern;
        let (targets, mut kept_prototypes) = match &pattern.operation {
            Operation::Push(targets) => (targets, None),
            // A `with_prototype` stays while its level is replaced with `set`.
            Operation::Set(targets) => (targets, self.stack.pop().map(|level| level.prototypes)),
            Operation::Pop => {
                self.stack.pop();
                return Ok(());
            }
            Operation::None => return Ok(()),
        };
        for (index, target) in targets.iter().enumerate() {
            let mut prototypes = if index == 0 {
                kept_prototypes.take().unwrap_or_default()
            } else {
                Vec::new()
            };
            // A `with_prototype` applies to the last context pushed, the one on top.
            if index + 1 == targets.len()
                && let Some(with_prototype) = &pattern.with_prototype
            {
                prototypes.push(with_prototype.ok_or(GrammarError)?);
            }
            let id: ContextId = target.ok_or(GrammarError)?;
            let pushed = context(id)?;
            let mut uses_backrefs = pushed.uses_backrefs;
            for prototype in &prototypes {
                uses_backrefs = uses_backrefs || context(*prototype)?.uses_backrefs;
            }
            let captures = if uses_backrefs {
                let region = region.ok_or(GrammarError)?;
                Some(Box::new((region.clone(), line.to_owned())))
            } else {
                None
            };
            self.stack.push(Level {
                context: id,
                prototypes,
                captures,
            });
        }
        Ok(())
    }
}

/// The meta scopes a context change adds or removes at `at`: before the matched text
/// (`initial`) or after it.
fn meta_ops(
    initial: bool,
    at: usize,
    current: &Context,
    operation: &Operation,
    ops: &mut Ops,
) -> Result<()> {
    match operation {
        Operation::Pop => {
            let scopes = if initial {
                &current.meta_content_scope
            } else {
                &current.meta_scope
            };
            if !scopes.is_empty() {
                ops.push((at, ScopeStackOp::Pop(scopes.len())));
            }
            if !initial && current.clear_scopes.is_some() {
                ops.push((at, ScopeStackOp::Restore));
            }
        }
        Operation::Push(targets) | Operation::Set(targets) => {
            let is_set = matches!(operation, Operation::Set(_));
            if initial {
                if is_set && current.clear_scopes.is_some() {
                    ops.push((at, ScopeStackOp::Restore));
                }
                for target in targets {
                    let target = context(target.ok_or(GrammarError)?)?;
                    if !is_set && let Some(amount) = target.clear_scopes {
                        ops.push((at, ScopeStackOp::Clear(amount)));
                    }
                    for scope in &target.meta_scope {
                        ops.push((at, ScopeStackOp::Push(*scope)));
                    }
                }
                return Ok(());
            }
            let mut repush = is_set
                && (!current.meta_scope.is_empty() || !current.meta_content_scope.is_empty());
            for target in targets {
                let target = context(target.ok_or(GrammarError)?)?;
                repush = repush
                    || !target.meta_content_scope.is_empty()
                    || (target.clear_scopes.is_some() && is_set);
            }
            if !repush {
                return Ok(());
            }
            // Take the pushed meta scopes off and put them back with the content scopes,
            // so the content scopes come in the right order.
            let mut pops = 0;
            for target in targets {
                pops += context(target.ok_or(GrammarError)?)?.meta_scope.len();
            }
            if is_set {
                pops += current.meta_content_scope.len() + current.meta_scope.len();
            }
            if pops > 0 {
                ops.push((at, ScopeStackOp::Pop(pops)));
            }
            for target in targets {
                let target = context(target.ok_or(GrammarError)?)?;
                if is_set && let Some(amount) = target.clear_scopes {
                    ops.push((at, ScopeStackOp::Clear(amount)));
                }
                for scope in target.meta_scope.iter().chain(&target.meta_content_scope) {
                    ops.push((at, ScopeStackOp::Push(*scope)));
                }
            }
        }
        Operation::None => {}
    }
    Ok(())
}
