#include "models/device/constant_step_device.hpp"

#include <algorithm>

#include <boost/random/normal_distribution.hpp>

namespace rpusim {

DeviceArrayState sample_device_array(const ConstantStepParams& params, std::size_t count,
                                     RandomEngine& rng) {
  DeviceArrayState state;
  state.dw_up.resize(count);
  state.dw_down.resize(count);
  state.w_max.resize(count);
  state.w_min.resize(count);

  // Each device takes its four draws in a fixed order, so device k depends only on the
  // seed and on k, not on how many devices are drawn after it.
  boost::random::normal_distribution<float> normal(0.0f, 1.0f);
  for (std::size_t k = 0; k < count; ++k) {
    const double step_xi = normal(rng);
    const double beta_xi = normal(rng);
    const double max_xi = normal(rng);
    const double min_xi = normal(rng);

    const double dw = std::max(0.0, params.dw_min * (1.0 + params.dw_min_dtod * step_xi));
    const double beta = params.up_down + params.up_down_dtod * beta_xi;
    state.dw_up[k] = static_cast<float>(std::max(0.0, dw * (1.0 + beta)));
    state.dw_down[k] = static_cast<float>(std::max(0.0, dw * (1.0 - beta)));
    state.w_max[k] =
        static_cast<float>(std::max(0.0, params.w_max * (1.0 + params.w_max_dtod * max_xi)));
    state.w_min[k] =
        static_cast<float>(std::min(0.0, params.w_min * (1.0 + params.w_min_dtod * min_xi)));
  }
  return state;
}

}  // namespace rpusim
