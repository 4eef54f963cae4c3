//! Names every stage agrees on, with no dependencies of its own: which source files are pages,
//! which files nobody means to publish, how a relative link joins onto a folder, and the files
//! every built site has.

/// The shared navigation tree, for the theme's script.
pub const NAV_FILE: &str = "nav.json";
/// The theme's stylesheet; the build appends the code colours to it.
pub const STYLESHEET: &str = "assets/css/folio.css";
/// The "page not found" page: the site's own `404.md` or the theme's.
pub const NOT_FOUND: &str = "404.html";
/// The list of pages for search engines.
pub const SITEMAP: &str = "sitemap.xml";
/// What crawlers may visit, and where the sitemap is.
pub const ROBOTS: &str = "robots.txt";
/// The build cache, relative to the site folder (safe to delete: the next build is a cold one).
pub const BUILD_CACHE: &str = ".folio-cache/build";
/// What a site's `.gitignore` lists: the output and folio's caches.
pub const GITIGNORE: &str = "/public/\n/.folio-cache/\n";

/// The whole site on one page, for printing.
pub const PRINT_PAGE: &str = "print/index.html";
/// The print page's URL (without the base path).
pub const PRINT_URL: &str = "/print/";
/// The index of the site for language models (llmstxt.org).
pub const LLMS: &str = "llms.txt";
/// Every page's Markdown copy, in reading order.
pub const LLMS_FULL: &str = "llms-full.txt";

/// Where the Markdown copy of the page written at `output_path` goes: `index.md` beside its
/// `index.html` (`guide/install/index.html` -> `guide/install/index.md`), `.md` in place of
/// `.html` otherwise.
pub fn markdown_copy_path(output_path: &str) -> String {
    match output_path.strip_suffix(".html") {
        Some(stem) => format!("{stem}.md"),
        None => format!("{output_path}.md"),
    }
}

/// Whether a file is a page.
pub fn is_page(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Files and folders nobody means to publish: dot-files and the files editors leave behind.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        || name.ends_with(".crdownload")
        || name.contains(".sb-")
        || name.starts_with(".goutputstream")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
        || name == "Thumbs.db"
}

/// Joins a relative link onto a folder under `content/`, resolving `.` and `..`.
/// `None` when the link climbs above `content/`.
pub fn join_relative(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in link.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The relative link from a page in folder `from_dir` to the file `to` (both under
/// `content/`): `tables.md` from `recipes` to `recipes/tables.md`, `../setup/index.md` from
/// `recipes` to `setup/index.md`.
pub fn relative_link(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let target: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let (to_dir, name) = target.split_at(target.len().saturating_sub(1));
    let shared = from.iter().zip(to_dir).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - shared];
    parts.extend(&to_dir[shared..]);
    parts.extend(name);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".hidden.md",
            "a.md~",
            "#a.md#",
            ".#a.md",
            "a.md.swp",
            "4913",
            ".DS_Store",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in ["a.md", "image.png", "notes.markdown", "tmp.md"] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }

    #[test]
    fn markdown_copies_sit_beside_their_pages() {
        assert_eq!(
            markdown_copy_path("guide/install/index.html"),
            "guide/install/index.md"
        );
        assert_eq!(markdown_copy_path("index.html"), "index.md");
        assert_eq!(markdown_copy_path("notes.html"), "notes.md");
        assert_eq!(markdown_copy_path("feed.xml"), "feed.xml.md");
    }

    #[test]
    fn pages_are_markdown_files() {
        assert!(is_page("a.md"));
        assert!(is_page("A.MARKDOWN"));
        assert!(!is_page("a.mdx"));
        assert!(!is_page("md"));
    }

    #[test]
    fn relative_links_between_folders() {
        assert_eq!(relative_link("recipes", "recipes/tables.md"), "tables.md");
        assert_eq!(
            relative_link("recipes", "setup/index.md"),
            "../setup/index.md"
        );
        assert_eq!(relative_link("", "a/b.md"), "a/b.md");
        assert_eq!(relative_link("a/b", "c.md"), "../../c.md");
        for (dir, to) in [
            ("recipes", "setup/index.md"),
            ("a/b", "a/c/d.md"),
            ("", "x.md"),
        ] {
            assert_eq!(
                join_relative(dir, &relative_link(dir, to)).as_deref(),
                Some(to)
            );
        }
    }

    #[test]
    fn relative_joins() {
        assert_eq!(
            join_relative("guide", "setup.md").as_deref(),
            Some("guide/setup.md")
        );
        assert_eq!(
            join_relative("guide/deep", "../x.md").as_deref(),
            Some("guide/x.md")
        );
        assert_eq!(join_relative("", "./a/./b.md").as_deref(), Some("a/b.md"));
        assert_eq!(join_relative("", "../x.md"), None);
    }
}
