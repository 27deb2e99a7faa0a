// Internal: a 4-ary min-heap (the first element by `Before` on top). Half the levels of a binary
// heap, the four children of a node in one or two cache lines, and moves through a hole instead
// of swaps: cheaper pops for the simulator's event calendar. Same order as any heap with a strict
// total order: equal keys must not occur (the simulator's events carry a sequence number).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace hotline::detail {

template <class T, class Before>
class QuadHeap {
 public:
  bool empty() const noexcept { return v_.empty(); }
  std::size_t size() const noexcept { return v_.size(); }
  const T& top() const { return v_.front(); }
  void reserve(std::size_t n) { v_.reserve(n); }

  void push(T x) {
    std::size_t i = v_.size();
    v_.push_back(x);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!Before{}(x, v_[parent])) break;
      v_[i] = std::move(v_[parent]);
      i = parent;
    }
    v_[i] = std::move(x);
  }

  void pop() {
    T x = std::move(v_.back());
    v_.pop_back();
    const std::size_t n = v_.size();
    if (n == 0) return;
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      const std::size_t last = first + 4 < n ? first + 4 : n;
      std::size_t best = first;
      for (std::size_t c = first + 1; c < last; ++c) {
        if (Before{}(v_[c], v_[best])) best = c;
      }
      if (!Before{}(v_[best], x)) break;
      v_[i] = std::move(v_[best]);
      i = best;
    }
    v_[i] = std::move(x);
  }

 private:
  std::vector<T> v_;
};

}  // namespace hotline::detail
