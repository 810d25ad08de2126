#include "checker/frontend/check_types_redis.h"

#include <fmt/format.h>

#include <algorithm>

#include <utility>

#include "checker/frontend/check_types_impl.h"
#include "checker/frontend/redis_messages.h"

namespace racecheck::frontend::redis_types {
namespace {

using ast::Type;

// HSET, HDEL, SADD, SREM: at most this many values after the key (HSET's are field, value pairs).
constexpr int kMaxCollectionArgs = 8;

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
    {"HGET", {1, 1, Type::kInt, KeyKind::kHash}},   {"HSET", {2, kMaxCollectionArgs, Type::kInt, KeyKind::kHash}},
    {"HSETNX", {2, 2, Type::kBool, KeyKind::kHash}}, {"HINCRBY", {2, 2, Type::kInt, KeyKind::kHash}},
    {"HDEL", {1, kMaxCollectionArgs, Type::kInt, KeyKind::kHash}}, {"HEXISTS", {1, 1, Type::kBool, KeyKind::kHash}},
    {"HLEN", {0, 0, Type::kInt, KeyKind::kHash}},
    {"SADD", {1, kMaxCollectionArgs, Type::kInt, KeyKind::kSet}}, {"SREM", {1, kMaxCollectionArgs, Type::kInt, KeyKind::kSet}},
    {"SISMEMBER", {1, 1, Type::kBool, KeyKind::kSet}}, {"SCARD", {0, 0, Type::kInt, KeyKind::kSet}},
};

// The commands of each kind of key, for the WRONGTYPE error's hint.
const char* CommandsOf(const ast::RedisKey& key) {
  if (key.IsList()) return "LPUSH, RPUSH, LPOP, RPOP, LLEN, LMOVE";
  if (key.IsHash()) return "HGET, HSET, HSETNX, HINCRBY, HDEL, HEXISTS, HLEN";
  if (key.IsSet()) return "SADD, SREM, SISMEMBER, SCARD";
  return "GET, SET, INCR, DEL";
}

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

const char* KindOf(const ast::RedisKey& key) {
  return key.IsList() ? "list" : key.IsHash() ? "hash" : key.IsSet() ? "set" : "plain key";
}

const char* PartOf(const ast::RedisKey& key) {
  return key.IsHash() ? "a field" : key.IsSet() ? "a member" : "an element";
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

namespace racecheck::frontend::type_check {
namespace {

// Real code passes a timeout; racecheck's blocking pops wait for as long as it takes.
std::string BlockingTimeoutMessage(const std::string& command) {
  return fmt::format("racecheck's {0} takes no timeout: it waits until an element comes, however long that takes "
                     "(a timeout of 0 in Redis); a worker that gives up when the list stays empty is {1}, which may "
                     "find nothing, in a loop",
                     command, command == "BLMOVE" ? "LMOVE" : command.substr(1));
}

// Commands a client library spells as calls but racecheck writes otherwise (round 19: a newcomer's
// first lines): what to write instead, or "" for the general list.
std::string UnknownCommandHint(const std::string& command, const std::string& instance) {
  if (command == "MULTI" || command == "EXEC") {
    return fmt::format("MULTI ... EXEC is written as a block: 'let ok = {}.multi {{ ... }}' queues the commands "
                       "inside and runs them at its end, ok false when a WATCHed key changed (WATCH before it)",
                       instance);
  }
  if (command == "EVAL" || command == "EVALSHA" || command == "FCALL") {
    return ScriptAsBlockMessage(instance);
  }
  if (command == "DISCARD" || command == "UNWATCH") {
    return fmt::format("racecheck does not model {}: a multi block always runs at its end, and EXEC ends every "
                       "WATCH; leave the WATCH out on the path that gives up", command);
  }
  if (command == "SETEX" || command == "PSETEX") {
    return fmt::format("write {} as SET with an option: '{}.SET(k, v, {} = t)'", command, instance,
                       command == "SETEX" ? "EX" : "PX");
  }
  return "";
}

}  // namespace

Type TypeChecker::CheckRedis(RedisCall& call) {
  if (call.instance_index) Expect(*call.instance_index, Type::kInt, "an instance index");
  if (call.instance >= 0) {
    const RedisDecl& decl = model_.redis[call.instance];
    if (decl.shape && !call.instance_index) {
      diags_.Error(call.range.begin, fmt::format("'{}' is an array of Redis instances: name one, as in {}[i]",
                                                 decl.name, decl.name));
    } else if (!decl.shape && call.instance_index) {
      diags_.Error(call.range.begin, fmt::format("'{}' is a single Redis instance and takes no index", decl.name));
    }
  }
  if (call.is_block) {
    CheckBlock(call.body);
    // multi { } is EXEC: true when it ran, false when a WATCHed key changed.
    return call.command == "MULTI" ? Type::kBool : Type::kUnknown;
  }
  const RedisCommandInfo* info = FindRedisCommand(call.command);
  if (info == nullptr) {
    std::string hint = UnknownCommandHint(call.command, call.instance_name);
    diags_.Error(call.range.begin, hint.empty() ? fmt::format("racecheck does not know the Redis command {}: it knows {}",
                                                              call.command, KnownRedisCommands())
                                                : hint);
    return Type::kUnknown;
  }
  if (call.args.empty() || call.args[0].value->ref.kind != RefKind::kRedisKey || !call.args[0].option.empty()) {
    SourceRange at = call.args.empty() ? call.range : call.args[0].range;
    diags_.Error(at.begin, fmt::format("{} takes a key of instance '{}' first (a name declared in its keyspace)",
                                       call.command, call.instance_name));
    return info->result;
  }
  const RedisKey& key = model_.redis[call.instance].keys[call.args[0].value->ref.index];
  CheckKeyIndex(*call.args[0].value);
  // Redis answers WRONGTYPE at run time; here the key's declaration says it before the run.
  // The time-to-live commands work on any key in Redis; racecheck keeps leases on plain keys only.
  bool lifetime = call.command == "EXPIRE" || call.command == "PEXPIRE" || call.command == "PERSIST" ||
                  call.command == "TTL" || call.command == "PTTL";
  if (lifetime && key.IsCollection()) {
    diags_.Error(call.range.begin, fmt::format("racecheck models {} on plain keys only: Redis accepts it on a {} "
                                               "too, but a time to live on a list, hash or set is not modelled "
                                               "yet; model the expiry with a plain key beside '{}' (SET ... PX) "
                                               "that the code checks",
                                               call.command, KindOf(key), key.name));
    return info->result;
  }
  if (info->keys == KeyKind::kPlain && key.IsCollection()) {
    diags_.Error(call.range.begin, fmt::format("{} works on a plain key, but '{}' is a {} (Redis would answer "
                                               "WRONGTYPE): use {}", call.command, key.name, KindOf(key),
                                               CommandsOf(key)));
    return GivesElement(call.command) || call.command == "GET" || call.command == "GETDEL" ? key.type : info->result;
  }
  static const std::map<KeyKind, const char*> kKindNames = {
      {KeyKind::kList, "list"}, {KeyKind::kHash, "hash"}, {KeyKind::kSet, "set"}};
  auto wanted = kKindNames.find(info->keys);
  if (wanted != kKindNames.end() && key.kind != wanted->second) {
    diags_.Error(call.range.begin, fmt::format("{} works on a {}, but '{}' is a {} (Redis would answer "
                                               "WRONGTYPE): {}", call.command, wanted->second, key.name, KindOf(key),
                                               key.IsCollection() ? fmt::format("use {}", CommandsOf(key))
                                                                  : fmt::format("declare it as '{}: {}(N)'", key.name,
                                                                                wanted->second)));
    return info->result;
  }
  if (info->keys == KeyKind::kHash || info->keys == KeyKind::kSet) return CheckCollection(call, key, *info);
  if (call.command == "LMOVE" || call.command == "BLMOVE" || call.command == "RPOPLPUSH") {
    CheckMove(call, key);
    return key.type;
  }
  bool counts = call.command == "INCR" || call.command == "DECR" || call.command == "INCRBY" || call.command == "DECRBY";
  bool expires = call.command == "EXPIRE" || call.command == "PEXPIRE";
  if (counts && key.type != Type::kInt) {
    diags_.Error(call.range.begin, fmt::format("{} counts, but key '{}' holds {} values ({})", call.command, key.name,
                                               TypeName(model_, key.type),
                                               key.declared != Type::kUnknown ? "declared so" : "its initial value is one"));
  }
  int values = 0;
  // SET's options, by name, for the combinations Redis 7 refuses (t_string.c).
  std::map<std::string, size_t> options;
  for (size_t i = 1; i < call.args.size(); ++i) {
    CallArg& arg = call.args[i];
    bool flag = arg.option.empty() && arg.value->kind == ExprKind::kName && IsRedisFlag(arg.value->name) &&
                arg.value->ref.kind == RefKind::kNone;
    if (flag || !arg.option.empty()) {
      bool set_option = flag ? IsRedisSetFlag(arg.value->name) : arg.option == "PX" || arg.option == "EX";
      if (call.command != "SET" || !set_option) {
        diags_.Error(arg.range.begin, fmt::format("{} takes no option here (SET takes NX, XX, GET, KEEPTTL, "
                                                  "PX = ms, EX = s)", call.command));
      } else {
        options.emplace(flag ? arg.value->name : arg.option, i);
      }
      if (!flag) Expect(*arg.value, Type::kInt, "a time to live");
      continue;
    }
    if ((call.command == "BLPOP" || call.command == "BRPOP") && arg.value->ref.kind == RefKind::kRedisKey) {
      // Redis's BLPOP of several lists pops from the first that has an element (round 19).
      diags_.Error(arg.range.begin, fmt::format("racecheck's {} takes one list: to wait on two queues, give each "
                                                "worker its own, or pop them in turn with LPOP or RPOP in a loop",
                                                call.command));
      continue;
    }
    if ((call.command == "EXISTS" || call.command == "DEL") && arg.value->ref.kind == RefKind::kRedisKey) {
      // Redis's EXISTS and DEL of several keys answer a count; racecheck keeps to one key a call.
      diags_.Error(arg.range.begin, fmt::format("{} takes one key here: write one {} per key (Redis's {} of "
                                                "several keys counts them, which racecheck does not model)",
                                                call.command, call.command, call.command));
      continue;
    }
    ++values;
    // SET and SETNX store a value of the key's type; INCRBY and DECRBY take an amount, EXPIRE a time.
    if (call.command == "LREM" && values == 1) {
      Expect(*arg.value, Type::kInt, "a count");
    } else if (expires) {
      Expect(*arg.value, Type::kInt, "a time to live");
    } else {
      Expect(*arg.value, counts ? Type::kInt : key.type, counts ? "an amount" : fmt::format("a value of key '{}'", key.name));
    }
  }
  // Redis answers these with a syntax error; the second option named is the one reported.
  static const std::pair<const char*, const char*> kRefused[] = {
      {"NX", "XX"}, {"EX", "PX"}, {"KEEPTTL", "EX"}, {"KEEPTTL", "PX"}};
  for (const auto& [a, b] : kRefused) {
    auto first = options.find(a), second = options.find(b);
    if (first == options.end() || second == options.end()) continue;
    diags_.Error(call.args[std::max(first->second, second->second)].range.begin, fmt::format("SET cannot take both {} and {}: Redis refuses the command "
                                          "(a syntax error)", a, b));
  }
  bool several_lists = std::any_of(call.args.begin() + 1, call.args.end(), [](const CallArg& arg) {
    return arg.option.empty() && arg.value->ref.kind == RefKind::kRedisKey;
  });
  if ((call.command == "BLPOP" || call.command == "BRPOP") && values > 0 && !several_lists) {
    diags_.Error(call.args[1].range.begin, BlockingTimeoutMessage(call.command));
  } else if (values < info->min_values || values > info->max_values) {
    std::string message = info->max_values == 0
                             ? fmt::format("{} takes only a key, not {} value{}", call.command, values, values == 1 ? "" : "s")
                             : fmt::format("{} takes a key and {} value{}, not {}", call.command, info->max_values,
                                           info->max_values == 1 ? "" : "s", values);
    // Redis pushes several values in one call, one step; two calls would be two.
    if ((call.command == "LPUSH" || call.command == "RPUSH") && values > info->max_values) {
      message += fmt::format(" here: Redis takes several in one call, racecheck one; write one redis.{} per value "
                             "inside redis.multi {{ }} to keep them one step", call.command);
    }
    // INCR(hits, 5): Redis has a command of its own for an amount.
    if ((call.command == "INCR" || call.command == "DECR") && values == 1) {
      message += fmt::format("; to {} an amount, write redis.{}BY(key, amount)",
                             call.command == "INCR" ? "add" : "subtract", call.command);
    }
    diags_.Error(call.range.begin, message);
  }
  // GET, GETDEL, SET ... GET and the list pops give the key's value (or null); the rest their own result.
  bool gets = call.command == "GET" || call.command == "GETDEL" || options.count("GET") > 0 ||
              GivesElement(call.command);
  return gets ? key.type : info->result;
}

void TypeChecker::CheckKeyIndex(Expr& key, const char* owner) {
  for (const KeyOperand& operand : KeyOperands(key, owner)) Expect(*operand.expr, Type::kInt, operand.what);
}

void TypeChecker::CheckMove(RedisCall& call, const RedisKey& source) {
  bool directions = call.command != "RPOPLPUSH";
  std::string usage = directions ? fmt::format("{}(source, destination, LEFT | RIGHT, LEFT | RIGHT)", call.command)
                                 : "RPOPLPUSH(source, destination)";
  size_t want = directions ? 4 : 2;
  if (call.command == "BLMOVE" && call.args.size() == want + 1) {
    diags_.Error(call.args[want].range.begin, BlockingTimeoutMessage(call.command));
    return;
  }
  if (call.args.size() != want) {
    diags_.Error(call.range.begin, fmt::format("{} takes {} arguments: {}", call.command, want, usage));
    return;
  }
  const Expr& dst = *call.args[1].value;
  if (dst.ref.kind != RefKind::kRedisKey || !call.args[1].option.empty()) {
    diags_.Error(call.args[1].range.begin, fmt::format("{} moves an element to a list of instance '{}': {}",
                                                       call.command, call.instance_name, usage));
    return;
  }
  const RedisKey& target = model_.redis[call.instance].keys[dst.ref.index];
  CheckKeyIndex(*call.args[1].value);
  if (!target.IsList()) {
    diags_.Error(call.args[1].range.begin, fmt::format("{} moves an element to a list, but '{}' is a {}: "
                                                       "declare it as '{}: list(N)'", call.command, target.name,
                                                       KindOf(target), target.name));
  } else if (target.type != source.type && target.type != Type::kUnknown && source.type != Type::kUnknown) {
    diags_.Error(call.args[1].range.begin, fmt::format("list '{}' holds {} values, but '{}' holds {} values",
                                                       source.name, TypeName(model_, source.type), target.name,
                                                       TypeName(model_, target.type)));
  }
  for (size_t i = 2; i < call.args.size(); ++i) {
    const Expr& side = *call.args[i].value;
    if (side.kind != ExprKind::kName || (side.name != "LEFT" && side.name != "RIGHT") || !call.args[i].option.empty()) {
      diags_.Error(call.args[i].range.begin, fmt::format("{} takes LEFT or RIGHT here: {}", call.command, usage));
    }
  }
}

Type TypeChecker::CheckCollection(RedisCall& call, const RedisKey& key, const RedisCommandInfo& info) {
  // HSET's values are field, value pairs; HSETNX and HINCRBY take a field and a value or an amount.
  bool pairs = call.command == "HSET" || call.command == "HSETNX" || call.command == "HINCRBY";
  int values = 0;
  for (size_t i = 1; i < call.args.size(); ++i) {
    CallArg& arg = call.args[i];
    bool flag = arg.option.empty() && arg.value->kind == ExprKind::kName && IsRedisFlag(arg.value->name) &&
                arg.value->ref.kind == RefKind::kNone;
    if (flag || !arg.option.empty()) {
      diags_.Error(arg.range.begin, fmt::format("{} takes no option here (SET takes NX, XX, GET, KEEPTTL, "
                                                "PX = ms, EX = s)", call.command));
      continue;
    }
    bool field = !pairs || values % 2 == 0;
    ++values;
    if (field) {
      Expect(*arg.value, key.type, fmt::format("{} of {} '{}'", PartOf(key), KindOf(key), key.name));
    } else {
      Expect(*arg.value, Type::kInt, call.command == "HINCRBY" ? std::string("an amount")
                                                              : fmt::format("the value of a field of hash '{}'", key.name));
    }
  }
  const char* part = key.IsHash() ? "field" : "member";
  if (call.command == "HSET" && (values % 2 != 0 || values < 2 || values > info.max_values)) {
    diags_.Error(call.range.begin, fmt::format("HSET takes a key and field, value pairs (one to {}), not {} value{}",
                                               info.max_values / 2, values, values == 1 ? "" : "s"));
  } else if (values < info.min_values || values > info.max_values) {
    std::string want = info.min_values == info.max_values
                           ? fmt::format("{} value{}", info.max_values, info.max_values == 1 ? "" : "s")
                           : fmt::format("one to {} {}s", info.max_values, part);
    std::string takes = pairs ? fmt::format("a key, a field and {}", call.command == "HINCRBY" ? "an amount" : "a value")
                              : fmt::format("a key and {}", want);
    diags_.Error(call.range.begin, fmt::format("{} takes {}, not {} value{}", call.command, takes, values,
                                               values == 1 ? "" : "s"));
  }
  return info.result;
}

Type TypeChecker::ListFunctionType(Expr& e) {
  size_t want = e.name == "len" ? 1 : 2;
  const char* usage = e.name == "len"        ? "a list, hash or set key, as in len(redis.jobs)"
                      : e.name == "contains" ? "a list, hash or set key and a value, as in contains(redis.jobs, 3)"
                                             : "a hash key and a field, as in hget(redis.cart, 1)";
  Type result = e.name == "contains" ? Type::kBool : Type::kInt;
  if (e.operands.size() != want) {
    diags_.Error(e.range.begin, fmt::format("{} takes {}", e.name, usage));
    return result;
  }
  Expr& list = *e.operands[0];
  const RedisKey* key = nullptr;
  if (list.kind == ExprKind::kMember && list.ref.kind == RefKind::kRedisKey && list.member_index >= 0) {
    key = &model_.redis[list.ref.index].keys[list.member_index];
    CheckKeyIndex(list, "an instance index");
  }
  bool fits = key != nullptr && (e.name == "hget" ? key->IsHash() : key->IsCollection());
  if (!fits) {
    diags_.Error(list.range.begin, fmt::format("{} takes {}", e.name, usage));
  }
  if (want == 2 && fits) {
    Expect(*e.operands[1], key->type, fmt::format("{} of {} '{}'", PartOf(*key), KindOf(*key), key->name));
  } else if (want == 2) {
    Check(*e.operands[1]);
  }
  return result;
}

Type TypeChecker::HasTtlType(Expr& e) {
  bool key = e.operands.size() == 1 && e.operands[0]->kind == ExprKind::kMember &&
             e.operands[0]->ref.kind == RefKind::kRedisKey;
  if (!key) {
    diags_.Error(e.range.begin, "has_ttl takes one Redis key, as in has_ttl(redis.hits)");
    return Type::kBool;
  }
  Check(*e.operands[0]);
  return Type::kBool;
}

}  // namespace racecheck::frontend::type_check
