#include "checker/frontend/resolve_names.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "checker/ast/printer.h"

namespace racecheck::frontend {
namespace {

using namespace racecheck::ast;

enum class GlobalKind { kConst, kParam, kVar, kLock, kEnum, kEnumValue, kTable, kRedis, kProcess, kProperty };

struct Global {
  GlobalKind kind;
  int index;  // kEnumValue: the enum
  SourceRange range;
  int value = -1;  // kEnumValue: its position in the enum
};

const char* Describe(GlobalKind kind) {
  switch (kind) {
    case GlobalKind::kConst: return "a constant";
    case GlobalKind::kParam: return "a parameter";
    case GlobalKind::kVar: return "a variable";
    case GlobalKind::kLock: return "a lock";
    case GlobalKind::kEnum: return "an enum";
    case GlobalKind::kEnumValue: return "an enum value";
    case GlobalKind::kTable: return "a table";
    case GlobalKind::kRedis: return "a Redis instance";
    case GlobalKind::kProcess: return "a process";
    case GlobalKind::kProperty: return "a property";
  }
  return "a name";
}

const std::set<std::string> kFunctions = {"min", "max", "abs", "coalesce", "len", "contains"};

class Resolver {
 public:
  Resolver(Model& model, base::DiagnosticEngine& diags) : model_(model), diags_(diags) {}

  void Run() {
    DeclareGlobals();
    for (ConstDecl& c : model_.consts) ResolveExpr(*c.value);
    for (ParamDecl& p : model_.params) {
      ResolveExpr(*p.lo);
      ResolveExpr(*p.hi);
    }
    if (model_.runtime.replicas) ResolveExpr(*model_.runtime.replicas);
    for (VarDecl& v : model_.vars) {
      ResolveShape(v.shape.get());
      for (ExprPtr& e : v.init) ResolveExpr(*e);
    }
    for (LockDecl& l : model_.locks) ResolveShape(l.shape.get());
    for (TableDecl& t : model_.tables) ResolveTable(t);
    for (RedisDecl& r : model_.redis) {
      ResolveShape(r.shape.get());
      std::map<std::string, SourceRange> keys;
      for (RedisKey& k : r.keys) {
        if (auto [it, fresh] = keys.emplace(k.name, k.range); !fresh) {
          diags_.Error(k.range.begin, fmt::format("the key '{}' is already declared at line {}", k.name,
                                                  it->second.begin.line));
        }
        RejectEnumValueName(k.name, k.range, "the key", "in a Redis command");
        if (k.initial) ResolveExpr(*k.initial);
        ResolveKeyKind(k);
      }
    }
    for (ProcessDecl& p : model_.processes) ResolveProcess(p);
    for (PropertyDecl& p : model_.properties) ResolveExpr(*p.expr);
    for (AllowDecl& a : model_.allows) {
      if (a.what == "deadlock") model_.allow_deadlock = true;
      if (a.what == "failure") model_.allow_failure = true;
    }
    ResolveExpectation();
  }

 private:
  void Declare(const std::string& name, GlobalKind kind, int index, SourceRange range, int value = -1) {
    if (name == "self") return;  // a keyword; the grammar never lets it through
    auto [it, fresh] = globals_.emplace(name, Global{kind, index, range, value});
    if (fresh) return;
    const Global& first = it->second;
    if (IsFailure(first)) {
      diags_.Error(range.begin, FailureNameTaken(name));
      return;
    }
    if (kind == GlobalKind::kEnumValue && first.kind == GlobalKind::kEnumValue) {
      // A bare `done` must name one value, or a comparison could not say which enum it means.
      diags_.Error(range.begin, fmt::format("'{}' is already a value of enum {} (line {}); a value belongs to one "
                                            "enum: rename one of them",
                                            name, model_.enums[first.index].name, first.range.begin.line));
      return;
    }
    std::string what = first.kind == GlobalKind::kEnumValue ? "a value of enum " + model_.enums[first.index].name
                                                             : Describe(first.kind);
    diags_.Error(range.begin, fmt::format("'{}' is already declared at line {} as {}", name, first.range.begin.line,
                                          what));
  }

  // The failure enum's values are names of the language, declared before the model's own.
  bool IsFailure(const Global& global) const {
    return global.kind == GlobalKind::kEnumValue && global.index == failure_enum_;
  }
  static std::string FailureNameTaken(const std::string& name) {
    return fmt::format("'{}' is the name of a database failure, which 'on failure(e)' compares with; pick "
                       "another name", name);
  }

  void DeclareGlobals() {
    size_t user_enums = model_.enums.size();
    failure_enum_ = static_cast<int>(user_enums);
    EnumDecl failures;
    failures.name = kFailureEnumName;
    failures.builtin = true;
    for (const std::string& name : FailureNames()) failures.values.push_back({SourceRange{}, name});
    for (size_t v = 0; v < failures.values.size(); ++v) {
      globals_.emplace(failures.values[v].name, Global{GlobalKind::kEnumValue, failure_enum_, SourceRange{},
                                                       static_cast<int>(v)});
    }
    model_.enums.push_back(std::move(failures));
    // Enums first: they are the types the other declarations use, and usually stand above them.
    for (size_t i = 0; i < user_enums; ++i) {
      const EnumDecl& decl = model_.enums[i];
      Declare(decl.name, GlobalKind::kEnum, i, decl.range);
      for (size_t v = 0; v < decl.values.size(); ++v) {
        Declare(decl.values[v].name, GlobalKind::kEnumValue, i, decl.values[v].range, static_cast<int>(v));
      }
    }
    for (size_t i = 0; i < model_.consts.size(); ++i) Declare(model_.consts[i].name, GlobalKind::kConst, i, model_.consts[i].range);
    for (size_t i = 0; i < model_.params.size(); ++i) Declare(model_.params[i].name, GlobalKind::kParam, i, model_.params[i].range);
    for (size_t i = 0; i < model_.vars.size(); ++i) Declare(model_.vars[i].name, GlobalKind::kVar, i, model_.vars[i].range);
    for (size_t i = 0; i < model_.locks.size(); ++i) Declare(model_.locks[i].name, GlobalKind::kLock, i, model_.locks[i].range);
    for (size_t i = 0; i < model_.tables.size(); ++i) Declare(model_.tables[i].name, GlobalKind::kTable, i, model_.tables[i].range);
    for (size_t i = 0; i < model_.redis.size(); ++i) Declare(model_.redis[i].name, GlobalKind::kRedis, i, model_.redis[i].range);
    for (size_t i = 0; i < model_.processes.size(); ++i) {
      Declare(model_.processes[i].name, GlobalKind::kProcess, i, model_.processes[i].range);
    }
    for (size_t i = 0; i < model_.properties.size(); ++i) {
      Declare(model_.properties[i].name, GlobalKind::kProperty, i, model_.properties[i].range);
    }
  }

  void ResolveShape(Shape* shape) {
    if (!shape) return;
    ResolveExpr(*shape->first);
    if (shape->second) ResolveExpr(*shape->second);
  }

  void ResolveTable(TableDecl& table) {
    std::map<std::string, SourceRange> columns;
    int keys = 0;
    for (Column& c : table.columns) {
      if (auto [it, fresh] = columns.emplace(c.name, c.range); !fresh) {
        diags_.Error(c.range.begin, fmt::format("the column '{}' is already declared in table '{}'", c.name, table.name));
      }
      keys += c.is_key ? 1 : 0;
      ResolveColumnType(c);
      RejectEnumValueName(c.name, c.range, "the column", "inside SQL");
    }
    if (keys != 1) {
      diags_.Error(table.range.begin, fmt::format("table '{}' needs exactly one primary key column, marked 'key' "
                                                  "(as in 'table accounts(id key, balance)'); it has {}",
                                                  table.name, keys));
    }
    for (UniqueConstraint& unique : table.uniques) {
      for (const std::string& name : unique.column_names) {
        int index = ColumnIndex(table, name);
        if (index < 0) diags_.Error(unique.range.begin, fmt::format("table '{}' has no column '{}'", table.name, name));
        unique.columns.push_back(index);
      }
    }
    for (ExprPtr& check : table.checks) {
      ResolveSqlExpr(*check, table);
      RejectNonColumns(*check, table);
    }
    for (size_t r = 0; r < table.rows.size(); ++r) {
      if (table.rows[r].size() != table.columns.size()) {
        diags_.Error(table.row_ranges[r].begin, fmt::format("this row has {} values but table '{}' has {} columns",
                                                            table.rows[r].size(), table.name, table.columns.size()));
      }
      for (ExprPtr& e : table.rows[r]) ResolveExpr(*e);
    }
  }

  static int ColumnIndex(const TableDecl& table, const std::string& name) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }

  // A check constraint is about the row alone, as in PostgreSQL: its columns, constants and
  // enum values; no variable, parameter, table cell or Redis key.
  void RejectNonColumns(const Expr& e, const TableDecl& table) {
    bool named = e.kind == ExprKind::kName || e.kind == ExprKind::kIndex;
    bool allowed = e.ref.kind == RefKind::kColumn || e.ref.kind == RefKind::kConst ||
                   e.ref.kind == RefKind::kEnumValue || e.ref.kind == RefKind::kNone;
    if ((named && !allowed) || e.kind == ExprKind::kMember || e.kind == ExprKind::kRedis || e.kind == ExprKind::kSelf ||
        e.kind == ExprKind::kAggregate) {
      std::string what = e.kind == ExprKind::kSelf        ? "self"
                         : e.kind == ExprKind::kRedis     ? "a Redis command"
                         : e.kind == ExprKind::kAggregate ? ExprText(e)
                                                          : e.name;
      diags_.Error(e.range.begin, fmt::format("a check constraint of table '{}' may use only the row's columns and "
                                              "constants; '{}' is neither",
                                              table.name, what));
      return;
    }
    for (const ExprPtr& operand : e.operands) RejectNonColumns(*operand, table);
  }

  // Inside SQL a column wins over other names, and a Redis command's arguments name keys first:
  // a column or key named like an enum value would hide the value there (`where status = done`).
  void RejectEnumValueName(const std::string& name, SourceRange range, const char* what, const char* where) {
    auto global = globals_.find(name);
    if (global == globals_.end() || global->second.kind != GlobalKind::kEnumValue) return;
    if (IsFailure(global->second)) return diags_.Error(range.begin, FailureNameTaken(name));
    diags_.Error(range.begin, fmt::format("{} '{}' has the name of a value of enum {} (line {}); {} the two could "
                                          "not be told apart: rename one of them",
                                          what, name, model_.enums[global->second.index].name,
                                          global->second.range.begin.line, where));
  }

  // `status Status`: the word after a column's name, when it is not `key`, names an enum.
  void ResolveColumnType(Column& c) {
    if (c.type_name.empty()) return;
    auto it = globals_.find(c.type_name);
    if (it != globals_.end() && it->second.kind == GlobalKind::kEnum) {
      c.type = Type::Enum(it->second.index);
      return;
    }
    diags_.Error(c.type_range.begin,
                 it == globals_.end()
                     ? fmt::format("after a column name only 'key' or the name of an enum may follow; no enum is "
                                   "named '{}' (declare it with 'enum {} {{ ... }}')", c.type_name, c.type_name)
                     : fmt::format("after a column name only 'key' or the name of an enum may follow; '{}' is {}",
                                   c.type_name, Describe(it->second.kind)));
  }

  // ---- processes -------------------------------------------------------------

  int DeclareLocal(const std::string& name, SourceRange range) {
    auto global = globals_.find(name);
    if (global != globals_.end() && IsFailure(global->second)) {
      diags_.Error(range.begin, FailureNameTaken(name));
    } else if (global != globals_.end()) {
      diags_.Error(range.begin, fmt::format("the local '{}' would hide {} declared at line {}; pick another name",
                                            name, Describe(global->second.kind), global->second.range.begin.line));
    }
    for (const auto& scope : scopes_) {
      if (auto it = scope.find(name); it != scope.end()) {
        diags_.Error(range.begin, fmt::format("'{}' is already declared at line {} in this process", name,
                                              process_->locals[it->second].range.begin.line));
        return it->second;
      }
    }
    int index = static_cast<int>(process_->locals.size());
    process_->locals.push_back({range, name, Type::kUnknown});
    scopes_.back()[name] = index;
    return index;
  }

  void ResolveProcess(ProcessDecl& process) {
    process_ = &process;
    scopes_.assign(1, {});
    row_loops_.clear();
    if (process.count) ResolveExpr(*process.count);
    if (process.replica) ResolveExpr(*process.replica);
    for (ProcessParam& p : process.params) {
      if (p.value) ResolveExpr(*p.value);
      if (p.lo) ResolveExpr(*p.lo);
      if (p.hi) ResolveExpr(*p.hi);
      p.local = DeclareLocal(p.name, p.range);
    }
    ResolveBlock(process.body);
    process_ = nullptr;
    scopes_.clear();
  }

  void ResolveBlock(Block& block) {
    scopes_.emplace_back();
    for (StmtPtr& s : block) ResolveStmt(*s);
    scopes_.pop_back();
  }

  void ResolveLockRef(LockRef& lock) {
    auto it = globals_.find(lock.name);
    if (it == globals_.end() || it->second.kind != GlobalKind::kLock) {
      diags_.Error(lock.range.begin, it == globals_.end()
                                         ? fmt::format("no lock is named '{}'; declare it with 'lock {}'", lock.name, lock.name)
                                         : fmt::format("'{}' is {}, not a lock", lock.name, Describe(it->second.kind)));
    } else {
      lock.lock = it->second.index;
    }
    if (lock.index) ResolveExpr(*lock.index);
  }

  void ResolveStmt(Stmt& s) {
    switch (s.kind) {
      case StmtKind::kLet:
      case StmtKind::kLetTuple:
        // The right-hand side cannot see the names it introduces.
        if (s.sql) ResolveSql(*s.sql);
        if (s.value) ResolveExpr(*s.value);
        for (size_t i = 0; i < s.names.size(); ++i) s.locals.push_back(DeclareLocal(s.names[i], s.name_ranges[i]));
        return;
      case StmtKind::kAssign:
        s.target = LookUp(s.target_name, s.range);
        if (s.target_index) ResolveExpr(*s.target_index);
        if (s.sql) ResolveSql(*s.sql);
        if (s.value) ResolveExpr(*s.value);
        return;
      case StmtKind::kIf:
      case StmtKind::kWhile:
      case StmtKind::kRetry:
        ResolveExpr(*s.value);
        ResolveBlock(s.body);
        if (s.has_else) ResolveBlock(s.else_body);
        return;
      case StmtKind::kFor:
        ResolveFor(s);
        return;
      case StmtKind::kAtomic:
        ResolveBlock(s.body);
        return;
      case StmtKind::kLock:
        ResolveLockRef(s.lock);
        ResolveBlock(s.body);
        return;
      case StmtKind::kAcquire:
      case StmtKind::kRelease:
        ResolveLockRef(s.lock);
        return;
      case StmtKind::kAssert:
      case StmtKind::kAssume:
        ResolveExpr(*s.value);
        return;
      case StmtKind::kChoose:
        ResolveExpr(*s.value);
        ResolveExpr(*s.value2);
        s.locals.push_back(DeclareLocal(s.names[0], s.name_ranges[0]));
        return;
      case StmtKind::kTransaction:
        ResolveBlock(s.body);
        ResolveFailureHandler(s);
        return;
      case StmtKind::kSql:
        ResolveSql(*s.sql);
        ResolveFailureHandler(s);
        return;
      case StmtKind::kRedis:
        ResolveRedis(*s.redis);
        return;
      case StmtKind::kBreak:
      case StmtKind::kContinue:
      case StmtKind::kAwait:
      case StmtKind::kSkip:
      case StmtKind::kRollback:
        return;
    }
  }

  // `for r in select a, b from t ... { body }`: the select is resolved outside the loop; `r` is a
  // local of its own (it counts the rows), and r.a, r.b are locals "r.a", "r.b" the body reads.
  void ResolveFor(Stmt& s) {
    ResolveSql(*s.sql);
    if (s.sql->kind != SqlKind::kSelect) {
      diags_.Error(s.sql->range.begin, "a for loop runs over the rows of a select: 'for r in select id from t ... { }'");
    }
    if (s.sql->kind == SqlKind::kSelect && s.sql->order_by.empty()) {
      // The body may depend on the order; racecheck asks for one rather than try every permutation.
      diags_.Error(s.sql->range.begin, "a for loop needs 'order by': without it PostgreSQL may return the rows in "
                                       "any order, and the loop's body would run in an order racecheck does not "
                                       "check; add 'order by id' (or the order the code relies on)");
    }
    std::set<std::string> columns;
    for (const SelectItem& item : s.sql->items) {
      if (item.aggregate) {
        diags_.Error(item.range.begin, fmt::format("a for loop runs over rows, and {0}(...) makes one value of them: "
                                                   "select columns, or read it with 'let n = select {0}(...) ...'",
                                                   item.name));
      } else if (!columns.insert(item.name).second) {
        diags_.Error(item.range.begin, fmt::format("the column '{}' is selected twice", item.name));
      }
    }
    scopes_.emplace_back();
    int row = DeclareLocal(s.names[0], s.name_ranges[0]);
    s.locals.push_back(row);
    for (const SelectItem& item : s.sql->items) {
      s.locals.push_back(static_cast<int>(process_->locals.size()));
      process_->locals.push_back({item.range, s.names[0] + "." + item.name, Type::kUnknown});
    }
    row_loops_[row] = &s;
    ResolveBlock(s.body);
    scopes_.pop_back();
  }

  // `r.qty` in the body of `for r in select id, qty ...`: the local "r.qty".
  void ResolveRowColumn(Expr& e, const Stmt& loop) {
    if (!e.operands.empty()) {
      diags_.Error(e.range.begin, fmt::format("'{}' is one row of the for loop at line {}: read its columns as {}.{}, "
                                              "without an index", e.name, loop.range.begin.line, e.name, e.member));
      return;
    }
    const std::vector<SelectItem>& items = loop.sql->items;
    for (size_t i = 0; i < items.size() && i + 1 < loop.locals.size(); ++i) {
      if (items[i].aggregate || items[i].name != e.member) continue;
      e.kind = ExprKind::kName;
      e.name = loop.names[0] + "." + e.member;
      e.ref = {RefKind::kLocal, loop.locals[1 + i]};
      return;
    }
    std::vector<std::string> names;
    for (const SelectItem& item : items) names.push_back(item.name);
    diags_.Error(e.range.begin, fmt::format("the select of the for loop at line {} gives '{}' the columns {}; add "
                                            "'{}' to it to read {}.{}", loop.range.begin.line, e.name,
                                            JoinNames(names), e.member, e.name, e.member));
  }

  // `on failure(a, b)`: the failures handled; `on failure(e) { ... }`: e names the failure in the block.
  void ResolveFailureHandler(Stmt& s) {
    if (s.value2) ResolveExpr(*s.value2);
    std::vector<size_t> others;
    for (size_t i = 0; i < s.failure_names.size(); ++i) {
      auto it = globals_.find(s.failure_names[i]);
      if (it == globals_.end() || !IsFailure(it->second)) {
        others.push_back(i);
      } else if (std::find(s.failure_filter.begin(), s.failure_filter.end(), it->second.value) !=
                 s.failure_filter.end()) {
        diags_.Error(s.failure_name_ranges[i].begin, fmt::format("'{}' is named twice", s.failure_names[i]));
      } else {
        s.failure_filter.push_back(it->second.value);
      }
    }
    bool binds = s.failure == FailureKind::kBlock && s.failure_names.size() == 1 && others.size() == 1;
    if (!binds) {
      for (size_t i : others) {
        diags_.Error(s.failure_name_ranges[i].begin,
                     fmt::format("'{}' is not a database failure; the failures are {}{}", s.failure_names[i],
                                 fmt::join(FailureNames(), ", "),
                                 s.failure == FailureKind::kBlock
                                     ? " (a single new name before a block names the failure instead)"
                                     : " (before 'retry' the parentheses list the failures to retry; a name for "
                                       "the failure needs a handler block)"));
      }
    }
    if (s.failure != FailureKind::kBlock) return;
    scopes_.emplace_back();
    if (binds) s.failure_local = DeclareLocal(s.failure_names[0], s.failure_name_ranges[0]);
    ResolveBlock(s.else_body);
    scopes_.pop_back();
  }

  void ResolveSql(Sql& sql) {
    auto it = globals_.find(sql.table_name);
    if (it == globals_.end() || it->second.kind != GlobalKind::kTable) {
      diags_.Error(sql.range.begin, it == globals_.end()
                                        ? fmt::format("no table is named '{}'", sql.table_name)
                                        : fmt::format("'{}' is {}, not a table", sql.table_name, Describe(it->second.kind)));
      return;
    }
    sql.table = it->second.index;
    const TableDecl& table = model_.tables[sql.table];
    auto column = [&](const std::string& name, SourceRange range) {
      for (size_t i = 0; i < table.columns.size(); ++i) {
        if (table.columns[i].name == name) return static_cast<int>(i);
      }
      diags_.Error(range.begin, fmt::format("table '{}' has no column '{}'", table.name, name));
      return -1;
    };
    for (SelectItem& item : sql.items) {
      if (!item.aggregate) {
        item.column = column(item.name, item.range);
      } else if (item.name == "count") {
        if (item.argument != "*") item.column = column(item.argument, item.range);
      } else if (item.name == "sum" || item.name == "min" || item.name == "max") {
        if (item.argument == "*") diags_.Error(item.range.begin, fmt::format("{} needs a column: {}(balance)", item.name, item.name));
        else item.column = column(item.argument, item.range);
      } else {
        diags_.Error(item.range.begin, fmt::format("'{}' is not an aggregate racecheck knows: use count(*), count(column), "
                                                   "sum(column), min(column) or max(column)",
                                                   item.name));
      }
    }
    for (const SelectItem& item : sql.items) {
      if (!sql.for_update || !item.aggregate) continue;
      // PostgreSQL refuses this (0A000): a proof of it would be a proof of code that cannot run.
      std::string strength = sql.share ? "for share" : sql.no_key ? "for no key update" : "for update";
      std::string upper = sql.share ? "FOR SHARE" : sql.no_key ? "FOR NO KEY UPDATE" : "FOR UPDATE";
      diags_.Error(item.range.begin,
                   fmt::format("PostgreSQL does not allow '{0}' with an aggregate such as {2}(...) "
                               "(0A000: {1} is not allowed with aggregate functions); lock the rows with "
                               "their own 'select ... {0}', or lock a row they all belong to",
                               strength, upper, item.name));
      break;
    }
    for (OrderItem& order : sql.order_by) order.column = column(order.column_name, order.range);
    if (sql.limit) ResolveExpr(*sql.limit);
    bool aggregate = std::any_of(sql.items.begin(), sql.items.end(), [](const SelectItem& i) { return i.aggregate; });
    if (aggregate && (!sql.order_by.empty() || sql.limit)) {
      // count, sum, min and max make one row: there is nothing to order or to limit.
      diags_.Error(sql.order_by.empty() ? sql.limit->range.begin : sql.order_by[0].range.begin,
                   sql.order_by.empty() ? "a select of count, sum, min or max gives one row: 'limit' has nothing to limit"
                                        : "a select of count, sum, min or max gives one row: 'order by' has nothing to order");
    }
    for (SetItem& set : sql.sets) {
      set.column = column(set.column_name, set.range);
      ResolveSqlExpr(*set.value, table);
    }
    for (const std::string& name : sql.insert_columns) sql.insert_column_indices.push_back(column(name, sql.range));
    ResolveConflictTarget(sql, table);
    for (ExprPtr& e : sql.values) ResolveExpr(*e);
    if (sql.where) ResolveSqlExpr(*sql.where, table);
  }

  // `on conflict (cols)`: the columns of the key or of a unique constraint, in any order.
  void ResolveConflictTarget(Sql& sql, const TableDecl& table) {
    std::set<int> target;
    for (const std::string& name : sql.conflict_columns) {
      int index = ColumnIndex(table, name);
      if (index < 0) diags_.Error(sql.conflict_range.begin, fmt::format("table '{}' has no column '{}'", table.name, name));
      sql.conflict_column_indices.push_back(index);
      target.insert(index);
    }
    if (target.empty() || target.count(-1)) return;
    std::vector<std::set<int>> uniques;
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (table.columns[c].is_key || table.columns[c].is_unique) uniques.push_back({static_cast<int>(c)});
    }
    for (const UniqueConstraint& unique : table.uniques) uniques.emplace_back(unique.columns.begin(), unique.columns.end());
    if (std::find(uniques.begin(), uniques.end(), target) != uniques.end()) return;
    // PostgreSQL's 42P10.
    diags_.Error(sql.conflict_range.begin,
                 fmt::format("'on conflict ({})' names no unique constraint of table '{}': name the key or the columns "
                             "of a unique constraint (PostgreSQL: there is no unique or exclusion constraint matching "
                             "the ON CONFLICT specification)",
                             fmt::format("{}", JoinNames(sql.conflict_columns)), table.name));
  }

  static std::string JoinNames(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
  }

  // Inside SQL a table's column names come first, as in SQL itself.
  void ResolveSqlExpr(Expr& e, const TableDecl& table) {
    const TableDecl* saved = sql_table_;
    sql_table_ = &table;
    ResolveExpr(e);
    sql_table_ = saved;
  }

  void ResolveRedis(RedisCall& call) {
    auto it = globals_.find(call.instance_name);
    if (it == globals_.end() || it->second.kind != GlobalKind::kRedis) {
      diags_.Error(call.range.begin,
                   it == globals_.end()
                       ? fmt::format("no Redis instance is named '{}'; declare one with '{} {{ key = 0 }}'",
                                     call.instance_name, call.instance_name == "redis" ? "redis" : "redis " + call.instance_name)
                       : fmt::format("'{}' is {}, not a Redis instance", call.instance_name, Describe(it->second.kind)));
    } else {
      call.instance = it->second.index;
    }
    if (call.instance_index) ResolveExpr(*call.instance_index);
    const RedisDecl* redis = call.instance >= 0 ? &model_.redis[call.instance] : nullptr;
    for (size_t i = 0; i < call.args.size(); ++i) {
      Expr& arg = *call.args[i].value;
      // Keys are bare names of the keyspace; option flags (NX, XX) are bare upper-case words.
      if (arg.kind == ExprKind::kName && redis && LookUpKey(*redis, arg.name) >= 0) {
        arg.ref = {RefKind::kRedisKey, LookUpKey(*redis, arg.name)};
        continue;
      }
      if (arg.kind == ExprKind::kName && IsRedisFlag(arg.name)) continue;
      if (i == 0 && redis && arg.kind == ExprKind::kName && call.args[i].option.empty()) {
        diags_.Error(arg.range.begin, fmt::format("Redis instance '{}' has no key '{}'; declare it in its keyspace: "
                                                  "redis{} {{ {} }}", redis->name, arg.name,
                                                  redis->name == "redis" ? "" : " " + redis->name, arg.name));
        continue;
      }
      ResolveExpr(arg);
    }
    if (call.is_block) ResolveBlock(call.body);
  }

  // `jobs: list(4) = [1, 2]`: a list key starts from a list, a plain key from a value.
  void ResolveKeyKind(RedisKey& k) {
    if (!k.kind.empty() && !k.IsList()) {
      diags_.Error(k.kind_range.begin, fmt::format("racecheck does not model Redis keys of type '{}': a key is a "
                                                   "plain value ('{} = 0') or a list ('{}: list(4)')",
                                                   k.kind, k.name, k.name));
    }
    if (k.bound) ResolveExpr(*k.bound);
    for (ExprPtr& e : k.elements) ResolveExpr(*e);
    if (k.IsList() && k.initial) {
      diags_.Error(k.initial->range.begin, fmt::format("list key '{}' starts from a list of elements: write '{}: "
                                                       "list(N) = [{}]'", k.name, k.name, ExprText(*k.initial)));
    }
    if (!k.IsList() && k.has_elements) {
      diags_.Error(k.range.begin, fmt::format("key '{}' starts from a list but is not declared as one: write '{}: "
                                              "list(N) = [...]', N the most elements it may hold", k.name, k.name));
    }
  }

  static int LookUpKey(const RedisDecl& redis, const std::string& name) {
    for (size_t i = 0; i < redis.keys.size(); ++i) {
      if (redis.keys[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }

  NameRef LookUp(const std::string& name, SourceRange range) {
    if (sql_table_) {
      for (size_t i = 0; i < sql_table_->columns.size(); ++i) {
        if (sql_table_->columns[i].name != name) continue;
        for (const auto& scope : scopes_) {
          if (scope.count(name)) {
            // PL/pgSQL refuses this too: the reader cannot tell which one is meant.
            diags_.Error(range.begin, fmt::format("'{}' is both a column of '{}' and a local here; rename the local",
                                                  name, sql_table_->name));
          }
        }
        return {RefKind::kColumn, static_cast<int>(i)};
      }
    }
    for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
      auto it = scope->find(name);
      if (it == scope->end()) continue;
      if (auto loop = row_loops_.find(it->second); loop != row_loops_.end()) {
        std::string column = loop->second->sql->items.empty() ? "id" : loop->second->sql->items[0].name;
        diags_.Error(range.begin, fmt::format("'{}' is a row of the for loop at line {}: read its columns, as in {}.{}",
                                              name, loop->second->range.begin.line, name, column));
        return {};
      }
      return {RefKind::kLocal, it->second};
    }
    auto it = globals_.find(name);
    if (it == globals_.end() && aggregate_table_) {
      diags_.Error(range.begin, fmt::format("'{}' is neither a column of table '{}' nor declared", name,
                                            aggregate_table_->name));
      return {};
    }
    if (it == globals_.end()) {
      diags_.Error(range.begin, process_ ? fmt::format("'{}' is not declared (declare a local with 'let {} = ...' "
                                                       "or a shared variable with 'shared {} = ...')", name, name, name)
                                         : fmt::format("'{}' is not declared", name));
      return {};
    }
    switch (it->second.kind) {
      case GlobalKind::kConst: return {RefKind::kConst, it->second.index};
      case GlobalKind::kParam: return {RefKind::kParam, it->second.index};
      case GlobalKind::kVar: return {RefKind::kVar, it->second.index};
      case GlobalKind::kLock: return {RefKind::kLock, it->second.index};
      case GlobalKind::kEnumValue: return {RefKind::kEnumValue, it->second.index, it->second.value};
      case GlobalKind::kEnum: {
        const EnumDecl& decl = model_.enums[it->second.index];
        diags_.Error(range.begin, fmt::format("'{}' is an enum and has no value here; name one of its values: {}",
                                              name, ValueList(decl)));
        return {};
      }
      case GlobalKind::kTable:
      case GlobalKind::kRedis:
      case GlobalKind::kProcess:
      case GlobalKind::kProperty:
        diags_.Error(range.begin, fmt::format("'{}' is {} and has no value here", name, Describe(it->second.kind)));
        return {};
    }
    return {};
  }

  // `count(jobs where status == running)`: the table, sum's column, and the where clause over the
  // table's columns (first, as in SQL), where `jobs.status` names the row's column too.
  void ResolveAggregate(Expr& e) {
    const char* function = AggregateOpText(e.aggregate);
    auto it = globals_.find(e.name);
    if (it == globals_.end() || it->second.kind != GlobalKind::kTable) {
      diags_.Error(e.range.begin, it == globals_.end()
                                      ? fmt::format("no table is named '{}'", e.name)
                                      : fmt::format("'{}' is {}, not a table: {}(...) looks at a table's rows", e.name,
                                                    Describe(it->second.kind), function));
      return;
    }
    const TableDecl& table = model_.tables[it->second.index];
    e.ref = {RefKind::kColumn, it->second.index};
    if (e.aggregate == AggregateOp::kSum && e.member.empty()) {
      diags_.Error(e.range.begin, fmt::format("sum adds a column: write sum({}.column)", e.name));
    } else if (e.aggregate != AggregateOp::kSum && !e.member.empty()) {
      diags_.Error(e.range.begin,
                   e.aggregate == AggregateOp::kCount
                       ? fmt::format("count counts rows, not a column's values: write count({0}), or count({0} where "
                                     "{1} is not null) for the rows where '{1}' has a value", e.name, e.member)
                       : fmt::format("exists asks whether a row exists, not a column: write exists({0}) or exists({0} "
                                     "where ...)", e.name));
    } else if (!e.member.empty()) {
      e.member_index = ColumnIndex(table, e.member);
      if (e.member_index < 0) diags_.Error(e.range.begin, fmt::format("table '{}' has no column '{}'", e.name, e.member));
    }
    if (e.operands.empty()) return;
    const TableDecl* saved = aggregate_table_;
    aggregate_table_ = &table;
    ResolveSqlExpr(*e.operands[0], table);
    aggregate_table_ = saved;
  }

  void ResolveMember(Expr& e) {
    if (aggregate_table_ && e.name == aggregate_table_->name && e.operands.empty()) {
      // `jobs.status` inside `count(jobs where ...)`: the column of the row looked at.
      e.ref = {RefKind::kColumn, static_cast<int>(aggregate_table_ - model_.tables.data())};
      e.member_index = ColumnIndex(*aggregate_table_, e.member);
      if (e.member_index < 0) diags_.Error(e.range.begin, fmt::format("table '{}' has no column '{}'", e.name, e.member));
      return;
    }
    for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
      auto local = scope->find(e.name);
      if (local == scope->end()) continue;
      if (auto loop = row_loops_.find(local->second); loop != row_loops_.end()) {
        ResolveRowColumn(e, *loop->second);
      } else {
        diags_.Error(e.range.begin, fmt::format("'{}' is a local and has no columns; a dot follows the row of a for "
                                                "loop (r.column), a table (t[key].column) or a Redis instance "
                                                "(redis.key)", e.name));
      }
      for (ExprPtr& operand : e.operands) ResolveExpr(*operand);
      return;
    }
    auto it = globals_.find(e.name);
    if (it != globals_.end() && it->second.kind == GlobalKind::kTable) {
      const TableDecl& table = model_.tables[it->second.index];
      e.ref = {RefKind::kColumn, it->second.index};
      for (size_t i = 0; i < table.columns.size(); ++i) {
        if (table.columns[i].name == e.member) e.member_index = static_cast<int>(i);
      }
      if (e.member_index < 0) diags_.Error(e.range.begin, fmt::format("table '{}' has no column '{}'", e.name, e.member));
      if (e.operands.empty()) {
        diags_.Error(e.range.begin, fmt::format("name the row by its key: {}[1].{}", e.name, e.member));
      }
    } else if (it != globals_.end() && it->second.kind == GlobalKind::kRedis) {
      const RedisDecl& redis = model_.redis[it->second.index];
      e.ref = {RefKind::kRedisKey, it->second.index};
      e.member_index = LookUpKey(redis, e.member);
      if (e.member_index < 0) {
        diags_.Error(e.range.begin, fmt::format("Redis instance '{}' has no key '{}'", e.name, e.member));
      }
    } else if (e.name == "excluded") {
      diags_.Error(e.range.begin, fmt::format("'excluded.{}' is the row an insert proposes: it exists only in the "
                                              "set and where clauses of 'on conflict (...) do update'", e.member));
    } else {
      diags_.Error(e.range.begin, fmt::format("'{}.{}' needs a table ({}[key].column), a Redis instance "
                                              "(redis.key) or the row of a for loop around it (for {} in select "
                                              "...) before the dot", e.name, e.member, e.name, e.name));
    }
    for (ExprPtr& operand : e.operands) ResolveExpr(*operand);
  }

  void ResolveExpr(Expr& e) {
    switch (e.kind) {
      case ExprKind::kInt:
      case ExprKind::kBool:
      case ExprKind::kNull:
      case ExprKind::kString:  // its enum comes from where it stands: CheckTypes
      case ExprKind::kSelf:
        return;
      case ExprKind::kName:
      case ExprKind::kIndex:
        e.ref = LookUp(e.name, e.range);
        break;
      case ExprKind::kMember:
        ResolveMember(e);
        return;
      case ExprKind::kExcluded:
        // Built only inside a do update, whose clauses resolve against the insert's table.
        RACECHECK_CHECK(sql_table_ != nullptr, "excluded outside a do update");
        for (size_t i = 0; i < sql_table_->columns.size(); ++i) {
          if (sql_table_->columns[i].name == e.name) e.ref = {RefKind::kColumn, static_cast<int>(i)};
        }
        if (e.ref.kind == RefKind::kNone) {
          diags_.Error(e.range.begin, fmt::format("table '{}' has no column '{}'", sql_table_->name, e.name));
        }
        return;
      case ExprKind::kCall:
        if (!kFunctions.count(e.name)) {
          diags_.Error(e.range.begin, fmt::format("'{}' is not a function racecheck knows: use min, max, abs, coalesce, or len and contains (of a Redis list)", e.name));
        }
        break;
      case ExprKind::kUnary:
      case ExprKind::kBinary:
      case ExprKind::kCond:
      case ExprKind::kIsNull:
        break;
      case ExprKind::kRedis:
        ResolveRedis(*e.redis);
        return;
      case ExprKind::kAggregate:
        ResolveAggregate(e);
        return;
    }
    for (ExprPtr& operand : e.operands) ResolveExpr(*operand);
  }

  void ResolveExpectation() {
    ExpectDecl& expect = model_.expect;
    for (size_t i = 0; i < expect.names.size(); ++i) {
      auto it = globals_.find(expect.names[i]);
      if (it == globals_.end() || it->second.kind != GlobalKind::kProperty) {
        diags_.Error(expect.name_ranges[i].begin,
                     fmt::format("'expect violation {}' names no property; declare 'invariant {}: ...', 'final' or "
                                 "'cover', or write 'expect deadlock'", expect.names[i], expect.names[i]));
      }
    }
  }

  Model& model_;
  int failure_enum_ = -1;  // index of the failure enum in Model::enums
  base::DiagnosticEngine& diags_;
  std::map<std::string, Global> globals_;
  ProcessDecl* process_ = nullptr;
  std::vector<std::map<std::string, int>> scopes_;
  // The row local of each for loop (ProcessDecl::locals index), to its loop.
  std::map<int, const Stmt*> row_loops_;
  const TableDecl* sql_table_ = nullptr;
  // The table of the aggregate whose where clause is being resolved (properties).
  const TableDecl* aggregate_table_ = nullptr;
};

}  // namespace

bool ResolveNames(Model& model, base::DiagnosticEngine& diags) {
  int errors_before = diags.error_count();
  Resolver(model, diags).Run();
  return diags.error_count() == errors_before;
}

}  // namespace racecheck::frontend
