//! Errors: each at its file, line and column (the page body starts on line 6 of the file),
//! all of a page together, and no panic on any input.

use super::*;

#[test]
fn unknown_tag_at_its_place_with_a_suggestion() {
    let site = site();
    // Jekyll: "Liquid syntax error (line 1): Unknown tag 'frob'".
    assert_eq!(
        site.errors("x\n  {% frob a %}"),
        ["content/guide/page.md:7:3: unknown tag `frob`"]
    );
    let problems = site.try_render("{% inclde note.html %}").unwrap_err();
    assert_eq!(
        problems[0]
            .help
            .as_deref()
            .map(|h| h.starts_with("did you mean `include`?")),
        Some(true)
    );
}

#[test]
fn a_loop_over_a_huge_literal_range_is_an_error_not_an_abort() {
    // Found by fuzz/ (liquid target): liquid-rust makes the range whole in memory first,
    // and "memory allocation of 5600000000000 bytes failed" aborted folio.
    let site = site();
    assert_eq!(
        site.errors("x\n{% for i in (1..100000000000) limit: 2 %}{{ i }}{% endfor %}"),
        [
            "content/guide/page.md:7:13: the range `(1..100000000000)` has 100000000000 items; folio loops over at most 1000000"
        ]
    );
    assert_eq!(
        site.errors(
            "{% tablerow i in ( -9223372036854775808 .. 9223372036854775807 ) %}{% endtablerow %}"
        )
        .len(),
        1
    );
    assert_eq!(
        site.render("{% for i in (1..1000000) limit: 2 %}{{ i }}{% endfor %}"),
        "12"
    );
}

#[test]
fn a_loop_over_a_huge_variable_range_is_an_error_at_the_loop() {
    // The bounds come from variables (front matter, data, assign): checked while rendering.
    let site = site();
    assert_eq!(
        site.errors(
            "{% assign n = 100000000000 %}\nx {% for i in (1..n) limit: 2 %}{{ i }}{% endfor %}"
        ),
        [
            "content/guide/page.md:7:3: the range (1..100000000000) has 100000000000 items; folio loops over at most 1000000"
        ]
    );
    assert_eq!(
        site.errors("{% assign a = -5000000 %}{% tablerow i in (a..3) %}{{ i }}{% endtablerow %}"),
        [
            "content/guide/page.md:6:26: the range (-5000000..3) has 5000004 items; folio loops over at most 1000000"
        ]
    );
    // Short ranges loop as a literal range does: limit, forloop, reversed, trimming.
    let with_variable = "{% assign n = 5 %}a \n {%- for i in (2..n) reversed limit: 3 -%} {{ i }}{{ forloop.length }} {%- endfor %}";
    assert_eq!(site.render(with_variable), "a433323");
    assert_eq!(
        site.render(&with_variable.replace("(2..n)", "(2..5)")),
        "a433323"
    );
    assert_eq!(
        site.render("{% assign n = \"3\" %}{% for i in (1..n) %}{{ i }}{% endfor %}"),
        "123"
    );
}

#[test]
fn whole_numbers_too_large_for_liquid_are_errors_at_their_place() {
    // Found by fuzz/ (liquid target): liquid-rust's parser panics on them.
    let site = site();
    assert_eq!(
        site.errors("x\n{{ page.tags[111111111111111111111111] }}"),
        [
            "content/guide/page.md:7:14: the number `111111111111111111111111` is too large for Liquid"
        ]
    );
    assert_eq!(
        site.errors("{{-6666666666666666666666 }} {% if 33333333333333333333e %}{% endif %}")
            .len(),
        2
    );
    // `{{-` trims whitespace; `-` after a space is a sign.
    assert_eq!(
        site.errors("{{-6666666666666666666666 }}{{ -6666666666666666666666 }}"),
        [
            "content/guide/page.md:6:4: the number `6666666666666666666666` is too large for Liquid",
            "content/guide/page.md:6:32: the number `-6666666666666666666666` is too large for Liquid"
        ]
    );
    // Not whole numbers: quoted, part of a name, a fraction, or within range.
    assert_eq!(
        site.render(
            "{{ \"99999999999999999999\" }} {{ 1.99999999999999999999 | round }} {{ 9223372036854775807 }} {{ -9223372036854775808 }}"
        ),
        "99999999999999999999 2 9223372036854775807 -9223372036854775808"
    );
}

#[test]
fn an_output_with_a_string_not_closed_is_an_error_at_its_quote() {
    // Found by fuzz/ (liquid target): after wide characters on the line, liquid-rust's
    // explanation of the bad token panicked ("should fail in InvalidLiquidTokens").
    let site = site();
    assert_eq!(
        site.errors("{{\"\u{fffd}\u{fffd}\"}}{{\"|r}}"),
        ["content/guide/page.md:6:11: a string that is not closed"]
    );
    assert_eq!(
        site.render("{{ \"it's\" }} {{ 'say \"hi\"' }}"),
        "it's say \"hi\""
    );
}

#[test]
fn a_cycle_group_without_values_is_an_error() {
    // Found by fuzz/ (liquid target): liquid-rust divided by the number of values, zero.
    let site = site();
    assert_eq!(
        site.errors("x\n{%cycle t:%}"),
        ["content/guide/page.md:7:1: `cycle` with a group name but no values"]
    );
    assert_eq!(
        site.render(
            "{% cycle \"g:\": \"a\", \"b\" %}{% cycle \"g:\": \"a\", \"b\" %}{% cycle 'x:y' %}"
        ),
        "abx:y"
    );
}

#[test]
fn blocks_that_are_not_closed_or_closed_wrongly() {
    let site = site();
    // Jekyll: "'if' tag was never closed".
    assert_eq!(
        site.errors("{% if x %}open"),
        ["content/guide/page.md:6:1: `if` tag was never closed"]
    );
    assert_eq!(
        site.errors("a\n{% endif %}"),
        ["content/guide/page.md:7:1: `endif` closes no open `if` block"]
    );
    assert_eq!(
        site.errors("{% for x in y %}\n{% if x %}\n{% endfor %}"),
        ["content/guide/page.md:8:1: `endfor` closes `if` (opened at 7:1), which needs `endif`"]
    );
    assert_eq!(
        site.errors("{% raw %}\n{{ x }}"),
        ["content/guide/page.md:6:1: `raw` tag was never closed"]
    );
    assert_eq!(
        site.errors("ok\n\n{% else %}"),
        ["content/guide/page.md:8:1: `else` outside a block it belongs to"]
    );
}

#[test]
fn unknown_filters_at_the_filter() {
    let site = site();
    assert_eq!(
        site.errors("a\n{{ a | nofilter }}"),
        ["content/guide/page.md:7:8: unknown filter `nofilter`"]
    );
    let problems = site
        .try_render("{% assign x = 'a' | slugfy %}")
        .unwrap_err();
    assert_eq!(problems[0].location(), "content/guide/page.md:6:21");
    assert!(
        problems[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("`slugify`")
    );
    // A `|` inside a string is not a filter.
    assert_eq!(site.render("{{ 'a|b' | size }}"), "3");
}

#[test]
fn every_error_of_a_page_is_reported() {
    let site = site();
    let errors = site.errors(
        "{% frob %}\n{{ x | nope }}\n{% link nope.md %}\n{% include missing.html %}\n{% if x %}",
    );
    assert_eq!(
        errors,
        [
            "content/guide/page.md:6:1: unknown tag `frob`",
            "content/guide/page.md:7:8: unknown filter `nope`",
            "content/guide/page.md:10:1: `if` tag was never closed",
            "content/guide/page.md:8:1: Could not find document 'nope.md' in tag 'link'",
            "content/guide/page.md:9:1: Could not locate the included file 'missing.html' in includes/",
        ]
    );
}

#[test]
fn a_missing_link_target_names_the_closest_page() {
    let site = site();
    let problems = site.try_render("see {% link docs/othr.md %}").unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].location(), "content/guide/page.md:6:5");
    let help = problems[0].help.as_deref().unwrap_or("");
    assert!(help.starts_with("did you mean `docs/other.md`?"), "{help}");
    // A target made while rendering is checked then, at the same place.
    let errors = site.errors("{% assign t = 'x.md' %}\n {% link {{ t }} %}");
    assert_eq!(
        errors,
        ["content/guide/page.md:7:2: Could not find document 'x.md' in tag 'link'"]
    );
}

#[test]
fn errors_inside_includes_are_at_the_include_file() {
    let site = site_with(&[
        ("includes/bad.html", "line one\n  {% frob %}\n"),
        ("includes/runtime.html", "ok\n{{ 1 | divided_by: 0 }}\n"),
        ("includes/links.html", "\n\n   {% link {{ include.to }} %}"),
    ]);
    assert_eq!(
        site.errors("{% include bad.html %}"),
        ["includes/bad.html:2:3: unknown tag `frob`"]
    );
    let errors = site.errors("text\n{% include runtime.html %}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("includes/runtime.html:2:1: "),
        "{errors:?}"
    );
    assert_eq!(
        site.errors("{% include links.html to=\"gone.md\" %}"),
        ["includes/links.html:3:4: Could not find document 'gone.md' in tag 'link'"]
    );
    let errors = site.errors("{% assign f = 'nothing.html' %}{% include {{ f }} %}");
    assert_eq!(
        errors,
        [
            "content/guide/page.md:6:32: Could not locate the included file 'nothing.html' in includes/"
        ]
    );
}

#[test]
fn bad_tag_arguments() {
    let site = site();
    let errors = site.errors("{% include bad file.html %}");
    assert_eq!(
        errors,
        ["content/guide/page.md:6:1: invalid parameters for `include`: `file.html`"]
    );
    let errors = site.errors("\n{% highlight %}x{% endhighlight %}");
    assert_eq!(
        errors,
        ["content/guide/page.md:7:1: `highlight` needs a language first, not ``"]
    );
    let errors = site.errors("{% link %}");
    assert_eq!(
        errors,
        ["content/guide/page.md:6:1: `link` needs the path of a page"]
    );
}

#[test]
fn syntax_errors_liquid_finds() {
    let site = site();
    assert_eq!(
        site.errors("ok\nthen {{ x"),
        ["content/guide/page.md:7:6: `{{` is not closed with `}}`"]
    );
    // A markup error liquid-rust reports itself, at the position it gives.
    let errors = site.errors("a {% include note.html %}\n{{ x | }}");
    assert!(
        errors
            .iter()
            .all(|e| e.starts_with("content/guide/page.md:")),
        "{errors:?}"
    );
    let errors = site.errors("{{ 'a' }}\n{% assign = 3 %}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/guide/page.md:7:"),
        "{errors:?}"
    );
    assert!(errors[0].contains("Liquid syntax error"), "{errors:?}");
}

#[test]
fn runtime_errors_are_at_the_markup_that_raised_them() {
    let site = site();
    let errors = site.errors("a\nb {{ 5 | divided_by: 0 }}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/guide/page.md:7:3: "),
        "{errors:?}"
    );
    let errors = site.errors("{{ page.items | sort: 'w', 'middle' }}");
    assert!(
        errors[0].starts_with("content/guide/page.md:6:1: "),
        "{errors:?}"
    );
    assert!(errors[0].contains("invalid nils order"), "{errors:?}");
}

/// Text that is hard on a template reader: fragments of markup, cut anywhere.
const FRAGMENTS: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{%-",
    "-%}",
    "{{-",
    "-}}",
    "raw",
    "endraw",
    "comment",
    "endcomment",
    "if",
    "endif",
    "for x in y",
    "endfor",
    "include",
    "note.html",
    "x=",
    "\"",
    "'",
    "|",
    "upcase",
    "highlight",
    "endhighlight",
    "link",
    "é",
    "\n",
    " ",
    "{{ page.title }}",
    "{% if a %}",
    "{% endif %}",
    "{% include {{ x }} %}",
    "where_exp: 'i', 'i >'",
    "(1..3)",
    "{% raw %}",
    "{% endraw %}",
    "[",
    "]",
    ".",
    "size",
    "include_relative",
    "../",
    "🙂",
    "\u{0}",
];

#[test]
fn no_input_makes_it_panic() {
    let site = site_with(&[("includes/note.html", "note {{ include.x }}")]);
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..(seed % 12 + 1) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(FRAGMENTS[(seed % FRAGMENTS.len() as u64) as usize]);
        }
        if let Err(problems) = site.try_render(&text) {
            for problem in problems {
                assert!(
                    !problem.message.contains("internal error"),
                    "{text:?}: {problem}"
                );
                assert!(
                    problem.line.is_some() || problem.message.contains("Liquid"),
                    "{text:?}: {problem}"
                );
            }
        }
    }
}
