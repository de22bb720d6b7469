#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang++-14 and runs each for a
# short time on a scratch copy of its committed seed corpus (fuzz/corpus/).
#   BUILD_DIR     build tree (default: build/fuzz)
#   FUZZ_SECONDS  seconds per target (default: 20)
#   JOBS          parallel compile jobs (default: nproc)
# Exits non-zero if a target fails to build or libFuzzer finds a crash; the
# crashing input is kept in $BUILD_DIR/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${BUILD_DIR:-$root/build/fuzz}
seconds=${FUZZ_SECONDS:-20}
jobs=${JOBS:-$(nproc)}
cxx=${FUZZ_CXX:-clang++-14}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
  -DPOLYBATCH_BUILD_FUZZ=ON -DPOLYBATCH_BUILD_TESTS=OFF -DPOLYBATCH_BUILD_EXAMPLES=OFF -DPOLYBATCH_BUILD_CLI=OFF \
  -DPOLYBATCH_INSTALL=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz_expression fuzz_npy fuzz_csv

rm -rf "$build/artifacts"
mkdir -p "$build/artifacts"
for target in expression npy csv; do
  scratch="$build/corpus-$target"
  rm -rf "$scratch"
  mkdir -p "$scratch"
  echo "== fuzz_$target for ${seconds}s"
  ASAN_OPTIONS=detect_leaks=1 "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=4096 \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    "$scratch" "$root/fuzz/corpus/$target" 2>&1 | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|==|SUMMARY|INFO: Running)' || true
  # crash-, leak-, timeout- and oom- inputs fail the run; slow-unit- ones are only reported.
  # (ls exits non-zero when any one of the patterns matches nothing, so the
  # listing itself is tested.)
  failing=$(ls "$build/artifacts/$target-"{crash,leak,timeout,oom}-* 2>/dev/null || true)
  if [ -n "$failing" ]; then
    echo "fuzz_$target found a failing input: $failing"
    exit 1
  fi
  ls "$build/artifacts/$target-slow-unit-"* >/dev/null 2>&1 && echo "note: slow inputs kept in $build/artifacts/"
done
echo "fuzz smoke run passed"
