#!/usr/bin/env python3
"""Compares a just-the-docs site built by Jekyll with the same site run through
`folio import` and `folio build`, page body by page body, block by block.

    python3 bench/jekyll/compare.py SITE_DIR [--folio BIN] [--theme DIR] [--out DIR]

bench/README.md ("Against Jekyll") says what is built, how pages are paired, what is
normalised before blocks are compared, and what the figures mean. Needs Debian's `jekyll`
(with ruby-jekyll-seo-tag, -include-cache, -sitemap, -github-metadata), a folio binary, and the
html5lib Python package (`python3 -m pip install html5lib`).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

try:
    import html5lib
except ImportError:  # pragma: no cover - the message is the point
    sys.exit("compare.py needs html5lib: python3 -m pip install html5lib")

REPO = Path(__file__).resolve().parents[2]
JTD_MIRROR = Path("/work/.mirror/just-the-docs+just-the-docs/repo")

# Files of the theme a site that uses `theme:`/`remote_theme:` gets from the gem.
THEME_PARTS = ["_layouts", "_includes", "_sass", "assets/css", "assets/js"]

# The plugins the just-the-docs gem depends on, which Jekyll loads with the theme.
THEME_PLUGINS = ["jekyll-seo-tag", "jekyll-include-cache"]

# Elements whose boundaries make white space around them invisible.
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "colgroup", "col",
    "script", "style", "button",
}

# Attributes whose value is not read (present or absent is what counts).
BOOLEAN_ATTRIBUTES = {"disabled", "checked", "open", "hidden", "defer", "async", "selected"}

# Classes that only select the theme's styling of code.
CODE_CHROME_CLASSES = {"highlighter-rouge", "highlight", "code-block"}

# Classes that only select the theme's styling of footnotes.
FOOTNOTE_CHROME_CLASSES = {"footnote", "footnote-ref", "reversefootnote", "footnotes"}

# The site's callouts (from `callouts:` of _config.yml): name -> title (None without one).
CALLOUTS: dict[str, str | None] = {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the Jekyll site folder (with _config.yml)")
    parser.add_argument("--folio", type=Path, default=REPO / "target/release/folio",
                        help="the folio binary (default: target/release/folio)")
    parser.add_argument("--theme", type=Path,
                        help="a just-the-docs checkout, for sites that use it as a theme "
                             "(default: extracted from the local mirror when there is one)")
    parser.add_argument("--out", type=Path,
                        help="where the report, the diffs and the logs go "
                             "(default: target/jekyll-compare/<site name>)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the built sites (under OUT/work)")
    args = parser.parse_args()

    site = args.site.resolve()
    if not (site / "_config.yml").is_file() and not (site / "_config.yaml").is_file():
        sys.exit(f"{site} has no _config.yml: is it a Jekyll site?")
    folio = args.folio.resolve()
    if not folio.is_file():
        sys.exit(f"no folio binary at {folio}: run `cargo build --release`, or pass --folio")
    out = (args.out or REPO / "target/jekyll-compare" / site.name).resolve()
    if out.exists():
        shutil.rmtree(out)
    (out / "diffs").mkdir(parents=True)

    work = Path(tempfile.mkdtemp(prefix="jekyll-compare-"))
    try:
        config_file = site / "_config.yml"
        if not config_file.is_file():
            config_file = site / "_config.yaml"
        callouts = read_yaml_keys(config_file).get("callouts") or {}
        CALLOUTS.update({name: (settings or {}).get("title") for name, settings in callouts.items()})
        jekyll_site = build_with_jekyll(site, work, args.theme, out)
        before = tree_digest(site)
        folio_site = build_with_folio(site, work, folio, out)
        source_unchanged = tree_digest(site) == before
        result = compare_sites(jekyll_site, folio_site, out)
        result["source_unchanged"] = source_unchanged
        summary = render_summary(site, result)
        (out / "summary.txt").write_text(summary)
        (out / "pages.json").write_text(json.dumps(result, indent=2) + "\n")
        print(summary, end="")
        print(f"Report, diffs and logs: {out}")
        if args.keep:
            shutil.copytree(work, out / "work", symlinks=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


# ---------------------------------------------------------------------------------------------
# Building


def run(command: list[str], log: Path, env: dict | None = None, cwd: Path | None = None) -> None:
    with log.open("w") as handle:
        done = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT,
                              env=env, cwd=cwd)
    if done.returncode != 0:
        sys.exit(f"`{' '.join(map(str, command))}` failed ({done.returncode}); see {log}")


def read_yaml_keys(config: Path) -> dict:
    """The few top-level scalar and list keys the harness needs, read without a YAML library
    (Ruby reads the file for real: `ruby -ryaml`)."""
    script = "require 'yaml'; require 'json'; puts JSON.generate(YAML.safe_load(File.read(ARGV[0]), aliases: true) || {})"
    done = subprocess.run(["ruby", "-e", script, str(config)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"cannot read {config}: {done.stderr.strip()}")
    return json.loads(done.stdout or "{}")


def plugin_available(name: str) -> bool:
    script = "begin; require ARGV[0]; rescue LoadError; exit 1; end"
    return subprocess.run(["ruby", "-e", script, name], capture_output=True).returncode == 0


def theme_folder(given: Path | None, work: Path) -> Path | None:
    if given:
        return given.resolve()
    if JTD_MIRROR.is_dir():
        theme = work / "theme"
        theme.mkdir()
        archive = subprocess.run(["git", f"--git-dir={JTD_MIRROR}", "archive", "HEAD"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(theme)], input=archive, check=True)
        return theme
    return None


def build_with_jekyll(site: Path, work: Path, theme: Path | None, out: Path) -> Path:
    """Builds a copy of the site (its Gemfile moved aside, the theme copied in when the site uses
    it as a gem) with Debian's Jekyll, offline."""
    source = work / "jekyll-src"
    shutil.copytree(site, source, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "_site", ".jekyll-cache",
                                                  ".sass-cache", "node_modules"))
    # Without a Gemfile, Jekyll uses the installed gems rather than Bundler's. (Gemfile.lock
    # stays: some sites show it with `include_relative`.)
    if (source / "Gemfile").exists():
        (source / "Gemfile").rename(source / "Gemfile.moved-aside")
    config_file = source / "_config.yml"
    if not config_file.is_file():
        config_file = source / "_config.yaml"
    config = read_yaml_keys(config_file)
    notes = []
    plugins = list(config.get("plugins") or config.get("gems") or [])
    if not (source / "_layouts" / "default.html").is_file():
        theme_dir = theme_folder(theme, work)
        if theme_dir is None:
            sys.exit("the site uses just-the-docs as a theme: pass --theme with a checkout of it")
        for part in THEME_PARTS:
            copy_missing(theme_dir / part, source / part)
        notes.append(f"theme files copied from {theme_dir}")
        plugins += [p for p in THEME_PLUGINS if p not in plugins]
    kept = [p for p in plugins if plugin_available(p)]
    dropped = [p for p in plugins if p not in kept]
    if dropped:
        notes.append("plugins not installed, left out: " + ", ".join(dropped))
    override = work / "_compare_config.yml"
    override.write_text(
        "theme: false\nremote_theme: false\n"
        + "plugins: " + json.dumps(kept) + "\n"
        + "gems: " + json.dumps(kept) + "\n"
    )
    (out / "jekyll-notes.txt").write_text("\n".join(notes) + "\n")
    env = dict(os.environ)
    env["JEKYLL_ENV"] = "production"
    env["JEKYLL_NO_BUNDLER_REQUIRE"] = "true"
    env["PAGES_REPO_NWO"] = str(config.get("repository") or "example/site")
    destination = work / "jekyll-site"
    run(["jekyll", "build", "--source", str(source), "--destination", str(destination),
         "--config", f"{config_file},{override}", "--disable-disk-cache"],
        out / "jekyll.log", env=env)
    return destination


def copy_missing(source: Path, target: Path) -> None:
    if not source.is_dir():
        return
    for path in source.rglob("*"):
        if path.is_file():
            destination = target / path.relative_to(source)
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)


def build_with_folio(site: Path, work: Path, folio: Path, out: Path) -> Path:
    imported = work / "folio-site"
    run([str(folio), "import", str(site), str(imported)], out / "import.log")
    output = work / "folio-out"
    run([str(folio), "build", "--root", str(imported), "--output", str(output)],
        out / "build.log")
    return output


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if ".git" in path.relative_to(root).parts or not path.is_file():
            continue
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# Pairing and extracting page bodies


def html_pages(root: Path) -> dict[str, Path]:
    pages = {}
    for path in root.rglob("*.html"):
        rel = path.relative_to(root).as_posix()
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        pages[url] = path
    return pages


def between(text: str, start: str, end: str) -> str | None:
    i = text.find(start)
    if i < 0:
        return None
    j = text.find(end, i)
    return text[i:j + len(end)] if j >= 0 else None


def parse_fragment(markup: str) -> ET.Element:
    return html5lib.parseFragment(markup, treebuilder="etree", namespaceHTMLElements=False,
                                  container="div")


def jekyll_body(text: str) -> list[ET.Element | str]:
    """just-the-docs: the children of `<main>` (page content, then the child-page list).
    A page without a layout has no `<main>`: its whole body."""
    main = between(text, "<main", "</main>")
    if main is not None:
        root = parse_fragment(main)
        container = root.find("main")
        return children(container if container is not None else root)
    document = html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)
    body = document.find("body")
    return children(body if body is not None else document)


def folio_body(text: str) -> list[ET.Element | str]:
    """folio: the children of `<article class="page-content">`, then the child-page list."""
    article = between(text, '<article class="page-content"', "</article>")
    if article is None:
        document = html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)
        body = document.find("body")
        return children(body if body is not None else document)
    root = parse_fragment(article)
    items = children(root.find("article"))
    section = between(text, '<section class="child-pages"', "</section>")
    if section is not None:
        items.append(parse_fragment(section).find("section"))
    return items


def children(element: ET.Element) -> list[ET.Element | str]:
    """The element's child nodes: elements, and the text between them as strings."""
    nodes: list[ET.Element | str] = []
    if element.text:
        nodes.append(element.text)
    for child in element:
        nodes.append(child)
        if child.tail:
            nodes.append(child.tail)
    return nodes


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


# ---------------------------------------------------------------------------------------------
# Normalising blocks


def classes(element: ET.Element) -> list[str]:
    return (element.get("class") or "").split()


def code_language(element: ET.Element) -> str:
    for node in element.iter():
        for name in classes(node):
            if name.startswith("language-"):
                return name[len("language-"):]
        if node.get("data-lang"):
            return node.get("data-lang")
    return ""


def is_code_block(element: ET.Element) -> bool:
    names = set(classes(element))
    if element.tag == "div" and names & {"highlighter-rouge", "code-block"}:
        return True
    if element.tag == "figure" and "highlight" in names:
        return True
    return element.tag == "pre"


def is_mermaid(element: ET.Element) -> bool:
    if element.tag == "div" and "mermaid-diagram" in classes(element):
        return True
    return is_code_block(element) and code_language(element) == "mermaid"


def canonical_code(element: ET.Element) -> str:
    """A code block as its language, its visible classes and its text: the theme's wrapper
    elements and the highlighter's spans are not compared."""
    code = element.find(".//code")
    text = text_of(code if code is not None else element).rstrip("\n")
    extra = sorted(n for n in classes(element)
                   if n not in CODE_CHROME_CLASSES and not n.startswith("language-"))
    pre = element if element.tag == "pre" else element.find(".//pre")
    if pre is not None and pre is not element:
        extra += sorted(n for n in classes(pre)
                        if n not in CODE_CHROME_CLASSES and not n.startswith("language-"))
    attributes = f' lang="{code_language(element)}"'
    if extra:
        attributes += f' class="{" ".join(sorted(set(extra)))}"'
    return f"<pre{attributes}>{html.escape(text, quote=False)}</pre>"


def canonical_attributes(element: ET.Element, drop_classes=()) -> str:
    parts = []
    for name in sorted(element.attrib):
        value = element.attrib[name]
        if name in ("role", "rel", "tabindex") or name.startswith(("aria-", "data-")):
            continue  # read by assistive technology and scripts, not seen
        if name == "class":
            names = [n for n in classes(element)
                     if n not in drop_classes and n not in FOOTNOTE_CHROME_CLASSES]
            if element.tag == "code":
                # kramdown marks inline code with the theme's code classes.
                names = [n for n in names if n not in {"language-plaintext", "highlighter-rouge"}]
            if not names:
                continue
            value = " ".join(sorted(names))
        elif name in BOOLEAN_ATTRIBUTES:
            value = ""
        parts.append(f' {name}="{html.escape(value)}"')
    return "".join(parts)


def canonical(node: ET.Element | str, in_pre: bool = False) -> str:
    if isinstance(node, str):
        return node if in_pre else re.sub(r"\s+", " ", html.escape(node, quote=False))
    if not isinstance(node.tag, str):  # a comment
        return ""
    if node.tag == "a" and "anchor-heading" in classes(node):
        return ""  # the heading-anchor link both themes add
    if is_mermaid(node) and not in_pre:
        # just-the-docs ships a diagram's Mermaid source for mermaid.js to draw in the
        # browser; folio draws it when the site is built. Either way the reader sees a diagram.
        return "<diagram>"
    if is_code_block(node) and not in_pre:
        return canonical_code(node)
    if node.tag == "div" and "table-wrapper" in classes(node):
        return "".join(canonical(c, in_pre) for c in children(node))
    if node.tag == "span" and "sr-only" in classes(node):
        return ""
    callout = callout_of(node)
    if callout is not None and not in_pre:
        return callout
    if node.tag == "sup" and footnote_link(node) is not None:
        link = footnote_link(node)
        ids = [i for i in (node.get("id"), link.get("id")) if i]
        id_part = f' id="{html.escape(ids[0])}"' if ids else ""
        return f'<sup><a href="{html.escape(link.get("href"))}"{id_part}>{text_of(link).strip()}</a></sup>'
    if node.tag in ("div", "section") and "footnotes" in classes(node):
        inner = "".join(canonical(c) for c in children(node) if not isinstance(c, str))
        return f"<footnotes>{inner}</footnotes>"
    if node.tag in ("em", "strong") and len(node) == 1 and not (node.text or "").strip() \
            and not (node[0].tail or "").strip() and node[0].tag in ("em", "strong") \
            and node[0].tag != node.tag:
        # `***x***`: bold inside italic or italic inside bold look the same.
        inner = "".join(canonical(c) for c in children(node[0]))
        return f"<em><strong>{inner}</strong></em>"
    inner = canonical_inner(node, in_pre)
    if node.tag in ("br", "hr", "img", "input", "col", "wbr"):
        return f"<{node.tag}{canonical_attributes(node)}>"
    return f"<{node.tag}{canonical_attributes(node)}>{inner}</{node.tag}>"


def footnote_link(sup: ET.Element) -> ET.Element | None:
    link = sup.find("a")
    if link is not None and len(sup) == 1 and (link.get("href") or "").startswith("#fn"):
        return link
    return None


def callout_of(node: ET.Element) -> str | None:
    """A callout as its name, its title and its content: just-the-docs styles a `p` or
    `blockquote` with the callout's class (its title comes from the stylesheet, or from the
    first paragraph with the `-title` class); folio writes a box with a title paragraph."""
    names = classes(node)
    name = title = None
    content: list = []
    extra: list[str] = []
    if node.tag in ("p", "blockquote"):
        for candidate in names:
            if candidate in CALLOUTS:
                name, title = candidate, CALLOUTS[candidate]
                break
            if node.tag == "blockquote" and candidate.endswith("-title") \
                    and candidate[: -len("-title")] in CALLOUTS:
                name = candidate[: -len("-title")]
                break
        if name is None:
            return None
        extra = [n for n in names if n not in (name, f"{name}-title")]
        if node.tag == "p":
            content = [f"<p>{canonical_inner(node)}</p>"]
        else:
            kids = [c for c in children(node) if isinstance(c, ET.Element) or c.strip()]
            if f"{name}-title" in names and kids and isinstance(kids[0], ET.Element) \
                    and kids[0].tag == "p":
                title = canonical_inner(kids[0])
                kids = kids[1:]
            content = [canonical(c) for c in kids]
    elif node.tag == "div" and "callout" in names:
        for candidate in names:
            if candidate.startswith("callout-") and candidate[len("callout-"):] in CALLOUTS:
                name = candidate[len("callout-"):]
        if name is None:
            return None
        extra = [n for n in names if n != "callout" and not n.startswith("callout-")]
        kids = [c for c in children(node) if isinstance(c, ET.Element) or c.strip()]
        if kids and isinstance(kids[0], ET.Element) and "callout-title" in classes(kids[0]):
            title = canonical_inner(kids[0])
            kids = kids[1:]
        content = [canonical(c) for c in kids]
    else:
        return None
    attributes = f' name="{name}"'
    if title is not None:
        attributes += f' title="{html.escape(str(title))}"'
    if extra:
        attributes += f' class="{" ".join(sorted(extra))}"'
    for key in sorted(node.attrib):
        if key == "id":
            attributes += f' id="{html.escape(node.get(key))}"'
    return f"<callout{attributes}>{''.join(content)}</callout>"


def canonical_inner(node: ET.Element, in_pre: bool = False) -> str:
    """The canonical form of an element's content, without its own tag: white space next to
    block elements and at the ends of a block element dropped, runs of it made one space."""
    inner_nodes = children(node)
    pre = in_pre or node.tag in ("pre", "script", "style", "textarea")
    parts = []
    for index, child in enumerate(inner_nodes):
        if isinstance(child, str) and not pre and not child.strip():
            before = inner_nodes[index - 1] if index else None
            after = inner_nodes[index + 1] if index + 1 < len(inner_nodes) else None
            next_to_block = any(isinstance(n, ET.Element) and n.tag in BLOCK_TAGS
                                for n in (before, after))
            if next_to_block or before is None or after is None:
                continue
        parts.append(canonical(child, pre))
    inner = "".join(parts)
    if node.tag in ("script", "style"):
        # Not shown; just-the-docs' compress_html layout folds the white space in them.
        return re.sub(r"\s+", " ", inner).strip()
    if not pre:
        inner = re.sub(r" +", " ", inner)
        if node.tag in BLOCK_TAGS:
            inner = inner.strip()
    return inner


def child_page_list(title: str, entries: list[tuple[str, str, str]]) -> str:
    listed = "; ".join(f"{text} -> {href}" + (f" ({summary})" if summary else "")
                       for text, href, summary in entries)
    return f"[child pages: {title}: {listed}]"


def jekyll_child_pages(nodes: list[ET.Element]) -> tuple[list[ET.Element], str | None]:
    """just-the-docs ends a parent page with `<hr>`, an `<h2>` without id and a list of its
    children (title, then ` - summary`)."""
    if len(nodes) >= 3:
        hr, heading, listing = nodes[-3:]
        if (hr.tag == "hr" and heading.tag == "h2" and heading.get("id") is None
                and listing.tag == "ul"):
            entries = []
            for item in listing.findall("li"):
                link = item.find("a")
                if link is None:
                    break
                rest = (link.tail or "").strip()
                summary = rest[1:].strip() if rest.startswith("-") else rest
                entries.append((text_of(link).strip(), link.get("href", ""), summary))
            else:
                return nodes[:-3], child_page_list(text_of(heading).strip(), entries)
    return nodes, None


def folio_child_pages(nodes: list[ET.Element]) -> tuple[list[ET.Element], str | None]:
    if nodes and nodes[-1].tag == "section" and "child-pages" in classes(nodes[-1]):
        section = nodes[-1]
        heading = section.find("h2")
        entries = []
        for item in section.iter("li"):
            link = item.find("a")
            summary = item.find("span")
            summary_text = ""
            if summary is not None:
                summary_text = "".join(
                    canonical(c) for c in children(summary)
                    if not (isinstance(c, ET.Element) and "sr-only" in classes(c))).strip()
            entries.append((text_of(link).strip(), link.get("href", ""), summary_text))
        title = text_of(heading).strip() if heading is not None else ""
        return nodes[:-1], child_page_list(title, entries)
    return nodes, None


def blocks(nodes: list[ET.Element | str], child_pages) -> list[str]:
    """Top-level block elements, normalised; text between them (rare) is a block too."""
    elements = [n for n in nodes if isinstance(n, ET.Element) and isinstance(n.tag, str)]
    elements, child_list = child_pages(elements)
    kept = set(map(id, elements))
    out = []
    for node in nodes:
        if isinstance(node, str):
            if node.strip():
                out.append(re.sub(r"\s+", " ", html.escape(node.strip(), quote=False)))
        elif id(node) in kept:
            if node.tag == "div" and "table-wrapper" in classes(node):
                out.extend(blocks(children(node), lambda e: (e, None)))
                continue
            text = canonical(node)
            if text:
                out.append(text)
    if child_list:
        out.append(child_list)
    return out


def liquid_marks(nodes: list[ET.Element | str]) -> int:
    text = "".join(n if isinstance(n, str) else text_of(n)
                   for n in nodes if isinstance(n, str) or isinstance(n.tag, str))
    return text.count("{%") + text.count("{{")


# ---------------------------------------------------------------------------------------------
# Comparing


@dataclass
class PageResult:
    url: str
    jekyll_blocks: int
    folio_blocks: int
    matching_blocks: int
    exact: bool
    raw_liquid: int = 0
    diff: str | None = None
    notes: list[str] = field(default_factory=list)


def compare_page(url: str, jekyll_text: str, folio_text: str) -> tuple[PageResult, str]:
    j_nodes = jekyll_body(jekyll_text)
    f_nodes = folio_body(folio_text)
    j_blocks = blocks(j_nodes, jekyll_child_pages)
    f_blocks = blocks(f_nodes, folio_child_pages)
    matcher = difflib.SequenceMatcher(None, j_blocks, f_blocks, autojunk=False)
    matching = sum(m.size for m in matcher.get_matching_blocks())
    exact = j_blocks == f_blocks
    # Liquid a reader of folio's page sees that Jekyll's page does not show.
    raw_liquid = max(0, liquid_marks(f_nodes) - liquid_marks(j_nodes))
    diff = ""
    if not exact:
        diff = "\n".join(difflib.unified_diff(
            j_blocks, f_blocks, fromfile=f"jekyll {url}", tofile=f"folio {url}",
            lineterm="", n=1))
    result = PageResult(url, len(j_blocks), len(f_blocks), matching, exact, raw_liquid)
    return result, diff


def diff_name(url: str) -> str:
    name = url.strip("/").replace("/", "_") or "index"
    return re.sub(r"[^A-Za-z0-9._-]", "-", name) + ".diff"


def compare_sites(jekyll_site: Path, folio_site: Path, out: Path) -> dict:
    jekyll_pages = html_pages(jekyll_site)
    folio_pages = html_pages(folio_site)
    paired = sorted(set(jekyll_pages) & set(folio_pages))
    copied = []
    pages = []
    for url in paired:
        jekyll_bytes = jekyll_pages[url].read_bytes()
        folio_bytes = folio_pages[url].read_bytes()
        if jekyll_bytes == folio_bytes:
            copied.append(url)  # a static HTML file, copied by both
            continue
        result, diff = compare_page(url, jekyll_bytes.decode("utf-8", "replace"),
                                    folio_bytes.decode("utf-8", "replace"))
        if diff:
            result.diff = diff_name(url)
            (out / "diffs" / result.diff).write_text(diff + "\n")
        pages.append(result)
    jekyll_blocks = sum(p.jekyll_blocks for p in pages)
    matching = sum(p.matching_blocks for p in pages)
    return {
        "jekyll_pages": len(jekyll_pages) - len(copied),
        "folio_pages": len(folio_pages) - len(copied),
        "paired": len(pages),
        "exact": sum(p.exact for p in pages),
        "jekyll_blocks": jekyll_blocks,
        "folio_blocks": sum(p.folio_blocks for p in pages),
        "matching_blocks": matching,
        "block_share": matching / jekyll_blocks if jekyll_blocks else 1.0,
        "pages_with_raw_liquid": [p.url for p in pages if p.raw_liquid],
        "only_in_jekyll": sorted(set(jekyll_pages) - set(folio_pages)),
        "only_in_folio": sorted(set(folio_pages) - set(jekyll_pages)),
        "copied_html_files": copied,
        "pages": [p.__dict__ for p in pages],
    }


def render_summary(site: Path, result: dict) -> str:
    lines = [
        f"Jekyll vs folio: {site}",
        f"  pages built by Jekyll: {result['jekyll_pages']}, by folio: {result['folio_pages']}",
        f"  pages paired by URL:   {result['paired']}",
        f"  pages exact:           {result['exact']} of {result['paired']}",
        f"  matching blocks:       {result['matching_blocks']} of {result['jekyll_blocks']} "
        f"Jekyll blocks ({result['block_share']:.1%}); folio has {result['folio_blocks']} blocks",
        f"  pages with raw Liquid: {len(result['pages_with_raw_liquid'])}",
        f"  source left unchanged: {'yes' if result['source_unchanged'] else 'NO'}",
    ]
    if result["only_in_jekyll"]:
        lines.append("  only in Jekyll's site: " + ", ".join(result["only_in_jekyll"]))
    if result["only_in_folio"]:
        lines.append("  only in folio's site:  " + ", ".join(result["only_in_folio"]))
    if result["pages_with_raw_liquid"]:
        lines.append("  raw Liquid on: " + ", ".join(result["pages_with_raw_liquid"]))
    lines.append("  per page (matching/Jekyll blocks, folio blocks):")
    for page in result["pages"]:
        mark = "=" if page["exact"] else "≠"
        liquid = f", raw Liquid x{page['raw_liquid']}" if page["raw_liquid"] else ""
        lines.append(f"    {mark} {page['url']}: {page['matching_blocks']}/{page['jekyll_blocks']}, "
                     f"{page['folio_blocks']}{liquid}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
