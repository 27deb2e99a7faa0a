// Internal: the one boundary every C entry point goes through.
#pragma once

#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>

#include <hotline/core/error.hpp>

#include "hotline_common.h"

namespace hotline::capi {

/// Records the thread-local error for hotline_error_last() / hotline_error_where().
void set_error(int status, std::string where, std::string message) noexcept;
void clear_error() noexcept;

/// The C status for a C++ error code.
int status_of(ErrorCode code) noexcept;

/// Runs body (returning void or an int status) and turns every exception into a status code with
/// a thread-local message, so that no exception ever crosses the C boundary.
template <class Body>
int guard(Body&& body) noexcept {
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<Body>>) {
      body();
      return HOTLINE_OK;
    } else {
      return body();
    }
  } catch (const Error& e) {
    const int status = status_of(e.code());
    // Keep the full text (every diagnostic) in the message; where() is the first location.
    set_error(status, e.where(), e.what());
    return status;
  } catch (const std::bad_alloc&) {
    set_error(HOTLINE_ENOMEM, "", "out of memory");
    return HOTLINE_ENOMEM;
  } catch (const std::exception& e) {
    set_error(HOTLINE_EINTERNAL, "", std::string("internal error: ") + e.what());
    return HOTLINE_EINTERNAL;
  } catch (...) {
    set_error(HOTLINE_EINTERNAL, "", "internal error: unknown exception");
    return HOTLINE_EINTERNAL;
  }
}

/// Fails with HOTLINE_EINVALID naming the argument when p is NULL.
inline void require(const void* p, const char* name) {
  if (p == nullptr) {
    throw Error(ErrorCode::invalid_argument, name, std::string(name) + " must not be NULL");
  }
}

/// The int a C caller passed in an enum parameter or field. Reading it as the C++ enum type
/// would be undefined for values outside the enum's range, so read the raw bits.
template <class E>
int raw(const E& e) noexcept {
  static_assert(sizeof(E) == sizeof(int));
  int v = 0;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

/// Copies s into a caller buffer (NUL-terminated) with the EBUFFER protocol of the headers.
int copy_out(std::string_view s, char* buf, std::size_t cap, std::size_t* needed);

}  // namespace hotline::capi
