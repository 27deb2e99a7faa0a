// hotline::routing — a synchronised facade over the router for hosts that call from several
// threads (a PBX with per-channel threads, a CTI server's worker pool).
#pragma once

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#include <hotline/routing/router.hpp>

namespace hotline::routing {

/// A Router behind one mutex: every call is serialised and returns its decisions as a copy the
/// calling thread owns. Threads stamp events with their own clocks, which race by a few
/// milliseconds: an event stamped before the router's latest time is applied at that time (the
/// router's clock never goes back) instead of failing. A refused event still throws
/// hotline::Error and changes nothing. Tested under ThreadSanitizer (tests/concurrency:
/// Concurrent.SharedRouter).
///
///   SharedRouter shared(Router(policy));
///   // any thread:
///   for (const Decision& d : shared.arrive(spec, now)) pbx.handle(d);
class SharedRouter {
 public:
  explicit SharedRouter(Router router) : router_(std::move(router)) {}

  /// Runs fn(Router&) under the lock and returns its result (for queries and anything else).
  template <class Fn>
  decltype(auto) with(Fn&& fn) {
    std::lock_guard lock(mutex_);
    return std::forward<Fn>(fn)(router_);
  }

  std::vector<Decision> login(const AgentProfile& agent, Instant now, bool ready = true) {
    return call([&](Router& r, Instant t) { return r.login(agent, t, ready); }, now);
  }
  std::vector<Decision> logout(AgentId agent, Instant now) {
    return call([&](Router& r, Instant t) { return r.logout(agent, t); }, now);
  }
  std::vector<Decision> ready(AgentId agent, Instant now) {
    return call([&](Router& r, Instant t) { return r.ready(agent, t); }, now);
  }
  std::vector<Decision> not_ready(AgentId agent, std::string_view reason, Instant now) {
    return call([&](Router& r, Instant t) { return r.not_ready(agent, reason, t); }, now);
  }
  std::vector<Decision> arrive(const ContactSpec& contact, Instant now) {
    return call([&](Router& r, Instant t) { return r.arrive(contact, t); }, now);
  }
  std::vector<Decision> abandon(ContactId contact, Instant now) {
    return call([&](Router& r, Instant t) { return r.abandon(contact, t); }, now);
  }
  std::vector<Decision> accept(ContactId contact, AgentId agent, Instant now) {
    return call([&](Router& r, Instant t) { return r.accept(contact, agent, t); }, now);
  }
  std::vector<Decision> reject(ContactId contact, AgentId agent, Instant now) {
    return call([&](Router& r, Instant t) { return r.reject(contact, agent, t); }, now);
  }
  std::vector<Decision> end(ContactId contact, Instant now) {
    return call([&](Router& r, Instant t) { return r.end(contact, t); }, now);
  }
  std::vector<Decision> wrap_up_done(ContactId contact, Instant now) {
    return call([&](Router& r, Instant t) { return r.wrap_up_done(contact, t); }, now);
  }
  std::vector<Decision> callback_accepted(ContactId contact, Instant now) {
    return call([&](Router& r, Instant t) { return r.callback_accepted(contact, t); }, now);
  }
  std::vector<Decision> callback_declined(ContactId contact, Instant now) {
    return call([&](Router& r, Instant t) { return r.callback_declined(contact, t); }, now);
  }
  std::vector<Decision> advance(Instant now) {
    return call([&](Router& r, Instant t) { return r.advance(t); }, now);
  }

 private:
  template <class Fn>
  std::vector<Decision> call(Fn&& fn, Instant now) {
    std::lock_guard lock(mutex_);
    const Instant t = std::max(now, router_.last_time());
    const std::span<const Decision> d = fn(router_, t);
    return std::vector<Decision>(d.begin(), d.end());
  }

  std::mutex mutex_;
  Router router_;
};

}  // namespace hotline::routing
