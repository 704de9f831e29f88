#!/usr/bin/env bash
# Timing-only speed benchmark: simulated training samples per wall second, peak resident
# memory, wall time against sample count and against tile count, for the headline
# configuration (the 10^9-weight network). Prints a table; asserts nothing, because speed
# depends on the machine. docs/performance.md records the figures.
#
# Usage: scripts/bench-timing.sh [SAMPLES]   (default 20000; CI runs a short version)
# RPUSIM selects the binary (default build/tb/rpusim).
set -euo pipefail
cd "$(dirname "$0")/.."
rpusim=${RPUSIM:-build/tb/rpusim}
samples=${1:-20000}
config=configs/headline.yaml
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

if [[ ! -x $rpusim ]]; then
  echo "bench-timing: $rpusim not found; build first (scripts/test.sh or cmake --build build)" >&2
  exit 2
fi

# Runs one point on one core and prints "wall_s samples_per_s peak_mib tiles".
measure() {
  local output
  output=$(taskset -c 0 "$rpusim" run -c "$config" -q "$@" 2>&1) || {
    echo "bench-timing: run failed: $rpusim run -c $config $*" >&2
    echo "$output" >&2
    exit 1
  }
  local rate wall memory tiles
  rate=$(sed -n 's/^  wall time  *\([0-9.e+-]*\) simulated samples per second (\([0-9.e+-]*\) s in all)$/\1/p' <<<"$output")
  wall=$(sed -n 's/^  wall time  *\([0-9.e+-]*\) simulated samples per second (\([0-9.e+-]*\) s in all)$/\2/p' <<<"$output")
  memory=$(sed -n 's/^  peak memory  *\([0-9.]*\) MiB resident$/\1/p' <<<"$output")
  tiles=$(sed -n 's/^rpusim complete: .*, \([0-9]*\) tiles$/\1/p' <<<"$output")
  if [[ -z $rate || -z $wall || -z $memory || -z $tiles ]]; then
    echo "bench-timing: failed to parse wall time, memory or tiles from the console of: $rpusim run -c $config $*" >&2
    exit 1
  fi
  echo "$wall $rate $memory $tiles"
}

half=$((samples / 2))
read -r wall_half rate_half mem_half tiles_base < <(measure --set timing.samples=$half)
read -r wall_full rate_full mem_full _ < <(measure --set timing.samples="$samples")
# Twice the tiles two ways: twice the layers (fc-2e9.yaml, a deeper pipeline), and the
# same network on tiles of half the input lines (two column blocks per layer, a larger mesh).
config=configs/bench-fc-2e9.yaml
read -r wall_deep rate_deep mem_deep tiles_deep < <(measure --set timing.samples="$samples")
config=configs/headline.yaml
read -r wall_double rate_double mem_double tiles_double < <(
  measure --set timing.samples="$samples" --set tile.input_lines=2048 --set chip.tiles=120)

printf '%-44s %10s %14s %10s %8s\n' point "wall s" "samples/s" "peak MiB" tiles
printf '%-44s %10s %14s %10s %8s\n' "headline, $half samples" "$wall_half" "$rate_half" "$mem_half" "$tiles_base"
printf '%-44s %10s %14s %10s %8s\n' "headline, $samples samples" "$wall_full" "$rate_full" "$mem_full" "$tiles_base"
printf '%-44s %10s %14s %10s %8s\n' "fc-2e9 (120 layers), $samples samples" "$wall_deep" "$rate_deep" "$mem_deep" "$tiles_deep"
printf '%-44s %10s %14s %10s %8s\n' "2048-line tiles, $samples samples" "$wall_double" "$rate_double" "$mem_double" "$tiles_double"
awk -v a="$wall_half" -v b="$wall_full" -v c="$wall_double" -v d="$wall_deep" 'BEGIN {
  printf "wall time ratio, twice the samples over half the samples: %.2f (linear: 2.00)\n", b / a
  printf "wall time ratio, twice the tiles as twice the layers: %.2f (target <= 2.2)\n", d / b
  printf "wall time ratio, twice the tiles as split layers: %.2f (target <= 2.2)\n", c / b
}'
