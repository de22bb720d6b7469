#!/usr/bin/env bash
# Compile time of a user's hello world, side by side with xtensor's, at -O2
# (median of N runs each, taken alternately so machine load hits all alike):
#   xtensor      xtensor.hpp + xio.hpp, a * a + a, printed
#   polybatch    polybatch.hpp, header-only with -I alone: r = a * b on two
#                PolyBatch<double>, one coefficient printed
#   machine+lib  polybatch/machine.hpp (the light header) with the compiled
#                kernels linked (polybatch::kernels)
# Usage: bench/compile_time.sh [BUILD_DIR_WITH_KERNELS] [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
runs=${2:-3}
cxx=${CXX:-g++}
lib=$build/src/kernels/libpolybatch_kernels.a
[ -f "$lib" ] || { echo "no $lib: build target polybatch_kernels first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/xtensor.cpp" <<'CPP'
#include <iostream>
#include <xtensor/xio.hpp>
#include <xtensor/xtensor.hpp>
int main() {
  xt::xtensor<double, 2> a = {{1., 2.}, {3., 4.}};
  xt::xtensor<double, 2> r = a * a + a;
  std::cout << r << "\n";
}
CPP
cat >"$work/polybatch.cpp" <<'CPP'
#include <iostream>
#include <polybatch/polybatch.hpp>
int main() {
  polybatch::PolyBatch<double> a{{1, 2, 3}, {4, 5, 6}}, b{{1, -1}, {2, 0.5}};
  polybatch::PolyBatch<double> r = a * b;
  std::cout << r(1, 2) << "\n";
}
CPP
sed 's|polybatch/polybatch.hpp|polybatch/machine.hpp|' "$work/polybatch.cpp" >"$work/machine.cpp"

compile() { # name, extra args...
  local name=$1
  shift
  local t0 t1
  t0=$(date +%s.%N)
  $cxx -std=c++20 -O2 -I"$root/include" "$work/$name.cpp" -o "$work/$name" "$@" -lpthread
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

xs=() ps=() ms=()
for ((i = 0; i < runs; i++)); do
  xs+=("$(compile xtensor)")
  ps+=("$(compile polybatch)")
  ms+=("$(compile machine -DPOLYBATCH_COMPILED_KERNELS=1 "$lib")")
done
"$work/polybatch" >/dev/null && "$work/machine" >/dev/null
x=$(median "${xs[@]}") p=$(median "${ps[@]}") m=$(median "${ms[@]}")
echo "compile time at -O2 with $($cxx --version | head -1), median of $runs:"
printf '  %-34s %6.2f s\n' "xtensor hello world" "$x"
printf '  %-34s %6.2f s  (%.2fx xtensor)\n' "polybatch.hpp, header-only" "$p" "$(awk -v a="$p" -v b="$x" 'BEGIN { print a / b }')"
printf '  %-34s %6.2f s  (%.2fx xtensor)\n' "machine.hpp + polybatch::kernels" "$m" "$(awk -v a="$m" -v b="$x" 'BEGIN { print a / b }')"
