#!/usr/bin/env bash
# slurm-local.sh — a real one-node SLURM cluster on loopback, for tests and CI.
#
#   scripts/slurm-local.sh start DIR [--ctld-port P] [--slurmd-port P]
#   scripts/slurm-local.sh env DIR       # prints: export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm-local.sh status DIR    # exit 0 when the node answers, 1 otherwise
#   scripts/slurm-local.sh stop DIR
#
# start writes a private MUNGE key, slurm.conf, state, spool and logs under DIR,
# starts munged, slurmctld and slurmd as root (no systemd), waits until the node
# is idle and prints `export SLURM_CONF=DIR/slurm.conf` on stdout, so
#   eval "$(scripts/slurm-local.sh start /tmp/slurm)"
# sets up the clients. stop cancels the cluster's jobs and ends the daemons by
# the PIDs recorded in DIR/pids (slurmd, slurmctld, then munged). Nothing is
# installed: `make deps` installs slurm-wlm and munge (Debian packages).
# Ports default to 6817/6818 (or $SLURMCTLD_PORT/$SLURMD_PORT): give two clusters
# on one host different ports and directories. Facts: ../shared/slurm-local.md.
set -euo pipefail

prog=$(basename "$0")
usage() {
	echo "usage: $prog start DIR [--ctld-port P] [--slurmd-port P] | stop DIR | env DIR | status DIR" >&2
	exit 2
}
die() {
	echo "$prog: $*" >&2
	exit 1
}
log() { echo "$prog: $*" >&2; }

[ $# -ge 2 ] || usage
cmd=$1
dir=$(realpath -m -- "$2")
shift 2

ctld_port=${SLURMCTLD_PORT:-6817}
slurmd_port=${SLURMD_PORT:-6818}
while [ $# -gt 0 ]; do
	case $1 in
	--ctld-port) [ $# -ge 2 ] || usage; ctld_port=$2; shift 2 ;;
	--slurmd-port) [ $# -ge 2 ] || usage; slurmd_port=$2; shift 2 ;;
	*) usage ;;
	esac
done

conf=$dir/slurm.conf
pids=$dir/pids
sock=$dir/munge/munge.socket

# The node's name must be this host's short name: slurmctld refuses to run on a
# host not named in SlurmctldHost.
host=$(hostname -s)

# is_ours PID NAME: PID is alive and runs NAME (a recycled PID is left alone).
is_ours() {
	[ -n "$1" ] && [ -r "/proc/$1/comm" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

# pid_of NAME: the PID recorded for NAME in DIR/pids.
pid_of() {
	[ -f "$pids" ] || return 0
	awk -v n="$1" '$1 == n { print $2 }' "$pids" | tail -n 1
}

port_busy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

node_state() {
	{ SLURM_CONF=$conf timeout 5 sinfo -h -n "$host" -o %T 2>/dev/null || true; } | head -n 1
}

start() {
	for b in munged munge unmunge slurmctld slurmd sinfo sbatch; do
		command -v "$b" >/dev/null || die "$b not found: install slurm-wlm and munge (make deps)"
	done
	[ "$(id -u)" = 0 ] || die "start needs root (SlurmUser=root)"
	for p in "$ctld_port" "$slurmd_port"; do
		[[ $p =~ ^[0-9]+$ ]] && [ "$p" -ge 1024 ] && [ "$p" -le 65535 ] || die "port $p: want a number in 1024..65535"
	done
	[ "$ctld_port" != "$slurmd_port" ] || die "--ctld-port and --slurmd-port must differ (both $ctld_port)"
	# A UNIX socket path is limited to 108 bytes.
	[ ${#sock} -le 100 ] || die "directory $dir is too long for the MUNGE socket path ($sock: ${#sock} bytes, at most 100)"
	if [ -f "$pids" ]; then
		for n in slurmd slurmctld munged; do
			! is_ours "$(pid_of "$n")" "$n" || die "a cluster is already running from $dir ($n pid $(pid_of "$n")): stop it first"
		done
	fi
	for p in "$ctld_port" "$slurmd_port"; do
		! port_busy "$p" || die "port $p on 127.0.0.1 is in use (another cluster?): choose others with --ctld-port/--slurmd-port"
	done

	rm -rf "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$pids"
	mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
	chmod 0700 "$dir/munge"
	: >"$pids"

	head -c 1024 /dev/urandom >"$dir/munge/munge.key"
	chmod 0400 "$dir/munge/munge.key"
	munged -F --force -S "$sock" --key-file="$dir/munge/munge.key" \
		--pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed" \
		--log-file="$dir/log/munged.log" >>"$dir/log/munged.out" 2>&1 &
	echo "munged $!" >>"$pids"
	for _ in $(seq 100); do
		[ -S "$sock" ] && break
		sleep 0.05
	done
	munge -S "$sock" -n | unmunge -S "$sock" >/dev/null ||
		die "munged does not answer on $sock (see $dir/log/munged.log)"

	local node
	node=$(slurmd -C | head -n 1)
	[[ $node == NodeName=* ]] || die "slurmd -C printed no node line: $node"
	cat >"$conf.tmp" <<EOF
# Written by $prog for a one-node cluster on loopback; see ../shared/slurm-local.md.
ClusterName=snnkit-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.log
MinJobAge=3600
ReturnToService=2
MailProg=/bin/true
InactiveLimit=0
KillWait=5
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
	mv "$conf.tmp" "$conf"

	SLURM_CONF=$conf slurmctld -D -i -f "$conf" >>"$dir/log/slurmctld.out" 2>&1 &
	echo "slurmctld $!" >>"$pids"
	SLURM_CONF=$conf slurmd -D -N "$host" -f "$conf" >>"$dir/log/slurmd.out" 2>&1 &
	echo "slurmd $!" >>"$pids"

	local state="" t0=$SECONDS
	while [ $((SECONDS - t0)) -lt 60 ]; do
		state=$(node_state)
		[ "$state" = idle ] && break
		for n in munged slurmctld slurmd; do
			is_ours "$(pid_of "$n")" "$n" || {
				tail -n 5 "$dir/log/$n.out" "$dir/log/$n.log" >&2 2>/dev/null || true
				stop >/dev/null 2>&1 || true
				die "$n exited during start-up (logs above, in $dir/log)"
			}
		done
		sleep 0.2
	done
	if [ "$state" != idle ]; then
		stop >/dev/null 2>&1 || true
		die "node $host not idle after 60 s (state '${state:-none}'; logs in $dir/log)"
	fi
	log "node $host idle after $((SECONDS - t0)) s (slurmctld port $ctld_port, slurmd port $slurmd_port, logs in $dir/log)"
	echo "export SLURM_CONF=$conf"
}

# kill_wait NAME: TERM the recorded process, then KILL it after 10 s.
kill_wait() {
	local pid
	pid=$(pid_of "$1")
	is_ours "$pid" "$1" || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 100); do
		is_ours "$pid" "$1" || return 0
		sleep 0.1
	done
	log "$1 (pid $pid) still running after 10 s: KILL"
	kill -KILL "$pid" 2>/dev/null || true
}

stop() {
	[ -f "$pids" ] || die "no cluster recorded in $dir (no $pids)"
	if is_ours "$(pid_of slurmctld)" slurmctld; then
		# The jobs end with the cluster; their steps would otherwise outlive slurmd.
		SLURM_CONF=$conf timeout 5 scancel --user="$(id -un)" 2>/dev/null || true
		for _ in $(seq 50); do
			[ -z "$(SLURM_CONF=$conf timeout 5 squeue -h -o %i 2>/dev/null)" ] && break
			sleep 0.1
		done
	fi
	kill_wait slurmd
	kill_wait slurmctld
	kill_wait munged
	rm -f "$pids"
	log "stopped the cluster in $dir"
}

case $cmd in
start) start ;;
stop) stop ;;
env)
	[ -f "$conf" ] || die "no cluster configured in $dir (no $conf): run '$prog start $dir'"
	echo "export SLURM_CONF=$conf"
	;;
status)
	[ -f "$conf" ] || die "no cluster configured in $dir"
	state=$(node_state)
	echo "node $host: ${state:-not answering}"
	[ -n "$state" ]
	;;
*) usage ;;
esac
