// The withdrawal model the explore tests share, built directly as IR.
#pragma once

#include "tests/unit/explore/program_builder.h"

namespace racecheck::explore::testing {

// `withdraw` takes 80 from a balance of 100 when it sees enough; the ghost counts what left.
//   line 1: let b = balance / line 2: if b >= 80 / line 3: balance = b - 80 / line 4: withdrawn += 80
// With `locked`, lines 1 and 6 are `lock mu` and `release mu` around it.
inline ir::Program Withdraw(bool locked, ir::Runtime runtime = ir::Runtime::kThreads, bool await = false) {
  ProgramBuilder b(runtime, "withdraw");
  int balance = b.Var("balance", 100);
  int withdrawn = b.Ghost("withdrawn", 0);
  int mu = b.Lock("mu");
  ProcessBuilder w = b.Process("Withdraw", 2, {"b"});
  if (locked) w.Acquire(mu, -1, "lock mu");
  w.Read(0, balance, -1, "let b = balance");
  if (await) w.Await();
  int branch = w.BranchFalse(b.Ge(b.L(0), b.C(80)), -1, "if b >= 80");
  w.Write(balance, -1, b.Sub(b.L(0), b.C(80)), "balance = b - 80");
  w.GhostWrite(withdrawn, -1, b.Add(b.G(withdrawn), b.C(80)), "withdrawn += 80");
  w.SetTarget(branch, w.Next());
  if (locked) w.Release(mu, -1, "release mu");
  w.End();
  b.Invariant("conservation", b.Eq(b.Add(b.G(balance), b.G(withdrawn)), b.C(100)), "balance + withdrawn == 100",
              {balance, withdrawn});
  return b.Build();
}

}  // namespace racecheck::explore::testing
