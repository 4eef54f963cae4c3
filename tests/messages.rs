//! Messages that point at the right fix: what was looked for, and what exists nearby, written
//! the way the page would write it.

mod common;

use common::{Site, folio, md};
use serde_json::Value;

fn check_json(site: &Site) -> Value {
    let output = folio(
        &[
            "check",
            "--root",
            site.root().to_str().unwrap(),
            "--format",
            "json",
        ],
        site.root(),
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// The finding whose target is `target`.
fn finding<'a>(report: &'a Value, target: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"] == target)
        .unwrap_or_else(|| panic!("no finding for `{target}` in {report:#}"))
}

#[test]
fn a_broken_md_link_names_the_file_looked_for_and_suggests_a_sibling_as_written() {
    let site = Site::new(&[
        ("content/index.md", &md("title: Home", "# Home\n")),
        ("content/recipes/index.md", &md("title: Recipes", "Text.\n")),
        ("content/recipes/tables.md", &md("title: Tables", "Text.\n")),
        (
            "content/getting-started/index.md",
            &md("title: Getting started", "Text.\n"),
        ),
        (
            "content/getting-started/install.md",
            &md("title: Install", "Text.\n"),
        ),
        (
            "content/recipes/rust.md",
            &md(
                "title: Rust",
                "[t](tabels.md) [i](../getting-started/instal.md) [n](../getting-started/nope.md) [s](install.md)\n",
            ),
        ),
    ]);
    let report = check_json(&site);

    let typo = finding(&report, "tabels.md");
    assert_eq!(
        typo["message"],
        "link `tabels.md` leads nowhere: there is no page `content/recipes/tabels.md`"
    );
    assert_eq!(typo["suggestion"], "tables.md", "as the page writes it");

    let elsewhere = finding(&report, "../getting-started/instal.md");
    assert_eq!(
        elsewhere["message"],
        "link `../getting-started/instal.md` leads nowhere: there is no page `content/getting-started/instal.md`"
    );
    assert_eq!(elsewhere["suggestion"], "../getting-started/install.md");

    // Nothing in that folder is named like `nope.md`: no sibling is offered for it.
    let unrelated = finding(&report, "../getting-started/nope.md");
    assert!(unrelated["suggestion"].is_null(), "{unrelated:#}");
    assert!(
        unrelated["help"]
            .as_str()
            .unwrap()
            .contains("relative to the page's own folder"),
        "{unrelated:#}"
    );

    // The right name in the wrong folder: the page in the other folder, as written from here.
    let wrong_folder = finding(&report, "install.md");
    assert_eq!(wrong_folder["suggestion"], "../getting-started/install.md");
}

#[test]
fn a_missing_anchor_lists_the_anchors_of_the_page() {
    let few = "## Install\n\n## Configure\n\n## Upgrade\n";
    let many: String = (1..=12)
        .map(|n| format!("## Part {n}\n\nText.\n\n"))
        .collect();
    let site = Site::new(&[
        (
            "content/index.md",
            &md(
                "title: Home",
                "[a](setup.md#no-such-heading) [b](setup.md#instal) [c](long.md#part-33)\n",
            ),
        ),
        ("content/setup.md", &md("title: Setup", few)),
        ("content/long.md", &md("title: Long", &many)),
    ]);
    let report = check_json(&site);

    let unknown = finding(&report, "setup.md#no-such-heading");
    assert!(unknown["suggestion"].is_null());
    let help = unknown["help"].as_str().unwrap();
    assert!(
        help.starts_with("the page's anchors: #configure, #install, #upgrade"),
        "all of them when there are few: {help}"
    );

    let typo = finding(&report, "setup.md#instal");
    assert_eq!(typo["suggestion"], "#install");

    let long = finding(&report, "long.md#part-33");
    let help = long["help"].as_str().unwrap();
    assert!(help.contains("closest anchors:"), "{help}");
    assert!(help.contains("(of 12)"), "{help}");
    let list = help.split("closest anchors:").nth(1).unwrap();
    assert_eq!(
        list.matches("#part-").count(),
        8,
        "only the closest are listed: {help}"
    );
    assert!(list.starts_with(" #part-3,"), "closest first: {help}");
}

#[test]
fn a_misspelt_front_matter_key_warns_in_build_strict_and_check() {
    let site = Site::new(&[(
        "content/index.md",
        &md("title: Home\nnav_ordr: 2\nteam: platform", "# Home\n"),
    )]);
    let built = site.build(&[]).ok();
    assert!(
        built
            .stderr()
            .contains("3:1: warning: `nav_ordr` is not a front matter key folio knows"),
        "{}",
        built.stderr()
    );
    assert!(built.stderr().contains("did you mean `nav_order`?"));
    assert!(!built.stderr().contains("`team`"), "own keys stay allowed");
    assert_eq!(site.build(&["--strict"]).code(), 1);
    let report = check_json(&site);
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        1,
        "{report:#}"
    );
    assert_eq!(report["findings"][0]["line"], 3);
}

#[test]
fn a_page_that_fails_to_load_causes_no_follow_on_link_errors() {
    let site = Site::new(&[
        (
            "content/index.md",
            &md("title: Home", "[b](b.md) [b again](/b/) [c](c.md)\n"),
        ),
        ("content/a.md", &md("title: A", "[to b](b.md#part)\n")),
        (
            "content/b.md",
            "---\ntitle: B\nnav_order: [1\n---\n## Part\n",
        ),
    ]);
    let report = check_json(&site);
    let findings = report["findings"].as_array().unwrap();
    let places: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["file"].as_str().unwrap(),
                f["kind"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        places,
        ["content/b.md build", "content/index.md broken-link"],
        "only b.md's own error and the link to c.md: {report:#}"
    );
    assert_eq!(findings[1]["target"], "c.md");
}
