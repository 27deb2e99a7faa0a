#!/usr/bin/env bash
# The main job `make demo` runs: a simulated Monday at a provincial 10010-style hotline (158
# inbound and 40 outbound seats, VIP and ordinary tiers, the national + provincial IVR, the
# post-call survey with the 30-minute dissatisfaction loop, complaints dispatched to departments on
# business calendars). Every component takes part through its public host interface; the report
# is printed and written as one HTML page. `make tour` shows the components one by one.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."
hotline="$build/bin/hotline"
scenario=examples/scenarios/provincial-day.json
html="$build/provincial-day.html"

"$hotline" --version
printf '\n\033[1m== A simulated day: %s\033[0m\n' "$scenario"
start=$(date +%s.%N)
"$hotline" simulate "$scenario" --report "$html"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "\n(simulated in %.1f s of wall time)\n", e - s }'
printf 'Open the HTML report: file://%s\n' "$(realpath "$html")"
