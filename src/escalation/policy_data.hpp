// Internal: the shared data behind an escalation::Policy.
#pragma once

#include <hotline/escalation/policy.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hotline::escalation {

struct Policy::Data {
  std::string name;
  std::string version;
  std::string canonical;
  std::string general_manager;
  double timeliness_target = 0.98;
  std::map<std::string, calendar::Calendar, std::less<>> calendars;
  std::optional<calendar::Calendar> quiet;
  std::vector<Severity> quiet_except;
  std::vector<Department> departments;
  int home_department = -1;
  std::vector<std::pair<std::string, std::uint16_t>> categories;
  std::vector<Workflow> workflows;
  std::vector<ImmediateRule> immediate;
  std::optional<RepeatRule> repeat;
};

}  // namespace hotline::escalation
