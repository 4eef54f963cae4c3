use super::*;
use crate::config::{NavSort, SearchConfig};
use crate::content::front_matter;

fn pages(specs: &[(&str, &str)]) -> Vec<Arc<Page>> {
    specs
        .iter()
        .enumerate()
        .map(|(id, (path, yaml))| {
            let text = format!("---\n{yaml}\n---\nBody\n");
            let front = front_matter::split(&text).unwrap().front_matter.unwrap();
            let location = crate::content::urls::from_source(path);
            Arc::new(Page {
                id,
                source: format!("content/{path}").into(),
                rel_path: path.to_string(),
                title: front.title.as_ref().map(|t| t.text.clone()),
                front,
                has_front_matter: true,
                body: "".into(),
                body_line: 1,
                first_heading: None,
                url: location.url,
                output_path: location.output_path,
                modified: None,
                collection: None,
                warnings: Vec::new(),
            })
        })
        .collect()
}

#[test]
fn the_index_has_a_section_per_top_level_page() {
    let pages = pages(&[
        ("index.md", "title: Home\nnav_order: 1"),
        (
            "guide/index.md",
            "title: Guide\nnav_order: 2\ndescription: How to use it",
        ),
        ("guide/install.md", "title: Install [fast]\nparent: Guide"),
        (
            "guide/secret.md",
            "title: Secret\nparent: Guide\nsearch_exclude: true",
        ),
        ("loose.md", ""),
    ]);
    let (nav, _) = crate::nav::build(&pages, NavSort::CaseSensitive, &[]);
    let config = SiteConfig {
        title: "Team Handbook".into(),
        description: "What we know.".into(),
        base_url: Some("https://example.org/docs/".into()),
        ..SiteConfig::default()
    };
    let search = SearchSettings::new(&SearchConfig::default(), &[]).unwrap();
    let text = index(&config, &search, &nav, &pages);
    assert_eq!(
        text,
        "# Team Handbook\n\n> What we know.\n\n## Home\n\n- [Home](https://example.org/docs/index.md)\n\n## Guide\n\n- [Guide](https://example.org/docs/guide/index.md): How to use it\n- [Install \\[fast\\]](https://example.org/docs/guide/install/index.md)\n\n## Other pages\n\n- [loose](https://example.org/docs/loose/index.md)\n"
    );
}

#[test]
fn without_base_url_links_start_at_the_root() {
    let pages = pages(&[("a.md", "title: A")]);
    let config = SiteConfig::default();
    assert_eq!(copy_url(&config, &pages[0]), "/a/index.md");
    assert_eq!(origin(&config), "");
    let config = SiteConfig {
        base_url: Some("http://example.org:8080/x/".into()),
        ..SiteConfig::default()
    };
    assert_eq!(origin(&config), "http://example.org:8080");
    assert_eq!(
        copy_url(&config, &pages[0]),
        "http://example.org:8080/x/a/index.md"
    );
}

#[test]
fn copies_start_with_the_title() {
    let pages = pages(&[("a.md", "title: A page")]);
    assert_eq!(
        copy(&pages[0], "# Own title\n\nText\n"),
        "# Own title\n\nText\n"
    );
    assert_eq!(copy(&pages[0], "Text\n"), "# A page\n\nText\n");
}
