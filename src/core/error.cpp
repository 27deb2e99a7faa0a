#include <hotline/core/error.hpp>

#include <fmt/format.h>

namespace hotline {

namespace {

std::string compose(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (!out.empty()) out += '\n';
    if (d.where.empty()) {
      out += d.message;
    } else {
      out += fmt::format("{}: {}", d.where, d.message);
    }
  }
  if (diagnostics.size() > 1) {
    out = fmt::format("{} problems:\n{}", diagnostics.size(), out);
  }
  return out;
}

}  // namespace

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::unknown:
      return "unknown";
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::invalid_definition:
      return "invalid_definition";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::invalid_state:
      return "invalid_state";
    case ErrorCode::already_exists:
      return "already_exists";
    case ErrorCode::io:
      return "io";
    case ErrorCode::limit:
      return "limit";
    case ErrorCode::out_of_memory:
      return "out_of_memory";
    case ErrorCode::buffer_too_small:
      return "buffer_too_small";
    case ErrorCode::internal:
      return "internal";
  }
  return "unknown";
}

Error::Error(ErrorCode code, std::string where, std::string message)
    : Error(code, std::vector<Diagnostic>{{std::move(where), std::move(message)}}) {}

Error::Error(ErrorCode code, std::vector<Diagnostic> diagnostics)
    : std::runtime_error(compose(diagnostics)), code_(code), diagnostics_(std::move(diagnostics)) {
  if (diagnostics_.empty()) diagnostics_.push_back({"", "unspecified error"});
}

}  // namespace hotline
