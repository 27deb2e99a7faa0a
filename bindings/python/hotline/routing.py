"""Routing policies and the ACD router: tiers classified from host attributes, queues with
bullseye steps and overflow, nine agent-selection strategies, priority with aging, SLA-aware
boosts and a starvation bound, first-contact responsibility, callbacks, closed hours. Every event
returns the decisions it caused, each with its explanation; a recorded event log replays to the
same decisions.

    from hotline import routing
    policy = routing.Policy.load("examples/routing/policy.json")
    r = routing.Router(policy)
    r.login(routing.AgentProfile(7, skills={"billing": 4}, languages=["zh"]), now)
    for d in r.arrive(routing.ContactSpec(1, "billing", attributes={"arpu": 650}, language="zh"), now):
        if d.kind == routing.DecisionKind.OFFER:
            pbx.ring(d.agent, d.contact)
        print(d.explain(policy))
"""

from ._hotline.routing import (  # noqa: F401
    AgentProfile,
    AgentStatus,
    ContactSpec,
    ContactState,
    ContactStatus,
    Decision,
    DecisionKind,
    Grade,
    Policy,
    Pool,
    Presence,
    QueueStats,
    Router,
    Rule,
    Strategy,
    replay,
)

__all__ = [
    "AgentProfile",
    "AgentStatus",
    "ContactSpec",
    "ContactState",
    "ContactStatus",
    "Decision",
    "DecisionKind",
    "Grade",
    "Policy",
    "Pool",
    "Presence",
    "QueueStats",
    "Router",
    "Rule",
    "Strategy",
    "replay",
]
