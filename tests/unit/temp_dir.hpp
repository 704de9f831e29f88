// A temporary directory for unit tests that read or write files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace rpusim::testing {

// A fresh directory under the system temporary directory, named after the running test and
// removed with its content.
class TempDir {
 public:
  TempDir() {
    const std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() /
            ("rpusim_" + test_name + "_" + std::to_string(::getpid()) + "_" +
             std::to_string(entropy()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  // Writes `content` byte for byte to `name` inside the directory (creating its parent
  // directories), so CRLF and a missing last newline reach readers unchanged. Returns the
  // file's path.
  std::string write(const std::string& name, const std::string& content) const {
    const std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << content;
    EXPECT_TRUE(out.good()) << "cannot write " << file;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace rpusim::testing
