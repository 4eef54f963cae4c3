//! The index as files a browser loads a few at a time:
//!
//! - `search/meta.js`: which shards exist, and the index's version (a few kilobytes);
//! - `search/s/<key>.js`: the terms starting with `<key>` with, for each, the sections it
//!   occurs in and their scores, so a query loads only the shards of its words;
//! - `search/p/<n>.js`: the titles, URLs, breadcrumbs and sections of a few pages, loaded
//!   for the results shown.
//!
//! Files are scripts that call `folioSearch.meta/shard/pages(...)`, so that they load from
//! `file://` as well as over HTTP. A small site's index is all in `meta.js`.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::index::{Index, PageEntry, SCORE_SCALE, SECTIONS_PER_PAGE, Shard};

/// Sites with up to this many pages may get a one-file index.
const ONE_FILE_PAGES: usize = 200;
/// The largest index written as one file (bytes).
pub const ONE_FILE_BUDGET: usize = 100_000;

#[derive(Serialize)]
struct Meta {
    format: u32,
    /// Changes whenever any index file does.
    version: String,
    /// Every shard key, in order, separated by spaces; a key split into longer keys (whose
    /// shard holds only the term equal to the key and the most frequent terms starting with
    /// it) ends in `+`. One string rather than pairs: a third of the size, and meta.js is
    /// part of every first query (words never contain spaces or `+`).
    keys: String,
    sections: u64,
    pages: usize,
    sections_per_page: u32,
    pages_per_file: usize,
    /// Scores are bytes q standing for ((1 + scale)^((q - 1) / 254) - 1) / scale.
    score_scale: f64,
}

/// A page's file of the index: made, or kept from the last build (unchanged: the page, its
/// place and its number are), known by the hash of its bytes.
pub enum PageFile {
    Make(PageEntry),
    Kept { hash: u64 },
}

// A kept page stands for a whole file: a file of several pages would need them all kept.
const _: () = assert!(PAGES_PER_FILE == 1);

/// The path of page file `number`.
pub fn page_file_path(number: usize) -> String {
    format!("search/p/{number}.js")
}

/// Whether an index of `pages` pages has page files of its own (a small site's index may be
/// all in `meta.js`); only those can be kept from the last build.
pub fn has_page_files(pages: usize) -> bool {
    pages > ONE_FILE_PAGES
}

/// A file's part of the index's version.
fn version_part(path: &str, hash: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_bytes()) ^ hash
}

/// Encodes `index` and hands each file to `sink` as (path under the output folder, text),
/// from several threads, as soon as it is made. Kept page files are left to the caller (only
/// an index that [`has_page_files`] may keep them).
pub fn write(pages: Vec<PageFile>, index: Index, sink: &(dyn Fn(String, String) + Sync)) {
    let keys = key_list(&index.shards);
    // The files' combined hash versions them: the script asks for `s/ab.js?v=...`, so a
    // browser never mixes a cached shard of one build with the metadata of the next.
    let version = AtomicU64::new(0);
    let one_file = !has_page_files(pages.len());
    let gathered = std::sync::Mutex::new(Vec::new());
    let emit = |path: String, text: String| {
        let part = version_part(&path, xxhash_rust::xxh3::xxh3_64(text.as_bytes()));
        version.fetch_add(part, Ordering::Relaxed);
        if one_file {
            gathered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path, text));
        } else {
            sink(path, text);
        }
    };
    index.shards.into_par_iter().for_each(|shard| {
        emit(
            format!("search/s/{}.js", key_file_name(&shard.key)),
            encode_shard(shard),
        )
    });
    let page_count = pages.len();
    // Each page's text is freed on the thread that wrote its file (freeing 10,000 pages'
    // text on one thread took 25 ms).
    let mut page_files: Vec<(usize, Vec<PageEntry>)> = Vec::with_capacity(page_count);
    for (number, page) in pages.into_iter().enumerate() {
        let chunk = number / PAGES_PER_FILE;
        match page {
            PageFile::Make(page) => match page_files.last_mut() {
                Some((last, file)) if *last == chunk => file.push(page),
                _ => page_files.push((chunk, vec![page])),
            },
            PageFile::Kept { hash } => {
                version.fetch_add(
                    version_part(&page_file_path(number), hash),
                    Ordering::Relaxed,
                );
            }
        }
    }
    page_files
        .into_par_iter()
        .for_each(|(chunk, pages)| emit(page_file_path(chunk), encode_pages(chunk, &pages)));
    let meta = Meta {
        format: 2,
        version: format!("{:x}", version.load(Ordering::Relaxed)),
        keys,
        sections: index.sections,
        pages: page_count,
        sections_per_page: SECTIONS_PER_PAGE,
        pages_per_file: PAGES_PER_FILE,
        score_scale: SCORE_SCALE,
    };
    let mut meta_file = format!("folioSearch.meta({});\n", json(&meta));
    let mut files = gathered.into_inner().unwrap_or_else(|e| e.into_inner());
    if one_file && files.iter().map(|(_, text)| text.len()).sum::<usize>() <= ONE_FILE_BUDGET {
        // In a fixed order, so that builds of the same site are the same.
        files.sort();
        for (_, text) in files {
            meta_file.push_str(&text);
        }
    } else {
        for (path, text) in files {
            sink(path, text);
        }
    }
    sink("search/meta.js".into(), meta_file);
}

/// The shard keys as [`Meta::keys`] lists them.
fn key_list(shards: &[Shard]) -> String {
    let mut keys: Vec<(&str, bool)> = shards.iter().map(|s| (s.key.as_str(), s.split)).collect();
    keys.sort_unstable();
    let mut list = String::with_capacity(keys.len() * 4);
    for (key, split) in keys {
        if !list.is_empty() {
            list.push(' ');
        }
        list.push_str(key);
        if split {
            list.push('+');
        }
    }
    list
}

/// A shard's file: `folioSearch.shard(key, {term: postings, ...})`, terms in order.
fn encode_shard(mut shard: Shard) -> String {
    shard.terms.sort_by(|a, b| a.term.cmp(&b.term));
    let mut text = format!("folioSearch.shard({},{{", json(&shard.key));
    for (index, term) in shard.terms.iter().enumerate() {
        if index > 0 {
            text.push(',');
        }
        let _ = write!(text, "{}:\"{}\"", json(&term.term), term.encoded);
    }
    text.push_str("});\n");
    text
}

/// A file name for a shard key: ASCII letters and digits as they are, anything else as hex
/// (file systems may not tell `Ab` from `ab`, so capitals never occur: keys are lowercase).
pub fn key_file_name(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return key.to_string();
    }
    let mut name = String::from("_");
    for byte in key.bytes() {
        let _ = write!(name, "{byte:02x}");
    }
    name
}

/// Pages per `search/p/` file: fewer, larger files are faster to write, smaller ones load
/// less for each result shown.
pub const PAGES_PER_FILE: usize = 1;
/// Text kept per section for result snippets.
const SNIPPET_SOURCE_CHARS: usize = 320;

/// A page file holds, for each page, `{"t": title, "u": url, "b": [breadcrumb],
/// "s": [[heading (empty for the top), anchor, start of the text], ...]}`.
/// A section's anchor as a page file holds it: `0` when search.js makes it from the heading
/// (lowercase, spaces as hyphens), which is most headings; a first query downloads dozens of
/// page files, and this is a tenth of their headings' bytes.
#[derive(Debug, PartialEq)]
enum Anchor<'a> {
    FromHeading(u8),
    Written(&'a str),
}

impl<'a> Anchor<'a> {
    fn of(heading: &str, anchor: &'a str) -> Anchor<'a> {
        let plain = !heading.is_empty()
            && !heading.starts_with(' ')
            && !heading.ends_with(' ')
            && !heading.contains("  ")
            && heading
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b' ');
        let derived = anchor.len() == heading.len()
            && heading.bytes().zip(anchor.bytes()).all(|(h, a)| {
                a == if h == b' ' {
                    b'-'
                } else {
                    h.to_ascii_lowercase()
                }
            });
        if plain && derived {
            Anchor::FromHeading(0)
        } else {
            Anchor::Written(anchor)
        }
    }
}

fn encode_pages(chunk: usize, pages: &[PageEntry]) -> String {
    // Written by hand rather than through serde: these are tens of megabytes at 10,000 pages,
    // and the shape is fixed. The bytes are what `json` would give for the same values.
    let mut text = String::with_capacity(pages.iter().map(page_file_estimate).sum::<usize>() + 32);
    let _ = write!(text, "folioSearch.pages({chunk},[");
    for (index, page) in pages.iter().enumerate() {
        if index > 0 {
            text.push(',');
        }
        text.push_str("{\"t\":");
        push_json_string(&mut text, &page.title);
        text.push_str(",\"u\":");
        push_json_string(&mut text, &page.url);
        text.push_str(",\"b\":[");
        for (index, crumb) in page.breadcrumb.iter().enumerate() {
            if index > 0 {
                text.push(',');
            }
            push_json_string(&mut text, crumb);
        }
        text.push_str("],\"s\":[");
        for (index, section) in page.sections.iter().enumerate() {
            if index > 0 {
                text.push(',');
            }
            let heading = section.title.as_deref().unwrap_or("");
            text.push('[');
            push_json_string(&mut text, heading);
            text.push(',');
            match Anchor::of(heading, section.anchor.as_deref().unwrap_or("")) {
                Anchor::FromHeading(n) => {
                    let _ = write!(text, "{n}");
                }
                Anchor::Written(anchor) => push_json_string(&mut text, anchor),
            }
            text.push(',');
            push_json_string(&mut text, truncate(&section.text));
            text.push(']');
        }
        text.push_str("]}");
    }
    text.push_str("]);\n");
    text
}

/// About the size of a page's part of its file, to allocate it once.
fn page_file_estimate(page: &PageEntry) -> usize {
    let sections: usize = page
        .sections
        .iter()
        .map(|s| {
            s.title.as_ref().map_or(0, String::len) + s.text.len().min(SNIPPET_SOURCE_CHARS) + 16
        })
        .sum();
    page.title.len() + page.url.len() + 64 + sections
}

/// Appends `value` as a JSON string, escaped as serde_json escapes it, with `</` written
/// `<\/` so that the file is safe inside a script.
fn push_json_string(out: &mut String, value: &str) {
    out.push('"');
    let bytes = value.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        // A tight scan to the next byte that may need escaping (most strings have none).
        match bytes[at..].iter().position(|&b| MAY_ESCAPE[usize::from(b)]) {
            Some(offset) => at += offset,
            None => break,
        }
        let byte = bytes[at];
        let escaped: &str = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            b'/' if at > 0 && bytes[at - 1] == b'<' => "\\/",
            b'/' => {
                at += 1;
                continue;
            }
            _ => "",
        };
        out.push_str(&value[copied..at]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escaped);
        }
        at += 1;
        copied = at;
    }
    out.push_str(&value[copied..]);
    out.push('"');
}

/// Bytes [`push_json_string`] looks at: quotes, backslashes, control characters, and `/`
/// (escaped after `<`).
static MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'/' as usize] = true;
    table
};

/// The start of `text`, cut at a word boundary.
fn truncate(text: &str) -> &str {
    if text.len() <= SNIPPET_SOURCE_CHARS {
        return text;
    }
    let mut end = SNIPPET_SOURCE_CHARS;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(' ') {
        Some(space) if space > SNIPPET_SOURCE_CHARS / 2 => &text[..space],
        _ => &text[..end],
    }
}

/// JSON that is safe inside a script (no `</script>`).
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    // Copied again only when it has to be: most files have no `</`.
    if text.contains("</") {
        text.replace("</", "<\\/")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_made_from_their_heading_are_left_to_the_script() {
        assert_eq!(
            Anchor::of("Handling Network", "handling-network"),
            Anchor::FromHeading(0)
        );
        assert_eq!(Anchor::of("See also", "see-also"), Anchor::FromHeading(0));
        for (heading, anchor) in [
            ("See also", "see-also-1"),
            ("C++ API", "c-api"),
            ("Café", "café"),
            ("", ""),
            ("Two  spaces", "two--spaces"),
            ("Intro", "custom"),
        ] {
            assert_eq!(
                Anchor::of(heading, anchor),
                Anchor::Written(anchor),
                "{heading}"
            );
        }
        let section = |title: Option<&str>, anchor: Option<&str>| crate::search::extract::Section {
            title: title.map(str::to_string),
            anchor: anchor.map(str::to_string),
            text: "Text.".into(),
        };
        let file = encode_pages(
            3,
            &[PageEntry {
                title: "T".into(),
                url: "t/".into(),
                breadcrumb: Vec::new(),
                sections: vec![
                    section(None, None),
                    section(Some("Handling Network"), Some("handling-network")),
                    section(Some("C++ API"), Some("c-api")),
                ]
                .into(),
            }],
        );
        assert_eq!(
            file,
            "folioSearch.pages(3,[{\"t\":\"T\",\"u\":\"t/\",\"b\":[],\"s\":[[\"\",\"\",\"Text.\"],[\"Handling Network\",0,\"Text.\"],[\"C++ API\",\"c-api\",\"Text.\"]]}]);\n"
        );
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for value in [
            "",
            "plain",
            "quote \" and \\ backslash",
            "lines\nand\ttabs\r",
            "\u{1}\u{8}\u{c}\u{1f}\u{7f}",
            "</script> and </ and <//",
            "ünïcode 分布 \u{2028}",
            "/leading slash<",
        ] {
            let mut written = String::new();
            push_json_string(&mut written, value);
            assert_eq!(written, json(value), "{value:?}");
        }
    }

    #[test]
    fn key_file_names_are_safe() {
        assert_eq!(key_file_name("ra"), "ra");
        assert_eq!(key_file_name("2p"), "2p");
        assert_eq!(key_file_name("分"), "_e58886");
    }

    #[test]
    fn keys_are_listed_in_order_with_split_ones_marked() {
        let shard = |key: &str, split| Shard {
            key: key.into(),
            split,
            terms: Vec::new(),
        };
        let shards = [
            shard("ra", false),
            shard("co", true),
            shard("分", false),
            shard("com", false),
        ];
        assert_eq!(key_list(&shards), "co+ com ra 分");
        assert_eq!(key_list(&[]), "");
    }
}
