#!/usr/bin/env python3
"""What other layouts of the search result files would cost the first query, without
rebuilding: from the files each query downloaded (`SEARCH_BENCH_LOADED=loaded.json` of
`cargo bench --bench search`) and the output that run measured (one page per search/p file).

    python3 bench/search/layouts.py loaded.json OUTPUT_FOLDER

Prints, for each query, the kB it would download
- with K consecutive pages per search/p file (fewer, larger files), and
- with each section's text cut at N characters (the snippets' source; files.rs keeps 320),
the other files (search.js, meta.js, shards) as they were. Estimates, not measurements: the
same results are assumed, which holds since neither changes the ranking."""
import json
import os
import re
import sys


def page_sizes(out):
    folder = os.path.join(out, "search/p")
    return {int(name.split(".")[0]): os.path.getsize(os.path.join(folder, name))
            for name in os.listdir(folder)}


def page_numbers(files):
    return {int(re.search(r"/p/(\d+)\.js", path).group(1))
            for path, _ in files if "/search/p/" in path}


def other_bytes(files):
    return sum(size for path, size in files if "/search/p/" not in path)


def cut(text, n):
    """As files.rs's truncate: at the last space past n/2, else at n."""
    if len(text) <= n:
        return text
    head = text[:n]
    space = head.rfind(" ")
    return head[:space] if space > n // 2 else head


def cut_size(out, number, n):
    text = open(os.path.join(out, f"search/p/{number}.js"), encoding="utf-8").read()
    call = re.match(r"folioSearch\.pages\((\d+),(.*)\);\n$", text, re.S)
    pages = json.loads(call.group(2))
    for page in pages:
        page["s"] = [[heading, anchor, cut(body, n)] for heading, anchor, body in page["s"]]
    encoded = json.dumps(pages, ensure_ascii=False, separators=(",", ":"))
    return len(f"folioSearch.pages({call.group(1)},{encoded});\n".encode())


def main():
    loaded = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    sizes = page_sizes(out)
    count = max(sizes) + 1
    for k in (1, 2, 4, 8):
        row = []
        for query, files in loaded:
            groups = {number // k for number in page_numbers(files)}
            pages = sum(sizes.get(g * k + i, 0) for g in groups for i in range(k))
            row.append(f"{query}: {(pages + other_bytes(files)) / 1e3:.0f}")
        print(f"{k} page(s) per file ({-(-count // k)} files): " + ", ".join(row))
    for n in (320, 240, 200, 160):
        row = []
        for query, files in loaded:
            pages = sum(cut_size(out, number, n) for number in page_numbers(files))
            row.append(f"{query}: {(pages + other_bytes(files)) / 1e3:.0f}")
        print(f"section text cut at {n}: " + ", ".join(row))


if __name__ == "__main__":
    main()
