//! The command line as Hugo, Zola and mdBook users expect it, and its rough edges: short flags
//! and a positional site folder, `--root` before the command, host names for `--bind`, ports,
//! completions, help for every option, `folio new` in an existing folder, closed pipes,
//! Ctrl-C during a build, colours, and what `folio serve` prints.

mod common;
#[path = "common/http.rs"]
mod http;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, folio, md};
use http::Server;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn small_site() -> Site {
    Site::new(&[
        ("content/index.md", &md("title: Home", "# Home\n")),
        (
            "content/a.md",
            &md("title: A", "[missing](nope.md)\n\n```klingon\nx\n```\n"),
        ),
    ])
}

#[test]
fn the_site_folder_can_be_given_every_usual_way() {
    let site = small_site();
    let parent = site.root().parent().unwrap();
    let name = site.root().file_name().unwrap().to_str().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().to_str().unwrap();
    for args in [
        vec!["build", name, "-o", out],
        vec!["-r", name, "build", "-o", out],
        vec!["--root", name, "build", "--output", out],
        vec!["build", "-r", name, "-o", out],
    ] {
        let output = folio(&args, parent);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(out_dir.path().join("a/index.html").is_file(), "{args:?}");
        std::fs::remove_dir_all(out_dir.path().join("a")).unwrap();
    }
    let twice = folio(&["build", name, "--root", "elsewhere"], parent);
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        text(&twice.stderr).contains("given twice"),
        "{}",
        text(&twice.stderr)
    );
}

#[test]
fn every_option_has_a_description_and_completions_are_printed() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["build", "serve", "check", "new", "completions"] {
        let output = folio(&[command, "--help"], dir.path());
        let help = text(&output.stdout);
        for line in help.lines().filter(|l| l.trim_start().starts_with('-')) {
            let trimmed = line.trim();
            // `-x, --long <VALUE>  Description`: the description follows two spaces.
            assert!(
                trimmed.contains("  "),
                "`folio {command} --help` has an option without a description: {line}"
            );
        }
    }
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = folio(&["completions", shell], dir.path());
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = text(&output.stdout);
        assert!(script.contains("folio"), "{shell}");
        assert!(
            script.contains("base-url"),
            "{shell}: options are completed"
        );
    }
}

#[test]
fn serve_outside_a_site_fails_like_build() {
    let dir = tempfile::tempdir().unwrap();
    let build = folio(&["build"], dir.path());
    let serve = folio(&["serve", "--port", "0"], dir.path());
    assert_eq!(build.status.code(), Some(1));
    assert_eq!(serve.status.code(), Some(1), "serve does not start");
    assert!(text(&build.stderr).contains("is not a site: it has no content folder"));
    assert_eq!(
        text(&serve.stderr).lines().next(),
        text(&build.stderr).lines().next(),
        "the same error"
    );
}

#[test]
fn an_explicit_port_that_is_taken_is_an_error_and_localhost_is_a_host() {
    let site = small_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = folio(&["serve", "--bind", "localhost", "-p", &port], site.root());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains(&format!("port {port} of 127.0.0.1 is taken")),
        "{}",
        text(&output.stderr)
    );
    // A host name that resolves works.
    let mut server = Server::start(site.root(), &["--bind", "localhost"]);
    assert!(
        server.address.starts_with("127.0.0.1:"),
        "{}",
        server.address
    );
    assert_eq!(server.get("/a/").status, 200);
    let _ = server.output();
    let unknown = folio(&["serve", "--bind", "no-such-host.invalid"], site.root());
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn serve_names_what_it_serves_and_ignores_temporary_files() {
    let site = small_site();
    let mut server = Server::start(site.root(), &[]);
    server.wait_for_line("Built 2 pages in memory", Duration::from_secs(20));
    let output = server.output();
    let root = site.root().canonicalize().unwrap();
    assert!(
        output.contains(&format!(
            "Serving the site in {} at http://",
            root.display()
        )),
        "{output}"
    );

    // sed -i writes a temporary file next to the page and renames it over the page.
    let epoch = server.epoch();
    let temporary = site.root().join("content/sedoHP0R9");
    std::fs::write(&temporary, md("title: A", "Edited.\n")).unwrap();
    std::fs::rename(&temporary, site.root().join("content/a.md")).unwrap();
    server
        .poll_rebuild(epoch, Duration::from_secs(20))
        .expect("a rebuild");
    let line = server.wait_for_line("rendered", Duration::from_secs(10));
    assert!(line.contains("content/a.md"), "{line}");
    assert!(
        !server.output().contains("sedoHP0R9"),
        "{}",
        server.output()
    );
    assert!(line.contains("rendered 1 page ("), "singular: {line}");
}

#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    // More findings than a pipe holds (64 KiB), so that writing them meets the closed pipe.
    let links: String = (0..600)
        .map(|n| format!("[x](missing-{n}.md)\n\n"))
        .collect();
    let site = Site::new(&[("content/index.md", &md("title: Home", &links))]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["check", "--format", "json"])
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, as `head -c 50` does, then close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 50];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert_ne!(output.status.code(), Some(101), "{stderr}");
}

#[test]
fn new_starts_a_site_in_an_existing_folder_and_its_advice_works() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# Our repository\n").unwrap();
    let output = folio(&["new"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("README.md")).unwrap(),
        "# Our repository\n",
        "other files are left alone"
    );
    let advice = text(&output.stdout);
    assert!(advice.contains("folio serve"), "{advice}");
    assert!(
        !advice.contains("open public/index.html"),
        "that does not work without --offline: {advice}"
    );
    // What the advice and the starter pages say is true: the site builds, strictly, and
    // `--offline` makes pages that link to index.html files.
    let built = folio(&["build", "--strict", "--offline"], dir.path());
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let home = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    assert!(home.contains("getting-started/index.html"), "offline links");
    let page =
        std::fs::read_to_string(dir.path().join("content/getting-started/first-page.md")).unwrap();
    assert!(!page.contains("open `public/index.html`"), "{page}");
    // A folder with a site is left alone.
    let again = folio(&["new"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already has a site"));
}

#[test]
fn colours_only_when_asked_or_on_a_terminal_without_no_color() {
    let site = small_site();
    let plain = folio(&["check"], site.root());
    assert!(
        !text(&plain.stderr).contains('\u{1b}'),
        "a pipe gets no colours"
    );
    let always = folio(&["check", "--color", "always"], site.root());
    assert!(
        text(&always.stderr).contains("\u{1b}["),
        "{}",
        text(&always.stderr)
    );
    let on_terminal = |no_color: bool| -> String {
        let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
        command.args(["check"]).current_dir(site.root());
        command.env_remove("NO_COLOR").env("TERM", "xterm");
        if no_color {
            command.env("NO_COLOR", "1");
        }
        pty::stderr_of(command)
    };
    let colored = on_terminal(false);
    assert!(
        colored.contains("\u{1b}["),
        "a terminal gets colours: {colored:?}"
    );
    assert!(colored.contains("leads nowhere"), "{colored:?}");
    let no_color = on_terminal(true);
    assert!(no_color.contains("leads nowhere"), "{no_color:?}");
    assert!(!no_color.contains('\u{1b}'), "NO_COLOR: {no_color:?}");
}

#[test]
fn ctrl_c_during_a_build_removes_the_staging_folder() {
    // A site large enough that the build is still running when it is interrupted.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    let code = "```rust\nfn main() { println!(\"hello\"); }\n```\n\n".repeat(20);
    for n in 0..3000 {
        std::fs::write(
            site.join(format!("content/page-{n}.md")),
            md(
                &format!("title: Page {n}"),
                &format!("# Page {n}\n\n{code}"),
            ),
        )
        .unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--root", site.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The staging folder is made next to the output folder, public/.
    let staging = || {
        std::fs::read_dir(&site)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().contains("folio-staging"))
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !staging() {
        assert!(Instant::now() < deadline, "the build never started writing");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended too soon"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: sending a signal to a child process we own.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "interrupted, not finished");
    assert!(!staging(), "the staging folder is removed");
    assert!(!site.join("public").exists(), "no output was made");
}

/// Running a command with stderr on a pseudo-terminal, as in a person's shell.
mod pty {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::process::{Command, Stdio};

    pub fn stderr_of(mut command: Command) -> String {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty writes two descriptors into the given integers.
        let opened = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(opened, 0, "openpty");
        // SAFETY: both descriptors were just opened and are owned here.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::from(slave))
            .spawn()
            .unwrap();
        child.wait().unwrap();
        drop(command);
        let mut text = Vec::new();
        let mut master = std::fs::File::from(master);
        // Reading the master ends with EIO once the child's side is closed.
        let mut buffer = [0u8; 4096];
        while let Ok(n) = master.read(&mut buffer) {
            if n == 0 {
                break;
            }
            text.extend_from_slice(&buffer[..n]);
        }
        String::from_utf8_lossy(&text).into_owned()
    }
}
