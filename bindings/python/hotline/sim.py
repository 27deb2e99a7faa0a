"""The discrete-event simulator: a scenario's days run through the real router, IVR sessions,
survey loop and escalation engine, with a report per 30-minute interval and tier.

    from hotline import sim
    report = sim.run("examples/scenarios/provincial-day.json", replications=3)
    report["tiers"][0]["service_level"]["mean"]           # plain data (dicts, lists, numbers)
    r = sim.run_report(sim.Scenario.load(path), seed=7)   # the Report: to_text(), to_html()
"""

import json
import os
from typing import Any, Callable, Dict, Optional, Union

from ._hotline.sim import Report, Scenario, run_report  # noqa: F401


def _scenario(scenario: Union[Scenario, str, "os.PathLike[str]"]) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    return Scenario.load(os.fspath(scenario))


def run(
    scenario: Union[Scenario, str, "os.PathLike[str]"],
    *,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    progress: Optional[Callable[[int, int, float], None]] = None,
    max_events: Optional[int] = None,
) -> Dict[str, Any]:
    """Runs a scenario (a Scenario or a file name) and returns the report as plain data: the
    JSON of docs/sim.md as dicts and lists (None where a figure had no data). max_events
    bounds each replication (LimitError beyond it)."""
    report = run_report(
        _scenario(scenario),
        replications=replications,
        seed=seed,
        progress=progress,
        max_events=max_events,
    )
    return json.loads(report.to_json())


__all__ = ["Report", "Scenario", "run", "run_report"]
