#!/usr/bin/env bash
# tests/e2e/nonroot.sh: the grader as most instructors run it: an unprivileged user, with user
# namespaces and no delegated cgroup; then the same user in a delegated pure cgroup-v2 subtree,
# where the machine has one (not on a v1/v2 hybrid host: counted skips that say why). As root, the
# suite makes (once) the system user grader-test (no login shell, no home; $GRADER_TEST_USER names
# another), copies what the grader needs into a folder that user owns (the two builds, grader-pid1,
# the profiles, specs and examples, the helpers and the suites below), and runs AS THAT USER, with
# no capability and a fresh environment (setpriv, env -i):
#   - the sandbox suite (tests/e2e/sandbox.sh) and the hostile corpus (tests/e2e/hostile.sh);
#   - the calibration (tests/e2e/sandbox_calib.sh): CPU burnt and memory touched, measured by the
#     fallback (rusage-pid1) within 5%; its cgroup cases are skips that carry the grader's reason;
#   - the limits that hold without a cgroup, each checked for real: a memory hog and a fork bomb
#     stopped with their cause, the CPU limit, and no process of the user left afterwards;
#   - `grader grade submissions/examples/correct` with its documented result (docs/examples.md);
#   - in a cgroup v2 subtree delegated to the user (GRADER_CGROUP): the method, the same limits
#     stopped by the cgroup, the sandbox suite and the calibration with its cgroup cases.
# The Rust toolchain: when the user cannot reach the one on root's PATH (rustup's under /root, mode
# 700), its sysroot is bound read-only at a folder the user can reach, in a mount namespace of the
# suite's own (nothing on the host is loosened), and its bin/ goes first on the user's PATH;
# CARGO_HOME is the user's own. An instructor installs rustup as the grading user instead.
# test: serial (the calibration's CPU and memory figures within 5%)
. "$(dirname "$0")/lib.sh"

user=${GRADER_TEST_USER:-grader-test}
cases="setup sandbox.sh hostile.sh sandbox_calib.sh limits grade cgroup-v2"
if [ "$(id -u)" -ne 0 ]; then
	for c in $cases; do skip "as an unprivileged user: $c" "not root: this suite must create the user and give it its files"; done
	exit 0
fi
for tool in setpriv useradd unshare bwrap; do
	if ! command -v $tool >/dev/null; then
		for c in $cases; do skip "as an unprivileged user: $c" "$tool is not installed"; done
		exit 0
	fi
done

# The user: a system user with its own group, no home, no login shell. Made once, kept.
if ! id -u "$user" >/dev/null 2>&1; then
	useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user" 2>"$T/useradd.err" ||
		id -u "$user" >/dev/null 2>&1 || { fail "create the user $user" "$(cat "$T/useradd.err")"; exit 0; }
fi
uid=$(id -u "$user") gid=$(id -g "$user")
if [ "$uid" -eq 0 ]; then fail "the test user $user is not root" "uid 0"; exit 0; fi

# The user's folder: the grader's files and the user's home, cache and work.
U=$(mktemp -d /tmp/grader-nonroot.XXXXXX)
trap 'rm -rf "$T" "$U"' EXIT
tree=$U/tree
mkdir -p "$tree/build/san" "$tree/tests/e2e" "$tree/submissions" "$U/home" "$U/rust"
cp -a "$GRADER_ROOT/bin" "$GRADER_ROOT/sandboxes" "$GRADER_ROOT/specs" "$tree/"
cp -a "$GRADER" "$tree/build/san/grader"
cp -a "$HELPERS" "$tree/build/helpers"
cp -a "$GRADER_ROOT/submissions/examples" "$tree/submissions/"
cp -a "$GRADER_ROOT/tests/hostile" "$GRADER_ROOT/tests/python_path.sh" "$tree/tests/"
for s in lib.sh sandbox.sh hostile.sh sandbox_calib.sh; do cp "$GRADER_ROOT/tests/e2e/$s" "$tree/tests/e2e/"; done
chown -R "$uid:$gid" "$U"
chmod 755 "$U"

# The toolchain: reachable by the user as it is, or bound read-only at $U/rust.
sysroot=$(rustc --print sysroot 2>/dev/null)
py=${GRADER_TEST_PYTHON:-/usr/bin/python3}
mkdir -p "$U/pybin" && ln -sf "$py" "$U/pybin/python3"
bind_rust=
if [ -n "$sysroot" ] && ! setpriv --reuid="$uid" --regid="$gid" --clear-groups -- test -x "$sysroot/bin/rustc"; then
	bind_rust=$sysroot
	rustbin=$U/rust/bin
else
	rustbin=${sysroot:+$sysroot/bin}
fi
user_env=(HOME="$U/home" PATH="$U/pybin${rustbin:+:$rustbin}:/usr/bin:/bin" LANG=C.UTF-8
	CARGO_HOME="$U/home/.cargo" XDG_CACHE_HOME="$U/home/.cache" TMPDIR=/tmp
	GRADER_ROOT="$tree" GRADER="$tree/build/san/grader" GRADER_REL="$tree/bin/grader"
	HELPERS="$tree/build/helpers" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}")

# as_user CMD...: runs CMD as the user, no groups, no capabilities, only user_env (and extra_env);
# with in_cg set, in that cgroup v2 directory (moved there as root first).
extra_env=() in_cg=
as_user() {
	(
		if [ -n "$in_cg" ]; then echo "$BASHPID" >"$in_cg/cgroup.procs" || exit 125; fi
		if [ -n "$bind_rust" ]; then
			exec unshare --mount --propagation private -- sh -c \
				'mount --bind "$1" "$2" && mount -o remount,bind,ro "$2" && shift 2 && exec "$@"' sh "$bind_rust" "$U/rust" \
				setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all -- env -i "${user_env[@]}" "${extra_env[@]}" "$@"
		fi
		exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all -- env -i "${user_env[@]}" "${extra_env[@]}" "$@"
	)
}

# relay SUITE [LABEL]: runs tests/e2e/SUITE as the user; its cases become this suite's, named after
# it (and LABEL).
relay() {
	local who="as $user${2:+, $2}"
	as_user bash "$tree/tests/e2e/$1" >"$T/$1.out" 2>&1
	local rc=$?
	sed -n -e "s/^ok - /ok - $who: $1: /p" -e "s/^not ok - /not ok - $who: $1: /p" \
		-e "s/^skip - /skip - $who: $1: /p" -e '/^    /p' "$T/$1.out"
	grep -Eq '^(ok|not ok|skip) - ' "$T/$1.out" || fail "$who: $1 ran no case" "$(tail -20 "$T/$1.out")"
	[ $rc -eq 0 ] || fail "$who: $1 exited $rc" "$(tail -5 "$T/$1.out")"
}

# ---- the user is really unprivileged, and has what the grader needs -------------------------
as_user sh -c 'id -u; id -G; grep ^CapEff /proc/self/status; ls /root >/dev/null 2>&1 && echo root-readable' >"$T/who" 2>&1
if [ "$(sed -n 1p "$T/who")" = "$uid" ] && [ "$(sed -n 2p "$T/who")" = "$gid" ] &&
	grep -q 'CapEff:[[:space:]]*0*$' "$T/who" && ! grep -q root-readable "$T/who"; then
	ok "the user $user (uid $uid) has no group but its own, no capability, and cannot read /root"
else
	fail "the user $user is unprivileged" "$(cat "$T/who")"
fi
if as_user sh -c 'rustc -V && cargo -V && python3 -c "import numpy"' >"$T/tools" 2>&1; then
	ok "the user runs rustc, cargo and python3 with numpy ($(head -1 "$T/tools")${bind_rust:+; sysroot bound from $bind_rust})"
else
	fail "the user runs rustc, cargo and python3" "$(cat "$T/tools")"
fi

# ---- the suites, as the user -------------------------------------------------------------
relay sandbox.sh
relay hostile.sh
relay sandbox_calib.sh

# ---- the limits without a cgroup, for real ----------------------------------------------
cat >"$tree/hog.py" <<'PY'
# Touches 16 MiB more memory every step until something stops it.
chunks = []
while True:
    b = bytearray(16 << 20)
    for i in range(0, len(b), 4096):
        b[i] = 1
    chunks.append(b)
PY
cat >"$tree/bomb.py" <<'PY'
# Forks without end (each child burns CPU too), ignoring failures.
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
PY
chown "$uid:$gid" "$tree/hog.py" "$tree/bomb.py"
# run_user NAME ARGS...: `grader run ARGS` as the user; its JSON result in $T/NAME.json.
run_user() {
	local name=$1
	shift
	as_user "$tree/build/san/grader" run --profiles "$tree/sandboxes" --bind "$tree:/t" "$@" >"$T/$name.json" 2>"$T/$name.err"
	echo $? >"$T/$name.rc"
}
# left: the user's processes still alive (none may outlive a run). Zombies are dead: bwrap's
# namespace init, orphaned when bwrap ends, waits for the host's init to reap it.
left() { ps -o pid=,stat=,args= -u "$uid" | awk '$2 !~ /^Z/' | head -5; }

# limits LABEL METHOD: a memory hog, a fork bomb and a busy loop as the user, each stopped by its
# limit with its cause, measured by METHOD (rusage-pid1, or cgroup-v2 in a delegated cgroup).
limits() {
	local label=$1 method=$2 after_bomb left
	run_user hog --profile python-run --memory 200MiB --wall 20s -- python3 /t/hog.py
	run_user bomb --profile python-run --pids 32 --cpu 2s --wall 4s -- python3 /t/bomb.py
	after_bomb=$(left)
	run_user burn --profile python-run --cpu 1s --wall 20s -- python3 -c 'while True: pass'
	run_user method --profile rust-run --method cgroup -- /bin/true
	python3 - "$T" "$label" "$method" "$after_bomb" <<'PY'
import json, sys
T, label, method, after_bomb = sys.argv[1:5]
MiB = 1 << 20
def load(n):
    rc = open("%s/%s.rc" % (T, n)).read().strip()
    try:
        return json.load(open("%s/%s.json" % (T, n))), rc
    except (OSError, ValueError):
        return None, "exit %s: %s" % (rc, open("%s/%s.err" % (T, n)).read()[-800:])
def check(name, ok, *detail):
    print(("ok - " if ok else "not ok - ") + label + ": " + name)
    if not ok:
        for d in detail:
            print("    " + str(d)[:1500])
fallback = method == "rusage-pid1"
r, rc = load("hog")
check("a memory hog is stopped by %s: memory_limit, peak %s MiB (cgroup %s MiB) for a 200 MiB limit"
      % ("the fallback's samples" if fallback else "the cgroup's OOM killer",
         r and round(r["peak_memory"] / MiB, 1), r and round(r["cgroup_peak"] / MiB, 1)),
      r and rc == "1" and r["verdict"] == "memory_limit" and r["method"] == method
      and "memory limit of 200.0MiB exceeded" in r["message"]
      and (200 * MiB <= r["peak_memory"] <= 264 * MiB if fallback
           else r["oom_killed"] and r["cgroup_peak"] <= 201 * MiB), r, rc)
r, rc = load("bomb")
check("a fork bomb is capped at 32 tasks (%s) and ends by its time limit (%s, %s tasks, %s s wall)"
      % ("RLIMIT_NPROC in the run's user namespace" if fallback else "pids.max",
         r and "%s/%s" % (r["verdict"], r["limit"]), r and r["tasks_peak"], r and round(r["wall"], 2)),
      r and rc == "1" and r["verdict"] == "time_limit" and r["method"] == method
      and r["tasks_peak"] <= 32 and r["wall"] < 5.5, r, rc)
check("no process of the fork bomb outlives its run", not after_bomb, after_bomb)
r, rc = load("burn")
check("the CPU limit stops a busy loop: time_limit/cpu at %s s for 1 s" % (r and r["cpu"]),
      r and rc == "1" and r["verdict"] == "time_limit" and r["limit"] == "cpu" and r["method"] == method
      and 1.0 <= r["cpu"] <= 1.3, r, rc)
r, _ = load("method")
rc = open(T + "/method.rc").read().strip()
err = open(T + "/method.err").read()
if fallback:
    check("--method cgroup exits 3 and says why there is no cgroup: " + err.strip().split("available: ", 1)[-1][:200],
          rc == "3" and "cgroups are not available: " in err, rc, err)
else:
    check("--method cgroup runs in the delegated cgroup", rc == "0" and r and r["method"] == method, rc, err)
PY
	left=$(left)
	if [ -z "$left" ]; then ok "$label: no process of $user is left"; else fail "$label: no process of $user is left" "$left"; fi
}
limits "limits without a cgroup" rusage-pid1

# ---- one example graded end to end, measured ----------------------------------------------
as_user "$tree/build/san/grader" grade "$tree/submissions/examples/correct" --learner correct \
	--work "$U/home/work" --reports "$U/home/reports" >"$T/out" 2>"$T/err"
rc=$?
expect "as $user: grade submissions/examples/correct passes (exit 0)" 0 'PASSED'
python3 - "$U/home/reports/correct/report.json" <<'PY'
import json, sys
def check(name, ok, *detail):
    print(("ok - " if ok else "not ok - ") + name)
    if not ok:
        for d in detail:
            print("    " + str(d)[:1500])
try:
    r = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    check("as the user: the correct example's report", False, e)
    sys.exit(0)
pts = sum(e["points"] for e in r["exercises"])
check("as the user: the correct example gets 90 points of 90, as docs/examples.md says (%s)" % pts,
      abs(pts - 90) < 0.05, [(e["id"], e["status"], e["points"]) for e in r["exercises"]])
text = json.dumps(r)
check("as the user: its runs were measured by the fallback (rusage-pid1)",
      "rusage-pid1" in text and "cgroup-v" not in text)
PY

# ---- pure cgroup v2, delegated to the user -----------------------------------------------
# As root: a cgroup D beneath the root of the cgroup2 hierarchy, with +memory +pids (+cpu) enabled
# for its children and handed to the user (the directory, cgroup.procs, cgroup.threads and
# cgroup.subtree_control, as the kernel's delegation model asks), and a leaf D/self where the
# user's commands start. The grader, told GRADER_CGROUP=D, makes its workers' cgroups in D and moves
# each run's measurer there from D/self (D is their common ancestor, and the user may write its
# cgroup.procs). On a hybrid host the v2 hierarchy has no memory or pids controller (they belong to
# the v1 hierarchies): these cases are skips that say so.
v2_cases="method limits sandbox.sh sandbox_calib.sh cleanup"
v2_skip() { for c in $v2_cases; do skip "as $user, cgroup v2 delegated: $c" "$1"; done; }
v2mnt=$(awk '{for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break }}' /proc/self/mountinfo | head -n1)
if [ -z "$v2mnt" ]; then
	v2_skip "no cgroup2 hierarchy is mounted"
elif ctl=$(tr -d '\n' <"$v2mnt/cgroup.controllers" 2>/dev/null) && ! { [[ " $ctl " == *" memory "* ]] && [[ " $ctl " == *" pids "* ]]; }; then
	v2_skip "the cgroup2 hierarchy at $v2mnt offers only '$ctl' in cgroup.controllers: memory and pids are bound to cgroup v1 hierarchies here (a hybrid host), so no pure-v2 subtree with them can be delegated"
else
	D=$v2mnt/grader-nonroot-$$
	for c in +memory +pids +cpu; do echo "$c" >"$v2mnt/cgroup.subtree_control" 2>/dev/null; done
	if ! mkdir "$D" 2>"$T/v2.err"; then
		v2_skip "cannot create a cgroup in $v2mnt: $(head -c 200 "$T/v2.err")"
	else
		trap 'rmdir "$D"/grader-* "$D/self" "$D" 2>/dev/null; rm -rf "$T" "$U"' EXIT
		for c in +memory +pids +cpu; do echo "$c" >"$D/cgroup.subtree_control" 2>>"$T/v2.err"; done
		mkdir "$D/self"
		chown "$uid:$gid" "$D" "$D/cgroup.procs" "$D/cgroup.threads" "$D/cgroup.subtree_control"
		chown -R "$uid:$gid" "$D/self"
		if ! grep -qw memory "$D/cgroup.subtree_control" || ! grep -qw pids "$D/cgroup.subtree_control"; then
			v2_skip "cannot enable memory and pids for the children of $D: $(head -c 200 "$T/v2.err")"
		else
			in_cg=$D/self extra_env=(GRADER_CGROUP="$D")
			run_user v2method --profile rust-run --method cgroup -- /bin/true
			if [ "$(cat "$T/v2method.rc")" = 0 ] && grep -q '"method":[[:space:]]*"cgroup-v2"' "$T/v2method.json"; then
				ok "as $user, cgroup v2 delegated: method: grader run --method cgroup measures with cgroup-v2 in $D"
			else
				fail "as $user, cgroup v2 delegated: method" "exit $(cat "$T/v2method.rc")" "$(cat "$T/v2method.err" "$T/v2method.json" | head -c 1500)"
			fi
			limits "as $user, cgroup v2 delegated: limits" cgroup-v2
			relay sandbox.sh "cgroup v2 delegated"
			relay sandbox_calib.sh "cgroup v2 delegated"
			in_cg= extra_env=()
			sleep 0.5 # the last run's measurer is reaped by now
			if ls -d "$D"/grader-* >/dev/null 2>&1; then
				fail "as $user, cgroup v2 delegated: cleanup: the workers' cgroups are removed" "$(ls "$D")"
			else
				ok "as $user, cgroup v2 delegated: cleanup: the workers' cgroups are removed"
			fi
		fi
	fi
fi
