#include "checker/report/github.h"

#include <fmt/format.h>

#include "checker/report/findings.h"
#include "checker/report/summary.h"

namespace racecheck::report {
namespace {

// Workflow commands end at a line break and split properties at ',' and the message at "::".
std::string Escape(const std::string& text, bool property) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string RenderGithub(const result::Run& run) {
  std::string out;
  for (const auto& finding : CollectFindings(run)) {
    const char* command = finding.level == FindingLevel::kError     ? "error"
                          : finding.level == FindingLevel::kWarning ? "warning"
                                                                    : "notice";
    std::string properties = "file=" + Escape(finding.file, true);
    if (finding.line > 0) properties += fmt::format(",line={}", finding.line);
    if (finding.line > 0 && finding.column > 0) properties += fmt::format(",col={}", finding.column);
    properties += ",title=" + Escape("racecheck: " + finding.title, true);
    std::string message = finding.message + (finding.details.empty() ? "" : "\n" + finding.details);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    out += fmt::format("::{} {}::{}\n", command, properties, Escape(message, false));
  }
  out += "racecheck: " + ClosingLine(run, 0) + "\n";
  return out;
}

}  // namespace racecheck::report
