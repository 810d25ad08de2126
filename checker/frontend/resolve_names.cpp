#include "checker/frontend/resolve_names.h"

#include "checker/frontend/resolve_names_impl.h"

namespace racecheck::frontend::resolve {

const char* Describe(GlobalKind kind) {
  switch (kind) {
    case GlobalKind::kConst: return "a constant";
    case GlobalKind::kParam: return "a parameter";
    case GlobalKind::kVar: return "a variable";
    case GlobalKind::kLock: return "a lock";
    case GlobalKind::kEnum: return "an enum";
    case GlobalKind::kEnumValue: return "an enum value";
    case GlobalKind::kTable: return "a table";
    case GlobalKind::kRedis: return "a Redis instance";
    case GlobalKind::kProcess: return "a process";
    case GlobalKind::kFunction: return "a fn";
    case GlobalKind::kProperty: return "a property";
  }
  return "a name";
}

namespace {
// Where a declaration's name stands, for errors about the name (a clash); the whole declaration
// for one built without it.
template <typename Decl>
SourceRange NameRange(const Decl& decl) {
  return decl.name_range.begin.line > 0 ? decl.name_range : decl.range;
}
}  // namespace

void Resolver::Run() {
  DeclareGlobals();
  for (ConstDecl& c : model_.consts) ResolveExpr(*c.value);
  for (ParamDecl& p : model_.params) {
    ResolveExpr(*p.lo);
    ResolveExpr(*p.hi);
  }
  if (model_.runtime.replicas) ResolveExpr(*model_.runtime.replicas);
  if (model_.replica_crash.bound) ResolveExpr(*model_.replica_crash.bound);
  for (VarDecl& v : model_.vars) {
    ResolveShape(v.shape.get());
    for (ExprPtr& e : v.init) ResolveExpr(*e);
  }
  for (LockDecl& l : model_.locks) ResolveShape(l.shape.get());
  for (TableDecl& t : model_.tables) ResolveTable(t);
  for (RedisDecl& r : model_.redis) {
    ResolveShape(r.shape.get());
    std::map<std::string, SourceRange> keys;
    for (RedisKey& k : r.keys) {
      if (auto [it, fresh] = keys.emplace(k.name, k.range); !fresh) {
        diags_.Error(k.range.begin, fmt::format("the key '{}' is already declared at line {}", k.name,
                                                it->second.begin.line));
      }
      RejectEnumValueName(k.name, k.range, "the key", "in a Redis command");
      ResolveShape(k.shape.get());
      if (k.initial) ResolveExpr(*k.initial);
      ResolveKeyKind(k);
    }
  }
  for (FnDecl& f : model_.functions) ResolveFunction(f);
  for (ProcessDecl& p : model_.processes) ResolveProcess(p);
  for (PropertyDecl& p : model_.properties) ResolveExpr(*p.expr);
  for (AllowDecl& a : model_.allows) {
    if (a.what == "deadlock") model_.allow_deadlock = true;
    if (a.what == "failure") model_.allow_failure = true;
  }
  ResolveExpectation();
}

void Resolver::Declare(const std::string& name, GlobalKind kind, int index, SourceRange range, int value) {
  if (name == "self") return;  // a keyword; the grammar never lets it through
  auto [it, fresh] = globals_.emplace(name, Global{kind, index, range, value});
  if (fresh) return;
  const Global& first = it->second;
  if (IsFailure(first)) {
    diags_.Error(range.begin, FailureNameTaken(name));
    return;
  }
  if (kind == GlobalKind::kEnumValue && first.kind == GlobalKind::kEnumValue) {
    // A bare `done` must name one value, or a comparison could not say which enum it means.
    diags_.Error(range.begin, fmt::format("'{}' is already a value of enum {} (line {}); a value belongs to one "
                                          "enum: rename one of them",
                                          name, model_.enums[first.index].name, first.range.begin.line));
    return;
  }
  // Declarations are taken kind by kind, not in source order: the error goes to the later one.
  Global second{kind, index, range, value};
  auto before = [](const SourceRange& a, const SourceRange& b) {
    return a.begin.line != b.begin.line ? a.begin.line < b.begin.line : a.begin.column < b.begin.column;
  };
  const Global& earlier = before(range, first.range) ? second : first;
  const Global& later = &earlier == &first ? second : first;
  std::string what = earlier.kind == GlobalKind::kEnumValue ? "a value of enum " + model_.enums[earlier.index].name
                                                             : Describe(earlier.kind);
  diags_.Error(later.range.begin, fmt::format("'{}' is already declared at line {} as {}", name,
                                              earlier.range.begin.line, what));
}

bool Resolver::IsFailure(const Global& global) const {
  return global.kind == GlobalKind::kEnumValue && global.index == failure_enum_;
}

std::string Resolver::FailureNameTaken(const std::string& name) {
  return fmt::format("'{}' is the name of a database failure, which 'on failure(e)' compares with; pick "
                     "another name", name);
}

void Resolver::DeclareGlobals() {
  size_t user_enums = model_.enums.size();
  failure_enum_ = static_cast<int>(user_enums);
  EnumDecl failures;
  failures.name = kFailureEnumName;
  failures.builtin = true;
  for (const std::string& name : FailureNames()) failures.values.push_back({SourceRange{}, name});
  for (size_t v = 0; v < failures.values.size(); ++v) {
    globals_.emplace(failures.values[v].name, Global{GlobalKind::kEnumValue, failure_enum_, SourceRange{},
                                                     static_cast<int>(v)});
  }
  model_.enums.push_back(std::move(failures));
  // Enums first: they are the types the other declarations use, and usually stand above them.
  for (size_t i = 0; i < user_enums; ++i) {
    const EnumDecl& decl = model_.enums[i];
    Declare(decl.name, GlobalKind::kEnum, i, NameRange(decl));
    for (size_t v = 0; v < decl.values.size(); ++v) {
      Declare(decl.values[v].name, GlobalKind::kEnumValue, i, decl.values[v].range, static_cast<int>(v));
    }
  }
  for (size_t i = 0; i < model_.consts.size(); ++i) Declare(model_.consts[i].name, GlobalKind::kConst, i, NameRange(model_.consts[i]));
  for (size_t i = 0; i < model_.params.size(); ++i) Declare(model_.params[i].name, GlobalKind::kParam, i, NameRange(model_.params[i]));
  for (size_t i = 0; i < model_.vars.size(); ++i) Declare(model_.vars[i].name, GlobalKind::kVar, i, NameRange(model_.vars[i]));
  for (size_t i = 0; i < model_.locks.size(); ++i) Declare(model_.locks[i].name, GlobalKind::kLock, i, NameRange(model_.locks[i]));
  for (size_t i = 0; i < model_.tables.size(); ++i) Declare(model_.tables[i].name, GlobalKind::kTable, i, NameRange(model_.tables[i]));
  for (size_t i = 0; i < model_.redis.size(); ++i) Declare(model_.redis[i].name, GlobalKind::kRedis, i, NameRange(model_.redis[i]));
  for (size_t i = 0; i < model_.processes.size(); ++i) {
    Declare(model_.processes[i].name, GlobalKind::kProcess, i, NameRange(model_.processes[i]));
  }
  for (size_t i = 0; i < model_.functions.size(); ++i) {
    FnDecl& fn = model_.functions[i];
    Declare(fn.name, GlobalKind::kFunction, i, NameRange(fn));
    fn.returns_value = ReturnsValue(fn.body);
  }
  for (size_t i = 0; i < model_.properties.size(); ++i) {
    Declare(model_.properties[i].name, GlobalKind::kProperty, i, NameRange(model_.properties[i]));
  }
}

void Resolver::ResolveShape(Shape* shape) {
  if (!shape) return;
  ResolveExpr(*shape->first);
  if (shape->second) ResolveExpr(*shape->second);
}

void Resolver::ResolveExpectation() {
  ExpectDecl& expect = model_.expect;
  // Under `allow failure` an unhandled failure ends its request without a finding.
  if (expect.kind == ExpectKind::kFailure && model_.allow_failure) {
    diags_.Error(expect.range.begin, "'expect failure' can never be met under 'allow failure', which makes an "
                                     "unhandled failure end its request without a finding; keep one of the two");
  }
  if (expect.kind == ExpectKind::kDeadlock && model_.allow_deadlock) {
    diags_.Error(expect.range.begin, "'expect deadlock' can never be met under 'allow deadlock', which makes a run "
                                     "where nobody can move end without a finding; keep one of the two");
  }
  for (size_t i = 0; i < expect.names.size(); ++i) {
    if (expect.names[i] == "assert") {
      if (!has_assert_) {
        diags_.Error(expect.name_ranges[i].begin, "'expect violation assert' expects a failed assertion, but no "
                                                  "process or fn has an 'assert'");
      }
      continue;
    }
    auto it = globals_.find(expect.names[i]);
    bool property = it != globals_.end() && it->second.kind == GlobalKind::kProperty;
    // The report's word for a runtime error is no property (round 30 wrote it after `violation`).
    if (!property && (expect.names[i] == "runtime_error" || expect.names[i] == "error")) {
      diags_.Error(expect.name_ranges[i].begin, "a runtime error is no property: write 'expect error' for a run "
                                                "that ends in one (an overflow, a select of one value that finds "
                                                "two rows)");
      continue;
    }
    if (!property) {
      diags_.Error(expect.name_ranges[i].begin,
                   fmt::format("'expect violation {}' names no property; declare 'invariant {}: ...', 'final' or "
                               "'cover', or write 'expect deadlock', 'expect failure' or 'expect error'", expect.names[i],
                               expect.names[i]));
    }
  }
}

}  // namespace racecheck::frontend::resolve

namespace racecheck::frontend {

bool ResolveNames(ast::Model& model, base::DiagnosticEngine& diags) {
  int errors_before = diags.error_count();
  resolve::Resolver(model, diags).Run();
  return diags.error_count() == errors_before;
}

}  // namespace racecheck::frontend
