#include "checker/frontend/inline_functions.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "checker/ast/clone.h"

namespace racecheck::frontend {
namespace {

using namespace racecheck::ast;

// The fn a call names, or null for a built-in (min, max, ...) or an unresolved name.
const Expr* FnCall(const Expr* e) {
  return e && e->kind == ExprKind::kCall && e->ref.kind == RefKind::kFunction ? e : nullptr;
}

// The call a statement makes: `f(a)`, `let x = f(a)`, `x = f(a)`; ResolveNames refuses the others.
Expr* CallOf(Stmt& s) {
  bool may_call = s.kind == StmtKind::kCall || s.kind == StmtKind::kLet || s.kind == StmtKind::kAssign;
  return may_call && FnCall(s.value.get()) ? s.value.get() : nullptr;
}

class Inliner {
 public:
  Inliner(Model& model, base::DiagnosticEngine& diags) : model_(model), diags_(diags) {}

  void Run() {
    state_.assign(model_.functions.size(), kUnvisited);
    for (size_t f = 0; f < model_.functions.size(); ++f) FindCycle(static_cast<int>(f));
    if (diags_.has_errors()) return;
    for (ProcessDecl& p : model_.processes) {
      process_ = &p;
      ExpandBlock(p.body, {});
    }
  }

 private:
  enum State { kUnvisited, kOnPath, kDone };

  // Depth-first over the calls in fn bodies; a call back to a fn on the path closes a cycle.
  void FindCycle(int f) {
    if (state_[f] != kUnvisited) return;
    state_[f] = kOnPath;
    path_.push_back(f);
    VisitCalls(model_.functions[f].body, [&](const Expr& call) {
      int callee = call.ref.index;
      if (state_[callee] == kOnPath) {
        std::string cycle;
        for (size_t i = 0; i < path_.size(); ++i) {
          if (cycle.empty() && path_[i] != callee) continue;
          cycle += model_.functions[path_[i]].name + " -> ";
        }
        cycle += model_.functions[callee].name;
        diags_.Error(call.range.begin, fmt::format("fn '{}' calls itself ({}): racecheck copies a fn's body into "
                                                   "each call, so fns cannot recurse; write the repetition as a "
                                                   "while or retry loop", model_.functions[callee].name, cycle));
      } else {
        FindCycle(callee);
      }
    });
    path_.pop_back();
    state_[f] = kDone;
  }

  template <typename Visit>
  void VisitCalls(Block& block, Visit visit) {
    for (StmtPtr& s : block) {
      if (Expr* call = CallOf(*s)) visit(*call);
      ForEachBlock(*s, [&](Block& inner) { VisitCalls(inner, visit); });
    }
  }

  void ExpandBlock(Block& block, const std::vector<CallSite>& chain) {
    for (StmtPtr& s : block) {
      if (Expr* call = CallOf(*s)) Expand(*s, *call, chain);
      ForEachBlock(*s, [&](Block& inner) { ExpandBlock(inner, chain); });
    }
  }

  int NewLocal(SourceRange range, std::string name) {
    process_->locals.push_back({range, std::move(name), Type::kUnknown});
    return static_cast<int>(process_->locals.size() - 1);
  }

  // Where the call's value goes: the let's own local, the local assigned, or a new local that the
  // assignment then reads (or that keeps the value a statement call drops: its steps still run).
  int ResultLocal(const Stmt& s, const FnDecl& fn) {
    if (!fn.returns_value) return -1;
    if (s.kind == StmtKind::kLet) return s.locals[0];
    if (s.kind == StmtKind::kAssign && s.target.kind == RefKind::kLocal && s.assign_op == AssignOp::kSet) {
      return s.target.index;
    }
    return NewLocal(s.range, fn.name + "()");
  }

  void Expand(Stmt& s, Expr& call, const std::vector<CallSite>& chain) {
    const FnDecl& fn = model_.functions[call.ref.index];
    call.call_result = ResultLocal(s, fn);
    std::vector<int> locals;
    for (const LocalDecl& local : fn.locals) locals.push_back(NewLocal(local.range, fn.name + "." + local.name));
    // Each parameter is a `let` of the caller's, made where the call stands.
    for (size_t i = 0; i < fn.params.size() && i < call.operands.size(); ++i) {
      auto let = std::make_unique<Stmt>(call.range, StmtKind::kLet);
      let->names.push_back(fn.params[i]);
      let->name_ranges.push_back(call.operands[i]->range);
      let->locals.push_back(locals[i]);
      let->value = Clone(*call.operands[i], [](int l) { return l; });
      let->called_from = chain;
      s.inlined.push_back(std::move(let));
    }
    std::vector<CallSite> inner = chain;
    inner.insert(inner.begin(), CallSite{fn.name, s.range.begin.line});
    Block body = Clone(fn.body, [&](int l) { return locals.at(l); });
    MarkCopied(body, inner, call.call_result);
    ExpandBlock(body, inner);
    for (StmtPtr& copied : body) s.inlined.push_back(std::move(copied));
  }

  // The calls a copied statement came from, and where its `return` puts the value.
  void MarkCopied(Block& block, const std::vector<CallSite>& chain, int result) {
    for (StmtPtr& s : block) {
      s->called_from = chain;
      if (s->kind == StmtKind::kReturn && s->value) s->return_local = result;
      ForEachBlock(*s, [&](Block& inner) { MarkCopied(inner, chain, result); });
    }
  }

  Model& model_;
  base::DiagnosticEngine& diags_;
  std::vector<State> state_;
  std::vector<int> path_;
  ProcessDecl* process_ = nullptr;
};

}  // namespace

bool InlineFunctions(Model& model, base::DiagnosticEngine& diags) {
  int errors_before = diags.error_count();
  Inliner(model, diags).Run();
  return diags.error_count() == errors_before;
}

}  // namespace racecheck::frontend
