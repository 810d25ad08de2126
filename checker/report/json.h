// The machine-readable report, schema_version 1: keys in a fixed order, documented in
// docs/json-schema.md. A change of meaning or a removed key bumps the schema version.
#pragma once

#include <string>

#include "checker/result/report.h"

namespace racecheck::report {

inline constexpr int kJsonSchemaVersion = 1;

// Pretty-printed (two-space indent) and ending in a newline. Malformed UTF-8 in model text
// becomes U+FFFD rather than an error.
std::string RenderJson(const result::Report& report);

}  // namespace racecheck::report
