// RPU tile: a crossbar array of resistive devices with the periphery it owns (DAC,
// integrator, ADC and stochastic translator banks on both sides, local x/d buffers),
// behind one TLM-2.0 target socket (base protocol). The socket is loosely timed through
// b_transport, and approximately timed through nb_transport_fw (AtTarget), which serves one
// command at a time.
//
// Abstraction: one transaction per vector operation. A FORWARD or BACKWARD command runs
// DAC setup, integration over t_meas and the shared-ADC conversions, and returns with the
// completion time annotated. An UPDATE runs two pulse phases (one per polarity) of BL slots.
// The array, the ADC banks and the translators keep busy-until times, so back-to-back
// commands queue. Energy: read energy from device conductances and pulse widths, line
// charging, periphery per conversion, update pulses on every line including half-selected
// devices, coincidences, buffer accesses. Leaves out: IR drop, sneak paths, device read
// noise and weight programming cost at start-up.
//
// Timing-only runs (`run.mode: timing`) map a block without an array (map_block) and send
// commands that carry a TimingOp: the tile then times and prices a burst of reads or
// updates from activity factors instead of data, with the same component figures.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/common/at_target.hpp"
#include "models/common/energy_ledger.hpp"
#include "models/common/random.hpp"
#include "models/common/resource_calendar.hpp"
#include "models/common/trace_recorder.hpp"
#include "models/periphery/adc.hpp"
#include "models/periphery/dac.hpp"
#include "models/periphery/integrator.hpp"
#include "models/tile/crossbar_array.hpp"
#include "models/tile/vector_buffer.hpp"
#include "models/timing/activity.hpp"
#include "models/timing/timing_op.hpp"
#include "models/translator/stochastic_translator.hpp"

namespace rpusim {

class Config;

// Register and buffer offsets inside a tile's address region (docs/address-map.md).
namespace tile_map {
constexpr std::uint64_t kCommand = 0x0000;     // W: kForward, kBackward, kUpdate
constexpr std::uint64_t kSaturated = 0x0004;   // R: outputs saturated in the last read
constexpr std::uint64_t kXScale = 0x0008;      // RW f32: x = X buffer * x_scale
constexpr std::uint64_t kDScale = 0x000C;      // RW f32: d = D buffer * d_scale
constexpr std::uint64_t kInputs = 0x0010;      // R: input lines in use (bias included)
constexpr std::uint64_t kOutputs = 0x0014;     // R: output lines in use
constexpr std::uint64_t kBitLength = 0x0018;   // RW: BL of the next update (0 skips it)
constexpr std::uint64_t kXProbability = 0x001C;  // RW f32: pulse probability scale of x lines
constexpr std::uint64_t kDProbability = 0x0020;  // RW f32: pulse probability scale of d lines
constexpr std::uint64_t kLearningRate = 0x0024;  // RW f32: eta, whose write resets both scales to C
constexpr std::uint64_t kXBuffer = 0x10000;    // RW: input-line vector, f32 words
constexpr std::uint64_t kDBuffer = 0x20000;    // RW: output-line vector
constexpr std::uint64_t kYBuffer = 0x30000;    // R: forward result (output lines)
constexpr std::uint64_t kZBuffer = 0x40000;    // R: backward result (input lines)
constexpr std::uint64_t kBufferSpan = 0x10000; // bytes reserved per buffer
constexpr std::uint64_t kRegionSize = 0x50000;

enum Command : std::uint32_t { kForward = 1, kBackward = 2, kUpdate = 3 };
}  // namespace tile_map

struct TileParams {
  int input_lines = 4096;
  int output_lines = 4096;
  bool differential_pair = true;  // else one device against a reference column/row
  bool pulse_width_encoding = true;  // else amplitude encoding
  bool analog = true;             // numerics: analog (device and periphery models)
  double read_voltage_v = 1.0;
  double mean_conductance_s = 1.0 / 24e6;
  double on_off_ratio = 8.0;
  double cell_area_um2 = 0.01;
  double line_capacitance_f_per_um = 0.2e-15;
  sc_core::sc_time pulse_width;
  double update_voltage_v = 1.0;
  int bit_length = 10;
  double switching_energy_j = 0;
  double gated_leakage_fraction = 0;
  double learning_rate = 0.01;
  DeviceParams device;

  static TileParams from_config(const Config& config);
  // Returns the pulse probability scale C = sqrt(learning_rate / (BL dw_min)), so that the
  // expected update is learning_rate d x^T.
  double probability_scale() const;
};

struct TileActivity {
  std::uint64_t forward_reads = 0;
  std::uint64_t backward_reads = 0;
  std::uint64_t saturated_reads = 0;
  std::uint64_t updates = 0;
  double pulses = 0;        // expected values in exact numerics
  double coincidences = 0;  // expected values in exact numerics
  sc_core::sc_time busy;    // time the array was integrating or pulsing

  // Sums for measuring activity factors (functional runs; ActivityFactors).
  double forward_lines = 0;       // input lines driven over all forward reads
  double forward_abs_sum = 0;     // sum of |x| over them, full scale = 1
  double forward_square_sum = 0;
  double forward_nonzero = 0;
  double backward_lines = 0;
  double backward_abs_sum = 0;
  double backward_square_sum = 0;
  double backward_nonzero = 0;
  double x_slots = 0;  // x lines x BL over all updates
  double d_slots = 0;
  double x_pulses = 0;
  double d_pulses = 0;
  double cross_point_slots = 0;  // inputs x outputs x BL over all updates
};

class RpuTile : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<RpuTile> target_socket;

  // Builds the tile and its periphery from `config`; random streams derive from `seed` and
  // the tile's hierarchical name.
  RpuTile(const sc_core::sc_module_name& name, const Config& config, EnergyLedger& ledger,
          std::uint64_t seed);

  // Maps one layer onto the tile at elaboration: `inputs` lines (bias included) and
  // `outputs` lines, with the given initial weights (row-major, outputs x inputs).
  void map_layer(int layer, int inputs, int outputs, const std::vector<float>& weights);

  // Maps one block of a layer for a timing-only run: the lines in use, no array and no
  // weights. `activity` sets the data-dependent figures of every operation.
  void map_block(int layer, int inputs, int outputs, const ActivityFactors& activity);

  // Adds this tile's busy flags to `recorder` at elaboration: the array's FORWARD, BACKWARD
  // and UPDATE commands (each from its start to its result) and the conversions of the
  // input-side and output-side ADC banks.
  void trace(TraceRecorder& recorder);

  int layer() const { return m_layer; }
  bool has_array() const { return m_array != nullptr; }
  const CrossbarArray& array() const { return *m_array; }
  const TileActivity& activity() const { return m_activity; }
  const TileParams& params() const { return m_params; }

  // Adds this tile's static power (W) and area (um^2) to per-component totals indexed by
  // Component.
  void add_static_power(std::array<double, kComponentCount>& watts) const;
  void add_area(std::array<double, kComponentCount>& um2) const;
  double array_area_um2() const;

  // Figures of one fully used tile (every line of the tile mapped), computed with the same
  // functions the simulation books with: the forward read's duration (DAC setup, t_meas and
  // the shared-ADC conversions), the update's duration, and the energy by component of one
  // forward read with every input at full scale (x = 1). Under the reference-column mapping
  // the lines beyond the mapped layer count as holding zero weights.
  sc_core::sc_time full_read_time() const;
  sc_core::sc_time update_time() const;
  std::array<double, kComponentCount> full_scale_read_energy() const;

 private:
  void end_of_elaboration() override;
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void execute(std::uint32_t command, const TransactionTag& tag, sc_core::sc_time& delay);
  sc_core::sc_time read(bool forward, const TransactionTag& tag, sc_core::sc_time start);
  sc_core::sc_time update(const TransactionTag& tag);
  // Times and prices a burst of timing-only operations and annotates its end.
  void run_timed(TimingOp& op, const TransactionTag& tag, sc_core::sc_time& delay);
  void book_timed_read(bool forward, double reads, const TransactionTag& tag);
  void book_timed_update(double updates, std::int64_t words_written, const TransactionTag& tag);
  double update_pulse_energy_j(double x_pulses, double d_pulses, double coincidences) const;
  void record_drive(bool forward, const float* drive, int count);
  // Tells the periphery banks how many of their lines the mapped weights use (leakage).
  void set_used_lines(int inputs, int outputs);
  // Energy in the array of driving `count` lines with `drive` when `devices_on_line` devices
  // (per weight column) sit on each driven line.
  double read_energy_j(const float* drive, int count, bool forward, int devices_on_line) const;
  double line_conductance_s(int line, bool input_line, int devices_on_line) const;
  double line_length_um(bool input_line) const;

  TileParams m_params;
  EnergyLedger& m_ledger;
  std::uint64_t m_seed;
  RandomEngine m_update_rng;
  const std::string m_hierarchical_name;

  Dac dac_in;   // drives input lines in forward reads
  Dac dac_out;  // drives output lines in backward reads
  Integrator integrator_in;   // senses input lines in backward reads
  Integrator integrator_out;  // senses output lines in forward reads
  Adc adc_in;
  Adc adc_out;
  StochasticTranslator translator_in;
  StochasticTranslator translator_out;
  VectorBuffer x_buffer;
  VectorBuffer d_buffer;

  std::unique_ptr<CrossbarArray> m_array;
  int m_layer = -1;
  int m_inputs = 0;
  int m_outputs = 0;
  ActivityFactors m_timing_activity;
  float m_x_scale = 1.0f;
  float m_d_scale = 1.0f;
  std::uint32_t m_bit_length = 0;   // set from TileParams at construction
  float m_x_probability = 0.0f;     // likewise
  float m_d_probability = 0.0f;
  std::uint32_t m_saturated = 0;
  std::vector<float> m_y;
  std::vector<float> m_z;
  std::vector<float> m_drive;
  std::vector<float> m_scaled_x;
  std::vector<float> m_scaled_d;
  PulseStreams m_x_streams;
  PulseStreams m_d_streams;

  sc_core::sc_time m_array_busy_until;
  BasicCalendar<sc_core::sc_time> m_timed_calendar;  // timing-only runs
  sc_core::sc_time m_adc_in_busy_until;
  sc_core::sc_time m_adc_out_busy_until;
  TileActivity m_activity;
  AtTarget m_at;

  struct TraceSignals {
    int forward = -1;
    int backward = -1;
    int update = -1;
    int adc_in = -1;
    int adc_out = -1;
  };
  TraceRecorder* m_trace = nullptr;  // null unless traced
  TraceSignals m_trace_signals;
};

}  // namespace rpusim
