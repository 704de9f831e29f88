// A program built against the installed package's numerics component alone: one crossbar
// array of the configured devices, without SystemC, checks y = W x and z = W^T d.
#include <cstdio>
#include <vector>

#include "models/common/config.hpp"
#include "models/common/random.hpp"
#include "models/device/linear_step_device.hpp"
#include "models/tile/crossbar_array.hpp"

int main() {
  rpusim::Config config = rpusim::Config::defaults();
  config.set("device.w_max_dtod", "0");
  config.set("device.w_min_dtod", "0");
  rpusim::RandomEngine rng(7);
  rpusim::CrossbarArray array(2, 3, rpusim::device_params_from_config(config), rng);
  array.set_weights({0.5f, 0.25f, 0.0f, -0.5f, 0.0f, 0.5f});

  const std::vector<float> x = {1.0f, 0.5f, -0.25f};
  const std::vector<float> d = {1.0f, -1.0f};
  std::vector<float> y(2);
  std::vector<float> z(3);
  array.multiply(x.data(), y.data());
  array.multiply_transposed(d.data(), z.data());

  // y = (0.5 + 0.125 + 0, -0.5 + 0 - 0.125); z = (0.5 + 0.5, 0.25 - 0, 0 - 0.5).
  const bool correct =
      y[0] == 0.625f && y[1] == -0.625f && z[0] == 1.0f && z[1] == 0.25f && z[2] == -0.5f;
  std::printf("crossbar_user: y = (%g, %g), z = (%g, %g, %g), %s\n", y[0], y[1], z[0], z[1], z[2],
              correct ? "as expected" : "WRONG");
  return correct ? 0 : 1;
}
