// Deep copies of statements and expressions, every field including those later passes set, for
// InlineFunctions: a fn's body copied into each call, its locals renumbered as the caller's.
#pragma once

#include <functional>

#include "checker/ast/ast.h"

namespace racecheck::ast {

// Maps a local index of the copied code (FnDecl::locals) to the one the copy uses.
using LocalMap = std::function<int(int)>;

ExprPtr Clone(const Expr& e, const LocalMap& local);
StmtPtr Clone(const Stmt& s, const LocalMap& local);
Block Clone(const Block& block, const LocalMap& local);

}  // namespace racecheck::ast
