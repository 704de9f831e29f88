#include "models/noc/mesh_network.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/common/config.hpp"

namespace rpusim {

MeshParams MeshParams::from_config(const Config& config, int nodes, double tile_area_mm2) {
  MeshParams params;
  const MeshSize size = resolve_mesh_size(static_cast<int>(config.get_int("mesh.columns")),
                                          static_cast<int>(config.get_int("mesh.rows")), nodes);
  params.columns = size.columns;
  params.rows = size.rows;
  params.link_width_bits = static_cast<int>(config.get_int("mesh.link_width_bits"));
  params.clock_period_ps =
      static_cast<Picoseconds>(std::llround(1e6 / config.get_real("mesh.clock_mhz")));
  params.router_latency_cycles = static_cast<int>(config.get_int("mesh.router_latency_cycles"));
  params.router_energy_j_per_bit = config.get_real("mesh.router_energy_pj_per_bit") * 1e-12;
  params.wire_energy_j_per_bit_mm = config.get_real("mesh.wire_energy_pj_per_bit_mm") * 1e-12;
  const double hop_length_mm = config.get_real("mesh.hop_length_mm");
  params.hop_length_mm = hop_length_mm > 0 ? hop_length_mm : std::sqrt(tile_area_mm2);
  params.router_area_mm2 = config.get_real("mesh.router_area_mm2");
  params.link_area_mm2_per_mm = config.get_real("mesh.link_area_mm2_per_mm");
  params.router_static_power_w = config.get_real("mesh.router_static_power_mw") * 1e-3;
  return params;
}

MeshSize resolve_mesh_size(int columns, int rows, int nodes) {
  const int needed = std::max(nodes, 1);
  auto ceil_div = [](int a, int b) { return (a + b - 1) / b; };
  if (columns > 0 && rows > 0) return {columns, rows};
  if (columns > 0) return {columns, ceil_div(needed, columns)};
  if (rows > 0) return {ceil_div(needed, rows), rows};
  int side = 1;
  while (side * side < needed) ++side;
  return {side, ceil_div(needed, side)};
}

MeshNetwork::MeshNetwork(const MeshParams& params) : m_params(params) {
  auto require = [](bool condition, const std::string& message) {
    if (!condition) throw std::invalid_argument("mesh network: " + message);
  };
  require(params.columns > 0 && params.rows > 0, "columns and rows must be at least 1");
  require(params.link_width_bits > 0, "link width must be at least 1 bit");
  require(params.clock_period_ps > 0, "clock period must be at least 1 ps");
  require(params.router_latency_cycles >= 0, "router latency must not be negative");
  require(params.router_energy_j_per_bit >= 0 && params.wire_energy_j_per_bit_mm >= 0,
          "energies must not be negative");
  require(params.hop_length_mm >= 0 && params.router_area_mm2 >= 0 &&
              params.link_area_mm2_per_mm >= 0 && params.router_static_power_w >= 0,
          "hop length, areas and static power must not be negative");

  const int nodes = node_count();
  m_link_index.assign(static_cast<std::size_t>(nodes) * kPortCount, -1);
  auto add = [this](int node, Port port, MeshLink::Kind kind, int to_node) {
    m_link_index[static_cast<std::size_t>(node) * kPortCount + port] =
        static_cast<int>(m_links.size());
    MeshLink link;
    link.kind = kind;
    link.from_node = node;
    link.to_node = to_node;
    m_links.push_back(link);
  };
  for (int node = 0; node < nodes; ++node) {
    const int x = x_of(node);
    const int y = y_of(node);
    add(node, kInjectionPort, MeshLink::Kind::kInjection, node);
    add(node, kEjectionPort, MeshLink::Kind::kEjection, node);
    if (x + 1 < params.columns) add(node, kEast, MeshLink::Kind::kRouterLink, node + 1);
    if (x > 0) add(node, kWest, MeshLink::Kind::kRouterLink, node - 1);
    if (y + 1 < params.rows) add(node, kSouth, MeshLink::Kind::kRouterLink, node + params.columns);
    if (y > 0) add(node, kNorth, MeshLink::Kind::kRouterLink, node - params.columns);
  }
}

void MeshNetwork::check_node(int node) const {
  if (node < 0 || node >= node_count()) {
    throw std::out_of_range("mesh network: node " + std::to_string(node) + " is outside the " +
                            std::to_string(m_params.columns) + " x " +
                            std::to_string(m_params.rows) + " mesh (nodes 0.." +
                            std::to_string(node_count() - 1) + ")");
  }
}

int MeshNetwork::node_of(int x, int y) const {
  if (x < 0 || x >= m_params.columns || y < 0 || y >= m_params.rows) {
    throw std::out_of_range("mesh network: position (" + std::to_string(x) + ", " +
                            std::to_string(y) + ") is outside the " +
                            std::to_string(m_params.columns) + " x " +
                            std::to_string(m_params.rows) + " mesh");
  }
  return y * m_params.columns + x;
}

int MeshNetwork::hops(int source_node, int destination_node) const {
  check_node(source_node);
  check_node(destination_node);
  return std::abs(x_of(destination_node) - x_of(source_node)) +
         std::abs(y_of(destination_node) - y_of(source_node));
}

std::vector<int> MeshNetwork::route(int source_node, int destination_node) const {
  check_node(source_node);
  check_node(destination_node);
  std::vector<int> nodes{source_node};
  int x = x_of(source_node);
  int y = y_of(source_node);
  const int x_end = x_of(destination_node);
  const int y_end = y_of(destination_node);
  while (x != x_end) {
    x += x < x_end ? 1 : -1;
    nodes.push_back(node_of(x, y));
  }
  while (y != y_end) {
    y += y < y_end ? 1 : -1;
    nodes.push_back(node_of(x, y));
  }
  return nodes;
}

std::uint64_t MeshNetwork::flits(std::uint64_t bits) const {
  const auto width = static_cast<std::uint64_t>(m_params.link_width_bits);
  return std::max<std::uint64_t>(1, (bits + width - 1) / width);
}

Picoseconds MeshNetwork::unloaded_latency_ps(int hops, std::uint64_t bits) const {
  const auto routers = static_cast<std::uint64_t>(hops + 1);
  const auto router_cycles = static_cast<std::uint64_t>(m_params.router_latency_cycles);
  return (routers * router_cycles + flits(bits)) * m_params.clock_period_ps;
}

double MeshNetwork::transfer_energy_j(int hops, std::uint64_t bits) const {
  const double per_bit_j = (hops + 1) * m_params.router_energy_j_per_bit +
                           hops * m_params.hop_length_mm * m_params.wire_energy_j_per_bit_mm;
  return static_cast<double>(bits) * per_bit_j;
}

Picoseconds MeshNetwork::reserve(MeshLink& link, std::uint64_t flits, std::uint64_t bits,
                                 Picoseconds ready_ps, MeshTransfer& transfer) {
  const Picoseconds occupied_ps = flits * m_params.clock_period_ps;
  link.calendar.forget_before(m_horizon_ps);
  const Picoseconds enter_ps = link.calendar.reserve(ready_ps, occupied_ps);
  const Picoseconds wait_ps = enter_ps - ready_ps;
  if (m_link_observer) {
    m_link_observer(static_cast<std::size_t>(&link - m_links.data()), enter_ps,
                    enter_ps + occupied_ps);
  }
  link.busy_until_ps = std::max(link.busy_until_ps, enter_ps + occupied_ps);
  link.busy_ps += occupied_ps;
  link.bits += bits;
  ++link.transfers;
  link.max_queueing_ps = std::max(link.max_queueing_ps, wait_ps);
  transfer.queueing_ps += wait_ps;
  return enter_ps;
}

MeshTransfer MeshNetwork::transfer(int source_node, int destination_node, std::uint64_t bits,
                                   Picoseconds start_ps) {
  check_node(source_node);
  check_node(destination_node);
  MeshTransfer transfer;
  transfer.start_ps = start_ps;
  transfer.hops = hops(source_node, destination_node);
  transfer.flits = flits(bits);
  transfer.energy_j = transfer_energy_j(transfer.hops, bits);

  // The head enters each link of the XY path when it is free, then crosses the next router.
  // The walk below visits the nodes route() returns, without building the list.
  const Picoseconds router_ps =
      static_cast<Picoseconds>(m_params.router_latency_cycles) * m_params.clock_period_ps;
  Picoseconds enter_ps =
      reserve(link(source_node, kInjectionPort), transfer.flits, bits, start_ps, transfer);
  int x = x_of(source_node);
  int y = y_of(source_node);
  const int x_end = x_of(destination_node);
  const int y_end = y_of(destination_node);
  while (x != x_end || y != y_end) {
    Port port = kEast;
    if (x != x_end) {
      port = x < x_end ? kEast : kWest;
    } else {
      port = y < y_end ? kSouth : kNorth;
    }
    enter_ps = reserve(link(node_of(x, y), port), transfer.flits, bits, enter_ps + router_ps,
                       transfer);
    if (x != x_end) {
      x += x < x_end ? 1 : -1;
    } else {
      y += y < y_end ? 1 : -1;
    }
  }
  enter_ps = reserve(link(destination_node, kEjectionPort), transfer.flits, bits,
                     enter_ps + router_ps, transfer);
  transfer.arrival_ps = enter_ps + transfer.flits * m_params.clock_period_ps;

  ++m_transfers;
  m_bits += bits;
  m_hop_bits += bits * static_cast<std::uint64_t>(transfer.hops);
  m_energy_j += transfer.energy_j;
  return transfer;
}

void MeshNetwork::reset() {
  for (MeshLink& link : m_links) {
    link.transfers = 0;
    link.bits = 0;
    link.busy_ps = 0;
    link.max_queueing_ps = 0;
    link.busy_until_ps = 0;
    link.calendar = BasicCalendar<Picoseconds>();
  }
  m_transfers = 0;
  m_bits = 0;
  m_hop_bits = 0;
  m_energy_j = 0;
}

const MeshLink* MeshNetwork::busiest_link() const {
  const MeshLink* busiest = nullptr;
  for (const MeshLink& link : m_links) {
    if (link.busy_ps > 0 && (!busiest || link.busy_ps > busiest->busy_ps)) {
      busiest = &link;
    }
  }
  return busiest;
}

std::string MeshNetwork::link_name(const MeshLink& link) {
  switch (link.kind) {
    case MeshLink::Kind::kInjection:
      return "inject " + std::to_string(link.from_node);
    case MeshLink::Kind::kEjection:
      return "eject " + std::to_string(link.to_node);
    case MeshLink::Kind::kRouterLink:
      break;
  }
  return std::to_string(link.from_node) + "->" + std::to_string(link.to_node);
}

int MeshNetwork::router_link_count() const {
  const int columns = m_params.columns;
  const int rows = m_params.rows;
  return 2 * (rows * (columns - 1) + columns * (rows - 1));
}

double MeshNetwork::static_power_w() const {
  return router_count() * m_params.router_static_power_w;
}

double MeshNetwork::area_mm2() const {
  return router_count() * m_params.router_area_mm2 +
         router_link_count() * m_params.hop_length_mm * m_params.link_area_mm2_per_mm;
}

}  // namespace rpusim
