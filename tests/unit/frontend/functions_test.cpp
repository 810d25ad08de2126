// Unit tests of fns through the front end (issue 12): each call gets its own copy of the body,
// whose locals are new locals of the process and whose statements remember their calls; errors
// in a body are reported once however many calls reach it.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/frontend/check_text.h"

namespace racecheck::frontend {
namespace {

using testing::Check;
using testing::Checked;

const char* kTwoCalls = R"(model two_calls
shared x = 0
fn inc(step) {
    let old = x
    x = old + step
    return old
}
fn twice(step) {
    inc(step)
    let last = inc(step)
    return last
}
process P {
    let a = twice(2)
    let flag = a > 0
}
)";

TEST(Functions, EachCallHasItsOwnCopyAndLocals) {
  Checked c = Check(kTwoCalls);
  ASSERT_TRUE(c.model) << c.errors;
  const ast::ProcessDecl& p = c.model->processes[0];
  std::vector<std::string> names;
  for (const ast::LocalDecl& local : p.locals) names.push_back(local.name);
  // twice's copy, then one copy of inc per call inside it (the statement call keeps its value
  // in a local of its own, `inc()`), then the process's second local.
  std::vector<std::string> expected = {"a",      "flag",    "twice.step", "twice.last", "inc()",
                                       "inc.step", "inc.old", "inc.step",   "inc.old"};
  EXPECT_EQ(names, expected);
  const ast::Stmt& let_a = *p.body[0];
  ASSERT_EQ(let_a.inlined.size(), 4u);  // let step; inc(step); let last = inc(step); return last
  EXPECT_EQ(let_a.value->call_result, let_a.locals[0]);
  EXPECT_TRUE(let_a.inlined[0]->called_from.empty());  // the parameter: made at the call
  const ast::Stmt& inner_call = *let_a.inlined[1];
  ASSERT_EQ(inner_call.called_from.size(), 1u);
  EXPECT_EQ(inner_call.called_from[0].function, "twice");
  EXPECT_EQ(inner_call.called_from[0].line, 14);
  const ast::Stmt& read = *inner_call.inlined[1];  // let old = x, in inc, called from twice
  ASSERT_EQ(read.called_from.size(), 2u);
  EXPECT_EQ(read.called_from[0].function, "inc");
  EXPECT_EQ(read.called_from[0].line, 9);
  EXPECT_EQ(read.called_from[1].function, "twice");
  EXPECT_EQ(read.called_from[1].line, 14);
  // Types come from the copies: inc returns an int, so `a` is one.
  EXPECT_EQ(p.locals[0].type, ast::Type::kInt);
  EXPECT_EQ(p.locals[1].type, ast::Type::kBool);
  // The fn itself keeps its own locals, as written.
  EXPECT_EQ(c.model->functions[0].locals.size(), 2u);
}

TEST(Functions, AMistakeInABodyIsReportedOnceForManyCalls) {
  Checked c = Check(R"(model m
shared x = 0
fn bad(n) {
    x = n + true
}
process P {
    bad(1)
    bad(2)
}
process Q {
    bad(3)
}
)");
  EXPECT_FALSE(c.model);
  EXPECT_EQ(c.error_count, 1) << c.errors;
}

TEST(Functions, ParametersAreLocalsTheBodyMayAssign) {
  Checked c = Check(R"(model m
shared x = 0
fn add(n) {
    n += 1
    x = n
}
process P {
    let k = 1
    add(k)
    assert k == 1
}
)");
  EXPECT_TRUE(c.model) << c.errors;
}

TEST(Functions, AFnCannotSeeItsCallersLocals) {
  Checked c = Check(R"(model m
fn peek() {
    return k
}
process P {
    let k = 1
    let v = peek()
}
)");
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.errors.find("'k' is not declared"), std::string::npos) << c.errors;
}

}  // namespace
}  // namespace racecheck::frontend
