"""Service levels, Erlang B/C/A staffing, contact-record reports and the live sliding window.

    from hotline import sla
    sla.erlang_c(14, 10.0)                      # 0.17413... (probability of waiting)
    s = sla.required_agents(100, 1800, 180, service_level=0.8, threshold=20, shrinkage=0.3)
    s.agents, s.scheduled                       # (14, 20)
    rows = sla.report(sla.RecordSet.read_queue_log(open("queue_log").read()))
    w = sla.SlidingWindow.preset(); w.answered(0, now, 12.0); w.service_level(0, now)
"""

from ._hotline.sla import (  # noqa: F401
    ErlangAMetrics,
    ErlangCMetrics,
    RecordSet,
    SlidingWindow,
    Staffing,
    Targets,
    Workload,
    daily_compliance,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    mystery_call_score,
    occupancy,
    on_time_ratio,
    report,
    required_agents,
    required_agents_forecast,
    satisfaction_rate,
    service_level,
)

__all__ = [
    "ErlangAMetrics",
    "ErlangCMetrics",
    "RecordSet",
    "SlidingWindow",
    "Staffing",
    "Targets",
    "Workload",
    "daily_compliance",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "mystery_call_score",
    "occupancy",
    "on_time_ratio",
    "report",
    "required_agents",
    "required_agents_forecast",
    "satisfaction_rate",
    "service_level",
]
