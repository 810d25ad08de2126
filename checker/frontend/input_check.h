// Checks on the raw text before ANTLR sees it: size, binary content, UTF-8.
#pragma once

#include "checker/base/diagnostics.h"
#include "checker/base/source.h"

namespace racecheck::frontend {

// Reports a file that is too large, not text, or not UTF-8; returns false then.
bool CheckInputText(const base::SourceFile& file, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
