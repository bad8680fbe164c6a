#!/usr/bin/env bash
# Crash safety of fit cards: SIGKILLs `scalelab fit --bootstrap` at seeded random moments and checks
# after each kill that the card is either absent or whole (valid JSON with every bootstrap resample),
# then that an uninterrupted fit writes the same card as a fit that was never killed.
# Usage: scripts/reliability/kill-fit.sh [TRIALS] [SEED]   (default 10 trials, seed 1)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
trials="${1:-10}"
RANDOM="${2:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scalelab="$root/scalelab"
# shellcheck source=kill-lib.sh
source "$root/scripts/reliability/kill-lib.sh"
"$scalelab" --version >/dev/null
python3 - "$work/runs.csv" <<'PY'
import math, sys
# a Chinchilla surface with a little deterministic noise: 5 budgets x 6 sizes
with open(sys.argv[1], "w") as f:
    f.write("params,tokens,loss\n")
    k = 0
    for c in (1e17, 3e17, 1e18, 3e18, 1e19):
        for j in range(6):
            n = math.sqrt(c / 6 / 20) * 4 ** (j / 5 - 0.5)
            d = c / (6 * n)
            k += 1
            loss = (1.7 + 400 / n ** 0.34 + 410 / d ** 0.28) * (1 + 0.003 * math.sin(7 * k))
            f.write(f"{n:.6g},{d:.6g},{loss:.6f}\n")
PY
card="$work/card.json"
fit() { "$scalelab" fit "$work/runs.csv" --law chinchilla --bootstrap 300 --seed 7 --out "$card" "$@"; }
whole_or_absent() {
  [[ -e "$card" ]] || return 0
  python3 -c "
import json, sys
c = json.load(open(sys.argv[1]))
assert c['bootstrap']['resamples'] == 300 and len(c['bootstrap']['samples']) + c['bootstrap']['failed'] == 300
" "$card" 2>/dev/null || { echo "FAILED: partial or broken card after a kill"; exit 1; }
}
kills=0
for ((t = 1; t <= trials; t++)); do
  rm -f "$card"
  delay="$((RANDOM % 6000 + 500))"
  setsid bash -c "$(declare -f fit); scalelab='$scalelab' work='$work' card='$card' fit" >/dev/null 2>&1 &
  pid=$!
  if kill_group_after "$delay" "$pid"; then
    kills=$((kills + 1))
  fi
  whole_or_absent
done
fit >/dev/null 2>&1
cp "$card" "$work/reference.json"
rm -f "$card"
fit >/dev/null 2>&1
python3 - "$card" "$work/reference.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for c in (a, b):
    c.pop("createdAt", None); c.pop("command", None); c.pop("wallSeconds", None)
assert a == b, "two uninterrupted fits differ"
PY
echo "kill-fit: $trials trials, $kills kills mid-fit; the card was absent or whole after every kill"
