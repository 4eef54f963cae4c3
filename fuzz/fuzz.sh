#!/usr/bin/env bash
# Fuzzes one target with AFL++ (through cargo-afl) for a while, on one core, niced.
#
#   fuzz/fuzz.sh TARGET SECONDS [OUT]
#
# Starts from seeds/TARGET (or resumes OUT/TARGET when it has a queue), with the target's
# dictionary. Findings land in OUT/TARGET/default/{crashes,hangs}; OUT is out/ by default.
# Expects the targets built: cargo afl build --release --features afl (or with
# --profile NAME and FUZZ_PROFILE=NAME, as smoke.sh does).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"
seconds="$2"
out="${3:-$here/out}"

case "$target" in
    front_matter) dict=yaml ;;
    site_config) dict=toml ;;
    kramdown | markdown) dict=markdown ;;
    links | permalink) dict=url ;;
    liquid) dict=liquid ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac

input="$here/seeds/$target"
if [[ -d "$out/$target/default/queue" ]]; then
    input=-  # resume where the last run stopped
fi
mkdir -p "$out"

# No UI (a log instead), no CPU binding (the machine's cores are shared), no core dumps
# needed; -t: a page that takes more than 2 s is a hang worth keeping.
export AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 \
    AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SUPPRESS_NO_AFFINITY_WARN=1
exec nice -n 19 cargo afl fuzz -i "$input" -o "$out/$target" -x "$here/dict/$dict.dict" \
    -t 2000 -m none -V "$seconds" -- "$here/target/${FUZZ_PROFILE:-release}/$target"
