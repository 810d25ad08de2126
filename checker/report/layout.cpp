#include "checker/report/layout.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/base/source.h"

namespace racecheck::report {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string Styled(std::string_view text, std::string_view style, bool color) {
  if (!color || style.empty() || text.empty()) return std::string(text);
  return fmt::format("{}{}{}", style, text, kReset);
}

int DisplayWidth(std::string_view text) {
  int width = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // A continuation byte right after a lead byte belongs to its code point; a stray one
    // (malformed input) counts on its own.
    if (i > 0 && base::IsUtf8Continuation(text[i]) &&
        (static_cast<unsigned char>(text[i - 1]) >= 0xC0 || base::IsUtf8Continuation(text[i - 1]))) {
      continue;
    }
    ++width;
  }
  return width;
}

std::string Truncate(std::string_view text, int width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width <= 0) return "";
  // Keep width - 1 code points and make room for the ellipsis.
  int kept = 0;
  size_t end = 0;
  while (end < text.size()) {
    size_t next = end + 1;
    while (next < text.size() && base::IsUtf8Continuation(text[next])) ++next;
    if (kept == width - 1) break;
    ++kept;
    end = next;
  }
  std::string result(text.substr(0, end));
  while (!result.empty() && result.back() == ' ') result.pop_back();
  return result + "…";
}

std::vector<std::string> Wrap(std::string_view text, int width, std::string_view indent) {
  std::vector<std::string> lines;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::string prefix = lines.empty() ? "" : std::string(indent);
    int room = std::max(1, width - DisplayWidth(prefix));
    if (DisplayWidth(rest) <= room) {
      lines.push_back(prefix + std::string(rest));
      break;
    }
    // The byte offset just past `room` code points, and the last space before it.
    size_t end = 0;
    for (int kept = 0; end < rest.size() && kept < room; ++kept) {
      ++end;
      while (end < rest.size() && base::IsUtf8Continuation(rest[end])) ++end;
    }
    size_t space = rest.substr(0, end + 1).rfind(' ');
    size_t cut = space != std::string_view::npos && space > 0 ? space : end;
    std::string_view line = rest.substr(0, cut);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    lines.push_back(prefix + std::string(line));
    rest = rest.substr(cut);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  }
  if (lines.empty()) lines.push_back("");
  return lines;
}

std::string OneLine(std::string_view text) {
  // Characters after which a line break continues the statement, and before which it does.
  constexpr std::string_view kContinuesAfter = "{([,;+-*/%=<>&|!";
  constexpr std::string_view kContinuesBefore = "})],;.+-*/%=<>&|";
  std::string result;
  bool pending_space = false;
  bool pending_break = false;
  // Appends the next visible character, first settling the whitespace before it.
  auto emit = [&](char c) {
    if (pending_break && kContinuesAfter.find(result.back()) == std::string_view::npos &&
        kContinuesBefore.find(c) == std::string_view::npos) {
      result += ';';
    }
    if (pending_space) result += ' ';
    pending_space = false;
    pending_break = false;
    result += c;
  };
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (IsSpace(c)) {
      pending_space = !result.empty();
      pending_break = pending_space && (pending_break || c == '\n');
      ++i;
    } else if (text.substr(i, 2) == "//") {
      // A comment reads as the whitespace it stands in; the line break after it stays.
      while (i < text.size() && text[i] != '\n') ++i;
      pending_space = !result.empty();
    } else if (text.substr(i, 2) == "/*") {
      size_t close = text.find("*/", i + 2);
      size_t stop = close == std::string_view::npos ? text.size() : close + 2;
      pending_space = !result.empty();
      pending_break = pending_space && (pending_break || text.substr(i, stop - i).find('\n') != std::string_view::npos);
      i = stop;
    } else if (c == '"') {
      // String literals are copied as written, spaces and escapes included.
      emit(c);
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i) {
        result += text[i];
        if (text[i] == '\\' && i + 1 < text.size()) result += text[++i];
      }
      if (i < text.size() && text[i] == '"') result += text[i++];
    } else {
      emit(c);
      ++i;
    }
  }
  return result;
}

std::string FormatSeconds(double seconds) {
  if (seconds > 0 && seconds < 0.005) return "< 0.01 s";
  if (seconds < 10) return fmt::format("{:.2f} s", seconds);
  if (seconds < 100) return fmt::format("{:.1f} s", seconds);
  return fmt::format("{:.0f} s", seconds);
}

std::string FormatBytes(uint64_t bytes) {
  constexpr double kKiB = 1024.0;
  constexpr double kMiB = kKiB * 1024;
  constexpr double kGiB = kMiB * 1024;
  const auto value = static_cast<double>(bytes);
  if (value < kMiB) return fmt::format("{:.0f} KiB", std::max(1.0, value / kKiB));
  if (value < kGiB) return fmt::format("{:.1f} MiB", value / kMiB);
  return fmt::format("{:.2f} GiB", value / kGiB);
}

std::string Plural(uint64_t count, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", count, count == 1 ? singular : plural);
}

TextTable::TextTable(std::vector<Align> aligns, std::string indent)
    : aligns_(std::move(aligns)), indent_(std::move(indent)) {}

void TextTable::AddRow(std::vector<Cell> cells) {
  cells.resize(aligns_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::Render(bool color) const {
  std::vector<int> widths(aligns_.size(), 0);
  for (const auto& row : rows_) {
    for (size_t column = 0; column < row.size(); ++column) {
      widths[column] = std::max(widths[column], DisplayWidth(row[column].text));
    }
  }
  // A column that is empty in every row takes no room at all, separator included.
  std::string out;
  for (const auto& row : rows_) {
    std::string line = indent_;
    bool first = true;
    for (size_t column = 0; column < row.size(); ++column) {
      if (widths[column] == 0) continue;
      if (!first) line += "  ";
      first = false;
      const Cell& cell = row[column];
      std::string padding(static_cast<size_t>(widths[column] - DisplayWidth(cell.text)), ' ');
      std::string text = Styled(cell.text, cell.style, color);
      line += aligns_[column] == Align::kRight ? padding + text : text + padding;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace racecheck::report
