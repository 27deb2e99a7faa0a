// hotline.calendar for Python.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/error.hpp>

#include "bindings.hpp"
#include "casters.hpp"

namespace hotline::python {

namespace {

using calendar::Calendar;
using calendar::CalendarBuilder;
using calendar::DayKind;
using calendar::Interval;
using calendar::Segment;
using calendar::Weekday;

// Intervals are accepted as "09:00-18:00" strings or (start_minute, end_minute) tuples.
std::vector<Interval> to_intervals(const py::iterable& items) {
  std::vector<Interval> out;
  for (py::handle h : items) {
    if (py::isinstance<py::str>(h)) {
      out.push_back(calendar::parse_interval(h.cast<std::string>()));
    } else {
      auto pair = h.cast<std::pair<int, int>>();
      out.push_back(Interval{pair.first, pair.second});
    }
  }
  return out;
}

}  // namespace

void init_calendar(py::module_& m) {
  py::enum_<Weekday>(m, "Weekday", "Days of the week, Monday first.")
      .value("MON", Weekday::mon)
      .value("TUE", Weekday::tue)
      .value("WED", Weekday::wed)
      .value("THU", Weekday::thu)
      .value("FRI", Weekday::fri)
      .value("SAT", Weekday::sat)
      .value("SUN", Weekday::sun);

  py::enum_<DayKind>(m, "DayKind", "The rule that governs a date.")
      .value("REGULAR", DayKind::regular)
      .value("HOLIDAY", DayKind::holiday)
      .value("HALF_DAY", DayKind::half_day)
      .value("WORKDAY", DayKind::workday);

  py::class_<Interval>(m, "Interval",
                       "Local opening interval in minutes after midnight; end may exceed 1440 for "
                       "an interval that runs past midnight.")
      .def(py::init<>())
      .def(py::init([](int start, int end) {
             return Interval{start, end};
           }),
           py::arg("start"), py::arg("end"))
      .def_readwrite("start", &Interval::start)
      .def_readwrite("end", &Interval::end)
      .def_static("parse", &calendar::parse_interval, py::arg("text"),
                  "Parses '09:00-18:00' or '22:00-02:00+1'.")
      .def("__eq__", [](const Interval& a, const Interval& b) { return a == b; })
      .def("__repr__",
           [](const Interval& i) { return "Interval('" + calendar::format_interval(i) + "')"; });

  py::class_<Segment>(m, "Segment", "One open stretch of business time and the rule behind it.")
      .def_readonly("start", &Segment::start, "Start (aware UTC datetime), inclusive.")
      .def_readonly("end", &Segment::end, "End (aware UTC datetime), exclusive.")
      .def_readonly("date", &Segment::date, "The local date whose rule produced the segment.")
      .def_readonly("kind", &Segment::kind)
      .def_readonly("name", &Segment::name, "Name of the special day, '' for regular days.")
      .def_readonly("version", &Segment::version, "Index of the weekly-hours version.")
      .def_property_readonly("duration", [](const Segment& s) { return s.end - s.start; })
      .def("__repr__", [](const Segment& s) {
        return "Segment(" + format_instant(s.start) + " .. " + format_instant(s.end) + ", " +
               calendar::to_string(s.kind) + (s.name.empty() ? "" : ", '" + s.name + "'") + ")";
      });

  py::class_<Calendar>(m, "Calendar",
                       "An immutable business calendar in an IANA time zone.\n\n"
                       "    cal = Calendar.load('examples/calendars/shanghai-dept-2025.json')\n"
                       "    due = cal.add_business(received, timedelta(hours=16))")
      .def_static("from_json", &Calendar::from_json, py::arg("text"),
                  py::call_guard<py::gil_scoped_release>(),
                  "Parses a JSON definition; raises DefinitionError naming the JSON pointer.")
      .def_static("load", &Calendar::load, py::arg("path"),
                  py::call_guard<py::gil_scoped_release>(), "Reads a JSON definition file.")
      .def_static("always_open", &Calendar::always_open, py::arg("time_zone") = "Asia/Shanghai",
                  "A 7x24 calendar.")
      .def_property_readonly("name", &Calendar::name)
      .def_property_readonly("time_zone", &Calendar::time_zone)
      .def("is_open", &Calendar::is_open, py::arg("t"), "Whether business is open at t.")
      .def("next_open", &Calendar::next_open, py::arg("t"),
           "First open instant >= t, or None if it never opens within ten years.")
      .def("next_close", &Calendar::next_close, py::arg("t"),
           "First instant >= t at which it closes, or None if open for ten years (7x24).")
      .def("add_business", &Calendar::add_business, py::arg("t"), py::arg("duration"),
           "The deadline after `duration` (timedelta or seconds) of business time from t.")
      .def("business_between", &Calendar::business_between, py::arg("start"), py::arg("end"),
           "Business time in [start, end) as a timedelta.")
      .def("explain", &Calendar::explain, py::arg("start"), py::arg("end"),
           "The open segments intersecting [start, end), clipped: the explanation of a result.")
      .def("day_kind", &Calendar::day_kind, py::arg("date"))
      .def(
          "day_name",
          [](const Calendar& c, std::chrono::year_month_day d) {
            return std::string(c.day_name(d));
          },
          py::arg("date"))
      .def("local_date", &Calendar::local_date, py::arg("t"))
      .def("parse_time", &Calendar::parse_time, py::arg("text"),
           "Parses local time in the calendar's zone ('2025-01-27 09:00') or ISO 8601 with offset.")
      .def("format_time", &Calendar::format_time, py::arg("t"),
           "Formats t in the calendar's zone: '2025-01-27T09:00:00+08:00'.")
      .def("to_json", &Calendar::to_json, "The canonical JSON definition.")
      .def("__repr__", [](const Calendar& c) {
        return "Calendar('" + c.name() + "', '" + c.time_zone() + "')";
      });

  py::class_<CalendarBuilder>(m, "CalendarBuilder",
                              "Builds a calendar in code; build() validates like from_json.\n\n"
                              "    cal = (CalendarBuilder('Asia/Shanghai')\n"
                              "           .hours(Weekday.MON, ['09:00-18:00'])\n"
                              "           .holiday(date(2025, 10, 1), 'National Day').build())")
      .def(py::init<std::string>(), py::arg("time_zone"))
      .def("name", &CalendarBuilder::name, py::arg("name"), py::return_value_policy::reference)
      .def("always_open", &CalendarBuilder::always_open, py::return_value_policy::reference)
      .def(
          "hours",
          [](CalendarBuilder& b, Weekday day, const py::iterable& intervals) -> CalendarBuilder& {
            return b.hours(day, to_intervals(intervals));
          },
          py::arg("day"), py::arg("intervals"), py::return_value_policy::reference)
      .def("version_from", &CalendarBuilder::version_from, py::arg("date"),
           py::return_value_policy::reference)
      .def("holiday", &CalendarBuilder::holiday, py::arg("date"), py::arg("name") = "",
           py::return_value_policy::reference)
      .def(
          "half_day",
          [](CalendarBuilder& b, std::chrono::year_month_day d, const py::iterable& intervals,
             std::string name) -> CalendarBuilder& {
            return b.half_day(d, to_intervals(intervals), std::move(name));
          },
          py::arg("date"), py::arg("intervals"), py::arg("name") = "",
          py::return_value_policy::reference)
      .def("workday", &CalendarBuilder::workday, py::arg("date"), py::arg("name") = "",
           py::arg("as_weekday") = Weekday::mon, py::return_value_policy::reference)
      .def("cache_years", &CalendarBuilder::cache_years, py::arg("from_year"), py::arg("to_year"),
           py::return_value_policy::reference)
      .def("build", &CalendarBuilder::build, "Validates and returns the Calendar.");
}

}  // namespace hotline::python
