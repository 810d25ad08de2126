#include "checker/base/diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>

namespace racecheck::base {
namespace {

// Width in columns of the text before a 1-based code-point column; tabs kept as tabs
// so the caret lines up under the quoted line in any terminal.
std::string CaretPadding(std::string_view line, int column) {
  std::string pad;
  int code_point = 1;
  for (size_t i = 0; i < line.size() && code_point < column; ++i) {
    if (IsUtf8Continuation(line[i])) continue;
    pad += line[i] == '\t' ? '\t' : ' ';
    ++code_point;
  }
  return pad;
}

// Long lines are quoted as a window around the column, so the caret stays on screen.
constexpr size_t kMaxQuotedBytes = 100;
constexpr size_t kContextBytes = 40;

struct Quote {
  std::string text;
  std::string caret_padding;
};

// A control byte or a byte that starts no UTF-8 character is quoted as '?' (one column, as
// the input check counts it), so a quote never garbles the terminal.
std::string Printable(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size();) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    size_t length = Utf8SequenceLength(line, i);
    if (length == 0 || (c < 0x20 && c != '\t') || c == 0x7f) {
      out += '?';
      i += 1;
    } else {
      out.append(line.substr(i, length));
      i += length;
    }
  }
  return out;
}

Quote QuoteLine(std::string_view raw_line, int column) {
  std::string printable = Printable(raw_line);
  std::string_view line = printable;
  if (line.size() <= kMaxQuotedBytes) return {std::string(line), CaretPadding(line, column)};
  // Work in bytes of ASCII-ish text; a cut inside a UTF-8 sequence only affects the ellipsis.
  size_t at = std::min(line.size(), static_cast<size_t>(std::max(column - 1, 0)));
  size_t begin = at > kContextBytes ? at - kContextBytes : 0;
  size_t end = std::min(line.size(), at + kContextBytes);
  std::string_view window = line.substr(begin, end - begin);
  std::string prefix = begin > 0 ? "..." : "";
  std::string text = prefix + std::string(window) + (end < line.size() ? "..." : "");
  return {text, std::string(prefix.size(), ' ') + CaretPadding(window, static_cast<int>(at - begin) + 1)};
}

}  // namespace

void DiagnosticEngine::Error(SourceLocation at, std::string message) {
  if (Reported(Severity::kError, at, message)) return;
  diagnostics_.push_back({Severity::kError, at, std::move(message)});
  ++error_count_;
}

// A fn's body is checked in each call's copy, so the same mistake would be found once per call.
bool DiagnosticEngine::Reported(Severity severity, SourceLocation at, const std::string& message) const {
  return std::any_of(diagnostics_.begin(), diagnostics_.end(), [&](const Diagnostic& d) {
    return d.severity == severity && d.location.line == at.line && d.location.column == at.column &&
           d.message == message;
  });
}

void DiagnosticEngine::Note(SourceLocation at, std::string message) {
  diagnostics_.push_back({Severity::kNote, at, std::move(message)});
}

void DiagnosticEngine::Warning(SourceLocation at, std::string message) {
  if (Reported(Severity::kWarning, at, message)) return;
  diagnostics_.push_back({Severity::kWarning, at, std::move(message)});
}

void DiagnosticEngine::FileError(std::string message) { Error({0, 0}, std::move(message)); }

std::string DiagnosticEngine::Render() const {
  std::vector<Diagnostic> sorted = diagnostics_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.location.line != b.location.line) return a.location.line < b.location.line;
    return a.location.column < b.location.column;
  });
  std::string out;
  for (const Diagnostic& d : sorted) {
    const char* word = d.severity == Severity::kError     ? "error"
                       : d.severity == Severity::kWarning ? "warning"
                                                          : "note";
    if (d.location.line == 0) {
      out += fmt::format("{}: {}: {}\n", file_->path(), word, d.message);
      continue;
    }
    out += fmt::format("{}:{}:{}: {}: {}\n", file_->path(), d.location.line, d.location.column, word, d.message);
    Quote quote = QuoteLine(file_->Line(d.location.line), d.location.column);
    out += fmt::format("{:>5} | {}\n", d.location.line, quote.text);
    out += fmt::format("      | {}^\n", quote.caret_padding);
  }
  if (error_count_ > 0) {
    out += fmt::format("{} error{} in {}\n", error_count_, error_count_ == 1 ? "" : "s", file_->path());
  }
  return out;
}

void InstallTerminateHandler() {
  std::set_terminate([] {
    std::string what = "std::terminate without an exception";
    if (std::exception_ptr e = std::current_exception()) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        what = fmt::format("an exception nothing caught: {}", ex.what());
      } catch (...) {
        what = "an exception nothing caught, of a type that is not std::exception";
      }
    }
    std::fprintf(stderr, "racecheck: internal error: %s\nThis is a bug in racecheck, not in your model.\n", what.c_str());
    std::abort();
  });
}

void InternalError(const char* file, int line, const std::string& what) {
  std::fprintf(stderr, "racecheck: internal error at %s:%d: %s\nThis is a bug in racecheck, not in your model.\n",
               file, line, what.c_str());
  std::abort();
}

}  // namespace racecheck::base
