// libFuzzer: routing. Input starting with 'E': JSON Lines of router events (event_from_json)
// applied to a router on the example policy, the invariants checked after every accepted event. Any
// other input: a routing policy; what loads is driven through a scripted day (agents without
// skills, callers in every queue, timers, answers, abandons). Seeds: examples/routing,
// corpus/<target>.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"

namespace {

hotline_routing_policy* example_policy() {
  static hotline_routing_policy* p = [] {
    hotline_routing_policy* x = nullptr;
    if (hotline_routing_policy_load(&x, HOTLINE_SOURCE_DIR "/examples/routing/policy.json") !=
        HOTLINE_OK)
      std::abort();
    return x;
  }();
  return p;
}

void drain(hotline_router* r, std::vector<hotline_routing_decision>& out) {
  hotline_routing_decision d[32];
  size_t n = 0;
  do {
    fuzz::check_status(hotline_router_drain(d, 32, &n, r));
    out.insert(out.end(), d, d + n);
  } while (n == 32);
}

void events_mode(const char* data, size_t size) {
  hotline_router* r = nullptr;
  fuzz::check_status(hotline_router_new(&r, example_policy(), nullptr), r);
  std::string line;
  std::vector<hotline_routing_decision> out;
  for (size_t i = 1; i <= size; ++i) {
    if (i < size && data[i] != '\n') {
      line.push_back(data[i]);
      continue;
    }
    const int rc = hotline_router_apply(r, line.c_str());
    fuzz::check_status(rc);
    line.clear();
    if (rc == HOTLINE_OK && hotline_router_check(r) != HOTLINE_OK) std::abort();
    drain(r, out);
  }
  hotline_router_free(r);
}

void policy_mode(const char* data, size_t size) {
  hotline_routing_policy* p = nullptr;
  int rc = hotline_routing_policy_from_json(&p, data, size, HOTLINE_SOURCE_DIR "/examples/routing");
  fuzz::check_status(rc, p);
  if (rc != HOTLINE_OK) return;
  size_t queues = 0;
  fuzz::check_status(hotline_routing_policy_queue_count(&queues, p));
  hotline_router* r = nullptr;
  fuzz::check_status(hotline_router_new(&r, p, nullptr), r);
  std::vector<hotline_routing_decision> out;
  hotline_time_ms now = fuzz::kBase;
  for (int a = 1; a <= 3; ++a) {
    const std::string profile = "{\"id\": " + std::to_string(a) + "}";
    fuzz::check_status(hotline_router_login(r, profile.c_str(), true, now));
  }
  char name[256];
  size_t needed = 0;
  uint64_t id = 1;
  for (int round = 0; round < 4; ++round) {
    for (size_t q = 0; q < queues && q < 16; ++q) {
      fuzz::check_status(hotline_routing_policy_queue_name(name, sizeof name, &needed, p, q));
      now += 7000;
      fuzz::check_status(
          hotline_router_arrive_simple(r, id++, name, nullptr, round % 2 ? "zh" : nullptr, now));
      fuzz::check_status(hotline_router_advance(r, now));
      drain(r, out);
      for (const auto& d : out) {
        if (d.kind == HOTLINE_ROUTING_OFFER) {
          fuzz::check_status(hotline_router_accept(r, d.contact, d.agent, now));
          fuzz::check_status(hotline_router_end(r, d.contact, now + 1000));
        }
      }
      out.clear();
    }
    now += 3600 * 1000;
    fuzz::check_status(hotline_router_advance(r, now));
    drain(r, out);
    out.clear();
    if (hotline_router_check(r) != HOTLINE_OK) std::abort();
  }
  hotline_router_free(r);
  hotline_routing_policy_free(p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* text = reinterpret_cast<const char*>(data);
  if (size > 0 && text[0] == 'E') {
    events_mode(text, size);
  } else {
    policy_mode(text, size);
  }
  return 0;
}
