// MeshNetwork: XY routes and hop counts, the time and energy of one transfer, link
// statistics, contention on a shared link, and the mesh's size, static power and area.
// Placement of the chip's blocks on the mesh (mesh_placement.hpp).
//
// The test mesh runs at 1 GHz (1000 ps per cycle) with 256-bit links, 2 cycles per router,
// 0.04 pJ per bit per router, 0.05 pJ per bit per mm of wire and 2 mm between routers. An
// unloaded transfer over h links takes (h + 1) x 2 + flits cycles.
#include "models/noc/mesh_network.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "models/common/config.hpp"
#include "models/noc/mesh_placement.hpp"

namespace rpusim {
namespace {

using ::testing::ElementsAre;

MeshParams test_params(int columns, int rows) {
  MeshParams params;
  params.columns = columns;
  params.rows = rows;
  params.link_width_bits = 256;
  params.clock_period_ps = 1000;
  params.router_latency_cycles = 2;
  params.router_energy_j_per_bit = 0.04e-12;
  params.wire_energy_j_per_bit_mm = 0.05e-12;
  params.hop_length_mm = 2.0;
  params.router_area_mm2 = 0.02;
  params.link_area_mm2_per_mm = 0.01;
  params.router_static_power_w = 0.2e-3;
  return params;
}

// Returns the link from `from` to `to` (equal nodes with `kind` for a local port).
const MeshLink& find_link(const MeshNetwork& mesh, int from, int to,
                          MeshLink::Kind kind = MeshLink::Kind::kRouterLink) {
  for (const MeshLink& link : mesh.links()) {
    if (link.kind == kind && link.from_node == from && link.to_node == to) return link;
  }
  throw std::logic_error("no such link");
}

// ------------------------------------------------------------------- numbering and routes

TEST(MeshNetwork, NodesNumberedRowMajor) {
  const MeshNetwork mesh(test_params(4, 3));
  EXPECT_EQ(mesh.node_count(), 12);
  EXPECT_EQ(mesh.node_of(0, 0), 0);
  EXPECT_EQ(mesh.node_of(3, 0), 3);
  EXPECT_EQ(mesh.node_of(0, 1), 4);
  EXPECT_EQ(mesh.node_of(2, 2), 10);
  EXPECT_EQ(mesh.x_of(10), 2);
  EXPECT_EQ(mesh.y_of(10), 2);
  EXPECT_THROW(mesh.node_of(4, 0), std::out_of_range);
  EXPECT_THROW(mesh.node_of(0, 3), std::out_of_range);
  EXPECT_THROW(mesh.node_of(-1, 0), std::out_of_range);
}

TEST(MeshNetwork, RouteMovesAlongRowFirst) {
  const MeshNetwork mesh(test_params(4, 3));
  // (0,0) to (2,2): east twice, then south twice.
  EXPECT_THAT(mesh.route(0, 10), ElementsAre(0, 1, 2, 6, 10));
  // (3,2) to (1,0): west twice, then north twice.
  EXPECT_THAT(mesh.route(11, 1), ElementsAre(11, 10, 9, 5, 1));
  // Same column: only y moves.
  EXPECT_THAT(mesh.route(1, 9), ElementsAre(1, 5, 9));
  EXPECT_THAT(mesh.route(6, 6), ElementsAre(6));
}

TEST(MeshNetwork, HopsAreManhattanDistance) {
  const MeshNetwork mesh(test_params(4, 3));
  for (int source = 0; source < mesh.node_count(); ++source) {
    for (int destination = 0; destination < mesh.node_count(); ++destination) {
      const int expected = std::abs(mesh.x_of(source) - mesh.x_of(destination)) +
                           std::abs(mesh.y_of(source) - mesh.y_of(destination));
      EXPECT_EQ(mesh.hops(source, destination), expected) << source << " -> " << destination;
      EXPECT_EQ(mesh.route(source, destination).size(), static_cast<std::size_t>(expected) + 1)
          << source << " -> " << destination;
    }
  }
}

TEST(MeshNetwork, NodeOutsideMeshRejected) {
  MeshNetwork mesh(test_params(2, 2));
  EXPECT_THROW(mesh.transfer(0, 4, 32, 0), std::out_of_range);
  EXPECT_THROW(mesh.transfer(-1, 0, 32, 0), std::out_of_range);
  EXPECT_EQ(mesh.transfers(), 0u);
}

TEST(MeshNetwork, InvalidParametersRejected) {
  MeshParams params = test_params(0, 2);
  EXPECT_THROW(MeshNetwork{params}, std::invalid_argument);
  params = test_params(2, 2);
  params.link_width_bits = 0;
  EXPECT_THROW(MeshNetwork{params}, std::invalid_argument);
  params = test_params(2, 2);
  params.clock_period_ps = 0;
  EXPECT_THROW(MeshNetwork{params}, std::invalid_argument);
  params = test_params(2, 2);
  params.router_latency_cycles = -1;
  EXPECT_THROW(MeshNetwork{params}, std::invalid_argument);
  params = test_params(2, 2);
  params.wire_energy_j_per_bit_mm = -1e-12;
  EXPECT_THROW(MeshNetwork{params}, std::invalid_argument);
}

// ------------------------------------------------------------------ one transfer

TEST(MeshNetwork, UnloadedTransferTime) {
  MeshNetwork mesh(test_params(4, 3));
  // 600 bits = 3 flits over 3 hops: 4 routers x 2 cycles + 3 flits = 11 cycles.
  const MeshTransfer transfer = mesh.transfer(0, 6, 600, 5000);
  EXPECT_EQ(transfer.start_ps, 5000u);
  EXPECT_EQ(transfer.hops, 3);
  EXPECT_EQ(transfer.flits, 3u);
  EXPECT_EQ(transfer.arrival_ps, 5000u + 11000u);
  EXPECT_EQ(transfer.queueing_ps, 0u);
  EXPECT_EQ(mesh.unloaded_latency_ps(3, 600), 11000u);
}

TEST(MeshNetwork, FlitsRoundUpWithOneAtLeast) {
  const MeshNetwork mesh(test_params(2, 2));
  EXPECT_EQ(mesh.flits(0), 1u);
  EXPECT_EQ(mesh.flits(1), 1u);
  EXPECT_EQ(mesh.flits(256), 1u);
  EXPECT_EQ(mesh.flits(257), 2u);
  EXPECT_EQ(mesh.flits(25088), 98u);  // a 784-word vector of binary32
}

TEST(MeshNetwork, EnergyPerTransfer) {
  MeshNetwork mesh(test_params(4, 3));
  // 3 hops: 4 router traversals of 0.04 pJ/bit and 3 x 2 mm of wire at 0.05 pJ/bit/mm.
  const MeshTransfer transfer = mesh.transfer(0, 6, 1000, 0);
  EXPECT_NEAR(transfer.energy_j, 1000 * (4 * 0.04e-12 + 3 * 2 * 0.05e-12), 1e-24);
  EXPECT_NEAR(mesh.transfer_energy_j(3, 1000), transfer.energy_j, 1e-24);
  // Totals add up over transfers.
  const MeshTransfer second = mesh.transfer(6, 7, 500, 0);
  EXPECT_NEAR(second.energy_j, 500 * (2 * 0.04e-12 + 2 * 0.05e-12), 1e-24);
  EXPECT_NEAR(mesh.energy_j(), transfer.energy_j + second.energy_j, 1e-24);
  EXPECT_EQ(mesh.bits(), 1500u);
  EXPECT_EQ(mesh.hop_bits(), 1000u * 3 + 500u * 1);
  EXPECT_EQ(mesh.transfers(), 2u);
}

TEST(MeshNetwork, ZeroHopTransferCostsLocalPortOnly) {
  MeshNetwork mesh(test_params(3, 3));
  const MeshTransfer transfer = mesh.transfer(4, 4, 512, 1000);
  EXPECT_EQ(transfer.hops, 0);
  // One router between the injection and the ejection port: 2 cycles, then 2 flits.
  EXPECT_EQ(transfer.arrival_ps, 1000u + 4000u);
  EXPECT_NEAR(transfer.energy_j, 512 * 0.04e-12, 1e-24);
  EXPECT_EQ(mesh.hop_bits(), 0u);
  for (const MeshLink& link : mesh.links()) {
    const bool local_port_of_4 = link.kind != MeshLink::Kind::kRouterLink && link.from_node == 4;
    EXPECT_EQ(link.bits, local_port_of_4 ? 512u : 0u) << MeshNetwork::link_name(link);
  }
}

TEST(MeshNetwork, LinkStatistics) {
  MeshNetwork mesh(test_params(4, 1));
  mesh.transfer(0, 2, 300, 0);   // 2 flits over 0->1->2
  mesh.transfer(1, 3, 1024, 0);  // 4 flits over 1->2->3
  const MeshLink& shared = find_link(mesh, 1, 2);
  EXPECT_EQ(shared.transfers, 2u);
  EXPECT_EQ(shared.bits, 1324u);
  EXPECT_EQ(shared.busy_ps, 6000u);
  // The first transfer's head reaches link 1->2 at 4 ns and occupies it until 6 ns. The
  // second's head is ready for it at 2 ns, but requests are served in call order, so it
  // waits 4 ns.
  EXPECT_EQ(shared.max_queueing_ps, 4000u);
  EXPECT_EQ(shared.busy_until_ps, 10000u);

  const MeshLink& first_hop = find_link(mesh, 0, 1);
  EXPECT_EQ(first_hop.transfers, 1u);
  EXPECT_EQ(first_hop.busy_ps, 2000u);
  EXPECT_EQ(first_hop.max_queueing_ps, 0u);
  EXPECT_EQ(find_link(mesh, 2, 1).bits, 0u);  // the opposite direction is another link
  EXPECT_EQ(find_link(mesh, 2, 2, MeshLink::Kind::kEjection).bits, 300u);
  EXPECT_EQ(find_link(mesh, 3, 3, MeshLink::Kind::kEjection).busy_ps, 4000u);
  EXPECT_EQ(find_link(mesh, 0, 0, MeshLink::Kind::kInjection).bits, 300u);

  ASSERT_NE(mesh.busiest_link(), nullptr);
  EXPECT_EQ(MeshNetwork::link_name(*mesh.busiest_link()), "1->2");
  EXPECT_EQ(MeshNetwork::link_name(find_link(mesh, 2, 2, MeshLink::Kind::kEjection)), "eject 2");
  EXPECT_EQ(MeshNetwork::link_name(find_link(mesh, 0, 0, MeshLink::Kind::kInjection)), "inject 0");
}

TEST(MeshNetwork, NoBusiestLinkBeforeTraffic) {
  const MeshNetwork mesh(test_params(2, 2));
  EXPECT_EQ(mesh.busiest_link(), nullptr);
}

// -------------------------------------------------------------------------- contention

TEST(MeshNetwork, SharedLinkDelaysLaterFlowBySerialisation) {
  // On a 3 x 3 mesh, flow A runs (0,0) -> (1,2) over 0->1->4->7 and flow B runs (2,0) ->
  // (1,1) over 2->1->4. Both heads reach the shared link 1->4 as their second link, at the
  // same time. A requested first, so B waits until A's 10 flits have crossed: exactly A's
  // serialisation time on the link, 10 cycles.
  const MeshParams params = test_params(3, 3);
  const std::uint64_t a_bits = 2560;  // 10 flits
  const std::uint64_t b_bits = 1024;  // 4 flits

  MeshNetwork alone(params);
  const MeshTransfer a_alone = alone.transfer(0, 7, a_bits, 0);
  alone.reset();
  const MeshTransfer b_alone = alone.transfer(2, 4, b_bits, 0);
  EXPECT_EQ(a_alone.arrival_ps, 18000u);  // 4 routers x 2 + 10 flits
  EXPECT_EQ(b_alone.arrival_ps, 10000u);  // 3 routers x 2 + 4 flits

  MeshNetwork mesh(params);
  const MeshTransfer a = mesh.transfer(0, 7, a_bits, 0);
  const MeshTransfer b = mesh.transfer(2, 4, b_bits, 0);
  EXPECT_EQ(a.arrival_ps, a_alone.arrival_ps);
  EXPECT_EQ(b.arrival_ps, 20000u);
  EXPECT_EQ(b.arrival_ps - b_alone.arrival_ps, a.flits * params.clock_period_ps);
  EXPECT_EQ(b.queueing_ps, 10000u);
  EXPECT_EQ(find_link(mesh, 1, 4).max_queueing_ps, 10000u);
  EXPECT_EQ(find_link(mesh, 1, 4).busy_ps, 14000u);
}

TEST(MeshNetwork, DisjointPathsDoNotInterfere) {
  // Row 1 eastward (3->4->5) and column 1 southward (1->4->7) cross router 4 but share no
  // link; row 0 westward (2->1->0) is disjoint as well.
  const MeshParams params = test_params(3, 3);
  MeshNetwork mesh(params);
  const MeshTransfer east = mesh.transfer(3, 5, 2560, 0);
  const MeshTransfer south = mesh.transfer(1, 7, 2560, 0);
  const MeshTransfer west = mesh.transfer(2, 0, 2560, 0);
  const Picoseconds alone_ps = mesh.unloaded_latency_ps(2, 2560);
  EXPECT_EQ(east.arrival_ps, alone_ps);
  EXPECT_EQ(south.arrival_ps, alone_ps);
  EXPECT_EQ(west.arrival_ps, alone_ps);
  EXPECT_EQ(east.queueing_ps + south.queueing_ps + west.queueing_ps, 0u);
}

TEST(MeshNetwork, OppositeDirectionsDoNotInterfere) {
  MeshNetwork mesh(test_params(2, 1));
  const MeshTransfer forth = mesh.transfer(0, 1, 2560, 0);
  const MeshTransfer back = mesh.transfer(1, 0, 2560, 0);
  EXPECT_EQ(forth.arrival_ps, back.arrival_ps);
  EXPECT_EQ(back.queueing_ps, 0u);
}

TEST(MeshNetwork, EarlierRequestFillsIdleGap) {
  // Links keep reservation calendars: a request made later in program order but ready
  // earlier takes the idle time before an earlier reservation if it fits there.
  MeshNetwork mesh(test_params(2, 1));
  const MeshTransfer late = mesh.transfer(0, 1, 256, 50000);
  const MeshTransfer early = mesh.transfer(0, 1, 256, 0);
  EXPECT_EQ(late.arrival_ps, 50000u + 5000u);
  EXPECT_EQ(early.arrival_ps, 0u + 5000u);
  EXPECT_EQ(early.queueing_ps, 0u);
}

TEST(MeshNetwork, RequestThatDoesNotFitGapQueues) {
  // The second request is ready 1 ns before the first one's flit enters the injection port;
  // one flit needs 1 ns, so the gap of 0.5 ns is too short and it waits behind the first.
  MeshNetwork mesh(test_params(2, 1));
  const MeshTransfer first = mesh.transfer(0, 1, 256, 1000);
  const MeshTransfer second = mesh.transfer(0, 1, 256, 500);
  EXPECT_EQ(first.arrival_ps, 1000u + 5000u);
  EXPECT_EQ(second.queueing_ps, 1500u);  // injection at 2 ns: 1.5 ns after it was ready
  EXPECT_GT(second.arrival_ps, first.arrival_ps);
}

TEST(MeshNetwork, BackToBackTransfersQueueAtSource) {
  MeshNetwork mesh(test_params(2, 1));
  const MeshTransfer first = mesh.transfer(0, 1, 2560, 0);
  const MeshTransfer second = mesh.transfer(0, 1, 2560, 0);
  // The second packet enters the injection port when the first has left it: 10 cycles later.
  EXPECT_EQ(second.arrival_ps, first.arrival_ps + 10000u);
}

TEST(MeshNetwork, ResetFreesLinksAndClearsCounters) {
  MeshNetwork mesh(test_params(2, 1));
  mesh.transfer(0, 1, 2560, 0);
  mesh.reset();
  EXPECT_EQ(mesh.transfers(), 0u);
  EXPECT_EQ(mesh.bits(), 0u);
  EXPECT_EQ(mesh.hop_bits(), 0u);
  EXPECT_EQ(mesh.energy_j(), 0.0);
  EXPECT_EQ(mesh.busiest_link(), nullptr);
  for (const MeshLink& link : mesh.links()) {
    EXPECT_EQ(link.busy_until_ps, 0u);
    EXPECT_EQ(link.max_queueing_ps, 0u);
  }
  EXPECT_EQ(mesh.transfer(0, 1, 2560, 0).arrival_ps, mesh.unloaded_latency_ps(1, 2560));
}

// ------------------------------------------------------------ size, static power and area

TEST(MeshNetwork, StaticPowerAndAreaFromRoutersAndLinks) {
  const MeshNetwork mesh(test_params(3, 2));
  EXPECT_EQ(mesh.router_count(), 6);
  // Rows: 2 x 2 pairs of neighbours; columns: 3 x 1; each pair has a link each way.
  EXPECT_EQ(mesh.router_link_count(), 14);
  EXPECT_EQ(mesh.links().size(), 14u + 2 * 6);  // plus an injection and ejection port each
  EXPECT_NEAR(mesh.static_power_w(), 6 * 0.2e-3, 1e-15);
  EXPECT_NEAR(mesh.area_mm2(), 6 * 0.02 + 14 * 2.0 * 0.01, 1e-12);
}

TEST(MeshSize, ZeroSizesNearSquareMesh) {
  auto size_of = [](int columns, int rows, int nodes) {
    const MeshSize size = resolve_mesh_size(columns, rows, nodes);
    return std::vector<int>{size.columns, size.rows};
  };
  EXPECT_THAT(size_of(0, 0, 1), ElementsAre(1, 1));
  EXPECT_THAT(size_of(0, 0, 4), ElementsAre(2, 2));
  EXPECT_THAT(size_of(0, 0, 5), ElementsAre(3, 2));
  EXPECT_THAT(size_of(0, 0, 7), ElementsAre(3, 3));
  EXPECT_THAT(size_of(0, 0, 10), ElementsAre(4, 3));
  EXPECT_THAT(size_of(4, 0, 5), ElementsAre(4, 2));
  EXPECT_THAT(size_of(0, 1, 5), ElementsAre(5, 1));
  EXPECT_THAT(size_of(2, 2, 9), ElementsAre(2, 2));  // explicit sizes are kept
}

TEST(MeshParamsFromConfig, DefaultsAndDerivedHopLength) {
  Config config = Config::defaults();
  // 3 tiles, 1 NLF unit and the I/O port; a tile of 4 mm^2 gives 2 mm between routers.
  const MeshParams params = MeshParams::from_config(config, 5, 4.0);
  EXPECT_EQ(params.columns, 3);
  EXPECT_EQ(params.rows, 2);
  EXPECT_EQ(params.link_width_bits, 256);
  EXPECT_EQ(params.clock_period_ps, 1000u);
  EXPECT_EQ(params.router_latency_cycles, 1);
  EXPECT_NEAR(params.router_energy_j_per_bit, 0.04e-12, 1e-27);
  EXPECT_NEAR(params.wire_energy_j_per_bit_mm, 0.05e-12, 1e-27);
  EXPECT_EQ(params.hop_length_mm, 2.0);
  EXPECT_NEAR(params.router_area_mm2, 0.02, 1e-15);
  EXPECT_EQ(params.link_area_mm2_per_mm, 0.0);
  EXPECT_NEAR(params.router_static_power_w, 0.18e-3, 1e-15);

  config.set("mesh.hop_length_mm", "1.5");
  config.set("mesh.clock_mhz", "300");
  config.set("mesh.columns", "5");
  const MeshParams set = MeshParams::from_config(config, 5, 4.0);
  EXPECT_EQ(set.hop_length_mm, 1.5);
  EXPECT_EQ(set.clock_period_ps, 3333u);  // rounded to whole picoseconds
  EXPECT_EQ(set.columns, 5);
  EXPECT_EQ(set.rows, 1);
}

// ------------------------------------------------------------------------------ placement

TEST(MeshPlacement, RowMajorPutsTilesFirst) {
  const BlockNodes nodes = place_blocks({3, 2}, 3, 1, MeshPlacement::kRowMajor);
  EXPECT_THAT(nodes.tiles, ElementsAre(0, 1, 2));
  EXPECT_THAT(nodes.nlf_units, ElementsAre(3));
  EXPECT_EQ(nodes.io_port, 4);
}

TEST(MeshPlacement, InterleavedPutsEachTileBesideItsNlfUnit) {
  // Serpentine over a 3 x 3 mesh: nodes 0, 1, 2, then 5, 4, 3, then 6, 7, 8.
  const BlockNodes nodes = place_blocks({3, 3}, 4, 2, MeshPlacement::kInterleaved);
  EXPECT_THAT(nodes.tiles, ElementsAre(0, 2, 4, 3));
  EXPECT_THAT(nodes.nlf_units, ElementsAre(1, 5));
  EXPECT_EQ(nodes.io_port, 6);
  const MeshNetwork mesh(test_params(3, 3));
  for (std::size_t n = 0; n < nodes.nlf_units.size(); ++n) {
    EXPECT_EQ(mesh.hops(nodes.tiles[n], nodes.nlf_units[n]), 1) << "tile " << n;
  }
}

TEST(MeshPlacement, InterleavedGroupsPrecedeTheirNlfUnit) {
  // Two layers split over two tiles each, then a layer without tiles on NLF unit 0 again.
  // The order is tiles 0 and 1, NLF unit 0, tiles 2 and 3, NLF unit 1, and the repeat adds
  // nothing.
  const std::vector<PlacementGroup> groups = {{{0, 1}, 0}, {{2, 3}, 1}, {{}, 0}};
  const BlockNodes nodes = place_blocks({3, 3}, 4, 3, MeshPlacement::kInterleaved, groups);
  EXPECT_THAT(nodes.tiles, ElementsAre(0, 1, 5, 4));
  EXPECT_THAT(nodes.nlf_units, ElementsAre(2, 3, 6));  // unit 2 is in no group
  EXPECT_EQ(nodes.io_port, 7);
  const MeshNetwork mesh(test_params(3, 3));
  for (std::size_t t = 0; t < nodes.tiles.size(); ++t) {
    EXPECT_LE(mesh.hops(nodes.tiles[t], nodes.nlf_units[t / 2]), 2) << "tile " << t;
  }
  EXPECT_THROW(place_blocks({3, 3}, 4, 3, MeshPlacement::kInterleaved, {{{4}, 0}}),
               std::invalid_argument);
  EXPECT_THROW(place_blocks({3, 3}, 4, 3, MeshPlacement::kInterleaved, {{{0}, 3}}),
               std::invalid_argument);
}

TEST(MeshPlacement, EveryBlockGetsItsOwnNode) {
  for (const MeshPlacement placement : {MeshPlacement::kRowMajor, MeshPlacement::kInterleaved}) {
    const BlockNodes nodes = place_blocks({4, 3}, 7, 3, placement);
    std::vector<int> all = nodes.tiles;
    all.insert(all.end(), nodes.nlf_units.begin(), nodes.nlf_units.end());
    all.push_back(nodes.io_port);
    std::sort(all.begin(), all.end());
    EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
    EXPECT_GE(all.front(), 0);
    EXPECT_LT(all.back(), 12);
  }
}

TEST(MeshPlacement, MeshTooSmallRejected) {
  EXPECT_THROW(place_blocks({2, 2}, 3, 1, MeshPlacement::kRowMajor), std::invalid_argument);
  EXPECT_NO_THROW(place_blocks({2, 2}, 2, 1, MeshPlacement::kInterleaved));
}

TEST(MeshPlacement, ParsesConfigNames) {
  EXPECT_EQ(parse_mesh_placement("row_major"), MeshPlacement::kRowMajor);
  EXPECT_EQ(parse_mesh_placement("interleaved"), MeshPlacement::kInterleaved);
  EXPECT_THROW(parse_mesh_placement("diagonal"), std::invalid_argument);
}

}  // namespace
}  // namespace rpusim
