//! The external link checker's cache file: good answers, kept for `cache_ttl` so that the
//! next run asks only about new links and the ones that failed.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{ExternalError, LinkStatus};

/// A good result as kept in the cache file. Only 2xx answers are ever stored, so the type
/// has no room for a broken one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct CacheEntry {
    status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    redirected_to: Option<String>,
    /// Unix seconds.
    checked_at: u64,
}

impl CacheEntry {
    pub(super) fn new(status: &LinkStatus, now: u64) -> Option<CacheEntry> {
        let (status, redirected_to) = match status {
            LinkStatus::Ok { status } => (*status, None),
            LinkStatus::Redirected { status, location } => (*status, Some(location.clone())),
            _ => return None,
        };
        let checked_at = now;
        Some(CacheEntry {
            status,
            redirected_to,
            checked_at,
        })
    }

    /// Whether the entry can stand in for a request now. A `checked_at` in the future means
    /// the clock moved back or the file was edited, so it is not trusted.
    fn is_fresh(&self, now: u64, ttl: Duration) -> bool {
        (200..300).contains(&self.status)
            && now
                .checked_sub(self.checked_at)
                .is_some_and(|age| Duration::from_secs(age) < ttl)
    }

    pub(super) fn status(&self) -> LinkStatus {
        let status = self.status;
        match self.redirected_to.clone() {
            Some(location) => LinkStatus::Redirected { status, location },
            None => LinkStatus::Ok { status },
        }
    }
}

/// The fresh entries of the cache at `path`. A missing, unreadable or corrupt file only costs
/// requests, so it reads as empty rather than failing the check; a bad entry loses only itself.
pub(super) fn load_cache(path: &Path, now: u64, ttl: Duration) -> BTreeMap<String, CacheEntry> {
    let raw: BTreeMap<String, serde_json::Value> = fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    raw.into_iter()
        .filter_map(|(url, value)| {
            let entry: CacheEntry = serde_json::from_value(value).ok()?;
            entry.is_fresh(now, ttl).then_some((url, entry))
        })
        .collect()
}

/// Writes the cache beside `path` and renames it over, so that a run killed halfway leaves the
/// old cache whole rather than a truncated one.
pub(super) fn write_cache(
    path: &Path,
    entries: &BTreeMap<String, CacheEntry>,
) -> Result<(), ExternalError> {
    let fail = |source: io::Error| ExternalError::CacheWrite {
        path: path.to_owned(),
        source,
    };
    let json = serde_json::to_vec_pretty(entries).map_err(|err| fail(io::Error::other(err)))?;
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".{}.tmp", std::process::id()));
    let temp = PathBuf::from(temp);
    let written = fs::write(&temp, json).and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.map_err(fail)
}
