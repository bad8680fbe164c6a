#!/usr/bin/env bash
# Every command computes the same bits: the chinchilla card that `scalelab report` writes for a sweep
# equals, field for field, the card that `scalelab fit` writes for the same folder (both through the
# ./scalelab launcher, which starts every command with the same JVM set-up). Only the recorded command
# line differs. report counts every parameter by default (Study.PARAMS), so fit is asked to as well.
# Usage: scripts/smoke/report-vs-fit.sh [WORK_DIR]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
work="${1:-$(mktemp -d)}"
scalelab="$root/scalelab"
"$scalelab" sweep "$root/cli/src/test/resources/sweeps/kill.yaml" --out "$work/sweep" --jobs 2 --no-calibrate 2>/dev/null
"$scalelab" report "$work/sweep" >/dev/null
"$scalelab" fit "$work/sweep" --law chinchilla --bootstrap 200 --param-count total --out "$work/fit.json" >/dev/null
floor="$(sed -n 's/.*--fix E=\([0-9.eE+-]*\).*/\1/p' "$work/sweep/fits/chinchilla-fixed-e.json" | head -1)"
"$scalelab" fit "$work/sweep" --law chinchilla --bootstrap 200 --param-count total --fix "E=$floor" \
  --out "$work/fit-fixed.json" >/dev/null
same() { # report's card, fit's card
  diff <(grep -v '"command"' "$1") <(grep -v '"command"' "$2") >/dev/null
}
status=0
same "$work/sweep/fits/chinchilla.json" "$work/fit.json" || { echo "report-vs-fit: E free: the cards differ"; status=1; }
same "$work/sweep/fits/chinchilla-fixed-e.json" "$work/fit-fixed.json" \
  || { echo "report-vs-fit: E fixed at $floor: the cards differ"; status=1; }
[[ "$status" == 0 ]] && echo "report-vs-fit: report's and fit's chinchilla cards are identical (E free and E fixed)"
exit "$status"
