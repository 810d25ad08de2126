#include "checker/ast/clone.h"

namespace racecheck::ast {
namespace {

// A field added to one of these must be copied below too (then update the size here): a copy
// that drops it would give an inlined fn's statements a meaning their original does not have.
static_assert(sizeof(void*) != 8 || sizeof(Expr) == 184, "a new field of ast::Expr: copy it in Clone");
static_assert(sizeof(void*) != 8 || sizeof(Stmt) == 544, "a new field of ast::Stmt: copy it in Clone");
static_assert(sizeof(void*) != 8 || sizeof(Sql) == 320, "a new field of ast::Sql: copy it in Clone");
static_assert(sizeof(void*) != 8 || sizeof(RedisCall) == 152, "a new field of ast::RedisCall: copy it in Clone");

ExprPtr CloneOrNull(const ExprPtr& e, const LocalMap& local) { return e ? Clone(*e, local) : nullptr; }

NameRef Mapped(NameRef ref, const LocalMap& local) {
  if (ref.kind == RefKind::kLocal) ref.index = local(ref.index);
  return ref;
}

int MappedIndex(int index, const LocalMap& local) { return index >= 0 ? local(index) : index; }

std::vector<ExprPtr> CloneAll(const std::vector<ExprPtr>& exprs, const LocalMap& local) {
  std::vector<ExprPtr> out;
  for (const ExprPtr& e : exprs) out.push_back(Clone(*e, local));
  return out;
}

std::vector<SetItem> CloneSets(const std::vector<SetItem>& sets, const LocalMap& local) {
  std::vector<SetItem> out;
  for (const SetItem& set : sets) out.push_back({set.range, set.column_name, set.column, Clone(*set.value, local)});
  return out;
}

std::unique_ptr<Sql> Clone(const Sql& sql, const LocalMap& local) {
  auto out = std::make_unique<Sql>();
  out->range = sql.range;
  out->kind = sql.kind;
  out->table_name = sql.table_name;
  out->table = sql.table;
  out->items = sql.items;
  out->order_by = sql.order_by;
  out->limit = CloneOrNull(sql.limit, local);
  out->for_update = sql.for_update;
  out->no_key = sql.no_key;
  out->share = sql.share;
  out->lock_wait = sql.lock_wait;
  out->lock_wait_range = sql.lock_wait_range;
  out->sets = CloneSets(sql.sets, local);
  out->insert_columns = sql.insert_columns;
  out->insert_column_indices = sql.insert_column_indices;
  out->values = CloneAll(sql.values, local);
  out->on_conflict_do_nothing = sql.on_conflict_do_nothing;
  out->on_conflict_do_update = sql.on_conflict_do_update;
  out->conflict_range = sql.conflict_range;
  out->conflict_columns = sql.conflict_columns;
  out->conflict_column_indices = sql.conflict_column_indices;
  out->where = CloneOrNull(sql.where, local);
  return out;
}

std::unique_ptr<RedisCall> Clone(const RedisCall& call, const LocalMap& local) {
  auto out = std::make_unique<RedisCall>();
  out->range = call.range;
  out->instance_name = call.instance_name;
  out->instance_index = CloneOrNull(call.instance_index, local);
  out->command = call.command;
  for (const CallArg& arg : call.args) out->args.push_back({arg.range, arg.option, Clone(*arg.value, local)});
  out->is_block = call.is_block;
  out->body = Clone(call.body, local);
  out->instance = call.instance;
  return out;
}

}  // namespace

ExprPtr Clone(const Expr& e, const LocalMap& local) {
  auto out = std::make_unique<Expr>(e.range, e.kind);
  out->int_value = e.int_value;
  out->bool_value = e.bool_value;
  out->literal_too_large = e.literal_too_large;
  out->key_indexed = e.key_indexed;
  out->name = e.name;
  out->member = e.member;
  out->aggregate = e.aggregate;
  out->unary_op = e.unary_op;
  out->binary_op = e.binary_op;
  out->operands = CloneAll(e.operands, local);
  if (e.redis) out->redis = Clone(*e.redis, local);
  out->ref = Mapped(e.ref, local);
  out->member_index = e.member_index;
  out->type = e.type;
  out->call_result = MappedIndex(e.call_result, local);
  return out;
}

StmtPtr Clone(const Stmt& s, const LocalMap& local) {
  auto out = std::make_unique<Stmt>(s.range, s.kind);
  out->names = s.names;
  out->name_ranges = s.name_ranges;
  for (int l : s.locals) out->locals.push_back(local(l));
  out->target_name = s.target_name;
  out->target_index = CloneOrNull(s.target_index, local);
  out->target = Mapped(s.target, local);
  out->assign_op = s.assign_op;
  out->value = CloneOrNull(s.value, local);
  out->value2 = CloneOrNull(s.value2, local);
  if (s.sql) out->sql = Clone(*s.sql, local);
  if (s.redis) out->redis = Clone(*s.redis, local);
  out->body = Clone(s.body, local);
  out->else_body = Clone(s.else_body, local);
  out->has_else = s.has_else;
  out->lock = {s.lock.range, s.lock.name, CloneOrNull(s.lock.index, local), s.lock.lock};
  out->message = s.message;
  out->isolation = s.isolation;
  out->isolation_range = s.isolation_range;
  out->failure = s.failure;
  out->failure_range = s.failure_range;
  out->failure_names = s.failure_names;
  out->failure_name_ranges = s.failure_name_ranges;
  out->failure_filter = s.failure_filter;
  out->failure_local = MappedIndex(s.failure_local, local);
  out->awaited = s.awaited;
  out->inlined = Clone(s.inlined, local);
  out->return_local = MappedIndex(s.return_local, local);
  out->called_from = s.called_from;
  return out;
}

Block Clone(const Block& block, const LocalMap& local) {
  Block out;
  for (const StmtPtr& s : block) out.push_back(Clone(*s, local));
  return out;
}

}  // namespace racecheck::ast
