// A whole run over the files on the command line: per file, its reports (one per engine that
// ran), or the errors that kept it from being checked. Every reporter that describes a run
// (JSON, JUnit, SARIF, GitHub annotations, the summary table) renders this.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/result/report.h"

namespace racecheck::result {

// A user-facing message about a model file. line and column are 1-based; 0 when the message
// is about the file as a whole (it cannot be read, an engine refuses it).
struct Diagnostic {
  std::string severity;  // "error", "warning" or "note"
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
};

// One property the model declares, as reports name it: an invariant, final or cover by its
// name, an assert as "assert at line N", deadlock freedom as "deadlock".
struct PropertyInfo {
  std::string name;
  std::string kind;  // "invariant", "final", "cover", "assert", "deadlock" (ViolationKindWord's words)
  int line = 0;      // where it is declared; 0 for deadlock freedom
};

enum class FileStatus {
  kChecked,     // reports holds one report per engine that ran
  kModelError,  // the model did not compile (or no engine could take it): diagnostics say why
  kNotChecked,  // a Ctrl-C ended the run before this file was started
};

struct FileResult {
  std::string file;  // as given on the command line or found in a folder
  FileStatus status = FileStatus::kChecked;
  std::vector<Report> reports;             // explicit engine first when both ran
  std::vector<PropertyInfo> properties;    // in declaration order, deadlock freedom last
  std::vector<Diagnostic> diagnostics;     // errors (kModelError), else warnings and notes
  // --engine both, when both verdicts are conclusive: whether they agree, and the line saying so.
  std::optional<bool> engines_agree;
  std::string comparison;
};

struct Run {
  std::vector<FileResult> files;  // in the order they were checked
  bool stable = false;            // --stable: no times, memory or version in any output
  std::string version;            // racecheck's version, for formats that name their tool
};

}  // namespace racecheck::result
