#!/usr/bin/env bash
# Do the tests bite? Plants each bug listed in scripts/mutants.txt in a scratch
# copy of the tree (never in this working tree), builds only the test programs
# that should catch it (-O0, in a persistent build directory), runs them, and
# reports CAUGHT or MISSED. Exits 1 if any mutant is missed, no longer applies
# (STALE: every listed pattern is checked, whichever are run) or does not
# compile (BROKEN); 2 if a test already fails unmutated.
#
#   bash scripts/mutants.sh              # rotating subset: 2 mutants chosen by the day of the year
#   bash scripts/mutants.sh --all        # every mutant (CPU heavy: nice -n 15 bash scripts/mutants.sh --all)
#   bash scripts/mutants.sh NAME ...     # the named mutants
#   bash scripts/mutants.sh --list       # names, files and the tests meant to catch each
#
# Environment: MUTANTS_DIR (default ${TMPDIR:-/tmp}/polybatch-mutants: scratch copy, build, logs; kept between
# runs so that only what changed is rebuilt), MUTANTS_COUNT (subset size, default 2), MUTANTS_SUBSET (subset
# index, default the day of the year), MUTANTS_JOBS (build jobs, default 2), MUTANTS_SOURCE=worktree (copy the
# working tree's tracked files instead of HEAD), MUTANTS_BASELINE=0 (skip the unmutated run).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIST=$ROOT/scripts/mutants.txt
DIR=${MUTANTS_DIR:-${TMPDIR:-/tmp}/polybatch-mutants}
SRC=$DIR/src
BUILD=$DIR/build
LOGS=$DIR/logs
JOBS=${MUTANTS_JOBS:-2}

# ---- the list ------------------------------------------------------------------
NAMES=() FILES=() EXPRS=() TESTS=()
sep=$'\x1f'
while IFS= read -r line; do
  case "$line" in '#'* | '') continue ;; esac
  IFS=$sep read -r name file expr tests <<<"${line// @@ /$sep}"
  NAMES+=("$name") FILES+=("$file") EXPRS+=("$expr") TESTS+=("$tests")
done <"$LIST"
N=${#NAMES[@]}

selected=()
case "${1:-}" in
--list)
  for ((i = 0; i < N; i++)); do printf '%-36s %-52s %s\n' "${NAMES[i]}" "${FILES[i]}" "${TESTS[i]}"; done
  exit 0
  ;;
--all) for ((i = 0; i < N; i++)); do selected+=("$i"); done ;;
-h | --help)
  sed -n '2,18p' "$0"
  exit 0
  ;;
'')
  count=${MUTANTS_COUNT:-2}
  subset=${MUTANTS_SUBSET:-$((10#$(date +%j)))}
  for ((j = 0; j < count && j < N; j++)); do selected+=("$(((subset * count + j) % N))"); done
  ;;
*)
  for want in "$@"; do
    found=
    for ((i = 0; i < N; i++)); do [ "${NAMES[i]}" = "$want" ] && found=$i; done
    [ -n "$found" ] || {
      echo "mutants: no mutant named '$want' (see --list)" >&2
      exit 2
    }
    selected+=("$found")
  done
  ;;
esac

# ---- the scratch copy: only files whose content changed get a new mtime ----------
mkdir -p "$SRC" "$BUILD" "$LOGS"
stage=$(mktemp -d "$DIR/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
if [ "${MUTANTS_SOURCE:-head}" = worktree ]; then
  (cd "$ROOT" && git ls-files -z | xargs -0 tar -c 2>/dev/null) | tar -x -C "$stage"
else
  git -C "$ROOT" archive HEAD | tar -x -C "$stage"
fi
(cd "$stage" && find . -type f | sort) >"$DIR/stage.files"
(cd "$SRC" && find . -type f | sort) >"$DIR/src.files"
comm -13 "$DIR/stage.files" "$DIR/src.files" | (cd "$SRC" && xargs -r rm -f)
while IFS= read -r f; do
  if ! cmp -s "$stage/$f" "$SRC/$f"; then
    mkdir -p "$(dirname "$SRC/$f")"
    cp "$stage/$f" "$SRC/$f"
  fi
done <"$DIR/stage.files"

# ---- every pattern still changes its file: cheap, and a rotating subset would meet a
# stale one only on its day (a rename had silently disabled one before this check) ----
stale=()
for ((i = 0; i < N; i++)); do
  f=$SRC/${FILES[i]}
  if [ ! -f "$f" ] || sed -e "${EXPRS[i]}" "$f" | cmp -s - "$f"; then stale+=("${NAMES[i]}"); fi
done
if [ ${#stale[@]} -gt 0 ]; then
  echo "mutants: these no longer apply to the tree (STALE; fix scripts/mutants.txt): ${stale[*]}"
  exit 1
fi

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS=-O0 -DPOLYBATCH_BUILD_EXAMPLES=OFF \
    -DPOLYBATCH_BUILD_PYTHON=OFF -DPOLYBATCH_BUILD_BENCH=OFF -DPOLYBATCH_BUILD_FUZZ=OFF -DPOLYBATCH_BUILD_KERNELS=OFF >"$LOGS/configure.log" 2>&1 ||
    {
      cat "$LOGS/configure.log"
      exit 2
    }
else
  # Regenerate: make does not know a target added since the last configure.
  cmake "$BUILD" >"$LOGS/configure.log" 2>&1 || {
    cat "$LOGS/configure.log"
    exit 2
  }
fi

# The build target behind a CTest test name.
target_of() {
  case "$1" in
  cli_*) echo polybatch_cli ;;
  test_threads_env_*) echo test_threads ;;
  *_dispatched) echo "${1%_dispatched}" ;;
  compile_fail_*) ;; # CTest builds it itself
  *) echo "$1" ;;
  esac
}

# build_and_test LOG TEST...: 0 if every test passes, 1 if one fails, 3 if the build fails.
build_and_test() {
  local log=$1
  shift
  local targets=() t
  for t in "$@"; do
    t=$(target_of "$t")
    [ -n "$t" ] && targets+=("$t")
  done
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$BUILD" -j "$JOBS" --target "${targets[@]}" >"$log" 2>&1 || return 3
  fi
  local regex
  regex="^($(echo "$@" | tr ' ' '|'))\$"
  ctest --test-dir "$BUILD" -R "$regex" --timeout 900 --output-on-failure >>"$log" 2>&1 || return 1
  grep -q 'tests passed' "$log" || return 1 # a test name that matched nothing
  return 0
}

# ---- unmutated: every test involved must pass first ---------------------------------
all_tests=$(for i in "${selected[@]}"; do echo "${TESTS[i]}"; done | tr ' ' '\n' | sort -u | tr '\n' ' ')
if [ "${MUTANTS_BASELINE:-1}" != 0 ]; then
  start=$SECONDS
  status=0
  build_and_test "$LOGS/baseline.log" $all_tests || status=$?
  if [ $status -ne 0 ]; then
    echo "mutants: the unmutated tree already fails ($all_tests): see $LOGS/baseline.log"
    exit 2
  fi
  echo "baseline: $all_tests pass unmutated ($((SECONDS - start)) s)"
fi

# ---- each mutant ---------------------------------------------------------------------
caught=0 missed=0 bad=0
missed_names=()
restore() {
  if [ -n "${current_file:-}" ]; then
    cp "$DIR/original" "$SRC/$current_file"
    touch "$SRC/$current_file" # newer than the mutant's objects: the next build recompiles
    current_file=
  fi
}
trap 'restore; rm -rf "$stage"' EXIT
for i in "${selected[@]}"; do
  name=${NAMES[i]} file=${FILES[i]} tests=${TESTS[i]}
  start=$SECONDS
  cp "$SRC/$file" "$DIR/original"
  current_file=$file
  sed -i "${EXPRS[i]}" "$SRC/$file"
  if cmp -s "$SRC/$file" "$DIR/original"; then
    verdict=STALE bad=$((bad + 1))
  else
    status=0
    build_and_test "$LOGS/$name.log" $tests || status=$?
    case $status in
    0) verdict=MISSED missed=$((missed + 1)) missed_names+=("$name") ;;
    1) verdict=CAUGHT caught=$((caught + 1)) ;;
    *) verdict=BROKEN bad=$((bad + 1)) ;; # the mutant does not compile: fix the list
    esac
  fi
  restore
  printf '%-7s %-36s by %s (%d s; log %s)\n' "$verdict" "$name" "$tests" $((SECONDS - start)) "$LOGS/$name.log"
done

echo "mutants: ${#selected[@]} run, $caught caught, $missed missed, $bad stale or broken (of $N listed)"
[ $missed -eq 0 ] || echo "missed: ${missed_names[*]}"
[ $missed -eq 0 ] && [ $bad -eq 0 ]
