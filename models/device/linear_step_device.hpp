// LinearStep and SoftBounds resistive devices, the state-dependent step models of the IBM
// Analog Hardware Acceleration Kit (aihwkit), and the parameters that select a crossbar
// array's device model. Functional numerics only, no SystemC.
//
// A LinearStep device moves, per coincident pulse in direction s (+1 up, -1 down), by
//   w <- clip(w + s (dw_s + slope_s w) (1 + dw_min_std xi))      (mult_noise = true)
//   w <- clip(w + s (dw_s + slope_s w + dw_s dw_min_std xi))     (mult_noise = false)
// with dw_up, dw_down and the bounds drawn as for ConstantStep, and per-device slopes
//   slope_up = -gamma_up_ij dw_up / ref_up,  slope_down = -gamma_down_ij dw_down / ref_down,
//   gamma_up_ij = gamma_up + gamma_up_dtod xi (the absolute value unless allow_increasing),
// so an up step is dw_up (1 - gamma_up_ij w / ref_up) and a down step dw_down (1 - gamma_down_ij
// w / ref_down). ref_up and ref_down are the mean bounds w_max and w_min (mean_bound_reference)
// or the device's own bounds. SoftBounds is LinearStep with gamma = 1, no spread of gamma and the
// device's own bounds: dw_up (1 - w / w_max_ij) and dw_down (1 - w / w_min_ij), zero at the bound.
// Sources: aihwkit's LinearStepDevice and SoftBoundsDevice documentation
// (src/aihwkit/simulator/configs/devices.py) and their implementation
// (src/rpucuda/rpu_linearstep_device.{h,cpp}), which this follows where the two differ.
//
// Leaves out aihwkit's write_noise_std, apply_write_noise_on_set, reverse_up, reverse_down and
// reverse_offset, and the PulsedDevice features that ConstantStep leaves out (decay, diffusion,
// drift, reset, corrupt devices).
#pragma once

#include <cstddef>
#include <string_view>

#include "models/common/random.hpp"
#include "models/device/constant_step_device.hpp"

namespace rpusim {

class Config;

enum class DeviceModel { constant_step, linear_step, soft_bounds };

// Every model, in the order of the device.model choices of the configuration schema (a unit
// test compares the two lists).
inline constexpr DeviceModel kDeviceModels[] = {DeviceModel::constant_step,
                                                DeviceModel::linear_step, DeviceModel::soft_bounds};

// Returns the configuration name of `model`: "constant_step", "linear_step" or "soft_bounds".
const char* device_model_name(DeviceModel model);
// Returns the model named `name`. Throws std::invalid_argument for any other name.
DeviceModel parse_device_model(std::string_view name);

// Parameters of every device of one array: the ConstantStep parameters, the LinearStep
// parameters with aihwkit's names and defaults, and the half-select factor of all three
// models. Only linear_step reads the gamma settings, because soft_bounds fixes them (see
// linear_step_params).
struct DeviceParams : ConstantStepParams {
  DeviceModel model = DeviceModel::constant_step;
  double gamma_up = 0.0;             // relative decrease of the up step at the reference bound
  double gamma_down = 0.0;           // relative decrease of the down step at the reference bound
  double gamma_up_dtod = 0.05;       // device-to-device spread of gamma_up, absolute (std. dev.)
  double gamma_down_dtod = 0.05;     // device-to-device spread of gamma_down, absolute (std. dev.)
  bool allow_increasing = false;     // keep negative gamma draws: steps then grow towards a bound
  bool mean_bound_reference = true;  // ref = mean bounds w_max, w_min; else each device's own
  bool mult_noise = true;  // cycle-to-cycle noise scales the state-dependent step, else dw_s
  // Nonlinearity factor k of Gokmen & Vlasov (2016): the change of a half-selected device (a
  // pulse on one of its two lines only) relative to a full step. 0 is the ideal device.
  double half_select_factor = 0.0;
};

// Returns the device.* keys of `config` as DeviceParams. Tiles read their devices through it,
// and so can code that builds a CrossbarArray on its own.
DeviceParams device_params_from_config(const Config& config);

// Returns DeviceParams that carry `params` and the defaults of every other field
// (constant_step, no half-select).
DeviceParams constant_step_device(const ConstantStepParams& params);

// Throws std::invalid_argument, naming the parameter, the value and the allowed range, if
// half_select_factor is outside 0..1, a gamma spread is negative or a value is not finite.
void validate_device_params(const DeviceParams& params);

// Returns the parameters a state-dependent model uses: `params` itself for linear_step, and
// for soft_bounds aihwkit's fixed settings gamma_up = gamma_down = 1, gamma_up_dtod =
// gamma_down_dtod = 0, allow_increasing = false and mean_bound_reference = false.
DeviceParams linear_step_params(const DeviceParams& params);

// Draws `count` devices of `params.model`. The ConstantStep part (steps and bounds) comes
// first, drawn exactly as sample_device_array(const ConstantStepParams&, ...) draws it from
// the same engine state. Then linear_step draws gamma_up_ij and gamma_down_ij, two standard
// normal draws per device in device order, and both state-dependent models fill slope_up and
// slope_down. A reference bound of 0 gives a slope of 0, as in aihwkit.
DeviceArrayState sample_device_array(const DeviceParams& params, std::size_t count,
                                     RandomEngine& rng);

}  // namespace rpusim
