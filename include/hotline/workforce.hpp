// hotline workforce: umbrella header (shift scheduling, capacity planning).
#pragma once

#include <hotline/workforce/capacity.hpp>
#include <hotline/workforce/schedule.hpp>
