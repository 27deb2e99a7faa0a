"""Workforce planning: shift scheduling (an exact integer program, COIN-OR CBC) and month-by-month
capacity planning with growth, attrition, training lead time and overtime.

    from hotline import workforce
    p = workforce.ScheduleProblem.load("examples/workforce/schedule-week.json")
    s = workforce.solve(p)                                   # minimum cost, every interval covered
    s.optimal, s.total_shifts, s.overall_service_level
    best = workforce.solve(p, "service_level", max_shifts=2400)  # best service level for a head count
    plan = workforce.plan_capacity(workforce.CapacityPlanInput.load("examples/workforce/plan.json"))
"""

import json as _json

from ._hotline.workforce import (  # noqa: F401
    CapacityPlanInput,
    HiringPolicy,
    Schedule,
    ScheduleProblem,
    plan_capacity,
    requirements_for,
    service_levels,
    solve,
)


def problem(definition: dict) -> ScheduleProblem:
    """A ScheduleProblem from plain data in the JSON format (docs/workforce.md)."""
    return ScheduleProblem.from_json(_json.dumps(definition))


def capacity_input(definition: dict) -> CapacityPlanInput:
    """A CapacityPlanInput from plain data in the JSON format (docs/workforce.md)."""
    return CapacityPlanInput.from_json(_json.dumps(definition))


__all__ = [
    "CapacityPlanInput",
    "HiringPolicy",
    "Schedule",
    "ScheduleProblem",
    "capacity_input",
    "plan_capacity",
    "problem",
    "requirements_for",
    "service_levels",
    "solve",
]
