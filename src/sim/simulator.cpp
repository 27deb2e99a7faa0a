// The discrete-event simulator: one replication drives the real components on an event calendar.
#include <hotline/sim/simulator.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include <hotline/core/error.hpp>
#include <hotline/escalation/engine.hpp>
#include <hotline/routing/router.hpp>
#include <hotline/sla/erlang.hpp>
#include <hotline/survey/loop.hpp>

#include "core/event_calendar.hpp"
#include "sim/internal.hpp"

namespace hotline::sim {

namespace detail {

namespace {

using routing::Decision;
using routing::DecisionKind;

enum class Ev : std::uint8_t {
  arrival = 0,
  ivr_input,     // the caller's next IVR input (call)
  ivr_hangup,    // the caller gives up in the IVR (call)
  enqueue,       // the IVR leg ended with a transfer (call)
  patience,      // the caller gives up in the queue (call)
  answer,        // the agent picks up an offer (call, agent)
  end,           // the conversation ends (call)
  wrap_end,      // the agent's after-call work ends (agent)
  survey_input,  // the caller's next survey answer (call)
  shift,         // login / break / logout (agent, action)
  callback,      // an IVR-booked callback becomes a contact (call)
  complaint,     // the next scripted step of a complaint (order, step)
  explain,       // the agent explains a dissatisfied answer (order)
  review,        // the supervisor reviews, calls back, decides (order)
};

struct Event {
  Instant at;
  std::uint64_t seq;
  std::uint64_t ref;
  std::uint32_t aux;
  Ev kind;
};
struct Earlier {
  bool operator()(const Event& a, const Event& b) const noexcept {
    return a.at != b.at ? a.at < b.at : a.seq < b.seq;
  }
};

enum class Phase : std::uint8_t { free = 0, ivr, queued, talking, survey };

constexpr std::uint64_t kSlotBits = 24;
constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;

struct Call {
  std::uint64_t id = 0;  // routing contact id; 0: free slot
  std::uint64_t serial = 0;
  Rng rng{0};
  Phase phase = Phase::free;
  std::uint16_t segment = 0;
  std::uint16_t tier = 0;  // index into Sim::tiers_
  std::int16_t language = -1;
  std::uint32_t queue = 0;
  bool callback_contact = false;  // an outbound callback (no caller waiting on the line)
  bool left_queue = false;        // counted (abandoned, answered, callback accepted, ...)
  bool complaint_queue = false;
  Instant arrived{}, queued{}, answered{}, ended_at{};
  Instant ivr_deadline{};
  Duration talk{};
  Duration predicted{-1};
  routing::AgentId agent = 0;
  std::uint32_t leg = 0;  // 1 + index of its IVR or survey leg in Sim::legs_; 0: none
  bool dissatisfied = false;
  bool responds = true;
};

// An IVR or survey leg, kept beside the call records so that a call in the queue or talking
// (most of them) stays a few cache lines: a session is several hundred bytes.
struct Leg {
  std::optional<ivr::Session> session;
  ivr::CallerModel::Step pending;  // the caller's next input
};

struct Agent {
  routing::AgentProfile profile;
  std::size_t shift = 0;
  bool logged_in = false, on_break = false, leaving = false, counted = false;
  int busy = 0;  // contacts between accept and the end of wrap-up
  std::uint64_t ringing = 0;
};

class Sim {
 public:
  Sim(const Scenario& sc, Rng root, Replication& out, const Progress* progress, int rep, int reps,
      bool same_instant_fifo)
      : sc_(sc),
        out_(out),
        progress_(progress),
        rep_(rep),
        reps_(reps),
        router_(sc.routing, routing::RouterOptions{}),
        arrivals_rng_(root.stream("arrivals")),
        calls_root_(root.stream("calls")),
        intervals_(static_cast<std::size_t>(sc.length / sc.interval)),
        calendar_(same_instant_fifo) {
    tiers_ = tier_names(sc);
    out_.init(intervals_, tiers_.size());
    for (const Segment& s : sc_.segments) {
      segment_tier_.push_back(static_cast<std::uint16_t>(
          std::find(tiers_.begin(), tiers_.end(), s.tier) - tiers_.begin()));
    }
    const sla::Targets targets = effective_targets(sc);
    for (const std::string& t : tiers_) thresholds_.push_back(targets.target_for(t).threshold);
    short_abandon_ = targets.short_abandon;
    double total = 0;
    for (double w : sc_.profile) total += w;
    for (std::size_t i = 0; i < intervals_; ++i) {
      const double w =
          sc_.profile.empty() ? 1.0 / static_cast<double>(intervals_) : sc_.profile[i] / total;
      rates_.push_back(sc_.calls * w / secs(sc_.interval));  // calls per second
    }
    if (sc_.complaints) {
      engine_store_.emplace(sc_.complaints->policy, nullptr);
      if (sc_.survey) {
        survey::Roster roster;
        const auto days = sc_.length / std::chrono::days{1} + 30;
        for (std::int64_t d = -1; d <= days; ++d) {
          for (const auto& [from, to, who] : sc_.survey->supervisors) {
            roster.add(sc_.start + std::chrono::days{d} + from,
                       sc_.start + std::chrono::days{d} + to, who);
          }
        }
        roster_ = roster;
        sampler_.emplace(*sc_.survey->definition, sc_.zone);
        loop_store_.emplace(*engine_store_, std::move(roster), sc_.zone,
                            sc_.survey->definition->follow_up()
                                ? sc_.survey->definition->follow_up()->category
                                : std::string("dissatisfaction_followup"));
        satisfaction_q_ = satisfaction_question(*sc_.survey->definition);
      }
    }
  }

  std::int64_t max_events = std::numeric_limits<std::int64_t>::max();

  void run() {
    build_agents();
    if (auto first = next_arrival(sc_.start)) schedule(*first, Ev::arrival, 0, 0);
    const Instant day_end = sc_.start + sc_.length;
    std::int64_t n = 0;
    // Clocks still running this long after the day are left alone (complaints open for
    // months, callers who would wait forever with nobody left to answer).
    const Instant limit = day_end + std::chrono::days{60};
    for (;;) {
      const Instant next_ev = calendar_.empty() ? Instant::max() : calendar_.top().at;
      if (router_touched_) {  // the router's timers change only when it is called
        router_due_ = router_.next_due().value_or(Instant::max());
        router_touched_ = false;
      }
      const Instant rdue = router_due_;
      if (engine_touched_) {  // its timers change only when it is reached through engine()
        engine_touched_ = false;
        engine_due_ =
            engine_store_ ? engine_store_->next_due().value_or(Instant::max()) : Instant::max();
      }
      const Instant edue = engine_due_;
      if (std::min({next_ev, rdue, edue}) > limit) break;
      // Router and engine timers fire before events at the same instant.
      if (rdue <= next_ev && rdue <= edue) {
        calendar_.set_now(rdue);
        observe(rdue);
        route(router_.advance(rdue));
        continue;
      }
      if (edue <= next_ev) {
        calendar_.set_now(edue);
        observe(edue);
        notices(loop_store_ ? loop()->advance(edue) : engine()->advance(edue));
        continue;
      }
      const Event e = calendar_.pop();
      calendar_.set_now(e.at);
      observe(e.at);
      dispatch(e);
      if (++n > max_events) {
        throw Error(ErrorCode::limit, "max_events",
                    fmt::format("the replication needed more than {} events", max_events));
      }
      if ((n & 0xffff) == 0 && progress_ != nullptr && *progress_) {
        (*progress_)(rep_, reps_, std::clamp(secs(e.at - sc_.start) / secs(sc_.length), 0.0, 1.0));
      }
    }
    out_.events = n;
    out_.peak_slots = static_cast<std::int64_t>(calls_.size());
    finish();
  }

 private:
  // ---- bookkeeping ---------------------------------------------------------------------------

  void schedule(Instant at, Ev kind, std::uint64_t ref, std::uint32_t aux) {
    calendar_.push(Event{at, seq_++, ref, aux, kind});
  }

  std::size_t interval_of(Instant t) const noexcept {
    if (t < sc_.start) return 0;
    const auto k = static_cast<std::size_t>((t - sc_.start) / sc_.interval);
    return std::min(k, intervals_);  // intervals_: after the day
  }

  /// Integrates the time-weighted levels (staffed, busy, waiting) up to t.
  void observe(Instant t) {
    if (t <= last_) return;
    const double waiting = waiting_;
    while (last_ < t) {
      if (last_ >= obs_boundary_ || last_ < obs_from_) {  // another interval: one division
        obs_k_ = interval_of(last_);
        obs_from_ = last_;
        obs_boundary_ = obs_k_ >= intervals_
                            ? Instant::max()
                            : sc_.start + sc_.interval * static_cast<std::int64_t>(obs_k_ + 1);
      }
      const std::size_t k = obs_k_;
      const Instant boundary = obs_boundary_;
      const Instant seg = std::min(t, boundary);
      const double dt = secs(seg - last_);
      IntervalAcc& a = out_.intervals[k];
      a.staffed_s += staffed_ * dt;
      a.busy_s += busy_ * dt;
      a.queue_s += waiting * dt;
      a.queue_max = std::max(a.queue_max, waiting);
      last_ = seg;
    }
  }

  bool counted(Instant queued) const noexcept { return queued >= sc_.start + sc_.warmup; }

  TierAcc& cell(const Call& c) {
    return out_.cells[interval_of(c.queued) * tiers_.size() + c.tier];
  }

  Call* find(std::uint64_t id) {
    Call& c = calls_[static_cast<std::size_t>(id & kSlotMask)];
    return c.id == id ? &c : nullptr;
  }

  /// A free index of `pool` (reused from `free`, or a new element at the end).
  template <class T>
  static std::size_t take_slot(std::deque<T>& pool, std::vector<std::size_t>& free) {
    if (free.empty()) {
      pool.emplace_back();
      return pool.size() - 1;
    }
    const std::size_t ix = free.back();
    free.pop_back();
    return ix;
  }

  Call& new_call(std::uint64_t serial) {
    if (free_.empty() && calls_.size() > kSlotMask) {
      throw Error(ErrorCode::limit, "calls", "more than 16 million calls in flight");
    }
    const std::size_t slot = take_slot(calls_, free_);
    Call& c = calls_[slot];
    c = Call{};
    c.id = ((++generation_) << kSlotBits) | slot;
    c.serial = serial;
    c.rng = calls_root_.stream(serial);
    return c;
  }

  /// Opens the call's IVR or survey leg (closing any previous one) and starts its session.
  ivr::Session& open_leg(Call& c, const std::shared_ptr<const ivr::Tree>& tree, ivr::CallInfo info,
                         Instant now) {
    close_leg(c);
    const std::size_t ix = take_slot(legs_, free_legs_);
    c.leg = static_cast<std::uint32_t>(ix + 1);
    Leg& l = legs_[ix];
    l.pending = ivr::CallerModel::Step{};
    return l.session.emplace(tree, std::move(info), now);
  }
  void close_leg(Call& c) {
    if (c.leg == 0) return;
    const std::size_t ix = c.leg - 1;
    legs_[ix].session.reset();
    free_legs_.push_back(ix);
    c.leg = 0;
  }
  Leg& leg(const Call& c) { return legs_[c.leg - 1]; }
  ivr::Session& session(const Call& c) { return *leg(c).session; }

  void release(Call& c) {
    const auto slot = static_cast<std::size_t>(c.id & kSlotMask);
    close_leg(c);
    c.id = 0;
    c.phase = Phase::free;
    free_.push_back(slot);
  }

  // ---- agents --------------------------------------------------------------------------------

  void build_agents() {
    routing::AgentId id = 0;
    for (const AgentGroup& g : sc_.agents) {
      for (int i = 0; i < g.count; ++i) {
        Agent a;
        a.profile.id = ++id;
        a.profile.name = fmt::format("{}-{}", g.name, i + 1);
        a.profile.skills = g.skills;
        a.profile.languages = g.languages;
        a.profile.grade = g.grade;
        a.profile.pool = g.pool;
        a.profile.order = static_cast<std::int64_t>(id);
        a.shift = static_cast<std::size_t>(i) % g.shifts.size();
        a.counted = g.pool != routing::Pool::outbound;
        const Shift& sh = g.shifts[a.shift];
        const std::uint64_t ix = agents_.size();
        schedule(sc_.start + sh.start, Ev::shift, ix, 0);
        for (std::size_t b = 0; b < sh.breaks.size(); ++b) {
          schedule(sc_.start + sh.breaks[b].at, Ev::shift, ix, 1);
          schedule(sc_.start + sh.breaks[b].at + sh.breaks[b].length, Ev::shift, ix, 2);
        }
        schedule(sc_.start + sh.end, Ev::shift, ix, 3);
        agents_.push_back(std::move(a));
        group_of_.push_back(static_cast<std::uint32_t>(&g - sc_.agents.data()));
      }
    }
  }

  Agent& agent(routing::AgentId id) { return agents_[static_cast<std::size_t>(id - 1)]; }

  void on_shift(const Event& e, Instant now) {
    Agent& a = agents_[static_cast<std::size_t>(e.ref)];
    switch (e.aux) {
      case 0:  // login
        a.logged_in = true;
        a.leaving = false;
        if (a.counted) staffed_ += 1;
        route(router_.login(a.profile, now, true));
        break;
      case 1:  // break
        if (!a.logged_in || a.on_break) break;
        a.on_break = true;
        if (a.counted) staffed_ -= 1;
        route(router_.not_ready(a.profile.id, "break", now));
        break;
      case 2:  // back from the break
        if (!a.logged_in || !a.on_break) break;
        a.on_break = false;
        if (a.counted) staffed_ += 1;
        route(router_.ready(a.profile.id, now));
        break;
      case 3:  // end of shift: finish the current contact first
        if (!a.logged_in) break;
        if (!a.on_break && a.counted) staffed_ -= 1;
        a.on_break = true;
        a.leaving = true;
        route(router_.not_ready(a.profile.id, "end of shift", now));
        if (a.busy == 0) logout(a, now);
        break;
      case 4:  // ready again after a ring-no-answer
        if (a.logged_in && !a.on_break) route(router_.ready(a.profile.id, now));
        break;
      default:
        break;
    }
  }

  void logout(Agent& a, Instant now) {
    a.logged_in = false;
    a.leaving = false;
    a.on_break = false;
    route(router_.logout(a.profile.id, now));
  }

  // ---- routing decisions ---------------------------------------------------------------------

  /// The complaint engine and the survey loop (which drives it), for any use: each access marks
  /// the engine's next due time for a fresh look.
  escalation::Engine* engine() {
    engine_touched_ = true;
    return &*engine_store_;
  }
  survey::Loop* loop() {
    engine_touched_ = true;
    return &*loop_store_;
  }

  /// Every router call goes through here (route(router_.xxx(...))), which marks its next due
  /// time for a fresh look.
  void route(std::span<const Decision> ds) {
    router_touched_ = true;
    if (ds.empty()) return;
    if (depth_ == buffers_.size()) buffers_.emplace_back();
    std::vector<Decision>& buf = buffers_[depth_++];
    buf.assign(ds.begin(), ds.end());
    for (const Decision& d : buf) decide(d);
    --depth_;
  }

  void decide(const Decision& d) {
    switch (d.kind) {
      case DecisionKind::offer: {
        Call* c = find(d.contact);
        if (c == nullptr) return;
        Agent& a = agent(d.agent);
        a.ringing = d.contact;
        schedule(d.at + sc_.answer_delay.sample(c->rng), Ev::answer, d.contact,
                 static_cast<std::uint32_t>(d.agent - 1));
        return;
      }
      case DecisionKind::withdraw: {
        Agent& a = agent(d.agent);
        if (a.ringing == d.contact) a.ringing = 0;
        return;
      }
      case DecisionKind::announce:
        if (d.rule == routing::Rule::arrival) {
          if (Call* c = find(d.contact)) c->predicted = d.predicted_wait;
        }
        return;
      case DecisionKind::callback_offer: {
        Call* c = find(d.contact);
        if (c == nullptr) return;
        out_.callbacks_offered += 1;
        if (c->rng.bernoulli(sc_.callbacks.accept)) {
          out_.callbacks_accepted += 1;
          leave_queue(*c, d.at, Exit::callback);
          c->callback_contact = true;
          route(router_.callback_accepted(d.contact, d.at));
        } else {
          route(router_.callback_declined(d.contact, d.at));
        }
        return;
      }
      case DecisionKind::overflow:
        if (Call* c = find(d.contact)) c->queue = d.queue;
        return;
      case DecisionKind::rejected:
      case DecisionKind::timed_out:
        if (Call* c = find(d.contact)) {
          leave_queue(*c, d.at, Exit::other);
          release(*c);
        }
        return;
      case DecisionKind::agent_not_ready:
        schedule(d.at + std::chrono::seconds{30}, Ev::shift, d.agent - 1, 4);
        return;
    }
  }

  enum class Exit : std::uint8_t { answered, abandoned, callback, other };

  /// SLA accounting when a caller leaves the queue (counted by the queue-entry interval).
  void leave_queue(Call& c, Instant now, Exit how) {
    if (c.left_queue) return;
    c.left_queue = true;
    if (!c.callback_contact) waiting_ -= 1;
    if (c.callback_contact || !counted(c.queued)) return;
    TierAcc& t = cell(c);
    const Duration wait = now - c.queued;
    const bool within = wait <= thresholds_[c.tier];
    t.counts.offered += 1;
    switch (how) {
      case Exit::answered:
        t.counts.answered += 1;
        t.counts.answered_within += within ? 1 : 0;
        t.answered_wait_s += secs(wait);
        if (c.predicted >= Duration{0}) {
          const double err = secs(c.predicted) - secs(wait);
          out_.pred_n += 1;
          out_.pred_abs += std::abs(err);
          out_.pred_bias += err;
          out_.pred_within30 += std::abs(err) <= 30.0 ? 1 : 0;
        }
        break;
      case Exit::abandoned:
        t.counts.abandoned += 1;
        t.counts.abandoned_within += within ? 1 : 0;
        t.counts.short_abandoned += wait < short_abandon_ ? 1 : 0;
        break;
      case Exit::callback:
      case Exit::other:
        t.other += 1;
        break;
    }
  }

  // ---- calls ---------------------------------------------------------------------------------

  /// The next arrival after t: piecewise-constant rates per interval; a draw that passes the
  /// interval's end is discarded and redrawn from the boundary (exact for Poisson arrivals).
  std::optional<Instant> next_arrival(Instant t) {
    for (;;) {
      const std::size_t k = interval_of(t);
      if (k >= intervals_) return std::nullopt;
      const Instant boundary = sc_.start + sc_.interval * static_cast<std::int64_t>(k + 1);
      const double rate = rates_[k];
      if (rate > 0) {
        const double gap_ms = std::ceil(arrivals_rng_.exponential(1.0 / rate) * 1000.0);
        // Compared as doubles first: a rate of 1e-300 calls/s draws gaps beyond any Duration.
        if (gap_ms < static_cast<double>((boundary - t).count())) {
          return t + Duration{static_cast<std::int64_t>(gap_ms)};
        }
      }
      t = boundary;
    }
  }

  void on_arrival(Instant now) {
    if (auto next = next_arrival(now)) schedule(*next, Ev::arrival, 0, 0);
    start_call(now);
  }

  template <class T>
  static std::size_t pick(Rng& rng, const std::vector<T>& items, double (*share)(const T&)) {
    double u = rng.uniform();
    for (std::size_t i = 0; i < items.size(); ++i) {
      u -= share(items[i]);
      if (u < 0) return i;
    }
    return items.size() - 1;
  }

  void start_call(Instant now) {
    Call& c = new_call(++arrivals_);
    out_.calls += 1;
    c.arrived = now;
    c.segment = static_cast<std::uint16_t>(
        pick<Segment>(c.rng, sc_.segments, [](const Segment& s) { return s.share; }));
    c.tier = segment_tier_[c.segment];
    if (!sc_.languages.empty()) {
      c.language = static_cast<std::int16_t>(pick<std::pair<std::string, double>>(
          c.rng, sc_.languages, [](const std::pair<std::string, double>& p) { return p.second; }));
    }
    if (sc_.ivr) {
      const Segment& seg = sc_.segments[c.segment];
      c.phase = Phase::ivr;
      c.ivr_deadline = now + Duration{static_cast<std::int64_t>(c.rng.exponential(
                                 static_cast<double>(sc_.ivr->callers.mean_patience.count())))};
      open_leg(c, sc_.ivr->tree, ivr::CallInfo{seg.tier, language(c), seg.attributes}, now);
      out_.ivr_calls += 1;
      drive_ivr(c, now);
      return;
    }
    const std::size_t q = pick<std::pair<std::string, double>>(
        c.rng, sc_.queues, [](const std::pair<std::string, double>& p) { return p.second; });
    enqueue(c, sc_.routing->queue_index(sc_.queues[q].first), now);
  }

  std::string language(const Call& c) const {
    return c.language < 0 ? std::string()
                          : sc_.languages[static_cast<std::size_t>(c.language)].first;
  }

  void drive_ivr(Call& c, Instant now) {
    ivr::Session& s = session(c);
    const ivr::CallerModel::Step step = sc_.ivr->callers.next(s, c.rng, language(c));
    if (s.finished()) {
      ivr_finished(c, now + step.after);
      return;
    }
    if (step.kind == ivr::CallerModel::Step::Kind::none) {  // waiting for nothing: hang up
      s.on_hangup(now);
      ivr_finished(c, now);
      return;
    }
    if (now + step.after > c.ivr_deadline) {
      schedule(std::max(c.ivr_deadline, now), Ev::ivr_hangup, c.id, 0);
      return;
    }
    leg(c).pending = step;
    schedule(now + step.after, Ev::ivr_input, c.id, 0);
  }

  void on_ivr_input(Call& c, Instant now) {
    ivr::Session& s = session(c);
    const ivr::CallerModel::Step step = std::move(leg(c).pending);
    switch (step.kind) {
      case ivr::CallerModel::Step::Kind::digits:
        s.on_digits(step.input, now);
        break;
      case ivr::CallerModel::Step::Kind::timeout:
        s.on_timeout(now);
        break;
      case ivr::CallerModel::Step::Kind::result: {
        const ivr::Node& node = s.tree().nodes()[static_cast<std::size_t>(s.node())];
        if (step.input == "ok" && node.action == sc_.ivr->callback_action &&
            !sc_.callbacks.queue.empty()) {
          book_callback(c, now);
        }
        s.on_result(step.input, now);
        break;
      }
      case ivr::CallerModel::Step::Kind::none:
        break;
    }
    drive_ivr(c, now);
  }

  void ivr_finished(Call& c, Instant at) {
    const ivr::Trajectory& t = session(c).trajectory();
    switch (t.outcome) {
      case ivr::Outcome::self_service:
        out_.ivr_self_service += 1;
        break;
      case ivr::Outcome::abandoned:
        out_.ivr_abandoned += 1;
        if (!t.visits.empty() && t.visits.back().node >= 0) {
          out_.drop_off
              [session(c).tree().nodes()[static_cast<std::size_t>(t.visits.back().node)].id] += 1;
        }
        break;
      case ivr::Outcome::transferred:
      case ivr::Outcome::step_limit: {
        (t.outcome == ivr::Outcome::transferred ? out_.ivr_transferred : out_.ivr_step_limit) += 1;
        out_.transfers[t.queue] += 1;
        out_.seconds_to_agent += secs(at - c.arrived);
        auto it = sc_.ivr->queues.find(t.queue);
        c.queue = static_cast<std::uint32_t>(
            sc_.routing->queue_index(it == sc_.ivr->queues.end() ? t.queue : it->second));
        close_leg(c);
        schedule(at, Ev::enqueue, c.id, 0);
        return;
      }
      default:
        break;
    }
    release(c);
  }

  void book_callback(const Call& from, Instant now) {
    out_.callbacks_booked += 1;
    Call& c = new_call((std::uint64_t{1} << 40) | from.serial);
    c.segment = from.segment;
    c.tier = from.tier;
    c.language = from.language;
    c.callback_contact = true;
    c.arrived = now;
    c.queue = static_cast<std::uint32_t>(sc_.routing->queue_index(sc_.callbacks.queue));
    schedule(now + sc_.callbacks.delay.sample(c.rng), Ev::callback, c.id, 0);
  }

  void enqueue(Call& c, std::size_t queue, Instant now) {
    c.queue = static_cast<std::uint32_t>(queue);
    c.queued = now;
    c.phase = Phase::queued;
    c.complaint_queue = false;
    routing::ContactSpec spec;
    spec.id = c.id;
    spec.queue = sc_.routing->queue(queue).name;
    spec.tier = tiers_[c.tier];
    spec.language = language(c);
    spec.callback = c.callback_contact;
    if (!c.callback_contact) {
      const Duration patience = sc_.segments[c.segment].patience.sample(c.rng);
      if (patience != Duration::max()) schedule(now + patience, Ev::patience, c.id, 0);
      waiting_ += 1;
      if (counted(now)) out_.intervals[interval_of(now)].offered += 1;
    }
    route(router_.arrive(spec, now));
  }

  void on_patience(Call& c, Instant now) {
    if (c.phase != Phase::queued || c.callback_contact || c.left_queue) return;
    leave_queue(c, now, Exit::abandoned);
    route(router_.abandon(c.id, now));
    release(c);
  }

  void on_answer(Call& c, std::uint32_t agent_ix, Instant now) {
    Agent& a = agents_[agent_ix];
    if (c.phase != Phase::queued || a.ringing != c.id) return;
    a.ringing = 0;
    c.phase = Phase::talking;
    c.answered = now;
    c.agent = a.profile.id;
    route(router_.accept(c.id, a.profile.id, now));
    a.busy += 1;
    if (a.counted) busy_ += 1;
    Duration talk;
    if (c.callback_contact) {
      out_.callbacks_dialled += 1;
      if (c.rng.bernoulli(sc_.callbacks.answer)) {
        out_.callbacks_completed += 1;
        talk = handle_time(c);
      } else {
        talk = sc_.callbacks.ring;
      }
    } else {
      leave_queue(c, now, Exit::answered);
      talk = handle_time(c);
    }
    c.talk = talk;
    schedule(now + talk, Ev::end, c.id, 0);
  }

  Duration handle_time(Call& c) {
    const std::string& q = sc_.routing->queue(c.queue).name;
    auto it = sc_.handle.find(q);
    return (it == sc_.handle.end() ? sc_.default_handle : it->second).sample(c.rng);
  }

  void on_end(Call& c, Instant now) {
    route(router_.end(c.id, now));
    const routing::Queue& q = sc_.routing->queue(c.queue);
    const Duration wrap = q.wrap_up;
    schedule(now + wrap, Ev::wrap_end, c.agent - 1, 0);
    if (counted(c.queued)) {
      TierAcc& t = cell(c);
      t.handle_s += secs(c.talk + wrap);
      t.handled += 1;
    }
    const bool real = !c.callback_contact || c.talk != sc_.callbacks.ring;
    if (sc_.complaints && real) {
      auto it = sc_.complaints->from_queues.find(q.name);
      if (it != sc_.complaints->from_queues.end() && c.rng.bernoulli(it->second)) {
        raise_complaint(c, now);
      }
    }
    if (sc_.survey && real) {
      survey::Contact sc{fmt::format("c{}", c.serial),
                         customer(c),
                         agent(c.agent).profile.name,
                         now,
                         c.talk,
                         false,
                         c.callback_contact};
      if (sampler_->decide(sc) == survey::Decision::sampled) {
        start_survey(c, now);
        return;
      }
    }
    release(c);
  }

  void on_wrap_end(std::uint64_t agent_ix, Instant now) {
    Agent& a = agents_[static_cast<std::size_t>(agent_ix)];
    a.busy -= 1;
    if (a.counted) busy_ -= 1;
    if (a.leaving && a.busy == 0 && a.logged_in) logout(a, now);
  }

  static std::string customer(const Call& c) {
    return fmt::format("1380{:07}", c.serial % 10'000'000);
  }

  // ---- survey --------------------------------------------------------------------------------

  void start_survey(Call& c, Instant now) {
    const SurveyModel& m = *sc_.survey;
    c.phase = Phase::survey;
    out_.survey_offered += 1;
    const double wait_min = secs(c.answered - c.queued) / 60.0;
    c.dissatisfied = c.rng.bernoulli(
        std::min(m.dissatisfied_max, m.dissatisfied + m.dissatisfied_per_minute * wait_min));
    c.responds = c.rng.bernoulli(m.respond);
    open_leg(c, m.tree, ivr::CallInfo{tiers_[c.tier], language(c), {}}, now);
    c.ended_at = now;
    drive_survey(c, now);
  }

  void drive_survey(Call& c, Instant now) {
    ivr::Session& s = session(c);
    const Duration heard = ivr::CallerModel::prompt_time(s);
    const auto actions = s.actions();
    if (s.finished() || actions.empty()) {
      if (heard == Duration{0}) {
        survey_finished(c, now);
      } else {  // the closing prompts play first
        leg(c).pending = ivr::CallerModel::Step{};
        schedule(now + heard, Ev::survey_input, c.id, 0);
      }
      return;
    }
    const ivr::Action& last = actions.back();
    ivr::CallerModel::Step step;
    step.after = heard + std::chrono::seconds{2};
    if (last.kind == ivr::ActionKind::collect) {
      if (!c.responds) {  // hangs up at the first question
        s.on_hangup(now);
        survey_finished(c, now);
        return;
      }
      step.kind = ivr::CallerModel::Step::Kind::digits;
      const ivr::Node& node = s.tree().nodes()[static_cast<std::size_t>(s.node())];
      step.input = answer(c, node);
    } else {
      step.kind = ivr::CallerModel::Step::Kind::result;
      step.input = last.kind == ivr::ActionKind::survey ? "done" : "ok";
    }
    const Duration after = step.after;
    leg(c).pending = std::move(step);
    schedule(now + after, Ev::survey_input, c.id, 0);
  }

  /// The caller's answer to a survey question, consistent with being (dis)satisfied.
  std::string answer(Call& c, const ivr::Node& node) {
    const survey::Definition& def = *sc_.survey->definition;
    const int q = def.question_index(node.into);
    std::string digits;
    if (q < 0) {
      digits = "1";  // a confirmation or an unknown collect
    } else {
      const bool bad = c.dissatisfied;
      switch (def.questions()[static_cast<std::size_t>(q)].scale) {
        case survey::Scale::satisfaction:
          digits = bad ? "2" : "1";
          break;
        case survey::Scale::yes_no:
          digits = c.rng.bernoulli(bad ? 0.3 : 0.9) ? "1" : "2";
          break;
        case survey::Scale::five_point:
          digits = std::to_string(bad ? 1 + c.rng.below(3) : 4 + c.rng.below(2));
          break;
        case survey::Scale::nps:
          digits = std::to_string(bad ? c.rng.below(7) : 7 + c.rng.below(4));
          break;
        case survey::Scale::ces:
          digits = std::to_string(bad ? 4 + c.rng.below(4) : 1 + c.rng.below(3));
          break;
      }
    }
    if (node.terminator != 0 && static_cast<int>(digits.size()) < node.max_digits) {
      digits += node.terminator;
    }
    return digits;
  }

  void on_survey_input(Call& c, Instant now) {
    ivr::Session& s = session(c);
    const ivr::CallerModel::Step step = std::move(leg(c).pending);
    if (step.kind == ivr::CallerModel::Step::Kind::none) {
      survey_finished(c, now);
      return;
    }
    if (step.kind == ivr::CallerModel::Step::Kind::digits) {
      s.on_digits(step.input, now);
    } else {
      s.on_result(step.input, now);
    }
    drive_survey(c, now);
  }

  void survey_finished(Call& c, Instant now) {
    const survey::Definition& def = *sc_.survey->definition;
    survey::Response r = survey::response_from(def, session(c));
    r.agent = static_cast<std::uint32_t>(c.agent);
    r.queue = c.queue;
    r.at = now;
    IntervalAcc& acc = out_.intervals[interval_of(c.ended_at)];
    if (r.responded) {
      out_.survey_responded += 1;
      for (std::size_t q = 0; q < def.questions().size(); ++q) {
        const std::int8_t v = r.answers[q];
        if (v == survey::kNoResponse) continue;
        switch (def.questions()[q].scale) {
          case survey::Scale::satisfaction:
            if (static_cast<int>(q) == satisfaction_q_) {
              out_.sat_n += 1;
              out_.sat_yes += v == 1 ? 1 : 0;
              acc.sat_n += 1;
              acc.sat_yes += v == 1 ? 1 : 0;
            }
            break;
          case survey::Scale::five_point:
            out_.csat_n += 1;
            out_.csat_top += v >= 4 ? 1 : 0;
            break;
          case survey::Scale::nps:
            out_.nps_n += 1;
            out_.nps_score += v >= 9 ? 1 : (v <= 6 ? -1 : 0);
            break;
          default:
            break;
        }
      }
    }
    survey::Contact contact{fmt::format("c{}", c.serial),
                            customer(c),
                            agent(c.agent).profile.name,
                            c.ended_at,
                            c.talk,
                            false,
                            c.callback_contact};
    if (auto alert = loop()->on_response(def, r, contact, now, fmt::format("rec-{}", c.serial))) {
      out_.alerts += 1;
      const Instant explain_at = now + sc_.survey->explain.sample(c.rng);
      schedule(explain_at, Ev::explain, alert->order, static_cast<std::uint32_t>(c.agent - 1));
      schedule(explain_at + sc_.survey->review.sample(c.rng), Ev::review, alert->order,
               c.rng.bernoulli(sc_.survey->at_fault) ? 1 : 0);
      followups_.push_back(alert->order);
    }
    release(c);
  }

  void on_explain(const Event& e, Instant now) {
    const escalation::Order& o = engine()->order(e.ref);
    if (engine()->state_name(o) != "explanation_due") return;  // already submitted (overdue)
    loop()->explain(e.ref, agents_[e.aux].profile.name, "explained to the supervisor", now);
    out_.explained_in_time += 1;
  }

  void on_review(const Event& e, Instant now) {
    const escalation::Order& o = engine()->order(e.ref);
    if (engine()->state_name(o) != "submitted") return;
    const std::string sup = roster_.on_duty(now).value_or("supervisor");
    loop()->review(e.ref, sup, fmt::format("rec-order-{}", e.ref), now);
    loop()->call_back(e.ref, sup, "customer called back", now);
    loop()->verdict(e.ref, sup,
                    e.aux == 1 ? survey::Verdict::agent_at_fault : survey::Verdict::not_at_fault,
                    e.aux == 1 ? "service attitude" : "explained correctly", now);
  }

  // ---- complaints ----------------------------------------------------------------------------

  void raise_complaint(Call& c, Instant now) {
    const ComplaintModel& m = *sc_.complaints;
    escalation::NewOrder o;
    o.customer = customer(c);
    o.category = m.category;
    o.severity =
        c.rng.bernoulli(m.urgent) ? escalation::Severity::urgent : escalation::Severity::normal;
    o.owner = agent(c.agent).profile.name;
    o.fields["summary"] = fmt::format("raised on call {}", c.serial);
    const escalation::Result r = engine()->create(o, now);
    out_.complaints_created += 1;
    notices(r.notices);
    Complaint cp;
    cp.owner = o.owner;
    cp.rng = c.rng.stream(std::uint64_t{0xc0});
    complaints_.emplace(r.order, std::move(cp));
    schedule_step(r.order, 0, now);
  }

  void schedule_step(escalation::OrderId order, std::size_t step, Instant now) {
    const ComplaintModel& m = *sc_.complaints;
    if (step >= m.steps.size()) {
      complaints_.erase(order);
      return;
    }
    Complaint& cp = complaints_.at(order);
    const ComplaintStep& st = m.steps[step];
    if (st.assign) {
      cp.department = pick<DepartmentModel>(cp.rng, m.departments,
                                            [](const DepartmentModel& d) { return d.share; });
    }
    Instant at = now;
    if (st.department_time) {
      const DepartmentModel& dm = m.departments[cp.department];
      const auto& dep =
          m.policy.departments()[static_cast<std::size_t>(m.policy.department_index(dm.id))];
      at = m.policy.calendar(dep.calendar).add_business(now, dm.reply.sample(cp.rng));
    } else {
      at = now + st.after.sample(cp.rng);
    }
    schedule(at, Ev::complaint, order, static_cast<std::uint32_t>(step));
  }

  void on_complaint(const Event& e, Instant now) {
    const ComplaintModel& m = *sc_.complaints;
    auto it = complaints_.find(e.ref);
    if (it == complaints_.end()) return;
    Complaint& cp = it->second;
    const ComplaintStep& st = m.steps[e.aux];
    const std::string sup = roster_.on_duty(now).value_or("supervisor");
    if (st.assign) {
      const std::string& dep = m.departments[cp.department].id;
      cp.handler = fmt::format("{}-handler", dep);
      notices(engine()->assign(e.ref, dep, cp.handler, {sup, "supervisor"}, now).notices);
    }
    escalation::Actor actor;
    switch (st.by) {
      case ComplaintStep::By::owner:
        actor = {cp.owner, "agent"};
        break;
      case ComplaintStep::By::supervisor:
        actor = {sup, "supervisor"};
        break;
      case ComplaintStep::By::handler:
        actor = {cp.handler, "department"};
        break;
    }
    auto fields = st.fields;
    if (st.satisfied) fields["satisfied"] = cp.rng.bernoulli(m.satisfied) ? "yes" : "no";
    notices(engine()->transition(e.ref, st.transition, actor, fields, now).notices);
    schedule_step(e.ref, e.aux + 1, now);
  }

  void notices(const std::vector<escalation::Notice>& ns) {
    for (const escalation::Notice& n : ns) {
      switch (n.kind) {
        case escalation::NoticeKind::warning:
          out_.warnings += 1;
          break;
        case escalation::NoticeKind::breach:
          out_.breaches += 1;
          break;
        case escalation::NoticeKind::escalation:
          out_.escalations += 1;
          break;
        case escalation::NoticeKind::immediate:
          out_.immediate += 1;
          break;
        case escalation::NoticeKind::repeat:
          break;
      }
    }
  }

  // ---- dispatch ------------------------------------------------------------------------------

  void dispatch(const Event& e) {
    const Instant now = e.at;
    switch (e.kind) {
      case Ev::arrival:
        on_arrival(now);
        return;
      case Ev::shift:
        on_shift(e, now);
        return;
      case Ev::wrap_end:
        on_wrap_end(e.ref, now);
        return;
      case Ev::complaint:
        on_complaint(e, now);
        return;
      case Ev::explain:
        on_explain(e, now);
        return;
      case Ev::review:
        on_review(e, now);
        return;
      default:
        break;
    }
    Call* c = find(e.ref);
    if (c == nullptr) return;  // a stale event of a call that left
    switch (e.kind) {
      case Ev::ivr_input:
        if (c->phase == Phase::ivr) on_ivr_input(*c, now);
        return;
      case Ev::ivr_hangup:
        if (c->phase == Phase::ivr) {
          session(*c).on_hangup(now);
          ivr_finished(*c, now);
        }
        return;
      case Ev::enqueue:
        enqueue(*c, c->queue, now);
        return;
      case Ev::callback:
        enqueue(*c, c->queue, now);
        return;
      case Ev::patience:
        on_patience(*c, now);
        return;
      case Ev::answer:
        on_answer(*c, e.aux, now);
        return;
      case Ev::end:
        on_end(*c, now);
        return;
      case Ev::survey_input:
        if (c->phase == Phase::survey) on_survey_input(*c, now);
        return;
      default:
        return;
    }
  }

  void finish() {
    if (engine_store_) {
      const escalation::Kpis k = engine()->kpis();
      for (const escalation::TimelinessRow& row : k.timeliness) {
        out_.kpi_due += row.due;
        out_.kpi_met += row.met;
      }
      for (escalation::OrderId id = 1; id <= engine()->order_count(); ++id) {
        const escalation::Order* o = engine()->find(id);
        if (o != nullptr && o->closed && engine()->category_name(*o) == sc_.complaints->category) {
          out_.complaints_closed += 1;
        }
      }
      for (const escalation::ResolutionStats& rs : k.resolution) {
        if (rs.category == sc_.complaints->category) {
          out_.resolution_p50_h = secs(rs.p50) / 3600.0;
          out_.resolution_p90_h = secs(rs.p90) / 3600.0;
        }
      }
    }
    if (loop_store_) {
      for (escalation::OrderId id : followups_) out_.overdue += loop()->overdue(id) ? 1 : 0;
      out_.yellow_cards = static_cast<double>(loop()->yellow_cards().size());
    }
  }

  static int satisfaction_question(const survey::Definition& def) {
    if (def.follow_up()) return def.question_index(def.follow_up()->question);
    for (std::size_t q = 0; q < def.questions().size(); ++q) {
      if (def.questions()[q].scale == survey::Scale::satisfaction) return static_cast<int>(q);
    }
    return -1;
  }

  struct Complaint {
    std::string owner, handler;
    std::size_t department = 0;
    Rng rng{0};
  };

  const Scenario& sc_;
  Replication& out_;
  const Progress* progress_;
  int rep_, reps_;
  routing::Router router_;
  Rng arrivals_rng_, calls_root_;
  std::size_t intervals_;
  std::vector<std::string> tiers_;
  std::vector<std::uint16_t> segment_tier_;
  std::vector<Duration> thresholds_;
  Duration short_abandon_{};
  std::vector<double> rates_;
  // Events in (time, sequence) order; the instant being processed is set before each event and
  // each router or engine timer, so that what they schedule for that instant skips the heap.
  hotline::detail::EventCalendar<Event, Earlier, Instant> calendar_;
  std::uint64_t seq_ = 0, generation_ = 0, arrivals_ = 0;
  std::deque<Call> calls_;  // a deque: new calls never move the ones being handled
  std::vector<std::size_t> free_;
  std::deque<Leg> legs_;  // a deque: opening a leg never moves one being driven
  std::vector<std::size_t> free_legs_;
  std::vector<Agent> agents_;
  std::vector<std::uint32_t> group_of_;
  std::vector<std::vector<Decision>> buffers_;
  std::size_t depth_ = 0;
  bool router_touched_ = true, engine_touched_ = true;
  Instant engine_due_ = Instant::max();
  Instant router_due_ = Instant::max();
  Instant last_{};
  // observe()'s current interval: its index, and the instants [obs_from_, obs_boundary_) for
  // which that index holds (obs_from_ is where it was computed; last_ only grows).
  std::size_t obs_k_ = 0;
  Instant obs_from_ = Instant::max(), obs_boundary_ = Instant::min();
  double staffed_ = 0, busy_ = 0, waiting_ = 0;     // waiting_: callers on the line in a queue
  std::optional<escalation::Engine> engine_store_;  // reached through engine() and loop()
  std::optional<survey::Sampler> sampler_;
  std::optional<survey::Loop> loop_store_;
  survey::Roster roster_;
  int satisfaction_q_ = -1;
  std::unordered_map<escalation::OrderId, Complaint> complaints_;
  std::vector<escalation::OrderId> followups_;
};

}  // namespace

std::vector<std::string> tier_names(const Scenario& sc) {
  std::vector<std::string> out;
  for (const routing::Tier& t : sc.routing->definition().tiers) out.push_back(t.name);
  return out;
}

sla::Targets effective_targets(const Scenario& sc) {
  if (sc.targets) return *sc.targets;
  sla::Targets t;
  t.tiers.clear();
  for (const routing::Tier& tier : sc.routing->definition().tiers) {
    t.tiers.push_back({tier.name, tier.target});
  }
  t.default_tier = sc.routing->definition().default_tier;
  return t;
}

void Replication::init(std::size_t n_intervals, std::size_t n_tiers) {
  intervals.assign(n_intervals + 1, IntervalAcc{});
  cells.assign((n_intervals + 1) * n_tiers, TierAcc{});
}

void simulate_one(const Scenario& sc, Rng root, Replication& out, const RunOptions& options,
                  int rep, int reps, Calendar calendar) {
  Sim sim(sc, root, out, options.progress ? &options.progress : nullptr, rep, reps,
          calendar == Calendar::same_instant_fifo);
  sim.max_events = options.max_events.value_or(std::numeric_limits<std::int64_t>::max());
  sim.run();
}

}  // namespace detail

}  // namespace hotline::sim
