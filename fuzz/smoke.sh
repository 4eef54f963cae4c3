#!/usr/bin/env bash
# CI's fuzz smoke run, in two steps:
#
# 1. replay: every seed and every kept crash through every target's checks, without AFL
#    (`cargo test` here, in the root's target folder, so that it reuses what the root's
#    `cargo test` compiled: seconds after it);
# 2. fuzz: builds the targets with cargo-afl (AFL++ on the stable toolchain) and fuzzes
#    each for FUZZ_SECONDS (20 by default). Inputs that crash or hang are copied to
#    fuzz/crashes/TARGET/ and the script fails.
#
#   bash fuzz/smoke.sh               # replay, then 20 s of AFL++ per target
#   FUZZ_SECONDS=60 bash fuzz/smoke.sh
#   bash fuzz/smoke.sh --replay      # step 1 only
#
# Step 2 installs what it needs: cargo-afl from crates.io, which builds AFL++ for the
# toolchain. Its first run compiles cargo-afl, AFL++ and an instrumented folio.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
seconds="${FUZZ_SECONDS:-20}"
targets=(front_matter site_config kramdown markdown links permalink liquid)

echo "== fuzz replay: seeds and kept crashes through the targets' checks"
# Not --locked: a dependency folio adds changes folio's entry in this lock, and the replay
# should not fail for that (the AFL build below stays --locked).
CARGO_TARGET_DIR="$here/../target" cargo test --quiet
if [[ "${1:-}" == "--replay" ]]; then
    exit 0
fi

echo "== fuzz: ${seconds}s of AFL++ per target"
if ! cargo afl --version >/dev/null 2>&1; then
    cargo install --locked cargo-afl --version 0.18.2
fi
# Builds AFL++'s runtime for this toolchain unless it is there ("already built" otherwise).
cargo afl config --build >/dev/null 2>&1 || true
# The smoke profile compiles faster than release; the runs are short.
cargo afl build --profile smoke --features afl --locked

failed=0
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for target in "${targets[@]}"; do
    if ! FUZZ_PROFILE=smoke "$here/fuzz.sh" "$target" "$seconds" "$out" >"$out/$target.log" 2>&1; then
        echo "FAIL: afl-fuzz on $target did not run:"
        tail -20 "$out/$target.log"
        failed=1
        continue
    fi
    stats="$out/$target/default/fuzzer_stats"
    execs=$(awk -F': *' '$1 ~ /^execs_done/ {print $2}' "$stats")
    found=0
    for kind in crashes hangs; do
        for input in "$out/$target/default/$kind"/id:*; do
            [[ -f "$input" ]] || continue
            found=$((found + 1))
            mkdir -p "$here/crashes/$target"
            cp "$input" "$here/crashes/$target/smoke-$kind-$(sha1sum "$input" | cut -c1-12)"
        done
    done
    echo "$target: ${seconds}s, $execs executions, $found crashes or hangs"
    if [[ $found -gt 0 ]]; then
        echo "FAIL: $target; the inputs are copied to fuzz/crashes/$target/ (see fuzz/README.md)"
        failed=1
    fi
done
exit $failed
