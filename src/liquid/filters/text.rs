//! Jekyll's text filters: `slugify`, `markdownify`, `jsonify`, `number_of_words`,
//! `normalize_whitespace`.

use std::sync::LazyLock;

use liquid_core::{
    Display_filter, Expression, Filter, FilterParameters, FilterReflection, FromFilterParameters,
    ParseFilter, Result, Runtime, Value, ValueView,
};
use regex::Regex;

use crate::liquid::runtime::scope;

static DEFAULT_SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\p{M}\p{L}\p{Nd}]+").expect("a valid pattern"));
static RAW_SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+").expect("a valid pattern"));
static PRETTY_SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+").expect("a valid pattern"));
static ASCII_SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^A-Za-z0-9]+").expect("a valid pattern"));

/// Jekyll's `slugify`: `mode` is `default`, `raw`, `pretty`, `ascii` or `latin`; any other
/// mode (`none`) only lowercases.
pub fn slugify(text: &str, mode: &str) -> String {
    let separators = match mode {
        "default" | "latin" => &DEFAULT_SEPARATORS,
        "raw" => &RAW_SEPARATORS,
        "pretty" => &PRETTY_SEPARATORS,
        "ascii" => &ASCII_SEPARATORS,
        _ => return text.to_lowercase(),
    };
    let transliterated;
    let text = if mode == "latin" {
        transliterated = latin_to_ascii(text);
        transliterated.as_str()
    } else {
        text
    };
    let slug = separators.replace_all(text, "-");
    // One hyphen at each end goes (runs are already one hyphen).
    let slug = slug.strip_prefix('-').unwrap_or(&slug);
    let slug = slug.strip_suffix('-').unwrap_or(slug);
    slug.to_lowercase()
}

/// Accents dropped from Latin letters; other scripts become `?`, as Jekyll's transliteration
/// leaves them.
fn latin_to_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let latin = matches!(c as u32, 0..=0x024F | 0x1E00..=0x1EFF);
        if c.is_ascii() {
            out.push(c);
        } else if latin {
            out.push_str(deunicode::deunicode_char(c).unwrap_or("?"));
        } else {
            out.push('?');
        }
    }
    out
}

#[derive(Debug, FilterParameters)]
struct SlugifyArgs {
    #[parameter(
        description = "default, raw, pretty, ascii, latin or none.",
        arg_type = "any"
    )]
    mode: Option<Expression>,
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "slugify",
    description = "Turns text into a lowercase URL part.",
    parameters(SlugifyArgs),
    parsed(SlugifyFilter)
)]
pub struct Slugify;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "slugify"]
struct SlugifyFilter {
    #[parameters]
    args: SlugifyArgs,
}

impl Filter for SlugifyFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        if input.is_nil() {
            return Ok(Value::Nil);
        }
        let args = self.args.evaluate(runtime)?;
        let mode = args
            .mode
            .filter(|mode| !mode.is_nil())
            .map_or_else(|| "default".to_string(), |mode| mode.to_kstr().to_string());
        Ok(Value::scalar(slugify(input.to_kstr().as_str(), &mode)))
    }
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "markdownify",
    description = "Renders Markdown text as HTML.",
    parsed(MarkdownifyFilter)
)]
pub struct Markdownify;

#[derive(Debug, Default, Display_filter)]
#[name = "markdownify"]
struct MarkdownifyFilter;

impl Filter for MarkdownifyFilter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        let text = input.to_kstr();
        let html = scope(|s| s.engine.markdownify.clone())
            .map_or_else(|| super::super::plain_markdown(&text), |f| f(&text));
        Ok(Value::scalar(html))
    }
}

/// A value as JSON, keys in their order.
pub fn to_json(value: &dyn ValueView) -> serde_json::Value {
    use serde_json::Value as J;
    if value.is_nil() {
        return J::Null;
    }
    if let Some(scalar) = value.as_scalar() {
        match scalar.type_name() {
            "boolean" => return J::Bool(scalar.to_bool().unwrap_or(false)),
            "whole number" => return J::from(scalar.to_integer().unwrap_or(0)),
            "fractional number" => {
                let number = scalar.to_float().and_then(serde_json::Number::from_f64);
                return number.map_or(J::Null, J::Number);
            }
            _ => {}
        }
        return J::String(scalar.to_kstr().to_string());
    }
    if let Some(array) = value.as_array() {
        return J::Array(array.values().map(to_json).collect());
    }
    if let Some(object) = value.as_object() {
        let mut map = serde_json::Map::new();
        for (key, value) in object.iter() {
            map.insert(key.to_string(), to_json(value));
        }
        return J::Object(map);
    }
    J::Null
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "jsonify",
    description = "The value as JSON.",
    parsed(JsonifyFilter)
)]
pub struct Jsonify;

#[derive(Debug, Default, Display_filter)]
#[name = "jsonify"]
struct JsonifyFilter;

impl Filter for JsonifyFilter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        let json = serde_json::to_string(&to_json(input))
            .map_err(|e| liquid_core::Error::with_msg(e.to_string()))?;
        Ok(Value::scalar(json))
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3005 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303B
        | 0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x1100..=0x11FF | 0x3130..=0x318F
        | 0xAC00..=0xD7AF | 0xFF66..=0xFF9F | 0x20000..=0x3134F)
}

/// Jekyll's `number_of_words`: words between spaces; with `cjk` (or `auto` on text that has
/// any) each Chinese, Japanese or Korean character counts as a word.
pub fn number_of_words(text: &str, mode: &str) -> usize {
    let cjk = text.chars().filter(|c| is_cjk(*c)).count();
    let count_cjk = mode == "cjk" || (mode == "auto" && cjk > 0);
    if !count_cjk {
        return text.split_whitespace().count();
    }
    let other_words = text
        .split(|c: char| c.is_whitespace() || is_cjk(c))
        .filter(|word| !word.is_empty())
        .count();
    cjk + other_words
}

#[derive(Debug, FilterParameters)]
struct WordsArgs {
    #[parameter(description = "cjk or auto.", arg_type = "any")]
    mode: Option<Expression>,
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "number_of_words",
    description = "How many words the text has.",
    parameters(WordsArgs),
    parsed(NumberOfWordsFilter)
)]
pub struct NumberOfWords;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "number_of_words"]
struct NumberOfWordsFilter {
    #[parameters]
    args: WordsArgs,
}

impl Filter for NumberOfWordsFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        let mode = args
            .mode
            .map(|m| m.to_kstr().to_string())
            .unwrap_or_default();
        let count = number_of_words(input.to_kstr().as_str(), &mode);
        Ok(Value::scalar(count as i64))
    }
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "normalize_whitespace",
    description = "Each run of whitespace as one space.",
    parsed(NormalizeWhitespaceFilter)
)]
pub struct NormalizeWhitespace;

#[derive(Debug, Default, Display_filter)]
#[name = "normalize_whitespace"]
struct NormalizeWhitespaceFilter;

impl Filter for NormalizeWhitespaceFilter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        let text = input.to_kstr();
        let mut out = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
        Ok(Value::scalar(out))
    }
}
