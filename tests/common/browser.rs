//! Driving Debian's Chromium (headless) for tests of what readers see.
// Each test binary uses its own share of these helpers.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Browser as BrowserDomain, Emulation};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::{Value, json};

/// The Chromium binary: `$FOLIO_CHROMIUM`, or Debian's.
pub fn chromium_path() -> std::path::PathBuf {
    let path = std::env::var_os("FOLIO_CHROMIUM")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    assert!(
        path.exists(),
        "Chromium not found at {} (apt-get install chromium, or set FOLIO_CHROMIUM)",
        path.display()
    );
    path
}

/// A headless Chromium with the flags this machine needs.
pub fn launch() -> Browser {
    let args: Vec<&std::ffi::OsStr> = [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--hide-scrollbars",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    let options = LaunchOptions {
        headless: true,
        sandbox: false,
        enable_gpu: false,
        path: Some(chromium_path()),
        window_size: Some((1280, 900)),
        args,
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    };
    Browser::new(options).expect("Chromium starts")
}

/// A tab that records console errors and uncaught exceptions.
pub struct Page {
    pub tab: Arc<Tab>,
    pub errors: Arc<Mutex<Vec<String>>>,
}

/// Opens a tab with a viewport of `width` x `height` CSS pixels.
pub fn open(browser: &Browser, width: u32, height: u32) -> Page {
    let tab = browser.new_tab().expect("a new tab");
    tab.set_default_timeout(Duration::from_secs(20));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&errors);
    tab.enable_runtime().unwrap();
    tab.enable_log().unwrap();
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let message = match event {
            Event::RuntimeExceptionThrown(e) => {
                Some(format!("exception: {:?}", e.params.exception_details.text))
            }
            Event::RuntimeConsoleAPICalled(e) if format!("{:?}", e.params.Type) == "Error" => {
                Some(format!(
                    "console.error: {:?}",
                    e.params.args.first().and_then(|a| a.value.clone())
                ))
            }
            Event::LogEntryAdded(e) if format!("{:?}", e.params.entry.level) == "Error" => Some(
                format!("log: {} {:?}", e.params.entry.text, e.params.entry.url),
            ),
            _ => None,
        };
        if let Some(message) = message {
            sink.lock().unwrap().push(message);
        }
    }))
    .unwrap();
    let page = Page { tab, errors };
    page.set_viewport(width, height, width < 600);
    page
}

impl Page {
    pub fn set_viewport(&self, width: u32, height: u32, mobile: bool) {
        let method: Emulation::SetDeviceMetricsOverride = serde_json::from_value(json!({
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile
        }))
        .unwrap();
        self.tab.call_method(method).expect("viewport set");
    }

    /// Emulates the reader's system colour scheme.
    pub fn prefer_color_scheme(&self, scheme: &str) {
        let method: Emulation::SetEmulatedMedia = serde_json::from_value(json!({
            "features": [{ "name": "prefers-color-scheme", "value": scheme }]
        }))
        .unwrap();
        self.tab.call_method(method).expect("media emulated");
    }

    /// Emulates a media type (`print`, `screen`) for CSS media queries.
    pub fn emulate_media(&self, media: &str) {
        let method: Emulation::SetEmulatedMedia =
            serde_json::from_value(json!({ "media": media })).unwrap();
        self.tab.call_method(method).expect("media emulated");
    }

    pub fn grant_clipboard(&self, origin: &str) {
        let method: BrowserDomain::GrantPermissions = serde_json::from_value(json!({
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": origin
        }))
        .unwrap();
        self.tab.call_method(method).expect("clipboard permission");
    }

    pub fn goto(&self, url: &str) {
        self.tab
            .navigate_to(url)
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        self.wait_for("document.readyState === 'complete'");
    }

    /// The value of a JavaScript expression (promises are awaited).
    pub fn eval(&self, expression: &str) -> Value {
        let result = self
            .tab
            .evaluate(expression, true)
            .unwrap_or_else(|e| panic!("evaluating `{expression}` failed: {e}"));
        result.value.unwrap_or(Value::Null)
    }

    pub fn eval_str(&self, expression: &str) -> String {
        match self.eval(expression) {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }

    pub fn eval_bool(&self, expression: &str) -> bool {
        self.eval(expression) == Value::Bool(true)
    }

    /// Waits until `condition` (a JavaScript expression) is true.
    pub fn wait_for(&self, condition: &str) {
        self.wait_for_within(condition, Duration::from_secs(10));
    }

    /// Waits up to `limit` until `condition` (a JavaScript expression) is true.
    pub fn wait_for_within(&self, condition: &str, limit: Duration) {
        let started = Instant::now();
        while started.elapsed() < limit {
            if self.eval_bool(&format!("Boolean({condition})")) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for `{condition}` on {}",
            self.tab.get_url()
        );
    }

    pub fn click(&self, selector: &str) {
        self.tab
            .find_element(selector)
            .unwrap_or_else(|e| panic!("no `{selector}`: {e}"))
            .click()
            .unwrap();
    }

    pub fn press(&self, key: &str) {
        self.tab.press_key(key).unwrap();
    }

    /// Presses `key` with Control (or another modifier) held.
    pub fn press_with(&self, key: &str, modifier: headless_chrome::browser::tab::ModifierKey) {
        self.tab
            .press_key_with_modifiers(key, Some(&[modifier]))
            .unwrap();
    }

    /// Types `text` into the focused element, key by key.
    pub fn type_text(&self, text: &str) {
        self.tab.type_str(text).unwrap();
    }

    pub fn screenshot(&self) -> Vec<u8> {
        self.tab
            .capture_screenshot(
                headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
                None,
                None,
                true,
            )
            .unwrap()
    }

    /// Console errors and exceptions so far.
    pub fn errors(&self) -> Vec<String> {
        self.errors.lock().unwrap().clone()
    }
}
