#!/usr/bin/env bash
# Concurrency: four processes with overlapping shard specs (1/2, 2/2, all, 1/3) run one sweep into one
# folder at once; every run must be trained exactly once (the processes' "completed" counts add up
# to the number of runs, and no run reports being done twice), with no claim left behind and
# runs.csv equal to that of a sweep run alone.
# Usage: scripts/reliability/shards.sh
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
config="$root/cli/src/test/resources/sweeps/kill.yaml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scalelab="$root/scalelab"
"$scalelab" --version >/dev/null
runs="$("$scalelab" plan "$config" --no-calibrate --format csv | tail -n +2 | wc -l)"
pids=()
i=0
for shard in 1/2 2/2 "" 1/3; do
  i=$((i + 1))
  "$scalelab" sweep "$config" --out "$work/shared" --jobs 1 --no-calibrate --no-advice ${shard:+--shard "$shard"} \
    >"$work/p$i.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
completed=0
for i in 1 2 3 4; do
  n="$(grep -oE 'done: [0-9]+ completed' "$work/p$i.log" | grep -oE '[0-9]+')"
  completed=$((completed + n))
done
[[ "$completed" == "$runs" ]] || { echo "FAILED: $completed runs trained by the four processes, expected $runs"; cat "$work"/p*.log; exit 1; }
[[ -z "$(find "$work/shared/runs" -name claim)" ]] || { echo "FAILED: a claim was left behind"; exit 1; }
"$scalelab" collect "$work/shared" >/dev/null
"$scalelab" sweep "$config" --out "$work/alone" --jobs 1 --no-calibrate --no-advice >/dev/null 2>&1
"$scalelab" collect "$work/alone" >/dev/null
strip() { cut -d, -f1-23 "$1"; }   # less wall time, speed and status
diff <(strip "$work/alone/runs.csv") <(strip "$work/shared/runs.csv") >/dev/null \
  || { echo "FAILED: runs.csv of the shared folder differs from a sweep run alone"; exit 1; }
echo "shards: 4 processes (1/2, 2/2, all, 1/3) trained the $runs runs exactly once; results equal a sweep run alone"
