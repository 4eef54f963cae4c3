//! Jekyll's filters, against what Jekyll 4.3.1 gives for the same markup.

use super::*;

fn data_site() -> TestSite {
    site_with(&[(
        "data/team/people.json",
        r#"[{"name": "Ann", "role": "lead"}, {"name": "Bob", "role": "dev"}, {"name": "Cy", "role": "dev"}]"#,
    )])
}

#[test]
fn url_filters() {
    let site = site();
    // Jekyll: REL=[/handbook/assets/x.png] REL2=[/handbook/assets/x.png]
    // ABS=[https://example.org/handbook/assets/x.png] ABS2=[/handbook]
    assert_eq!(
        site.render("{{ \"/assets/x.png\" | relative_url }}"),
        "/handbook/assets/x.png"
    );
    assert_eq!(
        site.render("{{ \"assets/x.png\" | relative_url }}"),
        "/handbook/assets/x.png"
    );
    assert_eq!(
        site.render("{{ \"/assets/x.png\" | absolute_url }}"),
        "https://example.org/handbook/assets/x.png"
    );
    assert_eq!(site.render("{{ \"\" | relative_url }}"), "/handbook");
    // Jekyll: ABS3=[https://other.example/x] REL3=[https://other.example/x] REL4=[]
    // REL5=[/handbook/] ABS4=[https://example.org/handbook/] REL6=[/handbook/a%20b]
    assert_eq!(
        site.render("{{ \"https://other.example/x\" | absolute_url }}"),
        "https://other.example/x"
    );
    assert_eq!(
        site.render("{{ \"https://other.example/x\" | relative_url }}"),
        "https://other.example/x"
    );
    assert_eq!(site.render("{{ nil | relative_url }}"), "");
    assert_eq!(site.render("{{ \"/\" | relative_url }}"), "/handbook/");
    assert_eq!(
        site.render("{{ \"/\" | absolute_url }}"),
        "https://example.org/handbook/"
    );
    assert_eq!(
        site.render("{{ \"a b\" | relative_url }}"),
        "/handbook/a%20b"
    );
}

#[test]
fn escaping_filters() {
    let site = site();
    // Jekyll: XML=[a &amp; b &lt; c &gt; &quot;d&quot; &apos;e&apos;]
    assert_eq!(
        site.render("{{ 'a & b < c > \"d\" ' | append: \"'e'\" | xml_escape }}"),
        "a &amp; b &lt; c &gt; &quot;d&quot; &apos;e&apos;"
    );
    // Jekyll: CGI=[a+b%26c%3Dd%2F%C3%A9%3F] CGI2=[~-_.%21%2A%27%28%29]
    assert_eq!(
        site.render("{{ \"a b&c=d/é?\" | cgi_escape }}"),
        "a+b%26c%3Dd%2F%C3%A9%3F"
    );
    assert_eq!(
        site.render("{{ \"~-_.!*'()\" | cgi_escape }}"),
        "~-_.%21%2A%27%28%29"
    );
    // Jekyll: URI=[a%20b&c=d/%C3%A9?%3C%3E] URI2=[~-_.!*'()[]#@:+,;$] URI3=[%20%20already]
    assert_eq!(
        site.render("{{ \"a b&c=d/é?<>\" | uri_escape }}"),
        "a%20b&c=d/%C3%A9?%3C%3E"
    );
    assert_eq!(
        site.render("{{ \"~-_.!*'()[]#@:+,;$\" | uri_escape }}"),
        "~-_.!*'()[]#@:+,;$"
    );
    assert_eq!(
        site.render("{{ \"%20 already\" | uri_escape }}"),
        "%20%20already"
    );
}

#[test]
fn slugify_modes() {
    let site = site();
    let cases = [
        // Jekyll: SLUG1 … SLUG13, SLUG15.
        (
            "\"Hello, World! The _quick_ brown.fox\" | slugify",
            "hello-world-the-quick-brown-fox",
        ),
        (
            "\"Hello, World! The _quick_ brown.fox\" | slugify: \"raw\"",
            "hello,-world!-the-_quick_-brown.fox",
        ),
        (
            "\"Hello, World! The _quick_ brown.fox\" | slugify: \"pretty\"",
            "hello,-world!-the-_quick_-brown.fox",
        ),
        (
            "\"Hello, World! The _quick_ brown.fox Ünïcödé\" | slugify: \"ascii\"",
            "hello-world-the-quick-brown-fox-n-c-d",
        ),
        (
            "\"Hello, World! The _quick_ brown.fox Ünïcödé\" | slugify: \"latin\"",
            "hello-world-the-quick-brown-fox-unicode",
        ),
        (
            "\"Hello, World! The _quick_ brown.fox\" | slugify: \"none\"",
            "hello, world! the _quick_ brown.fox",
        ),
        ("\"  --Ünïcödé  text--  \" | slugify", "ünïcödé-text"),
        (
            "\"The Café's menu — 2024 (v1.2)\" | slugify",
            "the-café-s-menu-2024-v1-2",
        ),
        (
            "\"The Café's menu — 2024 (v1.2)\" | slugify: \"pretty\"",
            "the-café's-menu-2024-(v1.2)",
        ),
        ("\"a/b c\" | slugify: \"raw\"", "a/b-c"),
        ("\"___x___\" | slugify", "x"),
        ("\"  Hello  \" | slugify: \"none\"", "  hello  "),
        ("\"Été à Paris\" | slugify: \"ascii\"", "t-paris"),
        ("\"x\" | slugify: \"bogus\"", "x"),
    ];
    for (markup, expected) in cases {
        assert_eq!(
            site.render(&format!("{{{{ {markup} }}}}")),
            expected,
            "{markup}"
        );
    }
}

#[test]
fn jsonify() {
    let site = data_site();
    // Jekyll: JSON1=[["a","b"]] JSON2=["a \"q\" <b> é"] JSON4=[3] JSON5=[null] JSON6=[[3,1,2]]
    // JSON7=[true] JSON8=[1.5] JSON9=[[{"n":"x","w":2},{"n":"y"},{"n":"z","w":1}]]
    assert_eq!(site.render("{{ page.tags | jsonify }}"), r#"["a","b"]"#);
    assert_eq!(
        site.render("{{ 'a \"q\" <b> é' | jsonify }}"),
        r#""a \"q\" <b> é""#
    );
    assert_eq!(site.render("{{ 3 | jsonify }}"), "3");
    assert_eq!(site.render("{{ nil | jsonify }}"), "null");
    assert_eq!(site.render("{{ page.list | jsonify }}"), "[3,1,2]");
    assert_eq!(site.render("{{ true | jsonify }}"), "true");
    assert_eq!(site.render("{{ 1.5 | jsonify }}"), "1.5");
    assert_eq!(
        site.render("{{ page.items | jsonify }}"),
        r#"[{"n":"x","w":2},{"n":"y"},{"n":"z","w":1}]"#
    );
}

#[test]
fn where_and_where_exp() {
    let site = data_site();
    // Jekyll: WHERE=[Bob,Cy,] WHEREEXP=[Ann] WHEREEXP2=[Bob]
    assert_eq!(
        site.render("{% assign devs = site.data.team.people | where: \"role\", \"dev\" %}{% for p in devs %}{{ p.name }},{% endfor %}"),
        "Bob,Cy,"
    );
    assert_eq!(
        site.render("{{ site.data.team.people | where_exp: \"item\", \"item.role == 'lead'\" | map: \"name\" | join: \",\" }}"),
        "Ann"
    );
    assert_eq!(
        site.render("{{ site.data.team.people | where_exp: \"item\", \"item.name contains 'o'\" | map: \"name\" | join: \",\" }}"),
        "Bob"
    );
    // Jekyll: WHERE2=[x] WHERE3=[x] (values compare as text)
    assert_eq!(
        site.render("{{ page.items | where: \"w\", 2 | map: \"n\" | join: \",\" }}"),
        "x"
    );
    assert_eq!(
        site.render("{{ page.items | where: \"w\", \"2\" | map: \"n\" | join: \",\" }}"),
        "x"
    );
    // Jekyll: WEXP3=[x] WEXP4=[x,z] WEXP5=[3,2] WEXP6=[y,z]
    assert_eq!(
        site.render("{{ page.items | where_exp: \"i\", \"i.w > 1\" | map: \"n\" | join: \",\" }}"),
        "x"
    );
    assert_eq!(
        site.render("{{ page.items | where_exp: \"i\", \"i.w\" | map: \"n\" | join: \",\" }}"),
        "x,z"
    );
    assert_eq!(
        site.render("{{ page.list | where_exp: \"i\", \"i >= 2\" | join: \",\" }}"),
        "3,2"
    );
    assert_eq!(
        site.render("{{ page.items | where_exp: \"i\", \"i.w == 1 or i.n == 'y'\" | map: \"n\" | join: \",\" }}"),
        "y,z"
    );
    // Array properties match when they hold the value.
    assert_eq!(
        site.render("{% assign pages = site.pages | where: \"tags\", \"b\" %}{{ pages | map: \"title\" | join: \",\" }}"),
        "Probe Page"
    );
}

#[test]
fn sort_and_group_by() {
    let site = data_site();
    // Jekyll: SORT=[Cy,Bob,Ann] SORT1=[1,2,3] SORT2=[A,b,c] SORT3=[y,z,x] SORT4=[y,z,x]
    // SORT5=[z,x,y]
    assert_eq!(
        site.render(
            "{{ site.data.team.people | sort: \"name\" | reverse | map: \"name\" | join: \",\" }}"
        ),
        "Cy,Bob,Ann"
    );
    assert_eq!(site.render("{{ page.list | sort | join: \",\" }}"), "1,2,3");
    assert_eq!(
        site.render("{{ page.mixed | sort | join: \",\" }}"),
        "A,b,c"
    );
    assert_eq!(
        site.render("{{ page.items | sort: \"w\" | map: \"n\" | join: \",\" }}"),
        "y,z,x"
    );
    assert_eq!(
        site.render("{{ page.items | sort: \"w\", \"first\" | map: \"n\" | join: \",\" }}"),
        "y,z,x"
    );
    assert_eq!(
        site.render("{{ page.items | sort: \"w\", \"last\" | map: \"n\" | join: \",\" }}"),
        "z,x,y"
    );
    // Jekyll: GROUP=[lead:1:Ann;dev:2:Bob+Cy;]
    assert_eq!(
        site.render("{% assign g = site.data.team.people | group_by: \"role\" %}{% for grp in g %}{{ grp.name }}:{{ grp.size }}:{{ grp.items | map: \"name\" | join: \"+\" }};{% endfor %}"),
        "lead:1:Ann;dev:2:Bob+Cy;"
    );
    // Jekyll: GROUP2 (a missing property groups as "").
    assert_eq!(
        site.render("{{ page.items | group_by: \"w\" | map: \"name\" | jsonify }}"),
        r#"["2","","1"]"#
    );
}

#[test]
fn words_and_sentences() {
    let site = data_site();
    // Jekyll: WORDS=[6] WORDS2=[0] WORDS3=[3] WORDS4=[10] WORDS5=[10]
    assert_eq!(
        site.render("{{ \"Hello world, this is   five-ish words\" | number_of_words }}"),
        "6"
    );
    assert_eq!(site.render("{{ \"\" | number_of_words }}"), "0");
    assert_eq!(
        site.render("{{ \"日本語のテキスト and more\" | number_of_words }}"),
        "3"
    );
    assert_eq!(
        site.render("{{ \"日本語のテキスト and more\" | number_of_words: \"cjk\" }}"),
        "10"
    );
    assert_eq!(
        site.render("{{ \"日本語のテキスト and more\" | number_of_words: \"auto\" }}"),
        "10"
    );
    // Jekyll: SENT1=[a and b] SENT2=[Ann, Bob, and Cy] SENT3=[Ann, Bob, or Cy] SENT4=[x]
    // SENT5=[] SENT6=[3, 1, & 2]
    assert_eq!(
        site.render("{{ page.tags | array_to_sentence_string }}"),
        "a and b"
    );
    assert_eq!(
        site.render("{{ site.data.team.people | map: \"name\" | array_to_sentence_string }}"),
        "Ann, Bob, and Cy"
    );
    assert_eq!(
        site.render(
            "{{ site.data.team.people | map: \"name\" | array_to_sentence_string: \"or\" }}"
        ),
        "Ann, Bob, or Cy"
    );
    assert_eq!(
        site.render("{% assign one = \"x\" | split: \",\" %}{{ one | array_to_sentence_string }}"),
        "x"
    );
    assert_eq!(
        site.render("{% assign none = \"\" | split: \",\" %}{{ none | array_to_sentence_string }}"),
        ""
    );
    assert_eq!(
        site.render("{{ page.list | array_to_sentence_string: \"&\" }}"),
        "3, 1, & 2"
    );
    // Jekyll: NORM=[a b c]
    assert_eq!(
        site.render("{{ \" a  b\nc \" | normalize_whitespace }}"),
        "a b c"
    );
}

#[test]
fn dates() {
    let site = site();
    let cases = [
        // Jekyll: DATE … DATE12, DATELONG.
        ("page.date | date_to_string", "05 Mar 2024"),
        (
            "page.date | date_to_string: \"ordinal\", \"US\"",
            "Mar 5th, 2024",
        ),
        ("page.date | date_to_string: \"ordinal\"", "5th Mar 2024"),
        ("\"2024-01-21\" | date_to_string", "21 Jan 2024"),
        ("page.date | date_to_long_string", "05 March 2024"),
        ("\"2024-12-01T10:00:00Z\" | date_to_string", "01 Dec 2024"),
        ("\"March 3, 2021\" | date_to_string", "03 Mar 2021"),
        (
            "\"2024-03-22\" | date_to_string: \"ordinal\", \"US\"",
            "Mar 22nd, 2024",
        ),
        (
            "\"2024-03-23\" | date_to_string: \"ordinal\"",
            "23rd Mar 2024",
        ),
        (
            "\"2024-03-11\" | date_to_string: \"ordinal\"",
            "11th Mar 2024",
        ),
        (
            "\"2024-03-02\" | date_to_long_string: \"ordinal\", \"US\"",
            "March 2nd, 2024",
        ),
        (
            "\"2024-09-12\" | date_to_xmlschema",
            "2024-09-12T00:00:00+00:00",
        ),
        (
            "\"2024-09-12\" | date_to_rfc822",
            "Thu, 12 Sep 2024 00:00:00 +0000",
        ),
        ("\"\" | date_to_string", ""),
    ];
    for (markup, expected) in cases {
        assert_eq!(
            site.render(&format!("{{{{ {markup} }}}}")),
            expected,
            "{markup}"
        );
    }
}

#[test]
fn markdownify_renders_markdown() {
    let site = site();
    // Jekyll (kramdown) adds classes to code; folio's default render is plain CommonMark.
    assert_eq!(
        site.render("{{ \"Some *emph* and `code`\" | markdownify }}"),
        "<p>Some <em>emph</em> and <code>code</code></p>\n"
    );
}

#[test]
fn markdownify_uses_the_callers_renderer() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = LiquidSettings::new(
        dir.path(),
        &crate::config::SiteConfig::default(),
        Arc::new(CodeThemes::new("InspiredGitHub", "OneHalfDark").unwrap()),
        Vec::new(),
    );
    settings.markdownify = Some(Arc::new(|text: &str| format!("[{text}]")));
    let liquid = SiteLiquid::new(settings).unwrap();
    let front = serde_yaml::Mapping::new();
    let vars = PageVars {
        source: Path::new("content/a.md"),
        rel_path: "a.md",
        url: "/a/",
        title: None,
        front_matter: &front,
        body_line: 1,
        render_with_liquid: true,
    };
    let done = liquid
        .render_page("{{ 'x' | markdownify }}", &vars)
        .unwrap();
    assert_eq!(done.text, "[x]");
}

#[test]
fn standard_and_jekyll_array_filters_are_there() {
    let site = site();
    // Jekyll: SAMPLE=[3] FIRST=[3] LAST=[2] PUSH=[3,1,2,9]
    assert_eq!(site.render("{{ page.list | size }}"), "3");
    assert_eq!(site.render("{{ page.list.first }}"), "3");
    assert_eq!(site.render("{{ page.list | last }}"), "2");
    assert_eq!(
        site.render("{{ page.list | push: 9 | join: \",\" }}"),
        "3,1,2,9"
    );
    assert_eq!(
        site.render("{{ \"a,b\" | split: \",\" | reverse | join: \"-\" | upcase }}"),
        "B-A"
    );
}
