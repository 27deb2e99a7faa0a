"""hotline core from Python: version, exception hierarchy, duration and instant helpers."""

import re
from datetime import datetime, timedelta, timezone

import pytest

import hotline


def test_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", hotline.__version__)
    assert hotline.version() == hotline.__version__


def test_exception_hierarchy():
    assert issubclass(hotline.DefinitionError, hotline.Error)
    assert issubclass(hotline.DefinitionError, ValueError)
    assert issubclass(hotline.InvalidArgumentError, ValueError)
    assert issubclass(hotline.NotFoundError, LookupError)
    assert issubclass(hotline.StorageError, OSError)
    for cls in (hotline.StateError, hotline.AlreadyExistsError, hotline.LimitError):
        assert issubclass(cls, hotline.Error)


def test_parse_and_format_duration():
    assert hotline.parse_duration("1h30m") == timedelta(hours=1, minutes=30)
    assert hotline.parse_duration("250ms") == timedelta(milliseconds=250)
    assert hotline.parse_duration("90") == timedelta(seconds=90)
    assert hotline.format_duration(timedelta(hours=1, minutes=30)) == "1h30m"
    assert hotline.format_duration(15.0) == "15s"
    with pytest.raises(hotline.InvalidArgumentError) as info:
        hotline.parse_duration("3 fortnights")
    assert info.value.code == "invalid_argument"
    assert "3 fortnights" in info.value.where


def test_instants_are_aware_utc():
    t = hotline.parse_instant("2025-01-27T09:00:00+08:00")
    assert t == datetime(2025, 1, 27, 1, 0, tzinfo=timezone.utc)
    assert t.tzinfo is not None and t.utcoffset() == timedelta(0)
    assert hotline.format_instant(t) == "2025-01-27T01:00:00Z"
    # Naive datetimes are read as UTC, never as local time.
    assert hotline.format_instant(datetime(2025, 1, 27, 1, 0)) == "2025-01-27T01:00:00Z"
    # Milliseconds survive the round trip.
    t = datetime(2025, 1, 27, 1, 0, 0, 123000, tzinfo=timezone.utc)
    assert hotline.parse_instant(hotline.format_instant(t)) == t


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError):
        hotline.format_instant("2025-01-27")
    with pytest.raises(TypeError):
        hotline.format_duration("15s")
