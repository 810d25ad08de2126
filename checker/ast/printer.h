// The stable, readable form of a model behind `racecheck parse`, and the source text of
// expressions used in reports ("balance + withdrawn == 100").
#pragma once

#include <string>

#include "checker/ast/ast.h"

namespace racecheck::ast {

std::string PrintModel(const Model& model);
// Minimal parentheses; parent_precedence is for recursion.
std::string ExprText(const Expr& expr, int parent_precedence = 0);
std::string SqlText(const Sql& sql);
std::string RedisText(const RedisCall& call);
// An enum's values as declared: "queued, running, done".
std::string ValueList(const EnumDecl& decl);
// "int", "bool", or the enum's name.
std::string TypeName(const Model& model, Type type);

}  // namespace racecheck::ast
