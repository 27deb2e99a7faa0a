// The subcommands of the hotline tool, one source file per component (<component>_cmd.cpp).
#pragma once

#include "args.hpp"

namespace hotline::cli {

/// hotline calendar add|between|explain|open|check ...
int run_calendar(Args& args);
/// hotline staff ... (Erlang staffing)
int run_staff(Args& args);
/// hotline sla FILE ... (service-level reports)
int run_sla(Args& args);
/// hotline schedule FILE ... (shift scheduling)
int run_schedule(Args& args);
/// hotline plan FILE ... (capacity planning)
int run_plan(Args& args);
/// hotline escalation validate|run|show|kpis ... (complaint work orders)
int run_escalation(Args& args);
/// hotline ivr validate|dot|run|diff|simulate ... (IVR trees)
int run_ivr(Args& args);
/// hotline survey validate|ivr|run ... (post-call surveys)
int run_survey(Args& args);
/// hotline routing validate|replay ... (routing policies, router event logs)
int run_routing(Args& args);
/// hotline simulate SCENARIO ... (the discrete-event simulator)
int run_sim(Args& args);

}  // namespace hotline::cli
