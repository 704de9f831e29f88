// Sigmoid and sigmoid-derivative datapath of the NLF unit: LANES elements per clock cycle
// through a 4-stage pipeline, with valid/ready streams on both sides.
//
// Number format: every data word (in_x_i, in_s_i, out_y_o lanes) is a signed two's-
// complement fixed-point number of 24 bits with 16 fraction bits, range [-128, 128 - 2^-16],
// resolution 2^-16. Lane i occupies bits [24 i +: 24] of each bus.
//
// Operations, chosen per beat by in_op_i:
//   0 sigmoid     y = 1 / (1 + exp(-x)), x = in_x_i. Linear interpolation between knots
//                 sigmoid(k / 16), k = 0..256, of |x|, mirrored with sigmoid(-x) = 1 -
//                 sigmoid(x). |x| >= 16 gives exactly 0 or 1.
//   1 derivative  y = e s (1 - s), e = in_x_i (the error), s = in_s_i (the saved sigmoid
//                 output) clamped to [0, 1]. The product s (1 - s) is rounded to 16
//                 fraction bits before the multiply by e.
// Rounding is to nearest, ties upwards. Worst-case error against exact arithmetic on the
// fixed-point inputs: 6.3e-5 for the sigmoid (interpolation 4.7e-5, knot and step rounding
// 2^-17 each), and 2^-16 (|e| + 1) for the derivative. docs/cosim.md derives both.
//
// Timing: a beat accepted at the rising edge that ends cycle c is on out_y_o with
// out_valid_o high in cycle c + LATENCY. A function of n elements in ceil(n / LANES) beats,
// with out_ready_i held high, thus takes LATENCY + ceil(n / LANES) cycles from the first
// beat offered to the last result taken. When out_valid_o is high and out_ready_i low, the
// whole pipeline holds (global stall), and in_ready_o is low.
//
// Reset: rst_i is synchronous and active high. It clears the valid bit of every stage, so
// beats in flight are dropped; the data registers keep their values. in_ready_o is low while
// rst_i is high.
//
// Leaves out: lane masking for a partial last beat (unused lanes compute on whatever the
// producer drives, and the consumer ignores them), clock gating, and any error or overflow
// flag. Inputs beyond the range saturate in the producer, not here.
module nlf_sigmoid #(
    parameter int LANES /*verilator public*/ = 64
) (
    input  logic                clk_i,
    input  logic                rst_i,
    // Input stream: one beat of LANES elements per handshake.
    input  logic                in_valid_i,
    output logic                in_ready_o,
    input  logic                in_op_i,
    input  logic [LANES*24-1:0] in_x_i,
    input  logic [LANES*24-1:0] in_s_i,
    // Output stream.
    output logic                out_valid_o,
    input  logic                out_ready_i,
    output logic [LANES*24-1:0] out_y_o
);
  // The transactor reads LATENCY through Verilator's public parameters.
  /* verilator lint_off UNUSEDPARAM */
  localparam int LATENCY /*verilator public*/ = 4;
  /* verilator lint_on UNUSEDPARAM */
  localparam int W = 24;                          // bits per data word
  localparam logic [16:0] ONE = 17'h10000;        // 1.0 in the data format
  localparam logic signed [W-1:0] ONE_WORD = 24'sh010000;

  // Knot k of the sigmoid table, sigmoid(k / 16) with 16 fraction bits, rounded to nearest.
  // Evaluated at elaboration, so the table is a constant (a ROM) in synthesis.
  // NOTE: this needs a tool that evaluates $exp in constant functions, as Verilator does; for
  // one that does not, write the 257 values out as literals.
  function automatic logic [16:0] knot(int k);
    real x;
    x = real'(k) / 16.0;
    return 17'($rtoi(65536.0 / (1.0 + $exp(-x)) + 0.5));
  endfunction

  logic [16:0] table_q[257];
  for (genvar k = 0; k < 257; k++) begin : g_table
    assign table_q[k] = knot(k);
  end

  // Global stall: every stage advances unless the output holds a beat nobody takes.
  logic advance;
  assign advance = !out_valid_o || out_ready_i;
  assign in_ready_o = !rst_i && advance;

  logic valid_1, valid_2, valid_3;
  logic op_1, op_2, op_3;
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      valid_1 <= 1'b0;
      valid_2 <= 1'b0;
      valid_3 <= 1'b0;
      out_valid_o <= 1'b0;
    end else if (advance) begin
      valid_1 <= in_valid_i;
      valid_2 <= valid_1;
      valid_3 <= valid_2;
      out_valid_o <= valid_3;
    end
  end

  always_ff @(posedge clk_i) begin
    if (advance) begin
      op_1 <= in_op_i;
      op_2 <= op_1;
      op_3 <= op_2;
    end
  end

  for (genvar lane = 0; lane < LANES; lane++) begin : g_lane
    // Stage 1: input registers.
    logic signed [W-1:0] x_1, s_1;
    always_ff @(posedge clk_i) begin
      if (advance) begin
        x_1 <= in_x_i[lane*W+:W];
        s_1 <= in_s_i[lane*W+:W];
      end
    end

    // Stage 2. Sigmoid: |x|, table index and fraction, knot lookup. Derivative: clamp s.
    logic [W-1:0] magnitude;
    assign magnitude = x_1[W-1] ? W'(-x_1) : W'(x_1);  // -(-128) = 128 fits unsigned

    logic negative_2, saturated_2;
    logic [16:0] knot_low_2, knot_high_2;
    logic [11:0] fraction_2;
    logic signed [W-1:0] error_2;
    logic [16:0] s_clamped_2;
    always_ff @(posedge clk_i) begin
      if (advance) begin
        negative_2 <= x_1[W-1];
        saturated_2 <= magnitude[W-1:20] != '0;  // |x| >= 16
        knot_low_2 <= table_q[{1'b0, magnitude[19:12]}];
        knot_high_2 <= table_q[9'(magnitude[19:12]) + 9'd1];
        fraction_2 <= magnitude[11:0];
        error_2 <= x_1;
        if (s_1 < 0) s_clamped_2 <= '0;
        else if (s_1 > ONE_WORD) s_clamped_2 <= ONE;
        else s_clamped_2 <= s_1[16:0];
      end
    end

    // Stage 3. Sigmoid: interpolate between the knots. Derivative: p = s (1 - s).
    logic [16:0] knot_delta, one_minus_s;
    assign knot_delta = knot_high_2 - knot_low_2;
    assign one_minus_s = ONE - s_clamped_2;
    logic [22:0] step;
    assign step = 23'(knot_delta) * 23'(fraction_2);
    logic [33:0] s_product;
    assign s_product = 34'(s_clamped_2) * 34'(one_minus_s);

    logic negative_3, saturated_3;
    logic [16:0] sigmoid_3;
    logic [15:0] slope_3;  // s (1 - s) <= 0.25, 16 fraction bits
    logic signed [W-1:0] error_3;
    always_ff @(posedge clk_i) begin
      if (advance) begin
        negative_3 <= negative_2;
        saturated_3 <= saturated_2;
        sigmoid_3 <= knot_low_2 + 17'((24'(step) + 24'd2048) >> 12);
        slope_3 <= 16'((s_product + 34'd32768) >> 16);
        error_3 <= error_2;
      end
    end

    // Stage 4: output register. Sigmoid: saturate and mirror. Derivative: y = e p.
    logic [16:0] positive_sigmoid, mirrored_sigmoid;
    assign positive_sigmoid = saturated_3 ? ONE : sigmoid_3;
    assign mirrored_sigmoid = ONE - positive_sigmoid;
    // |e p| <= 128 / 4 = 32, so bits 39:16 hold the rounded product and bit 40 only copies
    // the sign; the rounding drops bits 15:0.
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [40:0] scaled_error;
    /* verilator lint_on UNUSEDSIGNAL */
    assign scaled_error = 41'(error_3) * 41'(signed'({1'b0, slope_3})) + 41'sd32768;

    always_ff @(posedge clk_i) begin
      if (advance) begin
        if (op_3) out_y_o[lane*W+:W] <= scaled_error[16+:W];
        else if (negative_3) out_y_o[lane*W+:W] <= W'(mirrored_sigmoid);
        else out_y_o[lane*W+:W] <= W'(positive_sigmoid);
      end
    end
  end
endmodule
