// Lowering of Redis commands, scripts and multi blocks.
#include "checker/base/called_from.h"
#include "checker/ir/lowerer.h"

namespace racecheck::ir::lowering {

using ast::ExprKind;
using ast::RefKind;
using ast::StmtKind;

std::string Lowerer::RedisKeyName(const ast::RedisCall& call) {
  if (call.args.empty()) return "";
  const ast::Expr& key = *call.args[0].value;
  return key.kind == ExprKind::kName || key.kind == ExprKind::kIndex ? ast::ExprText(key) : "";
}

// What a trace calls the command's answer: `EXISTS(hb[j])`, `nodes[i].SET(lease)` (round 19: a
// family member's or a server's read showed as `EXISTS(hb)`, `SET(lease)`).
std::string Lowerer::RedisCallName(const ast::RedisCall& call) {
  std::string server = call.instance_index ? fmt::format("{}[{}].", call.instance_name, ast::ExprText(*call.instance_index)) : "";
  return fmt::format("{}{}({})", server, call.command, RedisKeyName(call));
}

int32_t Lowerer::RedisKeyOf(int32_t redis, const ast::Expr& key, ExprContext context, int32_t* index) {
  const ast::Expr* member = key.kind == ExprKind::kMember ? key.KeyIndex()
                            : key.kind == ExprKind::kIndex ? key.operands[0].get()
                                                           : nullptr;
  *index = member ? LowerExpr(*member, context) : -1;
  int32_t declared = key.kind == ExprKind::kMember ? key.member_index : key.ref.index;
  return redis_key_first_[redis][declared];
}

RedisCommand Lowerer::CommandOf(const std::string& command) {
  static const std::map<std::string, RedisCommand> kCommands = {
      {"GET", RedisCommand::kGet},       {"SET", RedisCommand::kSet},         {"SETNX", RedisCommand::kSetNx},
      {"INCR", RedisCommand::kIncr},     {"DECR", RedisCommand::kDecr},       {"INCRBY", RedisCommand::kIncrBy},
      {"DECRBY", RedisCommand::kDecrBy}, {"DEL", RedisCommand::kDel},         {"EXISTS", RedisCommand::kExists},
      {"WATCH", RedisCommand::kWatch},   {"EXPIRE", RedisCommand::kExpire},   {"PEXPIRE", RedisCommand::kExpire},
      {"PERSIST", RedisCommand::kPersist}, {"GETDEL", RedisCommand::kGetDel},     {"TTL", RedisCommand::kTtl},
      {"PTTL", RedisCommand::kTtl},
      {"LPUSH", RedisCommand::kPush},    {"RPUSH", RedisCommand::kPush},      {"LPOP", RedisCommand::kPop},
      {"RPOP", RedisCommand::kPop},      {"BLPOP", RedisCommand::kPop},       {"BRPOP", RedisCommand::kPop},
      {"LLEN", RedisCommand::kLen},      {"LREM", RedisCommand::kRem},        {"LMOVE", RedisCommand::kMove},
      {"BLMOVE", RedisCommand::kMove},   {"RPOPLPUSH", RedisCommand::kMove},
      {"HGET", RedisCommand::kHGet},     {"HSET", RedisCommand::kHSet},       {"HSETNX", RedisCommand::kHSetNx},
      {"HINCRBY", RedisCommand::kHIncrBy}, {"HDEL", RedisCommand::kHDel},     {"HEXISTS", RedisCommand::kHExists},
      {"HLEN", RedisCommand::kHLen},     {"SADD", RedisCommand::kSAdd},       {"SREM", RedisCommand::kSRem},
      {"SISMEMBER", RedisCommand::kSIsMember}, {"SCARD", RedisCommand::kSCard},
  };
  auto it = kCommands.find(command);
  RACECHECK_CHECK(it != kCommands.end(), "a Redis command the front end let through");
  return it->second;
}

// A command (one visible kRedis) or an eval/multi block; the result, if any, into local `dst`.
void Lowerer::LowerRedis(const ast::RedisCall& call, int32_t dst) {
  if (redis_block_ >= 0 && call.instance != redis_block_) {
    std::string where = current_statement_ >= 0
                            ? base::CalledFromText(program_.statements[current_statement_].called_from)
                            : "";
    diags_.Error(call.range.begin, fmt::format("a Redis script or multi block runs on one instance, '{}'; "
                                               "this command goes to '{}'{}", model_.redis[redis_block_].name,
                                               call.instance_name, where));
  }
  int32_t element = call.instance_index ? LowerExpr(*call.instance_index, ExprContext::kProcess) : -1;
  if (call.is_block) {
    RedisBlock block{call.command == "MULTI", call.instance, element};
    program_.redis_blocks.push_back(block);
    size_t begin = Emit(MakeCall(Op::kRedisBegin, static_cast<int32_t>(program_.redis_blocks.size() - 1), dst));
    int saved = redis_block_;
    redis_block_ = call.instance;
    LowerBlock(call.body);
    redis_block_ = saved;
    Emit(MakeInstr(Op::kRedisEnd));
    PatchTo(begin, Here());
    return;
  }
  RedisOp op;
  op.command = CommandOf(call.command);
  op.redis = call.instance;
  op.element = element;
  op.key = RedisKeyOf(call.instance, *call.args[0].value, ExprContext::kProcess, &op.key_index);
  op.blocking = call.command[0] == 'B';
  op.from_left = call.command == "LPOP" || call.command == "BLPOP";
  op.to_left = call.command == "LPUSH" || call.command == "RPOPLPUSH";
  if (op.command == RedisCommand::kMove) {
    // LMOVE(src, dst, from, to), BLMOVE the same; RPOPLPUSH(src, dst) is LMOVE(src, dst, RIGHT, LEFT).
    op.target = RedisKeyOf(call.instance, *call.args[1].value, ExprContext::kProcess, &op.target_index);
    if (call.args.size() == 4) {
      op.from_left = call.args[2].value->name == "LEFT";
      op.to_left = call.args[3].value->name == "LEFT";
    }
  }
  const RedisKey& key = program_.redis[op.redis].keys[op.key];
  for (size_t i = 1; i < call.args.size() && op.command != RedisCommand::kMove; ++i) {
    const ast::CallArg& arg = call.args[i];
    if (key.IsHash() || key.IsSet()) {
      op.args.push_back(LowerExpr(*arg.value, ExprContext::kProcess));
    } else if (arg.option.empty() && arg.value->kind == ExprKind::kName && arg.value->ref.kind == RefKind::kNone &&
        ast::IsRedisSetFlag(arg.value->name)) {
      const std::string& flag = arg.value->name;
      (flag == "NX" ? op.nx : flag == "XX" ? op.xx : flag == "GET" ? op.get : op.keep_ttl) = true;
    } else if (op.command == RedisCommand::kRem && op.count < 0) {
      op.count = LowerExpr(*arg.value, ExprContext::kProcess);
    } else if (!arg.option.empty() || op.command == RedisCommand::kExpire) {
      op.ttl = LowerExpr(*arg.value, ExprContext::kProcess);
      LeaseTime(call, arg, op);
    } else {
      op.value = LowerExpr(*arg.value, ExprContext::kProcess);
    }
  }
  if (op.command == RedisCommand::kSetNx) op.nx = true;
  op.milliseconds = call.command == "PTTL";
  // How much of a lease is left is not modelled (a lease may run out at any moment), so TTL and
  // PTTL answer only for keys that never carry one: -2 when absent, -1 when present. A timed
  // model knows it (lower_time.cpp).
  if (op.command == RedisCommand::kTtl && key.expire_statement >= 0 && !program_.timed) {
    diags_.Error(call.range.begin,
                 fmt::format("{} of key '{}', which may carry a time to live: racecheck does not model how much of "
                             "a lease is left in a model without time (a lease may run out at any moment); test whether the key "
                             "exists instead, or give the model time with a 'takes' block, where {} answers the time left",
                             call.command, key.family_size > 0 ? key.family : key.name, call.command));
  }
  program_.redis_ops.push_back(op);
  Emit(MakeCall(Op::kRedis, static_cast<int32_t>(program_.redis_ops.size() - 1), dst));
}

// `accounts[1].balance` or `redis.balance` in a property.
int32_t Lowerer::LowerMember(const ast::Expr& e) {
  if (e.ref.kind == RefKind::kColumn && e.operands.empty()) {
    // `jobs.status` in the where clause of an aggregate over jobs: the row's column.
    return AddExpr(MakeExpr(ExprOp::kColumn, 0, e.member_index));
  }
  const ast::Expr* owner = e.OwnerIndex();
  int32_t a = owner ? LowerExpr(*owner, ExprContext::kProperty) : -1;
  int32_t expr = -1;
  ValueType type{};
  if (e.ref.kind == RefKind::kColumn) {
    expr = AddExpr(MakeExpr(ExprOp::kCell, 0, e.ref.index, e.member_index, a));
    type = program_.tables[e.ref.index].column_types[e.member_index];
  } else {
    Expr value = MakeExpr(ExprOp::kRedisValue, 0, e.ref.index, -1, a);
    value.var = RedisKeyOf(e.ref.index, e, ExprContext::kProperty, &value.key_index);
    expr = AddExpr(value);
    type = program_.redis[e.ref.index].keys[value.var].type;
  }
  std::string name = ast::ExprText(e);
  bool known = std::any_of(shown_.begin(), shown_.end(), [&](const ShownValue& v) { return v.name == name; });
  if (!known) shown_.push_back({name, expr, type});
  return expr;
}

// `len(redis.jobs)`, `contains(redis.jobs, v)` and `hget(redis.cart, f)` in a property; the
// length (or the field's value) is shown with a violation.
int32_t Lowerer::LowerListFunction(const ast::Expr& e) {
  const ast::Expr& list = *e.operands[0];
  int32_t a = list.OwnerIndex() ? LowerExpr(*list.OwnerIndex(), ExprContext::kProperty) : -1;
  Expr at = MakeExpr(ExprOp::kRedisLength, 0, list.ref.index, -1, a);
  at.var = RedisKeyOf(list.ref.index, list, ExprContext::kProperty, &at.key_index);
  // hget(redis.cart, f): the field's value, shown as itself (NULL when the field is missing).
  if (e.name == "hget") {
    at.op = ExprOp::kRedisHashGet;
    at.b = LowerExpr(*e.operands[1], ExprContext::kProperty);
    int32_t got = AddExpr(at);
    std::string shown = ast::ExprText(e);
    bool seen = std::any_of(shown_.begin(), shown_.end(), [&](const ShownValue& v) { return v.name == shown; });
    if (!seen) shown_.push_back({shown, got, ValueType{}});
    return got;
  }
  int32_t length = AddExpr(at);
  // contains(): the list itself, where the value is or is missing (round 23: its length said
  // little); len(): the length.
  bool contains = e.name != "len";
  std::string name = contains ? ast::ExprText(list) : fmt::format("len({})", ast::ExprText(list));
  bool known = std::any_of(shown_.begin(), shown_.end(), [&](const ShownValue& v) { return v.name == name; });
  if (!known) shown_.push_back({name, length, ValueType{}, contains});
  if (!contains) return length;
  int32_t value = LowerExpr(*e.operands[1], ExprContext::kProperty);
  at.op = ExprOp::kRedisContains;
  at.b = value;
  return AddExpr(at);
}

}  // namespace racecheck::ir::lowering
