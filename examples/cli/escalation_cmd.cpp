// hotline escalation validate|run|show|kpis: complaint escalation from the command line.
#include <cmath>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <hotline/core/error.hpp>
#include <hotline/core/time.hpp>
#include <hotline/escalation.hpp>

#include "commands.hpp"

namespace hotline::cli {

namespace {

using namespace hotline::escalation;
using nlohmann::json;

constexpr const char* kUsage = R"(usage:
  hotline escalation validate POLICY
      check a policy (every problem with its JSON pointer) and summarise its workflows.
  hotline escalation run POLICY SCRIPT [--db FILE] [--durability full|group|normal] [--json]
      run a script of commands (JSON Lines, one command per line; examples/escalation/day.jsonl)
      and print every notice; --db keeps the work orders in a SQLite store (created or
      recovered), otherwise they live in memory.
  hotline escalation show POLICY --db FILE ORDER [--clock NAME]
      an order's state, history and how its deadlines were computed.
  hotline escalation kpis POLICY --db FILE [--json]
      timeliness per department, category and month; the "three 100%"; resolution times.

Script commands: {"at": "2025-03-03T09:00:00+08:00", "do": "create", "customer": ...,
  "category": ..., "owner": ..., "channel", "severity", "department", "handler", "promised",
  "special", "fields", "key"} | {"do": "transition", "order", "name", "actor": {"id", "role"},
  "fields"} | "assign" (department, handler) | "pause" (reason) | "resume" | "promised" /
  "special" (deadline) | "co_handler" (person) | "advance" | "explain" (order, clock).
)";

Durability durability_arg(const std::string& v) {
  if (v == "full") return Durability::full;
  if (v == "group") return Durability::group;
  if (v == "normal") return Durability::normal;
  throw UsageError("--durability is full, group or normal");
}

std::unique_ptr<Engine> open_engine(const Policy& p, const std::optional<std::string>& db,
                                    Durability d) {
  if (!db) return std::make_unique<Engine>(p);
  SqliteOptions o;
  o.durability = d;
  return std::make_unique<Engine>(p, sqlite_store(*db, o));
}

std::string local(const Engine& e, Instant t) {
  return e.policy().calendar(e.policy().calendar_names().front()).format_time(t);
}

std::string describe(const Engine& e, const Notice& n) {
  std::string out = fmt::format("{:<10} order {}", to_string(n.kind), n.order);
  if (!n.clock.empty()) out += fmt::format(" {}", n.clock);
  if (n.kind == NoticeKind::warning) out += fmt::format(" {:.0f}% used", n.fraction * 100);
  if (n.kind == NoticeKind::repeat) out += fmt::format(" ({} within the window)", n.count);
  if (n.level >= 0) {
    out += fmt::format(" -> {}{}", to_string(n.role),
                       n.recipient.empty() ? "" : fmt::format(" ({})", n.recipient));
  }
  if (n.deliver_at != n.due)
    out += fmt::format(", delivered {} (quiet hours)", local(e, n.deliver_at));
  return out;
}

json notice_json(const Notice& n) {
  return json{{"kind", to_string(n.kind)},
              {"order", n.order},
              {"clock", std::string(n.clock)},
              {"due", format_instant(n.due)},
              {"deliver_at", format_instant(n.deliver_at)},
              {"level", n.level},
              {"role", n.level >= 0 ? json(to_string(n.role)) : json()},
              {"recipient", std::string(n.recipient)}};
}

std::map<std::string, std::string, std::less<>> fields_of(const json& c) {
  std::map<std::string, std::string, std::less<>> out;
  if (c.contains("fields")) {
    for (const auto& [k, v] : c.at("fields").items()) out[k] = v.get<std::string>();
  }
  return out;
}

Actor actor_of(const json& c) {
  if (!c.contains("actor")) return Actor{"script", "system"};
  return Actor{c.at("actor").at("id").get<std::string>(),
               c.at("actor").at("role").get<std::string>()};
}

std::string str(const json& c, const char* key, const std::string& fallback = {}) {
  return c.contains(key) ? c.at(key).get<std::string>() : fallback;
}

void print_kpis(const Engine& e) {
  const Kpis k = e.kpis();
  fmt::print("timeliness (target {:.0f}%):\n", e.policy().timeliness_target() * 100);
  if (k.timeliness.empty()) fmt::print("  no KPI deadline has fallen due yet\n");
  for (const TimelinessRow& r : k.timeliness) {
    fmt::print("  {:<10} {:<22} {:04}-{:02}  {:>4}/{:<4} {:6.1f}%  {}\n", r.department, r.category,
               static_cast<int>(r.month.year()), static_cast<unsigned>(r.month.month()), r.met,
               r.due, r.rate * 100, r.pass ? "pass" : "FAIL");
  }
  auto pct = [](double v) {
    return std::isnan(v) ? std::string("-") : fmt::format("{:.1f}%", v * 100);
  };
  fmt::print(
      "three 100% over {} closed orders: resolved {}, replied {}, satisfied {} of {} asked\n",
      k.three.closed, pct(k.three.resolved_rate), pct(k.three.replied_rate),
      pct(k.three.satisfied_rate), k.three.surveyed);
  for (const ResolutionStats& s : k.resolution) {
    fmt::print("  resolution {:<22} n={:<4} median {}  p90 {}  max {}\n", s.category, s.count,
               format_duration(s.p50), format_duration(s.p90), format_duration(s.max));
  }
}

int run_validate(Args& args) {
  const Policy p = Policy::load(args.positional("POLICY"));
  args.finish();
  fmt::print("policy \"{}\" version {}: valid\n", p.name(), p.version());
  for (const auto& [cat, wi] : p.categories()) {
    const Workflow& w = p.workflows()[wi];
    std::vector<std::string> clocks;
    for (const ClockDef& c : w.clocks) {
      clocks.push_back(fmt::format("{} ({}, {})", c.id, format_duration(c.target[1]),
                                   c.calendar.empty() ? "department hours" : c.calendar));
    }
    fmt::print("  {:<25} workflow {}: {} states, {} transitions; clocks: {}\n", cat, w.id,
               w.states.size(), w.transitions.size(), fmt::join(clocks, ", "));
  }
  fmt::print("  departments: {}\n", p.departments().size());
  return 0;
}

int run_script(Args& args) {
  const std::string policy_path = args.positional("POLICY");
  const std::string script_path = args.positional("SCRIPT");
  const auto db = args.option("db");
  const Durability d = durability_arg(args.option("durability").value_or("full"));
  const bool as_json = args.flag("json");
  args.finish();
  const Policy p = Policy::load(policy_path);
  auto engine = open_engine(p, db, d);
  Engine& e = *engine;
  std::ifstream in(script_path);
  if (!in) throw Error(ErrorCode::io, script_path, "cannot open the script");
  std::string line;
  int number = 0;
  json out = json::array();
  auto emit = [&](Instant at, const std::vector<Notice>& ns) {
    for (const Notice& n : ns) {
      if (as_json) {
        out.push_back(notice_json(n));
      } else {
        fmt::print("{}  {}\n", local(e, n.due), describe(e, n));
      }
    }
    (void)at;
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
    const std::string where = fmt::format("{}:{}", script_path, number);
    json c;
    try {
      c = json::parse(line);
    } catch (const json::exception& ex) {
      throw Error(ErrorCode::invalid_argument, where, ex.what());
    }
    try {
      const std::string what = c.at("do").get<std::string>();
      const Instant now =
          c.contains("at") ? parse_instant(c.at("at").get<std::string>()) : e.last_time();
      const OrderId id = c.value("order", OrderId{0});
      const std::string key = str(c, "key");
      Result r;
      if (what == "create") {
        NewOrder o;
        o.customer = str(c, "customer");
        o.category = str(c, "category");
        o.owner = str(c, "owner");
        o.channel = parse_channel(str(c, "channel", "hotline"));
        o.severity = parse_severity(str(c, "severity", "normal"));
        o.department = str(c, "department");
        o.handler = str(c, "handler");
        if (c.contains("promised")) o.promised = parse_instant(str(c, "promised"));
        if (c.contains("special")) o.special = parse_instant(str(c, "special"));
        o.fields = fields_of(c);
        r = e.create(o, now, key);
      } else if (what == "transition") {
        r = e.transition(id, str(c, "name"), actor_of(c), fields_of(c), now, key);
      } else if (what == "assign") {
        r = e.assign(id, str(c, "department"), str(c, "handler"), actor_of(c), now, key);
      } else if (what == "co_handler") {
        r = e.add_co_handler(id, str(c, "person"), actor_of(c), now, key);
      } else if (what == "pause") {
        r = e.pause(id, str(c, "reason"), actor_of(c), now, key);
      } else if (what == "resume") {
        r = e.resume(id, actor_of(c), now, key);
      } else if (what == "promised" || what == "special") {
        const Instant deadline = parse_instant(str(c, "deadline"));
        r = what == "promised" ? e.set_promised(id, deadline, actor_of(c), now, key)
                               : e.set_special(id, deadline, actor_of(c), now, key);
      } else if (what == "advance") {
        emit(now, e.advance(now));
        continue;
      } else if (what == "explain") {
        const std::string clock = str(c, "clock");
        const DeadlineExplanation ex = e.explain(id, clock);
        if (!as_json) {
          fmt::print("{}", ex.text(e.policy_of(e.order(id)).calendar(ex.calendar)));
        }
        continue;
      } else {
        throw Error(ErrorCode::invalid_argument, "do", fmt::format("unknown command \"{}\"", what));
      }
      if (!as_json) {
        const Order& o = e.order(r.order);
        fmt::print("{}  {:<10} order {} {} -> {}{}\n", local(e, now), what, r.order,
                   e.category_name(o), e.state_name(o), r.duplicate ? " (duplicate, ignored)" : "");
      }
      emit(now, r.notices);
    } catch (const Error& ex) {
      throw Error(ex.code(), where, ex.what());
    } catch (const json::exception& ex) {
      throw Error(ErrorCode::invalid_argument, where, ex.what());
    }
  }
  e.flush();
  if (as_json) {
    fmt::print("{}\n", json{{"notices", out}, {"kpis", json::parse(to_json(e.kpis()))}}.dump(2));
  } else {
    fmt::print("\n{} orders, {} open; store: {}\n", e.order_count(), e.open_count(),
               e.durability());
    print_kpis(e);
  }
  return 0;
}

int run_show(Args& args) {
  const Policy p = Policy::load(args.positional("POLICY"));
  const std::string db = args.required("db");
  const auto clock = args.option("clock");
  const std::string id_text = args.positional("ORDER");
  args.finish();
  OrderId id = 0;
  try {
    id = std::stoull(id_text);
  } catch (const std::exception&) {
    throw UsageError("ORDER is a work-order number");
  }
  Engine e(p, sqlite_store(db));
  fmt::print("{}\n", json::parse(e.order_json(id)).dump(2));
  fmt::print("history:\n");
  for (const StoredEvent& ev : e.history(id)) {
    fmt::print("  #{:<6} {}  {}{}  {}\n", ev.seq, local(e, ev.at), ev.kind,
               ev.derived ? " (timer)" : "", ev.body);
  }
  const Order& o = e.order(id);
  const Policy& op = e.policy_of(o);
  const Workflow& w = op.workflows()[op.categories()[o.category].second];
  for (std::size_t i = 0; i < w.clocks.size(); ++i) {
    if (clock && *clock != w.clocks[i].id) continue;
    if (o.clocks[i].state == ClockState::idle) continue;
    const DeadlineExplanation ex = e.explain(id, w.clocks[i].id);
    fmt::print("{} [{}]\n{}", w.clocks[i].id, to_string(o.clocks[i].state),
               ex.text(op.calendar(ex.calendar)));
  }
  return 0;
}

int run_kpis(Args& args) {
  const Policy p = Policy::load(args.positional("POLICY"));
  const std::string db = args.required("db");
  const bool as_json = args.flag("json");
  args.finish();
  Engine e(p, sqlite_store(db));
  if (as_json) {
    fmt::print("{}\n", json::parse(to_json(e.kpis())).dump(2));
  } else {
    print_kpis(e);
  }
  return 0;
}

}  // namespace

int run_escalation(Args& args) {
  if (args.flag("help")) {
    fmt::print("{}", kUsage);
    return 0;
  }
  const std::string sub = args.positional("subcommand (validate, run, show, kpis)");
  if (sub == "validate") return run_validate(args);
  if (sub == "run") return run_script(args);
  if (sub == "show") return run_show(args);
  if (sub == "kpis") return run_kpis(args);
  throw UsageError(fmt::format("unknown subcommand \"{}\"", sub));
}

}  // namespace hotline::cli
