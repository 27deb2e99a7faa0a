// Internal: the C handles that more than one component's C source uses.
#pragma once

#include <string>
#include <vector>

#include <hotline/calendar/calendar.hpp>
#include <hotline/escalation/engine.hpp>
#include <hotline/ivr/session.hpp>

#include "hotline_calendar.h"
#include "hotline_escalation.h"
#include "hotline_ivr.h"

struct hotline_calendar {
  hotline::calendar::Calendar cal;
};

struct hotline_escalation_engine {
  hotline::escalation::Engine engine;
  std::vector<hotline::escalation::Notice> notices;  // of the last command or advance
};

struct hotline_ivr_session {
  hotline::ivr::Session session;
  // C views of the current actions, rebuilt after each event.
  std::vector<hotline_ivr_action> actions;
  std::vector<std::vector<const char*>> prompts;
  std::vector<std::vector<hotline_ivr_attribute>> attributes;
  std::vector<std::string> names;
};
