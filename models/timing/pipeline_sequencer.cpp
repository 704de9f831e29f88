#include "models/timing/pipeline_sequencer.hpp"

#include <algorithm>
#include <cstdio>

#include "models/chip/io_port.hpp"
#include "models/chip/sequencer.hpp"
#include "models/nlf/nlf_unit.hpp"
#include "models/tile/rpu_tile.hpp"

namespace rpusim {

using sc_core::sc_time;

namespace {

double elapsed_s(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

PipelineSequencer::PipelineSequencer(const sc_core::sc_module_name& name,
                                     const TimingSettings& settings)
    : sc_module(name), initiator_socket("initiator_socket"), m_settings(settings) {
  m_quantum_keeper.set_global_quantum(settings.quantum);
  m_quantum_keeper.reset();
  m_payload.set_extension(&m_tag);
  const std::size_t layers = m_settings.layers.size();
  m_stats.layer_forward.assign(layers, sc_core::SC_ZERO_TIME);
  m_stats.layer_forward_reads.assign(layers, sc_core::SC_ZERO_TIME);
  m_stats.layer_backward.assign(layers, sc_core::SC_ZERO_TIME);
  m_stats.layer_update.assign(layers, sc_core::SC_ZERO_TIME);
  SC_THREAD(run);
}

PipelineSequencer::~PipelineSequencer() {
  m_payload.clear_extension(&m_tag);
}

bool PipelineSequencer::should_stop() {
  const sc_time time_limit = sc_core::sc_max_time() / 2.0;
  if (Sequencer::stop_request().load()) {
    m_stats.stop_reason = "interrupted by signal";
  } else if (sc_core::sc_time_stamp() > time_limit) {
    m_stats.stop_reason = "simulated time reached half of SystemC's largest time";
  } else if (m_settings.max_sim_time != sc_core::SC_ZERO_TIME &&
             m_stats.total_time >= m_settings.max_sim_time) {
    m_stats.stop_reason = simulated_time_limit_reason(m_settings.max_sim_time);
  } else if (m_settings.wall_time_limit_s > 0 &&
             elapsed_s(m_wall_start) > m_settings.wall_time_limit_s) {
    m_stats.stop_reason = wall_time_limit_reason(m_settings.wall_time_limit_s);
  }
  return !m_stats.stop_reason.empty();
}

sc_time PipelineSequencer::issue(std::uint64_t address, TimingOp& op, std::int64_t elements,
                                 sc_time ready, int layer, Phase phase, int source_node) {
  // Payloads carry their length (at least one word) but no data.
  const std::int64_t bits = std::max<std::int64_t>(elements, 1) * m_settings.element_bits;
  const std::uint64_t words = static_cast<std::uint64_t>((bits + 31) / 32);
  const std::size_t bytes = static_cast<std::size_t>(words * 4);
  if (m_scratch.size() < bytes) m_scratch.resize(bytes);

  m_tag.layer = layer;
  m_tag.phase = phase;
  m_tag.evaluation = false;
  m_payload.set_command(tlm::TLM_WRITE_COMMAND);
  m_payload.set_address(address);
  m_payload.set_data_ptr(m_scratch.data());
  m_payload.set_data_length(static_cast<unsigned int>(bytes));
  m_payload.set_streaming_width(static_cast<unsigned int>(bytes));
  m_payload.set_byte_enable_ptr(nullptr);
  m_payload.set_dmi_allowed(false);
  m_payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  m_payload.set_extension(&op);
  m_route.node = source_node;
  if (source_node >= 0) m_payload.set_extension(&m_route);

  const sc_time now = sc_core::sc_time_stamp();
  m_step_horizon = std::min(m_step_horizon, ready);
  sc_time delay = ready > now ? ready - now : sc_core::SC_ZERO_TIME;
  initiator_socket->b_transport(m_payload, delay);
  m_payload.clear_extension(&op);
  if (source_node >= 0) m_payload.clear_extension(&m_route);
  ++m_stats.transactions;
  if (m_payload.is_response_error()) {
    char message[160];
    std::snprintf(message, sizeof message, "timing operation at 0x%llx failed: %s",
                  static_cast<unsigned long long>(address),
                  m_payload.get_response_string().c_str());
    SC_REPORT_ERROR("rpusim/timing", message);
  }
  return now + delay;
}

void PipelineSequencer::fetch(SampleState& state) {
  TimingOp op;
  op.kind = TimingOp::kFetch;
  op.elements = m_settings.input_values;
  const sc_time end = issue(m_settings.io_base + io_map::kSample, op, 1, state.fetch_start, -1,
                            Phase::kInput, -1);
  state.fetch_start = op.start;
  state.activation_ready[0] = end;
}

void PipelineSequencer::forward(SampleState& state, int l) {
  TimedLayer& layer = m_settings.layers[static_cast<std::size_t>(l)];
  sc_time ready = state.activation_ready[static_cast<std::size_t>(l)];
  sc_time reads_end = ready;
  if (layer.weighted) {
    const int depth = m_settings.buffer_depth;
    if (m_settings.pipelined && depth > 0 && state.sample >= static_cast<std::uint64_t>(depth)) {
      // The layer keeps the x of `depth` samples, so wait for the oldest one's update.
      ready = std::max(ready, m_update_end[static_cast<std::size_t>(l)]
                                          [state.sample % static_cast<std::uint64_t>(depth)]);
    }
    sc_time longest_burst;
    for (std::size_t b = 0; b < layer.tile_bases.size(); ++b) {
      TimingOp op;
      op.kind = TimingOp::kForward;
      op.repeats = layer.reuses_per_replica;
      const sc_time end = issue(layer.tile_bases[b] + tile_map::kCommand, op,
                                layer.block_input_elements[b], ready, l, Phase::kForward,
                                layer.forward_source_node);
      reads_end = std::max(reads_end, end);
      longest_burst = std::max(longest_burst, op.end - op.start);
    }
    m_stats.layer_forward_reads[static_cast<std::size_t>(l)] += longest_burst;
  }
  TimingOp nlf = layer.forward_nlf;
  nlf.kind = TimingOp::kNlf;
  const sc_time end = issue(layer.nlf_base + nlf_map::kFunction, nlf, layer.output_elements,
                            reads_end, l, Phase::kForward, layer.tile_node);
  m_stats.layer_forward[static_cast<std::size_t>(l)] += end - ready;
  const std::size_t next = static_cast<std::size_t>(l) + 1;
  if (next < state.activation_ready.size()) {
    state.activation_ready[next] = end;
  } else {
    state.error_ready[static_cast<std::size_t>(l)] = end;  // loss and output error included
  }
}

void PipelineSequencer::backward_and_update(SampleState& state, int l) {
  TimedLayer& layer = m_settings.layers[static_cast<std::size_t>(l)];
  const sc_time ready = state.error_ready[static_cast<std::size_t>(l)];
  sc_time done = ready;
  const bool propagate = l > 0 && !layer.first_weighted;
  if (propagate) {
    sc_time reads_end = ready;
    if (layer.weighted) {
      for (std::size_t b = 0; b < layer.tile_bases.size(); ++b) {
        TimingOp op;
        op.kind = TimingOp::kBackward;
        op.repeats = layer.reuses_per_replica;
        const sc_time end = issue(layer.tile_bases[b] + tile_map::kCommand, op,
                                  layer.block_output_elements[b], ready, l, Phase::kBackward,
                                  layer.backward_source_node);
        reads_end = std::max(reads_end, end);
      }
    }
    TimingOp nlf = layer.backward_nlf;
    nlf.kind = TimingOp::kNlf;
    const sc_time end = issue(layer.nlf_base + nlf_map::kFunction, nlf, layer.input_elements,
                              reads_end, l, Phase::kBackward, layer.tile_node);
    m_stats.layer_backward[static_cast<std::size_t>(l)] += end - ready;
    state.error_ready[static_cast<std::size_t>(l) - 1] = end;
    done = std::max(done, end);
  }
  if (layer.weighted) {
    // The update needs the layer's d (ready now) and the x saved from its forward pass.
    sc_time update_end = ready;
    for (std::size_t b = 0; b < layer.tile_bases.size(); ++b) {
      TimingOp op;
      op.kind = TimingOp::kUpdate;
      op.repeats = layer.reuses_per_replica;
      const sc_time end = issue(layer.tile_bases[b] + tile_map::kCommand, op,
                                layer.update_elements_per_block, ready, l, Phase::kUpdate,
                                layer.nlf_node);
      update_end = std::max(update_end, end);
    }
    m_stats.layer_update[static_cast<std::size_t>(l)] += update_end - ready;
    if (m_settings.buffer_depth > 0) {
      m_update_end[static_cast<std::size_t>(l)]
                  [state.sample % static_cast<std::uint64_t>(m_settings.buffer_depth)] = update_end;
    }
    done = std::max(done, update_end);
  }
  state.done = std::max(state.done, done);
}

void PipelineSequencer::run_stage(SampleState& state, int stage) {
  const int layers = static_cast<int>(m_settings.layers.size());
  if (stage < layers) {
    if (stage == 0) fetch(state);
    forward(state, stage);
  } else {
    backward_and_update(state, 2 * layers - 1 - stage);
  }
}

void PipelineSequencer::run() {
  const auto wall_start = std::chrono::steady_clock::now();
  m_wall_start = wall_start;
  const int layers = static_cast<int>(m_settings.layers.size());
  const int stages = 2 * layers;
  const std::uint64_t samples = m_settings.samples;
  m_ring.assign(static_cast<std::size_t>(stages) + 1, SampleState{});
  for (SampleState& state : m_ring) {
    state.activation_ready.assign(static_cast<std::size_t>(layers), sc_core::SC_ZERO_TIME);
    state.error_ready.assign(static_cast<std::size_t>(layers), sc_core::SC_ZERO_TIME);
  }
  if (m_settings.buffer_depth > 0) {
    m_update_end.assign(static_cast<std::size_t>(layers),
                        std::vector<sc_time>(static_cast<std::size_t>(m_settings.buffer_depth)));
  }
  // NOTE: 8 bytes per sample, so timing.samples = 1e9 needs 8 GB. The steady-state interval
  // below reads only the middle and last completions, and entry the one `stages` back.
  m_completion.assign(static_cast<std::size_t>(samples), sc_core::SC_ZERO_TIME);

  auto start_sample = [&](std::uint64_t s, sc_time fetch_ready) -> SampleState& {
    SampleState& state = m_ring[s % m_ring.size()];
    state.sample = s;
    state.fetch_start = fetch_ready;
    state.done = sc_core::SC_ZERO_TIME;
    return state;
  };
  auto finish_sample = [&](SampleState& state) {
    const sc_time latency = state.done - state.fetch_start;
    m_stats.latency_sum += latency;
    m_stats.max_latency = std::max(m_stats.max_latency, latency);
    m_completion[static_cast<std::size_t>(state.sample)] = state.done;
    m_stats.total_time = std::max(m_stats.total_time, state.done);
    ++m_stats.samples;
  };

  auto last_print = wall_start;
  sc_time previous_done = sc_core::SC_ZERO_TIME;
  sc_time previous_first_read = sc_core::SC_ZERO_TIME;
  const std::uint64_t steps = m_settings.pipelined ? samples + static_cast<std::uint64_t>(stages) - 1
                                                   : samples;
  for (std::uint64_t step = 0; step < steps; ++step) {
    if (should_stop()) break;
    if (m_settings.pipelined) {
      // Stage k works on sample step - k; the newest sample enters at stage 0.
      int in_flight = 0;
      for (int stage = 0; stage < stages; ++stage) {
        if (step < static_cast<std::uint64_t>(stage)) break;
        const std::uint64_t s = step - static_cast<std::uint64_t>(stage);
        if (s >= samples) continue;
        ++in_flight;
        // A sample enters once the one `stages` places ahead of it has left, because the
        // pipeline has room for one sample per stage.
        const sc_time entry =
            s >= static_cast<std::uint64_t>(stages)
                ? std::max(previous_first_read,
                           m_completion[static_cast<std::size_t>(s) - static_cast<std::size_t>(stages)])
                : previous_first_read;
        SampleState& state = stage == 0 ? start_sample(s, entry) : m_ring[s % m_ring.size()];
        run_stage(state, stage);
        if (stage == 0) previous_first_read = state.activation_ready[0];
        if (stage == stages - 1) finish_sample(state);
      }
      m_stats.max_samples_in_flight = std::max(m_stats.max_samples_in_flight, in_flight);
    } else {
      SampleState& state = start_sample(step, previous_done);
      for (int stage = 0; stage < stages; ++stage) run_stage(state, stage);
      previous_done = state.done;
      finish_sample(state);
      m_stats.max_samples_in_flight = 1;
    }

    // Let SystemC time follow the schedule, one quantum at a time. No later operation can
    // be ready before the earliest ready time of this step, so the blocks may forget their
    // reservations before it.
    const sc_time horizon = m_step_horizon;
    m_step_horizon = sc_core::sc_max_time();
    if (horizon != sc_core::sc_max_time() && horizon > sc_core::sc_time_stamp() + m_settings.quantum) {
      wait(horizon - sc_core::sc_time_stamp());
    }
    if (m_settings.progress && (step & 1023) == 1023) {
      const auto now = std::chrono::steady_clock::now();
      if (std::chrono::duration<double>(now - last_print).count() > 2.0) {
        last_print = now;
        std::fprintf(stderr, "timing: %llu of %llu samples, %.0f samples per wall second\n",
                     static_cast<unsigned long long>(m_stats.samples),
                     static_cast<unsigned long long>(samples),
                     static_cast<double>(m_stats.samples) / elapsed_s(wall_start));
      }
    }
  }

  // Steady state: the mean interval between completions over the second half of the run.
  if (m_stats.samples >= 4) {
    const std::size_t last = static_cast<std::size_t>(m_stats.samples) - 1;
    const std::size_t middle = last / 2;
    m_stats.steady_state_interval =
        (m_completion[last] - m_completion[middle]) / static_cast<double>(last - middle);
  } else if (m_stats.samples > 0) {
    m_stats.steady_state_interval = m_stats.total_time / static_cast<double>(m_stats.samples);
  }
  m_stats.complete = m_stats.samples == samples;
  if (!m_stats.complete && m_stats.stop_reason.empty()) m_stats.stop_reason = "stopped early";
  m_stats.wall_s = elapsed_s(wall_start);
  if (m_stats.total_time > sc_core::sc_time_stamp()) {
    wait(m_stats.total_time - sc_core::sc_time_stamp());
  }
}

}  // namespace rpusim
