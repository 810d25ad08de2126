// Unit tests of named values (`enum Status { queued, running, done }`) through the front end:
// declaration, names, the string notation of SQL, the types every place gives them.
#include <gtest/gtest.h>

#include <string>

#include "checker/ast/printer.h"
#include "tests/unit/frontend/check_text.h"

namespace racecheck::frontend {
namespace {

using testing::Check;
using testing::Checked;

const char* kJobs = R"(model jobs
enum Status { queued, running, done }
table jobs(id key, status Status) { (1, 'queued'), (2, running) }
shared last = done
redis { state = queued }
process Worker(want = running) {
    let job = select id from jobs where status = 'queued'
    let (s, n) = select status, id from jobs where id = job
    update jobs set status = 'running' where id = job and status = s
    let r = redis.GET(state)
    last = want
}
invariant i: jobs[1].status != done or redis.state == running
)";

TEST(Enums, DeclarationValuesAndTypes) {
  Checked c = Check(kJobs);
  ASSERT_TRUE(c.model) << c.errors;
  const ast::Model& m = *c.model;
  // The model's enum, then the built-in failure enum (`on failure(e)`).
  ASSERT_EQ(m.enums.size(), 2u);
  EXPECT_TRUE(m.enums[1].builtin);
  EXPECT_EQ(m.enums[0].name, "Status");
  ASSERT_EQ(m.enums[0].values.size(), 3u);
  EXPECT_EQ(m.enums[0].values[2].name, "done");
  EXPECT_EQ(ast::ValueList(m.enums[0]), "queued, running, done");

  const ast::Type status = ast::Type::Enum(0);
  EXPECT_EQ(m.tables[0].columns[0].type, ast::Type::kInt);
  EXPECT_EQ(m.tables[0].columns[1].type, status);
  EXPECT_EQ(m.vars[0].type, status);
  EXPECT_EQ(m.redis[0].keys[0].type, status);
  // Locals: want (a default), job (an id), s and n (a tuple), r (a GET of an enum key).
  const ast::ProcessDecl& p = m.processes[0];
  ASSERT_EQ(p.locals.size(), 5u);
  EXPECT_EQ(p.locals[0].type, status);
  EXPECT_EQ(p.locals[1].type, ast::Type::kInt);
  EXPECT_EQ(p.locals[2].type, status);
  EXPECT_EQ(p.locals[3].type, ast::Type::kInt);
  EXPECT_EQ(p.locals[4].type, status);
}

TEST(Enums, AStringInSqlNamesTheValueOfItsColumnsEnum) {
  Checked c = Check(kJobs);
  ASSERT_TRUE(c.model) << c.errors;
  // The row's 'queued' and the where clause's 'queued' both resolve to value 0 of Status.
  const ast::Expr& row_value = *c.model->tables[0].rows[0][1];
  EXPECT_EQ(row_value.kind, ast::ExprKind::kString);
  EXPECT_EQ(row_value.ref.kind, ast::RefKind::kEnumValue);
  EXPECT_EQ(row_value.ref.value, 0);
  const ast::Expr& where = *c.model->processes[0].body[0]->sql->where;
  EXPECT_EQ(where.operands[1]->ref.value, 0);
  const ast::Expr& set = *c.model->processes[0].body[2]->sql->sets[0].value;
  EXPECT_EQ(set.ref.value, 1);
  // A bare name is an enum value too, resolved with the other names.
  EXPECT_EQ(c.model->tables[0].rows[1][1]->ref.kind, ast::RefKind::kEnumValue);
  EXPECT_EQ(c.model->tables[0].rows[1][1]->ref.value, 1);
}

TEST(Enums, TheAstPrinterShowsTheDeclarationAndTheValues) {
  Checked c = Check(kJobs);
  ASSERT_TRUE(c.model) << c.errors;
  std::string text = ast::PrintModel(*c.model);
  EXPECT_NE(text.find("enum Status { queued, running, done }\n"), std::string::npos) << text;
  EXPECT_NE(text.find("table jobs(id key, status Status)\n  row (1, 'queued')\n  row (2, running)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("shared last: Status = done\n"), std::string::npos) << text;
  EXPECT_NE(text.find("key state: Status = queued\n"), std::string::npos) << text;
  EXPECT_NE(text.find("locals want: Status, job: int, s: Status, n: int, r: Status\n"), std::string::npos) << text;
}

TEST(Enums, NamesMustBeDeclaredOnceInOneEnum) {
  Checked c = Check("model m\nenum A { x, y }\nenum B { y }\nshared v = z\n");
  EXPECT_FALSE(c.model);
  EXPECT_EQ(c.error_count, 2) << c.errors;
  EXPECT_NE(c.errors.find("test.cr:3:10: error: 'y' is already a value of enum A (line 2)"), std::string::npos)
      << c.errors;
  EXPECT_NE(c.errors.find("test.cr:4:12: error: 'z' is not declared"), std::string::npos) << c.errors;
}

TEST(Enums, ColumnTypesNameAnEnum) {
  Checked c = Check("model m\nenum S { a }\nshared n = 0\ntable t(id key, s Sx, m n) { (1, 0, 0) }\n");
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.errors.find("test.cr:4:19: error: after a column name only 'key' or the name of an enum may follow; "
                          "no enum is named 'Sx'"), std::string::npos) << c.errors;
  EXPECT_NE(c.errors.find("'n' is a variable"), std::string::npos) << c.errors;
}

TEST(Enums, OnlyEqualityComparesThemAndOnlyWithTheirOwnEnum) {
  Checked c = Check("model m\nenum S { a, b }\nenum C { red }\nshared s = a\n"
                    "process P {\n  if s == red { skip }\n  if s != 1 { skip }\n  if s < b { skip }\n"
                    "  s += 1\n  if s == b { skip }\n}\n");
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.errors.find("test.cr:6:6: error: '==' compares a value of enum S with a value of enum C"), std::string::npos)
      << c.errors;
  EXPECT_NE(c.errors.find("test.cr:7:6: error: '!=' compares a value of enum S with an int"), std::string::npos) << c.errors;
  EXPECT_NE(c.errors.find("test.cr:8:6: error: an operand of '<' must be a number (int), but this is a value of enum S: "
                          "S values compare only with == and !="), std::string::npos) << c.errors;
  EXPECT_NE(c.errors.find("test.cr:9:3: error: 's' is a value of enum S; '+=' works on numbers"), std::string::npos)
      << c.errors;
  EXPECT_EQ(c.errors.find("test.cr:10:"), std::string::npos) << c.errors;
}

TEST(Enums, StringsBelongToSqlAndToTheEnumOfTheirColumn) {
  Checked c = Check("model m\nenum S { a, b }\ntable t(id key, s S, n) { (1, 'a', 0) }\nshared v = a\n"
                    "process P {\n  update t set s = 'c' where n = 'a'\n  if v == 'b' { skip }\n}\n");
  EXPECT_FALSE(c.model);
  EXPECT_EQ(c.error_count, 3) << c.errors;
  EXPECT_NE(c.errors.find("test.cr:6:20: error: 'c' is not a value of enum S: write one of a, b"), std::string::npos)
      << c.errors;
  EXPECT_NE(c.errors.find("test.cr:6:34: error: an operand of '=' must be a number (int), but this is the string 'a'"),
            std::string::npos) << c.errors;
  EXPECT_NE(c.errors.find("test.cr:7:11: error: a value in quotes is SQL's notation; outside SQL write the enum value "
                          "by its name, without quotes: b"), std::string::npos) << c.errors;
}

}  // namespace
}  // namespace racecheck::frontend
