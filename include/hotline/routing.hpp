// hotline::routing umbrella: policies, the router, the synchronised facade.
#pragma once

#include <hotline/routing/policy.hpp>
#include <hotline/routing/router.hpp>
#include <hotline/routing/shared.hpp>
