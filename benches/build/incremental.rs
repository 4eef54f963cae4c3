//! Rebuilds with the build cache after one edit, against a cold build of the same site: a
//! page's text, a page's title (every page's sidebar shows it) and a template. Each run makes
//! a new edit (a counter), so that every timed build has something to do.

use std::path::Path;

use crate::measure::{Run, build, build_with, median};

/// What an edit does to the site (its folder) for run `n`.
type Edit = Box<dyn Fn(&Path, usize)>;

/// The three kinds of edit, by name.
fn edits(page: &Path) -> [(&'static str, Edit); 3] {
    let original = std::fs::read_to_string(page).expect("the page");
    let body = {
        let original = original.clone();
        let page = page.to_path_buf();
        Box::new(move |_: &Path, n: usize| {
            std::fs::write(&page, format!("{original}\n\nEdited {n} times.\n")).unwrap()
        }) as Edit
    };
    let title = {
        let original = original.clone();
        let page = page.to_path_buf();
        Box::new(move |_: &Path, n: usize| {
            let text = original.replacen("title: ", &format!("title: Edited {n} "), 1);
            std::fs::write(&page, text).unwrap()
        }) as Edit
    };
    let template = Box::new(|site: &Path, n: usize| {
        let footer = site.join("templates/partials/footer.html");
        std::fs::create_dir_all(footer.parent().unwrap()).unwrap();
        std::fs::write(
            footer,
            format!("<footer class=\"site-footer\">Edit {n}</footer>\n"),
        )
        .unwrap()
    }) as Edit;
    [
        ("body edit", body),
        ("title edit", title),
        ("template edit", template),
    ]
}

/// A page of the site to edit: the first under content/ that has front matter with a title.
fn a_page(site: &Path) -> std::path::PathBuf {
    let mut stack = vec![site.join("content")];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md")
                && std::fs::read_to_string(&path).is_ok_and(|t| t.contains("\ntitle: "))
            {
                return path;
            }
        }
    }
    panic!("no page with a title in {}", site.display())
}

/// Prints a row per kind of edit for the site of `size` pages (copied to `work`, which the
/// edits change).
pub fn report(binary: &Path, site: &Path, work: &Path, size: usize, runs: usize) {
    let _ = std::fs::remove_dir_all(work);
    crate::measure::copy_dir(site, work);
    let out = work.join("public");
    let wall = |runs: &[Run]| median(runs.iter().map(|r| r.wall).collect());
    let cold: Vec<Run> = (0..runs).map(|_| build(binary, work, &out)).collect();
    let cold = wall(&cold);
    let page = a_page(work);
    let original = std::fs::read(&page).unwrap();
    let mut run = 0;
    for (name, edit) in edits(&page) {
        // The cache of the unedited site first, then one new edit before each timed build.
        build_with(binary, work, &out, &[]);
        let timed: Vec<Run> = (0..runs)
            .map(|_| {
                run += 1;
                edit(work, run);
                build_with(binary, work, &out, &[])
            })
            .collect();
        let time = wall(&timed);
        println!(
            "| {size} | {name} | {cold:.2} | {time:.3} | {:.1} % |",
            time / cold * 100.0
        );
        std::fs::write(&page, &original).unwrap();
        let _ = std::fs::remove_file(work.join("templates/partials/footer.html"));
    }
    let _ = std::fs::remove_dir_all(work);
}
