"""Route an hour of calls with hotline.routing, then prove the decisions can be explained and
replayed bit for bit from the recorded event log. Run from the source tree:
    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/routing_replay.py
"""

import random
from collections import Counter
from datetime import datetime, timedelta, timezone

import hotline
from hotline import routing

policy = routing.Policy.load("examples/routing/policy.json")
router = routing.Router(policy, seed=7, record=True)
rng = random.Random(2025)
now = datetime(2025, 3, 3, 10, 0, tzinfo=timezone(timedelta(hours=8)))

for i in range(1, 13):
    skills = {"billing": rng.randint(1, 5), "broadband": rng.randint(1, 5)}
    if i <= 3:
        skills["vip_service"] = 4
    router.login(routing.AgentProfile(i, skills=skills, languages=["zh"], name=f"agent-{i}"), now)

decisions = []
talking = {}  # contact -> end of the call
end = now + timedelta(hours=1)
contact = 0
while now < end:
    now += timedelta(seconds=rng.expovariate(1 / 8))
    made = router.advance(now)
    for c in [c for c, t in talking.items() if t <= now]:
        made += router.end(c, now)  # wrap-up runs on the router's timer
        del talking[c]
    contact += 1
    queue = rng.choice(["billing", "billing", "broadband", "vip"])
    made += router.arrive(routing.ContactSpec(contact, queue, attributes={"arpu": rng.randint(0, 800)},
                                              language="zh"), now)
    decisions += made
    for d in made:  # the agents answer what rings
        if d.kind == routing.DecisionKind.OFFER:
            try:
                decisions += router.accept(d.contact, d.agent, now)
                talking[d.contact] = now + timedelta(seconds=rng.expovariate(1 / 90))
            except hotline.StateError:
                pass  # withdrawn meanwhile

kinds = Counter(d.kind.name for d in decisions)
print(f"{contact} callers, {len(decisions)} decisions: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
for d in decisions[:6]:
    print("  ", d.explain(policy))
stats = router.queue_stats("billing")
print(f"billing: answered {stats.answered}, waiting {stats.waiting}, AHT estimate {stats.average_handle}")
replayed = routing.replay(policy, router.events_jsonl(), seed=7)
assert replayed == decisions, "replay must reproduce every decision"
print(f"replayed {len(router.events_jsonl().splitlines())} events: {len(replayed)} identical decisions")
