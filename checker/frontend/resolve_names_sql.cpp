#include "checker/frontend/resolve_names_impl.h"

namespace racecheck::frontend::resolve {

void Resolver::ResolveTable(TableDecl& table) {
  std::map<std::string, SourceRange> columns;
  int keys = 0;
  for (Column& c : table.columns) {
    if (auto [it, fresh] = columns.emplace(c.name, c.range); !fresh) {
      diags_.Error(c.range.begin, fmt::format("the column '{}' is already declared in table '{}'", c.name, table.name));
    }
    keys += c.is_key ? 1 : 0;
    ResolveColumnType(c);
    RejectEnumValueName(c.name, c.range, "the column", "inside SQL");
  }
  if (keys != 1) {
    diags_.Error(table.range.begin, fmt::format("table '{}' needs exactly one primary key column, marked 'key' "
                                                "(as in 'table accounts(id key, balance)'); it has {}",
                                                table.name, keys));
  }
  for (UniqueConstraint& unique : table.uniques) {
    for (const std::string& name : unique.column_names) {
      int index = ColumnIndex(table, name);
      if (index < 0) diags_.Error(unique.range.begin, fmt::format("table '{}' has no column '{}'", table.name, name));
      unique.columns.push_back(index);
    }
  }
  if (table.room) ResolveExpr(*table.room);
  for (ExprPtr& check : table.checks) {
    ResolveSqlExpr(*check, table);
    RejectNonColumns(*check, table);
  }
  for (size_t r = 0; r < table.rows.size(); ++r) {
    if (table.rows[r].size() != table.columns.size()) {
      diags_.Error(table.row_ranges[r].begin, fmt::format("this row has {} values but table '{}' has {} columns",
                                                          table.rows[r].size(), table.name, table.columns.size()));
    }
    for (ExprPtr& e : table.rows[r]) ResolveExpr(*e);
  }
}

int Resolver::ColumnIndex(const TableDecl& table, const std::string& name) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

void Resolver::RejectNonColumns(const Expr& e, const TableDecl& table) {
  bool named = e.kind == ExprKind::kName || e.kind == ExprKind::kIndex;
  bool allowed = e.ref.kind == RefKind::kColumn || e.ref.kind == RefKind::kConst ||
                 e.ref.kind == RefKind::kEnumValue || e.ref.kind == RefKind::kNone;
  if ((named && !allowed) || e.kind == ExprKind::kMember || e.kind == ExprKind::kRedis || e.kind == ExprKind::kSelf ||
      e.kind == ExprKind::kAggregate) {
    std::string what = e.kind == ExprKind::kSelf        ? "self"
                       : e.kind == ExprKind::kRedis     ? "a Redis command"
                       : e.kind == ExprKind::kAggregate ? ExprText(e)
                                                        : e.name;
    diags_.Error(e.range.begin, fmt::format("a check constraint of table '{}' may use only the row's columns and "
                                            "constants; '{}' is neither",
                                            table.name, what));
    return;
  }
  for (const ExprPtr& operand : e.operands) RejectNonColumns(*operand, table);
}

void Resolver::RejectEnumValueName(const std::string& name, SourceRange range, const char* what, const char* where) {
  auto global = globals_.find(name);
  if (global == globals_.end() || global->second.kind != GlobalKind::kEnumValue) return;
  if (IsFailure(global->second)) return diags_.Error(range.begin, FailureNameTaken(name));
  diags_.Error(range.begin, fmt::format("{} '{}' has the name of a value of enum {} (line {}); {} the two could "
                                        "not be told apart: rename one of them",
                                        what, name, model_.enums[global->second.index].name,
                                        global->second.range.begin.line, where));
}

void Resolver::ResolveColumnType(Column& c) {
  if (c.type_name.empty()) return;
  auto it = globals_.find(c.type_name);
  if (it != globals_.end() && it->second.kind == GlobalKind::kEnum) {
    c.type = Type::Enum(it->second.index);
    return;
  }
  diags_.Error(c.type_range.begin,
               it == globals_.end()
                   ? fmt::format("after a column name only 'key' or the name of an enum may follow; no enum is "
                                 "named '{}' (declare it with 'enum {} {{ ... }}')", c.type_name, c.type_name)
                   : fmt::format("after a column name only 'key' or the name of an enum may follow; '{}' is {}",
                                 c.type_name, Describe(it->second.kind)));
}

void Resolver::ResolveSql(Sql& sql) {
  auto it = globals_.find(sql.table_name);
  if (it == globals_.end() || it->second.kind != GlobalKind::kTable) {
    diags_.Error(sql.range.begin, it == globals_.end()
                                      ? fmt::format("no table is named '{}'", sql.table_name)
                                      : fmt::format("'{}' is {}, not a table", sql.table_name, Describe(it->second.kind)));
    return;
  }
  sql.table = it->second.index;
  const TableDecl& table = model_.tables[sql.table];
  auto column = [&](const std::string& name, SourceRange range) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i].name == name) return static_cast<int>(i);
    }
    diags_.Error(range.begin, fmt::format("table '{}' has no column '{}'", table.name, name));
    return -1;
  };
  for (SelectItem& item : sql.items) {
    if (!item.aggregate) {
      item.column = column(item.name, item.range);
    } else if (item.name == "count") {
      if (item.argument != "*") item.column = column(item.argument, item.range);
    } else if (item.name == "sum" || item.name == "min" || item.name == "max") {
      if (item.argument == "*") diags_.Error(item.range.begin, fmt::format("{} needs a column: {}(balance)", item.name, item.name));
      else item.column = column(item.argument, item.range);
    } else {
      diags_.Error(item.range.begin, fmt::format("'{}' is not an aggregate racecheck knows: use count(*), count(column), "
                                                 "sum(column), min(column) or max(column)",
                                                 item.name));
    }
  }
  for (const SelectItem& item : sql.items) {
    if (!sql.for_update || !item.aggregate) continue;
    // PostgreSQL refuses this (0A000): a proof of it would be a proof of code that cannot run.
    std::string strength = sql.share ? "for share" : sql.no_key ? "for no key update" : "for update";
    std::string upper = sql.share ? "FOR SHARE" : sql.no_key ? "FOR NO KEY UPDATE" : "FOR UPDATE";
    diags_.Error(item.range.begin,
                 fmt::format("PostgreSQL does not allow '{0}' with an aggregate such as {2}(...) "
                             "(0A000: {1} is not allowed with aggregate functions); lock the rows with "
                             "their own 'select ... {0}', or lock a row they all belong to",
                             strength, upper, item.name));
    break;
  }
  for (OrderItem& order : sql.order_by) order.column = column(order.column_name, order.range);
  if (sql.limit) ResolveExpr(*sql.limit);
  bool aggregate = std::any_of(sql.items.begin(), sql.items.end(), [](const SelectItem& i) { return i.aggregate; });
  if (aggregate && (!sql.order_by.empty() || sql.limit)) {
    // count, sum, min and max make one row: there is nothing to order or to limit.
    diags_.Error(sql.order_by.empty() ? sql.limit->range.begin : sql.order_by[0].range.begin,
                 sql.order_by.empty() ? "a select of count, sum, min or max gives one row: 'limit' has nothing to limit"
                                      : "a select of count, sum, min or max gives one row: 'order by' has nothing to order");
  }
  for (SetItem& set : sql.sets) {
    set.column = column(set.column_name, set.range);
    ResolveSqlExpr(*set.value, table);
  }
  for (const std::string& name : sql.insert_columns) sql.insert_column_indices.push_back(column(name, sql.range));
  ResolveConflictTarget(sql, table);
  for (ExprPtr& e : sql.values) ResolveExpr(*e);
  if (sql.where) ResolveSqlExpr(*sql.where, table);
}

void Resolver::ResolveConflictTarget(Sql& sql, const TableDecl& table) {
  std::set<int> target;
  for (const std::string& name : sql.conflict_columns) {
    int index = ColumnIndex(table, name);
    if (index < 0) diags_.Error(sql.conflict_range.begin, fmt::format("table '{}' has no column '{}'", table.name, name));
    sql.conflict_column_indices.push_back(index);
    target.insert(index);
  }
  if (target.empty() || target.count(-1)) return;
  std::vector<std::set<int>> uniques;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (table.columns[c].is_key || table.columns[c].is_unique) uniques.push_back({static_cast<int>(c)});
  }
  for (const UniqueConstraint& unique : table.uniques) uniques.emplace_back(unique.columns.begin(), unique.columns.end());
  if (std::find(uniques.begin(), uniques.end(), target) != uniques.end()) return;
  // PostgreSQL's 42P10.
  diags_.Error(sql.conflict_range.begin,
               fmt::format("'on conflict ({})' names no unique constraint of table '{}': name the key or the columns "
                           "of a unique constraint (PostgreSQL: there is no unique or exclusion constraint matching "
                           "the ON CONFLICT specification)",
                           fmt::format("{}", JoinNames(sql.conflict_columns)), table.name));
}

std::string Resolver::JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

void Resolver::ResolveSqlExpr(Expr& e, const TableDecl& table) {
  const TableDecl* saved = sql_table_;
  sql_table_ = &table;
  ResolveExpr(e);
  sql_table_ = saved;
}

void Resolver::ResolveAggregate(Expr& e) {
  const char* function = AggregateOpText(e.aggregate);
  auto it = globals_.find(e.name);
  if (it == globals_.end() || it->second.kind != GlobalKind::kTable) {
    diags_.Error(e.range.begin, it == globals_.end()
                                    ? fmt::format("no table is named '{}'", e.name)
                                    : fmt::format("'{}' is {}, not a table: {}(...) looks at a table's rows", e.name,
                                                  Describe(it->second.kind), function));
    return;
  }
  const TableDecl& table = model_.tables[it->second.index];
  e.ref = {RefKind::kColumn, it->second.index};
  if (e.aggregate == AggregateOp::kSum && e.member.empty()) {
    diags_.Error(e.range.begin, fmt::format("sum adds a column: write sum({}.column)", e.name));
  } else if (e.aggregate != AggregateOp::kSum && !e.member.empty()) {
    diags_.Error(e.range.begin,
                 e.aggregate == AggregateOp::kCount
                     ? fmt::format("count counts rows, not a column's values: write count({0}), or count({0} where "
                                   "{1} is not null) for the rows where '{1}' has a value", e.name, e.member)
                     : fmt::format("exists asks whether a row exists, not a column: write exists({0}) or exists({0} "
                                   "where ...)", e.name));
  } else if (!e.member.empty()) {
    e.member_index = ColumnIndex(table, e.member);
    if (e.member_index < 0) diags_.Error(e.range.begin, fmt::format("table '{}' has no column '{}'", e.name, e.member));
  }
  if (e.operands.empty()) return;
  const TableDecl* saved = aggregate_table_;
  aggregate_table_ = &table;
  ResolveSqlExpr(*e.operands[0], table);
  aggregate_table_ = saved;
}

}  // namespace racecheck::frontend::resolve
