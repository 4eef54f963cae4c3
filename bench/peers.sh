#!/usr/bin/env bash
# Side-by-side build times of folio and other generators on the same corpus, using the
# corpus generator and timing script of the shared benchmark kit (not part of this repository).
#
#   bench/peers.sh [PAGES] [TOOLS...]      e.g. bench/peers.sh 10000 hugo
#
# Environment: BENCH_KIT (default ../shared/bench), CORPUS_DIR (default target/peer-corpus),
# RUNS (default 3). Hugo comes from Debian: apt-get install -y hugo.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-10000}
shift || true
tools=${*:-hugo}
kit=${BENCH_KIT:-../shared/bench}
corpus=${CORPUS_DIR:-target/peer-corpus}/$pages
if [ ! -x "$kit/run_peers.sh" ]; then
  echo "no benchmark kit at $kit (set BENCH_KIT)" >&2
  exit 2
fi
cargo build --release --quiet
if [ ! -d "$corpus/native" ]; then
  python3 "$kit/gencorpus.py" "$pages" --format all --out "$corpus"
fi
NATIVE_CMD="$PWD/target/release/folio build --quiet --no-cache --root {src}/native --output {out}" \
  RUNS=${RUNS:-3} "$kit/run_peers.sh" "$corpus" native $tools
