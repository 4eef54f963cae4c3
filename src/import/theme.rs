//! What the import knows about the just-the-docs theme and the Jekyll plugins its sites use:
//! which files of a site are the theme's own (or override it), which of them are the theme's
//! customisation points, and what to do in folio instead.

/// Layouts folio's theme has.
pub(super) const FOLIO_LAYOUTS: &[&str] = &["default", "home", "minimal", "page"];

/// just-the-docs layouts that are the `default` layout under another name.
pub(super) const DEFAULT_ALIASES: &[&str] = &["about", "post"];

/// just-the-docs' own layouts (paths under `_layouts/`, without `.html`).
const THEME_LAYOUTS: &[&str] = &[
    "about",
    "default",
    "home",
    "minimal",
    "page",
    "post",
    "table_wrappers",
    "vendor/compress",
];

/// just-the-docs' own includes that are not customisation points.
const THEME_INCLUDES: &[&str] = &[
    "components/aux_nav.html",
    "components/breadcrumbs.html",
    "components/children_nav.html",
    "components/footer.html",
    "components/header.html",
    "components/mermaid.html",
    "components/nav/children.html",
    "components/nav/links.html",
    "components/nav/pages.html",
    "components/nav/sorted.html",
    "components/search_footer.html",
    "components/search_header.html",
    "components/sidebar.html",
    "components/site_nav.html",
    "css/activation.scss.liquid",
    "css/callouts.scss.liquid",
    "css/just-the-docs.scss.liquid",
    "favicon.html",
    "fix_linenos.html",
    "head.html",
    "icons/code_copy.html",
    "icons/document.html",
    "icons/expand.html",
    "icons/external_link.html",
    "icons/icons.html",
    "icons/link.html",
    "icons/menu.html",
    "icons/search.html",
    "nav.html",
    "vendor/anchor_headings.html",
];

/// just-the-docs' files under `assets/`, which folio replaces with its own stylesheet,
/// script and search index.
const THEME_ASSETS: &[&str] = &[
    "assets/css/just-the-docs-dark.scss",
    "assets/css/just-the-docs-default.scss",
    "assets/css/just-the-docs-head-nav.css",
    "assets/css/just-the-docs-light.scss",
    "assets/js/just-the-docs.js",
    "assets/js/vendor/lunr.min.js",
    "assets/js/zzzz-search-data.json",
];

/// An include that just-the-docs offers for customising a site, with what to do in folio.
pub(super) struct Hook {
    pub path: &'static str,
    pub advice: &'static str,
    /// Fingerprints (see [`fingerprint`]) of the contents the theme ships, which customise
    /// nothing.
    pub stock: &'static [u64],
}

const HEAD_ADVICE: &str = "copy folio's theme file templates/partials/head.html into the new site's templates/partials/ and add the markup there (in Tera, not Liquid)";

pub(super) const HOOKS: &[Hook] = &[
    Hook {
        path: "head_custom.html",
        advice: HEAD_ADVICE,
        stock: &[],
    },
    Hook {
        path: "header_custom.html",
        advice: "override templates/partials/header.html in the new site and add the markup there (in Tera, not Liquid)",
        stock: &[],
    },
    Hook {
        path: "footer_custom.html",
        advice: "put the HTML in `footer.content` of site.toml, or override templates/partials/footer.html",
        stock: &[0xa940_d95b_e9ee_89d1],
    },
    Hook {
        path: "nav_footer_custom.html",
        advice: "override templates/partials/sidebar.html in the new site and add the markup at its end",
        stock: &[],
    },
    Hook {
        path: "search_placeholder_custom.html",
        advice: "override templates/partials/header.html in the new site and change the search box's placeholder there",
        stock: &[0xd2a9_c696_a414_44d0],
    },
    Hook {
        path: "toc_heading_custom.html",
        advice: "override templates/partials/children.html in the new site and change the heading there",
        stock: &[0x1a9c_b300_ec21_b7bb],
    },
    Hook {
        path: "title.html",
        advice: "override templates/partials/header.html in the new site to change the site title or add a logo",
        stock: &[0xfafa_b4c0_22d8_5412],
    },
    Hook {
        path: "mermaid_config.js",
        advice: "folio draws Mermaid diagrams itself when it builds the site and does not load Mermaid's script, so this configuration has no use",
        stock: &[0x1349_cde1_2770_5c16],
    },
    Hook {
        path: "js/custom.js",
        advice: "put the script in static/assets/js/ of the new site and load it from an override of templates/partials/head.html",
        stock: &[],
    },
    Hook {
        path: "css/custom.scss.liquid",
        advice: "folio does not compile Sass: write the rules as CSS in a file under static/ and link it from an override of templates/partials/head.html",
        stock: &[0x1e58_af5f_de10_9be4],
    },
    Hook {
        path: "lunr/custom-data.json",
        advice: "folio builds its own search index; extra fields for the search index cannot be added",
        stock: &[],
    },
    Hook {
        path: "lunr/custom-index.js",
        advice: "folio builds its own search index; custom index code has no equivalent",
        stock: &[],
    },
];

/// What a file under `_includes/` is.
pub(super) enum IncludeKind {
    /// A customisation point of the theme.
    Hook(&'static Hook),
    /// One of the theme's own includes (the site overrides it, or is the theme itself).
    Theme,
    /// An include of the site's own, for `{% include %}` in pages.
    Own,
}

pub(super) fn include_kind(path_in_includes: &str) -> IncludeKind {
    if let Some(hook) = HOOKS.iter().find(|h| h.path == path_in_includes) {
        IncludeKind::Hook(hook)
    } else if THEME_INCLUDES.contains(&path_in_includes) {
        IncludeKind::Theme
    } else {
        IncludeKind::Own
    }
}

/// Whether `_layouts/<name>.html` is one of the theme's layouts.
pub(super) fn is_theme_layout(name: &str) -> bool {
    THEME_LAYOUTS.contains(&name)
}

pub(super) fn is_theme_asset(rel: &str) -> bool {
    THEME_ASSETS.contains(&rel)
}

/// Whether a file under `_sass/` only holds the theme's own placeholder text: a customisation
/// file that customises nothing.
pub(super) fn is_stock_sass(path_in_sass: &str, text: &str) -> bool {
    const STOCK: &[(&str, u64)] = &[
        ("custom/custom.scss", 0x2aa6_2ad0_a63c_6a19),
        ("custom/setup.scss", 0x32c0_90bb_4ebe_31fc),
    ];
    is_empty_text(text)
        || STOCK
            .iter()
            .any(|(path, print)| *path == path_in_sass && fingerprint(text) == *print)
}

/// Whether a hook's text customises nothing: empty, or the theme's own.
pub(super) fn is_stock_hook(hook: &Hook, text: &str) -> bool {
    is_empty_text(text) || hook.stock.contains(&fingerprint(text))
}

fn is_empty_text(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with("//"))
}

/// A hash of a text with all white space removed, to recognise the theme's stock files.
pub(super) fn fingerprint(text: &str) -> u64 {
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    xxhash_rust::xxh3::xxh3_64(squeezed.as_bytes())
}

/// What folio does instead of a Jekyll plugin: `(plugin, converted?, what to do)`.
pub(super) fn plugin_advice(name: &str) -> (bool, &'static str) {
    match name {
        "jekyll-seo-tag" => (
            true,
            "folio writes the page title, description and canonical link itself",
        ),
        "jekyll-sitemap" => (true, "folio writes sitemap.xml and robots.txt itself"),
        "jekyll-include-cache" => (true, "`include_cached` is read as `include` by folio"),
        "jekyll-relative-links" => (
            true,
            "folio turns links to `.md` files into links to their pages itself",
        ),
        "jekyll-titles-from-headings" => (
            true,
            "folio takes the title of a page without front matter from its first heading",
        ),
        "jekyll-optional-front-matter" => (
            true,
            "Markdown files without front matter are imported as pages",
        ),
        "jekyll-remote-theme" => (true, "folio's theme is built in"),
        "jekyll-github-metadata" => (
            false,
            "folio does not ask GitHub for `site.github`: put the values the pages use under [extra] in site.toml",
        ),
        "jekyll-feed" => (
            false,
            "folio writes no Atom feed: write feed.xml by hand under static/, or drop it",
        ),
        "jekyll-redirect-from" => (
            false,
            "folio writes no redirect pages: add them as HTML files under static/, or set up redirects on the web server",
        ),
        "jekyll-default-layout" => (true, "pages without a layout get folio's `default` layout"),
        "jekyll-readme-index" => (
            true,
            "a README in a folder without an index page is imported at the folder's URL",
        ),
        "jekyll-mentions" | "jemoji" => (
            false,
            "folio does not turn @mentions or :emoji: codes into links or images: write them out in the pages",
        ),
        _ => (
            false,
            "folio does not run Jekyll plugins: do what it does by hand (in the pages, or in a template override)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stock_files_are_recognised_by_fingerprint() {
        let hook = HOOKS
            .iter()
            .find(|h| h.path == "toc_heading_custom.html")
            .unwrap();
        assert!(is_stock_hook(
            hook,
            "<h2 class=\"text-delta\">Table of contents</h2>\n"
        ));
        assert!(!is_stock_hook(hook, "<h2>Contents</h2>"));
        let hook = HOOKS.iter().find(|h| h.path == "head_custom.html").unwrap();
        assert!(is_stock_hook(hook, "\n  \n"));
        assert!(!is_stock_hook(hook, "<script src=x></script>"));
        assert!(is_stock_sass(
            "custom/custom.scss",
            "// custom SCSS (or CSS) goes here\n"
        ));
        assert!(!is_stock_sass("custom/custom.scss", "body { color: red }"));
    }

    #[test]
    fn includes_are_classified() {
        assert!(matches!(
            include_kind("head_custom.html"),
            IncludeKind::Hook(_)
        ));
        assert!(matches!(
            include_kind("components/sidebar.html"),
            IncludeKind::Theme
        ));
        assert!(matches!(include_kind("figure.html"), IncludeKind::Own));
    }
}
