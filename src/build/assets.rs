//! Files the build makes (the navigation tree, the code stylesheet) and the version strings
//! that let browsers cache stylesheets and scripts until they change.

use std::collections::HashMap;

use crate::config::SiteConfig;
use crate::content::{AssetSource, Content};
use crate::markdown::highlight::CodeThemes;
use crate::nav::{Nav, sidebar};
use crate::output;

pub struct Generated {
    pub nav_json: String,
    pub highlight_css: String,
    /// Version string by output path, for stylesheets, scripts and generated files.
    pub versions: HashMap<String, String>,
}

pub fn generate(
    config: &SiteConfig,
    content: &Content,
    nav: &Nav,
    code_themes: &CodeThemes,
) -> Generated {
    let nav_json = sidebar::nav_json(nav, &content.pages, &config.base_path());
    let highlight_css = code_themes.stylesheet();
    let mut versions = HashMap::new();
    for asset in &content.static_files {
        if !(asset.output_path.ends_with(".css") || asset.output_path.ends_with(".js")) {
            continue;
        }
        let bytes = match &asset.source {
            AssetSource::Embedded(bytes) => Some(bytes.to_vec()),
            AssetSource::File(path) => std::fs::read(path).ok(),
        };
        if let Some(bytes) = bytes {
            versions.insert(asset.output_path.clone(), version(&bytes));
        }
    }
    versions.insert(output::NAV_FILE.to_string(), version(nav_json.as_bytes()));
    versions.insert(
        output::HIGHLIGHT_CSS.to_string(),
        version(highlight_css.as_bytes()),
    );
    Generated {
        nav_json,
        highlight_css,
        versions,
    }
}

/// A short content hash.
fn version(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))[..10].to_string()
}
