//! The scores and shards the index writes, read back the way the theme's script reads them.

use super::score::{BUCKET_BITS, quantise};
use super::*;

#[test]
fn postings_encode_as_gaps_and_scores() {
    assert_eq!(encode_postings(&[(0, 1), (5, 31)]), "ABFf");
    // 64 = 2 * 32: a low digit with the continuation bit, then 2.
    assert_eq!(encode_postings(&[(64, 255)]), "gC_H");
}

/// The inverse of [`encode_postings`], as search.js decodes it.
fn decode_postings(encoded: &str) -> Vec<(u32, u8)> {
    const DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut numbers = Vec::new();
    let (mut value, mut shift) = (0u32, 0);
    for c in encoded.chars() {
        let digit = DIGITS.find(c).expect("a base-64 digit") as u32;
        value |= (digit & 31) << shift;
        shift += 5;
        if digit & 32 == 0 {
            numbers.push(value);
            (value, shift) = (0, 0);
        }
    }
    let mut doc = 0;
    numbers
        .chunks(2)
        .map(|pair| {
            doc += pair[0];
            (doc, u8::try_from(pair[1]).expect("a score fits a byte"))
        })
        .collect()
}

#[test]
fn decoding_reverses_encoding() {
    let postings = [(0, 1), (3, 200), (64 * 9000 + 5, 255), (64 * 9001, 17)];
    assert_eq!(decode_postings(&encode_postings(&postings)), postings);
}

fn page(title: &str, sections: &[(Option<&str>, &str)]) -> PageEntry {
    PageEntry {
        title: title.to_string(),
        url: format!("{}/", title.to_lowercase().replace(' ', "-")),
        breadcrumb: Vec::new(),
        sections: sections
            .iter()
            .enumerate()
            .map(|(n, (heading, text))| Section {
                title: heading.map(str::to_string),
                anchor: heading.map(|_| format!("s{n}")),
                text: text.to_string(),
            })
            .collect(),
    }
}

/// The shard a reader's script loads for `term`: the longest key on the path of split shards.
fn shard_for<'i>(index: &'i Index, term: &str) -> Option<&'i Shard> {
    let chars: Vec<char> = term.chars().collect();
    let shortest = if chars.len() > 1 && chars[0].is_ascii() && chars[1].is_ascii() {
        2
    } else {
        1
    };
    let mut found = None;
    for n in shortest..=chars.len() {
        let key: String = chars[..n].iter().collect();
        let Some(shard) = index.shards.iter().find(|s| s.key == key) else {
            break;
        };
        found = Some(shard);
        if !shard.split {
            break;
        }
    }
    found
}

/// The sections holding `term`, best first, as (page, section, score).
fn ranked(index: &Index, term: &str) -> Vec<(u32, u32, u8)> {
    let shard = shard_for(index, term).expect("the term's shard exists");
    let found = shard
        .terms
        .iter()
        .find(|t| t.term == term)
        .expect("the term is in its shard");
    let mut postings = decode_postings(&found.encoded);
    postings.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    postings
        .into_iter()
        .map(|(doc, score)| (doc / SECTIONS_PER_PAGE, doc % SECTIONS_PER_PAGE, score))
        .collect()
}

const FILLER: &str =
    "Operators read dashboards, page each other, and write notes after incidents. ";

/// A small handbook whose pages mention "raft" in different places.
fn corpus() -> Vec<PageEntry> {
    vec![
        // 0: a long text that mentions it once.
        page(
            "Operations",
            &[(
                None,
                &format!("{} raft {}", FILLER.repeat(12), FILLER.repeat(12)),
            )],
        ),
        // 1: in a heading.
        page(
            "Consensus",
            &[
                (None, "Agreement among replicas."),
                (Some("Raft in practice"), "Leaders and terms."),
            ],
        ),
        // 2: the page's title.
        page(
            "Raft",
            &[
                (None, "A consensus algorithm."),
                (Some("Log replication"), "Entries flow from the leader."),
            ],
        ),
        // 3: a short text that mentions it once.
        page("Glossary", &[(None, "Paxos, raft, quorum.")]),
        // 4: not at all.
        page(
            "Just the basics",
            &[(None, "The first steps of the handbook.")],
        ),
    ]
}

#[test]
fn title_matches_come_first_then_headings_then_short_texts() {
    let index = build(&corpus());
    let order: Vec<(u32, u32)> = ranked(&index, "raft")
        .iter()
        .map(|&(p, s, _)| (p, s))
        .collect();
    assert_eq!(order, [(2, 0), (1, 1), (3, 0), (0, 0)]);
}

#[test]
fn every_word_is_searchable_stop_words_included() {
    let index = build(&corpus());
    assert_eq!(
        ranked(&index, "just").first().map(|r| (r.0, r.1)),
        Some((4, 0))
    );
    let the: Vec<u32> = ranked(&index, "the").iter().map(|r| r.0).collect();
    assert!(the.contains(&4) && the.contains(&2), "{the:?}");
    assert_eq!(index.sections, 7);
}

#[test]
fn rarer_words_score_higher_than_common_ones() {
    let index = build(&corpus());
    // "leader" (one section) and "the" (several) both occur once in section (2, 1).
    let score = |term: &str| {
        ranked(&index, term)
            .iter()
            .find(|r| (r.0, r.1) == (2, 1))
            .unwrap()
            .2
    };
    assert!(
        score("leader") > score("the"),
        "{} vs {}",
        score("leader"),
        score("the")
    );
}

#[test]
fn a_very_common_word_keeps_its_best_sections() {
    let mut pages: Vec<PageEntry> = (0..MAX_POSTINGS + 100)
        .map(|n| page(&format!("Page {n}"), &[(None, &format!("{FILLER} widget"))]))
        .collect();
    pages.push(page("Widget", &[(None, "Everything about it.")]));
    let index = build(&pages);
    let widget = ranked(&index, "widget");
    assert_eq!(widget.len(), MAX_POSTINGS);
    assert_eq!((widget[0].0, widget[0].1), ((MAX_POSTINGS + 100) as u32, 0));
}

/// Distinct made-up words: `count` of them after `prefix`, the first ones repeated more.
fn words(prefix: &str, count: usize) -> String {
    let mut text = String::new();
    for n in 0..count {
        let word = format!("{prefix}{}", alphabetic(n));
        for _ in 0..(if n < 5 { 3 } else { 1 }) {
            text.push_str(&word);
            text.push(' ');
        }
    }
    text
}

fn alphabetic(mut n: usize) -> String {
    let mut out = String::new();
    loop {
        out.insert(0, (b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return out;
        }
        n -= 1;
    }
}

#[test]
fn a_large_shard_is_split_and_every_term_is_in_the_shard_its_prefix_selects() {
    // Thousands of words starting with "st" (too many for one shard) plus a few others.
    let pages: Vec<PageEntry> = (0..40)
        .map(|n| {
            page(
                &format!("Page {n}"),
                &[(
                    None,
                    &format!(
                        "{} {}",
                        words("st", 6000),
                        words(&format!("q{}", alphabetic(n)), 3)
                    ),
                )],
            )
        })
        .collect();
    let index = build(&pages);
    let st = index
        .shards
        .iter()
        .find(|s| s.key == "st")
        .expect("a shard for st");
    assert!(st.split, "the st shard is split");
    assert!(
        index
            .shards
            .iter()
            .any(|s| s.key.starts_with("st") && s.key.len() > 2)
    );
    // A split shard keeps its most frequent longer terms, for one-letter-more prefixes.
    assert!(st.terms.len() <= HEAD_TERMS + 1);
    assert!(
        st.terms.iter().any(|t| t.term == "sta"),
        "{:?}",
        st.terms.iter().map(|t| &t.term).collect::<Vec<_>>()
    );
    // Those copies keep only their best postings; the full lists are deeper.
    let sta = st.terms.iter().find(|t| t.term == "sta").unwrap();
    assert_eq!(decode_postings(&sta.encoded).len(), HEAD_POSTINGS);
    assert_eq!(ranked(&index, "sta").len(), 40);
    // Small groups stay whole.
    assert!(index.shards.iter().any(|s| s.key == "qa" && !s.split));
    // Every term is found where the script looks, once, and shards stay within budget.
    let mut seen = 0;
    for shard in &index.shards {
        for term in &shard.terms {
            let selected = shard_for(&index, &term.term).expect("a shard for every term");
            assert!(
                selected.terms.iter().any(|t| t.term == term.term),
                "{} not in {}",
                term.term,
                selected.key
            );
            if selected.key == shard.key {
                seen += 1;
            }
        }
        if !shard.split && shard.key.chars().count() < MAX_KEY_CHARS {
            let size: usize = shard
                .terms
                .iter()
                .map(|t| t.term.len() + t.encoded.len() + 6)
                .sum();
            assert!(size <= SHARD_BUDGET, "{} is {size} bytes", shard.key);
        }
    }
    assert!(seen > 6000);
}

#[test]
fn the_quantiser_gives_the_bytes_of_the_formula() {
    for docs in [1.0, 37.0, 5_000.0, 640_000.0] {
        let ceiling = score_ceiling(docs);
        let quantiser = Quantiser::new(ceiling);
        let mut state = 0x9e37_79b9_u32;
        for step in 0..50_000 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            // Scores from far below the first step to the ceiling and a little past it.
            let fraction = f64::from(state) / f64::from(u32::MAX);
            let score = ceiling * 1.1 * fraction.powi(1 + step % 6);
            let near_a_step = quantiser.steps[1..255]
                .iter()
                .any(|s| (score - s).abs() <= s.abs() * 1e-12);
            if !near_a_step {
                assert_eq!(
                    quantiser.byte(score),
                    quantise(score, ceiling),
                    "{score} of {ceiling}"
                );
            }
        }
        // Scores whose place is at a bucket's edge, or a bit either side of it.
        for b in 0..quantiser.first_step.len() {
            let lowest = f64::from_bits(((b as u64) + (1023 << BUCKET_BITS)) << (52 - BUCKET_BITS));
            let at_edge = (lowest - 1.0) / quantiser.scale;
            for score in [at_edge * (1.0 - 1e-15), at_edge, at_edge * (1.0 + 1e-15)] {
                let near_a_step = quantiser.steps[1..255]
                    .iter()
                    .any(|s| (score - s).abs() <= s.abs() * 1e-12);
                if !near_a_step && score <= ceiling * 1.5 {
                    assert_eq!(quantiser.byte(score), quantise(score, ceiling), "{score}");
                }
            }
        }
        assert_eq!(quantiser.byte(0.0), 1);
        assert_eq!(quantiser.byte(ceiling), 255);
        assert_eq!(quantiser.byte(ceiling * 1e6), 255);
    }
}

/// The quantiser corrects a bucket's first step by one step at most, so a step must be wider
/// than two buckets on the scale (a score's place may round into the next bucket).
#[test]
fn the_buckets_are_narrower_than_a_step() {
    let step_ratio = (1.0 + SCORE_SCALE).powf(1.0 / 254.0);
    let bucket_ratio = 1.0 + 1.0 / f64::from(1u32 << BUCKET_BITS);
    assert!(bucket_ratio * bucket_ratio < step_ratio);
}

/// A shard as (key, split, [(term, encoded postings)]).
type ShardText = (String, bool, Vec<(String, String)>);

/// Every shard, in order, to compare indexes.
fn shards_of(index: Index) -> Vec<ShardText> {
    let mut shards: Vec<_> = index
        .shards
        .into_iter()
        .map(|shard| {
            let mut terms: Vec<_> = shard
                .terms
                .into_iter()
                .map(|t| (t.term, t.encoded))
                .collect();
            terms.sort();
            (shard.key, shard.split, terms)
        })
        .collect();
    shards.sort();
    shards
}

/// Pages of a site whose words overlap, so that edits change shared terms' scores.
fn site_pages(edited: bool) -> Vec<PageEntry> {
    let words = [
        "alpha", "beta", "gamma", "delta", "cache", "build", "page", "shard",
    ];
    (0..40)
        .map(|n| {
            let text = |k: usize| {
                (0..(n * 7 + k * 3) % 23 + 1)
                    .map(|w| words[(n + w * k) % words.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let mut sections = vec![(None, text(1)), (Some("Usage".to_string()), text(2))];
            if edited && n % 9 == 4 {
                // An edit: new words, one section more or one less, a new title.
                sections[0].1.push_str(" edited zeta");
                if n % 2 == 0 {
                    sections.push((Some("More".to_string()), "added words".to_string()));
                } else {
                    sections.pop();
                }
            }
            let title = if edited && n == 13 {
                "Renamed".to_string()
            } else {
                format!("Page {n}")
            };
            let borrowed: Vec<(Option<&str>, &str)> = sections
                .iter()
                .map(|(h, t)| (h.as_deref(), t.as_str()))
                .collect();
            page(&title, &borrowed)
        })
        .collect()
}

#[test]
fn a_recounted_tally_scores_as_a_full_count_does() {
    let before = site_pages(false);
    let after = site_pages(true);
    let mut tally = count(&before);
    let changed: Vec<(u32, &PageEntry)> = after
        .iter()
        .enumerate()
        .filter(|(n, page)| page.title != before[*n].title || n % 9 == 4)
        .map(|(n, page)| (n as u32, page))
        .collect();
    assert!(changed.len() > 3);
    tally.recount(&changed);
    let recounted = shards_of(score_tally(tally, None));
    assert_eq!(recounted, shards_of(build(&after)));
    // And the edits did change the index.
    assert_ne!(recounted, shards_of(build(&before)));
}

/// Scores `tally`, storing its parts; the index and the parts (sorted by number).
fn scored_and_stored(tally: Tally) -> (Index, Vec<(usize, Vec<u8>)>) {
    let parts = std::sync::Mutex::new(Vec::new());
    let store = |number: usize, bytes: &[u8]| {
        parts.lock().unwrap().push((number, bytes.to_vec()));
    };
    let index = score_tally(tally, Some(&store));
    let mut parts = parts.into_inner().unwrap();
    parts.sort();
    (index, parts)
}

fn borrowed(parts: &[(usize, Vec<u8>)]) -> Vec<(usize, &[u8])> {
    parts.iter().map(|(n, b)| (*n, b.as_slice())).collect()
}

#[test]
fn a_stored_tally_reads_back_as_written() {
    let pages = site_pages(true);
    let (index, parts) = scored_and_stored(count(&pages));
    assert_eq!(parts.len(), BUCKETS + 1, "every bucket and the sections");
    // Parts may come in any order.
    let mut shuffled = borrowed(&parts);
    shuffled.reverse();
    let read = Tally::decode(&shuffled).expect("a tally this folio wrote");
    let (again, _) = scored_and_stored(read);
    assert_eq!(shards_of(again), shards_of(index));
    // A part missing, repeated, cut or lengthened: refused, never misread.
    let whole = borrowed(&parts);
    assert!(Tally::decode(&whole[1..]).is_none());
    let mut repeated = whole.clone();
    repeated.push(whole[3]);
    assert!(Tally::decode(&repeated).is_none());
    for (index, (_, bytes)) in whole.iter().enumerate().filter(|(_, (_, b))| b.len() > 1) {
        let mut cut = whole.clone();
        cut[index].1 = &bytes[..bytes.len() - 1];
        assert!(Tally::decode(&cut).is_none(), "part {index} cut");
    }
    let longer: Vec<u8> = [parts[5].1.as_slice(), &[0]].concat();
    let mut lengthened = whole.clone();
    lengthened[5].1 = &longer;
    assert!(Tally::decode(&lengthened).is_none());
}
