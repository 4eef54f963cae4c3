//! Syntax highlighting with syntect and the curated, current grammar set of `two-face`.
//!
//! Each token is coloured by the light and the dark theme at build time; a span carries one
//! short class per theme (`l3 d5`), and the generated stylesheet maps the classes to the two
//! themes' colours. That is exact for both themes, and far smaller than one class per scope.
//! Grammars load once per process, on the first page with code.
//!
//! The scopes of the text come from folio's own line parser (`parser`), which runs syntect's
//! grammars as syntect's `ParseState` does but skips most regex searches; a grammar it cannot
//! load or follow is parsed by syntect's, so the HTML is always syntect's (`agreement` and
//! `cargo bench --bench highlight` compare the two).

#[cfg(test)]
mod agreement;
mod contrast;
#[cfg(test)]
mod golden;
mod grammar;
mod matcher;
mod parser;
mod translate;

use std::cell::RefCell;
use std::fmt::Write as _;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use pulldown_cmark_escape::escape_html_body_text;
use rustc_hash::FxHashMap;
use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::{EmbeddedLazyThemeSet, EmbeddedThemeName};

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);
static THEMES: LazyLock<EmbeddedLazyThemeSet> = LazyLock::new(two_face::theme::extra);

/// Names writers use that the grammars do not list themselves.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("terminal", "bash"),
    ("shell-session", "bash"),
    ("sh-session", "bash"),
    ("shellsession", "bash"),
    ("zsh", "bash"),
    ("csharp", "cs"),
    ("c#", "cs"),
    ("docker", "dockerfile"),
    ("golang", "go"),
    ("jsonc", "json"),
    ("json5", "json"),
    ("pwsh", "ps1"),
    ("ps", "ps1"),
    ("make", "makefile"),
    ("objective-c", "m"),
    ("objc", "m"),
    ("kt", "kotlin"),
    ("tf", "terraform"),
    ("protobuf", "proto"),
    ("vue", "html"),
    ("svg", "xml"),
    ("conf", "ini"),
    ("cfg", "ini"),
    ("env", "bash"),
    ("jinja", "html"),
    ("liquid", "html"),
];

/// Languages shown as plain text on purpose: no colours and no warning.
const PLAIN: &[&str] = &[
    "",
    "text",
    "plaintext",
    "plain",
    "txt",
    "none",
    "nohighlight",
    "output",
    "ascii",
    "mermaid",
    "diagram",
    "log",
];

/// Whether `lang` is shown as plain text on purpose.
pub fn is_plain(lang: &str) -> bool {
    PLAIN.contains(&lang.to_ascii_lowercase().as_str())
}

fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    // syntect looks a token up by scanning every syntax's extensions: remembered per thread,
    // as a site names few languages in many blocks.
    thread_local! {
        static FOUND: RefCell<FxHashMap<String, Option<&'static SyntaxReference>>> =
            RefCell::default();
    }
    FOUND.with(|found| {
        if let Some(syntax) = found.borrow().get(lang) {
            return *syntax;
        }
        let syntax = look_up_syntax(lang);
        found.borrow_mut().insert(lang.to_string(), syntax);
        syntax
    })
}

fn look_up_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let lower = lang.to_ascii_lowercase();
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, name)| name);
    SYNTAXES
        .find_syntax_by_token(token)
        .or_else(|| SYNTAXES.find_syntax_by_name(lang))
}

/// Whether folio can colour `lang` (or shows it plain on purpose).
pub fn is_known(lang: &str) -> bool {
    is_plain(lang) || find_syntax(lang).is_some()
}

/// The embedded theme called `name`.
pub fn theme_by_name(name: &str) -> Option<&'static Theme> {
    let which = EmbeddedLazyThemeSet::theme_names()
        .iter()
        .find(|theme| theme.as_name() == name)?;
    Some(THEMES.get(*which))
}

/// Every theme name, for messages.
pub fn theme_names() -> Vec<&'static str> {
    EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|theme: &EmbeddedThemeName| theme.as_name())
        .collect()
}

/// One theme with its colours numbered for class names.
struct ThemeClasses {
    highlighter: Highlighter<'static>,
    theme: &'static Theme,
    default: Style,
    colors: Vec<Color>,
    /// `l` or `d`.
    prefix: char,
}

impl ThemeClasses {
    fn new(theme: &'static Theme, prefix: char) -> Self {
        let highlighter = Highlighter::new(theme);
        let default = highlighter.get_default();
        let mut colors = vec![default.foreground];
        for item in &theme.scopes {
            if let Some(color) = item.style.foreground
                && !colors.contains(&color)
            {
                colors.push(color);
            }
        }
        ThemeClasses {
            highlighter,
            theme,
            default,
            colors,
            prefix,
        }
    }

    /// Appends this theme's classes for `style` (nothing for the default look).
    fn classes(&self, style: Style, out: &mut String) {
        if style.foreground != self.default.foreground
            && let Some(index) = self.colors.iter().position(|c| *c == style.foreground)
        {
            if !out.is_empty() {
                out.push(' ');
            }
            let _ = write!(out, "{}{index}", self.prefix);
        }
        for (flag, letter) in [
            (FontStyle::BOLD, 'b'),
            (FontStyle::ITALIC, 'i'),
            (FontStyle::UNDERLINE, 'u'),
        ] {
            if style.font_style.contains(flag) && !self.default.font_style.contains(flag) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push(self.prefix);
                out.push(letter);
            }
        }
    }

    /// The background of code blocks: the theme's, or white or black to suit its text.
    fn background(&self) -> Color {
        self.theme.settings.background.unwrap_or_else(|| {
            if contrast::ratio(self.default.foreground, Color::WHITE) >= contrast::MINIMUM_RATIO {
                Color::WHITE
            } else {
                Color::BLACK
            }
        })
    }

    /// A colour of the theme as written in CSS, made readable on the code background.
    fn css(&self, color: Color) -> String {
        css_color(contrast::readable(color, self.background()))
    }

    /// The rules for this theme's classes, and the code block colours.
    fn rules(&self, scope: &str, out: &mut String) {
        let p = self.prefix;
        let settings = &self.theme.settings;
        let foreground = settings.foreground.unwrap_or(self.default.foreground);
        let _ = write!(
            out,
            "{scope}pre.highlight {{ color: {}; background-color: {}",
            self.css(foreground),
            css_color(self.background())
        );
        let _ = writeln!(
            out,
            " }}\n{scope}pre.highlight span {{ color: var(--{p}, inherit); font-weight: var(--{p}w, inherit); font-style: var(--{p}s, inherit); text-decoration: var(--{p}u, inherit) }}"
        );
    }

    /// The custom properties each class sets (the same in every mode).
    fn variables(&self, out: &mut String) {
        let p = self.prefix;
        for (index, color) in self.colors.iter().enumerate().skip(1) {
            let _ = writeln!(out, ".{p}{index} {{ --{p}: {} }}", self.css(*color));
        }
        let _ = writeln!(
            out,
            ".{p}b {{ --{p}w: bold }}\n.{p}i {{ --{p}s: italic }}\n.{p}u {{ --{p}u: underline }}"
        );
    }
}

fn css_color(color: Color) -> String {
    if color.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", color.r, color.g, color.b)
    } else {
        format!(
            "rgba({}, {}, {}, {:.3})",
            color.r,
            color.g,
            color.b,
            f32::from(color.a) / 255.0
        )
    }
}

/// The light and dark code themes of a site.
pub struct CodeThemes {
    light: ThemeClasses,
    dark: ThemeClasses,
    /// Tells this pair's cached classes apart from another pair's (see `CLASSES`).
    id: u64,
}

/// The classes of each scope stack met so far, per pair of themes (by `CodeThemes::id`),
/// kept per thread: looked up at every change of scope, they must cost no lock.
type ClassCache = FxHashMap<u64, KnownClasses>;

/// The class lists of one pair of themes, numbered, and the number of each stack's.
#[derive(Default)]
struct KnownClasses {
    by_stack: FxHashMap<Vec<Scope>, u32>,
    names: Vec<Box<str>>,
}

thread_local! {
    static CLASSES: RefCell<ClassCache> = RefCell::default();
}

impl CodeThemes {
    /// `None` when a theme name is unknown (configuration checks report it).
    pub fn new(light: &str, dark: &str) -> Option<CodeThemes> {
        Some(CodeThemes {
            light: ThemeClasses::new(theme_by_name(light)?, 'l'),
            dark: ThemeClasses::new(theme_by_name(dark)?, 'd'),
            id: {
                static NEXT_ID: AtomicU64 = AtomicU64::new(0);
                NEXT_ID.fetch_add(1, Ordering::Relaxed)
            },
        })
    }

    /// Highlighted HTML (the inside of `<code>`), or `None` when the language is unknown or
    /// plain text on purpose.
    pub fn highlight(&self, code: &str, lang: &str) -> Option<String> {
        self.highlight_with(code, lang, Engine::Folio)
    }

    /// `highlight` by the given engine: for the bench and the side-by-side comparison,
    /// which hold folio's parser to syntect's output.
    #[doc(hidden)]
    pub fn highlight_with(&self, code: &str, lang: &str, engine: Engine) -> Option<String> {
        if is_plain(lang) {
            return None;
        }
        let syntax = find_syntax(lang)?;
        if engine == Engine::Folio {
            // A grammar folio's parser cannot load or follow gets syntect's parse, so the
            // output is always what syntect gives.
            if let Some(parser) = parser::LineParser::new(syntax)
                && let Some(html) = self.write(code, Lines::Folio(parser))
            {
                return Some(html);
            }
        }
        // A grammar error leaves the block uncoloured rather than failing the page.
        self.write(code, Lines::Syntect(ParseState::new(syntax)))
    }

    /// The HTML of `code`, parsed line by line by `lines`; `None` on a grammar error.
    fn write(&self, code: &str, mut lines: Lines) -> Option<String> {
        CLASSES.with(|cache| {
            let mut cache = cache.borrow_mut();
            let known = cache.entry(self.id).or_default();
            let mut stack = ScopeStack::new();
            let mut out = String::with_capacity(code.len() * 3);
            let mut run = Run::default();
            let mut ops = Vec::new();
            for line in LinesWithEndings::from(code) {
                lines.parse(line, &mut ops)?;
                let mut position = 0;
                for (offset, op) in &ops {
                    if *offset > position {
                        let classes = self.classes_for(known, &stack);
                        run.push(&mut out, known, classes, &line[position..*offset]);
                        position = *offset;
                    }
                    stack.apply(op).ok()?;
                }
                let classes = self.classes_for(known, &stack);
                run.push(&mut out, known, classes, &line[position..]);
            }
            run.flush(&mut out, known);
            Some(out)
        })
    }

    /// The classes of text under `stack`, from both themes, as their number in `known`
    /// (cached: a site has few stacks).
    fn classes_for(&self, known: &mut KnownClasses, stack: &ScopeStack) -> u32 {
        let scopes = stack.as_slice();
        if let Some(&number) = known.by_stack.get(scopes) {
            return number;
        }
        let mut classes = String::new();
        self.light
            .classes(self.light.highlighter.style_for_stack(scopes), &mut classes);
        self.dark
            .classes(self.dark.highlighter.style_for_stack(scopes), &mut classes);
        let number = match known.names.iter().position(|name| **name == classes) {
            Some(number) => number as u32,
            None => {
                known.names.push(classes.into());
                (known.names.len() - 1) as u32
            }
        };
        known.by_stack.insert(scopes.to_vec(), number);
        number
    }

    /// The stylesheet for code: the light theme, and the dark one when the reader's system
    /// prefers dark (unless the page is switched to light) or the page is switched to dark.
    pub fn stylesheet(&self) -> String {
        let mut css = String::from(
            "/* Code colours, generated by folio from the configured highlight themes. */\n",
        );
        self.light.variables(&mut css);
        self.dark.variables(&mut css);
        self.light.rules("", &mut css);
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        self.dark
            .rules(":root:not([data-theme=\"light\"]) ", &mut css);
        css.push_str("}\n");
        self.dark.rules(":root[data-theme=\"dark\"] ", &mut css);
        css
    }
}

/// Which parser finds the scopes of a block's text.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// folio's own (`parser`), with syntect's for what it cannot parse.
    Folio,
    /// syntect's `ParseState` only.
    Syntect,
}

/// A block's parse state, by engine.
enum Lines {
    Folio(parser::LineParser),
    Syntect(ParseState),
}

impl Lines {
    /// The scope changes of `line` into `ops`; `None` on a grammar error.
    fn parse(&mut self, line: &str, ops: &mut Vec<(usize, ScopeStackOp)>) -> Option<()> {
        match self {
            Lines::Folio(parser) => parser.parse_line(line, ops).ok(),
            Lines::Syntect(state) => {
                *ops = state.parse_line(line, &SYNTAXES).ok()?;
                Some(())
            }
        }
    }
}

/// Text with the same classes, joined into one span.
#[derive(Default)]
struct Run {
    /// The number of the run's classes in `KnownClasses::names`.
    classes: Option<u32>,
    text: String,
}

impl Run {
    fn push(&mut self, out: &mut String, known: &KnownClasses, classes: u32, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.classes != Some(classes) {
            self.flush(out, known);
            self.classes = Some(classes);
        }
        self.text.push_str(text);
    }

    fn flush(&mut self, out: &mut String, known: &KnownClasses) {
        let Some(classes) = self.classes.take() else {
            return;
        };
        let classes = known.names.get(classes as usize).map_or("", |name| &**name);
        if classes.is_empty() {
            let _ = escape_html_body_text(&mut *out, &self.text);
        } else {
            out.push_str("<span class=\"");
            out.push_str(classes);
            out.push_str("\">");
            let _ = escape_html_body_text(&mut *out, &self.text);
            out.push_str("</span>");
        }
        self.text.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes() -> CodeThemes {
        CodeThemes::new("InspiredGitHub", "OneHalfDark").unwrap()
    }

    #[test]
    fn common_aliases_are_known() {
        for lang in [
            "sh",
            "shell",
            "console",
            "yml",
            "js",
            "ts",
            "py",
            "rs",
            "toml",
            "dockerfile",
            "bash",
            "json",
            "go",
            "sql",
            "csharp",
        ] {
            assert!(find_syntax(lang).is_some(), "{lang}");
        }
        assert!(!is_known("no-such-language"));
        assert!(is_known("text"));
    }

    #[test]
    fn code_is_coloured_for_both_themes_and_text_is_kept() {
        let code = "fn main() {\n\tlet s = \"<b>\"; // ├──\n}\n";
        let html = themes().highlight(code, "rust").unwrap();
        assert!(html.contains("<span class=\"l"), "{html}");
        assert!(html.contains(" d"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        let text: String = {
            let mut inside = false;
            html.chars()
                .filter(|&c| {
                    if c == '<' {
                        inside = true;
                    }
                    let keep = !inside;
                    if c == '>' {
                        inside = false;
                    }
                    keep
                })
                .collect()
        };
        assert_eq!(
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\""),
            code
        );
        assert!(themes().highlight("x", "text").is_none());
        assert!(themes().highlight("x", "nope").is_none());
    }

    #[test]
    fn the_stylesheet_has_both_themes() {
        let css = themes().stylesheet();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(":root[data-theme=\"dark\"] pre.highlight span"));
        assert!(css.contains(".l1 { --l: #"));
        assert!(css.contains(".d1 { --d: #"));
    }
}
