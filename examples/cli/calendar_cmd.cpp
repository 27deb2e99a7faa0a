// hotline calendar ...: business-time arithmetic from the command line.
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/time.hpp>

#include "commands.hpp"

namespace hotline::cli {

namespace {

using calendar::Calendar;
using calendar::Segment;

constexpr const char* kUsage = R"(usage:
  hotline calendar add CALENDAR --at TIME --duration D [--json]
      the deadline after D of business time from TIME, and the segments it used
  hotline calendar between CALENDAR --from TIME --to TIME [--json]
      business time between two instants
  hotline calendar explain CALENDAR --from TIME (--to TIME | --duration D) [--json]
      the open segments (with the day rule behind each) in a range
  hotline calendar open CALENDAR --at TIME [--json]
      whether it is open at TIME, and when it next opens / closes
  hotline calendar check CALENDAR
      validate a definition and summarise it

CALENDAR is a JSON definition (see docs/calendar.md). TIME is local time in the calendar's zone
("2025-01-27 17:00") or ISO 8601 with an offset ("2025-01-27T09:00:00Z"). D is like 8h, 90m,
1h30m, 2d (2d = 48 hours of business time).
)";

std::string hhmm(const Calendar& cal, Instant t) { return cal.format_time(t).substr(11, 5); }

std::string date_text(std::chrono::year_month_day d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

nlohmann::json segments_json(const Calendar& cal, const std::vector<Segment>& segs) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : segs) {
    list.push_back({{"start", cal.format_time(s.start)},
                    {"end", cal.format_time(s.end)},
                    {"date", date_text(s.date)},
                    {"kind", calendar::to_string(s.kind)},
                    {"name", s.name},
                    {"version", s.version},
                    {"duration_ms", (s.end - s.start).count()}});
  }
  return list;
}

void print_segments(const Calendar& cal, const std::vector<Segment>& segs) {
  fmt::print("segments ({}):\n", segs.size());
  for (const auto& s : segs) {
    fmt::print("  {}  {:<8} {}-{}  {:>8}{}\n", date_text(s.date), calendar::to_string(s.kind),
               hhmm(cal, s.start), hhmm(cal, s.end), format_duration(s.end - s.start),
               s.name.empty() ? "" : "  " + s.name);
  }
}

int cmd_add(Args& args) {
  const bool json = args.flag("json");
  const std::string at = args.required("at");
  const Duration d = parse_duration(args.required("duration"));
  const Calendar cal = Calendar::load(args.positional("CALENDAR"));
  args.finish();
  const Instant start = cal.parse_time(at);
  const Instant due = cal.add_business(start, d);
  const auto segs = cal.explain(start, due);
  if (json) {
    nlohmann::json out = {{"calendar", cal.name()},
                          {"time_zone", cal.time_zone()},
                          {"start", cal.format_time(start)},
                          {"duration_ms", d.count()},
                          {"deadline", cal.format_time(due)},
                          {"deadline_utc", format_instant(due)},
                          {"segments", segments_json(cal, segs)}};
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("calendar  {} ({})\n", cal.name(), cal.time_zone());
  fmt::print("start     {}\n", cal.format_time(start));
  fmt::print("duration  {} of business time\n", format_duration(d));
  fmt::print("deadline  {}\n", cal.format_time(due));
  print_segments(cal, segs);
  return 0;
}

int cmd_between(Args& args) {
  const bool json = args.flag("json");
  const std::string from = args.required("from");
  const std::string to = args.required("to");
  const Calendar cal = Calendar::load(args.positional("CALENDAR"));
  args.finish();
  const Instant a = cal.parse_time(from), b = cal.parse_time(to);
  const Duration d = cal.business_between(a, b);
  if (json) {
    fmt::print("{}\n", nlohmann::json{{"from", cal.format_time(a)},
                                      {"to", cal.format_time(b)},
                                      {"business_ms", d.count()}}
                           .dump(2));
    return 0;
  }
  fmt::print("{} of business time between {} and {}\n", format_duration(d), cal.format_time(a),
             cal.format_time(b));
  return 0;
}

int cmd_explain(Args& args) {
  const bool json = args.flag("json");
  const std::string from = args.required("from");
  const auto to = args.option("to");
  const auto duration = args.option("duration");
  const Calendar cal = Calendar::load(args.positional("CALENDAR"));
  args.finish();
  if (to.has_value() == duration.has_value())
    throw UsageError("give exactly one of --to and --duration");
  const Instant a = cal.parse_time(from);
  const Instant b = to ? cal.parse_time(*to) : cal.add_business(a, parse_duration(*duration));
  const auto segs = cal.explain(a, b);
  if (json) {
    fmt::print("{}\n", nlohmann::json{{"from", cal.format_time(a)},
                                      {"to", cal.format_time(b)},
                                      {"business_ms", cal.business_between(a, b).count()},
                                      {"segments", segments_json(cal, segs)}}
                           .dump(2));
    return 0;
  }
  fmt::print("{} .. {}: {} of business time\n", cal.format_time(a), cal.format_time(b),
             format_duration(cal.business_between(a, b)));
  print_segments(cal, segs);
  return 0;
}

int cmd_open(Args& args) {
  const bool json = args.flag("json");
  const std::string at = args.required("at");
  const Calendar cal = Calendar::load(args.positional("CALENDAR"));
  args.finish();
  const Instant t = cal.parse_time(at);
  const bool open = cal.is_open(t);
  const auto next_open = cal.next_open(t);
  const auto next_close = cal.next_close(t);
  const auto kind = cal.day_kind(cal.local_date(t));
  if (json) {
    nlohmann::json out = {{"at", cal.format_time(t)},
                          {"open", open},
                          {"day_kind", calendar::to_string(kind)},
                          {"next_open", next_open ? cal.format_time(*next_open) : nullptr},
                          {"next_close", next_close ? cal.format_time(*next_close) : nullptr}};
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("{} at {} ({} day{})\n", open ? "open" : "closed", cal.format_time(t),
             calendar::to_string(kind),
             cal.day_name(cal.local_date(t)).empty()
                 ? ""
                 : ": " + std::string(cal.day_name(cal.local_date(t))));
  if (!open) fmt::print("next open   {}\n", next_open ? cal.format_time(*next_open) : "never");
  fmt::print("next close  {}\n", next_close ? cal.format_time(*next_close) : "never (7x24)");
  return 0;
}

int cmd_check(Args& args) {
  const std::string path = args.positional("CALENDAR");
  args.finish();
  const Calendar cal = Calendar::load(path);
  const auto def = nlohmann::json::parse(cal.to_json());
  fmt::print("ok: {} ({}), {} version(s), {} special day(s)\n", cal.name(), cal.time_zone(),
             1 + (def.contains("versions") ? def["versions"].size() : 0),
             def.contains("days") ? def["days"].size() : 0);
  return 0;
}

}  // namespace

int run_calendar(Args& args) {
  if (args.flag("help")) {
    fmt::print("{}", kUsage);
    return 0;
  }
  const auto verb = args.optional_positional();
  if (!verb) throw UsageError("missing subcommand (add, between, explain, open, check)");
  if (*verb == "add") return cmd_add(args);
  if (*verb == "between") return cmd_between(args);
  if (*verb == "explain") return cmd_explain(args);
  if (*verb == "open") return cmd_open(args);
  if (*verb == "check") return cmd_check(args);
  throw UsageError("unknown subcommand \"" + *verb + "\" (add, between, explain, open, check)");
}

}  // namespace hotline::cli
