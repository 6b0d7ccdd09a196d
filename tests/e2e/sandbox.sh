#!/usr/bin/env bash
# tests/e2e/sandbox.sh: `grader run` end to end: usage errors, the JSON result, a fresh
# environment, stdin, setup failures as sandbox_error, and the fallback method on request.
. "$(dirname "$0")/lib.sh"
export GRADER_PROFILES=$GRADER_ROOT/sandboxes

run_grader run
expect "run without arguments is a usage error" 2 "--profile|COMMAND"
run_grader run --profile python-run --wall 2 -- true
expect "a duration without unit is refused" 2 "--wall '2'"
run_grader run --profile no-such -- true
expect "an unknown profile is named" 2 "no profile 'no-such'"
run_grader run --help
expect "run --help prints usage" 0 "Usage: grader run"

# The method: as root, cgroups (v1 or v2, this host is a v1/v2 hybrid); as another user, cgroups
# only in a delegated subtree, else the fallback, and `--method cgroup` says why (tests/e2e/nonroot.sh
# runs this suite as an unprivileged user).
want_method='cgroup-v[12]'
if [ "$(id -u)" -ne 0 ]; then
	run_grader run --profile rust-run --method cgroup -- /bin/true
	if [ "$rc" -eq 3 ]; then
		want_method=rusage-pid1
		expect "as a non-root user without a delegated cgroup, --method cgroup says why (exit 3)" 3 'cgroups are not available: .+'
		skip "a run measured with cgroups" "uid $(id -u) has no delegated cgroup: $(sed -n 's/.*cgroups are not available: //p' "$T/err" | head -n1 | cut -c1-300)"
	else
		expect "as a non-root user, --method cgroup runs in the delegated cgroup" 0 '"method":[[:space:]]*"cgroup-v[12]"'
	fi
fi
GITHUB_TOKEN=e2e-secret run_grader run --profile python-run -- sh -c 'env; cat /proc/1/environ 2>/dev/null; exit 0'
expect "ok run prints a JSON result with its method" 0 "\"method\":[[:space:]]*\"$want_method\""
if grep -q e2e-secret "$T/out"; then fail "the grader's environment does not leak in" "$(cat "$T/out")"; else ok "the grader's environment does not leak in"; fi

printf 'abc\n' >"$T/in.txt"
run_grader run --profile python-run --stdin "$T/in.txt" -- python3 -c 'import sys; print(sys.stdin.read().upper())'
expect "stdin is fed from --stdin" 0 '"stdout":[[:space:]]*"ABC\\n\\n"'

run_grader run --profile python-run --method rusage-pid1 -- python3 -c 'print(1)'
expect "the fallback can be forced" 0 '"method":[[:space:]]*"rusage-pid1"'

mkdir -p "$T/prof"
printf 'ro: [/usr, /lib, /lib64, /bin, /no/such/path]\n' >"$T/prof/broken.yaml"
run_grader run --profiles "$T/prof" --profile broken -- true
expect "a profile binding a missing path is a sandbox_error (exit 3)" 3 '/no/such/path'

printf 'limits:\n  wal: 2s\n' >"$T/prof/broken.yaml"
run_grader run --profiles "$T/prof" --profile broken -- true
expect "an invalid profile is a usage error located in the file" 2 'broken.yaml:2:3:.*wal'

run_grader run --profile rust-run -- python3 -c 'print(1)'
expect "rust-run has no Python" 1 '"verdict":[[:space:]]*"runtime_error"'

run_grader run --profile python-run --wall 1s -- sh -c 'sleep 100 & sleep 100'
expect "wall limit names wall" 1 '"limit":[[:space:]]*"wall"'

# A worker removes the empty cgroups a dead grader left behind (here: a made-up dead PID).
v2=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
base=$(awk '{for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") { print $5; exit } break }}' /proc/self/mountinfo)
stale=$base$v2/grader-999999-1
stale=${stale//\/\//\/}
if [ -n "$base" ] && mkdir "$stale" 2>/dev/null; then
	"$GRADER" run --profile rust-run -- /bin/true >/dev/null 2>&1
	if [ -d "$stale" ]; then fail "a dead grader's empty cgroup is removed" "$stale is still there"; rmdir "$stale"; else ok "a dead grader's empty cgroup is removed"; fi
else
	skip "a dead grader's empty cgroup is removed" "no writable cgroup2 here"
fi

run_grader run --profile python-run --pin-cpu 0 -- python3 -c 'import os; print(sorted(os.sched_getaffinity(0)))'
expect "--pin-cpu runs the program on that CPU only" 0 '"stdout":[[:space:]]*"\[0\]\\n"'
run_grader run --profile python-run --pin-cpu 1023 -- true
expect "a CPU the grader may not use is a bad request" 2 'CPU 1023 is not one the grader may run on'
