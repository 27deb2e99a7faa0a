// A large adversarial document per loader (issue: hardening). Each document is built to hit
// the loader's worst case: a million-member object (ordered JSON objects look keys up
// linearly), hundreds of thousands of list entries whose duplicate checks or name lookups
// would be quadratic, deep chains, huge lines. Every loader must answer in linear time — with
// the document loaded, or a limit / definition error at the place — never hang, never exhaust
// memory. These tests run in their own binary with a short CTest timeout (tests/limits/
// CMakeLists.txt): the quadratic versions found here took minutes at these sizes (escalation
// departments and transitions, SLA tiers, wide objects), the linear ones take well under a
// second. No timing is asserted; the timeout is the net.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <date/date.h>
#include <fmt/format.h>

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/error.hpp>
#include <hotline/escalation/policy.hpp>
#include <hotline/ivr/tree.hpp>
#include <hotline/routing/policy.hpp>
#include <hotline/sim/scenario.hpp>
#include <hotline/sla/records.hpp>
#include <hotline/survey/survey.hpp>
#include <hotline/workforce/capacity.hpp>
#include <hotline/workforce/schedule.hpp>

#include "core/json.hpp"

namespace {

using hotline::Error;
using hotline::ErrorCode;
using Json = hotline::detail::Json;

const std::string kSource = HOTLINE_SOURCE_DIR;

Json example(const std::string& rel) {
  return hotline::detail::parse_json(hotline::detail::read_file(kSource + "/" + rel));
}

// Runs f, which must throw hotline::Error with `code` and a where() containing `where`.
template <class F>
void expect_error(F&& f, ErrorCode code, const std::string& where, const std::string& what = "") {
  try {
    f();
    ADD_FAILURE() << "no error; expected one at " << where;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
    if (!what.empty()) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  }
}

// {"k0": 0, "k1": 1, ...} with n members, wrapped as `prefix <object> suffix`.
std::string wide_object(std::size_t n) {
  std::string s = "{";
  for (std::size_t i = 0; i < n; ++i) s += fmt::format("{}\"k{}\": {}", i ? "," : "", i, i);
  return s + "}";
}

TEST(LargeDocuments, AMillionMemberObjectIsRefusedBeforeParsing) {
  // Found by this test: nlohmann's ordered object searched its keys linearly on every insert,
  // so a 100,000-member object took 16 s to reject and a million-member one hours.
  const std::string doc = wide_object(1'000'000);
  expect_error([&] { (void)hotline::calendar::Calendar::from_json(doc); }, ErrorCode::limit,
               "line 1, column", "more than 10000 members");
  expect_error([&] { (void)hotline::routing::Policy::from_json(doc); }, ErrorCode::limit, "line 1");
  expect_error([&] { (void)hotline::sim::Scenario::from_json(doc); }, ErrorCode::limit, "line 1");
  // Arrays are not limited by the scan (their loaders bound them), and the largest allowed
  // object parses.
  EXPECT_EQ(hotline::detail::parse_json(wide_object(10'000)).size(), 10'000u);
  std::string list = "[0";
  for (int i = 1; i < 1'000'000; ++i) list += ",0";
  EXPECT_EQ(hotline::detail::parse_json(list + "]").size(), 1'000'000u);
  // Commas inside strings are not members.
  EXPECT_NO_THROW(hotline::detail::parse_json(R"({"a": ")" + std::string(50'000, ',') + "\"}"));
}

TEST(LargeDocuments, CalendarWithSixtyThousandHolidays) {
  Json cal = example("examples/calendars/shanghai-dept-2025.json");
  Json days = Json::array();
  // Every other day from 1900 to 2228 (the domain ends in 2300).
  auto day = date::sys_days{date::year{1900} / 1 / 1};
  for (int i = 0; i < 60'000; ++i, day += date::days{2}) {
    days.push_back({{"date", date::format("%F", day)}, {"kind", "holiday"}});
  }
  cal["days"] = days;
  const auto c = hotline::calendar::Calendar::from_json(cal.dump());
  // 1900-01-01 (a Monday) is a listed holiday, 1900-01-02 an ordinary Tuesday.
  EXPECT_FALSE(c.is_open(hotline::parse_instant("1900-01-01T10:00:00+08:00")));
  EXPECT_TRUE(c.is_open(hotline::parse_instant("1900-01-02T10:00:00+08:00")));
  // The same 60,000 entries all on one date: every duplicate named, linearly.
  for (auto& d : cal["days"]) d["date"] = "2025-06-03";
  expect_error([&] { (void)hotline::calendar::Calendar::from_json(cal.dump()); },
               ErrorCode::invalid_definition, "/days/59999");
}

TEST(LargeDocuments, SlaTargetsWithAHundredThousandTiers) {
  // Found by this test: duplicate tiers were checked pairwise (40,000 tiers: 6.6 s).
  Json t = example("examples/sla/targets.json");
  for (int i = 0; i < 100'000; ++i) {
    t["tiers"].push_back({{"tier", fmt::format("t{}", i)}, {"threshold", "15s"}, {"target", 0.8}});
  }
  expect_error([&] { (void)hotline::sla::Targets::from_json(t.dump()); },
               ErrorCode::invalid_definition, "/tiers", "at most 1000 tiers");
  hotline::sla::Targets built = hotline::sla::Targets::hotline_preset();
  built.tiers.assign(100'000, built.tiers.front());
  expect_error([&] { built.validate(); }, ErrorCode::invalid_definition, "/tiers");
  built.tiers.resize(1000);  // the largest allowed, all duplicates: every one named
  expect_error([&] { built.validate(); }, ErrorCode::invalid_definition, "/tiers/999/tier");
}

TEST(LargeDocuments, CsvRecordsHugeFileHugeLineHugeField) {
  const auto cal = hotline::calendar::Calendar::always_open("Asia/Shanghai");
  std::string csv = "arrival,queue,tier,outcome,wait,talk,hold,wrap,agent\n";
  for (int i = 0; i < 200'000; ++i) {
    csv += fmt::format("2025-01-01 {:02}:{:02}:{:02},q{},ordinary,answered,10,120,0,30,A{}\n",
                       9 + i / 3600 % 10, i / 60 % 60, i % 60, i % 500, i % 1000);
  }
  EXPECT_EQ(hotline::sla::read_csv(csv, cal).records().size(), 200'000u);
  // One line of a million empty fields.
  const std::string wide = "arrival,queue\n2025-01-01 09:00:00" + std::string(1'000'000, ',');
  expect_error([&] { (void)hotline::sla::read_csv(wide, cal); }, ErrorCode::invalid_argument,
               "line 2");
  // One quoted field of 3 MB of escaped quotes.
  std::string quoted = "arrival,queue,outcome,wait\n2025-01-01 09:00:00,\"";
  for (int i = 0; i < 1'000'000; ++i) quoted += "x\"\"";
  quoted += "\",answered,5\n";
  const auto rs = hotline::sla::read_csv(quoted, cal);
  ASSERT_EQ(rs.records().size(), 1u);
}

TEST(LargeDocuments, QueueLogWithTwoHundredThousandOpenCalls) {
  std::string log;
  for (int i = 0; i < 200'000; ++i) {
    log += fmt::format("{}|{}.1|q{}|NONE|ENTERQUEUE||138|1\n", 1735693200 + i, i, i % 300);
  }
  EXPECT_EQ(hotline::sla::read_queue_log(log).incomplete, 200'000);
  // One call with 200,000 events.
  std::string one = "1735693200|1.1|q|NONE|ENTERQUEUE||138|1\n";
  for (int i = 0; i < 200'000; ++i) {
    one += fmt::format("{}|1.1|q|Agent/1|RINGNOANSWER|1000\n", 1735693200 + i);
  }
  EXPECT_EQ(hotline::sla::read_queue_log(one).incomplete, 1);
}

TEST(LargeDocuments, EscalationPolicyWithHugeLists) {
  // Found by this test: departments, workflows and transitions were checked for duplicates
  // pairwise (40,000 departments or transitions: 2.7 s each).
  const std::string base = kSource + "/examples/escalation";
  const Json policy = example("examples/escalation/policy.json");
  {
    Json p = policy;
    for (int i = 0; i < 200'000; ++i) {
      p["departments"].push_back(
          {{"id", fmt::format("d{}", i)}, {"calendar", "office"}, {"name", "D"}});
    }
    expect_error([&] { (void)hotline::escalation::Policy::from_json(p.dump(), base); },
                 ErrorCode::invalid_definition, "/departments", "at most 1000 departments");
  }
  {
    Json p = policy;
    Json& transitions = p["workflows"][0]["transitions"];
    for (int i = 0; i < 200'000; ++i) {
      transitions.push_back({{"name", fmt::format("t{}", i)},
                             {"from", "received"},
                             {"to", "acknowledged"},
                             {"roles", {"owner"}}});
    }
    expect_error([&] { (void)hotline::escalation::Policy::from_json(p.dump(), base); },
                 ErrorCode::invalid_definition, "/workflows/0/transitions");
  }
  {
    Json p = policy;
    const Json w = p["workflows"][0];
    for (int i = 0; i < 5'000; ++i) {
      p["workflows"].push_back(w);
      p["workflows"].back()["id"] = fmt::format("w{}", i);
    }
    expect_error([&] { (void)hotline::escalation::Policy::from_json(p.dump(), base); },
                 ErrorCode::invalid_definition, "/workflows", "at most 1000 workflows");
  }
  {
    // A repeat rule naming 1,000,000 categories among 9,000: each looked up once.
    Json p = policy;
    for (int i = 0; i < 9'000; ++i) p["categories"][fmt::format("c{}", i)] = "complaint";
    Json cats = Json::array();
    for (int i = 0; i < 1'000'000; ++i) cats.push_back(fmt::format("c{}", i % 9'000));
    p["repeat"] = {{"categories", cats}, {"count", 3}, {"window", "30d"}};
    const auto loaded = hotline::escalation::Policy::from_json(p.dump(), base);
    EXPECT_EQ(loaded.categories().size(), policy["categories"].size() + 9'000);
  }
}

TEST(LargeDocuments, IvrDocumentWithALongChainAndAHugeMenu) {
  const std::string base = kSource + "/examples/ivr";
  Json doc = example("examples/ivr/national.json");
  // 100,000 play nodes in a chain in front of the real start: composition and verification walk
  // it without recursion (a session would meet max_steps and go to the agent target).
  Json nodes = Json::array();
  for (int i = 0; i < 100'000; ++i) {
    nodes.push_back(
        {{"id", fmt::format("c{}", i)},
         {"kind", "play"},
         {"prompts", {"welcome"}},
         {"next", i + 1 < 100'000 ? fmt::format("c{}", i + 1) : doc["start"].get<std::string>()}});
  }
  for (const auto& n : doc["nodes"]) nodes.push_back(n);
  Json chain = doc;
  chain["nodes"] = nodes;
  chain["start"] = "c0";
  const auto national = hotline::ivr::Document::from_json(chain.dump(), base);
  const auto guangdong = hotline::ivr::Document::load(base + "/guangdong.json");
  std::vector<hotline::ivr::Finding> errors, warnings;
  const auto tree = hotline::ivr::Tree::inspect({national, guangdong}, errors, warnings);
  ASSERT_NE(tree, nullptr);
  EXPECT_TRUE(errors.empty());
  EXPECT_GE(tree->nodes().size(), 100'000u);
  // A menu with 200,000 options on one key: every duplicate reported.
  Json menu = doc;
  for (auto& n : menu["nodes"]) {
    if (n["kind"] == "menu") {
      for (int i = 0; i < 200'000; ++i) n["options"].push_back({{"key", "9"}, {"to", "main"}});
      break;
    }
  }
  errors.clear();
  warnings.clear();
  (void)hotline::ivr::Tree::inspect(
      {hotline::ivr::Document::from_json(menu.dump(), base), guangdong}, errors, warnings);
  EXPECT_GE(errors.size(), 1u);
}

TEST(LargeDocuments, SurveyWithAHundredThousandQuestions) {
  Json def = example("examples/survey/post-call.json");
  for (int i = 0; i < 100'000; ++i) {
    def["questions"].push_back(
        {{"id", fmt::format("q{}", i)}, {"scale", "yes_no"}, {"prompts", {"q_resolved"}}});
  }
  expect_error([&] { (void)hotline::survey::Definition::from_json(def.dump()); },
               ErrorCode::invalid_definition, "/questions");
}

TEST(LargeDocuments, WorkforceProblemsWithHugeLists) {
  Json s = example("examples/workforce/schedule-day.json");
  const Json t = s["templates"][0];
  s["templates"] = Json::array();
  for (int i = 0; i < 100'000; ++i) {
    s["templates"].push_back(t);
    s["templates"].back()["name"] = fmt::format("t{}", i);
  }
  // 100,000 templates load (linearly); solving refuses the explosion of shift variants before
  // building a model.
  const auto problem = hotline::workforce::ScheduleProblem::from_json(s.dump());
  EXPECT_EQ(problem.templates.size(), 100'000u);
  expect_error([&] { (void)hotline::workforce::solve(problem, {}); }, ErrorCode::limit,
               "/templates", "shift variants");
  Json calls = example("examples/workforce/schedule-day.json");
  calls["calls"] = Json::array();
  for (int i = 0; i < 1'000'000; ++i) calls["calls"].push_back(100.0);
  expect_error([&] { (void)hotline::workforce::ScheduleProblem::from_json(calls.dump()); },
               ErrorCode::invalid_definition, "/required");
  Json plan = example("examples/workforce/plan.json");
  plan["seasonality"] = Json::array();
  for (int i = 0; i < 1'000'000; ++i) plan["seasonality"].push_back(1.0);
  expect_error([&] { (void)hotline::workforce::CapacityPlanInput::from_json(plan.dump()); },
               ErrorCode::invalid_definition, "/seasonality");
}

TEST(LargeDocuments, ScenarioWithHugeLists) {
  const std::string base = kSource + "/examples/scenarios";
  Json sc = example("examples/scenarios/mmn-erlang-a.json");
  // 100,000 agent groups of one agent: loads (a scenario may staff a large centre).
  sc["agents"] = Json::array();
  for (int i = 0; i < 100'000; ++i) {
    sc["agents"].push_back({{"name", fmt::format("a{}", i)}, {"count", 1}, {"skills", {"any"}}});
  }
  EXPECT_EQ(hotline::sim::Scenario::from_json(sc.dump(), base).agents.size(), 100'000u);
  // A million empirical patience values.
  Json em = example("examples/scenarios/mmn-erlang-a.json");
  Json values = Json::array();
  for (int i = 0; i < 1'000'000; ++i) values.push_back(fmt::format("{}s", i % 600));
  em["arrivals"]["patience"] = {{"dist", "empirical"}, {"values", values}};
  try {
    (void)hotline::sim::Scenario::from_json(em.dump(), base);
  } catch (const Error& e) {  // a limit on the sample is as good as loading it
    EXPECT_NE(std::string(e.what()).find("/arrivals/patience"), std::string::npos) << e.what();
  }
  // 100,000 routing queues inline: the routing limit, at its pointer inside the scenario.
  Json q = example("examples/scenarios/mmn-erlang-a.json");
  for (int i = 0; i < 100'000; ++i) {
    q["routing"]["queues"].push_back({{"name", fmt::format("q{}", i)}, {"skills", {"any"}}});
  }
  expect_error([&] { (void)hotline::sim::Scenario::from_json(q.dump(), base); },
               ErrorCode::invalid_definition, "/routing");
}

TEST(LargeDocuments, RoutingPolicyWithHugeLists) {
  Json p = example("examples/routing/policy.json");
  const Json queue = p["queues"][0];
  for (int i = 0; i < 100'000; ++i) {
    p["queues"].push_back(queue);
    p["queues"].back()["name"] = fmt::format("extra{}", i);
  }
  expect_error(
      [&] { (void)hotline::routing::Policy::from_json(p.dump(), kSource + "/examples/routing"); },
      ErrorCode::invalid_definition, "/queues", "at most 10000 queues");
  Json s = example("examples/routing/policy.json");
  for (int i = 0; i < 100'000; ++i) s["skills"].push_back(fmt::format("extra{}", i));
  expect_error(
      [&] { (void)hotline::routing::Policy::from_json(s.dump(), kSource + "/examples/routing"); },
      ErrorCode::invalid_definition, "/skills");
}

}  // namespace
