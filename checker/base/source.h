// Source files and positions: what every diagnostic and every trace step points at.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace racecheck::base {

// Length of the UTF-8 sequence starting at text[i], or 0 when none starts there as RFC 3629
// defines UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
size_t Utf8SequenceLength(std::string_view text, size_t i);

// True for a byte that continues a UTF-8 sequence (10xxxxxx) rather than starting a character.
inline bool IsUtf8Continuation(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

// The number of code points in UTF-8 text: the columns it takes in a SourceLocation.
int CodePointCount(std::string_view text);

// The byte offset of a 1-based code-point column in a line (the line's size past its end).
size_t ByteOffsetOfColumn(std::string_view line, int column);

// A 1-based line and column (columns count code points, as a user's editor does).
struct SourceLocation {
  int line = 0;
  int column = 0;
};

struct SourceRange {
  SourceLocation begin;
  SourceLocation end;
};

// The text of one model file, with its lines indexed for quoting.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // The text of a 1-based line without its line break; empty when out of range.
  std::string_view Line(int line) const;
  // The byte offset where a 1-based line starts (lines count '\n' as ANTLR's tokens do).
  size_t LineStart(int line) const { return line_starts_.at(line - 1); }
  int line_count() const { return static_cast<int>(line_starts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

}  // namespace racecheck::base
