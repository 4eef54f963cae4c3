//! folio: a static documentation-site generator for handbooks written in the style of the
//! just-the-docs Jekyll theme.
//!
//! The library is split by pipeline stage, and data flows one way:
//! `config` -> `content` (load) -> `nav` (model) -> `markdown` + `templates` (render) ->
//! `output` (write). `build` runs the stages; `cli` is the command line.

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod liquid;
pub mod markdown;
pub mod nav;
pub mod output;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod templates;
pub mod theme;
