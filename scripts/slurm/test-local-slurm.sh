#!/usr/bin/env bash
# End-to-end test on a real one-node Slurm (scripts/slurm/local-slurm.sh): a 4-shard job array of a
# tiny sweep plus its follow-up job; every run must be trained exactly once and collected. Then a
# second submission is cancelled midway, only the missing shards are resubmitted, and the sweep
# must complete. Prints "slurm: N passed, N failed"; exit status 0 only if all passed.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
work="$(mktemp -d)"
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "slurm ok: $1"; }
bad() { failed=$((failed + 1)); echo "slurm FAILED: $1"; }
cleanup() { "$root/scripts/slurm/local-slurm.sh" stop >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT

"$root/scripts/slurm/local-slurm.sh" start || { echo "slurm: 0 passed, 1 failed"; exit 1; }
config="$root/cli/src/test/resources/sweeps/tiny.yaml"
runs=$("$root/scalelab" plan "$config" --no-calibrate --format csv | tail -n +2 | cut -d, -f1)
nruns=$(echo "$runs" | wc -l)

wait_for() { # job id, seconds
  local deadline=$((SECONDS + $2))
  while squeue -h -j "$1" 2>/dev/null | grep -q .; do
    (( SECONDS > deadline )) && return 1
    sleep 1
  done
}

# 1. a full array and its follow-up
out1="$work/s1"
"$root/scalelab" sweep "$config" --out "$out1" --emit-slurm "$work/s1.sbatch" --shards 4 --no-calibrate --mem 1G >/dev/null
grep -q '^SHARDS=4$' "$work/s1.sbatch" && ok "the shard total is written into the script" || bad "SHARDS=4 missing"
jid=$(sbatch --parsable "$work/s1.sbatch")
fid=$(sbatch --parsable --dependency=afterany:"$jid" "$work/s1.sbatch.followup")
if wait_for "$jid" 300 && wait_for "$fid" 300; then ok "array $jid and follow-up $fid finished"; else bad "jobs did not finish"; fi
rows=$(($(wc -l < "$out1/runs.csv" 2>/dev/null || echo 1) - 1))
[[ "$rows" == "$nruns" ]] && ok "collect saw all $nruns runs" || bad "runs.csv has $rows rows, expected $nruns"
once=1
for r in $runs; do
  [[ "$(grep -c '^0,' "$out1/runs/$r/metrics.csv" 2>/dev/null)" == 1 ]] || once=0
done
[[ "$once" == 1 ]] && ok "every run trained exactly once" || bad "a run is missing or trained twice"
# the tiny sweep is too small to fit (exit 4 is expected); the follow-up must have collected and tried
grep -qs "runs.csv: $nruns runs" "$out1"/slurm/followup-*.log && grep -qs "scalelab: error: .*" "$out1"/slurm/followup-*.log \
  && ok "the follow-up job collected and ran the fits" || bad "the follow-up job's log is missing or incomplete"
[[ -s "$out1/report/index.html" ]] && ok "the follow-up job wrote the HTML report" || bad "no report from the follow-up job"

# 2. cancel midway, resubmit only the missing shards
out2="$work/s2"
"$root/scalelab" sweep "$config" --out "$out2" --emit-slurm "$work/s2.sbatch" --shards 4 --no-calibrate --mem 1G >/dev/null
jid=$(sbatch --parsable "$work/s2.sbatch")
for _ in $(seq 120); do
  ls "$out2"/runs/*/result.json >/dev/null 2>&1 && break
  sleep 1
done
scancel "$jid"
wait_for "$jid" 60
missing=()
i=0
for r in $runs; do
  [[ -f "$out2/runs/$r/result.json" ]] || missing+=($((i % 4)))
  i=$((i + 1))
done
tasks=$(printf '%s\n' "${missing[@]}" | sort -un | paste -sd, -)
if [[ -n "$tasks" ]]; then
  ok "cancelled with shards $tasks unfinished"
  jid=$(sbatch --parsable --array="$tasks" "$work/s2.sbatch")
  wait_for "$jid" 300
else
  ok "everything finished before the cancel landed"
fi
done=0
for r in $runs; do [[ -f "$out2/runs/$r/result.json" ]] && done=$((done + 1)); done
[[ "$done" == "$nruns" ]] && ok "the resubmitted shards completed the sweep" || bad "$done of $nruns runs done"
"$root/scalelab" collect "$out2" >/dev/null && [[ $(($(wc -l < "$out2/runs.csv") - 1)) == "$nruns" ]] \
  && ok "collect after the resubmit sees every run once" || bad "collect after resubmit"

echo "slurm: $passed passed, $failed failed"
[[ "$failed" == 0 ]]
