// libFuzzer target: load_idx on an IDX image file and an IDX label file made of the input.
// The first byte of the input chooses where it splits into the two files. Invalid input
// must end in InputError, never in a crash, a leak, a hang or another exception.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "models/common/error.hpp"
#include "models/workload/dataset.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The label file starts at byte 1 + data[0] * 4 of the input, or at its end.
  const std::size_t split = std::min(size, std::size_t{1} + std::size_t{data[0]} * 4);
  const std::filesystem::path images = rpusim::fuzz::scratch_path("images-idx3-ubyte");
  const std::filesystem::path labels = rpusim::fuzz::scratch_path("labels-idx1-ubyte");
  rpusim::fuzz::write_input(images, data + 1, split - 1);
  rpusim::fuzz::write_input(labels, data + split, size - split);
  try {
    const rpusim::Dataset dataset = rpusim::load_idx(images.string(), labels.string());
    (void)dataset.size();
  } catch (const rpusim::InputError&) {
  }
  return 0;
}
