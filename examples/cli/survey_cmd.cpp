// hotline survey validate|ivr|run: post-call surveys from the command line.
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <hotline/core/time.hpp>
#include <hotline/ivr.hpp>
#include <hotline/survey.hpp>

#include "commands.hpp"

namespace hotline::cli {

namespace {

using namespace hotline::survey;

constexpr const char* kUsage = R"(usage:
  hotline survey validate DEF
      check a survey definition (docs/survey.md) and the IVR flow it compiles to.
  hotline survey ivr DEF
      print the compiled IVR document (compose it after the agent leg of a call).
  hotline survey run DEF --input TOKENS [--language zh]
      answer the survey in the IVR engine: TOKENS are comma-separated keys or "timeout";
      prints the prompts and the recorded answers.
)";

int run_validate(Args& args) {
  const Definition d = Definition::load(args.positional("DEF"));
  args.finish();
  fmt::print("survey \"{}\" version {}: valid\n", d.name(), d.version());
  for (const Question& q : d.questions()) fmt::print("  {:<12} {}\n", q.id, to_string(q.scale));
  const Sampling& s = d.sampling();
  fmt::print("sampling: {}% (seed {}), suppression {}, min talk {}, quota {}/agent/day\n",
             s.percent, s.seed, format_duration(s.suppression), format_duration(s.min_talk),
             s.quota_per_agent_per_day);
  if (d.follow_up()) {
    fmt::print("follow-up: \"dissatisfied\" on {} opens a {} work order\n", d.follow_up()->question,
               d.follow_up()->category);
  }
  const auto tree = ivr::Tree::compose({d.to_ivr()});
  fmt::print("IVR flow: {} nodes, verified\n", tree->nodes().size());
  return 0;
}

int run_ivr_document(Args& args) {
  const Definition d = Definition::load(args.positional("DEF"));
  args.finish();
  fmt::print("{}\n", nlohmann::json::parse(d.to_ivr().json).dump(2));
  return 0;
}

int run_answers(Args& args) {
  const std::string input = args.required("input");
  const std::string language = args.option("language").value_or("");
  const Definition d = Definition::load(args.positional("DEF"));
  args.finish();
  auto tree = ivr::Tree::compose({d.to_ivr()});
  Instant now = parse_instant("2025-03-03T10:00:00+08:00");
  ivr::Session s(tree, {"", language, {}}, now);
  auto show = [&] {
    for (const ivr::Action& a : s.actions()) {
      for (const std::string& p : a.prompts) {
        const ivr::PromptText* t = tree->prompt(p, a.language);
        fmt::print("    play    {}\n", t ? t->text : p);
      }
    }
  };
  show();
  std::stringstream tokens(input);
  std::string token;
  while (std::getline(tokens, token, ',') && !s.finished()) {
    now += std::chrono::seconds{5};
    fmt::print("  {}\n", token);
    if (token == "timeout") {
      s.on_timeout(now);
    } else {
      s.on_digits(token, now);
    }
    show();
  }
  const Response r = response_from(d, s);
  fmt::print("answers:\n");
  for (std::size_t i = 0; i < d.questions().size(); ++i) {
    const int v = r.answers[i];
    fmt::print("  {:<12} {}\n", d.questions()[i].id,
               v == kNoResponse ? "no response" : std::to_string(v));
  }
  return 0;
}

}  // namespace

int run_survey(Args& args) {
  if (args.flag("help")) {
    fmt::print("{}", kUsage);
    return 0;
  }
  const std::string sub = args.positional("subcommand (validate, ivr, run)");
  if (sub == "validate") return run_validate(args);
  if (sub == "ivr") return run_ivr_document(args);
  if (sub == "run") return run_answers(args);
  throw UsageError(fmt::format("unknown subcommand \"{}\"", sub));
}

}  // namespace hotline::cli
