// The chip's interconnect: the shared bus or the 2D mesh (chip.interconnect), with the same
// address map either way (docs/address-map.md), and its section of the run report.
#include <array>

#include "models/chip/block_binding.hpp"
#include "models/chip/chip.hpp"
#include "models/noc/mesh_placement.hpp"

namespace rpusim {

void Chip::build_interconnect(const Config& config, const TargetConnector& connect) {
  const BlockBases bases{chip_map::kTileBase, chip_map::kNlfBase, chip_map::kIoBase,
                         chip_map::kBlockStride};
  if (config.get_string("chip.interconnect") != "mesh") {
    m_bus = std::make_unique<Bus>("bus", BusParams::from_config(config), m_ledger);
    bind_blocks(m_sequencer->initiator_socket, *m_bus, tiles, nlf_units, io_port, bases, connect);
    return;
  }

  const int tile_count = static_cast<int>(tiles.size());
  const int nlf_count = static_cast<int>(nlf_units.size());
  const MeshParams params = chip_mesh_params(config, tiles[0], tile_count, nlf_count);
  m_mesh = std::make_unique<Mesh>("mesh", params, m_ledger);
  bind_blocks(m_sequencer->initiator_socket, *m_mesh, tiles, nlf_units, io_port, bases, connect);
  // The sequencer sits at NLF unit 0's node. A read from the NLF unit followed by a write to
  // a tile then costs what a direct NLF-to-tile move would, plus a zero-hop transfer through
  // the NLF unit's router.
  place_blocks_on_mesh(*m_mesh, place_blocks({params.columns, params.rows}, tile_count, nlf_count,
                                             parse_mesh_placement(config.get_string("mesh.placement"))));
}

void Chip::trace(TraceRecorder& recorder) {
  for (RpuTile& tile : tiles) tile.trace(recorder);
  for (NlfUnit& unit : nlf_units) unit.trace(recorder);
  io_port.trace(recorder);
  if (m_bus) m_bus->trace(recorder);
  if (m_mesh) m_mesh->trace(recorder);
}

double Chip::interconnect_static_power_w() const {
  return m_mesh ? m_mesh->static_power_w() : m_bus->params().static_power_w;
}

double Chip::interconnect_area_um2() const {
  return m_mesh ? m_mesh->area_um2() : m_bus->params().area_um2;
}

std::uint64_t Chip::interconnect_bits() const {
  return m_mesh ? m_mesh->bits_transferred() : m_bus->bits_transferred();
}

double Chip::interconnect_utilization(double simulated_s) const {
  if (simulated_s <= 0) return 0;
  if (!m_mesh) return m_bus->busy_time().to_seconds() / simulated_s;
  const MeshLink* link = m_mesh->network().busiest_link();
  return link ? static_cast<double>(link->busy_ps) * 1e-12 / simulated_s : 0.0;
}

nlohmann::json Chip::interconnect_report(double simulated_s) const {
  if (!m_mesh) {
    return {
        {"type", "bus"},
        {"bits", m_bus->bits_transferred()},
        {"busy_s", m_bus->busy_time().to_seconds()},
        {"utilization", interconnect_utilization(simulated_s)},
    };
  }

  const MeshNetwork& network = m_mesh->network();
  const MeshParams& params = network.params();
  nlohmann::json block_nodes = nlohmann::json::object();
  unsigned port = 0;
  for (const RpuTile& tile : tiles) block_nodes[tile.name()] = m_mesh->node_of_port(port++);
  for (const NlfUnit& unit : nlf_units) block_nodes[unit.name()] = m_mesh->node_of_port(port++);
  block_nodes[io_port.name()] = m_mesh->node_of_port(port);

  nlohmann::json links = nlohmann::json::array();
  for (const MeshLink& link : network.links()) {
    if (link.transfers == 0) continue;
    const double busy_s = static_cast<double>(link.busy_ps) * 1e-12;
    links.push_back({
        {"link", MeshNetwork::link_name(link)},
        {"transfers", link.transfers},
        {"bits", link.bits},
        {"busy_s", busy_s},
        {"utilization", simulated_s > 0 ? busy_s / simulated_s : 0.0},
        {"max_queueing_s", static_cast<double>(link.max_queueing_ps) * 1e-12},
    });
  }
  const MeshLink* busiest = network.busiest_link();
  const double bits = static_cast<double>(network.bits());
  return {
      {"type", "mesh"},
      {"bits", network.bits()},
      {"hop_bits", network.hop_bits()},
      {"average_hops", bits > 0 ? static_cast<double>(network.hop_bits()) / bits : 0.0},
      {"columns", params.columns},
      {"rows", params.rows},
      {"hop_length_mm", params.hop_length_mm},
      {"placement", m_config.get_string("mesh.placement")},
      {"initiator_node", m_mesh->initiator_node()},
      {"block_nodes", block_nodes},
      {"utilization", interconnect_utilization(simulated_s)},
      {"busiest_link", busiest ? nlohmann::json(MeshNetwork::link_name(*busiest))
                                       : nlohmann::json(nullptr)},
      {"links", links},
  };
}

}  // namespace rpusim
