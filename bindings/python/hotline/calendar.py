"""Business calendars: weekly hours, holidays, half days and make-up workdays in an IANA zone.

    from hotline.calendar import Calendar
    cal = Calendar.load("examples/calendars/shanghai-dept-2025.json")
    due = cal.add_business(received, timedelta(hours=16))
    for seg in cal.explain(received, due):
        print(seg.date, seg.kind, seg.start, seg.end)
"""

from ._hotline.calendar import (  # noqa: F401
    Calendar,
    CalendarBuilder,
    DayKind,
    Interval,
    Segment,
    Weekday,
)

__all__ = ["Calendar", "CalendarBuilder", "DayKind", "Interval", "Segment", "Weekday"]
