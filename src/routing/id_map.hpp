// Internal: an open-addressing hash map from 64-bit host ids to slot indices (linear probing,
// backward-shift deletion, load <= 1/2). One cache line per lookup instead of a node chase.
// Each entry also carries a 32-bit word for the owner's use (aux), in what would be padding: a
// value read with the lookup costs no further cache miss.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace hotline::routing::detail_ids {

class IdMap {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  /// The slot of `key`, or kNone.
  std::uint32_t find(std::uint64_t key) const noexcept {
    const std::size_t i = locate(key);
    return i == kNoSlot ? kNone : slots_[i].value;
  }
  /// The slot of `key` and its aux word ({kNone, 0} when absent).
  std::pair<std::uint32_t, std::uint32_t> find_with_aux(std::uint64_t key) const noexcept {
    const std::size_t i = locate(key);
    return i == kNoSlot ? std::pair{kNone, 0u} : std::pair{slots_[i].value, slots_[i].aux};
  }
  /// Sets the aux word of a present key (no effect when absent).
  void set_aux(std::uint64_t key, std::uint32_t aux) noexcept {
    if (const std::size_t i = locate(key); i != kNoSlot) slots_[i].aux = aux;
  }
  bool contains(std::uint64_t key) const noexcept { return find(key) != kNone; }
  /// Starts loading the line where `key`'s probe begins (a lookup or insert soon after).
  void prefetch(std::uint64_t key) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[home(key)]);
  }
  std::size_t size() const noexcept { return size_; }

  /// Inserts a key that is not present (aux 0).
  void insert(std::uint64_t key, std::uint32_t value, std::uint32_t aux = 0) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t i = home(key);
    while (slots_[i].value != kNone) i = (i + 1) & mask_;
    slots_[i] = {key, value, aux};
    ++size_;
  }

  void erase(std::uint64_t key) noexcept {
    if (slots_.empty()) return;
    std::size_t i = home(key);
    for (;; i = (i + 1) & mask_) {
      if (slots_[i].value == kNone) return;
      if (slots_[i].key == key) break;
    }
    // Backward shift: move later members of the probe run into the hole.
    std::size_t j = i;
    for (;;) {
      j = (j + 1) & mask_;
      if (slots_[j].value == kNone) break;
      const std::size_t k = home(slots_[j].key);
      const bool movable = (j > i) ? (k <= i || k > j) : (k <= i && k > j);
      if (movable) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i].value = kNone;
    --size_;
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t value = kNone;
    std::uint32_t aux = 0;
  };
  static constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);
  /// The index of `key`'s entry, or kNoSlot (one probe run).
  std::size_t locate(std::uint64_t key) const noexcept {
    if (slots_.empty()) return kNoSlot;
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      if (slots_[i].value == kNone) return kNoSlot;
      if (slots_[i].key == key) return i;
    }
  }
  std::size_t home(std::uint64_t key) const noexcept {
    key ^= key >> 33;
    key *= 0xFF51AFD7ED558CCDULL;
    key ^= key >> 33;
    return static_cast<std::size_t>(key) & mask_;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Slot& s : old) {
      if (s.value != kNone) insert(s.key, s.value, s.aux);
    }
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace hotline::routing::detail_ids
