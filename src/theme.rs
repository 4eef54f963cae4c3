//! The default theme (`templates/` and `static/` of this repository), embedded in the binary so
//! that `folio` works on any folder. A site's own files override it file by file.

use include_dir::{Dir, DirEntry, include_dir};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// The theme's templates as (name relative to `templates/`, text).
pub fn templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    files(&TEMPLATES).filter_map(|(path, bytes)| Some((path, std::str::from_utf8(bytes).ok()?)))
}

/// The theme's static files as (path relative to `static/`, bytes), scripts minified.
pub fn static_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    MINIFIED.iter().map(|(path, bytes)| (*path, &**bytes))
}

/// A theme file's path relative to `static/` and its bytes as published.
type ThemeFile = (&'static str, std::borrow::Cow<'static, [u8]>);

/// The theme's static files with its scripts minified, once per process. The scripts are
/// written to be read (comments say why); a reader's browser needs none of that, and the
/// first search downloads search.js whole (22 kB as written).
static MINIFIED: std::sync::LazyLock<Vec<ThemeFile>> = std::sync::LazyLock::new(|| {
    files(&STATIC)
        .map(|(path, bytes)| match std::str::from_utf8(bytes) {
            Ok(script) if path.ends_with(".js") => (
                path,
                std::borrow::Cow::Owned(minifier::js::minify(script).to_string().into_bytes()),
            ),
            _ => (path, std::borrow::Cow::Borrowed(bytes)),
        })
        .collect()
});

fn files(dir: &'static Dir<'static>) -> impl Iterator<Item = (&'static str, &'static [u8])> {
    let mut stack: Vec<&'static DirEntry<'static>> = dir.entries().iter().collect();
    let mut out = Vec::new();
    while let Some(entry) = stack.pop() {
        match entry {
            DirEntry::Dir(sub) => stack.extend(sub.entries().iter()),
            DirEntry::File(file) => {
                if let Some(path) = file.path().to_str() {
                    let name = path.rsplit('/').next().unwrap_or(path);
                    if !crate::paths::is_ignored_name(name) {
                        out.push((path, file.contents()));
                    }
                }
            }
        }
    }
    out.sort_by_key(|(path, _)| *path);
    out.into_iter()
}
