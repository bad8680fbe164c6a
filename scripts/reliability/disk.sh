#!/usr/bin/env bash
# A full disk and a read-only output folder: every command that writes must exit 3 with one line
# naming the file it could not write, and leave earlier results byte for byte as they were, with no
# temporary file or claim left behind. Runs on a small tmpfs in a private mount namespace (needs
# root, or CAP_SYS_ADMIN; without it the script says "skipped" and exits 77):
#   1. a sweep resumed on a disk that fills up mid-run stops at once (exit 3), keeps its finished runs,
#      and completes once there is room again;
#   2. on a full disk, then on a read-only remount: collect, fit (over an old card and to a new one),
#      plot, report, emergence --charts, sweep (resumed and new), and train each exit 3.
# Usage: scripts/reliability/disk.sh
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
scalelab="$root/scalelab"
config="$root/cli/src/test/resources/sweeps/kill.yaml"

if [[ "${SCALELAB_DISK_INNER:-0}" != 1 ]]; then
  "$scalelab" --version >/dev/null # build the distribution outside the small disk
  if ! unshare -m true 2>/dev/null; then
    echo "disk: skipped (no private mount namespace here: unshare -m needs root or CAP_SYS_ADMIN)"
    exit 77
  fi
  exec env SCALELAB_DISK_INNER=1 unshare -m --propagation private "$0" "$@"
fi

work="$(mktemp -d)"
mnt="$work/mnt"
mkdir -p "$mnt"
cleanup() { umount "$mnt" 2>/dev/null || true; rm -rf "$work" || true; }
trap cleanup EXIT
if ! mount -t tmpfs -o size=6m tmpfs "$mnt" 2>/dev/null; then
  echo "disk: skipped (cannot mount a tmpfs here)"
  exit 77
fi
sweep() { "$scalelab" sweep "$config" --jobs 1 --no-calibrate --no-advice "$@"; }

# Earlier results: a third of the sweep, its tables, a fit card and a chart.
setup() { "$@" >"$work/setup.log" 2>&1 || { echo "FAILED: setup: $*"; cat "$work/setup.log"; echo "disk: 1 failed"; exit 1; }; }
setup sweep --out "$mnt/sw" --shard 1/3
setup "$scalelab" collect "$mnt/sw"
setup "$scalelab" fit "$mnt/sw/runs.csv" --law power --x params --out "$mnt/card.json"
setup "$scalelab" plot compute "$mnt/sw" --out "$mnt/compute.png"
snapshot() { (cd "$mnt" && find . -type f ! -name 'filler*' -print0 | sort -z | xargs -0 sha256sum); }
snapshot >"$work/before"

failed=0
fail() { echo "FAILED: $*"; failed=$((failed + 1)); }
fill() { # leave about $1 KiB free
  local avail
  avail="$(df -k --output=avail "$mnt" | tail -1 | tr -d ' ')"
  if (( avail > $1 )); then
    dd if=/dev/zero of="$mnt/filler-$RANDOM" bs=1k count=$((avail - $1)) 2>/dev/null || true
  fi
}
unchanged() { # every earlier file has its bytes; no temporary file, no claim left
  local now
  now="$(snapshot | grep -F -f <(awk '{print $2}' "$work/before") || true)"
  [[ "$now" == "$(cat "$work/before")" ]] || fail "$1: an earlier result changed or vanished"
  [[ -z "$(find "$mnt" -name '.scalelab-tmp-*')" ]] || fail "$1: a temporary file was left behind"
  [[ -z "$(find "$mnt" -name claim)" ]] || fail "$1: a claim was left behind"
}
expect3() { # what: the command must exit 3 with one line naming a file under the disk and the reason
  local what="$1" reason="$2"; shift 2
  local rc=0
  "$@" >"$work/out" 2>"$work/err" || rc=$?
  local errors
  errors="$(grep -c '^scalelab: error: ' "$work/err" || true)"
  if [[ "$rc" != 3 ]]; then
    fail "$what: exit $rc, expected 3"; cat "$work/err"
  elif [[ "$errors" != 1 ]] || ! grep -q "^scalelab: error: cannot write $mnt/.*$reason" "$work/err"; then
    fail "$what: expected one error line naming a file under $mnt and '$reason'"; cat "$work/err"
  elif grep -qE 'Exception|^\s+at ' "$work/err"; then
    fail "$what: a stack trace"; cat "$work/err"
  elif [[ -s "$work/out" ]]; then
    fail "$what: wrote to stdout"; cat "$work/out"
  else
    echo "ok: $what: $(tail -1 "$work/err")"
  fi
  unchanged "$what"
}

# 1. The disk fills up while the sweep trains: it stops at once, exit 3, finished runs kept.
fill 100
expect3 "sweep on a disk that fills up mid-run" "the disk is full" sweep --out "$mnt/sw"
rm -f "$mnt"/filler-*

# 2. A full disk, then a read-only folder: every writing command exits 3.
commands() {
  local reason="$1"
  expect3 "collect ($reason)" "$reason" "$scalelab" collect "$mnt/sw"
  expect3 "fit over an earlier card ($reason)" "$reason" \
    "$scalelab" fit "$mnt/sw/runs.csv" --law power --x params --out "$mnt/card.json"
  expect3 "fit to a new card ($reason)" "$reason" \
    "$scalelab" fit "$mnt/sw/runs.csv" --law power --x params --out "$mnt/card2.json"
  expect3 "plot ($reason)" "$reason" "$scalelab" plot compute "$mnt/sw" --out "$mnt/compute.png"
  expect3 "report ($reason)" "$reason" "$scalelab" report "$mnt/sw" --bootstrap 5
  expect3 "emergence --charts ($reason)" "$reason" "$scalelab" emergence "$mnt/sw" --charts "$mnt/charts"
  expect3 "sweep resumed ($reason)" "$reason" sweep --out "$mnt/sw"
  expect3 "sweep into a new folder ($reason)" "$reason" sweep --out "$mnt/sw2"
  expect3 "train ($reason)" "$reason" "$scalelab" train --d-model 16 --layers 1 --heads 2 --context 16 --batch 2 \
    --steps 3 --out "$mnt/run"
}
fill 0
commands "the disk is full"
rm -f "$mnt"/filler-*
mount -o remount,ro "$mnt"
commands "the file system is read-only"
mount -o remount,rw "$mnt"

# 3. With room again the same sweep completes: nothing was lost.
runs="$("$scalelab" plan "$config" --no-calibrate --format csv | tail -n +2 | wc -l)"
if sweep --out "$mnt/sw" >"$work/log" 2>&1 && "$scalelab" collect "$mnt/sw" >/dev/null 2>&1; then
  rows="$(($(wc -l <"$mnt/sw/runs.csv") - 1))"
  [[ "$rows" == "$runs" ]] || fail "after the disk had room again: runs.csv has $rows runs, expected $runs"
  grep '/result.json$' "$work/before" >"$work/results-before" || true
  (cd "$mnt" && sha256sum -c --quiet "$work/results-before") ||
    fail "after the disk had room again: an earlier run's result.json changed (it was trained again)"
  echo "ok: with room again the sweep completes ($rows runs; the $(wc -l <"$work/results-before") earlier results untouched)"
else
  fail "after the disk had room again the sweep did not complete"; cat "$work/log"
fi

if [[ "$failed" == 0 ]]; then
  echo "disk: passed"
else
  echo "disk: $failed failed"
  exit 1
fi
