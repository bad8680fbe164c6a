# Shared by kill-sweep.sh and kill-fit.sh (source it): the SIGKILL of a process group at a moment.

# kill_group_after MS PID: sleeps MS milliseconds, then SIGKILLs the process group PID leads (started
# with setsid) if it still runs, and waits for it. Succeeds only when the kill landed mid-run.
kill_group_after() {
  local ms="$1" pid="$2" landed=1
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 -- "-$pid" 2>/dev/null || true
    landed=0
  fi
  wait "$pid" 2>/dev/null || true
  return "$landed"
}
