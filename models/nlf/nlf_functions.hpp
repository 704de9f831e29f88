// Numerics of the digital nonlinear-function (NLF) unit: activations, their derivatives,
// softmax, the cross-entropy error and the vector scaling that noise and bound management
// need. Plain float arithmetic, no SystemC.
#pragma once

namespace rpusim {

void sigmoid(const float* in, float* out, int count);

// Returns f'(y) = f (1 - f) from the sigmoid's output f, as the backward pass needs.
void sigmoid_derivative_from_output(const float* activation, float* out, int count);

// Numerically stable softmax (subtracts the maximum first).
void softmax(const float* in, float* out, int count);

// Writes the error d = onehot(label) - probabilities: the negative gradient of the
// cross-entropy loss with respect to the softmax input, so an update W += eta d x^T descends.
// Throws std::invalid_argument for a label outside 0..count-1.
void cross_entropy_error(const float* probabilities, int count, int label, float* out);

// Returns max |in[i]|, or 0 for count = 0.
float abs_max(const float* in, int count);

void scale_vector(const float* in, float factor, float* out, int count);

void multiply_elementwise(const float* a, const float* b, float* out, int count);

}  // namespace rpusim
