// hotline escalation: umbrella header (policies, the work-order engine, stores).
#pragma once

#include <hotline/escalation/engine.hpp>
#include <hotline/escalation/policy.hpp>
#include <hotline/escalation/shared.hpp>
#include <hotline/escalation/store.hpp>
