// The command line's values that CLI11 cannot check for us: limits (no negative, NaN or
// overflowing value may pass as "no limit") and the list of model files a folder stands for.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace racecheck::driver {

// A whole number of states; "0" means no limit. False (with error) for anything else.
bool ParseCount(const std::string& option, const std::string& text, uint64_t& out, std::string& error);
// Seconds: a finite number >= 0; 0 means no limit.
bool ParseSeconds(const std::string& option, const std::string& text, double& out, std::string& error);
// A size in bytes with an optional unit: 512M, 4G, 100MiB, 2048 (bytes), 1.5G.
bool ParseSize(const std::string& option, const std::string& text, uint64_t& out, std::string& error);

// Files as given; a folder stands for the .cr files below it, in name order. Entries that
// cannot be looked at (a symbolic link loop, a permission) are skipped with a note in `notes`,
// and the rest are still checked.
bool ExpandInputs(const std::vector<std::string>& inputs, std::vector<std::string>& files, std::string& notes,
                  std::string& error);

}  // namespace racecheck::driver
