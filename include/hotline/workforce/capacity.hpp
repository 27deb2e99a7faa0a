// hotline::workforce — month-by-month capacity planning: volume growth, attrition, hiring with a
// training lead time, shrinkage and overtime against the staffing the SLA targets need.
#pragma once

#include <hotline/core/time.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::workforce {

/// How hires are decided.
enum class HiringPolicy {
  planned,   ///< Hire now for the need `lead` months ahead (the lead time is the training).
  reactive,  ///< Hire only when the current month is short: the hires arrive `lead` months late.
  fixed,     ///< The `hires` list, month by month (0 after its end).
};

/// A plan runs one staffing search per interval of every month and lead month: at most this many
/// (600 months of 15-minute intervals are 57,600; validate() answers a limit error beyond).
inline constexpr std::int64_t kMaxStaffingSearches = 100'000;

/// Inputs of a capacity plan (JSON format in docs/workforce.md).
struct CapacityPlanInput {
  std::chrono::year_month start{std::chrono::year{2026} / std::chrono::January};
  int months = 24;
  double calls_per_month = 0;       ///< Agent-handled calls in the first month.
  double annual_growth = 0.10;      ///< Volume growth per year (8-15% at a provincial hotline).
  std::vector<double> seasonality;  ///< Optional factor per calendar month (12 values, Jan first).
  Duration aht{std::chrono::seconds{300}};
  double service_level = 0.80;  ///< Target fraction answered within threshold.
  Duration threshold{std::chrono::seconds{20}};
  std::optional<Duration> patience;  ///< Erlang A instead of C.
  /// Share of a day's calls per interval (sums to 1). Default: a typical 7x24 hotline day.
  std::vector<double> day_profile;
  Duration interval{std::chrono::minutes{30}};
  double shrinkage = 0.30;            ///< Paid time not on the phones (breaks, meetings, ...).
  double paid_hours_per_month = 174;  ///< Per agent (21.75 days x 8 h).
  double attrition_per_month = 0.05;  ///< Leavers / agents per month (~5% in the seeds).
  Duration training{std::chrono::hours{315}};  ///< Before a new agent takes calls.
  double training_hours_per_month = 160;       ///< Classroom hours a trainee gets per month.
  double max_overtime = 0.10;                  ///< Overtime available, fraction of paid hours.
  /// The spiral: attrition rises by this fraction of itself for each unit of overtime used, e.g.
  /// 3.0 with 10% overtime gives 5% x (1 + 0.3) = 6.5% attrition that month.
  double attrition_per_overtime = 3.0;
  std::int64_t agents = 0;    ///< Productive agents at the start.
  std::int64_t trainees = 0;  ///< Already in training at the start (finish in `lead`).
  HiringPolicy policy = HiringPolicy::planned;
  std::vector<std::int64_t> hires;                  ///< For HiringPolicy::fixed.
  std::optional<std::int64_t> max_hires_per_month;  ///< Recruiting capacity.

  static CapacityPlanInput from_json(std::string_view json);
  static CapacityPlanInput load(const std::filesystem::path& path);
  /// Throws Error(invalid_argument) naming the field; Error(limit) at "/interval" when the plan
  /// would need more than kMaxStaffingSearches staffing searches.
  void validate() const;
  /// Months of training before a hire takes calls: ceil(training / training_hours_per_month).
  int lead_months() const;
};

struct MonthPlan {
  std::chrono::year_month month{};
  double calls = 0;             ///< Agent-handled calls forecast.
  double required_fte = 0;      ///< Agents (paid FTE) the targets need, shrinkage included.
  std::int64_t productive = 0;  ///< Taking calls during the month (after this month's leavers).
  std::int64_t in_training = 0;
  std::int64_t hires = 0;  ///< Started training this month.
  std::int64_t leavers = 0;
  double attrition = 0;      ///< The rate applied this month (spiral included).
  double overtime = 0;       ///< Fraction of paid hours worked as overtime.
  double shortfall_fte = 0;  ///< max(0, required - productive x (1 + overtime)).
  double service_level = 0;  ///< Projected, volume-weighted, with the staff available.
};

struct CapacityPlan {
  std::vector<MonthPlan> months;
  int lead_months = 0;
  std::int64_t total_hires = 0;
  int months_meeting_target = 0;  ///< Months whose projected service level meets the target.
};

/// Runs the plan month by month (deterministic; fractional leavers are rounded to the nearest
/// agent). The staffing need of a month comes from hotline::sla (Erlang C, or A with patience)
/// over the day profile.
CapacityPlan plan_capacity(const CapacityPlanInput& input);

}  // namespace hotline::workforce
