// hotline core: time, errors, random numbers, version.
#pragma once

#include <hotline/core/error.hpp>
#include <hotline/core/random.hpp>
#include <hotline/core/time.hpp>
#include <hotline/core/version.hpp>
