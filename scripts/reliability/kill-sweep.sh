#!/usr/bin/env bash
# Crash safety: SIGKILLs `scalelab sweep` (its whole process group) at seeded random moments over a
# small sweep (cli/src/test/resources/sweeps/kill.yaml), restarts it each time, and checks that
#  - the final runs.csv and curves.csv equal those of an uninterrupted sweep, bit for bit (less the
#    wall-time and speed columns, which measure the machine);
#  - no completed run is redone (its result.json keeps its first bytes and modification time);
#  - no partial file is ever visible under its final name (after every kill, every result.json
#    parses and every CSV has whole lines).
# Usage: scripts/reliability/kill-sweep.sh [TRIALS] [SEED]   (default 20 trials, seed 1)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
trials="${1:-20}"
RANDOM="${2:-1}"
config="$root/cli/src/test/resources/sweeps/kill.yaml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scalelab="$root/scalelab"
# shellcheck source=kill-lib.sh
source "$root/scripts/reliability/kill-lib.sh"
"$scalelab" --version >/dev/null   # build first, so kills land in training, not in Maven

strip() { # runs.csv without the columns that measure the machine: wall_seconds, tokens_per_second
  python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
drop = {i for i, h in enumerate(rows[0]) if h in ("wall_seconds", "tokens_per_second")}
for r in rows:
    print(",".join(c for i, c in enumerate(r) if i not in drop))
PY
}

whole() { # every file under its final name is whole
  local dir="$1" f
  for f in "$dir"/runs/*/result.json; do
    [[ -e "$f" ]] || continue
    python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$f" 2>/dev/null || { echo "partial file: $f"; return 1; }
  done
  for f in "$dir"/runs/*/metrics.csv "$dir"/runs/*/probes.csv; do
    [[ -e "$f" ]] || continue
    [[ -z "$(tail -c1 "$f")" ]] || { echo "partial line at the end of $f"; return 1; }
  done
}

"$scalelab" sweep "$config" --out "$work/reference" --jobs 1 --no-calibrate --no-advice >/dev/null 2>&1
"$scalelab" collect "$work/reference" >/dev/null

out="$work/killed"
declare -A first
kills=0
for ((t = 1; t <= trials; t++)); do
  delay="$((RANDOM % 4000 + 1000))"
  jobs=$((t % 2 + 1))   # alternately one process, and a parent with two worker processes
  setsid "$scalelab" sweep "$config" --out "$out" --jobs "$jobs" --no-calibrate --no-advice --checkpoint-minutes 0.002 \
    >/dev/null 2>&1 &
  pid=$!
  if kill_group_after "$delay" "$pid"; then
    kills=$((kills + 1))
  fi
  whole "$out"
  for f in "$out"/runs/*/result.json; do
    [[ -e "$f" ]] || continue
    sig="$(stat -c %Y.%i "$f")-$(md5sum < "$f" | cut -c1-32)"
    if [[ -n "${first[$f]:-}" && "${first[$f]}" != "$sig" ]]; then
      echo "FAILED: a completed run was redone: $f"; exit 1
    fi
    first[$f]="$sig"
  done
done
# finish whatever the kills left, uninterrupted
survived="$(find "$out/runs" -name result.json 2>/dev/null | wc -l)"
"$scalelab" sweep "$config" --out "$out" --jobs 2 --no-calibrate --no-advice >/dev/null 2>&1
"$scalelab" collect "$out" >/dev/null
if ! diff <(strip "$work/reference/runs.csv") <(strip "$out/runs.csv") >/dev/null; then
  echo "FAILED: runs.csv differs from the uninterrupted sweep's"; diff <(strip "$work/reference/runs.csv") <(strip "$out/runs.csv") | head; exit 1
fi
if ! cmp -s "$work/reference/curves.csv" "$out/curves.csv"; then
  echo "FAILED: curves.csv differs from the uninterrupted sweep's"; exit 1
fi
total="$(find "$out/runs" -name result.json | wc -l)"
echo "kill-sweep: $trials trials, $kills kills mid-run, $survived of $total runs finished between kills; runs.csv and curves.csv identical to an uninterrupted sweep, no run redone, no partial file"
