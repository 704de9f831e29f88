// Timing-only sequencer (`run.mode: timing`): the one TLM-2.0 initiator of a timing run. It
// trains a mapped topology for a number of samples without numerics: every forward read,
// backward read, update, digital (NLF) step and off-chip fetch is one transaction. Its
// payload is a one-word command write with a TimingOp extension, which gives the size of
// the vector the operation moves. The target times and prices the operation from activity
// factors.
//
// Schedules:
//  - sequential: strict SGD, one sample at a time (fetch, forward, backward, update);
//  - pipelined: samples flow through the layers concurrently. Stage k is the forward of
//    layer k for k < L, else the backward and update of layer 2L - 1 - k; each stage of
//    each sample is one event, and different stages work on different samples at once. A
//    layer's update uses the x and d of its own sample: x is saved in the NLF unit from the
//    forward pass and sent back with d. `buffer_depth` bounds the samples whose x a layer
//    keeps: a forward waits for the update of the sample `buffer_depth` places ahead.
// Events are issued in the order of their ready times (discrete-event order, ties by
// sample, then stage). Every block (tile, NLF unit, interconnect link, I/O port) therefore
// receives requests close to time order and serves them first come, first served on its
// reservation calendar. No later request can be ready before the current one, so blocks
// forget reservations that end before it and keep only the few still ahead. The cost per
// operation therefore does not grow with the depth of the pipeline. Start times come from
// the data dependencies through the annotated delay (loosely timed, temporal decoupling).
//
// Leaves out: preemption (a request issued later never moves a reservation made earlier,
// even if its data was ready earlier at that block), mini-batches larger than 1 and
// evaluation.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/common/transaction_tag.hpp"
#include "models/noc/mesh_route.hpp"
#include "models/timing/timing_op.hpp"

namespace rpusim {

// One layer as the timing sequencer runs it.
struct TimedLayer {
  std::string name;
  bool weighted = false;
  bool first_weighted = false;      // no backward read: nothing before it needs the error
  std::vector<std::uint64_t> tile_bases;  // one per tile block
  std::vector<std::int64_t> block_input_elements;   // per block: elements sent per forward
  std::vector<std::int64_t> block_output_elements;  // per block: elements sent per backward
  std::int64_t reuses_per_replica = 1;
  std::uint64_t nlf_base = 0;
  // Digital steps after the forward read (or for an unweighted layer, the layer itself),
  // after the backward read, and the elements the NLF unit sends with each update.
  TimingOp forward_nlf;
  TimingOp backward_nlf;
  std::int64_t output_elements = 0;  // moved from the tiles to the NLF unit after a forward
  std::int64_t input_elements = 0;   // moved from the tiles to the NLF unit after a backward
  std::int64_t update_elements_per_block = 0;
  // Mesh nodes the data of each operation comes from (-1: the sequencer's node; the bus
  // ignores them): the forward input (the previous layer's NLF unit or the I/O port), the
  // backward input (the next layer's NLF unit), the layer's first tile and its NLF unit.
  // NOTE: a layer split over several tiles sends every block's results to its NLF unit as
  // one transfer from the first tile's node.
  int forward_source_node = -1;
  int backward_source_node = -1;
  int tile_node = -1;
  int nlf_node = -1;
};

struct TimingSettings {
  std::vector<TimedLayer> layers;
  std::uint64_t io_base = 0;
  std::int64_t input_values = 0;
  std::uint64_t samples = 1;
  bool pipelined = true;
  int buffer_depth = 0;  // 0: as deep as the pipeline needs
  int element_bits = 32;
  sc_core::sc_time quantum;
  bool progress = false;
  double wall_time_limit_s = 0;   // 0: no limit
  sc_core::sc_time max_sim_time;  // zero: no limit; compared with the last completion
};

// Samples a run needs before its drain for a steady-state window (intervals from the middle).
constexpr std::size_t kMinSteadyStateSamples = 8;
// Samples per pipeline stage that a pipelined run needs before its steady state counts as
// converged. NOTE: a heuristic, measured rather than derived. With at least 16 per stage
// (plus kMinSteadyStateSamples), the shipped networks' intervals were within 2.5 % of those
// of 3,000 to 20,000 samples. Shorter runs were off by up to 8 % or, for the headline
// network at 128 samples, by a factor of 2 (docs/model.md section 14.4).
constexpr std::size_t kConvergedSamplesPerStage = 16;

struct TimingStats {
  std::uint64_t samples = 0;
  sc_core::sc_time total_time;       // end of the last sample's last operation
  sc_core::sc_time latency_sum;      // fetch start to last update end, over samples
  sc_core::sc_time max_latency;
  // Mean time between sample completions over the steady-state window: from the middle of
  // the run to the start of the drain (pipelined) or the end (sequential). With fewer than
  // kMinSteadyStateSamples samples before the drain there is no window
  // (steady_state_samples = 0), and the interval is the simulated time over the samples.
  sc_core::sc_time steady_state_interval;
  std::uint64_t steady_state_first = 0;    // the sample whose completion opens the window
  std::uint64_t steady_state_samples = 0;  // completion intervals in the window
  std::vector<sc_core::sc_time> layer_forward;  // summed durations per layer
  std::vector<sc_core::sc_time> layer_forward_reads;  // array bursts only, longest block
  std::vector<sc_core::sc_time> layer_backward;
  std::vector<sc_core::sc_time> layer_update;
  std::uint64_t transactions = 0;
  int max_samples_in_flight = 0;
  double wall_s = 0;
  bool complete = false;
  std::string stop_reason;
};

class PipelineSequencer : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<PipelineSequencer> initiator_socket;

  PipelineSequencer(const sc_core::sc_module_name& name, const TimingSettings& settings);
  ~PipelineSequencer() override;

  const TimingStats& stats() const { return m_stats; }
  const TimingSettings& settings() const { return m_settings; }
  // Returns the minimum timing.samples that gives a steady-state window.
  std::uint64_t steady_state_min_samples() const {
    const std::uint64_t drain = m_settings.pipelined ? 2 * m_settings.layers.size() : 0;
    return drain + kMinSteadyStateSamples;
  }
  // Returns the minimum completed samples for a steady state that counts as converged.
  // A sequential run has no pipeline to fill.
  std::uint64_t converged_min_samples() const {
    const std::uint64_t stages = m_settings.pipelined ? 2 * m_settings.layers.size() : 0;
    return kConvergedSamplesPerStage * stages + kMinSteadyStateSamples;
  }

 private:
  // Per-sample state kept while the sample is in flight.
  struct SampleState {
    std::uint64_t sample = 0;
    sc_core::sc_time fetch_start;
    std::vector<sc_core::sc_time> activation_ready;  // input of layer l available
    std::vector<sc_core::sc_time> error_ready;       // error at the output of layer l
    sc_core::sc_time done;
  };

  SC_HAS_PROCESS(PipelineSequencer);
  void run();
  void run_pipelined();
  void run_sequential();
  void run_stage(SampleState& state, int stage);
  // The stage after which a sample is done, and the ready time of the stage after `stage`.
  int final_stage() const;
  sc_core::sc_time next_stage_ready(const SampleState& state, int stage) const;
  void wait_until(const sc_core::sc_time& ready);
  void start_sample(SampleState& state, std::uint64_t sample, const sc_core::sc_time& fetch_ready);
  void finish_sample(SampleState& state);
  void fetch(SampleState& state);
  void forward(SampleState& state, int l);
  void backward_and_update(SampleState& state, int l);
  // Issues one timing operation; returns when it ends (absolute simulated time).
  sc_core::sc_time issue(std::uint64_t address, TimingOp& op, std::int64_t elements,
                         sc_core::sc_time ready, int layer, Phase phase, int source_node);
  bool should_stop();

  TimingSettings m_settings;
  tlm_utils::tlm_quantumkeeper m_quantum_keeper;
  tlm::tlm_generic_payload m_payload;
  TransactionTag m_tag;
  MeshRoute m_route;
  std::array<unsigned char, 4> m_command_word{};  // the data of every payload; never read
  std::vector<SampleState> m_ring;       // samples in flight, indexed by sample % size
  std::vector<std::vector<sc_core::sc_time>> m_update_end;  // [l][sample % depth]
  std::vector<sc_core::sc_time> m_completion;  // per sample
  TimingStats m_stats;
  std::chrono::steady_clock::time_point m_wall_start;
  std::chrono::steady_clock::time_point m_last_print;
};

}  // namespace rpusim
