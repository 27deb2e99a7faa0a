// hotline: product version. CMake reads the numbers from this file.
#pragma once

#define HOTLINE_VERSION_MAJOR 0
#define HOTLINE_VERSION_MINOR 1
#define HOTLINE_VERSION_PATCH 0
/// Single comparable number: major * 10000 + minor * 100 + patch.
#define HOTLINE_VERSION \
  (HOTLINE_VERSION_MAJOR * 10000 + HOTLINE_VERSION_MINOR * 100 + HOTLINE_VERSION_PATCH)

namespace hotline {

/// The version of the library actually linked, e.g. "0.1.0". Compare with HOTLINE_VERSION
/// to detect a header/library mismatch:  `assert(hotline::version() == "0.1.0");`
const char* version() noexcept;

}  // namespace hotline
