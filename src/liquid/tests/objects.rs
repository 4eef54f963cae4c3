use super::*;

#[test]
fn smoke() {
    let site = site_with(&[
        ("includes/note.html", "<p class=\"note\">{{ include.text }} / {{ include.kind | default: \"plain\" }}</p>\n"),
        ("data/nav.yml", "- title: Home\n  url: /\n- title: Guide\n  url: /guide/\n"),
    ]);
    let out = site.render("BASEURL=[{{ site.baseurl }}] URL=[{{ site.url }}] MISSING=[{{ page.nothing }}] DEEP=[{{ page.nothing.deeper }}] UNDEF=[{{ undefined_var }}]\nLINK=[{% link docs/other.md %}] INC=[{% include note.html text=\"hi there\" %}] DATA=[{{ site.data.nav[1].title }} {{ site.data.nav.size }}]\n{% highlight ruby %}\ndef foo\n\n  1\nend\n{% endhighlight %}\n{% for p in site.pages %}{{ p.title }}:{{ p.nothing }};{% endfor %}");
    println!("{out}");
}
