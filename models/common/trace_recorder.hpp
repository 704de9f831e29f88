// Waveform tracing of block activity into a VCD file (rpusim run --trace FILE.vcd).
//
// The blocks are loosely timed with temporal decoupling. They know each busy interval when
// the transaction arrives, which is often ahead of the simulated time, so they cannot drive a
// signal directly. Instead they record the interval here. The recorder keeps the resulting
// changes in a time-ordered queue and replays them into sc_signal<bool>s at their simulated
// times from one SC_METHOD. SystemC's own VCD writer (sc_create_vcd_trace_file) then writes
// the signals. Debian ships no C++ VCD library, and SystemC's writer already turns the
// dotted names ("chip.tile_0.forward") into nested $scope sections, which GTKWave shows as
// a tree.
//
// Each signal is a busy flag: it is 1 while at least one recorded interval covers the
// present, so overlapping or back-to-back intervals show as one busy stretch. Blocks without
// a recorder record nothing and pay one pointer test per operation.
//
// Leaves out values other than busy and idle, and changes due after the simulation stops:
// a run ends when the sequencer stops it, so an interval still open then stays 1 in the file.
// NOTE: so does an interval that ends exactly at the stop time, because its fall is not
// written.
#pragma once

#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include <systemc>

namespace rpusim {

class TraceRecorder : public sc_core::sc_module {
 public:
  // Opens `vcd_path`, which must end in ".vcd" (SystemC appends the extension itself).
  // Throws std::invalid_argument for another name.
  TraceRecorder(const sc_core::sc_module_name& name, const std::string& vcd_path);
  ~TraceRecorder() override;

  // Adds the busy flag `trace_name` (a dotted hierarchical name) during elaboration and
  // returns its id for busy().
  int add_signal(const std::string& trace_name);

  // Records that signal `id` is busy from `start` to `end`. A start before the present
  // counts from the present; an empty interval records nothing.
  void busy(int id, const sc_core::sc_time& start, const sc_core::sc_time& end);
  // Opens an interval of signal `id` at the present, for a block that learns its end only
  // when it gets there (an RTL co-simulation). close_interval() ends it at the present.
  void open_interval(int id);
  void close_interval(int id);

  // Closes the file; later calls do nothing. The destructor closes it too.
  void close();

 private:
  struct Change {
    sc_core::sc_time time;
    std::uint64_t sequence;  // recording order, to apply equal times in order
    int signal;
    int step;  // +1 when an interval starts, -1 when it ends
  };
  struct Later {
    bool operator()(const Change& a, const Change& b) const {
      return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    }
  };

  SC_HAS_PROCESS(TraceRecorder);
  void replay();

  sc_core::sc_trace_file* m_file = nullptr;
  std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> m_signals;
  std::vector<int> m_open_intervals;  // per signal
  std::vector<char> m_touched;        // per signal, during one replay
  std::priority_queue<Change, std::vector<Change>, Later> m_changes;
  std::uint64_t m_sequence = 0;
  sc_core::sc_event m_due;
};

}  // namespace rpusim
