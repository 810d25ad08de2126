// Type checking of declarations, statements and expressions; Redis commands, lists and key
// families are checked in check_types_redis.cpp. The class is in check_types_impl.h.
#include "checker/frontend/check_types.h"

#include "checker/frontend/check_types_impl.h"

namespace racecheck::frontend::type_check {

void TypeChecker::Run() {
  for (ParamDecl& p : model_.params) {
    Check(*p.lo);
    Check(*p.hi);
  }
  for (VarDecl& v : model_.vars) {
    v.type = Check(*v.init[0]);
    if (v.type == Type::kNull) {
      diags_.Error(v.init[0]->range.begin, fmt::format("the initial value of '{}' gives it its type, and null has "
                                                       "none: start it from a value", v.name));
      v.type = Type::kUnknown;
    }
    for (size_t i = 1; i < v.init.size(); ++i) Expect(*v.init[i], v.type, "every value in the list");
  }
  for (TableDecl& t : model_.tables) {
    for (auto& row : t.rows) {
      for (size_t c = 0; c < row.size() && c < t.columns.size(); ++c) {
        ExpectColumnValue(*row[c], t, t.columns[c]);
        if (row[c]->kind == ExprKind::kNull && !t.columns[c].nullable) {
          diags_.Error(row[c]->range.begin, fmt::format("column '{}' of table '{}' is not nullable; declare it "
                                                        "'{} null' to hold null", t.columns[c].name, t.name,
                                                        t.columns[c].name));
        }
      }
    }
    for (ExprPtr& check : t.checks) CheckSqlCondition(*check, t, "a check constraint");
  }
  for (RedisDecl& r : model_.redis) {
    for (RedisKey& k : r.keys) {
      // A declared enum (`state: Phase`) types the key; else its initial value, or a list's first
      // element (ints when it starts absent or empty), each element alike.
      if (k.declared != Type::kUnknown) {
        k.type = k.declared;
        if (k.initial) Expect(*k.initial, k.type, fmt::format("the initial value of key '{}'", k.name));
      } else if (k.initial) {
        k.type = Check(*k.initial);
      }
      for (size_t i = 0; i < k.elements.size(); ++i) {
        if (i == 0 && k.declared == Type::kUnknown) {
          k.type = Check(*k.elements[i]);
        } else {
          Expect(*k.elements[i], k.type, fmt::format("{} of {} '{}'", PartOf(k), KindOf(k), k.name));
        }
      }
      // A hash's values are ints, whatever its fields are.
      for (ExprPtr& v : k.values) Expect(*v, Type::kInt, fmt::format("the value of a field of hash '{}'", k.name));
      for (const ExprPtr& e : k.elements) {
        if (e->type == Type::kNull) diags_.Error(e->range.begin, fmt::format("{} '{}' cannot hold null: Redis "
                                                                            "stores values, not nil", KindOf(k), k.name));
      }
      if (k.type == Type::kNull && k.IsCollection()) k.type = Type::kUnknown;
      if (k.type == Type::kNull) {
        diags_.Error(k.initial->range.begin, fmt::format("Redis key '{}' starts absent when it has no initial value; "
                                                         "null is not one", k.name));
        k.type = Type::kUnknown;
      }
    }
  }
  for (ProcessDecl& p : model_.processes) {
    process_ = &p;
    if (p.replica) Expect(*p.replica, Type::kInt, "a replica number");
    if (p.crash_retries) Expect(*p.crash_retries, Type::kInt, "a crash retry bound");
    for (ProcessParam& param : p.params) {
      Type type = Type::kInt;
      if (param.value) type = Check(*param.value);
      if (param.is_range) {
        Expect(*param.lo, Type::kInt, "a parameter bound");
        Expect(*param.hi, Type::kInt, "a parameter bound");
      }
      p.locals[param.local].type = type;
    }
    CheckBlock(p.body);
    process_ = nullptr;
  }
  for (PropertyDecl& p : model_.properties) {
    Expect(*p.expr, Type::kBool, fmt::format("property '{}'", p.name));
  }
}

std::string TypeChecker::Article(Type t) const {
  switch (t.kind) {
    case TypeKind::kUnknown: return "an unknown value";
    case TypeKind::kInt: return "an int";
    case TypeKind::kBool: return "a bool";
    case TypeKind::kEnum: return fmt::format("a value of enum {}", TypeName(model_, t));
    case TypeKind::kNull: return "null";
  }
  return "an unknown value";
}

std::string TypeChecker::Wanted(Type t) const {
  if (t == Type::kBool) return "a condition (bool)";
  if (t == Type::kInt) return "a number (int)";
  return Article(t);
}

void TypeChecker::Expect(Expr& e, Type want, const std::string& what, bool operand) {
  Type got = CheckValue(e, want, what);
  if (got == Type::kUnknown || got == want) return;
  std::string hint = operand && got.kind == TypeKind::kEnum
                         ? fmt::format(": {} values compare only with == and !=", TypeName(model_, got))
                         : "";
  diags_.Error(e.range.begin, fmt::format("{} must be {}, but this is {}{}", what, Wanted(want),
                                          got == Type::kBool ? "a bool" : got == Type::kInt ? "a number" : Article(got),
                                          hint));
}

void TypeChecker::ExpectColumnValue(Expr& e, const TableDecl& table, const Column& column) {
  bool saved = sql_value_;
  sql_value_ = true;
  Type got = CheckValue(e, column.type, fmt::format("a value of column '{}'", column.name));
  sql_value_ = saved;
  if (got == Type::kUnknown || got == Type::kNull || got == column.type) return;
  if (column.type == Type::kInt && got.kind == TypeKind::kEnum) {
    diags_.Error(e.range.begin, fmt::format("column '{}' of table '{}' holds ints, but this is {}; declare the "
                                            "column as '{} {}' to hold them",
                                            column.name, table.name, Article(got), column.name, TypeName(model_, got)));
    return;
  }
  diags_.Error(e.range.begin, fmt::format("column '{}' of table '{}' holds {} values, but this is {}", column.name,
                                          table.name, TypeName(model_, column.type), Article(got)));
}

Type TypeChecker::CheckValue(Expr& e, Type want, const std::string& what) {
  if (e.kind != ExprKind::kString) return Check(e);
  e.type = StringValue(e, want, what);
  return e.type;
}

Type TypeChecker::StringValue(Expr& e, Type want, const std::string& what) {
  if (!StringAllowed(e)) return Type::kUnknown;
  if (want == Type::kUnknown) return Type::kUnknown;  // the other side is already reported
  if (want.kind != TypeKind::kEnum) {
    diags_.Error(e.range.begin, fmt::format("{} must be {}, but this is the string '{}' (a string in quotes names "
                                            "a value of the enum its column holds)", what, Wanted(want), e.name));
    return Type::kUnknown;
  }
  const EnumDecl& decl = model_.enums[want.enum_index];
  for (size_t v = 0; v < decl.values.size(); ++v) {
    if (decl.values[v].name != e.name) continue;
    e.ref = {RefKind::kEnumValue, want.enum_index, static_cast<int>(v)};
    return want;
  }
  diags_.Error(e.range.begin, fmt::format("'{}' is not a value of enum {}: write one of {}", e.name, decl.name,
                                          ValueList(decl)));
  return Type::kUnknown;
}

bool TypeChecker::StringAllowed(const Expr& e) {
  if (sql_value_) return true;
  diags_.Error(e.range.begin, fmt::format("a value in quotes is SQL's notation; outside SQL write the enum value "
                                          "by its name, without quotes: {}", e.name));
  return false;
}

void TypeChecker::CheckBlock(Block& block) {
  for (StmtPtr& s : block) CheckStmt(*s);
}

Type TypeChecker::ItemType(const Sql& sql, const SelectItem& item) const {
  if (item.aggregate || item.column < 0) return Type::kInt;
  return model_.tables[sql.table].columns[item.column].type;
}

void TypeChecker::CheckFailureHandler(Stmt& s) {
  if (s.failure_local >= 0) {
    for (size_t i = 0; i < model_.enums.size(); ++i) {
      if (model_.enums[i].builtin) process_->locals[s.failure_local].type = Type::Enum(static_cast<int>(i));
    }
  }
  CheckBlock(s.else_body);
}

void TypeChecker::CheckSqlCondition(Expr& e, const TableDecl& table, const char* what) {
  const TableDecl* saved = sql_table_;
  sql_table_ = &table;
  in_sql_ = true;
  sql_value_ = true;
  Expect(e, Type::kBool, what);
  in_sql_ = false;
  sql_value_ = false;
  sql_table_ = saved;
}

Type TypeChecker::CheckSql(Sql& sql, size_t expected_values) {
  const TableDecl& table = model_.tables[sql.table];
  sql_table_ = &table;
  for (SetItem& set : sql.sets) {
    if (set.column >= 0) ExpectColumnValue(*set.value, table, table.columns[set.column]);
  }
  for (size_t i = 0; i < sql.values.size(); ++i) {
    int column = sql.insert_columns.empty() ? static_cast<int>(i)
                 : i < sql.insert_column_indices.size() ? sql.insert_column_indices[i] : -1;
    if (column >= 0 && column < static_cast<int>(table.columns.size())) {
      ExpectColumnValue(*sql.values[i], table, table.columns[column]);
    } else {
      Check(*sql.values[i]);
    }
  }
  for (const SelectItem& item : sql.items) {
    if (!item.aggregate || item.name == "count" || item.column < 0) continue;
    if (table.columns[item.column].type == Type::kInt) continue;
    // racecheck's enum values have no order (only == and != compare them), so min and max refuse them too.
    diags_.Error(item.range.begin, fmt::format("{} {} numbers, but column '{}' holds {} values", item.name,
                                               item.name == "sum" ? "adds" : "compares", item.argument,
                                               TypeName(model_, table.columns[item.column].type)));
  }
  if (sql.where) CheckSqlCondition(*sql.where, table, "a where clause");
  sql_table_ = nullptr;
  if (sql.kind == SqlKind::kInsert) {
    size_t columns = sql.insert_columns.empty() && sql.table >= 0 ? model_.tables[sql.table].columns.size()
                                                                   : sql.insert_columns.size();
    if (sql.values.size() != columns) {
      diags_.Error(sql.range.begin, fmt::format("this insert gives {} value{} for {} column{}", sql.values.size(),
                                                sql.values.size() == 1 ? "" : "s", columns, columns == 1 ? "" : "s"));
    }
  }
  bool returns = sql.kind == SqlKind::kSelect || !sql.items.empty();
  if (returns && expected_values > 0 && sql.items.size() != expected_values) {
    diags_.Error(sql.range.begin, fmt::format("this {} {} value{} but {} name{} receive{} them",
                                              sql.kind == SqlKind::kSelect ? "select returns" : "'returning' gives",
                                              sql.items.size(), sql.items.size() == 1 ? "" : "s", expected_values,
                                              expected_values == 1 ? "" : "s", expected_values == 1 ? "s" : ""));
  }
  // A select gives its item's value, as does `returning`; update, insert and delete otherwise the
  // number of rows they changed.
  return !sql.items.empty() ? ItemType(sql, sql.items[0]) : Type::kInt;
}

Type TypeChecker::CheckRhs(Stmt& s, size_t names) {
  if (s.sql) return CheckSql(*s.sql, names);
  if (names > 1) {
    diags_.Error(s.value->range.begin, fmt::format("a tuple 'let ({}, ...)' takes the columns of a select; "
                                                   "this expression gives one value", s.names[0]));
  }
  return Check(*s.value);
}

void TypeChecker::CheckStmt(Stmt& s) {
  // A fn's copy runs first and gives the call its value (Expr::call_result).
  CheckBlock(s.inlined);
  switch (s.kind) {
    case StmtKind::kLet: {
      Type type = CheckRhs(s, 1);
      if (type == Type::kNull) {
        diags_.Error(s.value->range.begin, fmt::format("'let {} = null' gives '{}' no type: start it from a value, "
                                                       "then assign null", s.names[0], s.names[0]));
        type = Type::kUnknown;
      }
      process_->locals[s.locals[0]].type = type;
      return;
    }
    case StmtKind::kLetTuple:
      CheckRhs(s, s.names.size());
      for (size_t i = 0; i < s.locals.size(); ++i) {
        bool item = s.sql && i < s.sql->items.size();
        process_->locals[s.locals[i]].type = item ? ItemType(*s.sql, s.sql->items[i]) : Type::kInt;
      }
      return;
    case StmtKind::kAssign:
      CheckAssign(s);
      return;
    case StmtKind::kIf:
    case StmtKind::kWhile:
      Expect(*s.value, Type::kBool, s.kind == StmtKind::kIf ? "an if condition" : "a while condition");
      CheckBlock(s.body);
      CheckBlock(s.else_body);
      return;
    case StmtKind::kFor:
      CheckSql(*s.sql, 0);
      // The row's own local counts the rows; the others hold the selected columns.
      process_->locals[s.locals[0]].type = Type::kInt;
      for (size_t i = 0; i + 1 < s.locals.size() && i < s.sql->items.size(); ++i) {
        process_->locals[s.locals[1 + i]].type = ItemType(*s.sql, s.sql->items[i]);
      }
      CheckBlock(s.body);
      return;
    case StmtKind::kRetry:
    case StmtKind::kAtomic:
      CheckBlock(s.body);
      CheckBlock(s.else_body);
      return;
    case StmtKind::kTransaction:
      CheckBlock(s.body);
      CheckFailureHandler(s);
      return;
    case StmtKind::kLock:
      CheckLockRef(s.lock);
      CheckBlock(s.body);
      return;
    case StmtKind::kAcquire:
    case StmtKind::kRelease:
      CheckLockRef(s.lock);
      return;
    case StmtKind::kAssert:
      Expect(*s.value, Type::kBool, "an assertion");
      return;
    case StmtKind::kAssume:
      Expect(*s.value, Type::kBool, "an assumption");
      return;
    case StmtKind::kTakes:
    case StmtKind::kPause:
      Expect(*s.value, Type::kInt, "a time bound");
      Expect(*s.value2, Type::kInt, "a time bound");
      CheckBlock(s.body);
      return;
    case StmtKind::kChoose:
      Expect(*s.value, Type::kInt, "a choice's lower bound");
      Expect(*s.value2, Type::kInt, "a choice's upper bound");
      process_->locals[s.locals[0]].type = Type::kInt;
      return;
    case StmtKind::kSql:
      CheckSql(*s.sql, 0);
      CheckFailureHandler(s);
      return;
    case StmtKind::kRedis:
      CheckRedis(*s.redis);
      return;
    case StmtKind::kReturn:
      if (s.value) CheckReturn(s);
      return;
    case StmtKind::kCall:
    case StmtKind::kBreak:
    case StmtKind::kContinue:
    case StmtKind::kAwait:
    case StmtKind::kSkip:
    case StmtKind::kRollback:
    case StmtKind::kMayCrash:
      return;
  }
}

void TypeChecker::CheckLockRef(LockRef& lock) {
  if (lock.lock < 0) return;
  const LockDecl& decl = model_.locks[lock.lock];
  if (decl.shape && !lock.index) {
    diags_.Error(lock.range.begin, fmt::format("'{}' is an array of locks: name one, as in {}[i]", lock.name, lock.name));
  } else if (!decl.shape && lock.index) {
    diags_.Error(lock.range.begin, fmt::format("'{}' is a single lock and takes no index", lock.name));
  }
  if (lock.index) Expect(*lock.index, Type::kInt, "a lock index");
}

void TypeChecker::CheckReturn(Stmt& s) {
  Type type = Check(*s.value);
  if (s.return_local < 0 || type == Type::kUnknown || type == Type::kNull) return;
  LocalDecl& result = process_->locals[s.return_local];
  if (result.type == Type::kUnknown) {
    result.type = type;
  } else if (result.type != type) {
    std::string fn = s.called_from.empty() ? "this fn" : "fn '" + s.called_from[0].function + "'";
    diags_.Error(s.value->range.begin, fmt::format("{} returns {} here, but its value goes to '{}', which holds {}",
                                                   fn, Article(type), result.name, Article(result.type)));
  }
}

void TypeChecker::CheckAssign(Stmt& s) {
  Type target = Type::kUnknown;
  switch (s.target.kind) {
    case RefKind::kVar: {
      const VarDecl& var = model_.vars[s.target.index];
      target = var.type;
      if (var.shape && !s.target_index) {
        diags_.Error(s.range.begin, fmt::format("'{}' is an array: assign one element, as in {}[i] = ...", var.name, var.name));
      } else if (!var.shape && s.target_index) {
        diags_.Error(s.range.begin, fmt::format("'{}' is not an array and takes no index", var.name));
      }
      break;
    }
    case RefKind::kLocal:
      target = process_->locals[s.target.index].type;
      if (s.target_index) diags_.Error(s.range.begin, fmt::format("the local '{}' takes no index", s.target_name));
      break;
    case RefKind::kNone:
      break;  // reported by ResolveNames
    case RefKind::kConst:
    case RefKind::kParam:
    case RefKind::kLock:
    case RefKind::kColumn:
    case RefKind::kRedisKey:
    case RefKind::kEnumValue:
    case RefKind::kFunction:
      diags_.Error(s.range.begin, fmt::format("'{}' cannot be assigned: only shared, ghost and local variables can",
                                              s.target_name));
      return;
  }
  if (s.target_index) Expect(*s.target_index, Type::kInt, "an array index");
  Type value = CheckRhs(s, 1);
  if (s.assign_op != AssignOp::kSet && target != Type::kInt && target != Type::kUnknown) {
    diags_.Error(s.range.begin, fmt::format("'{}' is {}; '{}' works on numbers", s.target_name, Article(target),
                                            AssignOpText(s.assign_op)));
  } else if (target != Type::kUnknown && value != Type::kUnknown && value != Type::kNull && target != value) {
    diags_.Error(s.range.begin, fmt::format("'{}' holds {} but this assigns {}", s.target_name, Article(target),
                                            Article(value)));
  }
}

Type TypeChecker::Check(Expr& e) {
  e.type = Compute(e);
  return e.type;
}

Type TypeChecker::Compute(Expr& e) {
  switch (e.kind) {
    case ExprKind::kInt: return Type::kInt;
    case ExprKind::kBool: return Type::kBool;
    case ExprKind::kNull: return Type::kNull;
    case ExprKind::kIsNull:
      if (Check(*e.operands[0]) == Type::kNull) {
        diags_.Error(e.range.begin, "this asks whether null is null: always true");
      }
      return Type::kBool;
    case ExprKind::kString:
      // Reached only where nothing says which enum the string belongs to.
      if (StringAllowed(e)) {
        diags_.Error(e.range.begin, fmt::format("nothing here says which enum '{}' belongs to: compare it with a "
                                                "column that holds one, as in status = '{}'", e.name, e.name));
      }
      return Type::kUnknown;
    case ExprKind::kSelf:
      if (!process_) diags_.Error(e.range.begin, "'self' exists only inside a process");
      return Type::kInt;
    case ExprKind::kName:
    case ExprKind::kIndex:
      return NameType(e);
    case ExprKind::kMember:
      CheckKeyIndex(e, "a row key");
      return MemberType(e);
    case ExprKind::kExcluded:
      return sql_table_ && e.ref.index >= 0 ? sql_table_->columns[e.ref.index].type : Type::kUnknown;
    case ExprKind::kCall: {
      if (e.ref.kind == RefKind::kFunction) {
        return e.call_result >= 0 ? process_->locals[e.call_result].type : Type::kUnknown;
      }
      if (e.name == "coalesce") return CoalesceType(e);
      if (e.name == "has_ttl") return HasTtlType(e);
      if (e.name == "len" || e.name == "contains" || e.name == "hget") return ListFunctionType(e);
      size_t want = e.name == "abs" ? 1 : 2;
      if (e.operands.size() != want) {
        diags_.Error(e.range.begin, fmt::format("{} takes {} argument{}", e.name, want, want == 1 ? "" : "s"));
      }
      for (ExprPtr& operand : e.operands) Expect(*operand, Type::kInt, fmt::format("an argument of {}", e.name), true);
      return Type::kInt;
    }
    case ExprKind::kUnary:
      if (e.unary_op == UnaryOp::kNeg) {
        Expect(*e.operands[0], Type::kInt, "the operand of '-'", true);
        return Type::kInt;
      }
      Expect(*e.operands[0], Type::kBool, "the operand of 'not'");
      return Type::kBool;
    case ExprKind::kBinary:
      return BinaryType(e);
    case ExprKind::kCond: {
      // Both branches have one type; a string takes its enum from the other branch.
      Expect(*e.operands[0], Type::kBool, "the condition of 'if ... then ... else'");
      for (size_t i = 1; i < 3; ++i) {
        if (const Expr* redis = FindRedis(*e.operands[i])) {
          // Round 33 read "would run whichever branch is taken" as "would always run".
          diags_.Error(redis->range.begin, "a Redis command cannot stand in a branch of 'if ... then ... else': "
                                           "call it in an if statement ('let v = 0' then 'if c { v = "
                                           "redis.INCR(k) }')");
        }
      }
      Expr& a = *e.operands[1];
      Expr& b = *e.operands[2];
      bool a_string = a.kind == ExprKind::kString && b.kind != ExprKind::kString;
      Type ta = a_string ? Type::kUnknown : CheckValue(a, Type::kUnknown, "a branch of 'if ... then ... else'");
      Type tb = CheckValue(b, ta, "a branch of 'if ... then ... else'");
      if (a_string) ta = CheckValue(a, tb, "a branch of 'if ... then ... else'");
      if (ta != Type::kUnknown && tb != Type::kUnknown && ta != tb) {
        diags_.Error(e.range.begin, fmt::format("the branches of 'if ... then ... else' must have one type, but "
                                                "one is {} and the other {}", Article(ta), Article(tb)));
        return Type::kUnknown;
      }
      return ta != Type::kUnknown ? ta : tb;
    }
    case ExprKind::kAggregate:
      return AggregateType(e);
    case ExprKind::kRedis:
      if (e.redis->is_block && e.redis->command != "MULTI") {
        diags_.Error(e.range.begin, "a Redis script block is a statement of its own, not a value");
        return Type::kUnknown;
      }
      return CheckRedis(*e.redis);
  }
  return Type::kUnknown;
}

const Expr* TypeChecker::FindRedis(const Expr& e) {
  if (e.kind == ExprKind::kRedis) return &e;
  for (const ExprPtr& operand : e.operands) {
    if (const Expr* found = FindRedis(*operand)) return found;
  }
  return nullptr;
}

Type TypeChecker::CoalesceType(Expr& e) {
  if (e.operands.size() < 2) {
    diags_.Error(e.range.begin, "coalesce takes two or more arguments");
  }
  Type type = Type::kUnknown;
  for (ExprPtr& operand : e.operands) {
    Type got = CheckValue(*operand, type, "an argument of coalesce");
    if (got == Type::kUnknown || got == Type::kNull) continue;
    if (type == Type::kUnknown) {
      type = got;
    } else if (got != type) {
      diags_.Error(operand->range.begin, fmt::format("the arguments of coalesce must be of one type: this is {}, "
                                                     "the first is {}", Article(got), Article(type)));
    }
  }
  if (!e.operands.empty() && e.operands.back()->kind == ExprKind::kNull) {
    diags_.Error(e.operands.back()->range.begin, "a last argument null gives coalesce nothing: drop it");
  }
  return type;
}

Type TypeChecker::NameType(Expr& e) {
  bool indexed = e.kind == ExprKind::kIndex;
  if (indexed) Expect(*e.operands[0], Type::kInt, "an array index");
  switch (e.ref.kind) {
    case RefKind::kNone:
    case RefKind::kFunction:  // only calls name fns (ResolveNames)
      return Type::kUnknown;
    case RefKind::kConst: return model_.consts[e.ref.index].value->kind == ExprKind::kBool ? Type::kBool : Type::kInt;
    case RefKind::kParam: return Type::kInt;
    case RefKind::kColumn: return sql_table_ ? sql_table_->columns[e.ref.index].type : Type::kInt;
    case RefKind::kEnumValue:
      if (indexed) diags_.Error(e.range.begin, fmt::format("'{}' is an enum value and takes no index", e.name));
      return Type::Enum(e.ref.index);
    case RefKind::kVar: {
      const VarDecl& var = model_.vars[e.ref.index];
      if (var.shape && !indexed) {
        diags_.Error(e.range.begin, fmt::format("'{}' is an array: use one element, as in {}[i]", var.name, var.name));
      } else if (!var.shape && indexed) {
        diags_.Error(e.range.begin, fmt::format("'{}' is not an array and takes no index", var.name));
      }
      return var.type;
    }
    case RefKind::kLocal:
      if (indexed) diags_.Error(e.range.begin, fmt::format("the local '{}' takes no index", e.name));
      return process_->locals[e.ref.index].type;
    case RefKind::kLock:
      diags_.Error(e.range.begin, fmt::format("'{}' is a lock and has no value; use it with lock, acquire, release",
                                              e.name));
      return Type::kUnknown;
    case RefKind::kRedisKey: {
      // A command's arguments name keys first: a local of the same name is not what this reads
      // (round 19: `fn put(lease) { redis.SET(k, lease) }`).
      const std::vector<LocalDecl>* scope = process_ ? &process_->locals : nullptr;
      for (const FnDecl& fn : model_.functions) {
        int line = e.range.begin.line;
        if (fn.range.begin.line <= line && line <= fn.range.end.line) scope = &fn.locals;
      }
      const LocalDecl* local = nullptr;
      for (size_t at = 0; scope && at < scope->size() && !local; ++at) {
        if ((*scope)[at].name == e.name) local = &(*scope)[at];
      }
      if (local) {
        diags_.Error(e.range.begin, fmt::format("'{0}' here is the Redis key {0}, not the local '{0}' (line {1}): a "
                                                "command's arguments name keys first; rename the local", e.name,
                                                local->range.begin.line));
      } else {
        diags_.Error(e.range.begin, fmt::format("the Redis key '{}' has no value here; read it with GET", e.name));
      }
      return Type::kUnknown;
    }
  }
  return Type::kUnknown;
}

Type TypeChecker::AggregateType(Expr& e) {
  if (e.ref.kind != RefKind::kColumn) return Type::kUnknown;
  const TableDecl& table = model_.tables[e.ref.index];
  if (e.aggregate == AggregateOp::kSum && e.member_index >= 0 && table.columns[e.member_index].type != Type::kInt) {
    diags_.Error(e.range.begin, fmt::format("sum adds numbers, but column '{}' holds {} values", e.member,
                                            TypeName(model_, table.columns[e.member_index].type)));
  }
  if (!e.operands.empty()) {
    const TableDecl* saved_table = sql_table_;
    bool saved_in_sql = in_sql_, saved_value = sql_value_;
    sql_table_ = &table;
    in_sql_ = true;
    sql_value_ = true;
    Expect(*e.operands[0], Type::kBool, fmt::format("the where clause of {}", AggregateOpText(e.aggregate)));
    sql_table_ = saved_table;
    in_sql_ = saved_in_sql;
    sql_value_ = saved_value;
  }
  return e.aggregate == AggregateOp::kExists ? Type::kBool : Type::kInt;
}

Type TypeChecker::MemberType(const Expr& e) const {
  if (e.member_index < 0) return Type::kUnknown;
  if (e.ref.kind == RefKind::kColumn) return model_.tables[e.ref.index].columns[e.member_index].type;
  if (e.ref.kind == RefKind::kRedisKey) {
    const RedisKey& key = model_.redis[e.ref.index].keys[e.member_index];
    if (key.IsCollection()) {
      diags_.Error(e.range.begin, fmt::format("'{}' is a {} and has no single value: write len({}){}", key.name,
                                              KindOf(key), ExprText(e),
                                              key.IsHash() ? fmt::format(" or hget({}, field)", ExprText(e))
                                                           : fmt::format(" or contains({}, v)", ExprText(e))));
      return Type::kUnknown;
    }
    return key.type;
  }
  return Type::kInt;
}

Type TypeChecker::BinaryType(Expr& e) {
  Expr& lhs = *e.operands[0];
  Expr& rhs = *e.operands[1];
  const std::string what = fmt::format("an operand of '{}'", BinaryOpText(e.binary_op));
  switch (e.binary_op) {
    case BinaryOp::kAdd: case BinaryOp::kSub: case BinaryOp::kMul: case BinaryOp::kDiv: case BinaryOp::kMod:
      Expect(lhs, Type::kInt, what, true);
      Expect(rhs, Type::kInt, what, true);
      return Type::kInt;
    case BinaryOp::kLt: case BinaryOp::kLe: case BinaryOp::kGt: case BinaryOp::kGe:
      Expect(lhs, Type::kInt, what, true);
      Expect(rhs, Type::kInt, what, true);
      return Type::kBool;
    case BinaryOp::kSqlEq:
      if (!in_sql_) {
        // A set clause's value is an expression as in process code (round 34 read "inside SQL" as
        // taking it in too).
        diags_.Error(e.range.begin, "'=' assigns; to compare two values write '==' ('=' compares only in a SQL "
                                    "where clause)");
      }
      [[fallthrough]];
    case BinaryOp::kEq: case BinaryOp::kNe: {
      // A string takes its enum from the other side: status = 'queued'. Two strings have none.
      bool lhs_string = lhs.kind == ExprKind::kString && rhs.kind != ExprKind::kString;
      bool rhs_string = rhs.kind == ExprKind::kString && lhs.kind != ExprKind::kString;
      Type a = lhs_string ? Type::kUnknown : Check(lhs);
      Type b = rhs_string ? CheckValue(rhs, a, what) : Check(rhs);
      if (lhs_string) a = CheckValue(lhs, b, what);
      if (a == Type::kNull || b == Type::kNull) {
        WarnNullComparison(e);
        return Type::kBool;
      }
      if (a != Type::kUnknown && b != Type::kUnknown && a != b) {
        diags_.Error(e.range.begin, fmt::format("'{}' compares {} with {}", BinaryOpText(e.binary_op),
                                                Article(a), Article(b)));
      }
      return Type::kBool;
    }
    case BinaryOp::kAnd: case BinaryOp::kOr:
      Expect(lhs, Type::kBool, what);
      Expect(rhs, Type::kBool, what);
      return Type::kBool;
  }
  return Type::kUnknown;
}

void TypeChecker::WarnNullComparison(const Expr& e) {
  if (!in_sql_) return;
  if (e.from_in_list) {
    diags_.Warning(e.range.begin, "in SQL a null in an 'in (...)' list matches nothing (comparing with null is "
                                  "unknown), and 'not in (...)' with a null in it is never true; test null with "
                                  "'is null' ('x is null or x in (...)')");
    return;
  }
  bool eq = e.binary_op != BinaryOp::kNe;
  diags_.Warning(e.range.begin, fmt::format("in SQL '{}' with null is never true (it is unknown); write 'is {}null'",
                                            BinaryOpText(e.binary_op), eq ? "" : "not "));
}

}  // namespace racecheck::frontend::type_check

namespace racecheck::frontend {

bool CheckTypes(ast::Model& model, base::DiagnosticEngine& diags) {
  int errors_before = diags.error_count();
  type_check::TypeChecker(model, diags).Run();
  return diags.error_count() == errors_before;
}

}  // namespace racecheck::frontend
