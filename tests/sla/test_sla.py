"""Python API and CLI of hotline.sla."""

import json
import math
from datetime import datetime, timedelta, timezone

import pytest

import hotline
from hotline import sla
from hotline.calendar import Calendar

T0 = datetime(2025, 1, 1, 1, 0, tzinfo=timezone.utc)


def test_erlang_call_centre_helper():
    # callcentrehelper.com "Erlang C formula made simple": 100 calls / 30 min, AHT 180 s,
    # 80/20 -> 14 agents, P(wait) 0.17413, SL 0.88835, ASA 7.836 s, 20 with 30% shrinkage.
    assert sla.erlang_c(14, 10.0) == pytest.approx(0.17413, abs=5e-6)
    m = sla.erlang_c_metrics(14, 10.0, aht=180, threshold=timedelta(seconds=20))
    assert m.service_level == pytest.approx(0.88835, abs=5e-6)
    assert m.asa == pytest.approx(7.836, abs=5e-4)
    s = sla.required_agents(100, timedelta(minutes=30), 180, service_level=0.8, threshold=20,
                            shrinkage=0.3)
    assert (s.agents, s.scheduled) == (14, 20)
    assert sla.erlang_b(1, 1.0) == 0.5
    # Large N stays finite and exact-looking (reference: tests/sla/erlang_reference.csv).
    assert sla.erlang_b(1_000_000, 999_000.37) == pytest.approx(0.00028755841445747576079,
                                                                 rel=1e-12)


def test_erlang_a_and_forecast():
    a = sla.erlang_a(14, 10.0, 180, 300, 20)
    # tests/sla/erlang_reference.csv (mpmath, birth-death chain): A,14,10,180,300,20
    assert 0 < a.p_abandon < 0.05 and a.p_wait < sla.erlang_c(14, 10.0)
    c = sla.erlang_a(14, 10.0, 180, float("inf"), 20)
    assert c.p_wait == sla.erlang_c(14, 10.0)
    # Patience beyond Erlang A's numerical range (agents x patience / aht > 1e12).
    with pytest.raises(hotline.LimitError) as e:
        sla.erlang_a(10, 5.0, 1, 1e300, 20)
    assert e.value.where == "patience"
    day = [sla.Workload(100 + 50 * i, 1800, 180) for i in range(48)]
    res = sla.required_agents_forecast(day, service_level=0.8, threshold=20)
    assert len(res) == 48 and res[0].agents == 14
    assert all(b.agents >= a.agents for a, b in zip(res, res[1:]))
    with_patience = sla.required_agents(100, 1800, 180, service_level=0.8, threshold=20,
                                        patience=300)
    assert with_patience.agents <= 14 and with_patience.p_abandon > 0


def test_staffing_at_astronomical_loads_is_a_limit():
    # Found by fuzz_workforce_plan: floor(1e67 Erlangs) cast to an agent count (UBSan).
    with pytest.raises(hotline.LimitError) as e:
        sla.required_agents(1.06e67, 1800, 180, service_level=0.8, threshold=20)
    assert e.value.where == "agents"


def test_erlang_bad_input():
    with pytest.raises(hotline.InvalidArgumentError) as e:
        sla.erlang_c(10, 10.0)
    assert e.value.where == "agents"
    with pytest.raises(ValueError):
        sla.erlang_b(5, -1.0)
    with pytest.raises(hotline.LimitError):
        sla.erlang_b(20_000_000, 1.0)
    with pytest.raises(hotline.InvalidArgumentError) as e:
        sla.required_agents(100, 1800, 180, service_level=1.2, threshold=20)
    assert e.value.where == "service_level"
    with pytest.raises(hotline.InvalidArgumentError):
        sla.required_agents(-1, 1800, 180, max_asa=20)
    with pytest.raises(hotline.InvalidArgumentError):
        sla.required_agents(100, 1800, 180, max_asa=20, basis="sideways")
    with pytest.raises(TypeError):
        sla.erlang_c_metrics(14, 10.0, "180", 20)


def test_sliding_window():
    w = sla.SlidingWindow.preset(window=timedelta(minutes=15))
    vip = w.tier_index("vip")
    w.answered(vip, T0, 10)
    w.answered(vip, T0 + timedelta(seconds=1), timedelta(seconds=30))
    w.abandoned(vip, T0 + timedelta(seconds=2), 3)
    assert w.service_level(vip, T0 + timedelta(seconds=3)) == 0.5
    assert w.gap(vip, T0 + timedelta(seconds=3)) == pytest.approx(0.35)
    assert w.calls_to_target(vip, T0 + timedelta(seconds=3)) == 5
    assert w.current_level(vip) == 0.5
    rev = w.revision(vip)
    w.arrived(vip, T0 + timedelta(seconds=3))
    assert w.revision(vip) == rev  # arrivals are not in the level's counts
    with pytest.raises(hotline.InvalidArgumentError):
        w.revision(9)
    with pytest.raises(hotline.InvalidArgumentError) as e:
        w.answered(vip, T0 + timedelta(seconds=3), timedelta(days=3661))
    assert e.value.where == "wait"
    st = w.stats(vip, T0 + timedelta(seconds=3))
    assert st["offered"] == 3 and st["short_abandoned"] == 1
    assert st["total_answer_wait"] == timedelta(seconds=40)
    assert w.service_level(vip, T0 + timedelta(minutes=20)) == 1.0
    with pytest.raises(hotline.InvalidArgumentError) as e:
        w.answered(vip, T0, 1)
    assert e.value.where == "at"
    with pytest.raises(hotline.NotFoundError):
        w.tier_index("gold")
    custom = sla.SlidingWindow([("a", 20, 0.8)], window=60, variant="answered_abandoned")
    custom.abandoned(0, T0, 5)
    assert custom.service_level(0, T0) == 1.0
    with pytest.raises(hotline.InvalidArgumentError) as e:
        sla.SlidingWindow([("a", 20, 1.5)])
    assert e.value.where == "tiers/0/fraction"
    with pytest.raises(hotline.InvalidArgumentError):
        sla.SlidingWindow([("a", 20, 0.8)], variant="nope")


def test_queue_log_report(examples):
    text = (examples / "sla" / "sample.queue_log").read_text()
    rs = sla.RecordSet.read_queue_log(text, tier_queues=["vip"])
    assert len(rs) == 7 and rs.incomplete == 1
    rows = sla.report(rs, sla.Targets.preset(), Calendar.always_open("Asia/Shanghai"))
    support = next(r for r in rows if r["queue"] == "support")
    assert support["start"] == T0
    assert support["offered"] == 6 and support["timeouts"] == 1
    assert support["sl_answered"] == 0.5  # Asterisk SL
    assert support["sl_answered_abandoned"] == 0.6  # Asterisk SL2
    assert support["sl_offered_excl_short_abandoned"] == pytest.approx(0.2)
    assert support["asa"] == 17.5 and not support["meets_target"]
    with pytest.raises(hotline.InvalidArgumentError) as e:
        sla.RecordSet.read_queue_log("20|a|q|N|ENTERQUEUE\n10|b|q|N|ENTERQUEUE\n")
    assert e.value.where == "line 2, column 1"


def test_csv_records_and_compliance(examples):
    cal = Calendar.always_open("Asia/Shanghai")
    rs = sla.RecordSet.read_csv((examples / "sla" / "sample.csv").read_text(), cal)
    assert len(rs) == 8
    rows = sla.report(rs, calendar=cal, granularity="60m")
    assert len(rows) == 2
    with pytest.raises(hotline.InvalidArgumentError) as e:
        sla.RecordSet.read_csv("arrival,colour\n", cal)
    assert e.value.where == "line 1, column 2"
    # A 66,000-year wrap-up (fuzz_sla_csv finding) is an error at its field.
    with pytest.raises(hotline.InvalidArgumentError) as e:
        long_wrap = "arrival,outcome,wait,wrap\n2025-01-01 09:00,answered,5,2082088006086\n"
        sla.RecordSet.read_csv(long_wrap, cal)
    assert e.value.where == "line 2, column 4"
    mem = sla.RecordSet()
    for day in range(1, 29):
        at = datetime(2025, 2, day, 4, 0, tzinfo=timezone.utc)
        mem.add(at, 10 if day <= 24 else 40, tier="vip", queue="q")
    comp = sla.daily_compliance(mem, calendar=cal)
    assert comp[0]["days_met"] == 24 and comp[0]["days_in_month"] == 28 and comp[0]["pass"]
    with pytest.raises(ValueError):
        mem.add(T0, -1)
    targets = sla.Targets.load(examples / "sla" / "targets.json")
    assert targets.tiers[0] == ("vip", timedelta(seconds=15), 0.85)
    with pytest.raises(hotline.DefinitionError) as e:
        sla.Targets.from_json('{"tiers": [{"tier": "a", "threshold": "1s", "target": 3}]}')
    assert e.value.where == "/tiers/0/target"


def test_occupancy():
    rs = sla.RecordSet()
    rs.add(T0, 10, agent="a1", talk=170, wrap=20)
    rs.add_agent_span("a1", T0, T0 + timedelta(minutes=30))
    rs.add_agent_span("a1", T0 + timedelta(minutes=10), T0 + timedelta(minutes=20), paused=True)
    occ = sla.occupancy(rs, Calendar.always_open("Asia/Shanghai"))
    assert len(occ) == 1 and occ[0]["busy"] == timedelta(seconds=190)
    assert occ[0]["occupancy"] == pytest.approx(190 / 1200)
    # A span longer than ten years (of 366 days) is refused and adds nothing.
    with pytest.raises(hotline.InvalidArgumentError) as e:
        rs.add_agent_span("a2", T0, T0 + timedelta(days=3660, milliseconds=1))
    assert e.value.where == "end"
    assert len(sla.occupancy(rs, Calendar.always_open("Asia/Shanghai"))) == 1
    with pytest.raises(ValueError):
        rs.add_agent_span("a1", T0, T0 - timedelta(seconds=1))


def test_occupancy_at_the_edges_of_python_time():
    # fuzz_capi finding (UBSan): agent time near INT64_MIN ms overflowed converting to Shanghai's
    # local time. Python's datetime (years 1 to 9999) cannot reach those instants (the C and C++
    # tests do), nor hold a row that starts before year 1: the same conversions a year inside
    # either end keep every second, in every granularity.
    first = datetime(2, 1, 1, tzinfo=timezone.utc)
    last = datetime(9998, 12, 1, tzinfo=timezone.utc)
    rs = sla.RecordSet()
    rs.add_agent_span("a1", first, first + timedelta(hours=1))
    rs.add_agent_span("a1", last - timedelta(hours=1), last)
    rs.add(last - timedelta(minutes=30), 5, agent="a1", talk=60)
    for g in ("15m", "30m", "60m", "day", "month"):
        occ = sla.occupancy(rs, Calendar.always_open("Asia/Shanghai"), g)
        assert sum((r["staffed"] for r in occ), timedelta()) == timedelta(hours=2), g
        assert sum((r["busy"] for r in occ), timedelta()) == timedelta(seconds=60), g


def test_queue_log_spanning_millennia_is_an_error():
    # fuzz_sla_queue_log finding: a login from 2025 to the year 7470 (monthly occupancy walked
    # 65,000 months); a log may span at most ten years.
    with pytest.raises(hotline.InvalidArgumentError) as e:
        sla.RecordSet.read_queue_log(
            "1735693100|NONE|q|A|ADDMEMBER|\n173569325331|b|q|NONE|ENTERQUEUE||x|1\n")
    assert e.value.where == "line 2, column 1"


def test_scorecard():
    assert sla.mystery_call_score(92, 80, 90) == pytest.approx(1.2)
    with pytest.raises(ValueError):
        sla.mystery_call_score(92, 80, 80)
    assert sla.satisfaction_rate(98, 100) == 0.98
    assert math.isnan(sla.satisfaction_rate(0, 0))
    items = [(T0, T0 - timedelta(hours=1))] * 98 + [(T0, T0 + timedelta(hours=1)), (T0, None)]
    r = sla.on_time_ratio(items, T0 + timedelta(hours=2))
    assert r["ratio"] == 0.98 and r["meets_98"] and r["late"] == 2
    assert sla.service_level(100, 70, 25, 60, 10, 4, "offered") == 0.6


def test_cli_staff(cli, examples):
    out = cli("staff", "--calls", 100, "--interval", "30m", "--aht", "180s", "--target", "80/20",
              "--shrinkage", 0.3, "--json")
    s = json.loads(out.stdout)
    assert s["agents"] == 14 and s["scheduled"] == 20
    assert s["p_wait"] == pytest.approx(0.17413, abs=5e-6)
    assert s["service_level"] == pytest.approx(0.88835, abs=5e-6)
    assert s["asa_s"] == pytest.approx(7.836, abs=5e-4)
    text = cli("staff", "--calls", 100, "--interval", "30m", "--aht", "180s", "--target", "80/20",
               "--patience", "300s").stdout
    assert "Erlang A" in text and "P(abandon)" in text
    rows = json.loads(cli("staff", "--forecast", examples / "sla" / "forecast.csv", "--target",
                          "80/20", "--json").stdout)
    assert [r["start"] for r in rows] == ["08:00", "08:30", "09:00", "09:30"]
    bad = cli("staff", "--calls", -5, "--aht", "180s", "--target", "80/20", check=False)
    assert bad.returncode == 1 and "calls" in bad.stderr
    usage = cli("staff", "--calls", 5, "--aht", "180s", "--target", "80", check=False)
    assert usage.returncode == 2
    assert cli("staff", "--calls", 5, "--aht", "1s", "--bogus", 1, check=False).returncode == 2


def test_cli_sla(cli, examples, tmp_path):
    rep = json.loads(cli("sla", examples / "sla" / "sample.queue_log", "--format", "queue_log",
                         "--targets", examples / "sla" / "targets.json", "--json").stdout)
    support = next(r for r in rep["rows"] if r["queue"] == "support")
    assert support["service_levels"]["answered"] == 0.5
    assert support["service_levels"]["answered_abandoned"] == 0.6
    assert rep["incomplete"] == 1
    assert rep["daily_compliance"][0]["days_in_month"] == 31
    text = cli("sla", examples / "sla" / "sample.csv").stdout
    assert "MISSED" in text and "daily compliance" in text
    unordered = tmp_path / "bad.log"
    unordered.write_text("20|a|q|N|ENTERQUEUE\n10|b|q|N|ENTERQUEUE\n")
    bad = cli("sla", unordered, "--format", "queue_log", check=False)
    assert bad.returncode == 1 and "line 2, column 1" in bad.stderr
    badcsv = tmp_path / "bad.csv"
    badcsv.write_text("arrival,colour\n")
    bad = cli("sla", badcsv, check=False)
    assert bad.returncode == 1 and "line 1, column 2" in bad.stderr
    assert cli("sla", badcsv, "--format", "xml", check=False).returncode == 2
