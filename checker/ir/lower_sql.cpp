// Lowering of SQL statements and transactions.
#include <algorithm>

#include "checker/ir/lowerer.h"

namespace racecheck::ir::lowering {

using ast::ExprKind;
using ast::RefKind;
using ast::StmtKind;

Instr Lowerer::MakeCall(Op op, int32_t call, int32_t dst) {
  Instr instr = MakeInstr(op, dst);
  instr.call = call;
  return instr;
}

// Whether an expression can be evaluated again without a step: no shared reads, no Redis.
bool Lowerer::IsPure(const ast::Expr& e) {
  if (e.kind == ExprKind::kRedis || e.kind == ExprKind::kMember) return false;
  if ((e.kind == ExprKind::kName || e.kind == ExprKind::kIndex) &&
      (e.ref.kind == RefKind::kVar || e.ref.kind == RefKind::kColumn)) {
    return false;
  }
  return std::all_of(e.operands.begin(), e.operands.end(), [](const ast::ExprPtr& o) { return IsPure(*o); });
}

// `key = e` among the top-level conjuncts of a where clause, with e pure.
const ast::Expr* Lowerer::KeyOperand(const ast::Expr& where, int key_column) {
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

void Lowerer::LowerSql(const ast::Sql& sql, std::vector<int32_t> results, bool many_rows) {
  const Table& table = program_.tables[sql.table];
  SqlStatement st;
  st.many_rows = many_rows;
  st.table = sql.table;
  st.for_update = sql.for_update;
  st.share = sql.share;
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
    } else if (item.name == "min" || item.name == "max") {
      lowered.kind = item.name == "min" ? SelectItem::Kind::kMin : SelectItem::Kind::kMax;
    } else {
      // count(column) counts the rows where the column is not NULL (column -1: count(*)).
      lowered.kind = SelectItem::Kind::kCount;
    }
    lowered.column = item.column;
    st.items.push_back(lowered);
  }
  if (sql.kind == ast::SqlKind::kInsert) LowerInsertValues(sql, st);
  // `excluded.column` in a do update is the value the insert proposes (0 when a column not given
  // is not nullable, as the insert stores it).
  excluded_.clear();
  for (int32_t value : st.values) excluded_.push_back(value < 0 ? Const(0) : value);
  for (const ast::SetItem& set : sql.sets) {
    if (set.column == table.key_column) {
      diags_.Error(set.range.begin, fmt::format("racecheck does not change a primary key: '{}' is the key of '{}'; "
                                                "delete the row and insert another", set.column_name, table.name));
    }
    std::set<int32_t> columns;
    CollectColumns(*set.value, columns);
    st.sets.push_back({set.column, LowerSqlExpr(*set.value), columns.count(set.column) > 0});
  }
  std::vector<int32_t> target(sql.conflict_column_indices.begin(), sql.conflict_column_indices.end());
  std::sort(target.begin(), target.end());
  st.on_conflict_do_nothing = sql.on_conflict_do_nothing;
  st.on_conflict_do_update = sql.on_conflict_do_update;
  bool on_conflict = st.on_conflict_do_nothing || st.on_conflict_do_update;
  for (size_t u = 0; u < table.uniques.size(); ++u) {
    bool touched = std::any_of(st.sets.begin(), st.sets.end(), [&](const SqlSet& set) {
      return std::count(table.uniques[u].begin(), table.uniques[u].end(), set.column) > 0;
    });
    bool arbiter = on_conflict && (target.empty() || table.uniques[u] == target);
    if (arbiter) st.arbiters.push_back(static_cast<int32_t>(u));
    else if (st.kind == SqlKind::kInsert || touched) st.uniques.push_back(static_cast<int32_t>(u));
    // A do update keeps, as an update does, the constraints on the columns it sets.
    if (st.on_conflict_do_update && touched) st.update_uniques.push_back(static_cast<int32_t>(u));
  }
  if (sql.where) {
    st.where = LowerSqlExpr(*sql.where);
    std::set<int32_t> columns;
    CollectColumns(*sql.where, columns);
    st.where_columns.assign(columns.begin(), columns.end());
    if (const ast::Expr* key = KeyOperand(*sql.where, table.key_column)) {
      st.key_expr = LowerSqlExpr(*key);
    }
  }
  LowerOrder(sql, st);
  if (st.start >= 0) {
    // Any row may come first: the choice is the environment's, made just before the statement.
    Emit(MakeInstr(Op::kChoose, st.start, -1, -1, Const(0), Const(table.capacity - 1)));
  }
  int32_t start = st.start;
  program_.sql.push_back(std::move(st));
  size_t instr = Emit(MakeCall(Op::kSql, static_cast<int32_t>(program_.sql.size() - 1)));
  if (txn_) txn_->failures.push_back({instr, txn_->held});
  // The choice matters no more: one state, whichever it was.
  if (start >= 0) Emit(MakeInstr(Op::kLet, start, -1, -1, Const(0)));
}

// An insert's values, one expr per column of the table.
void Lowerer::LowerInsertValues(const ast::Sql& sql, SqlStatement& st) {
  const Table& table = program_.tables[sql.table];
  st.values.assign(table.columns.size(), -1);
  for (size_t i = 0; i < sql.values.size(); ++i) {
    int32_t column = sql.insert_columns.empty() ? static_cast<int32_t>(i) : sql.insert_column_indices[i];
    if (column >= 0 && column < static_cast<int32_t>(st.values.size())) {
      st.values[column] = LowerSqlExpr(*sql.values[i]);
    }
  }
  // A nullable column the insert does not give is NULL, as in PostgreSQL.
  for (size_t c = 0; c < st.values.size(); ++c) {
    if (st.values[c] < 0 && model_.tables[sql.table].columns[c].nullable) st.values[c] = Const(kNull);
  }
  if (st.values[table.key_column] < 0) {
    diags_.Error(sql.range.begin, fmt::format("an insert into '{}' must give its key column '{}'", table.name,
                                              table.columns[table.key_column]));
  }
}

// order by, limit and what the row lock does when the row is locked.
void Lowerer::LowerOrder(const ast::Sql& sql, SqlStatement& st) {
  for (const ast::OrderItem& order : sql.order_by) st.order_by.push_back({order.column, order.descending});
  st.limit = sql.limit ? static_cast<int32_t>(sql.limit->int_value) : 0;
  switch (sql.lock_wait) {
    case ast::LockWait::kWait: st.lock_wait = LockWait::kWait; break;
    case ast::LockWait::kSkipLocked: st.lock_wait = LockWait::kSkipLocked; break;
    case ast::LockWait::kNoWait: st.lock_wait = LockWait::kNoWait; break;
  }
  if (sql.limit && sql.order_by.empty()) {
    diags_.Warning(sql.limit->range.begin,
                   "'limit' without 'order by': PostgreSQL may return any of the rows, so racecheck tries each "
                   "one first; add 'order by' to say which");
    st.start = NewTemp("start");
  }
  // Rows that tie on every `order by` column come in whatever order the sort leaves them (an
  // update moves a row in PostgreSQL's heap): where that decides which rows are taken (a limit)
  // or the order their locks are taken in, each of the tied rows may come first.
  int32_t key = program_.tables[sql.table].key_column;
  bool ties = !sql.order_by.empty() && std::none_of(sql.order_by.begin(), sql.order_by.end(),
                                                    [&](const ast::OrderItem& o) { return o.column == key; });
  if (ties && (sql.limit || sql.for_update)) st.start = NewTemp("start");
}

// The line of the '}' that closes the first block opened at or after `begin` (skipping
// comments and strings): where a transaction commits.
int Lowerer::ClosingBraceLine(base::SourceLocation begin) const {
  int depth = 0;
  bool in_comment = false;
  for (int line = begin.line; line <= file_.line_count(); ++line) {
    std::string_view text = file_.Line(line);
    size_t i = line == begin.line ? base::ByteOffsetOfColumn(text, begin.column) : 0;
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

void Lowerer::LowerTransaction(const ast::Stmt& s) {
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

  FailureLoop loop = BeginFailureLoop(s);
  Emit(MakeCall(Op::kTxBegin, context.index));
  txn_ = &context;
  LowerBlock(s.body);
  txn_ = nullptr;
  int32_t saved_statement = current_statement_;
  current_statement_ = txn.commit_statement;
  context.failures.push_back({Emit(MakeCall(Op::kTxCommit, context.index)), {}});
  current_statement_ = saved_statement;
  size_t done = Emit(MakeInstr(Op::kJump));
  // Early exits from inside lock blocks release those locks on their way out; every jump
  // here goes forward, so the z3 engine sees the transaction's loop as one loop.
  std::vector<size_t> failing;
  for (const EarlyExit& failure : context.failures) failing.push_back(failure.instr);
  std::vector<size_t> to_failed = EmitReleases(context.failures);
  int32_t failed = Here();
  for (size_t jump : to_failed) PatchTo(jump, failed);
  LowerFailureHandler(s, loop, failing, context.index);
  bool rollback_releases = std::any_of(context.exits.begin(), context.exits.end(),
                                       [](const EarlyExit& early) { return !early.held.empty(); });
  size_t skip_releases = rollback_releases ? Emit(MakeInstr(Op::kJump)) : 0;
  std::vector<size_t> to_exit = EmitReleases(context.exits);
  int32_t exit = Here();
  if (rollback_releases) PatchTo(skip_releases, exit);
  for (size_t jump : to_exit) PatchTo(jump, exit);
  EndFailureLoop(loop);
  PatchTo(done, exit);
}

// An autocommit statement with `on failure ...`: the statement is its own transaction, so
// its failure label is the handler's, as a transaction's is:
//   [attempt = 0; top: attempt += 1]  kSql  jump exit  failed: handler  exit: [attempt = 0]
void Lowerer::LowerHandledSql(const ast::Stmt& s) {
  FailureLoop loop = BeginFailureLoop(s);
  LowerSql(*s.sql, {});
  // The statement's own instruction: under the event loop a crash point may follow it (Emit).
  size_t sql = process_->code.size() - 1;
  while (process_->code[sql].op != Op::kSql) --sql;
  size_t done = Emit(MakeInstr(Op::kJump));
  PatchTo(sql, Here());
  LowerFailureHandler(s, loop, {sql}, -1);
  PatchTo(done, Here());
  EndFailureLoop(loop);
}

Lowerer::FailureLoop Lowerer::BeginFailureLoop(const ast::Stmt& s) {
  FailureLoop loop;
  if (s.failure == ast::FailureKind::kRetry) {
    loop.attempt = NewTemp("attempt");
    loop.limit = static_cast<int32_t>(s.value2->int_value);
    Emit(MakeInstr(Op::kLet, loop.attempt, -1, -1, Const(0)));
  }
  loop.top = Here();
  if (loop.attempt >= 0) {
    Emit(MakeInstr(Op::kLet, loop.attempt, -1, -1, Binary(ExprOp::kAdd, LocalRef(loop.attempt), Const(1))));
  }
  return loop;
}

void Lowerer::EndFailureLoop(const FailureLoop& loop) {
  if (loop.attempt >= 0) Emit(MakeInstr(Op::kLet, loop.attempt, -1, -1, Const(0)));
}

// At the failure label: retry: if the failure is one named and attempt < K jump top; kTxRaise |
// block: if the failure is not one named kTxRaise; kTxHandled, handler | none: kTxRaise.
// The failing instructions write the failure's name into a local when the handler reads it.
void Lowerer::LowerFailureHandler(const ast::Stmt& s, const FailureLoop& loop, const std::vector<size_t>& failing,
                                  int32_t txn) {
  int32_t name = s.failure_local;
  if (name < 0 && !s.failure_filter.empty()) name = NewTemp("failure", FailureType());
  if (name >= 0) {
    for (size_t instr : failing) process_->code[instr].dst = name;
  }
  // Whether the failure is one of those named (no names: every failure).
  auto named = [&]() -> int32_t {
    int32_t any = -1;
    for (int value : s.failure_filter) {
      int32_t is = Binary(ExprOp::kEq, LocalRef(name), Const(value));
      any = any < 0 ? is : Binary(ExprOp::kOr, any, is);
    }
    return any;
  };
  std::vector<size_t> to_raise;
  if (int32_t filter = named(); filter >= 0 && s.failure != ast::FailureKind::kNone) {
    to_raise.push_back(Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, filter)));
    // A temporary is cleared once read, so states do not differ by an old failure.
    if (name != s.failure_local) Emit(MakeInstr(Op::kLet, name, -1, -1, Const(0)));
  }
  switch (s.failure) {
    case ast::FailureKind::kRetry:
      to_raise.push_back(
          Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, Binary(ExprOp::kLt, LocalRef(loop.attempt), Const(loop.limit)))));
      Emit(MakeInstr(Op::kJump, -1, -1, -1, -1, -1, loop.top));
      break;
    case ast::FailureKind::kBlock: {
      Emit(MakeCall(Op::kTxHandled, txn));
      LowerBlock(s.else_body);
      if (!to_raise.empty()) to_raise.insert(to_raise.begin(), Emit(MakeInstr(Op::kJump)));
      break;
    }
    case ast::FailureKind::kNone:
      break;
  }
  if (s.failure == ast::FailureKind::kBlock && !to_raise.empty()) {
    // The handler's end jumps over the raise of the failures it does not handle.
    size_t over = to_raise.front();
    to_raise.erase(to_raise.begin());
    for (size_t jump : to_raise) PatchTo(jump, Here());
    Emit(MakeCall(Op::kTxRaise, txn));
    PatchTo(over, Here());
    return;
  }
  for (size_t jump : to_raise) PatchTo(jump, Here());
  if (s.failure != ast::FailureKind::kBlock) Emit(MakeCall(Op::kTxRaise, txn));
}

std::vector<size_t> Lowerer::EmitReleases(const std::vector<EarlyExit>& exits) {
  std::vector<size_t> jumps;
  for (const EarlyExit& early : exits) {
    if (early.held.empty()) {
      jumps.push_back(early.instr);
      continue;
    }
    // The releases, innermost lock first, each shown at its `lock` statement.
    PatchTo(early.instr, Here());
    int32_t saved_statement = current_statement_;
    // These locks are open no more in the code lowered around here: no crash point between
    // the releases, which would not know to release them.
    bool saved_suppressed = crash_suppressed_;
    crash_suppressed_ = true;
    for (auto held = early.held.rbegin(); held != early.held.rend(); ++held) {
      current_statement_ = held->statement;
      Emit(MakeInstr(Op::kRelease, -1, held->lock, held->index));
    }
    crash_suppressed_ = saved_suppressed;
    current_statement_ = saved_statement;
    jumps.push_back(Emit(MakeInstr(Op::kJump)));
  }
  return jumps;
}

}  // namespace racecheck::ir::lowering
