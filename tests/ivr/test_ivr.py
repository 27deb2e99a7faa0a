"""hotline.ivr from Python: composition and verification, sessions, registry, trajectories,
analytics, simulation, DOT and diff, and the CLI."""

import json
from datetime import datetime, timedelta, timezone

import pytest

import hotline
from hotline import ivr

CST = timezone(timedelta(hours=8))
T0 = datetime(2025, 3, 3, 10, 0, tzinfo=CST)  # Monday: the complaints desk is open


@pytest.fixture
def docs(examples):
    return [examples / "ivr" / "national.json", examples / "ivr" / "guangdong.json"]


@pytest.fixture
def tree(docs):
    return ivr.load(*docs)


def test_compose_and_metrics(tree):
    assert tree.version_label == "national 2025.1 + guangdong 2025.3"
    assert tree.languages == ["zh", "yue", "en"]
    main = tree.node("main")
    assert main["kind"] == ivr.NodeKind.MENU
    assert main["seconds_to_agent"] == 9.0
    assert tree.node("guangdong/password")["depth"] == 1
    assert all(n["reachable"] for n in tree.report()["nodes"])
    text, length = tree.prompt("choose_language", "en")  # zh fallback
    assert "English" in text and length == timedelta(seconds=5)
    # 2 s + 5 s (zh fallback) + 7 s; an unknown id counts 0.
    assert tree.prompts_length(["welcome", "choose_language", "main_menu", "nope"], "en") == \
        timedelta(seconds=14)
    assert tree.digits_match("guangdong/password", "123456")
    assert not tree.digits_match("guangdong/password", "12345")
    assert tree.digits_match("main", "7")  # no pattern
    with pytest.raises(hotline.NotFoundError) as e:
        tree.digits_match("nowhere", "1")
    assert e.value.where == "node"
    assert "digraph ivr" in tree.to_dot()


def test_errors_are_all_reported(examples):
    bad = {
        "name": "t", "version": "1", "languages": ["zh"], "global": {"agent": "a"},
        "start": "m",
        "nodes": [
            {"id": "a", "kind": "transfer", "queue": "q"},
            {"id": "m", "kind": "menu", "options": [{"key": "1", "to": "ghost"},
                                                     {"key": "2", "to": "pay"}]},
            {"id": "pay", "kind": "action", "action": "top_up", "changes_account": True,
             "outcomes": {"ok": "a"}},
            {"id": "lost", "kind": "hangup"},
        ],
    }
    doc = ivr.Document.from_json(json.dumps(bad))
    tree, errors, warnings = ivr.Tree.inspect([doc])
    wheres = {e.where for e in errors}
    assert {"t/m/options/0/to", "t/pay", "t/lost"} <= wheres
    with pytest.raises(hotline.DefinitionError) as e:
        ivr.Tree.compose([doc])
    assert len(e.value.diagnostics) == len(errors)
    with pytest.raises(hotline.DefinitionError) as e:
        ivr.Document.from_json('{"name": "x", "version": "1", "start": "a", '
                               '"nodes": [{"id": "a", "kind": "teleport"}]}')
    assert e.value.where == "/nodes/0/kind"
    # A collect pattern nested 30,000 groups deep crashed std::regex; now an error at the pattern.
    deep = "(" * 30000 + "1" + ")" * 30000
    with pytest.raises(hotline.DefinitionError) as e:
        ivr.Document.from_json(json.dumps({
            "name": "x", "version": "1", "start": "a",
            "nodes": [{"id": "a", "kind": "collect", "into": "v", "pattern": deep}]}))
    assert e.value.where == "/nodes/0/pattern"
    assert "at most 256" in str(e.value)


def test_session_self_service(tree):
    s = ivr.Session(tree, T0, tier="L3", language="en")
    acts = s.actions()
    assert [a["kind"] for a in acts] == ["play", "play", "collect"]
    assert acts[0]["prompts"] == ["welcome"] and acts[0]["language"] == "en"
    s.on_digits("1", T0 + timedelta(seconds=8))
    s.on_digits("1", T0 + timedelta(seconds=15))
    assert s.node == "guangdong/password"
    s.on_digits("123456", T0 + timedelta(seconds=20))
    assert s.actions()[-1] == {**s.actions()[-1], "kind": "invoke", "name": "verify_password"}
    with pytest.raises(hotline.InvalidArgumentError):
        s.on_result("maybe", T0 + timedelta(seconds=21))
    s.on_result("ok", T0 + timedelta(seconds=21))
    assert s.verified and s.variable("password") == "123456"
    s.on_digits("2", T0 + timedelta(seconds=25))
    s.on_result("ok", T0 + timedelta(seconds=26))
    s.on_digits("9", T0 + timedelta(seconds=35))
    assert s.finished and s.trajectory.outcome == ivr.Outcome.SELF_SERVICE
    with pytest.raises(hotline.StateError):
        s.on_digits("1", T0 + timedelta(seconds=36))


def test_agent_key_l1_and_transfer_attributes(tree):
    s = ivr.Session(tree, T0, tier="L3")
    s.on_digits("1", T0 + timedelta(seconds=8))
    s.on_digits("0", T0 + timedelta(seconds=12))
    assert s.trajectory.outcome == ivr.Outcome.TRANSFERRED and s.trajectory.queue == "general"
    vip = ivr.Session(tree, T0, tier="L1")
    assert vip.finished and vip.actions()[-1]["attributes"] == {"tier": "L1"}


def test_registry_and_trajectory_round_trip(tree, docs):
    reg = ivr.Registry()
    assert reg.publish(tree) == 1
    s = ivr.Session(reg.latest(), T0, tier="L3")
    s.on_hangup(T0 + timedelta(seconds=3))
    text = s.trajectory.to_json(tree)
    back = ivr.Trajectory.from_json(text, tree)
    assert back.to_json(tree) == text and back.outcome == ivr.Outcome.ABANDONED
    stats = ivr.analyze(tree, [s.trajectory])
    assert stats["abandoned"] == 1 and stats["drop_off_per_node"] == {"national/language": 1}


def test_simulation_is_reproducible_and_model_sensitive(tree):
    model = {"keys": {"national/main": {"1": 0.6, "0": 0.2}}, "timeout_probability": 0.05,
             "outcomes": {"verify_password": {"ok": 0.9, "fail": 0.1}}, "mean_patience": "120s"}
    a = ivr.simulate(tree, model, 1500, seed=5, start=T0)
    b = ivr.simulate(tree, model, 1500, seed=5, start=T0)
    assert [t.to_json(tree) for t in a] == [t.to_json(tree) for t in b]
    x = ivr.analyze(tree, a)
    assert x["calls"] == 1500
    assert x["self_service"] + x["transferred"] + x["abandoned"] + x["step_limit"] == 1500
    y = ivr.analyze(tree, ivr.simulate(tree, {**model, "mean_patience": "10s"}, 1500, 5, T0))
    assert y["abandonment"] > x["abandonment"] + 0.2
    with pytest.raises(hotline.DefinitionError):
        ivr.simulate(tree, {"timeout_probability": 3}, 10, 1, T0)


def test_diff(tree, docs):
    text = docs[0].read_text(encoding="utf-8")
    text = text.replace('{"key": "3", "to": "business_agent"}]', '{"key": "3", "to": "roaming"}]')
    v2 = ivr.Tree.compose([ivr.Document.from_json(text, str(docs[0].parent)),
                           ivr.Document.load(docs[1])])
    changes = tree.diff(v2)
    assert ("option_rerouted", "national/business",
            "key 3: national/business_agent -> national/roaming") in changes


def test_cli(cli, docs, tmp_path):
    out = cli("ivr", "validate", *docs).stdout
    assert "valid, 35 nodes" in out and "national/main" in out
    report = json.loads(cli("ivr", "validate", *docs, "--json").stdout)
    assert report["errors"] == [] and len(report["nodes"]) == 35
    assert "digraph ivr" in cli("ivr", "dot", *docs).stdout
    run = cli("ivr", "run", *docs, "--input", "1,4").stdout
    assert "outcome: transferred to complaints" in run
    sim = cli("ivr", "simulate", *docs, "--calls", "500", "--seed", "3").stdout
    assert "contained in self-service" in sim and "most frequent paths" in sim
    diff = cli("ivr", "diff", *docs, "--", *docs).stdout
    assert "0 change(s)" in diff
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "b", "version": "1", "start": "x", "nodes": [{"id": "x", "kind": "fly"}]}')
    r = cli("ivr", "validate", bad, check=False)
    assert r.returncode == 1 and "/nodes/0/kind" in r.stdout + r.stderr
