// Shared by the libFuzzer targets: the readers under test take file paths, so each input is
// written to a file in a directory of this process first.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace rpusim::fuzz {

// Returns `name` in a temporary directory owned by this process, created on first use.
inline std::filesystem::path scratch_path(const std::string& name) {
  static const std::filesystem::path directory = [] {
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("rpusim-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  return directory / name;
}

// Writes `size` bytes at `data` to `path`, replacing the file.
inline void write_input(const std::filesystem::path& path, const std::uint8_t* data,
                        std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

}  // namespace rpusim::fuzz
