//! The values pages see (`site`, `page`, `include`, assigned variables), lax as Jekyll is.
//!
//! liquid-rust stops with "Unknown index" on `{{ page.nothing }}`; Jekyll renders it empty,
//! and just-the-docs pages rely on that (`{% if page.has_toc != false %}`). [`Data`] is a
//! value tree whose objects answer every missing key with [`Data::Missing`] (nil, and itself
//! an empty object, so `page.a.b` is empty too) and whose arrays answer a missing index
//! with it, so a lookup through them never fails.

use std::collections::BTreeMap;
use std::fmt;

use liquid_core::model::{
    ArrayView, DisplayCow, KString, KStringCow, ObjectView, Scalar, ScalarCow, State, Value,
    ValueView,
};

/// A lax value (see the module doc).
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Nil,
    /// What a missing key or index gives: nil that can be indexed further.
    Missing,
    Scalar(Scalar),
    Array(Vec<Data>),
    Object(DataMap),
}

/// The answer to every lookup that finds nothing.
pub static MISSING: Data = Data::Missing;

/// An object's keys in the order they were written (Jekyll keeps YAML order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataMap {
    keys: Vec<KString>,
    values: BTreeMap<KString, Data>,
    /// `obj.size`, answered when the object has no `size` key.
    size: Option<Box<Data>>,
}

impl DataMap {
    pub fn new() -> Self {
        DataMap::default()
    }

    /// Sets `key` (a new key goes last; an existing one keeps its place).
    pub fn insert(&mut self, key: impl AsRef<str>, value: Data) {
        let key = KString::from_ref(key.as_ref());
        if self.values.insert(key.clone(), value).is_none() {
            self.keys.push(key);
        }
        self.size = Some(Box::new(Data::Scalar(Scalar::new(self.keys.len() as i64))));
    }

    pub fn get_data(&self, key: &str) -> Option<&Data> {
        self.values.get(key)
    }

    pub fn get_data_mut(&mut self, key: &str) -> Option<&mut Data> {
        self.values.get_mut(key)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn iter_data(&self) -> impl Iterator<Item = (&KString, &Data)> {
        self.keys
            .iter()
            .filter_map(|key| self.values.get(key).map(|value| (key, value)))
    }
}

impl Data {
    pub fn string(text: impl Into<String>) -> Data {
        Data::Scalar(Scalar::new(text.into()))
    }

    /// A deep copy of a liquid value, made lax.
    pub fn from_value(value: &dyn ValueView) -> Data {
        if value.is_nil() {
            return Data::Nil;
        }
        if let Some(scalar) = value.as_scalar() {
            return Data::Scalar(scalar.into_owned());
        }
        if let Some(array) = value.as_array() {
            return Data::Array(array.values().map(Data::from_value).collect());
        }
        if let Some(object) = value.as_object() {
            let mut map = DataMap::new();
            for (key, value) in object.iter() {
                map.insert(key.as_str(), Data::from_value(value));
            }
            return Data::Object(map);
        }
        // Empty and blank states.
        Data::Nil
    }

    /// YAML (front matter, data files) as Jekyll reads it.
    pub fn from_yaml(value: &serde_yaml::Value) -> Data {
        use serde_yaml::Value as Y;
        match value {
            Y::Null => Data::Nil,
            Y::Bool(b) => Data::Scalar(Scalar::new(*b)),
            Y::Number(n) => number(n.as_i64(), n.as_f64()),
            Y::String(s) => Data::string(s.as_str()),
            Y::Sequence(items) => Data::Array(items.iter().map(Data::from_yaml).collect()),
            Y::Mapping(map) => Data::Object(map_from_yaml(map)),
            Y::Tagged(tagged) => Data::from_yaml(&tagged.value),
        }
    }

    pub fn from_json(value: &serde_json::Value) -> Data {
        use serde_json::Value as J;
        match value {
            J::Null => Data::Nil,
            J::Bool(b) => Data::Scalar(Scalar::new(*b)),
            J::Number(n) => number(n.as_i64(), n.as_f64()),
            J::String(s) => Data::string(s.as_str()),
            J::Array(items) => Data::Array(items.iter().map(Data::from_json).collect()),
            J::Object(map) => {
                let mut out = DataMap::new();
                for (key, value) in map {
                    out.insert(key.as_str(), Data::from_json(value));
                }
                Data::Object(out)
            }
        }
    }

    pub fn from_toml(value: &toml::Value) -> Data {
        use toml::Value as T;
        match value {
            T::String(s) => Data::string(s.as_str()),
            T::Integer(i) => Data::Scalar(Scalar::new(*i)),
            T::Float(f) => Data::Scalar(Scalar::new(*f)),
            T::Boolean(b) => Data::Scalar(Scalar::new(*b)),
            T::Datetime(d) => Data::string(d.to_string()),
            T::Array(items) => Data::Array(items.iter().map(Data::from_toml).collect()),
            T::Table(table) => Data::Object(map_from_toml(table)),
        }
    }
}

/// A YAML mapping as an object (keys that are not strings are written as YAML writes them).
pub fn map_from_yaml(map: &serde_yaml::Mapping) -> DataMap {
    let mut out = DataMap::new();
    for (key, value) in map {
        let key = match key {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) => n.to_string(),
            serde_yaml::Value::Bool(b) => b.to_string(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        };
        out.insert(key, Data::from_yaml(value));
    }
    out
}

pub fn map_from_toml(table: &toml::Table) -> DataMap {
    let mut out = DataMap::new();
    for (key, value) in table {
        out.insert(key.as_str(), Data::from_toml(value));
    }
    out
}

fn number(int: Option<i64>, float: Option<f64>) -> Data {
    match (int, float) {
        (Some(i), _) => Data::Scalar(Scalar::new(i)),
        (None, Some(f)) => Data::Scalar(Scalar::new(f)),
        (None, None) => Data::Nil,
    }
}

/// An empty object: what `Missing` is when indexed.
static EMPTY_MAP: std::sync::LazyLock<DataMap> = std::sync::LazyLock::new(DataMap::new);

/// Renders an array as Liquid does: its items one after the other.
struct ArrayText<'a>(&'a [Data]);

impl fmt::Display for ArrayText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for item in self.0 {
            write!(f, "{}", item.render())?;
        }
        Ok(())
    }
}

impl ValueView for Data {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }

    fn render(&self) -> DisplayCow<'_> {
        match self {
            Data::Nil | Data::Missing => DisplayCow::Borrowed(&""),
            Data::Scalar(s) => s.render(),
            Data::Array(items) => DisplayCow::Owned(Box::new(ArrayText(items))),
            Data::Object(_) => DisplayCow::Owned(Box::new(self.to_value().render().to_string())),
        }
    }

    fn source(&self) -> DisplayCow<'_> {
        match self {
            Data::Nil | Data::Missing => DisplayCow::Borrowed(&"nil"),
            Data::Scalar(s) => s.source(),
            _ => DisplayCow::Owned(Box::new(self.to_value().source().to_string())),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Data::Nil | Data::Missing => "nil",
            Data::Scalar(s) => s.type_name(),
            Data::Array(_) => "array",
            Data::Object(_) => "object",
        }
    }

    fn query_state(&self, state: State) -> bool {
        match self {
            Data::Nil | Data::Missing => !matches!(state, State::Truthy),
            Data::Scalar(s) => s.query_state(state),
            Data::Array(items) => match state {
                State::Truthy => true,
                _ => items.is_empty(),
            },
            Data::Object(map) => match state {
                State::Truthy => true,
                _ => map.is_empty(),
            },
        }
    }

    fn to_kstr(&self) -> KStringCow<'_> {
        match self {
            Data::Nil | Data::Missing => KStringCow::from_static(""),
            Data::Scalar(s) => s.to_kstr(),
            _ => KStringCow::from_string(self.render().to_string()),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Data::Nil | Data::Missing => Value::Nil,
            Data::Scalar(s) => Value::Scalar(s.clone()),
            Data::Array(items) => Value::Array(items.iter().map(Data::to_value).collect()),
            Data::Object(map) => {
                let mut object = liquid_core::Object::new();
                for (key, value) in map.iter_data() {
                    object.insert(key.clone(), value.to_value());
                }
                Value::Object(object)
            }
        }
    }

    fn as_scalar(&self) -> Option<ScalarCow<'_>> {
        match self {
            Data::Scalar(s) => Some(s.as_ref()),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&dyn ArrayView> {
        match self {
            Data::Array(_) => Some(self),
            _ => None,
        }
    }

    fn as_object(&self) -> Option<&dyn ObjectView> {
        match self {
            Data::Object(map) => Some(map),
            Data::Missing => Some(&*EMPTY_MAP),
            _ => None,
        }
    }

    fn is_nil(&self) -> bool {
        matches!(self, Data::Nil | Data::Missing)
    }
}

impl ArrayView for Data {
    fn as_value(&self) -> &dyn ValueView {
        self
    }

    fn size(&self) -> i64 {
        match self {
            Data::Array(items) => items.len() as i64,
            _ => 0,
        }
    }

    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        match self {
            Data::Array(items) => Box::new(items.iter().map(|item| item as &dyn ValueView)),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn contains_key(&self, index: i64) -> bool {
        self.item(index).is_some()
    }

    fn get(&self, index: i64) -> Option<&dyn ValueView> {
        Some(self.item(index).unwrap_or(&MISSING))
    }

    fn first(&self) -> Option<&dyn ValueView> {
        Some(self.item(0).unwrap_or(&MISSING))
    }

    fn last(&self) -> Option<&dyn ValueView> {
        Some(self.item(-1).unwrap_or(&MISSING))
    }
}

impl Data {
    /// The item at `index` (negative counts from the end), if there is one.
    fn item(&self, index: i64) -> Option<&Data> {
        let Data::Array(items) = self else {
            return None;
        };
        let len = items.len() as i64;
        let index = if index < 0 { len + index } else { index };
        usize::try_from(index)
            .ok()
            .and_then(|i| items.as_slice().get(i))
    }
}

impl ValueView for DataMap {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(self.to_value().render().to_string()))
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(self.to_value().source().to_string()))
    }
    fn type_name(&self) -> &'static str {
        "object"
    }
    fn query_state(&self, state: State) -> bool {
        match state {
            State::Truthy => true,
            _ => self.is_empty(),
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(self.render().to_string())
    }
    fn to_value(&self) -> Value {
        let mut object = liquid_core::Object::new();
        for (key, value) in self.iter_data() {
            object.insert(key.clone(), value.to_value());
        }
        Value::Object(object)
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for DataMap {
    fn as_value(&self) -> &dyn ValueView {
        self
    }

    fn size(&self) -> i64 {
        self.len() as i64
    }

    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(
            self.keys
                .iter()
                .map(|key| KStringCow::from_ref(key.as_str())),
        )
    }

    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.iter_data().map(|(_, value)| value as &dyn ValueView))
    }

    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(
            self.iter_data()
                .map(|(key, value)| (KStringCow::from_ref(key.as_str()), value as &dyn ValueView)),
        )
    }

    fn contains_key(&self, index: &str) -> bool {
        self.values.contains_key(index)
    }

    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        if let Some(value) = self.values.get(index) {
            return Some(value);
        }
        if index == "size" {
            return Some(self.size.as_deref().unwrap_or(&ZERO));
        }
        Some(&MISSING)
    }
}

static ZERO: std::sync::LazyLock<Data> =
    std::sync::LazyLock::new(|| Data::Scalar(Scalar::new(0i64)));

/// Looks `path` up under `root` the lax way: a missing step gives [`MISSING`].
pub fn lookup<'a>(root: &'a Data, path: &[ScalarCow<'_>]) -> LookupResult<'a> {
    let mut current = root;
    for (i, index) in path.iter().enumerate() {
        let next = match current {
            Data::Object(map) => {
                let key = index.to_kstr();
                match map.get_data(key.as_str()) {
                    Some(value) => value,
                    None if key.as_str() == "size" => {
                        return LookupResult::Size(map.len(), i + 1 == path.len());
                    }
                    None => &MISSING,
                }
            }
            Data::Array(items) => match index.to_integer() {
                Some(n) => current.item(n).unwrap_or(&MISSING),
                None => match index.to_kstr().as_str() {
                    "first" => items.as_slice().first().unwrap_or(&MISSING),
                    "last" => items.as_slice().last().unwrap_or(&MISSING),
                    "size" => return LookupResult::Size(items.len(), i + 1 == path.len()),
                    _ => &MISSING,
                },
            },
            Data::Scalar(s) if index.to_kstr().as_str() == "size" => {
                return LookupResult::Size(s.to_kstr().len(), i + 1 == path.len());
            }
            _ => &MISSING,
        };
        current = next;
    }
    LookupResult::Found(current)
}

/// What [`lookup`] finds.
pub enum LookupResult<'a> {
    Found(&'a Data),
    /// A `size` that is not a key; `true` when it ends the path (else the path goes on past
    /// a number, which finds nothing).
    Size(usize, bool),
}
