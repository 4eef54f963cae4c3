//! Jekyll's date filters: `date_to_string`, `date_to_long_string`, `date_to_xmlschema`,
//! `date_to_rfc822`.
//!
//! Jekyll shows a date in the time zone of the machine that builds (or `timezone:`); folio
//! keeps the offset written with the date (UTC when none is), so a build is the same
//! wherever it runs.

use jiff::Zoned;
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use liquid_core::{
    Display_filter, Expression, Filter, FilterParameters, FilterReflection, FromFilterParameters,
    ParseFilter, Result, Runtime, Value, ValueView,
};

/// Formats with an offset, then formats without one (read as UTC).
const ZONED_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M %z",
    "%a, %d %b %Y %H:%M:%S %z",
];
const CIVIL_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
];
const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
];

/// Reads a date as Jekyll's pages write them.
pub fn parse_date(text: &str) -> Option<Zoned> {
    let text = text.trim();
    if text == "now" || text == "today" {
        return Some(Zoned::now());
    }
    let utc = TimeZone::fixed(Offset::UTC);
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        let offset = text
            .rfind(['+', '-'])
            .filter(|&i| i > 10)
            .and_then(|i| jiff::fmt::strtime::parse("%z", text[i..].replace(':', "")).ok())
            .and_then(|t| t.offset());
        let zone = offset.map_or(utc.clone(), TimeZone::fixed);
        return Some(ts.to_zoned(zone));
    }
    for format in ZONED_FORMATS {
        if let Ok(parsed) = jiff::fmt::strtime::parse(format, text)
            && let Ok(zoned) = parsed.to_zoned()
        {
            return Some(zoned);
        }
    }
    for format in CIVIL_FORMATS {
        if let Ok(dt) = DateTime::strptime(format, text) {
            return dt.to_zoned(utc.clone()).ok();
        }
    }
    for format in DATE_FORMATS {
        if let Ok(date) = Date::strptime(format, text) {
            return date.to_zoned(utc.clone()).ok();
        }
    }
    if let Ok(seconds) = text.parse::<i64>() {
        return jiff::Timestamp::from_second(seconds)
            .ok()
            .map(|ts| ts.to_zoned(utc));
    }
    None
}

fn ordinal(day: i8) -> &'static str {
    match (day % 100, day % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    }
}

/// Jekyll's `date_to_string` (`long`: `date_to_long_string`), with its `ordinal` type and
/// `US` style.
pub fn date_to_string(date: &Zoned, long: bool, ordinal_type: bool, us: bool) -> String {
    let month = if long { "%B" } else { "%b" };
    if ordinal_type {
        let day = date.day();
        let day = format!("{day}{}", ordinal(day));
        return if us {
            date.strftime(&format!("{month} {day}, %Y")).to_string()
        } else {
            date.strftime(&format!("{day} {month} %Y")).to_string()
        };
    }
    date.strftime(&format!("%d {month} %Y")).to_string()
}

/// The input as a date, or `None` when it is empty (Jekyll then gives it back as it is).
fn input_date(input: &dyn ValueView) -> Result<Option<Zoned>> {
    let text = input.to_kstr();
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_date(text.as_str()).map(Some).ok_or_else(|| {
        liquid_core::Error::with_msg(format!(
            "`{text}` is not a date folio can read (write dates as 2024-03-05 or 2024-03-05 14:07:00 +0100)"
        ))
    })
}

#[derive(Debug, FilterParameters)]
struct DateStringArgs {
    #[parameter(description = "`ordinal` for 5th.", arg_type = "any")]
    kind: Option<Expression>,
    #[parameter(description = "`US` for Mar 5th, 2024.", arg_type = "any")]
    style: Option<Expression>,
}

/// `date_to_string` and `date_to_long_string`.
fn date_string(
    input: &dyn ValueView,
    args: &DateStringArgs,
    runtime: &dyn Runtime,
    long: bool,
) -> Result<Value> {
    let args = args.evaluate(runtime)?;
    let Some(date) = input_date(input)? else {
        return Ok(input.to_value());
    };
    let is = |arg: &Option<liquid_core::ValueCow<'_>>, word: &str| {
        arg.as_ref().is_some_and(|a| a.to_kstr().as_str() == word)
    };
    let ordinal = is(&args.kind, "ordinal");
    let us = is(&args.style, "US");
    Ok(Value::scalar(date_to_string(&date, long, ordinal, us)))
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "date_to_string",
    description = "A date as 05 Mar 2024.",
    parameters(DateStringArgs),
    parsed(DateToStringFilter)
)]
pub struct DateToString;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "date_to_string"]
struct DateToStringFilter {
    #[parameters]
    args: DateStringArgs,
}

impl Filter for DateToStringFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        date_string(input, &self.args, runtime, false)
    }
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "date_to_long_string",
    description = "A date as 05 March 2024.",
    parameters(DateStringArgs),
    parsed(DateToLongStringFilter)
)]
pub struct DateToLongString;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "date_to_long_string"]
struct DateToLongStringFilter {
    #[parameters]
    args: DateStringArgs,
}

impl Filter for DateToLongStringFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        date_string(input, &self.args, runtime, true)
    }
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "date_to_xmlschema",
    description = "A date as 2024-03-05T14:07:00+00:00.",
    parsed(DateToXmlschemaFilter)
)]
pub struct DateToXmlschema;

#[derive(Debug, Default, Display_filter)]
#[name = "date_to_xmlschema"]
struct DateToXmlschemaFilter;

impl Filter for DateToXmlschemaFilter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        let Some(date) = input_date(input)? else {
            return Ok(input.to_value());
        };
        Ok(Value::scalar(
            date.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        ))
    }
}

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "date_to_rfc822",
    description = "A date as Tue, 05 Mar 2024 14:07:00 +0000.",
    parsed(DateToRfc822Filter)
)]
pub struct DateToRfc822;

#[derive(Debug, Default, Display_filter)]
#[name = "date_to_rfc822"]
struct DateToRfc822Filter;

impl Filter for DateToRfc822Filter {
    fn evaluate(&self, input: &dyn ValueView, _: &dyn Runtime) -> Result<Value> {
        let Some(date) = input_date(input)? else {
            return Ok(input.to_value());
        };
        Ok(Value::scalar(
            date.strftime("%a, %d %b %Y %H:%M:%S %z").to_string(),
        ))
    }
}
