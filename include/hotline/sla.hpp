// hotline sla: umbrella header (service levels, sliding window, Erlang math, records and reports).
#pragma once

#include <hotline/sla/erlang.hpp>
#include <hotline/sla/records.hpp>
#include <hotline/sla/service_level.hpp>
#include <hotline/sla/sliding_window.hpp>
