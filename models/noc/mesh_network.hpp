// 2D mesh on-chip network with dimension-ordered (XY) routing: a SystemC-free timing and
// energy model that the TLM-2.0 Mesh module and a timing-only engine can both call.
//
// Routers sit on a columns x rows grid. Node n is the router at column x = n % columns and
// row y = n / columns (row-major, row 0 at the top), together with the block attached to
// its local port. A packet first moves along its row (x), then along its column (y).
//
// Abstraction: a transfer is one packet of ceil(bits / link_width_bits) flits, at least one.
// The packet crosses a path of links: the source's injection port, the router-to-router
// links in XY order, and the destination's ejection port. Each link carries one flit per
// cycle and has its own busy-until time. The packet occupies a link for all its flits,
// from the time its head reaches the link or the link comes free, whichever is later.
// Between two links the head spends router_latency_cycles in a router (route computation,
// switch traversal and the link after it), then moves on. This is virtual cut-through with
// input buffers assumed large enough for a whole packet, so a blocked packet never occupies
// the links behind it. A transfer that crosses h router-to-router links passes h + 1
// routers and arrives, if no link is busy, (h + 1) x router_latency_cycles + flits cycles
// after it starts.
//
// Leaves out: virtual channels, credit-based flow control and finite buffers (no
// backpressure), adaptive routing, deadlock analysis, arbitration by time, and link
// leakage. The request made first wins a link, whatever its start time. The timing-only
// sequencer makes requests in the order of their ready times, which comes close.
//
// Times are integer picoseconds, the unit of SystemC's default time resolution. A
// transfer's times therefore convert to and from sc_time exactly, long runs accumulate no
// rounding error (up to 2^64 ps, about 213 days), and tests can compare times exactly. A
// clock period is rounded to whole picoseconds, as SystemC rounds sc_time to its resolution.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/common/resource_calendar.hpp"

namespace rpusim {

class Config;

using Picoseconds = std::uint64_t;

struct MeshParams {
  int columns = 2;
  int rows = 2;
  int link_width_bits = 256;
  Picoseconds clock_period_ps = 1000;
  int router_latency_cycles = 1;
  double router_energy_j_per_bit = 0;  // one router traversal
  double wire_energy_j_per_bit_mm = 0;
  double hop_length_mm = 1;  // distance between neighbouring routers
  double router_area_mm2 = 0;
  double link_area_mm2_per_mm = 0;  // one directed router-to-router link
  double router_static_power_w = 0;

  // Reads the mesh.* keys. `nodes` is the number of blocks to place, which sizes the
  // mesh when mesh.columns or mesh.rows is 0. `tile_area_mm2` is the area of one tile,
  // whose square root is the hop length when mesh.hop_length_mm is 0.
  static MeshParams from_config(const Config& config, int nodes, double tile_area_mm2);
};

struct MeshSize {
  int columns = 0;
  int rows = 0;
};

// Resolves mesh.columns and mesh.rows, where 0 means "size it from `nodes`". With both 0,
// returns the smallest near-square mesh with at least `nodes` nodes: columns =
// ceil(sqrt(nodes)), rows = ceil(nodes / columns). With one of them 0, returns the fewest
// rows (or columns) that give `nodes` nodes. With neither 0, returns them unchanged, even
// if too small.
MeshSize resolve_mesh_size(int columns, int rows, int nodes);

// A link of the mesh: a directed link from one router to a neighbour, or the injection
// (block to router) or ejection (router to block) port of a node. Counters cover every
// transfer since construction or the last reset().
struct MeshLink {
  enum class Kind { kRouterLink, kInjection, kEjection };

  Kind kind = Kind::kRouterLink;
  int from_node = 0;  // for a local port, from_node == to_node == the port's node
  int to_node = 0;
  std::uint64_t transfers = 0;
  std::uint64_t bits = 0;
  Picoseconds busy_ps = 0;          // total time occupied by flits
  Picoseconds max_queueing_ps = 0;  // maximum wait of a packet's head for this link
  Picoseconds busy_until_ps = 0;    // when the last reserved flit leaves the link
  // Reservations, so that a transfer requested later but ready earlier can use an idle gap.
  BasicCalendar<Picoseconds> calendar;
};

struct MeshTransfer {
  Picoseconds start_ps = 0;    // requested start, as passed to transfer()
  Picoseconds arrival_ps = 0;  // when the last flit has left the destination's ejection port
  int hops = 0;                // router-to-router links crossed
  std::uint64_t flits = 0;
  Picoseconds queueing_ps = 0;  // total wait of the head for busy links
  double energy_j = 0;
};

class MeshNetwork {
 public:
  // Throws std::invalid_argument if a dimension, the link width or the clock period is not
  // positive, or a latency, energy, length, area or power is negative.
  explicit MeshNetwork(const MeshParams& params);

  // Sends `bits` from `source_node` to `destination_node`, starting at `start_ps`, and
  // reserves every link of the XY path, each at its earliest idle gap long enough for the
  // packet's flits (link calendars), so a request made later but ready earlier can pass.
  // NOTE: reservations never move: a request never delays one made before it, which
  // favours requests made first where a real arbiter would favour the oldest packet.
  // Throws std::out_of_range for a node outside the mesh.
  MeshTransfer transfer(int source_node, int destination_node, std::uint64_t bits,
                        Picoseconds start_ps);

  // Frees every link and clears every counter.
  void reset();

  // Receives every link reservation: the link's index in links(), when the packet's head
  // enters the link and when its last flit leaves it. For waveform tracing.
  using LinkObserver =
      std::function<void(std::size_t link, Picoseconds enter_ps, Picoseconds leave_ps)>;
  void set_link_observer(LinkObserver observer) { m_link_observer = std::move(observer); }
  // Declares that no later transfer starts before `horizon_ps`, so links may forget older
  // reservations.
  void set_horizon(Picoseconds horizon_ps) { m_horizon_ps = horizon_ps; }

  int node_of(int x, int y) const;  // throws std::out_of_range outside the mesh
  int x_of(int node) const { return node % m_params.columns; }
  int y_of(int node) const { return node / m_params.columns; }
  int node_count() const { return m_params.columns * m_params.rows; }

  // Router-to-router links on the XY path, and the nodes it visits, source first.
  int hops(int source_node, int destination_node) const;
  std::vector<int> route(int source_node, int destination_node) const;

  std::uint64_t flits(std::uint64_t bits) const;
  // Time from start to arrival of a transfer that finds every link free.
  Picoseconds unloaded_latency_ps(int hops, std::uint64_t bits) const;
  // Energy of `bits` over `hops` router-to-router links: hops + 1 router traversals and
  // hops x hop_length_mm of wire.
  double transfer_energy_j(int hops, std::uint64_t bits) const;

  const MeshParams& params() const { return m_params; }
  const std::vector<MeshLink>& links() const { return m_links; }
  // The link with the longest busy time (the first of equals), or nullptr before any
  // transfer.
  const MeshLink* busiest_link() const;
  // Names a link by its nodes: "3->4", "inject 3" or "eject 3".
  static std::string link_name(const MeshLink& link);

  std::uint64_t transfers() const { return m_transfers; }
  std::uint64_t bits() const { return m_bits; }          // bits delivered
  std::uint64_t hop_bits() const { return m_hop_bits; }  // bits x router-to-router links
  double energy_j() const { return m_energy_j; }

  int router_count() const { return node_count(); }
  int router_link_count() const;  // directed router-to-router links
  double static_power_w() const;
  double area_mm2() const;

 private:
  enum Port { kInjectionPort, kEjectionPort, kEast, kWest, kSouth, kNorth, kPortCount };

  void check_node(int node) const;
  MeshLink& link(int node, Port port) { return m_links[m_link_index[node * kPortCount + port]]; }
  // Reserves `link` for `flits` flits from `ready_ps` on; returns when the head enters it.
  Picoseconds reserve(MeshLink& link, std::uint64_t flits, std::uint64_t bits, Picoseconds ready_ps,
                      MeshTransfer& transfer);

  MeshParams m_params;
  std::vector<MeshLink> m_links;
  std::vector<int> m_link_index;  // [node * kPortCount + port], -1 where the mesh has no link
  std::uint64_t m_transfers = 0;
  std::uint64_t m_bits = 0;
  std::uint64_t m_hop_bits = 0;
  double m_energy_j = 0;
  Picoseconds m_horizon_ps = 0;
  LinkObserver m_link_observer;
};

}  // namespace rpusim
