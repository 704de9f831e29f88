#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), builds rpusim in Release mode into build/,
# and runs the main job. In it, the RPU chip of Gokmen & Vlasov (2016) trains the
# 784-256-128-10 network for 8 epochs on the 8,000 MNIST training digits with analog
# numerics. It reports the test error on the 2,000 test digits beside the time, energy,
# power and area of the training.
# The report is written to out/paper-mnist.json and CSV tables to out/paper-mnist/.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RPUSIM_BUILD_DIR:-${repo_root}/build}"
jobs="$(nproc 2>/dev/null || echo 2)"

"${repo_root}/scripts/setup.sh"

# Hides the SystemC banner, which test discovery during the build would print too.
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

cmake -S "${repo_root}" -B "${build_dir}" -DCMAKE_BUILD_TYPE=Release
cmake --build "${build_dir}" --target rpusim -j "${jobs}"

mkdir -p "${repo_root}/out"
cd "${repo_root}"
"${build_dir}/tb/rpusim" run --config configs/paper-mnist.yaml \
  --report out/paper-mnist.json --csv out/paper-mnist "$@"
echo "quickstart: report written to out/paper-mnist.json and out/paper-mnist/*.csv"
