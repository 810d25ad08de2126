#include "checker/ir/value_text.h"

namespace racecheck::ir {

std::string ValueText(const Program& program, ValueType type, Value value) {
  if (value == kNull) return "null";
  switch (type.kind) {
    case ValueType::Kind::kInt: break;
    case ValueType::Kind::kBool: return value != 0 ? "true" : "false";
    case ValueType::Kind::kEnum: {
      // Only the enum's own values are ever stored; the number shows if that ever breaks.
      if (type.enum_index < 0 || static_cast<size_t>(type.enum_index) >= program.enums.size()) break;
      const std::vector<std::string>& values = program.enums[type.enum_index].values;
      if (value >= 0 && static_cast<size_t>(value) < values.size()) return values[value];
      break;
    }
  }
  return std::to_string(value);
}

}  // namespace racecheck::ir
