// Shift scheduling as an integer program over explicit shift variants (template x start x break
// starts), solved exactly with COIN-OR CBC's branch-and-cut. See docs/workforce.md.
#include <hotline/core/error.hpp>
#include <hotline/sla/erlang.hpp>
#include <hotline/workforce/schedule.hpp>

#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <numeric>

#include <fmt/format.h>

namespace hotline::workforce {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr std::size_t kMaxVariants = 500'000;
// The service-level objective has one column per agent increment of every interval with calls
// (about load + 12 sqrt(load) + 30 each): a week of 672 intervals at 500 Erlangs is 540,000.
constexpr double kMaxIncrementColumns = 1'000'000;
constexpr double kMaxShiftCost = 1e12;
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::array<const char*, 7> kDayNames = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

[[noreturn]] void bad(std::string where, std::string message) {
  throw Error(ErrorCode::invalid_argument, std::move(where), std::move(message));
}

// CBC's C interface is not documented as reentrant; serialise every use.
std::mutex& solver_mutex() {
  static std::mutex m;
  return m;
}

struct Variant {
  std::size_t tmpl;
  std::int64_t start;                         // ms from the horizon start
  std::vector<std::int64_t> breaks;           // ms from the horizon start
  std::vector<std::pair<int, double>> cover;  // (interval, fraction of it worked)
  double cost;
};

// Adds the fraction of each interval that [a, b) overlaps (with wrap-around when cyclic).
void add_cover(std::vector<double>& acc, std::int64_t a, std::int64_t b, std::int64_t iv,
               std::int64_t horizon, bool cyclic, double sign) {
  while (a < b) {
    std::int64_t pos = a;
    if (pos >= horizon) {
      if (!cyclic) return;
      pos %= horizon;
    }
    const std::int64_t t = pos / iv;
    const std::int64_t end_of_t = (t + 1) * iv;
    const std::int64_t len = std::min(b - a, end_of_t - pos);
    acc[static_cast<std::size_t>(t)] += sign * static_cast<double>(len) / static_cast<double>(iv);
    a += len;
  }
}

std::vector<Variant> enumerate(const ScheduleProblem& p) {
  const std::int64_t iv = p.interval.count();
  const std::int64_t horizon = iv * static_cast<std::int64_t>(p.required.size());
  const bool week = horizon >= 7 * kDayMs;
  const std::int64_t days = (horizon + kDayMs - 1) / kDayMs;
  std::vector<Variant> out;
  std::vector<double> acc(p.required.size());
  for (std::size_t k = 0; k < p.templates.size(); ++k) {
    const ShiftTemplate& t = p.templates[k];
    const std::int64_t step = t.start_step.count() > 0 ? t.start_step.count() : iv;
    const double cost = t.cost ? *t.cost : static_cast<double>(t.length.count()) / 3'600'000.0;
    // Break start offsets per rule.
    std::vector<std::vector<std::int64_t>> offsets;
    for (const BreakRule& br : t.breaks) {
      std::vector<std::int64_t> o;
      // Offsets past the last start at which the break still ends inside the shift never fit:
      // not enumerated (a window of "5d" in an 8 h shift was walked minute by minute).
      const std::int64_t last = std::min(br.latest.count(), t.length.count() - br.length.count());
      for (std::int64_t x = br.earliest.count(); x <= last; x += step) o.push_back(x);
      offsets.push_back(std::move(o));
    }
    for (std::int64_t d = 0; d < days; ++d) {
      if (week && !t.days[static_cast<std::size_t>(d % 7)]) continue;
      for (std::int64_t s = t.earliest_start.count(); s <= t.latest_start.count(); s += step) {
        const std::int64_t start = d * kDayMs + s;
        if (start >= horizon) break;
        // Every combination of break starts (odometer over the rules).
        std::vector<std::size_t> pick(offsets.size(), 0);
        for (;;) {
          std::vector<std::int64_t> br;
          bool ok = true;
          for (std::size_t r = 0; r < offsets.size(); ++r) {
            const std::int64_t b0 = offsets[r][pick[r]];
            const std::int64_t b1 = b0 + t.breaks[r].length.count();  // <= t.length: see above
            for (std::size_t q = 0; q < r && ok; ++q) {
              const std::int64_t q0 = br[q] - start, q1 = q0 + t.breaks[q].length.count();
              if (b0 < q1 && q0 < b1) ok = false;  // breaks of one shift may not overlap
            }
            br.push_back(start + b0);
          }
          if (ok) {
            if (out.size() >= kMaxVariants) {
              throw Error(ErrorCode::limit, "/templates",
                          fmt::format("more than {} shift variants (templates x starts x break "
                                      "positions); use a coarser start_step or narrower windows",
                                      kMaxVariants));
            }
            std::fill(acc.begin(), acc.end(), 0.0);
            add_cover(acc, start, start + t.length.count(), iv, horizon, p.cyclic, 1.0);
            for (std::size_t r = 0; r < br.size(); ++r) {
              add_cover(acc, br[r], br[r] + t.breaks[r].length.count(), iv, horizon, p.cyclic,
                        -1.0);
            }
            Variant v{k, start, br, {}, cost};
            for (std::size_t i = 0; i < acc.size(); ++i) {
              if (acc[i] > 1e-12) v.cover.emplace_back(static_cast<int>(i), acc[i]);
            }
            out.push_back(std::move(v));
          }
          std::size_t r = 0;
          while (r < pick.size() && ++pick[r] == offsets[r].size()) pick[r++] = 0;
          if (r == pick.size()) break;
        }
      }
    }
  }
  return out;
}

std::string interval_label(const ScheduleProblem& p, std::size_t i) {
  const std::int64_t at = static_cast<std::int64_t>(i) * p.interval.count();
  const std::int64_t day = at / kDayMs, tod = (at % kDayMs) / 60'000;
  const bool week = p.interval.count() * static_cast<std::int64_t>(p.required.size()) >= 7 * kDayMs;
  if (week) {
    return fmt::format("{} {:02}:{:02}", kDayNames[static_cast<std::size_t>(day % 7)], tod / 60,
                       tod % 60);
  }
  return fmt::format("{}{:02}:{:02}", day > 0 ? fmt::format("day {} ", day + 1) : "", tod / 60,
                     tod % 60);
}

double interval_load(const ScheduleProblem& p, std::size_t i) {
  const IntervalDemand& d = p.demand[i];
  return d.calls * static_cast<double>(d.aht.count()) / static_cast<double>(p.interval.count());
}

double interval_sl(const ScheduleProblem& p, std::size_t i, std::int64_t agents) {
  const IntervalDemand& d = p.demand[i];
  if (d.calls <= 0) return 1.0;
  if (agents <= 0) return 0.0;
  const double aht = static_cast<double>(d.aht.count()) / 1000.0;
  const double load = interval_load(p, i);
  const double T = static_cast<double>(p.threshold.count()) / 1000.0;
  if (p.patience) {
    return sla::erlang_a(agents, load, aht, static_cast<double>(p.patience->count()) / 1000.0, T)
        .sl_offered;
  }
  if (static_cast<double>(agents) <= load) return 0.0;  // unstable: the queue grows without end
  return sla::erlang_c_metrics(agents, load, aht, T).service_level;
}

// The most agents sl_increments() looks at in interval i (a double: the load may be anything
// finite; solve() bounds the sum before any of them is cast).
double increments_bound(const ScheduleProblem& p, std::size_t i) {
  if (p.demand[i].calls <= 0) return 0;
  const double load = interval_load(p, i);
  return std::ceil(load + 12 * std::sqrt(load) + 30);
}

// Upper concave envelope of SL(0..n) as per-agent increments (non-increasing), up to the point
// where the service level no longer improves.
std::vector<double> sl_increments(const ScheduleProblem& p, std::size_t i) {
  const IntervalDemand& d = p.demand[i];
  if (d.calls <= 0) return {};
  const auto cap = static_cast<std::int64_t>(increments_bound(p, i));
  std::vector<double> sl{0.0};
  for (std::int64_t n = 1; n <= cap; ++n) {
    sl.push_back(interval_sl(p, i, n));
    if (sl.back() >= 1.0 - 1e-9) break;
  }
  // Upper hull from (0, 0): keep the points of a concave chain.
  std::vector<std::size_t> hull{0};
  for (std::size_t n = 1; n < sl.size(); ++n) {
    while (hull.size() >= 2) {
      const std::size_t a = hull[hull.size() - 2], b = hull.back();
      // b lies on or below the chord a -> n: drop it.
      const double lhs = (sl[b] - sl[a]) * static_cast<double>(n - a);
      const double rhs = (sl[n] - sl[a]) * static_cast<double>(b - a);
      if (lhs <= rhs) {
        hull.pop_back();
      } else {
        break;
      }
    }
    hull.push_back(n);
  }
  std::vector<double> inc;
  for (std::size_t h = 1; h < hull.size(); ++h) {
    const double slope =
        (sl[hull[h]] - sl[hull[h - 1]]) / static_cast<double>(hull[h] - hull[h - 1]);
    for (std::size_t n = hull[h - 1]; n < hull[h]; ++n) inc.push_back(slope);
  }
  return inc;
}

}  // namespace

void ScheduleProblem::validate() const {
  if (interval.count() <= 0 || kDayMs % interval.count() != 0) {
    bad("/interval", "must divide a day evenly (15m, 30m, 60m, ...)");
  }
  if (required.empty()) bad("/required", "needs at least one interval");
  if (required.size() > 7 * 96 * 5) bad("/required", "at most 3360 intervals");
  for (std::size_t i = 0; i < required.size(); ++i) {
    if (!(required[i] >= 0) || !std::isfinite(required[i])) {
      bad(fmt::format("/required/{}", i), "must be a finite number >= 0");
    }
  }
  if (!demand.empty() && demand.size() != required.size()) {
    bad("/demand",
        fmt::format("has {} intervals, required has {}", demand.size(), required.size()));
  }
  for (std::size_t i = 0; i < demand.size(); ++i) {
    if (!(demand[i].calls >= 0) || !std::isfinite(demand[i].calls)) {
      bad(fmt::format("/demand/{}/calls", i), "must be a finite number >= 0");
    }
    if (demand[i].aht.count() <= 0) bad(fmt::format("/demand/{}/aht", i), "must be > 0");
  }
  if (threshold.count() < 0) bad("/threshold", "must be >= 0");
  if (patience && patience->count() <= 0) bad("/patience", "must be > 0");
  if (templates.empty()) bad("/templates", "needs at least one shift template");
  for (std::size_t k = 0; k < templates.size(); ++k) {
    const ShiftTemplate& t = templates[k];
    const std::string at = fmt::format("/templates/{}", k);
    if (t.length.count() <= 0 || t.length.count() > kDayMs) {
      bad(at + "/length", "must be > 0 and at most 24h");
    }
    if (t.start_step.count() < 0) bad(at + "/start_step", "must be > 0");
    const std::int64_t step = t.start_step.count() > 0 ? t.start_step.count() : interval.count();
    if (step < 60'000) bad(at + "/start_step", "must be at least 1m");
    if (t.earliest_start.count() < 0 || t.earliest_start.count() >= kDayMs) {
      bad(at + "/earliest_start", "must be a time of day (00:00 to 23:59)");
    }
    if (t.latest_start < t.earliest_start || t.latest_start.count() >= kDayMs) {
      bad(at + "/latest_start", "must be a time of day not before earliest_start");
    }
    if (std::none_of(t.days.begin(), t.days.end(), [](bool b) { return b; })) {
      bad(at + "/days", "needs at least one weekday");
    }
    for (std::size_t r = 0; r < t.breaks.size(); ++r) {
      const BreakRule& b = t.breaks[r];
      const std::string bat = fmt::format("{}/breaks/{}", at, r);
      if (b.length.count() <= 0) bad(bat + "/length", "must be > 0");
      if (b.earliest.count() < 0 || b.latest < b.earliest) {
        bad(bat + "/latest", "the window must satisfy 0 <= earliest <= latest");
      }
      if (b.earliest + b.length > t.length) bad(bat, "does not fit inside the shift");
    }
    // The solver aborts the process (an assertion in CLP) on objective coefficients of 1e25 or
    // more: a shift's cost is bounded far below that, and far above any real wage.
    if (t.cost && !(*t.cost >= 0 && *t.cost <= kMaxShiftCost)) {
      bad(at + "/cost", "must be 0 to 1e12");
    }
    if (t.min < 0) bad(at + "/min", "must be >= 0");
    if (t.max && *t.max < t.min) bad(at + "/max", "must be >= min");
  }
}

std::vector<double> service_levels(const ScheduleProblem& problem,
                                   const std::vector<double>& coverage, double* overall) {
  if (problem.demand.empty()) {
    bad("/demand", "service levels need the demand of every interval");
  }
  if (coverage.size() != problem.demand.size()) {
    bad("coverage",
        fmt::format("has {} intervals, the demand has {}", coverage.size(), problem.demand.size()));
  }
  std::vector<double> out(coverage.size());
  double num = 0, den = 0;
  for (std::size_t i = 0; i < coverage.size(); ++i) {
    if (!(coverage[i] >= 0 && coverage[i] <= static_cast<double>(sla::kMaxAgents))) {
      bad(fmt::format("coverage[{}]", i),
          fmt::format("must be >= 0 and at most {} agents", sla::kMaxAgents));
    }
    out[i] = interval_sl(problem, i, static_cast<std::int64_t>(std::floor(coverage[i] + 1e-9)));
    num += problem.demand[i].calls * out[i];
    den += problem.demand[i].calls;
  }
  if (overall != nullptr) *overall = den > 0 ? num / den : 1.0;
  return out;
}

std::vector<double> requirements_for(const ScheduleProblem& problem, double target) {
  if (problem.demand.empty()) bad("/demand", "requirements need the demand of every interval");
  if (!(target > 0 && target < 1)) bad("target", "must be in (0, 1)");
  std::vector<double> out;
  out.reserve(problem.demand.size());
  for (const IntervalDemand& d : problem.demand) {
    if (d.calls <= 0) {
      out.push_back(0);
      continue;
    }
    sla::Workload w{
        .calls = d.calls, .interval = problem.interval, .aht = d.aht, .patience = problem.patience};
    sla::StaffingGoal g{.threshold = problem.threshold, .service_level = target};
    out.push_back(static_cast<double>(sla::required_agents(w, g).agents));
  }
  return out;
}

Schedule solve(const ScheduleProblem& p, const SolveOptions& o) {
  p.validate();
  const bool max_sl = o.objective == Objective::max_service_level;
  if (max_sl) {
    if (p.demand.empty()) bad("/demand", "the service-level objective needs the demand");
    if (!o.max_shifts && !o.budget) bad("max_shifts", "give max_shifts or budget (or both)");
    if (o.max_shifts && *o.max_shifts < 0) bad("max_shifts", "must be >= 0");
    if (o.budget && !(*o.budget >= 0)) bad("budget", "must be >= 0");
    double columns = 0;
    for (std::size_t i = 0; i < p.demand.size(); ++i) columns += increments_bound(p, i);
    if (!(columns <= kMaxIncrementColumns)) {
      throw Error(ErrorCode::limit, "/demand",
                  fmt::format("the service-level objective needs about {:.0f} columns (one per "
                              "agent of every interval's load); at most {:.0f}",
                              columns, kMaxIncrementColumns));
    }
  }
  if (o.time_limit.count() <= 0) bad("time_limit", "must be > 0");

  const std::vector<Variant> vars = enumerate(p);
  const std::size_t T = p.required.size();
  if (vars.empty()) {
    throw Error(ErrorCode::invalid_definition, "/templates",
                "no template has a start time inside the horizon");
  }

  // Every interval that needs agents must be coverable by some variant.
  std::vector<bool> coverable(T, false);
  for (const Variant& v : vars) {
    for (auto [i, f] : v.cover) coverable[static_cast<std::size_t>(i)] = true;
  }
  const bool cover_rows = !max_sl || o.keep_requirements;
  if (cover_rows) {
    for (std::size_t i = 0; i < T; ++i) {
      if (p.required[i] > 0 && !coverable[i]) {
        throw Error(ErrorCode::invalid_definition, fmt::format("/required/{}", i),
                    fmt::format("{} ({}) needs {} agents but no shift template covers it",
                                interval_label(p, i), i, p.required[i]));
      }
    }
  }
  for (std::size_t k = 0; k < p.templates.size(); ++k) {
    const bool any =
        std::any_of(vars.begin(), vars.end(), [&](const Variant& v) { return v.tmpl == k; });
    if (!any && p.templates[k].min > 0) {
      throw Error(ErrorCode::invalid_definition, fmt::format("/templates/{}/min", k),
                  "the template has no feasible start, so its minimum cannot be met");
    }
  }

  // The model, column by column (CSC): the shift variants (integer), then for the service-level
  // objective the envelope increments z[i][m] (continuous, in [0, 1]).
  constexpr double kInf = std::numeric_limits<double>::max();
  std::vector<double> row_lo, row_hi;
  const int cov0 = 0;
  if (cover_rows) {
    for (std::size_t i = 0; i < T; ++i) row_lo.push_back(p.required[i]), row_hi.push_back(kInf);
  }
  const int tmpl0 = static_cast<int>(row_lo.size());
  for (const ShiftTemplate& t : p.templates) {
    row_lo.push_back(static_cast<double>(t.min));
    row_hi.push_back(t.max ? static_cast<double>(*t.max) : kInf);
  }
  int link0 = -1, shifts_row = -1, budget_row = -1;
  if (max_sl) {
    link0 = static_cast<int>(row_lo.size());
    for (std::size_t i = 0; i < T; ++i) row_lo.push_back(-kInf), row_hi.push_back(0);
    if (o.max_shifts) {
      shifts_row = static_cast<int>(row_lo.size());
      row_lo.push_back(-kInf), row_hi.push_back(static_cast<double>(*o.max_shifts));
    }
    if (o.budget) {
      budget_row = static_cast<int>(row_lo.size());
      row_lo.push_back(-kInf), row_hi.push_back(*o.budget);
    }
  }
  std::vector<CoinBigIndex> start{0};
  std::vector<int> index;
  std::vector<double> value, col_lo, col_hi, obj;
  auto entry = [&](int r, double v) { index.push_back(r), value.push_back(v); };
  for (const Variant& v : vars) {
    for (auto [i, f] : v.cover) {
      if (cover_rows) entry(cov0 + i, f);
    }
    entry(tmpl0 + static_cast<int>(v.tmpl), 1.0);
    if (max_sl) {
      for (auto [i, f] : v.cover) entry(link0 + i, -f);
    }
    if (shifts_row >= 0) entry(shifts_row, 1.0);
    if (budget_row >= 0) entry(budget_row, v.cost);
    start.push_back(static_cast<CoinBigIndex>(index.size()));
    col_lo.push_back(0), col_hi.push_back(kInf), obj.push_back(max_sl ? 0.0 : v.cost);
  }
  double total_calls = 0;
  for (const IntervalDemand& d : p.demand) total_calls += d.calls;
  if (max_sl) {
    for (std::size_t i = 0; i < T; ++i) {
      const double w = total_calls > 0 ? p.demand[i].calls / total_calls : 0;
      for (double inc : sl_increments(p, i)) {
        entry(link0 + static_cast<int>(i), 1.0);
        start.push_back(static_cast<CoinBigIndex>(index.size()));
        col_lo.push_back(0), col_hi.push_back(1), obj.push_back(w * inc);
      }
    }
  }

  std::lock_guard lock(solver_mutex());
  Cbc_Model* model = Cbc_newModel();
  struct Free {
    Cbc_Model* m;
    ~Free() { Cbc_deleteModel(m); }
  } free_model{model};
  Cbc_loadProblem(model, static_cast<int>(col_lo.size()), static_cast<int>(row_lo.size()),
                  start.data(), index.data(), value.data(), col_lo.data(), col_hi.data(),
                  obj.data(), row_lo.data(), row_hi.data());
  for (std::size_t j = 0; j < vars.size(); ++j) Cbc_setInteger(model, static_cast<int>(j));
  Cbc_setObjSense(model, max_sl ? -1.0 : 1.0);
  // HOTLINE_CBC_VERBOSE=1 shows the solver's progress on stdout (for diagnosing slow models);
  // HOTLINE_CBC_WRITE=FILE.lp writes the model (to inspect it or try it elsewhere).
  const char* verbose = std::getenv("HOTLINE_CBC_VERBOSE");
  Cbc_setParameter(model, "logLevel", verbose != nullptr && verbose[0] == '1' ? "1" : "0");
  if (const char* file = std::getenv("HOTLINE_CBC_WRITE"); file != nullptr && file[0] != '\0') {
    Cbc_writeLp(model, file);
  }
  // The limit is wall-clock time (CBC counts CPU time by default): a host with a deadline waits
  // for elapsed time, and on a loaded machine CPU time runs slower than the clock.
  Cbc_setParameter(model, "timeMode", "elapsed");
  Cbc_setMaximumSeconds(model, static_cast<double>(o.time_limit.count()) / 1000.0);
  Cbc_setAllowableGap(model, 1e-9);  // absolute: prove optimality, don't stop at a small gap
  Cbc_setAllowableFractionGap(model, 0.0);
  Cbc_solve(model);
  if (Cbc_isProvenInfeasible(model)) {
    throw Error(ErrorCode::invalid_definition, "/templates",
                "no schedule satisfies the templates' min / max together with the requirements "
                "and budget");
  }
  const double* x = Cbc_bestSolution(model);
  if (x == nullptr) {
    if (Cbc_isSecondsLimitReached(model)) {
      throw Error(ErrorCode::limit, "time_limit",
                  "the time limit passed before any feasible schedule was found");
    }
    throw Error(ErrorCode::internal, "solver",
                fmt::format("CBC ended without a schedule (status {}, secondary {})",
                            Cbc_status(model), Cbc_secondaryStatus(model)));
  }
  Schedule s;
  s.variants = vars.size();
  s.optimal = Cbc_isProvenOptimal(model) != 0;
  s.objective = Cbc_getObjValue(model);
  s.coverage.assign(T, 0.0);
  for (std::size_t j = 0; j < vars.size(); ++j) {
    const auto n = static_cast<std::int64_t>(std::llround(x[j]));
    if (n <= 0) continue;
    const Variant& v = vars[j];
    ShiftStart st;
    st.template_index = v.tmpl;
    st.start = Duration{v.start};
    for (std::int64_t b : v.breaks) st.breaks.push_back(Duration{b});
    st.count = n;
    s.shifts.push_back(std::move(st));
    for (auto [i, f] : v.cover)
      s.coverage[static_cast<std::size_t>(i)] += f * static_cast<double>(n);
    s.cost += v.cost * static_cast<double>(n);
    s.total_shifts += n;
    s.paid_hours += static_cast<double>(n) *
                    static_cast<double>(p.templates[v.tmpl].length.count()) / 3'600'000.0;
  }
  std::stable_sort(s.shifts.begin(), s.shifts.end(),
                   [](const ShiftStart& a, const ShiftStart& b) { return a.start < b.start; });
  s.shortfall.resize(T);
  for (std::size_t i = 0; i < T; ++i) {
    s.shortfall[i] = std::max(0.0, p.required[i] - s.coverage[i]);
    if (s.shortfall[i] < 1e-9) s.shortfall[i] = 0;
  }
  if (!p.demand.empty()) {
    s.service_level = service_levels(p, s.coverage, &s.overall_service_level);
  } else {
    s.overall_service_level = std::numeric_limits<double>::quiet_NaN();
  }
  return s;
}

}  // namespace hotline::workforce
