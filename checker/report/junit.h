// The JUnit XML report CI dashboards read (Jenkins, GitLab, Azure, CircleCI): one test suite
// per run, one test case per model and property. Pure function of result::Run.
#pragma once

#include <string>

#include "checker/result/run.h"

namespace racecheck::report {

// Test cases have classname "models.withdraw" (the file's path without ".cr", '/' as '.') and
// the property's name; a violated property is a <failure> holding its trace as text, unless the
// model's `expect` line was met (then it passes and the trace is its <system-out>). A model
// error is one test case "model" with an <error>; a search that did not finish skips the
// properties it did not find violated. With a declared expectation, one more test case
// "expect ..." says whether it was met; under --engine both each engine's cases are suffixed
// " [explicit]" and " [z3]", and a case "engines agree" compares them.
std::string RenderJunit(const result::Run& run);

}  // namespace racecheck::report
