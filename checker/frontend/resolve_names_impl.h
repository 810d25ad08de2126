// The name resolver's class, shared by its domain files (globals, statements, SQL, expressions).
// Private to the front end: only the resolve_names*.cpp files include it.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "checker/ast/printer.h"
#include "checker/frontend/await_messages.h"
#include "checker/frontend/resolve_names.h"

namespace racecheck::frontend::resolve {

using namespace racecheck::ast;

enum class GlobalKind { kConst, kParam, kVar, kLock, kEnum, kEnumValue, kTable, kRedis, kProcess, kFunction,
                        kProperty };

struct Global {
  GlobalKind kind;
  int index;  // kEnumValue: the enum
  SourceRange range;
  int value = -1;  // kEnumValue: its position in the enum
};

// The functions of expressions, which a fn cannot be named after.
inline const std::set<std::string> kFunctions = {"min", "max", "abs", "coalesce", "has_ttl", "len", "contains", "hget"};

// Whether some `return` in a fn's body gives a value.
bool ReturnsValue(const Block& body);

// "a constant", "a lock", ...: what a name is, in an error message.
const char* Describe(GlobalKind kind);

class Resolver {
 public:
  Resolver(Model& model, base::DiagnosticEngine& diags) : model_(model), diags_(diags) {}
  void Run();

 private:
  // Globals and the expectation (resolve_names.cpp)
  void Declare(const std::string& name, GlobalKind kind, int index, SourceRange range, int value = -1);

  // The failure enum's values are names of the language, declared before the model's own.
  bool IsFailure(const Global& global) const;
  static std::string FailureNameTaken(const std::string& name);
  void DeclareGlobals();
  void ResolveShape(Shape* shape);
  void ResolveExpectation();

  // Processes and statements (resolve_names_statements.cpp)
  int DeclareLocal(const std::string& name, SourceRange range);
  void ResolveProcess(ProcessDecl& process);
  void ResolveBlock(Block& block);
  void ResolveLockRef(LockRef& lock);
  void ResolveStmt(Stmt& s);

  // `for r in select a, b from t ... { body }`: the select is resolved outside the loop; `r` is a
  // local of its own (it counts the rows), and r.a, r.b are locals "r.a", "r.b" the body reads.
  void ResolveFor(Stmt& s);

  // `r.qty` in the body of `for r in select id, qty ...`: the local "r.qty".
  void ResolveRowColumn(Expr& e, const Stmt& loop);

  // `on failure(a, b)`: the failures handled; `on failure(e) { ... }`: e names the failure in the block.
  void ResolveFailureHandler(Stmt& s);

  // Procedures (resolve_names_functions.cpp)
  void ResolveFunction(FnDecl& fn);
  // `f(a, b)` as a statement (value_needed false) or the whole right-hand side of let or =.
  void ResolveCall(Expr& call, bool value_needed);
  void ResolveReturn(Stmt& s);
  // The value of `let x = <e>` or `x = <e>`: a fn call, or an ordinary expression.
  void ResolveRhsValue(Stmt& s);

  // Tables, SQL and aggregates (resolve_names_sql.cpp)
  void ResolveTable(TableDecl& table);
  static int ColumnIndex(const TableDecl& table, const std::string& name);

  // A check constraint is about the row alone, as in PostgreSQL: its columns, constants and
  // enum values; no variable, parameter, table cell or Redis key.
  void RejectNonColumns(const Expr& e, const TableDecl& table);

  // Inside SQL a column wins over other names, and a Redis command's arguments name keys first:
  // a column or key named like an enum value would hide the value there (`where status = done`).
  void RejectEnumValueName(const std::string& name, SourceRange range, const char* what, const char* where);

  // `status Status`: the word after a column's name, when it is not `key`, names an enum.
  void ResolveColumnType(Column& c);
  void ResolveSql(Sql& sql);

  // `on conflict (cols)`: the columns of the key or of a unique constraint, in any order.
  void ResolveConflictTarget(Sql& sql, const TableDecl& table);
  static std::string JoinNames(const std::vector<std::string>& names);

  // Inside SQL a table's column names come first, as in SQL itself.
  void ResolveSqlExpr(Expr& e, const TableDecl& table);

  // `count(jobs where status == running)`: the table, sum's column, and the where clause over the
  // table's columns (first, as in SQL), where `jobs.status` names the row's column too.
  void ResolveAggregate(Expr& e);

  // Names, members and Redis calls (resolve_names_expr.cpp)
  void ResolveRedis(RedisCall& call);
  void ResolveKeyKind(RedisKey& k);
  void ResolveKeyType(RedisKey& k);
  static int LookUpKey(const RedisDecl& redis, const std::string& name);
  void CheckKeyIndex(const RedisKey& key, const Expr* index, SourceRange range);
  NameRef LookUp(const std::string& name, SourceRange range);
  // "'x' is not declared", with what to write instead where the name suggests a mistake.
  std::string UndeclaredMessage(const std::string& name) const;
  bool RefuseRedisOption(const ast::RedisCall& call, size_t i);
  bool IsDeclared(const std::string& name) const;
  void ResolveMember(Expr& e);
  void ResolveExpr(Expr& e);
  void RequireStartValue(const Expr& e, const std::string& param);

  Model& model_;
  int failure_enum_ = -1;  // index of the failure enum in Model::enums
  base::DiagnosticEngine& diags_;
  std::map<std::string, Global> globals_;
  // The code being resolved: a process or a fn (then fn_ is set), whose locals its names declare.
  ProcessDecl* process_ = nullptr;
  FnDecl* fn_ = nullptr;
  std::vector<LocalDecl>* locals_ = nullptr;
  // Lock, atomic, transaction and Redis blocks around the statement: `return` cannot leave them.
  int enclosing_blocks_ = 0;
  bool has_assert_ = false;  // some process or fn has an assert (`expect violation assert`)
  int enclosing_takes_ = 0;  // takes blocks around the statement (return may not leave one)
  std::vector<std::map<std::string, int>> scopes_;
  // The row local of each for loop (ProcessDecl::locals index), to its loop.
  std::map<int, const Stmt*> row_loops_;
  const TableDecl* sql_table_ = nullptr;
  // The table of the aggregate whose where clause is being resolved (properties).
  const TableDecl* aggregate_table_ = nullptr;
};

}  // namespace racecheck::frontend::resolve
