// hotline::survey — the dissatisfaction loop of seed 001 on the escalation engine, and the
// monthly agent assessment ("stars of the month").
//
// A "dissatisfied" answer alerts the agent's desktop (caller number, contact id) and opens a
// follow-up work order whose explanation clock (30 minutes in the example policy) runs on the
// escalation engine — no second timer system. The agent explains in time, or, when the clock
// breaches, the order is submitted automatically to the shift supervisor on duty and marked
// overdue. The supervisor reviews the recording, calls the customer back and records a verdict;
// "agent at fault" is a yellow card in that month.
#pragma once

#include <hotline/escalation/engine.hpp>
#include <hotline/survey/survey.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::survey {

/// Who supervises when (the host's shift roster).
class Roster {
 public:
  /// A shift [from, to) of `supervisor`. Error(invalid_argument) when to <= from.
  void add(Instant from, Instant to, std::string supervisor);
  /// The supervisor on duty at t (the latest-starting shift covering t); nullopt when none.
  std::optional<std::string> on_duty(Instant t) const;
  /// From JSON: [{"from": "2025-03-03T08:00:00+08:00", "to": "...", "supervisor": "sup-1"}].
  static Roster from_json(std::string_view json);

 private:
  struct Shift {
    Instant from, to;
    std::string supervisor;
  };
  std::vector<Shift> shifts_;
};

/// The desktop pop-up for the agent.
struct Alert {
  std::string agent;
  std::string caller;   ///< "caller 138... was not satisfied with your service just now".
  std::string contact;  ///< The contact id.
  Instant at{};
  escalation::OrderId order = 0;  ///< The follow-up work order.
  std::string text;               ///< The message to show.
};

enum class Verdict : std::uint8_t { agent_at_fault = 0, not_at_fault = 1 };

struct YellowCard {
  std::string agent;
  escalation::OrderId order = 0;
  Instant at{};
  std::chrono::year_month month{};  ///< In the zone of the loop's calendar.
  std::string reason;
};

/// The loop over an escalation engine whose policy has the follow-up category (examples:
/// escalation/policy.json, "dissatisfaction_followup"). Host-driven; one thread. The state lives
/// in the engine's work orders (and so in its store): yellow cards and overdue marks are read back
/// from the orders.
class Loop {
 public:
  /// `category` is the follow-up category; `department` the hotline centre's department id (the
  /// supervisor becomes the order's handler there); `zone` decides the months of yellow cards.
  Loop(escalation::Engine& engine, Roster roster, calendar::Calendar zone,
       std::string category = "dissatisfaction_followup", std::string department = "hotline");

  /// A dissatisfied answer for contact `c` at `now`: the alert and the follow-up order.
  Alert dissatisfied(const Contact& c, Instant now, std::string_view recording = {});
  /// The survey response of contact `c`: the alert when the follow-up question was answered
  /// "dissatisfied", nullopt otherwise.
  std::optional<Alert> on_response(const Definition& def, const Response& r, const Contact& c,
                                   Instant now, std::string_view recording = {});
  /// The agent's written explanation (submitted to the supervisor on duty).
  void explain(escalation::OrderId order, std::string_view agent, std::string_view text,
               Instant now);
  /// Advances the engine; an explanation clock that breaches submits the order automatically to
  /// the supervisor on duty and marks it overdue. Returns every notice (for the host's desktop).
  std::vector<escalation::Notice> advance(Instant now);
  /// The supervisor's steps.
  void review(escalation::OrderId order, std::string_view supervisor, std::string_view recording,
              Instant now);
  void call_back(escalation::OrderId order, std::string_view supervisor, std::string_view note,
                 Instant now);
  void verdict(escalation::OrderId order, std::string_view supervisor, Verdict v,
               std::string_view reason, Instant now);

  /// Whether the order was submitted automatically after the deadline.
  bool overdue(escalation::OrderId order) const;
  /// Yellow cards given (all months, or one month).
  std::vector<YellowCard> yellow_cards(std::optional<std::chrono::year_month> month = {}) const;

 private:
  std::string supervisor_at(Instant t) const;
  escalation::Engine& engine_;
  Roster roster_;
  calendar::Calendar zone_;
  std::string category_, department_;
};

/// One agent's line in the monthly assessment.
struct AgentMonth {
  std::string agent;
  int responses = 0;
  double satisfaction = 0;  ///< Rate, NaN without answers.
  double csat = 0;          ///< Top-2-box, NaN without answers.
  int yellow_cards = 0;
  std::optional<double> qa;  ///< Host-supplied quality score, 0 .. 100.
  double score = 0;          ///< Composite, see AssessmentWeights.
  int rank = 0;              ///< 1 = best.
  bool star = false;         ///< Star of the month.
};

struct AssessmentWeights {
  double survey = 0.5;           ///< Weight of the satisfaction rate (as 0 .. 100).
  double qa = 0.5;               ///< Weight of the QA score (0 .. 100); agents without QA get the
                                 ///< survey alone.
  double per_yellow_card = 5.0;  ///< Points off per yellow card.
  int stars = 3;                 ///< How many stars of the month.
  int min_responses = 10;        ///< Fewer survey answers: not ranked for a star.
};

/// The monthly table: survey scores per agent (group = agent name), yellow cards of the month,
/// host QA scores; ranked by score (ties by name). Stars: the best `stars` agents with enough
/// responses and no yellow card.
std::vector<AgentMonth> assess(const std::vector<Score>& by_agent,
                               const std::vector<YellowCard>& cards,
                               const std::vector<std::pair<std::string, double>>& qa,
                               const AssessmentWeights& weights = {});

/// assess() from JSON: {"agents": [{"agent": "a7", "responses": 40, "satisfied": 36,
/// "answered": 40, "qa": 90}], "yellow_cards": [{"agent": "a9"}], "weights": {"survey": 0.5,
/// "qa": 0.5, "per_yellow_card": 5, "stars": 3, "min_responses": 10}} -> the table as JSON
/// [{agent, responses, satisfaction, yellow_cards, qa, score, rank, star}]. Errors name the
/// pointer.
std::string assess_json(std::string_view input);

}  // namespace hotline::survey
