#include "models/device/constant_step_device.hpp"

#include <algorithm>
#include <cmath>

#include <boost/random/normal_distribution.hpp>

namespace rpusim {

QuantisedValues::QuantisedValues(const std::vector<float>& values) : codes_(values.size(), 0) {
  float extreme = 0.0f;
  for (float value : values) {
    extreme = std::fabs(value) > std::fabs(extreme) ? value : extreme;
  }
  scale_ = extreme / static_cast<float>(kMaxCode);
  if (scale_ == 0.0f) {
    return;
  }
  const double inverse_scale = 1.0 / static_cast<double>(scale_);
  for (std::size_t k = 0; k < values.size(); ++k) {
    const long code = std::lround(static_cast<double>(values[k]) * inverse_scale);
    codes_[k] = static_cast<std::uint16_t>(std::clamp(code, 0L, static_cast<long>(kMaxCode)));
  }
}

DeviceArrayState sample_device_array(const ConstantStepParams& params, std::size_t count,
                                     RandomEngine& rng) {
  std::vector<float> dw_up(count);
  std::vector<float> dw_down(count);
  std::vector<float> w_max(count);
  std::vector<float> w_min(count);

  // Each device takes its four draws in a fixed order, so the draws of device k depend only on
  // the seed and on k, not on how many devices are drawn after it. (The 16-bit values below
  // also depend on the array's largest value, by at most half a quantisation step.)
  boost::random::normal_distribution<float> normal(0.0f, 1.0f);
  for (std::size_t k = 0; k < count; ++k) {
    const double step_xi = normal(rng);
    const double beta_xi = normal(rng);
    const double max_xi = normal(rng);
    const double min_xi = normal(rng);

    const double dw = std::max(0.0, params.dw_min * (1.0 + params.dw_min_dtod * step_xi));
    const double beta = params.up_down + params.up_down_dtod * beta_xi;
    dw_up[k] = static_cast<float>(std::max(0.0, dw * (1.0 + beta)));
    dw_down[k] = static_cast<float>(std::max(0.0, dw * (1.0 - beta)));
    w_max[k] = static_cast<float>(std::max(0.0, params.w_max * (1.0 + params.w_max_dtod * max_xi)));
    w_min[k] = static_cast<float>(std::min(0.0, params.w_min * (1.0 + params.w_min_dtod * min_xi)));
  }

  // Each float copy is released as soon as its codes exist.
  DeviceArrayState state;
  state.dw_up = QuantisedValues(dw_up);
  dw_up = {};
  state.dw_down = QuantisedValues(dw_down);
  dw_down = {};
  state.w_max = QuantisedValues(w_max);
  w_max = {};
  state.w_min = QuantisedValues(w_min);
  return state;
}

}  // namespace rpusim
