#!/usr/bin/env bash
# A real one-node Slurm on localhost, from Debian's packages, for tests and trying job arrays:
#   scripts/slurm/local-slurm.sh start   installs (first time), configures and starts munged, slurmctld, slurmd
#   scripts/slurm/local-slurm.sh stop    stops them by the PIDs it recorded
# Needs root and no running Slurm. State lives in /var/lib/scalelab-slurm.
set -euo pipefail
state=/var/lib/scalelab-slurm
pids="$state/pids"

install() {
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
      slurmctld slurmd slurm-client munge >/dev/null
  fi
}

configure() {
  mkdir -p "$state" /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
  chown slurm:slurm /var/spool/slurmctld /var/log/slurm 2>/dev/null || true
  chown munge:munge /run/munge
  if [[ ! -s /etc/munge/munge.key ]]; then
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
  local mem
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
  cat > /etc/slurm/slurm.conf <<CONF
ClusterName=scalelab
SlurmctldHost=localhost
SlurmUser=slurm
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.txt
MinJobAge=600
MailProg=/bin/true
SelectType=select/cons_tres
SlurmdParameters=config_overrides
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  install
  configure
  : > "$pids"
  setsid setpriv --reuid=munge --regid=munge --init-groups munged -F >/dev/null 2>&1 < /dev/null &
  echo $! >> "$pids"
  for _ in $(seq 50); do [[ -S /run/munge/munge.socket.2 ]] && break; sleep 0.1; done
  rm -f /run/slurmctld.pid
  setsid slurmctld -D -c >/dev/null 2>&1 < /dev/null &
  echo $! >> "$pids"
  setsid slurmd -D -N localhost >/dev/null 2>&1 < /dev/null &
  echo $! >> "$pids"
  for _ in $(seq 100); do
    if scontrol ping 2>/dev/null | grep -q UP && sinfo -h -o %t 2>/dev/null | grep -qE "idle|mix|alloc"; then
      echo "local Slurm is up (PIDs $(tr '\n' ' ' < "$pids"))"
      return 0
    fi
    sleep 0.2
  done
  echo "local Slurm did not come up; see /var/log/slurm" >&2
  stop
  return 1
}

stop() {
  if [[ -f "$pids" ]]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$pids"
    sleep 0.5
    while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < "$pids"
    rm -f "$pids"
  fi
  rm -f /run/slurmctld.pid
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
