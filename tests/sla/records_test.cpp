// Tests of contact records, the CSV / queue_log readers, interval reports, targets, compliance
// and the scorecard ratios (include/hotline/sla/records.hpp).
#include <hotline/calendar/calendar.hpp>
#include <hotline/core/error.hpp>
#include <hotline/sla/records.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace {

using hotline::Error;
using hotline::ErrorCode;
using hotline::Instant;
using hotline::calendar::Calendar;
using namespace hotline::sla;
using namespace std::chrono_literals;

std::string slurp(const std::string& rel) {
  std::ifstream in(std::string(HOTLINE_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <class F>
void expect_error(F&& f, ErrorCode code, const std::string& where) {
  try {
    f();
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_EQ(e.where(), where) << e.what();
  }
}

const IntervalRow& row_of(const Report& rep, const std::string& queue) {
  for (const auto& r : rep.rows) {
    if (rep.queues[r.queue] == queue) return r;
  }
  throw std::runtime_error("no row for " + queue);
}

TEST(QueueLog, SampleReproducesAsteriskServiceLevels) {
  const std::vector<std::string> tier_queues{"vip"};
  const RecordSet rs =
      read_queue_log(slurp("examples/sla/sample.queue_log"), "ordinary", tier_queues);
  EXPECT_EQ(rs.records().size(), 7u);
  EXPECT_EQ(rs.incomplete, 1);  // 1007.1 is still queued when the log ends
  const Calendar cal = Calendar::always_open("Asia/Shanghai");
  Targets targets = Targets::hotline_preset();
  const Report rep = aggregate(rs, targets, cal, {.granularity = Granularity::minutes30});
  ASSERT_EQ(rep.rows.size(), 2u);
  const IntervalRow& s = row_of(rep, "support");
  EXPECT_EQ(rep.tiers[s.tier], "ordinary");
  EXPECT_EQ(s.start, hotline::parse_instant("2025-01-01T09:00:00+08:00"));
  EXPECT_EQ(s.end, hotline::parse_instant("2025-01-01T09:30:00+08:00"));
  // offered 6: answered 2 (10 s, 25 s), abandoned 3 (3 s, 30 s, 8 s), 1 timeout.
  EXPECT_EQ(s.counts, (Counts{6, 2, 3, 1, 2, 1}));
  EXPECT_EQ(s.timeouts, 1);
  EXPECT_DOUBLE_EQ(s.asa_seconds(), 17.5);
  EXPECT_DOUBLE_EQ(s.aht_seconds(), 140.0);  // queue_log has calltime only: (120 + 160) / 2
  EXPECT_EQ(s.max_wait, 60s);
  // app_queue.c: SL = callscompletedinsl / callscompleted, where a call is "in SL" when its
  // holdtime <= servicelevel; SL2 = (callscompletedinsl + callsabandonedinsl) /
  // (callscompleted + callsabandoned). With servicelevel=20: SL = 1/2, SL2 = (1 + 2) / (2 + 3).
  EXPECT_DOUBLE_EQ(service_level(s.counts, ServiceLevelVariant::answered), 0.5);
  EXPECT_DOUBLE_EQ(service_level(s.counts, ServiceLevelVariant::answered_abandoned), 0.6);
  EXPECT_DOUBLE_EQ(service_level(s.counts, ServiceLevelVariant::offered), 1.0 / 6);
  EXPECT_DOUBLE_EQ(service_level(s.counts, ServiceLevelVariant::offered_excl_abandoned_within),
                   1.0 / 4);
  EXPECT_DOUBLE_EQ(service_level(s.counts, ServiceLevelVariant::offered_excl_short_abandoned),
                   1.0 / 5);
  EXPECT_DOUBLE_EQ(rep.service_level(s), 0.5);
  EXPECT_FALSE(rep.meets_target(s));
  const IntervalRow& v = row_of(rep, "vip");
  EXPECT_EQ(rep.tiers[v.tier], "vip");
  EXPECT_EQ(v.counts, (Counts{1, 1, 0, 1, 0, 0}));
  EXPECT_TRUE(rep.meets_target(v));
}

TEST(QueueLog, Errors) {
  const auto inv = ErrorCode::invalid_argument;
  expect_error([] { read_queue_log("20|a|q|NONE|ENTERQUEUE||x|1\n10|b|q|NONE|ENTERQUEUE||y|1\n"); },
               inv, "line 2, column 1");
  expect_error([] { read_queue_log("10|a|q|NONE|ENTERQUEUE||x|1\n12|a|q|A|CONNECT|zz|b|1\n"); },
               inv, "line 2, column 6");
  expect_error([] { read_queue_log("10|a|q|NONE|ENTERQUEUE||x|1\n12|a|q|A|CONNECT\n"); }, inv,
               "line 2, column 6");
  expect_error([] { read_queue_log("12|a|q|A|COMPLETECALLER|1|2|1\n"); }, inv, "line 1, column 2");
  expect_error([] { read_queue_log("x1|a|q|A|ENTERQUEUE\n"); }, inv, "line 1, column 1");
  expect_error([] { read_queue_log("12|a|q\n"); }, inv, "line 1, column 4");
}

// Found by fuzz_sla_queue_log: values that overflowed the millisecond clock (signed overflow) and
// a transfer line too short for its trailing fields. Each is now a clear error.
TEST(QueueLog, OutOfRangeFieldsAreErrorsNotOverflow) {
  const auto inv = ErrorCode::invalid_argument;
  expect_error([] { read_queue_log("173569321735693250|a|q|NONE|ENTERQUEUE||x|1\n"); }, inv,
               "line 1, column 1");
  expect_error([] { read_queue_log("10.5x|a|q|NONE|ENTERQUEUE||x|1\n"); }, inv, "line 1, column 1");
  expect_error(
      [] {
        read_queue_log("1000|a|q|NONE|ENTERQUEUE||x|1\n1012|a|q|A|CONNECT|9223372036854775|b|1\n");
      },
      inv, "line 2, column 6");
  expect_error(
      [] {
        read_queue_log(
            "1000|a|q|NONE|ENTERQUEUE||x|1\n1012|a|q|A|CONNECT|12|b|1\n1100|a|q|A|BLINDTRANSFER|"
            "1\n");
      },
      inv, "line 3, column 7");
  // fuzz_sla_queue_log finding: an agent added in 2025 and a line from the year 7470 made a
  // 5,445-year login that monthly occupancy walked. A log spans at most ten years (of 366 days).
  expect_error(
      [] {
        read_queue_log(
            "1735693100|NONE|q|Agent/1|ADDMEMBER|\n1735693200|a|q|NONE|ENTERQUEUE||x|1\n"
            "173569325331|b|q|NONE|ENTERQUEUE||x|1\n");
      },
      inv, "line 3, column 1");
  EXPECT_EQ(read_queue_log("1735693100|NONE|q|Agent/1|ADDMEMBER|\n"
                           "2051917100|NONE|q|Agent/1|REMOVEMEMBER|\n")
                .agent_spans()
                .size(),
            1u);
  RecordSet spans;
  const Instant t0 = hotline::parse_instant("2025-01-01T00:00:00Z");
  expect_error([&] { spans.add_agent_span("a1", t0, t0 + RecordSet::kMaxDuration + 1ms); }, inv,
               "end");
  spans.add_agent_span("a1", t0, t0 + RecordSet::kMaxDuration);
  EXPECT_EQ(spans.agent_spans().size(), 1u);
  // Found by fuzz_capi (UBSan): end - start overflowed for a start at the minimum Instant.
  expect_error([&] { spans.add_agent_span("a1", Instant::min(), t0); }, inv, "end");
  expect_error([&] { spans.add_agent_span("a1", Instant::min(), Instant::max()); }, inv, "end");
  EXPECT_EQ(spans.agent_spans().size(), 1u);  // nothing half-added
  // The largest accepted values still work.
  const RecordSet rs = read_queue_log(
      "253402300000|a|q|NONE|ENTERQUEUE||x|1\n253402300010|a|q|A|CONNECT|10|b|1\n"
      "253402300100|a|q|A|COMPLETECALLER|10|90|1\n");
  EXPECT_EQ(rs.records().size(), 1u);
}

TEST(QueueLog, SkipsAgentEventsAndHandlesTransfers) {
  const std::string log =
      "100|NONE|q|Agent/1|ADDMEMBER|\n"
      "100|c1|q|NONE|ENTERQUEUE||123|1\n"
      "104|c1|q|Agent/1|RINGNOANSWER|2000\n"
      "107|c1|q|Agent/1|CONNECT|7|c1.2|2\n"
      "200|c1|q|Agent/1|TRANSFER|600|ctx|7|93|1\n"
      "201|c2|q|NONE|EXITWITHKEY|5|1|1|12\n";
  const RecordSet rs = read_queue_log(log);
  ASSERT_EQ(rs.records().size(), 2u);
  EXPECT_EQ(rs.records()[0].talk, 93s);
  EXPECT_EQ(rs.records()[0].wait, 7s);
  EXPECT_EQ(rs.agents()[rs.records()[0].agent], "Agent/1");
  EXPECT_EQ(rs.records()[1].outcome, Outcome::other);
  EXPECT_EQ(rs.records()[1].wait, 12s);
  EXPECT_EQ(rs.records()[1].arrival, hotline::from_unix_ms(189'000));
}

TEST(Occupancy, FromQueueLogAgentStateTime) {
  // 09:00 local = 1735693200. Agent logged in all half hour, paused 10 min, one 200 s call
  // answered at 09:01:40 (placed at its real time) -> 200 / (1800 - 600).
  const std::string log =
      "1735693200|NONE|q|Agent/1|ADDMEMBER|\n"
      "1735693200|c1|q|NONE|ENTERQUEUE||1|1\n"
      "1735693300|c1|q|Agent/1|CONNECT|100|c1.2|1\n"
      "1735693500|c1|q|Agent/1|COMPLETEAGENT|100|200|1\n"
      "1735693800|NONE|q|Agent/1|PAUSE|lunch\n"
      "1735694400|NONE|q|Agent/1|UNPAUSE|\n"
      "1735695000|NONE|q|Agent/1|REMOVEMEMBER|\n";
  const RecordSet rs = read_queue_log(log);
  ASSERT_EQ(rs.agent_spans().size(), 2u);
  const auto occ = occupancy(rs, Calendar::always_open("Asia/Shanghai"), Granularity::minutes30);
  ASSERT_EQ(occ.size(), 1u);
  EXPECT_EQ(occ[0].start, hotline::from_unix_ms(1'735'693'200'000));
  EXPECT_EQ(occ[0].staffed, 1800s);
  EXPECT_EQ(occ[0].paused, 600s);
  EXPECT_EQ(occ[0].busy, 200s);
  EXPECT_DOUBLE_EQ(occ[0].occupancy(), 200.0 / 1200.0);
  // A call crossing a boundary is split: 09:29 + 120 s -> 60 s in each half hour.
  RecordSet mem;
  const Instant t = hotline::parse_instant("2025-01-01T09:28:00+08:00");
  mem.add({.arrival = t, .wait = 60s, .talk = 100s, .wrap = 20s}, "q", "vip", "a1");
  mem.add_agent_span("a1", t, t + 1h);
  const auto split = occupancy(mem, Calendar::always_open("Asia/Shanghai"));
  ASSERT_EQ(split.size(), 3u);
  EXPECT_EQ(split[0].busy, 60s);
  EXPECT_EQ(split[1].busy, 60s);
  EXPECT_EQ(split[1].staffed, 30min);
  EXPECT_TRUE(std::isnan(OccupancyRow{}.occupancy()));
  expect_error([&] { mem.add_agent_span("a1", t, t - 1s); }, ErrorCode::invalid_argument, "end");
}

TEST(Csv, SampleAndColumns) {
  const Calendar cal = Calendar::always_open("Asia/Shanghai");
  const RecordSet rs = read_csv(slurp("examples/sla/sample.csv"), cal);
  ASSERT_EQ(rs.records().size(), 8u);
  const auto& r0 = rs.records()[0];
  EXPECT_EQ(r0.arrival, hotline::parse_instant("2025-01-01T01:00:00Z"));
  EXPECT_EQ(r0.wait, 10s);
  EXPECT_EQ(r0.talk, 120s);
  EXPECT_EQ(r0.wrap, 30s);
  const Report rep =
      aggregate(rs, Targets::hotline_preset(), cal, {.granularity = Granularity::minutes30});
  ASSERT_EQ(rep.rows.size(), 3u);  // 09:00 support, 09:00 vip, 09:30 support
  EXPECT_EQ(rep.rows[2].start, hotline::parse_instant("2025-01-01T09:30:00+08:00"));
  EXPECT_DOUBLE_EQ(rep.rows[0].aht_seconds(), (120 + 30 + 160 + 15 + 20) / 2.0);
  // Instants instead of a wait column.
  const RecordSet rs2 = read_csv(
      "arrival,answered,abandoned\n2025-01-01T00:00:00Z,2025-01-01T00:00:14Z,\n"
      "2025-01-01T00:00:05Z,,2025-01-01T00:01:05Z\n",
      cal);
  EXPECT_EQ(rs2.records()[0].wait, 14s);
  EXPECT_EQ(rs2.records()[1].outcome, Outcome::abandoned);
  EXPECT_EQ(rs2.records()[1].wait, 60s);
  EXPECT_EQ(rs2.tiers()[rs2.records()[0].tier], "ordinary");
}

TEST(Csv, ErrorsNameLineAndColumn) {
  const Calendar cal = Calendar::always_open("UTC");
  const auto inv = ErrorCode::invalid_argument;
  expect_error([&] { read_csv("arrival,outcome,colour\n", cal); }, inv, "line 1, column 3");
  expect_error([&] { read_csv("outcome,wait\nanswered,3\n", cal); }, inv, "line 1, column 1");
  expect_error([&] { read_csv("arrival,outcome,wait\n2025-01-01T00:00:00Z,answered,abc\n", cal); },
               inv, "line 2, column 3");
  expect_error([&] { read_csv("arrival,outcome,wait\n2025-13-01T00:00:00Z,answered,1\n", cal); },
               inv, "line 2, column 1");
  expect_error([&] { read_csv("arrival,outcome,wait\n2025-01-01T00:00:00Z,hung,1\n", cal); }, inv,
               "line 2, column 2");
  expect_error([&] { read_csv("arrival,wait\n2025-01-01T00:00:00Z,1\n", cal); }, inv,
               "line 2, column 1");
  expect_error([&] { read_csv("arrival,outcome,wait\n2025-01-01T00:00:00Z,answered\n", cal); }, inv,
               "line 2, column 3");
  expect_error(
      [&] { read_csv("arrival,answered\n2025-01-01T00:00:10Z,2025-01-01T00:00:00Z\n", cal); }, inv,
      "line 2, column 2");
  expect_error([&] { read_csv("arrival,outcome,wait\n\"2025-01-01T00:00:00Z,answered,1\n", cal); },
               inv, "line 2, column 1");
  expect_error([&] { read_csv("", cal); }, inv, "line 1, column 1");
}

// Found by fuzz_sla_csv: a wrap-up of 2,082,088,006,086 s (66,000 years) loaded, and monthly
// occupancy then walked 800,000 months (a 10 s timeout). Durations beyond ten years are corrupt
// fields: an error at their line and column; RecordSet::add refuses them too.
TEST(Csv, DurationsBeyondTenYearsAreErrors) {
  const Calendar cal = Calendar::always_open("UTC");
  const auto inv = ErrorCode::invalid_argument;
  const std::string head = "arrival,outcome,wait,talk,hold,wrap\n2025-01-01T00:00:00Z,answered,";
  expect_error([&] { read_csv(head + "5,200,0,2082088006086\n", cal); }, inv, "line 2, column 6");
  expect_error([&] { read_csv(head + "316224001,1,0,0\n", cal); }, inv, "line 2, column 3");
  // Exactly ten years (of 366 days) still loads.
  EXPECT_EQ(read_csv(head + "5,316224000,0,0\n", cal).records().size(), 1u);
  RecordSet rs;
  expect_error(
      [&] {
        rs.add({.arrival = hotline::parse_instant("2025-01-01T00:00:00Z"),
                .talk = RecordSet::kMaxDuration + 1ms},
               "q", "vip");
      },
      inv, "talk");
  EXPECT_TRUE(rs.records().empty());
}

TEST(Aggregate, BoundariesFollowTheCalendarZone) {
  RecordSet rs;
  // 23:59:59 and 00:00:00 Shanghai time fall on different local days.
  rs.add({.arrival = hotline::parse_instant("2025-01-01T15:59:59Z"), .wait = 1s}, "q", "vip");
  rs.add({.arrival = hotline::parse_instant("2025-01-01T16:00:00Z"), .wait = 1s}, "q", "vip");
  const auto targets = Targets::hotline_preset();
  const Report day = aggregate(rs, targets, Calendar::always_open("Asia/Shanghai"),
                               {.granularity = Granularity::day});
  ASSERT_EQ(day.rows.size(), 2u);
  EXPECT_EQ(day.rows[1].start, hotline::parse_instant("2025-01-02T00:00:00+08:00"));
  const Report utc =
      aggregate(rs, targets, Calendar::always_open("UTC"), {.granularity = Granularity::day});
  EXPECT_EQ(utc.rows.size(), 1u);
  // A New York day across the spring-forward change lasts 23 hours.
  RecordSet ny;
  ny.add({.arrival = hotline::parse_instant("2025-03-09T12:00:00-04:00")}, "q", "vip");
  const Report d = aggregate(ny, targets, Calendar::always_open("America/New_York"),
                             {.granularity = Granularity::day});
  ASSERT_EQ(d.rows.size(), 1u);
  EXPECT_EQ(d.rows[0].end - d.rows[0].start, 23h);
  const Report m = aggregate(ny, targets, Calendar::always_open("America/New_York"),
                             {.granularity = Granularity::month});
  EXPECT_EQ(m.rows[0].start, hotline::parse_instant("2025-03-01T00:00:00-05:00"));
  EXPECT_EQ(m.rows[0].end, hotline::parse_instant("2025-04-01T00:00:00-04:00"));
  const Report h = aggregate(ny, targets, Calendar::always_open("America/New_York"),
                             {.granularity = Granularity::minutes15});
  EXPECT_EQ(h.rows[0].start, hotline::parse_instant("2025-03-09T12:00:00-04:00"));
  EXPECT_EQ(h.rows[0].end - h.rows[0].start, 15min);
}

TEST(Targets, PresetAndJson) {
  const Targets p = Targets::hotline_preset();
  EXPECT_EQ(p.target_for("vip"), (Target{15s, 0.85}));
  EXPECT_EQ(p.target_for("ordinary"), (Target{20s, 0.75}));
  EXPECT_EQ(p.target_for("unknown-tier"), (Target{20s, 0.75}));
  EXPECT_EQ(p.pass_line, 0.85);
  const Targets j = Targets::load(std::string(HOTLINE_SOURCE_DIR) + "/examples/sla/targets.json");
  EXPECT_EQ(j.tiers, p.tiers);
  EXPECT_EQ(j.default_tier, "ordinary");
  const auto bad = ErrorCode::invalid_definition;
  expect_error(
      [] { Targets::from_json(R"({"tiers": [{"tier": "a", "threshold": "x", "target": 0.8}]})"); },
      bad, "/tiers/0/threshold");
  expect_error(
      [] { Targets::from_json(R"({"tiers": [{"tier": "a", "threshold": "1s", "target": 1.5}]})"); },
      bad, "/tiers/0/target");
  expect_error(
      [] {
        Targets::from_json(
            R"({"tiers": [{"tier": "a", "threshold": "1s", "target": 0.5, "x": 1}]})");
      },
      bad, "/tiers/0/x");
  expect_error([] { Targets::from_json(R"({"tiers": [], "pass_line": 2})"); }, bad, "/tiers");
  expect_error(
      [] {
        Targets::from_json(
            R"({"tiers": [{"tier": "a", "threshold": "1s", "target": 0.5}], "variant": "x"})");
      },
      bad, "/variant");
  expect_error(
      [] {
        Targets::from_json(
            R"({"tiers": [{"tier": "a", "threshold": "1s", "target": 0.5}], "default_tier": "b"})");
      },
      bad, "/default_tier");
  expect_error([] { Targets::from_json("{"); }, bad, "line 1, column 2");
}

TEST(Compliance, DaysMeetingTargetOverDaysInMonth) {
  // February 2025 (28 days), Shanghai. VIP: 24 days at 90% (met), 4 days at 80% (missed)
  // -> 24/28 = 0.857 >= 0.85: pass. Ordinary: 23 days met, 5 missed -> 0.821: fail.
  const Calendar cal = Calendar::always_open("Asia/Shanghai");
  RecordSet rs;
  for (int day = 1; day <= 28; ++day) {
    // 23:30 local: still the same local day (the UTC date is the same too; 00:10 local below
    // is the previous UTC day, which checks that days are local).
    const Instant late = cal.parse_time(fmt::format("2025-02-{:02d} 23:30", day));
    const Instant early = cal.parse_time(fmt::format("2025-02-{:02d} 00:10", day));
    const int vip_hits = day <= 24 ? 9 : 8;
    for (int i = 0; i < 10; ++i) {
      rs.add({.arrival = late, .wait = i < vip_hits ? 10s : 40s}, "q", "vip");
    }
    const int ord_hits = day <= 23 ? 8 : 7;
    for (int i = 0; i < 10; ++i) {
      rs.add({.arrival = early, .wait = i < ord_hits ? 10s : 40s}, "q", "ordinary");
    }
  }
  const auto months = daily_compliance(rs, Targets::hotline_preset(), cal);
  ASSERT_EQ(months.size(), 2u);
  for (const auto& m : months) {
    EXPECT_EQ(m.month, std::chrono::year{2025} / std::chrono::February);
    EXPECT_EQ(m.days_in_month, 28);
    EXPECT_EQ(m.days_with_traffic, 28);
    if (rs.tiers()[m.tier] == "vip") {
      EXPECT_EQ(m.days_met, 24);
      EXPECT_NEAR(m.ratio, 24.0 / 28, 1e-15);
      EXPECT_TRUE(m.pass);
    } else {
      EXPECT_EQ(m.days_met, 23);
      EXPECT_FALSE(m.pass);
    }
  }
  // Idle days: a single good day in a 31-day month passes only when idle days count as met.
  RecordSet one;
  one.add({.arrival = cal.parse_time("2025-03-05 10:00"), .wait = 1s}, "q", "vip");
  EXPECT_TRUE(daily_compliance(one, Targets::hotline_preset(), cal)[0].pass);
  const auto strict = daily_compliance(one, Targets::hotline_preset(), cal, false);
  EXPECT_EQ(strict[0].days_met, 1);
  EXPECT_EQ(strict[0].days_in_month, 31);
  EXPECT_FALSE(strict[0].pass);
}

TEST(Scorecard, MysteryCallOnTimeSatisfaction) {
  EXPECT_DOUBLE_EQ(mystery_call_score(92, 80, 90), 1.2);
  EXPECT_DOUBLE_EQ(mystery_call_score(80, 80, 90), 0.0);
  EXPECT_DOUBLE_EQ(mystery_call_score(85, 80, 90), 0.5);
  expect_error([] { mystery_call_score(85, 80, 80); }, ErrorCode::invalid_argument,
               "national_average");
  expect_error([] { mystery_call_score(NAN, 80, 90); }, ErrorCode::invalid_argument, "result");
  const Instant t = hotline::parse_instant("2025-01-01T00:00:00Z");
  std::vector<Deadline> items;
  for (int i = 0; i < 98; ++i) items.push_back({t, t - 1h});
  items.push_back({t, t + 1s});              // late
  items.push_back({t, std::nullopt});        // open and overdue at as_of
  items.push_back({t + 48h, std::nullopt});  // open, not yet due
  OnTime r = on_time_ratio(items, t + 1h);
  EXPECT_EQ(r.on_time, 98);
  EXPECT_EQ(r.late, 2);
  EXPECT_EQ(r.pending, 1);
  EXPECT_DOUBLE_EQ(r.ratio, 0.98);
  EXPECT_TRUE(r.meets());
  items.push_back({t, t + 2h});
  EXPECT_FALSE(on_time_ratio(items, t + 3h).meets());
  EXPECT_DOUBLE_EQ(on_time_ratio({}, t).ratio, 1.0);
  EXPECT_DOUBLE_EQ(satisfaction_rate(98, 100), 0.98);
  EXPECT_TRUE(std::isnan(satisfaction_rate(0, 0)));
  expect_error([] { satisfaction_rate(5, 4); }, ErrorCode::invalid_argument, "satisfied");
}

TEST(RecordSet, RejectsNegativeDurations) {
  RecordSet rs;
  expect_error([&] { rs.add({.wait = -1s}, "q", "vip"); }, ErrorCode::invalid_argument, "wait");
  EXPECT_TRUE(rs.records().empty());
  EXPECT_EQ(parse_outcome("timeout"), Outcome::timeout);
  expect_error([] { parse_outcome("x"); }, ErrorCode::invalid_argument, "outcome");
  EXPECT_EQ(parse_granularity("15m"), Granularity::minutes15);
  expect_error([] { parse_granularity("2h"); }, ErrorCode::invalid_argument, "granularity");
}

}  // namespace

// Found by fuzz_sla_queue_log (out of memory): adversarial input must fail with a limit error
// naming the cause, not exhaust memory. Real data stays far inside both limits.
TEST(Limits, OccupancyAndReportSizeAreBounded) {
  const Calendar cal = Calendar::always_open("UTC");
  RecordSet spans;
  // A span lasts at most ten years (a 100-year login is refused at add_agent_span); six agents
  // one after the other still cover 60 years: 1.05 M half hours.
  constexpr std::int64_t kTenYears = 3650LL * 86'400'000;
  for (int a = 0; a < 6; ++a) {
    spans.add_agent_span(std::to_string(a), hotline::from_unix_ms(a * kTenYears),
                         hotline::from_unix_ms((a + 1) * kTenYears));
  }
  expect_error([&] { (void)occupancy(spans, cal, Granularity::minutes30); }, ErrorCode::limit,
               "records");
  EXPECT_NO_THROW((void)occupancy(spans, cal, Granularity::month));  // 720 rows is fine

  // 200 queues x 1 tier, one call in each of 45,000 different quarter hours: 9 M cells.
  RecordSet many;
  std::vector<std::string> queues;
  for (int q = 0; q < 200; ++q) queues.push_back(std::to_string(q));  // (GCC 12: no "q" + ...)
  for (int i = 0; i < 45'000; ++i) {
    many.add({.arrival = hotline::from_unix_ms(i * 900'000LL), .wait = 5s, .talk = 60s},
             queues[static_cast<std::size_t>(i % 200)], "ordinary", "");
  }
  expect_error(
      [&] {
        (void)aggregate(many, Targets::hotline_preset(), cal,
                        {.granularity = Granularity::minutes15});
      },
      ErrorCode::limit, "records");
  EXPECT_NO_THROW(
      (void)aggregate(many, Targets::hotline_preset(), cal, {.granularity = Granularity::day}));
}

// Found by fuzz_capi (UBSan, signed overflow): occupancy() of agent time near INT64_MIN with an
// Asia/Shanghai calendar converted the instant to local time and back, and the zone's offset
// (+8:05:43 local mean time there) overflowed. Conversions now saturate, and instants beyond
// 10,000 years from 1970 fall into one outer bucket on each side. Every granularity, a zone on
// each side of UTC, arrivals and spans at both ends of time: no overflow, no time lost.
TEST(Limits, InstantsAtTheEndsOfTimeFallInOuterBuckets) {
  using Lim = std::numeric_limits<std::int64_t>;
  const std::int64_t lo = Lim::min(), hi = Lim::max();
  constexpr std::int64_t kCivil = 10'000LL * 366 * 86'400'000;
  for (const char* zone : {"Asia/Shanghai", "America/New_York"}) {
    const Calendar cal = Calendar::always_open(zone);
    RecordSet rs;
    rs.add_agent_span("a", hotline::from_unix_ms(lo), hotline::from_unix_ms(lo + 3'600'000));
    rs.add_agent_span("a", hotline::from_unix_ms(hi - 3'600'000), hotline::from_unix_ms(hi));
    rs.add({.arrival = hotline::from_unix_ms(lo + 1000), .wait = 5s, .talk = 60s}, "q", "vip", "a");
    // Ends past the last instant: the busy time stops there.
    rs.add({.arrival = hotline::from_unix_ms(hi - 30'000), .wait = 5s, .talk = 60s}, "q", "vip",
           "a");
    for (const Granularity g : {Granularity::minutes15, Granularity::minutes30,
                                Granularity::minutes60, Granularity::day, Granularity::month}) {
      SCOPED_TRACE(std::string(zone) + " " + to_string(g));
      const auto rows = occupancy(rs, cal, g);
      ASSERT_EQ(rows.size(), 2u);
      EXPECT_EQ(rows[0].start, hotline::from_unix_ms(lo));
      EXPECT_EQ(rows[0].end, hotline::from_unix_ms(-kCivil));
      EXPECT_EQ(rows[0].staffed, 1h);
      EXPECT_EQ(rows[0].busy, 60s);
      EXPECT_EQ(rows[1].start, hotline::from_unix_ms(kCivil));
      EXPECT_EQ(rows[1].end, hotline::from_unix_ms(hi));
      EXPECT_EQ(rows[1].staffed, 1h);
      EXPECT_EQ(rows[1].busy, 25s);
      const Report rep = aggregate(rs, Targets::hotline_preset(), cal, {.granularity = g});
      std::int64_t offered = 0;
      for (const auto& row : rep.rows) offered += row.counts.offered;
      EXPECT_EQ(offered, 2);
    }
    // Inside the civil range the buckets are the zone's, and stop where the outer ones begin.
    RecordSet near;
    near.add_agent_span("a", hotline::from_unix_ms(kCivil - 3'600'000),
                        hotline::from_unix_ms(kCivil + 3'600'000));
    const auto rows = occupancy(near, cal, Granularity::day);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows.back().start, hotline::from_unix_ms(kCivil));
    hotline::Duration total{0};
    for (const auto& r : rows) {
      total += r.staffed;
      EXPECT_LE(r.end,
                hotline::from_unix_ms(r.start == hotline::from_unix_ms(kCivil) ? hi : kCivil));
    }
    EXPECT_EQ(total, 2h);
  }
}
