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
    let Some(semicolon) = text[..text.len().min(12)].find(';') else {
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
}
