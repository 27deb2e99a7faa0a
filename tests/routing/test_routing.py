"""hotline.routing from Python: policies and their errors, strategies, tiers from host attributes,
timed steps, ring-all, replay of a recorded log, and the CLI."""

import json
import random
from datetime import datetime, timedelta, timezone

import pytest

import hotline
from hotline import routing

CST = timezone(timedelta(hours=8))
T0 = datetime(2025, 3, 3, 10, 0, tzinfo=CST)  # Monday: the complaints desk is open


@pytest.fixture
def policy(examples):
    return routing.Policy.load(examples / "routing" / "policy.json")


def agent(i, **skills):
    return routing.AgentProfile(i, skills=skills, languages=["zh"])


def test_policy_loads_classifies_and_round_trips(policy):
    assert policy.name == "provincial-10010"
    assert "billing" in policy.queue_names
    assert policy.classify({"arpu": 650}) == "L1"
    assert policy.classify({"service_grade": "gold"}) == "L2"
    assert policy.classify({}) == "L3"
    assert policy.strategy("vip") == routing.Strategy.BEST_SKILL
    again = routing.Policy.from_json(policy.to_json())
    assert again.to_json() == policy.to_json()
    assert policy.starvation_bound == timedelta(minutes=5)


def test_bad_policy_names_the_pointer():
    bad = {"skills": ["billing"], "tiers": [{"name": "L3"}],
           "queues": [{"name": "q", "skills": ["billing"],
                       "steps": [{"after": "0s"}, {"after": "30s"}, {"after": "10s"}]}]}
    with pytest.raises(hotline.DefinitionError, match="/queues/0/steps/2/after"):
        routing.Policy.from_json(json.dumps(bad))
    bad["queues"][0] = {"name": "q", "skills": ["biling"]}
    with pytest.raises(hotline.DefinitionError, match="/queues/0/skills/0"):
        routing.Policy.from_json(json.dumps(bad))


def test_offer_accept_wrap_up_and_priority(policy):
    r = routing.Router(policy)
    r.login(agent(1, billing=4), T0)
    d = r.arrive(routing.ContactSpec(10, "billing", attributes={"arpu": 30}, language="zh"), T0)
    assert [x.kind for x in d] == [routing.DecisionKind.OFFER]
    assert d[0].agent == 1 and d[0].rule == routing.Rule.STRATEGY
    assert "longest_idle" in d[0].explain(policy)
    r.accept(10, 1, T0 + timedelta(seconds=2))
    # Two callers wait: an L1 (by ARPU) arriving later is served first.
    r.arrive(routing.ContactSpec(11, "billing", attributes={"arpu": 30}, language="zh"), T0 + timedelta(seconds=5))
    r.arrive(routing.ContactSpec(12, "billing", attributes={"arpu": 900}, language="zh"), T0 + timedelta(seconds=6))
    assert r.position(12, T0 + timedelta(seconds=6)) == 1
    assert r.position(11, T0 + timedelta(seconds=6)) == 2
    r.end(10, T0 + timedelta(seconds=60))
    assert r.agent(1).wrap_up == 1
    d = r.advance(T0 + timedelta(seconds=70))  # the queue's wrap-up is 10 s
    offers = [x for x in d if x.kind == routing.DecisionKind.OFFER]
    assert [x.contact for x in offers] == [12]
    assert offers[0].rule == routing.Rule.PRIORITY
    assert offers[0].at == T0 + timedelta(seconds=70)
    stats = r.queue_stats("billing")
    assert stats.answered == 1 and stats.waiting == 2
    r.check_invariants()


def test_errors_leave_the_router_unchanged(policy):
    r = routing.Router(policy)
    r.login(agent(1, billing=4), T0)
    with pytest.raises(hotline.NotFoundError):
        r.accept(99, 1, T0)
    with pytest.raises(hotline.AlreadyExistsError):
        r.login(agent(1, billing=4), T0)
    with pytest.raises(hotline.InvalidArgumentError):
        r.advance(T0 - timedelta(seconds=1))
    with pytest.raises(hotline.NotFoundError, match="unknown skill"):
        r.login(agent(2, cooking=3), T0)
    assert r.agent_count == 1 and r.waiting_count == 0
    r.check_invariants()


def test_abandon_centuries_later_leaves_a_consistent_router(policy):
    # fuzz_routing: the SLA window refused a wait past its 10-year limit after the offer had been
    # withdrawn, leaving the contact offered to nobody. The wait now saturates at the limit.
    r = routing.Router(policy)
    r.login(agent(1, complaints=3), T0)
    d = r.arrive(routing.ContactSpec(2, "complaints", language="zh"), T0 + timedelta(seconds=38))
    assert [x.kind for x in d] == [routing.DecisionKind.OFFER]
    far = T0.replace(year=T0.year + 2000)
    d = r.abandon(2, far)
    assert routing.DecisionKind.WITHDRAW in [x.kind for x in d]
    r.check_invariants()
    assert r.waiting_count == 0 and r.agent(1).offered == 0
    with pytest.raises(hotline.NotFoundError):
        r.contact(2)


def test_ring_all_first_accept_wins(examples):
    text = json.dumps({"skills": ["s"], "tiers": [{"name": "L3"}],
                       "rules": {"announce": False},
                       "queues": [{"name": "q", "skills": ["s"], "strategy": "ring_all", "ring_all_limit": 2}]})
    p = routing.Policy.from_json(text)
    r = routing.Router(p)
    for i in (1, 2, 3):
        r.login(routing.AgentProfile(i, skills={"s": 1}), T0 + timedelta(seconds=i))
    d = r.arrive(routing.ContactSpec(5, "q"), T0 + timedelta(seconds=10))
    assert [x.agent for x in d] == [1, 2] and all(x.rule == routing.Rule.RING_ALL for x in d)
    w = r.accept(5, 2, T0 + timedelta(seconds=11))
    assert [(x.kind, x.agent, x.rule) for x in w] == [
        (routing.DecisionKind.WITHDRAW, 1, routing.Rule.ACCEPTED_ELSEWHERE)]
    with pytest.raises(hotline.StateError):
        r.accept(5, 1, T0 + timedelta(seconds=11))


def test_steps_expand_then_overflow(policy):
    r = routing.Router(policy)
    r.login(agent(1, mobile_data=3), T0)
    assert r.arrive(routing.ContactSpec(1, "broadband", tier="L3", language="zh"), T0)[0].kind == \
        routing.DecisionKind.ANNOUNCE
    assert r.next_due == T0 + timedelta(seconds=30)
    d = r.advance(T0 + timedelta(seconds=30))
    assert [(x.kind, x.agent, x.step) for x in d] == [(routing.DecisionKind.OFFER, 1, 1)]


def test_next_due_skips_timers_that_can_no_longer_act():
    # An answered offer's timeout and a departed contact's starvation bound do not wake the host.
    text = json.dumps({"skills": ["billing"], "tiers": [{"name": "L3"}],
                       "rules": {"max_wait": "10m", "offer_timeout": "20s", "sla_aware": False,
                                 "announce": False},
                       "queues": [{"name": "billing", "skills": ["billing"], "aging_per_s": 0,
                                   "wrap_up": "0s"}]})
    r = routing.Router(routing.Policy.from_json(text))
    r.login(routing.AgentProfile(1, skills={"billing": 3}), T0)
    d = r.arrive(routing.ContactSpec(1, "billing"), T0)
    assert [x.kind for x in d] == [routing.DecisionKind.OFFER]
    assert r.next_due == T0 + timedelta(seconds=20)
    r.accept(1, 1, T0 + timedelta(seconds=5))
    assert r.next_due == T0 + timedelta(minutes=10)
    r.end(1, T0 + timedelta(seconds=60))
    assert r.next_due is None
    r.check_invariants()


def test_recorded_log_replays_bit_identically(policy):
    r = routing.Router(policy, seed=4, record=True)
    rng = random.Random(9)
    live = []
    for i in range(1, 9):
        live += r.login(routing.AgentProfile(i, skills={"billing": rng.randint(1, 5), "broadband": 3},
                                             languages=["zh"]), T0)
    t = T0
    for c in range(1, 200):
        t += timedelta(seconds=rng.randint(0, 30))
        live += r.advance(t)
        d = r.arrive(routing.ContactSpec(c, rng.choice(["billing", "broadband"]),
                                         attributes={"arpu": rng.randint(0, 800)}, language="zh"), t)
        live += d
        for x in d:
            if x.kind == routing.DecisionKind.OFFER:
                live += r.accept(x.contact, x.agent, t)
                live += r.end(x.contact, t)
    log = r.events_jsonl()
    assert len(log.splitlines()) > 400
    assert routing.replay(policy, log, seed=4) == live
    assert routing.replay(policy, log, seed=4, indexed=False) == live
    with pytest.raises(hotline.DefinitionError, match="line 2"):
        routing.replay(policy, log.splitlines()[0] + "\n{\"kind\": 1}\n")


def test_cli_validate_and_replay(cli, examples, tmp_path, policy):
    out = cli("routing", "validate", examples / "routing" / "policy.json")
    assert "7 queues" in out.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"skills": [], "tiers": [{"name": "L3"}], "queues": [{"name": "q", "strategy": "fastest"}]}')
    proc = cli("routing", "validate", bad, check=False)
    assert proc.returncode != 0 and "/queues/0/strategy" in proc.stderr
    r = routing.Router(policy, record=True)
    r.login(agent(1, billing=4), T0)
    r.arrive(routing.ContactSpec(1, "billing", tier="L3", language="zh"), T0)
    log = tmp_path / "events.jsonl"
    log.write_text(r.events_jsonl())
    out = cli("routing", "replay", examples / "routing" / "policy.json", log)
    assert "offer contact 1 to agent 1" in out.stdout
    out = cli("routing", "replay", "--json", examples / "routing" / "policy.json", log)
    first = json.loads(out.stdout.splitlines()[0])
    assert first["kind"] == "offer" and first["agent"] == 1
    log.write_text(r.events_jsonl() + '{"kind": "accept", "at": "2025-03-03T02:00:00Z", "agent": 1}\n')
    proc = cli("routing", "replay", examples / "routing" / "policy.json", log, check=False)
    assert proc.returncode == 1 and "line 3 /contact" in proc.stderr
