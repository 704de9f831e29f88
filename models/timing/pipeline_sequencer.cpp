#include "models/timing/pipeline_sequencer.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <queue>

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
  // The payload is a one-word command write. The vector's size (at least one word) travels
  // in the operation, so transfers of any size are priced exactly.
  const std::int64_t bits = std::max<std::int64_t>(elements, 1) * m_settings.element_bits;
  op.bits = static_cast<std::uint64_t>((bits + 31) / 32) * 32;
  op.carried = elements;

  m_tag.layer = layer;
  m_tag.phase = phase;
  m_tag.evaluation = false;
  m_payload.set_command(tlm::TLM_WRITE_COMMAND);
  m_payload.set_address(address);
  m_payload.set_data_ptr(m_command_word.data());
  m_payload.set_data_length(static_cast<unsigned int>(m_command_word.size()));
  m_payload.set_streaming_width(static_cast<unsigned int>(m_command_word.size()));
  m_payload.set_byte_enable_ptr(nullptr);
  m_payload.set_dmi_allowed(false);
  m_payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);

  // The operation and route live on this stack frame or in this module: detach them even
  // when a target or the protocol checker throws, or the payload's destructor would free them.
  struct Attached {
    tlm::tlm_generic_payload& payload;
    TimingOp& op;
    MeshRoute* route;
    ~Attached() {
      payload.clear_extension(&op);
      if (route) payload.clear_extension(route);
    }
  } attached{m_payload, op, source_node >= 0 ? &m_route : nullptr};
  m_payload.set_extension(&op);
  m_route.node = source_node;
  if (attached.route) m_payload.set_extension(attached.route);

  const sc_time now = sc_core::sc_time_stamp();
  sc_time delay = ready > now ? ready - now : sc_core::SC_ZERO_TIME;
  initiator_socket->b_transport(m_payload, delay);
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

int PipelineSequencer::final_stage() const {
  // A sample is done after the update of the first layer that passes no error down: layer 0,
  // or the first weighted layer, below which only unweighted layers lie.
  const int layers = static_cast<int>(m_settings.layers.size());
  for (int l = 1; l < layers; ++l) {
    if (m_settings.layers[static_cast<std::size_t>(l)].first_weighted) return 2 * layers - 1 - l;
  }
  return 2 * layers - 1;
}

sc_time PipelineSequencer::next_stage_ready(const SampleState& state, int stage) const {
  const int layers = static_cast<int>(m_settings.layers.size());
  if (stage + 1 < layers) return state.activation_ready[static_cast<std::size_t>(stage) + 1];
  return state.error_ready[static_cast<std::size_t>(2 * layers - 2 - stage)];
}

void PipelineSequencer::wait_until(const sc_time& ready) {
  // Let SystemC time follow the schedule, one quantum at a time. Operations are issued in
  // the order of their ready times, so no later one can be ready before `ready`, and the
  // blocks may forget reservations that end before it.
  const sc_time now = sc_core::sc_time_stamp();
  if (ready > now + m_settings.quantum) wait(ready - now);
}

void PipelineSequencer::start_sample(SampleState& state, std::uint64_t sample,
                                     const sc_time& fetch_ready) {
  state.sample = sample;
  state.fetch_start = fetch_ready;
  state.done = sc_core::SC_ZERO_TIME;
}

void PipelineSequencer::finish_sample(SampleState& state) {
  const sc_time latency = state.done - state.fetch_start;
  m_stats.latency_sum += latency;
  m_stats.max_latency = std::max(m_stats.max_latency, latency);
  m_completion[static_cast<std::size_t>(state.sample)] = state.done;
  m_stats.total_time = std::max(m_stats.total_time, state.done);
  ++m_stats.samples;
  if (m_settings.progress && (m_stats.samples & 1023) == 0) {
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - m_last_print).count() > 2.0) {
      m_last_print = now;
      std::fprintf(stderr, "timing: %llu of %llu samples, %.0f samples per wall second\n",
                   static_cast<unsigned long long>(m_stats.samples),
                   static_cast<unsigned long long>(m_settings.samples),
                   static_cast<double>(m_stats.samples) / elapsed_s(m_wall_start));
    }
  }
}

void PipelineSequencer::run_sequential() {
  const int last_stage = final_stage();
  sc_time previous_done = sc_core::SC_ZERO_TIME;
  for (std::uint64_t s = 0; s < m_settings.samples; ++s) {
    if (should_stop()) break;
    SampleState& state = m_ring[0];
    start_sample(state, s, previous_done);
    for (int stage = 0; stage <= last_stage; ++stage) {
      wait_until(stage == 0 ? state.fetch_start : next_stage_ready(state, stage - 1));
      run_stage(state, stage);
    }
    previous_done = state.done;
    finish_sample(state);
    m_stats.max_samples_in_flight = 1;
  }
}

void PipelineSequencer::run_pipelined() {
  // Every stage of every sample is an event, issued in the order of its ready time (then
  // sample, then stage). A sample enters once the previous one has left stage 0's fetch
  // and the one `stages` places ahead has left the pipeline, which has room for one sample
  // per stage. A layer that keeps the x of `buffer_depth` samples runs a forward only after
  // its update of the sample `buffer_depth` places ahead. Until then the forward waits.
  struct Event {
    sc_time ready;
    std::uint64_t sample;
    int stage;
    bool operator>(const Event& other) const {
      if (ready != other.ready) return ready > other.ready;
      if (sample != other.sample) return sample > other.sample;
      return stage > other.stage;
    }
  };
  const int layers = static_cast<int>(m_settings.layers.size());
  const auto stages = static_cast<std::uint64_t>(2 * layers);
  const int last_stage = final_stage();
  const std::uint64_t samples = m_settings.samples;
  const auto depth = static_cast<std::uint64_t>(m_settings.buffer_depth);
  std::vector<Event> storage;
  storage.reserve(static_cast<std::size_t>(stages) + 1);
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events(
      std::greater<Event>(), std::move(storage));
  std::vector<std::uint64_t> updates_done(static_cast<std::size_t>(layers), 0);
  std::vector<std::vector<Event>> waiting(static_cast<std::size_t>(layers));

  std::uint64_t next_sample = 0;       // the next sample to enter
  bool fetch_pending = false;          // the last sample entered has not run stage 0 yet
  sc_time previous_first_read = sc_core::SC_ZERO_TIME;
  std::uint64_t in_flight = 0;
  bool stopping = false;  // a limit or signal came: no sample enters, those in flight finish
  auto admit = [&]() {
    if (stopping || fetch_pending || next_sample >= samples) return;
    sc_time entry = previous_first_read;
    if (next_sample >= stages) {
      // A completion time of zero marks a sample that has not left the pipeline yet.
      const auto ahead = static_cast<std::size_t>(next_sample - stages);
      if (m_completion[ahead] == sc_core::SC_ZERO_TIME) return;
      entry = std::max(entry, m_completion[ahead]);
    }
    events.push(Event{entry, next_sample, 0});
    ++next_sample;
    fetch_pending = true;
  };

  admit();
  while (!events.empty()) {
    const Event event = events.top();
    events.pop();
    // A stop lets the samples in flight finish, so busy times and energy cover whole samples.
    if (event.stage == 0 && (stopping || should_stop())) {
      stopping = true;
      continue;
    }
    SampleState& state = m_ring[event.sample % m_ring.size()];
    if (event.stage < layers && depth > 0 && event.sample >= depth) {
      const auto l = static_cast<std::size_t>(event.stage);
      if (m_settings.layers[l].weighted && updates_done[l] <= event.sample - depth) {
        waiting[l].push_back(event);
        continue;
      }
    }
    wait_until(event.ready);
    if (event.stage == 0) {
      start_sample(state, event.sample, event.ready);
      ++in_flight;
      m_stats.max_samples_in_flight =
          std::max(m_stats.max_samples_in_flight, static_cast<int>(in_flight));
    }
    run_stage(state, event.stage);
    if (event.stage == 0) {
      previous_first_read = state.activation_ready[0];
      fetch_pending = false;
    }
    if (event.stage >= layers) {
      const auto l = static_cast<std::size_t>(2 * layers - 1 - event.stage);
      if (m_settings.layers[l].weighted) {
        updates_done[l] = event.sample + 1;
        // Forwards that waited for this update may go; they are ready no earlier than it.
        std::vector<Event>& parked = waiting[l];
        auto released = std::partition(parked.begin(), parked.end(), [&](const Event& e) {
          return updates_done[l] <= e.sample - depth;
        });
        for (auto it = released; it != parked.end(); ++it) {
          const sc_time update_end = m_update_end[l][it->sample % depth];
          events.push(Event{std::max(it->ready, update_end), it->sample, it->stage});
        }
        parked.erase(released, parked.end());
      }
    }
    if (event.stage == last_stage) {
      finish_sample(state);
      --in_flight;
    } else {
      events.push(Event{next_stage_ready(state, event.stage), event.sample, event.stage + 1});
    }
    admit();
  }
}

void PipelineSequencer::run() {
  m_wall_start = std::chrono::steady_clock::now();
  m_last_print = m_wall_start;
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

  if (m_settings.pipelined) {
    run_pipelined();
  } else {
    run_sequential();
  }

  // Steady state: the mean interval between completions from the middle of the run to the
  // start of the drain. Every sample that entered has finished, also in a run stopped early.
  // A sample enters only once the one `stages` places ahead has left, so no sample enters
  // after sample N - 1 - stages completes, N being the samples that entered. The pipeline
  // then drains, and its completions come faster than the bottleneck allows, so the window
  // leaves them out.
  std::size_t finished_in_order = 0;
  while (finished_in_order < m_completion.size() &&
         m_completion[finished_in_order] != sc_core::SC_ZERO_TIME) {
    ++finished_in_order;
  }
  std::size_t window_end = finished_in_order;  // one past the window's last sample
  if (m_settings.pipelined) {
    const auto drain = static_cast<std::size_t>(stages);
    window_end = finished_in_order > drain ? finished_in_order - drain : 0;
  }
  m_stats.steady_state_samples = 0;
  if (window_end >= kMinSteadyStateSamples) {
    const std::size_t last = window_end - 1;
    const std::size_t middle = last / 2;
    m_stats.steady_state_first = middle;
    m_stats.steady_state_samples = last - middle;
    m_stats.steady_state_interval =
        (m_completion[last] - m_completion[middle]) / static_cast<double>(last - middle);
  } else if (m_stats.samples > 0) {
    m_stats.steady_state_interval = m_stats.total_time / static_cast<double>(m_stats.samples);
  }
  m_stats.complete = m_stats.samples == samples;
  if (!m_stats.complete && m_stats.stop_reason.empty()) m_stats.stop_reason = "stopped early";
  m_stats.wall_s = elapsed_s(m_wall_start);
  if (m_stats.total_time > sc_core::sc_time_stamp()) {
    wait(m_stats.total_time - sc_core::sc_time_stamp());
  }
}

}  // namespace rpusim
