#include "checker/frontend/check_types_redis.h"

#include <fmt/format.h>

#include <utility>

namespace racecheck::frontend::redis_types {
namespace {

using ast::Type;

// In the order the error for an unknown command lists them.
const std::vector<std::pair<std::string, RedisCommandInfo>> kRedisCommands = {
    {"GET", {0, 0, Type::kInt}},      {"SET", {1, 1, Type::kBool}},    {"SETNX", {1, 1, Type::kBool}},
    {"GETDEL", {0, 0, Type::kInt}},   {"INCR", {0, 0, Type::kInt}},    {"DECR", {0, 0, Type::kInt}},
    {"INCRBY", {1, 1, Type::kInt}},   {"DECRBY", {1, 1, Type::kInt}},  {"DEL", {0, 0, Type::kInt, KeyKind::kAny}},
    {"EXISTS", {0, 0, Type::kBool, KeyKind::kAny}},  {"EXPIRE", {1, 1, Type::kBool}}, {"PEXPIRE", {1, 1, Type::kBool}},
    {"PERSIST", {0, 0, Type::kBool}}, {"TTL", {0, 0, Type::kInt}},     {"PTTL", {0, 0, Type::kInt}},
    {"WATCH", {0, 0, Type::kBool, KeyKind::kAny}},
    {"LPUSH", {1, 1, Type::kInt, KeyKind::kList}},  {"RPUSH", {1, 1, Type::kInt, KeyKind::kList}},
    {"LPOP", {0, 0, Type::kInt, KeyKind::kList}},   {"RPOP", {0, 0, Type::kInt, KeyKind::kList}},
    {"LLEN", {0, 0, Type::kInt, KeyKind::kList}},   {"LREM", {2, 2, Type::kInt, KeyKind::kList}},
    {"LMOVE", {0, 0, Type::kInt, KeyKind::kList}},  {"RPOPLPUSH", {0, 0, Type::kInt, KeyKind::kList}},
    {"BLPOP", {0, 0, Type::kInt, KeyKind::kList}},  {"BRPOP", {0, 0, Type::kInt, KeyKind::kList}},
    {"BLMOVE", {0, 0, Type::kInt, KeyKind::kList}},
};

}  // namespace

const RedisCommandInfo* FindRedisCommand(const std::string& name) {
  for (const auto& [command, info] : kRedisCommands) {
    if (command == name) return &info;
  }
  return nullptr;
}

std::string KnownRedisCommands() {
  std::string out;
  for (const auto& [command, info] : kRedisCommands) out += (out.empty() ? "" : ", ") + command;
  return out;
}

bool GivesElement(const std::string& command) {
  return command == "LPOP" || command == "RPOP" || command == "BLPOP" || command == "BRPOP" || command == "LMOVE" ||
         command == "BLMOVE" || command == "RPOPLPUSH";
}

std::vector<KeyOperand> KeyOperands(ast::Expr& key, const char* owner) {
  std::string family = key.kind == ast::ExprKind::kMember ? key.member : key.name;
  std::vector<KeyOperand> out;
  for (ast::ExprPtr& operand : key.operands) {
    bool member = key.kind != ast::ExprKind::kMember || operand.get() == key.KeyIndex();
    out.push_back({operand.get(), member ? fmt::format("the index of a member of key family '{}'", family) : owner});
  }
  return out;
}

}  // namespace racecheck::frontend::redis_types
