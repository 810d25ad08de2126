// The check of the raw text before ANTLR sees it: what is UTF-8 and what is not. ANTLR's own
// decoder throws (and racecheck aborted) on overlong forms and code points past U+10FFFF in a
// comment, the fuzzer's first find; so every byte sequence must be judged here first.
#include <gtest/gtest.h>

#include <string>

#include "checker/frontend/input_check.h"
#include "checker/frontend/parse.h"

namespace racecheck::frontend {
namespace {

// The diagnostics of parsing a model with `bytes` in a comment; empty when it parses.
std::string ErrorsWithComment(const std::string& bytes) {
  base::SourceFile file("test.cr", "model m\n// " + bytes + "\nshared x = 0\n");
  base::DiagnosticEngine diags(file);
  std::unique_ptr<ast::Model> model = Parse(file, diags);
  EXPECT_EQ(model == nullptr, diags.has_errors());
  return diags.Render();
}

TEST(InputCheck, TakesEveryKindOfCharacterAtTheEdgesOfItsRange) {
  for (const char* bytes : {"\x7f", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80",
                            "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf"}) {
    EXPECT_EQ(ErrorsWithComment(bytes), "") << "bytes " << testing::PrintToString(std::string(bytes));
  }
}

TEST(InputCheck, RefusesOverlongFormsSurrogatesAndCodePointsPastTheLast) {
  for (const char* bytes : {"\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf",
                            "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
                            "\xf6\x8c\x97\xa0", "\xf8\x88\x80\x80\x80", "\xff", "\x80", "\xe2\x82"}) {
    std::string errors = ErrorsWithComment(bytes);
    EXPECT_NE(errors.find("test.cr:2:4: error: this file is not UTF-8 text"), std::string::npos)
        << "bytes " << testing::PrintToString(std::string(bytes)) << ": " << errors;
  }
}

}  // namespace
}  // namespace racecheck::frontend
