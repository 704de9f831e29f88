#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), builds rpusim and its tests into build/
# (Release), and runs the whole test suite with ctest. Extra arguments go to ctest, e.g.
# `scripts/test.sh -L unit` or `scripts/test.sh -R Tile`.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RPUSIM_BUILD_DIR:-${repo_root}/build}"
jobs="$(nproc 2>/dev/null || echo 2)"

"${repo_root}/scripts/setup.sh"

# Hides the SystemC banner, which test discovery during the build would print too.
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

cmake -S "${repo_root}" -B "${build_dir}" -DCMAKE_BUILD_TYPE=Release
cmake --build "${build_dir}" -j "${jobs}"

ctest --test-dir "${build_dir}" --output-on-failure -j "${jobs}" "$@"
