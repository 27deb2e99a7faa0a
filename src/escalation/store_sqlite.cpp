// The SQLite store: one database file in WAL mode. Each Commit is one transaction (full and
// normal durability) or one savepoint inside a group transaction (group durability), so a commit
// is never half-written; WAL recovery on open discards any unfinished transaction.
#include <hotline/core/error.hpp>
#include <hotline/escalation/store.hpp>

#include <sqlite3.h>

#include <fmt/format.h>

namespace hotline::escalation {

namespace {

constexpr const char* kFormat = "hotline-escalation/1";

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, const char* sql, const std::string& file) : file_(&file) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK) {
      throw Error(ErrorCode::io, file, fmt::format("SQLite: {} ({})", sqlite3_errmsg(db), sql));
    }
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& o) noexcept : s_(o.s_), file_(o.file_) { o.s_ = nullptr; }
  Statement& operator=(Statement&& o) noexcept {
    std::swap(s_, o.s_);
    std::swap(file_, o.file_);
    return *this;
  }
  ~Statement() { sqlite3_finalize(s_); }

  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  /// Steps once: true while a row is available.
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const std::string msg = sqlite3_errmsg(sqlite3_db_handle(s_));
    sqlite3_reset(s_);
    throw Error(ErrorCode::io, *file_, fmt::format("SQLite: {}", msg));
  }
  void run() {
    step();
    reset();
  }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(s_, col); }
  std::string text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  const std::string* file_ = nullptr;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::filesystem::path& file, SqliteOptions options)
      : file_(file.string()), options_(options) {
    if (options_.group_size < 1) {
      throw Error(ErrorCode::invalid_argument, "group_size", "group_size must be at least 1");
    }
    if (sqlite3_open_v2(file_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw Error(ErrorCode::io, file_, fmt::format("cannot open the store: {}", msg));
    }
    try {
      sqlite3_busy_timeout(db_, 5000);
      exec("PRAGMA journal_mode=WAL");
      exec(options_.durability == Durability::normal ? "PRAGMA synchronous=NORMAL"
                                                     : "PRAGMA synchronous=FULL");
      exec("PRAGMA foreign_keys=OFF");
      check_format();
      exec("BEGIN");
      exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      exec(
          "CREATE TABLE IF NOT EXISTS policies(version INTEGER PRIMARY KEY, json TEXT NOT NULL, "
          "effective INTEGER NOT NULL)");
      exec(
          "CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, "
          "at INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, derived INTEGER NOT NULL)");
      exec("CREATE INDEX IF NOT EXISTS events_by_order ON events(order_id, seq)");
      exec("CREATE TABLE IF NOT EXISTS orders(id INTEGER PRIMARY KEY, state TEXT NOT NULL)");
      exec(
          "CREATE TABLE IF NOT EXISTS keys(key TEXT PRIMARY KEY, digest INTEGER NOT NULL, "
          "order_id INTEGER NOT NULL, seq INTEGER NOT NULL)");
      exec(fmt::format("INSERT OR IGNORE INTO meta VALUES('format', '{}')", kFormat).c_str());
      exec("COMMIT");
      insert_event_ = Statement(db_, "INSERT INTO events VALUES(?,?,?,?,?,?)", file_);
      upsert_order_ = Statement(db_, "INSERT OR REPLACE INTO orders VALUES(?,?)", file_);
      insert_key_ = Statement(db_, "INSERT INTO keys VALUES(?,?,?,?)", file_);
      insert_policy_ =
          Statement(db_, "INSERT INTO policies VALUES((SELECT COUNT(*) FROM policies),?,?)", file_);
    } catch (...) {
      insert_event_ = Statement();
      upsert_order_ = Statement();
      insert_key_ = Statement();
      insert_policy_ = Statement();
      sqlite3_close(db_);
      throw;
    }
  }

  ~SqliteStore() override {
    if (in_group_) sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    insert_event_ = Statement();
    upsert_order_ = Statement();
    insert_key_ = Statement();
    insert_policy_ = Statement();
    sqlite3_close(db_);
  }

  Recovered recover() override {
    Recovered r;
    Statement p(db_, "SELECT json, effective FROM policies ORDER BY version", file_);
    while (p.step()) r.policies.emplace_back(p.text(0), from_unix_ms(p.integer(1)));
    Statement o(db_, "SELECT id, state FROM orders ORDER BY id", file_);
    while (o.step()) r.states.emplace_back(static_cast<std::uint64_t>(o.integer(0)), o.text(1));
    Statement k(db_, "SELECT key, digest, order_id, seq FROM keys", file_);
    while (k.step()) {
      r.keys.push_back({k.text(0), static_cast<std::uint64_t>(k.integer(1)),
                        static_cast<std::uint64_t>(k.integer(2)),
                        static_cast<std::uint64_t>(k.integer(3))});
    }
    Statement e(db_, "SELECT COALESCE(MAX(seq), 0), COUNT(*) FROM events", file_);
    e.step();
    r.last_seq = static_cast<std::uint64_t>(e.integer(0));
    r.has_events = e.integer(1) > 0;
    return r;
  }

  void write(const Commit& c) override {
    const bool group = options_.durability == Durability::group;
    if (group && !in_group_) {
      exec("BEGIN");
      in_group_ = true;
    }
    exec(group ? "SAVEPOINT c" : "BEGIN");
    try {
      for (const StoredEvent& e : c.events) {
        insert_event_.bind(1, static_cast<std::int64_t>(e.seq))
            .bind(2, static_cast<std::int64_t>(e.order))
            .bind(3, to_unix_ms(e.at))
            .bind(4, e.kind)
            .bind(5, e.body)
            .bind(6, e.derived ? 1 : 0)
            .run();
      }
      for (const auto& [id, state] : c.states) {
        upsert_order_.bind(1, static_cast<std::int64_t>(id)).bind(2, state).run();
      }
      if (!c.idempotency_key.empty()) {
        insert_key_.bind(1, c.idempotency_key)
            .bind(2, static_cast<std::int64_t>(c.digest))
            .bind(3, static_cast<std::int64_t>(c.key_order))
            .bind(4, static_cast<std::int64_t>(c.events.empty() ? 0 : c.events.front().seq))
            .run();
      }
      if (!c.policy_json.empty()) {
        insert_policy_.bind(1, c.policy_json).bind(2, to_unix_ms(c.policy_effective)).run();
      }
    } catch (...) {
      insert_event_.reset();
      upsert_order_.reset();
      insert_key_.reset();
      insert_policy_.reset();
      sqlite3_exec(db_, group ? "ROLLBACK TO c; RELEASE c" : "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    if (group) {
      exec("RELEASE c");
      if (++pending_ >= options_.group_size) flush();
    } else {
      exec("COMMIT");
    }
  }

  void flush() override {
    if (!in_group_) return;
    exec("COMMIT");
    in_group_ = false;
    pending_ = 0;
  }

  std::vector<StoredEvent> history(std::uint64_t order) const override {
    std::vector<StoredEvent> out;
    Statement s(
        db_,
        "SELECT seq, order_id, at, kind, body, derived FROM events WHERE order_id=? ORDER BY seq",
        file_);
    s.bind(1, static_cast<std::int64_t>(order));
    while (s.step()) out.push_back(row(s));
    return out;
  }

  void for_each_event(const std::function<void(const StoredEvent&)>& fn) const override {
    Statement s(db_, "SELECT seq, order_id, at, kind, body, derived FROM events ORDER BY seq",
                file_);
    while (s.step()) fn(row(s));
  }

  std::string durability() const override {
    switch (options_.durability) {
      case Durability::full:
        return "SQLite WAL, synchronous=FULL: every command is fsynced before it returns";
      case Durability::group:
        return fmt::format(
            "SQLite WAL, synchronous=FULL, group commit: durable once flush() returns (or every {} "
            "commands); a crash loses the unflushed group whole",
            options_.group_size);
      case Durability::normal:
        return "SQLite WAL, synchronous=NORMAL: survives a process crash; the last commits may be "
               "lost on power failure";
    }
    return {};
  }

 private:
  static StoredEvent row(const Statement& s) {
    StoredEvent e;
    e.seq = static_cast<std::uint64_t>(s.integer(0));
    e.order = static_cast<std::uint64_t>(s.integer(1));
    e.at = from_unix_ms(s.integer(2));
    e.kind = s.text(3);
    e.body = s.text(4);
    e.derived = s.integer(5) != 0;
    return e;
  }

  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw Error(ErrorCode::io, file_, fmt::format("SQLite: {} ({})", msg, sql));
    }
  }

  // A database with tables but no hotline format mark is someone else's: refuse it.
  void check_format() {
    Statement t(db_, "SELECT COUNT(*) FROM sqlite_master WHERE type='table'", file_);
    t.step();
    if (t.integer(0) == 0) return;
    Statement m(db_, "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='meta'",
                file_);
    m.step();
    std::string format;
    if (m.integer(0) > 0) {
      Statement f(db_, "SELECT value FROM meta WHERE key='format'", file_);
      if (f.step()) format = f.text(0);
    }
    if (format != kFormat) {
      throw Error(ErrorCode::io, file_,
                  fmt::format("not a hotline escalation store (format \"{}\", expected \"{}\")",
                              format, kFormat));
    }
  }

  std::string file_;
  SqliteOptions options_;
  sqlite3* db_ = nullptr;
  Statement insert_event_, upsert_order_, insert_key_, insert_policy_;
  bool in_group_ = false;
  int pending_ = 0;
};

}  // namespace

std::unique_ptr<Store> sqlite_store(const std::filesystem::path& file, SqliteOptions options) {
  return std::make_unique<SqliteStore>(file, options);
}

}  // namespace hotline::escalation
