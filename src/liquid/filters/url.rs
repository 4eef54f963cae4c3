//! Jekyll's URL and escaping filters: `relative_url`, `absolute_url`, `xml_escape`,
//! `cgi_escape`, `uri_escape`.

use liquid_core::{
    Display_filter, Filter, FilterReflection, ParseFilter, Result, Runtime, Value, ValueView,
};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::liquid::runtime::scope;

/// What `uri_escape` and URL normalisation keep: unreserved and reserved characters of a
/// URI, and `%` (an escape already there).
const URI_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'/')
    .remove(b'?')
    .remove(b'#')
    .remove(b'[')
    .remove(b']')
    .remove(b'%');

/// What `cgi_escape` keeps (Ruby's `CGI.escape`): letters, digits and `*-._~`… less `*`.
const CGI_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn uri_escape(text: &str) -> String {
    utf8_percent_encode(text, URI_KEEP).to_string()
}

/// Whether `url` has a scheme (`https:`, `mailto:`), and so is left alone.
fn is_absolute(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// `input` under the site's base path, as Jekyll's `relative_url` gives it.
pub fn relative_url(input: &str, base_path: &str) -> String {
    if is_absolute(input) {
        return input.to_string();
    }
    let mut url = base_path.trim_end_matches('/').to_string();
    if !input.is_empty() && !input.starts_with('/') {
        url.push('/');
    }
    url.push_str(input);
    uri_escape(&url)
}

/// `input` as a whole URL, as Jekyll's `absolute_url` gives it.
pub fn absolute_url(input: &str, base_path: &str, site_url: &str) -> String {
    if is_absolute(input) {
        return input.to_string();
    }
    let relative = relative_url(input, base_path);
    if site_url.is_empty() {
        return relative;
    }
    format!("{}{relative}", site_url.trim_end_matches('/'))
}

fn site_paths() -> (String, String) {
    scope(|s| (s.engine.base_path.clone(), s.engine.site_url.clone())).unwrap_or_default()
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "relative_url",
    description = "Prefixes a site path with the base path of the site.",
    parsed(RelativeUrlFilter)
)]
pub struct RelativeUrl;

#[derive(Debug, Default, Display_filter)]
#[name = "relative_url"]
struct RelativeUrlFilter;

impl Filter for RelativeUrlFilter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        if input.is_nil() {
            return Ok(Value::Nil);
        }
        let (base_path, _) = site_paths();
        Ok(Value::scalar(relative_url(
            input.to_kstr().as_str(),
            &base_path,
        )))
    }
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "absolute_url",
    description = "Turns a site path into a whole URL with the site's address.",
    parsed(AbsoluteUrlFilter)
)]
pub struct AbsoluteUrl;

#[derive(Debug, Default, Display_filter)]
#[name = "absolute_url"]
struct AbsoluteUrlFilter;

impl Filter for AbsoluteUrlFilter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        if input.is_nil() {
            return Ok(Value::Nil);
        }
        let (base_path, site_url) = site_paths();
        Ok(Value::scalar(absolute_url(
            input.to_kstr().as_str(),
            &base_path,
            &site_url,
        )))
    }
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "xml_escape",
    description = "Escapes text for XML and HTML.",
    parsed(XmlEscapeFilter)
)]
pub struct XmlEscape;

#[derive(Debug, Default, Display_filter)]
#[name = "xml_escape"]
struct XmlEscapeFilter;

impl Filter for XmlEscapeFilter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        let text = input.to_kstr();
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                c => out.push(c),
            }
        }
        Ok(Value::scalar(out))
    }
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "cgi_escape",
    description = "Escapes text for a URL query (spaces become `+`).",
    parsed(CgiEscapeFilter)
)]
pub struct CgiEscape;

#[derive(Debug, Default, Display_filter)]
#[name = "cgi_escape"]
struct CgiEscapeFilter;

impl Filter for CgiEscapeFilter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        let text = input.to_kstr();
        let escaped = text
            .split(' ')
            .map(|part| utf8_percent_encode(part, CGI_KEEP).to_string())
            .collect::<Vec<_>>()
            .join("+");
        Ok(Value::scalar(escaped))
    }
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "uri_escape",
    description = "Escapes the characters a URI may not hold.",
    parsed(UriEscapeFilter)
)]
pub struct UriEscape;

#[derive(Debug, Default, Display_filter)]
#[name = "uri_escape"]
struct UriEscapeFilter;

impl Filter for UriEscapeFilter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        Ok(Value::scalar(uri_escape(input.to_kstr().as_str())))
    }
}
