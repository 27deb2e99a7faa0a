// Escalation engine: deadlines on business calendars, warnings, ladders, pause, quiet hours,
// immediate and repeat rules, idempotency, errors that leave the state unchanged, effective-dated
// policy changes, KPIs. Times are Asia/Shanghai (+08:00). The expected deadlines are worked out
// by hand from the calendars in examples/calendars (department hours 08:30-12:00 and 13:30-17:30,
// Monday to Friday, 7.5 h a day).
#include <hotline/core.hpp>
#include <hotline/escalation.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <random>
#include <string>

using namespace std::chrono_literals;
using hotline::Error;
using hotline::ErrorCode;
using hotline::Instant;
using hotline::parse_instant;
using namespace hotline::escalation;

namespace std::chrono {
// Readable failures: instants print as ISO 8601.
void PrintTo(const hotline::Instant& t, std::ostream* os) { *os << hotline::format_instant(t); }
}  // namespace std::chrono

namespace {

const std::string kPolicy = std::string(HOTLINE_SOURCE_DIR) + "/examples/escalation/policy.json";

Instant at(const char* local) {  // "2025-03-03 09:00" in +08:00
  std::string s(local);
  s[10] = 'T';
  s += ":00+08:00";
  return parse_instant(s);
}

const Actor kOwner{"agent-7", "agent"};
const Actor kSupervisor{"sup-1", "supervisor"};

NewOrder complaint(std::string customer = "13800000001") {
  NewOrder o;
  o.customer = std::move(customer);
  o.category = "complaint";
  o.owner = "agent-7";
  return o;
}

// A fault report dispatched to the network department (7x24, 8 h) and its NOC handler.
NewOrder fault_report(std::string customer) {
  NewOrder o = complaint(std::move(customer));
  o.category = "fault_report";
  o.department = "network";
  o.handler = "noc-1";
  return o;
}

}  // namespace

TEST(EscalationPolicy, ExampleLoads) {
  const Policy p = Policy::load(kPolicy);
  EXPECT_EQ(p.version(), "2025.1");
  EXPECT_EQ(p.workflows().size(), 5u);
  EXPECT_EQ(p.categories().size(), 5u);
  EXPECT_EQ(p.departments().size(), 4u);
  ASSERT_NE(p.quiet_hours(), nullptr);
  EXPECT_DOUBLE_EQ(p.timeliness_target(), 0.98);
  // Canonical JSON is self-contained (calendar files inlined) and loads to the same policy.
  const Policy again = Policy::from_json(p.canonical_json());
  EXPECT_EQ(again.canonical_json(), p.canonical_json());
}

TEST(EscalationPolicy, ErrorsNameEveryProblemAtItsPointer) {
  const std::string bad = R"({
    "name": "x", "version": "1",
    "calendars": {"7x24": {"time_zone": "Asia/Shanghai", "always_open": true}},
    "departments": [{"id": "billing", "calendar": "office"}],
    "categories": {"complaint": "complaint", "other": "nope"},
    "workflows": [{"id": "complaint", "states": ["a", "b"], "initial": "a", "final": ["b"],
      "transitions": [{"name": "go", "from": ["a", "zz"], "to": "b"},
                      {"name": "go", "from": "a", "to": "b"}],
      "clocks": [{"id": "c", "calendar": "moon", "start": "a", "stop": "b", "target": "2h",
                  "warn_at": [0.8, 0.5]}]}]
  })";
  try {
    Policy::from_json(bad);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
    std::vector<std::string> where;
    for (const auto& d : e.diagnostics()) where.push_back(d.where);
    const std::vector<std::string> expected = {
        "/departments/0/calendar",         "/workflows/0/transitions/0/from/1",
        "/workflows/0/transitions/1/name", "/workflows/0/clocks/0/calendar",
        "/workflows/0/clocks/0/warn_at/1", "/categories/other"};
    for (const auto& w : expected) {
      EXPECT_NE(std::find(where.begin(), where.end(), w), where.end()) << w << "\n" << e.what();
    }
  }
}

TEST(EscalationPolicy, StructuralErrors) {
  auto where = [](const std::string& json) {
    try {
      Policy::from_json(json);
    } catch (const Error& e) {
      return e.where() + ": " + e.message();
    }
    return std::string("accepted");
  };
  const std::string head =
      R"({"name": "x", "version": "1", "calendars": {"c": {"time_zone": "Asia/Shanghai", "always_open": true}}, "departments": [], "categories": {"k": "w"}, )";
  const std::string wf =
      R"("workflows": [{"id": "w", "states": ["a"], "initial": "a", "final": "a", "transitions": [], "clocks": [{"id": "c", "calendar": "c", "start": "a", "stop": "a", "target": )";
  EXPECT_EQ(where(head + wf + R"("soon"}]}]})").substr(0, 27), "/workflows/0/clocks/0/targe");
  EXPECT_NE(where(head + wf + R"("2h", "colour": 1}]}]})").find("/workflows/0/clocks/0/colour"),
            std::string::npos);
  EXPECT_NE(
      where(head + wf + R"({"urgent": "1h"}}]}]})").find("/workflows/0/clocks/0/target/normal"),
      std::string::npos);
  EXPECT_NE(
      where(R"({"name": "x", "version": "1", "calendars": {"c": {"time_zone": "Mars/Base"}}})")
          .find("/calendars/c"),
      std::string::npos);
  EXPECT_NE(where("{\"name\": 1").find("line"), std::string::npos);
  EXPECT_NE(where(R"({"name": "x", "version": "1", "calendars": {"c": {"file": "no-such.json"}}})")
                .find("/calendars/c/file"),
            std::string::npos);
}

TEST(EscalationEngine, WarningsThenBreachOnTheFirstResponseClock) {
  Engine e(Policy::load(kPolicy));
  const Result r = e.create(complaint(), at("2025-03-03 09:00"));
  EXPECT_EQ(r.order, 1u);
  EXPECT_TRUE(r.notices.empty());
  EXPECT_EQ(e.state_name(e.order(1)), "received");
  // 2 h target, warnings at 50% and 80%: 10:00, 10:36; breach at 11:00.
  auto ns = e.advance(at("2025-03-03 10:35"));
  ASSERT_EQ(ns.size(), 1u);
  EXPECT_EQ(ns[0].kind, NoticeKind::warning);
  EXPECT_EQ(ns[0].clock, "first_response");
  EXPECT_EQ(ns[0].due, at("2025-03-03 10:00"));
  EXPECT_DOUBLE_EQ(ns[0].fraction, 0.5);
  ns = e.advance(at("2025-03-03 11:00"));
  ASSERT_EQ(ns.size(), 2u);
  EXPECT_EQ(ns[0].due, at("2025-03-03 10:36"));
  EXPECT_EQ(ns[1].kind, NoticeKind::breach);
  EXPECT_EQ(ns[1].due, at("2025-03-03 11:00"));
  EXPECT_EQ(ns[1].role, Role::team_lead);
  // Not dispatched yet: the home department's (the hotline centre's) shift supervisor.
  EXPECT_EQ(ns[1].recipient, "Shift supervisor on duty");
  EXPECT_EQ(e.order(1).level, 0);
  // The ladder of first_response has one rung: nothing more for this clock.
  EXPECT_TRUE(e.advance(at("2025-03-03 20:00")).empty());
  EXPECT_EQ(e.next_due(), at("2025-03-03 09:00") + 54h);  // resolution: 75% of 72 h
}

TEST(EscalationEngine, AcknowledgingStopsTheClockAndItsTimers) {
  Engine e(Policy::load(kPolicy));
  e.create(complaint(), at("2025-03-03 09:00"));
  e.transition(1, "acknowledge", kOwner, {}, at("2025-03-03 09:20"));
  EXPECT_TRUE(e.advance(at("2025-03-03 12:00")).empty());
  const Clock& c = e.order(1).clocks[0];
  EXPECT_EQ(c.state, ClockState::stopped);
  EXPECT_EQ(c.consumed, 20min);
}

TEST(EscalationEngine, DepartmentDeadlineFollowsItsBusinessCalendar) {
  Engine e(Policy::load(kPolicy));
  e.create(complaint(), at("2025-03-07 15:00"));  // a Friday
  e.transition(1, "acknowledge", kOwner, {}, at("2025-03-07 15:05"));
  e.transition(1, "assess", kOwner, {{"assessment", "billing error"}}, at("2025-03-07 15:30"));
  e.assign(1, "billing", "clerk-3", kSupervisor, at("2025-03-07 15:45"));
  e.transition(1, "dispatch", kOwner, {{"dispatch_note", "refund SP fee"}}, at("2025-03-07 16:00"));
  // 16 business hours from Fri 16:00: Fri 1.5 h, Mon 7.5 h (9.0), Tue 08:30-12:00 (12.5),
  // then 3.5 h from 13:30: Tue 2025-03-11 17:00.
  const auto ex = e.explain(1, "department_reply");
  EXPECT_EQ(ex.effective, at("2025-03-11 17:00"));
  EXPECT_EQ(ex.bound, "policy");
  EXPECT_EQ(ex.calendar, "office");
  ASSERT_EQ(ex.segments.size(), 5u);  // Fri pm, Mon am+pm, Tue am+pm
  EXPECT_EQ(ex.segments.front().start, at("2025-03-07 16:00"));
  EXPECT_EQ(ex.segments.back().end, at("2025-03-11 17:00"));
  const std::string text = ex.text(e.policy().calendar("office"));
  EXPECT_NE(text.find("effective deadline: 2025-03-11T17:00:00+08:00 (policy)"), std::string::npos)
      << text;
  // Warnings at 50% (8 h: Fri 1.5, Mon 3.5 + 3.0 -> Mon 16:30) and 80% (12.8 h: Tue 13:48).
  auto ns = e.advance(at("2025-03-11 17:00"));
  std::vector<Notice> dept;
  for (const Notice& n : ns) {
    if (n.clock == "department_reply") dept.push_back(n);
  }
  ASSERT_EQ(dept.size(), 3u);
  EXPECT_EQ(dept[0].due, at("2025-03-10 16:30"));
  EXPECT_EQ(dept[1].due, at("2025-03-11 13:48"));
  EXPECT_EQ(dept[2].kind, NoticeKind::breach);
  EXPECT_EQ(dept[2].recipient, "Li Wei");
  // The ladder climbs every 4 business hours: Wed 12:00 -> department head... wait for it.
  ns = e.advance(at("2025-03-12 17:30"));
  std::vector<Notice> ladder;
  for (const Notice& n : ns) {
    if (n.clock == "department_reply") ladder.push_back(n);
  }
  ASSERT_EQ(ladder.size(), 2u);
  // Tue 17:00 + 4 h business: Tue 17:00-17:30 (0.5), Wed 08:30-12:00 (4.0) -> Wed 12:00.
  EXPECT_EQ(ladder[0].due, at("2025-03-12 12:00"));
  EXPECT_EQ(ladder[0].role, Role::department_head);
  EXPECT_EQ(ladder[0].recipient, "Zhang Min");
  // + 8 h: Wed 13:30-17:30 (4 h more) -> Wed 17:30.
  EXPECT_EQ(ladder[1].due, at("2025-03-12 17:30"));
  EXPECT_EQ(ladder[1].role, Role::general_manager);
  EXPECT_EQ(e.order(1).level, 2);
}

TEST(EscalationEngine, PauseWaitingForTheCustomerMovesTheDeadline) {
  Engine e(Policy::load(kPolicy));
  e.create(complaint(), at("2025-03-03 09:00"));
  e.pause(1, "waiting for the customer's bill copy", kOwner, at("2025-03-03 09:30"));
  EXPECT_EQ(e.order(1).clocks[0].state, ClockState::paused);
  EXPECT_TRUE(e.advance(at("2025-03-03 12:00")).empty());  // nothing runs while paused
  e.resume(1, kOwner, at("2025-03-03 12:30"));
  // 30 min used; 90 min left from 12:30 on 7x24.
  EXPECT_EQ(e.order(1).clocks[0].deadline, at("2025-03-03 14:00"));
  EXPECT_EQ(e.explain(1, "first_response").consumed, 30min);
  const auto ns = e.advance(at("2025-03-03 14:00"));
  ASSERT_FALSE(ns.empty());
  EXPECT_EQ(ns.back().kind, NoticeKind::breach);
  EXPECT_EQ(ns.back().due, at("2025-03-03 14:00"));
}

TEST(EscalationEngine, EffectiveDeadlineIsTheEarliestOfPolicyPromisedAndSpecial) {
  Engine e(Policy::load(kPolicy));
  NewOrder o = complaint();
  o.promised = at("2025-03-05 18:00");  // policy: 72 h -> 03-06 09:00
  e.create(o, at("2025-03-03 09:00"));
  auto ex = e.explain(1, "resolution");
  EXPECT_EQ(ex.policy_deadline, at("2025-03-06 09:00"));
  EXPECT_EQ(ex.effective, at("2025-03-05 18:00"));
  EXPECT_EQ(ex.bound, "promised");
  e.set_special(1, at("2025-03-04 12:00"), kOwner, at("2025-03-03 10:00"));
  ex = e.explain(1, "resolution");
  EXPECT_EQ(ex.effective, at("2025-03-04 12:00"));
  EXPECT_EQ(ex.bound, "special");
  // The first-response clock is not customer-facing: unchanged.
  EXPECT_EQ(e.explain(1, "first_response").bound, "policy");
}

TEST(EscalationEngine, QuietHoursDeferDeliveryButNotUrgentOnes) {
  Engine e(Policy::load(kPolicy));
  e.create(complaint(), at("2025-03-03 21:30"));  // breach of first response at 23:30
  NewOrder urgent = complaint("13900000002");
  urgent.severity = Severity::urgent;
  e.create(urgent, at("2025-03-03 22:00"));  // 30 min target: breach 22:30
  const auto ns = e.advance(at("2025-03-04 00:00"));
  std::vector<Notice> breaches;
  for (const Notice& n : ns) {
    if (n.kind == NoticeKind::breach) breaches.push_back(n);
  }
  ASSERT_EQ(breaches.size(), 2u);
  EXPECT_EQ(breaches[0].order, 2u);
  EXPECT_EQ(breaches[0].deliver_at, breaches[0].due);  // urgent: at once
  EXPECT_EQ(breaches[1].order, 1u);
  EXPECT_EQ(breaches[1].due, at("2025-03-03 23:30"));
  EXPECT_EQ(breaches[1].deliver_at, at("2025-03-04 08:00"));  // not at midnight
}

TEST(EscalationEngine, ImmediateEscalationForUrgentAndGeneralManagerChannel) {
  Engine e(Policy::load(kPolicy));
  NewOrder o = complaint();
  o.channel = Channel::general_manager;
  o.department = "billing";
  const Result r = e.create(o, at("2025-03-03 09:00"));
  ASSERT_EQ(r.notices.size(), 2u);
  EXPECT_EQ(r.notices[0].kind, NoticeKind::immediate);
  EXPECT_EQ(r.notices[0].role, Role::team_lead);
  EXPECT_EQ(r.notices[0].recipient, "Li Wei");
  EXPECT_EQ(r.notices[1].role, Role::department_head);
  EXPECT_EQ(r.notices[1].recipient, "Zhang Min");
  EXPECT_EQ(e.order(1).level, 1);
}

TEST(EscalationEngine, ThirdComplaintInThirtyDaysIsARepeatWithRegulatorRisk) {
  Engine e(Policy::load(kPolicy));
  e.create(complaint("13800000009"), at("2025-03-01 09:00"));
  NewOrder consult = complaint("13800000009");
  consult.category = "consultation";  // does not count
  e.create(consult, at("2025-03-05 09:00"));
  EXPECT_TRUE(e.create(complaint("13800000009"), at("2025-03-10 09:00")).notices.empty());
  const Result third = e.create(complaint("13800000009"), at("2025-03-30 08:00"));
  const Order& o = e.order(third.order);
  EXPECT_TRUE(o.repeat_complaint);
  EXPECT_TRUE(o.regulator_risk);
  EXPECT_EQ(o.severity, Severity::high);
  ASSERT_EQ(third.notices.size(), 4u);  // repeat, then immediate up to the general manager
  EXPECT_EQ(third.notices[0].kind, NoticeKind::repeat);
  EXPECT_EQ(third.notices[0].count, 3);
  EXPECT_EQ(third.notices[3].role, Role::general_manager);
  EXPECT_EQ(third.notices[3].recipient, "Wang Fang (general manager)");
  // 48 h resolution target for high severity.
  EXPECT_EQ(o.clocks[2].target, 48h);
  // Outside the window (the first is 31 days old by then): not a repeat.
  const Result later = e.create(complaint("13800000009"), at("2025-04-12 09:00"));
  EXPECT_FALSE(e.order(later.order).repeat_complaint);
}

// fuzz_capi finding (docs/fuzzing.md): a customer's earlier order created at an instant near the
// 64-bit minimum made the repeat-window test compute now - then, a signed overflow (UBSan), when
// the same customer complained again in 2025. Such an order is outside every window.
TEST(EscalationFindings, AnOrderAtTheEarliestInstantIsOutsideEveryRepeatWindow) {
  Engine e(Policy::load(kPolicy));
  const Instant earliest{hotline::Duration{std::numeric_limits<std::int64_t>::min() + 4759}};
  e.create(complaint("13800000009"), earliest);
  e.create(complaint("13800000009"), earliest);
  const Result r = e.create(complaint("13800000009"), at("2025-12-02 08:28"));
  EXPECT_FALSE(e.order(r.order).repeat_complaint);  // the two at the earliest instant do not count
  EXPECT_TRUE(r.notices.empty());
  // Two more within the window: the third of those is a repeat again.
  e.create(complaint("13800000009"), at("2025-12-03 08:28"));
  EXPECT_TRUE(
      e.order(e.create(complaint("13800000009"), at("2025-12-04 08:28")).order).repeat_complaint);
}

// Found reviewing the finding above: an order created that early and closed in 2025 made kpis()
// compute closed - created and sum the resolution times, both past 64 bits. The time saturates
// at the longest duration and the mean is summed without overflow.
TEST(EscalationFindings, AnOrderClosedAgesAfterItsCreationHasSaturatedKpis) {
  Engine e(Policy::load(kPolicy));
  const Instant earliest{hotline::Duration{std::numeric_limits<std::int64_t>::min() + 4759}};
  for (int i = 0; i < 2; ++i) {
    const Instant opened = i == 0 ? earliest : at("2025-03-03 09:00");
    const OrderId id = e.create(fault_report(std::to_string(i)), opened).order;
    e.transition(id, "dispatch", kOwner, {{"fault", "no signal"}}, opened);
  }
  for (OrderId id = 1; id <= 2; ++id) {
    e.transition(id, "department_report", Actor{"noc-1", "department"}, {{"report", "fixed"}},
                 at("2025-03-03 12:00"));
  }
  for (OrderId id = 1; id <= 2; ++id)
    e.transition(id, "callback", kOwner, {{"satisfied", "yes"}}, at("2025-03-03 13:00"));
  const Kpis k = e.kpis();
  ASSERT_EQ(k.resolution.size(), 1u);
  EXPECT_EQ(k.resolution[0].count, 2);
  EXPECT_EQ(k.resolution[0].p50, 4h);
  EXPECT_EQ(k.resolution[0].max, hotline::Duration::max());
  // (max + 4 h) / 2, within long double's rounding of the sum.
  const double expected = static_cast<double>(std::numeric_limits<std::int64_t>::max()) / 2 +
                          static_cast<double>(hotline::Duration{2h}.count());
  EXPECT_NEAR(static_cast<double>(k.resolution[0].mean.count()), expected, 1e6);
  EXPECT_EQ(k.three.closed, 2);
}

TEST(EscalationEngine, IdempotencyKeys) {
  Engine e(Policy::load(kPolicy));
  const Result a = e.create(complaint(), at("2025-03-03 09:00"), "call-1");
  const Result b = e.create(complaint(), at("2025-03-03 09:02"), "call-1");  // a later retry
  EXPECT_TRUE(b.duplicate);
  EXPECT_EQ(b.order, a.order);
  EXPECT_EQ(b.seq, a.seq);
  EXPECT_EQ(e.order_count(), 1u);
  // The same key on a different command is refused.
  try {
    e.create(complaint("13999999999"), at("2025-03-03 09:01"), "call-1");
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), ErrorCode::already_exists);
  }
  e.transition(1, "acknowledge", kOwner, {}, at("2025-03-03 09:05"), "ack-1");
  EXPECT_TRUE(
      e.transition(1, "acknowledge", kOwner, {}, at("2025-03-03 09:05"), "ack-1").duplicate);
  EXPECT_EQ(e.order_count(), 1u);
  EXPECT_EQ(e.state_name(e.order(1)), "acknowledged");
}

TEST(EscalationEngine, BadCommandsAreClearErrorsAndChangeNothing) {
  Engine e(Policy::load(kPolicy));
  e.create(complaint(), at("2025-03-03 09:00"));
  const std::string before = e.order_json(1);
  auto code = [&](auto&& fn) {
    try {
      fn();
    } catch (const Error& err) {
      EXPECT_FALSE(err.where().empty());
      return err.code();
    }
    return ErrorCode::unknown;
  };
  const auto t = at("2025-03-03 09:10");
  EXPECT_EQ(code([&] {
              e.transition(1, "dispatch", kOwner, {{"dispatch_note", "x"}}, t);
            }),
            ErrorCode::invalid_state);  // not from "received"
  EXPECT_EQ(code([&] { e.transition(1, "teleport", kOwner, {}, t); }), ErrorCode::not_found);
  EXPECT_EQ(code([&] {
              e.transition(1, "acknowledge", Actor{"x", "department"}, {}, t);
            }),
            ErrorCode::invalid_argument);  // role not allowed
  EXPECT_EQ(code([&] { e.transition(7, "acknowledge", kOwner, {}, t); }), ErrorCode::not_found);
  EXPECT_EQ(code([&] { e.assign(1, "astrology", "x", kOwner, t); }), ErrorCode::not_found);
  EXPECT_EQ(code([&] { e.set_promised(1, at("2025-03-03 08:00"), kOwner, t); }),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code([&] { e.transition(1, "acknowledge", kOwner, {}, at("2025-03-03 08:59")); }),
            ErrorCode::invalid_argument);  // time went backwards
  EXPECT_EQ(code([&] { e.resume(1, kOwner, t); }), ErrorCode::invalid_state);
  EXPECT_EQ(e.order_json(1), before);
  NewOrder o = complaint();
  o.special = at("2025-03-03 08:00");
  EXPECT_EQ(code([&] { e.create(o, t); }), ErrorCode::invalid_argument);  // before creation
  o = complaint();
  o.category = "praise";
  EXPECT_EQ(code([&] { e.create(o, t); }), ErrorCode::not_found);
  o = complaint();
  o.department = "astrology";
  EXPECT_EQ(code([&] { e.create(o, t); }), ErrorCode::not_found);
  EXPECT_EQ(e.order_count(), 1u);
  // A department clock cannot start before the order has a department.
  e.transition(1, "acknowledge", kOwner, {}, t);
  e.transition(1, "assess", kOwner, {{"assessment", "x"}}, t);
  EXPECT_EQ(code([&] { e.transition(1, "dispatch", kOwner, {}, t); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code([&] {
              e.transition(1, "dispatch", kOwner, {{"dispatch_note", "x"}}, t);
            }),
            ErrorCode::invalid_state);
  EXPECT_EQ(e.state_name(e.order(1)), "assessed");
  EXPECT_EQ(e.verify_replay(), std::vector<std::string>{});
}

TEST(EscalationEngine, FullComplaintLoopAndTheThreeHundredPercent) {
  Engine e(Policy::load(kPolicy));
  e.create(complaint(), at("2025-03-03 09:00"));
  e.transition(1, "acknowledge", kOwner, {}, at("2025-03-03 09:10"));
  e.transition(1, "assess", kOwner, {{"assessment", "wrong SP charge"}}, at("2025-03-03 09:20"));
  e.assign(1, "billing", "clerk-3", kSupervisor, at("2025-03-03 09:25"));
  e.transition(1, "dispatch", kOwner, {{"dispatch_note", "refund"}}, at("2025-03-03 09:30"));
  EXPECT_THROW(e.transition(1, "department_reply", Actor{"clerk-9", "agent"}, {{"reply", "ok"}},
                            at("2025-03-03 11:00")),
               Error);  // neither the handler nor the department
  e.transition(1, "department_reply", Actor{"clerk-3", "agent"}, {{"reply", "refunded"}},
               at("2025-03-03 11:00"));
  e.transition(1, "reply_customer", kOwner, {{"reply_summary", "refund of 10 yuan"}},
               at("2025-03-03 11:30"));
  EXPECT_THROW(e.transition(1, "confirm", kOwner, {{"satisfied", "maybe"}}, at("2025-03-03 12:00")),
               Error);
  e.transition(1, "confirm", kOwner, {{"satisfied", "yes"}}, at("2025-03-03 12:00"));
  const Order& o = e.order(1);
  EXPECT_TRUE(o.closed);
  EXPECT_TRUE(o.resolved && o.replied && o.satisfied.value_or(false));
  EXPECT_EQ(e.open_count(), 0u);
  for (const Clock& c : o.clocks) EXPECT_NE(c.state, ClockState::running);
  // Reopen: the loop runs again from "assessed".
  e.transition(1, "reopen", kOwner, {{"reason", "charged again"}}, at("2025-03-04 09:00"));
  EXPECT_FALSE(e.order(1).closed);
  EXPECT_FALSE(e.order(1).resolved);
  EXPECT_EQ(e.open_count(), 1u);
  const auto history = e.history(1);
  ASSERT_GE(history.size(), 9u);
  EXPECT_EQ(history.front().kind, "create");
  EXPECT_EQ(history.back().kind, "transition");
  EXPECT_EQ(e.verify_replay(), std::vector<std::string>{});
}

TEST(EscalationEngine, Kpis) {
  Engine e(Policy::load(kPolicy));
  // Two fault reports to network (7x24, 8 h): one in time, one late; one still open, not due.
  for (int i = 0; i < 3; ++i) {
    e.create(fault_report(std::to_string(i)), at("2025-03-03 09:00"));
    e.transition(static_cast<OrderId>(i + 1), "dispatch", kOwner, {{"fault", "no signal"}},
                 at("2025-03-03 09:00"));
  }
  e.transition(1, "department_report", Actor{"noc-1", "department"}, {{"report", "fixed"}},
               at("2025-03-03 12:00"));
  e.transition(1, "callback", kOwner, {{"satisfied", "yes"}}, at("2025-03-03 13:00"));
  e.advance(at("2025-03-03 18:00"));
  e.transition(2, "department_report", Actor{"noc-1", "department"}, {{"report", "fixed"}},
               at("2025-03-03 18:00"));
  e.transition(2, "reply_customer", kOwner, {}, at("2025-03-03 19:00"));
  const Kpis k = e.kpis();
  // Order 3's deadline (17:00) has passed unmet: due and missed.
  ASSERT_EQ(k.timeliness.size(), 1u);
  EXPECT_EQ(k.timeliness[0].department, "network");
  EXPECT_EQ(k.timeliness[0].category, "fault_report");
  EXPECT_EQ(k.timeliness[0].due, 3);
  EXPECT_EQ(k.timeliness[0].met, 1);
  EXPECT_FALSE(k.timeliness[0].pass);
  EXPECT_EQ(k.three.closed, 2);
  EXPECT_EQ(k.three.resolved, 2);
  EXPECT_EQ(k.three.replied, 2);
  EXPECT_EQ(k.three.surveyed, 1);
  EXPECT_DOUBLE_EQ(k.three.satisfied_rate, 1.0);
  ASSERT_EQ(k.resolution.size(), 1u);
  EXPECT_EQ(k.resolution[0].count, 2);
  EXPECT_EQ(k.resolution[0].p50, 4h);
  EXPECT_EQ(k.resolution[0].max, 10h);
}

TEST(EscalationEngine, EffectiveDatedPolicyChangeRetargetsRunningClocks) {
  const Policy p1 = Policy::load(kPolicy);
  std::string json = p1.canonical_json();
  // Version 2025.2: the complaint resolution target drops from 72 h to 48 h.
  const std::string from = R"("target":{"normal":"72h","high":"48h","urgent":"24h"})";
  const auto pos = json.find(from);
  ASSERT_NE(pos, std::string::npos) << json;
  json.replace(pos, from.size(), R"("target":{"normal":"48h","high":"36h","urgent":"24h"})");
  json.replace(json.find("\"2025.1\""), 8, "\"2025.2\"");
  const Policy p2 = Policy::from_json(json);

  Engine e(p1);
  e.create(complaint(), at("2025-03-03 09:00"));  // resolution deadline 03-06 09:00
  const PolicyChange pc = e.change_policy(p2, at("2025-03-04 00:00"), at("2025-03-03 10:00"));
  EXPECT_FALSE(pc.applied);
  ASSERT_EQ(pc.moved.size(), 1u);  // preview
  EXPECT_EQ(pc.moved[0].clock, "resolution");
  EXPECT_EQ(pc.moved[0].old_deadline, at("2025-03-06 09:00"));
  EXPECT_EQ(pc.moved[0].new_deadline, at("2025-03-05 09:00"));
  EXPECT_EQ(e.order(1).policy_version, 0u);
  // Orders created before the effective time stay on 2025.1 until it arrives.
  e.create(complaint("2"), at("2025-03-03 11:00"));
  EXPECT_EQ(e.order(2).clocks[2].target, 72h);
  e.advance(at("2025-03-04 00:00"));
  ASSERT_TRUE(e.policy_changes()[0].applied);
  EXPECT_EQ(e.policy_changes()[0].moved.size(), 2u);
  EXPECT_EQ(e.order(1).policy_version, 1u);
  EXPECT_EQ(e.order(1).clocks[2].deadline, at("2025-03-05 09:00"));
  EXPECT_EQ(e.order(2).clocks[2].deadline, at("2025-03-05 11:00"));
  EXPECT_EQ(e.create(complaint("3"), at("2025-03-04 01:00")).order, 3u);
  EXPECT_EQ(e.order(3).clocks[2].target, 48h);
  EXPECT_THROW(e.change_policy(p2, at("2025-03-01 00:00"), at("2025-03-04 01:00")), Error);
  EXPECT_EQ(e.verify_replay(), std::vector<std::string>{});
}

// Random command sequences: advance() fires each timer once, in order, never early, and a
// replay of the stored commands reproduces every order bit for bit.
TEST(EscalationEngine, RandomSequencesKeepTheInvariants) {
  const Policy p = Policy::load(kPolicy);
  for (unsigned seed = 1; seed <= 20; ++seed) {
    Engine e(p);
    std::mt19937_64 rng(seed);
    Instant now = at("2025-03-03 08:00");
    int ok = 0;
    const std::vector<Actor> actors = {kOwner, kSupervisor, Actor{"h", "department"},
                                       Actor{"x", "expert"}, Actor{"sys", "system"}};
    const std::vector<std::string> cats = {"complaint", "fault_report", "consultation",
                                           "expert_consultation"};
    const std::vector<std::string> deps = {"billing", "network", "marketing"};
    const std::string handler = "h";
    for (int step = 0; step < 400; ++step) {
      now += std::chrono::minutes{rng() % 90};
      const auto roll = rng() % 10;
      try {
        if (roll < 3 || e.order_count() == 0) {
          NewOrder o = complaint(std::to_string(rng() % 30));
          o.category = cats[rng() % 4];
          o.severity = static_cast<Severity>(rng() % 4);
          o.department = deps[rng() % 3];
          o.handler = handler;
          e.create(o, now);
        } else {
          const OrderId id = 1 + rng() % e.order_count();
          const Order& o = e.order(id);
          const Workflow& w =
              e.policy_of(o).workflows()[e.policy_of(o).categories()[o.category].second];
          const Transition& t = w.transitions[rng() % w.transitions.size()];
          std::map<std::string, std::string, std::less<>> fields;
          for (const auto& f : t.requires_fields) fields[f] = f == "satisfied" ? "yes" : "x";
          if (roll == 9) {
            o.paused ? e.resume(id, kOwner, now) : e.pause(id, "wait", kOwner, now);
          } else {
            e.transition(id, t.name, actors[rng() % actors.size()], fields, now);
          }
        }
        ++ok;
      } catch (const Error&) {
        // Illegal moves are expected in a random walk; they must change nothing (checked by
        // the replay below, which only sees successful commands).
      }
      if (rng() % 4 == 0) {
        const auto ns = e.advance(now);
        for (std::size_t i = 0; i < ns.size(); ++i) {
          ASSERT_LE(ns[i].due, now);
          ASSERT_GE(ns[i].due, i == 0 ? Instant::min() : ns[i - 1].due);
        }
        if (auto next = e.next_due()) {
          ASSERT_GT(*next, now);
        }
      }
    }
    EXPECT_GT(ok, 100) << "seed " << seed;  // the walk must mostly succeed to test anything
    ASSERT_EQ(e.verify_replay(), std::vector<std::string>{}) << "seed " << seed;
  }
}
