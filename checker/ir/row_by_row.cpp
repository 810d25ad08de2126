#include "checker/ir/row_by_row.h"

#include <set>
#include <vector>

namespace racecheck::ir {
namespace {

// Whether the statement takes row locks or writes rows another statement could wait for.
bool Contends(const SqlStatement& sql) { return sql.kind != SqlKind::kSelect || sql.for_update; }

}  // namespace

void MarkRowByRow(Program& program) {
  // Per table, the processes with a statement that contends on it.
  std::vector<std::set<size_t>> contenders(program.tables.size());
  for (size_t p = 0; p < program.processes.size(); ++p) {
    for (const Instr& instr : program.processes[p].code) {
      if (instr.op != Op::kSql) continue;
      const SqlStatement& sql = program.sql[instr.call];
      if (Contends(sql)) contenders[sql.table].insert(p);
    }
  }
  std::vector<int32_t> instances(program.tables.size(), 0);
  for (const Instance& inst : program.instances) {
    for (size_t t = 0; t < program.tables.size(); ++t) {
      if (contenders[t].contains(static_cast<size_t>(inst.process))) ++instances[t];
    }
  }
  for (SqlStatement& sql : program.sql) {
    // An insert contends (a duplicate key waits for it) but writes one row.
    bool locks_rows = Contends(sql) && sql.kind != SqlKind::kInsert;
    sql.row_by_row = locks_rows && program.tables[sql.table].capacity > 1 && instances[sql.table] >= 2;
  }
}

}  // namespace racecheck::ir
