// Internal: a discrete-event calendar. A 4-ary heap holds future events; events due at the
// instant being processed (a pick-up without delay, a wrap-up of 0 s: two of the five events of
// a simulated call) go to a FIFO instead, without a push and a pop through the heap's levels.
//
// Order: exactly the heap's. T has a member `at` (its due time); `Before` is a strict total order
// that sorts by `at` first (the simulator breaks ties with a sequence number). The FIFO stays in
// order because the processing instant never goes back (set_now() keeps the latest) and the
// caller keeps one promise: among events pushed at one instant, later pushes sort later (a
// growing sequence number does this). Each pop then takes the earlier of the FIFO's front and the
// heap's top.
#pragma once

#include <cstddef>
#include <vector>

#include "core/quad_heap.hpp"

namespace hotline::detail {

template <class T, class Before, class Time>
class EventCalendar {
 public:
  /// `fifo`: whether events due now take the FIFO (true) or the heap like any other (the
  /// reference order, for tests). The processing instant starts at Time::min().
  explicit EventCalendar(bool fifo = true) : fifo_on_(fifo) {}

  /// Sets the instant being processed. An earlier instant than the current one is ignored, so
  /// the FIFO's order never depends on the caller's clock (an event due before it takes the heap).
  void set_now(Time t) noexcept {
    if (now_ < t) now_ = t;
  }

  void push(const T& x) {
    if (fifo_on_ && x.at == now_) {
      fifo_.push_back(x);
    } else {
      heap_.push(x);
    }
  }

  bool empty() const noexcept { return head_ == fifo_.size() && heap_.empty(); }
  std::size_t size() const noexcept { return fifo_.size() - head_ + heap_.size(); }

  /// The earliest event. Not empty.
  const T& top() const { return fifo_first() ? fifo_[head_] : heap_.top(); }

  /// Removes and returns the earliest event. Not empty.
  T pop() {
    if (fifo_first()) {
      T x = fifo_[head_++];
      if (head_ == fifo_.size()) {
        fifo_.clear();  // keeps the capacity
        head_ = 0;
      }
      return x;
    }
    T x = heap_.top();
    heap_.pop();
    return x;
  }

 private:
  bool fifo_first() const noexcept {
    return head_ < fifo_.size() && (heap_.empty() || Before{}(fifo_[head_], heap_.top()));
  }

  QuadHeap<T, Before> heap_;
  std::vector<T> fifo_;  // from head_: events due at now_ (or earlier instants), in order
  std::size_t head_ = 0;
  Time now_ = Time::min();
  bool fifo_on_;
};

}  // namespace hotline::detail
