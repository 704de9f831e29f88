// Timed queue of (payload, phase) notifications for an approximately timed front end
// (AtTarget, AtInterconnect). One method process delivers each entry at its time, in time
// order, and in notification order at equal times. An entry due now is delivered in the next
// delta cycle, as tlm_utils::peq_with_cb_and_phase does. This queue replaces that class
// because each of its instances preallocates two lists of 100 entries, and every tile of a
// timing run, which never takes the AT path, would carry them.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include <systemc>
#include <tlm>

namespace rpusim {

class PhaseQueue {
 public:
  // `channel` is the owner's number for the kind of entry (the queue it belongs to).
  using Callback =
      std::function<void(int channel, tlm::tlm_generic_payload& payload, const tlm::tlm_phase&)>;

  // Construct during elaboration: the delivering process is spawned under the current module
  // with the unique name `name`.
  PhaseQueue(const char* name, Callback callback);

  void notify(int channel, tlm::tlm_generic_payload& payload, const tlm::tlm_phase& phase,
              const sc_core::sc_time& delay);

 private:
  struct Entry {
    sc_core::sc_time time;
    std::uint64_t sequence;
    int channel;
    tlm::tlm_generic_payload* payload;
    tlm::tlm_phase phase;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    }
  };

  void deliver();

  Callback m_callback;
  std::priority_queue<Entry, std::vector<Entry>, Later> m_entries;
  std::uint64_t m_sequence = 0;
  sc_core::sc_event m_due;
};

}  // namespace rpusim
