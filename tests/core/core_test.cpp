// hotline core: errors, durations, instants and the internal JSON reader.
#include <hotline/core.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace {

using namespace std::chrono_literals;
using hotline::Duration;
using hotline::Error;
using hotline::ErrorCode;
using hotline::Instant;

// Runs f, which must throw hotline::Error, and returns the error.
template <class F>
Error catch_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected hotline::Error";
  return Error(ErrorCode::internal, "", "no error thrown");
}

// ---------------------------------------------------------------------------------------------
// Error

TEST(Error, CarriesCodeLocationAndMessage) {
  const Error e(ErrorCode::invalid_definition, "/days/3/date", "expected a date YYYY-MM-DD");
  EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
  EXPECT_EQ(e.where(), "/days/3/date");
  EXPECT_EQ(e.message(), "expected a date YYYY-MM-DD");
  EXPECT_STREQ(e.what(), "/days/3/date: expected a date YYYY-MM-DD");
  ASSERT_EQ(e.diagnostics().size(), 1u);
  EXPECT_EQ(e.diagnostics()[0].where, "/days/3/date");
}

TEST(Error, WithoutLocationWhatIsTheMessage) {
  const Error e(ErrorCode::io, "", "disk full");
  EXPECT_EQ(e.where(), "");
  EXPECT_STREQ(e.what(), "disk full");
}

TEST(Error, ListsEveryDiagnostic) {
  const Error e(
      ErrorCode::invalid_definition,
      std::vector<hotline::Diagnostic>{{"/hours/mon/1", "09:00-10:00 overlaps 08:00-12:00"},
                                       {"/days/0/date", "invalid date"},
                                       {"", "no place"}});
  EXPECT_EQ(e.where(), "/hours/mon/1");
  EXPECT_EQ(e.message(), "09:00-10:00 overlaps 08:00-12:00");
  EXPECT_EQ(e.diagnostics().size(), 3u);
  EXPECT_STREQ(e.what(),
               "3 problems:\n"
               "/hours/mon/1: 09:00-10:00 overlaps 08:00-12:00\n"
               "/days/0/date: invalid date\n"
               "no place");
}

TEST(Error, IsARuntimeError) {
  try {
    throw Error(ErrorCode::not_found, "zone", "no such zone");
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "zone: no such zone");
  }
}

TEST(Error, CodeNamesAndPinnedValues) {
  // The values are the negated C ABI status codes and must never change.
  const std::vector<std::pair<ErrorCode, std::pair<int, const char*>>> table{
      {ErrorCode::unknown, {1, "unknown"}},
      {ErrorCode::invalid_argument, {2, "invalid_argument"}},
      {ErrorCode::invalid_definition, {3, "invalid_definition"}},
      {ErrorCode::not_found, {4, "not_found"}},
      {ErrorCode::invalid_state, {5, "invalid_state"}},
      {ErrorCode::already_exists, {6, "already_exists"}},
      {ErrorCode::io, {7, "io"}},
      {ErrorCode::limit, {8, "limit"}},
      {ErrorCode::out_of_memory, {9, "out_of_memory"}},
      {ErrorCode::buffer_too_small, {10, "buffer_too_small"}},
      {ErrorCode::internal, {11, "internal"}},
  };
  for (const auto& [code, expected] : table) {
    EXPECT_EQ(static_cast<int>(code), expected.first);
    EXPECT_STREQ(hotline::to_string(code), expected.second);
  }
  EXPECT_STREQ(hotline::to_string(static_cast<ErrorCode>(999)), "unknown");
}

TEST(Version, MatchesTheHeader) {
  EXPECT_EQ(std::string(hotline::version()), std::to_string(HOTLINE_VERSION_MAJOR) + "." +
                                                 std::to_string(HOTLINE_VERSION_MINOR) + "." +
                                                 std::to_string(HOTLINE_VERSION_PATCH));
}

// ---------------------------------------------------------------------------------------------
// Durations

TEST(ParseDuration, UnitsAndCombinations) {
  using hotline::parse_duration;
  EXPECT_EQ(parse_duration("90s"), 90s);
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("1.5h"), 90min);
  EXPECT_EQ(parse_duration("2d"), 48h);
  EXPECT_EQ(parse_duration("8h"), 8h);
  EXPECT_EQ(parse_duration("15min"), 15min);
  EXPECT_EQ(parse_duration("1d2h3m4s5ms"), 1 * 24h + 2h + 3min + 4s + 5ms);
  EXPECT_EQ(parse_duration("0.25s"), 250ms);
  EXPECT_EQ(parse_duration("0s"), 0ms);
  EXPECT_EQ(parse_duration(".5s"), 500ms);
}

TEST(ParseDuration, BareNumberIsSeconds) {
  EXPECT_EQ(hotline::parse_duration("45"), 45s);
  EXPECT_EQ(hotline::parse_duration("2.5"), 2500ms);
  EXPECT_EQ(hotline::parse_duration("0"), 0ms);
}

TEST(ParseDuration, Negative) {
  EXPECT_EQ(hotline::parse_duration("-5m"), -5min);
  EXPECT_EQ(hotline::parse_duration("-1h30m"), -90min);
  EXPECT_EQ(hotline::parse_duration("-250ms"), -250ms);
}

TEST(ParseDuration, RoundsToTheNearestMillisecond) {
  EXPECT_EQ(hotline::parse_duration("0.0004s"), 0ms);
  EXPECT_EQ(hotline::parse_duration("0.0006s"), 1ms);
  EXPECT_EQ(hotline::parse_duration("0.1s"), 100ms);  // 0.1 is inexact in binary
}

TEST(ParseDuration, ErrorsNameTheText) {
  for (const char* bad : {"", "-", "h", "5x", "5 m", " 5m", "5m ", "1..5s", "1.2.3s", "--5m",
                          "5m-3s", "1e3s", "1h 30m", ".", "5S5", "9999999999999999d"}) {
    const Error e = catch_error([&] { hotline::parse_duration(bad); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << bad;
    EXPECT_EQ(e.where(), "duration \"" + std::string(bad) + "\"") << bad;
  }
  EXPECT_EQ(catch_error([] { hotline::parse_duration("5x"); }).message(),
            "unknown unit \"x\" (use ms, s, m, h or d)");
  EXPECT_EQ(catch_error([] { hotline::parse_duration("9999999999999999d"); }).message(),
            "too large");
}

TEST(FormatDuration, Compact) {
  using hotline::format_duration;
  EXPECT_EQ(format_duration(0ms), "0s");
  EXPECT_EQ(format_duration(90min), "1h30m");
  EXPECT_EQ(format_duration(15s), "15s");
  EXPECT_EQ(format_duration(250ms), "250ms");
  EXPECT_EQ(format_duration(1500ms), "1.500s");
  EXPECT_EQ(format_duration(48h), "48h");
  EXPECT_EQ(format_duration(1h + 500ms), "1h500ms");
  EXPECT_EQ(format_duration(1h + 1min + 1s + 1ms), "1h1m1.001s");
  EXPECT_EQ(format_duration(-5min), "-5m");
  EXPECT_EQ(format_duration(-1ms), "-1ms");
}

TEST(FormatDuration, ExtremesDoNotOverflow) {
  // 2^63 - 1 ms = 2562047788015 h 12 min 55.807 s (Python divmod); the minimum is one more
  // millisecond in magnitude, which has no positive int64 counterpart.
  EXPECT_EQ(hotline::format_duration(Duration::max()), "2562047788015h12m55.807s");
  EXPECT_EQ(hotline::format_duration(Duration::min()), "-2562047788015h12m55.808s");
}

TEST(FormatDuration, RoundTripsThroughParse) {
  hotline::Rng rng{31};
  for (int i = 0; i < 2000; ++i) {
    const Duration d{static_cast<std::int64_t>(rng.below(400'000'000'000ULL)) - 200'000'000'000};
    EXPECT_EQ(hotline::parse_duration(hotline::format_duration(d)), d) << d.count();
  }
}

// ---------------------------------------------------------------------------------------------
// Instants
//
// Reference Unix times computed independently with Python's datetime.fromisoformat().timestamp().

TEST(ParseInstant, UtcAndOffsets) {
  using hotline::parse_instant;
  EXPECT_EQ(hotline::to_unix_ms(parse_instant("2025-01-27T01:00:00Z")), 1737939600000);
  EXPECT_EQ(parse_instant("2025-01-27T09:00:00+08:00"), parse_instant("2025-01-27T01:00:00Z"));
  EXPECT_EQ(parse_instant("2025-01-27T09:00:00+0800"), parse_instant("2025-01-27T01:00:00Z"));
  EXPECT_EQ(parse_instant("2025-01-27T09:00:00+08"), parse_instant("2025-01-27T01:00:00Z"));
  EXPECT_EQ(parse_instant("2025-01-27T01:00Z"), parse_instant("2025-01-27T01:00:00Z"));
  EXPECT_EQ(parse_instant("2025-01-27t01:00:00z"), parse_instant("2025-01-27T01:00:00Z"));
  EXPECT_EQ(parse_instant("2025-01-27 01:00:00Z"), parse_instant("2025-01-27T01:00:00Z"));
  // India (+05:30) written with a negative offset crossing midnight: 2025-03-09T21:15-05:30.
  EXPECT_EQ(hotline::to_unix_ms(parse_instant("2025-03-09T21:15:00-05:30")), 1741574700000);
  EXPECT_EQ(hotline::to_unix_ms(parse_instant("1970-01-01T00:00:00Z")), 0);
  EXPECT_EQ(hotline::to_unix_ms(parse_instant("1900-01-01T00:00:00Z")), -2208988800000);
}

TEST(ParseInstant, FractionalSeconds) {
  using hotline::parse_instant;
  using hotline::to_unix_ms;
  EXPECT_EQ(to_unix_ms(parse_instant("2000-02-29T12:34:56.789Z")), 951827696789);
  EXPECT_EQ(to_unix_ms(parse_instant("2000-02-29T12:34:56.7Z")), 951827696700);
  EXPECT_EQ(to_unix_ms(parse_instant("2000-02-29T12:34:56.78Z")), 951827696780);
  // Digits past the millisecond are dropped (truncated), not rounded.
  EXPECT_EQ(to_unix_ms(parse_instant("2000-02-29T12:34:56.789999Z")), 951827696789);
  EXPECT_EQ(to_unix_ms(parse_instant("1969-12-31T23:59:59.999Z")), -1);
}

TEST(ParseInstant, RejectsBadInput) {
  for (const char* bad :
       {"", "2025-01-27", "2025-01-27T09:00:00", "2025-01-27T09:00:00+8:00", "2025-13-01T00:00:00Z",
        "2025-02-29T00:00:00Z", "2025-01-32T00:00:00Z", "2025-01-27T24:00:00Z",
        "2025-01-27T09:60:00Z", "2025-01-27T09:00:60Z", "2025-01-27T09Z", "2025-01-27T09:00:00.Z",
        "2025-01-27T09:00:00Zjunk", "2025-01-27T09:00:00+19:00", "2025-01-27T09:00:00+08:60",
        "25-01-27T09:00:00Z", "2025/01/27T09:00:00Z", "yesterday", "2025-01-27T09:00:00 Z"}) {
    const Error e = catch_error([&] { hotline::parse_instant(bad); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << bad;
    EXPECT_EQ(e.where(), "time \"" + std::string(bad) + "\"") << bad;
  }
}

TEST(FormatInstant, IsoUtcWithMillisecondsOnlyWhenNonZero) {
  using hotline::format_instant;
  using hotline::from_unix_ms;
  EXPECT_EQ(format_instant(from_unix_ms(1737939600000)), "2025-01-27T01:00:00Z");
  EXPECT_EQ(format_instant(from_unix_ms(951827696789)), "2000-02-29T12:34:56.789Z");
  EXPECT_EQ(format_instant(from_unix_ms(951827696007)), "2000-02-29T12:34:56.007Z");
  EXPECT_EQ(format_instant(from_unix_ms(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_instant(from_unix_ms(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_instant(from_unix_ms(-2208988800000)), "1900-01-01T00:00:00Z");
}

// Found by fuzz_capi (UBSan: signed overflow converting days back to milliseconds): instants at
// the ends of the 64-bit range are named by their raw value.
TEST(FormatInstant, ExtremeInstantsDoNotOverflow) {
  using hotline::format_instant;
  using hotline::from_unix_ms;
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(format_instant(from_unix_ms(kMin)),
            "-9223372036854775808 ms after 1970-01-01T00:00:00Z");
  EXPECT_EQ(format_instant(from_unix_ms(kMax)),
            "9223372036854775807 ms after 1970-01-01T00:00:00Z");
  EXPECT_EQ(format_instant(from_unix_ms(253402300799000)), "9999-12-31T23:59:59Z");
}

TEST(Instant, RoundTrips) {
  hotline::Rng rng{77};
  // 1900..2100 in milliseconds.
  const std::int64_t lo = -2208988800000, hi = 4102444800000;
  for (int i = 0; i < 5000; ++i) {
    const Instant t = hotline::from_unix_ms(
        lo + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(hi - lo))));
    const std::string text = hotline::format_instant(t);
    EXPECT_EQ(hotline::parse_instant(text), t) << text;
  }
  const Instant t = hotline::parse_instant("2025-10-01T08:30:00.250+08:00");
  EXPECT_EQ(hotline::format_instant(t), "2025-10-01T00:30:00.250Z");
  EXPECT_EQ(hotline::from_unix_ms(hotline::to_unix_ms(t)), t);
}

// ---------------------------------------------------------------------------------------------
// Internal JSON reader (src/core/json.hpp)

TEST(Json, SyntaxErrorsGiveLineAndColumn) {
  using hotline::detail::parse_json;
  // The offending character of each document is at the stated line and column (1-based).
  struct Case {
    const char* text;
    const char* where;
  };
  for (const Case& c :
       {Case{R"({"a": 1,})", "line 1, column 9"},
        Case{"{\n  \"a\": 1,\n  \"b\": tru\n}", "line 3, column 11"},
        Case{"[1, 2,\n\n   x]", "line 3, column 4"}, Case{"{\"a\": 1} 2", "line 1, column 10"}}) {
    const Error e = catch_error([&] { parse_json(c.text); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_definition) << c.text;
    EXPECT_EQ(e.where(), c.where) << c.text;
    EXPECT_EQ(e.message().rfind("invalid JSON: ", 0), 0u) << e.message();
    EXPECT_EQ(e.message().find("[json.exception"), std::string::npos) << e.message();
  }
  // Columns count characters, not UTF-8 bytes: the 'x' is the 8th character (and 12th byte).
  const Error cjk = catch_error([] { parse_json("[\"春节\", x]"); });
  EXPECT_EQ(cjk.where(), "line 1, column 8");
  // The parser's own byte-based location is not repeated in the message.
  EXPECT_EQ(cjk.message().find("column"), std::string::npos) << cjk.message();
  const Error empty = catch_error([] { parse_json(""); });
  EXPECT_EQ(empty.where(), "line 1, column 1");
  // Comments are not JSON.
  EXPECT_EQ(catch_error([] { parse_json("// hi\n{}"); }).code(), ErrorCode::invalid_definition);
}

// Found by fuzz_calendar_json: a number too large for a double escaped as EINTERNAL
// (nlohmann's out_of_range.406). It is a definition error at the number's place.
TEST(Json, NumberOverflowIsADefinitionError) {
  using hotline::detail::parse_json;
  const Error e = catch_error([] { parse_json("{\n  \"a\": [1, 6e99999]\n}"); });
  EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
  EXPECT_EQ(e.where(), "line 2, column 12");
  EXPECT_EQ(e.message().rfind("invalid JSON: number overflow", 0), 0u) << e.message();
  EXPECT_EQ(catch_error([] { parse_json("-1e400"); }).code(), ErrorCode::invalid_definition);
}

TEST(Json, DepthLimit) {
  using hotline::detail::parse_json;
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  EXPECT_NO_THROW(parse_json(nested(64)));
  const Error e = catch_error([&] { parse_json(nested(65)); });
  EXPECT_EQ(e.code(), ErrorCode::limit);
  EXPECT_EQ(e.where(), "document");
  EXPECT_EQ(e.message(), "nesting deeper than 64 levels");
  EXPECT_NO_THROW(parse_json(nested(3), 3));
  EXPECT_EQ(catch_error([&] { parse_json(nested(4), 3); }).code(), ErrorCode::limit);
  // Deep enough to overflow a recursive parser's stack: refused cleanly.
  EXPECT_EQ(catch_error([&] { parse_json(nested(1'000'000)); }).code(), ErrorCode::limit);
  std::string objects;
  for (int i = 0; i < 100; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100, '}');
  EXPECT_EQ(catch_error([&] { parse_json(objects); }).code(), ErrorCode::limit);
}

TEST(Json, PointerEscaping) {
  using hotline::detail::pointer_child;
  EXPECT_EQ(pointer_child("", "days"), "/days");
  EXPECT_EQ(pointer_child("/days", std::size_t{3}), "/days/3");
  // RFC 6901 section 3: '~' is written "~0" and '/' is written "~1".
  EXPECT_EQ(pointer_child("/hours", "a/b~c"), "/hours/a~1b~0c");
}

TEST(Json, ObjectReaderRejectsUnknownFieldsByPointer) {
  using hotline::detail::ObjectReader;
  using hotline::detail::parse_json;
  const auto doc = parse_json(R"({"name": "x", "nmae": "typo", "level": 2})");
  ObjectReader r(doc, "/routing/queues/4");
  EXPECT_EQ(r.string("name"), "x");
  EXPECT_EQ(r.integer("level"), 2);
  const Error e = catch_error([&] { r.finish(); });
  EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
  EXPECT_EQ(e.where(), "/routing/queues/4/nmae");
  EXPECT_EQ(e.message(), "unknown field");
  r.allow({"nmae"});
  EXPECT_NO_THROW(r.finish());

  const auto odd = parse_json(R"({"a/b": 1})");
  ObjectReader r2(odd, "");
  EXPECT_EQ(catch_error([&] { r2.finish(); }).where(), "/a~1b");
}

TEST(Json, ObjectReaderTypeErrors) {
  using hotline::detail::ObjectReader;
  using hotline::detail::parse_json;
  const auto doc = parse_json(
      R"({"s": 5, "n": "x", "i": 1.5, "b": "yes", "a": {}, "big": 18446744073709551615,
          "ok_s": "v", "ok_n": 2.5, "ok_i": -3, "ok_b": true, "ok_a": [1]})");
  ObjectReader r(doc, "/x");
  struct Case {
    std::function<void()> f;
    const char* where;
    const char* message;
  };
  const std::vector<Case> cases{
      {[&] { r.string("s"); }, "/x/s", "expected a string, found integer"},
      {[&] { r.number("n"); }, "/x/n", "expected a number, found string"},
      {[&] { r.integer("i"); }, "/x/i", "expected an integer, found number"},
      {[&] { r.boolean("b", false); }, "/x/b", "expected true or false, found string"},
      {[&] { r.array("a"); }, "/x/a", "expected an array, found object"},
      {[&] { r.optional_array("a"); }, "/x/a", "expected an array, found object"},
      {[&] { r.integer("big"); }, "/x/big", "integer out of range"},
      {[&] { r.string("missing"); }, "/x/missing", "missing required field"},
  };
  for (const Case& c : cases) {
    const Error e = catch_error(c.f);
    EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
    EXPECT_EQ(e.where(), c.where);
    EXPECT_EQ(e.message(), c.message);
  }
  EXPECT_EQ(r.string("ok_s"), "v");
  EXPECT_EQ(r.number("ok_n"), 2.5);
  EXPECT_EQ(r.number("ok_i"), -3.0);
  EXPECT_EQ(r.integer("ok_i"), -3);
  EXPECT_TRUE(r.boolean("ok_b", false));
  EXPECT_TRUE(r.boolean("absent", true));
  EXPECT_EQ(r.array("ok_a").size(), 1u);
  EXPECT_EQ(r.optional_array("absent2"), nullptr);
  EXPECT_EQ(r.optional_string("absent3"), std::nullopt);
  EXPECT_EQ(r.optional_integer("ok_i"), -3);
  EXPECT_EQ(r.optional_number("absent4"), std::nullopt);

  const auto arr = parse_json("[1]");
  const Error not_object = catch_error([&] { ObjectReader bad(arr, ""); });
  EXPECT_EQ(not_object.where(), "/");
  EXPECT_EQ(not_object.message(), "expected an object, found array");
}

TEST(Json, DiagnosticsCollectEveryProblem) {
  hotline::detail::Diagnostics d;
  EXPECT_TRUE(d.empty());
  EXPECT_NO_THROW(d.throw_if_any());
  d.add("/a", "first");
  d.add("/b", "second");
  const Error e = catch_error([&] { d.throw_if_any(); });
  EXPECT_EQ(e.code(), ErrorCode::invalid_definition);
  ASSERT_EQ(e.diagnostics().size(), 2u);
  EXPECT_EQ(e.diagnostics()[1].where, "/b");
  EXPECT_EQ(catch_error([&] { d.throw_if_any(ErrorCode::limit); }).code(), ErrorCode::limit);
}

TEST(Json, ReadFileErrorsNameThePath) {
  const Error e = catch_error([] { hotline::detail::read_file("/nonexistent/dir/cal.json"); });
  EXPECT_EQ(e.code(), ErrorCode::io);
  EXPECT_EQ(e.where(), "/nonexistent/dir/cal.json");
  const std::string text =
      hotline::detail::read_file(HOTLINE_SOURCE_DIR "/examples/calendars/hotline-7x24.json");
  EXPECT_NE(text.find("\"always_open\": true"), std::string::npos);
}

}  // namespace
