// hotline routing validate|replay: routing policies and recorded router event logs.
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <hotline/core/error.hpp>
#include <hotline/core/time.hpp>
#include <hotline/routing/router.hpp>

#include "commands.hpp"

namespace hotline::cli {

namespace {

using namespace hotline::routing;

constexpr const char* kUsage = R"(usage:
  hotline routing validate POLICY
      check a routing policy (docs/routing.md): every problem is reported at its JSON pointer;
      prints the tiers, the queues with their steps and the starvation bound.
  hotline routing replay POLICY EVENTS [--seed S] [--scan] [--json]
      replay a recorded event log (JSON Lines, Router::events / hotline_router_events_jsonl) and
      print every decision with its explanation; --scan uses the scanning engine (the same
      decisions, slower); --json prints one JSON object per decision.
)";

int run_validate(Args& args) {
  const auto p = Policy::load(args.positional("POLICY"));
  args.finish();
  const Definition& d = p->definition();
  fmt::print("routing policy \"{}\" version {}: valid ({} queues, {} tiers, {} skills)\n", d.name,
             d.version, d.queues.size(), d.tiers.size(), d.skills.size());
  for (const Tier& t : d.tiers) {
    fmt::print("  tier {:<6} priority {:>4}  target {:.0f}% in {}{}{}\n", t.name, t.priority,
               t.target.fraction * 100, format_duration(t.target.threshold), t.vip ? "  VIP" : "",
               t.bypass_ivr ? "  (bypasses the IVR)" : "");
  }
  for (std::size_t q = 0; q < p->queue_count(); ++q) {
    const Queue& queue = p->queue(q);
    fmt::print("  queue {:<14} {:<6} {:<16}", queue.name, queue.channel, to_string(queue.strategy));
    const auto& steps = p->steps(q);
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const Step& s = steps[k];
      std::string what;
      if (!s.overflow_to.empty()) {
        what = "overflow to " + s.overflow_to;
      } else {
        const auto& needs = s.skills.empty() ? queue.skills : s.skills;
        for (const SkillNeed& n : needs) {
          what += fmt::format("{}{}>={}", what.empty() ? "" : "+", n.skill,
                              s.min_proficiency.value_or(n.min_proficiency));
        }
        if (s.min_grade != Grade::junior) what += fmt::format(" {}+", to_string(s.min_grade));
      }
      fmt::print("{}[{} {}]", k ? " " : "", format_duration(s.after), what);
    }
    fmt::print("\n");
  }
  if (p->starvation_bound())
    fmt::print("starvation bound: {}\n", format_duration(*p->starvation_bound()));
  return 0;
}

int run_replay(Args& args) {
  const auto seed = args.option("seed");
  const bool scan = args.flag("scan");
  const bool json = args.flag("json");
  const auto p = Policy::load(args.positional("POLICY"));
  const std::string path = args.positional("EVENTS");
  args.finish();
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::io, path, "cannot open the event log");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Event> events;
  try {
    events = events_from_jsonl(text);
  } catch (const Error& e) {
    throw Error(e.code(), fmt::format("{} {}", path, e.where()), e.message());
  }
  RouterOptions o;
  o.seed = seed ? std::stoull(*seed) : 0;
  o.indexed = !scan;
  Router r(p, o);
  std::size_t count = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    std::span<const Decision> d;
    try {
      d = r.apply(events[i]);
    } catch (const Error& e) {
      // A refused event is part of the log (the host saw the error too): report and go on.
      fmt::print(stderr, "event {} ({}) refused: {}\n", i + 1, to_string(events[i].kind), e.what());
      continue;
    }
    for (const Decision& x : d) {
      ++count;
      if (json) {
        fmt::print("{}\n", decision_to_json(x, *p));
      } else {
        fmt::print("{}  {}\n", format_instant(x.at), explain(x, *p));
      }
    }
  }
  if (!json) fmt::print("{} events, {} decisions\n", events.size(), count);
  return 0;
}

}  // namespace

int run_routing(Args& args) {
  if (args.flag("help")) {
    fmt::print("{}", kUsage);
    return 0;
  }
  const std::string sub = args.positional("subcommand (validate, replay)");
  if (sub == "validate") return run_validate(args);
  if (sub == "replay") return run_replay(args);
  throw UsageError(fmt::format("unknown subcommand \"{}\"", sub));
}

}  // namespace hotline::cli
