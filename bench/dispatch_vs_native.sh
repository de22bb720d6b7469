#!/usr/bin/env bash
# The quick-start build (no -march flags; compiled kernels picked at run time)
# against a header-only -DPOLYBATCH_NATIVE=ON build of the same commit, side
# by side: `polybatch demo` and `polybatch bench`, run alternately N times,
# median compute times and their ratio (quick-start / native).
# Usage: bench/dispatch_vs_native.sh QUICKSTART_BUILD NATIVE_BUILD [N]
#   cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release                  # what quickstart.sh builds
#   cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release -DPOLYBATCH_NATIVE=ON -DPOLYBATCH_BUILD_KERNELS=OFF \
#         -DPOLYBATCH_BUILD_TESTS=OFF -DPOLYBATCH_BUILD_EXAMPLES=OFF -DPOLYBATCH_BUILD_PYTHON=OFF
#   cmake --build build/native --target polybatch_cli
set -euo pipefail
quick=$1/src/polybatch
native=$2/src/polybatch
runs=${3:-3}
rows=${ROWS:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "quick-start: $("$quick" --version)"
echo "native:      $("$native" --version)"
for ((i = 0; i < runs; i++)); do
  for which in quick native; do
    bin=${!which}
    "$bin" demo --rows "$rows" --exact-rows 100 >"$work/demo_$which.$i"
    "$bin" bench --rows "$rows" >"$work/bench_$which.$i" || true
  done
done

# Pull one figure (ms) out of every run of a kind; print the median.
median_of() { # kind, grep pattern, awk field
  local kind=$1 pattern=$2 field=$3
  cat "$work"/$kind.* | grep -F -- "$pattern" | awk -v f="$field" '{print $f}' | sort -g |
    awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
row() { # label, file kind, pattern, field
  local q n
  q=$(median_of "${2}_quick" "$3" "$4")
  n=$(median_of "${2}_native" "$3" "$4")
  printf '| %-36s | %9.2f | %9.2f | %5.2f |\n' "$1" "$q" "$n" "$(awk -v a="$q" -v b="$n" 'BEGIN { print a / b }')"
}
echo
echo "median of $runs runs, $rows rows, $(nproc) cores"
echo
echo "| computation (ms) | quick-start | native | ratio |"
echo "|---|---:|---:|---:|"
row "demo: r = a * b" demo "r = a * b              (polybatch)" 7
row "demo: eval 'a*b' (parsed)" demo "eval 'a*b'             (parsed)" 4
row "demo: r = (a * b) * c (fused)" demo "r = (a * b) * c        (fused)" 9
row "bench: eval 'a*b' compute (parsed)" bench "eval 'a*b' compute (parsed)" 5
row "bench: r = a * b (library call)" bench "r = a * b  (library call)" 8
