// Plain-text layout shared by the text and summary reporters: widths in code points,
// one-line statements, truncation with "…", aligned tables and ANSI styles.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace racecheck::report {

// ANSI styles; written only when a reporter was asked for colour.
inline constexpr std::string_view kRed = "\x1b[1;31m";
inline constexpr std::string_view kGreen = "\x1b[1;32m";
inline constexpr std::string_view kYellow = "\x1b[1;33m";
inline constexpr std::string_view kDim = "\x1b[2m";
inline constexpr std::string_view kReset = "\x1b[0m";

// `text` wrapped in `style` when `color` is set and both are non-empty; `text` otherwise.
std::string Styled(std::string_view text, std::string_view style, bool color);

// Width in code points (what a terminal shows for our ASCII, arrows and ellipses).
// Bytes of malformed UTF-8 count one column each, so a width is never negative.
int DisplayWidth(std::string_view text);

// At most `width` code points: the longest prefix that fits followed by "…".
std::string Truncate(std::string_view text, int width);

// `text` in lines of at most `width` code points, broken at spaces where it can be (a word
// longer than a line is cut); lines after the first start with `indent`, counted in the width.
std::vector<std::string> Wrap(std::string_view text, int width, std::string_view indent = "  ");

// A statement's source text on one line: every run of whitespace becomes one space, none at
// either end. A line break that ends one statement and starts another (neither side an
// operator, bracket or separator) becomes "; ", so `atomic {` blocks stay readable.
std::string OneLine(std::string_view text);

// "0.01 s", "12.3 s", "153 s"; "< 0.01 s" for positive times too small to show.
std::string FormatSeconds(double seconds);
// "512 KiB", "12.3 MiB", "1.25 GiB".
std::string FormatBytes(uint64_t bytes);
// "1 state", "47 states".
std::string Plural(uint64_t count, std::string_view singular, std::string_view plural);

enum class Align { kLeft, kRight };

struct Cell {
  std::string text;
  std::string_view style = {};  // one of the k* styles above, or empty
};

// Rows of cells aligned in columns two spaces apart, each line indented and without trailing
// blanks. Widths count code points and ignore styles, so colour never shifts a column.
class TextTable {
 public:
  TextTable(std::vector<Align> aligns, std::string indent);

  void AddRow(std::vector<Cell> cells);
  // Every row as one line ending in '\n'.
  std::string Render(bool color) const;

 private:
  std::vector<Align> aligns_;
  std::string indent_;
  std::vector<std::vector<Cell>> rows_;
};

}  // namespace racecheck::report
