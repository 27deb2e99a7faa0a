// hotline survey: umbrella header (definitions, sampling, scoring, the dissatisfaction loop).
#pragma once

#include <hotline/survey/loop.hpp>
#include <hotline/survey/survey.hpp>
