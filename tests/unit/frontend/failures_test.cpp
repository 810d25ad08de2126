// Unit tests of failure handlers through the front end: `on failure(e) { ... }` names the
// failure, `on failure(a, b) ...` handles only those, on transactions and autocommit statements.
#include <gtest/gtest.h>

#include <string>

#include "checker/ast/printer.h"
#include "tests/unit/frontend/check_text.h"

namespace racecheck::frontend {
namespace {

using testing::Check;
using testing::Checked;

std::string Model(const std::string& process_body, const std::string& top = "") {
  return "model m\n" + top + "table users(id key, name) { }\nprocess P[2] {\n" + process_body + "\n}\n";
}

TEST(Failures, AHandlerNamesTheFailureAsALocalOfTheFailureEnum) {
  Checked c = Check(Model("    insert into users values (1, self) on failure(e) { assert e == unique_violation }"));
  ASSERT_TRUE(c.model) << c.errors;
  const ast::ProcessDecl& p = c.model->processes[0];
  ASSERT_EQ(p.locals.size(), 1u);
  EXPECT_EQ(p.locals[0].name, "e");
  ASSERT_EQ(p.locals[0].type.kind, ast::TypeKind::kEnum);
  EXPECT_EQ(c.model->enums[p.locals[0].type.enum_index].name, "failure");
  EXPECT_EQ(p.body[0]->failure_local, 0);
  EXPECT_TRUE(p.body[0]->failure_filter.empty());
}

TEST(Failures, NamesOfFailuresHandleOnlyThoseFailures) {
  Checked c = Check(Model("    transaction { update users set name = 1 where id = 1 } "
                          "on failure(serialization_failure, deadlock_detected) retry at most 3"));
  ASSERT_TRUE(c.model) << c.errors;
  const ast::Stmt& s = *c.model->processes[0].body[0];
  EXPECT_EQ(s.failure_filter, (std::vector<int>{0, 1}));
  EXPECT_EQ(s.failure_local, -1);
  std::string printed = ast::PrintModel(*c.model);
  EXPECT_NE(printed.find("on failure(serialization_failure, deadlock_detected) retry at most 3"), std::string::npos)
      << printed;
  EXPECT_EQ(printed.find("enum failure"), std::string::npos) << printed;
}

TEST(Failures, TheNamesOfFailuresAreTakenEverywhere) {
  Checked c = Check(Model("    let deadlock_detected = 1", "enum E { unique_violation }\nconst lock_not_available = 3\n"));
  EXPECT_EQ(c.error_count, 3) << c.errors;
  EXPECT_NE(c.errors.find("test.cr:2:10: error: 'unique_violation' is the name of a database failure"),
            std::string::npos)
      << c.errors;
}

TEST(Failures, WrongNamesInTheParenthesesAreLocatedErrors) {
  Checked retry = Check(Model("    insert into users values (1, self) on failure(e) retry at most 3"));
  EXPECT_NE(retry.errors.find("'e' is not a database failure"), std::string::npos) << retry.errors;
  EXPECT_NE(retry.errors.find("a name for the failure needs a handler block"), std::string::npos) << retry.errors;
  Checked mixed = Check(Model("    insert into users values (1, self) on failure(unique_violation, oops) { skip }"));
  EXPECT_NE(mixed.errors.find("'oops' is not a database failure"), std::string::npos) << mixed.errors;
  Checked twice = Check(Model("    insert into users values (1, self) on failure(unique_violation, unique_violation) "
                              "{ skip }"));
  EXPECT_NE(twice.errors.find("'unique_violation' is named twice"), std::string::npos) << twice.errors;
}

TEST(Failures, TheNameIsScopedToItsHandlerBlock) {
  Checked c = Check(Model("    insert into users values (1, self) on failure(e) { skip }\n    let x = e"));
  EXPECT_NE(c.errors.find("'e'"), std::string::npos) << c.errors;
}

TEST(Failures, AStatementInsideATransactionTakesNoHandler) {
  Checked c = Check(Model("    transaction { insert into users values (1, self) on failure { skip } }"));
  EXPECT_NE(c.errors.find("a statement inside a transaction fails with the whole transaction"), std::string::npos)
      << c.errors;
}

}  // namespace
}  // namespace racecheck::frontend
