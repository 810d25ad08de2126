#include "checker/frontend/ast_builder.h"

#include "checker/frontend/ast_builder_impl.h"
#include "checker/frontend/spelling.h"

namespace racecheck::frontend::build {

base::SourceLocation Begin(const antlr4::Token* token) {
  return {static_cast<int>(token->getLine()), static_cast<int>(token->getCharPositionInLine()) + 1};
}

namespace {

// Just past a token, in columns that count code points as Begin's do (a string may hold 'é').
base::SourceLocation End(const antlr4::Token* token) {
  base::SourceLocation end = Begin(token);
  end.column += base::CodePointCount(token->getText());
  return end;
}

}  // namespace

SourceRange RangeOf(antlr4::ParserRuleContext* ctx) {
  return {Begin(ctx->getStart()), End(ctx->getStop() ? ctx->getStop() : ctx->getStart())};
}

SourceRange RangeOf(antlr4::tree::TerminalNode* node) { return {Begin(node->getSymbol()), End(node->getSymbol())}; }

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

std::unique_ptr<Model> Builder::BuildModel(RaceCheckParser::ModelContext* ctx) {
  auto model = std::make_unique<Model>();
  model->range = RangeOf(ctx);
  model->name = ctx->ID()->getText();
  for (RaceCheckParser::TopDeclContext* decl : ctx->topDecl()) BuildTopDecl(decl, *model);
  model->awaited_expressions = std::move(awaited_expressions_);
  return model;
}

void Builder::BuildTopDecl(RaceCheckParser::TopDeclContext* ctx, Model& model) {
  if (auto* c = dynamic_cast<RaceCheckParser::RuntimeDeclContext*>(ctx)) return BuildRuntime(c, model);
  if (auto* c = dynamic_cast<RaceCheckParser::ReplicaCrashDeclContext*>(ctx)) return BuildReplicaCrash(c, model);
  if (auto* c = dynamic_cast<RaceCheckParser::ConstDeclContext*>(ctx)) {
    model.consts.push_back({RangeOf(c), c->ID()->getText(), BuildExpr(c->expr())});
    model.consts.back().name_range = RangeOf(c->ID());
    return;
  }
  if (auto* c = dynamic_cast<RaceCheckParser::ParamDeclContext*>(ctx)) {
    model.params.push_back({RangeOf(c), c->ID()->getText(), BuildExpr(c->expr(0)), BuildExpr(c->expr(1))});
    model.params.back().name_range = RangeOf(c->ID());
    return;
  }
  if (auto* c = dynamic_cast<RaceCheckParser::VarDeclContext*>(ctx)) return BuildVar(c, model);
  if (auto* c = dynamic_cast<RaceCheckParser::LockDeclContext*>(ctx)) {
    model.locks.push_back({RangeOf(c), c->ID()->getText(), BuildShape(c->shape())});
    model.locks.back().name_range = RangeOf(c->ID());
    return;
  }
  if (auto* c = dynamic_cast<RaceCheckParser::EnumDeclContext*>(ctx)) return BuildEnum(c, model);
  if (auto* c = dynamic_cast<RaceCheckParser::TableDeclContext*>(ctx)) return BuildTable(c, model);
  if (auto* c = dynamic_cast<RaceCheckParser::RedisDeclContext*>(ctx)) return BuildRedis(c, model);
  if (auto* c = dynamic_cast<RaceCheckParser::ProcessDeclContext*>(ctx)) return BuildProcess(c, model);
  if (auto* c = dynamic_cast<RaceCheckParser::FnDeclContext*>(ctx)) return BuildFn(c, model);
  if (auto* c = dynamic_cast<RaceCheckParser::PropertyDeclContext*>(ctx)) {
    std::string kind = c->kind->getText();
    PropertyKind property_kind = kind == "invariant" ? PropertyKind::kInvariant
                                 : kind == "final"   ? PropertyKind::kFinal
                                                     : PropertyKind::kCover;
    model.properties.push_back({RangeOf(c), property_kind, c->ID()->getText(), BuildExpr(c->expr())});
    model.properties.back().name_range = RangeOf(c->ID());
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

void Builder::BuildRuntime(RaceCheckParser::RuntimeDeclContext* ctx, Model& model) {
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

void Builder::BuildReplicaCrash(RaceCheckParser::ReplicaCrashDeclContext* ctx, Model& model) {
  if (model.replica_crash.declared) {
    diags_.Error(RangeOf(ctx).begin, fmt::format("replica crashes are already declared at line {}; declare them once",
                                                 model.replica_crash.range.begin.line));
    return;
  }
  model.replica_crash.declared = true;
  model.replica_crash.range = RangeOf(ctx);
  if (ctx->bound) model.replica_crash.bound = BuildExpr(ctx->bound);
}

void Builder::BuildVar(RaceCheckParser::VarDeclContext* ctx, Model& model) {
  VarDecl var;
  var.range = RangeOf(ctx);
  var.name = ctx->ID()->getText();
  var.name_range = RangeOf(ctx->ID());
  var.ghost = ctx->kind->getText() == "ghost";
  var.shape = BuildShape(ctx->shape());
  RaceCheckParser::InitializerContext* init = ctx->initializer();
  var.init_is_list = init->getStart()->getText() == "{";
  for (RaceCheckParser::ExprContext* e : init->expr()) var.init.push_back(BuildExpr(e));
  model.vars.push_back(std::move(var));
}

std::unique_ptr<Shape> Builder::BuildShape(RaceCheckParser::ShapeContext* ctx) {
  if (!ctx) return nullptr;
  auto shape = std::make_unique<Shape>();
  shape->range = RangeOf(ctx);
  shape->first = BuildExpr(ctx->expr(0));
  if (ctx->expr().size() > 1) shape->second = BuildExpr(ctx->expr(1));
  return shape;
}

void Builder::BuildEnum(RaceCheckParser::EnumDeclContext* ctx, Model& model) {
  EnumDecl decl;
  decl.range = RangeOf(ctx);
  decl.name = ctx->ID(0)->getText();
  decl.name_range = RangeOf(ctx->ID(0));
  for (size_t i = 1; i < ctx->ID().size(); ++i) decl.values.push_back({RangeOf(ctx->ID(i)), ctx->ID(i)->getText()});
  model.enums.push_back(std::move(decl));
}

void Builder::BuildTable(RaceCheckParser::TableDeclContext* ctx, Model& model) {
  TableDecl table;
  table.range = RangeOf(ctx);
  table.name = ctx->ID(0)->getText();
  table.name_range = RangeOf(ctx->ID(0));
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
    // The word after the name: `key`, or the enum the column holds (ResolveNames checks it).
    if (c->ID().size() > 1) {
      if (c->ID(1)->getText() == "key") {
        column.is_key = true;
      } else {
        column.type_name = c->ID(1)->getText();
        column.type_range = RangeOf(c->ID(1));
      }
    }
    // `null` and `unique` in either order, as SQL's column constraints.
    for (antlr4::Token* modifier : c->modifiers) {
      bool null_word = modifier->getText() == "null";
      bool& flag = null_word ? column.nullable : column.is_unique;
      if (flag) {
        diags_.Error(Begin(modifier), fmt::format("column '{}' says '{}' twice: drop one", column.name,
                                                  modifier->getText()));
      }
      flag = true;
      // As in PostgreSQL, a primary key is never null.
      if (null_word && column.is_key) diags_.Error(Begin(modifier), "a key column cannot be null: drop 'null' here");
    }
    table.columns.push_back(std::move(column));
  }
  if (ctx->roomWord != nullptr) {
    if (ctx->roomWord->getText() == "rows") {
      table.room = BuildExpr(ctx->room);
    } else {
      diags_.Error(Begin(ctx->roomWord), fmt::format("after a table's columns only 'rows N' may come (room for at most N "
                                                     "rows), then its rows in {{ }}; '{}' is not 'rows'",
                                                     ctx->roomWord->getText()));
    }
  }
  for (RaceCheckParser::RowContext* r : ctx->row()) {
    std::vector<ExprPtr> row;
    for (RaceCheckParser::ExprContext* e : r->expr()) row.push_back(BuildExpr(e));
    table.rows.push_back(std::move(row));
    table.row_ranges.push_back(RangeOf(r));
  }
  model.tables.push_back(std::move(table));
}

void Builder::BuildRedis(RaceCheckParser::RedisDeclContext* ctx, Model& model) {
  RedisDecl redis;
  redis.range = RangeOf(ctx);
  redis.name = ctx->ID() ? ctx->ID()->getText() : "redis";
  redis.name_range = ctx->ID() ? RangeOf(ctx->ID()) : redis.range;
  redis.shape = BuildShape(ctx->shape());
  for (RaceCheckParser::RedisKeyContext* k : ctx->redisKey()) {
    RedisKey key;
    key.range = RangeOf(k);
    key.name = k->name->getText();
    key.shape = BuildShape(k->shape());
    if (k->value) key.initial = BuildExpr(k->value);
    if (k->kind) {
      key.kind = k->kind->getText();
      key.kind_range.begin = Begin(k->kind);
      key.kind_range.end = {key.kind_range.begin.line,
                            key.kind_range.begin.column + static_cast<int>(key.kind.size())};
      key.bound = BuildExpr(k->bound);
    }
    if (k->valueType) {
      key.type_name = k->valueType->getText();
      key.type_range = {Begin(k->valueType), End(k->valueType)};
    }
    if (k->of) {
      key.of_word = k->of->getText();
      key.of_range = {Begin(k->of), End(k->of)};
    }
    if (RaceCheckParser::ListInitContext* list = k->listInit()) {
      key.has_elements = true;
      for (RaceCheckParser::ExprContext* e : list->expr()) key.elements.push_back(BuildExpr(e));
    }
    if (RaceCheckParser::HashInitContext* hash = k->hashInit()) {
      key.has_elements = key.has_fields = true;
      for (RaceCheckParser::HashFieldContext* f : hash->hashField()) {
        key.elements.push_back(BuildExpr(f->field));
        key.values.push_back(BuildExpr(f->value));
      }
    }
    redis.keys.push_back(std::move(key));
  }
  model.redis.push_back(std::move(redis));
}

void Builder::BuildProcess(RaceCheckParser::ProcessDeclContext* ctx, Model& model) {
  ProcessDecl process;
  process.range = RangeOf(ctx);
  process.name = ctx->ID()->getText();
  process.name_range = RangeOf(ctx->ID());
  if (ctx->count) process.count = BuildExpr(ctx->count);
  if (ctx->replica) process.replica = BuildExpr(ctx->replica);
  if (ctx->mayCrash) {
    process.may_crash = true;
    process.may_crash_range.begin = Begin(ctx->mayCrash);
    process.may_crash_range.end = process.may_crash_range.begin;
    process.may_crash_range.end.column += 9;  // "may crash" when written on one line
  }
  if (ctx->crashRetries) process.crash_retries = BuildExpr(ctx->crashRetries);
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

void Builder::BuildFn(RaceCheckParser::FnDeclContext* ctx, Model& model) {
  FnDecl fn;
  fn.range = RangeOf(ctx);
  fn.name = ctx->ID(0)->getText();
  fn.name_range = RangeOf(ctx->ID(0));
  for (size_t i = 1; i < ctx->ID().size(); ++i) {
    fn.params.push_back(ctx->ID(i)->getText());
    fn.param_ranges.push_back(RangeOf(ctx->ID(i)));
  }
  fn.body = BuildBlock(ctx->block());
  model.functions.push_back(std::move(fn));
}

void Builder::BuildExpect(RaceCheckParser::ExpectDeclContext* ctx, Model& model) {
  if (model.expect.kind != ExpectKind::kNone) {
    diags_.Error(RangeOf(ctx).begin, fmt::format("the expected verdict is already declared at line {}; "
                                                 "a model has one 'expect'", model.expect.range.begin.line));
    return;
  }
  ExpectDecl& expect = model.expect;
  expect.range = RangeOf(ctx);
  std::string kind = ctx->word()->getText();
  bool has_names = !ctx->expectName().empty();
  if (kind == "violation") {
    expect.kind = ExpectKind::kViolation;
    for (RaceCheckParser::ExpectNameContext* name : ctx->expectName()) {
      expect.names.push_back(name->getText());
      expect.name_ranges.push_back(RangeOf(name));
    }
    if (!has_names) diags_.Error(RangeOf(ctx->word()).end, "name the property you expect to be violated: "
                                                          "'expect violation NAME'");
    return;
  }
  if (kind == "safe") expect.kind = ExpectKind::kSafe;
  else if (kind == "deadlock") expect.kind = ExpectKind::kDeadlock;
  else if (kind == "failure") expect.kind = ExpectKind::kFailure;
  else if (kind == "error") expect.kind = ExpectKind::kError;
  else {
    static const std::vector<std::string> kKinds = {"safe", "deadlock", "failure", "error", "violation"};
    std::string meant = NearestWord(kind, kKinds);
    std::string guess = meant.empty() ? "" : fmt::format(" (did you mean 'expect {}'?)", meant);
    diags_.Error(RangeOf(ctx->word()).begin, fmt::format("'expect {}' means nothing{}: write 'expect safe', "
                                                        "'expect deadlock', 'expect failure', 'expect error' "
                                                        "or 'expect violation NAME'", kind, guess));
    return;
  }
  if (has_names) diags_.Error(RangeOf(ctx->expectName(0)).begin, fmt::format("'expect {}' takes no name", kind));
}

}  // namespace racecheck::frontend::build

namespace racecheck::frontend {

std::unique_ptr<ast::Model> BuildAst(grammar::RaceCheckParser::ModelContext* tree, base::DiagnosticEngine& diags) {
  return build::Builder(diags).BuildModel(tree);
}

}  // namespace racecheck::frontend
