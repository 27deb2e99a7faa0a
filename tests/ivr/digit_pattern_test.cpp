// The collect pattern engine (src/ivr/digit_pattern.hpp): full matches agree with std::regex
// (libstdc++'s ECMAScript regex_match, the reference) on fixed and random patterns of the
// supported syntax; every limit is an error naming the character; pathological patterns that
// crash or stall a backtracking engine are refused or matched in linear time.
#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>
#include <vector>

#include "ivr/digit_pattern.hpp"

namespace {

using hotline::ivr::internal::DigitPattern;
using hotline::ivr::internal::PatternError;

bool reference(const std::string& pattern, const std::string& keys) {
  return std::regex_match(keys, std::regex(pattern, std::regex::ECMAScript));
}

std::string error_of(const std::string& pattern) {
  try {
    DigitPattern p(pattern);
  } catch (const PatternError& e) {
    return e.what();
  }
  return "";
}

TEST(DigitPattern, AgreesWithStdRegexOnTheShippedAndTypicalPatterns) {
  const std::vector<std::string> patterns = {"[12]",
                                             "[1-5]",
                                             "[1-7]",
                                             "[0-9]|10",
                                             "[0-9]{6}",
                                             "^[0-9*#]$",
                                             "1[3-9][0-9]{9}",
                                             "[0-9]*",
                                             "\\d{4,6}",
                                             "(?:0|1)+#?",
                                             "(1|2|3)",
                                             "1?2?3?",
                                             "[^0]\\d*",
                                             "\\*\\#",
                                             "[*#]",
                                             "(12)*",
                                             "(1|)+",
                                             "()",
                                             "",
                                             "a",
                                             "[]",
                                             "[^]",
                                             "1{0}",
                                             "1{0,0}2",
                                             "(1{2}){3}",
                                             "1{2,}",
                                             "(?:1|22|333){1,3}",
                                             "^1|2$",
                                             "1^2",
                                             "$",
                                             "^",
                                             "[-1]",
                                             "[1-]",
                                             "[\\-]",
                                             "[\\]]",
                                             "\\.",
                                             ".{3}",
                                             "(((1)))",
                                             "1*?",
                                             "1+?2",
                                             "1??",
                                             "[0-9]{0,32}",
                                             "\\D",
                                             "[\\d#]",
                                             "[^\\d]"};
  const std::vector<std::string> inputs = {
      "",     "1",      "2",   "3",      "10",          "11",   "0",           "#",
      "*",    "12",     "123", "123456", "13812345678", "1234", "*#",          "a",
      "1212", "111111", "333", "-",      "]",           ".",    "0123456789*#"};
  for (const std::string& p : patterns) {
    DigitPattern compiled(p);
    for (const std::string& k : inputs) {
      EXPECT_EQ(compiled.matches(k), reference(p, k))
          << "pattern \"" << p << "\" keys \"" << k << "\"";
    }
  }
}

// Random patterns over the supported grammar, random keys: the same answers as std::regex.
std::string random_pattern(std::mt19937_64& rng, int depth) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::string out;
  const int items = 1 + pick(3);
  for (int i = 0; i < items; ++i) {
    std::string atom;
    switch (pick(depth > 2 ? 6 : 8)) {
      case 0:
        atom = std::string(1, "0123#"[pick(5)]);
        break;
      case 1:
        atom = "[" + std::string(pick(2) ? "^" : "") + std::string(1, "0123"[pick(4)]) + "-3#]";
        break;
      case 2:
        atom = "\\d";
        break;
      case 3:
        atom = ".";
        break;
      case 4:
        atom = "\\*";
        break;
      case 5:
        atom = std::string(1, "0123"[pick(4)]);
        break;
      default:
        atom = std::string(pick(2) ? "(" : "(?:") + random_pattern(rng, depth + 1) + "|" +
               random_pattern(rng, depth + 1) + ")";
    }
    switch (pick(7)) {
      case 0:
        atom += "*";
        break;
      case 1:
        atom += "+";
        break;
      case 2:
        atom += "?";
        break;
      case 3: {
        const int lo = pick(3);
        atom +=
            "{" + std::to_string(lo) + (pick(2) ? "," + std::to_string(lo + pick(3)) : "") + "}";
        break;
      }
      default:
        break;
    }
    out += atom;
  }
  return out;
}

TEST(DigitPattern, AgreesWithStdRegexOnRandomPatterns) {
  std::mt19937_64 rng(20261123);
  int compared = 0, matched = 0;
  for (int round = 0; round < 400; ++round) {
    const std::string p = random_pattern(rng, 0);
    DigitPattern compiled(p);
    const std::regex re(p, std::regex::ECMAScript);
    for (int k = 0; k < 40; ++k) {
      std::string keys;
      const int len = static_cast<int>(rng() % 7);
      for (int i = 0; i < len; ++i) keys += "0123#*"[rng() % 6];
      const bool want = std::regex_match(keys, re);
      ASSERT_EQ(compiled.matches(keys), want) << "pattern \"" << p << "\" keys \"" << keys << "\"";
      ++compared;
      matched += want;
    }
  }
  // The generator must produce both outcomes often enough for the comparison to mean something.
  EXPECT_GT(matched, compared / 20);
  EXPECT_LT(matched, compared - compared / 20);
}

TEST(DigitPattern, ErrorsNameTheCharacter) {
  EXPECT_EQ(error_of("("), "at character 1: unmatched '('");
  EXPECT_EQ(error_of("12)"), "at character 3: unmatched ')'");
  EXPECT_EQ(error_of("[0-9"), "at character 1: unmatched '['");
  EXPECT_EQ(error_of("[9-0]"), "at character 2: range out of order");
  EXPECT_EQ(error_of("*1"), "at character 1: nothing to repeat");
  EXPECT_EQ(error_of("1**"), "at character 3: nothing to repeat");
  EXPECT_EQ(error_of("^*"), "at character 2: nothing to repeat");
  EXPECT_EQ(error_of("1{2"), "at character 2: expected {n}, {n,} or {n,m}");
  EXPECT_EQ(error_of("1{a}"), "at character 2: expected {n}, {n,} or {n,m}");
  EXPECT_EQ(error_of("1{3,2}"), "at character 2: {3,2}: the maximum is below the minimum");
  EXPECT_NE(error_of("1{33}").find("above 32"), std::string::npos);
  EXPECT_NE(error_of("1{0,1000000000000}").find("above 32"), std::string::npos);
  EXPECT_NE(error_of("(?=1)").find("lookaround"), std::string::npos);
  EXPECT_NE(error_of("(1)\\1").find("unsupported escape '\\1'"), std::string::npos);
  EXPECT_NE(error_of("\\b").find("unsupported escape"), std::string::npos);
  EXPECT_EQ(error_of("1\\"), "at character 2: the pattern ends with a lone backslash");
  EXPECT_EQ(error_of(std::string(257, '1')), "the pattern is 257 characters long (at most 256)");
}

TEST(DigitPattern, NestingIsBoundedInsteadOfOverflowingTheStack) {
  // std::regex recursed once per group: 30,000 nested groups crashed the loader (a finding, now a
  // regression test in ivr_test.cpp too). Here depth 16 compiles and 17 is an error.
  std::string ok = std::string(16, '(') + "1" + std::string(16, ')');
  EXPECT_TRUE(DigitPattern(ok).matches("1"));
  std::string deep = std::string(17, '(') + "1" + std::string(17, ')');
  EXPECT_EQ(error_of(deep), "at character 17: groups nested more than 16 deep");
  EXPECT_NE(error_of(std::string(128, '(') + std::string(128, ')')).find("nested"),
            std::string::npos);
}

TEST(DigitPattern, CountedRepetitionsAreBoundedByStates) {
  EXPECT_EQ(DigitPattern("1{32}").matches(std::string(32, '1')), true);
  EXPECT_EQ(DigitPattern("1{32}").matches(std::string(31, '1')), false);
  // (1{32}){32}{32}... expands multiplicatively: refused, not built.
  const std::string e = error_of("((1{32}){32}){32}");
  EXPECT_NE(e.find("more than 4096 automaton states"), std::string::npos) << e;
  EXPECT_LE(DigitPattern("(1{32}){32}").states(), DigitPattern::kMaxStates);
}

TEST(DigitPattern, SmallAndLargeAutomataMatchAlikeAcrossRepeatedCalls) {
  // Up to 128 states the matcher's scratch is on the stack, above it on the heap: both paths,
  // each called repeatedly on one object (no state may leak from one call into the next).
  const DigitPattern small("[1-3]\\d{2}#?");
  const DigitPattern large("(1{32}){32}2?");
  ASSERT_LE(small.states(), 128u);
  ASSERT_GT(large.states(), 128u);
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE(small.matches("100#"));
    EXPECT_FALSE(small.matches("400"));
    EXPECT_TRUE(small.matches("399"));
    EXPECT_TRUE(large.matches(std::string(1024, '1')));
    EXPECT_TRUE(large.matches(std::string(1024, '1') + "2"));
    EXPECT_FALSE(large.matches(std::string(1023, '1')));
    EXPECT_FALSE(large.matches(std::string(1024, '1') + "22"));
  }
}

TEST(DigitPattern, NoCatastrophicBacktracking) {
  // Classic exponential cases for a backtracking matcher; the simulation visits each state at most
  // once per key. (Correctness is what the test checks; the point is that it finishes.)
  const std::string ones(32, '1');
  EXPECT_FALSE(DigitPattern("(1|1)*2").matches(ones));
  EXPECT_FALSE(DigitPattern("(1*)*2").matches(ones));
  EXPECT_FALSE(DigitPattern("(1?){32}1{32}2").matches(ones));
  EXPECT_TRUE(DigitPattern("(1?){32}1{32}").matches(ones));
  EXPECT_TRUE(DigitPattern("(1|11)*").matches(ones));
}

TEST(DigitPattern, AnyByteIsAKey) {
  // Keys come from hosts: bytes outside DTMF (and invalid UTF-8) simply do not match a digit.
  EXPECT_FALSE(DigitPattern("\\d").matches("\xff"));
  EXPECT_TRUE(DigitPattern(".").matches("\xff"));
  EXPECT_TRUE(DigitPattern("[^0-9]").matches("\xff"));
  EXPECT_FALSE(DigitPattern(".").matches("\n"));
  EXPECT_TRUE(DigitPattern("[A-D]").matches("C"));  // DTMF's fourth column
}

}  // namespace
