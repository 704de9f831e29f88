#include "models/tile/rpu_tile.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "models/common/config.hpp"
#include "models/common/payload.hpp"
#include "models/common/transaction_tag.hpp"

namespace rpusim {

using sc_core::sc_time;

TileParams TileParams::from_config(const Config& config) {
  TileParams params;
  params.input_lines = static_cast<int>(config.get_int("tile.input_lines"));
  params.output_lines = static_cast<int>(config.get_int("tile.output_lines"));
  params.differential_pair = config.get_string("tile.weight_mapping") == "differential_pair";
  params.pulse_width_encoding = config.get_string("tile.input_encoding") == "pulse_width";
  params.analog = config.get_string("run.numerics") == "analog";

  params.read_voltage_v = config.get_real("tile.read_voltage_v");
  params.mean_conductance_s = 1.0 / (config.get_real("tile.device_resistance_megaohm") * 1e6);
  params.on_off_ratio = config.get_real("tile.on_off_ratio");
  params.cell_area_um2 = config.get_real("tile.cell_area_um2");
  params.line_capacitance_f_per_um = config.get_real("tile.line_capacitance_ff_per_um") * 1e-15;
  params.pulse_width = sc_time(config.get_real("tile.pulse_width_ns"), sc_core::SC_NS);
  params.update_voltage_v = config.get_real("tile.update_voltage_v");
  params.bit_length = static_cast<int>(config.get_int("tile.bl"));
  params.switching_energy_j = config.get_real("tile.device_switching_energy_fj") * 1e-15;
  params.gated_leakage_fraction = config.get_real("tile.gated_leakage_fraction");
  params.learning_rate = config.get_real("training.learning_rate");

  params.device = device_params_from_config(config);
  return params;
}

double TileParams::probability_scale() const {
  return std::sqrt(learning_rate / (bit_length * device.dw_min));
}

namespace {

RandomEngine child_stream(std::uint64_t seed, const std::string& tile, const char* child) {
  return make_random_stream(seed, tile + "." + child);
}

}  // namespace

RpuTile::RpuTile(const sc_core::sc_module_name& name, const Config& config, EnergyLedger& ledger,
                 std::uint64_t seed)
    : sc_module(name),
      target_socket("target_socket"),
      m_params(TileParams::from_config(config)),
      m_ledger(ledger),
      m_seed(seed),
      m_update_rng(make_random_stream(seed, std::string(sc_module::name()) + ".update")),
      m_hierarchical_name(sc_module::name()),
      dac_in("dac_in", DacParams::from_config(config), m_params.input_lines, ledger,
             child_stream(seed, m_hierarchical_name, "dac_in")),
      dac_out("dac_out", DacParams::from_config(config), m_params.output_lines, ledger,
              child_stream(seed, m_hierarchical_name, "dac_out")),
      integrator_in("integrator_in", IntegratorParams::from_config(config), m_params.input_lines,
                    ledger, child_stream(seed, m_hierarchical_name, "integrator_in")),
      integrator_out("integrator_out", IntegratorParams::from_config(config),
                     m_params.output_lines, ledger,
                     child_stream(seed, m_hierarchical_name, "integrator_out")),
      adc_in("adc_in", AdcParams::from_config(config), m_params.input_lines, ledger),
      adc_out("adc_out", AdcParams::from_config(config), m_params.output_lines, ledger),
      translator_in("translator_in", TranslatorParams::from_config(config), m_params.input_lines,
                    PulseLineSide::input, ledger,
                    child_stream(seed, m_hierarchical_name, "translator_in")),
      translator_out("translator_out", TranslatorParams::from_config(config),
                     m_params.output_lines, PulseLineSide::output, ledger,
                     child_stream(seed, m_hierarchical_name, "translator_out")),
      x_buffer("x_buffer", BufferParams::from_config(config), m_params.input_lines, ledger),
      d_buffer("d_buffer", BufferParams::from_config(config), m_params.output_lines, ledger),
      m_at(
          m_hierarchical_name.c_str(),
          [this](tlm::tlm_generic_payload& payload, sc_time& delay) {
            b_transport(payload, delay);
          },
          [this](tlm::tlm_generic_payload& payload, tlm::tlm_phase& phase, sc_time& delay) {
            return target_socket->nb_transport_bw(payload, phase, delay);
          }) {
  target_socket.register_b_transport(this, &RpuTile::b_transport);
  target_socket.register_nb_transport_fw(this, &RpuTile::nb_transport_fw);
  m_bit_length = static_cast<std::uint32_t>(m_params.bit_length);
  m_x_probability = m_d_probability = static_cast<float>(m_params.probability_scale());
  const double gated = m_params.gated_leakage_fraction;
  for (Dac* dac : {&dac_in, &dac_out}) dac->set_used_lines(0, gated);
  for (Integrator* integrator : {&integrator_in, &integrator_out}) integrator->set_used_lines(0, gated);
  for (Adc* adc : {&adc_in, &adc_out}) adc->set_used_lines(0, gated);
  for (StochasticTranslator* translator : {&translator_in, &translator_out}) {
    translator->set_used_lines(0, gated);
  }
}

void RpuTile::end_of_elaboration() {
  std::ostringstream text;
  text << name() << ": " << m_params.input_lines << " x " << m_params.output_lines << " lines, "
       << (m_params.differential_pair ? "differential pair" : "reference column") << ", "
       << (m_params.pulse_width_encoding ? "pulse-width" : "amplitude") << " inputs, "
       << (m_params.analog ? "analog" : "exact") << " numerics, BL " << m_params.bit_length
       << ", C " << m_params.probability_scale() << ", mapped layer " << m_layer << " ("
       << m_outputs << " x " << m_inputs << "), read " << full_read_time() << ", update "
       << update_time();
  SC_REPORT_INFO_VERB("rpusim/tile", text.str().c_str(), sc_core::SC_DEBUG);
}

void RpuTile::map_layer(int layer, int inputs, int outputs, const std::vector<float>& weights) {
  if (inputs > m_params.input_lines || outputs > m_params.output_lines) {
    throw std::invalid_argument(std::string(name()) + ": layer of " + std::to_string(outputs) +
                                " x " + std::to_string(inputs) + " does not fit the tile");
  }
  RandomEngine device_rng = make_random_stream(m_seed, m_hierarchical_name + ".devices");
  m_array = std::make_unique<CrossbarArray>(outputs, inputs, m_params.device, device_rng);
  m_array->set_weights(weights);
  m_layer = layer;
  m_inputs = inputs;
  m_outputs = outputs;
  m_y.assign(static_cast<std::size_t>(outputs), 0.0f);
  m_z.assign(static_cast<std::size_t>(inputs), 0.0f);
  m_drive.assign(static_cast<std::size_t>(std::max(inputs, outputs)), 0.0f);
  m_scaled_x.assign(static_cast<std::size_t>(inputs), 0.0f);
  m_scaled_d.assign(static_cast<std::size_t>(outputs), 0.0f);

  set_used_lines(inputs, outputs);
}

void RpuTile::trace(TraceRecorder& recorder) {
  m_trace = &recorder;
  const std::string prefix = m_hierarchical_name + ".";
  m_trace_signals.forward = recorder.add_signal(prefix + "forward");
  m_trace_signals.backward = recorder.add_signal(prefix + "backward");
  m_trace_signals.update = recorder.add_signal(prefix + "update");
  m_trace_signals.adc_in = recorder.add_signal(prefix + "adc_in");
  m_trace_signals.adc_out = recorder.add_signal(prefix + "adc_out");
}

void RpuTile::b_transport(tlm::tlm_generic_payload& payload, sc_time& delay) {
  if (TimingOp* op = timing_op_of(payload)) {
    const bool tile_op = op->kind == TimingOp::kForward || op->kind == TimingOp::kBackward ||
                         op->kind == TimingOp::kUpdate;
    if (!payload.is_write() || payload.get_address() != tile_map::kCommand || !tile_op ||
        m_layer < 0 || m_array) {
      payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
      return;
    }
    run_timed(*op, tag_of(payload), delay);
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (!accept_payload(payload)) return;
  const std::uint64_t address = payload.get_address();
  const TransactionTag tag = tag_of(payload);
  const bool write = payload.is_write();

  if (address >= tile_map::kXBuffer && address < tile_map::kRegionSize) {
    const std::uint64_t base = address - address % tile_map::kBufferSpan;
    const std::uint64_t offset = address - base;
    const int words = static_cast<int>(payload.get_data_length() / kWordBytes);
    if (base == tile_map::kXBuffer) {
      if (access_vector(payload, offset, x_buffer.data(), m_inputs) && write) {
        x_buffer.book_write(words, tag);
      }
    } else if (base == tile_map::kDBuffer) {
      if (access_vector(payload, offset, d_buffer.data(), m_outputs) && write) {
        d_buffer.book_write(words, tag);
      }
    } else if (write) {
      payload.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);  // results are read-only
    } else if (base == tile_map::kYBuffer) {
      access_vector(payload, offset, m_y.data(), m_y.size());
    } else {
      access_vector(payload, offset, m_z.data(), m_z.size());
    }
    return;
  }

  switch (address) {
    case tile_map::kCommand: {
      std::uint32_t command = 0;
      if (!write) {
        payload.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
      }
      if (!access_register(payload, command)) return;
      if (!m_array || command < tile_map::kForward || command > tile_map::kUpdate) {
        payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
      }
      execute(command, tag, delay);
      return;
    }
    case tile_map::kSaturated:
    case tile_map::kInputs:
    case tile_map::kOutputs: {
      if (write) {
        payload.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
      }
      std::uint32_t value = address == tile_map::kSaturated ? m_saturated
                            : address == tile_map::kInputs  ? static_cast<std::uint32_t>(m_inputs)
                                                            : static_cast<std::uint32_t>(m_outputs);
      access_register(payload, value);
      return;
    }
    case tile_map::kXScale:
      access_register(payload, m_x_scale);
      return;
    case tile_map::kBitLength: {
      std::uint32_t bit_length = m_bit_length;
      if (!access_register(payload, bit_length)) return;
      if (bit_length > static_cast<std::uint32_t>(kMaxBitLength)) {
        payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
      }
      m_bit_length = bit_length;
      return;
    }
    case tile_map::kXProbability:
      access_register(payload, m_x_probability);
      return;
    case tile_map::kDProbability:
      access_register(payload, m_d_probability);
      return;
    case tile_map::kDScale:
      access_register(payload, m_d_scale);
      return;
    case tile_map::kLearningRate: {
      // A learning-rate schedule changes eta between epochs. The translators' scale C
      // follows it, and so does the exact-numerics step.
      float learning_rate = static_cast<float>(m_params.learning_rate);
      if (!access_register(payload, learning_rate) || !write) return;
      if (!std::isfinite(learning_rate) || learning_rate <= 0.0f) {
        payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
      }
      m_params.learning_rate = learning_rate;
      m_x_probability = m_d_probability = static_cast<float>(m_params.probability_scale());
      return;
    }
    default:
      payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }
}

tlm::tlm_sync_enum RpuTile::nb_transport_fw(tlm::tlm_generic_payload& payload,
                                            tlm::tlm_phase& phase, sc_time& delay) {
  return m_at.nb_transport_fw(payload, phase, delay);
}

void RpuTile::execute(std::uint32_t command, const TransactionTag& tag, sc_time& delay) {
  const sc_time start = std::max(sc_core::sc_time_stamp() + delay, m_array_busy_until);
  sc_time done;
  if (command == tile_map::kUpdate) {
    const sc_time duration = update(tag);
    done = start + duration;
    m_array_busy_until = done;
    m_activity.busy += duration;
    if (m_trace) m_trace->busy(m_trace_signals.update, start, done);
  } else {
    done = read(command == tile_map::kForward, tag, start);
  }
  delay = done - sc_core::sc_time_stamp();
}

sc_time RpuTile::read(bool forward, const TransactionTag& tag, sc_time start) {
  const int drive_count = forward ? m_inputs : m_outputs;
  const int sense_count = forward ? m_outputs : m_inputs;
  VectorBuffer& source = forward ? x_buffer : d_buffer;
  Dac& dac = forward ? dac_in : dac_out;
  Integrator& integrator = forward ? integrator_out : integrator_in;
  Adc& adc = forward ? adc_out : adc_in;
  sc_time& adc_busy_until = forward ? m_adc_out_busy_until : m_adc_in_busy_until;
  float* result = forward ? m_y.data() : m_z.data();
  const bool analog = m_params.analog;

  std::copy(source.data(), source.data() + drive_count, m_drive.begin());
  source.book_read(drive_count, tag);
  int clipped = 0;
  const sc_time setup = dac.convert(m_drive.data(), drive_count, analog, tag, clipped);
  record_drive(forward, m_drive.data(), drive_count);
  m_ledger.add(Component::kArray, tag.layer, tag.phase, tag.evaluation,
               read_energy_j(m_drive.data(), drive_count, forward, sense_count));

  if (forward) {
    m_array->multiply(m_drive.data(), result);
  } else {
    m_array->multiply_transposed(m_drive.data(), result);
  }
  int saturated = 0;
  const sc_time t_meas = integrator.integrate(result, sense_count, analog, tag, saturated);
  const sc_time conversion = adc.convert(result, sense_count, analog, tag);

  m_saturated = static_cast<std::uint32_t>(saturated);
  (forward ? m_activity.forward_reads : m_activity.backward_reads) += 1;
  if (saturated > 0) m_activity.saturated_reads += 1;

  // The array is busy while DAC setup and integration run. The ADC bank converts after the
  // integration ends, and may overlap the next read's integration if configured.
  const sc_time integration_end = start + setup + t_meas;
  const sc_time conversion_start = std::max(integration_end, adc_busy_until);
  const sc_time conversion_end = conversion_start + conversion;
  adc_busy_until = conversion_end;
  m_array_busy_until = adc.params().overlap_conversion ? integration_end : conversion_end;
  m_activity.busy += setup + t_meas;
  if (m_trace) {
    m_trace->busy(forward ? m_trace_signals.forward : m_trace_signals.backward, start,
                  conversion_end);
    m_trace->busy(forward ? m_trace_signals.adc_out : m_trace_signals.adc_in, conversion_start,
                  conversion_end);
  }
  return conversion_end;
}

sc_time RpuTile::update(const TransactionTag& tag) {
  for (int i = 0; i < m_inputs; ++i) m_scaled_x[i] = x_buffer.data()[i] * m_x_scale;
  for (int j = 0; j < m_outputs; ++j) m_scaled_d[j] = d_buffer.data()[j] * m_d_scale;
  x_buffer.book_read(m_inputs, tag);
  d_buffer.book_read(m_outputs, tag);

  const int bl = static_cast<int>(m_bit_length);
  if (bl == 0) return sc_core::SC_ZERO_TIME;  // dynamic BL found nothing to update
  const double x_scale = m_x_probability;
  const double d_scale = m_d_probability;
  double x_pulses = 0;
  double d_pulses = 0;
  double coincidences = 0;
  sc_time setup;
  if (m_params.analog) {
    setup = std::max(
        translator_in.translate(m_scaled_x.data(), m_inputs, x_scale, bl, tag, m_x_streams),
        translator_out.translate(m_scaled_d.data(), m_outputs, d_scale, bl, tag, m_d_streams));
    const UpdateStats stats = m_array->apply_pulses(m_x_streams, m_d_streams, m_update_rng);
    x_pulses = static_cast<double>(m_x_streams.pulse_count);
    d_pulses = static_cast<double>(m_d_streams.pulse_count);
    coincidences = static_cast<double>(stats.coincidences);
  } else {
    // Exact numerics: the weights take the exact SGD step, and the pulses the hardware would
    // send are priced at their expected counts.
    setup = std::max(
        translator_in.translate_expected(m_scaled_x.data(), m_inputs, x_scale, bl, tag, x_pulses),
        translator_out.translate_expected(m_scaled_d.data(), m_outputs, d_scale, bl, tag,
                                          d_pulses));
    coincidences = x_pulses * d_pulses / bl;
    m_array->apply_exact_update(m_scaled_x.data(), m_scaled_d.data(),
                                static_cast<float>(m_params.learning_rate));
  }

  m_ledger.add(Component::kArray, tag.layer, tag.phase, tag.evaluation,
               update_pulse_energy_j(x_pulses, d_pulses, coincidences));
  m_activity.x_slots += static_cast<double>(bl) * m_inputs;
  m_activity.d_slots += static_cast<double>(bl) * m_outputs;
  m_activity.x_pulses += x_pulses;
  m_activity.d_pulses += d_pulses;
  m_activity.cross_point_slots += static_cast<double>(bl) * m_inputs * m_outputs;

  m_activity.updates += 1;
  m_activity.pulses += x_pulses + d_pulses;
  m_activity.coincidences += coincidences;
  // Two phases, one per pulse polarity, of BL slots each.
  return setup + m_params.pulse_width * (2.0 * bl);
}

double RpuTile::update_pulse_energy_j(double x_pulses, double d_pulses,
                                      double coincidences) const {
  // Each pulsed line carries half the update voltage: it charges the line and drives every
  // device on it half-selected. A coincident device gets the full voltage, which adds
  // V^2 G t / 2 beyond its two half-select shares, plus any switching energy.
  const double half_v = m_params.update_voltage_v / 2;
  const double t_pulse = m_params.pulse_width.to_seconds();
  const double devices_per_input_line = (m_params.differential_pair ? 2.0 : 1.0) * m_outputs;
  const double devices_per_output_line = m_inputs;
  const double g = m_params.mean_conductance_s;
  const double input_pulse_j =
      half_v * half_v *
      (m_params.line_capacitance_f_per_um * line_length_um(true) + devices_per_input_line * g * t_pulse);
  const double output_pulse_j =
      half_v * half_v *
      (m_params.line_capacitance_f_per_um * line_length_um(false) + devices_per_output_line * g * t_pulse);
  const double coincidence_j =
      m_params.update_voltage_v * m_params.update_voltage_v * g * t_pulse / 2 +
      m_params.switching_energy_j;
  return x_pulses * input_pulse_j + d_pulses * output_pulse_j + coincidences * coincidence_j;

}

void RpuTile::record_drive(bool forward, const float* drive, int count) {
  double abs_sum = 0;
  double square_sum = 0;
  int nonzero = 0;
  for (int i = 0; i < count; ++i) {
    const double x = std::fabs(drive[i]);
    abs_sum += x;
    square_sum += x * x;
    nonzero += x != 0.0 ? 1 : 0;
  }
  if (forward) {
    m_activity.forward_lines += count;
    m_activity.forward_abs_sum += abs_sum;
    m_activity.forward_square_sum += square_sum;
    m_activity.forward_nonzero += nonzero;
  } else {
    m_activity.backward_lines += count;
    m_activity.backward_abs_sum += abs_sum;
    m_activity.backward_square_sum += square_sum;
    m_activity.backward_nonzero += nonzero;
  }
}

void RpuTile::set_used_lines(int inputs, int outputs) {
  const double gated = m_params.gated_leakage_fraction;
  dac_in.set_used_lines(inputs, gated);
  integrator_in.set_used_lines(inputs, gated);
  adc_in.set_used_lines(inputs, gated);
  translator_in.set_used_lines(inputs, gated);
  dac_out.set_used_lines(outputs, gated);
  integrator_out.set_used_lines(outputs, gated);
  adc_out.set_used_lines(outputs, gated);
  translator_out.set_used_lines(outputs, gated);
}

void RpuTile::map_block(int layer, int inputs, int outputs, const ActivityFactors& activity) {
  if (inputs > m_params.input_lines || outputs > m_params.output_lines) {
    throw std::invalid_argument(std::string(name()) + ": block of " + std::to_string(outputs) +
                                " x " + std::to_string(inputs) + " does not fit the tile");
  }
  m_array.reset();
  m_layer = layer;
  m_inputs = inputs;
  m_outputs = outputs;
  m_timing_activity = activity;
  set_used_lines(inputs, outputs);
}

void RpuTile::book_timed_read(bool forward, double reads, const TransactionTag& tag) {
  const ReadActivity& activity = forward ? m_timing_activity.forward : m_timing_activity.backward;
  const int drive_count = forward ? m_inputs : m_outputs;
  const int sense_count = forward ? m_outputs : m_inputs;
  const Dac& dac = forward ? dac_in : dac_out;
  const Integrator& integrator = forward ? integrator_out : integrator_in;
  const Adc& adc = forward ? adc_out : adc_in;
  const VectorBuffer& source = forward ? x_buffer : d_buffer;

  // The array term of read_energy_j() with every line at the mean activity. Lines outside
  // the mapped weights count as zero weights, as they do without an array.
  const double v = m_params.read_voltage_v;
  const double t_meas = integrator_out.params().t_meas.to_seconds();
  const double wires = (!forward && m_params.differential_pair) ? 2.0 : 1.0;
  const double line_charge_j =
      wires * m_params.line_capacitance_f_per_um * line_length_um(forward) * v * v;
  const double drive_factor =
      m_params.pulse_width_encoding ? activity.mean_abs : activity.mean_square;
  const double g_line = line_conductance_s(0, forward, sense_count);
  const double array_j =
      drive_count * (drive_factor * v * v * g_line * t_meas + activity.nonzero * line_charge_j);

  auto book = [&](Component component, double joules) {
    m_ledger.add(component, tag.layer, tag.phase, tag.evaluation, reads * joules);
  };
  // As in a functional run, every read, a bound-management re-read too, writes its input
  // into the buffer and reads it out.
  book(Component::kBuffers, source.write_energy_j(drive_count) + source.read_energy_j(drive_count));
  book(Component::kDac, dac.energy_j(drive_count));
  book(Component::kArray, array_j);
  book(Component::kIntegrator, integrator.energy_j(sense_count));
  book(Component::kAdc, adc.energy_j(sense_count));
}

void RpuTile::book_timed_update(double updates, std::int64_t words_written,
                                const TransactionTag& tag) {
  const ActivityFactors& a = m_timing_activity;
  const int bl = m_params.bit_length;
  const double x_pulses = bl * m_inputs * a.x_pulse_probability;
  const double d_pulses = bl * m_outputs * a.d_pulse_probability;
  const double coincidences = static_cast<double>(bl) * m_inputs * m_outputs *
                              a.coincidence_probability;
  auto book = [&](Component component, double joules) {
    m_ledger.add(component, tag.layer, tag.phase, tag.evaluation, updates * joules);
  };
  book(Component::kBuffers, x_buffer.read_energy_j(m_inputs) + d_buffer.read_energy_j(m_outputs));
  // The update data the command delivers lands in the X and D buffers. A layer whose x and
  // d are still in them from its reads gets none (docs/model.md, section 14.3).
  m_ledger.add(Component::kBuffers, tag.layer, tag.phase, tag.evaluation,
               x_buffer.write_energy_j(static_cast<double>(words_written)));
  // The translators spend energy on every line with a non-zero value.
  book(Component::kStochasticTranslator,
       translator_in.energy_j(m_inputs * a.forward.nonzero, bl) +
           translator_out.energy_j(m_outputs * a.backward.nonzero, bl));
  book(Component::kArray, update_pulse_energy_j(x_pulses, d_pulses, coincidences));
  m_activity.pulses += updates * (x_pulses + d_pulses);
  m_activity.coincidences += updates * coincidences;
}

void RpuTile::run_timed(TimingOp& op, const TransactionTag& tag, sc_time& delay) {
  const sc_time ready = sc_core::sc_time_stamp() + delay;
  const double repeats = static_cast<double>(op.repeats);
  // The array and its ADC banks form one resource on the tile's calendar: a pipelined
  // schedule issues requests out of time order.
  m_timed_calendar.forget_before(sc_core::sc_time_stamp());
  sc_time start;
  sc_time end;
  if (op.kind == TimingOp::kUpdate) {
    const sc_time duration = update_time() * repeats;
    start = m_timed_calendar.reserve(ready, duration);
    end = start + duration;
    m_activity.busy += duration;
    m_activity.updates += static_cast<std::uint64_t>(op.repeats);
    book_timed_update(repeats, op.carried, tag);
    if (m_trace) m_trace->busy(m_trace_signals.update, start, end);
  } else {
    const bool forward = op.kind == TimingOp::kForward;
    const ReadActivity& activity = forward ? m_timing_activity.forward : m_timing_activity.backward;
    const Adc& adc = forward ? adc_out : adc_in;
    // Bound management re-reads a saturated read once on average per saturating read.
    const double reads = repeats * (1.0 + activity.saturation);
    const sc_time integration = (forward ? dac_in : dac_out).setup_time() +
                                integrator_out.params().t_meas;
    const sc_time conversion = adc.conversion_time(forward ? m_outputs : m_inputs);
    // With overlapping conversion the integration of read i + 1 runs during the conversion
    // of read i.
    const sc_time duration =
        adc.params().overlap_conversion
            ? integration + conversion + std::max(integration, conversion) * (reads - 1.0)
            : (integration + conversion) * reads;
    start = m_timed_calendar.reserve(ready, duration);
    end = start + duration;
    m_activity.busy += integration * reads;
    (forward ? m_activity.forward_reads : m_activity.backward_reads) +=
        static_cast<std::uint64_t>(op.repeats);
    m_activity.saturated_reads +=
        static_cast<std::uint64_t>(std::llround(repeats * activity.saturation));
    book_timed_read(forward, reads, tag);
    if (m_trace) {
      // The burst's conversions interleave with its integrations: the ADC flag covers the
      // burst from the first conversion on.
      m_trace->busy(forward ? m_trace_signals.forward : m_trace_signals.backward, start, end);
      m_trace->busy(forward ? m_trace_signals.adc_out : m_trace_signals.adc_in, start + integration,
                    end);
    }
  }
  op.start = start;
  op.end = end;
  delay = end - sc_core::sc_time_stamp();
}

double RpuTile::line_length_um(bool input_line) const {
  const double pitch_um = std::sqrt(m_params.cell_area_um2);
  if (input_line) {
    // An input line crosses every output line; a differential pair puts two devices there.
    const double crossings = m_params.differential_pair ? 2.0 * m_params.output_lines
                                                        : m_params.output_lines + 1.0;
    return crossings * pitch_um;
  }
  const double crossings =
      m_params.differential_pair ? m_params.input_lines : m_params.input_lines + 1.0;
  return crossings * pitch_um;
}

double RpuTile::line_conductance_s(int line, bool input_line, int devices) const {
  const double g_mean = m_params.mean_conductance_s;
  if (m_params.differential_pair) {
    // G+ + G- = 2 G_mean for every weight, so the line conductance does not depend on W.
    return 2.0 * g_mean * devices;
  }
  // One device per weight, G = G_mean + w k, plus one reference device at G_mean.
  const double r = m_params.on_off_ratio;
  const double g_min = 2.0 * g_mean / (1.0 + r);
  const double g_max = r * g_min;
  const double w_range = std::max(m_params.device.w_max, -m_params.device.w_min);
  const double k = (g_max - g_min) / (2.0 * w_range);
  // Lines outside the mapped layer (the full-tile figures) count as holding zero weights.
  double weight_sum = 0;
  if (m_array) {
    const auto& sums =
        input_line ? m_array->input_line_weight_sums() : m_array->output_line_weight_sums();
    if (static_cast<std::size_t>(line) < sums.size()) weight_sum = sums[static_cast<std::size_t>(line)];
  }
  return g_mean * (devices + 1) + k * weight_sum;
}

double RpuTile::read_energy_j(const float* drive, int count, bool forward,
                              int devices_on_line) const {
  const double v = m_params.read_voltage_v;
  const double t_meas = integrator_out.params().t_meas.to_seconds();
  // A differential pair's output line is two wires (the G+ and G- columns), both driven in a
  // backward read.
  const double wires = (!forward && m_params.differential_pair) ? 2.0 : 1.0;
  const double line_charge_j =
      wires * m_params.line_capacitance_f_per_um * line_length_um(forward) * v * v;
  double energy = 0;
  for (int line = 0; line < count; ++line) {
    const double x = std::fabs(drive[line]);
    if (x == 0.0) continue;
    // Pulse-width coding drives V for |x| t_meas; amplitude coding drives |x| V for t_meas.
    const double drive_factor = m_params.pulse_width_encoding ? x : x * x;
    energy += drive_factor * v * v * line_conductance_s(line, forward, devices_on_line) * t_meas +
              line_charge_j;
  }
  return energy;
}

double RpuTile::array_area_um2() const {
  const double lines_in = m_params.input_lines;
  const double lines_out = m_params.output_lines;
  const double cells = m_params.differential_pair ? 2.0 * lines_in * lines_out
                                                  : lines_in * lines_out + lines_in + lines_out;
  return cells * m_params.cell_area_um2;
}

void RpuTile::add_static_power(std::array<double, kComponentCount>& watts) const {
  auto add = [&watts](Component component, double value) {
    watts[static_cast<std::size_t>(component)] += value;
  };
  add(Component::kDac, dac_in.statics().static_power_w() + dac_out.statics().static_power_w());
  add(Component::kIntegrator, integrator_in.statics().static_power_w() +
                                  integrator_out.statics().static_power_w());
  add(Component::kAdc, adc_in.statics().static_power_w() + adc_out.statics().static_power_w());
  add(Component::kStochasticTranslator, translator_in.statics().static_power_w() +
                                            translator_out.statics().static_power_w());
  add(Component::kBuffers, x_buffer.static_power_w() + d_buffer.static_power_w());
}

void RpuTile::add_area(std::array<double, kComponentCount>& um2) const {
  auto add = [&um2](Component component, double value) {
    um2[static_cast<std::size_t>(component)] += value;
  };
  add(Component::kArray, array_area_um2());
  add(Component::kDac, dac_in.statics().area_um2() + dac_out.statics().area_um2());
  add(Component::kIntegrator, integrator_in.statics().area_um2() + integrator_out.statics().area_um2());
  add(Component::kAdc, adc_in.statics().area_um2() + adc_out.statics().area_um2());
  add(Component::kStochasticTranslator,
      translator_in.statics().area_um2() + translator_out.statics().area_um2());
  add(Component::kBuffers, x_buffer.area_um2() + d_buffer.area_um2());
}

sc_time RpuTile::full_read_time() const {
  return dac_in.setup_time() + integrator_out.params().t_meas +
         adc_out.conversion_time(m_params.output_lines);
}

sc_time RpuTile::update_time() const {
  return translator_in.setup_time() + m_params.pulse_width * (2.0 * m_params.bit_length);
}

std::array<double, kComponentCount> RpuTile::full_scale_read_energy() const {
  std::array<double, kComponentCount> energy{};
  const int inputs = m_params.input_lines;
  const int outputs = m_params.output_lines;
  const std::vector<float> full_scale(static_cast<std::size_t>(inputs), 1.0f);
  auto add = [&energy](Component component, double joules) {
    energy[static_cast<std::size_t>(component)] += joules;
  };
  add(Component::kBuffers, x_buffer.read_energy_j(inputs));
  add(Component::kDac, dac_in.energy_j(inputs));
  add(Component::kArray, read_energy_j(full_scale.data(), inputs, true, outputs));
  add(Component::kIntegrator, integrator_out.energy_j(outputs));
  add(Component::kAdc, adc_out.energy_j(outputs));
  return energy;
}

}  // namespace rpusim
