// The AST builder's class, shared by its domain files (declarations, statements, SQL, expressions).
// Private to the front end: only the ast_builder*.cpp files include it.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "checker/frontend/ast_builder.h"
#include "checker/frontend/letter_case.h"

namespace racecheck::frontend::build {

using grammar::RaceCheckParser;
using namespace racecheck::ast;

// Source ranges of parse-tree nodes: ANTLR's 0-based columns become 1-based.
base::SourceLocation Begin(const antlr4::Token* token);
SourceRange RangeOf(antlr4::ParserRuleContext* ctx);
SourceRange RangeOf(antlr4::tree::TerminalNode* node);
// A string literal's text without its quotes, escapes resolved.
std::string Unquote(const std::string& literal);
using frontend::Upper;

class Builder {
 public:
  explicit Builder(base::DiagnosticEngine& diags) : diags_(diags) {}
  std::unique_ptr<Model> BuildModel(RaceCheckParser::ModelContext* ctx);

 private:
  std::vector<base::SourceLocation> awaited_expressions_;  // Model::awaited_expressions

  // Declarations (ast_builder.cpp)
  void BuildTopDecl(RaceCheckParser::TopDeclContext* ctx, Model& model);
  void BuildRuntime(RaceCheckParser::RuntimeDeclContext* ctx, Model& model);
  void BuildReplicaCrash(RaceCheckParser::ReplicaCrashDeclContext* ctx, Model& model);
  void BuildVar(RaceCheckParser::VarDeclContext* ctx, Model& model);
  std::unique_ptr<Shape> BuildShape(RaceCheckParser::ShapeContext* ctx);
  void BuildEnum(RaceCheckParser::EnumDeclContext* ctx, Model& model);
  void BuildTable(RaceCheckParser::TableDeclContext* ctx, Model& model);
  void BuildRedis(RaceCheckParser::RedisDeclContext* ctx, Model& model);
  void BuildProcess(RaceCheckParser::ProcessDeclContext* ctx, Model& model);
  void BuildExpect(RaceCheckParser::ExpectDeclContext* ctx, Model& model);
  void BuildFn(RaceCheckParser::FnDeclContext* ctx, Model& model);

  // Statements (ast_builder_statements.cpp)
  Block BuildBlock(RaceCheckParser::BlockContext* ctx);

  // The right-hand side of let and assignment: an SQL statement or an expression.
  void BuildRhs(RaceCheckParser::RhsContext* ctx, Stmt& stmt);
  StmtPtr BuildStmt(RaceCheckParser::StmtContext* ctx);

  // The grammar reads `if a {} else if b {} else {}` as a flat list of clauses; the AST nests
  // them, each else-if a kIf alone in the else of the clause before. Each clause's range runs
  // from its `if` to the end of the chain.
  StmtPtr BuildIf(RaceCheckParser::IfStmtContext* ctx);
  StmtPtr BuildTransaction(RaceCheckParser::TransactionStmtContext* ctx);

  // `on failure[(names)] retry at most K` or `on failure[(names)] { ... }`, on a transaction or
  // an autocommit statement; ResolveNames decides whether the names are failures or a binding.
  void BuildFailureHandler(RaceCheckParser::FailureHandlerContext* ctx, Stmt& s);
  LockRef BuildLockRef(RaceCheckParser::LockRefContext* ctx);
  // `await <call>`: the call, marked awaited when the `await` is written before it.
  StmtPtr BuildAwaited(RaceCheckParser::AwaitedContext* ctx, SourceRange range, bool awaited);
  StmtPtr BuildReturn(RaceCheckParser::ReturnStmtContext* ctx);

  // SQL statements (ast_builder_sql.cpp)
  std::unique_ptr<Sql> BuildSql(RaceCheckParser::SqlContext* ctx);
  void BuildReturning(RaceCheckParser::ReturningContext* ctx, Sql& sql);
  void BuildSets(const std::vector<RaceCheckParser::SetItemContext*>& items, Sql& sql);

  // `table.column` (no row key) in a statement on `table`: the column of the row it looks at.
  static void Unqualify(Expr& e, const std::string& table);

  // `excluded.email` in a do update: the column of the row the insert proposed.
  static void MarkExcluded(Expr& e);

  // `for update`, `for no key update`, `for share`, each with `skip locked` or `nowait`.
  void BuildRowLock(RaceCheckParser::RowLockContext* ctx, Sql& sql);

  // Expressions and Redis calls (ast_builder_expr.cpp)
  std::unique_ptr<RedisCall> BuildRedisCall(RaceCheckParser::RedisCallContext* ctx);
  ExprPtr BuildExpr(RaceCheckParser::ExprContext* ctx);
  ExprPtr BuildPrimary(RaceCheckParser::PrimaryContext* ctx);
  // `f(a, b)`: a kCall whose name ResolveNames looks up among the fns.
  ExprPtr BuildCall(RaceCheckParser::CallContext* ctx);

  // Which aggregate `function` names; ResolveNames checks the table and the column.
  ExprPtr Aggregate(const std::string& function, ExprPtr e);

  base::DiagnosticEngine& diags_;
};

}  // namespace racecheck::frontend::build
