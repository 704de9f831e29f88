// Timing-only chip (`run.mode: timing`): the topology mapped onto RPU tiles (layers split
// over several tiles, conv arrays optionally replicated), one NLF unit per layer group, the
// off-chip I/O port and the on-chip interconnect, driven by the PipelineSequencer. The
// tiles hold no arrays and the payloads no data, so networks of about 10^9 weights fit in
// memory. The blocks are the functional model's own (RpuTile, NlfUnit, IoPort, Bus), with
// their timing and energy figures; activity factors stand in for the data.
//
// Address map (timing_map in models/common/address_map.hpp): tiles from 0x1'0000'0000 and
// NLF units from 0x2'0000'0000, each with a 1 MiB region, so 4,096 of each fit. The I/O port
// sits at 0x3000'0000, as in functional runs. Only the tiles the mapping uses and the NLF
// units the layers use are built, and only they count towards area and static power.
#pragma once

#include <cstdint>
#include <memory>

#include <nlohmann/json.hpp>
#include <systemc>

#include "models/chip/chip.hpp"
#include "models/chip/io_port.hpp"
#include "models/common/address_map.hpp"
#include "models/common/config.hpp"
#include "models/common/energy_ledger.hpp"
#include "models/nlf/nlf_unit.hpp"
#include "models/noc/bus.hpp"
#include "models/noc/mesh.hpp"
#include "models/noc/mesh_placement.hpp"
#include "models/tile/rpu_tile.hpp"
#include "models/timing/activity.hpp"
#include "models/timing/mapping.hpp"
#include "models/timing/pipeline_sequencer.hpp"
#include "models/workload/dataset.hpp"
#include "models/workload/topology.hpp"

namespace rpusim {

// Returns the mapping parameters of `config` (tile size, tile count, replication).
MappingParams mapping_params(const Config& config);

class TimingChip : public sc_core::sc_module {
 public:
  TimingChip(const sc_core::sc_module_name& name, const Config& config,
             const Topology& topology, const TargetConnector& connect = {});

  nlohmann::json report(double wall_time_s) const;

  const PipelineSequencer& sequencer() const { return *m_sequencer; }
  const ChipMapping& mapping() const { return m_mapping; }
  const RpuTile& tile(std::size_t index) const { return tiles[index]; }
  std::size_t tile_count() const { return tiles.size(); }
  const EnergyLedger& ledger() const { return m_ledger; }
  // Training operations of one sample: 2 x weights x reuses for the forward read, the
  // backward read (not on the first weighted layer) and the update of every weighted layer.
  double training_ops_per_sample() const;

  // Adds every block's busy flags to `recorder` (rpusim run --trace). Call at elaboration.
  void trace(TraceRecorder& recorder);

 private:
  TimingSettings make_settings(const Config& config) const;
  void build_interconnect(const Config& config, const TargetConnector& connect);
  double interconnect_static_power_w() const;
  double interconnect_area_um2() const;
  std::uint64_t interconnect_bits() const;
  sc_core::sc_time interconnect_busy_time() const;  // the bus, or the busiest mesh link

  const Config& m_config;
  const Topology& m_topology;
  ChipMapping m_mapping;
  ActivityFactors m_activity;
  EnergyLedger m_ledger;
  DatasetSplit m_no_data;
  std::unique_ptr<PipelineSequencer> m_sequencer;
  sc_core::sc_vector<RpuTile> tiles;
  sc_core::sc_vector<NlfUnit> nlf_units;
  IoPort io_port;
  // Exactly one of the two exists (chip.interconnect).
  std::unique_ptr<Bus> m_bus;
  std::unique_ptr<Mesh> m_mesh;
  BlockNodes m_nodes;  // mesh placement; empty on the bus
};

}  // namespace rpusim
