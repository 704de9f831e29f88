// The transactor side of a valid/ready stream through a pipelined block: it offers input
// beats, takes every result beat the block presents, and checks the block against the
// handshake. RtlNlfUnit drives the Verilated datapath's pins with it. The logic is kept apart
// from the pins so that unit tests can drive it with blocks that break the protocol.
//
// Abstraction: one call per clock cycle, at the datapath's pins. The output side is always
// ready, so results get no back-pressure. Leaves out: back-pressure on the results, and X or
// Z values, which a two-state simulator such as Verilator does not have.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace rpusim {

// A block that breaks the stream's handshake or takes too many cycles.
class RtlStreamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A function of n beats through a block of latency L may take this many times n + L clock
// cycles before the transactor reports the block as hung. The shipped datapath takes n + L.
constexpr std::uint64_t kRtlMaxCyclesPerBeat = 64;

// Streams `beats` input beats through a block of `latency` cycles and returns the clock
// cycles from the first beat offered to the last result taken. `Pins` has these members:
//   void offer(int beat): drives in_valid high with the data of input beat `beat`.
//   void idle(): drives in_valid low.
//   void low_phase(): clock low, in which the inputs settle and the outputs are sampled.
//   bool in_ready(): whether the block accepts the offered beat at the coming rising edge.
//   bool out_valid(): whether the block presents a result beat.
//   void take(int beat): reads result beat `beat`.
//   void high_phase(): rising edge and clock high.
// Throws RtlStreamError when a result beat comes with no accepted input beat left to match,
// or when the block takes more than kRtlMaxCyclesPerBeat x (beats + latency) cycles.
template <typename Pins>
std::uint64_t stream_beats(Pins& pins, int beats, int latency) {
  const std::uint64_t cycle_limit =
      static_cast<std::uint64_t>(beats + latency) * kRtlMaxCyclesPerBeat;
  int beats_accepted = 0;
  int results_taken = 0;
  std::uint64_t cycles = 0;
  while (results_taken < beats) {
    if (cycles == cycle_limit) {
      throw RtlStreamError("timed out: " + std::to_string(results_taken) + " of " +
                           std::to_string(beats) + " result beats after " +
                           std::to_string(cycles) + " cycles (limit " +
                           std::to_string(kRtlMaxCyclesPerBeat) + " x (" +
                           std::to_string(beats) + " beats + latency " +
                           std::to_string(latency) + "))");
    }
    const bool offering = beats_accepted < beats;
    if (offering) {
      pins.offer(beats_accepted);
    } else {
      pins.idle();
    }
    pins.low_phase();
    // Handshakes complete at the coming rising edge, with the values before it.
    const bool accepted = offering && pins.in_ready();
    if (pins.out_valid()) {
      if (results_taken >= beats_accepted) {
        throw RtlStreamError("broke the handshake: result beat " +
                             std::to_string(results_taken + 1) + " of " +
                             std::to_string(beats) + " came when " +
                             std::to_string(beats_accepted) + " input beats had been accepted");
      }
      pins.take(results_taken++);
    }
    pins.high_phase();
    ++cycles;
    if (accepted) ++beats_accepted;
  }
  return cycles;
}

}  // namespace rpusim
