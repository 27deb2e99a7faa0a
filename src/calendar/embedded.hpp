// Internal: a calendar embedded in another definition document, inline or as {"file": ...}.
#pragma once

#include <filesystem>
#include <string>

#include <hotline/calendar/calendar.hpp>

#include "core/json.hpp"

namespace hotline::calendar::detail {

/// Reads the calendar at `where` (a JSON pointer in the enclosing document): an inline calendar
/// object, or {"file": path} with a relative path resolved against base_dir. Errors inside the
/// calendar are re-located below `where`. `canonical` receives the calendar's canonical JSON, so
/// the enclosing document can be stored self-contained.
Calendar read_embedded(const hotline::detail::Json& j, const std::string& where,
                       const std::filesystem::path& base_dir, hotline::detail::Json& canonical);

}  // namespace hotline::calendar::detail
