// Internal: an ordered multiset that answers "how many elements come before this one" in
// O(chunks + log chunk) — the queue-position index behind Router::position().
//
// Elements live in sorted chunks of at most kMaxChunk; the concatenation of the chunks is sorted.
// Insert and erase touch one chunk (a short memmove); counting walks the chunk boundaries. For the
// queue lengths of a contact centre (tens to a few thousand) this beats a node-based tree: no
// allocation per element and one cache line per comparison.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace hotline::routing::detail {

template <class Key, class Less>
class RankSet {
 public:
  static constexpr std::size_t kMaxChunk = 128;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const Key& front() const { return chunks_.front().front(); }  ///< Not empty() only.
  const Key& back() const { return chunks_.back().back(); }     ///< Not empty() only.

  void insert(const Key& k) {
    if (chunks_.empty()) {
      chunks_.emplace_back().reserve(kMaxChunk);
      chunks_.back().push_back(k);
      size_ = 1;
      return;
    }
    // The usual arrival sorts last (same tier, later, aged less): append without a search.
    if (std::vector<Key>& last = chunks_.back();
        last.size() < kMaxChunk && (last.empty() ? chunks_.size() == 1 : !Less{}(k, last.back()))) {
      last.push_back(k);
      ++size_;
      return;
    }
    const std::size_t ci = chunk_for(k);
    std::vector<Key>& c = chunks_[ci];
    c.insert(std::upper_bound(c.begin(), c.end(), k, Less{}), k);
    ++size_;
    if (c.size() > kMaxChunk) {
      std::vector<Key> upper(c.begin() + static_cast<std::ptrdiff_t>(c.size() / 2), c.end());
      upper.reserve(kMaxChunk);
      c.resize(c.size() / 2);
      chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(ci + 1), std::move(upper));
    }
  }

  /// Removes one element equivalent to k; false when there is none.
  bool erase(const Key& k) {
    if (size_ == 0) return false;
    const std::size_t ci = chunk_for(k);
    std::vector<Key>& c = chunks_[ci];
    auto it = std::lower_bound(c.begin(), c.end(), k, Less{});
    if (it == c.end() || Less{}(k, *it)) return false;
    c.erase(it);
    --size_;
    // The last chunk stays (empty) with its capacity: a queue that empties and fills again, the
    // usual case, allocates nothing.
    if (c.empty() && chunks_.size() > 1)
      chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(ci));
    return true;
  }

  /// The number of leading elements for which `pred` holds; `pred` must be true on a prefix of
  /// the order and false after it.
  template <class Pred>
  std::size_t count_prefix(Pred pred) const {
    if (size_ == 0) return 0;
    std::size_t n = 0;
    for (const std::vector<Key>& c : chunks_) {
      if (pred(c.back())) {
        n += c.size();
        continue;
      }
      return n +
             static_cast<std::size_t>(std::partition_point(c.begin(), c.end(), pred) - c.begin());
    }
    return n;
  }

  template <class F>
  void for_each(F f) const {
    for (const std::vector<Key>& c : chunks_)
      for (const Key& k : c) f(k);
  }

 private:
  // The first chunk whose last element is not before k (the last chunk when k is past all).
  std::size_t chunk_for(const Key& k) const {
    const std::size_t n = chunks_.size();
    for (std::size_t i = 0; i + 1 < n; ++i) {
      if (!Less{}(chunks_[i].back(), k)) return i;
    }
    return n - 1;
  }

  std::vector<std::vector<Key>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace hotline::routing::detail
