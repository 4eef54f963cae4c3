#!/usr/bin/env bash
# CI's fuzz smoke run: builds the fuzz targets with cargo-afl (AFL++ on the stable toolchain),
# replays every seed and every kept crash through them, then fuzzes each target for a short
# while. Fails when any input makes a target panic (a crash) or run past its time limit.
#
#   bash fuzz/smoke.sh            # 20 s per target
#   FUZZ_SECONDS=60 bash fuzz/smoke.sh
#
# Installs what it needs (cargo-afl from crates.io, which builds AFL++ for the toolchain).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
seconds="${FUZZ_SECONDS:-20}"
targets=(front_matter site_config kramdown markdown links permalink)

if ! cargo afl --version >/dev/null 2>&1; then
    cargo install --locked cargo-afl --version 0.18.2
fi
# Builds AFL++'s runtime for this toolchain unless it is there ("already built" otherwise).
cargo afl config --build >/dev/null 2>&1 || true

cargo afl build --release --features afl --locked

failed=0
for target in "${targets[@]}"; do
    binary="$here/target/release/$target"
    for input in "$here/seeds/$target"/* "$here/crashes/$target"/*; do
        [[ -f "$input" ]] || continue
        # Outside afl-fuzz the target runs its input from stdin once.
        if ! timeout 10 "$binary" < "$input" >/dev/null 2>&1; then
            echo "FAIL: $target on $input"
            failed=1
        fi
    done
done
[[ $failed == 0 ]] && echo "replayed the seeds and kept crashes of ${#targets[@]} targets"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for target in "${targets[@]}"; do
    if ! "$here/fuzz.sh" "$target" "$seconds" "$out" >"$out/$target.log" 2>&1; then
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
