// Crossbar array numerics: the weight matrix of one tile with its resistive devices.
// Forward y = W x, backward z = W^T d, pulsed update (coincidences counted with AND and
// popcount on bit-packed streams) with ConstantStep, LinearStep or SoftBounds devices and
// optional half-select drift, and the exact floating-point update used by `numerics: exact`.
// No SystemC, no read-path non-idealities (see read_path.hpp).
//
// W has one row per output line and one column per input line, stored row-major.
// Leaves out: IR drop along the lines, sneak paths, device read noise, temperature, and the
// order of the slots within one update (see apply_pulses).
#pragma once

#include <cstdint>
#include <vector>

#include "models/common/random.hpp"
#include "models/device/constant_step_device.hpp"
#include "models/device/linear_step_device.hpp"
#include "models/translator/pulse_stream.hpp"

namespace rpusim {

struct UpdateStats {
  std::uint64_t coincidences = 0;        // sum over cross-points of coincident pulse slots
  std::uint64_t updated_cross_points = 0;  // cross-points with at least one coincidence
};

class CrossbarArray {
 public:
  // Builds an outputs x inputs array; device parameters are drawn from `device_rng` (see
  // sample_device_array). Weights start at 0. Throws std::invalid_argument for non-positive
  // sizes or invalid device parameters (see validate_device_params).
  CrossbarArray(int outputs, int inputs, const DeviceParams& device, RandomEngine& device_rng);
  // Builds an array of ConstantStep devices without half-select.
  CrossbarArray(int outputs, int inputs, const ConstantStepParams& device,
                RandomEngine& device_rng);

  int outputs() const { return outputs_; }
  int inputs() const { return inputs_; }

  // Sets all weights (row-major, outputs x inputs), each clipped to its device's bounds.
  void set_weights(const std::vector<float>& weights);
  const std::vector<float>& weights() const { return weights_; }
  float weight(int output, int input) const { return weights_[index(output, input)]; }
  const DeviceArrayState& devices() const { return devices_; }
  const DeviceParams& device_params() const { return device_params_; }

  // y[outputs] = W x[inputs], ideal arithmetic.
  void multiply(const float* x, float* y) const;
  // z[inputs] = W^T d[outputs], ideal arithmetic.
  void multiply_transposed(const float* d, float* z) const;

  // Applies one pulsed update. A line pulses when its bits and its sign are nonzero. Input
  // line i then carries n_x = popcount(input.bits[i]) pulses of sign s_x = input.sign[i],
  // output line j carries n_d pulses of sign s_d, and cross-point (j, i) gets
  // c = popcount(input.bits[i] & output.bits[j]) coincidences, each one step in direction
  // s_x s_d (dw_up for +1, dw_down for -1):
  // - ConstantStep: the c steps with one combined cycle-to-cycle draw,
  //   c + dw_min_std sqrt(c) xi steps, then clipping to the device bounds;
  // - LinearStep and SoftBounds: the c steps one at a time, each at the current weight with
  //   its own draw and clipping, because no combined draw of state-dependent steps is exact.
  //
  // Half-select, with half_select_factor k > 0: each of the n_x - c pulses the input line
  // sends while the output line is idle moves the device k steps in direction s_x, and each of
  // the n_d - c pulses of the output line alone k steps in direction s_d. A half step is k
  // times the full step at the current weight, without cycle-to-cycle noise, clipped like a
  // full step. They follow the coincidences: input-line half pulses first, then output-line
  // ones. The real slot order interleaves the three, which matters only through the state
  // dependence of the step and at the bounds. A ConstantStep device away from its bounds
  // therefore changes by
  //   c s_x s_d dw_{s_x s_d} + k (n_x - c) s_x dw_{s_x} + k (n_d - c) s_d dw_{s_d},
  // which for Bernoulli streams with slot probabilities p_x, p_d has the expectation
  //   BL (p_x p_d s_x s_d dw_{s_x s_d} + k p_x (1 - p_d) s_x dw_{s_x}
  //       + k p_d (1 - p_x) s_d dw_{s_d}).
  // Direction convention: the input line drives s_x V/2 and the output line -s_d V/2, so a
  // device on only one pulsing line gets V/2 of sign s_x or s_d across it.
  // NOTE: these line voltages put (s_x + s_d) V/2 across a coincident device, which matches
  // the update direction s_x s_d only when both signs are positive (opposite signs give 0 V,
  // two negative signs -V). Hardware applies the polarities in separate phases, as the tile's
  // update time assumes. How it does so may change the half-select directions, which this
  // model ties to the line signs.
  //
  // The draws xi come from a NormalBatch stream (normal_batch.hpp) keyed by one word of `rng`
  // per call (none when dw_min_std is 0), in output-line order and, within a line, in
  // input-line order. Without half-select, an update in which no input line pulses returns
  // at once. Throws std::invalid_argument if the stream sizes or lengths do not match
  // the array.
  UpdateStats apply_pulses(const PulseStreams& input, const PulseStreams& output,
                           RandomEngine& rng);

  // W += learning_rate d x^T in exact floating point, no device model, no bounds.
  void apply_exact_update(const float* x, const float* d, float learning_rate);

  // Sum of the weights on each input line (over all outputs) and on each output line (over
  // all inputs). The tile's read energy under the reference-column mapping depends on them.
  // Pulsed updates keep them up to date as they go. After an exact update they are
  // recomputed on the next call, so the exact SGD loop stays a plain vector update.
  const std::vector<double>& input_line_weight_sums() const {
    refresh_line_sums();
    return input_line_sums_;
  }
  const std::vector<double>& output_line_weight_sums() const {
    refresh_line_sums();
    return output_line_sums_;
  }

 private:
  std::size_t index(int output, int input) const {
    return static_cast<std::size_t>(output) * inputs_ + input;
  }
  void recompute_line_sums() const;
  void refresh_line_sums() const {
    if (line_sums_stale_) recompute_line_sums();
  }
  void check_streams(const PulseStreams& input, const PulseStreams& output) const;
  // Lists the inputs with pulses and a polarity in active_input_*_; returns how many.
  int collect_active_inputs(const PulseStreams& input);
  // Lists, for each slot, the active inputs that pulse in it (in slot_input_codes_).
  void collect_slot_lists(int active);
  // Stores each input line's slot bits (0 for an idle line) in input_planes_, one byte per line
  // and slot, and its sign in input_sign_bits_; returns the slots in which some line pulses.
  std::uint64_t collect_input_planes(const PulseStreams& input);
  // The pulsed update of ConstantStep devices without half-select: each pulsed output line is
  // one pass over all input lines with their coincidence counts (see update_kernels.hpp).
  UpdateStats apply_constant_step_pulses(const PulseStreams& input, const PulseStreams& output,
                                         RandomEngine& rng);
  // Stores the device values of output line j in row_dw_up_, row_dw_down_, row_w_max_ and
  // row_w_min_, for the update paths that read float values.
  void decode_device_row(int j);
  // Stores each input line's pulse count and direction for the half-select pass.
  void collect_half_select_inputs(const PulseStreams& input);
  // Applies the half-selected pulses of output line j, whose coincidences with the inputs are
  // listed in `codes` and `slots` (nullptr: one each), and returns the row's applied change.
  double apply_half_select_row(int j, const int* codes, const int* slots, int count,
                               int output_pulses, int output_sign);
  // Applies the half-selected pulses of ConstantStep output line j, which does not pulse,
  // visiting only the `active` pulsed inputs, and returns the row's applied change.
  double apply_input_half_select_row(int j, int active);

  int outputs_;
  int inputs_;
  DeviceParams device_params_;
  bool state_dependent_;  // LinearStep or SoftBounds: the step depends on the weight
  DeviceArrayState devices_;
  std::vector<float> weights_;
  mutable std::vector<double> input_line_sums_;
  mutable std::vector<double> output_line_sums_;
  mutable bool line_sums_stale_ = false;

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
  std::vector<float> coincident_noise_;  // standard normal draws of one row, one per coincidence
  // Scratch of apply_constant_step_pulses: byte k * inputs + i is 1 when input line i pulses in
  // slot k; the number of input lines pulsing in each slot; each input line's sign bit
  // (0x80000000 when negative); one output line's coincidence count with each input line.
  std::vector<std::uint8_t> input_planes_;
  std::vector<int> slot_pulses_;
  std::vector<std::uint32_t> input_sign_bits_;
  std::vector<std::uint8_t> row_coincidence_counts_;
  // Device values of one output line, decoded by decode_device_row.
  std::vector<float> row_dw_up_;
  std::vector<float> row_dw_down_;
  std::vector<float> row_w_max_;
  std::vector<float> row_w_min_;
  // Half-select scratch: pulse count and direction (+1, -1, 0 when not pulsed) of each input
  // line, and the coincidences of the current output line with each input line (zero except
  // while that line is processed).
  std::vector<int> input_pulse_counts_;
  std::vector<float> input_directions_;
  std::vector<int> row_coincidences_;
};

}  // namespace rpusim
