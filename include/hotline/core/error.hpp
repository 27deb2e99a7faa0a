// hotline: the one exception type of the C++ API.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

/// What went wrong, in categories a caller can act on. The numeric values are the negated C ABI
/// status codes (HOTLINE_EINVALID == -2, ...) and are pinned: never renumber, only append.
enum class ErrorCode : int {
  unknown = 1,             ///< Anything not covered below.
  invalid_argument = 2,    ///< A bad value passed to a function (negative duration, NULL, ...).
  invalid_definition = 3,  ///< A definition document (JSON) failed to parse or validate.
  not_found = 4,           ///< An id, name, zone or file that does not exist.
  invalid_state = 5,       ///< The object is not in a state that allows the operation.
  already_exists = 6,      ///< A duplicate id, key or command.
  io = 7,                  ///< Reading or writing a file or database failed.
  limit = 8,               ///< A size, depth or range limit was exceeded.
  out_of_memory = 9,       ///< Allocation failed.
  buffer_too_small = 10,   ///< C ABI only: the caller's buffer cannot hold the result.
  internal = 11,           ///< A bug in hotline; please report it.
};

/// Short stable name of a code, e.g. "invalid_definition".
const char* to_string(ErrorCode code) noexcept;

/// One problem found in a definition: where (a JSON pointer such as "/days/3/date", a
/// "line 12, column 4", or a node id) and what.
struct Diagnostic {
  std::string where;
  std::string message;
};

/// Thrown for invalid definitions and misuse. what() reads "<where>: <message>" and, when a
/// loader found several problems at once, lists every one of them.
///   `try { load(...); } catch (const hotline::Error& e) { log(e.code(), e.where(), e.what()); }`
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string where, std::string message);
  /// Several problems at once (a validator reports everything it finds). Must not be empty.
  Error(ErrorCode code, std::vector<Diagnostic> diagnostics);

  ErrorCode code() const noexcept { return code_; }
  /// Location of the first problem ("" when the error has no place).
  const std::string& where() const noexcept { return diagnostics_.front().where; }
  /// Message of the first problem, without its location.
  const std::string& message() const noexcept { return diagnostics_.front().message; }
  /// Every problem, in document order.
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  ErrorCode code_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace hotline
