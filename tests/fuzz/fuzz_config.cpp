// libFuzzer target: Config::load on a YAML configuration file made of the input. Invalid
// input must end in ConfigError or InputError (a network file named by workload.topology),
// never in a crash, a leak, a hang or another exception.
#include <cstddef>
#include <cstdint>

#include "models/common/config.hpp"
#include "models/common/error.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path path = rpusim::fuzz::scratch_path("config.yaml");
  rpusim::fuzz::write_input(path, data, size);
  try {
    const rpusim::Config config = rpusim::Config::load(path.string());
    (void)config.to_yaml();
  } catch (const rpusim::ConfigError&) {
  } catch (const rpusim::InputError&) {
  }
  return 0;
}
