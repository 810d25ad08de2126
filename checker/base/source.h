// Source files and positions: what every diagnostic and every trace step points at.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace racecheck::base {

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
  int line_count() const { return static_cast<int>(line_starts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

}  // namespace racecheck::base
