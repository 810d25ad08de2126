// The type checker's class, shared by its domain files (check_types.cpp: declarations,
// statements and expressions; check_types_redis.cpp: Redis commands, lists, key families).
// Private to the front end: only the check_types*.cpp files include it.
#pragma once

#include <fmt/format.h>

#include <map>
#include <string>

#include "checker/ast/printer.h"
#include "checker/frontend/check_types.h"
#include "checker/frontend/check_types_redis.h"

namespace racecheck::frontend::type_check {

using namespace racecheck::ast;
using namespace racecheck::frontend::redis_types;

class TypeChecker {
 public:
  TypeChecker(Model& model, base::DiagnosticEngine& diags) : model_(model), diags_(diags) {}

  void Run();

 private:
  // "an int", "a bool", "a value of enum Status": for messages.
  std::string Article(Type t) const;
  // What a place wants, in `... must be {}`.
  std::string Wanted(Type t) const;
  // `operand`: of an operator or function on numbers, which enum values never are.
  void Expect(Expr& e, Type want, const std::string& what, bool operand = false);
  // A value for a column: a row of the declaration, an insert, an update's set.
  void ExpectColumnValue(Expr& e, const TableDecl& table, const Column& column);
  // Checks an expression that stands where a value of type `want` goes: a string in quotes
  // ('queued') names a value of that enum.
  Type CheckValue(Expr& e, Type want, const std::string& what);
  Type StringValue(Expr& e, Type want, const std::string& what);
  // Strings are SQL's notation for values; elsewhere a value is written by its name.
  bool StringAllowed(const Expr& e);
  void CheckBlock(Block& block);
  // The type of what a select item gives: a column's own type; count, sum, min and max are numbers.
  Type ItemType(const Sql& sql, const SelectItem& item) const;
  // `on failure(e) { ... }`: e holds a value of the failure enum.
  void CheckFailureHandler(Stmt& s);
  // A where clause or a check constraint: a bool over the table's columns.
  void CheckSqlCondition(Expr& e, const TableDecl& table, const char* what);
  Type CheckSql(Sql& sql, size_t expected_values);
  Type CheckRhs(Stmt& s, size_t names);
  void CheckStmt(Stmt& s);
  void CheckLockRef(LockRef& lock);
  // `return e` in a fn's copy: e goes to the call's local, so every return gives it one type.
  void CheckReturn(Stmt& s);
  void CheckAssign(Stmt& s);
  Type CheckRedis(RedisCall& call);
  // `hits[u]`, `redis.hits[u]`: a member of a key family, named by an int; so are the row key or
  // instance index before the dot (`owner`).
  void CheckKeyIndex(Expr& key, const char* owner = "");
  // LMOVE(src, dst, LEFT|RIGHT, LEFT|RIGHT), BLMOVE the same, RPOPLPUSH(src, dst).
  void CheckMove(RedisCall& call, const RedisKey& source);
  // HGET, HSET, ..., SADD, SREM, ...: the fields, values and members after a hash's or a set's key.
  Type CheckCollection(RedisCall& call, const RedisKey& key, const RedisCommandInfo& info);
  // `len(redis.jobs)`, `contains(redis.jobs, 3)` and `hget(redis.cart, 1)` in properties: the size
  // of a list, hash or set, whether it holds an element, member or field, and a hash field's value.
  Type ListFunctionType(Expr& e);
  Type Check(Expr& e);
  Type Compute(Expr& e);
  static const Expr* FindRedis(const Expr& e);
  // coalesce(a, b, ...): the first argument that is not null; all of one type, null aside.
  Type CoalesceType(Expr& e);
  Type NameType(Expr& e);
  // `count(jobs where ...)` and `sum(stock.qty where ...)` are numbers, `exists(...)` a bool; the
  // where clause is a condition over the table's columns, as a SQL where clause.
  Type AggregateType(Expr& e);
  // has_ttl(redis.k): whether the key has a lease (a time to live), for properties.
  Type HasTtlType(Expr& e);
  // `accounts[1].balance`: the column's type; `redis.state`: the key's.
  Type MemberType(const Expr& e) const;
  Type BinaryType(Expr& e);
  // `col = null` in SQL is never true (it is unknown, as every comparison with NULL): a warning.
  void WarnNullComparison(const Expr& e);

  Model& model_;
  base::DiagnosticEngine& diags_;
  ProcessDecl* process_ = nullptr;
  bool in_sql_ = false;
  // Checking a value that goes to or is compared in the database (rows, set, insert, where),
  // where 'queued' in quotes may name an enum value.
  bool sql_value_ = false;
  // The table of the SQL statement being checked: its columns' types.
  const TableDecl* sql_table_ = nullptr;
};

}  // namespace racecheck::frontend::type_check
