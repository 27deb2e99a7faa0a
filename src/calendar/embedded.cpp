#include "calendar/embedded.hpp"

#include <vector>

#include <fmt/format.h>

namespace hotline::calendar::detail {

using hotline::detail::fail_at;
using hotline::detail::Json;
using hotline::detail::ObjectReader;

Calendar read_embedded(const Json& j, const std::string& where,
                       const std::filesystem::path& base_dir, Json& canonical) {
  if (!j.is_object()) {
    fail_at(where, fmt::format("expected a calendar object or {{\"file\": ...}}, found {}",
                               hotline::detail::json_type_name(j)));
  }
  std::string text;
  if (j.contains("file")) {
    ObjectReader r(j, where);
    const std::string file = r.string("file");
    r.finish();
    std::filesystem::path p(file);
    if (p.is_relative()) p = base_dir / p;
    try {
      text = hotline::detail::read_file(p);
    } catch (const Error& e) {
      fail_at(r.at("file"), e.message());
    }
  } else {
    text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  try {
    Calendar cal = Calendar::from_json(text);
    canonical = Json::parse(cal.to_json());
    return cal;
  } catch (const Error& e) {
    // Calendar errors are located inside the calendar document: prefix its place.
    std::vector<Diagnostic> ds;
    for (const Diagnostic& d : e.diagnostics()) {
      const bool pointer = d.where.empty() || d.where.front() == '/';
      ds.push_back({pointer ? where + d.where : fmt::format("{} ({})", where, d.where), d.message});
    }
    throw Error(ErrorCode::invalid_definition, std::move(ds));
  }
}

}  // namespace hotline::calendar::detail
