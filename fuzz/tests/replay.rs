//! Every seed and every kept crash, through its target's checks, without AFL: the crashes
//! found are fixed in folio (each with a unit test next to the code), and this keeps them so.
//! Run with `cargo test` in `fuzz/`; `smoke.sh` runs it too.

use std::path::Path;

fn inputs(folder: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

#[test]
fn seeds_and_crashes_pass_every_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for target in folio_fuzz::TARGETS {
        let seeds = inputs(&root.join("seeds").join(target));
        assert!(!seeds.is_empty(), "no seeds for {target}");
        for input in seeds
            .iter()
            .chain(&inputs(&root.join("crashes").join(target)))
        {
            let data = std::fs::read(input).unwrap();
            let outcome = std::panic::catch_unwind(|| folio_fuzz::run(target, &data));
            assert!(outcome.is_ok(), "{target} fails on {}", input.display());
            ran += 1;
        }
    }
    println!("{ran} inputs replayed");
}
