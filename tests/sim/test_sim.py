"""hotline.sim from Python: a run returning plain data, the Report's renderings, progress,
errors naming the field, and the `hotline simulate` CLI."""

import json

import pytest

import hotline
from hotline import sim


@pytest.fixture
def mmn(examples):
    return examples / "scenarios" / "mmn-erlang-a.json"


def test_run_returns_plain_data_close_to_erlang_a(mmn):
    report = sim.run(mmn, replications=10)
    assert report["replications"] == 10
    (tier,) = report["tiers"]
    assert tier["tier"] == "all"
    # hotline.sla's Erlang A for 20 agents, 18 Erlangs, 3-minute AHT, 2-minute patience
    a = hotline.sla.erlang_a(20, 18.0, 180.0, 120.0, 20.0)
    assert tier["abandon_rate"]["low"] <= a.p_abandon <= tier["abandon_rate"]["high"]
    assert tier["service_level"]["low"] <= a.sl_offered <= tier["service_level"]["high"]
    assert len(report["intervals"]) == 16
    json.dumps(report)  # plain data all the way down


def test_provincial_day_callbacks_add_up(examples):
    # Every callback accepted in queue or booked in the IVR is completed, unanswered, or (booked
    # after the callback desk's last shift) not dialled by the end of the run.
    cb = sim.run(examples / "scenarios" / "provincial-day.json", replications=1)["callbacks"]
    assert cb["booked"] > 100
    assert cb["completed"] + cb["unanswered"] + cb["not_dialled"] == pytest.approx(
        cb["accepted"] + cb["booked"])
    assert 0 < cb["not_dialled"] < 0.05 * cb["booked"]


def test_report_object_renders_and_progress_is_called(mmn):
    seen = []
    r = sim.run_report(sim.Scenario.load(mmn), replications=2, seed=3,
                       progress=lambda done, total, f: seen.append((done, total)))
    assert r.replications == 2
    assert seen[-1] == (2, 2)
    assert r.to_html().startswith("<!DOCTYPE html>")
    assert "<svg" in r.to_html()
    assert "The day" in r.to_text()
    again = sim.run_report(sim.Scenario.load(mmn), replications=2, seed=3)
    assert again.to_json() == r.to_json()


def test_errors_name_the_field(mmn):
    doc = json.loads(mmn.read_text())
    doc["agents"][0]["count"] = -5
    with pytest.raises(hotline.Error) as e:
        sim.Scenario.from_json(json.dumps(doc), mmn.parent)
    assert e.value.where == "/agents/0/count"
    with pytest.raises(hotline.InvalidArgumentError):
        sim.run(mmn, replications=0)
    with pytest.raises(hotline.StorageError):
        sim.Scenario.load("/no/such/scenario.json")
    with pytest.raises(hotline.LimitError) as e:
        sim.run(mmn, replications=1, max_events=100)
    assert e.value.where == "max_events"


def test_progress_exception_propagates(mmn):
    def boom(done, total, fraction):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        sim.run(mmn, replications=1, progress=boom)


def test_cli_simulate(cli, examples, tmp_path):
    html = tmp_path / "day.html"
    out = cli("simulate", examples / "scenarios" / "mmn-erlang-a.json", "--replications", "2",
              "--report", html).stdout
    assert "The day" in out
    assert str(html) in out
    assert "<svg" in html.read_text()
    data = json.loads(cli("simulate", examples / "scenarios" / "mmn-erlang-a.json",
                          "--replications", "1", "--json").stdout)
    assert data["replications"] == 1
    bad = cli("simulate", examples / "scenarios" / "mmn-erlang-a.json", "--replications", "x",
              check=False)
    assert bad.returncode == 2
