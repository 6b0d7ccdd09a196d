#!/usr/bin/env bash
# Integrity: GRADER_GIT_TOKEN goes only to the hosts the instructor lists (--token-host, or
# GRADER_TOKEN_HOSTS). A roster row that points at a server the learner runs, which asks for
# credentials to record them, receives no Authorization header; the grade is the learner's error
# (exit 1, the reason in the report), not an infrastructure error. Listed, the private repository
# is graded as before. Plain http never carries the token, except to a listed loopback address.
. "$(dirname "$0")/../e2e/lib.sh"
real_home=$HOME
. "$(dirname "$0")/../fetch/lib.sh"
export HOME=$real_home # fetch/lib.sh's empty HOME hides the Rust toolchain that grading needs
. "$(dirname "$0")/repo.sh"

TOKEN="tok-$RANDOM$RANDOM-instructor-only"
honest_port "$T/work" && commit_repo "$T/work"
mkdir -p "$T/srv" && git clone -q --bare "$T/work" "$T/srv/learner.git"

# The learner's server: answers every request with 401 and a Basic challenge, and writes down the
# Authorization header of each request it receives ("-" when there is none).
cat >"$T/thief.py" <<'PY'
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
log, port_file, host = sys.argv[1], sys.argv[2], sys.argv[3]
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        with open(log, "a") as f:
            f.write((self.headers.get("Authorization") or "-") + "\n")
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="give me your token"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    do_POST = do_GET
s = ThreadingHTTPServer((host, 0), H)
open(port_file + ".tmp", "w").write(str(s.server_address[1]))
import os; os.rename(port_file + ".tmp", port_file)
s.serve_forever()
PY
start_thief() {
	local i
	python3 "$T/thief.py" "$T/auth.log" "$T/thief.port" 127.0.0.1 >"$T/thief.err" 2>&1 &
	SERVER_PIDS+=($!)
	for i in $(seq 1 100); do [ -s "$T/thief.port" ] && { THIEF=$(cat "$T/thief.port"); return 0; }; sleep 0.1; done
	return 1
}
no_auth_received() { # NAME
	if [ -s "$T/auth.log" ] && ! grep -qv '^-$' "$T/auth.log"; then
		ok "$1"
	else
		fail "$1" "auth.log: $(head -c 400 "$T/auth.log" 2>&1)"
	fi
}
learners_error() { # NAME REPORT
	if [ "$(report_field "$2" '"not a token host" in (r["submission"]["error"] or "") and not r["errors"]')" = True ]; then
		ok "$1"
	else
		fail "$1" "$(head -c 1200 "$2")"
	fi
}

if start_thief; then
	URL=http://127.0.0.1:$THIEF/learner.git
	GRADER_GIT_TOKEN=$TOKEN run_grader grade "$URL" --learner mallory --work "$T/w" --reports "$T/r" --only ex4 --no-perf
	expect "an unlisted host that asks for credentials is the learner's error" 1 "127.0.0.1 asks for credentials, and it is not a token host"
	no_auth_received "the unlisted host received requests, and no Authorization header"
	learners_error "the report gives the reason as the submission's error" "$T/r/mallory/report.json"
	no_secret "the token is in no report, summary or message" "$TOKEN" "$T/r" "$T/out" "$T/err"

	# another host listed does not make this one a token host
	: >"$T/auth.log"
	GRADER_GIT_TOKEN=$TOKEN GRADER_TOKEN_HOSTS=git.example.edu run_grader grade "$URL" --learner mallory2 \
		--token-host example.org --work "$T/w" --reports "$T/r" --only ex4 --no-perf
	expect "listing other hosts does not make the learner's host one" 1 "not a token host"
	no_auth_received "the learner's host still received no Authorization header"

	# plain http to a name (not a literal loopback address) never carries the token, listed or not
	: >"$T/auth.log"
	GRADER_GIT_TOKEN=$TOKEN run_grader grade "http://localhost:$THIEF/learner.git" --learner mallory3 \
		--token-host localhost --work "$T/w" --reports "$T/r" --only ex4 --no-perf
	expect "a listed host over plain http gets no token (only a literal loopback address may)" 1 "never sent over plain http"
	no_auth_received "plain http: no Authorization header"

	# a roster row pointing at the learner's server: that learner's error, the batch goes on
	: >"$T/auth.log"
	printf 'learner,source\nmallory,%s\nhonest,%s\n' "$URL" "$T/work" >"$T/roster.csv"
	GRADER_GIT_TOKEN=$TOKEN run_grader batch --no-perf --only ex4 --reports "$T/rb" --work "$T/wb" "$T/roster.csv"
	expect "batch: the row that points at the learner's server is not an infrastructure error" 0 '^2 learners: .*, 0 with errors;'
	expect "batch: that learner is listed as not graded, the submission's error" 0 "mallory +not graded: the submission's error"
	no_auth_received "batch: the learner's server received no Authorization header"
	learners_error "batch: that learner's report gives the reason" "$T/rb/mallory/report.json"
	no_secret "batch: the token is in no report or message" "$TOKEN" "$T/rb" "$T/out" "$T/err"
	stop_servers
else
	fail "the learner's server started" "$(cat "$T/thief.err")"
fi

# The control: the course's own server, listed, receives the token and the repository is graded.
if start_server http --root "$T/srv" --token "$TOKEN" --attempts-file "$T/attempts"; then
	URL=http://127.0.0.1:$SERVER_PORT/learner.git
	GRADER_GIT_TOKEN=$TOKEN run_grader grade "$URL" --learner alice --token-host 127.0.0.1 --work "$T/w" --reports "$T/r" --only ex4 --no-perf
	expect "a listed loopback host receives the token: the private repository is graded" 0
	check_exercise "the private repository's port is graded" "$T/r/alice/report.json" ch01-ex4 'c["correctness"]["status"] == "pass"'
	no_secret "the token is in no report, summary or message (listed host)" "$TOKEN" "$T/r" "$T/out" "$T/err"
	printf 'learner,source\nbob,%s\n' "$URL" >"$T/roster2.csv"
	GRADER_GIT_TOKEN=$TOKEN run_grader batch --token-host 127.0.0.1 --no-perf --only ex4 --reports "$T/rb2" --work "$T/wb" "$T/roster2.csv"
	expect "batch passes --token-host to each learner's grading" 0 'bob +passed'
	# the same server, not listed: no token, and the learner's error
	rm -f "$T/attempts"
	GRADER_GIT_TOKEN=$TOKEN run_grader grade "$URL" --learner carol --work "$T/w" --reports "$T/r" --only ex4 --no-perf
	expect "the same server unlisted gets no token" 1 "not a token host"
	if [ ! -e "$T/attempts" ]; then ok "the unlisted server was offered no credentials"; else fail "the unlisted server was offered no credentials" "attempts: $(cat "$T/attempts")"; fi
	stop_servers
else
	fail "the course's server started" "$(cat "$T/server.log")"
fi
