# tests/e2e/fetch_net.sh: `grader fetch` over the network, against servers this test starts on
# 127.0.0.1 and stops: git daemon, git http-backend (with and without credentials), a server that
# stalls, a port that refuses, a TLS server with a self-signed certificate.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../fetch/lib.sh"

n=0
fetch() { n=$((n + 1)); DEST=$T/dest.$n; run_grader fetch "$@" "$DEST"; }
workdirs() { ls -d "$DEST"/fetch-* 2>/dev/null; }
# elapsed SECONDS CMD...: runs CMD and sets $took to the whole seconds it took
timed() { local s; s=$(date +%s.%N); "$@"; took=$(python3 -c "print(int($(date +%s.%N) - $s))"); }

SRV=$T/srv
mkdir -p "$SRV"
W=$T/work
new_repo "$W"
mkdir -p "$W/src" && printf 'fn main() {}\n' >"$W/src/main.rs"
commit_at "$W" "2026-01-10T12:00:00+00:00" "first"
FIRST=$(git -C "$W" rev-parse HEAD)
git -C "$W" tag v1
echo 2 >"$W/src/two.rs" && commit_at "$W" "2026-03-01T12:00:00+00:00" "second"
SECOND=$(git -C "$W" rev-parse HEAD)
git clone -q --bare "$W" "$SRV/course.git"
# a repository whose default branch (HEAD) has no commits, and an empty one
git clone -q --bare "$W" "$SRV/unborn.git" && git -C "$SRV/unborn.git" symbolic-ref HEAD refs/heads/nothing
git init -q --bare "$SRV/empty.git"
# a repository too big for a small transfer limit (random data does not compress)
BIGW=$T/bigw
new_repo "$BIGW" && head -c 300000 /dev/urandom >"$BIGW/noise" && commit_at "$BIGW" "2026-01-01T00:00:00Z" "noise"
git clone -q --bare "$BIGW" "$SRV/big.git"

# --- git daemon ---------------------------------------------------------------------------------
if start_daemon "$SRV"; then
	URL=git://127.0.0.1:$DAEMON_PORT/course.git
	fetch "$URL"
	expect fetch_git_daemon_clone 0
	TREE=$(json_get "$T/out" "j['tree']")
	check fetch_git_daemon_default_branch test "$(json_get "$T/out" "j['commit']['id']") $(json_get "$T/out" "j['ref']")" = "$SECOND refs/heads/main"
	check fetch_git_daemon_tree_content cmp "$TREE/src/main.rs" "$W/src/main.rs"
	check fetch_git_daemon_counts_transfer test "$(json_get "$T/out" "j['transfer_bytes'] > 0")" = True
	check fetch_git_daemon_drops_objects test ! -e "$(dirname "$TREE")/repo.git"
	fetch "$URL" --ref v1
	check fetch_git_daemon_tag test "$(json_get "$T/out" "j['commit']['id']")" = "$FIRST"
	fetch "$URL" --deadline 2026-02-01T00:00:00+01:00
	check fetch_git_daemon_deadline test "$(json_get "$T/out" "j['commit']['id']") $(json_get "$T/out" "j['late']")" = "$FIRST True"
	fetch "git://127.0.0.1:$DAEMON_PORT/unborn.git"
	expect fetch_git_daemon_unborn_default_branch 1 "has no commits; name a branch with --ref \(branches: main\)"
	fetch "git://127.0.0.1:$DAEMON_PORT/unborn.git" --ref main
	expect fetch_git_daemon_unborn_with_ref 0
	fetch "git://127.0.0.1:$DAEMON_PORT/empty.git"
	expect fetch_git_daemon_empty_repository 1 "the repository is empty"
	fetch "git://127.0.0.1:$DAEMON_PORT/nosuch.git"
	expect fetch_git_daemon_missing_repository 3 "clone of git://127.0.0.1:$DAEMON_PORT/nosuch.git: "
	check fetch_network_failure_removes_workdir test -z "$(workdirs)"
	fetch "git://127.0.0.1:$DAEMON_PORT/big.git" --max-transfer 64KiB
	expect fetch_transfer_limit 1 "more than 64.0KiB received \(transfer limit\)"
	check fetch_transfer_limit_removes_workdir test -z "$(workdirs)"
	check fetch_transfer_limit_is_a_limit test "$(json_get "$T/out" "j['error']")" = limit
	stop_servers
else
	fail fetch_git_daemon_started "git daemon did not listen: $(cat "$T/daemon.log")"
fi

# --- file:// goes through the same child process --------------------------------------------------
fetch "file://$SRV/course.git"
expect fetch_file_url 0
check fetch_file_url_commit test "$(json_get "$T/out" "j['commit']['id']") $(json_get "$T/out" "j['kind']")" = "$SECOND url"

# --- http: git http-backend, open and with credentials -------------------------------------------
if start_server http --root "$SRV"; then
	fetch "http://127.0.0.1:$SERVER_PORT/course.git"
	expect fetch_http_backend_clone 0
	check fetch_http_backend_commit test "$(json_get "$T/out" "j['commit']['id']")" = "$SECOND"
	stop_servers
else
	fail fetch_http_server_started "$(cat "$T/server.log")"
fi

TOKEN="tok-$RANDOM$RANDOM-very-secret"
if start_server http --root "$SRV" --token "$TOKEN" --attempts-file "$T/attempts"; then
	URL=http://127.0.0.1:$SERVER_PORT/course.git
	fetch "$URL"
	expect fetch_auth_unlisted_host_is_the_sources 1 "127.0.0.1 asks for credentials, and it is not a token host"
	GRADER_GIT_TOKEN=$TOKEN fetch "$URL"
	expect fetch_auth_token_not_sent_to_unlisted_host 1 "127.0.0.1 asks for credentials, and it is not a token host"
	check fetch_auth_unlisted_host_saw_no_token test ! -e "$T/attempts"
	fetch "$URL" --token-host 127.0.0.1
	expect fetch_auth_without_token 3 "the server asks for credentials; set GRADER_GIT_TOKEN"
	GRADER_GIT_TOKEN="wrong-$TOKEN" fetch "$URL" --token-host 127.0.0.1
	expect fetch_auth_wrong_token 3 "the server rejected the token from GRADER_GIT_TOKEN \(tried twice\)"
	check fetch_auth_token_never_printed sh -c "! grep -q -- 'wrong-$TOKEN' '$T/out' '$T/err'"
	check fetch_auth_gives_up_after_one_retry test "$(cat "$T/attempts")" = 2
	GRADER_GIT_TOKEN="wrong-$TOKEN" fetch "http://user:wrong-$TOKEN@127.0.0.1:$SERVER_PORT/course.git" --token-host 127.0.0.1
	check fetch_auth_url_password_never_printed sh -c "! grep -q -- 'wrong-$TOKEN' '$T/out' '$T/err' && grep -q 'user:\*\*\*@' '$T/out'"
	# a redirect to another host (127.0.0.2) that asks for credentials never receives the token:
	# not when it is unlisted (the source's error), not when it is listed too (only the URL's host)
	if start_server http --host 127.0.0.2 --root "$SRV" --token "$TOKEN" --attempts-file "$T/attempts2" &&
		start_server redirect --to "http://127.0.0.2:$SERVER_PORT"; then
		GRADER_GIT_TOKEN=$TOKEN fetch "http://127.0.0.1:$SERVER_PORT/course.git" --token-host 127.0.0.1
		expect fetch_auth_token_not_sent_after_redirect 1 "127.0.0.2 asks for credentials, and it is not a token host"
		GRADER_GIT_TOKEN=$TOKEN GRADER_TOKEN_HOSTS=127.0.0.1,127.0.0.2 fetch "http://127.0.0.1:$SERVER_PORT/course.git"
		expect fetch_auth_token_not_sent_after_redirect_to_listed_host 3 "credentials requested by another host \(127.0.0.2"
		check fetch_auth_redirect_target_saw_no_token test ! -s "$T/attempts2"
	else
		fail fetch_redirect_server_started "$(cat "$T/server.log")"
	fi
	GRADER_GIT_TOKEN=$TOKEN fetch "$URL" --token-host 127.0.0.1
	expect fetch_auth_with_token 0
	check fetch_auth_with_token_commit test "$(json_get "$T/out" "j['commit']['id']")" = "$SECOND"
	check fetch_auth_good_token_never_printed sh -c "! grep -q -- '$TOKEN' '$T/out' '$T/err'"
	GRADER_GIT_TOKEN=$TOKEN GRADER_TOKEN_HOSTS="example.org, 127.0.0.1" fetch "$URL"
	expect fetch_auth_token_hosts_from_environment 0
	stop_servers
else
	fail fetch_auth_server_started "$(cat "$T/server.log")"
fi

# --- a server that accepts and never answers; a port that refuses -------------------------------
if start_server stall; then
	timed fetch "http://127.0.0.1:$SERVER_PORT/course.git" --stall-time 2s
	expect fetch_stall_limit 3 "no progress for 2.00s \(stall limit\)"
	check fetch_stall_limit_holds test "$took" -lt 30
	check fetch_stall_is_not_the_learners test "$(json_get "$T/out" "j['error']")" = timeout
	timed fetch "git://127.0.0.1:$SERVER_PORT/course.git" --stall-time 60s --total-time 2s
	expect fetch_total_time_limit 3 "took longer than 2.00s \(total time limit\)"
	check fetch_total_time_limit_holds test "$took" -lt 30
	check fetch_killed_transfer_leaves_no_process sh -c "! pgrep -f -- '[-]-transfer-child git://127.0.0.1:$SERVER_PORT/' >/dev/null"
	stop_servers
else
	fail fetch_stall_server_started "$(cat "$T/server.log")"
fi
PORT=$(free_port)
fetch "git://127.0.0.1:$PORT/course.git"
expect fetch_connection_refused 3 "clone of git://127.0.0.1:$PORT/course.git: .*(refused|connect)"

# --- TLS with a certificate nobody signed ---------------------------------------------------------
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 && start_server tls --cert "$T/cert.pem" --key "$T/key.pem"; then
	GRADER_GIT_TOKEN=$TOKEN fetch "https://127.0.0.1:$SERVER_PORT/course.git"
	expect fetch_self_signed_certificate_refused 3 "clone of https://127.0.0.1:$SERVER_PORT/course.git: .*certificate"
	check fetch_tls_token_never_printed sh -c "! grep -q -- '$TOKEN' '$T/out' '$T/err'"
	stop_servers
else
	fail fetch_tls_server_started "$(cat "$T/server.log")"
fi
