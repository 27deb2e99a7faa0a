// hotline ivr validate|dot|run|diff|simulate: IVR trees from the command line.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <hotline/core/error.hpp>
#include <hotline/core/time.hpp>
#include <hotline/ivr.hpp>

#include "commands.hpp"

namespace hotline::cli {

namespace {

using namespace hotline::ivr;

constexpr const char* kUsage = R"(usage:
  hotline ivr validate DOC... [--json]
      compose the documents (the first is the root: the national first layer, then provincial
      sub-flows) and verify the tree: every problem with its location, warnings, and for each
      node the key presses and worst-case seconds to a human. Exit status 1 on errors.
  hotline ivr dot DOC...
      Graphviz DOT of the composed tree.
  hotline ivr run DOC... --input TOKENS [--tier L3] [--language zh] [--at TIME]
      walk a call through the tree: TOKENS are comma-separated digits, "timeout", "hangup" or
      "=OUTCOME" (a host action's result); prints each action and the trajectory.
  hotline ivr diff OLD... -- NEW...
      semantic difference of two versions (options added, removed, rerouted; reachability and
      depth changes).
  hotline ivr simulate DOC... [--calls N] [--seed S] [--model FILE] [--json]
      simulated callers (docs/ivr.md): containment, abandonment, transfers per queue, drop-off
      per node, the most frequent paths.
)";

std::vector<Document> documents(std::vector<std::string> paths) {
  if (paths.empty()) throw UsageError("at least one document");
  std::vector<Document> docs;
  for (const auto& p : paths) docs.push_back(Document::load(p));
  return docs;
}

std::vector<std::string> rest(Args& args) {
  std::vector<std::string> out;
  while (auto p = args.optional_positional()) out.push_back(*p);
  return out;
}

void print_actions(const Session& s) {
  for (const Action& a : s.actions()) {
    std::string what;
    switch (a.kind) {
      case ActionKind::play:
        if (!a.readback.empty()) {
          what = fmt::format("read back \"{}\", then 1 = yes / 2 = no", a.readback);
        } else {
          for (const std::string& p : a.prompts) {
            const PromptText* t = s.tree().prompt(p, a.language);
            what += fmt::format("{}[{}] {}", what.empty() ? "" : " ", p, t ? t->text : "?");
          }
        }
        break;
      case ActionKind::collect:
        what = fmt::format("up to {} key(s), timeout {}", a.max_digits, format_duration(a.timeout));
        break;
      case ActionKind::invoke:
        what = fmt::format("host action {}", a.name);
        break;
      case ActionKind::transfer:
        what = fmt::format("queue {}", a.name);
        if (a.attributes) {
          for (const auto& [k, v] : *a.attributes) what += fmt::format(" {}={}", k, v);
        }
        break;
      case ActionKind::survey:
        what = fmt::format("survey {}", a.name);
        break;
      case ActionKind::hangup:
        break;
    }
    fmt::print("    {:<9} {}\n", to_string(a.kind), what);
  }
}

int run_validate(Args& args) {
  const bool as_json = args.flag("json");
  std::vector<Finding> errors, warnings;
  auto docs = documents(rest(args));
  args.finish();
  auto tree = Tree::inspect(docs, errors, warnings);
  if (as_json) {
    fmt::print("{}\n", nlohmann::json::parse(report_json(tree.get(), errors, warnings)).dump(2));
    return errors.empty() ? 0 : 1;
  }
  for (const Finding& f : errors) fmt::print("error   {}: {}\n", f.where, f.message);
  for (const Finding& f : warnings) fmt::print("warning {}: {}\n", f.where, f.message);
  if (tree && errors.empty()) {
    fmt::print("{}: valid, {} nodes\n", tree->version_label(), tree->nodes().size());
    fmt::print("{:<32} {:<9} {:>5} {:>8} {:>9}\n", "node", "kind", "depth", "keys->0",
               "secs->agent");
    for (std::size_t i = 0; i < tree->nodes().size(); ++i) {
      const Node& n = tree->nodes()[i];
      if (n.kind != NodeKind::menu && n.kind != NodeKind::collect && n.kind != NodeKind::language) {
        continue;
      }
      const NodeMetrics& m = tree->metrics()[i];
      fmt::print("{:<32} {:<9} {:>5} {:>8} {:>9.1f}\n", n.id, to_string(n.kind), m.depth,
                 m.keys_to_agent, m.seconds_to_agent);
    }
  } else {
    fmt::print("{} error(s)\n", errors.size());
  }
  return errors.empty() ? 0 : 1;
}

int run_dot(Args& args) {
  auto docs = documents(rest(args));
  args.finish();
  fmt::print("{}", Tree::compose(docs)->to_dot());
  return 0;
}

int run_call(Args& args) {
  const std::string input = args.required("input");
  const std::string tier = args.option("tier").value_or("L3");
  const std::string language = args.option("language").value_or("");
  const Instant start = parse_instant(args.option("at").value_or("2025-03-03T10:00:00+08:00"));
  auto docs = documents(rest(args));
  args.finish();
  Session s(Tree::compose(docs), CallInfo{tier, language, {}}, start);
  Instant now = start;
  fmt::print("{}  call starts ({})\n", format_instant(now), s.tree().version_label());
  print_actions(s);
  std::stringstream tokens(input);
  std::string token;
  while (std::getline(tokens, token, ',')) {
    if (s.finished()) throw UsageError(fmt::format("the call has ended before \"{}\"", token));
    now += std::chrono::seconds{5};
    fmt::print("{}  {}\n", format_instant(now), token);
    if (token == "timeout") {
      s.on_timeout(now);
    } else if (token == "hangup") {
      s.on_hangup(now);
    } else if (!token.empty() && token[0] == '=') {
      s.on_result(token.substr(1), now);
    } else {
      s.on_digits(token, now);
    }
    print_actions(s);
  }
  const Trajectory& t = s.trajectory();
  fmt::print("outcome: {}{}, {} key(s), node {}\n", to_string(t.outcome),
             t.queue.empty() ? "" : " to " + t.queue, t.keys,
             s.tree().nodes()[static_cast<std::size_t>(s.node())].id);
  fmt::print("trajectory: {}\n", t.to_json(s.tree()));
  return 0;
}

int run_diff(Args& args) {
  std::vector<std::string> before, after;
  bool second = false;
  for (const std::string& p : rest(args)) {
    if (p == "--") {
      second = true;
    } else {
      (second ? after : before).push_back(p);
    }
  }
  args.finish();
  if (before.empty() || after.empty()) throw UsageError("hotline ivr diff OLD... -- NEW...");
  auto a = Tree::compose(documents(before));
  auto b = Tree::compose(documents(after));
  const auto changes = diff(*a, *b);
  fmt::print("{} -> {}: {} change(s)\n", a->version_label(), b->version_label(), changes.size());
  for (const Change& c : changes)
    fmt::print("  {:<17} {:<32} {}\n", to_string(c.kind), c.node, c.detail);
  return 0;
}

int run_simulate(Args& args) {
  int calls = 0;
  unsigned long long seed = 0;
  try {
    calls = std::stoi(args.option("calls").value_or("10000"));
    seed = std::stoull(args.option("seed").value_or("1"));
  } catch (const std::exception&) {
    throw UsageError("--calls and --seed are whole numbers");
  }
  const auto model_path = args.option("model");
  const bool as_json = args.flag("json");
  auto docs = documents(rest(args));
  args.finish();
  CallerModel model;
  if (model_path) {
    std::ifstream in(*model_path);
    if (!in) throw Error(ErrorCode::io, *model_path, "cannot read the caller model");
    std::stringstream ss;
    ss << in.rdbuf();
    model = CallerModel::from_json(ss.str());
  }
  auto tree = Tree::compose(docs);
  const auto ts = simulate(tree, model, calls, seed, parse_instant("2025-03-03T10:00:00+08:00"));
  const Analytics a = analyze(*tree, ts);
  if (as_json) {
    fmt::print("{}\n", nlohmann::json::parse(to_json(a)).dump(2));
    return 0;
  }
  fmt::print("{} simulated calls (seed {}) on {}\n", a.calls, seed, tree->version_label());
  fmt::print("  contained in self-service {:6.1f}%\n", a.containment * 100);
  fmt::print("  transferred to a human    {:6.1f}%  (mean {:.0f} s in the IVR, p90 {:.0f} s)\n",
             100.0 * a.transferred / std::max(1, a.calls), a.mean_seconds_to_agent,
             a.p90_seconds_to_agent);
  fmt::print("  abandoned in the IVR      {:6.1f}%\n", a.abandonment * 100);
  if (a.step_limit) fmt::print("  step limit reached        {:6d}\n", a.step_limit);
  fmt::print("transfers per queue:\n");
  for (const auto& [q, n] : a.transfers_per_queue) fmt::print("  {:<12} {}\n", q, n);
  fmt::print("drop-off per node:\n");
  for (const auto& [node, n] : a.drop_off_per_node) fmt::print("  {:<32} {}\n", node, n);
  fmt::print("most frequent paths:\n");
  for (const auto& [p, n] : a.top_paths) fmt::print("  {:>6}  {}\n", n, p);
  return 0;
}

}  // namespace

int run_ivr(Args& args) {
  if (args.flag("help")) {
    fmt::print("{}", kUsage);
    return 0;
  }
  const std::string sub = args.positional("subcommand (validate, dot, run, diff, simulate)");
  if (sub == "validate") return run_validate(args);
  if (sub == "dot") return run_dot(args);
  if (sub == "run") return run_call(args);
  if (sub == "diff") return run_diff(args);
  if (sub == "simulate") return run_simulate(args);
  throw UsageError(fmt::format("unknown subcommand \"{}\"", sub));
}

}  // namespace hotline::cli
