// hotline ivr: umbrella header (tree definitions and verification, sessions, analytics).
#pragma once

#include <hotline/ivr/session.hpp>
#include <hotline/ivr/tree.hpp>
