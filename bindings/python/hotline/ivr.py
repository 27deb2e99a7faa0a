"""IVR trees: a national first layer and provincial sub-flows composed into one tree, verified at
load (every problem at once, with its location; keys and worst-case seconds to a human per node),
run as sessions pinned to a version, analysed over trajectories and simulated offline.

    from datetime import datetime, timedelta, timezone
    from hotline import ivr
    tree = ivr.load("examples/ivr/national.json", "examples/ivr/guangdong.json")
    now = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)
    s = ivr.Session(tree, now, tier="L3")
    s.actions()                       # play the welcome, then collect one key
    s.on_digits("1", now + timedelta(seconds=8))
    stats = ivr.analyze(tree, ivr.simulate(tree, {"timeout_probability": 0.1}, 1000, seed=1,
                                           start=now))
"""

import json as _json

from ._hotline.ivr import (  # noqa: F401
    Document,
    Finding,
    NodeKind,
    Outcome,
    Registry,
    Session,
    Trajectory,
    Tree,
    analyze,
)
from ._hotline.ivr import simulate as _simulate


def load(*paths) -> Tree:
    """Composes the documents at these paths (the first is the root) into a verified Tree."""
    return Tree.compose([Document.load(p) for p in paths])


def simulate(tree: Tree, model, calls: int, seed: int, start):
    """Runs `calls` simulated callers; `model` is a dict (or JSON text) as in docs/ivr.md."""
    text = model if isinstance(model, str) else _json.dumps(model)
    return _simulate(tree, text, calls, seed, start)


__all__ = [
    "Document",
    "Finding",
    "NodeKind",
    "Outcome",
    "Registry",
    "Session",
    "Trajectory",
    "Tree",
    "analyze",
    "load",
    "simulate",
]
