#include "checker/report/layout.h"

#include <gtest/gtest.h>

namespace racecheck::report {
namespace {

TEST(LayoutTest, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("balance"), 7);
  EXPECT_EQ(DisplayWidth("100 → 20"), 8);
  EXPECT_EQ(DisplayWidth("ab…"), 3);
  // A stray continuation byte still takes a column.
  EXPECT_EQ(DisplayWidth("a\x80"), 2);
}

TEST(LayoutTest, TruncateKeepsCodePointsWhole) {
  EXPECT_EQ(Truncate("let b = balance", 15), "let b = balance");
  EXPECT_EQ(Truncate("let b = balance", 10), "let b = b…");
  EXPECT_EQ(Truncate("let b = balance", 7), "let b…");
  EXPECT_EQ(Truncate("a → b → c", 4), "a →…");
  EXPECT_EQ(DisplayWidth(Truncate("a → b → c", 4)), 4);
  EXPECT_EQ(Truncate("abc", 0), "");
}

TEST(LayoutTest, OneLineJoinsStatementsAndDropsComments) {
  EXPECT_EQ(OneLine("  let b = balance  "), "let b = balance");
  EXPECT_EQ(OneLine("atomic {\n  x = 1\n  y = 2\n}"), "atomic { x = 1; y = 2 }");
  // A break inside an expression continues it.
  EXPECT_EQ(OneLine("x = a +\n    b"), "x = a + b");
  EXPECT_EQ(OneLine("x = a\n    + b"), "x = a + b");
  EXPECT_EQ(OneLine("lock m { // why\n  x += 1 /* count */\n}"), "lock m { x += 1 }");
  EXPECT_EQ(OneLine("assert x > 0 \"two  spaces // kept\""), "assert x > 0 \"two  spaces // kept\"");
}

TEST(LayoutTest, Formats) {
  EXPECT_EQ(FormatSeconds(0.0123), "0.01 s");
  EXPECT_EQ(FormatSeconds(0.001), "< 0.01 s");
  EXPECT_EQ(FormatSeconds(12.25), "12.2 s");
  EXPECT_EQ(FormatSeconds(153.4), "153 s");
  EXPECT_EQ(FormatBytes(1000), "1 KiB");
  EXPECT_EQ(FormatBytes(512 * 1024), "512 KiB");
  EXPECT_EQ(FormatBytes(12u * 1024 * 1024 + 300 * 1024), "12.3 MiB");
  EXPECT_EQ(FormatBytes(1280ull * 1024 * 1024), "1.25 GiB");
  EXPECT_EQ(Plural(1, "state", "states"), "1 state");
  EXPECT_EQ(Plural(0, "state", "states"), "0 states");
}

TEST(LayoutTest, TableAlignsAndSkipsEmptyColumns) {
  TextTable table({Align::kRight, Align::kLeft, Align::kLeft, Align::kLeft}, "> ");
  table.AddRow({{"1"}, {""}, {"a"}, {"x"}});
  table.AddRow({{"10"}, {""}, {"bbb"}});
  EXPECT_EQ(table.Render(false), ">  1  a    x\n> 10  bbb\n");
  TextTable styled({Align::kLeft, Align::kLeft}, "");
  styled.AddRow({{"ab", kDim}, {"c"}});
  styled.AddRow({{"", kDim}, {"d"}});
  EXPECT_EQ(styled.Render(true), "\x1b[2mab\x1b[0m  c\n    d\n");
  EXPECT_EQ(styled.Render(false), "ab  c\n    d\n");
}

}  // namespace
}  // namespace racecheck::report
