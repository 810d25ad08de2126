// The machine-readable report of a run, schema_version 2: one object for every run (one model
// or many), keys in a fixed order, documented in docs/json-schema.md and described by
// docs/racecheck-report.schema.json. A change of meaning or a removed key bumps the version.
#pragma once

#include <string>

#include "checker/result/run.h"

namespace racecheck::report {

inline constexpr int kJsonSchemaVersion = 2;

// Pretty-printed (two-space indent) and ending in a newline. Malformed UTF-8 in model text
// becomes U+FFFD rather than an error.
std::string RenderJson(const result::Run& run);

}  // namespace racecheck::report
