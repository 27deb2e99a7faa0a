// hotline sim: umbrella header (scenarios, the discrete-event simulator, the report).
#pragma once

#include <hotline/sim/scenario.hpp>
#include <hotline/sim/simulator.hpp>
