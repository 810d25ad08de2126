#include "checker/explore/anomaly.h"

#include <algorithm>
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

class Analyzer {
 public:
  Analyzer(const ir::Program& program, const std::vector<DbEvent>& events) : program_(program), events_(events) {}

  std::string Run() {
    for (size_t i = 0; i < events_.size(); ++i) Apply(i, events_[i]);
    for (const LostUpdate& lost : confirmed_) return LostUpdateText(lost);
    if (std::string text = WriteSkew(); !text.empty()) return text;
    if (std::string text = ReadSkew(); !text.empty()) return text;
    if (std::string text = Phantom(); !text.empty()) return text;
    // An expired lease is why two holders both read and wrote: it goes before the lost update.
    return lease_.empty() ? redis_lost_ : lease_;
  }

 private:
  std::string Name(int32_t instance) const { return program_.instances[instance].display_name; }

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
        if (expired != expired_holder_.end() && lease_.empty() && expired->second != e.instance) {
          lease_ = fmt::format("expired lease: {} ran out while {} still worked under it, and {} took it; both "
                               "acted as the lock's only holder",
                               RedisKeyName(key), Name(expired->second), Name(e.instance));
        }
        holder_[key] = e.instance;
        expired_holder_.erase(key);
        return;
      }
      case DbEvent::Kind::kLeaseReleased:
        holder_.erase({e.table, e.row, e.key});
        expired_holder_.erase({e.table, e.row, e.key});
        return;
      case DbEvent::Kind::kLeaseExpired: {
        RedisKey key{e.table, e.row, e.key};
        auto holder = holder_.find(key);
        if (holder != holder_.end()) expired_holder_[key] = holder->second;
        holder_.erase(key);
        return;
      }
      case DbEvent::Kind::kRedisRead:
        redis_reads_[{e.instance, RedisKey{e.table, e.row, e.key}}] = {e.instance, e.value, at};
        return;
      case DbEvent::Kind::kRedisWrite: {
        // A SET after the writer's own GET, with another request's change in between: the
        // change is gone. (An INCR or a script reads and writes inside Redis; a refused EXEC
        // writes nothing.)
        RedisKey key{e.table, e.row, e.key};
        auto read = redis_reads_.find({e.instance, key});
        auto last = redis_writes_.find(key);
        if (e.blind && redis_lost_.empty() && read != redis_reads_.end() && last != redis_writes_.end() &&
            last->second.instance != e.instance && last->second.at > read->second.at) {
          redis_lost_ = fmt::format("lost update: {} overwrote {}'s update of {} without reading it ({} read {}, {} "
                                    "wrote {}, then {} wrote {})",
                                    Name(e.instance), Name(last->second.instance), RedisKeyName(key), Name(e.instance),
                                    KeyValue(key, read->second.value), Name(last->second.instance),
                                    KeyValue(key, last->second.value), Name(e.instance), KeyValue(key, e.value));
        }
        redis_writes_[key] = {e.instance, e.value, at};
        return;
      }
    }
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

  std::string WriteSkew() const {
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
        return fmt::format("write skew{}: {} and {} ran at the same time and each changed what the other had read "
                           "({} {}; {} {}); they wrote different rows, so neither saw the other's write",
                           phantom ? " through phantoms" : "", Name(x.instance), Name(y.instance), Name(x.instance),
                           x_reads, Name(y.instance), y_reads);
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
    for (const Unit& unit : units_) {
      if (!unit.explicit_txn) continue;
      for (size_t i = 0; i < unit.reads.size(); ++i) {
        for (size_t j = i + 1; j < unit.reads.size(); ++j) {
          const Read& first = unit.reads[i];
          const Read& second = unit.reads[j];
          if (first.cell == second.cell && first.version != second.version) {
            std::optional<int> writer = WriterBetween(first.cell, first.at, second.at, unit.instance);
            if (!writer) continue;
            return fmt::format("non-repeatable read: {} read {} twice in one transaction and got {}, then {}: {} "
                               "committed a change in between",
                               Name(unit.instance), CellName(first.cell), CellValue(first.cell, first.value),
                               CellValue(second.cell, second.value),
                               Name(units_[*writer].instance));
          }
          if (first.cell.row == second.cell.row && first.cell.table == second.cell.table) continue;
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
        }
      }
    }
    return "";
  }

  std::string Phantom() const {
    for (const Unit& unit : units_) {
      if (!unit.explicit_txn) continue;
      for (size_t i = 0; i < unit.predicates.size(); ++i) {
        for (size_t j = i + 1; j < unit.predicates.size(); ++j) {
          const Predicate& first = unit.predicates[i];
          const Predicate& second = unit.predicates[j];
          if (first.table != second.table || first.rows == second.rows) continue;
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
        }
      }
    }
    return "";
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
  std::map<RedisKey, int32_t> holder_;          // lease -> instance
  std::map<RedisKey, int32_t> expired_holder_;  // lease expired under -> instance
  std::string lease_;
  std::map<std::pair<int32_t, RedisKey>, RedisAccess> redis_reads_;  // (instance, key) -> its last GET
  std::map<RedisKey, RedisAccess> redis_writes_;                     // key -> its last change by a command
  std::string redis_lost_;
};

}  // namespace

std::string Explain(const ir::Program& program, const std::vector<DbEvent>& events) {
  if (events.empty()) return "";
  return Analyzer(program, events).Run();
}

}  // namespace racecheck::explore
