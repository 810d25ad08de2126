#include "checker/ir/symmetry.h"

#include <map>

#include "checker/ir/process_exprs.h"
#include "checker/ir/symmetry_tokens.h"
#include "fmt/format.h"

namespace racecheck::ir {
namespace {


// Walks expression trees from their roots and says whether any node is one of the ops asked for,
// and whether any names a takes region (Process::region_var) other than the process's own at
// `self`. That one element is the instance's own, and Symmetry moves it with the block.
class ExprScan {
 public:
  ExprScan(const Program& program, bool locals_too, int32_t own_region = -1)
      : program_(program), locals_too_(locals_too), own_region_(own_region) {}

  void Root(int32_t expr) {
    if (expr < 0 || found_) return;
    const Expr& e = program_.exprs[expr];
    if (e.op == ExprOp::kSelf || (locals_too_ && e.op == ExprOp::kLocal)) {
      found_ = true;
      return;
    }
    if (e.op == ExprOp::kGlobal && Variable(e.var, e.a)) return;
    Root(e.a);
    Root(e.b);
    Root(e.key_index);
  }
  // Element `index` of variable `var` is read or written: true when that is the process's own
  // takes region (nothing more to scan), false for any other variable (its index still is);
  // another region, or the own one at anything but `self`, is `foreign`.
  bool Variable(int32_t var, int32_t index) {
    if (!IsRegion(var)) return false;
    if (var != own_region_ || index < 0 || program_.exprs[index].op != ExprOp::kSelf) foreign_ = true;
    return true;
  }
  bool found() const { return found_; }
  bool foreign() const { return foreign_; }

 private:
  bool IsRegion(int32_t var) const {
    for (const Process& process : program_.processes) {
      if (var >= 0 && process.region_var == var) return true;
    }
    return false;
  }

  const Program& program_;
  bool locals_too_;
  int32_t own_region_;
  bool found_ = false;
  bool foreign_ = false;
};

// How a process's code tells its instances apart.
enum class SelfUse {
  kNone,
  kSelf,           // it reads self (FindTokens may still find nothing but tokens self + c)
  kForeignRegion,  // it names a takes region other than its own
};

// Every expression a process evaluates (VisitProcessExprs).
SelfUse ProcessUsesSelf(const Program& program, const Process& process) {
  ExprScan scan(program, /*locals_too=*/false, process.region_var);
  VisitProcessExprs(
      program, process, [&](int32_t expr) { scan.Root(expr); },
      [&](int32_t var, int32_t index) {
        if (!scan.Variable(var, index)) scan.Root(index);
      });
  if (scan.foreign()) return SelfUse::kForeignRegion;
  return scan.found() ? SelfUse::kSelf : SelfUse::kNone;
}

// "W[0..6]" for consecutive instance numbers, else their names.
std::string GroupName(const Program& program, const std::vector<int32_t>& instances) {
  const Instance& first = program.instances[instances.front()];
  const Instance& last = program.instances[instances.back()];
  if (last.self - first.self + 1 == static_cast<int32_t>(instances.size())) {
    return fmt::format("{}[{}..{}]", program.processes[first.process].name, first.self, last.self);
  }
  std::string name;
  for (int32_t i : instances) name += (name.empty() ? "" : ", ") + program.instances[i].display_name;
  return name;
}

}  // namespace

SymmetryAnalysis FindSymmetry(const Program& program) {
  SymmetryAnalysis analysis;
  analysis.reasons.assign(program.processes.size(), "");
  analysis.reason_lines.assign(program.processes.size(), 0);
  analysis.names.assign(program.processes.size(), "");
  for (size_t p = 0; p < program.processes.size(); ++p) {
    std::vector<int32_t> instances;
    for (size_t i = 0; i < program.instances.size(); ++i) {
      if (program.instances[i].process == static_cast<int32_t>(p)) instances.push_back(static_cast<int32_t>(i));
    }
    if (!instances.empty()) analysis.names[p] = GroupName(program, instances);
  }
  // A property is evaluated with no running instance; should one ever read `self` or a local,
  // it could name an instance, and nothing is symmetric.
  ExprScan properties(program, /*locals_too=*/true);
  for (const Property& property : program.properties) properties.Root(property.expr);
  bool properties_foreign = properties.foreign();
  for (size_t p = 0; p < program.processes.size(); ++p) {
    const Process& process = program.processes[p];
    std::string& reason = analysis.reasons[p];
    SymmetryTokens tokens;
    if (process.instance_count < 2) {
      reason = "one instance";
    } else if (properties.found()) {
      reason = "a property reads self or a local";
    } else if (properties_foreign) {
      reason = "a property reads a takes region";
    } else {
      // In a timed model each instance's takes region is a slot of its own outside its block
      // (Program::region_slots), read and written only as region[self]: Symmetry moves it with
      // the block, and time passing treats every region alike.
      switch (ProcessUsesSelf(program, process)) {
        case SelfUse::kNone: break;
        // Uses of self that only make tokens self + c, copied and compared for equality, keep it.
        case SelfUse::kSelf:
          reason = FindTokens(program, static_cast<int32_t>(p), &tokens, &analysis.reason_lines[p]);
          break;
        case SelfUse::kForeignRegion: reason = "its code names a takes region other than its own"; break;
      }
    }
    if (!reason.empty()) continue;
    // Instances on different replicas see different copies of shared memory and locks.
    std::map<int32_t, std::vector<int32_t>> by_replica;
    for (size_t i = 0; i < program.instances.size(); ++i) {
      if (program.instances[i].process == static_cast<int32_t>(p)) {
        by_replica[program.instances[i].replica].push_back(static_cast<int32_t>(i));
      }
    }
    for (auto& [replica, instances] : by_replica) {
      if (instances.size() < 2) continue;
      std::string name = GroupName(program, instances);
      analysis.groups.push_back({static_cast<int32_t>(p), std::move(instances), std::move(name), tokens});
    }
    if (by_replica.size() == static_cast<size_t>(process.instance_count)) reason = "every instance is on its own replica";
  }
  return analysis;
}

}  // namespace racecheck::ir
