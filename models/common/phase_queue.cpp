#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "models/common/phase_queue.hpp"

#include <utility>

namespace rpusim {

using sc_core::sc_time;

PhaseQueue::PhaseQueue(const char* name, Callback callback) : m_callback(std::move(callback)) {
  sc_core::sc_spawn_options options;
  options.spawn_method();
  options.set_sensitivity(&m_due);
  options.dont_initialize();
  sc_core::sc_spawn([this] { deliver(); }, sc_core::sc_gen_unique_name(name), &options);
}

void PhaseQueue::notify(int channel, tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase,
                        const sc_time& delay) {
  m_entries.push({sc_core::sc_time_stamp() + delay, m_sequence++, channel, &payload, phase});
  // An event keeps only its earliest pending notification.
  m_due.notify(delay);
}

void PhaseQueue::deliver() {
  const sc_time now = sc_core::sc_time_stamp();
  // Entries added while delivering, even for now, wait for the next delta cycle.
  const std::uint64_t end = m_sequence;
  while (!m_entries.empty() && m_entries.top().time <= now && m_entries.top().sequence < end) {
    const Entry entry = m_entries.top();
    m_entries.pop();
    m_callback(entry.channel, *entry.payload, entry.phase);
  }
  if (!m_entries.empty()) m_due.notify(m_entries.top().time - now);
}

}  // namespace rpusim
