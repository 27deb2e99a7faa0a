// libFuzzer: random sequences of C ABI calls against every component's handles (calendar, sla,
// workforce, escalation, routing, IVR trees and sessions, survey samplers and loops, simulations) —
// NULL handles, handles made after others were freed, out-of-range numbers and enum values, invalid
// UTF-8 and huge strings. Every call must keep the error contract (fuzz_common.hpp) and never crash
// or leak; handles that were freed are never passed again (that is the caller's contract).
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "fuzz_common.hpp"

namespace {

constexpr std::size_t kSlots = 3;

// An enum argument including unnamed values, as a C caller may pass them. Only values within the
// enum's bit range (0 .. 2^k - 1 for the largest enumerator) are representable in C++ without UB;
// negative and larger values are covered by the C tests (tests/*/..._capi_test.c).
template <class E, int Max>
E raw_enum(FuzzedDataProvider& in) {
  int mask = 1;
  while (mask <= Max) mask <<= 1;
  return static_cast<E>(in.ConsumeIntegralInRange<int>(0, mask - 1));
}

double number(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      return std::numeric_limits<double>::quiet_NaN();
    case 1:
      return std::numeric_limits<double>::infinity();
    case 2:
      return -std::numeric_limits<double>::infinity();
    case 3:
      return -1.0;
    case 4:
      return 0.0;
    case 5:
      return in.ConsumeFloatingPointInRange<double>(-1e300, 1e300);
    default:
      return in.ConsumeFloatingPointInRange<double>(0.0, 2000.0);
  }
}

// An instant: mostly within 400 days of kBase, one time in sixteen any 64-bit value (INT64_MIN /
// MAX included; calendars clamp those to their 1900-2300 domain). Extremes were one in four: a
// calendar call across the clamped domain walks 146,000 days, and such calls took 60% of this
// target's time without reaching any code the rarer extremes do not.
std::int64_t instant(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0:
      return in.ConsumeIntegral<std::int64_t>();
    case 1:
    case 2:
    case 3:
      return fuzz::kBase - in.ConsumeIntegralInRange<std::int64_t>(0, 400LL * 86'400'000);
    default:
      return fuzz::kBase + in.ConsumeIntegralInRange<std::int64_t>(0, 400LL * 86'400'000);
  }
}

// The end of a span that starts at t: half the time an independent instant (spans of any sign and
// length), otherwise t plus a ticket-like span (up to 60 days, or slightly negative).
std::int64_t span_end(FuzzedDataProvider& in, std::int64_t t) {
  if (in.ConsumeBool()) return instant(in);
  std::int64_t end = 0;
  const std::int64_t span = in.ConsumeIntegralInRange<std::int64_t>(-3'600'000, 60LL * 86'400'000);
  return __builtin_add_overflow(t, span, &end) ? t : end;
}

std::int64_t duration(FuzzedDataProvider& in) {
  return in.ConsumeBool() ? in.ConsumeIntegral<std::int64_t>()
                          : in.ConsumeIntegralInRange<std::int64_t>(-1000, 48LL * 3'600'000);
}

// A string argument: fuzz bytes (often invalid UTF-8), a known-good value, or a huge one. Huge
// and deeply nested strings were one in five each: allocating, copying and scanning half a
// megabyte on average (page faults included) then took most of this target's time, and each
// entry point fails them at its first byte or its depth limit. One in 64 (and 2 in 64) still
// sends each entry point one many thousand times per million executions.
std::string text(FuzzedDataProvider& in, const char* good) {
  const int pick = in.ConsumeIntegralInRange<int>(0, 63);
  if (pick == 0) return std::string(in.ConsumeIntegralInRange<std::size_t>(1, 1 << 20), 'x');
  if (pick <= 2) return std::string(in.ConsumeIntegralInRange<std::size_t>(1, 100'000), '[');
  if (pick <= 26) return good;
  return in.ConsumeRandomLengthString(256);
}

template <class Row, class Fn>
void buffered(FuzzedDataProvider& in, Fn fn) {  // caller-buffer protocol with a random capacity
  std::vector<Row> rows(in.ConsumeIntegralInRange<std::size_t>(0, 4));
  size_t count = 0;
  const int rc = fn(rows.empty() ? nullptr : rows.data(), rows.size(), &count);
  if (rc == HOTLINE_EBUFFER && count <= rows.size()) std::abort();  // EBUFFER must mean "too small"
  fuzz::check_status(rc == HOTLINE_EBUFFER ? HOTLINE_OK : rc);
}

const char* kCalendar =
    R"({"name":"f","time_zone":"Asia/Shanghai","hours":{"mon-fri":["09:00-12:00","13:30-18:00"]},)"
    R"("days":[{"date":"2025-01-28","kind":"holiday","name":"x"}],"cache":{"from_year":2025,)"
    R"("to_year":2025}})";
const char* kTargets = R"({"tiers":[{"tier":"vip","threshold":"15s","target":0.85}]})";
const char* kCsv =
    "arrival,queue,tier,outcome,wait,talk\n2025-01-01 09:00:00,q,vip,answered,12s,180s\n";
const char* kQueueLog =
    "1735693200|1.1|q|NONE|ENTERQUEUE||100|1\n1735693212|1.1|q|SIP/a|CONNECT|12|1.2|0\n"
    "1735693392|1.1|q|SIP/a|COMPLETECALLER|12|180|1\n";

struct Handles {
  std::array<hotline_calendar*, kSlots> cal{};
  std::array<hotline_sla_window*, kSlots> win{};
  std::array<hotline_sla_records*, kSlots> rec{};
  std::array<hotline_sla_targets*, kSlots> tgt{};
  std::array<hotline_workforce_problem*, kSlots> problem{};
  std::array<hotline_escalation_engine*, kSlots> engine{};
  std::array<hotline_router*, kSlots> router{};
  std::array<hotline_ivr_tree*, kSlots> tree{};
  std::array<hotline_ivr_session*, kSlots> session{};
  std::array<hotline_survey_sampler*, kSlots> sampler{};
  struct Loop {
    hotline_escalation_engine* engine = nullptr;
    hotline_survey_loop* loop = nullptr;
  };
  std::array<Loop, kSlots> loop{};
  std::array<hotline_sim_scenario*, kSlots> scenario{};
  std::array<bool, kSlots> small_scenario{};
  std::array<hotline_sim_report*, kSlots> report{};
  ~Handles() {
    for (auto* p : report) hotline_sim_report_free(p);
    for (auto* p : scenario) hotline_sim_scenario_free(p);
    for (auto& l : loop) {
      hotline_survey_loop_free(l.loop);
      hotline_escalation_engine_free(l.engine);
    }
    for (auto* p : sampler) hotline_survey_sampler_free(p);
    for (auto* p : session) hotline_ivr_session_free(p);
    for (auto* p : tree) hotline_ivr_tree_free(p);
    for (auto* p : router) hotline_router_free(p);
    for (auto* p : engine) hotline_escalation_engine_free(p);
    for (auto* p : problem) hotline_workforce_problem_free(p);
    for (auto* p : cal) hotline_calendar_free(p);
    for (auto* p : win) hotline_sla_window_free(p);
    for (auto* p : rec) hotline_sla_records_free(p);
    for (auto* p : tgt) hotline_sla_targets_free(p);
  }
};

void calendar_op(FuzzedDataProvider& in, Handles& h) {
  auto& slot = h.cal[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  const hotline_calendar* c = slot;
  hotline_time_ms t = instant(in), out = 0;
  bool b = false;
  switch (in.ConsumeIntegralInRange<int>(0, 8)) {
    case 0: {
      hotline_calendar_free(slot);
      slot = nullptr;
      const std::string s = text(in, kCalendar);
      hotline_calendar* made = nullptr;
      const int rc = hotline_calendar_from_json(&made, s.data(), s.size());
      fuzz::check_status(rc, made);
      slot = made;
      break;
    }
    case 1: {
      hotline_calendar_free(slot);
      slot = nullptr;
      const std::string zone = text(in, "Europe/Berlin");
      hotline_calendar* made = nullptr;
      fuzz::check_status(hotline_calendar_new_always_open(&made, zone.c_str()), made);
      slot = made;
      break;
    }
    case 2:
      hotline_calendar_free(slot);
      slot = nullptr;
      break;
    case 3:
      fuzz::check_status(hotline_calendar_is_open(in.ConsumeBool() ? &b : nullptr, c, t));
      fuzz::check_status(hotline_calendar_next_open(&out, in.ConsumeBool() ? &b : nullptr, c, t));
      fuzz::check_status(hotline_calendar_next_close(&out, &b, c, t));
      break;
    case 4:
      fuzz::check_status(hotline_calendar_add_business(&out, c, t, duration(in)));
      break;
    case 5: {
      hotline_duration_ms d = 0;
      fuzz::check_status(hotline_calendar_business_between(&d, c, t, span_end(in, t)));
      break;
    }
    case 6: {
      const hotline_time_ms b2 = span_end(in, t);
      buffered<hotline_calendar_segment>(in,
                                         [&](hotline_calendar_segment* o, size_t cap, size_t* n) {
                                           return hotline_calendar_explain(o, cap, n, c, t, b2);
                                         });
      break;
    }
    case 7: {
      std::vector<char> buf(in.ConsumeIntegralInRange<std::size_t>(0, 40));
      size_t needed = 0;
      const int rc = hotline_calendar_format_time(buf.empty() ? nullptr : buf.data(), buf.size(),
                                                  in.ConsumeBool() ? &needed : nullptr, c, t);
      fuzz::check_status(rc == HOTLINE_EBUFFER ? HOTLINE_OK : rc);
      if (rc == HOTLINE_OK && std::strlen(buf.data()) >= buf.size()) std::abort();
      break;
    }
    default: {
      const std::string s = text(in, "2025-01-27 09:00");
      fuzz::check_status(hotline_calendar_parse_time(&out, c, s.c_str()));
      break;
    }
  }
}

void sla_math_op(FuzzedDataProvider& in) {
  double out = 0;
  const std::int64_t agents = in.ConsumeBool() ? in.ConsumeIntegral<std::int64_t>()
                                               : in.ConsumeIntegralInRange<std::int64_t>(-1, 3000);
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      fuzz::check_status(hotline_sla_erlang_b(&out, agents, number(in)));
      break;
    case 1:
      fuzz::check_status(hotline_sla_erlang_c(&out, agents, number(in)));
      break;
    case 2: {
      hotline_sla_c_metrics m;
      fuzz::check_status(
          hotline_sla_erlang_c_metrics(&m, agents, number(in), number(in), number(in)));
      break;
    }
    case 3: {
      hotline_sla_a_metrics m;
      fuzz::check_status(
          hotline_sla_erlang_a(&m, agents, number(in), number(in), number(in), number(in)));
      break;
    }
    case 4: {
      std::vector<hotline_sla_workload> w(in.ConsumeIntegralInRange<std::size_t>(0, 4));
      for (auto& x : w) x = {number(in), duration(in), duration(in), duration(in)};
      hotline_sla_goal g{};
      g.version = in.ConsumeBool() ? HOTLINE_SLA_GOAL_VERSION : in.ConsumeIntegral<unsigned>();
      g.service_level = number(in);
      g.threshold = duration(in);
      g.max_asa = in.ConsumeBool() ? duration(in) : 0;
      g.max_occupancy = in.ConsumeBool() ? number(in) : 0;
      g.max_abandon = in.ConsumeBool() ? number(in) : 0;
      g.basis = raw_enum<hotline_sla_basis, 2>(in);
      g.shrinkage = in.ConsumeBool() ? number(in) : 0;
      std::vector<hotline_sla_staffing> out_s(w.size());
      fuzz::check_status(hotline_sla_required_agents(out_s.empty() ? nullptr : out_s.data(),
                                                     w.empty() ? nullptr : w.data(), w.size(),
                                                     in.ConsumeBool() ? &g : nullptr));
      break;
    }
    case 5: {
      hotline_sla_counts k{};
      for (std::int64_t* f : {&k.offered, &k.answered, &k.abandoned, &k.answered_within,
                              &k.abandoned_within, &k.short_abandoned}) {
        *f = in.ConsumeIntegralInRange<std::int64_t>(-2, 100);
      }
      fuzz::check_status(hotline_sla_service_level(&out, in.ConsumeBool() ? &k : nullptr,
                                                   raw_enum<hotline_sla_variant, 4>(in)));
      break;
    }
    case 6: {
      fuzz::check_status(hotline_sla_mystery_call_score(&out, number(in), number(in), number(in)));
      fuzz::check_status(hotline_sla_satisfaction_rate(&out, in.ConsumeIntegral<std::int64_t>(),
                                                       in.ConsumeIntegral<std::int64_t>()));
      break;
    }
    default: {
      const std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, 5);
      std::vector<hotline_time_ms> due(n), done(n);
      for (std::size_t i = 0; i < n; ++i) {
        due[i] = instant(in);
        done[i] = in.ConsumeBool() ? HOTLINE_SLA_OPEN : instant(in);
      }
      std::int64_t late = 0, pending = 0;
      fuzz::check_status(hotline_sla_on_time_ratio(
          &out, &late, in.ConsumeBool() ? &pending : nullptr, n ? due.data() : nullptr,
          n ? done.data() : nullptr, n, instant(in)));
      break;
    }
  }
}

void sla_window_op(FuzzedDataProvider& in, Handles& h) {
  auto& slot = h.win[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  const size_t tier = in.ConsumeIntegralInRange<std::size_t>(0, 3);
  const hotline_time_ms t = instant(in);
  double out = 0;
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0: {
      hotline_sla_window_free(slot);
      slot = nullptr;
      std::vector<std::string> names;
      std::vector<hotline_sla_tier_target> tiers(in.ConsumeIntegralInRange<std::size_t>(0, 3));
      for (std::size_t i = 0; i < tiers.size(); ++i) names.push_back(text(in, "vip"));
      for (std::size_t i = 0; i < tiers.size(); ++i) {
        tiers[i] = {in.ConsumeBool() ? names[i].c_str() : nullptr, duration(in), number(in)};
      }
      hotline_sla_window* made = nullptr;
      fuzz::check_status(
          hotline_sla_window_new(&made, tiers.empty() ? nullptr : tiers.data(), tiers.size(),
                                 duration(in), raw_enum<hotline_sla_variant, 4>(in), duration(in)),
          made);
      slot = made;
      break;
    }
    case 1: {
      hotline_sla_window_free(slot);
      slot = nullptr;
      hotline_sla_window* made = nullptr;
      fuzz::check_status(hotline_sla_window_new_preset(&made, duration(in)), made);
      slot = made;
      break;
    }
    case 2:
      fuzz::check_status(hotline_sla_window_arrived(slot, tier, t));
      break;
    case 3:
      switch (in.ConsumeIntegralInRange<int>(0, 2)) {
        case 0:
          fuzz::check_status(hotline_sla_window_answered(slot, tier, t, duration(in)));
          break;
        case 1:
          fuzz::check_status(hotline_sla_window_abandoned(slot, tier, t, duration(in)));
          break;
        default:
          fuzz::check_status(hotline_sla_window_exited(slot, tier, t, duration(in)));
      }
      break;
    case 4: {
      hotline_sla_window_counts k;
      fuzz::check_status(hotline_sla_window_service_level(&out, slot, tier, t));
      fuzz::check_status(hotline_sla_window_gap(&out, slot, tier, t));
      fuzz::check_status(hotline_sla_window_calls_to_target(&out, slot, tier, t));
      fuzz::check_status(hotline_sla_window_stats(&k, slot, tier, t));
      break;
    }
    default: {
      size_t idx = 0;
      const std::string name = text(in, "ordinary");
      fuzz::check_status(hotline_sla_window_tier_index(&idx, slot, name.c_str()));
      break;
    }
  }
}

void sla_records_op(FuzzedDataProvider& in, Handles& h) {
  auto& slot = h.rec[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  auto& tslot = h.tgt[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  const hotline_calendar* cal = h.cal[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  switch (in.ConsumeIntegralInRange<int>(0, 6)) {
    case 0: {
      hotline_sla_records_free(slot);
      slot = nullptr;
      hotline_sla_records* made = nullptr;
      int rc;
      switch (in.ConsumeIntegralInRange<int>(0, 2)) {
        case 0:
          rc = hotline_sla_records_new(&made);
          break;
        case 1: {
          const std::string s = text(in, kCsv);
          rc = hotline_sla_records_read_csv(&made, s.data(), s.size(), cal);
          break;
        }
        default: {
          const std::string s = text(in, kQueueLog), tier = text(in, "ordinary");
          const char* queues[] = {"vip", nullptr};
          rc = hotline_sla_records_read_queue_log(
              &made, s.data(), s.size(), in.ConsumeBool() ? tier.c_str() : nullptr,
              in.ConsumeBool() ? queues : nullptr, in.ConsumeIntegralInRange<std::size_t>(0, 2));
        }
      }
      fuzz::check_status(rc, made);
      slot = made;
      break;
    }
    case 1: {
      const std::string q = text(in, "q"), tier = text(in, "vip"), agent = text(in, "a1");
      hotline_sla_record r{instant(in),
                           duration(in),
                           duration(in),
                           duration(in),
                           duration(in),
                           raw_enum<hotline_sla_outcome, 3>(in),
                           in.ConsumeBool() ? q.c_str() : nullptr,
                           in.ConsumeBool() ? tier.c_str() : nullptr,
                           in.ConsumeBool() ? agent.c_str() : nullptr};
      fuzz::check_status(hotline_sla_records_add(slot, in.ConsumeBool() ? &r : nullptr));
      break;
    }
    case 2: {
      const std::string agent = text(in, "a1");
      fuzz::check_status(
          hotline_sla_records_add_agent_span(slot, in.ConsumeBool() ? agent.c_str() : nullptr,
                                             instant(in), instant(in), in.ConsumeBool()));
      break;
    }
    case 3: {
      hotline_sla_targets_free(tslot);
      tslot = nullptr;
      hotline_sla_targets* made = nullptr;
      int rc;
      if (in.ConsumeBool()) {
        rc = hotline_sla_targets_new_preset(&made);
      } else {
        const std::string s = text(in, kTargets);
        rc = hotline_sla_targets_from_json(&made, s.data(), s.size());
      }
      fuzz::check_status(rc, made);
      tslot = made;
      break;
    }
    case 4: {
      hotline_sla_report* report = nullptr;
      const int rc = hotline_sla_report_new(&report, slot, tslot, cal,
                                            raw_enum<hotline_sla_granularity, 4>(in));
      fuzz::check_status(rc, report);
      size_t rows = 0;
      fuzz::check_status(hotline_sla_report_row_count(&rows, report));
      hotline_sla_row row;
      fuzz::check_status(hotline_sla_report_row(&row, report, in.ConsumeIntegral<std::size_t>()));
      if (rows > 0) fuzz::check_status(hotline_sla_report_row(&row, report, rows - 1));
      hotline_sla_report_free(report);
      break;
    }
    case 5:
      buffered<hotline_sla_compliance>(in, [&](hotline_sla_compliance* o, size_t cap, size_t* n) {
        return hotline_sla_daily_compliance(o, cap, n, slot, tslot, cal);
      });
      break;
    default: {
      const auto g = raw_enum<hotline_sla_granularity, 4>(in);
      buffered<hotline_sla_occupancy_row>(in,
                                          [&](hotline_sla_occupancy_row* o, size_t cap, size_t* n) {
                                            return hotline_sla_occupancy(o, cap, n, slot, cal, g);
                                          });
      size_t count = 0;
      fuzz::check_status(hotline_sla_records_count(&count, slot));
    }
  }
}

const char* kProblem =
    R"({"interval":"1h","cyclic":false,"required":[1,3,2,4],"templates":[{"name":"a","length":"2h",)"
    R"("start":{"from":"00:00","to":"02:00"},"cost":2}]})";
const char* kPlan = R"({"months":3,"calls_per_month":100000,"agents":60})";

void workforce_op(FuzzedDataProvider& in, Handles& h) {
  auto& slot = h.problem[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: {
      hotline_workforce_problem_free(slot);
      slot = nullptr;
      const std::string s = text(in, kProblem);
      hotline_workforce_problem* made = nullptr;
      fuzz::check_status(hotline_workforce_problem_from_json(&made, s.data(), s.size()), made);
      slot = made;
      break;
    }
    case 1: {
      hotline_workforce_options o{};
      o.version =
          in.ConsumeBool() ? HOTLINE_WORKFORCE_OPTIONS_VERSION : in.ConsumeIntegral<unsigned>();
      o.objective = raw_enum<hotline_workforce_objective, 1>(in);
      o.max_shifts = in.ConsumeIntegralInRange<std::int64_t>(-1, 50);
      o.budget = number(in);
      o.keep_requirements = in.ConsumeBool();
      o.time_limit = in.ConsumeIntegralInRange<std::int64_t>(-5, 500);
      hotline_workforce_schedule* s = nullptr;
      fuzz::check_status(hotline_workforce_solve(&s, slot, in.ConsumeBool() ? &o : nullptr), s);
      if (s != nullptr) {
        hotline_workforce_interval iv;
        fuzz::check_status(
            hotline_workforce_schedule_interval(&iv, s, in.ConsumeIntegral<std::size_t>()));
        hotline_workforce_shift sh;
        fuzz::check_status(
            hotline_workforce_schedule_shift(&sh, s, in.ConsumeIntegralInRange<std::size_t>(0, 3)));
      }
      hotline_workforce_schedule_free(s);
      break;
    }
    case 2: {
      buffered<double>(in, [&](double* o, size_t cap, size_t* n) {
        return hotline_workforce_problem_required(o, cap, n, slot);
      });
      break;
    }
    default: {
      const std::string s = text(in, kPlan);
      hotline_workforce_plan* plan = nullptr;
      fuzz::check_status(hotline_workforce_plan_from_json(&plan, s.data(), s.size()), plan);
      hotline_workforce_month m;
      fuzz::check_status(
          hotline_workforce_plan_month(&m, plan, in.ConsumeIntegralInRange<std::size_t>(0, 4)));
      hotline_workforce_plan_free(plan);
    }
  }
}

// A compact escalation policy: one workflow with a business-hours clock and a 7x24 clock, quiet
// hours, immediate and repeat rules.
const char* kPolicy =
    R"({"name":"f","version":"1","general_manager":"gm","home_department":"d",)"
    R"("calendars":{"24":{"time_zone":"Asia/Shanghai","always_open":true},)"
    R"("office":{"time_zone":"Asia/Shanghai","hours":{"mon-fri":["09:00-12:00","13:30-17:30"]}}},)"
    R"("quiet_hours":{"calendar":"office","except":"urgent"},)"
    R"("departments":[{"id":"d","calendar":"office","team_lead":"t","department_head":"h"}],)"
    R"("categories":{"complaint":"w"},)"
    R"("workflows":[{"id":"w","states":["a","b","c","z"],"initial":"a","final":"z",)"
    R"("transitions":[{"name":"go","from":"a","to":"b"},{"name":"send","from":"b","to":"c",)"
    R"("requires":"note","marks":"resolved"},{"name":"close","from":["b","c"],"to":"z",)"
    R"("marks":["replied","satisfaction"]},{"name":"reopen","from":"z","to":"b","marks":"reopen"}],)"
    R"("clocks":[{"id":"first","calendar":"24","start":"a","stop":"b","target":"1h",)"
    R"("warn_at":[0.5]},{"id":"dept","calendar":"department","start":"c","stop":"z",)"
    R"("target":{"normal":"8h","urgent":"1h"},"warn_at":[0.5,0.9],)"
    R"("ladder":["team_lead","department_head","general_manager"],"every":"2h","kpi":true},)"
    R"({"id":"all","calendar":"24","start":"a","stop":"z","target":"72h","customer_deadline":true,)"
    R"("kpi":true}]}],)"
    R"("immediate":[{"severity":"urgent","level":"department_head"}],)"
    R"("repeat":{"categories":"complaint","count":2,"window":"1d"}})";

void escalation_op(FuzzedDataProvider& in, Handles& h) {
  static hotline_escalation_policy* policy = [] {
    hotline_escalation_policy* p = nullptr;
    if (hotline_escalation_policy_from_json(&p, kPolicy, std::strlen(kPolicy), nullptr) !=
        HOTLINE_OK) {
      std::abort();
    }
    return p;
  }();
  auto& slot = h.engine[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  hotline_escalation_result r{};
  const std::uint64_t order = in.ConsumeIntegralInRange<std::uint64_t>(0, 6);
  const hotline_time_ms now = instant(in);
  const std::string key = in.ConsumeBool() ? std::string() : in.ConsumeRandomLengthString(8);
  const char* k = key.empty() ? nullptr : key.c_str();
  const std::string actor_id = in.ConsumeBool() ? "agent" : in.ConsumeRandomLengthString(8);
  const hotline_escalation_actor actor{actor_id.c_str(), in.ConsumeBool() ? "agent" : "x"};
  const std::string fkey = in.ConsumeBool() ? "note" : "satisfied";
  const std::string fval = in.ConsumeBool() ? "yes" : in.ConsumeRandomLengthString(8);
  const hotline_escalation_field field{fkey.c_str(), fval.c_str()};
  switch (in.ConsumeIntegralInRange<int>(0, 11)) {
    case 0: {
      hotline_escalation_engine_free(slot);
      slot = nullptr;
      hotline_escalation_engine* made = nullptr;
      fuzz::check_status(hotline_escalation_engine_new(&made, in.ConsumeBool() ? policy : nullptr),
                         made);
      slot = made;
      break;
    }
    case 1: {
      const std::string customer = in.ConsumeRandomLengthString(4);
      const std::string category = text(in, "complaint");
      const std::string dep = in.ConsumeBool() ? "d" : in.ConsumeRandomLengthString(3);
      hotline_escalation_new_order o{};
      o.version = in.ConsumeBool() ? HOTLINE_ESCALATION_NEW_ORDER_VERSION : 7u;
      o.customer = customer.c_str();
      o.channel = raw_enum<hotline_escalation_channel, 3>(in);
      o.category = category.c_str();
      o.severity = raw_enum<hotline_escalation_severity, 3>(in);
      o.owner = in.ConsumeBool() ? "agent" : "";
      o.department = in.ConsumeBool() ? dep.c_str() : nullptr;
      o.has_promised = in.ConsumeBool();
      o.promised = instant(in);
      o.has_special = in.ConsumeBool();
      o.special = instant(in);
      o.fields = in.ConsumeBool() ? &field : nullptr;
      o.field_count = o.fields ? 1 : 0;
      fuzz::check_status(hotline_escalation_create(&r, slot, &o, now, k));
      break;
    }
    case 2: {
      const char* names[] = {"go", "send", "close", "reopen", "fly"};
      fuzz::check_status(hotline_escalation_transition(
          &r, slot, order, names[in.ConsumeIntegralInRange<int>(0, 4)], &actor,
          in.ConsumeBool() ? &field : nullptr, in.ConsumeIntegralInRange<size_t>(0, 1), now, k));
      break;
    }
    case 3: {
      const std::string dep = in.ConsumeBool() ? "d" : in.ConsumeRandomLengthString(3);
      fuzz::check_status(
          hotline_escalation_assign(&r, slot, order, dep.c_str(), "h", &actor, now, k));
      break;
    }
    case 4:
      fuzz::check_status(in.ConsumeBool()
                             ? hotline_escalation_pause(&r, slot, order, "wait", &actor, now, k)
                             : hotline_escalation_resume(&r, slot, order, &actor, now, k));
      break;
    case 5:
      fuzz::check_status(hotline_escalation_set_deadline(&r, slot, order, in.ConsumeBool(),
                                                         instant(in), &actor, now, k));
      break;
    case 6: {
      size_t n = 0;
      fuzz::check_status(hotline_escalation_advance(&n, slot, now));
      break;
    }
    case 7:
      buffered<hotline_escalation_notice>(in,
                                          [&](hotline_escalation_notice* o, size_t cap, size_t* n) {
                                            return hotline_escalation_notices(o, cap, n, slot);
                                          });
      break;
    case 8: {
      hotline_escalation_order o;
      fuzz::check_status(hotline_escalation_get_order(&o, slot, order));
      hotline_escalation_clock c;
      const char* clocks[] = {"first", "dept", "all", "none"};
      fuzz::check_status(
          hotline_escalation_get_clock(&c, slot, order, clocks[in.ConsumeIntegralInRange(0, 3)]));
      break;
    }
    case 9: {
      std::vector<char> buf(in.ConsumeIntegralInRange<std::size_t>(0, 4096));
      size_t needed = 0;
      char* b = buf.empty() ? nullptr : buf.data();
      const char* clocks[] = {"first", "dept", "all", "none"};
      int rc = 0;
      switch (in.ConsumeIntegralInRange(0, 3)) {
        case 0:
          rc = hotline_escalation_explain(b, buf.size(), &needed, slot, order,
                                          clocks[in.ConsumeIntegralInRange(0, 3)]);
          break;
        case 1:
          rc = hotline_escalation_order_json(b, buf.size(), &needed, slot, order);
          break;
        case 2:
          rc = hotline_escalation_history_json(b, buf.size(), &needed, slot, order);
          break;
        default:
          rc = hotline_escalation_kpis_json(b, buf.size(), &needed, slot);
      }
      fuzz::check_status(rc == HOTLINE_EBUFFER ? HOTLINE_OK : rc);
      break;
    }
    case 10: {
      hotline_escalation_policy_change pc;
      fuzz::check_status(hotline_escalation_change_policy(&pc, slot, policy, instant(in), now));
      break;
    }
    default: {
      hotline_time_ms due = 0;
      bool found = false;
      fuzz::check_status(hotline_escalation_next_due(&due, &found, slot));
      size_t n = 0;
      fuzz::check_status(hotline_escalation_order_count(&n, slot));
    }
  }
}

const char* kRoutingPolicy =
    R"({"skills":["a","b"],"languages":["zh","en"],"tiers":[{"name":"L1","priority":100},{"name":"L3"}],)"
    R"("tier_rules":[{"tier":"L1","when":[{"attribute":"arpu","at_least":500}]}],)"
    R"("rules":{"offer_timeout":"5s","rna_limit":1,"announce_every":"10s"},)"
    R"("queues":[{"name":"q","skills":["a"],"steps":[{},{"after":"20s","skills":["b"]}],"callback_over":"30s"},)"
    R"({"name":"r","skills":["b"],"strategy":"ring_all","max_length":2,"max_wait":"40s","timeout_to":"q"}]})";

void routing_op(FuzzedDataProvider& in, Handles& h) {
  auto& slot = h.router[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  const hotline_time_ms now = instant(in);
  const uint64_t agent = in.ConsumeIntegralInRange<uint64_t>(0, 4);
  const uint64_t contact = in.ConsumeIntegralInRange<uint64_t>(0, 6);
  switch (in.ConsumeIntegralInRange<int>(0, 13)) {
    case 0: {
      hotline_router_free(slot);
      slot = nullptr;
      hotline_routing_policy* p = nullptr;
      const std::string json =
          in.ConsumeBool() ? std::string(kRoutingPolicy) : text(in, kRoutingPolicy);
      const int rc = hotline_routing_policy_from_json(&p, json.data(), json.size(), nullptr);
      fuzz::check_status(rc, p);
      if (rc != HOTLINE_OK) break;
      hotline_router_options o{in.ConsumeIntegral<uint64_t>(), in.ConsumeBool(), in.ConsumeBool()};
      fuzz::check_status(hotline_router_new(&slot, p, in.ConsumeBool() ? &o : nullptr), slot);
      hotline_routing_policy_free(p);
      break;
    }
    case 1: {
      const std::string profile = in.ConsumeBool()
                                      ? "{\"id\": " + std::to_string(agent) +
                                            R"(, "skills": {"a": 3, "b": 2}, "languages": ["zh"]})"
                                      : text(in, R"({"id": 1})");
      fuzz::check_status(hotline_router_login(slot, profile.c_str(), in.ConsumeBool(), now));
      break;
    }
    case 2: {
      const std::string c = in.ConsumeBool()
                                ? "{\"id\": " + std::to_string(contact) +
                                      R"(, "queue": "q", "attributes": {"arpu": 600}, "owner": 1})"
                                : text(in, R"({"id": 2, "queue": "r"})");
      fuzz::check_status(hotline_router_arrive(slot, c.c_str(), now));
      break;
    }
    case 3: {
      const std::string q = text(in, "r");
      fuzz::check_status(hotline_router_arrive_simple(slot, contact, q.c_str(),
                                                      in.ConsumeBool() ? "L3" : nullptr,
                                                      in.ConsumeBool() ? "zh" : nullptr, now));
      break;
    }
    case 4:
      fuzz::check_status(hotline_router_accept(slot, contact, agent, now));
      break;
    case 5:
      fuzz::check_status(hotline_router_reject(slot, contact, agent, now));
      break;
    case 6:
      fuzz::check_status(hotline_router_end(slot, contact, now));
      break;
    case 7:
      fuzz::check_status(hotline_router_wrap_up_done(slot, contact, now));
      break;
    case 8:
      fuzz::check_status(hotline_router_abandon(slot, contact, now));
      break;
    case 9: {
      const std::string reason = text(in, "break");
      fuzz::check_status(in.ConsumeBool()
                             ? hotline_router_not_ready(slot, agent, reason.c_str(), now)
                             : hotline_router_ready(slot, agent, now));
      break;
    }
    case 10:
      fuzz::check_status(in.ConsumeBool() ? hotline_router_logout(slot, agent, now)
                                          : hotline_router_callback_accepted(slot, contact, now));
      break;
    case 11:
      fuzz::check_status(hotline_router_advance(slot, now));
      break;
    case 12: {
      buffered<hotline_routing_decision>(
          in, [&](hotline_routing_decision* rows, size_t cap, size_t* count) {
            return hotline_router_drain(rows, cap, count, slot);
          });
      break;
    }
    default: {
      const std::string line = text(in, R"({"kind":"advance","at":"2025-01-01T00:00:00Z"})");
      fuzz::check_status(hotline_router_apply(slot, line.c_str()));
      if (slot != nullptr && hotline_router_check(slot) != HOTLINE_OK) std::abort();
    }
  }
}

// A text output through the caller-buffer protocol with a random capacity: EBUFFER must mean "too
// small" (and report the size), OK must leave a NUL-terminated string inside the buffer.
template <class Fn>
void text_out(FuzzedDataProvider& in, Fn fn) {
  std::vector<char> buf(in.ConsumeIntegralInRange<std::size_t>(0, 1 << 16));
  size_t needed = 0;
  const int rc = fn(buf.empty() ? nullptr : buf.data(), buf.size(), &needed);
  if (rc == HOTLINE_EBUFFER && needed < buf.size()) std::abort();
  if (rc == HOTLINE_OK && (buf.empty() || std::memchr(buf.data(), 0, buf.size()) == nullptr)) {
    std::abort();
  }
  fuzz::check_status(rc == HOTLINE_EBUFFER ? HOTLINE_OK : rc);
}

std::string example_text(const char* rel) {
  std::string out;
  if (FILE* f = std::fopen((std::string(HOTLINE_SOURCE_DIR "/") + rel).c_str(), "rb")) {
    char chunk[4096];
    for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, f)) > 0;) out.append(chunk, n);
    std::fclose(f);
  }
  if (out.empty()) std::abort();
  return out;
}

const hotline_calendar* shanghai() {
  static hotline_calendar* c = [] {
    hotline_calendar* x = nullptr;
    if (hotline_calendar_new_always_open(&x, "Asia/Shanghai") != HOTLINE_OK) std::abort();
    return x;
  }();
  return c;
}

// The root document of a compose or a validation: the real national tree one time in eight
// (plus text()'s share of one in eight), otherwise fuzz bytes. The real tree was chosen in well
// over half of these calls, and each one repeated the same parse and checks of two shipped
// documents, the target's largest cost; fuzz_ivr_document explores the document itself.
std::string root_text(FuzzedDataProvider& in, const std::string& national) {
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      return national;
    case 1:
      return text(in, national.c_str());
    default:
      return in.ConsumeRandomLengthString(512);
  }
}

void ivr_op(FuzzedDataProvider& in, Handles& h) {
  static const std::string national = example_text("examples/ivr/national.json");
  static const std::string guangdong = example_text("examples/ivr/guangdong.json");
  static const std::string base = HOTLINE_SOURCE_DIR "/examples/ivr";
  auto& tree = h.tree[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  auto& session = h.session[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  const hotline_time_ms now = instant(in);
  switch (in.ConsumeIntegralInRange<int>(0, 11)) {
    case 0: {  // compose: a fuzzed or the real root, the real sub-flow, any count
      hotline_ivr_tree_free(tree);
      tree = nullptr;
      const std::string root = root_text(in, national);
      const hotline_ivr_document docs[2] = {
          {root.data(), root.size(), in.ConsumeBool() ? base.c_str() : nullptr},
          {guangdong.data(), guangdong.size(), base.c_str()}};
      hotline_ivr_tree* made = nullptr;
      const int rc = hotline_ivr_tree_compose(&made, in.ConsumeBool() ? docs : nullptr,
                                              in.ConsumeIntegralInRange<std::size_t>(0, 2));
      fuzz::check_status(rc, made);
      tree = made;
      break;
    }
    case 1: {
      const std::string root = root_text(in, national);
      const hotline_ivr_document docs[2] = {{root.data(), root.size(), base.c_str()},
                                            {guangdong.data(), guangdong.size(), base.c_str()}};
      text_out(in, [&](char* b, size_t cap, size_t* needed) {
        return hotline_ivr_validate_json(b, cap, needed, docs, 2);
      });
      break;
    }
    case 2: {  // a session on the slot's tree (or NULL), with fuzzed call data
      hotline_ivr_session_free(session);
      session = nullptr;
      const std::string tier = text(in, "L3"), language = text(in, "zh");
      const std::string name = text(in, "customer_type"), value = text(in, "prepaid");
      const hotline_ivr_attribute attr{in.ConsumeBool() ? name.c_str() : nullptr, value.c_str()};
      const hotline_ivr_call call{
          in.ConsumeBool() ? HOTLINE_IVR_CALL_VERSION : in.ConsumeIntegral<unsigned>(),
          in.ConsumeBool() ? tier.c_str() : nullptr, in.ConsumeBool() ? language.c_str() : nullptr,
          &attr, in.ConsumeIntegralInRange<size_t>(0, 1)};
      hotline_ivr_session* made = nullptr;
      const int rc = hotline_ivr_session_new(&made, tree, in.ConsumeBool() ? &call : nullptr, now);
      fuzz::check_status(rc, made);
      session = made;
      break;
    }
    case 3:
    case 4: {  // key presses or a host result (text), a timeout or a hang-up
      const std::string input = text(in, "1");
      switch (in.ConsumeIntegralInRange<int>(0, 3)) {
        case 0:
          fuzz::check_status(hotline_ivr_session_digits(session, input.c_str(), now));
          break;
        case 1:
          fuzz::check_status(hotline_ivr_session_result(session, input.c_str(), now));
          break;
        case 2:
          fuzz::check_status(hotline_ivr_session_timeout(session, now));
          break;
        default:
          fuzz::check_status(hotline_ivr_session_hangup(session, now));
      }
      break;
    }
    case 5:
    case 6:
      buffered<hotline_ivr_action>(in, [&](hotline_ivr_action* rows, size_t cap, size_t* count) {
        return hotline_ivr_session_actions(rows, cap, count, session);
      });
      break;
    case 7: {
      hotline_ivr_status st;
      fuzz::check_status(hotline_ivr_session_status(&st, session));
      text_out(in, [&](char* b, size_t cap, size_t* needed) {
        return hotline_ivr_session_trajectory_json(b, cap, needed, session);
      });
      break;
    }
    case 8: {
      const std::string id = text(in, "welcome"), language = text(in, "yue");
      const char* prompt = nullptr;
      hotline_duration_ms length = 0;
      fuzz::check_status(hotline_ivr_prompt(&prompt, &length, tree, id.c_str(),
                                            in.ConsumeBool() ? language.c_str() : nullptr));
      // A whole play action's length (ids may be NULL, the count may lie about a NULL array),
      // and a node's collect pattern.
      const std::string id2 = text(in, "main_menu"), node = text(in, "guangdong/password"),
                        digits = text(in, "123456");
      const char* ids[3] = {id.c_str(), in.ConsumeBool() ? id2.c_str() : nullptr, "welcome"};
      const std::size_t count = in.ConsumeIntegralInRange<std::size_t>(0, 3);
      fuzz::check_status(hotline_ivr_prompts_length(in.ConsumeBool() ? &length : nullptr, tree,
                                                    in.ConsumeBool() ? ids : nullptr, count,
                                                    in.ConsumeBool() ? language.c_str() : nullptr));
      bool match = false;
      fuzz::check_status(hotline_ivr_digits_match(in.ConsumeBool() ? &match : nullptr, tree,
                                                  in.ConsumeBool() ? node.c_str() : nullptr,
                                                  in.ConsumeBool() ? digits.c_str() : nullptr));
      break;
    }
    case 9: {  // a few simulated callers (bounded: each is a whole call)
      const std::string model = text(in, "{}");
      const int calls = in.ConsumeIntegralInRange<int>(-2, 20);
      text_out(in, [&](char* b, size_t cap, size_t* needed) {
        return hotline_ivr_simulate_json(b, cap, needed, tree,
                                         in.ConsumeBool() ? model.c_str() : nullptr, calls,
                                         in.ConsumeIntegral<uint64_t>(), now);
      });
      break;
    }
    case 10: {  // publish into a registry and take the latest back
      hotline_ivr_registry* reg = nullptr;
      fuzz::check_status(hotline_ivr_registry_new(&reg), reg);
      int version = 0;
      fuzz::check_status(hotline_ivr_registry_publish(&version, reg, tree));
      hotline_ivr_tree* latest = nullptr;
      const int rc = hotline_ivr_registry_latest(&latest, reg);
      fuzz::check_status(rc, latest);
      hotline_ivr_tree_free(latest);
      hotline_ivr_registry_free(reg);
      break;
    }
    default: {
      size_t n = 0;
      fuzz::check_status(hotline_ivr_tree_node_count(&n, tree));
      hotline_ivr_node node;
      fuzz::check_status(
          hotline_ivr_tree_node(&node, tree, in.ConsumeIntegralInRange<size_t>(0, n + 1)));
      text_out(in, [&](char* b, size_t cap, size_t* needed) {
        return hotline_ivr_tree_dot(b, cap, needed, tree);
      });
    }
  }
}

const char* kRoster =
    R"([{"from":"2024-12-31T00:00:00Z","to":"2025-02-01T00:00:00Z","supervisor":"sup"}])";

void survey_op(FuzzedDataProvider& in, Handles& h) {
  static const std::string post_call = example_text("examples/survey/post-call.json");
  static hotline_survey_definition* def = [] {
    hotline_survey_definition* d = nullptr;
    if (hotline_survey_definition_from_json(&d, post_call.data(), post_call.size()) != HOTLINE_OK)
      std::abort();
    return d;
  }();
  static hotline_escalation_policy* policy = [] {
    hotline_escalation_policy* p = nullptr;
    if (hotline_escalation_policy_from_json(&p, kPolicy, std::strlen(kPolicy), nullptr) !=
        HOTLINE_OK)
      std::abort();
    return p;
  }();
  auto& sampler = h.sampler[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  auto& loop = h.loop[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  const hotline_time_ms now = instant(in);
  const std::string id = text(in, "c1"), agent = text(in, "a1"), note = text(in, "sup");
  const hotline_survey_contact contact{in.ConsumeBool() ? id.c_str() : nullptr,
                                       in.ConsumeBool() ? "13800000001" : nullptr,
                                       in.ConsumeBool() ? agent.c_str() : nullptr,
                                       now,
                                       duration(in),
                                       in.ConsumeBool(),
                                       in.ConsumeBool()};
  const uint64_t order = in.ConsumeIntegralInRange<uint64_t>(0, 4);
  switch (in.ConsumeIntegralInRange<int>(0, 11)) {
    case 0: {  // a fuzzed definition: loads or fails cleanly; its IVR flow on what loads
      const std::string json = text(in, post_call.c_str());
      hotline_survey_definition* made = nullptr;
      const int rc = hotline_survey_definition_from_json(&made, json.data(), json.size());
      fuzz::check_status(rc, made);
      size_t n = 0;
      fuzz::check_status(hotline_survey_question_count(&n, made));
      text_out(in, [&](char* b, size_t cap, size_t* needed) {
        return hotline_survey_ivr_json(b, cap, needed, made);
      });
      hotline_survey_definition_free(made);
      break;
    }
    case 1: {
      bool yes = false;
      fuzz::check_status(
          hotline_survey_in_sample(&yes, contact.id, in.ConsumeIntegral<uint64_t>(), number(in)));
      break;
    }
    case 2: {
      hotline_survey_sampler_free(sampler);
      sampler = nullptr;
      hotline_survey_sampler* made = nullptr;
      const int rc = hotline_survey_sampler_new(&made, in.ConsumeBool() ? def : nullptr,
                                                in.ConsumeBool() ? shanghai() : nullptr);
      fuzz::check_status(rc, made);
      sampler = made;
      break;
    }
    case 3: {
      hotline_survey_decision d;
      fuzz::check_status(hotline_survey_sampler_decide(&d, sampler, &contact));
      break;
    }
    case 4: {
      hotline_survey_proportion p;
      fuzz::check_status(hotline_survey_wilson(&p, in.ConsumeIntegral<int>(),
                                               in.ConsumeIntegral<int>(), number(in)));
      break;
    }
    case 5: {  // aggregate random responses (answers in and out of each scale)
      std::vector<hotline_survey_response> rs(in.ConsumeIntegralInRange<size_t>(0, 16));
      for (auto& r : rs) {
        r.agent = in.ConsumeIntegralInRange<uint32_t>(0, 3);
        r.team = in.ConsumeIntegralInRange<uint32_t>(0, 3);
        r.queue = in.ConsumeIntegral<uint32_t>();
        r.at = instant(in);
        for (auto& a : r.answers) a = in.ConsumeIntegral<int8_t>();
        r.responded = in.ConsumeBool();
      }
      const auto by = raw_enum<hotline_survey_group_by, 5>(in);
      const double precision = number(in);
      buffered<hotline_survey_score>(in, [&](hotline_survey_score* out, size_t cap, size_t* n) {
        return hotline_survey_aggregate(out, cap, n, def, rs.empty() ? nullptr : rs.data(),
                                        rs.size(), by, in.ConsumeBool() ? shanghai() : nullptr,
                                        precision);
      });
      break;
    }
    case 6: {  // a loop on its own engine (the engine must outlive the loop)
      if (loop.loop != nullptr) hotline_survey_loop_free(loop.loop);
      hotline_escalation_engine_free(loop.engine);
      loop = {};
      fuzz::check_status(hotline_escalation_engine_new(&loop.engine, policy), loop.engine);
      const std::string roster = text(in, kRoster), category = text(in, "complaint");
      const std::string department = text(in, "d");
      hotline_survey_loop* made = nullptr;
      const int rc = hotline_survey_loop_new(
          &made, in.ConsumeBool() ? loop.engine : nullptr, roster.c_str(),
          in.ConsumeBool() ? shanghai() : nullptr, category.c_str(), department.c_str());
      fuzz::check_status(rc, made);
      loop.loop = made;
      break;
    }
    case 7: {
      hotline_survey_alert alert;
      const std::string recording = text(in, "rec.wav");
      fuzz::check_status(
          hotline_survey_loop_dissatisfied(&alert, loop.loop, &contact, recording.c_str(), now));
      break;
    }
    case 8:
      switch (in.ConsumeIntegralInRange<int>(0, 3)) {
        case 0:
          fuzz::check_status(
              hotline_survey_loop_explain(loop.loop, order, agent.c_str(), note.c_str(), now));
          break;
        case 1:
          fuzz::check_status(
              hotline_survey_loop_review(loop.loop, order, note.c_str(), "rec.wav", now));
          break;
        case 2:
          fuzz::check_status(
              hotline_survey_loop_call_back(loop.loop, order, note.c_str(), "called", now));
          break;
        default:
          fuzz::check_status(hotline_survey_loop_verdict(
              loop.loop, order, note.c_str(), raw_enum<hotline_survey_verdict, 1>(in),
              in.ConsumeBool() ? "reason" : nullptr, now));
      }
      break;
    case 9: {
      size_t n = 0;
      fuzz::check_status(hotline_survey_loop_advance(&n, loop.loop, now));
      bool overdue = false;
      fuzz::check_status(hotline_survey_loop_overdue(&overdue, loop.loop, order));
      break;
    }
    case 10: {
      const int year = in.ConsumeIntegral<int>();
      const unsigned month = in.ConsumeIntegral<unsigned>();
      text_out(in, [&](char* b, size_t cap, size_t* needed) {
        return hotline_survey_loop_yellow_cards_json(b, cap, needed, loop.loop, year, month);
      });
      break;
    }
    default: {
      const std::string input = text(in, R"({"answers":[1]})");
      text_out(in, [&](char* b, size_t cap, size_t* needed) {
        return hotline_survey_assess_json(b, cap, needed, input.c_str());
      });
      hotline_survey_response r;
      fuzz::check_status(hotline_survey_response_from_session(
          &r, def, h.session[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)]));
    }
  }
}

// A scenario small enough to run often: 60 calls through the real router on four agents.
const char* kScenario =
    R"({"name":"f","start":"2025-03-03T00:00:00+08:00","time_zone":"Asia/Shanghai",)"
    R"("length":"1h","interval":"30m","seed":3,"replications":1,)"
    R"("routing":{"name":"r","version":"1","skills":["any"],)"
    R"("tiers":[{"name":"all","target":{"threshold":"20s","fraction":0.8}}],"default_tier":"all",)"
    R"("queues":[{"name":"q","skills":["any"],"strategy":"longest_idle","wrap_up":"5s"}]},)"
    R"("arrivals":{"calls":60,"patience":{"dist":"exponential","mean":"60s"},"queues":{"q":1.0}},)"
    R"("handle":{"q":{"dist":"exponential","mean":"120s"}},)"
    R"("agents":[{"name":"agent","count":4,"skills":["any"]}]})";

void sim_op(FuzzedDataProvider& in, Handles& h) {
  static const std::string base = HOTLINE_SOURCE_DIR "/examples/scenarios";
  const std::size_t slot = in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1);
  auto& scenario = h.scenario[slot];
  auto& report = h.report[in.ConsumeIntegralInRange<std::size_t>(0, kSlots - 1)];
  switch (in.ConsumeIntegralInRange<int>(0, 4)) {
    case 0: {
      hotline_sim_scenario_free(scenario);
      scenario = nullptr;
      const std::string json = text(in, kScenario);
      hotline_sim_scenario* made = nullptr;
      const int rc = hotline_sim_scenario_from_json(&made, json.data(), json.size(),
                                                    in.ConsumeBool() ? base.c_str() : nullptr);
      fuzz::check_status(rc, made);
      scenario = made;
      h.small_scenario[slot] = json == kScenario;
      break;
    }
    case 1: {
      int agents = 0;
      fuzz::check_status(hotline_sim_scenario_agents(&agents, scenario));
      text_out(in, [&](char* b, size_t cap, size_t* needed) {
        return hotline_sim_scenario_name(b, cap, needed, scenario);
      });
      break;
    }
    case 2: {  // a run under an event budget (a fuzzed scenario may describe a year of calls)
      hotline_sim_report_free(report);
      report = nullptr;
      hotline_sim_options o{};
      o.seed = in.ConsumeIntegral<uint64_t>();
      o.has_seed = in.ConsumeBool();
      const int reps[] = {0, 1, 2, -1, 1001};
      o.replications = reps[in.ConsumeIntegralInRange<int>(0, 4)];
      o.max_events = in.ConsumeIntegralInRange<int64_t>(-1, 3000);
      if (o.max_events == 0) o.max_events = 3000;
      hotline_sim_report* made = nullptr;
      // Without options (no budget) only the small scenario.
      const bool plain = h.small_scenario[slot] && in.ConsumeBool();
      const int rc = hotline_sim_run(&made, scenario, plain ? nullptr : &o);
      fuzz::check_status(rc, made);
      report = made;
      break;
    }
    case 3: {
      const int format = in.ConsumeIntegralInRange<int>(-1, 3);
      text_out(in, [&](char* b, size_t cap, size_t* needed) {
        return hotline_sim_report_render(b, cap, needed, report, format);
      });
      break;
    }
    default: {
      hotline_sim_summary sum;
      fuzz::check_status(hotline_sim_report_summary(&sum, report));
      size_t n = 0;
      fuzz::check_status(hotline_sim_report_tier_count(&n, report));
      hotline_sim_tier tier;
      fuzz::check_status(
          hotline_sim_report_tier(&tier, report, in.ConsumeIntegralInRange<size_t>(0, n + 1)));
    }
  }
}

void common_op(FuzzedDataProvider& in) {
  const char* name = hotline_status_name(in.ConsumeIntegral<int>());
  if (name == nullptr) std::abort();
  int major = 0;
  if (hotline_version(in.ConsumeBool() ? &major : nullptr, nullptr, nullptr) == nullptr) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  Handles h;
  for (int step = 0; step < 64 && in.remaining_bytes() > 0; ++step) {
    switch (in.ConsumeIntegralInRange<int>(0, 10)) {
      case 0:
        calendar_op(in, h);
        break;
      case 7:
        ivr_op(in, h);
        break;
      case 8:
        survey_op(in, h);
        break;
      case 9:
        sim_op(in, h);
        break;
      case 6:
        routing_op(in, h);
        break;
      case 1:
        sla_math_op(in);
        break;
      case 2:
        sla_window_op(in, h);
        break;
      case 3:
        sla_records_op(in, h);
        break;
      case 4:
        workforce_op(in, h);
        break;
      case 5:
        escalation_op(in, h);
        break;
      default:
        common_op(in);
    }
  }
  return 0;
}
