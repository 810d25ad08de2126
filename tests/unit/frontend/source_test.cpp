// Columns count code points, offsets count bytes: the two helpers every quote and trace uses to
// go from one to the other (ast_builder's range ends, the lowerer's statement text).
#include <gtest/gtest.h>

#include "checker/base/source.h"

namespace racecheck::base {
namespace {

TEST(SourceColumns, CodePointsNotBytes) {
  EXPECT_EQ(CodePointCount(""), 0);
  EXPECT_EQ(CodePointCount("x = 1"), 5);
  EXPECT_EQ(CodePointCount("\"d\xC3\xA9j\xC3\xA0\""), 6);         // "déjà"
  EXPECT_EQ(CodePointCount("\xE2\x86\x92 \xF0\x9F\x99\x82"), 3);  // → 🙂
}

TEST(SourceColumns, ByteOffsetOfAColumn) {
  std::string_view line = "a\xC3\xA9\xE2\x86\x92\xF0\x9F\x99\x82z";  // aé→🙂z
  EXPECT_EQ(ByteOffsetOfColumn(line, 1), 0u);
  EXPECT_EQ(ByteOffsetOfColumn(line, 2), 1u);
  EXPECT_EQ(ByteOffsetOfColumn(line, 3), 3u);
  EXPECT_EQ(ByteOffsetOfColumn(line, 4), 6u);
  EXPECT_EQ(ByteOffsetOfColumn(line, 5), 10u);
  EXPECT_EQ(ByteOffsetOfColumn(line, 6), line.size());
  EXPECT_EQ(ByteOffsetOfColumn(line, 40), line.size());  // past the end: the line's size
}

TEST(SourceColumns, ContinuationBytes) {
  EXPECT_FALSE(IsUtf8Continuation('a'));
  EXPECT_FALSE(IsUtf8Continuation('\xC3'));
  EXPECT_TRUE(IsUtf8Continuation('\xA9'));
  EXPECT_FALSE(IsUtf8Continuation('\xF0'));
}

}  // namespace
}  // namespace racecheck::base
