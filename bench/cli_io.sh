#!/usr/bin/env bash
# `polybatch eval 'a*b'` over .npy files against `cat a.npy b.npy > copy`
# (the same bytes moved by the kernel alone), timed alternately; prints the
# medians as the markdown table of docs/performance.md "Command-line I/O".
#   bench/cli_io.sh [POLYBATCH] [ROWS] [RUNS] [WORKDIR]
# POLYBATCH: a Release build of the CLI (default build/io-rel/src/polybatch).
# Inputs: ROWS rows of lengths 5 and 7, float64 (numpy if importable, else
# written by the CLI itself from awk-made CSV). WORKDIR (default: a new
# directory under the build's) should be on the disk the data will live on.
set -eu
PB=$(realpath "${1:-build/io-rel/src/polybatch}")
ROWS=${2:-1000000}
RUNS=${3:-5}
if [ $# -ge 4 ]; then
  WORK=$4
  mkdir -p "$WORK"
  trap 'rm -f "$WORK/copy" "$WORK/r.npy" "$WORK"/t_* "$WORK"/phases_*' EXIT
else
  WORK=$(mktemp -d "$(dirname "$(dirname "$PB")")/cli_io.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi
cd "$WORK"

if [ ! -f a.npy ] || [ ! -f b.npy ]; then
  if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    /usr/bin/python3 -c "
import numpy as np
rng = np.random.default_rng(1)
np.save('a.npy', rng.standard_normal(($ROWS, 5)))
np.save('b.npy', rng.standard_normal(($ROWS, 7)))"
  else
    awk -v n="$ROWS" 'BEGIN { srand(1); for (i = 0; i < n; i++) printf "%.6f,%.6f,%.6f,%.6f,%.6f\n", rand(), rand(), rand(), rand(), rand() }' >a.csv
    awk -v n="$ROWS" 'BEGIN { srand(2); for (i = 0; i < n; i++) printf "%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f\n", rand(), rand(), rand(), rand(), rand(), rand(), rand() }' >b.csv
    "$PB" eval a a=a.csv -o a.npy && "$PB" eval b b=b.csv -o b.npy && rm -f a.csv b.csv
  fi
fi

now() { date +%s%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# phase NAME FILE: the NAME times (ms) of the --time lines in FILE.
phase() { sed -E "s/.* $1 ([0-9.]+) ms.*/\1/" "$2"; }

: >t_cat; : >t_eval; : >t_sync; : >phases_nosync; : >phases_sync
cat a.npy b.npy >copy; "$PB" eval 'a*b' a=a.npy b=b.npy -o r.npy --no-sync # warm the page cache
for _ in $(seq "$RUNS"); do
  rm -f copy
  t0=$(now); cat a.npy b.npy >copy; t1=$(now)
  echo "scale=3; ($t1 - $t0) / 1000000" | bc >>t_cat
  rm -f r.npy
  t0=$(now); "$PB" eval 'a*b' a=a.npy b=b.npy -o r.npy --no-sync --time 2>>phases_nosync; t1=$(now)
  echo "scale=3; ($t1 - $t0) / 1000000" | bc >>t_eval
  rm -f r.npy
  t0=$(now); "$PB" eval 'a*b' a=a.npy b=b.npy -o r.npy --time 2>>phases_sync; t1=$(now)
  echo "scale=3; ($t1 - $t0) / 1000000" | bc >>t_sync
done

cat_ms=$(median <t_cat)
eval_ms=$(median <t_eval)
sync_ms=$(median <t_sync)
row() { # LABEL WALL PHASEFILE
  printf '| %s | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f |\n' "$1" "$2" "$(echo "$2 / $cat_ms" | bc -l)" \
    "$(phase read "$3" | median)" "$(phase compute "$3" | median)" "$(phase write "$3" | median)" \
    "$(phase sync "$3" | median)"
}
echo "Inputs: $ROWS rows of 5 and 7 float64 ($(du -bc a.npy b.npy | tail -1 | cut -f1) bytes), output $ROWS x 11;"
echo "$RUNS alternating runs, medians, threads: ${POLYBATCH_NUM_THREADS:-all}; $(uname -r), $(nproc) CPUs."
echo
echo "| command | wall ms | x cat | read ms | compute ms | write ms | sync ms |"
echo "|---|---|---|---|---|---|---|"
printf '| `cat a.npy b.npy > copy` | %.1f | 1.00 | | | | |\n' "$cat_ms"
row "\`polybatch eval 'a*b' a=a.npy b=b.npy -o r.npy --no-sync\`" "$eval_ms" phases_nosync
row "\`polybatch eval 'a*b' a=a.npy b=b.npy -o r.npy\` (durable)" "$sync_ms" phases_sync
