// hotline::ivr — running a tree: sessions pinned to one version, a registry of versions,
// trajectories, analytics over many trajectories and an offline caller simulation.
#pragma once

#include <hotline/core/random.hpp>
#include <hotline/core/time.hpp>
#include <hotline/ivr/tree.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::ivr {

/// What the host must do next.
enum class ActionKind : std::uint8_t {
  play,      ///< Play `prompts` (ids) in `language`.
  collect,   ///< Collect up to `max_digits` (terminator, timeouts), then call on_digits/on_timeout.
  invoke,    ///< Run host action `name`, then call on_result(outcome).
  transfer,  ///< Transfer to queue `name` with `attributes`: the IVR leg ends.
  survey,    ///< Run survey `name`, then call on_result("done").
  hangup,    ///< Hang up: the IVR leg ends.
};
/// "play", "collect", ...
const char* to_string(ActionKind k) noexcept;

/// One instruction to the host. Views point into the tree (valid while the session holds it), so
/// a Session may be moved freely.
struct Action {
  ActionKind kind = ActionKind::play;
  std::span<const std::string> prompts;  ///< Prompt ids (look texts up with Tree::prompt).
  std::string_view language;
  std::string_view name;
  std::string readback;  ///< play: digits to read back for confirmation (then `prompts` is empty).
  int max_digits = 1;
  char terminator = 0;
  Duration timeout{};
  Duration inter_digit{};
  const std::vector<std::pair<std::string, std::string>>* attributes = nullptr;
};

/// How a call left the IVR.
enum class Outcome : std::uint8_t {
  in_progress = 0,
  self_service = 1,  ///< Completed in the IVR (a hangup node): contained.
  transferred = 2,   ///< To a human.
  abandoned = 3,     ///< The caller hung up in the IVR.
  step_limit = 4,    ///< The step limit sent the call to the agent target.
};
const char* to_string(Outcome o) noexcept;

/// What happened at one node visit.
struct Visit {
  int node = -1;
  Instant at{};
  std::string input;  ///< Digits, "timeout", an action outcome, "hangup", or "".
};

/// The record a session leaves behind.
struct Trajectory {
  std::string tree_version;
  Instant started{}, ended{};
  std::vector<Visit> visits;
  Outcome outcome = Outcome::in_progress;
  std::string queue;  ///< For transfers.
  int keys = 0;       ///< Key presses (DTMF inputs) in the IVR.

  std::string to_json(const Tree& tree) const;
  static Trajectory from_json(std::string_view json, const Tree& tree);
};

/// What the host knows about the caller when the call arrives.
struct CallInfo {
  std::string tier;      ///< "L1", "L2", "L3", "VIP", ...
  std::string language;  ///< Initial language ("" = the tree's fallback).
  std::map<std::string, std::string, std::less<>> attributes;  ///< Host attributes (ARPU, ...).
};

/// One call's walk through a tree. Deterministic; no allocation per event on the hot path beyond
/// the trajectory. Not thread-safe (one session per call; many sessions share one tree).
///
///   Session s(registry.latest(), {.tier = "L3"}, now);
///   for (const Action& a : s.actions()) host.perform(a);
///   s.on_digits("1", now + 6s);
class Session {
 public:
  Session(std::shared_ptr<const Tree> tree, CallInfo call, Instant now);

  /// The actions to perform now (replaced by each event).
  std::span<const Action> actions() const noexcept { return actions_; }
  /// Digits collected for the last menu / collect action. Errors: Error(invalid_state) when
  /// the session is not waiting for input.
  void on_digits(std::string_view digits, Instant now);
  /// No input before the timeout.
  void on_timeout(Instant now);
  /// Outcome of an invoke ("ok", "fail", ...) or "done" after a survey.
  void on_result(std::string_view outcome, Instant now);
  /// The caller hung up.
  void on_hangup(Instant now);

  bool finished() const noexcept { return trajectory_.outcome != Outcome::in_progress; }
  const Trajectory& trajectory() const noexcept { return trajectory_; }
  const Tree& tree() const noexcept { return *tree_; }
  int node() const noexcept { return node_; }
  bool verified() const noexcept { return verified_; }
  const std::string& language() const noexcept { return language_; }
  /// A session variable (collected digits), "" if unset.
  std::string_view variable(std::string_view name) const noexcept;

 private:
  enum class Wait : std::uint8_t { none, digits, result, done };
  void enter(int node, Instant now);
  void run(Instant now);
  void retry(bool noinput, Instant now);
  void finish(Outcome o, Instant now);
  void record(int node, Instant now, std::string_view input);
  void play(const std::vector<std::string>& ids);
  void collect(const Node& n, int max_digits);
  void set_language(std::string_view language);

  std::shared_ptr<const Tree> tree_;
  CallInfo call_;
  std::string language_;
  std::string_view language_view_;  // the same language, viewed in the tree (stable)
  std::vector<Action> actions_;
  Trajectory trajectory_;
  std::map<std::string, std::string, std::less<>> vars_;
  std::vector<int> returns_;  // subflow call stack
  std::vector<int> menus_;    // visited menus, for the back key
  int node_ = -1;
  int noinput_ = 0, nomatch_ = 0, steps_ = 0;
  bool verified_ = false;
  bool confirming_ = false;
  std::string pending_;  // digits awaiting confirmation
  Wait wait_ = Wait::none;
};

/// Versions of a tree by name: new calls get the newest, running calls keep theirs.
class Registry {
 public:
  /// Adds a version; returns its number (1, 2, ...).
  int publish(std::shared_ptr<const Tree> tree);
  /// The newest version; Error(not_found) when none was published.
  std::shared_ptr<const Tree> latest() const;
  /// A version by number; Error(not_found).
  std::shared_ptr<const Tree> version(int number) const;
  int count() const noexcept { return static_cast<int>(versions_.size()); }

 private:
  std::vector<std::shared_ptr<const Tree>> versions_;
};

/// Analytics over trajectories of one tree, each measure kept separate.
struct Analytics {
  int calls = 0;
  int self_service = 0, transferred = 0, abandoned = 0, step_limit = 0;
  double containment = 0;  ///< self_service / calls.
  double abandonment = 0;  ///< abandoned / calls.
  std::map<std::string, int> transfers_per_queue;
  std::map<std::string, int> drop_off_per_node;  ///< Abandons by the node where they happened.
  std::vector<std::pair<std::string, int>> top_paths;  ///< "a > b > c" -> calls, most first.
  double mean_seconds_to_agent = 0;                    ///< Transferred calls: IVR time.
  double p90_seconds_to_agent = 0;
};
Analytics analyze(const Tree& tree, const std::vector<Trajectory>& trajectories, int top = 10);

/// An offline caller model for simulate().
struct CallerModel {
  /// Per node id: key -> probability (the rest of the mass: timeout). Nodes not listed: the
  /// caller presses one of the node's keys uniformly with probability 1 - timeout_probability.
  std::map<std::string, std::map<char, double>, std::less<>> keys;
  double timeout_probability = 0.1;
  /// Per action name: outcome -> probability; not listed: "ok".
  std::map<std::string, std::map<std::string, double>, std::less<>> outcomes;
  /// Digits a collect node receives (not listed: max_digits ones).
  std::map<std::string, std::string, std::less<>> digits;
  Duration mean_patience{std::chrono::seconds{90}};  ///< Exponential patience in the IVR.
  Duration think_time{std::chrono::seconds{2}};      ///< After a prompt ends, before a key.
  std::string tier = "L3";

  /// From JSON: {"keys": {"national/main": {"1": 0.5, "0": 0.1}}, "timeout_probability": 0.1,
  /// "outcomes": {"verify_password": {"ok": 0.9, "fail": 0.1}}, "digits": {"node": "123456"},
  /// "mean_patience": "90s", "think_time": "2s", "tier": "L3"}. Errors name the JSON pointer.
  static CallerModel from_json(std::string_view json);

  /// How long the play actions of s.actions() take (each prompt's length in the session's
  /// language; prompts without a length count 0).
  static Duration prompt_time(const Session& s);

  /// What this caller does next in session `s`: the input and how long after now it comes
  /// (prompts heard, then think time, the collect timeout or 1 s for an action). kind none once
  /// the session is finished (`after`: its closing prompts). `language`: the caller's own
  /// language, pressed at a language node that offers it.
  struct Step {
    enum class Kind : std::uint8_t { none, digits, timeout, result } kind = Kind::none;
    std::string input;  ///< digits, or the action outcome / "done" (result).
    Duration after{};
  };
  Step next(const Session& s, Rng& rng, std::string_view language = {}) const;
};

/// Analytics as JSON: {calls, self_service, transferred, abandoned, step_limit, containment,
/// abandonment, transfers_per_queue, drop_off_per_node, top_paths: [{path, calls}],
/// mean_seconds_to_agent, p90_seconds_to_agent}.
std::string to_json(const Analytics& a);

/// Runs `calls` simulated callers through the tree, reproducibly from the seed.
std::vector<Trajectory> simulate(std::shared_ptr<const Tree> tree, const CallerModel& model,
                                 int calls, std::uint64_t seed, Instant start);

}  // namespace hotline::ivr
