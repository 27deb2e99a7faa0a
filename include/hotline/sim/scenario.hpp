// hotline::sim — scenarios: the traffic, people and definitions of a simulated hotline day.
// A scenario names the real definitions (routing policy, IVR documents, SLA targets, survey,
// escalation policy) and adds the models the simulator needs around them: arrivals by time of
// day, customer mix, patience, handle times, rosters, survey answers, department response times.
// docs/sim.md describes the format; examples/scenarios/ has the bundled provincial day.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/random.hpp>
#include <hotline/core/time.hpp>
#include <hotline/escalation/policy.hpp>
#include <hotline/ivr/session.hpp>
#include <hotline/ivr/tree.hpp>
#include <hotline/routing/policy.hpp>
#include <hotline/routing/router.hpp>
#include <hotline/sla/records.hpp>
#include <hotline/survey/survey.hpp>

namespace hotline::sim {

/// A non-negative random duration. JSON: "90s" (constant), {"dist": "exponential", "mean":
/// "90s"}, {"dist": "lognormal", "mean": "4m", "sd": "3m"}, {"dist": "empirical", "values":
/// ["30s", "45s", ...]} (each value equally likely) or {"dist": "never"} (patience only: an
/// infinitely patient caller).
struct Distribution {
  enum class Kind : std::uint8_t { constant = 0, exponential, lognormal, empirical, never };
  Kind kind = Kind::constant;
  double mean = 0;             ///< Seconds.
  double sd = 0;               ///< Seconds (lognormal).
  std::vector<double> values;  ///< Seconds (empirical).
  /// A draw in milliseconds (never: Duration::max()).
  Duration sample(Rng& rng) const;
  /// The mean in seconds (never: +inf).
  double mean_seconds() const noexcept;
  static Distribution constant_of(Duration d);
  static Distribution exponential_of(Duration mean);
};

/// One customer segment: its share of the calls, host attributes (the routing policy's tier
/// rules classify them) and its patience in the queue.
struct Segment {
  std::string name;
  double share = 0;
  std::map<std::string, std::string, std::less<>> attributes;
  std::string tier;  ///< Derived: Policy::classify(attributes) (or given).
  Distribution patience;
};

/// A break inside a shift (not ready from `at` for `length`).
struct Break {
  Duration at{};  ///< From the day's start.
  Duration length{};
};

/// A shift: logged in from `start` to `end` (durations from the day's start; end may pass 24 h).
struct Shift {
  Duration start{};
  Duration end{};
  std::vector<Break> breaks;
};

/// `count` identical agents.
struct AgentGroup {
  std::string name;
  int count = 0;
  std::vector<routing::AgentSkill> skills;
  std::vector<std::string> languages;
  routing::Grade grade = routing::Grade::junior;
  routing::Pool pool = routing::Pool::inbound;
  std::vector<Shift> shifts;  ///< Agents are spread over the shifts round-robin.
};

/// The IVR leg: the composed tree, the caller model and transfer-name -> routing-queue names.
struct IvrModel {
  std::shared_ptr<const ivr::Tree> tree;
  ivr::CallerModel callers;
  std::map<std::string, std::string, std::less<>> queues;  ///< Missing: the same name.
  std::string callback_action = "request_callback";        ///< An "ok" outcome books a callback.
};

/// Callbacks: offers the caller accepts, and callbacks booked in the IVR (outbound seats).
struct CallbackModel {
  double accept = 0.5;  ///< P(caller accepts a callback offer of the router).
  std::string queue;    ///< Routing queue for IVR-booked callbacks ("" = none booked).
  Distribution delay = Distribution::constant_of(std::chrono::minutes{10});
  double answer = 0.8;                       ///< P(the customer picks up when called back).
  Duration ring = std::chrono::seconds{30};  ///< Time lost on an unanswered callback.
};

/// Post-call survey answers and the dissatisfaction loop's people.
struct SurveyModel {
  std::shared_ptr<const survey::Definition> definition;
  std::shared_ptr<const ivr::Tree> tree;  ///< definition->to_ivr(), composed.
  double respond = 0.6;                   ///< P(a sampled caller answers at all).
  double dissatisfied = 0.05;             ///< P(dissatisfied) after no wait ...
  double dissatisfied_per_minute = 0.04;  ///< ... plus this per minute waited ...
  double dissatisfied_max = 0.6;          ///< ... capped here.
  Distribution explain = Distribution::exponential_of(std::chrono::minutes{15});
  Distribution review = Distribution::exponential_of(std::chrono::minutes{60});
  double at_fault = 0.3;  ///< P(verdict: agent at fault).
  /// Supervisors on duty by time of day: (from, to, name), durations from the day's start.
  std::vector<std::tuple<Duration, Duration, std::string>> supervisors;
};

/// A department's share of dispatched complaints and its reply time in business hours.
struct DepartmentModel {
  std::string id;
  double share = 0;
  Distribution reply;  ///< Business time (the department's calendar) to its reply.
};

/// One scripted step of a complaint's workflow: transition `transition` taken by `by` (the
/// owner agent, the supervisor on duty or the department handler) `after` the previous step.
struct ComplaintStep {
  enum class By : std::uint8_t { owner = 0, supervisor, handler };
  std::string transition;
  By by = By::owner;
  Distribution after = Distribution::exponential_of(std::chrono::minutes{10});
  bool department_time = false;  ///< `after` is the department's reply model (business time).
  bool assign = false;           ///< Dispatch to a department (by share) first.
  bool satisfied = false;        ///< Adds field "satisfied" ("yes" with P(satisfied)).
  std::map<std::string, std::string, std::less<>> fields;
};

/// Complaints raised from calls and carried through the escalation workflow.
struct ComplaintModel {
  explicit ComplaintModel(escalation::Policy p) : policy(std::move(p)) {}
  escalation::Policy policy;
  std::map<std::string, double, std::less<>> from_queues;  ///< Routing queue -> P(complaint).
  std::string category = "complaint";
  double urgent = 0.05;  ///< P(severity urgent).
  std::vector<DepartmentModel> departments;
  std::vector<ComplaintStep> steps;
  double satisfied = 0.8;
};

/// A whole scenario. Build it in code or load it from JSON (errors name the JSON pointer).
struct Scenario {
  std::string name;
  Instant start{};  ///< The day's first instant (local midnight).
  Duration length{std::chrono::hours{24}};
  Duration interval{std::chrono::minutes{30}};  ///< Report intervals.
  Duration warmup{};  ///< Calls arriving before start + warmup are not counted.
  calendar::Calendar zone = calendar::Calendar::always_open();
  std::uint64_t seed = 1;
  int replications = 1;

  std::shared_ptr<const routing::Policy> routing;
  /// Service-level targets by tier name; missing: the routing policy's tier targets.
  std::optional<sla::Targets> targets;

  /// Expected calls in the day; spread over the intervals by `profile` (relative weights, one
  /// per interval; empty: flat).
  double calls = 0;
  std::vector<double> profile;
  std::vector<Segment> segments;                          ///< At least one; shares add up to 1.
  std::vector<std::pair<std::string, double>> languages;  ///< Language mix ("" = any).
  /// Without an IVR: routing queue -> share of calls (with an IVR the caller picks).
  std::vector<std::pair<std::string, double>> queues;
  std::map<std::string, Distribution, std::less<>> handle;  ///< Talk time per routing queue.
  Distribution default_handle = Distribution::exponential_of(std::chrono::minutes{4});
  Distribution answer_delay = Distribution::constant_of(Duration{0});  ///< Agent pick-up.
  std::vector<AgentGroup> agents;

  std::optional<IvrModel> ivr;
  CallbackModel callbacks;
  std::optional<SurveyModel> survey;
  std::optional<ComplaintModel> complaints;

  /// Reads a scenario; relative file names inside resolve against base_dir.
  static Scenario from_json(std::string_view json, const std::filesystem::path& base_dir = {});
  static Scenario load(const std::filesystem::path& path);
  /// Throws Error(invalid_definition) naming the field when the scenario is inconsistent.
  void validate() const;
  /// Total agents over all groups.
  int agent_count() const noexcept;
};

}  // namespace hotline::sim
