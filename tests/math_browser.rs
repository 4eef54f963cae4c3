//! Formulas as a reader sees them in headless Chromium: every `<math>` element is laid out
//! with a size (the browser knows MathML; no script or font is loaded for it), display
//! formulas are taller than inline ones, and the print stylesheet keeps them, on the page
//! and on the print page.
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
use headless_chrome::protocol::cdp::Emulation;
use server::StaticServer;

/// Per `<math>`: [width, height, is a MathML element, is a display block].
const MEASURE: &str = r#"JSON.stringify([...document.querySelectorAll('main math')].map(m => {
  const box = m.getBoundingClientRect();
  return [box.width, box.height, m instanceof MathMLElement ? 1 : 0, m.getAttribute('display') === 'block' ? 1 : 0];
}))"#;

fn emulate_media(page: &chrome::Page, media: &str) {
    let method: Emulation::SetEmulatedMedia =
        serde_json::from_value(serde_json::json!({ "media": media })).unwrap();
    page.tab.call_method(method).expect("media emulated");
}

#[test]
#[ignore = "needs chromium"]
fn formulas_have_a_size_on_screen_and_in_print() {
    let site = Site::fixture("math");
    site.build(&[]).clean();
    let server = StaticServer::start(&site.public());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    page.goto(&server.url("/formulas/"));
    for media in ["screen", "print"] {
        emulate_media(&page, media);
        let measured: Vec<[f64; 4]> = serde_json::from_str(&page.eval_str(MEASURE)).unwrap();
        assert_eq!(measured.len(), 21, "{media}: every formula of the page");
        let mut tallest_inline: f64 = 0.0;
        let mut tallest_block: f64 = 0.0;
        for (n, [width, height, mathml, block]) in measured.iter().enumerate() {
            assert_eq!(*mathml, 1.0, "{media}: formula {n} is not MathML");
            assert!(
                *width > 5.0 && *height > 5.0,
                "{media}: formula {n} is {width}x{height}"
            );
            if *block == 1.0 {
                tallest_block = tallest_block.max(*height);
            } else {
                tallest_inline = tallest_inline.max(*height);
            }
        }
        // A sum with limits over a fraction stands taller than any formula in a line.
        assert!(
            tallest_block > tallest_inline,
            "{media}: blocks {tallest_block}, inline {tallest_inline}"
        );
    }
    // The print page, printed, has every formula with a size.
    page.goto(&server.url("/print/"));
    emulate_media(&page, "print");
    let printed: Vec<[f64; 4]> = serde_json::from_str(&page.eval_str(MEASURE)).unwrap();
    assert_eq!(printed.len(), 21, "every formula on the print page");
    assert!(
        printed
            .iter()
            .all(|[w, h, mathml, _]| *w > 5.0 && *h > 5.0 && *mathml == 1.0),
        "{printed:?}"
    );
    // The page asked for nothing it does not ask for without formulas.
    let requested = page.eval_str(
        "JSON.stringify(performance.getEntriesByType('resource').map(r => r.name).filter(n => /font|katex|mathjax|\\.woff/i.test(n)))",
    );
    assert_eq!(requested, "[]");
    assert_eq!(page.errors(), Vec::<String>::new());
}
