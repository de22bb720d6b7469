#!/usr/bin/env bash
# End-to-end tests of `polybatch eval`'s file I/O: io_tests.sh POLYBATCH DATA_DIR CASE
# .npy inputs read in place (memory-mapped) or converted, .npy versions 1-3,
# the block-by-block .npy output, --no-sync, --time's phases, and that a
# failure (or a SIGTERM) leaves nothing behind; exact conversion into few-bit
# types, signed zeros, odd headers, named pipes and links. Expected values come from numpy (fixtures
# made by make_fixtures.py) or from awk, never from polybatch itself.
set -u
PB=$1
DATA=$2
CASE=$3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/polybatch-io-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
cp "$DATA"/io_* "$DATA"/truncated.npy "$DATA"/a.npy "$DATA"/b.npy "$DATA"/huge_i64.csv .

fail() {
  echo "FAILED [$CASE]: $*"
  echo "--- command: polybatch ${LAST_ARGS:-}"
  echo "--- exit code: ${RC:-}"
  echo "--- stderr:"
  head -c 2000 err.txt 2>/dev/null
  exit 1
}
run() {
  LAST_ARGS="$*"
  "$PB" "$@" >out.txt 2>err.txt
  RC=$?
}
expect_ok() {
  [ "$RC" -eq 0 ] || fail "expected exit code 0"
  [ ! -s err.txt ] || fail "expected nothing on stderr"
}
expect_error() {
  [ "$RC" -eq 1 ] || fail "expected exit code 1"
  grep -Eq -- "$1" err.txt || fail "stderr does not match /$1/"
  [ "$(wc -l <err.txt)" -eq 1 ] || fail "expected one line on stderr"
}
# same_data FILE.npy EXPECTED.npy: the last N data bytes are identical, where
# N is the expected array's data size (headers may be padded differently).
same_data() {
  local n=$(($(stat -c %s "$2") - $(header_size "$2")))
  [ "$(stat -c %s "$1")" -eq $(($(header_size "$1") + n)) ] || fail "$1: wrong size for the data of $2"
  cmp -s <(tail -c "$n" "$1") <(tail -c "$n" "$2") || fail "$1: data differs from $2"
}
# The header size of a version 1.0 .npy file: 10 + its little-endian uint16 length.
header_size() { echo $((10 + $(od -An -tu2 -j8 -N2 "$1"))); }
# The directory's listing (but out.txt and err.txt) must not change across a failed run.
listing() { ls -A | grep -v -x -e out.txt -e err.txt; }
snapshot() { BEFORE=$(listing); }
expect_unchanged_dir() {
  local now
  now=$(listing)
  [ "$now" = "$BEFORE" ] || fail "the directory changed: $(diff <(echo "$BEFORE") <(echo "$now"))"
}

# Rows of random nonzero integers in [-9, 9], as CSV (awk: independent of polybatch).
make_csv() { awk -v rows="$1" -v len="$2" -v seed="$3" 'BEGIN { srand(seed); for (i = 0; i < rows; i++) {
  line = ""; for (k = 0; k < len; k++) { v = 1 + int(rand() * 9); if (rand() < 0.5) v = -v; line = line (k ? "," : "") v }
  print line } }'; }
# Row-wise products of two CSV files, by the schoolbook loop, in awk.
awk_product() { paste -d';' "$1" "$2" | awk -F';' '{ na = split($1, a, ","); nb = split($2, b, ",");
  for (k = 1; k <= na + nb - 1; k++) c[k] = 0
  for (i = 1; i <= na; i++) for (j = 1; j <= nb; j++) c[i + j - 1] += a[i] * b[j]
  line = ""; for (k = 1; k <= na + nb - 1; k++) line = line (k > 1 ? "," : "") c[k]; print line }'; }

case_mapped_read_matches_numpy() {
  # float64 C order: read in place; the product must be numpy's, byte for byte.
  run eval 'a*b' a=io_a.npy b=io_b.npy -o r.npy; expect_ok
  same_data r.npy io_ab.npy
  grep -aq "'shape': (50, 11)" r.npy || fail "r.npy: header shape"
  # Converted on reading: float32, int64, Fortran order, data not 8-byte aligned.
  for f in io_a_f32.npy io_a_i64.npy io_a_fortran.npy io_a_unaligned.npy; do
    run eval 'a*b' a=$f b=io_b.npy --type double -o r2.npy; expect_ok
    same_data r2.npy io_ab.npy
  done
  # The CSV path (parsed text) gives the same digits as the mapped path.
  run eval 'a*b' a=io_a.npy b=io_b.npy; expect_ok
  mv out.txt mapped.csv
  run eval 'r' r=io_ab.npy; expect_ok
  cmp -s mapped.csv out.txt || fail "CSV output of the mapped read differs from numpy's product"
}

case_npy_versions() {
  for v in 2 3; do
    run eval 'a*b' a=io_a_v$v.npy b=io_b.npy -o r$v.npy; expect_ok
    same_data r$v.npy io_ab.npy
  done
}

case_streamed_output_many_blocks() {
  # 120000 rows of lengths 5 and 7: the .npy result is written in several
  # blocks (about 4 MiB each); checked against awk's schoolbook product.
  make_csv 120000 5 1 >big_a.csv
  make_csv 120000 7 2 >big_b.csv
  awk_product big_a.csv big_b.csv >expected.csv
  run eval 'a' a=big_a.csv -o big_a.npy; expect_ok
  run eval 'b' b=big_b.csv -o big_b.npy; expect_ok
  run eval 'a*b' a=big_a.npy b=big_b.npy -o r.npy; expect_ok
  [ "$(stat -c %s r.npy)" -eq $(($(header_size r.npy) + 120000 * 11 * 8)) ] || fail "r.npy: wrong size"
  run eval 'r' r=r.npy; expect_ok
  cmp -s out.txt expected.csv || fail "streamed result differs from awk's product"
  # The same through the progress bar, and as int64.
  run eval 'a*b' a=big_a.npy b=big_b.npy -o r2.npy --progress
  [ "$RC" -eq 0 ] || fail "exit code"
  cmp -s r.npy r2.npy || fail "--progress changed the result"
  run eval 'a*b' a=big_a.npy b=big_b.npy --type int -o ri.npy; expect_ok
  run eval 'r' r=ri.npy; expect_ok
  cmp -s out.txt expected.csv || fail "int64 streamed result differs from awk's product"
}

case_no_sync_and_time() {
  run eval 'a*b' a=io_a.npy b=io_b.npy -o r.npy --no-sync; expect_ok
  same_data r.npy io_ab.npy
  run eval 'a*b' a=io_a.npy b=io_b.npy -o r.npy --time
  [ "$RC" -eq 0 ] || fail "exit code"
  grep -Eq '^timing: read [0-9.]+ ms, compute [0-9.]+ ms \(50 x 11, [0-9]+ threads\), write [0-9.]+ ms, sync [0-9.]+ ms$' err.txt ||
    fail "--time must print the read, compute, write and sync phases"
  run eval 'a*b' a=io_a.npy b=io_b.npy -o r.csv --time --no-sync
  grep -Eq 'read [0-9.]+ ms, compute .* write [0-9.]+ ms, sync [0-9.]+ ms \(--no-sync\)$' err.txt || fail "--time --no-sync"
  run eval 'a*b' a=io_a.npy b=io_b.npy -o r.npy --verify --time
  grep -Eq 'sync [0-9.]+ ms' err.txt || fail "--time with --verify"
  same_data r.npy io_ab.npy
  run eval --help; grep -q -- '--no-sync' out.txt || fail "--help does not list --no-sync"
}

case_failures_leave_nothing() {
  snapshot
  run eval 'x' x=truncated.npy -o r.npy; expect_error "truncated.npy: truncated .npy file"
  expect_unchanged_dir
  snapshot
  run eval 'x' x=io_lying.npy -o r.npy; expect_error "io_lying.npy: .*B=2305843009213693953, L=8"
  expect_unchanged_dir
  snapshot
  run eval 'a' a=io_a.npy -o no_such_dir/r.npy; expect_error "no_such_dir/r.npy: cannot create a temporary file"
  [ ! -e no_such_dir ] || fail "a directory was created"
  expect_unchanged_dir
  mkdir out_dir.npy
  snapshot
  run eval 'a' a=io_a.npy -o out_dir.npy; expect_error "out_dir.npy: is a directory"
  [ -z "$(ls -A out_dir.npy)" ] || fail "out_dir.npy is not empty"
  expect_unchanged_dir
  # An integer overflow while streaming, in the third block (about 105000
  # rows of 5 int64 per block), after two blocks have been written.
  make_csv 300000 3 5 >big.csv
  echo "4611686018427387904,1,1" >>big.csv
  run eval 'x' x=big.csv --type int -o big.npy; expect_ok
  snapshot
  run eval 'x*x' x=big.npy --type int -o r.npy; expect_error "integer overflow in row 300000[^0-9]"
  expect_unchanged_dir
  # An existing output is kept on failure, replaced on success.
  echo keep >r.npy
  run eval 'x*x' x=big.npy --type int -o r.npy; expect_error "integer overflow"
  [ "$(cat r.npy)" = keep ] || fail "a failed run clobbered the existing output"
  run eval 'a*b' a=io_a.npy b=io_b.npy -o r.npy; expect_ok
  same_data r.npy io_ab.npy
}

case_output_over_input() {
  # The input is mapped while the output replaces it: the mapping keeps the
  # old file's data, the new file appears complete.
  cp io_a.npy x.npy
  run eval 'x*b' x=x.npy b=io_b.npy -o x.npy; expect_ok
  same_data x.npy io_ab.npy
}

case_exact_into_low_precision() {
  # 2^63 - 1 rounds to 2^63 in a few bits, which converts back to 2^63 - 1:
  # the check must not be fooled by that saturation.
  echo "9223372036854775807,-9223372036854775808" >m.csv
  run eval 'a' a=m.csv --type int -o m.npy; expect_ok
  for t in mpfr:60 mpfr:10; do
    run eval 'a' a=m.npy --type $t
    expect_error "m.npy: coefficient \(row 0, column 0\) = 9223372036854775807 cannot be held exactly by --type $t\$"
  done
  echo "2147483647,1" >m32.csv
  run eval 'a' a=m32.csv --type int -o m32.npy; expect_ok
  run eval 'a' a=m32.npy --type mpfr:10; expect_error "= 2147483647 cannot be held exactly by --type mpfr:10\$"
  # Powers of two are exact at any precision, the extremes included.
  echo "-9223372036854775808,4611686018427387904" >p.csv
  run eval 'a' a=p.csv --type int -o p.npy; expect_ok
  run eval 'a' a=p.npy --type mpfr:10; expect_ok
  run eval 'a' a=m.npy --type quad; expect_ok
}

case_signed_zero_and_specials() {
  # Every floating type reads -0, +inf and -nan as double does, and reads
  # back the -0 it writes.
  echo "-0,+inf,-nan,0e999999999999,-0e999999999999" >z.csv
  for t in double dd quad mpfr:100; do
    run eval 'a' a=z.csv --type $t; expect_ok
    grep -Eq '^-0[.0-9e+]*,inf,nan,0[.0-9e+]*,-0[.0-9e+]*$' out.txt || fail "--type $t: $(cat out.txt)"
    cp out.txt again.csv
    run eval 'a' a=again.csv --type $t; expect_ok
    cmp -s out.txt again.csv || fail "--type $t: -0 does not read back as written"
  done
  echo "1e999999999999" >big.csv
  for t in double dd quad mpfr:100; do
    run eval 'a' a=big.csv --type $t; expect_error "big.csv:1: .*'1e999999999999' is out of range"
  done
  run eval 'a' a=big.csv --type rational; expect_error "'1e999999999999' has an exponent too large"
}

case_npy_headers() {
  # A version-2 header over 64 KiB, read for the default type and for the data.
  /usr/bin/python3 -c '
import struct, sys
d = "{\x27descr\x27: \x27<i8\x27, \x27fortran_order\x27: False, \x27shape\x27: (1, 3), }"
d = d + " " * (70000 - len(d) - 1) + "\n"
sys.stdout.buffer.write(b"\x93NUMPY\x02\x00" + struct.pack("<I", len(d)) + d.encode() + struct.pack("<3q", 1, 2, 3))' >v2big.npy
  run eval 'a' a=v2big.npy; expect_ok
  [ "$(cat out.txt)" = "1,2,3" ] || fail "v2big.npy: $(cat out.txt)"
  # A structured dtype is an unsupported dtype, not a corrupt header.
  /usr/bin/python3 -c '
import sys
d = "{\x27descr\x27: [(\x27a\x27, \x27<f8\x27), (\x27b\x27, \x27<f8\x27)], \x27fortran_order\x27: False, \x27shape\x27: (1,), }\n"
sys.stdout.buffer.write(b"\x93NUMPY\x01\x00" + bytes([len(d), 0]) + d.encode() + bytes(16))' >struct.npy
  run eval 'a' a=struct.npy; expect_error "struct.npy: unsupported dtype: a structured dtype"
  # Cut short just after the magic: truncated, with or without --type.
  printf '\223NUMPY\001' >short.npy
  run eval 'a' a=short.npy; expect_error "short.npy: truncated .npy file \(7 bytes"
  run eval 'a' a=short.npy --type double; expect_error "short.npy: truncated .npy file \(7 bytes"
  # A directory: the same words with or without --type.
  mkdir dir.npy
  run eval 'a' a=dir.npy; expect_error "dir.npy: cannot read the file: it is a directory$"
  run eval 'a' a=dir.npy --type double; expect_error "dir.npy: cannot read the file: it is a directory$"
  # A named pipe is read once, header and data, also when it chooses the type.
  run eval 'a' a=io_a_i64.npy; expect_ok
  mv out.txt expected.csv
  mkfifo pipe.npy
  # (timeout: a run that never opens the pipe must not leave cat blocked
  # in open() holding the test's output until CTest's own timeout.)
  timeout 60 cat io_a_i64.npy >pipe.npy &
  local writer=$!
  LAST_ARGS="eval a a=pipe.npy (a named pipe)"
  timeout 60 "$PB" eval 'a' a=pipe.npy >out.txt 2>err.txt
  RC=$?
  kill "$writer" 2>/dev/null
  wait "$writer" 2>/dev/null
  expect_ok
  cmp -s out.txt expected.csv || fail "pipe.npy: not the data of io_a_i64.npy"
  # A pipe given for two names, or under two names (a link), is read once and
  # serves both (a second open would wait for a writer forever): .npy, with
  # the type from its header and given, and .csv. Expected: numpy's products.
  /usr/bin/python3 -c '
import numpy as np
for row in np.load("io_a_i64.npy"):
    print(",".join(str(v) for v in np.convolve(row, row)))' >expected.csv
  one_pipe_for_two_names 'a*b' io_a_i64.npy npy
  one_pipe_for_two_names 'a*b' io_a_i64.npy npy --type int
  printf '1,2\n3,-4\n' >rows.csv
  printf '2,6,4\n12,-28,16\n' >expected.csv # a*b+a over rows.csv, by hand
  mkfifo pipe.csv
  one_pipe_for_two_names 'a*b+a' rows.csv csv
  # One file as both .npy and .csv cannot be read twice: refused before any
  # read (timeout: a run that read the pipe would wait for a writer forever).
  ln -s pipe.npy same.csv
  LAST_ARGS="eval a*b a=pipe.npy b=same.csv"
  timeout 60 "$PB" eval 'a*b' a=pipe.npy b=same.csv >out.txt 2>err.txt
  RC=$?
  expect_error "pipe.npy and same.csv are the same file: it cannot be read as both .npy and .csv"
}

# one_pipe_for_two_names EXPR FILE EXT [OPTION...]: EXPR over a=pipe.EXT and
# b given as the same pipe, then as a link to it, fed FILE once each time,
# must print expected.csv.
one_pipe_for_two_names() {
  local expr=$1 file=$2 ext=$3 second writer
  shift 3
  ln -sf "pipe.$ext" "other.$ext"
  for second in "pipe.$ext" "other.$ext"; do
    timeout 60 cat "$file" >"pipe.$ext" &
    writer=$!
    LAST_ARGS="eval $expr a=pipe.$ext b=$second $* (one named pipe twice)"
    timeout 60 "$PB" eval "$expr" a="pipe.$ext" b="$second" "$@" >out.txt 2>err.txt
    RC=$?
    kill "$writer" 2>/dev/null
    wait "$writer" 2>/dev/null
    expect_ok
    cmp -s out.txt expected.csv || fail "pipe.$ext given twice ($*): not what $expr gives over $file"
  done
}

case_output_through_dangling_link() {
  # The link stays and the file it names is created, relative to the link's
  # directory, through a chain of links.
  mkdir sub
  ln -s ../new.npy sub/hop.npy
  ln -s sub/hop.npy link.npy
  run eval 'a*b' a=io_a.npy b=io_b.npy -o link.npy; expect_ok
  [ -L link.npy ] && [ -L sub/hop.npy ] || fail "a link was replaced"
  same_data new.npy io_ab.npy
  [ -z "$(ls -A sub | grep -v -x hop.npy)" ] || fail "a file was left next to the link: $(ls -A sub)"
  ln -s loop_b.npy loop_a.npy
  ln -s loop_a.npy loop_b.npy
  snapshot
  run eval 'a' a=io_a.npy -o loop_a.npy
  expect_error "loop_a.npy: cannot follow the symbolic link: more than 40 links"
  expect_unchanged_dir
}

case_signal_leaves_nothing() {
  # SIGTERM while the result is being computed into its temporary: no
  # temporary is left and the exit status is the signal's (128 + 15). The
  # expression is slow with a small output (about 20 us a row at -O3, 8 bytes
  # out); rows grow until a run outlasts the wait for its temporary, and a
  # run that finishes first is no failure.
  local rows pid i tmp=()
  shopt -s nullglob
  for rows in 20000 100000 500000; do
    make_csv "$rows" 8 9 >long.csv
    run eval 'a' a=long.csv -o long.npy; expect_ok
    rm -f long.csv
    "$PB" eval 'eval_at(compose(pow(a,10),a),0.5)' a=long.npy -o out.npy >out.txt 2>err.txt &
    pid=$!
    for ((i = 0; i < 1200; i++)); do
      tmp=(.out.npy.tmp.*)
      [ ${#tmp[@]} -gt 0 ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    [ ${#tmp[@]} -gt 0 ] && kill -TERM "$pid" 2>/dev/null
    wait "$pid"
    RC=$?
    LAST_ARGS="eval ... a=long.npy -o out.npy ($rows rows, SIGTERM)"
    if [ "$RC" -eq 0 ]; then
      rm -f out.npy
      continue # finished before the signal: try a longer run
    fi
    [ ${#tmp[@]} -gt 0 ] || fail "no temporary file appeared"
    [ "$RC" -eq 143 ] || fail "expected exit status 143 (SIGTERM)"
    tmp=(.*.tmp.*)
    [ ${#tmp[@]} -eq 0 ] || fail "a temporary was left: ${tmp[*]}"
    if [ -e out.npy ]; then
      # The signal came after the output was renamed into place (a slow
      # machine between the glob and the kill): complete, not partial.
      rm -f out.npy
      continue
    fi
    return 0
  done
  echo "note [$CASE]: every run finished before the signal; nothing to check"
}

"case_$CASE"
echo "ok [$CASE]"
