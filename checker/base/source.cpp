#include "checker/base/source.h"

namespace racecheck::base {

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::string_view SourceFile::Line(int line) const {
  if (line < 1 || line > line_count()) return {};
  size_t begin = line_starts_[line - 1];
  size_t end = line < line_count() ? line_starts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8 as RFC 3629
// defines it: no overlong forms, surrogates or code points past U+10FFFF. ANTLR's decoder throws
// on the first and the last (found by the fuzzer: an abort on `// \xf6\x8c\x97\xa0`).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  size_t length = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >> 4) == 0xE ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if (!IsUtf8Continuation(text[i + k])) return 0;
  }
  // The lead bytes that allow only part of the continuation range as their second byte.
  unsigned char second = length > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
  if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) || (c == 0xF0 && second < 0x90) ||
      (c == 0xF4 && second > 0x8F)) {
    return 0;
  }
  return length;
}

int CodePointCount(std::string_view text) {
  int count = 0;
  for (char byte : text) count += IsUtf8Continuation(byte) ? 0 : 1;
  return count;
}

size_t ByteOffsetOfColumn(std::string_view line, int column) {
  size_t i = 0;
  for (int c = 1; c < column && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && IsUtf8Continuation(line[i])) ++i;
  }
  return i;
}

}  // namespace racecheck::base
