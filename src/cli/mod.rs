//! The command line: parses arguments into options for a library entry point, runs it, and
//! says how it ended. Everything printed goes through `print.rs`, and [`Outcome`] is the one
//! place that turns an ending into an exit status.

mod print;

use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, Mode};
use crate::diagnostics::{Colors, Diagnostic, Format};
use crate::scaffold;
use crate::serve::{self, ServeOptions};
use print::{Printer, plural};

#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about = "Builds documentation sites from Markdown handbooks written for just-the-docs",
    propagate_version = true
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes, before or after its name.
#[derive(Debug, Args)]
struct GlobalArgs {
    /// The site folder, with site.toml and content/ (default: the current folder).
    #[arg(short = 'r', long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// When to colour messages: on a terminal (auto, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    color: ColorArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into its output folder.
    Build(BuildArgs),
    /// Preview the site: serve it locally and rebuild it as files change.
    Serve(ServeArgs),
    /// Check every link, anchor, file and nav entry without writing anything.
    Check(CheckArgs),
    /// Start a new site, in a new folder or in one that has no site yet.
    New(NewArgs),
    /// Write a new folio site from a just-the-docs Jekyll site (which is left unchanged).
    Import(ImportArgs),
    /// Print a completion script for a shell (e.g. `folio completions bash > ~/.local/share/bash-completion/completions/folio`).
    Completions(CompletionsArgs),
}

/// The site folder as a positional argument, as mdBook takes it (`folio build mysite`).
#[derive(Debug, Args)]
struct SiteArg {
    /// The site folder (the same as --root).
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArg,
    /// Where to write the site (default: `output` of site.toml, or public/).
    #[arg(short, long, value_name = "DIR")]
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
    #[arg(short, long)]
    quiet: bool,
    /// Print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
    /// Render every page, ignoring the build cache in .folio-cache/build/ (which is then
    /// written afresh).
    #[arg(long)]
    no_cache: bool,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArg,
    /// The address or host name to listen on; anything but loopback makes the site readable by
    /// others.
    #[arg(long, value_name = "HOST", default_value = "127.0.0.1")]
    bind: String,
    /// The port to listen on (default 4000, or the next free one; a port given here must be
    /// free; 0 for any).
    #[arg(short, long, value_name = "N")]
    port: Option<u16>,
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

/// Builds the site in memory, checks every link, anchor, file and nav entry, and writes
/// nothing; exits with 1 when anything is wrong.
#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArg,
    /// Also check web addresses over HTTP(S) (results cached per [check] in site.toml).
    #[arg(long)]
    external: bool,
    /// How findings are printed: `human` (stderr), `json` or `github` (workflow commands),
    /// both on stdout.
    #[arg(long, value_enum, default_value = "human")]
    format: CheckFormat,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// The absolute URL the site is published at (overrides site.toml).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Github,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// The folder to start the site in: a new one, or one without a site (default: the
    /// current folder).
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The Jekyll site's folder (the one with _config.yml).
    jekyll_dir: PathBuf,
    /// The folder to create for the folio site; it must not exist or be empty.
    new_dir: PathBuf,
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Done,
    /// The site has problems, or the command could not do its work.
    Failed,
    /// The command line itself is wrong.
    Usage,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        match outcome {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::Failed => ExitCode::from(1),
            Outcome::Usage => ExitCode::from(2),
        }
    }
}

/// Runs the command line and returns the exit status.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                Outcome::Usage
            } else {
                Outcome::Done
            }
            .into();
        }
    };
    let colors = match cli.global.color {
        ColorArg::Auto => Colors::Auto,
        ColorArg::Always => Colors::Always,
        ColorArg::Never => Colors::Never,
    };
    let global = cli.global;
    let outcome = match cli.command {
        Command::Build(args) => site_root(&global, &args.site)
            .and_then(|root| run_build(root, args, Printer::new(colors))),
        Command::Serve(args) => site_root(&global, &args.site)
            .and_then(|root| run_serve(root, args, Printer::new(colors))),
        Command::Check(args) => site_root(&global, &args.site)
            .and_then(|root| run_check(root, args, Printer::new(colors))),
        Command::New(args) => run_new(&global, args, &Printer::new(colors)),
        Command::Import(args) => run_import(&args, &Printer::new(colors)),
        Command::Completions(args) => {
            let mut command = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut command, "folio", &mut script);
            Printer::new(colors).out(&String::from_utf8_lossy(&script));
            Ok(Outcome::Done)
        }
    };
    outcome.unwrap_or(Outcome::Usage).into()
}

/// The site folder from `--root` or the positional folder (not both, unless they agree).
fn site_root(global: &GlobalArgs, site: &SiteArg) -> Result<PathBuf, Outcome> {
    match (&global.root, &site.dir) {
        (Some(a), Some(b)) if a != b => {
            let printer = Printer::new(Colors::Auto);
            printer.usage_error(&format!(
                "the site folder is given twice, as `{}` and `{}`; give it once",
                a.display(),
                b.display()
            ));
            Err(Outcome::Usage)
        }
        (Some(root), _) | (None, Some(root)) => Ok(root.clone()),
        (None, None) => Ok(PathBuf::from(".")),
    }
}

fn run_build(root: PathBuf, args: BuildArgs, printer: Printer) -> Result<Outcome, Outcome> {
    let options = BuildOptions {
        root: root.clone(),
        base_url: args.base_url,
        drafts: args.drafts,
        mode: Mode::Write {
            output: args.output,
            offline: args.offline,
            strict: args.strict,
            cache: !args.no_cache,
        },
    };
    crate::output::remove_staging_on_interrupt();
    match build::build(&options) {
        Ok(report) => {
            printer.findings(&root, &report.diagnostics);
            if !args.quiet {
                let again = if report.rendered < report.pages {
                    format!(" ({} rendered again, the rest unchanged)", report.rendered)
                } else {
                    String::new()
                };
                printer.out(&format!(
                    "Built {} {}, {} {} in {} ms -> {}{again}\n",
                    report.pages,
                    plural(report.pages, "page", "pages"),
                    report.assets,
                    plural(report.assets, "asset", "assets"),
                    report.elapsed.as_millis(),
                    print::shown_path(&report.output)
                ));
            }
            if args.timings {
                printer.out(&print::timings(&report.timings));
            }
            Ok(Outcome::Done)
        }
        Err(failure) => {
            printer.findings(&root, &failure.diagnostics);
            let errors = failure.diagnostics.error_count();
            printer.err(&format!(
                "Build failed with {errors} {}; the output folder was not changed.\n",
                plural(errors, "error", "errors")
            ));
            Ok(Outcome::Failed)
        }
    }
}

fn run_check(root: PathBuf, args: CheckArgs, printer: Printer) -> Result<Outcome, Outcome> {
    let options = BuildOptions {
        root: root.clone(),
        base_url: args.base_url,
        drafts: args.drafts,
        mode: Mode::Check {
            external: args.external,
        },
    };
    let (diagnostics, pages) = match build::build(&options) {
        Ok(report) => (report.diagnostics, report.pages),
        Err(failure) => (failure.diagnostics, 0),
    };
    let problems = diagnostics.len();
    match args.format {
        CheckFormat::Human => {
            printer.findings(&root, &diagnostics);
            if problems == 0 {
                printer.out(&format!(
                    "Checked {pages} {}: no problems.\n",
                    plural(pages, "page", "pages")
                ));
            } else {
                printer.err(&format!(
                    "Check failed: {problems} {}.\n",
                    plural(problems, "problem", "problems")
                ));
            }
        }
        CheckFormat::Json => printer.out(&diagnostics.render(Format::Json)),
        CheckFormat::Github => printer.out(&diagnostics.render(Format::Github)),
    }
    Ok(if problems == 0 {
        Outcome::Done
    } else {
        Outcome::Failed
    })
}

fn run_serve(root: PathBuf, args: ServeArgs, printer: Printer) -> Result<Outcome, Outcome> {
    // A folder that is not a site gets the error `folio build` gives, not a server.
    if let Err(problems) = build::site::check_root(&root) {
        printer.findings(&root, &problems.into_iter().collect());
        return Ok(Outcome::Failed);
    }
    let Some(bind) = resolve_host(&args.bind) else {
        printer.usage_error(&format!(
            "--bind `{}` is neither an IP address nor a host name this machine can resolve",
            args.bind
        ));
        return Err(Outcome::Usage);
    };
    let options = ServeOptions {
        root,
        bind,
        port: args.port,
        drafts: args.drafts,
        open: args.open,
        poll: args.poll,
        colors: printer.colors(),
    };
    match serve::serve(&options) {
        Ok(()) => Ok(Outcome::Done),
        Err(err) => {
            printer.findings(
                &options.root,
                &std::iter::once(Diagnostic::error(err.to_string())).collect(),
            );
            Ok(Outcome::Failed)
        }
    }
}

/// An IP address, or a host name's first address (IPv4 first: `localhost` is 127.0.0.1).
fn resolve_host(host: &str) -> Option<IpAddr> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Some(ip);
    }
    let addresses: Vec<IpAddr> = (host, 0).to_socket_addrs().ok()?.map(|a| a.ip()).collect();
    addresses
        .iter()
        .find(|ip| ip.is_ipv4())
        .or(addresses.first())
        .copied()
        .or((host == "localhost").then_some(IpAddr::V4(Ipv4Addr::LOCALHOST)))
}

fn run_new(global: &GlobalArgs, args: NewArgs, printer: &Printer) -> Result<Outcome, Outcome> {
    let dir = args
        .dir
        .or_else(|| global.root.clone())
        .unwrap_or_else(|| PathBuf::from("."));
    match scaffold::create(&dir) {
        Ok(()) => {
            printer.out(&new_site_advice(&dir));
            Ok(Outcome::Done)
        }
        Err(err) => {
            printer.findings(
                &dir,
                &std::iter::once(
                    Diagnostic::error(err.to_string()).with_help(err.help().to_string()),
                )
                .collect(),
            );
            Ok(Outcome::Failed)
        }
    }
}

/// What to do after `folio new`, as commands that work from the current folder.
fn new_site_advice(dir: &Path) -> String {
    let here = dir == Path::new(".");
    let shown = print::shown_path(dir);
    let root = if here {
        String::new()
    } else {
        format!(" {}", dir.display())
    };
    format!(
        "Created a new site in {shown}.\n\
         Preview it while you write:  folio serve{root}   (then open http://127.0.0.1:4000/)\n\
         Build it for the web:        folio build{root}   (writes {shown}public/)\n\
         Build a copy to open from disk without a server: folio build{root} --offline\n"
    )
}

fn run_import(args: &ImportArgs, printer: &Printer) -> Result<Outcome, Outcome> {
    match crate::import::import(&args.jekyll_dir, &args.new_dir) {
        Ok(report) => {
            let source = print::shown_path(&args.jekyll_dir);
            let target = print::shown_path(&args.new_dir);
            printer.out(&report.summary(&source, &target));
            printer.findings(&args.jekyll_dir, &report.warnings.into_iter().collect());
            printer.out(&format!(
                "Preview it with: folio serve {}
",
                args.new_dir.display()
            ));
            Ok(Outcome::Done)
        }
        Err(crate::import::ImportError::Invalid(errors)) => {
            let count = errors.len();
            printer.findings(&args.jekyll_dir, &errors.into_iter().collect());
            printer.err(&format!(
                "Import failed with {count} {}; nothing was written.\n",
                plural(count, "error", "errors")
            ));
            Ok(Outcome::Failed)
        }
        Err(err) => {
            printer.findings(
                &args.jekyll_dir,
                &std::iter::once(Diagnostic::error(err.to_string())).collect(),
            );
            Ok(Outcome::Failed)
        }
    }
}
