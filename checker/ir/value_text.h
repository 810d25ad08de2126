// How a value is written in results, by its type: "100", "true", "running". One rule for every
// reporter of either engine, so a status never reads as a bare number anywhere.
#pragma once

#include <string>

#include "checker/ir/program.h"

namespace racecheck::ir {

// The value as the model writes it: a number, true/false, or the enum value's name.
std::string ValueText(const Program& program, ValueType type, Value value);

}  // namespace racecheck::ir
