#!/usr/bin/env bash
# Runs the steps of scripts/ci/sweep-matrix.yml on one machine: each shard into its own folder (as
# on separate CI machines), the folders merged (as download-artifact does), then collect and fit.
# Usage: scripts/ci/run-locally.sh CONFIG SHARDS WORKDIR; prints "ci: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
config="$1"; shards="$2"; work="$3"
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ci ok: $1"; }
bad() { failed=$((failed + 1)); echo "ci FAILED: $1"; }
mkdir -p "$work"
for ((k = 1; k <= shards; k++)); do
  if "$root/scalelab" sweep "$config" --out "$work/shard-$k/sweep" --shard "$k/$shards" --no-calibrate --jobs 1 \
      > "$work/shard-$k.log" 2>&1; then ok "shard $k/$shards"; else bad "shard $k/$shards (see $work/shard-$k.log)"; fi
done
mkdir -p "$work/merged/sweep"
for ((k = 1; k <= shards; k++)); do cp -r "$work/shard-$k/sweep/." "$work/merged/sweep/"; done
expected=$("$root/scalelab" plan "$config" --no-calibrate --format csv | tail -n +2 | wc -l)
"$root/scalelab" status "$work/merged/sweep" > "$work/status.txt" && ok "status of the merged folder" || bad "status"
if "$root/scalelab" collect "$work/merged/sweep" > /dev/null; then
  rows=$(($(wc -l < "$work/merged/sweep/runs.csv") - 1))
  [[ "$rows" == "$expected" ]] && ok "collect found all $expected runs" || bad "collect found $rows of $expected runs"
else
  bad "collect"
fi
"$root/scalelab" fit "$work/merged/sweep/runs.csv" --law power --x params --out "$work/merged/sweep/fits/power.json" \
  > /dev/null && ok "a fit card from the merged runs" || bad "fit"
"$root/scalelab" report "$work/merged/sweep" > "$work/report.txt" 2>&1
[[ -s "$work/merged/sweep/report/index.html" ]] && ok "an HTML report from the merged runs" || bad "report: $(tail -1 "$work/report.txt")"
# The workflow's own "Collect and fit" step, as written in the yml: on runs this small no law fits, so the
# step must fail (exit 4) after writing the report; a step that hid a failed fit would exit 0.
step="$(sed -n '/name: Collect and fit/,/- uses:/p' "$root/scripts/ci/sweep-matrix.yml" | sed -n '/run: |/,$p' \
  | sed '1d;$d' | sed 's/^ *//' | sed "s#^\./scalelab#'$root/scalelab'#")"
rm -rf "$work/merged/sweep/report"
(cd "$work/merged" && bash -e -c "$step") > "$work/fit-step.log" 2>&1 && step_rc=0 || step_rc=$?
if [[ "$step_rc" == 4 && -s "$work/merged/sweep/report/index.html" ]]; then
  ok "the workflow's fit step fails (exit 4) when no law fits, after writing the report"
else
  bad "the workflow's fit step exited $step_rc on runs no law fits (expected 4, after the report; see $work/fit-step.log)"
fi
echo "ci: $passed passed, $failed failed"
[[ "$failed" == 0 ]]
