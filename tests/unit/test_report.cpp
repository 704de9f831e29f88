// CSV tables written from a report document: the columns of layers.csv and components.csv
// and the status column that marks the figures of a run stopped early.
#include "models/common/report.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/unit/temp_dir.hpp"

namespace rpusim {
namespace {

using testing::TempDir;

namespace fs = std::filesystem;

// A report with one layer and two components, as a run with `status` writes it.
nlohmann::json make_report(const std::string& status) {
  nlohmann::json report;
  report["status"] = status;
  report["workload"]["samples"] = 4;
  report["timing"]["layers"] = nlohmann::json::array({{{"name", "fc0"},
                                                       {"tile", "tile_0"},
                                                       {"inputs", 785},
                                                       {"outputs", 256},
                                                       {"forward_s", 1e-7},
                                                       {"backward_s", 2e-7},
                                                       {"update_s", 3e-7},
                                                       {"forward_j", 4e-9},
                                                       {"backward_j", 5e-9},
                                                       {"update_j", 6e-9}}});
  report["energy"]["by_component"] = {{"adc", 8e-9}, {"leakage", 2e-9}};
  report["area"]["by_component"] = {{"adc", 0.5}};
  return report;
}

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file);
  EXPECT_TRUE(in.good()) << "cannot read " << file;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(CsvTables, CompleteRunMarksEveryRow) {
  TempDir directory;
  write_csv_tables(directory.path().string(), make_report("complete"));

  const std::vector<std::string> layers = read_lines(directory.path() / "layers.csv");
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0],
            "layer,tile,inputs,outputs,forward_s,backward_s,update_s,forward_j,backward_j,"
            "update_j,status");
  EXPECT_EQ(layers[1], "fc0,tile_0,785,256,1e-07,2e-07,3e-07,4e-09,5e-09,6e-09,complete");

  const std::vector<std::string> components = read_lines(directory.path() / "components.csv");
  ASSERT_EQ(components.size(), 3u);
  EXPECT_EQ(components[0], "component,energy_j,energy_per_sample_j,area_mm2,status");
  EXPECT_EQ(components[1], "adc,8e-09,2e-09,0.5,complete");
  // Leakage has no area of its own: an empty cell, not 0.
  EXPECT_EQ(components[2], "leakage,2e-09,5e-10,,complete");
}

TEST(CsvTables, PartialRunMarksEveryRow) {
  TempDir directory;
  write_csv_tables(directory.path().string(), make_report("partial"));

  const std::vector<std::string> layers = read_lines(directory.path() / "layers.csv");
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[1], "fc0,tile_0,785,256,1e-07,2e-07,3e-07,4e-09,5e-09,6e-09,partial");

  const std::vector<std::string> components = read_lines(directory.path() / "components.csv");
  ASSERT_EQ(components.size(), 3u);
  EXPECT_EQ(components[1], "adc,8e-09,2e-09,0.5,partial");
  EXPECT_EQ(components[2], "leakage,2e-09,5e-10,,partial");
}

}  // namespace
}  // namespace rpusim
