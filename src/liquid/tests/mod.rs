//! Tests of Liquid in pages. Expected text marked "Jekyll:" was taken from Jekyll 4.3.1
//! building the same markup (a probe site with the same config, pages, includes and data).

mod errors;
mod filters;
mod objects;
mod tags;

use std::path::Path;
use std::sync::Arc;

use super::{LiquidSettings, PageInfo, PageVars, SiteLiquid};
use crate::diagnostics::Diagnostic;
use crate::markdown::highlight::CodeThemes;

/// A site on disk with its Liquid.
pub struct TestSite {
    pub dir: tempfile::TempDir,
    pub liquid: SiteLiquid,
}

fn yaml(text: &str) -> serde_yaml::Mapping {
    serde_yaml::from_str(text).unwrap_or_default()
}

pub const PAGE_FRONT: &str = "title: Probe Page\nnav_order: 1\ntags: [a, b]\ndate: 2024-03-05 14:07:00 +0000\nlist: [3, 1, 2]\nmixed: [\"b\", \"A\", \"c\"]\nitems:\n  - {n: \"x\", w: 2}\n  - {n: \"y\"}\n  - {n: \"z\", w: 1}\n";

/// Files (path under the site root, text), and pages besides `guide/page.md`.
pub fn site_with(files: &[(&str, &str)]) -> TestSite {
    try_site(files).unwrap_or_else(|problems| panic!("{problems:?}"))
}

pub fn try_site(files: &[(&str, &str)]) -> Result<TestSite, Vec<Diagnostic>> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("content/guide")).unwrap();
    let pages = vec![
        PageInfo {
            rel_path: "docs/other.md".into(),
            url: "/docs/other/".into(),
            title: Some("Other Page".into()),
            front_matter: yaml("title: Other Page\nnav_order: 2"),
        },
        PageInfo {
            rel_path: "guide/page.md".into(),
            url: "/guide/page/".into(),
            title: Some("Probe Page".into()),
            front_matter: yaml(PAGE_FRONT),
        },
    ];
    let mut extra = toml::Table::new();
    extra.insert(
        "footer_text".into(),
        toml::Value::String("hello footer".into()),
    );
    let settings = LiquidSettings {
        root: dir.path().to_path_buf(),
        content_dir: dir.path().join("content"),
        includes_dir: dir.path().join("includes"),
        data_dir: dir.path().join("data"),
        title: "Jekyll Probe".into(),
        description: "A site to compare".into(),
        base_url: Some("https://example.org/handbook/".into()),
        extra,
        pages,
        code_themes: Arc::new(CodeThemes::new("InspiredGitHub", "OneHalfDark").unwrap()),
        markdownify: None,
    };
    let liquid = SiteLiquid::new(settings)?;
    Ok(TestSite { dir, liquid })
}

pub fn site() -> TestSite {
    site_with(&[])
}

impl TestSite {
    /// Renders `body` as `content/guide/page.md` whose body starts on line 6.
    pub fn try_render(&self, body: &str) -> Result<String, Vec<Diagnostic>> {
        let front = yaml(PAGE_FRONT);
        let vars = PageVars {
            source: Path::new("content/guide/page.md"),
            rel_path: "guide/page.md",
            url: "/guide/page/",
            title: Some("Probe Page"),
            front_matter: &front,
            body_line: 6,
            render_with_liquid: true,
        };
        self.liquid
            .render_page(body, &vars)
            .map(|done| done.text.into_owned())
    }

    pub fn render(&self, body: &str) -> String {
        self.try_render(body)
            .unwrap_or_else(|problems| panic!("{body}: {problems:#?}"))
    }

    /// The errors of `body`, as `line:col: message`.
    pub fn errors(&self, body: &str) -> Vec<String> {
        match self.try_render(body) {
            Ok(text) => panic!("{body} rendered as {text}"),
            Err(problems) => problems
                .iter()
                .map(|d| format!("{}: {}", d.location(), d.message))
                .collect(),
        }
    }
}
