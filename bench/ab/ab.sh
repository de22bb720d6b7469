#!/usr/bin/env bash
# Compares builds of the same exact product on a machine whose speed drifts:
# every include directory given is built into its own shared library and all
# are timed in one process, alternately (ab_main.cpp).
#   bash bench/ab/ab.sh INCLUDE_DIR...
# Environment: AB_OP (product, the default; sum: a + b; derivative: derivative(a); cube: pow(a, 3); power:
# pow(a, AB_EXPONENT), default 3; the last three read the first length of each shape only), AB_SCALAR (default mp::mpz_int; mp::cpp_int, mp::cpp_rational, ...), AB_RATIONAL_BOUND
# (rationals: numerators and denominators below it), AB_FLAGS (default -march=native),
# AB_SHAPES (default "5 7,9 9"), AB_ROWS (default 1000), AB_CALLS (default 3000), AB_COPY_FLOOR (set: time
# bench_exact's copy floor of the same bytes alongside, for each operation; for mpz_int it follows the handles to the limbs,
# AB_COPY_FLOOR=handles copies the handles only), AB_FLINT (set: time FLINT's product alongside), AB_NAIVE (set:
# time the naive Boost loop `acc += a * b` alongside, the floating types' reference), CXX (default g++).
# Floating types (mp::cpp_dec_float_50, mp::cpp_bin_float_quad, ...) get values in (-1/3, 1/3) with all their digits.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 INCLUDE_DIR..." >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cxx=${CXX:-g++}
case ${AB_OP:-product} in
  product) op_flag= ;;
  sum) op_flag=-DAB_SUM ;;
  derivative) op_flag=-DAB_DERIVATIVE ;;
  cube) op_flag=-DAB_CUBE ;;
  power)
    [[ ${AB_EXPONENT:-3} =~ ^[1-9][0-9]?$ ]] || { echo "$0: AB_EXPONENT must be an integer from 1 to 99, not '${AB_EXPONENT}'" >&2; exit 2; }
    op_flag="-DAB_CUBE -DAB_EXPONENT=${AB_EXPONENT:-3}" ;;
  *) echo "$0: AB_OP must be product, sum, derivative, cube or power, not '$AB_OP'" >&2; exit 2 ;;
esac
if { [ "${AB_OP:-product}" = cube ] || [ "${AB_OP:-product}" = power ]; } && [ -n "${AB_COPY_FLOOR:-}" ]; then
  echo "$0: AB_COPY_FLOOR copies a product's, a sum's or a derivative's bytes; it does not go with AB_OP=${AB_OP}" >&2
  exit 2
fi
if [ -n "$op_flag" ] && [ -n "${AB_NAIVE:-}" ]; then
  echo "$0: AB_NAIVE stands in for a product; it does not go with AB_OP=${AB_OP}" >&2
  exit 2
fi
libs=()
pids=()
i=0
for inc in "$@"; do
  lib="$out/build$i-$(basename "$(dirname "$(realpath "$inc")")").so"
  # shellcheck disable=SC2086
  $cxx -std=c++20 -O3 ${AB_FLAGS:--march=native} -DNDEBUG -DAB_SCALAR="${AB_SCALAR:-mp::mpz_int}" $op_flag ${AB_RATIONAL_BOUND:+-DAB_RATIONAL_BOUND=$AB_RATIONAL_BOUND} -fPIC -shared \
    -fvisibility=hidden -fvisibility-inlines-hidden -I"$inc" "$here/ab_product.cpp" -o "$lib" -lgmp &
  pids+=($!)
  libs+=("$lib")
  i=$((i + 1))
done
$cxx -std=c++20 -O2 "$here/ab_main.cpp" -o "$out/ab_main" -ldl
# AB_COPY_FLOOR=1: one more library that copies the same bytes (bench_exact's
# copy floor), timed alternately with the builds.
# For mpz_int, whose limbs are on GMP's heap, the copy follows each handle to
# its limb (AB_COPY_FLOOR=handles: the 16-byte handles only).
if [ -n "${AB_COPY_FLOOR:-}" ]; then
  lib="$out/copy-floor.so"
  heap=
  [ "${AB_SCALAR:-mp::mpz_int}" = mp::mpz_int ] && [ "$AB_COPY_FLOOR" != handles ] && heap=-DAB_GMP_HEAP
  # shellcheck disable=SC2086
  $cxx -std=c++20 -O3 ${AB_FLAGS:--march=native} -DNDEBUG -DAB_SCALAR="${AB_SCALAR:-mp::mpz_int}" -DAB_COPY_FLOOR $heap $op_flag -fPIC \
    -shared -fvisibility=hidden -fvisibility-inlines-hidden -I"$1" "$here/ab_product.cpp" -o "$lib" -lgmp &
  pids+=($!)
  libs+=("$lib")
fi
# AB_NAIVE=1: one more library running the naive Boost loop on the same values.
if [ -n "${AB_NAIVE:-}" ]; then
  lib="$out/naive-loop.so"
  # shellcheck disable=SC2086
  $cxx -std=c++20 -O3 ${AB_FLAGS:--march=native} -DNDEBUG -DAB_SCALAR="${AB_SCALAR:-mp::mpz_int}" -DAB_NAIVE -fPIC \
    -shared -fvisibility=hidden -fvisibility-inlines-hidden -I"$1" "$here/ab_product.cpp" -o "$lib" -lgmp &
  pids+=($!)
  libs+=("$lib")
fi
# AB_FLINT=1: one more library running FLINT's product (fmpz_poly_mul, or
# fmpq_poly_mul with AB_RATIONAL_BOUND) on the same values.
if [ -n "${AB_FLINT:-}" ]; then
  lib="$out/flint.so"
  # shellcheck disable=SC2086
  $cxx -std=c++20 -O3 ${AB_FLAGS:--march=native} -DNDEBUG -DAB_SCALAR="${AB_SCALAR:-mp::mpz_int}" \
    $op_flag ${AB_RATIONAL_BOUND:+-DAB_RATIONAL_BOUND=$AB_RATIONAL_BOUND} -DAB_FLINT -fPIC -shared -fvisibility=hidden \
    -fvisibility-inlines-hidden -I"$1" "$here/ab_product.cpp" -o "$lib" -lflint -lgmp &
  pids+=($!)
  libs+=("$lib")
fi
for pid in "${pids[@]}"; do wait "$pid"; done
IFS=, read -ra shapes <<<"${AB_SHAPES:-5 7,9 9}"
for shape in "${shapes[@]}"; do
  # shellcheck disable=SC2086
  "$out/ab_main" $shape "${AB_ROWS:-1000}" "${AB_CALLS:-3000}" "${libs[@]}"
done
