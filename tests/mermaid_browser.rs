//! Mermaid diagrams as a reader sees them in headless Chromium: drawn with a size, and their
//! text readable against the page in the light and the dark theme.
//!
//! Needs Debian's `chromium`, so it is ignored by a plain `cargo test`.

#[path = "common/browser.rs"]
mod chrome;
mod common;
#[path = "common/http.rs"]
mod http;
#[path = "common/server.rs"]
mod server;

use common::Site;
use server::StaticServer;

/// Per diagram: [width, height, labels drawn, labels readable on the page background]. A
/// label is readable when it has a size and its fill has a contrast ratio of at least 4.5
/// with the page background.
const MEASURE: &str = r#"(() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = c => {
    const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const page = rgb(getComputedStyle(document.body).backgroundColor);
  return JSON.stringify([...document.querySelectorAll('.mermaid-diagram > svg')].map(svg => {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
    const readable = texts.filter(t => {
      const r = t.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && ratio(rgb(getComputedStyle(t).fill), page) >= 4.5;
    });
    return [box.width, box.height, texts.length, readable.length];
  }));
})()"#;

#[test]
#[ignore = "needs chromium"]
fn diagrams_have_a_size_and_readable_text_in_both_themes() {
    let site = Site::fixture("mermaid");
    site.build(&[]).ok();
    let server = StaticServer::start(&site.public());
    let browser = chrome::launch();
    let mut fills = Vec::new();
    for scheme in ["light", "dark"] {
        let page = chrome::open(&browser, 1280, 900);
        page.prefer_color_scheme(scheme);
        page.goto(&server.url("/architecture/"));
        let measured: Vec<[f64; 4]> = serde_json::from_str(&page.eval_str(MEASURE)).unwrap();
        assert_eq!(measured.len(), 4, "{scheme}: four diagrams");
        for (n, [width, height, labels, readable]) in measured.iter().enumerate() {
            assert!(
                *width > 100.0 && *height > 50.0,
                "{scheme}: diagram {n} is {width}x{height}"
            );
            assert!(*labels > 0.0, "{scheme}: diagram {n} has no text");
            assert_eq!(
                labels, readable,
                "{scheme}: diagram {n}: {readable} of {labels} labels readable"
            );
        }
        fills.push(
            page.eval_str("getComputedStyle(document.querySelector('#mermaid-1 text')).fill"),
        );
        assert_eq!(page.errors(), Vec::<String>::new());
    }
    assert_ne!(fills[0], fills[1], "the text colour follows the theme");
}
