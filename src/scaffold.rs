//! `folio new DIR`: a small starter site that builds as it is.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("`{}` already exists and is not empty; choose a new folder", .0.display())]
    NotEmpty(PathBuf),
    #[error("cannot write `{}`: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

const FILES: &[(&str, &str)] = &[
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
> Build the site with `folio build` and open `public/index.html`.
"#,
    ),
];

/// Writes the starter site into `dir`, which must not exist or be empty.
pub fn create(dir: &Path) -> Result<(), ScaffoldError> {
    let not_empty = dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut entries| entries.next().is_some())
            .unwrap_or(true);
    if not_empty {
        return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
    }
    for (path, text) in FILES {
        let path = dir.join(path);
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
    Ok(())
}
