#include "models/chip/sequencer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

#include "models/chip/io_port.hpp"
#include "models/nlf/nlf_unit.hpp"
#include "models/tile/rpu_tile.hpp"

namespace rpusim {

using sc_core::sc_time;

namespace {

const char* kMessageType = "rpusim/sequencer";

double elapsed_s(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

std::string simulated_time_limit_reason(const sc_time& limit) {
  return "simulated time reached the limit of " + limit.to_string() + " (run.max_sim_time_ns)";
}

std::string wall_time_limit_reason(double limit_s) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%g", limit_s);
  return std::string("wall time reached the limit of ") + seconds + " s (run.timeout_s)";
}

std::atomic<bool>& Sequencer::stop_request() {
  static std::atomic<bool> requested{false};
  return requested;
}

Sequencer::Sequencer(const sc_core::sc_module_name& name, const SequencerSettings& settings)
    : sc_module(name),
      initiator_socket("initiator_socket"),
      m_settings(settings),
      m_shuffle_rng(make_random_stream(settings.seed, std::string(this->name()) + ".shuffle")) {
  m_activations.resize(settings.layers.size());
  std::size_t widest = 0;
  for (std::size_t l = 0; l < settings.layers.size(); ++l) {
    m_activations[l].assign(static_cast<std::size_t>(settings.layers[l].inputs), 0.0f);
    widest = std::max<std::size_t>(
        widest, std::max(settings.layers[l].inputs, settings.layers[l].outputs));
  }
  m_result.assign(widest, 0.0f);
  m_scratch.assign(widest, 0.0f);
  m_stats.layer_times.resize(settings.layers.size());
  m_stats.samples_per_epoch = settings.train_samples;
  // One sample in flight at a time, or one per pipeline stage.
  m_samples.resize(settings.pipelined ? 2 * settings.layers.size() : 1);
  for (SampleState& state : m_samples) {
    state.activations = m_activations;
    state.errors.resize(settings.layers.size());
    for (std::size_t l = 0; l < settings.layers.size(); ++l) {
      state.errors[l].assign(static_cast<std::size_t>(settings.layers[l].outputs), 0.0f);
    }
    state.x_abs_max.assign(settings.layers.size(), 0.0f);
    state.d_abs_max.assign(settings.layers.size(), 0.0f);
  }
  m_payload.set_extension(&m_tag);
  initiator_socket.register_nb_transport_bw(this, &Sequencer::nb_transport_bw);
  SC_THREAD(run);
}

Sequencer::~Sequencer() {
  // m_tag is a member, not heap-allocated: detach it before the payload would free it.
  m_payload.clear_extension(&m_tag);
}

sc_time Sequencer::local_now() const { return m_quantum_keeper.get_current_time(); }

void Sequencer::run() {
  m_quantum_keeper.reset();
  m_wall_start = std::chrono::steady_clock::now();
  m_order.resize(m_settings.train_samples);

  m_learning_rate = m_settings.learning_rate;
  for (int epoch = 0; epoch < m_settings.epochs; ++epoch) {
    schedule_learning_rate(epoch);
    train_epoch(epoch);
    if (!m_stats.stop_reason.empty()) break;
    m_stats.epochs_completed = epoch + 1;
    const bool last = epoch + 1 == m_settings.epochs;
    double error = -1;
    if (m_settings.evaluate_every_epoch || last) {
      error = evaluate();
      if (!m_stats.stop_reason.empty()) break;
      m_stats.test_error_per_epoch.push_back(error);
      m_stats.final_test_error = error;
      m_stats.samples_per_evaluation = m_settings.test_samples;
    }
    if (m_settings.progress) {
      const double elapsed = elapsed_s(m_wall_start);
      const double remaining = elapsed / (epoch + 1) * (m_settings.epochs - epoch - 1);
      std::fprintf(stderr, "[rpusim] epoch %d/%d: %.0f training samples/s", epoch + 1,
                   m_settings.epochs, m_stats.samples_trained / m_stats.training_wall_s);
      if (error >= 0) std::fprintf(stderr, ", test error %.2f %%", 100.0 * error);
      std::fprintf(stderr, last ? "\n" : ", ETA %.0f s\n", remaining);
    }
  }
  m_stats.complete = m_stats.stop_reason.empty();
  m_quantum_keeper.sync();
  sc_core::sc_stop();
}

bool Sequencer::should_stop() {
  // SystemC's time is a 64-bit count of its resolution (1 ps by default): about 213 days.
  // Stop well before it wraps, so that no report shows a wrapped time.
  const sc_time time_limit = sc_core::sc_max_time() / 2.0;
  if (stop_request().load()) {
    m_stats.stop_reason = "interrupted by signal";
  } else if (local_now() > time_limit) {
    m_stats.stop_reason = "simulated time reached half of SystemC's largest time";
  } else if (m_settings.max_sim_time != sc_core::SC_ZERO_TIME &&
             local_now() >= m_settings.max_sim_time) {
    m_stats.stop_reason = simulated_time_limit_reason(m_settings.max_sim_time);
  } else if (m_settings.wall_time_limit_s > 0 &&
             elapsed_s(m_wall_start) > m_settings.wall_time_limit_s) {
    m_stats.stop_reason = wall_time_limit_reason(m_settings.wall_time_limit_s);
  }
  return !m_stats.stop_reason.empty();
}

void Sequencer::train_epoch(int epoch) {
  std::iota(m_order.begin(), m_order.end(), 0u);
  if (m_settings.shuffle) std::shuffle(m_order.begin(), m_order.end(), m_shuffle_rng);
  if (m_settings.pipelined) {
    train_epoch_pipelined(epoch);
    return;
  }

  const auto epoch_start = std::chrono::steady_clock::now();
  auto last_print = epoch_start;
  for (std::size_t i = 0; i < m_order.size(); ++i) {
    if (should_stop()) return;
    const auto wall_before = std::chrono::steady_clock::now();
    const sc_time before = local_now();
    train_sample(m_order[i]);
    m_stats.training_time += local_now() - before;
    m_stats.training_wall_s += elapsed_s(wall_before);
    ++m_stats.samples_trained;

    if (m_settings.progress && (i + 1) % 256 == 0 &&
        std::chrono::steady_clock::now() - last_print > std::chrono::seconds(2)) {
      last_print = std::chrono::steady_clock::now();
      const double rate = (i + 1) / elapsed_s(epoch_start);
      const double remaining_samples =
          (m_order.size() - i - 1) +
          static_cast<double>(m_settings.epochs - epoch - 1) * m_order.size();
      std::fprintf(stderr, "[rpusim] epoch %d/%d: %zu/%zu samples, %.0f samples/s, ETA %.0f s\n",
                   epoch + 1, m_settings.epochs, i + 1, m_order.size(), rate,
                   remaining_samples / rate);
    }
  }
}

double Sequencer::evaluate() {
  std::uint64_t wrong = 0;
  for (std::uint32_t i = 0; i < m_settings.test_samples; ++i) {
    if (should_stop()) return 1.0;
    const sc_time before = local_now();
    std::uint32_t label = 0;
    fetch_sample(1, i, true, label, m_activations[0]);
    const int prediction = infer_sample(i, true);
    wrong += prediction != static_cast<int>(label);
    m_stats.evaluation_time += local_now() - before;
    ++m_stats.samples_evaluated;
  }
  return m_settings.test_samples ? static_cast<double>(wrong) / m_settings.test_samples : 0.0;
}

void Sequencer::train_sample(std::uint32_t index) {
  SampleState& state = m_samples.front();
  state.index = index;
  fetch_sample(0, index, false, state.label, state.activations[0]);
  for (int stage = 0; stage < stage_count(); ++stage) run_stage(state, stage);
}

int Sequencer::stage_count() const { return 2 * static_cast<int>(m_settings.layers.size()); }

void Sequencer::run_stage(SampleState& state, int stage) {
  const int layers = static_cast<int>(m_settings.layers.size());
  if (stage < layers) {
    forward_layer(state, static_cast<std::size_t>(stage));
  } else {
    backward_and_update_layer(state, static_cast<std::size_t>(2 * layers - 1 - stage));
  }
}

void Sequencer::forward_layer(SampleState& state, std::size_t l) {
  // The last layer ends with the output error in state.errors[l].
  m_tag.evaluation = false;
  const SequencedLayer& layer = m_settings.layers[l];
  const sc_time start = local_now();
  m_tag.layer = static_cast<int>(l);
  m_tag.phase = Phase::kForward;
  const bool manage_update = m_settings.update_management || m_settings.bl_management;
  const float scale = managed_read(layer, true, state.activations[l], m_result);
  if (manage_update && l == 0) {
    if (m_settings.forward_noise_management) {
      state.x_abs_max[0] = m_read_input_abs_max;
    } else {
      load_nlf(state.activations[0], layer.inputs, 1.0f);
      state.x_abs_max[0] = nlf_abs_max();
    }
  }
  load_nlf(m_result, layer.outputs, scale);
  if (m_settings.forward_noise_management || m_settings.forward_bound_management) {
    write_word(m_settings.nlf_base + nlf_map::kFunction, nlf_map::kRescale);
  }
  if (layer.softmax) {
    write_word(m_settings.nlf_base + nlf_map::kFunction, nlf_map::kSoftmax);
    write_word(m_settings.nlf_base + nlf_map::kLabel, state.label);
    write_word(m_settings.nlf_base + nlf_map::kFunction, nlf_map::kCrossEntropyError);
    if (manage_update) state.d_abs_max[l] = nlf_abs_max();
    read_vector(m_settings.nlf_base + nlf_map::kVBuffer, state.errors[l].data(), layer.outputs);
  } else {
    write_word(m_settings.nlf_base + nlf_map::kFunction, nlf_map::kSigmoid);
    // The next layer's input is this activation plus the bias line at 1.
    if (manage_update) state.x_abs_max[l + 1] = std::max(nlf_abs_max(), 1.0f);
    std::vector<float>& next = state.activations[l + 1];
    read_vector(m_settings.nlf_base + nlf_map::kVBuffer, next.data(), layer.outputs);
    next[layer.outputs] = 1.0f;  // bias line
  }
  m_stats.layer_times[l].forward += local_now() - start;
}

void Sequencer::backward_and_update_layer(SampleState& state, std::size_t l) {
  // The first layer needs no backward read.
  m_tag.evaluation = false;
  const SequencedLayer& layer = m_settings.layers[l];
  m_tag.layer = static_cast<int>(l);
  const sc_time backward_start = local_now();
  m_tag.phase = Phase::kBackward;
  const std::vector<float>& error = state.errors[l];
  if (l > 0) {
    const float scale = managed_read(layer, false, error, m_result);
    const int fan_in = layer.inputs - 1;  // the bias line carries no error further back
    load_nlf(m_result, fan_in, scale);
    if (m_settings.backward_noise_management || m_settings.backward_bound_management) {
      write_word(m_settings.nlf_base + nlf_map::kFunction, nlf_map::kRescale);
    }
    write_vector(m_settings.nlf_base + nlf_map::kSBuffer, state.activations[l].data(), fan_in);
    write_word(m_settings.nlf_base + nlf_map::kFunction, nlf_map::kMultiplySigmoidDerivative);
    if (m_settings.update_management || m_settings.bl_management) {
      state.d_abs_max[l - 1] = nlf_abs_max();
    }
    read_vector(m_settings.nlf_base + nlf_map::kVBuffer, state.errors[l - 1].data(), fan_in);
  }
  if (m_settings.pipelined) {
    // Later samples have overwritten the tile's buffers since this sample's reads: send its
    // x and d again, unscaled.
    write_vector(layer.tile_base + tile_map::kXBuffer, state.activations[l].data(), layer.inputs);
    write_float(layer.tile_base + tile_map::kXScale, 1.0f);
  }
  if (l == 0 || m_settings.pipelined) {
    write_vector(layer.tile_base + tile_map::kDBuffer, error.data(), layer.outputs);
    write_float(layer.tile_base + tile_map::kDScale, 1.0f);
  }
  const sc_time update_start = local_now();
  m_stats.layer_times[l].backward += update_start - backward_start;

  m_tag.phase = Phase::kUpdate;
  if (m_settings.update_management || m_settings.bl_management) manage_update(state, layer, l);
  write_word(layer.tile_base + tile_map::kCommand, tile_map::kUpdate);
  m_stats.layer_times[l].update += local_now() - update_start;
}

void Sequencer::train_epoch_pipelined(int epoch) {
  // Pipeline step t runs stage k on sample t - k, stages in increasing order: forward of
  // layer k for k < L, then backward and update of layer 2L - 1 - k. A layer's forward read
  // therefore sees the weights before the updates of the 2(L - l) - 1 samples ahead of it in
  // the pipeline, and its backward read the weights after them: the pipeline's staleness.
  const auto wall_start = std::chrono::steady_clock::now();
  const sc_time start = local_now();
  const std::size_t samples = m_order.size();
  const std::size_t stages = static_cast<std::size_t>(stage_count());
  auto last_print = wall_start;
  for (std::size_t step = 0; step + 1 < samples + stages; ++step) {
    if (should_stop()) break;
    for (std::size_t stage = 0; stage < stages && stage <= step; ++stage) {
      const std::size_t s = step - stage;
      if (s >= samples) continue;
      SampleState& state = m_samples[s % stages];
      if (stage == 0) {
        state.index = m_order[s];
        fetch_sample(0, state.index, false, state.label, state.activations[0]);
      }
      run_stage(state, static_cast<int>(stage));
      if (stage + 1 == stages) ++m_stats.samples_trained;
    }
    if (m_settings.progress && (step + 1) % 256 == 0 &&
        std::chrono::steady_clock::now() - last_print > std::chrono::seconds(2)) {
      last_print = std::chrono::steady_clock::now();
      std::fprintf(stderr, "[rpusim] epoch %d/%d: pipeline step %zu of %zu\n", epoch + 1,
                   m_settings.epochs, step + 1, samples + stages - 1);
    }
  }
  m_stats.training_time += local_now() - start;
  m_stats.training_wall_s += elapsed_s(wall_start);
}

int Sequencer::infer_sample(std::uint32_t, bool evaluation) {
  m_tag.evaluation = evaluation;
  const std::size_t layer_count = m_settings.layers.size();
  for (std::size_t l = 0; l < layer_count; ++l) {
    const SequencedLayer& layer = m_settings.layers[l];
    m_tag.layer = static_cast<int>(l);
    m_tag.phase = Phase::kForward;
    const float scale = managed_read(layer, true, m_activations[l], m_result);
    load_nlf(m_result, layer.outputs, scale);
    if (m_settings.forward_noise_management || m_settings.forward_bound_management) {
      write_word(m_settings.nlf_base + nlf_map::kFunction, nlf_map::kRescale);
    }
    if (layer.softmax) {
      // The largest pre-softmax output is the prediction; softmax would not change it.
      write_word(m_settings.nlf_base + nlf_map::kFunction, nlf_map::kArgmaxSearch);
      return static_cast<int>(read_word(m_settings.nlf_base + nlf_map::kArgmax));
    }
    write_word(m_settings.nlf_base + nlf_map::kFunction, nlf_map::kSigmoid);
    std::vector<float>& next = m_activations[l + 1];
    read_vector(m_settings.nlf_base + nlf_map::kVBuffer, next.data(), layer.outputs);
    next[layer.outputs] = 1.0f;
  }
  return -1;
}

void Sequencer::fetch_sample(std::uint32_t set, std::uint32_t index, bool evaluation,
                             std::uint32_t& label, std::vector<float>& input) {
  m_tag = TransactionTag{};
  m_tag.phase = Phase::kInput;
  m_tag.evaluation = evaluation;
  if (set != m_io_set) {
    write_word(m_settings.io_base + io_map::kSet, set);
    m_io_set = set;
  }
  write_word(m_settings.io_base + io_map::kSample, index);
  label = read_word(m_settings.io_base + io_map::kLabel);
  const std::size_t features = input.size() - 1;
  read_vector(m_settings.io_base + io_map::kImage, input.data(), features);
  input[features] = 1.0f;  // bias line
}

float Sequencer::managed_read(const SequencedLayer& layer, bool forward,
                              const std::vector<float>& input, std::vector<float>& result) {
  const int drive_count = forward ? layer.inputs : layer.outputs;
  const int sense_count = forward ? layer.outputs : layer.inputs;
  const std::uint64_t buffer = layer.tile_base + (forward ? tile_map::kXBuffer : tile_map::kDBuffer);
  const std::uint64_t scale_register =
      layer.tile_base + (forward ? tile_map::kXScale : tile_map::kDScale);
  const std::uint64_t nlf = m_settings.nlf_base;
  const std::uint32_t command = forward ? tile_map::kForward : tile_map::kBackward;

  const bool noise_management =
      forward ? m_settings.forward_noise_management : m_settings.backward_noise_management;
  const bool bound_management =
      forward ? m_settings.forward_bound_management : m_settings.backward_bound_management;
  float scale = 1.0f;
  const float* drive = input.data();
  bool nlf_holds_drive = false;
  if (noise_management) {
    load_nlf(input, drive_count, 1.0f);
    write_word(nlf + nlf_map::kFunction, nlf_map::kNoiseManagement);
    read_vector(nlf + nlf_map::kVBuffer, m_scratch.data(), drive_count);
    scale = read_float(nlf + nlf_map::kScale);
    m_read_input_abs_max = scale;
    drive = m_scratch.data();
    nlf_holds_drive = true;
  }
  write_vector(buffer, drive, drive_count);
  write_float(scale_register, scale);
  write_word(layer.tile_base + tile_map::kCommand, command);
  std::uint32_t saturated = read_word(layer.tile_base + tile_map::kSaturated);

  // Bound management: halve the input until no output saturates.
  for (int halvings = 0; bound_management && saturated > 0 &&
                         halvings < m_settings.bm_max_halvings;
       ++halvings) {
    if (!nlf_holds_drive) {
      load_nlf(input, drive_count, 1.0f);
      nlf_holds_drive = true;
    }
    write_word(nlf + nlf_map::kFunction, nlf_map::kHalve);
    read_vector(nlf + nlf_map::kVBuffer, m_scratch.data(), drive_count);
    scale = read_float(nlf + nlf_map::kScale);
    write_vector(buffer, m_scratch.data(), drive_count);
    write_float(scale_register, scale);
    write_word(layer.tile_base + tile_map::kCommand, command);
    saturated = read_word(layer.tile_base + tile_map::kSaturated);
    ++m_stats.bound_management_rereads;
    if (forward) ++m_stats.forward_rereads;
  }
  read_vector(layer.tile_base + (forward ? tile_map::kYBuffer : tile_map::kZBuffer), result.data(),
              sense_count);
  return scale;
}

void Sequencer::load_nlf(const std::vector<float>& vector, std::size_t length, float scale) {
  write_word(m_settings.nlf_base + nlf_map::kLength, static_cast<std::uint32_t>(length));
  write_vector(m_settings.nlf_base + nlf_map::kVBuffer, vector.data(), length);
  write_float(m_settings.nlf_base + nlf_map::kScale, scale);
}

float Sequencer::nlf_abs_max() {
  write_word(m_settings.nlf_base + nlf_map::kFunction, nlf_map::kAbsMax);
  return read_float(m_settings.nlf_base + nlf_map::kScale);
}

void Sequencer::schedule_learning_rate(int epoch) {
  const int steps = epoch / m_settings.learning_rate_decay_epochs;
  const double learning_rate =
      m_settings.learning_rate * std::pow(m_settings.learning_rate_decay, steps);
  m_stats.learning_rate_per_epoch.push_back(learning_rate);
  if (learning_rate == m_learning_rate) return;
  m_learning_rate = learning_rate;
  for (const SequencedLayer& layer : m_settings.layers) {
    write_float(layer.tile_base + tile_map::kLearningRate, static_cast<float>(learning_rate));
  }
}

void Sequencer::manage_update(const SampleState& state, const SequencedLayer& layer,
                              std::size_t l) {
  const double lr = m_learning_rate;
  const double dw_min = m_settings.dw_min;
  const double x_max = state.x_abs_max[l];
  const double d_max = state.d_abs_max[l];
  std::uint32_t bit_length = static_cast<std::uint32_t>(m_settings.bit_length);
  double x_probability = std::sqrt(lr / (dw_min * bit_length));
  double d_probability = x_probability;
  if (x_max == 0.0 || d_max == 0.0) {
    bit_length = 0;  // nothing to update
  } else {
    const double steps = lr * x_max * d_max / dw_min;
    if (m_settings.bl_management) {
      // The minimum BL that still lets the largest product x_max d_max reach its expected change.
      bit_length = static_cast<std::uint32_t>(
          std::min<double>(std::ceil(steps), m_settings.bit_length));
      x_probability = d_probability = std::sqrt(lr / (dw_min * bit_length));
    }
    if (m_settings.update_management) {
      // Keep C_x C_d = C^2 but give the x and d streams comparable pulse counts. Where the
      // largest product would need more than BL coincidences, d's scale is capped so that
      // x's probabilities stay below 1.
      double d_value = d_max;
      if (steps > m_settings.bit_length) d_value *= m_settings.bit_length / steps;
      x_probability *= std::sqrt(d_value / x_max);
      d_probability *= std::sqrt(x_max / d_value);
    }
  }
  write_word(layer.tile_base + tile_map::kBitLength, bit_length);
  write_float(layer.tile_base + tile_map::kXProbability, static_cast<float>(x_probability));
  write_float(layer.tile_base + tile_map::kDProbability, static_cast<float>(d_probability));
}

void Sequencer::transport(tlm::tlm_command command, std::uint64_t address, void* data,
                          std::size_t bytes) {
  tlm::tlm_generic_payload& payload = m_payload;
  payload.set_command(command);
  payload.set_address(address);
  payload.set_data_ptr(static_cast<unsigned char*>(data));
  payload.set_data_length(static_cast<unsigned int>(bytes));
  payload.set_streaming_width(static_cast<unsigned int>(bytes));
  payload.set_byte_enable_ptr(nullptr);
  payload.set_dmi_allowed(false);
  payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);

  if (m_settings.at_protocol) {
    transport_at();
  } else {
    sc_time delay = m_quantum_keeper.get_local_time();
    initiator_socket->b_transport(payload, delay);
    m_quantum_keeper.set(delay);
  }
  ++m_stats.transactions;

  if (payload.is_response_error()) {
    std::ostringstream message;
    message << (command == tlm::TLM_WRITE_COMMAND ? "write to" : "read from") << " 0x" << std::hex
            << address << std::dec << " (" << bytes << " bytes) failed: "
            << payload.get_response_string();
    SC_REPORT_ERROR(kMessageType, message.str().c_str());
  }
  if (m_quantum_keeper.need_sync()) m_quantum_keeper.sync();
}

void Sequencer::transport_at() {
  // The request starts at the local time. The thread then waits for the response, so the
  // local time is zero again when it arrives.
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_time delay = m_quantum_keeper.get_local_time();
  tlm::tlm_sync_enum status = initiator_socket->nb_transport_fw(m_payload, phase, delay);
  if (status == tlm::TLM_COMPLETED) {
    m_quantum_keeper.set(delay);
    return;
  }
  if (status == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP) m_response_event.notify(delay);
  sc_core::wait(m_response_event);
  m_quantum_keeper.reset();

  phase = tlm::END_RESP;
  delay = sc_core::SC_ZERO_TIME;
  status = initiator_socket->nb_transport_fw(m_payload, phase, delay);
  if (status != tlm::TLM_COMPLETED) {
    // The target may still take `delay` to end the response; the next request starts after.
    m_quantum_keeper.set(delay);
  }
}

tlm::tlm_sync_enum Sequencer::nb_transport_bw(tlm::tlm_generic_payload&, tlm::tlm_phase& phase,
                                              sc_time& delay) {
  if (phase == tlm::BEGIN_RESP) m_response_event.notify(delay);
  // END_REQ needs no action: the sequencer sends its next request only after this response.
  return tlm::TLM_ACCEPTED;
}

void Sequencer::write_word(std::uint64_t address, std::uint32_t value) {
  transport(tlm::TLM_WRITE_COMMAND, address, &value, sizeof value);
}

void Sequencer::write_float(std::uint64_t address, float value) {
  transport(tlm::TLM_WRITE_COMMAND, address, &value, sizeof value);
}

std::uint32_t Sequencer::read_word(std::uint64_t address) {
  std::uint32_t value = 0;
  transport(tlm::TLM_READ_COMMAND, address, &value, sizeof value);
  return value;
}

float Sequencer::read_float(std::uint64_t address) {
  float value = 0;
  transport(tlm::TLM_READ_COMMAND, address, &value, sizeof value);
  return value;
}

void Sequencer::write_vector(std::uint64_t address, const float* data, std::size_t count) {
  // The payload's data pointer is non-const; a write command does not modify the data.
  transport(tlm::TLM_WRITE_COMMAND, address, const_cast<float*>(data), count * sizeof(float));
}

void Sequencer::read_vector(std::uint64_t address, float* data, std::size_t count) {
  transport(tlm::TLM_READ_COMMAND, address, data, count * sizeof(float));
}

}  // namespace rpusim
