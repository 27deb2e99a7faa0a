/* hotline C ABI umbrella header: include this one. Pure C99. */
#ifndef HOTLINE_H
#define HOTLINE_H

#include "hotline_calendar.h"
#include "hotline_common.h"
#include "hotline_escalation.h"
#include "hotline_ivr.h"
#include "hotline_routing.h"
#include "hotline_sim.h"
#include "hotline_sla.h"
#include "hotline_survey.h"
#include "hotline_workforce.h"

#endif /* HOTLINE_H */
