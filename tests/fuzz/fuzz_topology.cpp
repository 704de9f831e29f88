// libFuzzer target: read_topology_file on a network file made of the input, in the format
// that RPUSIM_FUZZ_FORMAT names (NeuroSim, SCALE-Sim or auto detection). Invalid input
// must end in InputError, never in a crash, a leak, a hang or another exception.
#include <cstddef>
#include <cstdint>

#include "models/common/error.hpp"
#include "models/workload/topology_io.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path path = rpusim::fuzz::scratch_path("network.csv");
  rpusim::fuzz::write_input(path, data, size);
  try {
    const rpusim::Topology topology =
        rpusim::read_topology_file(path.string(), rpusim::TopologyFormat::RPUSIM_FUZZ_FORMAT);
    for (const rpusim::TopologyLayer& layer : topology.layers) (void)layer.weights();
  } catch (const rpusim::InputError&) {
  }
  return 0;
}
