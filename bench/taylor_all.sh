#!/usr/bin/env bash
# The ensemble Taylor benchmark in one command: polybatch against Boost.Odeint
# (bench_taylor), then scipy's DOP853 on the stacked state (taylor_peers.py)
# against polybatch's runs, at equal accuracy, straight after on the same
# machine. Builds bench_taylor (header-only, -march=native) if BUILD_DIR lacks it.
# Usage: bash bench/taylor_all.sh [BUILD_DIR] [ROWS] [REPEATS]
#   (defaults: build-bench, 10000, 5)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
rows=${2:-10000}
repeats=${3:-5}
case $rows$repeats in
  *[!0-9]* | '') echo "$0: ROWS and REPEATS must be positive integers, not '$rows' and '$repeats'" >&2; exit 2 ;;
esac
if [ ! -x "$build/bench/bench_taylor" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPOLYBATCH_BUILD_BENCH=ON -DPOLYBATCH_NATIVE=ON \
    -DPOLYBATCH_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" --target bench_taylor -j "$(nproc)"
fi
ref=$(mktemp -d)
trap 'rm -rf "$ref"' EXIT
echo "== $(date -u +%FT%TZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
"$build/bench/bench_taylor" --rows "$rows" --repeats "$repeats" --ref "$ref"
echo
# One BLAS thread: the comparison is at one thread on both sides.
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 "$root/bench/taylor_peers.py" --ref "$ref" --rows "$rows" \
  --repeats "$repeats"
