#include "tb/timing_mapping_check.hpp"

#include "models/common/error.hpp"
#include "models/timing/mapping.hpp"
#include "models/timing/timing_chip.hpp"

namespace rpusim {

void check_timing_mapping(const Config& config) {
  if (config.get_string("run.mode") != "timing") return;
  try {
    map_topology(config.topology(), mapping_params(config));
  } catch (const ConfigError& error) {
    // map_topology's message starts with "chip.tiles = N" but lacks the origin of N.
    throw ConfigError(config.origin("chip.tiles") + ": " + error.what());
  }
}

}  // namespace rpusim
