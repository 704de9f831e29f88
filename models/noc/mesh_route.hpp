// Routing hint for the mesh, carried by a generic payload as an ignorable TLM-2.0
// extension. The sequencer is the chip's only initiator, so without the hint every data
// transfer starts or ends at its node. With the hint, a write's data comes from `node`
// instead, and a read's data goes to `node`: this models a tile-to-tile or tile-to-NLF
// move that the sequencer starts but does not relay. A bus and every target ignore it.
#pragma once

#include <tlm>

namespace rpusim {

struct MeshRoute : tlm::tlm_extension<MeshRoute> {
  int node = -1;  // source node of a write's data or destination node of a read's data

  tlm::tlm_extension_base* clone() const override { return new MeshRoute(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const MeshRoute&>(other);
  }
};

// Returns the node named by the payload's MeshRoute, or `initiator_node` if it carries none.
inline int route_node_of(const tlm::tlm_generic_payload& payload, int initiator_node) {
  MeshRoute* route = nullptr;
  payload.get_extension(route);
  return route ? route->node : initiator_node;
}

}  // namespace rpusim
