#include "models/nlf/nlf_functions.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace rpusim {

void sigmoid(const float* in, float* out, int count) {
  // For in < about -88, exp overflows to infinity and the result is exactly 0.
  for (int i = 0; i < count; ++i) {
    out[i] = 1.0f / (1.0f + std::exp(-in[i]));
  }
}

void sigmoid_derivative_from_output(const float* activation, float* out, int count) {
  for (int i = 0; i < count; ++i) {
    out[i] = activation[i] * (1.0f - activation[i]);
  }
}

void softmax(const float* in, float* out, int count) {
  if (count <= 0) {
    return;
  }
  const float max_in = *std::max_element(in, in + count);
  float sum = 0.0f;
  for (int i = 0; i < count; ++i) {
    out[i] = std::exp(in[i] - max_in);
    sum += out[i];
  }
  const float inverse_sum = 1.0f / sum;
  for (int i = 0; i < count; ++i) {
    out[i] *= inverse_sum;
  }
}

void cross_entropy_error(const float* probabilities, int count, int label, float* out) {
  if (label < 0 || label >= count) {
    throw std::invalid_argument("class label " + std::to_string(label) +
                                " is invalid: must be 0.." + std::to_string(count - 1));
  }
  for (int i = 0; i < count; ++i) {
    out[i] = -probabilities[i];
  }
  out[label] += 1.0f;
}

float abs_max(const float* in, int count) {
  float result = 0.0f;
  for (int i = 0; i < count; ++i) {
    result = std::max(result, std::fabs(in[i]));
  }
  return result;
}

void scale_vector(const float* in, float factor, float* out, int count) {
  for (int i = 0; i < count; ++i) {
    out[i] = in[i] * factor;
  }
}

void multiply_elementwise(const float* a, const float* b, float* out, int count) {
  for (int i = 0; i < count; ++i) {
    out[i] = a[i] * b[i];
  }
}

}  // namespace rpusim
