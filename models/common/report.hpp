// Report output: the JSON report, CSV tables and the console summary, all made from the
// report document that the chip builds. Files are written to a temporary name and renamed,
// so an interrupted run leaves either the old file or the complete new one.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace rpusim {

// Writes `text` to `path` through a temporary file in the same directory and a rename.
// A symbolic link is followed, so the file it points to is replaced and the link stays. A
// name of one of this process's open descriptors (/dev/stdout, /dev/fd/3) is written
// through that descriptor, at its position, also when it is redirected to a regular file.
// Another path that is neither a regular file nor a directory (/dev/null, a named pipe) is
// written into directly. Throws std::runtime_error naming the path if the file cannot be
// written.
void write_file_atomically(const std::string& path, const std::string& text);

// Returns the descriptor that `path` names in this process if it is open (/dev/stdin,
// /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N, also reached through links), or -1.
int open_descriptor_named(const std::string& path);

// Returns true if `path` names an open descriptor of this process, or, with links followed,
// exists and is neither a regular file nor a directory: a device, a named pipe or a socket.
// Outputs write into these directly.
bool is_special_output(const std::string& path);

// Returns the absolute path of the file that writing `path` replaces: `path` with every
// symbolic link followed, also a link to a file that does not exist yet.
std::filesystem::path output_file_target(const std::string& path);

void write_json_report(const std::string& path, const nlohmann::json& report);

// Writes layers.csv (per layer: time and energy per sample by phase) and components.csv
// (per component: energy total and per sample, area) into `directory`, creating it if needed.
// The last column of both, `status`, repeats the report's status: complete or partial.
void write_csv_tables(const std::string& directory, const nlohmann::json& report);

// Returns the human-readable summary table printed at the end of a run.
std::string format_summary(const nlohmann::json& report);

// Returns the dotted path of the first number in `report` that is NaN or infinite, or "" if
// every number is finite. Such a number is written as null in JSON and would corrupt the tables.
std::string first_non_finite(const nlohmann::json& report);

}  // namespace rpusim
