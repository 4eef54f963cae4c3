//! Turns a grammar's Oniguruma pattern into a pattern for regex-automata, for ASCII lines:
//! an exact one where the constructs allow (same matches), else a looser one (matches in
//! every line where the original matches, and maybe in more).
//!
//! The loose pattern only decides which patterns are worth running on a line, so it may
//! accept too much but never too little. Everything that only narrows a match is dropped
//! (anchors, word boundaries, lookaround, atomic groups, possessive quantifiers), a
//! back-reference or subroutine call becomes "any text", and anything this module does not
//! know makes the whole pattern untranslatable, which means "always run it". Which ASCII
//! characters a class, an escape such as `\w` or a dot stands for is asked of Oniguruma
//! itself, so the two engines can never disagree on class syntax. Lines with non-ASCII text
//! do not use the translations at all (see `parser`), so only ASCII haystacks need to be
//! right.

/// Why a pattern is run on every line: it uses something this module does not translate.
#[derive(Debug)]
pub struct Untranslatable;

type Result<T> = std::result::Result<T, Untranslatable>;

/// The loose pattern (bytes, Unicode off) for an Oniguruma pattern. Every match of the
/// original in an ASCII line starts where a match of the loose one starts.
pub fn loosen(pattern: &str) -> Result<String> {
    // A lookahead that ends the pattern is kept as text the match is followed by (more
    // precise); elsewhere it cannot be, and is dropped.
    translate(pattern, false, true)
        .or_else(|_| translate(pattern, false, false))
        .map(|translated| translated.text)
}

/// An exact translation: see `exact`.
pub struct Exact {
    pub text: String,
    /// Whether a match of `text` ends where the original's does. When the original ends in
    /// a lookahead (`a(?=b)`), `text` also matches what is looked at (`ab`): it matches at
    /// the same places, but the original's match ends earlier.
    pub same_end: bool,
}

/// A pattern (bytes, Unicode off) that matches exactly where the Oniguruma pattern does, in
/// a haystack of one ASCII line (at most one newline, at its end): the same leftmost match
/// start and, unless it ends in a lookahead, the same end. `Untranslatable` for anything
/// that needs backtracking features (lookbehind, negative or inner lookahead,
/// back-references, atomic groups, possessive repetition, `\G`).
pub fn exact(pattern: &str) -> Result<Exact> {
    translate(pattern, true, true)
}

/// Whether every match of the pattern is empty (in an ASCII line): a lookahead, an anchor.
pub fn always_empty(pattern: &str) -> bool {
    // With lookaheads dropped the loose pattern matches whatever the original consumes.
    translate(pattern, false, false).is_ok_and(|loose| {
        regex_automata::util::syntax::parse_with(
            &loose.text,
            &regex_automata::util::syntax::Config::new()
                .unicode(false)
                .utf8(false),
        )
        .is_ok_and(|hir| hir.properties().maximum_len() == Some(0))
    })
}

fn translate(pattern: &str, exact: bool, keep_lookahead: bool) -> Result<Exact> {
    let mut translator = Translator {
        chars: pattern.chars().collect(),
        pos: 0,
        out: String::with_capacity(pattern.len() * 2),
        exact,
        keep_lookahead,
        kept_lookaheads: 0,
    };
    translator.alternation(Flags::default(), true)?;
    if translator.pos != translator.chars.len() {
        // An unbalanced `)`.
        return Err(Untranslatable);
    }
    Ok(Exact {
        text: translator.out,
        same_end: translator.kept_lookaheads == 0,
    })
}

/// The options Oniguruma tracks per group; `x` changes parsing, the others meaning.
#[derive(Clone, Copy, Default)]
struct Flags {
    ignore_case: bool,
    extended: bool,
    /// Oniguruma's `m`: the dot matches a newline.
    dot_all: bool,
    /// `W`, `D`, `S`, `P`: ASCII-only classes (kept for the class probes).
    ascii: [bool; 4],
}

impl Flags {
    /// The option prefix that gives a probe the same meaning.
    fn prefix(&self) -> String {
        let mut on = String::new();
        for (set, letter) in [
            (self.ignore_case, 'i'),
            (self.dot_all, 'm'),
            (self.ascii[0], 'W'),
            (self.ascii[1], 'D'),
            (self.ascii[2], 'S'),
            (self.ascii[3], 'P'),
        ] {
            if set {
                on.push(letter);
            }
        }
        if on.is_empty() {
            on
        } else {
            format!("(?{on})")
        }
    }
}

/// Text of any length: what a back-reference or a subroutine call may match.
const ANY_TEXT: &str = "(?s-u:.)*";
/// Never matches an ASCII line (a byte that valid UTF-8 never contains).
const NEVER: &str = r"\xFF";
/// The ASCII sequences a single character can match under Unicode case folding
/// (ß = ss, ﬁ = fi, ﬃ = ffi, ﬅ = st, …): a class under `(?i)` may match these too.
const FOLDED_SEQUENCES: &str = "[fFiIlLsStT]{2,3}";

struct Translator {
    chars: Vec<char>,
    pos: usize,
    out: String,
    /// Exact translation: what the loose one may approximate is an error.
    exact: bool,
    /// Positive lookaheads at the end of the pattern are written as text to match; one
    /// anywhere else is an error.
    keep_lookahead: bool,
    kept_lookaheads: usize,
}

impl Translator {
    /// Writes `loose` for a construct that has no exact translation.
    fn approximate(&mut self, loose: &str) -> Result<()> {
        if self.exact {
            return Err(Untranslatable);
        }
        self.out.push_str(loose);
        Ok(())
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Result<char> {
        let c = self.peek().ok_or(Untranslatable)?;
        self.pos += 1;
        Ok(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Alternatives up to a `)` (left for the caller) or the end; `at_end` when nothing of
    /// the pattern follows them.
    fn alternation(&mut self, flags: Flags, at_end: bool) -> Result<()> {
        loop {
            self.sequence(flags, at_end)?;
            if self.eat('|') {
                self.out.push('|');
            } else {
                return Ok(());
            }
        }
    }

    /// Items up to `|`, `)` or the end.
    fn sequence(&mut self, flags: Flags, at_end: bool) -> Result<()> {
        // Whether a kept lookahead was written: nothing may follow it.
        let mut looked_ahead = false;
        loop {
            self.skip_extended(flags);
            let Some(c) = self.peek() else {
                return Ok(());
            };
            if matches!(c, '|' | ')') {
                return Ok(());
            }
            if looked_ahead {
                return Err(Untranslatable);
            }
            let atom_start = self.out.len();
            let lookaheads_before = self.kept_lookaheads;
            match c {
                '(' => {
                    self.pos += 1;
                    if let Some(isolated) = self.group(flags, at_end)? {
                        // Oniguruma's own syntax scopes `(?i)` to the rest of the enclosing
                        // group, later alternatives included: `a(?i)b|c` is `a(?i:b|c)`.
                        self.out.push_str("(?:");
                        self.alternation(isolated, at_end)?;
                        self.out.push(')');
                        return Ok(());
                    }
                }
                '[' => {
                    let text = self.class_text()?;
                    self.single_character(&text, flags)?;
                }
                '\\' => {
                    self.pos += 1;
                    self.escape(flags)?;
                }
                '.' => {
                    self.pos += 1;
                    self.single_character(".", flags)?;
                }
                // A line has at most one newline, at its end, and Oniguruma's `^` does not
                // match after a newline that ends the text: `^` is the start of the line.
                '^' => {
                    self.pos += 1;
                    self.out.push_str(r"\A");
                }
                '$' => {
                    self.pos += 1;
                    self.out.push_str("(?m:$)");
                }
                '*' | '+' | '?' | '|' | ')' => return Err(Untranslatable),
                '{' if self.interval_at(self.pos).is_some() => return Err(Untranslatable),
                _ => {
                    self.pos += 1;
                    self.literal(c, flags)?;
                }
            }
            looked_ahead = self.kept_lookaheads > lookaheads_before;
            let repeated = self.quantifiers(atom_start, flags)?;
            if looked_ahead && repeated {
                return Err(Untranslatable);
            }
        }
    }

    /// In extended mode, whitespace and `#` comments between tokens mean nothing.
    fn skip_extended(&mut self, flags: Flags) {
        if !flags.extended {
            return;
        }
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | '\r' | '\x0c' => self.pos += 1,
                '#' => {
                    while let Some(c) = self.peek() {
                        self.pos += 1;
                        if c == '\n' {
                            break;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// The group after `(`. Returns the new flags of an isolated option such as `(?i)`,
    /// whose scope the caller handles; otherwise writes the group.
    fn group(&mut self, flags: Flags, at_end: bool) -> Result<Option<Flags>> {
        if !self.eat('?') {
            return self.group_body(flags, at_end).map(|()| None);
        }
        if matches!(
            self.peek(),
            Some('i' | 'm' | 'x' | 'W' | 'D' | 'S' | 'P' | '-')
        ) {
            let inner = self.options(flags)?;
            if self.eat(')') {
                return Ok(Some(inner));
            }
            if !self.eat(':') {
                return Err(Untranslatable);
            }
            return self.group_body(inner, at_end).map(|()| None);
        }
        match self.bump()? {
            ':' => self.group_body(flags, at_end)?,
            '>' => {
                // Atomic: no backtracking into the group, so fewer matches (or the same).
                self.approximate("")?;
                self.group_body(flags, at_end)?;
            }
            '=' if self.keep_lookahead => {
                if !at_end {
                    return Err(Untranslatable);
                }
                self.kept_lookaheads += 1;
                self.group_body(flags, true)?;
            }
            '=' | '!' => self.lookaround(flags)?,
            '<' if matches!(self.peek(), Some('=' | '!')) => {
                self.pos += 1;
                self.lookaround(flags)?;
            }
            '<' => {
                self.name_until('>')?;
                self.group_body(flags, at_end)?;
            }
            '\'' => {
                self.name_until('\'')?;
                self.group_body(flags, at_end)?;
            }
            '#' => while self.bump()? != ')' {},
            // Absent groups, conditions, callouts: not translated.
            _ => return Err(Untranslatable),
        }
        Ok(None)
    }

    fn group_body(&mut self, flags: Flags, at_end: bool) -> Result<()> {
        self.out.push_str("(?:");
        self.alternation(flags, at_end)?;
        if !self.eat(')') {
            return Err(Untranslatable);
        }
        self.out.push(')');
        Ok(())
    }

    /// A lookahead or lookbehind only narrows a match: parsed (to find its end), not kept.
    fn lookaround(&mut self, flags: Flags) -> Result<()> {
        self.approximate("")?;
        let kept = self.out.len();
        let lookaheads = self.kept_lookaheads;
        self.group_body(flags, false)?;
        // Lookaheads inside a dropped one count for nothing.
        self.kept_lookaheads = lookaheads;
        self.out.truncate(kept);
        self.out.push_str("(?:)");
        Ok(())
    }

    fn name_until(&mut self, end: char) -> Result<()> {
        loop {
            let c = self.bump()?;
            if c == end {
                return Ok(());
            }
            if !(c.is_alphanumeric() || c == '_') {
                return Err(Untranslatable);
            }
        }
    }

    /// Option letters up to `)` or `:` (not consumed).
    fn options(&mut self, mut flags: Flags) -> Result<Flags> {
        let mut on = true;
        loop {
            match self.peek() {
                Some(')' | ':') => return Ok(flags),
                Some('-') => on = false,
                Some('i') => flags.ignore_case = on,
                Some('x') => flags.extended = on,
                Some('m') => flags.dot_all = on,
                Some('W') => flags.ascii[0] = on,
                Some('D') => flags.ascii[1] = on,
                Some('S') => flags.ascii[2] = on,
                Some('P') => flags.ascii[3] = on,
                _ => return Err(Untranslatable),
            }
            self.pos += 1;
        }
    }

    /// Repetition operators after the atom written from `atom_start`; whether there were any.
    fn quantifiers(&mut self, atom_start: usize, flags: Flags) -> Result<bool> {
        let mut previous: Option<String> = None;
        let mut lazy = false;
        loop {
            let before_space = self.pos;
            self.skip_extended(flags);
            let adjacent = self.pos == before_space;
            let operator = match self.peek() {
                Some(c @ ('*' | '+' | '?')) => {
                    self.pos += 1;
                    c.to_string()
                }
                Some('{') => match self.interval_at(self.pos) {
                    Some((text, length)) => {
                        self.pos += length;
                        text
                    }
                    None => return Ok(previous.is_some()),
                },
                _ => return Ok(previous.is_some()),
            };
            let Some(last) = &previous else {
                self.out.push_str(&operator);
                previous = Some(operator);
                continue;
            };
            if self.exact {
                // Only a lazy `?` right after a repetition that is not a fixed count has
                // the same meaning in both engines.
                let fixed = last.starts_with('{') && !last.contains(',');
                if lazy || !adjacent || operator != "?" || fixed {
                    return Err(Untranslatable);
                }
                self.out.push('?');
                lazy = true;
                continue;
            }
            if operator == "+" {
                // `*+`, `++`, `?+` are possessive: the same matches as greedy, or fewer.
                continue;
            }
            // A repetition repeated again (`a{2}?`, `a+*`): nest it. Oniguruma reads some
            // of these as lazy, which matches the same texts or fewer.
            self.out.insert_str(atom_start, "(?:");
            self.out.push(')');
            self.out.push_str(&operator);
            previous = Some(operator);
        }
    }

    /// An interval `{n}`, `{n,}`, `{,m}` or `{n,m}` at `start`, as regex syntax, and its
    /// length in the pattern. Anything else is a literal `{` to Oniguruma.
    fn interval_at(&self, start: usize) -> Option<(String, usize)> {
        let mut pos = start + 1;
        let number = |pos: &mut usize| {
            let begin = *pos;
            while self.chars.get(*pos).is_some_and(char::is_ascii_digit) {
                *pos += 1;
            }
            (*pos > begin).then(|| self.chars[begin..*pos].iter().collect::<String>())
        };
        let low = number(&mut pos);
        let text = if self.chars.get(pos) == Some(&',') {
            pos += 1;
            let high = number(&mut pos);
            match (&low, &high) {
                (None, None) => return None,
                (Some(low), None) => format!("{{{low},}}"),
                (None, Some(high)) => format!("{{0,{high}}}"),
                (Some(low), Some(high)) => format!("{{{low},{high}}}"),
            }
        } else {
            format!("{{{}}}", low?)
        };
        (self.chars.get(pos) == Some(&'}')).then_some((text, pos + 1 - start))
    }
}

mod characters;

#[cfg(test)]
mod tests;
