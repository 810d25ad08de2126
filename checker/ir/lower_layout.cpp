// Lowering of the state layout: params, variables, locks, tables, Redis keys and each instance's block.
#include "checker/ir/lowerer.h"

namespace racecheck::ir::lowering {

using ast::ExprKind;
using ast::RefKind;
using ast::StmtKind;

void Lowerer::LayOutGlobals() {
  for (const ast::ParamDecl& p : model_.params) {
    Param param{p.name, static_cast<Value>(p.lo->int_value), static_cast<Value>(p.hi->int_value), 0, p.range};
    param.slot = AddSlot({.name = p.name});
    program_.params.push_back(param);
  }
  // Shared variables first, then ghosts, so every replica's shared memory is contiguous.
  for (bool ghost : {false, true}) {
    for (size_t i = 0; i < model_.vars.size(); ++i) {
      const ast::VarDecl& decl = model_.vars[i];
      if (decl.ghost == ghost) LayOutVariable(decl, static_cast<int>(i));
    }
  }
  for (const ast::LockDecl& decl : model_.locks) {
    Lock lock;
    lock.name = decl.name;
    lock.is_array = decl.shape != nullptr;
    lock.index_lo = decl.shape ? static_cast<int32_t>(decl.shape->index_lo) : 0;
    lock.size = decl.shape ? static_cast<int32_t>(decl.shape->size) : 1;
    lock.copies = program_.replicas;
    lock.range = decl.range;
    lock.first_slot = program_.slot_count;
    for (int32_t copy = 0; copy < lock.copies; ++copy) {
      for (int32_t i = 0; i < lock.size; ++i) {
        AddSlot({.name = "lock " + CopyPrefix(lock.copies, copy) + ElementName(lock.name, lock.is_array, lock.index_lo + i),
                 .is_lock = true});
      }
    }
    program_.locks.push_back(std::move(lock));
  }
  if (model_.replica_crash.declared) {
    const ast::ReplicaCrashDecl& decl = model_.replica_crash;
    program_.replica_crash_bound = decl.bound ? static_cast<int32_t>(decl.bound->int_value) : 1;
    program_.replica_crash_slot = AddSlot({.name = "replica crashes", .hidden = true});
    program_.replica_crash_statement = static_cast<int32_t>(program_.statements.size());
    for (int32_t r = 0; r < program_.replicas; ++r) {
      program_.statements.push_back({.range = decl.range, .text = "crashes", .called_from = {}});
    }
  }
}

void Lowerer::LayOutVariable(const ast::VarDecl& decl, int ast_index) {
  Variable var;
  var.name = decl.name;
  var.kind = decl.ghost ? VarKind::kGhost : VarKind::kShared;
  var.type = TypeOf(decl.type);
  var.is_array = decl.shape != nullptr;
  var.index_lo = decl.shape ? static_cast<int32_t>(decl.shape->index_lo) : 0;
  var.size = decl.shape ? static_cast<int32_t>(decl.shape->size) : 1;
  // In-process memory exists once per replica; ghosts are the observer's, so once.
  var.copies = decl.ghost ? 1 : program_.replicas;
  var.range = decl.range;
  for (int32_t i = 0; i < var.size; ++i) {
    const ast::Expr& init = decl.init_is_list ? *decl.init[i] : *decl.init[0];
    std::optional<Value> constant = ConstantValue(init);
    var.initial.push_back(constant.value_or(0));
    if (!constant) {
      var.initial_exprs.resize(var.size, -1);
      var.initial_exprs[i] = LowerExpr(init, ExprContext::kProperty);
    }
  }
  var.first_slot = program_.slot_count;
  for (int32_t copy = 0; copy < var.copies; ++copy) {
    for (int32_t i = 0; i < var.size; ++i) {
      AddSlot({.name = CopyPrefix(var.copies, copy) + ElementName(var.name, var.is_array, var.index_lo + i),
               .type = var.type});
    }
  }
  var_index_[ast_index] = static_cast<int32_t>(program_.vars.size());
  program_.vars.push_back(std::move(var));
}

void Lowerer::LayOutInstances() {
  int32_t round_robin = 0;
  for (size_t p = 0; p < program_.processes.size(); ++p) {
    const ast::ProcessDecl& decl = model_.processes[p];
    Process& process = program_.processes[p];
    process.db = DbOffsets(process, needs_[p]);
    for (int32_t self = 0; self < process.instance_count; ++self) {
      Instance instance;
      instance.process = static_cast<int32_t>(p);
      instance.self = self;
      instance.replica = round_robin++ % program_.replicas;
      if (decl.replica) instance.replica = ReplicaOf(*decl.replica, self);
      instance.display_name = process.instance_count > 1 ? fmt::format("{}[{}]", process.name, self) : process.name;
      instance.base_slot = program_.slot_count;
      int32_t index = static_cast<int32_t>(program_.instances.size());
      AddSlot({.name = instance.display_name + ".pc", .is_pc = true, .instance = index});
      for (size_t l = 0; l < process.local_names.size(); ++l) {
        AddSlot({.name = process.local_names[l],
                 .type = process.local_types[l],
                 .hidden = hidden_local_[p].count(l) > 0,
                 .instance = index});
      }
      LayOutInstanceDb(needs_[p], instance.display_name, index, instance.base_slot);
      program_.instances.push_back(std::move(instance));
    }
  }
}

// `on replica e`: e may use self and constants only (arithmetic, comparisons, if-then-else on
// them), evaluated here once per instance.
int32_t Lowerer::ReplicaOf(const ast::Expr& e, int32_t self) {
  std::optional<int64_t> value = EvaluateWithSelf(e, self);
  if (!value) {
    diags_.Error(e.range.begin, "a replica number may use only 'self', numbers, constants, arithmetic, comparisons and "
                                "'if ... then ... else'");
    return 0;
  }
  if (*value < 0 || *value >= program_.replicas) {
    diags_.Error(e.range.begin, fmt::format("instance {} would run on replica {}, but replicas are numbered 0 to {}",
                                            self, *value, program_.replicas - 1));
    return 0;
  }
  return static_cast<int32_t>(*value);
}

std::optional<int64_t> Lowerer::EvaluateWithSelf(const ast::Expr& e, int64_t self) {
  switch (e.kind) {
    case ExprKind::kInt: return e.int_value;
    case ExprKind::kBool: return e.bool_value ? 1 : 0;
    case ExprKind::kSelf: return self;
    case ExprKind::kUnary: {
      auto v = EvaluateWithSelf(*e.operands[0], self);
      if (!v) return std::nullopt;
      return e.unary_op == ast::UnaryOp::kNeg ? -*v : static_cast<int64_t>(*v == 0);
    }
    // `on replica if self < 2 then 0 else 1` (round 19); conditions are 1 or 0.
    case ExprKind::kCond: {
      auto c = EvaluateWithSelf(*e.operands[0], self);
      if (!c) return std::nullopt;
      return EvaluateWithSelf(*e.operands[*c ? 1 : 2], self);
    }
    case ExprKind::kBinary: {
      auto a = EvaluateWithSelf(*e.operands[0], self);
      auto b = EvaluateWithSelf(*e.operands[1], self);
      if (!a || !b) return std::nullopt;
      switch (e.binary_op) {
        case ast::BinaryOp::kAdd: return *a + *b;
        case ast::BinaryOp::kSub: return *a - *b;
        case ast::BinaryOp::kMul: return *a * *b;
        case ast::BinaryOp::kDiv: return *b == 0 ? std::nullopt : std::optional<int64_t>(*a / *b);
        case ast::BinaryOp::kMod: return *b == 0 ? std::nullopt : std::optional<int64_t>(*a % *b);
        case ast::BinaryOp::kLt: return *a < *b;
        case ast::BinaryOp::kLe: return *a <= *b;
        case ast::BinaryOp::kGt: return *a > *b;
        case ast::BinaryOp::kGe: return *a >= *b;
        case ast::BinaryOp::kEq: return *a == *b;
        case ast::BinaryOp::kNe: return *a != *b;
        case ast::BinaryOp::kAnd: return *a && *b;
        case ast::BinaryOp::kOr: return *a || *b;
        default: return std::nullopt;
      }
    }
    default: return std::nullopt;
  }
}

Lowerer::Needs Lowerer::CollectNeeds(const ast::Block& body) {
  Needs needs;
  CollectBlock(body, "", needs);
  return needs;
}

void Lowerer::CollectStmt(const ast::Stmt& s, const std::string& isolation, Needs& needs) {
  if (s.sql) CollectSql(*s.sql, isolation, needs);
  if (s.redis) CollectRedis(*s.redis, isolation, needs);
  for (const ast::Expr* e : {s.value.get(), s.value2.get(), s.target_index.get()}) {
    if (e) CollectExpr(*e, isolation, needs);
  }
  std::string inner = isolation;
  if (s.kind == StmtKind::kTransaction) {
    needs.sql = true;  // its begin and commit keep transaction state, even with no SQL inside
    inner = IsolationOf(s);
    if (inner == "serializable") needs.serializable = true;
  }
  CollectBlock(s.inlined, isolation, needs);
  CollectBlock(s.body, inner, needs);
  CollectBlock(s.else_body, s.kind == StmtKind::kTransaction ? isolation : inner, needs);
}

void Lowerer::CollectSql(const ast::Sql& sql, const std::string& isolation, Needs& needs) {
  needs.sql = true;
  needs.tables.insert(sql.table);
  if (isolation == "repeatable_read" || isolation == "serializable") needs.snapshot_tables.insert(sql.table);
  if (sql.kind == ast::SqlKind::kInsert) ++needs.inserts[sql.table];
  for (const ast::SetItem& set : sql.sets) CollectExpr(*set.value, isolation, needs);
  for (const ast::ExprPtr& v : sql.values) CollectExpr(*v, isolation, needs);
  if (sql.where) CollectExpr(*sql.where, isolation, needs);
}

void Lowerer::CollectRedis(const ast::RedisCall& call, const std::string& isolation, Needs& needs) {
  if (call.command == "WATCH") needs.watched.insert(call.instance);
  int key = call.args.empty() ? 0 : call.args[0].value->ref.index;
  if (call.command == "SET") {
    for (const ast::CallArg& arg : call.args) {
      if (arg.option == "PX" || arg.option == "EX") needs.ttl_keys.insert((call.instance << 16) | key);
    }
  }
  if (call.command == "EXPIRE" || call.command == "PEXPIRE") needs.ttl_keys.insert((call.instance << 16) | key);
  for (const ast::CallArg& arg : call.args) CollectExpr(*arg.value, isolation, needs);
  if (call.instance_index) CollectExpr(*call.instance_index, isolation, needs);
  CollectBlock(call.body, isolation, needs);
}

// "email", "(org, email)": a unique constraint's columns, for messages.
std::string Lowerer::ColumnList(const Table& table, const std::vector<int32_t>& columns) {
  std::string names;
  for (int32_t c : columns) names += (names.empty() ? "" : ", ") + table.columns[c];
  return columns.size() == 1 ? names : "(" + names + ")";
}

// The key, `email unique` and `unique (org, email)` become Table::uniques; `check (...)` Table::checks.
void Lowerer::LowerConstraints(const ast::TableDecl& decl, Table& table) {
  auto add = [&](std::vector<int32_t> columns) {
    std::sort(columns.begin(), columns.end());
    columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
    if (std::find(table.uniques.begin(), table.uniques.end(), columns) == table.uniques.end()) {
      table.uniques.push_back(std::move(columns));
    }
  };
  add({table.key_column});
  for (size_t c = 0; c < decl.columns.size(); ++c) {
    if (decl.columns[c].is_unique) add({static_cast<int32_t>(c)});
  }
  for (const ast::UniqueConstraint& unique : decl.uniques) add({unique.columns.begin(), unique.columns.end()});
  // As in PostgreSQL a check fails only when false: NULL, unknown, passes (`check (discount >= 0)`
  // on a row whose discount is null), so it follows SQL's rule and unknown counts as true.
  for (const ast::ExprPtr& check : decl.checks) {
    table.checks.push_back(Binary(ExprOp::kCoalesce, LowerSqlExpr(*check), Const(1)));
    table.check_lines.push_back(check->range.begin.line);
  }
}

void Lowerer::LayOutTables() {
  bool serializable = std::any_of(needs_.begin(), needs_.end(), [](const Needs& n) { return n.serializable; });
  for (size_t t = 0; t < model_.tables.size(); ++t) {
    const ast::TableDecl& decl = model_.tables[t];
    Table table;
    table.name = decl.name;
    table.range = decl.range;
    for (size_t c = 0; c < decl.columns.size(); ++c) {
      table.columns.push_back(decl.columns[c].name);
      table.column_types.push_back(TypeOf(decl.columns[c].type));
      table.column_nullable.push_back(decl.columns[c].nullable);
      if (decl.columns[c].is_key) table.key_column = static_cast<int32_t>(c);
    }
    LowerConstraints(decl, table);
    std::vector<std::set<std::vector<Value>>> seen(table.uniques.size());
    for (size_t r = 0; r < decl.rows.size(); ++r) {
      std::vector<Value> row;
      std::vector<bool> known;  // a column whose initial value is a constant (not a parameter)
      for (size_t c = 0; c < decl.rows[r].size(); ++c) {
        std::optional<Value> constant = ConstantValue(*decl.rows[r][c]);
        row.push_back(constant.value_or(0));
        known.push_back(constant.has_value());
        if (constant) continue;
        table.initial_exprs.resize(decl.rows.size(), std::vector<int32_t>(decl.columns.size(), -1));
        table.initial_exprs[r][c] = LowerExpr(*decl.rows[r][c], ExprContext::kProperty);
      }
      for (size_t u = 0; u < table.uniques.size(); ++u) {
        std::vector<Value> values;
        // NULL agrees with nothing, as in PostgreSQL's unique indexes; a parameter's value is not
        // known here.
        bool comparable = true;
        for (int32_t c : table.uniques[u]) {
          values.push_back(row[c]);
          comparable = comparable && known[c] && row[c] != kNull;
        }
        if (!comparable || seen[u].insert(values).second) continue;
        std::string what = u == 0 ? fmt::format("the key {}; a primary key is unique", values[0])
                                  : fmt::format("the same {}; it is declared unique", ColumnList(table, table.uniques[u]));
        diags_.Error(decl.row_ranges[r].begin, fmt::format("two rows of table '{}' have {}", decl.name, what));
        break;
      }
      table.initial_rows.push_back(std::move(row));
    }
    int64_t capacity = static_cast<int64_t>(table.initial_rows.size());
    table.room_declared = decl.room != nullptr;
    for (size_t p = 0; p < model_.processes.size() && !table.room_declared; ++p) {
      auto it = needs_[p].inserts.find(static_cast<int>(t));
      if (it == needs_[p].inserts.end()) continue;
      const ast::ProcessDecl& process = model_.processes[p];
      int64_t instances = process.count ? process.count->int_value : 1;
      // A request sent again after a crash inserts again: one row per attempt.
      int64_t attempts = 1 + (process.crash_retries ? process.crash_retries->int_value : 0);
      capacity += it->second * instances * attempts;
    }
    if (table.room_declared) capacity = ConstantValue(*decl.room).value_or(1);
    table.capacity = static_cast<int32_t>(std::max<int64_t>(capacity, 1));
    table.first_slot = program_.slot_count;
    for (int32_t r = 0; r < table.capacity; ++r) {
      std::string row = r < static_cast<int32_t>(table.initial_rows.size())
                            ? fmt::format("{}[{}]", table.name, table.initial_rows[r][table.key_column])
                            : fmt::format("{}[row {}]", table.name, r + 1);
      AddSlot({.name = row + " exists", .type = ValueType::Bool()});
      for (int32_t c = 0; c < table.column_count(); ++c) {
        AddSlot({.name = row + "." + table.columns[c], .type = table.column_types[c]});
      }
      AddSlot({.name = "row lock " + row, .is_lock = true});
      AddSlot({.name = "row lock queue " + row, .is_lock = true, .hidden = true});
      AddSlot({.name = row + " dirty", .type = ValueType::Bool(), .hidden = true});
      AddSlot({.name = row + " exists, uncommitted", .type = ValueType::Bool()});
      for (int32_t c = 0; c < table.column_count(); ++c) {
        AddSlot({.name = row + "." + table.columns[c] + ", uncommitted", .type = table.column_types[c]});
      }
    }
    if (serializable) {
      table.summary_slot = program_.slot_count;
      for (int32_t r = 0; r <= table.capacity; ++r) {
        AddSlot({.name = fmt::format("{} ssi summary {}", table.name, r), .hidden = true});
      }
    }
    program_.tables.push_back(std::move(table));
  }
}

void Lowerer::LayOutRedis() {
  for (size_t d = 0; d < model_.redis.size(); ++d) {
    const ast::RedisDecl& decl = model_.redis[d];
    RedisDecl redis;
    redis.name = decl.name;
    redis.range = decl.range;
    redis.is_array = decl.shape != nullptr;
    redis.index_lo = decl.shape ? static_cast<int32_t>(decl.shape->index_lo) : 0;
    redis.size = decl.shape ? static_cast<int32_t>(decl.shape->size) : 1;
    std::vector<int32_t>& first_members = redis_key_first_.emplace_back();
    for (size_t k = 0; k < decl.keys.size(); ++k) {
      const ast::RedisKey& key = decl.keys[k];
      first_members.push_back(static_cast<int32_t>(redis.keys.size()));
      RedisKey lowered;
      lowered.name = key.name;
      lowered.range = key.range;
      lowered.initially_present = key.initial != nullptr;
      lowered.initial = key.initial ? ConstantValue(*key.initial).value_or(0) : 0;
      lowered.type = TypeOf(key.type);
      if (key.IsCollection()) {
        lowered.kind = key.IsList() ? RedisKeyKind::kList : key.IsHash() ? RedisKeyKind::kHash : RedisKeyKind::kSet;
        lowered.capacity = static_cast<int32_t>(ConstantValue(*key.bound).value_or(1));
        // A set's members and a hash's fields are kept in ascending order (program.h), with the values alongside.
        std::vector<std::pair<Value, Value>> elements;
        for (size_t i = 0; i < key.elements.size(); ++i) {
          elements.push_back({ConstantValue(*key.elements[i]).value_or(0),
                              key.IsHash() ? ConstantValue(*key.values[i]).value_or(0) : 0});
        }
        if (!key.IsList()) std::sort(elements.begin(), elements.end());
        for (const auto& [element, value] : elements) {
          lowered.initial_elements.push_back(element);
          if (key.IsHash()) lowered.initial_values.push_back(value);
        }
        lowered.initially_present = !lowered.initial_elements.empty();
      }
      bool ttl = std::any_of(needs_.begin(), needs_.end(), [&](const Needs& n) {
        return n.ttl_keys.count((static_cast<int>(d) << 16) | static_cast<int>(k)) > 0;
      });
      // A key family is its members, each a key of its own in the state (docs/semantics.md, "Redis").
      if (key.shape) {
        lowered.family = key.name;
        lowered.family_lo = static_cast<int32_t>(key.shape->index_lo);
        lowered.family_size = static_cast<int32_t>(key.shape->size);
      }
      for (int32_t m = 0; m < std::max(lowered.family_size, 1); ++m) {
        RedisKey member = lowered;
        if (key.shape) member.name = fmt::format("{}[{}]", key.name, lowered.family_lo + m);
        member.offset = redis.stride;
        redis.stride += member.Width();
        if (ttl) {
          Statement statement;
          statement.range = key.range;
          statement.text = fmt::format("{} expires", member.name);
          program_.statements.push_back(std::move(statement));
          member.expire_statement = static_cast<int32_t>(program_.statements.size() - 1);
        }
        redis.keys.push_back(std::move(member));
      }
    }
    redis.first_slot = program_.slot_count;
    for (int32_t e = 0; e < redis.size; ++e) {
      std::string owner = redis.is_array ? fmt::format("{}[{}]", redis.name, redis.index_lo + e) : redis.name;
      for (const RedisKey& key : redis.keys) {
        if (key.IsCollection()) {
          // The count slot carries the key's name: traces show the whole list, hash or set there.
          AddSlot({.name = owner + "." + key.name});
          for (int32_t i = 0; i < key.capacity; ++i) {
            if (key.IsHash()) {
              AddSlot({.name = fmt::format("{}.{} field {}", owner, key.name, i), .type = key.type, .hidden = true});
              AddSlot({.name = fmt::format("{}.{} value {}", owner, key.name, i), .hidden = true});
              continue;
            }
            AddSlot({.name = fmt::format("{}.{}[{}]", owner, key.name, i), .type = key.type, .hidden = true});
          }
          continue;
        }
        AddSlot({.name = owner + "." + key.name, .type = key.type});
        AddSlot({.name = owner + "." + key.name + " present", .type = ValueType::Bool(), .hidden = true});
        AddSlot({.name = owner + "." + key.name + " ttl", .type = ValueType::Bool(), .hidden = true});
      }
    }
    program_.redis.push_back(std::move(redis));
  }
}

// The database and Redis block of one instance, after its locals (ProcessDb).
void Lowerer::LayOutInstanceDb(const Needs& needs, const std::string& owner, int32_t index, int32_t base) {
  auto add = [&](const std::string& name, bool hidden) {
    SlotInfo info{.name = owner + " " + name, .hidden = hidden, .instance = index};
    return AddSlot(std::move(info)) - base;
  };
  if (needs.sql) {
    const char* names[kTxnSlotCount] = {"transaction",   "isolation", "failure", "failed statement", "waits for",
                                        "ssi status",    "ssi in",    "ssi out", "ssi concurrent"};
    for (int32_t k = 0; k < kTxnSlotCount; ++k) {
      int32_t slot = add(names[k], k != kTxnFailure && k != kTxnStatementOpen) + base;
      if (k == kTxnFailure) program_.slots[slot].is_failure = true;
    }
  }
  for (size_t t = 0; t < program_.tables.size(); ++t) {
    if (!needs.tables.count(static_cast<int>(t))) continue;
    const Table& table = program_.tables[t];
    for (int32_t r = 0; r <= table.capacity; ++r) add(fmt::format("{} flags {}", table.name, r), true);
    if (!needs.snapshot_tables.count(static_cast<int>(t))) continue;
    for (int32_t r = 0; r < table.capacity; ++r) {
      for (int32_t c = 0; c <= table.column_count(); ++c) add(fmt::format("{} snapshot {}.{}", table.name, r, c), true);
    }
  }
  for (size_t d = 0; d < program_.redis.size(); ++d) {
    if (!needs.watched.count(static_cast<int>(d))) continue;
    const RedisDecl& redis = program_.redis[d];
    for (int32_t e = 0; e < redis.size; ++e) {
      for (const RedisKey& key : redis.keys) add(fmt::format("watches {}[{}].{}", redis.name, e, key.name), true);
    }
  }
}

// Offsets of the block LayOutInstanceDb lays out, the same for every instance of a process.
ProcessDb Lowerer::DbOffsets(const Process& process, const Needs& needs) const {
  ProcessDb db;
  int32_t offset = 1 + static_cast<int32_t>(process.local_names.size());
  if (needs.sql) {
    db.txn = offset;
    offset += kTxnSlotCount;
  }
  db.row_flags.assign(program_.tables.size(), -1);
  db.snapshot.assign(program_.tables.size(), -1);
  for (size_t t = 0; t < program_.tables.size(); ++t) {
    if (!needs.tables.count(static_cast<int>(t))) continue;
    const Table& table = program_.tables[t];
    db.row_flags[t] = offset;
    offset += table.capacity + 1;
    if (!needs.snapshot_tables.count(static_cast<int>(t))) continue;
    db.snapshot[t] = offset;
    offset += table.capacity * (table.column_count() + 1);
  }
  db.watches.assign(program_.redis.size(), -1);
  for (size_t d = 0; d < program_.redis.size(); ++d) {
    if (!needs.watched.count(static_cast<int>(d))) continue;
    db.watches[d] = offset;
    offset += program_.redis[d].size * static_cast<int32_t>(program_.redis[d].keys.size());
  }
  return db;
}

void Lowerer::CheckSerializableLimit() {
  bool serializable = std::any_of(needs_.begin(), needs_.end(), [](const Needs& n) { return n.serializable; });
  if (serializable && program_.instances.size() > static_cast<size_t>(kMaxSsiInstances)) {
    // Point at the declaration with the most instances: the count to lower.
    std::vector<int32_t> per_process(model_.processes.size(), 0);
    for (const Instance& inst : program_.instances) {
      if (inst.process >= 0 && static_cast<size_t>(inst.process) < per_process.size()) ++per_process[inst.process];
    }
    auto largest = std::max_element(per_process.begin(), per_process.end());
    base::SourceLocation at = largest == per_process.end() ? model_.range.begin
                                                           : model_.processes[largest - per_process.begin()].range.begin;
    diags_.Error(at, fmt::format("a model with serializable transactions may run at most {} process instances "
                                 "(SSI keeps a conflict set per instance); this one runs {}", kMaxSsiInstances,
                                 program_.instances.size()));
  }
}

}  // namespace racecheck::ir::lowering
