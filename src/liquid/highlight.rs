//! `{% highlight lang %}…{% endhighlight %}`: the code is coloured by folio's highlighter and
//! written as the same markup as a fenced code block.
//!
//! The result goes through Markdown afterwards, where an HTML block ends at a blank line and
//! a line's indentation can start a code block. So the block is written on one line, its
//! line breaks as `&#10;` (the same characters once the browser reads them): no blank line
//! or indentation is left for Markdown to act on.

use std::io::Write;

use liquid_core::parser::{BlockReflection, ParseBlock, TagBlock, TagTokenIter};
use liquid_core::{Language, Renderable, Result, Runtime, Template};
use pulldown_cmark_escape::{escape_html, escape_html_body_text};

use super::jekyll_args::HighlightArgs;
use super::runtime::scope;
use super::tags::{JekyllTag, Place, take_tag, write_str};
use crate::diagnostics::Diagnostic;
use crate::markdown::highlight::{CodeThemes, is_known};

#[derive(Debug, Clone, Copy)]
pub struct HighlightBlock;

impl BlockReflection for HighlightBlock {
    fn start_tag(&self) -> &str {
        "highlight"
    }
    fn end_tag(&self) -> &str {
        "endhighlight"
    }
    fn description(&self) -> &str {
        "Code coloured as a fenced code block is."
    }
}

impl ParseBlock for HighlightBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut block: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let JekyllTag::Highlight(args, place) = take_tag(&mut arguments)? else {
            return Err(liquid_core::Error::with_msg(
                "`highlight` read as another tag",
            ));
        };
        // Jekyll renders Liquid inside the block before colouring it.
        let body = Template::new(block.parse_all(options)?);
        block.assert_empty();
        Ok(Box::new(Highlight { args, place, body }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Highlight {
    args: HighlightArgs,
    place: Place,
    body: Template,
}

impl Renderable for Highlight {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let code = self.body.render(runtime)?;
        let lang = self.args.lang.as_str();
        let html = scope(|scope| code_block(&code, lang, &scope.engine.code_themes))
            .unwrap_or_else(|| code_block_plain(&code, lang));
        if !is_known(lang) {
            let warning = Diagnostic::warning(format!(
                "unknown code language `{lang}`; the block is shown without colours"
            ))
            .in_file(&self.place.file)
            .at(self.place.line, self.place.column)
            .with_help("use a known name such as bash, yaml, json, python, rust, go, java, sql, or `text` for plain text");
            scope(|scope| scope.warnings.push(warning));
        }
        write_str(writer, &html)
    }
}

/// Jekyll drops the line breaks at the start and end of the block; a fenced block's code
/// ends with one.
fn tidy(code: &str) -> String {
    let trimmed = code
        .trim_start_matches(['\n', '\r'])
        .trim_end_matches(['\n', '\r']);
    format!("{trimmed}\n")
}

/// The markup of a fenced code block in `lang`, on one line.
pub fn code_block(code: &str, lang: &str, themes: &CodeThemes) -> String {
    let code = tidy(code);
    match themes.highlight(&code, lang) {
        Some(html) => wrap(&html, lang),
        None => code_block_plain(&code, lang),
    }
}

fn code_block_plain(code: &str, lang: &str) -> String {
    let mut html = String::with_capacity(code.len() + 16);
    let _ = escape_html_body_text(&mut html, &tidy(code));
    wrap(&html, lang)
}

fn wrap(inner: &str, lang: &str) -> String {
    let mut lang_attr = String::new();
    let _ = escape_html(&mut lang_attr, lang);
    let mut out = String::with_capacity(inner.len() + 160);
    out.push_str("<div class=\"code-block language-");
    out.push_str(&lang_attr);
    out.push_str("\"><pre class=\"highlight\"><code class=\"language-");
    out.push_str(&lang_attr);
    out.push_str("\" data-lang=\"");
    out.push_str(&lang_attr);
    out.push_str("\">");
    // Line breaks as character references keep the block on one line (see the module doc);
    // a carriage return is dropped, as Markdown drops it.
    for piece in inner.split_inclusive('\n') {
        let line = piece.trim_end_matches(['\n', '\r']);
        out.push_str(line);
        if piece.ends_with('\n') {
            out.push_str("&#10;");
        }
    }
    out.push_str("</code></pre></div>");
    out
}
