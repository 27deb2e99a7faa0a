"""hotline.calendar from Python: queries, explanations, builder, errors, CLI."""

import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import hotline
from hotline.calendar import Calendar, CalendarBuilder, DayKind, Interval, Weekday

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def dept(examples):
    return Calendar.load(examples / "calendars" / "shanghai-dept-2025.json")


def test_load_example(dept):
    assert dept.time_zone == "Asia/Shanghai"
    assert dept.day_kind(date(2025, 1, 26)) == DayKind.WORKDAY  # Sunday make-up workday
    assert dept.day_kind(date(2025, 1, 28)) == DayKind.HOLIDAY  # Spring Festival eve
    assert dept.day_name(date(2025, 10, 1)) == "National Day and Mid-Autumn Festival"


def test_aware_datetimes_in_any_zone(dept):
    local = datetime(2025, 1, 27, 9, 0, tzinfo=SHANGHAI)
    utc = datetime(2025, 1, 27, 1, 0, tzinfo=timezone.utc)
    assert dept.is_open(local) and dept.is_open(utc)
    # Naive means UTC: 01:00 UTC is 09:00 in Shanghai.
    assert dept.is_open(datetime(2025, 1, 27, 1, 0))
    assert not dept.is_open(datetime(2025, 1, 27, 12, 30, tzinfo=SHANGHAI))  # lunch break


def test_add_business_across_spring_festival(dept):
    start = datetime(2025, 1, 27, 9, 0, tzinfo=SHANGHAI)
    due = dept.add_business(start, timedelta(hours=8))
    assert due == datetime(2025, 2, 5, 9, 30, tzinfo=SHANGHAI)
    assert due.tzinfo is not None
    # Durations as seconds work too.
    assert dept.add_business(start, 8 * 3600.0) == due
    assert dept.business_between(start, due) == timedelta(hours=8)
    segs = dept.explain(start, due)
    assert [s.date for s in segs] == [date(2025, 1, 27), date(2025, 1, 27), date(2025, 2, 5)]
    assert sum((s.duration for s in segs), timedelta()) == timedelta(hours=8)
    assert all(s.kind == DayKind.REGULAR for s in segs)


def test_result_on_segment_end_stays_that_day(dept):
    start = datetime(2025, 1, 27, 9, 0, tzinfo=SHANGHAI)
    assert dept.add_business(start, timedelta(hours=7)) == datetime(2025, 1, 27, 17, 30, tzinfo=SHANGHAI)


def test_next_open_and_close(dept):
    t = datetime(2025, 1, 29, 10, 0, tzinfo=SHANGHAI)
    assert dept.next_open(t) == datetime(2025, 2, 5, 8, 30, tzinfo=SHANGHAI)
    assert dept.next_close(t) == datetime(2025, 2, 5, 12, 0, tzinfo=SHANGHAI)
    always = Calendar.always_open("Europe/Amsterdam")
    assert always.next_close(t) is None
    assert always.add_business(t, timedelta(days=3)) == t + timedelta(days=3)


def test_parse_and_format_time(dept):
    t = dept.parse_time("2025-01-27 09:00")
    assert t == datetime(2025, 1, 27, 1, 0, tzinfo=timezone.utc)
    assert dept.format_time(t) == "2025-01-27T09:00:00+08:00"
    assert dept.local_date(datetime(2025, 1, 26, 20, 0, tzinfo=timezone.utc)) == date(2025, 1, 27)


def test_builder():
    cal = (
        CalendarBuilder("Asia/Shanghai")
        .name("night desk")
        .hours(Weekday.FRI, ["22:00-02:00+1"])
        .hours(Weekday.MON, [(9 * 60, 18 * 60)])
        .holiday(date(2025, 10, 3), "National Day")
        .build()
    )
    assert cal.name == "night desk"
    # Friday 3 Oct is a holiday: its overnight shift does not run, not even after midnight.
    assert not cal.is_open(datetime(2025, 10, 4, 1, 0, tzinfo=SHANGHAI))
    assert cal.is_open(datetime(2025, 10, 11, 1, 0, tzinfo=SHANGHAI))
    assert Interval.parse("22:00-02:00+1") == Interval(22 * 60, 26 * 60)
    again = Calendar.from_json(cal.to_json())
    assert json.loads(again.to_json()) == json.loads(cal.to_json())


def test_definition_errors_name_the_field():
    with pytest.raises(hotline.DefinitionError) as info:
        Calendar.from_json('{"time_zone": "Mars/Olympus", "always_open": true}')
    assert info.value.where == "/time_zone"
    assert info.value.code == "invalid_definition"
    with pytest.raises(hotline.DefinitionError) as info:
        Calendar.from_json('{"time_zone": "Asia/Shanghai", "hours": {"mon": ["18:00-09:00"]}}')
    assert info.value.where == "/hours/mon/0"
    assert "+1" in str(info.value)
    with pytest.raises(hotline.DefinitionError) as info:
        Calendar.from_json('{"time_zone": "Asia/Shanghai", "always_open": true, "days": [{"date": "2025-02-30", "kind": "holiday"}]}')
    assert info.value.where == "/days/0/date"
    with pytest.raises(hotline.DefinitionError) as info:
        Calendar.from_json('{"time_zone": "Asia/Shanghai",\n "always_open": tru}')
    assert info.value.where.startswith("line 2")
    with pytest.raises(hotline.DefinitionError):
        CalendarBuilder("Asia/Shanghai").hours(Weekday.MON, ["09:00-12:00", "11:00-13:00"]).build()
    with pytest.raises(hotline.StorageError):
        Calendar.load("/nonexistent/calendar.json")


def test_bad_arguments(dept):
    t = datetime(2025, 1, 27, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(hotline.InvalidArgumentError):
        dept.add_business(t, timedelta(hours=-1))
    with pytest.raises(TypeError):
        dept.is_open("2025-01-27")
    with pytest.raises(hotline.InvalidArgumentError):
        Interval.parse("9-5")
    with pytest.raises(hotline.InvalidArgumentError):
        dept.parse_time("yesterday")


def test_cli_add_and_explain(cli, examples):
    path = examples / "calendars" / "shanghai-dept-2025.json"
    out = cli("calendar", "add", path, "--at", "2025-01-27 09:00", "--duration", "8h").stdout
    assert "deadline  2025-02-05T09:30:00+08:00" in out
    data = json.loads(cli("calendar", "add", path, "--at", "2025-01-27 09:00", "--duration", "8h", "--json").stdout)
    assert data["deadline"] == "2025-02-05T09:30:00+08:00"
    assert [s["date"] for s in data["segments"]] == ["2025-01-27", "2025-01-27", "2025-02-05"]
    data = json.loads(cli("calendar", "between", path, "--from", "2025-01-27 09:00", "--to", "2025-02-05 09:30", "--json").stdout)
    assert data["business_ms"] == 8 * 3600 * 1000
    data = json.loads(cli("calendar", "explain", path, "--from", "2025-09-26 17:00", "--duration", "1h", "--json").stdout)
    assert data["segments"][-1]["kind"] == "workday"  # Sunday 28 Sep is a make-up workday
    out = cli("calendar", "open", path, "--at", "2025-10-01 10:00").stdout
    assert out.startswith("closed") and "holiday" in out


def test_cli_errors(cli, examples, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"time_zone": "Asia/Shanghai", "hours": {"mon": ["09:00-12:00", "11:00-13:00"]}}')
    proc = cli("calendar", "check", bad, check=False)
    assert proc.returncode == 1
    assert "/hours/mon/1" in proc.stderr
    proc = cli("calendar", "add", examples / "calendars" / "hotline-7x24.json", "--at", "2025-01-01 00:00", check=False)
    assert proc.returncode == 2 and "--duration" in proc.stderr
    proc = cli("calendar", "add", examples / "calendars" / "hotline-7x24.json", "--at", "2025-01-01 00:00", "--duration", "1h", "--bogus", "1", check=False)
    assert proc.returncode == 2 and "--bogus" in proc.stderr
    assert cli("--version").stdout.startswith("hotline ")
