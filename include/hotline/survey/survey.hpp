// hotline::survey — post-call satisfaction surveys: definitions as data compiled to an IVR flow,
// deterministic sampling with suppression and quotas, responses, and scoring with confidence
// intervals aggregated per agent, team, queue, interval, day and month. JSON: docs/survey.md.
#pragma once

#include <hotline/calendar/calendar.hpp>
#include <hotline/core/time.hpp>
#include <hotline/ivr/session.hpp>
#include <hotline/ivr/tree.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotline::survey {

/// The answer scale of a question (values stored as small integers).
enum class Scale : std::uint8_t {
  satisfaction = 0,  ///< Key 1 satisfied (value 1), key 2 dissatisfied (value 0).
  yes_no = 1,        ///< Key 1 yes (1), key 2 no (0).
  five_point = 2,    ///< 1 .. 5 (CSAT; top-2-box = 4 or 5).
  nps = 3,           ///< 0 .. 10, "10" ends with # or the inter-digit timeout.
  ces = 4,           ///< Customer effort 1 .. 7.
};
/// "satisfaction", "yes_no", "five_point", "nps", "ces".
const char* to_string(Scale s) noexcept;

/// At most this many questions per survey (responses are fixed-size for fast aggregation).
inline constexpr std::size_t kMaxQuestions = 8;
/// An unanswered question (timeouts and invalid keys used up the retries).
inline constexpr std::int8_t kNoResponse = -1;

struct Question {
  std::string id;
  Scale scale = Scale::satisfaction;
  std::vector<std::string> prompts;  ///< Prompt ids in the survey's prompt library.
};

/// Who is asked (issue: percentage sample from a seed and the contact id; suppression; exclusions;
/// a quota per agent).
struct Sampling {
  double percent = 100;    ///< Share of eligible contacts sampled, 0 .. 100.
  std::uint64_t seed = 0;  ///< With the contact id, decides the sample deterministically.
  Duration suppression{};  ///< A customer surveyed within this is not asked again.
  bool exclude_transferred = true;
  bool exclude_callbacks = true;
  Duration min_talk{};              ///< Shorter calls are not surveyed.
  int quota_per_agent_per_day = 0;  ///< 0: no quota.
};

/// The dissatisfaction follow-up (seed 001): which question and answer trigger it and the
/// escalation category that carries it (30-minute explanation clock in the example policy).
struct FollowUp {
  std::string question;  ///< A satisfaction question id.
  std::string category = "dissatisfaction_followup";
};

/// A validated survey definition. Load with from_json / load (errors name the JSON pointer).
class Definition {
 public:
  static Definition from_json(std::string_view json);
  static Definition load(const std::filesystem::path& path);

  const std::string& name() const noexcept { return name_; }
  const std::string& version() const noexcept { return version_; }
  const std::vector<Question>& questions() const noexcept { return questions_; }
  const Sampling& sampling() const noexcept { return sampling_; }
  const std::optional<FollowUp>& follow_up() const noexcept { return follow_up_; }
  /// Index of a question, -1 if unknown.
  int question_index(std::string_view id) const noexcept;

  /// The survey as an IVR document (an intro, one collect per question with retries, then
  /// thanks and return): run it as its own tree, or compose it as a sub-flow after the agent leg.
  /// The answer to question q lands in session variable "q".
  ivr::Document to_ivr() const;

 private:
  std::string name_, version_, json_;
  std::vector<Question> questions_;
  Sampling sampling_;
  std::optional<FollowUp> follow_up_;
  int retries_ = 2;
  Duration timeout_{std::chrono::seconds{5}};
  std::vector<std::string> languages_;
  std::string fallback_;
  std::string prompts_json_;  // the prompt library, passed through to the IVR document
  std::vector<std::string> intro_, thanks_;
};

/// A handled contact, as the host knows it when the agent leg ends.
struct Contact {
  std::string id;
  std::string customer;  ///< Caller number.
  std::string agent;
  Instant ended{};
  Duration talk{};
  bool transferred = false;
  bool callback = false;
};

/// Why a contact was (not) surveyed.
enum class Decision : std::uint8_t {
  sampled = 0,
  not_sampled = 1,  ///< Outside the percentage sample.
  suppressed = 2,   ///< Customer surveyed within the suppression window.
  transferred = 3,
  callback = 4,
  too_short = 5,
  quota = 6,  ///< The agent's daily quota is full.
};
const char* to_string(Decision d) noexcept;

/// Deterministic sampling with state (suppression, quotas). Host-driven; one thread.
class Sampler {
 public:
  /// Quota days are counted in the calendar's zone.
  Sampler(const Definition& def, calendar::Calendar zone);
  /// Decides for a contact; a sampled contact counts towards suppression and quota.
  Decision decide(const Contact& c);
  /// The sample draw alone: the same for a contact id and seed on every run and machine.
  static bool in_sample(std::string_view contact_id, std::uint64_t seed, double percent) noexcept;

 private:
  Sampling s_;
  calendar::Calendar zone_;
  std::unordered_map<std::string, Instant> last_surveyed_;
  std::map<std::pair<std::string, std::int64_t>, int> per_agent_day_;
};

/// One survey response. Group ids (agent, team, queue) are small integers the host assigns
/// (interned names): aggregation then runs on flat arrays.
struct Response {
  std::uint32_t agent = 0, team = 0, queue = 0;
  Instant at{};
  std::array<std::int8_t, kMaxQuestions> answers{};  ///< kNoResponse when unanswered.
  bool responded = false;                            ///< At least one answer.
};

/// The answers a finished survey session collected (variables named by question id).
Response response_from(const Definition& def, const ivr::Session& session);

/// A proportion with its Wilson score interval (95%).
struct Proportion {
  int successes = 0, n = 0;
  double value = 0, low = 0, high = 0;  ///< NaN when n == 0.
};
/// Wilson score interval at z (1.96: 95%). Reference: Wilson (1927); Newcombe (1998), method 3.
Proportion wilson(int successes, int n, double z = 1.96);

/// Scores of one group.
struct Score {
  std::string group;  ///< Agent / team / queue id as text, or the interval's start.
  int offered = 0;    ///< Surveys started.
  int responded = 0;
  double response_rate = 0;
  Proportion satisfaction;  ///< Satisfied / answered, first satisfaction question.
  Proportion csat;          ///< Top-2-box of the first five-point question.
  double nps = 0, nps_low = 0, nps_high = 0;  ///< -100 .. 100 with the normal interval.
  int nps_n = 0;
  double ces = 0;  ///< Mean effort (first CES question).
  int ces_n = 0;
  /// Set when the interval of the satisfaction rate is wider than the requested precision: the
  /// responses needed for it, estimated as z^2 p(1-p) / E^2.
  std::optional<int> more_needed;
};

/// How responses are grouped.
enum class GroupBy : std::uint8_t { all, agent, team, queue, interval30, day, month };

/// Aggregates responses (answers indexed by the definition's questions). `precision` is the
/// half-width wanted for the satisfaction rate (e.g. 0.05), in (0, 1) (otherwise invalid_argument
/// at "precision"). Day and month boundaries (and the 30-minute intervals) are in the calendar's
/// zone.
std::vector<Score> aggregate(const Definition& def, std::span<const Response> responses, GroupBy by,
                             const calendar::Calendar& zone, double precision = 0.05);

}  // namespace hotline::survey
