// Error types that cross module boundaries. Library code throws these; only sc_main
// (tb/rpusim_main.cpp) turns them into exit codes, listed in docs/user-guide.md.
#pragma once

#include <stdexcept>
#include <string>

namespace rpusim {

// Invalid configuration: unknown key, wrong type, out-of-range or contradictory value.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Invalid or unreadable input file other than the configuration: data sets, network files.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Process exit codes of the rpusim command.
enum ExitCode : int {
  kExitOk = 0,
  kExitRunFailed = 1,    // internal or simulation error
  kExitUsage = 2,        // invalid command line
  kExitConfig = 3,       // invalid configuration
  kExitInput = 4,        // invalid or missing input file (data set, network)
};

}  // namespace rpusim
