#include "checker/frontend/ast_builder_impl.h"
#include "checker/frontend/await_messages.h"

namespace racecheck::frontend::build {

std::unique_ptr<RedisCall> Builder::BuildRedisCall(RaceCheckParser::RedisCallContext* ctx) {
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

ExprPtr Builder::BuildExpr(RaceCheckParser::ExprContext* ctx) {
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
      eq->from_in_list = true;
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

ExprPtr Builder::BuildPrimary(RaceCheckParser::PrimaryContext* ctx) {
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
  if (auto* c = dynamic_cast<RaceCheckParser::AwaitExprContext*>(ctx)) {
    // The command or call is the value; `await` adds no step (docs/language.md, "Awaited calls").
    ExprPtr e = BuildPrimary(c->primary());
    if (e->kind == ExprKind::kRedis || e->kind == ExprKind::kCall) {
      e->awaited = true;
      e->range.begin = range.begin;  // from the `await`, which a message about it points at
      awaited_expressions_.push_back(range.begin);
    } else {
      // At the `await`: one at a line's end otherwise takes the next line's first word (round 32).
      diags_.Error(range.begin, kAwaitNeedsACall);
    }
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
    if (c->ownerIndex) e->operands.push_back(BuildExpr(c->ownerIndex));
    if (c->keyIndex) {
      e->operands.push_back(BuildExpr(c->keyIndex));
      e->key_indexed = true;
    }
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

ExprPtr Builder::Aggregate(const std::string& function, ExprPtr e) {
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

ExprPtr Builder::BuildCall(RaceCheckParser::CallContext* ctx) {
  auto e = std::make_unique<Expr>(RangeOf(ctx), ExprKind::kCall);
  e->name = ctx->ID()->getText();
  for (RaceCheckParser::ExprContext* a : ctx->expr()) e->operands.push_back(BuildExpr(a));
  return e;
}

}  // namespace racecheck::frontend::build
