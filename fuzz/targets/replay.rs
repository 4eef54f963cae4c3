//! Runs inputs through a target's checks without AFL, to see why one fails:
//!
//!     cargo run --bin replay -- TARGET FILE...
//!
//! Prints each file that fails with its panic message; exits 1 if any did.

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().expect("usage: replay TARGET FILE...");
    assert!(
        folio_fuzz::TARGETS.contains(&target.as_str()),
        "unknown target {target}"
    );
    let mut failed = 0;
    for file in args {
        let data = std::fs::read(&file).unwrap_or_else(|err| panic!("{file}: {err}"));
        if std::panic::catch_unwind(|| folio_fuzz::run(&target, &data)).is_err() {
            eprintln!("^ {file}");
            failed += 1;
        }
    }
    if failed > 0 {
        eprintln!("{failed} input(s) failed");
        std::process::exit(1);
    }
}
