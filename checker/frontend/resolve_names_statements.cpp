#include "checker/frontend/resolve_names_impl.h"
#include "checker/frontend/spelling.h"

namespace racecheck::frontend::resolve {

int Resolver::DeclareLocal(const std::string& name, SourceRange range) {
  auto global = globals_.find(name);
  if (global != globals_.end() && IsFailure(global->second)) {
    diags_.Error(range.begin, FailureNameTaken(name));
  } else if (global != globals_.end()) {
    diags_.Error(range.begin, fmt::format("the local '{}' would hide {} declared at line {}; pick another name",
                                          name, Describe(global->second.kind), global->second.range.begin.line));
  }
  for (const auto& scope : scopes_) {
    if (auto it = scope.find(name); it != scope.end()) {
      diags_.Error(range.begin, fmt::format("'{}' is already declared at line {} in this {}", name,
                                            (*locals_)[it->second].range.begin.line, fn_ ? "fn" : "process"));
      return it->second;
    }
  }
  int index = static_cast<int>(locals_->size());
  locals_->push_back({range, name, Type::kUnknown});
  scopes_.back()[name] = index;
  return index;
}

void Resolver::ResolveProcess(ProcessDecl& process) {
  process_ = &process;
  locals_ = &process.locals;
  scopes_.assign(1, {});
  row_loops_.clear();
  if (process.count) ResolveExpr(*process.count);
  if (process.replica) ResolveExpr(*process.replica);
  if (process.crash_retries) ResolveExpr(*process.crash_retries);
  for (ProcessParam& p : process.params) {
    if (p.value) {
      ResolveExpr(*p.value);
      RequireStartValue(*p.value, p.name);
    }
    if (p.lo) ResolveExpr(*p.lo);
    if (p.hi) ResolveExpr(*p.hi);
    p.local = DeclareLocal(p.name, p.range);
  }
  ResolveBlock(process.body);
  process_ = nullptr;
  locals_ = nullptr;
  scopes_.clear();
}

// A default is computed once, as the instance is made, before any request runs: a read of
// shared state there would be frozen at its initial value, not read when the request starts.
void Resolver::RequireStartValue(const Expr& e, const std::string& param) {
  const char* what = nullptr;
  if (e.kind == ExprKind::kRedis) what = "Redis";
  if (e.kind == ExprKind::kAggregate) what = "a table";
  // A call of a fn is refused in any expression already (ResolveExpr); min, max, ... are fine.
  if (auto fn = globals_.find(e.name); e.kind == ExprKind::kCall && fn != globals_.end() &&
                                       fn->second.kind == GlobalKind::kFunction) {
    return;
  }
  // A shared or ghost variable, a row's column, a Redis key (`t[1].v`, `redis.k` are members).
  bool shared = e.ref.kind == RefKind::kVar || e.ref.kind == RefKind::kColumn || e.ref.kind == RefKind::kRedisKey ||
                (e.kind == ExprKind::kMember && e.ref.kind != RefKind::kNone);
  if (shared) what = "shared state";
  if (what != nullptr) {
    diags_.Error(e.range.begin, fmt::format("the default of '{0}' reads {1}: a default is computed once, before any "
                                            "request runs, from constants, parameters and self; read it in the "
                                            "body instead ('let value = ...' as the request's first statement)",
                                            param, what));
    return;
  }
  for (const ExprPtr& operand : e.operands) {
    if (operand) RequireStartValue(*operand, param);
  }
}

void Resolver::ResolveBlock(Block& block) {
  scopes_.emplace_back();
  for (StmtPtr& s : block) ResolveStmt(*s);
  scopes_.pop_back();
}

void Resolver::ResolveLockRef(LockRef& lock) {
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

void Resolver::ResolveStmt(Stmt& s) {
  switch (s.kind) {
    case StmtKind::kLet:
    case StmtKind::kLetTuple:
      // The right-hand side cannot see the names it introduces.
      if (s.sql) ResolveSql(*s.sql);
      if (s.value) ResolveRhsValue(s);
      for (size_t i = 0; i < s.names.size(); ++i) s.locals.push_back(DeclareLocal(s.names[i], s.name_ranges[i]));
      return;
    case StmtKind::kAssign:
      s.target = LookUp(s.target_name, s.range);
      if (s.target_index) ResolveExpr(*s.target_index);
      if (s.sql) ResolveSql(*s.sql);
      if (s.value) ResolveRhsValue(s);
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
      ++enclosing_blocks_;
      ResolveBlock(s.body);
      --enclosing_blocks_;
      return;
    case StmtKind::kLock:
      ResolveLockRef(s.lock);
      ++enclosing_blocks_;
      ResolveBlock(s.body);
      --enclosing_blocks_;
      return;
    case StmtKind::kAcquire:
    case StmtKind::kRelease:
      ResolveLockRef(s.lock);
      return;
    case StmtKind::kAssert:
      has_assert_ = true;
      ResolveExpr(*s.value);
      return;
    case StmtKind::kAssume:
      ResolveExpr(*s.value);
      return;
    case StmtKind::kTakes:
      ResolveExpr(*s.value);
      ResolveExpr(*s.value2);
      ++enclosing_takes_;
      ResolveBlock(s.body);
      --enclosing_takes_;
      return;
    case StmtKind::kPause:
      ResolveExpr(*s.value);
      ResolveExpr(*s.value2);
      return;
    case StmtKind::kChoose:
      ResolveExpr(*s.value);
      ResolveExpr(*s.value2);
      s.locals.push_back(DeclareLocal(s.names[0], s.name_ranges[0]));
      return;
    case StmtKind::kTransaction:
      ++enclosing_blocks_;
      ResolveBlock(s.body);
      --enclosing_blocks_;
      ResolveFailureHandler(s);
      return;
    case StmtKind::kSql:
      ResolveSql(*s.sql);
      ResolveFailureHandler(s);
      return;
    case StmtKind::kRedis:
      ResolveRedis(*s.redis);
      return;
    case StmtKind::kCall:
      ResolveCall(*s.value, /*value_needed=*/false);
      return;
    case StmtKind::kReturn:
      ResolveReturn(s);
      return;
    case StmtKind::kBreak:
    case StmtKind::kContinue:
    case StmtKind::kAwait:
    case StmtKind::kSkip:
    case StmtKind::kRollback:
    case StmtKind::kMayCrash:
      return;
  }
}

void Resolver::ResolveFor(Stmt& s) {
  ResolveSql(*s.sql);
  if (s.sql->kind == SqlKind::kInsert) {
    diags_.Error(s.sql->range.begin, "a for loop runs over the rows of a select, or of an update or delete with "
                                     "'returning'; an insert gives one row: 'let id = insert ... returning id'");
  } else if (s.sql->kind != SqlKind::kSelect && s.sql->items.empty()) {
    // Without `returning` the statement gives a count, not rows.
    const char* word = s.sql->kind == SqlKind::kUpdate ? "update" : "delete";
    diags_.Error(s.sql->range.begin, fmt::format("a for loop over {} {} runs over the rows it returns: add "
                                                 "'returning' and the columns the loop reads ('{} ... returning "
                                                 "id')",
                                                 s.sql->kind == SqlKind::kUpdate ? "an" : "a", word, word));
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
    s.locals.push_back(static_cast<int>(locals_->size()));
    locals_->push_back({item.range, s.names[0] + "." + item.name, Type::kUnknown});
  }
  row_loops_[row] = &s;
  ResolveBlock(s.body);
  scopes_.pop_back();
}

void Resolver::ResolveRowColumn(Expr& e, const Stmt& loop) {
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

void Resolver::ResolveFailureHandler(Stmt& s) {
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
  // A failure's name typed wrong: said, also where a single name would bind every failure.
  if (binds) {
    if (std::string meant = NearestWord(s.failure_names[0], FailureNames()); !meant.empty()) {
      diags_.Warning(s.failure_name_ranges[0].begin,
                     fmt::format("'{0}' names the failure here, so the block handles every failure; did you mean "
                                 "'{1}', which handles {1} only?", s.failure_names[0], meant));
    }
  }
  if (!binds) {
    for (size_t i : others) {
      std::string meant = NearestWord(s.failure_names[i], FailureNames());
      diags_.Error(s.failure_name_ranges[i].begin,
                   fmt::format("'{}' is not a database failure{}; the failures are {}{}", s.failure_names[i],
                               meant.empty() ? "" : fmt::format(" (did you mean '{}'?)", meant),
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

}  // namespace racecheck::frontend::resolve
