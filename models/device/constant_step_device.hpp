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
#include <cstdint>
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

// One per-device quantity of an array (all values >= 0 or all <= 0) stored as 16-bit codes
// with one scale: value k is static_cast<float>(code k) * scale, and every model computes with
// exactly that value. The scale is the value of largest magnitude divided by 65535, and code k
// is the drawn value divided by the scale, rounded to the nearest integer. Each stored value
// is therefore within half a scale (plus float rounding) of the value drawn, about 2e-5 of a
// typical value when the largest one is 2.7 times the mean. Storing steps and bounds in 16
// bits halves the memory traffic of the pulsed update.
// NOTE: the scale depends on the largest value of the whole array, so the same device drawn
// into arrays of different sizes can differ by up to half a scale.
class QuantisedValues {
 public:
  static constexpr std::uint32_t kMaxCode = 65535;

  QuantisedValues() = default;
  // Quantises `values`, which must all be >= 0 or all be <= 0. All zero gives scale 0.
  explicit QuantisedValues(const std::vector<float>& values);

  float operator[](std::size_t k) const { return static_cast<float>(codes_[k]) * scale_; }
  std::size_t size() const { return codes_.size(); }
  bool empty() const { return codes_.empty(); }
  const std::uint16_t* codes() const { return codes_.data(); }
  float scale() const { return scale_; }  // negative for values <= 0

  friend bool operator==(const QuantisedValues& a, const QuantisedValues& b) {
    return a.scale_ == b.scale_ && a.codes_ == b.codes_;
  }

 private:
  std::vector<std::uint16_t> codes_;
  float scale_ = 0.0f;
};

// Per-cross-point parameters drawn once from the device parameters, stored as parallel arrays
// (structure of arrays) indexed like the weight matrix.
struct DeviceArrayState {
  QuantisedValues dw_up;    // step of an up (potentiating) pulse at w = 0, >= 0
  QuantisedValues dw_down;  // step of a down (depressing) pulse at w = 0, >= 0
  QuantisedValues w_max;    // upper bound, >= 0
  QuantisedValues w_min;    // lower bound, <= 0
  // Change of the step per unit weight of the state-dependent models (linear_step_device.hpp):
  // an up step at weight w is dw_up + slope_up w. Empty for ConstantStep devices.
  std::vector<float> slope_up;
  std::vector<float> slope_down;
};

// Draws `count` devices: dw = dw_min (1 + dw_min_dtod xi1), beta = up_down + up_down_dtod xi2,
// dw_up = dw (1 + beta), dw_down = dw (1 - beta), w_max (1 + w_max_dtod xi3),
// w_min (1 + w_min_dtod xi4), with xi standard normal. Steps are clipped at 0 and bounds so
// that w_min <= 0 <= w_max. Each quantity is then quantised to 16 bits (QuantisedValues).
DeviceArrayState sample_device_array(const ConstantStepParams& params, std::size_t count,
                                     RandomEngine& rng);

}  // namespace rpusim
