// Month-by-month capacity planning (docs/workforce.md, "Capacity planning").
#include <hotline/core/error.hpp>
#include <hotline/sla/erlang.hpp>
#include <hotline/workforce/capacity.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <numbers>

#include <fmt/format.h>

#include "core/json.hpp"

namespace hotline::workforce {

namespace {

using std::chrono::year_month;

[[noreturn]] void bad(std::string where, std::string message) {
  throw Error(ErrorCode::invalid_argument, std::move(where), std::move(message));
}

bool fraction_ok(double x, bool allow_one = false) {
  return std::isfinite(x) && x >= 0 && (allow_one ? x <= 1 : x < 1);
}

// A typical 7x24 hotline day: quiet at night, peaks around 10:00 and 15:00 (shares sum to 1).
std::vector<double> default_profile(std::size_t n) {
  std::vector<double> p(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double h = 24.0 * (static_cast<double>(i) + 0.5) / static_cast<double>(n);
    const double day = std::exp(-0.5 * std::pow((h - 10.0) / 2.2, 2)) +
                       0.85 * std::exp(-0.5 * std::pow((h - 15.0) / 2.5, 2)) +
                       0.45 * std::exp(-0.5 * std::pow((h - 20.0) / 1.8, 2));
    p[i] = 0.03 + day;
    sum += p[i];
  }
  for (double& x : p) x /= sum;
  return p;
}

int days_in(year_month ym) {
  using namespace std::chrono;
  const year_month_day_last last{ym.year() / ym.month() / std::chrono::last};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

struct Need {
  std::vector<double> agents;  // on the phones per interval
  std::vector<double> calls;   // per interval of the day
  double fte = 0;
};

Need need_for(const CapacityPlanInput& in, const std::vector<double>& profile, double calls,
              int days) {
  Need n;
  const double daily = calls / days;
  const double iv_h = static_cast<double>(in.interval.count()) / 3'600'000.0;
  double hours_per_day = 0;
  sla::StaffingGoal goal{.threshold = in.threshold, .service_level = in.service_level};
  for (double share : profile) {
    const double c = daily * share;
    double a = 0;
    if (c > 0) {
      a = static_cast<double>(
          sla::required_agents(
              {.calls = c, .interval = in.interval, .aht = in.aht, .patience = in.patience}, goal)
              .agents);
    }
    n.agents.push_back(a);
    n.calls.push_back(c);
    hours_per_day += a * iv_h;
  }
  n.fte = hours_per_day * days / (in.paid_hours_per_month * (1 - in.shrinkage));
  return n;
}

// Volume-weighted service level when `ratio` of the needed agents are there in every interval.
double projected_sl(const CapacityPlanInput& in, const Need& need, double ratio) {
  const double iv_s = static_cast<double>(in.interval.count()) / 1000.0;
  const double aht = static_cast<double>(in.aht.count()) / 1000.0;
  const double T = static_cast<double>(in.threshold.count()) / 1000.0;
  double num = 0, den = 0;
  for (std::size_t i = 0; i < need.agents.size(); ++i) {
    const double c = need.calls[i];
    if (c <= 0) continue;
    const double load = c * aht / iv_s;
    // More than kMaxAgents present serve like kMaxAgents (and the cast stays in range).
    const auto n = static_cast<std::int64_t>(
        std::floor(std::min(need.agents[i] * ratio + 1e-9, static_cast<double>(sla::kMaxAgents))));
    double sl = 0;
    if (n > 0) {
      if (in.patience) {
        sl = sla::erlang_a(n, load, aht, static_cast<double>(in.patience->count()) / 1000.0, T)
                 .sl_offered;
      } else if (static_cast<double>(n) > load) {
        sl = sla::erlang_c_metrics(n, load, aht, T).service_level;
      }
    }
    num += c * sl;
    den += c;
  }
  return den > 0 ? num / den : 1.0;
}

}  // namespace

int CapacityPlanInput::lead_months() const {
  const double hours = static_cast<double>(training.count()) / 3'600'000.0;
  const double lead = std::ceil(hours / training_hours_per_month - 1e-9);
  // 630 h at 1e-300 h a month is beyond an int (validate() rejects more than 60 months).
  return lead < 1e9 ? static_cast<int>(lead) : 1'000'000'000;
}

void CapacityPlanInput::validate() const {
  if (!start.ok()) bad("/start", "not a valid month");
  if (months < 1 || months > 600) bad("/months", "must be 1 to 600");
  if (!std::isfinite(calls_per_month) || calls_per_month < 0) {
    bad("/calls_per_month", "must be a finite number >= 0");
  }
  if (!std::isfinite(annual_growth) || annual_growth <= -1 || annual_growth > 10) {
    bad("/annual_growth", "must be > -1 (a fraction: 0.10 = 10% a year)");
  }
  if (!seasonality.empty()) {
    if (seasonality.size() != 12) bad("/seasonality", "needs 12 values, January first");
    for (std::size_t i = 0; i < 12; ++i) {
      if (!std::isfinite(seasonality[i]) || seasonality[i] < 0) {
        bad(fmt::format("/seasonality/{}", i), "must be >= 0");
      }
    }
  }
  if (aht.count() <= 0) bad("/aht", "must be > 0");
  if (!(service_level > 0 && service_level < 1)) bad("/service_level", "must be in (0, 1)");
  if (threshold.count() < 0) bad("/threshold", "must be >= 0");
  if (patience && patience->count() <= 0) bad("/patience", "must be > 0");
  if (interval.count() <= 0 || 86'400'000 % interval.count() != 0) {
    bad("/interval", "must divide a day evenly");
  }
  const auto per_day = static_cast<std::size_t>(86'400'000 / interval.count());
  if (!day_profile.empty()) {
    if (day_profile.size() != per_day) {
      bad("/day_profile", fmt::format("needs {} values (one per interval of a day), has {}",
                                      per_day, day_profile.size()));
    }
    double sum = 0;
    for (std::size_t i = 0; i < day_profile.size(); ++i) {
      if (!std::isfinite(day_profile[i]) || day_profile[i] < 0) {
        bad(fmt::format("/day_profile/{}", i), "must be >= 0");
      }
      sum += day_profile[i];
    }
    if (!(sum > 0)) bad("/day_profile", "must have a positive sum");
  }
  if (!fraction_ok(shrinkage)) bad("/shrinkage", "must be in [0, 1)");
  if (!std::isfinite(paid_hours_per_month) || paid_hours_per_month <= 0 ||
      paid_hours_per_month > 744) {
    bad("/paid_hours_per_month", "must be > 0 and at most 744");
  }
  if (!fraction_ok(attrition_per_month)) bad("/attrition_per_month", "must be in [0, 1)");
  if (training.count() < 0) bad("/training", "must be >= 0");
  if (!std::isfinite(training_hours_per_month) || training_hours_per_month <= 0) {
    bad("/training_hours_per_month", "must be > 0");
  }
  if (lead_months() > 60) bad("/training", "more than 60 months of training");
  // Every interval of every month (and of the lead months planned hiring looks ahead to) is one
  // staffing search: bound their number, so that a one-second interval over fifty years (52
  // million searches, most of a minute) is an error instead of a hang.
  const int span = months + lead_months();
  const auto searches = static_cast<std::int64_t>(span) * static_cast<std::int64_t>(per_day);
  if (searches > kMaxStaffingSearches) {
    throw Error(ErrorCode::limit, "/interval",
                fmt::format("{} months of {} intervals a day are {} staffing searches; at most {} "
                            "(use longer intervals or fewer months)",
                            span, per_day, searches, kMaxStaffingSearches));
  }
  if (!std::isfinite(max_overtime) || max_overtime < 0 || max_overtime > 1) {
    bad("/max_overtime", "must be in [0, 1]");
  }
  if (!std::isfinite(attrition_per_overtime) || attrition_per_overtime < 0) {
    bad("/attrition_per_overtime", "must be >= 0");
  }
  if (agents < 0 || agents > 10'000'000) bad("/agents", "must be 0 to 10,000,000");
  if (trainees < 0 || trainees > 10'000'000) bad("/trainees", "must be 0 to 10,000,000");
  for (std::size_t i = 0; i < hires.size(); ++i) {
    if (hires[i] < 0 || hires[i] > 10'000'000) bad(fmt::format("/hires/{}", i), "must be >= 0");
  }
  if (policy == HiringPolicy::fixed && hires.empty()) bad("/hires", "a fixed policy needs hires");
  if (max_hires_per_month && *max_hires_per_month < 0) {
    bad("/max_hires_per_month", "must be >= 0");
  }
}

CapacityPlan plan_capacity(const CapacityPlanInput& in) {
  in.validate();
  const std::vector<double> profile = [&] {
    if (in.day_profile.empty()) {
      return default_profile(static_cast<std::size_t>(86'400'000 / in.interval.count()));
    }
    std::vector<double> p = in.day_profile;
    double sum = 0;
    for (double x : p) sum += x;
    for (double& x : p) x /= sum;
    return p;
  }();
  const int lead = in.lead_months();
  const double base = in.attrition_per_month;

  // Needs for every month of the plan plus the lead time (planned hiring looks ahead).
  std::vector<Need> needs;
  std::vector<double> calls;
  for (int m = 0; m < in.months + lead; ++m) {
    const year_month ym = in.start + std::chrono::months{m};
    double c = in.calls_per_month * std::pow(1 + in.annual_growth, m / 12.0);
    if (!in.seasonality.empty()) c *= in.seasonality[static_cast<unsigned>(ym.month()) - 1];
    calls.push_back(c);
    needs.push_back(need_for(in, profile, c, days_in(ym)));
  }

  CapacityPlan plan;
  plan.lead_months = lead;
  double productive = static_cast<double>(in.agents);
  // Training cohorts: (months until they take calls, head count).
  std::deque<std::pair<int, double>> cohorts;
  if (in.trainees > 0) cohorts.emplace_back(lead, static_cast<double>(in.trainees));
  double last_overtime = 0;
  for (int m = 0; m < in.months; ++m) {
    MonthPlan mp;
    mp.month = in.start + std::chrono::months{m};
    mp.calls = calls[static_cast<std::size_t>(m)];
    mp.required_fte = needs[static_cast<std::size_t>(m)].fte;

    // Graduates join the floor at the start of the month.
    while (!cohorts.empty() && cohorts.front().first <= 0) {
      productive += cohorts.front().second;
      cohorts.pop_front();
    }
    double pipeline = 0;
    for (const auto& c : cohorts) pipeline += c.second;

    // Hiring.
    double hires = 0;
    switch (in.policy) {
      case HiringPolicy::planned: {
        // Everyone now on the floor or in training, after the attrition of the `lead` months
        // and of the month the hire starts taking calls, against the need in that month.
        // At the attrition the floor runs at now (the spiral included), not the base rate.
        const double rate = std::min(0.95, base * (1 + in.attrition_per_overtime * last_overtime));
        const double survive = std::pow(1 - rate, lead + 1);
        const double projected = (productive + pipeline) * survive;
        const double need = needs[static_cast<std::size_t>(m + lead)].fte;
        hires = std::max(0.0, std::ceil((need - projected) / std::max(survive, 1e-9) - 1e-9));
        break;
      }
      case HiringPolicy::reactive:
        hires = std::max(0.0, std::ceil(mp.required_fte - productive - pipeline - 1e-9));
        break;
      case HiringPolicy::fixed:
        hires = static_cast<std::size_t>(m) < in.hires.size()
                    ? static_cast<double>(in.hires[static_cast<std::size_t>(m)])
                    : 0.0;
        break;
    }
    if (in.max_hires_per_month)
      hires = std::min(hires, static_cast<double>(*in.max_hires_per_month));
    if (hires > 0) {
      if (lead == 0) {
        productive += hires;
      } else {
        cohorts.emplace_back(lead, hires);
      }
    }

    // Leavers: the spiral raises attrition after a month of overtime.
    mp.attrition = std::min(0.95, base * (1 + in.attrition_per_overtime * last_overtime));
    const double leavers = std::round(productive * mp.attrition);
    productive -= leavers;
    double trainee_leavers = 0;
    for (auto& c : cohorts) {
      const double l = std::round(c.second * base);
      c.second -= l;
      trainee_leavers += l;
    }

    // Overtime covers what it can of the gap.
    double overtime = 0;
    if (productive > 0 && mp.required_fte > productive) {
      overtime = std::min(in.max_overtime, mp.required_fte / productive - 1);
    }
    const double effective = productive * (1 + overtime);
    mp.overtime = overtime;
    mp.shortfall_fte = std::max(0.0, mp.required_fte - effective);
    mp.service_level = projected_sl(in, needs[static_cast<std::size_t>(m)],
                                    mp.required_fte > 0 ? effective / mp.required_fte : 1.0);
    mp.productive = static_cast<std::int64_t>(productive);
    mp.hires = static_cast<std::int64_t>(hires);
    mp.leavers = static_cast<std::int64_t>(leavers + trainee_leavers);
    double in_training = 0;
    for (const auto& c : cohorts) in_training += c.second;
    mp.in_training = static_cast<std::int64_t>(in_training);
    plan.total_hires += mp.hires;
    if (mp.service_level >= in.service_level - 1e-9) ++plan.months_meeting_target;
    plan.months.push_back(mp);

    last_overtime = overtime;
    for (auto& c : cohorts) --c.first;
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// JSON

CapacityPlanInput CapacityPlanInput::from_json(std::string_view text) {
  using detail::fail_at;
  const detail::Json doc = detail::parse_json(text);
  detail::ObjectReader r(doc, "");
  CapacityPlanInput in;
  auto duration_at = [](const std::string& s, const std::string& where) {
    try {
      return parse_duration(s);
    } catch (const Error& e) {
      fail_at(where, e.message());
    }
  };
  auto numbers = [](const detail::Json& j, const std::string& where) {
    std::vector<double> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_number()) fail_at(detail::pointer_child(where, i), "expected a number");
      out.push_back(j[i].get<double>());
    }
    return out;
  };
  if (auto s = r.optional_string("start")) {
    unsigned m = 0;
    int y = 0;
    char dash = 0;
    if (s->size() != 7 || std::sscanf(s->c_str(), "%4d%c%2u", &y, &dash, &m) != 3 || dash != '-' ||
        m < 1 || m > 12 || y < 1900 || y > 2300) {
      fail_at("/start", fmt::format("expected a month \"YYYY-MM\", found \"{}\"", *s));
    }
    in.start = std::chrono::year{y} / std::chrono::month{m};
  }
  if (auto v = r.optional_integer("months"))
    in.months = static_cast<int>(std::clamp<std::int64_t>(*v, -1, 100000));
  in.calls_per_month = r.number("calls_per_month");
  if (auto v = r.optional_number("annual_growth")) in.annual_growth = *v;
  if (const detail::Json* a = r.optional_array("seasonality"))
    in.seasonality = numbers(*a, "/seasonality");
  if (auto s = r.optional_string("aht")) in.aht = duration_at(*s, "/aht");
  if (auto v = r.optional_number("service_level")) in.service_level = *v;
  if (auto s = r.optional_string("threshold")) in.threshold = duration_at(*s, "/threshold");
  if (auto s = r.optional_string("patience")) in.patience = duration_at(*s, "/patience");
  if (auto s = r.optional_string("interval")) in.interval = duration_at(*s, "/interval");
  if (const detail::Json* a = r.optional_array("day_profile"))
    in.day_profile = numbers(*a, "/day_profile");
  if (auto v = r.optional_number("shrinkage")) in.shrinkage = *v;
  if (auto v = r.optional_number("paid_hours_per_month")) in.paid_hours_per_month = *v;
  if (auto v = r.optional_number("attrition_per_month")) in.attrition_per_month = *v;
  if (auto s = r.optional_string("training")) in.training = duration_at(*s, "/training");
  if (auto v = r.optional_number("training_hours_per_month")) in.training_hours_per_month = *v;
  if (auto v = r.optional_number("max_overtime")) in.max_overtime = *v;
  if (auto v = r.optional_number("attrition_per_overtime")) in.attrition_per_overtime = *v;
  if (auto v = r.optional_integer("agents")) in.agents = *v;
  if (auto v = r.optional_integer("trainees")) in.trainees = *v;
  if (auto s = r.optional_string("hiring")) {
    if (*s == "planned") {
      in.policy = HiringPolicy::planned;
    } else if (*s == "reactive") {
      in.policy = HiringPolicy::reactive;
    } else if (*s == "fixed") {
      in.policy = HiringPolicy::fixed;
    } else {
      fail_at("/hiring", fmt::format("unknown policy \"{}\" (planned, reactive or fixed)", *s));
    }
  }
  if (const detail::Json* a = r.optional_array("hires")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_number_integer())
        fail_at(detail::pointer_child("/hires", i), "expected an integer");
      in.hires.push_back((*a)[i].get<std::int64_t>());
    }
  }
  in.max_hires_per_month = r.optional_integer("max_hires_per_month");
  r.finish();
  try {
    in.validate();
  } catch (const Error& e) {
    throw Error(e.code() == ErrorCode::limit ? ErrorCode::limit : ErrorCode::invalid_definition,
                e.where(), e.message());
  }
  return in;
}

CapacityPlanInput CapacityPlanInput::load(const std::filesystem::path& path) {
  const std::string text = detail::read_file(path);
  try {
    return from_json(text);
  } catch (const Error& e) {
    std::vector<Diagnostic> d = e.diagnostics();
    for (auto& x : d) x.where = path.string() + ":" + x.where;
    throw Error(e.code(), std::move(d));
  }
}

}  // namespace hotline::workforce
