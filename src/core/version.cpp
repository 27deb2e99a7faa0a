#include <hotline/core/version.hpp>

#define HOTLINE_STR2(x) #x
#define HOTLINE_STR(x) HOTLINE_STR2(x)

namespace hotline {

const char* version() noexcept {
  return HOTLINE_STR(HOTLINE_VERSION_MAJOR) "." HOTLINE_STR(HOTLINE_VERSION_MINOR) "." HOTLINE_STR(
      HOTLINE_VERSION_PATCH);
}

}  // namespace hotline
