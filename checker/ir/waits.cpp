#include "checker/ir/waits.h"

namespace racecheck::ir {

bool OnlyRowsWait(const Program& program) {
  for (const Process& process : program.processes) {
    for (const Instr& instr : process.code) {
      if (instr.op == Op::kAcquire) return false;
      if (instr.op == Op::kRedis && program.redis_ops[instr.call].blocking) return false;
    }
  }
  return true;
}

}  // namespace racecheck::ir
