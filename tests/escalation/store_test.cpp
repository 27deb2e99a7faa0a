// Durable state: SQLite reopen and recovery, the host-storage interface (an events-only store
// recovered by replay), bad files, and the crash test: a child process writing work orders is
// killed (SIGKILL) at random points, many times; after each kill every acknowledged command must
// be in the store, the database must pass integrity_check, and a replay of the stored commands
// must reproduce every order's stored state.
#include <hotline/core.hpp>
#include <hotline/escalation.hpp>

#include <gtest/gtest.h>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using hotline::Error;
using hotline::ErrorCode;
using hotline::Instant;
using namespace hotline::escalation;

namespace {

const std::string kPolicy = std::string(HOTLINE_SOURCE_DIR) + "/examples/escalation/policy.json";
const Actor kOwner{"agent-7", "agent"};

Instant t0() { return hotline::parse_instant("2025-03-03T09:00:00+08:00"); }

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("hotline-esc-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

NewOrder complaint(const std::string& customer) {
  NewOrder o;
  o.customer = customer;
  o.category = "complaint";
  o.owner = "agent-7";
  return o;
}

// A deterministic workload: step k of a run creates an order or moves one along.
Result step(Engine& e, std::mt19937_64& rng, Instant now) {
  if (e.order_count() == 0 || rng() % 3 == 0) {
    NewOrder o = complaint(std::to_string(rng() % 50));
    o.department = rng() % 2 ? "billing" : "network";
    o.handler = "h";
    return e.create(o, now);
  }
  const OrderId id = 1 + rng() % e.order_count();
  const std::string state(e.state_name(e.order(id)));
  if (state == "received") return e.transition(id, "acknowledge", kOwner, {}, now);
  if (state == "acknowledged")
    return e.transition(id, "assess", kOwner, {{"assessment", "a"}}, now);
  if (state == "assessed")
    return e.transition(id, "dispatch", kOwner, {{"dispatch_note", "d"}}, now);
  if (state == "dispatched") {
    return e.transition(id, "department_reply", Actor{"h", "department"}, {{"reply", "r"}}, now);
  }
  if (state == "department_replied") {
    return e.transition(id, "reply_customer", kOwner, {{"reply_summary", "s"}}, now);
  }
  if (state == "replied") return e.transition(id, "confirm", kOwner, {{"satisfied", "yes"}}, now);
  return e.pause(id, "x", kOwner, now);  // closed: an error, caught by the caller
}

std::string sqlite_check(const std::filesystem::path& db) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return "cannot open";
  }
  std::string result;
  sqlite3_exec(
      h, "PRAGMA integrity_check",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) += values[0] ? values[0] : "";
        return 0;
      },
      &result, nullptr);
  sqlite3_close(h);
  return result;
}

}  // namespace

TEST(EscalationStore, SqliteReopensWithTheSameStateTimersAndKeys) {
  TempDir dir;
  const auto db = dir.path / "orders.db";
  const Policy p = Policy::load(kPolicy);
  std::vector<std::string> states;
  {
    Engine e(p, sqlite_store(db));
    EXPECT_NE(e.durability().find("synchronous=FULL"), std::string::npos);
    e.create(complaint("1"), t0(), "call-1");
    NewOrder urgent = complaint("2");
    urgent.severity = Severity::urgent;
    urgent.department = "billing";
    e.create(urgent, t0() + 1min, "call-2");
    e.transition(1, "acknowledge", kOwner, {}, t0() + 5min, "ack-1");
    e.pause(2, "waiting", kOwner, t0() + 10min);
    const auto ns = e.advance(t0() + 55h);  // order 1's resolution warning (75% of 72 h)
    EXPECT_EQ(ns.size(), 1u);
    states = {e.order_json(1), e.order_json(2)};
  }
  Engine e(p, sqlite_store(db));
  ASSERT_EQ(e.order_count(), 2u);
  EXPECT_EQ(e.order_json(1), states[0]);
  EXPECT_EQ(e.order_json(2), states[1]);
  EXPECT_TRUE(e.create(complaint("1"), t0(), "call-1").duplicate);  // keys survive
  EXPECT_EQ(e.order_count(), 2u);
  // Time cannot go back past what the store saw.
  EXPECT_THROW(e.create(complaint("3"), t0() + 54h, "call-3"), Error);
  EXPECT_EQ(e.history(1).front().kind, "create");
  EXPECT_EQ(e.verify_replay(), std::vector<std::string>{});
  // Timers were rebuilt: order 1's resolution clock breaches at 72 h (order 2 is paused).
  EXPECT_EQ(e.next_due(), t0() + 72h);
}

TEST(EscalationStore, ReopenGivesTheSameNoticesAsAnUninterruptedEngine) {
  TempDir dir;
  const Policy p = Policy::load(kPolicy);
  Engine reference(p, memory_store());
  auto durable = std::make_unique<Engine>(p, sqlite_store(dir.path / "a.db"));
  std::mt19937_64 r1(7), r2(7);
  Instant now = t0();
  for (int k = 0; k < 300; ++k) {
    now += std::chrono::minutes{r1() % 40};
    r2();
    bool ok1 = true, ok2 = true;
    try {
      step(reference, r1, now);
    } catch (const Error&) {
      ok1 = false;
    }
    try {
      step(*durable, r2, now);
    } catch (const Error&) {
      ok2 = false;
    }
    ASSERT_EQ(ok1, ok2);
    if (k % 10 == 9) {
      const auto a = reference.advance(now);
      const auto b = durable->advance(now);
      ASSERT_EQ(a.size(), b.size()) << "step " << k;
      for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].order, b[i].order);
        ASSERT_EQ(a[i].due, b[i].due);
        ASSERT_EQ(a[i].kind, b[i].kind);
      }
    }
    if (k % 50 == 49) durable = std::make_unique<Engine>(p, sqlite_store(dir.path / "a.db"));
  }
  for (OrderId id = 1; id <= reference.order_count(); ++id) {
    ASSERT_EQ(reference.order_json(id), durable->order_json(id));
  }
}

TEST(EscalationStore, PolicyVersionsAreStored) {
  TempDir dir;
  const Policy p1 = Policy::load(kPolicy);
  std::string json = p1.canonical_json();
  json.replace(json.find("\"2025.1\""), 8, "\"2025.2\"");
  const Policy p2 = Policy::from_json(json);
  {
    Engine e(p1, sqlite_store(dir.path / "p.db"));
    e.create(complaint("1"), t0());
    e.change_policy(p2, t0() + 1h, t0() + 1min);
  }
  // Opening with an older policy than the store's is refused with a clear message.
  try {
    Engine e(p1, sqlite_store(dir.path / "p.db"));
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), ErrorCode::invalid_state);
    EXPECT_NE(std::string(err.what()).find("2025.2"), std::string::npos) << err.what();
  }
  Engine e(p2, sqlite_store(dir.path / "p.db"));
  ASSERT_EQ(e.policy_changes().size(), 1u);
  EXPECT_FALSE(e.policy_changes()[0].applied);
  e.advance(t0() + 2h);
  EXPECT_TRUE(e.policy_changes()[0].applied);
  EXPECT_EQ(e.order(1).policy_version, 1u);
  EXPECT_EQ(e.verify_replay(), std::vector<std::string>{});
}

TEST(EscalationStore, BadFilesAreIoErrorsNamingTheFile) {
  TempDir dir;
  const Policy p = Policy::load(kPolicy);
  {
    std::ofstream(dir.path / "junk.db") << "this is not a database, just text that is long enough";
  }
  try {
    Engine e(p, sqlite_store(dir.path / "junk.db"));
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), ErrorCode::io);
    EXPECT_NE(err.where().find("junk.db"), std::string::npos);
  }
  {  // someone else's SQLite database
    sqlite3* h = nullptr;
    sqlite3_open((dir.path / "other.db").c_str(), &h);
    sqlite3_exec(h, "CREATE TABLE customers(id INTEGER)", nullptr, nullptr, nullptr);
    sqlite3_close(h);
  }
  try {
    Engine e(p, sqlite_store(dir.path / "other.db"));
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), ErrorCode::io);
    EXPECT_NE(err.message().find("not a hotline escalation store"), std::string::npos);
  }
  EXPECT_THROW(sqlite_store(dir.path / "no" / "such" / "dir.db"), Error);
}

namespace {

// The host-storage interface: a CRM that keeps only the command events in its own database.
struct HostTables {
  std::vector<StoredEvent> events;
  std::vector<std::pair<std::string, Instant>> policies;
  std::vector<Recovered::Key> keys;
};

class HostStore final : public Store {
 public:
  explicit HostStore(HostTables& t) : t_(t) {}
  Recovered recover() override {
    Recovered r;
    r.policies = t_.policies;
    r.keys = t_.keys;
    r.has_events = !t_.events.empty();
    r.last_seq = r.has_events ? t_.events.back().seq : 0;
    return r;
  }
  void write(const Commit& c) override {
    for (const auto& e : c.events) t_.events.push_back(e);
    if (!c.policy_json.empty()) t_.policies.emplace_back(c.policy_json, c.policy_effective);
    if (!c.idempotency_key.empty()) {
      t_.keys.push_back({c.idempotency_key, c.digest, c.key_order, c.events.front().seq});
    }
  }
  void flush() override {}
  std::vector<StoredEvent> history(std::uint64_t order) const override {
    std::vector<StoredEvent> out;
    for (const auto& e : t_.events) {
      if (e.order == order) out.push_back(e);
    }
    return out;
  }
  void for_each_event(const std::function<void(const StoredEvent&)>& fn) const override {
    for (const auto& e : t_.events) fn(e);
  }
  std::string durability() const override { return "the host's"; }
  bool keeps_states() const override { return false; }

 private:
  HostTables& t_;
};

}  // namespace

TEST(EscalationStore, HostStoreWithEventsOnlyRecoversByReplay) {
  HostTables tables;
  const Policy p = Policy::load(kPolicy);
  std::vector<std::string> states;
  {
    Engine e(p, std::make_unique<HostStore>(tables));
    std::mt19937_64 rng(3);
    Instant now = t0();
    for (int k = 0; k < 200; ++k) {
      now += 17min;
      try {
        step(e, rng, now);
      } catch (const Error&) {
      }
      if (k % 20 == 0) e.advance(now);
    }
    for (OrderId id = 1; id <= e.order_count(); ++id) states.push_back(e.order_json(id));
  }
  Engine e(p, std::make_unique<HostStore>(tables));
  ASSERT_EQ(e.order_count(), states.size());
  for (OrderId id = 1; id <= e.order_count(); ++id) EXPECT_EQ(e.order_json(id), states[id - 1]);
}

// The crash test. Each round forks a writer that opens the store (recovering what the previous
// rounds left), runs commands and reports each acknowledged one on a pipe; the parent kills it
// with SIGKILL after a random number of acknowledgements plus a random delay, so the kill lands
// anywhere, including inside SQLite's commit.
TEST(EscalationStore, CrashTestEveryAcknowledgedCommandSurvivesSigkill) {
  TempDir dir;
  const Policy p = Policy::load(kPolicy);
  std::mt19937_64 rng(2025);
  struct Mode {
    Durability d;
    const char* file;
  };
  for (const Mode mode : {Mode{Durability::full, "full.db"}, Mode{Durability::group, "group.db"}}) {
    const auto db = dir.path / mode.file;
    std::set<std::uint64_t> acked;  // sequence numbers acknowledged over all rounds
    int killed = 0;
    for (int round = 0; round < 40; ++round) {
      int fds[2];
      ASSERT_EQ(::pipe(fds), 0);
      const unsigned long long child_seed = rng();
      const pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        ::close(fds[0]);
        int rc = 0;
        try {
          SqliteOptions o;
          o.durability = mode.d;
          o.group_size = 8;
          Engine e(p, sqlite_store(db, o));
          std::mt19937_64 r(child_seed);
          // Continue where the previous round's store ends.
          Instant now = std::max(e.last_time(), t0());
          std::vector<std::uint64_t> group;
          for (int k = 0; k < 100000; ++k) {
            now += 1min;
            std::uint64_t seq = 0;
            try {
              seq = step(e, r, now).seq;
            } catch (const Error& err) {
              if (err.code() == ErrorCode::io) throw;
              continue;
            }
            group.push_back(seq);
            if (mode.d == Durability::group && group.size() < 8) continue;
            e.flush();
            for (std::uint64_t s : group) {
              char line[32];
              const int n =
                  std::snprintf(line, sizeof line, "%llu\n", static_cast<unsigned long long>(s));
              if (::write(fds[1], line, static_cast<std::size_t>(n)) != n) ::_exit(3);
            }
            group.clear();
          }
        } catch (...) {
          rc = 2;
        }
        ::_exit(rc);
      }
      ::close(fds[1]);
      const int wait_acks = 1 + static_cast<int>(rng() % 40);
      std::string buffer;
      int got = 0;
      char chunk[4096];
      while (got < wait_acks) {
        const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
        if (n <= 0) break;
        buffer.append(chunk, static_cast<std::size_t>(n));
        got = static_cast<int>(std::count(buffer.begin(), buffer.end(), '\n'));
      }
      std::this_thread::sleep_for(std::chrono::microseconds{rng() % 3000});
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      killed += WIFSIGNALED(status) ? 1 : 0;
      for (;;) {  // acknowledgements written before the kill
        const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
        if (n <= 0) break;
        buffer.append(chunk, static_cast<std::size_t>(n));
      }
      ::close(fds[0]);
      ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself, status " << status;
      std::size_t pos = 0;
      while (pos < buffer.size()) {
        const auto end = buffer.find('\n', pos);
        if (end == std::string::npos) break;  // a torn line was never an acknowledgement
        acked.insert(std::stoull(buffer.substr(pos, end - pos)));
        pos = end + 1;
      }
      ASSERT_EQ(sqlite_check(db), "ok") << "round " << round;
      Engine e(p, sqlite_store(db));
      std::set<std::uint64_t> stored;
      std::uint64_t max_seq = 0;
      for (OrderId id = 1; id <= e.order_count(); ++id) {
        for (const StoredEvent& ev : e.history(id)) {
          if (!ev.derived) stored.insert(ev.seq);
          max_seq = std::max(max_seq, ev.seq);
        }
      }
      for (std::uint64_t s : acked) {
        ASSERT_TRUE(stored.contains(s)) << mode.file << " round " << round << ": acknowledged "
                                        << "command " << s << " is missing";
      }
      ASSERT_EQ(e.verify_replay(), std::vector<std::string>{}) << mode.file << " round " << round;
    }
    EXPECT_GT(acked.size(), 40u);
    EXPECT_EQ(killed, 40);
    std::printf("[ crash    ] %s: 40 kills, %zu acknowledged commands all present\n", mode.file,
                acked.size());
  }
}
