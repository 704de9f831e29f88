// ConstantStep resistive device, the model of Gokmen & Vlasov (2016) as the IBM Analog
// Hardware Acceleration Kit (aihwkit) names it. Functional numerics only, no SystemC.
//
// Models: a fixed step dw_min per coincident pulse, device-to-device spread of the step,
// of the up/down ratio and of the bounds (drawn once per cross-point), cycle-to-cycle
// Gaussian spread of each step, hard clipping at the per-device bounds.
// Leaves out: retention and drift over time, stuck devices. The state-dependent LinearStep and
// SoftBounds models and half-select are in linear_step_device.hpp.
#pragma once

#include <cstddef>
#include <vector>

#include "models/common/random.hpp"

namespace rpusim {

// Device parameters with aihwkit's names and meanings. All values are in weight units
// (a weight of 1 is a full-scale conductance difference) or dimensionless ratios.
struct ConstantStepParams {
  double dw_min = 0.001;       // mean step per coincident pulse
  double dw_min_dtod = 0.3;    // device-to-device spread of dw_min, relative (std. dev.)
  double dw_min_std = 0.3;     // cycle-to-cycle spread of each step, relative (std. dev.)
  double w_max = 0.6;          // mean upper bound
  double w_min = -0.6;         // mean lower bound
  double w_max_dtod = 0.3;     // device-to-device spread of w_max, relative
  double w_min_dtod = 0.3;     // device-to-device spread of w_min, relative
  double up_down = 0.0;        // global up/down asymmetry: dw_up = dw (1 + beta), dw_down = dw (1 - beta)
  double up_down_dtod = 0.01;  // device-to-device spread of beta, absolute (std. dev.)
};

// Per-cross-point parameters drawn once from the device parameters, stored as parallel arrays
// (structure of arrays) indexed like the weight matrix.
struct DeviceArrayState {
  std::vector<float> dw_up;    // step of an up (potentiating) pulse at w = 0, >= 0
  std::vector<float> dw_down;  // step of a down (depressing) pulse at w = 0, >= 0
  std::vector<float> w_max;    // upper bound, >= 0
  std::vector<float> w_min;    // lower bound, <= 0
  // Change of the step per unit weight of the state-dependent models (linear_step_device.hpp):
  // an up step at weight w is dw_up + slope_up w. Empty for ConstantStep devices.
  std::vector<float> slope_up;
  std::vector<float> slope_down;
};

// Draws `count` devices: dw = dw_min (1 + dw_min_dtod xi1), beta = up_down + up_down_dtod xi2,
// dw_up = dw (1 + beta), dw_down = dw (1 - beta), w_max (1 + w_max_dtod xi3),
// w_min (1 + w_min_dtod xi4), with xi standard normal. Steps are clipped at 0 and bounds so
// that w_min <= 0 <= w_max.
DeviceArrayState sample_device_array(const ConstantStepParams& params, std::size_t count,
                                     RandomEngine& rng);

}  // namespace rpusim
