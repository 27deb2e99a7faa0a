"""Computes a complaint reply deadline on a department calendar (run from the repository root)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hotline.calendar import Calendar

cal = Calendar.load("examples/calendars/shanghai-dept-2025.json")
received = datetime(2025, 1, 27, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
due = cal.add_business(received, timedelta(hours=16))
print("received", cal.format_time(received))
print("reply due", cal.format_time(due), "(16 business hours)")
for seg in cal.explain(received, due):
    print(f"  {seg.date}  {seg.duration}  {seg.kind.name.lower()}  {seg.name}")
assert cal.business_between(received, due) == timedelta(hours=16)
