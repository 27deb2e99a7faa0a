// IVR trees: composition of the national first layer and a provincial sub-flow, verification
// (every problem at once with its location), metrics to a human, sessions, the registry,
// trajectories, analytics, simulation, DOT and diff.
#include <hotline/core.hpp>
#include <hotline/ivr.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <span>
#include <string>

using namespace std::chrono_literals;
using hotline::Error;
using hotline::ErrorCode;
using hotline::Instant;
using namespace hotline::ivr;

namespace {

const std::string kDir = std::string(HOTLINE_SOURCE_DIR) + "/examples/ivr/";

std::vector<Document> example() {
  return {Document::load(kDir + "national.json"), Document::load(kDir + "guangdong.json")};
}

// Monday 2025-03-03 10:00 +08:00: the complaints desk is open.
const Instant kMonday = hotline::parse_instant("2025-03-03T10:00:00+08:00");

std::vector<std::string> wheres(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.where);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// A minimal root document with the given extra nodes (JSON array body) and start.
Document doc(const std::string& nodes, const std::string& extra = "") {
  return Document::from_json(
      R"({"name": "t", "version": "1", "languages": ["zh", "en"], "fallback_language": "zh",)" +
      extra + R"("global": {"agent": "agent"},
          "prompts": {"p": {"zh": {"text": "x", "seconds": 2}}},
          "start": "m", "nodes": [{"id": "agent", "kind": "transfer", "queue": "q"},)" +
      nodes + "]}");
}

}  // namespace

TEST(IvrTree, ExampleComposesAndVerifies) {
  std::vector<Finding> errors, warnings;
  auto tree = Tree::inspect(example(), errors, warnings);
  ASSERT_NE(tree, nullptr);
  for (const auto& e : errors) ADD_FAILURE() << e.where << ": " << e.message;
  EXPECT_EQ(tree->version_label(), "national 2025.1 + guangdong 2025.3");
  EXPECT_EQ(tree->documents().size(), 2u);
  // Prompts recorded only in Mandarin fall back (warnings, not errors).
  EXPECT_TRUE(has(wheres(warnings), "prompts/choose_language"));
  // From the main menu: the fewest keys is 0 (silence runs out the retries to an agent); the
  // fastest is 9 s (the whole menu prompt, then 0).
  const int main = tree->find("main");
  ASSERT_GE(main, 0);
  const NodeMetrics& m = tree->metrics()[static_cast<std::size_t>(main)];
  EXPECT_TRUE(m.reachable);
  EXPECT_EQ(m.keys_to_agent, 0);
  EXPECT_DOUBLE_EQ(m.seconds_to_agent, 9.0);
  // Worst case by silence: (9 s prompt + 5 s timeout) x 3 tries = 42 s; within the 120 s limit.
  // The business menu (no retry settings: 3 + 1 tries of 5 s prompt + 5 s) has 0 keys too.
  const NodeMetrics& biz = tree->metrics()[static_cast<std::size_t>(tree->find("business"))];
  EXPECT_DOUBLE_EQ(biz.seconds_to_agent, 5.0);
  // The provincial password node: 3 s of prompt, then a "locked" verification goes to an agent.
  const NodeMetrics& pw =
      tree->metrics()[static_cast<std::size_t>(tree->find("guangdong/password"))];
  EXPECT_EQ(pw.keys_to_agent, 0);
  EXPECT_DOUBLE_EQ(pw.seconds_to_agent, 3.0);
  EXPECT_EQ(pw.depth, 1);  // key 1 at the main menu (the language choice times out to main)
}

TEST(IvrTree, EveryProblemIsReportedWithItsLocation) {
  // Key 1 leads to `first`; the rest has a duplicate key, 7 options, an unknown prompt, a cycle
  // without exit, an unreachable node, an unverified account action and unbounded retries.
  auto broken = [](const std::string& first) {
    return doc(R"({"id": "m", "kind": "menu", "prompts": ["p", "nope"],
          "options": [{"key": "1", "to": ")" +
               first + R"("}, {"key": "1", "to": "agent"},
                      {"key": "2", "to": "loop"}, {"key": "3", "to": "agent"},
                      {"key": "4", "to": "agent"}, {"key": "5", "to": "agent"},
                      {"key": "6", "to": "acct"}]},
         {"id": "loop", "kind": "play", "next": "loop2"},
         {"id": "loop2", "kind": "play", "next": "loop"},
         {"id": "orphan", "kind": "hangup"},
         {"id": "acct", "kind": "action", "action": "top_up", "changes_account": true,
          "outcomes": {"ok": "agent"}},
         {"id": "retry", "kind": "menu", "options": [{"key": "1", "to": "agent"}], "exhausted": "retry"})");
  };
  const Document bad = broken("ghost");
  std::vector<Finding> errors, warnings;
  Tree::inspect({bad}, errors, warnings);
  const auto w = wheres(errors);
  EXPECT_TRUE(has(w, "t/m/options/0/to")) << ::testing::PrintToString(w);  // dangling
  EXPECT_TRUE(has(w, "t/loop")) << ::testing::PrintToString(w);  // and the graph problems too
  // The same without the dangling reference: every other problem, at once.
  const Document bad2 = broken("agent");
  errors.clear();
  Tree::inspect({bad2}, errors, warnings);
  const auto w2 = wheres(errors);
  const std::string all = ::testing::PrintToString(errors.size()) + ::testing::PrintToString(w2);
  EXPECT_TRUE(has(w2, "t/m/options/1")) << all;      // duplicate key
  EXPECT_TRUE(has(w2, "t/m")) << all;                // 7 options > 5
  EXPECT_TRUE(has(w2, "t/m/prompts")) << all;        // unknown prompt
  EXPECT_TRUE(has(w2, "t/loop")) << all;             // cycle that cannot exit
  EXPECT_TRUE(has(w2, "t/orphan")) << all;           // unreachable
  EXPECT_TRUE(has(w2, "t/acct")) << all;             // account action without verification
  EXPECT_TRUE(has(w2, "t/retry/exhausted")) << all;  // unbounded retries
  EXPECT_TRUE(has(wheres(warnings), "prompts/p"));   // no "en" recording: zh plays (a warning)
  EXPECT_THROW(Tree::compose({bad2}), Error);
}

TEST(IvrTree, MalformedDocumentsNameTheirPlace) {
  auto where = [](const std::string& json) {
    try {
      Document::from_json(json);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
      return e.where();
    }
    return std::string("accepted");
  };
  EXPECT_NE(where("{\"name\": ").find("line 1"), std::string::npos);
  EXPECT_EQ(
      where(
          R"({"name": "a", "version": "1", "start": "x", "nodes": [{"id": "x", "kind": "teleport"}]})"),
      "/nodes/0/kind");
  EXPECT_EQ(
      where(
          R"({"name": "a", "version": "1", "start": "x", "nodes": [{"id": "x", "kind": "menu", "options": [{"key": "12", "to": "x"}]}]})"),
      "/nodes/0/options/0/key");
  EXPECT_EQ(where(R"({"name": "a", "version": 1, "start": "x", "nodes": []})"), "/version");
  EXPECT_EQ(
      where(
          R"({"name": "a", "version": "1", "start": "x", "nodes": [{"id": "x", "kind": "play", "colour": 1}]})"),
      "/nodes/0/colour");
  EXPECT_EQ(
      where(
          R"({"name": "a", "version": "1", "start": "x", "nodes": [{"id": "x", "kind": "collect", "into": "v", "pattern": "("}]})"),
      "/nodes/0/pattern");
}

// Found while profiling the C ABI fuzz target: std::regex compiled a collect pattern by recursion
// per nested group, and a pattern 30,000 groups deep overflowed the stack while the document
// loaded (the CLI's `ivr validate` crashed). Patterns now have their own bounded engine
// (digit_pattern_test.cpp): the loader reports the pattern's place and the character.
TEST(IvrTree, DeeplyNestedPatternIsAnErrorNotACrash) {
  const std::string deep = std::string(30'000, '(') + "1" + std::string(30'000, ')');
  const std::string doc =
      R"({"name": "a", "version": "1", "start": "x", "nodes": [{"id": "x", "kind": "collect", "into": "v", "pattern": ")" +
      deep + R"("}]})";
  try {
    (void)Document::from_json(doc);
    FAIL() << "a 30,000-deep pattern loaded";
  } catch (const hotline::Error& e) {
    EXPECT_EQ(e.where(), "/nodes/0/pattern");
    EXPECT_NE(std::string(e.what()).find("60001 characters long (at most 256)"), std::string::npos)
        << e.what();
  }
  // Within the length limit, nesting beyond 16 groups is the error.
  const std::string nested = std::string(20, '(') + "1" + std::string(20, ')');
  try {
    (void)Document::from_json(
        R"({"name": "a", "version": "1", "start": "x", "nodes": [{"id": "x", "kind": "collect", "into": "v", "pattern": ")" +
        nested + R"("}]})");
    FAIL() << "a 20-deep pattern loaded";
  } catch (const hotline::Error& e) {
    EXPECT_EQ(e.where(), "/nodes/0/pattern");
    EXPECT_NE(std::string(e.what()).find("at character 17: groups nested more than 16 deep"),
              std::string::npos)
        << e.what();
  }
}

// fuzz_ivr_document finding: a parse error quoting an invalid UTF-8 byte made the JSON report
// itself throw (EINTERNAL through the C ABI). Reports replace such bytes.
TEST(IvrTree, ReportsSurviveInvalidUtf8) {
  Document d;
  d.json =
      "{\"name\": \"x\", \"version\": \"1\", \"start\": \"a\", \"nodes\": [{\"id\": "
      "\"\x9b\x9b\"}]}";
  std::vector<Finding> errors, warnings;
  auto tree = Tree::inspect({d}, errors, warnings);
  EXPECT_EQ(tree, nullptr);
  ASSERT_EQ(errors.size(), 1u);
  const std::string report = report_json(nullptr, errors, warnings);
  EXPECT_NE(report.find("invalid JSON"), std::string::npos) << report;
}

TEST(IvrTree, LimitsOnTheWayToAHuman) {
  // 3 keys max, 20 s max: a menu behind two menus needs 1 key (0) but 12 s of prompts is fine;
  // lower the seconds limit and it is an error at the menu.
  const std::string nodes = R"({"id": "m", "kind": "menu", "prompts": ["p"],
      "options": [{"key": "1", "to": "agent"}]})";
  std::vector<Finding> errors, warnings;
  Tree::inspect({doc(nodes, R"("limits": {"max_seconds_to_agent": 1.5},)")}, errors, warnings);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "t/m");
  EXPECT_NE(errors[0].message.find("2.0 s worst case"), std::string::npos) << errors[0].message;
  // L1 direct: the start is a menu, so an L1 caller meets a menu first.
  errors.clear();
  Tree::inspect({doc(nodes, R"("limits": {"l1_direct": true},)")}, errors, warnings);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "t/limits/l1_direct");
}

TEST(IvrSession, SelfServiceBalanceWithVerification) {
  auto tree = Tree::compose(example());
  Session s(tree, CallInfo{"L3", "", {}}, kMonday);
  auto acts = s.actions();
  ASSERT_EQ(acts.size(), 3u);  // welcome, choose-language prompt, collect
  EXPECT_EQ(acts[0].kind, ActionKind::play);
  EXPECT_EQ(acts[0].prompts[0], "welcome");
  EXPECT_EQ(acts[2].kind, ActionKind::collect);
  s.on_digits("3", kMonday + 8s);  // English
  EXPECT_EQ(s.language(), "en");
  EXPECT_EQ(s.actions()[0].prompts[0], "main_menu");
  EXPECT_EQ(s.actions()[0].language, "en");
  s.on_digits("1", kMonday + 15s);  // self-service: the provincial password
  EXPECT_EQ(tree->nodes()[static_cast<std::size_t>(s.node())].id, "guangdong/password");
  s.on_digits("12345", kMonday + 20s);  // too short: no-match, the prompt again
  EXPECT_EQ(s.actions()[0].prompts[0], "enter_password");
  s.on_digits("123456", kMonday + 25s);
  ASSERT_EQ(s.actions().back().kind, ActionKind::invoke);
  EXPECT_EQ(s.actions().back().name, "verify_password");
  EXPECT_EQ(s.variable("password"), "123456");
  EXPECT_THROW(s.on_result("maybe", kMonday + 26s), Error);  // undeclared outcome
  s.on_result("ok", kMonday + 26s);
  EXPECT_TRUE(s.verified());
  s.on_digits("1", kMonday + 30s);
  EXPECT_EQ(s.actions().back().name, "query_balance");
  s.on_result("ok", kMonday + 31s);
  // balance prompt, return to the national layer: "anything else?"
  EXPECT_EQ(s.actions()[0].prompts[0], "balance_is");
  EXPECT_EQ(s.actions()[1].prompts[0], "anything_else");
  s.on_digits("9", kMonday + 40s);
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.trajectory().outcome, Outcome::self_service);
  EXPECT_EQ(s.actions().back().kind, ActionKind::hangup);
  EXPECT_THROW(s.on_digits("1", kMonday + 41s), Error);
}

TEST(IvrSession, ZeroReachesAnAgentAndStarGoesBack) {
  auto tree = Tree::compose(example());
  Session s(tree, CallInfo{"L3", "zh", {}}, kMonday);
  s.on_timeout(kMonday + 9s);  // language: no retries, exhausted -> main
  EXPECT_EQ(s.actions()[0].prompts[0], "main_menu");
  s.on_digits("2", kMonday + 20s);
  EXPECT_EQ(s.actions()[0].prompts[0], "business_menu");
  s.on_digits("*", kMonday + 25s);
  EXPECT_EQ(s.actions()[0].prompts[0], "main_menu");
  s.on_digits("0", kMonday + 30s);
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.trajectory().outcome, Outcome::transferred);
  EXPECT_EQ(s.trajectory().queue, "general");
  EXPECT_EQ(s.actions().back().kind, ActionKind::transfer);
}

TEST(IvrSession, TaperedRetriesThenExhausted) {
  auto tree = Tree::compose(example());
  Session s(tree, CallInfo{"L3", "zh", {}}, kMonday);
  s.on_timeout(kMonday + 9s);
  s.on_timeout(kMonday + 20s);
  EXPECT_EQ(s.actions()[0].prompts[0], "main_noinput_1");
  s.on_timeout(kMonday + 30s);
  EXPECT_EQ(s.actions()[0].prompts[0], "main_noinput_2");
  s.on_timeout(kMonday + 40s);  // third silence: exhausted -> an agent
  EXPECT_EQ(s.trajectory().outcome, Outcome::transferred);
}

TEST(IvrSession, CollectPatternIsCompiledOnceAndEnforced) {
  // A mainland mobile number: eleven digits, "1", then 3-9 (the length check alone passes
  // "12345678901"; the pattern must refuse it).
  auto tree = Tree::compose({doc(
      R"({"id": "m", "kind": "collect", "prompts": ["p"], "min_digits": 11, "max_digits": 11,
          "pattern": "1[3-9][0-9]{9}", "into": "mobile", "next": "agent"})")});
  const int m = tree->find("m");
  ASSERT_GE(m, 0);
  EXPECT_TRUE(tree->digits_match(m, "13812345678"));
  EXPECT_FALSE(tree->digits_match(m, "12345678901"));
  EXPECT_FALSE(tree->digits_match(m, "1381234567"));  // the whole input must match
  // Beyond the 32 digits any collect takes: no match, and no deep regex recursion either.
  EXPECT_FALSE(tree->digits_match(m, std::string(1 << 20, '1')));
  auto any = Tree::compose({doc(
      R"({"id": "m", "kind": "collect", "prompts": ["p"], "max_digits": 32, "pattern": "[0-9]*",
          "into": "v", "next": "agent"})")});
  EXPECT_TRUE(any->digits_match(any->find("m"), std::string(32, '1')));
  EXPECT_FALSE(any->digits_match(any->find("m"), std::string(1 << 20, '1')));
  EXPECT_TRUE(tree->digits_match(tree->find("agent"), "x"));  // no pattern there
  EXPECT_TRUE(tree->digits_match(-1, "x"));
  EXPECT_TRUE(tree->digits_match(1000, "x"));
  Session s(tree, CallInfo{"L3", "zh", {}}, kMonday);
  s.on_digits("12345678901", kMonday + 5s);  // no-match: asked again
  EXPECT_FALSE(s.finished());
  EXPECT_EQ(s.variable("mobile"), "");
  s.on_digits("13812345678", kMonday + 15s);
  EXPECT_EQ(s.variable("mobile"), "13812345678");
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.trajectory().outcome, Outcome::transferred);
}

TEST(IvrTree, PromptListLengthsEqualTheSumOfTheirPrompts) {
  auto tree = Tree::compose(example());
  auto summed = [&](std::span<const std::string> ids, std::string_view lang) {
    hotline::Duration d{};
    for (const std::string& id : ids) {
      if (const PromptText* p = tree->prompt(id, lang)) d += p->length;
    }
    return d;
  };
  int lists = 0;
  for (const Node& n : tree->nodes()) {
    std::vector<const std::vector<std::string>*> all{&n.prompts};
    for (const auto& v : n.noinput_prompts) all.push_back(&v);
    for (const auto& v : n.nomatch_prompts) all.push_back(&v);
    for (const auto* v : all) {
      for (std::string_view lang : {"zh", "en", "yue", "fr", ""}) {
        EXPECT_EQ(tree->prompts_length(*v, lang), summed(*v, lang)) << n.id << " " << lang;
        if (v->size() > 1) {  // a part of a list is not the list
          const std::span<const std::string> head(v->data(), 1);
          EXPECT_EQ(tree->prompts_length(head, lang), summed(head, lang)) << n.id;
        }
      }
      lists += v->empty() ? 0 : 1;
    }
  }
  EXPECT_GT(lists, 10);
  const std::vector<std::string> own{"welcome", "main_menu", "nonexistent"};  // not the tree's
  EXPECT_EQ(tree->prompts_length(own, "en"), summed(own, "en"));
  EXPECT_GT(tree->prompts_length(own, "en"), hotline::Duration::zero());
}

TEST(IvrSession, L1GoesStraightToAHumanAndClosedHoursBranch) {
  auto tree = Tree::compose(example());
  Session vip(tree, CallInfo{"L1", "", {}}, kMonday);
  EXPECT_TRUE(vip.finished());
  EXPECT_EQ(vip.trajectory().queue, "vip");
  // Complaints on Saturday evening: the desk is closed, a callback is offered.
  const Instant saturday = hotline::parse_instant("2025-03-08T20:00:00+08:00");
  Session s(tree, CallInfo{"L3", "zh", {}}, saturday);
  s.on_digits("1", saturday + 5s);
  s.on_digits("4", saturday + 15s);
  EXPECT_EQ(s.actions()[0].prompts[0], "complaints_closed");
  EXPECT_EQ(s.actions().back().name, "request_callback");
}

TEST(IvrSession, ConfirmedTopUpAndHangupInTheIvr) {
  auto tree = Tree::compose(example());
  Session s(tree, CallInfo{"L3", "zh", {}}, kMonday);
  s.on_digits("1", kMonday + 5s);
  s.on_digits("1", kMonday + 10s);
  s.on_digits("654321", kMonday + 15s);
  s.on_result("ok", kMonday + 16s);
  s.on_digits("3", kMonday + 20s);
  s.on_digits("50#", kMonday + 25s);
  ASSERT_EQ(s.actions().size(), 2u);  // read back "50", then 1 = yes / 2 = no
  EXPECT_EQ(s.actions()[0].readback, "50");
  s.on_digits("1", kMonday + 30s);
  EXPECT_EQ(s.actions().back().name, "top_up");
  EXPECT_EQ(s.variable("amount"), "50");
  s.on_hangup(kMonday + 31s);
  EXPECT_EQ(s.trajectory().outcome, Outcome::abandoned);
  EXPECT_THROW(s.on_hangup(kMonday + 32s), Error);
}

TEST(IvrSession, StepLimitSendsTheCallToAnAgent) {
  auto tree = Tree::compose(example());
  Session s(tree, CallInfo{"L3", "zh", {}}, kMonday);
  s.on_digits("1", kMonday + 5s);
  s.on_digits("1", kMonday + 10s);
  Instant t = kMonday + 10s;
  // Wrong passwords forever: the loop password -> verify -> wrong is bounded by max_steps (60).
  for (int i = 0; i < 40 && !s.finished(); ++i) {
    s.on_digits("111111", t += 5s);
    if (!s.finished()) s.on_result("fail", t += 1s);
  }
  ASSERT_TRUE(s.finished());
  EXPECT_EQ(s.trajectory().outcome, Outcome::step_limit);
  EXPECT_EQ(s.trajectory().queue, "general");
}

TEST(IvrRegistry, RunningCallsKeepTheirVersion) {
  Registry reg;
  EXPECT_THROW(reg.latest(), Error);
  auto v1 = Tree::compose(example());
  EXPECT_EQ(reg.publish(v1), 1);
  Session old(reg.latest(), CallInfo{"L3", "zh", {}}, kMonday);
  auto docs = example();
  std::string json = docs[1].json;
  json.replace(json.find("\"2025.3\""), 8, "\"2025.4\"");
  docs[1] = Document::from_json(json, kDir);
  EXPECT_EQ(reg.publish(Tree::compose(docs)), 2);
  Session fresh(reg.latest(), CallInfo{"L3", "zh", {}}, kMonday);
  EXPECT_EQ(old.trajectory().tree_version, "national 2025.1 + guangdong 2025.3");
  EXPECT_EQ(fresh.trajectory().tree_version, "national 2025.1 + guangdong 2025.4");
  EXPECT_EQ(reg.version(1), v1);
}

TEST(IvrTrajectory, RoundTripsAndAnalytics) {
  auto tree = Tree::compose(example());
  std::vector<Trajectory> ts;
  {
    Session s(tree, CallInfo{"L3", "zh", {}}, kMonday);
    s.on_digits("1", kMonday + 5s);
    s.on_digits("0", kMonday + 10s);
    ts.push_back(s.trajectory());
  }
  {
    Session s(tree, CallInfo{"L3", "zh", {}}, kMonday);
    s.on_hangup(kMonday + 3s);
    ts.push_back(s.trajectory());
  }
  {
    Session s(tree, CallInfo{"L3", "zh", {}}, kMonday);
    s.on_digits("1", kMonday + 5s);
    s.on_digits("3", kMonday + 10s);
    s.on_digits("12345678#", kMonday + 20s);
    s.on_result("outage", kMonday + 21s);
    s.on_digits("9", kMonday + 30s);
    ts.push_back(s.trajectory());
  }
  const std::string json = ts[2].to_json(*tree);
  const Trajectory back = Trajectory::from_json(json, *tree);
  EXPECT_EQ(back.to_json(*tree), json);
  EXPECT_THROW(Trajectory::from_json(R"({"tree": "x"})", *tree), Error);
  const Analytics a = analyze(*tree, ts);
  EXPECT_EQ(a.calls, 3);
  EXPECT_EQ(a.transferred, 1);
  EXPECT_EQ(a.abandoned, 1);
  EXPECT_EQ(a.self_service, 1);
  EXPECT_NEAR(a.containment, 1.0 / 3, 1e-12);
  EXPECT_EQ(a.transfers_per_queue.at("general"), 1);
  EXPECT_EQ(a.drop_off_per_node.at("national/language"), 1);
  EXPECT_DOUBLE_EQ(a.mean_seconds_to_agent, 10.0);
}

TEST(IvrSimulation, ReproducibleFromASeedAndSensitiveToTheModel) {
  auto tree = Tree::compose(example());
  CallerModel model;
  model.keys["national/main"] = {{'1', 0.5}, {'2', 0.2}, {'3', 0.1}, {'4', 0.05}, {'0', 0.1}};
  const auto a = simulate(tree, model, 2000, 42, kMonday);
  const auto b = simulate(tree, model, 2000, 42, kMonday);
  ASSERT_EQ(a.size(), 2000u);
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i].to_json(*tree), b[i].to_json(*tree));
  const Analytics x = analyze(*tree, a);
  EXPECT_EQ(x.calls, 2000);
  EXPECT_EQ(x.self_service + x.transferred + x.abandoned + x.step_limit, 2000);
  EXPECT_GT(x.containment, 0.2);
  // Impatient callers abandon more.
  CallerModel impatient = model;
  impatient.mean_patience = 15s;
  const Analytics y = analyze(*tree, simulate(tree, impatient, 2000, 42, kMonday));
  EXPECT_GT(y.abandonment, x.abandonment + 0.2);
}

TEST(IvrTools, DotAndDiff) {
  auto v1 = Tree::compose(example());
  const std::string dot = v1->to_dot();
  EXPECT_NE(dot.find("digraph ivr"), std::string::npos);
  EXPECT_NE(dot.find("doubleoctagon"), std::string::npos);
  auto docs = example();
  std::string json = docs[0].json;
  // v2: key 3 of the business menu goes to roaming instead of an agent; key 4 added there.
  const std::string from = R"({"key": "3", "to": "business_agent"}],)";
  ASSERT_NE(json.find(from), std::string::npos);
  json.replace(json.find(from), from.size(),
               R"({"key": "3", "to": "roaming"}, {"key": "4", "to": "business_agent"}],)");
  docs[0] = Document::from_json(json, kDir);
  auto v2 = Tree::compose(docs);
  const auto changes = diff(*v1, *v2);
  bool rerouted = false, added = false;
  for (const Change& c : changes) {
    if (c.kind == Change::Kind::option_rerouted && c.node == "national/business") {
      rerouted = c.detail == "key 3: national/business_agent -> national/roaming";
    }
    if (c.kind == Change::Kind::option_added && c.node == "national/business") added = true;
  }
  EXPECT_TRUE(rerouted);
  EXPECT_TRUE(added);
  EXPECT_TRUE(diff(*v1, *v1).empty());
}
