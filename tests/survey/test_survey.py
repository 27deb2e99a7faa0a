"""hotline.survey from Python: the survey in the IVR engine, sampling, scoring (Wilson intervals
against Newcombe 1998), and the dissatisfaction loop end to end with a simulated clock."""

import json
import math
from datetime import datetime, timedelta, timezone

import pytest

import hotline
from hotline import calendar, escalation, ivr, survey

CST = timezone(timedelta(hours=8))
T0 = datetime(2025, 3, 3, 10, 0, tzinfo=CST)
ZONE = calendar.Calendar.always_open("Asia/Shanghai")


@pytest.fixture
def definition(examples):
    return survey.Definition.load(examples / "survey" / "post-call.json")


def run(definition, inputs):
    s = ivr.Session(ivr.Tree.compose([definition.to_ivr()]), T0)
    t = T0
    for x in inputs:
        t += timedelta(seconds=5)
        s.on_timeout(t) if x == "t" else s.on_digits(x, t)
    assert s.finished
    return survey.response_from(definition, s)


def test_survey_runs_in_the_ivr_engine(definition):
    assert definition.question_ids == ["overall", "resolved", "csat", "nps", "effort"]
    r = run(definition, ["1", "2", "4", "9#", "3"])
    assert r.answers[:5] == [1, 0, 4, 9, 3] and r.responded
    r = run(definition, ["t"] * 10)
    assert not r.responded and r.answers[0] == survey.NO_RESPONSE


def test_bad_definition(definition):
    with pytest.raises(hotline.DefinitionError) as e:
        survey.Definition.from_json('{"name": "s", "version": "1", "languages": ["zh"], '
                                    '"prompts": {}, "questions": [{"id": "q", "scale": "stars", '
                                    '"prompts": []}]}')
    assert e.value.where == "/questions/0/scale"


def test_sampling(definition):
    sampler = survey.Sampler(definition, ZONE)
    c = survey.Contact("x", "138", "a1", T0, 60, transferred=True)
    assert sampler.decide(c) == survey.Decision.TRANSFERRED
    c = survey.Contact("x", "138", "a1", T0, 5)
    assert sampler.decide(c) == survey.Decision.TOO_SHORT
    hits = sum(survey.Sampler.in_sample(f"c{i}", 10010, 30) for i in range(20000))
    assert abs(hits / 20000 - 0.30) < 0.015


def test_wilson_newcombe_1998():
    # Newcombe RG, Statistics in Medicine 1998; 17:857-872, Table I, method 3.
    p = survey.wilson(81, 263)
    assert (round(p.low, 4), round(p.high, 4)) == (0.2553, 0.3662)
    p = survey.wilson(0, 20)
    assert (round(p.low, 4), round(p.high, 4)) == (0.0, 0.1611)
    assert math.isnan(survey.wilson(0, 0).value)


def test_aggregate(definition):
    rs = [survey.Response([1, 1, 5, 10, 1], agent=1, at=T0),
          survey.Response([0, 0, 2, 3, 6], agent=1, at=T0 + timedelta(minutes=40)),
          survey.Response([1, 1, 4, 9, 2], agent=2, at=T0 + timedelta(days=1)),
          survey.Response([], agent=2, at=T0)]
    (all_,) = survey.aggregate(definition, rs, survey.GroupBy.ALL, ZONE)
    assert all_.offered == 4 and all_.responded == 3
    assert all_.satisfaction.value == pytest.approx(2 / 3)
    assert all_.csat.value == pytest.approx(2 / 3)
    assert all_.nps == pytest.approx(100 * (2 - 1) / 3)
    assert all_.ces == pytest.approx(3.0)
    assert all_.more_needed and all_.more_needed > 300
    days = survey.aggregate(definition, rs, survey.GroupBy.DAY, ZONE)
    assert [d.group for d in days] == ["2025-03-03", "2025-03-04"]
    agents = survey.aggregate(definition, rs, survey.GroupBy.AGENT, ZONE)
    assert [(a.group, a.offered) for a in agents] == [("1", 2), ("2", 2)]
    with pytest.raises(hotline.InvalidArgumentError):
        survey.Response([1] * 9)


def test_dissatisfaction_loop_end_to_end(definition, examples):
    engine = escalation.Engine(escalation.Policy.load(examples / "escalation" / "policy.json"))
    roster = survey.Roster.from_json((examples / "survey" / "roster.json").read_text())
    assert roster.on_duty(T0 + timedelta(hours=7)) == "sup-evening"
    loop = survey.Loop(engine, roster, ZONE)
    # On time: explained within 30 minutes.
    c1 = survey.Contact("call-1", "13800000001", "a7", T0, 120)
    alert = loop.on_response(definition, run(definition, ["2", "1", "3", "5#", "4"]), c1, T0)
    assert alert and alert.caller == "13800000001" and "not satisfied" in alert.text
    assert loop.on_response(definition, survey.Response([1]), c1, T0) is None
    loop.explain(alert.order, "a7", "system outage", T0 + timedelta(minutes=25))
    assert not loop.overdue(alert.order)
    # Late: at 15:50 + 30 min the evening supervisor receives it, overdue.
    c2 = survey.Contact("call-2", "13900000002", "a9", T0 + timedelta(hours=5, minutes=50), 200)
    a2 = loop.dissatisfied(c2, T0 + timedelta(hours=5, minutes=50), "rec-2")
    loop.advance(T0 + timedelta(hours=6, minutes=21))
    assert loop.overdue(a2.order)
    assert engine.order(a2.order)["handler"] == "sup-evening"
    loop.review(a2.order, "sup-evening", "rec-2", T0 + timedelta(hours=7))
    loop.call_back(a2.order, "sup-evening", "apologised", T0 + timedelta(hours=7, minutes=5))
    loop.verdict(a2.order, "sup-evening", survey.Verdict.AGENT_AT_FAULT, "rude",
                 T0 + timedelta(hours=7, minutes=10))
    cards = loop.yellow_cards((2025, 3))
    assert [(c.agent, c.month) for c in cards] == [("a9", (2025, 3))]
    table = survey.assess([survey.Score("a7", 30, 27, 30), survey.Score("a9", 30, 29, 30)],
                          cards, [("a7", 90.0), ("a9", 92.0)])
    assert [(m.agent, m.rank, m.star) for m in table] == [("a7", 1, True), ("a9", 2, False)]
    assert engine.verify_replay() == []


def test_cli(cli, examples):
    d = examples / "survey" / "post-call.json"
    out = cli("survey", "validate", d).stdout
    assert "valid" in out and "IVR flow: 8 nodes, verified" in out
    flow = json.loads(cli("survey", "ivr", d).stdout)
    assert flow["nodes"][1]["kind"] == "collect"
    run = cli("survey", "run", d, "--input", "2,1,4,10#,timeout,3").stdout
    assert "overall      0" in run and "nps          10" in run
    assert cli("survey", "run", d, check=False).returncode == 2  # --input missing
