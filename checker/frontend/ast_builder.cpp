#include "checker/frontend/ast_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace racecheck::frontend {
namespace {

using grammar::RaceCheckParser;
using namespace racecheck::ast;

base::SourceLocation Begin(const antlr4::Token* token) {
  return {static_cast<int>(token->getLine()), static_cast<int>(token->getCharPositionInLine()) + 1};
}

SourceRange RangeOf(antlr4::ParserRuleContext* ctx) {
  SourceRange range;
  range.begin = Begin(ctx->getStart());
  const antlr4::Token* stop = ctx->getStop() ? ctx->getStop() : ctx->getStart();
  range.end = Begin(stop);
  range.end.column += static_cast<int>(stop->getText().size());
  return range;
}

SourceRange RangeOf(antlr4::tree::TerminalNode* node) {
  SourceRange range;
  range.begin = Begin(node->getSymbol());
  range.end = range.begin;
  range.end.column += static_cast<int>(node->getText().size());
  return range;
}

std::string Unquote(const std::string& literal) {
  std::string out;
  for (size_t i = 1; i + 1 < literal.size(); ++i) {
    if (literal[i] == '\\' && i + 2 < literal.size()) {
      ++i;
      out += literal[i] == 'n' ? '\n' : literal[i] == 't' ? '\t' : literal[i];
    } else {
      out += literal[i];
    }
  }
  return out;
}

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

class Builder {
 public:
  explicit Builder(base::DiagnosticEngine& diags) : diags_(diags) {}

  std::unique_ptr<Model> BuildModel(RaceCheckParser::ModelContext* ctx) {
    auto model = std::make_unique<Model>();
    model->range = RangeOf(ctx);
    model->name = ctx->ID()->getText();
    for (RaceCheckParser::TopDeclContext* decl : ctx->topDecl()) BuildTopDecl(decl, *model);
    return model;
  }

 private:
  void BuildTopDecl(RaceCheckParser::TopDeclContext* ctx, Model& model) {
    if (auto* c = dynamic_cast<RaceCheckParser::RuntimeDeclContext*>(ctx)) return BuildRuntime(c, model);
    if (auto* c = dynamic_cast<RaceCheckParser::ConstDeclContext*>(ctx)) {
      model.consts.push_back({RangeOf(c), c->ID()->getText(), BuildExpr(c->expr())});
      return;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::ParamDeclContext*>(ctx)) {
      model.params.push_back({RangeOf(c), c->ID()->getText(), BuildExpr(c->expr(0)), BuildExpr(c->expr(1))});
      return;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::VarDeclContext*>(ctx)) return BuildVar(c, model);
    if (auto* c = dynamic_cast<RaceCheckParser::LockDeclContext*>(ctx)) {
      model.locks.push_back({RangeOf(c), c->ID()->getText(), BuildShape(c->shape())});
      return;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::EnumDeclContext*>(ctx)) return BuildEnum(c, model);
    if (auto* c = dynamic_cast<RaceCheckParser::TableDeclContext*>(ctx)) return BuildTable(c, model);
    if (auto* c = dynamic_cast<RaceCheckParser::RedisDeclContext*>(ctx)) return BuildRedis(c, model);
    if (auto* c = dynamic_cast<RaceCheckParser::ProcessDeclContext*>(ctx)) return BuildProcess(c, model);
    if (auto* c = dynamic_cast<RaceCheckParser::PropertyDeclContext*>(ctx)) {
      std::string kind = c->kind->getText();
      PropertyKind property_kind = kind == "invariant" ? PropertyKind::kInvariant
                                   : kind == "final"   ? PropertyKind::kFinal
                                                       : PropertyKind::kCover;
      model.properties.push_back({RangeOf(c), property_kind, c->ID()->getText(), BuildExpr(c->expr())});
      return;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::AllowDeclContext*>(ctx)) {
      std::string what = c->word()->getText();
      if (what != "deadlock" && what != "failure") {
        diags_.Error(RangeOf(c->word()).begin, fmt::format("'allow {}' means nothing: write 'allow deadlock' "
                                                         "or 'allow failure'", what));
      }
      model.allows.push_back({RangeOf(c), what});
      return;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::ExpectDeclContext*>(ctx)) return BuildExpect(c, model);
    RACECHECK_CHECK(false, "a top-level alternative the AST builder does not know");
  }

  void BuildRuntime(RaceCheckParser::RuntimeDeclContext* ctx, Model& model) {
    if (model.runtime.declared) {
      diags_.Error(RangeOf(ctx).begin, fmt::format("the runtime is already declared at line {}; a model has one runtime",
                                                   model.runtime.range.begin.line));
      return;
    }
    model.runtime.declared = true;
    model.runtime.range = RangeOf(ctx);
    std::string kind = ctx->ID(0)->getText();
    if (kind == "threads") {
      model.runtime.kind = RuntimeKind::kThreads;
    } else if (kind == "event_loop") {
      model.runtime.kind = RuntimeKind::kEventLoop;
    } else {
      diags_.Error(RangeOf(ctx->ID(0)).begin,
                   fmt::format("unknown runtime '{}': write 'runtime threads' or 'runtime event_loop'", kind));
    }
    if (ctx->expr()) {
      if (ctx->ID(1)->getText() != "replicas") {
        diags_.Error(RangeOf(ctx->ID(1)).begin, fmt::format("a runtime takes one setting, 'replicas = N', not '{}'",
                                                            ctx->ID(1)->getText()));
      }
      model.runtime.replicas = BuildExpr(ctx->expr());
    }
  }

  void BuildVar(RaceCheckParser::VarDeclContext* ctx, Model& model) {
    VarDecl var;
    var.range = RangeOf(ctx);
    var.name = ctx->ID()->getText();
    var.ghost = ctx->kind->getText() == "ghost";
    var.shape = BuildShape(ctx->shape());
    RaceCheckParser::InitializerContext* init = ctx->initializer();
    var.init_is_list = init->getStart()->getText() == "{";
    for (RaceCheckParser::ExprContext* e : init->expr()) var.init.push_back(BuildExpr(e));
    model.vars.push_back(std::move(var));
  }

  std::unique_ptr<Shape> BuildShape(RaceCheckParser::ShapeContext* ctx) {
    if (!ctx) return nullptr;
    auto shape = std::make_unique<Shape>();
    shape->range = RangeOf(ctx);
    shape->first = BuildExpr(ctx->expr(0));
    if (ctx->expr().size() > 1) shape->second = BuildExpr(ctx->expr(1));
    return shape;
  }

  void BuildEnum(RaceCheckParser::EnumDeclContext* ctx, Model& model) {
    EnumDecl decl;
    decl.range = RangeOf(ctx);
    decl.name = ctx->ID(0)->getText();
    for (size_t i = 1; i < ctx->ID().size(); ++i) decl.values.push_back({RangeOf(ctx->ID(i)), ctx->ID(i)->getText()});
    model.enums.push_back(std::move(decl));
  }

  void BuildTable(RaceCheckParser::TableDeclContext* ctx, Model& model) {
    TableDecl table;
    table.range = RangeOf(ctx);
    table.name = ctx->ID()->getText();
    for (RaceCheckParser::TableItemContext* item : ctx->tableItem()) {
      if (auto* u = dynamic_cast<RaceCheckParser::UniqueItemContext*>(item)) {
        UniqueConstraint unique;
        unique.range = RangeOf(u);
        for (antlr4::tree::TerminalNode* id : u->ID()) unique.column_names.push_back(id->getText());
        table.uniques.push_back(std::move(unique));
        continue;
      }
      if (auto* k = dynamic_cast<RaceCheckParser::CheckItemContext*>(item)) {
        table.checks.push_back(BuildExpr(k->expr()));
        continue;
      }
      RaceCheckParser::ColumnContext* c = dynamic_cast<RaceCheckParser::ColumnItemContext*>(item)->column();
      Column column;
      column.range = RangeOf(c);
      column.name = c->ID(0)->getText();
      column.is_unique = c->getStop()->getText() == "unique";
      // The word after the name: `key`, or the enum the column holds (ResolveNames checks it).
      if (c->ID().size() > 1) {
        if (c->ID(1)->getText() == "key") {
          column.is_key = true;
        } else {
          column.type_name = c->ID(1)->getText();
          column.type_range = RangeOf(c->ID(1));
        }
      }
      if (c->nullable != nullptr) {
        column.nullable = true;
        // As in PostgreSQL, a primary key is never null.
        if (column.is_key) diags_.Error(Begin(c->nullable), "a key column cannot be null: drop 'null' here");
      }
      table.columns.push_back(std::move(column));
    }
    for (RaceCheckParser::RowContext* r : ctx->row()) {
      std::vector<ExprPtr> row;
      for (RaceCheckParser::ExprContext* e : r->expr()) row.push_back(BuildExpr(e));
      table.rows.push_back(std::move(row));
      table.row_ranges.push_back(RangeOf(r));
    }
    model.tables.push_back(std::move(table));
  }

  void BuildRedis(RaceCheckParser::RedisDeclContext* ctx, Model& model) {
    RedisDecl redis;
    redis.range = RangeOf(ctx);
    redis.name = ctx->ID() ? ctx->ID()->getText() : "redis";
    redis.shape = BuildShape(ctx->shape());
    for (RaceCheckParser::RedisKeyContext* k : ctx->redisKey()) {
      RedisKey key;
      key.range = RangeOf(k);
      key.name = k->name->getText();
      if (k->value) key.initial = BuildExpr(k->value);
      if (k->kind) {
        key.kind = k->kind->getText();
        key.kind_range.begin = Begin(k->kind);
        key.kind_range.end = {key.kind_range.begin.line,
                              key.kind_range.begin.column + static_cast<int>(key.kind.size())};
        key.bound = BuildExpr(k->bound);
      }
      if (RaceCheckParser::ListInitContext* list = k->listInit()) {
        key.has_elements = true;
        for (RaceCheckParser::ExprContext* e : list->expr()) key.elements.push_back(BuildExpr(e));
      }
      redis.keys.push_back(std::move(key));
    }
    model.redis.push_back(std::move(redis));
  }

  void BuildProcess(RaceCheckParser::ProcessDeclContext* ctx, Model& model) {
    ProcessDecl process;
    process.range = RangeOf(ctx);
    process.name = ctx->ID()->getText();
    if (ctx->count) process.count = BuildExpr(ctx->count);
    if (ctx->replica) process.replica = BuildExpr(ctx->replica);
    for (RaceCheckParser::ProcessParamContext* p : ctx->processParam()) {
      ProcessParam param;
      param.range = RangeOf(p);
      if (auto* d = dynamic_cast<RaceCheckParser::DefaultParamContext*>(p)) {
        param.name = d->ID()->getText();
        param.value = BuildExpr(d->expr());
      } else if (auto* r = dynamic_cast<RaceCheckParser::RangeParamContext*>(p)) {
        param.name = r->ID()->getText();
        param.is_range = true;
        param.lo = BuildExpr(r->expr(0));
        param.hi = BuildExpr(r->expr(1));
      }
      process.params.push_back(std::move(param));
    }
    process.body = BuildBlock(ctx->block());
    model.processes.push_back(std::move(process));
  }

  void BuildExpect(RaceCheckParser::ExpectDeclContext* ctx, Model& model) {
    if (model.expect.kind != ExpectKind::kNone) {
      diags_.Error(RangeOf(ctx).begin, fmt::format("the expected verdict is already declared at line {}; "
                                                   "a model has one 'expect'", model.expect.range.begin.line));
      return;
    }
    ExpectDecl& expect = model.expect;
    expect.range = RangeOf(ctx);
    std::string kind = ctx->word()->getText();
    bool has_names = !ctx->ID().empty();
    if (kind == "violation") {
      expect.kind = ExpectKind::kViolation;
      for (antlr4::tree::TerminalNode* id : ctx->ID()) {
        expect.names.push_back(id->getText());
        expect.name_ranges.push_back(RangeOf(id));
      }
      if (!has_names) diags_.Error(RangeOf(ctx->word()).end, "name the property you expect to be violated: "
                                                            "'expect violation NAME'");
      return;
    }
    if (kind == "safe") expect.kind = ExpectKind::kSafe;
    else if (kind == "deadlock") expect.kind = ExpectKind::kDeadlock;
    else if (kind == "failure") expect.kind = ExpectKind::kFailure;
    else {
      diags_.Error(RangeOf(ctx->word()).begin, fmt::format("'expect {}' means nothing: write 'expect safe', "
                                                          "'expect deadlock', 'expect failure' or "
                                                          "'expect violation NAME'", kind));
      return;
    }
    if (has_names) diags_.Error(RangeOf(ctx->ID(0)).begin, fmt::format("'expect {}' takes no name", kind));
  }

  Block BuildBlock(RaceCheckParser::BlockContext* ctx) {
    Block block;
    for (RaceCheckParser::StmtContext* s : ctx->stmt()) {
      if (dynamic_cast<RaceCheckParser::EmptyStmtContext*>(s)) continue;
      block.push_back(BuildStmt(s));
    }
    return block;
  }

  // The right-hand side of let and assignment: an SQL statement or an expression.
  void BuildRhs(RaceCheckParser::RhsContext* ctx, Stmt& stmt) {
    if (ctx->sql()) stmt.sql = BuildSql(ctx->sql());
    else stmt.value = BuildExpr(ctx->expr());
  }

  StmtPtr BuildStmt(RaceCheckParser::StmtContext* ctx) {
    SourceRange range = RangeOf(ctx);
    auto make = [&](StmtKind kind) { return std::make_unique<Stmt>(range, kind); };
    if (auto* c = dynamic_cast<RaceCheckParser::LetStmtContext*>(ctx)) {
      auto s = make(StmtKind::kLet);
      s->names.push_back(c->ID()->getText());
      s->name_ranges.push_back(RangeOf(c->ID()));
      BuildRhs(c->rhs(), *s);
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::LetTupleStmtContext*>(ctx)) {
      auto s = make(StmtKind::kLetTuple);
      for (antlr4::tree::TerminalNode* id : c->ID()) {
        s->names.push_back(id->getText());
        s->name_ranges.push_back(RangeOf(id));
      }
      BuildRhs(c->rhs(), *s);
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::AssignStmtContext*>(ctx)) {
      auto s = make(StmtKind::kAssign);
      s->target_name = c->lvalue()->ID()->getText();
      if (c->lvalue()->expr()) s->target_index = BuildExpr(c->lvalue()->expr());
      std::string op = c->op->getText();
      s->assign_op = op == "=" ? AssignOp::kSet : op == "+=" ? AssignOp::kAdd : op == "-=" ? AssignOp::kSub : AssignOp::kMul;
      BuildRhs(c->rhs(), *s);
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::IfStmtAltContext*>(ctx)) return BuildIf(c->ifStmt());
    if (auto* c = dynamic_cast<RaceCheckParser::WhileStmtContext*>(ctx)) {
      auto s = make(StmtKind::kWhile);
      s->value = BuildExpr(c->expr());
      s->body = BuildBlock(c->block());
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::RetryStmtContext*>(ctx)) {
      auto s = make(StmtKind::kRetry);
      s->value = BuildExpr(c->expr());
      s->body = BuildBlock(c->block(0));
      if (c->block().size() > 1) {
        s->has_else = true;
        s->else_body = BuildBlock(c->block(1));
      }
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::ForStmtContext*>(ctx)) {
      auto s = make(StmtKind::kFor);
      s->names.push_back(c->ID()->getText());
      s->name_ranges.push_back(RangeOf(c->ID()));
      s->sql = BuildSql(c->sql());
      s->body = BuildBlock(c->block());
      return s;
    }
    if (dynamic_cast<RaceCheckParser::BreakStmtContext*>(ctx)) return make(StmtKind::kBreak);
    if (dynamic_cast<RaceCheckParser::ContinueStmtContext*>(ctx)) return make(StmtKind::kContinue);
    if (auto* c = dynamic_cast<RaceCheckParser::AtomicStmtContext*>(ctx)) {
      auto s = make(StmtKind::kAtomic);
      s->body = BuildBlock(c->block());
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::LockStmtContext*>(ctx)) {
      auto s = make(StmtKind::kLock);
      s->lock = BuildLockRef(c->lockRef());
      s->body = BuildBlock(c->block());
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::AcquireStmtContext*>(ctx)) {
      auto s = make(StmtKind::kAcquire);
      s->lock = BuildLockRef(c->lockRef());
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::ReleaseStmtContext*>(ctx)) {
      auto s = make(StmtKind::kRelease);
      s->lock = BuildLockRef(c->lockRef());
      return s;
    }
    if (dynamic_cast<RaceCheckParser::AwaitStmtContext*>(ctx)) return make(StmtKind::kAwait);
    if (auto* c = dynamic_cast<RaceCheckParser::AssertStmtContext*>(ctx)) {
      auto s = make(StmtKind::kAssert);
      s->value = BuildExpr(c->expr());
      if (c->STRING()) s->message = Unquote(c->STRING()->getText());
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::AssumeStmtContext*>(ctx)) {
      auto s = make(StmtKind::kAssume);
      s->value = BuildExpr(c->expr());
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::ChooseStmtContext*>(ctx)) {
      auto s = make(StmtKind::kChoose);
      s->names.push_back(c->ID()->getText());
      s->name_ranges.push_back(RangeOf(c->ID()));
      s->value = BuildExpr(c->expr(0));
      s->value2 = BuildExpr(c->expr(1));
      return s;
    }
    if (dynamic_cast<RaceCheckParser::SkipStmtContext*>(ctx)) return make(StmtKind::kSkip);
    if (auto* c = dynamic_cast<RaceCheckParser::TransactionStmtContext*>(ctx)) return BuildTransaction(c);
    if (dynamic_cast<RaceCheckParser::RollbackStmtContext*>(ctx)) return make(StmtKind::kRollback);
    if (auto* c = dynamic_cast<RaceCheckParser::SqlStmtContext*>(ctx)) {
      auto s = make(StmtKind::kSql);
      s->sql = BuildSql(c->sql());
      BuildFailureHandler(c->failureHandler(), *s);
      return s;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::RedisStmtContext*>(ctx)) {
      auto s = make(StmtKind::kRedis);
      s->redis = BuildRedisCall(c->redisCall());
      return s;
    }
    RACECHECK_CHECK(false, "a statement alternative the AST builder does not know");
  }

  // The grammar reads `if a {} else if b {} else {}` as a flat list of clauses; the AST nests
  // them, each else-if a kIf alone in the else of the clause before. Each clause's range runs
  // from its `if` to the end of the chain.
  StmtPtr BuildIf(RaceCheckParser::IfStmtContext* ctx) {
    // `else` then a block is the plain else, and must be last (the model is dropped after this
    // error, so what is built below only has to be safe to build).
    for (size_t i = 0; i + 2 < ctx->children.size(); ++i) {
      auto* keyword = dynamic_cast<antlr4::tree::TerminalNode*>(ctx->children[i]);
      if (keyword && keyword->getText() == "else" &&
          dynamic_cast<RaceCheckParser::BlockContext*>(ctx->children[i + 1])) {
        auto* next = dynamic_cast<antlr4::tree::TerminalNode*>(ctx->children[i + 2]);
        diags_.Error(RangeOf(next).begin, "this 'else' follows the plain 'else { ... }' of its chain, which must "
                                          "come last: put every 'else if' before it");
        break;
      }
    }
    std::vector<StmtPtr> clauses;
    for (antlr4::tree::ParseTree* child : ctx->children) {
      auto* keyword = dynamic_cast<antlr4::tree::TerminalNode*>(child);
      if (!keyword || keyword->getText() != "if") continue;
      SourceRange range = RangeOf(ctx);
      range.begin = Begin(keyword->getSymbol());
      clauses.push_back(std::make_unique<Stmt>(range, StmtKind::kIf));
    }
    RACECHECK_CHECK(clauses.size() == ctx->expr().size(), "an if clause without its condition");
    for (size_t i = 0; i < clauses.size(); ++i) {
      clauses[i]->value = BuildExpr(ctx->expr(i));
      clauses[i]->body = BuildBlock(ctx->block(i));
    }
    if (ctx->block().size() > clauses.size()) {
      clauses.back()->has_else = true;
      clauses.back()->else_body = BuildBlock(ctx->block(clauses.size()));
    }
    for (size_t i = clauses.size() - 1; i > 0; --i) {
      clauses[i - 1]->has_else = true;
      clauses[i - 1]->else_body.push_back(std::move(clauses[i]));
    }
    return std::move(clauses[0]);
  }

  StmtPtr BuildTransaction(RaceCheckParser::TransactionStmtContext* ctx) {
    auto s = std::make_unique<Stmt>(RangeOf(ctx), StmtKind::kTransaction);
    s->isolation = "read_committed";
    if (ctx->ID()) {
      s->isolation = ctx->ID()->getText();
      s->isolation_range = RangeOf(ctx->ID());
      if (s->isolation != "read_committed" && s->isolation != "repeatable_read" && s->isolation != "serializable") {
        diags_.Error(s->isolation_range.begin,
                     fmt::format("unknown isolation level '{}': write read_committed, repeatable_read or serializable",
                                 s->isolation));
      }
    }
    s->body = BuildBlock(ctx->block());
    BuildFailureHandler(ctx->failureHandler(), *s);
    return s;
  }

  // `on failure[(names)] retry at most K` or `on failure[(names)] { ... }`, on a transaction or
  // an autocommit statement; ResolveNames decides whether the names are failures or a binding.
  void BuildFailureHandler(RaceCheckParser::FailureHandlerContext* ctx, Stmt& s) {
    RaceCheckParser::FailureNamesContext* names = nullptr;
    if (auto* retry = dynamic_cast<RaceCheckParser::RetryOnFailureContext*>(ctx)) {
      s.failure = FailureKind::kRetry;
      s.value2 = BuildExpr(retry->expr());
      names = retry->failureNames();
    } else if (auto* block = dynamic_cast<RaceCheckParser::BlockOnFailureContext*>(ctx)) {
      s.failure = FailureKind::kBlock;
      s.else_body = BuildBlock(block->block());
      names = block->failureNames();
    }
    if (ctx) s.failure_range = RangeOf(ctx);
    if (!names) return;
    for (antlr4::tree::TerminalNode* id : names->ID()) {
      s.failure_names.push_back(id->getText());
      s.failure_name_ranges.push_back(RangeOf(id));
    }
  }

  LockRef BuildLockRef(RaceCheckParser::LockRefContext* ctx) {
    LockRef ref;
    ref.range = RangeOf(ctx);
    ref.name = ctx->ID()->getText();
    if (ctx->expr()) ref.index = BuildExpr(ctx->expr());
    return ref;
  }

  std::unique_ptr<Sql> BuildSql(RaceCheckParser::SqlContext* ctx) {
    auto sql = std::make_unique<Sql>();
    sql->range = RangeOf(ctx);
    if (auto* c = dynamic_cast<RaceCheckParser::SelectSqlContext*>(ctx)) {
      sql->kind = SqlKind::kSelect;
      sql->table_name = c->ID()->getText();
      for (RaceCheckParser::SelectItemContext* item : c->selectItem()) {
        SelectItem select{RangeOf(item), item->ID(0)->getText(), "", false, -1};
        if (item->getStop()->getText() == ")") {
          select.aggregate = true;
          select.argument = item->ID().size() > 1 ? item->ID(1)->getText() : "*";
        }
        sql->items.push_back(std::move(select));
      }
      for (RaceCheckParser::ExprContext* e : c->expr()) {
        if (e != c->limit) sql->where = BuildExpr(e);
      }
      if (c->orderBy()) {
        for (RaceCheckParser::OrderItemContext* item : c->orderBy()->orderItem()) {
          sql->order_by.push_back({RangeOf(item), item->ID()->getText(), item->dir && item->dir->getText() == "desc", -1});
        }
      }
      if (c->limit) sql->limit = BuildExpr(c->limit);
      if (c->rowLock()) BuildRowLock(c->rowLock(), *sql);
    } else if (auto* u = dynamic_cast<RaceCheckParser::UpdateSqlContext*>(ctx)) {
      sql->kind = SqlKind::kUpdate;
      sql->table_name = u->ID()->getText();
      BuildSets(u->setItem(), *sql);
      if (u->expr()) sql->where = BuildExpr(u->expr());
      BuildReturning(u->returning(), *sql);
    } else if (auto* i = dynamic_cast<RaceCheckParser::InsertSqlContext*>(ctx)) {
      sql->kind = SqlKind::kInsert;
      sql->table_name = i->ID(0)->getText();
      for (size_t k = 1; k < i->ID().size(); ++k) sql->insert_columns.push_back(i->ID(k)->getText());
      for (RaceCheckParser::ExprContext* e : i->expr()) sql->values.push_back(BuildExpr(e));
      if (RaceCheckParser::OnConflictContext* conflict = i->onConflict()) {
        sql->conflict_range = RangeOf(conflict);
        for (antlr4::tree::TerminalNode* id : conflict->ID()) sql->conflict_columns.push_back(id->getText());
        if (RaceCheckParser::DoUpdateContext* update = conflict->doUpdate()) {
          sql->on_conflict_do_update = true;
          BuildSets(update->setItem(), *sql);
          if (update->expr()) sql->where = BuildExpr(update->expr());
          if (sql->conflict_columns.empty()) {
            // PostgreSQL: "ON CONFLICT DO UPDATE requires inference specification or constraint name".
            diags_.Error(RangeOf(update).begin, fmt::format("'do update' needs to know which duplicate it updates: "
                                                            "name the key or unique columns, as in 'on conflict "
                                                            "({}) do update ...'", "email"));
          }
          for (SetItem& set : sql->sets) MarkExcluded(*set.value);
          if (sql->where) MarkExcluded(*sql->where);
        } else {
          sql->on_conflict_do_nothing = true;
        }
      }
      BuildReturning(i->returning(), *sql);
    } else if (auto* d = dynamic_cast<RaceCheckParser::DeleteSqlContext*>(ctx)) {
      sql->kind = SqlKind::kDelete;
      sql->table_name = d->ID()->getText();
      if (d->expr()) sql->where = BuildExpr(d->expr());
      BuildReturning(d->returning(), *sql);
    }
    // `users.tries` inside the statement is the row's column `tries`, as PostgreSQL reads it.
    for (SetItem& set : sql->sets) Unqualify(*set.value, sql->table_name);
    if (sql->where) Unqualify(*sql->where, sql->table_name);
    return sql;
  }

  void BuildReturning(RaceCheckParser::ReturningContext* ctx, Sql& sql) {
    if (!ctx) return;
    for (antlr4::tree::TerminalNode* id : ctx->ID()) sql.items.push_back({RangeOf(id), id->getText(), "", false, -1});
  }

  void BuildSets(const std::vector<RaceCheckParser::SetItemContext*>& items, Sql& sql) {
    for (RaceCheckParser::SetItemContext* item : items) {
      sql.sets.push_back({RangeOf(item), item->ID()->getText(), -1, BuildExpr(item->expr())});
    }
  }

  // `table.column` (no row key) in a statement on `table`: the column of the row it looks at.
  static void Unqualify(Expr& e, const std::string& table) {
    if (e.kind == ExprKind::kMember && e.operands.empty() && e.name == table) {
      e.kind = ExprKind::kName;
      e.name = e.member;
      e.member.clear();
    }
    for (ExprPtr& operand : e.operands) Unqualify(*operand, table);
  }

  // `excluded.email` in a do update: the column of the row the insert proposed.
  static void MarkExcluded(Expr& e) {
    if (e.kind == ExprKind::kMember && e.operands.empty() && e.name == "excluded") {
      e.kind = ExprKind::kExcluded;
      e.name = e.member;
      e.member.clear();
    }
    for (ExprPtr& operand : e.operands) MarkExcluded(*operand);
  }

  // `for update`, `for no key update`, `for share`, each with `skip locked` or `nowait`.
  void BuildRowLock(RaceCheckParser::RowLockContext* ctx, Sql& sql) {
    bool key_share = ctx->ID() && ctx->children.size() > 1 && ctx->children[1]->getText() != "no";
    if (key_share) {
      diags_.Error(RangeOf(ctx->ID()).begin,
                   ctx->ID()->getText() == "key"
                       ? "racecheck does not model 'for key share' (the lock foreign-key checks take): 'for share' is "
                         "the nearest, and it conflicts with more (also with updates that keep the key)"
                       : fmt::format("expected 'key' in 'for key share', not '{}'", ctx->ID()->getText()));
    } else if (ctx->ID() && ctx->ID()->getText() != "key") {
      diags_.Error(RangeOf(ctx->ID()).begin, fmt::format("expected 'key' in 'for no key update', not '{}'",
                                                        ctx->ID()->getText()));
    }
    sql.for_update = ctx->getStart()->getText() == "for";
    sql.no_key = ctx->ID() != nullptr && !key_share;
    sql.share = key_share || (ctx->strength && ctx->strength->getText() == "share");
    std::vector<RaceCheckParser::LockWaitContext*> waits = ctx->lockWait();
    if (waits.empty()) return;
    bool nowait = waits[0]->getStart()->getText() == "nowait";
    sql.lock_wait = nowait ? LockWait::kNoWait : LockWait::kSkipLocked;
    sql.lock_wait_range = RangeOf(waits[0]);
    if (!sql.for_update) {
      diags_.Error(sql.lock_wait_range.begin, fmt::format("'{0}' says what a row lock does when the row is locked, and "
                                                          "this select takes none: write 'for update {0}'",
                                                          nowait ? "nowait" : "skip locked"));
    }
    if (waits.size() > 1) {
      diags_.Error(RangeOf(waits[1]).begin, "a row lock either skips locked rows ('skip locked') or fails on them "
                                            "('nowait'), once: keep one of them");
    }
  }

  std::unique_ptr<RedisCall> BuildRedisCall(RaceCheckParser::RedisCallContext* ctx) {
    auto call = std::make_unique<RedisCall>();
    call->range = RangeOf(ctx);
    if (auto* c = dynamic_cast<RaceCheckParser::RedisCommandContext*>(ctx)) {
      call->instance_name = c->owner()->getText();
      if (c->expr()) call->instance_index = BuildExpr(c->expr());
      call->command = Upper(c->command()->getText());
      for (RaceCheckParser::CallArgContext* a : c->callArg()) {
        call->args.push_back({RangeOf(a), a->ID() ? Upper(a->ID()->getText()) : "", BuildExpr(a->expr())});
      }
    } else if (auto* b = dynamic_cast<RaceCheckParser::RedisBlockContext*>(ctx)) {
      call->instance_name = b->owner()->getText();
      if (b->expr()) call->instance_index = BuildExpr(b->expr());
      call->command = Upper(b->ID()->getText());
      call->is_block = true;
      call->body = BuildBlock(b->block());
      if (call->command != "EVAL" && call->command != "MULTI") {
        diags_.Error(RangeOf(b->ID()).begin, fmt::format("'{}.{} {{ ... }}' is not a Redis block: write "
                                                          "'{}.eval {{ ... }}' (a script) or '{}.multi {{ ... }}'",
                                                          call->instance_name, b->ID()->getText(),
                                                          call->instance_name, call->instance_name));
      }
    }
    return call;
  }

  ExprPtr BuildExpr(RaceCheckParser::ExprContext* ctx) {
    SourceRange range = RangeOf(ctx);
    if (auto* c = dynamic_cast<RaceCheckParser::PrimaryExprContext*>(ctx)) return BuildPrimary(c->primary());
    if (auto* c = dynamic_cast<RaceCheckParser::UnaryExprContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kUnary);
      e->unary_op = c->op->getText() == "-" ? UnaryOp::kNeg : UnaryOp::kNot;
      e->operands.push_back(BuildExpr(c->expr()));
      // Fold a negative literal here, so -2147483648 is one literal, not an overflow.
      Expr& operand = *e->operands[0];
      if (e->unary_op == UnaryOp::kNeg && operand.kind == ExprKind::kInt && !operand.literal_too_large) {
        operand.int_value = -operand.int_value;
        operand.range = range;
        return std::move(e->operands[0]);
      }
      return e;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::IsNullExprContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kIsNull);
      e->bool_value = c->negated != nullptr;
      e->operands.push_back(BuildExpr(c->expr()));
      return e;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::BinaryExprContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kBinary);
      static const std::pair<const char*, BinaryOp> kOps[] = {
          {"*", BinaryOp::kMul}, {"/", BinaryOp::kDiv}, {"%", BinaryOp::kMod},  {"+", BinaryOp::kAdd},
          {"-", BinaryOp::kSub}, {"<", BinaryOp::kLt},  {"<=", BinaryOp::kLe},  {">", BinaryOp::kGt},
          {">=", BinaryOp::kGe}, {"==", BinaryOp::kEq}, {"!=", BinaryOp::kNe},  {"=", BinaryOp::kSqlEq},
          {"and", BinaryOp::kAnd}, {"or", BinaryOp::kOr}};
      for (const auto& [text, op] : kOps) {
        if (c->op->getText() == text) e->binary_op = op;
      }
      e->operands.push_back(BuildExpr(c->expr(0)));
      e->operands.push_back(BuildExpr(c->expr(1)));
      return e;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::CondExprContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kCond);
      for (size_t i = 0; i < 3; ++i) e->operands.push_back(BuildExpr(c->expr(i)));
      return e;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::InExprContext*>(ctx)) {
      // `x in (a, b)` is `x == a or x == b`, as in SQL; x is built once per comparison.
      ExprPtr any;
      for (size_t k = 1; k < c->expr().size(); ++k) {
        auto eq = std::make_unique<Expr>(range, ExprKind::kBinary);
        eq->binary_op = BinaryOp::kEq;
        eq->operands.push_back(BuildExpr(c->expr(0)));
        eq->operands.push_back(BuildExpr(c->expr(k)));
        if (!any) {
          any = std::move(eq);
          continue;
        }
        auto either = std::make_unique<Expr>(range, ExprKind::kBinary);
        either->binary_op = BinaryOp::kOr;
        either->operands.push_back(std::move(any));
        either->operands.push_back(std::move(eq));
        any = std::move(either);
      }
      return any;
    }
    RACECHECK_CHECK(false, "an expression alternative the AST builder does not know");
  }

  ExprPtr BuildPrimary(RaceCheckParser::PrimaryContext* ctx) {
    SourceRange range = RangeOf(ctx);
    if (auto* c = dynamic_cast<RaceCheckParser::IntLiteralContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kInt);
      const std::string digits = c->INT()->getText();
      // Digits beyond int64 are kept as "too large"; CheckTypes reports it with the bound.
      int64_t value = 0;
      for (char d : digits) {
        if (value > (INT64_MAX - (d - '0')) / 10) {
          e->literal_too_large = true;
          break;
        }
        value = value * 10 + (d - '0');
      }
      e->int_value = value;
      return e;
    }
    if (dynamic_cast<RaceCheckParser::NullLiteralContext*>(ctx) != nullptr) return std::make_unique<Expr>(range, ExprKind::kNull);
    if (auto* c = dynamic_cast<RaceCheckParser::BoolLiteralContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kBool);
      e->bool_value = c->getStart()->getText() == "true";
      return e;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::StringLiteralContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kString);
      const std::string text = c->SQL_STRING()->getText();
      e->name = text.substr(1, text.size() - 2);
      return e;
    }
    if (dynamic_cast<RaceCheckParser::SelfRefContext*>(ctx)) return std::make_unique<Expr>(range, ExprKind::kSelf);
    if (auto* c = dynamic_cast<RaceCheckParser::RedisCallExprContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kRedis);
      e->redis = BuildRedisCall(c->redisCall());
      return e;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::TableAggregateExprContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kAggregate);
      e->name = c->ID(1)->getText();
      if (c->ID().size() > 2) e->member = c->ID(2)->getText();
      e->operands.push_back(BuildExpr(c->expr()));
      return Aggregate(c->ID(0)->getText(), std::move(e));
    }
    if (auto* c = dynamic_cast<RaceCheckParser::CallExprContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kCall);
      e->name = c->ID()->getText();
      for (RaceCheckParser::ExprContext* a : c->expr()) e->operands.push_back(BuildExpr(a));
      if (e->name != "count" && e->name != "sum" && e->name != "exists") return e;
      // `count(jobs)`, `sum(stock.qty)`: an aggregate over a table with no where clause.
      const Expr* over = e->operands.size() == 1 ? e->operands[0].get() : nullptr;
      bool table = over && over->kind == ExprKind::kName;
      bool column = over && over->kind == ExprKind::kMember && over->operands.empty();
      if (!table && !column) {
        diags_.Error(range.begin, fmt::format("{}(...) looks at a table's rows: write {}", e->name,
                                              e->name == "sum" ? "sum(t.column) or sum(t.column where condition)"
                                                               : fmt::format("{0}(t) or {0}(t where condition)", e->name)));
        return e;
      }
      auto aggregate = std::make_unique<Expr>(range, ExprKind::kAggregate);
      aggregate->name = over->name;
      aggregate->member = column ? over->member : "";
      return Aggregate(e->name, std::move(aggregate));
    }
    if (auto* c = dynamic_cast<RaceCheckParser::MemberExprContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kMember);
      e->name = c->owner()->getText();
      e->member = c->ID()->getText();
      if (c->expr()) e->operands.push_back(BuildExpr(c->expr()));
      return e;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::IndexExprContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kIndex);
      e->name = c->ID()->getText();
      e->operands.push_back(BuildExpr(c->expr()));
      return e;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::NameExprContext*>(ctx)) {
      auto e = std::make_unique<Expr>(range, ExprKind::kName);
      e->name = c->ID()->getText();
      return e;
    }
    if (auto* c = dynamic_cast<RaceCheckParser::ParenExprContext*>(ctx)) return BuildExpr(c->expr());
    RACECHECK_CHECK(false, "a primary alternative the AST builder does not know");
  }

  // Which aggregate `function` names; ResolveNames checks the table and the column.
  ExprPtr Aggregate(const std::string& function, ExprPtr e) {
    if (function == "count") {
      e->aggregate = AggregateOp::kCount;
    } else if (function == "exists") {
      e->aggregate = AggregateOp::kExists;
    } else if (function == "sum") {
      e->aggregate = AggregateOp::kSum;
    } else {
      diags_.Error(e->range.begin, fmt::format("'{}' is not an aggregate over a table racecheck knows: use count(t where "
                                               "...), exists(t where ...) or sum(t.column where ...)", function));
    }
    return e;
  }

  base::DiagnosticEngine& diags_;
};

}  // namespace

std::unique_ptr<Model> BuildAst(RaceCheckParser::ModelContext* tree, base::DiagnosticEngine& diags) {
  return Builder(diags).BuildModel(tree);
}

}  // namespace racecheck::frontend
