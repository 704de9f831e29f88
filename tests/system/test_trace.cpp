// `rpusim run --trace FILE.vcd` on a short MNIST run of configs/paper-mnist.yaml, run as a
// user would run it. The tests read the VCD file back and check its header (timescale,
// nested scopes, variables, $enddefinitions) and its increasing timestamps. The busy flags
// of a tile's forward reads, its output-side ADC bank, the interconnect, the NLF unit and
// the I/O port must each rise and fall. The first sample fetch gives exact times to check
// the replay.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace rpusim {
namespace {

// One variable of a VCD file and the value changes found for it after $enddefinitions.
struct VcdSignal {
  std::string id;
  int rises = 0;
  int falls = 0;
  std::vector<std::uint64_t> rise_times;
  std::vector<std::uint64_t> fall_times;
  char value = 'x';
};

struct VcdFile {
  std::string timescale;
  int scopes_opened = 0;
  int scopes_closed = 0;
  bool definitions_end = false;
  bool times_increase = true;
  std::map<std::string, VcdSignal> signals;  // by dotted name, without the top "SystemC" scope
};

// Reads the subset of VCD that SystemC's writer produces: one declaration or value change per
// line, scalar values only.
VcdFile read_vcd(const std::filesystem::path& path) {
  VcdFile vcd;
  std::ifstream in(path);
  std::vector<std::string> scope;
  std::map<std::string, std::string> name_of;  // id -> dotted name
  std::string line;
  bool in_timescale = false;
  bool dumping = false;
  std::uint64_t time = 0;
  bool have_time = false;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first.empty()) continue;
    if (in_timescale) {
      if (first == "$end") {
        in_timescale = false;
      } else {
        vcd.timescale = line.substr(line.find_first_not_of(' '));
      }
      continue;
    }
    if (first == "$timescale") {
      in_timescale = true;
    } else if (first == "$scope") {
      std::string kind;
      std::string name;
      words >> kind >> name;
      scope.push_back(name);
      ++vcd.scopes_opened;
    } else if (first == "$upscope") {
      if (!scope.empty()) scope.pop_back();
      ++vcd.scopes_closed;
    } else if (first == "$var") {
      std::string type;
      std::string width;
      std::string id;
      std::string name;
      words >> type >> width >> id >> name;
      std::string dotted;
      for (std::size_t i = 1; i < scope.size(); ++i) dotted += scope[i] + ".";
      name_of[id] = dotted + name;
      vcd.signals[dotted + name].id = id;
    } else if (first == "$enddefinitions") {
      vcd.definitions_end = true;
    } else if (first == "$dumpvars") {
      dumping = true;
    } else if (first == "$end") {
      dumping = false;
    } else if (first[0] == '#') {
      const std::uint64_t next = std::stoull(first.substr(1));
      if (have_time && next <= time) vcd.times_increase = false;
      time = next;
      have_time = true;
    } else if (vcd.definitions_end && (first[0] == '0' || first[0] == '1')) {
      auto found = name_of.find(first.substr(1));
      if (found == name_of.end()) continue;
      VcdSignal& signal = vcd.signals[found->second];
      const char value = first[0];
      if (!dumping && signal.value == '0' && value == '1') {
        ++signal.rises;
        signal.rise_times.push_back(time);
      }
      if (!dumping && signal.value == '1' && value == '0') {
        ++signal.falls;
        signal.fall_times.push_back(time);
      }
      signal.value = value;
    }
  }
  return vcd;
}

// Runs rpusim on 20 training and 10 test digits with `arguments` added, writing the trace to
// a file of its own, and returns the file read back.
VcdFile run_with_trace(const std::string& name, const std::string& arguments) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("rpusim-" + name + "-" + std::to_string(::getpid()) + ".vcd");
  // The paths are quoted, so that a checkout or temporary directory with a space works.
  const std::string command = "'" + std::string(RPUSIM_BINARY) + "' run -q -c '" +
                              RPUSIM_SOURCE_DIR +
                              "/configs/paper-mnist.yaml' --set run.epochs=1"
                              " --set run.train_samples=20 --set run.test_samples=10 --trace '" +
                              path.string() + "' " + arguments + " > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  VcdFile vcd = read_vcd(path);
  std::filesystem::remove(path);
  return vcd;
}

void expect_toggles(const VcdFile& vcd, const std::string& name) {
  auto found = vcd.signals.find(name);
  ASSERT_NE(found, vcd.signals.end()) << name << " is not in the trace";
  EXPECT_GE(found->second.rises, 1) << name << ": no 0 -> 1 change";
  EXPECT_GE(found->second.falls, 1) << name << ": no 1 -> 0 change";
}

TEST(TraceRun, BusRunWritesVcdWithToggles) {
  const VcdFile vcd = run_with_trace("bus", "");

  EXPECT_EQ(vcd.timescale, "1 ps");
  EXPECT_GT(vcd.scopes_opened, 0);
  EXPECT_EQ(vcd.scopes_opened, vcd.scopes_closed);
  EXPECT_TRUE(vcd.definitions_end);
  EXPECT_TRUE(vcd.times_increase);
  // Five flags per tile of three, the NLF unit, the I/O port and the bus.
  EXPECT_EQ(vcd.signals.size(), 3u * 5u + 3u);

  for (const char* name :
       {"chip.tile_0.forward", "chip.tile_0.adc_out", "chip.tile_1.backward", "chip.tile_2.update",
        "chip.tile_1.adc_in", "chip.bus.busy", "chip.nlf_0.busy", "chip.io_port.busy"}) {
    expect_toggles(vcd, name);
  }
  // The first transaction writes the sample index over the bus in 5 ns, and the I/O port
  // then fetches the digit: 100 ns latency and (784 x 8 + 8) bits at 25 GB/s, 31.4 ns.
  const VcdSignal& io = vcd.signals.at("chip.io_port.busy");
  ASSERT_FALSE(io.rise_times.empty());
  ASSERT_FALSE(io.fall_times.empty());
  EXPECT_EQ(io.rise_times.front(), 5000u);
  EXPECT_EQ(io.fall_times.front(), 136400u);
  // The first FORWARD on tile 0 takes DAC setup, t_meas and the conversion of 256 outputs
  // on ADCs of 16 lines: 1 + 80 + 16 x 5 ns.
  const VcdSignal& forward = vcd.signals.at("chip.tile_0.forward");
  ASSERT_FALSE(forward.rise_times.empty());
  ASSERT_FALSE(forward.fall_times.empty());
  EXPECT_EQ(forward.fall_times.front() - forward.rise_times.front(), 161000u);
}

TEST(TraceRun, MeshRunTracesLinks) {
  const VcdFile vcd = run_with_trace("mesh", "--set chip.interconnect=mesh --set run.protocol=at");

  EXPECT_TRUE(vcd.definitions_end);
  EXPECT_TRUE(vcd.times_increase);
  EXPECT_EQ(vcd.signals.count("chip.bus.busy"), 0u);
  // The sequencer sits at NLF unit 0's node 3: the image read from the I/O port at node 4
  // crosses the link from router 4 to router 3 and ejects at node 3.
  expect_toggles(vcd, "chip.mesh.link_4_3");
  expect_toggles(vcd, "chip.mesh.eject_3");
  expect_toggles(vcd, "chip.mesh.inject_3");
  expect_toggles(vcd, "chip.tile_0.forward");
  expect_toggles(vcd, "chip.nlf_0.busy");
}

}  // namespace
}  // namespace rpusim
