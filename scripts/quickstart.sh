#!/usr/bin/env bash
# The two quick-start commands of the README, on a fresh Debian 12 machine as root:
#   bash scripts/quickstart.sh demo   install what is missing, build, run the main job
#   bash scripts/quickstart.sh test   install what is missing, build, run every test
# .ci/run calls the second. Build trees go under build/ (override with BUILD_ROOT).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
build_root=${BUILD_ROOT:-$root/build}
jobs=${JOBS:-$(nproc)}

# Debian 12 packages the build, the CLI and the Python module need, and what
# the tests add: numpy/torch/pytest for the Python tests, numba/scipy/dask
# peers and fixtures, Open MPI for the MPI example, and FLINT and Arb for the
# independent check of the exact real roots, gcd and resultant.
packages=(g++ cmake make clang-14 libclang-rt-14-dev binutils
  xtensor-dev xtl-dev libxsimd-dev libboost-dev catch2 libcli11-dev libfmt-dev libgmp-dev libmpfr-dev
  pybind11-dev python3-dev python3-numpy)
test_packages=(python3-pytest python3-torch python3-scipy python3-mpmath python3-sympy python3-dask
  python3-distributed libopenmpi-dev openmpi-bin libflint-dev libflint-arb-dev)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

configure_build() { # dir, extra cmake args...
  local dir=$1
  shift
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

run_demo() {
  configure_build "$build_root/release" -DPOLYBATCH_BUILD_TESTS=OFF
  if [ -x "$build_root/release/src/polybatch" ]; then
    "$build_root/release/src/polybatch" demo
  else
    "$build_root/release/examples/seed_problem"
  fi
  if [ -d "$build_root/release/python/polybatch" ]; then
    echo
    echo "== the same problem from Python (PYTHONPATH=$build_root/release/python)"
    PYTHONPATH="$build_root/release/python" /usr/bin/python3 "$root/examples/seed_problem.py"
  fi
}

run_tests() {
  local started=$SECONDS phase=$SECONDS
  lap() { echo "== ($1: $((SECONDS - phase)) s)"; phase=$SECONDS; }
  # Each phase builds only what the others do not already cover: the
  # compile-must-fail tests run in the clang phase, the header kernels
  # compiled for the widest instruction set and the Python module in this
  # one, the examples against the installed package (with clang++).
  echo "== g++ 12, -Werror: build and run every test"
  # Test programs, engine, CLI and Python module at -Og: their tests check
  # behaviour, and most of their compile time is code generation (-Og: 758 s
  # of build against -O1's 949 s on 2 cores, the tests 49 s against 44 s);
  # the compiled kernels stay -O3.
  configure_build "$build_root/gcc" -DPOLYBATCH_WERROR=ON -DCMAKE_CXX_COMPILER=g++ -DPOLYBATCH_TEST_OPTIMIZATION=-Og \
    -DPOLYBATCH_FRONTEND_OPTIMIZATION=-Og -DPOLYBATCH_COMPILE_FAIL_TESTS=OFF
  (cd "$build_root/gcc" && ctest --output-on-failure -j "$jobs")
  lap "g++ build and tests"

  # -O0 keeps the second full build cheap on 2 cores (about a third of -O1's
  # compile time; the tests run in about two minutes); clang's warnings come
  # from its front end, so the optimisation level does not hide any, and the
  # optimised code paths are what the g++ Release build above tests.
  # cli_verify_types is left to the g++ phase: its hundred command-line runs
  # of exact checks take 46 s at -O0 and test the same engine code.
  echo "== clang++ 14, -Werror: build and run every test (but cli_verify_types)"
  # The Python module is built and tested by the g++ phase only (its nine
  # translation units would double this phase's compile time).
  configure_build "$build_root/clang" -DPOLYBATCH_WERROR=ON -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS=-O0 -DPOLYBATCH_BUILD_PYTHON=OFF -DPOLYBATCH_BUILD_EXAMPLES=OFF \
    -DPOLYBATCH_WIDE_KERNEL_TESTS=OFF
  (cd "$build_root/clang" && ctest --output-on-failure -j "$jobs" -E '^cli_verify_types$')
  lap "clang build and tests"

  echo "== AddressSanitizer + UndefinedBehaviorSanitizer: the sanitizer subset"
  # -O0: instrumenting template-heavy tests at -O1 cost 40% more build time
  # than the tests' run time saved.
  # Header-only: the tests instantiate (and instrument) the kernels
  # themselves, as users' code does; an instrumented AVX-512 kernel object
  # alone takes minutes at -O0, and the compiled kernels are tested by the
  # two builds above. clang++: it builds this subset in about a third of
  # g++'s time, and its UBSan also checks pointer arithmetic for overflow.
  configure_build "$build_root/asan" -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS=-O0 -DPOLYBATCH_SANITIZE=ON \
    -DPOLYBATCH_WERROR=ON \
    -DPOLYBATCH_BUILD_EXAMPLES=OFF -DPOLYBATCH_BUILD_CLI=OFF -DPOLYBATCH_BUILD_PYTHON=OFF \
    -DPOLYBATCH_BUILD_KERNELS=OFF -DCMAKE_CXX_COMPILER=clang++-14
  (cd "$build_root/asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j "$jobs")
  lap "sanitizer build and tests"

  echo "== install, then build and run the examples against the installed package"
  rm -rf "$build_root/prefix" "$build_root/installed-examples"
  cmake --install "$build_root/gcc" --prefix "$build_root/prefix" >/dev/null
  # -O0: this phase checks that the installed package is found and usable;
  # the examples' optimised builds already ran in the g++ phase. clang++, so
  # that the examples are built warning-free by both compilers.
  cmake -S "$root/examples" -B "$build_root/installed-examples" -DCMAKE_PREFIX_PATH="$build_root/prefix" \
    -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O0 -Werror" >/dev/null
  cmake --build "$build_root/installed-examples" -j "$jobs"
  (cd "$build_root/installed-examples" && ctest --output-on-failure -j "$jobs")
  lap "installed examples"

  echo "== planted bugs: today's rotating one from scripts/mutants.txt (all of them: scripts/mutants.sh --all)"
  # No unmutated baseline run: the g++ phase above has just passed the same tests.
  # One a day (MUTANTS_COUNT=1): a mutant that rebuilds the CLI costs about
  # two minutes, and the suite must stay under half an hour on 2 cores.
  MUTANTS_DIR="$build_root/mutants" MUTANTS_BASELINE=0 MUTANTS_JOBS="$jobs" MUTANTS_COUNT="${MUTANTS_COUNT:-1}" \
    bash "$root/scripts/mutants.sh"
  lap "planted bugs"

  if [ -x "$root/scripts/fuzz-smoke.sh" ]; then
    echo "== fuzz smoke run"
    # 5 s per reader in CI (a smoke run: the committed corpus plus some
    # mutations); longer runs by hand with FUZZ_SECONDS.
    BUILD_DIR="$build_root/fuzz" FUZZ_SECONDS="${FUZZ_SECONDS:-5}" "$root/scripts/fuzz-smoke.sh"
  fi
  lap "fuzz smoke run"
  echo "== all tests passed in $((SECONDS - started)) s"
}

case "${1:-}" in
demo) install_missing && run_demo ;;
test)
  packages+=("${test_packages[@]}")
  install_missing && run_tests
  ;;
*)
  echo "usage: $0 demo|test" >&2
  exit 2
  ;;
esac
