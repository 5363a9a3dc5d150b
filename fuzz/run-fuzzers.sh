#!/usr/bin/env bash
# run-fuzzers.sh — configure, build and run the libFuzzer harnesses of fuzz/,
# then print a summary table (also written to <build-dir>/fuzz-summary.md).
#
#   bash fuzz/run-fuzzers.sh                    # every fuzzer 600 s (the documented run)
#   bash fuzz/run-fuzzers.sh --seconds 10       # smoke test
#   bash fuzz/run-fuzzers.sh --seconds 60 --jobs 2 fuzz-sse fuzz-router
#
# Options: --seconds N (per fuzzer, default $MV_FUZZ_SECONDS or 600), --jobs N
# (fuzzers at once, default 1), --build-dir DIR (default build-fuzz),
# --no-build (use the binaries as built; what the `fuzz` CMake target passes).
# Each fuzzer runs on a copy of its checked-in seeds in <build-dir>/fuzz-corpus/<name>
# (fuzz/corpus is never written), with -timeout=10 (hang = finding),
# -rss_limit_mb=2048, leak detection on; crashes land in
# <build-dir>/fuzz-artifacts/<name>/, logs in <build-dir>/fuzz-logs/<name>.log.
# Exit status: 0 when every fuzzer finished without a finding, 1 otherwise.
set -euo pipefail

src_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$src_dir")"
seconds="${MV_FUZZ_SECONDS:-600}"
jobs=1
build_dir="$root/build-fuzz"
build=1
selected=()
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    fuzz-*) selected+=("$1"); shift ;;
    *) echo "run-fuzzers.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# name, -max_len, dictionary (none: -)
fuzzers=(
  "fuzz-sse 16384 sse.dict"
  "fuzz-timeline 16384 json.dict"
  "fuzz-api-answer 131072 json.dict"
  "fuzz-jobs-settings 16384 json.dict"
  "fuzz-router 4096 router.dict"
  "fuzz-media-probe 32768 -"
)

if ((build)); then
  if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
    CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -DMV_FUZZ=ON -DMV_BUILD_PLUGIN=OFF -DMV_BUILD_TESTS=OFF
  fi
  cmake --build "$build_dir" --target fuzzers -j2
fi

bin_dir="$build_dir/fuzz"
mkdir -p "$build_dir/fuzz-logs"

run_one() {  # name max_len dict
  local name="$1" max_len="$2" dict="$3"
  local corpus="$build_dir/fuzz-corpus/$name" artifacts="$build_dir/fuzz-artifacts/$name/"
  local log="$build_dir/fuzz-logs/$name.log"
  mkdir -p "$corpus" "$artifacts"
  cp -n "$src_dir/corpus/$name/"* "$corpus/" 2>/dev/null || true
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len"
              -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts")
  [[ "$dict" != "-" ]] && args+=(-dict="$src_dir/$dict")
  local rc=0
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}" \
    "$bin_dir/$name" "${args[@]}" "$corpus" >"$log" 2>&1 || rc=$?
  echo "$rc" >"$log.rc"
}

summarize() {  # name -> one table row
  local name="$1" log="$build_dir/fuzz-logs/$1.log"
  local rc execs eps cov ft corp result last
  rc="$(cat "$log.rc" 2>/dev/null || echo 1)"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  eps="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  last="$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)"
  cov="$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")"
  ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")"
  corp="$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[A-Za-z]*\).*/\1/p' <<<"$last")"
  if [[ -z "$execs" ]]; then execs="$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")"; fi
  if [[ "$rc" == 0 ]]; then
    result="ok"
  elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then result="HANG"
  elif grep -q 'ERROR: LeakSanitizer' "$log"; then result="LEAK"
  elif grep -q 'out-of-memory' "$log"; then result="OOM"
  elif grep -q 'runtime error:' "$log"; then result="UB"
  elif grep -q 'fuzz invariant violated' "$log"; then result="INVARIANT"
  elif grep -q 'ERROR: AddressSanitizer' "$log"; then result="ASAN"
  else result="CRASH (rc $rc)"; fi
  if [[ "$result" != ok ]]; then
    local art
    art="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)"
    [[ -n "$art" ]] && result="$result: $art"
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$seconds" "${execs:-?}" "${eps:-?}" "${cov:-?}" \
    "${ft:-?}" "${corp:-?}" "$result"
}

names=()
for entry in "${fuzzers[@]}"; do
  read -r name max_len dict <<<"$entry"
  if ((${#selected[@]})) && [[ ! " ${selected[*]} " == *" $name "* ]]; then continue; fi
  names+=("$name")
  echo "== $name: ${seconds} s (log: $build_dir/fuzz-logs/$name.log)"
  run_one "$name" "$max_len" "$dict" &
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
done
wait

summary="$build_dir/fuzz-summary.md"
{
  echo "Fuzzing run of $(date -u +%Y-%m-%dT%H:%MZ), $(clang --version | head -1), ${seconds} s per fuzzer, ${jobs} at a time"
  echo
  echo "| fuzzer | seconds | execs | exec/s | cov | ft | corpus (units/bytes) | result |"
  echo "|---|---|---|---|---|---|---|---|"
  for name in "${names[@]}"; do summarize "$name"; done
} >"$summary"
cat "$summary"
if grep '^| fuzz-' "$summary" | grep -qv '| ok |$'; then exit 1; fi
