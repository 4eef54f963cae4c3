//! Unit tests of the `_config.yml` conversion.

use super::*;
use crate::import::jekyll_config::parse;

fn convert_text(yaml: &str) -> (String, Report) {
    let config = parse("_config.yml", yaml).unwrap();
    let mut report = Report::default();
    let converted = convert(&config, &mut report);
    (converted.text, report)
}

#[test]
fn settings_are_converted_and_the_result_is_valid() {
    let (text, report) = convert_text(
        "title: T\ndescription: D\nurl: https://x.org\nbaseurl: /docs\nlang: fr\naux_links:\n  GitHub:\n    - https://github.com/x\naux_links_new_tab: true\nnav_external_links:\n  - title: Ext\n    url: https://e.org\n    hide_icon: true\n    opens_in_new_tab: false\nnav_sort: case_insensitive\nheading_anchors: false\nback_to_top: true\nback_to_top_text: Up\nfooter_content: '<b>F</b>'\nlast_edit_timestamp: true\nlast_edit_time_format: '%b %e %Y'\ngh_edit_link: true\ngh_edit_link_text: Edit\ngh_edit_repository: https://github.com/x/y\ngh_edit_branch: main\ngh_edit_view_mode: edit\ngh_edit_source: docs\nsearch_enabled: true\nsearch:\n  heading_level: 3\n  previews: 2\ncallouts:\n  warning:\n    title: Warning\n    color: red\n    opacity: 0.3\n  odd:\n    color: pink\ncallouts_level: loud\nmy_value: 3\n",
    );
    assert!(self_check(&text).is_empty(), "{text}");
    let config = crate::config::parse(&text, std::path::Path::new("site.toml")).unwrap();
    assert_eq!(config.title, "T");
    assert_eq!(config.language, "fr");
    assert_eq!(config.base_url.as_deref(), Some("https://x.org/docs/"));
    assert_eq!(config.aux_links[0].url, "https://github.com/x");
    assert!(config.aux_links_new_tab);
    assert_eq!(config.nav.external_links[0].new_tab, Some(false));
    assert!(config.nav.external_links[0].hide_icon);
    assert_eq!(config.nav.sort, crate::config::NavSort::CaseInsensitive);
    assert!(!config.markdown.heading_anchors);
    assert_eq!(config.footer.back_to_top, "Up");
    assert_eq!(config.footer.content, "<b>F</b>");
    assert_eq!(config.footer.last_modified_format, "%b %e %Y");
    assert_eq!(
        config.edit_link.url,
        "https://github.com/x/y/edit/main/docs/{path}"
    );
    assert_eq!(config.search.heading_level, 3);
    assert_eq!(config.callouts["warning"].color.as_deref(), Some("red"));
    assert_eq!(config.callouts["odd"].color, None);
    assert_eq!(config.extra["my_value"].as_integer(), Some(3));
    let warned = |key: &str| report.warnings.iter().any(|w| w.message.contains(key));
    assert!(warned("search.previews"));
    assert!(warned("opacity"));
    assert!(warned("pink"));
    assert!(warned("callouts_level"));
    assert!(text.contains("#   callouts_level: loud"), "{text}");
}

#[test]
fn jekyll_defaults_differ_from_folios() {
    let (text, _) = convert_text("title: T\n");
    let config = crate::config::parse(&text, std::path::Path::new("site.toml")).unwrap();
    // just-the-docs shows no back-to-top link and no dates unless told to, and cuts
    // search sections at h2.
    assert_eq!(config.footer.back_to_top, "");
    assert_eq!(config.footer.last_modified_format, "");
    assert!(config.edit_link.url.is_empty());
}

#[test]
fn every_key_is_accounted_for() {
    let (_, report) = convert_text(
        "title: T\nsass: {quiet_deps: true}\nplugins: [jekyll-seo-tag, jekyll-feed]\nnull_key:\nkramdown:\n  input: GFM\n  hard_wrap: true\n",
    );
    assert!(
        report
            .config_not_needed
            .iter()
            .any(|n| n.starts_with("sass"))
    );
    assert!(
        report
            .config_not_needed
            .iter()
            .any(|n| n.contains("jekyll-seo-tag"))
    );
    assert!(
        report
            .config_not_needed
            .iter()
            .any(|n| n.starts_with("null_key"))
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("jekyll-feed"))
    );
    let hard_wrap = report
        .warnings
        .iter()
        .find(|w| w.message.contains("kramdown.hard_wrap"))
        .unwrap();
    assert_eq!(hard_wrap.line, Some(7));
}
