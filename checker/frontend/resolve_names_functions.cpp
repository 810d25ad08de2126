// Names in and around fns: their bodies, the calls of them and `return`.
#include "checker/frontend/resolve_names_impl.h"

namespace racecheck::frontend::resolve {
namespace {

// Whether every way through the block ends at a `return` (an if counts when both branches do).
bool EndsInReturn(const Block& block) {
  if (block.empty()) return false;
  const Stmt& last = *block.back();
  if (last.kind == StmtKind::kReturn) return true;
  // A block whose body always runs ends where its body does (a `return` that may not leave it
  // has an error of its own, which this one would only echo).
  bool always_runs = last.kind == StmtKind::kLock || last.kind == StmtKind::kAtomic || last.kind == StmtKind::kTakes;
  if (always_runs && EndsInReturn(last.body)) return true;
  return last.kind == StmtKind::kIf && last.has_else && EndsInReturn(last.body) && EndsInReturn(last.else_body);
}

}  // namespace

bool ReturnsValue(const Block& body) {
  for (const StmtPtr& s : body) {
    if (s->kind == StmtKind::kReturn && s->value) return true;
    bool inner = false;
    ForEachBlock(*s, [&](const Block& block) { inner = inner || ReturnsValue(block); });
    if (inner) return true;
  }
  return false;
}

void Resolver::ResolveFunction(FnDecl& fn) {
  if (kFunctions.count(fn.name)) {
    diags_.Error(fn.range.begin, fmt::format("'{}' is a function of expressions already; name the fn otherwise",
                                             fn.name));
  }
  fn_ = &fn;
  locals_ = &fn.locals;
  scopes_.assign(1, {});
  row_loops_.clear();
  for (size_t i = 0; i < fn.params.size(); ++i) {
    DeclareLocal(fn.params[i], fn.param_ranges[i]);
    // A command's arguments name keys first: inside the fn, `redis.SET(lease, ...)` would name
    // the key and the parameter go unused without a word (round 19).
    for (const RedisDecl& redis : model_.redis) {
      int key = LookUpKey(redis, fn.params[i]);
      if (key < 0) continue;
      diags_.Error(fn.param_ranges[i].begin,
                   fmt::format("the parameter '{0}' of fn {1} has the name of the Redis key {0} (line {2}): in a "
                               "command, '{0}' names that key, never the parameter, and a key is no value to pass; "
                               "pick another name, or declare a key family ('{3} {{ {0}[1..N] }}') and pass the index",
                               fn.params[i], fn.name, redis.keys[key].range.begin.line, redis.name));
      break;
    }
  }
  ResolveBlock(fn.body);
  if (fn.returns_value && !EndsInReturn(fn.body)) {
    diags_.Error(fn.range.begin, fmt::format("fn '{}' returns a value, but can reach its end without 'return': "
                                             "end every way through it with 'return ...'", fn.name));
  }
  fn_ = nullptr;
  locals_ = nullptr;
  scopes_.clear();
}

void Resolver::ResolveCall(Expr& call, bool value_needed) {
  for (ExprPtr& argument : call.operands) ResolveExpr(*argument);
  auto it = globals_.find(call.name);
  if (it == globals_.end() || it->second.kind != GlobalKind::kFunction) {
    if (kFunctions.count(call.name)) {
      diags_.Error(call.range.begin, fmt::format("{}(...) computes a value and does nothing else: use it in an "
                                                 "expression, as in 'let v = {}(...)'", call.name, call.name));
    } else {
      diags_.Error(call.range.begin, it == globals_.end()
                                         ? fmt::format("no fn is named '{0}'; declare it with 'fn {0}(...) {{ ... }}'",
                                                       call.name)
                                         : fmt::format("'{}' is {}, not a fn", call.name, Describe(it->second.kind)));
    }
    return;
  }
  const FnDecl& fn = model_.functions[it->second.index];
  call.ref = {RefKind::kFunction, it->second.index};
  if (call.operands.size() != fn.params.size()) {
    diags_.Error(call.range.begin, fmt::format("fn '{}' takes {} argument{}{}, not {}", fn.name, fn.params.size(),
                                               fn.params.size() == 1 ? "" : "s",
                                               fn.params.empty() ? "" : " (" + JoinNames(fn.params) + ")",
                                               call.operands.size()));
  }
  if (value_needed && !fn.returns_value) {
    diags_.Error(call.range.begin, fmt::format("fn '{}' returns no value ('return' with a value appears nowhere in "
                                               "it): call it as a statement, '{}(...)'", fn.name, fn.name));
  }
}

void Resolver::ResolveRhsValue(Stmt& s) {
  auto it = globals_.find(s.value->name);
  bool fn_call = s.value->kind == ExprKind::kCall && it != globals_.end() && it->second.kind == GlobalKind::kFunction;
  if (fn_call && s.kind == StmtKind::kLetTuple) {
    diags_.Error(s.value->range.begin, fmt::format("fn '{0}' gives one value, and 'let ({1}, ...)' takes the columns "
                                                   "of a select: call it as 'let v = {0}(...)', or return each value "
                                                   "from a fn of its own", s.value->name, s.names[0]));
    return;
  }
  if (fn_call) {
    ResolveCall(*s.value, /*value_needed=*/true);
    return;
  }
  ResolveExpr(*s.value);
}

void Resolver::ResolveReturn(Stmt& s) {
  if (s.value) ResolveExpr(*s.value);
  if (!fn_ && s.value) {
    diags_.Error(s.value->range.begin, "a process gives no value: 'return' in a process ends the instance, so write "
                                       "'return' alone");
  } else if (fn_ && fn_->returns_value && !s.value) {
    diags_.Error(s.range.begin, fmt::format("fn '{}' returns a value elsewhere, so every 'return' in it gives one",
                                            fn_->name));
  }
  if (enclosing_blocks_ > 0) {
    diags_.Error(s.range.begin, "'return' would leave a lock, atomic, transaction or Redis block in the middle; "
                                "end the block first (keep the value in a local, return after the block)");
  } else if (enclosing_takes_ > 0) {
    diags_.Error(s.range.begin, "'return' would leave a takes block in the middle, and its time with it; end the "
                                "takes block first");
  }
}

}  // namespace racecheck::frontend::resolve
