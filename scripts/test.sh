#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), builds rpusim and its tests into build/
# (Release), and runs the whole test suite with ctest. Extra arguments go to ctest, e.g.
# `scripts/test.sh -L unit` or `scripts/test.sh -R Tile`, and then only that runs.
#
# Without arguments it goes on to two checked builds:
#  - build-asan/: everything with AddressSanitizer and UndefinedBehaviorSanitizer
#    (-DRPUSIM_SANITIZE=ON), and the subset of tests below, which runs every module;
#  - build-fuzz/: the libFuzzer targets (-DRPUSIM_FUZZ=ON), each fuzzed for 20 s from its
#    seed corpus in tests/fuzz/. Skipped with a message when clang++ is missing.
# RPUSIM_BUILD_DIR, RPUSIM_SANITIZE_BUILD_DIR and RPUSIM_FUZZ_BUILD_DIR override the
# directories.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RPUSIM_BUILD_DIR:-${repo_root}/build}"
sanitize_dir="${RPUSIM_SANITIZE_BUILD_DIR:-${repo_root}/build-asan}"
fuzz_dir="${RPUSIM_FUZZ_BUILD_DIR:-${repo_root}/build-fuzz}"
jobs="$(nproc 2>/dev/null || echo 2)"

# The sanitizer subset starts with every unit and model test: numerics, devices,
# configuration, data sets, topology readers, mapping, and every SystemC module alone.
# The system and command-line tests below add timing-only chips, functional chips on the
# bus and the mesh, and rpusim runs through the protocol checkers, a sweep, the run limits
# and the bad-input suite (configuration, network files and data sets).
sanitize_labels='unit|model'
sanitize_tests='^(TimingTest[.]|ChipTest[.](ReportHasSchemaKeys|MeshSampleTimeAndReport|'
sanitize_tests+='BoundManagementRereadsSaturatedReads)|cli[.](bad_input[.]|protocol_checks|'
sanitize_tests+='timing_runs_mnist_cnn|sweep_reuses|run_limit[.]|determinism[.]repeat))'

"${repo_root}/scripts/setup.sh"

# Hides the SystemC banner, which test discovery during the build would print too.
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

cmake -S "${repo_root}" -B "${build_dir}" -DCMAKE_BUILD_TYPE=Release
cmake --build "${build_dir}" -j "${jobs}"

ctest --test-dir "${build_dir}" --output-on-failure -j "${jobs}" "$@"
if [[ $# -gt 0 ]]; then
  exit 0
fi

echo "test.sh: sanitizer build (AddressSanitizer, UndefinedBehaviorSanitizer) in ${sanitize_dir}"
cmake -S "${repo_root}" -B "${sanitize_dir}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRPUSIM_SANITIZE=ON -DRPUSIM_BUILD_BENCHMARKS=OFF
cmake --build "${sanitize_dir}" -j "${jobs}"
ctest --test-dir "${sanitize_dir}" --output-on-failure -j "${jobs}" -L "${sanitize_labels}"
ctest --test-dir "${sanitize_dir}" --output-on-failure -j "${jobs}" -R "${sanitize_tests}"

if ! command -v clang++ >/dev/null 2>&1; then
  echo "test.sh: clang++ not found: fuzz targets skipped (Debian packages clang, libclang-rt-dev)"
  exit 0
fi
echo "test.sh: fuzz targets in ${fuzz_dir}, 20 s each"
cmake -S "${repo_root}" -B "${fuzz_dir}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DRPUSIM_FUZZ=ON -DRPUSIM_FUZZ_SECONDS=20 \
  -DRPUSIM_BUILD_TESTS=OFF -DRPUSIM_BUILD_BENCHMARKS=OFF
cmake --build "${fuzz_dir}" --target fuzz_targets -j "${jobs}"
ctest --test-dir "${fuzz_dir}" --output-on-failure -j "${jobs}" -L fuzz
