//! `cargo bench --bench liquid`: what Liquid costs a page.
//!
//! - a page without Liquid markup: `render_page` scans it for `{{`/`{%` and hands it back
//!   (the figure to watch: every page of a site pays it);
//! - a typical docs page (4 KB of Markdown) with a few tags: `{{ site.baseurl }}`, two
//!   `{% link %}`, an `{% include %}` and a `{% highlight %}` block;
//! - for scale, Markdown's own render of the same page.
//!
//! Each figure is the median of 7 rounds, each round the mean of many calls.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use folio::liquid::{LiquidSettings, PageInfo, PageVars, SiteLiquid};
use folio::markdown::highlight::CodeThemes;

const PARAGRAPH: &str = "Configuration lives in `site.toml` at the root of the site. Each key \
has a default, so a new site needs none; the Guide lists them all, with their types and what \
they change. Keys folio does not know are errors that name the closest key.\n\n";

fn page_text(with_liquid: bool) -> String {
    let mut text = String::from("# Setting up\n\n");
    for i in 0..12 {
        text.push_str(PARAGRAPH);
        if i == 3 {
            text.push_str("```yaml\ntitle: Handbook\nbase_url: https://example.org/\n```\n\n");
        }
        if with_liquid && i == 5 {
            text.push_str(
                "See [the setup]({% link guide/setup.md %}) and [the FAQ]({% link faq.md %}); \
                 images live under `{{ site.baseurl }}/assets/`.\n\n\
                 {% include note.html text=\"Read this first\" %}\n\n\
                 {% highlight toml %}\ntitle = \"Handbook\"\n\n[extra]\nteam = \"docs\"\n{% endhighlight %}\n\n",
            );
        }
    }
    text
}

fn median_ns(mut f: impl FnMut(), calls: u32) -> f64 {
    let mut rounds: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                f();
            }
            start.elapsed().as_nanos() as f64 / f64::from(calls)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[3]
}

fn main() {
    let dir = std::env::temp_dir().join(format!("folio-bench-liquid-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("includes")).unwrap();
    std::fs::write(
        dir.join("includes/note.html"),
        "<p class=\"note\">{{ include.text }}</p>\n",
    )
    .unwrap();
    let themes = Arc::new(CodeThemes::new("InspiredGitHub", "OneHalfDark").unwrap());
    let pages = ["guide/setup.md", "faq.md"]
        .iter()
        .map(|path| PageInfo {
            rel_path: path.to_string(),
            url: format!("/{}/", path.trim_end_matches(".md")),
            title: None,
            front_matter: Default::default(),
        })
        .collect();
    let config = folio::config::SiteConfig {
        base_url: Some("https://example.org/handbook/".into()),
        ..Default::default()
    };
    let liquid = SiteLiquid::new(LiquidSettings::new(&dir, &config, themes.clone(), pages))
        .expect("the bench site loads");
    let front = serde_yaml::Mapping::new();
    let vars = PageVars {
        source: Path::new("content/guide/page.md"),
        rel_path: "guide/page.md",
        url: "/guide/page/",
        title: Some("Page"),
        front_matter: &front,
        body_line: 5,
        render_with_liquid: true,
    };
    let plain = page_text(false);
    let with_tags = page_text(true);
    let rendered = liquid
        .render_page(&with_tags, &vars)
        .expect("the page renders");
    assert!(rendered.text.contains("/handbook/guide/setup/"));

    let fast = median_ns(
        || {
            black_box(liquid.render_page(black_box(&plain), &vars).unwrap());
        },
        200_000,
    );
    let tags = median_ns(
        || {
            black_box(liquid.render_page(black_box(&with_tags), &vars).unwrap());
        },
        2_000,
    );
    let markdown_config = folio::config::MarkdownConfig::default();
    let callouts = config.callouts();
    let index = folio::markdown::SiteIndex::default();
    let context = folio::markdown::MarkdownContext {
        config: &markdown_config,
        callouts: &callouts,
        site: &index,
        code_themes: &themes,
    };
    let markdown = median_ns(
        || {
            black_box(folio::markdown::render(
                black_box(&plain),
                "guide",
                &context,
                None,
            ));
        },
        2_000,
    );
    println!("page of {} bytes", plain.len());
    println!("  no Liquid markup (fast path): {:>10.0} ns per page", fast);
    println!(
        "  with 5 tags and a variable:    {:>10.0} ns per page",
        tags
    );
    println!(
        "  Markdown render, for scale:    {:>10.0} ns per page",
        markdown
    );
    let _ = std::fs::remove_dir_all(&dir);
}
