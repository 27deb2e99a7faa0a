#!/usr/bin/env bash
# Runs the libFuzzer targets built by the "fuzz" preset.
#   scripts/fuzz.sh run EXE SEEDS_FILE WORK_DIR [libFuzzer options...]
#       one target: new inputs go to WORK_DIR/corpus, crashes to WORK_DIR/artifacts; the seed
#       folders listed in SEEDS_FILE (;-separated, written by tests/fuzz/CMakeLists.txt) are read
#       only. Used by the CTest smoke runs.
#   scripts/fuzz.sh all BUILD_DIR SECONDS [RUNS] [TARGETS]
#       every target for SECONDS each (make fuzz), then a summary of executions per target. With
#       RUNS (> 0) each target stops after that many executions instead; TARGETS (space-separated
#       names) limits the run to those targets. Each summary line is also appended to
#       BUILD_DIR/tests/fuzz/work/ledger.tsv (date, target, executions, seconds, status).
set -euo pipefail

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

case "${1:-}" in
  run)
    shift
    run_one "$@"
    ;;
  all)
    build=$2 seconds=$3 runs=${4:-0} targets=${5:-}
    summary=()
    ledger="$build/tests/fuzz/work/ledger.tsv"
    for seeds in "$build"/tests/fuzz/*.seeds; do
      name=$(basename "$seeds" .seeds)
      if [ -n "$targets" ] && [[ " $targets " != *" $name "* ]]; then continue; fi
      log="$build/tests/fuzz/work/$name.log"
      mkdir -p "$(dirname "$log")"
      limit=(-max_total_time="$seconds")
      [ "$runs" -gt 0 ] && limit=(-runs="$runs")
      echo "== $name (${limit[*]})"
      start=$(date +%s)
      status=ok
      (run_one "$build/tests/fuzz/$name" "$seeds" "$build/tests/fuzz/work/$name" \
        "${limit[@]}" -timeout=10 -rss_limit_mb=4096) >"$log" 2>&1 || status=FAILED
      execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo '?')
      printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$execs" "$(($(date +%s) - start))" \
        "$status" >>"$ledger"
      if [ "$status" != ok ]; then
        tail -40 "$log"
        echo "fuzz: $name FAILED (crash input in $build/tests/fuzz/work/$name/artifacts)" >&2
        exit 1
      fi
      summary+=("$(printf '%-24s %12s executions' "$name" "$execs")")
    done
    printf '%s\n' "${summary[@]}"
    ;;
  *)
    sed -n '2,8p' "$0"
    exit 2
    ;;
esac
