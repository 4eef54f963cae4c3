//! `site`, `page`, `site.pages`, `site.data`, Jekyll's lax variables, and pages without Liquid.

use std::borrow::Cow;

use super::*;

#[test]
fn site_variables() {
    let site = site();
    // Jekyll: BASEURL=[/handbook] URL=[https://example.org] TITLE=[Jekyll Probe]
    // DESC=[A site to compare] FOOT=[hello footer]
    assert_eq!(
        site.render("BASEURL=[{{ site.baseurl }}] URL=[{{ site.url }}] TITLE=[{{ site.title }}] DESC=[{{ site.description }}] FOOT=[{{ site.footer_text }}]"),
        "BASEURL=[/handbook] URL=[https://example.org] TITLE=[Jekyll Probe] DESC=[A site to compare] FOOT=[hello footer]"
    );
    let year = site.render("{{ site.time | date: \"%Y\" }}");
    assert!(year.len() == 4 && year.starts_with('2'), "{year}");
}

#[test]
fn page_variables_and_missing_ones() {
    let site = site();
    // Jekyll: PAGEURL=[/probe/] PAGEPATH=[probe.md] PAGETITLE=[Probe Page] MISSING=[] DEEP=[]
    // UNDEF=[] (folio's URL and path of the page).
    assert_eq!(
        site.render("PAGEURL=[{{ page.url }}] PAGEPATH=[{{ page.path }}] PAGETITLE=[{{ page.title }}] MISSING=[{{ page.nothing }}] DEEP=[{{ page.nothing.deeper }}] UNDEF=[{{ undefined_var }}]"),
        "PAGEURL=[/guide/page/] PAGEPATH=[guide/page.md] PAGETITLE=[Probe Page] MISSING=[] DEEP=[] UNDEF=[]"
    );
    assert_eq!(
        site.render("{{ page.nav_order | plus: 1 }} {{ page.tags[1] }}"),
        "2 b"
    );
    // Jekyll: MISSIDX=[] ITEMMISS=[2||1|] EQNIL=[nil] EQ2=[notempty]
    assert_eq!(site.render("[{{ page.list[10] }}]"), "[]");
    assert_eq!(
        site.render("{% for i in page.items %}{{ i.w }}|{% endfor %}"),
        "2||1|"
    );
    assert_eq!(
        site.render("{% if page.nothing == nil %}nil{% else %}notnil{% endif %}"),
        "nil"
    );
    assert_eq!(
        site.render("{% if page.nothing == \"\" %}empty{% else %}notempty{% endif %}"),
        "notempty"
    );
    assert_eq!(
        site.render(
            "{% if page.has_toc %}toc{% endif %}{% unless page.nav_exclude %}!{% endunless %}"
        ),
        "!"
    );
    // Values made by filters and assigned stay lax.
    assert_eq!(
        site.render("{% assign sorted = page.items | sort: \"n\" %}{% for i in sorted %}{{ i.w }}|{% endfor %}{{ sorted[7].w }}"),
        "2||1|"
    );
    assert_eq!(
        site.render(
            "{% for c in site.github.contributors %}x{% endfor %}[{{ site.github.repository_url }}]"
        ),
        "[]"
    );
}

#[test]
fn site_pages_lists_every_page() {
    let site = site();
    // Jekyll: PAGES=[Other Page@/docs/other.html;Probe Page@/probe.html;…]
    assert_eq!(
        site.render("{% for p in site.pages %}{% if p.title %}{{ p.title }}@{{ p.url }}@{{ p.path }}@{{ p.nav_order }};{% endif %}{% endfor %}"),
        "Other Page@/docs/other/@docs/other.md@2;Probe Page@/guide/page/@guide/page.md@1;"
    );
    assert_eq!(
        site.render("{{ site.pages | sort: \"nav_order\" | map: \"title\" | join: \",\" }}"),
        "Probe Page,Other Page"
    );
}

#[test]
fn site_data_reads_yaml_json_and_toml_folders() {
    let site = site_with(&[
        (
            "data/nav.yml",
            "- title: Home\n  url: /\n- title: Guide\n  url: /guide/\n",
        ),
        (
            "data/team/people.json",
            r#"[{"name": "Ann"}, {"name": "Bob"}, {"name": "Cy"}]"#,
        ),
        ("data/settings.toml", "[colors]\nmain = \"#333\"\n"),
        ("data/my file.yaml", "x: 1\n"),
        ("data/.hidden.yml", "bad: [\n"),
        ("data/notes.txt", "not data"),
    ]);
    // Jekyll: DATA=[Guide 3]
    assert_eq!(
        site.render("{{ site.data.nav[1].title }} {{ site.data.team.people.size }} {{ site.data.settings.colors.main }} {{ site.data.my_file.x }}"),
        "Guide 3 #333 1"
    );
    assert_eq!(
        site.render("{% for item in site.data.nav %}<a href=\"{{ item.url | relative_url }}\">{{ item.title }}</a>{% endfor %}"),
        "<a href=\"/handbook/\">Home</a><a href=\"/handbook/guide/\">Guide</a>"
    );
}

#[test]
fn a_bad_data_file_is_an_error_at_its_line() {
    let Err(problems) = try_site(&[
        ("data/good.yml", "a: 1\n"),
        ("data/bad.yml", "a: 1\nb: [1, 2\nc: 3\n"),
        ("data/bad.json", "{\n  \"a\": 1,\n}\n"),
    ]) else {
        panic!("bad data files were accepted");
    };
    let found: Vec<String> = problems.iter().map(|d| d.location()).collect();
    assert_eq!(
        found,
        ["data/bad.json:3:1", "data/bad.yml:3:2"],
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .all(|d| d.message.starts_with("invalid data file"))
    );
}

#[test]
fn a_page_without_liquid_is_returned_unchanged_and_untouched() {
    let site = site();
    let front = super::yaml(PAGE_FRONT);
    let mut vars = PageVars {
        source: Path::new("content/guide/page.md"),
        rel_path: "guide/page.md",
        url: "/guide/page/",
        title: None,
        front_matter: &front,
        body_line: 6,
        render_with_liquid: true,
    };
    let body = "# Title\n\nText with {braces} and { {spaced} } and a %} alone.\n";
    let done = site.liquid.render_page(body, &vars).unwrap();
    assert!(matches!(done.text, Cow::Borrowed(text) if std::ptr::eq(text, body)));
    assert!(done.warnings.is_empty());
    // `render_with_liquid: false` keeps even markup as it is.
    vars.render_with_liquid = false;
    let markup = "{{ page.title }} {% frob %}";
    let done = site.liquid.render_page(markup, &vars).unwrap();
    assert!(matches!(done.text, Cow::Borrowed(text) if std::ptr::eq(text, markup)));
}

#[test]
fn a_page_with_liquid_keeps_its_other_text() {
    let site = site();
    let body = "# Title {#id}\n\n{: .note }\n> {{ page.title }}\n\n```\ncode {x}\n```\n";
    assert_eq!(
        site.render(body),
        "# Title {#id}\n\n{: .note }\n> Probe Page\n\n```\ncode {x}\n```\n"
    );
}

#[test]
fn the_fast_check_finds_markup_only() {
    use crate::liquid::scan::has_markup;
    assert!(!has_markup("a { b } {x} %} }} { {"));
    assert!(!has_markup(""));
    assert!(has_markup("text {{ x }}"));
    assert!(has_markup("{% raw %}"));
    assert!(has_markup("ends with {{"));
}

#[test]
fn site_liquid_is_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<crate::liquid::SiteLiquid>();
    let site = site();
    let outputs: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let site = &site;
                scope.spawn(move || {
                    site.render(&format!("{{{{ {i} | plus: 1 }}}} {{{{ page.title }}}}"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        outputs,
        [
            "1 Probe Page",
            "2 Probe Page",
            "3 Probe Page",
            "4 Probe Page"
        ]
    );
}

#[test]
fn long_text_around_markup_keeps_whitespace_control() {
    let site = site();
    let long = "Long paragraph text that liquid-rust need not read character by character.";
    let body = format!(
        "{long}\n   {{%- if true -%}}\n  yes  \n{{%- endif -%}}  \n{long} {{{{ page.title }}}}\n"
    );
    assert_eq!(site.render(&body), format!("{long}yes{long} Probe Page\n"));
    let marked = format!("{long} \u{FDD0}0\u{FDD1} {{{{ 1 }}}} {long}");
    assert_eq!(
        site.render(&marked),
        format!("{long} \u{FDD0}0\u{FDD1} 1 {long}")
    );
    let looped = format!("{{% for i in (1..2) %}}{long}{{% endfor %}}");
    assert_eq!(site.render(&looped), format!("{long}{long}"));
}
