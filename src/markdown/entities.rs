//! Character references in HTML (`&amp;`, `&#39;` …), decoded back to text by the stages that
//! read the HTML the renderer wrote: search (page text) and the link checks (ids and hrefs).

/// Decodes the character references an HTML writer produces.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let (decoded, length) = decode_entity(&rest[amp..]);
        out.push(decoded.unwrap_or('&'));
        rest = &rest[amp + length..];
    }
    out.push_str(rest);
    out
}

/// The character a reference at the start of `text` (which starts with `&`) stands for, and
/// the bytes it takes; `(None, 1)` for a lone `&`.
pub fn decode_entity(text: &str) -> (Option<char>, usize) {
    // Bytes, not a slice of the text: the 12th byte may be inside a character.
    let Some(semicolon) = text.bytes().take(12).position(|b| b == b';') else {
        return (None, 1);
    };
    let name = &text[1..semicolon];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
            .and_then(char::from_u32),
    };
    match decoded {
        Some(c) => (Some(c), semicolon + 1),
        None => (None, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &lt;b&gt; &#39;c&#x27; &amp;&amp; &unknown; &"),
            "a <b> 'c' && &unknown; &"
        );
    }

    #[test]
    fn an_ampersand_before_wide_characters() {
        // Found by fuzz/ (markdown target): the 12th byte after `&` is inside `語`.
        assert_eq!(
            decode_entities("Q&A: 日本語のページ"),
            "Q&A: 日本語のページ"
        );
        assert_eq!(decode_entity("&éééééé;"), (None, 1));
    }
}
