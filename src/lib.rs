//! folio: a static documentation-site generator for handbooks written in the style of the
//! just-the-docs Jekyll theme.
//!
//! The library is split by pipeline stage, and data flows one way: `config` and `content`
//! (load) -> `nav` (the model) -> `markdown` + `templates` (render, in `build::render`) ->
//! `output` (write). `build` runs the stages for `folio build` and `folio check`, `serve` runs
//! the same render pass over what changed, `cli` is the command line. ARCHITECTURE.md lists
//! the modules in dependency order (a test keeps it true) and follows a page and an edit
//! through them.

pub(crate) mod build;
pub(crate) mod check;
pub mod cli;
pub mod config;
pub(crate) mod content;
pub(crate) mod diagnostics;
pub mod fuzzing;
pub(crate) mod import;
pub mod liquid;
pub(crate) mod llms;
pub mod markdown;
pub(crate) mod nav;
pub(crate) mod output;
pub(crate) mod paths;
pub(crate) mod print;
pub(crate) mod scaffold;
pub(crate) mod search;
pub(crate) mod serve;

pub use serve::listen;
pub(crate) mod templates;
pub(crate) mod theme;
