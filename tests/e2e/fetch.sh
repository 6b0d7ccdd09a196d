# tests/e2e/fetch.sh: `grader fetch` on local repositories and directories, including hostile ones.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../fetch/lib.sh"

# fetch_ok NAME ARGS...: runs grader fetch into a fresh DEST ($T/dest.N); JSON in $T/out.
n=0
fetch() { n=$((n + 1)); DEST=$T/dest.$n; run_grader fetch "$@" "$DEST"; }
# the one work directory a successful fetch made, or nothing
workdirs() { ls -d "$DEST"/fetch-* 2>/dev/null; }

# --- a normal repository: default branch, refs, exec bit, deadlines ---------------------------
R=$T/repo
new_repo "$R"
mkdir -p "$R/src"
printf 'fn main() {}\n' >"$R/src/main.rs"
printf '#!/bin/sh\n' >"$R/run.sh" && chmod +x "$R/run.sh"
commit_at "$R" "2026-01-10T12:00:00+00:00" "first"
FIRST=$(git -C "$R" rev-parse HEAD)
git -C "$R" tag -a v1 -m "version one"
printf 'fn main() { println!("2"); }\n' >"$R/src/main.rs"
commit_at "$R" "2026-03-01T12:00:00+00:00" "second"
SECOND=$(git -C "$R" rev-parse HEAD)
git -C "$R" checkout -q -b other
printf 'other\n' >"$R/other.txt"
commit_at "$R" "2026-02-01T12:00:00+00:00" "on other"
OTHER=$(git -C "$R" rev-parse HEAD)
git -C "$R" checkout -q main

fetch "$R"
expect fetch_local_default_branch 0
TREE=$(json_get "$T/out" "j['tree']")
check fetch_local_records_head_commit test "$(json_get "$T/out" "j['commit']['id']")" = "$SECOND"
check fetch_local_records_ref test "$(json_get "$T/out" "j['ref']")" = refs/heads/main
check fetch_local_records_author test "$(json_get "$T/out" "j['commit']['author']")" = "Ada Learner <ada@example.org>"
check fetch_local_records_committer_date test "$(json_get "$T/out" "j['commit']['date']")" = "2026-03-01T12:00:00+00:00"
check fetch_local_writes_the_commit_tree cmp "$TREE/src/main.rs" <(git -C "$R" show "$SECOND:src/main.rs")
check fetch_local_keeps_exec_bit test -x "$TREE/run.sh"
check fetch_local_tree_is_under_dest test "${TREE#"$DEST"/fetch-}" != "$TREE"
check fetch_local_leaves_source_alone test -z "$(git -C "$R" status --porcelain)"

fetch "$R" --ref v1
expect fetch_ref_annotated_tag 0
check fetch_ref_tag_peels_to_commit test "$(json_get "$T/out" "j['commit']['id']")" = "$FIRST"
check fetch_ref_tag_recorded test "$(json_get "$T/out" "j['ref']")" = refs/tags/v1
fetch "$R" --ref other
check fetch_ref_branch test "$(json_get "$T/out" "j['commit']['id']")" = "$OTHER"
fetch "$R" --ref "${FIRST:0:12}"
expect fetch_ref_commit_prefix 0
check fetch_ref_commit_recorded test "$(json_get "$T/out" "j['ref']")" = "$FIRST"
fetch "$R" --ref nosuch
expect fetch_ref_missing_names_branches 1 "no branch, tag or commit named 'nosuch' \(branches: .*main"
check fetch_failure_removes_workdir test -z "$(workdirs)"
fetch "$R" --ref "../../config"
expect fetch_ref_path_tricks_refused 1 "no branch, tag or commit named"

fetch "$R" --deadline 2026-02-01T00:00:00+01:00
expect fetch_deadline_picks_newest_before 0
check fetch_deadline_grades_first test "$(json_get "$T/out" "j['commit']['id']")" = "$FIRST"
check fetch_deadline_reports_late test "$(json_get "$T/out" "j['late']")" = True
# second commit 2026-03-01T12:00Z; deadline 2026-01-31T23:00Z: 28 days 13 hours later
check fetch_deadline_reports_how_late test "$(json_get "$T/out" "j['late_by_seconds']")" = $((28 * 86400 + 13 * 3600))
check fetch_deadline_names_newest test "$(json_get "$T/out" "j['newest_commit']")" = "$SECOND"
fetch "$R" --deadline 2026-03-01T12:00:00Z
check fetch_deadline_inclusive test "$(json_get "$T/out" "j['commit']['id']") $(json_get "$T/out" "j['late']")" = "$SECOND False"
fetch "$R" --deadline 2025-12-01T00:00:00Z
expect fetch_deadline_before_everything 1 "no commit on refs/heads/main is dated at or before the deadline"
fetch "$R" --deadline 2026-12-01T23:59:00
expect fetch_deadline_needs_offset 2 "not an ISO 8601 date-time with an offset"

# --- commits dated in the future ---------------------------------------------------------------
F=$T/future
new_repo "$F"
echo a >"$F/a" && commit_at "$F" "2026-11-01T10:00:00+00:00" "on time"
ONTIME=$(git -C "$F" rev-parse HEAD)
echo b >"$F/a" && commit_at "$F" "2099-01-01T00:00:00+00:00" "from the future"
fetch "$F" --deadline 2026-12-01T23:59:00+01:00
expect fetch_future_commit_is_late 0
check fetch_future_commit_not_graded test "$(json_get "$T/out" "j['commit']['id']") $(json_get "$T/out" "j['late']")" = "$ONTIME True"
fetch "$F"
check fetch_future_date_recorded_without_deadline test "$(json_get "$T/out" "j['commit']['date']")" = "2099-01-01T00:00:00+00:00"

# --- plain directory ----------------------------------------------------------------------------
P=$T/plain
mkdir -p "$P/src" && echo x >"$P/src/lib.rs"
fetch "$P"
expect fetch_plain_directory 0 "plain directory, not a git repository"
check fetch_plain_directory_in_place test "$(json_get "$T/out" "j['tree']")" = "$(realpath "$P")"
check fetch_plain_directory_no_commit test "$(json_get "$T/out" "j['commit']")" = None
check fetch_plain_directory_not_copied test -z "$(workdirs)"
fetch "$P" --deadline 2026-12-01T00:00:00Z
expect fetch_plain_directory_refuses_deadline 1 "has no commit dates"
fetch "$T/nowhere"
expect fetch_missing_source 1 "nowhere: no such directory or repository"

# --- symlinks -----------------------------------------------------------------------------------
S=$T/symlink-out
new_repo "$S"
echo ok >"$S/ok" && ln -s /etc/passwd "$S/passwd" && commit_at "$S" "2026-01-01T00:00:00Z" "link out"
fetch "$S"
expect fetch_symlink_to_etc_passwd_refused 1 "'passwd' is a symbolic link to '/etc/passwd', outside the tree"
check fetch_symlink_refused_writes_nothing test -z "$(workdirs)"
S2=$T/symlink-up
new_repo "$S2"
mkdir "$S2/d" && ln -s ../../secret "$S2/d/up" && commit_at "$S2" "2026-01-01T00:00:00Z" "link up"
fetch "$S2"
expect fetch_symlink_dotdot_refused 1 "'d/up' is a symbolic link to '../../secret', outside the tree"
S3=$T/symlink-in
new_repo "$S3"
mkdir "$S3/d" && echo data >"$S3/d/real" && ln -s ../d/real "$S3/d/alias" && commit_at "$S3" "2026-01-01T00:00:00Z" "link in"
fetch "$S3"
expect fetch_symlink_inside_neutralised 0 "symbolic link written as plain files"
TREE=$(json_get "$T/out" "j['tree']")
check fetch_symlink_is_plain_file test -f "$TREE/d/alias" -a ! -L "$TREE/d/alias"
check fetch_symlink_file_holds_target test "$(cat "$TREE/d/alias")" = ../d/real

# --- size and count caps: refused before anything is written -----------------------------------
B=$T/big
new_repo "$B"
BLOB=$(head -c 200000000 /dev/zero | git -C "$B" hash-object -w --stdin)
commit_tree "$B" "$(printf '100644 blob %s\tweights.bin\n' "$BLOB" | git -C "$B" mktree)"
start=$(date +%s)
fetch "$B"
expect fetch_200MB_file_refused 1 "file 'weights.bin' is 190.7MiB, more than 50.0MiB \(file size limit\)"
check fetch_200MB_file_refused_early test $(($(date +%s) - start)) -lt 20
check fetch_200MB_file_writes_nothing test -z "$(workdirs)"
fetch "$B" --max-file-size 1GiB --max-checkout 100MiB
expect fetch_checkout_size_limit 1 "more than 100.0MiB of files \(checkout size limit\)"

M=$T/many
new_repo "$M"
ONE=$(echo small | git -C "$M" hash-object -w --stdin)
SUB=$(for i in $(seq 1 1000); do printf '100644 blob %s\tf%04d\n' "$ONE" "$i"; done | git -C "$M" mktree)
TOP=$(for i in $(seq 1 100); do printf '040000 tree %s\td%03d\n' "$SUB" "$i"; done | git -C "$M" mktree)
commit_tree "$M" "$TOP"
check fetch_100000_files_repo_built test "$(git -C "$M" ls-tree -r main | wc -l)" = 100000
start=$(date +%s)
fetch "$M"
expect fetch_100000_files_refused 1 "more than 20000 files and directories \(file count limit\)"
check fetch_100000_files_refused_early test $(($(date +%s) - start)) -lt 20
check fetch_100000_files_writes_nothing test -z "$(workdirs)"
fetch "$M" --max-files 500
expect fetch_max_files_option 1 "more than 500 files and directories"

# --- submodules, LFS ----------------------------------------------------------------------------
SUBR=$T/subtarget
new_repo "$SUBR" && echo "SECRET-SUBMODULE-CONTENT" >"$SUBR/inside" && commit_at "$SUBR" "2026-01-01T00:00:00Z" "sub"
G=$T/withsub
new_repo "$G"
echo main >"$G/main.txt"
printf '[submodule "dep"]\n\tpath = dep\n\turl = file://%s\n' "$SUBR" >"$G/.gitmodules"
git -C "$G" add .gitmodules main.txt
git -C "$G" update-index --add --cacheinfo 160000 "$(git -C "$SUBR" rev-parse HEAD)" dep
GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git -C "$G" commit -q -m "with submodule"
fetch "$G"
expect fetch_submodule_reported 0 "submodules present \(dep\)"
TREE=$(json_get "$T/out" "j['tree']")
check fetch_submodule_dir_empty test -d "$TREE/dep" -a -z "$(ls -A "$TREE/dep")"
check fetch_submodule_not_fetched sh -c "! grep -rq SECRET-SUBMODULE-CONTENT '$DEST'"

L=$T/lfs
new_repo "$L"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%064d\nsize 123456789\n' 0 >"$L/model.bin"
printf '*.bin filter=lfs diff=lfs merge=lfs -text\n' >"$L/.gitattributes"
commit_at "$L" "2026-01-01T00:00:00Z" "lfs"
fetch "$L"
expect fetch_lfs_pointer_reported 0 "1 Git LFS pointer file found \(model.bin\)"
TREE=$(json_get "$T/out" "j['tree']")
check fetch_lfs_pointer_not_smudged grep -q "^version https://git-lfs" "$TREE/model.bin"

# --- hostile tree entries: .git components, case tricks, '..' and slashes in names --------------
marker=$T/hook-ran
H=$T/hooks
new_repo "$H"
HOOK=$(printf '#!/bin/sh\ntouch %s\n' "$marker" | git -C "$H" hash-object -w --stdin)
HOOKS=$(printf '100755 blob %s\tpost-checkout\n' "$HOOK" | git -C "$H" mktree)
# tree objects written byte by byte, since git mktree refuses these names
rawtree() { # NAME MODE OID -> a tree object with that single entry
	python3 -c 'import sys,binascii; sys.stdout.buffer.write(sys.argv[2].encode()+b" "+sys.argv[1].encode()+b"\0"+binascii.unhexlify(sys.argv[3]))' \
		"$1" "$2" "$3" | git -C "$H" hash-object -t tree -w --literally --stdin
}
DOTGIT_HOOKS=$(printf '040000 tree %s\thooks\n' "$HOOKS" | git -C "$H" mktree)
for variant in ".git" ".GIT" ".Git" ".git." "git~1"; do
	commit_tree "$H" "$(rawtree "$variant" 40000 "$DOTGIT_HOOKS")"
	fetch "$H"
	expect "fetch_refuses_tree_entry_${variant}_hooks" 1 "has a '.git' component \(in any case\); the grader refuses it"
done
commit_tree "$H" "$(rawtree ".git/hooks/post-checkout" 100755 "$HOOK")"
fetch "$H"
expect fetch_refuses_entry_named_dotgit_hooks_post_checkout 1 "has a '/' inside a name"
commit_tree "$H" "$(rawtree "$(printf 'a\nb')" 100644 "$HOOK")"
fetch "$H"
expect fetch_refuses_control_character_in_name 1 "'a b' has a control character in a name"
commit_tree "$H" "$(rawtree ".." 40000 "$HOOKS")"
fetch "$H"
expect fetch_refuses_dotdot_entry 1 "has a '.' or '..' component"
TWICE=$(python3 -c 'import sys,binascii; e=b"100755 run.sh\0"+binascii.unhexlify(sys.argv[1]); sys.stdout.buffer.write(e+e)' "$HOOK" |
	git -C "$H" hash-object -t tree -w --literally --stdin)
commit_tree "$H" "$TWICE"
fetch "$H"
expect fetch_refuses_name_listed_twice 1 "writing 'run.sh': the tree names it twice"
check fetch_name_listed_twice_leaves_nothing test -z "$(workdirs)"
check fetch_hostile_hook_never_ran test ! -e "$marker"
check fetch_hostile_writes_nothing test -z "$(ls -d "$T"/dest.*/fetch-*/tree/.git "$T"/dest.*/fetch-*/tree/.GIT 2>/dev/null)"
# and git itself refuses the same repository: the test builds what it claims to build
check fetch_hostile_repo_is_really_hostile sh -c "! git -C '$H' fsck --strict >/dev/null 2>&1"

# --- empty repository, unborn default branch ---------------------------------------------------
E=$T/empty
new_repo "$E"
fetch "$E"
expect fetch_empty_repository 1 "the repository is empty \(no commits\)"
U=$T/unborn
new_repo "$U"
git -C "$U" checkout -q -b dev && echo d >"$U/d" && commit_at "$U" "2026-01-01T00:00:00Z" "dev"
git -C "$U" symbolic-ref HEAD refs/heads/main
fetch "$U"
expect fetch_unborn_default_branch 1 "has no commits; name a branch with --ref \(branches: dev\)"
fetch "$U" --ref dev
expect fetch_unborn_default_branch_with_ref 0

# --- URLs that must never run anything ---------------------------------------------------------
fetch "ext::sh -c touch% $marker"
expect fetch_refuses_ext_transport 1 "unsupported URL scheme"
check fetch_ext_transport_never_ran test ! -e "$marker"

# --- concurrent fetches each get their own directory --------------------------------------------
mkdir -p "$T/conc"
"$GRADER" fetch "$R" "$T/conc" >"$T/c1" 2>/dev/null &
p1=$!
"$GRADER" fetch "$R" "$T/conc" >"$T/c2" 2>/dev/null &
p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
check fetch_concurrent_both_succeed test "$r1$r2" = 00
check fetch_concurrent_distinct_dirs test "$(json_get "$T/c1" "j['tree']")" != "$(json_get "$T/c2" "j['tree']")"

# --- the learner's self-check: files that differ from HEAD -------------------------------------
W=$T/work
new_repo "$W"
printf 'target/\n' >"$W/.gitignore"
echo a >"$W/a.rs" && echo b >"$W/b.rs" && commit_at "$W" "2026-01-01T00:00:00Z" "base"
echo changed >"$W/a.rs" && echo new >"$W/new.rs" && mkdir -p "$W/target" "$W/sub" && echo junk >"$W/target/x" &&
	echo n2 >"$W/sub/n2.rs" && git -C "$W" rm -q b.rs
fetch "$W" --status
expect fetch_status_counts_changes 0 "4 files changed since your last commit: the instructor will grade the commit"
check fetch_status_lists_names test "$(json_get "$T/out" "','.join(j['worktree']['paths'])")" = "a.rs,b.rs,new.rs,sub/n2.rs"
check fetch_status_counts_all test "$(json_get "$T/out" "j['worktree']['changed']")" = 4
