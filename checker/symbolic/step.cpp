#include "checker/symbolic/step.h"

#include <optional>
#include <set>
#include <tuple>

#include "checker/base/diagnostics.h"
#include "checker/ir/process_exprs.h"
#include "checker/symbolic/support.h"
#include "fmt/format.h"

namespace racecheck::symbolic {

// The state of the branches that reach one point of the step, merged.
struct StepEncoder::Path {
  z3::expr guard;
  std::vector<z3::expr> locals;
  std::map<int32_t, z3::expr> globals;  // slots written so far
  std::map<int32_t, z3::expr> reads;
  std::map<int32_t, z3::expr> writes;
  // Inside a Redis script or multi block: the element it runs on (its commands must use the same).
  std::optional<z3::expr> redis_element;
};

// A point of the step: the node and what the Stepper's Path tracks besides the pc.
struct StepEncoder::Key {
  int32_t node = 0;
  bool did_visible = false;
  bool executed = false;     // some instruction of the step has run
  int32_t atomic_depth = 0;
  int32_t anchor = -1;       // the outermost atomic block being run (Walk::anchors_)
  bool after_external = false;  // event loop: a database call ran; the next visible access ends the step
  auto Tie() const { return std::tie(node, did_visible, executed, atomic_depth, anchor, after_external); }
  bool operator<(const Key& other) const { return Tie() < other.Tie(); }
};

// Where the outermost atomic block began: a branch blocked inside it goes back there.
struct StepEncoder::Anchor {
  int32_t node = 0;
  bool first = false;  // nothing ran before it in the step
  Path snapshot;
};

class StepEncoder::Walk {
 public:
  Walk(StepEncoder& owner, int32_t instance, const std::vector<z3::expr>& globals, const std::string& tag)
      : owner_(owner),
        terms_(owner.terms_),
        exprs_(owner.exprs_),
        program_(owner.program_),
        unrolled_(owner.unrolled_.instances[instance]),
        instance_(instance),
        inst_(program_.instances[instance]),
        process_(program_.processes[inst_.process]),
        holder_(terms_.Slot(instance + 1)),
        event_loop_(program_.runtime == ir::Runtime::kEventLoop),
        globals_(globals),
        tag_(tag),
        out_{terms_.False(), terms_.Slot(0), terms_.False(), terms_.False(), terms_.False(), terms_.False(), {}, {}, {}, {}, {}, {}, {}},
        success_{terms_.False(), {}, {}, {}, {}, std::nullopt} {}

  StepEncoding Run(int32_t start, const std::vector<z3::expr>& locals) {
    Add(Key{start}, StartPath(start, locals));
    return Drain();
  }

  // Its replica crashed (Stepper::CrashReplica): the request dies where it is and is finished.
  StepEncoding RunKill(int32_t start, bool retry, int32_t end, const std::vector<z3::expr>& locals) {
    Path path = StartPath(start, locals);
    Disconnect(path);
    if (program_.timed && program_.region_slots[instance_] >= 0) {
      int32_t region = program_.region_slots[instance_];
      Touch(path.writes, region, path.guard);
      path.globals.insert_or_assign(region, terms_.Slot(0));
    }
    std::vector<bool> keep(path.locals.size(), false);
    if (retry) {
      for (const ir::ProcessParam& param : process_.params) keep[param.local] = true;
    }
    z3::expr crashes = process_.crash_local >= 0 ? path.locals[process_.crash_local] : terms_.Slot(0);
    for (size_t k = 0; k < path.locals.size(); ++k) {
      if (!keep[k]) path.locals[k] = terms_.Slot(0);
    }
    if (process_.crash_local >= 0) {
      path.locals[process_.crash_local] = retry ? crashes + terms_.Slot(1) : terms_.Slot(process_.crash_retries + 1);
    }
    Finish(std::move(path), retry ? end : unrolled_.done);
    return Drain();
  }

  // The deadlock detector's victim: the statement at `start` fails with 40P01.
  StepEncoding RunVictim(int32_t start, const std::vector<z3::expr>& locals) {
    const Node& node = unrolled_.nodes[start];
    Path path = StartPath(start, locals);
    if (node.pc == ir::kDonePc || process_.code[node.pc].op != ir::Op::kSql) return Drain();
    Key key{start};
    key.did_visible = true;
    key.executed = true;
    key.after_external = true;
    TransactionFailed(key, std::move(path), node, {{terms_.True(), terms_.Slot(ir::FailureName(ir::DbFailure::kDeadlock))}});
    return Drain();
  }

 private:
  Path StartPath(int32_t start, const std::vector<z3::expr>& locals) {
    Path path{terms_.True(), locals, {}, {}, {}, std::nullopt};
    const Node& node = unrolled_.nodes[start];
    for (size_t k = 0; k < path.locals.size(); ++k) {
      if (node.known[k]) path.locals[k] = terms_.Slot(node.value[k]);
    }
    success_.locals = path.locals;
    given_locals_ = locals;
    StartRegion(path);
    return path;
  }

  // A takes region waits, opened but not counting (< 0), for the instance's next step, which
  // starts it (Stepper::Start): the time before a block's first step is not the block's.
  void StartRegion(Path& path) {
    int32_t region = program_.timed ? program_.region_slots[instance_] : -1;
    if (region < 0) return;
    const z3::expr& left = globals_[region];
    z3::expr pending = exprs_.Lt(left, terms_.Slot(0));
    if (pending.is_false()) return;
    Touch(path.reads, region, path.guard);
    Touch(path.writes, region, pending);
    path.globals.insert_or_assign(region, terms_.Ite(pending, terms_.Slot(0) - left, left));
  }

  StepEncoding Drain() {
    while (!pending_.empty()) {
      auto it = pending_.begin();
      Key key = it->first;
      Path current = std::move(it->second);
      pending_.erase(it);
      if (!current.guard.is_false()) Execute(key, std::move(current));
    }
    out_.succeeded = success_.guard;
    out_.locals = std::move(success_.locals);
    // A local that is dead wherever the step may end keeps the value it had: nothing reads the
    // value the step left in it, and writing it would only add terms.
    const std::vector<std::vector<bool>>& live = owner_.live_locals_[inst_.process];
    for (size_t k = 0; k < out_.locals.size() && k < given_locals_.size(); ++k) {
      bool dead = true;
      for (const auto& [node, when] : out_.ends) {
        int32_t pc = unrolled_.nodes[node].pc;
        if (pc >= 0 && live[pc][k]) dead = false;
      }
      if (dead) out_.locals[k] = given_locals_[k];
    }
    out_.globals = std::move(success_.globals);
    return std::move(out_);
  }

  // Reads the branch's view of the globals and records what it reads.
  class Env final : public ExprEnv {
   public:
    Env(Walk& walk, Path& path) : walk_(walk), path_(path) {
      self = walk.inst_.self;
      replica = walk.inst_.replica;
    }
    z3::expr Local(int32_t index) override { return path_.locals[index]; }
    z3::expr Global(int32_t slot) override {
      walk_.Touch(path_.reads, slot, path_.guard);
      return walk_.Value(path_, slot);
    }

   private:
    Walk& walk_;
    Path& path_;
  };

  z3::expr Value(const Path& path, int32_t slot) const {
    auto it = path.globals.find(slot);
    return it != path.globals.end() ? it->second : globals_[slot];
  }

  void Touch(std::map<int32_t, z3::expr>& footprint, int32_t slot, const z3::expr& when) {
    auto it = footprint.find(slot);
    if (it == footprint.end()) {
      footprint.emplace(slot, when);
    } else {
      it->second = terms_.Or(it->second, when);
    }
  }

  // Folds the branches of `from` into `into`: values by the guard of `from`.
  void Merge(Path& into, Path from) {
    const z3::expr& g = from.guard;
    for (size_t k = 0; k < into.locals.size(); ++k) into.locals[k] = terms_.Ite(g, from.locals[k], into.locals[k]);
    for (auto& [slot, value] : from.globals) {
      auto it = into.globals.find(slot);
      z3::expr before = it != into.globals.end() ? it->second : globals_[slot];
      into.globals.insert_or_assign(slot, terms_.Ite(g, value, before));
    }
    for (auto& [slot, value] : into.globals) {
      if (!from.globals.contains(slot)) value = terms_.Ite(g, globals_[slot], value);
    }
    for (auto& [slot, when] : from.reads) Touch(into.reads, slot, when);
    for (auto& [slot, when] : from.writes) Touch(into.writes, slot, when);
    if (from.redis_element && into.redis_element) {
      into.redis_element = terms_.Ite(g, *from.redis_element, *into.redis_element);
    } else if (from.redis_element) {
      into.redis_element = from.redis_element;
    }
    into.guard = terms_.Or(into.guard, g);
  }

  void Add(const Key& key, Path path) {
    if (path.guard.is_false()) return;
    auto it = pending_.find(key);
    if (it == pending_.end()) {
      pending_.emplace(key, std::move(path));
    } else {
      Merge(it->second, std::move(path));
    }
  }

  // The footprint of every branch counts, whatever its outcome.
  void Footprint(const Path& path) {
    for (const auto& [slot, when] : path.reads) Touch(out_.reads, slot, when);
    for (const auto& [slot, when] : path.writes) Touch(out_.writes, slot, when);
  }

  void Fail(const Path& path, const z3::expr& when) {
    z3::expr g = terms_.And(path.guard, when);
    if (g.is_false()) return;
    out_.failed = terms_.Or(out_.failed, g);
    Footprint(path);
  }

  void Discard(const Path& path, const z3::expr& when, bool bound) {
    z3::expr g = terms_.And(path.guard, when);
    if (g.is_false()) return;
    out_.discarded = terms_.Or(out_.discarded, g);
    if (bound) out_.bounded = terms_.Or(out_.bounded, g);
    Footprint(path);
  }

  void Finish(Path path, int32_t end) {
    if (path.guard.is_false()) return;
    Footprint(path);
    bool found = false;
    for (auto& [node, when] : out_.ends) {
      if (node == end) {
        when = terms_.Or(when, path.guard);
        found = true;
      }
    }
    if (!found) out_.ends.push_back({end, path.guard});
    path.reads.clear();
    path.writes.clear();
    if (success_.guard.is_false()) {
      success_ = std::move(path);
    } else {
      Merge(success_, std::move(path));
    }
  }

  // Goes along an edge of the unrolled code.
  void Follow(const Edge& edge, Key key, Path path) {
    switch (edge.kind) {
      case EdgeKind::kNone:
        // The unrolling ruled this way out with the same constants the terms fold.
        RACECHECK_CHECK(path.guard.simplify().is_false(), "a branch the unrolling ruled out is taken");
        return;
      case EdgeKind::kNode:
        key.node = edge.node;
        Add(key, std::move(path));
        return;
      case EdgeKind::kBound:
        Discard(path, terms_.True(), true);
        return;
      case EdgeKind::kLoopForever:
        Fail(path, terms_.True());
        return;
    }
  }

  // A step that ends before `edge`'s target starts (after an await).
  void FinishAt(const Edge& edge, Path path) {
    switch (edge.kind) {
      case EdgeKind::kNone: return;
      case EdgeKind::kNode: Finish(std::move(path), edge.node); return;
      case EdgeKind::kBound: Discard(path, terms_.True(), true); return;
      case EdgeKind::kLoopForever: Fail(path, terms_.True()); return;
    }
  }

  // The lock is held by someone: the Stepper's Blocked(). `row_holder`: for a row lock, the
  // instance holding it + 1, else 0.
  void Blocked(const Key& key, Path path, const z3::expr& row_holder, const std::vector<z3::expr>& also = {}) {
    if (path.guard.is_false()) return;
    bool first = key.atomic_depth > 0 ? anchors_[key.anchor].first : !key.executed;
    if (first) {
      out_.blocked = terms_.Or(out_.blocked, path.guard);
      out_.row_holder = terms_.Ite(path.guard, row_holder, out_.row_holder);
      if (!also.empty() && out_.row_also.empty()) out_.row_also.assign(also.size(), terms_.False());
      for (size_t j = 0; j < also.size(); ++j) {
        out_.row_also[j] = terms_.Or(out_.row_also[j], terms_.And(path.guard, also[j]));
      }
      Footprint(path);
      return;
    }
    if (key.atomic_depth > 0) {
      // An atomic block never stops half way: back to where it began.
      const Anchor& anchor = anchors_[key.anchor];
      Footprint(path);
      Path undone = anchor.snapshot;
      undone.guard = path.guard;
      Finish(std::move(undone), anchor.node);
      return;
    }
    Finish(std::move(path), key.node);
  }

  void Write(Path& path, const Element& element, const z3::expr& value32) {
    for (const auto& [slot, when] : element.slots) {
      Touch(path.writes, slot, terms_.And(path.guard, when));
      path.globals.insert_or_assign(slot, terms_.Ite(when, value32, Value(path, slot)));
    }
  }

  void Execute(Key key, Path path) {
    const Node& node = unrolled_.nodes[key.node];
    RACECHECK_CHECK(node.pc != ir::kDonePc, "a step runs past the end of its process");
    const ir::Instr& instr = process_.code[node.pc];
    bool visible = ir::IsVisible(instr.op);
    // Under the event loop only an awaited database call, or a visible access after one, ends a step.
    bool stop = !event_loop_ || ir::IsExternal(instr.op) || key.after_external;
    if ((visible && key.did_visible && key.atomic_depth == 0 && stop) ||
        (event_loop_ && ir::GhostWaitsForReply(program_, instr, key.after_external, key.atomic_depth)) ||
        process_.StopsAtRestart(node.pc, key.did_visible)) {
      Finish(std::move(path), key.node);
      return;
    }
    if (instr.op == ir::Op::kSql) {
      Sql(key, std::move(path), node, instr);
      return;
    }
    Env env(*this, path);
    if (instr.op == ir::Op::kAcquire) {
      Element lock = exprs_.LockElement(instr.var, instr.index, env);
      z3::expr holder = exprs_.Read(lock, env);
      z3::expr free = terms_.Eq(holder, terms_.Slot(0));
      z3::expr no_fault = terms_.Not(lock.fault);
      z3::expr held = terms_.And(no_fault, terms_.Not(free));
      Path waiting = path;
      waiting.guard = terms_.And(path.guard, held);
      Blocked(key, std::move(waiting), terms_.Slot(0));
      path.guard = terms_.And(path.guard, terms_.Not(held));
      Fail(path, lock.fault);
      path.guard = terms_.And(path.guard, terms_.Not(lock.fault));
      if (path.guard.is_false()) return;
      Write(path, lock, holder_);
      if (key.atomic_depth == 0) key.did_visible = true;
      key.executed = true;
      Follow(node.next, key, std::move(path));
      return;
    }
    if (instr.op == ir::Op::kRedis && program_.redis_ops[instr.call].blocking && !path.redis_element) {
      // BLPOP and friends on an empty list: the instance waits, as at a held lock (inside
      // eval/multi they do not block).
      z3::expr waits = owner_.redis_.Waits(program_.redis_ops[instr.call], env);
      Path waiting = path;
      waiting.guard = terms_.And(path.guard, waits);
      Blocked(key, std::move(waiting), terms_.Slot(0));
      path.guard = terms_.And(path.guard, terms_.Not(waits));
      if (path.guard.is_false()) return;
    }
    bool ran_before = key.executed;
    key.executed = true;

    switch (instr.op) {
      case ir::Op::kLet: {
        SymValue v = exprs_.Eval(instr.expr, env);
        z3::expr fault = terms_.Or(v.fault, terms_.Not(exprs_.Fits32(v.value)));
        Fail(path, fault);
        path.guard = terms_.And(path.guard, terms_.Not(fault));
        path.locals[instr.dst] = exprs_.Low32(v.value);
        Follow(node.next, key, std::move(path));
        return;
      }
      case ir::Op::kRead: {
        Element element = exprs_.VarElement(instr.var, instr.index, env);
        Fail(path, element.fault);
        path.guard = terms_.And(path.guard, terms_.Not(element.fault));
        path.locals[instr.dst] = exprs_.Read(element, env);
        if (key.atomic_depth == 0) key.did_visible = true;
        Follow(node.next, key, std::move(path));
        return;
      }
      case ir::Op::kWrite:
      case ir::Op::kGhostWrite: {
        Element element = exprs_.VarElement(instr.var, instr.index, env);
        SymValue v = exprs_.Eval(instr.expr, env);
        z3::expr fault = terms_.Or(element.fault, terms_.Or(v.fault, terms_.Not(exprs_.Fits32(v.value))));
        Fail(path, fault);
        path.guard = terms_.And(path.guard, terms_.Not(fault));
        z3::expr value = exprs_.Low32(v.value);
        // A takes block entered before the step's own access starts its region now (Stepper::Run).
        if (instr.var == process_.region_var && instr.op == ir::Op::kGhostWrite &&
            !(event_loop_ ? key.after_external : key.did_visible)) {
          value = terms_.Ite(exprs_.Lt(value, terms_.Slot(0)), terms_.Slot(0) - value, value);
        }
        Write(path, element, value);
        if (instr.op == ir::Op::kWrite && key.atomic_depth == 0) key.did_visible = true;
        Follow(node.next, key, std::move(path));
        return;
      }
      case ir::Op::kRelease: {
        Element lock = exprs_.LockElement(instr.var, instr.index, env);
        z3::expr fault = terms_.Or(lock.fault, terms_.Not(terms_.Eq(exprs_.Read(lock, env), holder_)));
        Fail(path, fault);
        path.guard = terms_.And(path.guard, terms_.Not(fault));
        Write(path, lock, terms_.Slot(0));
        if (key.atomic_depth == 0) key.did_visible = true;
        Follow(node.next, key, std::move(path));
        return;
      }
      case ir::Op::kAtomicBegin:
        if (key.atomic_depth == 0) {
          anchors_.push_back(Anchor{key.node, !ran_before, path});
          key.anchor = static_cast<int32_t>(anchors_.size() - 1);
        }
        ++key.atomic_depth;
        Follow(node.next, key, std::move(path));
        return;
      case ir::Op::kAtomicEnd:
        RACECHECK_CHECK(key.atomic_depth > 0, "atomic end outside an atomic block");
        if (--key.atomic_depth == 0) {
          key.did_visible = true;
          key.anchor = -1;
        }
        Follow(node.next, key, std::move(path));
        return;
      case ir::Op::kAwait:
        if (event_loop_) {
          FinishAt(node.next, std::move(path));
          return;
        }
        Follow(node.next, key, std::move(path));
        return;
      case ir::Op::kJump:
        Follow(node.next, key, std::move(path));
        return;
      case ir::Op::kBranchFalse: {
        SymValue c = exprs_.Eval(instr.expr, env);
        // A NULL condition is a runtime error (ir/null.h).
        c.fault = terms_.Or(c.fault, exprs_.IsNull(c.value));
        Fail(path, c.fault);
        z3::expr ok = terms_.And(path.guard, terms_.Not(c.fault));
        z3::expr truth = exprs_.Truth(c);
        Path taken = path;
        taken.guard = terms_.And(ok, truth);
        Follow(node.next, key, std::move(taken));
        path.guard = terms_.And(ok, terms_.Not(truth));
        Follow(node.alt, key, std::move(path));
        return;
      }
      case ir::Op::kAssert:
      case ir::Op::kAssume: {
        SymValue c = exprs_.Eval(instr.expr, env);
        c.fault = terms_.Or(c.fault, exprs_.IsNull(c.value));
        z3::expr truth = exprs_.Truth(c);
        if (instr.op == ir::Op::kAssert) {
          Fail(path, terms_.Or(c.fault, terms_.Not(truth)));
        } else {
          Fail(path, c.fault);
          z3::expr no_fault = terms_.Not(c.fault);
          Discard(path, terms_.And(no_fault, terms_.Not(truth)), false);
        }
        path.guard = terms_.And(path.guard, terms_.And(terms_.Not(c.fault), truth));
        Follow(node.next, key, std::move(path));
        return;
      }
      case ir::Op::kChoose: {
        SymValue lo = exprs_.Eval(instr.expr, env);
        SymValue hi = exprs_.Eval(instr.expr2, env);
        // A NULL bound is a runtime error, as in explore/step.cpp.
        z3::expr faults = terms_.Or(lo.fault, hi.fault);
        z3::expr lo_null = exprs_.IsNull(lo.value);
        z3::expr fault = terms_.Or(faults, terms_.Or(lo_null, exprs_.IsNull(hi.value)));
        Fail(path, fault);
        path.guard = terms_.And(path.guard, terms_.Not(fault));
        int64_t l = 0, h = 0;
        bool constant = Terms::Numeral(lo.value, &l) && Terms::Numeral(hi.value, &h);
        z3::expr empty = constant ? terms_.ctx().bool_val(l > h) : exprs_.Lt(hi.value, lo.value);
        Discard(path, empty, false);
        path.guard = terms_.And(path.guard, terms_.Not(empty));
        z3::expr lo_fits = exprs_.Fits32(lo.value);
        z3::expr fits = terms_.And(lo_fits, exprs_.Fits32(hi.value));
        Fail(path, terms_.Not(fits));
        path.guard = terms_.And(path.guard, fits);
        if (path.guard.is_false()) return;
        z3::expr value = constant && l == h ? terms_.Slot(l) : Choice(key.node);
        if (!(constant && l == h)) {
          z3::expr above = exprs_.Le(lo.value, value);
          path.guard = terms_.And(path.guard, terms_.And(above, exprs_.Le(value, hi.value)));
        }
        out_.choices.push_back(ChoicePoint{node.pc, key.node, value, path.guard, lo.value});
        path.locals[instr.dst] = value;
        Follow(node.next, key, std::move(path));
        return;
      }
      case ir::Op::kEnd:
        Finish(std::move(path), unrolled_.done);
        return;
      case ir::Op::kRedis:
        RedisCommand(key, std::move(path), node, instr);
        return;
      case ir::Op::kRedisBegin: {
        // A script or a multi: one step, on one element; EXEC of a multi may be refused.
        const ir::RedisBlock& block = program_.redis_blocks[instr.call];
        RedisTarget target = owner_.redis_.Target(block, env);
        Fail(path, target.error);
        path.guard = terms_.And(path.guard, terms_.Not(target.error));
        key.after_external = true;
        if (block.multi) {
          RedisExec exec = owner_.redis_.Exec(instance_, block, target, env);
          ApplyWrites(path, exec.writes);
          // Refused: nothing in the block runs, the result is false, the step goes on after it.
          Path refused = path;
          refused.guard = terms_.And(path.guard, exec.refused);
          if (instr.dst >= 0) refused.locals[instr.dst] = terms_.Slot(0);
          Key after = key;
          after.did_visible = true;
          Follow(node.alt, after, std::move(refused));
          path.guard = terms_.And(path.guard, terms_.Not(exec.refused));
        }
        if (instr.dst >= 0) path.locals[instr.dst] = terms_.Slot(1);
        path.redis_element = target.element;
        ++key.atomic_depth;
        Follow(node.next, key, std::move(path));
        return;
      }
      case ir::Op::kRedisEnd:
        RACECHECK_CHECK(key.atomic_depth > 0, "Redis block end outside a Redis block");
        path.redis_element.reset();
        if (--key.atomic_depth == 0) key.did_visible = true;
        Follow(node.next, key, std::move(path));
        return;
      case ir::Op::kTxBegin: {
        const ir::Transaction& txn = program_.transactions[instr.call];
        DbOutcome outcome = owner_.db_.Begin(instance_, txn.isolation, path.guard, Base(path), path.locals);
        Record(path, outcome);
        path = Apply(path, outcome.done);
        Follow(node.next, key, std::move(path));
        return;
      }
      case ir::Op::kTxCommit:
      case ir::Op::kTxRollback: {
        DbOutcome outcome = instr.op == ir::Op::kTxCommit
                                ? owner_.db_.Commit(instance_, path.guard, Base(path), path.locals)
                                : owner_.db_.Rollback(instance_, path.guard, Base(path), path.locals);
        Record(path, outcome);
        key.did_visible = true;
        key.after_external = true;
        // A serializable commit may fail (40001).
        TransactionFailed(key, Apply(path, outcome.failed), node, outcome.failure_names);
        Follow(node.next, key, Apply(path, outcome.done));
        return;
      }
      case ir::Op::kTxRaise:
        Raise(std::move(path));
        return;
      case ir::Op::kCrash:
        Crash(key, std::move(path), node, instr);
        return;
      case ir::Op::kTxHandled:
        Follow(node.next, key, std::move(path));
        return;
      case ir::Op::kAcquire:
      case ir::Op::kSql:
        break;
        RACECHECK_CHECK(false, "encoding an instruction the engine refuses");
    }
  }

  // Slot writes computed from the path's state, each when its condition holds.
  void ApplyWrites(Path& path, const std::vector<SlotWrite>& writes) {
    if (path.guard.is_false()) return;
    for (const SlotWrite& write : writes) {
      Touch(path.writes, write.slot, terms_.And(path.guard, write.when));
      path.globals.insert_or_assign(write.slot, terms_.Ite(write.when, write.value, Value(path, write.slot)));
    }
  }

  // One Redis command, as the Stepper runs it: inside a block it must go to the block's element.
  void RedisCommand(Key key, Path path, const Node& node, const ir::Instr& instr) {
    const ir::RedisOp& op = program_.redis_ops[instr.call];
    Env env(*this, path);
    RedisOutcome outcome = owner_.redis_.Execute(instance_, op, env);
    z3::expr error = outcome.error;
    if (path.redis_element && op.element >= 0) {
      error = terms_.Or(error, terms_.Not(terms_.Eq(outcome.element, *path.redis_element)));
    }
    Fail(path, error);
    path.guard = terms_.And(path.guard, terms_.Not(error));
    if (path.guard.is_false()) return;
    ApplyWrites(path, outcome.writes);
    if (instr.dst >= 0) path.locals[instr.dst] = outcome.result;
    if (key.atomic_depth == 0) {
      key.did_visible = true;
      key.after_external = true;
    }
    Follow(node.next, key, std::move(path));
  }

  // ---- the database ----
  DbEncoder::Base Base(const Path& path) {
    return [this, &path](int32_t slot) { return Value(path, slot); };
  }

  // The slots an operation reads and writes count for the path's footprint, each where it
  // matters (the conditions include the path's guard).
  void Record(Path& path, const DbOutcome& outcome) {
    for (const auto& [slot, when] : outcome.reads) Touch(path.reads, slot, when);
    for (const auto& [slot, when] : outcome.writes) Touch(path.writes, slot, when);
  }

  // The path after an operation's branch.
  Path Apply(const Path& path, const DbBranch& branch) {
    Path after = path;
    after.guard = branch.when;
    for (const auto& [slot, value] : branch.slots) after.globals.insert_or_assign(slot, value);
    after.locals = branch.locals;
    return after;
  }

  void Sql(Key key, Path path, const Node& node, const ir::Instr& instr) {
    DbOutcome outcome = owner_.db_.Execute(instance_, program_.sql[instr.call], path.guard, Base(path), path.locals);
    Record(path, outcome);
    // Blocked: nothing happened; the step is as if it had stopped before the statement.
    Path waiting = path;
    waiting.guard = outcome.blocked;
    Blocked(key, std::move(waiting), outcome.holder, outcome.also);
    Fail(path, outcome.error);
    key.executed = true;
    key.did_visible = true;
    Finish(Apply(path, outcome.wait), key.node);
    key.after_external = true;
    TransactionFailed(key, Apply(path, outcome.failed), node, outcome.failure_names);
    Follow(node.next, key, Apply(path, outcome.done));
  }

  // The Stepper's TransactionFailed: roll back, then the failure label or nobody handles it.
  // `names`: the failure's name where each condition holds, for the local `on failure(e)` reads.
  void TransactionFailed(Key key, Path path, const Node& node,
                         const std::vector<std::pair<z3::expr, z3::expr>>& names) {
    if (path.guard.is_false()) return;
    if (int32_t dst = process_.code[node.pc].dst; dst >= 0) {
      z3::expr name = terms_.Slot(-1);
      for (const auto& [when, value] : names) name = terms_.Ite(when, value, name);
      path.locals[dst] = name;
    }
    DbOutcome rollback = owner_.db_.Rollback(instance_, path.guard, Base(path), path.locals);
    Record(path, rollback);
    path = Apply(path, rollback.done);
    key.did_visible = true;
    key.after_external = true;
    key.executed = true;
    if (process_.code[node.pc].target >= 0) {
      Follow(node.alt, key, std::move(path));
    } else {
      Raise(std::move(path));
    }
  }

  // The Stepper's Crash: the lock blocks open at the crash point are released, the open
  // transaction rolled back, the WATCHes dropped, the locals cleared but the parameters and the
  // crash count.
  void Crash(Key key, Path path, const Node& node, const ir::Instr& instr) {
    for (const ir::CrashPoint::HeldLock& held : program_.crashes[instr.call].lock_blocks) {
      Env env(*this, path);
      Element lock = exprs_.LockElement(held.lock, held.index, env);
      Fail(path, lock.fault);
      path.guard = terms_.And(path.guard, terms_.Not(lock.fault));
      if (path.guard.is_false()) return;
      z3::expr current = exprs_.Read(lock, env);
      z3::expr mine = terms_.Eq(current, holder_);
      Write(path, lock, terms_.Ite(mine, terms_.Slot(0), current));
    }
    Disconnect(path);
    std::vector<bool> keep(path.locals.size(), false);
    if (process_.crash_local >= 0) keep[process_.crash_local] = true;
    for (const ir::ProcessParam& param : process_.params) keep[param.local] = true;
    for (size_t k = 0; k < path.locals.size(); ++k) {
      if (!keep[k]) path.locals[k] = terms_.Slot(0);
    }
    key.did_visible = true;
    key.after_external = true;
    Follow(node.next, key, std::move(path));
  }

  // The connection closes: the database rolls back the open transaction, Redis drops the WATCHes.
  void Disconnect(Path& path) {
    if (process_.db.txn >= 0) {
      DbOutcome rollback = owner_.db_.Rollback(instance_, path.guard, Base(path), path.locals);
      Record(path, rollback);
      path = Apply(path, rollback.done);
    }
    for (size_t d = 0; d < process_.db.watches.size(); ++d) {
      if (process_.db.watches[d] < 0) continue;
      const ir::RedisDecl& decl = program_.redis[d];
      int32_t first = inst_.base_slot + process_.db.watches[d];
      for (int32_t slot = first; slot < first + decl.size * static_cast<int32_t>(decl.keys.size()); ++slot) {
        Touch(path.writes, slot, path.guard);
        path.globals.insert_or_assign(slot, terms_.Slot(0));
      }
    }
  }

  // A failure nobody handles: a finding, or under `allow failure` the end of the instance.
  void Raise(Path path) {
    if (!program_.allow_failure) {
      Fail(path, terms_.True());
      return;
    }
    for (z3::expr& local : path.locals) local = terms_.Slot(0);
    Finish(std::move(path), unrolled_.done);
  }

  z3::expr Choice(int32_t node) {
    std::string name = fmt::format("choice_{}_n{}", tag_, node);
    return terms_.SlotVar(name.c_str());
  }

  StepEncoder& owner_;
  Terms& terms_;
  ExprEncoder& exprs_;
  const ir::Program& program_;
  const UnrolledInstance& unrolled_;
  int32_t instance_;
  const ir::Instance& inst_;
  const ir::Process& process_;
  z3::expr holder_;
  bool event_loop_;
  const std::vector<z3::expr>& globals_;
  std::string tag_;
  StepEncoding out_;
  Path success_;
  std::vector<z3::expr> given_locals_;  // the locals the step started with
  std::map<Key, Path> pending_;
  std::vector<Anchor> anchors_;
};

StepEncoder::StepEncoder(const ir::Program& program, const Unrolled& unrolled, const DbLayout& layout, Terms& terms,
                         ExprEncoder& exprs)
    : program_(program),
      unrolled_(unrolled),
      terms_(terms),
      exprs_(exprs),
      redis_(program, terms, exprs),
      db_(program, layout, terms, exprs) {
  for (const ir::Process& process : program.processes) live_locals_.push_back(ir::LiveLocals(program, process));
}

StepEncoding StepEncoder::Encode(int32_t instance, int32_t start, const std::vector<z3::expr>& globals,
                                 const std::vector<z3::expr>& locals, const std::string& tag) {
  Walk walk(*this, instance, globals, tag);
  return walk.Run(start, locals);
}

StepEncoding StepEncoder::EncodeVictim(int32_t instance, int32_t start, const std::vector<z3::expr>& globals,
                                       const std::vector<z3::expr>& locals, const std::string& tag) {
  Walk walk(*this, instance, globals, tag);
  return walk.RunVictim(start, locals);
}

StepEncoding StepEncoder::EncodeKill(int32_t instance, int32_t start, bool retry, int32_t end,
                                     const std::vector<z3::expr>& globals, const std::vector<z3::expr>& locals,
                                     const std::string& tag) {
  Walk walk(*this, instance, globals, tag);
  return walk.RunKill(start, retry, end, locals);
}

}  // namespace racecheck::symbolic
