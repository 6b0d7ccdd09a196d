# tests/fetch/lib.sh: helpers for the fetch tests (source after tests/e2e/lib.sh): repositories built
# with the git command line, and servers on 127.0.0.1 that the test starts and stops itself.
FETCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SERVER_PIDS=()
stop_servers() {
	local p
	for p in "${SERVER_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${SERVER_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	SERVER_PIDS=()
}
trap 'stop_servers; rm -rf "$T"' EXIT

export GIT_AUTHOR_NAME="Ada Learner" GIT_AUTHOR_EMAIL="ada@example.org"
export GIT_COMMITTER_NAME="Ada Learner" GIT_COMMITTER_EMAIL="ada@example.org"
export GIT_CONFIG_NOSYSTEM=1 HOME=$T/home
mkdir -p "$HOME"
unset GRADER_GIT_TOKEN

# new_repo DIR: an empty repository whose default branch is main.
new_repo() { git init -q -b main "$1"; }

# commit_at DIR DATE MSG: commits everything in DIR with author and committer date DATE.
commit_at() {
	git -C "$1" add -A && GIT_AUTHOR_DATE=$2 GIT_COMMITTER_DATE=$2 git -C "$1" commit -q --allow-empty -m "$3"
}

# commit_tree DIR TREE [MSG]: makes TREE (an object id) the tip of main, without any checkout.
commit_tree() {
	local c
	c=$(git -C "$1" commit-tree "$2" -m "${3:-hostile}") && git -C "$1" update-ref refs/heads/main "$c"
}

# json_get FILE EXPR: prints a value from a JSON file (EXPR in Python, the object is `j`).
json_get() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null; }

# wait_port PORT: waits up to 10 s until something listens on 127.0.0.1:PORT.
wait_port() {
	local i
	for i in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_daemon BASE: serves the bare repositories under BASE with git daemon; sets DAEMON_PORT.
start_daemon() {
	local try
	for try in 1 2 3; do
		DAEMON_PORT=$(free_port)
		git daemon --reuseaddr --base-path="$1" --export-all --listen=127.0.0.1 --port="$DAEMON_PORT" \
			"$1" >"$T/daemon.log" 2>&1 &
		SERVER_PIDS+=($!)
		wait_port "$DAEMON_PORT" && return 0
	done
	return 1
}

# start_server MODE ARGS...: starts tests/fetch/server.py; sets SERVER_PORT.
start_server() {
	local pf="$T/port.$RANDOM" i
	python3 "$FETCH_LIB_DIR/server.py" "$@" --port-file "$pf" >"$T/server.log" 2>&1 &
	SERVER_PIDS+=($!)
	for i in $(seq 1 100); do
		[ -s "$pf" ] && { SERVER_PORT=$(cat "$pf"); return 0; }
		sleep 0.1
	done
	return 1
}

# check NAME CONDITION-COMMAND...: ok when the command succeeds, else not ok with the last run.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else
		fail "$name" "failed: $*" "stdout: $(head -c 600 "$T/out")" "stderr: $(head -c 600 "$T/err")"
	fi
}
