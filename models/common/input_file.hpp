// Reads input files (configurations, network files, data set JSON) whole, up to a size
// limit. The limit turns an endless source given as a file, such as /dev/zero or a pipe,
// into an error instead of exhausting memory.
#pragma once

#include <cstdint>
#include <string>

namespace rpusim {

// Returns the content of `path`. Throws InputError naming the path if the file does not
// exist, is a directory, cannot be read, or holds more than `max_bytes` bytes; the last
// message names `what` ("network files") and the limit in MiB.
std::string read_input_file(const std::string& path, std::uint64_t max_bytes,
                            const std::string& what);

// Reads a text file like read_input_file and also throws InputError, naming the line and
// column, if the content is not UTF-8 or contains a control character other than tab, CR and
// LF (see text_file_problem).
std::string read_text_file(const std::string& path, std::uint64_t max_bytes,
                           const std::string& what);

}  // namespace rpusim
