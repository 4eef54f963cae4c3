//! `folio new [DIR]`: a small starter site that builds as it is, in a new folder or in one that
//! has no site yet (a repository with a README, say).

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("`{}` already has a site ({} is there)", .0.display(), .1)]
    HasSite(PathBuf, &'static str),
    #[error("`{}` is a file, not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("cannot write `{}`: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ScaffoldError {
    /// How to go on.
    pub fn help(&self) -> &'static str {
        match self {
            ScaffoldError::HasSite(..) => {
                "preview it with `folio serve`, or choose another folder for a new site"
            }
            ScaffoldError::NotAFolder(_) => "choose a folder for the new site",
            ScaffoldError::Write { .. } => "check that the folder is writable",
        }
    }
}

/// Where the GitHub Pages workflow goes, in `folio new`'s site and `folio import`'s.
pub const PAGES_WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// A GitHub Actions workflow that builds the site with `--strict`, checks it, and publishes it
/// on GitHub Pages (the Guide's "Publishing" page explains it and other hosts).
pub const PAGES_WORKFLOW: &str = include_str!("pages.yml");

const FILES: &[(&str, &str)] = &[
    (PAGES_WORKFLOW_PATH, PAGES_WORKFLOW),
    (
        "site.toml",
        r#"# Settings of this site; every key is optional. See the folio guide for all of them.
title = "My Handbook"
description = "Team knowledge, written down."
language = "en"

# [[aux_links]]
# title = "Source"
# url = "https://example.org/source"
"#,
    ),
    (
        "content/index.md",
        r#"---
layout: home
title: Home
nav_order: 1
permalink: /
---

# My Handbook
{: .fs-9 }

Everything the team knows, in one place.
{: .fs-6 .fw-300 }

[Get started](/getting-started/){: .btn .btn-primary }

## Writing pages

Every Markdown file in `content/` is a page. Its front matter sets its title and its place in
the navigation.
{: .tip }
"#,
    ),
    (
        "content/getting-started/index.md",
        r#"---
title: Getting started
nav_order: 2
has_children: true
---

# Getting started
{: .no_toc }

The pages of this section are listed below.
"#,
    ),
    (
        "content/getting-started/install.md",
        r#"---
title: Install
parent: Getting started
nav_order: 1
summary: what to set up first
---

# Install

```sh
echo "Install the tools your team uses here."
```

Next: [write your first page](first-page.md).
"#,
    ),
    (
        "content/getting-started/first-page.md",
        r#"---
title: Your first page
parent: Getting started
nav_order: 2
summary: front matter, headings and callouts
---

# Your first page

| Key | Meaning |
|:----|:--------|
| `title` | the page's name in the navigation |
| `parent` | the title of the page above it |
| `nav_order` | its place among its siblings |

> [!NOTE]
> Preview the site with `folio serve` and open <http://127.0.0.1:4000/>; it updates as you
> save. `folio build` writes it to `public/` for a web server, and `folio build --offline`
> makes a copy that opens from disk.
"#,
    ),
];

/// The files that make a folder a site: `folio new` leaves a folder that has one alone.
const SITE_MARKERS: [&str; 2] = ["site.toml", "content"];

/// Writes the starter site into `dir`: a new folder, or one without a site (other files in
/// it are left alone).
pub fn create(dir: &Path) -> Result<(), ScaffoldError> {
    if dir.exists() && !dir.is_dir() {
        return Err(ScaffoldError::NotAFolder(dir.to_path_buf()));
    }
    if let Some(marker) = SITE_MARKERS.iter().find(|m| dir.join(m).exists()) {
        return Err(ScaffoldError::HasSite(dir.to_path_buf(), marker));
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        // A repository's own workflow of that name is its owner's: kept.
        if *rel == PAGES_WORKFLOW_PATH && path.exists() {
            continue;
        }
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, text)
        };
        write().map_err(|source| ScaffoldError::Write {
            path: path.clone(),
            source,
        })?;
    }
    ignore_outputs(&dir.join(".gitignore")).map_err(|source| ScaffoldError::Write {
        path: dir.join(".gitignore"),
        source,
    })
}

/// Lists the output and folio's caches in the site's `.gitignore`, adding to one that is
/// there (a folder may already be a repository).
fn ignore_outputs(path: &Path) -> std::io::Result<()> {
    let mut text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(err),
    };
    let missing: Vec<&str> = crate::paths::GITIGNORE
        .lines()
        .filter(|line| !text.lines().any(|have| have.trim() == *line))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(path, text)
}
