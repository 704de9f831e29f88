// Helpers shared by the topology tests: a temporary directory that writes files byte for
// byte (so CRLF and a missing last newline reach the readers unchanged).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace rpusim::testing {

// A fresh directory under the system temporary directory, removed with its content.
class TopologyTempDir {
 public:
  TopologyTempDir() {
    const std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() /
            ("rpusim_topology_" + test_name + "_" + std::to_string(::getpid()) + "_" +
             std::to_string(entropy()));
    std::filesystem::create_directories(path_);
  }
  ~TopologyTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TopologyTempDir(const TopologyTempDir&) = delete;
  TopologyTempDir& operator=(const TopologyTempDir&) = delete;

  // Writes `content` to `name` inside the directory and returns the file's path.
  std::string write(const std::string& name, const std::string& content) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out << content;
    EXPECT_TRUE(out.good()) << "cannot write " << file;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace rpusim::testing
