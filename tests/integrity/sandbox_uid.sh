#!/usr/bin/env bash
# Integrity: a sandboxed program never runs as the host's root. The grader runs as root here; a
# port whose build script, Rust binary and Python original each try to leave a set-user-ID copy of
# a binary and other files where they can write (the run folder, the build's target directory)
# leaves nothing set-user-ID or set-group-ID under the work and report folders, and every file it
# made belongs to the sandbox's unprivileged uid on the host, not to root.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/repo.sh"
export GRADER_PROFILES=$GRADER_ROOT/sandboxes

if [ "$(id -u)" -ne 0 ]; then
	skip "a sandboxed program never runs as the host's root" "the grader is not root here (then bwrap runs as the grader's own user)"
	exit 0
fi
honest_port "$T/repo"
cat >"$T/repo/ex4/python/wc.py" <<'PY'
import os, shutil, sys
def plant(name, text):
    try:
        with open(name, "w") as f:
            f.write(text)
    except OSError as e:
        pass
status = open("/proc/self/status").read()
uid = [l.split()[1] for l in status.splitlines() if l.startswith("Uid:")][0]
plant("planted-python-uid", "uid=%s\n" % uid)
try:
    shutil.copy("/usr/bin/id", "planted-python-suid")
    os.chmod("planted-python-suid", 0o6755)
except OSError:
    pass
for target in ("planted-python-uid",):
    try:
        os.chown(target, 0, 0)                   # only the host's root could
        plant("planted-python-chown", "chown to 0 worked\n")
    except OSError:
        pass
try:
    open("/submission/planted-python", "w").write("x")   # read-only bind
except OSError:
    pass
text = open(sys.argv[1]).read()
print(len(text.split()))
PY
cat >"$T/repo/ex4/rust/build.rs" <<'RS'
use std::os::unix::fs::PermissionsExt;
fn main() {
    // the build's writable folders: OUT_DIR inside the target directory, and the crate copy
    let out = std::env::var("OUT_DIR").unwrap();
    for dir in [out.as_str(), "/work", "/work/target"] {
        let dst = format!("{}/planted-build-suid", dir);
        if std::fs::copy("/usr/bin/id", &dst).is_ok() {
            let _ = std::fs::set_permissions(&dst, std::fs::Permissions::from_mode(0o6755));
        }
        let _ = std::fs::write(format!("{}/planted-build", dir), "from build.rs\n");
    }
}
RS
cat >"$T/repo/ex4/rust/src/main.rs" <<'RS'
use std::os::unix::fs::PermissionsExt;
fn main() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let uid = status.lines().find(|l| l.starts_with("Uid:")).unwrap_or("Uid: ?").to_string();
    let _ = std::fs::write("planted-rust-uid", format!("{}\n", uid));
    if let Ok(exe) = std::env::current_exe() {
        if std::fs::copy(&exe, "planted-rust-suid").is_ok() {
            let _ = std::fs::set_permissions("planted-rust-suid", std::fs::Permissions::from_mode(0o6755));
        }
    }
    let path = std::env::args().nth(1).expect("an input file");
    let text = std::fs::read_to_string(path).expect("readable input");
    println!("{}", text.split_whitespace().count());
}
RS
commit_repo "$T/repo"
# The runs' folders are kept here (GRADER_KEEP_RUNS) so that what the programs planted can be
# inspected; the last check grades again without it.
GRADER_KEEP_RUNS=1 run_grader grade "$T/repo" --learner planter --work "$T/w" --reports "$T/r" --only ex4 --no-perf
expect "the port that plants set-user-ID files is graded" 0
check_exercise "it builds and agrees with the original (the planting did not break the run)" \
	"$T/r/planter/report.json" ch01-ex4 'c["build"]["status"] == "pass" and c["correctness"]["status"] == "pass"'

setid=$(find "$T/w" "$T/r" -perm /6000 2>/dev/null)
if [ -z "$setid" ]; then ok "no set-user-ID or set-group-ID file under the work and report folders"
else fail "no set-user-ID or set-group-ID file under the work and report folders" "$setid"; fi

for who in python rust build; do
	n=$(find "$T/w" -name "planted-$who*" | wc -l)
	if [ "$n" -gt 0 ]; then ok "the $who step's planted files are there to inspect ($n)"
	else fail "the $who step's planted files are there to inspect" "$(find "$T/w" | head -40)"; fi
done
root_owned=$(find "$T/w" -name 'planted-*' -uid 0)
if [ -z "$root_owned" ]; then ok "no file the programs made belongs to the host's root"
else fail "no file the programs made belongs to the host's root" "$(ls -ln $root_owned)"; fi
others=$(find "$T/w" -name 'planted-*' ! -uid 65534)
if [ -z "$others" ]; then ok "every file the programs made belongs to the sandbox's uid 65534 on the host"
else fail "every file the programs made belongs to the sandbox's uid 65534 on the host" "$(ls -ln $others)"; fi
# inside, the uid is the namespace's view; the ownership above is the host's
uids=$(cat $(find "$T/w" -name 'planted-*-uid') 2>/dev/null | grep -oE '[0-9]+' | sort -u | tr '\n' ' ')
if [ "$uids" = "65534 " ]; then ok "the programs ran as uid 65534 (their /proc/self/status)"
else fail "the programs ran as uid 65534 (their /proc/self/status)" "got: '$uids'"; fi
if [ -z "$(find "$T/w" -name 'planted-python-chown')" ]; then ok "chown to root was refused to the program"
else fail "chown to root was refused to the program"; fi
if [ ! -e "$T/repo/ex4/planted-python" ] && [ -z "$(find "$T/w" -path '*submission*' -name 'planted-python')" ]; then
	ok "the read-only submission stayed untouched"
else fail "the read-only submission stayed untouched"; fi

# Without GRADER_KEEP_RUNS, nothing the programs wrote outlives the grading.
run_grader grade "$T/repo" --learner planter2 --work "$T/w2" --reports "$T/r2" --only ex4 --no-perf
expect "graded again, the runs' folders not kept" 0
left=$(find "$T/w2" -name 'planted-python*' -o -name 'planted-rust*')
if [ -z "$left" ] && [ ! -e "$T/w2/planter2/runs" ]; then ok "the runs' folders are removed when the exercise ends"
else fail "the runs' folders are removed when the exercise ends" "$left"; fi
setid=$(find "$T/w2" "$T/r2" -perm /6000 2>/dev/null)
if [ -z "$setid" ]; then ok "no set-ID file after a grading that keeps nothing either"
else fail "no set-ID file after a grading that keeps nothing either" "$setid"; fi
