// Internal: JSON forms of agent profiles, contact specs and decisions (C ABI, CLI, Python).
#pragma once

#include <string>

#include <hotline/routing/router.hpp>

#include "core/json.hpp"

namespace hotline::routing::detail_io {

/// Both report the field at fault as a JSON pointer below `where`.
AgentProfile profile_from_json(const hotline::detail::Json& j, const std::string& where);
ContactSpec spec_from_json(const hotline::detail::Json& j, const std::string& where);
/// One decision as a JSON object (queue names, kind and rule names, the explanation).
hotline::detail::Json decision_json(const Decision& d, const Policy& policy);

}  // namespace hotline::routing::detail_io
