#include "checker/ir/lower.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "checker/ast/printer.h"

namespace racecheck::ir {
namespace {

using ast::ExprKind;
using ast::RefKind;
using ast::StmtKind;

// Byte offset of a 1-based code-point column in a UTF-8 line.
size_t ByteOffset(std::string_view line, int column) {
  size_t i = 0;
  for (int c = 1; c < column && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

// The statement's own text for traces: from its first column to its end on that line (a
// statement spanning lines, like an `if`, shows its first line).
std::string StatementText(const base::SourceFile& file, base::SourceRange range) {
  std::string_view line = file.Line(range.begin.line);
  size_t begin = ByteOffset(line, range.begin.column);
  size_t end = range.end.line == range.begin.line ? ByteOffset(line, range.end.column) : line.size();
  std::string_view text = line.substr(begin, end > begin ? end - begin : 0);
  size_t comment = text.find("//");
  if (comment != std::string_view::npos) text = text.substr(0, comment);
  size_t last = text.find_last_not_of(" \t\r");
  return std::string(last == std::string_view::npos ? std::string_view() : text.substr(0, last + 1));
}

Instr MakeInstr(Op op, int32_t dst = -1, int32_t var = -1, int32_t index = -1, int32_t expr = -1,
                int32_t expr2 = -1, int32_t target = -1) {
  Instr instr;
  instr.op = op;
  instr.dst = dst;
  instr.var = var;
  instr.index = index;
  instr.expr = expr;
  instr.expr2 = expr2;
  instr.target = target;
  return instr;
}

Expr MakeExpr(ExprOp op, Value value = 0, int32_t index = -1, int32_t var = -1, int32_t a = -1, int32_t b = -1) {
  return Expr{op, value, index, var, a, b};
}

// What an expression is compiled for: process code (shared reads become steps), a ghost
// update (ghosts are read directly), or a property (everything is read directly).
enum class ExprContext { kProcess, kGhostUpdate, kProperty };

class Lowerer {
 public:
  Lowerer(const ast::Model& model, const base::SourceFile& file, base::DiagnosticEngine& diags)
      : model_(model), file_(file), diags_(diags) {}

  std::optional<Program> Run() {
    program_.name = model_.name;
    program_.file = file_.path();
    program_.runtime = model_.runtime.kind == ast::RuntimeKind::kThreads ? Runtime::kThreads : Runtime::kEventLoop;
    program_.replicas = model_.runtime.replicas ? static_cast<int32_t>(model_.runtime.replicas->int_value) : 1;
    program_.allow_deadlock = model_.allow_deadlock;
    program_.allow_failure = model_.allow_failure;
    LayOutGlobals();
    for (size_t p = 0; p < model_.processes.size(); ++p) needs_.push_back(CollectNeeds(model_.processes[p].body));
    LayOutTables();
    LayOutRedis();
    for (size_t p = 0; p < model_.processes.size(); ++p) LowerProcess(static_cast<int>(p));
    LayOutInstances();
    CheckSerializableLimit();
    for (const ast::PropertyDecl& property : model_.properties) LowerProperty(property);
    LowerExpectation();
    if (diags_.has_errors()) return std::nullopt;
    return std::move(program_);
  }

 private:
  // ---- layout -----------------------------------------------------------------

  int32_t AddSlot(SlotInfo info) {
    program_.slots.push_back(std::move(info));
    return program_.slot_count++;
  }

  static std::string ElementName(const std::string& name, bool is_array, int32_t index) {
    return is_array ? fmt::format("{}[{}]", name, index) : name;
  }

  std::string CopyPrefix(int32_t copies, int32_t copy) const {
    return copies > 1 ? fmt::format("replica{}.", copy) : "";
  }

  void LayOutGlobals() {
    for (const ast::ParamDecl& p : model_.params) {
      Param param{p.name, static_cast<Value>(p.lo->int_value), static_cast<Value>(p.hi->int_value), 0, p.range};
      param.slot = AddSlot({p.name, false, false, false, false, -1});
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
          AddSlot({"lock " + CopyPrefix(lock.copies, copy) + ElementName(lock.name, lock.is_array, lock.index_lo + i),
                   false, false, true, false, -1});
        }
      }
      program_.locks.push_back(std::move(lock));
    }
  }

  void LayOutVariable(const ast::VarDecl& decl, int ast_index) {
    Variable var;
    var.name = decl.name;
    var.kind = decl.ghost ? VarKind::kGhost : VarKind::kShared;
    var.is_bool = decl.type == ast::Type::kBool;
    var.is_array = decl.shape != nullptr;
    var.index_lo = decl.shape ? static_cast<int32_t>(decl.shape->index_lo) : 0;
    var.size = decl.shape ? static_cast<int32_t>(decl.shape->size) : 1;
    // In-process memory exists once per replica; ghosts are the observer's, so once.
    var.copies = decl.ghost ? 1 : program_.replicas;
    var.range = decl.range;
    for (int32_t i = 0; i < var.size; ++i) {
      const ast::Expr& init = decl.init_is_list ? *decl.init[i] : *decl.init[0];
      bool constant = init.kind == ExprKind::kInt || init.kind == ExprKind::kBool;
      var.initial.push_back(init.kind == ExprKind::kBool ? Value{init.bool_value} : static_cast<Value>(init.int_value));
      if (!constant) {
        var.initial_exprs.resize(var.size, -1);
        var.initial_exprs[i] = LowerExpr(init, ExprContext::kProperty);
      }
    }
    var.first_slot = program_.slot_count;
    for (int32_t copy = 0; copy < var.copies; ++copy) {
      for (int32_t i = 0; i < var.size; ++i) {
        AddSlot({CopyPrefix(var.copies, copy) + ElementName(var.name, var.is_array, var.index_lo + i), var.is_bool,
                 false, false, false, -1});
      }
    }
    var_index_[ast_index] = static_cast<int32_t>(program_.vars.size());
    program_.vars.push_back(std::move(var));
  }

  void LayOutInstances() {
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
        AddSlot({instance.display_name + ".pc", false, true, false, false, index});
        for (size_t l = 0; l < process.local_names.size(); ++l) {
          AddSlot({process.local_names[l], process.local_is_bool[l], false, false, hidden_local_[p].count(l) > 0, index});
        }
        LayOutInstanceDb(needs_[p], instance.display_name, index, instance.base_slot);
        program_.instances.push_back(std::move(instance));
      }
    }
  }

  // `on replica e`: e may use self and constants only, evaluated here once per instance.
  int32_t ReplicaOf(const ast::Expr& e, int32_t self) {
    std::optional<int64_t> value = EvaluateWithSelf(e, self);
    if (!value) {
      diags_.Error(e.range.begin, "a replica number may use only 'self', numbers and constants");
      return 0;
    }
    if (*value < 0 || *value >= program_.replicas) {
      diags_.Error(e.range.begin, fmt::format("instance {} would run on replica {}, but replicas are numbered 0 to {}",
                                              self, *value, program_.replicas - 1));
      return 0;
    }
    return static_cast<int32_t>(*value);
  }

  static std::optional<int64_t> EvaluateWithSelf(const ast::Expr& e, int64_t self) {
    switch (e.kind) {
      case ExprKind::kInt: return e.int_value;
      case ExprKind::kSelf: return self;
      case ExprKind::kUnary:
        if (auto v = EvaluateWithSelf(*e.operands[0], self); v && e.unary_op == ast::UnaryOp::kNeg) return -*v;
        return std::nullopt;
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
          default: return std::nullopt;
        }
      }
      default: return std::nullopt;
    }
  }

  // ---- database and Redis layout ------------------------------------------------

  // What one process's code uses of the database and Redis, to size its block.
  struct Needs {
    std::set<int> tables;           // tables its SQL touches
    std::set<int> snapshot_tables;  // ... inside repeatable_read or serializable transactions
    std::map<int, int> inserts;     // insert statements per table
    std::set<int> watched;          // Redis declarations it WATCHes
    std::set<int> ttl_keys;         // (declaration << 16 | key) it may SET with a time to live
    bool sql = false;               // it runs SQL or has a transaction block
    bool serializable = false;
  };

  static std::string IsolationOf(const ast::Stmt& s) { return s.isolation.empty() ? "read_committed" : s.isolation; }

  Needs CollectNeeds(const ast::Block& body) {
    Needs needs;
    CollectBlock(body, "", needs);
    return needs;
  }

  void CollectBlock(const ast::Block& block, const std::string& isolation, Needs& needs) {
    for (const ast::StmtPtr& s : block) CollectStmt(*s, isolation, needs);
  }

  void CollectStmt(const ast::Stmt& s, const std::string& isolation, Needs& needs) {
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
    CollectBlock(s.body, inner, needs);
    CollectBlock(s.else_body, s.kind == StmtKind::kTransaction ? isolation : inner, needs);
  }

  void CollectSql(const ast::Sql& sql, const std::string& isolation, Needs& needs) {
    needs.sql = true;
    needs.tables.insert(sql.table);
    if (isolation == "repeatable_read" || isolation == "serializable") needs.snapshot_tables.insert(sql.table);
    if (sql.kind == ast::SqlKind::kInsert) ++needs.inserts[sql.table];
    for (const ast::SetItem& set : sql.sets) CollectExpr(*set.value, isolation, needs);
    for (const ast::ExprPtr& v : sql.values) CollectExpr(*v, isolation, needs);
    if (sql.where) CollectExpr(*sql.where, isolation, needs);
  }

  void CollectRedis(const ast::RedisCall& call, const std::string& isolation, Needs& needs) {
    if (call.command == "WATCH") needs.watched.insert(call.instance);
    if (call.command == "SET") {
      for (const ast::CallArg& arg : call.args) {
        if (arg.option == "PX" || arg.option == "EX") needs.ttl_keys.insert((call.instance << 16) | call.args[0].value->ref.index);
      }
    }
    for (const ast::CallArg& arg : call.args) CollectExpr(*arg.value, isolation, needs);
    if (call.instance_index) CollectExpr(*call.instance_index, isolation, needs);
    CollectBlock(call.body, isolation, needs);
  }

  void CollectExpr(const ast::Expr& e, const std::string& isolation, Needs& needs) {
    if (e.kind == ExprKind::kRedis) CollectRedis(*e.redis, isolation, needs);
    for (const ast::ExprPtr& operand : e.operands) CollectExpr(*operand, isolation, needs);
  }

  void LayOutTables() {
    bool serializable = std::any_of(needs_.begin(), needs_.end(), [](const Needs& n) { return n.serializable; });
    for (size_t t = 0; t < model_.tables.size(); ++t) {
      const ast::TableDecl& decl = model_.tables[t];
      Table table;
      table.name = decl.name;
      table.range = decl.range;
      for (size_t c = 0; c < decl.columns.size(); ++c) {
        table.columns.push_back(decl.columns[c].name);
        if (decl.columns[c].is_key) table.key_column = static_cast<int32_t>(c);
      }
      std::set<Value> keys;
      for (size_t r = 0; r < decl.rows.size(); ++r) {
        std::vector<Value> row;
        for (const ast::ExprPtr& v : decl.rows[r]) row.push_back(static_cast<Value>(v->int_value));
        if (!keys.insert(row[table.key_column]).second) {
          diags_.Error(decl.row_ranges[r].begin, fmt::format("two rows of table '{}' have the key {}; a primary key "
                                                             "is unique", decl.name, row[table.key_column]));
        }
        table.initial_rows.push_back(std::move(row));
      }
      int64_t capacity = static_cast<int64_t>(table.initial_rows.size());
      for (size_t p = 0; p < model_.processes.size(); ++p) {
        auto it = needs_[p].inserts.find(static_cast<int>(t));
        if (it == needs_[p].inserts.end()) continue;
        int64_t instances = model_.processes[p].count ? model_.processes[p].count->int_value : 1;
        capacity += it->second * instances;
      }
      table.capacity = static_cast<int32_t>(std::max<int64_t>(capacity, 1));
      table.first_slot = program_.slot_count;
      for (int32_t r = 0; r < table.capacity; ++r) {
        std::string row = r < static_cast<int32_t>(table.initial_rows.size())
                              ? fmt::format("{}[{}]", table.name, table.initial_rows[r][table.key_column])
                              : fmt::format("{}[row {}]", table.name, r + 1);
        AddSlot({row + " exists", true, false, false, false, -1});
        for (const std::string& column : table.columns) AddSlot({row + "." + column, false, false, false, false, -1});
        AddSlot({"row lock " + row, false, false, true, false, -1});
        AddSlot({"row lock queue " + row, false, false, true, true, -1});
        AddSlot({row + " dirty", true, false, false, true, -1});
        AddSlot({row + " exists, uncommitted", true, false, false, false, -1});
        for (const std::string& column : table.columns) {
          AddSlot({row + "." + column + ", uncommitted", false, false, false, false, -1});
        }
      }
      if (serializable) {
        table.summary_slot = program_.slot_count;
        for (int32_t r = 0; r <= table.capacity; ++r) {
          AddSlot({fmt::format("{} ssi summary {}", table.name, r), false, false, false, true, -1});
        }
      }
      program_.tables.push_back(std::move(table));
    }
  }

  void LayOutRedis() {
    for (size_t d = 0; d < model_.redis.size(); ++d) {
      const ast::RedisDecl& decl = model_.redis[d];
      RedisDecl redis;
      redis.name = decl.name;
      redis.range = decl.range;
      redis.is_array = decl.shape != nullptr;
      redis.index_lo = decl.shape ? static_cast<int32_t>(decl.shape->index_lo) : 0;
      redis.size = decl.shape ? static_cast<int32_t>(decl.shape->size) : 1;
      for (size_t k = 0; k < decl.keys.size(); ++k) {
        const ast::RedisKey& key = decl.keys[k];
        RedisKey lowered;
        lowered.name = key.name;
        lowered.range = key.range;
        lowered.initially_present = key.initial != nullptr;
        lowered.initial = key.initial ? static_cast<Value>(key.initial->int_value) : 0;
        bool ttl = std::any_of(needs_.begin(), needs_.end(), [&](const Needs& n) {
          return n.ttl_keys.count((static_cast<int>(d) << 16) | static_cast<int>(k)) > 0;
        });
        if (ttl) {
          Statement statement;
          statement.range = key.range;
          statement.text = fmt::format("{} expires", key.name);
          program_.statements.push_back(std::move(statement));
          lowered.expire_statement = static_cast<int32_t>(program_.statements.size() - 1);
        }
        redis.keys.push_back(std::move(lowered));
      }
      redis.first_slot = program_.slot_count;
      for (int32_t e = 0; e < redis.size; ++e) {
        std::string owner = redis.is_array ? fmt::format("{}[{}]", redis.name, redis.index_lo + e) : redis.name;
        for (const RedisKey& key : redis.keys) {
          AddSlot({owner + "." + key.name, false, false, false, false, -1});
          AddSlot({owner + "." + key.name + " present", true, false, false, true, -1});
          AddSlot({owner + "." + key.name + " ttl", true, false, false, true, -1});
        }
      }
      program_.redis.push_back(std::move(redis));
    }
  }

  // The database and Redis block of one instance, after its locals (ProcessDb).
  void LayOutInstanceDb(const Needs& needs, const std::string& owner, int32_t index, int32_t base) {
    auto add = [&](const std::string& name, bool hidden) {
      SlotInfo info{owner + " " + name, false, false, false, hidden, index};
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
  ProcessDb DbOffsets(const Process& process, const Needs& needs) const {
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

  void CheckSerializableLimit() {
    bool serializable = std::any_of(needs_.begin(), needs_.end(), [](const Needs& n) { return n.serializable; });
    if (serializable && program_.instances.size() > static_cast<size_t>(kMaxSsiInstances)) {
      diags_.Error(model_.range.begin, fmt::format("a model with serializable transactions may run at most {} process "
                                                   "instances; this one runs {}", kMaxSsiInstances,
                                                   program_.instances.size()));
    }
  }

  // ---- processes ----------------------------------------------------------------

  struct Loop {
    std::vector<size_t> breaks;     // jumps to patch to the loop's exit
    std::vector<size_t> continues;  // jumps to patch to the loop's next iteration
  };

  void LowerProcess(int p) {
    const ast::ProcessDecl& decl = model_.processes[p];
    Process process;
    process.name = decl.name;
    process.instance_count = decl.count ? static_cast<int32_t>(decl.count->int_value) : 1;
    process.range = decl.range;
    for (const ast::LocalDecl& local : decl.locals) {
      process.local_names.push_back(local.name);
      process.local_is_bool.push_back(local.type == ast::Type::kBool);
    }
    process_ = &process;
    hidden_local_.emplace_back();
    for (const ast::ProcessParam& param : decl.params) {
      ProcessParam lowered;
      lowered.name = param.name;
      lowered.local = param.local;
      lowered.is_range = param.is_range;
      if (param.is_range) {
        lowered.lo_expr = LowerExpr(*param.lo, ExprContext::kProperty);
        lowered.hi_expr = LowerExpr(*param.hi, ExprContext::kProperty);
      } else {
        lowered.value_expr = LowerExpr(*param.value, ExprContext::kProperty);
      }
      process.params.push_back(lowered);
    }
    LowerBlock(decl.body);
    Emit(MakeInstr(Op::kEnd));
    process_ = nullptr;
    program_.processes.push_back(std::move(process));
  }

  size_t Emit(Instr instr) {
    instr.statement = current_statement_;
    process_->code.push_back(std::move(instr));
    return process_->code.size() - 1;
  }

  int32_t Here() const { return static_cast<int32_t>(process_->code.size()); }

  int32_t AddExpr(Expr e) {
    program_.exprs.push_back(e);
    return static_cast<int32_t>(program_.exprs.size() - 1);
  }

  int32_t Const(Value v) { return AddExpr(MakeExpr(ExprOp::kConst, v)); }
  int32_t LocalRef(int32_t local) { return AddExpr(MakeExpr(ExprOp::kLocal, 0, local)); }
  int32_t Binary(ExprOp op, int32_t a, int32_t b) { return AddExpr(MakeExpr(op, 0, -1, -1, a, b)); }

  // A fresh hidden local that holds one shared read until its statement is done.
  int32_t NewTemp(const std::string& holds) {
    int32_t local = static_cast<int32_t>(process_->local_names.size());
    process_->local_names.push_back("read " + holds);
    process_->local_is_bool.push_back(false);
    hidden_local_.back().insert(local);
    return local;
  }

  void BeginStatement(const ast::Stmt& s) {
    Statement statement;
    statement.range = s.range;
    statement.text = StatementText(file_, s.range);
    program_.statements.push_back(std::move(statement));
    current_statement_ = static_cast<int32_t>(program_.statements.size() - 1);
  }

  // Temporaries hold a value only within their statement; clearing them keeps states
  // that differ only in stale temporaries from multiplying the state space.
  void ClearTemps(const std::vector<int32_t>& temps) {
    for (int32_t t : temps) Emit(MakeInstr(Op::kLet, t, -1, -1, Const(0)));
  }

  void LowerBlock(const ast::Block& block) {
    for (const ast::StmtPtr& s : block) LowerStmt(*s);
  }

  void LowerStmt(const ast::Stmt& s) {
    int32_t saved_statement = current_statement_;
    BeginStatement(s);
    std::vector<int32_t> saved_temps = std::move(temps_);
    temps_.clear();
    switch (s.kind) {
      case StmtKind::kLet:
        if (s.sql) {
          LowerSql(*s.sql, {s.locals[0]});
        } else if (s.value->kind == ExprKind::kRedis) {
          LowerRedis(*s.value->redis, s.locals[0]);
        } else {
          LowerLet(s);
        }
        break;
      case StmtKind::kLetTuple:
        LowerSql(*s.sql, s.locals);
        break;
      case StmtKind::kAssign:
        if (s.target.kind == RefKind::kLocal && s.assign_op == ast::AssignOp::kSet && s.sql) {
          LowerSql(*s.sql, {s.target.index});
        } else if (s.target.kind == RefKind::kLocal && s.assign_op == ast::AssignOp::kSet &&
                   s.value->kind == ExprKind::kRedis) {
          LowerRedis(*s.value->redis, s.target.index);
        } else {
          LowerAssign(s);
        }
        break;
      case StmtKind::kIf: LowerIf(s); break;
      case StmtKind::kWhile: LowerWhile(s); break;
      case StmtKind::kRetry: LowerRetry(s); break;
      case StmtKind::kBreak:
        loops_.back().breaks.push_back(Emit(MakeInstr(Op::kJump)));
        break;
      case StmtKind::kContinue:
        loops_.back().continues.push_back(Emit(MakeInstr(Op::kJump)));
        break;
      case StmtKind::kAtomic:
        Emit(MakeInstr(Op::kAtomicBegin));
        LowerBlock(s.body);
        Emit(MakeInstr(Op::kAtomicEnd));
        break;
      case StmtKind::kLock: {
        auto [lock, index] = LowerLockRef(s.lock);
        Emit(MakeInstr(Op::kAcquire, -1, lock, index));
        LowerBlock(s.body);
        Emit(MakeInstr(Op::kRelease, -1, lock, index));
        break;
      }
      case StmtKind::kAcquire:
      case StmtKind::kRelease: {
        auto [lock, index] = LowerLockRef(s.lock);
        Emit(MakeInstr(s.kind == StmtKind::kAcquire ? Op::kAcquire : Op::kRelease, -1, lock, index));
        break;
      }
      case StmtKind::kAwait: Emit(MakeInstr(Op::kAwait)); break;
      case StmtKind::kAssert: {
        Instr instr = MakeInstr(Op::kAssert, -1, -1, -1, LowerExpr(*s.value, ExprContext::kProcess));
        instr.message = s.message.empty() ? ast::ExprText(*s.value) : s.message;
        Emit(std::move(instr));
        break;
      }
      case StmtKind::kAssume: Emit(MakeInstr(Op::kAssume, -1, -1, -1, LowerExpr(*s.value, ExprContext::kProcess))); break;
      case StmtKind::kChoose: {
        int32_t lo = LowerExpr(*s.value, ExprContext::kProcess);
        int32_t hi = LowerExpr(*s.value2, ExprContext::kProcess);
        Emit(MakeInstr(Op::kChoose, s.locals[0], -1, -1, lo, hi));
        break;
      }
      case StmtKind::kSkip: break;
      case StmtKind::kTransaction: LowerTransaction(s); break;
      case StmtKind::kRollback:
        Emit(MakeCall(Op::kTxRollback, txn_->index));
        txn_->exits.push_back(Emit(MakeInstr(Op::kJump)));
        break;
      case StmtKind::kSql: LowerSql(*s.sql, {}); break;
      case StmtKind::kRedis: LowerRedis(*s.redis, -1); break;
    }
    ClearTemps(temps_);
    Restore(saved_statement, saved_temps);
  }

  void Restore(int32_t statement, std::vector<int32_t>& temps) {
    current_statement_ = statement;
    temps_ = std::move(temps);
  }

  std::pair<int32_t, int32_t> LowerLockRef(const ast::LockRef& ref) {
    int32_t index = ref.index ? LowerExpr(*ref.index, ExprContext::kProcess) : -1;
    return {static_cast<int32_t>(ref.lock), index};
  }

  // `let b = balance` reads straight into b: one step, no temporary.
  bool IsPlainSharedRead(const ast::Expr& e) const {
    return (e.kind == ExprKind::kName || e.kind == ExprKind::kIndex) && e.ref.kind == RefKind::kVar &&
           !model_.vars[e.ref.index].ghost;
  }

  void LowerLet(const ast::Stmt& s) {
    int32_t local = s.locals[0];
    if (IsPlainSharedRead(*s.value)) {
      EmitRead(*s.value, local);
      return;
    }
    Emit(MakeInstr(Op::kLet, local, -1, -1, LowerExpr(*s.value, ExprContext::kProcess)));
  }

  void EmitRead(const ast::Expr& e, int32_t dst) {
    int32_t index = e.kind == ExprKind::kIndex ? LowerExpr(*e.operands[0], ExprContext::kProcess) : -1;
    Emit(MakeInstr(Op::kRead, dst, var_index_.at(e.ref.index), index));
  }

  static ExprOp CompoundOp(ast::AssignOp op) {
    switch (op) {
      case ast::AssignOp::kAdd: return ExprOp::kAdd;
      case ast::AssignOp::kSub: return ExprOp::kSub;
      case ast::AssignOp::kMul: return ExprOp::kMul;
      case ast::AssignOp::kSet: break;
    }
    return ExprOp::kAdd;
  }

  void LowerAssign(const ast::Stmt& s) {
    if (s.target.kind == RefKind::kLocal) {
      int32_t local = s.target.index;
      if (s.assign_op == ast::AssignOp::kSet && IsPlainSharedRead(*s.value)) {
        EmitRead(*s.value, local);
        return;
      }
      int32_t value = LowerExpr(*s.value, ExprContext::kProcess);
      if (s.assign_op != ast::AssignOp::kSet) value = Binary(CompoundOp(s.assign_op), LocalRef(local), value);
      Emit(MakeInstr(Op::kLet, local, -1, -1, value));
      return;
    }
    const ast::VarDecl& decl = model_.vars[s.target.index];
    int32_t var = var_index_.at(s.target.index);
    bool ghost = decl.ghost;
    if (s.sql) {
      // `x = select ...` into shared memory: the statement into a temporary, then the write.
      int32_t temp = NewTemp(decl.name);
      temps_.push_back(temp);
      LowerSql(*s.sql, {temp});
      int32_t index = s.target_index ? LowerExpr(*s.target_index, ExprContext::kProcess) : -1;
      int32_t value = LocalRef(temp);
      if (s.assign_op != ast::AssignOp::kSet) {
        int32_t old = NewTemp(decl.name);
        temps_.push_back(old);
        Emit(MakeInstr(Op::kRead, old, var, index));
        value = Binary(CompoundOp(s.assign_op), LocalRef(old), value);
      }
      Emit(MakeInstr(ghost ? Op::kGhostWrite : Op::kWrite, -1, var, index, value));
      return;
    }
    ExprContext context = ghost ? ExprContext::kGhostUpdate : ExprContext::kProcess;
    int32_t index = s.target_index ? LowerExpr(*s.target_index, ExprContext::kProcess) : -1;
    int32_t value;
    if (s.assign_op == ast::AssignOp::kSet) {
      value = LowerExpr(*s.value, context);
    } else if (ghost) {
      value = Binary(CompoundOp(s.assign_op), AddExpr(MakeExpr(ExprOp::kGlobal, 0, -1, var, index)),
                     LowerExpr(*s.value, context));
    } else {
      // x += e on shared memory: read x (a step), then write (another step).
      int32_t old = NewTemp(decl.name);
      temps_.push_back(old);
      Emit(MakeInstr(Op::kRead, old, var, index));
      value = Binary(CompoundOp(s.assign_op), LocalRef(old), LowerExpr(*s.value, context));
    }
    Emit(MakeInstr(ghost ? Op::kGhostWrite : Op::kWrite, -1, var, index, value));
  }

  void PatchTo(size_t instr, int32_t target) { process_->code[instr].target = target; }

  void LowerIf(const ast::Stmt& s) {
    size_t branch = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, LowerExpr(*s.value, ExprContext::kProcess)));
    std::vector<int32_t> temps = std::move(temps_);
    temps_.clear();
    ClearTemps(temps);
    LowerBlock(s.body);
    if (!s.has_else) {
      PatchTo(branch, Here());
      ClearTemps(temps);
      return;
    }
    size_t skip_else = Emit(MakeInstr(Op::kJump));
    PatchTo(branch, Here());
    ClearTemps(temps);
    LowerBlock(s.else_body);
    PatchTo(skip_else, Here());
  }

  void LowerWhile(const ast::Stmt& s) {
    int32_t top = Here();
    size_t branch = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, LowerExpr(*s.value, ExprContext::kProcess)));
    std::vector<int32_t> temps = std::move(temps_);
    temps_.clear();
    ClearTemps(temps);
    loops_.emplace_back();
    LowerBlock(s.body);
    Emit(MakeInstr(Op::kJump, -1, -1, -1, -1, -1, top));
    int32_t exit = Here();
    PatchTo(branch, exit);
    ClearTemps(temps);
    for (size_t b : loops_.back().breaks) PatchTo(b, exit);
    for (size_t c : loops_.back().continues) PatchTo(c, top);
    loops_.pop_back();
  }

  // retry at most K { body } else { exhausted }: the body runs at most K times; `continue`
  // starts the next attempt, `break` or the body's end leaves; the K-th `continue` runs else.
  void LowerRetry(const ast::Stmt& s) {
    int32_t attempt = NewTemp("attempt");
    int32_t limit = static_cast<int32_t>(s.value->int_value);
    Emit(MakeInstr(Op::kLet, attempt, -1, -1, Const(0)));
    int32_t top = Here();
    Emit(MakeInstr(Op::kLet, attempt, -1, -1, Binary(ExprOp::kAdd, LocalRef(attempt), Const(1))));
    loops_.emplace_back();
    LowerBlock(s.body);
    size_t done = Emit(MakeInstr(Op::kJump));
    int32_t next_attempt = Here();
    size_t exhausted = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, Binary(ExprOp::kLt, LocalRef(attempt), Const(limit))));
    Emit(MakeInstr(Op::kJump, -1, -1, -1, -1, -1, top));
    PatchTo(exhausted, Here());
    Loop loop = std::move(loops_.back());
    loops_.pop_back();
    LowerBlock(s.else_body);
    int32_t exit = Here();
    Emit(MakeInstr(Op::kLet, attempt, -1, -1, Const(0)));
    PatchTo(done, exit);
    for (size_t b : loop.breaks) PatchTo(b, exit);
    for (size_t c : loop.continues) PatchTo(c, next_attempt);
  }

  // ---- database -------------------------------------------------------------------

  static Instr MakeCall(Op op, int32_t call, int32_t dst = -1) {
    Instr instr = MakeInstr(op, dst);
    instr.call = call;
    return instr;
  }

  // Whether an expression can be evaluated again without a step: no shared reads, no Redis.
  static bool IsPure(const ast::Expr& e) {
    if (e.kind == ExprKind::kRedis || e.kind == ExprKind::kMember) return false;
    if ((e.kind == ExprKind::kName || e.kind == ExprKind::kIndex) &&
        (e.ref.kind == RefKind::kVar || e.ref.kind == RefKind::kColumn)) {
      return false;
    }
    return std::all_of(e.operands.begin(), e.operands.end(), [](const ast::ExprPtr& o) { return IsPure(*o); });
  }

  static bool IsColumn(const ast::Expr& e, int column) {
    return e.kind == ExprKind::kName && e.ref.kind == RefKind::kColumn && e.ref.index == column;
  }

  static void CollectColumns(const ast::Expr& e, std::set<int32_t>& columns) {
    if (e.kind == ExprKind::kName && e.ref.kind == RefKind::kColumn) columns.insert(e.ref.index);
    for (const ast::ExprPtr& operand : e.operands) CollectColumns(*operand, columns);
  }

  // `key = e` among the top-level conjuncts of a where clause, with e pure.
  const ast::Expr* KeyOperand(const ast::Expr& where, int key_column) {
    if (where.kind != ExprKind::kBinary) return nullptr;
    if (where.binary_op == ast::BinaryOp::kAnd) {
      if (const ast::Expr* e = KeyOperand(*where.operands[0], key_column)) return e;
      return KeyOperand(*where.operands[1], key_column);
    }
    if (where.binary_op != ast::BinaryOp::kEq && where.binary_op != ast::BinaryOp::kSqlEq) return nullptr;
    const ast::Expr& a = *where.operands[0];
    const ast::Expr& b = *where.operands[1];
    if (IsColumn(a, key_column) && IsPure(b)) return &b;
    if (IsColumn(b, key_column) && IsPure(a)) return &a;
    return nullptr;
  }

  void LowerSql(const ast::Sql& sql, std::vector<int32_t> results) {
    const Table& table = program_.tables[sql.table];
    SqlStatement st;
    st.table = sql.table;
    st.for_update = sql.for_update;
    st.autocommit = txn_ == nullptr;
    st.results = std::move(results);
    switch (sql.kind) {
      case ast::SqlKind::kSelect: st.kind = SqlKind::kSelect; break;
      case ast::SqlKind::kUpdate: st.kind = SqlKind::kUpdate; break;
      case ast::SqlKind::kInsert: st.kind = SqlKind::kInsert; break;
      case ast::SqlKind::kDelete: st.kind = SqlKind::kDelete; break;
    }
    for (const ast::SelectItem& item : sql.items) {
      SelectItem lowered;
      if (!item.aggregate) {
        lowered.kind = SelectItem::Kind::kColumn;
      } else if (item.name == "sum") {
        lowered.kind = SelectItem::Kind::kSum;
      } else {
        // count(*) and count(column) agree: racecheck's columns are never null.
        lowered.kind = SelectItem::Kind::kCount;
      }
      lowered.column = item.column;
      st.items.push_back(lowered);
    }
    for (const ast::SetItem& set : sql.sets) {
      if (set.column == table.key_column) {
        diags_.Error(set.range.begin, fmt::format("racecheck does not change a primary key: '{}' is the key of '{}'; "
                                                  "delete the row and insert another", set.column_name, table.name));
      }
      std::set<int32_t> columns;
      CollectColumns(*set.value, columns);
      st.sets.push_back({set.column, LowerExpr(*set.value, ExprContext::kProcess), columns.count(set.column) > 0});
    }
    if (sql.kind == ast::SqlKind::kInsert) {
      st.values.assign(table.columns.size(), -1);
      for (size_t i = 0; i < sql.values.size(); ++i) {
        int32_t column = sql.insert_columns.empty() ? static_cast<int32_t>(i) : sql.insert_column_indices[i];
        if (column >= 0 && column < static_cast<int32_t>(st.values.size())) {
          st.values[column] = LowerExpr(*sql.values[i], ExprContext::kProcess);
        }
      }
      if (st.values[table.key_column] < 0) {
        diags_.Error(sql.range.begin, fmt::format("an insert into '{}' must give its key column '{}'", table.name,
                                                  table.columns[table.key_column]));
      }
    }
    if (sql.where) {
      st.where = LowerExpr(*sql.where, ExprContext::kProcess);
      std::set<int32_t> columns;
      CollectColumns(*sql.where, columns);
      st.where_columns.assign(columns.begin(), columns.end());
      if (const ast::Expr* key = KeyOperand(*sql.where, table.key_column)) {
        st.key_expr = LowerExpr(*key, ExprContext::kProcess);
      }
    }
    program_.sql.push_back(std::move(st));
    size_t instr = Emit(MakeCall(Op::kSql, static_cast<int32_t>(program_.sql.size() - 1)));
    if (txn_) txn_->failures.push_back(instr);
  }

  // The line of the '}' that closes the first block opened at or after `begin` (skipping
  // comments and strings): where a transaction commits.
  int ClosingBraceLine(base::SourceLocation begin) const {
    int depth = 0;
    bool in_comment = false;
    for (int line = begin.line; line <= file_.line_count(); ++line) {
      std::string_view text = file_.Line(line);
      size_t i = line == begin.line ? ByteOffset(text, begin.column) : 0;
      for (; i < text.size(); ++i) {
        char c = text[i];
        char next = i + 1 < text.size() ? text[i + 1] : '\0';
        if (in_comment) {
          if (c == '*' && next == '/') {
            in_comment = false;
            ++i;
          }
          continue;
        }
        if (c == '/' && next == '/') break;
        if (c == '/' && next == '*') {
          in_comment = true;
          ++i;
          continue;
        }
        if (c == '"') {
          for (++i; i < text.size() && text[i] != '"'; ++i) {
            if (text[i] == '\\') ++i;
          }
          continue;
        }
        if (c == '{') {
          ++depth;
        } else if (c == '}' && --depth == 0) {
          return line;
        }
      }
    }
    return begin.line;
  }

  // transaction { body } [on failure ...]:
  //   [attempt = 0; top: attempt += 1]  kTxBegin  body  kTxCommit  jump exit
  //   failed: retry: if attempt < K jump top; kTxRaise | block: kTxHandled, handler | none: kTxRaise
  //   exit: [attempt = 0]
  // Every statement of the body and the commit go to `failed` when the transaction fails.
  void LowerTransaction(const ast::Stmt& s) {
    Transaction txn;
    std::string isolation = IsolationOf(s);
    txn.isolation = isolation == "serializable"      ? Isolation::kSerializable
                    : isolation == "repeatable_read" ? Isolation::kRepeatableRead
                                                     : Isolation::kReadCommitted;
    txn.statement = current_statement_;
    Statement commit;
    commit.range.begin = {ClosingBraceLine(s.range.begin), 1};
    commit.range.end = commit.range.begin;
    commit.text = "commit";
    program_.statements.push_back(std::move(commit));
    txn.commit_statement = static_cast<int32_t>(program_.statements.size() - 1);
    program_.transactions.push_back(txn);
    TxnContext context;
    context.index = static_cast<int32_t>(program_.transactions.size() - 1);

    int32_t attempt = -1;
    int32_t limit = 1;
    if (s.failure == ast::FailureKind::kRetry) {
      attempt = NewTemp("attempt");
      limit = static_cast<int32_t>(s.value2->int_value);
      Emit(MakeInstr(Op::kLet, attempt, -1, -1, Const(0)));
    }
    int32_t top = Here();
    if (attempt >= 0) Emit(MakeInstr(Op::kLet, attempt, -1, -1, Binary(ExprOp::kAdd, LocalRef(attempt), Const(1))));
    Emit(MakeCall(Op::kTxBegin, context.index));
    txn_ = &context;
    LowerBlock(s.body);
    txn_ = nullptr;
    int32_t saved_statement = current_statement_;
    current_statement_ = txn.commit_statement;
    context.failures.push_back(Emit(MakeCall(Op::kTxCommit, context.index)));
    current_statement_ = saved_statement;
    size_t done = Emit(MakeInstr(Op::kJump));
    int32_t failed = Here();
    switch (s.failure) {
      case ast::FailureKind::kRetry: {
        size_t exhausted =
            Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, Binary(ExprOp::kLt, LocalRef(attempt), Const(limit))));
        Emit(MakeInstr(Op::kJump, -1, -1, -1, -1, -1, top));
        PatchTo(exhausted, Here());
        Emit(MakeCall(Op::kTxRaise, context.index));
        break;
      }
      case ast::FailureKind::kBlock:
        Emit(MakeCall(Op::kTxHandled, context.index));
        LowerBlock(s.else_body);
        break;
      case ast::FailureKind::kNone:
        Emit(MakeCall(Op::kTxRaise, context.index));
        break;
    }
    int32_t exit = Here();
    if (attempt >= 0) Emit(MakeInstr(Op::kLet, attempt, -1, -1, Const(0)));
    PatchTo(done, exit);
    for (size_t f : context.failures) PatchTo(f, failed);
    for (size_t e : context.exits) PatchTo(e, exit);
  }

  // ---- Redis ----------------------------------------------------------------------

  static std::string RedisKeyName(const ast::RedisCall& call) {
    if (call.args.empty()) return "";
    const ast::Expr& key = *call.args[0].value;
    return key.kind == ExprKind::kName ? key.name : "";
  }

  static RedisCommand CommandOf(const std::string& command) {
    static const std::map<std::string, RedisCommand> kCommands = {
        {"GET", RedisCommand::kGet},       {"SET", RedisCommand::kSet},         {"SETNX", RedisCommand::kSetNx},
        {"INCR", RedisCommand::kIncr},     {"DECR", RedisCommand::kDecr},       {"INCRBY", RedisCommand::kIncrBy},
        {"DECRBY", RedisCommand::kDecrBy}, {"DEL", RedisCommand::kDel},         {"EXISTS", RedisCommand::kExists},
        {"WATCH", RedisCommand::kWatch},
    };
    auto it = kCommands.find(command);
    RACECHECK_CHECK(it != kCommands.end(), "a Redis command the front end let through");
    return it->second;
  }

  // A command (one visible kRedis) or an eval/multi block; the result, if any, into local `dst`.
  void LowerRedis(const ast::RedisCall& call, int32_t dst) {
    if (redis_block_ >= 0 && call.instance != redis_block_) {
      diags_.Error(call.range.begin, fmt::format("a Redis script or multi block runs on one instance, '{}'; "
                                                 "this command goes to '{}'", model_.redis[redis_block_].name,
                                                 call.instance_name));
    }
    int32_t element = call.instance_index ? LowerExpr(*call.instance_index, ExprContext::kProcess) : -1;
    if (call.is_block) {
      RedisBlock block{call.command == "MULTI", call.instance, element};
      program_.redis_blocks.push_back(block);
      size_t begin = Emit(MakeCall(Op::kRedisBegin, static_cast<int32_t>(program_.redis_blocks.size() - 1), dst));
      int saved = redis_block_;
      redis_block_ = call.instance;
      LowerBlock(call.body);
      redis_block_ = saved;
      Emit(MakeInstr(Op::kRedisEnd));
      PatchTo(begin, Here());
      return;
    }
    RedisOp op;
    op.command = CommandOf(call.command);
    op.redis = call.instance;
    op.element = element;
    op.key = call.args[0].value->ref.index;
    for (size_t i = 1; i < call.args.size(); ++i) {
      const ast::CallArg& arg = call.args[i];
      if (arg.option.empty() && arg.value->kind == ExprKind::kName && arg.value->ref.kind == RefKind::kNone &&
          (arg.value->name == "NX" || arg.value->name == "XX")) {
        (arg.value->name == "NX" ? op.nx : op.xx) = true;
      } else if (!arg.option.empty()) {
        op.ttl = LowerExpr(*arg.value, ExprContext::kProcess);
      } else {
        op.value = LowerExpr(*arg.value, ExprContext::kProcess);
      }
    }
    if (op.command == RedisCommand::kSetNx) op.nx = true;
    program_.redis_ops.push_back(op);
    Emit(MakeCall(Op::kRedis, static_cast<int32_t>(program_.redis_ops.size() - 1), dst));
  }

  // `accounts[1].balance` or `redis.balance` in a property.
  int32_t LowerMember(const ast::Expr& e) {
    std::string index_text = e.operands.empty() ? "" : fmt::format("[{}]", ast::ExprText(*e.operands[0]));
    int32_t a = e.operands.empty() ? -1 : LowerExpr(*e.operands[0], ExprContext::kProperty);
    int32_t expr = e.ref.kind == RefKind::kColumn
                       ? AddExpr(MakeExpr(ExprOp::kCell, 0, e.ref.index, e.member_index, a))
                       : AddExpr(MakeExpr(ExprOp::kRedisValue, 0, e.ref.index, e.member_index, a));
    std::string name = e.name + index_text + "." + e.member;
    bool known = std::any_of(shown_.begin(), shown_.end(), [&](const ShownValue& v) { return v.name == name; });
    if (!known) shown_.push_back({name, expr});
    return expr;
  }

  // ---- expressions --------------------------------------------------------------

  static ExprOp BinaryOpOf(ast::BinaryOp op) {
    switch (op) {
      case ast::BinaryOp::kMul: return ExprOp::kMul;
      case ast::BinaryOp::kDiv: return ExprOp::kDiv;
      case ast::BinaryOp::kMod: return ExprOp::kMod;
      case ast::BinaryOp::kAdd: return ExprOp::kAdd;
      case ast::BinaryOp::kSub: return ExprOp::kSub;
      case ast::BinaryOp::kLt: return ExprOp::kLt;
      case ast::BinaryOp::kLe: return ExprOp::kLe;
      case ast::BinaryOp::kGt: return ExprOp::kGt;
      case ast::BinaryOp::kGe: return ExprOp::kGe;
      case ast::BinaryOp::kEq: case ast::BinaryOp::kSqlEq: return ExprOp::kEq;
      case ast::BinaryOp::kNe: return ExprOp::kNe;
      case ast::BinaryOp::kAnd: return ExprOp::kAnd;
      case ast::BinaryOp::kOr: return ExprOp::kOr;
    }
    return ExprOp::kAdd;
  }

  // In process code every shared read is emitted as its own kRead into a temporary, left
  // to right, before the expression that uses it: each one is a step.
  int32_t LowerExpr(const ast::Expr& e, ExprContext context) {
    switch (e.kind) {
      case ExprKind::kInt: return Const(static_cast<Value>(e.int_value));
      case ExprKind::kBool: return Const(e.bool_value ? 1 : 0);
      case ExprKind::kSelf: return AddExpr(MakeExpr(ExprOp::kSelf));
      case ExprKind::kName:
      case ExprKind::kIndex:
        return LowerName(e, context);
      case ExprKind::kMember:
        return LowerMember(e);
      case ExprKind::kCall: {
        int32_t a = LowerExpr(*e.operands[0], context);
        if (e.name == "abs") return AddExpr(MakeExpr(ExprOp::kAbs, 0, -1, -1, a));
        int32_t b = LowerExpr(*e.operands[1], context);
        return Binary(e.name == "min" ? ExprOp::kMin : ExprOp::kMax, a, b);
      }
      case ExprKind::kUnary:
        return AddExpr(MakeExpr(e.unary_op == ast::UnaryOp::kNeg ? ExprOp::kNeg : ExprOp::kNot, 0, -1, -1,
                        LowerExpr(*e.operands[0], context)));
      case ExprKind::kBinary: {
        int32_t a = LowerExpr(*e.operands[0], context);
        int32_t b = LowerExpr(*e.operands[1], context);
        return Binary(BinaryOpOf(e.binary_op), a, b);
      }
      case ExprKind::kRedis: {
        // A command inside an expression: its own step, into a temporary, before the expression.
        int32_t temp = NewTemp(fmt::format("{}({})", e.redis->command, RedisKeyName(*e.redis)));
        temps_.push_back(temp);
        LowerRedis(*e.redis, temp);
        return LocalRef(temp);
      }
    }
    return Const(0);
  }

  int32_t LowerName(const ast::Expr& e, ExprContext context) {
    switch (e.ref.kind) {
      case RefKind::kLocal: return LocalRef(e.ref.index);
      case RefKind::kParam: return AddExpr(MakeExpr(ExprOp::kParam, 0, e.ref.index));
      case RefKind::kVar: {
        const ast::VarDecl& decl = model_.vars[e.ref.index];
        int32_t var = var_index_.at(e.ref.index);
        if (context == ExprContext::kProperty || (decl.ghost && context == ExprContext::kGhostUpdate)) {
          if (context == ExprContext::kProperty) mentioned_.insert(var);
          int32_t index = e.kind == ExprKind::kIndex ? LowerExpr(*e.operands[0], context) : -1;
          return AddExpr(MakeExpr(ExprOp::kGlobal, 0, -1, var, index));
        }
        int32_t temp = NewTemp(decl.name);
        temps_.push_back(temp);
        EmitRead(e, temp);
        return LocalRef(temp);
      }
      case RefKind::kColumn:
        // Inside SQL: the column of the row the statement is looking at.
        return AddExpr(MakeExpr(ExprOp::kColumn, 0, e.ref.index));
      case RefKind::kNone:
      case RefKind::kConst:  // folded away by FoldConstants
      case RefKind::kLock:
      case RefKind::kRedisKey:
        break;
    }
    RACECHECK_CHECK(false, fmt::format("'{}' reached lowering unresolved", e.name));
  }

  // ---- properties and expectation -----------------------------------------------

  void LowerProperty(const ast::PropertyDecl& decl) {
    Property property;
    property.kind = decl.kind == ast::PropertyKind::kInvariant ? PropertyKind::kInvariant
                    : decl.kind == ast::PropertyKind::kFinal  ? PropertyKind::kFinal
                                                              : PropertyKind::kCover;
    property.name = decl.name;
    mentioned_.clear();
    shown_.clear();
    property.expr = LowerExpr(*decl.expr, ExprContext::kProperty);
    property.vars.assign(mentioned_.begin(), mentioned_.end());
    property.shown = std::move(shown_);
    property.text = ast::ExprText(*decl.expr);
    property.range = decl.range;
    program_.properties.push_back(std::move(property));
  }

  void LowerExpectation() {
    switch (model_.expect.kind) {
      case ast::ExpectKind::kNone: break;
      case ast::ExpectKind::kSafe: program_.expect.kind = ExpectKind::kSafe; break;
      case ast::ExpectKind::kDeadlock: program_.expect.kind = ExpectKind::kDeadlock; break;
      case ast::ExpectKind::kFailure: program_.expect.kind = ExpectKind::kFailure; break;
      case ast::ExpectKind::kViolation:
        program_.expect.kind = ExpectKind::kViolation;
        program_.expect.properties = model_.expect.names;
        break;
    }
  }

  const ast::Model& model_;
  const base::SourceFile& file_;
  base::DiagnosticEngine& diags_;
  Program program_;
  std::map<int, int32_t> var_index_;  // ast var index -> ir var index
  std::vector<std::set<size_t>> hidden_local_;  // per process: locals that are temporaries
  Process* process_ = nullptr;
  int32_t current_statement_ = -1;
  std::vector<int32_t> temps_;
  std::vector<Loop> loops_;
  std::set<int32_t> mentioned_;
  std::vector<ShownValue> shown_;
  std::vector<Needs> needs_;  // per process
  // The transaction being lowered: its index, the instructions that jump to its failure label
  // and those that leave it (rollback).
  struct TxnContext {
    int32_t index = -1;
    std::vector<size_t> failures;
    std::vector<size_t> exits;
  };
  TxnContext* txn_ = nullptr;
  int redis_block_ = -1;  // the Redis declaration of the eval/multi block being lowered
};

}  // namespace

std::optional<Program> Lower(const ast::Model& model, const base::SourceFile& file, base::DiagnosticEngine& diags) {
  return Lowerer(model, file, diags).Run();
}

}  // namespace racecheck::ir
