#include "checker/frontend/ast_builder_impl.h"

namespace racecheck::frontend::build {

Block Builder::BuildBlock(RaceCheckParser::BlockContext* ctx) {
  Block block;
  bool after_return = false;
  for (RaceCheckParser::StmtContext* s : ctx->stmt()) {
    if (dynamic_cast<RaceCheckParser::EmptyStmtContext*>(s)) continue;
    if (!after_return && !block.empty() && block.back()->kind == StmtKind::kReturn) {
      after_return = true;
      std::string first = s->getStart()->getText();
      bool same_line = s->getStart()->getLine() == static_cast<size_t>(block.back()->range.begin.line);
      if (same_line && (first == "select" || first == "insert" || first == "update" || first == "delete")) {
        // `return select v from t ...` (round 20): a query is a statement, not a value.
        diags_.Error(RangeOf(s).begin, fmt::format("a query is a statement, not a value: keep its result in a local "
                                                   "('let v = {} ...') and return that ('return v')", first));
      } else {
        diags_.Error(RangeOf(s).begin, "this statement follows a 'return' in the same block and never runs; remove "
                                       "it or move the 'return'");
      }
    }
    auto* await = dynamic_cast<RaceCheckParser::AwaitStmtContext*>(s);
    if (await && await->awaited() && await->awaited()->getStart()->getLine() > await->getStart()->getLine()) {
      // `await` alone on its line, then a call: the yield of old and the call, not an awaited call.
      SourceRange word{Begin(await->getStart()), Begin(await->getStart())};
      word.end.column += 5;
      block.push_back(std::make_unique<Stmt>(word, StmtKind::kAwait));
      block.push_back(BuildAwaited(await->awaited(), RangeOf(await->awaited()), /*awaited=*/false));
      continue;
    }
    block.push_back(BuildStmt(s));
  }
  return block;
}

StmtPtr Builder::BuildAwaited(RaceCheckParser::AwaitedContext* ctx, SourceRange range, bool awaited) {
  StmtPtr s;
  if (ctx->sql()) {
    s = std::make_unique<Stmt>(range, StmtKind::kSql);
    s->sql = BuildSql(ctx->sql());
    BuildFailureHandler(ctx->failureHandler(), *s);
  } else if (ctx->redisCall()) {
    s = std::make_unique<Stmt>(range, StmtKind::kRedis);
    s->redis = BuildRedisCall(ctx->redisCall());
  } else {
    s = std::make_unique<Stmt>(range, StmtKind::kCall);
    s->value = BuildCall(ctx->call());
  }
  s->awaited = awaited;
  return s;
}

StmtPtr Builder::BuildReturn(RaceCheckParser::ReturnStmtContext* ctx) {
  auto s = std::make_unique<Stmt>(RangeOf(ctx), StmtKind::kReturn);
  if (!ctx->expr()) return s;
  if (ctx->expr()->getStart()->getLine() > ctx->getStart()->getLine()) {
    // `return` then, on the next line, something that reads as its value: code after a return.
    diags_.Error(RangeOf(ctx->expr()).begin, "this follows a 'return' and never runs (the value a fn returns "
                                             "starts on the line of its 'return'); remove it or move the 'return'");
  }
  s->value = BuildExpr(ctx->expr());
  return s;
}

void Builder::BuildRhs(RaceCheckParser::RhsContext* ctx, Stmt& stmt) {
  // `await` before an expression is the expression's own (AwaitExpr).
  stmt.awaited = ctx->sql() && ctx->getStart()->getText() == "await";
  if (ctx->sql()) stmt.sql = BuildSql(ctx->sql());
  else stmt.value = BuildExpr(ctx->expr());
}

StmtPtr Builder::BuildStmt(RaceCheckParser::StmtContext* ctx) {
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
  if (auto* c = dynamic_cast<RaceCheckParser::AwaitStmtContext*>(ctx)) {
    return c->awaited() ? BuildAwaited(c->awaited(), range, /*awaited=*/true) : make(StmtKind::kAwait);
  }
  if (auto* c = dynamic_cast<RaceCheckParser::CallStmtContext*>(ctx)) {
    auto s = make(StmtKind::kCall);
    s->value = BuildCall(c->call());
    return s;
  }
  if (auto* c = dynamic_cast<RaceCheckParser::ReturnStmtContext*>(ctx)) return BuildReturn(c);
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
  if (dynamic_cast<RaceCheckParser::MayCrashStmtContext*>(ctx)) return make(StmtKind::kMayCrash);
  if (auto* c = dynamic_cast<RaceCheckParser::TakesStmtContext*>(ctx)) {
    auto s = make(StmtKind::kTakes);
    s->value = BuildExpr(c->expr(0));
    s->value2 = BuildExpr(c->expr(1));
    s->body = BuildBlock(c->block());
    return s;
  }
  if (auto* c = dynamic_cast<RaceCheckParser::PauseStmtContext*>(ctx)) {
    auto s = make(StmtKind::kPause);
    s->value = BuildExpr(c->expr(0));
    s->value2 = BuildExpr(c->expr(1));
    return s;
  }
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

StmtPtr Builder::BuildIf(RaceCheckParser::IfStmtContext* ctx) {
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

StmtPtr Builder::BuildTransaction(RaceCheckParser::TransactionStmtContext* ctx) {
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

void Builder::BuildFailureHandler(RaceCheckParser::FailureHandlerContext* ctx, Stmt& s) {
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

LockRef Builder::BuildLockRef(RaceCheckParser::LockRefContext* ctx) {
  LockRef ref;
  ref.range = RangeOf(ctx);
  ref.name = ctx->ID()->getText();
  if (ctx->expr()) ref.index = BuildExpr(ctx->expr());
  return ref;
}

}  // namespace racecheck::frontend::build
