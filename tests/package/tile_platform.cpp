// A minimal virtual platform built against the installed rpusim package: one RPU tile
// behind a TLM-2.0 initiator runs one exact forward read and checks y = W x.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/common/config.hpp"
#include "models/common/energy_ledger.hpp"
#include "models/tile/rpu_tile.hpp"

namespace {

struct Platform : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Platform> socket{"socket"};
  std::vector<float> y = std::vector<float>(2, 0.0f);
  bool ok = false;

  SC_HAS_PROCESS(Platform);
  explicit Platform(const sc_core::sc_module_name& name) : sc_module(name) { SC_THREAD(run); }

  bool transfer(tlm::tlm_command command, std::uint64_t address, void* data, unsigned bytes) {
    tlm::tlm_generic_payload payload;
    payload.set_command(command);
    payload.set_address(address);
    payload.set_data_ptr(static_cast<unsigned char*>(data));
    payload.set_data_length(bytes);
    payload.set_streaming_width(bytes);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(payload, delay);
    return payload.is_response_ok();
  }

  void run() {
    std::vector<float> x = {1.0f, 0.5f, -0.25f};
    float scale = 1.0f;
    std::uint32_t forward = rpusim::tile_map::kForward;
    ok = transfer(tlm::TLM_WRITE_COMMAND, rpusim::tile_map::kXBuffer, x.data(), 12) &&
         transfer(tlm::TLM_WRITE_COMMAND, rpusim::tile_map::kXScale, &scale, 4) &&
         transfer(tlm::TLM_WRITE_COMMAND, rpusim::tile_map::kCommand, &forward, 4) &&
         transfer(tlm::TLM_READ_COMMAND, rpusim::tile_map::kYBuffer, y.data(), 8);
  }
};

}  // namespace

int sc_main(int, char*[]) {
  rpusim::Config config = rpusim::Config::defaults();
  config.set("run.numerics", "exact");
  config.set("device.w_max_dtod", "0");
  config.set("device.w_min_dtod", "0");
  rpusim::EnergyLedger ledger(1);
  rpusim::RpuTile tile("tile", config, ledger, 1);
  tile.map_layer(0, 3, 2, {0.5f, 0.25f, 0.0f, -0.5f, 0.0f, 0.5f});
  Platform platform("platform");
  platform.socket.bind(tile.target_socket);
  sc_core::sc_start();

  // y = W x: (0.5 + 0.125 + 0) and (-0.5 + 0 - 0.125).
  const bool correct = platform.ok && platform.y[0] == 0.625f && platform.y[1] == -0.625f;
  std::printf("tile_platform: y = (%g, %g), %s\n", platform.y[0], platform.y[1],
              correct ? "as expected" : "WRONG");
  return correct ? 0 : 1;
}
