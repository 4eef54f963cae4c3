//! Words for the search index. Letters and digits of any script make words; case is
//! ignored; `snake_case`, `camelCase` and `kebab-case` names are indexed by their parts (a
//! query for the whole name finds its parts together);
//! Chinese, Japanese and Korean text, written without spaces, is indexed as overlapping pairs
//! of characters, so that any run of two or more characters of a query can be found.
//!
//! The theme's search script splits queries by the same rules (`static/assets/js/search.js`).

/// Whether `c` is written without spaces between words (CJK ideographs, kana, hangul).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // hiragana, katakana
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xAC00..=0xD7AF   // hangul syllables
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0x20000..=0x2FFFF // CJK extensions B and later
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// The words of `text`, lowercased, in order.
#[cfg(test)]
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |token| out.push(token.to_string()));
    out
}

/// Calls `found` with each word of `text`, lowercased (without allocating per word).
pub fn for_each_token(text: &str, mut found: impl FnMut(&str)) {
    let mut buffer = String::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let class = ASCII_CLASSES[usize::from(bytes[at])];
        if class == SEPARATOR {
            at += 1;
            continue;
        }
        if class != OTHER {
            // Most text is ASCII: a word of ASCII letters and digits is read in one pass,
            // which also tells whether it is lowercase, capitalised, or a name to split.
            let mut end = at + 1;
            let mut seen = class;
            while let Some(&byte) = bytes.get(end) {
                let next = ASCII_CLASSES[usize::from(byte)];
                if next == SEPARATOR || next == OTHER {
                    break;
                }
                seen |= next;
                end += 1;
            }
            if bytes.get(end).is_none_or(u8::is_ascii) {
                let word = &text[at..end];
                if seen == LOWER || seen == DIGIT {
                    found(word);
                } else if class == UPPER && seen == UPPER | LOWER && !has_upper(&word[1..]) {
                    // A capitalised word (`The`): lowercased as a whole.
                    buffer.clear();
                    buffer.push_str(word);
                    buffer.make_ascii_lowercase();
                    found(&buffer);
                } else {
                    ascii_word_parts(word.as_bytes(), &mut buffer, &mut found);
                }
                at = end;
                continue;
            }
            // The word goes on in other letters (`café`): read it by characters below.
        }
        let rest = &text[at..];
        let c = rest.chars().next().unwrap_or(' ');
        // The end of the run of characters like `c` from here.
        let run_end = |same: fn(char) -> bool| {
            rest.char_indices()
                .find(|&(_, c)| !same(c))
                .map_or(text.len(), |(length, _)| at + length)
        };
        if is_cjk(c) {
            let end = run_end(is_cjk);
            let run: Vec<char> = text[at..end].chars().collect();
            if run.len() == 1 {
                buffer.clear();
                buffer.push(run[0]);
                found(&buffer);
            }
            for pair in run.windows(2) {
                buffer.clear();
                buffer.extend(pair);
                found(&buffer);
            }
            at = end;
        } else if is_word_char(c) {
            let end = run_end(is_word_char);
            word_parts(&text[at..end], &mut buffer, &mut found);
            at = end;
        } else {
            at += c.len_utf8();
        }
    }
}

/// A word, split where a `camelCase` or `HTTPServer2` name changes case or between letters
/// and digits (names joined by `_`, `-`, `.` or `::` are split by those already).
fn word_parts(word: &str, buffer: &mut String, found: &mut impl FnMut(&str)) {
    if word.bytes().all(|b| b.is_ascii_lowercase()) || word.bytes().all(|b| b.is_ascii_digit()) {
        found(word);
        return;
    }
    if word.is_ascii() {
        ascii_word_parts(word.as_bytes(), buffer, found);
        return;
    }
    if word
        .chars()
        .all(|c| !c.is_uppercase() && !c.is_ascii_digit())
        || word.chars().all(|c| c.is_ascii_digit())
    {
        found(word);
        return;
    }
    let chars: Vec<char> = word.chars().collect();
    buffer.clear();
    for (index, &c) in chars.iter().enumerate() {
        let boundary = index > 0 && {
            let previous = chars[index - 1];
            let next = chars.get(index + 1).copied();
            (previous.is_lowercase() && c.is_uppercase())
                || (previous.is_uppercase()
                    && c.is_uppercase()
                    && next.is_some_and(char::is_lowercase))
                || (previous.is_alphabetic() && c.is_ascii_digit())
                || (previous.is_ascii_digit() && c.is_alphabetic())
        };
        if boundary && !buffer.is_empty() {
            found(buffer);
            buffer.clear();
        }
        buffer.extend(c.to_lowercase());
    }
    if !buffer.is_empty() {
        found(buffer);
    }
}

const SEPARATOR: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;
/// A byte that is not ASCII: the start or the middle of another character.
const OTHER: u8 = 8;

/// What each byte is to the ASCII path of [`for_each_token`].
static ASCII_CLASSES: [u8; 256] = {
    let mut classes = [OTHER; 256];
    let mut byte = 0;
    while byte < 128 {
        classes[byte] = match byte as u8 {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            _ => SEPARATOR,
        };
        byte += 1;
    }
    classes
};

fn has_upper(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_uppercase())
}

/// [`word_parts`] for a word of ASCII letters and digits (most words), by bytes.
fn ascii_word_parts(word: &[u8], buffer: &mut String, found: &mut impl FnMut(&str)) {
    buffer.clear();
    for (index, &b) in word.iter().enumerate() {
        let boundary = index > 0 && {
            let previous = word[index - 1];
            let next = word.get(index + 1).copied();
            (previous.is_ascii_lowercase() && b.is_ascii_uppercase())
                || (previous.is_ascii_uppercase()
                    && b.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase()))
                || (previous.is_ascii_alphabetic() && b.is_ascii_digit())
                || (previous.is_ascii_digit() && b.is_ascii_alphabetic())
        };
        if boundary && !buffer.is_empty() {
            found(buffer);
            buffer.clear();
        }
        buffer.push(char::from(b.to_ascii_lowercase()));
    }
    if !buffer.is_empty() {
        found(buffer);
    }
}

/// The key of the index shard that holds `term` (and every term starting like it): its
/// first two characters, or its first one when that is not ASCII (CJK pairs, accented words).
pub fn shard_key(term: &str) -> &str {
    let mut chars = term.char_indices();
    let Some((_, first)) = chars.next() else {
        return term;
    };
    let end = match chars.next() {
        Some((index, second)) if first.is_ascii() && second.is_ascii() => index + 1,
        Some((index, _)) => index,
        None => term.len(),
    };
    &term[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_are_lowercased_and_split_on_punctuation() {
        assert_eq!(
            tokens("Hello, World! It's 2024."),
            ["hello", "world", "it", "s", "2024"]
        );
        assert_eq!(tokens("just the basics"), ["just", "the", "basics"]);
        assert_eq!(tokens("Über café — naïve"), ["über", "café", "naïve"]);
    }

    #[test]
    fn code_identifiers() {
        assert_eq!(tokens("SET NX PX"), ["set", "nx", "px"]);
        assert_eq!(tokens("metadata_show_found"), ["metadata", "show", "found"]);
        assert_eq!(
            tokens("transferredFoundWeek"),
            ["transferred", "found", "week"]
        );
        assert_eq!(tokens("HTTPServer2"), ["http", "server", "2"]);
        assert_eq!(tokens("kube-proxy"), ["kube", "proxy"]);
        assert_eq!(tokens("std::sync::Mutex"), ["std", "sync", "mutex"]);
        assert_eq!(tokens("a- 404"), ["a", "404"]);
    }

    #[test]
    fn the_ascii_path_splits_as_the_general_rules_do() {
        // Words from a small alphabet of every class, read by the fast path and by
        // `word_parts`, the rules for any script.
        let alphabet = ['a', 'b', 'Q', 'R', '7', '0', ' ', '-', '_', 'é', 'Ü'];
        let mut state = 0x2545_f491_u32;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 9) {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                text.push(alphabet[state as usize % alphabet.len()]);
            }
            let mut expected = Vec::new();
            let mut buffer = String::new();
            for word in text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                word_parts(word, &mut buffer, &mut |t: &str| {
                    expected.push(t.to_string())
                });
            }
            assert_eq!(tokens(&text), expected, "{text:?}");
        }
    }

    #[test]
    fn cjk_text_is_split_into_pairs() {
        assert_eq!(tokens("分布式系统"), ["分布", "布式", "式系", "系统"]);
        assert_eq!(tokens("Raft 协议"), ["raft", "协议"]);
        assert_eq!(tokens("ログ"), ["ログ"]);
        assert_eq!(tokens("字"), ["字"]);
    }

    #[test]
    fn shard_keys() {
        assert_eq!(shard_key("raft"), "ra");
        assert_eq!(shard_key("r"), "r");
        assert_eq!(shard_key("分布"), "分");
        assert_eq!(shard_key("über"), "ü");
        assert_eq!(shard_key("2pc"), "2p");
    }
}
