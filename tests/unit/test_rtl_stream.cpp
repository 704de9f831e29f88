// The valid/ready transactor of the RTL co-simulation (models/nlf/rtl_stream.hpp), driven by
// simulated blocks: a well-behaved pipeline, one with back-pressure, and faulty blocks. A
// block that hangs or breaks the handshake must stop the stream with an error.
#include "models/nlf/rtl_stream.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rpusim {
namespace {

using ::testing::HasSubstr;

// A pipeline of `latency` cycles: a beat accepted at the edge of cycle c is presented as a
// result in the low phase of cycle c + latency. `ready` decides in_ready per cycle, and
// `fault` may override out_valid.
struct SimulatedBlock {
  int latency = 4;
  std::function<bool(std::uint64_t)> ready = [](std::uint64_t) { return true; };
  std::function<bool(bool, std::uint64_t)> fault = [](bool valid, std::uint64_t) { return valid; };

  std::uint64_t cycle = 0;
  bool valid_in = false;
  int offered_beat = -1;
  std::vector<std::uint64_t> accepted_at;  // cycle of each accepted beat
  std::vector<int> results;                 // input beat of each result taken

  void offer(int beat) {
    valid_in = true;
    offered_beat = beat;
  }
  void idle() { valid_in = false; }
  void low_phase() {}
  bool in_ready() const { return ready(cycle); }
  bool out_valid() const {
    bool valid = false;
    for (std::uint64_t at : accepted_at) valid = valid || at + latency == cycle;
    return fault(valid, cycle);
  }
  void take(int beat) { results.push_back(beat); }
  void high_phase() {
    if (valid_in && ready(cycle)) accepted_at.push_back(cycle);
    ++cycle;
  }
};

TEST(RtlStream, PipelineTakesLatencyPlusBeats) {
  SimulatedBlock block;
  EXPECT_EQ(stream_beats(block, 3, block.latency), 3u + 4u);
  EXPECT_EQ(block.results, (std::vector<int>{0, 1, 2}));
}

TEST(RtlStream, BackPressureDelaysButCompletes) {
  SimulatedBlock block;
  block.ready = [](std::uint64_t cycle) { return cycle % 2 == 1; };  // every other cycle
  // Beats are accepted at cycles 1, 3, 5; the last result comes at cycle 5 + 4.
  EXPECT_EQ(stream_beats(block, 3, block.latency), 10u);
  EXPECT_EQ(block.results.size(), 3u);
}

TEST(RtlStream, SilentBlockTimesOut) {
  SimulatedBlock block;
  block.fault = [](bool, std::uint64_t) { return false; };
  try {
    stream_beats(block, 2, block.latency);
    FAIL() << "expected RtlStreamError";
  } catch (const RtlStreamError& error) {
    EXPECT_THAT(error.what(), HasSubstr("timed out: 0 of 2 result beats after 384 cycles "
                                        "(limit 64 x (2 beats + latency 4))"));
  }
  EXPECT_EQ(block.cycle, (2u + 4u) * kRtlMaxCyclesPerBeat);
}

TEST(RtlStream, ResultWithoutInputBreaksHandshake) {
  SimulatedBlock block;
  block.fault = [](bool, std::uint64_t) { return true; };  // out_valid stuck at 1
  try {
    stream_beats(block, 2, block.latency);
    FAIL() << "expected RtlStreamError";
  } catch (const RtlStreamError& error) {
    EXPECT_THAT(error.what(),
                HasSubstr("broke the handshake: result beat 1 of 2 came when 0 input beats"));
  }
}

TEST(RtlStream, ResultsBeyondAcceptedBeatsBreakHandshake) {
  // in_ready stuck at 0, but the block computes and presents results anyway.
  SimulatedBlock block;
  block.ready = [](std::uint64_t) { return false; };
  block.fault = [](bool, std::uint64_t cycle) { return cycle >= 4; };
  EXPECT_THROW(stream_beats(block, 2, block.latency), RtlStreamError);
  EXPECT_TRUE(block.results.empty());
}

}  // namespace
}  // namespace rpusim
