// Surveys: the definition and its IVR flow, sampling, scoring (Wilson intervals checked against
// Newcombe 1998), aggregation, and the dissatisfaction loop of seed 001 end to end on the
// escalation engine with a simulated clock.
#include <hotline/core.hpp>
#include <hotline/escalation.hpp>
#include <hotline/survey.hpp>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

using namespace std::chrono_literals;
using hotline::Error;
using hotline::ErrorCode;
using hotline::Instant;
using namespace hotline::survey;
namespace esc = hotline::escalation;

namespace {

const std::string kDir = std::string(HOTLINE_SOURCE_DIR) + "/examples/";
const Instant kT0 = hotline::parse_instant("2025-03-03T10:00:00+08:00");

Definition example() { return Definition::load(kDir + "survey/post-call.json"); }
hotline::calendar::Calendar shanghai() { return hotline::calendar::Calendar::always_open(); }

// Runs the compiled survey with the given inputs ("t" = timeout).
Response run(const Definition& def, const std::vector<std::string>& inputs) {
  auto tree = hotline::ivr::Tree::compose({def.to_ivr()});
  hotline::ivr::Session s(tree, {"L3", "zh", {}}, kT0);
  Instant t = kT0;
  for (const auto& in : inputs) {
    t += 5s;
    if (in == "t") {
      s.on_timeout(t);
    } else {
      s.on_digits(in, t);
    }
  }
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.trajectory().outcome, hotline::ivr::Outcome::self_service);
  return response_from(def, s);
}

}  // namespace

TEST(SurveyDefinition, CompilesToAVerifiedIvrFlow) {
  const Definition def = example();
  EXPECT_EQ(def.questions().size(), 5u);
  const auto tree = hotline::ivr::Tree::compose({def.to_ivr()});
  EXPECT_EQ(tree->version_label(), "post-call 2025.1");
  const Response r = run(def, {"1", "1", "5", "10#", "2"});
  EXPECT_TRUE(r.responded);
  EXPECT_EQ(r.answers[0], 1);  // satisfied
  EXPECT_EQ(r.answers[1], 1);  // yes
  EXPECT_EQ(r.answers[2], 5);
  EXPECT_EQ(r.answers[3], 10);  // NPS needs two digits
  EXPECT_EQ(r.answers[4], 2);
  // Invalid keys and silence: one retry each, then "no response" for that question.
  const Response partial = run(def, {"2", "7", "9", "t", "t", "t", "t", "t", "t"});
  EXPECT_EQ(partial.answers[0], 0);  // dissatisfied
  EXPECT_EQ(partial.answers[1], kNoResponse);
  EXPECT_EQ(partial.answers[2], kNoResponse);
  const Response none = run(def, {"t", "t", "t", "t", "t", "t", "t", "t", "t", "t"});
  EXPECT_FALSE(none.responded);
}

TEST(SurveyDefinition, ErrorsNameThePlace) {
  auto where = [](const std::string& json) {
    try {
      Definition::from_json(json);
    } catch (const Error& e) {
      return e.where();
    }
    return std::string("accepted");
  };
  const std::string head =
      R"({"name": "s", "version": "1", "languages": ["zh"], "prompts": {"p": {"zh": {"text": "x"}}},)";
  EXPECT_EQ(where(head + R"("questions": [{"id": "q", "scale": "stars", "prompts": ["p"]}]})"),
            "/questions/0/scale");
  EXPECT_EQ(where(head + R"("questions": [{"id": "q", "scale": "nps", "prompts": ["nope"]}]})"),
            "/questions/0/prompts/0");
  EXPECT_EQ(where(head + R"("questions": [{"id": "q", "scale": "nps", "prompts": ["p"]}],
                            "follow_up": {"question": "q"}})"),
            "/follow_up/question");
  EXPECT_EQ(where(head + R"("questions": [{"id": "q", "scale": "ces", "prompts": ["p"]}],
                            "sampling": {"percent": 130}})"),
            "/sampling/percent");
  EXPECT_EQ(where(head + R"("questions": []})"), "/questions");
}

TEST(SurveySampling, DeterministicPercentageSample) {
  int in = 0;
  for (int i = 0; i < 100'000; ++i) in += Sampler::in_sample(fmt::format("c{}", i), 7, 30);
  EXPECT_NEAR(in / 100'000.0, 0.30, 0.01);
  // The same contact is decided the same way every time; another seed draws another sample.
  int same = 0, moved = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = fmt::format("c{}", i);
    same += Sampler::in_sample(id, 7, 30) == Sampler::in_sample(id, 7, 30);
    moved += Sampler::in_sample(id, 7, 30) != Sampler::in_sample(id, 8, 30);
  }
  EXPECT_EQ(same, 1000);
  EXPECT_GT(moved, 250);
  EXPECT_FALSE(Sampler::in_sample("c1", 7, 0));
  EXPECT_TRUE(Sampler::in_sample("c1", 7, 100));
}

TEST(SurveySampling, ExclusionsSuppressionAndQuota) {
  auto def = Definition::from_json(R"({"name": "s", "version": "1", "languages": ["zh"],
      "prompts": {"p": {"zh": {"text": "x"}}},
      "questions": [{"id": "q", "scale": "satisfaction", "prompts": ["p"]}],
      "sampling": {"percent": 100, "suppression": "7d", "min_talk": "20s",
                   "quota_per_agent_per_day": 2}})");
  Sampler s(def, shanghai());
  Contact c{"1", "138", "a1", kT0, 60s, false, false};
  EXPECT_EQ(s.decide(c), Decision::sampled);
  c.id = "2";
  EXPECT_EQ(s.decide(c), Decision::suppressed);  // same customer within 7 days
  c.customer = "139";
  c.transferred = true;
  EXPECT_EQ(s.decide(c), Decision::transferred);
  c.transferred = false;
  c.callback = true;
  EXPECT_EQ(s.decide(c), Decision::callback);
  c.callback = false;
  c.talk = 10s;
  EXPECT_EQ(s.decide(c), Decision::too_short);
  c.talk = 60s;
  EXPECT_EQ(s.decide(c), Decision::sampled);
  c.id = "3";
  c.customer = "137";
  EXPECT_EQ(s.decide(c), Decision::quota);  // a1 has had 2 today
  c.ended = kT0 + 24h;
  EXPECT_EQ(s.decide(c), Decision::sampled);  // a new day
  c.id = "4";
  c.customer = "138";
  c.ended = kT0 + 8 * 24h;
  EXPECT_EQ(s.decide(c), Decision::sampled);  // suppression over
}

// Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of
// seven methods", Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score).
TEST(SurveyScoring, WilsonIntervalsMatchNewcombe1998) {
  struct Case {
    int x, n;
    double low, high;
  } cases[] = {{81, 263, 0.2553, 0.3662},
               {15, 148, 0.0624, 0.1605},
               {0, 20, 0.0, 0.1611},
               {1, 29, 0.0061, 0.1718}};
  for (const Case& c : cases) {
    const Proportion p = wilson(c.x, c.n);
    EXPECT_NEAR(p.low, c.low, 5e-5) << c.x << "/" << c.n;
    EXPECT_NEAR(p.high, c.high, 5e-5) << c.x << "/" << c.n;
  }
  EXPECT_TRUE(std::isnan(wilson(0, 0).value));
}

TEST(SurveyScoring, RatesNpsCesAndTheSampleSizeWarning) {
  const Definition def = example();
  std::vector<Response> rs;
  // 10 answered: 8 satisfied; CSAT 4,5,5,3,2,4,5,1,4,5 -> top-2 7/10; NPS 5 promoters (9,10),
  // 2 detractors (0-6), 3 passives -> +30; effort 2 on average. Plus 5 offered, not answered.
  const int csat[] = {4, 5, 5, 3, 2, 4, 5, 1, 4, 5};
  const int nps[] = {10, 9, 9, 10, 9, 8, 7, 8, 3, 6};
  for (int i = 0; i < 10; ++i) {
    Response r;
    r.answers.fill(kNoResponse);
    r.agent = i < 5 ? 1 : 2;
    r.at = kT0 + std::chrono::minutes{i};
    r.answers[0] = i < 8 ? 1 : 0;
    r.answers[1] = 1;
    r.answers[2] = static_cast<std::int8_t>(csat[i]);
    r.answers[3] = static_cast<std::int8_t>(nps[i]);
    r.answers[4] = 2;
    r.responded = true;
    rs.push_back(r);
  }
  for (int i = 0; i < 5; ++i) {
    Response r;
    r.answers.fill(kNoResponse);
    r.agent = 2;
    r.at = kT0 + 2h;
    rs.push_back(r);
  }
  const auto all = aggregate(def, rs, GroupBy::all, shanghai(), 0.05);
  ASSERT_EQ(all.size(), 1u);
  const Score& s = all[0];
  EXPECT_EQ(s.offered, 15);
  EXPECT_EQ(s.responded, 10);
  EXPECT_NEAR(s.response_rate, 10.0 / 15, 1e-12);
  EXPECT_DOUBLE_EQ(s.satisfaction.value, 0.8);
  EXPECT_DOUBLE_EQ(s.csat.value, 0.7);
  EXPECT_DOUBLE_EQ(s.nps, 30.0);
  // Standard interval: var = (p + d - (p - d)^2) / n = (0.5 + 0.2 - 0.09) / 10 = 0.061.
  EXPECT_NEAR(s.nps_high - s.nps, 100 * 1.96 * std::sqrt(0.061), 1e-9);
  EXPECT_DOUBLE_EQ(s.ces, 2.0);
  // +-5% at p = 0.8 needs 1.96^2 * 0.16 / 0.0025 = 246 answers: 236 more.
  ASSERT_TRUE(s.more_needed.has_value());
  EXPECT_EQ(*s.more_needed, 236);
  const auto by_agent = aggregate(def, rs, GroupBy::agent, shanghai());
  ASSERT_EQ(by_agent.size(), 2u);
  EXPECT_EQ(by_agent[0].group, "1");
  EXPECT_EQ(by_agent[0].responded, 5);
  EXPECT_EQ(by_agent[1].offered, 10);
  const auto by_day = aggregate(def, rs, GroupBy::day, shanghai());
  ASSERT_EQ(by_day.size(), 1u);
  EXPECT_EQ(by_day[0].group, "2025-03-03");  // local date in Asia/Shanghai
  const auto by_interval = aggregate(def, rs, GroupBy::interval30, shanghai());
  ASSERT_EQ(by_interval.size(), 2u);
  EXPECT_EQ(by_interval[0].group, "2025-03-03 10:00");
  EXPECT_EQ(aggregate(def, rs, GroupBy::month, shanghai())[0].group, "2025-03");
  // The precision is checked in C++ too (the C ABI did; Python and C++ callers reached a
  // division by zero), and a tiny one asks for INT_MAX more answers rather than overflowing.
  for (double bad : {0.0, -0.05, 1.0, std::nan("")}) {
    try {
      (void)aggregate(def, rs, GroupBy::all, shanghai(), bad);
      ADD_FAILURE() << bad;
    } catch (const hotline::Error& e) {
      EXPECT_EQ(e.code(), hotline::ErrorCode::invalid_argument);
      EXPECT_EQ(e.where(), "precision");
    }
  }
  const auto exacting = aggregate(def, rs, GroupBy::all, shanghai(), 1e-200);
  ASSERT_TRUE(exacting[0].more_needed.has_value());
  EXPECT_EQ(*exacting[0].more_needed, std::numeric_limits<int>::max());
}

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

// Seed 001: dissatisfied -> alert -> explanation within 30 minutes, else automatic submission
// to the supervisor on duty, marked overdue -> review, callback, verdict -> yellow card.
TEST(SurveyLoop, OnTimeAndLateExplanationsCallbackAndYellowCard) {
  esc::Engine engine(esc::Policy::load(kDir + "escalation/policy.json"));
  const Roster roster = Roster::from_json(read(kDir + "survey/roster.json"));
  EXPECT_EQ(roster.on_duty(kT0), "sup-day");
  Loop loop(engine, roster, shanghai());
  const Definition def = example();

  // Call 1 (agent a7) at 10:00: dissatisfied; the agent explains at 10:20, in time.
  Contact c1{"call-1", "13800000001", "a7", kT0, 120s, false, false};
  Response r1;
  r1.answers.fill(kNoResponse);
  r1.answers[0] = 0;
  r1.responded = true;
  const auto alert = loop.on_response(def, r1, c1, kT0, "rec-1.wav");
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(alert->agent, "a7");
  EXPECT_EQ(alert->caller, "13800000001");
  EXPECT_EQ(alert->contact, "call-1");
  EXPECT_NE(alert->text.find("13800000001"), std::string::npos);
  // A repeated result for the same contact does not open a second order.
  EXPECT_EQ(loop.dissatisfied(c1, kT0 + 1s, "rec-1.wav").order, alert->order);
  loop.explain(alert->order, "a7", "the billing system was down", kT0 + 20min);
  EXPECT_FALSE(loop.overdue(alert->order));
  EXPECT_EQ(engine.order(alert->order).handler, "sup-day");
  loop.review(alert->order, "sup-day", "rec-1.wav", kT0 + 1h);
  loop.call_back(alert->order, "sup-day", "explained the outage", kT0 + 1h + 5min);
  loop.verdict(alert->order, "sup-day", Verdict::not_at_fault, "system outage", kT0 + 1h + 10min);

  // Call 2 (agent a9) at 15:50: nobody explains; at 16:20 the deadline passes in the evening
  // shift: submitted automatically to sup-evening, overdue.
  Contact c2{"call-2", "13900000002", "a9", kT0 + 5h + 50min, 200s, false, false};
  const Alert a2 = loop.dissatisfied(c2, c2.ended, "rec-2.wav");
  EXPECT_TRUE(loop.advance(kT0 + 6h + 19min).empty() || !loop.overdue(a2.order));  // not yet
  EXPECT_FALSE(loop.overdue(a2.order));
  const auto notices = loop.advance(kT0 + 6h + 21min);
  bool breach = false;
  for (const auto& n : notices) breach |= n.order == a2.order && n.kind == esc::NoticeKind::breach;
  EXPECT_TRUE(breach);
  EXPECT_TRUE(loop.overdue(a2.order));
  EXPECT_EQ(engine.state_name(engine.order(a2.order)), "submitted");
  EXPECT_EQ(engine.order(a2.order).handler, "sup-evening");
  EXPECT_THROW(loop.explain(a2.order, "a9", "too late", kT0 + 6h + 30min), Error);  // state
  // The supervisor reviews the recording, calls back, and finds the agent at fault.
  loop.review(a2.order, "sup-evening", "rec-2.wav: agent interrupted the caller", kT0 + 7h);
  loop.call_back(a2.order, "sup-evening", "apologised; refund explained", kT0 + 7h + 10min);
  loop.verdict(a2.order, "sup-evening", Verdict::agent_at_fault, "rude tone", kT0 + 7h + 15min);
  const auto cards = loop.yellow_cards(std::chrono::year{2025} / std::chrono::March);
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_EQ(cards[0].agent, "a9");
  EXPECT_EQ(cards[0].reason, "rude tone");
  EXPECT_TRUE(loop.yellow_cards(std::chrono::year{2025} / std::chrono::April).empty());
  EXPECT_TRUE(engine.order(a2.order).closed);
  EXPECT_EQ(engine.verify_replay(), std::vector<std::string>{});

  // The month's assessment: survey scores per agent, yellow cards, QA scores.
  std::vector<Score> by_agent(3);
  by_agent[0].group = "a7";
  by_agent[0].responded = 40;
  by_agent[0].satisfaction = wilson(36, 40);
  by_agent[1].group = "a9";
  by_agent[1].responded = 35;
  by_agent[1].satisfaction = wilson(34, 35);
  by_agent[2].group = "a3";
  by_agent[2].responded = 5;
  by_agent[2].satisfaction = wilson(5, 5);
  const auto table = assess(by_agent, cards, {{"a7", 90}, {"a9", 95}, {"a3", 99}});
  ASSERT_EQ(table.size(), 3u);
  // a3: (100 + 99) / 2 = 99.5, but only 5 answers: ranked first, not a star.
  // a9: (97.14 + 95) / 2 - 5 (a yellow card) = 91.07: second, no star with a card.
  // a7: (90 + 90) / 2 = 90: third, and the star of the month.
  EXPECT_EQ(table[0].agent, "a3");
  EXPECT_FALSE(table[0].star);
  EXPECT_EQ(table[1].agent, "a9");
  EXPECT_EQ(table[1].yellow_cards, 1);
  EXPECT_NEAR(table[1].score, (100.0 * 34 / 35 + 95) / 2 - 5, 1e-9);
  EXPECT_FALSE(table[1].star);
  EXPECT_EQ(table[2].agent, "a7");
  EXPECT_DOUBLE_EQ(table[2].score, 90.0);
  EXPECT_TRUE(table[2].star);
  EXPECT_EQ(table[2].rank, 3);
  EXPECT_THROW(assess(by_agent, cards, {{"a7", 120}}), Error);
}

TEST(SurveyLoop, BadSetupsAreClearErrors) {
  esc::Engine engine(esc::Policy::load(kDir + "escalation/policy.json"));
  EXPECT_THROW(Loop(engine, Roster{}, shanghai(), "praise"), Error);
  EXPECT_THROW(Loop(engine, Roster{}, shanghai(), "dissatisfaction_followup", "mars"), Error);
  Loop loop(engine, Roster{}, shanghai());
  const Alert a = loop.dissatisfied({"c", "1", "a1", kT0, 60s, false, false}, kT0);
  // Nobody on duty: the explanation cannot be routed.
  EXPECT_THROW(loop.explain(a.order, "a1", "x", kT0 + 1min), Error);
  Roster r;
  EXPECT_THROW(r.add(kT0, kT0, "x"), Error);
  EXPECT_THROW(Roster::from_json(R"([{"from": "nope", "to": "x", "supervisor": "s"}])"), Error);
}
