// Internal: strict JSON reading with error locations, shared by every definition loader.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <hotline/core/error.hpp>

namespace hotline::detail {

using Json = nlohmann::ordered_json;

/// Members one JSON object may have (lists are arrays; objects are records and small maps).
inline constexpr std::size_t kMaxObjectMembers = 10'000;

/// Parses JSON text; a syntax error throws Error(invalid_definition) located "line L, column C".
/// Nesting deeper than max_depth, or an object with more than kMaxObjectMembers members, is
/// refused (limit) before the parser starts.
Json parse_json(std::string_view text, int max_depth = 64);

/// Reads a whole file; throws Error(io) naming the path.
std::string read_file(const std::filesystem::path& path);

/// JSON pointer of key (RFC 6901 escaping) below parent, e.g. child("/days/3", "date").
std::string pointer_child(std::string_view parent, std::string_view key);
std::string pointer_child(std::string_view parent, std::size_t index);

/// "string", "number", ... for messages.
const char* json_type_name(const Json& j) noexcept;

[[noreturn]] void fail_at(std::string where, std::string message);

/// A view of one JSON object that knows its pointer and which keys were read, so that finish()
/// can reject unknown (misspelt) keys. Accessors throw Error(invalid_definition) at the field.
class ObjectReader {
 public:
  /// Throws if j is not an object.
  ObjectReader(const Json& j, std::string pointer);

  const std::string& pointer() const noexcept { return pointer_; }
  std::string at(std::string_view key) const { return pointer_child(pointer_, key); }
  bool has(std::string_view key) const;
  /// The raw member or nullptr; marks the key as known.
  const Json* find(std::string_view key);
  /// The raw member; throws "missing required field" when absent.
  const Json& require(std::string_view key);

  std::string string(std::string_view key);
  std::optional<std::string> optional_string(std::string_view key);
  double number(std::string_view key);
  std::optional<double> optional_number(std::string_view key);
  std::int64_t integer(std::string_view key);
  std::optional<std::int64_t> optional_integer(std::string_view key);
  bool boolean(std::string_view key, bool fallback);
  /// Throws when the member is present but not an array.
  const Json* optional_array(std::string_view key);
  const Json& array(std::string_view key);

  /// Throws on the first key that no accessor asked for.
  void finish() const;
  /// Marks keys as known without reading them.
  void allow(std::initializer_list<std::string_view> keys);

 private:
  const Json& j_;
  std::string pointer_;
  std::vector<std::string> seen_;
};

/// Collects problems so a validator can report all of them at once.
class Diagnostics {
 public:
  void add(std::string where, std::string message) {
    items_.push_back({std::move(where), std::move(message)});
  }
  bool empty() const noexcept { return items_.empty(); }
  /// Throws Error(code, all diagnostics) when any were added.
  void throw_if_any(ErrorCode code = ErrorCode::invalid_definition) const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace hotline::detail
