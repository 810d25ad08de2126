// The Redis side of CheckTypes (check_types.cpp): the commands racecheck knows, with their
// arities and results, and the operands that name a key family's member. Private to frontend.
#pragma once

#include <string>
#include <vector>

#include "checker/ast/ast.h"

namespace racecheck::frontend::redis_types {

// Redis commands: the keys they work on, argument counts (after the key) and result.
enum class KeyKind { kPlain, kList, kHash, kSet, kAny };
struct RedisCommandInfo {
  int min_values;
  int max_values;
  ast::Type result;
  KeyKind keys = KeyKind::kPlain;
};

// The command named (upper-cased), or nullptr when racecheck does not know it.
const RedisCommandInfo* FindRedisCommand(const std::string& name);
// "GET, SET, ...": every command racecheck knows, for the error about one it does not.
std::string KnownRedisCommands();
// "list", "hash", "set" or "plain key", and what it holds ("an element", "a field", "a member"): for messages.
const char* KindOf(const ast::RedisKey& key);
const char* PartOf(const ast::RedisKey& key);
// Commands that give a list's element (or null when it is empty).
bool GivesElement(const std::string& command);

// An operand that must be an int, and what to call it in the error when it is not.
struct KeyOperand {
  ast::Expr* expr;
  std::string what;
};
// The index operands of a key argument (`hits[u]`) or a property's `redis.hits[u]`,
// `nodes[i].k`, `accounts[k].balance`: a member's index, or the `owner` index before the dot.
std::vector<KeyOperand> KeyOperands(ast::Expr& key, const char* owner);

}  // namespace racecheck::frontend::redis_types
