// Random small database and Redis models for differential testing of the two engines: one
// table of two rows, transactions at every isolation level with row locks, conditional and
// multi-row updates, inserts, upserts and deletes, returning, failure handlers and retries,
// autocommit statements, Redis commands and scripts, a nullable column (NULL, is null, coalesce,
// three-valued where clauses, min and max), unique and check constraints, on conflict do nothing,
// handlers that name failures, conditional expressions, for loops over the rows of a select, a
// table cell from a param, and properties over committed cells, keys and whole tables (count,
// exists and sum with where clauses), and now and then a job status column of an enum (claimed by
// a conditional update, by select then update, by `for update skip locked`, finished, reset,
// walked by a for loop, inserted; properties count the rows in a status; a stream of its own,
// so that other seeds keep their models). Seeded and self-contained, like random_model.h, so a
// seed names one model on every machine.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "tests/unit/symbolic/seeded_random.h"

namespace racecheck::symbolic::testing {

class RandomDbModel {
 public:
  explicit RandomDbModel(uint64_t seed)
      : seed_(seed),
        random_(seed, 0xD1B54A32D192ED03ULL, 7),
        crash_random_(CrashRandom(seed)),
        status_random_(seed, 0x5747A7E5ULL, 23) {}

  std::string Text() {
    bool event_loop = Below(5) == 0;
    has_redis_ = Below(3) == 0;
    std::string out = fmt::format("// A random database model (tests/unit/symbolic/random_db_model.h), seed {}.\n", seed_);
    out += fmt::format("model random_db_{}\n", seed_);
    out += event_loop ? "runtime event_loop\n" : "runtime threads\n";
    // n is nullable (issue 11): NULL, is null, coalesce and three-valued where clauses. Now and
    // then w is unique (the rows start apart), v must stay non-negative or n at most 2 (a NULL
    // passes a check), and row 2's v comes from a param: every initial value at once.
    unique_w_ = Below(3) == 0;
    static const char* const kChecks[] = {", check (v >= 0)", ", check (n <= 2)", ""};
    const char* check = kChecks[Below(3)];
    bool param = Below(4) == 0;
    if (param) out += "param P in 0..2\n";
    std::string first = Row(1), second = Row(2);
    if (param) {
      size_t v = second.find(", ") + 2;
      second = second.substr(0, v) + "P" + second.substr(second.find(',', v));
    }
    // One model in four, with one piece per process: the status models are the dearer ones, and
    // the shards' time in CI matters (1 in 3 with up to two pieces added three minutes).
    status_ = status_random_.Below(4) == 0;
    const char* status_column = "";
    if (status_) {
      out += "enum Status { queued, running, done }\n";
      status_null_ = status_random_.Below(3) == 0;
      status_column = status_null_ ? ", s Status null" : ", s Status";
      first += ", " + StatusValue();
      second += ", " + StatusValue();
    }
    out += fmt::format("table t(id key, v, w{}, n null{}{}) {{ ({}), ({}) }}\n", unique_w_ ? " unique" : "", check,
                       status_column, first, second);
    out += "ghost g = 0\n";
    if (has_redis_) out += fmt::format("redis {{ k = {} }}\n", Below(3));

    // Two instances, now and then of two different processes.
    if (Below(3) == 0) {
      out += Process("P0", 1);
      out += Process("P1", 1);
    } else {
      out += Process("P0", 2);
    }

    int properties = 1 + Below(2);
    for (int k = 0; k < properties; ++k) out += Property(k);
    if (status_) out += StatusProperty();
    if (Below(2) == 0) out += "allow failure\n";
    if (Below(6) == 0) out += "allow deadlock\n";
    // Now and then the table declares its room: as counted, more, or too little (a full table).
    // Drawn last, so the rest of a seed's model stays as it was.
    if (Below(4) == 0) {
      size_t columns_end = out.find(") { (", out.find("table t("));
      out.insert(columns_end + 1, fmt::format(" rows {}", 2 + Below(4)));
    }
    return out;
  }

 private:
  int Below(int n) { return random_.Below(n); }

  // A row's cells after its id; a unique w is odd in row 2 and even in row 1.
  std::string Row(int id) {
    int w = unique_w_ ? id - 1 + 2 * Below(2) : Below(3);
    return fmt::format("{}, {}, {}, {}", id, Below(4), w, Below(2) == 0 ? "null" : "1");
  }
  std::string Pad() const { return std::string(4 * depth_, ' '); }

  // A row key: a constant, the instance's own row or the other one (opposite lock orders).
  std::string Key() {
    switch (Below(5)) {
      case 0: return "me";
      case 1: return "3 - me";
      default: return std::to_string(1 + Below(2));
    }
  }

  std::string NewLocal() {
    std::string name = fmt::format("a{}", next_local_++);
    locals_.push_back(name);
    return name;
  }
  std::string AnyLocal() { return locals_.empty() ? std::to_string(Below(3)) : locals_[Below(static_cast<int>(locals_.size()))]; }

  std::string Process(const std::string& name, int count) {
    locals_.clear();
    next_local_ = 0;
    depth_ = 1;
    std::string params = Below(2) == 0 ? "(me = 1 + self)" : fmt::format("(me = {})", 1 + Below(2));
    std::string out = fmt::format("process {}{}{}{} {{\n", name, count > 1 ? fmt::format("[{}]", count) : "", params,
                                  CrashClause(crash_random_));
    int units = 1 + Below(2);
    for (int i = 0; i < units; ++i) out += Unit();
    if (status_) out += StatusWork();
    return out + "}\n";
  }

  // A top-level piece of a handler.
  std::string Unit() {
    switch (Below(has_redis_ ? 7 : 5)) {
      case 0:
      case 1:
      case 2: return Transaction();
      case 3: {
        std::string sql = Sql(/*in_transaction=*/false);
        // A handler goes on a statement of one line (not on a let).
        if (Below(2) == 0 && sql.rfind("let ", 0) != 0 && std::count(sql.begin(), sql.end(), '\n') == 1) {
          sql.insert(sql.size() - 1, Handler());
        }
        return Pad() + sql;
      }
      case 4:
        if (Below(3) == 0) return Pad() + fmt::format("g += if {} > {} then 1 else 2\n", AnyLocal(), Below(3));
        return Pad() + fmt::format("g += {}\n", AnyLocal());
      default: return Redis();
    }
  }

  std::string Transaction() {
    static const char* const kLevels[] = {"", " isolation read_committed", " isolation repeatable_read",
                                          " isolation serializable"};
    std::string out = Pad() + "transaction" + kLevels[Below(4)] + " {\n";
    ++depth_;
    size_t outer_locals = locals_.size();
    int statements = 1 + Below(3);
    for (int i = 0; i < statements; ++i) {
      if (i > 0 && Below(4) == 0) {
        // Act on what an earlier statement read.
        std::string a = AnyLocal();
        out += Pad() + fmt::format("if {} >= {} {{\n", a, Below(3));
        ++depth_;
        out += Pad() + (Below(6) == 0 ? "rollback\n" : fmt::format("update t set v = {} - 1 where id = {}\n", a, Key()));
        --depth_;
        out += Pad() + "}\n";
      } else if (Below(8) == 0) {
        out += Pad() + "g += 1\n";  // process memory: a retry or rollback does not undo it
      } else {
        out += Pad() + Sql(/*in_transaction=*/true);
      }
    }
    locals_.resize(outer_locals);  // the body's locals end with it
    --depth_;
    out += Pad() + "}";
    return out + Handler() + "\n";
  }

  // What follows a transaction or an autocommit statement: nothing, a retry or a block, for
  // every failure or for the ones it names.
  std::string Handler() {
    static const char* const kNamed[] = {"(serialization_failure, deadlock_detected)", "(unique_violation)",
                                         "(check_violation, lock_not_available)"};
    switch (Below(6)) {
      case 0: return " on failure retry at most 2";
      case 1: return fmt::format(" on failure{} retry at most 2", kNamed[Below(3)]);
      case 2: return " on failure {\n" + Pad() + "    g += 10\n" + Pad() + "}";
      case 3:
        return " on failure(e) {\n" + Pad() + "    if e == unique_violation or e == check_violation {\n" + Pad() +
               "        g += 100\n" + Pad() + "    } else {\n" + Pad() + "        g += 10\n" + Pad() + "    }\n" + Pad() + "}";
      default: return "";
    }
  }

  std::string Sql(bool in_transaction) {
    int c = Below(3);
    if (Below(4) == 0) return NullSql(c);
    switch (Below(in_transaction ? 10 : 8)) {
      case 0: return fmt::format("let {} = select v from t where id = {}\n", NewLocal(), Key());
      case 1: return fmt::format("let {} = select count(*) from t where v >= {}\n", NewLocal(), c);
      case 2: return fmt::format("let {} = select sum(v) from t\n", NewLocal());
      case 3: return fmt::format("update t set v = v + {} where id = {}\n", 1 + c, Key());
      case 4:
        if (Below(2) == 0) return Returning(fmt::format("update t set w = w + 1 where id = {} and v >= {}", Key(), c), "w");
        return fmt::format("let {} = update t set w = w + 1 where id = {} and v >= {}\n", NewLocal(), Key(), c);
      case 5: return fmt::format("update t set v = v - 1 where v > {}\n", c);
      case 6: return Below(2) == 0 ? InsertOrDelete(c) : Insert(c);
      case 7:
        if (Below(3) == 0) return fmt::format("update t set w = if v > {} then w + 1 else {} where id = {}\n", c, AnyLocal(), Key());
        return fmt::format("update t set w = {} where id = {}\n", AnyLocal(), Key());
      default:
        switch (Below(4)) {
          case 0: return fmt::format("let {} = select v from t where id = {} for update\n", NewLocal(), Key());
          case 3: return fmt::format("let {} = select v from t where id = {} for share\n", NewLocal(), Key());
          case 1: return Pick(c);
          default: return ForRows(c);
        }
    }
  }

  // An insert that may meet the key or a unique w, now and then with on conflict do nothing.
  std::string Insert(int c) {
    std::string row = fmt::format("insert into t (id, v, w) values ({}, {}, {})", Below(3) == 0 ? 1 + Below(2) : 3, c, Below(3));
    switch (Below(4)) {
      case 0: return fmt::format("let {} = {} on conflict do nothing\n", NewLocal(), row);
      case 1: return fmt::format("{} on conflict (id) do nothing\n", row);
      default: return row + "\n";
    }
  }

  // A for loop over the rows of a select (issue 11), or of an update or delete returning them: in
  // an order, maybe limited, maybe locking;
  // the body reads the row's columns, writes from them and may leave early.
  std::string ForRows(int c) {
    static const char* const kOrders[] = {"order by id", "order by v desc, id", "order by w, v desc"};
    static const char* const kLimits[] = {"", " limit 1"};
    static const char* const kLocks[] = {"", " for update", " for update skip locked", " for no key update nowait",
                                         " for share"};
    static const char* const kChanges[] = {"update t set v = v + 1", "update t set w = w + 1", "delete from t"};
    std::string r = fmt::format("r{}", next_local_++);
    // Now and then the rows an update or delete returned, in table order.
    std::string out = Below(4) == 0 ? fmt::format("for {} in {} where v >= {} returning id, v {{\n", r, kChanges[Below(3)], c)
                                    : fmt::format("for {} in select id, v from t where v >= {} {}{}{} {{\n", r, c,
                                                  kOrders[Below(3)], kLimits[Below(2)], kLocks[Below(5)]);
    ++depth_;
    switch (Below(4)) {
      case 0: out += Pad() + fmt::format("update t set w = {}.v + 1 where id = {}.id\n", r, r); break;
      case 1: out += Pad() + fmt::format("g += {}.v\n", r); break;
      case 2:
        out += Pad() + fmt::format("if {}.v >= {} {{\n", r, 1 + c) + Pad() + (Below(2) == 0 ? "    break\n" : "    continue\n") +
               Pad() + "}\n" + Pad() + fmt::format("update t set v = {}.v - 1 where id = {}.id\n", r, r);
        break;
      default: out += Pad() + fmt::format("update t set v = v + 1 where id = 3 - {}.id\n", r); break;
    }
    --depth_;
    return out + Pad() + "}\n";
  }

  // A new row 3 and its deletion, and upserts of any row (on conflict do update, issue 11).
  std::string InsertOrDelete(int c) {
    switch (Below(4)) {
      case 0: return fmt::format("insert into t (id, v, w) values (3, {}, 0)\n", c);
      case 1: return "delete from t where id = 3\n";
      case 2: {
        std::string where = Below(2) == 0 ? "" : fmt::format(" where t.w < {}", 1 + c);
        std::string upsert = fmt::format("insert into t (id, v, w) values ({}, {}, 0) on conflict (id) do update set "
                                         "v = t.v + excluded.v{}", Below(3) == 0 ? "3" : Key(), 1 + c, where);
        if (Below(2) == 0) return Returning(upsert, "v");
        return fmt::format("let {} = {}\n", NewLocal(), upsert);
      }
      default:
        return fmt::format("insert into t values ({}, {}, {}, null{}) on conflict (id) do update set w = excluded.w, "
                           "n = coalesce(n, 0) + 1\n", Key(), c, AnyLocal(), status_ ? ", 'queued'" : "");
    }
  }

  // `returning column` (issue 11) into a new local; no row gives NULL, replaced at once as Pick does.
  std::string Returning(const std::string& statement, const char* column) {
    std::string a = NewLocal();
    return fmt::format("let {} = {} returning {}\n", a, statement, column) + Pad() +
           fmt::format("{} = coalesce({}, 0)\n", a, a);
  }

  // Picking rows: order by, limit (without order by: every row may come first), skip locked, nowait.
  std::string Pick(int c) {
    static const char* const kOrders[] = {"order by id ", "order by v desc, id ", "order by w, v desc ", ""};
    static const char* const kLocks[] = {"",           "for update",       "for update skip locked", "for no key update nowait",
                                         "for share",  "for share nowait", "for share skip locked"};
    const char* order = kOrders[Below(4)];
    const char* lock = kLocks[Below(7)];
    // No row gives NULL: replaced at once, as NullSql does, so later statements stay about races.
    std::string a = NewLocal();
    return fmt::format("let {} = select id from t where v >= {} {}limit 1 {}\n", a, c, order, lock) + Pad() +
           fmt::format("{} = coalesce({}, 0)\n", a, a);
  }

  // Statements on the nullable column n. A local that may be NULL is replaced by a value at
  // once, so the statements after it (if a >= c, set w = a) stay about races, not NULL errors.
  std::string NullSql(int c) {
    switch (Below(9)) {
      case 6: {
        // min and max skip NULLs and give NULL over no value.
        std::string a = NewLocal();
        return fmt::format("let {} = select {}({}) from t where v >= {}\n", a, Below(2) == 0 ? "min" : "max",
                           Below(2) == 0 ? "n" : "v", c) +
               Pad() + fmt::format("{} = coalesce({}, {})\n", a, a, c);
      }
      case 7: {
        std::string a = NewLocal(), b = NewLocal();
        return fmt::format("let ({}, {}) = select max(w), min(n) from t\n", a, b) + Pad() +
               fmt::format("{} = coalesce({}, 0) + coalesce({}, 0)\n", a, a, b);
      }
      case 0: {
        std::string a = NewLocal();
        return fmt::format("let {} = select n from t where id = {}\n", a, Key()) + Pad() +
               fmt::format("{} = coalesce({}, {})\n", a, a, c);
      }
      case 1: return fmt::format("update t set n = null where id = {}\n", Key());
      case 2: return fmt::format("let {} = update t set n = {} where id = {} and n is null\n", NewLocal(), c, Key());
      case 3: return fmt::format("let {} = select count(*) from t where n = {} or not (n > {})\n", NewLocal(), c, c);
      case 4: return fmt::format("update t set w = coalesce(n, {}) + 1 where id = {}\n", c, Key());
      case 5: return fmt::format("let {} = select count(n) from t where n + 1 > {} and v >= 0\n", NewLocal(), c);
      default: return fmt::format("update t set v = n where id = {} and n is not null\n", Key());
    }
  }

  std::string Redis() {
    int c = 1 + Below(2);
    switch (Below(4)) {
      case 0: return Pad() + fmt::format("let {} = redis.INCRBY(k, {})\n", NewLocal(), c);
      case 1: return Pad() + fmt::format("redis.DECRBY(k, {})\n", c);
      case 2: return Pad() + fmt::format("if redis.SET(k, {}, NX) {{\n", c) + Pad() + "    g += 1\n" + Pad() + "}\n";
      default: {
        std::string ok = NewLocal();
        return Pad() + fmt::format("let {} = 0\n", ok) + Pad() + "redis.eval {\n" + Pad() +
               "    let b = redis.GET(k)\n" + Pad() + fmt::format("    if b >= {} {{\n", c) + Pad() +
               fmt::format("        redis.DECRBY(k, {})\n", c) + Pad() + fmt::format("        {} = 1\n", ok) + Pad() +
               "    }\n" + Pad() + "}\n";
      }
    }
  }

  std::string Property(int k) {
    const char* kind = Below(3) == 0 ? "final" : "invariant";
    std::string condition;
    switch (Below(has_redis_ ? 11 : 10)) {
      case 0: condition = fmt::format("t[1].v + t[2].v <= {}", 3 + Below(6)); break;
      case 1: condition = fmt::format("t[1].v >= {}", Below(3)); break;
      case 2: condition = fmt::format("t[2].w <= {}", Below(3)); break;
      case 3: condition = fmt::format("g <= {}", Below(12)); break;
      case 4: condition = fmt::format("t[1].v + t[2].v + g >= {}", Below(4)); break;
      case 5: condition = fmt::format("t[1].n is null or t[1].n <= {}", Below(3)); break;
      case 9: condition = fmt::format("(if t[3].v is null then 0 else t[3].v) + t[1].v <= {}", 2 + Below(5)); break;
      // Over the whole table, rows where the condition is unknown (n null) not counting.
      case 6: condition = fmt::format("count(t where v >= {} or n = {}) <= {}", Below(3), Below(2), 1 + Below(2)); break;
      case 7: condition = fmt::format("coalesce(sum(t.v where n is null or w > {}), 0) + g <= {}", Below(2), 2 + Below(6)); break;
      case 8:
        condition = Below(2) == 0 ? fmt::format("sum(t.w) >= {} or exists(t where t.id == 3)", Below(3))
                                  : fmt::format("not exists(t where v > {} and not (n > 0))", 1 + Below(3));
        break;
      default: condition = fmt::format("redis.k >= {}", Below(2)); break;
    }
    return fmt::format("{} p{}: {}\n", kind, k, condition);
  }

  // ---- the status column (status_random_ only) ----
  std::string StatusValue() {
    static const char* const kValues[] = {"queued", "running", "done", "null"};
    return kValues[status_random_.Below(status_null_ ? 4 : 3)];
  }
  std::string StatusKey() {
    switch (status_random_.Below(3)) {
      case 0: return "me";
      case 1: return "3 - me";
      default: return std::to_string(1 + status_random_.Below(2));
    }
  }

  // A piece of a job handler on the status column, at the process's top level.
  std::string StatusWork() {
    std::string pad = Pad();
    switch (status_random_.Below(8)) {
      case 0: {  // a claim by conditional update: the row count says who won
        std::string a = NewLocal();
        return pad + fmt::format("let {} = update t set s = running where id = {} and s = 'queued'\n", a, StatusKey()) +
               pad + fmt::format("if {} == 1 {{\n", a) + pad + "    g += 1\n" + pad + "}\n";
      }
      case 1: {  // select then update, in a transaction at some level
        static const char* const kLevels[] = {"", " isolation repeatable_read", " isolation serializable"};
        std::string a = NewLocal(), key = StatusKey();
        std::string lock = status_random_.Below(3) == 0 ? " for update" : "";
        std::string out = pad + "transaction" + kLevels[status_random_.Below(3)] + " {\n";
        out += pad + fmt::format("    let {} = select s from t where id = {}{}\n", a, key, lock);
        if (status_random_.Below(2) == 0) out += pad + fmt::format("    {} = coalesce({}, done)\n", a, a);
        out += pad + fmt::format("    if {} == queued {{\n", a) + pad +
               fmt::format("        update t set s = running where id = {}\n", key) + pad + "        g += 1\n" + pad +
               "    }\n";
        return out + pad + "}" + (status_random_.Below(2) == 0 ? " on failure retry at most 2" : "") + "\n";
      }
      case 2: {  // a queue's claim: the first queued row nobody holds
        std::string a = NewLocal();
        std::string out = pad + "transaction {\n";
        out += pad + fmt::format("    let {} = select id from t where s = 'queued' order by id limit 1 for update skip "
                                 "locked\n", a);
        out += pad + fmt::format("    {} = coalesce({}, 0)\n", a, a);
        out += pad + fmt::format("    update t set s = running where id = {}\n", a);
        out += pad + fmt::format("    if {} != 0 {{\n", a) + pad + "        g += 1\n" + pad + "    }\n";
        return out + pad + "}" + (status_random_.Below(2) == 0 ? " on failure retry at most 2" : "") + "\n";
      }
      case 3: return pad + fmt::format("update t set s = done where id = {} and s = 'running'\n", StatusKey());
      case 4: return pad + "update t set s = queued where s = 'running'\n";
      case 5: {  // a sweep over the unfinished rows
        std::string r = fmt::format("r{}", next_local_++);
        std::string lock = status_random_.Below(2) == 0 ? " for update" : "";
        return pad + fmt::format("for {} in select id, s from t where s != 'done' order by id{} {{\n", r, lock) + pad +
               fmt::format("    if {}.s == running {{\n", r) + pad +
               fmt::format("        update t set s = done where id = {}.id\n", r) + pad + "    }\n" + pad + "}\n";
      }
      case 6: {
        std::string a = NewLocal();
        return pad + fmt::format("let {} = select count(*) from t where s = 'running'\n", a) + pad +
               fmt::format("if {} > 0 {{\n", a) + pad + "    g += 1\n" + pad + "}\n";
      }
      default:
        return pad + fmt::format("insert into t (id, v, w, s) values (3, 0, {}, {}) on conflict do nothing\n",
                                 2 * status_random_.Below(2), status_random_.Below(2) == 0 ? "running" : "'queued'");
    }
  }

  std::string StatusProperty() {
    switch (status_random_.Below(4)) {
      case 0: return fmt::format("invariant ps: count(t where s == running) <= {}\n", 1 + status_random_.Below(2));
      case 1: return "final ps: not exists(t where s == running)\n";
      case 2: return fmt::format("invariant ps: g <= {} or count(t where s == queued) == 0\n", 1 + status_random_.Below(2));
      default: return "invariant ps: coalesce(t[1].s, queued) != done or t[1].v >= 0\n";
    }
  }

  uint64_t seed_;
  SeededRandom random_;
  SeededRandom crash_random_;
  SeededRandom status_random_;
  bool status_ = false;
  bool status_null_ = false;
  bool has_redis_ = false;
  bool unique_w_ = false;
  int depth_ = 1;
  int next_local_ = 0;
  std::vector<std::string> locals_;
};

}  // namespace racecheck::symbolic::testing
