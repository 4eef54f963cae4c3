//! A deterministic handbook corpus for benchmarks: a home page, sections, topics and
//! subtopics in just-the-docs front matter, each page 3–4 KB of Markdown with headings,
//! lists, a table, two or three highlighted code blocks and links to other pages.

use std::fmt::Write as _;
use std::path::Path;

/// A small, fast, deterministic random number generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "request",
    "replica",
    "shard",
    "queue",
    "index",
    "cache",
    "lease",
    "quorum",
    "leader",
    "follower",
    "commit",
    "log",
    "snapshot",
    "partition",
    "tenant",
    "schema",
    "migration",
    "rollout",
    "canary",
    "latency",
    "throughput",
    "budget",
    "alert",
    "trace",
    "span",
    "metric",
    "sample",
    "window",
    "watermark",
    "offset",
    "consumer",
    "producer",
    "topic",
    "stream",
    "batch",
    "retry",
    "timeout",
    "backoff",
    "deadline",
    "token",
    "session",
    "cookie",
    "header",
    "payload",
    "checksum",
    "digest",
    "key",
    "value",
    "column",
    "row",
    "table",
    "cursor",
    "page",
    "segment",
    "block",
    "buffer",
    "flush",
    "fsync",
    "journal",
    "ledger",
    "service",
    "endpoint",
    "gateway",
    "proxy",
    "router",
    "balancer",
    "node",
    "cluster",
    "region",
    "zone",
    "failover",
    "heartbeat",
    "election",
    "term",
    "epoch",
    "version",
    "vector",
    "clock",
    "drift",
    "skew",
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "is",
    "for",
    "with",
    "on",
    "that",
    "by",
    "when",
    "each",
    "every",
    "before",
    "after",
    "while",
    "until",
    "only",
    "also",
    "then",
    "so",
    "but",
    "not",
    "may",
    "must",
    "should",
    "reads",
    "writes",
    "stores",
    "sends",
    "drops",
    "keeps",
    "checks",
    "builds",
    "moves",
    "splits",
];

const TITLE_WORDS: &[&str] = &[
    "Replication",
    "Storage",
    "Queues",
    "Caching",
    "Routing",
    "Indexing",
    "Scheduling",
    "Tracing",
    "Alerting",
    "Migrations",
    "Rollouts",
    "Backups",
    "Recovery",
    "Consensus",
    "Leases",
    "Sharding",
    "Streams",
    "Batches",
    "Budgets",
    "Quotas",
    "Sessions",
    "Tokens",
    "Schemas",
    "Clocks",
    "Gateways",
    "Proxies",
    "Failover",
    "Capacity",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(' ');
        }
        let word = rng.pick(WORDS);
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                text.extend(first.to_uppercase());
                text.push_str(chars.as_str());
            }
        } else {
            text.push_str(word);
        }
    }
    text.push('.');
    text
}

fn paragraph(rng: &mut Rng) -> String {
    let count = 2 + rng.below(3);
    (0..count)
        .map(|_| {
            let words = 8 + rng.below(10);
            sentence(rng, words)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn ident(rng: &mut Rng) -> String {
    format!("{}_{}", rng.pick(WORDS), rng.pick(WORDS))
}

fn code_block(rng: &mut Rng) -> String {
    let a = ident(rng);
    let b = ident(rng);
    let n = rng.below(1000);
    match rng.below(8) {
        0 => format!(
            "```rust\npub fn {a}(items: &[u64]) -> u64 {{\n    let mut total = 0;\n    for item in items {{\n        if *item > {n} {{\n            total += item * 2;\n        }}\n    }}\n    total\n}}\n\nstruct {b} {{\n    limit: usize,\n}}\n```\n"
        ),
        1 => format!(
            "```python\ndef {a}(records, limit={n}):\n    \"\"\"Return the records of {b} over the limit.\"\"\"\n    kept = []\n    for record in records:\n        if record.get(\"size\", 0) > limit:\n            kept.append(record)\n    return kept\n```\n"
        ),
        2 => format!(
            "```yaml\n{a}:\n  replicas: {n}\n  strategy: rolling\n  probes:\n    path: /health\n    period: 10s\n{b}:\n  enabled: true\n```\n"
        ),
        3 => format!(
            "```bash\n#!/usr/bin/env bash\nset -euo pipefail\nfor f in /var/lib/{a}/*.conf; do\n  echo \"checking $f\"\n  grep -q {b} \"$f\" || exit {n}\ndone\n```\n"
        ),
        4 => format!(
            "```json\n{{\n  \"{a}\": {n},\n  \"{b}\": [\"read\", \"write\"],\n  \"enabled\": true,\n  \"ratio\": 0.{n}\n}}\n```\n"
        ),
        5 => format!(
            "```go\nfunc {a}(ctx context.Context, n int) error {{\n\tfor i := 0; i < n; i++ {{\n\t\tif err := {b}(ctx, i); err != nil {{\n\t\t\treturn fmt.Errorf(\"step %d: %w\", i, err)\n\t\t}}\n\t}}\n\treturn nil\n}}\n```\n"
        ),
        6 => format!(
            "```java\npublic final class Handler{n} {{\n    private final String {a};\n\n    public int apply(java.util.List<String> items) {{\n        int total = 0;\n        for (String item : items) {{\n            total += item.length();\n        }}\n        return total;\n    }}\n}}\n```\n"
        ),
        _ => format!(
            "```sql\nSELECT t.{a}, COUNT(*) AS total\nFROM {b} AS t\nWHERE t.size > {n}\nGROUP BY t.{a}\nORDER BY total DESC\nLIMIT 50;\n```\n"
        ),
    }
}

struct PageSpec {
    path: String,
    title: String,
    parent: Option<String>,
    grand_parent: Option<String>,
    nav_order: usize,
    permalink: String,
    has_children: bool,
}

/// Writes a corpus of `pages` pages into `dir` (site.toml + content/).
pub fn write(dir: &Path, pages: usize) -> std::io::Result<()> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ pages as u64);
    let sections = (pages / 50).max(1);
    let topics = (pages * 8 / 100).max(1);
    let mut specs = vec![PageSpec {
        path: "index.md".into(),
        title: "Home".into(),
        parent: None,
        grand_parent: None,
        nav_order: 0,
        permalink: "/".into(),
        has_children: false,
    }];
    let mut used = std::collections::HashSet::new();
    let unique_title = |rng: &mut Rng, used: &mut std::collections::HashSet<String>| loop {
        let title = format!("{} {}", rng.pick(TITLE_WORDS), rng.pick(TITLE_WORDS));
        let title = if used.contains(&title) {
            format!("{title} {}", used.len())
        } else {
            title
        };
        if used.insert(title.clone()) {
            return title;
        }
    };
    let slug = |title: &str| title.to_lowercase().replace(' ', "-");
    for s in 0..sections {
        let title = unique_title(&mut rng, &mut used);
        let folder = slug(&title);
        specs.push(PageSpec {
            path: format!("{folder}/index.md"),
            permalink: format!("/{folder}/"),
            title,
            parent: None,
            grand_parent: None,
            nav_order: s + 1,
            has_children: true,
        });
    }
    let section_ids: Vec<usize> = (1..=sections).collect();
    let mut topic_ids = Vec::new();
    for t in 0..topics {
        let section = section_ids[t % sections];
        let title = unique_title(&mut rng, &mut used);
        let section_folder = specs[section].permalink.trim_matches('/').to_string();
        let name = slug(&title);
        topic_ids.push(specs.len());
        specs.push(PageSpec {
            path: format!("{section_folder}/{name}/index.md"),
            permalink: format!("/{section_folder}/{name}/"),
            parent: Some(specs[section].title.clone()),
            title,
            grand_parent: None,
            nav_order: t / sections + 1,
            has_children: true,
        });
    }
    while specs.len() < pages {
        let i = specs.len();
        let title = unique_title(&mut rng, &mut used);
        let name = slug(&title);
        let spec = if i % 3 == 0 {
            let section = section_ids[rng.below(sections)];
            let folder = specs[section].permalink.trim_matches('/').to_string();
            PageSpec {
                path: format!("{folder}/{name}.md"),
                permalink: format!("/{folder}/{name}/"),
                parent: Some(specs[section].title.clone()),
                grand_parent: None,
                title,
                nav_order: 100 + rng.below(50),
                has_children: false,
            }
        } else {
            let topic = topic_ids[rng.below(topic_ids.len())];
            let folder = specs[topic].permalink.trim_matches('/').to_string();
            PageSpec {
                path: format!("{folder}/{name}.md"),
                permalink: format!("/{folder}/{name}/"),
                parent: Some(specs[topic].title.clone()),
                grand_parent: specs[topic].parent.clone(),
                title,
                nav_order: 1 + rng.below(20),
                has_children: false,
            }
        };
        specs.push(spec);
    }

    std::fs::create_dir_all(dir.join("content"))?;
    std::fs::write(dir.join("site.toml"), "title = \"Benchmark Handbook\"\n")?;
    let permalinks: Vec<String> = specs.iter().map(|s| s.permalink.clone()).collect();
    for spec in &specs {
        let mut text = String::with_capacity(4096);
        let _ = writeln!(
            text,
            "---\nlayout: default\ntitle: \"{}\"\nnav_order: {}",
            spec.title, spec.nav_order
        );
        if let Some(parent) = &spec.parent {
            let _ = writeln!(text, "parent: \"{parent}\"");
        }
        if let Some(grand_parent) = &spec.grand_parent {
            let _ = writeln!(text, "grand_parent: \"{grand_parent}\"");
        }
        if spec.has_children {
            text.push_str("has_children: true\n");
        }
        let _ = writeln!(text, "permalink: {}\n---\n", spec.permalink);
        let _ = writeln!(text, "{}\n", paragraph(&mut rng));
        for section in 0..3 {
            let _ = writeln!(
                text,
                "## {}\n\n{}\n",
                unique_heading(&mut rng, section),
                paragraph(&mut rng)
            );
            match section {
                0 => {
                    for _ in 0..4 {
                        let _ = writeln!(text, "- {} `{}`", sentence(&mut rng, 6), ident(&mut rng));
                    }
                    text.push('\n');
                }
                1 => {
                    text.push_str("| Name | Value | Notes |\n|:-----|------:|-------|\n");
                    for _ in 0..4 {
                        let _ = writeln!(
                            text,
                            "| `{}` | {} | {} |",
                            ident(&mut rng),
                            rng.below(5000),
                            rng.pick(WORDS)
                        );
                    }
                    text.push('\n');
                }
                _ => {
                    for n in 1..=3 {
                        let _ = writeln!(text, "{n}. {}", sentence(&mut rng, 7));
                    }
                    text.push('\n');
                }
            }
            let _ = writeln!(
                text,
                "### {}\n\n{}\n",
                unique_heading(&mut rng, 3),
                paragraph(&mut rng)
            );
            if section < 2 || rng.below(2) == 0 {
                text.push_str(&code_block(&mut rng));
                text.push('\n');
            }
        }
        text.push_str("## See also\n\n");
        for _ in 0..(3 + rng.below(3)) {
            let target = &permalinks[rng.below(permalinks.len())];
            let _ = writeln!(
                text,
                "- [{}]({target})",
                sentence(&mut rng, 3).trim_end_matches('.')
            );
        }
        let path = dir.join("content").join(&spec.path);
        std::fs::create_dir_all(path.parent().expect("a page is in a folder"))?;
        std::fs::write(path, text)?;
    }
    Ok(())
}

fn unique_heading(rng: &mut Rng, section: usize) -> String {
    let words = [
        "Overview",
        "Design notes",
        "Operating it",
        "Failure modes",
        "Configuration",
        "Examples",
    ];
    format!(
        "{} {}",
        words[(section + rng.below(3)) % words.len()],
        rng.pick(TITLE_WORDS).to_lowercase()
    )
}
