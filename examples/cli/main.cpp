// hotline: command-line access to every component.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <hotline/core/error.hpp>
#include <hotline/core/version.hpp>

#include "args.hpp"
#include "commands.hpp"

namespace {

using hotline::cli::Args;

struct Command {
  const char* name;
  const char* summary;
  int (*run)(Args&);
};

const Command kCommands[] = {
    {"calendar", "business calendars: add, between, explain, open, check",
     hotline::cli::run_calendar},
    {"staff", "agents needed: Erlang C / Erlang A, shrinkage, forecasts", hotline::cli::run_staff},
    {"sla", "service-level report of contact records or an Asterisk queue_log",
     hotline::cli::run_sla},
    {"schedule", "shift scheduling: exact integer program, min cost or max service level",
     hotline::cli::run_schedule},
    {"plan", "month-by-month capacity plan: growth, attrition, training lead time, hiring",
     hotline::cli::run_plan},
    {"routing", "ACD routing policies: validate a policy, replay a router event log",
     hotline::cli::run_routing},
    {"escalation", "complaint work orders: validate a policy, run a script, show, KPIs",
     hotline::cli::run_escalation},
    {"ivr", "IVR trees: validate, dot, run a call, diff two versions, simulate callers",
     hotline::cli::run_ivr},
    {"survey", "post-call surveys: validate a definition, its IVR flow, answer it",
     hotline::cli::run_survey},
    {"simulate", "simulate a day at a hotline: every component together, with a report",
     hotline::cli::run_sim},
};

void print_usage(std::FILE* out) {
  fmt::print(out, "usage: hotline <command> [arguments]\n       hotline --version\n\ncommands:\n");
  for (const auto& c : kCommands) fmt::print(out, "  {:<12} {}\n", c.name, c.summary);
  fmt::print(out, "\n`hotline <command> --help` describes a command.\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> tokens(argv + 1, argv + argc);
  if (tokens.empty()) {
    print_usage(stderr);
    return 2;
  }
  const std::string first = tokens.front();
  if (first == "--version" || first == "-V") {
    fmt::print("hotline {}\n", hotline::version());
    return 0;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    print_usage(stdout);
    return 0;
  }
  for (const auto& c : kCommands) {
    if (first != c.name) continue;
    Args args(std::vector<std::string>(tokens.begin() + 1, tokens.end()));
    try {
      return c.run(args);
    } catch (const hotline::cli::UsageError& e) {
      fmt::print(stderr, "hotline {}: {}\n(see `hotline {} --help`)\n", c.name, e.what(), c.name);
      return 2;
    } catch (const hotline::Error& e) {
      fmt::print(stderr, "hotline {}: error ({}): {}\n", c.name, hotline::to_string(e.code()),
                 e.what());
      return 1;
    } catch (const std::exception& e) {
      fmt::print(stderr, "hotline {}: {}\n", c.name, e.what());
      return 1;
    }
  }
  fmt::print(stderr, "hotline: unknown command \"{}\"\n\n", first);
  print_usage(stderr);
  return 2;
}
