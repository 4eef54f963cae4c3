//! Files the build makes (the navigation tree; the theme stylesheet with the code colours
//! appended, so that pages load one stylesheet) and the version strings that let browsers
//! cache stylesheets and scripts until they change.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::{Asset, AssetSource, Content};
use crate::markdown::highlight::CodeThemes;
use crate::nav::{Nav, sidebar};
use crate::output;

pub struct Generated {
    pub nav_json: String,
    /// Version string by output path, for stylesheets, scripts and generated files.
    pub versions: HashMap<String, String>,
}

/// Makes the generated files; the theme stylesheet in `content.static_files` gets the code
/// colours appended.
pub fn generate(
    config: &SiteConfig,
    content: &mut Content,
    nav: &Nav,
    code_themes: &CodeThemes,
) -> Generated {
    let nav_json = sidebar::nav_json(nav, &content.pages, &config.base_path());
    let stylesheet = content
        .static_files
        .iter()
        .position(|asset| asset.output_path == output::STYLESHEET);
    let mut combined = stylesheet
        .and_then(|index| read(&content.static_files[index]))
        .unwrap_or_default();
    combined.push(b'\n');
    combined.extend_from_slice(code_themes.stylesheet().as_bytes());
    let combined = Asset {
        source: AssetSource::Generated(Arc::new(combined)),
        output_path: output::STYLESHEET.to_string(),
    };
    match stylesheet {
        Some(index) => content.static_files[index] = combined,
        None => content.static_files.push(combined),
    }

    let mut versions = HashMap::new();
    for asset in &content.static_files {
        if asset.output_path.ends_with(".css") || asset.output_path.ends_with(".js") {
            if let Some(bytes) = read(asset) {
                versions.insert(asset.output_path.clone(), version(&bytes));
            }
        }
    }
    versions.insert(output::NAV_FILE.to_string(), version(nav_json.as_bytes()));
    Generated { nav_json, versions }
}

fn read(asset: &Asset) -> Option<Vec<u8>> {
    match &asset.source {
        AssetSource::Embedded(bytes) => Some(bytes.to_vec()),
        AssetSource::Generated(bytes) => Some(bytes.to_vec()),
        AssetSource::File(path) => std::fs::read(path).ok(),
    }
}

/// A short content hash.
fn version(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))[..10].to_string()
}
