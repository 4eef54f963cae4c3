//! folio: a static documentation-site generator for handbooks written in the style of the
//! just-the-docs Jekyll theme.
//!
//! The library is split by pipeline stage, and data flows one way: `config` and `content`
//! (load) -> `nav` (the model) -> `markdown` + `templates` (render, in `build::render`) ->
//! `output` (write). `build` runs the stages for `folio build` and `folio check`, `serve` runs
//! the same render pass over what changed, `cli` is the command line. ARCHITECTURE.md lists
//! the modules in dependency order (a test keeps it true) and follows a page and an edit
//! through them.

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fuzzing;
pub mod import;
pub mod liquid;
pub mod markdown;
pub mod nav;
pub mod output;
pub mod paths;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod templates;
pub mod theme;
