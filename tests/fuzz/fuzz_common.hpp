// Shared checks for the libFuzzer targets: the contract every C entry point keeps on bad input.
#pragma once

#include <hotline.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace fuzz {

/// Aborts (a finding) when a failed call breaks the error contract of docs/errors.md: a negative
/// status with a named code, a non-empty message, a location string, and no half-made handle.
/// HOTLINE_EINTERNAL (an exception hotline did not expect) is a finding too.
inline void check_status(int rc, const void* out_handle = nullptr) {
  if (rc == HOTLINE_OK) return;
  const char* name = hotline_status_name(rc);
  const char* msg = hotline_error_last();
  const char* where = hotline_error_where();
  if (rc > 0 || name == nullptr || std::strcmp(name, "UNKNOWN") == 0 || rc == HOTLINE_EINTERNAL ||
      msg == nullptr || msg[0] == '\0' || where == nullptr || out_handle != nullptr) {
    std::fprintf(stderr, "error contract broken: rc=%d name=%s msg=%s where=%s handle=%p\n", rc,
                 name ? name : "(null)", msg ? msg : "(null)", where ? where : "(null)",
                 out_handle);
    std::abort();
  }
}

/// 2025-01-01T00:00:00Z in milliseconds: the fuzz targets' reference instant.
constexpr hotline_time_ms kBase = 1735689600000LL;

}  // namespace fuzz
