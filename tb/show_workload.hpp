// `rpusim show-workload`: prints a network's layers as the tile mapper reads them (shapes,
// weight matrix, reuses, weights, forward MACs) without simulating anything.
#pragma once

#include <string>

#include "models/workload/topology.hpp"

namespace rpusim {

// Returns a table of `topology` with one row per layer and a line of totals.
std::string format_topology_table(const Topology& topology);

}  // namespace rpusim
