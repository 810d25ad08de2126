// The racecheck command line: parses arguments, runs the pipeline, returns the exit code.
#pragma once

namespace racecheck::driver {

int RunCli(int argc, char** argv);

}  // namespace racecheck::driver
