//! `link`, `include`, `include_cached`, `include_relative`, `highlight`, `raw`.

use super::*;

const NOTE: &str =
    "<p class=\"note\">{{ include.text }} / {{ include.kind | default: \"plain\" }}</p>\n";

fn include_site() -> TestSite {
    site_with(&[
        ("includes/note.html", NOTE),
        (
            "includes/outer.html",
            "[outer {{ include.x }}]{% include sub/inner.html y=include.x %}[/outer]\n",
        ),
        (
            "includes/sub/inner.html",
            "(inner {{ include.y }} {{ page.title }})\n",
        ),
        ("includes/self.html", "again {% include self.html %}"),
        (
            "content/guide/inc.txt",
            "relative include {{ page.title }}\n",
        ),
        ("content/guide/deeper/more.txt", "more {{ page.url }}"),
        ("content/top.txt", "top"),
    ])
}

#[test]
fn link_gives_the_page_url_with_the_base_path() {
    let site = site();
    // Jekyll: /handbook/docs/other.html (Jekyll's URL style; folio's pages end in /).
    assert_eq!(
        site.render("{% link docs/other.md %}"),
        "/handbook/docs/other/"
    );
    assert_eq!(
        site.render("{%- link /docs/other.md -%}"),
        "/handbook/docs/other/"
    );
    assert_eq!(
        site.render("{% assign p = \"docs/other\" %}{% link {{ p }}.md %}"),
        "/handbook/docs/other/"
    );
}

#[test]
fn include_passes_parameters_as_jekyll_does() {
    let site = include_site();
    // Jekyll: INC=[<p class="note">hi there / plain</p>\n]
    assert_eq!(
        site.render("{% include note.html text=\"hi there\" %}"),
        "<p class=\"note\">hi there / plain</p>\n"
    );
    // Jekyll: INC2=[<p class="note">Probe Page / warn</p>\n]
    assert_eq!(
        site.render("{% include note.html text=page.title kind='warn' %}"),
        "<p class=\"note\">Probe Page / warn</p>\n"
    );
    assert_eq!(
        site.render("{% include note.html text=\"say \\\"hi\\\"\" %}"),
        "<p class=\"note\">say \"hi\" / plain</p>\n"
    );
    // Jekyll: CACHED=[<p class="note">cached / plain</p>\n]
    assert_eq!(
        site.render("{% include_cached note.html text=\"cached\" %}"),
        "<p class=\"note\">cached / plain</p>\n"
    );
}

#[test]
fn includes_nest_and_see_the_page() {
    let site = include_site();
    // Jekyll: NEST=[[outer one](inner one Probe Page)\n[/outer]\n]
    assert_eq!(
        site.render("{% include outer.html x=\"one\" %}"),
        "[outer one](inner one Probe Page)\n[/outer]\n"
    );
    // `include` is the innermost include's parameters, and empty again after it.
    assert_eq!(
        site.render("{% include outer.html x=\"one\" %}<{{ include.x }}>"),
        "[outer one](inner one Probe Page)\n[/outer]\n<>"
    );
}

#[test]
fn include_names_may_be_variables() {
    let site = include_site();
    // Jekyll: VARINC=[<p class="note">var / plain</p>\n]
    assert_eq!(
        site.render("{% assign name = \"note.html\" %}{% include {{ name }} text=\"var\" %}"),
        "<p class=\"note\">var / plain</p>\n"
    );
    assert_eq!(
        site.render("{% assign n = \"note\" %}{% include {{ n }}.html text=\"x\" %}"),
        "<p class=\"note\">x / plain</p>\n"
    );
}

#[test]
fn include_relative_reads_the_page_folder_only() {
    let site = include_site();
    // Jekyll: RELINC=[relative include Probe Page\n]
    assert_eq!(
        site.render("{% include_relative inc.txt %}"),
        "relative include Probe Page\n"
    );
    assert_eq!(
        site.render("{% include_relative deeper/more.txt %}"),
        "more /guide/page/"
    );
    let errors = site.errors("{% include_relative ../top.txt %}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/guide/page.md:6:1: "),
        "{errors:?}"
    );
    assert!(errors[0].contains("`..`"), "{errors:?}");
}

#[cfg(unix)]
#[test]
fn include_relative_does_not_follow_links_out_of_content() {
    let site = include_site();
    let outside = site.dir.path().join("secret.txt");
    std::fs::write(&outside, "secret").unwrap();
    std::os::unix::fs::symlink(&outside, site.dir.path().join("content/guide/link.txt")).unwrap();
    let errors = site.errors("{% include_relative link.txt %}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(!errors[0].contains("secret\n"));
}

#[test]
fn an_include_that_includes_itself_is_an_error_not_a_crash() {
    let site = include_site();
    let errors = site.errors("{% include self.html %}");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("nested more than 24 deep")),
        "{errors:?}"
    );
}

#[test]
fn raw_keeps_markup_as_text() {
    let site = site();
    // Jekyll: RAW=[{{ not rendered }} {% link x %}]
    assert_eq!(
        site.render("{% raw %}{{ not rendered }} {% link x %}{% endraw %}"),
        "{{ not rendered }} {% link x %}"
    );
    assert_eq!(
        site.render("{% raw %}{% include nothing.html %}{% highlight %}{% endraw %} {{ 1 }}"),
        "{% include nothing.html %}{% highlight %} 1"
    );
}

fn markdown(body: &str) -> String {
    use crate::markdown::{MarkdownContext, SiteIndex, highlight::CodeThemes};
    let config = crate::config::SiteConfig::default();
    let callouts = config.callouts();
    let themes = CodeThemes::new("InspiredGitHub", "OneHalfDark").unwrap();
    let site = SiteIndex::default();
    let context = MarkdownContext {
        config: &config.markdown,
        callouts: &callouts,
        site: &site,
        code_themes: &themes,
    };
    crate::markdown::render(body, "guide", &context, None).html
}

#[test]
fn highlight_is_a_fenced_code_block_that_survives_markdown() {
    let site = site();
    let code = "def foo\n  puts \"hi\"\n\n    bar # indented, after a blank line\nend\n";
    let liquid = site.render(&format!(
        "Before\n\n{{% highlight ruby %}}\n{code}{{% endhighlight %}}\n\nAfter\n"
    ));
    let fenced = markdown(&format!("Before\n\n```ruby\n{code}```\n\nAfter\n"));
    // The same document once Markdown has run: blank line and indentation kept.
    let through_markdown = markdown(&liquid).replace("&#10;", "\n");
    assert_eq!(through_markdown.trim_end(), fenced.trim_end());
    assert!(fenced.contains("<span"), "coloured: {fenced}");
    assert!(fenced.contains("\n\n    "), "{fenced}");
}

#[test]
fn highlight_renders_liquid_inside_and_takes_options() {
    let site = site();
    let out =
        site.render("{% highlight yaml linenos %}\ntitle: {{ page.title }}\n{% endhighlight %}");
    assert!(out.starts_with("<div class=\"code-block language-yaml\"><pre class=\"highlight\"><code class=\"language-yaml\" data-lang=\"yaml\">"), "{out}");
    assert!(out.contains("Probe Page"), "{out}");
    assert!(!out.contains('\n'), "one line: {out}");
    let plain = site.render("{% highlight text %}<b>&{% endhighlight %}");
    assert_eq!(
        plain,
        "<div class=\"code-block language-text\"><pre class=\"highlight\"><code class=\"language-text\" data-lang=\"text\">&lt;b&gt;&amp;&#10;</code></pre></div>"
    );
}

#[test]
fn highlight_in_an_unknown_language_warns_at_the_tag() {
    let site = site();
    let front = super::yaml(PAGE_FRONT);
    let vars = PageVars {
        source: Path::new("content/guide/page.md"),
        rel_path: "guide/page.md",
        url: "/guide/page/",
        title: None,
        front_matter: &front,
        body_line: 6,
        render_with_liquid: true,
    };
    let done = site
        .liquid
        .render_page("x\n{% highlight nosuchlang %}a{% endhighlight %}", &vars)
        .unwrap();
    assert_eq!(done.warnings.len(), 1);
    assert_eq!(done.warnings[0].location(), "content/guide/page.md:7:1");
    assert!(done.text.contains("a&#10;"));
}
