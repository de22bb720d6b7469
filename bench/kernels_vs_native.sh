#!/usr/bin/env bash
# Quick-start shape (plain x86-64 + polybatch::kernels, dispatched at run time)
# against header-only -march=native, on the same computations, run alternately
# N times; prints the median of the per-run medians and the ratio.
# Usage: bench/kernels_vs_native.sh BUILD_DIR_WITH_KERNELS [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:?build dir}/src/kernels/libpolybatch_kernels.a
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(-std=c++20 -O3 -DNDEBUG -I"$root/include" -I"$root/src")
g++ "${flags[@]}" -march=native "$root/bench/kernels_vs_native.cpp" -o "$work/native" -lpthread
g++ "${flags[@]}" -DPOLYBATCH_COMPILED_KERNELS=1 "$root/bench/kernels_vs_native.cpp" "$lib" -o "$work/quick" -lpthread
for ((i = 0; i < runs; i++)); do
  "$work/quick" >"$work/quick.$i"
  "$work/native" >"$work/native.$i"
done
echo "kernels: $(POLYBATCH_ARCH= "$work/quick" >/dev/null; echo dispatched), native: -march=native header-only; $(nproc) threads, median of $runs runs"
echo "| case | quick-start ms | native ms | ratio |"
echo "|---|---:|---:|---:|"
while IFS= read -r line; do
  name=${line% *}
  q=$(cat "$work"/quick.* | grep -F "$name " | awk '{print $NF}' | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
  n=$(cat "$work"/native.* | grep -F "$name " | awk '{print $NF}' | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
  printf '| %s | %.2f | %.2f | %.2f |\n' "$name" "$q" "$n" "$(awk -v a="$q" -v b="$n" 'BEGIN { print a / b }')"
done <"$work/quick.0"
