# tests/e2e/fetch_memory.sh: the transfer child's memory cap. A repository whose pack is a few
# hundred bytes holds a delta that expands a 64 KiB blob of zeros into 1.5 GiB
# (tests/fetch/delta_bomb.py writes the pack and its index by hand). Fetched over git://, http
# and file://, it must fail as the learner's error ("needs more than 1GiB to unpack (memory
# limit)", exit 1, error "limit") while the grader and its children stay small, and leave no work
# directory. Both bounds are exercised: libgit2's object size bound (the sanitizer build has only
# that one) and, with it turned off (GRADER_FETCH_NO_OBJECT_CAP), the release build's
# address-space limit. A normal repository still fetches under a small --max-memory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../fetch/lib.sh"

REL=${GRADER_REL:-}
SRV=$T/srv
mkdir -p "$SRV"
git init -q --bare "$SRV/bomb.git"
if ! python3 "$FETCH_LIB_DIR/delta_bomb.py" "$SRV/bomb.git" 1536 >"$T/bomb.out" 2>&1; then
	fail fetch_memory_bomb_built "$(cat "$T/bomb.out")"
	exit 0
fi
read -r _ BIG PACK_BYTES <"$T/bomb.out"
check fetch_memory_bomb_is_small_and_big test "$PACK_BYTES" -lt 1000 -a \
	"$(git -C "$SRV/bomb.git" cat-file -s "$BIG")" = $((1536 << 20))
W=$T/work
new_repo "$W" && mkdir -p "$W/src" && printf 'fn main() {}\n' >"$W/src/main.rs"
head -c 2000000 /dev/urandom >"$W/data.bin" && commit_at "$W" "2026-01-10T12:00:00+00:00" "first"
git clone -q --bare "$W" "$SRV/plain.git"

n=0
# fetch_with GRADER ARGS...: `GRADER fetch ARGS DEST` under /usr/bin/time; $rss: the largest
# resident set of the grader and its children, in KiB.
fetch_with() {
	local g=$1
	shift
	n=$((n + 1))
	DEST=$T/dest.$n
	/usr/bin/time -f '%M' -o "$T/rss" "$g" fetch "$@" "$DEST" >"$T/out" 2>"$T/err"
	rc=$?
	rss=$(tail -n 1 "$T/rss")
}
workdirs() { ls -d "$DEST"/fetch-* 2>/dev/null; }
# refused NAME MEMORY: the last fetch failed for memory, as the learner's error, with the grader's
# tree under 300 MiB resident and no work directory left.
refused() {
	expect "$1" 1 "the repository needs more than $2 to unpack \(memory limit\)"
	check "$1: error limit" test "$(json_get "$T/out" "j['error']")" = limit
	check "$1: host unharmed (max RSS ${rss} KiB)" test "$rss" -lt $((300 << 10))
	check "$1: no work directory left" test -z "$(workdirs)"
}

if start_daemon "$SRV"; then
	URL=git://127.0.0.1:$DAEMON_PORT/bomb.git
	fetch_with "$GRADER" "$URL"
	refused fetch_memory_git_daemon 1GiB
	check fetch_memory_object_bound_named grep -q "overly large object" "$T/err"
	fetch_with "$GRADER" "git://127.0.0.1:$DAEMON_PORT/plain.git" --max-memory 64MiB
	expect fetch_memory_small_cap_fetches_a_normal_repository 0
	if [ -x "$REL" ]; then
		fetch_with "$REL" "$URL"
		refused fetch_memory_release_build 1GiB
		GRADER_FETCH_NO_OBJECT_CAP=1 fetch_with "$REL" "$URL"
		refused fetch_memory_release_address_space_limit 1GiB
		check fetch_memory_address_space_limit_named grep -q "Out of memory" "$T/err"
		GRADER_FETCH_NO_OBJECT_CAP=1 fetch_with "$REL" "$URL" --max-memory 64MiB
		refused fetch_memory_release_small_cap 64.0MiB
		fetch_with "$REL" "git://127.0.0.1:$DAEMON_PORT/plain.git" --max-memory 64MiB
		expect fetch_memory_release_small_cap_fetches_a_normal_repository 0
		check fetch_memory_release_normal_repository_content cmp "$(json_get "$T/out" "j['tree']")/data.bin" "$W/data.bin"
	else
		skip fetch_memory_release_build "no release build at \$GRADER_REL (make bin/grader)"
	fi
	stop_servers
else
	fail fetch_memory_git_daemon_started "git daemon did not listen: $(cat "$T/daemon.log")"
fi

if start_server http --root "$SRV"; then
	fetch_with "$GRADER" "http://127.0.0.1:$SERVER_PORT/bomb.git"
	refused fetch_memory_http 1GiB
	stop_servers
else
	fail fetch_memory_http_server_started "$(cat "$T/server.log")"
fi

fetch_with "$GRADER" "file://$SRV/bomb.git"
refused fetch_memory_file_url 1GiB

# grader grade: the report gives the reason as the submission's error
mkdir -p "$T/w" "$T/r"
run_grader grade "file://$SRV/bomb.git" --learner bomb --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect fetch_memory_grade_learners_error 1 "memory limit"
check fetch_memory_grade_report test "$(json_get "$T/r/bomb/report.json" \
	"'memory limit' in (j['submission']['error'] or '') and not j['errors']")" = True
check fetch_memory_grade_leaves_no_work_directory test -z "$(find "$T/w" -name 'fetch-*' 2>/dev/null)"
