// Python conversions shared by every binding source:
//   hotline::Instant            <-> datetime.datetime (aware; naive values are read as UTC;
//                                   results are aware, in UTC)
//   hotline::Duration           <-  datetime.timedelta or seconds (int/float);  -> timedelta
//   std::chrono::year_month_day <-> datetime.date
// pybind11/chrono.h is deliberately not used: it reads naive datetimes as *local* time.
#pragma once

#include <pybind11/pybind11.h>

#include <datetime.h>

#include <chrono>
#include <cmath>
#include <cstdint>

#include <hotline/core/time.hpp>

namespace hotline::python {

/// Imports the datetime C API once per process (call from every type caster before use).
inline void ensure_datetime_api() {
  if (!PyDateTimeAPI) {
    PyDateTime_IMPORT;
  }
}

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace hotline::python

namespace pybind11::detail {

template <>
struct type_caster<hotline::Duration> {
  PYBIND11_TYPE_CASTER(hotline::Duration, const_name("datetime.timedelta | float"));

  bool load(handle src, bool /*convert*/) {
    hotline::python::ensure_datetime_api();
    if (!src) return false;
    if (PyDelta_Check(src.ptr())) {
      const std::int64_t days = PyDateTime_DELTA_GET_DAYS(src.ptr());
      const std::int64_t secs = PyDateTime_DELTA_GET_SECONDS(src.ptr());
      const std::int64_t us = PyDateTime_DELTA_GET_MICROSECONDS(src.ptr());
      // Round the microseconds to the nearest millisecond (half away from zero).
      const std::int64_t total_us = (days * 86'400 + secs) * 1'000'000 + us;
      const std::int64_t ms = total_us >= 0 ? (total_us + 500) / 1000 : -((-total_us + 500) / 1000);
      value = hotline::Duration{ms};
      return true;
    }
    if (PyBool_Check(src.ptr())) return false;
    if (PyFloat_Check(src.ptr()) || PyLong_Check(src.ptr())) {
      const double seconds = PyFloat_AsDouble(src.ptr());
      if (seconds == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return false;
      }
      if (!std::isfinite(seconds) || std::fabs(seconds) > 9.0e15) {
        throw value_error("duration must be a finite number of seconds");
      }
      value = hotline::Duration{std::llround(seconds * 1000.0)};
      return true;
    }
    return false;
  }

  static handle cast(hotline::Duration d, return_value_policy, handle) {
    hotline::python::ensure_datetime_api();
    const std::int64_t ms = d.count();
    const std::int64_t days = hotline::python::floor_div(ms, 86'400'000);
    const std::int64_t rest = ms - days * 86'400'000;
    return PyDelta_FromDSU(static_cast<int>(days), static_cast<int>(rest / 1000),
                           static_cast<int>(rest % 1000) * 1000);
  }
};

template <>
struct type_caster<hotline::Instant> {
  PYBIND11_TYPE_CASTER(hotline::Instant, const_name("datetime.datetime"));

  bool load(handle src, bool /*convert*/) {
    hotline::python::ensure_datetime_api();
    if (!src || !PyDateTime_Check(src.ptr())) return false;
    using namespace std::chrono;
    const year_month_day ymd{year{PyDateTime_GET_YEAR(src.ptr())},
                             month{static_cast<unsigned>(PyDateTime_GET_MONTH(src.ptr()))},
                             day{static_cast<unsigned>(PyDateTime_GET_DAY(src.ptr()))}};
    std::int64_t ms = sys_days{ymd}.time_since_epoch().count() * 86'400'000LL +
                      PyDateTime_DATE_GET_HOUR(src.ptr()) * 3'600'000LL +
                      PyDateTime_DATE_GET_MINUTE(src.ptr()) * 60'000LL +
                      PyDateTime_DATE_GET_SECOND(src.ptr()) * 1'000LL +
                      PyDateTime_DATE_GET_MICROSECOND(src.ptr()) / 1000;
    // Aware datetimes: subtract their UTC offset. Naive ones are taken as UTC.
    object offset = reinterpret_borrow<object>(src).attr("utcoffset")();
    if (!offset.is_none()) {
      type_caster<hotline::Duration> d;
      if (!d.load(offset, true)) return false;
      ms -= static_cast<hotline::Duration>(d).count();
    }
    value = hotline::from_unix_ms(ms);
    return true;
  }

  static handle cast(hotline::Instant t, return_value_policy, handle) {
    hotline::python::ensure_datetime_api();
    using namespace std::chrono;
    const auto day_point = floor<days>(t);
    const year_month_day ymd{day_point};
    const hh_mm_ss<milliseconds> tod{t - day_point};
    return PyDateTimeAPI->DateTime_FromDateAndTime(
        static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
        static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(tod.hours().count()),
        static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
        static_cast<int>(tod.subseconds().count()) * 1000, PyDateTime_TimeZone_UTC,
        PyDateTimeAPI->DateTimeType);
  }
};

template <>
struct type_caster<std::chrono::year_month_day> {
  PYBIND11_TYPE_CASTER(std::chrono::year_month_day, const_name("datetime.date"));

  bool load(handle src, bool /*convert*/) {
    hotline::python::ensure_datetime_api();
    if (!src || !PyDate_Check(src.ptr())) return false;
    using namespace std::chrono;
    value = year_month_day{year{PyDateTime_GET_YEAR(src.ptr())},
                           month{static_cast<unsigned>(PyDateTime_GET_MONTH(src.ptr()))},
                           day{static_cast<unsigned>(PyDateTime_GET_DAY(src.ptr()))}};
    return true;
  }

  static handle cast(std::chrono::year_month_day d, return_value_policy, handle) {
    hotline::python::ensure_datetime_api();
    return PyDate_FromDate(static_cast<int>(d.year()),
                           static_cast<int>(static_cast<unsigned>(d.month())),
                           static_cast<int>(static_cast<unsigned>(d.day())));
  }
};

}  // namespace pybind11::detail
