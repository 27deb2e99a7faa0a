// Internal: the collect node's key pattern — a bounded subset of ECMAScript regular expressions
// compiled to a Thompson NFA and matched by simulation, in time linear in the input (at most
// Tree::kMaxCollectDigits keys) times the automaton's size, without recursion.
//
// std::regex compiled patterns by recursive descent without a depth limit (a pattern nested
// 30,000 groups deep overflowed the stack while loading a document) and matched by backtracking
// ("(1|1)*2" against 32 ones takes 2^32 steps). Here every dimension has a stated limit and the
// parser's recursion is bounded by the nesting limit.
//
// Syntax: literals (any byte but the metacharacters), '.', '\d' '\D' and escaped metacharacters,
// classes "[0-9*#]" "[^0]" (ranges, '\d', escapes), groups "( )" and "(?: )", alternation '|',
// quantifiers ? * + {n} {n,} {n,m} (a trailing '?' for laziness is accepted: a full match does not
// depend on it), and the anchors '^' and '$' anywhere (at the start and the end of the keys).
// Lookaround, backreferences and word boundaries are errors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::ivr::internal {

/// A pattern that does not compile: the message names the character offset.
class PatternError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DigitPattern {
 public:
  static constexpr std::size_t kMaxLength = 256;   ///< characters in a pattern
  static constexpr int kMaxDepth = 16;             ///< nested groups
  static constexpr int kMaxCount = 32;             ///< largest n or m in {n,m}: the longest collect
  static constexpr std::size_t kMaxStates = 4096;  ///< automaton states after expanding counts

  /// Compiles; throws PatternError.
  explicit DigitPattern(std::string_view pattern);

  /// True when the whole of `keys` matches (ECMAScript regex_match semantics).
  bool matches(std::string_view keys) const;

  std::size_t states() const noexcept { return states_.size(); }

 private:
  using ByteSet = std::array<std::uint64_t, 4>;
  enum class Op : std::uint8_t { byte, split, begin, end, match };
  struct State {
    Op op = Op::match;
    std::uint32_t set = 0;  // byte: index into sets_
    std::uint32_t out = 0, out2 = 0;
  };
  struct Node;
  class Parser;
  struct Frag;

  Frag emit(const Node& n);
  bool simulate(std::string_view keys, std::span<std::uint32_t> mark, std::uint32_t* cur,
                std::uint32_t* next, std::uint32_t* stack) const;
  std::uint32_t add(State s);
  void patch(const std::vector<std::uint32_t>& holes, std::uint32_t to);

  std::vector<State> states_;
  std::vector<ByteSet> sets_;
  std::uint32_t start_ = 0;
};

}  // namespace hotline::ivr::internal
