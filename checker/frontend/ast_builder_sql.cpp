#include "checker/frontend/ast_builder_impl.h"

namespace racecheck::frontend::build {

std::unique_ptr<Sql> Builder::BuildSql(RaceCheckParser::SqlContext* ctx) {
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

void Builder::BuildReturning(RaceCheckParser::ReturningContext* ctx, Sql& sql) {
  if (!ctx) return;
  for (antlr4::tree::TerminalNode* id : ctx->ID()) sql.items.push_back({RangeOf(id), id->getText(), "", false, -1});
}

void Builder::BuildSets(const std::vector<RaceCheckParser::SetItemContext*>& items, Sql& sql) {
  for (RaceCheckParser::SetItemContext* item : items) {
    sql.sets.push_back({RangeOf(item), item->ID()->getText(), -1, BuildExpr(item->expr())});
  }
}

void Builder::Unqualify(Expr& e, const std::string& table) {
  if (e.kind == ExprKind::kMember && e.operands.empty() && e.name == table) {
    e.kind = ExprKind::kName;
    e.name = e.member;
    e.member.clear();
  }
  for (ExprPtr& operand : e.operands) Unqualify(*operand, table);
}

void Builder::MarkExcluded(Expr& e) {
  if (e.kind == ExprKind::kMember && e.operands.empty() && e.name == "excluded") {
    e.kind = ExprKind::kExcluded;
    e.name = e.member;
    e.member.clear();
  }
  for (ExprPtr& operand : e.operands) MarkExcluded(*operand);
}

void Builder::BuildRowLock(RaceCheckParser::RowLockContext* ctx, Sql& sql) {
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

}  // namespace racecheck::frontend::build
