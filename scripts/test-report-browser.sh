#!/usr/bin/env bash
# Opens a sweep's report in headless Chromium (Debian's package, installed here if missing), takes a
# screenshot and checks that every image of the page loaded. Prints "browser: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "browser ok: $1"; }
bad() { failed=$((failed + 1)); echo "browser FAILED: $1"; }
if ! command -v chromium >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends chromium >/dev/null
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/scalelab" sweep "$root/cli/src/test/resources/sweeps/tiny.yaml" --out "$work/sweep" --no-calibrate >/dev/null 2>&1
"$root/scalelab" report "$work/sweep" --bootstrap 10 >/dev/null && ok "report written" || bad "report"
page="file://$work/sweep/report/index.html"
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run --disable-component-update
  --disable-sync --disable-quic --user-data-dir="$work/profile" --virtual-time-budget=10000)
dom="$(timeout 120 chromium "${flags[@]}" --dump-dom "$page" 2>/dev/null)"
loaded="$(echo "$dom" | grep -o 'data-images-loaded="[0-9]*/[0-9]*"' | head -1)"
if [[ "$loaded" =~ \"([0-9]+)/([0-9]+)\" ]] && [[ "${BASH_REMATCH[1]}" == "${BASH_REMATCH[2]}" ]] && (( BASH_REMATCH[2] > 0 )); then
  ok "every image loaded ($loaded)"
else
  bad "images did not all load (${loaded:-no mark found})"
fi
timeout 120 chromium "${flags[@]}" --window-size=1280,3000 --screenshot="$work/shot.png" "$page" >/dev/null 2>&1
if [[ -s "$work/shot.png" ]] && python3 -c "import sys; d=open(sys.argv[1],'rb').read(24); sys.exit(0 if d[:8]==b'\x89PNG\r\n\x1a\n' and int.from_bytes(d[16:20],'big')==1280 else 1)" "$work/shot.png"; then
  ok "screenshot of the page"
  [[ -n "${SCALELAB_KEEP_SCREENSHOT:-}" ]] && cp "$work/shot.png" "$SCALELAB_KEEP_SCREENSHOT"
else
  bad "no screenshot"
fi
echo "browser: $passed passed, $failed failed"
[[ "$failed" == 0 ]]
