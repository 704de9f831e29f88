#!/usr/bin/env bash
# Headline study: runs configs/headline.yaml (the paper's chip, a 10^9-weight network,
# timing only) and one-at-a-time variants of its assumptions, and prints a table of time
# per sample, GOps/s/W and the acceleration factor against the paper's 30,000 x and
# 84,000 GOps/s/W. docs/validation/headline.md records and explains the result.
#
# Usage: scripts/headline-study.sh [SAMPLES]   (default 20000)
# RPUSIM selects the binary (default build/tb/rpusim).
set -euo pipefail
cd "$(dirname "$0")/.."
rpusim=${RPUSIM:-build/tb/rpusim}
samples=${1:-20000}
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
if [[ ! -x $rpusim ]]; then
  echo "headline-study: $rpusim not found; build first (scripts/test.sh or cmake --build build)" >&2
  exit 2
fi

# Prints one table row: the variant's label, then its figures.
point() {
  local label=$1
  shift
  local output
  output=$("$rpusim" run -c configs/headline.yaml -q --set timing.samples="$samples" "$@" 2>&1) || {
    echo "headline-study: run failed for '$label': $*" >&2
    echo "$output" >&2
    exit 1
  }
  local per_sample efficiency factor bottleneck
  per_sample=$(sed -n 's/^  time per sample (steady state)  *//p' <<<"$output")
  efficiency=$(sed -n 's/^  efficiency  *\([0-9.e+-]*\) GOps\/s\/W$/\1/p' <<<"$output")
  factor=$(sed -n 's/^  acceleration  *\([0-9.e+-]*\) x vs .*$/\1/p' <<<"$output")
  bottleneck=$(sed -n 's/^  bottleneck  *//p' <<<"$output")
  printf '%-46s %14s %14s %14s  %s\n' "$label" "$per_sample" "$efficiency" "$factor" "$bottleneck"
}

printf '%-46s %14s %14s %14s  %s\n' variant "time/sample" "GOps/s/W" "acceleration" bottleneck
point "headline (as configured)"
point "baseline: Xeon at mini-batch 256" --set baseline.minibatch=256
point "baseline: V100 at mini-batch 1" --set baseline.name=V100 --set baseline.peak_gops_per_s=15700 \
  --set baseline.memory_bandwidth_gb_per_s=900 --set baseline.power_w=300
point "baseline: V100 at mini-batch 256" --set baseline.name=V100 --set baseline.peak_gops_per_s=15700 \
  --set baseline.memory_bandwidth_gb_per_s=900 --set baseline.power_w=300 --set baseline.minibatch=256
point "baseline: H100 at mini-batch 1" --set baseline.name=H100 --set baseline.peak_gops_per_s=66900 \
  --set baseline.memory_bandwidth_gb_per_s=3350 --set baseline.power_w=700
point "baseline: H100 at mini-batch 256" --set baseline.name=H100 --set baseline.peak_gops_per_s=66900 \
  --set baseline.memory_bandwidth_gb_per_s=3350 --set baseline.power_w=700 --set baseline.minibatch=256
point "interconnect: shared bus" --set chip.interconnect=bus
point "mesh placement: row major" --set mesh.placement=row_major
point "element bits 8" --set timing.element_bits=8
point "element bits 32" --set timing.element_bits=32
point "mesh link width 512 bits" --set mesh.link_width_bits=512
point "NLF lanes 256" --set nlf.lanes=256
point "schedule: sequential" --set timing.schedule=sequential
point "ADC 8 bits" --set adc.bits=8
point "ADC lines per ADC 4" --set adc.lines_per_adc=4
point "t_meas 40 ns" --set tile.t_meas_ns=40
point "BL 31" --set tile.bl=31
point "activity: all inputs full scale" --set activity.forward.mean_abs=1 \
  --set activity.forward.nonzero=1 --set activity.backward.mean_abs=1 --set activity.backward.nonzero=1
