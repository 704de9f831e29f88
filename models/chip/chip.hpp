// RPU chip top level: RPU tiles, NLF units, the off-chip I/O port and the interconnect (the
// shared bus or a 2D mesh, chip.interconnect), with the training sequencer as the one
// initiator. Elaboration maps layer l onto tile l,
// programs its initial weights and builds the address map (docs/address-map.md). After
// sc_start returns, report() turns the ledger, the activity counters and the sequencer's
// statistics into the run report (schema rpusim-report/1).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>
#include <systemc>

#include "models/chip/io_port.hpp"
#include "models/chip/sequencer.hpp"
#include "models/common/address_map.hpp"
#include "models/common/config.hpp"
#include "models/common/energy_ledger.hpp"
#include "models/nlf/nlf_unit.hpp"
#include "models/noc/bus.hpp"
#include "models/noc/mesh.hpp"
#include "models/tile/rpu_tile.hpp"
#include "models/workload/dataset.hpp"

namespace rpusim {

// Connects one target socket of the chip to the initiator that will bind to it: returns the
// socket the initiator should bind, either `target` itself or the target socket of a module
// placed in between (a protocol checker, a monitor). `region_size` is the size of the
// address range the target decodes (0 for the interconnect).
using TargetConnector = std::function<tlm::tlm_target_socket<>&(
    tlm::tlm_target_socket<>& target, const std::string& name, std::uint64_t region_size)>;

class Chip : public sc_core::sc_module {
 public:
  // Builds the chip; `connect`, if given, is called for every initiator-to-target binding.
  Chip(const sc_core::sc_module_name& name, const Config& config, const DatasetSplit& data,
       const TargetConnector& connect = {});

  // Builds the report after sc_start has returned. `wall_time_s` is the run's wall time.
  nlohmann::json report(double wall_time_s) const;

  const Sequencer& sequencer() const { return *m_sequencer; }
  const RpuTile& tile(std::size_t index) const { return tiles[index]; }
  std::size_t tile_count() const { return tiles.size(); }
  const EnergyLedger& ledger() const { return m_ledger; }
  // Activity factors measured over every tile's reads and updates so far, for timing runs.
  ActivityFactors measured_activity() const;

  // Adds every block's busy flags to `recorder` (rpusim run --trace). Call at elaboration.
  void trace(TraceRecorder& recorder);

 private:
  SequencerSettings make_settings(const Config& config, const DatasetSplit& data) const;
  void program_weights(const Config& config);

  // Interconnect (chip_interconnect.cpp): builds the bus or the mesh, binds the sequencer
  // and every block to it, maps their regions and places them on the mesh.
  void build_interconnect(const Config& config, const TargetConnector& connect);
  double interconnect_static_power_w() const;
  double interconnect_area_um2() const;
  std::uint64_t interconnect_bits() const;
  // Busy share of the bus, or of the mesh's busiest link, over `simulated_s`.
  double interconnect_utilization(double simulated_s) const;
  nlohmann::json interconnect_report(double simulated_s) const;

  const Config& m_config;
  EnergyLedger m_ledger;
  std::unique_ptr<Sequencer> m_sequencer;
  std::unique_ptr<Bus> m_bus;  // exactly one of m_bus and m_mesh exists
  std::unique_ptr<Mesh> m_mesh;
  sc_core::sc_vector<RpuTile> tiles;
  sc_core::sc_vector<NlfUnit> nlf_units;
  IoPort io_port;
};

}  // namespace rpusim
