#include "checker/frontend/check_structure.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/base/called_from.h"
#include "checker/frontend/await_messages.h"

namespace racecheck::frontend {
namespace {

using namespace racecheck::ast;

// Where a statement stands: what encloses it, innermost last.
struct Context {
  bool in_loop = false;          // break/continue have a target
  bool loop_crosses_block = false;  // ...but reaching it would leave a lock, atomic or transaction block
  bool in_atomic = false;
  bool in_transaction = false;
  bool in_redis_block = false;
  bool in_multi = false;         // ...and that block is MULTI/EXEC: commands answer QUEUED
  bool in_takes = false;
  bool loop_crosses_takes = false;  // break/continue would leave a takes block
};

class StructureChecker {
 public:
  StructureChecker(const Model& model, base::DiagnosticEngine& diags) : model_(model), diags_(diags) {}

  void Run() {
    for (const ProcessDecl& p : model_.processes) {
      crash_points_ = 0;
      CheckBlock(p.body, Context{});
      CheckCrashes(p);
    }
    for (const PropertyDecl& p : model_.properties) CheckPropertyExpr(*p.expr, p.name);
    if (model_.runtime.kind == RuntimeKind::kThreads) {
      for (base::SourceLocation at : model_.awaited_expressions) diags_.Error(at, kAwaitUnderThreads);
    }
    WarnAboutWeakChecks();
  }

 private:
  // An error at a statement; one inlined from a fn says which call put it there, since the same
  // fn body may be fine at another call (outside a transaction here, inside one there).
  void StatementError(const Stmt& s, const std::string& message) {
    diags_.Error(s.range.begin, message + base::CalledFromText(s.called_from));
  }

  // Legal models whose verdict proves less than it seems to: said, never changing the verdict.
  void WarnAboutWeakChecks() {
    if (diags_.has_errors()) return;  // the errors come first; the model will not run
    // A final property pins the outcome of every finished run, so it stands for a cover too.
    bool has_cover = std::any_of(model_.properties.begin(), model_.properties.end(),
                                 [](const PropertyDecl& p) { return p.kind != PropertyKind::kInvariant; });
    if (model_.processes.empty()) {
      diags_.Warning(model_.range.begin, "this model declares no process: nothing runs, so its properties are "
                                         "checked on the initial state alone");
    } else if (model_.properties.empty() && asserts_ == 0) {
      diags_.Warning(model_.range.begin, "this model states no property (invariant, final, cover or assert): it is "
                                         "checked only for deadlocks, runtime errors and unhandled failures");
    } else if (model_.expect.kind == ExpectKind::kSafe && !has_cover) {
      bool invariants = !model_.properties.empty();
      diags_.Warning(model_.expect.range.begin,
                     std::string(invariants && asserts_ > 0 ? "'expect safe' with invariants and asserts only"
                                 : invariants              ? "'expect safe' with invariants only"
                                                           : "'expect safe' with asserts only") +
                         ": a change that made the good outcome impossible (every "
                     "request giving up, say) would pass too; add 'cover NAME: CONDITION' for an outcome that must "
                     "stay reachable, or a final property");
    }
  }

  // `select ... for update` in autocommit: PostgreSQL releases the row locks when the statement
  // ends, so nothing the request does next is protected (a lost update the model will show).
  void WarnAboutAutocommitLock(const Stmt& s, const Context& ctx) {
    if (!s.sql || s.sql->kind != SqlKind::kSelect || !s.sql->for_update || ctx.in_transaction) return;
    if (s.kind == StmtKind::kFor) return;  // a for loop over rows is checked where it stands
    const char* mode = s.sql->share ? "for share" : s.sql->no_key ? "for no key update" : "for update";
    diags_.Warning(s.range.begin, fmt::format("outside a transaction, '{}' holds its row locks only while this "
                                              "select runs (autocommit): what follows is not protected; put the "
                                              "select and what depends on it in one 'transaction {{ }}'", mode));
  }

  void CheckBlock(const Block& block, const Context& ctx) {
    for (const StmtPtr& s : block) CheckStmt(*s, ctx);
  }

  // A block that must be left only at its end: lock, atomic, transaction, Redis block.
  Context Enclosed(Context ctx) {
    if (ctx.in_loop) ctx.loop_crosses_block = true;
    return ctx;
  }

  void Forbid(const Stmt& s, const Context& ctx) { Forbid(s, s.range.begin, ctx); }

  // `at`: where in statement `s` the forbidden thing stands.
  void Forbid(const Stmt& s, base::SourceLocation at, const Context& ctx) {
    std::string where = base::CalledFromText(s.called_from);
    if (ctx.in_atomic) {
      diags_.Error(at, "an atomic block runs as one step on shared memory; it cannot hold locks, "
                       "await, transactions, SQL or Redis commands" + where);
    } else if (ctx.in_redis_block) {
      // SQL there is a natural slip in a handler that uses both stores (round 30).
      const char* why = s.sql ? ": SQL runs in the database, which a script inside Redis cannot reach; run the "
                                "statement before or after the block and pass its value in a local"
                              : "";
      diags_.Error(at, "a Redis script or multi block holds Redis commands and local computation only" + std::string(why) +
                           where);
    }
  }

  void CheckStmt(const Stmt& s, const Context& ctx) {
    CheckStmtExprs(s);
    WarnAboutAutocommitLock(s, ctx);
    // A block used as a value (`let done = redis.multi { ... }`) is checked as the statement is.
    for (const Expr* e : {s.value.get(), s.value2.get()}) {
      if (e) CheckRedisBlocksIn(s, *e, ctx);
    }
    if (ctx.in_multi) CheckNoQueuedResults(s);
    if (ctx.in_atomic) {
      // `let b = redis.GET(k)`: a command in an expression is a Redis step as much as a statement.
      for (const Expr* e : {s.value.get(), s.value2.get(), s.target_index.get()}) {
        if (const Expr* command = e ? FindCommand(*e) : nullptr) Forbid(s, command->range.begin, ctx);
      }
    }
    if (ctx.in_takes && model_.allow_failure && (s.sql || s.kind == StmtKind::kTransaction) &&
        s.failure == FailureKind::kNone && !ctx.in_transaction) {
      StatementError(s, "under 'allow failure' a failure nobody handles ends the request here, inside a "
                        "takes block; handle it with 'on failure' or move the statement out of the block");
    }
    if (s.awaited && model_.runtime.kind == RuntimeKind::kThreads) {
      StatementError(s, kAwaitUnderThreads);
    }
    if (ctx.in_redis_block && (s.awaited || AnyExpr(s, [](const Expr& e) { return e.awaited; }))) {
      // Round 19: `let v = await redis.GET(n)` in a script reads as if the script yielded.
      diags_.Warning(s.range.begin, "'await' inside a Redis script or multi block changes nothing: Redis runs the "
                                    "block as one step, and no other task runs inside it" +
                                        base::CalledFromText(s.called_from));
    }
    if (!s.inlined.empty() && !AwaitedCall(s) && !ctx.in_redis_block && model_.runtime.kind == RuntimeKind::kEventLoop) {
      CheckFloatingCall(s);
    }
    if (!s.inlined.empty()) {
      // A fn's copy: its break and continue have their own loops, its return its own end.
      Context inner = ctx;
      inner.in_loop = false;
      inner.loop_crosses_block = false;
      inner.loop_crosses_takes = false;
      CheckBlock(s.inlined, inner);
    }
    switch (s.kind) {
      case StmtKind::kBreak:
      case StmtKind::kContinue: {
        const char* word = s.kind == StmtKind::kBreak ? "break" : "continue";
        if (!ctx.in_loop) {
          StatementError(s, fmt::format("'{}' stands outside any while, retry or for loop", word));
        } else if (ctx.loop_crosses_block) {
          StatementError(s, fmt::format("'{}' would leave a lock, atomic, transaction or Redis block in the "
                                        "middle; end the block first", word));
        } else if (ctx.loop_crosses_takes) {
          StatementError(s, fmt::format("'{}' would leave a takes block in the middle, and its time with "
                                        "it; end the takes block first", word));
        }
        return;
      }
      case StmtKind::kFor:
        Forbid(s, ctx);
        [[fallthrough]];
      case StmtKind::kWhile:
      case StmtKind::kRetry: {
        Context inner = ctx;
        inner.in_loop = true;
        inner.loop_crosses_block = false;
        inner.loop_crosses_takes = false;
        CheckBlock(s.body, inner);
        CheckBlock(s.else_body, ctx);
        return;
      }
      case StmtKind::kIf:
        CheckBlock(s.body, ctx);
        CheckBlock(s.else_body, ctx);
        return;
      case StmtKind::kAtomic: {
        if (ctx.in_redis_block) Forbid(s, ctx);
        Context inner = Enclosed(ctx);
        inner.in_atomic = true;
        CheckBlock(s.body, inner);
        return;
      }
      case StmtKind::kLock:
        Forbid(s, ctx);
        CheckBlock(s.body, Enclosed(ctx));
        return;
      case StmtKind::kAcquire:
      case StmtKind::kRelease:
        Forbid(s, ctx);
        return;
      case StmtKind::kAwait:
        Forbid(s, ctx);
        if (model_.runtime.kind == RuntimeKind::kThreads) StatementError(s, kBareAwaitUnderThreads);
        if (ctx.in_transaction) StatementError(s, kBareAwaitInTransaction);
        return;
      case StmtKind::kTransaction: {
        Forbid(s, ctx);
        if (ctx.in_transaction) StatementError(s, "a transaction cannot start inside another transaction");
        Context inner = Enclosed(ctx);
        inner.in_transaction = true;
        CheckBlock(s.body, inner);
        CheckBlock(s.else_body, ctx);
        return;
      }
      case StmtKind::kRollback:
        if (!ctx.in_transaction) StatementError(s, "'rollback' stands outside any transaction");
        return;
      case StmtKind::kSql:
        Forbid(s, ctx);
        if (ctx.in_transaction && s.failure != FailureKind::kNone) {
          diags_.Error(s.failure_range.begin, "a statement inside a transaction fails with the whole transaction; "
                                              "put 'on failure' after the transaction's block");
        }
        CheckBlock(s.else_body, ctx);
        return;
      case StmtKind::kRedis:
        if (ctx.in_atomic) Forbid(s, ctx);
        if (ctx.in_redis_block && s.redis->command == "WATCH") RefuseWatchInBlock(s, ctx);
        if (s.redis->is_block) CheckRedisBlock(*s.redis, s.range, s, ctx);
        return;
      case StmtKind::kLet:
      case StmtKind::kLetTuple:
      case StmtKind::kAssign:
        if (s.sql) Forbid(s, ctx);
        // Inside MULTI a used result is refused first (CheckNoQueuedResults).
        if (const Expr* command = ctx.in_redis_block && !ctx.in_multi && s.value ? FindCommand(*s.value) : nullptr) {
          if (command->redis->command == "WATCH") RefuseWatchInBlock(s, ctx);
        }
        if (ctx.in_redis_block && s.kind == StmtKind::kAssign && s.target.kind == RefKind::kVar &&
            !model_.vars[s.target.index].ghost) {
          StatementError(s, fmt::format("a Redis {} runs inside Redis and cannot write the process's shared "
                                        "memory", ctx.in_multi ? "multi block" : "script"));
        }
        return;
      case StmtKind::kAssert:
        ++asserts_;
        return;
      case StmtKind::kAssume:
      case StmtKind::kChoose:
      case StmtKind::kSkip:
      case StmtKind::kCall:
      case StmtKind::kReturn:
        return;
      case StmtKind::kTakes: {
        CheckTime(s, ctx, "takes");
        if (ctx.in_takes) {
          StatementError(s, "takes blocks do not nest; give the outer block the whole bound, and let the "
                            "inner part's extra time be a 'pause'");
        }
        Context inner = ctx;
        inner.in_takes = true;
        inner.loop_crosses_takes = ctx.in_loop;
        CheckBlock(s.body, inner);
        return;
      }
      case StmtKind::kPause:
        CheckTime(s, ctx, "pause");
        if (!ctx.in_takes && !ctx.in_atomic && !ctx.in_redis_block) {
          StatementError(s, "outside a takes block time already passes freely between steps, so a pause "
                            "there adds nothing; put it inside the takes block that bounds the work");
        }
        return;
      case StmtKind::kMayCrash:
        ++crash_points_;
        if (ctx.in_atomic) {
          StatementError(s, "an atomic block runs as one step, so nothing can crash inside it; put "
                            "'may crash' before or after the block");
        } else if (ctx.in_redis_block) {
          StatementError(s, "a Redis script or multi block runs inside Redis as one step, so the process "
                            "cannot crash inside it; put 'may crash' before or after the block");
        }
        return;
    }
  }

  // `s` is the statement holding the block (its calls, when inlined from a fn).
  void CheckRedisBlock(const RedisCall& block, const SourceRange& range, const Stmt& s, const Context& ctx) {
    if (ctx.in_redis_block) {
      diags_.Error(range.begin, "Redis blocks do not nest: the outer script or multi block already runs as one step "
                                "inside Redis; write the inner block's commands in it directly" +
                                    base::CalledFromText(s.called_from));
    }
    Context inner = Enclosed(ctx);
    inner.in_redis_block = true;
    inner.in_atomic = false;  // said once, at the block
    inner.in_multi = block.command == "MULTI";
    CheckBlock(block.body, inner);
  }

  void CheckRedisBlocksIn(const Stmt& s, const Expr& e, const Context& ctx) {
    if (e.kind == ExprKind::kRedis && e.redis->is_block) {
      if (ctx.in_atomic) Forbid(s, e.range.begin, ctx);
      CheckRedisBlock(*e.redis, e.range, s, ctx);
    }
    for (const ExprPtr& operand : e.operands) CheckRedisBlocksIn(s, *operand, ctx);
  }

  // Redis runs WATCH at once, not at EXEC, and refuses it inside MULTI and in scripts.
  void RefuseWatchInBlock(const Stmt& s, const Context& ctx) {
    if (ctx.in_multi) {
      StatementError(s, "Redis refuses WATCH inside MULTI ('WATCH inside MULTI is not allowed') and watches "
                        "nothing; put redis.WATCH(...) before the multi block, then read the keys");
    } else {
      StatementError(s, "Redis refuses WATCH in a script ('This Redis command is not allowed from script'); "
                        "a script runs as one step and needs no watch: drop it, or use WATCH before a "
                        "multi block");
    }
  }

  // Under the event loop a fn whose body waits for an answer is an async function: called
  // without `await`, Node runs it up to that point and goes on (a floating promise, the rest runs
  // later as a task of its own), asyncio never runs it. racecheck would run it inline, as if
  // awaited, and prove a model of other code than the user's (round 19).
  void CheckFloatingCall(const Stmt& s) {
    const Stmt* point = nullptr;
    for (const StmtPtr& inner : s.inlined) {
      // The parameters' lets are the caller's own (ranged as the call), not the fn's body.
      if (!point && inner->called_from.size() > s.called_from.size()) point = AwaitPoint(*inner);
    }
    if (!point) return;
    const std::string& fn = s.value ? s.value->name : std::string("the fn");
    StatementError(s, fmt::format(
        "under 'runtime event_loop' fn '{}' waits for an answer (line {}), so it is an async function: called "
        "without 'await' it would run on its own as a floating promise in Node.js, and not at all in asyncio, "
        "which racecheck does not model; write 'await {}(...)', or make the work left running a process of "
        "its own", fn, point->range.begin.line, fn));
  }

  // The first statement in `s` (itself or nested, fn copies included) where a task waits for an
  // answer or yields: a query, a transaction, a Redis command or block, a bare await, a lock.
  static const Stmt* AwaitPoint(const Stmt& s) {
    bool waits = s.sql || s.kind == StmtKind::kTransaction || s.kind == StmtKind::kRedis ||
                 s.kind == StmtKind::kAwait || s.kind == StmtKind::kLock || s.kind == StmtKind::kAcquire ||
                 s.kind == StmtKind::kRollback || (!s.inlined.empty() && AwaitedCall(s)) ||
                 AnyExpr(s, [](const Expr& e) { return e.kind == ExprKind::kRedis; });
    if (waits) return &s;
    for (const StmtPtr& inner : s.inlined) {
      if (const Stmt* found = AwaitPoint(*inner)) return found;
    }
    const Stmt* found = nullptr;
    ForEachBlock(s, [&](const Block& block) {
      for (const StmtPtr& inner : block) {
        if (!found) found = AwaitPoint(*inner);
      }
    });
    return found;
  }

  // A fn call written `await f()`, `let v = await f()` or `x += await f()`.
  static bool AwaitedCall(const Stmt& s) { return s.awaited || (s.value && s.value->awaited); }

  // Whether `holds` is true of an expression of the statement's (its value, second value or
  // target's index) or of one inside them.
  template <typename Holds>
  static bool AnyExpr(const Stmt& s, Holds holds) {
    for (const Expr* e : {s.value.get(), s.value2.get(), s.target_index.get()}) {
      if (e && AnyIn(*e, holds)) return true;
    }
    return false;
  }

  template <typename Holds>
  static bool AnyIn(const Expr& e, Holds holds) {
    if (holds(e)) return true;
    return std::any_of(e.operands.begin(), e.operands.end(), [&](const ExprPtr& o) { return AnyIn(*o, holds); });
  }

  // Inside MULTI, Redis answers every command with QUEUED and runs them all at EXEC: code in the
  // block cannot see a command's result, only queue commands (a script, eval { }, can).
  void CheckNoQueuedResults(const Stmt& s) {
    const Expr* used = nullptr;
    for (const Expr* e : {s.value.get(), s.value2.get(), s.target_index.get()}) {
      if (e && !used) used = FindCommand(*e);
    }
    if (s.kind == StmtKind::kRedis && !s.redis->is_block) {
      for (const CallArg& arg : s.redis->args) {
        if (!used) used = FindCommand(*arg.value);
      }
    }
    if (!used) return;
    diags_.Error(used->range.begin, fmt::format(
        "inside 'multi {{ }}' Redis answers '{}' with QUEUED and runs it only at EXEC, so the block cannot use its "
        "result; read the value before the block (after WATCH), or use 'eval {{ }}', a script, which can{}",
        used->redis->command, base::CalledFromText(s.called_from)));
  }

  static const Expr* FindCommand(const Expr& e) {
    if (e.kind == ExprKind::kRedis && !e.redis->is_block) return &e;
    for (const ExprPtr& operand : e.operands) {
      if (const Expr* found = FindCommand(*operand)) return found;
    }
    return nullptr;
  }

  // A takes block or a pause: where time may pass, and its bounds (constants by now, or reported).
  void CheckTime(const Stmt& s, const Context& ctx, const char* word) {
    if (ctx.in_atomic) {
      StatementError(s, fmt::format("an atomic block is one step, and steps take no time; put '{}' "
                                    "around or after the atomic block", word));
    } else if (ctx.in_redis_block) {
      StatementError(s, fmt::format("a Redis script or multi block runs inside Redis as one step, and "
                                    "steps take no time; put '{}' around or after the block", word));
    } else if (ctx.in_transaction && s.kind == StmtKind::kTakes) {
      StatementError(s, "a failing transaction leaves its block from any statement, and would leave the "
                        "takes block open; put the takes block around the transaction");
    }
    if (s.value->kind != ExprKind::kInt || s.value2->kind != ExprKind::kInt) return;
    if (s.value->int_value > s.value2->int_value) {
      diags_.Error(s.value->range.begin, fmt::format("the lower bound {} is above the upper bound {}",
                                                     s.value->int_value, s.value2->int_value));
    } else if (s.value->int_value != 0) {
      diags_.Error(s.value->range.begin, fmt::format("a lower bound above 0 is not modelled yet (the {} may be as "
                                                     "short as 0 ms); write 0..{}", word, s.value2->int_value));
    }
  }

  // `may crash` on the process and `may crash` statements in its body, against each other and
  // `on crash retry`.
  void CheckCrashes(const ProcessDecl& p) {
    if (p.may_crash && crash_points_ > 0) {
      diags_.Error(p.may_crash_range.begin, fmt::format("process {} may crash between any two of its steps, so its "
                                                        "'may crash' statements add nothing; remove one or the other",
                                                        p.name));
    }
    if (p.crash_retries && !p.may_crash && crash_points_ == 0) {
      diags_.Error(p.crash_retries->range.begin, fmt::format("process {} never crashes, so there is nothing to retry; "
                                                             "write 'may crash' before 'on crash retry'", p.name));
    }
  }

  // Ghosts are bookkeeping for properties: process code may update them, but nothing a
  // process does may depend on them, or they would change what the model does.
  void CheckStmtExprs(const Stmt& s) {
    bool ghost_target = s.kind == StmtKind::kAssign && s.target.kind == RefKind::kVar &&
                        model_.vars[s.target.index].ghost;
    if (s.value && s.kind != StmtKind::kAssign) CheckGhostReads(*s.value);
    if (s.value && s.kind == StmtKind::kAssign && !ghost_target) CheckGhostReads(*s.value);
    if (s.value2) CheckGhostReads(*s.value2);
    if (s.target_index) CheckGhostReads(*s.target_index);
    if (s.redis && s.kind == StmtKind::kRedis) CheckRedisExprs(*s.redis);
    if (ghost_target && s.value) CheckNoEffects(*s.value);
    if (s.sql) CheckSqlExprs(*s.sql);
  }

  // A SQL statement's expressions are process code too: no ghosts, no looking from outside.
  void CheckSqlExprs(const Sql& sql) {
    if (sql.where) CheckGhostReads(*sql.where);
    for (const SetItem& set : sql.sets) CheckGhostReads(*set.value);
    for (const ExprPtr& value : sql.values) CheckGhostReads(*value);
  }

  void CheckRedisExprs(const RedisCall& call) {
    for (const CallArg& arg : call.args) CheckGhostReads(*arg.value);
  }

  void CheckGhostReads(const Expr& e) {
    if ((e.kind == ExprKind::kName || e.kind == ExprKind::kIndex) && e.ref.kind == RefKind::kVar &&
        model_.vars[e.ref.index].ghost) {
      diags_.Error(e.range.begin, fmt::format("'{}' is a ghost: processes may update it, but only properties may "
                                              "read it", e.name));
    }
    if (e.kind == ExprKind::kMember) {
      diags_.Error(e.range.begin, "'table[key].column' and 'redis.key' look at the state from outside, for "
                                  "properties; inside a process use select or GET");
    }
    if (e.kind == ExprKind::kAggregate) {
      const char* function = AggregateOpText(e.aggregate);
      diags_.Error(e.range.begin,
                   e.aggregate == AggregateOp::kSum
                       ? fmt::format("sum({}.{}) looks at the committed table from outside, for properties; inside a "
                                     "process use 'select sum({}) from {}'", e.name, e.member, e.member, e.name)
                       : fmt::format("{}({}) looks at the committed table from outside, for properties; inside a "
                                     "process use 'select count(*) from {}'", function, e.name, e.name));
      return;
    }
    if (e.kind == ExprKind::kRedis) CheckRedisExprs(*e.redis);
    for (const ExprPtr& operand : e.operands) CheckGhostReads(*operand);
  }

  // A ghost update rides along with its step, so it must not make one of its own.
  void CheckNoEffects(const Expr& e) {
    if (e.kind == ExprKind::kRedis) {
      diags_.Error(e.range.begin, "a ghost update cannot call Redis; assign the result to a local first");
    }
    for (const ExprPtr& operand : e.operands) CheckNoEffects(*operand);
  }

  void CheckPropertyExpr(const Expr& e, const std::string& property) {
    if (e.kind == ExprKind::kRedis) {
      diags_.Error(e.range.begin, fmt::format("property '{}' looks at the state and cannot run Redis commands; "
                                              "write the key as {}.key", property, e.redis->instance_name));
      return;
    }
    if (e.kind == ExprKind::kSelf) {
      diags_.Error(e.range.begin, fmt::format("property '{}' belongs to no process, so 'self' means nothing in it",
                                              property));
    }
    for (const ExprPtr& operand : e.operands) CheckPropertyExpr(*operand, property);
  }

  const Model& model_;
  base::DiagnosticEngine& diags_;
  int asserts_ = 0;
  int crash_points_ = 0;  // `may crash` statements in the process being checked
};

}  // namespace

bool CheckStructure(const Model& model, base::DiagnosticEngine& diags) {
  int errors_before = diags.error_count();
  StructureChecker(model, diags).Run();
  return diags.error_count() == errors_before;
}

}  // namespace racecheck::frontend
