//! What the cache keeps of each page's render: the record every build reads (warnings,
//! links, anchors), its search sections, and the body read when layouts are rendered again,
//! as types bincode can write and read back.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Details, Diagnostic, Severity};
use crate::markdown::{Heading, LinkUse, Rendered, Target};
use crate::search::Section;

/// What every build needs of every page.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub warnings: Vec<DiagnosticRecord>,
    pub links: Vec<LinkRecord>,
    pub anchors: Vec<String>,
}

/// A page's search sections, kept apart from its [`Record`] (in packs of their own): they
/// are most of its bytes, and a build reads them only when it makes the search index's page
/// files again.
pub type SectionsRecord = Vec<SectionRecord>;

/// A [`LinkUse`] (whose target is tagged for JSON, which bincode cannot read back).
#[derive(Debug, Serialize, Deserialize)]
pub struct LinkRecord {
    pub href: String,
    pub target: TargetRecord,
    pub is_image: bool,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum TargetRecord {
    External,
    SamePage(String),
    Page(String, Option<String>),
    File(String),
    Unknown(String),
    MissingSource(String),
    Unsafe,
    RawHtml,
}

impl LinkRecord {
    pub fn of(link: &LinkUse) -> LinkRecord {
        let target = match &link.target {
            Target::External => TargetRecord::External,
            Target::SamePage { anchor } => TargetRecord::SamePage(anchor.clone()),
            Target::Page { url, anchor } => TargetRecord::Page(url.clone(), anchor.clone()),
            Target::File { path } => TargetRecord::File(path.clone()),
            Target::Unknown { path } => TargetRecord::Unknown(path.clone()),
            Target::MissingSource { path } => TargetRecord::MissingSource(path.clone()),
            Target::Unsafe => TargetRecord::Unsafe,
            Target::RawHtml => TargetRecord::RawHtml,
        };
        LinkRecord {
            href: link.href.clone(),
            target,
            is_image: link.is_image,
            line: link.line,
            column: link.column,
        }
    }

    pub fn into_link(self) -> LinkUse {
        let target = match self.target {
            TargetRecord::External => Target::External,
            TargetRecord::SamePage(anchor) => Target::SamePage { anchor },
            TargetRecord::Page(url, anchor) => Target::Page { url, anchor },
            TargetRecord::File(path) => Target::File { path },
            TargetRecord::Unknown(path) => Target::Unknown { path },
            TargetRecord::MissingSource(path) => Target::MissingSource { path },
            TargetRecord::Unsafe => Target::Unsafe,
            TargetRecord::RawHtml => Target::RawHtml,
        };
        LinkUse {
            href: self.href,
            target,
            is_image: self.is_image,
            line: self.line,
            column: self.column,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SectionRecord {
    pub title: Option<String>,
    pub anchor: Option<String>,
    pub text: String,
}

impl SectionRecord {
    pub fn of(section: &Section) -> SectionRecord {
        SectionRecord {
            title: section.title.clone(),
            anchor: section.anchor.clone(),
            text: section.text.clone(),
        }
    }

    pub fn into_section(self) -> Section {
        Section {
            title: self.title,
            anchor: self.anchor,
            text: self.text,
        }
    }
}

/// A page's Markdown as HTML, as its layout needs it.
#[derive(Debug, Serialize, Deserialize)]
pub struct BodyRecord {
    pub html: String,
    pub headings: Vec<HeadingRecord>,
    pub toc_levels: (u8, u8),
    pub has_code: bool,
    /// The page's Markdown copy (for llms-full.txt and its `.md` file).
    pub copy: Option<String>,
}

impl BodyRecord {
    pub fn into_rendered(self) -> (Rendered, Option<Arc<str>>) {
        let rendered = Rendered {
            html: self.html,
            headings: self
                .headings
                .into_iter()
                .map(|h| Heading {
                    level: h.level,
                    id: h.id,
                    text: h.text,
                    html: h.html,
                    classes: h.classes,
                    offset: h.offset,
                })
                .collect(),
            toc_levels: self.toc_levels,
            // Links and warnings travel in the page's record.
            links: Vec::new(),
            warnings: Vec::new(),
            has_code: self.has_code,
        };
        (rendered, self.copy.map(Into::into))
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct HeadingRecord {
    pub level: u8,
    pub id: String,
    pub text: String,
    pub html: String,
    pub classes: Vec<String>,
    pub offset: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DiagnosticRecord {
    pub error: bool,
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    pub details: Option<(Option<String>, Option<String>, Option<String>)>,
}

impl DiagnosticRecord {
    pub fn of(d: &Diagnostic) -> DiagnosticRecord {
        DiagnosticRecord {
            error: d.is_error(),
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
            details: d.details.as_ref().map(|details| {
                (
                    details.kind.map(str::to_string),
                    details.target.clone(),
                    details.suggestion.clone(),
                )
            }),
        }
    }

    pub fn into_diagnostic(self) -> Diagnostic {
        Diagnostic {
            severity: if self.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            file: self.file,
            line: self.line,
            column: self.column,
            message: self.message,
            help: self.help,
            details: self.details.map(|(kind, target, suggestion)| {
                Box::new(Details {
                    kind: kind.map(|k| intern(&k)),
                    target,
                    suggestion,
                })
            }),
        }
    }
}

/// A finding's kind as the `&'static str` the diagnostics carry: kinds are a handful of names,
/// each leaked once.
fn intern(kind: &str) -> &'static str {
    static KINDS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut kinds = KINDS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = kinds.iter().find(|k| **k == kind).copied() {
        return known;
    }
    let leaked: &'static str = Box::leak(kind.to_string().into_boxed_str());
    kinds.push(leaked);
    leaked
}
