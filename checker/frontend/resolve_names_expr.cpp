#include "checker/frontend/resolve_names_impl.h"
#include "checker/frontend/spelling.h"

#include "checker/frontend/letter_case.h"

namespace racecheck::frontend::resolve {

void Resolver::ResolveRedis(RedisCall& call) {
  auto it = globals_.find(call.instance_name);
  if (it == globals_.end() || it->second.kind != GlobalKind::kRedis) {
    diags_.Error(call.range.begin,
                 it == globals_.end()
                     ? fmt::format("no Redis instance is named '{}'; declare one with '{} {{ key = 0 }}'",
                                   call.instance_name, call.instance_name == "redis" ? "redis" : "redis " + call.instance_name)
                     : fmt::format("'{}' is {}, not a Redis instance", call.instance_name, Describe(it->second.kind)));
  } else {
    call.instance = it->second.index;
  }
  if (call.instance_index) ResolveExpr(*call.instance_index);
  const RedisDecl* redis = call.instance >= 0 ? &model_.redis[call.instance] : nullptr;
  for (size_t i = 0; i < call.args.size(); ++i) {
    Expr& arg = *call.args[i].value;
    // Keys are bare names of the keyspace (`hits[u]` for a member of a key family); option flags
    // (NX, XX, GET, KEEPTTL, LEFT, RIGHT) are bare upper-case words.
    if ((arg.kind == ExprKind::kName || arg.kind == ExprKind::kIndex) && redis && LookUpKey(*redis, arg.name) >= 0) {
      arg.ref = {RefKind::kRedisKey, LookUpKey(*redis, arg.name)};
      const Expr* index = arg.kind == ExprKind::kIndex ? arg.operands[0].get() : nullptr;
      CheckKeyIndex(redis->keys[arg.ref.index], index, arg.range);
      for (ExprPtr& operand : arg.operands) ResolveExpr(*operand);
      continue;
    }
    if (arg.kind == ExprKind::kName && RefuseRedisOption(call, i)) continue;
    if (arg.kind == ExprKind::kName && IsRedisFlag(arg.name)) continue;
    if (arg.kind == ExprKind::kName && IsRedisFlag(Upper(arg.name)) && !IsDeclared(arg.name)) {
      diags_.Error(arg.range.begin, fmt::format("Redis options are written in capitals, as Redis documents them: "
                                                "write {}, not {}", Upper(arg.name), arg.name));
      continue;
    }
    if (i == 0 && redis && arg.kind == ExprKind::kName && call.args[i].option.empty()) {
      if (IsDeclared(arg.name)) {
        // Round 19: `fn take(key) { redis.SET(key, ...) }`, a key passed as a value.
        diags_.Error(arg.range.begin, fmt::format("'{0}' is a value here, not a Redis key: a key is named where a "
                                                  "command uses it and cannot be passed around; for one key per id "
                                                  "declare a key family, 'redis {{ lease[1..N] }}', and pass the "
                                                  "index: redis.SET(lease[{0}], ...)", arg.name));
        continue;
      }
      diags_.Error(arg.range.begin, fmt::format("Redis instance '{}' has no key '{}'; declare it in its keyspace: "
                                                "redis{} {{ {} }}", redis->name, arg.name,
                                                redis->name == "redis" ? "" : " " + redis->name, arg.name));
      continue;
    }
    ResolveExpr(arg);
  }
  if (call.is_block) {
    ++enclosing_blocks_;
    ResolveBlock(call.body);
    --enclosing_blocks_;
  }
}

// Options written as Redis's clients write them but not as .cr does, or not modelled: said in
// their own words, where they would read as undeclared names or as options Redis lacks.
bool Resolver::RefuseRedisOption(const RedisCall& call, size_t i) {
  const Expr& arg = *call.args[i].value;
  if (IsDeclared(arg.name) || !call.args[i].option.empty()) return false;
  bool expire = call.command == "EXPIRE" || call.command == "PEXPIRE";
  if (expire && (arg.name == "NX" || arg.name == "XX" || arg.name == "GT" || arg.name == "LT")) {
    diags_.Error(arg.range.begin, fmt::format(
        "racecheck does not model {}'s options (NX, XX, GT, LT) yet, though Redis 7 has them; instead of NX, "
        "set the time to live where the code knows the key has none (after an INCR that answered 1), or run both "
        "commands in a script (redis.eval {{ ... }})", call.command));
    return true;
  }
  if (arg.name == "PX" || arg.name == "EX") {
    std::string value = i + 1 < call.args.size() ? ExprText(*call.args[i + 1].value) : "ms";
    diags_.Error(arg.range.begin, fmt::format("a .cr model gives {0} its value with '=': write {0} = {1}, not "
                                              "{0}, {1}", arg.name, value));
    return true;
  }
  if (arg.name == "PXAT" || arg.name == "EXAT") {
    diags_.Error(arg.range.begin, fmt::format("racecheck does not model {} (an expiry at a clock time); write the "
                                              "time left with PX = ms", arg.name));
    return true;
  }
  return false;
}

// `jobs: list(4) = [1, 2]`, `seen: set(4) = [1, 2]`, `cart: hash(3) = {1: 2}`: a collection starts
// from its elements, members or fields, a plain key from a value.
void Resolver::ResolveKeyKind(RedisKey& k) {
  if (!k.kind.empty() && !k.IsCollection()) {
    diags_.Error(k.kind_range.begin, fmt::format("racecheck does not model Redis keys of type '{}': a key is a "
                                                 "plain value ('{} = 0'), a list ('{}: list(4)'), a hash ('{}: "
                                                 "hash(4)') or a set ('{}: set(4)')",
                                                 k.kind, k.name, k.name, k.name, k.name));
  }
  if (k.bound) ResolveExpr(*k.bound);
  ResolveKeyType(k);
  for (ExprPtr& e : k.elements) ResolveExpr(*e);
  for (ExprPtr& e : k.values) ResolveExpr(*e);
  if (k.IsCollection() && k.initial) {
    std::string value = ExprText(*k.initial);
    std::string example = k.IsHash() ? fmt::format("hash(N) = {{{}: value}}", value)
                                     : fmt::format("{}(N) = [{}]", k.kind, value);
    diags_.Error(k.initial->range.begin, fmt::format("{} key '{}' starts from a list of {}: write '{}: {}'", k.kind,
                                                     k.name, k.IsHash() ? "fields and values" : k.IsSet() ? "members"
                                                                                                         : "elements",
                                                     k.name, example));
  }
  if (k.kind.empty() && k.has_elements) {
    diags_.Error(k.range.begin, fmt::format("key '{}' starts from a {} but is not declared as one: write '{}: "
                                            "{}', N the most {} it may hold", k.name,
                                            k.has_fields ? "hash" : "list", k.name,
                                            k.has_fields ? "hash(N) = {...}" : "list(N) = [...]",
                                            k.has_fields ? "fields" : "elements"));
  } else if (k.IsHash() && k.has_elements && !k.has_fields) {
    diags_.Error(k.range.begin, fmt::format("hash key '{}' starts from fields and their values: write '{}: "
                                            "hash(N) = {{field: value, ...}}'", k.name, k.name));
  } else if ((k.IsList() || k.IsSet()) && k.has_fields) {
    diags_.Error(k.range.begin, fmt::format("{} key '{}' starts from a list of {}: write '{}: {}(N) = [...]'", k.kind,
                                            k.name, k.IsSet() ? "members" : "elements", k.name, k.kind));
  }
}

// `state: Phase`, `queue: list(4) of Phase`: the enum the key's values belong to, so that a key
// that starts absent or empty may hold them too.
void Resolver::ResolveKeyType(RedisKey& k) {
  if (!k.of_word.empty() && k.of_word != "of") {
    diags_.Error(k.of_range.begin, fmt::format("after {}'s bound comes 'of' and the enum its {} belong to, as in "
                                               "'{}: {}(N) of Phase', not '{}'",
                                               k.name, k.IsHash() ? "fields" : k.IsSet() ? "members" : "elements",
                                               k.name, k.kind, k.of_word));
    return;
  }
  if (k.type_name.empty()) return;
  auto it = globals_.find(k.type_name);
  if (it != globals_.end() && it->second.kind == GlobalKind::kEnum) {
    k.declared = Type::Enum(it->second.index);
    return;
  }
  std::vector<std::string> enums;
  for (const EnumDecl& decl : model_.enums) enums.push_back(decl.name);
  std::string meant = NearestWord(k.type_name, enums);
  std::string what = !meant.empty() ? fmt::format("no enum is named '{}' (did you mean '{}'?)", k.type_name, meant)
                     : it == globals_.end()
                         ? fmt::format("no enum is named '{}' (declare it with 'enum {} {{ ... }}')", k.type_name,
                                       k.type_name)
                         : fmt::format("'{}' is {}", k.type_name, Describe(it->second.kind));
  diags_.Error(k.type_range.begin,
               fmt::format("a Redis key's type is the enum its values belong to ('{}: Phase', or a collection's "
                           "'list(N) of Phase'); a key that names none holds ints; {}",
                           k.name, what));
}

// `hits[u]` names a member of the key family `hits[USERS]`; a single key takes no index.
void Resolver::CheckKeyIndex(const RedisKey& key, const Expr* index, SourceRange range) {
  if (key.shape && !index) {
    diags_.Error(range.begin, fmt::format("'{0}' is a family of keys, one per index: name one member, as in {0}[i]",
                                          key.name));
  } else if (!key.shape && index) {
    diags_.Error(index->range.begin, fmt::format("'{0}' is a single key and takes no index; declare a family of keys "
                                                 "with '{0}[N]' to have one per index", key.name));
  }
}

int Resolver::LookUpKey(const RedisDecl& redis, const std::string& name) {
  for (size_t i = 0; i < redis.keys.size(); ++i) {
    if (redis.keys[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Resolver::UndeclaredMessage(const std::string& name) const {
  // Other languages' words for a missing value.
  if (name == "nil" || name == "None" || name == "undefined" || name == "NULL" || name == "Null") {
    return fmt::format("'{}' is not declared: a .cr model writes a missing value as null (SQL's NULL and Redis's nil "
                       "both read as null)", name);
  }
  if (name == "default" || name == "DEFAULT") {
    return fmt::format("'{}' is not declared: racecheck's insert takes a value for every column, in the table's "
                       "order; write the default value itself", name);
  }
  for (const RedisDecl& redis : model_.redis) {
    if (LookUpKey(redis, name) < 0) continue;
    return fmt::format("'{0}' is a Redis key, not a value: name it where a command uses it ({1}.GET({0}), and "
                       "{1}.{0} in a property); to pass one of several keys to a fn, declare a key family, "
                       "'{1} {{ lease[1..N] }}', and pass the index", name, redis.name);
  }
  if (!locals_) {
    // A property naming a process's local: properties look at the shared state only.
    for (const ProcessDecl& process : model_.processes) {
      for (const LocalDecl& local : process.locals) {
        if (local.name != name) continue;
        return fmt::format("'{}' is a local of process {} (line {}); properties see shared variables, ghosts, "
                           "tables and Redis keys, not locals: keep what the property needs in a ghost",
                           name, process.name, local.range.begin.line);
      }
    }
    return fmt::format("'{}' is not declared", name);
  }
  // Declared earlier in a block that has ended: a local lives to the end of its block.
  for (const LocalDecl& local : *locals_) {
    if (local.name != name) continue;
    return fmt::format("'{0}' is declared at line {1}, in a block that has ended, and a local lives to the end of "
                       "its block: declare it before that block ('let {0} = ...') and set it inside",
                       name, local.range.begin.line);
  }
  return fmt::format("'{}' is not declared (declare a local with 'let {} = ...' or a shared variable with "
                     "'shared {} = ...')", name, name, name);
}

bool Resolver::IsDeclared(const std::string& name) const {
  for (const auto& scope : scopes_) {
    if (scope.count(name)) return true;
  }
  return globals_.count(name) > 0;
}

NameRef Resolver::LookUp(const std::string& name, SourceRange range) {
  if (sql_table_) {
    for (size_t i = 0; i < sql_table_->columns.size(); ++i) {
      if (sql_table_->columns[i].name != name) continue;
      for (const auto& scope : scopes_) {
        if (scope.count(name)) {
          // PL/pgSQL refuses this too: the reader cannot tell which one is meant.
          diags_.Error(range.begin, fmt::format("'{}' is both a column of '{}' and a local here; rename the local",
                                                name, sql_table_->name));
        }
      }
      return {RefKind::kColumn, static_cast<int>(i)};
    }
  }
  for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
    auto it = scope->find(name);
    if (it == scope->end()) continue;
    if (auto loop = row_loops_.find(it->second); loop != row_loops_.end()) {
      std::string column = loop->second->sql->items.empty() ? "id" : loop->second->sql->items[0].name;
      diags_.Error(range.begin, fmt::format("'{}' is a row of the for loop at line {}: read its columns, as in {}.{}",
                                            name, loop->second->range.begin.line, name, column));
      return {};
    }
    return {RefKind::kLocal, it->second};
  }
  auto it = globals_.find(name);
  // Inside SQL (a where clause, a set, a check constraint) or a property's aggregate, a name
  // nothing declares is most likely a misspelt column (round 31: `where skuu = 1` was advised
  // to declare a local).
  if (const TableDecl* table = aggregate_table_ ? aggregate_table_ : sql_table_; it == globals_.end() && table) {
    std::vector<std::string> columns;
    for (const Column& column : table->columns) columns.push_back(column.name);
    std::string meant = NearestWord(name, columns);
    diags_.Error(range.begin, fmt::format("'{}' is neither a column of table '{}' nor declared{}", name, table->name,
                                          meant.empty() ? "" : fmt::format(" (did you mean column '{}'?)", meant)));
    return {};
  }
  if (it == globals_.end()) {
    diags_.Error(range.begin, UndeclaredMessage(name));
    return {};
  }
  switch (it->second.kind) {
    case GlobalKind::kConst: return {RefKind::kConst, it->second.index};
    case GlobalKind::kParam: return {RefKind::kParam, it->second.index};
    case GlobalKind::kVar: return {RefKind::kVar, it->second.index};
    case GlobalKind::kLock: return {RefKind::kLock, it->second.index};
    case GlobalKind::kEnumValue: return {RefKind::kEnumValue, it->second.index, it->second.value};
    case GlobalKind::kEnum: {
      const EnumDecl& decl = model_.enums[it->second.index];
      diags_.Error(range.begin, fmt::format("'{}' is an enum and has no value here; name one of its values: {}",
                                            name, ValueList(decl)));
      return {};
    }
    case GlobalKind::kTable:
    case GlobalKind::kRedis:
    case GlobalKind::kProcess:
    case GlobalKind::kFunction:
    case GlobalKind::kProperty:
      diags_.Error(range.begin, fmt::format("'{}' is {} and has no value here", name, Describe(it->second.kind)));
      return {};
  }
  return {};
}

void Resolver::ResolveMember(Expr& e) {
  if (aggregate_table_ && e.name == aggregate_table_->name && e.operands.empty()) {
    // `jobs.status` inside `count(jobs where ...)`: the column of the row looked at.
    e.ref = {RefKind::kColumn, static_cast<int>(aggregate_table_ - model_.tables.data())};
    e.member_index = ColumnIndex(*aggregate_table_, e.member);
    if (e.member_index < 0) diags_.Error(e.range.begin, fmt::format("table '{}' has no column '{}'", e.name, e.member));
    return;
  }
  for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
    auto local = scope->find(e.name);
    if (local == scope->end()) continue;
    if (auto loop = row_loops_.find(local->second); loop != row_loops_.end()) {
      ResolveRowColumn(e, *loop->second);
    } else {
      diags_.Error(e.range.begin, fmt::format("'{}' is a local and has no columns; a dot follows the row of a for "
                                              "loop (r.column), a table (t[key].column) or a Redis instance "
                                              "(redis.key)", e.name));
    }
    for (ExprPtr& operand : e.operands) ResolveExpr(*operand);
    return;
  }
  auto it = globals_.find(e.name);
  if (it != globals_.end() && it->second.kind == GlobalKind::kTable) {
    const TableDecl& table = model_.tables[it->second.index];
    e.ref = {RefKind::kColumn, it->second.index};
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i].name == e.member) e.member_index = static_cast<int>(i);
    }
    if (e.member_index < 0) diags_.Error(e.range.begin, fmt::format("table '{}' has no column '{}'", e.name, e.member));
    if (e.key_indexed) {
      diags_.Error(e.KeyIndex()->range.begin, fmt::format("column '{}' of table '{}' holds one value and takes no "
                                                          "index", e.member, e.name));
    }
    if (!e.OwnerIndex()) {
      diags_.Error(e.range.begin, fmt::format("name the row by its key: {}[1].{}", e.name, e.member));
    }
  } else if (it != globals_.end() && it->second.kind == GlobalKind::kRedis) {
    const RedisDecl& redis = model_.redis[it->second.index];
    e.ref = {RefKind::kRedisKey, it->second.index};
    e.member_index = LookUpKey(redis, e.member);
    if (e.member_index < 0) {
      diags_.Error(e.range.begin, fmt::format("Redis instance '{}' has no key '{}'", e.name, e.member));
    } else {
      CheckKeyIndex(redis.keys[e.member_index], e.KeyIndex(), e.range);
    }
  } else if (e.name == "excluded") {
    diags_.Error(e.range.begin, fmt::format("'excluded.{}' is the row an insert proposes: it exists only in the "
                                            "set and where clauses of 'on conflict (...) do update'", e.member));
  } else {
    diags_.Error(e.range.begin, fmt::format("'{}.{}' needs a table ({}[key].column), a Redis instance "
                                            "(redis.key) or the row of a for loop around it (for {} in select "
                                            "...) before the dot", e.name, e.member, e.name, e.name));
  }
  for (ExprPtr& operand : e.operands) ResolveExpr(*operand);
}

void Resolver::ResolveExpr(Expr& e) {
  switch (e.kind) {
    case ExprKind::kInt:
    case ExprKind::kBool:
    case ExprKind::kNull:
    case ExprKind::kString:  // its enum comes from where it stands: CheckTypes
    case ExprKind::kSelf:
      return;
    case ExprKind::kName:
    case ExprKind::kIndex:
      e.ref = LookUp(e.name, e.range);
      break;
    case ExprKind::kMember:
      ResolveMember(e);
      return;
    case ExprKind::kExcluded:
      // Built only inside a do update, whose clauses resolve against the insert's table.
      RACECHECK_CHECK(sql_table_ != nullptr, "excluded outside a do update");
      for (size_t i = 0; i < sql_table_->columns.size(); ++i) {
        if (sql_table_->columns[i].name == e.name) e.ref = {RefKind::kColumn, static_cast<int>(i)};
      }
      if (e.ref.kind == RefKind::kNone) {
        diags_.Error(e.range.begin, fmt::format("table '{}' has no column '{}'", sql_table_->name, e.name));
      }
      return;
    case ExprKind::kCall:
      if (auto fn = globals_.find(e.name); fn != globals_.end() && fn->second.kind == GlobalKind::kFunction) {
        // A call runs statements, which an expression (evaluated at once, inside a step) cannot.
        if (!locals_) {
          diags_.Error(e.range.begin, fmt::format("a property looks at the state at once and cannot call fn '{}', "
                                                  "which runs statements: write the condition itself, or keep what "
                                                  "it needs in a ghost", e.name));
        } else {
          // An awaited call keeps its await on its own line (round 32: the advice without it led to
          // the next error, that the fn waits for an answer).
          diags_.Error(e.range.begin, fmt::format("a call of fn '{0}' runs statements and cannot stand inside an "
                                                  "expression: call it on its own, as 'let v = {1}{0}(...)' or "
                                                  "'v = {1}{0}(...)', then use v",
                                                  e.name, e.awaited ? "await " : ""));
        }
      } else if (!kFunctions.count(e.name)) {
        diags_.Error(e.range.begin, fmt::format("'{}' is not a function racecheck knows: use min, max, abs, coalesce, has_ttl, len and contains (of a Redis list, hash or set) or hget (of a Redis hash)", e.name));
      } else if (e.awaited) {
        diags_.Error(e.range.begin, kAwaitNeedsACall);
      }
      break;
    case ExprKind::kUnary:
    case ExprKind::kBinary:
    case ExprKind::kCond:
    case ExprKind::kIsNull:
      break;
    case ExprKind::kRedis:
      ResolveRedis(*e.redis);
      return;
    case ExprKind::kAggregate:
      ResolveAggregate(e);
      return;
  }
  for (ExprPtr& operand : e.operands) ResolveExpr(*operand);
}

}  // namespace racecheck::frontend::resolve
