"""A complaint through its whole loop with hotline.escalation: created by the agent who took the
call, dispatched to the billing department, replied to, confirmed with the customer; the notices
that fall due on the way; and the KPIs. Run from the source tree:
    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/escalation_loop.py
"""

from datetime import datetime, timedelta, timezone

from hotline import escalation

CST = timezone(timedelta(hours=8))
policy = escalation.Policy.load("examples/escalation/policy.json")
engine = escalation.Engine(policy)  # in memory; pass a path for a SQLite store
agent = escalation.Actor("agent-7", "agent")
clerk = escalation.Actor("clerk-3", "department")

t = datetime(2025, 3, 7, 15, 0, tzinfo=CST)  # Friday afternoon
order = engine.create("13800000001", "complaint", "agent-7", t, department="billing",
                      handler="clerk-3", key="call-1").order
engine.transition(order, "acknowledge", agent, {}, t + timedelta(minutes=5))
engine.transition(order, "assess", agent, {"assessment": "double charge"}, t + timedelta(minutes=20))
engine.transition(order, "dispatch", agent, {"dispatch_note": "refund"}, t + timedelta(minutes=30))
print(engine.explain_text(order, "department_reply"))

# The department answers on Tuesday afternoon; notices fall due on the way.
reply = datetime(2025, 3, 11, 15, 0, tzinfo=CST)
for n in engine.advance(reply):
    print(f"{n.due.astimezone(CST):%a %d %H:%M}  {n.kind.name.lower():<8} {n.clock} {n.recipient}")
engine.transition(order, "department_reply", clerk, {"reply": "refunded 20 yuan"}, reply)
engine.transition(order, "reply_customer", agent, {"reply_summary": "refund by SMS"},
                  reply + timedelta(minutes=30))
engine.transition(order, "confirm", agent, {"satisfied": "yes"}, reply + timedelta(hours=1))

k = engine.kpis()
print("timeliness:", [(r["department"], r["met"], r["due"]) for r in k["timeliness"]])
print("three 100%:", k["three"])
assert engine.order(order)["closed"] and engine.verify_replay() == []
