#!/usr/bin/env bash
# Integrity: a local repository that borrows another repository's objects is refused, for every
# way libgit2 would follow: objects/info/alternates, a .git file that points at another
# repository, a symbolic link in the git directory, and a file:// URL of such a repository.
# Without the refusal, the other repository's commit was graded under this learner's name.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"

# The other learner's honest work, and a borrower whose main names a commit that only exists there.
honest_port "$T/other"
commit_repo "$T/other" "the other learner's port"
OTHER=$(git -C "$T/other" rev-parse HEAD)
borrower() {
	rm -rf "$1"
	git init -q -b main "$1"
}

# --- objects/info/alternates ---------------------------------------------------------------------
borrower "$T/alt"
echo "$T/other/.git/objects" >"$T/alt/.git/objects/info/alternates"
git -C "$T/alt" update-ref refs/heads/main "$OTHER"
run_grader grade "$T/alt" --learner alt --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "alternates are refused as the learner's error, naming the file" 1 \
	"$T/alt/.git/objects/info/alternates borrows objects from other repositories; the grader refuses alternates"
if [ "$(report_field "$T/r/alt/report.json" 'r["submission"]["commit"]')" = None ] &&
	[ "$(report_field "$T/r/alt/report.json" 'len(r["exercises"])')" = 0 ]; then
	ok "the borrowed commit is not graded"
else
	fail "the borrowed commit is not graded" "$(head -c 800 "$T/r/alt/report.json")"
fi
check_error() {
	if [ "$(report_field "$1" '"alternates" in (r["submission"]["error"] or "") and not r["errors"]')" = True ]; then
		ok "$2"
	else
		fail "$2" "$(head -c 1200 "$1")"
	fi
}
check_error "$T/r/alt/report.json" "the report says why, as the submission's error, not an infrastructure error"

# The same repository named by a file:// URL goes through libgit2's local transport, which opens
# it on this host, alternates and all.
run_grader grade "file://$T/alt" --learner altfile --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "a file:// URL of a repository with alternates is refused" 1 "objects/info/alternates borrows objects"
run_grader fetch "file://$T/alt/.git" "$T/dest"
expect "grader fetch refuses it too, and says it was refused" 1 '"error":[[:space:]]*"refused"'

# An empty alternates file borrows nothing, but it is refused just the same: the grader does not
# parse what libgit2 would follow.
borrower "$T/alt2"
: >"$T/alt2/.git/objects/info/alternates"
honest_port "$T/alt2" && git -C "$T/alt2" add -A && git -C "$T/alt2" -c user.name=L -c user.email=l@e commit -qm own
run_grader grade "$T/alt2" --learner alt2 --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "any alternates file is refused" 1 "alt2/.git/objects/info/alternates"

# --- a .git file (gitdir: elsewhere) --------------------------------------------------------------
mkdir -p "$T/gitfile"
echo "gitdir: $T/other/.git" >"$T/gitfile/.git"
run_grader grade "$T/gitfile" --learner gitfile --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "a .git file pointing at another repository is refused" 1 \
	"its git directory is $T/other/.git, outside it"

# --- a symbolic link in the git directory (the object database borrowed through a link) ----------
borrower "$T/linked"
rm -rf "$T/linked/.git/objects"
ln -s "$T/other/.git/objects" "$T/linked/.git/objects"
git -C "$T/linked" update-ref refs/heads/main "$OTHER" 2>/dev/null ||
	printf '%s\n' "$OTHER" >"$T/linked/.git/refs/heads/main"
run_grader grade "$T/linked" --learner linked --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "a link in the git directory is refused, naming it" 1 \
	"'objects' in the git directory .* is a symbolic link to '$T/other/.git/objects'"

# --- the controls: the other repository itself, and a clone without alternates -------------------
run_grader grade "$T/other" --learner other --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "the lender itself is graded" 0
git clone -q --no-local "$T/other" "$T/copy"
run_grader grade "$T/copy" --learner copy --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "a self-contained clone of it is graded" 0
# git clone --shared writes alternates: refused, with the fix in the message
git clone -q --shared "$T/other" "$T/shared"
run_grader grade "$T/shared" --learner shared --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "a clone made with --shared is refused, and the message says how to fix it" 1 "git repack -a -d"
