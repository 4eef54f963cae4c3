//! Jekyll's filters that docs sites use, next to Liquid's standard ones.

pub mod array;
pub mod date;
pub mod text;
pub mod url;

use liquid_core::{Language, ParseFilter};

/// Registers Liquid's standard filters, then Jekyll's (which replace `where` and `sort`).
pub fn register(language: &mut Language) {
    use liquid_lib::{jekyll, stdlib};
    let standard: Vec<Box<dyn ParseFilter>> = vec![
        Box::new(stdlib::Abs),
        Box::new(stdlib::Append),
        Box::new(stdlib::AtLeast),
        Box::new(stdlib::AtMost),
        Box::new(stdlib::Capitalize),
        Box::new(stdlib::Ceil),
        Box::new(stdlib::Compact),
        Box::new(stdlib::Concat),
        Box::new(stdlib::Date),
        Box::new(stdlib::Default),
        Box::new(stdlib::DividedBy),
        Box::new(stdlib::Downcase),
        Box::new(stdlib::Escape),
        Box::new(stdlib::EscapeOnce),
        Box::new(stdlib::First),
        Box::new(stdlib::Floor),
        Box::new(stdlib::Join),
        Box::new(stdlib::Last),
        Box::new(stdlib::Lstrip),
        Box::new(stdlib::Map),
        Box::new(stdlib::Minus),
        Box::new(stdlib::Modulo),
        Box::new(stdlib::NewlineToBr),
        Box::new(stdlib::Plus),
        Box::new(stdlib::Prepend),
        Box::new(stdlib::Remove),
        Box::new(stdlib::RemoveFirst),
        Box::new(stdlib::Replace),
        Box::new(stdlib::ReplaceFirst),
        Box::new(stdlib::Reverse),
        Box::new(stdlib::Round),
        Box::new(stdlib::Rstrip),
        Box::new(stdlib::Size),
        Box::new(stdlib::Slice),
        Box::new(stdlib::SortNatural),
        Box::new(stdlib::Split),
        Box::new(stdlib::Strip),
        Box::new(stdlib::StripHtml),
        Box::new(stdlib::StripNewlines),
        Box::new(stdlib::Times),
        Box::new(stdlib::Truncate),
        Box::new(stdlib::TruncateWords),
        Box::new(stdlib::Uniq),
        Box::new(stdlib::Upcase),
        Box::new(stdlib::UrlDecode),
        Box::new(stdlib::UrlEncode),
        Box::new(jekyll::Push),
        Box::new(jekyll::Pop),
        Box::new(jekyll::Shift),
        Box::new(jekyll::Unshift),
        Box::new(url::RelativeUrl),
        Box::new(url::AbsoluteUrl),
        Box::new(url::XmlEscape),
        Box::new(url::CgiEscape),
        Box::new(url::UriEscape),
        Box::new(text::Slugify),
        Box::new(text::Markdownify),
        Box::new(text::Jsonify),
        Box::new(text::NumberOfWords),
        Box::new(text::NormalizeWhitespace),
        Box::new(array::Where),
        Box::new(array::WhereExp),
        Box::new(array::Sort),
        Box::new(array::GroupBy),
        Box::new(array::ArrayToSentenceString),
        Box::new(date::DateToString),
        Box::new(date::DateToLongString),
        Box::new(date::DateToXmlschema),
        Box::new(date::DateToRfc822),
    ];
    for filter in standard {
        let name = filter.reflection().name().to_string();
        language.filters.register(name, filter);
    }
}
