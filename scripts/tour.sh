#!/usr/bin/env bash
# `make tour`: each component on its own (calendar, SLA and staffing, workforce, escalation, IVR,
# survey, routing) through the CLI, C and Python. `make demo` runs them all together instead
# (scripts/demo.sh: the simulated day).
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."
hotline="$build/bin/hotline"
dept=examples/calendars/shanghai-dept-2025.json

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

"$hotline" --version
section "A complaint dispatched Monday 27 Jan 2025 16:00, reply due in 16 business hours"
"$hotline" calendar add "$dept" --at "2025-01-27 16:00" --duration 16h
section "Before National Day: Friday 26 Sep 17:00 plus 4 business hours (Sunday 28 Sep is a make-up workday)"
"$hotline" calendar add "$dept" --at "2025-09-26 17:00" --duration 4h
section "Is the department open on 1 Oct 2025 at 10:00?"
"$hotline" calendar open "$dept" --at "2025-10-01 10:00"
section "Business time in the Spring Festival fortnight"
"$hotline" calendar between "$dept" --from "2025-01-25 00:00" --to "2025-02-09 00:00"
section "The 7x24 hotline calendar"
"$hotline" calendar add examples/calendars/hotline-7x24.json --at "2025-01-28 23:00" --duration 2h
section "Staffing the morning peak: VIP 85% in 15 s (Erlang A where the forecast gives patience), 30% shrinkage"
"$hotline" staff --forecast examples/sla/forecast.csv --target 85/15 --shrinkage 0.3
section "Service level from an Asterisk queue_log against the VIP 85/15 and ordinary 75/20 targets"
"$hotline" sla examples/sla/sample.queue_log --targets examples/sla/targets.json
section "Shift schedule for a 7x24 week (exact optimum): the best service level 2,400 shifts can buy"
"$hotline" schedule examples/workforce/schedule-week.json --objective service-level --max-shifts 2400 \
  >"$build/demo-schedule.txt"
head -14 "$build/demo-schedule.txt"
echo "... (the whole schedule: $build/demo-schedule.txt)"
section "Capacity plan when hiring only reacts (30 a month): the attrition spiral"
"$hotline" plan examples/workforce/plan-reactive.json >"$build/demo-plan.txt"
head -16 "$build/demo-plan.txt"
section "Complaint work orders through a day: deadlines on department hours, quiet hours, KPIs (SQLite store)"
rm -f "$build/demo-orders.db" "$build/demo-orders.db-wal" "$build/demo-orders.db-shm"
"$hotline" escalation run examples/escalation/policy.json examples/escalation/day.jsonl \
  --db "$build/demo-orders.db"
section "How order 3's department deadline was computed (reopening the store)"
"$hotline" escalation show examples/escalation/policy.json --db "$build/demo-orders.db" 3 \
  --clock department_reply >"$build/demo-order3.txt"
tail -9 "$build/demo-order3.txt"
section "The provincial IVR: national first layer + Guangdong sub-flow, verified at load"
ivr_docs="examples/ivr/national.json examples/ivr/guangdong.json"
# shellcheck disable=SC2086
"$hotline" ivr validate $ivr_docs >"$build/demo-ivr.txt"
grep -v '^warning' "$build/demo-ivr.txt"
section "One caller: self-service balance after the password (keys 1, 1, 123456; the host answers ok)"
# shellcheck disable=SC2086
"$hotline" ivr run $ivr_docs --input 1,1,123456,=ok,1,=ok,9 | grep -v '^trajectory'
section "10,000 simulated callers: containment, transfers, drop-off, the most frequent paths"
# shellcheck disable=SC2086
"$hotline" ivr simulate $ivr_docs --calls 10000 --seed 2025
section "A post-call survey in the IVR engine: dissatisfied, not resolved, 4/5, NPS 10, effort 3"
"$hotline" survey run examples/survey/post-call.json --input 2,2,4,10#,3 | tail -6
if [ -d "$build/python/hotline" ]; then
  section "The dissatisfaction loop: alert, no explanation in 30 minutes, overdue to the supervisor, yellow card"
  PYTHONPATH="$build/python" /usr/bin/python3 examples/python/survey_loop.py
fi
section "Routing: the provincial policy (tiers from ARPU and service grade, bullseye steps, nine strategies)"
"$hotline" routing validate examples/routing/policy.json
if [ -x "$build/examples/example_c_pbx_loop" ]; then
  section "Ten minutes of a PBX event loop on the router through the C ABI (agent 103 never answers)"
  "$build/examples/example_c_pbx_loop" >"$build/demo-pbx.txt"
  head -24 "$build/demo-pbx.txt"
  echo "..."
  tail -1 "$build/demo-pbx.txt"
fi
if [ -d "$build/python/hotline" ]; then
  section "An hour of routing from Python, replayed bit for bit from its event log"
  PYTHONPATH="$build/python" /usr/bin/python3 examples/python/routing_replay.py
fi
if [ -x "$build/examples/example_c_calendar_deadline" ]; then
  section "The same deadline through the C ABI"
  "$build/examples/example_c_calendar_deadline"
fi
if [ -d "$build/python/hotline" ]; then
  section "... and through Python"
  PYTHONPATH="$build/python" /usr/bin/python3 examples/python/calendar_deadline.py
fi
