//! Files the build makes: the theme stylesheet with the code colours appended (so pages
//! load one stylesheet), and the version strings that let browsers cache stylesheets and
//! scripts until they change.

use std::collections::HashMap;
use std::sync::Arc;

use crate::content::{Asset, AssetSource, Content};
use crate::markdown::highlight::CodeThemes;
use crate::paths;

#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub nav_json: String,
    /// Version string by output path, for stylesheets, scripts and generated files.
    pub versions: HashMap<String, String>,
}

impl Generated {
    pub fn set_version(&mut self, path: &str, bytes: &[u8]) {
        self.versions.insert(path.to_string(), version(bytes));
    }

    /// Versions every stylesheet and script among the static files.
    pub fn version_static_files(&mut self, content: &Content) {
        for asset in &content.static_files {
            if (asset.output_path.ends_with(".css") || asset.output_path.ends_with(".js"))
                && let Some(bytes) = read(asset)
            {
                self.set_version(&asset.output_path, &bytes);
            }
        }
    }
}

/// Appends the code colours to the theme stylesheet in `content.static_files`.
pub fn combine_stylesheet(content: &mut Content, code_themes: &CodeThemes) {
    let stylesheet = content
        .static_files
        .iter()
        .position(|asset| asset.output_path == paths::STYLESHEET);
    let mut combined = stylesheet
        .and_then(|index| read(&content.static_files[index]))
        .unwrap_or_default();
    combined.push(b'\n');
    combined.extend_from_slice(code_themes.stylesheet().as_bytes());
    let combined = Asset {
        source: AssetSource::Generated(Arc::new(combined)),
        output_path: paths::STYLESHEET.to_string(),
    };
    match stylesheet {
        Some(index) => content.static_files[index] = combined,
        None => content.static_files.push(combined),
    }
}

/// The bytes of a file to publish.
pub fn read(asset: &Asset) -> Option<Vec<u8>> {
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
