#include "models/device/linear_step_device.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include <boost/random/normal_distribution.hpp>

#include "models/common/config.hpp"

namespace rpusim {

namespace {

void check_finite(double value, const char* name) {
  if (!std::isfinite(value)) {
    throw std::invalid_argument(std::string("device ") + name + " " + std::to_string(value) +
                                " is invalid: must be finite");
  }
}

void check_non_negative(double value, const char* name) {
  check_finite(value, name);
  if (value < 0.0) {
    throw std::invalid_argument(std::string("device ") + name + " " + std::to_string(value) +
                                " is invalid: must be >= 0");
  }
}

// Returns -gamma dw / reference, the slope that makes the step dw (1 - gamma w / reference).
float slope(double gamma, float dw, double reference) {
  return reference == 0.0 ? 0.0f : static_cast<float>(-gamma * dw / reference);
}

}  // namespace

const char* device_model_name(DeviceModel model) {
  switch (model) {
    case DeviceModel::constant_step:
      return "constant_step";
    case DeviceModel::linear_step:
      return "linear_step";
    case DeviceModel::soft_bounds:
      return "soft_bounds";
  }
  return "unknown";
}

DeviceModel parse_device_model(std::string_view name) {
  std::string allowed;
  for (DeviceModel model : kDeviceModels) {
    if (name == device_model_name(model)) return model;
    allowed += (allowed.empty() ? "" : ", ") + std::string(device_model_name(model));
  }
  throw std::invalid_argument("device model '" + std::string(name) +
                              "' is invalid: must be one of " + allowed);
}

DeviceParams device_params_from_config(const Config& config) {
  DeviceParams device;
  device.dw_min = config.get_real("device.dw_min");
  device.dw_min_dtod = config.get_real("device.dw_min_dtod");
  device.dw_min_std = config.get_real("device.dw_min_std");
  device.w_max = config.get_real("device.w_max");
  device.w_min = config.get_real("device.w_min");
  device.w_max_dtod = config.get_real("device.w_max_dtod");
  device.w_min_dtod = config.get_real("device.w_min_dtod");
  device.up_down = config.get_real("device.up_down");
  device.up_down_dtod = config.get_real("device.up_down_dtod");

  device.model = parse_device_model(config.get_string("device.model"));
  device.gamma_up = config.get_real("device.gamma_up");
  device.gamma_down = config.get_real("device.gamma_down");
  device.gamma_up_dtod = config.get_real("device.gamma_up_dtod");
  device.gamma_down_dtod = config.get_real("device.gamma_down_dtod");
  device.allow_increasing = config.get_bool("device.allow_increasing");
  device.mean_bound_reference = config.get_bool("device.mean_bound_reference");
  device.mult_noise = config.get_bool("device.mult_noise");
  device.half_select_factor = config.get_real("device.half_select_factor");
  return device;
}

DeviceParams constant_step_device(const ConstantStepParams& params) {
  DeviceParams device;
  static_cast<ConstantStepParams&>(device) = params;
  return device;
}

void validate_device_params(const DeviceParams& params) {
  check_finite(params.gamma_up, "gamma_up");
  check_finite(params.gamma_down, "gamma_down");
  check_non_negative(params.gamma_up_dtod, "gamma_up_dtod");
  check_non_negative(params.gamma_down_dtod, "gamma_down_dtod");
  check_non_negative(params.half_select_factor, "half_select_factor");
  if (params.half_select_factor > 1.0) {
    throw std::invalid_argument("device half_select_factor " +
                                std::to_string(params.half_select_factor) +
                                " is invalid: must be 0..1");
  }
}

DeviceParams linear_step_params(const DeviceParams& params) {
  DeviceParams resolved = params;
  if (params.model == DeviceModel::soft_bounds) {
    resolved.gamma_up = 1.0;
    resolved.gamma_down = 1.0;
    resolved.gamma_up_dtod = 0.0;
    resolved.gamma_down_dtod = 0.0;
    resolved.allow_increasing = false;
    resolved.mean_bound_reference = false;
  }
  return resolved;
}

DeviceArrayState sample_device_array(const DeviceParams& params, std::size_t count,
                                     RandomEngine& rng) {
  DeviceArrayState state =
      sample_device_array(static_cast<const ConstantStepParams&>(params), count, rng);
  if (params.model == DeviceModel::constant_step) {
    return state;
  }

  const DeviceParams resolved = linear_step_params(params);
  state.slope_up.resize(count);
  state.slope_down.resize(count);
  boost::random::normal_distribution<float> normal(0.0f, 1.0f);
  const bool draw_gamma = params.model == DeviceModel::linear_step;
  for (std::size_t k = 0; k < count; ++k) {
    double gamma_up = resolved.gamma_up;
    double gamma_down = resolved.gamma_down;
    if (draw_gamma) {
      gamma_up += resolved.gamma_up_dtod * normal(rng);
      gamma_down += resolved.gamma_down_dtod * normal(rng);
    }
    if (!resolved.allow_increasing) {
      gamma_up = std::fabs(gamma_up);
      gamma_down = std::fabs(gamma_down);
    }
    const double reference_up = resolved.mean_bound_reference ? params.w_max : state.w_max[k];
    const double reference_down = resolved.mean_bound_reference ? params.w_min : state.w_min[k];
    state.slope_up[k] = slope(gamma_up, state.dw_up[k], reference_up);
    state.slope_down[k] = slope(gamma_down, state.dw_down[k], reference_down);
  }
  return state;
}

}  // namespace rpusim
