#include "core/json.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace hotline::detail {

namespace {

// Line and column (1-based) of a byte offset, for syntax errors. Columns count characters
// (UTF-8 code points), as editors show them, not bytes: names are often Chinese.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {  // not a continuation byte
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

Json parse_json(std::string_view text, int max_depth) {
  // Depth and width first, by a scan outside strings: the parser would recurse before a callback
  // could stop it (and a callback parser is several times slower on large documents), and an
  // ordered object looks its keys up linearly, so a million-member object would take hours.
  {
    const auto limit = static_cast<std::size_t>(max_depth);
    struct Open {
      bool object;
      std::size_t members;
    };
    std::vector<Open> open;
    bool in_string = false, escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        if (open.size() >= limit) {
          throw Error(ErrorCode::limit, "document",
                      fmt::format("nesting deeper than {} levels", max_depth));
        }
        open.push_back({c == '{', 1});
      } else if (c == ',' && !open.empty() && open.back().object &&
                 ++open.back().members > kMaxObjectMembers) {
        const auto [line, column] = line_column(text, i);
        throw Error(ErrorCode::limit, fmt::format("line {}, column {}", line, column),
                    fmt::format("an object with more than {} members", kMaxObjectMembers));
      } else if ((c == '}' || c == ']') && !open.empty()) {
        open.pop_back();
      }
    }
  }
  try {
    return Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/true,
                       /*ignore_comments=*/false);
  } catch (const Json::parse_error& e) {
    // nlohmann reports the byte just past the offending token (1-based).
    const auto [line, column] = line_column(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string what = e.what();
    // Keep the parser's own description, drop its "[json.exception.parse_error.101] " prefix.
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    // and its "parse error at line 1, column 12: ", which counts bytes; the location is in where.
    if (what.rfind("parse error", 0) == 0) {
      if (auto pos = what.find(": "); pos != std::string::npos) what = what.substr(pos + 2);
    }
    throw Error(ErrorCode::invalid_definition, fmt::format("line {}, column {}", line, column),
                "invalid JSON: " + what);
  } catch (const Json::out_of_range& e) {
    // 406 "number overflow parsing '1e99999'": no position from nlohmann, so find the number.
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    std::string where = "document";
    if (auto a = what.find('\''), b = what.rfind('\''); a != std::string::npos && b > a + 1) {
      if (auto at = text.find(std::string_view(what).substr(a + 1, b - a - 1));
          at != std::string_view::npos) {
        const auto [line, column] = line_column(text, at);
        where = fmt::format("line {}, column {}", line, column);
      }
    }
    throw Error(ErrorCode::invalid_definition, where, "invalid JSON: " + what);
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, path.string(), "cannot open file for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw Error(ErrorCode::io, path.string(), "read failed");
  return std::move(buffer).str();
}

std::string pointer_child(std::string_view parent, std::string_view key) {
  std::string out(parent);
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_child(std::string_view parent, std::size_t index) {
  return fmt::format("{}/{}", parent, index);
}

const char* json_type_name(const Json& j) noexcept {
  switch (j.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer";
    case Json::value_t::number_float:
      return "number";
    default:
      return "value";
  }
}

void fail_at(std::string where, std::string message) {
  throw Error(ErrorCode::invalid_definition, std::move(where), std::move(message));
}

ObjectReader::ObjectReader(const Json& j, std::string pointer)
    : j_(j), pointer_(std::move(pointer)) {
  if (!j_.is_object()) {
    fail_at(pointer_.empty() ? "/" : pointer_,
            fmt::format("expected an object, found {}", json_type_name(j_)));
  }
}

bool ObjectReader::has(std::string_view key) const { return j_.contains(key); }

const Json* ObjectReader::find(std::string_view key) {
  seen_.emplace_back(key);
  auto it = j_.find(key);
  return it == j_.end() ? nullptr : &*it;
}

const Json& ObjectReader::require(std::string_view key) {
  const Json* v = find(key);
  if (v == nullptr) fail_at(at(key), "missing required field");
  return *v;
}

std::string ObjectReader::string(std::string_view key) {
  const Json& v = require(key);
  if (!v.is_string())
    fail_at(at(key), fmt::format("expected a string, found {}", json_type_name(v)));
  return v.get<std::string>();
}

std::optional<std::string> ObjectReader::optional_string(std::string_view key) {
  if (!has(key)) {
    seen_.emplace_back(key);
    return std::nullopt;
  }
  return string(key);
}

double ObjectReader::number(std::string_view key) {
  const Json& v = require(key);
  if (!v.is_number())
    fail_at(at(key), fmt::format("expected a number, found {}", json_type_name(v)));
  return v.get<double>();
}

std::optional<double> ObjectReader::optional_number(std::string_view key) {
  if (!has(key)) {
    seen_.emplace_back(key);
    return std::nullopt;
  }
  return number(key);
}

std::int64_t ObjectReader::integer(std::string_view key) {
  const Json& v = require(key);
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      fail_at(at(key), "integer out of range");
    }
    return v.get<std::int64_t>();
  }
  fail_at(at(key), fmt::format("expected an integer, found {}", json_type_name(v)));
}

std::optional<std::int64_t> ObjectReader::optional_integer(std::string_view key) {
  if (!has(key)) {
    seen_.emplace_back(key);
    return std::nullopt;
  }
  return integer(key);
}

bool ObjectReader::boolean(std::string_view key, bool fallback) {
  const Json* v = find(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) {
    fail_at(at(key), fmt::format("expected true or false, found {}", json_type_name(*v)));
  }
  return v->get<bool>();
}

const Json* ObjectReader::optional_array(std::string_view key) {
  const Json* v = find(key);
  if (v != nullptr && !v->is_array()) {
    fail_at(at(key), fmt::format("expected an array, found {}", json_type_name(*v)));
  }
  return v;
}

const Json& ObjectReader::array(std::string_view key) {
  const Json& v = require(key);
  if (!v.is_array())
    fail_at(at(key), fmt::format("expected an array, found {}", json_type_name(v)));
  return v;
}

void ObjectReader::allow(std::initializer_list<std::string_view> keys) {
  for (auto k : keys) seen_.emplace_back(k);
}

void ObjectReader::finish() const {
  for (const auto& [key, value] : j_.items()) {
    if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) {
      fail_at(at(key), "unknown field");
    }
  }
}

void Diagnostics::throw_if_any(ErrorCode code) const {
  if (!items_.empty()) throw Error(code, items_);
}

}  // namespace hotline::detail
