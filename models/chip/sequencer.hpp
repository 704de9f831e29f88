// Training sequencer: the chip's controller and the only TLM-2.0 initiator. It runs
// strict sequential SGD with mini-batch 1 (per sample: fetch, forward through every
// layer, output error, backward, update) and evaluates the test error, entirely through
// memory-mapped transactions over the interconnect, so every vector move is timed and
// priced. Loosely timed with a quantum keeper (b_transport), or with `at_protocol`
// approximately timed: each transaction goes out as BEGIN_REQ on nb_transport_fw at the
// local time, the sequencer waits for BEGIN_RESP and then sends END_RESP. It issues one
// transaction at a time either way, so both give the same times unless another initiator
// contends.
//
// Simulation scaffolding: the sequencer keeps the vectors it reads back (activations and
// errors) in its own memory between transactions. A real controller would leave them in
// the NLF or tile buffers. With `pipelined` set it runs the operations of several samples
// in the order of a layer pipeline, so the weight staleness of pipelining is trained for
// real; the time figures stay those of one initiator that issues every operation in that
// order (timing-only runs give pipelined time). Leaves out mini-batches larger than 1.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/common/random.hpp"
#include "models/common/transaction_tag.hpp"

namespace rpusim {

struct SequencedLayer {
  std::string name;
  int inputs = 0;   // input lines in use, bias included
  int outputs = 0;
  bool softmax = false;
  std::uint64_t tile_base = 0;
};

struct SequencerSettings {
  std::vector<SequencedLayer> layers;
  std::uint64_t nlf_base = 0;
  std::uint64_t io_base = 0;
  int epochs = 1;
  std::size_t train_samples = 0;
  std::size_t test_samples = 0;
  bool evaluate_every_epoch = true;
  bool shuffle = true;
  bool forward_noise_management = true;
  bool forward_bound_management = true;
  bool backward_noise_management = true;
  bool backward_bound_management = false;
  int bm_max_halvings = 10;
  // Update management (C_x C_d = C^2 with balanced pulse counts) and dynamic BL, as aihwkit's
  // update_management and update_bl_management define them.
  bool update_management = false;
  // Pipelined training: samples flow through the layers as in a layer pipeline, so each
  // layer reads weights that lack the updates of the samples ahead of it (staleness).
  bool pipelined = false;
  bool bl_management = false;
  double learning_rate = 0.01;
  // Step schedule: eta of epoch e is learning_rate x decay^floor(e / decay_epochs).
  double learning_rate_decay = 1;
  int learning_rate_decay_epochs = 1;
  double dw_min = 0.001;
  int bit_length = 10;
  bool progress = false;
  sc_core::sc_time quantum;
  std::uint64_t seed = 0;
  double wall_time_limit_s = 0;  // 0: no limit
  bool at_protocol = false;      // nb_transport (four phases) instead of b_transport
  sc_core::sc_time max_sim_time;  // zero: no limit
};

struct PhaseTimes {
  sc_core::sc_time forward;
  sc_core::sc_time backward;
  sc_core::sc_time update;
};

struct TrainingStats {
  int epochs_completed = 0;
  std::uint64_t samples_per_epoch = 0;
  std::uint64_t samples_trained = 0;
  std::uint64_t samples_evaluated = 0;  // over all evaluations, a cut-short one included
  std::uint64_t samples_per_evaluation = 0;  // of the last completed evaluation; 0 before one
  std::vector<double> test_error_per_epoch;
  std::vector<double> learning_rate_per_epoch;  // of each epoch started
  double final_test_error = -1;  // < 0 until evaluated
  sc_core::sc_time training_time;
  sc_core::sc_time evaluation_time;
  std::vector<PhaseTimes> layer_times;  // summed over training samples
  std::uint64_t bound_management_rereads = 0;
  std::uint64_t forward_rereads = 0;  // the share of bound_management_rereads in forward reads
  std::uint64_t transactions = 0;
  double training_wall_s = 0;
  bool complete = false;
  std::string stop_reason;
};

// Values of TrainingStats::stop_reason for a run stopped by run.max_sim_time_ns or
// run.timeout_s; the timing-only PipelineSequencer gives the same.
std::string simulated_time_limit_reason(const sc_core::sc_time& limit);
std::string wall_time_limit_reason(double limit_s);

class Sequencer : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Sequencer> initiator_socket;

  Sequencer(const sc_core::sc_module_name& name, const SequencerSettings& settings);
  ~Sequencer() override;

  const TrainingStats& stats() const { return m_stats; }

  // Asks the sequencer to stop after the current sample (safe to call from a signal
  // handler through the flag).
  static std::atomic<bool>& stop_request();

 private:
  // A training sample in flight: its input, activations and errors per layer.
  struct SampleState {
    std::uint32_t index = 0;
    std::uint32_t label = 0;
    std::vector<std::vector<float>> activations;  // per layer input, bias appended
    std::vector<std::vector<float>> errors;       // per layer, error at its output
    std::vector<float> x_abs_max;  // per layer, of the forward input (bias included)
    std::vector<float> d_abs_max;  // per layer, of the error
  };

  SC_HAS_PROCESS(Sequencer);
  void run();
  bool should_stop();
  void train_epoch(int epoch);
  double evaluate();
  void train_sample(std::uint32_t index);
  void train_epoch_pipelined(int epoch);
  int stage_count() const;
  // Stage k < L is the forward of layer k; stage k >= L the backward and update of layer
  // 2L - 1 - k.
  void run_stage(SampleState& state, int stage);
  void forward_layer(SampleState& state, std::size_t l);
  void backward_and_update_layer(SampleState& state, std::size_t l);
  int infer_sample(std::uint32_t index, bool evaluation);

  void fetch_sample(std::uint32_t set, std::uint32_t index, bool evaluation, std::uint32_t& label,
                    std::vector<float>& input);
  // Runs one read (forward on X or backward on D) with noise and bound management. It
  // returns the read's raw result in `result` and the management scale it must be multiplied
  // by.
  float managed_read(const SequencedLayer& layer, bool forward, const std::vector<float>& input,
                     std::vector<float>& result);
  void load_nlf(const std::vector<float>& vector, std::size_t length, float scale);
  // Returns max|V| of the vector now in the NLF unit's V buffer (NLF function kAbsMax).
  float nlf_abs_max();
  // Writes the update's BL and pulse probability scales for layer `l` from the maxima of
  // the sample's x and d (update management and dynamic BL).
  void manage_update(const SampleState& state, const SequencedLayer& layer, std::size_t l);
  // Sets the learning rate of `epoch` from the schedule and, if it changed, writes it to
  // every tile (register LEARNING_RATE).
  void schedule_learning_rate(int epoch);

  void transport(tlm::tlm_command command, std::uint64_t address, void* data, std::size_t bytes);
  // Runs m_payload through the four phases and moves the local time to the response.
  void transport_at();
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void write_word(std::uint64_t address, std::uint32_t value);
  void write_float(std::uint64_t address, float value);
  std::uint32_t read_word(std::uint64_t address);
  float read_float(std::uint64_t address);
  void write_vector(std::uint64_t address, const float* data, std::size_t count);
  void read_vector(std::uint64_t address, float* data, std::size_t count);
  sc_core::sc_time local_now() const;

  SequencerSettings m_settings;
  tlm_utils::tlm_quantumkeeper m_quantum_keeper;
  tlm::tlm_generic_payload m_payload;  // reused for every transaction; carries m_tag
  TransactionTag m_tag;
  RandomEngine m_shuffle_rng;
  std::uint32_t m_io_set = 0;
  std::vector<std::uint32_t> m_order;
  std::vector<std::vector<float>> m_activations;  // inference: per layer input, bias appended
  std::vector<SampleState> m_samples;  // training samples in flight
  std::vector<float> m_result;
  std::vector<float> m_scratch;
  double m_learning_rate = 0;  // eta of the current epoch
  float m_read_input_abs_max = 0;  // max|input| found by noise management in the last read
  TrainingStats m_stats;
  std::chrono::steady_clock::time_point m_wall_start;
  sc_core::sc_event m_response_event;  // BEGIN_RESP of the transaction in flight (AT)
};

}  // namespace rpusim
