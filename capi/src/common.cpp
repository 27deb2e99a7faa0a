#include <string>

#include <hotline/core/version.hpp>

#include "guard.hpp"
#include "hotline_common.h"

namespace hotline::capi {

namespace {
thread_local std::string t_message;
thread_local std::string t_where;
}  // namespace

void set_error(int status, std::string where, std::string message) noexcept {
  try {
    t_where = std::move(where);
    t_message = message.empty() ? std::string(hotline_status_name(status)) : std::move(message);
  } catch (...) {
    t_where.clear();
    t_message.clear();
  }
}

void clear_error() noexcept {
  t_where.clear();
  t_message.clear();
}

int status_of(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument:
      return HOTLINE_EINVALID;
    case ErrorCode::invalid_definition:
      return HOTLINE_EDEFINITION;
    case ErrorCode::not_found:
      return HOTLINE_ENOTFOUND;
    case ErrorCode::invalid_state:
      return HOTLINE_ESTATE;
    case ErrorCode::already_exists:
      return HOTLINE_EEXISTS;
    case ErrorCode::io:
      return HOTLINE_EIO;
    case ErrorCode::limit:
      return HOTLINE_ELIMIT;
    case ErrorCode::out_of_memory:
      return HOTLINE_ENOMEM;
    case ErrorCode::buffer_too_small:
      return HOTLINE_EBUFFER;
    case ErrorCode::internal:
      return HOTLINE_EINTERNAL;
    case ErrorCode::unknown:
      break;
  }
  return HOTLINE_ERROR;
}

int copy_out(std::string_view s, char* buf, std::size_t cap, std::size_t* needed) {
  if (needed != nullptr) *needed = s.size();
  if (buf == nullptr || cap < s.size() + 1) {
    if (buf == nullptr && cap != 0) require(buf, "buf");
    throw Error(ErrorCode::buffer_too_small, "cap",
                "buffer too small: " + std::to_string(s.size() + 1) + " bytes needed");
  }
  s.copy(buf, s.size());
  buf[s.size()] = '\0';
  return HOTLINE_OK;
}

}  // namespace hotline::capi

extern "C" {

const char* hotline_error_last(void) { return hotline::capi::t_message.c_str(); }

const char* hotline_error_where(void) { return hotline::capi::t_where.c_str(); }

const char* hotline_status_name(int status) {
  switch (status) {
    case HOTLINE_OK:
      return "OK";
    case HOTLINE_ERROR:
      return "ERROR";
    case HOTLINE_EINVALID:
      return "EINVALID";
    case HOTLINE_EDEFINITION:
      return "EDEFINITION";
    case HOTLINE_ENOTFOUND:
      return "ENOTFOUND";
    case HOTLINE_ESTATE:
      return "ESTATE";
    case HOTLINE_EEXISTS:
      return "EEXISTS";
    case HOTLINE_EIO:
      return "EIO";
    case HOTLINE_ELIMIT:
      return "ELIMIT";
    case HOTLINE_ENOMEM:
      return "ENOMEM";
    case HOTLINE_EBUFFER:
      return "EBUFFER";
    case HOTLINE_EINTERNAL:
      return "EINTERNAL";
    default:
      return "UNKNOWN";
  }
}

const char* hotline_version(int* major, int* minor, int* patch) {
  if (major != nullptr) *major = HOTLINE_VERSION_MAJOR;
  if (minor != nullptr) *minor = HOTLINE_VERSION_MINOR;
  if (patch != nullptr) *patch = HOTLINE_VERSION_PATCH;
  return hotline::version();
}

int hotline_abi_version(void) { return HOTLINE_ABI_VERSION; }

}  // extern "C"
