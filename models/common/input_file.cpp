#include "models/common/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "models/common/error.hpp"
#include "models/common/text.hpp"

namespace rpusim {
namespace fs = std::filesystem;

std::string read_input_file(const std::string& path, std::uint64_t max_bytes,
                            const std::string& what) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) throw InputError(path + ": file not found");
  if (error) throw InputError(path + ": cannot access: " + error.message());
  if (fs::is_directory(status)) throw InputError(path + ": is a directory, expected a file");

  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
  // Reads in steps, so a character device or a pipe without a known size is bounded too.
  constexpr std::size_t kStep = 1 << 20;
  std::string content;
  while (in) {
    const std::size_t already = content.size();
    content.resize(already + kStep);
    in.read(content.data() + already, static_cast<std::streamsize>(kStep));
    content.resize(already + static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes) {
      throw InputError(path + ": file is larger than " + std::to_string(max_bytes >> 20) +
                       " MiB, the limit for " + what);
    }
  }
  if (in.bad()) throw InputError(path + ": read failed: " + std::strerror(errno));
  return content;
}

std::string read_text_file(const std::string& path, std::uint64_t max_bytes,
                           const std::string& what) {
  std::string content = read_input_file(path, max_bytes, what);
  const std::string problem = text_file_problem(content);
  if (!problem.empty()) {
    throw InputError(path + ":" + problem + ": " + what +
                     " hold UTF-8 text only (tab, CR and LF allowed)");
  }
  return content;
}

}  // namespace rpusim
