//! The command line: parses arguments, runs a library entry point, prints the outcome and
//! maps it to an exit status (0 done, 1 the site has errors, 2 usage errors).

use std::io::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::{self, BuildOptions};
use crate::diagnostics::{Diagnostics, Format};
use crate::scaffold;
use crate::serve::{self, ServeOptions};

#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about = "Builds documentation sites from Markdown handbooks written for just-the-docs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into its output folder.
    Build(BuildArgs),
    /// Preview the site: serve it locally and rebuild it as files change.
    Serve(ServeArgs),
    /// Check every link, anchor, file and nav entry without writing anything.
    Check(CheckArgs),
    /// Create a small starter site in a new folder.
    New(NewArgs),
    /// Write a new folio site from a just-the-docs Jekyll site (which is left unchanged).
    Import(ImportArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The site folder (with site.toml and content/).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The address to listen on; anything but loopback makes the site readable by others.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on (the next free one is used when it is taken; 0 for any).
    #[arg(long, value_name = "N", default_value_t = 4000)]
    port: u16,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Look for changed files by polling (for file systems without change events).
    #[arg(long)]
    poll: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// The site folder (with site.toml and content/).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Where to write the site (default: `output` of site.toml, or public/).
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// The absolute URL the site is published at (overrides site.toml).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Treat warnings as errors (for CI).
    #[arg(long)]
    strict: bool,
    /// Make a site that works when opened from disk: relative links ending in index.html.
    #[arg(long)]
    offline: bool,
    /// Print only warnings and errors.
    #[arg(long, short)]
    quiet: bool,
    /// Print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
}

/// Builds the site in memory, checks every link, anchor, file and nav entry, and writes
/// nothing; exits with 1 when anything is wrong.
#[derive(Debug, Args)]
struct CheckArgs {
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Also check web addresses over HTTP(S) (results cached per [check] in site.toml).
    #[arg(long)]
    external: bool,
    /// How findings are printed: `human` (stderr), `json` or `github` (workflow commands),
    /// both on stdout.
    #[arg(long, value_enum, default_value = "human")]
    format: CheckFormat,
    #[arg(long)]
    drafts: bool,
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Github,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// The folder to create.
    dir: PathBuf,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The Jekyll site's folder (the one with _config.yml).
    jekyll_dir: PathBuf,
    /// The folder to create for the folio site; it must not exist or be empty.
    new_dir: PathBuf,
}

/// Runs the command line and returns the exit status.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Serve(args) => run_serve(args),
        Command::Check(args) => run_check(args),
        Command::New(args) => run_new(&args.dir),
        Command::Import(args) => run_import(&args),
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let options = ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        open: args.open,
        poll: args.poll,
    };
    match serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        strict: args.strict,
        offline: args.offline,
        serving: false,
        in_memory: false,
        external_links: false,
    };
    match build::build(&options) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics);
            if !args.quiet {
                println!(
                    "Built {} {}, {} {} in {} ms -> {}",
                    report.pages,
                    plural(report.pages, "page", "pages"),
                    report.assets,
                    plural(report.assets, "asset", "assets"),
                    report.elapsed.as_millis(),
                    shown_path(&report.output)
                );
            }
            if args.timings {
                print_timings(&report.timings);
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            print_diagnostics(&failure.diagnostics);
            let errors = failure.diagnostics.error_count();
            eprintln!(
                "Build failed with {errors} {}; the output folder was not changed.",
                plural(errors, "error", "errors")
            );
            ExitCode::from(1)
        }
    }
}

/// One line per stage, in milliseconds, for people and for scripts (`stage: N ms`).
fn run_check(args: CheckArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        base_url: args.base_url,
        drafts: args.drafts,
        strict: true,
        in_memory: true,
        external_links: args.external,
        ..BuildOptions::default()
    };
    let (diagnostics, pages) = match build::build(&options) {
        Ok(report) => (report.diagnostics, report.pages),
        Err(failure) => (failure.diagnostics, 0),
    };
    let format = match args.format {
        CheckFormat::Human => Format::Human,
        CheckFormat::Json => Format::Json,
        CheckFormat::Github => Format::Github,
    };
    let problems = diagnostics.len();
    if format == Format::Human {
        print_diagnostics(&diagnostics);
        if problems == 0 {
            println!(
                "Checked {pages} {}: no problems.",
                plural(pages, "page", "pages")
            );
        } else {
            eprintln!(
                "Check failed: {problems} {}.",
                plural(problems, "problem", "problems")
            );
        }
    } else {
        print!("{}", diagnostics.render(format));
    }
    if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_timings(timings: &build::Timings) {
    for (stage, elapsed) in &timings.stages {
        println!("{stage}: {} ms", elapsed.as_millis());
        if *stage == "render" {
            println!(
                "  of which link anchors (summed over threads): {} ms",
                timings.link_anchors.as_millis()
            );
        }
    }
}

fn run_new(dir: &Path) -> ExitCode {
    match scaffold::create(dir) {
        Ok(()) => {
            println!(
                "Created a new site in {}. Build it with: folio build --root {}",
                shown_path(dir),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}

fn run_import(args: &ImportArgs) -> ExitCode {
    match crate::import::import(&args.jekyll_dir, &args.new_dir) {
        Ok(report) => {
            let source = shown_path(&args.jekyll_dir);
            let target = shown_path(&args.new_dir);
            print!("{}", report.summary(&source, &target));
            print_diagnostics(&report.warnings.into_iter().collect());
            println!(
                "Build it with: folio build --root {}",
                args.new_dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(crate::import::ImportError::Invalid(errors)) => {
            let count = errors.len();
            print_diagnostics(&errors.into_iter().collect());
            eprintln!(
                "Import failed with {count} {}; nothing was written.",
                plural(count, "error", "errors")
            );
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    if diagnostics.is_empty() {
        return;
    }
    let report = diagnostics.render_grouped();
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(report.as_bytes());
    let _ = writeln!(stderr);
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// A path relative to the current folder when it is inside it, with a trailing slash.
fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = path.strip_prefix(&cwd).unwrap_or(path);
    let shown = shown.strip_prefix(".").unwrap_or(shown);
    let mut text = crate::diagnostics::display_path(shown);
    if !text.ends_with('/') {
        text.push('/');
    }
    text
}
