// Crossbar array numerics: the weight matrix of one tile with its resistive devices.
// Forward y = W x, backward z = W^T d, pulsed stochastic update (coincidences counted
// with AND and popcount on bit-packed streams) and the exact floating-point update used
// by `numerics: exact`. No SystemC, no read-path non-idealities (see read_path.hpp).
//
// W has one row per output line and one column per input line, stored row-major.
// Leaves out: IR drop along the lines, sneak paths, device read noise, temperature.
#pragma once

#include <cstdint>
#include <vector>

#include "models/common/random.hpp"
#include "models/device/constant_step_device.hpp"
#include "models/translator/pulse_stream.hpp"

namespace rpusim {

struct UpdateStats {
  std::uint64_t coincidences = 0;        // sum over cross-points of coincident pulse slots
  std::uint64_t updated_cross_points = 0;  // cross-points with at least one coincidence
};

class CrossbarArray {
 public:
  // Builds an outputs x inputs array; device parameters are drawn from `device_rng`.
  // Weights start at 0. Throws std::invalid_argument for non-positive sizes.
  CrossbarArray(int outputs, int inputs, const ConstantStepParams& device,
                RandomEngine& device_rng);

  int outputs() const { return outputs_; }
  int inputs() const { return inputs_; }

  // Sets all weights (row-major, outputs x inputs), each clipped to its device's bounds.
  void set_weights(const std::vector<float>& weights);
  const std::vector<float>& weights() const { return weights_; }
  float weight(int output, int input) const { return weights_[index(output, input)]; }
  const DeviceArrayState& devices() const { return devices_; }

  // y[outputs] = W x[inputs], ideal arithmetic.
  void multiply(const float* x, float* y) const;
  // z[inputs] = W^T d[outputs], ideal arithmetic.
  void multiply_transposed(const float* d, float* z) const;

  // Applies one pulsed update: at cross-point (j, i) the n = popcount(output.bits[j] &
  // input.bits[i]) coincidences move the weight n steps in direction
  // sign(input.sign[i] * output.sign[j]), with one combined cycle-to-cycle draw
  // (n + dw_min_std sqrt(n) xi) steps, then clip to the device bounds. The draws xi come
  // from a fast generator seeded with four words of `rng` per call (none when dw_min_std
  // is 0). Throws std::invalid_argument if the stream sizes or lengths do not match the
  // array.
  UpdateStats apply_pulses(const PulseStreams& input, const PulseStreams& output,
                           RandomEngine& rng);

  // W += learning_rate d x^T in exact floating point, no device model, no bounds.
  void apply_exact_update(const float* x, const float* d, float learning_rate);

  // Sum of the weights on each input line (over all outputs) and on each output line (over
  // all inputs), kept up to date by every update; the tile's read energy under the
  // reference-column mapping depends on them.
  const std::vector<double>& input_line_weight_sums() const { return input_line_sums_; }
  const std::vector<double>& output_line_weight_sums() const { return output_line_sums_; }

 private:
  std::size_t index(int output, int input) const {
    return static_cast<std::size_t>(output) * inputs_ + input;
  }
  void recompute_line_sums();
  void check_streams(const PulseStreams& input, const PulseStreams& output) const;
  // Lists the inputs with pulses and a polarity in active_input_*_; returns how many.
  int collect_active_inputs(const PulseStreams& input);
  // Lists, for each slot, the active inputs that pulse in it (in slot_input_codes_).
  void collect_slot_lists(int active);

  int outputs_;
  int inputs_;
  ConstantStepParams device_params_;
  DeviceArrayState devices_;
  std::vector<float> weights_;
  std::vector<double> input_line_sums_;
  std::vector<double> output_line_sums_;

  // Scratch space of apply_pulses, sized in the constructor so that an update does not
  // allocate. An input line is coded as its index i for positive polarity and as ~i for
  // negative polarity.
  std::vector<std::uint64_t> active_input_bits_;
  std::vector<int> active_input_code_;
  std::vector<int> coincident_input_code_;
  std::vector<int> coincident_input_slots_;
  std::vector<int> slot_input_codes_;  // list of slot k at [slot_offsets_[k], slot_offsets_[k+1])
  std::vector<int> slot_offsets_;
  std::vector<int> slot_fill_;
  std::vector<float> coincident_noise_;  // one standard normal draw per coincident input
};

}  // namespace rpusim
