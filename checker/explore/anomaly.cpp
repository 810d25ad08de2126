#include "checker/explore/anomaly.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "checker/ir/value_text.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

struct Cell {
  int32_t table = -1;
  int32_t row = -1;
  int32_t column = -1;
  auto operator<=>(const Cell&) const = default;
};

struct Read {
  Cell cell;
  ir::Value value = 0;
  int version = 0;
  size_t at = 0;  // event index
};

struct Write {
  Cell cell;
  ir::Value value = 0;
  size_t at = 0;  // commit event index
};

// A change of a table's set of rows (insert or delete), once committed.
struct Membership {
  int32_t table = -1;
  int32_t key = 0;
  bool insert = true;
  size_t at = 0;
};

struct Predicate {
  int32_t table = -1;
  ir::Value rows = 0;
  size_t at = 0;
};

// A transaction, or all the autocommit statements of one request: what isolation is about.
struct Unit {
  int32_t instance = -1;
  bool explicit_txn = false;
  bool serializable = false;
  size_t begin = 0;
  size_t end = 0;
  bool committed = false;
  std::vector<Read> reads;
  std::vector<Predicate> predicates;
  std::map<Cell, std::pair<ir::Value, bool>> pending;  // cell -> value, blind
  std::vector<Membership> pending_rows;
  std::vector<Write> writes;
  std::vector<Membership> rows_changed;
  std::set<std::pair<int32_t, int32_t>> rows_written;  // (table, row)
};

struct Version {
  int number = 0;
  int unit = -1;
  ir::Value value = 0;
  size_t at = 0;
};

// A Redis key: declaration, element, key index.
using RedisKey = std::tuple<int32_t, int32_t, int32_t>;

struct RedisAccess {
  int32_t instance = -1;  // who read or wrote
  ir::Value value = 0;
  size_t at = 0;  // event index
};

struct LostUpdate {
  int unit = -1;          // the overwriter's unit
  int32_t victim = -1;    // instance whose committed update was lost
  Cell cell;
  ir::Value read = 0;     // what the overwriter had read
  ir::Value theirs = 0;   // what the victim committed
  ir::Value written = 0;  // what the overwriter wrote
};

// The usual fixes for each anomaly, the line that ends its explanation.
constexpr const char* kSerializableFixes =
    "\nusual fixes: run these transactions at serializable (transaction isolation serializable { ... }) and retry "
    "the one that fails with 40001; or lock the rows the decision reads (select ... for update); or make both "
    "transactions update one row that stands for the rule, so they conflict";
constexpr const char* kSnapshotFixes =
    "\nusual fixes: read what the decision needs in one statement; or run the transaction at repeatable_read, "
    "where every read sees one snapshot; or lock the rows as you read them (select ... for share, or for update)";
constexpr const char* kPredicateFixes =
    "\nusual fixes: run the transaction at serializable and retry on 40001; or lock one row that stands for the "
    "searched set (a parent row, select ... for update) before searching; or let a unique constraint enforce the "
    "rule (insert ... on conflict)";
// Write skew where a request's read and write were separate autocommit statements (round 31:
// the serializable advice spoke of a transaction the code did not have).
constexpr const char* kAutocommitSkewFixes =
    "\nusual fixes: the read and the write ran as separate statements, each its own transaction: put them in one "
    "transaction at serializable (transaction isolation serializable { ... }) and retry the one that fails with "
    "40001; or, in that transaction, lock a row that stands for the rule (select ... for update) before reading; or "
    "let a unique constraint enforce the rule (insert ... on conflict)";
// An expired lease: the fencing token, then renewal, unless the model renews already (then why
// renewal cannot close the window).
constexpr const char* kLeaseFencingFix =
    "\nusual fixes: give each holder a fencing token (INCR a counter as the lock is taken) and let the storage "
    "refuse a write with an older token; ";
constexpr const char* kLeaseRenewalFix =
    "or renew the lease while working and stop when renewal fails; keeping the work shorter than the TTL holds "
    "only while no pause outlasts it";
constexpr const char* kLeaseRenewedAlready =
    "renewing the lease, as this model does, narrows the window but cannot close it: a pause between a renewal "
    "and the work outlasts the lease all the same";
constexpr const char* kForeignDeleteFixes =
    "\nusual fixes: delete the lease only while it still holds your own value, in one step (redis.eval { if "
    "redis.GET(k) == mine { redis.DEL(k) } }); and give each holder a fencing token that the storage checks, "
    "since a lease may still run out while its holder works";
constexpr const char* kMarkerFixes =
    "\nusual fixes: make the effect itself idempotent (an upsert or a unique constraint on the message id, "
    "written with the effect); or keep the marker while the work runs and for longer than any redelivery can "
    "take; a TTL alone holds only while no pause outlasts it";
constexpr const char* kCrashedHolderFixes =
    "\nusual fixes: make the work under the lock all or nothing (one transaction, one script or MULTI/EXEC), so "
    "that a holder's death leaves nothing half done; or record each step's progress where the next holder can "
    "finish or undo it";
constexpr const char* kRedisLostUpdateFixes =
    "\nusual fixes: one atomic command (INCRBY, DECRBY, HINCRBY); or WATCH the key, change it in MULTI/EXEC and "
    "retry when EXEC is refused; or read and write in one script (redis.eval { ... })";
// The same when the lost update's writer read a key of enum values absent: a claim by
// check-then-set.
constexpr const char* kRedisClaimFixes =
    "\nusual fixes: create the key in one command, only where it is absent (SET key value NX), and go on only "
    "when it was created; or WATCH the key, set it in MULTI/EXEC and give up when EXEC is refused; or read and "
    "write in one script (redis.eval { ... })";

constexpr const char* kLostReplyFixes =
    "\nusual fix: let the request carry an idempotency key and record it in the same transaction as the work "
    "(insert ... on conflict do nothing, and work only when the insert added the row), so that a retry finds it "
    "and does nothing";
// The same when the work done twice was a Redis command (round 19: the SQL fix on a model without tables).
constexpr const char* kRedisLostReplyFixes =
    "\nusual fix: let the request carry an idempotency key, and record it and do the work in one script "
    "(redis.eval { if redis.SET(key, 1, NX) { ... } }), so that a retry finds the key and does nothing";

class Analyzer {
 public:
  Analyzer(const ir::Program& program, const std::vector<DbEvent>& events) : program_(program), events_(events) {}

  std::string Run() {
    for (size_t i = 0; i < events_.size(); ++i) Apply(i, events_[i]);
    // A reply lost after the work was done, and the work done again: the retry is the cause.
    if (!lost_reply_.empty()) return lost_reply_ + (lost_reply_in_redis_ ? kRedisLostReplyFixes : kLostReplyFixes);
    // A holder deleting another's lease lets a third in beside the second: more precise than the
    // expiry that came before it (the deleter's own lease ran out, often after its work).
    if (!foreign_delete_.empty()) return foreign_delete_ + kForeignDeleteFixes;
    // An expired lease is why two holders both read and wrote: it goes before the lost update or
    // the write skew their work made in the database or Redis (round 31: a hold guarding a
    // check-then-insert that ran out was named a write skew through phantoms).
    if (!lease_.empty() && lease_is_marker_) return lease_ + kMarkerFixes;
    if (!lease_.empty()) return lease_ + kLeaseFencingFix + (Renewed(lease_redis_) ? kLeaseRenewedAlready : kLeaseRenewalFix);
    for (const LostUpdate& lost : confirmed_) return LostUpdateText(lost) + LostUpdateFixes(lost);
    // Through phantoms, no existing row stands for the rule: locking the rows read cannot help.
    // Between autocommit statements there is no transaction to run at serializable yet.
    bool phantom = false;
    bool autocommit = false;
    if (std::string text = WriteSkew(&phantom, &autocommit); !text.empty()) {
      return text + (autocommit ? kAutocommitSkewFixes : phantom ? kPredicateFixes : kSerializableFixes);
    }
    if (std::string text = DependencyCycle(); !text.empty()) return text + kSerializableFixes;
    // Before ReadSkew: the searches read the moved row's where columns twice, which is not the
    // non-repeatable read of a value the request used.
    if (std::string text = PredicateReadSkew(); !text.empty()) return text + kPredicateFixes;
    if (std::string text = ReadSkew(); !text.empty()) return text + kSnapshotFixes;
    if (std::string text = Phantom(); !text.empty()) return text + kPredicateFixes;
    if (!crashed_lease_.empty()) return crashed_lease_ + kCrashedHolderFixes;
    if (redis_lost_.empty()) return "";
    return redis_lost_ + (redis_lost_claim_ ? kRedisClaimFixes : kRedisLostUpdateFixes);
  }

 private:
  std::string Name(int32_t instance) const { return program_.instances[instance].display_name; }

  void LostReply(int32_t instance) {
    if (!lost_reply_.empty()) return;
    lost_reply_ = fmt::format("lost reply: {0} did its work, then died before its reply reached the client; the "
                              "client sent the request again, and the retry did the work a second time",
                              Name(instance));
  }

  // Whether some command of the model on Redis declaration `redis` is `what`: per declaration,
  // not per key.
  bool AnyCommand(int32_t redis, const std::function<bool(const ir::RedisOp&)>& what) const {
    return std::any_of(program_.redis_ops.begin(), program_.redis_ops.end(),
                       [&](const ir::RedisOp& op) { return op.redis == redis && what(op); });
  }
  // Renews a lease: EXPIRE, PEXPIRE, or SET XX with a time to live.
  bool Renewed(int32_t redis) const {
    return AnyCommand(redis, [](const ir::RedisOp& op) {
      return op.ttl >= 0 && (op.command == ir::RedisCommand::kExpire || (op.command == ir::RedisCommand::kSet && op.xx));
    });
  }
  // Deletes a key.
  bool Deleted(int32_t redis) const {
    return AnyCommand(redis, [](const ir::RedisOp& op) {
      return op.command == ir::RedisCommand::kDel || op.command == ir::RedisCommand::kGetDel;
    });
  }

  std::string CellName(const Cell& cell) const {
    const ir::Table& table = program_.tables[cell.table];
    return fmt::format("{}[{}].{}", table.name, keys_.at({cell.table, cell.row}), table.columns[cell.column]);
  }

  std::string RedisKeyName(const RedisKey& key) const {
    const auto& [redis, element, index] = key;
    const ir::RedisDecl& decl = program_.redis[redis];
    return (decl.is_array ? fmt::format("{}[{}]", decl.name, decl.index_lo + element) : decl.name) + "." +
           decl.keys[index].name;
  }

  // A cell's or a key's value as the model writes it ("running" for an enum column).
  std::string CellValue(const Cell& cell, ir::Value value) const {
    const ir::Table& table = program_.tables[cell.table];
    ir::ValueType type = static_cast<size_t>(cell.column) < table.column_types.size() ? table.column_types[cell.column]
                                                                                     : ir::ValueType::Int();
    return ir::ValueText(program_, type, value);
  }

  std::string KeyValue(const RedisKey& key, ir::Value value) const {
    return ir::ValueText(program_, program_.redis[std::get<0>(key)].keys[std::get<2>(key)].type, value);
  }

  std::string RowName(int32_t table, int32_t key) const {
    return fmt::format("{}[{}]", program_.tables[table].name, key);
  }

  static Unit NewUnit(int32_t instance, bool explicit_txn, size_t at) {
    Unit unit;
    unit.instance = instance;
    unit.explicit_txn = explicit_txn;
    unit.begin = at;
    return unit;
  }

  int CurrentUnit(int32_t instance) {
    auto it = current_.find(instance);
    return it == current_.end() ? -1 : it->second;
  }

  void Apply(size_t at, const DbEvent& e) {
    if (e.table >= 0 && e.row >= 0 && !e.is_redis()) keys_[{e.table, e.row}] = e.key;
    switch (e.kind) {
      case DbEvent::Kind::kBegin: {
        if (e.value == 1) {
          // Autocommit statements of one request count together, as the request's work.
          auto it = autocommit_unit_.find(e.instance);
          if (it == autocommit_unit_.end() || it->second < 0) {
            units_.push_back(NewUnit(e.instance, false, at));
            autocommit_unit_[e.instance] = static_cast<int>(units_.size() - 1);
          }
          current_[e.instance] = autocommit_unit_[e.instance];
        } else {
          units_.push_back(NewUnit(e.instance, true, at));
          units_.back().serializable = e.serializable;
          current_[e.instance] = static_cast<int>(units_.size() - 1);
          autocommit_unit_[e.instance] = -1;
        }
        return;
      }
      case DbEvent::Kind::kRead: {
        int u = CurrentUnit(e.instance);
        if (u < 0) return;
        Cell cell{e.table, e.row, e.column};
        Read read{cell, e.value, versions_[cell].number, at};
        units_[u].reads.push_back(read);
        last_read_[{e.instance, cell}] = read;
        return;
      }
      case DbEvent::Kind::kPredicate: {
        int u = CurrentUnit(e.instance);
        if (u >= 0) units_[u].predicates.push_back({e.table, e.value, at});
        return;
      }
      case DbEvent::Kind::kWrite: {
        int u = CurrentUnit(e.instance);
        if (u < 0) return;
        Cell cell{e.table, e.row, e.column};
        units_[u].pending[cell] = {e.value, e.blind};
        // A blind write over a version committed by someone else after this request read the cell.
        auto read = last_read_.find({e.instance, cell});
        const Version& now = versions_[cell];
        if (e.blind && read != last_read_.end() && now.number > read->second.version && now.unit >= 0 &&
            units_[now.unit].instance != e.instance) {
          candidates_.push_back({u, units_[now.unit].instance, cell, read->second.value, now.value, e.value});
        }
        return;
      }
      case DbEvent::Kind::kInsert:
      case DbEvent::Kind::kDelete: {
        int u = CurrentUnit(e.instance);
        if (u >= 0) units_[u].pending_rows.push_back({e.table, e.key, e.kind == DbEvent::Kind::kInsert, at});
        return;
      }
      case DbEvent::Kind::kCommit: {
        int u = CurrentUnit(e.instance);
        if (u < 0) return;
        Unit& unit = units_[u];
        for (const auto& [cell, written] : unit.pending) {
          Version& version = versions_[cell];
          version = {version.number + 1, u, written.first, at};
          unit.writes.push_back({cell, written.first, at});
          unit.rows_written.insert({cell.table, cell.row});
        }
        for (Membership change : unit.pending_rows) {
          change.at = at;
          unit.rows_changed.push_back(change);
        }
        unit.pending.clear();
        unit.pending_rows.clear();
        unit.committed = true;
        if (e.instance == lost_reply_instance_ && (!unit.writes.empty() || !unit.rows_changed.empty())) LostReply(e.instance);
        unit.end = at;
        for (auto it = candidates_.begin(); it != candidates_.end();) {
          if (it->unit == u) {
            confirmed_.push_back(*it);
            it = candidates_.erase(it);
          } else {
            ++it;
          }
        }
        if (unit.explicit_txn) current_.erase(e.instance);
        return;
      }
      case DbEvent::Kind::kAbort: {
        int u = CurrentUnit(e.instance);
        if (u < 0) return;
        units_[u].pending.clear();
        units_[u].pending_rows.clear();
        std::erase_if(candidates_, [&](const LostUpdate& lost) { return lost.unit == u; });
        current_.erase(e.instance);
        return;
      }
      case DbEvent::Kind::kLeaseTaken: {
        RedisKey key{e.table, e.row, e.key};
        auto expired = expired_holder_.find(key);
        if (expired != expired_holder_.end() && lease_.empty() && expired->second.instance != e.instance) {
          // A value that names no holder, on a key nobody deletes, marks work as claimed (a
          // dedupe marker) rather than locking it: its fixes are not a lock's.
          lease_is_marker_ = expired->second.value == e.value && !Deleted(e.table);
          lease_redis_ = e.table;
          lease_ = lease_is_marker_
                       ? fmt::format("expired marker: {} ran out while {} was still working on what it marked, "
                                     "and {} set it again; both went ahead as the first",
                                     RedisKeyName(key), Name(expired->second.instance), Name(e.instance))
                       : fmt::format("expired lease: {} ran out while {} still worked under it, and {} took it; "
                                     "both acted as the lock's only holder",
                                     RedisKeyName(key), Name(expired->second.instance), Name(e.instance));
        }
        auto deleted = deleted_under_.find(key);
        if (deleted != deleted_under_.end() && foreign_delete_.empty() && deleted->second.second != e.instance) {
          auto [deleter, holder] = deleted->second;
          foreign_delete_ = fmt::format("deleted lease: {0} deleted {1}, which {2} held by then, and {3} took it; {2} "
                                        "and {3} both acted as the lock's only holder",
                                        Name(deleter), RedisKeyName(key), Name(holder), Name(e.instance));
        }
        // The lease of a holder that died ran out, as it is meant to: the expiry is no race, but
        // what the dead holder left half done is.
        auto dead = expired_dead_holder_.find(key);
        if (dead != expired_dead_holder_.end() && crashed_lease_.empty() && dead->second.instance != e.instance) {
          crashed_lease_ = fmt::format("crashed holder: {0} died holding {1}; the lease ran out, as it is meant to "
                                       "when its holder dies, and {2} took it and went on from what {0} had left",
                                       Name(dead->second.instance), RedisKeyName(key), Name(e.instance));
        }
        deleted_under_.erase(key);
        holder_[key] = {e.instance, e.value};
        expired_holder_.erase(key);
        dead_holder_.erase(key);
        expired_dead_holder_.erase(key);
        return;
      }
      case DbEvent::Kind::kLeaseReleased: {
        RedisKey key{e.table, e.row, e.key};
        // A DEL by anyone but the holder: a release that did not check whose lease it was.
        auto holder = holder_.find(key);
        if (holder != holder_.end() && holder->second.instance != e.instance) {
          deleted_under_[key] = {e.instance, holder->second.instance};
        }
        holder_.erase(key);
        expired_holder_.erase(key);
        dead_holder_.erase(key);
        expired_dead_holder_.erase(key);
        return;
      }
      case DbEvent::Kind::kLeaseExpired: {
        RedisKey key{e.table, e.row, e.key};
        auto holder = holder_.find(key);
        if (holder != holder_.end()) expired_holder_[key] = holder->second;
        holder_.erase(key);
        auto dead = dead_holder_.find(key);
        if (dead != dead_holder_.end()) expired_dead_holder_[key] = dead->second;
        dead_holder_.erase(key);
        return;
      }
      case DbEvent::Kind::kFailed:
        return;  // the rollback that follows says what it undid
      case DbEvent::Kind::kCrashed:
        // Its leases stay until they expire; it no longer works under them.
        for (auto it = holder_.begin(); it != holder_.end();) {
          if (it->second.instance == e.instance) {
            dead_holder_[it->first] = it->second;
            it = holder_.erase(it);
          } else {
            ++it;
          }
        }
        return;
      case DbEvent::Kind::kRedisRead:
        redis_reads_[{e.instance, RedisKey{e.table, e.row, e.key}}] = {e.instance, e.value, at};
        return;
      case DbEvent::Kind::kLostReply:
        lost_reply_instance_ = e.instance;
        return;
      case DbEvent::Kind::kRedisWrite: {
        if (e.instance == lost_reply_instance_ && lost_reply_.empty()) {
          LostReply(e.instance);
          lost_reply_in_redis_ = true;
        }
        // A SET after the writer's own GET, with another request's change in between: the
        // change is gone. (An INCR or a script reads and writes inside Redis; a refused EXEC
        // writes nothing.)
        RedisKey key{e.table, e.row, e.key};
        auto read = redis_reads_.find({e.instance, key});
        auto last = redis_writes_.find(key);
        if (e.blind && redis_lost_.empty() && read != redis_reads_.end() && last != redis_writes_.end() &&
            last->second.instance != e.instance && last->second.at > read->second.at) {
          // A key read absent and then set to a state or a marker: a claim, which no counting
          // command makes (a counter read absent, `coalesce(GET(hits), 0)`, set to what it read
          // plus one, keeps the INCR fixes; round 30's idempotency key `SET(idem, 1)` did not).
          redis_lost_claim_ = read->second.value == ir::kNull &&
                              (e.fixed_value ||
                               program_.redis[e.table].keys[e.key].type.kind == ir::ValueType::Kind::kEnum);
          std::string values = fmt::format("{} read {}, {} wrote {}, then {} wrote {}", Name(e.instance),
                                           KeyValue(key, read->second.value), Name(last->second.instance),
                                           KeyValue(key, last->second.value), Name(e.instance), KeyValue(key, e.value));
          redis_lost_ =
              redis_lost_claim_
                  ? fmt::format("check then set: {} found {} absent and set it later, after {} had set it: what "
                                "it checked no longer held when it acted ({})",
                                Name(e.instance), RedisKeyName(key), Name(last->second.instance), values)
                  : fmt::format("lost update: {} overwrote {}'s update of {} without reading it ({})", Name(e.instance),
                                Name(last->second.instance), RedisKeyName(key), values);
        }
        // A write of the value the key holds changes nothing another request could lose: the
        // last to change it stays its writer (round 19: a SET ... GET that put `running` back
        // over `running` was named an update that a later `done` lost).
        if (last != redis_writes_.end() && last->second.value == e.value) return;
        redis_writes_[key] = {e.instance, e.value, at};
        return;
      }
    }
  }

  // The usual fixes, in the model's own table, column and key; racecheck applies none of them.
  std::string LostUpdateFixes(const LostUpdate& lost) const {
    const ir::Table& table = program_.tables[lost.cell.table];
    const std::string& column = table.columns[lost.cell.column];
    std::string where = fmt::format("where {} = {}", table.columns[table.key_column],
                                    keys_.at({lost.cell.table, lost.cell.row}));
    // Arithmetic fits a number that is never NULL; a status, a flag or an owner is set, so the
    // update checks what was read.
    bool number = table.column_types[lost.cell.column].kind == ir::ValueType::Kind::kInt &&
                  !table.column_nullable[lost.cell.column];
    std::string read = "= " + CellValue(lost.cell, lost.read);
    if (lost.read == ir::kNull) {
      read = "is null";
    } else if (table.column_types[lost.cell.column].kind == ir::ValueType::Kind::kEnum) {
      read = "= '" + CellValue(lost.cell, lost.read) + "'";
    }
    std::string in_update =
        number ? fmt::format("compute the new value in the update itself (update {0} set {1} = {1} + CHANGE {2})",
                             table.name, column, where)
               : fmt::format("update only while the row still holds what was read (update {0} set {1} = NEW {2} and "
                             "{1} {3}): no row updated means another request changed it first",
                             table.name, column, where, read);
    return fmt::format("\nusual fixes: {3}; or lock the row as you read it, in the transaction that writes it "
                       "(select {1} from {0} {2} for update); or add a version column, update only where it still "
                       "holds the value read, and retry when no row matched",
                       table.name, column, where, in_update);
  }

  std::string LostUpdateText(const LostUpdate& lost) const {
    int32_t writer = units_[lost.unit].instance;
    return fmt::format("lost update: {} overwrote {}'s update of {} without reading it ({} read {}, {} committed {}, "
                       "then {} wrote {})",
                       Name(writer), Name(lost.victim), CellName(lost.cell), Name(writer), CellValue(lost.cell, lost.read),
                       Name(lost.victim), CellValue(lost.cell, lost.theirs), Name(writer),
                       CellValue(lost.cell, lost.written));
  }

  // What `reader` read (or searched) before `writer` committed a change to it, as a phrase
  // ("read doctors[2].on_call, which Doctor[1] changed"); empty if nothing.
  std::string RwDependency(const Unit& reader, const Unit& writer, bool* predicate) const {
    for (const Write& write : writer.writes) {
      for (const Read& read : reader.reads) {
        if (read.cell == write.cell && read.at < write.at) {
          return fmt::format("read {}, which {} changed", CellName(read.cell), Name(writer.instance));
        }
      }
    }
    for (const Membership& change : writer.rows_changed) {
      for (const Predicate& search : reader.predicates) {
        if (search.table == change.table && search.at < change.at) {
          *predicate = true;
          return fmt::format("searched {}, where {} then {} {}", program_.tables[change.table].name,
                             Name(writer.instance), change.insert ? "inserted" : "deleted",
                             RowName(change.table, change.key));
        }
      }
    }
    return "";
  }

  std::string WriteSkew(bool* through_phantoms, bool* autocommit) const {
    for (size_t a = 0; a < units_.size(); ++a) {
      for (size_t b = a + 1; b < units_.size(); ++b) {
        const Unit& x = units_[a];
        const Unit& y = units_[b];
        if (!x.committed || !y.committed || x.instance == y.instance) continue;
        if (!(x.begin < y.end && y.begin < x.end)) continue;
        bool phantom = false;
        std::string x_reads = RwDependency(x, y, &phantom);
        std::string y_reads = RwDependency(y, x, &phantom);
        if (x_reads.empty() || y_reads.empty()) continue;
        bool shared_row = std::any_of(x.rows_written.begin(), x.rows_written.end(),
                                      [&](const auto& row) { return y.rows_written.count(row) > 0; });
        bool shared_insert = false;
        for (const Membership& mx : x.rows_changed) {
          for (const Membership& my : y.rows_changed) shared_insert |= mx.table == my.table && mx.key == my.key;
        }
        if (shared_row || shared_insert) continue;
        *through_phantoms = phantom;
        *autocommit = !x.explicit_txn || !y.explicit_txn;
        std::string text = fmt::format("write skew{}: {} and {} ran at the same time and each changed what the other "
                                       "had read ({} {}; {} {}); they wrote different rows, so neither saw the other's "
                                       "write", phantom ? " through phantoms" : "", Name(x.instance), Name(y.instance),
                                       Name(x.instance), x_reads, Name(y.instance), y_reads);
        if (x.serializable != y.serializable) {
          // PostgreSQL's SSI sees only serializable transactions: one at a lower level escapes it.
          const Unit& lower = x.serializable ? y : x;
          text += fmt::format("; {} ran at serializable but {} did not, and serializable protects only against "
                              "transactions that also run at it: run {} at serializable too",
                              Name((x.serializable ? x : y).instance), Name(lower.instance), Name(lower.instance));
        }
        return text;
      }
    }
    return "";
  }

  // A dependency between two committed units of different requests: `to` must come after `from`
  // in any serial order. `anti` for a rw-antidependency (`from` read what `to` then changed).
  struct Dependency {
    int to = -1;
    bool anti = false;
    std::string why;  // "Doctor[0] read doctors[2].on_call, which Doctor[1] changed"
  };

  // The last committed write to `cell` before event `at`, as (unit, value); unit -1 for none.
  std::pair<int, ir::Value> LastWriteBefore(const Cell& cell, size_t at) const {
    std::pair<int, ir::Value> last{-1, 0};
    size_t last_at = 0;
    for (size_t u = 0; u < units_.size(); ++u) {
      for (const Write& write : units_[u].writes) {
        if (write.cell == cell && write.at < at && (last.first < 0 || write.at > last_at)) {
          last = {static_cast<int>(u), write.value};
          last_at = write.at;
        }
      }
    }
    return last;
  }

  std::vector<std::vector<Dependency>> Dependencies() const {
    std::vector<std::vector<Dependency>> graph(units_.size());
    for (size_t a = 0; a < units_.size(); ++a) {
      const Unit& x = units_[a];
      if (!x.committed) continue;
      for (size_t b = 0; b < units_.size(); ++b) {
        const Unit& y = units_[b];
        if (a == b || !y.committed || x.instance == y.instance) continue;
        bool predicate = false;
        if (std::string read = RwDependency(x, y, &predicate); !read.empty()) {
          graph[a].push_back({static_cast<int>(b), true, fmt::format("{} {}", Name(x.instance), read)});
          continue;
        }
        // y read what x committed (wr), or y overwrote what x committed (ww).
        std::string why;
        for (const Read& read : y.reads) {
          auto [writer, value] = LastWriteBefore(read.cell, read.at);
          if (writer == static_cast<int>(a) && value == read.value) {
            why = fmt::format("{} read {} as {} committed it", Name(y.instance), CellName(read.cell), Name(x.instance));
            break;
          }
        }
        for (const Write& mine : x.writes) {
          if (!why.empty()) break;
          for (const Write& theirs : y.writes) {
            if (mine.cell == theirs.cell && mine.at < theirs.at) {
              why = fmt::format("{} overwrote {}'s {}", Name(y.instance), Name(x.instance), CellName(mine.cell));
              break;
            }
          }
        }
        if (!why.empty()) graph[a].push_back({static_cast<int>(b), false, why});
      }
    }
    return graph;
  }

  // The shortest cycle of at least three committed transactions with a rw-antidependency in it
  // (Adya's G2; two-transaction cycles are write skews): no serial order of them gives the run.
  std::string DependencyCycle() const {
    std::vector<std::vector<Dependency>> graph = Dependencies();
    const int n = static_cast<int>(units_.size());
    constexpr int kLongest = 6;
    std::vector<const Dependency*> path;
    std::vector<bool> on_path(n, false);
    for (int length = 3; length <= std::min(n, kLongest); ++length) {
      for (int start = 0; start < n; ++start) {
        std::fill(on_path.begin(), on_path.end(), false);
        path.clear();
        if (FindCycle(graph, start, start, length, path, on_path)) return CycleText(start, path);
      }
    }
    return "";
  }

  bool FindCycle(const std::vector<std::vector<Dependency>>& graph, int start, int at, int length,
                 std::vector<const Dependency*>& path, std::vector<bool>& on_path) const {
    if (static_cast<int>(path.size()) == length) {
      return at == start && std::any_of(path.begin(), path.end(), [](const Dependency* d) { return d->anti; });
    }
    for (const Dependency& edge : graph[at]) {
      bool closes = edge.to == start && static_cast<int>(path.size()) + 1 == length;
      // Each unit once, and the start the smallest, so a cycle is found from one place only.
      if (!closes && (edge.to <= start || on_path[edge.to])) continue;
      on_path[edge.to] = true;
      path.push_back(&edge);
      if (FindCycle(graph, start, edge.to, length, path, on_path)) return true;
      path.pop_back();
      on_path[edge.to] = false;
    }
    return false;
  }

  std::string CycleText(int start, const std::vector<const Dependency*>& path) const {
    std::string order = Name(units_[start].instance);
    std::string reasons;
    for (const Dependency* edge : path) {
      order += " → " + Name(units_[edge->to].instance);
      reasons += (reasons.empty() ? "" : "; ") + edge->why;
    }
    return fmt::format("serialization anomaly (G2, a cycle of {} transactions): {}: {}; no serial order of them "
                       "gives this run",
                       path.size(), order, reasons);
  }

  // The first non-empty text `check` gives for a pair of a transaction's reads or searches, the
  // earlier one first (autocommit statements are no transaction: isolation says nothing of them).
  template <typename Item, typename Check>
  std::string InTransactions(std::vector<Item> Unit::*items, Check check) const {
    for (const Unit& unit : units_) {
      if (!unit.explicit_txn) continue;
      const std::vector<Item>& list = unit.*items;
      for (size_t i = 0; i < list.size(); ++i) {
        for (size_t j = i + 1; j < list.size(); ++j) {
          if (std::string text = check(unit, list[i], list[j]); !text.empty()) return text;
        }
      }
    }
    return "";
  }

  // The unit that committed version `number` of a cell, if known.
  std::optional<int> WriterBetween(const Cell& cell, size_t after, size_t before, int32_t not_instance) const {
    for (size_t u = 0; u < units_.size(); ++u) {
      if (units_[u].instance == not_instance) continue;
      for (const Write& write : units_[u].writes) {
        if (write.cell == cell && write.at > after && write.at < before) return static_cast<int>(u);
      }
    }
    return std::nullopt;
  }

  std::string ReadSkew() const {
    return InTransactions(&Unit::reads, [&](const Unit& unit, const Read& first, const Read& second) {
      if (first.cell == second.cell && first.version != second.version) {
        std::optional<int> writer = WriterBetween(first.cell, first.at, second.at, unit.instance);
        if (!writer) return std::string();
        return fmt::format("non-repeatable read: {} read {} twice in one transaction and got {}, then {}: {} "
                           "committed a change in between",
                           Name(unit.instance), CellName(first.cell), CellValue(first.cell, first.value),
                           CellValue(second.cell, second.value),
                           Name(units_[*writer].instance));
      }
      if (first.cell.row == second.cell.row && first.cell.table == second.cell.table) return std::string();
      // A writer that committed both cells between the two reads: the reader saw half of it.
      for (size_t u = 0; u < units_.size(); ++u) {
        const Unit& writer = units_[u];
        if (writer.instance == unit.instance) continue;
        bool wrote_first = false;
        bool wrote_second = false;
        for (const Write& write : writer.writes) {
          if (write.at <= first.at || write.at >= second.at) continue;
          wrote_first |= write.cell == first.cell;
          wrote_second |= write.cell == second.cell;
        }
        if (!wrote_first || !wrote_second) continue;
        return fmt::format("read skew: {} read {} before and {} after {} committed a change to both, in one "
                           "transaction: it saw a state of the database that never existed",
                           Name(unit.instance), CellName(first.cell), CellName(second.cell),
                           Name(writer.instance));
      }
      return std::string();
    });
  }

  std::string Phantom() const {
    return InTransactions(&Unit::predicates, [&](const Unit& unit, const Predicate& first, const Predicate& second) {
      if (first.table != second.table || first.rows == second.rows) return std::string();
      for (const Unit& writer : units_) {
        if (writer.instance == unit.instance) continue;
        for (const Membership& change : writer.rows_changed) {
          if (change.table != first.table || change.at <= first.at || change.at >= second.at) continue;
          return fmt::format("phantom: {} searched {} twice in one transaction and found different rows: {} "
                             "{} {} in between",
                             Name(unit.instance), program_.tables[first.table].name, Name(writer.instance),
                             change.insert ? "inserted" : "deleted", RowName(change.table, change.key));
        }
      }
      return std::string();
    });
  }

  // Two searches of a table in one transaction, with a committed update (no insert or delete:
  // that is a phantom) of a row either search found in between: the second search's rows come
  // from another state of the table than the first's. Read skew through a predicate.
  std::string PredicateReadSkew() const {
    return InTransactions(&Unit::predicates, [&](const Unit& unit, const Predicate& first, const Predicate& second) {
      if (first.table != second.table) return std::string();
      ir::Value found = first.rows | second.rows;
      for (const Unit& writer : units_) {
        if (writer.instance == unit.instance) continue;
        for (const Write& write : writer.writes) {
          if (write.cell.table != first.table || write.at <= first.at || write.at >= second.at) continue;
          if (write.cell.row >= 31 || !(found & (ir::Value{1} << write.cell.row))) continue;
          int32_t key = keys_.at({first.table, write.cell.row});
          bool inserted_or_deleted = std::any_of(
              writer.rows_changed.begin(), writer.rows_changed.end(),
              [&](const Membership& change) { return change.table == first.table && change.key == key; });
          if (inserted_or_deleted) continue;
          return fmt::format("read skew through a predicate: {} searched {} twice in one transaction, and {} "
                             "committed {} = {} in between: the second search found its rows in a state of the "
                             "table the first did not see",
                             Name(unit.instance), program_.tables[first.table].name, Name(writer.instance),
                             CellName(write.cell), CellValue(write.cell, write.value));
        }
      }
      return std::string();
    });
  }

  const ir::Program& program_;
  const std::vector<DbEvent>& events_;
  std::vector<Unit> units_;
  std::map<int32_t, int> current_;           // instance -> unit of its running transaction
  std::map<int32_t, int> autocommit_unit_;   // instance -> unit of its autocommit statements
  std::map<Cell, Version> versions_;
  std::map<std::pair<int32_t, Cell>, Read> last_read_;  // (instance, cell) -> its last read
  std::map<std::pair<int32_t, int32_t>, int32_t> keys_;  // (table, row) -> key
  std::vector<LostUpdate> candidates_;
  std::vector<LostUpdate> confirmed_;
  struct Holder {
    int32_t instance = -1;
    ir::Value value = 0;  // what it set the key to
  };
  std::map<RedisKey, Holder> holder_;          // lease -> who took it
  std::map<RedisKey, Holder> expired_holder_;  // lease expired under -> who had taken it
  std::string lease_;
  std::map<RedisKey, Holder> dead_holder_;          // lease -> who took it and then died
  std::map<RedisKey, Holder> expired_dead_holder_;  // lease expired after its holder died -> who
  std::string crashed_lease_;
  bool lease_is_marker_ = false;
  int32_t lease_redis_ = -1;  // the Redis instance of lease_'s key
  // lease -> (who deleted it, who held it then), until somebody takes it again.
  std::map<RedisKey, std::pair<int32_t, int32_t>> deleted_under_;
  std::string foreign_delete_;
  std::map<std::pair<int32_t, RedisKey>, RedisAccess> redis_reads_;  // (instance, key) -> its last GET
  std::map<RedisKey, RedisAccess> redis_writes_;                     // key -> its last change by a command
  std::string redis_lost_;
  bool redis_lost_claim_ = false;  // its writer had read a key of enum values absent (a claim)
  // The instance whose reply was lost, until its retry commits work again; then the text.
  int32_t lost_reply_instance_ = -1;
  bool lost_reply_in_redis_ = false;  // the work the retry did again was a Redis command
  std::string lost_reply_;
};

}  // namespace

std::string Explain(const ir::Program& program, const std::vector<DbEvent>& events) {
  if (events.empty()) return "";
  return Analyzer(program, events).Run();
}

}  // namespace racecheck::explore
