// Turns ANTLR's syntax errors into plain-words diagnostics; no raw ANTLR text reaches users.
#pragma once

#include <BaseErrorListener.h>
#include <Parser.h>

#include "checker/base/diagnostics.h"

namespace racecheck::frontend {

class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  explicit SyntaxErrorListener(base::DiagnosticEngine& diags) : diags_(diags) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line, size_t column,
                   const std::string& antlr_message, std::exception_ptr error) override;

  bool saw_error() const { return errors_ > 0; }
  // The line of the first syntax error (0 when there was none).
  size_t first_error_line() const { return first_line_; }

 private:
  base::DiagnosticEngine& diags_;
  int errors_ = 0;
  size_t last_line_ = 0;
  size_t first_line_ = 0;
};

}  // namespace racecheck::frontend
