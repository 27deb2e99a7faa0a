// hotline simulate: a simulated day (or days) at a hotline, every component together.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include <hotline/core/error.hpp>
#include <hotline/sim.hpp>

#include "commands.hpp"

namespace hotline::cli {

namespace {

constexpr const char* kUsage = R"(usage:
  hotline simulate SCENARIO [--replications N] [--seed S] [--report FILE] [--json] [--quiet]
      run a scenario (docs/sim.md; examples/scenarios/provincial-day.json) through the real
      router, IVR, survey and escalation engines and print the report: per 30-minute interval
      and tier, the day's compliance, staffing against Erlang A, IVR containment, survey scores
      and complaint timeliness, with 95% intervals over the replications.
      --report FILE   also write the report as one self-contained HTML page with SVG charts
      --json          print the report as JSON instead of the table
      --quiet         no progress bar (it is shown only when stderr is a terminal anyway)
)";

void progress_bar(int done, int total, double fraction) {
  const double overall = (done + fraction) / total;
  const int width = 40;
  const int filled = static_cast<int>(overall * width);
  fmt::print(stderr, "\r[{}{}] {:3.0f}%  replication {}/{}", std::string(filled, '#'),
             std::string(width - filled, '.'), overall * 100, std::min(done + 1, total), total);
  if (done == total) fmt::print(stderr, "\n");
  std::fflush(stderr);
}

}  // namespace

int run_sim(Args& args) {
  if (args.flag("help")) {
    fmt::print("{}", kUsage);
    return 0;
  }
  const std::string path = args.positional("SCENARIO");
  sim::RunOptions options;
  if (auto n = args.option("replications")) {
    try {
      options.replications = std::stoi(*n);
    } catch (const std::exception&) {
      throw UsageError("--replications needs a number");
    }
  }
  if (auto s = args.option("seed")) {
    try {
      options.seed = std::stoull(*s);
    } catch (const std::exception&) {
      throw UsageError("--seed needs a number");
    }
  }
  const auto report_file = args.option("report");
  const bool json = args.flag("json");
  const bool quiet = args.flag("quiet");
  args.finish();
  const sim::Scenario scenario = sim::Scenario::load(path);
  if (!quiet && isatty(STDERR_FILENO)) options.progress = progress_bar;
  const sim::Report report = sim::run(scenario, options);
  if (report_file) {
    std::ofstream out(*report_file, std::ios::binary);
    out << sim::to_html(report);
    out.close();
    if (!out) throw Error(ErrorCode::io, *report_file, "cannot write the HTML report");
  }
  fmt::print("{}", json ? sim::to_json(report) + "\n" : sim::to_text(report));
  if (report_file && !json) fmt::print("\nHTML report: {}\n", *report_file);
  return 0;
}

}  // namespace hotline::cli
