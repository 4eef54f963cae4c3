//! Where each page is published: its URL and its output file.
//!
//! Pretty URLs: `guide/setup.md` -> `/guide/setup/` -> `guide/setup/index.html`. A permalink
//! overrides that. Everything a page says is checked here so that no page can name a file
//! outside the output folder.

/// A page's URL (site-relative, no base path) and output file (relative to the output folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub url: String,
    pub output_path: String,
}

/// The location of a page from its path under `content/`.
pub fn from_source(rel_path: &str) -> Location {
    let stem = rel_path.rsplit_once('.').map_or(rel_path, |(stem, _)| stem);
    let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
    let folder = if name == "index" {
        dir.to_string()
    } else if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    };
    if folder.is_empty() {
        Location {
            url: "/".into(),
            output_path: "index.html".into(),
        }
    } else {
        Location {
            url: format!("/{folder}/"),
            output_path: format!("{folder}/index.html"),
        }
    }
}

/// Why a permalink was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermalinkError {
    #[error("must start with `/`")]
    NotAbsolute,
    #[error("must be a path on this site, not a full URL")]
    HasScheme,
    #[error("must not contain `..` or `.` segments")]
    DotSegment,
    #[error("must not contain backslashes")]
    Backslash,
    #[error("must not contain control characters")]
    ControlCharacter,
    #[error("must not contain `?` or `#`")]
    QueryOrFragment,
    #[error("must not contain empty segments (`//`)")]
    EmptySegment,
}

/// The location of a page from its `permalink`.
pub fn from_permalink(permalink: &str) -> Result<Location, PermalinkError> {
    check_permalink(permalink)?;
    if permalink == "/" {
        return Ok(from_source("index.md"));
    }
    let path = &permalink[1..];
    if let Some(folder) = path.strip_suffix('/') {
        return Ok(Location {
            url: permalink.to_string(),
            output_path: format!("{folder}/index.html"),
        });
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    let output_path = if last.contains('.') {
        path.to_string()
    } else {
        // Jekyll writes `/404` as `404.html`; static servers answer `/404` with it.
        format!("{path}.html")
    };
    Ok(Location {
        url: permalink.to_string(),
        output_path,
    })
}

fn check_permalink(permalink: &str) -> Result<(), PermalinkError> {
    if permalink.chars().any(char::is_control) {
        return Err(PermalinkError::ControlCharacter);
    }
    if permalink.contains('\\') {
        return Err(PermalinkError::Backslash);
    }
    let first_segment = permalink.split('/').next().unwrap_or("");
    if first_segment.contains(':') || permalink.starts_with("//") {
        return Err(PermalinkError::HasScheme);
    }
    if !permalink.starts_with('/') {
        return Err(PermalinkError::NotAbsolute);
    }
    if permalink.contains(['?', '#']) {
        return Err(PermalinkError::QueryOrFragment);
    }
    let inner = permalink[1..].strip_suffix('/').unwrap_or(&permalink[1..]);
    if inner.is_empty() {
        return Ok(());
    }
    for segment in inner.split('/') {
        match segment {
            "" => return Err(PermalinkError::EmptySegment),
            "." | ".." => return Err(PermalinkError::DotSegment),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(url: &str, output_path: &str) -> Location {
        Location {
            url: url.into(),
            output_path: output_path.into(),
        }
    }

    #[test]
    fn pretty_urls_from_paths() {
        assert_eq!(from_source("index.md"), loc("/", "index.html"));
        assert_eq!(
            from_source("guide/setup.md"),
            loc("/guide/setup/", "guide/setup/index.html")
        );
        assert_eq!(
            from_source("guide/index.markdown"),
            loc("/guide/", "guide/index.html")
        );
        assert_eq!(from_source("about.md"), loc("/about/", "about/index.html"));
    }

    #[test]
    fn permalinks_to_folders_and_files() {
        assert_eq!(from_permalink("/").unwrap(), loc("/", "index.html"));
        assert_eq!(
            from_permalink("/a/b/").unwrap(),
            loc("/a/b/", "a/b/index.html")
        );
        assert_eq!(
            from_permalink("/a/b.html").unwrap(),
            loc("/a/b.html", "a/b.html")
        );
        assert_eq!(from_permalink("/404").unwrap(), loc("/404", "404.html"));
        assert_eq!(
            from_permalink("/feed.xml").unwrap(),
            loc("/feed.xml", "feed.xml")
        );
    }

    #[test]
    fn unsafe_permalinks_are_refused() {
        assert_eq!(from_permalink("/../etc/"), Err(PermalinkError::DotSegment));
        assert_eq!(
            from_permalink("/a/../../b"),
            Err(PermalinkError::DotSegment)
        );
        assert_eq!(from_permalink("/a\\b/"), Err(PermalinkError::Backslash));
        assert_eq!(
            from_permalink("https://evil.example/"),
            Err(PermalinkError::HasScheme)
        );
        assert_eq!(
            from_permalink("javascript:alert(1)"),
            Err(PermalinkError::HasScheme)
        );
        assert_eq!(
            from_permalink("//evil.example/x"),
            Err(PermalinkError::HasScheme)
        );
        assert_eq!(from_permalink("a/b/"), Err(PermalinkError::NotAbsolute));
        assert_eq!(
            from_permalink("/a\n/"),
            Err(PermalinkError::ControlCharacter)
        );
        assert_eq!(from_permalink("/a//b/"), Err(PermalinkError::EmptySegment));
        assert_eq!(
            from_permalink("/a?x=1"),
            Err(PermalinkError::QueryOrFragment)
        );
    }
}
