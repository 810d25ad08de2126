// Warnings about what a model's code cannot show: a ghost written twice in one step, a property
// reading a variable that no request writes.
#include <fmt/format.h>

#include <algorithm>

#include "checker/ir/lowerer.h"
#include "checker/ir/ops.h"

namespace racecheck::ir::lowering {

// `holders += 1`, then local work or a `pause`, then `holders -= 1`: no step lies between the two
// writes, so no state has the raised value and a property reading the ghost never sees it (an
// invariant holds and a cover stays unreached for that reason alone). Straight-line code only,
// outside atomic and Redis blocks, where the writer asked for one step.
void Lowerer::WarnGhostWrittenTwiceInOneStep(const Process& process) {
  int depth = 0;
  for (size_t i = 0; i < process.code.size(); ++i) {
    const Instr& first = process.code[i];
    if (first.op == Op::kAtomicBegin || first.op == Op::kRedisBegin) ++depth;
    if (first.op == Op::kAtomicEnd || first.op == Op::kRedisEnd) --depth;
    // The compiler's own ghosts (a takes region: opened, paused and closed alike) are not the user's.
    if (depth > 0 || first.op != Op::kGhostWrite || program_.vars[first.var].internal || first.statement < 0) continue;
    for (size_t j = i + 1; j < process.code.size(); ++j) {
      const Instr& next = process.code[j];
      if (StartsStep(next.op) || next.op == Op::kAwait || next.op == Op::kJump || next.op == Op::kBranchFalse ||
          next.op == Op::kEnd) {
        break;
      }
      if (next.op != Op::kGhostWrite || next.var != first.var || next.statement < 0 ||
          next.statement == first.statement) {
        continue;
      }
      const base::SourceRange& at = program_.statements[first.statement].range;
      // Under the event loop shared memory between two awaits is one step (round 19: the advice
      // to put shared work between the two repeated what the model already did).
      const char* why = program_.runtime == Runtime::kEventLoop
                            ? "under the event loop a task runs on until its next await or database or Redis call, "
                              "so everything between them is one step"
                            : "nothing between them is a step: locals, ghosts and pauses are not";
      const char* fix = program_.runtime == Runtime::kEventLoop
                            ? "put an await or the call it stands for between the two"
                            : "put the shared work it stands for between the two";
      diags_.Warning(program_.statements[next.statement].range.begin,
                     fmt::format("ghost '{}' is written at line {} and again here in the same step ({}), so no state "
                                 "holds the value in between and no property sees it; {}",
                                 program_.vars[first.var].name, at.begin.line, why, fix));
      break;
    }
  }
}

namespace {

// What the processes may change, beside variables: tables (an update, insert or delete) and
// Redis keys (any command but those that only read, on any member of a family alike).
struct WrittenStores {
  std::vector<uint8_t> tables;
  std::vector<std::vector<uint8_t>> keys;  // per Redis declaration, per key

  explicit WrittenStores(const Program& program) : tables(program.tables.size(), 0) {
    for (const RedisDecl& redis : program.redis) keys.emplace_back(redis.keys.size(), 0);
    for (const Process& process : program.processes) {
      for (const Instr& instr : process.code) {
        if (instr.op == Op::kSql && program.sql[instr.call].kind != SqlKind::kSelect) {
          tables[program.sql[instr.call].table] = 1;
        }
        if (instr.op != Op::kRedis) continue;
        const RedisOp& op = program.redis_ops[instr.call];
        if (RedisReadsOnly(op.command)) continue;
        MarkFamily(program, op.redis, op.key);
        if (op.command == RedisCommand::kMove) MarkFamily(program, op.redis, op.target);
      }
    }
  }

  void MarkFamily(const Program& program, int32_t redis, int32_t key) {
    const std::vector<RedisKey>& all = program.redis[redis].keys;
    int32_t members = std::max(all[key].family_size, 1);
    for (int32_t k = key; k < key + members && k < static_cast<int32_t>(all.size()); ++k) keys[redis][k] = 1;
  }

  // The tables and keys `expr` reads that nothing writes, as "table 'jobs'", "Redis key 'lease'".
  void Unwritten(const Program& program, int32_t expr, std::vector<std::string>* names) const {
    if (expr < 0) return;
    const Expr& e = program.exprs[expr];
    std::string name;
    switch (e.op) {
      case ExprOp::kCell:
      case ExprOp::kTableCount:
      case ExprOp::kTableSum:
        if (!tables[e.index]) name = fmt::format("table '{}'", program.tables[e.index].name);
        break;
      case ExprOp::kRedisValue:
      case ExprOp::kRedisLease:
      case ExprOp::kRedisLength:
      case ExprOp::kRedisContains:
      case ExprOp::kRedisHashGet:
        if (!keys[e.index][e.var]) {
          const RedisKey& key = program.redis[e.index].keys[e.var];
          name = fmt::format("Redis key '{}'", key.family.empty() ? key.name : key.family);
        }
        break;
      default:
        break;
    }
    if (!name.empty() && std::find(names->begin(), names->end(), name) == names->end()) names->push_back(name);
    Unwritten(program, e.a, names);
    Unwritten(program, e.b, names);
    Unwritten(program, e.key_index, names);
  }
};

}  // namespace

// `invariant conservation: balance + withdrawn == 100` where no request writes `withdrawn`: the
// variable keeps its initial value in every state, so the property cannot see the requests'
// work through it, and a property made only of such variables holds (or fails) in every state
// alike: a SAFE that says nothing. Most often a forgotten `withdrawn += amount`. The same for
// a table no request changes and a Redis key no command changes.
void Lowerer::WarnPropertiesOnUnwrittenVariables() {
  if (program_.processes.empty()) return;  // a warning of its own says that nothing runs
  std::vector<uint8_t> written(program_.vars.size(), 0);
  for (const Process& process : program_.processes) {
    for (const Instr& instr : process.code) {
      if ((instr.op == Op::kWrite || instr.op == Op::kGhostWrite) && instr.var >= 0) written[instr.var] = 1;
    }
  }
  WrittenStores stores(program_);
  for (const Property& property : program_.properties) {
    std::vector<std::string> unwritten;
    for (int32_t var : property.vars) {
      const Variable& v = program_.vars[var];
      if (written[var] || v.internal) continue;
      std::string name = fmt::format("{} '{}'", v.kind == VarKind::kGhost ? "ghost" : "shared", v.name);
      if (std::find(unwritten.begin(), unwritten.end(), name) == unwritten.end()) unwritten.push_back(name);
    }
    stores.Unwritten(program_, property.expr, &unwritten);
    if (unwritten.empty()) continue;
    std::string names;
    for (size_t i = 0; i < unwritten.size(); ++i) {
      names += (i == 0 ? "" : i + 1 == unwritten.size() ? " and " : ", ") + unwritten[i];
    }
    bool one = unwritten.size() == 1;
    // Variables come first in the list: the example fits them.
    bool variable = unwritten.front().rfind("ghost ", 0) == 0 || unwritten.front().rfind("shared ", 0) == 0;
    diags_.Warning(property.range.begin,
                   fmt::format("{} {} reads {}, which no request writes: {} in every state, so the property cannot "
                               "see what the requests do through {} ({})",
                               PropertyKindName(property.kind), property.name, names,
                               one ? "it keeps its initial value" : "they keep their initial values", one ? "it" : "them",
                               variable ? "a forgotten update, such as 'withdrawn += amount'?"
                                        : "a forgotten insert, update or Redis command?"));
  }
}

}  // namespace racecheck::ir::lowering
