"""The provincial IVR through Python: compose the national first layer and the Guangdong sub-flow,
walk one call, then simulate 2,000 callers.
    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/ivr_simulate.py
"""

from datetime import datetime, timedelta, timezone

from hotline import ivr

CST = timezone(timedelta(hours=8))
now = datetime(2025, 3, 3, 10, 0, tzinfo=CST)
tree = ivr.load("examples/ivr/national.json", "examples/ivr/guangdong.json")
print(tree.version_label, "-", len(tree.node_ids), "nodes")
print("main menu: a human within", tree.node("main")["seconds_to_agent"], "s (worst case)")

call = ivr.Session(tree, now, tier="L3", language="zh")
for step, key in enumerate(["1", "1", "123456", "=ok", "1", "=ok", "9"], start=1):
    t = now + timedelta(seconds=6 * step)
    call.on_result(key[1:], t) if key.startswith("=") else call.on_digits(key, t)
print("one call:", call.trajectory.outcome.name, "after", call.trajectory.keys, "keys")

model = {"keys": {"national/main": {"1": 0.45, "2": 0.15, "3": 0.1, "4": 0.15, "0": 0.1}},
         "timeout_probability": 0.08, "mean_patience": "100s",
         "outcomes": {"verify_password": {"ok": 0.85, "fail": 0.15}}}
stats = ivr.analyze(tree, ivr.simulate(tree, model, 2000, seed=2025, start=now))
print(f"containment {stats['containment']:.1%}, abandonment {stats['abandonment']:.1%}, "
      f"to a human in {stats['mean_seconds_to_agent']:.0f} s on average")
print("transfers:", stats["transfers_per_queue"])
