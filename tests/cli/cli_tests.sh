#!/usr/bin/env bash
# End-to-end tests of the `polybatch` executable: cli_tests.sh POLYBATCH DATA_DIR CASE
# Each CASE is one function below, registered as its own CTest test. A case
# runs in a fresh scratch directory; a failure prints what was expected.
set -u
PB=$1
DATA=$2
CASE=$3
# The exact Fraction references shared with the Python verify tests.
ORACLE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../python" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/polybatch-cli-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
cp "$DATA"/* .

fail() {
  echo "FAILED [$CASE]: $*"
  echo "--- command: polybatch ${LAST_ARGS:-}"
  echo "--- exit code: ${RC:-}"
  echo "--- stdout:"
  head -c 2000 out.txt 2>/dev/null
  echo "--- stderr:"
  head -c 2000 err.txt 2>/dev/null
  exit 1
}

run() {
  LAST_ARGS="$*"
  "$PB" "$@" >out.txt 2>err.txt
  RC=$?
}

# expect_ok: exit 0 and nothing on stderr.
expect_ok() {
  [ "$RC" -eq 0 ] || fail "expected exit code 0"
  [ ! -s err.txt ] || fail "expected nothing on stderr"
}

# expect_error REGEX [LINES] [CODE]: exit code CODE (default 1, as docs/cli.md promises for errors),
# stderr matches REGEX and has LINES lines (default 1).
expect_error() {
  [ "$RC" -eq "${3:-1}" ] || fail "expected exit code ${3:-1}"
  grep -Eq -- "$1" err.txt || fail "stderr does not match /$1/"
  local lines
  lines=$(wc -l <err.txt)
  [ "$lines" -eq "${2:-1}" ] || fail "expected ${2:-1} line(s) on stderr, got $lines"
  grep -q '^polybatch: error: ' err.txt || fail "the message must start with 'polybatch: error: '"
  [ ! -s out.txt ] || fail "expected nothing on stdout"
}

# expect_zeros: stdout is CSV whose every value is 0.
expect_zeros() {
  expect_ok
  [ -s out.txt ] || fail "expected CSV on stdout"
  # every field a zero ("0", "-0", "0.0", "0e+00"); nan, inf or an empty field is a failure
  local bad
  bad=$(tr ',' '\n' <out.txt | grep -Evc '^-?0(\.0*)?([eE][-+]?0+)?$')
  [ "$bad" -eq 0 ] || fail "expected only zeros (the two sides differ)"
}

# expect_usage REGEX: a command-line usage error, exit code 2.
expect_usage() { expect_error "$1" 1 2; }

# expect_stdout REGEX
expect_stdout() { grep -Eq -- "$1" out.txt || fail "stdout does not match /$1/"; }

# no temporary files may be left behind
expect_clean_dir() {
  ! ls -a | grep -q '\.tmp\.' || fail "a temporary output file was left behind: $(ls -a | grep '\.tmp\.')"
}

# ---------------------------------------------------------------- references
# Independent references in awk (integer data, exact in awk's doubles), so a
# result is checked against values computed without polybatch.
data_rows() { grep -v '^#' "$1" | grep -v '^$'; }
# ref_rows OP X.csv [Y.csv] [ARG]: row-wise OP, one CSV line per row.
# OP: product, correlate_full|correlate_same|correlate_valid, compose, value (X at ARG), truncate_product (ARG terms)
ref_rows() {
  local op=$1 x=$2 y=${3:-$2} arg=${4:-0}
  paste -d';' <(data_rows "$x") <(data_rows "$y") | awk -F';' -v op="$op" -v arg="$arg" '
    function conv(p, np, q, nq, out,    i, j, n) {
      n = np + nq - 1
      for (i = 1; i <= n; i++) out[i] = 0
      for (i = 1; i <= np; i++) for (j = 1; j <= nq; j++) out[i + j - 1] += p[i] * q[j]
      return n
    }
    function emit(v, first, last,    k, s) {
      s = ""
      for (k = first; k <= last; k++) s = s (k > first ? "," : "") sprintf("%d", v[k])
      print s
    }
    {
      nx = split($1, X, ","); ny = split($2, Y, ",")
      if (op == "product") { n = conv(X, nx, Y, ny, R); emit(R, 1, n) }
      else if (op == "truncate_product") {
        n = conv(X, nx, Y, ny, R); for (k = n + 1; k <= arg; k++) R[k] = 0; emit(R, 1, arg)
      } else if (op ~ /^correlate/) {
        for (j = 1; j <= ny; j++) V[j] = Y[ny + 1 - j]    # numpy.correlate(x, v) = convolve(x, v reversed)
        n = conv(X, nx, V, ny, R)
        lo = nx < ny ? nx : ny; hi = nx < ny ? ny : nx
        if (op == "correlate_full") emit(R, 1, n)
        else if (op == "correlate_same") { s = int((lo - 1) / 2); emit(R, s + 1, s + hi) }
        else emit(R, lo, hi)
      } else if (op == "compose") {                       # Horner: p = p * y + x[i]
        np = 1; P[1] = X[nx]
        for (i = nx - 1; i >= 1; i--) { np = conv(P, np, Y, ny, Q); for (k = 1; k <= np; k++) P[k] = Q[k]; P[1] += X[i] }
        emit(P, 1, np)
      } else if (op == "value") {
        s = 0; for (k = nx; k >= 1; k--) s = s * arg + X[k]; print sprintf("%d", s)
      }
    }'
}
# gen_rows B L SEED [DIV]: B rows of L pseudo-random integers in [-9, 9]
# (an LCG, exact in awk), or with DIV, the positive decimals (v + 10) / DIV.
gen_rows() {
  awk -v B="$1" -v L="$2" -v x="$3" -v d="${4:-0}" 'BEGIN {
    for (i = 0; i < B; i++) {
      s = ""
      for (k = 0; k < L; k++) {
        x = (x * 69069 + 1) % 4294967296; v = int(x / 65536) % 19 - 9
        s = s (k ? "," : "") (d ? sprintf("%g", (v + 10) / d) : v)
      }
      print s
    }
  }'
}
# expect_verify_error_between LO HI: the --verify report's max rel error E has LO < E <= HI (LO = 0: E may be 0).
expect_verify_error_between() {
  local e
  e=$(sed -n 's/.*max rel error \([-+0-9.eE]*\).*/\1/p' err.txt)
  [ -n "$e" ] || fail "no max rel error in the --verify report"
  awk -v e="$e" -v lo="$1" -v hi="$2" 'BEGIN { exit !((lo == 0 ? e >= 0 : e > lo) && e <= hi) }' ||
    fail "max rel error $e is not in ($1, $2]"
}
# expect_rows FILE: stdout equals FILE line by line (a reference written above).
expect_rows() {
  expect_ok
  diff -q out.txt "$1" >/dev/null || { diff out.txt "$1" | head -5 >&2; fail "stdout differs from the reference in $1"; }
}

# ---------------------------------------------------------------- help
case_help() {
  run --help; expect_ok
  for w in demo eval bench; do expect_stdout "$w"; done
  run eval --help; expect_ok
  for w in 'NAME=FILE' '--type' 'mpfr:BITS' '--threads' '--verify' '--progress' 'convolve' 'correlate' 'derivative' \
    'integral' 'compose' 'truncate' 'eval_at' 'Fortran|\.npy' '\.csv'; do expect_stdout "$w"; done
  run demo --help; expect_ok; expect_stdout '--rows'
  run bench --help; expect_ok; expect_stdout '--max-ratio'
  run --version; expect_ok; expect_stdout 'polybatch'
}
case_usage_errors() {
  run; expect_usage 'subcommand'
  run frobnicate; expect_usage 'subcommand|frobnicate'
  run eval; expect_usage 'EXPR'
  run eval 'a' a=a.npy --threads 0; expect_usage 'threads'
  run eval 'a' a=a.npy --type foo; expect_usage "unknown --type 'foo'"
  run eval 'a' a=a.npy --type mpfr:x; expect_usage 'precision in bits'
  run eval 'a' a=a.npy --type mpfr:100000000; expect_usage 'between 8 and 1000000 bits'
  run eval 'a' a=a.npy --type mpfr:0000064 -o r.csv; expect_ok
  run eval 'a' a; expect_usage "'a' is not NAME=FILE"
  run eval 'a' a=a.npy a=b.npy; expect_usage "given twice"
  run eval 'a' 2a=a.npy; expect_usage "not a valid name"
  run eval 'a' derivative=a.npy; expect_usage "function name"
  run eval 'a' a=a.npy --verify-rows 5; expect_usage 'verify-rows requires --verify'
  run eval 'a' a=a.npy --verify-rationals; expect_usage 'verify-rationals requires --verify'
  # An empty output name (an unset shell variable) is not standard output.
  run eval 'a' a=a.npy -o ''; expect_usage "--output: an empty file name; leave -o out"
  run roots p=a.npy --output ''; expect_usage "--output: an empty file name"
  # An unknown or unsupported POLYBATCH_ARCH: one line naming the variable
  # and this machine's best kernels, exit 1 (an environment error).
  # A build without the compiled kernels (POLYBATCH_BUILD_KERNELS=OFF, as the
  # planted-bug runs use) has no dispatch and says so instead.
  run --version
  if grep -q 'header-only kernels' out.txt; then
    expect_stdout 'polybatch [0-9.]+, header-only kernels'
    return
  fi
  POLYBATCH_ARCH=neon run --version; expect_error 'POLYBATCH_ARCH=neon is not a kernel target.*best is (sse2|avx2|avx512)'
  POLYBATCH_ARCH=sse2 run --version; expect_stdout 'sse2 kernels \(forced by POLYBATCH_ARCH'
  run --version; expect_stdout 'polybatch [0-9.]+, (sse2|avx2|avx512) kernels \(run-time dispatch\)'
}

# ---------------------------------------------------------------- results
case_product_npy() {
  run eval 'a*b' a=a.npy b=b.npy -o r.npy; expect_ok
  [ -s r.npy ] || fail "no output file"
  head -c 80 r.npy | grep -q "'<f8'" || fail "r.npy is not float64"
  # The same product from CSV in exact rationals must agree exactly.
  run eval 'r - a*b' r=r.npy a=a.csv b=b.csv --type rational; expect_zeros
  run eval 'r' r=r.npy; expect_ok
  [ "$(wc -l <out.txt)" -eq 4 ] || fail "expected 4 rows"
  [ "$(head -1 out.txt | tr ',' '\n' | wc -l)" -eq 11 ] || fail "expected 11 coefficients per row"
  expect_clean_dir
}
case_product_csv_stdout() {
  ref_rows product a.csv b.csv >want.txt
  run eval 'a*b' a=a.csv b=b.csv --type int; expect_rows want.txt
  run eval 'a*b' a=a.npy b=b.npy --type rational; expect_rows want.txt
  run eval '(a*b)*c' a=a.npy b=b.npy c=c.npy -o r.csv; expect_ok
  run eval 'r - a*(b*c)' r=r.csv a=a.npy b=b.npy c=c.npy --type int; expect_zeros
}
case_dtypes_and_order() {
  run eval 'a - f' a=a.npy f=a_fortran.npy; expect_zeros
  run eval 'a - x' a=a.npy x=a_f32.npy; expect_zeros
  run eval 'a - x' a=a.npy x=a_i32.npy; expect_zeros
  run eval 'a - x' a=a.npy x=a_i64.npy; expect_zeros
  run eval 'a*b' a=a_i64.npy b=b_i64.npy -o r.npy; expect_ok
  head -c 80 r.npy | grep -q "'<i8'" || fail "int inputs should give an int64 result by default"
  run eval 'a' a=a_f32.npy -o r.npy; expect_ok
  head -c 80 r.npy | grep -q "'<f4'" || fail "float32 inputs should give a float32 result by default"
}
case_broadcast_and_numbers() {
  run eval 'a*p - 3*a' a=a.npy p=one.npy; expect_ok
  [ "$(wc -l <out.txt)" -eq 4 ] || fail "a batch of one must broadcast"
  run eval '2*a - a - a' a=a.npy; expect_zeros
  run eval 'a + 1 - 1 - a' a=a.npy; expect_zeros
  run eval -- '-a + a' a=a.npy; expect_zeros
  run eval '-a + a' a=a.npy; expect_usage "starts with .-. goes after"
  # the hint is eval's: roots takes no expression
  run roots p=a.npy --bogus; expect_usage "bogus"
  ! grep -q "goes after" err.txt || fail "roots was given eval's hint about expressions"
  run eval '(a + b) - (b + a)' a=a.npy b=b.npy; expect_zeros
  run eval '0.5 * a * 4 - 2*a' a=a.npy; expect_zeros
  # A minus before a literal is part of it: the most negative int64 is a number; -2^2 is still -(2^2).
  printf '5\n' >five.csv
  run eval 'a + (-9223372036854775808)' a=five.csv --type int; expect_ok
  [ "$(cat out.txt)" = "-9223372036854775803" ] || fail "-9223372036854775808 must read as an int64"
  run eval 'a - 9223372036854775808' a=five.csv --type int; expect_error "overflows a 64-bit integer"
  run eval --type int -- '-2^2 * a + 4*a' a=five.csv; expect_zeros
  run eval 'a^0000000002 - a*a' a=five.csv --type int; expect_zeros
}
case_functions() {
  ref_rows product a.csv b.csv >product.txt
  run eval 'convolve(a, b)' a=a.npy b=b.npy --type int; expect_rows product.txt
  run eval 'convolve(a, b) - a*b' a=a.npy b=b.npy; expect_zeros
  run eval 'convolve(a, b, full) - convolve(b, a)' a=a.npy b=b.npy; expect_zeros
  # correlate against numpy's definition (awk above), operands in both orders
  for m in full same valid; do
    ref_rows correlate_$m b.csv a.csv >want.txt
    run eval "correlate(b, a, $m)" a=a.npy b=b.npy --type int; expect_rows want.txt
    ref_rows correlate_$m a.csv b.csv >want.txt
    run eval "correlate(a, b, $m)" a=a.npy b=b.npy --type int; expect_rows want.txt
  done
  ref_rows correlate_valid b.csv a.csv >want.txt
  run eval 'correlate(b, a)' a=a.npy b=b.npy --type int; expect_rows want.txt # default: valid
  [ "$(head -1 out.txt | tr ',' '\n' | wc -l)" -eq 3 ] || fail "correlate valid has length 7 - 5 + 1"
  run eval 'a^3 - a*a*a' a=a.npy; expect_zeros
  # A long chain is one tree level per operation: up to the limit it evaluates,
  # beyond it it is refused (20,000 terms overflowed the stack before).
  run eval "$(printf 'a+%.0s' $(seq 899))a - 900*a" a=a.npy --type int; expect_zeros
  run eval "$(printf 'a+%.0s' $(seq 1000))a" a=a.npy --type int; expect_ok
  run eval "$(printf 'a+%.0s' $(seq 1001))a" a=a.npy --type int; expect_error "nested too deeply" 3
  run eval "$(printf 'a+%.0s' $(seq 20000))a" a=a.npy; expect_error "nested too deeply" 3
  run eval "$(printf 'a*%.0s' $(seq 20000))a" a=a.npy; expect_error "nested too deeply" 3
  # Nesting counts parentheses, calls and signs together: 200 levels are read.
  nest() { printf "%.0s$2" $(seq "$1"); printf '%s' "$3"; printf "%.0s$4" $(seq "$1"); }
  run eval "$(nest 200 '(' a ')') - a" a=a.npy --type int; expect_zeros
  run eval "$(nest 201 '(' a ')')" a=a.npy --type int; expect_error "more than 200 levels of parentheses" 3
  run eval "$(nest 199 'derivative(' 'a*a*a*a' ')')" a=a.npy --type int; expect_ok
  run eval "$(nest 201 'derivative(' a ')')" a=a.npy --type int; expect_error "more than 200 levels" 3
  run eval --type int -- "$(nest 200 '-' a '') - a" a=a.npy; expect_zeros
  run eval --type int -- "$(nest 201 '-' a '')" a=a.npy; expect_error "more than 200 levels" 3
  run eval -- "$(nest 20000 '(' a ')')" a=a.npy; expect_error "nested too deeply" 3
  # the expression is echoed as a window around the column, not in full
  [ "$(sed -n 2p err.txt | wc -c)" -lt 100 ] || fail "a long expression is echoed in full"
  run eval 'pow(a, 2) - a^2 + a**0 - 1' a=a.npy; expect_zeros
  run eval 'derivative(integral(a)) - a' a=a.npy --type rational; expect_zeros
  run eval 'derivative(a*b) - (derivative(a)*b + a*derivative(b))' a=a.npy b=b.npy; expect_zeros
  run eval 'truncate(a*b, 3) - truncate(truncate(a, 3)*truncate(b, 3), 3)' a=a.npy b=b.npy; expect_zeros
  # truncate keeps exactly the first n coefficients (and zero-pads past the end)
  for n in 1 3 10 11 13; do
    ref_rows truncate_product a.csv b.csv $n >want.txt
    run eval "truncate(a*b, $n)" a=a.npy b=b.npy --type int; expect_rows want.txt
  done
  run eval 'c' c=c.npy --type int; expect_ok # there is no c.csv: c's rows as the CLI reads them
  cp out.txt c_plain.csv
  ref_rows compose a.csv c_plain.csv >want.txt
  run eval 'compose(a, c)' a=a.npy c=c.npy --type int; expect_rows want.txt
  ref_rows compose a.csv c_plain.csv >composed.csv
  ref_rows value composed.csv composed.csv 2 >want.txt
  run eval 'eval_at(compose(a, c), 2)' a=a.npy c=c.npy --type int; expect_rows want.txt
  ref_rows value a.csv a.csv -3 >want.txt
  run eval 'eval_at(a, -3)' a=a.npy --type int; expect_rows want.txt
  run eval 'eval_at(a, 1)' a=a.csv --type int; expect_ok
  # row 0 of a is -5,-8,-4,7,-4: its value at 1 is -14
  [ "$(head -1 out.txt)" = "-14" ] || fail "eval_at(a, 1) row 0 should be -14"
  # Written into rows longer than one value (truncate pads with zeros in
  # place), over more rows than a row has values, and fused into a sum.
  awk 'BEGIN { for (i = 0; i < 40; i++) print i % 7 - 3 "," i % 5 "," 2 - i % 3 "," i % 4 "," 1 - i % 6 }' >long.csv
  ref_rows value long.csv long.csv -3 >want.txt
  for t in int double rational dd; do
    for e in 'truncate(eval_at(a, -3), 5)' '(eval_at(a, -3) + a) - a'; do
      run eval "$e" a=long.csv --type "$t"; expect_ok
      [ "$(cut -d, -f1 out.txt | awk '{ printf "%d\n", $1 }')" = "$(cat want.txt)" ] ||
        fail "$e as $t: $(head -2 out.txt)"
      [ "$(cut -d, -f2- out.txt | tr ',' '\n' | awk '$1 != 0' | wc -l)" -eq 0 ] || fail "$e as $t: $(head -2 out.txt)"
    done
  done
}
case_exact_types() {
  run eval 'p*p' p=bigint.csv --type rational; expect_ok
  expect_stdout '^15241578753238836750495351562536198787501905199875019052100,'
  run eval 'p*p' p=rational.csv --type rational; expect_ok
  expect_stdout '^1/9,-4/21,'
  run eval 'p' p=decimal.csv --type rational; expect_ok
  expect_stdout '^1/10,1/5$'
  for t in quad dd mpfr:200 double float; do
    run eval 'p' p=decimal.csv --type "$t" -o r_$t.csv; expect_ok
    run eval 'p - r' p=decimal.csv r=r_$t.csv --type "$t"; expect_zeros
  done
  run eval 'p' p=decimal.csv --type mpfr:200; expect_ok
  expect_stdout '^1\.0000000000000000000000000000000000000000000000000000000000[0-9]*e-01'
  run eval 'a*b' a=a.npy b=b.npy --type dd -o r.csv; expect_ok
  run eval 'r - a*b' r=r.csv a=a.npy b=b.npy --type rational; expect_zeros
}
case_verify() {
  run eval 'a*b' a=a.npy b=b.npy --verify; [ "$RC" -eq 0 ] || fail "exit code"
  grep -q 'verify: 4 of 4 rows checked exactly: max abs error 0' err.txt || fail "verify report"
  run eval 'a*b' a=a.npy b=b.npy --verify --type rational; [ "$RC" -eq 0 ] || fail "exit code"
  grep -q 'nothing to check' err.txt || fail "rational verify"
  # Positive decimals that binary types cannot hold: the rounding error is real,
  # and bounded by a few units in the last place (no cancellation).
  gen_rows 300 5 7 10 >da.csv; gen_rows 300 7 8 10 >db.csv; gen_rows 300 3 9 10 >dc.csv
  run eval '(a*b)*c' a=da.csv b=db.csv c=dc.csv --verify -o r.csv; [ "$RC" -eq 0 ] || fail "exit code"
  grep -q 'verify: 300 of 300 rows checked' err.txt || fail "verify report"
  expect_verify_error_between 1e-18 2e-15
  run eval '(a*b)*c' a=da.csv b=db.csv c=dc.csv --verify --type float -o r.csv; [ "$RC" -eq 0 ] || fail "exit code"
  expect_verify_error_between 1e-10 2e-6
  run eval '(a*b)*c' a=da.csv b=db.csv c=dc.csv --verify --type dd -o r.csv; [ "$RC" -eq 0 ] || fail "exit code"
  expect_verify_error_between 0 1e-29
  # integral divides, so it keeps the rational check (and its sample): a real
  # rounding error there too, and the sample's row count.
  run eval 'integral(a*b)' a=da.csv b=db.csv --verify --type float -o r.csv; [ "$RC" -eq 0 ] || fail "exit code"
  grep -q 'verify: 300 of 300 rows checked' err.txt || fail "verify report (rational check)"
  expect_verify_error_between 1e-10 2e-6
  # --verify-rows samples evenly spaced rows: only row 5 of these 10 has a rounding error in float
  { for i in 0 1 2 3 4; do echo "1,2,3"; done; echo "0.1,0.3,0.7"; for i in 6 7 8 9; do echo "3,-2,1"; done; } >s.csv
  run eval 's*s' s=s.csv --type float --verify --verify-rows 0 -o r.csv; [ "$RC" -eq 0 ] || fail "exit code"
  grep -q 'verify: 10 of 10 rows checked' err.txt || fail "--verify-rows 0 checks every row"
  grep -q '(row 5, coefficient' err.txt || fail "the worst row is row 5"
  expect_verify_error_between 1e-12 1e-6
  run eval 's*s' s=s.csv --type float --verify --verify-rows 5 -o r.csv; [ "$RC" -eq 0 ] || fail "exit code"
  grep -q 'verify: 5 of 10 rows checked' err.txt || fail "--verify-rows 5 checks 5 rows"
  grep -q 'max abs error 0\b' err.txt || fail "rows 0, 2, 4, 6, 8 are exact"
  run eval 's*s' s=s.csv --type float --verify --verify-rows 2 -o r.csv; [ "$RC" -eq 0 ] || fail "exit code"
  grep -q 'verify: 2 of 10 rows checked' err.txt || fail "--verify-rows 2 checks 2 rows"
  grep -q '(row 5, coefficient' err.txt || fail "rows 0 and 5 are checked"
  expect_verify_reports_exact
  # A non-finite input has no exact value: the check refuses it, naming it.
  printf '1,2\n3,nan\n' >n.csv
  run eval 'n*n' n=n.csv --verify -o r.csv; expect_error "--verify: n holds a non-finite value at row 1, coefficient 1"
}
# The machine-speed check of the wider binary types (dd, quad, mpfr up to 248 bits) and of int gives the report
# of the exact rational check (--verify-rationals), member for member, on adversarial rows (seed logged):
# cancellation, magnitudes 10^+-70 apart, values whose binary expansions need every bit of the type, a zero
# row, length 1, batch-1 broadcast, literals, compose and powers (512 bits), mpfr:300 (rationals only).
case_verify_types() {
  /usr/bin/python3 - "$PB" <<'PY' || fail "a machine-speed --verify report differs from the rational one"
import random, subprocess, sys
pb = sys.argv[1]
seed = 20261203
print("seed", seed)
rng = random.Random(seed)
B = 120
def value(i, k):
    if i == 0:
        return "0"
    if i == 1:
        return ["1.0000001", "-1", "3", "0.1", "7", "-2"][k % 6]               # cancellation
    m = "%d.%06d" % (rng.randint(-999, 999), rng.randint(0, 999999))
    e = rng.choice([0, 0, 0, -70, 70, -30, 30]) if i % 5 == 2 else rng.randint(-3, 3)
    return m + "e%d" % e
def save(name, rows, L, integer=False):
    with open(name, "w") as f:
        for i in range(rows):
            row = [str(rng.randint(-1000, 1000)) if integer else value(i, k) for k in range(L)]
            f.write(",".join(row) + "\n")
for suffix, integer in (("", False), ("i", True)):
    save("a%s.csv" % suffix, B, 5, integer); save("b%s.csv" % suffix, B, 4, integer)
    save("c%s.csv" % suffix, B, 3, integer); save("u%s.csv" % suffix, B, 1, integer)
    save("one%s.csv" % suffix, 1, 3, integer)
cases = ["a*b", "(a*b)*c", "2.5*a*b - c", "0.1*0.3*a + a*one", "compose(a, b) - derivative(c)",
         "eval_at(a, 0.3)*u - u", "truncate(pow(b, 3), 5) + correlate(a, c)", "a*b*c*a"]
def names(expr):
    return [n for n in ("a", "b", "c", "u", "one") if n in expr.replace("eval_at", "").replace("truncate", "").replace("correlate", "").replace("compose", "").replace("derivative", "")]
def report(expr, t, suffix, extra):
    # Adversarial rows overflow: the report counts them as infinite errors.
    args = [pb, "eval", expr, "--type", t, "-o", "r.csv", "--verify", "--allow-overflow"] + extra
    args += ["%s=%s%s.csv" % (n, n, suffix) for n in names(expr)]
    got = subprocess.run(args, capture_output=True, text=True)
    assert got.returncode == 0, (args, got.stderr)
    return got.stderr.strip()
strip = lambda line: line.replace(line[line.find(" ("):line.find("):") + 1], "") if "in rationals)" in line else line
wide_rows = 0
for t in ("dd", "quad", "mpfr:100", "mpfr:200", "mpfr:300", "int"):
    for expr in cases:
        suffix = "i" if t == "int" else ""
        if t == "int":
            expr = expr.replace("2.5*", "5*").replace("0.1*0.3*", "3*").replace("0.3", "3")
        fast = report(expr, t, suffix, [])
        exact = report(expr, t, suffix, ["--verify-rationals", "--verify-rows", "0"])
        print(t, expr, "|", fast)
        assert fast.startswith("verify: %d of %d rows checked exactly" % (B, B)), fast
        assert strip(fast) == exact, (t, expr, fast, exact)
        if t == "int":
            assert "max abs error 0, max rel error 0 " in fast, fast
        elif expr != "a*b":
            assert "max abs error 0," not in fast, fast   # a real rounding error was measured
        wide_rows += "in rationals)" in fast
assert wide_rows > 0   # some rows were too wide for 512 bits, and were redone in rationals
# The default checks every row, past the 20,000-row rational sample.
with open("big.csv", "w") as f:
    f.write("".join("%d.1,0.3,%d\n" % (i % 97, i % 13) for i in range(25000)))
for t in ("dd", "quad", "mpfr:120", "int"):
    if t == "int":
        open("big.csv", "w").write("".join("%d,3,%d\n" % (i % 97, i % 13) for i in range(25000)))
    got = subprocess.run([pb, "eval", "p*p - p", "p=big.csv", "--type", t, "--verify", "-o", "r.csv"],
                         capture_output=True, text=True)
    assert got.returncode == 0 and got.stderr.startswith("verify: 25000 of 25000 rows checked exactly"), (t, got.stderr)
PY
}
# expect_verify_reports_exact: --verify's report (max abs and rel errors, worst row and coefficient, all rows or a
# sample) equals what exact fractions.Fraction arithmetic in Python gives on adversarial rows (seed logged):
# cancellation, huge and tiny magnitudes, subnormals, a zero row, coefficients 2000 bits apart (redone in
# rationals), batch-1 broadcast, length 1, literals, every function of the fast check; float32 and float64.
expect_verify_reports_exact() {
  /usr/bin/python3 - "$PB" "$ORACLE_DIR" <<'PY' || fail "a --verify report differs from exact Fraction arithmetic"
import subprocess, sys
from fractions import Fraction as F
import numpy as np
pb = sys.argv[1]
sys.path.insert(0, sys.argv[2])
from fraction_oracle import add, compose, correlate, expected_report, fr, mul, scale, value
seed = 20250301
print("seed", seed)
rng = np.random.default_rng(seed)
B = 600
def rows(L):
    x = rng.standard_normal((B, L)) * 10.0 ** rng.integers(-4, 5, (B, 1))
    x[0] = 0                                   # a zero row
    return x
def inputs(suffix, dtype, H, S, W):
    # H: huge, S: the smallest subnormal, W, 1/W: products more than 256 bits apart (none of it overflows);
    # suffix "p": plain random rows, where every row's rounding counts.
    a, b, c, u = rows(5), rows(4), rows(3), rows(1)
    one = rng.standard_normal((1, 3))
    if "p" not in suffix:
        a[1], b[1] = [1 + 2**-20, 1, -1, 3, 0.1], [1, -1, 1 + 2**-22, 0.3]   # cancellation
        a[2], b[2] = a[2] * H**(1 / 3), b[2] / H**(1 / 3)                     # huge times tiny
        a[3], b[3] = a[3] * H**(1 / 8), b[3] * H**(1 / 8)
        a[4] = np.array([1, 3, -2, 7, 5]) * S                                 # subnormals
        b[4] = [2**60, 1e10, 3, -1]
        a[5], b[5] = [W, 1 / W / 1e3, 3, 1 / W, 2], [1 / W / 1e3, W, 2, 1]    # too wide for 256 bits
        c[5] = [1 / W, 1, 2]
        u[6] = S
    for name, v in (("a", a), ("b", b), ("c", c), ("u", u), ("one", one)):
        v = v.astype(dtype)
        assert np.all(np.isfinite(v))
        np.save(name + suffix + ".npy", v)
inputs("", np.float64, 1e300, 5e-324, 1e100)
inputs("32", np.float32, 1e30, 1e-45, 1e19)
inputs("p", np.float64, 1, 0, 1)
inputs("p32", np.float32, 1, 0, 1)

lit = lambda t, single: F(float(np.float32(t))) if single else F(float(t))
cases = [
    ("a*b", "a b", lambda r, s: mul(r["a"], r["b"])),
    ("(a*b)*c", "a b c", lambda r, s: mul(mul(r["a"], r["b"]), r["c"])),
    ("2.5*a*b - c", "a b c", lambda r, s: add(mul(scale(F(5, 2), r["a"]), r["b"]), r["c"], -1)),
    ("0.1*0.3*a + a*one", "a one",
     lambda r, s: add(scale(lit("0.1", s) * lit("0.3", s), r["a"]), mul(r["a"], r["one"]))),
    ("compose(a, b) - derivative(c)", "a b c",
     lambda r, s: add(compose(r["a"], r["b"]), [k * x for k, x in enumerate(r["c"])][1:], -1)),
    ("eval_at(a, 0.3)*u - u", "a u", lambda r, s: add(mul(value(r["a"], lit("0.3", s)), r["u"]), r["u"], -1)),
    ("truncate(pow(b, 3), 5) + correlate(a, c)", "a b c",
     lambda r, s: add(mul(mul(r["b"], r["b"]), r["b"])[:5], correlate(r["a"], r["c"]))),
]
def report(expr, names, f, suffix, sample):
    single = "32" in suffix
    ext = suffix + ".npy"
    args = [pb, "eval", expr, "-o", "r" + ext, "--verify", "--allow-overflow"] + [f"{n}={n}{ext}" for n in names.split()]
    if sample:
        args += ["--verify-rows", str(sample)]
    got = subprocess.run(args, capture_output=True, text=True)
    assert got.returncode == 0, (args, got.stderr)
    computed = np.load("r" + ext)
    inputs = {n: np.load(n + ext) for n in names.split()}
    checked = range(B) if not sample else [j * B // sample for j in range(sample)]
    rows = ((i, f({n: fr(v[i if len(v) > 1 else 0]) for n, v in inputs.items()}, single), computed[i])
            for i in checked)
    max_abs, max_rel, worst = expected_report(rows)
    want = "max abs error %.3g, max rel error %.3g (row %d, coefficient %d)" % (max_abs, max_rel, *worst)
    line = got.stderr.strip()
    head = "verify: %d of %d rows checked exactly" % (len(checked), B)
    assert line.startswith(head) and line.endswith(want), (args, line, head, want)
    return line
for expr, names, f in cases:
    for suffix in ("", "32", "p", "p32"):
        line = report(expr, names, f, suffix, 0)
        print(line)
        assert "inf" not in line or "p" not in suffix, line  # plain rows: finite errors, every row counts
        # a*b meets one row of doubles too far apart for 512 bits: redone in rationals (float32's fit)
        if expr == "a*b":
            assert ("(1 in rationals)" in line) == (suffix == "") and line.count("rationals") <= 1, line
report("(a*b)*c", "a b c", cases[1][2], "p", 7)
report("a*b", "a b", cases[0][2], "", 1)
# A computed value that overflows: infinite errors, at the first such position.
np.save("big.npy", np.array([[1.0, 2.0], [1e200, 1e200], [3.0, 1e300]]))
got = subprocess.run([pb, "eval", "big*big", "big=big.npy", "--verify", "--allow-overflow", "-o", "r.npy"],
                     capture_output=True, text=True)
assert got.returncode == 0 and got.stderr.strip().endswith("max abs error inf, max rel error inf (row 1, coefficient 0)"), got.stderr
PY
}
# expect_series FN N TOL IN.csv [S]: stdout holds FN(row(x)) mod x^N for every row of IN.csv, each coefficient
# within TOL * max(1, |exact|) of mpmath's Taylor coefficients at 80 digits (pow: the power S).
expect_series() {
  expect_ok
  python3 - "$@" <<'PY' || fail "series values differ from mpmath"
import sys
import mpmath
fn, n, tol, src = sys.argv[1], int(sys.argv[2]), mpmath.mpf(sys.argv[3]), sys.argv[4]
s = mpmath.mpf(sys.argv[5]) if len(sys.argv) > 5 else None
from fractions import Fraction
mpmath.mp.dps = 80
def num(v):  # decimals, and the exact type's p/q
    if "/" not in v:
        return mpmath.mpf(v)
    q = Fraction(v)
    return mpmath.mpf(q.numerator) / q.denominator
f = {"exp": mpmath.exp, "log": mpmath.log, "sin": mpmath.sin, "tan": mpmath.tan, "atan": mpmath.atan,
     "inv": lambda y: 1 / y, "tanh": mpmath.tanh, "pow": lambda y: mpmath.power(y, s)}[fn]
rows = [[num(v) for v in line.split(",")] for line in open(src).read().split()]
got = [[num(v) for v in line.split(",")] for line in open("out.txt").read().split()]
assert len(got) == len(rows), (len(got), len(rows))
for i, (row, out) in enumerate(zip(rows, got)):
    ref = mpmath.taylor(lambda x: f(mpmath.polyval(row[::-1], x)), 0, n - 1)
    assert len(out) == n, (i, len(out))
    for k in range(n):
        if abs(out[k] - ref[k]) > tol * max(1, abs(ref[k])):
            sys.exit(f"row {i}, coefficient {k}: got {out[k]}, mpmath {mpmath.nstr(ref[k], 20)}")
PY
}
case_series() {
  printf '0.125,1,-0.375,0.75\n2.5,-0.25,0.5,0\n0.75,0.5,0.25,0.125\n' >s.csv # exact in binary
  printf '0,0.1,-0.3,0.7\n0,2.5,0.4,-1\n' >z.csv
  run eval 'exp(a, 8)' a=s.csv; expect_series exp 8 1e-14 s.csv
  run eval 'log(a)' a=s.csv --type float; expect_series log 4 2e-6 s.csv
  run eval 'tan(a, 6)' a=s.csv --type dd; expect_series tan 6 1e-29 s.csv
  run eval 'atan(a, 7)' a=s.csv --type quad; expect_series atan 7 1e-31 s.csv
  run eval 'sin(a, 9)' a=s.csv --type mpfr:200; expect_series sin 9 1e-56 s.csv
  run eval 'inv(a, 5)' a=s.csv; expect_series inv 5 1e-14 s.csv
  run eval 'series_pow(a, -1.5, 6)' a=s.csv; expect_series pow 6 1e-14 s.csv -1.5
  run eval 'tanh(a, 6)' a=z.csv --type rational; expect_series tanh 6 1e-70 z.csv
  # Exact: tan(x + 2x^2) = x + 2x^2 + x^3/3 + 2x^4 + 62x^5/15 (sympy), and fusion with the rest of an expression.
  printf '0,1,2\n' >q.csv
  run eval 'tan(q, 6)' q=q.csv --type rational; expect_ok; expect_stdout '^0,1,2,1/3,2,62/15$'
  run eval 'div(q, 1 + q, 4) * (1 + q) - truncate(q, 4)' q=q.csv --type rational; expect_ok
  expect_stdout '^0,0,0,0,-?[0-9/]+,-?[0-9/]+$' # the first 4 coefficients cancel exactly
  run eval 'series_pow(1 + q, 0.5, 4)' q=q.csv --type rational; expect_ok; expect_stdout '^1,1/2,7/8,-7/16$'
  run eval 'exp(log(1 + q)) - truncate(1 + q, 3)' q=q.csv --type rational; expect_zeros
  # --verify checks a floating series against the exact one where it exists (constant term 0 for exp).
  run eval 'exp(a, 6)' a=z.csv --verify -o r.csv; [ "$RC" -eq 0 ] || fail "exit code"
  expect_verify_error_between 0 1e-14
  run eval 'exp(a, 6)' a=s.csv --verify -o r.csv; expect_error "--verify: .*exp\(a, n\): row 0 has constant term"
  # Errors: integer types, domains (naming the row), arguments.
  run eval 'exp(a)' a=a.npy --type int; expect_error "exp is a power-series function: it needs field coefficients .*--type int"
  printf '1,1\n-0.5,1\n' >neg.csv
  run eval 'log(a)' a=neg.csv; expect_error "pb::series::log\(a, n\): row 1 has constant term -0.5"
  run eval 'inv(a - a)' a=s.csv; expect_error "pb::series::inv\(a, n\): row 0 has constant term 0"
  run eval 'exp(a, 0)' a=s.csv; expect_error "needs n >= 1"
  run eval 'exp(a, b)' a=s.csv b=s.csv; expect_error "the series length n must be a non-negative integer literal"
  run eval 'series_pow(a, b)' a=s.csv b=s.csv; expect_error "the exponent s of series_pow\(a, s\[, n\]\) must be a number"
  run eval 'div(a, b)' a=s.csv b=z.csv; expect_error "shape mismatch"
  run eval 'exp(a, 2, 3)' a=s.csv; expect_error "exp takes 1 or 2 arguments, got 3: exp\(a\[, n\]\)" 3
}
case_threads_and_progress() {
  # 20,000 rows: the product has 220,000 coefficients, above the threading
  # threshold (2^16), so --threads 2 and 3 really split the batch.
  gen_rows 20000 5 1 >ta.csv; gen_rows 20000 7 2 >tb.csv
  ref_rows product ta.csv tb.csv >want.txt
  run eval 'a*b' a=ta.csv b=tb.csv --threads 3 --type int; expect_rows want.txt
  POLYBATCH_NUM_THREADS=2 run eval 'a*b' a=ta.csv b=tb.csv --type int; expect_rows want.txt
  gen_rows 20000 5 3 10 >da.csv; gen_rows 20000 7 4 10 >db.csv # decimals: rounding differs if rows are cut differently
  run eval '(a*b)*a - b' a=da.csv b=db.csv --threads 1 -o t1.csv; expect_ok
  run eval '(a*b)*a - b' a=da.csv b=db.csv --threads 2 -o t2.csv; expect_ok
  run eval '(a*b)*a - b' a=da.csv b=db.csv --threads 3 -o t3.csv; expect_ok
  cmp -s t1.csv t2.csv || fail "results depend on the thread count (1 vs 2)"
  cmp -s t1.csv t3.csv || fail "results depend on the thread count (1 vs 3)"
  [ "$(wc -l <t3.csv)" -eq 20000 ] || fail "expected 20000 rows"
  run eval '(a*b)*a - b' a=da.csv b=db.csv -o p.csv; expect_ok # stderr is not a terminal: no bar
  cmp -s p.csv t1.csv || fail "results depend on the thread count (default)"
  run eval '(a*b)*a - b' a=da.csv b=db.csv -o p.csv --progress
  [ "$RC" -eq 0 ] || fail "exit code"
  grep -q 'evaluating \[' err.txt || fail "--progress shows a bar on stderr"
  cmp -s p.csv t1.csv || fail "--progress changed the result"
  run eval 'a*b' a=a.npy b=b.npy -o p.csv --time; [ "$RC" -eq 0 ] || fail "exit code"
  grep -q 'compute' err.txt || fail "--time"
  # POLYBATCH_NUM_THREADS is validated like --threads: anything but a count from 1 to 1024 is a usage
  # error naming it (not silently replaced by the default, nor 99999 threads started)
  for bad in abc 0 -1 4x 99999 18446744073709551617; do
    POLYBATCH_NUM_THREADS=$bad run eval 'a*b' a=ta.csv b=tb.csv --type int
    expect_usage "POLYBATCH_NUM_THREADS='$bad' is not a thread count \(an integer from 1 to 1024\)"
    POLYBATCH_NUM_THREADS=$bad run roots p=ta.csv; expect_usage "POLYBATCH_NUM_THREADS='$bad'"
  done
  # set but empty is as unset
  POLYBATCH_NUM_THREADS= run eval 'a*b' a=ta.csv b=tb.csv --type int; expect_rows want.txt
  # --threads decides, whatever the variable holds
  POLYBATCH_NUM_THREADS=abc run eval 'a*b' a=ta.csv b=tb.csv --type int --threads 2; expect_rows want.txt
}

# ---------------------------------------------------------------- errors
case_parse_errors() {
  run eval 'a * )' a=a.npy; expect_error 'parse error at column 5' 3
  [ "$(sed -n 3p err.txt)" = "      ^" ] || fail "the caret must sit under column 5"
  run eval '(a*b' a=a.npy b=b.npy; expect_error "column 5: expected '\)' to close the '\(' at column 1" 3
  run eval 'a / b' a=a.npy b=b.npy; expect_error "column 3: '/' is not an operator" 3
  run eval 'a^-1' a=a.npy; expect_error "column 3: negative powers" 3
  run eval 'a^1.5' a=a.npy; expect_error "non-negative integer exponent" 3
  run eval 'a b' a=a.npy b=b.npy; expect_error "column 3: expected an operator" 3
  run eval 'foo(a)' a=a.npy; expect_error "column 1: unknown function 'foo'" 3
  run eval 'derivative(a, a)' a=a.npy; expect_error "derivative takes 1 argument, got 2" 3
  run eval '' a=a.npy; expect_error "column 1: expected a number, a name or '\(', found the end" 3
  run eval '2a' a=a.npy; expect_error "column 2: a number cannot run into a name" 3
  run eval 'a $ b' a=a.npy; expect_error "unexpected character" 3
}
case_name_and_shape_errors() {
  run eval 'a*c' a=a.npy b=b.npy; expect_error "unknown name 'c' at column 3: no c=FILE was given \(given: a, b\)"
  run eval 'a*m' a=a.npy m=m3.npy; expect_error "shape mismatch: a \(a.npy\) is 4 x 5 but m \(m3.npy\) is 3 x 5"
  run eval 'a + (b*m)' a=a.npy b=b.npy m=m3.npy; expect_error "in '\(b\*m\)' \(column 5\): shape mismatch: b \(b.npy\) is 4 x 7 but m \(m3.npy\) is 3 x 5"
  run eval 'a^1000000' a=a.npy; expect_error "coefficients per row"
  # An exact constant's power has k times its digits: bounded as the length is (2^999999999 took hours).
  echo 2 >two.csv
  echo 2,1 >two_one.csv
  run eval 'a^999999999' a=two.csv --type rational; expect_error "more than 1048575 times the digits of the inputs \(the exponent 999999999"
  run eval '(a^1024)^1025' a=two.csv --type rational; expect_error "more than 1048575 times the digits"
  run eval '(a^32)^32 - a^1024' a=two.csv --type rational; expect_zeros
  # ... and so is a row's length times its digits: (2 + x)^1048575 would be 128 GB a row.
  run eval 'a^1048575' a=two_one.csv --type rational; expect_error "more than 2\^30 times the digits of an input value \(1048576 coefficients"
  run eval 'series_pow(a, 1048576, 1048576)' a=two_one.csv --type rational; expect_error "more than 2\^30 times the digits of an input value \(1048576 coefficients"
  run eval 'exp(a, 40000)' a=two_one.csv --type rational; expect_error "more than 2\^30 times the digits"
  run eval 'inv(a, 8) * exp(a - 2, 8)' a=two_one.csv --type rational; expect_ok
  # A series inside a power counts its real growth: n (given or implied by the row) and |s| of any sign.
  run eval 'series_pow(a, -1048576, 2)^1000' a=two_one.csv --type rational; expect_error "more than 1048575 times the digits"
  seq -s, 2 30001 >long_row.csv
  run eval 'inv(a)^34' a=long_row.csv --type rational; expect_error "more than (1048575|2\^30) times the digits"
  run eval 'series_pow(a, 1000000000, 2)' a=two_one.csv --type rational; expect_error "needs s <= 1048576"
  run eval 'truncate(a, 0)' a=a.npy; expect_error "n >= 1"
  run eval 'eval_at(a, b)' a=a.npy b=b.npy; expect_error "must be a number"
  run eval 'convolve(a, b, middle)' a=a.npy b=b.npy; expect_error "full, same or valid"
  run eval '0.5*a' a=a.npy --type int; expect_error "'0.5' is not an integer for --type int"
  # decimals whose value is an integer are read exactly (numpy.savetxt writes 1 as 1.000000000000000000e+00)
  printf '1.0,1e3,-2.50e1\n1.000000000000000000e+00,0,7\n' >integral.csv
  for t in int rational; do
    run eval 'a' a=integral.csv --type "$t"; expect_ok
    [ "$(cat out.txt)" = "$(printf '1,1000,-25\n1,0,7')" ] || fail "integral decimals read as $(cat out.txt)"
  done
  printf '1.5e0\n' >half.csv
  run eval 'a' a=half.csv --type int; expect_error "'1.5e0' is not an integer"
}
case_file_errors() {
  run eval 'x' x=missing.npy; expect_error "missing.npy: cannot open"
  run eval 'x' x=a.txt; expect_error "a.txt: unknown input format"
  run eval 'x' x=complex.npy; expect_error "complex.npy: unsupported dtype '<c16'"
  run eval 'x' x=bigendian.npy; expect_error "unsupported dtype '>f8'"
  run eval 'x' x=cube.npy; expect_error "cube.npy: an array of 3 dimensions is not a batch"
  run eval 'x' x=empty.npy; expect_error "empty.npy: empty array of shape \(0, 3\)"
  run eval 'x' x=empty_1d.npy; expect_error "empty_1d.npy: empty array of shape \(0,\)"
  run eval 'x' x=truncated.npy; expect_error "truncated.npy: truncated .npy file: shape \(4, 5\) of float64 needs 160 bytes of data, the file has 147"
  run eval 'x' x=truncated_header.npy; expect_error "truncated_header.npy: truncated .npy file"
  run eval 'x' x=not_npy.npy; expect_error "not_npy.npy: not an .npy file"
  run eval 'x' x=bad_header.npy; expect_error "bad_header.npy: corrupt .npy header"
  run eval 'x' x=ragged.csv; expect_error "ragged.csv:3: ragged rows: line 3 has 2 values, line 1 has 3"
  run eval 'x' x=nonnum.csv; expect_error "nonnum.csv:2: value 2: 'five' is not a number"
  run eval 'x' x=overflow.csv --type int; expect_error "overflow.csv:2: value 2: '99999999999999999999' overflows a 64-bit integer"
  run eval 'x' x=bigint.csv --type int; expect_error "overflows a 64-bit integer"
  run eval 'x * x' x=huge_i64.csv --type int; expect_error "product of integer polynomials: integer overflow in row 0, coefficient 0: .* \(--type rational evaluates it exactly\)$"
  run eval 'x + x' x=huge_i64.csv --type int; expect_error "integer overflow in row 0, coefficient 0"
  run eval 'x' x=rational.csv --type int; expect_error "'1/3' is not a number"
  run eval 'x' x=empty.csv; expect_error "empty.csv: no polynomials"
  run eval 'x' x=half.npy --type int; expect_error "half.npy: coefficient \(row 0, column 0\) = 0.5 cannot be held exactly by --type int"
  run eval 'x' x=big_i64.npy --type double; expect_error "big_i64.npy: coefficient \(row 0, column 0\) = 9007199254740993 cannot be held exactly by --type double"
  run eval 'x' x=a.npy -o r.npy --type rational; expect_error "r.npy: .npy holds float32/float64/int64 only"
  run eval 'x' x=a.npy -o r.txt; expect_error "r.txt: unknown output format"
}
case_float_overflow() {
  # A floating result beyond the type's range is an error naming its row and
  # coefficient, and no output is written; infinities and NaNs in the inputs
  # propagate as IEEE arithmetic has them.
  printf '1,2\n1e200,3\n4,5\n' >big.csv
  run eval 'a*a' a=big.csv; expect_error "overflowed double at row 1, coefficient 0 \(inf\) though every input value"
  echo keep >r.csv && cp r.csv keep.csv
  run eval 'a*a' a=big.csv -o r.csv; expect_error "row 1, coefficient 0"
  cmp -s r.csv keep.csv || fail "an overflowed result replaced the output"
  run eval 'a*a' a=big.csv -o r.npy; expect_error "row 1, coefficient 0"
  [ ! -e r.npy ] || fail "an overflowed result was written to r.npy"
  expect_clean_dir
  run eval -- '-(a*a)' a=big.csv; expect_error "row 1, coefficient 0 \(-inf\)"
  run eval 'exp(a, 3)' a=big.csv; expect_error "row 1, coefficient 0 \(inf\)"
  # inf - inf: a NaN.
  printf '1e200\n' >p.csv
  run eval 'p*p - p*p' p=p.csv; expect_error "overflowed double at row 0, coefficient 0 \(nan\)"
  # The same values are in range for a type with a wider exponent.
  for t in quad mpfr:64 rational; do
    run eval 'a*a' a=big.csv --type "$t"; expect_ok
  done
  printf '1e30,1\n' >f.csv
  run eval 'a*a' a=f.csv --type float; expect_error "overflowed float at row 0.*--type double, quad"
  run eval 'a*a' a=f.csv --type dd; expect_ok
  # --allow-overflow writes it as it is.
  run eval 'a*a' a=big.csv --allow-overflow; expect_ok
  [ "$(sed -n 2p out.txt)" = "inf,6e+200,9" ] || fail "--allow-overflow wrote $(sed -n 2p out.txt)"
  # An infinite input row propagates; a later row that overflows is still named.
  printf 'inf,1\n1,2\n1e300,1\n' >inf.csv
  run eval 'a*a' a=inf.csv; expect_error "overflowed double at row 2, coefficient 0"
  printf 'inf,1\nnan,2\n' >nonfinite.csv
  run eval 'a*a' a=nonfinite.csv; expect_ok
  [ "$(sed -n 1p out.txt)" = "inf,inf,1" ] || fail "an infinite input gave $(sed -n 1p out.txt)"
  # A broadcast row of one holding an infinity feeds every row; an input the
  # expression does not read excuses none (and, shorter, is not read).
  printf 'inf\n' >one.csv
  run eval 'a*w' a=big.csv w=one.csv; expect_ok
  run eval 'a*a' a=big.csv w=one.csv; expect_error "overflowed double at row 1, coefficient 0"
  printf '1,2\n3,4\n1e200,5\n' >late.csv
  printf 'inf\n2\n' >two.csv
  run eval 'a*a' a=late.csv b=two.csv; expect_error "overflowed double at row 2, coefficient 0"
  # The wider types named are wider than the one that overflowed.
  printf '1e3000\n' >q3.csv
  run eval 'a*a' a=q3.csv --type quad; expect_error "overflowed quad .*range \(--type mpfr:BITS or rational\)"
  run eval 'a*a' a=big.csv --type dd; expect_error "overflowed dd .*range \(--type quad, mpfr:BITS or rational\)"
  # Every place of the scan's chunks of 256 values: their ends and the last value.
  for at in 0 255 256 599; do
    for t in double float; do
      big=1e300 && [ "$t" = float ] && big=1e30
      awk -v at="$at" -v big="$big" 'BEGIN { for (i = 0; i < 300; i++) {
        x = (2 * i == at) ? big : i; y = (2 * i + 1 == at) ? "-" big : 1; print x "," y } }' >edge.csv
      run eval '1e10*a' a=edge.csv --type "$t"
      expect_error "overflowed $t at row $((at / 2)), coefficient $((at % 2)) \\($([ $((at % 2)) = 1 ] && echo -)inf\\)"
    done
  done
  # Streamed .npy output, in blocks (the progress bar makes them 1% of the rows):
  # the row named is the batch's, not the block's.
  awk 'BEGIN { for (i = 0; i < 300; i++) print (i == 257 ? "1e300" : i) ",1" }' >rows.csv
  run eval 'a*a' a=rows.csv -o r.npy --progress
  grep -q "overflowed double at row 257, coefficient 0" err.txt || fail "the streamed output named another row"
  [ ! -e r.npy ] || fail "an overflowed streamed result was written to r.npy"
  expect_clean_dir
  # Each thread scans its rows in pieces of 256 KiB (10,922 rows of 3 doubles):
  # the lowest row that overflowed is named whichever thread found it, in a
  # later piece too, and in the last row.
  # (Two threads split the rows at 20,000.)
  for rows_at in "15000 30000" "20000 39999" "39999"; do
    awk -v at="$rows_at" 'BEGIN { n = split(at, r, " "); for (i = 0; i < 40000; i++) { x = i % 7
      for (j = 1; j <= n; j++) if (i == r[j]) x = "1e300"; print x ",1" } }' >many.csv
    want=${rows_at%% *}
    for threads in 1 2; do
      for out in out.csv r.npy; do
        run eval 'a*a' a=many.csv --threads "$threads" -o "$out"
        expect_error "overflowed double at row $want, coefficient 0"
        [ ! -e "$out" ] || fail "$threads threads: an overflowed result was written to $out"
      done
    done
  done
  run eval 'a*a' a=many.csv --threads 2 --allow-overflow -o r.npy; expect_ok
  rm -f r.npy
  # An evaluation error in the same rows is reported, not the overflow, with
  # any thread count: rows 5 (overflow) and 30,000 (log of a zero constant term).
  awk 'BEGIN { for (i = 0; i < 40000; i++) print (i == 30000 ? 0 : 1) "," (i == 5 ? "1e300" : 2) }' >mixed.csv
  for threads in 1 2; do
    run eval 'log(a) + a*a' a=mixed.csv --threads "$threads" -o r.npy
    expect_error "pb::series::log\(a, n\): row 30000 has constant term 0"
  done
}
case_output_is_atomic() {
  echo keep >r.npy
  cp r.npy keep.npy
  run eval 'a*m' a=a.npy m=m3.npy -o r.npy; expect_error "shape mismatch"
  cmp -s r.npy keep.npy || fail "a failed run clobbered the existing output"
  run eval 'x' x=truncated.npy -o r.npy; expect_error "truncated"
  cmp -s r.npy keep.npy || fail "a failed run clobbered the existing output"
  mkdir sub && chmod 555 sub
  if [ ! -w sub ]; then
    run eval 'a' a=a.npy -o sub/r.npy; expect_error "sub/r.npy: cannot create a temporary file"
  fi
  chmod 755 sub
  run eval 'a*b' a=a.npy b=b.npy -o r.npy; expect_ok
  ! cmp -s r.npy keep.npy || fail "a successful run must replace the output"
  # A name of 250 bytes (legal: NAME_MAX is 255) though its temporary's would not be.
  long=$(printf 'x%.0s' $(seq 246)).csv
  run eval 'a*b' a=a.npy b=b.npy -o "$long"; expect_ok
  run eval 'a*b' a=a.npy b=b.npy -o ref.csv; expect_ok
  cmp -s "$long" ref.csv || fail "the output with a long name differs"
  # A FIFO (or a device) is written in place, as the shell's > writes it: the
  # reader gets the result and the FIFO stays a FIFO.
  mkfifo pipe.csv
  (timeout 20 cat pipe.csv >from_pipe.csv) &
  local reader=$!
  run eval 'a*b' a=a.npy b=b.npy -o pipe.csv; expect_ok
  wait "$reader" || fail "the reader of the FIFO did not finish"
  [ -p pipe.csv ] || fail "the FIFO was replaced by a regular file"
  cmp -s from_pipe.csv ref.csv || fail "the reader of the FIFO got something else"
  ln -s /dev/null null.csv
  run eval 'a*b' a=a.npy b=b.npy -o null.csv; expect_ok
  [ -c /dev/null ] && [ -L null.csv ] || fail "/dev/null or the link to it was replaced"
  expect_clean_dir
}

# Values that do not fit their type are errors, never wrapped or rounded to
# an infinity or zero; one sign per number; a link and a file's permissions
# survive an output written through them; counts are not negative.
case_ranges_and_outputs() {
  printf '1000000000000000000,1000000000000000000\n' >big.csv
  run eval 'eval_at(a, 10)' a=big.csv --type int; expect_error "evaluate\(a, x\): integer overflow in row 0"
  printf '1,1\n' >small.csv
  run eval 'eval_at(a, 10)' a=small.csv --type int; expect_ok
  expect_stdout '^11$'
  printf '1\n' >unit.csv
  run eval '3037000500*3037000500*a' a=unit.csv --type int; expect_error "integer overflow: the value does not fit a 64-bit"
  run eval '9223372036854775807+1+a' a=unit.csv --type int; expect_error "integer overflow"
  run eval --type int -- '-(0-9223372036854775807-1)*a' a=unit.csv; expect_error "integer overflow"
  run eval '9223372036854775806+1+0*a' a=unit.csv --type int; expect_ok
  expect_stdout '^9223372036854775807$'
  printf '1e5000,1\n' >huge.csv
  printf '1e-5000,1\n' >tiny.csv
  for t in quad dd; do
    run eval 'a' a=huge.csv --type "$t"; expect_error "'1e5000' is out of range"
  done
  printf '1e999999999,1\n' >vast.csv # beyond MPFR's exponent range
  run eval 'a' a=vast.csv --type mpfr:64; expect_error "'1e999999999' is out of range"
  for t in quad dd; do
    run eval 'a' a=tiny.csv --type "$t"; expect_error "'1e-5000' is out of range"
  done
  printf '+-5,2\n' >signs.csv
  for t in double int rational dd quad; do
    run eval 'a' a=signs.csv --type "$t"; expect_error "'\+-5' is not a number"
  done
  printf '+5,2\n' >plus.csv
  run eval 'a' a=plus.csv --type int; expect_ok
  expect_stdout '^5,2$'
  run eval 'a*a' a=a.npy --verify --verify-rows -1; expect_usage "verify-rows"
  run demo --exact-rows -1; expect_usage "exact-rows"
  # an output through a symbolic link replaces the file it names; the
  # replaced file keeps its permissions
  run eval 'a' a=a.npy -o real.npy; expect_ok
  ln -s real.npy link.npy
  chmod 600 real.npy
  run eval '2*a' a=a.npy -o link.npy; expect_ok
  [ -L link.npy ] || fail "the symbolic link was replaced by a file"
  [ "$(stat -c %a real.npy)" = 600 ] || fail "the output lost its permissions: $(stat -c %a real.npy)"
  run eval 'r - 2*a' r=real.npy a=a.npy; expect_zeros
  expect_clean_dir
}

case_roots() {
  # Random rows (seed logged) plus a row of lower degree, a zero row, two zero roots and a constant.
  /usr/bin/python3 - <<'PY' || fail "could not write the inputs"
import numpy as np
seed = 20240611
print("seed", seed)
rng = np.random.default_rng(seed)
a = rng.standard_normal((40, 7))
a[3, 5:] = 0          # degree 4 in 6 places
a[4] = 0              # zero row: all NaN
a[5, :2] = 0          # two roots exactly 0
a[6, 1:] = 0          # nonzero constant: all NaN
a[7] *= 1e200         # huge coefficients
np.save("p.npy", a)
np.save("p32.npy", a[8:].astype(np.float32))
np.savetxt("p.csv", a[:12], delimiter=",", fmt="%.17g")
bad = a.copy(); bad[9, 2] = np.nan
np.save("pnan.npy", bad)
PY
  run roots p=p.npy -o z.npy; expect_ok
  run roots p.csv -o z.csv; expect_ok
  run roots p=p32.npy -o z32.npy; expect_ok
  run roots p=p.npy --type longdouble -o zl.csv; expect_ok
  run roots p=p.npy --type longdouble -o zl.npy; expect_ok
  run roots p.csv; expect_ok
  cp out.txt zstdout.csv
  /usr/bin/python3 - <<'PY' || fail "roots differ from numpy.roots"
import numpy as np
a = np.load("p.npy")
z = np.load("z.npy")
assert z.dtype == np.complex128 and z.shape == (40, 6), (z.dtype, z.shape)
def check(row, got, tol):
    c = np.trim_zeros(row, "b")
    ref = np.roots(c[::-1]) if len(c) > 1 else np.array([])
    fin = got[np.isfinite(got)]
    assert len(fin) == len(ref), (row, got, ref)
    assert np.all(np.isnan(got[len(fin):])), got
    key = [(x.real, x.imag) for x in fin]
    assert key == sorted(key), ("not sorted", got)
    left = list(ref)
    for x in fin:
        d = [abs(x - r) for r in left]
        k = int(np.argmin(d))
        assert d[k] <= tol * max(1.0, abs(x)), (row, x, left)
        left.pop(k)
for i in range(40):
    check(a[i], z[i], 1e-7)
assert np.all(np.isnan(z[4])) and np.all(np.isnan(z[6]))
assert np.sum(z[5] == 0) == 2
csv = np.loadtxt("z.csv", delimiter=",")
assert csv.shape == (12, 12)
assert np.array_equal(csv[:, 0::2] + 1j * csv[:, 1::2], z[:12], equal_nan=True), "csv != npy"
out = np.loadtxt("zstdout.csv", delimiter=",")
assert np.array_equal(out, csv, equal_nan=True), "stdout != csv"
z32 = np.load("z32.npy")
assert z32.dtype == np.complex64 and z32.shape == (32, 6), (z32.dtype, z32.shape)
for i in range(32):
    check(a[8 + i].astype(np.float32).astype(np.float64), z32[i].astype(np.complex128), 2e-2)
zl = np.loadtxt("zl.csv", delimiter=",")
zl = zl[:, 0::2] + 1j * zl[:, 1::2]
assert np.array_equal(np.isnan(zl), np.isnan(z)), "long double roots: NaN places differ"
for i in range(40):  # matched as sets: a conjugate pair may come in either order
    fin = z[i][np.isfinite(z[i])]
    left = list(zl[i][np.isfinite(zl[i])])
    for x in fin:
        d = [abs(x - r) for r in left]
        k = int(np.argmin(d))
        assert d[k] <= 1e-9 * max(1.0, abs(x)), ("long double roots differ", i, x, left)
        left.pop(k)
zln = np.load("zl.npy")
assert zln.dtype == np.clongdouble and zln.shape == (40, 6)
assert np.array_equal(zln.astype(np.complex128), zl, equal_nan=True), "long double .npy != .csv"
PY
  run roots p=p.npy --verify -o zv.npy
  [ "$RC" -eq 0 ] || fail "--verify: expected exit code 0"
  # rows 4 (zero) and 5 (a double root at 0) cannot be isolated
  grep -Eq '^verify_roots: max_radius = [0-9.e+-]+, 38 of 40 rows isolated' err.txt || fail "--verify report"
  grep -q '^rows not isolated (first 2): 4, 5$' err.txt || fail "--verify: rows not isolated"
  cmp -s zv.npy z.npy || fail "--verify changed the roots"
  run roots p=p.npy --threads 1 -o z1.npy; expect_ok
  cmp -s z1.npy z.npy || fail "the roots depend on the thread count"
  run roots p=pnan.npy -o zn.npy; expect_error "pnan.npy: roots\(a\): row 9 .*non-finite coefficient \(coefficient 2\)"
  [ ! -e zn.npy ] || fail "a failed run left an output"
  run roots p=p.npy -o z.txt; expect_error "z.txt: unknown output format"
  run roots p=missing.npy -o z.npy; expect_error "missing.npy"
  run roots p=ragged.csv; expect_error "ragged.csv"
  run roots p=p.npy --type int; expect_usage "--type"
  run roots; expect_usage "required"
}

"case_$CASE"
echo "ok [$CASE]"
