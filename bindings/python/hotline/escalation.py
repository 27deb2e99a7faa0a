"""Complaint escalation: work orders on workflows defined as data, clocks on business calendars
(department hours or 7x24) with pause and resume, warnings, escalation ladders, immediate and
repeat-complaint rules, quiet hours, effective-dated policy changes, KPIs, durable state (SQLite).

    from datetime import datetime, timedelta, timezone
    from hotline import escalation
    policy = escalation.Policy.load("examples/escalation/policy.json")
    engine = escalation.Engine(policy, "orders.db")            # or Engine(policy): in memory
    now = datetime(2025, 3, 3, 1, 0, tzinfo=timezone.utc)
    r = engine.create("13800000001", "complaint", "agent-7", now, key="call-1")
    for n in engine.advance(now + timedelta(hours=2)):
        print(n.kind, n.clock, n.recipient, n.deliver_at)
    print(engine.explain_text(r.order, "resolution"))
"""

import json as _json

from ._hotline.escalation import (  # noqa: F401
    Actor,
    Channel,
    Clock,
    ClockState,
    DeadlineExplanation,
    Durability,
    Engine,
    Notice,
    NoticeKind,
    Policy,
    PolicyChange,
    Result,
    Role,
    Severity,
    TimerMove,
)


def policy(definition: dict, base_dir: str = "") -> Policy:
    """A Policy from plain data in the JSON format (docs/escalation.md)."""
    return Policy.from_json(_json.dumps(definition), base_dir)


__all__ = [
    "Actor",
    "Channel",
    "Clock",
    "ClockState",
    "DeadlineExplanation",
    "Durability",
    "Engine",
    "Notice",
    "NoticeKind",
    "Policy",
    "PolicyChange",
    "Result",
    "Role",
    "Severity",
    "TimerMove",
    "policy",
]
