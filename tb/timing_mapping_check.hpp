// The tile-count check of a timing-only run, made before anything is elaborated. Both
// `rpusim run` and the resolve step of `rpusim sweep` call it, so a network that needs more
// tiles than chip.tiles gives fails with the same one-line message in both.
#pragma once

#include "models/common/config.hpp"

namespace rpusim {

// Maps the network of a `run.mode: timing` configuration onto its tiles as TimingChip
// does. Throws ConfigError, led by where chip.tiles was set, if the mapping needs more
// tiles. Does nothing for functional configurations, which Config checks itself.
void check_timing_mapping(const Config& config);

}  // namespace rpusim
