// hotline staff ... and hotline sla FILE ...: staffing and service-level reports.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/error.hpp>
#include <hotline/core/time.hpp>
#include <hotline/sla/erlang.hpp>
#include <hotline/sla/records.hpp>

#include "commands.hpp"

namespace hotline::cli {

namespace {

using namespace hotline::sla;

constexpr const char* kStaffUsage = R"(usage:
  hotline staff --calls N --interval 30m --aht 180s --target 80/20 [--shrinkage 0.3]
                [--patience 300s] [--max-asa 30s] [--max-occupancy 0.85] [--max-abandon 0.05]
                [--basis offered|answered|virtual] [--json]
  hotline staff --forecast FILE.csv --target 80/20 [...same goals...] [--json]
      agents needed (Erlang C; Erlang A with --patience). --target P/T = P% answered within
      T seconds. The forecast CSV has the columns start,calls,interval,aht[,patience].
)";

constexpr const char* kSlaUsage = R"(usage:
  hotline sla FILE [--format csv|queue_log] [--targets FILE] [--granularity 15m|30m|60m|day|month]
                   [--zone Asia/Shanghai | --calendar FILE] [--json]
      service-level report of contact records (CSV, see docs/sla.md) or an Asterisk queue_log,
      per interval, queue and tier, with every service-level variant, plus the daily compliance.
      Targets default to the hotline preset (VIP 85% in 15 s, ordinary 75% in 20 s).
)";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, path, "cannot read the file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double parse_number(const std::string& text, const std::string& what) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
    return v;
  } catch (const std::exception&) {
    throw UsageError(fmt::format("{}: expected a number, got '{}'", what, text));
  }
}

StaffingGoal read_goal(Args& args) {
  StaffingGoal g;
  if (auto t = args.option("target")) {
    const auto slash = t->find('/');
    if (slash == std::string::npos) throw UsageError("--target is P/T, e.g. 80/20");
    g.service_level = parse_number(t->substr(0, slash), "--target") / 100.0;
    g.threshold = parse_duration(t->substr(slash + 1));
  }
  if (auto v = args.option("shrinkage")) g.shrinkage = parse_number(*v, "--shrinkage");
  if (auto v = args.option("max-asa")) g.max_asa = parse_duration(*v);
  if (auto v = args.option("max-occupancy")) g.max_occupancy = parse_number(*v, "--max-occupancy");
  if (auto v = args.option("max-abandon")) g.max_abandon = parse_number(*v, "--max-abandon");
  if (auto v = args.option("basis")) {
    if (*v == "offered") {
      g.basis = StaffingGoal::Basis::offered;
    } else if (*v == "answered") {
      g.basis = StaffingGoal::Basis::answered;
    } else if (*v == "virtual") {
      g.basis = StaffingGoal::Basis::virtual_wait;
    } else {
      throw UsageError("--basis is offered, answered or virtual");
    }
  }
  return g;
}

std::vector<std::pair<std::string, Workload>> read_forecast(const std::string& path) {
  const std::string text = slurp(path);
  std::vector<std::pair<std::string, Workload>> out;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) f.push_back(cell);
    if (!line.empty() && line.back() == ',') f.emplace_back();
    if (header.empty()) {
      header = f;
      for (std::size_t c = 0; c < f.size(); ++c) {
        if (f[c] != "start" && f[c] != "calls" && f[c] != "interval" && f[c] != "aht" &&
            f[c] != "patience") {
          throw Error(
              ErrorCode::invalid_argument,
              fmt::format("{}: line {}, column {}", path, line_no, c + 1),
              fmt::format("unknown column '{}' (start, calls, interval, aht, patience)", f[c]));
        }
      }
      continue;
    }
    Workload w;
    std::string start;
    for (std::size_t c = 0; c < header.size(); ++c) {
      const std::string v = c < f.size() ? f[c] : "";
      const std::string where = fmt::format("{}: line {}, column {}", path, line_no, c + 1);
      try {
        if (header[c] == "start") start = v;
        if (header[c] == "calls") w.calls = std::stod(v);
        if (header[c] == "interval") w.interval = parse_duration(v);
        if (header[c] == "aht") w.aht = parse_duration(v);
        if (header[c] == "patience" && !v.empty()) w.patience = parse_duration(v);
      } catch (const Error& e) {
        throw Error(ErrorCode::invalid_argument, where, e.message());
      } catch (const std::exception&) {
        throw Error(ErrorCode::invalid_argument, where, fmt::format("bad value '{}'", v));
      }
    }
    out.emplace_back(start, w);
  }
  return out;
}

nlohmann::json staffing_json(const Staffing& s) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  return {{"agents", s.agents},
          {"scheduled", s.scheduled},
          {"load", s.load},
          {"p_wait", num(s.p_wait)},
          {"service_level", num(s.service_level)},
          {"asa_s", num(s.asa)},
          {"occupancy", num(s.occupancy)},
          {"p_abandon", num(s.p_abandon)}};
}

}  // namespace

int run_staff(Args& args) {
  if (args.flag("help")) {
    fmt::print("{}", kStaffUsage);
    return 0;
  }
  const bool json = args.flag("json");
  const auto forecast_path = args.option("forecast");
  std::vector<std::pair<std::string, Workload>> intervals;
  if (forecast_path) {
    const StaffingGoal goal = read_goal(args);
    args.finish();
    intervals = read_forecast(*forecast_path);
    std::vector<Workload> ws;
    for (const auto& [_, w] : intervals) ws.push_back(w);
    const auto res = required_agents(std::span<const Workload>(ws), goal);
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (std::size_t i = 0; i < res.size(); ++i) {
        auto j = staffing_json(res[i]);
        j["start"] = intervals[i].first;
        j["calls"] = intervals[i].second.calls;
        out.push_back(j);
      }
      fmt::print("{}\n", out.dump(2));
    } else {
      fmt::print("{:<8} {:>8} {:>9} {:>7} {:>10} {:>8} {:>8}\n", "start", "calls", "Erlangs",
                 "agents", "scheduled", "SL", "ASA s");
      for (std::size_t i = 0; i < res.size(); ++i) {
        fmt::print("{:<8} {:>8.0f} {:>9.2f} {:>7} {:>10} {:>8.4f} {:>8.2f}\n", intervals[i].first,
                   intervals[i].second.calls, res[i].load, res[i].agents, res[i].scheduled,
                   res[i].service_level, res[i].asa);
      }
    }
    return 0;
  }
  Workload w;
  w.calls = parse_number(args.required("calls"), "--calls");
  w.interval = parse_duration(args.option("interval").value_or("30m"));
  w.aht = parse_duration(args.required("aht"));
  if (auto p = args.option("patience")) w.patience = parse_duration(*p);
  const StaffingGoal goal = read_goal(args);
  args.finish();
  const Staffing s = required_agents(w, goal);
  if (json) {
    fmt::print("{}\n", staffing_json(s).dump(2));
    return 0;
  }
  fmt::print("load            {:.4f} Erlangs ({})\n", s.load, w.patience ? "Erlang A" : "Erlang C");
  fmt::print("agents          {}\n", s.agents);
  fmt::print("scheduled       {} (shrinkage {:.0f}%)\n", s.scheduled, goal.shrinkage * 100);
  fmt::print("P(wait)         {:.5f}\n", s.p_wait);
  if (goal.threshold) {
    fmt::print("service level   {:.5f} within {}\n", s.service_level,
               format_duration(*goal.threshold));
  }
  fmt::print("ASA             {:.3f} s\n", s.asa);
  fmt::print("occupancy       {:.4f}\n", s.occupancy);
  if (w.patience) fmt::print("P(abandon)      {:.5f}\n", s.p_abandon);
  return 0;
}

int run_sla(Args& args) {
  if (args.flag("help")) {
    fmt::print("{}", kSlaUsage);
    return 0;
  }
  const std::string file = args.positional("FILE");
  const bool json = args.flag("json");
  auto format = args.option("format");
  const auto targets_path = args.option("targets");
  const Granularity granularity = parse_granularity(args.option("granularity").value_or("30m"));
  const auto zone = args.option("zone");
  const auto calendar_path = args.option("calendar");
  args.finish();
  if (format && *format != "csv" && *format != "queue_log") {
    throw UsageError("--format is csv or queue_log");
  }
  const calendar::Calendar cal =
      calendar_path ? calendar::Calendar::load(*calendar_path)
                    : calendar::Calendar::always_open(zone.value_or("Asia/Shanghai"));
  const Targets targets = targets_path ? Targets::load(*targets_path) : Targets::hotline_preset();
  const std::string text = slurp(file);
  if (!format) {
    const bool csv = std::filesystem::path(file).extension() == ".csv" ||
                     text.substr(0, text.find('\n')).find('|') == std::string::npos;
    format = csv ? "csv" : "queue_log";
  }
  RecordSet rs;
  try {
    if (*format == "csv") {
      rs = read_csv(text, cal, targets.default_tier);
    } else {
      std::vector<std::string> tier_queues;
      for (const auto& t : targets.tiers) tier_queues.push_back(t.tier);
      rs = read_queue_log(text, targets.default_tier, tier_queues);
    }
  } catch (const Error& e) {
    throw Error(e.code(), file + ": " + e.where(), e.message());
  }
  const Report rep = aggregate(rs, targets, cal, {granularity});
  const auto compliance = daily_compliance(rs, targets, cal);
  const auto occ = occupancy(rs, cal, granularity);
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  if (json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : rep.rows) {
      nlohmann::json sl;
      for (auto v :
           {ServiceLevelVariant::answered, ServiceLevelVariant::answered_abandoned,
            ServiceLevelVariant::offered, ServiceLevelVariant::offered_excl_abandoned_within,
            ServiceLevelVariant::offered_excl_short_abandoned}) {
        sl[to_string(v)] = num(service_level(r.counts, v));
      }
      const Target& t = targets.target_for(rep.tiers[r.tier]);
      rows.push_back({{"start", cal.format_time(r.start)},
                      {"end", cal.format_time(r.end)},
                      {"queue", rep.queues[r.queue]},
                      {"tier", rep.tiers[r.tier]},
                      {"offered", r.counts.offered},
                      {"answered", r.counts.answered},
                      {"abandoned", r.counts.abandoned},
                      {"timeouts", r.timeouts},
                      {"answered_within", r.counts.answered_within},
                      {"abandoned_within", r.counts.abandoned_within},
                      {"short_abandoned", r.counts.short_abandoned},
                      {"threshold_s", t.threshold.count() / 1000.0},
                      {"target", t.fraction},
                      {"service_level", num(rep.service_level(r))},
                      {"meets_target", rep.meets_target(r)},
                      {"service_levels", sl},
                      {"answer_rate", num(r.answer_rate())},
                      {"abandon_rate", num(r.abandon_rate())},
                      {"asa_s", num(r.asa_seconds())},
                      {"aht_s", num(r.aht_seconds())},
                      {"max_wait_s", r.max_wait.count() / 1000.0}});
    }
    nlohmann::json comp = nlohmann::json::array();
    for (const auto& m : compliance) {
      comp.push_back({{"month", fmt::format("{:04}-{:02}", static_cast<int>(m.month.year()),
                                            static_cast<unsigned>(m.month.month()))},
                      {"tier", rs.tiers()[m.tier]},
                      {"days_in_month", m.days_in_month},
                      {"days_with_traffic", m.days_with_traffic},
                      {"days_met", m.days_met},
                      {"ratio", m.ratio},
                      {"pass", m.pass}});
    }
    nlohmann::json occ_json = nlohmann::json::array();
    for (const auto& o : occ) {
      occ_json.push_back({{"start", cal.format_time(o.start)},
                          {"end", cal.format_time(o.end)},
                          {"staffed_s", o.staffed.count() / 1000.0},
                          {"paused_s", o.paused.count() / 1000.0},
                          {"busy_s", o.busy.count() / 1000.0},
                          {"occupancy", num(o.occupancy())}});
    }
    nlohmann::json out = {{"format", *format},
                          {"records", rs.records().size()},
                          {"incomplete", rs.incomplete},
                          {"variant", to_string(targets.variant)},
                          {"granularity", to_string(granularity)},
                          {"rows", rows},
                          {"daily_compliance", comp},
                          {"occupancy", occ_json}};
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("{} records ({}), {} still in progress; service level = {}\n", rs.records().size(),
             *format, rs.incomplete, to_string(targets.variant));
  fmt::print("{:<25} {:<12} {:<9} {:>7} {:>7} {:>7} {:>8} {:>8} {:>7} {:>7}  {}\n", "start",
             "queue", "tier", "offered", "answ", "aband", "SL", "SL2", "ASA s", "AHT s", "target");
  for (const auto& r : rep.rows) {
    const Target& t = targets.target_for(rep.tiers[r.tier]);
    fmt::print("{:<25} {:<12} {:<9} {:>7} {:>7} {:>7} {:>8.4f} {:>8.4f} {:>7.1f} {:>7.1f}  {}\n",
               cal.format_time(r.start), rep.queues[r.queue], rep.tiers[r.tier], r.counts.offered,
               r.counts.answered, r.counts.abandoned, rep.service_level(r),
               service_level(r.counts, ServiceLevelVariant::answered_abandoned), r.asa_seconds(),
               r.aht_seconds(),
               fmt::format("{:.0f}%/{} {}", t.fraction * 100, format_duration(t.threshold),
                           rep.meets_target(r) ? "met" : "MISSED"));
  }
  if (!rs.agent_spans().empty()) {
    fmt::print("\noccupancy (busy / (staffed - paused)):\n");
    for (const auto& o : occ) {
      fmt::print("  {}  staffed {:>8}  paused {:>8}  busy {:>8}  {:.4f}\n",
                 cal.format_time(o.start), format_duration(o.staffed), format_duration(o.paused),
                 format_duration(o.busy), o.occupancy());
    }
  }
  fmt::print("\ndaily compliance (pass line {:.0f}%):\n", targets.pass_line * 100);
  for (const auto& m : compliance) {
    // Say how many days had traffic: idle days count as met, which flatters partial data.
    fmt::print("  {:04}-{:02} {:<9} {}/{} days met = {:.4f} {}  ({} with traffic{})\n",
               static_cast<int>(m.month.year()), static_cast<unsigned>(m.month.month()),
               rs.tiers()[m.tier], m.days_met, m.days_in_month, m.ratio, m.pass ? "pass" : "FAIL",
               m.days_with_traffic,
               m.days_with_traffic < m.days_in_month ? ", the others count as met" : "");
  }
  return 0;
}

}  // namespace hotline::cli
