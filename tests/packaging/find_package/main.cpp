// An outside project using the installed C++ library through find_package(hotline).
#include <chrono>
#include <cstdio>

#include <hotline/calendar/calendar.hpp>
#include <hotline/core.hpp>

int main() {
  const auto cal = hotline::calendar::Calendar::always_open("Asia/Shanghai");
  const auto t = hotline::parse_instant("2025-01-27T09:00:00+08:00");
  const auto due = cal.add_business(t, std::chrono::hours{2});
  std::printf("hotline %s: %s\n", hotline::version(), cal.format_time(due).c_str());
  return cal.format_time(due) == "2025-01-27T11:00:00+08:00" ? 0 : 1;
}
