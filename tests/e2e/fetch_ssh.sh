# tests/e2e/fetch_ssh.sh: `grader fetch` and `grader grade` over ssh://, against an sshd this test
# starts on 127.0.0.1 (Debian's openssh-server, its own configuration, host keys and client keys in
# the test's temporary folder; the only thing outside it is sshd's privilege separation folder
# /run/sshd, created empty when missing, as the ssh service does). The repository is served through
# a forced command (git-shell) in authorized_keys; the client key is in an ssh-agent the test
# starts, which is how the grader takes ssh credentials (docs/fetch.md). Cases: a fetch and a grade;
# a host key that does not match known_hosts, and one that is not there (refused before any key is
# offered: sshd logs no publickey request); a key the server refuses; no agent; a host that is not
# a token host (offered nothing).
. "$(dirname "$0")/lib.sh"
real_home=$HOME
. "$(dirname "$0")/../fetch/lib.sh"
export HOME=$real_home # fetch/lib.sh's empty HOME hides the Rust toolchain that grading needs
. "$(dirname "$0")/../integrity/repo.sh"

SSHD=/usr/sbin/sshd
libgit2=$(ldd "$GRADER" 2>/dev/null | awk '/libgit2/ {print $3}')
if [ ! -x "$SSHD" ] || ! command -v ssh-agent >/dev/null; then
	skip fetch_ssh "openssh-server is not installed (make deps EXTRA_PKGS=openssh-server)"
	exit 0
elif [ -z "$libgit2" ] || ! ldd "$libgit2" | grep -q libssh2; then
	skip fetch_ssh "this libgit2 ($libgit2) is built without ssh (libssh2)"
	exit 0
elif [ "$(id -u)" != 0 ]; then
	skip fetch_ssh "sshd needs root for its privilege separation"
	exit 0
fi
[ -d /run/sshd ] || mkdir -m 0755 /run/sshd
# libgit2 1.5.1's ssh transport leaks on every connection (see the file); the sanitizer build
# would otherwise fail every ssh fetch (libgit2 has no frame pointers: the slow unwinder finds
# the frames the suppressions name)
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0
export LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$FETCH_LIB_DIR/libgit2_ssh.supp:print_suppressions=0

S=$T/ssh
mkdir -p "$S" && chmod 0700 "$S"
for k in host other client stranger; do ssh-keygen -q -t ed25519 -N '' -C "$k" -f "$S/$k"; done
chmod 0600 "$S"/host "$S"/other "$S"/client "$S"/stranger
USER_NAME=$(id -un)
echo "restrict,command=\"git-shell -c \\\"\$SSH_ORIGINAL_COMMAND\\\"\" $(cat "$S/client.pub")" >"$S/authorized_keys"

honest_port "$T/work" && commit_repo "$T/work"
HEAD_ID=$(git -C "$T/work" rev-parse HEAD)
mkdir -p "$T/srv" && git clone -q --bare "$T/work" "$T/srv/learner.git"

# start_sshd: sshd -D on a free port with the test's configuration; sets PORT.
start_sshd() {
	local try
	for try in 1 2 3; do
		PORT=$(free_port)
		cat >"$S/sshd_config" <<-EOF
			ListenAddress 127.0.0.1:$PORT
			HostKey $S/host
			PidFile $S/sshd.pid
			AuthorizedKeysFile $S/authorized_keys
			AuthenticationMethods publickey
			PasswordAuthentication no
			KbdInteractiveAuthentication no
			PermitRootLogin prohibit-password
			UsePAM no
			StrictModes no
			LogLevel DEBUG1
		EOF
		"$SSHD" -D -f "$S/sshd_config" -E "$S/sshd.log" &
		SERVER_PIDS+=($!)
		wait_port "$PORT" && return 0
	done
	return 1
}
# start_agent: an ssh-agent on a socket in the test's folder; exports SSH_AUTH_SOCK.
start_agent() {
	local i
	ssh-agent -D -a "$S/agent.sock" >"$S/agent.out" 2>&1 &
	SERVER_PIDS+=($!)
	for i in $(seq 1 50); do [ -S "$S/agent.sock" ] && break; sleep 0.1; done
	export SSH_AUTH_SOCK=$S/agent.sock
	[ -S "$S/agent.sock" ]
}

n=0
# fetch ARGS...: grader fetch ARGS into a fresh DEST; keeps the lines sshd logged meanwhile in
# $S/seen.log.
fetch() {
	local mark
	n=$((n + 1))
	DEST=$T/dest.$n
	mark=$(wc -l <"$S/sshd.log")
	run_grader fetch "$@" "$DEST"
	sleep 0.2 # sshd's last lines for the connection
	tail -n +$((mark + 1)) "$S/sshd.log" >"$S/seen.log"
}
workdirs() { ls -d "$DEST"/fetch-* 2>/dev/null; }
# no_key_offered NAME: the last fetch reached sshd and offered it no key.
no_key_offered() {
	if grep -q "Connection from 127.0.0.1" "$S/seen.log" && ! grep -q "method publickey" "$S/seen.log"; then
		ok "$1"
	else
		fail "$1" "sshd's log for that fetch:" "$(head -c 1500 "$S/seen.log")"
	fi
}
known() { echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$1")" >"$S/known_hosts"; }

if ! start_sshd; then
	fail fetch_ssh_sshd_started "$(cat "$S/sshd.log" 2>/dev/null)"
	exit 0
fi
if ! start_agent; then
	fail fetch_ssh_agent_started "$(cat "$S/agent.out")"
	exit 0
fi
ssh-add -q "$S/client" 2>"$S/add.err" || fail fetch_ssh_key_added "$(cat "$S/add.err")"
export GRADER_SSH_KNOWN_HOSTS=$S/known_hosts
URL=ssh://$USER_NAME@127.0.0.1:$PORT$T/srv/learner.git

# --- the course's server, its key known, the agent's key accepted --------------------------------
known "$S/host.pub"
fetch "$URL" --token-host 127.0.0.1
expect fetch_ssh_clone 0
check fetch_ssh_commit test "$(json_get "$T/out" "j['commit']['id']") $(json_get "$T/out" "j['kind']")" = "$HEAD_ID url"
check fetch_ssh_tree_content cmp "$(json_get "$T/out" "j['tree']")/ex4/rust/src/main.rs" "$T/work/ex4/rust/src/main.rs"
check fetch_ssh_key_accepted grep -q "Accepted publickey for $USER_NAME" "$S/seen.log"

run_grader grade "$URL" --token-host 127.0.0.1 --learner alice --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect fetch_ssh_grade 0
check_exercise fetch_ssh_grade_port_graded "$T/r/alice/report.json" ch01-ex4 'c["correctness"]["status"] == "pass"'

# --- host keys: another key listed, and none -----------------------------------------------------
known "$S/other.pub"
fetch "$URL" --token-host 127.0.0.1
expect fetch_ssh_host_key_mismatch 3 "the ssh host key of \[127.0.0.1\]:$PORT does not match the one $S/known_hosts lists for it: refused, and no credential was offered"
check fetch_ssh_host_key_mismatch_is_network test "$(json_get "$T/out" "j['error']")" = network
no_key_offered fetch_ssh_host_key_mismatch_offers_no_key
check fetch_ssh_host_key_mismatch_leaves_no_workdir test -z "$(workdirs)"
: >"$S/known_hosts"
fetch "$URL" --token-host 127.0.0.1
expect fetch_ssh_host_key_unknown 3 "the ssh host key of 127.0.0.1 is not in known_hosts"
no_key_offered fetch_ssh_host_key_unknown_offers_no_key

# --- keys: refused, no agent, a host that is not listed -------------------------------------------
known "$S/host.pub"
ssh-add -q -D 2>/dev/null && ssh-add -q "$S/stranger" 2>/dev/null
fetch "$URL" --token-host 127.0.0.1
expect fetch_ssh_key_refused 3 "the ssh server 127.0.0.1 refused the ssh agent's keys for the user '$USER_NAME'"
check fetch_ssh_key_refused_is_auth test "$(json_get "$T/out" "j['error']")" = auth
check fetch_ssh_key_refused_by_sshd grep -q "Failed publickey for $USER_NAME" "$S/seen.log"
check fetch_ssh_key_refused_not_accepted sh -c "! grep -q 'Accepted publickey' '$S/seen.log'"
check fetch_ssh_key_refused_leaves_no_workdir test -z "$(workdirs)"
run_grader grade "$URL" --token-host 127.0.0.1 --learner bob --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect fetch_ssh_grade_key_refused_is_ours 3 "refused the ssh agent's keys"

ssh-add -q -D 2>/dev/null && ssh-add -q "$S/client" 2>/dev/null
(
	unset SSH_AUTH_SOCK
	fetch "$URL" --token-host 127.0.0.1
	expect fetch_ssh_no_agent 3 "no ssh agent is running \(SSH_AUTH_SOCK is not set\)"
	no_key_offered fetch_ssh_no_agent_offers_no_key
)
fetch "$URL"
expect fetch_ssh_unlisted_host 3 "the ssh server 127.0.0.1 wants a key, and it is not a token host"
no_key_offered fetch_ssh_unlisted_host_offers_no_key

# the accepted key again, after all that: the server and the agent still answer
fetch "$URL" --token-host 127.0.0.1
expect fetch_ssh_clone_again 0
stop_servers
