// Unit tests of NULL through the front end (issue 11): the literal, is null, coalesce, nullable
// columns, the types null meets, misuse errors and the '= null' warning.
#include <gtest/gtest.h>

#include <string>

#include "checker/ast/printer.h"
#include "tests/unit/frontend/check_text.h"

namespace racecheck::frontend {
namespace {

using testing::Check;
using testing::Checked;

const char* kClaims = R"(model claims
enum Status { queued, done }
table jobs(id key, owner null, status Status null) { (1, null, null), (2, 3, done) }
process W {
    let o = select owner from jobs where id = 1
    let s = select status from jobs where id = 1
    o = null
    s = null
    let k = coalesce(o, 0, 1)
    let n = update jobs set owner = self where id = 1 and owner is null
    insert into jobs (id) values (3)
    if o == null and s != null and k is not null { skip }
}
invariant i: jobs[1].owner is null or jobs[1].owner != 0
)";

TEST(Null, NullableColumnsLiteralIsNullAndCoalesceCheck) {
  Checked c = Check(kClaims);
  ASSERT_TRUE(c.model) << c.errors;
  EXPECT_EQ(c.errors, "");
  const ast::TableDecl& jobs = c.model->tables[0];
  EXPECT_FALSE(jobs.columns[0].nullable);
  EXPECT_TRUE(jobs.columns[1].nullable);
  EXPECT_TRUE(jobs.columns[2].nullable);
  // coalesce takes the type of its arguments; a select of a nullable column the column's.
  EXPECT_EQ(c.model->processes[0].locals[2].type, ast::Type::kInt);
  EXPECT_EQ(c.model->processes[0].locals[1].type, ast::Type::Enum(0));
}

TEST(Null, TheAstPrinterShowsNullNullableColumnsAndIsNull) {
  Checked c = Check(kClaims);
  ASSERT_TRUE(c.model) << c.errors;
  std::string text = ast::PrintModel(*c.model);
  EXPECT_NE(text.find("table jobs(id key, owner null, status Status null)"), std::string::npos) << text;
  EXPECT_NE(text.find("row (1, null, null)"), std::string::npos) << text;
  EXPECT_NE(text.find("owner is null"), std::string::npos) << text;
  EXPECT_NE(text.find("k is not null"), std::string::npos) << text;
}

TEST(Null, MisuseIsALocatedError) {
  EXPECT_NE(Check("model m\nshared s = null\n").errors.find("2:12: error: the initial value of 's' gives it its type, "
                                                           "and null has none"),
            std::string::npos);
  EXPECT_NE(Check("model m\nprocess P {\n    let a = null\n}\n").errors.find("'let a = null' gives 'a' no type"),
            std::string::npos);
  EXPECT_NE(Check("model m\nprocess P {\n    let a = 1 - null\n}\n")
                .errors.find("an operand of '-' must be a number (int), but this is null"),
            std::string::npos);
  EXPECT_NE(Check("model m\ntable t(id key, v) { (1, null) }\n").errors.find("column 'v' of table 't' is not nullable"),
            std::string::npos);
  EXPECT_NE(Check("model m\ntable t(id key null, v) { (1, 2) }\n").errors.find("a key column cannot be null"),
            std::string::npos);
  EXPECT_NE(Check("model m\nprocess P {\n    let a = coalesce(1)\n}\n").errors.find("coalesce takes two or more"),
            std::string::npos);
  EXPECT_NE(Check("model m\nshared x = -2147483648\n").errors.find("-2147483648 stands for null"), std::string::npos);
}

TEST(Null, EqualsNullInSqlIsAWarningNotAnError) {
  Checked c = Check("model m\ntable t(id key, v null) { (1, null) }\nprocess P {\n"
                    "    let n = select count(*) from t where v = null\n    let b = n == null\n}\n");
  ASSERT_TRUE(c.model) << c.errors;
  EXPECT_EQ(c.error_count, 0);
  EXPECT_NE(c.errors.find("test.cr:4:42: warning: in SQL '=' with null is never true (it is unknown); write 'is null'"),
            std::string::npos)
      << c.errors;
  // Outside SQL, == null is the test itself: no warning.
  EXPECT_EQ(c.errors.find("5:"), std::string::npos) << c.errors;
}

}  // namespace
}  // namespace racecheck::frontend
