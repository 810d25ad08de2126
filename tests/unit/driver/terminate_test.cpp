// An exception that escapes everything (the CI fuzzer once met ANTLR's range_error on text that
// was not ASCII) ends racecheck as an internal error that names it, not as a bare "terminate
// called" from the C++ runtime.
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "checker/base/diagnostics.h"

namespace {

TEST(TerminateHandler, NamesTheExceptionNothingCaught) {
  EXPECT_DEATH(
      {
        racecheck::base::InstallTerminateHandler();
        // An exception leaving a thread's function calls std::terminate, as one leaving main would.
        std::thread([] { throw std::range_error("wstring_convert::from_bytes"); }).join();
      },
      "racecheck: internal error: an exception nothing caught: wstring_convert::from_bytes\n"
      "This is a bug in racecheck, not in your model.");
}

TEST(TerminateHandler, AnExceptionOfAnotherType) {
  EXPECT_DEATH(
      {
        racecheck::base::InstallTerminateHandler();
        std::thread([] { throw 42; }).join();
      },
      "internal error: an exception nothing caught, of a type that is not std::exception");
}

}  // namespace
