//! The files made from every page's body in reading order — the print page (`/print/`) and
//! `llms-full.txt` — written while the render pass goes. The pass renders pages in reading
//! order, a chunk at a time (in parallel within a chunk), and appends each chunk's pieces to
//! the files before the next chunk starts: a page's body is dropped with its chunk, so the
//! print page of a site of any size costs a chunk of bodies in memory, not a second copy of
//! every body (the build drops each body once its layout is written). A chunk's pieces are
//! appended while the next chunk renders, so no core waits for the files.

use std::sync::{Arc, Mutex, PoisonError};

use super::site::Site;
use crate::content::{Page, PageId};
use crate::diagnostics::Diagnostic;
use crate::llms;
use crate::markdown::Rendered;
use crate::output::reuse::FileTime;
use crate::output::{OutputSink, relative};
use crate::paths;
use crate::print::{self, Book};

/// Pages rendered before their pieces are written (a few megabytes of HTML at most).
pub const CHUNK: usize = 128;

/// What one page gives the books.
#[derive(Debug, Default)]
pub struct Pieces {
    /// The page (`None`: nothing to record, as for a page without a render).
    pub page: Option<PageId>,
    /// Its section of the print page.
    pub fragment: Option<String>,
    /// Its Markdown copy, for llms-full.txt.
    pub copy: Option<Arc<str>>,
}

/// The books of one render pass, being written.
pub struct Books {
    /// Every page, in reading order.
    pub order: Vec<PageId>,
    print: Option<Book>,
    /// llms-full.txt is written.
    llms: bool,
    /// Relative links (`folio build --offline`), under this base path.
    offline: Option<String>,
    /// What changes as the files are written (one chunk is appended at a time).
    written: Mutex<Written>,
}

/// Where a page's pieces are in the books as written: (start, length) in bytes of its
/// section of the print page and of its copy in llms-full.txt. The next build copies the
/// pieces of the pages it does not render from there, instead of making them again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct BookRanges {
    pub print: Option<(u64, u64)>,
    pub llms: Option<(u64, u64)>,
}

#[derive(Default)]
struct Written {
    /// The print page after its last section.
    print_tail: String,
    /// Bytes written to the print page and to llms-full.txt so far.
    print_length: u64,
    llms_length: u64,
    /// Where each page's pieces went (not kept for `--offline`, whose links are rewritten
    /// a chunk at a time).
    ranges: Vec<(PageId, BookRanges)>,
    /// Whether llms-full.txt has a copy yet (copies are separated by a blank line).
    llms_started: bool,
    problems: Vec<Diagnostic>,
}

impl Books {
    /// Starts the books of `site` in `sink`: the print page's head (and list of contents).
    pub fn start(site: &Site, sink: &dyn OutputSink) -> Books {
        let pages = &site.content.pages;
        let mut books = Books {
            order: site.nav.reading_order(pages.len()),
            print: print::plan(pages, &site.nav, &site.config),
            llms: site.config.llms.enabled,
            offline: site.offline.then(|| site.index.base_path.clone()),
            written: Mutex::default(),
        };
        let mut written = Written::default();
        if let Some(book) = &books.print {
            match book.head_and_tail(&site.templates, pages, &site.config) {
                Ok((head, tail)) => {
                    written.print_tail = tail;
                    append(
                        books.offline.as_deref(),
                        sink,
                        paths::PRINT_PAGE,
                        head,
                        &mut written,
                    );
                }
                Err(problem) => {
                    written.problems.push(problem);
                    books.print = None;
                }
            }
        }
        if books.llms {
            // The file exists even for a site whose pages are all left out.
            append(
                books.offline.as_deref(),
                sink,
                paths::LLMS_FULL,
                String::new(),
                &mut written,
            );
        }
        books.written = Mutex::new(written);
        books
    }

    /// Whether `page` gets a Markdown copy.
    pub fn wants_copy(&self, site: &Site, page: &Page) -> bool {
        self.llms && llms::includes(&site.config, &site.search, page)
    }

    /// The pieces of `page`, rendered as `body`, with its `copy`.
    pub fn pieces(&self, page: &Page, body: &Rendered, copy: Option<Arc<str>>) -> Pieces {
        let fragment = self.print.as_ref().and_then(|book| {
            book.chapter_of(page.id)?;
            let first_level = body.headings.first().map(|h| h.level);
            Some(book.fragment(page, &body.html, first_level))
        });
        Pieces {
            page: Some(page.id),
            fragment,
            copy,
        }
    }

    /// Appends the pieces of a chunk of pages, in reading order (chunks are appended one
    /// after the other, in reading order, by the caller).
    pub fn add(&self, sink: &dyn OutputSink, pieces: impl Iterator<Item = Pieces>) {
        let mut written = self.written.lock().unwrap_or_else(PoisonError::into_inner);
        let mut html = String::new();
        let mut markdown = String::new();
        let record = self.offline.is_none();
        for piece in pieces {
            let mut ranges = BookRanges::default();
            if let Some(fragment) = piece.fragment {
                let start = written.print_length + html.len() as u64;
                ranges.print = Some((start, fragment.len() as u64));
                html.push_str(&fragment);
            }
            if let Some(copy) = piece.copy.filter(|_| self.llms) {
                if std::mem::replace(&mut written.llms_started, true) {
                    markdown.push('\n');
                }
                let start = written.llms_length + markdown.len() as u64;
                ranges.llms = Some((start, copy.len() as u64));
                markdown.push_str(&copy);
            }
            if let Some(page) = piece.page.filter(|_| record) {
                written.ranges.push((page, ranges));
            }
        }
        if self.print.is_some() && !html.is_empty() {
            append(
                self.offline.as_deref(),
                sink,
                paths::PRINT_PAGE,
                html,
                &mut written,
            );
        }
        if !markdown.is_empty() {
            append(
                self.offline.as_deref(),
                sink,
                paths::LLMS_FULL,
                markdown,
                &mut written,
            );
        }
    }

    /// Ends the files; what could not be written, and where each page's pieces went.
    pub fn finish(self, sink: &dyn OutputSink) -> (Vec<Diagnostic>, Vec<(PageId, BookRanges)>) {
        let mut written = self
            .written
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if self.print.is_some() {
            let tail = std::mem::take(&mut written.print_tail);
            append(
                self.offline.as_deref(),
                sink,
                paths::PRINT_PAGE,
                tail,
                &mut written,
            );
        }
        (written.problems, written.ranges)
    }
}

/// Appends `text` to the book at `path` (`offline`: the base path links are made relative to).
fn append(
    offline: Option<&str>,
    sink: &dyn OutputSink,
    path: &str,
    text: String,
    written: &mut Written,
) {
    let text = match offline {
        Some(base_path) if path == paths::PRINT_PAGE => {
            relative::relativize(&text, path, base_path)
        }
        _ => text,
    };
    match path {
        paths::PRINT_PAGE => written.print_length += text.len() as u64,
        paths::LLMS_FULL => written.llms_length += text.len() as u64,
        _ => {}
    }
    if let Err(err) = sink.append(path, text.as_bytes()) {
        written.problems.push(err.to_diagnostic());
    }
}

/// The books of the last build, which a build that does not render every layout copies the
/// pieces of its kept pages from (the previous output is only read: it is replaced when the
/// build succeeds).
#[derive(Debug)]
pub struct PreviousBooks {
    print: Option<std::fs::File>,
    llms: Option<std::fs::File>,
}

impl PreviousBooks {
    /// The books the last build left under `output` (`left`: the size and time it left
    /// each with); `None` when one has changed since or cannot be opened. The time is read
    /// from the opened file, so the file read is the file checked.
    pub fn open(output: &std::path::Path, left: &[(String, FileTime)]) -> Option<PreviousBooks> {
        let open = |path: &str| -> Option<Option<std::fs::File>> {
            let Some((_, as_left)) = left.iter().find(|(name, _)| name == path) else {
                // The last build did not write it.
                return Some(None);
            };
            let file = std::fs::File::open(output.join(path)).ok()?;
            let now = FileTime::from_metadata(&file.metadata().ok()?)?;
            (now == *as_left).then_some(Some(file))
        };
        Some(PreviousBooks {
            print: open(paths::PRINT_PAGE)?,
            llms: open(paths::LLMS_FULL)?,
        })
    }

    /// The pieces of `page` where the last build put them.
    pub fn pieces(&self, page: &Page, ranges: &BookRanges) -> Result<Pieces, Diagnostic> {
        let read = |file: &Option<std::fs::File>, range: Option<(u64, u64)>, path: &str| {
            let (Some(file), Some((start, length))) = (file, range) else {
                return Ok(None);
            };
            read_range(file, start, length).map(Some).map_err(|err| {
                Diagnostic::error(format!(
                    "could not copy {}'s part of {path} from the last build: {err}",
                    page.rel_path
                ))
                .with_help("build again; `folio build --no-cache` makes every page anew")
            })
        };
        Ok(Pieces {
            page: Some(page.id),
            fragment: read(&self.print, ranges.print, paths::PRINT_PAGE)?,
            copy: read(&self.llms, ranges.llms, paths::LLMS_FULL)?.map(Arc::from),
        })
    }
}

/// Reads a range at its offset (no shared position, so the threads of a chunk read at once).
fn read_range(file: &std::fs::File, start: u64, length: u64) -> std::io::Result<String> {
    let mut bytes = vec![0; usize::try_from(length).map_err(std::io::Error::other)?];
    #[cfg(unix)]
    std::os::unix::fs::FileExt::read_exact_at(file, &mut bytes, start)?;
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < bytes.len() {
            let read = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut bytes[done..],
                start + done as u64,
            )?;
            if read == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            done += read;
        }
    }
    String::from_utf8(bytes).map_err(std::io::Error::other)
}
