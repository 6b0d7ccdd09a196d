#!/usr/bin/env bash
# End to end: when bwrap cannot create a sandbox on a host where AppArmor restricts unprivileged
# user namespaces (Ubuntu 24.04's kernel.apparmor_restrict_unprivileged_userns=1), the grader's
# message names both fixes: the sysctl, and an AppArmor profile for bwrap granting `userns,`
# (docs/ci.md). The restricted host is faked: a bwrap on PATH that fails as Ubuntu's does, and
# GRADER_APPARMOR_USERNS_FILE (test-only) naming a file that reads 1 in place of the sysctl.
. "$(dirname "$0")/lib.sh"
cd "$GRADER_ROOT"

# Not under /tmp: as root, the grader runs bwrap after mounting its staging tmpfs on /tmp, which
# would hide a fake bwrap there (grader/sandbox/uid.c).
fake=$(mktemp -d /var/tmp/grader-apparmor.XXXXXX)
trap 'rm -rf "$T" "$fake"' EXIT
chmod 0755 "$fake"
mkdir -m 0755 "$fake/uidmap" "$fake/nsperm"
printf '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n' >"$fake/uidmap/bwrap"
printf '#!/bin/sh\necho "bwrap: No permissions to create a new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n' >"$fake/nsperm/bwrap"
chmod 0755 "$fake/uidmap/bwrap" "$fake/nsperm/bwrap"
echo 1 >"$T/restricted"
echo 0 >"$T/allowed"

# sandboxed BWRAP_DIR USERNS_FILE: a `grader run` that needs a sandbox.
sandboxed() {
	PATH=$1:$PATH GRADER_APPARMOR_USERNS_FILE=$2 run_grader run --profile python-run -- python3 -c 'print(1)'
}
# has NAME FIXED-STRING...: each string is in the last run's stderr.
has() {
	local name=$1 s missing=""
	shift
	for s in "$@"; do grep -qF -- "$s" "$T/err" || missing="$missing [$s]"; done
	if [ -z "$missing" ]; then ok "$name"; else fail "$name" "missing:$missing" "stderr: $(cat "$T/err")"; fi
}

sandboxed "$fake/uidmap" "$T/restricted"
expect "AppArmor restricted, bwrap 'setting up uid map': an infrastructure error (exit 3)" 3 'bubblewrap cannot create a sandbox'
has "AppArmor restricted: the message quotes bwrap and names the sysctl, the file read and both fixes" \
	"setting up uid map: Permission denied" "AppArmor forbids unprivileged user namespaces" "$T/restricted reads 1" \
	"sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0" \
	"give $fake/uidmap/bwrap an AppArmor profile that grants \`userns,\`" "docs/ci.md"

sandboxed "$fake/nsperm" "$T/restricted"
expect "AppArmor restricted, bwrap 'No permissions to create a new namespace': exit 3" 3 'No permissions to create a new namespace'
has "AppArmor restricted, the other wording: the same two fixes" \
	"sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0" "grants \`userns,\`"

for host in allowed missing; do
	sandboxed "$fake/uidmap" "$T/$host"
	expect "sysctl file $host: still exit 3" 3 'bubblewrap cannot create a sandbox'
	if grep -q 'unprivileged user namespaces: check that' "$T/err" && ! grep -q 'sudo sysctl -w' "$T/err"; then
		ok "sysctl file $host: the general advice, not the AppArmor fixes"
	else
		fail "sysctl file $host: the general advice, not the AppArmor fixes" "stderr: $(cat "$T/err")"
	fi
done

# The file alone changes nothing where bwrap works: it is read only after a failed probe.
GRADER_APPARMOR_USERNS_FILE=$T/restricted run_grader run --profile python-run -- python3 -c 'print(1)'
expect "a restricted file with a working bwrap: the run succeeds" 0

# docs/ci.md gives the profile the message points to: six lines, for /usr/bin/bwrap, with userns.
if /usr/bin/python3 - docs/ci.md >"$T/py.out" 2>&1 <<'PY'; then ok "docs/ci.md: the six-line AppArmor profile for /usr/bin/bwrap granting userns"; else fail "docs/ci.md: the six-line AppArmor profile" "$(cat "$T/py.out")"; fi
import re, sys
doc = open(sys.argv[1]).read()
blocks, cur = [], None
for line in doc.split("\n"):
    if line.strip().startswith("```"):
        if cur is None:
            cur = []
        else:
            blocks.append(cur)
            cur = None
    elif cur is not None:
        cur.append(line.strip())
blocks = [b for b in blocks if any(l.startswith("profile bwrap") for l in b)]
assert len(blocks) == 1, "no single code block with the profile"
lines = blocks[0]
assert len(lines) == 6, lines
assert lines[0] == "abi <abi/4.0>," and lines[1] == "include <tunables/global>", lines
assert re.fullmatch(r"profile bwrap /usr/bin/bwrap flags=\(unconfined\) \{", lines[3]), lines[3]
assert lines[4] == "userns," and lines[5] == "}", lines
PY
