#include "checker/frontend/input_check.h"

#include <fmt/format.h>

#include "checker/frontend/parse.h"

namespace racecheck::frontend {
namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8 as RFC 3629
// defines it: no overlong forms, surrogates or code points past U+10FFFF. ANTLR's decoder throws
// on the first and the last (found by the fuzzer: an abort on `// \xf6\x8c\x97\xa0`).
size_t Utf8SequenceLength(const std::string& text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  size_t length = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >> 4) == 0xE ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  }
  // The lead bytes that allow only part of the continuation range as their second byte.
  unsigned char second = length > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
  if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) || (c == 0xF0 && second < 0x90) ||
      (c == 0xF4 && second > 0x8F)) {
    return 0;
  }
  return length;
}

}  // namespace

bool CheckInputText(const base::SourceFile& file, base::DiagnosticEngine& diags) {
  const std::string& text = file.text();
  if (text.size() > kMaxModelBytes) {
    diags.FileError(fmt::format("the file is {} bytes; racecheck reads models of at most {} bytes "
                                "(is this really a .cr model?)", text.size(), kMaxModelBytes));
    return false;
  }
  int line = 1, column = 1;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
      diags.FileError(fmt::format("this file is not text: line {}, column {} holds the control byte 0x{:02x} "
                                  "(a .cr model is plain UTF-8 text)", line, column, c));
      return false;
    }
    size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      diags.FileError(fmt::format("this file is not UTF-8 text: at line {}, column {} the byte 0x{:02x} starts "
                                  "no character", line, column, c));
      return false;
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return true;
}

}  // namespace racecheck::frontend
