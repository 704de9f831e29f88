#include "models/common/trace_recorder.hpp"

#include <stdexcept>

namespace rpusim {

using sc_core::sc_time;

namespace {

const std::string kExtension = ".vcd";

}  // namespace

TraceRecorder::TraceRecorder(const sc_core::sc_module_name& name, const std::string& vcd_path)
    : sc_module(name) {
  if (vcd_path.size() <= kExtension.size() ||
      vcd_path.compare(vcd_path.size() - kExtension.size(), kExtension.size(), kExtension) != 0) {
    throw std::invalid_argument("trace file " + vcd_path + ": the name must end in .vcd");
  }
  m_file = sc_core::sc_create_vcd_trace_file(
      vcd_path.substr(0, vcd_path.size() - kExtension.size()).c_str());
  // SystemC announces the time unit on standard output (I703), which `rpusim run -q` should
  // not print. The file's $timescale gives it anyway.
  sc_core::sc_report_handler::set_actions("tracing timescale unit set", sc_core::SC_DO_NOTHING);
  m_file->set_time_unit(1, sc_core::SC_PS);
  SC_METHOD(replay);
  sensitive << m_due;
  dont_initialize();
}

TraceRecorder::~TraceRecorder() {
  close();
}

int TraceRecorder::add_signal(const std::string& trace_name) {
  m_signals.push_back(
      std::make_unique<sc_core::sc_signal<bool>>(sc_core::sc_gen_unique_name("signal"), false));
  m_open_intervals.push_back(0);
  m_touched.push_back(0);
  sc_core::sc_trace(m_file, *m_signals.back(), trace_name);
  return static_cast<int>(m_signals.size()) - 1;
}

void TraceRecorder::busy(int id, const sc_time& start, const sc_time& end) {
  const sc_time now = sc_core::sc_time_stamp();
  const sc_time from = start < now ? now : start;
  if (end <= from) return;
  m_changes.push({from, m_sequence++, id, +1});
  m_changes.push({end, m_sequence++, id, -1});
  // An event keeps only its earliest pending notification.
  m_due.notify(from - now);
}

void TraceRecorder::open_interval(int id) {
  m_changes.push({sc_core::sc_time_stamp(), m_sequence++, id, +1});
  m_due.notify(sc_core::SC_ZERO_TIME);
}

void TraceRecorder::close_interval(int id) {
  m_changes.push({sc_core::sc_time_stamp(), m_sequence++, id, -1});
  m_due.notify(sc_core::SC_ZERO_TIME);
}

void TraceRecorder::replay() {
  const sc_time now = sc_core::sc_time_stamp();
  std::vector<int> touched;
  while (!m_changes.empty() && m_changes.top().time <= now) {
    const Change& change = m_changes.top();
    m_open_intervals[static_cast<std::size_t>(change.signal)] += change.step;
    if (!m_touched[static_cast<std::size_t>(change.signal)]) {
      m_touched[static_cast<std::size_t>(change.signal)] = 1;
      touched.push_back(change.signal);
    }
    m_changes.pop();
  }
  for (int signal : touched) {
    const auto index = static_cast<std::size_t>(signal);
    m_signals[index]->write(m_open_intervals[index] > 0);
    m_touched[index] = 0;
  }
  if (!m_changes.empty()) m_due.notify(m_changes.top().time - now);
}

void TraceRecorder::close() {
  if (!m_file) return;
  sc_core::sc_close_vcd_trace_file(m_file);
  m_file = nullptr;
}

}  // namespace rpusim
