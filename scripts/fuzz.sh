#!/usr/bin/env bash
# Runs the libFuzzer targets built by the "fuzz" preset.
#   scripts/fuzz.sh run EXE SEEDS_FILE WORK_DIR [libFuzzer options...]
#       one target: new inputs go to WORK_DIR/corpus, crashes to WORK_DIR/artifacts; the seed
#       folders listed in SEEDS_FILE (;-separated, written by tests/fuzz/CMakeLists.txt) are read
#       only. Used by the CTest smoke runs.
#   scripts/fuzz.sh all BUILD_DIR SECONDS [RUNS] [TARGETS]
#       every target for SECONDS each (make fuzz), then a summary of executions per target. With
#       RUNS (> 0) each target stops after that many executions instead; TARGETS (space-separated
#       names) limits the run to those targets. Each summary line is also appended to the
#       ledger (date, target, executions, seconds, status): tests/fuzz/ledger.tsv in the source
#       tree, a tracked file, so that the record survives build folders and machines
#       (FUZZ_LEDGER=FILE writes elsewhere).
#   scripts/fuzz.sh campaign BUILD_DIR GOAL [CHUNK_SECONDS] [TARGETS]
#       resumable long run (make fuzz-campaign): chunks of at most CHUNK_SECONDS (default 600)
#       taken in turn from every target whose ledger total is still below GOAL executions, so
#       that an interrupted campaign loses at most one chunk; the next call goes on where the
#       ledger stands. TARGETS are visited in the order given.
#   scripts/fuzz.sh ledger BUILD_DIR
#       executions per target summed over the ledger (ok lines only).
set -euo pipefail

LEDGER=${FUZZ_LEDGER:-$(cd "$(dirname "$0")/.." && pwd)/tests/fuzz/ledger.tsv}

run_one() {
  local exe=$1 seeds_file=$2 work=$3
  shift 3
  mkdir -p "$work/corpus" "$work/artifacts"
  local seeds=()
  IFS=';' read -r -a all <"$seeds_file" || true  # no trailing newline
  for d in "${all[@]}"; do [ -d "$d" ] && seeds+=("$d"); done
  exec "$exe" -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@" "$work/corpus" \
    "${seeds[@]}"
}

# One chunk of one target; appends a ledger line; returns 1 on a finding.
chunk() {
  local build=$1 name=$2 ledger=$3
  shift 3
  local log="$build/tests/fuzz/work/$name.log" start status=ok execs
  mkdir -p "$(dirname "$log")"
  start=$(date +%s)
  # Long runs trade report detail for speed, not detection: no allocation stacks (a finding is
  # replayed with `run ... -runs=1 UNIT` and the default options for its full report) and a 16 MB
  # quarantine (use after free is still caught while the freed block waits; 256 MB made every
  # solver allocation a fresh page). Measured: fuzz_workforce_schedule 174 -> 333 executions/s,
  # fuzz_routing 982 -> 1,217. ASAN_OPTIONS in the environment wins.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:quarantine_size_mb=16}
  (run_one "$build/tests/fuzz/$name" "$build/tests/fuzz/$name.seeds" "$build/tests/fuzz/work/$name" \
    "$@" -timeout=10 -rss_limit_mb=4096) >"$log" 2>&1 || status=FAILED
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  # libFuzzer's -timeout is wall-clock: on a loaded machine (a niced campaign beside builds) an
  # ordinary input can exceed it. Replay the input alone: under half the 10 s limit of CPU is the
  # load, not a finding (the chunk counts); anything slower stays a finding.
  if [ "$status" != ok ] && grep -q 'libFuzzer: timeout' "$log"; then
    local unit cpu
    unit=$(grep -o 'Test unit written to [^ ]*timeout-[0-9a-f]*' "$log" | tail -1 | awk '{print $NF}')
    if [ -n "$unit" ] && [ -f "$unit" ]; then
      cpu=$( { TIMEFORMAT=%U; time "$build/tests/fuzz/$name" -runs=1 "$unit" >/dev/null 2>&1; } 2>&1)
      if awk -v c="$cpu" 'BEGIN { exit !(c + 0 < 5) }'; then
        echo "fuzz: $name: timeout under load ($unit replays in ${cpu}s of CPU); the chunk counts" >&2
        echo "fuzz: timeout under load, replayed in ${cpu}s of CPU" >>"$log"
        status=ok
      fi
    fi
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$execs" "$(($(date +%s) - start))" \
    "$status" >>"$ledger"
  if [ "$status" != ok ]; then
    tail -40 "$log"
    echo "fuzz: $name FAILED (crash input in $build/tests/fuzz/work/$name/artifacts)" >&2
    return 1
  fi
}

ledger_total() {  # ledger, target -> executions summed over its ok lines (# lines are comments)
  awk -F'\t' -v t="$2" '$1 !~ /^#/ && $2 == t && $5 == "ok" && $3 ~ /^[0-9]+$/ { n += $3 } END { print n + 0 }' "$1" \
    2>/dev/null || echo 0
}

case "${1:-}" in
  run)
    shift
    run_one "$@"
    ;;
  all)
    build=$2 seconds=$3 runs=${4:-0} targets=${5:-}
    summary=()
    ledger=$LEDGER
    for seeds in "$build"/tests/fuzz/*.seeds; do
      name=$(basename "$seeds" .seeds)
      if [ -n "$targets" ] && [[ " $targets " != *" $name "* ]]; then continue; fi
      limit=(-max_total_time="$seconds")
      [ "$runs" -gt 0 ] && limit=(-runs="$runs")
      echo "== $name (${limit[*]})"
      chunk "$build" "$name" "$ledger" "${limit[@]}" || exit 1
      summary+=("$(printf '%-26s %12s executions' "$name" "$(tail -1 "$ledger" | cut -f3)")")
    done
    printf '%s\n' "${summary[@]}"
    ;;
  campaign)
    build=$2 goal=$3 chunk_seconds=${4:-600} targets=${5:-}
    ledger=$LEDGER
    names=()
    if [ -n "$targets" ]; then
      read -r -a names <<<"$targets"  # in the order given (say, fastest first)
    else
      for seeds in "$build"/tests/fuzz/*.seeds; do names+=("$(basename "$seeds" .seeds)"); done
    fi
    for name in "${names[@]}"; do
      [ -f "$build/tests/fuzz/$name.seeds" ] || { echo "fuzz: no target $name" >&2; exit 2; }
    done
    # Round robin: one chunk per unfinished target per pass, so that every target is being
    # explored early on rather than the last one only after hours.
    while :; do
      ran=0
      for name in "${names[@]}"; do
        done_runs=$(ledger_total "$ledger" "$name")
        [ "$done_runs" -ge "$goal" ] && continue
        echo "== $name: $done_runs of $goal executions; next chunk ${chunk_seconds}s"
        chunk "$build" "$name" "$ledger" -runs=$((goal - done_runs)) \
          -max_total_time="$chunk_seconds" || exit 1
        ran=1
      done
      [ "$ran" = 1 ] || break
    done
    "$0" ledger "$build"
    ;;
  ledger)
    ledger=$LEDGER
    for seeds in "$2"/tests/fuzz/*.seeds; do
      name=$(basename "$seeds" .seeds)
      printf '%-26s %12s executions\n' "$name" "$(ledger_total "$ledger" "$name")"
    done
    ;;
  *)
    sed -n '2,15p' "$0"
    exit 2
    ;;
esac
