// hotline schedule FILE ... and hotline plan FILE ...: shift scheduling and capacity planning.
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <hotline/core/error.hpp>
#include <hotline/core/time.hpp>
#include <hotline/workforce/capacity.hpp>
#include <hotline/workforce/schedule.hpp>

#include "commands.hpp"

namespace hotline::cli {

namespace {

using namespace hotline::workforce;

constexpr const char* kScheduleUsage = R"(usage:
  hotline schedule FILE [--objective cost|service-level] [--max-shifts N] [--budget X]
                        [--keep-requirements] [--time-limit 30s] [--json]
      how many agents start each shift: the exact optimum of an integer program (COIN-OR CBC).
      cost (default): cover every interval's requirement at least cost.
      service-level: the best volume-weighted service level within --max-shifts and/or --budget.
      FILE is a scheduling problem (docs/workforce.md, examples/workforce/schedule-week.json).
)";

constexpr const char* kPlanUsage = R"(usage:
  hotline plan FILE [--hiring planned|reactive] [--months N] [--json]
      month-by-month capacity plan: volume growth, attrition, hiring with the training lead
      time, overtime, and the staffing the SLA target needs (docs/workforce.md,
      examples/workforce/plan.json). --hiring overrides the file's policy.
)";

double number_arg(const std::string& text, const std::string& what) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
    return v;
  } catch (const std::exception&) {
    throw UsageError(fmt::format("{}: expected a number, got '{}'", what, text));
  }
}

std::string clock(Duration from_start) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  const auto mins = from_start.count() / 60'000;
  const auto day = mins / 1440, tod = mins % 1440;
  return fmt::format("{} {:02}:{:02}", kDays[day % 7], tod / 60, tod % 60);
}

nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

}  // namespace

int run_schedule(Args& args) {
  if (args.flag("help")) {
    fmt::print("{}", kScheduleUsage);
    return 0;
  }
  const std::string path = args.positional("FILE");
  SolveOptions o;
  if (auto v = args.option("objective")) {
    if (*v == "cost") {
      o.objective = Objective::min_cost;
    } else if (*v == "service-level") {
      o.objective = Objective::max_service_level;
    } else {
      throw UsageError("--objective is cost or service-level");
    }
  }
  if (auto v = args.option("max-shifts")) {
    o.max_shifts = static_cast<std::int64_t>(number_arg(*v, "--max-shifts"));
  }
  if (auto v = args.option("budget")) o.budget = number_arg(*v, "--budget");
  o.keep_requirements = args.flag("keep-requirements");
  if (auto v = args.option("time-limit")) o.time_limit = parse_duration(*v);
  const bool json = args.flag("json");
  args.finish();

  const ScheduleProblem p = ScheduleProblem::load(path);
  const Schedule s = solve(p, o);
  if (json) {
    nlohmann::json out;
    out["optimal"] = s.optimal;
    out["objective"] = s.objective;
    out["cost"] = s.cost;
    out["total_shifts"] = s.total_shifts;
    out["paid_hours"] = s.paid_hours;
    out["overall_service_level"] = num(s.overall_service_level);
    out["variants"] = s.variants;
    out["shifts"] = nlohmann::json::array();
    for (const ShiftStart& st : s.shifts) {
      nlohmann::json b = nlohmann::json::array();
      for (Duration d : st.breaks) b.push_back(format_duration(d));
      out["shifts"].push_back({{"template", p.templates[st.template_index].name},
                               {"start", format_duration(st.start)},
                               {"breaks", b},
                               {"count", st.count}});
    }
    out["intervals"] = nlohmann::json::array();
    for (std::size_t i = 0; i < s.coverage.size(); ++i) {
      out["intervals"].push_back(
          {{"required", p.required[i]},
           {"coverage", s.coverage[i]},
           {"shortfall", s.shortfall[i]},
           {"service_level",
            s.service_level.empty() ? nlohmann::json() : num(s.service_level[i])}});
    }
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("{} shift variants; {} ({})\n", s.variants,
             s.optimal ? "optimal" : "time limit: best found, not proven optimal",
             o.objective == Objective::min_cost ? "minimum cost" : "maximum service level");
  fmt::print("shifts {}   paid hours {:.1f}   cost {:.2f}", s.total_shifts, s.paid_hours, s.cost);
  if (!std::isnan(s.overall_service_level)) {
    fmt::print("   service level {:.4f} within {}", s.overall_service_level,
               format_duration(p.threshold));
  }
  fmt::print("\n\n{:<10} {:<24} {:>6}  {}\n", "start", "template", "agents", "breaks");
  for (const ShiftStart& st : s.shifts) {
    std::string b;
    for (Duration d : st.breaks) b += (b.empty() ? "" : ", ") + clock(d).substr(4);
    fmt::print("{:<10} {:<24} {:>6}  {}\n", clock(st.start), p.templates[st.template_index].name,
               st.count, b);
  }
  fmt::print("\n{:<10} {:>8} {:>8} {:>9} {:>8}\n", "interval", "required", "coverage", "shortfall",
             "SL");
  for (std::size_t i = 0; i < s.coverage.size(); ++i) {
    const double sl = s.service_level.empty() ? std::nan("") : s.service_level[i];
    fmt::print("{:<10} {:>8.1f} {:>8.1f} {:>9.1f} {:>8}\n", clock(p.interval * static_cast<int>(i)),
               p.required[i], s.coverage[i], s.shortfall[i],
               std::isnan(sl) ? std::string("-") : fmt::format("{:.4f}", sl));
  }
  return 0;
}

int run_plan(Args& args) {
  if (args.flag("help")) {
    fmt::print("{}", kPlanUsage);
    return 0;
  }
  const std::string path = args.positional("FILE");
  const auto hiring = args.option("hiring");
  const auto months = args.option("months");
  const bool json = args.flag("json");
  args.finish();
  CapacityPlanInput in = CapacityPlanInput::load(path);
  if (hiring) {
    if (*hiring == "planned") {
      in.policy = HiringPolicy::planned;
    } else if (*hiring == "reactive") {
      in.policy = HiringPolicy::reactive;
    } else {
      throw UsageError("--hiring is planned or reactive");
    }
  }
  if (months) in.months = static_cast<int>(number_arg(*months, "--months"));
  const CapacityPlan plan = plan_capacity(in);
  if (json) {
    nlohmann::json out;
    out["lead_months"] = plan.lead_months;
    out["total_hires"] = plan.total_hires;
    out["months_meeting_target"] = plan.months_meeting_target;
    out["months"] = nlohmann::json::array();
    for (const MonthPlan& m : plan.months) {
      out["months"].push_back(
          {{"month", fmt::format("{:04}-{:02}", static_cast<int>(m.month.year()),
                                 static_cast<unsigned>(m.month.month()))},
           {"calls", m.calls},
           {"required_fte", m.required_fte},
           {"productive", m.productive},
           {"in_training", m.in_training},
           {"hires", m.hires},
           {"leavers", m.leavers},
           {"attrition", m.attrition},
           {"overtime", m.overtime},
           {"shortfall_fte", m.shortfall_fte},
           {"service_level", m.service_level}});
    }
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("training lead time {} months; {} hires; {}/{} months meet {:.0f}% in {}\n\n",
             plan.lead_months, plan.total_hires, plan.months_meeting_target, plan.months.size(),
             in.service_level * 100, format_duration(in.threshold));
  fmt::print("{:<8} {:>9} {:>8} {:>10} {:>8} {:>6} {:>7} {:>9} {:>8} {:>8} {:>7}\n", "month",
             "calls", "need FTE", "productive", "training", "hires", "leavers", "attrition",
             "overtime", "short", "SL");
  for (const MonthPlan& m : plan.months) {
    fmt::print(
        "{:04}-{:02}  {:>9.0f} {:>8.1f} {:>10} {:>8} {:>6} {:>7} {:>8.1f}% {:>7.1f}% {:>8.1f} "
        "{:>7.4f}\n",
        static_cast<int>(m.month.year()), static_cast<unsigned>(m.month.month()), m.calls,
        m.required_fte, m.productive, m.in_training, m.hires, m.leavers, m.attrition * 100,
        m.overtime * 100, m.shortfall_fte, m.service_level);
  }
  return 0;
}

}  // namespace hotline::cli
