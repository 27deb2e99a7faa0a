"""The dissatisfaction loop of seed 001 with hotline.survey on the escalation engine: a caller
presses "dissatisfied" after the agent leg, the agent is alerted, nobody explains within 30
minutes, the order goes to the supervisor on duty marked overdue, who calls back and gives a
yellow card; then the month's assessment.
    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/survey_loop.py
"""

from datetime import datetime, timedelta, timezone
from pathlib import Path

from hotline import calendar, escalation, ivr, survey

CST = timezone(timedelta(hours=8))
now = datetime(2025, 3, 3, 15, 50, tzinfo=CST)
zone = calendar.Calendar.always_open("Asia/Shanghai")
definition = survey.Definition.load("examples/survey/post-call.json")
engine = escalation.Engine(escalation.Policy.load("examples/escalation/policy.json"))
loop = survey.Loop(engine, survey.Roster.from_json(Path("examples/survey/roster.json").read_text()),
                   zone)

# The caller answers the survey in the IVR engine: dissatisfied, not resolved, 2/5, NPS 3, effort 6.
call = ivr.Session(ivr.Tree.compose([definition.to_ivr()]), now)
for i, key in enumerate(["2", "2", "2", "3", "6"], start=1):
    call.on_digits(key, now + timedelta(seconds=6 * i))
response = survey.response_from(definition, call)
contact = survey.Contact("call-0042", "13800000042", "agent-9", now, 240)
alert = loop.on_response(definition, response, contact, now + timedelta(seconds=40), "rec-0042.wav")
print("alert:", alert.text)

# 30 minutes pass without an explanation.
loop.advance(now + timedelta(minutes=31))
order = engine.order(alert.order)
print(f"order {alert.order}: {order['state']}, overdue={loop.overdue(alert.order)},",
      f"with {order['handler']}")
loop.review(alert.order, order["handler"], "rec-0042.wav", now + timedelta(hours=1))
loop.call_back(alert.order, order["handler"], "apologised, fee refunded", now + timedelta(hours=1, minutes=10))
loop.verdict(alert.order, order["handler"], survey.Verdict.AGENT_AT_FAULT, "interrupted the caller",
             now + timedelta(hours=1, minutes=15))

cards = loop.yellow_cards((2025, 3))
table = survey.assess([survey.Score("agent-9", 60, 51, 58), survey.Score("agent-7", 55, 53, 55)],
                      cards, [("agent-9", 88.0), ("agent-7", 91.0)])
for m in table:
    print(f"#{m.rank} {m.agent}: score {m.score:.1f}, yellow cards {m.yellow_cards}"
          f"{'  * star of the month' if m.star else ''}")
assert loop.overdue(alert.order) and len(cards) == 1
