// The collect node's key pattern (digit_pattern.hpp): parse to a small tree, expand counted
// repetitions into a Thompson NFA, match by simulating every state at once.
#include "ivr/digit_pattern.hpp"

#include <utility>

#include <fmt/format.h>

namespace hotline::ivr::internal {

namespace {

using ByteSet = std::array<std::uint64_t, 4>;

void set_byte(ByteSet& s, unsigned char c) { s[c >> 6] |= std::uint64_t{1} << (c & 63); }
bool has_byte(const ByteSet& s, unsigned char c) { return (s[c >> 6] >> (c & 63)) & 1; }
void set_range(ByteSet& s, unsigned char lo, unsigned char hi) {
  for (unsigned c = lo; c <= hi; ++c) set_byte(s, static_cast<unsigned char>(c));
}
ByteSet complement(const ByteSet& s) { return {~s[0], ~s[1], ~s[2], ~s[3]}; }
void unite(ByteSet& s, const ByteSet& t) {
  for (std::size_t i = 0; i < s.size(); ++i) s[i] |= t[i];
}
ByteSet digits() {
  ByteSet s{};
  set_range(s, '0', '9');
  return s;
}

// Characters that an escape turns into themselves.
constexpr std::string_view kIdentityEscapes = "^$\\.*+?()[]{}|/-#";

}  // namespace

struct DigitPattern::Node {
  enum class Kind : std::uint8_t { bytes, alternation, concat, repeat, begin, end };
  Kind kind = Kind::concat;
  ByteSet bytes{};
  int min = 0, max = 0;  // repeat: max -1 is unbounded
  std::vector<Node> kids;
};

struct DigitPattern::Frag {
  std::uint32_t start = 0;
  std::vector<std::uint32_t> holes;  // state * 2 + (0: out, 1: out2), to be patched
};

class DigitPattern::Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  Node parse() {
    Node root = alternation(0);
    if (i_ < p_.size()) fail(i_, "unmatched ')'");  // alternation stops only at ')' or the end
    return root;
  }

 private:
  [[noreturn]] void fail(std::size_t at, std::string_view message) const {
    throw PatternError(fmt::format("at character {}: {}", at + 1, message));
  }
  bool more() const { return i_ < p_.size(); }
  char peek() const { return p_[i_]; }

  Node alternation(int depth) {
    Node alt{.kind = Node::Kind::alternation, .bytes = {}, .min = 0, .max = 0, .kids = {}};
    alt.kids.push_back(concat(depth));
    while (more() && peek() == '|') {
      ++i_;
      alt.kids.push_back(concat(depth));
    }
    if (alt.kids.size() == 1) return std::move(alt.kids.front());
    return alt;
  }

  Node concat(int depth) {
    Node c{.kind = Node::Kind::concat, .bytes = {}, .min = 0, .max = 0, .kids = {}};
    while (more() && peek() != '|' && peek() != ')') c.kids.push_back(repeat(depth));
    if (c.kids.size() == 1) return std::move(c.kids.front());
    return c;
  }

  static bool quantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

  Node repeat(int depth) {
    Node a = atom(depth);
    if (!more() || !quantifier(peek())) return a;
    if (a.kind == Node::Kind::begin || a.kind == Node::Kind::end) fail(i_, "nothing to repeat");
    int min = 0, max = -1;
    const std::size_t q = i_;
    switch (p_[i_++]) {
      case '*':
        break;
      case '+':
        min = 1;
        break;
      case '?':
        max = 1;
        break;
      default: {  // '{'
        min = count(q);
        max = min;
        if (more() && peek() == ',') {
          ++i_;
          max = more() && peek() == '}' ? -1 : count(q);
        }
        if (!more() || peek() != '}') fail(q, "expected {n}, {n,} or {n,m}");
        ++i_;
        if (max >= 0 && max < min)
          fail(q, fmt::format("{{{},{}}}: the maximum is below the minimum", min, max));
      }
    }
    if (more() && peek() == '?') ++i_;  // lazy: the same full matches
    if (more() && quantifier(peek())) fail(i_, "nothing to repeat");
    Node r{.kind = Node::Kind::repeat, .bytes = {}, .min = min, .max = max, .kids = {}};
    r.kids.push_back(std::move(a));
    return r;
  }

  int count(std::size_t q) {
    if (!more() || peek() < '0' || peek() > '9') fail(q, "expected {n}, {n,} or {n,m}");
    int n = 0;
    while (more() && peek() >= '0' && peek() <= '9') {
      n = n * 10 + (peek() - '0');
      ++i_;
      if (n > DigitPattern::kMaxCount) {
        fail(q, fmt::format("repetition counts above {} (the longest collect) are not supported",
                            DigitPattern::kMaxCount));
      }
    }
    return n;
  }

  static Node bytes(const ByteSet& s) {
    return Node{.kind = Node::Kind::bytes, .bytes = s, .min = 0, .max = 0, .kids = {}};
  }

  // After a backslash (i_ at the escaped character): a class of bytes.
  ByteSet escape(std::size_t at) {
    if (!more()) fail(at, "the pattern ends with a lone backslash");
    const char c = p_[i_++];
    if (c == 'd') return digits();
    if (c == 'D') return complement(digits());
    if (kIdentityEscapes.find(c) == std::string_view::npos) {
      fail(at, fmt::format("unsupported escape '\\{}' (word boundaries, backreferences and "
                           "character-class escapes other than \\d are not supported)",
                           c));
    }
    ByteSet s{};
    set_byte(s, static_cast<unsigned char>(c));
    return s;
  }

  Node atom(int depth) {
    const std::size_t at = i_;
    const char c = p_[i_++];
    switch (c) {
      case '(': {
        if (depth + 1 > DigitPattern::kMaxDepth) {
          fail(at, fmt::format("groups nested more than {} deep", DigitPattern::kMaxDepth));
        }
        if (more() && peek() == '?') {
          if (i_ + 1 < p_.size() && p_[i_ + 1] == ':') {
            i_ += 2;
          } else {
            fail(at, "only (?: ) groups are supported (no lookaround)");
          }
        }
        Node g = alternation(depth + 1);
        if (!more() || peek() != ')') fail(at, "unmatched '('");
        ++i_;
        return g;
      }
      case '[':
        return bytes(klass(at));
      case '.': {
        ByteSet s = complement(ByteSet{});
        s['\n' >> 6] &= ~(std::uint64_t{1} << ('\n' & 63));
        s['\r' >> 6] &= ~(std::uint64_t{1} << ('\r' & 63));
        return bytes(s);
      }
      case '\\':
        return bytes(escape(at));
      case '^':
        return Node{.kind = Node::Kind::begin, .bytes = {}, .min = 0, .max = 0, .kids = {}};
      case '$':
        return Node{.kind = Node::Kind::end, .bytes = {}, .min = 0, .max = 0, .kids = {}};
      case '*':
      case '+':
      case '?':
      case '{':
        fail(at, "nothing to repeat");
      default: {
        ByteSet s{};
        set_byte(s, static_cast<unsigned char>(c));
        return bytes(s);
      }
    }
  }

  // After '[' (at its offset): the class up to the matching ']'.
  ByteSet klass(std::size_t at) {
    bool negate = false;
    if (more() && peek() == '^') {
      negate = true;
      ++i_;
    }
    ByteSet s{};
    for (;;) {
      if (!more()) fail(at, "unmatched '['");
      const std::size_t item = i_;
      char c = p_[i_++];
      if (c == ']') break;
      if (c == '\\') {
        if (more() && (peek() == 'd' || peek() == 'D')) {
          unite(s, escape(item));
          continue;
        }
        (void)escape(item);  // an identity escape: the character itself
        c = p_[i_ - 1];
      }
      const auto lo = static_cast<unsigned char>(c);
      // A range "a-b" unless the '-' is the class's last character.
      if (i_ + 1 < p_.size() && peek() == '-' && p_[i_ + 1] != ']') {
        ++i_;
        const std::size_t hi_at = i_;
        char h = p_[i_++];
        if (h == '\\') {
          if (more() && (peek() == 'd' || peek() == 'D')) fail(hi_at, "a range cannot end in \\d");
          (void)escape(hi_at);
          h = p_[i_ - 1];
        }
        const auto hi = static_cast<unsigned char>(h);
        if (hi < lo) fail(item, "range out of order");
        set_range(s, lo, hi);
      } else {
        set_byte(s, lo);
      }
    }
    return negate ? complement(s) : s;
  }

  std::string_view p_;
  std::size_t i_ = 0;
};

std::uint32_t DigitPattern::add(State s) {
  if (states_.size() >= kMaxStates) {
    throw PatternError(fmt::format(
        "the pattern expands to more than {} automaton states: use smaller repetition counts",
        kMaxStates));
  }
  states_.push_back(s);
  return static_cast<std::uint32_t>(states_.size() - 1);
}

void DigitPattern::patch(const std::vector<std::uint32_t>& holes, std::uint32_t to) {
  for (std::uint32_t h : holes) {
    State& s = states_[h >> 1];
    (h & 1 ? s.out2 : s.out) = to;
  }
}

DigitPattern::Frag DigitPattern::emit(const Node& n) {
  switch (n.kind) {
    case Node::Kind::bytes: {
      sets_.push_back(n.bytes);
      const std::uint32_t s = add({.op = Op::byte,
                                   .set = static_cast<std::uint32_t>(sets_.size() - 1),
                                   .out = 0,
                                   .out2 = 0});
      return {s, {s * 2}};
    }
    case Node::Kind::begin:
    case Node::Kind::end: {
      const std::uint32_t s = add(
          {.op = n.kind == Node::Kind::begin ? Op::begin : Op::end, .set = 0, .out = 0, .out2 = 0});
      return {s, {s * 2}};
    }
    case Node::Kind::alternation: {
      // A chain of splits: the j-th leads to alternative j or on to the next split.
      const std::size_t k = n.kids.size();
      std::vector<std::uint32_t> splits;
      for (std::size_t j = 0; j + 1 < k; ++j)
        splits.push_back(add({.op = Op::split, .set = 0, .out = 0, .out2 = 0}));
      Frag all;
      all.start = splits.front();
      for (std::size_t j = 0; j < k; ++j) {
        Frag f = emit(n.kids[j]);
        if (j + 1 < k) states_[splits[j]].out = f.start;
        if (j + 2 < k) states_[splits[j]].out2 = splits[j + 1];
        if (j + 1 == k) states_[splits[j - 1]].out2 = f.start;
        all.holes.insert(all.holes.end(), f.holes.begin(), f.holes.end());
      }
      return all;
    }
    case Node::Kind::concat: {
      if (n.kids.empty()) {  // matches the empty string
        const std::uint32_t s = add({.op = Op::split, .set = 0, .out = 0, .out2 = 0});
        return {s, {s * 2, s * 2 + 1}};
      }
      Frag f = emit(n.kids.front());
      for (std::size_t k = 1; k < n.kids.size(); ++k) {
        Frag g = emit(n.kids[k]);
        patch(f.holes, g.start);
        f.holes = std::move(g.holes);
      }
      return f;
    }
    case Node::Kind::repeat:
      break;
  }
  // x{min,max}: min copies, then either a loop (unbounded) or max - min optional copies.
  const Node& x = n.kids.front();
  std::vector<Frag> parts;
  for (int k = 0; k < n.min; ++k) parts.push_back(emit(x));
  if (n.max < 0) {
    const std::uint32_t s = add({.op = Op::split, .set = 0, .out = 0, .out2 = 0});
    Frag body = emit(x);
    states_[s].out = body.start;
    patch(body.holes, s);
    parts.push_back({s, {s * 2 + 1}});
  } else {
    for (int k = n.min; k < n.max; ++k) {
      const std::uint32_t s = add({.op = Op::split, .set = 0, .out = 0, .out2 = 0});
      Frag body = emit(x);
      states_[s].out = body.start;
      body.holes.push_back(s * 2 + 1);
      parts.push_back({s, std::move(body.holes)});
    }
  }
  if (parts.empty()) {  // x{0} (or x{0,0}): the empty string
    const std::uint32_t s = add({.op = Op::split, .set = 0, .out = 0, .out2 = 0});
    return {s, {s * 2, s * 2 + 1}};
  }
  for (std::size_t k = 1; k < parts.size(); ++k) patch(parts[k - 1].holes, parts[k].start);
  return {parts.front().start, std::move(parts.back().holes)};
}

DigitPattern::DigitPattern(std::string_view pattern) {
  if (pattern.size() > kMaxLength) {
    throw PatternError(
        fmt::format("the pattern is {} characters long (at most {})", pattern.size(), kMaxLength));
  }
  const Node root = Parser(pattern).parse();
  Frag f = emit(root);
  const std::uint32_t m = add({.op = Op::match, .set = 0, .out = 0, .out2 = 0});
  patch(f.holes, m);
  start_ = f.start;
}

bool DigitPattern::matches(std::string_view keys) const {
  // Collect patterns are small: their scratch lives on the stack (no allocation per key press).
  constexpr std::size_t kInline = 128;
  const std::size_t n = states_.size();
  if (n <= kInline) {
    std::array<std::uint32_t, kInline> mark{}, cur, next;
    std::array<std::uint32_t, 2 * kInline + 1> stack;
    return simulate(keys, {mark.data(), n}, cur.data(), next.data(), stack.data());
  }
  std::vector<std::uint32_t> mark(n, 0), cur(n), next(n), stack(2 * n + 1);
  return simulate(keys, mark, cur.data(), next.data(), stack.data());
}

// Bounds: a state joins a list only when first marked in a step, so a list holds at most n;
// the stack holds the seed plus two entries per state marked in that closure, at most 2n + 1.
bool DigitPattern::simulate(std::string_view keys, std::span<std::uint32_t> mark,
                            std::uint32_t* cur, std::uint32_t* next, std::uint32_t* stack) const {
  std::size_t ncur = 0, nnext = 0;
  std::uint32_t gen = 0;
  // Adds s and every state reachable from it without consuming a key (at input position pos).
  auto closure = [&](std::uint32_t* list, std::size_t& count, std::uint32_t s, std::size_t pos) {
    std::size_t top = 0;
    stack[top++] = s;
    while (top > 0) {
      const std::uint32_t x = stack[--top];
      if (mark[x] == gen) continue;
      mark[x] = gen;
      const State& st = states_[x];
      switch (st.op) {
        case Op::split:
          stack[top++] = st.out2;
          stack[top++] = st.out;
          break;
        case Op::begin:
          if (pos == 0) stack[top++] = st.out;
          break;
        case Op::end:
          if (pos == keys.size()) stack[top++] = st.out;
          break;
        case Op::byte:
        case Op::match:
          list[count++] = x;
          break;
      }
    }
  };
  ++gen;
  closure(cur, ncur, start_, 0);
  for (std::size_t pos = 0; pos < keys.size() && ncur > 0; ++pos) {
    const auto c = static_cast<unsigned char>(keys[pos]);
    nnext = 0;
    ++gen;
    for (std::size_t i = 0; i < ncur; ++i) {
      const State& st = states_[cur[i]];
      if (st.op == Op::byte && has_byte(sets_[st.set], c)) closure(next, nnext, st.out, pos + 1);
    }
    std::swap(cur, next);
    ncur = nnext;
  }
  for (std::size_t i = 0; i < ncur; ++i) {
    if (states_[cur[i]].op == Op::match) return true;
  }
  return false;
}

}  // namespace hotline::ivr::internal
