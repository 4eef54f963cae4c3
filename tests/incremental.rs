//! The build cache, end to end: a site is edited at random (pages' text, titles and parents
//! added, renamed and deleted pages, templates, includes, data, files of content/ and static/,
//! a template that does not compile) and after each step the incremental build's output must
//! equal, file for file and byte for byte, a cold build (`--no-cache`) of a copy of the same
//! site. A failed build must leave the previous output as it was.
//!
//! `FOLIO_INCREMENTAL_SEED` and `FOLIO_INCREMENTAL_STEPS` change the seed and the number of
//! steps (40 by default).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{folio, snapshot};

/// A small, seeded generator (xorshift64*): the same seed makes the same edits.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

const WORDS: [&str; 12] = [
    "install", "cache", "render", "search", "anchor", "layout", "folder", "handbook", "config",
    "deploy", "preview", "sidebar",
];

/// The site being edited: its pages by path under content/, with title, parent and body.
struct Model {
    root: PathBuf,
    pages: BTreeMap<String, PageModel>,
    counter: usize,
}

#[derive(Clone)]
struct PageModel {
    title: String,
    parent: Option<String>,
    nav_order: usize,
    body: String,
}

impl Model {
    fn write_page(&self, rel: &str) {
        let page = &self.pages[rel];
        let mut text = format!(
            "---\ntitle: {}\nnav_order: {}\n",
            page.title, page.nav_order
        );
        if let Some(parent) = &page.parent {
            text.push_str(&format!("parent: {parent}\n"));
        }
        text.push_str("---\n\n");
        text.push_str(&page.body);
        write(&self.root.join("content").join(rel), &text);
    }

    fn titles(&self) -> Vec<String> {
        self.pages.values().map(|p| p.title.clone()).collect()
    }

    fn paths(&self) -> Vec<String> {
        self.pages.keys().cloned().collect()
    }

    fn new_name(&mut self) -> String {
        self.counter += 1;
        let folder = ["", "guide/", "ops/"][self.counter % 3];
        format!("{folder}page-{}.md", self.counter)
    }

    fn paragraph(&self, random: &mut Random) -> String {
        let mut text = String::new();
        for _ in 0..(3 + random.below(8)) {
            text.push_str(random.pick(&WORDS).unwrap());
            text.push(' ');
        }
        match random.below(5) {
            0 => {
                let target = random.pick(&self.paths()).cloned().unwrap_or_default();
                text.push_str(&format!("[see also](/{target}) "));
            }
            1 => text.push_str("\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n"),
            2 => text.push_str(&format!("\n\n## Part {}\n", random.below(100))),
            3 => text.push_str("![diagram](/images/diagram.svg) "),
            _ => {}
        }
        text.push_str("\n\n");
        text
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The site of the random edits, with `filler` more small pages (a site of more than 200
/// searchable pages has its search index in files of their own, which a rebuild may keep).
fn start(root: &Path, filler: usize) -> Model {
    write(
        &root.join("site.toml"),
        "title = \"Random Handbook\"\n\n[footer]\ncontent = \"Footer text\"\n",
    );
    write(
        &root.join("includes/note.html"),
        "<p class=\"note\">{{ include.text }}</p>\n",
    );
    write(&root.join("data/team.yml"), "name: Docs team\n");
    write(
        &root.join("content/images/diagram.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n",
    );
    write(&root.join("static/assets/extra.txt"), "extra\n");
    let mut model = Model {
        root: root.to_path_buf(),
        pages: BTreeMap::new(),
        counter: 0,
    };
    let page = |title: &str, parent: Option<&str>, order: usize, body: &str| PageModel {
        title: title.into(),
        parent: parent.map(str::to_string),
        nav_order: order,
        body: body.into(),
    };
    model.pages.insert(
        "index.md".into(),
        page(
            "Home",
            None,
            1,
            "# Welcome\n\nSee [the guide](guide/index.md).\n",
        ),
    );
    model.pages.insert(
        "guide/index.md".into(),
        page(
            "Guide",
            None,
            2,
            "Start [here](install.md).\n\n## Overview\n",
        ),
    );
    model.pages.insert(
        "guide/install.md".into(),
        page(
            "Install",
            Some("Guide"),
            1,
            "Install it.\n\n```python\nprint('hi')\n```\n\n[Home](../index.md#welcome)\n",
        ),
    );
    model.pages.insert(
        "guide/team.md".into(),
        page(
            "Team",
            Some("Guide"),
            2,
            "We are {{ site.data.team.name }}.\n\n{% include note.html text=page.title %}\n",
        ),
    );
    model.pages.insert(
        "ops/index.md".into(),
        page(
            "Operations",
            None,
            3,
            "Run it. See [install](../guide/install.md).\n",
        ),
    );
    for number in 0..filler {
        let body = format!(
            "Filler page {number}: {} notes.\n",
            WORDS[number % WORDS.len()]
        );
        model.pages.insert(
            format!("more/filler-{number:03}.md"),
            page(&format!("Filler {number}"), None, 10 + number, &body),
        );
    }
    for rel in model.paths() {
        model.write_page(&rel);
    }
    model
}

/// One random edit; returns what it did and whether the build is meant to fail.
fn step(model: &mut Model, random: &mut Random) -> (String, bool) {
    let root = model.root.clone();
    let others: Vec<String> = model
        .paths()
        .into_iter()
        .filter(|p| p != "index.md")
        .collect();
    match random.below(11) {
        0 | 1 => {
            let rel = random.pick(&model.paths()).cloned().unwrap();
            let paragraph = model.paragraph(random);
            model.pages.get_mut(&rel).unwrap().body.push_str(&paragraph);
            model.write_page(&rel);
            (format!("body of {rel}"), false)
        }
        2 => {
            let rel = random.pick(&model.paths()).cloned().unwrap();
            let title = format!("{} {}", random.pick(&WORDS).unwrap(), random.below(1000));
            let old = std::mem::replace(&mut model.pages.get_mut(&rel).unwrap().title, title);
            // Children follow their parent's new title, as a writer would make them.
            let new = model.pages[&rel].title.clone();
            let children: Vec<String> = model
                .pages
                .iter()
                .filter(|(_, p)| p.parent.as_deref() == Some(&old))
                .map(|(r, _)| r.clone())
                .collect();
            for child in &children {
                model.pages.get_mut(child).unwrap().parent = Some(new.clone());
                model.write_page(child);
            }
            model.write_page(&rel);
            (format!("title of {rel}"), false)
        }
        3 => {
            let rel = model.new_name();
            let parent = random
                .pick(&model.titles())
                .cloned()
                .filter(|_| random.below(2) == 0);
            let body = model.paragraph(random);
            let title = format!("New {}", model.counter);
            model.pages.insert(
                rel.clone(),
                PageModel {
                    title,
                    parent,
                    nav_order: random.below(10),
                    body,
                },
            );
            model.write_page(&rel);
            (format!("add {rel}"), false)
        }
        4 => {
            let Some(rel) = random.pick(&others).cloned() else {
                return ("nothing".into(), false);
            };
            let to = model.new_name();
            std::fs::rename(
                root.join("content").join(&rel),
                root.join("content").join(&to),
            )
            .unwrap();
            let page = model.pages.remove(&rel).unwrap();
            model.pages.insert(to.clone(), page);
            (format!("rename {rel} -> {to}"), false)
        }
        5 => {
            let Some(rel) = random.pick(&others).cloned() else {
                return ("nothing".into(), false);
            };
            std::fs::remove_file(root.join("content").join(&rel)).unwrap();
            model.pages.remove(&rel);
            (format!("delete {rel}"), false)
        }
        6 => {
            let footer = root.join("templates/partials/footer.html");
            if footer.exists() && random.below(3) == 0 {
                std::fs::remove_file(&footer).unwrap();
                ("footer template removed".into(), false)
            } else {
                let word = random.pick(&WORDS).unwrap();
                write(
                    &footer,
                    &format!(
                        "<footer class=\"site-footer\"><p>{word} {{{{ page.title }}}}</p></footer>\n"
                    ),
                );
                (format!("footer template says {word}"), false)
            }
        }
        7 => {
            let svg = root.join(format!("content/images/pic-{}.svg", random.below(3)));
            if svg.exists() && random.below(2) == 0 {
                std::fs::remove_file(&svg).unwrap();
                (format!("delete {}", svg.display()), false)
            } else {
                write(&svg, &format!("<svg><!-- {} --></svg>\n", random.next()));
                write(
                    &root.join("static/assets/extra.txt"),
                    &format!("extra {}\n", random.below(4)),
                );
                (
                    format!("write {} and static/assets/extra.txt", svg.display()),
                    false,
                )
            }
        }
        8 => {
            let word = random.pick(&WORDS).unwrap();
            if random.below(2) == 0 {
                write(&root.join("data/team.yml"), &format!("name: {word} team\n"));
            } else {
                write(
                    &root.join("includes/note.html"),
                    &format!("<p class=\"note {word}\">{{{{ include.text }}}}</p>\n"),
                );
            }
            (format!("Liquid data or include: {word}"), false)
        }
        9 => {
            let rel = random.pick(&model.paths()).cloned().unwrap();
            let parent = random.pick(&model.titles()).cloned();
            let page = model.pages.get_mut(&rel).unwrap();
            page.parent = parent.filter(|p| *p != page.title);
            page.nav_order = random.below(10);
            model.write_page(&rel);
            (format!("parent and order of {rel}"), false)
        }
        _ => {
            write(
                &root.join("templates/partials/header.html"),
                "<header>{% if page.title %}</header>\n",
            );
            ("a template that does not compile".into(), true)
        }
    }
}

/// A copy of the site's sources (not its output or cache), with the files' times, which the
/// sitemap shows.
fn copy_sources(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for name in [
        "site.toml",
        "content",
        "templates",
        "static",
        "includes",
        "data",
    ] {
        let source = from.join(name);
        if !source.exists() {
            continue;
        }
        let mut stack = vec![source];
        while let Some(path) = stack.pop() {
            let target = to.join(path.strip_prefix(from).unwrap());
            if path.is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                for entry in std::fs::read_dir(&path).unwrap() {
                    stack.push(entry.unwrap().path());
                }
            } else {
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::copy(&path, &target).unwrap();
                let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
                let file = std::fs::File::options().write(true).open(&target).unwrap();
                file.set_modified(modified).unwrap();
            }
        }
    }
}

fn first_difference(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> String {
    for (path, bytes) in a {
        match b.get(path) {
            None => return format!("{path} is only in the incremental output"),
            Some(other) if other != bytes => {
                let at = bytes.iter().zip(other).take_while(|(x, y)| x == y).count();
                let show = |b: &[u8]| {
                    String::from_utf8_lossy(&b[at.saturating_sub(80)..(at + 120).min(b.len())])
                        .into_owned()
                };
                return format!(
                    "{path} differs at byte {at}:\nincremental: {}\ncold:        {}",
                    show(bytes),
                    show(other)
                );
            }
            _ => {}
        }
    }
    b.keys()
        .find(|path| !a.contains_key(*path))
        .map(|path| format!("{path} is only in the cold output"))
        .unwrap_or_default()
}

/// `folio new site` in `dir`, which must succeed; the new site's folder.
fn new_site(dir: &Path) -> PathBuf {
    let made = folio(&["new", "site"], dir);
    assert_eq!(made.status.code(), Some(0));
    dir.join("site")
}

/// `folio build --root site ARGS` in `dir`, which must succeed; its standard output.
fn build_site(dir: &Path, args: &[&str]) -> String {
    let out = folio(&[&["build", "--root", "site"], args].concat(), dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Asserts that the output of the site `root` (made by `new_site` in `dir`) is byte for byte
/// that of a cold build of a copy of its sources.
fn assert_same_as_cold_build(dir: &Path, root: &Path) {
    let cold = dir.join("cold");
    copy_sources(root, &cold.join("site"));
    build_site(&cold, &["--no-cache"]);
    let incremental = snapshot(&root.join("public"));
    let expected = snapshot(&cold.join("site/public"));
    assert!(
        incremental == expected,
        "{}",
        first_difference(&incremental, &expected)
    );
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_edits_build_as_a_cold_build_does() {
    let seed = env_number("FOLIO_INCREMENTAL_SEED", 13);
    let steps = env_number("FOLIO_INCREMENTAL_STEPS", 40);
    random_edits(seed, steps, 0);
}

/// The same on a site whose search index keeps the page files of unchanged pages.
#[test]
fn random_edits_of_a_larger_site_build_as_a_cold_build_does() {
    let seed = env_number("FOLIO_INCREMENTAL_SEED", 29);
    let steps = env_number("FOLIO_INCREMENTAL_STEPS", 40) / 3;
    random_edits(seed, steps, 210);
}

fn random_edits(seed: u64, steps: u64, filler: usize) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let cold = dir.path().join("cold");
    let mut model = start(&root, filler);
    let mut random = Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut log = Vec::new();
    let mut rendered_less = 0;
    for number in 0..=steps {
        let (what, fails) = if number == 0 {
            ("first build".to_string(), false)
        } else {
            step(&mut model, &mut random)
        };
        log.push(format!("{number}: {what}"));
        let before = root
            .join("public")
            .exists()
            .then(|| snapshot(&root.join("public")));
        let built = folio(&["build", "--root", root.to_str().unwrap()], &root);
        let stdout = String::from_utf8_lossy(&built.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&built.stderr).into_owned();
        let history = log.join("\n");
        if fails {
            assert_eq!(
                built.status.code(),
                Some(1),
                "seed {seed}, steps:\n{history}\n{stderr}"
            );
            let after = snapshot(&root.join("public"));
            assert!(
                before.as_ref() == Some(&after),
                "seed {seed}: a failed build changed the output\n{history}"
            );
            std::fs::remove_file(root.join("templates/partials/header.html")).unwrap();
            let again = folio(&["build", "--root", root.to_str().unwrap()], &root);
            assert_eq!(again.status.code(), Some(0), "seed {seed}\n{history}");
        } else {
            assert_eq!(
                built.status.code(),
                Some(0),
                "seed {seed}, steps:\n{history}\n{stderr}"
            );
            rendered_less += usize::from(stdout.contains("rendered again"));
        }

        copy_sources(&root, &cold);
        let cold_build = folio(
            &["build", "--no-cache", "--root", cold.to_str().unwrap()],
            &cold,
        );
        assert_eq!(cold_build.status.code(), Some(0), "seed {seed}\n{history}");
        let incremental = snapshot(&root.join("public"));
        let fresh = snapshot(&cold.join("public"));
        assert!(
            incremental == fresh,
            "seed {seed}: after these steps the incremental build differs from a cold one:\n{history}\n{}",
            first_difference(&incremental, &fresh)
        );
    }
    // The test means something only if the cache was used.
    assert!(
        rendered_less * 2 > steps as usize,
        "only {rendered_less} of {steps} builds used the cache"
    );
}

#[test]
fn the_cache_is_ignored_by_git_safe_to_delete_and_skipped_with_no_cache() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join(".gitignore"), "node_modules/").unwrap();
    new_site(dir.path());
    let ignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    let lines: Vec<&str> = ignore.lines().collect();
    assert_eq!(lines, ["node_modules/", "/public/", "/.folio-cache/"]);

    let build = |args: &[&str]| build_site(dir.path(), args);
    assert!(!build(&[]).contains("rendered again"));
    assert!(root.join(".folio-cache/build/manifest.bin").is_file());
    let first = snapshot(&root.join("public"));
    assert!(build(&[]).contains("(0 rendered again, the rest unchanged)"));
    assert_eq!(snapshot(&root.join("public")), first);
    assert!(!build(&["--no-cache"]).contains("rendered again"));
    assert_eq!(snapshot(&root.join("public")), first);
    std::fs::remove_dir_all(root.join(".folio-cache")).unwrap();
    assert!(!build(&[]).contains("rendered again"));
    assert_eq!(snapshot(&root.join("public")), first);
}

/// A build into an existing output folder updates it in place: files whose bytes did not
/// change keep their modification time (and are not written), changed files are replaced,
/// files the site no longer makes — and files put there by hand — are removed with the
/// folders they leave empty, with or without the cache.
#[test]
fn the_output_is_updated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let root = new_site(dir.path());
    let public = root.join("public");
    let build = |args: &[&str]| {
        build_site(dir.path(), args);
    };
    let modified = |rel: &str| {
        std::fs::metadata(public.join(rel))
            .unwrap()
            .modified()
            .unwrap()
    };
    write(
        &root.join("content/extra/index.md"),
        "---\ntitle: Extra\n---\nText.\n",
    );
    build(&[]);
    let style = "assets/css/folio.css";
    let (style_time, extra_time) = (modified(style), modified("extra/index.html"));
    std::thread::sleep(std::time::Duration::from_millis(20));

    for args in [&[][..], &["--no-cache"][..]] {
        write(&public.join("stray/by-hand.html"), "left by hand");
        write(
            &root.join("content/extra/index.md"),
            &format!("---\ntitle: Extra\n---\nText {}.\n", args.len()),
        );
        build(args);
        assert_eq!(
            modified(style),
            style_time,
            "{args:?}: an unchanged file was written"
        );
        assert_ne!(modified("extra/index.html"), extra_time, "{args:?}");
        let page = std::fs::read_to_string(public.join("extra/index.html")).unwrap();
        assert!(page.contains(&format!("Text {}.", args.len())), "{args:?}");
        assert!(
            !public.join("stray").exists(),
            "{args:?}: a stray folder stays"
        );
    }

    std::fs::remove_dir_all(root.join("content/extra")).unwrap();
    build(&[]);
    assert!(!public.join("extra").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("folio-staging") || name.contains("folio-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The same output as a build into a new folder.
    let updated = snapshot(&public);
    std::fs::remove_dir_all(&public).unwrap();
    build(&["--no-cache"]);
    assert_eq!(snapshot(&public), updated);
}

/// After a body edit, the print page and llms-full.txt keep the other pages' parts as the
/// last build wrote them (copied, not made again: a part changed by hand without changing
/// the file's size or time is carried over, which shows where it came from), the edited
/// page's part is new; and a book changed in size or time is not trusted: every part of
/// both books is made again.
#[test]
fn the_books_keep_unchanged_pages_parts_from_the_last_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = new_site(dir.path());
    let public = root.join("public");
    write(
        &root.join("content/kept/index.md"),
        "---\ntitle: Kept\n---\nKeptword stays here.\n",
    );
    write(
        &root.join("content/edited/index.md"),
        "---\ntitle: Edited\n---\nFirst text.\n",
    );
    build_site(dir.path(), &[]);
    // Mark the kept page's parts by hand, keeping each file's size and time.
    let mark = |rel: &str| {
        let path = public.join(rel);
        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("Keptword"), "{rel}");
        std::fs::write(&path, text.replace("Keptword", "Markword")).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(before).unwrap();
    };
    mark("print/index.html");
    mark("llms-full.txt");
    write(
        &root.join("content/edited/index.md"),
        "---\ntitle: Edited\n---\nSecond text.\n",
    );
    build_site(dir.path(), &[]);
    for rel in ["print/index.html", "llms-full.txt"] {
        let text = std::fs::read_to_string(public.join(rel)).unwrap();
        assert!(text.contains("Markword stays here"), "{rel}: not copied");
        assert!(text.contains("Second text"), "{rel}: the edit is missing");
        assert!(!text.contains("First text"), "{rel}: the old text stayed");
    }

    // A book whose size changed is made anew from every page.
    let print = public.join("print/index.html");
    let mut text = std::fs::read_to_string(&print).unwrap();
    text.push_str("<!-- added by hand -->");
    std::fs::write(&print, text).unwrap();
    write(
        &root.join("content/edited/index.md"),
        "---\ntitle: Edited\n---\nThird text.\n",
    );
    build_site(dir.path(), &[]);
    let text = std::fs::read_to_string(&print).unwrap();
    assert!(text.contains("Keptword stays here") && text.contains("Third text"));
    assert!(!text.contains("added by hand"));
    // Both books are made anew when one of them cannot be trusted.
    let llms = std::fs::read_to_string(public.join("llms-full.txt")).unwrap();
    assert!(llms.contains("Keptword stays here") && llms.contains("Third text"));
    assert!(!llms.contains("Markword"));
}

/// The search sections of the pages a build keeps are in packs of their own (`s-*.bin`),
/// read when the index's page files are made again (always, on a site this small). A damaged
/// one makes its pages render again, and the output is still a cold build's.
#[test]
fn damaged_search_sections_in_the_cache_make_their_pages_render_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = new_site(dir.path());
    build_site(dir.path(), &[]);
    let content = snapshot(&root.join("content"));
    let last_page = content.keys().rfind(|path| path.ends_with(".md")).unwrap();
    let page = root.join("content").join(last_page);
    let edit = |text: &str| {
        let mut source = std::fs::read_to_string(&page).unwrap();
        source.push_str(text);
        write(&page, &source);
    };
    edit("\n\nA first edit, read from the cache.\n");
    assert!(build_site(dir.path(), &[]).contains("(1 rendered again, the rest unchanged)"));

    let cache = root.join(".folio-cache/build");
    let packs: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("s-")
        })
        .collect();
    assert!(!packs.is_empty(), "no sections pack in {}", cache.display());
    for pack in &packs {
        // Same length, other bytes: only the blobs' hashes tell.
        let bytes: Vec<u8> = std::fs::read(pack)
            .unwrap()
            .iter()
            .map(|b| b.wrapping_add(1))
            .collect();
        std::fs::write(pack, bytes).unwrap();
    }
    edit("\n\nA second edit, with the sections damaged.\n");
    let out = build_site(dir.path(), &[]);
    assert!(
        !out.contains("rendered again"),
        "every page with sections is rendered again: {out}"
    );
    assert_same_as_cold_build(dir.path(), &root);
}

/// An output folder holding a symbolic link is replaced whole, not updated in place: a
/// rebuild that keeps unchanged pages must then write them too, or they vanish with the
/// folder they were kept in.
#[cfg(unix)]
#[test]
fn an_output_replaced_whole_still_has_every_unchanged_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = new_site(dir.path());
    build_site(dir.path(), &[]);
    let public = root.join("public");
    std::os::unix::fs::symlink(dir.path(), public.join("linked")).unwrap();
    let content = snapshot(&root.join("content"));
    let first_page = content.keys().find(|path| path.ends_with(".md")).unwrap();
    let page = root.join("content").join(first_page);
    let mut source = std::fs::read_to_string(&page).unwrap();
    source.push_str("\n\nAn edit.\n");
    write(&page, &source);
    build_site(dir.path(), &[]);
    assert!(
        !public.join("linked").exists(),
        "the link is gone with the folder"
    );

    assert_same_as_cold_build(dir.path(), &root);
}
