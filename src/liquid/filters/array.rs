//! Jekyll's array filters: `where`, `where_exp`, `sort`, `group_by`,
//! `array_to_sentence_string`.

use std::cmp::Ordering;
use std::sync::LazyLock;

use liquid_core::model::{ScalarCow, ValueCow};
use liquid_core::{
    Display_filter, Expression, Filter, FilterParameters, FilterReflection, FromFilterParameters,
    Language, ParseFilter, Renderable, Result, Runtime, Template, Value, ValueView,
};

use crate::liquid::data::{Data, LookupResult, lookup};

/// The items of an array, the values of an object, or nothing.
fn items(input: &dyn ValueView) -> Vec<Data> {
    if let Some(array) = input.as_array() {
        array.values().map(Data::from_value).collect()
    } else if let Some(object) = input.as_object() {
        object.values().map(Data::from_value).collect()
    } else {
        Vec::new()
    }
}

/// `item.a.b` for property `a.b` (Jekyll reads dotted properties), or nil.
fn property<'a>(item: &'a Data, property: &str) -> Option<&'a Data> {
    let path: Vec<ScalarCow<'_>> = property.split('.').map(ScalarCow::new).collect();
    match lookup(item, &path) {
        LookupResult::Found(data) if !data.is_nil() => Some(data),
        _ => None,
    }
}

fn array(items: impl IntoIterator<Item = Data>) -> Value {
    Value::Array(items.into_iter().map(|item| item.to_value()).collect())
}

#[derive(Debug, FilterParameters)]
struct WhereArgs {
    #[parameter(description = "The property to compare.", arg_type = "any")]
    property: Expression,
    #[parameter(description = "The value it must have.", arg_type = "any")]
    value: Expression,
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "where",
    description = "The items whose property has the given value.",
    parameters(WhereArgs),
    parsed(WhereFilter)
)]
pub struct Where;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "where"]
struct WhereFilter {
    #[parameters]
    args: WhereArgs,
}

impl Filter for WhereFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        if args.value.is_array() || args.value.is_object() {
            return Ok(input.to_value());
        }
        let name = args.property.to_kstr();
        let target = (!args.value.is_nil()).then(|| args.value.to_kstr().to_string());
        let kept = items(input).into_iter().filter(|item| {
            let found = property(item, name.as_str());
            match (&target, found) {
                (None, found) => found.is_none(),
                (Some(_), None) => false,
                (Some(target), Some(Data::Array(values))) => {
                    values.iter().any(|v| v.to_kstr().as_str() == target)
                }
                (Some(target), Some(value)) => value.to_kstr().as_str() == target,
            }
        });
        Ok(array(kept))
    }
}

/// The language conditions of `where_exp` are read in: `if` alone.
static CONDITION_LANGUAGE: LazyLock<Language> = LazyLock::new(|| {
    let mut language = Language::empty();
    language.blocks.register(
        "if".to_string(),
        Box::new(liquid_lib::stdlib::IfBlock) as Box<dyn liquid_core::ParseBlock>,
    );
    language
});

#[derive(Debug, FilterParameters)]
struct WhereExpArgs {
    #[parameter(
        description = "The name each item has in the condition.",
        arg_type = "str"
    )]
    variable: Expression,
    #[parameter(description = "The condition, as in `{% if %}`.", arg_type = "str")]
    condition: Expression,
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "where_exp",
    description = "The items for which a condition holds.",
    parameters(WhereExpArgs),
    parsed(WhereExpFilter)
)]
pub struct WhereExp;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "where_exp"]
struct WhereExpFilter {
    #[parameters]
    args: WhereExpArgs,
}

impl Filter for WhereExpFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        let variable = args.variable.trim().to_string();
        let source = format!("{{% if {} %}}1{{% endif %}}", args.condition);
        let condition = Template::new(
            liquid_core::parser::parse(&source, &CONDITION_LANGUAGE).map_err(|_| {
                liquid_core::Error::with_msg(format!(
                    "`where_exp` cannot read the condition `{}`",
                    args.condition
                ))
            })?,
        );
        let mut kept = Vec::new();
        for item in items(input) {
            let holds = {
                let mut named = crate::liquid::data::DataMap::new();
                named.insert(variable.as_str(), item.clone());
                let scope = Data::Object(named);
                let frame = ItemFrame {
                    parent: runtime,
                    name: &variable,
                    scope: &scope,
                };
                condition.render(&frame)? == "1"
            };
            if holds {
                kept.push(item);
            }
        }
        Ok(array(kept))
    }
}

/// A runtime where one more name is set: the item `where_exp` tests.
struct ItemFrame<'p> {
    parent: &'p dyn Runtime,
    name: &'p str,
    /// An object holding the item under `name`.
    scope: &'p Data,
}

impl Runtime for ItemFrame<'_> {
    fn partials(&self) -> &dyn liquid_core::runtime::PartialStore {
        self.parent.partials()
    }
    fn name(&self) -> Option<liquid_core::model::KStringRef<'_>> {
        self.parent.name()
    }
    fn roots(&self) -> std::collections::BTreeSet<liquid_core::model::KStringCow<'_>> {
        self.parent.roots()
    }
    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        Some(self.find(path))
    }
    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        Ok(self.find(path))
    }
    fn set_global(&self, name: liquid_core::model::KString, value: Value) -> Option<Value> {
        self.parent.set_global(name, value)
    }
    fn set_index(&self, name: liquid_core::model::KString, value: Value) -> Option<Value> {
        self.parent.set_index(name, value)
    }
    fn get_index<'s>(&'s self, name: &str) -> Option<ValueCow<'s>> {
        self.parent.get_index(name)
    }
    fn registers(&self) -> &liquid_core::runtime::Registers {
        self.parent.registers()
    }
}

impl ItemFrame<'_> {
    fn find(&self, path: &[ScalarCow<'_>]) -> ValueCow<'_> {
        match path.first() {
            Some(first) if first.to_kstr().as_str() == self.name => {
                // The item is looked up the lax way, as `page` is.
                match lookup(self.scope, path) {
                    LookupResult::Found(data) => ValueCow::Borrowed(data),
                    LookupResult::Size(size, true) => ValueCow::Owned(Value::scalar(size as i64)),
                    LookupResult::Size(_, false) => {
                        ValueCow::Borrowed(&crate::liquid::data::MISSING)
                    }
                }
            }
            _ => self
                .parent
                .try_get(path)
                .unwrap_or(ValueCow::Borrowed(&crate::liquid::data::MISSING)),
        }
    }
}

/// Jekyll's order of two values: numbers by value, anything else as text.
fn compare(a: &Data, b: &Data) -> Ordering {
    let number = |d: &Data| match d {
        Data::Scalar(s) if matches!(s.type_name(), "whole number" | "fractional number") => {
            s.to_float()
        }
        _ => None,
    };
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.to_kstr().as_str().cmp(b.to_kstr().as_str()),
    }
}

#[derive(Debug, FilterParameters)]
struct SortArgs {
    #[parameter(description = "The property to sort by.", arg_type = "any")]
    property: Option<Expression>,
    #[parameter(
        description = "Where items without it go: first or last.",
        arg_type = "any"
    )]
    nils: Option<Expression>,
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "sort",
    description = "The items in order, by a property if one is given.",
    parameters(SortArgs),
    parsed(SortFilter)
)]
pub struct Sort;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "sort"]
struct SortFilter {
    #[parameters]
    args: SortArgs,
}

impl Filter for SortFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        if input.is_nil() {
            return Err(liquid_core::Error::with_msg("cannot sort nil"));
        }
        let mut items = items(input);
        let property_name = args
            .property
            .filter(|p| !p.is_nil())
            .map(|p| p.to_kstr().to_string());
        let Some(name) = property_name else {
            items.sort_by(compare);
            return Ok(array(items));
        };
        let nils_last = match args.nils.map(|n| n.to_kstr().to_string()).as_deref() {
            None | Some("first") => false,
            Some("last") => true,
            Some(other) => {
                return Err(liquid_core::Error::with_msg(format!(
                    "invalid nils order `{other}`: it must be `first` or `last`"
                )));
            }
        };
        items.sort_by(|a, b| match (property(a, &name), property(b, &name)) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) if nils_last => Ordering::Greater,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) if nils_last => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => compare(x, y),
        });
        Ok(array(items))
    }
}

#[derive(Debug, FilterParameters)]
struct GroupByArgs {
    #[parameter(description = "The property to group by.", arg_type = "any")]
    property: Expression,
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "group_by",
    description = "Groups of items with the same property: name, items and size each.",
    parameters(GroupByArgs),
    parsed(GroupByFilter)
)]
pub struct GroupBy;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "group_by"]
struct GroupByFilter {
    #[parameters]
    args: GroupByArgs,
}

impl Filter for GroupByFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        let name = args.property.to_kstr();
        let mut groups: Vec<(String, Vec<Data>)> = Vec::new();
        for item in items(input) {
            let key = property(&item, name.as_str())
                .map(|v| v.to_kstr().to_string())
                .unwrap_or_default();
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(item),
                None => groups.push((key, vec![item])),
            }
        }
        let groups = groups.into_iter().map(|(key, members)| {
            let mut group = liquid_core::Object::new();
            group.insert("name".into(), Value::scalar(key));
            group.insert("size".into(), Value::scalar(members.len() as i64));
            group.insert("items".into(), array(members));
            Value::Object(group)
        });
        Ok(Value::Array(groups.collect()))
    }
}

#[derive(Debug, FilterParameters)]
struct SentenceArgs {
    #[parameter(description = "The word before the last item (and).", arg_type = "any")]
    connector: Option<Expression>,
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "array_to_sentence_string",
    description = "The items as a sentence: `a, b, and c`.",
    parameters(SentenceArgs),
    parsed(SentenceFilter)
)]
pub struct ArrayToSentenceString;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "array_to_sentence_string"]
struct SentenceFilter {
    #[parameters]
    args: SentenceArgs,
}

/// Jekyll's `array_to_sentence_string`.
pub fn sentence(words: &[String], connector: &str) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} {connector} {b}"),
        [rest @ .., last] => format!("{}, {connector} {last}", rest.join(", ")),
    }
}

impl Filter for SentenceFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        let connector = args
            .connector
            .map_or_else(|| "and".to_string(), |c| c.to_kstr().to_string());
        let words: Vec<String> = match input.as_array() {
            Some(array) => array.values().map(|v| v.render().to_string()).collect(),
            None if input.is_nil() => Vec::new(),
            None => vec![input.render().to_string()],
        };
        Ok(Value::scalar(sentence(&words, &connector)))
    }
}
