// The routing engine (docs/routing.md "Engine"). Two ways of finding a match share every piece of
// state and every rule: indexed (lazy heaps per requirement, O(log n) per decision) and scan (every
// agent / waiting contact per decision, how app_queue and mod_callcenter work). The scan mode is
// the benchmark baseline and the test oracle: both must make bit-identical decisions.
#include <hotline/routing/router.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <boost/container/small_vector.hpp>

#include <hotline/core/error.hpp>
#include <hotline/sla/sliding_window.hpp>

#include "core/hash.hpp"
#include "core/rounding.hpp"
#include "core/saturate.hpp"
#include "routing/id_map.hpp"
#include "routing/rank_set.hpp"

namespace hotline::routing {

namespace {

constexpr std::int64_t kMicro = 1'000'000;  // micro-points per point
constexpr std::size_t kMaxQueueHops = 64;   // overflow chain within one event

using hotline::detail::round_half_away;
using hotline::detail::sat_add;
std::int64_t sat_mul(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) {
    return (a < 0) != (b < 0) ? std::numeric_limits<std::int64_t>::min()
                              : std::numeric_limits<std::int64_t>::max();
  }
  return r;
}

std::uint64_t mix(std::uint64_t x) noexcept {  // SplitMix64 finaliser
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

[[noreturn]] void fail(ErrorCode code, std::string where, std::string message) {
  throw Error(code, std::move(where), std::move(message));
}

using Need = std::pair<std::uint16_t, std::uint8_t>;  // skill index, minimum proficiency

struct AgentEntry {  // min-heap: smallest (k1, k2, agent id) first
  std::int64_t k1;
  std::int64_t k2;
  std::uint32_t idx;
  std::uint32_t epoch;
};

struct ContactEntry {  // regular: largest S first; starving: oldest first
  std::int64_t s;
  std::int64_t arrived;
  std::uint64_t seq;
  std::uint32_t idx;
  std::uint32_t version;
};

struct Req {
  std::uint32_t queue = 0;
  std::uint16_t ring = 0;
  std::int16_t lang = -1;
  std::uint8_t min_grade = 0;
  std::uint8_t pools = 0;
  std::uint8_t channel = 0;
  std::vector<Need> needs;
  std::vector<AgentEntry> agents;
};

struct Group {
  std::uint32_t queue = 0;
  std::int16_t lang = -1;
  std::vector<Need> extra;
  std::vector<std::uint32_t> rings;
};

struct Hold {
  std::uint32_t contact;
  std::uint8_t channel;
  ContactState state;
};

// Hot fields first, the record aligned to a cache line: an event touches the first lines only.
struct alignas(64) Agent {
  AgentId id = 0;
  bool used = false;
  Presence presence = Presence::logged_out;
  bool pending = false;    // heap entries to (re)push before the heaps are next read
  std::uint8_t avail = 0;  // bit per channel: may be offered a contact of it now
  bool cooldown = false;
  std::uint32_t epoch = 0;
  std::array<std::uint8_t, 8> cap{};
  std::array<std::uint8_t, 8> slots{};
  int rna = 0;
  std::int64_t accepted = 0;
  Duration talk{0};
  Instant idle_since{};
  // Inline storage for the common sizes (eligible: four skills in two languages): no extra
  // cache miss for the usual agent. An end, its offer and the accept read the first four lines.
  boost::container::small_vector<Hold, 2> holds;
  std::vector<std::uint32_t> owned;  // contacts reserved for this agent (FIFO)
  boost::container::small_vector<std::pair<std::uint32_t, std::uint16_t>, 8>
      eligible;  // req, proficiency sum
  boost::container::small_vector<std::pair<std::uint32_t, std::uint64_t>, 1>
      rr;  // round-robin queue, last offer sequence
  std::int64_t order = 0;
  // Cold: read at login, when requirements are interned, by queries.
  std::uint64_t cooldown_seq = 0;
  std::uint64_t langs = 0;
  Grade grade = Grade::junior;
  Pool pool = Pool::inbound;
  std::vector<Need> skills;  // sorted by skill; second = proficiency
  std::string reason;
  std::vector<std::uint32_t> staff_queues;  // queues whose QueueRt::staffed this agent counts in
};

struct Offer {
  std::uint32_t agent;
  std::uint64_t id;
};

/// A contact's pending offers in 24 bytes: one inline (every strategy but ring-all), more on the
/// heap. Contiguous, so ranges and <algorithm> work on begin() .. end().
class OfferList {
 public:
  OfferList() noexcept = default;
  OfferList(const OfferList& o) { append(o); }
  OfferList(OfferList&& o) noexcept : u_(o.u_), size_(o.size_), cap_(o.cap_) {
    o.size_ = 0;
    o.cap_ = 1;
  }
  OfferList& operator=(const OfferList& o) {
    if (this != &o) {
      size_ = 0;
      append(o);
    }
    return *this;
  }
  OfferList& operator=(OfferList&& o) noexcept {
    if (this != &o) {
      release();
      u_ = o.u_;
      size_ = o.size_;
      cap_ = o.cap_;
      o.size_ = 0;
      o.cap_ = 1;
    }
    return *this;
  }
  ~OfferList() { release(); }

  Offer* begin() noexcept { return cap_ > 1 ? u_.many : &u_.one; }
  Offer* end() noexcept { return begin() + size_; }
  const Offer* begin() const noexcept { return cap_ > 1 ? u_.many : &u_.one; }
  const Offer* end() const noexcept { return begin() + size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  void clear() noexcept { size_ = 0; }  // keeps the capacity
  void push_back(const Offer& x) {
    if (size_ == cap_) grow();
    begin()[size_++] = x;
  }
  /// Removes the offers for which pred holds, keeping the order of the others.
  template <class Pred>
  void erase_if(Pred pred) {
    size_ = static_cast<std::uint32_t>(std::remove_if(begin(), end(), pred) - begin());
  }

 private:
  void append(const OfferList& o) {
    for (const Offer& x : o) push_back(x);
  }
  void grow() {
    const std::uint32_t n = cap_ * 2;
    auto* many = new Offer[n];
    std::copy(begin(), end(), many);
    release();
    u_.many = many;
    cap_ = n;
  }
  void release() noexcept {
    if (cap_ > 1) delete[] u_.many;
    cap_ = 1;
  }
  union Storage {
    Offer one;
    Offer* many;
  } u_{Offer{0, 0}};
  std::uint32_t size_ = 0;
  std::uint32_t cap_ = 1;  // 1: the inline slot
};
static_assert(sizeof(OfferList) == 24);

// Two cache lines. An end reads and recycles the record the next arrival reuses (the free list is
// last in, first out), so everything an arrival writes is already loaded: the rare extra skills
// live in a side table (Impl::contact_extra).
struct alignas(64) Contact {
  ContactId id = 0;
  bool used = false;
  ContactState state = ContactState::waiting;
  bool listed = false;
  bool member = false;
  bool starving = false;
  bool callback = false;
  bool callback_offered = false;
  bool owner_offer = false;
  std::uint32_t queue = 0;
  std::uint32_t agent = 0;
  std::uint32_t group = 0;
  std::uint32_t version = 0;  // listing version (heap entries)
  std::uint32_t life = 0;     // queue version (queue timers)
  std::uint16_t step = 0;
  std::uint16_t tier = 0;
  std::uint8_t channel = 0;
  bool has_extra = false;  // extra skills in Impl::contact_extra
  std::int16_t lang = -1;
  std::optional<std::uint32_t> owner;  // agent index while reserved / owner offer pending
  std::int64_t s = 0;                  // base - aging * arrived (relative ms)
  Instant arrived{};                   // first arrival (aging, starvation, SLA)
  Instant connected_at{};
  std::uint64_t seq = 0;
  OfferList offers;
  std::int64_t base = 0;  // static priority points in micro-points
  Instant queued{};       // entered the current queue (steps, max wait)
};
static_assert(sizeof(Contact) == 128);

enum class TimerKind : std::uint8_t {
  step,
  max_wait,
  starve,
  owner,
  announce,
  offer,
  wrap_up,
  cooldown,
};

struct Timer {
  Instant due;
  std::uint64_t seq;
  TimerKind kind;
  std::uint32_t idx;
  std::uint32_t life;
  std::uint64_t aux;  // step index / offer id / cooldown sequence
  std::uint32_t agent;
};

struct TimerLater {
  bool operator()(const Timer& a, const Timer& b) const noexcept {
    return std::tie(a.due, a.seq) > std::tie(b.due, b.seq);
  }
};

// The order of contact_before() with the queue's common aging term left out: higher static
// score first, then earlier arrival, then earlier sequence (starving contacts: score 0).
struct RankKey {
  std::int64_t s;
  std::int64_t arrived;
  std::uint64_t seq;
};
struct RankBefore {
  bool operator()(const RankKey& a, const RankKey& b) const noexcept {
    if (a.s != b.s) return a.s > b.s;
    if (a.arrived != b.arrived) return a.arrived < b.arrived;
    return a.seq < b.seq;
  }
};
using RankIndex = detail::RankSet<RankKey, RankBefore>;

struct QueueRt {
  // Contacts in the queue (not yet connected), for positions: [0] the starving ones, [1 + t]
  // the others of tier t.
  std::vector<RankIndex> order;
  std::size_t members = 0;
  QueueStats stats;
  double aht_ms = 0;
  std::int64_t aging_u = 0;  // micro-points per ms
  std::int64_t listed = 0;   // contacts of the queue waiting for an agent
  // Ready agents that meet the queue's first step in any language (queue_stats().staffed). Kept
  // apart from the requirement counters so that the language-free group, which contacts of a
  // language-required queue never use, is interned only when a contact needs it: otherwise every
  // agent would carry and update its requirements on each availability change.
  std::int64_t staffed = 0;
  Req staff;  // that requirement, for matching at login (no heaps)
};

}  // namespace

struct Router::Impl {
  std::shared_ptr<const Policy> policy;
  const Definition& def;
  RouterOptions options;
  std::vector<Decision> out;
  std::vector<Event> log;

  std::vector<Agent> agents;
  // Dense copies of what heap-entry validation reads, so that looking at heap tops does not touch
  // agent and contact records: per agent slot (epoch << 8 | availability mask), per contact slot
  // (version << 2 | starving << 1 | 1) while listed, else 0.
  std::vector<std::uint64_t> agent_tag;
  std::vector<std::uint64_t> contact_tag;
  // Per contact slot: 1 while it has pending offers (see sync_offers()), so that the offer-timeout
  // timer of an answered offer, the usual case, is dropped without reading the contact record.
  std::vector<std::uint8_t> offers_open;
  // Per contact slot: the occupant's sequence number (0: free). A starvation timer outlives most
  // contacts by minutes; this drops it without reading the record.
  std::vector<std::uint64_t> contact_seqs;
  // Per requirement, dense: channel, aging, available and staffed agents; per (requirement, slot)
  // live contacts and the cached heap front (see cheap()).
  std::size_t slots = 0;
  std::vector<std::uint8_t> req_channel;
  std::vector<std::int64_t> req_aging;
  std::vector<std::int64_t> avail_n, staffed_n;
  std::vector<std::int64_t> live;
  std::vector<std::int64_t> live_any;  // per requirement: live contacts over all its slots
  std::vector<ContactEntry> front;
  // Per requirement and slot (req * slots + slot): the contact heaps, flat (one load to a heap's
  // header instead of two).
  std::vector<std::vector<ContactEntry>> cheaps;
  std::vector<std::uint32_t> free_agents;
  detail_ids::IdMap agent_index;
  std::vector<Contact> contacts;
  // Per contact slot: the extra skills of a contact that has any (Contact::has_extra).
  std::vector<std::vector<Need>> contact_extra;
  inline static const std::vector<Need> kNoExtra{};
  std::vector<std::uint32_t> free_contacts;
  detail_ids::IdMap contact_index;

  std::vector<Req> reqs;
  std::vector<Group> groups;
  std::map<std::tuple<std::uint32_t, std::int16_t, std::vector<Need>>, std::uint32_t> group_ids;
  std::vector<QueueRt> queues;
  std::vector<std::uint8_t> queue_channel;
  std::vector<std::uint8_t> channel_default;

  // Timers: a heap for those whose delay varies (steps, max waits, wrap-ups, owner holds) and a
  // FIFO per fixed-delay kind (starvation bound, offer timeout, cooldown, announcements), whose due
  // times never decrease; firing merges them in (due, sequence) order.
  std::vector<Timer> timers;
  std::array<std::deque<Timer>, 4> fifos;
  // Where the earliest timer is (as earliest() answers), kept across the host's next_due() polls:
  // -3 unknown (after a pop), else earliest()'s answer, updated by each push.
  mutable int earliest_at = -2;
  std::uint64_t timer_seq = 0;
  std::uint64_t contact_seq = 0;
  std::uint64_t offer_seq = 0;
  std::uint64_t cooldown_seq = 0;

  std::optional<sla::SlidingWindow> window;
  std::vector<std::int64_t> boost;
  std::vector<std::uint64_t> boost_rev;  // window revision each boost was computed at
  bool boost_dirty = true;
  Instant boost_at{};

  bool started = false;
  Instant horizon{};  // the instant advance() is moving to
  Instant t0{};
  Instant last{};
  std::size_t waiting = 0;
  std::size_t logged_in = 0;

  struct Work {
    bool agent;
    std::uint32_t idx;
    std::uint64_t tag;  // agent: id; contact: life
  };
  std::vector<Work> work;
  std::vector<std::uint32_t> pending;

  /// Pushes the heap entries of agents that became available (deferred: an agent that takes a
  /// contact at once never touches the heaps).
  /// Inline for the usual empty list: the loop's register saves cost more than the check.
  [[gnu::always_inline]] void flush() {
    if (!pending.empty()) flush_pending();
  }
  [[gnu::noinline]] void flush_pending() {
    for (std::uint32_t idx : pending) {
      Agent& a = agents[idx];
      a.pending = false;
      if (!a.used || a.avail == 0) continue;
      for (const auto& [req, psum] : a.eligible) {
        if (a.avail & (1u << reqs[req].channel)) push_agent(req, idx, psum);
      }
    }
    pending.clear();
  }

  Impl(std::shared_ptr<const Policy> p, RouterOptions o)
      : policy(std::move(p)), def(policy->definition()), options(o) {
    for (const Queue& q : def.queues) {
      queue_channel.push_back(static_cast<std::uint8_t>(policy->channel_index(q.channel)));
    }
    for (const Channel& c : def.channels)
      channel_default.push_back(static_cast<std::uint8_t>(c.default_capacity));
    queues.resize(def.queues.size());
    slots = def.tiers.size() + 1;
    for (std::size_t q = 0; q < queues.size(); ++q) {
      queues[q].aht_ms = static_cast<double>(def.queues[q].expected_handle.count());
      queues[q].aging_u = std::llround(def.queues[q].aging_per_s * 1000.0);
      queues[q].staff = make_req(static_cast<std::uint32_t>(q), 0, -1, {});
      queues[q].order.resize(def.tiers.size() + 1);
    }
    boost.assign(def.tiers.size(), 0);
    boost_rev.assign(def.tiers.size(), std::numeric_limits<std::uint64_t>::max());
    if (def.rules.sla_aware) {
      std::vector<sla::TierTarget> t;
      for (const Tier& tier : def.tiers) t.push_back({tier.name, tier.target});
      window.emplace(std::move(t), sla::SlidingWindowOptions{.window = def.rules.sla_window});
    }
  }

  // ---- time ---------------------------------------------------------------------------------
  std::int64_t rel(Instant t) const noexcept { return (t - t0).count(); }

  // Inline checks, out-of-line errors: every event passes here.
  static constexpr std::int64_t kTimeLimit = std::int64_t{1} << 50;  // about +-35,000 years
  static bool in_range(Instant now) noexcept {
    const std::int64_t t = now.time_since_epoch().count();
    return t <= kTimeLimit && t >= -kTimeLimit;
  }
  [[gnu::always_inline]] void check_time(Instant now) const {
    if (!in_range(now) || (started && now < last)) [[unlikely]]
      bad_time(now);
  }
  [[noreturn, gnu::noinline, gnu::cold]] void bad_time(Instant now) const {
    if (!in_range(now)) fail(ErrorCode::invalid_argument, "now", "instant out of range");
    fail(ErrorCode::invalid_argument, "now",
         fmt::format("time went back: {} ms before the last event", (last - now).count()));
  }
  void touch(Instant now) {
    if (!started) {
      started = true;
      t0 = now;
      boost_at = now;
    }
    last = now;
  }

  // ---- requirements ---------------------------------------------------------------------------
  static int proficiency(const Agent& a, std::uint16_t skill) noexcept {
    for (const Need& s : a.skills) {
      if (s.first == skill) return s.second;
    }
    return 0;
  }

  static bool matches(const Agent& a, const Req& r) noexcept {
    if (!(r.pools & (1u << static_cast<unsigned>(a.pool)))) return false;
    if (static_cast<std::uint8_t>(a.grade) < r.min_grade) return false;
    if (a.cap[r.channel] == 0) return false;
    if (r.lang >= 0 && !(a.langs & (1ULL << r.lang))) return false;
    for (const Need& n : r.needs) {
      if (proficiency(a, n.first) < n.second) return false;
    }
    return true;
  }
  static std::uint16_t prof_sum(const Agent& a, const Req& r) noexcept {
    int sum = 0;
    for (const Need& n : r.needs) sum += proficiency(a, n.first);
    return static_cast<std::uint16_t>(sum);
  }

  std::vector<std::uint32_t> plain_groups;  // (queue, language + 1) -> group + 1; no extra skills

  std::uint32_t group_for(std::uint32_t q, std::int16_t lang, const std::vector<Need>& extra) {
    const std::size_t langs = def.languages.size() + 1;
    const std::size_t slot = q * langs + static_cast<std::size_t>(lang + 1);
    if (extra.empty()) {
      if (plain_groups.empty()) plain_groups.assign(def.queues.size() * langs, 0);
      if (plain_groups[slot] != 0) return plain_groups[slot] - 1;
    }
    const std::uint32_t gid = intern_group(q, lang, extra);
    if (extra.empty()) plain_groups[slot] = gid + 1;
    return gid;
  }

  /// The requirement of step k of queue q for a contact of language lang (-1: any) with extra
  /// skills: the matching fields only (no heaps).
  Req make_req(std::uint32_t q, std::size_t k, std::int16_t lang,
               const std::vector<Need>& extra) const {
    const Queue& queue = def.queues[q];
    const Step& st = policy->steps(q)[k];
    Req r;
    r.queue = q;
    r.ring = static_cast<std::uint16_t>(k);
    r.lang = lang;
    r.min_grade = static_cast<std::uint8_t>(st.min_grade);
    r.channel = queue_channel[q];
    for (Pool p : queue.pools) r.pools |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(p));
    const auto& needs = st.skills.empty() ? queue.skills : st.skills;
    for (const SkillNeed& n : needs) {
      r.needs.emplace_back(
          static_cast<std::uint16_t>(policy->skill_index(n.skill)),
          static_cast<std::uint8_t>(st.min_proficiency.value_or(n.min_proficiency)));
    }
    for (const Need& n : extra) r.needs.push_back(n);
    std::sort(r.needs.begin(), r.needs.end());
    // Merge repeated skills, keeping the highest minimum.
    std::vector<Need> merged;
    for (const Need& n : r.needs) {
      if (!merged.empty() && merged.back().first == n.first) {
        merged.back().second = std::max(merged.back().second, n.second);
      } else {
        merged.push_back(n);
      }
    }
    r.needs = std::move(merged);
    return r;
  }

  std::uint32_t intern_group(std::uint32_t q, std::int16_t lang, const std::vector<Need>& extra) {
    auto key = std::make_tuple(q, lang, extra);
    if (auto it = group_ids.find(key); it != group_ids.end()) return it->second;
    Group g;
    g.queue = q;
    g.lang = lang;
    g.extra = extra;
    const auto& steps = policy->steps(q);
    for (std::size_t k = 0; k < steps.size(); ++k) {
      Req r = make_req(q, k, lang, extra);
      const auto id = static_cast<std::uint32_t>(reqs.size());
      req_channel.push_back(r.channel);
      req_aging.push_back(queues[q].aging_u);
      avail_n.push_back(0);
      staffed_n.push_back(0);
      live.resize(live.size() + slots, 0);
      live_any.push_back(0);
      front.resize(front.size() + slots, ContactEntry{0, 0, 0, kNoIdx, 0});
      cheaps.resize(cheaps.size() + slots);
      reqs.push_back(std::move(r));
      g.rings.push_back(id);
      // Agents already logged in.
      for (std::uint32_t a = 0; a < agents.size(); ++a) {
        Agent& ag = agents[a];
        if (!ag.used || !matches(ag, reqs[id])) continue;
        ag.eligible.emplace_back(id, prof_sum(ag, reqs[id]));
        if (ag.presence == Presence::ready) ++staffed_n[id];
        if (ag.avail & (1u << reqs[id].channel)) {
          ++avail_n[id];
          if (options.indexed) push_agent(id, a, ag.eligible.back().second);
        }
      }
    }
    const auto gid = static_cast<std::uint32_t>(groups.size());
    groups.push_back(std::move(g));
    group_ids.emplace(std::move(key), gid);
    return gid;
  }

  // ---- agent keys and availability ------------------------------------------------------------
  std::uint64_t rr_of(const Agent& a, std::uint32_t q) const noexcept {
    for (const auto& [queue, seq] : a.rr) {
      if (queue == q) return seq;
    }
    return 0;
  }

  std::pair<std::int64_t, std::int64_t> key(const Agent& a, std::uint32_t idx, std::uint32_t q,
                                            std::uint16_t psum) const noexcept {
    const std::int64_t idle = rel(a.idle_since);
    switch (def.queues[q].strategy) {
      case Strategy::longest_idle:
      case Strategy::ring_all:
        return {idle, 0};
      case Strategy::fewest_calls:
        return {a.accepted, idle};
      case Strategy::least_talk_time:
        return {a.talk.count(), idle};
      case Strategy::round_robin:
        return {static_cast<std::int64_t>(rr_of(a, q)), idle};
      case Strategy::linear:
        return {a.order, 0};
      case Strategy::random:
        return {static_cast<std::int64_t>(
                    mix(options.seed ^ mix(a.id ^ mix((std::uint64_t{a.epoch} << 32) ^ q ^
                                                      (std::uint64_t{idx} << 48)))) >>
                    1),
                0};
      case Strategy::weighted_random: {
        const std::uint64_t h =
            mix(options.seed ^
                mix(a.id ^ mix((std::uint64_t{a.epoch} << 32) ^ q ^ (std::uint64_t{idx} << 48))));
        const double u = (static_cast<double>(h >> 11) + 0.5) * 0x1.0p-53;  // (0, 1)
        const double w = std::max<double>(psum, 1);
        const double k = -std::log(u) / w;  // exponential race: P(first) = w / sum w
        std::int64_t bits = 0;
        static_assert(sizeof(bits) == sizeof(k));
        std::memcpy(&bits, &k, sizeof k);  // positive doubles order like their bits
        return {bits, 0};
      }
      case Strategy::best_skill:
        return {-static_cast<std::int64_t>(psum), idle};
    }
    return {0, 0};
  }

  bool agent_less(const AgentEntry& x, const AgentEntry& y) const noexcept {
    if (x.k1 != y.k1) return x.k1 < y.k1;
    if (x.k2 != y.k2) return x.k2 < y.k2;
    return agents[x.idx].id < agents[y.idx].id;
  }

  void push_agent(std::uint32_t req, std::uint32_t idx, std::uint16_t psum) {
    Req& r = reqs[req];
    const Agent& a = agents[idx];
    auto [k1, k2] = key(a, idx, r.queue, psum);
    r.agents.push_back({k1, k2, idx, a.epoch});
    std::push_heap(r.agents.begin(), r.agents.end(),
                   [this](const AgentEntry& x, const AgentEntry& y) { return agent_less(y, x); });
    if (r.agents.size() > 2 * static_cast<std::size_t>(avail_n[req]) + 64) compact_agents(r);
  }

  bool entry_valid(const Req& r, const AgentEntry& e) const noexcept {
    const std::uint64_t tag = agent_tag[e.idx];
    return static_cast<std::uint32_t>(tag >> 8) == e.epoch && (tag & (1u << r.channel));
  }

  void compact_agents(Req& r) {
    auto cmp = [this](const AgentEntry& x, const AgentEntry& y) { return agent_less(y, x); };
    std::erase_if(r.agents, [&](const AgentEntry& e) { return !entry_valid(r, e); });
    std::make_heap(r.agents.begin(), r.agents.end(), cmp);
  }

  std::uint8_t avail_mask(const Agent& a) const noexcept {
    if (!a.used || a.presence != Presence::ready || a.cooldown) return 0;
    std::uint8_t m = 0;
    for (std::size_t c = 0; c < channel_default.size(); ++c) {
      if (a.slots[c] < a.cap[c]) m = static_cast<std::uint8_t>(m | (1u << c));
    }
    return m;
  }

  /// Call after any change to an agent that can change its keys or availability.
  void refresh(std::uint32_t idx, bool staffed_before) {
    Agent& a = agents[idx];
    const std::uint8_t before = a.avail;
    const std::uint8_t after = avail_mask(a);
    const bool staffed_after = a.used && a.presence == Presence::ready;
    ++a.epoch;
    a.avail = after;
    agent_tag[idx] = (std::uint64_t{a.epoch} << 8) | after;
    const unsigned changed = before ^ after;
    if (changed != 0 || staffed_before != staffed_after) {
      const std::int64_t staffed_delta =
          staffed_before == staffed_after ? 0 : (staffed_after ? 1 : -1);
      for (const auto& [req, psum] : a.eligible) {
        const unsigned bit = 1u << req_channel[req];
        if (changed & bit) avail_n[req] += (after & bit) ? 1 : -1;
        if (staffed_delta != 0) staffed_n[req] += staffed_delta;
      }
      if (staffed_delta != 0) {
        for (std::uint32_t q : a.staff_queues) queues[q].staffed += staffed_delta;
      }
    }
    if (after && options.indexed && !a.pending) {
      a.pending = true;
      pending.push_back(idx);
    }
    if (after & ~before) work.push_back({true, idx, a.id});
  }
  bool staffed(const Agent& a) const noexcept { return a.used && a.presence == Presence::ready; }
  /// Call after every change to a contact's offers.
  void sync_offers(std::uint32_t cidx) noexcept {
    offers_open[cidx] = contacts[cidx].offers.empty() ? 0 : 1;
  }
  /// Starts loading the lines of an agent record that an end or an offer touch.
  void prefetch_agent(std::uint32_t idx) const noexcept {
    if (idx >= agents.size()) return;
    // The lines an end, its offer and the accept read (see Agent).
    const char* p = reinterpret_cast<const char*>(&agents[idx]);
    __builtin_prefetch(p);
    __builtin_prefetch(p + 64);
    __builtin_prefetch(p + 128);
    __builtin_prefetch(p + 192);
  }

  // ---- contacts: ordering -----------------------------------------------------------------------
  void refresh_boosts(Instant now) {
    if (!window) return;
    if (!boost_dirty && now == boost_at) return;
    window->advance(now);
    for (std::size_t t = 0; t < boost.size(); ++t) {
      // Unchanged counts (same revision) give the same level: keep the boost.
      const std::uint64_t rev = window->revision(t);
      if (rev == boost_rev[t]) continue;
      boost_rev[t] = rev;
      const double gap = std::max(0.0, def.tiers[t].target.fraction - window->current_level(t));
      boost[t] = round_half_away(def.rules.sla_weight * gap * static_cast<double>(kMicro));
    }
    boost_dirty = false;
    boost_at = now;
  }

  /// A contact's wait as the SLA window takes it. The host's clock may jump further than the
  /// window's longest wait (10 years): the wait saturates there instead of making the window
  /// throw after the router has already changed its state (for the service level such a wait is
  /// simply past every threshold).
  static Duration window_wait(const Contact& c, Instant now) noexcept {
    return std::min(now - c.arrived, sla::SlidingWindow::kMaxWait);
  }

  std::int64_t eff(const Contact& c, Instant now) const noexcept {
    return sat_add(sat_add(c.s, sat_mul(queues[c.queue].aging_u, rel(now))), boost[c.tier]);
  }

  /// Is contact x served before contact y (same tie rules in both modes)?
  bool contact_before(const Contact& x, const Contact& y, Instant now) const noexcept {
    if (x.starving != y.starving) return x.starving;
    if (!x.starving) {
      const std::int64_t ex = eff(x, now), ey = eff(y, now);
      if (ex != ey) return ex > ey;
    }
    if (x.arrived != y.arrived) return x.arrived < y.arrived;
    return x.seq < y.seq;
  }

  static bool regular_less(const ContactEntry& x, const ContactEntry& y) noexcept {  // max-heap
    if (x.s != y.s) return x.s < y.s;
    if (x.arrived != y.arrived) return x.arrived > y.arrived;
    return x.seq > y.seq;
  }
  static bool starving_less(const ContactEntry& x, const ContactEntry& y) noexcept {
    if (x.arrived != y.arrived) return x.arrived > y.arrived;
    return x.seq > y.seq;
  }

  static std::uint64_t listed_tag(std::uint32_t version, bool starving) noexcept {
    return (std::uint64_t{version} << 2) | (starving ? 2u : 0u) | 1u;
  }
  bool contact_entry_valid(const ContactEntry& e, bool starving_heap) const noexcept {
    return contact_tag[e.idx] == listed_tag(e.version, starving_heap);
  }

  // Contact heaps: slot t < tiers is tier t's heap (largest S first), slot == tiers the starving
  // heap (oldest first). front[] caches each heap's front so that best_contact() reads one dense
  // array instead of every heap; it is rewritten after every change to that heap.
  std::vector<ContactEntry>& cheap(std::uint32_t req, std::size_t slot) {
    return cheaps[req * slots + slot];
  }
  static constexpr std::uint32_t kNoIdx = 0xFFFFFFFFu;
  void cfront(std::uint32_t req, std::size_t slot) {
    auto& h = cheap(req, slot);
    front[req * slots + slot] = h.empty() ? ContactEntry{0, 0, 0, kNoIdx, 0} : h.front();
  }
  void cpush(std::uint32_t req, std::size_t slot, const ContactEntry& e) {
    auto& h = cheap(req, slot);
    const bool starving_heap = slot == def.tiers.size();
    h.push_back(e);
    if (starving_heap) {
      std::push_heap(h.begin(), h.end(), starving_less);
    } else {
      std::push_heap(h.begin(), h.end(), regular_less);
    }
    if (h.size() > 2 * static_cast<std::size_t>(live[req * slots + slot]) + 64) {
      std::erase_if(h,
                    [&](const ContactEntry& x) { return !contact_entry_valid(x, starving_heap); });
      if (starving_heap) {
        std::make_heap(h.begin(), h.end(), starving_less);
      } else {
        std::make_heap(h.begin(), h.end(), regular_less);
      }
    }
    cfront(req, slot);
  }
  /// The valid front of a heap (stale fronts popped), or nullptr. Inline for the usual valid or
  /// empty front; popping stale entries is out of line.
  [[gnu::always_inline]] const ContactEntry* cvalid_front(std::uint32_t req, std::size_t slot) {
    const ContactEntry* f = &front[req * slots + slot];
    if (f->idx == kNoIdx) return nullptr;
    if (contact_entry_valid(*f, slot == def.tiers.size())) return f;
    return pop_stale_fronts(req, slot);
  }
  [[gnu::noinline]] const ContactEntry* pop_stale_fronts(std::uint32_t req, std::size_t slot) {
    const bool starving_heap = slot == def.tiers.size();
    auto& h = cheap(req, slot);
    while (!h.empty() && !contact_entry_valid(h.front(), starving_heap)) {
      if (starving_heap) {
        std::pop_heap(h.begin(), h.end(), starving_less);
      } else {
        std::pop_heap(h.begin(), h.end(), regular_less);
      }
      h.pop_back();
    }
    cfront(req, slot);
    return h.empty() ? nullptr : &front[req * slots + slot];
  }

  void list(std::uint32_t idx) {
    Contact& c = contacts[idx];
    c.state = ContactState::waiting;
    c.listed = true;
    ++queues[c.queue].listed;
    ++c.version;
    contact_tag[idx] = listed_tag(c.version, c.starving);
    const Group& g = groups[c.group];
    const std::size_t slot = c.starving ? def.tiers.size() : c.tier;
    const ContactEntry e{c.s, rel(c.arrived), c.seq, idx, c.version};
    for (std::size_t k = 0; k <= c.step && k < g.rings.size(); ++k) {
      const std::uint32_t req = g.rings[k];
      ++live[req * slots + slot];
      ++live_any[req];
      if (options.indexed) cpush(req, slot, e);
    }
    work.push_back({false, idx, c.life});
  }

  void unlist(std::uint32_t idx) {
    Contact& c = contacts[idx];
    if (!c.listed) return;
    const Group& g = groups[c.group];
    const std::size_t slot = c.starving ? def.tiers.size() : c.tier;
    for (std::size_t k = 0; k <= c.step && k < g.rings.size(); ++k) {
      --live[g.rings[k] * slots + slot];
      --live_any[g.rings[k]];
    }
    c.listed = false;
    --queues[c.queue].listed;
    ++c.version;
    contact_tag[idx] = 0;
  }

  // ---- timers
  // ------------------------------------------------------------------------------------
  // Inline: the kind is known at every call site, so the FIFO choice folds away; the heap's
  // push is out of line.
  [[gnu::always_inline]] void at(Instant due, TimerKind kind, std::uint32_t idx, std::uint32_t life,
                                 std::uint64_t aux = 0, std::uint32_t agent = 0) {
    const Timer t{due, timer_seq++, kind, idx, life, aux, agent};
    int f = -1;
    switch (kind) {
      case TimerKind::starve:
        f = 0;
        break;
      case TimerKind::offer:
        f = 1;
        break;
      case TimerKind::cooldown:
        f = 2;
        break;
      case TimerKind::announce:
        f = 3;
        break;
      default:
        break;
    }
    const bool fifo = f >= 0 && (fifos[f].empty() || fifos[f].back().due <= due);
    const int where = fifo ? f : -1;
    // A new timer has the largest sequence, so it comes first only if strictly earlier.
    if (earliest_at == -2) {
      earliest_at = where;
    } else if (earliest_at >= 0 && earliest_at != where && due < fifos[earliest_at].front().due) {
      earliest_at = where;
    } else if (earliest_at == -1 && fifo && due < timers.front().due) {
      earliest_at = where;
    }
    if (fifo) {
      fifos[f].push_back(t);
      return;
    }
    push_timer(t);
  }
  [[gnu::noinline]] void push_timer(const Timer& t) {
    timers.push_back(t);
    std::push_heap(timers.begin(), timers.end(), TimerLater{});
  }

  /// The earliest timer: -1 the heap, 0..3 a FIFO, -2 none.
  int earliest() const noexcept {
    if (earliest_at == -3) earliest_at = scan_earliest();
    return earliest_at;
  }
  int scan_earliest() const noexcept {
    int best = timers.empty() ? -2 : -1;
    const Timer* b = timers.empty() ? nullptr : &timers.front();
    for (int f = 0; f < 4; ++f) {
      if (fifos[f].empty()) continue;
      const Timer& t = fifos[f].front();
      if (!b || std::tie(t.due, t.seq) < std::tie(b->due, b->seq)) {
        b = &t;
        best = f;
      }
    }
    return best;
  }
  const Timer* peek() const noexcept {
    const int e = earliest();
    if (e == -2) return nullptr;
    return e == -1 ? &timers.front() : &fifos[e].front();
  }
  /// Timers fire() returns from at once, known from the dense arrays alone: the timeout of an
  /// offer already answered, withdrawn or timed out; the starvation bound of a contact gone.
  bool void_timer(const Timer& t) const noexcept {
    return (t.kind == TimerKind::offer && offers_open[t.idx] == 0) ||
           (t.kind == TimerKind::starve && contact_seqs[t.idx] != t.aux);
  }
  /// The earliest timer that may still act: void ones in front are dropped (firing them would
  /// change nothing), so that a host sleeping until next_due() is not woken for them.
  const Timer* peek_live() noexcept {
    for (;;) {
      const Timer* t = peek();
      if (t == nullptr || !void_timer(*t)) return t;
      (void)pop_timer();
    }
  }
  Timer pop_timer() {
    const int e = earliest();
    earliest_at = -3;
    if (e >= 0) {
      Timer t = fifos[e].front();
      fifos[e].pop_front();
      return t;
    }
    std::pop_heap(timers.begin(), timers.end(), TimerLater{});
    Timer t = timers.back();
    timers.pop_back();
    return t;
  }

  // ---- decisions
  // ---------------------------------------------------------------------------------
  Decision& emit(DecisionKind kind, Rule rule, const Contact* c, Instant now) {
    Decision d;
    d.kind = kind;
    d.rule = rule;
    d.at = now;
    if (c) {
      d.contact = c->id;
      d.queue = c->queue;
      d.from_queue = c->queue;
      d.step = c->step;
    }
    out.push_back(d);
    return out.back();
  }

  // ---- finding matches
  // ---------------------------------------------------------------------------
  struct AgentPick {
    std::uint32_t idx;
    std::int64_t k1, k2;
    std::uint16_t psum;  // scan mode; indexed: looked up by pick_psum() when a metric needs it
    std::uint32_t req;
  };

  std::uint16_t pick_psum(const AgentPick& p) const noexcept {
    if (!options.indexed) return p.psum;
    for (const auto& [req, ps] : agents[p.idx].eligible) {
      if (req == p.req) return ps;
    }
    return 0;
  }

  std::int64_t candidates_for(const Contact& c) const {
    std::int64_t n = 0;
    const Group& g = groups[c.group];
    for (std::size_t k = 0; k <= c.step && k < g.rings.size(); ++k) n += avail_n[g.rings[k]];
    return n;
  }

  std::optional<AgentPick> best_agent(const Contact& c, const std::vector<std::uint32_t>& exclude) {
    const Group& g = groups[c.group];
    std::optional<AgentPick> best;
    auto better = [&](std::uint32_t idx, std::int64_t k1, std::int64_t k2) {
      if (!best) return true;
      if (k1 != best->k1) return k1 < best->k1;
      if (k2 != best->k2) return k2 < best->k2;
      return agents[idx].id < agents[best->idx].id;
    };
    auto excluded = [&](std::uint32_t idx) {
      return std::find(exclude.begin(), exclude.end(), idx) != exclude.end();
    };
    if (!options.indexed) {
      for (std::uint32_t a = 0; a < agents.size(); ++a) {
        const Agent& ag = agents[a];
        if (!ag.used || !(ag.avail & (1u << queue_channel[c.queue])) || excluded(a)) continue;
        for (std::size_t k = 0; k <= c.step && k < g.rings.size(); ++k) {
          const Req& r = reqs[g.rings[k]];
          if (!matches(ag, r)) continue;
          const std::uint16_t ps = prof_sum(ag, r);
          auto [k1, k2] = key(ag, a, c.queue, ps);
          if (better(a, k1, k2)) best = AgentPick{a, k1, k2, ps, g.rings[k]};
        }
      }
      return best;
    }
    flush();
    auto cmp = [this](const AgentEntry& x, const AgentEntry& y) { return agent_less(y, x); };
    std::vector<std::pair<std::uint32_t, AgentEntry>> parked;
    for (std::size_t k = 0; k <= c.step && k < g.rings.size(); ++k) {
      Req& r = reqs[g.rings[k]];
      while (!r.agents.empty()) {
        const AgentEntry& top = r.agents.front();
        if (!entry_valid(r, top)) {
          std::pop_heap(r.agents.begin(), r.agents.end(), cmp);
          r.agents.pop_back();
          continue;
        }
        if (!exclude.empty() && excluded(top.idx)) {
          parked.emplace_back(g.rings[k], top);
          std::pop_heap(r.agents.begin(), r.agents.end(), cmp);
          r.agents.pop_back();
          continue;
        }
        break;
      }
      if (r.agents.empty()) continue;
      const AgentEntry& top = r.agents.front();
      if (better(top.idx, top.k1, top.k2)) best = AgentPick{top.idx, top.k1, top.k2, 0, g.rings[k]};
    }
    for (const auto& [req, e] : parked) {
      reqs[req].agents.push_back(e);
      std::push_heap(reqs[req].agents.begin(), reqs[req].agents.end(), cmp);
    }
    return best;
  }

  /// The contact an available agent should take next, or none.
  std::optional<std::uint32_t> best_contact(std::uint32_t aidx, Instant now) {
    const Agent& a = agents[aidx];
    // First-contact responsibility: contacts held for this agent.
    for (std::uint32_t cidx : a.owned) {
      const Contact& c = contacts[cidx];
      if (c.used && c.state == ContactState::reserved && (a.avail & (1u << c.channel))) return cidx;
    }
    refresh_boosts(now);
    std::optional<std::uint32_t> best;
    auto consider = [&](std::uint32_t idx) {
      if (!best || contact_before(contacts[idx], contacts[*best], now)) best = idx;
    };
    if (!options.indexed) {
      for (std::uint32_t i = 0; i < contacts.size(); ++i) {
        const Contact& c = contacts[i];
        if (!c.used || !c.listed || !(a.avail & (1u << c.channel))) continue;
        const Group& g = groups[c.group];
        for (std::size_t k = 0; k <= c.step && k < g.rings.size(); ++k) {
          if (matches(a, reqs[g.rings[k]])) {
            consider(i);
            break;
          }
        }
      }
      return best;
    }
    // The same order as contact_before(), read from the heap entries alone.
    struct Cand {
      bool starving;
      std::int64_t eff, arrived;
      std::uint64_t seq;
      std::uint32_t idx;
    };
    auto before = [](const Cand& x, const Cand& y) {
      if (x.starving != y.starving) return x.starving;
      if (!x.starving && x.eff != y.eff) return x.eff > y.eff;
      if (x.arrived != y.arrived) return x.arrived < y.arrived;
      return x.seq < y.seq;
    };
    std::optional<Cand> top;
    auto take = [&](const Cand& x) {
      if (top && !before(x, *top)) return;
      top = x;
      // The offer reads this record next: start loading it while the other fronts are compared.
      __builtin_prefetch(&contacts[x.idx]);
    };
    const std::int64_t now_rel = rel(now);
    const std::size_t tiers = def.tiers.size();
    for (const auto& [req, psum] : a.eligible) {
      if (live_any[req] == 0 || !(a.avail & (1u << req_channel[req]))) continue;
      const std::size_t base = req * slots;
      if (live[base + tiers] > 0) {
        if (const ContactEntry* e = cvalid_front(req, tiers))
          take({true, 0, e->arrived, e->seq, e->idx});
      }
      if (top && top->starving) continue;
      const std::int64_t aging = sat_mul(req_aging[req], now_rel);
      for (std::size_t t = 0; t < tiers; ++t) {
        if (live[base + t] == 0) continue;
        if (const ContactEntry* e = cvalid_front(req, t)) {
          take({false, sat_add(sat_add(e->s, aging), boost[t]), e->arrived, e->seq, e->idx});
        }
      }
    }
    if (top) best = top->idx;
    return best;
  }

  // ---- offers
  // ---------------------------------------------------------------------------------------
  void offer(std::uint32_t cidx, std::uint32_t aidx, Rule rule, std::int64_t candidates,
             double metric, Instant now) {
    Contact& c = contacts[cidx];
    Agent& a = agents[aidx];
    const bool st = staffed(a);
    unlist(cidx);
    c.state = ContactState::offered;
    const std::uint64_t oid = ++offer_seq;
    c.offers.push_back({aidx, oid});
    sync_offers(cidx);
    a.holds.push_back({cidx, c.channel, ContactState::offered});
    ++a.slots[c.channel];
    // Only round-robin queues read the last offer (rr_of()); keeping the others out leaves the
    // list in its inline slot, where it shares the agent's lines with what an offer writes anyway.
    if (def.queues[c.queue].strategy == Strategy::round_robin) {
      bool found = false;
      for (auto& [q, seq] : a.rr) {
        if (q == c.queue) seq = oid, found = true;
      }
      if (!found) a.rr.emplace_back(c.queue, oid);
    }
    refresh(aidx, st);
    Decision& d = emit(DecisionKind::offer, rule, &c, now);
    d.agent = a.id;
    d.candidates = static_cast<std::uint32_t>(std::min<std::int64_t>(candidates, UINT32_MAX));
    d.metric = metric;
    at(now + def.rules.offer_timeout, TimerKind::offer, cidx, c.life, oid, aidx);
  }

  double strategy_metric(const Contact& c, const AgentPick& p, Instant now) const {
    const Agent& a = agents[p.idx];
    switch (def.queues[c.queue].strategy) {
      case Strategy::longest_idle:
      case Strategy::ring_all:
        return static_cast<double>((now - a.idle_since).count()) / 1000.0;
      case Strategy::fewest_calls:
        return static_cast<double>(a.accepted);
      case Strategy::least_talk_time:
        return static_cast<double>(a.talk.count()) / 1000.0;
      case Strategy::round_robin:
        return static_cast<double>(p.k1);
      case Strategy::linear:
        return static_cast<double>(a.order);
      case Strategy::random:
        return static_cast<double>(p.k1) * 0x1.0p-63;
      case Strategy::weighted_random:
      case Strategy::best_skill:
        return static_cast<double>(pick_psum(p));
    }
    return 0;
  }

  void dispatch_contact(std::uint32_t cidx, Instant now) {
    const Contact& c = contacts[cidx];
    if (!c.used || !c.listed) return;
    const Queue& q = def.queues[c.queue];
    if (q.strategy == Strategy::ring_all) {
      std::vector<std::uint32_t> chosen;
      const std::int64_t cand = candidates_for(c);
      while (chosen.size() < static_cast<std::size_t>(std::max(q.ring_all_limit, 1))) {
        auto p = best_agent(contacts[cidx], chosen);
        if (!p) break;
        chosen.push_back(p->idx);
      }
      for (std::uint32_t a : chosen) {
        const double m = static_cast<double>((now - agents[a].idle_since).count()) / 1000.0;
        offer(cidx, a, Rule::ring_all, cand, m, now);
      }
      return;
    }
    const std::int64_t cand = candidates_for(c);
    // No available agent in any reachable requirement (the counters are exact; validate() checks
    // them): nothing to look for in the heaps.
    if (cand == 0) return;
    if (auto p = best_agent(c, {}))
      offer(cidx, p->idx, Rule::strategy, cand, strategy_metric(c, *p, now), now);
  }

  void dispatch_agent(std::uint32_t aidx, AgentId id, Instant now) {
    for (int guard = 0; guard < 256; ++guard) {
      const Agent& a = agents[aidx];
      if (!a.used || a.id != id || a.avail == 0) return;
      auto best = best_contact(aidx, now);
      if (!best) return;
      const Contact& c = contacts[*best];
      if (c.state == ContactState::reserved) {
        contacts[*best].owner_offer = true;
        offer(*best, aidx, Rule::owner, 1, 0, now);
        continue;
      }
      const Rule rule = c.starving ? Rule::starvation : Rule::priority;
      const std::int64_t waiting_in_queue = queues[c.queue].listed;
      const double metric = c.starving ? static_cast<double>((now - c.arrived).count()) / 1000.0
                                       : static_cast<double>(eff(c, now)) / kMicro;
      offer(*best, aidx, rule, waiting_in_queue, metric, now);
    }
  }

  /// Runs the dispatches queued by events (work) and the deferred heap pushes (pending). Inline
  /// when both are empty, as after most accepts and inside an arrival's second call.
  [[gnu::always_inline]] void drain(Instant now) {
    if (!work.empty()) {
      drain_work(now);
    } else {
      flush();
    }
  }
  [[gnu::noinline]] void drain_work(Instant now) {
    for (std::size_t i = 0; i < work.size(); ++i) {
      const Work w = work[i];
      if (w.agent) {
        dispatch_agent(w.idx, w.tag, now);
      } else if (contacts[w.idx].used && contacts[w.idx].life == w.tag) {
        dispatch_contact(w.idx, now);
      }
    }
    work.clear();
    flush();
  }

  // ---- contact lifecycle ------------------------------------------------------------------------
  RankIndex& rank_index(const Contact& c) {
    return queues[c.queue].order[c.starving ? 0 : 1 + std::size_t{c.tier}];
  }
  RankKey rank_key(const Contact& c) const { return {c.starving ? 0 : c.s, rel(c.arrived), c.seq}; }
  // The scanning router (indexed = false) counts positions by scan: it keeps no rank index.
  void add_member(std::uint32_t cidx) {
    Contact& c = contacts[cidx];
    c.member = true;
    if (options.indexed) rank_index(c).insert(rank_key(c));
    ++queues[c.queue].members;
    ++queues[c.queue].stats.waiting;
    ++waiting;
  }
  void remove_member(std::uint32_t cidx) {
    Contact& c = contacts[cidx];
    if (!c.member) return;
    c.member = false;
    if (options.indexed) rank_index(c).erase(rank_key(c));
    --queues[c.queue].members;
    --queues[c.queue].stats.waiting;
    --waiting;
  }
  /// Marks a contact starving (its rank moves to the front group).
  void set_starving(std::uint32_t cidx) {
    Contact& c = contacts[cidx];
    const bool indexed = c.member && options.indexed;
    if (indexed) rank_index(c).erase(rank_key(c));
    c.starving = true;
    if (indexed) rank_index(c).insert(rank_key(c));
  }

  void release_owner(std::uint32_t cidx) {
    Contact& c = contacts[cidx];
    if (!c.owner) return;
    auto& owned = agents[*c.owner].owned;
    std::erase(owned, cidx);
    c.owner.reset();
  }

  void free_contact(std::uint32_t cidx) {
    Contact& c = contacts[cidx];
    unlist(cidx);
    release_owner(cidx);
    remove_member(cidx);
    contact_index.erase(c.id);
    recycle(cidx);
  }

  /// Removes one pending offer (agent side and contact side); returns the contact to the queue
  /// when no offer is left.
  void drop_offer(std::uint32_t cidx, std::uint32_t aidx, bool requeue) {
    Contact& c = contacts[cidx];
    Agent& a = agents[aidx];
    const bool st = staffed(a);
    c.offers.erase_if([&](const Offer& o) { return o.agent == aidx; });
    sync_offers(cidx);
    for (std::size_t i = 0; i < a.holds.size(); ++i) {
      if (a.holds[i].contact == cidx) {
        --a.slots[a.holds[i].channel];
        a.holds.erase(a.holds.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
    }
    refresh(aidx, st);
    if (requeue && c.offers.empty() && c.state == ContactState::offered) {
      if (c.owner && c.owner_offer) release_owner(cidx);
      c.owner_offer = false;
      list(cidx);
    }
  }

  void withdraw_all(std::uint32_t cidx, Rule rule, Instant now) {
    Contact& c = contacts[cidx];
    const auto offers = c.offers;
    for (const Offer& o : offers) {
      Decision& d = emit(DecisionKind::withdraw, rule, &c, now);
      d.agent = agents[o.agent].id;
      drop_offer(cidx, o.agent, false);
    }
  }

  /// Frees a slot; its life and version keep counting so that stale timers and heap entries of
  /// the previous occupant never match the next one.
  void recycle(std::uint32_t cidx) {
    Contact& c = contacts[cidx];
    if (c.has_extra) contact_extra[cidx].clear();
    const std::uint32_t life = c.life + 1, version = c.version + 1;
    c = Contact{};
    sync_offers(cidx);
    contact_seqs[cidx] = 0;
    c.life = life;
    c.version = version;
    free_contacts.push_back(cidx);
  }

  std::uint32_t alloc_contact() {
    if (!free_contacts.empty()) {
      const std::uint32_t i = free_contacts.back();
      free_contacts.pop_back();
      return i;
    }
    contacts.emplace_back();
    contact_extra.emplace_back();
    contact_tag.push_back(0);
    offers_open.push_back(0);
    contact_seqs.push_back(0);
    return static_cast<std::uint32_t>(contacts.size() - 1);
  }

  std::uint32_t position_of(std::uint32_t cidx, Instant now) {
    refresh_boosts(now);
    const Contact& c = contacts[cidx];
    const QueueRt& q = queues[c.queue];
    // Same rule as contact_before(); the queue's aging term is common to all and cancels. The
    // starving come first, among themselves by arrival; the others by effective score (static
    // score + their tier's SLA boost), then arrival, then sequence.
    if (!options.indexed) return position_by_scan(cidx);
    const RankKey me = rank_key(c);
    const RankIndex& starving = q.order[0];
    if (c.starving) {
      return static_cast<std::uint32_t>(
                 starving.count_prefix([&](const RankKey& k) { return RankBefore{}(k, me); })) +
             1;
    }
    const std::int64_t my_eff = sat_add(c.s, boost[c.tier]);
    std::size_t ahead = starving.size();
    for (std::size_t t = 0; t + 1 < q.order.size(); ++t) {
      const RankIndex& ix = q.order[t + 1];
      if (ix.empty()) continue;
      const std::int64_t b = boost[t];
      std::int64_t hi = 0, lo = 0;
      const bool saturates = __builtin_add_overflow(ix.front().s, b, &hi) ||
                             __builtin_add_overflow(ix.back().s, b, &lo);
      auto before = [&](const RankKey& k) {
        const std::int64_t e = sat_add(k.s, b);
        if (e != my_eff) return e > my_eff;
        if (k.arrived != me.arrived) return k.arrived < me.arrived;
        return k.seq < me.seq;
      };
      if (!saturates) {
        // Without saturation equal effective scores mean equal static scores, so `before`
        // holds on a prefix of this index's order.
        ahead += ix.count_prefix(before);
      } else {
        ix.for_each([&](const RankKey& k) { ahead += before(k) ? 1 : 0; });
      }
    }
    return static_cast<std::uint32_t>(ahead) + 1;
  }

  /// The oracle (and the baseline's way): every contact slot, the rule written out.
  std::uint32_t position_by_scan(std::uint32_t cidx) const {
    const Contact& c = contacts[cidx];
    const std::int64_t my_eff = sat_add(c.s, boost[c.tier]);
    std::uint32_t ahead = 0;
    for (std::uint32_t i = 0; i < contacts.size(); ++i) {
      const Contact& m = contacts[i];
      if (i == cidx || !m.member || m.queue != c.queue) continue;
      bool before;
      if (m.starving != c.starving) {
        before = m.starving;
      } else {
        const std::int64_t e = sat_add(m.s, boost[m.tier]);
        if (!m.starving && e != my_eff) {
          before = e > my_eff;
        } else if (m.arrived != c.arrived) {
          before = m.arrived < c.arrived;
        } else {
          before = m.seq < c.seq;
        }
      }
      ahead += before ? 1 : 0;
    }
    return ahead + 1;
  }

  Duration predicted_of(std::uint32_t cidx, std::uint32_t pos) const {
    const Contact& c = contacts[cidx];
    const std::int64_t n = staffed_n[groups[c.group].rings[0]];
    if (n <= 0) return Duration{-1};
    return Duration{round_half_away(static_cast<double>(pos) * queues[c.queue].aht_ms /
                                    static_cast<double>(n))};
  }

  void announce(std::uint32_t cidx, Rule rule, Instant now) {
    const std::uint32_t pos = position_of(cidx, now);
    Decision& d = emit(DecisionKind::announce, rule, &contacts[cidx], now);
    d.position = pos;
    d.predicted_wait = predicted_of(cidx, pos);
  }

  /// Puts a contact into queue q (arrival or overflow). Returns false when it did not stay.
  void enter(std::uint32_t cidx, std::uint32_t q, Instant now, std::size_t hops, bool arrival) {
    Contact& c = contacts[cidx];
    const Queue& queue = def.queues[q];
    const calendar::Calendar* cal = policy->queue_calendar(q);
    if (cal && !cal->is_open(now)) {
      if (queue.closed == ClosedAction::overflow && hops < kMaxQueueHops) {
        overflow_to(cidx, static_cast<std::uint32_t>(policy->queue_index(queue.closed_to)),
                    Rule::closed, now, hops + 1, q);
        return;
      }
      if (queue.closed != ClosedAction::callback) {
        Decision& d = emit(DecisionKind::rejected, Rule::closed, &c, now);
        d.queue = q;
        ++queues[q].stats.rejected;
        if (window) window->exited(c.tier, now, window_wait(c, now)), boost_dirty = true;
        free_contact(cidx);
        return;
      }
    }
    if (queue.max_length > 0 && queues[q].members >= queue.max_length) {
      Decision& d = emit(DecisionKind::rejected, Rule::queue_full, &c, now);
      d.queue = q;
      ++queues[q].stats.rejected;
      if (window) window->exited(c.tier, now, window_wait(c, now)), boost_dirty = true;
      free_contact(cidx);
      return;
    }
    c.queue = q;
    c.step = 0;
    c.queued = now;
    ++c.life;
    c.channel = queue_channel[q];
    c.group = group_for(q, def.queues[q].language_required ? c.lang : std::int16_t{-1},
                        c.has_extra ? contact_extra[cidx] : kNoExtra);
    c.s = sat_add(c.base + sat_mul(queue.priority, kMicro),
                  -sat_mul(queues[q].aging_u, rel(c.arrived)));
    add_member(cidx);
    if (!arrival) ++queues[q].stats.overflowed_in;
    // Timers of this queue.
    const auto& steps = policy->steps(q);
    for (std::size_t k = 1; k < steps.size(); ++k) {
      at(c.queued + steps[k].after, TimerKind::step, cidx, c.life, k);
    }
    if (queue.max_wait > Duration::zero())
      at(c.queued + queue.max_wait, TimerKind::max_wait, cidx, c.life);
    if (def.rules.announce && def.rules.announce_every > Duration::zero()) {
      at(now + def.rules.announce_every, TimerKind::announce, cidx, c.life);
    }
    const bool closed_callback =
        cal && !cal->is_open(now) && queue.closed == ClosedAction::callback;
    // First-contact responsibility.
    if (c.owner) {
      Agent& o = agents[*c.owner];
      o.owned.push_back(cidx);
      c.state = ContactState::reserved;
      if (o.avail & (1u << c.channel)) {
        c.owner_offer = true;
        offer(cidx, *c.owner, Rule::owner, 1, 0, now);
        return;
      }
      at(now + queue.owner_wait, TimerKind::owner, cidx, c.life);
    } else {
      list(cidx);
      drain(now);
    }
    Contact& cc = contacts[cidx];
    if (!cc.used || cc.life == 0 || cc.state == ContactState::offered) return;
    if (def.rules.announce) announce(cidx, Rule::arrival, now);
    if (closed_callback && !cc.callback_offered) {
      cc.callback_offered = true;
      emit(DecisionKind::callback_offer, Rule::closed, &cc, now);
    } else if (queue.callback_over > Duration::zero() && !cc.callback && !cc.callback_offered) {
      const std::uint32_t pos = position_of(cidx, now);
      const Duration pw = predicted_of(cidx, pos);
      if (pw < Duration::zero() || pw > queue.callback_over) {
        cc.callback_offered = true;
        Decision& d = emit(DecisionKind::callback_offer, Rule::predicted_wait, &cc, now);
        d.position = pos;
        d.predicted_wait = pw;
      }
    }
  }

  void overflow_to(std::uint32_t cidx, std::uint32_t to, Rule rule, Instant now, std::size_t hops,
                   std::uint32_t from) {
    Contact& c = contacts[cidx];
    if (c.state == ContactState::offered) withdraw_all(cidx, rule, now);
    unlist(cidx);
    release_owner(cidx);
    if (c.member) {
      remove_member(cidx);
      ++queues[from].stats.overflowed_out;
    }
    Decision& d = emit(DecisionKind::overflow, rule, &c, now);
    d.from_queue = from;
    d.queue = to;
    c.state = ContactState::waiting;
    enter(cidx, to, now, hops, false);
  }

  // ---- agents: removal --------------------------------------------------------------------------
  void finish_wrap(std::uint32_t cidx, Instant now) {
    Contact& c = contacts[cidx];
    const std::uint32_t aidx = c.agent;
    Agent& a = agents[aidx];
    const bool st = staffed(a);
    QueueRt& q = queues[c.queue];
    const double sample = static_cast<double>((now - c.connected_at).count());
    q.aht_ms += 0.1 * (sample - q.aht_ms);
    for (std::size_t i = 0; i < a.holds.size(); ++i) {
      if (a.holds[i].contact == cidx) {
        --a.slots[a.holds[i].channel];
        a.holds.erase(a.holds.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
    }
    a.idle_since = now;
    refresh(aidx, st);
    contact_index.erase(c.id);
    recycle(cidx);
  }

  void set_not_ready(std::uint32_t aidx, std::string_view reason, Instant now) {
    Agent& a = agents[aidx];
    const bool st = staffed(a);
    a.presence = Presence::not_ready;
    a.reason = std::string(reason);
    refresh(aidx, st);
    // Pending offers are withdrawn; reserved contacts stop waiting for this agent.
    std::vector<std::uint32_t> offered;
    for (const Hold& h : a.holds) {
      if (h.state == ContactState::offered) offered.push_back(h.contact);
    }
    for (std::uint32_t cidx : offered) {
      Decision& d = emit(DecisionKind::withdraw, Rule::agent_left, &contacts[cidx], now);
      d.agent = a.id;
      drop_offer(cidx, aidx, true);
    }
    release_owned(aidx);
  }

  void release_owned(std::uint32_t aidx) {
    const auto owned = agents[aidx].owned;
    for (std::uint32_t cidx : owned) {
      Contact& c = contacts[cidx];
      release_owner(cidx);
      if (c.state == ContactState::reserved) list(cidx);
    }
  }

  // ---- lookups with errors
  // ------------------------------------------------------------------------
  // Inline lookups, out-of-line errors: every event starts with one of these.
  [[gnu::always_inline]] std::uint32_t agent_of(AgentId id) const {
    const std::uint32_t i = agent_index.find(id);
    if (i == detail_ids::IdMap::kNone) [[unlikely]]
      no_agent(id);
    return i;
  }
  [[gnu::always_inline]] std::uint32_t contact_of(ContactId id) const {
    const std::uint32_t i = contact_index.find(id);
    if (i == detail_ids::IdMap::kNone) [[unlikely]]
      no_contact(id);
    return i;
  }
  [[noreturn, gnu::noinline, gnu::cold]] static void no_agent(AgentId id) {
    fail(ErrorCode::not_found, "agent", fmt::format("agent {} is not logged in", id));
  }
  [[noreturn, gnu::noinline, gnu::cold]] static void no_contact(ContactId id) {
    fail(ErrorCode::not_found, "contact",
         fmt::format("contact {} is not in the router (never arrived, or ended)", id));
  }
  /// Throws invalid_state unless the contact is ringing this agent (accept, reject).
  void require_offer(std::uint32_t cidx, std::uint32_t aidx) const {
    const Contact& c = contacts[cidx];
    if (c.state != ContactState::offered ||
        std::none_of(c.offers.begin(), c.offers.end(),
                     [&](const Offer& o) { return o.agent == aidx; })) {
      fail(ErrorCode::invalid_state, "contact",
           fmt::format("contact {} is not offered to agent {} (it is {})", c.id, agents[aidx].id,
                       state_name(c.state)));
    }
  }

  static const char* state_name(ContactState s) noexcept {
    switch (s) {
      case ContactState::reserved:
        return "reserved for its owner";
      case ContactState::waiting:
        return "waiting";
      case ContactState::offered:
        return "offered";
      case ContactState::connected:
        return "connected";
      case ContactState::wrap_up:
        return "in wrap-up";
    }
    return "?";
  }

  // ---- timers: firing
  // -------------------------------------------------------------------------------
  void fire(const Timer& t) {
    const Instant now = t.due;
    if (t.kind == TimerKind::cooldown) {
      Agent& a = agents[t.agent];
      if (!a.used || a.cooldown_seq != t.aux) return;
      const bool st = staffed(a);
      a.cooldown = false;
      refresh(t.agent, st);
      return;
    }
    // An offer answered, withdrawn or timed out, or a contact gone, leaves its timer behind:
    // drop it from the dense arrays before the contact record is read.
    if (void_timer(t)) return;
    Contact& c = contacts[t.idx];
    if (!c.used) return;
    switch (t.kind) {
      case TimerKind::step: {
        if (c.life != t.life || c.state == ContactState::connected ||
            c.state == ContactState::wrap_up)
          return;
        const std::size_t k = t.aux;
        const Step& st = policy->steps(c.queue)[k];
        if (!st.overflow_to.empty()) {
          overflow_to(t.idx, static_cast<std::uint32_t>(policy->queue_index(st.overflow_to)),
                      Rule::step, now, 0, c.queue);
          return;
        }
        if (k <= c.step) return;
        if (c.listed) {
          unlist(t.idx);
          c.step = static_cast<std::uint16_t>(k);
          list(t.idx);
        } else {
          c.step = static_cast<std::uint16_t>(k);
        }
        return;
      }
      case TimerKind::max_wait: {
        if (c.life != t.life || c.state == ContactState::connected ||
            c.state == ContactState::wrap_up)
          return;
        const Queue& q = def.queues[c.queue];
        if (!q.timeout_to.empty()) {
          overflow_to(t.idx, static_cast<std::uint32_t>(policy->queue_index(q.timeout_to)),
                      Rule::max_wait, now, 0, c.queue);
          return;
        }
        if (c.state == ContactState::offered) withdraw_all(t.idx, Rule::max_wait, now);
        emit(DecisionKind::timed_out, Rule::max_wait, &c, now);
        ++queues[c.queue].stats.timed_out;
        if (window) window->exited(c.tier, now, window_wait(c, now)), boost_dirty = true;
        free_contact(t.idx);
        return;
      }
      case TimerKind::starve: {
        if (c.life == 0 || c.seq != t.aux || c.starving) return;
        if (c.state == ContactState::connected || c.state == ContactState::wrap_up) return;
        if (c.listed) {
          unlist(t.idx);
          set_starving(t.idx);
          list(t.idx);
        } else {
          set_starving(t.idx);
        }
        return;
      }
      case TimerKind::owner: {
        if (c.life != t.life || c.state != ContactState::reserved) return;
        release_owner(t.idx);
        list(t.idx);
        return;
      }
      case TimerKind::announce: {
        // A callback holds its place with nobody on the line: no more announcements.
        if (c.life != t.life || c.callback) return;
        if (c.state != ContactState::waiting && c.state != ContactState::reserved) {
          if (c.state == ContactState::offered)
            at(now + def.rules.announce_every, TimerKind::announce, t.idx, c.life);
          return;
        }
        announce(t.idx, Rule::periodic, now);
        // After a long gap between advance() calls, announce once, not once per missed period.
        Instant next = now + def.rules.announce_every;
        if (next <= horizon)
          next += def.rules.announce_every * (1 + (horizon - next) / def.rules.announce_every);
        at(next, TimerKind::announce, t.idx, c.life);
        return;
      }
      case TimerKind::offer: {
        if (c.state != ContactState::offered) return;
        auto it = std::find_if(c.offers.begin(), c.offers.end(),
                               [&](const Offer& o) { return o.id == t.aux; });
        if (it == c.offers.end()) return;
        const std::uint32_t aidx = it->agent;
        Agent& a = agents[aidx];
        Decision& d = emit(DecisionKind::withdraw, Rule::offer_timeout, &c, now);
        d.agent = a.id;
        ++a.rna;
        start_cooldown(aidx, now);
        drop_offer(t.idx, aidx, true);
        if (def.rules.rna_limit > 0 && a.rna >= def.rules.rna_limit &&
            a.presence == Presence::ready) {
          Decision& n = emit(DecisionKind::agent_not_ready, Rule::ring_no_answer, nullptr, now);
          n.agent = a.id;
          set_not_ready(aidx, def.rules.rna_reason, now);
        }
        return;
      }
      case TimerKind::wrap_up: {
        if (c.life != t.life || c.state != ContactState::wrap_up) return;
        finish_wrap(t.idx, now);
        return;
      }
      case TimerKind::cooldown:
        return;
    }
  }

  void start_cooldown(std::uint32_t aidx, Instant now) {
    if (def.rules.reject_cooldown <= Duration::zero()) return;
    Agent& a = agents[aidx];
    const bool st = staffed(a);
    a.cooldown = true;
    a.cooldown_seq = ++cooldown_seq;
    refresh(aidx, st);
    at(now + def.rules.reject_cooldown, TimerKind::cooldown, 0, 0, a.cooldown_seq, aidx);
  }

  static Event ev(Event::Kind kind, Instant at, AgentId agent, ContactId contact,
                  std::string reason = {}) {
    Event e;
    e.kind = kind;
    e.at = at;
    e.agent = agent;
    e.contact = contact;
    e.reason = std::move(reason);
    return e;
  }

  void record(Event e) {
    if (options.record) log.push_back(std::move(e));
  }
};

// ---- Router -------------------------------------------------------------------------------------

Router::Router(std::shared_ptr<const Policy> policy, RouterOptions options) {
  if (!policy) fail(ErrorCode::invalid_argument, "policy", "policy is null");
  impl_ = std::make_unique<Impl>(std::move(policy), options);
}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

const Policy& Router::policy() const noexcept { return *impl_->policy; }
const RouterOptions& Router::options() const noexcept { return impl_->options; }

std::span<const Decision> Router::login(const AgentProfile& profile, Instant now, bool ready) {
  Impl& m = *impl_;
  m.check_time(now);
  if (m.agent_index.contains(profile.id)) {
    fail(ErrorCode::already_exists, "agent",
         fmt::format("agent {} is already logged in", profile.id));
  }
  const Policy& p = *m.policy;
  Agent a;
  a.id = profile.id;
  for (std::size_t i = 0; i < profile.skills.size(); ++i) {
    const auto s = p.find_skill(profile.skills[i].skill);
    const std::string where = fmt::format("skills/{}", i);
    if (!s)
      fail(ErrorCode::not_found, where,
           fmt::format("unknown skill \"{}\"", profile.skills[i].skill));
    const int prof = profile.skills[i].proficiency;
    if (prof < 1 || prof > 5) fail(ErrorCode::invalid_argument, where, "proficiency must be 1..5");
    for (const Need& n : a.skills) {
      if (n.first == *s)
        fail(ErrorCode::invalid_argument, where,
             fmt::format("skill \"{}\" given twice", profile.skills[i].skill));
    }
    a.skills.emplace_back(static_cast<std::uint16_t>(*s), static_cast<std::uint8_t>(prof));
  }
  std::sort(a.skills.begin(), a.skills.end());
  for (std::size_t i = 0; i < profile.languages.size(); ++i) {
    const auto l = p.find_language(profile.languages[i]);
    if (!l)
      fail(ErrorCode::not_found, fmt::format("languages/{}", i),
           fmt::format("unknown language \"{}\"", profile.languages[i]));
    a.langs |= 1ULL << *l;
  }
  for (std::size_t c = 0; c < m.channel_default.size(); ++c) a.cap[c] = m.channel_default[c];
  for (const auto& [channel, cap] : profile.capacity) {
    const std::string where = fmt::format("capacity/{}", channel);
    std::optional<std::size_t> c;
    for (std::size_t i = 0; i < p.definition().channels.size(); ++i) {
      if (p.definition().channels[i].name == channel) c = i;
    }
    if (!c) fail(ErrorCode::not_found, where, fmt::format("unknown channel \"{}\"", channel));
    if (cap < 0 || cap > 64) fail(ErrorCode::invalid_argument, where, "capacity must be 0..64");
    a.cap[*c] = static_cast<std::uint8_t>(cap);
  }
  if (static_cast<unsigned>(profile.grade) > 3)
    fail(ErrorCode::invalid_argument, "grade", "grade out of range");
  if (static_cast<unsigned>(profile.pool) > 2)
    fail(ErrorCode::invalid_argument, "pool", "pool out of range");
  a.grade = profile.grade;
  a.pool = profile.pool;
  a.order = profile.order;
  a.used = true;
  a.presence = ready ? Presence::ready : Presence::not_ready;
  if (!ready) a.reason = "login";
  a.idle_since = now;

  m.out.clear();
  m.touch(now);
  std::uint32_t idx = 0;
  if (!m.free_agents.empty()) {
    idx = m.free_agents.back();
    m.free_agents.pop_back();
    a.epoch = m.agents[idx].epoch + 1;  // entries of the previous occupant stay stale
  } else {
    idx = static_cast<std::uint32_t>(m.agents.size());
    m.agents.emplace_back();
    m.agent_tag.push_back(0);
  }
  m.agents[idx] = std::move(a);
  Agent& ag = m.agents[idx];
  for (std::uint32_t r = 0; r < m.reqs.size(); ++r) {
    if (Impl::matches(ag, m.reqs[r])) ag.eligible.emplace_back(r, Impl::prof_sum(ag, m.reqs[r]));
  }
  for (std::uint32_t q = 0; q < m.queues.size(); ++q) {
    if (Impl::matches(ag, m.queues[q].staff)) ag.staff_queues.push_back(q);
  }
  m.agent_index.insert(ag.id, idx);
  ++m.logged_in;
  m.refresh(idx, false);
  if (m.options.record) {
    Event e;
    e.kind = Event::Kind::login;
    e.at = now;
    e.agent = profile.id;
    e.profile = profile;
    e.ready = ready;
    m.record(std::move(e));
  }
  m.drain(now);
  return m.out;
}

std::span<const Decision> Router::logout(AgentId id, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const std::uint32_t idx = m.agent_of(id);
  for (const Hold& h : m.agents[idx].holds) {
    if (h.state == ContactState::connected) {
      fail(ErrorCode::invalid_state, "agent",
           fmt::format("agent {} is connected to contact {}: end it first", id,
                       m.contacts[h.contact].id));
    }
  }
  m.out.clear();
  m.touch(now);
  m.set_not_ready(idx, "logout", now);
  // Wrap-ups end with the logout.
  std::vector<std::uint32_t> wraps;
  for (const Hold& h : m.agents[idx].holds) wraps.push_back(h.contact);
  for (std::uint32_t c : wraps) m.finish_wrap(c, now);
  Agent& a = m.agents[idx];
  const bool st = m.staffed(a);
  a.presence = Presence::logged_out;
  m.refresh(idx, st);
  // Leave the requirement counters as if the agent had never matched.
  a.used = false;
  a.eligible.clear();
  a.holds.clear();
  a.owned.clear();
  a.rr.clear();
  a.skills.clear();
  a.skills.shrink_to_fit();
  a.staff_queues.clear();
  a.staff_queues.shrink_to_fit();
  m.agent_index.erase(id);
  m.free_agents.push_back(idx);
  --m.logged_in;
  if (m.options.record) m.record(Impl::ev(Event::Kind::logout, now, id, 0));
  m.drain(now);
  return m.out;
}

std::span<const Decision> Router::ready(AgentId id, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const std::uint32_t idx = m.agent_of(id);
  m.out.clear();
  m.touch(now);
  Agent& a = m.agents[idx];
  if (a.presence != Presence::ready) {
    const bool st = m.staffed(a);
    a.presence = Presence::ready;
    a.reason.clear();
    a.rna = 0;
    if (a.holds.empty()) a.idle_since = now;
    m.refresh(idx, st);
  }
  if (m.options.record) m.record(Impl::ev(Event::Kind::ready, now, id, 0));
  m.drain(now);
  return m.out;
}

std::span<const Decision> Router::not_ready(AgentId id, std::string_view reason, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const std::uint32_t idx = m.agent_of(id);
  if (reason.size() > 256) fail(ErrorCode::limit, "reason", "reason longer than 256 bytes");
  m.out.clear();
  m.touch(now);
  m.set_not_ready(idx, reason, now);
  if (m.options.record) m.record(Impl::ev(Event::Kind::not_ready, now, id, 0, std::string(reason)));
  m.drain(now);
  return m.out;
}

std::span<const Decision> Router::arrive(const ContactSpec& spec, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const Policy& p = *m.policy;
  // A new id's entry is a cold line: load it while the names are looked up.
  m.contact_index.prefetch(spec.id);
  const auto q = p.find_queue(spec.queue);
  if (!q) fail(ErrorCode::not_found, "queue", fmt::format("unknown queue \"{}\"", spec.queue));
  std::size_t tier = 0;
  if (spec.tier.empty()) {
    tier = p.classify(spec.attributes);
  } else {
    const auto t = p.find_tier(spec.tier);
    if (!t) fail(ErrorCode::not_found, "tier", fmt::format("unknown tier \"{}\"", spec.tier));
    tier = *t;
  }
  std::int16_t lang = -1;
  if (!spec.language.empty()) {
    const auto l = p.find_language(spec.language);
    if (!l)
      fail(ErrorCode::not_found, "language", fmt::format("unknown language \"{}\"", spec.language));
    lang = static_cast<std::int16_t>(*l);
  }
  if (m.contact_index.contains(spec.id)) {
    fail(ErrorCode::already_exists, "id",
         fmt::format("contact {} is already in the router", spec.id));
  }
  std::vector<Need> extra;
  for (std::size_t i = 0; i < spec.skills.size(); ++i) {
    const auto s = p.find_skill(spec.skills[i].skill);
    const std::string where = fmt::format("skills/{}", i);
    if (!s)
      fail(ErrorCode::not_found, where, fmt::format("unknown skill \"{}\"", spec.skills[i].skill));
    if (spec.skills[i].min_proficiency < 1 || spec.skills[i].min_proficiency > 5) {
      fail(ErrorCode::invalid_argument, where, "min_proficiency must be 1..5");
    }
    extra.emplace_back(static_cast<std::uint16_t>(*s),
                       static_cast<std::uint8_t>(spec.skills[i].min_proficiency));
  }
  if (extra.size() > 16) fail(ErrorCode::limit, "skills", "at most 16 extra skills per contact");
  std::sort(extra.begin(), extra.end());
  if (std::abs(static_cast<double>(spec.priority)) > 1e6) {
    fail(ErrorCode::invalid_argument, "priority", "priority must be within +-1000000 points");
  }
  std::optional<std::uint32_t> owner;
  if (spec.owner) {
    const std::uint32_t o = m.agent_index.find(*spec.owner);
    if (o != detail_ids::IdMap::kNone) owner = o;  // an owner not logged in: no hold
  }
  // Overflow targets are validated at load; nothing below can fail on input.
  m.out.clear();
  m.touch(now);
  const std::uint32_t cidx = m.alloc_contact();
  Contact& c = m.contacts[cidx];
  c.id = spec.id;
  c.used = true;
  c.tier = static_cast<std::uint16_t>(tier);
  c.lang = lang;
  if (!extra.empty()) {
    c.has_extra = true;
    m.contact_extra[cidx] = std::move(extra);
  }
  c.base = sat_mul(p.definition().tiers[tier].priority + spec.priority, kMicro);
  c.arrived = now;
  c.seq = ++m.contact_seq;
  m.contact_seqs[cidx] = c.seq;
  c.callback = spec.callback;
  c.owner = owner;
  m.contact_index.insert(spec.id, cidx);
  ++m.queues[*q].stats.arrived;
  // The window records outcomes only: arrivals do not move a service level, and the router reads
  // nothing else from it.
  if (p.definition().rules.max_wait > Duration::zero()) {
    m.at(now + p.definition().rules.max_wait, TimerKind::starve, cidx, 0, c.seq);
  }
  m.enter(cidx, static_cast<std::uint32_t>(*q), now, 0, true);
  m.drain(now);
  if (m.options.record) {
    Event e;
    e.kind = Event::Kind::arrive;
    e.at = now;
    e.contact = spec.id;
    e.spec = spec;
    m.record(std::move(e));
  }
  return m.out;
}

std::span<const Decision> Router::abandon(ContactId id, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const std::uint32_t cidx = m.contact_of(id);
  Contact& c = m.contacts[cidx];
  if (c.state == ContactState::connected || c.state == ContactState::wrap_up) {
    fail(ErrorCode::invalid_state, "contact",
         fmt::format("contact {} is {}: use end()", id, Impl::state_name(c.state)));
  }
  m.out.clear();
  m.touch(now);
  m.withdraw_all(cidx, Rule::abandoned, now);
  ++m.queues[c.queue].stats.abandoned;
  if (m.window) m.window->abandoned(c.tier, now, m.window_wait(c, now)), m.boost_dirty = true;
  m.free_contact(cidx);
  if (m.options.record) m.record(Impl::ev(Event::Kind::abandon, now, 0, id));
  m.drain(now);
  return m.out;
}

std::span<const Decision> Router::accept(ContactId id, AgentId agent, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const std::uint32_t cidx = m.contact_of(id);
  Contact& c = m.contacts[cidx];
  // The agent from the contact's offers (no index lookup); an agent it was not offered to gets
  // the same errors as before: unknown agent, then not offered.
  std::uint32_t aidx = detail_ids::IdMap::kNone;
  if (c.state == ContactState::offered) {
    for (const Offer& o : c.offers) {
      if (m.agents[o.agent].used && m.agents[o.agent].id == agent) aidx = o.agent;
    }
  }
  if (aidx == detail_ids::IdMap::kNone) {
    aidx = m.agent_of(agent);
    m.require_offer(cidx, aidx);
  }
  m.out.clear();
  m.touch(now);
  // Other ring-all offers are withdrawn.
  if (c.offers.size() > 1) {
    const auto offers = c.offers;
    for (const Offer& o : offers) {
      if (o.agent == aidx) continue;
      Decision& d = m.emit(DecisionKind::withdraw, Rule::accepted_elsewhere, &c, now);
      d.agent = m.agents[o.agent].id;
      m.drop_offer(cidx, o.agent, false);
    }
  }
  c.offers.clear();
  m.sync_offers(cidx);
  Agent& a = m.agents[aidx];
  const bool st = m.staffed(a);
  for (Hold& h : a.holds) {
    if (h.contact == cidx) h.state = ContactState::connected;
  }
  ++a.accepted;
  a.rna = 0;
  m.refresh(aidx, st);
  m.release_owner(cidx);
  m.remove_member(cidx);
  c.state = ContactState::connected;
  c.agent = aidx;
  // The agent index rides in the id table's entry: end() reads it with the lookup and loads the
  // contact and agent records in parallel rather than one after the other.
  m.contact_index.set_aux(id, aidx);
  c.connected_at = now;
  ++m.queues[c.queue].stats.answered;
  if (m.window) m.window->answered(c.tier, now, m.window_wait(c, now)), m.boost_dirty = true;
  if (m.options.record) m.record(Impl::ev(Event::Kind::accept, now, agent, id));
  m.drain(now);
  return m.out;
}

std::span<const Decision> Router::reject(ContactId id, AgentId agent, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const std::uint32_t cidx = m.contact_of(id);
  const std::uint32_t aidx = m.agent_of(agent);
  m.require_offer(cidx, aidx);
  m.out.clear();
  m.touch(now);
  m.start_cooldown(aidx, now);
  m.drop_offer(cidx, aidx, true);
  if (m.options.record) m.record(Impl::ev(Event::Kind::reject, now, agent, id));
  m.drain(now);
  return m.out;
}

std::span<const Decision> Router::end(ContactId id, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const auto [cidx, hint] = m.contact_index.find_with_aux(id);
  if (cidx == detail_ids::IdMap::kNone) [[unlikely]]
    Impl::no_contact(id);
  __builtin_prefetch(reinterpret_cast<const char*>(&m.contacts[cidx]) + 64);
  m.prefetch_agent(hint);  // the agent of its connection (read only when connected)
  Contact& c = m.contacts[cidx];
  if (c.state != ContactState::connected) {
    fail(ErrorCode::invalid_state, "contact",
         fmt::format("contact {} is {}, not connected", id, Impl::state_name(c.state)));
  }
  m.out.clear();
  m.touch(now);
  Agent& a = m.agents[c.agent];
  const bool st = m.staffed(a);
  a.talk += now - c.connected_at;
  for (Hold& h : a.holds) {
    if (h.contact == cidx) h.state = ContactState::wrap_up;
  }
  c.state = ContactState::wrap_up;
  const Duration wrap = m.def.queues[c.queue].wrap_up;
  if (wrap <= Duration::zero()) {
    m.finish_wrap(cidx, now);  // refreshes the agent (keys and availability) once for both steps
  } else {
    m.refresh(c.agent, st);
    m.at(now + wrap, TimerKind::wrap_up, cidx, c.life);
  }
  if (m.options.record) m.record(Impl::ev(Event::Kind::end, now, 0, id));
  m.drain(now);
  return m.out;
}

std::span<const Decision> Router::wrap_up_done(ContactId id, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const std::uint32_t cidx = m.contact_of(id);
  if (m.contacts[cidx].state != ContactState::wrap_up) {
    fail(ErrorCode::invalid_state, "contact",
         fmt::format("contact {} is {}, not in wrap-up", id,
                     Impl::state_name(m.contacts[cidx].state)));
  }
  m.out.clear();
  m.touch(now);
  m.finish_wrap(cidx, now);
  if (m.options.record) m.record(Impl::ev(Event::Kind::wrap_up_done, now, 0, id));
  m.drain(now);
  return m.out;
}

std::span<const Decision> Router::callback_accepted(ContactId id, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const std::uint32_t cidx = m.contact_of(id);
  Contact& c = m.contacts[cidx];
  if (!c.callback_offered || c.callback) {
    fail(ErrorCode::invalid_state, "contact",
         fmt::format("contact {} has no pending callback offer", id));
  }
  if (c.state == ContactState::connected || c.state == ContactState::wrap_up) {
    fail(ErrorCode::invalid_state, "contact",
         fmt::format("contact {} is {}", id, Impl::state_name(c.state)));
  }
  m.out.clear();
  m.touch(now);
  c.callback = true;
  ++m.queues[c.queue].stats.callbacks;
  if (m.options.record) m.record(Impl::ev(Event::Kind::callback_accepted, now, 0, id));
  return m.out;
}

std::span<const Decision> Router::callback_declined(ContactId id, Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  const std::uint32_t cidx = m.contact_of(id);
  Contact& c = m.contacts[cidx];
  if (!c.callback_offered || c.callback) {
    fail(ErrorCode::invalid_state, "contact",
         fmt::format("contact {} has no pending callback offer", id));
  }
  m.out.clear();
  m.touch(now);
  if (m.options.record) m.record(Impl::ev(Event::Kind::callback_declined, now, 0, id));
  return m.out;
}

std::span<const Decision> Router::advance(Instant now) {
  Impl& m = *impl_;
  m.check_time(now);
  m.out.clear();
  const Instant floor = m.started ? m.last : now;
  m.touch(now);
  m.horizon = now;
  std::size_t fired = 0;
  while (const Timer* next = m.peek()) {
    if (next->due > now || fired++ == Router::kMaxTimersPerAdvance) break;
    Timer t = m.pop_timer();
    // A timer that fell due before the last event fires at that event's time (time never goes
    // back for the live service level).
    t.due = std::max(t.due, floor);
    m.fire(t);
    m.drain(t.due);
  }
  if (m.options.record) m.record(Impl::ev(Event::Kind::advance, now, 0, 0));
  return m.out;
}

std::optional<Instant> Router::next_due() const noexcept {
  // One return expression: GCC 12 compiled the two-return form into a 16-byte reload of the
  // optional it had just stored byte by byte (a store-forwarding stall), and the simulator polls
  // this after every event.
  const Timer* t = impl_->peek_live();
  return t != nullptr ? std::optional<Instant>(t->due) : std::optional<Instant>();
}

std::span<const Decision> Router::apply(const Event& e) {
  using K = Event::Kind;
  switch (e.kind) {
    case K::login:
      if (!e.profile) fail(ErrorCode::invalid_argument, "profile", "a login event needs a profile");
      return login(*e.profile, e.at, e.ready);
    case K::logout:
      return logout(e.agent, e.at);
    case K::ready:
      return ready(e.agent, e.at);
    case K::not_ready:
      return not_ready(e.agent, e.reason, e.at);
    case K::arrive:
      if (!e.spec)
        fail(ErrorCode::invalid_argument, "spec", "an arrive event needs a contact spec");
      return arrive(*e.spec, e.at);
    case K::abandon:
      return abandon(e.contact, e.at);
    case K::accept:
      return accept(e.contact, e.agent, e.at);
    case K::reject:
      return reject(e.contact, e.agent, e.at);
    case K::end:
      return end(e.contact, e.at);
    case K::wrap_up_done:
      return wrap_up_done(e.contact, e.at);
    case K::callback_accepted:
      return callback_accepted(e.contact, e.at);
    case K::callback_declined:
      return callback_declined(e.contact, e.at);
    case K::advance:
      return advance(e.at);
  }
  fail(ErrorCode::invalid_argument, "kind", "unknown event kind");
}

AgentStatus Router::agent(AgentId id) const {
  const Impl& m = *impl_;
  const Agent& a = m.agents[m.agent_of(id)];
  AgentStatus s;
  s.presence = a.presence;
  s.reason = a.reason;
  for (const Hold& h : a.holds) {
    if (h.state == ContactState::offered) ++s.offered;
    if (h.state == ContactState::connected) ++s.busy;
    if (h.state == ContactState::wrap_up) ++s.wrap_up;
  }
  s.in_cooldown = a.cooldown;
  s.consecutive_no_answer = a.rna;
  s.accepted = a.accepted;
  s.talk_time = a.talk;
  return s;
}

ContactStatus Router::contact(ContactId id) const {
  const Impl& m = *impl_;
  const Contact& c = m.contacts[m.contact_of(id)];
  ContactStatus s;
  s.state = c.state;
  s.queue = c.queue;
  s.step = c.step;
  s.tier = c.tier;
  s.arrived = c.arrived;
  for (const Offer& o : c.offers) s.offered_to.push_back(m.agents[o.agent].id);
  if (c.state == ContactState::connected || c.state == ContactState::wrap_up)
    s.agent = m.agents[c.agent].id;
  s.callback = c.callback;
  s.starving = c.starving;
  return s;
}

QueueStats Router::queue_stats(std::size_t queue) const {
  const Impl& m = *impl_;
  if (queue >= m.queues.size())
    fail(ErrorCode::not_found, "queue", fmt::format("no queue {}", queue));
  QueueStats s = m.queues[queue].stats;
  s.average_handle = Duration{std::llround(m.queues[queue].aht_ms)};
  s.staffed = m.queues[queue].staffed;
  return s;
}

std::uint32_t Router::position(ContactId id, Instant now) const {
  Impl& m = const_cast<Impl&>(*impl_);  // boosts are a cache
  const std::uint32_t cidx = m.contact_of(id);
  if (m.started && now < m.last) now = m.last;
  const Contact& c = m.contacts[cidx];
  if (c.state == ContactState::connected || c.state == ContactState::wrap_up) return 0;
  return m.position_of(cidx, now);
}

Duration Router::predicted_wait(ContactId id, Instant now) const {
  Impl& m = const_cast<Impl&>(*impl_);
  const std::uint32_t cidx = m.contact_of(id);
  const std::uint32_t pos = position(id, now);
  if (pos == 0) return Duration{0};
  return m.predicted_of(cidx, pos);
}

std::size_t Router::waiting_count() const noexcept { return impl_->waiting; }
std::size_t Router::agent_count() const noexcept { return impl_->logged_in; }
Instant Router::last_time() const noexcept { return impl_->last; }
const std::vector<Event>& Router::events() const noexcept { return impl_->log; }

void Router::check_invariants() const {
  const Impl& m = *impl_;
  auto bad = [](std::string what) { throw Error(ErrorCode::internal, "router", std::move(what)); };
  if (m.earliest_at != -3 && m.earliest_at != m.scan_earliest())
    bad(fmt::format("cached earliest timer {} but {} by a scan", m.earliest_at, m.scan_earliest()));
  std::size_t waiting = 0;
  for (std::uint32_t ci = 0; ci < m.contacts.size(); ++ci) {
    const Contact& c = m.contacts[ci];
    if (m.contact_seqs[ci] != (c.used ? c.seq : 0))
      bad(fmt::format("contact slot {}: dense sequence {} for {}", ci, m.contact_seqs[ci], c.seq));
    if ((m.offers_open[ci] == 0) != c.offers.empty())
      bad(fmt::format("contact slot {}: dense offer flag {} for {} offers", ci, m.offers_open[ci],
                      c.offers.size()));
    if (!c.used) continue;
    if (c.state != ContactState::connected && c.state != ContactState::wrap_up) ++waiting;
    const bool ring_all = m.def.queues[c.queue].strategy == Strategy::ring_all;
    if (c.state == ContactState::offered) {
      if (c.offers.empty()) bad(fmt::format("contact {} offered to nobody", c.id));
      if (c.offers.size() > 1 && !ring_all)
        bad(fmt::format("contact {} offered to {} agents", c.id, c.offers.size()));
    } else if (!c.offers.empty()) {
      bad(fmt::format("contact {} has offers while {}", c.id, Impl::state_name(c.state)));
    }
    if (c.listed != (c.state == ContactState::waiting))
      bad(fmt::format("contact {} listing", c.id));
  }
  if (waiting != m.waiting) bad(fmt::format("waiting count {} != {}", m.waiting, waiting));
  std::size_t in = 0;
  for (std::uint32_t ai = 0; ai < m.agents.size(); ++ai) {
    const Agent& a = m.agents[ai];
    if (!a.used) continue;
    ++in;
    std::array<int, 8> used{};
    for (const Hold& h : a.holds) {
      ++used[h.channel];
      const Contact& c = m.contacts[h.contact];
      if (!c.used) bad(fmt::format("agent {} holds a freed contact", a.id));
      if (h.state == ContactState::offered) {
        if (a.presence != Presence::ready)
          bad(fmt::format("agent {} has an offer while not ready", a.id));
        if (std::none_of(c.offers.begin(), c.offers.end(),
                         [&](const Offer& o) { return o.agent == ai; })) {
          bad(fmt::format("agent {} holds an offer contact {} does not know", a.id, c.id));
        }
      }
    }
    for (std::size_t ch = 0; ch < 8; ++ch) {
      if (used[ch] != a.slots[ch]) bad(fmt::format("agent {} slot count", a.id));
      if (used[ch] > a.cap[ch])
        bad(fmt::format("agent {} holds {} contacts over capacity {}", a.id, used[ch], a.cap[ch]));
    }
    if (a.avail != m.avail_mask(a)) bad(fmt::format("agent {} availability stale", a.id));
    // No available agent idle beside a waiting contact it fits.
    if (a.avail == 0) continue;
    for (std::uint32_t ci = 0; ci < m.contacts.size(); ++ci) {
      const Contact& c = m.contacts[ci];
      if (!c.used || !(a.avail & (1u << c.channel))) continue;
      if (c.state == ContactState::reserved && c.owner && *c.owner == ai) {
        bad(fmt::format("agent {} is available but its reserved contact {} waits", a.id, c.id));
      }
      if (!c.listed) continue;
      const Group& g = m.groups[c.group];
      for (std::size_t k = 0; k <= c.step && k < g.rings.size(); ++k) {
        if (Impl::matches(a, m.reqs[g.rings[k]])) {
          bad(fmt::format("agent {} is available and idle while contact {} waits for it", a.id,
                          c.id));
        }
      }
    }
  }
  if (in != m.logged_in) bad("logged-in count");
  for (const Req& r : m.reqs) {
    std::int64_t avail = 0, st = 0;
    for (const Agent& a : m.agents) {
      if (!a.used || !Impl::matches(a, r)) continue;
      if (a.avail & (1u << r.channel)) ++avail;
      if (a.presence == Presence::ready) ++st;
    }
    const auto id = static_cast<std::size_t>(&r - m.reqs.data());
    if (avail != m.avail_n[id] || st != m.staffed_n[id]) bad("requirement counters");
  }
  for (const QueueRt& q : m.queues) {
    std::int64_t st = 0;
    for (const Agent& a : m.agents) {
      if (a.used && a.presence == Presence::ready && Impl::matches(a, q.staff)) ++st;
    }
    if (st != q.staffed) bad("queue staffed counter");
  }
}

std::vector<Decision> replay(std::shared_ptr<const Policy> policy, const std::vector<Event>& events,
                             RouterOptions options) {
  Router r(std::move(policy), options);
  std::vector<Decision> out;
  for (const Event& e : events) {
    auto d = r.apply(e);
    out.insert(out.end(), d.begin(), d.end());
  }
  return out;
}

}  // namespace hotline::routing
