#!/usr/bin/env bash
# End to end: docs/slurm/grade-class.sbatch and merge-class.sbatch on a real, single-node Slurm.
# The suite starts its own cluster in a temporary folder, as root, on loopback only: munged with a
# key made by mungekey, slurmctld and slurmd from a generated slurm.conf (the node's CPUs and memory
# from `slurmd -C`; no cgroups: proctrack/linuxproc, task/none, no accounting), then grades a roster
# of five learners (submissions/examples/*, --no-perf --only ex4) as an array of 3 shards submitted
# with `sbatch --wait`, merges them with a job that depends on the array (afterok), and checks that
# the merged grade sheet equals the one of an unsharded `grader batch` of the same roster. Every
# daemon it started, and anything left of its jobs, is stopped when it ends (trap EXIT).
#
# Skipped (counted) when slurm-wlm or munge is not installed (`make test` installs them: the
# Makefile's DEB_TEST_PKGS), or when not run as root (slurmd must be root to run jobs).
#
# Found on Debian 12 (slurm-wlm 22.05, munge 0.5.15) in this container, which has no systemd
# (PID 1 is not an init that could start services, so the suite starts the daemons itself):
# - the daemons run as root (SlurmUser=root, SlurmdUser=root; checked below); munged as root
#   starts without --force when its folder is root's and not writable by others;
# - `CommunicationParameters=NoInAddrAny` binds slurmd to its NodeAddr, but slurmctld listens on
#   0.0.0.0 unless `NoCtldInAddrAny` is given too: with both, every port is on 127.0.0.1 (checked);
# - AuthInfo=socket=PATH points every Slurm program at this suite's munged, so that the system's
#   /run/munge is neither needed nor touched; the clients find slurm.conf through SLURM_CONF
#   (without it they try a DNS SRV lookup and fail);
# - slurmd logs errors about mpi/pmix ("can not load PMIx library") at start even with
#   MpiDefault=none: harmless;
# - `sbatch --wait` polls the controller with a growing interval (up to 10 s), so a short job
#   still takes about 10 s to be seen finished.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

missing=
for c in munged mungekey munge slurmctld slurmd sbatch squeue scancel sinfo; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
	skip "grading a class as a Slurm job array" "not installed:$missing (slurm-wlm and munge; make test installs them)"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	skip "grading a class as a Slurm job array" "not root: slurmd runs jobs as root"
	exit 0
fi

S=$T/slurm
mkdir -p "$S/state" "$S/spool" "$S/tmp" && chmod 755 "$T" "$S"
CONF=$S/slurm.conf
# sl CMD...: runs a Slurm program of this cluster. SLURM_CONF is given to each command, never to
# this shell: the processes that carry it are the ones this suite started (cleanup finds them).
sl() { SLURM_CONF=$CONF "$@"; }

# alive PID: the process exists and is not a zombie (a stopped daemon, reparented to PID 1, stays
# one until PID 1 reaps it).
alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${st%% *}" != Z ]
}

# Stops the jobs, then the daemons by their pid files, then whatever still carries this cluster's
# SLURM_CONF (a job step or job process left by a killed slurmd); each by its id.
cleanup() {
	local pid f i
	if [ -f "$S/slurmctld.pid" ]; then
		sl scancel --quiet --full $(sl squeue -h -o %A 2>/dev/null) 2>/dev/null
		for i in $(seq 1 20); do [ -z "$(sl squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.5; done
	fi
	for f in slurmd slurmctld munged; do
		pid=$(cat "$S/$f.pid" 2>/dev/null) || continue
		case $pid in '' | *[!0-9]*) continue ;; esac
		grep -qa -- "$S" "/proc/$pid/cmdline" 2>/dev/null && kill "$pid" 2>/dev/null
		for i in $(seq 1 40); do alive "$pid" || break; sleep 0.25; done
		alive "$pid" && kill -9 "$pid" 2>/dev/null
	done
	for sig in TERM KILL; do
		for f in /proc/[0-9]*/environ; do
			pid=${f#/proc/}
			pid=${pid%/environ}
			[ "$pid" != $$ ] && tr '\0' '\n' 2>/dev/null <"$f" | grep -qxF "SLURM_CONF=$CONF" && kill -s $sig "$pid" 2>/dev/null
		done
		sleep 0.5
	done
}
trap 'cleanup; rm -rf "$T"' EXIT

# Two free TCP ports on loopback for slurmctld and slurmd (not the default 6817/6818, which a
# Slurm of the machine may use).
read -r ctld_port slurmd_port < <(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')

# munge: a key of this suite's own, a socket in its folder.
if mungekey --create --bits 1024 --keyfile "$S/munge.key" >"$S/mungekey.log" 2>&1 &&
	sl munged --key-file="$S/munge.key" --socket="$S/munge.sock" --pid-file="$S/munged.pid" \
		--log-file="$S/munged.log" --seed-file="$S/munged.seed" >"$S/munged.out" 2>&1 &&
	munge -S "$S/munge.sock" -n | unmunge -S "$S/munge.sock" >"$S/unmunge.out" 2>&1; then
	ok "munged starts with a generated key and encodes and decodes a credential"
else
	fail "munged starts" "$(cat "$S/mungekey.log" "$S/munged.out" "$S/munged.log" "$S/unmunge.out" 2>&1 | tail -n 15)"
	exit 0
fi

host=$(hostname -s)
node=$(slurmd -C | sed -n 's/^\(NodeName=.*\)/\1/p' | head -n 1)
case $node in
"NodeName=$host "*CPUs=*RealMemory=*) ;;
*)
	fail "slurmd -C describes this node" "$(slurmd -C 2>&1 | head -n 3)"
	exit 0
	;;
esac
cat >"$CONF" <<EOF
ClusterName=grader-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$S/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=grader Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

sl slurmctld -f "$CONF" >"$S/slurmctld.out" 2>&1 && sl slurmd -f "$CONF" >"$S/slurmd.out" 2>&1
state=
for i in $(seq 1 60); do
	state=$(sl sinfo -h -o %T 2>/dev/null)
	[ "$state" = idle ] && break
	sleep 0.5
done
if [ "$state" = idle ]; then
	ok "slurmctld and slurmd start and the node is idle"
else
	fail "slurmctld and slurmd start and the node is idle" "sinfo: '$state'" \
		"$(tail -n 8 "$S/slurmctld.out" "$S/slurmd.out" "$S/slurmctld.log" "$S/slurmd.log" 2>&1)"
	exit 0
fi
users=
for f in munged slurmctld slurmd; do users="$users $f=$(ps -o user= -p "$(cat "$S/$f.pid")" 2>/dev/null)"; done
if [ "$users" = " munged=root slurmctld=root slurmd=root" ]; then ok "the daemons run as root"; else fail "the daemons run as root" "$users"; fi

# Loopback only: every socket listening on the two ports is bound to 127.0.0.1.
if /usr/bin/python3 - "$ctld_port" "$slurmd_port" >"$T/py.out" 2>&1 <<'PY'; then ok "slurmctld and slurmd listen on 127.0.0.1 only"; else fail "slurmctld and slurmd listen on 127.0.0.1 only" "$(cat "$T/py.out")"; fi
import sys
ports = {int(p) for p in sys.argv[1:]}
seen = []
for table in ("/proc/net/tcp", "/proc/net/tcp6"):
    try:
        lines = open(table).read().splitlines()[1:]
    except OSError:
        continue
    for line in lines:
        f = line.split()
        addr, port = f[1].split(":")
        if f[3] == "0A" and int(port, 16) in ports:  # 0A: LISTEN
            seen.append((table, addr, int(port, 16)))
assert {p for _, _, p in seen} == ports, f"listening: {seen}, wanted {ports}"
bad = [s for s in seen if s[1] != "0100007F"]
assert not bad, f"not on 127.0.0.1: {bad}"
print(seen)
PY

# The roster, five learners over three shards (1, 1 and 3 of them).
cat >"$T/roster.csv" <<CSV
learner,source
alice,$GRADER_ROOT/submissions/examples/correct
bob,$GRADER_ROOT/submissions/examples/compile-error
carol,$GRADER_ROOT/submissions/examples/panic
dave,$GRADER_ROOT/submissions/examples/float-format
erin,$GRADER_ROOT/submissions/examples/edge-case
CSV
opts=(--no-perf --only ex4)

# The scripts refuse to run outside what they are for, before anything is graded.
(unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MAX SHARDS
	bash docs/slurm/grade-class.sbatch "$T/roster.csv" "$T/nowhere" "${opts[@]}") >"$T/out" 2>"$T/err"
rc=$?
expect "grade-class.sbatch outside a job array exits 2" 2 'not an array task: submit it with sbatch --array=1-N'

(export SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MAX=3
	bash docs/slurm/grade-class.sbatch "$T/roster.csv" "$T/nowhere" --reports "$T/elsewhere") >"$T/out" 2>"$T/err"
rc=$?
expect "grade-class.sbatch refuses a --reports of its own (it sets CLASS/shard-I-of-N)" 2 '--reports is set by the script'
if [ -e "$T/nowhere" ] || [ -e "$T/elsewhere" ]; then fail "a refused task writes nothing" "$(ls -d "$T"/nowhere "$T"/elsewhere 2>&1)"; fi

# The array, submitted with --wait in the background, and the merge job depending on it.
mkdir -p "$T/class" && cd "$T/class" || exit 1
export TMPDIR=$S/tmp # the tasks' node-local scratch: their work folders must be gone afterwards
sl timeout 900 sbatch --wait --parsable --array=1-3 --cpus-per-task=1 \
	"$GRADER_ROOT/docs/slurm/grade-class.sbatch" "$T/roster.csv" "$T/class" "${opts[@]}" \
	>"$S/array.out" 2>"$S/array.err" &
array_pid=$!
jid=
for i in $(seq 1 60); do
	jid=$(head -n 1 "$S/array.out" 2>/dev/null)
	jid=${jid%%;*}
	[ -n "$jid" ] && break
	sleep 0.5
done
sl timeout 900 sbatch --wait --parsable --dependency="afterok:$jid" \
	"$GRADER_ROOT/docs/slurm/merge-class.sbatch" "$T/class" 3 >"$S/merge.out" 2>"$S/merge.err" &
merge_pid=$!
cd "$GRADER_ROOT" || exit 1
unset TMPDIR

# Meanwhile, the same roster unsharded.
run_grader batch -j 2 "${opts[@]}" --reports "$T/whole/reports" --work "$T/whole/work" "$T/roster.csv"
expect "the unsharded batch grades the five learners" 0 '^5 learners: .*, 0 with errors;'
wait "$array_pid"
array_rc=$?
wait "$merge_pid"
merge_rc=$?

logs=$(ls "$T"/class/grade-class-"${jid:-none}"_*.out 2>/dev/null)
if [ -n "$jid" ] && [ "$array_rc" -eq 0 ] && [ "$(echo "$logs" | wc -l)" -eq 3 ]; then
	ok "sbatch --wait --array=1-3 grade-class.sbatch: three tasks, all exit 0"
else
	fail "sbatch --wait --array=1-3 grade-class.sbatch: three tasks, all exit 0" "job '$jid', sbatch exit $array_rc" \
		"$(cat "$S/array.err")" "logs: $logs" "$(tail -n 5 $logs 2>&1)" "$(tail -n 5 "$S/slurmctld.log")"
fi
bad=()
for i in 1 2 3; do
	log=$T/class/grade-class-${jid}_$i.out
	grep -q "^shard $i/3: [0-9] of the roster's 5 learners" "$log" 2>/dev/null || bad+=("task $i: $(head -c 400 "$log" 2>&1)")
	grep -q Sanitizer "$log" 2>/dev/null && bad+=("task $i: $(grep -A8 Sanitizer "$log" | head -10)")
done
got=$(for d in "$T"/class/shard-*-of-3/*/; do basename "$d"; done | LC_ALL=C sort | tr '\n' ' ')
[ "$got" = "alice bob carol dave erin " ] || bad+=("the shards' learners: '$got'")
if [ ${#bad[@]} -eq 0 ]; then ok "each task graded its shard into CLASS/shard-I-of-3, each learner once"; else fail "each task graded its shard" "${bad[@]}"; fi
if [ -z "$(ls -A "$S/tmp")" ]; then ok "each task worked in \$TMPDIR and removed its work folder"; else fail "each task removed its work folder" "$(ls -A "$S/tmp")"; fi

if [ "$merge_rc" -eq 0 ] && [ -s "$T/class/summary/grades.csv" ] && ! grep -qs Sanitizer "$T"/class/grade-class-merge-*.out; then
	ok "the merge job runs after the array (afterok) and writes CLASS/summary/grades.csv"
else
	fail "the merge job runs after the array and writes the sheet" "exit $merge_rc" "$(cat "$S/merge.err")" "$(cat "$T"/class/grade-class-merge-*.out 2>&1 | head)"
fi
class_sheet "$T/whole/summary" "$T/whole/reports"
[ "$rc" -eq 0 ] || fail "the unsharded sheet" "exit $rc" "$(cat "$T/err")"
same_sheet "the merged sheet of the 3 shards equals the unsharded run's" "$T/whole/summary/grades.csv" "$T/class/summary/grades.csv"

# A shard that never ran: the merge refuses to write a sheet without its learners.
mv "$T/class/shard-2-of-3" "$T/class/held"
bash docs/slurm/merge-class.sbatch "$T/class" 3 >"$T/out" 2>"$T/err"
rc=$?
expect "merge-class.sbatch with a shard missing exits 2 and names it" 2 'shard-2-of-3 is missing: shard 2 of 3 did not run'
