// hotline sla: contact records, readers, interval aggregation, targets, compliance, ratios.
#include <hotline/core/error.hpp>
#include <hotline/sla/records.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <date/tz.h>
#include <fmt/format.h>

#include "calendar/calendar_internal.hpp"
#include "core/json.hpp"
#include "core/saturate.hpp"

namespace hotline::sla {

namespace {

[[noreturn]] void fail_line(std::size_t line, std::size_t column, std::string message) {
  throw Error(ErrorCode::invalid_argument, fmt::format("line {}, column {}", line, column),
              std::move(message));
}

constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Names

const char* to_string(Outcome outcome) noexcept {
  switch (outcome) {
    case Outcome::answered:
      return "answered";
    case Outcome::abandoned:
      return "abandoned";
    case Outcome::timeout:
      return "timeout";
    case Outcome::other:
      return "other";
  }
  return "unknown";
}

Outcome parse_outcome(std::string_view text) {
  if (text == "answered") return Outcome::answered;
  if (text == "abandoned") return Outcome::abandoned;
  if (text == "timeout") return Outcome::timeout;
  if (text == "other") return Outcome::other;
  throw Error(
      ErrorCode::invalid_argument, "outcome",
      fmt::format("unknown outcome '{}' (expected answered, abandoned, timeout or other)", text));
}

const char* to_string(Granularity g) noexcept {
  switch (g) {
    case Granularity::minutes15:
      return "15m";
    case Granularity::minutes30:
      return "30m";
    case Granularity::minutes60:
      return "60m";
    case Granularity::day:
      return "day";
    case Granularity::month:
      return "month";
  }
  return "unknown";
}

Granularity parse_granularity(std::string_view text) {
  if (text == "15m") return Granularity::minutes15;
  if (text == "30m") return Granularity::minutes30;
  if (text == "60m" || text == "1h") return Granularity::minutes60;
  if (text == "day") return Granularity::day;
  if (text == "month") return Granularity::month;
  throw Error(ErrorCode::invalid_argument, "granularity",
              fmt::format("unknown granularity '{}' (expected 15m, 30m, 60m, day or month)", text));
}

// ---------------------------------------------------------------------------------------------
// RecordSet

namespace {
std::uint32_t intern(std::unordered_map<std::string, std::uint32_t>& ids,
                     std::vector<std::string>& names, std::string_view name) {
  auto it = ids.find(std::string(name));
  if (it != ids.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(names.size());
  names.emplace_back(name);
  ids.emplace(std::string(name), id);
  return id;
}
}  // namespace

std::uint32_t RecordSet::queue_index(std::string_view name) {
  return intern(queue_ids_, queues_, name);
}
std::uint32_t RecordSet::tier_index(std::string_view name) {
  return intern(tier_ids_, tiers_, name);
}
std::int32_t RecordSet::agent_index(std::string_view name) {
  if (name.empty()) return -1;
  return static_cast<std::int32_t>(intern(agent_ids_, agents_, name));
}

void RecordSet::add(ContactRecord r, std::string_view queue, std::string_view tier,
                    std::string_view agent) {
  for (auto [d, what] : {std::pair{r.wait, "wait"}, std::pair{r.talk, "talk"},
                         std::pair{r.hold, "hold"}, std::pair{r.wrap, "wrap"}}) {
    if (d < Duration::zero()) {
      throw Error(ErrorCode::invalid_argument, what,
                  fmt::format("{} must not be negative (got {})", what, format_duration(d)));
    }
    if (d > RecordSet::kMaxDuration) {
      throw Error(ErrorCode::invalid_argument, what,
                  fmt::format("{} is longer than ten years (got {})", what, format_duration(d)));
    }
  }
  r.queue = queue_index(queue);
  r.tier = tier_index(tier);
  r.agent = agent_index(agent);
  records_.push_back(r);
}

void RecordSet::add_agent_span(std::string_view agent, Instant start, Instant end, bool paused) {
  if (end < start) {
    throw Error(ErrorCode::invalid_argument, "end",
                fmt::format("the span ends ({}) before it starts ({})", format_instant(end),
                            format_instant(start)));
  }
  // end - start overflows for a start near the minimum Instant (found by fuzz_capi): subtract
  // with an overflow check, an overflow being longer than ten years too.
  std::int64_t span_ms = 0;
  if (__builtin_sub_overflow(end.time_since_epoch().count(), start.time_since_epoch().count(),
                             &span_ms) ||
      Duration{span_ms} > kMaxDuration) {
    throw Error(ErrorCode::invalid_argument, "end",
                fmt::format("the span lasts more than ten years ({} to {})", format_instant(start),
                            format_instant(end)));
  }
  spans_.push_back({agent_index(agent), start, end, paused});
}

// ---------------------------------------------------------------------------------------------
// CSV

namespace {

struct CsvRow {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

// RFC 4180: fields separated by commas, optionally quoted with "" escaping; CRLF or LF.
std::vector<CsvRow> split_csv(std::string_view text) {
  std::vector<CsvRow> rows;
  std::size_t line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    std::string field;
    bool end_of_row = false;
    while (!end_of_row) {
      field.clear();
      if (i < text.size() && text[i] == '"') {
        ++i;
        for (;;) {
          if (i >= text.size()) fail_line(row.line, row.fields.size() + 1, "unterminated quote");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          field += text[i++];
        }
      }
      row.fields.push_back(field);
      if (i >= text.size()) {
        end_of_row = true;
      } else if (text[i] == ',') {
        ++i;
      } else if (text[i] == '\r' || text[i] == '\n') {
        if (text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        end_of_row = true;
      } else {
        fail_line(row.line, row.fields.size(), "unexpected character after a quoted field");
      }
    }
    if (!(row.fields.size() == 1 && row.fields[0].empty())) rows.push_back(std::move(row));
  }
  return rows;
}

enum Col {
  c_arrival,
  c_queue,
  c_tier,
  c_outcome,
  c_wait,
  c_answered,
  c_abandoned,
  c_ended,
  c_talk,
  c_hold,
  c_wrap,
  c_agent,
  c_count
};
constexpr const char* kColNames[c_count] = {"arrival", "queue",    "tier",      "outcome",
                                            "wait",    "answered", "abandoned", "ended",
                                            "talk",    "hold",     "wrap",      "agent"};

}  // namespace

RecordSet read_csv(std::string_view text, const calendar::Calendar& calendar,
                   std::string_view default_tier) {
  const auto rows = split_csv(text);
  if (rows.empty()) fail_line(1, 1, "empty CSV: a header line is required");
  int col_of[c_count];
  std::fill(std::begin(col_of), std::end(col_of), -1);
  const auto& header = rows[0].fields;
  for (std::size_t c = 0; c < header.size(); ++c) {
    int found = -1;
    for (int k = 0; k < c_count; ++k) {
      if (header[c] == kColNames[k]) found = k;
    }
    if (found < 0) {
      fail_line(rows[0].line, c + 1,
                fmt::format("unknown column '{}' (known: arrival, queue, tier, outcome, wait, "
                            "answered, abandoned, ended, talk, hold, wrap, agent)",
                            header[c]));
    }
    if (col_of[found] >= 0) fail_line(rows[0].line, c + 1, "duplicate column " + header[c]);
    col_of[found] = static_cast<int>(c);
  }
  if (col_of[c_arrival] < 0) fail_line(rows[0].line, 1, "the column 'arrival' is required");
  RecordSet out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (row.fields.size() != header.size()) {
      fail_line(row.line, std::min(row.fields.size(), header.size()) + 1,
                fmt::format("expected {} fields, found {}", header.size(), row.fields.size()));
    }
    auto cell = [&](Col c) -> std::string_view {
      return col_of[c] < 0 ? std::string_view{} : std::string_view{row.fields[col_of[c]]};
    };
    auto column = [&](Col c) { return static_cast<std::size_t>(col_of[c]) + 1; };
    auto instant = [&](Col c) -> std::optional<Instant> {
      if (cell(c).empty()) return std::nullopt;
      try {
        return calendar.parse_time(cell(c));
      } catch (const Error& e) {
        fail_line(row.line, column(c), fmt::format("{}: {}", kColNames[c], e.message()));
      }
    };
    auto duration = [&](Col c) -> Duration {
      if (cell(c).empty()) return Duration::zero();
      Duration d;
      try {
        d = parse_duration(cell(c));
      } catch (const Error& e) {
        fail_line(row.line, column(c), fmt::format("{}: {}", kColNames[c], e.message()));
      }
      if (d < Duration::zero()) fail_line(row.line, column(c), "negative duration");
      if (d > RecordSet::kMaxDuration) {
        fail_line(row.line, column(c),
                  fmt::format("{}: longer than ten years ({})", kColNames[c], format_duration(d)));
      }
      return d;
    };
    ContactRecord rec;
    const auto arrival = instant(c_arrival);
    if (!arrival) fail_line(row.line, column(c_arrival), "arrival is required");
    rec.arrival = *arrival;
    const auto answered = instant(c_answered);
    const auto abandoned = instant(c_abandoned);
    const auto ended = instant(c_ended);
    if (!cell(c_outcome).empty()) {
      try {
        rec.outcome = parse_outcome(cell(c_outcome));
      } catch (const Error& e) {
        fail_line(row.line, column(c_outcome), e.message());
      }
    } else if (answered) {
      rec.outcome = Outcome::answered;
    } else if (abandoned) {
      rec.outcome = Outcome::abandoned;
    } else {
      fail_line(row.line, col_of[c_outcome] >= 0 ? column(c_outcome) : 1,
                "no outcome: give an outcome column or an answered / abandoned time");
    }
    std::optional<Instant> left = rec.outcome == Outcome::answered    ? answered
                                  : rec.outcome == Outcome::abandoned ? abandoned
                                                                      : ended;
    const Col left_col = rec.outcome == Outcome::answered    ? c_answered
                         : rec.outcome == Outcome::abandoned ? c_abandoned
                                                             : c_ended;
    if (!cell(c_wait).empty()) {
      rec.wait = duration(c_wait);
    } else if (left) {
      if (*left < rec.arrival) {
        fail_line(row.line, column(left_col),
                  fmt::format("{} is before arrival", kColNames[left_col]));
      }
      rec.wait = *left - rec.arrival;
    } else {
      fail_line(row.line, col_of[c_wait] >= 0 ? column(c_wait) : 1,
                fmt::format("no wait: give a wait column or the {} time", kColNames[left_col]));
    }
    rec.talk = duration(c_talk);
    rec.hold = duration(c_hold);
    rec.wrap = duration(c_wrap);
    const std::string_view queue = cell(c_queue).empty() ? "default" : cell(c_queue);
    const std::string_view tier = cell(c_tier).empty() ? default_tier : cell(c_tier);
    out.add(rec, queue, tier, cell(c_agent));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Asterisk queue_log

namespace {

// Durations in a queue_log are seconds; more than ten years is a corrupt line, not a call (and
// would overflow the millisecond clock).
constexpr std::int64_t kMaxFieldSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(RecordSet::kMaxDuration).count();
// Timestamps up to 9999-12-31T23:59:59Z.
constexpr std::int64_t kMaxEpochSeconds = 253'402'300'799LL;

std::int64_t parse_int_field(std::string_view s, std::size_t line, std::size_t column,
                             const char* what, std::int64_t max = kMaxFieldSeconds) {
  std::int64_t v = 0;
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc{} || p != end || v < 0) {
    fail_line(line, column, fmt::format("{}: expected a non-negative integer, got '{}'", what, s));
  }
  if (v > max)
    fail_line(line, column, fmt::format("{}: {} is out of range (at most {})", what, s, max));
  return v;
}

// Epoch seconds, optionally with a fractional part ("1700000000" or "1700000000.123456").
Instant parse_epoch(std::string_view s, std::size_t line) {
  const auto dot = s.find('.');
  const std::int64_t whole =
      parse_int_field(s.substr(0, dot), line, 1, "timestamp", kMaxEpochSeconds);
  std::int64_t ms = 0;
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    if (frac.empty() || frac.find_first_not_of("0123456789") != std::string_view::npos) {
      fail_line(line, 1, fmt::format("timestamp: expected digits after the point, got '{}'", s));
    }
    for (int i = 0; i < 3; ++i)
      ms = ms * 10 + (i < static_cast<int>(frac.size()) ? frac[i] - '0' : 0);
  }
  return from_unix_ms(whole * 1000 + ms);
}

}  // namespace

RecordSet read_queue_log(std::string_view text, std::string_view default_tier,
                         std::span<const std::string> tier_queues) {
  RecordSet out;
  // Calls in progress: call id -> index of the record (its outcome is set on the exit event).
  struct Pending {
    std::size_t index;
    bool connected = false;
  };
  std::unordered_map<std::string, Pending> calls;
  std::vector<bool> done;
  auto tier_of = [&](std::string_view queue) -> std::string_view {
    for (const auto& q : tier_queues) {
      if (q == queue) return queue;
    }
    return default_tier;
  };
  // Agent state: open staffed / paused spans per agent name.
  std::unordered_map<std::string, Instant> staffed_since, paused_since;
  Instant first{}, last{};
  bool have_last = false;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  std::vector<std::string_view> f;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    f.clear();
    std::size_t start = 0;
    for (;;) {
      const std::size_t bar = line.find('|', start);
      f.push_back(line.substr(start, bar == std::string_view::npos ? line.npos : bar - start));
      if (bar == std::string_view::npos) break;
      start = bar + 1;
    }
    if (f.size() < 5) fail_line(line_no, f.size() + 1, "expected epoch|callid|queue|agent|event");
    const Instant t = parse_epoch(f[0], line_no);
    if (have_last && t < last) {
      fail_line(line_no, 1,
                fmt::format("queue_log lines out of time order: {} is before the previous line's "
                            "{}",
                            format_instant(t), format_instant(last)));
    }
    if (!have_last) first = t;
    if (t - first > RecordSet::kMaxDuration) {
      // Agents logged in at the start would stay so for the whole span: more than ten years is
      // a corrupt timestamp, not a log (and would make occupancy walk centuries).
      fail_line(line_no, 1,
                fmt::format("timestamp: {} is more than ten years after the first line's {}",
                            format_instant(t), format_instant(first)));
    }
    last = t;
    have_last = true;
    const std::string_view callid = f[1], queue = f[2], agent = f[3], event = f[4];
    auto data = [&](std::size_t k, const char* what) -> std::int64_t {
      if (5 + k >= f.size()) {
        fail_line(line_no, f.size() + 1, fmt::format("{}: missing field {}", event, what));
      }
      return parse_int_field(f[5 + k], line_no, 6 + k, what);
    };
    auto find = [&]() -> Pending* {
      auto it = calls.find(std::string(callid));
      return it == calls.end() ? nullptr : &it->second;
    };
    auto begin = [&](Instant arrival) -> Pending& {
      ContactRecord r;
      r.arrival = arrival;
      out.add(r, queue, tier_of(queue), {});
      done.push_back(false);
      auto [it, _] =
          calls.insert_or_assign(std::string(callid), Pending{out.records().size() - 1, false});
      return it->second;
    };
    auto finish = [&](Pending& p) {
      done[p.index] = true;
      calls.erase(std::string(callid));
    };
    if (event == "ENTERQUEUE") {
      begin(t);
    } else if (event == "CONNECT") {
      const std::int64_t hold = data(0, "holdtime");
      Pending* p = find();
      if (!p) p = &begin(t - std::chrono::seconds{hold});  // log started while it queued
      ContactRecord& r = out.records()[p->index];
      r.outcome = Outcome::answered;
      r.wait = std::chrono::seconds{hold};
      r.agent = out.agent_index(agent);
      p->connected = true;
    } else if (event == "COMPLETECALLER" || event == "COMPLETEAGENT" || event == "TRANSFER" ||
               event == "BLINDTRANSFER" || event == "ATTENDEDTRANSFER") {
      Pending* p = find();
      if (!p || !p->connected) {
        fail_line(line_no, 2,
                  fmt::format("{} for call '{}' which was never connected", event, callid));
      }
      // COMPLETE*: holdtime|calltime|origposition; TRANSFER: ext|context|holdtime|calltime;
      // BLIND/ATTENDEDTRANSFER: ...|holdtime|calltime|origposition (the last three fields).
      std::size_t k = 1;
      if (event == "TRANSFER") k = 3;
      if (event == "BLINDTRANSFER" || event == "ATTENDEDTRANSFER") {
        if (f.size() < 8) {
          fail_line(line_no, f.size() + 1,
                    fmt::format("{}: expected holdtime|calltime|origposition at the end", event));
        }
        k = f.size() - 5 - 2;
      }
      out.records()[p->index].talk = std::chrono::seconds{data(k, "calltime")};
      finish(*p);
    } else if (event == "ABANDON" || event == "EXITWITHTIMEOUT" || event == "EXITEMPTY" ||
               event == "EXITWITHKEY") {
      // ABANDON / EXITWITHTIMEOUT / EXITEMPTY: position|origposition|waittime;
      // EXITWITHKEY: key|position|origposition|waittime.
      const std::int64_t wait = data(event == "EXITWITHKEY" ? 3 : 2, "waittime");
      Pending* p = find();
      if (!p) p = &begin(t - std::chrono::seconds{wait});
      ContactRecord& r = out.records()[p->index];
      r.wait = std::chrono::seconds{wait};
      r.outcome = event == "ABANDON"           ? Outcome::abandoned
                  : event == "EXITWITHTIMEOUT" ? Outcome::timeout
                                               : Outcome::other;
      finish(*p);
    } else if (event == "ADDMEMBER" || event == "AGENTLOGIN") {
      staffed_since.try_emplace(std::string(agent), t);
    } else if (event == "REMOVEMEMBER" || event == "AGENTLOGOFF") {
      const std::string a(agent);
      if (auto it = staffed_since.find(a); it != staffed_since.end()) {
        out.add_agent_span(a, it->second, t, false);
        staffed_since.erase(it);
      }
      if (auto it = paused_since.find(a); it != paused_since.end()) {
        out.add_agent_span(a, it->second, t, true);
        paused_since.erase(it);
      }
    } else if (event == "PAUSE" || event == "PAUSEALL") {
      paused_since.try_emplace(std::string(agent), t);
    } else if (event == "UNPAUSE" || event == "UNPAUSEALL") {
      if (auto it = paused_since.find(std::string(agent)); it != paused_since.end()) {
        out.add_agent_span(agent, it->second, t, true);
        paused_since.erase(it);
      }
    }
    // Every other event (RINGNOANSWER, QUEUESTART, ...) does not change a contact or an agent's
    // availability.
  }
  // Agents still logged in / paused when the log ends: their spans end with the log.
  for (const auto& [a, since] : staffed_since) out.add_agent_span(a, since, last, false);
  for (const auto& [a, since] : paused_since) out.add_agent_span(a, since, last, true);
  // Drop contacts whose outcome the log does not contain yet (still queued or still talking
  // when the log ends: a connected call counts once COMPLETE* arrives, as in app_queue).
  std::vector<ContactRecord> kept;
  kept.reserve(out.records().size());
  for (std::size_t i = 0; i < out.records().size(); ++i) {
    if (done[i]) {
      kept.push_back(out.records()[i]);
    } else {
      ++out.incomplete;
    }
  }
  out.records() = std::move(kept);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Targets

Targets Targets::hotline_preset() {
  using std::chrono::seconds;
  Targets t;
  t.tiers = {{"vip", {seconds{15}, 0.85}}, {"ordinary", {seconds{20}, 0.75}}};
  return t;
}

void Targets::validate() const {
  detail::Diagnostics diag;
  if (tiers.empty()) diag.add("/tiers", "at least one tier is required");
  if (tiers.size() > kMaxTiers) {
    throw Error(ErrorCode::invalid_definition, "/tiers",
                fmt::format("at most {} tiers", kMaxTiers));
  }
  bool has_default = false;
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const std::string at = fmt::format("/tiers/{}", i);
    if (tiers[i].tier.empty()) diag.add(at + "/tier", "the tier name must not be empty");
    if (!seen.insert(tiers[i].tier).second) {
      diag.add(at + "/tier", fmt::format("duplicate tier '{}'", tiers[i].tier));
    }
    if (tiers[i].target.threshold < Duration::zero()) {
      diag.add(at + "/threshold", "the threshold must not be negative");
    }
    if (!(tiers[i].target.fraction > 0 && tiers[i].target.fraction <= 1)) {
      diag.add(at + "/target",
               fmt::format("the target must be in (0, 1] (got {})", tiers[i].target.fraction));
    }
    has_default = has_default || tiers[i].tier == default_tier;
  }
  if (!tiers.empty() && !has_default) {
    diag.add("/default_tier",
             fmt::format("default tier '{}' is not one of the tiers", default_tier));
  }
  if (short_abandon < Duration::zero()) diag.add("/short_abandon", "must not be negative");
  if (!(pass_line > 0 && pass_line <= 1)) {
    diag.add("/pass_line", fmt::format("the pass line must be in (0, 1] (got {})", pass_line));
  }
  diag.throw_if_any();
}

Targets Targets::from_json(std::string_view json) {
  const detail::Json doc = detail::parse_json(json);
  detail::ObjectReader root(doc, "");
  Targets t;
  t.tiers.clear();
  auto duration_at = [](const std::string& text, const std::string& where) {
    try {
      return parse_duration(text);
    } catch (const Error& e) {
      detail::fail_at(where, e.message());
    }
  };
  const detail::Json& tiers = root.array("tiers");
  if (tiers.size() > kMaxTiers)
    detail::fail_at("/tiers", fmt::format("at most {} tiers", kMaxTiers));
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    detail::ObjectReader r(tiers[i], detail::pointer_child("/tiers", i));
    TierTarget tt;
    tt.tier = r.string("tier");
    tt.target.threshold = duration_at(r.string("threshold"), r.at("threshold"));
    tt.target.fraction = r.number("target");
    r.finish();
    t.tiers.push_back(std::move(tt));
  }
  if (auto d = root.optional_string("default_tier")) {
    t.default_tier = *d;
  } else if (!t.tiers.empty()) {
    t.default_tier = t.tiers.back().tier;
  }
  if (auto v = root.optional_string("variant")) {
    try {
      t.variant = parse_service_level_variant(*v);
    } catch (const Error& e) {
      detail::fail_at("/variant", e.message());
    }
  }
  if (auto s = root.optional_string("short_abandon")) {
    t.short_abandon = duration_at(*s, "/short_abandon");
  }
  if (auto p = root.optional_number("pass_line")) t.pass_line = *p;
  root.finish();
  t.validate();
  return t;
}

Targets Targets::load(const std::filesystem::path& path) {
  const std::string text = detail::read_file(path);
  try {
    return from_json(text);
  } catch (const Error& e) {
    std::vector<Diagnostic> d = e.diagnostics();
    for (auto& x : d) x.where = path.string() + ":" + x.where;
    throw Error(e.code(), std::move(d));
  }
}

const Target& Targets::target_for(std::string_view tier) const {
  const TierTarget* fallback = nullptr;
  for (const auto& t : tiers) {
    if (t.tier == tier) return t.target;
    if (t.tier == default_tier) fallback = &t;
  }
  if (!fallback) {
    throw Error(ErrorCode::not_found, "tier", fmt::format("no target for tier '{}'", tier));
  }
  return fallback->target;
}

// ---------------------------------------------------------------------------------------------
// Aggregation

double IntervalRow::answer_rate() const noexcept {
  return counts.offered > 0 ? static_cast<double>(counts.answered) / counts.offered
                            : std::numeric_limits<double>::quiet_NaN();
}
double IntervalRow::abandon_rate() const noexcept {
  return counts.offered > 0 ? static_cast<double>(counts.abandoned) / counts.offered
                            : std::numeric_limits<double>::quiet_NaN();
}
double IntervalRow::asa_seconds() const noexcept {
  return counts.answered > 0 ? answered_wait.count() / 1000.0 / counts.answered
                             : std::numeric_limits<double>::quiet_NaN();
}
double IntervalRow::aht_seconds() const noexcept {
  return counts.answered > 0 ? handle.count() / 1000.0 / counts.answered
                             : std::numeric_limits<double>::quiet_NaN();
}

double Report::service_level(const IntervalRow& row) const noexcept {
  return sla::service_level(row.counts, targets.variant);
}

bool Report::meets_target(const IntervalRow& row) const noexcept {
  const double sl = service_level(row);
  if (std::isnan(sl) || row.tier >= tiers.size()) return false;
  return sl >= targets.target_for(tiers[row.tier]).fraction - 1e-12;
}

namespace {

// Maps instants to the local interval containing them, caching the current interval so that
// time-ordered records cost one comparison each.
class Bucketer {
 public:
  Bucketer(const date::time_zone* zone, Granularity g) : zone_(zone), g_(g) {}

  // [start, end) in UTC ms of the interval containing t.
  std::pair<std::int64_t, std::int64_t> bucket(std::int64_t t) {
    if (t >= start_ && t < end_) return {start_, end_};
    using calendar::detail::local_to_utc_ms;
    using calendar::detail::utc_to_local_ms;
    // Beyond 10,000 years from 1970 there are no local intervals: one bucket on each side holds
    // every instant out there (the civil arithmetic below would overflow near INT64_MIN / MAX).
    constexpr std::int64_t kCivilMs = 10'000LL * 366 * kDayMs;
    if (t < -kCivilMs) return remember(std::numeric_limits<std::int64_t>::min(), -kCivilMs);
    if (t >= kCivilMs) return remember(kCivilMs, std::numeric_limits<std::int64_t>::max());
    const std::int64_t local = utc_to_local_ms(zone_, t);
    std::int64_t ls = 0, le = 0;
    switch (g_) {
      case Granularity::minutes15:
      case Granularity::minutes30:
      case Granularity::minutes60: {
        const std::int64_t len = g_ == Granularity::minutes15   ? 900'000
                                 : g_ == Granularity::minutes30 ? 1'800'000
                                                                : 3'600'000;
        ls = floor_div(local, len) * len;
        le = ls + len;
        break;
      }
      case Granularity::day:
        ls = floor_div(local, kDayMs) * kDayMs;
        le = ls + kDayMs;
        break;
      case Granularity::month: {
        const std::chrono::sys_days d{std::chrono::days{floor_div(local, kDayMs)}};
        const std::chrono::year_month_day ymd{d};
        const auto first =
            std::chrono::year_month_day{ymd.year(), ymd.month(), std::chrono::day{1}};
        const auto next = first + std::chrono::months{1};
        ls = std::chrono::sys_days{first}.time_since_epoch().count() * kDayMs;
        le = std::chrono::sys_days{next}.time_since_epoch().count() * kDayMs;
        break;
      }
    }
    std::int64_t s = local_to_utc_ms(zone_, ls);
    std::int64_t e = local_to_utc_ms(zone_, le);
    // A sub-hour interval that a DST jump removed or doubled: keep the buckets contiguous.
    if (s > t) s = t;
    if (e <= t) e = t + 1;
    // Intervals stop where the outer buckets begin (t lies inside the civil range).
    return remember(std::max(s, -kCivilMs), std::min(e, kCivilMs));
  }

 private:
  std::pair<std::int64_t, std::int64_t> remember(std::int64_t s, std::int64_t e) noexcept {
    start_ = s;
    end_ = e;
    return {s, e};
  }
  const date::time_zone* zone_;
  Granularity g_;
  std::int64_t start_ = 0;
  std::int64_t end_ = 0;
};

struct Cell {
  Counts counts;
  std::int64_t timeouts = 0;
  std::int64_t answered_wait = 0;
  std::int64_t abandoned_wait = 0;
  std::int64_t handle = 0;
  std::int64_t max_wait = 0;
};

struct Grid {
  std::size_t nq = 0, nt = 0;
  std::vector<std::int64_t> starts, ends;
  std::vector<Cell> cells;  // block b: cells[b * nq * nt + q * nt + t]
};

// Dense cells per interval bucket: fast for real traffic (tens of queues, a few tiers), bounded
// so that adversarial input (every record its own queue and interval) fails clearly, not by OOM.
constexpr std::size_t kMaxGridCells = std::size_t{8} << 20;  // ~700 MiB at most

Grid accumulate(const RecordSet& rs, const Targets& targets, const calendar::Calendar& cal,
                Granularity g, bool pool_queues) {
  targets.validate();
  const date::time_zone* zone = date::locate_zone(cal.time_zone());
  Grid grid;
  grid.nq = pool_queues ? 1 : std::max<std::size_t>(1, rs.queues().size());
  grid.nt = std::max<std::size_t>(1, rs.tiers().size());
  std::vector<std::int64_t> threshold(grid.nt);
  for (std::size_t t = 0; t < rs.tiers().size(); ++t) {
    threshold[t] = targets.target_for(rs.tiers()[t]).threshold.count();
  }
  const std::int64_t short_ms = targets.short_abandon.count();
  const std::size_t block_size = grid.nq * grid.nt;
  std::unordered_map<std::int64_t, std::size_t> block_of;
  Bucketer bucketer(zone, g);
  std::int64_t cur_start = std::numeric_limits<std::int64_t>::min();
  std::int64_t cur_end = std::numeric_limits<std::int64_t>::min();
  Cell* block = nullptr;
  for (const ContactRecord& r : rs.records()) {
    const std::int64_t at = to_unix_ms(r.arrival);
    if (at < cur_start || at >= cur_end) [[unlikely]] {
      const auto [s, e] = bucketer.bucket(at);
      auto [it, inserted] = block_of.try_emplace(s, grid.starts.size());
      if (inserted) {
        if ((grid.starts.size() + 1) * block_size > kMaxGridCells) {
          throw Error(ErrorCode::limit, "records",
                      fmt::format("the report needs more than {} interval x queue x tier cells ({} "
                                  "queues, {} tiers, {} intervals so far); use a coarser "
                                  "granularity or split the records",
                                  kMaxGridCells, grid.nq, grid.nt, grid.starts.size() + 1));
        }
        grid.starts.push_back(s);
        grid.ends.push_back(e);
        grid.cells.resize(grid.cells.size() + block_size);
      }
      cur_start = s;
      cur_end = grid.ends[it->second];
      block = grid.cells.data() + it->second * block_size;
    }
    Cell& c = block[(pool_queues ? 0 : r.queue) * grid.nt + r.tier];
    const std::int64_t wait = r.wait.count();
    const bool within = wait <= threshold[r.tier];
    c.counts.offered += 1;
    c.max_wait = std::max(c.max_wait, wait);
    switch (r.outcome) {
      case Outcome::answered:
        c.counts.answered += 1;
        c.counts.answered_within += within;
        c.answered_wait += wait;
        c.handle += r.talk.count() + r.hold.count() + r.wrap.count();
        break;
      case Outcome::abandoned:
        c.counts.abandoned += 1;
        c.counts.abandoned_within += within;
        c.counts.short_abandoned += wait < short_ms;
        c.abandoned_wait += wait;
        break;
      case Outcome::timeout:
        c.timeouts += 1;
        break;
      case Outcome::other:
        break;
    }
  }
  return grid;
}

}  // namespace

Report aggregate(const RecordSet& records, const Targets& targets,
                 const calendar::Calendar& calendar, ReportOptions options) {
  const Grid grid = accumulate(records, targets, calendar, options.granularity, false);
  Report rep;
  rep.queues = records.queues();
  rep.tiers = records.tiers();
  rep.targets = targets;
  std::vector<std::size_t> order(grid.starts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return grid.starts[a] < grid.starts[b]; });
  for (std::size_t b : order) {
    for (std::size_t q = 0; q < grid.nq; ++q) {
      for (std::size_t t = 0; t < grid.nt; ++t) {
        const Cell& c = grid.cells[b * grid.nq * grid.nt + q * grid.nt + t];
        if (c.counts.offered == 0) continue;
        IntervalRow row;
        row.start = from_unix_ms(grid.starts[b]);
        row.end = from_unix_ms(grid.ends[b]);
        row.queue = static_cast<std::uint32_t>(q);
        row.tier = static_cast<std::uint32_t>(t);
        row.counts = c.counts;
        row.timeouts = c.timeouts;
        row.answered_wait = Duration{c.answered_wait};
        row.abandoned_wait = Duration{c.abandoned_wait};
        row.handle = Duration{c.handle};
        row.max_wait = Duration{c.max_wait};
        rep.rows.push_back(row);
      }
    }
  }
  return rep;
}

double OccupancyRow::occupancy() const noexcept {
  const auto available = staffed - paused;
  return available > Duration::zero()
             ? static_cast<double>(busy.count()) / static_cast<double>(available.count())
             : std::numeric_limits<double>::quiet_NaN();
}

// About 57 years of half-hours: more is a corrupt span, not a contact centre.
constexpr std::size_t kMaxOccupancyRows = 1'000'000;

std::vector<OccupancyRow> occupancy(const RecordSet& records, const calendar::Calendar& calendar,
                                    Granularity granularity) {
  Bucketer bucketer(date::locate_zone(calendar.time_zone()), granularity);
  std::map<std::int64_t, OccupancyRow> rows;
  // Adds [a, b) to the field of every interval it overlaps.
  // The shortest an interval of this granularity can be (a DST day has 23 hours).
  constexpr std::int64_t kHourMs = 3'600'000;
  const std::int64_t shortest = granularity == Granularity::minutes15   ? kHourMs / 4
                                : granularity == Granularity::minutes30 ? kHourMs / 2
                                : granularity == Granularity::minutes60 ? kHourMs
                                : granularity == Granularity::day       ? 23 * kHourMs
                                                                        : 28 * 24 * kHourMs;
  const auto too_many = [] {
    throw Error(ErrorCode::limit, "records",
                fmt::format("agent state time spans more than {} intervals; use a coarser "
                            "granularity or check the agent spans",
                            kMaxOccupancyRows));
  };
  auto spread = [&](std::int64_t a, std::int64_t b, Duration OccupancyRow::*field) {
    // Fail before doing the work when one span alone is too long.
    if (b > a && (static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a)) /
                         static_cast<std::uint64_t>(shortest) >
                     kMaxOccupancyRows) {
      too_many();
    }
    while (a < b) {
      const auto [s, e] = bucketer.bucket(a);
      const std::int64_t stop = std::min(b, e);
      if (rows.size() >= kMaxOccupancyRows && !rows.contains(s)) too_many();
      OccupancyRow& row = rows[s];
      row.start = from_unix_ms(s);
      row.end = from_unix_ms(e);
      row.*field += Duration{stop - a};
      a = stop;
    }
  };
  for (const AgentSpan& sp : records.agent_spans()) {
    spread(to_unix_ms(sp.start), to_unix_ms(sp.end),
           sp.paused ? &OccupancyRow::paused : &OccupancyRow::staffed);
  }
  for (const ContactRecord& r : records.records()) {
    if (r.outcome != Outcome::answered) continue;
    // Saturating: an arrival within ten years of the last instant must not overflow (the
    // durations are each at most ten years, so their sum cannot).
    const std::int64_t a = hotline::detail::sat_add(to_unix_ms(r.arrival), r.wait.count());
    spread(a, hotline::detail::sat_add(a, (r.talk + r.hold + r.wrap).count()), &OccupancyRow::busy);
  }
  std::vector<OccupancyRow> out;
  out.reserve(rows.size());
  for (auto& [_, row] : rows) out.push_back(row);
  return out;
}

std::vector<MonthlyCompliance> daily_compliance(const RecordSet& records, const Targets& targets,
                                                const calendar::Calendar& calendar,
                                                bool count_idle_days_as_met) {
  const Grid grid = accumulate(records, targets, calendar, Granularity::day, true);
  // (year_month, tier) -> (days with traffic, days met)
  std::map<std::pair<int, std::uint32_t>, std::pair<int, int>> months;
  for (std::size_t b = 0; b < grid.starts.size(); ++b) {
    const auto ymd = calendar.local_date(from_unix_ms(grid.starts[b]));
    const int key = static_cast<int>(ymd.year()) * 12 +
                    static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
    for (std::size_t t = 0; t < grid.nt; ++t) {
      const Cell& c = grid.cells[b * grid.nt + t];
      if (c.counts.offered == 0) continue;
      auto& m = months[{key, static_cast<std::uint32_t>(t)}];
      ++m.first;
      const double sl = sla::service_level(c.counts, targets.variant);
      const double target = targets.target_for(records.tiers()[t]).fraction;
      // A day with no contact in the variant's denominator has nothing missed.
      if (std::isnan(sl) || sl >= target - 1e-12) ++m.second;
    }
  }
  std::vector<MonthlyCompliance> out;
  for (const auto& [key, v] : months) {
    MonthlyCompliance mc;
    const std::chrono::year y{key.first / 12};
    const std::chrono::month mo{static_cast<unsigned>(key.first % 12 + 1)};
    mc.month = y / mo;
    mc.tier = key.second;
    mc.days_in_month = static_cast<int>(static_cast<unsigned>((y / mo / std::chrono::last).day()));
    mc.days_with_traffic = v.first;
    mc.days_met = v.second + (count_idle_days_as_met ? mc.days_in_month - v.first : 0);
    mc.ratio = static_cast<double>(mc.days_met) / mc.days_in_month;
    mc.pass = mc.ratio >= targets.pass_line - 1e-12;
    out.push_back(mc);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scorecard ratios

double mystery_call_score(double result, double national_min, double national_average) {
  for (auto [v, what] : {std::pair{result, "result"}, std::pair{national_min, "national_min"},
                         std::pair{national_average, "national_average"}}) {
    if (!std::isfinite(v)) {
      throw Error(ErrorCode::invalid_argument, what, fmt::format("{} must be finite", what));
    }
  }
  if (national_average == national_min) {
    throw Error(ErrorCode::invalid_argument, "national_average",
                "the national average equals the national minimum: the score is undefined");
  }
  return 1.0 * (result - national_min) / (national_average - national_min);
}

OnTime on_time_ratio(std::span<const Deadline> items, Instant as_of) {
  OnTime r;
  for (const Deadline& d : items) {
    if (d.done) {
      if (*d.done <= d.due) {
        ++r.on_time;
      } else {
        ++r.late;
      }
    } else if (as_of > d.due) {
      ++r.late;
    } else {
      ++r.pending;
    }
  }
  const std::int64_t judged = r.on_time + r.late;
  r.ratio = judged > 0 ? static_cast<double>(r.on_time) / judged : 1.0;
  return r;
}

double satisfaction_rate(std::int64_t satisfied, std::int64_t responses) {
  if (satisfied < 0 || responses < 0 || satisfied > responses) {
    throw Error(
        ErrorCode::invalid_argument, "satisfied",
        fmt::format("need 0 <= satisfied <= responses (got {} of {})", satisfied, responses));
  }
  return responses > 0 ? static_cast<double>(satisfied) / responses
                       : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace hotline::sla
