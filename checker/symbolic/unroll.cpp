#include "checker/symbolic/unroll.h"

#include <algorithm>
#include <map>
#include <set>

#include "checker/base/diagnostics.h"
#include "checker/ir/arith.h"
#include "checker/ir/process_exprs.h"
#include "checker/symbolic/support.h"
#include "fmt/format.h"

namespace racecheck::symbolic {
namespace {

bool Fits(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

// The pcs an instruction may go to, whatever the values.
std::vector<int32_t> StaticSuccessors(const ir::Process& process, int32_t pc) {
  const ir::Instr& instr = process.code[pc];
  switch (instr.op) {
    case ir::Op::kJump: return {instr.target};
    case ir::Op::kBranchFalse: return {pc + 1, instr.target};
    case ir::Op::kEnd: return {};
    case ir::Op::kLet:
    case ir::Op::kRead:
    case ir::Op::kWrite:
    case ir::Op::kGhostWrite:
    case ir::Op::kAcquire:
    case ir::Op::kRelease:
    case ir::Op::kAtomicBegin:
    case ir::Op::kAtomicEnd:
    case ir::Op::kAwait:
    case ir::Op::kAssert:
    case ir::Op::kAssume:
    case ir::Op::kChoose:
    case ir::Op::kRedis:
    case ir::Op::kRedisEnd:
    case ir::Op::kCrash:
      return {pc + 1};
    case ir::Op::kRedisBegin:
      // A multi whose EXEC fails goes on after the block.
      if (instr.target >= 0) return {pc + 1, instr.target};
      return {pc + 1};
    case ir::Op::kSql:
    case ir::Op::kTxCommit:
      // A failed transaction goes on at its failure label.
      if (instr.target >= 0) return {pc + 1, instr.target};
      return {pc + 1};
    case ir::Op::kTxBegin:
    case ir::Op::kTxRollback:
    case ir::Op::kTxHandled:
      return {pc + 1};
    case ir::Op::kTxRaise:
      // The instance fails or (allow failure) finishes.
      return {};
  }
  return {};
}

struct LoopInfo {
  int32_t header = 0;
  std::vector<bool> body;  // per pc
  size_t size = 0;
  // Whether a step can end inside it; a loop where none can would run forever within one step.
  bool makes_step = false;
  // Whether a round changes nothing but locals set from globals and constants alone (no write,
  // no choice): from its second round on, each round starts where the one before did.
  bool repeats = true;
  int line = 0;
};

// The natural loops of one process: one per header, properly nested, entered only at the header.
class Loops {
 public:
  Loops(const ir::Program& program, const ir::Process& process) {
    size_t n = process.code.size();
    around_.resize(n);
    // Only reachable code counts: dead instructions may jump anywhere.
    std::vector<bool> reachable(n, false);
    std::vector<int32_t> work = {0};
    reachable[0] = true;
    std::vector<std::vector<int32_t>> preds(n);
    while (!work.empty()) {
      int32_t pc = work.back();
      work.pop_back();
      for (int32_t next : StaticSuccessors(process, pc)) {
        RACECHECK_CHECK(next >= 0 && static_cast<size_t>(next) < n, "a jump outside the process code");
        preds[next].push_back(pc);
        if (!reachable[next]) {
          reachable[next] = true;
          work.push_back(next);
        }
      }
    }
    std::map<int32_t, std::vector<int32_t>> back_edges;  // header -> sources
    for (int32_t pc = 0; pc < static_cast<int32_t>(n); ++pc) {
      if (!reachable[pc]) continue;
      for (int32_t next : StaticSuccessors(process, pc)) {
        if (next <= pc) back_edges[next].push_back(pc);
      }
    }
    bool event_loop = program.runtime == ir::Runtime::kEventLoop;
    for (const auto& [header, sources] : back_edges) {
      LoopInfo loop;
      loop.header = header;
      loop.body.assign(n, false);
      loop.body[header] = true;
      std::vector<int32_t> stack;
      for (int32_t s : sources) {
        if (!loop.body[s]) {
          loop.body[s] = true;
          stack.push_back(s);
        }
      }
      while (!stack.empty()) {
        int32_t pc = stack.back();
        stack.pop_back();
        for (int32_t p : preds[pc]) {
          if (!loop.body[p]) {
            loop.body[p] = true;
            stack.push_back(p);
          }
        }
      }
      for (size_t pc = 0; pc < n; ++pc) {
        if (!loop.body[pc]) continue;
        ++loop.size;
        ir::Op op = process.code[pc].op;
        if (event_loop ? (op == ir::Op::kAwait || op == ir::Op::kAcquire || ir::IsExternal(op)) : ir::IsVisible(op)) {
          loop.makes_step = true;
        }
        bool from_globals = op == ir::Op::kRead ||
                            (op == ir::Op::kLet && ir::LocalsReadBy(program, process.code[pc]).empty());
        if (op != ir::Op::kJump && op != ir::Op::kBranchFalse && op != ir::Op::kAssert && op != ir::Op::kAssume &&
            !from_globals) {
          loop.repeats = false;
        }
      }
      int32_t statement = process.code[header].statement;
      loop.line = statement >= 0 ? program.statements[statement].range.begin.line : 0;
      loops_.push_back(std::move(loop));
    }
    for (size_t k = 0; k < loops_.size() && problem_.empty(); ++k) {
      const LoopInfo& loop = loops_[k];
      for (size_t pc = 0; pc < n; ++pc) {
        if (!loop.body[pc]) continue;
        for (int32_t p : preds[pc]) {
          if (!loop.body[p] && static_cast<int32_t>(pc) != loop.header) {
            problem_ = fmt::format("the loop at line {} of {} is entered in its middle", loop.line, process.name);
          }
        }
      }
      for (size_t j = 0; j < loops_.size(); ++j) {
        if (j == k) continue;
        bool overlap = false, inside = true;
        for (size_t pc = 0; pc < n; ++pc) {
          if (loops_[j].body[pc] && loop.body[pc]) overlap = true;
          if (loops_[j].body[pc] && !loop.body[pc]) inside = false;
        }
        if (overlap && !inside && loops_[j].size <= loop.size) {
          problem_ = fmt::format("the loops at lines {} and {} of {} overlap", loop.line, loops_[j].line, process.name);
        }
      }
    }
    // Around each pc, its loops from the outermost in: nested bodies are smaller.
    std::vector<int32_t> order(loops_.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = static_cast<int32_t>(k);
    std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return loops_[a].size > loops_[b].size; });
    for (int32_t k : order) {
      for (size_t pc = 0; pc < n; ++pc) {
        if (loops_[k].body[pc]) around_[pc].push_back(k);
      }
    }
  }

  const std::string& problem() const { return problem_; }
  const std::vector<int32_t>& Around(int32_t pc) const { return around_[pc]; }
  const LoopInfo& loop(int32_t k) const { return loops_[k]; }
  // The loop `pc` heads, or -1.
  int32_t HeadedBy(int32_t pc) const {
    const std::vector<int32_t>& around = around_[pc];
    return !around.empty() && loops_[around.back()].header == pc ? around.back() : -1;
  }

 private:
  std::vector<LoopInfo> loops_;
  std::vector<std::vector<int32_t>> around_;
  std::string problem_;
};

// Sort key of a program point: (header, count) of each loop around it, outermost first, then
// the pc. Every edge leads to a larger key, so taking points in key order is topological.
using Key = std::vector<int64_t>;

class InstanceUnroller {
 public:
  InstanceUnroller(const ir::Program& program, int32_t instance, const Loops& loops, int32_t bound,
                   std::set<int>& bounded_lines)
      : program_(program),
        inst_(program.instances[instance]),
        process_(program.processes[inst_.process]),
        loops_(loops),
        bound_(bound),
        bounded_lines_(bounded_lines) {}

  std::string Run(UnrolledInstance& out) {
    size_t locals = process_.local_names.size();
    Pending start;
    start.pc = 0;
    start.iterations.assign(loops_.Around(0).size(), 0);
    start.known.assign(locals, true);
    start.value.assign(locals, 0);
    for (const ir::ProcessParam& param : process_.params) {
      int64_t v = 0;
      bool known = !param.is_range &&
                   ConstValue(program_, param.value_expr, inst_.self, std::vector<bool>(locals, false),
                              std::vector<int64_t>(locals, 0), &v) &&
                   Fits(v);
      start.known[param.local] = known;
      start.value[param.local] = known ? v : 0;
    }
    Reach(std::move(start));
    while (!queue_.empty()) {
      Key key = *queue_.begin();
      queue_.erase(queue_.begin());
      Process(ids_.at(key), out);
      if (out.nodes.size() > kMaxNodesPerInstance) {
        return fmt::format("the code of {} unrolls to more than {} program points; lower --unroll or the retry bounds",
                           inst_.display_name, kMaxNodesPerInstance);
      }
    }
    out.done = static_cast<int32_t>(out.nodes.size());
    Node done;
    done.pc = ir::kDonePc;
    out.nodes.push_back(std::move(done));
    // Edges were recorded by pending id; point them at final node indices.
    for (Node& node : out.nodes) {
      for (Edge* edge : {&node.next, &node.alt}) {
        if (edge->kind != EdgeKind::kNode) continue;
        edge->node = edge->node == kDonePending ? out.done : pending_[edge->node].final_index;
        RACECHECK_CHECK(edge->node >= 0, "an edge to a program point that was never unrolled");
      }
    }
    return "";
  }

 private:
  static constexpr int32_t kDonePending = -2;

  struct Pending {
    int32_t pc = 0;
    std::vector<int32_t> iterations;
    std::vector<bool> known;
    std::vector<int64_t> value;
    int32_t final_index = -1;
  };

  Key MakeKey(int32_t pc, const std::vector<int32_t>& iterations) const {
    Key key;
    const std::vector<int32_t>& around = loops_.Around(pc);
    for (size_t k = 0; k < around.size(); ++k) {
      key.push_back(loops_.loop(around[k]).header);
      key.push_back(iterations[k]);
    }
    key.push_back(pc);
    return key;
  }

  // Adds a path's arrival at a program point; returns its pending id.
  int32_t Reach(Pending arrival) {
    Key key = MakeKey(arrival.pc, arrival.iterations);
    auto it = ids_.find(key);
    if (it == ids_.end()) {
      int32_t id = static_cast<int32_t>(pending_.size());
      ids_.emplace(key, id);
      queue_.insert(key);
      pending_.push_back(std::move(arrival));
      return id;
    }
    Pending& node = pending_[it->second];
    RACECHECK_CHECK(node.final_index < 0, "a path reached a program point after it was unrolled");
    for (size_t k = 0; k < node.known.size(); ++k) {
      if (node.known[k] && (!arrival.known[k] || arrival.value[k] != node.value[k])) node.known[k] = false;
    }
    return it->second;
  }

  // Where an edge from the point (pc, iterations) to `target` lands: the loop counts there.
  std::vector<int32_t> IterationsAt(int32_t pc, const std::vector<int32_t>& iterations, int32_t target) const {
    const std::vector<int32_t>& from = loops_.Around(pc);
    const std::vector<int32_t>& to = loops_.Around(target);
    size_t common = 0;
    while (common < from.size() && common < to.size() && from[common] == to[common]) ++common;
    std::vector<int32_t> result(iterations.begin(), iterations.begin() + static_cast<long>(common));
    if (common > 0 && loops_.loop(to[common - 1]).header == target && common == to.size()) {
      // Back to the header of a loop we are in: one more time round.
      ++result.back();
    }
    for (size_t k = common; k < to.size(); ++k) result.push_back(0);
    return result;
  }

  void Process(int32_t id, UnrolledInstance& out) {
    pending_[id].final_index = static_cast<int32_t>(out.nodes.size());
    const Pending point = pending_[id];
    Node node;
    node.pc = point.pc;
    node.iterations = point.iterations;
    node.known = point.known;
    node.value = point.value;

    // A loop header past the bound: the edges into its body are cut.
    int32_t loop = loops_.HeadedBy(point.pc);
    EdgeKind cut = EdgeKind::kNone;
    if (loop >= 0 && point.iterations.back() >= 1) {
      int32_t count = point.iterations.back();
      const LoopInfo& info = loops_.loop(loop);
      if (!info.makes_step && info.repeats && count >= 2) {
        // Nothing else runs within the step, so a third round is the second again, for ever
        // (`while flag { }` under the event loop), whatever the values: the Stepper's
        // "loops without a step", not a bound on the proof.
        cut = EdgeKind::kLoopForever;
      } else if (count >= kMaxExactIterations) {
        cut = EdgeKind::kBound;
      } else if (count >= bound_) {
        std::vector<int32_t> previous = point.iterations;
        --previous.back();
        const Pending& before = pending_[ids_.at(MakeKey(point.pc, previous))];
        if (before.known == point.known && before.value == point.value) {
          // The constants came round unchanged: only the values decide when the loop ends.
          Key round = MakeKey(point.pc, previous);
          round.pop_back();
          bool forever = !loops_.loop(loop).makes_step && !symbolic_rounds_.contains(round);
          cut = forever ? EdgeKind::kLoopForever : EdgeKind::kBound;
        }
      }
      if (cut == EdgeKind::kBound) bounded_lines_.insert(loops_.loop(loop).line);
    }

    const ir::Instr& instr = process_.code[point.pc];
    std::vector<bool> known = point.known;
    std::vector<int64_t> value = point.value;
    auto eval = [&](int32_t expr, int64_t* out_value) {
      return ConstValue(program_, expr, inst_.self, point.known, point.value, out_value);
    };
    int32_t next_pc = point.pc + 1;
    int32_t alt_pc = -1;
    bool symbolic_control = false;
    switch (instr.op) {
      case ir::Op::kLet: {
        int64_t v = 0;
        known[instr.dst] = eval(instr.expr, &v) && Fits(v);
        value[instr.dst] = known[instr.dst] ? v : 0;
        break;
      }
      case ir::Op::kRead:
        known[instr.dst] = false;
        value[instr.dst] = 0;
        break;
      case ir::Op::kChoose: {
        int64_t lo = 0, hi = 0;
        bool bounds = eval(instr.expr, &lo) && eval(instr.expr2, &hi);
        if (bounds && (lo > hi || !Fits(lo) || !Fits(hi))) {
          // No value to take: the run is discarded or fails here.
          next_pc = -1;
        } else {
          symbolic_control = !bounds;
          known[instr.dst] = bounds && lo == hi;
          value[instr.dst] = known[instr.dst] ? lo : 0;
        }
        break;
      }
      case ir::Op::kJump:
        next_pc = instr.target;
        break;
      case ir::Op::kBranchFalse: {
        int64_t condition = 0;
        if (eval(instr.expr, &condition)) {
          if (condition == 0) {
            alt_pc = instr.target;
            next_pc = -1;
          }
        } else {
          alt_pc = instr.target;
          symbolic_control = true;
        }
        break;
      }
      case ir::Op::kAssert:
      case ir::Op::kAssume: {
        int64_t condition = 0;
        if (!eval(instr.expr, &condition)) {
          symbolic_control = true;
        } else if (condition == 0) {
          next_pc = -1;
        }
        break;
      }
      case ir::Op::kEnd:
        next_pc = -1;
        node.next = Edge{EdgeKind::kNode, kDonePending};
        break;
      case ir::Op::kWrite:
      case ir::Op::kGhostWrite:
      case ir::Op::kAcquire:
      case ir::Op::kRelease:
      case ir::Op::kAtomicBegin:
      case ir::Op::kAtomicEnd:
      case ir::Op::kAwait:
      case ir::Op::kRedisEnd:
        break;
      case ir::Op::kRedis:
        if (instr.dst >= 0) {
          known[instr.dst] = false;
          value[instr.dst] = 0;
        }
        break;
      case ir::Op::kRedisBegin: {
        // A script always runs, and so does a multi of a process that WATCHes nothing there;
        // else the values decide whether EXEC is refused (then the step goes on after the block).
        const ir::RedisBlock& block = program_.redis_blocks[instr.call];
        const std::vector<int32_t>& watches = process_.db.watches;
        bool may_refuse = block.multi && !watches.empty() && watches[block.redis] >= 0;
        if (may_refuse) {
          alt_pc = instr.target;
          symbolic_control = true;
        }
        if (instr.dst >= 0) {
          known[instr.dst] = !may_refuse;
          value[instr.dst] = may_refuse ? 0 : 1;
        }
        break;
      }
      case ir::Op::kTxBegin:
      case ir::Op::kTxRollback:
      case ir::Op::kTxHandled:
        break;
      case ir::Op::kSql:
        for (int32_t local : program_.sql[instr.call].results) {
          known[local] = false;
          value[local] = 0;
        }
        [[fallthrough]];
      case ir::Op::kTxCommit:
        // Whether the transaction fails is the values' decision; the failure label keeps the
        // constants from before the statement, but a result local (and the failure's name) is
        // unknown on both ways.
        if (instr.dst >= 0) {
          known[instr.dst] = false;
          value[instr.dst] = 0;
        }
        if (instr.target >= 0) {
          alt_pc = instr.target;
          symbolic_control = true;
        }
        break;
      case ir::Op::kTxRaise:
        // Its end (a failure, or the finished instance) is the step encoder's.
        next_pc = -1;
        break;
      case ir::Op::kCrash: {
        // The locals are cleared, but the parameters and the crash count.
        std::vector<bool> keep(known.size(), false);
        if (process_.crash_local >= 0) keep[process_.crash_local] = true;
        for (const ir::ProcessParam& param : process_.params) keep[param.local] = true;
        for (size_t k = 0; k < known.size(); ++k) {
          if (keep[k]) continue;
          known[k] = true;
          value[k] = 0;
        }
        break;
      }
    }
    if (symbolic_control) {
      // Every round of every loop around this point has a decision the values make.
      Key key = MakeKey(point.pc, point.iterations);
      key.pop_back();
      for (size_t len = 2; len <= key.size(); len += 2) symbolic_rounds_.insert(Key(key.begin(), key.begin() + len));
    }
    auto edge_to = [&](int32_t target) {
      if (cut != EdgeKind::kNone && loops_.loop(loop).body[target]) return Edge{cut, -1};
      Pending arrival;
      arrival.pc = target;
      arrival.iterations = IterationsAt(point.pc, point.iterations, target);
      arrival.known = known;
      arrival.value = value;
      return Edge{EdgeKind::kNode, Reach(std::move(arrival))};
    };
    if (next_pc >= 0) node.next = edge_to(next_pc);
    if (alt_pc >= 0) node.alt = edge_to(alt_pc);
    out.nodes.push_back(std::move(node));
  }

  const ir::Program& program_;
  const ir::Instance& inst_;
  const ir::Process& process_;
  const Loops& loops_;
  int32_t bound_;
  std::set<int>& bounded_lines_;
  std::vector<Pending> pending_;
  std::map<Key, int32_t> ids_;
  std::set<Key> queue_;
  // Rounds of loops (the key prefix up to the loop's count) in which the values decide a branch.
  std::set<Key> symbolic_rounds_;
};

}  // namespace

bool ConstValue(const ir::Program& program, int32_t expr, int32_t self, const std::vector<bool>& known,
                const std::vector<int64_t>& value, int64_t* out) {
  const ir::Expr& e = program.exprs[expr];
  int64_t a = 0, b = 0;
  // NULL is never a known value here, so no operand below is NULL (ir/program.h, "Expressions").
  switch (e.op) {
    case ir::ExprOp::kConst:
      *out = e.value;
      return e.value != ir::kNull;
    case ir::ExprOp::kLocal:
      if (self < 0 || !known[e.index]) return false;
      *out = value[e.index];
      return value[e.index] != ir::kNull;
    case ir::ExprOp::kSelf:
      if (self < 0) return false;
      *out = self;
      return true;
    case ir::ExprOp::kGlobal:
    case ir::ExprOp::kParam:
    case ir::ExprOp::kColumn:
    case ir::ExprOp::kCell:
    case ir::ExprOp::kTableCount:
    case ir::ExprOp::kTableSum:
    case ir::ExprOp::kRedisValue:
    case ir::ExprOp::kRedisLease:
    case ir::ExprOp::kRedisLength:
    case ir::ExprOp::kRedisContains:
    case ir::ExprOp::kRedisHashGet:
    case ir::ExprOp::kIsNull:
    case ir::ExprOp::kCoalesce:
      return false;
    case ir::ExprOp::kNeg:
      return ConstValue(program, e.a, self, known, value, &a) && ir::Negate(a, out) == ir::ArithFault::kNone;
    case ir::ExprOp::kAbs:
      return ConstValue(program, e.a, self, known, value, &a) && ir::Abs(a, out) == ir::ArithFault::kNone;
    case ir::ExprOp::kNot:
      if (!ConstValue(program, e.a, self, known, value, &a)) return false;
      *out = a == 0;
      return true;
    case ir::ExprOp::kIte: {
      if (!ConstValue(program, e.a, self, known, value, &a)) return false;
      const ir::Expr& branches = program.exprs[e.b];
      return ConstValue(program, a != 0 ? branches.a : branches.b, self, known, value, out);
    }
    case ir::ExprOp::kBranches:
      return false;
    case ir::ExprOp::kAnd:
    case ir::ExprOp::kOr:
      if (!ConstValue(program, e.a, self, known, value, &a)) return false;
      if ((e.op == ir::ExprOp::kAnd) == (a == 0)) {
        *out = e.op == ir::ExprOp::kOr;
        return true;
      }
      if (!ConstValue(program, e.b, self, known, value, &b)) return false;
      *out = b != 0;
      return true;
    case ir::ExprOp::kAdd:
    case ir::ExprOp::kSub:
    case ir::ExprOp::kMul:
    case ir::ExprOp::kDiv:
    case ir::ExprOp::kMod:
    case ir::ExprOp::kLt:
    case ir::ExprOp::kLe:
    case ir::ExprOp::kGt:
    case ir::ExprOp::kGe:
    case ir::ExprOp::kEq:
    case ir::ExprOp::kNe:
    case ir::ExprOp::kMin:
    case ir::ExprOp::kMax:
      break;
  }
  if (!ConstValue(program, e.a, self, known, value, &a) || !ConstValue(program, e.b, self, known, value, &b)) {
    return false;
  }
  return FoldBinary(e.op, a, b, out);
}

bool FoldBinary(ir::ExprOp op, int64_t a, int64_t b, int64_t* out) {
  switch (op) {
    case ir::ExprOp::kAdd: return ir::Add(a, b, out) == ir::ArithFault::kNone;
    case ir::ExprOp::kSub: return ir::Sub(a, b, out) == ir::ArithFault::kNone;
    case ir::ExprOp::kMul: return ir::Mul(a, b, out) == ir::ArithFault::kNone;
    case ir::ExprOp::kDiv: return ir::Div(a, b, out) == ir::ArithFault::kNone;
    case ir::ExprOp::kMod: return ir::Mod(a, b, out) == ir::ArithFault::kNone;
    case ir::ExprOp::kLt: *out = a < b; return true;
    case ir::ExprOp::kLe: *out = a <= b; return true;
    case ir::ExprOp::kGt: *out = a > b; return true;
    case ir::ExprOp::kGe: *out = a >= b; return true;
    case ir::ExprOp::kEq: *out = a == b; return true;
    case ir::ExprOp::kNe: *out = a != b; return true;
    case ir::ExprOp::kMin: *out = std::min(a, b); return true;
    case ir::ExprOp::kMax: *out = std::max(a, b); return true;
    case ir::ExprOp::kConst:
    case ir::ExprOp::kLocal:
    case ir::ExprOp::kSelf:
    case ir::ExprOp::kGlobal:
    case ir::ExprOp::kParam:
    case ir::ExprOp::kNeg:
    case ir::ExprOp::kNot:
    case ir::ExprOp::kAbs:
    case ir::ExprOp::kIte:
    case ir::ExprOp::kBranches:
    case ir::ExprOp::kAnd:
    case ir::ExprOp::kOr:
    case ir::ExprOp::kColumn:
    case ir::ExprOp::kCell:
    case ir::ExprOp::kTableCount:
    case ir::ExprOp::kTableSum:
    case ir::ExprOp::kRedisValue:
    case ir::ExprOp::kRedisLease:
    case ir::ExprOp::kRedisLength:
    case ir::ExprOp::kRedisContains:
    case ir::ExprOp::kRedisHashGet:
    case ir::ExprOp::kIsNull:
    case ir::ExprOp::kCoalesce:
      break;
  }
  return false;
}

Unrolled Unroll(const ir::Program& program, int32_t bound) {
  RACECHECK_CHECK(bound >= 1, "an unrolling bound below 1");
  Unrolled result;
  std::vector<Loops> loops;
  for (const ir::Process& process : program.processes) {
    loops.emplace_back(program, process);
    if (!loops.back().problem().empty()) {
      result.problem = loops.back().problem();
      return result;
    }
  }
  std::set<int> bounded_lines;
  for (size_t i = 0; i < program.instances.size(); ++i) {
    UnrolledInstance instance;
    InstanceUnroller unroller(program, static_cast<int32_t>(i), loops[program.instances[i].process], bound,
                              bounded_lines);
    result.problem = unroller.Run(instance);
    if (!result.problem.empty()) return result;
    result.instances.push_back(std::move(instance));
  }
  result.bounded_loop_lines.assign(bounded_lines.begin(), bounded_lines.end());
  return result;
}

}  // namespace racecheck::symbolic
