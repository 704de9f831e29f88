#include "models/timing/timing_chip.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "models/chip/block_binding.hpp"
#include "models/common/error.hpp"

namespace rpusim {

MappingParams mapping_params(const Config& config) {
  MappingParams params;
  params.tile_input_lines = static_cast<int>(config.get_int("tile.input_lines"));
  params.tile_output_lines = static_cast<int>(config.get_int("tile.output_lines"));
  params.tiles_available = static_cast<int>(config.get_int("chip.tiles"));
  params.conv_replication = static_cast<int>(config.get_int("mapping.conv_replication"));
  params.tiles_origin = config.origin("chip.tiles");
  return params;
}

namespace {

std::uint32_t activation_function(const std::string& activation) {
  if (activation == "sigmoid") return nlf_map::kSigmoid;
  if (activation == "softmax") return nlf_map::kSoftmax;
  if (activation == "relu") return nlf_map::kRelu;
  if (activation == "tanh") return nlf_map::kTanh;
  return 0;  // none
}

std::uint32_t derivative_function(const std::string& activation) {
  if (activation == "sigmoid") return nlf_map::kMultiplySigmoidDerivative;
  if (activation == "relu") return nlf_map::kReluDerivative;
  if (activation == "tanh") return nlf_map::kTanhDerivative;
  return 0;  // none, or softmax (folded into the output error)
}

// NLF units a timing run builds. Layer l uses unit l mod chip.nlf_units, so units beyond the
// layer count would do no work. Like unused tiles, they are neither built nor priced.
std::size_t nlf_units_used(const Config& config, const Topology& topology) {
  return std::min(static_cast<std::size_t>(config.get_int("chip.nlf_units")),
                  topology.layers.size());
}

// Elements the tiles of a weighted layer read per sample and direction: the columns (bias
// included) or the rows, once per reuse.
std::int64_t read_elements(const TopologyLayer& layer, bool forward) {
  std::int64_t lines = layer.matrix_rows();
  if (forward) lines = layer.matrix_columns() + (layer.bias ? 1 : 0);
  return lines * layer.reuses();
}

}  // namespace

TimingChip::TimingChip(const sc_core::sc_module_name& name, const Config& config,
                       const Topology& topology, const TargetConnector& connect)
    : sc_module(name),
      m_config(config),
      m_topology(topology),
      m_mapping(map_topology(topology, mapping_params(config))),
      m_activity(ActivityFactors::from_config(config)),
      m_ledger(static_cast<int>(topology.layers.size())),
      tiles("tile", static_cast<std::size_t>(m_mapping.tiles_used),
            [&](const char* tile_name, std::size_t) {
              return new RpuTile(tile_name, config, m_ledger,
                                 static_cast<std::uint64_t>(config.get_int("run.seed")));
            }),
      nlf_units("nlf", nlf_units_used(config, topology),
                [&](const char* unit_name, std::size_t) {
                  return new NlfUnit(unit_name, NlfParams::from_config(config), m_ledger);
                }),
      io_port("io_port", IoParams::from_config(config), m_no_data, m_ledger) {
  for (const LayerMapping& layer : m_mapping.layers) {
    for (const TileBlock& block : layer.blocks) {
      tiles[static_cast<std::size_t>(block.tile)].map_block(layer.layer, block.columns, block.rows,
                                                            m_activity);
    }
  }
  build_interconnect(config, connect);
}

void TimingChip::build_interconnect(const Config& config, const TargetConnector& connect) {
  const bool mesh = config.get_string("chip.interconnect") == "mesh";
  MeshParams mesh_params;
  if (mesh) {
    // The placement comes first: the sequencer's settings name the nodes data come from.
    const int tile_count = static_cast<int>(tiles.size());
    const int nlf_count = static_cast<int>(nlf_units.size());
    mesh_params = chip_mesh_params(config, tiles[0], tile_count, nlf_count);
    // Interleaved placement lays each layer's tiles out just before its NLF unit.
    std::vector<PlacementGroup> groups;
    for (std::size_t l = 0; l < m_mapping.layers.size(); ++l) {
      PlacementGroup group;
      for (const TileBlock& block : m_mapping.layers[l].blocks) group.tiles.push_back(block.tile);
      group.nlf_unit = static_cast<int>(l % static_cast<std::size_t>(nlf_count));
      groups.push_back(std::move(group));
    }
    m_nodes = place_blocks({mesh_params.columns, mesh_params.rows}, tile_count, nlf_count,
                           parse_mesh_placement(config.get_string("mesh.placement")), groups);
  }
  m_sequencer = std::make_unique<PipelineSequencer>("sequencer", make_settings(config));

  const BlockBases bases{timing_map::kTileBase, timing_map::kNlfBase, timing_map::kIoBase,
                         timing_map::kBlockStride};
  if (!mesh) {
    m_bus = std::make_unique<Bus>("bus", BusParams::from_config(config), m_ledger);
    bind_blocks(m_sequencer->initiator_socket, *m_bus, tiles, nlf_units, io_port, bases, connect);
    return;
  }
  m_mesh = std::make_unique<Mesh>("mesh", mesh_params, m_ledger);
  bind_blocks(m_sequencer->initiator_socket, *m_mesh, tiles, nlf_units, io_port, bases, connect);
  place_blocks_on_mesh(*m_mesh, m_nodes);
}

void TimingChip::trace(TraceRecorder& recorder) {
  for (RpuTile& tile : tiles) tile.trace(recorder);
  for (NlfUnit& unit : nlf_units) unit.trace(recorder);
  io_port.trace(recorder);
  if (m_bus) m_bus->trace(recorder);
  if (m_mesh) m_mesh->trace(recorder);
}

double TimingChip::interconnect_static_power_w() const {
  return m_mesh ? m_mesh->static_power_w() : m_bus->params().static_power_w;
}

double TimingChip::interconnect_area_um2() const {
  return m_mesh ? m_mesh->area_um2() : m_bus->params().area_um2;
}

std::uint64_t TimingChip::interconnect_bits() const {
  return m_mesh ? m_mesh->bits_transferred() : m_bus->bits_transferred();
}

sc_core::sc_time TimingChip::interconnect_busy_time() const {
  if (!m_mesh) return m_bus->busy_time();
  const MeshLink* link = m_mesh->network().busiest_link();
  return link ? sc_core::sc_time(static_cast<double>(link->busy_ps), sc_core::SC_PS)
              : sc_core::SC_ZERO_TIME;
}

TimingSettings TimingChip::make_settings(const Config& config) const {
  TimingSettings settings;
  settings.io_base = timing_map::kIoBase;
  settings.samples = static_cast<std::uint64_t>(config.get_int("timing.samples"));
  settings.pipelined = config.get_string("timing.schedule") == "pipelined";
  settings.buffer_depth = static_cast<int>(config.get_int("timing.buffer_depth"));
  settings.element_bits = static_cast<int>(config.get_int("timing.element_bits"));
  settings.quantum = sc_core::sc_time(config.get_real("run.quantum_ns"), sc_core::SC_NS);
  settings.progress = config.get_bool("run.progress");
  settings.wall_time_limit_s = config.get_real("run.timeout_s");
  settings.max_sim_time = sc_core::sc_time(config.get_real("run.max_sim_time_ns"), sc_core::SC_NS);

  const bool forward_nm = config.get_bool("management.forward.noise_management");
  const bool backward_nm = config.get_bool("management.backward.noise_management");
  const bool update_management = config.get_bool("management.update_management") ||
                                 config.get_bool("management.bl_management");
  const std::size_t nlf_count = nlf_units.size();
  const auto& layers = m_topology.layers;
  settings.input_values = layers.empty() ? 0 : layers.front().input_elements();

  bool seen_weighted = false;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const TopologyLayer& spec = layers[l];
    const LayerMapping& map = m_mapping.layers[l];
    TimedLayer layer;
    layer.name = spec.name.empty() ? "layer" + std::to_string(l) : spec.name;
    layer.weighted = spec.weighted();
    layer.first_weighted = spec.weighted() && !seen_weighted;
    seen_weighted = seen_weighted || spec.weighted();
    const std::size_t nlf_index = l % nlf_count;
    layer.nlf_base = timing_map::kNlfBase + nlf_index * timing_map::kBlockStride;
    if (!m_nodes.nlf_units.empty()) {
      // The input comes from the previous layer's NLF unit (the I/O port for the first
      // layer) and the error from the next layer's.
      const std::size_t next_nlf = (l + 1 < layers.size() ? l + 1 : l) % nlf_count;
      layer.nlf_node = m_nodes.nlf_units[nlf_index];
      layer.forward_source_node =
          l == 0 ? m_nodes.io_port : m_nodes.nlf_units[(l - 1) % nlf_count];
      layer.backward_source_node = m_nodes.nlf_units[next_nlf];
      layer.tile_node = map.blocks.empty() ? layer.forward_source_node
                                           : m_nodes.tiles[static_cast<std::size_t>(map.blocks.front().tile)];
    }
    layer.reuses_per_replica = std::max<std::int64_t>(map.reuses_per_replica, 1);
    const bool resend_x = settings.pipelined || spec.reuses() > 1;
    const bool resend_d = resend_x || layer.first_weighted;
    for (const TileBlock& block : map.blocks) {
      layer.tile_bases.push_back(timing_map::kTileBase +
                                 static_cast<std::uint64_t>(block.tile) * timing_map::kBlockStride);
      layer.block_input_elements.push_back(block.columns * layer.reuses_per_replica);
      layer.block_output_elements.push_back(block.rows * layer.reuses_per_replica);
      layer.update_elements_per_block =
          std::max(layer.update_elements_per_block,
                   ((resend_x ? block.columns : 0) + (resend_d ? block.rows : 0)) *
                       layer.reuses_per_replica);
    }

    // Forward: merge partial sums, undo the input scaling, the activation, the loss after
    // the last layer, then prepare the next layer's input (patches, noise management).
    TimingOp& forward = layer.forward_nlf;
    if (spec.weighted()) {
      forward.add_step(nlf_map::kAccumulate, map.forward_accumulations(spec));
      if (forward_nm) forward.add_step(nlf_map::kRescale, spec.output_elements());
      layer.output_elements = static_cast<std::int64_t>(map.column_blocks) * spec.output_elements();
    } else if (spec.kind == LayerKind::kPool) {
      forward.add_step(spec.pool == PoolType::kAverage ? nlf_map::kAveragePool : nlf_map::kMaxPool,
                       spec.output_elements() * spec.kernel_height * spec.kernel_width);
      layer.output_elements = spec.input_elements();
    } else {
      forward.add_step(nlf_map::kResidualAdd, spec.output_elements());
      layer.output_elements = spec.input_elements();
    }
    forward.add_step(activation_function(spec.activation), spec.output_elements());
    // NOTE: update management's max|x| and max|d| searches are booked here, in the forward
    // chain, where their work is the same but their time slightly earlier than in hardware.
    if (spec.weighted() && update_management) {
      forward.add_step(nlf_map::kAbsMax, read_elements(spec, true) + read_elements(spec, false));
    }
    if (l + 1 == layers.size()) {
      forward.add_step(nlf_map::kCrossEntropyError, spec.output_elements());
    } else if (layers[l + 1].weighted()) {
      const TopologyLayer& next = layers[l + 1];
      if (next.kind == LayerKind::kConv) {
        forward.add_step(nlf_map::kPatchExtract, read_elements(next, true));
      }
      if (forward_nm) forward.add_step(nlf_map::kNoiseManagement, read_elements(next, true));
    }

    // Backward: merge partial sums, fold conv patches back (col2im), undo the scaling,
    // multiply by the previous layer's activation derivative, scale for the next read.
    TimingOp& backward = layer.backward_nlf;
    const std::string previous_activation = l > 0 ? layers[l - 1].activation : "none";
    if (spec.weighted()) {
      backward.add_step(nlf_map::kAccumulate, map.backward_accumulations(spec));
      if (spec.kind == LayerKind::kConv) {
        backward.add_step(nlf_map::kAccumulate,
                          std::max<std::int64_t>(read_elements(spec, true) - spec.input_elements(), 0));
      }
      if (backward_nm) backward.add_step(nlf_map::kRescale, spec.input_elements());
      layer.input_elements = static_cast<std::int64_t>(map.row_blocks) * read_elements(spec, true);
    } else {
      backward.add_step(spec.kind == LayerKind::kPool ? nlf_map::kPatchExtract
                                                      : nlf_map::kResidualAdd,
                        spec.input_elements());
      layer.input_elements = spec.output_elements();
    }
    backward.add_step(derivative_function(previous_activation), spec.input_elements());
    if (backward_nm && l > 0) backward.add_step(nlf_map::kNoiseManagement, spec.input_elements());
    settings.layers.push_back(std::move(layer));
  }
  return settings;
}

double TimingChip::training_ops_per_sample() const {
  double ops = 0;
  bool first = true;
  for (const TopologyLayer& layer : m_topology.layers) {
    if (!layer.weighted()) continue;
    const double per_pass = 2.0 * static_cast<double>(layer.weights()) *
                            static_cast<double>(layer.reuses());
    ops += per_pass * (first ? 2.0 : 3.0);
    first = false;
  }
  return ops;
}

}  // namespace rpusim
