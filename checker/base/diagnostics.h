// User-facing diagnostics: collected during a phase, sorted by position, rendered once
// as `file:line:col: error: message`, the quoted line and a caret under the place.
#pragma once

#include <string>
#include <vector>

#include "checker/base/source.h"

namespace racecheck::base {

enum class Severity { kError, kWarning, kNote };

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation location;
  std::string message;
};

class DiagnosticEngine {
 public:
  explicit DiagnosticEngine(const SourceFile& file) : file_(&file) {}

  void Error(SourceLocation at, std::string message);
  void Note(SourceLocation at, std::string message);
  // Something legal the user probably did not mean; it does not stop the run or change its exit code.
  void Warning(SourceLocation at, std::string message);
  // An error about the file as a whole (empty, not text, too large): no line to quote.
  void FileError(std::string message);

  bool has_errors() const { return error_count_ > 0; }
  int error_count() const { return error_count_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

  // All diagnostics sorted by position (stable for equal positions).
  std::string Render() const;

 private:
  // Whether this very diagnostic is already there; it is then not repeated.
  bool Reported(Severity severity, SourceLocation at, const std::string& message) const;

  const SourceFile* file_;
  std::vector<Diagnostic> diagnostics_;
  int error_count_ = 0;
};

// Checks one of racecheck's own invariants; a failure is our bug, never the user's.
[[noreturn]] void InternalError(const char* file, int line, const std::string& what);
#define RACECHECK_CHECK(cond, what) \
  do { if (!(cond)) ::racecheck::base::InternalError(__FILE__, __LINE__, (what)); } while (0)

// An exception nothing caught (a library's, or racecheck's own) ends the program as an internal
// error does, saying what it was, instead of the runtime's bare "terminate called".
void InstallTerminateHandler();

}  // namespace racecheck::base
