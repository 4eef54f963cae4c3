//! Files every site gets besides its pages: `sitemap.xml` and `robots.txt`.

use std::fmt::Write as _;
use std::time::SystemTime;

use pulldown_cmark_escape::escape_html;

/// One URL of the sitemap.
pub struct SitemapEntry {
    /// Site-relative URL without base path.
    pub url: String,
    /// `YYYY-MM-DD`, when known.
    pub last_modified: Option<String>,
}

/// `sitemap.xml`; URLs are absolute when the site has a base URL.
pub fn sitemap(entries: &[SitemapEntry], absolute_base: Option<&str>, base_path: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in entries {
        let location = match absolute_base {
            Some(base) => format!("{}{}", base, entry.url),
            None => format!("{base_path}{}", entry.url),
        };
        xml.push_str("  <url><loc>");
        let _ = escape_html(&mut xml, &location);
        xml.push_str("</loc>");
        if let Some(date) = &entry.last_modified {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt` allowing everything and naming the sitemap.
pub fn robots(absolute_base: Option<&str>, base_path: &str) -> String {
    let sitemap = match absolute_base {
        Some(base) => format!("{base}/sitemap.xml"),
        None => format!("{base_path}/sitemap.xml"),
    };
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n")
}

/// The date part (`YYYY-MM-DD`) of a front matter date, or of a file time.
pub fn date_of(front_matter_date: Option<&str>, modified: Option<SystemTime>) -> Option<String> {
    if let Some(date) = front_matter_date.and_then(parse_date) {
        return Some(date.to_string());
    }
    let modified = modified?;
    let timestamp = jiff::Timestamp::try_from(modified).ok()?;
    Some(
        timestamp
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
            .to_string(),
    )
}

/// A civil date from the start of `text` (`2024-01-15`, `2024-01-15 10:00:00 +0100`, …).
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let head = text.trim().get(..10)?;
    head.parse().ok()
}

/// A front matter date shown with a strftime `format`; the text as written when it is not a
/// date folio can read.
pub fn format_date(text: &str, format: &str) -> String {
    match parse_date(text) {
        Some(date) => jiff::fmt::strtime::format(format, date).unwrap_or_else(|_| text.to_string()),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_urls_are_absolute_with_a_base() {
        let entries = [SitemapEntry {
            url: "/a&b/".into(),
            last_modified: Some("2024-01-02".into()),
        }];
        let xml = sitemap(&entries, Some("https://x.org/hb"), "/hb");
        assert!(xml.contains("<loc>https://x.org/hb/a&amp;b/</loc><lastmod>2024-01-02</lastmod>"));
        assert!(sitemap(&entries, None, "").contains("<loc>/a&amp;b/</loc>"));
        assert_eq!(
            robots(Some("https://x.org/hb"), "/hb").lines().last(),
            Some("Sitemap: https://x.org/hb/sitemap.xml")
        );
    }

    #[test]
    fn dates() {
        assert_eq!(format_date("2024-03-05", "%B %-d, %Y"), "March 5, 2024");
        assert_eq!(
            format_date("2024-03-05 10:00:00 +0100", "%Y/%m/%d"),
            "2024/03/05"
        );
        assert_eq!(format_date("last spring", "%Y"), "last spring");
        assert_eq!(
            date_of(Some("2024-03-05T10:00:00Z"), None).as_deref(),
            Some("2024-03-05")
        );
    }
}
