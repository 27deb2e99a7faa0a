"""hotline.workforce from Python: scheduling, the service-level objective, capacity plans, CLI."""

import itertools
import json
from datetime import timedelta

import pytest

import hotline
from hotline import workforce


def small():
    return {
        "interval": "1h", "cyclic": False, "required": [1, 3, 2, 4, 2, 1],
        "templates": [
            {"name": "three", "length": "3h", "start": {"from": "00:00", "to": "03:00"}, "cost": 3},
            {"name": "two", "length": "2h", "start": {"from": "00:00", "to": "04:00"}, "cost": 2.2},
            {"name": "six", "length": "6h", "start": {"from": "00:00", "to": "00:00"}, "cost": 5},
        ],
    }


def brute_force_cost(required):
    """Independent check: every assignment of 0..4 shifts to the 10 variants."""
    variants = [(s, s + 3, 3.0) for s in range(4)] + [(s, s + 2, 2.2) for s in range(5)] + [(0, 6, 5.0)]
    best = float("inf")
    # Shifts beyond 4 per variant never help here (the largest requirement is 4).
    for counts in itertools.product(range(5), repeat=len(variants)):
        cost = sum(c * v[2] for c, v in zip(counts, variants))
        if cost >= best:
            continue
        cov = [0] * 6
        for c, (a, b, _) in zip(counts, variants):
            for h in range(a, min(b, 6)):
                cov[h] += c
        if all(cov[i] >= required[i] for i in range(6)):
            best = cost
    return best


def test_min_cost_is_optimal():
    p = workforce.problem(small())
    s = workforce.solve(p)
    assert s.optimal and s.variants == 10
    assert s.cost == pytest.approx(brute_force_cost(p.required), abs=1e-9)
    assert all(c >= r for c, r in zip(s.coverage, p.required))
    assert s.overall_service_level is None and s.service_level is None
    assert sum(x["count"] for x in s.shifts) == s.total_shifts
    assert isinstance(s.shifts[0]["start"], timedelta)


def test_service_level_objective_beats_per_interval_targets(examples):
    p = workforce.ScheduleProblem.load(examples / "workforce" / "schedule-week.json")
    assert len(p.required) == 336 and p.has_demand
    cheapest = workforce.solve(p)
    assert cheapest.optimal
    # Fewer shifts, placed for the day's overall service level, buy a better overall level than
    # covering each interval's 80/20 requirement exactly (the global objective).
    best = workforce.solve(p, "service_level", max_shifts=cheapest.total_shifts - 100)
    assert best.total_shifts <= cheapest.total_shifts - 100
    assert best.overall_service_level > cheapest.overall_service_level
    per, overall = workforce.service_levels(p, best.coverage)
    assert overall == pytest.approx(best.overall_service_level, abs=1e-12)
    assert per == best.service_level


def test_requirements_for_call_centre_helper():
    p = workforce.problem({"interval": "30m", "calls": [100], "aht": "180s", "threshold": "20s",
                           "target": 0.8, "templates": [
                               {"name": "a", "length": "30m", "start": {"from": "00:00", "to": "00:00"}}]})
    assert p.required == [14.0]  # Call Centre Helper: 100 calls / 30 min, AHT 180 s, 80/20
    assert workforce.requirements_for(p, 0.8) == [14.0]


def test_errors_name_the_place():
    d = small()
    d["templates"][0]["start"]["from"] = "24:30"
    with pytest.raises(hotline.DefinitionError) as e:
        workforce.problem(d)
    assert e.value.where == "/templates/0/start/from"
    d = small()
    d["required"][3] = 40
    d["templates"][2]["max"] = 1
    d["templates"] = d["templates"][2:]
    with pytest.raises(hotline.DefinitionError):
        workforce.solve(workforce.problem(d))
    with pytest.raises(hotline.InvalidArgumentError) as e:
        workforce.solve(workforce.problem(small()), "service_level", max_shifts=3)
    assert e.value.where == "/demand"
    with pytest.raises(hotline.InvalidArgumentError):
        workforce.solve(workforce.problem(small()), "fastest")
    with pytest.raises(hotline.DefinitionError) as e:
        workforce.capacity_input({"calls_per_month": 1, "hiring": "hopeful"})
    assert e.value.where == "/hiring"


def test_capacity_plan_and_the_spiral(examples):
    planned = workforce.plan_capacity(workforce.CapacityPlanInput.load(examples / "workforce" / "plan.json"))
    reactive_in = workforce.CapacityPlanInput.load(examples / "workforce" / "plan-reactive.json")
    assert reactive_in.policy == workforce.HiringPolicy.reactive
    reactive = workforce.plan_capacity(reactive_in)
    assert planned["lead_months"] == 2  # 315 h of training at 160 h a month
    assert len(planned["months"]) == 24
    assert planned["months_meeting_target"] > reactive["months_meeting_target"]
    assert max(m["attrition"] for m in reactive["months"]) > 0.05  # overtime feeds attrition
    assert reactive["months"][-1]["service_level"] < 0.8
    calls = [m["calls"] for m in planned["months"]]
    assert calls[12] / calls[0] == pytest.approx(1.12, rel=1e-12)


def test_cli_schedule_and_plan(cli, examples):
    out = json.loads(cli("schedule", examples / "workforce" / "schedule-week.json", "--json").stdout)
    assert out["optimal"] and out["total_shifts"] > 0 and len(out["intervals"]) == 336
    text = cli("schedule", examples / "workforce" / "schedule-day.json", "--objective", "service-level",
               "--max-shifts", 300).stdout
    assert "maximum service level" in text and "Mon 06:00" in text
    plan = json.loads(cli("plan", examples / "workforce" / "plan.json", "--hiring", "reactive",
                          "--json").stdout)
    assert plan["lead_months"] == 2 and len(plan["months"]) == 24
    bad = cli("schedule", examples / "workforce" / "schedule-week.json", "--objective", "fast", check=False)
    assert bad.returncode == 2
    missing = cli("plan", examples / "workforce" / "nope.json", check=False)
    assert missing.returncode == 1 and "nope.json" in missing.stderr


def test_time_limit_returns_the_best_schedule_found(source_dir):
    # A model CBC cannot close in minutes (the fuzz_workforce_schedule finding): a 200 ms
    # wall-clock limit returns the best schedule found, not proven optimal (or a limit error
    # when a slow build has found none yet).
    p = workforce.ScheduleProblem.load(source_dir / "tests" / "fuzz" / "corpus" / "fuzz_workforce_schedule" / "hard-week.json")
    try:
        s = workforce.solve(p, time_limit=timedelta(milliseconds=200))
    except hotline.LimitError as e:
        assert e.where == "time_limit"
        return
    assert not s.optimal and s.total_shifts > 0
    assert all(c >= r for c, r in zip(s.coverage, p.required))


def test_plan_staffing_searches_are_bounded():
    # 602 months of 86,400 one-second intervals: 52 million staffing searches, over the bound.
    with pytest.raises(hotline.LimitError) as e:
        workforce.CapacityPlanInput.from_json(json.dumps({"calls_per_month": 1, "months": 600, "interval": "1s"}))
    assert e.value.where == "/interval" and "staffing searches" in str(e.value)


def test_astronomical_demand_is_a_limit_not_an_overflow():
    # Found by fuzz_workforce_schedule (a cast of load + 12 sqrt(load) + 30 beyond int64): the
    # service-level objective bounds its columns, one per agent of every interval's load.
    doc = {"interval": "1h", "cyclic": False, "required": [1, 1], "calls": [60, 2.2e7],
           "aht": "180s", "threshold": "20s",
           "templates": [{"name": "two", "length": "2h", "start": {"from": "00:00", "to": "00:00"}}]}
    p = workforce.problem(doc)
    with pytest.raises(hotline.LimitError) as e:
        workforce.solve(p, "service_level", max_shifts=10)
    assert e.value.where == "/demand"
    with pytest.raises(hotline.LimitError):
        workforce.requirements_for(workforce.problem(dict(doc, calls=[60, 1e94])), 0.8)
    with pytest.raises(hotline.InvalidArgumentError) as e:
        workforce.service_levels(p, [1e300, 1])
    assert e.value.where == "coverage[0]"
    # Found by fuzz_workforce_schedule: a cost of 2.2e28 tripped the solver's assertion (abort).
    bad = small()
    bad["templates"][0]["cost"] = 2.2e28
    with pytest.raises(hotline.Error) as e:
        workforce.solve(workforce.problem(bad))
    assert e.value.where == "/templates/0/cost"

